//! QR codes of armored text, for a terminal or as a PNG image.
//!
//! The code carries the compact armored text (see [`crate::armor::armor_compact`]):
//! upper-case base32 falls entirely in QR's alphanumeric mode, which packs 11 bits per
//! two characters, and any QR reader app shows it as plain text that can be pasted into
//! `lethe`. Error correction level M (about 15 % of the symbol may be damaged).

use core::fmt;

use qrcode::{Color, EcLevel, QrCode};

use crate::armor;
use crate::crc32::Crc32;

/// Light modules around the symbol, as the QR standard requires.
pub const QUIET_ZONE: usize = 4;

/// Largest PNG scale accepted by [`QrImage::to_png`], in pixels per module.
pub const MAX_PNG_SCALE: usize = 32;

/// Why a QR code could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in the largest QR code (version 40).
    TooLong {
        /// Characters of text.
        len: usize,
    },
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::TooLong { len } => {
                write!(f, "too long for a QR code ({len} characters); send it as text or split the batch")
            }
        }
    }
}

impl std::error::Error for QrError {}

/// A QR symbol: a square of dark and light modules, without the quiet zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrImage {
    width: usize,
    dark: Vec<bool>,
}

impl QrImage {
    /// A QR code of `text` as given (use this for text that is already armored).
    pub fn from_text(text: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|_| QrError::TooLong { len: text.chars().count() })?;
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(QrImage { width: code.width(), dark })
    }

    /// A QR code of `payload` armored in compact form.
    pub fn from_payload(payload: &[u8]) -> Result<Self, QrError> {
        Self::from_text(&armor::armor_compact(payload))
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark. Coordinates include the quiet
    /// zone: the symbol starts at ([`QUIET_ZONE`], [`QUIET_ZONE`]); everything outside the
    /// symbol is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        let (Some(x), Some(y)) = (x.checked_sub(QUIET_ZONE), y.checked_sub(QUIET_ZONE)) else {
            return false;
        };
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Modules per side including the quiet zone on both sides.
    pub fn full_width(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// The code as lines of text, two module rows per line with Unicode half blocks.
    /// The glyphs paint the **dark** modules: show the lines in a dark colour on a light
    /// background (the quiet zone is included as spaces).
    pub fn terminal_lines(&self) -> Vec<String> {
        let size = self.full_width();
        (0..size.div_ceil(2))
            .map(|row| {
                (0..size)
                    .map(|x| match (self.is_dark(x, 2 * row), self.is_dark(x, 2 * row + 1)) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    })
                    .collect()
            })
            .collect()
    }

    /// The code for a terminal that understands ANSI colours: [`QrImage::terminal_lines`]
    /// in black on white, whatever the terminal's theme, one line per row pair.
    pub fn to_terminal(&self) -> String {
        let mut out = String::new();
        for line in self.terminal_lines() {
            out.push_str("\x1b[30;107m");
            out.push_str(&line);
            out.push_str("\x1b[0m\n");
        }
        out
    }

    /// Writes [`QrImage::to_png`]'s image to `writer` (a file the caller chose, or memory).
    pub fn write_png(&self, mut writer: impl std::io::Write, scale: usize) -> std::io::Result<()> {
        writer.write_all(&self.to_png(scale))?;
        writer.flush()
    }

    /// The code as a PNG image: black modules on white, `scale` pixels per module
    /// (clamped to 1..=[`MAX_PNG_SCALE`]), quiet zone included, 1 bit per pixel.
    pub fn to_png(&self, scale: usize) -> Vec<u8> {
        let scale = scale.clamp(1, MAX_PNG_SCALE);
        let side = self.full_width() * scale;
        let row_bytes = side.div_ceil(8);
        // Raw scanlines: a filter byte (0, none) then the row, 1 = white in grayscale.
        let mut raw = Vec::with_capacity(side * (row_bytes + 1));
        for y in 0..side {
            raw.push(0);
            let mut row = vec![0u8; row_bytes];
            for x in 0..side {
                if !self.is_dark(x / scale, y / scale) {
                    row[x / 8] |= 0x80 >> (x % 8);
                }
            }
            raw.extend_from_slice(&row);
        }
        let side = u32::try_from(side).unwrap_or(u32::MAX);
        let mut header = Vec::with_capacity(13);
        header.extend_from_slice(&side.to_be_bytes());
        header.extend_from_slice(&side.to_be_bytes());
        header.extend_from_slice(&[1, 0, 0, 0, 0]); // bit depth 1, grayscale, deflate, no filter, no interlace
        let mut png = Vec::with_capacity(raw.len() + raw.len() / 65535 * 5 + 64);
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        png_chunk(&mut png, b"IHDR", &header);
        png_chunk(&mut png, b"IDAT", &zlib_stored(&raw));
        png_chunk(&mut png, b"IEND", &[]);
        png
    }
}

/// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = Crc32::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finish().to_be_bytes());
}

/// A zlib stream of uncompressed ("stored") deflate blocks. QR images are small and
/// 1-bit, so compression would save little and cost a compressor.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 65535 * 5 + 11);
    out.extend_from_slice(&[0x78, 0x01]); // deflate, 32 KiB window, no dictionary, check bits
    let mut blocks = data.chunks(65535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xFF, 0xFF]);
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        out.push(u8::from(last)); // BFINAL, BTYPE = 00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Adler-32, zlib's checksum.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn decode_png(bytes: &[u8]) -> (usize, Vec<bool>) {
        let decoder = png::Decoder::new(Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::One);
        let side = info.width as usize;
        assert_eq!(info.height as usize, side);
        let dark = (0..side * side)
            .map(|i| {
                let (x, y) = (i % side, i / side);
                buf[y * info.line_size + x / 8] & (0x80 >> (x % 8)) == 0
            })
            .collect();
        (side, dark)
    }

    fn read_qr(side: usize, dark: &[bool]) -> String {
        let mut image = rqrr::PreparedImage::prepare_from_bitmap(side, side, |x, y| dark[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn adler32_known_value() {
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
    }

    #[test]
    fn png_decodes_and_the_qr_reads_back() {
        let payload: Vec<u8> = (0..120u8).collect();
        let qr = QrImage::from_payload(&payload).unwrap();
        let png = qr.to_png(4);
        let mut written = Vec::new();
        qr.write_png(&mut written, 4).unwrap();
        assert_eq!(written, png);
        let (side, dark) = decode_png(&png);
        assert_eq!(side, qr.full_width() * 4);
        let text = read_qr(side, &dark);
        assert_eq!(text, armor::armor_compact(&payload));
        assert_eq!(armor::dearmor(&text).unwrap(), payload);
    }

    #[test]
    fn large_png_spans_several_stored_blocks() {
        let qr = QrImage::from_payload(&[0x42; 600]).unwrap();
        let png = qr.to_png(MAX_PNG_SCALE);
        let side = qr.full_width() * MAX_PNG_SCALE;
        assert!(side * side / 8 > 65535, "test needs more than one deflate block");
        let (decoded_side, dark) = decode_png(&png);
        assert_eq!(decoded_side, side);
        // Compare every pixel with the module map.
        for y in (0..side).step_by(7) {
            for x in (0..side).step_by(5) {
                assert_eq!(dark[y * side + x], qr.is_dark(x / MAX_PNG_SCALE, y / MAX_PNG_SCALE));
            }
        }
    }

    #[test]
    fn terminal_rendering_reads_back() {
        let payload = b"terminal qr";
        let qr = QrImage::from_payload(payload).unwrap();
        let lines = qr.terminal_lines();
        let size = qr.full_width();
        assert_eq!(lines.len(), size.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == size));
        // Quiet zone: the first two lines (4 module rows) are blank.
        assert!(lines[..2].iter().all(|l| l.chars().all(|c| c == ' ')));
        // Rebuild the module map from the glyphs and read it as a QR code.
        let mut dark = vec![false; size * size];
        for (row, line) in lines.iter().enumerate() {
            for (x, glyph) in line.chars().enumerate() {
                let (top, bottom) = match glyph {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    _ => (false, false),
                };
                dark[2 * row * size + x] = top;
                if 2 * row + 1 < size {
                    dark[(2 * row + 1) * size + x] = bottom;
                }
            }
        }
        // Scale up 4x so the detector has pixels to work with.
        let scaled = size * 4;
        let pixels: Vec<bool> =
            (0..scaled * scaled).map(|i| dark[(i / scaled / 4) * size + (i % scaled) / 4]).collect();
        assert_eq!(armor::dearmor(&read_qr(scaled, &pixels)).unwrap(), payload);
        let ansi = qr.to_terminal();
        assert!(ansi.starts_with("\x1b[30;107m"));
        assert_eq!(ansi.lines().count(), lines.len());
    }

    #[test]
    fn armored_text_uses_alphanumeric_mode() {
        // Lower case is outside QR's alphanumeric set and forces byte mode (8 bits per
        // character instead of 5.5): the upper-case armored text must give a smaller symbol.
        let text = armor::armor_compact(&[7u8; 300]);
        let upper = QrImage::from_text(&text).unwrap();
        let lower = QrImage::from_text(&text.to_lowercase()).unwrap();
        assert!(upper.width() < lower.width(), "{} vs {}", upper.width(), lower.width());
    }

    #[test]
    fn too_long_is_an_error() {
        assert!(matches!(QrImage::from_payload(&[0u8; 4000]), Err(QrError::TooLong { .. })));
    }
}
