//! `lethe hide` given a lower passphrase overwrites a hidden compartment above it (lethe cannot
//! know one exists): in format 1 at once, in format 2 only once later sessions reclaim its
//! blocks. The real binary must always warn, for the container's format once it is open, ask
//! on a terminal, and refuse without `--yes` when it cannot ask, changing no byte. The positive
//! control: with `--yes` the same command does overwrite a format 1 compartment above, so the
//! refusals are what saved it; in format 2 the compartment above is still there afterwards,
//! which is what the format 2 warning says.

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
    // Before any passphrase the format is unknown: the warning says what each format does.
    for (lang, expect, absent) in [
        ("ko_KR.UTF-8", ["덮어써지고", "형식 1", "형식 2"], Some("overwritten")),
        ("zh_CN.UTF-8", ["被覆盖", "格式 1", "格式 2"], Some("overwritten")),
        ("en_US.UTF-8", ["overwritten", "format 1", "format 2"], Some("덮어써지고")),
        // No known language: English, then Korean.
        ("C", ["overwritten", "format 1", "format 2"], None),
    ] {
        let err = fails(hide(&vault, &[], &[DECOY, NEWER], lang), 9);
        for e in expect {
            assert!(err.contains(e), "{lang}: {err}");
        }
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
    assert!(help.contains("overwritten") && help.contains("format 2") && help.contains("--yes"), "{help}");

    // Positive control: with --yes and the decoy's passphrase the hidden compartment is gone,
    // and the warning (format 1's) is still printed.
    let out = ok(hide(&vault, &["--yes"], &[DECOY, NEWER], "en_US.UTF-8"));
    let err = text(&out.stderr);
    assert!(err.contains("This container is format 1") && err.contains("overwritten at once"), "{err}");
    assert!(!err.contains("format 2"), "{err}");
    assert_eq!(ls(&vault, HIDDEN).unwrap_err().0, 3, "the compartment above was overwritten");
    assert!(ls(&vault, NEWER).unwrap().is_empty());
}

/// Format 2 (what `lethe init` makes): a `hide` from below writes a new link for the new
/// compartment and leaves the one above as noise; the warning says so, in the user's language,
/// and the compartment above still opens with its note afterwards.
#[test]
fn hide_on_a_format_2_container_warns_for_format_2_and_leaves_the_compartment_above() {
    let dir = Scratch::new("hide-v2");
    let vault = dir.join("c2.vault");
    init(&vault, "8M", DECOY);
    ok(hide(&vault, &["--yes"], &[DECOY, HIDDEN], "C"));
    add_note(&vault, HIDDEN, NOTE);
    let layout = layout(&std::fs::read(&vault).unwrap(), DECOY);
    assert_eq!(layout.version, 2, "lethe init makes format 2");

    let out = ok(hide(&vault, &["--yes"], &[DECOY, NEWER], "ko_KR.UTF-8"));
    let err = text(&out.stderr);
    assert!(err.contains("이 보관함은 형식 2입니다") && err.contains("지금 덮어쓰지는 않습니다"), "{err}");
    assert!(!err.contains("형식 1") && !err.contains("바로 덮어써지고"), "{err}");
    // What the warning says happened: the compartment above is intact, the new one is separate.
    hidden_note_intact(&vault);
    assert!(ls(&vault, NEWER).unwrap().is_empty());

    for (lang, expect) in [
        ("zh_CN.UTF-8", "此容器是格式 2"),
        ("en_US.UTF-8", "This container is format 2: if one exists, hiding does not overwrite it now"),
    ] {
        // A third compartment from the decoy, so that each language runs once.
        let third = format!("{NEWER} {lang}");
        let err = text(&ok(hide(&vault, &["--yes"], &[DECOY, &third], lang)).stderr);
        assert!(err.contains(expect) && !err.contains("format 1") && !err.contains("格式 1"), "{lang}: {err}");
    }
    hidden_note_intact(&vault);
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
