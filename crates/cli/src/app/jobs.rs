//! Work that may take longer than a frame (Argon2 unlock, importing, exporting, erasing)
//! runs on a worker thread so the screen keeps drawing and the panic chord keeps working.
//! The open vault moves into the job and comes back with the result.

use super::i18n::Msg;
use super::snapshot::Snapshot;
use lethe_remit::{Outgoing, Receipt};
use lethe_vault::{FileStorage, KdfParams, OpenFileError, Passphrase, Storage, Vault};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

pub type DynStorage = Box<dyn Storage + Send>;
pub type DynVault = Vault<DynStorage>;

/// Where the container is: a file for the real app, memory for tests.
pub trait Container: Send + Sync + 'static {
    fn open(&self, passphrase: &Passphrase) -> lethe_vault::Result<DynVault>;
    /// Destroys every compartment's keys (`lethe panic`), without a passphrase and without
    /// waiting for the lock this app itself holds.
    fn wipe(&self) -> lethe_vault::Result<()>;
    /// The Argon2id parameters of this container (for making a hidden compartment).
    fn kdf(&self) -> KdfParams;
}

pub struct FileContainer {
    pub path: PathBuf,
    pub kdf: KdfParams,
}

impl Container for FileContainer {
    fn open(&self, passphrase: &Passphrase) -> lethe_vault::Result<DynVault> {
        let storage = FileStorage::open(&self.path).map_err(|e| match e {
            OpenFileError::InUse => lethe_vault::Error::InUse,
            OpenFileError::Io(source) => lethe_vault::Error::Io { context: "opening the container", source },
            _ => lethe_vault::Error::Io {
                context: "opening the container",
                source: io::Error::other("cannot open the file"),
            },
        })?;
        Vault::open(Box::new(storage) as DynStorage, passphrase, self.kdf)
    }

    fn wipe(&self) -> lethe_vault::Result<()> {
        lethe_vault::panic_file(&self.path)
    }

    fn kdf(&self) -> KdfParams {
        self.kdf
    }
}

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
    /// An unlock attempt, with what the screens show of the opened compartment.
    Opened(lethe_vault::Result<(DynVault, Snapshot)>),
    /// Work on the open vault, which comes back with the outcome and a fresh snapshot.
    WithVault(DynVault, Snapshot, JobOutcome),
}

/// One argument of a message: text as it is, or another message in the current language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Msg(Msg),
    /// A whole message, with its own arguments.
    Nested(Box<UiText>),
}

/// Text to show in the status line, in the current language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiText {
    pub msg: Msg,
    pub args: Vec<Arg>,
}

impl UiText {
    pub fn new(msg: Msg) -> UiText {
        UiText { msg, args: Vec::new() }
    }
    pub fn with(msg: Msg, args: &[&str]) -> UiText {
        UiText { msg, args: args.iter().map(|s| Arg::Text(s.to_string())).collect() }
    }
    pub fn with_msg(msg: Msg, arg: Msg) -> UiText {
        UiText { msg, args: vec![Arg::Msg(arg)] }
    }
}

pub type JobOutcome = Result<Success, UiText>;

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

    /// The result, if the job has finished.
    pub fn poll(&self) -> Option<JobDone> {
        match self.rx.try_recv() {
            Ok(done) => Some(done),
            Err(TryRecvError::Empty) => None,
            // The worker thread panicked: nothing comes back (the vault it held is gone).
            Err(TryRecvError::Disconnected) => None,
        }
    }

    /// True if the worker died without answering.
    pub fn is_lost(&self) -> bool {
        matches!(self.rx.try_recv(), Err(TryRecvError::Disconnected))
    }

    /// Blocks until the job finishes.
    pub fn wait(&self) -> Option<JobDone> {
        self.rx.recv().ok()
    }
}

fn cancelled() -> io::Error {
    io::Error::other("cancelled")
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
            return Err(cancelled());
        }
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        self.progress.set(self.done, self.total);
        Ok(n)
    }
}

/// A writer that stops when the job is told to abort.
pub struct WatchedWriter<'a, W> {
    pub inner: W,
    pub abort: &'a AtomicBool,
}

impl<W: Write> Write for WatchedWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.abort.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
