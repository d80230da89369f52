//! Driving the `lethe` binary through its scriptable interface, as a script on the phone would.
//! Passphrases travel through a pipe named by `--passphrase-fd N`, never argv or environment.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use rustix::io::FdFlags;

use crate::proc::{Finished, run};

/// Serialises the window in which a passphrase pipe is inheritable, so that it is inherited
/// only by the lethe child it is meant for.
static SPAWN_LOCK: Mutex<()> = Mutex::new(());

const COMMAND_LIMIT: Duration = Duration::from_secs(180);
const SCRUB_LIMIT: Duration = Duration::from_secs(600);

/// How to start lethe: the real binary, or this test bed acting as a deliberately naive store.
#[derive(Clone, Debug)]
pub struct LetheProgram {
    pub program: PathBuf,
    pub prefix_args: Vec<OsString>,
}

/// One user's (or examiner's) lethe, with HOME, TMPDIR and every XDG directory under `home`.
pub struct Lethe {
    program: LetheProgram,
    env: Vec<(OsString, OsString)>,
    cwd: PathBuf,
    /// Paths below this are written relative to it in the shell history (the phone's view).
    display_root: PathBuf,
    /// The command lines a user would have typed, for `~/.bash_history`.
    pub history: Vec<String>,
    /// Commands that needed a passphrase (each costs one Argon2 unlock).
    pub unlocks: u32,
    pub busy: Duration,
}

impl Lethe {
    pub fn new(program: &LetheProgram, home: &Path, tmp: &Path, cwd: &Path, display_root: &Path) -> Lethe {
        let var = |name: &str, value: &Path| (OsString::from(name), value.as_os_str().to_os_string());
        let env = vec![
            var("HOME", home),
            var("TMPDIR", tmp),
            var("XDG_CONFIG_HOME", &home.join(".config")),
            var("XDG_CACHE_HOME", &home.join(".cache")),
            var("XDG_DATA_HOME", &home.join(".local/share")),
            var("XDG_STATE_HOME", &home.join(".local/state")),
            var("XDG_RUNTIME_DIR", tmp),
            (OsString::from("PATH"), OsString::from("/usr/local/bin:/usr/bin:/bin")),
            (OsString::from("LANG"), OsString::from("C.UTF-8")),
            (OsString::from("USER"), OsString::from("user")),
            (OsString::from("LOGNAME"), OsString::from("user")),
        ];
        Lethe {
            program: program.clone(),
            env,
            cwd: cwd.to_path_buf(),
            display_root: display_root.to_path_buf(),
            history: Vec::new(),
            unlocks: 0,
            busy: Duration::ZERO,
        }
    }

    fn display(&self, arg: &OsStr) -> String {
        let path = Path::new(arg);
        match path.strip_prefix(&self.display_root) {
            Ok(rest) if path.is_absolute() => format!("/{}", rest.display()),
            _ => arg.to_string_lossy().into_owned(),
        }
    }

    /// Runs `lethe ARGS`, with `passphrase_lines` (if any) on a fresh pipe passed as
    /// `--passphrase-fd N` and `stdin` on standard input.
    pub fn run(
        &mut self,
        args: &[&OsStr],
        passphrase_lines: Option<&[&str]>,
        stdin: Option<&[u8]>,
        limit: Option<Duration>,
    ) -> Result<Finished, String> {
        let mut command = Command::new(&self.program.program);
        command.args(&self.program.prefix_args).args(args);
        command.env_clear().envs(self.env.iter().map(|(k, v)| (k, v))).current_dir(&self.cwd);
        let mut line: Vec<String> =
            std::iter::once("lethe".to_string()).chain(args.iter().map(|a| self.display(a))).collect();
        let limit = limit.unwrap_or(COMMAND_LIMIT);

        let finished = match passphrase_lines {
            None => {
                self.history.push(line.join(" "));
                run(&mut command, stdin, limit, || {})?
            }
            Some(lines) => {
                self.unlocks += 1;
                let (reader, mut writer) = std::io::pipe().map_err(|e| format!("passphrase pipe: {e}"))?;
                let mut secret = String::new();
                for passphrase in lines {
                    secret.push_str(passphrase);
                    secret.push('\n');
                }
                writer.write_all(secret.as_bytes()).map_err(|e| format!("passphrase pipe: {e}"))?;
                drop(writer);
                let fd = reader.as_raw_fd();
                command.arg("--passphrase-fd").arg(fd.to_string());
                line.push(format!("--passphrase-fd {fd}"));
                self.history.push(line.join(" "));
                let guard = SPAWN_LOCK.lock().unwrap_or_else(|p| p.into_inner());
                rustix::io::fcntl_setfd(&reader, FdFlags::empty()).map_err(|e| format!("passphrase pipe: {e}"))?;
                let finished = run(&mut command, stdin, limit, move || {
                    drop(reader);
                    drop(guard);
                });
                finished?
            }
        };
        self.busy += finished.elapsed;
        Ok(finished)
    }

    fn must(&mut self, what: &str, finished: Finished) -> Result<Finished, String> {
        if finished.ok() {
            Ok(finished)
        } else {
            Err(format!("lethe {what} failed ({}): {}", finished.status, finished.stderr_text().trim()))
        }
    }

    fn new_id(&mut self, what: &str, finished: Finished) -> Result<(String, Finished), String> {
        let finished = self.must(what, finished)?;
        let id = finished.stdout_text().trim().to_string();
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(format!("lethe {what} printed {:?} instead of one id", finished.stdout_text()));
        }
        Ok((id, finished))
    }

    pub fn init(&mut self, vault: &Path, size: &str, passphrase: &str) -> Result<Finished, String> {
        let f = self.run(
            &[OsStr::new("init"), vault.as_os_str(), OsStr::new("--size"), OsStr::new(size)],
            Some(&[passphrase]),
            None,
            None,
        )?;
        self.must("init", f)
    }

    pub fn add_note(&mut self, vault: &Path, passphrase: &str, text: &[u8]) -> Result<String, String> {
        let f = self.run(&[OsStr::new("add"), vault.as_os_str()], Some(&[passphrase]), Some(text), None)?;
        Ok(self.new_id("add (note)", f)?.0)
    }

    /// `add --file PATH [--shred-source]`; returns the id and lethe's stderr (warnings).
    pub fn add_file(
        &mut self,
        vault: &Path,
        passphrase: &str,
        path: &Path,
        shred_source: bool,
    ) -> Result<(String, String), String> {
        let mut args = vec![OsStr::new("add"), vault.as_os_str(), OsStr::new("--file"), path.as_os_str()];
        if shred_source {
            args.push(OsStr::new("--shred-source"));
        }
        let f = self.run(&args, Some(&[passphrase]), None, None)?;
        let (id, f) = self.new_id("add --file", f)?;
        Ok((id, f.stderr_text()))
    }

    /// `add --file - --name NAME` with the content on stdin: no source file ever exists.
    pub fn add_piped(&mut self, vault: &Path, passphrase: &str, name: &str, content: &[u8]) -> Result<String, String> {
        let f = self.run(
            &[
                OsStr::new("add"),
                vault.as_os_str(),
                OsStr::new("--file"),
                OsStr::new("-"),
                OsStr::new("--name"),
                OsStr::new(name),
            ],
            Some(&[passphrase]),
            Some(content),
            None,
        )?;
        Ok(self.new_id("add --file -", f)?.0)
    }

    pub fn ls(&mut self, vault: &Path, passphrase: &str, json: bool) -> Result<Finished, String> {
        let mut args = vec![OsStr::new("ls"), vault.as_os_str()];
        if json {
            args.push(OsStr::new("--json"));
        }
        self.run(&args, Some(&[passphrase]), None, None)
    }

    pub fn cat(&mut self, vault: &Path, passphrase: &str, id: &str) -> Result<Finished, String> {
        self.run(&[OsStr::new("cat"), vault.as_os_str(), OsStr::new(id)], Some(&[passphrase]), None, None)
    }

    pub fn export(&mut self, vault: &Path, passphrase: &str, id: &str, out: &Path) -> Result<Finished, String> {
        self.run(
            &[OsStr::new("export"), vault.as_os_str(), OsStr::new(id), OsStr::new("-o"), out.as_os_str()],
            Some(&[passphrase]),
            None,
            None,
        )
    }

    pub fn rm(&mut self, vault: &Path, passphrase: &str, id: &str) -> Result<(), String> {
        let f = self.run(&[OsStr::new("rm"), vault.as_os_str(), OsStr::new(id)], Some(&[passphrase]), None, None)?;
        self.must("rm", f).map(|_| ())
    }

    pub fn hide(&mut self, vault: &Path, current: &str, new: &str) -> Result<(), String> {
        let f =
            self.run(&[OsStr::new("hide"), vault.as_os_str(), OsStr::new("--yes")], Some(&[current, new]), None, None)?;
        self.must("hide", f).map(|_| ())
    }

    pub fn panic(&mut self, vault: &Path) -> Result<Finished, String> {
        let f = self.run(&[OsStr::new("panic"), vault.as_os_str()], None, None, None)?;
        self.must("panic", f)
    }

    pub fn scrub_free_space(&mut self, dir: &Path) -> Result<Finished, String> {
        let f = self.run(&[OsStr::new("scrub-free-space"), dir.as_os_str()], None, None, Some(SCRUB_LIMIT))?;
        self.must("scrub-free-space", f)
    }
}

/// The ids in a plain `lethe ls` listing: the first column of every non-empty line.
pub fn listed_ids(listing: &str) -> Vec<String> {
    listing.lines().filter_map(|line| line.split_whitespace().next()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_first_column() {
        assert_eq!(listed_ids("a1 note 12 B\n\nb2\tIMG_1.jpg 20 KiB\n"), vec!["a1", "b2"]);
    }
}
