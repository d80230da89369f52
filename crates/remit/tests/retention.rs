//! Hub retention: a settled order's details (alias, place, question, answer hash, report,
//! media) are crypto-erased the set number of days after it is settled, and the ledger
//! keeps only totals, so a seized hub shows little of what was delivered before.

mod common;

use common::*;
use lethe_remit::{Delivery, DeliveryMedia, Error, Field, Hub, HubOrderStatus, LedgerRow};

const ALIAS: &str = "ALIAS-retention-7731";
const PLACE: &str = "PLACE-retention-7731";
const QUESTION: &str = "QUESTION-retention-7731";

fn ledger(bed: &mut Bed, now: u64) -> Vec<LedgerRow> {
    Hub::open(&mut bed.hub, now).unwrap().ledger().unwrap()
}

/// Four orders: "full" delivered in full with a video, "short" partly delivered, "wrong"
/// disputed (wrong answer), "gone" cancelled. Returns the time the reports came in.
fn four_orders(bed: &mut Bed) -> u64 {
    let orders = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let mut full = form(ALIAS, "1,000,000", "50,000", "KRW", QUESTION, "right");
        full.place_hint = PLACE.into();
        hub.create_order(BROKER, &full).unwrap();
        hub.create_order(BROKER, &form("short", "1,000,000", "10%", "KRW", "q", "right")).unwrap();
        hub.create_order(BROKER, &form("wrong", "300,000", "0", "KRW", "q", "right")).unwrap();
        hub.create_order(BROKER, &form("gone", "200,000", "0", "KRW", "q", "right")).unwrap();
        hub.record_advance(BROKER, 5_000_000, lethe_protocol::Currency::Krw).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&orders).unwrap();
    let code = |field: &Field<'_, _>, alias: &str| {
        field.orders().unwrap().into_iter().find(|o| o.alias == alias).unwrap().code
    };
    let video = vec![0x42u8; 100_000];
    let mut reader = &video[..];
    let full = code(&field, ALIAS);
    field
        .deliver(
            Delivery {
                code: full,
                amount_minor: None,
                answer: "right",
                media: Some(DeliveryMedia::Unstripped { reader: &mut reader, len: video.len() as u64 }),
            },
            &mut |_, _| {},
        )
        .unwrap();
    let short = code(&field, "short");
    field
        .deliver(Delivery { code: short, amount_minor: Some(600_000), answer: "right", media: None }, &mut |_, _| {})
        .unwrap();
    let wrong = code(&field, "wrong");
    field.deliver(Delivery { code: wrong, amount_minor: None, answer: "wrong", media: None }, &mut |_, _| {}).unwrap();
    let gone = code(&field, "gone");
    let (item, _) = field.outbox().unwrap().iter().find_map(|e| e.media).unwrap();
    let mut sealed_video = Vec::new();
    field.write_media(item, &mut sealed_video, &mut |_, _| {}).unwrap();
    let reports = field.send().unwrap().text();
    drop(field);
    let received = T0 + HOUR;
    let mut hub = Hub::open(&mut bed.hub, received).unwrap();
    hub.receive(&reports).unwrap();
    hub.import_media(std::io::Cursor::new(&sealed_video), &mut |_, _| {}).unwrap();
    hub.cancel_order(gone, "family moved").unwrap();
    received
}

#[test]
fn settled_orders_are_erased_after_the_retention_and_the_ledger_keeps_its_totals() {
    let mut bed = paired();
    let received = four_orders(&mut bed);
    let ledger_before = ledger(&mut bed, received);
    assert_eq!(Hub::open(&mut bed.hub, received).unwrap().retention_days().unwrap(), 30);

    // Positive control: within the retention the hub shows the order's details.
    let day_29 = received + 29 * DAY;
    let hub = Hub::open(&mut bed.hub, day_29).unwrap();
    assert_eq!(hub.erased_on_open().orders, 0);
    assert_eq!(hub.orders().unwrap().len(), 4);
    drop(hub);
    let readable = everything_readable(&bed.hub);
    for marker in [ALIAS, PLACE, QUESTION] {
        assert!(contains_text(&readable, marker), "the control does not show {marker}");
    }

    // After 30 days: the order delivered in full and the cancelled one go, with the video;
    // the partial and the disputed order stay (not settled).
    let day_31 = received + 31 * DAY;
    let hub = Hub::open(&mut bed.hub, day_31).unwrap();
    let erased = hub.erased_on_open();
    assert_eq!((erased.orders, erased.media), (2, 1), "{erased:?}");
    let left: Vec<(String, HubOrderStatus)> = hub.orders().unwrap().into_iter().map(|o| (o.alias, o.status)).collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().any(|(a, s)| a == "short" && *s == HubOrderStatus::Partial), "{left:?}");
    assert!(left.iter().any(|(a, s)| a == "wrong" && matches!(s, HubOrderStatus::Disputed(_))), "{left:?}");
    // The ledger is unchanged: balances, deliveries and fees come from the totals.
    assert_eq!(hub.ledger().unwrap(), ledger_before);
    let history = hub.history(Some(BROKER)).unwrap();
    assert!(history.iter().any(|e| e.code.is_none() && e.note.contains("erased")), "{history:?}");
    drop(hub);
    let readable = everything_readable(&bed.hub);
    let raw = bed.hub_mem.snapshot();
    for marker in [ALIAS, PLACE, QUESTION] {
        assert!(!contains_text(&readable, marker), "{marker} readable with the hub's passphrase");
        assert!(!contains_text(&raw, marker), "{marker} in the raw hub image");
    }
    assert!(!bed.hub.list().iter().any(|i| i.name.starts_with("remit.hub.media")), "the video is gone");

    // Opening again erases nothing more and counts nothing twice.
    let hub = Hub::open(&mut bed.hub, day_31 + DAY).unwrap();
    assert_eq!(hub.erased_on_open().orders, 0);
    assert_eq!(hub.ledger().unwrap(), ledger_before);
}

#[test]
fn the_retention_is_a_setting_and_bad_values_change_nothing() {
    let mut bed = paired();
    let received = four_orders(&mut bed);
    let ledger_before = ledger(&mut bed, received);
    let mut hub = Hub::open(&mut bed.hub, received + 2 * DAY).unwrap();
    for bad in [0, 3651] {
        let before = bed.hub_mem.snapshot();
        assert!(matches!(hub.set_retention_days(bad), Err(Error::BadHubRetention(d)) if d == bad));
        assert!(bed.hub_mem.snapshot() == before, "a refused setting changed the container");
    }
    assert_eq!(hub.retention_days().unwrap(), 30);
    // One day: applied at once.
    let erased = hub.set_retention_days(1).unwrap();
    assert_eq!(erased.orders, 2);
    assert_eq!(hub.retention_days().unwrap(), 1);
    assert_eq!(hub.ledger().unwrap(), ledger_before);
    drop(hub);
    assert_eq!(Hub::open(&mut bed.hub, received + 2 * DAY).unwrap().retention_days().unwrap(), 1);
}
