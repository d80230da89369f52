//! Cover text round trip: random sealed messages of every kind and size, written as
//! cover text under a random key, damaged the way chat apps and people damage text, and
//! read back. Every one must come back exactly.
//!
//! 10,000 messages under `cargo test --release` (CI); 1,000 in a debug build.

use lethe_protocol::cover::{self, CoverError, CoverStyle};
use lethe_protocol::message::{
    Ack, AckStatus, Currency, DeliveryReport, MediaRef, Message, MessageId, Order, OrderCode, Payload,
};
use lethe_protocol::{IdentityKeyPair, dearmor, seal_message};

/// A small deterministic generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn text(&mut self, max_chars: usize) -> String {
        const SYLLABLES: [&str; 12] = ["가", "나", "시", "장", "언", "니", "동", "쪽", "큰", "집", "앞", " "];
        let n = 1 + self.below(max_chars);
        (0..n).map(|_| SYLLABLES[self.below(SYLLABLES.len())]).collect()
    }
}

fn currency(rng: &mut Rng) -> Currency {
    [Currency::Cny, Currency::Krw, Currency::Usd][rng.below(3)]
}

fn order(rng: &mut Rng) -> Order {
    Order {
        order_code: OrderCode(rng.next() as u32),
        alias: rng.text(8),
        place_hint: rng.text(30),
        amount_minor: rng.next() % 100_000_000,
        currency: currency(rng),
        fee_minor: rng.next() % 1_000_000,
        deadline_unix_minutes: 29_000_000 + rng.below(1_000_000) as u32,
        question: rng.text(40),
    }
}

fn report(rng: &mut Rng) -> DeliveryReport {
    DeliveryReport {
        order_code: OrderCode(rng.next() as u32),
        amount_handed_minor: rng.next() % 100_000_000,
        currency: currency(rng),
        delivered_unix_minutes: 29_000_000 + rng.below(1_000_000) as u32,
        answer: rng.text(10).replace(' ', ""),
        media: (rng.below(3) == 0).then(|| MediaRef { len: rng.next() % 10_000_000, digest: [7; 32] }),
        next_key: (rng.below(3) == 0).then_some([0x5A; 32]),
    }
}

/// The sealed bytes of one random message: orders (1 to 20), reports (1 to 10), an
/// acknowledgement (1 to 300 codes), or random bytes of up to 4 KiB (parts, batches).
fn random_message(rng: &mut Rng, hub: &IdentityKeyPair, field: &IdentityKeyPair) -> Vec<u8> {
    let payload = match rng.below(4) {
        0 => Payload::Orders((0..1 + rng.below(20)).map(|_| order(rng)).collect()),
        1 => Payload::Reports((0..1 + rng.below(10)).map(|_| report(rng)).collect()),
        2 => {
            let n = 1 + rng.below(300);
            let mut ack = Ack::settled((0..n).map(|_| OrderCode(rng.next() as u32)));
            for item in ack.items.iter_mut() {
                if rng.below(5) == 0 {
                    item.status = AckStatus::Disputed;
                    item.reason = rng.text(20);
                }
            }
            if rng.below(4) == 0 {
                ack.next_hub_key = Some([0x3C; 32]);
            }
            Payload::Acks(ack)
        }
        _ => {
            let len = rng.below(4097);
            return rng.bytes(len);
        }
    };
    let message = Message { id: MessageId(rng.next().to_le_bytes()), created_unix_minutes: 29_400_000, payload };
    let text = seal_message(field.secret(), hub.public_key(), &message).expect("seal");
    dearmor(&text).expect("armor")
}

fn to_full_width(c: char) -> char {
    match c {
        '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
        ' ' => '\u{3000}',
        c => c,
    }
}

fn to_half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

const TRAILERS: [&str; 8] =
    [" 😊", "\n감사합니다~", "\n好的👍", " ㅋㅋㅋ", "\n\n수고하세요!", "🙏", "\n谢谢老板", " ^^"];

/// One random change of the kinds chat apps and people make. Returns its name.
fn damage(rng: &mut Rng, text: &mut String) -> &'static str {
    match rng.below(8) {
        0 => {
            *text = text.replace('\n', if rng.below(2) == 0 { " " } else { "" });
            "line breaks merged"
        }
        1 => {
            let chars: Vec<char> = text.chars().collect();
            let mut out = String::with_capacity(text.len() + 64);
            for c in chars {
                out.push(c);
                if rng.below(25) == 0 {
                    out.push('\n');
                }
            }
            *text = out;
            "line breaks added"
        }
        2 => {
            *text = text.replace(' ', "  ");
            "spaces doubled"
        }
        3 => {
            *text = text.chars().filter(|&c| c != ' ' || rng.below(2) == 0).collect();
            "spaces stripped"
        }
        4 => {
            *text = text
                .chars()
                .map(|c| if c.is_ascii_digit() || rng.below(2) == 0 { to_full_width(c) } else { c })
                .collect();
            "full-width digits"
        }
        5 => {
            *text = text.chars().map(to_half_width).collect();
            "half-width forms"
        }
        6 => {
            text.push_str(TRAILERS[rng.below(TRAILERS.len())]);
            "trailer added"
        }
        _ => {
            *text = text.replace('\n', "\r\n");
            "CRLF"
        }
    }
}

#[test]
fn ten_thousand_messages_survive_chat() {
    let count = if cfg!(debug_assertions) { 1_000 } else { 10_000 };
    let mut rng = Rng(0x1E7E_C0FE);
    let hub = IdentityKeyPair::generate().expect("randomness");
    let field = IdentityKeyPair::generate().expect("randomness");
    let mut exact = 0usize;
    let mut pieces_incomplete = 0usize;
    let mut total_bytes = 0usize;
    let mut total_chars = 0usize;
    for i in 0..count {
        let sealed = random_message(&mut rng, &hub, &field);
        let key: [u8; 32] = rng.bytes(32).try_into().expect("32 bytes");
        let style = CoverStyle::ALL[i % 2];
        let mut text = cover::encode(style, &key, &sealed).expect("encode");
        total_bytes += sealed.len();
        total_chars += text.chars().count();
        let mut applied = Vec::new();
        for _ in 0..1 + rng.below(3) {
            applied.push(damage(&mut rng, &mut text));
        }
        let back = if rng.below(4) == 0 {
            // Pasted in two pieces: the first alone is incomplete (unless the cut fell
            // after the end of the message), both together read.
            let n = text.chars().count();
            let cut = text.char_indices().nth(rng.below(n)).map_or(text.len(), |(at, _)| at);
            let (first, second) = text.split_at(cut);
            match cover::decode_any(&key, first) {
                Err(CoverError::Incomplete) => pieces_incomplete += 1,
                // A cut within the first few words leaves no sentence to recognise.
                Err(CoverError::NotCoverText) if first.chars().count() < 30 => pieces_incomplete += 1,
                Ok((_, early)) => assert_eq!(early, sealed, "message {i}: first piece"),
                Err(e) => panic!("message {i}: first piece: {e}"),
            }
            applied.push("two pieces");
            let joiner = ["\n", " ", "", "\n\n"][rng.below(4)];
            cover::decode_any(&key, &format!("{first}{joiner}{second}"))
        } else {
            cover::decode_any(&key, &text)
        };
        match back {
            Ok((read_style, payload)) if payload == sealed && read_style == style => exact += 1,
            other => panic!(
                "message {i} ({} bytes, {style}, {applied:?}) did not come back: {:?}",
                sealed.len(),
                other.map(|(s, p)| (s, p.len()))
            ),
        }
    }
    println!(
        "{exact} of {count} exact; {pieces_incomplete} first pieces refused as incomplete; \
         {:.3} bits per character over {total_bytes} bytes",
        (total_bytes * 8) as f64 / total_chars as f64
    );
    assert_eq!(exact, count);
    assert!(pieces_incomplete > count / 8, "the first piece alone is usually incomplete");
}

#[test]
fn another_key_or_another_message_is_refused() {
    let mut rng = Rng(7);
    let mut refused = 0;
    for i in 0..200 {
        let len = 60 + rng.below(400);
        let sealed = rng.bytes(len);
        let key: [u8; 32] = rng.bytes(32).try_into().expect("32 bytes");
        let other: [u8; 32] = rng.bytes(32).try_into().expect("32 bytes");
        let text = cover::encode(CoverStyle::ALL[i % 2], &key, &sealed).expect("encode");
        match cover::decode_any(&other, &text) {
            Err(CoverError::Refused) => refused += 1,
            other => panic!("another key read something: {other:?}"),
        }
        // Control: the right key reads it.
        assert_eq!(cover::decode_any(&key, &text).expect("read").1, sealed);
    }
    assert_eq!(refused, 200);
}
