//! The app's state and what every key does. No terminal here: `App` takes key events and
//! the current time, and `view` draws it, so tests drive it with a `TestBackend`.

use super::i18n::{Lang, Msg};
use super::jobs::{
    Container, DynVault, Job, JobDone, JobOutcome, Success, UiText, WatchedReader, WatchedWriter,
};
use super::settings::Settings;
use super::text::{EditKey, SecretString, TextArea, TextInput};
use lethe_vault::{Error as VaultError, ItemId, ItemInfo, ItemKind, Passphrase};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Ctrl-X this many times …
pub const PANIC_PRESSES: usize = 3;
/// … within this time wipes the container.
pub const PANIC_WINDOW: Duration = Duration::from_secs(2);
/// Before unlock no settings are known: a half-typed passphrase is cleared after this.
pub const UNLOCK_IDLE_CLEAR: Duration = Duration::from_secs(300);
/// Operations shorter than this show no progress bar.
pub const PROGRESS_AFTER: Duration = Duration::from_millis(500);

const MAX_NOTE_BYTES: usize = 1 << 20;
const MAX_PASSPHRASE_CHARS: usize = 1024;
const MAX_PATH_CHARS: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Notes,
    Settings,
}

pub struct Status {
    pub text: UiText,
    pub error: bool,
}

pub enum Screen {
    Unlock(UnlockView),
    Main(MainView),
    /// After the panic chord: an ordinary-looking empty notes screen.
    Wiped,
}

pub struct UnlockView {
    pub pass: TextInput,
    pub error: Option<UiText>,
}

impl UnlockView {
    fn new() -> UnlockView {
        UnlockView { pass: TextInput::masked(MAX_PASSPHRASE_CHARS), error: None }
    }
}

pub struct MainView {
    pub tab: Tab,
    pub notes: NotesState,
    pub settings: SettingsState,
}

pub struct NotesState {
    pub selected: usize,
    pub view: NotesView,
}

pub enum NotesView {
    List,
    Read { id: ItemId, body: SecretString, scroll: u16 },
    NewNote { name: TextInput, body: TextArea, focus: usize },
    NewFile { path: TextInput, name: TextInput, shred: bool, focus: usize },
    Export { id: ItemId, path: TextInput },
    ConfirmDelete { id: ItemId },
}

impl NotesView {
    /// True while a text field has the keyboard (letters are text, not commands).
    pub fn is_form(&self) -> bool {
        matches!(self, NotesView::NewNote { .. } | NotesView::NewFile { .. } | NotesView::Export { .. })
    }
}

/// Rows of the settings screen.
pub const SETTINGS_ROWS: usize = 4;

pub struct SettingsState {
    pub selected: usize,
    pub hide_form: Option<HideForm>,
}

pub struct HideForm {
    pub first: TextInput,
    pub second: TextInput,
    pub focus: usize,
}

/// What the unlocked app holds. Dropped (vault, lists, plaintext) on lock and on panic.
pub struct Session {
    /// `None` while a job has the vault.
    pub vault: Option<DynVault>,
    /// The compartment's notes and files (not the records of other layers).
    pub items: Vec<ItemInfo>,
    pub settings: Settings,
    pub settings_id: Option<ItemId>,
}

impl Session {
    fn refresh(&mut self) {
        if let Some(v) = &self.vault {
            self.items = v.list().into_iter().filter(|i| matches!(i.kind, ItemKind::Note | ItemKind::File)).collect();
        }
    }
}

pub struct App {
    container: Arc<dyn Container>,
    pub lang: Lang,
    /// Known after the first unlock of this run; the lock screen looks ordinary regardless.
    pub camouflage: bool,
    pub screen: Screen,
    pub session: Option<Session>,
    pub job: Option<Job>,
    pub status: Option<Status>,
    chord: Vec<Instant>,
    last_input: Instant,
    pub quit: bool,
    /// Width and height of the text area of forms, set by the terminal loop.
    pub area: (usize, usize),
}

/// The keys below, independent of crossterm's representation.
fn edit_key(key: &KeyEvent) -> Option<EditKey> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    Some(match key.code {
        KeyCode::Char(c) => EditKey::Char(c),
        KeyCode::Backspace => EditKey::Backspace,
        KeyCode::Delete => EditKey::Delete,
        KeyCode::Left => EditKey::Left,
        KeyCode::Right => EditKey::Right,
        KeyCode::Up => EditKey::Up,
        KeyCode::Down => EditKey::Down,
        KeyCode::Home => EditKey::Home,
        KeyCode::End => EditKey::End,
        KeyCode::Enter => EditKey::Enter,
        _ => return None,
    })
}

/// Command letters, also when a Korean input method is on (두벌식 jamo → the QWERTY key
/// under it), so `n` works whether the keyboard types "n" or "ㅜ".
pub fn command_char(c: char) -> char {
    const QWERTY: &str = "qwertyuiopasdfghjklzxcvbnm";
    const DUBEOLSIK: &str = "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ";
    if let Some(i) = DUBEOLSIK.chars().position(|j| j == c) {
        return QWERTY.as_bytes()[i] as char;
    }
    c.to_ascii_lowercase()
}

fn ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c))
}

/// Messages for vault errors, in the user's language.
pub fn vault_error_text(e: &VaultError) -> UiText {
    match e {
        VaultError::WrongPassphrase => UiText::new(Msg::ErrCannotOpen),
        VaultError::InUse => UiText::new(Msg::ErrInUse),
        VaultError::Full { needed, available } => UiText::with(
            Msg::ErrFull,
            &[&needed.div_ceil(1024).to_string(), &(available / 1024).to_string()],
        ),
        VaultError::NoSuchItem(id) => UiText::with(Msg::ErrNoSuchItem, &[id]),
        VaultError::ItemDamaged(id) => UiText::with(Msg::ErrItemDamaged, &[id]),
        VaultError::IndexDamaged { .. } => UiText::new(Msg::ErrIndexDamaged),
        VaultError::BadContainerSize { .. } | VaultError::Truncated => UiText::new(Msg::ErrNotContainer),
        VaultError::NoFreeCompartment => UiText::new(Msg::ErrNoFreeCompartment),
        VaultError::PassphraseAlreadyUsed => UiText::new(Msg::ErrPassphraseUsed),
        VaultError::TooLarge(_) => UiText::new(Msg::ErrTooLarge),
        VaultError::EmptyPassphrase => UiText::new(Msg::ErrEmptyPassphrase),
        VaultError::Io { source, .. } => io_error_text(source),
        other => UiText::with(Msg::ErrOther, &[&other.to_string()]),
    }
}

pub fn io_error_text(e: &std::io::Error) -> UiText {
    match e.kind() {
        std::io::ErrorKind::NotFound => UiText::new(Msg::ErrFileNotFound),
        std::io::ErrorKind::PermissionDenied => UiText::new(Msg::ErrPermission),
        std::io::ErrorKind::AlreadyExists => UiText::new(Msg::ErrFileExists),
        _ if e.to_string() == "cancelled" => UiText::new(Msg::Cancelled),
        _ => UiText::with(Msg::ErrIo, &[&e.to_string()]),
    }
}

impl App {
    pub fn new(container: Arc<dyn Container>, now: Instant) -> App {
        App {
            container,
            lang: Lang::Ko,
            camouflage: false,
            screen: Screen::Unlock(UnlockView::new()),
            session: None,
            job: None,
            status: None,
            chord: Vec::new(),
            last_input: now,
            quit: false,
            area: (60, 10),
        }
    }

    pub fn is_unlocked(&self) -> bool {
        self.session.is_some()
    }

    /// The terminal window's title.
    pub fn title(&self) -> &'static str {
        match (&self.screen, self.camouflage) {
            (Screen::Main(_), false) => "lethe",
            _ => self.lang.tr(Msg::CamouflageTitle),
        }
    }

    /// The idle time after which the app locks (or, before unlock, clears the field).
    fn idle_limit(&self) -> Duration {
        match &self.session {
            Some(s) => Duration::from_secs(s.settings.idle_lock_secs),
            None => UNLOCK_IDLE_CLEAR,
        }
    }

    pub fn on_paste(&mut self, text: &str, now: Instant) {
        self.last_input = now;
        self.chord.clear();
        if self.job.is_some() {
            return;
        }
        match &mut self.screen {
            Screen::Unlock(u) => u.pass.insert_str(text),
            Screen::Main(m) => match (&mut m.notes.view, m.tab) {
                (NotesView::NewNote { name, body, focus }, Tab::Notes) => {
                    if *focus == 0 {
                        name.insert_str(text)
                    } else {
                        body.insert_str(text)
                    }
                }
                (NotesView::NewFile { path, name, focus, .. }, Tab::Notes) => match focus {
                    0 => path.insert_str(text.trim()),
                    1 => name.insert_str(text),
                    _ => {}
                },
                (NotesView::Export { path, .. }, Tab::Notes) => path.insert_str(text.trim()),
                _ => {}
            },
            Screen::Wiped => {}
        }
    }

    pub fn on_key(&mut self, key: KeyEvent, now: Instant) {
        self.last_input = now;
        // The panic chord comes first, whatever has the keyboard.
        if ctrl(&key, 'x') {
            self.chord.retain(|t| now.duration_since(*t) < PANIC_WINDOW);
            self.chord.push(now);
            if self.chord.len() >= PANIC_PRESSES {
                self.chord.clear();
                self.panic_now();
            }
            return;
        }
        self.chord.clear();
        if ctrl(&key, 'q') {
            self.request_quit();
            return;
        }
        if self.job.is_some() {
            return;
        }
        self.status = None;
        if ctrl(&key, 'l') && self.is_unlocked() {
            self.lock();
            return;
        }
        match &mut self.screen {
            Screen::Unlock(_) => self.unlock_key(key, now),
            Screen::Main(_) => self.main_key(key, now),
            Screen::Wiped => {}
        }
    }

    /// Called every frame: finished jobs, idle lock.
    pub fn tick(&mut self, now: Instant) {
        if let Some(job) = &self.job {
            if let Some(done) = job.poll() {
                self.job = None;
                self.finish_job(done);
            } else if job.is_lost() {
                self.job = None;
                self.job_lost();
            }
        }
        if self.job.is_none() && now.duration_since(self.last_input) >= self.idle_limit() {
            match &mut self.screen {
                Screen::Main(_) => self.lock(),
                Screen::Unlock(u) if !u.pass.is_empty() => u.pass.clear(),
                _ => {}
            }
            self.last_input = now;
        }
    }

    fn request_quit(&mut self) {
        if let Some(job) = &self.job {
            job.abort.store(true, Ordering::Relaxed);
        }
        self.quit = true;
    }

    /// Waits for a running job (at exit, or in tests) and applies its result.
    pub fn wait_for_job(&mut self) {
        if let Some(job) = self.job.take() {
            match job.wait() {
                Some(done) => self.finish_job(done),
                None => self.job_lost(),
            }
        }
    }

    /// Drops the vault and every plaintext, and shows the unlock screen.
    pub fn lock(&mut self) {
        self.session = None;
        self.screen = Screen::Unlock(UnlockView::new());
        self.status = Some(Status { text: UiText::new(Msg::Locked), error: false });
    }

    /// Wipes the container at once, drops everything, and shows an empty notes screen.
    pub fn panic_now(&mut self) {
        if let Some(job) = &self.job {
            job.abort.store(true, Ordering::Relaxed);
        }
        if self.container.wipe().is_err() {
            let _ = self.container.wipe();
        }
        self.session = None;
        self.screen = Screen::Wiped;
        self.status = None;
        self.camouflage = true;
    }

    fn job_lost(&mut self) {
        // The worker died with the vault: nothing sensible is left open.
        if let Some(s) = &mut self.session {
            if s.vault.is_none() {
                self.session = None;
                self.screen = Screen::Unlock(UnlockView::new());
            }
        }
        self.status = Some(Status { text: UiText::new(Msg::ErrInternal), error: true });
    }

    fn finish_job(&mut self, done: JobDone) {
        if matches!(self.screen, Screen::Wiped) {
            // A job that was running when the panic chord came: wipe again in case it wrote
            // after the first wipe, and drop whatever it returns.
            let _ = self.container.wipe();
            return;
        }
        match done {
            JobDone::Opened(result) => self.finish_unlock(result),
            JobDone::WithVault(vault, outcome) => {
                let Some(session) = &mut self.session else { return };
                session.vault = Some(vault);
                session.refresh();
                self.after_vault_job(outcome);
            }
        }
    }

    fn finish_unlock(&mut self, result: lethe_vault::Result<DynVault>) {
        match result {
            Ok(vault) => {
                let (settings, settings_id) = Settings::load(&vault);
                self.lang = settings.lang;
                self.camouflage = settings.camouflage;
                let mut session = Session { vault: Some(vault), items: Vec::new(), settings, settings_id };
                session.refresh();
                self.session = Some(session);
                self.screen = Screen::Main(MainView {
                    tab: Tab::Notes,
                    notes: NotesState { selected: 0, view: NotesView::List },
                    settings: SettingsState { selected: 0, hide_form: None },
                });
            }
            Err(e) => {
                if let Screen::Unlock(u) = &mut self.screen {
                    u.error = Some(vault_error_text(&e));
                }
            }
        }
    }

    fn after_vault_job(&mut self, outcome: JobOutcome) {
        let Screen::Main(m) = &mut self.screen else { return };
        let items = self.session.as_ref().map(|s| s.items.clone()).unwrap_or_default();
        match outcome {
            Ok(Success { message, select }) => {
                m.notes.view = NotesView::List;
                m.settings.hide_form = None;
                if let Some(id) = select {
                    if let Some(pos) = items.iter().position(|i| i.id == id) {
                        m.notes.selected = pos;
                    }
                }
                self.status = Some(Status { text: message, error: false });
            }
            Err(text) => {
                self.status = Some(Status { text, error: true });
            }
        }
        if let Screen::Main(m) = &mut self.screen {
            m.notes.selected = m.notes.selected.min(items.len().saturating_sub(1));
        }
    }

    fn unlock_key(&mut self, key: KeyEvent, now: Instant) {
        let Screen::Unlock(u) = &mut self.screen else { return };
        match key.code {
            KeyCode::F(2) | KeyCode::Tab => {
                self.lang = self.lang.next();
            }
            KeyCode::Enter => {
                if u.pass.is_empty() {
                    return;
                }
                let passphrase = Passphrase::new(u.pass.text().as_bytes());
                u.pass.clear();
                u.error = None;
                let container = self.container.clone();
                self.job = Some(Job::spawn(Msg::Opening, now, move |_, _| {
                    JobDone::Opened(container.open(&passphrase))
                }));
            }
            _ => {
                if let Some(k) = edit_key(&key) {
                    u.pass.edit(&k);
                }
            }
        }
    }

    fn main_key(&mut self, key: KeyEvent, now: Instant) {
        let Screen::Main(m) = &mut self.screen else { return };
        let in_form = (m.tab == Tab::Notes && m.notes.view.is_form())
            || (m.tab == Tab::Settings && m.settings.hide_form.is_some());
        if !in_form && matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            let tab = self.next_tab(key.code == KeyCode::Tab);
            let Screen::Main(m) = &mut self.screen else { return };
            m.tab = tab;
            if matches!(m.notes.view, NotesView::ConfirmDelete { .. }) {
                m.notes.view = NotesView::List;
            }
            return;
        }
        let Screen::Main(m) = &self.screen else { return };
        match m.tab {
            Tab::Notes => self.notes_key(key, now),
            Tab::Settings => self.settings_key(key, now),
        }
    }

    /// Tabs in order. The role screens join this list when the compartment has a role.
    pub fn tabs(&self) -> Vec<Tab> {
        vec![Tab::Notes, Tab::Settings]
    }

    fn next_tab(&self, forward: bool) -> Tab {
        let tabs = self.tabs();
        let Screen::Main(m) = &self.screen else { return Tab::Notes };
        let pos = tabs.iter().position(|t| *t == m.tab).unwrap_or(0);
        let n = tabs.len();
        tabs[if forward { (pos + 1) % n } else { (pos + n - 1) % n }]
    }

    fn notes_key(&mut self, key: KeyEvent, now: Instant) {
        let (area_w, _) = self.area;
        let Some(session) = &mut self.session else { return };
        let Screen::Main(m) = &mut self.screen else { return };
        let notes = &mut m.notes;
        let count = session.items.len();
        let selected_id = session.items.get(notes.selected).map(|i| i.id);
        match &mut notes.view {
            NotesView::List => {
                let cmd = match key.code {
                    KeyCode::Char(c) => Some(command_char(c)),
                    _ => None,
                };
                match (key.code, cmd) {
                    (KeyCode::Up, _) | (_, Some('k')) => notes.selected = notes.selected.saturating_sub(1),
                    (KeyCode::Down, _) | (_, Some('j')) => {
                        notes.selected = (notes.selected + 1).min(count.saturating_sub(1))
                    }
                    (KeyCode::Enter, _) => {
                        if let Some(id) = selected_id {
                            notes.view = open_item(session, id).unwrap_or(NotesView::List);
                            if matches!(notes.view, NotesView::List) {
                                self.status =
                                    Some(Status { text: UiText::with(Msg::ErrItemDamaged, &[&id.to_string()]), error: true });
                            }
                        }
                    }
                    (_, Some('n')) => {
                        notes.view =
                            NotesView::NewNote { name: TextInput::new(200), body: TextArea::new(MAX_NOTE_BYTES), focus: 1 }
                    }
                    (_, Some('f')) => {
                        notes.view = NotesView::NewFile {
                            path: TextInput::new(MAX_PATH_CHARS),
                            name: TextInput::new(200),
                            shred: false,
                            focus: 0,
                        }
                    }
                    (_, Some('e')) => {
                        if let Some(id) = selected_id {
                            notes.view = NotesView::Export { id, path: TextInput::new(MAX_PATH_CHARS) };
                        }
                    }
                    (KeyCode::Delete, _) | (_, Some('d')) => {
                        if let Some(id) = selected_id {
                            notes.view = NotesView::ConfirmDelete { id };
                        }
                    }
                    _ => {}
                }
            }
            NotesView::Read { id, scroll, .. } => {
                let id = *id;
                match key.code {
                    KeyCode::Esc | KeyCode::Left => notes.view = NotesView::List,
                    KeyCode::Up => *scroll = scroll.saturating_sub(1),
                    KeyCode::Down => *scroll = scroll.saturating_add(1),
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    KeyCode::PageDown => *scroll = scroll.saturating_add(10),
                    KeyCode::Char(c) if command_char(c) == 'e' => {
                        notes.view = NotesView::Export { id, path: TextInput::new(MAX_PATH_CHARS) }
                    }
                    KeyCode::Char(c) if command_char(c) == 'd' => notes.view = NotesView::ConfirmDelete { id },
                    KeyCode::Delete => notes.view = NotesView::ConfirmDelete { id },
                    _ => {}
                }
            }
            NotesView::NewNote { name, body, focus } => {
                if key.code == KeyCode::Esc {
                    notes.view = NotesView::List;
                } else if key.code == KeyCode::Tab || key.code == KeyCode::BackTab {
                    *focus = 1 - *focus;
                } else if ctrl(&key, 's') {
                    if body.is_empty() {
                        self.status = Some(Status { text: UiText::new(Msg::ErrEmptyNote), error: true });
                        return;
                    }
                    let item_name = if name.is_empty() { first_line(body.text()) } else { name.text().to_string() };
                    let content = SecretString::from_text(body.text());
                    self.start_vault_job(Msg::Saving, now, move |vault, _, _| {
                        vault
                            .add(ItemKind::Note, &item_name, content.as_str().as_bytes())
                            .map(|id| Success { message: UiText::new(Msg::NoteSaved), select: Some(id) })
                            .map_err(|e| vault_error_text(&e))
                    });
                } else if let Some(k) = edit_key(&key) {
                    if *focus == 0 {
                        if k == EditKey::Enter {
                            *focus = 1;
                        } else {
                            name.edit(&k);
                        }
                    } else {
                        body.edit(&k, area_w);
                    }
                }
            }
            NotesView::NewFile { path, name, shred, focus } => {
                if key.code == KeyCode::Esc {
                    notes.view = NotesView::List;
                } else if key.code == KeyCode::Tab {
                    *focus = (*focus + 1) % 3;
                } else if key.code == KeyCode::BackTab {
                    *focus = (*focus + 2) % 3;
                } else if *focus == 2 && key.code == KeyCode::Char(' ') {
                    *shred = !*shred;
                } else if key.code == KeyCode::Enter || ctrl(&key, 's') {
                    let source = PathBuf::from(path.text().trim());
                    let item_name = if name.is_empty() {
                        source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                    } else {
                        name.text().to_string()
                    };
                    let shred = *shred;
                    self.start_vault_job(Msg::Importing, now, move |vault, progress, abort| {
                        import_file(vault, &source, &item_name, shred, progress, abort)
                    });
                } else if let Some(k) = edit_key(&key) {
                    match focus {
                        0 => {
                            path.edit(&k);
                        }
                        1 => {
                            name.edit(&k);
                        }
                        _ => {}
                    }
                }
            }
            NotesView::Export { id, path } => {
                let id = *id;
                if key.code == KeyCode::Esc {
                    notes.view = NotesView::List;
                } else if key.code == KeyCode::Enter {
                    let target = PathBuf::from(path.text().trim());
                    if target.as_os_str().is_empty() {
                        return;
                    }
                    self.start_vault_job(Msg::Exporting, now, move |vault, progress, abort| {
                        export_item(vault, id, &target, progress, abort)
                    });
                } else if let Some(k) = edit_key(&key) {
                    path.edit(&k);
                }
            }
            NotesView::ConfirmDelete { id } => {
                let id = *id;
                match key.code {
                    KeyCode::Char(c) if command_char(c) == 'y' => {
                        self.start_vault_job(Msg::Erasing, now, move |vault, _, _| {
                            vault
                                .remove(id)
                                .map(|()| Success { message: UiText::new(Msg::Erased), select: None })
                                .map_err(|e| vault_error_text(&e))
                        });
                    }
                    _ => notes.view = NotesView::List,
                }
            }
        }
    }

    fn settings_key(&mut self, key: KeyEvent, now: Instant) {
        let Some(session) = &mut self.session else { return };
        let Screen::Main(m) = &mut self.screen else { return };
        let st = &mut m.settings;
        if let Some(form) = &mut st.hide_form {
            match key.code {
                KeyCode::Esc => st.hide_form = None,
                KeyCode::Tab | KeyCode::BackTab => form.focus = 1 - form.focus,
                KeyCode::Enter if form.focus == 0 => form.focus = 1,
                KeyCode::Enter => {
                    if form.first.is_empty() {
                        self.status = Some(Status { text: UiText::new(Msg::ErrEmptyPassphrase), error: true });
                    } else if form.first.text() != form.second.text() {
                        form.first.clear();
                        form.second.clear();
                        form.focus = 0;
                        self.status = Some(Status { text: UiText::new(Msg::ErrPassphrasesDiffer), error: true });
                    } else {
                        let new = Passphrase::new(form.first.text().as_bytes());
                        let kdf = self.container.kdf();
                        form.first.clear();
                        form.second.clear();
                        self.start_vault_job(Msg::Hiding, now, move |vault, _, _| {
                            vault
                                .hide(&new, kdf)
                                .map(|_| Success { message: UiText::new(Msg::HiddenMade), select: None })
                                .map_err(|e| vault_error_text(&e))
                        });
                    }
                }
                _ => {
                    if let Some(k) = edit_key(&key) {
                        if form.focus == 0 { form.first.edit(&k) } else { form.second.edit(&k) };
                    }
                }
            }
            return;
        }
        let mut changed = false;
        let forward = !matches!(key.code, KeyCode::Left);
        match key.code {
            KeyCode::Up => st.selected = st.selected.saturating_sub(1),
            KeyCode::Down => st.selected = (st.selected + 1).min(SETTINGS_ROWS - 1),
            KeyCode::Left | KeyCode::Right | KeyCode::Enter | KeyCode::Char(' ') => match st.selected {
                0 => {
                    session.settings.lang =
                        if forward { session.settings.lang.next() } else { session.settings.lang.prev() };
                    changed = true;
                }
                1 => {
                    session.settings.idle_lock_secs = session.settings.next_idle_lock(forward);
                    changed = true;
                }
                2 => {
                    session.settings.camouflage = !session.settings.camouflage;
                    changed = true;
                }
                _ => {
                    if matches!(key.code, KeyCode::Enter) {
                        st.hide_form =
                            Some(HideForm { first: TextInput::masked(MAX_PASSPHRASE_CHARS), second: TextInput::masked(MAX_PASSPHRASE_CHARS), focus: 0 });
                    }
                }
            },
            _ => {}
        }
        if changed {
            self.lang = session.settings.lang;
            self.camouflage = session.settings.camouflage;
            if let Some(vault) = &mut session.vault {
                match session.settings.save(vault, session.settings_id) {
                    Ok(id) => {
                        session.settings_id = Some(id);
                        self.status = Some(Status { text: UiText::new(Msg::SettingsSaved), error: false });
                    }
                    Err(e) => self.status = Some(Status { text: vault_error_text(&e), error: true }),
                }
            }
        }
    }

    /// Moves the vault into a worker thread for `work`; it comes back with the outcome.
    fn start_vault_job<F>(&mut self, label: Msg, now: Instant, work: F)
    where
        F: FnOnce(&mut DynVault, &super::jobs::JobProgress, &std::sync::atomic::AtomicBool) -> JobOutcome
            + Send
            + 'static,
    {
        let Some(session) = &mut self.session else { return };
        let Some(mut vault) = session.vault.take() else { return };
        self.job = Some(Job::spawn(label, now, move |progress, abort| {
            let outcome = work(&mut vault, progress, abort);
            JobDone::WithVault(vault, outcome)
        }));
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    line.chars().take(40).collect()
}

fn open_item(session: &Session, id: ItemId) -> Option<NotesView> {
    let vault = session.vault.as_ref()?;
    let info = session.items.iter().find(|i| i.id == id)?;
    let body = if info.kind == ItemKind::Note {
        let bytes = vault.read(id).ok()?;
        SecretString::from_text(&String::from_utf8_lossy(bytes.as_slice()))
    } else {
        SecretString::default()
    };
    Some(NotesView::Read { id, body, scroll: 0 })
}

fn import_file(
    vault: &mut DynVault,
    source: &std::path::Path,
    name: &str,
    shred: bool,
    progress: &super::jobs::JobProgress,
    abort: &std::sync::atomic::AtomicBool,
) -> JobOutcome {
    let meta = std::fs::metadata(source).map_err(|e| io_error_text(&e))?;
    if !meta.is_file() {
        return Err(UiText::new(Msg::ErrNotAFile));
    }
    let file = std::fs::File::open(source).map_err(|e| io_error_text(&e))?;
    let total = meta.len();
    let mut reader = WatchedReader { inner: file, progress, abort, done: 0, total };
    let id = vault
        .add_from_reader(ItemKind::File, name, &mut reader, Some(total), &mut |_| {})
        .map_err(|e| vault_error_text(&e))?;
    drop(reader);
    if shred {
        match crate::fsutil::shred_file(source) {
            Ok(report) if report.copy_on_write.is_some() => {
                return Ok(Success { message: UiText::new(Msg::ImportedShredCow), select: Some(id) });
            }
            Ok(_) => return Ok(Success { message: UiText::new(Msg::ImportedShredded), select: Some(id) }),
            Err(_) => return Ok(Success { message: UiText::new(Msg::ImportedShredFailed), select: Some(id) }),
        }
    }
    Ok(Success { message: UiText::new(Msg::Imported), select: Some(id) })
}

fn export_item(
    vault: &mut DynVault,
    id: ItemId,
    target: &std::path::Path,
    progress: &super::jobs::JobProgress,
    abort: &std::sync::atomic::AtomicBool,
) -> JobOutcome {
    let total = vault.info(id).map_err(|e| vault_error_text(&e))?.size;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
        .map_err(|e| io_error_text(&e))?;
    let mut writer = WatchedWriter { inner: file, abort };
    let result = vault
        .read_to(id, &mut writer, &mut |d| progress.set(d, total))
        .map_err(|e| vault_error_text(&e))
        .and_then(|()| writer.inner.sync_all().map_err(|e| io_error_text(&e)));
    if let Err(e) = result {
        drop(writer);
        let _ = std::fs::remove_file(target);
        return Err(e);
    }
    Ok(Success { message: UiText::with(Msg::Exported, &[&target.display().to_string()]), select: Some(id) })
}
