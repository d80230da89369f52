//! `lethe demo`: one delivery from start to end, on throwaway containers held in memory
//! (`MemStorage`): nothing is written to disk. It runs by itself in a few seconds and
//! prints each step. The text follows the locale (LC_ALL, LC_MESSAGES, LANG): Korean,
//! Chinese, or English otherwise.
//!
//! Argon2id uses cheaper demo parameters (16 MiB, 2 passes) than real containers
//! (256 MiB, 3 passes, about a second per unlock), so the six unlocks of the walk-through
//! take seconds, not half a minute. Everything else is the real code path.

use crate::app::i18n::{Lang, Msg};
use crate::exit::{CmdResult, Exit, Failure};
use lethe_remit::{
    Currency, Delivery, Field, Hub, HubOrderStatus, OrderForm, Received, ReportOutcome, format_amount, time,
};
use lethe_vault::{ItemKind, KdfParams, MemStorage, Passphrase, Vault};
use std::fmt::Display;
use std::io::Write;
use std::time::Instant;

/// Demo-only Argon2id cost (see the module documentation).
pub const DEMO_KDF: KdfParams = KdfParams::DEMO;

const CONTAINER_BYTES: usize = 4 << 20;
const HUB_PASSPHRASE: &str = "north-star-hub";
const DECOY_PASSPHRASE: &str = "spring-garden";
const FIELD_PASSPHRASE: &str = "river-stone-42";
const BROKER: &str = "kim";

fn fail(e: impl Display) -> Failure {
    Failure::new(Exit::Other, format!("demo failed: {e}"))
}

fn demo_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::from_locale(&v))
        .unwrap_or(Lang::En)
}

struct Out {
    lang: Lang,
    step: usize,
}

impl Out {
    fn step(&mut self, msg: Msg, args: &[&str]) {
        self.step += 1;
        println!();
        println!("[{}] {}", self.step, self.lang.format(msg, args));
    }
    fn line(&self, msg: Msg, args: &[&str]) {
        println!("    {}", self.lang.format(msg, args));
    }
    fn raw(&self, text: &str) {
        for l in text.lines() {
            println!("    {l}");
        }
    }
}

fn new_container() -> Result<MemStorage, Failure> {
    let mut storage = MemStorage::new(vec![0; CONTAINER_BYTES]);
    lethe_vault::fill_with_random(&mut storage).map_err(fail)?;
    Ok(storage)
}

fn open(storage: &MemStorage, passphrase: &str) -> lethe_vault::Result<Vault<MemStorage>> {
    Vault::open(storage.clone(), &Passphrase::new(passphrase.as_bytes()), DEMO_KDF)
}

/// Whether `needle` occurs in `haystack` as UTF-8 or UTF-16LE (how an examiner searches).
fn bytes_contain(haystack: &[u8], needle: &str) -> bool {
    let utf8 = needle.as_bytes();
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    [utf8, &utf16[..]].iter().any(|n| haystack.windows(n.len()).any(|w| w == *n))
}

pub fn run() -> CmdResult {
    let started = Instant::now();
    let lang = demo_lang();
    let mut out = Out { lang, step: 0 };
    let now = time::now_unix();
    println!("{}", lang.tr(Msg::DemoIntro));
    out.line(Msg::DemoKdf, &[]);

    // 1. The hub's container and key.
    let hub_storage = new_container()?;
    let hub_public = {
        let mut vault =
            Vault::init(hub_storage.clone(), &Passphrase::new(HUB_PASSPHRASE.as_bytes()), DEMO_KDF).map_err(fail)?;
        let hub = Hub::init(&mut vault, now).map_err(fail)?;
        hub.public_key()
    };
    out.step(Msg::DemoHubInit, &[HUB_PASSPHRASE]);
    out.line(Msg::DemoPublicKey, &[&hub_public.to_text()]);

    // 2. The field broker's container: ordinary notes below, the broker's key hidden above.
    let field_storage = new_container()?;
    let field_public = {
        let mut vault = Vault::init(field_storage.clone(), &Passphrase::new(DECOY_PASSPHRASE.as_bytes()), DEMO_KDF)
            .map_err(fail)?;
        for (name, text) in [
            (lang.tr(Msg::DemoNoteShoppingName), lang.tr(Msg::DemoNoteShoppingText)),
            (lang.tr(Msg::DemoNoteRecipeName), lang.tr(Msg::DemoNoteRecipeText)),
        ] {
            vault.add(ItemKind::Note, name, text.as_bytes()).map_err(fail)?;
        }
        vault.hide(&Passphrase::new(FIELD_PASSPHRASE.as_bytes()), DEMO_KDF).map_err(fail)?;
        drop(vault);
        let mut hidden = open(&field_storage, FIELD_PASSPHRASE).map_err(fail)?;
        let field = Field::init(&mut hidden, now).map_err(fail)?;
        field.public_key()
    };
    out.step(Msg::DemoFieldInit, &[DECOY_PASSPHRASE, FIELD_PASSPHRASE]);
    out.line(Msg::DemoPublicKey, &[&field_public.to_text()]);

    // 3. Pairing.
    let mut hub_vault = open(&hub_storage, HUB_PASSPHRASE).map_err(fail)?;
    let mut field_vault = open(&field_storage, FIELD_PASSPHRASE).map_err(fail)?;
    let broker =
        Hub::open(&mut hub_vault, now).map_err(fail)?.add_broker(BROKER, &field_public.to_text()).map_err(fail)?;
    let field_code = Field::open(&mut field_vault, now).map_err(fail)?.pair(&hub_public.to_text()).map_err(fail)?;
    out.step(Msg::DemoPaired, &[&broker.safety_code, &field_code]);
    if broker.safety_code != field_code {
        return Err(fail("the safety codes differ"));
    }

    // 4. Orders at the hub.
    let orders = [
        ("큰 언니", "혜산 시장 근처", "300만", "KRW", "30만", "어릴 때 키우던 강아지 이름은?", "바둑이"),
        ("작은 삼촌", "회령 역 앞", "150만 원", "KRW", "15만", "할머니 고향은?", "길주"),
        ("小白", "延吉 东市场", "1万5000", "CNY", "1500", "家里的猫叫什么?", "咪咪"),
    ];
    let mut codes = Vec::new();
    {
        let mut hub = Hub::open(&mut hub_vault, now).map_err(fail)?;
        for (alias, place, amount, currency, fee, question, answer) in orders {
            // The same order form `lethe hub order` reads (amounts in local forms).
            let form = OrderForm::parse(&format!(
                "alias: {alias}\nplace: {place}\namount: {amount}\ncurrency: {currency}\nfee: {fee}\n\
                 question: {question}\nanswer: {answer}\n"
            ))
            .map_err(fail)?;
            codes.push(hub.create_order(BROKER, &form).map_err(fail)?);
        }
        out.step(Msg::DemoOrders, &[&codes.len().to_string(), BROKER]);
        for o in hub.orders().map_err(fail)? {
            println!(
                "    {}  {} {} {:>16}  {}",
                o.code,
                pad(&o.alias, 10),
                pad(&o.place_hint, 16),
                format_amount(o.amount_minor, o.currency),
                o.question
            );
        }
    }
    let orders_message = Hub::open(&mut hub_vault, now).map_err(fail)?.send_orders(BROKER, false).map_err(fail)?;
    out.step(
        Msg::DemoOrdersSealed,
        &[
            &orders_message.items.to_string(),
            &orders_message.chars().to_string(),
            &orders_message.sealed_len().to_string(),
        ],
    );
    out.raw(&orders_message.text());

    // 5. The field receives them.
    {
        let mut field = Field::open(&mut field_vault, now).map_err(fail)?;
        match field.receive(&orders_message.text()).map_err(fail)? {
            Received::Orders { added, .. } => out.step(Msg::DemoFieldReceived, &[&added.len().to_string()]),
            _ => return Err(fail("expected orders")),
        }
        // A message pasted twice is refused and changes nothing.
        match field.receive(&orders_message.text()) {
            Err(lethe_remit::Error::Replayed) => out.line(Msg::DemoReplayRefused, &[]),
            _ => return Err(fail("a replayed message was not refused")),
        }
    }

    // 6. Two deliveries: one with the right answer, one where the answer is wrong.
    {
        let mut field = Field::open(&mut field_vault, now).map_err(fail)?;
        let first = field
            .deliver(Delivery { code: codes[0], amount_minor: None, answer: "바둑이", media: None }, &mut |_, _| {})
            .map_err(fail)?;
        out.step(
            Msg::DemoDelivered,
            &[&first.code.to_string(), &format_amount(first.amount_minor, first.currency), "바둑이"],
        );
        let second = field
            .deliver(
                Delivery {
                    code: codes[1],
                    amount_minor: Some(lethe_remit::parse_amount("140만", Currency::Krw).map_err(fail)?),
                    answer: "명천",
                    media: None,
                },
                &mut |_, _| {},
            )
            .map_err(fail)?;
        out.line(
            Msg::DemoDeliveredWrong,
            &[&second.code.to_string(), &format_amount(second.amount_minor, second.currency), "명천"],
        );
        for entry in field.outbox().map_err(fail)? {
            out.line(Msg::DemoOutboxEntry, &[&entry.code.to_string(), &entry.chars.to_string()]);
        }
        out.line(Msg::DemoCannotOpen, &[]);
    }
    let reports = Field::open(&mut field_vault, now).map_err(fail)?.send().map_err(fail)?;
    out.step(Msg::DemoReportsSealed, &[&reports.items.to_string(), &reports.chars().to_string()]);
    out.raw(&reports.text());
    out.line(Msg::DemoAirtime, &["91,500", "200,000"]);

    // 7. The hub verifies.
    let receipt = Hub::open(&mut hub_vault, now).map_err(fail)?.receive(&reports.text()).map_err(fail)?;
    out.step(Msg::DemoHubVerified, &[&receipt.broker]);
    for r in &receipt.results {
        let verdict = match r.outcome {
            ReportOutcome::Delivered => lang.tr(Msg::DemoVerdictDelivered),
            ReportOutcome::Disputed(_) => lang.tr(Msg::DemoVerdictDisputed),
            _ => lang.tr(Msg::DemoVerdictOther),
        };
        println!("    {}  {:>16}  {verdict}", r.code, format_amount(r.amount_handed_minor, r.currency));
    }
    {
        let mut hub = Hub::open(&mut hub_vault, now).map_err(fail)?;
        hub.record_advance(BROKER, 5_000_000, Currency::Krw).map_err(fail)?;
        out.line(Msg::DemoLedger, &[]);
        for row in hub.ledger().map_err(fail)? {
            let c = row.currency;
            println!(
                "    {} {}  {:>12} {:>12} {:>10} {:>12} {:>12} {:>12}",
                pad(&row.broker, 6),
                c.code(),
                lethe_remit::format_number(row.advanced as i128, c),
                lethe_remit::format_number(row.delivered as i128, c),
                lethe_remit::format_number(row.fees_owed as i128, c),
                lethe_remit::format_number(row.disputed as i128, c),
                lethe_remit::format_number(row.outstanding as i128, c),
                lethe_remit::format_number(row.balance, c),
            );
        }
        let statuses: Vec<String> =
            hub.orders().map_err(fail)?.iter().map(|o| format!("{} {}", o.code, status_text(lang, o.status))).collect();
        out.line(Msg::DemoStatuses, &[&statuses.join(", ")]);
    }

    // 8. The acknowledgement goes back; the field erases what it names.
    let ack = receipt.ack.ok_or_else(|| fail("expected an acknowledgement"))?;
    out.step(Msg::DemoAck, &[&ack.chars().to_string()]);
    {
        let mut field = Field::open(&mut field_vault, now).map_err(fail)?;
        match field.receive(&ack.text()).map_err(fail)? {
            Received::Ack { erased, disputed, .. } => {
                out.line(Msg::DemoAckErased, &[&erased.len().to_string()]);
                for (code, reason) in &disputed {
                    out.line(Msg::DemoAckDisputed, &[&code.to_string(), reason]);
                }
            }
            _ => return Err(fail("expected an acknowledgement")),
        }
        let left: Vec<String> =
            field.orders().map_err(fail)?.iter().map(|o| format!("{} {}", o.code, o.alias)).collect();
        out.line(Msg::DemoFieldLeft, &[&left.join(", ")]);
    }
    drop(field_vault);
    let raw = field_storage.snapshot();
    let found: Vec<&str> = ["큰 언니", "바둑이", "혜산"].into_iter().filter(|s| bytes_contain(&raw, s)).collect();
    out.line(if found.is_empty() { Msg::DemoRawClean } else { Msg::DemoRawFound }, &[&found.join(", ")]);

    // 9. Under coercion: the decoy passphrase.
    {
        let mut decoy = open(&field_storage, DECOY_PASSPHRASE).map_err(fail)?;
        let names: Vec<String> =
            decoy.list().into_iter().filter(|i| i.kind == ItemKind::Note).map(|i| i.name).collect();
        out.step(Msg::DemoDecoy, &[DECOY_PASSPHRASE, &names.join(", ")]);
        match Field::open(&mut decoy, now) {
            Err(lethe_remit::Error::NotInitialised(_)) => out.line(Msg::DemoDecoyNoRole, &[]),
            _ => return Err(fail("the decoy compartment shows a broker key")),
        }
    }

    // 10. Panic.
    let mut wiping = field_storage.clone();
    let t = Instant::now();
    lethe_vault::panic_wipe(&mut wiping).map_err(fail)?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    out.step(Msg::DemoPanic, &[&format!("{ms:.1}")]);
    for p in [DECOY_PASSPHRASE, FIELD_PASSPHRASE] {
        match open(&field_storage, p) {
            Err(lethe_vault::Error::WrongPassphrase) => out.line(Msg::DemoAfterPanic, &[p]),
            _ => return Err(fail("a compartment still opens after panic")),
        }
    }
    println!();
    println!("{}", lang.format(Msg::DemoDone, &[&format!("{:.1}", started.elapsed().as_secs_f64())]));
    let _ = std::io::stdout().flush();
    Ok(())
}

/// Pads to a display width (a Hangul or Chinese character takes two columns).
fn pad(s: &str, width: usize) -> String {
    let w = crate::app::text::str_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn status_text(lang: Lang, status: HubOrderStatus) -> &'static str {
    lang.tr(crate::app::screens::hub_draw::status_msg(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_search_finds_utf8_and_utf16() {
        let mut bytes = vec![0u8; 64];
        bytes.extend("x 큰 언니 y".as_bytes());
        assert!(bytes_contain(&bytes, "큰 언니"));
        let utf16: Vec<u8> = "바둑이".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        bytes.extend(&utf16);
        assert!(bytes_contain(&bytes, "바둑이"));
        assert!(!bytes_contain(&bytes, "혜산"));
    }
}
