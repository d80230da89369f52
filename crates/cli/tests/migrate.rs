//! `lethe migrate OLD NEW` on the frozen format 1 container: every compartment is copied into a
//! new format 2 container (passphrases on a descriptor, never argv), the old file is shredded;
//! a missing passphrase is refused and leaves the old file as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const LETHE: &str = env!("CARGO_BIN_EXE_lethe");

fn vector() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vault/tests/vectors")
}

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(LETHE)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn migrate_the_frozen_v1_container() {
    let dir = std::env::temp_dir().join(format!("lethe-cli-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let image = std::fs::read(vector().join("v1-container.bin")).unwrap();
    let desc = std::fs::read_to_string(vector().join("v1-container.txt")).unwrap();
    let mut passes: Vec<(String, usize)> = Vec::new();
    let mut counts = [0usize; 8];
    for line in desc.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "passphrase" => passes.push((f[1].into(), f[2].trim_start_matches("level ").parse().unwrap())),
            "item" => counts[f[1].parse::<usize>().unwrap()] += 1,
            _ => {}
        }
    }
    let s = |p: &Path| p.to_str().unwrap().to_owned();

    // Only the hidden passphrase: refused, nothing changed.
    let (old, new) = (dir.join("old"), dir.join("new"));
    std::fs::write(&old, &image).unwrap();
    let (code, _, err) = run(&["migrate", &s(&old), &s(&new), "--passphrase-fd", "0"], &format!("{}\n", passes[1].0));
    assert_ne!(code, 0);
    assert!(err.contains("level 0") && err.contains("missing"), "{err}");
    assert_eq!(std::fs::read(&old).unwrap(), image, "a refused migration leaves the old file as it was");
    assert!(!new.exists());

    // Every passphrase: done, old file gone.
    let all: String = passes.iter().map(|(p, _)| format!("{p}\n")).collect();
    let (code, _, err) = run(&["migrate", &s(&old), &s(&new), "--passphrase-fd", "0"], &all);
    assert_eq!(code, 0, "{err}");
    assert!(!old.exists(), "the old container is shredded");
    assert_eq!(std::fs::metadata(&new).unwrap().len(), image.len() as u64);
    for (p, level) in &passes {
        let (code, out, err) = run(&["ls", &s(&new), "--all", "--json", "--passphrase-fd", "0"], &format!("{p}\n"));
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.lines().count(), counts[*level], "level {level}: {out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
