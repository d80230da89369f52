//! Header slot plaintext: encoding and strict decoding (see the table in `format`).

use crate::format::*;
use crate::primitives::{KEY_LEN, Key};
use zeroize::Zeroize;

/// The decrypted content of one header slot copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotBody {
    pub epoch: u64,
    /// Slot key of the compartment one level below, if any.
    pub lower_slot_key: Option<Key>,
    /// Key of the metadata blocks this copy points to.
    pub meta_key: Key,
    pub meta_len: u32,
    pub meta_blocks: Vec<u32>,
}

/// Why a decrypted slot body was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SlotDecodeError {
    /// Not exactly `BLOCK_PAYLOAD` bytes.
    WrongLength,
    /// Unknown slot format version.
    UnknownVersion(u8),
    /// A reserved byte or flag is not zero.
    ReservedBitsSet,
    /// More metadata blocks than fit, or a block count that does not match `meta_len`.
    BadMetaBlocks,
    /// A metadata block index points into the key area.
    BlockOutOfRange,
}

impl SlotBody {
    /// Encodes into exactly `BLOCK_PAYLOAD` bytes (slot version 1).
    pub fn encode(&self, out: &mut [u8; BLOCK_PAYLOAD]) -> Result<(), crate::Error> {
        self.encode_version(SLOT_VERSION, out)
    }

    /// Encodes with slot version `version` (1 or 2; the layout is the same).
    pub fn encode_version(&self, version: u8, out: &mut [u8; BLOCK_PAYLOAD]) -> Result<(), crate::Error> {
        if self.meta_blocks.len() > MAX_META_BLOCKS {
            return Err(crate::Error::TooLarge("the compartment index"));
        }
        out.fill(0);
        out[0..8].copy_from_slice(&self.epoch.to_le_bytes());
        out[8] = version;
        match &self.lower_slot_key {
            Some(k) => {
                out[9] = SLOT_FLAG_HAS_LOWER;
                out[12..44].copy_from_slice(k.as_bytes());
            }
            None => {
                out[9] = 0;
                crate::primitives::fill_random(&mut out[12..44]);
            }
        }
        out[44..76].copy_from_slice(self.meta_key.as_bytes());
        out[76..80].copy_from_slice(&self.meta_len.to_le_bytes());
        out[80..84].copy_from_slice(&(self.meta_blocks.len() as u32).to_le_bytes());
        for (i, b) in self.meta_blocks.iter().enumerate() {
            out[SLOT_FIXED_LEN + 4 * i..SLOT_FIXED_LEN + 4 * i + 4].copy_from_slice(&b.to_le_bytes());
        }
        Ok(())
    }

    /// Strictly decodes a slot plaintext of slot version 1.
    pub fn decode(bytes: &[u8]) -> Result<SlotBody, SlotDecodeError> {
        match Self::decode_versioned(bytes)? {
            (body, SLOT_VERSION) => Ok(body),
            (_, v) => Err(SlotDecodeError::UnknownVersion(v)),
        }
    }

    /// Strictly decodes a slot plaintext of slot version 1 or 2; returns the version too.
    pub fn decode_versioned(bytes: &[u8]) -> Result<(SlotBody, u8), SlotDecodeError> {
        if bytes.len() != BLOCK_PAYLOAD {
            return Err(SlotDecodeError::WrongLength);
        }
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().expect("4 bytes"));
        let epoch = u64::from_le_bytes(bytes[0..8].try_into().expect("8 bytes"));
        let version = bytes[8];
        if version != SLOT_VERSION && version != SLOT_VERSION_2 {
            return Err(SlotDecodeError::UnknownVersion(bytes[8]));
        }
        if bytes[9] & !SLOT_FLAG_HAS_LOWER != 0 || bytes[10] != 0 || bytes[11] != 0 {
            return Err(SlotDecodeError::ReservedBitsSet);
        }
        let mut key_bytes = [0u8; KEY_LEN];
        let lower_slot_key = if bytes[9] & SLOT_FLAG_HAS_LOWER != 0 {
            key_bytes.copy_from_slice(&bytes[12..44]);
            Some(Key::from_bytes(key_bytes))
        } else {
            None
        };
        key_bytes.copy_from_slice(&bytes[44..76]);
        let meta_key = Key::from_bytes(key_bytes);
        key_bytes.zeroize();
        let meta_len = u32_at(76);
        let count = u32_at(80) as usize;
        if count > MAX_META_BLOCKS || count != (meta_len as usize).div_ceil(BLOCK_PAYLOAD) {
            return Err(SlotDecodeError::BadMetaBlocks);
        }
        let mut meta_blocks = Vec::with_capacity(count);
        for i in 0..count {
            let b = u32_at(SLOT_FIXED_LEN + 4 * i);
            if (b as u64) < FIRST_DATA_BLOCK {
                return Err(SlotDecodeError::BlockOutOfRange);
            }
            meta_blocks.push(b);
        }
        if bytes[SLOT_FIXED_LEN + 4 * count..].iter().any(|&b| b != 0) {
            return Err(SlotDecodeError::ReservedBitsSet);
        }
        Ok((SlotBody { epoch, lower_slot_key, meta_key, meta_len, meta_blocks }, version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let body = SlotBody {
            epoch: 42,
            lower_slot_key: Some(Key::random()),
            meta_key: Key::random(),
            meta_len: (BLOCK_PAYLOAD * 2 + 1) as u32,
            meta_blocks: vec![17, 99, 1000],
        };
        let mut out = [0u8; BLOCK_PAYLOAD];
        body.encode(&mut out).unwrap();
        assert_eq!(SlotBody::decode(&out).unwrap(), body);
        let none = SlotBody { lower_slot_key: None, meta_len: 0, meta_blocks: vec![], ..body };
        none.encode(&mut out).unwrap();
        assert_eq!(SlotBody::decode(&out).unwrap(), none);
    }

    #[test]
    fn rejects_bad_counts_and_versions() {
        let body =
            SlotBody { epoch: 1, lower_slot_key: None, meta_key: Key::random(), meta_len: 10, meta_blocks: vec![20] };
        let mut out = [0u8; BLOCK_PAYLOAD];
        body.encode(&mut out).unwrap();
        let mut v = out;
        v[8] = 2;
        assert_eq!(SlotBody::decode(&v), Err(SlotDecodeError::UnknownVersion(2)));
        assert_eq!(SlotBody::decode_versioned(&v).unwrap().1, 2);
        v[8] = 3;
        assert_eq!(SlotBody::decode_versioned(&v), Err(SlotDecodeError::UnknownVersion(3)));
        let mut c = out;
        c[80] = 2;
        assert_eq!(SlotBody::decode(&c), Err(SlotDecodeError::BadMetaBlocks));
        let mut r = out;
        r[SLOT_FIXED_LEN] = 3;
        assert_eq!(SlotBody::decode(&r), Err(SlotDecodeError::BlockOutOfRange));
        let mut t = out;
        t[4000] = 1;
        assert_eq!(SlotBody::decode(&t), Err(SlotDecodeError::ReservedBitsSet));
        assert_eq!(SlotBody::decode(&out[..100]), Err(SlotDecodeError::WrongLength));
    }
}
