//! The terminal app driven for real: the `lethe` binary runs in tmux, keys go in with
//! `send-keys` (and pastes with `paste-buffer`), and the tests read the screen with
//! `capture-pane`. One test walks a whole delivery between a hub and a field broker,
//! each in its own container and its own terminal; after both apps quit, the terminals'
//! scrollback must hold nothing that was on the app's screens.
//!
//! Needs tmux (`.ci/run` installs it); without it the tests say so and pass.
//! With `LETHE_CAPTURE_SCREENS=DIR` the walk-through also writes each screen it passes
//! through to DIR/*.txt (that is how docs/screens/ is made).

mod cli_support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const LETHE: &str = env!("CARGO_BIN_EXE_lethe");
/// Argon2 at the real cost takes a second or more per unlock on a busy machine.
const SLOW: Duration = Duration::from_secs(60);

fn tmux_available() -> bool {
    let ok = Command::new("tmux").arg("-V").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        eprintln!("SKIPPED: tmux is not installed (apt-get install -y tmux); the terminal app tests did not run");
    }
    ok
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("lethe-tui-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A tmux server of our own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(tag: &str) -> Tmux {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        Tmux { socket: format!("lethe-{tag}-{}-{n}", std::process::id()) }
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(["-L", &self.socket, "-f", "/dev/null"]).args(args).output().expect("tmux runs")
    }

    /// A terminal of `w`×`h` running a plain shell.
    fn open(&self, name: &str, w: u16, h: u16) -> Pane<'_> {
        self.open_with(name, w, h, None, &[])
    }

    /// The same, started in `cwd` with extra environment variables.
    fn open_with(&self, name: &str, w: u16, h: u16, cwd: Option<&Path>, env: &[String]) -> Pane<'_> {
        let (w, h) = (w.to_string(), h.to_string());
        let mut args: Vec<&str> = vec!["new-session", "-d", "-s", name, "-x", &w, "-y", &h];
        if let Some(dir) = cwd {
            args.extend(["-c", dir.to_str().unwrap()]);
        }
        args.extend(["env", "PS1=$ ", "HISTFILE=/dev/null", "LANG=C.UTF-8"]);
        args.extend(env.iter().map(String::as_str));
        args.push("sh");
        let out = self.cmd(&args);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        Pane { tmux: self, target: name.to_string() }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

struct Pane<'a> {
    tmux: &'a Tmux,
    target: String,
}

impl Pane<'_> {
    /// Named keys: "Enter", "Tab", "C-x", "Escape", "Down", one at a time: an Escape
    /// read together with the next key would be Alt+key.
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            assert!(self.tmux.cmd(&["send-keys", "-t", &self.target, k]).status.success());
            std::thread::sleep(Duration::from_millis(80));
        }
    }

    /// Text typed as it is (UTF-8: Hangul and Chinese arrive like from an input method).
    fn type_text(&self, text: &str) {
        assert!(self.tmux.cmd(&["send-keys", "-t", &self.target, "-l", text]).status.success());
        std::thread::sleep(Duration::from_millis(60));
    }

    /// A paste, bracketed as a terminal does it when the app asks for it.
    fn paste(&self, text: &str) {
        let mut child = Command::new("tmux")
            .args(["-L", &self.tmux.socket, "-f", "/dev/null", "load-buffer", "-b", "lethe", "-"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success());
        assert!(self.tmux.cmd(&["paste-buffer", "-p", "-d", "-b", "lethe", "-t", &self.target]).status.success());
        std::thread::sleep(Duration::from_millis(100));
    }

    fn screen(&self) -> String {
        let out = self.tmux.cmd(&["capture-pane", "-p", "-t", &self.target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Everything the terminal still holds: scrollback and screen.
    fn scrollback(&self) -> String {
        let out = self.tmux.cmd(&["capture-pane", "-p", "-S", "-", "-E", "-", "-t", &self.target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("waited {timeout:?} for {what:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_until(&self, timeout: Duration, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("waited {timeout:?} for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Writes the current screen to $LETHE_CAPTURE_SCREENS/<name>.txt, if asked to.
    fn capture_to_docs(&self, name: &str) {
        if let Some(dir) = std::env::var_os("LETHE_CAPTURE_SCREENS") {
            let text: String =
                self.screen().lines().map(|l| format!("{}\n", l.trim_end())).collect::<String>().trim_end().to_string();
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{name}.txt")), text + "\n").unwrap();
        }
    }
}

/// `lethe init PATH` with the passphrase on a pipe.
fn init_vault(path: &Path, passphrase: &str) {
    let mut child = Command::new(LETHE)
        .args(["init", path.to_str().unwrap(), "--size", "8M", "--passphrase-fd", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{passphrase}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "init: {}", String::from_utf8_lossy(&out.stderr));
}

/// Exit code of `lethe ls PATH` with this passphrase.
fn ls_status(path: &Path, passphrase: &str) -> i32 {
    let mut child = Command::new(LETHE)
        .args(["ls", path.to_str().unwrap(), "--passphrase-fd", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{passphrase}").unwrap();
    child.wait().unwrap().code().unwrap_or(-1)
}

fn start_app(pane: &Pane<'_>, vault: &Path) {
    pane.type_text(&format!("{LETHE} app {}", vault.display()));
    pane.keys(&["Enter"]);
    pane.wait_for("비밀번호를 입력하세요", SLOW);
}

fn unlock(pane: &Pane<'_>, passphrase: &str, then: &str) -> String {
    pane.type_text(passphrase);
    pane.keys(&["Enter"]);
    pane.wait_for(then, SLOW)
}

/// Presses Tab until the header shows `[name]`.
fn go_to_tab(pane: &Pane<'_>, name: &str) {
    let marker = format!("[{name}]");
    for _ in 0..6 {
        if pane.screen().lines().next().is_some_and(|l| l.contains(&marker)) {
            return;
        }
        pane.keys(&["Tab"]);
    }
    panic!("no tab {name}:\n{}", pane.screen());
}

/// Picks a settings row by its label and presses Enter.
fn settings_action(pane: &Pane<'_>, label: &str) {
    for _ in 0..8 {
        pane.keys(&["Up"]);
    }
    for _ in 0..8 {
        if pane.screen().lines().any(|l| l.contains('>') && l.contains(label)) {
            pane.keys(&["Enter"]);
            return;
        }
        pane.keys(&["Down"]);
    }
    panic!("no settings row {label}:\n{}", pane.screen());
}

/// The line after "your public key" on a pairing screen.
fn public_key_on(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| l.contains("내 공개 키")).expect("no public key shown");
    lines[at + 1].trim_matches(|c: char| c == '│' || c.is_whitespace()).to_string()
}

/// The armored message on an outgoing-message screen: the lines made only of groups of
/// the armor alphabet.
fn armor_on(screen: &str) -> String {
    let is_group =
        |g: &str| (1..=5).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    screen
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .filter(|l| !l.is_empty() && l.split(' ').all(is_group))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words that were on the app's screens and must not stay in the terminal.
const MARKERS: &[&str] = &["큰 언니", "바둑이", "혜산", "강아지", "3,000,000", "쌀 2kg", "lethe-note-marker"];

#[test]
fn a_delivery_through_two_terminal_apps_then_panic() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("round");
    let hub_vault = dir.path("hub.vault");
    let field_vault = dir.path("field.vault");
    init_vault(&hub_vault, "hub-pass-1");
    init_vault(&field_vault, "field-pass-1");
    let tmux = Tmux::new("round");
    let hub = tmux.open("hub", 100, 34);
    let field = tmux.open("field", 100, 34);

    // Unlock. The lock screen says nothing about lethe and can switch language.
    start_app(&hub, &hub_vault);
    let s = hub.screen();
    assert!(s.contains("[한국어] 中文 English") && !s.contains("lethe"), "{s}");
    hub.capture_to_docs("unlock");
    hub.keys(&["F2"]);
    hub.wait_for("请输入密码", SLOW);
    hub.keys(&["Tab", "Tab"]);
    hub.wait_for("비밀번호를 입력하세요", SLOW);
    unlock(&hub, "wrong passphrase", "열 수 없습니다");
    unlock(&hub, "hub-pass-1", "메모가 없습니다");

    // A note, to see the notes screen and to have a marker.
    hub.keys(&["n"]);
    hub.type_text("장보기: 쌀 2kg, 두부");
    hub.keys(&["C-s"]);
    hub.wait_for("저장했습니다", SLOW);
    hub.capture_to_docs("notes");

    // Roles, from the settings screen.
    go_to_tab(&hub, "설정");
    settings_action(&hub, "본부로 쓰기");
    hub.wait_for("본부 키를 만들었습니다", SLOW);
    hub.capture_to_docs("settings");
    start_app(&field, &field_vault);
    unlock(&field, "field-pass-1", "메모가 없습니다");
    go_to_tab(&field, "설정");
    settings_action(&field, "현장 전달자로 쓰기");
    field.wait_for("현장 키를 만들었습니다", SLOW);

    // Pairing: each side types the other's key; both show the same safety code.
    go_to_tab(&hub, "본부");
    hub.keys(&["p"]);
    let hub_key = public_key_on(&hub.wait_for("내 공개 키", SLOW));
    go_to_tab(&field, "현장");
    field.keys(&["p"]);
    let field_key = public_key_on(&field.wait_for("내 공개 키", SLOW));
    field.keys(&["h"]);
    field.type_text(&hub_key);
    field.keys(&["Enter"]);
    let s = field.wait_for("짝을 맺었습니다. 안전 코드:", SLOW);
    let code: String = s
        .lines()
        .find_map(|l| l.split("안전 코드: ").nth(1))
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect::<String>()
        .trim()
        .to_string();
    assert!(code.len() >= 39, "no fingerprint on the field's screen:\n{s}");
    field.capture_to_docs("field-pairing");
    hub.keys(&["a"]);
    hub.type_text("kim");
    hub.keys(&["Enter"]);
    hub.type_text(&field_key);
    hub.keys(&["Enter"]);
    let s = hub.wait_for("짝을 맺었습니다", SLOW);
    assert!(s.contains(&code), "safety codes differ: field {code}\n{s}");
    hub.capture_to_docs("hub-brokers");

    // An order, typed in Korean, amounts the Korean way.
    hub.keys(&["Escape", "o"]);
    hub.wait_for("받는 사람 별칭", SLOW);
    hub.keys(&["Enter"]);
    for text in ["큰 언니", "혜산 시장 근처", "300만"] {
        hub.type_text(text);
        hub.keys(&["Enter"]);
    }
    hub.keys(&["Enter"]);
    hub.type_text("30만");
    hub.keys(&["Enter", "Enter"]);
    hub.type_text("어릴 때 강아지 이름은?");
    hub.keys(&["Enter"]);
    hub.type_text("바둑이");
    let s = hub.screen();
    assert!(!s.contains("바둑이") && s.contains("•••"), "the expected answer shows:\n{s}");
    hub.capture_to_docs("hub-new-order");
    hub.keys(&["Enter"]);
    let s = hub.wait_for("만들었습니다. m 키로 보내세요", SLOW);
    assert!(s.contains("큰 언니") && s.contains("3,000,000 KRW") && s.contains("새 주문"), "{s}");
    hub.capture_to_docs("hub-orders");

    // Send: the message with its exact size, as text; the QR view.
    hub.keys(&["m"]);
    hub.keys(&["C-s"]);
    let s = hub.wait_for("정확히", SLOW);
    hub.capture_to_docs("message-text");
    let orders_text = armor_on(&s);
    assert!(orders_text.len() > 100, "no message on screen:\n{s}");
    hub.keys(&["q"]);
    hub.wait_until(SLOW, "a QR code", |s| s.contains('█') || s.contains("QR 코드가 화면보다"));
    hub.capture_to_docs("message-qr");
    hub.keys(&["Escape"]);

    // The field pastes it.
    field.keys(&["Escape", "i"]);
    field.wait_for("메시지 붙여 넣기", SLOW);
    field.paste(&orders_text);
    field.keys(&["C-s"]);
    let s = field.wait_for("새 주문 1건을 받았습니다", SLOW);
    assert!(s.contains("큰 언니") && s.contains("물어볼 질문: 어릴 때 강아지 이름은?"), "{s}");
    field.capture_to_docs("field-orders");

    // Delivery: the answer goes into a masked field.
    field.keys(&["Enter"]);
    field.wait_for("받는 사람의 답", SLOW);
    field.type_text("바둑이");
    let s = field.screen();
    assert!(!s.contains("바둑이") && s.contains("•••"), "the answer shows:\n{s}");
    field.capture_to_docs("field-deliver");
    field.keys(&["C-s"]);
    field.wait_for("보고를 봉인했습니다", SLOW);

    // The outbox shows the exact size; the report is saved to a file for the chat app.
    field.keys(&["m"]);
    field.wait_for("정확히", SLOW);
    field.capture_to_docs("field-outbox");
    field.keys(&["Enter"]);
    field.wait_for("본부로 보낼 보고", SLOW);
    field.keys(&["w"]);
    let report_file = dir.path("report.txt");
    field.type_text(report_file.to_str().unwrap());
    field.keys(&["Enter"]);
    field.wait_for("저장했습니다", SLOW);
    field.keys(&["Escape"]);

    // The hub loads it and verifies the answer.
    hub.keys(&["i"]);
    hub.keys(&["Tab"]);
    hub.type_text(report_file.to_str().unwrap());
    hub.keys(&["Enter"]);
    let s = hub.wait_for("답이 맞음: 전달됨", SLOW);
    assert!(s.contains("kim"), "{s}");
    hub.capture_to_docs("hub-results");
    hub.keys(&["Enter"]);
    hub.wait_for("전달자에게 보낼 확인", SLOW);
    hub.keys(&["w"]);
    let ack_file = dir.path("ack.txt");
    hub.type_text(ack_file.to_str().unwrap());
    hub.keys(&["Enter"]);
    hub.wait_for("저장했습니다", SLOW);
    hub.keys(&["Escape", "Escape", "l"]);
    let s = hub.wait_for("잔액", SLOW);
    assert!(s.contains("kim") && s.contains("3,000,000"), "{s}");
    hub.capture_to_docs("hub-ledger");

    // The field takes the acknowledgement and erases the order.
    field.keys(&["i", "Tab"]);
    field.type_text(ack_file.to_str().unwrap());
    field.keys(&["Enter"]);
    let s = field.wait_for("본부가 확인했습니다: 주문 1건", SLOW);
    assert!(!s.contains("큰 언니"), "{s}");

    // Panic: Ctrl-X three times. The app then looks like an empty notes app.
    field.keys(&["C-x", "C-x", "C-x"]);
    let s = field.wait_for("메모가 없습니다", SLOW);
    assert!(!s.contains("lethe") && !s.contains("현장"), "{s}");
    field.capture_to_docs("after-panic");
    assert_eq!(ls_status(&field_vault, "field-pass-1"), 3, "the field container still opens after panic");
    // The hub's container is untouched.
    hub.keys(&["C-q"]);
    field.keys(&["C-q"]);
    for pane in [&hub, &field] {
        pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));
    }
    assert_eq!(ls_status(&hub_vault, "hub-pass-1"), 0);

    // Nothing of what the apps showed stays in the terminals.
    for pane in [&hub, &field] {
        let all = pane.scrollback();
        for m in MARKERS {
            assert!(!all.contains(m), "{m:?} stayed in the scrollback:\n{all}");
        }
        // Positive control: what is printed outside the app does stay, and is found.
        pane.type_text("echo visible-$((6*7))");
        pane.keys(&["Enter"]);
        pane.wait_for("visible-42", SLOW);
        assert!(pane.scrollback().contains("visible-42"));
    }
}

#[test]
fn lock_relock_and_panic_from_the_lock_screen() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("lock");
    let vault = dir.path("notes.vault");
    init_vault(&vault, "pass-one");
    // Home, temporary and working folders of its own, to see that the app writes no file.
    let places: Vec<PathBuf> = ["home", "tmp", "work"].iter().map(|d| dir.path(d)).collect();
    for p in &places {
        std::fs::create_dir_all(p).unwrap();
    }
    let home = places[0].display().to_string();
    let env: Vec<String> = vec![
        format!("HOME={home}"),
        format!("TMPDIR={}", places[1].display()),
        format!("XDG_CONFIG_HOME={home}/.config"),
        format!("XDG_CACHE_HOME={home}/.cache"),
        format!("XDG_DATA_HOME={home}/.local/share"),
        format!("XDG_STATE_HOME={home}/.local/state"),
    ];
    let tmux = Tmux::new("lock");
    let pane = tmux.open_with("main", 80, 24, Some(&places[2]), &env);
    start_app(&pane, &vault);
    unlock(&pane, "pass-one", "메모가 없습니다");
    pane.keys(&["n"]);
    pane.type_text("혜산 시장 옆 中文 lethe-note-marker");
    pane.keys(&["C-s"]);
    pane.wait_for("저장했습니다", SLOW);
    assert_eq!(ls_status(&vault, "pass-one"), 4, "expected 'in use' while the app has it open");
    // Ctrl-L locks: the note leaves the screen, and the app lets go of the container.
    pane.keys(&["C-l"]);
    let s = pane.wait_for("비밀번호를 입력하세요", SLOW);
    assert!(!s.contains("혜산"), "{s}");
    unlock(&pane, "pass-one", "혜산 시장 옆 中文");
    pane.keys(&["C-l"]);
    pane.wait_for("비밀번호를 입력하세요", SLOW);
    // Two Ctrl-X do nothing; the third within two seconds wipes, even when locked.
    pane.keys(&["C-x", "C-x"]);
    assert!(pane.screen().contains("비밀번호를 입력하세요"));
    assert_eq!(ls_status(&vault, "pass-one"), 0, "two presses must not wipe");
    pane.keys(&["C-x", "C-x", "C-x"]);
    pane.wait_for("메모가 없습니다", SLOW);
    pane.keys(&["C-q"]);
    pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));
    assert_eq!(ls_status(&vault, "pass-one"), 3, "the container still opens after panic");
    let all = pane.scrollback();
    for m in MARKERS {
        assert!(!all.contains(m), "{m:?} stayed in the scrollback:\n{all}");
    }
    // The app wrote no file: not in its home, temporary or working folder, nor beside the
    // container.
    let files_in = |roots: &[PathBuf]| -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack: Vec<PathBuf> = roots.to_vec();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() { stack.push(e.path()) } else { found.push(e.path()) }
            }
        }
        found
    };
    assert_eq!(files_in(&places), Vec::<PathBuf>::new());
    let beside: Vec<_> =
        std::fs::read_dir(&dir.0).unwrap().flatten().filter(|e| e.file_type().unwrap().is_file()).collect();
    assert_eq!(beside.len(), 1, "files beside the container: {beside:?}");
    // Positive control: a file made from the same shell is found.
    pane.type_text("touch \"$HOME/probe\" probe-here");
    pane.keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(files_in(&places).len(), 2);
}

#[test]
fn demo_runs_by_itself_and_exits_zero() {
    let out = Command::new(LETHE).arg("demo").env("LANG", "en_US.UTF-8").env_remove("LC_ALL").output().unwrap();
    assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Nothing is written to disk",
        "answer matches: delivered",
        "answer does not match: disputed",
        "crypto-erases the 1 acknowledged order and its report",
        "which the hub disputes (wrong answer), stays on her phone",
        "nothing found",
        "it shows only ordinary notes",
        "\"river-stone-42\" now opens nothing",
    ] {
        assert!(text.contains(expected), "the demo did not say {expected:?}:\n{text}");
    }
}

#[test]
fn the_app_refuses_without_a_terminal_or_container() {
    let dir = Scratch::new("refuse");
    let out = Command::new(LETHE).args(["app", dir.path("none.vault").to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no container"));
    let vault = dir.path("v.vault");
    init_vault(&vault, "x-pass");
    let out = Command::new(LETHE).args(["app", vault.to_str().unwrap()]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}

/// `lethe panic` from the command line while the app is open (issue 11, item 4): the app
/// notices that the container's keys changed and locks, instead of showing the notes and
/// reporting "saved" for a note that can never be read again.
#[test]
fn panic_from_the_command_line_locks_the_open_app() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("outside-panic");
    let vault = dir.path("notes.vault");
    init_vault(&vault, "pass-one");
    let tmux = Tmux::new("outside-panic");
    let pane = tmux.open("main", 80, 24);
    start_app(&pane, &vault);
    unlock(&pane, "pass-one", "메모가 없습니다");
    // Positive control: a note is saved while the keys are intact, and a few seconds with
    // the keys intact leave the app open.
    pane.keys(&["n"]);
    pane.type_text("첫 메모 lethe-note-marker");
    pane.keys(&["C-s"]);
    pane.wait_for("저장했습니다", SLOW);
    std::thread::sleep(Duration::from_secs(3));
    assert!(pane.screen().contains("첫 메모"), "{}", pane.screen());
    // A second note is being typed when another terminal runs `lethe panic`.
    pane.keys(&["n"]);
    pane.type_text("둘째 메모");
    let out = Command::new(LETHE).args(["panic", vault.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "panic: {}", String::from_utf8_lossy(&out.stderr));
    let s = pane.wait_for("다른 프로그램이 보관함을 바꿨습니다", Duration::from_secs(10));
    assert!(s.contains("비밀번호를 입력하세요"), "{s}");
    assert!(!s.contains("첫 메모") && !s.contains("둘째 메모") && !s.contains("저장했습니다"), "{s}");
    // Keys typed now go to the lock screen: nothing claims to save anything.
    pane.keys(&["C-s"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!pane.screen().contains("저장했습니다"));
    pane.keys(&["C-q"]);
    pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));
    assert_eq!(ls_status(&vault, "pass-one"), 3, "the container must not open after panic");
}

/// Camouflage (issue 11, item 5): a compartment without a role shows an ordinary notes app
/// and nothing else; the role and hide rows come only with Ctrl-E, which nothing names.
#[test]
fn camouflage_shows_only_a_notes_app_until_ctrl_e() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("camouflage");
    let vault = dir.path("notes.vault");
    init_vault(&vault, "pass-one");
    let tmux = Tmux::new("camouflage");
    let pane = tmux.open("main", 80, 24);
    start_app(&pane, &vault);
    unlock(&pane, "pass-one", "메모가 없습니다");
    go_to_tab(&pane, "설정");
    // Positive control: without camouflage the rows and the name are on the screens.
    let s = pane.screen();
    for word in ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸 새로 만들기", "lethe"] {
        assert!(s.contains(word), "{word} missing:\n{s}");
    }
    settings_action(&pane, "위장 모드");
    pane.wait_for("설정을 저장했습니다", SLOW);
    let words = ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸", "lethe", "Ctrl-E", "현장", "본부"];
    let plain = |what: &str| {
        let s = pane.screen();
        for word in words {
            assert!(!s.contains(word), "{word} on the {what} screen:\n{s}");
        }
        let title = tmux.cmd(&["display-message", "-p", "-t", "main", "#{pane_title}"]);
        let title = String::from_utf8_lossy(&title.stdout);
        assert!(!title.contains("lethe"), "window title {title:?}");
    };
    plain("settings");
    // Every row of the settings screen, one by one: none of them names a role.
    for _ in 0..6 {
        pane.keys(&["Down"]);
        plain("settings");
    }
    go_to_tab(&pane, "메모");
    plain("notes");
    // The same after locking and opening again.
    pane.keys(&["C-l"]);
    pane.wait_for("비밀번호를 입력하세요", SLOW);
    unlock(&pane, "pass-one", "메모가 없습니다");
    plain("notes");
    go_to_tab(&pane, "설정");
    plain("settings");
    // Ctrl-E, named nowhere, shows the rows; a role set up through them works.
    pane.keys(&["C-e"]);
    let s = pane.wait_for("숨은 칸 새로 만들기", Duration::from_secs(5));
    assert!(s.contains("현장 전달자로 쓰기") && s.contains("본부로 쓰기"), "{s}");
    settings_action(&pane, "현장 전달자로 쓰기");
    pane.wait_for("현장 키를 만들었습니다", SLOW);
    pane.keys(&["C-q"]);
    pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));
}

/// The outbox offers the message as cover text: the pairing's setting (Korean market
/// talk, set with `lethe hub settings`) is the form it opens in, `c` steps through plain
/// armor, Korean and Chinese market talk, and the text saved from the screen is read by
/// the broker's `lethe field receive` without being told its form.
#[test]
fn the_outbox_shows_cover_text() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("cover");
    let (hub_vault, field_vault) = (dir.path("hub.vault"), dir.path("field.vault"));
    init_vault(&hub_vault, "hub-pass-1");
    init_vault(&field_vault, "field-pass-1");
    let (hub_path, field_path) = (hub_vault.to_str().unwrap(), field_vault.to_str().unwrap());
    let run = |args: &[&str], pass: &str, stdin: &str| {
        let out = cli_support::run(args, &[pass], stdin.as_bytes());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let hub_key = run(&["hub", "init", hub_path], "hub-pass-1", "");
    let field_key = run(&["field", "init", field_path], "field-pass-1", "");
    run(&["hub", "add-broker", hub_path, "--name", "kim"], "hub-pass-1", &field_key);
    run(&["field", "pair", field_path], "field-pass-1", &hub_key);
    let form = "alias: 큰 언니\namount: 300만\ncurrency: KRW\nquestion: 강아지 이름?\nanswer: 바둑이\n";
    let code = run(&["hub", "order", hub_path, "--broker", "kim"], "hub-pass-1", form);
    run(&["hub", "settings", hub_path, "--broker", "kim", "--cover", "ko-market"], "hub-pass-1", "");

    let tmux = Tmux::new("cover");
    let hub = tmux.open("hub", 100, 34);
    start_app(&hub, &hub_vault);
    unlock(&hub, "hub-pass-1", "큰 언니");
    go_to_tab(&hub, "본부");
    hub.keys(&["m"]);
    hub.keys(&["C-s"]);
    // The pairing's setting: Korean market talk, no armor on the screen.
    let s = hub.wait_for("보내는 형태: 한국어 시장 이야기", SLOW);
    let hangul = |t: &str| t.chars().filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)).count();
    assert!(hangul(&s) > 150 && armor_on(&s).is_empty(), "{s}");
    hub.capture_to_docs("message-cover");
    // `c`: Chinese market talk, then plain armor.
    hub.keys(&["c"]);
    let s = hub.wait_for("보내는 형태: 중국어 시장 이야기", SLOW);
    assert!(s.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count() > 100, "{s}");
    hub.keys(&["c"]);
    let s = hub.wait_for("보내는 형태: 일반 암호 글자", SLOW);
    assert!(armor_on(&s).len() > 100, "{s}");
    hub.keys(&["c"]);
    hub.wait_for("보내는 형태: 한국어 시장 이야기", SLOW);
    // Saved as shown, and read by the broker.
    hub.keys(&["w"]);
    let file = dir.path("orders.txt");
    hub.type_text(file.to_str().unwrap());
    hub.keys(&["Enter"]);
    hub.wait_for("저장했습니다", SLOW);
    hub.keys(&["C-q"]);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(hangul(&saved) > 150, "{saved}");
    let added = run(&["field", "receive", field_path], "field-pass-1", &saved);
    assert_eq!(added.trim(), code.trim());
}

/// The arguments of the process the pane's shell is running now (None when it runs none),
/// as `ps` and anyone reading /proc see them.
fn running_argv(tmux: &Tmux, target: &str) -> Option<Vec<String>> {
    let out = tmux.cmd(&["display-message", "-p", "-t", target, "#{pane_pid}"]);
    let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // pid (comm) state ppid …: the name may hold spaces, so read after the last ')'.
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1).map(str::to_string));
        if ppid.as_deref() == Some(shell.as_str()) {
            let raw = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            return Some(
                raw.split(|&b| b == 0)
                    .filter(|a| !a.is_empty())
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect(),
            );
        }
    }
    None
}

/// `lethe -` (issue 14): the command line typed at lethe's own prompt. While it runs, its
/// argv (what /proc, `ps` and the shell's history hold) is `lethe -` and nothing more; the
/// same command given as arguments shows the order code and the camera file name there.
#[test]
fn lethe_dash_takes_the_command_at_a_prompt_and_keeps_it_out_of_argv() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("dash");
    let vault = dir.path("v.vault");
    init_vault(&vault, "dash-pass");
    let photo = dir.path("IMG_20261130_114512.jpg");
    std::fs::write(&photo, b"DASH-PHOTO-CONTENT-0001").unwrap();
    let command = format!("add {} --name K3F-9QZ2 --file {}", vault.display(), photo.display());
    let tmux = Tmux::new("dash");
    let pane = tmux.open("main", 120, 30);
    let identifying = |argv: &[String]| argv.iter().any(|a| a.contains("K3F-9QZ2") || a.contains("IMG_2026"));

    // Positive control: the command as arguments is in argv while it waits for the passphrase.
    pane.type_text(&format!("{LETHE} {command}"));
    pane.keys(&["Enter"]);
    pane.wait_for("Passphrase:", SLOW);
    let argv = running_argv(&tmux, "main").expect("lethe runs");
    assert!(identifying(&argv), "the control must see the order code and the file name: {argv:?}");
    pane.keys(&["C-c"]);
    pane.wait_until(SLOW, "the control to end", |_| running_argv(&tmux, "main").is_none());
    pane.type_text("clear");
    pane.keys(&["Enter"]);
    pane.wait_until(SLOW, "a clear screen", |s| !s.contains("Passphrase:"));

    // `lethe -`: argv is the same at lethe's prompt and at the passphrase prompt.
    pane.type_text(&format!("{LETHE} -"));
    pane.keys(&["Enter"]);
    pane.wait_for("not kept in the shell's history", SLOW);
    assert_eq!(running_argv(&tmux, "main").expect("lethe runs"), vec![LETHE.to_string(), "-".to_string()]);
    pane.type_text(&command);
    pane.keys(&["Enter"]);
    pane.wait_for("Passphrase:", SLOW);
    let argv = running_argv(&tmux, "main").expect("lethe runs");
    assert_eq!(argv, vec![LETHE.to_string(), "-".to_string()]);
    assert!(!identifying(&argv));
    pane.type_text("dash-pass");
    pane.keys(&["Enter"]);
    pane.wait_until(SLOW, "the command to finish", |_| running_argv(&tmux, "main").is_none());

    // The typed command ran: the item is in the container under its name.
    let mut child = Command::new(LETHE)
        .args(["ls", vault.to_str().unwrap(), "--passphrase-fd", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "dash-pass").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "ls: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("K3F-9QZ2"), "{}", String::from_utf8_lossy(&out.stdout));
}

/// The field's pairing form takes the hub's public key only: a broker's pairing request
/// pasted into it, or the hub's remote-pairing answer, is named for what it is and pairs
/// nothing; the hub's key (positive control) pairs.
#[test]
fn the_app_pairing_form_refuses_a_brokers_pairing_text() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("pairform");
    let field_vault = dir.path("field.vault");
    let other_vault = dir.path("other.vault");
    let hub_vault = dir.path("hub.vault");
    init_vault(&field_vault, "field-pass-1");
    init_vault(&other_vault, "other-pass-1");
    init_vault(&hub_vault, "hub-pass-1");
    let cli = |args: &[&str], pass: &str, stdin: &str| -> String {
        cli_support::text(&cli_support::ok(cli_support::run(args, &[pass], stdin.as_bytes())).stdout)
    };
    let hub_key = cli(&["hub", "init", hub_vault.to_str().unwrap()], "hub-pass-1", "");
    cli(&["field", "init", other_vault.to_str().unwrap()], "other-pass-1", "");
    let request = cli(&["field", "pair-request", other_vault.to_str().unwrap()], "other-pass-1", "");
    let answer = cli(&["hub", "add-broker", hub_vault.to_str().unwrap(), "--name", "other"], "hub-pass-1", &request);

    let tmux = Tmux::new("pairform");
    let field = tmux.open("field", 100, 34);
    start_app(&field, &field_vault);
    unlock(&field, "field-pass-1", "메모가 없습니다");
    go_to_tab(&field, "설정");
    settings_action(&field, "현장 전달자로 쓰기");
    field.wait_for("현장 키를 만들었습니다", SLOW);
    go_to_tab(&field, "현장");
    field.keys(&["p"]);
    field.wait_for("내 공개 키", SLOW);
    let before = std::fs::read(&field_vault).unwrap();
    // A broker's pairing request: named, nothing paired.
    field.keys(&["h"]);
    field.type_text(&request.trim().replace('\n', " "));
    field.keys(&["Enter"]);
    field.wait_for("전달자의 짝 맺기 글입니다", SLOW);
    // The hub's answer to another phone's request: this phone made none, and says so.
    field.keys(&["Escape"]);
    field.keys(&["h"]);
    field.type_text(&answer.trim().replace('\n', " "));
    field.keys(&["Enter"]);
    field.wait_for("기다리는 요청이 없습니다", SLOW);
    cli_support::intact(&before, &field_vault, "field-pass-1", "a refused pairing text changed the container");
    // Positive control: the hub's public key pairs.
    field.keys(&["Escape"]);
    field.keys(&["h"]);
    field.type_text(&hub_key.trim().replace('\n', " "));
    field.keys(&["Enter"]);
    field.wait_for("짝을 맺었습니다. 안전 코드:", SLOW);
    field.keys(&["C-q"]);
}

/// The phone-width amounts of the orders below: whole, and short with a unit, per language.
const PHONE_AMOUNTS: [(&str, [&str; 3]); 3] = [
    ("3,000,000 KRW", ["300만 KRW", "300万 KRW", "3M KRW"]),
    ("150,000,000 KRW", ["1.5억 KRW", "1.5亿 KRW", "150M KRW"]),
    ("2,500,000,000 KRW", ["25억 KRW", "25亿 KRW", "2.5B KRW"]),
];

/// The line of `screen` holding `code`.
fn line_with<'s>(screen: &'s str, code: &str) -> &'s str {
    screen.lines().find(|l| l.contains(code)).unwrap_or_else(|| panic!("{code} not on the screen:\n{screen}"))
}

/// Issue 11, phone widths: at 50 columns, in Korean, Chinese and English, every order's
/// amount is on its row whole or in its short form with a unit, the selected order's detail
/// shows it whole, each status and age is whole ("just now", never "0m"), and the hub's
/// orders and ledger show every amount, status and figure whole (also in all three languages).
#[test]
fn at_fifty_columns_no_amount_or_status_is_cut_in_three_languages() {
    if !tmux_available() {
        return;
    }
    use cli_support::{ok, run};
    let dir = Scratch::new("phone");
    let (hub, field) = (dir.path("hub.vault"), dir.path("field.vault"));
    let (h, f) = (hub.to_str().unwrap(), field.to_str().unwrap());
    init_vault(&hub, "hub-phone");
    init_vault(&field, "field-phone");
    let hub_key = String::from_utf8(ok(run(&["hub", "init", h], &["hub-phone"], b"")).stdout).unwrap();
    let field_key = String::from_utf8(ok(run(&["field", "init", f], &["field-phone"], b"")).stdout).unwrap();
    ok(run(&["hub", "add-broker", h, "--name", "mina"], &["hub-phone"], field_key.as_bytes()));
    ok(run(&["field", "pair", f], &["field-phone"], hub_key.as_bytes()));
    let mut codes = Vec::new();
    for (amount, _) in PHONE_AMOUNTS {
        let amount = amount.trim_end_matches(" KRW");
        let form = format!(
            "alias: 김철수\namount: {amount}\ncurrency: KRW\nfee: 10%\nquestion: 고향은?\nanswer: 혜산\nplace: 혜산역 앞\n"
        );
        let out = ok(run(&["hub", "order", h, "--broker", "mina"], &["hub-phone"], form.as_bytes()));
        codes.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
    }
    ok(run(
        &["hub", "advance", h, "--broker", "mina", "--amount", "2,500,000,000", "--currency", "KRW"],
        &["hub-phone"],
        b"",
    ));
    let orders = ok(run(&["hub", "send", h, "--broker", "mina"], &["hub-phone"], b"")).stdout;
    ok(run(&["field", "receive", f], &["field-phone"], &orders));
    // The last order delivered: its status is "delivered, awaiting ack".
    ok(run(&["field", "deliver", f, &codes[2], "--yes"], &["field-phone", "혜산"], b""));

    let tmux = Tmux::new("phone");
    let pane = tmux.open("main", 50, 30);
    start_app(&pane, &field);
    unlock(&pane, "field-phone", "[현장]");
    let waiting = ["전달함, 확인 대기", "已送达，等待确认", "delivered, awaiting ack"];
    let just_now = [["방금", "분 전"], ["刚刚", "分钟前"], ["just now", "min ago"]];
    for (lang, language) in ["한국어", "中文", "English"].iter().enumerate() {
        if lang > 0 {
            // The language row is the first of the settings.
            go_to_tab(&pane, ["설정", "设置", "Settings"][lang - 1]);
            pane.keys(&["Up", "Up", "Up", "Right"]);
            pane.wait_for(language, Duration::from_secs(10));
            go_to_tab(&pane, ["현장", "现场", "Field"][lang]);
        }
        let s = pane.wait_for(&codes[0], Duration::from_secs(10));
        for (i, (full, short)) in PHONE_AMOUNTS.iter().enumerate() {
            let row = line_with(&s, &codes[i]);
            assert!(row.contains(full) || row.contains(short[lang]), "{language}: amount cut in {row:?}\n{s}");
            let status_whole =
                if i == 2 { row.contains(waiting[lang]) } else { just_now[lang].iter().any(|w| row.contains(w)) };
            assert!(status_whole, "{language}: status cut in {row:?}\n{s}");
            assert!(!row.contains("0m"), "{row}");
        }
        // The selected order's detail has its amount whole.
        let selected = s.lines().find(|l| l.contains("> ")).unwrap_or_else(|| panic!("no selection:\n{s}"));
        let i = codes.iter().position(|c| selected.contains(c.as_str())).unwrap();
        assert!(s.matches(PHONE_AMOUNTS[i].0).count() >= 1, "{language}: no whole amount in the detail:\n{s}");
    }
    pane.keys(&["C-q"]);
    pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));

    // The hub at 50 columns, in the same three languages: orders with amounts and statuses,
    // and the ledger's figures whole.
    start_app(&pane, &hub);
    unlock(&pane, "hub-phone", "[본부]");
    let sent = ["보냄", "已发送", "sent"];
    let advanced = ["선지급 2,500,000,000", "预付 2,500,000,000", "Advanced 2,500,000,000"];
    let balance = ["잔액", "余额", "Balance"];
    for (lang, language) in ["한국어", "中文", "English"].iter().enumerate() {
        if lang > 0 {
            go_to_tab(&pane, ["설정", "设置", "Settings"][lang - 1]);
            pane.keys(&["Up", "Up", "Up", "Right"]);
            pane.wait_for(language, Duration::from_secs(10));
            go_to_tab(&pane, ["본부", "中心", "Hub"][lang]);
        }
        let s = pane.wait_for(&codes[0], Duration::from_secs(10));
        for (i, (full, short)) in PHONE_AMOUNTS.iter().enumerate() {
            let row = line_with(&s, &codes[i]);
            assert!(row.contains(full) || row.contains(short[lang]), "hub, {language}: amount cut in {row:?}\n{s}");
            assert!(row.contains(sent[lang]), "hub, {language}: status cut in {row:?}\n{s}");
        }
        pane.keys(&["l"]);
        let s = pane.wait_for(balance[lang], Duration::from_secs(10));
        assert!(s.contains(advanced[lang]), "hub, {language}: ledger cut:\n{s}");
        for line in s.lines().filter(|l| l.contains("2,500,000,000")) {
            assert!(!line.contains('…'), "hub, {language}: ledger figure shortened in {line:?}\n{s}");
        }
        pane.keys(&["Escape"]);
        pane.wait_for(&codes[0], Duration::from_secs(10));
    }
    pane.keys(&["C-q"]);
    pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));
}

/// Issue 11, first start: `lethe app PATH` where there is no container offers to make one
/// (size, passphrase twice with a strength estimate and a warning below 50 bits, language),
/// with nothing on the command line; after the panic chord the same file is made anew as an
/// empty notebook. The passphrases are never in the process's argv.
#[test]
fn first_start_makes_a_container_and_after_panic_a_new_notebook() {
    if !tmux_available() {
        return;
    }
    let dir = Scratch::new("first-start");
    let vault = dir.path("new.vault");
    let tmux = Tmux::new("first-start");
    let pane = tmux.open("main", 50, 30);
    // A umask of 022 lets a plain create make a world-readable file; the container must be 0600.
    pane.type_text(&format!("umask 022; {LETHE} app {}", vault.display()));
    pane.keys(&["Enter"]);
    pane.wait_for("새 컨테이너 만들기", Duration::from_secs(10));
    // The language key works here too.
    pane.keys(&["F2", "F2"]);
    pane.wait_for("Make a new container", Duration::from_secs(5));
    assert!(!vault.exists(), "nothing is made before the form is sent");
    // The passphrase has the keyboard first. A weak one is warned about; two that differ
    // are refused.
    pane.type_text("summer2024");
    let s = pane.wait_for("Below 50 bits", Duration::from_secs(5));
    assert!(s.contains("Estimated strength: about"), "{s}");
    pane.keys(&["Tab"]);
    pane.type_text("summer2025");
    pane.keys(&["Enter"]);
    pane.wait_for("The two passphrases differ", Duration::from_secs(5));
    assert!(!vault.exists());
    // A bad size is refused, naming it.
    pane.keys(&["Tab"]);
    for _ in 0..4 {
        pane.keys(&["BSpace"]);
    }
    pane.type_text("12Q");
    pane.keys(&["Tab", "Tab"]);
    pane.type_text("summer2025");
    pane.keys(&["Enter"]);
    pane.wait_for("Cannot use the size '12Q'", Duration::from_secs(5));
    assert!(!vault.exists());
    for _ in 0..3 {
        pane.keys(&["BSpace"]);
    }
    pane.type_text("8M");
    // Passphrase fields were kept after the size error: type both again to be sure.
    pane.keys(&["Tab"]);
    for _ in 0..12 {
        pane.keys(&["BSpace"]);
    }
    let strong = "tundra velvet orbit mango";
    pane.type_text(strong);
    let s = pane.wait_for("Estimated strength", Duration::from_secs(5));
    assert!(!s.contains("Below 50 bits"), "{s}");
    pane.keys(&["Tab"]);
    for _ in 0..12 {
        pane.keys(&["BSpace"]);
    }
    pane.type_text(strong);
    let argv = running_argv(&tmux, "main").expect("lethe runs");
    assert!(argv.iter().all(|a| !a.contains("tundra")), "{argv:?}");
    pane.keys(&["Enter"]);
    // Made and opened, in English (the language chosen on the form is kept).
    let s = pane.wait_for("No notes", SLOW);
    assert!(s.contains("free of 8.0 MiB"), "{s}");
    assert_eq!(std::fs::metadata(&vault).unwrap().len(), 8 << 20);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&vault).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the app made its container with mode {mode:o}");
    // Panic, then a new notebook in the same file with another passphrase.
    pane.keys(&["C-x", "C-x", "C-x"]);
    pane.wait_for("new notebook", Duration::from_secs(10));
    pane.keys(&["n"]);
    pane.wait_for("New notebook", Duration::from_secs(5));
    let again = "copper lantern meadow quartz";
    pane.type_text(again);
    pane.keys(&["Tab"]);
    pane.type_text(again);
    pane.keys(&["Enter"]);
    pane.wait_for("No notes", SLOW);
    pane.keys(&["C-q"]);
    pane.wait_until(SLOW, "the shell prompt", |s| s.lines().any(|l| l.trim() == "$"));
    assert_eq!(ls_status(&vault, again), 0, "the new notebook opens with its passphrase");
    assert_eq!(ls_status(&vault, strong), 3, "the first passphrase opens nothing after panic");
    // Without a terminal the app still refuses and names `lethe init`.
    let out = Command::new(LETHE).args(["app", dir.path("other.vault").to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lethe init"));
}

/// Issue 11: before a report is sealed the broker sees the order's code, name and amount
/// and confirms on the terminal; anything but "yes" seals nothing and changes no stored byte
/// (the open's own session aside, `cli_support::intact`); "yes" seals it (the positive control).
#[test]
fn deliver_on_a_terminal_shows_code_and_amount_and_asks_first() {
    if !tmux_available() {
        return;
    }
    use cli_support::{ok, run};
    let dir = Scratch::new("deliver-confirm");
    let (hub, field) = (dir.path("hub.vault"), dir.path("field.vault"));
    let (h, f) = (hub.to_str().unwrap(), field.to_str().unwrap());
    init_vault(&hub, "hub-confirm");
    init_vault(&field, "field-confirm");
    let hub_key = String::from_utf8(ok(run(&["hub", "init", h], &["hub-confirm"], b"")).stdout).unwrap();
    let field_key = String::from_utf8(ok(run(&["field", "init", f], &["field-confirm"], b"")).stdout).unwrap();
    ok(run(&["hub", "add-broker", h, "--name", "mina"], &["hub-confirm"], field_key.as_bytes()));
    ok(run(&["field", "pair", f], &["field-confirm"], hub_key.as_bytes()));
    let form = "alias: 큰 언니\namount: 3,000,000\ncurrency: KRW\nquestion: q\nanswer: yes\n";
    let out = ok(run(&["hub", "order", h, "--broker", "mina"], &["hub-confirm"], form.as_bytes()));
    let code = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let orders = ok(run(&["hub", "send", h, "--broker", "mina"], &["hub-confirm"], b"")).stdout;
    ok(run(&["field", "receive", f], &["field-confirm"], &orders));

    let tmux = Tmux::new("deliver-confirm");
    let pane = tmux.open("main", 100, 30);
    let before = std::fs::read(&field).unwrap();
    for (reply, sealed) in [("no", false), ("yes", true)] {
        // A clean screen each time: the prompts below must be this run's.
        pane.type_text("clear");
        pane.keys(&["Enter"]);
        pane.wait_until(SLOW, "a clear screen", |s| !s.contains("assphrase"));
        pane.type_text(&format!("{LETHE} field deliver {f} {code}"));
        pane.keys(&["Enter"]);
        pane.wait_for("assphrase", SLOW);
        pane.type_text("field-confirm");
        pane.keys(&["Enter"]);
        pane.wait_for("nswer", SLOW);
        pane.type_text("yes");
        pane.keys(&["Enter"]);
        let s = pane.wait_for("Seal this report", SLOW);
        let shown = line_with(&s, "handed over");
        assert!(shown.contains(&code) && shown.contains("큰 언니") && shown.contains("3,000,000 KRW"), "{s}");
        pane.type_text(reply);
        pane.keys(&["Enter"]);
        if sealed {
            pane.wait_until(SLOW, "the report sealed", |s| s.contains("$ ") && !s.contains("Not sealed"));
        } else {
            pane.wait_for("Not sealed", SLOW);
            // Format version 2: the open itself writes its session; nothing else may change.
            cli_support::intact(&before, &field, "field-confirm", "a refused confirmation changed the container");
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    let held = String::from_utf8(ok(run(&["field", "orders", f], &["field-confirm"], b"")).stdout).unwrap();
    assert!(line_with(&held, &code).contains("delivered"), "{held}");
}
