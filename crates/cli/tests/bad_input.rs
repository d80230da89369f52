//! Bad input of every kind against the real `lethe` binary (issue 7, issue 3 point 7): each
//! case gets its documented exit code and a clear message on stderr, and where the operation
//! is refused every stored byte is intact: where nothing opens (wrong passphrase, damaged key
//! area, a container in use) the file is byte-for-byte what it was; where the container opened
//! (format version 2, the default) the open's session is the only change (`only_sessions`), and
//! for the one refusal that cannot avoid writing — a piped note that overflows the container —
//! only free blocks change besides.
//!
//! Every lethe call costs about a second of Argon2id; each test makes its own 8 MiB container.

mod cli_support;

use cli_support::*;
use lethe_vault::format::{BLOCK_SIZE, FIRST_DATA_BLOCK, block_offset, session_budget, slot_block};
use std::path::Path;
use std::process::Stdio;

const PASS: &str = "correct horse battery staple";

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read the container")
}

fn unchanged(before: &[u8], path: &Path, what: &str) {
    let after = read(path);
    assert!(before == after.as_slice(), "{what}: the container changed ({} bytes differ)", diff_count(before, &after));
}

fn diff_count(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
}

/// An 8 MiB container with a note and a small file; returns (note id, file id).
fn vault_with_two_items(dir: &Scratch) -> (std::path::PathBuf, String, String) {
    let vault = dir.join("v.lethe");
    init(&vault, "8M", PASS);
    let note = add_note(&vault, PASS, b"NOTE-bad-input-0001 pick up at the market");
    let file = dir.join("scan.bin");
    std::fs::write(&file, content(7, 40_000, "FILE-bad-input-0002")).unwrap();
    let file_id = add_file(&vault, PASS, &file);
    (vault, note, file_id)
}

fn v(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    let dir = Scratch::new("bad-pass");
    let (vault, note, _) = vault_with_two_items(&dir);
    let before = read(&vault);
    for args in [vec!["ls", v(&vault)], vec!["cat", v(&vault), &note], vec!["rm", v(&vault), &note]] {
        let err = fails(run(&args, &["correct horse battery stapler"], b""), 3);
        assert!(err.contains("wrong passphrase"), "{err}");
    }
    // A note through `add` with a wrong passphrase is refused before anything is written.
    fails(run(&["add", v(&vault)], &["not it"], b"NOTE-never-stored-0003"), 3);
    unchanged(&before, &vault, "wrong passphrase");
}

#[test]
fn truncated_container_is_reported_and_not_touched() {
    let dir = Scratch::new("truncated");
    let vault = dir.join("v.lethe");
    init(&vault, "8M", PASS);
    let big = dir.join("big.bin");
    std::fs::write(&big, content(9, 6_000_000, "FILE-truncated-0004")).unwrap();
    add_file(&vault, PASS, &big);
    let full = read(&vault);
    // Not a whole number of blocks; shorter than any container; a valid length that cuts off
    // blocks in use (6 MB of content cannot all lie in the first 4 MiB).
    for (len, what) in [(full.len() - 100, "odd length"), (500_000, "below 1 MiB"), (4 << 20, "cut at 4 MiB")] {
        let cut = dir.join("cut.lethe");
        std::fs::write(&cut, &full[..len]).unwrap();
        let err = fails(run(&["ls", v(&cut)], &[PASS], b""), 7);
        assert!(err.contains("truncated") || err.contains("not a whole lethe container"), "{what}: {err}");
        unchanged(&full[..len], &cut, what);
        std::fs::remove_file(&cut).unwrap();
    }
}

#[test]
fn flipped_byte_in_an_item_damages_only_that_item() {
    let dir = Scratch::new("flip-item");
    let (vault, note, file_id) = vault_with_two_items(&dir);
    let mut image = read(&vault);
    let blocks = layout(&image, PASS).blocks_of(&file_id);
    assert_eq!(blocks.len(), 10, "40 000 bytes take 10 blocks");
    image[block_offset(blocks[4]) as usize + 1000] ^= 0x01;
    std::fs::write(&vault, &image).unwrap();
    let err = fails(cat(&vault, PASS, &file_id), 7);
    assert!(err.contains("damaged") && err.contains(&file_id), "{err}");
    // The damaged block stays as it was (nothing "repairs" it), and so does everything else
    // stored: the read's open wrote its session, and only that.
    assert_eq!(only_sessions(&image, &vault, PASS, "reading a damaged item"), 1);
    let out = ok(cat(&vault, PASS, &note));
    assert_eq!(out.stdout, b"NOTE-bad-input-0001 pick up at the market");
    let listed = ls(&vault, PASS).expect("ls");
    assert_eq!(listed.len(), 2, "both items still listed");
}

#[test]
fn flipped_byte_in_the_key_area_is_survived() {
    let dir = Scratch::new("flip-key");
    let (vault, note, file_id) = vault_with_two_items(&dir);
    let clean = read(&vault);
    // Header copy A of level 0, salt_A: each has a second copy or a backup.
    for (offset, what) in [(block_offset(slot_block(0, 0)) as usize + 2000, "header copy A"), (5, "salt_A")] {
        let mut image = clean.clone();
        image[offset] ^= 0x40;
        std::fs::write(&vault, &image).unwrap();
        let listed = ls(&vault, PASS).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(listed.len(), 2, "{what}");
        assert_eq!(ok(cat(&vault, PASS, &note)).stdout, b"NOTE-bad-input-0001 pick up at the market", "{what}");
        assert_eq!(ok(cat(&vault, PASS, &file_id)).stdout, content(7, 40_000, "FILE-bad-input-0002"), "{what}");
    }
    // Both header copies damaged: nothing opens, and that looks exactly like a wrong
    // passphrase (by design, exit 3); the file is left as it is.
    let mut image = clean.clone();
    image[block_offset(slot_block(0, 0)) as usize + 100] ^= 1;
    image[block_offset(slot_block(0, 1)) as usize + 100] ^= 1;
    std::fs::write(&vault, &image).unwrap();
    fails(run(&["ls", v(&vault)], &[PASS], b""), 3);
    unchanged(&image, &vault, "both header copies damaged");
}

#[test]
fn full_container_refuses_before_writing() {
    let dir = Scratch::new("full");
    let vault = dir.join("v.lethe");
    init(&vault, "8M", PASS);
    let first = dir.join("first.bin");
    std::fs::write(&first, content(1, 5_000_000, "FILE-full-first-0005")).unwrap();
    let first_id = add_file(&vault, PASS, &first);
    let before = read(&vault);
    let second = dir.join("second.bin");
    std::fs::write(&second, content(2, 4_000_000, "FILE-full-second-0006")).unwrap();
    let err = fails(run(&["add", v(&vault), "--file", v(&second)], &[PASS], b""), 5);
    assert!(err.contains("not enough space") && err.contains("KiB free"), "{err}");
    assert_eq!(only_sessions(&before, &vault, PASS, "full container"), 1);
    let before = read(&vault);
    // 20 MB into an 8 MiB container: refused from the size, before anything is written.
    let huge = dir.join("huge.bin");
    std::fs::write(&huge, content(3, 20_000_000, "FILE-full-huge-0007")).unwrap();
    fails(run(&["add", v(&vault), "--file", v(&huge)], &[PASS], b""), 5);
    assert_eq!(only_sessions(&before, &vault, PASS, "20 MB file"), 1);
    // The first item is intact, and erasing still works on a full container.
    assert_eq!(ok(cat(&vault, PASS, &first_id)).stdout, content(1, 5_000_000, "FILE-full-first-0005"));
    ok(run(&["rm", v(&vault), &first_id], &[PASS], b""));
    assert!(ls(&vault, PASS).expect("ls").is_empty());
}

#[test]
fn oversized_note_from_a_pipe_changes_only_free_blocks() {
    let dir = Scratch::new("pipe");
    let (vault, note, file_id) = vault_with_two_items(&dir);
    let before = read(&vault);
    let was = layout(&before, PASS);
    let (used_before, items_before) = (was.used(), was.item_blocks());
    // 12 MB through standard input: the size is unknown, so blocks are taken as data comes;
    // when the container is full everything written is overwritten again.
    let huge = content(4, 12_000_000, "NOTE-pipe-huge-0008");
    let err = fails(run(&["add", v(&vault)], &[PASS], &huge), 5);
    assert!(err.contains("not enough space"), "{err}");
    let after = read(&vault);
    let changed = changed_blocks(&before, &after);
    // Format version 2: level 0's header copies move at the open's session (only_sessions
    // checks that that is all they do); no other key area block and no used block changes.
    let slots = [slot_block(0, 0), slot_block(0, 1)];
    assert!(
        changed.iter().all(|b| (*b >= FIRST_DATA_BLOCK || slots.contains(b)) && !items_before.contains(b)),
        "a used block changed"
    );
    assert!(only_sessions(&before, &vault, PASS, "piped note") <= 1, "the refused note was committed");
    if was.version == 1 {
        assert_eq!(layout(&after, PASS).used(), used_before, "the index is as it was");
    }
    assert_eq!(find_text(&after, &["NOTE-pipe-huge-0008".into()]), None, "plaintext left in the file");
    assert_eq!(ok(cat(&vault, PASS, &note)).stdout, b"NOTE-bad-input-0001 pick up at the market");
    assert_eq!(ok(cat(&vault, PASS, &file_id)).stdout, content(7, 40_000, "FILE-bad-input-0002"));
    eprintln!("piped 12 MB note: refused, {} free blocks written over, no used block changed", changed.len());
}

#[test]
fn unknown_id_is_refused_and_changes_nothing() {
    let dir = Scratch::new("unknown-id");
    let (vault, _, _) = vault_with_two_items(&dir);
    let out = dir.join("out.bin");
    for args in [
        vec!["cat", v(&vault), "deadbeef"],
        vec!["rm", v(&vault), "deadbeef"],
        vec!["export", v(&vault), "deadbeef", "-o", v(&out)],
        vec!["rm", v(&vault), "not-an-id"],
        vec!["cat", v(&vault), "123"],
    ] {
        let before = read(&vault);
        let err = fails(run(&args, &[PASS], b""), 6);
        assert!(err.contains("no item") || err.contains("is not an item id"), "{args:?}: {err}");
        // An id that does not parse is refused before the container opens; an unknown one
        // after (its open wrote a session).
        assert!(only_sessions(&before, &vault, PASS, "unknown ids") <= 1, "{args:?}");
    }
    assert!(!out.exists(), "export of an unknown id left a file");
}

/// Whether some process holds a `flock` on the file with this inode (from /proc/locks).
fn flock_held(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let ino = std::fs::metadata(path).unwrap().ino();
    let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    locks.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() > 5 && f[1] == "FLOCK" && f[5].rsplit(':').next().and_then(|i| i.parse::<u64>().ok()) == Some(ino)
    })
}

#[test]
fn second_process_gets_in_use() {
    let dir = Scratch::new("in-use");
    let (vault, note, _) = vault_with_two_items(&dir);
    let before = read(&vault);
    // An add that has opened the container and waits for its note on standard input.
    let mut holder = spawn(&["add", v(&vault)], &[PASS], Stdio::piped());
    let started = std::time::Instant::now();
    while !flock_held(&vault) {
        assert!(holder.try_wait().unwrap().is_none(), "the add ended early");
        assert!(started.elapsed().as_secs() < 60, "the add never took the lock");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for args in [vec!["ls", v(&vault)], vec!["cat", v(&vault), &note], vec!["rm", v(&vault), &note]] {
        let err = fails(run(&args, &[PASS], b""), 4);
        assert!(err.contains("open in another lethe program"), "{err}");
    }
    fails(run(&["hide", v(&vault), "--yes"], &[PASS, "another passphrase"], b""), 4);
    // The holder finishes normally once its note arrives.
    {
        use std::io::Write;
        let mut stdin = holder.stdin.take().unwrap();
        stdin.write_all(b"NOTE-held-lock-0009").unwrap();
    }
    let out = ok(holder.wait_with_output().unwrap());
    let id = id_from(&out);
    // The holder's open wrote a session (format version 2) while the others were refused, so
    // the file is not compared with `before` byte for byte: the refused calls wrote nothing
    // if level 0's epoch moved by exactly the holder's session and its one commit (the note),
    // every older item is as it was, and no more noise appeared than one session's.
    let (was, now) = (layout(&before, PASS), layout(&read(&vault), PASS));
    if was.version == 2 {
        let w = session_budget((before.len() / BLOCK_SIZE) as u64);
        assert_eq!(now.epoch, was.epoch + 2, "a refused call committed or started a session");
        assert_eq!(now.noise.len(), was.noise.len() + w as usize, "a refused call started a session");
    } else {
        assert_eq!(now.epoch, was.epoch + 1, "a refused call committed");
    }
    assert!(was.entries.iter().all(|e| now.entries.contains(e)), "an older item changed");
    assert_eq!(now.entries.len(), was.entries.len() + 1);
    assert_eq!(ok(cat(&vault, PASS, &id)).stdout, b"NOTE-held-lock-0009");
}

#[test]
fn refusals_that_would_overwrite_or_break_a_rule() {
    let dir = Scratch::new("refused");
    let (vault, note, _) = vault_with_two_items(&dir);
    let before = read(&vault);
    // export to an existing file: refused, the file untouched.
    let existing = dir.join("existing.txt");
    std::fs::write(&existing, b"keep me").unwrap();
    let err = fails(run(&["export", v(&vault), &note, "-o", v(&existing)], &[PASS], b""), 9);
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    // init over an existing file (the container itself, or any file).
    fails(run(&["init", v(&vault), "--size", "8M"], &[PASS], b""), 9);
    fails(run(&["init", v(&existing), "--size", "8M"], &[PASS], b""), 9);
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    // A name longer than 255 bytes.
    let long = "n".repeat(300);
    fails(run(&["add", v(&vault), "--file", "-", "--name", &long], &[PASS], b"NOTE-long-name-0010"), 9);
    // hide with a passphrase that already opens a compartment.
    let err = fails(run(&["hide", v(&vault), "--yes"], &[PASS, PASS], b""), 9);
    assert!(err.contains("already opens"), "{err}");
    // An empty new passphrase for hide, and a bad container size for init.
    fails(run(&["hide", v(&vault), "--yes"], &[PASS, ""], b""), 9);
    let fresh = dir.join("fresh.lethe");
    fails(run(&["init", v(&fresh), "--size", "100K"], &[PASS], b""), 9);
    assert!(!fresh.exists(), "a refused init left a file");
    // Several of these opened the container (each open is a session), none committed anything.
    only_sessions(&before, &vault, PASS, "refusals");
}

/// An export that fails in the middle (here: a damaged block seven eighths into a 4 MiB item,
/// after megabytes of plain text were written) says what happened and leaves no part
/// of the plain text behind: not the file it was writing, not a renamed copy. Control: the
/// same item read with `lethe cat` (its output is the caller's to clean up) hands out those
/// runs before it fails.
#[test]
fn an_export_that_fails_midway_leaves_no_partial_file() {
    let dir = Scratch::new("export-midway");
    let vault = dir.join("v.lethe");
    init(&vault, "16M", PASS);
    let source = dir.join("source.bin");
    let data = content(9, 4 << 20, "FILE-export-midway-0001");
    std::fs::write(&source, &data).unwrap();
    let id = add_file(&vault, PASS, &source);
    std::fs::remove_file(&source).unwrap();
    let mut image = read(&vault);
    let blocks = layout(&image, PASS).blocks_of(&id);
    image[block_offset(blocks[blocks.len() * 7 / 8]) as usize + 100] ^= 0x01;
    std::fs::write(&vault, &image).unwrap();
    let listing = || {
        let mut names: Vec<String> =
            std::fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let before = listing();

    // Control: a plain copy out stops at the damaged block with the runs before it written.
    let out = cat(&vault, PASS, &id);
    assert_eq!(out.status.code(), Some(7), "control: cat must fail on the damaged block: {}", err(&out));
    assert!(out.stdout.len() >= 1 << 20 && out.stdout.len() < data.len(), "control: {} bytes", out.stdout.len());
    assert!(data.starts_with(&out.stdout), "control: what cat wrote is the start of the item");

    let exported = dir.join("exported.bin");
    let err = fails(run(&["export", v(&vault), &id, "-o", v(&exported)], &[PASS], b""), 7);
    assert!(err.contains("damaged") && err.contains(&id), "{err}");
    assert!(err.contains("overwritten and removed") && !err.contains("could not be removed"), "{err}");
    assert!(!exported.exists(), "the unfinished export is still there");
    assert_eq!(listing(), before, "a file was left behind in the folder");
}
