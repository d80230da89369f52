//! Camera-like JPEG photos whose metadata carries markers: an EXIF ImageDescription (UTF-8),
//! an EXIF UserComment (UNICODE, i.e. UTF-16LE) and a JPEG comment (COM) segment.

use jpeg_encoder::{ColorType, Encoder};

use crate::markers::ItemMarkers;

const WIDTH: u16 = 480;
const HEIGHT: u16 = 360;

/// A valid baseline JPEG (decodable, so carvers that validate the scan accept it) of a few
/// tens of KiB, like a downscaled phone photo.
pub fn photo_with_markers(markers: &ItemMarkers) -> Vec<u8> {
    let caption = markers.caption();
    let pixels = scene(crate::markers::random_u64());
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, 85);
    encoder.add_exif_metadata(&exif(&caption, &caption)).expect("EXIF block is small");
    encoder.encode(&pixels, WIDTH, HEIGHT, ColorType::Rgb).expect("encoding an in-memory image");
    insert_comment_segment(&jpeg, caption.as_bytes())
}

/// A smooth random scene with some noise: compresses like a photo, not like a flat colour.
fn scene(seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64*: picture content only, no security role.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let waves: Vec<(f32, f32, f32)> = (0..6)
        .map(|_| {
            let r = next();
            (
                (r & 0xFF) as f32 / 4000.0 + 0.005,
                ((r >> 8) & 0xFF) as f32 / 4000.0 + 0.005,
                ((r >> 16) & 0xFF) as f32 / 40.0,
            )
        })
        .collect();
    let mut pixels = Vec::with_capacity(usize::from(WIDTH) * usize::from(HEIGHT) * 3);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            for (channel, wave) in waves.chunks(2).enumerate() {
                let mut value = 128.0;
                for &(fx, fy, phase) in wave {
                    value += 60.0 * (f32::from(x) * fx + f32::from(y) * fy + phase).sin();
                }
                value += ((next() & 0x1F) as f32) - 16.0 + channel as f32;
                pixels.push(value.clamp(0.0, 255.0) as u8);
            }
        }
    }
    pixels
}

/// A little-endian TIFF structure for the EXIF APP1 segment: IFD0 with ImageDescription, Make,
/// Model and the Exif IFD pointer; the Exif IFD with UserComment in UNICODE (UTF-16LE).
fn exif(description: &str, user_comment: &str) -> Vec<u8> {
    let mut description = description.as_bytes().to_vec();
    description.push(0);
    let make = b"SeizureCam\0".to_vec();
    let model = b"Test bed 1\0".to_vec();
    let mut comment = b"UNICODE\0".to_vec();
    comment.extend(user_comment.encode_utf16().flat_map(u16::to_le_bytes));

    const IFD0_ENTRIES: u16 = 4;
    const EXIF_ENTRIES: u16 = 1;
    let ifd0_offset = 8u32;
    let exif_ifd_offset = ifd0_offset + 2 + 12 * u32::from(IFD0_ENTRIES) + 4;
    let data_start = exif_ifd_offset + 2 + 12 * u32::from(EXIF_ENTRIES) + 4;

    let mut data = Vec::new();
    let mut place = |bytes: &[u8]| -> u32 {
        let offset = data_start + data.len() as u32;
        data.extend_from_slice(bytes);
        if data.len() % 2 == 1 {
            data.push(0);
        }
        offset
    };
    let description_at = place(&description);
    let make_at = place(&make);
    let model_at = place(&model);
    let comment_at = place(&comment);

    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&ifd0_offset.to_le_bytes());
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    };
    const ASCII: u16 = 2;
    const LONG: u16 = 4;
    const UNDEFINED: u16 = 7;
    tiff.extend_from_slice(&IFD0_ENTRIES.to_le_bytes());
    entry(&mut tiff, 0x010E, ASCII, description.len() as u32, description_at);
    entry(&mut tiff, 0x010F, ASCII, make.len() as u32, make_at);
    entry(&mut tiff, 0x0110, ASCII, model.len() as u32, model_at);
    entry(&mut tiff, 0x8769, LONG, 1, exif_ifd_offset);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&EXIF_ENTRIES.to_le_bytes());
    entry(&mut tiff, 0x9286, UNDEFINED, comment.len() as u32, comment_at);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    debug_assert_eq!(tiff.len() as u32, data_start);
    tiff.extend_from_slice(&data);
    tiff
}

/// Inserts a COM segment after the APPn segments the encoder wrote.
fn insert_comment_segment(jpeg: &[u8], comment: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "encoder output starts with SOI");
    let mut at = 2;
    while jpeg[at] == 0xFF && (0xE0..=0xEF).contains(&jpeg[at + 1]) {
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        at += 2 + length;
    }
    let mut out = Vec::with_capacity(jpeg.len() + comment.len() + 4);
    out.extend_from_slice(&jpeg[..at]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(comment);
    out.extend_from_slice(&jpeg[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markers::{MarkerBook, MarkerKind};

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn photo_is_a_jpeg_with_markers_in_exif_and_comment() {
        let book = MarkerBook::new();
        let markers = book.item("t", MarkerKind::Secret, "p1");
        let jpeg = photo_with_markers(&markers);
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9]);
        assert!(jpeg.len() > 20_000, "too small to look like a photo: {}", jpeg.len());
        let exif_at = find(&jpeg, b"Exif\0\0II*\0").expect("EXIF APP1");
        let com_at = find(&jpeg, &[0xFF, 0xFE]).expect("COM segment");
        assert!(exif_at < com_at);
        for marker in markers.all() {
            // UTF-8 twice (ImageDescription and COM), UTF-16LE once (UserComment).
            let utf8 = marker.as_bytes();
            let first = find(&jpeg, utf8).unwrap();
            assert!(find(&jpeg[first + 1..], utf8).is_some());
            let wide: Vec<u8> = marker.encode_utf16().flat_map(u16::to_le_bytes).collect();
            assert!(find(&jpeg, &wide).is_some());
        }
        let other = photo_with_markers(&markers);
        assert_ne!(jpeg, other, "each photo gets its own picture");
    }
}
