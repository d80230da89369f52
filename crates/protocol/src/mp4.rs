//! Removing metadata from an MP4 or QuickTime (MOV) video before it is sealed.
//!
//! Phone videos carry the place (an ISO 6709 GPS string in `udta` or `meta/keys/ilst`),
//! the recording time (in `mvhd`, `tkhd`, `mdhd`), the phone's make, model and software,
//! XMP in `uuid` boxes, and sometimes whole timed-metadata tracks. The picture and sound
//! live in `mdat`, addressed by absolute file offsets from the sample tables, so boxes
//! cannot simply be cut out without rewriting those offsets. Instead every box that is
//! not on the **allow-list** below is turned, in place, into a `free` box of the same
//! size whose content is zeros: every offset stays valid and the streams are copied
//! unchanged.
//!
//! | kept (content unchanged unless said)                          | why                    |
//! |---------------------------------------------------------------|------------------------|
//! | `ftyp`, `styp`                                                | file type              |
//! | `moov`, `trak`, `mdia`, `minf`, `stbl`, `dinf`, `edts`, `mvex`, `moof`, `traf`, `mfra` (walked) | structure |
//! | `mvhd`, `tkhd`, `mdhd`: **creation and modification times set to 0** | timing        |
//! | `hdlr`: **name set to zeros**                                 | track kind             |
//! | `vmhd`, `smhd`, `dref`, `stsd`, `stts`, `ctts`, `cslg`, `stss`, `stps`, `sdtp`, `stsc`, `stsz`, `stz2`, `stco`, `co64`, `elst`, `sgpd`, `sbgp`, `mehd`, `trex`, `mfhd`, `tfhd`, `tfdt`, `trun`, `tfra`, `mfro`, `sidx` | decoding |
//! | `mdat`                                                        | the streams            |
//!
//! Everything else becomes zeros: `udta`, `meta` (and `keys`, `ilst`, `©xyz` inside),
//! `uuid` (XMP and vendor data), `free`, `skip`, `wide` content, and any unknown box.
//! A track whose handler is neither video (`vide`) nor sound (`soun`) — a timed
//! metadata track, a timecode — becomes zeros too, **and so do its samples in `mdat`**
//! (found through its own sample tables), so a per-frame GPS track leaves nothing.
//! Bytes after the last box are dropped.

use crate::jpeg::MediaError;

/// Largest input accepted, in bytes.
pub const MAX_VIDEO_LEN: usize = 256 * 1024 * 1024;

/// Boxes walked into.
const CONTAINERS: [&[u8; 4]; 11] =
    [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"dinf", b"edts", b"mvex", b"moof", b"traf", b"mfra"];

/// Leaf boxes kept as they are.
const KEPT: [&[u8; 4]; 27] = [
    b"vmhd", b"smhd", b"dref", b"stsd", b"stts", b"ctts", b"cslg", b"stss", b"stps", b"sdtp", b"stsc", b"stsz",
    b"stz2", b"stco", b"co64", b"elst", b"sgpd", b"sbgp", b"mehd", b"trex", b"mfhd", b"tfhd", b"tfdt", b"trun",
    b"tfra", b"mfro", b"sidx",
];

/// Deepest nesting walked.
const MAX_DEPTH: usize = 16;

fn bad(why: &'static str) -> MediaError {
    MediaError::BadVideo(why)
}

/// Whether `bytes` look like an MP4 or QuickTime file (an `ftyp` box first).
pub fn is_video(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && &bytes[4..8] == b"ftyp"
}

/// One box: where it starts, its header length, and where it ends.
#[derive(Clone, Copy)]
struct BoxAt {
    start: usize,
    header: usize,
    end: usize,
    kind: [u8; 4],
}

/// The boxes between `start` and `end`. `top` allows a last box of size 0 ("to the end").
fn boxes(buf: &[u8], start: usize, end: usize, top: bool) -> Result<Vec<BoxAt>, MediaError> {
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end {
        if end - pos < 8 {
            if top {
                // Trailing bytes after the last box: dropped by the caller.
                break;
            }
            return Err(bad("a box is cut off"));
        }
        let size32 = u32::from_be_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as u64;
        let kind = [buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7]];
        let (size, header) = match size32 {
            0 if top => ((end - pos) as u64, 8),
            0 => return Err(bad("a nested box has size 0")),
            1 => {
                if end - pos < 16 {
                    return Err(MediaError::Truncated);
                }
                let mut b = [0u8; 8];
                b.copy_from_slice(&buf[pos + 8..pos + 16]);
                (u64::from_be_bytes(b), 16)
            }
            s => (s, 8),
        };
        if size < header as u64 {
            if top {
                break;
            }
            return Err(bad("a box is smaller than its header"));
        }
        let Some(box_end) = (pos as u64).checked_add(size).filter(|e| *e <= end as u64) else {
            if top {
                // Not a whole box: bytes after the last box (a vendor trailer, or a file cut
                // off), dropped by the caller.
                break;
            }
            return Err(MediaError::Truncated);
        };
        let box_end = box_end as usize;
        out.push(BoxAt { start: pos, header, end: box_end, kind });
        pos = box_end;
    }
    Ok(out)
}

/// Turns a box into a `free` box of the same size with zero content.
fn blank(buf: &mut [u8], b: BoxAt) {
    buf[b.start + 4..b.start + 8].copy_from_slice(b"free");
    buf[b.start + b.header..b.end].fill(0);
}

/// Sets the creation and modification times of a `mvhd`, `tkhd` or `mdhd` to 0.
fn zero_times(buf: &mut [u8], b: BoxAt) -> Result<(), MediaError> {
    let p = b.start + b.header;
    let len = b.end - p;
    let span = match buf.get(p) {
        Some(0) => 8,
        Some(1) => 16,
        _ => return Err(bad("a header box has an unknown version")),
    };
    if len < 4 + span {
        return Err(bad("a header box is too short"));
    }
    buf[p + 4..p + 4 + span].fill(0);
    Ok(())
}

/// The handler type of a `trak` (from `mdia/hdlr`).
fn handler(buf: &[u8], trak: BoxAt) -> Result<Option<[u8; 4]>, MediaError> {
    for mdia in boxes(buf, trak.start + trak.header, trak.end, false)?.into_iter().filter(|b| &b.kind == b"mdia") {
        if let Some(hdlr) =
            boxes(buf, mdia.start + mdia.header, mdia.end, false)?.into_iter().find(|b| &b.kind == b"hdlr")
        {
            let p = hdlr.start + hdlr.header;
            if hdlr.end - p < 12 {
                return Err(bad("a handler box is too short"));
            }
            return Ok(Some([buf[p + 8], buf[p + 9], buf[p + 10], buf[p + 11]]));
        }
    }
    Ok(None)
}

fn be32(buf: &[u8], at: usize) -> Result<u64, MediaError> {
    buf.get(at..at + 4)
        .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
        .ok_or(bad("a sample table is cut off"))
}

fn be64(buf: &[u8], at: usize) -> Result<u64, MediaError> {
    let b = buf.get(at..at + 8).ok_or(bad("a sample table is cut off"))?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Ok(u64::from_be_bytes(a))
}

/// The byte ranges of a track's samples (from its `stsc`, `stsz` and `stco`/`co64`).
fn sample_ranges(buf: &[u8], trak: BoxAt) -> Result<Vec<(u64, u64)>, MediaError> {
    let mut stbl = None;
    let mut stack = vec![trak];
    while let Some(b) = stack.pop() {
        for child in boxes(buf, b.start + b.header, b.end, false)? {
            match &child.kind {
                b"mdia" | b"minf" => stack.push(child),
                b"stbl" => stbl = Some(child),
                _ => {}
            }
        }
    }
    let Some(stbl) = stbl else { return Ok(Vec::new()) };
    let (mut stsc, mut stsz, mut chunks) = (None, None, None);
    for b in boxes(buf, stbl.start + stbl.header, stbl.end, false)? {
        match &b.kind {
            b"stsc" => stsc = Some(b),
            b"stsz" => stsz = Some(b),
            b"stco" | b"co64" => chunks = Some(b),
            _ => {}
        }
    }
    let (Some(stsc), Some(stsz), Some(chunks)) = (stsc, stsz, chunks) else { return Ok(Vec::new()) };
    // Chunk offsets.
    let p = chunks.start + chunks.header;
    let count = be32(buf, p + 4)? as usize;
    let wide = &chunks.kind == b"co64";
    let width = if wide { 8 } else { 4 };
    if count > (chunks.end - p) / width {
        return Err(bad("a chunk offset table is cut off"));
    }
    let mut offsets = Vec::with_capacity(count);
    for i in 0..count {
        let at = p + 8 + i * width;
        offsets.push(if wide { be64(buf, at)? } else { be32(buf, at)? });
    }
    // Sample sizes.
    let p = stsz.start + stsz.header;
    let fixed = be32(buf, p + 4)?;
    let samples = be32(buf, p + 8)? as usize;
    if fixed == 0 && samples > (stsz.end - p) / 4 {
        return Err(bad("a sample size table is cut off"));
    }
    let size_of =
        |i: usize| -> Result<u64, MediaError> { if fixed != 0 { Ok(fixed) } else { be32(buf, p + 12 + i * 4) } };
    // Samples per chunk.
    let q = stsc.start + stsc.header;
    let entries = be32(buf, q + 4)? as usize;
    if entries > (stsc.end - q) / 12 {
        return Err(bad("a sample-to-chunk table is cut off"));
    }
    let mut runs = Vec::with_capacity(entries);
    for i in 0..entries {
        runs.push((be32(buf, q + 8 + i * 12)?, be32(buf, q + 12 + i * 12)?));
    }
    // A chunk's samples lie one after another, so each chunk is one range: at most one
    // range per entry of the chunk offset table, however many samples a crafted table
    // claims (a fixed sample size with 2^32 samples must not cost 2^32 steps or entries).
    let mut ranges = Vec::with_capacity(offsets.len());
    let mut sample = 0usize;
    let mut run = 0usize;
    for (chunk_index, offset) in offsets.iter().enumerate() {
        if sample >= samples {
            break;
        }
        let number = chunk_index as u64 + 1;
        // The run in force: the last of the leading entries whose first chunk is at most
        // this one (the prefix only grows as the chunk number does).
        while runs.get(run).is_some_and(|(first, _)| *first <= number) {
            run += 1;
        }
        let per_chunk = if run == 0 { 0 } else { runs[run - 1].1 as usize };
        let take = per_chunk.min(samples - sample);
        let len = if fixed != 0 {
            fixed.saturating_mul(take as u64)
        } else {
            let mut len = 0u64;
            for i in sample..sample + take {
                len = len.saturating_add(size_of(i)?);
            }
            len
        };
        if take > 0 {
            ranges.push((*offset, len));
        }
        sample += take;
    }
    Ok(ranges)
}

fn walk(
    buf: &mut [u8],
    start: usize,
    end: usize,
    depth: usize,
    blanked: &mut Vec<(u64, u64)>,
) -> Result<(), MediaError> {
    if depth > MAX_DEPTH {
        return Err(bad("boxes are nested too deep"));
    }
    for b in boxes(buf, start, end, false)? {
        let kind = &b.kind;
        if kind == b"trak" {
            match handler(buf, b)? {
                Some(h) if &h == b"vide" || &h == b"soun" => {}
                _ => {
                    blanked.extend(sample_ranges(buf, b)?);
                    blank(buf, b);
                    continue;
                }
            }
        }
        if CONTAINERS.contains(&kind) {
            walk(buf, b.start + b.header, b.end, depth + 1, blanked)?;
        } else if kind == b"mvhd" || kind == b"tkhd" || kind == b"mdhd" {
            zero_times(buf, b)?;
        } else if kind == b"hdlr" {
            let p = b.start + b.header;
            if b.end - p < 24 {
                return Err(bad("a handler box is too short"));
            }
            buf[p + 24..b.end].fill(0);
        } else if !KEPT.contains(&kind) {
            blank(buf, b);
        }
    }
    Ok(())
}

/// Returns a copy of the video `bytes` with every metadata box blanked (see the module
/// documentation). The streams and every offset into them are unchanged.
pub fn strip_video(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    if bytes.len() > MAX_VIDEO_LEN {
        return Err(MediaError::TooLarge { len: bytes.len(), max: MAX_VIDEO_LEN });
    }
    if !is_video(bytes) {
        return Err(bad("it does not start with an ftyp box"));
    }
    let mut buf = bytes.to_vec();
    let top = boxes(&buf, 0, buf.len(), true)?;
    let last_end = top.last().map_or(0, |b| b.end);
    if !top.iter().any(|b| &b.kind == b"moov") || !top.iter().any(|b| &b.kind == b"mdat") {
        return Err(MediaError::NoImage);
    }
    let mut blanked = Vec::new();
    for b in &top {
        match &b.kind {
            b"ftyp" | b"styp" | b"mdat" | b"sidx" => {}
            b"moov" | b"moof" | b"mfra" => walk(&mut buf, b.start + b.header, b.end, 1, &mut blanked)?,
            _ => blank(&mut buf, *b),
        }
    }
    // Samples of removed tracks, inside mdat only.
    let mdats: Vec<(u64, u64)> =
        top.iter().filter(|b| &b.kind == b"mdat").map(|b| ((b.start + b.header) as u64, b.end as u64)).collect();
    for (at, len) in blanked {
        let end = at.saturating_add(len);
        if mdats.iter().any(|(s, e)| *s <= at && end <= *e) {
            buf[at as usize..end as usize].fill(0);
        }
    }
    buf.truncate(last_end);
    Ok(buf)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn mp4_box(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut out = ((content.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(content);
        out
    }

    fn full(version: u8, rest: &[u8]) -> Vec<u8> {
        let mut v = vec![version, 0, 0, 0];
        v.extend_from_slice(rest);
        v
    }

    fn hdlr(kind: &[u8; 4], name: &[u8]) -> Vec<u8> {
        let mut c = full(0, &[0; 4]);
        c.extend_from_slice(kind);
        c.extend_from_slice(&[0; 12]);
        c.extend_from_slice(name);
        mp4_box(b"hdlr", &c)
    }

    /// A track whose one sample of `len` bytes sits at `offset`.
    fn trak(handler: &[u8; 4], name: &[u8], offset: u32, len: u32) -> Vec<u8> {
        let mut tkhd = vec![0u8; 4];
        tkhd.extend_from_slice(&0x1234_5678u32.to_be_bytes()); // creation
        tkhd.extend_from_slice(&0x1234_5679u32.to_be_bytes()); // modification
        tkhd.extend_from_slice(&[0; 72]);
        let stsc = mp4_box(b"stsc", &full(0, &[0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]));
        let mut sz = full(0, &[0, 0, 0, 0, 0, 0, 0, 1]);
        sz.extend_from_slice(&len.to_be_bytes());
        let stsz = mp4_box(b"stsz", &sz);
        let mut co = full(0, &[0, 0, 0, 1]);
        co.extend_from_slice(&offset.to_be_bytes());
        let stco = mp4_box(b"stco", &co);
        let stbl = mp4_box(b"stbl", &[stsc, stsz, stco].concat());
        let minf = mp4_box(b"minf", &stbl);
        let mdia = mp4_box(b"mdia", &[hdlr(handler, name), minf].concat());
        mp4_box(b"trak", &[mp4_box(b"tkhd", &tkhd), mdia].concat())
    }

    pub(crate) const FRAME: &[u8] = b"VIDEO-FRAME-BYTES-7710";
    const GPS: &[u8] = b"+41.4012+128.1777/GPS-7710";

    /// A video: ftyp, moov (mvhd with times, a video track, a GPS metadata track, udta
    /// with a place), a uuid XMP box, mdat (the frame, then the GPS sample), a trailer.
    pub(crate) fn video() -> Vec<u8> {
        let ftyp = mp4_box(b"ftyp", b"isom\0\0\0\0isomavc1");
        let mut mvhd = vec![0u8; 4];
        mvhd.extend_from_slice(&0xDEAD_BEEFu32.to_be_bytes());
        mvhd.extend_from_slice(&0xDEAD_BEF0u32.to_be_bytes());
        mvhd.extend_from_slice(&[0; 88]);
        let udta = mp4_box(b"udta", &mp4_box(b"\xa9xyz", b"UDTA-PLACE-7710"));
        let meta = mp4_box(b"meta", b"META-MODEL-SM-G991-7710");
        // Offsets: computed after the moov's length is known (two passes).
        let build = |frame_at: u32, gps_at: u32| {
            let moov = mp4_box(
                b"moov",
                &[
                    mp4_box(b"mvhd", &mvhd),
                    trak(b"vide", b"HANDLER-NAME-7710", frame_at, FRAME.len() as u32),
                    trak(b"meta", b"gps", gps_at, GPS.len() as u32),
                    udta.clone(),
                    meta.clone(),
                ]
                .concat(),
            );
            let uuid = mp4_box(b"uuid", b"0123456789abcdefXMP-CREATOR-7710");
            let mdat = mp4_box(b"mdat", &[FRAME, GPS].concat());
            [ftyp.clone(), moov, uuid, mdat, b"TRAILER-7710".to_vec()].concat()
        };
        let draft = build(0, 0);
        let mdat_at = draft.windows(4).position(|w| w == b"mdat").unwrap() + 4;
        build(mdat_at as u32, (mdat_at + FRAME.len()) as u32)
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_goes_streams_and_offsets_stay() {
        let input = video();
        let secrets: [&[u8]; 7] = [
            b"UDTA-PLACE-7710",
            b"META-MODEL-SM-G991-7710",
            b"XMP-CREATOR-7710",
            b"HANDLER-NAME-7710",
            GPS,
            b"TRAILER-7710",
            &0xDEAD_BEEFu32.to_be_bytes(),
        ];
        for s in secrets {
            assert!(contains(&input, s), "positive control: {}", String::from_utf8_lossy(s));
        }
        let clean = strip_video(&input).unwrap();
        for s in secrets {
            assert!(!contains(&clean, s), "{}", String::from_utf8_lossy(s));
        }
        assert!(!contains(&clean, &0x1234_5678u32.to_be_bytes()), "track creation time");
        // The frame is where the video track's offset says.
        assert_eq!(clean.len(), input.len() - b"TRAILER-7710".len());
        let at = clean.windows(FRAME.len()).position(|w| w == FRAME).unwrap();
        let at_input = input.windows(FRAME.len()).position(|w| w == FRAME).unwrap();
        assert_eq!(at, at_input);
        assert!(contains(&clean, b"vide") && contains(&clean, b"stco"));
        assert_eq!(strip_video(&clean).unwrap(), clean, "idempotent");
    }

    #[test]
    fn damaged_or_crafted_videos_are_refused() {
        let input = video();
        assert!(matches!(strip_video(b"\0\0\0\x08free"), Err(MediaError::BadVideo(_))));
        for cut in [12, 40, 100, input.len() / 2] {
            assert!(strip_video(&input[..cut]).is_err(), "cut at {cut}");
        }
        // A box claiming more than the file holds.
        let mut long = input.clone();
        let moov = long.windows(4).position(|w| w == b"moov").unwrap() - 4;
        long[moov..moov + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(strip_video(&long).is_err());
        // No moov: no video.
        let only = [mp4_box(b"ftyp", b"isom\0\0\0\0"), mp4_box(b"mdat", b"x")].concat();
        assert_eq!(strip_video(&only), Err(MediaError::NoImage));
        // What a video's refusals say names no JPEG (they once did: "the JPEG file is cut off").
        for cut in [12, 40, 100, input.len() / 2] {
            let said = strip_video(&input[..cut]).unwrap_err().to_string();
            assert!(!said.contains("JPEG"), "cut at {cut}: {said}");
        }
        assert!(!MediaError::NoImage.to_string().contains("JPEG"));
        // Deep nesting is refused, not a stack overflow.
        let mut deep = mp4_box(b"stbl", b"");
        for _ in 0..100 {
            deep = mp4_box(b"minf", &deep);
        }
        let nested = [mp4_box(b"ftyp", b"isom"), mp4_box(b"moov", &deep), mp4_box(b"mdat", b"x")].concat();
        assert!(matches!(strip_video(&nested), Err(MediaError::BadVideo(_))));
    }

    /// A metadata track with one chunk at `offset` whose sample tables are given raw.
    fn raw_trak(offset: u32, stsc_rest: &[u8], stsz_rest: &[u8]) -> Vec<u8> {
        let stsc = mp4_box(b"stsc", &full(0, stsc_rest));
        let stsz = mp4_box(b"stsz", &full(0, stsz_rest));
        let mut co = full(0, &[0, 0, 0, 1]);
        co.extend_from_slice(&offset.to_be_bytes());
        let stbl = mp4_box(b"stbl", &[stsc, stsz, mp4_box(b"stco", &co)].concat());
        let mdia = mp4_box(b"mdia", &[hdlr(b"meta", b""), mp4_box(b"minf", &stbl)].concat());
        mp4_box(b"trak", &mdia)
    }

    fn with_meta_trak(trak_at: impl Fn(u32) -> Vec<u8>, samples: &[u8]) -> (Vec<u8>, usize) {
        let build = |at: u32| {
            let moov = mp4_box(b"moov", &trak_at(at));
            let mdat = mp4_box(b"mdat", &[FRAME, samples].concat());
            [mp4_box(b"ftyp", b"isom\0\0\0\0"), moov, mdat].concat()
        };
        let draft = build(0);
        let at = draft.windows(4).position(|w| w == b"mdat").unwrap() + 4 + FRAME.len();
        (build(at as u32), at)
    }

    #[test]
    fn a_chunk_of_several_samples_is_blanked_whole() {
        // Two samples (5 and 7 bytes) in one chunk: the twelve bytes go, the frame stays.
        let stsc = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1];
        let stsz = [0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 7];
        let (input, at) = with_meta_trak(|at| raw_trak(at, &stsc, &stsz), b"GPS-1GPS-222x");
        let clean = strip_video(&input).unwrap();
        assert_eq!(&clean[at..at + 13], b"\0\0\0\0\0\0\0\0\0\0\0\0x");
        assert!(contains(&clean, FRAME));
    }

    #[test]
    fn a_sample_table_claiming_four_billion_samples_costs_nothing() {
        // Fixed sample size 1, 2^32 - 1 samples, all in one chunk: walked sample by sample
        // this took 2^32 steps and 64 GiB of ranges (found by the video_strip fuzz target).
        // It is one range now, which does not fit in mdat, so nothing outside is touched.
        let stsc = [0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1];
        let stsz = [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff];
        let (input, at) = with_meta_trak(|at| raw_trak(at, &stsc, &stsz), b"GPS");
        let clean = strip_video(&input).unwrap();
        assert_eq!(&clean[at..], b"GPS", "a range past mdat's end is left alone");
        assert!(contains(&clean, FRAME));
        // The same with a fitting count blanks exactly those bytes.
        let stsz = [0, 0, 0, 1, 0, 0, 0, 2];
        let (input, at) = with_meta_trak(|at| raw_trak(at, &stsc, &stsz), b"GPS");
        assert_eq!(&strip_video(&input).unwrap()[at..], b"\0\0S");
    }
}
