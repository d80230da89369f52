//! Traces outside the container (issue 14), against the real binary: `lethe shred`, the mode
//! of every file lethe writes, and `lethe -`, which takes the command line from a prompt or
//! stdin instead of argv.

mod cli_support;

use cli_support::*;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PASS: &str = "traces passphrase";

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Runs `lethe -` with `line` as the first line of stdin and `rest` after it. `{fd}` in the
/// line is replaced by a pipe holding `secret_lines`.
fn lethe_dash(line: &str, secret_lines: &[&str], rest: &[u8]) -> Output {
    let (reader, mut writer) = std::io::pipe().unwrap();
    for secret in secret_lines {
        writeln!(writer, "{secret}").unwrap();
    }
    drop(writer);
    rustix::io::fcntl_setfd(&reader, rustix::io::FdFlags::empty()).unwrap();
    let mut input = line.replace("{fd}", &reader.as_raw_fd().to_string()).into_bytes();
    input.push(b'\n');
    input.extend_from_slice(rest);
    let mut child = Command::new(LETHE)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(reader);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    out
}

#[test]
fn shred_overwrites_renames_and_removes() {
    let dir = Scratch::new("shred");
    let photos = dir.join("DCIM");
    std::fs::create_dir(&photos).unwrap();
    let original = content(7, 100_000, "SHRED-ME-MARKER-0001");
    let target = photos.join("IMG_20261130_114512.jpg");
    std::fs::write(&target, &original).unwrap();
    // A second name for the same inode lets the test see what happened to the content.
    let witness = dir.join("witness");
    std::fs::hard_link(&target, &witness).unwrap();

    let out = ok(run(&["shred", p(&target)], &[], b""));
    let err = text(&out.stderr);
    assert!(err.contains("Shredded 1 file"), "{err}");
    assert!(err.contains("lethe scrub-free-space"), "no advice about the journal: {err}");
    assert!(err.contains("hard links"), "the other name was not reported: {err}");
    assert!(entries(&photos).is_empty(), "left behind: {:?}", entries(&photos));
    let after = std::fs::read(&witness).unwrap();
    assert_eq!(after.len(), original.len());
    assert!(find_text(&after, &["SHRED-ME-MARKER-0001".to_string()]).is_none(), "content not overwritten");
    // Positive control: the same search finds the marker in the original.
    assert!(find_text(&original, &["SHRED-ME-MARKER-0001".to_string()]).is_some());
    assert_eq!(std::fs::metadata(&witness).unwrap().nlink(), 1);
}

#[test]
fn shred_checks_every_path_before_touching_any() {
    let dir = Scratch::new("shred-check");
    let keep = dir.join("keep.jpg");
    std::fs::write(&keep, b"keep me").unwrap();
    let err = fails(run(&["shred", p(&keep), p(&dir.join("missing.jpg"))], &[], b""), 8);
    assert!(err.contains("nothing was shredded"), "{err}");
    let err = fails(run(&["shred", p(&keep), p(&dir.0)], &[], b""), 2);
    assert!(err.contains("not a regular file"), "{err}");
    let link = dir.join("link.jpg");
    std::os::unix::fs::symlink(&keep, &link).unwrap();
    fails(run(&["shred", p(&link)], &[], b""), 2);
    assert_eq!(std::fs::read(&keep).unwrap(), b"keep me");
    assert!(std::fs::symlink_metadata(&link).is_ok());
    assert_eq!(run(&["shred"], &[], b"").status.code(), Some(2), "shred without a path");
}

#[test]
fn files_lethe_writes_are_owner_only_and_announced() {
    let dir = Scratch::new("modes");
    // With the usual umask (022) a plain create makes 0644 files: these must be 0600.
    let vault = dir.join("v.bin");
    init(&vault, "2M", PASS);
    let id = add_note(&vault, PASS, b"exported note");
    let exported = dir.join("out.txt");
    let out = ok(run(&["export", p(&vault), &id, "-o", p(&exported)], &[PASS], b""));
    let mode = std::fs::metadata(&exported).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "export -o made a {mode:o} file");
    let err = text(&out.stderr);
    assert!(err.contains("in plain text") && err.contains(&format!("lethe shred {}", p(&exported))), "{err}");

    let hub = dir.join("hub.bin");
    init(&hub, "2M", PASS);
    let png = dir.join("key.png");
    let out = ok(run(&["hub", "init", p(&hub), "--qr", p(&png)], &[PASS], b""));
    let mode = std::fs::metadata(&png).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "--qr made a {mode:o} file");
    assert!(text(&out.stderr).contains(&format!("lethe shred {}", p(&png))), "{}", text(&out.stderr));
}

#[test]
fn the_command_line_can_come_from_stdin() {
    let dir = Scratch::new("dash");
    let vault = dir.join("my vault.bin");
    init(&vault, "2M", PASS);
    // The note's text follows the command line on stdin.
    let line = format!("add '{}' --name 'photo of 김' --passphrase-fd {{fd}}", p(&vault));
    let out = ok(lethe_dash(&line, &[PASS], b"note after the command line\n"));
    let id = text(&out.stdout).trim().to_string();
    assert_eq!(id.len(), 8, "{}", text(&out.stdout));
    let shown = ok(cat(&vault, PASS, &id));
    assert_eq!(text(&shown.stdout).trim(), "note after the command line");
    let listed = ls(&vault, PASS).unwrap();
    assert!(listed.iter().any(|item| item.name == "photo of 김"));

    // `hide` without the word in argv: the new compartment opens afterwards.
    let line = format!("hide \"{}\" --yes --passphrase-fd {{fd}}", p(&vault));
    ok(lethe_dash(&line, &[PASS, "the hidden one"], b""));
    assert!(ls(&vault, "the hidden one").is_ok());

    let before = std::fs::read(&vault).unwrap();
    for (bad, says) in [
        ("", "holds no command"),
        ("-", "cannot read another"),
        ("rm 'unclosed", "not closed"),
        ("frobnicate", "unrecognized"),
    ] {
        let out = lethe_dash(bad, &[], b"");
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(says), "{bad:?}: {}", text(&out.stderr));
    }
    intact(&before, &vault, PASS, "a refused command line changed the container");
}

#[test]
fn scrub_refuses_bad_arguments_clearly() {
    let dir = Scratch::new("scrub-args");
    let file = dir.join("f");
    std::fs::write(&file, b"x").unwrap();
    let err = fails(run(&["scrub-free-space", p(&file)], &[], b""), 8);
    assert!(err.contains("not a folder"), "{err}");
    fails(run(&["scrub-free-space", p(&dir.0), "--time-limit", "0"], &[], b""), 2);
    assert_eq!(entries(&dir.0), vec!["f".to_string()]);
}
