//! Cover text: capacity and length, beside plain armor and a voice call. Run with
//! `cargo bench -p lethe-protocol --bench cover`.
//!
//! Everything is measured in this run from real sealed messages. Cover text length
//! varies with the random nonce (different choices, different words), so each length
//! is the mean over 200 encodings, with the longest seen. The voice call is the
//! reference size from issue 14 (60 s at 12.2 kbit/s = 91,500 bytes).

mod sample;

use sample::{NOW_MINUTES, VOICE_CALL_BYTES, order};
use std::time::Instant;

use lethe_protocol::armor::armored_len;
use lethe_protocol::cover::{self, CoverStyle};
use lethe_protocol::message::{Ack, Currency, DeliveryReport, Message, MessageId, OrderCode, Payload, seal_message};
use lethe_protocol::{IdentityKeyPair, dearmor, normalize_answer};

const GOAL_RATIO: f64 = 4.0;
const RUNS: usize = 200;

fn report(next_key: bool) -> DeliveryReport {
    DeliveryReport {
        order_code: OrderCode(0x9E37_79B9),
        amount_handed_minor: 2_000_000,
        currency: Currency::Krw,
        delivered_unix_minutes: NOW_MINUTES - 30,
        answer: normalize_answer("우리바둑이"),
        media: None,
        next_key: next_key.then_some([0x5A; 32]),
    }
}

fn sealed(payload: Payload) -> Vec<u8> {
    let hub = IdentityKeyPair::generate().expect("randomness");
    let field = IdentityKeyPair::generate().expect("randomness");
    let message = Message { id: MessageId([0xA7; 8]), created_unix_minutes: NOW_MINUTES, payload };
    let text = seal_message(field.secret(), hub.public_key(), &message).expect("seal");
    dearmor(&text).expect("own output reads back")
}

/// Mean and largest length in characters of the cover text of `bytes`.
fn cover_chars(style: CoverStyle, bytes: &[u8]) -> (f64, usize) {
    let key = [0x77u8; 32];
    let mut total = 0;
    let mut longest = 0;
    for _ in 0..RUNS {
        let text = cover::encode(style, &key, bytes).expect("encode");
        let n = text.chars().count();
        total += n;
        longest = longest.max(n);
    }
    (total as f64 / RUNS as f64, longest)
}

fn main() {
    let rows = [
        ("1 order", sealed(Payload::Orders(vec![order()]))),
        ("1 delivery report", sealed(Payload::Reports(vec![report(false)]))),
        ("1 report + next key", sealed(Payload::Reports(vec![report(true)]))),
        ("ack for 1 order", sealed(Payload::Acks(Ack::settled([OrderCode(0x9E37_79B9)])))),
        (
            "ack for 10 orders",
            sealed(Payload::Acks(Ack::settled((0..10u32).map(|i| OrderCode(i.wrapping_mul(0x9E37_79B9)))))),
        ),
    ];

    println!();
    println!("Cover text length (characters; mean of {RUNS} encodings, longest in brackets)");
    println!();
    println!(
        "| {:<20} | {:>6} | {:>5} | {:>16} | {:>16} | {:>9} | {:>9} | {:>11} |",
        "message", "sealed", "armor", "ko-market", "zh-market", "ko/armor", "zh/armor", "voice/ko"
    );
    println!("|{:-<22}|{:->8}|{:->7}|{:->18}|{:->18}|{:->11}|{:->11}|{:->13}|", "", "", "", "", "", "", "", "");
    let mut worst: f64 = 0.0;
    for (what, bytes) in &rows {
        let armor = armored_len(bytes.len());
        let (ko, ko_max) = cover_chars(CoverStyle::KoMarket, bytes);
        let (zh, zh_max) = cover_chars(CoverStyle::ZhMarket, bytes);
        worst = worst.max(ko / armor as f64).max(zh / armor as f64);
        println!(
            "| {:<20} | {:>4} B | {:>5} | {:>7.0} [{:>5}] | {:>7.0} [{:>5}] | {:>8.2}x | {:>8.2}x | {:>10.0}x |",
            what,
            bytes.len(),
            armor,
            ko,
            ko_max,
            zh,
            zh_max,
            ko / armor as f64,
            zh / armor as f64,
            VOICE_CALL_BYTES as f64 / ko,
        );
    }

    // Capacity: bits of message per character of text, over many sizes.
    println!();
    println!("capacity (bits of sealed message per character of text, 2,000 messages of 50..2,000 bytes):");
    let key = [0x11u8; 32];
    let armor_bits: f64 = {
        let bytes: usize = (0..2000).map(|i| 50 + (i * 977) % 1950).sum();
        let chars: usize = (0..2000).map(|i| armored_len(50 + (i * 977) % 1950)).sum();
        (bytes * 8) as f64 / chars as f64
    };
    println!("  plain armor                 {armor_bits:.3} bits/char");
    for style in CoverStyle::ALL {
        let (mut bits, mut chars) = (0usize, 0usize);
        let started = Instant::now();
        let mut decode_time = std::time::Duration::ZERO;
        for i in 0..2000usize {
            let len = 50 + (i * 977) % 1950;
            let payload: Vec<u8> = (0..len).map(|j| (j * 31 + i) as u8).collect();
            let text = cover::encode(style, &key, &payload).expect("encode");
            let t = Instant::now();
            let back = cover::decode(style, &key, &text).expect("decode");
            decode_time += t.elapsed();
            assert_eq!(back, payload);
            bits += len * 8;
            chars += text.chars().count();
        }
        let total = started.elapsed();
        println!(
            "  {:<27} {:.3} bits/char ({:.2}x armor's length); {:.2} ms to write and {:.2} ms to read a message on average",
            style.name(),
            bits as f64 / chars as f64,
            armor_bits / (bits as f64 / chars as f64),
            (total - decode_time).as_secs_f64() * 1000.0 / 2000.0,
            decode_time.as_secs_f64() * 1000.0 / 2000.0,
        );
    }
    println!("  60 s voice call at 12.2 kbit/s  {VOICE_CALL_BYTES} bytes");
    let verdict = if worst <= GOAL_RATIO { "met" } else { "MISSED" };
    println!();
    println!(
        "goal: cover text <= {GOAL_RATIO}x the plain armor's length for these messages: worst mean {worst:.2}x -> {verdict}"
    );
    println!();
}
