//! Where the container is (a file for the real app, memory for tests) and the type of the
//! vault the app holds.

use lethe_vault::{FileStorage, KdfParams, OpenFileError, Passphrase, Storage, Vault};
use std::io;
use std::path::PathBuf;

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
}
