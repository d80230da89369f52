//! Container layout (format version 1). docs/FORMAT.md is the full specification; this
//! comment is its summary and must stay in step with it.
//!
//! The container is `n * BLOCK_SIZE` bytes, every one of them CSPRNG output or ciphertext.
//! Nothing is stored in the clear except the salt, which is itself random bytes.
//!
//! ```text
//! block 0            salt block: salt_A at byte 0..32, salt_B at byte 2048..2080 (independent
//!                    random values), salt_A backup slots of levels 0..7 at 64 + 72*i and
//!                    salt_B backup slots at 2112 + 72*i, 72 bytes each; every other byte random
//! blocks 1..=8       header slot copy A of compartment levels 0..7
//! blocks 9..=16      header slot copy B of compartment levels 0..7
//! blocks 17..n       data blocks (metadata and item contents of every compartment, free
//!                    blocks are random bytes)
//! ```
//!
//! Every sealed block (slot or data) is `nonce(24) || XChaCha20-Poly1305 ciphertext(4056) || tag(16)`.
//!
//! ```text
//! master       = Argon2id(passphrase, salt_A, m=256 MiB, t=3, p=1, 32 bytes)
//! slot_key_i   = HKDF-SHA256(ikm=master, salt=empty, info="lethe v1 slot key" || u8(i))
//! backup_master = Argon2id(passphrase, salt_B, same parameters)
//! backup_key_i = HKDF-SHA256(ikm=backup_master, info="lethe v1 salt backup" || u8(i))
//! backup slot  = nonce(24) || XChaCha20-Poly1305(backup_key_i, AAD = "lethe v1 salt backup" || u8(i), salt_A) || tag(16)
//! b_backup_key_i = HKDF-SHA256(ikm=master, info="lethe v1 salt_B backup" || u8(i))
//! b_backup slot = nonce(24) || XChaCha20-Poly1305(b_backup_key_i, AAD = "lethe v1 salt_B backup" || u8(i), salt_B) || tag(16)
//! slot AAD   = "lethe v1 slot" || u8(level) || u8(copy)            copy: 0 = A, 1 = B
//! block AAD  = "lethe v1 block" || u64le(block index)
//! ```
//!
//! Slot plaintext (4056 bytes):
//!
//! ```text
//! offset size  field
//!      0    8  epoch, u64le: increases by one at every commit
//!      8    1  slot format version = 1
//!      9    1  flags: bit 0 set if this compartment has a lower one
//!     10    2  zero
//!     12   32  lower_slot_key: slot_key of level-1 (random bytes if none)
//!     44   32  meta_key: key of this copy's metadata blocks (fresh at every commit)
//!     76    4  meta_len, u32le: length of the metadata blob in bytes
//!     80    4  meta_block_count, u32le (at most MAX_META_BLOCKS)
//!     84  4*c  meta block indices, u32le each
//!      …       zero up to 4056
//! ```

pub const BLOCK_SIZE: usize = 4096;
pub const NONCE_LEN: usize = crate::primitives::NONCE_LEN;
pub const TAG_LEN: usize = crate::primitives::TAG_LEN;
/// Plaintext bytes carried by one sealed block.
pub const BLOCK_PAYLOAD: usize = BLOCK_SIZE - NONCE_LEN - TAG_LEN;

/// Number of compartment levels (header slots) in every container.
pub const SLOT_COUNT: usize = 8;
pub const SALT_A_OFFSET: u64 = 0;
pub const SALT_B_OFFSET: u64 = 2048;
/// Salt backup slot of level i: `SALT_BACKUP_OFFSET + i * SALT_BACKUP_LEN`. It holds salt_A
/// sealed under a key from the passphrase and salt_B, so a damaged salt_A can be recovered
/// without storing any relation between the two salts that an examiner could check.
pub const SALT_BACKUP_OFFSET: u64 = 64;
pub const SALT_BACKUP_LEN: usize = NONCE_LEN + 32 + TAG_LEN;
pub const SALT_BACKUP_INFO: &[u8] = b"lethe v1 salt backup";
/// Salt_B backup slot of level i: `SALT_B_BACKUP_OFFSET + i * SALT_BACKUP_LEN`. It holds
/// salt_B sealed under a key derived from the level's master key, so an open that succeeds
/// can check and repair salt_B without another Argon2id run.
pub const SALT_B_BACKUP_OFFSET: u64 = SALT_B_OFFSET + 64;
pub const SALT_B_BACKUP_INFO: &[u8] = b"lethe v1 salt_B backup";
/// First block of the header slots.
pub const SLOTS_FIRST_BLOCK: u64 = 1;
/// First data block: after the salt block and two copies of every slot.
pub const FIRST_DATA_BLOCK: u64 = SLOTS_FIRST_BLOCK + 2 * SLOT_COUNT as u64;
/// Blocks overwritten by `panic`: the salt and every header slot.
pub const KEY_AREA_BLOCKS: u64 = FIRST_DATA_BLOCK;

/// Smallest container: the key area plus 239 data blocks (1 MiB in all).
pub const MIN_CONTAINER_BYTES: u64 = 1024 * 1024;
/// Largest container: block indices are u32.
pub const MAX_CONTAINER_BYTES: u64 = (u32::MAX as u64) * BLOCK_SIZE as u64;

pub const SLOT_VERSION: u8 = 1;
/// Slot version of level 0 in a format version 2 container (see docs/FORMAT.md, version 2).
pub const SLOT_VERSION_2: u8 = 2;
pub const SLOT_FLAG_HAS_LOWER: u8 = 1;
pub const SLOT_FIXED_LEN: usize = 84;
pub const MAX_META_BLOCKS: usize = (BLOCK_PAYLOAD - SLOT_FIXED_LEN) / 4;

pub const SLOT_KEY_INFO: &[u8] = b"lethe v1 slot key";
pub const SLOT_AAD: &[u8] = b"lethe v1 slot";
pub const BLOCK_AAD: &[u8] = b"lethe v1 block";

/// Metadata blob version (first byte of the blob).
pub const META_VERSION: u8 = 1;
/// Index version 2: the items, then level 0's noise list.
pub const META_VERSION_2: u8 = 2;

/// Format version 2: link positions tried per level above 0.
pub const LINK_CANDIDATES: u32 = 16;
pub const LINK_POSITION_INFO: &[u8] = b"lethe v2 link position";
pub const LINK_AAD: &[u8] = b"lethe v2 link";
pub const HEADER_V2_AAD: &[u8] = b"lethe v2 header";

/// Format version 2: a header block of a level above 0 is `t (16) || nonce (24) || ct || tag (16)`
/// where `t` is a keyed tag that lets an open find header blocks without an AEAD attempt.
pub const HEADER_V2_TAG_LEN: usize = 16;
/// Plaintext bytes of a version 2 header block above level 0 (the slot body cut to this length).
pub const HEADER_V2_PAYLOAD: usize = BLOCK_SIZE - HEADER_V2_TAG_LEN - NONCE_LEN - TAG_LEN;
/// Most index blocks a version 2 header above level 0 can name.
pub const MAX_META_BLOCKS_V2_HEADER: usize = (HEADER_V2_PAYLOAD - SLOT_FIXED_LEN) / 4;
/// HKDF info of the tag key of `level`'s header blocks: `... || u8(level)`.
pub const HEADER_TAG_KEY_INFO: &[u8] = b"lethe v2 header tag key";
/// First input of every header tag: `t = HMAC(tag_key, HEADER_TAG_LABEL || u64le(b) || nonce)[0..16]`.
pub const HEADER_TAG_LABEL: &[u8] = b"lethe v2 header tag";

/// HKDF info of the header tag key of `level`.
pub fn header_tag_key_info(level: usize) -> Vec<u8> {
    let mut info = HEADER_TAG_KEY_INFO.to_vec();
    info.push(level as u8);
    info
}

/// Blocks every format version 2 session writes as cover: `clamp(ceil(D / 256), 16, 1024)`
/// for `D` data blocks.
pub fn session_budget(block_count: u64) -> u64 {
    (block_count - FIRST_DATA_BLOCK).div_ceil(256).clamp(16, 1024)
}

/// AAD of the link block of `level` at block `b` (format version 2).
pub fn link_aad(level: usize, b: u64) -> Vec<u8> {
    let mut aad = LINK_AAD.to_vec();
    aad.push(level as u8);
    aad.extend_from_slice(&b.to_le_bytes());
    aad
}

/// AAD of a header copy of `level` (above 0) at block `b` (format version 2).
pub fn header_v2_aad(level: usize, copy: usize, b: u64) -> Vec<u8> {
    let mut aad = HEADER_V2_AAD.to_vec();
    aad.push(level as u8);
    aad.push(copy as u8);
    aad.extend_from_slice(&b.to_le_bytes());
    aad
}

/// HKDF info of link position `j` of `level`.
pub fn link_position_info(level: usize, j: u32) -> Vec<u8> {
    let mut info = LINK_POSITION_INFO.to_vec();
    info.push(level as u8);
    info.extend_from_slice(&j.to_le_bytes());
    info
}
/// Longest item name in bytes.
pub const MAX_NAME_LEN: usize = 255;

/// Block index of header slot `level`, copy `copy` (0 = A, 1 = B); its byte offset is
/// [`block_offset`] of it.
pub const fn slot_block(level: usize, copy: usize) -> u64 {
    SLOTS_FIRST_BLOCK + (copy * SLOT_COUNT + level) as u64
}

pub const fn block_offset(block: u64) -> u64 {
    block * BLOCK_SIZE as u64
}

pub fn slot_aad(level: usize, copy: usize) -> Vec<u8> {
    let mut aad = SLOT_AAD.to_vec();
    aad.push(level as u8);
    aad.push(copy as u8);
    aad
}

pub fn block_aad(block: u64) -> [u8; 22] {
    let mut aad = [0u8; 22];
    aad[..14].copy_from_slice(BLOCK_AAD);
    aad[14..].copy_from_slice(&block.to_le_bytes());
    aad
}

pub fn slot_key_info(level: usize) -> Vec<u8> {
    let mut info = SLOT_KEY_INFO.to_vec();
    info.push(level as u8);
    info
}

pub fn salt_backup_offset(level: usize) -> u64 {
    SALT_BACKUP_OFFSET + (level * SALT_BACKUP_LEN) as u64
}

pub fn salt_b_backup_offset(level: usize) -> u64 {
    SALT_B_BACKUP_OFFSET + (level * SALT_BACKUP_LEN) as u64
}

pub fn salt_b_backup_label(level: usize) -> Vec<u8> {
    let mut v = SALT_B_BACKUP_INFO.to_vec();
    v.push(level as u8);
    v
}

pub fn salt_backup_label(level: usize) -> Vec<u8> {
    let mut v = SALT_BACKUP_INFO.to_vec();
    v.push(level as u8);
    v
}
