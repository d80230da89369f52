//! Removing metadata from a PNG image before it is sealed.
//!
//! Screenshots and phone photos saved as PNG carry text chunks (software, author,
//! comments, sometimes a full XMP or EXIF block with GPS position and device), a
//! modification time, an ICC profile naming the device, a physical pixel size, C2PA
//! provenance, and data after the end chunk. As for JPEG ([`crate::jpeg`]), this module
//! keeps only an **allow-list** of chunks a viewer needs to show the same picture:
//!
//! | kept                     | why                                          |
//! |--------------------------|----------------------------------------------|
//! | `IHDR`                   | size, bit depth, colour type (must be first) |
//! | `PLTE`                   | the palette of a palette image               |
//! | `tRNS`                   | transparency                                 |
//! | `gAMA`, `cHRM`, `sRGB`   | colours (numbers only, nothing identifying)  |
//! | `IDAT`                   | the picture itself, copied unchanged          |
//! | `IEND`                   | the end                                      |
//!
//! Everything else is dropped: `tEXt`, `zTXt`, `iTXt`, `eXIf`, `tIME`, `iCCP`, `pHYs`,
//! `bKGD`, `hIST`, `sPLT`, `sBIT`, the animation chunks of APNG (`acTL`, `fcTL`, `fdAT`:
//! the default image stays), private and unknown chunks, and anything after `IEND`.
//! Every kept chunk's CRC is checked, and its structure (length of `IHDR`, `gAMA`,
//! `cHRM`, `sRGB`; order: `IHDR` first, `PLTE` before `IDAT`, `IDAT` chunks one after
//! another, `IEND` last and empty), so that a crafted file cannot smuggle data through
//! a kept chunk of the wrong size.

use crate::crc32::crc32;
use crate::jpeg::MediaError;

/// The 8 bytes every PNG starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// Largest input accepted, in bytes (as for JPEG).
pub const MAX_PNG_LEN: usize = crate::jpeg::MAX_JPEG_LEN;

/// Largest chunk length the PNG specification allows.
const MAX_CHUNK_LEN: usize = 0x7FFF_FFFF;

fn bad(why: &'static str) -> MediaError {
    MediaError::BadPng(why)
}

/// Returns a copy of the PNG `bytes` holding only the chunks needed to show the picture
/// (see the module documentation).
pub fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    if bytes.len() > MAX_PNG_LEN {
        return Err(MediaError::TooLarge { len: bytes.len(), max: MAX_PNG_LEN });
    }
    let Some(mut rest) = bytes.strip_prefix(&PNG_SIGNATURE[..]) else {
        return Err(bad("it does not start with the PNG signature"));
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&PNG_SIGNATURE);
    let mut seen_ihdr = false;
    let mut seen_plte = false;
    let mut idat_state = 0u8; // 0 none yet, 1 in the IDAT run, 2 after it
    loop {
        if rest.len() < 12 {
            return Err(MediaError::Truncated);
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len > MAX_CHUNK_LEN {
            return Err(bad("a chunk is longer than PNG allows"));
        }
        let kind: [u8; 4] = [rest[4], rest[5], rest[6], rest[7]];
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(bad("a chunk type is not four letters"));
        }
        if rest.len() < 12 + len {
            return Err(MediaError::Truncated);
        }
        let data = &rest[8..8 + len];
        let crc = u32::from_be_bytes([rest[8 + len], rest[9 + len], rest[10 + len], rest[11 + len]]);
        let chunk = &rest[..12 + len];
        rest = &rest[12 + len..];
        if !seen_ihdr && &kind != b"IHDR" {
            return Err(bad("the first chunk is not IHDR"));
        }
        if idat_state == 1 && &kind != b"IDAT" {
            idat_state = 2;
        }
        let keep = match &kind {
            b"IHDR" => {
                if seen_ihdr || len != 13 {
                    return Err(bad("IHDR is repeated or not 13 bytes"));
                }
                seen_ihdr = true;
                true
            }
            b"PLTE" => {
                if seen_plte || idat_state != 0 || len == 0 || !len.is_multiple_of(3) || len > 768 {
                    return Err(bad("PLTE is repeated, after the image data, or of a wrong length"));
                }
                seen_plte = true;
                true
            }
            b"tRNS" => {
                if idat_state != 0 || len > 256 {
                    return Err(bad("tRNS is after the image data or too long"));
                }
                true
            }
            b"gAMA" | b"cHRM" | b"sRGB" => {
                let want = match &kind {
                    b"gAMA" => 4,
                    b"cHRM" => 32,
                    _ => 1,
                };
                if idat_state != 0 || len != want {
                    return Err(bad("a colour chunk is after the image data or of a wrong length"));
                }
                true
            }
            b"IDAT" => {
                if idat_state == 2 {
                    return Err(bad("the image data is split by other chunks"));
                }
                idat_state = 1;
                true
            }
            b"IEND" => {
                if len != 0 {
                    return Err(bad("IEND is not empty"));
                }
                if idat_state == 0 {
                    return Err(MediaError::NoImage);
                }
                true
            }
            _ => false,
        };
        if keep {
            let mut check = Vec::with_capacity(4 + len);
            check.extend_from_slice(&kind);
            check.extend_from_slice(data);
            if crc32(&check) != crc {
                return Err(bad("a chunk's checksum does not match (damaged)"));
            }
            out.extend_from_slice(chunk);
        }
        if &kind == b"IEND" {
            // Whatever follows IEND is dropped.
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(data);
        out.extend_from_slice(&c);
        out.extend_from_slice(&crc32(&c).to_be_bytes());
    }

    const SCAN: &[u8] = b"IDAT-PIXELS-6401";

    /// A PNG with metadata of every kind around the picture.
    fn with_metadata() -> Vec<u8> {
        let mut png = PNG_SIGNATURE.to_vec();
        chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        chunk(&mut png, b"tEXt", b"Author\0TEXT-AUTHOR-6401");
        chunk(&mut png, b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0ITXT-GPS-6401");
        chunk(&mut png, b"eXIf", b"MM\0*EXIF-SERIAL-6401");
        chunk(&mut png, b"tIME", &[7, 234, 11, 30, 12, 0, 0]);
        chunk(&mut png, b"iCCP", b"ICC-DEVICE-6401\0\0xx");
        chunk(&mut png, b"pHYs", &[0, 0, 11, 19, 0, 0, 11, 19, 1]);
        chunk(&mut png, b"gAMA", &[0, 0, 177, 143]);
        chunk(&mut png, b"IDAT", &SCAN[..8]);
        chunk(&mut png, b"IDAT", &SCAN[8..]);
        chunk(&mut png, b"zTXt", b"Comment\0\0ZTXT-6401");
        chunk(&mut png, b"IEND", b"");
        png.extend_from_slice(b"TRAILER-AFTER-IEND-6401");
        png
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn only_the_picture_survives() {
        let png = with_metadata();
        let markers: [&[u8]; 6] = [
            b"TEXT-AUTHOR-6401",
            b"ITXT-GPS-6401",
            b"EXIF-SERIAL-6401",
            b"ICC-DEVICE-6401",
            b"ZTXT-6401",
            b"TRAILER-AFTER-IEND-6401",
        ];
        // Positive control: the markers are in the input.
        for m in markers {
            assert!(contains(&png, m));
        }
        let clean = strip_png(&png).unwrap();
        for m in markers {
            assert!(!contains(&clean, m), "{}", String::from_utf8_lossy(m));
        }
        for kind in [b"tIME", b"pHYs", b"eXIf", b"iCCP"] {
            assert!(!contains(&clean, kind));
        }
        let mut expected = PNG_SIGNATURE.to_vec();
        chunk(&mut expected, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        chunk(&mut expected, b"gAMA", &[0, 0, 177, 143]);
        chunk(&mut expected, b"IDAT", &SCAN[..8]);
        chunk(&mut expected, b"IDAT", &SCAN[8..]);
        chunk(&mut expected, b"IEND", b"");
        assert_eq!(clean, expected);
        // Idempotent.
        assert_eq!(strip_png(&clean).unwrap(), clean);
    }

    #[test]
    fn damaged_or_crafted_files_are_refused() {
        let png = with_metadata();
        assert!(matches!(strip_png(b"GIF89a"), Err(MediaError::BadPng(_))));
        for cut in [8, 20, 40, png.len() - 40] {
            assert!(strip_png(&png[..cut]).is_err(), "cut at {cut}");
        }
        // A flipped byte in the picture data: the CRC catches it.
        let at = png.windows(8).position(|w| w == &SCAN[..8]).unwrap();
        let mut flipped = png.clone();
        flipped[at] ^= 1;
        assert!(matches!(strip_png(&flipped), Err(MediaError::BadPng(_))));
        // A gAMA of the wrong length (data smuggled in a kept chunk).
        let mut smuggle = PNG_SIGNATURE.to_vec();
        chunk(&mut smuggle, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        chunk(&mut smuggle, b"gAMA", b"GPS 41.4N 128.2E");
        chunk(&mut smuggle, b"IDAT", SCAN);
        chunk(&mut smuggle, b"IEND", b"");
        assert!(matches!(strip_png(&smuggle), Err(MediaError::BadPng(_))));
        // Image data split by another chunk, and no image data at all.
        let mut split = PNG_SIGNATURE.to_vec();
        chunk(&mut split, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        chunk(&mut split, b"IDAT", SCAN);
        chunk(&mut split, b"tEXt", b"a\0b");
        chunk(&mut split, b"IDAT", SCAN);
        chunk(&mut split, b"IEND", b"");
        assert!(matches!(strip_png(&split), Err(MediaError::BadPng(_))));
        let mut empty = PNG_SIGNATURE.to_vec();
        chunk(&mut empty, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        chunk(&mut empty, b"IEND", b"");
        assert_eq!(strip_png(&empty), Err(MediaError::NoImage));
    }

    #[test]
    fn a_png_the_qr_module_writes_survives_unchanged_in_its_picture() {
        let image = crate::QrImage::from_text("LETHE").unwrap();
        let mut png = Vec::new();
        image.write_png(&mut png, 2).unwrap();
        let clean = strip_png(&png).unwrap();
        assert!(clean.len() <= png.len());
        assert_eq!(strip_png(&clean).unwrap(), clean);
    }
}
