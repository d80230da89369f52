//! Running external programs with a time limit, their output captured in memory.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
}

impl Finished {
    pub fn ok(&self) -> bool {
        self.status.success()
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs `command` to completion, feeding `stdin` (or /dev/null) and killing it after `limit`.
/// `spawn_hook` runs right after spawning (used to drop descriptors the child inherited).
pub fn run(
    command: &mut Command,
    stdin: Option<&[u8]>,
    limit: Duration,
    spawn_hook: impl FnOnce(),
) -> Result<Finished, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("cannot start {program}: {e}"))?;
    spawn_hook();
    let input = stdin.map(<[u8]>::to_vec);
    let mut child_stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let (Some(pipe), Some(data)) = (child_stdin.as_mut(), input) {
            // A child that exits without reading everything closes the pipe: not our error.
            let _ = pipe.write_all(&data);
        }
        drop(child_stdin);
    });
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        let _ = out.read_to_end(&mut buffer);
        buffer
    });
    let err_reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        let _ = err.read_to_end(&mut buffer);
        buffer
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{program} did not finish within {limit:?}; killed"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(3)),
            Err(e) => return Err(format!("waiting for {program}: {e}")),
        }
    };
    let _ = writer.join();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Finished { status, stdout, stderr, elapsed: started.elapsed() })
}

/// Runs a helper tool that must succeed; its stderr is part of the error.
pub fn run_checked(command: &mut Command, limit: Duration) -> Result<Finished, String> {
    let described = format!("{command:?}");
    let finished = run(command, None, limit, || {})?;
    if !finished.ok() {
        return Err(format!("{described} failed ({}): {}", finished.status, finished.stderr_text().trim()));
    }
    Ok(finished)
}
