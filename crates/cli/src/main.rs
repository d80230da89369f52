//! The `lethe` binary: scriptable commands over the vault and the remittance layer.
//! Messages for people go to stderr; data (ids, content, listings) goes to stdout.

#![forbid(unsafe_code)]

mod app;
mod command_line;
mod common;
mod cover;
mod demo;
mod exit;
mod field;
mod fsutil;
mod hub;
mod media;
mod progress;
mod random;
mod secret_input;
mod words;

use app::i18n::{Lang, Msg};
use clap::{Parser, Subcommand};
use exit::{CmdResult, Exit, Failure};
use lethe_remit::time::format_time;
use lethe_vault::{Error as VaultError, FileStorage, ItemId, ItemKind, KdfParams, Vault};
use progress::Progress;
use secret_input::PassphraseSource;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lethe",
    version,
    about = "Keeps notes, photos and delivery records in one container file that looks like random bytes.",
    long_about = None,
    after_help = "To keep a command out of the shell's history and the process list, run `lethe -` \
                  and type the command line at its prompt (or give it as the first line of stdin)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Args)]
struct PassArg {
    /// Read the passphrase (one line) from this open file descriptor instead of the terminal.
    #[arg(long, value_name = "N")]
    passphrase_fd: Option<u32>,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new container (asks for the first passphrase twice).
    Init {
        vault: PathBuf,
        /// Size, e.g. 64M, 512M, 2G (fixed for ever). Default 64M.
        #[arg(long, default_value = "64M")]
        size: String,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Add a note (text from stdin) or a file; prints the new item's id.
    Add {
        vault: PathBuf,
        /// Import this file instead of reading a note; `-` reads the content from stdin.
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Name kept inside the container (default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// After importing, overwrite the source file with random bytes and delete it.
        #[arg(long, requires = "file")]
        shred_source: bool,
        #[command(flatten)]
        pass: PassArg,
    },
    /// List the items of the compartment the passphrase opens.
    Ls {
        vault: PathBuf,
        /// One JSON object per item, for tools.
        #[arg(long)]
        json: bool,
        /// Also list records kept by the hub and field commands.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Write an item's content to stdout.
    Cat {
        vault: PathBuf,
        id: String,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Write an item's content to a new file.
    Export {
        vault: PathBuf,
        id: String,
        /// Where to write (must not exist yet).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Crypto-erase one item: its key and every block are overwritten with random bytes.
    Rm {
        vault: PathBuf,
        id: String,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Make a hidden compartment above the highest one you open (asks for that passphrase,
    /// then for the new one).
    ///
    /// WARNING: lethe cannot tell whether a compartment already exists above the one you
    /// open (that is the point of hiding). If one exists and you open a lower one: in a
    /// format 1 container it is overwritten at once and everything in it is lost for good; in
    /// a format 2 container (what `lethe init` makes now) it stays and still opens with its
    /// own passphrase, but its blocks look like free space to yours, and once the container's
    /// free space is used up later sessions overwrite them, oldest first. Always open your
    /// highest compartment. After the passphrase lethe says which format the container has,
    /// warns and, on a terminal, asks you to confirm; a script must add --yes, and without it
    /// a `hide` that cannot ask refuses and changes nothing.
    Hide {
        vault: PathBuf,
        /// Confirm without asking (for scripts): you opened your highest compartment.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Make every compartment unreadable at once. No passphrase, no confirmation.
    Panic { vault: PathBuf },
    /// Copy every compartment of an old (format 1) container into a new format 2 container,
    /// check the copy, then shred the old file. Asks for the passphrase of every compartment.
    Migrate {
        old: PathBuf,
        new: PathBuf,
        #[command(flatten)]
        pass: PassArg,
    },
    /// Remove what deleted files leave on the file system holding each DIR: old names in the
    /// folders, old contents in free space, and copies of both in the journal (ext4, xfs).
    ScrubFreeSpace {
        /// Folders whose deleted names to overwrite (e.g. the camera folder); the free space
        /// and journal of each file system they are on are scrubbed once.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Stop after this many minutes, saying what was not done.
        #[arg(long, value_name = "MINUTES", default_value_t = 60)]
        time_limit: u64,
    },
    /// Overwrite files with random bytes, give them a random name, then delete them.
    Shred {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Open the full-screen terminal app on a container.
    App { vault: PathBuf },
    /// Walk through a delivery on a throwaway in-memory container (nothing is written to disk).
    Demo,
    /// Coordinator (hub) commands: brokers, orders, reports, ledger.
    #[command(subcommand)]
    Hub(hub::HubCommand),
    /// Field broker commands: orders received, deliveries, reports.
    #[command(subcommand)]
    Field(field::FieldCommand),
}

fn main() -> ExitCode {
    lethe_vault::harden_process();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = if args.len() == 2 && args[1] == "-" {
        match command_line::read() {
            Ok(words) => Cli::try_parse_from(std::iter::once("lethe".to_string()).chain(words)),
            Err(message) => {
                eprintln!("lethe: {message}");
                return ExitCode::from(Exit::Usage as u8);
            }
        }
    } else {
        Cli::try_parse_from(args)
    };
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Usage as u8 } else { Exit::Ok as u8 });
        }
    };
    let command = match cli.command {
        Some(c) => c,
        None => match app::default_vault() {
            Some(vault) => Command::App { vault },
            None => {
                let _ = <Cli as clap::CommandFactory>::command().print_help();
                return ExitCode::from(Exit::Usage as u8);
            }
        },
    };
    match run(command) {
        Ok(()) => ExitCode::from(Exit::Ok as u8),
        Err(f) => {
            eprintln!("lethe: {}", f.message);
            ExitCode::from(f.code as u8)
        }
    }
}

/// The Argon2id parameters of every real container.
const KDF: KdfParams = KdfParams::STANDARD;

fn source(pass: &PassArg) -> Result<PassphraseSource, Failure> {
    PassphraseSource::new(pass.passphrase_fd).map_err(|m| Failure::new(Exit::Usage, m))
}

fn open(path: &Path, pass: &PassArg) -> Result<Vault<FileStorage>, Failure> {
    check_is_file(path)?;
    let mut src = source(pass)?;
    let p = src.read("Passphrase: ").map_err(|m| Failure::new(Exit::Other, m))?;
    Ok(lethe_vault::open_file(path, &p, KDF)?)
}

fn check_is_file(path: &Path) -> CmdResult {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err(Failure::new(Exit::Usage, format!("{} is not a file", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Failure::new(Exit::Usage, format!("there is no container at {}", path.display())))
        }
        Err(e) => Err(Failure::new(Exit::Io, format!("cannot open {}: {e}", path.display()))),
    }
}

fn parse_id(s: &str) -> Result<ItemId, Failure> {
    s.parse::<ItemId>()
        .map_err(|_| Failure::new(Exit::NoSuchItem, format!("'{s}' is not an item id (8 hex digits, see `lethe ls`)")))
}

fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Init { vault, size, pass } => {
            let len = parse_size(&size)?;
            lethe_vault::check_new_container_size(len)?;
            if vault.exists() {
                return Err(VaultError::AlreadyExists.into());
            }
            let mut src = source(&pass)?;
            let p = src.read_new("New passphrase: ").map_err(|m| Failure::new(Exit::Refused, m))?;
            let mut bar = Progress::new("creating");
            lethe_vault::create_file(&vault, len, &p, KDF, &mut |d, t| bar.update(d, t))?;
            bar.finish();
            eprintln!("Created {} ({} MiB).", vault.display(), len >> 20);
            Ok(())
        }
        Command::Add { vault, file, name, shred_source, pass } => {
            add(&vault, file.as_deref(), name, shred_source, &pass)
        }
        Command::Ls { vault, json, all, pass } => {
            let v = open(&vault, &pass)?;
            let mut out = std::io::stdout().lock();
            for item in v.list() {
                if item.kind == ItemKind::Record && !all {
                    continue;
                }
                let line = if json {
                    format!(
                        "{{\"id\":\"{}\",\"kind\":\"{}\",\"size\":{},\"created\":{},\"name\":{}}}",
                        item.id,
                        item.kind.as_str(),
                        item.size,
                        item.created_unix,
                        json_string(&item.name)
                    )
                } else {
                    format!(
                        "{}  {:<6} {:>10}  {}  {}",
                        item.id,
                        item.kind.as_str(),
                        item.size,
                        format_time(item.created_unix),
                        item.name
                    )
                };
                writeln!(out, "{line}").map_err(stdout_err)?;
            }
            Ok(())
        }
        Command::Cat { vault, id, pass } => {
            let id = parse_id(&id)?;
            let v = open(&vault, &pass)?;
            let mut out = std::io::stdout().lock();
            v.read_to(id, &mut out, &mut |_| {})?;
            Ok(())
        }
        Command::Export { vault, id, output, pass } => {
            let id = parse_id(&id)?;
            let v = open(&vault, &pass)?;
            let total = v.info(id)?.size;
            common::write_new_file(&output, |file| {
                let mut bar = Progress::new("exporting");
                let r = v.read_to(id, file, &mut |d| bar.update(d, total));
                bar.finish();
                r.map_err(Failure::from)
            })?;
            eprintln!("Exported to {}.", output.display());
            common::say_file_outside(&output, "in plain text");
            if let Some(fs) = fsutil::filesystem_is_copy_on_write(&output) {
                eprintln!(
                    "Warning: {} is on {fs}, which keeps old data when files change or are deleted; \
                     after deleting the copy, run `lethe scrub-free-space` on that folder.",
                    output.display()
                );
            }
            Ok(())
        }
        Command::Rm { vault, id, pass } => {
            let id = parse_id(&id)?;
            let mut v = open(&vault, &pass)?;
            v.remove(id)?;
            eprintln!("Erased {id}.");
            Ok(())
        }
        Command::Hide { vault, yes, pass } => hide(&vault, yes, &pass),
        Command::Panic { vault } => {
            check_is_file(&vault)?;
            lethe_vault::panic_file(&vault)?;
            Ok(())
        }
        Command::Migrate { old, new, pass } => migrate(&old, &new, &pass),
        Command::ScrubFreeSpace { dirs, time_limit } => scrub(&dirs, time_limit),
        Command::Shred { paths } => shred_paths(&paths),
        Command::App { vault } => app::run(&vault),
        Command::Demo => demo::run(),
        Command::Hub(cmd) => hub::run_hub(cmd),
        Command::Field(cmd) => field::run_field(cmd),
    }
}

fn migrate(old: &Path, new: &Path, pass: &PassArg) -> CmdResult {
    check_is_file(old)?;
    if new.exists() {
        return Err(VaultError::AlreadyExists.into());
    }
    let mut src = source(pass)?;
    eprintln!(
        "Type the passphrase of every compartment of {}, one after the other; an empty line when done.",
        old.display()
    );
    let mut passes = Vec::new();
    loop {
        match src.read(&format!("Passphrase {}: ", passes.len() + 1)) {
            Ok(p) if !p.is_empty() => passes.push(p),
            Ok(_) => break,
            // The passphrase descriptor ended.
            Err(_) if !passes.is_empty() => break,
            Err(m) => return Err(Failure::new(Exit::Other, m)),
        }
    }
    let mut bar = Progress::new("migrating");
    let r = lethe_vault::migrate_file(old, new, &passes, KDF, &mut |d, t| bar.update(d, t));
    bar.finish();
    drop(passes);
    let report = match r {
        Ok(r) => r,
        Err(e) => {
            // A half-made new container holds copies (encrypted): overwrite it too.
            if new.exists() {
                let _ = fsutil::shred_file(new);
            }
            return Err(Failure::from(e));
        }
    };
    let items: usize = report.items_per_level.iter().sum();
    let shred = fsutil::shred_file(old).map_err(|e| {
        Failure::new(
            Exit::Io,
            format!("the new container is complete, but shredding {} failed: {e}; delete it yourself", old.display()),
        )
    })?;
    eprintln!(
        "Migrated {} compartments ({items} items) into {}; the old file was overwritten and deleted.",
        report.items_per_level.len(),
        new.display()
    );
    if let Some(fs) = shred.copy_on_write {
        eprintln!(
            "Warning: {} was on {fs}, which keeps old data when files are overwritten; run `lethe scrub-free-space` on that folder.",
            old.display()
        );
    }
    Ok(())
}

/// The language of the command line's own warnings: the locale's (LC_ALL, LC_MESSAGES,
/// LANG) if it is Korean, Chinese or English, else none.
fn locale_lang() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::from_locale(&v))
}

/// `msg` in `lang`, or in English and then Korean when no language is known.
fn say(lang: Option<Lang>, msg: Msg) -> String {
    match lang {
        Some(l) => l.tr(msg).to_owned(),
        None => format!("{}\n{}", Lang::En.tr(msg), Lang::Ko.tr(msg)),
    }
}

/// Whether a typed confirmation says yes (English, Korean or Chinese).
pub(crate) fn is_yes(answer: &str) -> bool {
    let a = answer.trim().to_lowercase();
    ["y", "yes", "네", "예", "응", "是", "是的", "好", "对"].contains(&a.as_str())
}

/// `lethe hide`: a compartment above the highest one opened could exist unseen and would be
/// overwritten (format 1: at once; format 2: once sessions reclaim its noise), so lethe always
/// warns, for the container's format once it is open, and asks for confirmation unless given
/// `--yes`. A
/// `hide` that cannot ask (standard input is not a terminal) and has no `--yes` refuses
/// before opening anything.
fn hide(vault: &Path, yes: bool, pass: &PassArg) -> CmdResult {
    check_is_file(vault)?;
    let interactive = std::io::stdin().is_terminal();
    if !yes && !interactive {
        let lang = locale_lang();
        return Err(Failure::new(
            Exit::Refused,
            format!("{}\n{}", say(lang, Msg::CliHideWarning), say(lang, Msg::CliHideNeedsYes)),
        ));
    }
    let mut src = source(pass)?;
    let current = src.read("Passphrase of your highest compartment: ").map_err(|m| Failure::new(Exit::Other, m))?;
    let mut v = lethe_vault::open_file(vault, &current, KDF)?;
    drop(current);
    // The locale's language; else the one this compartment's app settings name; else
    // English and Korean.
    let lang = locale_lang().or_else(|| match app::settings::Settings::load(&v) {
        (settings, Some(_)) => Some(settings.lang),
        (_, None) => None,
    });
    let warning = if v.format_version() == 1 { Msg::CliHideWarningV1 } else { Msg::CliHideWarningV2 };
    eprintln!("lethe: {}", say(lang, warning));
    if !yes {
        eprint!("{} ", say(lang, Msg::CliHideConfirm));
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| Failure::new(Exit::Io, format!("cannot read the answer: {e}")))?;
        if !is_yes(&answer) {
            return Err(Failure::new(Exit::Refused, say(lang, Msg::CliHideStopped)));
        }
    }
    let new =
        src.read_new("Passphrase for the new hidden compartment: ").map_err(|m| Failure::new(Exit::Refused, m))?;
    let level = v.hide(&new, KDF)?;
    eprintln!("Made a hidden compartment (level {level}).");
    Ok(())
}

fn add(vault: &Path, file: Option<&Path>, name: Option<String>, shred: bool, pass: &PassArg) -> CmdResult {
    let stdin_content = file.is_none() || file == Some(Path::new("-"));
    if file == Some(Path::new("-")) && name.is_none() {
        return Err(Failure::new(Exit::Usage, "with --file - give the item a --name"));
    }
    if shred && stdin_content {
        return Err(Failure::new(Exit::Usage, "--shred-source needs a file path"));
    }
    // Check the source before asking for the passphrase.
    let mut source_file = None;
    let mut size_hint = None;
    if let Some(path) = file.filter(|_| !stdin_content) {
        let meta = std::fs::metadata(path)
            .map_err(|e| Failure::new(Exit::Io, format!("cannot read {}: {e}", path.display())))?;
        if !meta.is_file() {
            return Err(Failure::new(Exit::Usage, format!("{} is not a regular file", path.display())));
        }
        size_hint = Some(meta.len());
        source_file = Some(
            std::fs::File::open(path)
                .map_err(|e| Failure::new(Exit::Io, format!("cannot read {}: {e}", path.display())))?,
        );
    }
    let mut v = open(vault, pass)?;
    let kind = if file.is_some() { ItemKind::File } else { ItemKind::Note };
    let item_name = match (&name, file) {
        (Some(n), _) => n.clone(),
        (None, Some(p)) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        (None, None) => String::new(),
    };
    if stdin_content && std::io::stdin().is_terminal() {
        eprintln!("Type the note, then press Ctrl-D on a new line.");
    }
    let mut bar = Progress::new("importing");
    let total = size_hint.unwrap_or(0);
    let mut stdin;
    let reader: &mut dyn Read = match source_file.as_mut() {
        Some(f) => f,
        None => {
            stdin = std::io::stdin().lock();
            &mut stdin
        }
    };
    let sessions_before = v.sessions_started();
    let id = v.add_from_reader(kind, &item_name, reader, size_hint, &mut |d| bar.update(d, total));
    bar.finish();
    let id = id?;
    println!("{id}");
    let more = v.sessions_started() - sessions_before;
    if more > 0 {
        // docs/FORMAT.md, version 2, tension 3: visible to whoever compares two copies.
        eprintln!(
            "Stored over {} sessions: to someone comparing two copies of the container this looks like opening it {} times.",
            more + 1,
            more + 1
        );
    }
    drop(v);
    if shred {
        let path = file.expect("checked above");
        drop(source_file);
        match fsutil::shred_file(path) {
            Ok(report) => {
                if let Some(fs) = report.copy_on_write {
                    eprintln!(
                        "Warning: {} is on {fs}, which writes changes to new places; the old content of the \
                         source file may still be on the device. Run `lethe scrub-free-space` on that folder.",
                        path.display()
                    );
                }
            }
            Err(e) => {
                return Err(Failure::new(
                    Exit::Io,
                    format!(
                        "the item {id} was stored, but the source file {} could not be shredded: {e}. Delete it yourself.",
                        path.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn scrub(dirs: &[PathBuf], minutes: u64) -> CmdResult {
    if minutes == 0 {
        return Err(Failure::new(Exit::Usage, "--time-limit must be at least 1 minute"));
    }
    let mut phase = None;
    let mut bar: Option<Progress> = None;
    let limit = std::time::Duration::from_secs(minutes.saturating_mul(60));
    let result = fsutil::scrub(dirs, limit, &mut |p, done, total| {
        if phase != Some(p) {
            if let Some(old) = bar.take() {
                old.finish();
            }
            phase = Some(p);
            bar = Some(Progress::new(p.label()));
        }
        if let Some(bar) = bar.as_mut() {
            bar.update(done, total);
        }
    });
    if let Some(bar) = bar {
        bar.finish();
    }
    let report = result.map_err(|e| Failure::new(Exit::Io, format!("scrubbing stopped: {e}. Your files are untouched, but old names and free space may be only partly overwritten; run it again.")))?;
    eprintln!(
        "Wrote {} random names over old ones and {} MiB of random data over free space.",
        report.names_written,
        report.free_space_written >> 20
    );
    for j in &report.journals {
        eprintln!(
            "The {} journal of {} ({} MiB; size: {}) was {} ({} MiB {}).",
            j.filesystem,
            j.directory.display(),
            j.journal_bytes >> 20,
            j.size_source,
            if j.complete { "overwritten completely" } else { "NOT overwritten completely" },
            j.churned_bytes >> 20,
            if j.measured { "written, as the kernel counts" } else { "written at least, estimated" }
        );
    }
    for w in &report.warnings {
        eprintln!("Warning: {w}");
    }
    eprintln!(
        "Flash storage (phones, memory cards, SSDs) can keep old copies inside the chip that no \
         program can reach; see docs/THREAT_MODEL.md."
    );
    if report.stopped_by_time_limit {
        return Err(Failure::new(
            Exit::Other,
            format!(
                "stopped at the time limit of {minutes} minutes before everything was done; run it again (with a larger --time-limit)"
            ),
        ));
    }
    Ok(())
}

fn shred_paths(paths: &[PathBuf]) -> CmdResult {
    // Check every path first, so that a typo does not leave half the list shredded.
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_file() => {}
            Ok(_) => {
                return Err(Failure::new(
                    Exit::Usage,
                    format!("{} is not a regular file; nothing was shredded", path.display()),
                ));
            }
            Err(e) => {
                return Err(Failure::new(
                    Exit::Io,
                    format!("cannot shred {}: {e}; nothing was shredded", path.display()),
                ));
            }
        }
    }
    let mut folders: Vec<PathBuf> = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        match fsutil::shred_file(path) {
            Ok(report) => {
                if let Some(fs) = report.copy_on_write {
                    eprintln!(
                        "Warning: {} is on {fs}, which writes changes to new places; its old content may still be on the device.",
                        path.display()
                    );
                }
                if report.other_links > 0 {
                    eprintln!("Warning: {} had other names (hard links); its content was overwritten.", path.display());
                }
                let folder = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                if !folders.contains(&folder) {
                    folders.push(folder);
                }
            }
            Err(e) => {
                return Err(Failure::new(
                    Exit::Io,
                    format!("cannot shred {}: {e} ({n} of {} files shredded before it)", path.display(), paths.len()),
                ));
            }
        }
    }
    eprintln!("Shredded {}.", words::count(paths.len(), "file", "files"));
    let shown: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
    eprintln!(
        "Their old names can stay in the file system's journal until you run: lethe scrub-free-space {}",
        shown.join(" ")
    );
    Ok(())
}

fn stdout_err(e: std::io::Error) -> Failure {
    Failure::new(Exit::Io, format!("cannot write to stdout: {e}"))
}

/// "64M", "64MB", "64MiB", "1G", "512K", "1048576" → bytes (powers of 1024).
fn parse_size(s: &str) -> Result<u64, Failure> {
    let bad = || Failure::new(Exit::Usage, format!("cannot read the size '{s}' (examples: 64M, 512M, 2G)"));
    let t = s.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: u64 = t[..digits_end].parse().map_err(|_| bad())?;
    let unit = t[digits_end..].trim().to_ascii_uppercase();
    let unit = unit.strip_suffix("IB").or_else(|| unit.strip_suffix('B')).unwrap_or(&unit);
    let unit = unit.strip_suffix('I').unwrap_or(unit);
    let mult: u64 = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(bad()),
    };
    n.checked_mul(mult).ok_or_else(|| Failure::new(Exit::Usage, format!("the size '{s}' is too large")))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M").ok(), Some(64 << 20));
        assert_eq!(parse_size("2G").ok(), Some(2 << 30));
        assert_eq!(parse_size("1MiB").ok(), Some(1 << 20));
        assert_eq!(parse_size("64 MB").ok(), Some(64 << 20));
        assert_eq!(parse_size("1Mi").ok(), Some(1 << 20));
        assert_eq!(parse_size("4096").ok(), Some(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
    }

    #[test]
    fn json_escapes() {
        assert_eq!(json_string("a\"b\\c\n사진"), "\"a\\\"b\\\\c\\n사진\"");
    }
}
