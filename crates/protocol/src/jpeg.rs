//! Removing metadata from a JPEG photo before it is sealed.
//!
//! Photos from phones carry EXIF (GPS position, time, camera serial number, a thumbnail
//! of the original), XMP, IPTC, ICC profiles naming the device, comments, maker notes,
//! and data appended after the image (extra images, vendor trailers). Any of it can
//! lead an examiner to a family. Instead of listing what to remove, this module keeps
//! only what a decoder needs to show the picture — an **allow-list**:
//!
//! | kept                                   | why                                  |
//! |----------------------------------------|--------------------------------------|
//! | SOF0–SOF15 (frame header)              | size and components                  |
//! | DHT, DAC (entropy coding tables)       | decoding the scans                   |
//! | DQT (quantisation tables)              | decoding the scans                   |
//! | DRI (restart interval)                 | decoding the scans                   |
//! | SOS and the scan data, DNL             | the picture itself                   |
//! | APP0 JFIF, **rebuilt**: 1:1, no thumbnail | colour space (YCbCr) for decoders |
//! | APP14 Adobe, **rebuilt**: transform only  | colour space of Adobe-made files  |
//!
//! Everything else is dropped, wherever it appears — before the first scan, between the
//! scans of a progressive JPEG, or after the end-of-image marker. The scan data is
//! copied unchanged, so the picture is bit-for-bit the same image.
//!
//! Known effect: the EXIF orientation goes too, so a photo taken sideways shows sideways.

use core::fmt;

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};

/// Largest input accepted, in bytes.
pub const MAX_JPEG_LEN: usize = 64 * 1024 * 1024;

/// Why a file could not be cleaned.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaError {
    /// The file does not start like a JPEG.
    NotJpeg,
    /// The file ends in the middle of a segment.
    Truncated,
    /// A segment is inconsistent; the text says which rule it breaks.
    Malformed(&'static str),
    /// There is no frame header or no scan: no picture to keep.
    NoImage,
    /// A PNG file is damaged or not a PNG; the text says which rule it breaks.
    BadPng(&'static str),
    /// An MP4 or QuickTime video is damaged or not one; the text says which rule it breaks.
    BadVideo(&'static str),
    /// The file is larger than the limit for its kind.
    TooLarge {
        /// File size in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaError::NotJpeg => write!(f, "not a JPEG photo"),
            MediaError::Truncated => write!(f, "the photo or video file is cut off"),
            MediaError::Malformed(why) => write!(f, "the JPEG file is damaged: {why}"),
            MediaError::NoImage => write!(f, "the file holds no picture or video stream"),
            MediaError::BadPng(why) => write!(f, "the PNG file is damaged or not a PNG: {why}"),
            MediaError::BadVideo(why) => write!(f, "the video is damaged or not an MP4/MOV video: {why}"),
            MediaError::TooLarge { len, max } => {
                write!(f, "the file is too large ({len} bytes, at most {max})")
            }
        }
    }
}

impl std::error::Error for MediaError {}

/// What [`strip_metadata_report`] removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StripReport {
    /// Segments dropped (each counted once), by marker byte (`0xE1` = APP1 ...).
    pub dropped_markers: Vec<u8>,
    /// Bytes in the input that are not in the output.
    pub removed_bytes: usize,
}

const TEM: u8 = 0x01;

/// Segments needed to decode the picture.
fn is_allowed(marker: u8) -> bool {
    matches!(
        marker,
        markers::SOF0..=markers::SOF3
            | markers::DHT
            | markers::SOF5..=markers::SOF7
            | markers::SOF9..=markers::SOF11
            | markers::DAC
            | markers::SOF13..=markers::SOF15
            | markers::DQT
            | markers::DRI
            | markers::SOS
            | markers::DNL
    )
}

fn is_sof(marker: u8) -> bool {
    is_allowed(marker) && (0xC0..=0xCF).contains(&marker) && marker != markers::DHT && marker != markers::DAC
}

/// Checks that a kept segment has exactly the structure its marker defines, so that a
/// crafted file cannot pass arbitrary data off as, say, a quantisation table of the
/// wrong length.
fn check_segment(marker: u8, c: &[u8]) -> Result<(), MediaError> {
    let valid = match marker {
        markers::DQT => {
            // Tables of (precision/id byte, 64 entries of 1 or 2 bytes).
            let mut i = 0;
            loop {
                if i == c.len() {
                    break i > 0;
                }
                let precision = usize::from(c[i] >> 4);
                if precision > 1 || c[i] & 0x0F > 3 {
                    break false;
                }
                i += 1 + 64 * (1 + precision);
                if i > c.len() {
                    break false;
                }
            }
        }
        markers::DHT => {
            // Tables of (class/id byte, 16 code counts, the symbols).
            let mut i = 0;
            loop {
                if i == c.len() {
                    break i > 0;
                }
                let Some(counts) = c.get(i + 1..i + 17) else {
                    break false;
                };
                if c[i] >> 4 > 1 || c[i] & 0x0F > 3 {
                    break false;
                }
                i += 17 + counts.iter().map(|&n| usize::from(n)).sum::<usize>();
                if i > c.len() {
                    break false;
                }
            }
        }
        markers::SOS => c.first().is_some_and(|&n| (1..=4).contains(&n) && c.len() == 4 + 2 * usize::from(n)),
        markers::DRI | markers::DNL => c.len() == 2,
        markers::DAC => !c.is_empty() && c.len() & 1 == 0,
        // Frame headers: precision, height, width, component count, 3 bytes per component.
        _ => c.get(5).is_some_and(|&n| n >= 1 && c.len() == 6 + 3 * usize::from(n)),
    };
    if valid { Ok(()) } else { Err(MediaError::Malformed("invalid coding table or header")) }
}

fn push_segment(out: &mut Vec<u8>, marker: u8, contents: &[u8]) -> Result<(), MediaError> {
    let len = u16::try_from(contents.len() + 2).map_err(|_| MediaError::Malformed("segment too long"))?;
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(contents);
    Ok(())
}

/// Returns a copy of the JPEG `bytes` holding only the segments needed to show the
/// picture (see the module documentation). The input is not modified.
pub fn strip_metadata(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    strip_metadata_report(bytes).map(|(out, _)| out)
}

/// Like [`strip_metadata`], also telling what was removed.
pub fn strip_metadata_report(bytes: &[u8]) -> Result<(Vec<u8>, StripReport), MediaError> {
    if bytes.len() > MAX_JPEG_LEN {
        return Err(MediaError::TooLarge { len: bytes.len(), max: MAX_JPEG_LEN });
    }
    let jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| match e {
        img_parts::Error::WrongSignature => MediaError::NotJpeg,
        img_parts::Error::Truncated => MediaError::Truncated,
        _ => MediaError::Malformed("unreadable segment structure"),
    })?;
    let mut report = StripReport::default();
    let dropped = |marker: u8, report: &mut StripReport| {
        if !report.dropped_markers.contains(&marker) {
            report.dropped_markers.push(marker);
        }
    };

    let segments = jpeg.segments();
    let sof = segments.iter().find(|s| is_sof(s.marker())).ok_or(MediaError::NoImage)?;
    let sos = segments.last().filter(|s| s.marker() == markers::SOS).ok_or(MediaError::NoImage)?;
    if segments.iter().filter(|s| is_sof(s.marker())).count() != 1 {
        return Err(MediaError::Malformed("more than one frame header"));
    }
    // SOF contents: precision, height (2), width (2), component count, ...
    let components = *sof.contents().get(5).ok_or(MediaError::Malformed("short frame header"))?;
    let adobe_transform = segments
        .iter()
        .find(|s| s.marker() == markers::APP14 && s.contents().starts_with(b"Adobe"))
        .and_then(|s| s.contents().get(11).copied());

    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, markers::SOI]);
    match adobe_transform {
        Some(transform) => {
            // "Adobe", version 100, flags 0 and 0, the colour transform.
            let mut contents = b"Adobe\x00\x64\x00\x00\x00\x00".to_vec();
            contents.push(transform);
            push_segment(&mut out, markers::APP14, &contents)?;
        }
        None if components == 1 || components == 3 => {
            // "JFIF\0", version 1.01, no units, density 1:1, no thumbnail.
            push_segment(&mut out, markers::APP0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")?;
        }
        None => {}
    }
    for segment in segments {
        if is_allowed(segment.marker()) {
            check_segment(segment.marker(), segment.contents())?;
            push_segment(&mut out, segment.marker(), segment.contents())?;
        } else {
            dropped(segment.marker(), &mut report);
        }
    }
    // The SOS segment's "entropy" is everything after its header, to the end of the file.
    let entropy_len = sos.len_with_entropy() - sos.len();
    let tail = &bytes[bytes.len() - entropy_len..];
    copy_scans(tail, &mut out, &mut |m| dropped(m, &mut report))?;
    report.removed_bytes = bytes.len().saturating_sub(out.len());
    Ok((out, report))
}

/// Scan data without the 0xFF fill bytes at its end: they belong to the marker that
/// follows, and copied on their own they would turn the next bytes into a marker.
fn without_fill(data: &[u8]) -> &[u8] {
    let end = data.iter().rposition(|&b| b != 0xFF).map_or(0, |p| p + 1);
    &data[..end]
}

/// Copies scan data and the segments allowed between scans, up to and including the
/// end-of-image marker; drops everything else, including anything after the end.
fn copy_scans(tail: &[u8], out: &mut Vec<u8>, dropped: &mut impl FnMut(u8)) -> Result<(), MediaError> {
    let mut i = 0;
    let mut in_scan = true; // `tail` starts with the first scan's entropy-coded data
    let mut scan_start = 0;
    while i < tail.len() {
        if tail[i] != 0xFF {
            if !in_scan {
                // Stray bytes between segments are not part of the picture.
                scan_start = i + 1;
            }
            i += 1;
            continue;
        }
        let Some(&code) = tail.get(i + 1) else { break };
        match code {
            // A stuffed 0xFF data byte or a restart marker: part of the scan.
            0x00 | 0xD0..=0xD7 if in_scan => i += 2,
            // Fill byte before a marker.
            0xFF => i += 1,
            _ => {
                if in_scan {
                    out.extend_from_slice(without_fill(&tail[scan_start..i]));
                }
                match code {
                    markers::EOI => {
                        out.extend_from_slice(&[0xFF, markers::EOI]);
                        if i + 2 < tail.len() {
                            dropped(markers::EOI); // data after the end of the image
                        }
                        return Ok(());
                    }
                    0x00 | TEM | 0xD0..=0xD7 => {
                        // Stand-alone markers that do not belong here carry nothing; drop
                        // them. The scan data before them was copied above.
                        dropped(code);
                        i += 2;
                        scan_start = i;
                    }
                    markers::SOI => return Err(MediaError::Malformed("image start inside image")),
                    marker => {
                        let len_bytes = tail.get(i + 2..i + 4).ok_or(MediaError::Truncated)?;
                        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
                        if len < 2 {
                            return Err(MediaError::Malformed("segment length below 2"));
                        }
                        let end = i + 2 + len;
                        let segment = tail.get(i..end).ok_or(MediaError::Truncated)?;
                        if is_sof(marker) {
                            return Err(MediaError::Malformed("frame header after a scan"));
                        }
                        if is_allowed(marker) {
                            check_segment(marker, &segment[4..])?;
                            out.extend_from_slice(segment);
                        } else {
                            dropped(marker);
                        }
                        in_scan = marker == markers::SOS;
                        i = end;
                        scan_start = i;
                    }
                }
            }
        }
    }
    // No end-of-image marker: keep the scan data that is there and close the image.
    if in_scan {
        // A trailing 0xFF can only be fill or half of a cut-off pair.
        out.extend_from_slice(without_fill(&tail[scan_start..tail.len().min(i)]));
    }
    out.extend_from_slice(&[0xFF, markers::EOI]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use img_parts::jpeg::JpegSegment;
    use jpeg_encoder::{ColorType, Encoder};
    use proptest::prelude::*;

    const COM: u8 = 0xFE;

    const SECRETS: [&str; 6] = [
        "GPS-SECRET-41.40N",
        "XMP-SECRET-FAMILY",
        "IPTC-SECRET-CAPTION",
        "COMMENT-SECRET",
        "ICC-SECRET-DEVICE",
        "TRAILER-SECRET",
    ];

    fn pixels(width: u16, height: u16) -> Vec<u8> {
        let (w, h) = (usize::from(width), usize::from(height));
        (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                [(x * 255 / w) as u8, (y * 255 / h) as u8, ((x ^ y) & 0xFF) as u8]
            })
            .collect()
    }

    /// A camera-like JPEG: EXIF, XMP, IPTC, ICC, a comment and a trailer after the end.
    fn tagged_jpeg(progressive: bool) -> Vec<u8> {
        let (width, height) = (64, 48);
        let mut out = Vec::new();
        let mut encoder = Encoder::new(&mut out, 90);
        encoder.set_progressive(progressive);
        let mut exif = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
        exif.extend_from_slice(SECRETS[0].as_bytes());
        encoder.add_exif_metadata(&exif).unwrap();
        let mut xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>".to_vec();
        xmp.extend_from_slice(SECRETS[1].as_bytes());
        encoder.add_app_segment(1, xmp).unwrap();
        let mut iptc = b"Photoshop 3.0\x008BIM\x04\x04".to_vec();
        iptc.extend_from_slice(SECRETS[2].as_bytes());
        encoder.add_app_segment(13, iptc).unwrap();
        let mut icc = vec![0u8; 128];
        icc.extend_from_slice(SECRETS[4].as_bytes());
        encoder.add_icc_profile(&icc).unwrap();
        encoder.encode(&pixels(width, height), width, height, ColorType::Rgb).unwrap();

        let mut jpeg = Jpeg::from_bytes(Bytes::from(out)).unwrap();
        jpeg.segments_mut().insert(1, JpegSegment::new_with_contents(COM, Bytes::from_static(SECRETS[3].as_bytes())));
        let mut bytes = Vec::new();
        jpeg.encoder().write_to(&mut bytes).unwrap();
        if progressive {
            // A comment between two scans, where header-only strippers do not look.
            let second_sos = find_all(&bytes, &[0xFF, markers::SOS])[1];
            let mut com = vec![0xFF, COM, 0, 2 + 15];
            com.extend_from_slice(b"BETWEEN-SCANS-X");
            bytes.splice(second_sos..second_sos, com);
        }
        bytes.extend_from_slice(b"\xFF\xD8");
        bytes.extend_from_slice(SECRETS[5].as_bytes());
        bytes
    }

    fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
        haystack.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect()
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        !find_all(haystack, needle.as_bytes()).is_empty()
    }

    fn decode(bytes: &[u8]) -> (Vec<u8>, jpeg_decoder::Decoder<&[u8]>) {
        let mut decoder = jpeg_decoder::Decoder::new(bytes);
        let pixels = decoder.decode().unwrap();
        (pixels, decoder)
    }

    #[test]
    fn metadata_is_gone_and_picture_is_unchanged() {
        for progressive in [false, true] {
            let original = tagged_jpeg(progressive);
            // Positive control: the metadata is really in the input and visible to a decoder.
            for secret in SECRETS {
                assert!(contains(&original, secret), "control: {secret} in the input");
            }
            let (original_pixels, original_decoder) = decode(&original);
            assert!(original_decoder.exif_data().is_some());
            assert!(original_decoder.xmp_data().is_some());
            assert!(original_decoder.icc_profile().is_some());

            let (stripped, report) = strip_metadata_report(&original).unwrap();
            for secret in SECRETS.iter().chain(&["BETWEEN-SCANS", "Exif", "ICC_PROFILE", "Photoshop", "xap"]) {
                assert!(!contains(&stripped, secret), "{secret} left (progressive: {progressive})");
            }
            let (stripped_pixels, decoder) = decode(&stripped);
            assert_eq!(stripped_pixels, original_pixels, "same picture");
            assert!(decoder.exif_data().is_none() && decoder.xmp_data().is_none());
            assert!(decoder.icc_profile().is_none());
            assert!(stripped.ends_with(&[0xFF, markers::EOI]));
            for marker in [markers::APP1, markers::APP2, markers::APP13, COM, markers::EOI] {
                assert!(report.dropped_markers.contains(&marker), "{marker:02X} reported");
            }
            assert_eq!(report.removed_bytes, original.len() - stripped.len());
            // Idempotent.
            assert_eq!(strip_metadata(&stripped).unwrap(), stripped);
        }
    }

    #[test]
    fn only_allowed_segments_remain() {
        let stripped = strip_metadata(&tagged_jpeg(true)).unwrap();
        let jpeg = Jpeg::from_bytes(Bytes::from(stripped.clone())).unwrap();
        let header: Vec<u8> = jpeg.segments().iter().map(|s| s.marker()).collect();
        assert_eq!(header[0], markers::APP0);
        assert_eq!(jpeg.segments()[0].contents().as_ref(), b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00");
        assert!(header[1..].iter().all(|&m| is_allowed(m)), "{header:02X?}");
    }

    #[test]
    fn restart_markers_and_stuffed_bytes_survive() {
        let (width, height) = (40, 40);
        let mut out = Vec::new();
        let mut encoder = Encoder::new(&mut out, 100);
        encoder.set_restart_interval(1);
        encoder.encode(&pixels(width, height), width, height, ColorType::Rgb).unwrap();
        assert!(find_all(&out, &[0xFF, 0xD0]).len() + find_all(&out, &[0xFF, 0xD1]).len() > 0);
        let stripped = strip_metadata(&out).unwrap();
        assert_eq!(decode(&stripped).0, decode(&out).0);
    }

    /// Regressions found by the jpeg_strip fuzz target: a stand-alone TEM marker inside
    /// scan data made the scan bytes before it be copied twice; fill bytes before it were
    /// copied and turned the following data into a marker.
    #[test]
    fn stray_marker_inside_scan_is_dropped_once() {
        let clean = strip_metadata(&tagged_jpeg(false)).unwrap();
        let sos = find_all(&clean, &[0xFF, markers::SOS])[0];
        let sos_len = usize::from(u16::from_be_bytes([clean[sos + 2], clean[sos + 3]]));
        let at = sos + 2 + sos_len + 20;
        assert_ne!(clean[at - 1], 0xFF);
        let mut with_tem = clean.clone();
        with_tem.splice(at..at, [0xFF, TEM]);
        let stripped = strip_metadata(&with_tem).unwrap();
        assert_eq!(stripped, clean);
        for crash in [
            &include_bytes!("../fuzz/corpus/jpeg_strip/regression-tem-in-scan")[..],
            &include_bytes!("../fuzz/corpus/jpeg_strip/regression-fill-before-tem")[..],
        ] {
            let once = strip_metadata(crash).unwrap();
            assert_eq!(strip_metadata(&once).unwrap(), once);
        }
        // Fill bytes before a dropped marker must not be left dangling in front of data.
        let mut with_fill = clean.clone();
        with_fill.splice(at..at, [0xFF, 0xFF, 0xFF, TEM]);
        assert_eq!(strip_metadata(&with_fill).unwrap(), clean);
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        assert_eq!(strip_metadata(b""), Err(MediaError::Truncated));
        assert_eq!(strip_metadata(b"\x89PNG\r\n\x1a\n"), Err(MediaError::NotJpeg));
        assert_eq!(strip_metadata(b"\xFF\xD8\xFF\xD9"), Err(MediaError::NoImage));
        let good = tagged_jpeg(false);
        let sos = find_all(&good, &[0xFF, markers::SOS])[0];
        assert_eq!(strip_metadata(&good[..sos - 3]), Err(MediaError::Truncated));
        // Cut inside the scan: still cleaned, closed with an end marker.
        let cut = strip_metadata(&good[..sos + 200]).unwrap();
        assert!(cut.ends_with(&[0xFF, markers::EOI]));
        for secret in SECRETS {
            assert!(!contains(&cut, secret));
        }
        let huge = vec![0u8; MAX_JPEG_LEN + 1];
        assert!(matches!(strip_metadata(&huge), Err(MediaError::TooLarge { .. })));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut input = b"\xFF\xD8".to_vec();
            input.extend_from_slice(&bytes);
            let _ = strip_metadata(&input);
            let _ = strip_metadata(&bytes);
        }

        #[test]
        fn mutated_photos_never_panic_and_never_leak(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut photo = tagged_jpeg(false);
            let i = at.index(photo.len());
            photo[i] = byte;
            if let Ok(stripped) = strip_metadata(&photo) {
                for secret in SECRETS {
                    // A mutation inside a secret can break the string; an intact one must not pass.
                    prop_assert!(!contains(&stripped, secret));
                }
                prop_assert_eq!(strip_metadata(&stripped), Ok(stripped.clone()));
            }
        }
    }
}
