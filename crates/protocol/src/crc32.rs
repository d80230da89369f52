//! CRC-32 (the ISO-HDLC / IEEE 802.3 variant also used by PNG and zlib's gzip):
//! reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
//!
//! This is an error-detecting code, not cryptography: it catches typing and
//! transmission mistakes in armored text and frames PNG chunks. Integrity
//! against an attacker comes from the AEAD tag of the sealed message.

/// Lookup table for one byte at a time, built at compile time.
const TABLE: [u32; 256] = build_table();

const fn build_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut crc = byte as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            bit += 1;
        }
        table[byte] = crc;
        byte += 1;
    }
    table
}

/// Running CRC-32 state, for data that arrives in pieces.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Crc32 {
    state: u32,
}

impl Crc32 {
    pub(crate) const fn new() -> Self {
        Crc32 { state: 0xFFFF_FFFF }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        let mut crc = self.state;
        for &byte in data {
            crc = TABLE[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8);
        }
        self.state = crc;
    }

    pub(crate) fn finish(self) -> u32 {
        self.state ^ 0xFFFF_FFFF
    }
}

/// CRC-32 of `data` in one call.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = Crc32::new();
    crc.update(data);
    crc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_check_value() {
        // The catalogue check value of CRC-32/ISO-HDLC over ASCII "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn incremental_equals_one_shot() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let mut crc = Crc32::new();
        for piece in data.chunks(7) {
            crc.update(piece);
        }
        assert_eq!(crc.finish(), crc32(&data));
    }

    #[test]
    fn residue_of_data_followed_by_its_crc_is_constant() {
        // Appending the CRC little-endian makes the whole frame a codeword; its CRC is the
        // fixed residue of this CRC variant. The armor's error-detection argument relies on it.
        for data in [&b""[..], b"a", b"lethe", &[0xFFu8; 33][..]] {
            let mut frame = data.to_vec();
            frame.extend_from_slice(&crc32(data).to_le_bytes());
            assert_eq!(crc32(&frame), 0x2144_DF1C);
        }
    }
}
