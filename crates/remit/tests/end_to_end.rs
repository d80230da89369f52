//! Hub and field in separate in-memory vaults exchange orders, reports and
//! acknowledgements as text, as they would through a chat app.

mod common;

use common::*;
use lethe_protocol::{ArmorError, Currency, ProtocolError, armor, dearmor_unchecked};
use lethe_remit::{
    Delivery, DeliveryMedia, DisputeReason, Error, Field, Hub, HubOrderStatus, LedgerRow, Received, ReportOutcome,
    RetentionReport, Role,
};
use lethe_vault::{KdfParams, Passphrase, Vault};

fn deliver(
    field: &mut Field<'_, lethe_vault::MemStorage>,
    code: lethe_remit::OrderCode,
    amount: Option<u64>,
    answer: &str,
) {
    field.deliver(Delivery { code, amount_minor: amount, answer, media: None }, &mut |_, _| {}).unwrap();
}

#[test]
fn orders_and_reports_travel_as_text_and_settle_the_ledger() {
    let mut bed = paired();
    let (a, b, c, d) = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let a = hub
            .create_order(BROKER, &form("큰 언니", "2,000,000", "200,000", "KRW", "강아지 이름은?", "바둑이"))
            .unwrap();
        let b = hub
            .create_order(
                BROKER,
                &form("Aunt Plum", "1,500.50", "30", "CNY", "What did we call the dog?", "Rex the Dog"),
            )
            .unwrap();
        let c = hub.create_order(BROKER, &form("작은 삼촌", "150만", "5만", "KRW", "고향 마을은?", "백암리")).unwrap();
        let d = hub.create_order(BROKER, &form("小白", "1万", "200", "CNY", "小名?", "ＡＢＣ１２３")).unwrap();
        assert!(matches!(
            hub.create_order("nobody", &form("x", "1", "0", "KRW", "q", "a")),
            Err(Error::UnknownBroker(_))
        ));
        let orders = hub.orders().unwrap();
        assert_eq!(orders.len(), 4);
        assert!(orders.iter().all(|o| o.status == HubOrderStatus::New));
        (a, b, c, d)
    };
    let order_text = {
        let mut hub = Hub::open(&mut bed.hub, T0 + HOUR).unwrap();
        let out = hub.send_orders(BROKER, false).unwrap();
        assert_eq!((out.items, out.remaining), (4, 0));
        assert!(matches!(hub.send_orders(BROKER, false), Err(Error::NothingToSend)));
        assert!(hub.orders().unwrap().iter().all(|o| o.status == HubOrderStatus::Sent));
        // --resend offers the same orders again (for a lost message).
        assert_eq!(hub.send_orders(BROKER, true).unwrap().items, 4);
        out.text()
    };
    // Through a chat app: lower-cased, lines re-wrapped with extra spaces.
    let through_chat = order_text.to_lowercase().replace('\n', "  \n ");
    {
        let mut field = Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap();
        let Received::Orders { mut added, already_had: 0, .. } = field.receive(&through_chat).unwrap() else {
            panic!("not orders")
        };
        added.sort();
        let mut expected = vec![a, b, c, d];
        expected.sort();
        assert_eq!(added, expected);
        let orders = field.orders().unwrap();
        let kun = orders.iter().find(|o| o.code == a).unwrap();
        assert_eq!(kun.alias, "큰 언니");
        assert_eq!(kun.question, "강아지 이름은?");
        assert_eq!(kun.place_hint, "혜산 시장 동쪽");
        assert_eq!((kun.amount_minor, kun.fee_minor, kun.currency), (2_000_000, 200_000, Currency::Krw));
        assert_eq!(kun.received_at, T0 + 2 * HOUR);
        assert_eq!(kun.delivered_at, None);
    }
    let report_text = {
        let mut field = Field::open(&mut bed.field, T0 + DAY).unwrap();
        // Decomposed Hangul jamo with spaces and punctuation; less than the full amount.
        deliver(&mut field, a, Some(1_900_000), " \u{1107}\u{1161} \u{1103}\u{116E}\u{11A8}\u{110B}\u{1175}! ");
        deliver(&mut field, b, None, "REX-the-dog");
        deliver(&mut field, c, None, "검둥이"); // wrong
        deliver(&mut field, d, None, "abc 123"); // half-width for a full-width answer
        assert!(matches!(
            field.deliver(Delivery { code: a, amount_minor: None, answer: "바둑이", media: None }, &mut |_, _| {}),
            Err(Error::AlreadyDelivered(code)) if code == a
        ));
        let orders = field.orders().unwrap();
        assert!(orders.iter().all(|o| o.delivered_at == Some(T0 + DAY)));
        assert!(orders.iter().all(|o| o.question.is_empty() && o.place_hint.is_empty()));
        assert_eq!(field.outbox().unwrap().len(), 4);
        let out = field.send().unwrap();
        assert_eq!((out.items, out.remaining), (4, 0));
        out.text()
    };
    let ack_text = {
        let mut hub = Hub::open(&mut bed.hub, T0 + DAY + HOUR).unwrap();
        let receipt = hub.receive(&report_text).unwrap();
        assert_eq!(receipt.broker, BROKER);
        let outcome = |code| receipt.results.iter().find(|r| r.code == code).unwrap().outcome;
        // Less than ordered with the right answer: partly delivered.
        assert_eq!(outcome(a), ReportOutcome::Partial);
        assert_eq!(outcome(b), ReportOutcome::Delivered);
        assert_eq!(outcome(c), ReportOutcome::Disputed(DisputeReason::WrongAnswer));
        assert_eq!(outcome(d), ReportOutcome::Delivered);
        assert_eq!(receipt.ack.as_ref().unwrap().items, 4);
        let status = |code| hub.orders().unwrap().into_iter().find(|o| o.code == code).unwrap();
        assert_eq!(status(a).status, HubOrderStatus::Partial);
        assert_eq!(status(a).report.unwrap().amount_handed_minor, 1_900_000);
        assert_eq!(status(c).status, HubOrderStatus::Disputed(DisputeReason::WrongAnswer));

        hub.record_advance(BROKER, 5_000_000, Currency::Krw).unwrap();
        hub.record_advance(BROKER, 2_000_000, Currency::Cny).unwrap();
        assert!(matches!(hub.record_advance(BROKER, 0, Currency::Cny), Err(Error::ZeroAmount)));
        let ledger = hub.ledger().unwrap();
        assert_eq!(
            ledger,
            vec![
                LedgerRow {
                    broker: BROKER.into(),
                    currency: Currency::Cny,
                    advanced: 2_000_000,
                    delivered: 150_050 + 1_000_000,
                    fees_owed: 3_000 + 20_000,
                    disputed: 0,
                    outstanding: 0,
                    adjusted: 0,
                    balance: 2_000_000 - 1_150_050 - 23_000,
                },
                LedgerRow {
                    broker: BROKER.into(),
                    currency: Currency::Krw,
                    advanced: 5_000_000,
                    delivered: 1_900_000,
                    // The fee follows the amount: 95% of 200,000; the rest stays outstanding.
                    fees_owed: 190_000,
                    disputed: 1_500_000,
                    outstanding: 100_000,
                    adjusted: 0,
                    balance: 5_000_000 - 1_900_000 - 190_000,
                },
            ]
        );
        receipt.ack.as_ref().unwrap().text()
    };
    {
        let mut field = Field::open(&mut bed.field, T0 + 2 * DAY).unwrap();
        let Received::Ack { mut erased, disputed, unknown: 0, .. } = field.receive(&ack_text).unwrap() else {
            panic!("not an ack")
        };
        // The disputed order stays, with the hub's reason, until the hub resolves it.
        assert_eq!(disputed.len(), 1);
        erased.sort();
        let mut expected: Vec<_> = [a, b, c, d].into_iter().filter(|code| *code != disputed[0].0).collect();
        expected.sort();
        assert_eq!(erased, expected);
        let held = field.orders().unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].dispute.as_deref(), Some(disputed[0].1.as_str()));
        assert!(field.outbox().unwrap().is_empty());
        assert!(matches!(field.send(), Err(Error::NothingToSend)));
    }
}

#[test]
fn ledger_counts_outstanding_orders_and_negative_balances() {
    let mut bed = paired();
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    hub.create_order(BROKER, &form("a", "300", "10", "USD", "q", "x")).unwrap();
    let ledger = hub.ledger().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].outstanding, 30_000);
    assert_eq!(ledger[0].balance, 0);
    drop(hub);
    let text = Hub::open(&mut bed.hub, T0).unwrap().send_orders(BROKER, false).unwrap().text();
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&text).unwrap();
    let code = field.orders().unwrap()[0].code;
    deliver(&mut field, code, None, "X");
    let report = field.send().unwrap().text();
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    hub.receive(&report).unwrap();
    let row = &hub.ledger().unwrap()[0];
    // Nothing advanced: the hub owes the broker the cash she laid out and her fee.
    assert_eq!((row.delivered, row.fees_owed, row.outstanding, row.balance), (30_000, 1_000, 0, -31_000));
}

#[test]
fn bad_messages_change_nothing() {
    let mut bed = paired();
    // A second broker of the same hub, and a hub nobody here is paired with.
    let (_other_mem, mut other_field) = fresh("other field");
    let other_key = Field::init(&mut other_field, T0).unwrap().public_key().to_text();
    let (_stranger_mem, mut stranger_hub) = fresh("stranger hub");
    let stranger_key = Hub::init(&mut stranger_hub, T0).unwrap().public_key().to_text();
    let field_key = Field::open(&mut bed.field, T0).unwrap().public_key().to_text();
    let (good, misaddressed, old) = {
        let mut hub = Hub::open(&mut bed.hub, T0 - 40 * DAY).unwrap();
        hub.add_broker("other", &other_key).unwrap();
        hub.create_order(BROKER, &form("old alias", "1", "0", "KRW", "q", "a")).unwrap();
        let old = hub.send_orders(BROKER, false).unwrap().text();
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("큰 언니", "2,000,000", "0", "KRW", "q", "바둑이")).unwrap();
        hub.create_order("other", &form("other alias", "1", "0", "KRW", "q", "a")).unwrap();
        (hub.send_orders(BROKER, false).unwrap().text(), hub.send_orders("other", false).unwrap().text(), old)
    };
    let from_stranger = {
        let mut hub = Hub::open(&mut stranger_hub, T0).unwrap();
        hub.add_broker(BROKER, &field_key).unwrap();
        hub.create_order(BROKER, &form("fake", "1", "0", "KRW", "q", "a")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let sealed = dearmor_unchecked(&good).unwrap();
    let mut tampered = sealed.clone();
    tampered[40] ^= 0x10;
    let tampered = armor(&tampered);
    let mut mistyped = good.clone().into_bytes();
    let at = mistyped.iter().position(|c| c.is_ascii_alphanumeric()).unwrap();
    mistyped[at] = if mistyped[at] == b'Q' { b'R' } else { b'Q' };
    let mistyped = String::from_utf8(mistyped).unwrap();
    let truncated = good[..good.len() / 2].to_owned();

    let mut field = Field::open(&mut bed.field, T0 + HOUR).unwrap();
    let before = bed.field_mem.snapshot();
    let cases: Vec<(&str, String)> = vec![
        ("mistyped", mistyped),
        ("truncated", truncated),
        ("tampered", tampered),
        ("misaddressed", misaddressed),
        ("from a stranger hub", from_stranger),
        ("a public key", stranger_key.clone()),
        ("garbage", "hello, is this working?".into()),
        ("empty", String::new()),
        ("too old", old.clone()),
    ];
    for (what, text) in &cases {
        let err = field.receive(text).unwrap_err();
        match *what {
            "mistyped" => assert!(matches!(err, Error::Message(ProtocolError::Armor(ArmorError::ChecksumMismatch)))),
            "truncated" => assert!(matches!(err, Error::Message(ProtocolError::Armor(_)))),
            // Re-armored with a public CRC after tampering (anyone can do that): the seal refuses it.
            "tampered" => assert!(matches!(err, Error::Message(ProtocolError::CannotOpen)), "{what}: {err}"),
            // Checked under another pairing's key: indistinguishable from a typing error.
            "misaddressed" | "from a stranger hub" => assert!(
                matches!(err, Error::Message(ProtocolError::Armor(ArmorError::ChecksumMismatch))),
                "{what}: {err}"
            ),
            "a public key" => assert!(matches!(err, Error::Message(ProtocolError::NotAMessage { .. }))),
            "too old" => assert!(matches!(err, Error::MessageTooOld { age_days: 40 }), "{err}"),
            _ => assert!(matches!(err, Error::Message(_)), "{what}: {err}"),
        }
        assert!(!err.to_string().is_empty());
        assert!(bed.field_mem.snapshot() == before, "{what} changed the field's vault");
    }
    // Control: the good message does change it, once.
    assert!(
        matches!(field.receive(&good).unwrap(), Received::Orders { ref added, already_had: 0, .. } if added.len() == 1)
    );
    let after_first = bed.field_mem.snapshot();
    assert!(after_first != before);
    assert!(matches!(field.receive(&good), Err(Error::Replayed)));
    assert!(bed.field_mem.snapshot() == after_first, "a replay changed the field's vault");
    // Through a retyped copy with other spacing it is still the same message.
    assert!(matches!(field.receive(&good.replace(' ', "")), Err(Error::Replayed)));

    // The hub side.
    let code = field.orders().unwrap()[0].code;
    deliver(&mut field, code, None, "바둑이");
    let report = field.send().unwrap().text();
    drop(field);
    let field_secret = {
        let field_vault = &bed.field;
        let item = field_vault.list().into_iter().find(|i| i.name == "remit.field.key").unwrap();
        let bytes = field_vault.read(item.id).unwrap();
        lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
    };
    let mut hub = Hub::open(&mut bed.hub, T0 + 2 * HOUR).unwrap();
    // A batch whose second report was altered inside a valid outer seal.
    let batch = {
        let blob = dearmor_unchecked(&report).unwrap();
        let mut altered = blob.clone();
        altered[50] ^= 1;
        let mut plain = vec![0x81u8];
        for b in [&blob, &altered] {
            plain.extend_from_slice(&(b.len() as u16).to_le_bytes());
            plain.extend_from_slice(b);
        }
        armor(&lethe_protocol::seal(&field_secret, &hub.public_key(), &plain).unwrap())
    };
    let mut report_tampered = dearmor_unchecked(&report).unwrap();
    report_tampered[60] ^= 0x01;
    let hub_before = bed.hub_mem.snapshot();
    for (what, text) in [
        ("altered batch", batch),
        ("tampered", armor(&report_tampered)),
        ("cut off", report[..report.len() - 9].to_owned()),
        ("orders instead of reports", good.clone()),
    ] {
        let err = hub.receive(&text).unwrap_err();
        assert!(matches!(err, Error::Message(_)), "{what}: {err}");
        assert!(bed.hub_mem.snapshot() == hub_before, "{what} changed the hub's vault");
    }
    let receipt = hub.receive(&report).unwrap();
    assert_eq!(receipt.results[0].outcome, ReportOutcome::Delivered);
    let after = bed.hub_mem.snapshot();
    assert!(after != hub_before);
    // The same report again (the ack was lost): recorded already, nothing changes, the
    // acknowledgement is made again.
    let again = hub.receive(&report).unwrap();
    assert_eq!(again.results[0].outcome, ReportOutcome::AlreadyRecorded);
    assert_eq!(again.ack.as_ref().unwrap().items, 1);
    assert!(bed.hub_mem.snapshot() == after, "a replayed report changed the hub's vault");
}

#[test]
fn a_report_from_an_unpaired_broker_is_refused() {
    let mut bed = paired();
    // The hub as it was before it paired with "lone": same key, no record of her.
    let hub_before_lone = bed.hub_mem.snapshot();
    let (_m, mut lone_vault) = fresh("lone");
    let hub_key = Hub::open(&mut bed.hub, T0).unwrap().public_key().to_text();
    let lone_key = Field::init(&mut lone_vault, T0).unwrap().public_key().to_text();
    Field::open(&mut lone_vault, T0).unwrap().pair(&hub_key).unwrap();
    let text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.add_broker("lone", &lone_key).unwrap();
        hub.create_order("lone", &form("a", "1", "0", "KRW", "q", "x")).unwrap();
        hub.send_orders("lone", false).unwrap().text()
    };
    let mut lone = Field::open(&mut lone_vault, T0).unwrap();
    lone.receive(&text).unwrap();
    let code = lone.orders().unwrap()[0].code;
    deliver(&mut lone, code, None, "x");
    let report = lone.send().unwrap().text();

    let other_mem = lethe_vault::MemStorage::new(hub_before_lone);
    let mut other_vault = reopen(&other_mem, HUB_PASS);
    let mut hub = Hub::open(&mut other_vault, T0).unwrap();
    assert_eq!(hub.public_key().to_text(), hub_key);
    let before = other_mem.snapshot();
    // Its text is checked under a key this hub does not hold: it reads as a typing error
    // (there is no public marker that would say "a lethe message from someone else").
    let err = hub.receive(&report).unwrap_err();
    assert!(matches!(err, Error::Message(ProtocolError::Armor(ArmorError::ChecksumMismatch))), "{err:?}");
    assert!(other_mem.snapshot() == before);
    // Control: the hub that knows her accepts it.
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    assert_eq!(hub.receive(&report).unwrap().results[0].outcome, ReportOutcome::Delivered);
}

#[test]
fn retention_erases_orders_and_reports_after_the_window() {
    let mut bed = paired();
    let text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        for alias in ["one", "two", "three"] {
            hub.create_order(BROKER, &form(alias, "1000", "0", "KRW", "q", "a")).unwrap();
        }
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let first = {
        let mut field = Field::open(&mut bed.field, T0).unwrap();
        assert_eq!(field.retention_days(), 7);
        field.receive(&text).unwrap();
        field.orders().unwrap()[0].code
    };
    {
        // Delivered on day 2, with a photo.
        let mut field = Field::open(&mut bed.field, T0 + 2 * DAY).unwrap();
        let jpeg = photo("SCAN", "META");
        field
            .deliver(
                Delivery { code: first, amount_minor: None, answer: "a", media: Some(DeliveryMedia::Jpeg(&jpeg)) },
                &mut |_, _| {},
            )
            .unwrap();
    }
    let records = |vault: &Vault<lethe_vault::MemStorage>, name: &str| {
        vault.list().into_iter().filter(|i| i.name == name).count()
    };
    {
        let field = Field::open(&mut bed.field, T0 + 7 * DAY - 1).unwrap();
        assert_eq!(field.erased_on_open(), RetentionReport::default());
        assert_eq!(field.orders().unwrap().len(), 3);
    }
    {
        // Day 7: the three orders (received on day 0) go; the report of day 2 stays.
        let field = Field::open(&mut bed.field, T0 + 7 * DAY).unwrap();
        assert_eq!(field.erased_on_open(), RetentionReport { orders: 3, reports: 0 });
        assert!(field.orders().unwrap().is_empty());
        assert_eq!(field.outbox().unwrap().len(), 1);
    }
    assert_eq!(records(&bed.field, "remit.field.media"), 1);
    {
        let field = Field::open(&mut bed.field, T0 + 9 * DAY).unwrap();
        assert_eq!(field.erased_on_open(), RetentionReport { orders: 0, reports: 1 });
        assert!(field.outbox().unwrap().is_empty());
    }
    assert_eq!(records(&bed.field, "remit.field.media"), 0);
    assert_eq!(records(&bed.field, "remit.field.report"), 0);
    assert_eq!(records(&bed.field, "remit.field.order"), 0);

    // A shorter window applies at once.
    let text = {
        let mut hub = Hub::open(&mut bed.hub, T0 + 10 * DAY).unwrap();
        hub.create_order(BROKER, &form("four", "1000", "0", "KRW", "q", "a")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0 + 10 * DAY).unwrap();
    field.receive(&text).unwrap();
    drop(field);
    let mut field = Field::open(&mut bed.field, T0 + 12 * DAY).unwrap();
    assert_eq!(field.orders().unwrap().len(), 1);
    assert!(matches!(field.set_retention_days(0), Err(Error::BadRetention(0))));
    assert!(matches!(field.set_retention_days(366), Err(Error::BadRetention(366))));
    assert_eq!(field.set_retention_days(2).unwrap(), RetentionReport { orders: 1, reports: 0 });
    drop(field);
    assert_eq!(Field::open(&mut bed.field, T0 + 12 * DAY).unwrap().retention_days(), 2);
}

#[test]
fn after_the_ack_the_field_vault_names_no_recipient() {
    const ALIAS: &str = "ALIAS-Pyongsong-7731";
    const QUESTION: &str = "QUESTION-dog-name-7731";
    const ANSWER: &str = "answermarker7731";
    const PHOTO: &str = "PHOTO-SCAN-7731";
    const EXIF: &str = "EXIF-GPS-39.0N-7731";
    let markers = [ALIAS, QUESTION, ANSWER, PHOTO, EXIF];
    let mut bed = paired();
    let order_text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form(ALIAS, "2,000,000", "0", "KRW", QUESTION, ANSWER)).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let jpeg = photo(PHOTO, EXIF);
    assert!(contains_text(&jpeg, PHOTO) && contains_text(&jpeg, EXIF));
    let (report_text, media) = {
        let mut field = Field::open(&mut bed.field, T0).unwrap();
        field.receive(&order_text).unwrap();
        // Positive control on the field side: while the order is pending, the search
        // finds the alias and the question in what the field's passphrase reads.
        let code = field.orders().unwrap()[0].code;
        drop(field);
        let readable = everything_readable(&bed.field);
        assert!(contains_text(&readable, ALIAS) && contains_text(&readable, QUESTION));
        let mut field = Field::open(&mut bed.field, T0 + HOUR).unwrap();
        let mut shown = Vec::new();
        field
            .deliver(
                Delivery { code, amount_minor: None, answer: ANSWER, media: Some(DeliveryMedia::Jpeg(&jpeg)) },
                &mut |done, total| shown.push((done, total)),
            )
            .unwrap();
        assert_eq!(shown.last().map(|(d, t)| d == t), Some(true));
        let outbox = field.outbox().unwrap();
        let (item, len) = outbox[0].media.unwrap();
        let mut media = Vec::new();
        assert_eq!(field.write_media(item, &mut media, &mut |_, _| {}).unwrap(), len);
        let text = field.send().unwrap().text();
        drop(field);
        // Right after delivery, before any acknowledgement: the field cannot read its
        // own report or photo, and the question is gone from the order.
        let readable = everything_readable(&bed.field);
        for marker in [ANSWER, PHOTO, EXIF, QUESTION] {
            assert!(!contains_text(&readable, marker), "{marker} readable at the field after delivery");
        }
        assert!(contains_text(&readable, ALIAS), "the alias stays until the acknowledgement");
        for marker in [ANSWER, PHOTO, EXIF] {
            assert!(!contains_text(&media, marker) && !contains_text(&text.clone().into_bytes(), marker));
        }
        (text, media)
    };

    // The hub imports the report and the photo.
    let (ack, exported) = {
        let mut hub = Hub::open(&mut bed.hub, T0 + 2 * HOUR).unwrap();
        let receipt = hub.receive(&report_text).unwrap();
        assert_eq!(receipt.results[0].outcome, ReportOutcome::Delivered);
        assert!(receipt.results[0].has_media);
        let code = receipt.results[0].code;
        // Its photo is not imported yet: no acknowledgement (it would erase the only copy).
        assert!(!receipt.results[0].acknowledged && receipt.ack.is_none());
        let imported = hub.import_media(std::io::Cursor::new(&media), &mut |_, _| {}).unwrap();
        assert_eq!(imported.code, code);
        assert_eq!(imported.ack.items, 1);
        let mut exported = Vec::new();
        hub.export_media(code, &mut exported, &mut |_, _| {}).unwrap();
        (imported.ack.text(), exported)
    };
    // Positive control on the hub side: the same search finds the alias and question in
    // the hub's records, and the picture in the exported photo; the photo's metadata
    // was removed before it left the field.
    let hub_readable = everything_readable(&bed.hub);
    assert!(contains_text(&hub_readable, ALIAS) && contains_text(&hub_readable, QUESTION));
    assert!(!contains_text(&hub_readable, ANSWER), "the hub keeps only a hash of the answer");
    assert!(contains_text(&exported, PHOTO));
    assert!(!contains_text(&exported, EXIF), "metadata reached the hub");
    // ... and the answer, in the report opened with the hub's key.
    let hub_secret = {
        let item = bed.hub.list().into_iter().find(|i| i.name == "remit.hub.identity").unwrap();
        let bytes = bed.hub.read(item.id).unwrap();
        lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
    };
    let field_public = Field::open(&mut bed.field, T0 + 3 * HOUR).unwrap().public_key();
    let (_, opened) =
        lethe_protocol::open(&hub_secret, &[field_public], &dearmor_unchecked(&report_text).unwrap()).unwrap();
    assert!(contains_text(&opened, ANSWER));
    // The field's own key does not open what it sent.
    let field_secret = {
        let item = bed.field.list().into_iter().find(|i| i.name == "remit.field.key").unwrap();
        let bytes = bed.field.read(item.id).unwrap();
        lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
    };
    let hub_public = hub_secret.public_key();
    assert!(
        lethe_protocol::open(&field_secret, &[hub_public, field_public], &dearmor_unchecked(&report_text).unwrap())
            .is_err()
    );

    // The acknowledgement arrives: nothing of the order is left at the field.
    let mut field = Field::open(&mut bed.field, T0 + 3 * HOUR).unwrap();
    assert!(matches!(field.receive(&ack).unwrap(), Received::Ack { ref erased, unknown: 0, .. } if erased.len() == 1));
    drop(field);
    let raw = bed.field_mem.snapshot();
    let readable = everything_readable(&bed.field);
    drop(bed.field);
    let reopened = reopen(&bed.field_mem, FIELD_PASS);
    let readable_after_reopen = everything_readable(&reopened);
    for marker in markers {
        assert!(!contains_text(&raw, marker), "{marker} in the raw field image");
        assert!(!contains_text(&readable, marker), "{marker} readable with the field's passphrase");
        assert!(!contains_text(&readable_after_reopen, marker), "{marker} readable after reopening");
    }
    let names: Vec<String> = reopened.list().into_iter().map(|i| i.name).collect();
    assert!(
        names.iter().all(|n| {
            ["remit.field.key", "remit.field.pairing", "remit.field.hub", "remit.field.seen", "remit.field.hub-later"]
                .contains(&n.as_str())
        }),
        "{names:?}"
    );
}

#[test]
fn media_import_checks_and_refusals() {
    let mut bed = paired();
    let order_text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("a", "1", "0", "KRW", "q", "x")).unwrap();
        hub.create_order(BROKER, &form("b", "1", "0", "KRW", "q", "x")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&order_text).unwrap();
    let codes: Vec<_> = field.orders().unwrap().iter().map(|o| o.code).collect();
    // Not a JPEG: refused, nothing stored.
    let before = bed.field_mem.snapshot();
    let err = field
        .deliver(
            Delivery {
                code: codes[0],
                amount_minor: None,
                answer: "x",
                media: Some(DeliveryMedia::Jpeg(b"GIF89a...")),
            },
            &mut |_, _| {},
        )
        .unwrap_err();
    assert!(matches!(err, Error::Media(lethe_protocol::MediaError::NotJpeg)));
    assert!(bed.field_mem.snapshot() == before);
    // Empty answer: refused before anything is written.
    let err = field
        .deliver(Delivery { code: codes[0], amount_minor: None, answer: " ?! ", media: None }, &mut |_, _| {})
        .unwrap_err();
    assert!(matches!(err, Error::BadAnswer(_)));
    let err = field
        .deliver(Delivery { code: codes[0], amount_minor: Some(0), answer: "x", media: None }, &mut |_, _| {})
        .unwrap_err();
    assert!(matches!(err, Error::ZeroAmount));
    assert!(bed.field_mem.snapshot() == before);
    // A video (not stripped) through a reader.
    let video = vec![0x42u8; 200_000];
    let mut reader = &video[..];
    field
        .deliver(
            Delivery {
                code: codes[0],
                amount_minor: None,
                answer: "x",
                media: Some(DeliveryMedia::Unstripped { reader: &mut reader, len: video.len() as u64 }),
            },
            &mut |_, _| {},
        )
        .unwrap();
    field.deliver(Delivery { code: codes[1], amount_minor: None, answer: "x", media: None }, &mut |_, _| {}).unwrap();
    let (item, _) = field.outbox().unwrap().iter().find_map(|e| e.media).unwrap();
    let mut sealed_video = Vec::new();
    field.write_media(item, &mut sealed_video, &mut |_, _| {}).unwrap();
    let report = field.send().unwrap().text();
    drop(field);

    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    let before = bed.hub_mem.snapshot();
    // Media before its report.
    assert!(matches!(
        hub.import_media(std::io::Cursor::new(&sealed_video), &mut |_, _| {}),
        Err(Error::MediaWithoutReport)
    ));
    assert!(bed.hub_mem.snapshot() == before);
    let receipt = hub.receive(&report).unwrap();
    // Only the order without media is acknowledged until the video is in.
    let acked = |code| receipt.results.iter().find(|r| r.code == code).unwrap().acknowledged;
    assert!(!acked(codes[0]) && acked(codes[1]));
    assert_eq!(receipt.ack.as_ref().unwrap().items, 1);
    assert!(matches!(hub.export_media(codes[0], Vec::new(), &mut |_, _| {}), Err(Error::NoMedia(_))));
    let before = bed.hub_mem.snapshot();
    let cut = &sealed_video[..sealed_video.len() - 100];
    assert!(matches!(
        hub.import_media(std::io::Cursor::new(cut), &mut |_, _| {}),
        Err(Error::MediaFile(lethe_protocol::StreamError::Truncated))
    ));
    let mut altered = sealed_video.clone();
    altered[70_000] ^= 1;
    assert!(matches!(hub.import_media(std::io::Cursor::new(&altered), &mut |_, _| {}), Err(Error::MediaFile(_))));
    assert!(bed.hub_mem.snapshot() == before);
    let imported = hub.import_media(std::io::Cursor::new(&sealed_video), &mut |_, _| {}).unwrap();
    assert_eq!((imported.code, imported.len), (codes[0], video.len() as u64));
    let after = bed.hub_mem.snapshot();
    assert!(matches!(
        hub.import_media(std::io::Cursor::new(&sealed_video), &mut |_, _| {}),
        Err(Error::MediaAlreadyImported(c)) if c == codes[0]
    ));
    assert!(bed.hub_mem.snapshot() == after);
    let mut out = Vec::new();
    assert_eq!(hub.export_media(codes[0], &mut out, &mut |_, _| {}).unwrap(), video.len() as u64);
    assert!(out == video);
    assert!(matches!(hub.export_media(codes[1], Vec::new(), &mut |_, _| {}), Err(Error::NoMedia(_))));
    let order = hub.orders().unwrap().into_iter().find(|o| o.code == codes[0]).unwrap();
    assert!(order.report.unwrap().media_imported);
}

#[test]
fn one_report_fits_200_characters_and_ten_batch_into_one_message() {
    let mut bed = paired();
    let text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        for i in 0..11 {
            hub.create_order(BROKER, &form(&format!("alias {i}"), "2,000,000", "0", "KRW", "q", "우리바둑이")).unwrap();
        }
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&text).unwrap();
    let codes: Vec<_> = field.orders().unwrap().iter().map(|o| o.code).collect();
    // The first report after orders arrived also announces the field's next key
    // (32 bytes more, once per batch of orders).
    deliver(&mut field, codes[0], None, "우리바둑이");
    let with_key = field.send().unwrap();
    assert!(with_key.chars() > 200 && with_key.chars() <= 250, "the key-carrying report takes {}", with_key.chars());
    drop(field);
    let ack = Hub::open(&mut bed.hub, T0).unwrap().receive(&with_key.text()).unwrap().ack.unwrap().text();
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&ack).unwrap();
    // Every later report of the batch goes without a key.
    deliver(&mut field, codes[1], None, "우리바둑이");
    let one = field.send().unwrap();
    assert!(one.chars() <= 200, "one report takes {} characters", one.chars());
    assert_eq!(field.outbox().unwrap()[0].chars, one.chars());
    for code in &codes[2..] {
        deliver(&mut field, *code, None, "우리바둑이");
    }
    let ten = field.send().unwrap();
    assert_eq!((ten.items, ten.remaining), (10, 0));
    assert!(ten.qr().is_ok());
    drop(field);
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    let receipt = hub.receive(&ten.compact_text()).unwrap();
    assert_eq!(receipt.results.len(), 10);
    assert!(receipt.results.iter().all(|r| r.outcome == ReportOutcome::Delivered));
}

#[test]
fn roles_live_in_the_compartment_the_passphrase_opens() {
    let (mem, mut vault) = fresh("decoy");
    vault.hide(&Passphrase::new(b"hidden"), KdfParams::INSECURE_TEST_ONLY).unwrap();
    Field::init(&mut vault, T0).unwrap();
    assert!(matches!(Field::init(&mut vault, T0), Err(Error::AlreadyInitialised(Role::Field))));
    drop(vault);
    let mut decoy = reopen(&mem, "decoy");
    assert!(matches!(Field::open(&mut decoy, T0), Err(Error::NotInitialised(Role::Field))));
    assert!(matches!(Hub::open(&mut decoy, T0), Err(Error::NotInitialised(Role::Hub))));
    drop(decoy);
    let mut hidden = reopen(&mem, "hidden");
    let field = Field::open(&mut hidden, T0).unwrap();
    assert_eq!(field.hub_key(), None);
    assert!(matches!(field.send(), Err(Error::NotPaired)));
}

#[test]
fn pairing_refusals() {
    let mut bed = paired();
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    let own = hub.public_key().to_text();
    assert!(matches!(hub.add_broker("me", &own), Err(Error::OwnKey)));
    let mina_key = hub.brokers().unwrap()[0].public_key.to_text();
    assert!(
        matches!(hub.add_broker("again", &mina_key), Err(Error::BrokerKeyExists { ref existing }) if existing == BROKER)
    );
    let (_m, mut v) = fresh("x");
    let other = Field::init(&mut v, T0).unwrap().public_key().to_text();
    assert!(matches!(hub.add_broker(BROKER, &other), Err(Error::BrokerExists(_))));
    assert!(matches!(hub.add_broker(" padded", &other), Err(Error::BadBrokerName)));
    assert!(matches!(hub.add_broker("", &other), Err(Error::BadBrokerName)));
    assert!(matches!(hub.add_broker("ok", "not a key"), Err(Error::BadPublicKey(_))));
    let mut typo = other.clone().into_bytes();
    typo[3] = if typo[3] == b'A' { b'B' } else { b'A' };
    assert!(matches!(hub.add_broker("ok", std::str::from_utf8(&typo).unwrap()), Err(Error::BadPublicKey(_))));
    let added = hub.add_broker("second", &other).unwrap();
    assert_eq!(hub.brokers().unwrap().len(), 2);
    assert_eq!(added.safety_code.len(), 39, "32 characters of fingerprint in 8 groups");
    drop(hub);
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    assert!(matches!(field.pair(&own), Err(Error::AlreadyPaired)));
    assert!(matches!(Hub::init(&mut bed.hub, T0), Err(Error::AlreadyInitialised(Role::Hub))));
}

/// What an examiner with the field's passphrase gets by replaying a carved message:
/// on a copy of `image`, erase the seen-message record (and, with `drop_orders`, the
/// order records too), receive `text`, and list the orders. Returns the result of the
/// receive and everything readable afterwards (items and the orders shown).
fn examiner_replays(image: Vec<u8>, text: &str, drop_orders: bool, now: u64) -> (Result<Received, Error>, Vec<u8>) {
    let mem = lethe_vault::MemStorage::new(image);
    let mut vault = reopen(&mem, FIELD_PASS);
    for item in vault.list() {
        if item.name == "remit.field.seen" || (drop_orders && item.name == "remit.field.order") {
            vault.remove(item.id).unwrap();
        }
    }
    let mut field = Field::open(&mut vault, now).unwrap();
    let result = field.receive(text);
    let mut shown = Vec::new();
    for order in field.orders().unwrap() {
        shown.extend_from_slice(format!("{}\0{}\0{}\0", order.alias, order.place_hint, order.question).as_bytes());
    }
    drop(field);
    shown.extend(everything_readable(&vault));
    (result, shown)
}

/// Every field key secret the passphrase reads, tried on a sealed message.
fn any_field_key_opens(vault: &Vault<lethe_vault::MemStorage>, hub: &lethe_protocol::PublicKey, text: &str) -> bool {
    let sealed = dearmor_unchecked(text).unwrap();
    vault.list().into_iter().filter(|i| i.name == "remit.field.key").any(|item| {
        let bytes = vault.read(item.id).unwrap();
        let secret = lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap());
        lethe_protocol::open(&secret, std::slice::from_ref(hub), &sealed).is_ok()
    })
}

#[test]
fn a_carved_orders_message_no_longer_opens_after_the_ack() {
    const ALIAS: &str = "ALIAS-Hyesan-5521";
    const PLACE: &str = "PLACE-market-gate-5521";
    const QUESTION: &str = "QUESTION-first-school-5521";
    let markers = [ALIAS, PLACE, QUESTION];
    let mut bed = paired();
    let hub_key = Hub::open(&mut bed.hub, T0).unwrap().public_key();
    let order_text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        let mut order_form = form(ALIAS, "1,000,000", "0", "KRW", QUESTION, "answer");
        order_form.place_hint = PLACE.into();
        hub.create_order(BROKER, &order_form).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&order_text).unwrap();
    let code = field.orders().unwrap()[0].code;
    deliver(&mut field, code, None, "answer");
    let report = field.send().unwrap().text();
    drop(field);
    let ack = Hub::open(&mut bed.hub, T0 + HOUR).unwrap().receive(&report).unwrap().ack.unwrap().text();

    // Positive control, before the acknowledgement: the same replay on an image whose
    // order records were erased (as the old design left it: orders gone, key kept)
    // brings every marker back, and a key in the vault opens the carved message.
    assert!(any_field_key_opens(&bed.field, &hub_key, &order_text));
    let (result, shown) = examiner_replays(bed.field_mem.snapshot(), &order_text, true, T0 + HOUR);
    assert!(matches!(result, Ok(Received::Orders { ref added, .. }) if added.len() == 1), "{result:?}");
    for marker in markers {
        assert!(contains_text(&shown, marker), "the control did not recover {marker}");
    }

    // The acknowledgement arrives: the order goes, and with it the key it came under.
    let mut field = Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap();
    assert_eq!(field.live_keys(), 2);
    assert!(matches!(field.receive(&ack).unwrap(), Received::Ack { ref erased, .. } if erased.len() == 1));
    assert_eq!(field.live_keys(), 1);
    drop(field);

    // The attack: the carved orders text, the seen record erased, lethe itself.
    assert!(!any_field_key_opens(&bed.field, &hub_key, &order_text));
    let (result, shown) = examiner_replays(bed.field_mem.snapshot(), &order_text, false, T0 + 2 * HOUR);
    assert!(matches!(result, Err(Error::SealedToErasedKey)), "{result:?}");
    let raw = bed.field_mem.snapshot();
    let readable = everything_readable(&bed.field);
    for marker in markers {
        assert!(!contains_text(&shown, marker), "{marker} recovered by the replay");
        assert!(!contains_text(&raw, marker), "{marker} in the raw field image");
        assert!(!contains_text(&readable, marker), "{marker} readable with the field's passphrase");
    }
}

#[test]
fn a_message_sealed_to_an_erased_key_is_refused_and_a_resend_opens() {
    let mut bed = paired();
    let first_orders = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("a", "1", "0", "KRW", "q", "x")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&first_orders).unwrap();
    let code = field.orders().unwrap()[0].code;
    deliver(&mut field, code, None, "x");
    let report = field.send().unwrap().text();
    drop(field);
    let ack = Hub::open(&mut bed.hub, T0).unwrap().receive(&report).unwrap().ack.unwrap().text();
    Field::open(&mut bed.field, T0).unwrap().receive(&ack).unwrap();

    // A message the field never saw, sealed by the hub to the field's first (erased) key.
    let hub_secret = {
        let item = bed.hub.list().into_iter().find(|i| i.name == "remit.hub.identity").unwrap();
        let bytes = bed.hub.read(item.id).unwrap();
        lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
    };
    let first_key = Field::open(&mut bed.field, T0).unwrap().public_key();
    let message = lethe_protocol::message::Message::new(
        lethe_protocol::message::Payload::Acks(lethe_protocol::Ack::settled([code])),
        (T0 / 60) as u32,
    )
    .unwrap();
    let to_old_key = lethe_protocol::seal_message(&hub_secret, &first_key, &message).unwrap();
    let before = bed.field_mem.snapshot();
    for text in [&to_old_key, &first_orders] {
        let mut field = Field::open(&mut bed.field, T0).unwrap();
        let err = field.receive(text).unwrap_err();
        assert!(matches!(err, Error::SealedToErasedKey), "{err:?}");
        assert!(
            err.to_string().contains("sealed to a key this phone has already erased; ask the hub to send it again")
        );
        drop(field);
        assert!(bed.field_mem.snapshot() == before, "a refused message changed the field's vault");
    }
    // Positive control: the same kind of message sealed to the key the hub uses now opens.
    let new_orders = {
        let mut hub = Hub::open(&mut bed.hub, T0 + HOUR).unwrap();
        hub.create_order(BROKER, &form("b", "1", "0", "KRW", "q", "x")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let resent = Hub::open(&mut bed.hub, T0 + 2 * HOUR).unwrap().send_orders(BROKER, true).unwrap().text();
    let mut field = Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap();
    assert!(matches!(field.receive(&new_orders).unwrap(), Received::Orders { ref added, .. } if added.len() == 1));
    assert!(
        matches!(field.receive(&resent).unwrap(), Received::Orders { ref added, already_had: 1, .. } if added.is_empty())
    );
}

#[test]
fn order_batches_arriving_while_a_key_is_pending_keep_working() {
    let mut bed = paired();
    let send = |bed: &mut Bed, alias: &str| {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form(alias, "1", "0", "KRW", "q", "x")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let code_of = |field: &Field<'_, lethe_vault::MemStorage>, alias: &str| {
        field.orders().unwrap().into_iter().find(|o| o.alias == alias).unwrap().code
    };
    let batch_a = send(&mut bed, "A");
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&batch_a).unwrap();
    let a = code_of(&field, "A");
    deliver(&mut field, a, None, "x");
    assert_eq!(field.live_keys(), 2, "the report announces a new key");
    let report_a = field.send().unwrap().text();
    drop(field);
    // B is sealed before the hub has the report: to the first key.
    let batch_b = send(&mut bed, "B");
    let ack_a = Hub::open(&mut bed.hub, T0).unwrap().receive(&report_a).unwrap().ack.unwrap().text();
    // C after: to the new key, still unconfirmed at the field.
    let batch_c = send(&mut bed, "C");
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&batch_b).unwrap();
    field.receive(&batch_c).unwrap();
    field.receive(&ack_a).unwrap();
    assert_eq!(field.live_keys(), 2, "the first key stays while order B, sealed to it, is held");
    let (b, c) = (code_of(&field, "B"), code_of(&field, "C"));
    deliver(&mut field, b, None, "x");
    deliver(&mut field, c, None, "x");
    assert_eq!(field.live_keys(), 3);
    let reports = field.send().unwrap();
    assert_eq!(reports.items, 2);
    drop(field);
    let receipt = Hub::open(&mut bed.hub, T0).unwrap().receive(&reports.text()).unwrap();
    assert!(receipt.results.iter().all(|r| r.outcome == ReportOutcome::Delivered));
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    assert!(
        matches!(field.receive(&receipt.ack.as_ref().unwrap().text()).unwrap(), Received::Ack { ref erased, .. } if erased.len() == 2)
    );
    assert_eq!(field.live_keys(), 1, "every older key is erased once no order needs it");
    assert!(field.orders().unwrap().is_empty());
    for old in [&batch_a, &batch_b, &batch_c] {
        assert!(matches!(field.receive(old), Err(Error::SealedToErasedKey)));
    }
    drop(field);
    let hub = Hub::open(&mut bed.hub, T0).unwrap();
    assert!(hub.orders().unwrap().iter().all(|o| o.status == HubOrderStatus::Delivered));
}

#[test]
fn retention_erases_a_key_once_its_orders_expire() {
    let mut bed = paired();
    let batch = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("kept", "1", "0", "KRW", "q", "x")).unwrap();
        hub.create_order(BROKER, &form("delivered", "1", "0", "KRW", "q", "x")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&batch).unwrap();
    let code = field.orders().unwrap().into_iter().find(|o| o.alias == "delivered").unwrap().code;
    deliver(&mut field, code, None, "x");
    let report = field.send().unwrap().text();
    drop(field);
    let ack = Hub::open(&mut bed.hub, T0).unwrap().receive(&report).unwrap().ack.unwrap().text();
    let mut field = Field::open(&mut bed.field, T0 + HOUR).unwrap();
    field.receive(&ack).unwrap();
    // The undelivered order keeps the first key alive. Control, and the known limit of
    // the design: while it does, a replay of the batch brings back the acknowledged
    // order of the same batch too (one key per received message, not per order).
    assert_eq!(field.live_keys(), 2);
    drop(field);
    let (result, _) = examiner_replays(bed.field_mem.snapshot(), &batch, false, T0 + HOUR);
    assert!(matches!(result, Ok(Received::Orders { ref added, already_had: 1, .. }) if added == &[code]), "{result:?}");
    // The retention window ends: the order goes, and the key with it.
    let mut field = Field::open(&mut bed.field, T0 + 8 * DAY).unwrap();
    assert_eq!(field.erased_on_open().orders, 1);
    assert_eq!(field.live_keys(), 1);
    assert!(matches!(field.receive(&batch), Err(Error::SealedToErasedKey)));
}

#[test]
fn a_broker_cannot_announce_another_brokers_key() {
    let mut bed = paired();
    let (_, mut other) = fresh("other field");
    let other_key = Field::init(&mut other, T0).unwrap().public_key();
    Hub::open(&mut bed.hub, T0).unwrap().add_broker("other", &other_key.to_text()).unwrap();
    let hub_key = Hub::open(&mut bed.hub, T0).unwrap().public_key();
    let mina_secret = {
        let item = bed.field.list().into_iter().find(|i| i.name == "remit.field.key").unwrap();
        let bytes = bed.field.read(item.id).unwrap();
        lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
    };
    let report_announcing = |key: [u8; 32]| {
        let report = lethe_protocol::DeliveryReport {
            order_code: lethe_remit::OrderCode(7),
            amount_handed_minor: 1,
            currency: Currency::Krw,
            delivered_unix_minutes: (T0 / 60) as u32,
            answer: "x".into(),
            media: None,
            next_key: Some(key),
        };
        let message = lethe_protocol::message::Message::new(
            lethe_protocol::message::Payload::Reports(vec![report]),
            (T0 / 60) as u32,
        )
        .unwrap();
        lethe_protocol::seal_message(&mina_secret, &hub_key, &message).unwrap()
    };
    let before = bed.hub_mem.snapshot();
    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    let err = hub.receive(&report_announcing(other_key.to_bytes())).unwrap_err();
    assert!(matches!(err, Error::BrokerKeyExists { ref existing } if existing == "other"), "{err:?}");
    drop(hub);
    assert!(bed.hub_mem.snapshot() == before, "a refused report changed the hub's vault");
    // Control: a fresh key is learned.
    let fresh_key = lethe_protocol::IdentityKeyPair::generate().unwrap().public_key().to_bytes();
    let receipt = Hub::open(&mut bed.hub, T0).unwrap().receive(&report_announcing(fresh_key)).unwrap();
    assert_eq!(receipt.broker, BROKER);
}

/// Message format v2: an order whose code the field holds undelivered, sent again with
/// other terms, replaces it (the hub's edit); the same order sent again unchanged, or
/// after delivery, changes nothing.
#[test]
fn an_order_sent_again_with_new_terms_replaces_the_undelivered_one() {
    use lethe_protocol::message::{Message, Payload};
    let mut bed = paired();
    let first = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("a", "100", "5", "KRW", "q", "x")).unwrap();
        hub.create_order(BROKER, &form("b", "200", "5", "KRW", "q", "x")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let hub_secret = {
        let item = bed.hub.list().into_iter().find(|i| i.name == "remit.hub.identity").unwrap();
        let bytes = bed.hub.read(item.id).unwrap();
        lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&first).unwrap();
    let orders = field.orders().unwrap();
    let a = orders.iter().find(|o| o.alias == "a").unwrap().clone();
    let b = orders.iter().find(|o| o.alias == "b").unwrap().clone();
    deliver(&mut field, b.code, None, "x");
    let order_of = |o: &lethe_remit::FieldOrder, amount: u64, place: &str| lethe_protocol::Order {
        order_code: o.code,
        alias: o.alias.clone(),
        place_hint: place.into(),
        amount_minor: amount,
        currency: o.currency,
        fee_minor: o.fee_minor,
        deadline_unix_minutes: o.deadline_minutes,
        question: o.question.clone(),
    };
    let key = field.public_key();
    let edit = Message::new(
        Payload::Orders(vec![order_of(&a, 150, "다리 옆"), order_of(&b, 999, "다른 곳")]),
        (T0 / 60) as u32 + 1,
    )
    .unwrap();
    let text = lethe_protocol::seal_message(&hub_secret, &key, &edit).unwrap();
    let result = field.receive(&text).unwrap();
    assert!(
        matches!(result, Received::Orders { ref added, ref edited, already_had: 1 } if added.is_empty() && edited == &[a.code]),
        "{result:?}"
    );
    let orders = field.orders().unwrap();
    let a2 = orders.iter().find(|o| o.code == a.code).unwrap();
    assert_eq!((a2.amount_minor, a2.place_hint.as_str(), a2.received_at), (150, "다리 옆", a.received_at));
    let b2 = orders.iter().find(|o| o.code == b.code).unwrap();
    assert_eq!(b2.amount_minor, b.amount_minor, "a delivered order is never edited");
    // Positive control for "unchanged": the same terms again are only counted.
    let again = Message::new(Payload::Orders(vec![order_of(&a, 150, "다리 옆")]), (T0 / 60) as u32 + 2).unwrap();
    let text = lethe_protocol::seal_message(&hub_secret, &key, &again).unwrap();
    assert!(
        matches!(field.receive(&text).unwrap(), Received::Orders { ref edited, already_had: 1, .. } if edited.is_empty())
    );
}

/// Message format v2: the acknowledgement says per order whether it is settled or
/// disputed (with the reason).
#[test]
fn the_acknowledgement_carries_each_orders_status() {
    use lethe_protocol::message::{Message, Payload};
    use lethe_protocol::{AckStatus, open};
    let mut bed = paired();
    // The key the broker paired with signs messages to her until she uses a newer one.
    let hub_key = Hub::open(&mut bed.hub, T0).unwrap().public_key();
    let orders = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("a", "100", "5", "KRW", "q", "right")).unwrap();
        hub.create_order(BROKER, &form("b", "100", "5", "KRW", "q", "right")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&orders).unwrap();
    let held = field.orders().unwrap();
    let a = held.iter().find(|o| o.alias == "a").unwrap().code;
    let b = held.iter().find(|o| o.alias == "b").unwrap().code;
    deliver(&mut field, a, None, "right");
    deliver(&mut field, b, None, "wrong");
    let reports = field.send().unwrap().text();
    drop(field);
    let receipt = Hub::open(&mut bed.hub, T0 + HOUR).unwrap().receive(&reports).unwrap();
    let ack_text = receipt.ack.as_ref().unwrap().text();
    // Open the ack as the field would, to look at its items.
    let field_secret = {
        let keys: Vec<_> = bed.field.list().into_iter().filter(|i| i.name == "remit.field.key").collect();
        keys.iter()
            .map(|i| {
                let bytes = bed.field.read(i.id).unwrap();
                lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
            })
            .collect::<Vec<_>>()
    };
    let sealed = dearmor_unchecked(&ack_text).unwrap();
    let plaintext = field_secret.iter().find_map(|s| open(s, &[hub_key], &sealed).ok()).unwrap().1;
    let message = Message::decode(&plaintext).unwrap();
    let Payload::Acks(ack) = &message.payload else { panic!("not an ack") };
    let status_of = |code| ack.items.iter().find(|i| i.order_code == code).unwrap().clone();
    assert_eq!(status_of(a).status, AckStatus::Settled);
    assert_eq!(status_of(b).status, AckStatus::Disputed);
    assert_eq!(status_of(b).reason, "wrong answer");
    let mut field = Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap();
    // The settled order is erased; the disputed one stays, with the hub's reason.
    let got = field.receive(&ack_text).unwrap();
    assert!(
        matches!(got, Received::Ack { ref erased, ref disputed, .. } if erased == &[a] && disputed == &[(b, "wrong answer".to_owned())]),
        "{got:?}"
    );
    let held = field.orders().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].dispute.as_deref(), Some("wrong answer"));
    assert!(field.outbox().unwrap().is_empty(), "the hub has the report: it is erased");
}

/// Two deliveries with the same photo: each order keeps its own media, both import, and no
/// acknowledgement names an order before its photo is in (unless the hub asks for it).
#[test]
fn the_same_photo_for_two_orders_imports_twice_and_acks_wait_for_media() {
    let mut bed = paired();
    let order_text = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        for alias in ["a", "b", "c"] {
            hub.create_order(BROKER, &form(alias, "1", "0", "KRW", "q", "x")).unwrap();
        }
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let jpeg = photo("PHOTO-SAME-4411", "EXIF-SAME-4411");
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&order_text).unwrap();
    let codes: Vec<_> = field.orders().unwrap().iter().map(|o| o.code).collect();
    for code in &codes {
        field
            .deliver(
                Delivery { code: *code, amount_minor: None, answer: "x", media: Some(DeliveryMedia::Jpeg(&jpeg)) },
                &mut |_, _| {},
            )
            .unwrap();
    }
    let mut sealed = Vec::new();
    for entry in field.outbox().unwrap() {
        let mut file = Vec::new();
        field.write_media(entry.media.unwrap().0, &mut file, &mut |_, _| {}).unwrap();
        sealed.push(file);
    }
    let report = field.send().unwrap().text();
    drop(field);
    assert!(sealed[0] != sealed[1], "each delivery seals its own file");

    let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
    let receipt = hub.receive(&report).unwrap();
    assert!(receipt.results.iter().all(|r| r.has_media && !r.acknowledged));
    assert!(receipt.ack.is_none(), "no order's photo is in: nothing may be acknowledged");
    // The same report again still acknowledges nothing.
    assert!(hub.receive(&report).unwrap().ack.is_none());
    let mut acks = Vec::new();
    let mut imported_codes = Vec::new();
    for file in &sealed[..2] {
        let imported = hub.import_media(std::io::Cursor::new(file), &mut |_, _| {}).unwrap();
        imported_codes.push(imported.code);
        acks.push(imported.ack.text());
    }
    imported_codes.sort();
    let mut first_two = codes[..2].to_vec();
    first_two.sort();
    // Both import (keyed by content alone, the second was refused as imported already).
    assert_eq!(imported_codes.len(), 2);
    assert_ne!(imported_codes[0], imported_codes[1]);
    let with_media = hub.orders().unwrap().iter().filter(|o| o.report.as_ref().unwrap().media_imported).count();
    assert_eq!(with_media, 2);
    for code in &imported_codes {
        let mut out = Vec::new();
        hub.export_media(*code, &mut out, &mut |_, _| {}).unwrap();
        assert!(contains_text(&out, "PHOTO-SAME-4411"));
    }
    // The third order's photo is still missing: the hub may acknowledge it explicitly.
    let explicit = hub.receive_with(&report, true).unwrap();
    assert!(explicit.results.iter().all(|r| r.acknowledged));
    assert_eq!(explicit.ack.as_ref().unwrap().items, 3);
    let third = sealed[2].clone();
    let imported = hub.import_media(std::io::Cursor::new(&third), &mut |_, _| {}).unwrap();
    // All three taken: a fourth import of the same content is refused.
    assert!(matches!(
        hub.import_media(std::io::Cursor::new(&third), &mut |_, _| {}),
        Err(Error::MediaAlreadyImported(_))
    ));
    drop(hub);

    let mut field = Field::open(&mut bed.field, T0).unwrap();
    for ack in &acks {
        assert!(
            matches!(field.receive(ack).unwrap(), Received::Ack { ref erased, unknown: 0, .. } if erased.len() == 1)
        );
    }
    assert_eq!(field.orders().unwrap().len(), 1, "the order whose photo is not in yet stays");
    assert!(
        matches!(field.receive(&imported.ack.text()).unwrap(), Received::Ack { ref erased, .. } if erased.len() == 1)
    );
    assert!(field.orders().unwrap().is_empty() && field.outbox().unwrap().is_empty());
}

/// Corrections at the remit layer: a cancel, then a report that still arrives, counts as
/// delivered; an edit or cancel after a report is refused and changes nothing; a statement
/// for a period has the balance before it.
#[test]
fn corrections_keep_their_history_and_refuse_what_cannot_be_undone() {
    use lethe_remit::{EntryKind, OrderEdit};
    let mut bed = paired();
    let orders = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        hub.create_order(BROKER, &form("a", "100", "10", "CNY", "q", "right")).unwrap();
        hub.record_advance(BROKER, 100_000, Currency::Cny).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(&orders).unwrap();
    let code = field.orders().unwrap()[0].code;
    deliver(&mut field, code, None, "right");
    let report = field.send().unwrap().text();
    drop(field);

    // The hub cancels before the report reaches it: the order is cancelled, not outstanding.
    let mut hub = Hub::open(&mut bed.hub, T0 + DAY).unwrap();
    assert!(hub.cancel_order(code, "too late").unwrap().is_some());
    assert_eq!(hub.orders().unwrap()[0].status, HubOrderStatus::Cancelled);
    assert_eq!(hub.ledger().unwrap()[0].outstanding, 0);
    // The report arrives anyway: the money was handed over, so it counts.
    hub.receive(&report).unwrap();
    assert_eq!(hub.orders().unwrap()[0].status, HubOrderStatus::Delivered);
    let row = &hub.ledger().unwrap()[0];
    assert_eq!((row.delivered, row.fees_owed, row.balance), (10_000, 1_000, 89_000));
    // Nothing can be edited or cancelled after a report; nothing changes.
    let before = bed.hub_mem.snapshot();
    let edit = OrderEdit::parse("amount: 5", Currency::Cny, 10_000).unwrap();
    assert!(matches!(hub.edit_order(code, &edit), Err(Error::CannotCorrect(_))));
    assert!(matches!(hub.cancel_order(code, "x"), Err(Error::CannotCorrect(_))));
    assert!(matches!(hub.adjust(BROKER, -500, Currency::Cny, " "), Err(Error::CannotCorrect(_))));
    assert!(bed.hub_mem.snapshot() == before);
    drop(hub);

    // An adjustment two days later; a statement from that day has the balance before it.
    let mut hub = Hub::open(&mut bed.hub, T0 + 3 * DAY).unwrap();
    hub.adjust(BROKER, -500, Currency::Cny, "coin rounding").unwrap();
    let day = lethe_remit::time::format_date_minutes(((T0 + 3 * DAY) / 60) as u32);
    let statement = hub.statement(BROKER, Some(&day), None).unwrap();
    assert_eq!(statement.entries.len(), 1);
    assert_eq!(statement.entries[0].kind, EntryKind::Adjustment);
    assert_eq!(statement.entries[0].note, "coin rounding");
    assert_eq!(statement.opening, [(Currency::Cny, 89_000)]);
    assert_eq!(statement.closing, [(Currency::Cny, 88_500)]);
    assert_eq!(hub.ledger().unwrap()[0].balance, 88_500);
    let history = hub.history(Some(BROKER)).unwrap();
    assert!(history.iter().any(|e| e.kind == EntryKind::Cancelled && e.note == "too late"));
}

/// Remote pairing (commit, then reveal): both sides show the same 12-digit code and hold
/// the same channel key; a broker key swapped before the reveal is refused by the hub and
/// ends the attempt; texts of the wrong step are named.
#[test]
fn remote_pairing_commits_before_it_reveals() {
    use lethe_remit::{FieldPairStep, PairStep};
    let (_hub_mem, mut hub_vault) = fresh(HUB_PASS);
    let (_field_mem, mut field_vault) = fresh(FIELD_PASS);
    let mut hub = Hub::init(&mut hub_vault, T0).unwrap();
    let mut field = Field::init(&mut field_vault, T0).unwrap();
    assert!(matches!(field.channel_key(), Err(Error::NotPaired)));
    let request = field.pair_request().unwrap();
    let PairStep::Answer(answer) = hub.pair_step(BROKER, &request).unwrap() else { panic!("no answer") };
    // The hub's answer pasted back into the hub is named as such.
    let err = hub.pair_step(BROKER, &answer).unwrap_err();
    assert!(err.to_string().contains("the hub's pairing answer"), "{err}");
    let FieldPairStep { safety_code, reveal: Some(reveal) } = field.pair_step(&answer).unwrap() else {
        panic!("no reveal")
    };
    assert_eq!(safety_code.len(), 15, "{safety_code}");
    assert!(matches!(field.pair_request(), Err(Error::AlreadyPaired)));

    // Positive control for the refusal below: another broker's reveal against this request.
    let (_m, mut mallory_vault) = fresh(FIELD_PASS);
    let mut mallory = Field::init(&mut mallory_vault, T0).unwrap();
    mallory.pair_request().unwrap();
    let PairStep::Answer(answer_m) = hub.pair_step("other", &mallory.pair_request().unwrap()).unwrap() else {
        panic!()
    };
    let forged = mallory.pair_step(&answer_m).unwrap().reveal.unwrap();
    // Mallory's reveal does not open mina's request: refused, and the attempt is over.
    let err = hub.pair_step(BROKER, &forged).unwrap_err();
    assert!(matches!(err, Error::Pairing(_)), "{err:?}");
    assert!(matches!(hub.pair_step(BROKER, &reveal), Err(Error::NoPairingPending(_))));
    assert!(hub.brokers().unwrap().iter().all(|b| b.name != BROKER));
    // The same reveal completes the request it belongs to.
    assert!(matches!(hub.pair_step("other", &forged).unwrap(), PairStep::Paired(_)));

    // Start again; the honest reveal pairs, with the same code on both sides.
    let (_f2, mut field_vault2) = fresh(FIELD_PASS);
    let mut field2 = Field::init(&mut field_vault2, T0).unwrap();
    let PairStep::Answer(answer2) = hub.pair_step(BROKER, &field2.pair_request().unwrap()).unwrap() else { panic!() };
    let step = field2.pair_step(&answer2).unwrap();
    let PairStep::Paired(broker) = hub.pair_step(BROKER, step.reveal.as_ref().unwrap()).unwrap() else { panic!() };
    assert!(broker.remote);
    assert_eq!(broker.safety_code, step.safety_code);
    assert_eq!(Some(broker.safety_code.clone()), field2.safety_code());
    assert_eq!(Some(broker.fingerprint.clone()), field2.fingerprint());
    assert_eq!(*hub.channel_key(BROKER).unwrap(), *field2.channel_key().unwrap());
    assert_ne!(*hub.channel_key(BROKER).unwrap(), *hub.channel_key("other").unwrap());
    // The first phone, paired with nothing the hub kept, shows another code.
    assert_ne!(Some(broker.safety_code), field.safety_code());
    drop(field2);
    // Messages flow over the remote pairing.
    hub.create_order(BROKER, &form("a", "1", "0", "KRW", "q", "x")).unwrap();
    let orders = hub.send_orders(BROKER, false).unwrap().text();
    drop(hub);
    let mut field2 = Field::open(&mut field_vault2, T0).unwrap();
    assert!(matches!(field2.receive(&orders).unwrap(), Received::Orders { ref added, .. } if added.len() == 1));
}

/// Direct pairing (in person) compares the full 160-bit fingerprint, and both sides hold
/// the same channel key.
#[test]
fn direct_pairing_compares_the_full_fingerprint() {
    let mut bed = paired();
    let hub = Hub::open(&mut bed.hub, T0).unwrap();
    let broker = hub.brokers().unwrap().remove(0);
    assert!(!broker.remote);
    assert_eq!(broker.safety_code, broker.fingerprint);
    assert_eq!(broker.fingerprint.replace(' ', "").len(), 32);
    let hub_key = *hub.channel_key(BROKER).unwrap();
    drop(hub);
    let field = Field::open(&mut bed.field, T0).unwrap();
    assert_eq!(hub_key, *field.channel_key().unwrap());
}

/// A message too large for the channel goes in numbered parts, read back in any order;
/// a missing part is named, and each part is as unmarked as a whole message.
#[test]
fn a_long_message_travels_in_parts_read_in_any_order() {
    let mut bed = paired();
    let out = {
        let mut hub = Hub::open(&mut bed.hub, T0).unwrap();
        for i in 0..10 {
            hub.create_order(BROKER, &form(&format!("별칭 {i}"), "1", "0", "KRW", "강아지 이름이 뭐였어요?", "x"))
                .unwrap();
        }
        hub.send_orders(BROKER, false).unwrap()
    };
    let parts = out.parts(500).unwrap();
    assert!(parts.len() >= 3, "{} parts", parts.len());
    assert!(parts.iter().all(|p| p.replace([' ', '\n'], "").len() <= 500));
    assert!(parts.iter().all(|p| lethe_protocol::dearmor(p).is_err()), "a part carries a public CRC");
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    let before = bed.field_mem.snapshot();
    // All but the first: refused, naming the missing part, nothing changed.
    let some: Vec<String> = parts[1..].to_vec();
    let err = field.receive(&some.join("\n\n")).unwrap_err();
    assert!(err.to_string().contains("part 1 is missing"), "{err}");
    drop(field);
    assert!(bed.field_mem.snapshot() == before);
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    let mut shuffled = parts.clone();
    shuffled.reverse();
    let result = field.receive(&shuffled.join("\n\n")).unwrap();
    assert!(matches!(result, Received::Orders { ref added, .. } if added.len() == 10), "{result:?}");
    // One QR code's worth: one text.
    assert_eq!(out.parts(lethe_protocol::parts::QR_MAX_CHARS).unwrap().len(), 1);
}
