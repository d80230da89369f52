//! State shared by the scenario and attack jobs of one run.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::lethe::LetheProgram;
use crate::markers::MarkerBook;

/// A disk image to attack, as the examiner receives it.
#[derive(Clone, Debug)]
pub struct SeizedImage {
    pub label: String,
    pub image: PathBuf,
}

/// A file the phone kept that is not a container, found by walking the mounted image.
#[derive(Clone, Debug)]
pub struct OutsideFile {
    pub label: String,
    pub path: String,
    pub size: u64,
    /// Not created by the scenario script itself (so created by lethe or the system).
    pub unexpected: bool,
}

pub struct Context {
    pub out: PathBuf,
    pub lethe: Option<LetheProgram>,
    pub book: MarkerBook,
    pub started: Instant,
    pub images: Mutex<Vec<SeizedImage>>,
    pub examiner_labels: Mutex<Vec<String>>,
    pub outside_files: Mutex<Vec<OutsideFile>>,
    /// Containers kept aside for the statistical comparison: (description, path).
    pub containers: Mutex<Vec<(String, PathBuf)>>,
    /// Observations for the report (timings, warnings lethe printed, tool failures).
    pub observations: Mutex<Vec<String>>,
    pub unlocks: Mutex<u32>,
    /// Folders on a lethe image whose entries changed after `init` ("label: /path/").
    pub touched_folders: Mutex<Vec<String>>,
}

impl Context {
    pub fn new(out: PathBuf, lethe: Option<LetheProgram>) -> Context {
        Context {
            out,
            lethe,
            book: MarkerBook::new(),
            started: Instant::now(),
            images: Mutex::new(Vec::new()),
            examiner_labels: Mutex::new(Vec::new()),
            outside_files: Mutex::new(Vec::new()),
            containers: Mutex::new(Vec::new()),
            observations: Mutex::new(Vec::new()),
            unlocks: Mutex::new(0),
            touched_folders: Mutex::new(Vec::new()),
        }
    }

    pub fn progress(&self, message: impl AsRef<str>) {
        eprintln!("[seizure {:>6.1}s] {}", self.started.elapsed().as_secs_f64(), message.as_ref());
    }

    pub fn observe(&self, message: impl Into<String>) {
        let message = message.into();
        self.progress(format!("note: {message}"));
        self.observations.lock().expect("lock").push(message);
    }

    pub fn images_dir(&self) -> PathBuf {
        self.out.join("images")
    }

    pub fn mount_dir(&self, label: &str) -> PathBuf {
        self.out.join("mnt").join(label)
    }

    pub fn evidence_dir(&self, label: &str) -> PathBuf {
        self.out.join("evidence").join(label)
    }

    pub fn add_image(&self, label: &str, image: &Path) {
        self.images.lock().expect("lock").push(SeizedImage { label: label.to_string(), image: image.to_path_buf() });
    }

    pub fn count_unlocks(&self, unlocks: u32) {
        *self.unlocks.lock().expect("lock") += unlocks;
    }
}
