//! What `lethe hub …` and `lethe field …` share: reading standard input, refusing to
//! overwrite files, printing keys, messages, QR codes and tables. Data (keys, messages,
//! codes, tables) goes to stdout; words for people and QR codes drawn in the terminal go
//! to stderr.

use lethe_vault::WriteBehind;
use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use lethe_remit::{OrderCode, Outgoing};
use unicode_width::UnicodeWidthStr;
use zeroize::Zeroizing;

use crate::PassArg;
use crate::exit::{CmdResult, Exit, Failure};
use crate::random::fill_random;

/// Most bytes read from standard input (a message, a key, an order form).
const MAX_STDIN: u64 = 2 * 1024 * 1024;

/// Pixels per QR module in PNG files.
const PNG_SCALE: usize = 8;

/// The arguments of a role command that needs only the container.
#[derive(Args)]
pub struct VaultArgs {
    pub vault: PathBuf,
    #[command(flatten)]
    pub pass: PassArg,
}

/// The arguments of a role command that prints a public key (as text or QR code).
#[derive(Args)]
pub struct KeyArgs {
    pub vault: PathBuf,
    #[command(flatten)]
    pub qr: QrArgs,
    #[command(flatten)]
    pub pass: PassArg,
}

#[derive(Args)]
pub struct QrArgs {
    /// Also write the text as a QR code to this PNG file (it must not exist yet).
    #[arg(long, value_name = "PATH.png")]
    pub qr: Option<PathBuf>,
    /// Also draw the QR code in the terminal (on stderr).
    #[arg(long)]
    pub qr_terminal: bool,
    /// Split a message longer than N characters (without spaces) into numbered parts,
    /// printed one after another with a blank line between; the receiver reads them back
    /// in any order. A message too long for one QR code is split for QR codes anyway.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(40..=1_000_000))]
    pub max_chars: Option<u32>,
}

/// How a command prints the message it makes: its form (`--cover`) and QR codes (`--qr`,
/// `--qr-terminal`, `--max-chars`).
#[derive(Args)]
pub struct MessageOut {
    #[command(flatten)]
    cover: crate::cover::CoverArgs,
    #[command(flatten)]
    qr: QrArgs,
}

impl MessageOut {
    /// Checks the flags before anything is opened (a cover style and a QR code do not go
    /// together; the QR file must not exist yet).
    pub fn check(self) -> Result<Printer, Failure> {
        let qr_file = self.cover.check(&self.qr)?;
        Ok(Printer { flags: self, qr_file })
    }
}

/// Prints a message as checked [`MessageOut`] flags ask.
pub struct Printer {
    flags: MessageOut,
    qr_file: Option<PathBuf>,
}

impl Printer {
    /// Prints `out` (see [`print_message`]); returns the number of characters printed.
    pub fn print(self, out: &Outgoing) -> Result<usize, Failure> {
        print_message(out, &self.flags.cover, &self.flags.qr, self.qr_file)
    }
}

/// Where a receiving command reads the message from.
#[derive(clap::Args)]
pub struct MessageInput {
    /// Read the message from QR codes in this picture (PNG or JPEG, e.g. a photo of the
    /// other phone's screen) instead of standard input. Give it once per picture; the
    /// parts of a long message may be in any order, one or several per picture.
    #[arg(long, value_name = "PICTURE")]
    pub image: Vec<PathBuf>,
}

impl MessageInput {
    /// The message's text: from the pictures, or else from standard input.
    pub fn read(&self, hint: &str) -> Result<Zeroizing<String>, Failure> {
        if self.image.is_empty() {
            return read_stdin(hint);
        }
        let mut texts = Vec::new();
        for path in &self.image {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::new(Exit::Io, format!("cannot read {}: {e}", path.display())))?;
            let found = lethe_protocol::qr_read::read_qr_codes(&bytes)
                .map_err(|e| Failure::new(Exit::BadMessage, format!("{}: {e}; nothing was changed", path.display())))?;
            texts.extend(found);
        }
        Ok(Zeroizing::new(texts.join("\n\n")))
    }
}

pub fn parse_code(text: &str) -> Result<OrderCode, Failure> {
    OrderCode::from_text(text).map_err(|e| Failure::new(Exit::Usage, format!("'{text}': {e}")))
}

/// Reads all of stdin as text (at most [`MAX_STDIN`] bytes), in memory wiped afterwards.
pub fn read_stdin(hint: &str) -> Result<Zeroizing<String>, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("{hint}");
    }
    let mut bytes = Zeroizing::new(Vec::new());
    stdin
        .lock()
        .take(MAX_STDIN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::new(Exit::Io, format!("cannot read standard input: {e}")))?;
    if bytes.len() as u64 > MAX_STDIN {
        return Err(Failure::new(Exit::Usage, "the input is too long (more than 2 MiB)"));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Failure::new(Exit::BadMessage, "the input is not text (UTF-8); nothing was changed"))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Refuses an output path that exists; returns it for later.
pub fn check_new_file(path: Option<&Path>) -> Result<Option<PathBuf>, Failure> {
    match path {
        Some(p) if p.exists() => {
            Err(Failure::new(Exit::Refused, format!("{} exists already; lethe does not overwrite files", p.display())))
        }
        Some(p) => Ok(Some(p.to_owned())),
        None => Ok(None),
    }
}

/// Creates a file that must not exist yet, readable and writable by its owner only (0600):
/// every file lethe writes outside its container holds something about the work.
pub fn create_new(path: &Path) -> Result<File, Failure> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Failure::new(Exit::Refused, format!("{} exists already; lethe does not overwrite files", path.display()))
        } else {
            Failure::new(Exit::Io, format!("cannot create {}: {e}", path.display()))
        }
    })
}

/// Writes a new file at `path` (0600, never over an existing one) with `write`, then syncs
/// it with its name ([`crate::fsutil::write_new_file_with`]). If anything fails, the
/// unfinished file is shredded and removed (it may hold part of what was being written) and
/// the error returned, saying what became of the file.
pub fn write_new_file<T>(
    path: &Path,
    write: impl FnOnce(&mut WriteBehind) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let file = create_new(path)?;
    let io_error = |e| Failure::new(Exit::Io, format!("cannot write {}: {e}", path.display()));
    crate::fsutil::write_new_file_with(file, path, write, io_error).map_err(|(e, left)| {
        let what = match left {
            None => format!("The unfinished {} was overwritten and removed.", path.display()),
            Some(left) => {
                format!("The unfinished file could not be removed; remove it with: lethe shred {}", left.display())
            }
        };
        Failure::new(e.code, format!("{}\n{what}", e.message))
    })
}

/// Says, each time lethe wrote a file outside its container, that it exists and how to
/// remove it for good.
pub fn say_file_outside(path: &Path, what: &str) {
    eprintln!(
        "{} now exists outside the container ({what}), readable only by you. When you no longer \
         need it, remove it with: lethe shred {}",
        path.display(),
        path.display()
    );
}

pub fn random_file_name() -> Result<String, Failure> {
    let mut bytes = [0u8; 6];
    fill_random(&mut bytes).map_err(|e| Failure::new(Exit::Other, e.to_string()))?;
    Ok(format!("{}.bin", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

pub fn print_key(text: &str, qr: &QrArgs, qr_file: Option<PathBuf>) -> CmdResult {
    println!("{text}");
    let image = lethe_protocol::QrImage::from_text(&text.replace(' ', ""))
        .map_err(|e| Failure::new(Exit::Other, e.to_string()))?;
    show_qr(&image, qr, qr_file)
}

/// Prints a message in the form `cover` and the pairing's setting ask for (cover text, or
/// plain armor, whole or in parts, with QR codes if asked); returns the number of
/// characters printed.
fn print_message(
    out: &Outgoing,
    cover: &crate::cover::CoverArgs,
    qr: &QrArgs,
    qr_file: Option<PathBuf>,
) -> Result<usize, Failure> {
    if let Some(chars) = cover.print(out, qr)? {
        return Ok(chars);
    }
    let wants_qr = qr.qr.is_some() || qr.qr_terminal;
    let limit = match (qr.max_chars, wants_qr) {
        (Some(n), true) => Some((n as usize).min(lethe_protocol::parts::QR_MAX_CHARS)),
        (Some(n), false) => Some(n as usize),
        (None, true) if out.compact_text().len() > lethe_protocol::parts::QR_MAX_CHARS => {
            Some(lethe_protocol::parts::QR_MAX_CHARS)
        }
        (None, _) => None,
    };
    if let Some(limit) = limit {
        let parts = out.parts(limit)?;
        if parts.len() > 1 {
            print_parts(&parts, qr, qr_file)?;
            return Ok(parts.iter().map(|p| p.chars().filter(|c| *c != '\n').count()).sum());
        }
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", out.text()).map_err(crate::stdout_err)?;
    drop(stdout);
    if wants_qr {
        match out.qr() {
            Ok(image) => show_qr(&image, qr, qr_file)?,
            Err(e) => eprintln!("No QR code: {e}."),
        }
    }
    Ok(out.chars())
}

/// Prints the parts of a message, a blank line between them; QR codes of each if asked
/// (PNG files named after the one given: `NAME-1.png`, `NAME-2.png`...).
fn print_parts(parts: &[String], qr: &QrArgs, qr_file: Option<PathBuf>) -> CmdResult {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", parts.join("\n\n")).map_err(crate::stdout_err)?;
    drop(stdout);
    eprintln!(
        "The message is in {} parts (separated by blank lines above): send every part; they may \
         arrive in any order.",
        parts.len()
    );
    for (i, part) in parts.iter().enumerate() {
        if !(qr.qr.is_some() || qr.qr_terminal) {
            break;
        }
        let image = lethe_protocol::QrImage::from_text(&part.replace([' ', '\n'], ""))
            .map_err(|e| Failure::new(Exit::Usage, e.to_string()))?;
        let file = match &qr_file {
            Some(path) => {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let numbered = path.with_file_name(format!("{stem}-{}.png", i + 1));
                check_new_file(Some(&numbered))?
            }
            None => None,
        };
        eprintln!("Part {} of {}:", i + 1, parts.len());
        show_qr(&image, qr, file)?;
    }
    Ok(())
}

fn show_qr(image: &lethe_protocol::QrImage, qr: &QrArgs, qr_file: Option<PathBuf>) -> CmdResult {
    if qr.qr_terminal {
        eprint!("{}", image.to_terminal());
    }
    if let Some(path) = qr_file {
        write_new_file(&path, |file| {
            image
                .write_png(file, PNG_SCALE)
                .map_err(|e| Failure::new(Exit::Io, format!("cannot write {}: {e}", path.display())))
        })?;
        eprintln!("Wrote the QR code to {}.", path.display());
        say_file_outside(&path, "a picture of what this command printed");
    }
    Ok(())
}

/// Prints rows under a header, columns padded by display width (Hangul and Chinese
/// characters take two columns).
pub fn print_table(header: &[&str], rows: &[Vec<String>]) -> CmdResult {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", line(header.to_vec())).map_err(crate::stdout_err)?;
    for row in rows {
        writeln!(stdout, "{}", line(row.iter().map(String::as_str).collect())).map_err(crate::stdout_err)?;
    }
    Ok(())
}
