//! The app: which screen is up, the open session, the running job, and the keys that work
//! everywhere (the panic chord, quit, lock, tabs). Each screen's own keys and drawing are
//! in [`super::screens`]. No terminal here: `App` takes key events and the current time,
//! and `view` draws it, so tests drive it with a `TestBackend`.
//!
//! Every operation on the vault runs as a [`Job`] on a worker thread (the vault moves
//! there and comes back with a fresh [`Snapshot`]); the rules themselves are all in
//! lethe-vault and lethe-remit.

use super::container::{Container, DynVault, KeyMark};
use super::errors::vault_error_text;
use super::i18n::{Lang, Msg};
use super::jobs::{Job, JobDone, JobOutcome, JobProgress, Poll, Session, Success, Then};
use super::keys::ctrl;
use super::screens::create::{CreateAction, CreateView};
use super::screens::field::FieldState;
use super::screens::hub::HubState;
use super::screens::lock::{UnlockAction, UnlockView};
use super::screens::notes::{NotesState, NotesView};
use super::screens::outgoing::OutgoingView;
use super::screens::settings::SettingsState;
use super::screens::{Ctx, Effects, Tab};
use super::snapshot::Snapshot;
use super::texts::{Status, UiText};
use lethe_vault::ItemId;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
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
/// How often the open app looks whether the container's keys were destroyed from outside
/// (it also looks before every key it handles and around every job).
pub const KEY_CHECK_EVERY: Duration = Duration::from_secs(1);

pub enum Screen {
    Unlock(UnlockView),
    /// Making a container: at first start, or a new notebook after a panic.
    Create(CreateView),
    Main(Box<MainView>),
    /// After the panic chord: an ordinary-looking empty notes screen.
    Wiped,
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

impl MainView {
    fn new(tab: Tab) -> MainView {
        MainView {
            tab,
            notes: NotesState::new(),
            field: FieldState::new(),
            hub: HubState::new(),
            settings: SettingsState::new(),
            outgoing: None,
        }
    }

    /// True while a text field or form has the keyboard.
    pub fn in_form(&self) -> bool {
        if let Some(o) = &self.outgoing {
            return o.save.is_some();
        }
        match self.tab {
            Tab::Notes => self.notes.in_form(),
            Tab::Field => self.field.in_form(),
            Tab::Hub => self.hub.in_form(),
            Tab::Settings => self.settings.in_form(),
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
    last_key_check: Instant,
    pub quit: bool,
    /// Width and height of the body, set by the terminal loop (text areas wrap to it).
    pub area: (usize, usize),
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
            last_key_check: now,
            quit: false,
            area: (60, 10),
        }
    }

    /// The app at first start: there is no container at `path` yet; it offers to make one.
    pub fn first_start(container: Arc<dyn Container>, path: String, now: Instant) -> App {
        let mut app = App::new(container, now);
        app.screen = Screen::Create(CreateView::first_start(path));
        app
    }

    /// The size of the container file, for the lock screen.
    pub fn container_len(&self) -> Option<u64> {
        self.container.existing_len()
    }

    pub fn is_unlocked(&self) -> bool {
        self.session.is_some()
    }

    pub fn snap(&self) -> Option<&Snapshot> {
        self.session.as_ref().map(|s| &s.snap)
    }

    /// What the screens read: the language, the open compartment, the body's width.
    pub fn ctx(&self) -> Option<Ctx<'_>> {
        let session = self.session.as_ref()?;
        Some(Ctx { lang: self.lang, snap: &session.snap, vault: session.vault.as_ref(), width: self.area.0 })
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
        match &mut self.screen {
            Screen::Unlock(u) => u.paste(text),
            Screen::Create(c) => c.paste(text),
            Screen::Main(m) => {
                if let Some(o) = &mut m.outgoing {
                    o.paste(text);
                    return;
                }
                match m.tab {
                    Tab::Notes => m.notes.paste(text),
                    Tab::Field => m.field.paste(text),
                    Tab::Hub => m.hub.paste(text),
                    Tab::Settings => m.settings.paste(text),
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
            Screen::Unlock(_) => self.unlock_key(&key, now),
            Screen::Create(_) => self.create_key(&key, now),
            Screen::Main(_) => self.main_key(&key, now),
            // The notes app's only key after a panic: a new, empty notebook in the same file.
            Screen::Wiped => {
                if super::keys::command(&key) == Some('n') {
                    self.screen = Screen::Create(CreateView::after_panic());
                }
            }
        }
    }

    /// False if the container's keys changed since it was opened (or cannot be read):
    /// something outside the app, such as `lethe panic`, destroyed them.
    fn keys_intact(&self) -> bool {
        self.session.as_ref().is_none_or(|s| self.container.key_mark().is_ok_and(|m| m == s.mark))
    }

    /// The container's keys were destroyed from outside: drop everything and lock, saying
    /// why (nothing typed from now on could be kept).
    fn keys_gone(&mut self) {
        self.session = None;
        self.screen = Screen::Unlock(UnlockView::new());
        self.complain(UiText::new(Msg::ErrContainerChanged));
    }

    /// Called every frame: finished jobs, idle lock, keys destroyed from outside.
    pub fn tick(&mut self, now: Instant) {
        if let Some(job) = &self.job {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(done) => {
                    self.job = None;
                    self.finish_job(*done);
                }
                Poll::Lost => {
                    self.job = None;
                    self.job_lost();
                }
            }
        }
        if self.job.is_none() && self.session.is_some() && now.duration_since(self.last_key_check) >= KEY_CHECK_EVERY {
            self.last_key_check = now;
            if !self.keys_intact() {
                self.keys_gone();
                return;
            }
        }
        if self.job.is_none() && now.duration_since(self.last_input) >= self.idle_limit() {
            match &mut self.screen {
                Screen::Main(_) => self.lock(),
                Screen::Unlock(u) if !u.pass.is_empty() => u.pass.clear(),
                Screen::Create(c) => {
                    c.pass.clear();
                    c.again.clear();
                }
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
        if matches!(self.screen, Screen::Wiped) {
            // The worker died after the panic chord: wipe again in case it wrote first.
            let _ = self.container.wipe();
            return;
        }
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
            JobDone::KeysGone => self.keys_gone(),
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

    fn finish_unlock(&mut self, result: lethe_vault::Result<(DynVault, Snapshot, KeyMark)>) {
        match result {
            Ok((mut vault, mut snap, mark)) => {
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
                self.session = Some(Session { vault: Some(vault), snap, mark });
                self.screen = Screen::Main(Box::new(MainView::new(tab)));
                self.status = None;
                if let Some(p) = problem {
                    self.complain(p);
                } else if erased.orders + erased.reports > 0 && !self.camouflage {
                    self.say(UiText::with(Msg::RetentionErased, &[&(erased.orders + erased.reports).to_string()]));
                }
            }
            Err(e) => match &mut self.screen {
                Screen::Unlock(u) => u.error = Some(vault_error_text(&e)),
                Screen::Create(c) => c.error = Some(vault_error_text(&e)),
                _ => {}
            },
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
                    Tab::Notes => m.notes.back(),
                    Tab::Field => m.field.back(),
                    Tab::Hub => m.hub.back(),
                    Tab::Settings => m.settings.back(),
                }
                if let Some(id) = select {
                    m.notes.select(&item_ids, id);
                }
                match then {
                    Then::List => {}
                    Then::Outgoing(title, out) => m.outgoing = Some(OutgoingView::new(title, out)),
                    Then::Receipt(r) => m.hub.show_results(r),
                    Then::Pairing => match m.tab {
                        Tab::Hub => m.hub.show_brokers(),
                        _ => m.field.show_pairing(),
                    },
                    Then::PairText { title, text, code } => match m.tab {
                        Tab::Hub => m.hub.show_pair_text(title, text),
                        _ => m.field.show_pair_text(title, text, code),
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

    fn unlock_key(&mut self, key: &KeyEvent, now: Instant) {
        let Screen::Unlock(u) = &mut self.screen else { return };
        match u.key(key) {
            UnlockAction::None => {}
            UnlockAction::NextLanguage => self.lang = self.lang.next(),
            UnlockAction::Open(passphrase) => {
                let container = self.container.clone();
                self.job = Some(Job::spawn(Msg::Opening, now, move |_, _| {
                    JobDone::Opened(container.open(&passphrase).and_then(|mut vault| {
                        let mark = container
                            .key_mark()
                            .map_err(|source| lethe_vault::Error::Io { context: "reading the container", source })?;
                        let snap = Snapshot::load(&mut vault);
                        Ok((vault, snap, mark))
                    }))
                }));
            }
        }
    }

    fn create_key(&mut self, key: &KeyEvent, now: Instant) {
        let Screen::Create(c) = &mut self.screen else { return };
        match c.key(key) {
            CreateAction::None => {}
            CreateAction::NextLanguage => self.lang = self.lang.next(),
            CreateAction::Create(len, passphrase) => {
                let container = self.container.clone();
                self.job = Some(Job::spawn(Msg::Creating, now, move |progress, _| {
                    let made = container.create(len, &passphrase, &mut |done, total| progress.set(done, total));
                    JobDone::Opened(made.and_then(|mut vault| {
                        let mark = container
                            .key_mark()
                            .map_err(|source| lethe_vault::Error::Io { context: "reading the container", source })?;
                        let snap = Snapshot::load(&mut vault);
                        Ok((vault, snap, mark))
                    }))
                }));
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

    /// The rows the settings screen has for this compartment.
    #[cfg(test)]
    pub fn setting_rows(&self) -> Vec<super::screens::settings::SettingRow> {
        let Screen::Main(m) = &self.screen else { return Vec::new() };
        self.snap().map(|s| super::screens::settings::rows(s, m.settings.extra)).unwrap_or_default()
    }

    fn main_key(&mut self, key: &KeyEvent, now: Instant) {
        // Every key may write (a setting is saved at once): look first.
        if !self.keys_intact() {
            self.keys_gone();
            return;
        }
        let Screen::Main(m) = &self.screen else { return };
        let tab = m.tab;
        let mut fx = Effects::default();
        if m.outgoing.is_some() {
            let Screen::Main(m) = &mut self.screen else { return };
            if let Some(o) = &mut m.outgoing
                && !o.key(key, &mut fx)
            {
                m.outgoing = None;
            }
            self.apply(fx, now);
            return;
        }
        if !m.in_form() && matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            let next = self.next_tab(tab, key.code == KeyCode::Tab);
            let Screen::Main(m) = &mut self.screen else { return };
            m.tab = next;
            m.settings.leave();
            if matches!(m.notes.view, NotesView::ConfirmDelete { .. }) {
                m.notes.back();
            }
            return;
        }
        let Some(session) = &mut self.session else { return };
        let Screen::Main(m) = &mut self.screen else { return };
        if tab == Tab::Settings {
            m.settings.key(key, session, self.container.kdf(), &mut fx);
            self.lang = session.snap.settings.lang;
            self.camouflage = session.snap.settings.camouflage;
        } else {
            let cx = Ctx { lang: self.lang, snap: &session.snap, vault: session.vault.as_ref(), width: self.area.0 };
            match tab {
                Tab::Notes => m.notes.key(key, &cx, &mut fx),
                Tab::Field => m.field.key(key, &cx, &mut fx),
                Tab::Hub => m.hub.key(key, &cx, &mut fx),
                Tab::Settings => {}
            }
        }
        self.apply(fx, now);
    }

    /// Carries out what a screen asked for.
    fn apply(&mut self, fx: Effects, now: Instant) {
        if let Some(status) = fx.status {
            self.status = Some(status);
        }
        if let Some(out) = fx.outgoing
            && let Screen::Main(m) = &mut self.screen
        {
            m.outgoing = Some(out);
        }
        if let Some((label, work)) = fx.job {
            self.start_vault_job(label, now, work);
        }
    }

    /// Moves the vault into a worker thread for `work`; it comes back with the outcome
    /// and a fresh snapshot.
    fn start_vault_job<F>(&mut self, label: Msg, now: Instant, work: F)
    where
        F: FnOnce(&mut DynVault, &JobProgress, &AtomicBool) -> JobOutcome + Send + 'static,
    {
        let Some(session) = &mut self.session else { return };
        let Some(mut vault) = session.vault.take() else { return };
        let (container, mark) = (self.container.clone(), session.mark);
        let intact = move || container.key_mark().is_ok_and(|m| m == mark);
        self.job = Some(Job::spawn(label, now, move |progress, abort| {
            // Before the work writes anything, and again after it, before it is reported
            // as done: keys destroyed from outside mean nothing it wrote can be read again.
            if !intact() {
                return JobDone::KeysGone;
            }
            let outcome = work(&mut vault, progress, abort);
            if !intact() {
                return JobDone::KeysGone;
            }
            let snap = Snapshot::load(&mut vault);
            JobDone::WithVault(vault, snap, outcome)
        }));
    }
}
