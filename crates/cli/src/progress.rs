//! A progress bar on stderr, shown only when stderr is a terminal and the work takes longer
//! than half a second. Never prints item names or content.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    label: &'static str,
    started: Instant,
    last: Option<Instant>,
    enabled: bool,
    shown: bool,
}

impl Progress {
    pub fn new(label: &'static str) -> Progress {
        Progress { label, started: Instant::now(), last: None, enabled: std::io::stderr().is_terminal(), shown: false }
    }

    /// `total` 0 means unknown.
    pub fn update(&mut self, done: u64, total: u64) {
        if !self.enabled || self.started.elapsed() < Duration::from_millis(500) {
            return;
        }
        let now = Instant::now();
        if let Some(last) = self.last
            && now - last < Duration::from_millis(100)
            && done < total
        {
            return;
        }
        self.last = Some(now);
        self.shown = true;
        let mib = done as f64 / (1024.0 * 1024.0);
        let line = if total > 0 {
            let frac = (done as f64 / total as f64).min(1.0);
            let filled = (frac * 30.0) as usize;
            format!(
                "\r{} [{}{}] {:3.0}% {:.1} MiB",
                self.label,
                "#".repeat(filled),
                " ".repeat(30 - filled),
                frac * 100.0,
                mib
            )
        } else {
            format!("\r{} {:.1} MiB", self.label, mib)
        };
        let mut err = std::io::stderr();
        let _ = err.write_all(line.as_bytes());
        let _ = err.flush();
    }

    pub fn finish(self) {
        if self.shown {
            eprintln!();
        }
    }
}
