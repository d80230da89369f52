//! The app's state and what every key does. No terminal here: `App` takes key events and
//! the current time, and `view` draws it, so tests drive it with a `TestBackend`.
//!
//! Every operation on the vault runs as a [`Job`] on a worker thread (the vault moves
//! there and comes back with a fresh [`Snapshot`]); the rules themselves are all in
//! lethe-vault and lethe-remit.

use super::forms::{Form, FormAction, PATH_CHARS};
use super::i18n::{Lang, Msg};
use super::jobs::{
    Arg, Container, DynVault, Job, JobDone, JobOutcome, JobProgress, Success, Then, UiText, WatchedReader,
    WatchedWriter,
};
use super::snapshot::Snapshot;
use super::text::{EditKey, SecretString, TextArea, TextInput};
use lethe_remit::{Outgoing, Receipt};
use lethe_vault::{Error as VaultError, ItemId, ItemKind, Passphrase};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
pub const MAX_PASSPHRASE_CHARS: usize = 1024;
/// Largest message text read from a file or pasted.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Notes,
    Field,
    Hub,
    Settings,
}

pub struct Status {
    pub text: UiText,
    pub error: bool,
}

pub enum Screen {
    Unlock(UnlockView),
    Main(Box<MainView>),
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

/// A message to send, shown as text or as a QR code.
pub struct OutgoingView {
    pub title: Msg,
    pub out: Outgoing,
    pub qr: bool,
    pub scroll: u16,
    /// The "save as a text file" form, when open.
    pub save: Option<Form>,
}

pub struct MainView {
    pub tab: Tab,
    pub notes: NotesState,
    pub field: FieldState,
    pub hub: HubState,
    pub settings: SettingsState,
    /// Shown over the current tab while open.
    pub outgoing: Option<OutgoingView>,
}

pub struct NotesState {
    pub selected: usize,
    pub view: NotesView,
}

pub enum NotesView {
    List,
    Read {
        id: ItemId,
        body: SecretString,
        scroll: u16,
    },
    NewNote {
        name: TextInput,
        body: TextArea,
        focus: usize,
    },
    /// Fields: path, name, shred the source.
    NewFile(Form),
    /// Fields: path.
    Export {
        id: ItemId,
        form: Form,
    },
    ConfirmDelete {
        id: ItemId,
    },
}

/// Pasting a message, or loading it from a file.
pub struct InboxForm {
    pub text: TextArea,
    pub path: TextInput,
    /// 0: the text area, 1: the path.
    pub focus: usize,
}

impl InboxForm {
    fn new() -> InboxForm {
        InboxForm { text: TextArea::new(MAX_MESSAGE_BYTES), path: TextInput::new(PATH_CHARS), focus: 0 }
    }
}

pub struct FieldState {
    pub selected: usize,
    pub view: FieldView,
}

pub enum FieldView {
    Orders,
    /// Fields: amount handed over, the recipient's answer (masked), photo path, shred it.
    Deliver {
        code: lethe_remit::OrderCode,
        form: Form,
    },
    Outbox {
        selected: usize,
    },
    /// Fields: path.
    ExportMedia {
        item: ItemId,
        form: Form,
    },
    Inbox(InboxForm),
    /// Own key (text or QR) and the pairing's safety code.
    Pairing {
        qr: bool,
    },
    /// Fields: the hub's key.
    PairForm(Form),
}

/// Which orders the hub's list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Open,
    Delivered,
    Disputed,
}

impl StatusFilter {
    fn next(self) -> StatusFilter {
        match self {
            StatusFilter::All => StatusFilter::Open,
            StatusFilter::Open => StatusFilter::Delivered,
            StatusFilter::Delivered => StatusFilter::Disputed,
            StatusFilter::Disputed => StatusFilter::All,
        }
    }

    pub fn keeps(self, status: lethe_remit::HubOrderStatus) -> bool {
        use lethe_remit::HubOrderStatus as S;
        match self {
            StatusFilter::All => true,
            StatusFilter::Open => matches!(status, S::New | S::Sent),
            StatusFilter::Delivered => matches!(status, S::Delivered),
            StatusFilter::Disputed => matches!(status, S::Disputed(_)),
        }
    }
}

pub struct HubState {
    pub selected: usize,
    pub broker_filter: Option<String>,
    pub status_filter: StatusFilter,
    pub view: HubView,
}

pub enum HubView {
    Orders,
    /// Fields: broker, alias, place, amount, currency, fee, deadline, question, answer.
    NewOrder(Form),
    /// Fields: broker, also resend.
    Send(Form),
    Import(InboxForm),
    Results(Receipt),
    Ledger,
    /// Fields: broker, amount, currency.
    Advance(Form),
    Brokers {
        qr: bool,
    },
    /// Fields: name, key.
    AddBroker(Form),
    /// Fields: path.
    ExportMedia {
        code: lethe_remit::OrderCode,
        form: Form,
    },
    /// Fields: path.
    ImportMedia(Form),
}

/// Work on the open vault, run by a job.
type VaultWork = dyn FnOnce(&mut DynVault, &JobProgress, &AtomicBool) -> JobOutcome + Send;

/// Rows of the settings screen; which ones exist depends on the compartment's roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingRow {
    Language,
    IdleLock,
    Camouflage,
    Retention,
    SetUpField,
    SetUpHub,
    Hide,
}

pub struct SettingsState {
    pub selected: usize,
    /// Fields: new passphrase, again.
    pub hide_form: Option<Form>,
}

/// What the unlocked app holds. Dropped (vault, plaintext) on lock and on panic.
pub struct Session {
    /// `None` while a job has the vault.
    pub vault: Option<DynVault>,
    pub snap: Snapshot,
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
    /// Width and height of the body, set by the terminal loop (text areas wrap to it).
    pub area: (usize, usize),
}

/// Editing keys of a text field, or None for keys with Ctrl/Alt.
pub fn edit_key(key: &KeyEvent) -> Option<EditKey> {
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

/// The command letter of a key without modifiers.
pub fn command(key: &KeyEvent) -> Option<char> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(command_char(c)),
        _ => None,
    }
}

fn ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c))
}

/// Messages for vault errors, in the user's language.
pub fn vault_error_text(e: &VaultError) -> UiText {
    match e {
        VaultError::WrongPassphrase => UiText::new(Msg::ErrCannotOpen),
        VaultError::InUse => UiText::new(Msg::ErrInUse),
        VaultError::Full { needed, available } => {
            UiText::with(Msg::ErrFull, &[&needed.div_ceil(1024).to_string(), &(available / 1024).to_string()])
        }
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

fn remit_err(e: lethe_remit::Error) -> UiText {
    super::remit_errors::text(&e)
}

fn now_unix() -> u64 {
    lethe_remit::time::now_unix()
}

/// Creates a new file for an export (never overwrites), runs `write`, syncs; removes the
/// file again if anything failed.
fn write_new_file(
    target: &std::path::Path,
    abort: &AtomicBool,
    write: impl FnOnce(&mut WatchedWriter<'_, std::fs::File>) -> Result<(), UiText>,
) -> Result<(), UiText> {
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(target).map_err(|e| io_error_text(&e))?;
    let mut writer = WatchedWriter { inner: file, abort };
    let result = write(&mut writer).and_then(|()| writer.inner.sync_all().map_err(|e| io_error_text(&e)));
    if let Err(e) = result {
        drop(writer);
        let _ = std::fs::remove_file(target);
        return Err(e);
    }
    Ok(())
}

/// Reads a message from a file the user named (at most [`MAX_MESSAGE_BYTES`]).
fn read_message_file(path: &str) -> Result<String, UiText> {
    let meta = std::fs::metadata(path.trim()).map_err(|e| io_error_text(&e))?;
    if !meta.is_file() {
        return Err(UiText::new(Msg::ErrNotAFile));
    }
    if meta.len() > MAX_MESSAGE_BYTES as u64 {
        return Err(UiText::new(Msg::ErrBadMessage));
    }
    let bytes = std::fs::read(path.trim()).map_err(|e| io_error_text(&e))?;
    String::from_utf8(bytes).map_err(|_| UiText::new(Msg::ErrBadMessage))
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

    pub fn snap(&self) -> Option<&Snapshot> {
        self.session.as_ref().map(|s| &s.snap)
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
            Some(s) => Duration::from_secs(s.snap.settings.idle_lock_secs),
            None => UNLOCK_IDLE_CLEAR,
        }
    }

    fn say(&mut self, text: UiText) {
        self.status = Some(Status { text, error: false });
    }

    fn complain(&mut self, text: UiText) {
        self.status = Some(Status { text, error: true });
    }

    pub fn on_paste(&mut self, text: &str, now: Instant) {
        self.last_input = now;
        self.chord.clear();
        if self.job.is_some() {
            return;
        }
        let one_line = text.trim();
        match &mut self.screen {
            Screen::Unlock(u) => u.pass.insert_str(text.trim_end_matches(['\n', '\r'])),
            Screen::Main(m) => {
                if let Some(o) = &mut m.outgoing {
                    if let Some(f) = &mut o.save {
                        f.paste(one_line);
                    }
                    return;
                }
                match m.tab {
                    Tab::Notes => match &mut m.notes.view {
                        NotesView::NewNote { name, body, focus } => {
                            if *focus == 0 {
                                name.insert_str(text)
                            } else {
                                body.insert_str(text)
                            }
                        }
                        NotesView::NewFile(f) | NotesView::Export { form: f, .. } => f.paste(one_line),
                        _ => {}
                    },
                    Tab::Field => match &mut m.field.view {
                        FieldView::Inbox(i) => paste_inbox(i, text),
                        FieldView::Deliver { form, .. }
                        | FieldView::ExportMedia { form, .. }
                        | FieldView::PairForm(form) => form.paste(one_line),
                        _ => {}
                    },
                    Tab::Hub => match &mut m.hub.view {
                        HubView::Import(i) => paste_inbox(i, text),
                        HubView::NewOrder(f)
                        | HubView::Advance(f)
                        | HubView::AddBroker(f)
                        | HubView::ImportMedia(f)
                        | HubView::ExportMedia { form: f, .. } => f.paste(one_line),
                        _ => {}
                    },
                    Tab::Settings => {
                        if let Some(f) = &mut m.settings.hide_form {
                            f.paste(one_line);
                        }
                    }
                }
            }
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
        // Ctrl-C too: in raw mode it is a key, and people press it to get out.
        if ctrl(&key, 'q') || ctrl(&key, 'c') {
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
        match &self.screen {
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
        self.say(UiText::new(Msg::Locked));
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
        if self.session.as_ref().is_some_and(|s| s.vault.is_none()) {
            self.session = None;
            self.screen = Screen::Unlock(UnlockView::new());
        }
        self.complain(UiText::new(Msg::ErrInternal));
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
            JobDone::WithVault(vault, snap, outcome) => {
                let Some(session) = &mut self.session else { return };
                session.vault = Some(vault);
                session.snap = snap;
                self.lang = session.snap.settings.lang;
                self.camouflage = session.snap.settings.camouflage;
                self.after_vault_job(outcome);
            }
        }
    }

    fn finish_unlock(&mut self, result: lethe_vault::Result<(DynVault, Snapshot)>) {
        match result {
            Ok((mut vault, mut snap)) => {
                // First start of a compartment: the language chosen on the lock screen becomes
                // its setting. Afterwards the compartment's own setting wins.
                if snap.settings_id.is_none() && snap.settings.lang != self.lang {
                    snap.settings.lang = self.lang;
                    if let Ok(id) = snap.settings.save(&mut vault, None) {
                        snap.settings_id = Some(id);
                    }
                }
                self.lang = snap.settings.lang;
                self.camouflage = snap.settings.camouflage;
                // Camouflage opens on the notes; otherwise on the role the compartment has.
                let tab = if self.camouflage {
                    Tab::Notes
                } else if snap.field.is_some() {
                    Tab::Field
                } else if snap.hub.is_some() {
                    Tab::Hub
                } else {
                    Tab::Notes
                };
                let erased = snap.field.as_ref().map(|f| f.erased).unwrap_or_default();
                let problem = snap.problem.clone();
                self.session = Some(Session { vault: Some(vault), snap });
                self.screen = Screen::Main(Box::new(MainView {
                    tab,
                    notes: NotesState { selected: 0, view: NotesView::List },
                    field: FieldState { selected: 0, view: FieldView::Orders },
                    hub: HubState {
                        selected: 0,
                        broker_filter: None,
                        status_filter: StatusFilter::All,
                        view: HubView::Orders,
                    },
                    settings: SettingsState { selected: 0, hide_form: None },
                    outgoing: None,
                }));
                self.status = None;
                if let Some(p) = problem {
                    self.complain(p);
                } else if erased.orders + erased.reports > 0 && !self.camouflage {
                    self.say(UiText::with(Msg::RetentionErased, &[&(erased.orders + erased.reports).to_string()]));
                }
            }
            Err(e) => {
                if let Screen::Unlock(u) = &mut self.screen {
                    u.error = Some(vault_error_text(&e));
                }
            }
        }
    }

    fn after_vault_job(&mut self, outcome: JobOutcome) {
        let Some(snap) = self.session.as_ref().map(|s| &s.snap) else { return };
        let counts = (snap.items.len(), snap.field.as_ref().map_or(0, |f| f.orders.len()));
        let item_ids: Vec<ItemId> = snap.items.iter().map(|i| i.id).collect();
        let Screen::Main(m) = &mut self.screen else { return };
        match outcome {
            Ok(Success { message, select, then }) => {
                match m.tab {
                    Tab::Notes => m.notes.view = NotesView::List,
                    Tab::Field => m.field.view = FieldView::Orders,
                    Tab::Hub => m.hub.view = HubView::Orders,
                    Tab::Settings => m.settings.hide_form = None,
                }
                if let Some(id) = select
                    && let Some(pos) = item_ids.iter().position(|i| *i == id)
                {
                    m.notes.selected = pos;
                }
                match then {
                    Then::List => {}
                    Then::Outgoing(title, out) => {
                        m.outgoing = Some(OutgoingView { title, out, qr: false, scroll: 0, save: None })
                    }
                    Then::Receipt(r) => m.hub.view = HubView::Results(r),
                    Then::Pairing => match m.tab {
                        Tab::Hub => m.hub.view = HubView::Brokers { qr: false },
                        _ => m.field.view = FieldView::Pairing { qr: false },
                    },
                }
                self.say(message);
            }
            Err(text) => self.complain(text),
        }
        if let Screen::Main(m) = &mut self.screen {
            m.notes.selected = m.notes.selected.min(counts.0.saturating_sub(1));
            m.field.selected = m.field.selected.min(counts.1.saturating_sub(1));
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
                    JobDone::Opened(container.open(&passphrase).map(|mut vault| {
                        let snap = Snapshot::load(&mut vault);
                        (vault, snap)
                    }))
                }));
            }
            _ => {
                if let Some(k) = edit_key(&key) {
                    u.pass.edit(&k);
                }
            }
        }
    }

    /// Tabs in order: the notes, the roles this compartment has, the settings.
    pub fn tabs(&self) -> Vec<Tab> {
        let mut tabs = vec![Tab::Notes];
        if let Some(s) = self.snap() {
            if s.field.is_some() {
                tabs.push(Tab::Field);
            }
            if s.hub.is_some() {
                tabs.push(Tab::Hub);
            }
        }
        tabs.push(Tab::Settings);
        tabs
    }

    fn next_tab(&self, current: Tab, forward: bool) -> Tab {
        let tabs = self.tabs();
        let pos = tabs.iter().position(|t| *t == current).unwrap_or(0);
        let n = tabs.len();
        tabs[if forward { (pos + 1) % n } else { (pos + n - 1) % n }]
    }

    /// True while a text field or form has the keyboard.
    pub fn in_form(&self) -> bool {
        let Screen::Main(m) = &self.screen else { return false };
        if let Some(o) = &m.outgoing {
            return o.save.is_some();
        }
        match m.tab {
            Tab::Notes => {
                matches!(m.notes.view, NotesView::NewNote { .. } | NotesView::NewFile(_) | NotesView::Export { .. })
            }
            Tab::Field => matches!(
                &m.field.view,
                FieldView::Deliver { .. }
                    | FieldView::ExportMedia { .. }
                    | FieldView::Inbox(_)
                    | FieldView::PairForm(_)
            ),
            Tab::Hub => {
                !matches!(m.hub.view, HubView::Orders | HubView::Results(_) | HubView::Ledger | HubView::Brokers { .. })
            }
            Tab::Settings => m.settings.hide_form.is_some(),
        }
    }

    fn main_key(&mut self, key: KeyEvent, now: Instant) {
        let Screen::Main(m) = &self.screen else { return };
        let tab = m.tab;
        if m.outgoing.is_some() {
            self.outgoing_key(key);
            return;
        }
        if !self.in_form() && matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            let next = self.next_tab(tab, key.code == KeyCode::Tab);
            let Screen::Main(m) = &mut self.screen else { return };
            m.tab = next;
            if matches!(m.notes.view, NotesView::ConfirmDelete { .. }) {
                m.notes.view = NotesView::List;
            }
            return;
        }
        match tab {
            Tab::Notes => self.notes_key(key, now),
            Tab::Field => self.field_key(key, now),
            Tab::Hub => self.hub_key(key, now),
            Tab::Settings => self.settings_key(key, now),
        }
    }

    fn main_view(&mut self) -> Option<&mut MainView> {
        match &mut self.screen {
            Screen::Main(m) => Some(m),
            _ => None,
        }
    }

    fn outgoing_key(&mut self, key: KeyEvent) {
        let Some(m) = self.main_view() else { return };
        let Some(o) = &mut m.outgoing else { return };
        if let Some(form) = &mut o.save {
            match form.key(&key) {
                FormAction::Cancel => o.save = None,
                FormAction::Submit => {
                    let target = PathBuf::from(form.value(0).trim());
                    if target.as_os_str().is_empty() {
                        return;
                    }
                    let text = o.out.text();
                    let result = write_new_file(&target, &AtomicBool::new(false), |w| {
                        use std::io::Write;
                        w.write_all(text.as_bytes()).map_err(|e| io_error_text(&e))
                    });
                    match result {
                        Ok(()) => {
                            o.save = None;
                            self.say(UiText::with(Msg::MessageSaved, &[&target.display().to_string()]));
                        }
                        Err(e) => self.complain(e),
                    }
                }
                FormAction::None => {}
            }
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Enter => m.outgoing = None,
            KeyCode::Up => o.scroll = o.scroll.saturating_sub(1),
            KeyCode::Down => o.scroll = o.scroll.saturating_add(1),
            _ => match command(&key) {
                Some('q') => o.qr = !o.qr,
                Some('w') => {
                    o.save = Some(Form::new(vec![Form::path(Msg::FieldSavePath)]).with_note(Msg::SaveMessageNote))
                }
                _ => {}
            },
        }
    }

    // ---------------------------------------------------------------- notes and files

    fn notes_key(&mut self, key: KeyEvent, now: Instant) {
        let (area_w, _) = self.area;
        let Some(session) = &self.session else { return };
        let count = session.snap.items.len();
        let Screen::Main(m) = &mut self.screen else { return };
        let notes = &mut m.notes;
        let selected_id = session.snap.items.get(notes.selected).map(|i| i.id);
        match &mut notes.view {
            NotesView::List => match (key.code, command(&key)) {
                (KeyCode::Up, _) | (_, Some('k')) => notes.selected = notes.selected.saturating_sub(1),
                (KeyCode::Down, _) | (_, Some('j')) => {
                    notes.selected = (notes.selected + 1).min(count.saturating_sub(1))
                }
                (KeyCode::Enter, _) => {
                    if let Some(id) = selected_id {
                        match open_item(session, id) {
                            Some(view) => notes.view = view,
                            None => self.complain(UiText::with(Msg::ErrItemDamaged, &[&id.to_string()])),
                        }
                    }
                }
                (_, Some('n')) => {
                    notes.view =
                        NotesView::NewNote { name: TextInput::new(200), body: TextArea::new(MAX_NOTE_BYTES), focus: 1 }
                }
                (_, Some('f')) => {
                    notes.view = NotesView::NewFile(
                        Form::new(vec![
                            Form::path(Msg::FieldPath),
                            Form::text(Msg::FieldNameOptional, 200),
                            Form::check(Msg::ShredSource, true),
                        ])
                        .with_note(Msg::ShredExplain),
                    )
                }
                (_, Some('e')) => {
                    if let Some(id) = selected_id {
                        notes.view = NotesView::Export { id, form: export_form() };
                    }
                }
                (KeyCode::Delete, _) | (_, Some('d')) => {
                    if let Some(id) = selected_id {
                        notes.view = NotesView::ConfirmDelete { id };
                    }
                }
                _ => {}
            },
            NotesView::Read { id, scroll, .. } => {
                let id = *id;
                match (key.code, command(&key)) {
                    (KeyCode::Esc | KeyCode::Left, _) => notes.view = NotesView::List,
                    (KeyCode::Up, _) => *scroll = scroll.saturating_sub(1),
                    (KeyCode::Down, _) => *scroll = scroll.saturating_add(1),
                    (KeyCode::PageUp, _) => *scroll = scroll.saturating_sub(10),
                    (KeyCode::PageDown, _) => *scroll = scroll.saturating_add(10),
                    (_, Some('e')) => notes.view = NotesView::Export { id, form: export_form() },
                    (KeyCode::Delete, _) | (_, Some('d')) => notes.view = NotesView::ConfirmDelete { id },
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
                        self.complain(UiText::new(Msg::ErrEmptyNote));
                        return;
                    }
                    let item_name = if name.is_empty() { first_line(body.text()) } else { name.text().to_string() };
                    let content = SecretString::from_text(body.text());
                    self.start_vault_job(Msg::Saving, now, move |vault, _, _| {
                        let id = vault
                            .add(ItemKind::Note, &item_name, content.as_str().as_bytes())
                            .map_err(|e| vault_error_text(&e))?;
                        Ok(Success { select: Some(id), ..Success::new(UiText::new(Msg::NoteSaved)) })
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
            NotesView::NewFile(form) => match form.key(&key) {
                FormAction::Cancel => notes.view = NotesView::List,
                FormAction::Submit => {
                    let source = PathBuf::from(form.value(0).trim());
                    if source.as_os_str().is_empty() {
                        return;
                    }
                    let item_name = if form.value(1).trim().is_empty() {
                        source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                    } else {
                        form.value(1).trim().to_string()
                    };
                    let shred = form.checked(2);
                    self.start_vault_job(Msg::Importing, now, move |vault, progress, abort| {
                        import_file(vault, &source, &item_name, shred, progress, abort)
                    });
                }
                FormAction::None => {}
            },
            NotesView::Export { id, form } => {
                let id = *id;
                match form.key(&key) {
                    FormAction::Cancel => notes.view = NotesView::List,
                    FormAction::Submit => {
                        let target = PathBuf::from(form.value(0).trim());
                        if target.as_os_str().is_empty() {
                            return;
                        }
                        self.start_vault_job(Msg::Exporting, now, move |vault, progress, abort| {
                            let total = vault.info(id).map_err(|e| vault_error_text(&e))?.size;
                            write_new_file(&target, abort, |w| {
                                vault.read_to(id, w, &mut |d| progress.set(d, total)).map_err(|e| vault_error_text(&e))
                            })?;
                            Ok(Success {
                                select: Some(id),
                                ..Success::new(UiText::with(Msg::Exported, &[&target.display().to_string()]))
                            })
                        });
                    }
                    FormAction::None => {}
                }
            }
            NotesView::ConfirmDelete { id } => {
                let id = *id;
                if command(&key) == Some('y') {
                    self.start_vault_job(Msg::Erasing, now, move |vault, _, _| {
                        vault.remove(id).map_err(|e| vault_error_text(&e))?;
                        Ok(Success::new(UiText::new(Msg::Erased)))
                    });
                } else {
                    notes.view = NotesView::List;
                }
            }
        }
    }

    // ---------------------------------------------------------------- field broker

    fn field_key(&mut self, key: KeyEvent, now: Instant) {
        let (area_w, _) = self.area;
        let Some(session) = &self.session else { return };
        let Some(data) = &session.snap.field else { return };
        let Screen::Main(m) = &mut self.screen else { return };
        let st = &mut m.field;
        let pending: Vec<&lethe_remit::FieldOrder> = data.orders.iter().collect();
        match &mut st.view {
            FieldView::Orders => match (key.code, command(&key)) {
                (KeyCode::Up, _) | (_, Some('k')) => st.selected = st.selected.saturating_sub(1),
                (KeyCode::Down, _) | (_, Some('j')) => {
                    st.selected = (st.selected + 1).min(pending.len().saturating_sub(1))
                }
                (KeyCode::Enter, _) => {
                    if let Some(order) = pending.get(st.selected) {
                        if order.delivered_at.is_some() {
                            self.complain(UiText::with(Msg::ErrAlreadyDelivered, &[&order.code.to_string()]));
                            return;
                        }
                        let amount = lethe_remit::format_number(i128::from(order.amount_minor), order.currency);
                        let mut form = Form::new(vec![
                            Form::text_with(Msg::FieldAmountHanded, 40, &amount),
                            Form::secret(Msg::FieldRecipientAnswer, 200),
                            Form::path(Msg::FieldPhotoOptional),
                            Form::check(Msg::ShredPhoto, true),
                        ])
                        .with_note(Msg::DeliverNote);
                        form.focus = 1;
                        form.info = vec![
                            format!("{}  {}", order.code, order.alias),
                            self.lang.format(Msg::AskQuestion, &[&order.question]),
                        ];
                        st.view = FieldView::Deliver { code: order.code, form };
                    }
                }
                (_, Some('i')) => st.view = FieldView::Inbox(InboxForm::new()),
                (_, Some('m')) => st.view = FieldView::Outbox { selected: 0 },
                (_, Some('p')) => st.view = FieldView::Pairing { qr: false },
                _ => {}
            },
            FieldView::Deliver { code, form } => {
                let code = *code;
                match form.key(&key) {
                    FormAction::Cancel => st.view = FieldView::Orders,
                    FormAction::Submit => {
                        let Some(order) = data.orders.iter().find(|o| o.code == code) else { return };
                        let currency = order.currency;
                        let amount = match form.value(0).trim() {
                            "" => None,
                            text => match lethe_remit::parse_amount(text, currency) {
                                Ok(a) => Some(a),
                                Err(_) => {
                                    self.complain(UiText::new(Msg::ErrAmount));
                                    return;
                                }
                            },
                        };
                        let answer = SecretString::from_text(form.value(1));
                        let photo = form.value(2).trim().to_string();
                        let shred = form.checked(3);
                        form.clear_texts();
                        self.start_vault_job(Msg::Sealing, now, move |vault, progress, abort| {
                            deliver(vault, code, amount, answer.as_str(), &photo, shred, progress, abort)
                        });
                    }
                    FormAction::None => {}
                }
            }
            FieldView::Outbox { selected } => {
                let entries = &data.outbox;
                match (key.code, command(&key)) {
                    (KeyCode::Esc, _) => st.view = FieldView::Orders,
                    (KeyCode::Up, _) => *selected = selected.saturating_sub(1),
                    (KeyCode::Down, _) => *selected = (*selected + 1).min(entries.len().saturating_sub(1)),
                    (KeyCode::Enter, _) | (_, Some('s')) => {
                        self.start_vault_job(Msg::Sealing, now, move |vault, _, _| {
                            let out = lethe_remit::Field::open(vault, now_unix())
                                .and_then(|f| f.send())
                                .map_err(remit_err)?;
                            let text =
                                UiText::with(Msg::ReportsReady, &[&out.items.to_string(), &out.chars().to_string()]);
                            Ok(Success { then: Then::Outgoing(Msg::ReportsTitle, out), ..Success::new(text) })
                        });
                    }
                    (_, Some('x')) => {
                        if let Some((item, _)) = entries.get(*selected).and_then(|e| e.media) {
                            st.view = FieldView::ExportMedia {
                                item,
                                form: Form::new(vec![Form::path(Msg::FieldExportPath)]).with_note(Msg::SealedMediaNote),
                            };
                        }
                    }
                    _ => {}
                }
            }
            FieldView::ExportMedia { item, form } => {
                let item = *item;
                match form.key(&key) {
                    FormAction::Cancel => st.view = FieldView::Outbox { selected: 0 },
                    FormAction::Submit => {
                        let target = PathBuf::from(form.value(0).trim());
                        if target.as_os_str().is_empty() {
                            return;
                        }
                        self.start_media_export_job(target, now, move |vault, w, progress| {
                            let field = lethe_remit::Field::open(vault, now_unix()).map_err(remit_err)?;
                            field.write_media(item, w, &mut |d, t| progress.set(d, t)).map_err(remit_err)?;
                            Ok(())
                        });
                    }
                    FormAction::None => {}
                }
            }
            FieldView::Inbox(inbox) => match inbox_key(inbox, &key, area_w) {
                FormAction::Cancel => st.view = FieldView::Orders,
                FormAction::Submit => {
                    let text = match inbox_text(inbox) {
                        Ok(t) => t,
                        Err(e) => {
                            self.complain(e);
                            return;
                        }
                    };
                    self.start_vault_job(Msg::Verifying, now, move |vault, _, _| {
                        let mut field = lethe_remit::Field::open(vault, now_unix()).map_err(remit_err)?;
                        let message = match field.receive(text.as_str()).map_err(remit_err)? {
                            lethe_remit::Received::Orders { added, already_had, .. } => {
                                UiText::with(Msg::OrdersReceived, &[&added.len().to_string(), &already_had.to_string()])
                            }
                            lethe_remit::Received::Ack { erased, .. } => {
                                UiText::with(Msg::AckReceived, &[&erased.len().to_string()])
                            }
                            _ => UiText::new(Msg::Done),
                        };
                        Ok(Success::new(message))
                    });
                }
                FormAction::None => {}
            },
            FieldView::Pairing { qr } => match (key.code, command(&key)) {
                (KeyCode::Esc, _) => st.view = FieldView::Orders,
                (_, Some('q')) => *qr = !*qr,
                (_, Some('h')) if data.safety_code.is_none() => {
                    st.view =
                        FieldView::PairForm(Form::new(vec![Form::text(Msg::FieldHubKey, 200)]).with_note(Msg::PairNote))
                }
                _ => {}
            },
            FieldView::PairForm(form) => match form.key(&key) {
                FormAction::Cancel => st.view = FieldView::Pairing { qr: false },
                FormAction::Submit => {
                    let key_text = form.value(0).to_string();
                    self.start_vault_job(Msg::Saving, now, move |vault, _, _| {
                        let code = lethe_remit::Field::open(vault, now_unix())
                            .and_then(|mut f| f.pair(&key_text))
                            .map_err(remit_err)?;
                        Ok(Success { then: Then::Pairing, ..Success::new(UiText::with(Msg::Paired, &[&code])) })
                    });
                }
                FormAction::None => {}
            },
        }
    }

    // ---------------------------------------------------------------- hub

    fn hub_key(&mut self, key: KeyEvent, now: Instant) {
        let (area_w, _) = self.area;
        let Some(session) = &self.session else { return };
        let Some(data) = &session.snap.hub else { return };
        let Screen::Main(m) = &mut self.screen else { return };
        let st = &mut m.hub;
        let broker_names: Vec<String> = data.brokers.iter().map(|b| b.name.clone()).collect();
        let visible: Vec<&lethe_remit::HubOrder> = data
            .orders
            .iter()
            .filter(|o| st.broker_filter.as_ref().is_none_or(|b| *b == o.broker) && st.status_filter.keeps(o.status))
            .collect();
        let currencies = || vec!["KRW".to_string(), "CNY".to_string(), "USD".to_string()];
        match &mut st.view {
            HubView::Orders => match (key.code, command(&key)) {
                (KeyCode::Up, _) | (_, Some('k')) => st.selected = st.selected.saturating_sub(1),
                (KeyCode::Down, _) | (_, Some('j')) => {
                    st.selected = (st.selected + 1).min(visible.len().saturating_sub(1))
                }
                (_, Some('o')) => {
                    if broker_names.is_empty() {
                        self.complain(UiText::new(Msg::ErrNoBrokers));
                        return;
                    }
                    let chosen =
                        st.broker_filter.as_ref().and_then(|b| broker_names.iter().position(|n| n == b)).unwrap_or(0);
                    st.view = HubView::NewOrder(
                        Form::new(vec![
                            Form::choice(Msg::FieldBroker, broker_names, chosen),
                            Form::text(Msg::FieldAlias, 64),
                            Form::text(Msg::FieldPlace, 128),
                            Form::text(Msg::FieldAmount, 40),
                            Form::choice(Msg::FieldCurrency, currencies(), 0),
                            Form::text(Msg::FieldFee, 40),
                            Form::text(Msg::FieldDeadline, 20),
                            Form::text(Msg::FieldQuestion, 256),
                            Form::secret(Msg::FieldAnswer, 128),
                        ])
                        .with_note(Msg::OrderNote),
                    );
                }
                (_, Some('m')) => {
                    if broker_names.is_empty() {
                        self.complain(UiText::new(Msg::ErrNoBrokers));
                        return;
                    }
                    let chosen = visible
                        .get(st.selected)
                        .and_then(|o| broker_names.iter().position(|n| *n == o.broker))
                        .unwrap_or(0);
                    st.view = HubView::Send(Form::new(vec![
                        Form::choice(Msg::FieldBroker, broker_names, chosen),
                        Form::check(Msg::FieldResend, false),
                    ]));
                }
                (_, Some('i')) => st.view = HubView::Import(InboxForm::new()),
                (_, Some('f')) => st.view = HubView::ImportMedia(Form::new(vec![Form::path(Msg::FieldMediaFile)])),
                (_, Some('x')) => {
                    if let Some(o) = visible.get(st.selected) {
                        if o.report.as_ref().is_some_and(|r| r.media_imported) {
                            st.view = HubView::ExportMedia {
                                code: o.code,
                                form: Form::new(vec![Form::path(Msg::FieldExportPath)]).with_note(Msg::ExportWarning),
                            };
                        } else {
                            self.complain(UiText::with(Msg::ErrNoMedia, &[&o.code.to_string()]));
                        }
                    }
                }
                (_, Some('l')) => st.view = HubView::Ledger,
                (_, Some('p')) => st.view = HubView::Brokers { qr: false },
                (_, Some('b')) => {
                    st.broker_filter = match &st.broker_filter {
                        None => broker_names.first().cloned(),
                        Some(b) => broker_names.iter().skip_while(|n| *n != b).nth(1).cloned(),
                    };
                    st.selected = 0;
                }
                (_, Some('s')) => {
                    st.status_filter = st.status_filter.next();
                    st.selected = 0;
                }
                _ => {}
            },
            HubView::NewOrder(form) => match form.key(&key) {
                FormAction::Cancel => st.view = HubView::Orders,
                FormAction::Submit => {
                    let broker = broker_names.get(form.chosen(0)).cloned().unwrap_or_default();
                    // The same order form `lethe hub order` reads, so every rule applies.
                    let values = [
                        ("alias", form.value(1)),
                        ("place", form.value(2)),
                        ("amount", form.value(3)),
                        ("currency", ["KRW", "CNY", "USD"][form.chosen(4).min(2)]),
                        ("fee", form.value(5)),
                        ("deadline", form.value(6)),
                        ("question", form.value(7)),
                        ("answer", form.value(8)),
                    ];
                    let mut text = SecretString::default();
                    for (k, v) in values {
                        let line = format!("{k}: {}\n", v.trim());
                        text.insert_str(text.as_str().len(), &line);
                    }
                    let parsed = lethe_remit::OrderForm::parse(text.as_str());
                    drop(text);
                    let order = match parsed {
                        Ok(o) => o,
                        Err(e) => {
                            self.complain(super::remit_errors::text(&lethe_remit::Error::Form(e)));
                            return;
                        }
                    };
                    self.start_vault_job(Msg::Saving, now, move |vault, _, _| {
                        let code = lethe_remit::Hub::open(vault, now_unix())
                            .and_then(|mut h| h.create_order(&broker, &order))
                            .map_err(remit_err)?;
                        Ok(Success::new(UiText::with(Msg::OrderMade, &[&code.to_string()])))
                    });
                }
                FormAction::None => {}
            },
            HubView::Send(form) => match form.key(&key) {
                FormAction::Cancel => st.view = HubView::Orders,
                FormAction::Submit => {
                    let broker = broker_names.get(form.chosen(0)).cloned().unwrap_or_default();
                    let resend = form.checked(1);
                    self.start_vault_job(Msg::Sealing, now, move |vault, _, _| {
                        let out = lethe_remit::Hub::open(vault, now_unix())
                            .and_then(|mut h| h.send_orders(&broker, resend))
                            .map_err(remit_err)?;
                        let text = UiText::with(Msg::OrdersReady, &[&out.items.to_string(), &out.chars().to_string()]);
                        Ok(Success { then: Then::Outgoing(Msg::OrdersTitle, out), ..Success::new(text) })
                    });
                }
                FormAction::None => {}
            },
            HubView::Import(inbox) => match inbox_key(inbox, &key, area_w) {
                FormAction::Cancel => st.view = HubView::Orders,
                FormAction::Submit => {
                    let text = match inbox_text(inbox) {
                        Ok(t) => t,
                        Err(e) => {
                            self.complain(e);
                            return;
                        }
                    };
                    self.start_vault_job(Msg::Verifying, now, move |vault, _, _| {
                        let receipt = lethe_remit::Hub::open(vault, now_unix())
                            .and_then(|mut h| h.receive(text.as_str()))
                            .map_err(remit_err)?;
                        let message = UiText::with(Msg::ReportsImported, &[&receipt.results.len().to_string()]);
                        Ok(Success { then: Then::Receipt(receipt), ..Success::new(message) })
                    });
                }
                FormAction::None => {}
            },
            HubView::Results(receipt) => match key.code {
                KeyCode::Enter => {
                    m.outgoing = Some(OutgoingView {
                        title: Msg::AckTitle,
                        out: receipt.ack.clone(),
                        qr: false,
                        scroll: 0,
                        save: None,
                    });
                }
                KeyCode::Esc => st.view = HubView::Orders,
                _ => {}
            },
            HubView::Ledger => match (key.code, command(&key)) {
                (KeyCode::Esc, _) => st.view = HubView::Orders,
                (_, Some('v')) => {
                    if broker_names.is_empty() {
                        self.complain(UiText::new(Msg::ErrNoBrokers));
                        return;
                    }
                    st.view = HubView::Advance(Form::new(vec![
                        Form::choice(Msg::FieldBroker, broker_names, 0),
                        Form::text(Msg::FieldAmount, 40),
                        Form::choice(Msg::FieldCurrency, currencies(), 0),
                    ]));
                }
                _ => {}
            },
            HubView::Advance(form) => match form.key(&key) {
                FormAction::Cancel => st.view = HubView::Ledger,
                FormAction::Submit => {
                    let broker = broker_names.get(form.chosen(0)).cloned().unwrap_or_default();
                    let currency = [lethe_remit::Currency::Krw, lethe_remit::Currency::Cny, lethe_remit::Currency::Usd]
                        [form.chosen(2).min(2)];
                    let amount = match lethe_remit::parse_amount(form.value(1), currency) {
                        Ok(a) => a,
                        Err(_) => {
                            self.complain(UiText::new(Msg::ErrAmount));
                            return;
                        }
                    };
                    self.start_vault_job(Msg::Saving, now, move |vault, _, _| {
                        lethe_remit::Hub::open(vault, now_unix())
                            .and_then(|mut h| h.record_advance(&broker, amount, currency))
                            .map_err(remit_err)?;
                        Ok(Success::new(UiText::with(
                            Msg::AdvanceRecorded,
                            &[&lethe_remit::format_amount(amount, currency), &broker],
                        )))
                    });
                }
                FormAction::None => {}
            },
            HubView::Brokers { qr } => match (key.code, command(&key)) {
                (KeyCode::Esc, _) => st.view = HubView::Orders,
                (_, Some('q')) => *qr = !*qr,
                (_, Some('a')) => {
                    st.view = HubView::AddBroker(
                        Form::new(vec![Form::text(Msg::FieldBrokerName, 32), Form::text(Msg::FieldBrokerKey, 200)])
                            .with_note(Msg::PairNote),
                    )
                }
                _ => {}
            },
            HubView::AddBroker(form) => match form.key(&key) {
                FormAction::Cancel => st.view = HubView::Brokers { qr: false },
                FormAction::Submit => {
                    let name = form.value(0).trim().to_string();
                    let key_text = form.value(1).to_string();
                    self.start_vault_job(Msg::Saving, now, move |vault, _, _| {
                        let broker = lethe_remit::Hub::open(vault, now_unix())
                            .and_then(|mut h| h.add_broker(&name, &key_text))
                            .map_err(remit_err)?;
                        Ok(Success {
                            then: Then::Pairing,
                            ..Success::new(UiText::with(Msg::BrokerPaired, &[&broker.name, &broker.safety_code]))
                        })
                    });
                }
                FormAction::None => {}
            },
            HubView::ExportMedia { code, form } => {
                let code = *code;
                match form.key(&key) {
                    FormAction::Cancel => st.view = HubView::Orders,
                    FormAction::Submit => {
                        let target = PathBuf::from(form.value(0).trim());
                        if target.as_os_str().is_empty() {
                            return;
                        }
                        self.start_media_export_job(target, now, move |vault, w, progress| {
                            let hub = lethe_remit::Hub::open(vault, now_unix()).map_err(remit_err)?;
                            hub.export_media(code, w, &mut |d, t| progress.set(d, t)).map_err(remit_err)?;
                            Ok(())
                        });
                    }
                    FormAction::None => {}
                }
            }
            HubView::ImportMedia(form) => match form.key(&key) {
                FormAction::Cancel => st.view = HubView::Orders,
                FormAction::Submit => {
                    let source = PathBuf::from(form.value(0).trim());
                    if source.as_os_str().is_empty() {
                        return;
                    }
                    self.start_vault_job(Msg::Importing, now, move |vault, progress, abort| {
                        let file = std::fs::File::open(&source).map_err(|e| io_error_text(&e))?;
                        let reader = AbortableSeek { inner: file, abort };
                        let imported = lethe_remit::Hub::open(vault, now_unix())
                            .and_then(|mut h| h.import_media(reader, &mut |d, t| progress.set(d, t)))
                            .map_err(remit_err)?;
                        Ok(Success::new(UiText::with(
                            Msg::MediaImported,
                            &[&imported.code.to_string(), &super::view::human_size(imported.len)],
                        )))
                    });
                }
                FormAction::None => {}
            },
        }
    }

    // ---------------------------------------------------------------- settings

    /// The rows the settings screen has for this compartment.
    pub fn setting_rows(&self) -> Vec<SettingRow> {
        let mut rows = vec![SettingRow::Language, SettingRow::IdleLock, SettingRow::Camouflage];
        if let Some(s) = self.snap() {
            if s.field.is_some() {
                rows.push(SettingRow::Retention);
            } else {
                rows.push(SettingRow::SetUpField);
            }
            if s.hub.is_none() {
                rows.push(SettingRow::SetUpHub);
            }
        }
        rows.push(SettingRow::Hide);
        rows
    }

    fn settings_key(&mut self, key: KeyEvent, now: Instant) {
        let rows = self.setting_rows();
        let retention = self.snap().and_then(|s| s.field.as_ref()).map(|f| f.retention_days);
        let kdf = self.container.kdf();
        let Some(session) = &mut self.session else { return };
        let Screen::Main(m) = &mut self.screen else { return };
        let st = &mut m.settings;
        if let Some(form) = &mut st.hide_form {
            match form.key(&key) {
                FormAction::Cancel => st.hide_form = None,
                FormAction::Submit => {
                    if form.value(0).is_empty() {
                        self.status = Some(Status { text: UiText::new(Msg::ErrEmptyPassphrase), error: true });
                    } else if form.value(0) != form.value(1) {
                        form.clear_texts();
                        form.focus = 0;
                        self.status = Some(Status { text: UiText::new(Msg::ErrPassphrasesDiffer), error: true });
                    } else {
                        let new = Passphrase::new(form.value(0).as_bytes());
                        form.clear_texts();
                        self.start_vault_job(Msg::Hiding, now, move |vault, _, _| {
                            vault.hide(&new, kdf).map_err(|e| vault_error_text(&e))?;
                            Ok(Success::new(UiText::new(Msg::HiddenMade)))
                        });
                    }
                }
                FormAction::None => {}
            }
            return;
        }
        let forward = !matches!(key.code, KeyCode::Left);
        let row = rows.get(st.selected).copied();
        let mut changed = false;
        let mut job: Option<Box<VaultWork>> = None;
        match key.code {
            KeyCode::Up => st.selected = st.selected.saturating_sub(1),
            KeyCode::Down => st.selected = (st.selected + 1).min(rows.len() - 1),
            KeyCode::Left | KeyCode::Right | KeyCode::Enter | KeyCode::Char(' ') => match row {
                Some(SettingRow::Language) => {
                    let s = &mut session.snap.settings;
                    s.lang = if forward { s.lang.next() } else { s.lang.prev() };
                    changed = true;
                }
                Some(SettingRow::IdleLock) => {
                    let s = &mut session.snap.settings;
                    s.idle_lock_secs = s.next_idle_lock(forward);
                    changed = true;
                }
                Some(SettingRow::Camouflage) => {
                    session.snap.settings.camouflage = !session.snap.settings.camouflage;
                    changed = true;
                }
                Some(SettingRow::Retention) => {
                    const CHOICES: [u32; 7] = [1, 2, 3, 7, 14, 30, 90];
                    let current = retention.unwrap_or(7);
                    let pos = CHOICES.iter().position(|&c| c >= current).unwrap_or(3);
                    let days = if forward {
                        CHOICES[(pos + 1).min(CHOICES.len() - 1)]
                    } else {
                        CHOICES[pos.saturating_sub(1)]
                    };
                    job = Some(Box::new(move |vault: &mut DynVault, _: &JobProgress, _: &AtomicBool| {
                        let erased = lethe_remit::Field::open(vault, now_unix())
                            .and_then(|mut f| f.set_retention_days(days))
                            .map_err(remit_err)?;
                        Ok(Success::new(UiText::with(
                            Msg::RetentionSet,
                            &[&days.to_string(), &(erased.orders + erased.reports).to_string()],
                        )))
                    }));
                }
                Some(SettingRow::SetUpField) | Some(SettingRow::SetUpHub) if key.code == KeyCode::Enter => {
                    let hub = row == Some(SettingRow::SetUpHub);
                    job = Some(Box::new(move |vault: &mut DynVault, _: &JobProgress, _: &AtomicBool| {
                        let now = now_unix();
                        if hub {
                            lethe_remit::Hub::init(vault, now).map_err(remit_err)?;
                        } else {
                            lethe_remit::Field::init(vault, now).map_err(remit_err)?;
                        }
                        Ok(Success::new(UiText::new(if hub { Msg::HubReady } else { Msg::FieldReady })))
                    }));
                }
                Some(SettingRow::Hide) if key.code == KeyCode::Enter => {
                    st.hide_form = Some(
                        Form::new(vec![
                            Form::secret(Msg::FieldNewPassphrase, MAX_PASSPHRASE_CHARS),
                            Form::secret(Msg::FieldRepeatPassphrase, MAX_PASSPHRASE_CHARS),
                        ])
                        .with_note(Msg::HideExplain),
                    );
                }
                _ => {}
            },
            _ => {}
        }
        if changed {
            self.lang = session.snap.settings.lang;
            self.camouflage = session.snap.settings.camouflage;
            if let Some(vault) = &mut session.vault {
                match session.snap.settings.save(vault, session.snap.settings_id) {
                    Ok(id) => {
                        session.snap.settings_id = Some(id);
                        self.status = Some(Status { text: UiText::new(Msg::SettingsSaved), error: false });
                    }
                    Err(e) => self.status = Some(Status { text: vault_error_text(&e), error: true }),
                }
            }
        }
        if let Some(work) = job {
            self.start_vault_job(Msg::Saving, now, work);
        }
    }

    /// Moves the vault into a worker thread for `work`; it comes back with the outcome
    /// and a fresh snapshot.
    /// Writes sealed media (field outbox or hub orders) to a new file at `target` as a vault
    /// job: `write` produces the bytes; the file is never overwritten and is removed on failure.
    fn start_media_export_job<W>(&mut self, target: PathBuf, now: Instant, write: W)
    where
        W: FnOnce(&mut DynVault, &mut WatchedWriter<'_, std::fs::File>, &JobProgress) -> Result<(), UiText>
            + Send
            + 'static,
    {
        self.start_vault_job(Msg::Exporting, now, move |vault, progress, abort| {
            write_new_file(&target, abort, |w| write(vault, w, progress))?;
            Ok(Success::new(UiText::with(Msg::Exported, &[&target.display().to_string()])))
        });
    }

    fn start_vault_job<F>(&mut self, label: Msg, now: Instant, work: F)
    where
        F: FnOnce(&mut DynVault, &JobProgress, &AtomicBool) -> JobOutcome + Send + 'static,
    {
        let Some(session) = &mut self.session else { return };
        let Some(mut vault) = session.vault.take() else { return };
        self.job = Some(Job::spawn(label, now, move |progress, abort| {
            let outcome = work(&mut vault, progress, abort);
            let snap = Snapshot::load(&mut vault);
            JobDone::WithVault(vault, snap, outcome)
        }));
    }
}

fn export_form() -> Form {
    Form::new(vec![Form::path(Msg::FieldExportPath)]).with_note(Msg::ExportWarning)
}

fn paste_inbox(inbox: &mut InboxForm, text: &str) {
    if inbox.focus == 0 {
        inbox.text.insert_str(text);
    } else {
        inbox.path.insert_str(text.trim());
    }
}

/// Keys of the paste-or-load form: Tab switches between the text and the path, Ctrl-S
/// (or Enter in the path field) reads the message, Esc goes back.
fn inbox_key(inbox: &mut InboxForm, key: &KeyEvent, width: usize) -> FormAction {
    if key.code == KeyCode::Esc {
        return FormAction::Cancel;
    }
    if ctrl(key, 's') {
        return FormAction::Submit;
    }
    if matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
        inbox.focus = 1 - inbox.focus;
        return FormAction::None;
    }
    if inbox.focus == 1 && key.code == KeyCode::Enter {
        return FormAction::Submit;
    }
    if let Some(k) = edit_key(key) {
        if inbox.focus == 0 {
            inbox.text.edit(&k, width);
        } else {
            inbox.path.edit(&k);
        }
    }
    FormAction::None
}

/// The message of the inbox form: the file named in the path field, or the pasted text.
fn inbox_text(inbox: &InboxForm) -> Result<SecretString, UiText> {
    if !inbox.path.text().trim().is_empty() {
        return read_message_file(inbox.path.text()).map(|t| SecretString::from_text(&t));
    }
    if inbox.text.is_empty() {
        return Err(UiText::new(Msg::ErrNoMessage));
    }
    Ok(SecretString::from_text(inbox.text.text()))
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    line.chars().take(40).collect()
}

fn open_item(session: &Session, id: ItemId) -> Option<NotesView> {
    let vault = session.vault.as_ref()?;
    let info = session.snap.items.iter().find(|i| i.id == id)?;
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
    progress: &JobProgress,
    abort: &AtomicBool,
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
    let message = if shred { shred_message(source, UiText::new(Msg::Imported)) } else { UiText::new(Msg::Imported) };
    Ok(Success { select: Some(id), ..Success::new(message) })
}

/// Shreds a source file after it went into the vault, and says how that went.
fn shred_message(source: &std::path::Path, done: UiText) -> UiText {
    let msg = match crate::fsutil::shred_file(source) {
        Ok(report) if report.copy_on_write.is_some() => Msg::DoneShredCow,
        Ok(_) => Msg::DoneShredded,
        Err(_) => Msg::DoneShredFailed,
    };
    UiText { msg, args: vec![Arg::Nested(Box::new(done))] }
}

#[allow(clippy::too_many_arguments)]
fn deliver(
    vault: &mut DynVault,
    code: lethe_remit::OrderCode,
    amount: Option<u64>,
    answer: &str,
    photo: &str,
    shred: bool,
    progress: &JobProgress,
    abort: &AtomicBool,
) -> JobOutcome {
    use lethe_remit::{Delivery, DeliveryMedia};
    let mut field = lethe_remit::Field::open(vault, now_unix()).map_err(remit_err)?;
    let mut progress_fn = |d: u64, t: u64| progress.set(d, t);
    let delivered = if photo.is_empty() {
        field.deliver(Delivery { code, amount_minor: amount, answer, media: None }, &mut progress_fn)
    } else {
        let path = std::path::Path::new(photo);
        let meta = std::fs::metadata(path).map_err(|e| io_error_text(&e))?;
        if !meta.is_file() {
            return Err(UiText::new(Msg::ErrNotAFile));
        }
        let mut file = std::fs::File::open(path).map_err(|e| io_error_text(&e))?;
        let mut head = [0u8; 3];
        let is_jpeg = std::io::Read::read_exact(&mut file, &mut head).is_ok() && head == [0xFF, 0xD8, 0xFF];
        if is_jpeg {
            let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| io_error_text(&e))?);
            field.deliver(
                Delivery { code, amount_minor: amount, answer, media: Some(DeliveryMedia::Jpeg(&bytes)) },
                &mut progress_fn,
            )
        } else {
            let file = std::fs::File::open(path).map_err(|e| io_error_text(&e))?;
            let mut reader = WatchedReader { inner: file, progress, abort, done: 0, total: meta.len() };
            field.deliver(
                Delivery {
                    code,
                    amount_minor: amount,
                    answer,
                    media: Some(DeliveryMedia::Unstripped { reader: &mut reader, len: meta.len() }),
                },
                &mut progress_fn,
            )
        }
    }
    .map_err(remit_err)?;
    let amount = lethe_remit::format_amount(delivered.amount_minor, delivered.currency);
    let done = UiText::with(if photo.is_empty() { Msg::Delivered } else { Msg::DeliveredWithMedia }, &[&amount]);
    let message = if shred && !photo.is_empty() { shred_message(std::path::Path::new(photo), done) } else { done };
    Ok(Success::new(message))
}

/// A file for `import_media` that stops when the job is told to abort.
struct AbortableSeek<'a> {
    inner: std::fs::File,
    abort: &'a AtomicBool,
}

impl std::io::Read for AbortableSeek<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.abort.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("cancelled"));
        }
        self.inner.read(buf)
    }
}

impl std::io::Seek for AbortableSeek<'_> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}
