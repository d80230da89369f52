//! The vault's fuzz harnesses. Only the vault's public API is used, so the same file also
//! compiles inside the vault's integration tests (crates/vault/tests/fuzz_regressions.rs).
//!
//! `open_container` does not feed raw bytes to `Vault::open`: nearly every random byte string
//! fails authentication at the first header slot, so the parsers behind the AEAD would never
//! run. Instead it starts from a fixed, valid container — written here from its plaintext
//! structures with fixed keys, so that an input always means the same container — applies the
//! edits the input describes to the decrypted header slots and indexes (structured edits and
//! byte edits), seals them again with the right keys, then applies raw byte patches and
//! truncation to the sealed image.

use lethe_vault::format::{
    BLOCK_PAYLOAD, BLOCK_SIZE, FIRST_DATA_BLOCK, MAX_META_BLOCKS, NONCE_LEN, SALT_A_OFFSET, SALT_B_OFFSET,
    SALT_BACKUP_LEN, block_aad, block_offset, salt_b_backup_label, salt_b_backup_offset, salt_backup_label,
    salt_backup_offset, slot_aad, slot_block, slot_key_info,
};
use lethe_vault::meta::{self, Extent, ItemEntry};
use lethe_vault::primitives::{Key, SALT_LEN, derive_master_key, derive_subkey, seal_in_place};
use lethe_vault::slot::SlotBody;
use lethe_vault::{ItemKind, KdfParams, MemStorage, Passphrase, Vault};
use std::sync::OnceLock;

const PARAMS: KdfParams = KdfParams::INSECURE_TEST_ONLY;

/// Passphrases of the fixed container's compartments (level 0, level 1), and one that opens
/// nothing.
pub const PASSPHRASES: [&str; 3] = ["decoy passphrase", "hidden passphrase", "wrong passphrase"];

/// Blocks of the fixed container: a little over the 1 MiB minimum, so that truncating it can
/// still leave a valid length that cuts off blocks in use.
const BLOCKS: u64 = 300;
const SALT_A: [u8; SALT_LEN] = [0x5a; SALT_LEN];
const SALT_B: [u8; SALT_LEN] = [0xb5; SALT_LEN];

// ---------------------------------------------------------------------------------------------
// slot_decode

pub fn slot_decode(data: &[u8]) {
    // As given (any length is refused cleanly but for exactly one), and fitted to that length.
    let _ = SlotBody::decode(data);
    let mut plain = [0u8; BLOCK_PAYLOAD];
    let n = data.len().min(BLOCK_PAYLOAD);
    plain[..n].copy_from_slice(&data[..n]);
    if let Ok(body) = SlotBody::decode(&plain) {
        assert!(body.meta_blocks.len() <= MAX_META_BLOCKS);
        assert!(body.meta_blocks.iter().all(|&b| b as u64 >= FIRST_DATA_BLOCK));
        assert_eq!(body.meta_blocks.len(), (body.meta_len as usize).div_ceil(BLOCK_PAYLOAD));
        let mut again = [0u8; BLOCK_PAYLOAD];
        body.encode(&mut again).expect("a decoded slot encodes");
        assert_eq!(SlotBody::decode(&again), Ok(body));
    }
}

// ---------------------------------------------------------------------------------------------
// meta_decode

pub fn meta_decode(data: &[u8]) {
    // The first two bytes give the container's size in data blocks (small, so that extents
    // can reach its end), the rest is the index.
    let (head, blob) = data.split_at(data.len().min(2));
    let mut count = [0u8; 2];
    count[..head.len()].copy_from_slice(head);
    let block_count = FIRST_DATA_BLOCK + u16::from_le_bytes(count) as u64;
    if let Ok(items) = meta::decode(blob, block_count) {
        for (i, it) in items.iter().enumerate() {
            assert!(items[..i].iter().all(|other| other.id != it.id), "duplicate id accepted");
            for e in &it.extents {
                assert!(e.len > 0);
                assert!(e.first as u64 >= FIRST_DATA_BLOCK);
                assert!(e.first as u64 + e.len as u64 <= block_count);
            }
            assert_eq!(it.block_count(), meta::blocks_for(it.size));
        }
        assert_eq!(meta::encode(&items), blob, "a decoded index re-encodes to the same bytes");
    }
}

// ---------------------------------------------------------------------------------------------
// open_container: the fixed container

/// A fixed key for the fixed container (fuzzing only: the container is not secret).
fn fixed_key(tag: u8) -> Key {
    Key::from_bytes([tag; 32])
}

fn slot_keys() -> &'static [Key; 2] {
    &keys().0
}

/// Slot keys of levels 0 and 1, and `(offset, sealed)` of each salt backup slot.
type SlotAndBackupKeys = ([Key; 2], Vec<(usize, Vec<u8>)>);

/// Slot keys of levels 0 and 1, and the salt backup slots of both levels (`(offset, sealed)`),
/// as docs/FORMAT.md describes them.
fn keys() -> &'static SlotAndBackupKeys {
    static KEYS: OnceLock<SlotAndBackupKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut slot_keys = Vec::new();
        let mut backups = Vec::new();
        for (level, pw) in PASSPHRASES.iter().enumerate().take(2) {
            let pw = pw.as_bytes();
            let master = derive_master_key(pw, &SALT_A, PARAMS);
            slot_keys.push(derive_subkey(&master, &slot_key_info(level)));
            // salt_A under a key from the passphrase and salt_B; salt_B under the master key.
            let backup_master = derive_master_key(pw, &SALT_B, PARAMS);
            let a_key = derive_subkey(&backup_master, &salt_backup_label(level));
            let b_key = derive_subkey(&master, &salt_b_backup_label(level));
            for (key, label, salt, off) in [
                (a_key, salt_backup_label(level), SALT_A, salt_backup_offset(level)),
                (b_key, salt_b_backup_label(level), SALT_B, salt_b_backup_offset(level)),
            ] {
                let mut sealed = vec![0u8; SALT_BACKUP_LEN];
                sealed[NONCE_LEN..NONCE_LEN + SALT_LEN].copy_from_slice(&salt);
                seal_in_place(&key, &label, &mut sealed);
                backups.push((off as usize, sealed));
            }
        }
        let b = slot_keys.pop().expect("two");
        let a = slot_keys.pop().expect("two");
        ([a, b], backups)
    })
}

/// The never-used blocks: fixed pseudo-random bytes.
fn noise() -> &'static [u8] {
    static NOISE: OnceLock<Vec<u8>> = OnceLock::new();
    NOISE.get_or_init(|| {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut v = vec![0u8; (BLOCKS as usize) * BLOCK_SIZE];
        for chunk in v.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
        }
        v
    })
}

struct CopyPlan {
    body: SlotBody,
    items: Vec<ItemEntry>,
    /// The index as encoded, then edited byte-wise.
    blob: Vec<u8>,
    /// Written as random bytes instead of a sealed slot.
    dropped: bool,
    /// Byte edits of the slot plaintext.
    slot_edits: Vec<(usize, Vec<u8>)>,
    /// Byte edits of the encoded index.
    index_edits: Vec<(usize, Vec<u8>)>,
    /// Further blocks where this copy's index is sealed (and then pointed to).
    extra_index_at: Vec<u32>,
}

fn item(id: u32, kind: ItemKind, name: &str, size: u64, key: u8, extents: &[(u32, u32)], erasing: bool) -> ItemEntry {
    ItemEntry {
        id,
        kind,
        name: name.to_owned(),
        created_unix: 1_790_000_000 + id as u64,
        size,
        key: fixed_key(key),
        extents: extents.iter().map(|&(first, len)| Extent { first, len }).collect(),
        erasing,
        partial: false,
    }
}

fn copy(epoch: u64, lower: Option<Key>, meta_key: u8, meta_block: u32, items: Vec<ItemEntry>) -> CopyPlan {
    CopyPlan {
        body: SlotBody {
            epoch,
            lower_slot_key: lower,
            meta_key: fixed_key(meta_key),
            meta_len: 0,
            meta_blocks: vec![meta_block],
        },
        items,
        blob: Vec::new(),
        dropped: false,
        slot_edits: Vec::new(),
        index_edits: Vec::new(),
        extra_index_at: Vec::new(),
    }
}

/// Level 0 (two equal copies, with a note, a file in two extents, an empty record and an
/// interrupted erase), level 1 above it (copy A newer than copy B, which still lists an item
/// since removed), with its file in the last blocks of the container.
fn fixed_plan() -> Vec<CopyPlan> {
    let p = BLOCK_PAYLOAD as u64;
    let level0 = || {
        vec![
            item(0x11, ItemKind::Note, "note", 100, 0x21, &[(40, 1)], false),
            item(0x12, ItemKind::File, "photo.jpg", 3 * p - 10, 0x22, &[(50, 2), (60, 1)], false),
            item(0x13, ItemKind::Record, "", 0, 0x23, &[], false),
            item(0x14, ItemKind::Note, "being erased", 10, 0x24, &[(70, 1)], true),
        ]
    };
    let video = || item(0x15, ItemKind::File, "video.mp4", 2 * p, 0x25, &[(280, 2)], false);
    let lower = Some(slot_keys()[0].clone());
    vec![
        copy(7, None, 0x31, 30, level0()),
        copy(7, None, 0x32, 31, level0()),
        copy(3, lower.clone(), 0x33, 90, vec![video()]),
        copy(2, lower, 0x34, 91, vec![video(), item(0x16, ItemKind::Note, "old", 5, 0x26, &[(120, 1)], false)]),
    ]
}

// ---------------------------------------------------------------------------------------------
// open_container: the input

struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Input<'a> {
    fn u8(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }
    fn uint(&mut self, n: usize) -> u64 {
        let mut v = 0u64;
        for i in 0..n {
            v |= (self.u8().unwrap_or(0) as u64) << (8 * i);
        }
        v
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let end = (self.pos + n).min(self.data.len());
        let v = self.data[self.pos..end].to_vec();
        self.pos = end;
        v
    }
}

#[derive(Default)]
struct ImageEdits {
    raw: Vec<(u64, Vec<u8>)>,
    truncate: Option<u64>,
    salt_xor: Vec<(usize, usize, u8)>,
}

/// Applies one structured edit of an index entry.
fn edit_item(plan: &mut [CopyPlan], which: usize, idx: usize, field: u8, val: u32) {
    let p = BLOCK_PAYLOAD as u64;
    let items = &mut plan[which].items;
    if items.is_empty() {
        if field == 8 {
            items.push(item(val, ItemKind::Note, "new", 1, val as u8, &[(val % BLOCKS as u32, 1)], false));
        }
        return;
    }
    let i = idx % items.len();
    let it = &mut items[i];
    match field {
        0 => {
            if let Some(e) = it.extents.first_mut() {
                e.first = val;
            }
        }
        1 => {
            // A new length, with the size made to match so that the index stays valid.
            if let Some(e) = it.extents.first_mut() {
                e.len = val;
            }
            it.size = it.block_count() * p;
        }
        2 => it.size = val as u64,
        3 => it.erasing = !it.erasing,
        4 => it.id = val,
        5 => {
            it.kind = match val % 3 {
                0 => ItemKind::Note,
                1 => ItemKind::File,
                _ => ItemKind::Record,
            }
        }
        6 => {
            it.extents.push(Extent { first: val & 0xffff, len: (val >> 16) & 0xff });
            it.size = it.block_count() * p;
        }
        7 => {
            items.remove(i);
        }
        _ => {
            // Copy the entry into another copy (the other copy of this level, or a copy of
            // the other level: one block then has two owners).
            let dup = it.clone();
            let to = (which + 1 + (val as usize % 3)) % plan.len();
            plan[to].items.push(dup);
        }
    }
}

fn edit_slot(plan: &mut [CopyPlan], which: usize, field: u8, val: u64) {
    let body = &mut plan[which].body;
    match field {
        0 => body.epoch = val,
        1 => body.lower_slot_key = None,
        2 => {
            body.lower_slot_key = Some(match val % 3 {
                0 => slot_keys()[0].clone(),
                1 => slot_keys()[1].clone(),
                _ => fixed_key(val as u8),
            })
        }
        3 => body.meta_blocks.push(val as u32 % (BLOCKS as u32 + 100)),
        4 => body.meta_blocks = vec![val as u32 % (BLOCKS as u32 + 100)],
        _ => body.meta_blocks.clear(),
    }
}

fn parse(data: &[u8], plan: &mut [CopyPlan]) -> ImageEdits {
    let mut inp = Input { data, pos: 0 };
    let mut img = ImageEdits::default();
    // At most 64 edits, so that one input stays cheap.
    for _ in 0..64 {
        let Some(tag) = inp.u8() else { break };
        let which = inp.u8().unwrap_or(0) as usize % plan.len();
        match tag % 9 {
            0 => {
                let off = inp.uint(2) as usize % BLOCK_PAYLOAD;
                let n = inp.u8().unwrap_or(0) as usize % 17;
                let b = inp.bytes(n);
                plan[which].slot_edits.push((off, b));
            }
            1 => {
                let off = inp.uint(2) as usize;
                let n = inp.u8().unwrap_or(0) as usize % 17;
                let b = inp.bytes(n);
                plan[which].index_edits.push((off, b));
            }
            2 => {
                let off = inp.uint(3);
                let n = inp.u8().unwrap_or(0) as usize % 33;
                let b = inp.bytes(n);
                img.raw.push((off, b));
            }
            3 => img.truncate = Some(inp.uint(3)),
            4 => {
                let idx = inp.u8().unwrap_or(0) as usize;
                let field = inp.u8().unwrap_or(0) % 9;
                let val = inp.uint(4) as u32;
                edit_item(plan, which, idx, field, val);
            }
            5 => {
                let field = inp.u8().unwrap_or(0) % 6;
                let val = inp.uint(8);
                edit_slot(plan, which, field, val);
            }
            6 => {
                let at = inp.uint(2) as u32 % BLOCKS as u32;
                plan[which].extra_index_at.push(at);
            }
            7 => plan[which].dropped = true,
            _ => {
                let off = inp.u8().unwrap_or(0) as usize % SALT_LEN;
                let x = inp.u8().unwrap_or(1);
                img.salt_xor.push((which % 2, off, x));
            }
        }
    }
    img
}

// ---------------------------------------------------------------------------------------------
// open_container: writing the image

fn seal_block(image: &mut [u8], key: &Key, b: u64, payload: &[u8]) {
    if b >= BLOCKS {
        return;
    }
    let mut block = [0u8; BLOCK_SIZE];
    let n = payload.len().min(BLOCK_PAYLOAD);
    block[NONCE_LEN..NONCE_LEN + n].copy_from_slice(&payload[..n]);
    seal_in_place(key, &block_aad(b), &mut block);
    let off = block_offset(b) as usize;
    image[off..off + BLOCK_SIZE].copy_from_slice(&block);
}

fn apply_edits(bytes: &mut Vec<u8>, edits: &[(usize, Vec<u8>)], max_len: usize) {
    for (off, b) in edits {
        if b.is_empty() {
            // An empty edit cuts the bytes there.
            bytes.truncate((*off).min(bytes.len()));
            continue;
        }
        let off = off % (bytes.len() + 8);
        let end = (off + b.len()).min(max_len);
        if end <= off {
            continue;
        }
        if bytes.len() < end {
            bytes.resize(end, 0);
        }
        bytes[off..end].copy_from_slice(&b[..end - off]);
    }
}

/// The container the input describes.
pub fn build_image(data: &[u8]) -> Vec<u8> {
    let mut plan = fixed_plan();
    let edits = parse(data, &mut plan);
    let mut image = noise().to_vec();

    // Item contents, sealed under their keys (every item of every copy, once per block).
    for c in &plan {
        for it in &c.items {
            let mut remaining = it.size;
            for e in &it.extents {
                let end = (e.first as u64 + e.len as u64).min(BLOCKS);
                for b in (e.first as u64).max(FIRST_DATA_BLOCK)..end {
                    let take = remaining.min(BLOCK_PAYLOAD as u64) as usize;
                    let content = vec![(it.id as u8) ^ (b as u8); take];
                    seal_block(&mut image, &it.key, b, &content);
                    remaining -= take as u64;
                }
            }
        }
    }
    // Indexes, then slots.
    for (i, c) in plan.iter_mut().enumerate() {
        let (level, copy_no) = (i / 2, i % 2);
        c.blob = meta::encode(&c.items);
        apply_edits(&mut c.blob, &c.index_edits, 4 * BLOCK_PAYLOAD);
        c.body.meta_len = c.blob.len() as u32;
        // The template has one index block per copy; a longer index gets more (200 + …).
        let needed = c.blob.len().div_ceil(BLOCK_PAYLOAD);
        while c.body.meta_blocks.len() < needed {
            let next = 200 + 4 * c.body.meta_blocks.len() as u32 + i as u32;
            c.body.meta_blocks.push(next);
        }
        for (k, &b) in c.body.meta_blocks.iter().enumerate() {
            let chunk = c.blob.get(k * BLOCK_PAYLOAD..).unwrap_or(&[]);
            seal_block(&mut image, &c.body.meta_key, b as u64, chunk);
        }
        for &b in &c.extra_index_at {
            seal_block(&mut image, &c.body.meta_key, b as u64, &c.blob);
        }
        if let Some(&last) = c.extra_index_at.last()
            && c.blob.len() <= BLOCK_PAYLOAD
        {
            c.body.meta_blocks = vec![last];
        }
        if c.dropped {
            continue;
        }
        let mut plain = [0u8; BLOCK_PAYLOAD];
        if c.body.encode(&mut plain).is_err() {
            continue;
        }
        let mut v = plain.to_vec();
        apply_edits(&mut v, &c.slot_edits, BLOCK_PAYLOAD);
        v.resize(BLOCK_PAYLOAD, 0);
        let mut block = [0u8; BLOCK_SIZE];
        block[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD].copy_from_slice(&v);
        seal_in_place(&slot_keys()[level], &slot_aad(level, copy_no), &mut block);
        let off = block_offset(slot_block(level, copy_no)) as usize;
        image[off..off + BLOCK_SIZE].copy_from_slice(&block);
    }
    // Salts and their backups.
    for (off, sealed) in &keys().1 {
        image[*off..off + sealed.len()].copy_from_slice(sealed);
    }
    for (copy_no, (off, salt)) in [(SALT_A_OFFSET, SALT_A), (SALT_B_OFFSET, SALT_B)].into_iter().enumerate() {
        let mut salt = salt;
        for &(c, i, x) in &edits.salt_xor {
            if c == copy_no {
                salt[i] ^= x;
            }
        }
        image[off as usize..off as usize + SALT_LEN].copy_from_slice(&salt);
    }
    // Raw patches on the sealed image, then truncation.
    for (off, b) in &edits.raw {
        let off = (*off as usize) % image.len();
        let end = (off + b.len()).min(image.len());
        image[off..end].copy_from_slice(&b[..end - off]);
    }
    if let Some(t) = edits.truncate {
        image.truncate(t as usize % (image.len() + 1));
    }
    image
}

// ---------------------------------------------------------------------------------------------
// open_container: using it

/// Opens the container the input describes with every passphrase; whatever opens is listed,
/// read, written to and reopened. Nothing may panic.
pub fn open_container(data: &[u8]) {
    let storage = MemStorage::new(build_image(data));
    // The top compartment first (opening it repairs both levels), then the decoy, then a
    // passphrase of nothing.
    for pw in [PASSPHRASES[1], PASSPHRASES[0], PASSPHRASES[2]] {
        let Ok(mut v) = Vault::open(storage.clone(), &Passphrase::new(pw.as_bytes()), PARAMS) else {
            continue;
        };
        let _ = v.level();
        let _ = v.free_bytes();
        for (i, item) in v.list().into_iter().enumerate() {
            let _ = v.info(item.id);
            if i == 0 {
                // The streaming reader once (each read costs a 1 MiB locked buffer).
                let _ = v.read_to(item.id, &mut std::io::sink(), &mut |_| {});
            } else if let Ok(content) = v.read(item.id) {
                assert_eq!(content.len() as u64, item.size, "read returns the listed size");
            }
        }
        let _ = v.add(ItemKind::Note, "fuzz", b"a note added to a fuzzed container");
        let listed = v.list();
        if let Some(first) = listed.first() {
            let _ = v.remove(first.id);
        }
        if let Some(last) = listed.last() {
            let _ = v.replace(last.id, b"replaced");
        }
        let _ = v.hide(&Passphrase::new(b"a new hidden passphrase"), PARAMS);
        drop(v);
        if let Ok(v) = Vault::open(storage.clone(), &Passphrase::new(pw.as_bytes()), PARAMS) {
            for item in v.list() {
                let _ = v.read(item.id);
            }
        }
    }
}

/// Checks that the unedited input gives a container that opens with both passphrases and
/// lists the fixed items (used by the regression tests, so the harness cannot silently
/// reject everything).
pub fn fixed_container_opens() -> (usize, usize) {
    let storage = MemStorage::new(build_image(&[]));
    let top = Vault::open(storage.clone(), &Passphrase::new(PASSPHRASES[1].as_bytes()), PARAMS)
        .expect("the fixed container opens with the hidden passphrase");
    let hidden_items = top.list().len();
    for item in top.list() {
        top.read(item.id).expect("fixed items are readable");
    }
    drop(top);
    let decoy = Vault::open(storage, &Passphrase::new(PASSPHRASES[0].as_bytes()), PARAMS)
        .expect("the fixed container opens with the decoy passphrase");
    for item in decoy.list() {
        decoy.read(item.id).expect("fixed items are readable");
    }
    (decoy.list().len(), hidden_items)
}
