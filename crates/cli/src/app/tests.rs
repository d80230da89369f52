//! State transitions of the app without a terminal: keys in, `TestBackend` screens out.

use super::container::{Container, DynStorage, DynVault, KeyMark, key_mark_of};
use super::i18n::{Lang, Msg};
use super::jobs::{Job, JobDone, Success};
use super::screens::Tab;
use super::screens::notes::NotesView;
use super::snapshot::Snapshot;
use super::state::{App, PANIC_WINDOW, Screen};
use super::texts::UiText;
use super::view;
use lethe_vault::{ItemKind, KdfParams, MemStorage, Passphrase, Vault};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Cheap Argon2 for tests only.
const TEST_KDF: KdfParams = KdfParams::INSECURE_TEST_ONLY;

struct MemContainer {
    storage: MemStorage,
    wipes: AtomicUsize,
}

impl Container for MemContainer {
    fn open(&self, passphrase: &Passphrase) -> lethe_vault::Result<DynVault> {
        Vault::open(Box::new(self.storage.clone()) as DynStorage, passphrase, TEST_KDF)
    }
    fn wipe(&self) -> lethe_vault::Result<()> {
        self.wipes.fetch_add(1, Ordering::SeqCst);
        lethe_vault::panic_wipe(&mut self.storage.clone())
    }
    fn kdf(&self) -> KdfParams {
        TEST_KDF
    }
    fn key_mark(&self) -> std::io::Result<KeyMark> {
        key_mark_of(&self.storage)
    }
}

/// A container with a decoy compartment ("decoy") and a hidden one above it ("hidden").
fn container() -> Arc<MemContainer> {
    let mut storage = MemStorage::new(vec![0; 4 << 20]);
    lethe_vault::fill_with_random(&mut storage).unwrap();
    let mut v = Vault::init(storage.clone(), &Passphrase::new(b"decoy"), TEST_KDF).unwrap();
    v.hide(&Passphrase::new(b"hidden"), TEST_KDF).unwrap();
    Arc::new(MemContainer { storage, wipes: AtomicUsize::new(0) })
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, text: &str, now: Instant) {
    for c in text.chars() {
        app.on_key(key(KeyCode::Char(c)), now);
    }
}

fn screen(app: &App, now: Instant) -> String {
    screen_sized(app, now, 90, 24)
}

fn screen_sized(app: &App, now: Instant, width: u16, height: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(width, height)).unwrap();
    t.draw(|f| view::draw(f, app, now)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            // A wide character covers the next cell too.
            x += super::text::str_width(symbol).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

fn unlock(app: &mut App, pass: &str, now: Instant) {
    type_text(app, pass, now);
    app.on_key(key(KeyCode::Enter), now);
    app.wait_for_job();
}

#[test]
fn wrong_passphrase_then_right_one() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    assert!(screen(&app, t0).contains("비밀번호를 입력하세요"));
    type_text(&mut app, "wrong", t0);
    // The passphrase is never drawn, only dots.
    let s = screen(&app, t0);
    assert!(s.contains("•••••") && !s.contains("wrong"), "{s}");
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(!app.is_unlocked());
    let s = screen(&app, t0);
    assert!(s.contains("열 수 없습니다"), "{s}");
    unlock(&mut app, "decoy", t0);
    assert!(app.is_unlocked());
    let s = screen(&app, t0);
    assert!(s.contains("메모가 없습니다"), "{s}");
}

#[test]
fn decoy_and_hidden_compartments_look_the_same() {
    let c = container();
    let t0 = Instant::now();
    let mut a = App::new(c.clone(), t0);
    unlock(&mut a, "decoy", t0);
    let decoy = screen(&a, t0);
    a.lock();
    drop(a);
    let mut b = App::new(c.clone(), t0);
    unlock(&mut b, "hidden", t0);
    let hidden = screen(&b, t0);
    assert_eq!(decoy, hidden);
    // Positive control: the screens do differ once the compartments hold different notes.
    b.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut b, "only in hidden", t0);
    b.on_key(ctrl('s'), t0);
    b.wait_for_job();
    assert_ne!(screen(&b, t0), decoy);
}

#[test]
fn hangul_note_is_stored_read_and_survives_a_lock() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    assert!(matches!(&app.screen, Screen::Main(m) if matches!(m.notes.view, NotesView::NewNote { .. })));
    type_text(&mut app, "바둑이 주소", t0);
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "혜산 시장 옆 中文", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    let s = screen(&app, t0);
    assert!(s.contains("바둑이 주소"), "{s}");
    assert!(s.contains("저장했습니다"), "{s}");
    app.on_key(key(KeyCode::Enter), t0);
    let s = screen(&app, t0);
    assert!(s.contains("혜산 시장 옆 中文"), "{s}");
    // Locking drops the session and the plaintext on screen.
    app.on_key(ctrl('l'), t0);
    assert!(app.session.is_none());
    let s = screen(&app, t0);
    assert!(!s.contains("혜산") && !s.contains("바둑이"), "{s}");
    unlock(&mut app, "hidden", t0);
    let s = screen(&app, t0);
    assert!(s.contains("바둑이 주소"), "{s}");
    // The decoy does not see it.
    app.lock();
    unlock(&mut app, "decoy", t0);
    assert!(!screen(&app, t0).contains("바둑이"));
}

#[test]
fn korean_input_method_letters_work_as_commands() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    // ㅜ is on the n key of a Korean keyboard.
    app.on_key(key(KeyCode::Char('ㅜ')), t0);
    type_text(&mut app, "x", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    assert_eq!(app.session.as_ref().unwrap().snap.items.len(), 1);
    // ㅇ = d (erase), ㅛ = y (yes).
    app.on_key(key(KeyCode::Char('ㅇ')), t0);
    assert!(screen(&app, t0).contains("영원히 지울까요"));
    app.on_key(key(KeyCode::Char('ㅛ')), t0);
    app.wait_for_job();
    assert!(app.session.as_ref().unwrap().snap.items.is_empty());
}

#[test]
fn erase_asks_first_and_any_other_key_keeps_the_item() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "keep me", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    app.on_key(key(KeyCode::Char('d')), t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    assert!(app.job.is_none());
    assert_eq!(app.session.as_ref().unwrap().snap.items.len(), 1);
    app.on_key(key(KeyCode::Delete), t0);
    app.on_key(key(KeyCode::Char('y')), t0);
    app.wait_for_job();
    assert!(app.session.as_ref().unwrap().snap.items.is_empty());
    assert!(screen(&app, t0).contains("되살릴 수 없습니다"));
}

#[test]
fn idle_lock_drops_the_session() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    let limit = Duration::from_secs(app.session.as_ref().unwrap().snap.settings.idle_lock_secs);
    app.tick(t0 + limit - Duration::from_secs(1));
    assert!(app.is_unlocked(), "locked too early");
    // A key press restarts the wait.
    app.on_key(key(KeyCode::Down), t0 + limit - Duration::from_secs(1));
    app.tick(t0 + limit + Duration::from_secs(1));
    assert!(app.is_unlocked());
    app.tick(t0 + 2 * limit);
    assert!(!app.is_unlocked());
    assert!(matches!(app.screen, Screen::Unlock(_)));
}

#[test]
fn panic_chord_wipes_and_shows_an_empty_notes_screen() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "secret", t0);
    // Ctrl-X works inside a text field, and the chord needs three presses.
    app.on_key(ctrl('x'), t0);
    app.on_key(ctrl('x'), t0 + Duration::from_millis(500));
    assert_eq!(c.wipes.load(Ordering::SeqCst), 0);
    assert!(app.is_unlocked());
    app.on_key(ctrl('x'), t0 + Duration::from_millis(900));
    assert_eq!(c.wipes.load(Ordering::SeqCst), 1);
    assert!(!app.is_unlocked());
    assert!(matches!(app.screen, Screen::Wiped));
    let s = screen(&app, t0);
    assert!(s.contains("메모가 없습니다") && !s.contains("secret") && !s.contains("lethe"), "{s}");
    for p in ["decoy", "hidden"] {
        assert!(matches!(c.open(&Passphrase::new(p.as_bytes())), Err(lethe_vault::Error::WrongPassphrase)));
    }
    // Nothing typed afterwards does anything.
    type_text(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.job.is_none() && !app.is_unlocked());
}

#[test]
fn slow_or_interrupted_ctrl_x_does_not_wipe() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    // Three presses spread over more than the window.
    app.on_key(ctrl('x'), t0);
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW / 2);
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW + Duration::from_millis(100));
    // Another key between presses starts over.
    app.on_key(key(KeyCode::Down), t0 + PANIC_WINDOW + Duration::from_millis(200));
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW + Duration::from_millis(300));
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW + Duration::from_millis(400));
    assert_eq!(c.wipes.load(Ordering::SeqCst), 0);
    assert!(app.is_unlocked());
    assert!(c.open(&Passphrase::new(b"decoy")).is_ok());
}

#[test]
fn panic_works_on_the_lock_screen_too() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    for i in 0..3 {
        app.on_key(ctrl('x'), t0 + Duration::from_millis(100 * i));
    }
    assert!(matches!(app.screen, Screen::Wiped));
    assert!(c.open(&Passphrase::new(b"decoy")).is_err());
}

#[test]
fn language_key_on_the_lock_screen() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    assert_eq!(app.lang, Lang::Ko);
    let s = screen(&app, t0);
    // The key is named in all three languages.
    assert!(s.contains("한국어") && s.contains("中文") && s.contains("English"), "{s}");
    app.on_key(key(KeyCode::F(2)), t0);
    assert!(screen(&app, t0).contains("请输入密码"));
    app.on_key(key(KeyCode::Tab), t0);
    assert!(screen(&app, t0).contains("Enter your passphrase"));
    app.on_key(key(KeyCode::Tab), t0);
    assert_eq!(app.lang, Lang::Ko);
}

#[test]
fn settings_are_stored_inside_the_compartment() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Tab), t0);
    assert!(matches!(&app.screen, Screen::Main(m) if m.tab == Tab::Settings));
    // Language: 한국어 → 中文 → English.
    app.on_key(key(KeyCode::Right), t0);
    app.on_key(key(KeyCode::Right), t0);
    assert_eq!(app.lang, Lang::En);
    // Camouflage on.
    app.on_key(key(KeyCode::Down), t0);
    app.on_key(key(KeyCode::Down), t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.camouflage);
    assert!(screen(&app, t0).contains("Settings saved"));
    // A fresh app (a new run) learns them only from the compartment.
    let mut fresh = App::new(c.clone(), t0);
    assert_eq!(fresh.lang, Lang::Ko);
    unlock(&mut fresh, "hidden", t0);
    assert_eq!(fresh.lang, Lang::En);
    assert!(fresh.camouflage);
    assert_eq!(fresh.title(), "Notes");
    let s = screen(&fresh, t0);
    assert!(!s.contains("lethe"), "{s}");
    // The record is there, and the decoy's settings are its own.
    let v = c.open(&Passphrase::new(b"hidden")).unwrap();
    assert!(v.list().iter().any(|i| i.kind == ItemKind::Record && i.name == super::settings::SETTINGS_ITEM));
    drop(v);
    drop(fresh);
    let mut decoy = App::new(c, t0);
    unlock(&mut decoy, "decoy", t0);
    assert_eq!(decoy.lang, Lang::Ko);
    assert_eq!(decoy.title(), "lethe");
}

#[test]
fn hidden_compartment_from_settings() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Tab), t0);
    // The last row: make a hidden compartment.
    for _ in 0..10 {
        app.on_key(key(KeyCode::Down), t0);
    }
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "third", t0);
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "thirx", t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.job.is_none());
    assert!(screen(&app, t0).contains("두 비밀번호가 다릅니다"));
    type_text(&mut app, "third", t0);
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "third", t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(screen(&app, t0).contains("숨은 칸을 만들었습니다"), "{}", screen(&app, t0));
    drop(app);
    assert_eq!(c.open(&Passphrase::new(b"third")).unwrap().level(), 2);
}

#[test]
fn files_are_imported_shredded_and_exported() {
    let dir = std::env::temp_dir().join(format!("lethe-app-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("photo.jpg");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&source, &content).unwrap();
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Char('f')), t0);
    app.on_paste(&source.display().to_string(), t0);
    // Shredding the source is on by default: Enter walks past the name and the check box.
    let s = screen(&app, t0);
    assert!(s.contains("[x]"), "{s}");
    app.on_key(key(KeyCode::Enter), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(!source.exists(), "the source was not shredded");
    let s = screen(&app, t0);
    assert!(s.contains("photo.jpg"), "{s}");
    // Export to an existing file is refused and changes nothing.
    let target = dir.join("out.jpg");
    std::fs::write(&target, b"keep").unwrap();
    app.on_key(key(KeyCode::Char('e')), t0);
    app.on_paste(&target.display().to_string(), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(screen(&app, t0).contains("이미 있습니다"));
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    std::fs::remove_file(&target).unwrap();
    // The form stays open after an error, to correct the path; start again.
    assert!(matches!(&app.screen, Screen::Main(m) if matches!(m.notes.view, NotesView::Export { .. })));
    app.on_key(key(KeyCode::Esc), t0);
    app.on_key(key(KeyCode::Char('e')), t0);
    app.on_paste(&target.display().to_string(), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert_eq!(std::fs::read(&target).unwrap(), content);
    // The export is readable only by the user, and the app says that a plain-text file now
    // exists outside the container and how to remove it, whole on the screen.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
    let said = status_text(&app);
    assert!(said.contains("평문") && said.contains(&format!("lethe shred {}", target.display())), "{said}");
    let s = screen(&app, t0);
    assert_eq!(s.matches(&target.display().to_string()).count(), 2, "{s}");
    // A missing file is a clear error.
    app.on_key(key(KeyCode::Char('f')), t0);
    app.on_paste("/nonexistent/lethe/file", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    assert!(screen(&app, t0).contains("그런 파일이 없습니다"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn long_operations_show_a_progress_bar_after_half_a_second() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    let mut vault = app.session.as_mut().unwrap().vault.take().unwrap();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    app.job = Some(Job::spawn(Msg::Importing, t0, move |progress, _| {
        progress.set(50, 100);
        let _ = wait.recv();
        let snap = Snapshot::load(&mut vault);
        JobDone::WithVault(vault, snap, Ok(Success::new(UiText::new(Msg::Imported))))
    }));
    std::thread::sleep(Duration::from_millis(50));
    assert!(!screen(&app, t0 + Duration::from_millis(100)).contains("가져오는 중"));
    let s = screen(&app, t0 + Duration::from_millis(600));
    assert!(s.contains("가져오는 중") && s.contains("50%"), "{s}");
    // Keys other than the panic chord and quit wait for the job.
    app.on_key(key(KeyCode::Char('n')), t0);
    release.send(()).unwrap();
    app.wait_for_job();
    assert!(matches!(&app.screen, Screen::Main(m) if matches!(m.notes.view, NotesView::List)));
    assert!(screen(&app, t0).contains("가져왔습니다"));
}

#[test]
fn unlock_shows_a_spinner_and_keeps_drawing() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    type_text(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Enter), t0);
    // The passphrase field is cleared as soon as the work starts.
    assert!(matches!(&app.screen, Screen::Unlock(u) if u.pass.is_empty()));
    let s = screen(&app, t0);
    assert!(s.contains("여는 중"), "{s}");
    app.wait_for_job();
    assert!(app.is_unlocked());
}

/// Presses a key and waits for the operation it starts, if any.
fn press(app: &mut App, k: KeyEvent, now: Instant) {
    app.on_key(k, now);
    app.wait_for_job();
}

fn main_view(app: &App) -> &super::state::MainView {
    match &app.screen {
        Screen::Main(m) => m,
        _ => panic!("not unlocked"),
    }
}

/// The text of the message the app shows for sending.
fn outgoing_text(app: &App) -> String {
    main_view(app).outgoing.as_ref().expect("no message shown").out.text()
}

/// The text the outgoing view shows for sending, in the form chosen there.
fn shown_text(app: &App) -> String {
    main_view(app).outgoing.as_ref().expect("no message shown").text()
}

fn status_text(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.render(app.lang)).unwrap_or_default()
}

/// Chooses a settings row by its position from the end (1 = last) and presses Enter.
fn settings_row(app: &mut App, row: super::screens::settings::SettingRow, t0: Instant) {
    let rows = app.setting_rows();
    let pos = rows.iter().position(|r| *r == row).expect("no such row");
    for _ in 0..10 {
        app.on_key(key(KeyCode::Up), t0);
    }
    for _ in 0..pos {
        app.on_key(key(KeyCode::Down), t0);
    }
    press(app, key(KeyCode::Enter), t0);
}

fn go_to_tab(app: &mut App, tab: Tab, t0: Instant) {
    for _ in 0..5 {
        if main_view(app).tab == tab {
            return;
        }
        app.on_key(key(KeyCode::Tab), t0);
    }
    panic!("no tab {tab:?}");
}

#[test]
fn hub_and_field_exchange_an_order_a_report_and_an_ack_through_the_screens() {
    use super::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut hub = App::new(container(), t0);
    let mut field = App::new(container(), t0);
    unlock(&mut hub, "decoy", t0);
    unlock(&mut field, "hidden", t0);
    // Roles from the settings screen.
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    assert!(hub.snap().unwrap().hub.is_some(), "{}", status_text(&hub));
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::SetUpField, t0);
    assert!(field.snap().unwrap().field.is_some(), "{}", status_text(&field));

    // Pairing: each side types the other's public key.
    let hub_key = hub.snap().unwrap().hub.as_ref().unwrap().public_key.clone();
    let field_key = field.snap().unwrap().field.as_ref().unwrap().public_key.clone();
    go_to_tab(&mut field, Tab::Field, t0);
    assert!(screen(&field, t0).contains("본부와 짝을 맺지 않았습니다"));
    field.on_key(key(KeyCode::Char('p')), t0);
    assert!(screen(&field, t0).contains(&field_key[..20]));
    field.on_key(key(KeyCode::Char('h')), t0);
    field.on_paste(&hub_key, t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let field_code = field.snap().unwrap().field.as_ref().unwrap().safety_code.clone().expect("not paired");
    assert!(status_text(&field).contains(&field_code));
    go_to_tab(&mut hub, Tab::Hub, t0);
    hub.on_key(key(KeyCode::Char('p')), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&field_key, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert!(status_text(&hub).contains(&field_code), "{}", status_text(&hub));
    // The brokers screen lists the pairing with its safety code.
    let s = screen(&hub, t0);
    assert!(s.contains("kim") && s.contains(&field_code), "{s}");
    hub.on_key(key(KeyCode::Esc), t0);

    // Two orders, typed into the order form (amounts in local forms).
    for (alias, answer) in [("큰 언니", "바둑이"), ("작은 삼촌", "길주")] {
        hub.on_key(key(KeyCode::Char('o')), t0);
        hub.on_key(key(KeyCode::Enter), t0); // broker: kim
        for text in [alias, "혜산 시장", "300만"] {
            type_text(&mut hub, text, t0);
            hub.on_key(key(KeyCode::Enter), t0);
        }
        hub.on_key(key(KeyCode::Enter), t0); // currency: KRW
        type_text(&mut hub, "30만", t0);
        hub.on_key(key(KeyCode::Enter), t0);
        hub.on_key(key(KeyCode::Enter), t0); // no deadline: 14 days
        type_text(&mut hub, "강아지 이름?", t0);
        hub.on_key(key(KeyCode::Enter), t0);
        type_text(&mut hub, answer, t0);
        assert!(!screen(&hub, t0).contains(answer), "the expected answer is shown");
        press(&mut hub, key(KeyCode::Enter), t0);
        assert!(status_text(&hub).contains("주문"), "{}", status_text(&hub));
    }
    let s = screen(&hub, t0);
    assert!(s.contains("큰 언니") && s.contains("3,000,000 KRW") && s.contains("새 주문"), "{s}");

    // Send them: the message is shown with its exact size.
    hub.on_key(key(KeyCode::Char('m')), t0);
    press(&mut hub, ctrl('s'), t0);
    let orders_text = outgoing_text(&hub);
    let s = screen(&hub, t0);
    let chars = main_view(&hub).outgoing.as_ref().unwrap().out.chars();
    assert!(s.contains(&format!("{chars}자")), "{s}");
    // What a user selects on the screen is the message and nothing else: the rows
    // between the title and the key hints, on a 50-column phone, read back as the
    // same sealed bytes (no frame characters, no cut lines).
    let tall = screen_sized(&hub, t0, 50, 80);
    let rows: Vec<&str> = tall.lines().collect();
    let summary = rows.iter().position(|r| r.contains(&format!("{chars}자"))).expect("summary row");
    let first = summary + rows[summary..].iter().position(|r| r.trim().is_empty()).expect("blank row") + 1;
    let last = first + rows[first..].iter().position(|r| r.trim().is_empty()).expect("end of the message");
    let copied: String = rows[first..last].join("\n");
    let sealed = lethe_protocol::dearmor_unchecked(&orders_text).unwrap();
    assert_eq!(lethe_protocol::dearmor_unchecked(&copied).ok(), Some(sealed), "{tall}");
    // Control: the same rows inside a bordered frame, as before, do not read.
    let framed: String = rows[first..last].iter().map(|r| format!("│{r}│")).collect::<Vec<_>>().join("\n");
    assert!(lethe_protocol::dearmor_unchecked(&framed).is_err());
    // The QR view.
    hub.on_key(key(KeyCode::Char('q')), t0);
    let s = screen(&hub, t0);
    assert!(s.contains('█') || s.contains("QR 코드가 화면보다 큽니다"), "{s}");
    hub.on_key(key(KeyCode::Char('q')), t0);
    // The form: plain armor by default; `c` writes it as Korean market talk.
    assert_eq!(shown_text(&hub), orders_text);
    assert!(screen(&hub, t0).contains("보내는 형태: 일반 암호 글자"));
    hub.on_key(key(KeyCode::Char('c')), t0);
    let orders_cover = shown_text(&hub);
    let hangul = |t: &str| t.chars().filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)).count();
    assert!(hangul(&orders_cover) > 200, "{orders_cover}");
    let s = screen(&hub, t0);
    assert!(s.contains("보내는 형태: 한국어 시장 이야기") && s.contains("평범한 채팅처럼"), "{s}");
    hub.on_key(key(KeyCode::Esc), t0);

    // The field pastes them (the cover text, told nothing about its form).
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&orders_cover, t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("새 주문 2건"), "{}", status_text(&field));
    let s = screen(&field, t0);
    assert!(s.contains("큰 언니") && s.contains("작은 삼촌"), "{s}");

    // Deliveries: the answer field is masked; the second answer is wrong.
    let orders = field.snap().unwrap().field.as_ref().unwrap().orders.clone();
    for (i, order) in orders.iter().enumerate() {
        let pos =
            field.snap().unwrap().field.as_ref().unwrap().orders.iter().position(|o| o.code == order.code).unwrap();
        for _ in 0..5 {
            field.on_key(key(KeyCode::Up), t0);
        }
        for _ in 0..pos {
            field.on_key(key(KeyCode::Down), t0);
        }
        field.on_key(key(KeyCode::Enter), t0);
        let s = screen(&field, t0);
        assert!(s.contains("강아지 이름?"), "the question is not shown: {s}");
        let answer = if order.alias == "큰 언니" { "바 둑 이!" } else { "명천" };
        type_text(&mut field, answer, t0);
        assert!(!screen(&field, t0).contains(answer));
        press(&mut field, ctrl('s'), t0);
        assert!(status_text(&field).contains("봉인"), "{} (order {i})", status_text(&field));
    }
    // The field's cover setting: Chinese market talk (twice past plain armor), kept.
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::Cover, t0);
    settings_row(&mut field, SettingRow::Cover, t0);
    assert!(status_text(&field).contains("중국어 시장 이야기"), "{}", status_text(&field));
    assert_eq!(field.snap().unwrap().field.as_ref().unwrap().cover, Some(lethe_protocol::cover::CoverStyle::ZhMarket));
    go_to_tab(&mut field, Tab::Field, t0);
    // Outbox with the exact size, then the message.
    field.on_key(key(KeyCode::Char('m')), t0);
    let chars = field.snap().unwrap().field.as_ref().unwrap().outbox_chars.unwrap();
    assert!(screen(&field, t0).contains(&format!("정확히 {chars}자")));
    press(&mut field, key(KeyCode::Enter), t0);
    assert_eq!(main_view(&field).outgoing.as_ref().unwrap().out.chars(), chars);
    // The message opens in the setting's form: Chinese market talk.
    assert!(screen(&field, t0).contains("보내는 형태: 중국어 시장 이야기"), "{}", screen(&field, t0));
    let reports_text = shown_text(&field);
    assert!(hangul(&reports_text) == 0 && reports_text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)));
    field.on_key(key(KeyCode::Esc), t0);

    // The hub verifies.
    hub.on_key(key(KeyCode::Char('i')), t0);
    hub.on_paste(&reports_text, t0);
    press(&mut hub, ctrl('s'), t0);
    let s = screen(&hub, t0);
    assert!(s.contains("답이 맞음: 전달됨") && s.contains("이의: 답이 틀림"), "{s}");
    press(&mut hub, key(KeyCode::Enter), t0);
    let ack_text = outgoing_text(&hub);
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Char('l')), t0);
    let s = screen(&hub, t0);
    assert!(s.contains("kim") && s.contains("3,000,000"), "{s}");

    // The field erases on the acknowledgement, read from a picture of its QR code (a
    // photo of the hub's screen) named in the inbox's file field.
    let dir = std::env::temp_dir().join(format!("lethe-app-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let picture = dir.join("ack.png");
    let qr = lethe_protocol::QrImage::from_text(&ack_text.replace([' ', '\n'], "")).unwrap();
    std::fs::write(&picture, qr.to_png(4)).unwrap();
    let blank = dir.join("damaged.png");
    std::fs::write(&blank, b"\x89PNG\r\n\x1a\nnot really a picture").unwrap();
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_key(key(KeyCode::Tab), t0);
    field.on_paste(&blank.display().to_string(), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    assert!(status_text(&field).contains("그림 파일이 손상"), "{}", status_text(&field));
    assert_eq!(field.snap().unwrap().field.as_ref().unwrap().orders.len(), 2, "nothing changed");
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_key(key(KeyCode::Tab), t0);
    field.on_paste(&picture.display().to_string(), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    std::fs::remove_dir_all(&dir).unwrap();
    // The delivered order is erased; the disputed one stays, with the hub's reason.
    let status = status_text(&field);
    assert!(status.contains("주문 1건과 보고를 지웠습니다") && status.contains("이의를 단 주문 1건"), "{status}");
    let left = field.snap().unwrap().field.as_ref().unwrap().orders.clone();
    assert_eq!(left.len(), 1, "the disputed order is kept");
    assert_eq!(left[0].dispute.as_deref(), Some("wrong answer"));
    let s = screen(&field, t0);
    assert!(s.contains("본부가 이의") && s.contains("본부의 이의: wrong answer"), "{s}");
    assert!(s.contains(left[0].alias.as_str()), "{s}");
    // Pasting the same acknowledgement again is refused.
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&ack_text, t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("이미 받은 메시지"), "{}", status_text(&field));
    // A mistyped message changes nothing and says so.
    let mut broken = orders_text.clone();
    let at = broken.find(|c: char| c.is_ascii_alphanumeric()).unwrap();
    let c = broken.as_bytes()[at];
    broken.replace_range(at..at + 1, if c == b'A' { "B" } else { "A" });
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&broken, t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("쓸 수 없습니다"), "{}", status_text(&field));
}

#[test]
fn order_form_refusals_are_shown_in_the_users_language() {
    use super::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut hub = App::new(container(), t0);
    unlock(&mut hub, "decoy", t0);
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    go_to_tab(&mut hub, Tab::Hub, t0);
    // No broker yet.
    hub.on_key(key(KeyCode::Char('o')), t0);
    assert!(status_text(&hub).contains("먼저 전달자를 추가하세요"));
    let other = lethe_protocol::IdentityKeyPair::generate().unwrap().public_key().to_text();
    hub.on_key(key(KeyCode::Char('p')), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "lee", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&other, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Esc), t0);
    // An unreadable amount: the form stays open with a message.
    hub.on_key(key(KeyCode::Char('o')), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "a", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "삼백", t0);
    hub.on_key(ctrl('s'), t0);
    assert!(hub.job.is_none());
    assert!(status_text(&hub).contains("금액을 읽을 수 없습니다"), "{}", status_text(&hub));
    // A missing question, in Chinese.
    hub.lang = Lang::Zh;
    for _ in 0..10 {
        hub.on_key(key(KeyCode::Up), t0);
    }
    for _ in 0..3 {
        hub.on_key(key(KeyCode::Down), t0);
    }
    for _ in 0..4 {
        hub.on_key(key(KeyCode::Backspace), t0);
    }
    type_text(&mut hub, "300", t0);
    hub.on_key(ctrl('s'), t0);
    assert!(status_text(&hub).contains("请填写"), "{}", status_text(&hub));
    assert!(hub.snap().unwrap().hub.as_ref().unwrap().orders.is_empty());
}

#[test]
fn every_screen_draws_at_phone_and_desktop_sizes() {
    use super::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut app = App::new(container(), t0);
    let sizes = [(20u16, 8u16), (40, 16), (56, 30), (120, 40)];
    let draw_all = |app: &App| {
        for (w, h) in sizes {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| view::draw(f, app, t0 + Duration::from_secs(1))).unwrap();
        }
    };
    draw_all(&app);
    unlock(&mut app, "hidden", t0);
    go_to_tab(&mut app, Tab::Settings, t0);
    settings_row(&mut app, SettingRow::SetUpHub, t0);
    settings_row(&mut app, SettingRow::SetUpField, t0);
    // Every view reachable with one or two keys from each tab.
    let keys_per_tab: &[(Tab, &[&[char]])] = &[
        (Tab::Notes, &[&['n'], &['f'], &['e'], &['d']]),
        (Tab::Field, &[&['i'], &['m'], &['p'], &['p', 'q'], &['p', 'h']]),
        (Tab::Hub, &[&['o'], &['m'], &['i'], &['f'], &['l'], &['l', 'v'], &['p'], &['p', 'q'], &['p', 'a']]),
        (Tab::Settings, &[&[]]),
    ];
    for (tab, sequences) in keys_per_tab {
        go_to_tab(&mut app, *tab, t0);
        draw_all(&app);
        for seq in *sequences {
            for c in *seq {
                app.on_key(key(KeyCode::Char(*c)), t0);
            }
            draw_all(&app);
            for _ in 0..3 {
                app.on_key(key(KeyCode::Esc), t0);
            }
        }
    }
    app.panic_now();
    draw_all(&app);
}

/// A hub and a field app, each unlocked, with their roles and paired (through the screens).
fn paired_apps(t0: Instant) -> (App, App) {
    use super::screens::settings::SettingRow;
    let mut hub = App::new(container(), t0);
    let mut field = App::new(container(), t0);
    unlock(&mut hub, "hidden", t0);
    unlock(&mut field, "hidden", t0);
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::SetUpField, t0);
    let hub_key = hub.snap().unwrap().hub.as_ref().unwrap().public_key.clone();
    let field_key = field.snap().unwrap().field.as_ref().unwrap().public_key.clone();
    go_to_tab(&mut field, Tab::Field, t0);
    for k in ['p', 'h'] {
        field.on_key(key(KeyCode::Char(k)), t0);
    }
    field.on_paste(&hub_key, t0);
    press(&mut field, key(KeyCode::Enter), t0);
    field.on_key(key(KeyCode::Esc), t0);
    go_to_tab(&mut hub, Tab::Hub, t0);
    for k in ['p', 'a'] {
        hub.on_key(key(KeyCode::Char(k)), t0);
    }
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&field_key, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Esc), t0);
    (hub, field)
}

/// Remote pairing through the screens: request (field), answer (hub), last step (field),
/// and both sides show the same 12-digit code; the texts are read off the screen as a
/// user would copy them.
#[test]
fn remote_pairing_through_the_screens_shows_the_same_code_on_both_sides() {
    use super::screens::field::FieldView;
    use super::screens::hub::HubView;
    use super::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut hub = App::new(container(), t0);
    let mut field = App::new(container(), t0);
    unlock(&mut hub, "hidden", t0);
    unlock(&mut field, "hidden", t0);
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::SetUpField, t0);
    go_to_tab(&mut field, Tab::Field, t0);
    go_to_tab(&mut hub, Tab::Hub, t0);
    let field_text = |app: &App| match &main_view(app).field.view {
        FieldView::PairText { text, code, .. } => (text.clone(), code.clone()),
        _ => panic!("no pairing text shown: {}", status_text(app)),
    };
    let hub_text = |app: &App| match &main_view(app).hub.view {
        HubView::PairText { text, .. } => text.clone(),
        _ => panic!("no pairing text shown: {}", status_text(app)),
    };

    // The field's request (the hints offer it while not paired).
    field.on_key(key(KeyCode::Char('p')), t0);
    assert!(screen(&field, t0).contains("멀리서 짝 맺기"), "{}", screen(&field, t0));
    press(&mut field, key(KeyCode::Char('r')), t0);
    let (request, none) = field_text(&field);
    assert!(none.is_none());
    assert!(screen_sized(&field, t0, 50, 40).contains(request.split(' ').next().unwrap()));
    // The hub answers it.
    hub.on_key(key(KeyCode::Char('p')), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&request, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    let answer = hub_text(&hub);
    assert!(status_text(&hub).contains("kim"), "{}", status_text(&hub));
    assert!(hub.snap().unwrap().hub.as_ref().unwrap().brokers.is_empty(), "not paired before her last step");
    // The field takes the answer: paired, with the last text and the code.
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('h')), t0);
    field.on_paste(&answer, t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let (reveal, code) = field_text(&field);
    let code = code.expect("a code to read aloud");
    assert_eq!(code.chars().filter(char::is_ascii_digit).count(), 12, "{code}");
    assert!(screen(&field, t0).contains(&code));
    // The hub takes the last step under the same name: paired, the same code.
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&reveal, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    let brokers = hub.snap().unwrap().hub.as_ref().unwrap().brokers.clone();
    assert_eq!(brokers.len(), 1, "{}", status_text(&hub));
    assert_eq!(brokers[0].safety_code, code);
    assert!(status_text(&hub).contains(&code));
    // A text of the wrong step (a request where the hub's answer belongs) is refused.
    let mut other_field = App::new(container(), t0);
    unlock(&mut other_field, "hidden", t0);
    go_to_tab(&mut other_field, Tab::Settings, t0);
    settings_row(&mut other_field, SettingRow::SetUpField, t0);
    go_to_tab(&mut other_field, Tab::Field, t0);
    other_field.on_key(key(KeyCode::Char('p')), t0);
    other_field.on_key(key(KeyCode::Char('h')), t0);
    other_field.on_paste(&request, t0);
    press(&mut other_field, key(KeyCode::Enter), t0);
    assert!(other_field.snap().unwrap().field.as_ref().unwrap().safety_code.is_none());
}

#[test]
fn a_delivery_with_a_video_travels_sealed_and_the_original_is_shredded() {
    let t0 = Instant::now();
    let (mut hub, mut field) = paired_apps(t0);
    let dir = std::env::temp_dir().join(format!("lethe-app-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // An order with the fields the form needs, in Chinese this time.
    hub.on_key(key(KeyCode::Char('o')), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "小白", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "1万5000", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Right), t0); // CNY
    for _ in 0..3 {
        hub.on_key(key(KeyCode::Enter), t0);
    }
    type_text(&mut hub, "猫叫什么?", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "咪咪", t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    let order = hub.snap().unwrap().hub.as_ref().unwrap().orders[0].clone();
    assert_eq!((order.amount_minor, order.currency), (1_500_000, lethe_remit::Currency::Cny));
    hub.on_key(key(KeyCode::Char('m')), t0);
    press(&mut hub, ctrl('s'), t0);
    let orders_text = outgoing_text(&hub);
    hub.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&orders_text, t0);
    press(&mut field, ctrl('s'), t0);

    // Deliver with a video file (not a JPEG): refused until the user says to send it with
    // its metadata, as the command line refuses it without --keep-metadata.
    let video = dir.join("clip.mp4");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&video, &content).unwrap();
    field.on_key(key(KeyCode::Enter), t0);
    type_text(&mut field, "咪咪", t0);
    field.on_key(key(KeyCode::Enter), t0);
    field.on_paste(&video.display().to_string(), t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("JPEG 사진이 아닙니다"), "{}", status_text(&field));
    assert!(video.exists());
    // The form stays open, its texts emptied (the answer is not kept); the photo field
    // still has the focus.
    field.on_key(key(KeyCode::Up), t0);
    type_text(&mut field, "咪咪", t0);
    field.on_key(key(KeyCode::Enter), t0);
    field.on_paste(&video.display().to_string(), t0);
    // Past the shred box to "send with its metadata", which is turned on.
    field.on_key(key(KeyCode::Down), t0);
    field.on_key(key(KeyCode::Down), t0);
    field.on_key(key(KeyCode::Char(' ')), t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("사진을 봉인했습니다"), "{}", status_text(&field));
    assert!(!video.exists(), "the original was not shredded");
    // The sealed media file goes out beside the report.
    field.on_key(key(KeyCode::Char('m')), t0);
    let s = screen(&field, t0);
    assert!(s.contains("KiB"), "{s}");
    field.on_key(key(KeyCode::Char('x')), t0);
    let sealed = dir.join("clip.sealed");
    field.on_paste(&sealed.display().to_string(), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let said = status_text(&field);
    assert!(said.contains("봉인된") && said.contains(&format!("lethe shred {}", sealed.display())), "{said}");
    let sealed_bytes = std::fs::read(&sealed).unwrap();
    assert!(!sealed_bytes.windows(64).any(|w| content.windows(64).next() == Some(w)), "plaintext in the sealed file");
    field.on_key(key(KeyCode::Char('m')), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let report = outgoing_text(&field);

    // The hub: report, then the media file, then export it.
    hub.on_key(key(KeyCode::Char('i')), t0);
    hub.on_paste(&report, t0);
    press(&mut hub, ctrl('s'), t0);
    assert!(screen(&hub, t0).contains("답이 맞음"));
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Char('f')), t0);
    hub.on_paste(&sealed.display().to_string(), t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert!(status_text(&hub).contains("사진을 가져왔습니다"), "{}", status_text(&hub));
    // The order's acknowledgement waited for its photo: it is shown now.
    assert!(screen(&hub, t0).contains("전달자에게 보낼 확인"), "{}", screen(&hub, t0));
    hub.on_key(key(KeyCode::Esc), t0);
    assert!(screen(&hub, t0).contains("x 키로 내보내기"));
    hub.on_key(key(KeyCode::Char('x')), t0);
    let out = dir.join("clip-out.mp4");
    hub.on_paste(&out.display().to_string(), t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert_eq!(std::fs::read(&out).unwrap(), content);
    // Both files outside the container are the user's alone; each time the app said so.
    use std::os::unix::fs::PermissionsExt;
    for written in [&sealed, &out] {
        assert_eq!(std::fs::metadata(written).unwrap().permissions().mode() & 0o777, 0o600, "{}", written.display());
    }
    assert!(status_text(&hub).contains(&format!("lethe shred {}", out.display())), "{}", status_text(&hub));
    // The same media file twice is refused.
    hub.on_key(key(KeyCode::Char('f')), t0);
    hub.on_paste(&sealed.display().to_string(), t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert!(status_text(&hub).contains("이미 가져왔습니다"), "{}", status_text(&hub));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_language_chosen_at_first_start_is_kept_in_the_compartment() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    app.on_key(key(KeyCode::F(2)), t0);
    unlock(&mut app, "hidden", t0);
    assert_eq!(app.lang, Lang::Zh);
    assert!(screen(&app, t0).contains("没有笔记"));
    drop(app);
    // The next run starts in Korean on the lock screen, and the compartment says Chinese.
    let mut again = App::new(c.clone(), t0);
    assert_eq!(again.lang, Lang::Ko);
    unlock(&mut again, "hidden", t0);
    assert_eq!(again.lang, Lang::Zh);
    drop(again);
    // Once a compartment has its setting, the lock screen's choice does not change it.
    let mut third = App::new(c.clone(), t0);
    third.on_key(key(KeyCode::F(2)), t0);
    third.on_key(key(KeyCode::F(2)), t0);
    unlock(&mut third, "hidden", t0);
    assert_eq!(third.lang, Lang::Zh);
    // The decoy was never started in Chinese: it stays Korean.
    let mut decoy = App::new(c, t0);
    unlock(&mut decoy, "decoy", t0);
    assert_eq!(decoy.lang, Lang::Ko);
}

#[test]
fn keys_wiped_from_outside_lock_the_app_before_a_note_is_reported_saved() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    // Positive control: with the keys intact a note is saved.
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "first note", t0);
    press(&mut app, ctrl('s'), t0);
    assert_eq!(status_text(&app), "저장했습니다.");
    // Another program destroys the keys (what `lethe panic` does) while a note is typed.
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "second note", t0);
    lethe_vault::panic_wipe(&mut c.storage.clone()).unwrap();
    press(&mut app, ctrl('s'), t0);
    assert!(!app.is_unlocked());
    let s = screen(&app, t0);
    assert!(s.contains("비밀번호를 입력하세요") && s.contains("다른 프로그램이 보관함을 바꿨습니다"), "{s}");
    assert!(!s.contains("저장했습니다") && !s.contains("second note"), "{s}");
}

#[test]
fn keys_wiped_from_outside_lock_the_app_on_the_timer() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    // Positive control: ticks with the keys intact keep it open.
    app.tick(t0 + Duration::from_secs(2));
    assert!(app.is_unlocked());
    lethe_vault::panic_wipe(&mut c.storage.clone()).unwrap();
    app.tick(t0 + Duration::from_millis(2500));
    assert!(app.is_unlocked(), "checked again only after a second");
    app.tick(t0 + Duration::from_secs(3));
    assert!(!app.is_unlocked());
    assert!(status_text(&app).contains("다른 프로그램이 보관함을 바꿨습니다"));
}

#[test]
fn camouflage_shows_an_ordinary_notes_app_until_ctrl_e() {
    use super::screens::settings::SettingRow;
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    go_to_tab(&mut app, Tab::Settings, t0);
    // Positive control: without camouflage the role and hide rows are there.
    let s = screen(&app, t0);
    for word in ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸 새로 만들기", "lethe"] {
        assert!(s.contains(word), "{word} missing:\n{s}");
    }
    settings_row(&mut app, SettingRow::Camouflage, t0);
    assert!(app.camouflage);
    assert_eq!(app.setting_rows(), vec![SettingRow::Language, SettingRow::IdleLock, SettingRow::Camouflage]);
    let hidden_words = ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸", "lethe", "Ctrl-E", "현장", "본부"];
    let check_plain = |app: &App| {
        let s = screen(app, t0);
        for word in hidden_words {
            assert!(!s.contains(word), "{word} shown:\n{s}");
        }
    };
    check_plain(&app);
    go_to_tab(&mut app, Tab::Notes, t0);
    check_plain(&app);
    // Ctrl-E on the settings screen brings the rows back until the tab is left.
    go_to_tab(&mut app, Tab::Settings, t0);
    app.on_key(ctrl('e'), t0);
    let s = screen(&app, t0);
    for word in ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸 새로 만들기"] {
        assert!(s.contains(word), "{word} missing after Ctrl-E:\n{s}");
    }
    settings_row(&mut app, SettingRow::SetUpField, t0);
    assert!(app.snap().is_some_and(|s| s.field.is_some()));
    go_to_tab(&mut app, Tab::Notes, t0);
    go_to_tab(&mut app, Tab::Settings, t0);
    assert!(!app.setting_rows().contains(&SettingRow::Hide));
}

#[test]
fn partial_deliveries_and_amounts_above_the_order_have_their_own_words() {
    use lethe_remit::{Currency, DisputeReason, HubOrderStatus, OrderCode};
    let status = super::screens::hub_draw::status_msg;
    for lang in [Lang::Ko, Lang::Zh, Lang::En] {
        let partial = UiText::new(status(HubOrderStatus::Partial)).render(lang);
        let above = UiText::new(status(HubOrderStatus::Disputed(DisputeReason::AmountAboveOrder))).render(lang);
        let disputed = UiText::new(Msg::StatusDisputed).render(lang);
        let delivered = UiText::new(Msg::StatusDelivered).render(lang);
        assert!(partial != disputed && partial != delivered && above != disputed, "{lang:?}: {partial} / {above}");
    }
    let err =
        lethe_remit::Error::AmountAboveOrder { code: OrderCode(7), ordered_minor: 100_000, currency: Currency::Krw };
    let text = super::errors::remit_error_text(&err).render(Lang::Ko);
    assert!(text.contains("100,000 KRW") && text.contains(&OrderCode(7).to_string()), "{text}");
}
