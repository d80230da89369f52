//! The open container: compartments, items, commits, crypto-erase.
//!
//! Write discipline (what makes every update crash-safe and in place):
//! 1. New item blocks and both new copies of the index go to free blocks; sync.
//! 2. Header copy A is rewritten in place with epoch+1; sync. The blocks the change released
//!    (an erased item, the old version of a replaced one) are then overwritten with fresh
//!    random bytes; sync. Then header copy B is rewritten; sync.
//! 3. The old index copies, which only the old headers referenced, are overwritten; sync.
//!
//! At any crash point at least one header copy is whole, and it points at an index that is
//! whole: the released blocks are overwritten only once copy A points at the new index (a
//! crash before copy B is rewritten leaves B older, and the open-time repair overwrites what
//! only B still refers to), and the old index copies only once both copies point at the new
//! one.

use crate::error::{Error, Result};
use crate::format::*;
use crate::meta::{self, Extent, ItemEntry, ItemKind};
use crate::pipeline;
use crate::primitives::{
    KEY_LEN, KdfParams, Key, Passphrase, SALT_LEN, Tagger, derive_master_key, derive_subkey, fill_random,
    open_in_place, random_u32, seal_in_place, seal_units_in_place,
};
use crate::slot::SlotBody;
use crate::storage::Storage;
use crate::sys::LockedBuf;
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

/// What a block of an open compartment above level 0 holds (format version 2), to seal it
/// again in place when a session draws it.
enum Owner {
    /// An item or index block: `nonce || ct || tag` under this key, with the block's AAD.
    Sealed(Key),
    /// A link candidate position of `level`.
    Link { level: usize, key: Key },
    /// Header copy `copy` of `level`.
    Header { level: usize, copy: usize, key: Key },
}

/// An item's id: 8 lowercase hex digits, unique among the open compartments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub u32);

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

impl std::str::FromStr for ItemId {
    type Err = Error;
    fn from_str(s: &str) -> Result<ItemId> {
        let t = s.trim();
        if t.len() == 8
            && t.bytes().all(|b| b.is_ascii_hexdigit())
            && let Ok(v) = u32::from_str_radix(t, 16)
        {
            return Ok(ItemId(v));
        }
        Err(Error::NoSuchItem(s.chars().take(40).collect()))
    }
}

/// What `list` shows of an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemInfo {
    pub id: ItemId,
    pub kind: ItemKind,
    pub name: String,
    pub size: u64,
    pub created_unix: u64,
}

/// What [`Vault::add_across_sessions`] and [`Vault::resume_add`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// The item is complete: listed and readable.
    Done(ItemId),
    /// The first `written` bytes of the item (of `size`) are stored and committed; it is not
    /// listed and not readable yet. Continue it in a later session with [`Vault::resume_add`],
    /// the source positioned at byte `written`, or erase it with [`Vault::remove`].
    Continues { id: ItemId, written: u64, size: u64 },
}

/// An item being written across sessions (format version 2, a compartment above level 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialInfo {
    pub id: ItemId,
    pub kind: ItemKind,
    pub name: String,
    pub size: u64,
    /// Bytes stored so far: the source of [`Vault::resume_add`] must start here.
    pub written: u64,
    pub created_unix: u64,
}

/// One header copy as loaded.
struct CopyState {
    meta_key: Key,
    meta_blocks: Vec<u32>,
}

struct Compartment {
    level: usize,
    slot_key: Key,
    lower_slot_key: Option<Key>,
    epoch: u64,
    /// Index copies currently on disk (None: that copy is damaged and will be rewritten).
    copies: [Option<CopyState>; 2],
    items: Vec<ItemEntry>,
    /// Format version 2, level 0 only: the noise list, oldest first.
    noise: Vec<u32>,
    /// Format version 2, levels above 0: the blocks of the current header copies A and B.
    header_blocks: [Option<u64>; 2],
}

/// Blocks of the data area in use by any open compartment.
struct BlockMap {
    used: Vec<bool>,
    free: u64,
}

impl BlockMap {
    fn new(block_count: u64) -> BlockMap {
        let mut used = vec![false; block_count as usize];
        for u in used.iter_mut().take(FIRST_DATA_BLOCK as usize) {
            *u = true;
        }
        BlockMap { used, free: block_count - FIRST_DATA_BLOCK }
    }
    fn is_used(&self, b: u64) -> bool {
        self.used.get(b as usize).copied().unwrap_or(true)
    }
    /// Marks a block used; false if it already was (two owners: the index is damaged).
    fn mark(&mut self, b: u64) -> bool {
        match self.used.get_mut(b as usize) {
            Some(u) if !*u => {
                *u = true;
                self.free -= 1;
                true
            }
            _ => false,
        }
    }
    fn release(&mut self, b: u64) {
        if b >= FIRST_DATA_BLOCK
            && let Some(u) = self.used.get_mut(b as usize)
            && *u
        {
            *u = false;
            self.free += 1;
        }
    }
    /// Takes up to `n` free blocks as extents, scanning from a random start so that
    /// compartments do not all crowd the start of the container.
    fn allocate(&mut self, n: u64) -> Option<Vec<Extent>> {
        if n > self.free {
            return None;
        }
        let total = self.used.len() as u64;
        let data = total - FIRST_DATA_BLOCK;
        let mut pos = FIRST_DATA_BLOCK + (random_u32() as u64 % data);
        let mut extents: Vec<Extent> = Vec::new();
        let mut got = 0;
        while got < n {
            if !self.used[pos as usize] {
                self.used[pos as usize] = true;
                self.free -= 1;
                got += 1;
                match extents.last_mut() {
                    Some(e) if e.first as u64 + e.len as u64 == pos => e.len += 1,
                    _ => extents.push(Extent { first: pos as u32, len: 1 }),
                }
            }
            pos += 1;
            if pos == total {
                pos = FIRST_DATA_BLOCK;
            }
        }
        Some(extents)
    }
}

/// An open container. Operations apply to the compartment the passphrase opened (the top
/// one); every compartment below it is open too, so its blocks are never overwritten.
pub struct Vault<S: Storage> {
    storage: S,
    block_count: u64,
    salt: [u8; SALT_LEN],
    /// Index = level; the last one is the compartment the passphrase opened.
    compartments: Vec<Compartment>,
    blocks: BlockMap,
    /// Blocks that an open compartment's item claims but a lower compartment has since
    /// overwritten (a write through the decoy). They belong to the lower one: never
    /// overwritten or freed on behalf of the damaged item.
    foreign: std::collections::HashSet<u64>,
    /// A header write failed: what is on disk may be newer than what is in memory. Every
    /// further change is refused until the container is opened again.
    needs_reopen: bool,
    /// Format version of the container: 1 or 2 (docs/FORMAT.md).
    version: u8,
    /// Version 2: the noise list of level 0 as a set.
    noise_set: HashSet<u64>,
    /// Version 2: every block of this session's cover set `S`.
    session: HashSet<u64>,
    /// Version 2: blocks of `S` that a compartment above level 0 may still take.
    pool: Vec<u64>,
    /// Version 2: sessions this vault has started (at open, `hide`, `new_session`).
    sessions_started: u64,
    /// The compartments above the one [`Vault::with_lower`] made the open one, while it runs.
    stashed: Vec<Compartment>,
}

/// The format [`Vault::init`] and [`crate::create_file`] make (so `lethe init`, the app and the
/// demo): 2. Writes above level 0 that do not fit what is left of a session go on in sessions
/// the vault starts itself (docs/FORMAT.md, version 2, tension 3). Version 1 containers are
/// made with [`Vault::init_v1`] or [`Vault::init_version`] and still open.
pub const NEW_CONTAINER_VERSION: u8 = 2;

/// Version 2: sessions the vault starts by itself for a compartment above level 0 leave room
/// for this many later sessions (or a quarter of the data blocks, if less) before the oldest
/// noise that holds the open compartments' blocks would be drawn (docs/FORMAT.md, version 2,
/// tension 3).
pub const HIDDEN_RESERVE_SESSIONS: u64 = 32;

/// Longest noise list level 0 keeps (1 MiB of index); older noise is forgotten (it becomes
/// free space again).
pub const NOISE_CAP: usize = 262_144;

fn check_container_len(len: u64) -> Result<u64> {
    if !len.is_multiple_of(BLOCK_SIZE as u64) || !(MIN_CONTAINER_BYTES..=MAX_CONTAINER_BYTES).contains(&len) {
        return Err(Error::BadContainerSize { len });
    }
    Ok(len / BLOCK_SIZE as u64)
}

/// Checks a size for a new container.
pub fn check_new_container_size(len: u64) -> Result<()> {
    if !len.is_multiple_of(BLOCK_SIZE as u64) || !(MIN_CONTAINER_BYTES..=MAX_CONTAINER_BYTES).contains(&len) {
        return Err(Error::InvalidSize { requested: len });
    }
    Ok(())
}

fn slot_keys(master: &Key) -> Vec<Key> {
    (0..SLOT_COUNT).map(|i| derive_subkey(master, &slot_key_info(i))).collect()
}

fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Overwrites the key area (salt and every header slot) with fresh random bytes and syncs.
/// Afterwards no passphrase opens anything and the file looks like a fresh container.
/// Needs no passphrase and takes the same time for any container size.
pub fn panic_wipe<S: Storage>(storage: &mut S) -> Result<()> {
    let len = storage.len();
    let n = (KEY_AREA_BLOCKS as usize * BLOCK_SIZE).min(len as usize);
    let mut noise = vec![0u8; n];
    fill_random(&mut noise);
    storage.write_at(0, &noise).map_err(Error::io("wiping the key area"))?;
    storage.sync().map_err(Error::io("syncing after the wipe"))?;
    Ok(())
}

/// Overwrites the whole storage with CSPRNG output (used for in-memory containers; files are
/// filled when created).
pub fn fill_with_random<S: Storage>(storage: &mut S) -> Result<()> {
    let len = storage.len();
    let mut chunk = vec![0u8; 1 << 20];
    let mut off = 0;
    while off < len {
        let n = ((len - off) as usize).min(chunk.len());
        fill_random(&mut chunk[..n]);
        storage.write_at(off, &chunk[..n]).map_err(Error::io("filling the container"))?;
        off += n as u64;
    }
    storage.sync().map_err(Error::io("syncing the container"))
}

impl<S: Storage> Vault<S> {
    /// Makes compartment 0 in storage that already holds only random bytes (see
    /// [`fill_with_random`]; `FileStorage::create` fills new files itself).
    pub fn init(storage: S, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<S>> {
        Self::init_version(storage, passphrase, params, NEW_CONTAINER_VERSION)
    }

    /// [`Vault::init`] in format version 1: for tests of version 1 behaviour (old containers
    /// still open and work) and for making version 1 test vectors.
    #[doc(hidden)]
    pub fn init_v1(storage: S, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<S>> {
        Self::init_version(storage, passphrase, params, 1)
    }

    /// Like [`Vault::init`] in a given format version (1 only for tests and migration tests).
    pub fn init_version(mut storage: S, passphrase: &Passphrase, params: KdfParams, version: u8) -> Result<Vault<S>> {
        if version != 1 && version != 2 {
            return Err(Error::TooLarge("the format version (1 or 2)"));
        }
        if passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        let block_count = check_container_len(storage.len())?;
        let mut salt = [0u8; SALT_LEN];
        fill_random(&mut salt);
        let mut salt_b = [0u8; SALT_LEN];
        fill_random(&mut salt_b);
        storage.write_at(SALT_A_OFFSET, &salt).map_err(Error::io("writing the salt"))?;
        storage.write_at(SALT_B_OFFSET, &salt_b).map_err(Error::io("writing the salt"))?;
        let master = derive_master_key(passphrase.as_bytes(), &salt, params);
        write_salt_backups(&mut storage, 0, &salt, &master, passphrase, params)?;
        let slot_key = derive_subkey(&master, &slot_key_info(0));
        let mut vault = Vault {
            storage,
            block_count,
            salt,
            compartments: vec![Compartment {
                level: 0,
                slot_key,
                lower_slot_key: None,
                epoch: 0,
                copies: [None, None],
                items: Vec::new(),
                noise: Vec::new(),
                header_blocks: [None, None],
            }],
            blocks: BlockMap::new(block_count),
            foreign: Default::default(),
            needs_reopen: false,
            version,
            noise_set: HashSet::new(),
            session: HashSet::new(),
            pool: Vec::new(),
            sessions_started: 0,
            stashed: Vec::new(),
        };
        vault.commit_top(&mut Vec::new())?;
        Ok(vault)
    }

    /// Opens the compartment this passphrase belongs to, and every compartment below it.
    /// A wrong passphrase and a passphrase of no compartment are the same error, found after
    /// the same work: two Argon2id runs (salt_A, then the salt backups under salt_B) and an
    /// attempt on all sixteen header slots and all eight backup slots. A right passphrase
    /// costs one Argon2id run (three if salt_A was damaged and is recovered).
    pub fn open(storage: S, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<S>> {
        Self::open_inner(storage, passphrase, params, true)
    }

    /// Opens like [`Vault::open`] but does not start a session (format version 2): what an
    /// examiner does to a copy of an image. Tests and measurements use it; the vault is not
    /// meant to be written through afterwards (a level above 0 has no cover set to write in).
    #[doc(hidden)]
    pub fn inspect(storage: S, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<S>> {
        Self::open_inner(storage, passphrase, params, false)
    }

    fn open_inner(storage: S, passphrase: &Passphrase, params: KdfParams, session: bool) -> Result<Vault<S>> {
        let block_count = check_container_len(storage.len())?;
        let mut salt_block = vec![0u8; BLOCK_SIZE];
        storage.read_at(0, &mut salt_block).map_err(Error::io("reading the container"))?;
        let salt_a: [u8; SALT_LEN] = salt_block[..SALT_LEN].try_into().expect("32 bytes");
        let slots = read_all_slots(&storage)?;
        let mut salt = salt_a;
        let mut found = find_top(&storage, block_count, &slots, passphrase, &salt, params);
        let mut salt_recovered = false;
        if found.is_none() {
            // Either a wrong passphrase, or salt_A was damaged: look for this passphrase's
            // backup of salt_A (always, so both cases cost the same).
            if let Some(recovered) = recover_salt(&salt_block, passphrase, params)
                && recovered != salt_a
            {
                salt = recovered;
                found = find_top(&storage, block_count, &slots, passphrase, &salt, params);
                salt_recovered = found.is_some();
            }
        }
        let Some(found) = found else {
            return Err(Error::WrongPassphrase);
        };
        let mut vault = Vault {
            storage,
            block_count,
            salt,
            compartments: Vec::new(),
            blocks: BlockMap::new(block_count),
            foreign: Default::default(),
            needs_reopen: false,
            version: found.version,
            noise_set: HashSet::new(),
            session: HashSet::new(),
            pool: Vec::new(),
            sessions_started: 0,
            stashed: Vec::new(),
        };
        if salt_recovered {
            vault.storage.write_at(SALT_A_OFFSET, &salt).map_err(Error::io("repairing the salt"))?;
            vault.sync()?;
        }
        match found.chain {
            None => {
                vault.check_salt_b(&salt_block, found.level, &found.master)?;
                vault.load_chain(&slots, found.level, found.key)?;
            }
            Some(chain) => {
                // Version 2, a level above 0: only level 0 has salt backups, and checking
                // them needs level 0's passphrase.
                vault.load_v2_chain(&slots, chain)?;
            }
        }
        if vault.version == 2 && session {
            vault.begin_session(None)?;
        }
        Ok(vault)
    }

    /// Repairs salt_B from this level's backup of it if salt_B was damaged, and rewrites the
    /// backup if the backup itself was damaged. Costs no Argon2id run.
    fn check_salt_b(&mut self, salt_block: &[u8], level: usize, master: &Key) -> Result<()> {
        let on_disk: [u8; SALT_LEN] =
            salt_block[SALT_B_OFFSET as usize..SALT_B_OFFSET as usize + SALT_LEN].try_into().expect("32");
        let off = salt_b_backup_offset(level) as usize;
        let mut slot = [0u8; SALT_BACKUP_LEN];
        slot.copy_from_slice(&salt_block[off..off + SALT_BACKUP_LEN]);
        let key = derive_subkey(master, &salt_b_backup_label(level));
        if open_in_place(&key, &salt_b_backup_label(level), &mut slot) {
            let backup: [u8; SALT_LEN] = slot[NONCE_LEN..NONCE_LEN + SALT_LEN].try_into().expect("32");
            if backup != on_disk {
                self.storage.write_at(SALT_B_OFFSET, &backup).map_err(Error::io("repairing the salt"))?;
                self.sync()?;
            }
        } else {
            write_salt_b_backup(&mut self.storage, level, &on_disk, master)?;
            self.sync()?;
        }
        Ok(())
    }

    /// Loads compartment `top` and, through the chain of lower slot keys, every one below.
    fn load_chain(&mut self, slots: &[[Vec<u8>; 2]], top: usize, top_key: Key) -> Result<()> {
        let mut loaded: Vec<(Compartment, Repairs)> = Vec::new();
        let mut key = Some(top_key);
        let mut level = top as isize;
        while let Some(k) = key.take() {
            if level < 0 {
                return Err(Error::IndexDamaged { level: 0 });
            }
            let l = level as usize;
            let (comp, stale) = self.load_compartment(slots, l, k)?;
            key = comp.lower_slot_key.clone();
            loaded.push((comp, stale));
            level -= 1;
        }
        loaded.reverse();
        self.mark_and_repair(loaded)
    }

    /// Version 2, a level above 0: `chain[l]` is the slot key of level `l`, found through the
    /// links. Level 0 is read from its fixed slots, the levels above from the noise.
    fn load_v2_chain(&mut self, slots: &[[Vec<u8>; 2]], chain: Vec<Key>) -> Result<()> {
        let (zero, repairs) = self.load_compartment(slots, 0, chain[0].clone())?;
        let noise: Vec<u64> = zero.noise.iter().map(|&b| b as u64).collect();
        // Every noise block, once: its keyed tag (the first 16 bytes) checked against every level
        // of the chain; only a block whose tag matches is read whole and opened (FORMAT.md,
        // version 2, "Finding a hidden compartment").
        let mut found: Vec<Vec<(usize, u64, SlotBody)>> = vec![Vec::new(); chain.len()];
        let mut sorted = noise;
        sorted.sort_unstable();
        let taggers: Vec<Tagger> =
            chain.iter().enumerate().map(|(level, key)| Tagger::new(&header_tag_key(key, level))).collect();
        let mut hits: Vec<(usize, usize, u64, SlotBody)> = Vec::new();
        let mut head = [0u8; HEADER_V2_TAG_LEN + NONCE_LEN];
        let mut buf = LockedBuf::new(BLOCK_SIZE);
        for &b in &sorted {
            self.storage.read_at(block_offset(b), &mut head).map_err(Error::io("reading the container"))?;
            let (t, nonce) = head.split_at(HEADER_V2_TAG_LEN);
            for (level, tagger) in taggers.iter().enumerate().skip(1) {
                if !tagger.verify(&[HEADER_TAG_LABEL, &b.to_le_bytes(), nonce], t) {
                    continue;
                }
                for copy in 0..2 {
                    self.storage
                        .read_at(block_offset(b), buf.as_mut_slice())
                        .map_err(Error::io("reading the container"))?;
                    if let Some(body) = open_header_v2(&chain[level], level, copy, b, buf.as_mut_slice()) {
                        hits.push((level, copy, b, body));
                    }
                }
            }
        }
        for (level, copy, b, body) in hits {
            found[level].push((copy, b, body));
        }
        let mut loaded = vec![(zero, repairs)];
        for (level, key) in chain.iter().enumerate().skip(1) {
            let mut cands = std::mem::take(&mut found[level]);
            cands.sort_by_key(|(_, _, body)| std::cmp::Reverse(body.epoch));
            let mut chosen: Option<(u64, Vec<ItemEntry>)> = None;
            let mut comp = Compartment {
                level,
                slot_key: key.clone(),
                lower_slot_key: Some(chain[level - 1].clone()),
                epoch: 0,
                copies: [None, None],
                items: Vec::new(),
                noise: Vec::new(),
                header_blocks: [None, None],
            };
            for (copy, b, body) in cands {
                if let Some((epoch, _)) = &chosen {
                    if body.epoch != *epoch {
                        break;
                    }
                } else {
                    match self.load_index(&body) {
                        Ok((items, _)) => chosen = Some((body.epoch, items)),
                        Err(_) => continue,
                    }
                }
                if comp.copies[copy].is_none() {
                    comp.header_blocks[copy] = Some(b);
                    comp.copies[copy] = Some(CopyState { meta_key: body.meta_key, meta_blocks: body.meta_blocks });
                }
            }
            let Some((epoch, items)) = chosen else {
                return Err(Error::IndexDamaged { level });
            };
            comp.epoch = epoch;
            comp.items = items;
            loaded.push((comp, Repairs { stale: Vec::new(), damaged_index: Vec::new() }));
        }
        self.mark_and_repair(loaded)
    }

    /// Marks the blocks of freshly loaded compartments (lowest level first) and repairs what
    /// the fixed-slot compartments need.
    fn mark_and_repair(&mut self, loaded: Vec<(Compartment, Repairs)>) -> Result<()> {
        // Mark blocks from the lowest level up. A block that an item of a higher level claims
        // but a lower level already uses was overwritten through the lower compartment: it
        // is the lower one's now, and only that item is damaged.
        for (comp, _) in &loaded {
            if self.version == 2 && comp.level > 0 {
                // Everything of a level above 0 lives in noise (marked with level 0). A block
                // no longer in the noise was taken back by level 0: that item is damaged.
                let mut mine = HashSet::new();
                for c in comp.copies.iter().flatten() {
                    for &b in &c.meta_blocks {
                        mine.insert(b as u64);
                    }
                }
                for item in &comp.items {
                    for b in item.blocks() {
                        if !mine.insert(b) {
                            return Err(Error::IndexDamaged { level: comp.level });
                        }
                        if !self.noise_set.contains(&b) {
                            self.foreign.insert(b);
                        }
                    }
                }
                continue;
            }
            let mut index_blocks: Vec<u64> =
                comp.copies.iter().flatten().flat_map(|c| c.meta_blocks.iter().map(|&b| b as u64)).collect();
            index_blocks.sort_unstable();
            index_blocks.dedup();
            for b in index_blocks {
                if !self.blocks.mark(b) {
                    return Err(Error::IndexDamaged { level: comp.level });
                }
            }
            let mut mine = std::collections::HashSet::new();
            for item in &comp.items {
                for b in item.blocks() {
                    if !mine.insert(b) {
                        // Two items of one compartment claim the same block.
                        return Err(Error::IndexDamaged { level: comp.level });
                    }
                    if !self.blocks.mark(b) {
                        self.foreign.insert(b);
                    }
                }
            }
            if self.version == 2 && comp.level == 0 {
                for &b in &comp.noise {
                    // A noise entry on a block level 0 uses is left out of the set (damage;
                    // level 0's own use wins).
                    if self.blocks.mark(b as u64) {
                        self.noise_set.insert(b as u64);
                    }
                }
            }
        }
        for (mut comp, repairs) in loaded {
            if self.version == 2 && comp.level == 0 {
                // Noise entries on blocks level 0 uses (written by an older commit that encoded
                // its noise list before its index took the oldest noise) leave the list, so no
                // session draws them.
                comp.noise.retain(|b| self.noise_set.contains(&(*b as u64)));
            }
            let fixed = self.version == 1 || comp.level == 0;
            self.compartments.push(comp);
            let i = self.compartments.len() - 1;
            if fixed {
                self.repair_in_place(i, repairs)?;
            }
        }
        Ok(())
    }

    /// Reads both header copies of one level. Picks the newest copy whose index loads.
    fn load_compartment(&self, slots: &[[Vec<u8>; 2]], level: usize, slot_key: Key) -> Result<(Compartment, Repairs)> {
        let mut loaded: Vec<(usize, SlotBody, Vec<ItemEntry>)> = Vec::new();
        let mut truncated = false;
        let mut damaged_index = Vec::new();
        let mut noise_of: Vec<(usize, Vec<u32>)> = Vec::new();
        for (copy, sealed) in slots[level].iter().enumerate() {
            if let Some((body, version)) = try_open_slot(sealed, &slot_key, level, copy) {
                if version != self.version {
                    continue;
                }
                match self.load_index(&body) {
                    Ok((items, noise)) => {
                        noise_of.push((copy, noise));
                        loaded.push((copy, body, items))
                    }
                    Err(Error::Truncated) => truncated = true,
                    Err(_) => damaged_index.push((copy, body)),
                }
            }
        }
        // An authenticated reference past the end is only explained by a file cut short: refuse
        // before any repair, even if the other copy loads, so that nothing is written to it.
        if truncated {
            return Err(Error::Truncated);
        }
        if loaded.is_empty() {
            return Err(Error::IndexDamaged { level });
        }
        loaded.sort_by_key(|(_, b, _)| std::cmp::Reverse(b.epoch));
        let (best_copy, best_body, best_items) = loaded.remove(0);
        let noise = noise_of.into_iter().find(|(c, _)| *c == best_copy).map(|(_, n)| n).unwrap_or_default();
        let epoch = best_body.epoch;
        let lower = best_body.lower_slot_key.clone();
        let mut copies: [Option<CopyState>; 2] = [None, None];
        let mut stale = Vec::new();
        copies[best_copy] = Some(CopyState { meta_key: best_body.meta_key, meta_blocks: best_body.meta_blocks });
        for (copy, body, items) in loaded {
            if body.epoch == epoch {
                copies[copy] = Some(CopyState { meta_key: body.meta_key, meta_blocks: body.meta_blocks });
            } else {
                // An older copy left by an interrupted commit: what it alone references is
                // overwritten by the repair, if it is still what that copy wrote.
                stale.push(StaleCopy { meta_key: body.meta_key, meta_blocks: body.meta_blocks, items });
            }
        }
        // A header copy that authenticates but whose index does not: the repair can rewrite
        // that index in place, if it is of the current epoch.
        let damaged_index = damaged_index.into_iter().filter(|(_, b)| b.epoch == epoch).collect();
        Ok((
            Compartment {
                level,
                slot_key,
                lower_slot_key: lower,
                epoch,
                copies,
                items: best_items,
                noise,
                header_blocks: [None, None],
            },
            Repairs { stale, damaged_index },
        ))
    }

    fn load_index(&self, body: &SlotBody) -> Result<(Vec<ItemEntry>, Vec<u32>)> {
        let mut blob = LockedBuf::new(body.meta_blocks.len() * BLOCK_PAYLOAD);
        let mut block = [0u8; BLOCK_SIZE];
        for (i, &b) in body.meta_blocks.iter().enumerate() {
            if b as u64 >= self.block_count {
                // An authenticated reference past the end: the file was cut short.
                return Err(Error::Truncated);
            }
            self.storage.read_at(block_offset(b as u64), &mut block).map_err(Error::io("reading the index"))?;
            if !open_in_place(&body.meta_key, &block_aad(b as u64), &mut block) {
                return Err(Error::IndexDamaged { level: 0 });
            }
            blob.as_mut_slice()[i * BLOCK_PAYLOAD..(i + 1) * BLOCK_PAYLOAD]
                .copy_from_slice(&block[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]);
        }
        block.fill(0);
        blob.truncate(body.meta_len as usize);
        match meta::decode_versioned(blob.as_slice(), self.block_count) {
            Ok((items, noise, v)) if v == self.version => Ok((items, noise)),
            Ok(_) => Err(Error::IndexDamaged { level: 0 }),
            Err(meta::MetaDecodeError::ExtentBeyondEnd) => Err(Error::Truncated),
            Err(_) => Err(Error::IndexDamaged { level: 0 }),
        }
    }

    /// Finishes what a crash (or a flipped byte) left behind in compartment `i`, writing only
    /// blocks this compartment owns, so that merely opening a decoy never allocates blocks
    /// that a hidden compartment may be using:
    /// - blocks only an older header copy referenced (its index, items since erased or
    ///   replaced) are overwritten, if they still authenticate under that copy's keys and no
    ///   open compartment uses them;
    /// - blocks of items marked as being erased are overwritten (the entries themselves go at
    ///   the compartment's next commit);
    /// - a damaged or older header copy is rewritten in place from the good one.
    fn repair_in_place(&mut self, i: usize, repairs: Repairs) -> Result<()> {
        let Repairs { stale, damaged_index } = repairs;
        // A damaged index copy whose header is fine is rewritten at its own blocks, under its
        // own key, unless one of those blocks now belongs to another open compartment (then
        // it was overwritten through a lower compartment and its header is rewritten below).
        for (copy, body) in damaged_index {
            let blob = self.index_blob(i);
            let own_blocks = body.meta_blocks.iter().all(|&b| !self.blocks.is_used(b as u64));
            if blob.len() as u32 != body.meta_len || !own_blocks {
                continue;
            }
            self.write_index_blocks(&body.meta_key, &body.meta_blocks, &blob)?;
            let mut blob = blob;
            zeroize::Zeroize::zeroize(&mut blob);
            self.sync()?;
            for &b in &body.meta_blocks {
                self.blocks.mark(b as u64);
            }
            self.compartments[i].copies[copy] =
                Some(CopyState { meta_key: body.meta_key, meta_blocks: body.meta_blocks });
        }
        let mut to_scrub: Vec<u64> = Vec::new();
        for s in &stale {
            for &b in &s.meta_blocks {
                if !self.blocks.is_used(b as u64) && self.block_authenticates(&s.meta_key, b as u64) {
                    to_scrub.push(b as u64);
                }
            }
            for item in &s.items {
                for b in item.blocks() {
                    if !self.blocks.is_used(b) && self.block_authenticates(&item.key, b) {
                        to_scrub.push(b);
                    }
                }
            }
        }
        for item in self.compartments[i].items.iter().filter(|it| it.erasing) {
            for b in item.blocks() {
                if !self.foreign.contains(&b) && self.block_authenticates(&item.key, b) {
                    to_scrub.push(b);
                }
            }
        }
        if !to_scrub.is_empty() {
            self.scrub_blocks(&to_scrub)?;
            self.sync()?;
        }
        let meta_len = self.index_blob(i).len() as u32;
        let comp = &self.compartments[i];
        let good = comp.copies.iter().position(|c| c.is_some()).expect("a loaded copy");
        let damaged = comp.copies.iter().position(|c| c.is_none());
        if let Some(copy) = damaged.or(if stale.is_empty() { None } else { Some(1 - good) }) {
            let (meta_key, meta_blocks) = {
                let g = comp.copies[good].as_ref().expect("good copy");
                (g.meta_key.clone(), g.meta_blocks.clone())
            };
            let body = SlotBody {
                epoch: comp.epoch,
                lower_slot_key: comp.lower_slot_key.clone(),
                meta_key: meta_key.clone(),
                meta_len,
                meta_blocks: meta_blocks.clone(),
            };
            let (level, slot_key) = (comp.level, comp.slot_key.clone());
            self.write_slot(level, copy, &slot_key, &body)?;
            self.sync()?;
            self.compartments[i].copies[copy] = Some(CopyState { meta_key, meta_blocks });
        }
        if self.compartments[i].items.iter().any(|it| it.erasing) {
            self.drop_erasing_entries_in_place(i)?;
        }
        Ok(())
    }

    /// Drops the entries of erases a crash interrupted (their blocks are overwritten already)
    /// by rewriting each index copy in place, at its own blocks under its own key, and then
    /// its header with the next epoch, copy A then copy B. Allocates nothing, so it is safe
    /// when only a decoy is open.
    fn drop_erasing_entries_in_place(&mut self, i: usize) -> Result<()> {
        let items = std::mem::take(&mut self.compartments[i].items);
        let (gone, kept): (Vec<ItemEntry>, Vec<ItemEntry>) = items.into_iter().partition(|it| it.erasing);
        self.compartments[i].items = kept;
        let blob = LockedBuf::from_slice(&self.index_blob(i));
        let n = meta::blocks_for(blob.len() as u64) as usize;
        let (level, epoch) = (self.compartments[i].level, self.compartments[i].epoch + 1);
        let slot_key = self.compartments[i].slot_key.clone();
        let lower = self.compartments[i].lower_slot_key.clone();
        for copy in 0..2 {
            let Some(state) = self.compartments[i].copies[copy].as_ref() else { continue };
            let (key, blocks) = (state.meta_key.clone(), state.meta_blocks.clone());
            let (keep, dropped) = blocks.split_at(n.min(blocks.len()));
            self.write_index_blocks(&key, keep, blob.as_slice())?;
            self.sync()?;
            let body = SlotBody {
                epoch,
                lower_slot_key: lower.clone(),
                meta_key: key,
                meta_len: blob.len() as u32,
                meta_blocks: keep.to_vec(),
            };
            self.write_slot(level, copy, &slot_key, &body)?;
            self.sync()?;
            let dropped: Vec<u64> = dropped.iter().map(|&b| b as u64).collect();
            let other_keeps = self.compartments[i].copies[1 - copy]
                .as_ref()
                .map(|c| c.meta_blocks.iter().take(n).map(|&b| b as u64).collect::<Vec<_>>())
                .unwrap_or_default();
            let dropped: Vec<u64> = dropped.into_iter().filter(|b| !other_keeps.contains(b)).collect();
            self.scrub_blocks(&dropped)?;
            self.sync()?;
            for b in dropped {
                self.blocks.release(b);
            }
            if let Some(c) = self.compartments[i].copies[copy].as_mut() {
                c.meta_blocks = keep.to_vec();
            }
        }
        self.compartments[i].epoch = epoch;
        for item in &gone {
            for b in item.blocks() {
                if !self.foreign.contains(&b) {
                    self.blocks.release(b);
                }
            }
        }
        Ok(())
    }

    /// Seals `blob` (zero-padded) into `blocks` under `key` and writes them (not synced).
    fn write_index_blocks(&mut self, key: &Key, blocks: &[u32], blob: &[u8]) -> Result<()> {
        let mut block = LockedBuf::new(BLOCK_SIZE);
        for (n, &b) in blocks.iter().enumerate() {
            let start = (n * BLOCK_PAYLOAD).min(blob.len());
            let end = (start + BLOCK_PAYLOAD).min(blob.len());
            let buf = block.as_mut_slice();
            buf.fill(0);
            buf[NONCE_LEN..NONCE_LEN + end - start].copy_from_slice(&blob[start..end]);
            seal_in_place(key, &block_aad(b as u64), buf);
            self.storage.write_at(block_offset(b as u64), block.as_slice()).map_err(Error::io("writing the index"))?;
        }
        Ok(())
    }

    /// Seals and writes one header slot copy (not synced).
    fn write_slot(&mut self, level: usize, copy: usize, slot_key: &Key, body: &SlotBody) -> Result<()> {
        let mut slot = LockedBuf::new(BLOCK_SIZE);
        let mut plain = [0u8; BLOCK_PAYLOAD];
        body.encode_version(self.version, &mut plain)?;
        slot.as_mut_slice()[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD].copy_from_slice(&plain);
        plain.fill(0);
        seal_in_place(slot_key, &slot_aad(level, copy), slot.as_mut_slice());
        self.storage
            .write_at(block_offset(slot_block(level, copy)), slot.as_slice())
            .map_err(Error::io("writing the header"))
    }

    fn block_authenticates(&self, key: &Key, b: u64) -> bool {
        if b < FIRST_DATA_BLOCK || b >= self.block_count {
            return false;
        }
        let mut block = [0u8; BLOCK_SIZE];
        if self.storage.read_at(block_offset(b), &mut block).is_err() {
            return false;
        }
        let ok = open_in_place(key, &block_aad(b), &mut block);
        block.fill(0);
        ok
    }

    fn top(&self) -> &Compartment {
        self.compartments.last().expect("an open vault has a compartment")
    }

    fn top_mut(&mut self) -> &mut Compartment {
        self.compartments.last_mut().expect("an open vault has a compartment")
    }

    /// Level of the compartment the passphrase opened (0 = the first one made by `init`).
    pub fn level(&self) -> usize {
        self.top().level
    }

    /// Runs `f` with compartment `level`, one of those below the open one, as the open
    /// compartment (list, read, add, replace, remove and commits apply to it), then makes the
    /// compartment the passphrase opened the open one again. The compartments above `level`
    /// stay open meanwhile: their blocks stay taken, their item ids reserved, and in format 2
    /// a level above 0 writes only in this session's cover set, level 0 exactly as when its own
    /// passphrase opened it. The remit layer runs a lower compartment's retention with it,
    /// so that the decoy's history after a hidden session is what a decoy open leaves
    /// (docs/FORMAT.md, version 2, "Limits"). Not nested: `Err(NoFreeCompartment)` inside
    /// another `with_lower`, or when `level` is not below the open compartment.
    pub fn with_lower<T>(&mut self, level: usize, f: impl FnOnce(&mut Self) -> T) -> Result<T> {
        if level >= self.level() || !self.stashed.is_empty() {
            return Err(Error::NoFreeCompartment);
        }
        self.stashed = self.compartments.split_off(level + 1);
        let out = f(self);
        let mut above = std::mem::take(&mut self.stashed);
        self.compartments.append(&mut above);
        Ok(out)
    }

    /// Items of the open compartment (not of the lower ones), oldest first.
    pub fn list(&self) -> Vec<ItemInfo> {
        let mut v: Vec<ItemInfo> = self
            .top()
            .items
            .iter()
            .filter(|it| !it.erasing && !it.partial)
            .map(|it| ItemInfo {
                id: ItemId(it.id),
                kind: it.kind,
                name: it.name.clone(),
                size: it.size,
                created_unix: it.created_unix,
            })
            .collect();
        v.sort_by_key(|i| (i.created_unix, i.id));
        v
    }

    /// Free space for item content, in bytes.
    pub fn free_bytes(&self) -> u64 {
        // Version 2 above level 0: the decoy's figure (free blocks and noise), so that a hidden
        // compartment's screen shows what the decoy's shows; what a hidden write may really
        // take is checked against `available_blocks` before anything is written.
        let blocks = if self.hidden_v2() {
            self.blocks.free + self.compartments[0].noise.len() as u64
        } else {
            self.available_blocks()
        };
        blocks * BLOCK_PAYLOAD as u64
    }

    /// Total bytes of the container.
    pub fn container_len(&self) -> u64 {
        self.block_count * BLOCK_SIZE as u64
    }

    fn find(&self, id: ItemId) -> Result<&ItemEntry> {
        self.top()
            .items
            .iter()
            .find(|it| it.id == id.0 && !it.erasing && !it.partial)
            .ok_or_else(|| Error::NoSuchItem(id.to_string()))
    }

    /// An item of the open compartment, complete or partial (not one being erased).
    fn find_any(&self, id: ItemId) -> Result<&ItemEntry> {
        self.top().items.iter().find(|it| it.id == id.0 && !it.erasing).ok_or_else(|| Error::NoSuchItem(id.to_string()))
    }

    pub fn info(&self, id: ItemId) -> Result<ItemInfo> {
        let it = self.find(id)?;
        Ok(ItemInfo { id, kind: it.kind, name: it.name.clone(), size: it.size, created_unix: it.created_unix })
    }

    fn new_id(&self) -> u32 {
        loop {
            let id = random_u32();
            if id != 0 && !self.compartments.iter().chain(&self.stashed).any(|c| c.items.iter().any(|it| it.id == id)) {
                return id;
            }
        }
    }

    /// Blocks the index would need after adding an entry for an item of `extra_extents`.
    fn index_blocks_needed(&self, extra_items: usize, extra_extents: usize, extra_name: usize) -> u64 {
        let current = self.index_blob(self.compartments.len() - 1).len();
        let more = extra_items * 58 + extra_extents * 8 + extra_name;
        meta::blocks_for((current + more) as u64)
    }

    /// Adds an item from memory. Returns its id.
    pub fn add(&mut self, kind: ItemKind, name: &str, content: &[u8]) -> Result<ItemId> {
        let mut reader = content;
        self.add_from_reader(kind, name, &mut reader, Some(content.len() as u64), &mut |_| {})
    }

    /// Adds an item read from `source`. With `size_hint` (exact length, e.g. a file's), the
    /// space is checked before anything is written; without one (a pipe), blocks are taken
    /// as data arrives and, if the container fills up, everything written is overwritten
    /// again and `Full` returned. `progress` gets the bytes stored so far.
    pub fn add_from_reader(
        &mut self,
        kind: ItemKind,
        name: &str,
        source: &mut dyn Read,
        size_hint: Option<u64>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ItemId> {
        self.add_inner(kind, name, source, size_hint, progress, None)
    }

    /// Adds an item with a given id and creation time (used by migration, which keeps both:
    /// records of the remit layer refer to items by id). Refused if the id is in use.
    pub fn import_item(&mut self, info: &ItemInfo, content: &[u8]) -> Result<()> {
        if info.id.0 == 0
            || self.compartments.iter().chain(&self.stashed).any(|c| c.items.iter().any(|it| it.id == info.id.0))
        {
            return Err(Error::TooLarge("the item id (already in use in this container)"));
        }
        let mut reader = content;
        let size = Some(content.len() as u64);
        self.add_inner(info.kind, &info.name, &mut reader, size, &mut |_| {}, Some((info.id.0, info.created_unix)))?;
        Ok(())
    }

    fn add_inner(
        &mut self,
        kind: ItemKind,
        name: &str,
        source: &mut dyn Read,
        size_hint: Option<u64>,
        progress: &mut dyn FnMut(u64),
        id_and_time: Option<(u32, u64)>,
    ) -> Result<ItemId> {
        if name.len() > MAX_NAME_LEN {
            return Err(Error::TooLarge("the name (at most 255 bytes)"));
        }
        self.flush_pending_erases()?;
        if let Some(size) = size_hint {
            let data_blocks = meta::blocks_for(size);
            // Extents per item are at most the data blocks; assume a few for the estimate
            // (in a session's cover set, blocks are scattered: one extent each).
            let extents = if self.hidden_v2() { data_blocks as usize } else { 4 };
            let index_blocks = self.index_blocks_needed(1, extents, name.len());
            // Twice two index copies: one commit for this add, and room kept so that a later
            // erase can always commit even when the container is otherwise full.
            // Version 2 above level 0: this commit only (a later erase has its own session).
            let needed = if self.hidden_v2() {
                self.blocks_needed(data_blocks, index_blocks)
            } else {
                data_blocks + 4 * index_blocks
            };
            if needed > self.available_blocks() {
                return Err(self.full_error(needed));
            }
        }
        let key = Key::random();
        let mut extents: Vec<Extent> = Vec::new();
        let written = self.write_content(&key, source, size_hint, &mut extents, progress);
        let size = match written {
            Ok(size) => size,
            Err(e) => {
                self.discard_blocks(&extents);
                return Err(e);
            }
        };
        if size_hint.is_none() {
            // Same reserve as for a known size: room for this commit and a later erase.
            let reserve = if self.hidden_v2() { 2 } else { 4 } * self.index_blocks_needed(1, extents.len(), name.len());
            if self.available_blocks() < reserve {
                let used = meta::blocks_for(size);
                self.discard_blocks(&extents);
                return Err(Error::Full {
                    needed: (used + reserve) * BLOCK_PAYLOAD as u64,
                    available: self.free_bytes(),
                });
            }
        }
        let (id, created_unix) = id_and_time.unwrap_or_else(|| (self.new_id(), now_unix()));
        self.top_mut().items.push(ItemEntry {
            id,
            kind,
            name: name.to_owned(),
            created_unix,
            size,
            key,
            extents: extents.clone(),
            erasing: false,
            partial: false,
        });
        if let Err(e) = self.sync().and_then(|_| self.commit_top(&mut Vec::new())) {
            if self.needs_reopen {
                // The new state may be durable already: rolling back could destroy it.
                return Err(e);
            }
            self.top_mut().items.retain(|it| it.id != id);
            self.discard_blocks(&extents);
            return Err(e);
        }
        Ok(ItemId(id))
    }

    /// Items of the open compartment that are being written across sessions (see
    /// [`Vault::add_across_sessions`]); oldest first.
    pub fn partial_items(&self) -> Vec<PartialInfo> {
        let mut v: Vec<PartialInfo> = self
            .top()
            .items
            .iter()
            .filter(|it| it.partial && !it.erasing)
            .map(|it| PartialInfo {
                id: ItemId(it.id),
                kind: it.kind,
                name: it.name.clone(),
                size: it.size,
                written: it.block_count() * BLOCK_PAYLOAD as u64,
                created_unix: it.created_unix,
            })
            .collect();
        v.sort_by_key(|i| (i.created_unix, i.id));
        v
    }

    /// Adds an item of `size` bytes read from `source`, over as many as `max_sessions`
    /// sessions, this one included (docs/FORMAT.md, version 2, tension 3). In a compartment
    /// above level 0 of a format version 2 container, each session takes as much of the item
    /// as its cover set holds and commits it as a partial item; when more is left and
    /// `max_sessions` allows, the vault starts the next session itself ([`Vault::new_session`]:
    /// the same writes as closing and opening the container) and goes on. Returns
    /// [`Stored::Done`] when the item is complete, or [`Stored::Continues`] when
    /// `max_sessions` ran out first: then continue with [`Vault::resume_add`] in a later
    /// session. Anywhere else (level 0, format version 1) it is [`Vault::add_from_reader`].
    /// `progress` gets the bytes of the item stored so far.
    pub fn add_across_sessions(
        &mut self,
        kind: ItemKind,
        name: &str,
        source: &mut dyn Read,
        size: u64,
        max_sessions: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Stored> {
        self.start_across_sessions(kind, name, source, size, max_sessions, progress, None)
    }

    /// [`Vault::import_item`] over as many as `max_sessions` sessions (for migration): keeps the
    /// item's id and creation time.
    pub fn import_item_across_sessions(
        &mut self,
        info: &ItemInfo,
        content: &[u8],
        max_sessions: usize,
    ) -> Result<Stored> {
        if info.id.0 == 0
            || self.compartments.iter().chain(&self.stashed).any(|c| c.items.iter().any(|it| it.id == info.id.0))
        {
            return Err(Error::TooLarge("the item id (already in use in this container)"));
        }
        let mut reader = content;
        let size = content.len() as u64;
        let (kind, name) = (info.kind, info.name.clone());
        self.start_across_sessions(
            kind,
            &name,
            &mut reader,
            size,
            max_sessions,
            &mut |_| {},
            Some((info.id.0, info.created_unix)),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn start_across_sessions(
        &mut self,
        kind: ItemKind,
        name: &str,
        source: &mut dyn Read,
        size: u64,
        max_sessions: usize,
        progress: &mut dyn FnMut(u64),
        id_and_time: Option<(u32, u64)>,
    ) -> Result<Stored> {
        if !self.hidden_v2() {
            return self.add_inner(kind, name, source, Some(size), progress, id_and_time).map(Stored::Done);
        }
        if name.len() > MAX_NAME_LEN {
            return Err(Error::TooLarge("the name (at most 255 bytes)"));
        }
        self.flush_pending_erases()?;
        let (id, created_unix) = id_and_time.unwrap_or_else(|| (self.new_id(), now_unix()));
        self.top_mut().items.push(ItemEntry {
            id,
            kind,
            name: name.to_owned(),
            created_unix,
            size,
            key: Key::random(),
            extents: Vec::new(),
            erasing: false,
            partial: true,
        });
        self.continue_across_sessions(ItemId(id), source, max_sessions, progress, false)
    }

    /// Continues an item that [`Vault::add_across_sessions`] left partial: `source` must yield
    /// the item's bytes from [`PartialInfo::written`] on. Same sessions and result as there.
    pub fn resume_add(
        &mut self,
        id: ItemId,
        source: &mut dyn Read,
        max_sessions: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Stored> {
        self.flush_pending_erases()?;
        if !self.top().items.iter().any(|it| it.id == id.0 && it.partial && !it.erasing) {
            return Err(Error::NoSuchItem(id.to_string()));
        }
        self.continue_across_sessions(id, source, max_sessions, progress, true)
    }

    /// The session loop of an item written across sessions; the entry is in the top
    /// compartment's items (committed already if `committed`).
    fn continue_across_sessions(
        &mut self,
        id: ItemId,
        source: &mut dyn Read,
        max_sessions: usize,
        progress: &mut dyn FnMut(u64),
        mut committed: bool,
    ) -> Result<Stored> {
        let mut sessions = 1usize;
        loop {
            let wrote = match self.write_part(id, source, progress, committed) {
                Ok(w) => w,
                Err(e) => {
                    if !committed && !self.needs_reopen {
                        self.top_mut().items.retain(|it| it.id != id.0);
                    }
                    return Err(e);
                }
            };
            if wrote.is_some() {
                committed = true;
            }
            let it = self.top().items.iter().find(|it| it.id == id.0).expect("the entry stays until erased");
            if !it.partial {
                return Ok(Stored::Done(id));
            }
            let (written, size) = (it.block_count() * BLOCK_PAYLOAD as u64, it.size);
            let fresh_and_stuck = sessions > 1 && wrote.unwrap_or(0) == 0;
            if sessions >= max_sessions.max(1) || fresh_and_stuck {
                if !committed {
                    self.top_mut().items.retain(|it| it.id != id.0);
                    return Err(Error::SessionFull { available: self.free_bytes() });
                }
                if fresh_and_stuck {
                    // A whole session cannot take one more block (the compartment's index fills
                    // it): this item cannot be finished here.
                    return Err(Error::TooLarge("the item (a hidden compartment's index fills a whole session)"));
                }
                return Ok(Stored::Continues { id, written, size });
            }
            self.new_session()?;
            sessions += 1;
        }
    }

    /// Writes as many further blocks of the partial item `id` as this session's cover set holds
    /// (keeping room for the commit) and commits. `None`: not even the commit fits, nothing
    /// written; `Some(n)`: `n` blocks written and committed (for a new entry, possibly 0).
    fn write_part(
        &mut self,
        id: ItemId,
        source: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
        committed: bool,
    ) -> Result<Option<u64>> {
        let i = self.compartments.len() - 1;
        let pos = self.compartments[i].items.iter().position(|it| it.id == id.0).expect("entry present");
        let (have, size, key) = {
            let it = &self.compartments[i].items[pos];
            (it.block_count(), it.size, it.key.clone())
        };
        let remaining = meta::blocks_for(size).saturating_sub(have);
        // n blocks need n + 2 headers + 2 index copies, each index with up to n more extents.
        let current = self.index_blob(i).len() as u64;
        let pool = self.pool.len() as u64;
        let fits = |n: u64| n + 2 + 2 * meta::blocks_for(current + 8 * n) <= pool;
        if !fits(0) {
            return Ok(None);
        }
        let mut n = remaining.min(pool);
        while n > 0 && !fits(n) {
            n -= 1;
        }
        if n == 0 && committed && remaining > 0 {
            return Ok(Some(0));
        }
        let offset = have * BLOCK_PAYLOAD as u64;
        let bytes = (n * BLOCK_PAYLOAD as u64).min(size - offset);
        let mut new_extents = Vec::new();
        let mut part = source.take(bytes);
        let written = self.write_content(&key, &mut part, Some(bytes), &mut new_extents, &mut |d| progress(offset + d));
        if let Err(e) = written {
            self.discard_blocks(&new_extents);
            return Err(e);
        }

        {
            let it = &mut self.compartments[i].items[pos];
            for e in &new_extents {
                push_extent(&mut it.extents, *e);
            }
            it.partial = have + n < meta::blocks_for(size);
        }
        if let Err(e) = self.sync().and_then(|_| self.commit_top(&mut Vec::new())) {
            if self.needs_reopen {
                // The new state may be durable already: rolling back could destroy it.
                return Err(e);
            }
            let it = &mut self.compartments[i].items[pos];
            // Merging may have grown the last old extent: rebuild the old list from the blocks.
            let old: Vec<u64> = it.blocks().take(have as usize).collect();
            it.extents.clear();
            for b in old {
                push_extent(&mut it.extents, Extent { first: b as u32, len: 1 });
            }
            it.partial = true;
            self.discard_blocks(&new_extents);
            return Err(e);
        }
        Ok(Some(n))
    }

    /// Releases blocks of a failed add and overwrites them (best effort).
    fn discard_blocks(&mut self, extents: &[Extent]) {
        let blocks: Vec<u64> = extents.iter().flat_map(|e| e.blocks()).collect();
        let _ = self.scrub_blocks(&blocks);
        let _ = self.sync();
        for b in blocks {
            self.release_block(b);
        }
    }

    /// Encrypts `source` into newly allocated blocks, appending them to `extents`. A large
    /// item goes through a pipeline of a few runs (see [`crate::pipeline`]): this thread reads
    /// runs and writes them once sealed, worker threads seal them meanwhile.
    fn write_content(
        &mut self,
        key: &Key,
        source: &mut dyn Read,
        size_hint: Option<u64>,
        extents: &mut Vec<Extent>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64> {
        // A small item needs no megabyte of locked buffers, nor threads.
        let (workers, depth) = match size_hint {
            Some(h) if meta::blocks_for(h) as usize <= PIPE_RUN_BLOCKS => (0, 1),
            _ => pipeline_shape(),
        };
        let full = pipe_run_blocks(depth);
        let run_blocks = size_hint.map(|h| (meta::blocks_for(h) as usize).clamp(1, full)).unwrap_or(full);
        let pool = (0..depth).map(|_| SealRun::new(run_blocks)).collect();
        let mut cx = ImportCx { vault: self, source, size_hint, extents, progress, read: 0, written: 0, eof: false };
        pipeline::run(
            &mut cx,
            pool,
            workers,
            ImportCx::fill,
            |run| {
                run.seal(key);
                Ok(())
            },
            ImportCx::drain,
        )?;
        if let Some(hint) = size_hint
            && cx.read != hint
        {
            return Err(Error::Io {
                context: "the input changed size while it was being read",
                source: std::io::Error::other("size changed"),
            });
        }
        Ok(cx.read)
    }

    /// Reads a whole item into locked memory.
    pub fn read(&self, id: ItemId) -> Result<LockedBuf> {
        let size = self.find(id)?.size;
        let mut out = LockedBuf::new(size as usize);
        let mut pos = 0usize;
        self.read_blocks(id, &mut |chunk| {
            out.as_mut_slice()[pos..pos + chunk.len()].copy_from_slice(chunk);
            pos += chunk.len();
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams an item's content to `sink`, block by block, in bounded memory.
    pub fn read_to(&self, id: ItemId, sink: &mut dyn Write, progress: &mut dyn FnMut(u64)) -> Result<()> {
        let mut done = 0u64;
        self.read_blocks(id, &mut |chunk| {
            sink.write_all(chunk).map_err(Error::io("writing the output"))?;
            done += chunk.len() as u64;
            progress(done);
            Ok(())
        })?;
        sink.flush().map_err(Error::io("writing the output"))
    }

    /// Decrypts an item run by run and hands `each` the plaintext of a whole run at a time,
    /// in order. A large item goes through a pipeline as in [`Vault::write_content`]: this
    /// thread reads runs and hands them out once opened, worker threads open them meanwhile.
    fn read_blocks(&self, id: ItemId, each: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let item = self.find(id)?;
        let blocks = item.block_count() as usize;
        let (workers, depth) = if blocks > PIPE_RUN_BLOCKS { pipeline_shape() } else { (0, 1) };
        let run_blocks = blocks.clamp(1, pipe_run_blocks(depth));
        let mut runs = Vec::new();
        for e in &item.extents {
            let mut done = 0u64;
            while done < e.len as u64 {
                let count = ((e.len as u64 - done) as usize).min(run_blocks);
                runs.push((e.first as u64 + done, count));
                done += count as u64;
            }
        }
        let pool =
            (0..depth).map(|_| OpenRun { buf: LockedBuf::new(run_blocks * BLOCK_SIZE), first: 0, count: 0 }).collect();
        let mut cx = (runs.into_iter(), item.size);
        let key = &item.key;
        pipeline::run(
            &mut cx,
            pool,
            workers,
            |(runs, _), run: &mut OpenRun| {
                let Some((first, count)) = runs.next() else {
                    return Ok(false);
                };
                (run.first, run.count) = (first, count);
                let buf = &mut run.buf.as_mut_slice()[..count * BLOCK_SIZE];
                self.storage.read_at(block_offset(first), buf).map_err(Error::io("reading the container"))?;
                Ok(true)
            },
            |run| {
                let buf = &mut run.buf.as_mut_slice()[..run.count * BLOCK_SIZE];
                if open_blocks(key, run.first, buf) { Ok(()) } else { Err(Error::ItemDamaged(id.to_string())) }
            },
            |(_, remaining), run| {
                // Move the payloads together, in place, so the caller gets one slice.
                let buf = run.buf.as_mut_slice();
                let mut out_len = 0usize;
                for k in 0..run.count {
                    let take = (*remaining).min(BLOCK_PAYLOAD as u64) as usize;
                    let src = k * BLOCK_SIZE + NONCE_LEN;
                    buf.copy_within(src..src + take, out_len);
                    out_len += take;
                    *remaining -= take as u64;
                }
                each(&buf[..out_len])
            },
        )
    }

    /// Crypto-erases one item: its key leaves the index and every one of its blocks is
    /// overwritten in place with fresh random bytes, synced, before this returns.
    ///
    /// Two commits: the first marks the item as being erased (so a crash after it finishes
    /// the erase on next open), then the blocks are overwritten, then the entry (with the
    /// item's key) is dropped and the old index copies are overwritten too.
    pub fn remove(&mut self, id: ItemId) -> Result<()> {
        self.find_any(id)?;
        self.flush_pending_erases()?;
        for it in self.top_mut().items.iter_mut() {
            if it.id == id.0 {
                it.erasing = true;
            }
        }
        if let Err(e) = self.commit_top(&mut Vec::new()) {
            if self.needs_reopen {
                // The new state may be durable already: rolling back could destroy it.
                return Err(e);
            }
            for it in self.top_mut().items.iter_mut() {
                if it.id == id.0 {
                    it.erasing = false;
                }
            }
            return Err(e);
        }
        self.finish_erase(id)
    }

    /// Drops entries of erases that a crash interrupted (their blocks were overwritten when
    /// the compartment was opened) with one commit. Called before any change to the top
    /// compartment, never by a bare open.
    fn flush_pending_erases(&mut self) -> Result<()> {
        self.check_writable()?;
        if !self.top().items.iter().any(|it| it.erasing) {
            return Ok(());
        }
        let (gone, kept): (Vec<ItemEntry>, Vec<ItemEntry>) =
            std::mem::take(&mut self.top_mut().items).into_iter().partition(|it| it.erasing);
        self.top_mut().items = kept;
        let mut release: Vec<u64> = gone.iter().flat_map(|it| it.blocks()).collect();
        if let Err(e) = self.commit_top(&mut release) {
            if self.needs_reopen {
                // The new state may be durable already: rolling back could destroy it.
                return Err(e);
            }
            self.top_mut().items.extend(gone);
            return Err(e);
        }
        Ok(())
    }

    fn finish_erase(&mut self, id: ItemId) -> Result<()> {
        let Some(pos) = self.top().items.iter().position(|it| it.id == id.0) else {
            return Ok(());
        };
        let blocks: Vec<u64> = self.top().items[pos].blocks().filter(|b| !self.foreign.contains(b)).collect();
        self.scrub_blocks(&blocks)?;
        self.sync()?;
        let removed = self.top_mut().items.remove(pos);
        // The blocks stay marked used until the commit is durable, then are released.
        let mut release = blocks;
        if let Err(e) = self.commit_top(&mut release) {
            if self.needs_reopen {
                // The new state may be durable already: rolling back could destroy it.
                return Err(e);
            }
            self.top_mut().items.insert(pos, removed);
            return Err(e);
        }
        drop(removed);
        Ok(())
    }

    /// Replaces an item's content (same id, kind and name; new key and new blocks); the old
    /// blocks are overwritten after the switch.
    pub fn replace(&mut self, id: ItemId, content: &[u8]) -> Result<()> {
        self.flush_pending_erases()?;
        let old = self.find(id)?;
        let old_blocks: Vec<u64> = old.blocks().filter(|b| !self.foreign.contains(b)).collect();
        let data_blocks = meta::blocks_for(content.len() as u64);
        let extents = if self.hidden_v2() { data_blocks as usize } else { 4 };
        let needed = self.blocks_needed(data_blocks, self.index_blocks_needed(0, extents, 0));
        if needed > self.available_blocks() {
            return Err(self.full_error(needed));
        }
        let key = Key::random();
        let mut extents = Vec::new();
        let mut reader = content;
        if let Err(e) = self.write_content(&key, &mut reader, Some(content.len() as u64), &mut extents, &mut |_| {}) {
            self.discard_blocks(&extents);
            return Err(e);
        }
        self.sync()?;
        let pos = self.top().items.iter().position(|it| it.id == id.0).expect("found above");
        let (old_key, old_extents, old_size) = {
            let it = &mut self.top_mut().items[pos];
            let old_key = std::mem::replace(&mut it.key, key);
            let old_extents = std::mem::replace(&mut it.extents, extents.clone());
            let old_size = std::mem::replace(&mut it.size, content.len() as u64);
            (old_key, old_extents, old_size)
        };
        let mut release = old_blocks.clone();
        if let Err(e) = self.commit_top(&mut release) {
            if self.needs_reopen {
                // The new state may be durable already: rolling back could destroy it.
                return Err(e);
            }
            let it = &mut self.top_mut().items[pos];
            it.key = old_key;
            it.extents = old_extents;
            it.size = old_size;
            self.discard_blocks(&extents);
            return Err(e);
        }
        Ok(())
    }

    /// Makes a new compartment one level above the open one, opened by `new_passphrase`.
    /// A compartment that already existed at that level (unknown to this passphrase) is
    /// overwritten in format 1 (its fixed header slots are rewritten); in format 2 it keeps
    /// its link and still opens, but its blocks are noise to this passphrase and are taken
    /// back by later sessions once no free block is left. Open the highest compartment you
    /// have before hiding a new one.
    pub fn hide(&mut self, new_passphrase: &Passphrase, params: KdfParams) -> Result<usize> {
        if new_passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        let level = self.level() + 1;
        if level >= SLOT_COUNT {
            return Err(Error::NoFreeCompartment);
        }
        self.flush_pending_erases()?;
        if self.version == 2 {
            return self.hide_v2(new_passphrase, params, level);
        }
        let master = derive_master_key(new_passphrase.as_bytes(), &self.salt, params);
        let keys = slot_keys(&master);
        let slots = read_all_slots(&self.storage)?;
        for (l, key) in keys.iter().enumerate() {
            for (copy, sealed) in slots[l].iter().enumerate() {
                if try_open_slot(sealed, key, l, copy).is_some() {
                    return Err(Error::PassphraseAlreadyUsed);
                }
            }
        }
        let needed = 2 * self.index_blocks_needed(0, 0, 0);
        if needed > self.available_blocks() {
            return Err(Error::Full { needed: needed * BLOCK_PAYLOAD as u64, available: self.free_bytes() });
        }
        write_salt_backups(&mut self.storage, level, &self.salt, &master, new_passphrase, params)?;
        let lower = self.top().slot_key.clone();
        self.push_new_compartment(level, keys[level].clone(), lower)
    }

    /// The last step of `hide` (both versions): the new, empty compartment `level` goes on top
    /// of the open ones and its first commit is made. If that commit fails before anything may
    /// be durable, the compartment is taken off again.
    fn push_new_compartment(&mut self, level: usize, slot_key: Key, lower: Key) -> Result<usize> {
        self.compartments.push(Compartment {
            level,
            slot_key,
            lower_slot_key: Some(lower),
            epoch: 0,
            copies: [None, None],
            items: Vec::new(),
            noise: Vec::new(),
            header_blocks: [None, None],
        });
        if let Err(e) = self.commit_top(&mut Vec::new()) {
            // Once a header may be durable (needs_reopen), rolling back could destroy it.
            if !self.needs_reopen {
                self.compartments.pop();
            }
            return Err(e);
        }
        Ok(level)
    }

    fn check_writable(&self) -> Result<()> {
        if self.needs_reopen {
            return Err(Error::Io {
                context: "an earlier write to the container failed; close lethe and open the container again",
                source: std::io::Error::other("reopen needed"),
            });
        }
        Ok(())
    }

    fn sync(&mut self) -> Result<()> {
        self.storage.sync().map_err(Error::io("syncing the container"))
    }

    /// Overwrites blocks with fresh random bytes (not synced).
    fn scrub_blocks(&mut self, blocks: &[u64]) -> Result<()> {
        let mut noise = vec![0u8; BLOCK_SIZE];
        for &b in blocks {
            if b < FIRST_DATA_BLOCK || b >= self.block_count {
                continue;
            }
            if self.noise_set.contains(&b) && !self.session.contains(&b) {
                // Version 2: noise of an earlier session is never written again (a decoy
                // session would not write it).
                continue;
            }
            fill_random(&mut noise);
            self.storage.write_at(block_offset(b), &noise).map_err(Error::io("overwriting freed blocks"))?;
        }
        Ok(())
    }

    /// Writes the top compartment's index (both copies, fresh keys), then both header copies,
    /// then overwrites the old index blocks and `release_after` (blocks of removed items,
    /// already overwritten) and frees them.
    fn commit_top(&mut self, release_after: &mut Vec<u64>) -> Result<()> {
        if self.hidden_v2() {
            return self.commit_hidden(release_after);
        }
        self.commit_fixed(self.compartments.len() - 1, release_after)
    }

    /// Commit of compartment `i` whose header lives in the fixed slots (every level of a
    /// version 1 container; level 0 of a version 2 one).
    fn commit_fixed(&mut self, i: usize, release_after: &mut Vec<u64>) -> Result<()> {
        if self.version == 2 && i == 0 {
            // Any oldest noise the new index copies take leaves the noise list before the list
            // is encoded: a list that named the index's own blocks as noise would hand them to
            // a later session to overwrite.
            let n = meta::blocks_for(self.index_blob(i).len() as u64);
            while self.blocks.free < 2 * n && !self.compartments[0].noise.is_empty() {
                let b = self.compartments[0].noise.remove(0) as u64;
                self.noise_set.remove(&b);
                self.blocks.release(b);
            }
        }
        let blob = {
            let encoded = self.index_blob(i);
            let b = LockedBuf::from_slice(&encoded);
            let mut encoded = encoded;
            zeroize::Zeroize::zeroize(&mut encoded);
            b
        };
        let nblocks = meta::blocks_for(blob.len() as u64);
        if nblocks as usize > MAX_META_BLOCKS {
            return Err(Error::TooLarge("the compartment index (too many items)"));
        }
        if 2 * nblocks > self.blocks.free + self.compartments[0].noise.len() as u64 {
            return Err(Error::Full { needed: 2 * nblocks * BLOCK_PAYLOAD as u64, available: self.free_bytes() });
        }
        // 1. Both new index copies.
        let mut new_copies: Vec<CopyState> = Vec::with_capacity(2);
        for _ in 0..2 {
            let key = Key::random();
            let Some(extents) = self.alloc_fixed(nblocks) else {
                return Err(Error::Full { needed: 2 * nblocks * BLOCK_PAYLOAD as u64, available: self.free_bytes() });
            };
            let blocks: Vec<u32> = extents.iter().flat_map(|e| e.blocks()).map(|b| b as u32).collect();
            let mut block = [0u8; BLOCK_SIZE];
            for (i, &b) in blocks.iter().enumerate() {
                let start = i * BLOCK_PAYLOAD;
                let end = (start + BLOCK_PAYLOAD).min(blob.len());
                let body = &mut block[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD];
                body.fill(0);
                body[..end - start].copy_from_slice(&blob.as_slice()[start..end]);
                seal_in_place(&key, &block_aad(b as u64), &mut block);
                if let Err(e) = self.storage.write_at(block_offset(b as u64), &block) {
                    for c in new_copies.iter().map(|c| &c.meta_blocks).chain([&blocks]) {
                        for &b in c {
                            self.blocks.release(b as u64);
                        }
                    }
                    return Err(Error::io("writing the index")(e));
                }
            }
            block.fill(0);
            new_copies.push(CopyState { meta_key: key, meta_blocks: blocks });
        }
        let release_new = |this: &mut Self, copies: &[CopyState]| {
            for c in copies {
                for &b in &c.meta_blocks {
                    this.blocks.release(b as u64);
                }
            }
        };
        if let Err(e) = self.sync() {
            release_new(self, &new_copies);
            return Err(e);
        }
        // 2. Header copy A, then B. From the first header write on, the new state may be on
        // disk: a failure leaves the vault needing a reopen (whose repair decides which copy
        // is current) and callers must not roll back what may already be durable.
        let epoch = self.compartments[i].epoch + 1;
        self.write_headers(i, epoch, blob.len(), &new_copies, release_after, None)?;
        // 3. The old index copies are overwritten and every released block freed. The commit
        // is complete; a failure to overwrite here is not an error of the commit (the blocks
        // hold ciphertext under keys that no header has any more) and they stay reserved.
        let top = &mut self.compartments[i];
        top.epoch = epoch;
        let old: Vec<CopyState> = top.copies.iter_mut().filter_map(|c| c.take()).collect();
        let mut new_iter = new_copies.into_iter();
        top.copies = [new_iter.next(), new_iter.next()];
        let mut old_index: Vec<u64> = old.iter().flat_map(|c| c.meta_blocks.iter().map(|&b| b as u64)).collect();
        old_index.sort_unstable();
        old_index.dedup();
        old_index.retain(|b| !self.foreign.contains(b));
        if self.scrub_blocks(&old_index).and_then(|_| self.sync()).is_ok() {
            for b in old_index {
                self.blocks.release(b);
            }
        }
        for b in release_after.drain(..) {
            if !self.foreign.contains(&b) {
                self.blocks.release(b);
            }
        }
        Ok(())
    }

    /// Gives the storage back (closing the vault). In-memory keys are zeroed on drop.
    pub fn into_storage(self) -> S {
        self.storage
    }

    /// Format version of this container (1 or 2).
    pub fn format_version(&self) -> u8 {
        self.version
    }

    /// Epoch of the open compartment's header (grows by one at every commit).
    pub fn epoch(&self) -> u64 {
        self.top().epoch
    }

    /// What the open compartment's keys show of the container: the blocks its index and
    /// items use, and (version 2, level 0) its noise list. For tests of what an examiner
    /// with this passphrase sees.
    #[doc(hidden)]
    pub fn examiner_view(&self) -> (Vec<u64>, Vec<u64>) {
        let top = self.top();
        let mut used: Vec<u64> = top
            .copies
            .iter()
            .flatten()
            .flat_map(|c| c.meta_blocks.iter().map(|&b| b as u64))
            .chain(top.items.iter().flat_map(|it| it.blocks().collect::<Vec<_>>()))
            .chain(top.header_blocks.iter().flatten().copied())
            .collect();
        used.sort_unstable();
        used.dedup();
        (used, top.noise.iter().map(|&b| b as u64).collect())
    }

    /// Version 2, a compartment above level 0 is open: its writes go to this session's cover.
    fn hidden_v2(&self) -> bool {
        self.version == 2 && self.level() > 0
    }

    /// Bytes the open compartment can still write in this session, if it is limited by the
    /// session (version 2, a level above 0); `None` otherwise.
    pub fn session_room(&self) -> Option<u64> {
        self.hidden_v2().then(|| self.pool.len() as u64 * BLOCK_PAYLOAD as u64)
    }

    /// Blocks the open compartment may still take: the session's pool above level 0 in
    /// version 2; free blocks and noise for level 0 (noise is taken oldest first).
    fn available_blocks(&self) -> u64 {
        if self.hidden_v2() {
            self.pool.len() as u64 + self.sessions_possible() * session_budget(self.block_count)
        } else {
            self.blocks.free + self.compartments[0].noise.len() as u64
        }
    }

    fn full_error(&self, needed_blocks: u64) -> Error {
        Error::Full { needed: needed_blocks * BLOCK_PAYLOAD as u64, available: self.free_bytes() }
    }

    /// Blocks a write of `data_blocks` item blocks and one commit of `index_blocks` needs.
    /// Version 2 above level 0: beyond what is left of this session, the commit may have to
    /// wait for a fresh session and leave the rest of the last one unused.
    fn blocks_needed(&self, data_blocks: u64, index_blocks: u64) -> u64 {
        if !self.hidden_v2() {
            return data_blocks + 2 * index_blocks;
        }
        let commit = 2 * index_blocks + 2;
        if data_blocks + commit <= self.pool.len() as u64 { data_blocks + commit } else { data_blocks + 2 * commit }
    }

    /// The index of compartment `i` as stored (version 2: with level 0's noise list).
    fn index_blob(&self, i: usize) -> Vec<u8> {
        let c = &self.compartments[i];
        if self.version == 2 { meta::encode_v2(&c.items, &c.noise) } else { meta::encode(&c.items) }
    }

    /// Takes `n` blocks for the open compartment. Version 2 above level 0: from this
    /// session's pool, starting new sessions while it runs dry ([`Vault::next_session`]);
    /// `Ok(None)` when no further session can be started without overwriting the open
    /// compartments' own blocks.
    fn alloc(&mut self, n: u64) -> Result<Option<Vec<Extent>>> {
        if !self.hidden_v2() {
            return Ok(self.alloc_fixed(n));
        }
        let mut taken: Vec<u64> = Vec::with_capacity(n as usize);
        while (taken.len() as u64) < n {
            if self.pool.is_empty() && !self.next_session()? {
                // Back into the pool if they are still in this session; the rest stays noise.
                for b in taken {
                    self.release_block(b);
                }
                return Ok(None);
            }
            let k = (n as usize - taken.len()).min(self.pool.len());
            taken.extend(self.pool.split_off(self.pool.len() - k));
        }
        taken.sort_unstable();
        let mut extents = Vec::new();
        for b in taken {
            push_extent(&mut extents, Extent { first: b as u32, len: 1 });
        }
        Ok(Some(extents))
    }

    /// Version 2 above level 0: blocks of the open compartments above level 0 (their item,
    /// index and header blocks and every link position of their levels), all of them noise to
    /// level 0. A session the vault starts by itself must not draw any of them.
    fn hidden_owned(&self) -> HashSet<u64> {
        let d = self.block_count - FIRST_DATA_BLOCK;
        let mut owned = HashSet::new();
        for c in self.compartments.iter().skip(1).chain(&self.stashed) {
            owned.extend(c.items.iter().flat_map(|it| it.blocks().collect::<Vec<_>>()));
            owned.extend(c.copies.iter().flatten().flat_map(|cp| cp.meta_blocks.iter().map(|&b| b as u64)));
            owned.extend(c.header_blocks.iter().flatten().copied());
            owned.extend((0..LINK_CANDIDATES).map(|j| link_position(&c.slot_key, c.level, j, d)));
        }
        owned
    }

    /// Version 2 above level 0: how many more sessions the vault may start by itself in a row
    /// for the open compartment. Each takes `W` blocks, free ones first, then the oldest noise
    /// (docs/FORMAT.md, version 2, point 3), plus room for level 0's commit. The count stops
    /// `HIDDEN_RESERVE_SESSIONS` sessions (at most a quarter of the data blocks) before a
    /// session would have to take a block of an open compartment above level 0, so that what
    /// was just written outlives at least that many later opens.
    fn sessions_possible(&self) -> u64 {
        let w = session_budget(self.block_count);
        let owned = self.hidden_owned();
        let safe_noise =
            self.compartments[0].noise.iter().take_while(|&&b| !owned.contains(&(b as u64))).count() as u64;
        let level0_index = meta::blocks_for(self.index_blob(0).len() as u64 + 4 * w * 8);
        let reserve = (HIDDEN_RESERVE_SESSIONS * w).min((self.block_count - FIRST_DATA_BLOCK) / 4);
        (self.blocks.free + safe_noise).saturating_sub(2 * level0_index + reserve) / w
    }

    /// Version 2 above level 0: this session cannot hold what the open compartment is
    /// writing, so the vault ends it and starts the next one itself (the same writes as
    /// closing and opening the container: docs/FORMAT.md, version 2, tension 3). `false`, and
    /// nothing written, when that session would have to overwrite the open compartments' own
    /// blocks.
    fn next_session(&mut self) -> Result<bool> {
        if self.sessions_possible() == 0 {
            return Ok(false);
        }
        self.check_writable()?;
        self.begin_session(None)?;
        Ok(true)
    }

    /// Takes `n` blocks outside the noise; version 2 takes the oldest noise back into free
    /// space when there are not enough free blocks.
    fn alloc_fixed(&mut self, n: u64) -> Option<Vec<Extent>> {
        while self.blocks.free < n && !self.compartments[0].noise.is_empty() && self.version == 2 {
            let b = self.compartments[0].noise.remove(0) as u64;
            self.noise_set.remove(&b);
            self.blocks.release(b);
        }
        self.blocks.allocate(n)
    }

    /// Gives a block back: to the session's pool (version 2 above level 0), else to free space.
    fn release_block(&mut self, b: u64) {
        if self.hidden_v2() {
            if self.session.contains(&b) && !self.pool.contains(&b) {
                self.pool.push(b);
            }
        } else {
            self.blocks.release(b);
        }
    }

    /// Sessions this vault has started (format version 2): at open, by `hide`, by
    /// [`Vault::new_session`] and by imports across sessions.
    pub fn sessions_started(&self) -> u64 {
        self.sessions_started
    }

    /// Version 2: ends the current session and starts a new one (new cover set, level 0
    /// committed again), as closing and opening the container would. A no-op for version 1.
    pub fn new_session(&mut self) -> Result<()> {
        if self.version != 2 {
            return Ok(());
        }
        self.check_writable()?;
        self.begin_session(None)
    }

    /// Version 2: draws the session's cover set `S` (`forced` goes in first), overwrites it
    /// with random bytes, appends it to level 0's noise and commits level 0.
    fn begin_session(&mut self, forced: Option<u64>) -> Result<()> {
        self.sessions_started += 1;
        let w = session_budget(self.block_count) as usize;
        let mut free: Vec<u64> = (FIRST_DATA_BLOCK..self.block_count).filter(|&b| !self.blocks.is_used(b)).collect();
        let mut s: Vec<u64> = Vec::with_capacity(w);
        if let Some(f) = forced
            && let Some(p) = free.iter().position(|&b| b == f)
        {
            free.swap_remove(p);
            s.push(f);
        }
        while s.len() < w && !free.is_empty() {
            let i = random_below(free.len() as u64) as usize;
            s.push(free.swap_remove(i));
        }
        // Not enough free blocks: the oldest noise (see FORMAT.md, "Capacity").
        while s.len() < w && !self.compartments[0].noise.is_empty() {
            let b = self.compartments[0].noise.remove(0) as u64;
            self.noise_set.remove(&b);
            s.push(b);
        }
        for &b in &s {
            self.blocks.mark(b);
        }
        self.session = s.iter().copied().collect();
        self.pool.clear();
        // Blocks of an open compartment above level 0 that were drawn as the oldest noise are
        // sealed again where they are, with fresh nonces, instead of overwritten with random
        // bytes: to an image either way they change into fresh random-looking bytes, and the
        // compartment keeps them (they are now the newest noise).
        let owners = self.hidden_owners();
        let (keep, fresh): (Vec<u64>, Vec<u64>) = s.iter().partition(|b| owners.contains_key(b));
        self.scrub_blocks(&fresh)?;
        let kept = self.reseal_blocks(&keep, &owners)?;
        self.sync()?;
        // Level 0's commit below takes free blocks, then the oldest noise, which may hold an
        // open compartment above level 0. When free blocks are short, it takes members of this
        // session that no compartment keeps instead, at random (every session does this, a
        // decoy one too, where no member is kept).
        let need = 2 * meta::blocks_for(self.index_blob(0).len() as u64 + 4 * s.len() as u64);
        if self.blocks.free < need {
            let mut spare: Vec<u64> = s.iter().copied().filter(|b| !kept.contains(b) && Some(*b) != forced).collect();
            let short = ((need - self.blocks.free) as usize).min(spare.len());
            let mut give = HashSet::new();
            for _ in 0..short {
                let i = random_below(spare.len() as u64) as usize;
                give.insert(spare.swap_remove(i));
            }
            s.retain(|b| !give.contains(b));
            for b in give {
                self.session.remove(&b);
                self.blocks.release(b);
            }
        }
        s.sort_unstable();
        {
            let noise = &mut self.compartments[0].noise;
            noise.extend(s.iter().map(|&b| b as u32));
        }
        self.noise_set.extend(s.iter().copied());
        while self.compartments[0].noise.len() > NOISE_CAP {
            let b = self.compartments[0].noise.remove(0) as u64;
            self.noise_set.remove(&b);
            self.blocks.release(b);
        }
        self.commit_fixed(0, &mut Vec::new())?;
        self.pool = s.into_iter().filter(|&b| Some(b) != forced && !kept.contains(&b)).collect();
        // Taken from the end: keep the order random.
        for i in (1..self.pool.len()).rev() {
            let j = random_below(i as u64 + 1) as usize;
            self.pool.swap(i, j);
        }
        Ok(())
    }

    /// Version 2: every block of the open compartments above level 0, with what it holds.
    /// Empty for version 1 and for level 0 alone.
    fn hidden_owners(&self) -> HashMap<u64, Owner> {
        let mut owners = HashMap::new();
        if self.version != 2 {
            return owners;
        }
        let d = self.block_count - FIRST_DATA_BLOCK;
        for c in self.compartments.iter().skip(1).chain(&self.stashed) {
            for j in 0..LINK_CANDIDATES {
                let b = link_position(&c.slot_key, c.level, j, d);
                owners.entry(b).or_insert_with(|| Owner::Link { level: c.level, key: c.slot_key.clone() });
            }
        }
        // Items, index and headers over link candidates (a candidate is just a position).
        for c in self.compartments.iter().skip(1).chain(&self.stashed) {
            for item in &c.items {
                for b in item.blocks() {
                    owners.insert(b, Owner::Sealed(item.key.clone()));
                }
            }
            for cp in c.copies.iter().flatten() {
                for &b in &cp.meta_blocks {
                    owners.insert(b as u64, Owner::Sealed(cp.meta_key.clone()));
                }
            }
            for (copy, b) in c.header_blocks.iter().enumerate() {
                if let Some(b) = b {
                    owners.insert(*b, Owner::Header { level: c.level, copy, key: c.slot_key.clone() });
                }
            }
        }
        owners
    }

    /// Seals each of `blocks` again in place under its own key, with a fresh nonce (not
    /// synced). A block that does not open (a link candidate that holds no link, a damaged
    /// block) is overwritten with random bytes, as any other block of the session. Returns
    /// the blocks that stay the compartments' (all but link candidates that held no link).
    fn reseal_blocks(&mut self, blocks: &[u64], owners: &HashMap<u64, Owner>) -> Result<HashSet<u64>> {
        let mut kept = HashSet::new();
        let mut buf = LockedBuf::new(BLOCK_SIZE);
        for &b in blocks {
            let Some(owner) = owners.get(&b) else {
                continue;
            };
            self.storage.read_at(block_offset(b), buf.as_mut_slice()).map_err(Error::io("reading the container"))?;
            let opened = match owner {
                Owner::Sealed(key) => {
                    let ok = open_in_place(key, &block_aad(b), buf.as_mut_slice());
                    if ok {
                        seal_in_place(key, &block_aad(b), buf.as_mut_slice());
                    }
                    ok
                }
                Owner::Link { level, key } => {
                    let ok = open_in_place(key, &link_aad(*level, b), buf.as_mut_slice())
                        && buf.as_slice()[NONCE_LEN] == SLOT_VERSION_2;
                    if ok {
                        seal_in_place(key, &link_aad(*level, b), buf.as_mut_slice());
                    }
                    ok
                }
                Owner::Header { level, copy, key } => {
                    if let Some(body) = open_header_v2(key, *level, *copy, b, buf.as_mut_slice()) {
                        self.write_header_v2(*level, *copy, b, key, &body)?;
                        kept.insert(b);
                        continue;
                    }
                    false
                }
            };
            if opened || !matches!(owner, Owner::Link { .. }) {
                kept.insert(b);
            }
            if opened {
                self.storage.write_at(block_offset(b), buf.as_slice()).map_err(Error::io("writing the container"))?;
            } else {
                fill_random(buf.as_mut_slice());
                self.storage.write_at(block_offset(b), buf.as_slice()).map_err(Error::io("writing the container"))?;
            }
        }
        buf.as_mut_slice().fill(0);
        Ok(kept)
    }

    /// Version 2 `hide`: a new session whose cover set holds the new level's link.
    fn hide_v2(&mut self, new_passphrase: &Passphrase, params: KdfParams, level: usize) -> Result<usize> {
        let master = derive_master_key(new_passphrase.as_bytes(), &self.salt, params);
        let keys = slot_keys(&master);
        let slots = read_all_slots(&self.storage)?;
        let d = self.block_count - FIRST_DATA_BLOCK;
        for (l, key) in keys.iter().enumerate() {
            for (copy, sealed) in slots[l].iter().enumerate() {
                if try_open_slot(sealed, key, l, copy).is_some() {
                    return Err(Error::PassphraseAlreadyUsed);
                }
            }
            if l > 0 && try_link(&self.storage, key, l, d).is_some() {
                return Err(Error::PassphraseAlreadyUsed);
            }
        }
        let key = keys[level].clone();
        // In use: level 0's blocks and noise (what a decoy session may not draw). About
        // `u^16` of passphrases find no free position (FORMAT.md, version 2, point 5).
        let used_percent = (100 * (d - self.blocks.free.min(d)) / d.max(1)) as u8;
        let Some(pos) =
            (0..LINK_CANDIDATES).map(|j| link_position(&key, level, j, d)).find(|&b| !self.blocks.is_used(b))
        else {
            return Err(Error::NoLinkPosition { used_percent });
        };
        self.begin_session(Some(pos))?;
        if !self.session.contains(&pos) {
            return Err(Error::NoLinkPosition { used_percent });
        }
        let lower = self.top().slot_key.clone();
        let mut link = LockedBuf::new(BLOCK_SIZE);
        link.as_mut_slice()[NONCE_LEN] = SLOT_VERSION_2;
        link.as_mut_slice()[NONCE_LEN + 1..NONCE_LEN + 1 + KEY_LEN].copy_from_slice(lower.as_bytes());
        seal_in_place(&key, &link_aad(level, pos), link.as_mut_slice());
        self.storage.write_at(block_offset(pos), link.as_slice()).map_err(Error::io("writing the header"))?;
        self.sync()?;
        self.push_new_compartment(level, key, lower)
    }

    /// Version 2 commit of the open compartment above level 0: index copies and both header
    /// copies go to blocks of this session's cover set; the previous commit's blocks are
    /// overwritten if they are in this session's cover set (earlier ones stay as noise).
    fn commit_hidden(&mut self, release_after: &mut Vec<u64>) -> Result<()> {
        let i = self.compartments.len() - 1;
        let blob = {
            let mut encoded = self.index_blob(i);
            let b = LockedBuf::from_slice(&encoded);
            zeroize::Zeroize::zeroize(&mut encoded);
            b
        };
        let nblocks = meta::blocks_for(blob.len() as u64);
        if nblocks as usize > MAX_META_BLOCKS_V2_HEADER {
            return Err(Error::TooLarge("the compartment index (too many items)"));
        }
        if 2 * nblocks + 2 > self.pool.len() as u64 {
            // Not in what is left of this session: in the next one (tension 3).
            if 2 * nblocks + 2 > session_budget(self.block_count) {
                return Err(Error::TooLarge("the compartment index (larger than one session can write)"));
            }
            if !self.next_session()? {
                return Err(Error::Full {
                    needed: (2 * nblocks + 2) * BLOCK_PAYLOAD as u64,
                    available: self.free_bytes(),
                });
            }
        }
        let mut new_copies: Vec<CopyState> = Vec::with_capacity(2);
        for _ in 0..2 {
            let key = Key::random();
            let blocks: Vec<u32> =
                self.pool.split_off(self.pool.len() - nblocks as usize).into_iter().map(|b| b as u32).collect();
            new_copies.push(CopyState { meta_key: key, meta_blocks: blocks });
        }
        let header_blocks = [self.pool.pop().expect("checked"), self.pool.pop().expect("checked")];
        let give_back = |this: &mut Self, copies: &[CopyState]| {
            for c in copies {
                this.pool.extend(c.meta_blocks.iter().map(|&b| b as u64));
            }
            this.pool.extend(header_blocks);
        };
        let written = (|| {
            for c in &new_copies {
                self.write_index_blocks(&c.meta_key, &c.meta_blocks, blob.as_slice())?;
            }
            self.sync()
        })();
        if let Err(e) = written {
            give_back(self, &new_copies);
            return Err(e);
        }
        let epoch = self.compartments[i].epoch + 1;
        self.write_headers(i, epoch, blob.len(), &new_copies, release_after, Some(header_blocks))?;
        let top = &mut self.compartments[i];
        top.epoch = epoch;
        let old: Vec<CopyState> = top.copies.iter_mut().filter_map(|c| c.take()).collect();
        let old_headers: Vec<u64> = top.header_blocks.iter().flatten().copied().collect();
        let mut new_iter = new_copies.into_iter();
        top.copies = [new_iter.next(), new_iter.next()];
        top.header_blocks = [Some(header_blocks[0]), Some(header_blocks[1])];
        let mut old_blocks: Vec<u64> =
            old.iter().flat_map(|c| c.meta_blocks.iter().map(|&b| b as u64)).chain(old_headers).collect();
        old_blocks.sort_unstable();
        old_blocks.dedup();
        old_blocks.retain(|b| self.session.contains(b));
        if self.scrub_blocks(&old_blocks).and_then(|_| self.sync()).is_ok() {
            for b in old_blocks {
                self.release_block(b);
            }
        }
        for b in release_after.drain(..) {
            if !self.foreign.contains(&b) {
                self.release_block(b);
            }
        }
        Ok(())
    }

    /// Step 2 of a commit of compartment `i`, shared by every version and level: header copy A
    /// (synced), then the blocks the change released overwritten (synced), then copy B
    /// (synced). `at` is where a version 2 compartment above level 0 puts its two header
    /// copies; None for the fixed header positions. From the first header write on, the new
    /// state may be on disk: a failure leaves the vault needing a reopen (whose repair decides
    /// which copy is current) and callers must not roll back what may already be durable.
    fn write_headers(
        &mut self,
        i: usize,
        epoch: u64,
        meta_len: usize,
        new_copies: &[CopyState],
        release_after: &[u64],
        at: Option<[u64; 2]>,
    ) -> Result<()> {
        let level = self.compartments[i].level;
        let slot_key = self.compartments[i].slot_key.clone();
        self.needs_reopen = true;
        for (copy, state) in new_copies.iter().enumerate() {
            let body = SlotBody {
                epoch,
                lower_slot_key: self.compartments[i].lower_slot_key.clone(),
                meta_key: state.meta_key.clone(),
                meta_len: meta_len as u32,
                meta_blocks: state.meta_blocks.clone(),
            };
            match at {
                None => self.write_slot(level, copy, &slot_key, &body)?,
                Some(blocks) => self.write_header_v2(level, copy, blocks[copy], &slot_key, &body)?,
            }
            self.sync()?;
            if copy == 0 {
                // Copy A now holds the new state. Blocks the change released (an old version
                // of a replaced item, an erased item's blocks) are overwritten before copy B
                // is rewritten: a crash from here on leaves copy B older, and the open-time
                // repair overwrites whatever only copy B still refers to.
                let mut released: Vec<u64> =
                    release_after.iter().copied().filter(|b| !self.foreign.contains(b)).collect();
                released.sort_unstable();
                released.dedup();
                self.scrub_blocks(&released)?;
                self.sync()?;
            }
        }
        self.needs_reopen = false;
        Ok(())
    }

    /// Seals and writes one version 2 header copy of a level above 0 at block `b`:
    /// `t || nonce || ct || tag`, `t` the block's keyed tag.
    fn write_header_v2(&mut self, level: usize, copy: usize, b: u64, slot_key: &Key, body: &SlotBody) -> Result<()> {
        if body.meta_blocks.len() > MAX_META_BLOCKS_V2_HEADER {
            return Err(Error::TooLarge("the compartment index (too many items)"));
        }
        let mut slot = LockedBuf::new(BLOCK_SIZE);
        let mut plain = [0u8; BLOCK_PAYLOAD];
        body.encode_version(SLOT_VERSION_2, &mut plain)?;
        let buf = slot.as_mut_slice();
        let start = HEADER_V2_TAG_LEN + NONCE_LEN;
        buf[start..start + HEADER_V2_PAYLOAD].copy_from_slice(&plain[..HEADER_V2_PAYLOAD]);
        plain.fill(0);
        seal_in_place(slot_key, &header_v2_aad(level, copy, b), &mut buf[HEADER_V2_TAG_LEN..]);
        let t = Tagger::new(&header_tag_key(slot_key, level)).tag(&[
            HEADER_TAG_LABEL,
            &b.to_le_bytes(),
            &buf[HEADER_V2_TAG_LEN..start],
        ]);
        buf[..HEADER_V2_TAG_LEN].copy_from_slice(&t);
        self.storage.write_at(block_offset(b), slot.as_slice()).map_err(Error::io("writing the header"))
    }
}

/// Tag key of the header blocks of `level` (above 0, format version 2).
fn header_tag_key(slot_key: &Key, level: usize) -> Key {
    derive_subkey(slot_key, &header_tag_key_info(level))
}

/// Opens a version 2 header block of `level` (above 0) as copy `copy` at block `b`, in place.
fn open_header_v2(slot_key: &Key, level: usize, copy: usize, b: u64, block: &mut [u8]) -> Option<SlotBody> {
    let sealed = &mut block[HEADER_V2_TAG_LEN..];
    if !open_in_place(slot_key, &header_v2_aad(level, copy, b), sealed) {
        return None;
    }
    let mut plain = LockedBuf::new(BLOCK_PAYLOAD);
    plain.as_mut_slice()[..HEADER_V2_PAYLOAD].copy_from_slice(&sealed[NONCE_LEN..NONCE_LEN + HEADER_V2_PAYLOAD]);
    match SlotBody::decode_versioned(plain.as_slice()) {
        Ok((body, SLOT_VERSION_2)) => Some(body),
        _ => None,
    }
}

/// A uniform integer below `n` (n > 0).
fn random_below(n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = ((random_u32() as u64) << 32) | random_u32() as u64;
        if v < zone {
            return v % n;
        }
    }
}

/// Block of link position `j` of `level` under `key`, for `d` data blocks (format version 2).
fn link_position(key: &Key, level: usize, j: u32, d: u64) -> u64 {
    let k = derive_subkey(key, &link_position_info(level, j));
    let v = u64::from_le_bytes(k.as_bytes()[..8].try_into().expect("8 bytes"));
    FIRST_DATA_BLOCK + v % d
}

/// Tries every link position of `level` under `key`; the lower slot key of the first link
/// that opens. Always reads all of them.
fn try_link<S: Storage>(storage: &S, key: &Key, level: usize, d: u64) -> Option<Key> {
    let mut found = None;
    let mut buf = LockedBuf::new(BLOCK_SIZE);
    for j in 0..LINK_CANDIDATES {
        let b = link_position(key, level, j, d);
        if storage.read_at(block_offset(b), buf.as_mut_slice()).is_err() {
            continue;
        }
        if open_in_place(key, &link_aad(level, b), buf.as_mut_slice())
            && buf.as_slice()[NONCE_LEN] == SLOT_VERSION_2
            && found.is_none()
        {
            let mut k = [0u8; KEY_LEN];
            k.copy_from_slice(&buf.as_slice()[NONCE_LEN + 1..NONCE_LEN + 1 + KEY_LEN]);
            found = Some(Key::from_bytes(k));
            zeroize::Zeroize::zeroize(&mut k);
        }
    }
    found
}

/// What a passphrase opens.
struct Found {
    level: usize,
    key: Key,
    master: Key,
    version: u8,
    /// Version 2 above level 0: slot keys of levels 0..=level, through the links.
    chain: Option<Vec<Key>>,
}

/// Derives the slot keys of `passphrase` with `salt`, tries all sixteen fixed header slots
/// and (format version 2) the link positions of levels 1 to 7, always all of them.
fn find_top<S: Storage>(
    storage: &S,
    block_count: u64,
    slots: &[[Vec<u8>; 2]],
    passphrase: &Passphrase,
    salt: &[u8; SALT_LEN],
    params: KdfParams,
) -> Option<Found> {
    let master = derive_master_key(passphrase.as_bytes(), salt, params);
    let keys = slot_keys(&master);
    let mut fixed: Option<(usize, u8)> = None;
    for (level, key) in keys.iter().enumerate() {
        for (copy, sealed) in slots[level].iter().enumerate() {
            if let Some((_, version)) = try_open_slot(sealed, key, level, copy) {
                fixed = Some((level, version));
            }
        }
    }
    let d = block_count - FIRST_DATA_BLOCK;
    let mut link: Option<(usize, Key)> = None;
    for (level, key) in keys.iter().enumerate().skip(1) {
        if let Some(lower) = try_link(storage, key, level, d) {
            link = Some((level, lower));
        }
    }
    match (fixed, link) {
        (Some((level, version)), l) if l.as_ref().is_none_or(|(ll, _)| *ll <= level) => {
            Some(Found { level, key: keys[level].clone(), master, version, chain: None })
        }
        (_, Some((level, lower))) => {
            // Follow the links down to level 0.
            let mut chain = vec![keys[level].clone(), lower];
            let mut l = level - 1;
            while l > 0 {
                let next = try_link(storage, &chain[chain.len() - 1], l, d)?;
                chain.push(next);
                l -= 1;
            }
            chain.reverse();
            Some(Found { level, key: keys[level].clone(), master, version: 2, chain: Some(chain) })
        }
        _ => None,
    }
}

/// What `load_compartment` found that the open must mend.
struct Repairs {
    stale: Vec<StaleCopy>,
    damaged_index: Vec<(usize, SlotBody)>,
}

struct StaleCopy {
    meta_key: Key,
    meta_blocks: Vec<u32>,
    items: Vec<ItemEntry>,
}

/// Blocks per run of the import and export pipelines (1 MiB): large enough that a run is few
/// system calls and little hand-over between threads (64-block runs gave 47-49% of the raw
/// cipher through files, 256-block runs 56% for imports: `cargo bench -p lethe-cli --bench
/// files`), small enough that the runs in flight stay within [`PIPE_LOCKED_BYTES`].
const PIPE_RUN_BLOCKS: usize = 256;

/// Shortest stretch of consecutive blocks whose write-back an import starts as soon as it
/// is written (see [`Storage::start_writeback`]).
const WRITEBACK_MIN_BYTES: usize = 64 << 10;

/// Locked memory that the runs in flight of one pipeline may take together: below Linux's
/// default `RLIMIT_MEMLOCK` (8 MiB), so they stay out of swap with room for other buffers.
const PIPE_LOCKED_BYTES: usize = 6 << 20;

/// Worker threads and runs in flight for a large item: one worker per core (at most 4),
/// each with a run to work on, and as many again being read or written.
fn pipeline_shape() -> (usize, usize) {
    // available_parallelism reads cgroup files on Linux: ask once per process.
    static WORKERS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let workers =
        *WORKERS.get_or_init(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4));
    (workers, 2 * workers + 1)
}

/// Blocks per run for `depth` runs in flight: [`PIPE_RUN_BLOCKS`], fewer when that many runs
/// would take more than [`PIPE_LOCKED_BYTES`] of locked memory.
fn pipe_run_blocks(depth: usize) -> usize {
    PIPE_RUN_BLOCKS.min(PIPE_LOCKED_BYTES / BLOCK_SIZE / depth.max(1)).max(1)
}

/// One run of an import: plaintext read straight into the block bodies, then the blocks it
/// was given, sealed in place.
struct SealRun {
    buf: LockedBuf,
    /// Payload bytes read into this run.
    filled: usize,
    /// Where its blocks go, in order.
    blocks: Vec<Extent>,
}

impl SealRun {
    fn new(run_blocks: usize) -> SealRun {
        SealRun { buf: LockedBuf::new(run_blocks * BLOCK_SIZE), filled: 0, blocks: Vec::new() }
    }

    /// The sealed bytes of each extent, in order.
    fn extent_bytes(&mut self) -> impl Iterator<Item = (Extent, &mut [u8])> {
        let mut rest = self.buf.as_mut_slice();
        self.blocks.iter().map(move |e| {
            let (this, next) = std::mem::take(&mut rest).split_at_mut(e.len as usize * BLOCK_SIZE);
            rest = next;
            (*e, this)
        })
    }

    /// Seals the run on the calling thread (the pipeline has one run per worker).
    fn seal(&mut self, key: &Key) {
        for (e, buf) in self.extent_bytes() {
            let first = e.first as u64;
            seal_units_in_place(key, BLOCK_SIZE, buf, |k| block_aad(first + k as u64));
        }
    }
}

/// What the import pipeline's reading and writing steps share (on the calling thread).
struct ImportCx<'a, S: Storage> {
    vault: &'a mut Vault<S>,
    source: &'a mut dyn Read,
    size_hint: Option<u64>,
    extents: &'a mut Vec<Extent>,
    progress: &'a mut dyn FnMut(u64),
    /// Bytes read from the source so far, and written (sealed) to the container.
    read: u64,
    written: u64,
    eof: bool,
}

impl<S: Storage> ImportCx<'_, S> {
    /// Reads up to a run of payload straight into the block bodies and allocates its blocks;
    /// false when the source is done.
    fn fill(&mut self, run: &mut SealRun) -> Result<bool> {
        let run_blocks = run.buf.len() / BLOCK_SIZE;
        // One vectored read fills many block bodies (a file or a pipe reads into all of them
        // with one system call; other readers fill one body per call).
        let mut filled = 0usize;
        {
            let mut bodies: Vec<std::io::IoSliceMut<'_>> = run
                .buf
                .as_mut_slice()
                .chunks_exact_mut(BLOCK_SIZE)
                .map(|b| std::io::IoSliceMut::new(&mut b[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]))
                .collect();
            let mut rest = &mut bodies[..];
            while !self.eof && !rest.is_empty() {
                let n = match self.source.read_vectored(rest) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(Error::io("reading the input")(e)),
                };
                if n == 0 {
                    self.eof = true;
                    break;
                }
                filled += n;
                std::io::IoSliceMut::advance_slices(&mut rest, n);
            }
        }
        if filled == 0 {
            return Ok(false);
        }
        let nblocks = filled.div_ceil(BLOCK_PAYLOAD);
        debug_assert!(nblocks <= run_blocks);
        // The last body may be partly filled: the rest of it is zeros, as the format says.
        let end = (nblocks - 1) * BLOCK_SIZE + NONCE_LEN + (filled - (nblocks - 1) * BLOCK_PAYLOAD);
        run.buf.as_mut_slice()[end..nblocks * BLOCK_SIZE - TAG_LEN].fill(0);
        let total = self.read;
        if let Some(hint) = self.size_hint
            && total + filled as u64 > hint
        {
            return Err(Error::Io {
                context: "the input grew while it was being read",
                source: std::io::Error::other("size changed"),
            });
        }
        let vault = &mut *self.vault;
        let Some(new) = vault.alloc(nblocks as u64)? else {
            return Err(Error::Full { needed: total + filled as u64, available: vault.free_bytes() + total });
        };
        for e in &new {
            push_extent(self.extents, *e);
        }
        run.blocks = new;
        run.filled = filled;
        self.read += filled as u64;
        Ok(true)
    }

    /// Writes a sealed run to its blocks.
    fn drain(&mut self, run: &mut SealRun) -> Result<()> {
        let filled = run.filled as u64;
        for (e, buf) in run.extent_bytes() {
            let offset = block_offset(e.first as u64);
            self.vault.storage.write_at(offset, buf).map_err(Error::io("writing to the container"))?;
            // The item's blocks are synced before the index names them: start that now, for
            // runs of consecutive blocks (a hidden compartment's blocks are scattered one by
            // one: a call per block would cost more than it saves).
            if buf.len() >= WRITEBACK_MIN_BYTES {
                self.vault.storage.start_writeback(offset, buf.len() as u64);
            }
        }
        self.written += filled;
        (self.progress)(self.written);
        Ok(())
    }
}

/// One run of an export: `count` sealed blocks from block `first`, opened in place.
struct OpenRun {
    buf: LockedBuf,
    first: u64,
    count: usize,
}

/// Opens consecutive blocks `first..` in `buf` in place; false if any fails to authenticate.
fn open_blocks(key: &Key, first: u64, buf: &mut [u8]) -> bool {
    buf.chunks_exact_mut(BLOCK_SIZE).enumerate().all(|(k, blk)| open_in_place(key, &block_aad(first + k as u64), blk))
}

fn push_extent(extents: &mut Vec<Extent>, e: Extent) {
    match extents.last_mut() {
        Some(last) if last.first as u64 + last.len as u64 == e.first as u64 => last.len += e.len,
        _ => extents.push(e),
    }
}

fn salt_backup_keys(passphrase: &Passphrase, salt_b: &[u8; SALT_LEN], params: KdfParams) -> Vec<Key> {
    let backup_master = derive_master_key(passphrase.as_bytes(), salt_b, params);
    (0..SLOT_COUNT).map(|i| derive_subkey(&backup_master, &salt_backup_label(i))).collect()
}

/// Writes both salt backups of `level`: salt_A sealed under a key from the passphrase and
/// salt_B, and salt_B sealed under a key from the level's master key (see `format`).
fn write_salt_backups<S: Storage>(
    storage: &mut S,
    level: usize,
    salt_a: &[u8; SALT_LEN],
    master: &Key,
    passphrase: &Passphrase,
    params: KdfParams,
) -> Result<()> {
    let mut salt_b = [0u8; SALT_LEN];
    storage.read_at(SALT_B_OFFSET, &mut salt_b).map_err(Error::io("reading the container"))?;
    let key = salt_backup_keys(passphrase, &salt_b, params).swap_remove(level);
    let mut slot = [0u8; SALT_BACKUP_LEN];
    slot[NONCE_LEN..NONCE_LEN + SALT_LEN].copy_from_slice(salt_a);
    seal_in_place(&key, &salt_backup_label(level), &mut slot);
    storage.write_at(salt_backup_offset(level), &slot).map_err(Error::io("writing the salt backup"))?;
    write_salt_b_backup(storage, level, &salt_b, master)
}

fn write_salt_b_backup<S: Storage>(storage: &mut S, level: usize, salt_b: &[u8; SALT_LEN], master: &Key) -> Result<()> {
    let key = derive_subkey(master, &salt_b_backup_label(level));
    let mut slot = [0u8; SALT_BACKUP_LEN];
    slot[NONCE_LEN..NONCE_LEN + SALT_LEN].copy_from_slice(salt_b);
    seal_in_place(&key, &salt_b_backup_label(level), &mut slot);
    storage.write_at(salt_b_backup_offset(level), &slot).map_err(Error::io("writing the salt backup"))
}

/// Tries this passphrase's salt backups (all eight, always). Returns the salt_A it holds.
fn recover_salt(salt_block: &[u8], passphrase: &Passphrase, params: KdfParams) -> Option<[u8; SALT_LEN]> {
    let off = SALT_B_OFFSET as usize;
    let salt_b: [u8; SALT_LEN] = salt_block[off..off + SALT_LEN].try_into().expect("32 bytes");
    let keys = salt_backup_keys(passphrase, &salt_b, params);
    let mut found = None;
    for (level, key) in keys.iter().enumerate() {
        let off = salt_backup_offset(level) as usize;
        let mut slot = [0u8; SALT_BACKUP_LEN];
        slot.copy_from_slice(&salt_block[off..off + SALT_BACKUP_LEN]);
        if open_in_place(key, &salt_backup_label(level), &mut slot) {
            found = Some(slot[NONCE_LEN..NONCE_LEN + SALT_LEN].try_into().expect("32 bytes"));
        }
    }
    found
}

fn read_all_slots<S: Storage>(storage: &S) -> Result<Vec<[Vec<u8>; 2]>> {
    let mut area = vec![0u8; 2 * SLOT_COUNT * BLOCK_SIZE];
    storage.read_at(block_offset(SLOTS_FIRST_BLOCK), &mut area).map_err(Error::io("reading the container"))?;
    Ok((0..SLOT_COUNT)
        .map(|level| {
            let get = |copy: usize| {
                let start = (copy * SLOT_COUNT + level) * BLOCK_SIZE;
                area[start..start + BLOCK_SIZE].to_vec()
            };
            [get(0), get(1)]
        })
        .collect())
}

/// Tries to decrypt and decode one header slot copy.
fn try_open_slot(sealed: &[u8], key: &Key, level: usize, copy: usize) -> Option<(SlotBody, u8)> {
    let mut buf = LockedBuf::from_slice(sealed);
    if !open_in_place(key, &slot_aad(level, copy), buf.as_mut_slice()) {
        return None;
    }
    let (body, version) = SlotBody::decode_versioned(&buf.as_slice()[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]).ok()?;
    // Fixed slots above level 0 exist only in version 1.
    (version == SLOT_VERSION || level == 0).then_some((body, version))
}
