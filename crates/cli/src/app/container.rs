//! Where the container is (a file for the real app, memory for tests) and the type of the
//! vault the app holds.

use lethe_vault::format::SALT_A_OFFSET;
use lethe_vault::primitives::SALT_LEN;
use lethe_vault::{FileStorage, KdfParams, OpenFileError, Passphrase, Storage, Vault};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

/// Bytes of the container that change only when its keys are destroyed: the first salt,
/// which is written when the container is made and afterwards only by panic (FORMAT.md,
/// "The salt block" and "Panic"). Not secret: it is random bytes on the disk.
pub type KeyMark = [u8; SALT_LEN];

/// The [`KeyMark`] of a container in `storage` (for containers held in memory).
#[cfg(test)]
pub fn key_mark_of(storage: &dyn Storage) -> io::Result<KeyMark> {
    let mut mark = [0u8; SALT_LEN];
    storage.read_at(SALT_A_OFFSET, &mut mark)?;
    Ok(mark)
}

pub type DynStorage = Box<dyn Storage + Send>;
pub type DynVault = Vault<DynStorage>;

/// Where the container is: a file for the real app, memory for tests.
pub trait Container: Send + Sync + 'static {
    fn open(&self, passphrase: &Passphrase) -> lethe_vault::Result<DynVault>;
    /// Destroys every compartment's keys (`lethe panic`), without a passphrase and without
    /// waiting for the lock this app itself holds.
    fn wipe(&self) -> lethe_vault::Result<()>;
    /// The Argon2id parameters of this container (for making a hidden compartment).
    fn kdf(&self) -> KdfParams;
    /// Reads the container's [`KeyMark`] again (without the lock this app holds), to see
    /// whether something outside the app destroyed its keys.
    fn key_mark(&self) -> io::Result<KeyMark>;
    /// The size of the container already there (a wiped one, after a panic), or `None`
    /// when there is none yet.
    fn existing_len(&self) -> Option<u64>;
    /// Makes a new container with one compartment that `passphrase` opens: a new file of
    /// `len` bytes when there is none, otherwise (after a panic destroyed its keys) the same
    /// file, at its own size, filled with new random bytes and made anew.
    fn create(
        &self,
        len: u64,
        passphrase: &Passphrase,
        progress: &mut dyn FnMut(u64, u64),
    ) -> lethe_vault::Result<DynVault>;
}

fn open_error(e: OpenFileError, context: &'static str) -> lethe_vault::Error {
    match e {
        OpenFileError::InUse => lethe_vault::Error::InUse,
        OpenFileError::Io(source) if source.kind() == io::ErrorKind::AlreadyExists => lethe_vault::Error::AlreadyExists,
        OpenFileError::Io(source) => lethe_vault::Error::Io { context, source },
        _ => lethe_vault::Error::Io { context, source: io::Error::other("cannot open the file") },
    }
}

pub struct FileContainer {
    pub path: PathBuf,
    pub kdf: KdfParams,
}

impl Container for FileContainer {
    fn open(&self, passphrase: &Passphrase) -> lethe_vault::Result<DynVault> {
        let storage = FileStorage::open(&self.path).map_err(|e| match e {
            OpenFileError::InUse => lethe_vault::Error::InUse,
            OpenFileError::Io(source) => lethe_vault::Error::Io { context: "opening the container", source },
            _ => lethe_vault::Error::Io {
                context: "opening the container",
                source: io::Error::other("cannot open the file"),
            },
        })?;
        Vault::open(Box::new(storage) as DynStorage, passphrase, self.kdf)
    }

    fn wipe(&self) -> lethe_vault::Result<()> {
        lethe_vault::panic_file(&self.path)
    }

    fn kdf(&self) -> KdfParams {
        self.kdf
    }

    fn key_mark(&self) -> io::Result<KeyMark> {
        let mut mark = [0u8; SALT_LEN];
        std::fs::File::open(&self.path)?.read_exact_at(&mut mark, SALT_A_OFFSET)?;
        Ok(mark)
    }

    fn existing_len(&self) -> Option<u64> {
        std::fs::symlink_metadata(&self.path).ok().map(|m| m.len())
    }

    fn create(
        &self,
        len: u64,
        passphrase: &Passphrase,
        progress: &mut dyn FnMut(u64, u64),
    ) -> lethe_vault::Result<DynVault> {
        if passphrase.is_empty() {
            return Err(lethe_vault::Error::EmptyPassphrase);
        }
        let storage = if self.existing_len().is_some() {
            let mut storage = FileStorage::open(&self.path).map_err(|e| open_error(e, "opening the container"))?;
            lethe_vault::fill_with_random(&mut storage)?;
            storage
        } else {
            lethe_vault::check_new_container_size(len)?;
            FileStorage::create(&self.path, len, &mut lethe_vault::primitives::fill_random, progress)
                .map_err(|e| open_error(e, "creating the container"))?
        };
        Vault::init(Box::new(storage) as DynStorage, passphrase, self.kdf)
    }
}
