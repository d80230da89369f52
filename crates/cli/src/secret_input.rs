//! Reading passphrases: from the terminal without echo, or one line at a time from a file
//! descriptor the caller passes with `--passphrase-fd N`. Never from argv or the environment.

use lethe_vault::Passphrase;
use std::io::Read;
use zeroize::Zeroize;

/// Where passphrases come from for this command.
pub enum PassphraseSource {
    Terminal,
    /// An open file descriptor inherited from the caller (a pipe, usually).
    Fd(std::fs::File),
}

impl PassphraseSource {
    pub fn new(fd: Option<u32>) -> Result<PassphraseSource, String> {
        match fd {
            None => Ok(PassphraseSource::Terminal),
            Some(n) => {
                // Opening /proc/self/fd/N reaches the inherited descriptor without unsafe code.
                let path = format!("/proc/self/fd/{n}");
                std::fs::File::open(&path)
                    .map(PassphraseSource::Fd)
                    .map_err(|e| format!("cannot read the passphrase from file descriptor {n}: {e}"))
            }
        }
    }

    /// Reads one passphrase. `prompt` is shown on the terminal only.
    pub fn read(&mut self, prompt: &str) -> Result<Passphrase, String> {
        self.read_line(prompt, false)
    }

    /// Reads one secret line that may be empty (a recipient's answer: the caller says
    /// what an empty one means).
    pub fn read_maybe_empty(&mut self, prompt: &str) -> Result<Passphrase, String> {
        self.read_line(prompt, true)
    }

    fn read_line(&mut self, prompt: &str, allow_empty: bool) -> Result<Passphrase, String> {
        match self {
            PassphraseSource::Terminal => {
                let mut s = rpassword::prompt_password(prompt)
                    .map_err(|e| format!("cannot read a passphrase from the terminal: {e}"))?;
                let p = Passphrase::new(trim_newline(s.as_bytes()));
                s.zeroize();
                Ok(p)
            }
            PassphraseSource::Fd(file) => {
                // One byte at a time: the next line (for `hide`) must stay unread.
                let mut line = lethe_vault::LockedBuf::new(4096);
                let mut len = 0;
                let mut byte = [0u8; 1];
                loop {
                    let n = file.read(&mut byte).map_err(|e| format!("cannot read the passphrase: {e}"))?;
                    if n == 0 || byte[0] == b'\n' {
                        break;
                    }
                    if len == line.len() {
                        return Err("the passphrase line is longer than 4096 bytes".into());
                    }
                    line.as_mut_slice()[len] = byte[0];
                    len += 1;
                }
                byte.zeroize();
                let p = Passphrase::new(trim_newline(&line.as_slice()[..len]));
                if p.is_empty() && !allow_empty {
                    return Err("no passphrase was given on the passphrase file descriptor".into());
                }
                Ok(p)
            }
        }
    }

    /// Reads a new passphrase; on the terminal it is asked twice and must match.
    pub fn read_new(&mut self, prompt: &str) -> Result<Passphrase, String> {
        let first = self.read(prompt)?;
        if let PassphraseSource::Terminal = self {
            let again = self.read("Type it again: ")?;
            if again.as_bytes() != first.as_bytes() {
                return Err("the two passphrases differ; nothing was changed".into());
            }
        }
        if first.is_empty() {
            return Err("the passphrase is empty; nothing was changed".into());
        }
        Ok(first)
    }
}

fn trim_newline(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}
