//! Airtime: how many characters of text a confirmation costs on the air, beside what it
//! costs today (a voice call or a photo). Run with
//! `cargo bench -p lethe-protocol --bench airtime`.
//!
//! Everything is measured in this run from real sealed messages; the voice call and the
//! photo are the reference sizes from the issue (60 s at 12.2 kbit/s = 91,500 bytes; one
//! 200 KB photo). One character of armored text is one byte (it is ASCII).

mod sample;

use lethe_protocol::armor::{armor_compact, armored_len};
use lethe_protocol::message::{
    Ack, AckItem, Currency, DeliveryReport, Message, MessageId, OrderCode, Payload, seal_message,
};
use lethe_protocol::qr::QrImage;
use lethe_protocol::{IdentityKeyPair, dearmor, normalize_answer};
use sample::{NOW_MINUTES, VOICE_CALL_BYTES, order};

const GOAL_ONE_REPORT: usize = 200;
const PHOTO_BYTES: usize = 200_000;

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

fn report(index: usize) -> DeliveryReport {
    DeliveryReport {
        order_code: OrderCode(0x9E37_79B9_u32.wrapping_mul(index as u32 + 1)),
        amount_handed_minor: 2_000_000,
        currency: Currency::Krw,
        delivered_unix_minutes: NOW_MINUTES - 30 * index as u32,
        answer: normalize_answer(ANSWERS[index % ANSWERS.len()]),
        media: None,
        next_key: None,
    }
}

/// A report that also announces the field's next public key (one per order batch).
fn report_with_next_key(index: usize) -> DeliveryReport {
    let mut with_key = report(index);
    with_key.next_key = Some([0x5A; 32]);
    with_key
}

struct Row {
    what: &'static str,
    plaintext: usize,
    sealed: usize,
    text_chars: usize,
    compact_chars: usize,
    qr_modules: usize,
}

fn measure(what: &'static str, payload: Payload) -> Row {
    let hub = IdentityKeyPair::generate().expect("randomness");
    let field = IdentityKeyPair::generate().expect("randomness");
    let message = Message { id: MessageId([0xA7; 8]), created_unix_minutes: NOW_MINUTES, payload };
    let plaintext = message.encode().expect("valid message").len();
    let text = seal_message(field.secret(), hub.public_key(), &message).expect("seal");
    let sealed = dearmor(&text).expect("own output reads back");
    assert_eq!(text.len(), armored_len(sealed.len()), "armored_len agrees with the output");
    let qr = QrImage::from_text(&armor_compact(&sealed)).expect("fits a QR code");
    Row {
        what,
        plaintext,
        sealed: sealed.len(),
        text_chars: text.len(),
        compact_chars: armor_compact(&sealed).len(),
        qr_modules: qr.width(),
    }
}

fn main() {
    let rows = [
        measure("1 delivery report, no media", Payload::Reports(vec![report(0)])),
        measure("1 report, no media, + next key", Payload::Reports(vec![report_with_next_key(0)])),
        measure("10 delivery reports, batched", Payload::Reports((0..10).map(report).collect())),
        measure("1 order", Payload::Orders(vec![order()])),
        measure("1 ack for 10 orders", Payload::Acks(Ack::settled((0..10).map(|i| report(i).order_code)))),
        measure(
            "1 ack, 1 order, + hub's next key",
            Payload::Acks(Ack { items: vec![AckItem::settled(report(0).order_code)], next_hub_key: Some([0x5A; 32]) }),
        ),
    ];
    // Reference measured in this run: the same report written as a plain chat line,
    // unsealed and unprotected.
    let plain_line =
        format!("{} delivered 2,000,000 KRW 2026-11-26 08:30 answer {}", report(0).order_code, report(0).answer);

    println!();
    println!("Airtime per confirmation (characters of text on the air; 1 char = 1 byte)");
    println!();
    println!(
        "| {:<30} | {:>9} | {:>6} | {:>10} | {:>8} | {:>9} | {:>11} | {:>11} |",
        "message", "plaintext", "sealed", "text chars", "compact", "QR size", "voice/text", "photo/text"
    );
    println!("|{:-<32}|{:->11}|{:->8}|{:->12}|{:->10}|{:->11}|{:->13}|{:->13}|", "", "", "", "", "", "", "", "");
    for row in &rows {
        println!(
            "| {:<30} | {:>7} B | {:>4} B | {:>10} | {:>8} | {:>3}x{:<3}  | {:>10.0}x | {:>10.0}x |",
            row.what,
            row.plaintext,
            row.sealed,
            row.text_chars,
            row.compact_chars,
            row.qr_modules,
            row.qr_modules,
            VOICE_CALL_BYTES as f64 / row.text_chars as f64,
            PHOTO_BYTES as f64 / row.text_chars as f64,
        );
    }
    let per_report_batched = rows[1].text_chars as f64 / 10.0;
    println!();
    println!("references:");
    println!("  60 s voice call at 12.2 kbit/s        {VOICE_CALL_BYTES:>7} bytes");
    println!("  one photo                             {PHOTO_BYTES:>7} bytes");
    println!(
        "  same report as a plain chat line      {:>7} bytes (unsealed, no checksum; sealed text is {:.2}x it)",
        plain_line.len(),
        rows[0].text_chars as f64 / plain_line.len() as f64
    );
    println!("  per report when 10 are batched        {per_report_batched:>7.1} chars");
    let verdict = if rows[0].text_chars <= GOAL_ONE_REPORT { "met" } else { "MISSED" };
    println!("goal: one report <= {GOAL_ONE_REPORT} chars: {} chars -> {verdict}", rows[0].text_chars);
    println!();
}
