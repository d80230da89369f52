//! Byte-level reading and writing for the message encoding: unsigned LEB128 varints
//! (minimal form only), fixed-width little-endian integers and length-prefixed text.

use crate::message::DecodeError;

/// Appends values to a byte vector.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Writer { out }
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.out.push(value);
    }

    pub(crate) fn bytes(&mut self, value: &[u8]) {
        self.out.extend_from_slice(value);
    }

    pub(crate) fn u32_le(&mut self, value: u32) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    /// Unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last.
    pub(crate) fn varint(&mut self, mut value: u64) {
        loop {
            let low = (value & 0x7F) as u8;
            value >>= 7;
            if value == 0 {
                self.out.push(low);
                return;
            }
            self.out.push(low | 0x80);
        }
    }

    /// Varint byte length, then the UTF-8 bytes.
    pub(crate) fn text(&mut self, value: &str) {
        self.varint(value.len() as u64);
        self.bytes(value.as_bytes());
    }
}

/// Reads values from a byte slice; every read names the field for the error message.
pub(crate) struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Reader { input }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.input.len()
    }

    pub(crate) fn take(&mut self, len: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.input.len() < len {
            return Err(DecodeError::UnexpectedEnd { field });
        }
        let (head, tail) = self.input.split_at(len);
        self.input = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, field)?[0])
    }

    pub(crate) fn u32_le(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array(field)?))
    }

    /// A varint in minimal form that fits in 64 bits.
    pub(crate) fn varint(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        for index in 0..10 {
            let byte = self.u8(field)?;
            let bits = u64::from(byte & 0x7F);
            // The tenth byte may only carry the single remaining bit of a u64.
            if index == 9 && bits > 1 {
                return Err(DecodeError::BadNumber { field });
            }
            value |= bits << (7 * index);
            if byte & 0x80 == 0 {
                // A zero final byte after others means the same value had a shorter form.
                if byte == 0 && index > 0 {
                    return Err(DecodeError::BadNumber { field });
                }
                return Ok(value);
            }
        }
        Err(DecodeError::BadNumber { field })
    }

    pub(crate) fn varint_u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        u32::try_from(self.varint(field)?).map_err(|_| DecodeError::BadNumber { field })
    }

    /// Length-prefixed UTF-8 text of at most `max` bytes, without control characters.
    pub(crate) fn text(&mut self, field: &'static str, max: usize) -> Result<String, DecodeError> {
        let len = self.varint(field)?;
        if len > max as u64 {
            return Err(DecodeError::TextTooLong { field, len, max });
        }
        let bytes = self.take(len as usize, field)?;
        let text = core::str::from_utf8(bytes).map_err(|_| DecodeError::BadText { field })?;
        if text.chars().any(char::is_control) {
            return Err(DecodeError::BadText { field });
        }
        Ok(text.to_owned())
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.input.is_empty() { Ok(()) } else { Err(DecodeError::TrailingBytes { count: self.input.len() }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        Writer::new(&mut out).varint(value);
        out
    }

    #[test]
    fn varint_known_values() {
        assert_eq!(encode(0), [0x00]);
        assert_eq!(encode(127), [0x7F]);
        assert_eq!(encode(128), [0x80, 0x01]);
        assert_eq!(encode(300), [0xAC, 0x02]);
        assert_eq!(encode(u64::MAX).len(), 10);
    }

    #[test]
    fn varint_rejects_overlong_and_overflow() {
        for bad in [&[0x80, 0x00][..], &[0xFF, 0x80, 0x00], &[0x80; 10], &[0xFF; 11]] {
            assert!(Reader::new(bad).varint("n").is_err(), "{bad:?}");
        }
        // 2^64 would need bit 64: tenth byte 0x02.
        let mut too_big = vec![0xFF; 9];
        too_big.push(0x02);
        assert_eq!(Reader::new(&too_big).varint("n"), Err(DecodeError::BadNumber { field: "n" }));
        assert_eq!(Reader::new(&[0x80]).varint("n"), Err(DecodeError::UnexpectedEnd { field: "n" }));
    }

    #[test]
    fn text_rules() {
        let mut out = Vec::new();
        Writer::new(&mut out).text("가나");
        assert_eq!(Reader::new(&out).text("t", 10).unwrap(), "가나");
        assert!(matches!(Reader::new(&out).text("t", 5), Err(DecodeError::TextTooLong { .. })));
        assert_eq!(Reader::new(&[2, 0xC3, 0x28]).text("t", 10), Err(DecodeError::BadText { field: "t" }));
        assert_eq!(Reader::new(&[3, b'a', 0x1B, b'[']).text("t", 10), Err(DecodeError::BadText { field: "t" }));
    }

    proptest! {
        #[test]
        fn varint_round_trip(value in any::<u64>()) {
            let bytes = encode(value);
            let mut reader = Reader::new(&bytes);
            prop_assert_eq!(reader.varint("n").unwrap(), value);
            prop_assert!(reader.finish().is_ok());
        }

        #[test]
        fn varint_decoding_is_canonical(bytes in proptest::collection::vec(any::<u8>(), 1..12)) {
            let mut reader = Reader::new(&bytes);
            if let Ok(value) = reader.varint("n") {
                let used = bytes.len() - reader.remaining();
                prop_assert_eq!(&encode(value)[..], &bytes[..used]);
            }
        }
    }
}
