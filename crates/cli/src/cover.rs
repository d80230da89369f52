//! Cover text on the command line: the `--cover` flag of every command that prints a
//! message, how the flag, the pairing's setting and a QR code decide the form, and the
//! `settings` commands' cover part. Receiving needs nothing here: lethe-remit reads every
//! form without being told which.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use clap::builder::TypedValueParser;
use lethe_protocol::cover::CoverStyle;
use lethe_remit::Outgoing;

use crate::PassArg;
use crate::common::{QrArgs, check_new_file, print_table};
use crate::exit::{CmdResult, Exit, Failure};

/// A form chosen on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverChoice {
    /// Plain armor (`none`).
    Armor,
    /// Cover text in this style.
    Style(CoverStyle),
}

impl CoverChoice {
    pub fn style(self) -> Option<CoverStyle> {
        match self {
            CoverChoice::Armor => None,
            CoverChoice::Style(s) => Some(s),
        }
    }
}

/// Names accepted by `--cover`.
pub fn cover_parser() -> impl clap::builder::TypedValueParser<Value = CoverChoice> {
    clap::builder::PossibleValuesParser::new(["ko-market", "zh-market", "none"])
        .map(|name: String| CoverStyle::from_name(&name).map_or(CoverChoice::Armor, CoverChoice::Style))
}

/// The name of a setting: a style's name, or `none`.
pub fn setting_name(style: Option<CoverStyle>) -> &'static str {
    style.map_or("none", CoverStyle::name)
}

#[derive(Args)]
pub struct CoverArgs {
    /// The form of the message: cover text that reads as ordinary chat about market prices
    /// and family news, in Korean (ko-market) or Chinese (zh-market), or plain armor
    /// (none). Default: this pairing's setting (`lethe hub settings --broker NAME --cover
    /// ...`, `lethe field settings --cover ...`), else plain armor. The receiver reads
    /// every form without being told which. With --max-chars, cover text is cut between
    /// sentences into pieces of at most N characters, to be pasted in their order. A QR
    /// code is plainly a code, so it always holds plain armor: a cover style cannot be
    /// given with --qr or --qr-terminal (the pairing's setting is then set aside).
    #[arg(long, value_name = "FORM", value_parser = cover_parser())]
    pub cover: Option<CoverChoice>,
}

impl CoverArgs {
    /// Checks the flags before anything is opened; returns the QR file to write (see
    /// [`check_new_file`]).
    pub fn check(&self, qr: &QrArgs) -> Result<Option<PathBuf>, Failure> {
        if let Some(CoverChoice::Style(style)) = self.cover
            && (qr.qr.is_some() || qr.qr_terminal)
        {
            return Err(Failure::new(
                Exit::Usage,
                format!(
                    "--cover {style} and a QR code do not go together: a QR code is plainly a code, so it \
                     holds plain armor. Leave out --qr and --qr-terminal to get cover text, or --cover for the QR code"
                ),
            ));
        }
        check_new_file(qr.qr.as_deref())
    }

    /// The style to write `out` in, if any: the flag, else the pairing's setting (not for
    /// a QR code).
    fn style(&self, out: &Outgoing, qr: &QrArgs) -> Option<CoverStyle> {
        match self.cover {
            Some(choice) => choice.style(),
            None if qr.qr.is_some() || qr.qr_terminal => {
                if let Some(style) = out.cover_setting() {
                    eprintln!("(Plain armor for the QR code; the pairing's setting, {style}, is for chat apps.)");
                }
                None
            }
            None => out.cover_setting(),
        }
    }

    /// Prints `out` as cover text when the flag or the setting asks for it; returns the
    /// number of characters printed, or `None` when the message is to go as armor.
    pub fn print(&self, out: &Outgoing, qr: &QrArgs) -> Result<Option<usize>, Failure> {
        let Some(style) = self.style(out, qr) else { return Ok(None) };
        let failed = |e: lethe_remit::Error| {
            Failure::new(
                Exit::Refused,
                format!(
                    "no cover text could be written: {e}. The message was made; print it again as plain armor \
                     (--cover none; at the hub, `hub send` needs --resend)"
                ),
            )
        };
        let pieces = match qr.max_chars {
            Some(n) => out.cover_pieces(style, n as usize).map_err(failed)?,
            None => vec![out.cover_text(style).map_err(failed)?],
        };
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", pieces.join("\n\n")).map_err(crate::stdout_err)?;
        drop(stdout);
        if pieces.len() > 1 {
            eprintln!(
                "The message is in {} pieces of {style} cover text (separated by blank lines above): send \
                 every piece, in this order; the receiver pastes them all, in the same order.",
                pieces.len()
            );
        }
        Ok(Some(pieces.iter().map(|p| p.chars().filter(|c| *c != '\n').count()).sum()))
    }
}

#[derive(Args)]
pub struct HubSettingsArgs {
    vault: PathBuf,
    /// The broker whose setting to show or change (default: list every broker's).
    #[arg(long)]
    broker: Option<String>,
    /// The form messages to this broker are written in by default: ko-market, zh-market
    /// (cover text) or none (plain armor). `--cover` on each command overrides it.
    #[arg(long, value_name = "FORM", value_parser = cover_parser(), requires = "broker")]
    cover: Option<CoverChoice>,
    /// Days a settled order's details (alias, place, question, answer hash, report,
    /// photo or video) are kept after it is settled, 1 to 3650 (default 30); the ledger
    /// keeps only totals after that. Applied at once.
    #[arg(long, value_name = "DAYS")]
    retention_days: Option<u32>,
    #[command(flatten)]
    pass: PassArg,
}

/// `lethe hub settings`: shows or changes the cover setting per broker.
pub fn hub_settings(
    HubSettingsArgs { vault, broker, cover, retention_days, pass }: HubSettingsArgs,
    now: u64,
) -> CmdResult {
    let mut v = crate::open(&vault, &pass)?;
    let mut hub = crate::hub::open_hub(&mut v, now)?;
    if let Some(days) = retention_days {
        let erased = hub.set_retention_days(days)?;
        eprintln!(
            "Settled orders are now kept {days} days, then erased (the ledger keeps totals). \
             Erased now: {} orders, {} photos or videos.",
            erased.orders, erased.media
        );
    }
    // The retention when it was set or when every setting is listed.
    if retention_days.is_some() || broker.is_none() {
        println!("retention: {} days", hub.retention_days()?);
    }
    match broker {
        Some(broker) => {
            if let Some(choice) = cover {
                hub.set_cover_setting(&broker, choice.style())?;
                eprintln!(
                    "Messages to {broker} are now written as {} unless --cover says otherwise.",
                    describe(choice.style())
                );
            }
            println!("cover: {}", setting_name(hub.cover_setting(&broker)?));
        }
        None => {
            let mut rows = Vec::new();
            for b in hub.brokers()? {
                rows.push(vec![b.name.clone(), setting_name(hub.cover_setting(&b.name)?).to_owned()]);
            }
            print_table(&["BROKER", "COVER"], &rows)?;
        }
    }
    Ok(())
}

/// Words for a setting.
pub fn describe(style: Option<CoverStyle>) -> &'static str {
    match style {
        None => "plain armor",
        Some(CoverStyle::KoMarket) => "Korean market talk (ko-market)",
        Some(CoverStyle::ZhMarket) => "Chinese market talk (zh-market)",
    }
}
