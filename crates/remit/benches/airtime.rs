//! Airtime of what `lethe hub send`, `lethe field send` and `lethe hub receive` really put
//! on the air, end to end through two in-memory vaults, beside what the same
//! confirmation costs today. Run with `cargo bench -p lethe-remit --bench airtime`.
//!
//! The protocol crate's airtime bench measures single sealed messages; this one measures
//! the remit layer's output, where each report is sealed at delivery time and several
//! travel in a batch sealed again around them. For comparison, the table also shows one
//! message sealing the same ten reports together (what a field that could still read
//! its reports would send), measured in the same run.
//!
//! References (from issue 5): a 60-second voice call at 12.2 kbit/s (91,500 bytes) and
//! one 200 KB photo. One character of armored text is one byte (ASCII).

use lethe_protocol::message::{Message, MessageId, Payload};
use lethe_protocol::{
    Currency, DeliveryReport, IdentityKeyPair, OrderCode, armored_len, dearmor, normalize_answer, seal_message,
};
use lethe_remit::{Delivery, Field, Hub, OrderForm, Outgoing, sealed_stream_len};
use lethe_vault::{KdfParams, MemStorage, Passphrase, Vault, fill_with_random};

const GOAL_ONE_REPORT: usize = 200;
const VOICE_CALL_BYTES: usize = 60 * 12_200 / 8;
const PHOTO_BYTES: usize = 200_000;
/// 2026-11-26 09:00 UTC.
const NOW: u64 = 1_795_683_600;

/// Korean answers of 4 to 6 syllables, as a family would give them.
const ANSWERS: [&str; 10] = [
    "우리바둑이",
    "누렁이였어",
    "흰둥이",
    "할머니댁",
    "복실이에요",
    "삼월이",
    "뽀삐였지요",
    "백두산호랑이",
    "검둥이",
    "해바라기",
];

fn vault(pass: &str) -> Vault<MemStorage> {
    let mut mem = MemStorage::new(vec![0u8; 4 << 20]);
    fill_with_random(&mut mem).expect("memory");
    Vault::init(mem, &Passphrase::new(pass.as_bytes()), KdfParams::INSECURE_TEST_ONLY).expect("init")
}

fn form(i: usize) -> OrderForm {
    OrderForm::parse(&format!(
        "alias: 큰언니{i}\nplace: 혜산 시장 동쪽\namount: 200만\ncurrency: KRW\nfee: 20만\n\
         deadline: 2026-12-03\nquestion: 어릴 때 키우던 강아지 이름은?\nanswer: {}\n",
        ANSWERS[i % ANSWERS.len()]
    ))
    .expect("valid form")
}

struct Row {
    what: String,
    items: usize,
    sealed: usize,
    chars: usize,
    qr: Option<usize>,
}

impl Row {
    fn of(what: &str, out: &Outgoing) -> Row {
        Row {
            what: what.to_owned(),
            items: out.items,
            sealed: out.sealed_len(),
            chars: out.chars(),
            qr: out.qr().ok().map(|q| q.width()),
        }
    }
}

fn main() {
    let mut hub_vault = vault("hub");
    let mut field_vault = vault("field");
    let hub_key = Hub::init(&mut hub_vault, NOW).expect("hub").public_key().to_text();
    let field_key = Field::init(&mut field_vault, NOW).expect("field").public_key().to_text();
    Hub::open(&mut hub_vault, NOW).expect("hub").add_broker("mina", &field_key).expect("pair");
    Field::open(&mut field_vault, NOW).expect("field").pair(&hub_key).expect("pair");

    let mut rows = Vec::new();
    // One order, then ten.
    let mut hub = Hub::open(&mut hub_vault, NOW).expect("hub");
    hub.create_order("mina", &form(0)).expect("order");
    let one_order = hub.send_orders("mina", false).expect("send");
    rows.push(Row::of("1 order", &one_order));
    for i in 1..11 {
        hub.create_order("mina", &form(i)).expect("order");
    }
    let ten_orders = hub.send_orders("mina", false).expect("send");
    rows.push(Row::of("10 orders, batched", &ten_orders));
    drop(hub);

    let mut field = Field::open(&mut field_vault, NOW).expect("field");
    field.receive(&one_order.text()).expect("orders");
    field.receive(&ten_orders.text()).expect("orders");
    let mut orders = field.orders().expect("orders");
    orders.sort_by_key(|o| o.alias.clone());
    let answer_of = |alias: &str| {
        let i: usize = alias.trim_start_matches("큰언니").parse().expect("index");
        ANSWERS[i % ANSWERS.len()]
    };
    let first = &orders[0];
    field
        .deliver(
            Delivery { code: first.code, amount_minor: None, answer: answer_of(&first.alias), media: None },
            &mut |_, _| {},
        )
        .expect("deliver");
    // The first report after orders arrived announces the field's next key.
    let report_with_key = field.send().expect("send");
    drop(field);
    let ack = Hub::open(&mut hub_vault, NOW)
        .expect("hub")
        .receive(&report_with_key.text())
        .expect("receive")
        .ack
        .expect("an ack");
    let mut field = Field::open(&mut field_vault, NOW).expect("field");
    field.receive(&ack.text()).expect("ack");
    let second = &orders[1];
    field
        .deliver(
            Delivery { code: second.code, amount_minor: None, answer: answer_of(&second.alias), media: None },
            &mut |_, _| {},
        )
        .expect("deliver");
    let one_report = field.send().expect("send");
    rows.push(Row::of("1 delivery report, no media", &one_report));
    rows.push(Row::of("1 report + next key", &report_with_key));
    for order in &orders[2..11] {
        field
            .deliver(
                Delivery { code: order.code, amount_minor: None, answer: answer_of(&order.alias), media: None },
                &mut |_, _| {},
            )
            .expect("deliver");
    }
    let ten_reports = field.send().expect("send");
    rows.push(Row::of("10 delivery reports, batched", &ten_reports));
    drop(field);

    let mut hub = Hub::open(&mut hub_vault, NOW).expect("hub");
    let receipt = hub.receive(&ten_reports.text()).expect("receive");
    assert!(receipt.results.iter().all(|r| r.outcome == lethe_remit::ReportOutcome::Delivered));
    rows.push(Row::of("1 ack for 10 orders", receipt.ack.as_ref().expect("an ack")));

    // Reference measured in this run: the same ten reports sealed together in one
    // message (the field cannot do this: it no longer reads its sealed reports).
    let keys = (IdentityKeyPair::generate().expect("rng"), IdentityKeyPair::generate().expect("rng"));
    let reports: Vec<DeliveryReport> = orders[1..11]
        .iter()
        .map(|o| DeliveryReport {
            order_code: OrderCode(o.code.0),
            amount_handed_minor: o.amount_minor,
            currency: Currency::Krw,
            delivered_unix_minutes: (NOW / 60) as u32,
            answer: normalize_answer(answer_of(&o.alias)),
            media: None,
            next_key: None,
        })
        .collect();
    let together =
        Message { id: MessageId([7; 8]), created_unix_minutes: (NOW / 60) as u32, payload: Payload::Reports(reports) };
    let together_text = seal_message(keys.0.secret(), keys.1.public_key(), &together).expect("seal");
    let together_sealed = dearmor(&together_text).expect("armor").len();

    println!();
    println!("Airtime of lethe's messages, end to end (characters of text; 1 char = 1 byte)");
    println!();
    println!(
        "| {:<30} | {:>5} | {:>6} | {:>10} | {:>9} | {:>9} | {:>10} | {:>10} |",
        "message", "items", "sealed", "text chars", "per item", "QR", "voice/text", "photo/text"
    );
    println!("|{:-<32}|{:->7}|{:->8}|{:->12}|{:->11}|{:->11}|{:->12}|{:->12}|", "", "", "", "", "", "", "", "");
    for row in &rows {
        println!(
            "| {:<30} | {:>5} | {:>4} B | {:>10} | {:>9.1} | {:>9} | {:>9.0}x | {:>9.0}x |",
            row.what,
            row.items,
            row.sealed,
            row.chars,
            row.chars as f64 / row.items as f64,
            row.qr.map_or("too big".to_owned(), |w| format!("{w}x{w}")),
            VOICE_CALL_BYTES as f64 / row.chars as f64,
            PHOTO_BYTES as f64 / row.chars as f64,
        );
    }
    let batched = rows.iter().find(|r| r.what == "10 delivery reports, batched").expect("row").chars;
    let together_chars = armored_len(together_sealed);
    println!();
    println!("references (measured or fixed):");
    println!("  60 s voice call at 12.2 kbit/s                  {VOICE_CALL_BYTES:>7} bytes");
    println!("  one photo                                       {PHOTO_BYTES:>7} bytes");
    println!(
        "  the 10 reports sealed together in one message   {together_chars:>7} chars (batch of sealed reports is {:.2}x it)",
        batched as f64 / together_chars as f64
    );
    println!(
        "  a 200 KB photo as a sealed media file           {:>7} bytes (+{} bytes of sealing)",
        sealed_stream_len(PHOTO_BYTES as u64),
        sealed_stream_len(PHOTO_BYTES as u64) - PHOTO_BYTES as u64
    );
    let one = rows[2].chars;
    let verdict = if one <= GOAL_ONE_REPORT { "met" } else { "MISSED" };
    println!("goal: one report <= {GOAL_ONE_REPORT} chars: {one} chars -> {verdict}");
    println!();
}
