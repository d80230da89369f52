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
}
