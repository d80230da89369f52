//! The open container: compartments, items, commits, crypto-erase.
//!
//! Write discipline (what makes every update crash-safe and in place):
//! 1. New item blocks and both new copies of the index go to free blocks; sync.
//! 2. Header copy A, then copy B, are rewritten in place with epoch+1; sync after each.
//! 3. Blocks no longer referenced (old index copies, erased items) are overwritten with
//!    fresh random bytes; sync.
//!
//! At any crash point at least one header copy is whole, and it points at an index that is
//! whole, because step 3 only runs after both copies point at the new index.

use crate::error::{Error, Result};
use crate::format::*;
use crate::meta::{self, Extent, ItemEntry, ItemKind};
use crate::primitives::{
    KdfParams, Key, Passphrase, SALT_LEN, derive_master_key, derive_subkey, fill_random,
    open_in_place, random_u32, seal_in_place,
};
use crate::slot::SlotBody;
use crate::storage::Storage;
use crate::sys::LockedBuf;
use std::io::{Read, Write};

/// Blocks written or read with one storage call.
const IO_RUN_BLOCKS: usize = 256;

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
        if t.len() == 8 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(v) = u32::from_str_radix(t, 16) {
                return Ok(ItemId(v));
            }
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
        if b >= FIRST_DATA_BLOCK {
            if let Some(u) = self.used.get_mut(b as usize) {
                if *u {
                    *u = false;
                    self.free += 1;
                }
            }
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
}

fn check_container_len(len: u64) -> Result<u64> {
    if len % BLOCK_SIZE as u64 != 0 || !(MIN_CONTAINER_BYTES..=MAX_CONTAINER_BYTES).contains(&len) {
        return Err(Error::BadContainerSize { len });
    }
    Ok(len / BLOCK_SIZE as u64)
}

/// Checks a size for a new container.
pub fn check_new_container_size(len: u64) -> Result<()> {
    if len % BLOCK_SIZE as u64 != 0 || !(MIN_CONTAINER_BYTES..=MAX_CONTAINER_BYTES).contains(&len) {
        return Err(Error::InvalidSize { requested: len });
    }
    Ok(())
}

fn slot_keys(master: &Key) -> Vec<Key> {
    (0..SLOT_COUNT).map(|i| derive_subkey(master, &slot_key_info(i))).collect()
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
    pub fn init(mut storage: S, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<S>> {
        if passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        let block_count = check_container_len(storage.len())?;
        let mut salt = [0u8; SALT_LEN];
        fill_random(&mut salt);
        storage.write_at(SALT_A_OFFSET, &salt).map_err(Error::io("writing the salt"))?;
        storage.write_at(SALT_B_OFFSET, &salt).map_err(Error::io("writing the salt"))?;
        let master = derive_master_key(passphrase.as_bytes(), &salt, params);
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
            }],
            blocks: BlockMap::new(block_count),
        };
        vault.commit_top(&mut Vec::new())?;
        Ok(vault)
    }

    /// Opens the compartment this passphrase belongs to, and every compartment below it.
    /// A wrong passphrase and a passphrase of no compartment are the same error, found after
    /// the same work: one Argon2id run and an attempt on all sixteen header slots.
    pub fn open(storage: S, passphrase: &Passphrase, params: KdfParams) -> Result<Vault<S>> {
        let block_count = check_container_len(storage.len())?;
        let mut salt_a = [0u8; SALT_LEN];
        let mut salt_b = [0u8; SALT_LEN];
        storage.read_at(SALT_A_OFFSET, &mut salt_a).map_err(Error::io("reading the container"))?;
        storage.read_at(SALT_B_OFFSET, &mut salt_b).map_err(Error::io("reading the container"))?;
        let slots = read_all_slots(&storage)?;
        let mut salts = vec![salt_a];
        if salt_b != salt_a {
            // One salt copy was damaged; which one is unknown, so try both.
            salts.push(salt_b);
        }
        for salt in salts {
            let master = derive_master_key(passphrase.as_bytes(), &salt, params);
            let keys = slot_keys(&master);
            let mut top: Option<usize> = None;
            // Try every slot, always, so the time does not depend on which one opens.
            for (level, key) in keys.iter().enumerate() {
                for copy in 0..2 {
                    if try_open_slot(&slots[level][copy], key, level, copy).is_some() {
                        top = Some(level);
                    }
                }
            }
            if let Some(top) = top {
                let slot_key = keys[top].clone();
                let mut vault = Vault {
                    storage,
                    block_count,
                    salt,
                    compartments: Vec::new(),
                    blocks: BlockMap::new(block_count),
                };
                vault.load_chain(&slots, top, slot_key)?;
                if salt_a != salt_b {
                    vault.repair_salt()?;
                }
                return Ok(vault);
            }
        }
        Err(Error::WrongPassphrase)
    }

    fn repair_salt(&mut self) -> Result<()> {
        self.storage.write_at(SALT_A_OFFSET, &self.salt).map_err(Error::io("repairing the salt"))?;
        self.storage.write_at(SALT_B_OFFSET, &self.salt).map_err(Error::io("repairing the salt"))?;
        self.sync()
    }

    /// Loads compartment `top` and, through the chain of lower slot keys, every one below.
    fn load_chain(&mut self, slots: &[[Vec<u8>; 2]], top: usize, top_key: Key) -> Result<()> {
        let mut loaded: Vec<(Compartment, Vec<StaleCopy>)> = Vec::new();
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
        // Mark every referenced block before any repair allocates anything.
        for (comp, _) in &loaded {
            for copy in comp.copies.iter().flatten() {
                for &b in &copy.meta_blocks {
                    if !self.blocks.mark(b as u64) {
                        return Err(Error::IndexDamaged { level: comp.level });
                    }
                }
            }
            for item in &comp.items {
                for b in item.blocks() {
                    if !self.blocks.mark(b) {
                        return Err(Error::IndexDamaged { level: comp.level });
                    }
                }
            }
        }
        let mut repairs = Vec::new();
        for (i, (comp, stale)) in loaded.into_iter().enumerate() {
            let needs_repair = comp.copies.iter().any(|c| c.is_none())
                || !stale.is_empty()
                || comp.items.iter().any(|it| it.erasing);
            if needs_repair {
                repairs.push((i, stale));
            }
            self.compartments.push(comp);
        }
        for (i, stale) in repairs {
            self.repair(i, stale)?;
        }
        Ok(())
    }

    /// Reads both header copies of one level. Picks the newest copy whose index loads.
    fn load_compartment(
        &self,
        slots: &[[Vec<u8>; 2]],
        level: usize,
        slot_key: Key,
    ) -> Result<(Compartment, Vec<StaleCopy>)> {
        let bodies: Vec<Option<SlotBody>> =
            (0..2).map(|c| try_open_slot(&slots[level][c], &slot_key, level, c)).collect();
        let mut loaded: Vec<(usize, SlotBody, Vec<ItemEntry>)> = Vec::new();
        for (copy, body) in bodies.into_iter().enumerate() {
            if let Some(body) = body {
                if let Ok(items) = self.load_index(&body) {
                    loaded.push((copy, body, items));
                }
            }
        }
        if loaded.is_empty() {
            return Err(Error::IndexDamaged { level });
        }
        loaded.sort_by_key(|(_, b, _)| std::cmp::Reverse(b.epoch));
        let (best_copy, best_body, best_items) = loaded.remove(0);
        let epoch = best_body.epoch;
        let lower = best_body.lower_slot_key.clone();
        let mut copies: [Option<CopyState>; 2] = [None, None];
        let mut stale = Vec::new();
        copies[best_copy] =
            Some(CopyState { meta_key: best_body.meta_key, meta_blocks: best_body.meta_blocks });
        for (copy, body, items) in loaded {
            if body.epoch == epoch {
                copies[copy] = Some(CopyState { meta_key: body.meta_key, meta_blocks: body.meta_blocks });
            } else {
                // An older copy left by an interrupted commit: what it alone references is
                // overwritten by the repair, if it is still what that copy wrote.
                stale.push(StaleCopy { meta_key: body.meta_key, meta_blocks: body.meta_blocks, items });
            }
        }
        Ok((
            Compartment { level, slot_key, lower_slot_key: lower, epoch, copies, items: best_items },
            stale,
        ))
    }

    fn load_index(&self, body: &SlotBody) -> Result<Vec<ItemEntry>> {
        let mut blob = LockedBuf::new(body.meta_blocks.len() * BLOCK_PAYLOAD);
        let mut block = [0u8; BLOCK_SIZE];
        for (i, &b) in body.meta_blocks.iter().enumerate() {
            if b as u64 >= self.block_count {
                return Err(Error::IndexDamaged { level: 0 });
            }
            self.storage
                .read_at(block_offset(b as u64), &mut block)
                .map_err(Error::io("reading the index"))?;
            if !open_in_place(&body.meta_key, &block_aad(b as u64), &mut block) {
                return Err(Error::IndexDamaged { level: 0 });
            }
            blob.as_mut_slice()[i * BLOCK_PAYLOAD..(i + 1) * BLOCK_PAYLOAD]
                .copy_from_slice(&block[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]);
        }
        block.fill(0);
        blob.truncate(body.meta_len as usize);
        meta::decode(blob.as_slice(), self.block_count).map_err(|_| Error::IndexDamaged { level: 0 })
    }

    /// Finishes what a crash interrupted in compartment `i`: overwrites blocks only an older
    /// header copy still referenced (when they still authenticate under that copy's keys, so
    /// nothing written since by a lower compartment is touched), finishes pending erases,
    /// and rewrites both header copies.
    fn repair(&mut self, i: usize, stale: Vec<StaleCopy>) -> Result<()> {
        let mut to_scrub: Vec<u64> = Vec::new();
        for s in &stale {
            for &b in &s.meta_blocks {
                if !self.blocks.is_used(b as u64) && self.block_authenticates(&s.meta_key, b as u64) {
                    to_scrub.push(b as u64);
                }
            }
            for item in &s.items {
                for b in item.blocks() {
                    // A block still in use (by this item's current version or by anything
                    // else open) is not stale.
                    if !self.blocks.is_used(b) && self.block_authenticates(&item.key, b) {
                        to_scrub.push(b);
                    }
                }
            }
        }
        if !to_scrub.is_empty() {
            self.scrub_blocks(&to_scrub)?;
            self.sync()?;
        }
        // Finish erases interrupted after their first step.
        let erasing: Vec<u32> =
            self.compartments[i].items.iter().filter(|it| it.erasing).map(|it| it.id).collect();
        let top = self.compartments.len() - 1;
        if i == top {
            for id in erasing {
                self.finish_erase(ItemId(id))?;
            }
            if self.compartments[i].copies.iter().any(|c| c.is_none()) || !stale.is_empty() {
                self.commit_top(&mut Vec::new())?;
            }
        } else {
            // Lower compartments are committed through the same path by moving them on top
            // for the duration of the repair.
            let above = self.compartments.split_off(i + 1);
            for id in erasing {
                self.finish_erase(ItemId(id))?;
            }
            if self.compartments[i].copies.iter().any(|c| c.is_none()) || !stale.is_empty() {
                self.commit_top(&mut Vec::new())?;
            }
            self.compartments.extend(above);
        }
        Ok(())
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

    /// Items of the open compartment (not of the lower ones), oldest first.
    pub fn list(&self) -> Vec<ItemInfo> {
        let mut v: Vec<ItemInfo> = self
            .top()
            .items
            .iter()
            .filter(|it| !it.erasing)
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
        self.blocks.free * BLOCK_PAYLOAD as u64
    }

    /// Total bytes of the container.
    pub fn container_len(&self) -> u64 {
        self.block_count * BLOCK_SIZE as u64
    }

    fn find(&self, id: ItemId) -> Result<&ItemEntry> {
        self.top()
            .items
            .iter()
            .find(|it| it.id == id.0 && !it.erasing)
            .ok_or_else(|| Error::NoSuchItem(id.to_string()))
    }

    pub fn info(&self, id: ItemId) -> Result<ItemInfo> {
        let it = self.find(id)?;
        Ok(ItemInfo { id, kind: it.kind, name: it.name.clone(), size: it.size, created_unix: it.created_unix })
    }

    fn new_id(&self) -> u32 {
        loop {
            let id = random_u32();
            if id != 0 && !self.compartments.iter().any(|c| c.items.iter().any(|it| it.id == id)) {
                return id;
            }
        }
    }

    /// Blocks the index would need after adding an entry for an item of `extra_extents`.
    fn index_blocks_needed(&self, extra_items: usize, extra_extents: usize, extra_name: usize) -> u64 {
        let current = meta::encode(&self.top().items).len();
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
        if name.len() > MAX_NAME_LEN {
            return Err(Error::TooLarge("the name (at most 255 bytes)"));
        }
        if let Some(size) = size_hint {
            let data_blocks = meta::blocks_for(size);
            // Extents per item are at most the data blocks; assume a few for the estimate.
            let index_blocks = self.index_blocks_needed(1, 4, name.len());
            // Twice two index copies: one commit for this add, and room kept so that a later
            // erase can always commit even when the container is otherwise full.
            let needed = data_blocks + 4 * index_blocks;
            if needed > self.blocks.free {
                return Err(Error::Full {
                    needed: needed * BLOCK_PAYLOAD as u64,
                    available: self.free_bytes(),
                });
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
        let id = self.new_id();
        self.top_mut().items.push(ItemEntry {
            id,
            kind,
            name: name.to_owned(),
            created_unix: now_unix(),
            size,
            key,
            extents: extents.clone(),
            erasing: false,
        });
        if let Err(e) = self.sync().and_then(|_| self.commit_top(&mut Vec::new())) {
            self.top_mut().items.retain(|it| it.id != id);
            self.discard_blocks(&extents);
            return Err(e);
        }
        Ok(ItemId(id))
    }

    /// Releases blocks of a failed add and overwrites them (best effort).
    fn discard_blocks(&mut self, extents: &[Extent]) {
        let blocks: Vec<u64> = extents.iter().flat_map(|e| e.blocks()).collect();
        let _ = self.scrub_blocks(&blocks);
        let _ = self.sync();
        for b in blocks {
            self.blocks.release(b);
        }
    }

    /// Encrypts `source` into newly allocated blocks, appending them to `extents`.
    fn write_content(
        &mut self,
        key: &Key,
        source: &mut dyn Read,
        size_hint: Option<u64>,
        extents: &mut Vec<Extent>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64> {
        let mut total = 0u64;
        let mut run = LockedBuf::new(IO_RUN_BLOCKS * BLOCK_SIZE);
        let mut plain = LockedBuf::new(IO_RUN_BLOCKS * BLOCK_PAYLOAD);
        let mut eof = false;
        while !eof {
            // Fill up to a run of payload.
            let mut filled = 0;
            while filled < plain.len() {
                let n = source
                    .read(&mut plain.as_mut_slice()[filled..])
                    .map_err(Error::io("reading the input"))?;
                if n == 0 {
                    eof = true;
                    break;
                }
                filled += n;
            }
            if filled == 0 {
                break;
            }
            if let Some(hint) = size_hint {
                if total + filled as u64 > hint {
                    return Err(Error::Io {
                        context: "the input grew while it was being read",
                        source: std::io::Error::other("size changed"),
                    });
                }
            }
            let nblocks = filled.div_ceil(BLOCK_PAYLOAD) as u64;
            let new = self.blocks.allocate(nblocks).ok_or(Error::Full {
                needed: total + filled as u64,
                available: self.free_bytes() + total,
            })?;
            let mut payload_pos = 0;
            for e in &new {
                let mut written_in_extent = 0u64;
                while written_in_extent < e.len as u64 {
                    let count = ((e.len as u64 - written_in_extent) as usize).min(IO_RUN_BLOCKS);
                    let first = e.first as u64 + written_in_extent;
                    for k in 0..count {
                        let b = first + k as u64;
                        let dst = &mut run.as_mut_slice()[k * BLOCK_SIZE..(k + 1) * BLOCK_SIZE];
                        let body = &mut dst[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD];
                        let take = (filled - payload_pos).min(BLOCK_PAYLOAD);
                        body[..take].copy_from_slice(&plain.as_slice()[payload_pos..payload_pos + take]);
                        body[take..].fill(0);
                        payload_pos += take;
                        seal_in_place(key, &block_aad(b), dst);
                    }
                    self.storage
                        .write_at(block_offset(first), &run.as_slice()[..count * BLOCK_SIZE])
                        .map_err(Error::io("writing to the container"))?;
                    written_in_extent += count as u64;
                }
                push_extent(extents, *e);
            }
            total += filled as u64;
            progress(total);
        }
        if let Some(hint) = size_hint {
            if total != hint {
                return Err(Error::Io {
                    context: "the input changed size while it was being read",
                    source: std::io::Error::other("size changed"),
                });
            }
        }
        Ok(total)
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

    fn read_blocks(&self, id: ItemId, each: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let item = self.find(id)?;
        let mut remaining = item.size;
        let mut run = LockedBuf::new(IO_RUN_BLOCKS * BLOCK_SIZE);
        for e in &item.extents {
            let mut done = 0u64;
            while done < e.len as u64 {
                let count = ((e.len as u64 - done) as usize).min(IO_RUN_BLOCKS);
                let first = e.first as u64 + done;
                let buf = &mut run.as_mut_slice()[..count * BLOCK_SIZE];
                self.storage.read_at(block_offset(first), buf).map_err(Error::io("reading the container"))?;
                for k in 0..count {
                    let blk = &mut buf[k * BLOCK_SIZE..(k + 1) * BLOCK_SIZE];
                    if !open_in_place(&item.key, &block_aad(first + k as u64), blk) {
                        return Err(Error::ItemDamaged(id.to_string()));
                    }
                    let take = remaining.min(BLOCK_PAYLOAD as u64) as usize;
                    each(&blk[NONCE_LEN..NONCE_LEN + take])?;
                    remaining -= take as u64;
                }
                done += count as u64;
            }
        }
        Ok(())
    }

    /// Crypto-erases one item: its key leaves the index and every one of its blocks is
    /// overwritten in place with fresh random bytes, synced, before this returns.
    ///
    /// Two commits: the first marks the item as being erased (so a crash after it finishes
    /// the erase on next open), then the blocks are overwritten, then the entry (with the
    /// item's key) is dropped and the old index copies are overwritten too.
    pub fn remove(&mut self, id: ItemId) -> Result<()> {
        self.find(id)?;
        for it in self.top_mut().items.iter_mut() {
            if it.id == id.0 {
                it.erasing = true;
            }
        }
        if let Err(e) = self.commit_top(&mut Vec::new()) {
            for it in self.top_mut().items.iter_mut() {
                if it.id == id.0 {
                    it.erasing = false;
                }
            }
            return Err(e);
        }
        self.finish_erase(id)
    }

    fn finish_erase(&mut self, id: ItemId) -> Result<()> {
        let Some(pos) = self.top().items.iter().position(|it| it.id == id.0) else {
            return Ok(());
        };
        let blocks: Vec<u64> = self.top().items[pos].blocks().collect();
        self.scrub_blocks(&blocks)?;
        self.sync()?;
        let removed = self.top_mut().items.remove(pos);
        // The blocks stay marked used until the commit is durable, then are released.
        let mut release = blocks;
        if let Err(e) = self.commit_top(&mut release) {
            self.top_mut().items.insert(pos, removed);
            return Err(e);
        }
        drop(removed);
        Ok(())
    }

    /// Replaces an item's content (same id, kind and name; new key and new blocks); the old
    /// blocks are overwritten after the switch.
    pub fn replace(&mut self, id: ItemId, content: &[u8]) -> Result<()> {
        let old = self.find(id)?;
        let old_blocks: Vec<u64> = old.blocks().collect();
        let needed = meta::blocks_for(content.len() as u64) + 2 * self.index_blocks_needed(0, 4, 0);
        if needed > self.blocks.free {
            return Err(Error::Full { needed: needed * BLOCK_PAYLOAD as u64, available: self.free_bytes() });
        }
        let key = Key::random();
        let mut extents = Vec::new();
        let mut reader = content;
        if let Err(e) =
            self.write_content(&key, &mut reader, Some(content.len() as u64), &mut extents, &mut |_| {})
        {
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
    /// overwritten: open the highest compartment you have before hiding a new one.
    pub fn hide(&mut self, new_passphrase: &Passphrase, params: KdfParams) -> Result<usize> {
        if new_passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        let level = self.level() + 1;
        if level >= SLOT_COUNT {
            return Err(Error::NoFreeCompartment);
        }
        let master = derive_master_key(new_passphrase.as_bytes(), &self.salt, params);
        let keys = slot_keys(&master);
        let slots = read_all_slots(&self.storage)?;
        for (l, key) in keys.iter().enumerate() {
            for copy in 0..2 {
                if try_open_slot(&slots[l][copy], key, l, copy).is_some() {
                    return Err(Error::PassphraseAlreadyUsed);
                }
            }
        }
        let needed = 2 * self.index_blocks_needed(0, 0, 0);
        if needed > self.blocks.free {
            return Err(Error::Full { needed: needed * BLOCK_PAYLOAD as u64, available: self.free_bytes() });
        }
        let lower = self.top().slot_key.clone();
        self.compartments.push(Compartment {
            level,
            slot_key: keys[level].clone(),
            lower_slot_key: Some(lower),
            epoch: 0,
            copies: [None, None],
            items: Vec::new(),
        });
        if let Err(e) = self.commit_top(&mut Vec::new()) {
            self.compartments.pop();
            return Err(e);
        }
        Ok(level)
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
            fill_random(&mut noise);
            self.storage
                .write_at(block_offset(b), &noise)
                .map_err(Error::io("overwriting freed blocks"))?;
        }
        Ok(())
    }

    /// Writes the top compartment's index (both copies, fresh keys), then both header copies,
    /// then overwrites the old index blocks and `release_after` (blocks of removed items,
    /// already overwritten) and frees them.
    fn commit_top(&mut self, release_after: &mut Vec<u64>) -> Result<()> {
        let level = self.level();
        let blob = {
            let encoded = meta::encode(&self.top().items);
            let b = LockedBuf::from_slice(&encoded);
            let mut encoded = encoded;
            zeroize::Zeroize::zeroize(&mut encoded);
            b
        };
        let nblocks = meta::blocks_for(blob.len() as u64);
        if nblocks as usize > MAX_META_BLOCKS {
            return Err(Error::TooLarge("the compartment index (too many items)"));
        }
        if 2 * nblocks > self.blocks.free {
            return Err(Error::Full {
                needed: 2 * nblocks * BLOCK_PAYLOAD as u64,
                available: self.free_bytes(),
            });
        }
        // 1. Both new index copies.
        let mut new_copies: Vec<CopyState> = Vec::with_capacity(2);
        for _ in 0..2 {
            let key = Key::random();
            let extents = self.blocks.allocate(nblocks).expect("space checked above");
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
        // 2. Header copy A, then B.
        let epoch = self.top().epoch + 1;
        let mut slot = [0u8; BLOCK_SIZE];
        for (copy, state) in new_copies.iter().enumerate() {
            let body = SlotBody {
                epoch,
                lower_slot_key: self.top().lower_slot_key.clone(),
                meta_key: state.meta_key.clone(),
                meta_len: blob.len() as u32,
                meta_blocks: state.meta_blocks.clone(),
            };
            let mut plain = [0u8; BLOCK_PAYLOAD];
            body.encode(&mut plain)?;
            slot[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD].copy_from_slice(&plain);
            plain.fill(0);
            seal_in_place(&self.top().slot_key, &slot_aad(level, copy), &mut slot);
            let written = self
                .storage
                .write_at(block_offset(slot_block(level, copy)), &slot)
                .map_err(Error::io("writing the header"))
                .and_then(|_| self.sync());
            if let Err(e) = written {
                // Copy A may or may not have reached the disk, so the new index blocks stay
                // reserved in memory; the next open decides which copy is current.
                return Err(e);
            }
        }
        slot.fill(0);
        // 3. The old index copies and released blocks are overwritten and freed.
        let top = self.top_mut();
        top.epoch = epoch;
        let old: Vec<CopyState> = top.copies.iter_mut().filter_map(|c| c.take()).collect();
        let mut new_iter = new_copies.into_iter();
        top.copies = [new_iter.next(), new_iter.next()];
        let mut old_blocks: Vec<u64> =
            old.iter().flat_map(|c| c.meta_blocks.iter().map(|&b| b as u64)).collect();
        old_blocks.append(release_after);
        self.scrub_blocks(&old_blocks)?;
        self.sync()?;
        for b in old_blocks {
            self.blocks.release(b);
        }
        Ok(())
    }

    /// Gives the storage back (closing the vault). In-memory keys are zeroed on drop.
    pub fn into_storage(self) -> S {
        self.storage
    }
}

struct StaleCopy {
    meta_key: Key,
    meta_blocks: Vec<u32>,
    items: Vec<ItemEntry>,
}

fn push_extent(extents: &mut Vec<Extent>, e: Extent) {
    match extents.last_mut() {
        Some(last) if last.first as u64 + last.len as u64 == e.first as u64 => last.len += e.len,
        _ => extents.push(e),
    }
}

fn read_all_slots<S: Storage>(storage: &S) -> Result<Vec<[Vec<u8>; 2]>> {
    let mut area = vec![0u8; 2 * SLOT_COUNT * BLOCK_SIZE];
    storage
        .read_at(block_offset(SLOTS_FIRST_BLOCK), &mut area)
        .map_err(Error::io("reading the container"))?;
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
fn try_open_slot(sealed: &[u8], key: &Key, level: usize, copy: usize) -> Option<SlotBody> {
    let mut buf = LockedBuf::from_slice(sealed);
    if !open_in_place(key, &slot_aad(level, copy), buf.as_mut_slice()) {
        return None;
    }
    SlotBody::decode(&buf.as_slice()[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]).ok()
}
