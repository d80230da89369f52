//! `lethe hub …`: a thin command-line front end over lethe-remit's hub role. Every rule
//! lives in lethe-remit; each subcommand below parses its arguments, reads standard input,
//! and prints (data to stdout, words for people to stderr).

use std::fs::File;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use lethe_remit::time::{format_date_minutes, format_time, now_unix};
use lethe_remit::{
    Currency, Hub, HubOrderStatus, OrderForm, PairStep, ReportOutcome, format_amount, format_number, parse_amount,
    parse_currency,
};

use crate::PassArg;
use crate::common::{KeyArgs, VaultArgs};
use crate::common::{
    MessageInput, MessageOut, check_new_file, parse_code, print_key, print_table, read_stdin, write_new_file,
};
use crate::exit::{CmdResult, Exit, Failure};
use crate::progress::Progress;
use crate::words::count;

#[derive(Subcommand)]
pub enum HubCommand {
    /// Create the hub's key pair in the compartment the passphrase opens; prints the
    /// public key to give to brokers.
    Init(KeyArgs),
    /// Print the hub's public key again.
    Key(KeyArgs),
    /// Pair with a broker. Remotely, in two steps: read her pairing request (from `lethe
    /// field pair-request`) on stdin and print the answer to send her; then read her pairing
    /// key (from `lethe field pair`) and print the 12-digit safety code to read aloud
    /// together. In person: read her public key and print the 32-character fingerprint to
    /// compare side by side.
    AddBroker(AddBrokerArgs),
    /// List the paired brokers with their safety codes.
    Brokers(VaultArgs),
    /// Make an order for a broker from the order form on stdin ('key: value' lines: alias,
    /// place, amount, currency, fee, deadline (YYYY-MM-DD), question, answer); prints the
    /// order code. Only a salted slow hash of the answer is kept.
    Order(OrderArgs),
    /// Print one sealed message with the broker's orders not sent yet.
    Send(SendArgs),
    /// Import delivery reports (text on stdin): verify the answers, update the orders and
    /// the ledger, and print the acknowledgement to send back to the broker. An order whose
    /// photo or video is not imported yet is left out of it (the broker's lethe would erase
    /// its only copy): `lethe hub media` prints that order's acknowledgement.
    Receive(ReceiveArgs),
    /// Import a sealed media file written by `lethe field send --media-dir`; prints the
    /// acknowledgement of its order to send to the broker.
    Media(MediaArgs),
    /// Write the photo or video of an order to a new file.
    ExportMedia(ExportMediaArgs),
    /// Print the orders by broker and status.
    Orders(VaultArgs),
    /// Print the settlement ledger per broker and currency.
    Ledger(VaultArgs),
    /// Record cash advanced to a broker.
    Advance(AdvanceArgs),
    /// Show or change settings: how long settled orders are kept (--retention-days), and
    /// the form messages to each broker are written in (cover text or plain armor).
    Settings(crate::cover::HubSettingsArgs),
    /// Cancel an order that has no report yet; prints the message that makes the broker's
    /// lethe erase it (nothing if it was never sent). The reason (--reason, or the first
    /// line of stdin) is kept in the ledger's history and shown to the broker.
    Cancel(CancelArgs),
    /// Change the amount, fee, deadline or place of an order not yet delivered, from a form
    /// on stdin ('amount: …', 'fee: …' or 'fee: 10%', 'deadline: YYYY-MM-DD', 'place: …');
    /// then `lethe hub send` sends the new terms, which replace the old on her phone.
    Edit(CodeArgs),
    /// Resolve a disputed order as delivered (optionally with the amount that counts) or
    /// as cancelled, with a note (--note, or the first line of stdin); prints the message
    /// that settles it on the broker's phone.
    Resolve(ResolveArgs),
    /// Correct a broker's account by a signed amount (e.g. -500), with a reason kept in
    /// the ledger's history.
    Adjust(AdjustArgs),
    /// Pair a broker's new phone (she lost hers), in the same steps as `add-broker`: her
    /// pairing request on stdin prints the answer to send her; then her pairing key prints
    /// the 12-digit safety code to read aloud (in person: her new public key prints the
    /// fingerprint). Her orders, ledger and history stay; her old phone's key is forgotten;
    /// orders sent and not reported are sent again.
    NewKey(AddBrokerArgs),
    /// Remove a broker whose account is settled: her pairing, orders, media, advances and
    /// history are crypto-erased.
    RemoveBroker(AddBrokerArgs),
    /// A broker's statement: advances, deliveries, fees, adjustments, cancellations and
    /// edits, with the balance before and after the period (dates YYYY-MM-DD, UTC).
    Statement(StatementArgs),
}

/// Runs one `lethe hub` subcommand.
pub fn run_hub(cmd: HubCommand) -> CmdResult {
    let now = now_unix();
    match cmd {
        HubCommand::Init(a) => init(a, now),
        HubCommand::Key(a) => key(a, now),
        HubCommand::AddBroker(a) => add_broker(a, now),
        HubCommand::Brokers(a) => brokers(a, now),
        HubCommand::Order(a) => order(a, now),
        HubCommand::Send(a) => send(a, now),
        HubCommand::Receive(a) => receive(a, now),
        HubCommand::Media(a) => media(a, now),
        HubCommand::ExportMedia(a) => export_media(a, now),
        HubCommand::Orders(a) => orders(a, now),
        HubCommand::Ledger(a) => ledger(a, now),
        HubCommand::Advance(a) => advance(a, now),
        HubCommand::Settings(a) => crate::cover::hub_settings(a, now),
        HubCommand::Cancel(a) => cancel(a, now),
        HubCommand::Edit(a) => edit(a, now),
        HubCommand::Resolve(a) => resolve(a, now),
        HubCommand::Adjust(a) => adjust(a, now),
        HubCommand::NewKey(a) => new_key(a, now),
        HubCommand::RemoveBroker(a) => remove_broker(a, now),
        HubCommand::Statement(a) => statement(a, now),
    }
}

fn init(KeyArgs { vault, qr, pass }: KeyArgs, now: u64) -> CmdResult {
    let qr_file = check_new_file(qr.qr.as_deref())?;
    let mut v = crate::open(&vault, &pass)?;
    let key = Hub::init(&mut v, now)?.public_key();
    eprintln!("Made the hub's key. Give this public key to each broker:");
    print_key(&key.to_text(), &qr, qr_file)
}

fn key(KeyArgs { vault, qr, pass }: KeyArgs, now: u64) -> CmdResult {
    let qr_file = check_new_file(qr.qr.as_deref())?;
    let mut v = crate::open(&vault, &pass)?;
    let key = open_hub(&mut v, now)?.public_key();
    print_key(&key.to_text(), &qr, qr_file)
}

#[derive(Args)]
pub struct AddBrokerArgs {
    vault: PathBuf,
    /// A short label for the broker (a pseudonym, never her real name).
    #[arg(long)]
    name: String,
    #[command(flatten)]
    pass: PassArg,
}

fn add_broker(AddBrokerArgs { vault, name, pass }: AddBrokerArgs, now: u64) -> CmdResult {
    let text = read_stdin(
        "Paste the broker's pairing request (or, next, her pairing key; or, in person, her public key), then press Ctrl-D.",
    )?;
    let mut v = crate::open(&vault, &pass)?;
    match open_hub(&mut v, now)?.pair_step(&name, &text)? {
        PairStep::Answer(answer) => {
            println!("{answer}");
            eprintln!(
                "Send this answer to broker '{name}'. She answers with her pairing key: read it with \
                 the same command (`lethe hub add-broker --name {name}`)."
            );
        }
        PairStep::Paired(broker) if broker.remote => {
            println!("{}", broker.safety_code);
            eprintln!(
                "Paired with broker '{}'. Read this safety code together with her by voice; if hers \
                 differs, someone is in between: do not use this pairing.",
                broker.name
            );
        }
        PairStep::Paired(broker) => {
            println!("{}", broker.safety_code);
            eprintln!(
                "Paired with broker '{}'. Compare this fingerprint with her screen, side by side, every \
                 character; if it differs, a key was swapped on the way: do not use this pairing.",
                broker.name
            );
        }
    }
    Ok(())
}

fn brokers(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let brokers = open_hub(&mut v, now)?.brokers()?;
    let rows: Vec<Vec<String>> =
        brokers.iter().map(|b| vec![b.name.clone(), b.safety_code.clone(), format_time(b.paired_at)]).collect();
    print_table(&["BROKER", "SAFETY CODE", "PAIRED (UTC)"], &rows)
}

#[derive(Args)]
pub struct OrderArgs {
    vault: PathBuf,
    #[arg(long)]
    broker: String,
    #[command(flatten)]
    pass: PassArg,
}

fn order(OrderArgs { vault, broker, pass }: OrderArgs, now: u64) -> CmdResult {
    let text = read_stdin(
        "Type the order as 'key: value' lines (alias, place, amount, currency, fee, deadline, \
         question, answer), then press Ctrl-D.",
    )?;
    // Checked before the (slow) unlock, so a typo costs nothing.
    let form = OrderForm::parse(&text).map_err(lethe_remit::Error::from)?;
    drop(text);
    let mut v = crate::open(&vault, &pass)?;
    let mut hub = open_hub(&mut v, now)?;
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

#[derive(Args)]
pub struct SendArgs {
    vault: PathBuf,
    #[arg(long)]
    broker: String,
    /// Also include orders sent before that have no report yet (if a message was lost).
    #[arg(long)]
    resend: bool,
    #[command(flatten)]
    output: MessageOut,
    #[command(flatten)]
    pass: PassArg,
}

fn send(SendArgs { vault, broker, resend, output, pass }: SendArgs, now: u64) -> CmdResult {
    let printer = output.check()?;
    let mut v = crate::open(&vault, &pass)?;
    let out = open_hub(&mut v, now)?.send_orders(&broker, resend)?;
    let chars = printer.print(&out)?;
    eprintln!(
        "{} for {broker} in this message ({chars} characters). Send all of it to her.",
        count(out.items, "order", "orders")
    );
    if out.remaining > 0 {
        eprintln!("{} more wait: run this command again.", out.remaining);
    }
    Ok(())
}

#[derive(Args)]
pub struct ReceiveArgs {
    vault: PathBuf,
    /// Also acknowledge orders whose photo or video has not been imported: the broker's
    /// lethe then erases it, and the hub will never have it.
    #[arg(long)]
    ack_without_media: bool,
    #[command(flatten)]
    input: MessageInput,
    #[command(flatten)]
    output: MessageOut,
    #[command(flatten)]
    pass: PassArg,
}

fn receive(ReceiveArgs { vault, ack_without_media, input, output, pass }: ReceiveArgs, now: u64) -> CmdResult {
    let printer = output.check()?;
    let text = input.read("Paste the broker's message (every part, if it came in parts), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    let mut hub = open_hub(&mut v, now)?;
    let receipt = hub.receive_with(&text, ack_without_media)?;
    let orders = hub.orders()?;
    for r in &receipt.results {
        let alias = orders.iter().find(|o| o.code == r.code).map_or("", |o| o.alias.as_str());
        let what = match r.outcome {
            ReportOutcome::Delivered => "delivered".to_owned(),
            ReportOutcome::Partial => "PARTLY delivered (the rest stays outstanding)".to_owned(),
            ReportOutcome::Disputed(reason) => format!("DISPUTED ({})", reason.as_str()),
            ReportOutcome::AlreadyRecorded => "already recorded, unchanged".to_owned(),
            ReportOutcome::UnknownOrder => "UNKNOWN ORDER, not recorded".to_owned(),
            _ => "not recorded".to_owned(),
        };
        let mut line = format!("{}  {what}  {alias}  {}", r.code, format_amount(r.amount_handed_minor, r.currency));
        if let Some(ordered) = r.amount_ordered_minor.filter(|o| *o != r.amount_handed_minor) {
            line.push_str(&format!(" (ordered {})", format_amount(ordered, r.currency)));
        }
        if r.has_media && !r.acknowledged {
            line.push_str("  [media not imported yet: not acknowledged; `lethe hub media` imports it and prints its acknowledgement]");
        } else if r.has_media {
            line.push_str("  [media: import it with `lethe hub media`]");
        }
        eprintln!("{line}");
    }
    match &receipt.ack {
        Some(ack) => {
            printer.print(ack)?;
            eprintln!(
                "Send this acknowledgement to {}: her lethe then erases the {} it names.",
                receipt.broker,
                count(ack.items, "order", "orders")
            );
        }
        None => eprintln!(
            "No acknowledgement yet: the photos or videos of these orders are not imported. \
             Import each with `lethe hub media`; it prints that order's acknowledgement."
        ),
    }
    Ok(())
}

#[derive(Args)]
pub struct MediaArgs {
    vault: PathBuf,
    file: PathBuf,
    #[command(flatten)]
    output: MessageOut,
    #[command(flatten)]
    pass: PassArg,
}

fn media(MediaArgs { vault, file, output, pass }: MediaArgs, now: u64) -> CmdResult {
    let printer = output.check()?;
    let source =
        File::open(&file).map_err(|e| Failure::new(Exit::Io, format!("cannot read {}: {e}", file.display())))?;
    if !source.metadata().map(|m| m.is_file()).unwrap_or(false) {
        return Err(Failure::new(Exit::Usage, format!("{} is not a regular file", file.display())));
    }
    let mut v = crate::open(&vault, &pass)?;
    let mut hub = open_hub(&mut v, now)?;
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
    printer.print(&imported.ack)?;
    eprintln!("Send this acknowledgement of order {} to the broker: her lethe then erases it.", imported.code);
    Ok(())
}

#[derive(Args)]
pub struct ExportMediaArgs {
    vault: PathBuf,
    code: String,
    /// Where to write (must not exist yet).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    #[command(flatten)]
    pass: PassArg,
}

fn export_media(ExportMediaArgs { vault, code, output, pass }: ExportMediaArgs, now: u64) -> CmdResult {
    let code = parse_code(&code)?;
    check_new_file(Some(&output))?;
    let mut v = crate::open(&vault, &pass)?;
    let hub = open_hub(&mut v, now)?;
    let len = write_new_file(&output, |file| {
        let mut bar = Progress::new("exporting");
        let result = hub.export_media(code, file, &mut |d, t| bar.update(d, t));
        bar.finish();
        result.map_err(Failure::from)
    })?;
    eprintln!("Exported {len} bytes to {}.", output.display());
    crate::common::say_file_outside(&output, "in plain text");
    Ok(())
}

fn orders(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let orders = open_hub(&mut v, now)?.orders()?;
    let mut rows = Vec::new();
    for o in &orders {
        let handed =
            o.report.as_ref().map(|r| format_number(i128::from(r.amount_handed_minor), o.currency)).unwrap_or_default();
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
            o.note.clone().unwrap_or_default(),
        ]);
    }
    print_table(&["BROKER", "CODE", "STATUS", "ALIAS", "AMOUNT", "HANDED", "DEADLINE", "MEDIA", "NOTE"], &rows)?;
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

fn ledger(VaultArgs { vault, pass }: VaultArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let ledger = open_hub(&mut v, now)?.ledger()?;
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
                format_number(r.adjusted, r.currency),
                format_number(r.balance, r.currency),
            ]
        })
        .collect();
    print_table(
        &["BROKER", "CUR", "ADVANCED", "DELIVERED", "FEES OWED", "DISPUTED", "OUTSTANDING", "ADJUSTED", "BALANCE"],
        &rows,
    )?;
    eprintln!(
        "Balance = advanced + adjusted - delivered - fees owed (negative: the hub owes the broker). \
         History: `lethe hub statement --broker NAME`."
    );
    Ok(())
}

#[derive(Args)]
pub struct AdvanceArgs {
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
    pass: PassArg,
}

fn advance(AdvanceArgs { vault, broker, amount, currency, pass }: AdvanceArgs, now: u64) -> CmdResult {
    let currency = parse_currency(&currency).map_err(lethe_remit::Error::from)?;
    let minor = parse_amount(&amount, currency).map_err(lethe_remit::Error::from)?;
    let mut v = crate::open(&vault, &pass)?;
    open_hub(&mut v, now)?.record_advance(&broker, minor, currency)?;
    eprintln!("Recorded {} advanced to {broker}.", format_amount(minor, currency));
    Ok(())
}

#[derive(Args)]
pub struct CodeArgs {
    vault: PathBuf,
    /// The order code.
    code: String,
    #[command(flatten)]
    pass: PassArg,
}

#[derive(Args)]
pub struct CancelArgs {
    vault: PathBuf,
    /// The order code.
    code: String,
    /// Why (kept in the history, shown to the broker); default: the first line of stdin.
    #[arg(long)]
    reason: Option<String>,
    #[command(flatten)]
    output: MessageOut,
    #[command(flatten)]
    pass: PassArg,
}

/// `given`, or the first line of standard input.
fn note_from(given: Option<String>, hint: &str) -> Result<String, Failure> {
    match given {
        Some(n) => Ok(n),
        None => Ok(read_stdin(hint)?.lines().next().unwrap_or("").trim().to_owned()),
    }
}

fn cancel(CancelArgs { vault, code, reason, output, pass }: CancelArgs, now: u64) -> CmdResult {
    let code = parse_code(&code)?;
    let printer = output.check()?;
    let reason = note_from(reason, "Type the reason for cancelling (one line), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    match open_hub(&mut v, now)?.cancel_order(code, &reason)? {
        Some(message) => {
            printer.print(&message)?;
            eprintln!("Cancelled order {code}. Send this message to the broker: her lethe then erases the order.");
        }
        None => eprintln!("Cancelled order {code}. It was never sent, so there is nothing to send."),
    }
    Ok(())
}

fn edit(CodeArgs { vault, code, pass }: CodeArgs, now: u64) -> CmdResult {
    let code = parse_code(&code)?;
    let text = read_stdin("Type the changes as 'key: value' lines (amount, fee, deadline, place), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    let mut hub = open_hub(&mut v, now)?;
    let order = hub.orders()?.into_iter().find(|o| o.code == code).ok_or(lethe_remit::Error::UnknownOrder(code))?;
    let changes = lethe_remit::OrderEdit::parse(&text, order.currency, order.amount_minor)?;
    hub.edit_order(code, &changes)?;
    let order = hub.orders()?.into_iter().find(|o| o.code == code).ok_or(lethe_remit::Error::UnknownOrder(code))?;
    eprintln!(
        "Order {code} now: {} (fee {}), deadline {}. Send the new terms with `lethe hub send --broker {}`: \
         they replace the old ones on her phone.",
        format_amount(order.amount_minor, order.currency),
        format_amount(order.fee_minor, order.currency),
        format_date_minutes(order.deadline_minutes),
        order.broker
    );
    Ok(())
}

#[derive(Args)]
pub struct ResolveArgs {
    vault: PathBuf,
    /// The order code.
    code: String,
    /// Count the order as delivered.
    #[arg(long, conflicts_with = "cancelled", required_unless_present = "cancelled")]
    delivered: bool,
    /// Count the order as cancelled (nothing delivered).
    #[arg(long)]
    cancelled: bool,
    /// With --delivered: the amount that counts (default: the amount reported).
    #[arg(long, requires = "delivered")]
    amount: Option<String>,
    /// Why (kept in the history, shown to the broker); default: the first line of stdin.
    #[arg(long)]
    note: Option<String>,
    #[command(flatten)]
    output: MessageOut,
    #[command(flatten)]
    pass: PassArg,
}

fn resolve(
    ResolveArgs { vault, code, delivered, cancelled: _, amount, note, output, pass }: ResolveArgs,
    now: u64,
) -> CmdResult {
    let code = parse_code(&code)?;
    let printer = output.check()?;
    let note = note_from(note, "Type a note on how the dispute was resolved (one line), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    let mut hub = open_hub(&mut v, now)?;
    let order = hub.orders()?.into_iter().find(|o| o.code == code).ok_or(lethe_remit::Error::UnknownOrder(code))?;
    let resolution = if delivered {
        let amount_minor = match &amount {
            Some(a) => Some(parse_amount(a, order.currency).map_err(lethe_remit::Error::from)?),
            None => None,
        };
        lethe_remit::Resolution::Delivered { amount_minor }
    } else {
        lethe_remit::Resolution::Cancelled
    };
    let message = hub.resolve(code, resolution, &note)?;
    printer.print(&message)?;
    eprintln!(
        "Resolved order {code} as {}. Send this message to {}: her lethe then erases the order.",
        if delivered { "delivered" } else { "cancelled" },
        order.broker
    );
    Ok(())
}

#[derive(Args)]
pub struct AdjustArgs {
    vault: PathBuf,
    #[arg(long)]
    broker: String,
    /// Signed: 500 (she holds more of the hub's cash) or -500 (less).
    #[arg(long, allow_hyphen_values = true)]
    amount: String,
    /// CNY, KRW or USD
    #[arg(long)]
    currency: String,
    /// Why (kept in the ledger's history); default: the first line of stdin.
    #[arg(long)]
    reason: Option<String>,
    #[command(flatten)]
    pass: PassArg,
}

fn adjust(AdjustArgs { vault, broker, amount, currency, reason, pass }: AdjustArgs, now: u64) -> CmdResult {
    let currency = parse_currency(&currency).map_err(lethe_remit::Error::from)?;
    let text = amount.trim();
    let (negative, digits) = match text.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let minor = parse_amount(digits, currency).map_err(lethe_remit::Error::from)?;
    let minor = i64::try_from(minor).map_err(|_| Failure::new(Exit::Usage, "the amount is too large"))?;
    let signed = if negative { -minor } else { minor };
    let reason = note_from(reason, "Type the reason for the adjustment (one line), then press Ctrl-D.")?;
    let mut v = crate::open(&vault, &pass)?;
    open_hub(&mut v, now)?.adjust(&broker, signed, currency, &reason)?;
    eprintln!(
        "Adjusted {broker}'s account by {}{}.",
        if negative { "-" } else { "+" },
        format_amount(minor.unsigned_abs(), currency)
    );
    Ok(())
}

fn new_key(AddBrokerArgs { vault, name, pass }: AddBrokerArgs, now: u64) -> CmdResult {
    let text = read_stdin(
        "Paste the pairing request from the broker's new phone (or, next, her pairing key; or, in person, \
         her new public key), then press Ctrl-D.",
    )?;
    let mut v = crate::open(&vault, &pass)?;
    let step = open_hub(&mut v, now)?.new_key_step(&name, &text)?;
    match step {
        PairStep::Answer(answer) => {
            println!("{answer}");
            eprintln!(
                "Send this answer to broker '{name}' (to her new phone). She answers with her pairing key: \
                 read it with the same command (`lethe hub new-key --name {name}`)."
            );
            return Ok(());
        }
        PairStep::Paired(broker) if broker.remote => {
            println!("{}", broker.safety_code);
            eprintln!(
                "Paired {}'s new phone. Read this safety code together with her by voice; if hers differs, \
                 someone is in between: do not use this pairing.",
                broker.name
            );
        }
        PairStep::Paired(broker) => {
            println!("{}", broker.safety_code);
            eprintln!(
                "Paired {}'s new phone. Compare this fingerprint with her screen, side by side, every \
                 character; if it differs, a key was swapped on the way: do not use this pairing.",
                broker.name
            );
        }
    }
    eprintln!(
        "Her old phone's key is forgotten: its messages no longer open. Orders sent to it and not reported \
         go again with `lethe hub send --broker {name}`."
    );
    Ok(())
}

fn remove_broker(AddBrokerArgs { vault, name, pass }: AddBrokerArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let erased = open_hub(&mut v, now)?.remove_broker(&name)?;
    eprintln!("Removed broker {name}: {} crypto-erased.", count(erased, "record", "records"));
    Ok(())
}

#[derive(Args)]
pub struct StatementArgs {
    vault: PathBuf,
    #[arg(long)]
    broker: String,
    /// First day (YYYY-MM-DD, UTC); default: the beginning.
    #[arg(long)]
    from: Option<String>,
    /// Last day (YYYY-MM-DD, UTC); default: today.
    #[arg(long)]
    to: Option<String>,
    #[command(flatten)]
    pass: PassArg,
}

fn statement(StatementArgs { vault, broker, from, to, pass }: StatementArgs, now: u64) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let statement = open_hub(&mut v, now)?.statement(&broker, from.as_deref(), to.as_deref())?;
    let signed = |v: i128, c: Currency| {
        if v > 0 { format!("+{}", format_number(v, c)) } else { format_number(v, c) }
    };
    let balance = |what: &str, (c, b): &(Currency, i128)| {
        vec![String::new(), what.to_owned(), String::new(), c.code().to_owned(), format_number(*b, *c), String::new()]
    };
    let mut rows: Vec<Vec<String>> = statement.opening.iter().map(|cb| balance("opening balance", cb)).collect();
    for e in &statement.entries {
        rows.push(vec![
            format_time(e.at),
            e.kind.as_str().to_owned(),
            e.code.map(|c| c.to_string()).unwrap_or_default(),
            e.currency.code().to_owned(),
            signed(e.amount, e.currency),
            e.note.clone(),
        ]);
    }
    rows.extend(statement.closing.iter().map(|cb| balance("closing balance", cb)));
    print_table(&["WHEN (UTC)", "WHAT", "ORDER", "CUR", "AMOUNT", "NOTE"], &rows)?;
    eprintln!("Amounts change the balance: cash of the hub's that {broker} holds (negative: the hub owes her).");
    Ok(())
}

/// Opens the hub role, saying what its retention erased on the way (settled orders older
/// than the retention: their details and media go, the ledger keeps their totals).
pub(crate) fn open_hub(
    v: &mut lethe_vault::Vault<lethe_vault::FileStorage>,
    now: u64,
) -> Result<Hub<'_, lethe_vault::FileStorage>, Failure> {
    let hub = Hub::open(v, now)?;
    let erased = hub.erased_on_open();
    if erased.orders > 0 {
        eprintln!(
            "Erased the details of {} past the retention ({}); the ledger keeps their totals.",
            count(erased.orders, "settled order", "settled orders"),
            count(erased.media, "photo or video", "photos or videos")
        );
    }
    Ok(hub)
}
