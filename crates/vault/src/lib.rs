//! lethe's container: one fixed-size file whose every byte looks random, holding up to eight
//! compartments (each opened by its own passphrase) of individually crypto-erasable items.
//!
//! The byte layout is specified in docs/FORMAT.md and summarised in [`format`].

// `unsafe` is allowed in one module only: `sys` (locked memory, process hardening).
#![deny(unsafe_code)]

pub mod error;
pub mod format;
pub mod meta;
mod pipeline;
pub mod primitives;
pub mod slot;
pub mod storage;
#[allow(unsafe_code)]
pub mod sys;
mod vault;

pub use error::{Error, Result};
pub use meta::ItemKind;
pub use primitives::{KdfParams, Passphrase};
pub use storage::{FileStorage, MemStorage, OpenFileError, Storage, WriteBehind};
pub use sys::{LockedBuf, harden_process};
pub use vault::{
    ItemId, ItemInfo, NEW_CONTAINER_VERSION, NOISE_CAP, PartialInfo, Stored, Vault, check_new_container_size,
    fill_with_random, panic_wipe,
};

use std::path::Path;

/// Creates a new container file of `len` bytes (CSPRNG output) with its first compartment.
pub fn create_file(
    path: &Path,
    len: u64,
    passphrase: &Passphrase,
    params: KdfParams,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vault<FileStorage>> {
    create_file_version(path, len, passphrase, params, vault::NEW_CONTAINER_VERSION, progress)
}

/// [`create_file`] in a given format version (1 or 2).
pub fn create_file_version(
    path: &Path,
    len: u64,
    passphrase: &Passphrase,
    params: KdfParams,
    version: u8,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vault<FileStorage>> {
    check_new_container_size(len)?;
    if passphrase.is_empty() {
        return Err(Error::EmptyPassphrase);
    }
    let storage = FileStorage::create(path, len, &mut primitives::fill_random, progress).map_err(|e| match e {
        OpenFileError::InUse => Error::InUse,
        OpenFileError::Io(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Error::AlreadyExists,
        OpenFileError::Io(e) => Error::Io { context: "creating the container", source: e },
    })?;
    Vault::init_version(storage, passphrase, params, version)
}

/// Opens a container file (taking its lock) with a passphrase.
pub fn open_file(path: &Path, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<FileStorage>> {
    let storage = FileStorage::open(path).map_err(|e| match e {
        OpenFileError::InUse => Error::InUse,
        OpenFileError::Io(e) => Error::Io { context: "opening the container", source: e },
    })?;
    Vault::open(storage, passphrase, params)
}

/// What [`migrate_file`] copied: items per compartment level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    pub items_per_level: Vec<usize>,
    /// Sessions the hidden compartments needed (format version 2 writes at most one session's
    /// cover per session above level 0).
    pub sessions: usize,
}

/// Copies every compartment of a format version 1 container file into a new format version 2
/// container file of the same size, with the same passphrases, item ids, kinds, names and
/// creation times, then reopens the new file with every passphrase and checks every item.
/// `passphrases` must hold one passphrase of every compartment (any order). The old file is
/// left as it is: the caller shreds it once this returns `Ok`. Hidden items larger than one
/// session are written across as many sessions as they need.
pub fn migrate_file(
    old: &Path,
    new: &Path,
    passphrases: &[Passphrase],
    params: KdfParams,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<MigrateReport> {
    let refuse = |why: String| Error::Migrate(why);
    let mut by_level: Vec<Option<&Passphrase>> = vec![None; format::SLOT_COUNT];
    let mut len = 0;
    for p in passphrases {
        let v = open_file(old, p, params)?;
        if v.format_version() != 1 {
            return Err(refuse("this container is already format version 2".into()));
        }
        len = v.container_len();
        by_level[v.level()] = Some(p);
    }
    let top = by_level.iter().rposition(|p| p.is_some()).ok_or_else(|| refuse("no passphrase given".into()))?;
    if let Some(missing) = by_level[..=top].iter().position(|p| p.is_none()) {
        return Err(refuse(format!(
            "the passphrase of compartment level {missing} is missing; give the passphrase of every compartment"
        )));
    }
    let passes: Vec<&Passphrase> = by_level[..=top].iter().map(|p| p.expect("checked")).collect();
    // Everything to copy, per level, read through that level's passphrase.
    let mut levels: Vec<Vec<(ItemInfo, sys::LockedBuf)>> = Vec::new();
    let mut total = 0u64;
    for p in &passes {
        let v = open_file(old, p, params)?;
        let mut items = Vec::new();
        for info in v.list() {
            total += info.size;
            let content = v.read(info.id)?;
            items.push((info, content));
        }
        levels.push(items);
    }
    let mut done = 0u64;
    let mut v = create_file_version(new, len, passes[0], params, 2, &mut |_, _| {})?;
    for (level, items) in levels.iter().enumerate() {
        if level > 0 {
            v.hide(passes[level], params)?;
        }
        for (info, content) in items {
            // Above level 0 an item takes as many sessions as it needs (a partial item until it
            // is complete, docs/FORMAT.md version 2, tension 3); level 0 is not limited.
            match v.import_item_across_sessions(info, content.as_slice(), usize::MAX)? {
                Stored::Done(_) => {}
                Stored::Continues { .. } => {
                    return Err(refuse(format!("item {} of compartment level {level} could not be finished", info.id)));
                }
            }
            done += info.size;
            progress(done, total);
        }
    }
    let sessions = v.sessions_started() as usize;
    drop(v);
    // Check: every compartment opens with its passphrase and holds exactly what the old one did.
    for (level, items) in levels.iter().enumerate() {
        let v = Vault::inspect(
            FileStorage::open(new).map_err(|e| match e {
                OpenFileError::InUse => Error::InUse,
                OpenFileError::Io(e) => Error::Io { context: "opening the new container", source: e },
            })?,
            passes[level],
            params,
        )?;
        let listed = v.list();
        let same = v.level() == level
            && listed.len() == items.len()
            && items.iter().all(|(info, content)| {
                listed.contains(info) && v.read(info.id).map(|c| c.as_slice() == content.as_slice()).unwrap_or(false)
            });
        if !same {
            return Err(refuse(format!(
                "the copy of compartment level {level} does not match; the old file is untouched"
            )));
        }
    }
    Ok(MigrateReport { items_per_level: levels.iter().map(|l| l.len()).collect(), sessions })
}

/// Wipes a container file's key area without a passphrase and without waiting for its lock.
pub fn panic_file(path: &Path) -> Result<()> {
    let mut storage =
        FileStorage::open_unlocked(path).map_err(|e| Error::Io { context: "opening the container", source: e })?;
    if storage.len() < format::KEY_AREA_BLOCKS * format::BLOCK_SIZE as u64 {
        return Err(Error::BadContainerSize { len: storage.len() });
    }
    panic_wipe(&mut storage)
}
