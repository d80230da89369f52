//! The screens of the unlocked app, one module each: it owns its state, its keys and its
//! drawing. A screen reads the compartment through [`Ctx`] and asks the app for work on
//! the vault, a status line or a message to show through [`Effects`]; it never sees the
//! app itself (imports go one way: the app → screens → shared pieces).

pub mod create;
pub mod field;
pub mod hub;
pub mod hub_draw;
pub mod lock;
pub mod notes;
pub mod outgoing;
pub mod settings;

use super::container::DynVault;
use super::files::write_new_file;
use super::i18n::{Lang, Msg};
use super::jobs::{Abortable, JobOutcome, JobProgress, Success, VaultWork};
use super::snapshot::Snapshot;
use super::texts::{Status, UiText};
use lethe_vault::WriteBehind;
use outgoing::OutgoingView;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Notes,
    Field,
    Hub,
    Settings,
}

impl Tab {
    pub fn name(self) -> Msg {
        match self {
            Tab::Notes => Msg::TabNotes,
            Tab::Field => Msg::TabField,
            Tab::Hub => Msg::TabHub,
            Tab::Settings => Msg::TabSettings,
        }
    }
}

/// What a screen reads while it handles a key or draws.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub snap: &'a Snapshot,
    /// The open vault (None while a job has it).
    pub vault: Option<&'a DynVault>,
    /// Width of the body (text areas wrap to it).
    pub width: usize,
}

impl Ctx<'_> {
    pub fn tr(&self, msg: Msg) -> &'static str {
        self.lang.tr(msg)
    }
}

/// What a screen asks the app to do after a key.
#[derive(Default)]
pub struct Effects {
    pub status: Option<Status>,
    /// Work on the vault, run on a worker thread, with the label of its progress bar.
    pub job: Option<(Msg, Box<VaultWork>)>,
    /// A message to show over the current screen.
    pub outgoing: Option<OutgoingView>,
}

impl Effects {
    pub fn say(&mut self, text: UiText) {
        self.status = Some(Status { text, error: false });
    }

    pub fn complain(&mut self, text: UiText) {
        self.status = Some(Status { text, error: true });
    }

    /// Runs `work` on the vault as a job.
    pub fn run<F>(&mut self, label: Msg, work: F)
    where
        F: FnOnce(&mut DynVault, &JobProgress, &AtomicBool) -> JobOutcome + Send + 'static,
    {
        self.job = Some((label, Box::new(work)));
    }

    /// Writes media (sealed from the field outbox, plain from hub orders) to a new file at
    /// `target` as a vault job: `write` produces the bytes; the file is never overwritten and
    /// is removed on failure; `done` says that the file now exists and how to remove it.
    pub fn export_media<W>(&mut self, target: PathBuf, done: Msg, write: W)
    where
        W: FnOnce(&mut DynVault, &mut Abortable<'_, &mut WriteBehind>, &JobProgress) -> Result<(), UiText>
            + Send
            + 'static,
    {
        self.run(Msg::Exporting, move |vault, progress, abort| {
            write_new_file(&target, abort, |w| write(vault, w, progress))?;
            Ok(Success::new(UiText::with(done, &[&target.display().to_string()])))
        });
    }
}

/// The current time for the remittance layer.
pub fn now_unix() -> u64 {
    lethe_remit::time::now_unix()
}

/// The remittance layer's error in the user's language.
pub fn remit_err(e: lethe_remit::Error) -> UiText {
    super::errors::remit_error_text(&e)
}
