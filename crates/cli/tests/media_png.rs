//! A PNG photo through the real binary (issue 11, media): the broker delivers it with the
//! report, the hub imports and exports it, and the exported file has the picture (IHDR,
//! IDAT, IEND unchanged) but none of the text, time or private chunks the phone wrote. The
//! positive control: the same bytes with their first byte changed are not a PNG, so
//! `--keep-metadata` sends them as they are, and the same search finds every chunk at the
//! hub: the export path keeps what it is given, and the search can see a chunk that survives.

mod cli_support;

use cli_support::*;
use std::path::{Path, PathBuf};

const HUB: &str = "hub png pass";
const FIELD: &str = "field png pass";
const MARKER: &str = "GPS 41.40338 129.0 Galaxy-A52 PNG-META-5531";
const PIXELS: &[u8] = b"IDAT-PIXELS-7710";

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A small PNG with a text chunk, a time chunk and a private chunk naming the phone.
fn png() -> Vec<u8> {
    let mut p = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&4u32.to_be_bytes());
    ihdr.extend_from_slice(&4u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut p, b"IHDR", &ihdr);
    chunk(&mut p, b"tEXt", format!("Comment\0{MARKER}").as_bytes());
    chunk(&mut p, b"tIME", &[0x07, 0xEA, 11, 30, 20, 11, 0]);
    chunk(&mut p, b"prVt", MARKER.as_bytes());
    chunk(&mut p, b"IDAT", PIXELS);
    chunk(&mut p, b"IEND", b"");
    p
}

/// Delivers `code` with `bytes` as its photo (and `extra` flags), sends, imports at the
/// hub, exports.
fn through(dir: &Scratch, hub: &Path, field: &Path, code: &str, bytes: &[u8], extra: &[&str], tag: &str) -> Vec<u8> {
    let photo = dir.join(&format!("{tag}.png"));
    std::fs::write(&photo, bytes).unwrap();
    let mut args = vec!["field", "deliver", v(field), code, "--media", v(&photo), "--yes"];
    args.extend_from_slice(extra);
    ok(run(&args, &[FIELD, "yes"], b""));
    let media_dir = dir.join(&format!("media-{tag}"));
    std::fs::create_dir(&media_dir).unwrap();
    let reports = ok(run(&["field", "send", v(field), "--media-dir", v(&media_dir)], &[FIELD], b"")).stdout;
    ok(run(&["hub", "receive", v(hub)], &[HUB], &reports));
    let files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    // The sealed file says nothing of what is in it.
    assert!(!contains(&std::fs::read(&files[0]).unwrap(), "PNG-META"));
    let ack = ok(run(&["hub", "media", v(hub), v(&files[0])], &[HUB], b"")).stdout;
    ok(run(&["field", "receive", v(field)], &[FIELD], &ack));
    let exported = dir.join(&format!("{tag}-out.png"));
    ok(run(&["hub", "export-media", v(hub), code, "-o", v(&exported)], &[HUB], b""));
    std::fs::read(&exported).unwrap()
}

#[test]
fn a_png_reaches_the_hub_without_its_metadata() {
    let dir = Scratch::new("media-png");
    let (hub, field, codes) = paired_with_orders(&dir, HUB, FIELD, &["a", "b"]);

    let stripped = through(&dir, &hub, &field, &codes[0], &png(), &[], "strip");
    assert!(stripped.starts_with(&png()[..8]), "not a PNG any more");
    assert!(contains(&stripped, std::str::from_utf8(PIXELS).unwrap()), "the picture was lost");
    for gone in ["PNG-META", "tEXt", "tIME", "prVt"] {
        assert!(!contains(&stripped, gone), "{gone} reached the hub");
    }
    // Positive control: not a PNG, sent as it is on request; the same search finds the chunks.
    let mut not_png = png();
    not_png[0] = 0;
    let kept = through(&dir, &hub, &field, &codes[1], &not_png, &["--keep-metadata"], "keep");
    assert!(contains(&kept, "PNG-META") && contains(&kept, "tIME"), "the control found nothing");
}
