//! Work that may take longer than a frame (Argon2 unlock, importing, exporting, erasing)
//! runs on a worker thread so the screen keeps drawing and the panic chord keeps working.
//! The open vault moves into the job and comes back with the result.

use super::container::{DynVault, KeyMark};
use super::errors::Cancelled;
use super::i18n::Msg;
use super::snapshot::Snapshot;
use super::texts::UiText;
use lethe_remit::{Outgoing, Receipt};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

/// Bytes done and total of a running job (total 0: unknown).
#[derive(Default)]
pub struct JobProgress {
    done: AtomicU64,
    total: AtomicU64,
}

impl JobProgress {
    pub fn set(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Fraction done, if the total is known.
    pub fn fraction(&self) -> Option<f64> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0))
    }
}

/// What a job hands back.
pub enum JobDone {
    /// An unlock attempt, with what the screens show of the opened compartment and the
    /// container's key mark right after it opened.
    Opened(lethe_vault::Result<(DynVault, Snapshot, KeyMark)>),
    /// Work on the open vault, which comes back with the outcome and a fresh snapshot.
    WithVault(DynVault, Snapshot, JobOutcome),
    /// The container's keys were destroyed from outside (before or while the work ran):
    /// the vault and whatever the work did are dropped.
    KeysGone,
}

pub type JobOutcome = Result<Success, UiText>;

/// Work on the open vault, run by a job.
pub type VaultWork = dyn FnOnce(&mut DynVault, &JobProgress, &AtomicBool) -> JobOutcome + Send;

/// What the unlocked app holds. Dropped (vault, plaintext) on lock and on panic.
pub struct Session {
    /// `None` while a job has the vault.
    pub vault: Option<DynVault>,
    pub snap: Snapshot,
    /// The container's key mark when it was opened: if it changes, something outside the
    /// app destroyed the keys (`lethe panic`), and the app locks.
    pub mark: KeyMark,
}

/// What to show after a job succeeded.
pub enum Then {
    /// Back to the list the form came from.
    List,
    /// A message to send (orders, reports, an acknowledgement), with its title.
    Outgoing(Msg, Outgoing),
    /// The hub's verification results, then the acknowledgement to send back.
    Receipt(Receipt),
    /// The keys and pairings screen of the current role (after pairing).
    Pairing,
    /// A pairing text to send to the other side (a step of remote pairing), with its
    /// title and, once both keys are known, the code to read aloud.
    PairText { title: Msg, text: String, code: Option<String> },
}

/// A finished operation: what to say, which item to select, what to show next.
pub struct Success {
    pub message: UiText,
    pub select: Option<lethe_vault::ItemId>,
    pub then: Then,
}

impl Success {
    pub fn new(message: UiText) -> Success {
        Success { message, select: None, then: Then::List }
    }
}

pub struct Job {
    pub label: Msg,
    pub started: Instant,
    pub progress: Arc<JobProgress>,
    pub abort: Arc<AtomicBool>,
    rx: Receiver<JobDone>,
}

impl Job {
    pub fn spawn<F>(label: Msg, now: Instant, work: F) -> Job
    where
        F: FnOnce(&JobProgress, &AtomicBool) -> JobDone + Send + 'static,
    {
        let progress = Arc::new(JobProgress::default());
        let abort = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let (p, a) = (progress.clone(), abort.clone());
        std::thread::spawn(move || {
            let done = work(&p, &a);
            // The app may have gone (quit): then the result is simply dropped.
            let _ = tx.send(done);
        });
        Job { label, started: now, progress, abort, rx }
    }

    /// Whether the job has finished, from one look at its channel (a result that arrives
    /// while the app looks is never dropped).
    pub fn poll(&self) -> Poll {
        match self.rx.try_recv() {
            Ok(done) => Poll::Done(Box::new(done)),
            Err(TryRecvError::Empty) => Poll::Running,
            // The worker thread panicked: nothing comes back (the vault it held is gone).
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    /// Blocks until the job finishes.
    pub fn wait(&self) -> Option<JobDone> {
        self.rx.recv().ok()
    }
}

/// The state of a job, from [`Job::poll`].
pub enum Poll {
    Running,
    Done(Box<JobDone>),
    /// The worker died without answering.
    Lost,
}

/// A reader that reports progress and stops when the job is told to abort.
pub struct WatchedReader<'a, R> {
    pub inner: R,
    pub progress: &'a JobProgress,
    pub abort: &'a AtomicBool,
    pub done: u64,
    pub total: u64,
}

impl<R: Read> Read for WatchedReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.abort.load(Ordering::Relaxed) {
            return Err(Cancelled::io());
        }
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        self.progress.set(self.done, self.total);
        Ok(n)
    }
}

/// A file (or any reader or writer) that stops when the job is told to abort.
pub struct Abortable<'a, T> {
    pub inner: T,
    pub abort: &'a AtomicBool,
}

impl<T> Abortable<'_, T> {
    fn check(&self) -> io::Result<()> {
        if self.abort.load(Ordering::Relaxed) { Err(Cancelled::io()) } else { Ok(()) }
    }
}

impl<R: Read> Read for Abortable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        self.inner.read(buf)
    }
}

impl<S: Seek> Seek for Abortable<'_, S> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

impl<W: Write> Write for Abortable<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check()?;
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
