//! An MP4 video through the real binary (issue 11, media): the broker delivers it with the
//! report (`field deliver --media`), the hub imports it (`hub media`) and exports it, and the
//! exported file keeps the file type, the movie's stream boxes and every byte of `mdat` (at
//! the same offsets) but none of the user data (`udta` with the `©xyz` place) or metadata
//! (`meta` with `keys`/`ilst`) the phone wrote, and the recording times are zero.
//!
//! Controls: the bytes as built contain the place (the search can see it); and the same bytes
//! with their `ftyp` renamed are not a video, so `--keep-metadata` sends them as they are and
//! the same search finds the place at the hub (the export path keeps what it is given).

mod cli_support;

use cli_support::*;
use std::path::{Path, PathBuf};

const HUB: &str = "hub mp4 pass";
const FIELD: &str = "field mp4 pass";
/// The place, as an ISO 6709 string, in `udta/©xyz`.
const PLACE: &str = "+41.4034+129.0012/";
/// The phone, in `meta/ilst`.
const PHONE: &str = "Galaxy-A52 MP4-META-6620";
/// The picture and sound (`mdat`).
const STREAM: &[u8] = b"MDAT-STREAM-SAMPLES-4471-frame-one-frame-two";
/// A recording time (seconds since 1904) in `mvhd`, `tkhd` and `mdhd`.
const TIME: u32 = 0xE2A1_B3C4;

fn bx(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
    let mut out = ((content.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(content);
    out
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

/// A full box's content: version 0, no flags, then `rest`.
fn full(rest: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0, 0];
    out.extend_from_slice(rest);
    out
}

/// Version 0 header box content with creation and modification times, then `pad` zero bytes.
fn timed(pad: usize) -> Vec<u8> {
    let mut rest = TIME.to_be_bytes().to_vec();
    rest.extend_from_slice(&TIME.to_be_bytes());
    rest.resize(8 + pad, 0);
    full(&rest)
}

fn hdlr(kind: &[u8; 4], name: &str) -> Vec<u8> {
    let mut rest = vec![0u8; 4];
    rest.extend_from_slice(kind);
    rest.extend_from_slice(&[0u8; 12]);
    rest.extend_from_slice(name.as_bytes());
    rest.push(0);
    bx(b"hdlr", &full(&rest))
}

/// The sample tables of a video track with one sample of `STREAM.len()` bytes at `offset`.
fn stbl(offset: u32) -> Vec<u8> {
    let stsd = bx(b"stsd", &full(&0u32.to_be_bytes()));
    let stts = bx(
        b"stts",
        &full(&cat(&[1u32.to_be_bytes().to_vec(), 1u32.to_be_bytes().to_vec(), 1u32.to_be_bytes().to_vec()])),
    );
    let stsc = bx(
        b"stsc",
        &full(&cat(&[
            1u32.to_be_bytes().to_vec(),
            1u32.to_be_bytes().to_vec(),
            1u32.to_be_bytes().to_vec(),
            1u32.to_be_bytes().to_vec(),
        ])),
    );
    let stsz = bx(b"stsz", &full(&cat(&[(STREAM.len() as u32).to_be_bytes().to_vec(), 1u32.to_be_bytes().to_vec()])));
    let stco = bx(b"stco", &full(&cat(&[1u32.to_be_bytes().to_vec(), offset.to_be_bytes().to_vec()])));
    bx(b"stbl", &cat(&[stsd, stts, stsc, stsz, stco]))
}

/// ftyp, moov (mvhd, a video trak, udta with ©xyz, meta with keys/ilst), mdat. Returns the
/// file and the offset of mdat's content.
fn mp4() -> (Vec<u8>, usize) {
    let ftyp = bx(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    let build = |offset: u32| {
        let mvhd = bx(b"mvhd", &timed(88));
        let tkhd = bx(b"tkhd", &timed(72));
        let mdhd = bx(b"mdhd", &timed(12));
        let minf = bx(b"minf", &cat(&[bx(b"vmhd", &full(&[0u8; 8])), stbl(offset)]));
        let mdia = bx(b"mdia", &cat(&[mdhd, hdlr(b"vide", "VideoHandle"), minf]));
        let trak = bx(b"trak", &cat(&[tkhd, mdia]));
        let mut xyz = (PLACE.len() as u16).to_be_bytes().to_vec();
        xyz.extend_from_slice(&[0x15, 0xC7]);
        xyz.extend_from_slice(PLACE.as_bytes());
        let udta = bx(b"udta", &bx(b"\xA9xyz", &xyz));
        let keys = bx(b"keys", &full(&cat(&[1u32.to_be_bytes().to_vec(), bx(b"mdta", b"com.android.model")])));
        let data = bx(b"data", &cat(&[vec![0, 0, 0, 1, 0, 0, 0, 0], PHONE.as_bytes().to_vec()]));
        let ilst = bx(b"ilst", &bx(&1u32.to_be_bytes(), &data));
        let meta = bx(b"meta", &full(&cat(&[hdlr(b"mdta", ""), keys, ilst])));
        bx(b"moov", &cat(&[mvhd, trak, udta, meta]))
    };
    // The chunk offset depends on moov's length, which does not depend on the offset.
    let moov_len = build(0).len();
    let offset = ftyp.len() + moov_len + 8;
    let file = cat(&[ftyp, build(offset as u32), bx(b"mdat", STREAM)]);
    (file, offset)
}

/// Delivers `code` with `bytes` as its video (and `extra` flags), sends, imports at the hub
/// (`hub media`), exports.
fn through(dir: &Scratch, hub: &Path, field: &Path, code: &str, bytes: &[u8], extra: &[&str], tag: &str) -> Vec<u8> {
    let video = dir.join(&format!("{tag}.mp4"));
    std::fs::write(&video, bytes).unwrap();
    let mut args = vec!["field", "deliver", v(field), code, "--media", v(&video), "--yes"];
    args.extend_from_slice(extra);
    ok(run(&args, &[FIELD, "yes"], b""));
    let media_dir = dir.join(&format!("media-{tag}"));
    std::fs::create_dir(&media_dir).unwrap();
    let reports = ok(run(&["field", "send", v(field), "--media-dir", v(&media_dir)], &[FIELD], b"")).stdout;
    ok(run(&["hub", "receive", v(hub)], &[HUB], &reports));
    let files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    // The sealed file says nothing of what is in it.
    let sealed = std::fs::read(&files[0]).unwrap();
    assert!(!contains(&sealed, PLACE) && !contains(&sealed, "MP4-META"));
    let ack = ok(run(&["hub", "media", v(hub), v(&files[0])], &[HUB], b""));
    for stream in [&ack.stdout, &ack.stderr] {
        assert!(!contains(stream, PLACE), "hub media printed the place");
    }
    ok(run(&["field", "receive", v(field)], &[FIELD], &ack.stdout));
    let exported = dir.join(&format!("{tag}-out.mp4"));
    ok(run(&["hub", "export-media", v(hub), code, "-o", v(&exported)], &[HUB], b""));
    std::fs::read(&exported).unwrap()
}

/// The top-level boxes of a file: (kind, start, end).
fn top_boxes(bytes: &[u8]) -> Vec<([u8; 4], usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        out.push((bytes[at + 4..at + 8].try_into().unwrap(), at, at + size));
        at += size;
    }
    out
}

#[test]
fn an_mp4_reaches_the_hub_without_its_place_or_phone() {
    let (video, mdat_at) = mp4();
    // Control: the search finds the place and the phone in the bytes as built.
    assert!(contains(&video, PLACE) && contains(&video, PHONE) && contains(&video, "udta"));

    let dir = Scratch::new("media-mp4");
    let (hub, field, codes) = paired_with_orders(&dir, HUB, FIELD, &["a", "b"]);

    let stripped = through(&dir, &hub, &field, &codes[0], &video, &[], "strip");
    // Same length, same boxes at the same places: every offset into mdat still holds.
    assert_eq!(stripped.len(), video.len());
    let kinds: Vec<[u8; 4]> = top_boxes(&stripped).iter().map(|b| b.0).collect();
    assert_eq!(kinds, [*b"ftyp", *b"moov", *b"mdat"]);
    let ftyp_end = top_boxes(&video)[0].2;
    assert_eq!(stripped[..ftyp_end], video[..ftyp_end], "ftyp changed");
    assert_eq!(stripped[mdat_at..], video[mdat_at..], "the streams (mdat) changed");
    for kept in ["trak", "mdia", "minf", "stbl", "stsd", "stts", "stsc", "stsz", "stco", "vmhd"] {
        assert!(contains(&stripped, kept), "{kept} was lost");
    }
    for gone in [PLACE, "MP4-META", "Galaxy", "udta", "meta", "ilst", "keys", "com.android", "\u{a9}xyz", "VideoHandle"]
    {
        assert!(!contains(&stripped, gone), "{gone:?} reached the hub");
    }
    assert!(!stripped.windows(3).any(|w| w == b"\xA9xy"), "the ©xyz box reached the hub");
    assert!(!stripped.windows(4).any(|w| w == TIME.to_be_bytes()), "a recording time reached the hub");

    // Control: not a video (ftyp renamed), sent as it is on request; the search finds the place.
    let mut not_video = video.clone();
    not_video[4..8].copy_from_slice(b"xtyp");
    // Without --keep-metadata it is refused before the container is opened, naming the kinds
    // lethe cleans, and the container is byte for byte what it was.
    let odd = dir.join("odd.bin");
    std::fs::write(&odd, &not_video).unwrap();
    let before = std::fs::read(&field).unwrap();
    let err =
        fails(run(&["field", "deliver", v(&field), &codes[1], "--media", v(&odd), "--yes"], &[FIELD, "yes"], b""), 2);
    assert!(err.contains("JPEG, PNG") && err.contains("MP4, MOV") && err.contains("--keep-metadata"), "{err}");
    assert!(std::fs::read(&field).unwrap() == before, "a refused file changed the container");
    let kept = through(&dir, &hub, &field, &codes[1], &not_video, &["--keep-metadata"], "keep");
    assert_eq!(kept, not_video);
    assert!(contains(&kept, PLACE) && contains(&kept, PHONE), "the control found nothing");
}
