//! Money that adds up (issue 16): an order is paid once, amounts are what they say, a
//! short delivery is partial, answers typed letter by letter match. Each test is a
//! regression case of a defect found by the model-based run (tests/model.rs), with a
//! positive control showing the attack or input works where it should.

mod common;

use common::*;
use lethe_protocol::{Currency, DeliveryReport, OrderCode};
use lethe_remit::{Delivery, DisputeReason, Error, Field, Hub, HubOrderStatus, LedgerRow, Received, ReportOutcome};
use lethe_vault::{MemStorage, Vault};

fn deliver(
    vault: &mut Vault<MemStorage>,
    now: u64,
    code: OrderCode,
    amount: Option<u64>,
    answer: &str,
) -> lethe_remit::Result<lethe_remit::Delivered> {
    Field::open(vault, now)?.deliver(Delivery { code, amount_minor: amount, answer, media: None }, &mut |_, _| {})
}

fn pending(vault: &mut Vault<MemStorage>, now: u64) -> Vec<OrderCode> {
    let mut codes: Vec<OrderCode> = Field::open(vault, now)
        .unwrap()
        .orders()
        .unwrap()
        .into_iter()
        .filter(|o| o.delivered_at.is_none())
        .map(|o| o.code)
        .collect();
    codes.sort();
    codes
}

/// A copy of a vault's storage as it is now, to try a message on later.
fn copy(mem: &MemStorage) -> MemStorage {
    MemStorage::new(mem.snapshot())
}

/// The hub makes orders A and B and sends them (m1), then sends them again with
/// `--resend` (m2), believing m1 lost. Returns (A, B, m1, m2).
fn two_orders_sent_twice(bed: &mut Bed, answer_a: &str) -> (OrderCode, OrderCode, String, String) {
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    let a = hub.create_order(BROKER, &form("A", "50", "5", "CNY", "q", answer_a)).unwrap();
    let b = hub.create_order(BROKER, &form("B", "70", "7", "CNY", "q", "b")).unwrap();
    let m1 = hub.send_orders(BROKER, false).unwrap().text();
    let mut hub = Hub::open(&mut bed.hub, T0 + HOUR).unwrap();
    let m2 = hub.send_orders(BROKER, true).unwrap().text();
    (a, b, m1, m2)
}

/// The field delivers A (with `answer`), sends, the hub acknowledges, the field reads the
/// acknowledgement. Returns the hub's outcome for A.
fn deliver_and_settle(bed: &mut Bed, a: OrderCode, answer: &str, now: u64) -> ReportOutcome {
    deliver(&mut bed.field, now, a, Some(5000), answer).unwrap();
    let report = Field::open(&mut bed.field, now).unwrap().send().unwrap().text();
    let receipt = Hub::open(&mut bed.hub, now + HOUR).unwrap().receive(&report).unwrap();
    let outcome = receipt.results[0].outcome;
    let received =
        Field::open(&mut bed.field, now + 2 * HOUR).unwrap().receive(&receipt.ack.as_ref().unwrap().text()).unwrap();
    // A disputed order stays at the field with the hub's reason; any other is erased.
    let expected = match outcome {
        ReportOutcome::Disputed(reason) => {
            Received::Ack { erased: vec![], disputed: vec![(a, reason.as_str().to_owned())], unknown: 0 }
        }
        _ => Received::Ack { erased: vec![a], disputed: vec![], unknown: 0 },
    };
    assert_eq!(received, expected);
    outcome
}

#[test]
fn a_settled_order_is_not_brought_back_by_a_late_resent_message() {
    let mut bed = paired();
    let (a, b, m1, m2) = two_orders_sent_twice(&mut bed, "a");
    let before_m1 = copy(&bed.field_mem);

    let now = T0 + 2 * HOUR;
    Field::open(&mut bed.field, now).unwrap().receive(&m1).unwrap();
    assert_eq!(deliver_and_settle(&mut bed, a, "a", now), ReportOutcome::Delivered);
    assert_eq!(pending(&mut bed.field, now + 3 * HOUR), vec![b]);

    // m2 arrives late: it holds A and B, neither is new.
    let late = Field::open(&mut bed.field, now + 4 * HOUR).unwrap().receive(&m2).unwrap();
    assert_eq!(late, Received::Orders { added: vec![], edited: vec![], already_had: 2 });
    assert_eq!(pending(&mut bed.field, now + 4 * HOUR), vec![b]);
    // A cannot be delivered (and so paid) a second time.
    assert!(
        matches!(deliver(&mut bed.field, now + 5 * HOUR, a, Some(5000), "a"), Err(Error::UnknownOrder(c)) if c == a)
    );
    // Days later (B still held, so the key m2 was sealed to is too) it is a replay.
    let later = now + 6 * DAY;
    let again = Field::open(&mut bed.field, later).unwrap().receive(&m2);
    assert!(matches!(again, Err(Error::Replayed)), "{again:?}");
    assert!(!pending(&mut bed.field, later).contains(&a));

    // Positive control: the same m2 given to the phone as it was before m1 brings both
    // orders (it is a valid, unreplayed message that carries A).
    let mut control = reopen(&before_m1, FIELD_PASS);
    let got = Field::open(&mut control, now + 4 * HOUR).unwrap().receive(&m2).unwrap();
    let Received::Orders { mut added, already_had: 0, .. } = got else { panic!("not orders") };
    added.sort();
    let mut both = vec![a, b];
    both.sort();
    assert_eq!(added, both);
}

#[test]
fn a_disputed_order_is_not_brought_back_either() {
    let mut bed = paired();
    let (a, b, m1, m2) = two_orders_sent_twice(&mut bed, "right");
    let now = T0 + 2 * HOUR;
    Field::open(&mut bed.field, now).unwrap().receive(&m1).unwrap();
    assert_eq!(deliver_and_settle(&mut bed, a, "wrong", now), ReportOutcome::Disputed(DisputeReason::WrongAnswer));
    let late = Field::open(&mut bed.field, now + 4 * HOUR).unwrap().receive(&m2).unwrap();
    assert_eq!(late, Received::Orders { added: vec![], edited: vec![], already_had: 2 });
    assert_eq!(pending(&mut bed.field, now + 4 * HOUR), vec![b]);
}

#[test]
fn a_delivered_order_erased_by_retention_is_not_brought_back() {
    let mut bed = paired();
    let (a, b, m1, m2) = two_orders_sent_twice(&mut bed, "a");
    let now = T0 + 2 * HOUR;
    {
        let mut field = Field::open(&mut bed.field, now).unwrap();
        field.set_retention_days(1).unwrap();
        field.receive(&m1).unwrap();
    }
    deliver(&mut bed.field, now, a, None, "a").unwrap();
    // A day later both orders and A's unsent report are erased by the retention rule.
    let report = Field::open(&mut bed.field, now + DAY).unwrap().erased_on_open();
    assert_eq!((report.orders, report.reports), (2, 1));
    // m2 brings B back (never delivered), but not A (delivered once already).
    let late = Field::open(&mut bed.field, now + DAY + HOUR).unwrap().receive(&m2).unwrap();
    assert_eq!(late, Received::Orders { added: vec![b], edited: vec![], already_had: 1 });
}

#[test]
fn a_delivery_above_the_order_is_refused_at_the_field() {
    let mut bed = paired();
    let code = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let code = hub.create_order(BROKER, &form("A", "10만", "1만", "KRW", "q", "a")).unwrap();
        let text = hub.send_orders(BROKER, false).unwrap().text();
        Field::open(&mut bed.field, T0).unwrap().receive(&text).unwrap();
        code
    };
    let mut field = Field::open(&mut bed.field, T0 + HOUR).unwrap();
    let before = bed.field_mem.snapshot();
    let err = field
        .deliver(Delivery { code, amount_minor: Some(100_000_000_000), answer: "a", media: None }, &mut |_, _| {})
        .unwrap_err();
    assert!(
        matches!(err, Error::AmountAboveOrder { code: c, ordered_minor: 100_000, currency: Currency::Krw } if c == code),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("100,000 KRW") && text.contains("Nothing was changed"), "{text}");
    assert!(bed.field_mem.snapshot() == before, "a refused delivery changed the vault");
    assert!(field.outbox().unwrap().is_empty());
    // One minor unit above is refused too; the full amount is not.
    assert!(matches!(
        field.deliver(Delivery { code, amount_minor: Some(100_001), answer: "a", media: None }, &mut |_, _| {}),
        Err(Error::AmountAboveOrder { .. })
    ));
    let done = field.deliver(Delivery { code, amount_minor: Some(100_000), answer: "a", media: None }, &mut |_, _| {});
    assert_eq!(done.unwrap().ordered_minor, 100_000);
}

#[test]
fn a_report_above_the_order_is_disputed_at_the_hub_and_never_counted() {
    let mut bed = paired();
    let (over, exact) = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let over = hub.create_order(BROKER, &form("A", "10만", "1만", "KRW", "q", "바둑이")).unwrap();
        let exact = hub.create_order(BROKER, &form("B", "20만", "2만", "KRW", "q", "바둑이")).unwrap();
        let text = hub.send_orders(BROKER, false).unwrap().text();
        Field::open(&mut bed.field, T0).unwrap().receive(&text).unwrap();
        (over, exact)
    };
    let hub_key = Hub::open(&mut bed.hub, T0).unwrap().public_key();
    let report = |code, amount| DeliveryReport {
        order_code: code,
        amount_handed_minor: amount,
        currency: Currency::Krw,
        delivered_unix_minutes: ((T0 + HOUR) / 60) as u32,
        answer: "바둑이".into(),
        media: None,
        next_key: None,
    };
    let receive = |bed: &mut Bed, code, amount| -> ReportOutcome {
        for text in forged_reports(&bed.field, &hub_key, report(code, amount), ((T0 + HOUR) / 60) as u32) {
            if let Ok(receipt) = Hub::open(&mut bed.hub, T0 + 2 * HOUR).unwrap().receive(&text) {
                return receipt.results[0].outcome;
            }
        }
        panic!("no field key opened at the hub");
    };
    // Positive control: a report made the same way with the order's amount is delivered.
    assert_eq!(receive(&mut bed, exact, 200_000), ReportOutcome::Delivered);
    // The case: 1000억 reported for a 10만 order, with the right answer.
    assert_eq!(receive(&mut bed, over, 100_000_000_000), ReportOutcome::Disputed(DisputeReason::AmountAboveOrder));
    let hub = Hub::open(&mut bed.hub, T0 + 3 * HOUR).unwrap();
    let status = hub.orders().unwrap().into_iter().find(|o| o.code == over).unwrap().status;
    assert_eq!(status, HubOrderStatus::Disputed(DisputeReason::AmountAboveOrder));
    assert_eq!(status.as_str(), "disputed: amount above the order");
    assert_eq!(
        hub.ledger().unwrap(),
        vec![LedgerRow {
            broker: BROKER.into(),
            currency: Currency::Krw,
            advanced: 0,
            delivered: 200_000,
            fees_owed: 20_000,
            disputed: 100_000_000_000,
            outstanding: 0,
            adjusted: 0,
            balance: -220_000,
        }]
    );
}

#[test]
fn a_short_delivery_is_partial_and_the_fee_follows_the_amount() {
    let mut bed = paired();
    let code = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let code = hub.create_order(BROKER, &form("A", "10만", "1만", "KRW", "q", "a")).unwrap();
        hub.record_advance(BROKER, 100_000, Currency::Krw).unwrap();
        let text = hub.send_orders(BROKER, false).unwrap().text();
        Field::open(&mut bed.field, T0).unwrap().receive(&text).unwrap();
        code
    };
    let done = deliver(&mut bed.field, T0 + HOUR, code, Some(70_000), "A").unwrap();
    assert_eq!((done.amount_minor, done.ordered_minor), (70_000, 100_000));
    let report = Field::open(&mut bed.field, T0 + HOUR).unwrap().send().unwrap().text();
    let mut hub = Hub::open(&mut bed.hub, T0 + 2 * HOUR).unwrap();
    assert_eq!(hub.receive(&report).unwrap().results[0].outcome, ReportOutcome::Partial);
    let order = hub.orders().unwrap().into_iter().find(|o| o.code == code).unwrap();
    assert_eq!(order.status, HubOrderStatus::Partial);
    assert_eq!(
        hub.ledger().unwrap(),
        vec![LedgerRow {
            broker: BROKER.into(),
            currency: Currency::Krw,
            advanced: 100_000,
            delivered: 70_000,
            fees_owed: 7_000,
            disputed: 0,
            outstanding: 30_000,
            adjusted: 0,
            balance: 100_000 - 70_000 - 7_000,
        }]
    );
}

#[test]
fn answers_typed_as_separate_letters_match() {
    let mut bed = paired();
    let (a, b) = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let a = hub.create_order(BROKER, &form("A", "1", "0", "KRW", "q", "강아지")).unwrap();
        let b = hub.create_order(BROKER, &form("B", "1", "0", "KRW", "q", "ㅎㅏㄴㄱㅡㄹ")).unwrap();
        let text = hub.send_orders(BROKER, false).unwrap().text();
        Field::open(&mut bed.field, T0).unwrap().receive(&text).unwrap();
        (a, b)
    };
    deliver(&mut bed.field, T0, a, None, "ㄱㅏㅇㅇㅏㅈㅣ").unwrap();
    deliver(&mut bed.field, T0, b, None, "한글").unwrap();
    let report = Field::open(&mut bed.field, T0).unwrap().send().unwrap().text();
    let receipt = Hub::open(&mut bed.hub, T0).unwrap().receive(&report).unwrap();
    assert!(receipt.results.iter().all(|r| r.outcome == ReportOutcome::Delivered), "{:?}", receipt.results);
}

#[test]
fn wrong_words_fixed() {
    let mut bed = paired();
    let err = Hub::open(&mut bed.hub, T0).unwrap().record_advance(BROKER, 0, Currency::Krw).unwrap_err();
    assert_eq!(err.to_string(), "the amount cannot be zero; nothing was changed");
    let code = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let code = hub.create_order(BROKER, &form("A", "1", "0", "KRW", "q", "a")).unwrap();
        let text = hub.send_orders(BROKER, false).unwrap().text();
        Field::open(&mut bed.field, T0).unwrap().receive(&text).unwrap();
        code
    };
    for empty in ["", "  ", "\n"] {
        let err = deliver(&mut bed.field, T0, code, None, empty).unwrap_err();
        assert_eq!(err.to_string(), "the answer is empty: type the answer the recipient gives");
    }
    let err = deliver(&mut bed.field, T0, code, None, "?!").unwrap_err();
    assert!(err.to_string().contains("no letters or digits"), "{err}");
}

/// The record's entries: (keyed hash, day number).
fn seen_entries(vault: &Vault<MemStorage>) -> (u8, Vec<([u8; 16], u32)>) {
    let item = vault.list().into_iter().find(|i| i.name == "remit.field.seen").unwrap();
    let bytes = vault.read(item.id).unwrap().as_slice().to_vec();
    let count = u32::from_le_bytes(bytes[33..37].try_into().unwrap()) as usize;
    assert_eq!(bytes.len(), 37 + 20 * count);
    let entries = (0..count)
        .map(|i| {
            let at = 37 + 20 * i;
            (bytes[at..at + 16].try_into().unwrap(), u32::from_le_bytes(bytes[at + 16..at + 20].try_into().unwrap()))
        })
        .collect();
    (bytes[0], entries)
}

#[test]
fn the_seen_record_keeps_keyed_hashes_and_days_only() {
    let mut bed = paired();
    let (a, b, m1, _) = two_orders_sent_twice(&mut bed, "a");
    let now = T0 + 2 * HOUR + 1234;
    let id = {
        // The message id as the hub wrote it (opened with the field's key, as the
        // version-1 record kept it).
        let hub_key = Hub::open(&mut bed.hub, T0).unwrap().public_key();
        let secret = &field_secrets(&bed.field)[0];
        // (The text's check is keyed with the pairing's key: read it unchecked.)
        let sealed = lethe_protocol::dearmor_unchecked(&m1).unwrap();
        let plaintext = lethe_protocol::open(secret, &[hub_key], &sealed).unwrap().1;
        lethe_protocol::Message::decode(&plaintext).unwrap().id.0
    };
    Field::open(&mut bed.field, now).unwrap().receive(&m1).unwrap();
    deliver_and_settle(&mut bed, a, "a", now);
    let (version, entries) = seen_entries(&bed.field);
    assert_eq!(version, 2);
    // Two messages (orders, acknowledgement) and one settled order.
    assert_eq!(entries.len(), 3);
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(entries, sorted, "entries must not keep the order they came in");
    for (_, day) in &entries {
        // A day, not a second: at least 30 days ahead, at most 31.
        let until = u64::from(*day) * DAY;
        assert!(until >= now + 30 * DAY && until < now + 32 * DAY, "{day}");
    }
    let item = bed.field.list().into_iter().find(|i| i.name == "remit.field.seen").unwrap();
    let raw = bed.field.read(item.id).unwrap().as_slice().to_vec();
    assert!(!raw.windows(8).any(|w| w == id), "a message id in the clear");
    for code in [a, b] {
        assert!(!raw.windows(4).any(|w| w == code.0.to_le_bytes()), "an order code in the clear");
    }

    // Version 1 (ids and times to the second in the clear) is converted on open, and a
    // message it remembered is still refused as a replay.
    let mut v1 = vec![1u8];
    v1.extend_from_slice(&1u32.to_le_bytes());
    v1.extend_from_slice(&id);
    v1.extend_from_slice(&(now + 30 * DAY).to_le_bytes());
    // Positive control: that record does hold the id and a time to the second.
    assert!(v1.windows(8).any(|w| w == id));
    bed.field.replace(item.id, &v1).unwrap();
    let mut field = Field::open(&mut bed.field, now + 3 * HOUR).unwrap();
    assert!(matches!(field.receive(&m1), Err(Error::Replayed)));
    drop(field);
    let (version, entries) = seen_entries(&bed.field);
    assert_eq!((version, entries.len()), (2, 1));
    let raw = bed.field.read(item.id).unwrap().as_slice().to_vec();
    assert!(!raw.windows(8).any(|w| w == id));
    assert!(!raw.windows(8).any(|w| w == (now + 30 * DAY).to_le_bytes()));
}
