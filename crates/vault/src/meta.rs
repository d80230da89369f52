//! The compartment index ("metadata blob"): the list of items, each with its own key and
//! the blocks that hold it. Stored encrypted across metadata blocks; see docs/FORMAT.md.
//!
//! ```text
//! u8      version = 1
//! u32le   item count
//! item:   u32le id | u8 kind (bit 7: being erased) | u8 name_len | name (UTF-8) | u64le created (unix seconds)
//!         | u64le size | 32 key | u32le extent count | extents: u32le first block, u32le length
//! ```

use crate::format::{BLOCK_PAYLOAD, FIRST_DATA_BLOCK, MAX_NAME_LEN, META_VERSION, META_VERSION_2};
use crate::primitives::{KEY_LEN, Key};
use zeroize::Zeroize;

/// What an item is. Notes and files are the user's; records belong to the remit layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ItemKind {
    Note,
    File,
    /// Structured data of the remittance layer (orders, keys, sealed reports).
    Record,
}

impl ItemKind {
    fn to_byte(self) -> u8 {
        match self {
            ItemKind::Note => 0,
            ItemKind::File => 1,
            ItemKind::Record => 2,
        }
    }
    fn from_byte(b: u8) -> Option<ItemKind> {
        Some(match b {
            0 => ItemKind::Note,
            1 => ItemKind::File,
            2 => ItemKind::Record,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Note => "note",
            ItemKind::File => "file",
            ItemKind::Record => "record",
        }
    }
}

/// A run of consecutive blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    pub first: u32,
    pub len: u32,
}

impl Extent {
    pub fn blocks(&self) -> impl Iterator<Item = u64> + use<> {
        let first = self.first as u64;
        first..first + self.len as u64
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemEntry {
    pub id: u32,
    pub kind: ItemKind,
    pub name: String,
    pub created_unix: u64,
    pub size: u64,
    pub key: Key,
    pub extents: Vec<Extent>,
    /// Set by the first step of a crypto-erase: the item is no longer listed, its blocks are
    /// being overwritten. An index that still has such an entry after a crash finishes the
    /// erase when next opened.
    pub erasing: bool,
    /// Index version 2: the item is being written across sessions. `size` is its final size;
    /// its extents hold its first blocks only (every one full), and it is neither listed nor
    /// readable until the commit that adds its last blocks clears this.
    pub partial: bool,
}

/// High bit of the kind byte: the item is being erased.
const KIND_ERASING_BIT: u8 = 0x80;
/// Bit 6 of the kind byte (index version 2 only): the item is partial (written across sessions).
const KIND_PARTIAL_BIT: u8 = 0x40;

impl Drop for ItemEntry {
    fn drop(&mut self) {
        self.name.zeroize();
    }
}

impl ItemEntry {
    pub fn block_count(&self) -> u64 {
        self.extents.iter().map(|e| e.len as u64).sum()
    }
    pub fn blocks(&self) -> impl Iterator<Item = u64> + '_ {
        self.extents.iter().flat_map(|e| e.blocks())
    }
}

/// Number of blocks needed for `size` bytes of content.
pub fn blocks_for(size: u64) -> u64 {
    size.div_ceil(BLOCK_PAYLOAD as u64)
}

/// Why a metadata blob was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetaDecodeError {
    Truncated,
    UnknownVersion(u8),
    UnknownKind(u8),
    NameNotUtf8,
    DuplicateId,
    /// An extent lies in the key area or has no blocks.
    ExtentOutOfRange,
    /// An extent reaches past the end of the container (it was truncated).
    ExtentBeyondEnd,
    /// The extents do not add up to the blocks needed for the item's size.
    SizeMismatch,
    TrailingBytes,
}

pub fn encode(items: &[ItemEntry]) -> Vec<u8> {
    encode_items(META_VERSION, items)
}

/// Encodes an index of format version 2: the items, then the noise list (oldest first).
pub fn encode_v2(items: &[ItemEntry], noise: &[u32]) -> Vec<u8> {
    let mut out = encode_items(META_VERSION_2, items);
    out.reserve(4 + 4 * noise.len());
    out.extend_from_slice(&(noise.len() as u32).to_le_bytes());
    for b in noise {
        out.extend_from_slice(&b.to_le_bytes());
    }
    out
}

fn encode_items(version: u8, items: &[ItemEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + items.len() * 80);
    out.push(version);
    out.extend_from_slice(&(items.len() as u32).to_le_bytes());
    for it in items {
        out.extend_from_slice(&it.id.to_le_bytes());
        debug_assert!(!it.partial || version == META_VERSION_2);
        let flags = if it.erasing { KIND_ERASING_BIT } else { 0 } | if it.partial { KIND_PARTIAL_BIT } else { 0 };
        out.push(it.kind.to_byte() | flags);
        debug_assert!(it.name.len() <= MAX_NAME_LEN);
        out.push(it.name.len() as u8);
        out.extend_from_slice(it.name.as_bytes());
        out.extend_from_slice(&it.created_unix.to_le_bytes());
        out.extend_from_slice(&it.size.to_le_bytes());
        out.extend_from_slice(it.key.as_bytes());
        out.extend_from_slice(&(it.extents.len() as u32).to_le_bytes());
        for e in &it.extents {
            out.extend_from_slice(&e.first.to_le_bytes());
            out.extend_from_slice(&e.len.to_le_bytes());
        }
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], MetaDecodeError> {
        let end = self.pos.checked_add(n).ok_or(MetaDecodeError::Truncated)?;
        let s = self.bytes.get(self.pos..end).ok_or(MetaDecodeError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, MetaDecodeError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, MetaDecodeError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    fn u64(&mut self) -> Result<u64, MetaDecodeError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
}

/// Strictly decodes a metadata blob of version 1 for a container of `block_count` blocks.
pub fn decode(bytes: &[u8], block_count: u64) -> Result<Vec<ItemEntry>, MetaDecodeError> {
    match decode_versioned(bytes, block_count)? {
        (items, _, META_VERSION) => Ok(items),
        (_, _, v) => Err(MetaDecodeError::UnknownVersion(v)),
    }
}

/// A decoded index: items, noise list (empty in version 1) and the index version.
pub type Decoded = (Vec<ItemEntry>, Vec<u32>, u8);

/// Strictly decodes a metadata blob of version 1 or 2.
pub fn decode_versioned(bytes: &[u8], block_count: u64) -> Result<Decoded, MetaDecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    let version = r.u8()?;
    if version != META_VERSION && version != META_VERSION_2 {
        return Err(MetaDecodeError::UnknownVersion(version));
    }
    let count = r.u32()? as usize;
    // Each item takes at least 58 bytes: a count beyond that is a lie, refuse before allocating.
    if count > bytes.len() / 58 {
        return Err(MetaDecodeError::Truncated);
    }
    let mut items: Vec<ItemEntry> = Vec::with_capacity(count);
    for _ in 0..count {
        let id = r.u32()?;
        let kind_byte = r.u8()?;
        let erasing = kind_byte & KIND_ERASING_BIT != 0;
        let partial = version == META_VERSION_2 && kind_byte & KIND_PARTIAL_BIT != 0;
        let kind = ItemKind::from_byte(kind_byte & !KIND_ERASING_BIT & if partial { !KIND_PARTIAL_BIT } else { 0xff })
            .ok_or(MetaDecodeError::UnknownKind(kind_byte))?;
        let name_len = r.u8()? as usize;
        let name = std::str::from_utf8(r.take(name_len)?).map_err(|_| MetaDecodeError::NameNotUtf8)?.to_owned();
        let created_unix = r.u64()?;
        let size = r.u64()?;
        let mut key_bytes = [0u8; KEY_LEN];
        key_bytes.copy_from_slice(r.take(KEY_LEN)?);
        let key = Key::from_bytes(key_bytes);
        key_bytes.zeroize();
        let extent_count = r.u32()? as usize;
        if extent_count > (bytes.len() - r.pos) / 8 {
            return Err(MetaDecodeError::Truncated);
        }
        let mut extents = Vec::with_capacity(extent_count);
        let mut total = 0u64;
        for _ in 0..extent_count {
            let first = r.u32()?;
            let len = r.u32()?;
            let end = first as u64 + len as u64;
            if (first as u64) < FIRST_DATA_BLOCK || len == 0 {
                return Err(MetaDecodeError::ExtentOutOfRange);
            }
            if end > block_count {
                return Err(MetaDecodeError::ExtentBeyondEnd);
            }
            total += len as u64;
            extents.push(Extent { first, len });
        }
        // A partial item holds at most the blocks its size needs (fewer until it is complete).
        if total > blocks_for(size) || (!partial && total != blocks_for(size)) {
            return Err(MetaDecodeError::SizeMismatch);
        }
        if items.iter().any(|i| i.id == id) {
            return Err(MetaDecodeError::DuplicateId);
        }
        items.push(ItemEntry { id, kind, name, created_unix, size, key, extents, erasing, partial });
    }
    let mut noise = Vec::new();
    if version == META_VERSION_2 {
        let count = r.u32()? as usize;
        if count > (bytes.len() - r.pos) / 4 {
            return Err(MetaDecodeError::Truncated);
        }
        noise.reserve(count);
        for _ in 0..count {
            let b = r.u32()?;
            if (b as u64) < FIRST_DATA_BLOCK {
                return Err(MetaDecodeError::ExtentOutOfRange);
            }
            if b as u64 >= block_count {
                return Err(MetaDecodeError::ExtentBeyondEnd);
            }
            noise.push(b);
        }
    }
    if r.pos != bytes.len() {
        return Err(MetaDecodeError::TrailingBytes);
    }
    Ok((items, noise, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: u32, first: u32, size: u64) -> ItemEntry {
        ItemEntry {
            id,
            kind: ItemKind::File,
            name: format!("사진-{id}.jpg"),
            created_unix: 1_700_000_000,
            size,
            key: Key::random(),
            extents: if size == 0 { vec![] } else { vec![Extent { first, len: blocks_for(size) as u32 }] },
            erasing: id == 7,
            partial: false,
        }
    }

    #[test]
    fn roundtrip() {
        let items = vec![item(1, 20, 5000), item(2, 40, 0), item(7, 50, 4056)];
        let blob = encode(&items);
        assert_eq!(decode(&blob, 1000).unwrap(), items);
        assert_eq!(decode(&encode(&[]), 1000).unwrap(), vec![]);
        let v2 = encode_v2(&items, &[30, 999, 18]);
        assert_eq!(decode_versioned(&v2, 1000).unwrap(), (items.clone(), vec![30, 999, 18], 2));
        assert_eq!(decode(&v2, 1000), Err(MetaDecodeError::UnknownVersion(2)));
        assert_eq!(decode_versioned(&v2, 999), Err(MetaDecodeError::ExtentBeyondEnd));
        assert_eq!(decode_versioned(&v2[..v2.len() - 1], 1000), Err(MetaDecodeError::Truncated));
    }

    #[test]
    fn partial_items_only_in_version_2() {
        let mut p = item(3, 20, 5 * 4056);
        p.partial = true;
        p.extents = vec![Extent { first: 20, len: 2 }];
        let v2 = encode_v2(&[p.clone()], &[]);
        assert_eq!(decode_versioned(&v2, 1000).unwrap().0, vec![p.clone()]);
        // More blocks than the size needs is damage, partial or not.
        let mut over = p.clone();
        over.extents = vec![Extent { first: 20, len: 6 }];
        assert_eq!(decode_versioned(&encode_v2(&[over], &[]), 1000), Err(MetaDecodeError::SizeMismatch));
        // The same bit in a version 1 index is an unknown kind.
        let mut v1 = encode(&[item(3, 20, 5 * 4056)]);
        v1[1 + 4 + 4] |= 0x40;
        assert_eq!(decode(&v1, 1000), Err(MetaDecodeError::UnknownKind(0x41)));
        // Without the bit, fewer blocks than the size needs is a size mismatch.
        let mut not_partial = p;
        not_partial.partial = false;
        assert_eq!(decode_versioned(&encode_v2(&[not_partial], &[]), 1000), Err(MetaDecodeError::SizeMismatch));
    }

    #[test]
    fn rejects_malformed() {
        let blob = encode(&[item(1, 20, 5000)]);
        assert_eq!(decode(&blob[..blob.len() - 1], 1000), Err(MetaDecodeError::Truncated));
        let mut extra = blob.clone();
        extra.push(0);
        assert_eq!(decode(&extra, 1000), Err(MetaDecodeError::TrailingBytes));
        assert_eq!(decode(&blob, 21), Err(MetaDecodeError::ExtentBeyondEnd));
        let dup = encode(&[item(1, 20, 10), item(1, 30, 10)]);
        assert_eq!(decode(&dup, 1000), Err(MetaDecodeError::DuplicateId));
        let mut bad_size = item(3, 20, 5000);
        bad_size.size = 10;
        assert_eq!(decode(&encode(&[bad_size]), 1000), Err(MetaDecodeError::SizeMismatch));
        let mut v = blob.clone();
        v[0] = 9;
        assert_eq!(decode(&v, 1000), Err(MetaDecodeError::UnknownVersion(9)));
        let mut huge = blob;
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge, 1000), Err(MetaDecodeError::Truncated));
    }
}
