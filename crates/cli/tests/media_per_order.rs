//! Two deliveries with the same photo, through the real binary: both sealed files import
//! (media is kept per order, not per content), and no acknowledgement names an order whose
//! photo the hub has not imported, unless the hub asks with `--ack-without-media`. An order
//! the field erased on an early acknowledgement would have lost its only copy of the photo.

mod cli_support;

use cli_support::*;
use std::path::{Path, PathBuf};

const HUB: &str = "hub media pass";
const FIELD: &str = "field media pass";

fn v(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small JPEG with `marker` in its scan data.
fn photo(marker: &str) -> Vec<u8> {
    fn segment(out: &mut Vec<u8>, m: u8, contents: &[u8]) {
        out.extend_from_slice(&[0xFF, m]);
        out.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(contents);
    }
    let mut jpeg = vec![0xFF, 0xD8];
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1u8; 64]);
    segment(&mut jpeg, 0xDB, &dqt);
    segment(&mut jpeg, 0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    let mut dht = vec![0u8, 1];
    dht.extend_from_slice(&[0u8; 16]);
    segment(&mut jpeg, 0xC4, &dht);
    segment(&mut jpeg, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
    jpeg.extend_from_slice(marker.as_bytes());
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

fn out_text(o: &std::process::Output) -> String {
    text(&o.stdout)
}

#[test]
fn the_same_photo_for_two_orders_both_import_and_acks_wait_for_media() {
    let dir = Scratch::new("media-per-order");
    let (hub_path, field_path) = (dir.join("hub.vault"), dir.join("field.vault"));
    let (hub, field) = (v(&hub_path), v(&field_path));
    init(&hub_path, "4M", HUB);
    init(&field_path, "4M", FIELD);
    let hub_key = out_text(&ok(run(&["hub", "init", hub], &[HUB], b"")));
    let field_key = out_text(&ok(run(&["field", "init", field], &[FIELD], b"")));
    ok(run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB], field_key.as_bytes()));
    ok(run(&["field", "pair", field], &[FIELD], hub_key.as_bytes()));
    let mut codes = Vec::new();
    for alias in ["first", "second", "third"] {
        let form = format!("alias: {alias}\namount: 100\ncurrency: CNY\nquestion: q\nanswer: yes\n");
        codes.push(
            out_text(&ok(run(&["hub", "order", hub, "--broker", "mina"], &[HUB], form.as_bytes()))).trim().to_owned(),
        );
    }
    let orders = out_text(&ok(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b"")));
    ok(run(&["field", "receive", field], &[FIELD], orders.as_bytes()));

    // The same photo for every delivery.
    for code in &codes {
        let photo_path = dir.join("same.jpg");
        std::fs::write(&photo_path, photo("PHOTO-SAME-8823")).unwrap();
        ok(run(&["field", "deliver", field, code, "--media", v(&photo_path), "--yes"], &[FIELD, "yes"], b""));
    }
    let media_dir = dir.join("media");
    std::fs::create_dir(&media_dir).unwrap();
    let reports = out_text(&ok(run(&["field", "send", field, "--media-dir", v(&media_dir)], &[FIELD], b"")));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 3);

    // The hub records the three reports but acknowledges none: no photo is in yet.
    let out = ok(run(&["hub", "receive", hub], &[HUB], reports.as_bytes()));
    assert!(out.stdout.is_empty(), "an acknowledgement was printed: {}", out_text(&out));
    let words = text(&out.stderr);
    assert!(words.contains("No acknowledgement yet"), "{words}");

    // Each sealed file imports into its own order (content alone would match the first
    // order each time and refuse the second file as imported already) and prints that
    // order's acknowledgement.
    let mut acks = Vec::new();
    for file in &files[..2] {
        let out = ok(run(&["hub", "media", hub, v(file)], &[HUB], b""));
        assert!(text(&out.stderr).contains("Imported the media of order"), "{}", text(&out.stderr));
        acks.push(out_text(&out));
    }
    let table = out_text(&ok(run(&["hub", "orders", hub], &[HUB], b"")));
    assert_eq!(table.matches("imported").count(), 2, "{table}");
    assert_eq!(table.matches("waiting").count(), 1, "{table}");

    // The field erases exactly the acknowledged orders.
    ok(run(&["field", "receive", field], &[FIELD], acks[0].as_bytes()));
    let left = out_text(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert_eq!(left.lines().count(), 3, "header and two orders: {left}");
    ok(run(&["field", "receive", field], &[FIELD], acks[1].as_bytes()));

    // The reports again: the third order is still held back.
    let out = ok(run(&["hub", "receive", hub], &[HUB], reports.as_bytes()));
    assert!(text(&out.stderr).contains("media not imported yet"), "{}", text(&out.stderr));
    ok(run(&["field", "receive", field], &[FIELD], &out.stdout));
    let left = out_text(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert_eq!(left.lines().count(), 2, "header and the third order: {left}");

    // --ack-without-media: the hub says explicitly that it gives up that photo.
    let out = ok(run(&["hub", "receive", hub, "--ack-without-media"], &[HUB], reports.as_bytes()));
    ok(run(&["field", "receive", field], &[FIELD], &out.stdout));
    let left = out_text(&ok(run(&["field", "orders", field], &[FIELD], b"")));
    assert_eq!(left.lines().count(), 1, "only the header is left: {left}");

    // The third file still imports; a second import of it is refused and changes nothing.
    ok(run(&["hub", "media", hub, v(&files[2])], &[HUB], b""));
    let before = std::fs::read(&hub_path).unwrap();
    let err = fails(run(&["hub", "media", hub, v(&files[2])], &[HUB], b""), 9);
    assert!(err.contains("already"), "{err}");
    assert!(std::fs::read(&hub_path).unwrap() == before);
}
