//! The real `lethe` binary, end to end: a hub and a field broker in two containers pair,
//! exchange orders, reports with a photo, and an acknowledgement as text through
//! standard input and output. Passphrases and the recipient's answer travel through a
//! pipe named by `--passphrase-fd`, never argv. Each unlock costs about a second of
//! Argon2id, so the whole story is one test of about 25 invocations.

mod cli_support;

use cli_support::*;
use std::path::{Path, PathBuf};

const HUB_PASS: &str = "hub correct horse";
const FIELD_PASS: &str = "field battery staple";
const ALIAS: &str = "ALIAS-Hyesan-5521";
const QUESTION: &str = "QUESTION-dog-5521";
const PHOTO: &str = "PHOTO-SCAN-5521";
const EXIF: &str = "EXIF-GPS-41.4N-5521";

/// A hub's and a field's container in `dir`, each made with its passphrase.
fn two_containers(dir: &Scratch) -> (PathBuf, PathBuf) {
    let (hub, field) = (dir.join("hub.vault"), dir.join("field.vault"));
    init(&hub, "4M", HUB_PASS);
    init(&field, "4M", FIELD_PASS);
    (hub, field)
}

#[test]
fn hub_and_field_end_to_end() {
    let dir = Scratch::new("hub-field");
    let (hub, field) = two_containers(&dir);
    let (hub, field) = (v(&hub), v(&field));

    // Pairing.
    let hub_png = dir.join("hub-key.png");
    let hub_key = ok_run(&["hub", "init", hub, "--qr", v(&hub_png)], &[HUB_PASS], "");
    assert!(std::fs::read(&hub_png).unwrap().starts_with(b"\x89PNG"));
    let out = run(&["field", "init", field, "--qr-terminal"], &[FIELD_PASS], "");
    assert!(text(&out.stderr).contains('█'), "no QR drawn");
    let field_key = text(&ok(out).stdout);
    assert_eq!(hub_key.trim().len(), 69);
    let code_at_hub = ok_run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB_PASS], &field_key);
    let code_at_field = ok_run(&["field", "pair", field], &[FIELD_PASS], &hub_key);
    assert_eq!(code_at_hub, code_at_field);
    assert_eq!(code_at_hub.trim().len(), 39, "in person: the 160-bit fingerprint");

    // Orders: the form comes on stdin, never argv. A bad form is refused before unlocking.
    let err = fails(run(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], "alias: x\n"), 2);
    assert!(err.contains("needs"), "{err}");
    let form1 = format!(
        "alias: {ALIAS}\nplace: 혜산 시장\namount: 1,500.50\ncurrency: CNY\nfee: 30\ndeadline: 2099-12-01\n\
         question: {QUESTION}\nanswer: Rex the Dog\n"
    );
    let code1 = ok_run(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], &form1).trim().to_owned();
    let form2 = "alias: 작은 삼촌\namount: 200만\ncurrency: KRW\nquestion: 고향은?\nanswer: 백암리\n";
    let code2 = ok_run(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], form2).trim().to_owned();
    assert_eq!(code1.len(), 8);
    let orders_png = dir.join("orders.png");
    let orders = ok_run(&["hub", "send", hub, "--broker", "mina", "--qr", v(&orders_png)], &[HUB_PASS], "");
    assert!(orders_png.exists());
    assert!(!contains(orders.as_bytes(), ALIAS));

    // The field: a mistyped message changes nothing; the real one once; a replay is refused.
    let before = std::fs::read(field).unwrap();
    let mut typo = orders.clone().into_bytes();
    let at = typo.iter().position(|c| c.is_ascii_alphanumeric()).unwrap();
    typo[at] = if typo[at] == b'Q' { b'R' } else { b'Q' };
    let err = fails(run(&["field", "receive", field], &[FIELD_PASS], std::str::from_utf8(&typo).unwrap()), 10);
    assert!(err.contains("mistyped"), "{err}");
    intact(&before, field, FIELD_PASS, "a mistyped message changed the container");
    let added = ok_run(&["field", "receive", field], &[FIELD_PASS], orders.to_lowercase());
    assert!(added.contains(&code1) && added.contains(&code2));
    let after = std::fs::read(field).unwrap();
    let err = fails(run(&["field", "receive", field], &[FIELD_PASS], &orders), 10);
    assert!(err.contains("received before"), "{err}");
    intact(&after, field, FIELD_PASS, "a replay changed the container");
    let table = ok_run(&["field", "orders", field], &[FIELD_PASS], "");
    assert!(table.contains(ALIAS) && table.contains(QUESTION) && table.contains("1,500.50 CNY"), "{table}");

    // Deliveries: the answer is the line after the passphrase; the photo is shredded.
    let photo_path = dir.join("photo.jpg");
    std::fs::write(&photo_path, jpeg(PHOTO, Some(EXIF))).unwrap();
    ok_run(
        &["field", "deliver", field, &code1, "--amount", "1,400", "--media", v(&photo_path), "--shred-source", "--yes"],
        &[FIELD_PASS, "  rex THE dog! "],
        "",
    );
    assert!(!photo_path.exists(), "the photo was not shredded");
    // An empty answer is said to be empty; more than the order cannot be recorded; neither
    // changes the container.
    let before = std::fs::read(field).unwrap();
    let err = fails(run(&["field", "deliver", field, &code2, "--yes"], &[FIELD_PASS, ""], ""), 2);
    assert!(err.contains("the answer is empty"), "{err}");
    let err =
        fails(run(&["field", "deliver", field, &code2, "--amount", "300만", "--yes"], &[FIELD_PASS, "검둥이"], ""), 2);
    assert!(err.contains("is for 2,000,000 KRW") && err.contains("Nothing was changed"), "{err}");
    let err =
        fails(run(&["field", "deliver", field, &code2, "--amount", "1만만", "--yes"], &[FIELD_PASS, "검둥이"], ""), 2);
    assert!(err.contains("cannot read the amount '1만만'"), "{err}");
    intact(&before, field, FIELD_PASS, "a refused delivery changed the container");
    ok_run(&["field", "deliver", field, &code2.to_lowercase(), "--yes"], &[FIELD_PASS, "검둥이"], "");
    let media_dir = dir.join("outbox");
    std::fs::create_dir(&media_dir).unwrap();
    let reports = ok_run(&["field", "send", field, "--media-dir", v(&media_dir)], &[FIELD_PASS], "");
    let media_files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(media_files.len(), 1);
    let mode = |p: &Path| std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions()) & 0o777;
    assert_eq!(mode(&media_files[0]), 0o600, "field send --media-dir made a file others can read");
    let sealed_media = std::fs::read(&media_files[0]).unwrap();
    assert!(!contains(&sealed_media, PHOTO) && !contains(&sealed_media, EXIF));

    // The hub verifies, imports the photo, exports it.
    let out = run(&["hub", "receive", hub], &[HUB_PASS], &reports);
    let words = text(&out.stderr);
    // 1,400 of 1,500.50 with the right answer: partly delivered.
    assert!(words.contains(&format!("{code1}  PARTLY delivered")), "{words}");
    assert!(words.contains(&format!("{code2}  DISPUTED (wrong answer)")), "{words}");
    assert!(words.contains("media not imported yet"), "{words}");
    // The acknowledgement names only code2: code1's photo is not in yet.
    let ack = text(&ok(out).stdout);
    let media_out = run(&["hub", "media", hub, v(&media_files[0])], &[HUB_PASS], "");
    assert!(text(&media_out.stderr).contains(&code1), "{}", text(&media_out.stderr));
    let media_ack = text(&ok(media_out).stdout);
    let exported = dir.join("exported.jpg");
    ok_run(&["hub", "export-media", hub, &code1, "-o", v(&exported)], &[HUB_PASS], "");
    assert_eq!(mode(&exported), 0o600, "hub export-media made a file others can read");
    assert_eq!(mode(&orders_png), 0o600, "--qr made a file others can read");
    let exported = std::fs::read(&exported).unwrap();
    assert!(contains(&exported, PHOTO), "the picture did not arrive");
    assert!(!contains(&exported, EXIF), "the photo's metadata reached the hub");
    let table = ok_run(&["hub", "orders", hub], &[HUB_PASS], "");
    assert!(table.contains("disputed: wrong answer") && table.contains("delivered"), "{table}");
    assert!(table.contains(ALIAS), "positive control: the hub's records name the alias");
    let err = fails(
        run(&["hub", "advance", hub, "--broker", "mina", "--amount", "0", "--currency", "cny"], &[HUB_PASS], ""),
        2,
    );
    assert!(err.contains("the amount cannot be zero"), "{err}");
    ok_run(&["hub", "advance", hub, "--broker", "mina", "--amount", "5,000", "--currency", "cny"], &[HUB_PASS], "");
    let ledger = ok_run(&["hub", "ledger", hub], &[HUB_PASS], "");
    let cny = ledger.lines().find(|l| l.contains("CNY")).unwrap();
    let cells: Vec<&str> = cny.split_whitespace().collect();
    // Partial: the fee follows the amount (30 × 1,400 / 1,500.50, rounded down); the
    // rest (100.50) stays outstanding.
    assert_eq!(
        cells,
        ["mina", "CNY", "5,000.00", "1,400.00", "27.99", "0.00", "100.50", "0.00", "3,572.01"],
        "{ledger}"
    );
    let krw = ledger.lines().find(|l| l.contains("KRW")).unwrap();
    let cells: Vec<&str> = krw.split_whitespace().collect();
    assert_eq!(cells, ["mina", "KRW", "0", "0", "0", "2,000,000", "0", "0", "0"], "{ledger}");

    // The acknowledgement: the disputed order stays at the field with the hub's reason.
    let out = run(&["field", "receive", field], &[FIELD_PASS], &ack);
    assert!(
        text(&out.stderr).contains(&format!("The hub DISPUTES order {code2}: wrong answer")),
        "{}",
        text(&out.stderr)
    );
    ok(out);
    let table = ok_run(&["field", "orders", field], &[FIELD_PASS], "");
    assert!(table.contains(&code1) && table.contains(&code2), "{table}");
    // The hub resolves it as cancelled; its message erases the order at the field.
    let resolved =
        ok_run(&["hub", "resolve", hub, &code2, "--cancelled", "--note", "not handed over"], &[HUB_PASS], "");
    ok_run(&["field", "receive", field], &[FIELD_PASS], &resolved);
    let table = ok_run(&["field", "orders", field], &[FIELD_PASS], "");
    assert!(table.contains(&code1) && !table.contains(&code2), "{table}");
    ok_run(&["field", "receive", field], &[FIELD_PASS], &media_ack);
    let table = ok_run(&["field", "orders", field], &[FIELD_PASS], "");
    assert_eq!(table.lines().count(), 1, "{table}");
    let listing = ok_run(&["ls", field, "--all"], &[FIELD_PASS], "");
    assert!(!listing.contains("order") && !listing.contains("report") && !listing.contains("media"), "{listing}");
    let raw = std::fs::read(field).unwrap();
    for marker in [ALIAS, QUESTION, PHOTO, EXIF, "rexthedog", "Rex the Dog"] {
        assert!(!contains(&raw, marker), "{marker} in the field's container file");
    }
    let settings = ok_run(&["field", "settings", field, "--retention-days", "3"], &[FIELD_PASS], "");
    assert_eq!(settings.trim(), "retention-days: 3\ncover: none");
}

/// Remote pairing through the command line: the field's request, the hub's answer, the
/// field's key last; both show the same 12-digit code. A pairing key read without a request
/// waiting is refused; texts of the wrong step are named.
#[test]
fn remote_pairing_by_command_line() {
    let dir = Scratch::new("hub-field");
    let (hub, field) = two_containers(&dir);
    let (hub, field) = (v(&hub), v(&field));
    ok_run(&["hub", "init", hub], &[HUB_PASS], "");
    ok_run(&["field", "init", field], &[FIELD_PASS], "");
    let request = ok_run(&["field", "pair-request", field], &[FIELD_PASS], "");
    // The request pasted into the field is the wrong step, and named as such.
    let err = fails(run(&["field", "pair", field], &[FIELD_PASS], &request), 10);
    assert!(err.contains("pairing request"), "{err}");
    let answer = ok_run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB_PASS], &request);
    let out = run(&["field", "pair", field], &[FIELD_PASS], &answer);
    let words = text(&out.stderr);
    let reveal = text(&ok(out).stdout);
    let code_at_hub = ok_run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB_PASS], &reveal);
    assert_eq!(code_at_hub.trim().len(), 15, "{code_at_hub}");
    assert!(words.contains(code_at_hub.trim()), "field shows another code: {words}");
    let code_at_field = ok_run(&["field", "safety-code", field], &[FIELD_PASS], "");
    assert_eq!(code_at_field, code_at_hub);
    // The same key again: no request waits any more.
    let err = fails(run(&["hub", "add-broker", hub, "--name", "other"], &[HUB_PASS], &reveal), 9);
    assert!(err.contains("no pairing request"), "{err}");

    // A long message in parts, as QR codes; read back from the pictures in another order.
    for i in 0..8 {
        let form = format!("alias: 별칭 {i}\namount: 1\ncurrency: KRW\nquestion: 강아지 이름이 뭐였어요?\nanswer: x\n");
        ok_run(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], &form);
    }
    let png = dir.join("orders.png");
    let out = run(&["hub", "send", hub, "--broker", "mina", "--max-chars", "400", "--qr", v(&png)], &[HUB_PASS], "");
    assert!(text(&out.stderr).contains("parts"), "{}", text(&out.stderr));
    let sent = text(&ok(out).stdout);
    let count = sent.split("\n\n").count();
    assert!(count >= 3, "{count} parts");
    let mut args: Vec<String> = vec!["field".into(), "receive".into(), field.into()];
    for i in (1..=count).rev() {
        let part = dir.join(&format!("orders-{i}.png"));
        assert!(part.exists(), "no {}", part.display());
        args.extend(["--image".into(), v(&part).into()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let added = ok_run(&args, &[FIELD_PASS], "");
    assert_eq!(added.lines().count(), 8, "{added}");
    // A picture without the first part: the missing part is named, nothing changes.
    let err = fails(run(&["field", "receive", field, "--image", v(&dir.join("orders-2.png"))], &[FIELD_PASS], ""), 10);
    assert!(err.contains("missing"), "{err}");
}
