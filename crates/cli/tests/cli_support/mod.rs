//! Helpers for the tests that drive the real `lethe` binary on container files:
//! running it with passphrases on a pipe named by `--passphrase-fd` (never argv or the
//! environment), scratch directories, `ls --json` parsing, a small JPEG, and the examiner's
//! string search.
#![allow(dead_code)]

use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const LETHE: &str = env!("CARGO_BIN_EXE_lethe");

/// A scratch directory under cargo's target tmp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("OS random");
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lethe-{tag}-{name}"));
        std::fs::create_dir_all(&path).expect("scratch dir");
        Scratch(path)
    }
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A `lethe args…` command whose `--passphrase-fd` is a pipe holding `secret_lines`. The
/// returned reader must live until the child is spawned.
pub fn command(args: &[&str], secret_lines: &[&str]) -> (Command, Option<std::io::PipeReader>) {
    let mut command = Command::new(LETHE);
    command.args(args);
    if secret_lines.is_empty() {
        return (command, None);
    }
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    for line in secret_lines {
        writeln!(writer, "{line}").expect("write the passphrase pipe");
    }
    drop(writer);
    // The child inherits this descriptor: clear close-on-exec on the read end only.
    rustix::io::fcntl_setfd(&reader, rustix::io::FdFlags::empty()).expect("fcntl");
    command.arg("--passphrase-fd").arg(reader.as_raw_fd().to_string());
    (command, Some(reader))
}

/// Starts `lethe args…` with its standard streams as given.
pub fn spawn(args: &[&str], secret_lines: &[&str], stdin: Stdio) -> Child {
    let (mut cmd, reader) = command(args, secret_lines);
    let child = cmd.stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn lethe");
    drop(reader);
    child
}

/// Runs `lethe args…` to the end with `stdin` on standard input.
pub fn run(args: &[&str], secret_lines: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = spawn(args, secret_lines, Stdio::piped());
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.as_ref().to_vec();
    // Write from a thread: the child may stop reading early (a full container).
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A command's standard output as text.
pub fn out(o: &Output) -> String {
    text(&o.stdout)
}

/// A command's standard error as text.
pub fn err(o: &Output) -> String {
    text(&o.stderr)
}

/// A path as a command-line argument.
pub fn v(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Runs `lethe args…`, which must succeed; its standard output as text.
pub fn ok_run(args: &[&str], secret_lines: &[&str], stdin: impl AsRef<[u8]>) -> String {
    out(&ok(run(args, secret_lines, stdin)))
}

/// The output of a command that must succeed.
pub fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// The stderr of a command that must fail with `code`; it must say something and not panic.
pub fn fails(out: Output, code: i32) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stdout: {}\nstderr: {err}", text(&out.stdout));
    assert!(err.starts_with("lethe: ") && err.trim().len() > 12, "no clear message: {err:?}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "panic: {err}");
    err
}

/// Makes a container of `size` (e.g. "8M") with one passphrase.
pub fn init(vault: &Path, size: &str, pass: &str) {
    ok(run(&["init", vault.to_str().unwrap(), "--size", size], &[pass], b""));
}

/// Adds a note; returns its id.
pub fn add_note(vault: &Path, pass: &str, content: &[u8]) -> String {
    let out = ok(run(&["add", vault.to_str().unwrap()], &[pass], content));
    id_from(&out)
}

/// Adds a file; returns its id.
pub fn add_file(vault: &Path, pass: &str, file: &Path) -> String {
    let out = ok(run(&["add", vault.to_str().unwrap(), "--file", file.to_str().unwrap()], &[pass], b""));
    id_from(&out)
}

pub fn id_from(out: &Output) -> String {
    let id = text(&out.stdout).trim().to_string();
    assert!(id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()), "not an id: {id:?}");
    id
}

pub fn cat(vault: &Path, pass: &str, id: &str) -> Output {
    run(&["cat", vault.to_str().unwrap(), id], &[pass], b"")
}

/// One line of `lethe ls --json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    pub kind: String,
    pub size: u64,
    pub name: String,
}

fn json_field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    Some(&line[start..])
}

fn json_str(rest: &str) -> String {
    // Names in these tests have no escapes but quotes and backslashes, handled here.
    let mut out = String::new();
    let mut chars = rest.strip_prefix('"').expect("a JSON string").chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => out.push(chars.next().expect("escape")),
            c => out.push(c),
        }
    }
    out
}

pub fn parse_ls_json(stdout: &[u8]) -> Vec<Listed> {
    text(stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let num = |k: &str| -> u64 {
                let rest = json_field(line, k).unwrap_or_else(|| panic!("no {k} in {line}"));
                rest.chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().expect("number")
            };
            Listed {
                id: json_str(json_field(line, "id").expect("id")),
                kind: json_str(json_field(line, "kind").expect("kind")),
                size: num("size"),
                name: json_str(json_field(line, "name").expect("name")),
            }
        })
        .collect()
}

/// `lethe ls --json`: the listing, or the exit code and stderr.
pub fn ls(vault: &Path, pass: &str) -> Result<Vec<Listed>, (i32, String)> {
    let out = run(&["ls", vault.to_str().unwrap(), "--json"], &[pass], b"");
    if out.status.success() {
        Ok(parse_ls_json(&out.stdout))
    } else {
        Err((out.status.code().unwrap_or(-1), text(&out.stderr)))
    }
}

/// Deterministic pseudo-random bytes (xorshift64*) with `marker` written every 4096 bytes, so
/// that an examiner's string search has something distinctive to find.
pub fn content(seed: u64, len: usize, marker: &str) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        v.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    v.truncate(len);
    for start in (0..len).step_by(4096) {
        let end = (start + marker.len()).min(len);
        v[start..end].copy_from_slice(&marker.as_bytes()[..end - start]);
    }
    v
}

/// Whether `needle` is in `haystack` as UTF-8 or UTF-16LE (a short needle in a small file;
/// `find_text` is for many long needles in a large one).
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    [needle.as_bytes(), &utf16[..]].iter().any(|n| haystack.windows(n.len()).any(|w| w == *n))
}

/// A small baseline JPEG (8×8, grey) whose scan data, the picture, is `scan`, with an EXIF
/// segment holding `exif` if given (the metadata a sealed photo must not carry).
pub fn jpeg(scan: &str, exif: Option<&str>) -> Vec<u8> {
    fn segment(out: &mut Vec<u8>, marker: u8, contents: &[u8]) {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(contents);
    }
    let mut jpeg = vec![0xFF, 0xD8];
    if let Some(exif) = exif {
        segment(&mut jpeg, 0xE1, format!("Exif\0\0{exif}").as_bytes());
    }
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1u8; 64]);
    segment(&mut jpeg, 0xDB, &dqt);
    segment(&mut jpeg, 0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    let mut dht = vec![0u8, 1];
    dht.extend_from_slice(&[0u8; 16]);
    segment(&mut jpeg, 0xC4, &dht);
    segment(&mut jpeg, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
    jpeg.extend_from_slice(scan.as_bytes());
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

/// The first of `needles` (each at least 16 bytes) found anywhere in `hay`, as UTF-8 or
/// UTF-16LE: its index and position. Only 8-byte aligned words matching one of the needles'
/// 8-byte windows (a 64K-bit filter) are looked at closely, so a multi-megabyte file is quick.
pub fn find_text(hay: &[u8], needles: &[String]) -> Option<(usize, usize)> {
    let mut forms: Vec<(usize, Vec<u8>)> = Vec::new();
    for (i, n) in needles.iter().enumerate() {
        assert!(n.len() >= 8, "needle too short");
        forms.push((i, n.as_bytes().to_vec()));
        forms.push((i, n.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()));
    }
    let slot = |w: u64| (w.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize;
    let mut filter = vec![0u64; 1024];
    for (_, f) in &forms {
        assert!(f.len() >= 16, "needle too short for the word filter");
        for win in f.windows(8) {
            let h = slot(u64::from_le_bytes(win.try_into().unwrap()));
            filter[h / 64] |= 1 << (h % 64);
        }
    }
    for (w, word) in hay.chunks_exact(8).enumerate() {
        let h = slot(u64::from_le_bytes(word.try_into().unwrap()));
        if filter[h / 64] & (1 << (h % 64)) == 0 {
            continue;
        }
        let p = w * 8;
        for (i, f) in &forms {
            for start in (p + 8).saturating_sub(f.len())..=p {
                if hay[start..].starts_with(f) {
                    return Some((*i, start));
                }
            }
        }
    }
    None
}

use lethe_vault::format::{
    BLOCK_PAYLOAD, BLOCK_SIZE, FIRST_DATA_BLOCK, NONCE_LEN, block_aad, block_offset, session_budget, slot_aad,
    slot_block, slot_key_info,
};
use lethe_vault::primitives::{SALT_LEN, derive_master_key, derive_subkey, open_in_place};
use lethe_vault::slot::SlotBody;
use lethe_vault::{KdfParams, meta};
use std::collections::BTreeSet;

/// What level 0 of `image` uses, read the way the format describes it with the real Argon2id
/// parameters: the blocks of both index copies, every item entry (with its key and blocks), the
/// epoch and (format version 2) the noise list.
pub struct Layout {
    pub version: u8,
    pub epoch: u64,
    pub index_blocks: BTreeSet<u64>,
    pub entries: Vec<meta::ItemEntry>,
    pub noise: Vec<u32>,
}

impl Layout {
    pub fn used(&self) -> BTreeSet<u64> {
        let mut all = self.index_blocks.clone();
        for it in &self.entries {
            all.extend(it.blocks());
        }
        all
    }
    pub fn item_blocks(&self) -> BTreeSet<u64> {
        self.entries.iter().flat_map(|it| it.blocks().collect::<Vec<_>>()).collect()
    }
    pub fn blocks_of(&self, id: &str) -> Vec<u64> {
        let it = self.entries.iter().find(|it| format!("{:08x}", it.id) == id).expect("item in the index");
        it.blocks().collect()
    }
}

pub fn layout(image: &[u8], pass: &str) -> Layout {
    let salt: [u8; SALT_LEN] = image[..SALT_LEN].try_into().unwrap();
    let master = derive_master_key(pass.as_bytes(), &salt, KdfParams::STANDARD);
    let key = derive_subkey(&master, &slot_key_info(0));
    let block_count = (image.len() / BLOCK_SIZE) as u64;
    let mut best: Option<Layout> = None;
    let mut index_blocks = BTreeSet::new();
    for copy in 0..2 {
        let off = block_offset(slot_block(0, copy)) as usize;
        let mut slot = image[off..off + BLOCK_SIZE].to_vec();
        if !open_in_place(&key, &slot_aad(0, copy), &mut slot) {
            continue;
        }
        let (body, version) =
            SlotBody::decode_versioned(&slot[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]).expect("slot decodes");
        let mut blob = Vec::new();
        for &b in &body.meta_blocks {
            let off = block_offset(b as u64) as usize;
            let mut blk = image[off..off + BLOCK_SIZE].to_vec();
            assert!(open_in_place(&body.meta_key, &block_aad(b as u64), &mut blk), "index block authenticates");
            blob.extend_from_slice(&blk[NONCE_LEN..NONCE_LEN + BLOCK_PAYLOAD]);
            index_blocks.insert(b as u64);
        }
        blob.truncate(body.meta_len as usize);
        let (entries, noise, _) = meta::decode_versioned(&blob, block_count).expect("index decodes");
        if best.as_ref().is_none_or(|l| body.epoch > l.epoch) {
            best = Some(Layout { version, epoch: body.epoch, index_blocks: BTreeSet::new(), entries, noise });
        }
    }
    let mut layout = best.expect("no header copy of level 0 opens");
    layout.index_blocks = index_blocks;
    layout
}

/// Blocks that differ between two images of the same length.
pub fn changed_blocks(before: &[u8], after: &[u8]) -> Vec<u64> {
    (0..(before.len() / BLOCK_SIZE) as u64)
        .filter(|&b| {
            let r = block_offset(b) as usize..block_offset(b + 1) as usize;
            before[r.clone()] != after[r]
        })
        .collect()
}

/// Bad input left every stored byte intact, given that opening a format version 2 container
/// writes (docs/FORMAT.md, version 2, point 3: every open starts a session that overwrites `W`
/// free blocks with random bytes, lists them as noise and commits level 0). Comparing raw
/// bytes would only say that no open happened; what must hold is that the refused operation
/// itself wrote nothing: every item entry (key, name, size, blocks) and every item block byte
/// for byte as before, the salt block and the other levels' header slots untouched, and each
/// step of level 0's epoch a session (with its `W` new noise blocks), not a commit of the
/// refused operation. Returns how many sessions ran in between. Version 1 writes nothing at
/// open: there the file must be byte for byte what it was.
pub fn only_sessions(before: &[u8], path: &Path, pass: &str, what: &str) -> u64 {
    let after = std::fs::read(path).expect("read the container");
    let (was, now) = (layout(before, pass), layout(&after, pass));
    if was.version == 1 {
        assert!(before == after.as_slice(), "{what}: the container changed");
        return 0;
    }
    assert_eq!(now.entries, was.entries, "{what}: level 0's items changed");
    let sessions = now.epoch - was.epoch;
    let w = session_budget((before.len() / BLOCK_SIZE) as u64);
    assert_eq!(now.noise[..was.noise.len()], was.noise[..], "{what}: older noise changed");
    assert_eq!(
        (now.noise.len() - was.noise.len()) as u64,
        sessions * w,
        "{what}: {sessions} epoch steps but not as many sessions' noise"
    );
    let items = was.item_blocks();
    let slots = [slot_block(0, 0), slot_block(0, 1)];
    for b in changed_blocks(before, &after) {
        assert!(b >= FIRST_DATA_BLOCK || slots.contains(&b), "{what}: key area block {b} changed");
        assert!(!items.contains(&b), "{what}: block {b} of an item changed");
    }
    sessions
}

/// Refused commands left every stored byte of the container at `path` intact (see
/// [`only_sessions`]): what changed is the sessions their opens wrote, nothing else.
pub fn intact(before: &[u8], path: impl AsRef<Path>, pass: &str, what: &str) {
    only_sessions(before, path.as_ref(), pass, what);
}

/// A hub and a field in `dir` (4 MiB containers under `hub_pass` and `field_pass`), paired in
/// person with the field's broker named "mina", and one order per alias (100 CNY, question
/// "q", answer "yes") sent by the hub and received by the field. Returns the two containers
/// and the order codes, in the order of `aliases`.
pub fn paired_with_orders(
    dir: &Scratch,
    hub_pass: &str,
    field_pass: &str,
    aliases: &[&str],
) -> (PathBuf, PathBuf, Vec<String>) {
    let (hub, field) = (dir.join("hub.vault"), dir.join("field.vault"));
    init(&hub, "4M", hub_pass);
    init(&field, "4M", field_pass);
    let hub_key = ok_run(&["hub", "init", v(&hub)], &[hub_pass], b"");
    let field_key = ok_run(&["field", "init", v(&field)], &[field_pass], b"");
    ok(run(&["hub", "add-broker", v(&hub), "--name", "mina"], &[hub_pass], field_key.as_bytes()));
    ok(run(&["field", "pair", v(&field)], &[field_pass], hub_key.as_bytes()));
    let mut codes = Vec::new();
    for alias in aliases {
        let form = format!("alias: {alias}\namount: 100\ncurrency: CNY\nquestion: q\nanswer: yes\n");
        codes.push(
            ok_run(&["hub", "order", v(&hub), "--broker", "mina"], &[hub_pass], form.as_bytes()).trim().to_owned(),
        );
    }
    let orders = ok(run(&["hub", "send", v(&hub), "--broker", "mina"], &[hub_pass], b"")).stdout;
    ok(run(&["field", "receive", v(&field)], &[field_pass], &orders));
    (hub, field, codes)
}
