//! Every file lethe creates that holds data is created with mode 0600 from its first open
//! (issue 11): a new container (`lethe init`), the new container of `lethe migrate`, an exported
//! item (`lethe export`) and a key's QR code (`hub init --qr`), all with a umask of 022 (which
//! would let a plain create make them 0644, world-readable). The app's first start makes its
//! container through the same `FileStorage::create` (checked in `tui.rs`).
//!
//! Positive control: a file made with a plain `File::create` under the same umask is 0644 and
//! the same check flags it.

mod cli_support;

use cli_support::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const PASS: &str = "file modes passphrase";

/// The permission bits of `path` when anyone but the owner may read or write it.
fn too_open(path: &Path) -> Option<u32> {
    let mode = std::fs::metadata(path).expect("stat").permissions().mode() & 0o777;
    (mode != 0o600).then_some(mode)
}

fn assert_private(path: &Path, what: &str) {
    if let Some(mode) = too_open(path) {
        panic!("{what}: {} is mode {mode:o}, not 600", path.display());
    }
}

fn vector(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vault/tests/vectors").join(name)
}

#[test]
fn files_lethe_creates_are_0600_with_a_umask_of_022() {
    // The whole test binary runs with this umask (one test: no other thread depends on it);
    // the lethe processes inherit it.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o022));
    let dir = Scratch::new("file-modes");

    // Positive control: under this umask a plain create is world-readable, and is flagged.
    let plain = dir.join("plain");
    std::fs::File::create(&plain).unwrap();
    assert_eq!(too_open(&plain), Some(0o644), "the control file should be 0644 under umask 022");
    let caught = std::panic::catch_unwind(|| assert_private(&plain, "control"));
    assert!(caught.is_err(), "the check did not flag a 0644 file");

    // lethe init.
    let vault = dir.join("new.vault");
    init(&vault, "8M", PASS);
    assert_private(&vault, "lethe init");

    // lethe export of a stored file.
    let source = dir.join("scan.bin");
    std::fs::write(&source, b"FILE-modes-0001 a scanned page").unwrap();
    let id = add_file(&vault, PASS, &source);
    let exported = dir.join("exported.bin");
    ok(run(&["export", vault.to_str().unwrap(), &id, "-o", exported.to_str().unwrap()], &[PASS], b""));
    assert_eq!(std::fs::read(&exported).unwrap(), std::fs::read(&source).unwrap());
    assert_private(&exported, "lethe export");

    // The QR code of the hub's key.
    ok(run(&["hub", "init", vault.to_str().unwrap(), "--qr", dir.join("key.png").to_str().unwrap()], &[PASS], b""));
    assert_private(&dir.join("key.png"), "hub init --qr");

    // lethe migrate: the frozen format 1 container into a new format 2 file.
    let old = dir.join("old.vault");
    std::fs::copy(vector("v1-container.bin"), &old).unwrap();
    let passes: Vec<String> = std::fs::read_to_string(vector("v1-container.txt"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("passphrase\t").map(|rest| rest.split('\t').next().unwrap().to_string()))
        .collect();
    assert!(!passes.is_empty());
    let mut lines: Vec<&str> = passes.iter().map(String::as_str).collect();
    lines.push("");
    let migrated = dir.join("migrated.vault");
    ok(run(&["migrate", old.to_str().unwrap(), migrated.to_str().unwrap()], &lines, b""));
    assert_private(&migrated, "lethe migrate");
}
