//! The real `lethe` binary, end to end: a hub and a field broker in two containers pair,
//! exchange orders, reports with a photo, and an acknowledgement as text through
//! standard input and output. Passphrases and the recipient's answer travel through a
//! pipe named by `--passphrase-fd`, never argv. Each unlock costs about a second of
//! Argon2id, so the whole story is one test of about 25 invocations.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const HUB_PASS: &str = "hub correct horse";
const FIELD_PASS: &str = "field battery staple";
const ALIAS: &str = "ALIAS-Hyesan-5521";
const QUESTION: &str = "QUESTION-dog-5521";
const PHOTO: &str = "PHOTO-SCAN-5521";
const EXIF: &str = "EXIF-GPS-41.4N-5521";

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).unwrap();
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = std::env::temp_dir().join(format!("lethe-hub-field-{name}"));
        std::fs::create_dir(&path).unwrap();
        Dir(path)
    }
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `lethe args…` with `secret_lines` on a passphrase pipe and `stdin` on standard
/// input.
fn lethe(args: &[&str], secret_lines: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lethe"));
    command.args(args);
    let reader = if secret_lines.is_empty() {
        None
    } else {
        let (reader, mut writer) = std::io::pipe().unwrap();
        for line in secret_lines {
            writeln!(writer, "{line}").unwrap();
        }
        drop(writer);
        // The child inherits this descriptor: clear close-on-exec on the read end only.
        rustix::io::fcntl_setfd(&reader, rustix::io::FdFlags::empty()).unwrap();
        command.arg("--passphrase-fd").arg(reader.as_raw_fd().to_string());
        Some(reader)
    };
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(reader);
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(out: Output, code: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    [needle.as_bytes(), &utf16[..]].iter().any(|n| haystack.windows(n.len()).any(|w| w == *n))
}

/// A small JPEG: `PHOTO` in its scan data (the picture), `EXIF` in its metadata.
fn photo() -> Vec<u8> {
    fn segment(out: &mut Vec<u8>, marker: u8, contents: &[u8]) {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(contents);
    }
    let mut jpeg = vec![0xFF, 0xD8];
    segment(&mut jpeg, 0xE1, format!("Exif\0\0{EXIF}").as_bytes());
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1u8; 64]);
    segment(&mut jpeg, 0xDB, &dqt);
    segment(&mut jpeg, 0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    let mut dht = vec![0u8, 1];
    dht.extend_from_slice(&[0u8; 16]);
    segment(&mut jpeg, 0xC4, &dht);
    segment(&mut jpeg, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
    jpeg.extend_from_slice(PHOTO.as_bytes());
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn hub_and_field_end_to_end() {
    let dir = Dir::new();
    let hub = dir.join("hub.vault");
    let field = dir.join("field.vault");
    let (hub, field) = (path(&hub), path(&field));
    ok(lethe(&["init", hub, "--size", "4M"], &[HUB_PASS], ""));
    ok(lethe(&["init", field, "--size", "4M"], &[FIELD_PASS], ""));

    // Pairing.
    let hub_png = dir.join("hub-key.png");
    let hub_key = ok(lethe(&["hub", "init", hub, "--qr", path(&hub_png)], &[HUB_PASS], ""));
    assert!(std::fs::read(&hub_png).unwrap().starts_with(b"\x89PNG"));
    let out = lethe(&["field", "init", field, "--qr-terminal"], &[FIELD_PASS], "");
    assert!(stderr(&out).contains('█'), "no QR drawn");
    let field_key = ok(out);
    assert_eq!(hub_key.trim().len(), 69);
    let code_at_hub = ok(lethe(&["hub", "add-broker", hub, "--name", "mina"], &[HUB_PASS], &field_key));
    let code_at_field = ok(lethe(&["field", "pair", field], &[FIELD_PASS], &hub_key));
    assert_eq!(code_at_hub, code_at_field);
    assert_eq!(code_at_hub.trim().len(), 39, "in person: the 160-bit fingerprint");

    // Orders: the form comes on stdin, never argv. A bad form is refused before unlocking.
    let err = fails(lethe(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], "alias: x\n"), 2);
    assert!(err.contains("needs"), "{err}");
    let form1 = format!(
        "alias: {ALIAS}\nplace: 혜산 시장\namount: 1,500.50\ncurrency: CNY\nfee: 30\ndeadline: 2099-12-01\n\
         question: {QUESTION}\nanswer: Rex the Dog\n"
    );
    let code1 = ok(lethe(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], &form1)).trim().to_owned();
    let form2 = "alias: 작은 삼촌\namount: 200만\ncurrency: KRW\nquestion: 고향은?\nanswer: 백암리\n";
    let code2 = ok(lethe(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], form2)).trim().to_owned();
    assert_eq!(code1.len(), 8);
    let orders_png = dir.join("orders.png");
    let orders = ok(lethe(&["hub", "send", hub, "--broker", "mina", "--qr", path(&orders_png)], &[HUB_PASS], ""));
    assert!(orders_png.exists());
    assert!(!contains(orders.as_bytes(), ALIAS));

    // The field: a mistyped message changes nothing; the real one once; a replay is refused.
    let before = std::fs::read(field).unwrap();
    let mut typo = orders.clone().into_bytes();
    let at = typo.iter().position(|c| c.is_ascii_alphanumeric()).unwrap();
    typo[at] = if typo[at] == b'Q' { b'R' } else { b'Q' };
    let err = fails(lethe(&["field", "receive", field], &[FIELD_PASS], std::str::from_utf8(&typo).unwrap()), 10);
    assert!(err.contains("mistyped"), "{err}");
    assert!(std::fs::read(field).unwrap() == before, "a mistyped message changed the container");
    let added = ok(lethe(&["field", "receive", field], &[FIELD_PASS], &orders.to_lowercase()));
    assert!(added.contains(&code1) && added.contains(&code2));
    let after = std::fs::read(field).unwrap();
    let err = fails(lethe(&["field", "receive", field], &[FIELD_PASS], &orders), 10);
    assert!(err.contains("received before"), "{err}");
    assert!(std::fs::read(field).unwrap() == after, "a replay changed the container");
    let table = ok(lethe(&["field", "orders", field], &[FIELD_PASS], ""));
    assert!(table.contains(ALIAS) && table.contains(QUESTION) && table.contains("1,500.50 CNY"), "{table}");

    // Deliveries: the answer is the line after the passphrase; the photo is shredded.
    let photo_path = dir.join("photo.jpg");
    std::fs::write(&photo_path, photo()).unwrap();
    ok(lethe(
        &[
            "field",
            "deliver",
            field,
            &code1,
            "--amount",
            "1,400",
            "--media",
            path(&photo_path),
            "--shred-source",
            "--yes",
        ],
        &[FIELD_PASS, "  rex THE dog! "],
        "",
    ));
    assert!(!photo_path.exists(), "the photo was not shredded");
    // An empty answer is said to be empty; more than the order cannot be recorded; neither
    // changes the container.
    let before = std::fs::read(field).unwrap();
    let err = fails(lethe(&["field", "deliver", field, &code2, "--yes"], &[FIELD_PASS, ""], ""), 2);
    assert!(err.contains("the answer is empty"), "{err}");
    let err = fails(
        lethe(&["field", "deliver", field, &code2, "--amount", "300만", "--yes"], &[FIELD_PASS, "검둥이"], ""),
        2,
    );
    assert!(err.contains("is for 2,000,000 KRW") && err.contains("Nothing was changed"), "{err}");
    let err = fails(
        lethe(&["field", "deliver", field, &code2, "--amount", "1만만", "--yes"], &[FIELD_PASS, "검둥이"], ""),
        2,
    );
    assert!(err.contains("cannot read the amount '1만만'"), "{err}");
    assert!(std::fs::read(field).unwrap() == before, "a refused delivery changed the container");
    ok(lethe(&["field", "deliver", field, &code2.to_lowercase(), "--yes"], &[FIELD_PASS, "검둥이"], ""));
    let media_dir = dir.join("outbox");
    std::fs::create_dir(&media_dir).unwrap();
    let reports = ok(lethe(&["field", "send", field, "--media-dir", path(&media_dir)], &[FIELD_PASS], ""));
    let media_files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(media_files.len(), 1);
    let mode = |p: &Path| std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions()) & 0o777;
    assert_eq!(mode(&media_files[0]), 0o600, "field send --media-dir made a file others can read");
    let sealed_media = std::fs::read(&media_files[0]).unwrap();
    assert!(!contains(&sealed_media, PHOTO) && !contains(&sealed_media, EXIF));

    // The hub verifies, imports the photo, exports it.
    let out = lethe(&["hub", "receive", hub], &[HUB_PASS], &reports);
    let words = stderr(&out);
    // 1,400 of 1,500.50 with the right answer: partly delivered.
    assert!(words.contains(&format!("{code1}  PARTLY delivered")), "{words}");
    assert!(words.contains(&format!("{code2}  DISPUTED (wrong answer)")), "{words}");
    assert!(words.contains("media not imported yet"), "{words}");
    // The acknowledgement names only code2: code1's photo is not in yet.
    let ack = ok(out);
    let media_out = lethe(&["hub", "media", hub, path(&media_files[0])], &[HUB_PASS], "");
    assert!(stderr(&media_out).contains(&code1), "{}", stderr(&media_out));
    let media_ack = ok(media_out);
    let exported = dir.join("exported.jpg");
    ok(lethe(&["hub", "export-media", hub, &code1, "-o", path(&exported)], &[HUB_PASS], ""));
    assert_eq!(mode(&exported), 0o600, "hub export-media made a file others can read");
    assert_eq!(mode(&orders_png), 0o600, "--qr made a file others can read");
    let exported = std::fs::read(&exported).unwrap();
    assert!(contains(&exported, PHOTO), "the picture did not arrive");
    assert!(!contains(&exported, EXIF), "the photo's metadata reached the hub");
    let table = ok(lethe(&["hub", "orders", hub], &[HUB_PASS], ""));
    assert!(table.contains("disputed: wrong answer") && table.contains("delivered"), "{table}");
    assert!(table.contains(ALIAS), "positive control: the hub's records name the alias");
    let err = fails(
        lethe(&["hub", "advance", hub, "--broker", "mina", "--amount", "0", "--currency", "cny"], &[HUB_PASS], ""),
        2,
    );
    assert!(err.contains("the amount cannot be zero"), "{err}");
    ok(lethe(&["hub", "advance", hub, "--broker", "mina", "--amount", "5,000", "--currency", "cny"], &[HUB_PASS], ""));
    let ledger = ok(lethe(&["hub", "ledger", hub], &[HUB_PASS], ""));
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
    let out = lethe(&["field", "receive", field], &[FIELD_PASS], &ack);
    assert!(stderr(&out).contains(&format!("The hub DISPUTES order {code2}: wrong answer")), "{}", stderr(&out));
    ok(out);
    let table = ok(lethe(&["field", "orders", field], &[FIELD_PASS], ""));
    assert!(table.contains(&code1) && table.contains(&code2), "{table}");
    // The hub resolves it as cancelled; its message erases the order at the field.
    let resolved =
        ok(lethe(&["hub", "resolve", hub, &code2, "--cancelled", "--note", "not handed over"], &[HUB_PASS], ""));
    ok(lethe(&["field", "receive", field], &[FIELD_PASS], &resolved));
    let table = ok(lethe(&["field", "orders", field], &[FIELD_PASS], ""));
    assert!(table.contains(&code1) && !table.contains(&code2), "{table}");
    ok(lethe(&["field", "receive", field], &[FIELD_PASS], &media_ack));
    let table = ok(lethe(&["field", "orders", field], &[FIELD_PASS], ""));
    assert_eq!(table.lines().count(), 1, "{table}");
    let listing = ok(lethe(&["ls", field, "--all"], &[FIELD_PASS], ""));
    assert!(!listing.contains("order") && !listing.contains("report") && !listing.contains("media"), "{listing}");
    let raw = std::fs::read(field).unwrap();
    for marker in [ALIAS, QUESTION, PHOTO, EXIF, "rexthedog", "Rex the Dog"] {
        assert!(!contains(&raw, marker), "{marker} in the field's container file");
    }
    let settings = ok(lethe(&["field", "settings", field, "--retention-days", "3"], &[FIELD_PASS], ""));
    assert_eq!(settings.trim(), "retention-days: 3\ncover: none");
}

/// Remote pairing through the command line: the field's request, the hub's answer, the
/// field's key last; both show the same 12-digit code. A pairing key read without a request
/// waiting is refused; texts of the wrong step are named.
#[test]
fn remote_pairing_by_command_line() {
    let dir = Dir::new();
    let hub = dir.join("hub.vault");
    let field = dir.join("field.vault");
    let (hub, field) = (path(&hub), path(&field));
    ok(lethe(&["init", hub, "--size", "4M"], &[HUB_PASS], ""));
    ok(lethe(&["init", field, "--size", "4M"], &[FIELD_PASS], ""));
    ok(lethe(&["hub", "init", hub], &[HUB_PASS], ""));
    ok(lethe(&["field", "init", field], &[FIELD_PASS], ""));
    let request = ok(lethe(&["field", "pair-request", field], &[FIELD_PASS], ""));
    // The request pasted into the field is the wrong step, and named as such.
    let err = fails(lethe(&["field", "pair", field], &[FIELD_PASS], &request), 10);
    assert!(err.contains("pairing request"), "{err}");
    let answer = ok(lethe(&["hub", "add-broker", hub, "--name", "mina"], &[HUB_PASS], &request));
    let out = lethe(&["field", "pair", field], &[FIELD_PASS], &answer);
    let words = stderr(&out);
    let reveal = ok(out);
    let code_at_hub = ok(lethe(&["hub", "add-broker", hub, "--name", "mina"], &[HUB_PASS], &reveal));
    assert_eq!(code_at_hub.trim().len(), 15, "{code_at_hub}");
    assert!(words.contains(code_at_hub.trim()), "field shows another code: {words}");
    let code_at_field = ok(lethe(&["field", "safety-code", field], &[FIELD_PASS], ""));
    assert_eq!(code_at_field, code_at_hub);
    // The same key again: no request waits any more.
    let err = fails(lethe(&["hub", "add-broker", hub, "--name", "other"], &[HUB_PASS], &reveal), 9);
    assert!(err.contains("no pairing request"), "{err}");

    // A long message in parts, as QR codes; read back from the pictures in another order.
    for i in 0..8 {
        let form = format!("alias: 별칭 {i}\namount: 1\ncurrency: KRW\nquestion: 강아지 이름이 뭐였어요?\nanswer: x\n");
        ok(lethe(&["hub", "order", hub, "--broker", "mina"], &[HUB_PASS], &form));
    }
    let png = dir.join("orders.png");
    let out =
        lethe(&["hub", "send", hub, "--broker", "mina", "--max-chars", "400", "--qr", path(&png)], &[HUB_PASS], "");
    assert!(stderr(&out).contains("parts"), "{}", stderr(&out));
    let text = ok(out);
    let count = text.split("\n\n").count();
    assert!(count >= 3, "{count} parts");
    let mut args: Vec<String> = vec!["field".into(), "receive".into(), field.into()];
    for i in (1..=count).rev() {
        let part = dir.join(&format!("orders-{i}.png"));
        assert!(part.exists(), "no {}", part.display());
        args.extend(["--image".into(), path(&part).into()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let added = ok(lethe(&args, &[FIELD_PASS], ""));
    assert_eq!(added.lines().count(), 8, "{added}");
    // A picture without the first part: the missing part is named, nothing changes.
    let err =
        fails(lethe(&["field", "receive", field, "--image", path(&dir.join("orders-2.png"))], &[FIELD_PASS], ""), 10);
    assert!(err.contains("missing"), "{err}");
}
