//! Reading QR codes from a picture: a PNG or JPEG file, such as a photo of another phone's
//! screen or a screenshot. Decoding is done by `rqrr`; this module only turns the file into
//! grey levels for it, with limits on size.

use core::fmt;
use std::io::Cursor;

/// Largest picture file read.
pub const MAX_IMAGE_BYTES: usize = 64 << 20;
/// Largest picture, in pixels.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Why no text could be read from a picture.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrReadError {
    /// Neither a PNG nor a JPEG file.
    NotAPicture,
    /// The file is a PNG or JPEG but cannot be decoded.
    Damaged(String),
    /// The file or picture is larger than this program reads.
    TooLarge,
    /// The picture shows no QR code that can be read.
    NoCode,
}

impl fmt::Display for QrReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrReadError::NotAPicture => write!(f, "this file is not a PNG or JPEG picture"),
            QrReadError::Damaged(why) => write!(f, "the picture cannot be decoded ({why})"),
            QrReadError::TooLarge => write!(
                f,
                "the picture is too large (at most {} MiB and {} million pixels)",
                MAX_IMAGE_BYTES >> 20,
                MAX_PIXELS / 1_000_000
            ),
            QrReadError::NoCode => write!(
                f,
                "no readable QR code in the picture; take the photo straight on, closer, with the whole code in view"
            ),
        }
    }
}

impl std::error::Error for QrReadError {}

/// Grey levels (0 black to 255 white), row by row.
struct Grey {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn too_large(width: usize, height: usize) -> bool {
    (width as u64).saturating_mul(height as u64) > MAX_PIXELS
}

fn png_grey(bytes: &[u8]) -> Result<Grey, QrReadError> {
    let damaged = |e: png::DecodingError| QrReadError::Damaged(e.to_string());
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(damaged)?;
    let (width, height) = {
        let info = reader.info();
        (info.width as usize, info.height as usize)
    };
    if too_large(width, height) {
        return Err(QrReadError::TooLarge);
    }
    let size = reader.output_buffer_size().ok_or(QrReadError::TooLarge)?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(damaged)?;
    let channels = frame.color_type.samples();
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        let row = &buf[y * frame.line_size..];
        for x in 0..width {
            let p = &row[x * channels..x * channels + channels];
            pixels.push(match channels {
                1 | 2 => p[0],
                _ => ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8,
            });
        }
    }
    Ok(Grey { width, height, pixels })
}

fn jpeg_grey(bytes: &[u8]) -> Result<Grey, QrReadError> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(|e| QrReadError::Damaged(e.to_string()))?;
    let info = decoder.info().ok_or_else(|| QrReadError::Damaged("no picture header".into()))?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    if too_large(width, height) {
        return Err(QrReadError::TooLarge);
    }
    let data = decoder.decode().map_err(|e| QrReadError::Damaged(e.to_string()))?;
    let pixels = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => data,
        jpeg_decoder::PixelFormat::L16 => data.chunks(2).map(|p| p[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => data
            .chunks(3)
            .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8)
            .collect(),
        jpeg_decoder::PixelFormat::CMYK32 => data.chunks(4).map(|p| 255 - p[3]).collect(),
    };
    if pixels.len() < width * height {
        return Err(QrReadError::Damaged("short picture data".into()));
    }
    Ok(Grey { width, height, pixels })
}

/// Every QR code's text in a PNG or JPEG picture, in the order found.
pub fn read_qr_codes(bytes: &[u8]) -> Result<Vec<String>, QrReadError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(QrReadError::TooLarge);
    }
    let grey = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_grey(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_grey(bytes)?
    } else {
        return Err(QrReadError::NotAPicture);
    };
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(grey.width, grey.height, |x, y| grey.pixels[y * grey.width + x]);
    let texts: Vec<String> =
        image.detect_grids().iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect();
    if texts.is_empty() {
        return Err(QrReadError::NoCode);
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::QrImage;

    #[test]
    fn a_png_of_lethe_reads_back_and_bad_files_are_named() {
        let text = crate::armor::armor_compact(&(0..150u8).collect::<Vec<_>>());
        let png = QrImage::from_text(&text).unwrap().to_png(4);
        assert_eq!(read_qr_codes(&png).unwrap(), vec![text]);
        assert_eq!(read_qr_codes(b"hello"), Err(QrReadError::NotAPicture));
        assert!(matches!(read_qr_codes(&png[..40]), Err(QrReadError::Damaged(_))));
        // A picture without a code: a JPEG of plain white.
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 90)
            .encode(&[255u8; 64 * 64], 64, 64, jpeg_encoder::ColorType::Luma)
            .unwrap();
        assert_eq!(read_qr_codes(&jpeg), Err(QrReadError::NoCode));
    }

    #[test]
    fn a_jpeg_photo_of_a_code_reads_back() {
        let text = crate::armor::armor_compact(&[7u8; 60]);
        let qr = QrImage::from_text(&text).unwrap();
        let scale = 6;
        let side = qr.full_width() * scale;
        let mut pixels = vec![255u8; side * side];
        for y in 0..side {
            for x in 0..side {
                if qr.is_dark(x / scale, y / scale) {
                    pixels[y * side + x] = 20;
                }
            }
        }
        let mut raw = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        assert_eq!(raw.detect_grids().len(), 1, "the drawn code reads");
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 90)
            .encode(&pixels, side as u16, side as u16, jpeg_encoder::ColorType::Luma)
            .unwrap();
        let grey = jpeg_grey(&jpeg).unwrap();
        assert_eq!((grey.width, grey.height), (side, side));
        assert_eq!(read_qr_codes(&jpeg).unwrap(), vec![text]);
    }
}
