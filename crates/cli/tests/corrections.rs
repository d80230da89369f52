//! The corrections a real operation needs, through the real binary: an order edited,
//! cancelled, disputed and resolved, a report withdrawn, an account adjusted, a statement, a
//! broker's new phone, a wrong pairing undone, and a broker removed once settled. Each
//! refusal is checked to change no byte of the container.

mod cli_support;

use cli_support::*;

const HUB: &str = "hub corrections pass";
const FIELD: &str = "field corrections pass";
const PHONE: &str = "new phone pass";

/// The line of `table` naming `code`.
fn line_of(table: &str, code: &str) -> String {
    table.lines().find(|l| l.contains(code)).unwrap_or_else(|| panic!("{code} not in\n{table}")).to_owned()
}

/// Adjusts mina's account at the hub by `amount` CNY.
fn adjust_mina(hub: &str, amount: &str, reason: &str) {
    ok(run(
        &["hub", "adjust", hub, "--broker", "mina", "--amount", amount, "--currency", "CNY", "--reason", reason],
        &[HUB],
        b"",
    ));
}

#[test]
fn edit_cancel_dispute_resolve_withdraw_adjust_statement_new_phone_remove() {
    let dir = Scratch::new("corrections");
    let (hub_path, field_path, phone_path) = (dir.join("hub.vault"), dir.join("field.vault"), dir.join("phone.vault"));
    let (hub, field, phone) = (v(&hub_path), v(&field_path), v(&phone_path));
    init(&hub_path, "4M", HUB);
    init(&field_path, "4M", FIELD);
    let hub_key = out(&ok(run(&["hub", "init", hub], &[HUB], b"")));
    let field_key = out(&ok(run(&["field", "init", field], &[FIELD], b"")));
    ok(run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB], field_key.as_bytes()));
    ok(run(&["field", "pair", field], &[FIELD], hub_key.as_bytes()));

    // Order forms in Korean and Chinese keys; a fee as a percentage.
    let order = |form: &str| {
        out(&ok(run(&["hub", "order", hub, "--broker", "mina"], &[HUB], form.as_bytes()))).trim().to_owned()
    };
    let a = order("별칭: 가\n금액: 100\n통화: CNY\n수수료: 10%\n질문: q\n답: right\n");
    let b = order("别名：乙\n金额：200\n货币：CNY\n问题：q\n答案：right\n");
    let c = order("alias: c\namount: 300\ncurrency: CNY\nquestion: q\nanswer: right\n");
    let d = order("alias: d\namount: 50\ncurrency: CNY\nquestion: q\nanswer: right\n");
    let table = out(&ok(run(&["hub", "orders", hub], &[HUB], b"")));
    assert!(line_of(&table, &a).contains("100.00 CNY"), "{table}");
    let orders = out(&ok(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b"")));
    ok(run(&["field", "receive", field], &[FIELD], orders.as_bytes()));

    // Edit: the new amount and deadline replace the old ones on her phone.
    ok(run(&["hub", "edit", hub, &b], &[HUB], b"amount: 250\ndeadline: 2099-01-31\n"));
    let before = std::fs::read(&hub_path).unwrap();
    fails(run(&["hub", "edit", hub, &b], &[HUB], b"alias: someone else\n"), 2);
    intact(&before, &hub_path, HUB, "a refused edit changed the hub");
    let edited = out(&ok(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b"")));
    ok(run(&["field", "receive", field], &[FIELD], edited.as_bytes()));
    let held = out(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert!(line_of(&held, &b).contains("250.00 CNY") && line_of(&held, &b).contains("2099-01-31"), "{held}");

    // Cancel: the message erases the order at the field; the reason is kept at the hub.
    let cancel = ok(run(&["hub", "cancel", hub, &c, "--reason", "recipient moved away"], &[HUB], b""));
    let before = std::fs::read(&hub_path).unwrap();
    assert!(fails(run(&["hub", "cancel", hub, &c, "--reason", "again"], &[HUB], b""), 9).contains("already"));
    intact(&before, &hub_path, HUB, "refused");
    let got = ok(run(&["field", "receive", field], &[FIELD], &cancel.stdout));
    assert!(err(&got).contains(&c), "{}", err(&got));
    let held = out(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert!(!held.contains(&c), "{held}");
    let table = out(&ok(run(&["hub", "orders", hub], &[HUB], b"")));
    assert!(
        line_of(&table, &c).contains("cancelled") && line_of(&table, &c).contains("recipient moved away"),
        "{table}"
    );
    // A cancelled order is not sent again.
    fails(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b""), 1);

    // Deliveries: without a terminal and without --yes, nothing is sealed.
    let before = std::fs::read(&field_path).unwrap();
    let e = fails(run(&["field", "deliver", field, &a], &[FIELD, "right"], b""), 9);
    assert!(e.contains("--yes"), "{e}");
    intact(&before, &field_path, FIELD, "refused");
    ok(run(&["field", "deliver", field, &a, "--yes"], &[FIELD, "right"], b""));
    // Withdraw a report not yet sent: the order is pending again; deliver it again.
    ok(run(&["field", "withdraw", field, &a], &[FIELD], b""));
    let held = out(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert!(line_of(&held, &a).contains("pending"), "{held}");
    fails(run(&["field", "withdraw", field, &a], &[FIELD], b""), 9);
    ok(run(&["field", "deliver", field, &a, "--yes"], &[FIELD, "right"], b""));
    ok(run(&["field", "deliver", field, &d, "--yes"], &[FIELD, "wrong"], b""));
    let reports = out(&ok(run(&["field", "send", field], &[FIELD], b"")));

    // The acknowledgement settles a and disputes d, with the reason; d stays at the field.
    let ack = ok(run(&["hub", "receive", hub], &[HUB], reports.as_bytes()));
    let got = ok(run(&["field", "receive", field], &[FIELD], &ack.stdout));
    assert!(err(&got).contains(&format!("DISPUTES order {d}: wrong answer")), "{}", err(&got));
    let held = out(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert!(!held.contains(&a), "{held}");
    assert!(line_of(&held, &d).contains("DISPUTED: wrong answer"), "{held}");

    // Resolve d as delivered with 40 (a note is required); the message erases it at the field.
    let before = std::fs::read(&hub_path).unwrap();
    fails(run(&["hub", "resolve", hub, &a, "--delivered", "--note", "x"], &[HUB], b""), 9);
    fails(run(&["hub", "resolve", hub, &d, "--delivered"], &[HUB], b""), 9);
    intact(&before, &hub_path, HUB, "refused");
    let resolved = ok(run(
        &["hub", "resolve", hub, &d, "--delivered", "--amount", "40", "--note", "confirmed by phone"],
        &[HUB],
        b"",
    ));
    ok(run(&["field", "receive", field], &[FIELD], &resolved.stdout));
    let held = out(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert!(!held.contains(&d), "{held}");

    // Ledger and statement: advance 500, a 100 + fee 10, d resolved 40, adjustment -5.
    ok(run(&["hub", "advance", hub, "--broker", "mina", "--amount", "500", "--currency", "CNY"], &[HUB], b""));
    adjust_mina(hub, "-5", "counting error");
    let before = std::fs::read(&hub_path).unwrap();
    fails(run(&["hub", "adjust", hub, "--broker", "mina", "--amount", "5", "--currency", "CNY"], &[HUB], b""), 9);
    intact(&before, &hub_path, HUB, "an adjustment without a reason changed the hub");
    let ledger = out(&ok(run(&["hub", "ledger", hub], &[HUB], b"")));
    let cny = line_of(&ledger, "CNY");
    let cells: Vec<&str> = cny.split_whitespace().collect();
    assert_eq!(cells, ["mina", "CNY", "500.00", "140.00", "10.00", "0.00", "250.00", "-5.00", "345.00"], "{ledger}");
    let statement = out(&ok(run(&["hub", "statement", hub, "--broker", "mina"], &[HUB], b"")));
    for needed in [
        "advance",
        "+500.00",
        "delivery",
        "-100.00",
        "fee",
        "-10.00",
        "-40.00",
        "confirmed by phone",
        "adjustment",
        "counting error",
        "cancelled",
        "recipient moved away",
        "edited",
        "amount 200.00 CNY -> 250.00 CNY",
        "closing balance",
    ] {
        assert!(statement.contains(needed), "{needed} missing:\n{statement}");
    }
    assert!(line_of(&statement, "closing balance").contains("345.00"), "{statement}");
    // A period before anything happened: no entries, both balances 0.
    let old = out(&ok(run(
        &["hub", "statement", hub, "--broker", "mina", "--from", "2020-01-01", "--to", "2020-12-31"],
        &[HUB],
        b"",
    )));
    assert!(!old.contains("advance") && line_of(&old, "closing balance").contains(" 0.00"), "{old}");

    // A wrong pairing is undone before any order arrives; not after.
    init(&phone_path, "4M", PHONE);
    ok(run(&["field", "init", phone], &[PHONE], b""));
    let other_hub = dir.join("other-hub.vault");
    init(&other_hub, "4M", HUB);
    let wrong_key = out(&ok(run(&["hub", "init", v(&other_hub)], &[HUB], b"")));
    ok(run(&["field", "pair", phone], &[PHONE], wrong_key.as_bytes()));
    fails(run(&["field", "pair", phone], &[PHONE], hub_key.as_bytes()), 9);
    ok(run(&["field", "unpair", phone], &[PHONE], b""));
    let before = std::fs::read(&field_path).unwrap();
    fails(run(&["field", "unpair", field], &[FIELD], b""), 9);
    intact(&before, &field_path, FIELD, "refused");

    // Her new phone is paired under her name in the steps of add-broker (request, answer,
    // her pairing key, a code read aloud). add-broker itself refuses: she is paired already.
    let request = out(&ok(run(&["field", "pair-request", phone], &[PHONE], b"")));
    let before = std::fs::read(&hub_path).unwrap();
    assert!(fails(run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB], request.as_bytes()), 9).contains("mina"));
    intact(&before, &hub_path, HUB, "refused");
    // A name the hub does not know is refused, and changes nothing.
    fails(run(&["hub", "new-key", hub, "--name", "nobody"], &[HUB], request.as_bytes()), 6);
    intact(&before, &hub_path, HUB, "refused");
    let answer = out(&ok(run(&["hub", "new-key", hub, "--name", "mina"], &[HUB], request.as_bytes())));
    // Someone in between answers with a key of his own (his own request, the hub's answer):
    // it does not match the request the hub holds, so it is refused and that attempt ends.
    let intruder_path = dir.join("intruder.vault");
    let intruder = v(&intruder_path);
    init(&intruder_path, "4M", PHONE);
    ok(run(&["field", "init", intruder], &[PHONE], b""));
    ok(run(&["field", "pair-request", intruder], &[PHONE], b""));
    let forged = out(&ok(run(&["field", "pair", intruder], &[PHONE], answer.as_bytes())));
    let brokers_before = out(&ok(run(&["hub", "brokers", hub], &[HUB], b"")));
    fails(run(&["hub", "new-key", hub, "--name", "mina"], &[HUB], forged.as_bytes()), 10);
    assert_eq!(out(&ok(run(&["hub", "brokers", hub], &[HUB], b""))), brokers_before, "a forged key was paired");
    // So she starts again, and this time nobody is in between.
    let request = out(&ok(run(&["field", "pair-request", phone], &[PHONE], b"")));
    let answer = out(&ok(run(&["hub", "new-key", hub, "--name", "mina"], &[HUB], request.as_bytes())));
    let reveal = out(&ok(run(&["field", "pair", phone], &[PHONE], answer.as_bytes())));
    let code_hub = out(&ok(run(&["hub", "new-key", hub, "--name", "mina"], &[HUB], reveal.as_bytes())));
    let code_phone = out(&ok(run(&["field", "safety-code", phone], &[PHONE], b"")));
    assert_eq!(code_hub.trim().len(), 15, "{code_hub}");
    assert_eq!(code_hub, code_phone);
    assert_ne!(out(&ok(run(&["hub", "brokers", hub], &[HUB], b""))), brokers_before);
    // Her old phone's key is forgotten: a report from it no longer opens at the hub.
    ok(run(&["field", "deliver", field, &b, "--yes"], &[FIELD, "right"], b""));
    let old_report = out(&ok(run(&["field", "send", field], &[FIELD], b"")));
    let before = std::fs::read(&hub_path).unwrap();
    fails(run(&["hub", "receive", hub], &[HUB], old_report.as_bytes()), 10);
    intact(&before, &hub_path, HUB, "refused");

    let resent = out(&ok(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b"")));
    let got = out(&ok(run(&["field", "receive", phone], &[PHONE], resent.as_bytes())));
    assert!(got.contains(&b), "{got}");

    // Removing her is refused while an order is open or her balance is not zero.
    let before = std::fs::read(&hub_path).unwrap();
    assert!(fails(run(&["hub", "remove-broker", hub, "--name", "mina"], &[HUB], b""), 9).contains(&b));
    intact(&before, &hub_path, HUB, "refused");
    let cancel = ok(run(&["hub", "cancel", hub, &b], &[HUB], b"no longer needed\n"));
    ok(run(&["field", "receive", phone], &[PHONE], &cancel.stdout));
    assert!(fails(run(&["hub", "remove-broker", hub, "--name", "mina"], &[HUB], b""), 9).contains("345.00"));
    adjust_mina(hub, "-345", "settled in cash");
    // Positive control: the hub's records name her orders before the removal.
    let listing = out(&ok(run(&["ls", hub, "--all"], &[HUB], b"")));
    assert!(listing.contains("remit.hub.order") && listing.contains("remit.hub.correction"), "{listing}");
    ok(run(&["hub", "remove-broker", hub, "--name", "mina"], &[HUB], b""));
    let listing = out(&ok(run(&["ls", hub, "--all"], &[HUB], b"")));
    for gone in ["remit.hub.broker", "remit.hub.order", "remit.hub.advance", "remit.hub.correction"] {
        assert!(!listing.contains(gone), "{gone} left:\n{listing}");
    }
    assert!(out(&ok(run(&["hub", "ledger", hub], &[HUB], b""))).lines().count() <= 1);
}
