//! A model-based run of the hub and two field brokers (issue 16, "keep it true").
//!
//! Random sequences of operations — orders in three currencies with amounts written in
//! every accepted notation, sends and resends, receives of any message in any order and
//! late (replays included), deliveries with the right or a wrong answer (typed as
//! syllables or letter by letter), empty answers, amounts in full, short, above the
//! order and zero, reports sent in batches, reports forged above the order, hub
//! receives of any report message, acknowledgements, advances, malformed amounts and
//! fees — are applied to the real [`Hub`] and [`Field`]s on in-memory vaults and to a
//! plain model of what the ledger and each side's orders must be. After every step the
//! hub's ledger, the hub's orders with their status, each field's orders and each
//! field's waiting reports are compared with the model.
//!
//! The default run is a few hundred operations on fixed seeds. `LETHE_MODEL_OPS=N` sets
//! the operations per seed, `LETHE_MODEL_SEED=S` runs that one seed, `LETHE_MODEL_SEEDS=K`
//! runs K seeds drawn from the clock. A failure prints the seed, the step and the last
//! operations, to be replayed with `LETHE_MODEL_SEED`.

mod common;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use common::{HOUR, T0, forged_reports};
use lethe_protocol::{Currency, DeliveryReport, OrderCode, ProtocolError, PublicKey};
use lethe_remit::{
    Delivery, DisputeReason, Error, Field, Hub, HubOrderStatus, LedgerRow, OrderForm, Received, ReportOutcome,
    parse_amount,
};
use lethe_vault::{KdfParams, MemStorage, Passphrase, Vault, fill_with_random};

/// Operations per seed in the default run.
const DEFAULT_OPS: usize = 300;
/// The seeds of the default run (the first regression cases of issue 16 came from the
/// run that found them; these keep exercising the same paths).
const DEFAULT_SEEDS: [u64; 2] = [0x16_0001, 0x16_0640];

const BROKERS: [&str; 2] = ["mina", "jun"];
const CURRENCIES: [Currency; 3] = [Currency::Cny, Currency::Krw, Currency::Usd];

/// Answers, each with ways of typing it that must match it, and that match no other.
const ANSWERS: [&[&str]; 6] = [
    &["바둑이", "ㅂㅏㄷㅜㄱㅇㅣ", " 바 둑 이! ", "바둑ㅇㅣ"],
    &["한글", "ㅎㅏㄴㄱㅡㄹ", "한 글", "ㅎㅏㄴ ㄱㅡㄹ"],
    &["Rex the Dog", "rex-the-dog", "REX THE DOG", "ＲＥＸ the dog"],
    &["旺财", "旺 财", "旺财！"],
    &["닭", "ㄷㅏㄹㄱ", "ㄷㅏㄺ"],
    &["과자", "ㄱㅗㅏㅈㅏ", "ㄱㅘㅈㅏ"],
];

/// splitmix64: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How an amount of minor units can be written (every form must read back as it).
fn write_amount(rng: &mut Rng, minor: u64, currency: Currency) -> String {
    let digits = currency.minor_digits();
    let scale = 10u64.pow(digits);
    let (whole, frac) = (minor / scale, minor % scale);
    let grouped = |n: u64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let decimals = if digits == 0 || (frac == 0 && rng.chance(50)) {
        String::new()
    } else {
        format!(".{frac:0width$}", width = digits as usize)
    };
    if frac != 0 || rng.chance(40) {
        let number = if rng.chance(50) { grouped(whole) } else { whole.to_string() };
        let mark = match (currency, rng.below(3)) {
            (Currency::Krw, 0) => "원",
            (Currency::Cny, 0) => "元",
            (Currency::Usd, 0) => " USD",
            _ => "",
        };
        return format!("{number}{decimals}{mark}");
    }
    // East Asian units, positional: 억, 만, then the rest (sometimes with 천).
    let (big, small) = if currency == Currency::Cny && rng.chance(50) { ("亿", "万") } else { ("억", "만") };
    let (yi, wan, rest) = (whole / 100_000_000, (whole / 10_000) % 10_000, whole % 10_000);
    let space = if rng.chance(50) { " " } else { "" };
    let mut parts = Vec::new();
    if yi > 0 {
        parts.push(format!("{yi}{big}"));
    }
    if wan > 0 {
        parts.push(format!("{wan}{small}"));
    }
    if rest > 0 {
        if rest >= 1000 && rng.chance(50) {
            let (thousands, below) = (rest / 1000, rest % 1000);
            let cheon = if small == "万" { "千" } else { "천" };
            parts.push(if below > 0 { format!("{thousands}{cheon}{below}") } else { format!("{thousands}{cheon}") });
        } else {
            parts.push(rest.to_string());
        }
    }
    if parts.is_empty() {
        parts.push("0".into());
    }
    parts.join(space)
}

/// An amount written with a unit twice or out of order: must be refused.
fn malformed_amount(rng: &mut Rng) -> String {
    let (a, b) = (1 + rng.below(9), 1 + rng.below(9));
    match rng.below(7) {
        0 => format!("{a}만만"),
        1 => format!("{a}万万"),
        2 => format!("{a}만{b}만"),
        3 => format!("{a}천{b}천"),
        4 => format!("{a}만{b}억"),
        5 => format!("{a}억만"),
        _ => format!("{a}만억"),
    }
}

fn currency_text(rng: &mut Rng, currency: Currency) -> &'static str {
    match (currency, rng.below(2)) {
        (Currency::Cny, 0) => "CNY",
        (Currency::Cny, _) => "元",
        (Currency::Krw, 0) => "krw",
        (Currency::Krw, _) => "원",
        (Currency::Usd, 0) => "USD",
        (Currency::Usd, _) => "달러",
    }
}

/// What the hub knows of an order, in the model.
#[derive(Clone, Debug)]
struct MOrder {
    code: OrderCode,
    broker: usize,
    amount: u64,
    fee: u64,
    currency: Currency,
    answer: usize,
    sent: bool,
    /// Amount reported and the verdict (None: delivered in full or in part).
    report: Option<(u64, Option<DisputeReason>)>,
}

impl MOrder {
    fn status(&self) -> HubOrderStatus {
        match self.report {
            None if self.sent => HubOrderStatus::Sent,
            None => HubOrderStatus::New,
            Some((_, Some(reason))) => HubOrderStatus::Disputed(reason),
            Some((handed, None)) if handed < self.amount => HubOrderStatus::Partial,
            Some(_) => HubOrderStatus::Delivered,
        }
    }
}

/// What one field broker holds, in the model.
#[derive(Default, Debug)]
struct MField {
    /// Orders held: code and whether delivered.
    held: Vec<(OrderCode, bool)>,
    /// Waiting reports: code, amount reported, whether the answer was right.
    outbox: Vec<(OrderCode, u64, bool)>,
    /// Codes the hub acknowledged: never taken back.
    settled: Vec<OrderCode>,
    /// Messages received (by sequence number), and the newest one opened.
    received: Vec<usize>,
    newest_opened: Option<usize>,
}

#[derive(Debug)]
enum Kind {
    /// Orders to a field.
    Orders(Vec<OrderCode>),
    /// An acknowledgement to a field: each order, and whether the hub disputes it (the
    /// field then keeps the order with the hub's reason).
    Ack(Vec<(OrderCode, bool)>),
    /// Reports to the hub: the waiting reports when it was made, and how many it holds
    /// (the first ones; the field decides how many fit).
    Reports { candidates: Vec<(OrderCode, u64, bool)>, items: usize },
}

#[derive(Debug)]
struct Msg {
    broker: usize,
    kind: Kind,
    text: String,
}

struct World {
    rng: Rng,
    now: u64,
    hub: Vault<MemStorage>,
    hub_key: PublicKey,
    fields: Vec<Vault<MemStorage>>,
    orders: Vec<MOrder>,
    advances: Vec<(usize, Currency, u64)>,
    model_fields: Vec<MField>,
    messages: Vec<Msg>,
    trace: Vec<String>,
    /// How often each outcome happened (printed, so a run shows what it covered).
    stats: BTreeMap<&'static str, usize>,
}

fn vault(size: usize, pass: &str) -> Vault<MemStorage> {
    let mut mem = MemStorage::new(vec![0u8; size]);
    fill_with_random(&mut mem).unwrap();
    Vault::init(mem, &Passphrase::new(pass.as_bytes()), KdfParams::INSECURE_TEST_ONLY).unwrap()
}

impl World {
    fn new(seed: u64) -> World {
        let mut hub = vault(8 << 20, "hub");
        let hub_key = Hub::init(&mut hub, T0).unwrap().public_key();
        let mut fields = Vec::new();
        for name in BROKERS {
            let mut field = vault(4 << 20, name);
            let key = Field::init(&mut field, T0).unwrap().public_key().to_text();
            let broker = Hub::open(&mut hub, T0).unwrap().add_broker(name, &key).unwrap();
            let code = Field::open(&mut field, T0).unwrap().pair(&hub_key.to_text()).unwrap();
            assert_eq!(broker.safety_code, code);
            fields.push(field);
        }
        World {
            rng: Rng(seed),
            now: T0,
            hub,
            hub_key,
            fields,
            orders: Vec::new(),
            advances: Vec::new(),
            model_fields: BROKERS.iter().map(|_| MField::default()).collect(),
            messages: Vec::new(),
            trace: Vec::new(),
            stats: BTreeMap::new(),
        }
    }

    fn log(&mut self, line: String) {
        self.trace.push(line);
    }

    fn count(&mut self, what: &'static str) {
        *self.stats.entry(what).or_default() += 1;
    }

    fn order(&self, code: OrderCode) -> Option<&MOrder> {
        self.orders.iter().find(|o| o.code == code)
    }

    fn step(&mut self) {
        // Time moves on (staying inside the field's 7-day retention window: retention
        // and message memory have their own tests).
        if self.now < T0 + 6 * 24 * HOUR {
            self.now += 60 * self.rng.below(40);
        }
        let broker = self.rng.below(BROKERS.len() as u64) as usize;
        match self.rng.below(100) {
            0..=11 => self.create_order(broker),
            12..=23 => self.send_orders(broker),
            24..=45 => self.field_receive(broker),
            46..=65 => self.deliver(broker),
            66..=75 => self.field_send(broker),
            76..=89 => self.hub_receive(),
            90..=92 => self.forge_over(broker),
            93..=96 => self.advance(broker),
            _ => self.malformed(broker),
        }
    }

    fn create_order(&mut self, broker: usize) {
        let currency = *self.rng.pick(&CURRENCIES);
        let scale = 10u64.pow(currency.minor_digits());
        let amount = match self.rng.below(4) {
            0 => 1 + self.rng.below(100 * scale),
            1 => (1 + self.rng.below(5_000)) * scale,
            2 => (1 + self.rng.below(300)) * 10_000 * scale,
            _ => 1 + self.rng.below(2_000_000_000),
        };
        let fee = match self.rng.below(10) {
            0 => amount + 1 + self.rng.below(1000), // above the amount: refused
            1 => 0,
            _ => self.rng.below(amount / 5 + 1),
        };
        let answer = self.rng.below(ANSWERS.len() as u64) as usize;
        let typed = *self.rng.pick(ANSWERS[answer]);
        let amount_text = write_amount(&mut self.rng, amount, currency);
        let fee_text = write_amount(&mut self.rng, fee, currency);
        let currency_text = currency_text(&mut self.rng, currency);
        let text = format!(
            "alias: a{}\nplace: p\namount: {amount_text}\ncurrency: {currency_text}\nfee: {fee_text}\n\
             deadline: 2026-12-20\nquestion: q\nanswer: {typed}\n",
            self.orders.len()
        );
        self.log(format!("order {} {amount_text} fee {fee_text} {currency_text} answer {typed:?}", BROKERS[broker]));
        let form = OrderForm::parse(&text);
        if fee > amount {
            assert!(form.is_err(), "a fee above the amount was accepted: {text}");
            self.count("form refused: fee above the amount");
            return;
        }
        self.count("order made");
        let form = form.unwrap_or_else(|e| panic!("form refused: {e}\n{text}"));
        assert_eq!((form.amount_minor, form.fee_minor, form.currency), (amount, fee, currency), "{text}");
        let code = Hub::open(&mut self.hub, self.now).unwrap().create_order(BROKERS[broker], &form).unwrap();
        self.orders.push(MOrder { code, broker, amount, fee, currency, answer, sent: false, report: None });
    }

    fn send_orders(&mut self, broker: usize) {
        let resend = self.rng.chance(35);
        self.log(format!("send {} resend={resend}", BROKERS[broker]));
        let expected: Vec<OrderCode> = self
            .orders
            .iter()
            .filter(|o| o.broker == broker && o.report.is_none() && (resend || !o.sent))
            .map(|o| o.code)
            .collect();
        let result = Hub::open(&mut self.hub, self.now).unwrap().send_orders(BROKERS[broker], resend);
        if expected.is_empty() {
            assert!(matches!(result, Err(Error::NothingToSend)), "{result:?}");
            return;
        }
        self.count(if resend { "orders resent" } else { "orders sent" });
        let out = result.unwrap();
        assert_eq!((out.items, out.remaining), (expected.len(), 0));
        for o in self.orders.iter_mut().filter(|o| expected.contains(&o.code)) {
            o.sent = true;
        }
        self.messages.push(Msg { broker, kind: Kind::Orders(expected), text: out.text() });
    }

    /// A message to this broker: usually one she has not read yet, sometimes any (a
    /// replay or a late copy).
    fn pick_message(&mut self, broker: usize, to_hub: bool) -> Option<usize> {
        let wanted = |m: &Msg| m.broker == broker && matches!(m.kind, Kind::Reports { .. }) == to_hub;
        let all: Vec<usize> = (0..self.messages.len()).filter(|i| wanted(&self.messages[*i])).collect();
        let unread: Vec<usize> =
            all.iter().copied().filter(|i| !self.model_fields[broker].received.contains(i)).collect();
        if !to_hub && !unread.is_empty() && self.rng.chance(80) {
            return Some(*self.rng.pick(&unread));
        }
        (!all.is_empty()).then(|| *self.rng.pick(&all))
    }

    fn field_receive(&mut self, broker: usize) {
        let Some(at) = self.pick_message(broker, false) else { return };
        self.log(format!("{} receives message #{at} {:?}", BROKERS[broker], self.messages[at].kind));
        let result = Field::open(&mut self.fields[broker], self.now).unwrap().receive(&self.messages[at].text);
        let model = &mut self.model_fields[broker];
        if let Err(Error::SealedToErasedKey | Error::Message(ProtocolError::CannotOpen)) = &result {
            // Only a message made before one the field has opened can be sealed to a key
            // it has erased since.
            assert!(model.newest_opened.is_some_and(|n| n > at), "message #{at} cannot be opened: {result:?}");
            *self.stats.entry("field: message sealed to an erased key").or_default() += 1;
            return;
        }
        if model.received.contains(&at) {
            assert!(matches!(result, Err(Error::Replayed)), "a replay of #{at} gave {result:?}");
            *self.stats.entry("field: replay refused").or_default() += 1;
            return;
        }
        let received = result.unwrap_or_else(|e| panic!("message #{at} refused: {e}"));
        model.received.push(at);
        model.newest_opened = model.newest_opened.max(Some(at));
        match &self.messages[at].kind {
            Kind::Orders(codes) => {
                let mut added = Vec::new();
                let mut already_had = 0;
                for code in codes {
                    if model.settled.contains(code) {
                        *self.stats.entry("field: settled order not taken back").or_default() += 1;
                    }
                    if model.held.iter().any(|(c, _)| c == code) || model.settled.contains(code) {
                        already_had += 1;
                    } else {
                        model.held.push((*code, false));
                        added.push(*code);
                    }
                }
                let Received::Orders { added: mut got, already_had: got_had, .. } = received else {
                    panic!("orders read as {received:?}")
                };
                got.sort();
                added.sort();
                assert_eq!((got, got_had), (added, already_had), "orders message #{at}");
            }
            Kind::Ack(items) => {
                let mut erased = Vec::new();
                let mut disputed = Vec::new();
                let mut unknown = 0;
                for (code, is_disputed) in items {
                    let in_outbox = model.outbox.iter().any(|(c, ..)| c == code);
                    let in_held = model.held.iter().any(|(c, _)| c == code);
                    // The hub has the report, whatever it made of it.
                    model.outbox.retain(|(c, ..)| c != code);
                    if *is_disputed {
                        // A disputed order stays, with the hub's reason, until it resolves it.
                        if in_held {
                            disputed.push(*code);
                            *self.stats.entry("field: disputed order kept with the reason").or_default() += 1;
                        } else if !in_outbox {
                            unknown += 1;
                        }
                        continue;
                    }
                    if in_held || in_outbox {
                        erased.push(*code);
                    } else {
                        unknown += 1;
                    }
                    model.held.retain(|(c, _)| c != code);
                    if !model.settled.contains(code) {
                        model.settled.push(*code);
                    }
                }
                let Received::Ack { erased: mut got, disputed: got_disputed, unknown: got_unknown } = received else {
                    panic!("ack read as {received:?}")
                };
                let mut got_disputed: Vec<OrderCode> = got_disputed.into_iter().map(|(c, _)| c).collect();
                got.sort();
                erased.sort();
                got_disputed.sort();
                disputed.sort();
                assert_eq!((got, got_disputed, got_unknown), (erased, disputed, unknown), "ack #{at}");
            }
            Kind::Reports { .. } => unreachable!("reports go to the hub"),
        }
    }

    fn deliver(&mut self, broker: usize) {
        let held_now = self.model_fields[broker].held.clone();
        let all: Vec<OrderCode> = self.orders.iter().map(|o| o.code).collect();
        let open: Vec<OrderCode> = held_now.iter().filter(|(_, d)| !d).map(|(c, _)| *c).collect();
        let code = match self.rng.below(10) {
            0..=7 if !open.is_empty() => *self.rng.pick(&open),
            7 if !held_now.is_empty() => self.rng.pick(&held_now).0,
            8 if !all.is_empty() => *self.rng.pick(&all),
            _ => OrderCode(self.rng.next() as u32),
        };
        let order = self.order(code).cloned();
        let held = held_now.iter().find(|(c, _)| *c == code).copied();
        let ordered = order.as_ref().map_or(1000, |o| o.amount);
        let amount = match self.rng.below(20) {
            0..=7 => None,
            8..=11 => Some(ordered),
            12..=15 => Some(1 + self.rng.below(ordered.max(2) - 1)),
            16..=17 => Some(ordered + 1 + self.rng.below(ordered)),
            _ => Some(0),
        };
        let (answer, right) = match self.rng.below(20) {
            0..=13 => {
                let a = order.as_ref().map_or(0, |o| o.answer);
                (*self.rng.pick(ANSWERS[a]), true)
            }
            14..=17 => {
                let a = order.as_ref().map_or(0, |o| o.answer);
                let other = (a + 1 + self.rng.below(ANSWERS.len() as u64 - 1) as usize) % ANSWERS.len();
                (*self.rng.pick(ANSWERS[other]), false)
            }
            18 => (*self.rng.pick(&["", "  ", "\t"]), false),
            _ => ("?! ...", false),
        };
        self.log(format!("{} delivers {code} amount {amount:?} answer {answer:?}", BROKERS[broker]));
        let result = Field::open(&mut self.fields[broker], self.now)
            .unwrap()
            .deliver(Delivery { code, amount_minor: amount, answer, media: None }, &mut |_, _| {});
        let model = &mut self.model_fields[broker];
        let Some((_, delivered)) = held else {
            assert!(matches!(result, Err(Error::UnknownOrder(c)) if c == code), "{result:?}");
            let settled = model.settled.contains(&code);
            self.count(if settled { "deliver: settled order refused" } else { "deliver: unknown order refused" });
            return;
        };
        if delivered {
            assert!(matches!(result, Err(Error::AlreadyDelivered(c)) if c == code), "{result:?}");
            self.count("deliver: second delivery refused");
            return;
        }
        let order = order.expect("a held order exists at the hub");
        let handed = amount.unwrap_or(order.amount);
        if answer.trim().is_empty() {
            let err = result.unwrap_err();
            assert_eq!(err.to_string(), "the answer is empty: type the answer the recipient gives");
        } else if answer == "?! ..." {
            assert!(matches!(result, Err(Error::BadAnswer(_))), "{result:?}");
        } else if handed == 0 {
            *self.stats.entry("deliver: zero refused").or_default() += 1;
            assert!(matches!(result, Err(Error::ZeroAmount)), "{result:?}");
        } else if handed > order.amount {
            assert!(
                matches!(result, Err(Error::AmountAboveOrder { ordered_minor, .. }) if ordered_minor == order.amount),
                "{result:?}"
            );
            *self.stats.entry("deliver: above the order refused").or_default() += 1;
        } else {
            *self.stats.entry(if handed < order.amount { "deliver: short" } else { "deliver: full" }).or_default() += 1;
            let done = result.unwrap_or_else(|e| panic!("delivery refused: {e}"));
            assert_eq!((done.amount_minor, done.ordered_minor, done.currency), (handed, order.amount, order.currency));
            for h in model.held.iter_mut().filter(|(c, _)| *c == code) {
                h.1 = true;
            }
            model.outbox.push((code, handed, right));
        }
    }

    fn field_send(&mut self, broker: usize) {
        self.log(format!("{} sends", BROKERS[broker]));
        let result = Field::open(&mut self.fields[broker], self.now).unwrap().send();
        let candidates = self.model_fields[broker].outbox.clone();
        if candidates.is_empty() {
            assert!(matches!(result, Err(Error::NothingToSend)), "{result:?}");
            return;
        }
        let out = result.unwrap();
        assert_eq!(out.items + out.remaining, candidates.len());
        assert!(out.items >= 1);
        self.messages.push(Msg { broker, kind: Kind::Reports { candidates, items: out.items }, text: out.text() });
    }

    /// Applies the reports the hub read (`got`: code, outcome, amount, in message order)
    /// to the hub model; each must be one of the `candidates` (the waiting reports when the
    /// message was made), with its amount. Returns the acknowledgement's codes.
    fn apply_reports(
        &mut self,
        broker: usize,
        candidates: &[(OrderCode, u64, bool)],
        got: &[(OrderCode, ReportOutcome, u64)],
    ) -> Vec<(OrderCode, bool)> {
        let mut ack = Vec::new();
        for (code, outcome, got_handed) in got {
            assert!(!ack.iter().any(|(c, _)| c == code), "report {code} twice in one message");
            let Some((_, handed, right)) = candidates.iter().find(|(c, ..)| c == code) else {
                panic!("report {code} was not waiting at the field");
            };
            assert_eq!(got_handed, handed, "amount of {code}");
            let order = self.orders.iter_mut().find(|o| o.code == *code && o.broker == broker);
            let Some(order) = order else {
                assert_eq!(*outcome, ReportOutcome::UnknownOrder);
                ack.push((*code, false));
                continue;
            };
            if let Some((_, verdict)) = order.report {
                assert_eq!(*outcome, ReportOutcome::AlreadyRecorded, "{code}");
                ack.push((*code, verdict.is_some()));
                continue;
            }
            let verdict = if !right {
                Some(DisputeReason::WrongAnswer)
            } else if *handed > order.amount {
                Some(DisputeReason::AmountAboveOrder)
            } else {
                None
            };
            order.report = Some((*handed, verdict));
            ack.push((*code, verdict.is_some()));
            *self
                .stats
                .entry(match verdict {
                    Some(DisputeReason::WrongAnswer) => "hub: disputed, wrong answer",
                    Some(_) => "hub: disputed, above the order",
                    None if *handed < order.amount => "hub: partly delivered",
                    None => "hub: delivered",
                })
                .or_default() += 1;
            let expected = match verdict {
                Some(reason) => ReportOutcome::Disputed(reason),
                None if *handed < order.amount => ReportOutcome::Partial,
                None => ReportOutcome::Delivered,
            };
            assert_eq!(*outcome, expected, "{code}");
        }
        ack
    }

    fn hub_receive(&mut self) {
        let broker = self.rng.below(BROKERS.len() as u64) as usize;
        let Some(at) = self.pick_message(broker, true) else { return };
        self.log(format!("hub receives #{at} from {}", BROKERS[broker]));
        let receipt = Hub::open(&mut self.hub, self.now).unwrap().receive(&self.messages[at].text);
        let receipt = receipt.unwrap_or_else(|e| panic!("reports #{at} refused: {e}"));
        assert_eq!(receipt.broker, BROKERS[broker]);
        let Kind::Reports { candidates, items } = &self.messages[at].kind else { unreachable!() };
        // The message holds `items` of the reports waiting when it was made (the oldest;
        // among reports sealed in the same second, any).
        let candidates = candidates.clone();
        assert_eq!(receipt.results.len(), *items);
        let got: Vec<(OrderCode, ReportOutcome, u64)> =
            receipt.results.iter().map(|r| (r.code, r.outcome, r.amount_handed_minor)).collect();
        let ack = self.apply_reports(broker, &candidates, &got);
        let sent = receipt.ack.as_ref().expect("reports without media are acknowledged at once");
        assert_eq!(sent.items, ack.len());
        self.messages.push(Msg { broker, kind: Kind::Ack(ack), text: sent.text() });
    }

    /// A report above the order, made by hand with the field's keys (an altered
    /// program): never counted as delivered.
    fn forge_over(&mut self, broker: usize) {
        let mine: Vec<MOrder> = self.orders.iter().filter(|o| o.broker == broker).cloned().collect();
        if mine.is_empty() {
            return;
        }
        let order = self.rng.pick(&mine).clone();
        let handed = order.amount + 1 + self.rng.below(order.amount.saturating_mul(1000).max(1));
        self.log(format!("forged report for {} of {handed}", order.code));
        let report = DeliveryReport {
            order_code: order.code,
            amount_handed_minor: handed,
            currency: order.currency,
            delivered_unix_minutes: (self.now / 60) as u32,
            answer: ANSWERS[order.answer][0].into(),
            media: None,
            next_key: None,
        };
        for text in forged_reports(&self.fields[broker], &self.hub_key, report, (self.now / 60) as u32) {
            match Hub::open(&mut self.hub, self.now).unwrap().receive(&text) {
                Ok(receipt) => {
                    let got: Vec<(OrderCode, ReportOutcome, u64)> =
                        receipt.results.iter().map(|r| (r.code, r.outcome, r.amount_handed_minor)).collect();
                    let ack = self.apply_reports(broker, &[(order.code, handed, true)], &got);
                    self.messages.push(Msg {
                        broker,
                        kind: Kind::Ack(ack),
                        text: receipt.ack.as_ref().expect("an ack").text(),
                    });
                    return;
                }
                Err(Error::Message(ProtocolError::CannotOpen)) => {} // a key the hub has not learned yet
                Err(e) => panic!("forged report: {e}"),
            }
        }
        panic!("none of the field's keys opens at the hub");
    }

    fn advance(&mut self, broker: usize) {
        let currency = *self.rng.pick(&CURRENCIES);
        let amount = if self.rng.chance(10) { 0 } else { 1 + self.rng.below(1_000_000_000) };
        let text = write_amount(&mut self.rng, amount, currency);
        self.log(format!("advance {} {text} {currency:?}", BROKERS[broker]));
        assert_eq!(parse_amount(&text, currency), Ok(amount), "{text}");
        let result = Hub::open(&mut self.hub, self.now).unwrap().record_advance(BROKERS[broker], amount, currency);
        if amount == 0 {
            assert!(matches!(result, Err(Error::ZeroAmount)), "{result:?}");
        } else {
            result.unwrap();
            self.advances.push((broker, currency, amount));
        }
    }

    fn malformed(&mut self, broker: usize) {
        let text = malformed_amount(&mut self.rng);
        self.log(format!("malformed amount {text}"));
        assert!(parse_amount(&text, Currency::Krw).is_err(), "{text} was read");
        let form = format!("alias: x\namount: {text}\ncurrency: KRW\nquestion: q\nanswer: a\n");
        assert!(OrderForm::parse(&form).is_err(), "{text} accepted in a form");
        let _ = broker;
    }

    /// The ledger the model says the hub must show.
    fn model_ledger(&self) -> Vec<LedgerRow> {
        let mut rows: BTreeMap<(&str, &str), LedgerRow> = BTreeMap::new();
        fn row<'a>(
            rows: &'a mut BTreeMap<(&'static str, &'static str), LedgerRow>,
            broker: usize,
            currency: Currency,
        ) -> &'a mut LedgerRow {
            rows.entry((BROKERS[broker], currency.code())).or_insert_with(|| LedgerRow {
                broker: BROKERS[broker].into(),
                currency,
                advanced: 0,
                delivered: 0,
                fees_owed: 0,
                disputed: 0,
                outstanding: 0,
                adjusted: 0,
                balance: 0,
            })
        }
        for (broker, currency, amount) in &self.advances {
            row(&mut rows, *broker, *currency).advanced += u128::from(*amount);
        }
        for o in &self.orders {
            let line = row(&mut rows, o.broker, o.currency);
            match o.report {
                None => line.outstanding += u128::from(o.amount),
                Some((handed, Some(_))) => line.disputed += u128::from(handed),
                Some((handed, None)) => {
                    line.delivered += u128::from(handed);
                    // The whole fee for the whole amount; in proportion, rounded down, for less.
                    line.fees_owed += if handed == o.amount {
                        u128::from(o.fee)
                    } else {
                        u128::from(o.fee) * u128::from(handed) / u128::from(o.amount)
                    };
                    line.outstanding += u128::from(o.amount - handed);
                }
            }
        }
        rows.into_values()
            .map(|mut r| {
                r.balance = r.advanced as i128 - r.delivered as i128 - r.fees_owed as i128;
                r
            })
            .collect()
    }

    fn check(&mut self) {
        let expected_ledger = self.model_ledger();
        let hub = Hub::open(&mut self.hub, self.now).unwrap();
        assert_eq!(hub.ledger().unwrap(), expected_ledger, "ledger");
        let mut real: Vec<(OrderCode, String, HubOrderStatus, Option<u64>)> = hub
            .orders()
            .unwrap()
            .into_iter()
            .map(|o| (o.code, o.broker, o.status, o.report.map(|r| r.amount_handed_minor)))
            .collect();
        let mut model: Vec<(OrderCode, String, HubOrderStatus, Option<u64>)> = self
            .orders
            .iter()
            .map(|o| (o.code, BROKERS[o.broker].to_owned(), o.status(), o.report.map(|r| r.0)))
            .collect();
        real.sort_by_key(|o| o.0);
        model.sort_by_key(|o| o.0);
        assert_eq!(real, model, "hub orders");
        for (i, vault) in self.fields.iter_mut().enumerate() {
            let field = Field::open(vault, self.now).unwrap();
            let mut real: Vec<(OrderCode, bool, u64, Currency, u64)> = field
                .orders()
                .unwrap()
                .into_iter()
                .map(|o| (o.code, o.delivered_at.is_some(), o.amount_minor, o.currency, o.fee_minor))
                .collect();
            let mut model: Vec<(OrderCode, bool, u64, Currency, u64)> = self.model_fields[i]
                .held
                .iter()
                .map(|(code, delivered)| {
                    let o = self.orders.iter().find(|o| o.code == *code).expect("held orders exist at the hub");
                    (*code, *delivered, o.amount, o.currency, o.fee)
                })
                .collect();
            real.sort_by_key(|o| o.0);
            model.sort_by_key(|o| o.0);
            assert_eq!(real, model, "{}'s orders", BROKERS[i]);
            let mut outbox: Vec<OrderCode> = field.outbox().unwrap().into_iter().map(|e| e.code).collect();
            let mut expected: Vec<OrderCode> = self.model_fields[i].outbox.iter().map(|(c, ..)| *c).collect();
            outbox.sort();
            expected.sort();
            assert_eq!(outbox, expected, "{}'s waiting reports", BROKERS[i]);
            // Never two deliveries of one order: a settled order is never held again.
            for (code, _) in &self.model_fields[i].held {
                assert!(!self.model_fields[i].settled.contains(code), "settled order {code} is back");
            }
        }
    }
}

/// Runs `ops` operations from `seed`; on failure, prints how to replay it.
fn run(seed: u64, ops: usize) -> (usize, usize) {
    let mut world = World::new(seed);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        for step in 0..ops {
            world.trace.push(format!("-- step {step}"));
            world.step();
            world.check();
        }
    }));
    if let Err(panic) = outcome {
        let tail: Vec<&String> = world.trace.iter().rev().take(40).collect();
        eprintln!(
            "model run FAILED: seed {seed:#x}, {ops} operations. Replay with LETHE_MODEL_SEED={seed} LETHE_MODEL_OPS={ops}"
        );
        eprintln!("last operations, newest first:");
        for line in tail {
            eprintln!("  {line}");
        }
        resume_unwind(panic);
    }
    for (what, n) in &world.stats {
        eprintln!("  {n:5}  {what}");
    }
    let settled = world.model_fields.iter().map(|f| f.settled.len()).sum();
    (world.orders.len(), settled)
}

#[test]
fn hub_and_fields_agree_with_the_model() {
    let ops: usize = std::env::var("LETHE_MODEL_OPS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_OPS);
    let seeds: Vec<u64> = if let Some(seed) = std::env::var("LETHE_MODEL_SEED").ok().and_then(|v| v.parse().ok()) {
        vec![seed]
    } else if let Some(count) = std::env::var("LETHE_MODEL_SEEDS").ok().and_then(|v| v.parse::<u64>().ok()) {
        let clock = lethe_remit::time::now_unix();
        (0..count).map(|i| clock.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i)).collect()
    } else {
        DEFAULT_SEEDS.to_vec()
    };
    for seed in seeds {
        let (orders, settled) = run(seed, ops);
        eprintln!("model run: seed {seed}, {ops} operations, {orders} orders, {settled} settled at the fields");
    }
}
