//! lethe's container: one fixed-size file whose every byte looks random, holding up to eight
//! compartments (each opened by its own passphrase) of individually crypto-erasable items.
//!
//! The byte layout is specified in docs/FORMAT.md and summarised in [`format`].

// `unsafe` is allowed in one module only: `sys` (locked memory, process hardening).
#![deny(unsafe_code)]

pub mod error;
pub mod format;
pub mod meta;
pub mod primitives;
pub mod slot;
pub mod storage;
#[allow(unsafe_code)]
pub mod sys;
mod vault;

pub use error::{Error, Result};
pub use meta::ItemKind;
pub use primitives::{KdfParams, Passphrase};
pub use storage::{FileStorage, MemStorage, OpenFileError, Storage};
pub use sys::{LockedBuf, harden_process};
pub use vault::{ItemId, ItemInfo, Vault, check_new_container_size, fill_with_random, panic_wipe};

use std::path::Path;

/// Creates a new container file of `len` bytes (CSPRNG output) with its first compartment.
pub fn create_file(
    path: &Path,
    len: u64,
    passphrase: &Passphrase,
    params: KdfParams,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vault<FileStorage>> {
    check_new_container_size(len)?;
    if passphrase.is_empty() {
        return Err(Error::EmptyPassphrase);
    }
    let storage = FileStorage::create(path, len, &mut primitives::fill_random, progress)
        .map_err(|e| match e {
            OpenFileError::InUse => Error::InUse,
            OpenFileError::Io(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Error::AlreadyExists
            }
            OpenFileError::Io(e) => Error::Io { context: "creating the container", source: e },
        })?;
    Vault::init(storage, passphrase, params)
}

/// Opens a container file (taking its lock) with a passphrase.
pub fn open_file(path: &Path, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<FileStorage>> {
    let storage = FileStorage::open(path).map_err(|e| match e {
        OpenFileError::InUse => Error::InUse,
        OpenFileError::Io(e) => Error::Io { context: "opening the container", source: e },
    })?;
    Vault::open(storage, passphrase, params)
}

/// Wipes a container file's key area without a passphrase and without waiting for its lock.
pub fn panic_file(path: &Path) -> Result<()> {
    let mut storage = FileStorage::open_unlocked(path)
        .map_err(|e| Error::Io { context: "opening the container", source: e })?;
    if storage.len() < format::KEY_AREA_BLOCKS * format::BLOCK_SIZE as u64 {
        return Err(Error::BadContainerSize { len: storage.len() });
    }
    panic_wipe(&mut storage)
}
