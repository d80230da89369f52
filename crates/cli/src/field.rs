//! `lethe field …`: a thin command-line front end over lethe-remit's field role. Every
//! rule lives in lethe-remit; each subcommand below parses its arguments, reads standard
//! input, and prints (data to stdout, words for people to stderr).

use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::app::i18n::Lang;
use crate::words::{self, count};
use clap::{Args, Subcommand};
use lethe_remit::time::{format_date_minutes, now_unix};
use lethe_remit::{Delivery, DeliveryMedia, Field, Received, RetentionReport, format_amount, parse_amount};
use lethe_vault::{FileStorage, Vault};

use crate::PassArg;
use crate::common::{KeyArgs, VaultArgs};
use crate::common::{
    MessageInput, MessageOut, check_new_file, parse_code, print_key, print_table, random_file_name, read_stdin,
    write_new_file,
};
use crate::cover::{CoverChoice, cover_parser, describe, setting_name};
use crate::exit::{CmdResult, Exit, Failure};
use crate::media::{MediaError, MediaInput};
use crate::progress::Progress;
use crate::secret_input::PassphraseSource;

#[derive(Subcommand)]
pub enum FieldCommand {
    /// Create the broker's key pair in the compartment the passphrase opens; prints the
    /// public key to give to the hub.
    Init(KeyArgs),
    /// Print the broker's public key again.
    Key(KeyArgs),
    /// Start pairing with the hub remotely: prints a pairing request to send to the hub
    /// (a commitment to your key; your key itself goes last, after the hub's answer).
    PairRequest(KeyArgs),
    /// Pair with the hub. Reads from stdin either the hub's answer to your pairing request
    /// (remote pairing: prints your pairing key to send to the hub last, and shows the
    /// 12-digit safety code to read aloud together), or the hub's public key (in person:
    /// prints the 32-character fingerprint to compare side by side).
    Pair(VaultArgs),
    /// Print the safety code of the pairing again (and the full fingerprint).
    SafetyCode(VaultArgs),
    /// Read a message from the hub (orders or an acknowledgement) from stdin and apply it.
    Receive(ReceiveArgs),
    /// Print the orders held: pending ones, then delivered ones waiting for the hub.
    Orders(VaultArgs),
    /// Record a delivery. The recipient's answer is asked like a passphrase (not shown;
    /// with --passphrase-fd, the line after the vault passphrase). The report is sealed
    /// for the hub at once: this vault cannot read it back.
    Deliver(DeliverArgs),
    /// Print one sealed message with every report waiting, and write their sealed media
    /// files (ciphertext only) into --media-dir.
    Send(SendArgs),
    /// Withdraw the report of an order that waits to be sent (a mistake): the sealed report
    /// and its media are erased and the order is pending again. A report already sent
    /// stays with the hub.
    Withdraw(CodeArgs),
    /// Undo a pairing with a wrong hub key, while no message from that hub has arrived.
    Unpair(VaultArgs),
    /// Show or change settings: how many days orders and reports are kept at most, and the
    /// form messages to the hub are written in (cover text or plain armor).
    Settings(SettingsArgs),
}

/// Runs one `lethe field` subcommand.
pub fn run_field(cmd: FieldCommand) -> CmdResult {
    let now = now_unix();
    match cmd {
        FieldCommand::Init(a) => init(a, now),
        FieldCommand::Key(a) => key(a, now),
        FieldCommand::PairRequest(a) => pair_request(a, now),
        FieldCommand::Pair(a) => pair(a, now),
        FieldCommand::SafetyCode(a) => safety_code(a, now),
        FieldCommand::Receive(a) => receive(a, now),
        FieldCommand::Orders(a) => orders(a, now),
        FieldCommand::Deliver(a) => deliver(a, now),
        FieldCommand::Send(a) => send(a, now),
        FieldCommand::Withdraw(a) => withdraw(a, now),
        FieldCommand::Unpair(a) => unpair(a, now),
        FieldCommand::Settings(a) => settings(a, now),
    }
}

fn init(KeyArgs { vault, qr, pass }: KeyArgs, now: u64) -> CmdResult {
    let qr_file = check_new_file(qr.qr.as_deref())?;
    let mut v = crate::open(&vault, &pass)?;
    let key = Field::init(&mut v, now)?.public_key();
    eprintln!("Made your key. Give this public key to the hub:");
    print_key(&key.to_text(), &qr, qr_file)
}

fn key(KeyArgs { vault, qr, pass }: KeyArgs, now: u64) -> CmdResult {
    let qr_file = check_new_file(qr.qr.as_deref())?;
    let mut v = crate::open(&vault, &pass)?;
    let field = open_field(&mut v, now)?;
    print_key(&field.public_key().to_text(), &qr, qr_file)
}

fn pair_request(KeyArgs { vault, qr, pass }: KeyArgs, now: u64) -> CmdResult {
    let qr_file = check_new_file(qr.qr.as_deref())?;
    let mut v = crate::open(&vault, &pass)?;
    let request = open_field(&mut v, now)?.pair_request()?;
    eprintln!(
        "Send this pairing request to the hub. The hub answers with a text: give it to \
         `lethe field pair`."
    );
    print_key(&request, &qr, qr_file)
}

fn pair(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let text = read_stdin("Paste the hub's answer (or the hub's public key), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    let step = open_field(&mut v, now)?.pair_step(&text)?;
    match step.reveal {
        Some(reveal) => {
            println!("{reveal}");
            eprintln!(
                "Paired with the hub. Send the text above to the hub, then read this safety code \
                 together by voice: {}\nIf the hub's code differs, someone is in between: do not \
                 use this pairing. (`lethe field safety-code` shows it again.)",
                step.safety_code
            );
        }
        None => {
            println!("{}", step.safety_code);
            eprintln!(
                "Paired with the hub. Compare this fingerprint with the hub's screen, side by side, \
                 every character; if it differs, a key was swapped on the way: do not use this pairing."
            );
        }
    }
    Ok(())
}

fn safety_code(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let field = open_field(&mut v, now)?;
    let (Some(code), Some(fingerprint)) = (field.safety_code(), field.fingerprint()) else {
        return Err(lethe_remit::Error::NotPaired.into());
    };
    println!("{code}");
    eprintln!("Full fingerprint (to compare in person): {fingerprint}");
    Ok(())
}

#[derive(Args)]
pub struct ReceiveArgs {
    vault: PathBuf,
    #[command(flatten)]
    input: MessageInput,
    #[command(flatten)]
    pass: PassArg,
}

fn receive(ReceiveArgs { vault, input, pass }: ReceiveArgs, now: u64) -> CmdResult {
    let text = input.read("Paste the hub's message (every part, if it came in parts), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    let mut field = open_field(&mut v, now)?;
    match field.receive(&text)? {
        Received::Orders { added, already_had, .. } => {
            for code in &added {
                println!("{code}");
            }
            eprintln!(
                "Received {}. See them with `lethe field orders`.",
                count(added.len(), "new order", "new orders")
            );
            if already_had > 0 {
                eprintln!(
                    "{} in the message {} here already.",
                    count(already_had, "order", "orders"),
                    if already_had == 1 { "was" } else { "were" }
                );
            }
        }
        Received::Ack { erased, disputed, unknown } => {
            if !erased.is_empty() {
                eprintln!(
                    "The hub settled or cancelled {}: {}. Erased {}, {} and media.",
                    count(erased.len(), "order", "orders"),
                    erased.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
                    if erased.len() == 1 { "it" } else { "those orders" },
                    if erased.len() == 1 { "its report" } else { "their reports" },
                );
            }
            for (code, reason) in &disputed {
                eprintln!(
                    "The hub DISPUTES order {code}: {reason}. The order is kept until the hub resolves it; \
                     talk to the hub."
                );
            }
            if unknown > 0 {
                eprintln!("{} no longer here.", count(unknown, "confirmed order was", "confirmed orders were"));
            }
        }
        _ => {}
    }
    Ok(())
}

fn orders(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let field = open_field(&mut v, now)?;
    let orders = field.orders()?;
    let rows: Vec<Vec<String>> = orders
        .iter()
        .map(|o| {
            vec![
                o.code.to_string(),
                match (&o.dispute, o.delivered_at) {
                    (Some(reason), _) => format!("DISPUTED: {reason}"),
                    (None, Some(_)) => "delivered".into(),
                    (None, None) => "pending".into(),
                },
                o.alias.clone(),
                o.place_hint.clone(),
                format_amount(o.amount_minor, o.currency),
                format_date_minutes(o.deadline_minutes),
                words::age(Lang::En, now.saturating_sub(o.received_at)),
                o.question.clone(),
            ]
        })
        .collect();
    print_table(&["CODE", "STATUS", "ALIAS", "PLACE", "AMOUNT", "DEADLINE", "AGE", "QUESTION"], &rows)?;
    let waiting = field.outbox()?.len();
    if waiting > 0 {
        eprintln!("{} to be sent: `lethe field send`.", count(waiting, "report waits", "reports wait"));
    }
    Ok(())
}

#[derive(Args)]
pub struct DeliverArgs {
    vault: PathBuf,
    /// The order code (e.g. K3F-9QZ2).
    code: String,
    /// Amount handed over (default: the order's amount).
    #[arg(long)]
    amount: Option<String>,
    /// A photo or video (JPEG, PNG, MP4/MOV: their metadata is removed) or, with
    /// --keep-metadata, another file.
    #[arg(long, value_name = "PATH")]
    media: Option<PathBuf>,
    /// After sealing, overwrite the media file with random bytes and delete it.
    #[arg(long, requires = "media")]
    shred_source: bool,
    /// Send a file that is not a JPEG, PNG, MP4 or MOV as it is, with its metadata (place,
    /// time, phone).
    #[arg(long, requires = "media")]
    keep_metadata: bool,
    /// Seal without asking to confirm the code and amount (for scripts; without a terminal
    /// to ask on, lethe refuses to seal unless this is given).
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    pass: PassArg,
}

fn deliver(
    DeliverArgs { vault, code, amount, media, shred_source, keep_metadata, yes, pass }: DeliverArgs,
    now: u64,
) -> CmdResult {
    let code = parse_code(&code)?;
    let interactive = pass.passphrase_fd.is_none() && std::io::stdin().is_terminal();
    if !yes && !interactive {
        return Err(Failure::new(
            Exit::Refused,
            "a delivery is sealed for good, so lethe shows its code and amount and asks first; \
             there is no terminal to ask on: add --yes to seal without asking. Nothing was changed.",
        ));
    }
    // Check the media file before asking for anything.
    let media_input = match &media {
        Some(path) => Some(open_media(path, keep_metadata)?),
        None => None,
    };
    let mut src = crate::source(&pass)?;
    let mut v = unlock(&vault, &mut src)?;
    let mut field = open_field(&mut v, now)?;
    let order = field.orders()?.into_iter().find(|o| o.code == code).ok_or(lethe_remit::Error::UnknownOrder(code))?;
    if order.delivered_at.is_some() {
        return Err(lethe_remit::Error::AlreadyDelivered(code).into());
    }
    let amount_minor = match &amount {
        Some(text) => Some(parse_amount(text, order.currency).map_err(lethe_remit::Error::from)?),
        None => None,
    };
    if let PassphraseSource::Terminal = src {
        eprintln!("Ask {}: {}", order.alias, order.question);
    }
    let answer = src
        .read_maybe_empty("Their answer (not shown): ")
        .map_err(|m| Failure::new(Exit::Other, format!("cannot read the answer: {m}")))?;
    let answer_text = std::str::from_utf8(answer.as_bytes())
        .map_err(|_| Failure::new(Exit::Usage, "the answer is not valid text (UTF-8)"))?;
    if !yes {
        let handed = format_amount(amount_minor.unwrap_or(order.amount_minor), order.currency);
        eprintln!("Order {code} ({}): handed over {handed}.", order.alias);
        if let Some(m) = &media {
            eprintln!("With {}.", m.display());
        }
        eprint!(
            "Seal this report for the hub? It cannot be changed afterwards (only withdrawn before sending). Type yes: "
        );
        let mut reply = String::new();
        std::io::stdin()
            .read_line(&mut reply)
            .map_err(|e| Failure::new(Exit::Io, format!("cannot read the answer: {e}")))?;
        if !crate::is_yes(&reply) {
            return Err(Failure::new(Exit::Refused, "Not sealed. Nothing was changed."));
        }
    }
    let mut bar = Progress::new("sealing media");
    let delivered = {
        let mut reader_holder;
        let media = match &media_input {
            None => None,
            Some(MediaInput::Jpeg(bytes)) => Some(DeliveryMedia::Jpeg(bytes)),
            Some(MediaInput::Other { path, len }) => {
                reader_holder = File::open(path)
                    .map_err(|e| Failure::new(Exit::Io, format!("cannot read {}: {e}", path.display())))?;
                Some(DeliveryMedia::Unstripped { reader: &mut reader_holder, len: *len })
            }
        };
        field.deliver(Delivery { code, amount_minor, answer: answer_text, media }, &mut |d, t| bar.update(d, t))
    };
    bar.finish();
    drop(answer);
    let delivered = delivered?;
    eprintln!(
        "Recorded the delivery of {} for order {code}. The report is sealed for the hub \
         (this phone cannot read it back); send it with `lethe field send`.",
        format_amount(delivered.amount_minor, delivered.currency)
    );
    if delivered.amount_minor < delivered.ordered_minor {
        eprintln!(
            "This is a partial delivery: the order is for {}. The hub counts the fee in \
             proportion and keeps the rest outstanding.",
            format_amount(delivered.ordered_minor, delivered.currency)
        );
    }
    drop(field);
    drop(v);
    drop(media_input);
    if shred_source && let Some(path) = &media {
        shred(path, &code.to_string())?;
    }
    Ok(())
}

#[derive(Args)]
pub struct SendArgs {
    vault: PathBuf,
    #[command(flatten)]
    output: MessageOut,
    /// Folder for the sealed media files.
    #[arg(long, value_name = "DIR")]
    media_dir: Option<PathBuf>,
    #[command(flatten)]
    pass: PassArg,
}

fn send(SendArgs { vault, output, media_dir, pass }: SendArgs, now: u64) -> CmdResult {
    let printer = output.check()?;
    if let Some(dir) = &media_dir
        && !dir.is_dir()
    {
        return Err(Failure::new(Exit::Usage, format!("{} is not a folder", dir.display())));
    }
    let mut v = crate::open(&vault, &pass)?;
    let field = open_field(&mut v, now)?;
    let out = field.send()?;
    let outbox = field.outbox()?;
    let chars = printer.print(&out)?;
    eprintln!("{} in this message ({chars} characters).", count(out.items, "report", "reports"));
    if out.remaining > 0 {
        eprintln!("{} more wait: send this one, then run this command again.", out.remaining);
    }
    let media: Vec<(lethe_vault::ItemId, u64)> = outbox.iter().take(out.items).filter_map(|e| e.media).collect();
    match (&media_dir, media.is_empty()) {
        (_, true) => {}
        (None, false) => {
            eprintln!(
                "{} a photo or video: add --media-dir DIR to write the sealed files.",
                count(media.len(), "report has", "reports have")
            )
        }
        (Some(dir), false) => {
            let mut names = Vec::new();
            for (item, _) in &media {
                let path = dir.join(random_file_name()?);
                write_new_file(&path, |file| {
                    let mut bar = Progress::new("writing media");
                    let result = field.write_media(*item, file, &mut |d, t| bar.update(d, t));
                    bar.finish();
                    result.map_err(Failure::from)
                })?;
                names.push(path.display().to_string());
            }
            eprintln!(
                "Wrote {} (only the hub can open them); send them with the message:",
                count(names.len(), "sealed media file", "sealed media files")
            );
            for name in &names {
                eprintln!("  {name}");
            }
            eprintln!(
                "They stay in {} (readable only by you) until you remove them, after sending, with: lethe shred {}",
                dir.display(),
                names.join(" ")
            );
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct SettingsArgs {
    vault: PathBuf,
    #[arg(long, value_name = "N")]
    retention_days: Option<u32>,
    /// The form messages to the hub are written in by default: ko-market, zh-market
    /// (cover text) or none (plain armor). `--cover` on `lethe field send` overrides it.
    #[arg(long, value_name = "FORM", value_parser = cover_parser())]
    cover: Option<CoverChoice>,
    #[command(flatten)]
    pass: PassArg,
}

fn settings(SettingsArgs { vault, retention_days, cover, pass }: SettingsArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let mut field = open_field(&mut v, now)?;
    if let Some(days) = retention_days {
        let erased = field.set_retention_days(days)?;
        eprintln!("Orders and reports are now kept at most {}.", count(days as usize, "day", "days"));
        report_erased(erased, days);
    }
    if let Some(choice) = cover {
        field.set_cover_setting(choice.style())?;
        eprintln!("Messages to the hub are now written as {} unless --cover says otherwise.", describe(choice.style()));
    }
    println!("retention-days: {}", field.retention_days());
    println!("cover: {}", setting_name(field.cover_setting()?));
    Ok(())
}

/// Opens the field role and says what the retention rule erased.
fn open_field(v: &mut Vault<FileStorage>, now: u64) -> Result<Field<'_, FileStorage>, Failure> {
    let field = Field::open(v, now)?;
    report_erased(field.erased_on_open(), field.retention_days());
    Ok(field)
}

fn report_erased(erased: RetentionReport, days: u32) {
    if erased.orders + erased.reports > 0 {
        eprintln!(
            "Erased {} and {} older than {}.",
            count(erased.orders, "order", "orders"),
            count(erased.reports, "report", "reports"),
            count(days as usize, "day", "days")
        );
    }
}

/// Opens the vault with the first passphrase of `src`, leaving later lines (the
/// recipient's answer) unread.
fn unlock(path: &Path, src: &mut PassphraseSource) -> Result<Vault<FileStorage>, Failure> {
    crate::check_is_file(path)?;
    let p = src.read("Passphrase: ").map_err(|m| Failure::new(Exit::Other, m))?;
    Ok(lethe_vault::open_file(path, &p, crate::KDF)?)
}

/// Checks the media file before the vault is opened (the checks the app makes too).
fn open_media(path: &Path, keep_metadata: bool) -> Result<MediaInput, Failure> {
    MediaInput::open(path, keep_metadata).map_err(|e| match e {
        MediaError::Io(e) => Failure::new(Exit::Io, format!("cannot read {}: {e}", path.display())),
        MediaError::NotAFile => Failure::new(Exit::Usage, format!("{} is not a regular file", path.display())),
        MediaError::TooLarge { max_mib } => {
            Failure::new(Exit::Usage, format!("the photo or video is too large (at most {max_mib} MiB)"))
        }
        MediaError::NotJpeg => Failure::new(
            Exit::Usage,
            format!(
                "{} is not a photo (JPEG, PNG) or a video (MP4, MOV). lethe removes metadata (place, time, \
                 phone) only from those; \
                 to send this file with its metadata, add --keep-metadata",
                path.display()
            ),
        ),
    })
}

fn shred(path: &Path, code: &str) -> CmdResult {
    match crate::fsutil::shred_file(path) {
        Ok(report) => {
            if let Some(fs) = report.copy_on_write {
                eprintln!(
                    "Warning: {} is on {fs}, which writes changes to new places; the old photo may still be \
                     on the device. Run `lethe scrub-free-space` on that folder.",
                    path.display()
                );
            }
            if report.other_links > 0 {
                eprintln!("Warning: the photo had other names (hard links); its content was overwritten.");
            }
            Ok(())
        }
        Err(e) => Err(Failure::new(
            Exit::Io,
            format!(
                "the delivery of {code} was recorded, but {} could not be shredded: {e}. Delete it yourself.",
                path.display()
            ),
        )),
    }
}

#[derive(Args)]
pub struct CodeArgs {
    vault: PathBuf,
    /// The order code (e.g. K3F-9QZ2).
    code: String,
    #[command(flatten)]
    pass: PassArg,
}

fn withdraw(CodeArgs { vault, code, pass }: CodeArgs, now: u64) -> CmdResult {
    let code = parse_code(&code)?;
    let mut v = crate::open(&vault, &pass)?;
    open_field(&mut v, now)?.withdraw(code)?;
    eprintln!(
        "Withdrew the report of order {code}: it and its media are erased, and the order is pending again \
         (its place and question were erased at delivery: ask the hub to send the order again if you need them). \
         If you had already sent the report, the hub has it anyway."
    );
    Ok(())
}

fn unpair(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    open_field(&mut v, now)?.unpair()?;
    eprintln!("Forgot the hub's key. Pair again with the right key: `lethe field pair`.");
    Ok(())
}
