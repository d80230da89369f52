//! `lethe hub …` and `lethe field …`: thin command-line front ends over lethe-remit.
//! Every rule lives in lethe-remit; this module parses arguments, reads standard input,
//! and prints. Data (keys, messages, codes, tables) goes to stdout; words for people
//! and QR codes drawn in the terminal go to stderr.

use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use lethe_protocol::jpeg::MAX_JPEG_LEN;
use lethe_remit::time::{format_age, format_date_minutes, format_time, now_unix};
use lethe_remit::{
    Currency, Delivery, DeliveryMedia, Field, Hub, HubOrderStatus, OrderCode, OrderForm, Outgoing, Received,
    ReportOutcome, RetentionReport, format_amount, format_number, parse_amount, parse_currency,
};
use lethe_vault::{FileStorage, Vault};
use unicode_width::UnicodeWidthStr;
use zeroize::Zeroizing;

use crate::exit::{CmdResult, Exit, Failure};
use crate::progress::Progress;
use crate::secret_input::PassphraseSource;

/// Most bytes read from standard input (a message, a key, an order form).
const MAX_STDIN: u64 = 2 * 1024 * 1024;

/// Pixels per QR module in PNG files.
const PNG_SCALE: usize = 8;

#[derive(Args)]
pub struct QrArgs {
    /// Also write the text as a QR code to this PNG file (it must not exist yet).
    #[arg(long, value_name = "PATH.png")]
    qr: Option<PathBuf>,
    /// Also draw the QR code in the terminal (on stderr).
    #[arg(long)]
    qr_terminal: bool,
}

#[derive(Subcommand)]
pub enum HubCommand {
    /// Create the hub's key pair in the compartment the passphrase opens; prints the
    /// public key to give to brokers.
    Init {
        vault: PathBuf,
        #[command(flatten)]
        qr: QrArgs,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print the hub's public key again.
    Key {
        vault: PathBuf,
        #[command(flatten)]
        qr: QrArgs,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Pair with a broker: reads her public key (text from `lethe field init`) from stdin
    /// and prints the safety code to compare with her by voice or in person.
    AddBroker {
        vault: PathBuf,
        /// A short label for the broker (a pseudonym, never her real name).
        #[arg(long)]
        name: String,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// List the paired brokers with their safety codes.
    Brokers {
        vault: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Make an order for a broker from the order form on stdin ('key: value' lines: alias,
    /// place, amount, currency, fee, deadline (YYYY-MM-DD), question, answer); prints the
    /// order code. Only a salted slow hash of the answer is kept.
    Order {
        vault: PathBuf,
        #[arg(long)]
        broker: String,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print one sealed message with the broker's orders not sent yet.
    Send {
        vault: PathBuf,
        #[arg(long)]
        broker: String,
        /// Also include orders sent before that have no report yet (if a message was lost).
        #[arg(long)]
        resend: bool,
        #[command(flatten)]
        qr: QrArgs,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Import delivery reports (text on stdin): verify the answers, update the orders and
    /// the ledger, and print the acknowledgement to send back to the broker.
    Receive {
        vault: PathBuf,
        #[command(flatten)]
        qr: QrArgs,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Import a sealed media file written by `lethe field send --media-dir`.
    Media {
        vault: PathBuf,
        file: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Write the photo or video of an order to a new file.
    ExportMedia {
        vault: PathBuf,
        code: String,
        /// Where to write (must not exist yet).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print the orders by broker and status.
    Orders {
        vault: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print the settlement ledger per broker and currency.
    Ledger {
        vault: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Record cash advanced to a broker.
    Advance {
        vault: PathBuf,
        #[arg(long)]
        broker: String,
        /// e.g. 1500, 1,500.50, 150만, 1万5000
        #[arg(long)]
        amount: String,
        /// CNY, KRW or USD
        #[arg(long)]
        currency: String,
        #[command(flatten)]
        pass: crate::PassArg,
    },
}

#[derive(Subcommand)]
pub enum FieldCommand {
    /// Create the broker's key pair in the compartment the passphrase opens; prints the
    /// public key to give to the hub.
    Init {
        vault: PathBuf,
        #[command(flatten)]
        qr: QrArgs,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print the broker's public key again.
    Key {
        vault: PathBuf,
        #[command(flatten)]
        qr: QrArgs,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Pair with the hub: reads the hub's public key (text) from stdin and prints the
    /// safety code to compare by voice or in person.
    Pair {
        vault: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Read a message from the hub (orders or an acknowledgement) from stdin and apply it.
    Receive {
        vault: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print the orders held: pending ones, then delivered ones waiting for the hub.
    Orders {
        vault: PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Record a delivery. The recipient's answer is asked like a passphrase (not shown;
    /// with --passphrase-fd, the line after the vault passphrase). The report is sealed
    /// for the hub at once: this vault cannot read it back.
    Deliver {
        vault: PathBuf,
        /// The order code (e.g. K3F-9QZ2).
        code: String,
        /// Amount handed over (default: the order's amount).
        #[arg(long)]
        amount: Option<String>,
        /// A photo (JPEG: its metadata is removed) or, with --keep-metadata, another file.
        #[arg(long, value_name = "PATH")]
        media: Option<PathBuf>,
        /// After sealing, overwrite the media file with random bytes and delete it.
        #[arg(long, requires = "media")]
        shred_source: bool,
        /// Send a file that is not a JPEG as it is, with its metadata (place, time, phone).
        #[arg(long, requires = "media")]
        keep_metadata: bool,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Print one sealed message with every report waiting, and write their sealed media
    /// files (ciphertext only) into --media-dir.
    Send {
        vault: PathBuf,
        #[command(flatten)]
        qr: QrArgs,
        /// Folder for the sealed media files.
        #[arg(long, value_name = "DIR")]
        media_dir: Option<PathBuf>,
        #[command(flatten)]
        pass: crate::PassArg,
    },
    /// Show or change settings: how many days orders and reports are kept at most.
    Settings {
        vault: PathBuf,
        #[arg(long, value_name = "N")]
        retention_days: Option<u32>,
        #[command(flatten)]
        pass: crate::PassArg,
    },
}

pub fn run_hub(cmd: HubCommand) -> CmdResult {
    let now = now_unix();
    match cmd {
        HubCommand::Init { vault, qr, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            let mut v = crate::open(&vault, &pass)?;
            let key = Hub::init(&mut v, now)?.public_key();
            eprintln!("Made the hub's key. Give this public key to each broker:");
            print_key(&key.to_text(), &qr, qr_file)
        }
        HubCommand::Key { vault, qr, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            let mut v = crate::open(&vault, &pass)?;
            let key = Hub::open(&mut v, now)?.public_key();
            print_key(&key.to_text(), &qr, qr_file)
        }
        HubCommand::AddBroker { vault, name, pass } => {
            let key_text = read_stdin("Paste the broker's public key, then press Ctrl-D.")?;
            let mut v = crate::open(&vault, &pass)?;
            let broker = Hub::open(&mut v, now)?.add_broker(&name, &key_text)?;
            println!("{}", broker.safety_code);
            eprintln!(
                "Paired with broker '{}'. Compare this safety code with her by voice or in person; \
                 if it differs, a key was swapped on the way: do not use this pairing.",
                broker.name
            );
            Ok(())
        }
        HubCommand::Brokers { vault, pass } => {
            let mut v = crate::open(&vault, &pass)?;
            let brokers = Hub::open(&mut v, now)?.brokers()?;
            let rows: Vec<Vec<String>> = brokers
                .iter()
                .map(|b| vec![b.name.clone(), b.safety_code.clone(), format_time(b.paired_at)])
                .collect();
            print_table(&["BROKER", "SAFETY CODE", "PAIRED (UTC)"], &rows)
        }
        HubCommand::Order { vault, broker, pass } => {
            let text = read_stdin(
                "Type the order as 'key: value' lines (alias, place, amount, currency, fee, deadline, \
                 question, answer), then press Ctrl-D.",
            )?;
            // Checked before the (slow) unlock, so a typo costs nothing.
            let form = OrderForm::parse(&text).map_err(lethe_remit::Error::from)?;
            drop(text);
            let mut v = crate::open(&vault, &pass)?;
            let mut hub = Hub::open(&mut v, now)?;
            let code = hub.create_order(&broker, &form)?;
            let order = hub.orders()?.into_iter().find(|o| o.code == code);
            println!("{code}");
            if let Some(o) = order {
                eprintln!(
                    "Order {code} for {broker}: {}, deadline {}. Send it with `lethe hub send --broker {broker}`.",
                    format_amount(o.amount_minor, o.currency),
                    format_date_minutes(o.deadline_minutes)
                );
            }
            Ok(())
        }
        HubCommand::Send { vault, broker, resend, qr, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            let mut v = crate::open(&vault, &pass)?;
            let out = Hub::open(&mut v, now)?.send_orders(&broker, resend)?;
            print_message(&out, &qr, qr_file)?;
            eprintln!(
                "{} order(s) for {broker} in this message ({} characters). Send all of it to her.",
                out.items,
                out.chars()
            );
            if out.remaining > 0 {
                eprintln!("{} more wait: run this command again.", out.remaining);
            }
            Ok(())
        }
        HubCommand::Receive { vault, qr, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            let text = read_stdin("Paste the broker's message, then press Ctrl-D.")?;
            let mut v = crate::open(&vault, &pass)?;
            let mut hub = Hub::open(&mut v, now)?;
            let receipt = hub.receive(&text)?;
            let orders = hub.orders()?;
            for r in &receipt.results {
                let alias = orders.iter().find(|o| o.code == r.code).map_or("", |o| o.alias.as_str());
                let what = match r.outcome {
                    ReportOutcome::Delivered => "delivered".to_owned(),
                    ReportOutcome::Disputed(reason) => format!("DISPUTED ({})", reason.as_str()),
                    ReportOutcome::AlreadyRecorded => "already recorded, unchanged".to_owned(),
                    ReportOutcome::UnknownOrder => "UNKNOWN ORDER, not recorded".to_owned(),
                    _ => "not recorded".to_owned(),
                };
                let mut line = format!("{}  {what}  {alias}  {}", r.code, format_amount(r.amount_handed_minor, r.currency));
                if let Some(ordered) = r.amount_ordered_minor.filter(|o| *o != r.amount_handed_minor) {
                    line.push_str(&format!(" (ordered {})", format_amount(ordered, r.currency)));
                }
                if r.has_media {
                    line.push_str("  [media: import it with `lethe hub media`]");
                }
                eprintln!("{line}");
            }
            print_message(&receipt.ack, &qr, qr_file)?;
            eprintln!(
                "Send this acknowledgement to {}: her lethe then erases these orders.",
                receipt.broker
            );
            Ok(())
        }
        HubCommand::Media { vault, file, pass } => {
            let source = File::open(&file)
                .map_err(|e| Failure::new(Exit::Io, format!("cannot read {}: {e}", file.display())))?;
            if !source.metadata().map(|m| m.is_file()).unwrap_or(false) {
                return Err(Failure::new(Exit::Usage, format!("{} is not a regular file", file.display())));
            }
            let mut v = crate::open(&vault, &pass)?;
            let mut hub = Hub::open(&mut v, now)?;
            let mut bar = Progress::new("importing");
            let imported = hub.import_media(source, &mut |d, t| bar.update(d, t));
            bar.finish();
            let imported = imported?;
            eprintln!(
                "Imported the media of order {} ({} bytes). The file {} is sealed; you may delete it.",
                imported.code,
                imported.len,
                file.display()
            );
            Ok(())
        }
        HubCommand::ExportMedia { vault, code, output, pass } => {
            let code = parse_code(&code)?;
            check_new_file(Some(&output))?;
            let mut v = crate::open(&vault, &pass)?;
            let hub = Hub::open(&mut v, now)?;
            let mut file = create_new(&output)?;
            let mut bar = Progress::new("exporting");
            let result = hub.export_media(code, &mut file, &mut |d, t| bar.update(d, t));
            bar.finish();
            let result = result
                .map_err(Failure::from)
                .and_then(|len| file.sync_all().map(|_| len).map_err(|e| Failure::new(Exit::Io, e.to_string())));
            match result {
                Ok(len) => {
                    eprintln!(
                        "Exported {len} bytes to {}. This copy is outside the container: delete it when done.",
                        output.display()
                    );
                    Ok(())
                }
                Err(e) => {
                    drop(file);
                    let _ = crate::fsutil::shred_file(&output);
                    Err(e)
                }
            }
        }
        HubCommand::Orders { vault, pass } => {
            let mut v = crate::open(&vault, &pass)?;
            let orders = Hub::open(&mut v, now)?.orders()?;
            let mut rows = Vec::new();
            for o in &orders {
                let handed = o
                    .report
                    .as_ref()
                    .map(|r| format_number(i128::from(r.amount_handed_minor), o.currency))
                    .unwrap_or_default();
                let media = match &o.report {
                    Some(r) if r.media_imported => "imported",
                    Some(r) if r.has_media => "waiting",
                    _ => "",
                };
                rows.push(vec![
                    o.broker.clone(),
                    o.code.to_string(),
                    o.status.as_str().to_owned(),
                    o.alias.clone(),
                    format_amount(o.amount_minor, o.currency),
                    handed,
                    format_date_minutes(o.deadline_minutes),
                    media.to_owned(),
                ]);
            }
            print_table(&["BROKER", "CODE", "STATUS", "ALIAS", "AMOUNT", "HANDED", "DEADLINE", "MEDIA"], &rows)?;
            let count = |f: fn(&HubOrderStatus) -> bool| orders.iter().filter(|o| f(&o.status)).count();
            eprintln!(
                "{} orders: {} new, {} sent, {} delivered, {} disputed.",
                orders.len(),
                count(|s| *s == HubOrderStatus::New),
                count(|s| *s == HubOrderStatus::Sent),
                count(|s| *s == HubOrderStatus::Delivered),
                count(|s| matches!(s, HubOrderStatus::Disputed(_)))
            );
            Ok(())
        }
        HubCommand::Ledger { vault, pass } => {
            let mut v = crate::open(&vault, &pass)?;
            let ledger = Hub::open(&mut v, now)?.ledger()?;
            let n = |v: u128, c: Currency| format_number(v.min(i128::MAX as u128) as i128, c);
            let rows: Vec<Vec<String>> = ledger
                .iter()
                .map(|r| {
                    vec![
                        r.broker.clone(),
                        r.currency.code().to_owned(),
                        n(r.advanced, r.currency),
                        n(r.delivered, r.currency),
                        n(r.fees_owed, r.currency),
                        n(r.disputed, r.currency),
                        n(r.outstanding, r.currency),
                        format_number(r.balance, r.currency),
                    ]
                })
                .collect();
            print_table(
                &["BROKER", "CUR", "ADVANCED", "DELIVERED", "FEES OWED", "DISPUTED", "OUTSTANDING", "BALANCE"],
                &rows,
            )?;
            eprintln!("Balance = advanced - delivered - fees owed (negative: the hub owes the broker).");
            Ok(())
        }
        HubCommand::Advance { vault, broker, amount, currency, pass } => {
            let currency = parse_currency(&currency).map_err(lethe_remit::Error::from)?;
            let minor = parse_amount(&amount, currency).map_err(lethe_remit::Error::from)?;
            let mut v = crate::open(&vault, &pass)?;
            Hub::open(&mut v, now)?.record_advance(&broker, minor, currency)?;
            eprintln!("Recorded {} advanced to {broker}.", format_amount(minor, currency));
            Ok(())
        }
    }
}

pub fn run_field(cmd: FieldCommand) -> CmdResult {
    let now = now_unix();
    match cmd {
        FieldCommand::Init { vault, qr, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            let mut v = crate::open(&vault, &pass)?;
            let key = Field::init(&mut v, now)?.public_key();
            eprintln!("Made your key. Give this public key to the hub:");
            print_key(&key.to_text(), &qr, qr_file)
        }
        FieldCommand::Key { vault, qr, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            let mut v = crate::open(&vault, &pass)?;
            let field = open_field(&mut v, now)?;
            print_key(&field.public_key().to_text(), &qr, qr_file)
        }
        FieldCommand::Pair { vault, pass } => {
            let key_text = read_stdin("Paste the hub's public key, then press Ctrl-D.")?;
            let mut v = crate::open(&vault, &pass)?;
            let code = open_field(&mut v, now)?.pair(&key_text)?;
            println!("{code}");
            eprintln!(
                "Paired with the hub. Compare this safety code with the hub by voice or in person; \
                 if it differs, a key was swapped on the way: do not use this pairing."
            );
            Ok(())
        }
        FieldCommand::Receive { vault, pass } => {
            let text = read_stdin("Paste the hub's message, then press Ctrl-D.")?;
            let mut v = crate::open(&vault, &pass)?;
            let mut field = open_field(&mut v, now)?;
            match field.receive(&text)? {
                Received::Orders { added, already_had } => {
                    for code in &added {
                        println!("{code}");
                    }
                    eprintln!("Received {} new order(s). See them with `lethe field orders`.", added.len());
                    if already_had > 0 {
                        eprintln!("{already_had} order(s) in the message were here already.");
                    }
                }
                Received::Ack { erased, unknown } => {
                    eprintln!(
                        "The hub confirmed {} report(s). Erased those orders, their reports and media.",
                        erased.len()
                    );
                    if unknown > 0 {
                        eprintln!("{unknown} confirmed order(s) were no longer here.");
                    }
                }
                _ => {}
            }
            Ok(())
        }
        FieldCommand::Orders { vault, pass } => {
            let mut v = crate::open(&vault, &pass)?;
            let field = open_field(&mut v, now)?;
            let orders = field.orders()?;
            let rows: Vec<Vec<String>> = orders
                .iter()
                .map(|o| {
                    vec![
                        o.code.to_string(),
                        if o.delivered_at.is_some() { "delivered".into() } else { "pending".into() },
                        o.alias.clone(),
                        o.place_hint.clone(),
                        format_amount(o.amount_minor, o.currency),
                        format_date_minutes(o.deadline_minutes),
                        format_age(now.saturating_sub(o.received_at)),
                        o.question.clone(),
                    ]
                })
                .collect();
            print_table(&["CODE", "STATUS", "ALIAS", "PLACE", "AMOUNT", "DEADLINE", "AGE", "QUESTION"], &rows)?;
            let waiting = field.outbox()?.len();
            if waiting > 0 {
                eprintln!("{waiting} report(s) wait to be sent: `lethe field send`.");
            }
            Ok(())
        }
        FieldCommand::Deliver { vault, code, amount, media, shred_source, keep_metadata, pass } => {
            let code = parse_code(&code)?;
            // Check the media file before asking for anything.
            let media_input = match &media {
                Some(path) => Some(MediaInput::open(path, keep_metadata)?),
                None => None,
            };
            let mut src = crate::source(&pass)?;
            let mut v = unlock(&vault, &mut src)?;
            let mut field = open_field(&mut v, now)?;
            let order = field
                .orders()?
                .into_iter()
                .find(|o| o.code == code)
                .ok_or(lethe_remit::Error::UnknownOrder(code))?;
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
                .read("Their answer (not shown): ")
                .map_err(|m| Failure::new(Exit::Other, format!("cannot read the answer: {m}")))?;
            let answer_text = std::str::from_utf8(answer.as_bytes())
                .map_err(|_| Failure::new(Exit::Usage, "the answer is not valid text (UTF-8)"))?;
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
                field.deliver(Delivery { code, amount_minor, answer: answer_text, media }, &mut |d, t| {
                    bar.update(d, t)
                })
            };
            bar.finish();
            drop(answer);
            let delivered = delivered?;
            eprintln!(
                "Recorded the delivery of {} for order {code}. The report is sealed for the hub \
                 (this phone cannot read it back); send it with `lethe field send`.",
                format_amount(delivered.amount_minor, delivered.currency)
            );
            drop(field);
            drop(v);
            drop(media_input);
            if shred_source && let Some(path) = &media {
                shred(path, &code.to_string())?;
            }
            Ok(())
        }
        FieldCommand::Send { vault, qr, media_dir, pass } => {
            let qr_file = check_new_file(qr.qr.as_deref())?;
            if let Some(dir) = &media_dir
                && !dir.is_dir()
            {
                return Err(Failure::new(Exit::Usage, format!("{} is not a folder", dir.display())));
            }
            let mut v = crate::open(&vault, &pass)?;
            let field = open_field(&mut v, now)?;
            let out = field.send()?;
            let outbox = field.outbox()?;
            print_message(&out, &qr, qr_file)?;
            eprintln!("{} report(s) in this message ({} characters).", out.items, out.chars());
            if out.remaining > 0 {
                eprintln!("{} more wait: send this one, then run this command again.", out.remaining);
            }
            let media: Vec<(lethe_vault::ItemId, u64)> =
                outbox.iter().take(out.items).filter_map(|e| e.media).collect();
            match (&media_dir, media.is_empty()) {
                (_, true) => {}
                (None, false) => eprintln!(
                    "{} report(s) have a photo or video: add --media-dir DIR to write the sealed files.",
                    media.len()
                ),
                (Some(dir), false) => {
                    let mut names = Vec::new();
                    for (item, _) in &media {
                        let path = dir.join(random_file_name()?);
                        let mut file = create_new(&path)?;
                        let mut bar = Progress::new("writing media");
                        let result = field.write_media(*item, &mut file, &mut |d, t| bar.update(d, t));
                        bar.finish();
                        if let Err(e) = result.map_err(Failure::from).and_then(|_| {
                            file.sync_all().map_err(|e| Failure::new(Exit::Io, e.to_string()))
                        }) {
                            drop(file);
                            let _ = std::fs::remove_file(&path);
                            return Err(e);
                        }
                        names.push(path.display().to_string());
                    }
                    eprintln!(
                        "Wrote {} sealed media file(s) (only the hub can open them); send them with the message:",
                        names.len()
                    );
                    for name in names {
                        eprintln!("  {name}");
                    }
                }
            }
            Ok(())
        }
        FieldCommand::Settings { vault, retention_days, pass } => {
            let mut v = crate::open(&vault, &pass)?;
            let mut field = open_field(&mut v, now)?;
            if let Some(days) = retention_days {
                let erased = field.set_retention_days(days)?;
                eprintln!("Orders and reports are now kept at most {days} day(s).");
                report_erased(erased, days);
            }
            println!("retention-days: {}", field.retention_days());
            Ok(())
        }
    }
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
            "Erased {} order(s) and {} report(s) older than {days} day(s).",
            erased.orders, erased.reports
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

/// A media file checked before the vault is opened.
enum MediaInput {
    /// A JPEG, read into memory (metadata is stripped from it there).
    Jpeg(Zeroizing<Vec<u8>>),
    /// Another file, sealed as it is.
    Other { path: PathBuf, len: u64 },
}

impl MediaInput {
    fn open(path: &Path, keep_metadata: bool) -> Result<MediaInput, Failure> {
        let cannot = |e: std::io::Error| Failure::new(Exit::Io, format!("cannot read {}: {e}", path.display()));
        let mut file = File::open(path).map_err(cannot)?;
        let meta = file.metadata().map_err(cannot)?;
        if !meta.is_file() {
            return Err(Failure::new(Exit::Usage, format!("{} is not a regular file", path.display())));
        }
        let mut magic = [0u8; 2];
        let is_jpeg = file.read_exact(&mut magic).is_ok() && magic == [0xFF, 0xD8];
        if is_jpeg {
            if meta.len() > MAX_JPEG_LEN as u64 {
                return Err(Failure::new(Exit::Usage, format!("the photo is too large (at most {} MiB)", MAX_JPEG_LEN >> 20)));
            }
            let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
            bytes.extend_from_slice(&magic);
            file.read_to_end(&mut bytes).map_err(cannot)?;
            return Ok(MediaInput::Jpeg(bytes));
        }
        if !keep_metadata {
            return Err(Failure::new(
                Exit::Usage,
                format!(
                    "{} is not a JPEG photo. lethe removes metadata (place, time, phone) only from JPEG photos; \
                     to send this file with its metadata, add --keep-metadata",
                    path.display()
                ),
            ));
        }
        Ok(MediaInput::Other { path: path.to_owned(), len: meta.len() })
    }
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

fn parse_code(text: &str) -> Result<OrderCode, Failure> {
    OrderCode::from_text(text).map_err(|e| Failure::new(Exit::Usage, format!("'{text}': {e}")))
}

/// Reads all of stdin as text (at most [`MAX_STDIN`] bytes), in memory wiped afterwards.
fn read_stdin(hint: &str) -> Result<Zeroizing<String>, Failure> {
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
fn check_new_file(path: Option<&Path>) -> Result<Option<PathBuf>, Failure> {
    match path {
        Some(p) if p.exists() => Err(Failure::new(
            Exit::Refused,
            format!("{} exists already; lethe does not overwrite files", p.display()),
        )),
        Some(p) => Ok(Some(p.to_owned())),
        None => Ok(None),
    }
}

fn create_new(path: &Path) -> Result<File, Failure> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Failure::new(Exit::Refused, format!("{} exists already; lethe does not overwrite files", path.display()))
        } else {
            Failure::new(Exit::Io, format!("cannot create {}: {e}", path.display()))
        }
    })
}

fn random_file_name() -> Result<String, Failure> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).map_err(|_| Failure::new(Exit::Other, "the system's random number generator failed"))?;
    Ok(format!("{}.bin", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

fn print_key(text: &str, qr: &QrArgs, qr_file: Option<PathBuf>) -> CmdResult {
    println!("{text}");
    let image = lethe_protocol::QrImage::from_text(&text.replace(' ', ""))
        .map_err(|e| Failure::new(Exit::Other, e.to_string()))?;
    show_qr(&image, qr, qr_file)
}

fn print_message(out: &Outgoing, qr: &QrArgs, qr_file: Option<PathBuf>) -> CmdResult {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", out.text()).map_err(crate::stdout_err)?;
    drop(stdout);
    if qr.qr.is_some() || qr.qr_terminal {
        match out.qr() {
            Ok(image) => show_qr(&image, qr, qr_file)?,
            Err(e) => eprintln!("No QR code: {e}."),
        }
    }
    Ok(())
}

fn show_qr(image: &lethe_protocol::QrImage, qr: &QrArgs, qr_file: Option<PathBuf>) -> CmdResult {
    if qr.qr_terminal {
        eprint!("{}", image.to_terminal());
    }
    if let Some(path) = qr_file {
        let mut file = create_new(&path)?;
        let written = image
            .write_png(&mut file, PNG_SCALE)
            .and_then(|_| file.sync_all())
            .map_err(|e| Failure::new(Exit::Io, format!("cannot write {}: {e}", path.display())));
        if let Err(e) = written {
            drop(file);
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        eprintln!("Wrote the QR code to {}.", path.display());
    }
    Ok(())
}

/// Prints rows under a header, columns padded by display width (Hangul and Chinese
/// characters take two columns).
fn print_table(header: &[&str], rows: &[Vec<String>]) -> CmdResult {
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
