//! State transitions of the app without a terminal: keys in, `TestBackend` screens out. One
//! module a screen or topic; the shared set-up (an in-memory container, keys, reading the screen)
//! is here.

mod create;
mod lock;
mod notes;
mod remit;
mod settings;
mod sizes;

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
    fn existing_len(&self) -> Option<u64> {
        Some(lethe_vault::Storage::len(&self.storage))
    }
    fn create(
        &self,
        _len: u64,
        passphrase: &Passphrase,
        _progress: &mut dyn FnMut(u64, u64),
    ) -> lethe_vault::Result<DynVault> {
        let mut storage = self.storage.clone();
        lethe_vault::fill_with_random(&mut storage)?;
        Vault::init(Box::new(storage) as DynStorage, passphrase, TEST_KDF)
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
