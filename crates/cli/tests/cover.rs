//! Cover text through the real `lethe` binary (issue 15): orders, reports and
//! acknowledgements written as Korean or Chinese market talk, by the pairing's setting or
//! by `--cover`, survive what a chat app does to them (line breaks merged, full-width
//! digits, a trailing emoji, pieces pasted with chat between), and are read without being
//! told the form. Text for another pairing reads as nothing, with a clear error, and
//! changes nothing; the same text reads at the pairing it was written for (the positive
//! control). Each unlock costs about a second of Argon2id.

mod cli_support;

use cli_support::*;
use std::path::Path;

const HUB_PASS: &str = "hub correct horse";
const MINA_PASS: &str = "mina battery staple";
const JUN_PASS: &str = "jun purple monkey";

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn out(args: &[&str], pass: &str, stdin: &str) -> String {
    text(&ok(run(args, &[pass], stdin.as_bytes())).stdout)
}

/// What a chat app and a hurried person do to a text: every line break merged into a
/// space, digits made full-width, an emoji and a greeting added at the end.
fn mangle(text: &str) -> String {
    let merged = text.trim().replace('\n', " ");
    let wide: String = merged
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c })
        .collect();
    format!("{wide} 👍😀 잘 받았어요~")
}

fn hangul(text: &str) -> usize {
    text.chars().filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)).count()
}

fn han(text: &str) -> usize {
    text.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count()
}

/// True when the text has a run of 16 or more characters of the base32 alphabet (what
/// armor looks like to a filter).
fn has_base32_run(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        run = if c.is_ascii_alphanumeric() { run + 1 } else { 0 };
        if run >= 16 {
            return true;
        }
    }
    false
}

fn order(hub: &str, broker: &str, alias: &str) -> String {
    let form = format!("alias: {alias}\namount: 1500\ncurrency: CNY\nquestion: 강아지 이름?\nanswer: 바둑이\n");
    out(&["hub", "order", hub, "--broker", broker], HUB_PASS, &form).trim().to_owned()
}

#[test]
fn cover_text_round_trips_between_hub_and_field() {
    let dir = Scratch::new("cover");
    let (hub, mina, jun) = (dir.join("hub"), dir.join("mina"), dir.join("jun"));
    let (hub, mina, jun) = (p(&hub), p(&mina), p(&jun));
    for (vault, pass) in [(hub, HUB_PASS), (mina, MINA_PASS), (jun, JUN_PASS)] {
        init(Path::new(vault), "4M", pass);
    }
    let hub_key = out(&["hub", "init", hub], HUB_PASS, "");
    for (name, vault, pass) in [("mina", mina, MINA_PASS), ("jun", jun, JUN_PASS)] {
        let key = out(&["field", "init", vault], pass, "");
        out(&["hub", "add-broker", hub, "--name", name], HUB_PASS, &key);
        out(&["field", "pair", vault], pass, &hub_key);
    }

    // A cover style and a QR code do not go together: refused before anything is asked.
    let err =
        fails(run(&["hub", "send", hub, "--broker", "mina", "--cover", "ko-market", "--qr-terminal"], &[], b""), 2);
    assert!(err.contains("QR code"), "{err}");
    let o = run(&["hub", "send", hub, "--broker", "mina", "--cover", "ja-market"], &[], b"");
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("ko-market") && err.contains("zh-market") && err.contains("none"), "{err}");

    // The settings persist in the compartments.
    assert_eq!(
        out(&["hub", "settings", hub, "--broker", "mina", "--cover", "ko-market"], HUB_PASS, ""),
        "cover: ko-market\n"
    );
    assert_eq!(
        out(&["field", "settings", mina, "--cover", "zh-market"], MINA_PASS, "").lines().last(),
        Some("cover: zh-market")
    );
    let table = out(&["hub", "settings", hub], HUB_PASS, "");
    assert_eq!(table.lines().next(), Some("retention: 30 days"), "{table}");
    let rows: Vec<Vec<&str>> = table.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows, [vec!["mina", "ko-market"], vec!["jun", "none"]], "{table}");
    assert_eq!(out(&["field", "settings", mina], MINA_PASS, "").lines().last(), Some("cover: zh-market"));
    // The hub's retention is a setting too; a bad value is refused and changes nothing.
    let before = std::fs::read(hub).unwrap();
    let err = fails(run(&["hub", "settings", hub, "--retention-days", "0"], &[HUB_PASS], b""), 2);
    assert!(err.contains("1 to 3650"), "{err}");
    intact(&before, hub, HUB_PASS, "a refused setting changed the container");
    let set = out(&["hub", "settings", hub, "--retention-days", "7"], HUB_PASS, "");
    assert_eq!(set.lines().next(), Some("retention: 7 days"), "{set}");
    assert_eq!(out(&["hub", "settings", hub], HUB_PASS, "").lines().next(), Some("retention: 7 days"));
    assert_eq!(out(&["field", "settings", jun], JUN_PASS, "").lines().last(), Some("cover: none"));

    // Round 1, by the settings: orders to mina in Korean, her reports in Chinese, the
    // acknowledgement in Korean.
    let code1 = order(hub, "mina", "큰 이모");
    let orders = out(&["hub", "send", hub, "--broker", "mina"], HUB_PASS, "");
    assert!(hangul(&orders) > 200 && !has_base32_run(&orders), "not Korean cover text: {orders}");
    assert!(!orders.contains(&code1));
    // The same text at another pairing: nothing, said clearly, nothing changed.
    let before = std::fs::read(jun).unwrap();
    let err = fails(run(&["field", "receive", jun], &[JUN_PASS], mangle(&orders).as_bytes()), 10);
    assert!(err.contains("another pairing") && err.contains("Nothing was changed"), "{err}");
    intact(&before, jun, JUN_PASS, "text for another pairing changed the container");
    // Half of it: incomplete, nothing changed.
    let half: String = orders.chars().take(orders.chars().count() / 2).collect();
    let before = std::fs::read(mina).unwrap();
    let err = fails(run(&["field", "receive", mina], &[MINA_PASS], half.as_bytes()), 10);
    assert!(err.contains("incomplete"), "{err}");
    intact(&before, mina, MINA_PASS, "an incomplete text changed the container");
    // Positive control: the pairing it was written for reads it, mangled.
    let added = out(&["field", "receive", mina], MINA_PASS, &mangle(&orders));
    assert_eq!(added.trim(), code1);
    ok(run(&["field", "deliver", mina, &code1, "--yes"], &[MINA_PASS, "바둑이"], b""));
    let reports = out(&["field", "send", mina], MINA_PASS, "");
    assert!(han(&reports) > 100 && hangul(&reports) == 0 && !has_base32_run(&reports), "not Chinese: {reports}");
    let o = ok(run(&["hub", "receive", hub], &[HUB_PASS], mangle(&reports).as_bytes()));
    assert!(text(&o.stderr).contains(&format!("{code1}  delivered")), "{}", text(&o.stderr));
    let ack = text(&o.stdout);
    assert!(hangul(&ack) > 100 && !has_base32_run(&ack), "not Korean: {ack}");
    let o = ok(run(&["field", "receive", mina], &[MINA_PASS], mangle(&ack).as_bytes()));
    assert!(text(&o.stderr).contains("settled or cancelled 1 order:"), "{}", text(&o.stderr));

    // Round 2, the flag over the setting: orders in Chinese, reports in Korean cut into
    // pieces pasted in order with chat between them, the acknowledgement as plain armor.
    let code2 = order(hub, "mina", "작은 삼촌");
    let orders = out(&["hub", "send", hub, "--broker", "mina", "--cover", "zh-market"], HUB_PASS, "");
    assert!(han(&orders) > 200 && hangul(&orders) == 0, "not Chinese: {orders}");
    assert_eq!(out(&["field", "receive", mina], MINA_PASS, &mangle(&orders)).trim(), code2);
    ok(run(&["field", "deliver", mina, &code2, "--yes"], &[MINA_PASS, "바둑이"], b""));
    let o = ok(run(&["field", "send", mina, "--cover", "ko-market", "--max-chars", "120"], &[MINA_PASS], b""));
    assert!(text(&o.stderr).contains("in this order"), "{}", text(&o.stderr));
    let pieces: Vec<String> = text(&o.stdout).trim().split("\n\n").map(str::to_owned).collect();
    assert!(pieces.len() >= 3, "{} pieces", pieces.len());
    for piece in &pieces {
        assert!(piece.chars().filter(|c| *c != '\n').count() <= 120, "piece too long: {piece}");
    }
    let pasted: Vec<String> = pieces.iter().map(|s| mangle(s)).collect();
    let o =
        ok(run(&["hub", "receive", hub, "--cover", "none"], &[HUB_PASS], pasted.join("\n네 알겠어요\n").as_bytes()));
    assert!(text(&o.stderr).contains(&format!("{code2}  delivered")), "{}", text(&o.stderr));
    let ack = text(&o.stdout);
    assert!(has_base32_run(&ack) && hangul(&ack) == 0, "not armor: {ack}");
    let o = ok(run(&["field", "receive", mina], &[MINA_PASS], ack.as_bytes()));
    assert!(text(&o.stderr).contains("settled or cancelled 1 order:"), "{}", text(&o.stderr));

    // jun has no setting: plain armor, read as before.
    let code3 = order(hub, "jun", "친구");
    let orders = out(&["hub", "send", hub, "--broker", "jun"], HUB_PASS, "");
    assert!(has_base32_run(&orders) && hangul(&orders) == 0, "not armor: {orders}");
    assert_eq!(out(&["field", "receive", jun], JUN_PASS, &orders).trim(), code3);
}
