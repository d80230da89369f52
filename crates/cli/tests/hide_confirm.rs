//! `lethe hide` given a lower passphrase overwrites a hidden compartment above it (lethe cannot
//! know one exists). The real binary must always warn, ask on a terminal, and refuse without
//! `--yes` when it cannot ask, changing no byte. The positive control: with `--yes` the same
//! command does overwrite the compartment above, so the refusals are what saved it.

mod cli_support;

use cli_support::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DECOY: &str = "decoy spring garden";
const HIDDEN: &str = "hidden river stone";
const NEWER: &str = "newer mountain path";
const NOTE: &[u8] = b"the hidden compartment's note";

/// `lethe hide VAULT [extra]` with `secrets` on the passphrase pipe, stdin not a terminal,
/// in locale `lang`.
fn hide(vault: &Path, extra: &[&str], secrets: &[&str], lang: &str) -> std::process::Output {
    let mut args = vec!["hide", v(vault)];
    args.extend_from_slice(extra);
    let (mut cmd, reader) = command(&args, secrets);
    cmd.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", lang);
    let child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(reader);
    child.wait_with_output().unwrap()
}

/// A container with a decoy at level 0 and a hidden compartment holding a note above it.
/// Format version 1, made through the library: there a `hide` from a lower level overwrites the
/// compartment above at once (its fixed header slots), which is what the warning tested here
/// says. In version 2 (the default) the compartment above has no fixed block: a new `hide`
/// writes a new link elsewhere and the old compartment's blocks stay as noise until level 0
/// reclaims them (docs/FORMAT.md, version 2), so this test would not see it vanish.
fn two_compartments(dir: &Scratch) -> std::path::PathBuf {
    let vault = dir.join("c.vault");
    let pass = lethe_vault::Passphrase::new(DECOY.as_bytes());
    drop(
        lethe_vault::create_file_version(&vault, 8 << 20, &pass, lethe_vault::KdfParams::STANDARD, 1, &mut |_, _| {})
            .unwrap(),
    );
    ok(hide(&vault, &["--yes"], &[DECOY, HIDDEN], "C"));
    add_note(&vault, HIDDEN, NOTE);
    vault
}

fn hidden_note_intact(vault: &Path) {
    let listed = ls(vault, HIDDEN).expect("the hidden compartment opens");
    assert_eq!(listed.len(), 1);
    assert_eq!(ok(cat(vault, HIDDEN, &listed[0].id)).stdout, NOTE);
}

#[test]
fn hide_without_yes_and_no_terminal_refuses_in_the_users_language() {
    let dir = Scratch::new("hide-refuse");
    let vault = two_compartments(&dir);
    let before = std::fs::read(&vault).unwrap();
    for (lang, expect, absent) in [
        ("ko_KR.UTF-8", "덮어써지고", Some("overwritten")),
        ("zh_CN.UTF-8", "会被覆盖", Some("overwritten")),
        ("en_US.UTF-8", "overwritten", Some("덮어써지고")),
        // No known language: English, then Korean.
        ("C", "overwritten", None),
    ] {
        let err = fails(hide(&vault, &[], &[DECOY, NEWER], lang), 9);
        assert!(err.contains(expect), "{lang}: {err}");
        if let Some(absent) = absent {
            assert!(!err.contains(absent), "{lang}: {err}");
        } else {
            assert!(err.contains("덮어써지고"), "{lang}: {err}");
        }
        assert!(err.contains("--yes"), "{lang}: {err}");
        intact(&before, &vault, DECOY, "{lang}: the container changed");
    }
    hidden_note_intact(&vault);
    assert_eq!(ls(&vault, NEWER).unwrap_err().0, 3);

    // `--help` says it too.
    let help = text(&ok(run(&["hide", "--help"], &[], b"")).stdout);
    assert!(help.contains("overwritten") && help.contains("--yes"), "{help}");

    // Positive control: with --yes and the decoy's passphrase the hidden compartment is gone,
    // and the warning is still printed.
    let out = ok(hide(&vault, &["--yes"], &[DECOY, NEWER], "en_US.UTF-8"));
    assert!(text(&out.stderr).contains("overwritten"));
    assert_eq!(ls(&vault, HIDDEN).unwrap_err().0, 3, "the compartment above was overwritten");
    assert!(ls(&vault, NEWER).unwrap().is_empty());
}

// ---- on a terminal (tmux)

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(["-L", &self.socket, "-f", "/dev/null"]).args(args).output().expect("tmux")
    }
    fn screen(&self) -> String {
        text(&self.cmd(&["capture-pane", "-p", "-J", "-t", "main"]).stdout)
    }
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "waited for {what:?}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    fn line(&self, text: &str) {
        assert!(self.cmd(&["send-keys", "-t", "main", "-l", text]).status.success());
        assert!(self.cmd(&["send-keys", "-t", "main", "Enter"]).status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

#[test]
fn hide_on_a_terminal_warns_and_asks() {
    if !Command::new("tmux").arg("-V").output().map(|o| o.status.success()).unwrap_or(false) {
        eprintln!("SKIPPED: tmux is not installed; the terminal part of the hide test did not run");
        return;
    }
    let dir = Scratch::new("hide-tty");
    let vault = two_compartments(&dir);
    let before = std::fs::read(&vault).unwrap();
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    let tmux = Tmux { socket: format!("lethe-hide-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()) };
    let shell = format!("LANG=ko_KR.UTF-8 {LETHE} hide {}; echo EXIT=$?; sleep 600", v(&vault));
    let out = tmux.cmd(&["new-session", "-d", "-s", "main", "-x", "200", "-y", "50", "sh", "-c", &shell]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Answering anything but yes stops; nothing changes.
    tmux.wait_for("Passphrase of your highest compartment");
    tmux.line(DECOY);
    let screen = tmux.wait_for("\"네\"");
    assert!(screen.contains("덮어써지고"), "{screen}");
    tmux.line("no");
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=9") && screen.contains("아무것도 바꾸지 않았습니다"), "{screen}");
    intact(&before, &vault, DECOY, "the container changed");
    hidden_note_intact(&vault);

    // Answering yes (in Korean) goes on to the new passphrase: the control that the question
    // is what stood between the user and the overwrite.
    let _ = tmux.cmd(&["kill-session", "-t", "main"]);
    let out = tmux.cmd(&["new-session", "-d", "-s", "main", "-x", "200", "-y", "50", "sh", "-c", &shell]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    tmux.wait_for("Passphrase of your highest compartment");
    tmux.line(DECOY);
    tmux.wait_for("\"네\"");
    tmux.line("네");
    tmux.wait_for("Passphrase for the new hidden compartment");
    tmux.line(NEWER);
    tmux.wait_for("Type it again");
    tmux.line(NEWER);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_eq!(ls(&vault, HIDDEN).unwrap_err().0, 3);
    assert!(ls(&vault, NEWER).unwrap().is_empty());
}
