//! What the benches share: the time they are set at, the voice call they are measured
//! against, and a typical order.

use lethe_protocol::message::{Currency, Order, OrderCode};

/// Minutes since the Unix epoch for 2026-11-26 09:00 UTC, a realistic time value.
pub const NOW_MINUTES: u32 = 29_401_020;
/// The reference: a 60-second voice call at 12.2 kbit/s (issue 14).
pub const VOICE_CALL_BYTES: usize = 60 * 12_200 / 8;

/// A typical order: Korean alias, place and question, 2,000,000 KRW, a week to deliver.
pub fn order() -> Order {
    Order {
        order_code: OrderCode(0x9E37_79B9),
        alias: "큰언니".into(),
        place_hint: "혜산 시장 동쪽".into(),
        amount_minor: 2_000_000,
        currency: Currency::Krw,
        fee_minor: 200_000,
        deadline_unix_minutes: NOW_MINUTES + 7 * 24 * 60,
        question: "어릴 때 키우던 강아지 이름은?".into(),
    }
}
