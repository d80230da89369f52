//! Two deliveries with the same photo, through the real binary: both sealed files import
//! (media is kept per order, not per content), and no acknowledgement names an order whose
//! photo the hub has not imported, unless the hub asks with `--ack-without-media`. An order
//! the field erased on an early acknowledgement would have lost its only copy of the photo.

mod cli_support;

use cli_support::*;
use std::path::PathBuf;

const HUB: &str = "hub media pass";
const FIELD: &str = "field media pass";

#[test]
fn the_same_photo_for_two_orders_both_import_and_acks_wait_for_media() {
    let dir = Scratch::new("media-per-order");
    let (hub_path, field_path) = (dir.join("hub.vault"), dir.join("field.vault"));
    let (hub, field) = (v(&hub_path), v(&field_path));
    init(&hub_path, "4M", HUB);
    init(&field_path, "4M", FIELD);
    let hub_key = text(&ok(run(&["hub", "init", hub], &[HUB], b"")).stdout);
    let field_key = text(&ok(run(&["field", "init", field], &[FIELD], b"")).stdout);
    ok(run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB], field_key.as_bytes()));
    ok(run(&["field", "pair", field], &[FIELD], hub_key.as_bytes()));
    let mut codes = Vec::new();
    for alias in ["first", "second", "third"] {
        let form = format!("alias: {alias}\namount: 100\ncurrency: CNY\nquestion: q\nanswer: yes\n");
        codes.push(
            text(&ok(run(&["hub", "order", hub, "--broker", "mina"], &[HUB], form.as_bytes())).stdout)
                .trim()
                .to_owned(),
        );
    }
    let orders = text(&ok(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b"")).stdout);
    ok(run(&["field", "receive", field], &[FIELD], orders.as_bytes()));

    // The same photo for every delivery.
    for code in &codes {
        let photo_path = dir.join("same.jpg");
        std::fs::write(&photo_path, jpeg("PHOTO-SAME-8823", None)).unwrap();
        ok(run(&["field", "deliver", field, code, "--media", v(&photo_path), "--yes"], &[FIELD, "yes"], b""));
    }
    let media_dir = dir.join("media");
    std::fs::create_dir(&media_dir).unwrap();
    let reports = text(&ok(run(&["field", "send", field, "--media-dir", v(&media_dir)], &[FIELD], b"")).stdout);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 3);

    // The hub records the three reports but acknowledges none: no photo is in yet.
    let out = ok(run(&["hub", "receive", hub], &[HUB], reports.as_bytes()));
    assert!(out.stdout.is_empty(), "an acknowledgement was printed: {}", text(&out.stdout));
    let words = text(&out.stderr);
    assert!(words.contains("No acknowledgement yet"), "{words}");

    // Each sealed file imports into its own order (content alone would match the first
    // order each time and refuse the second file as imported already) and prints that
    // order's acknowledgement.
    let mut acks = Vec::new();
    for file in &files[..2] {
        let out = ok(run(&["hub", "media", hub, v(file)], &[HUB], b""));
        assert!(text(&out.stderr).contains("Imported the media of order"), "{}", text(&out.stderr));
        acks.push(text(&out.stdout));
    }
    let table = text(&ok(run(&["hub", "orders", hub], &[HUB], b"")).stdout);
    assert_eq!(table.matches("imported").count(), 2, "{table}");
    assert_eq!(table.matches("waiting").count(), 1, "{table}");

    // The field erases exactly the acknowledged orders.
    ok(run(&["field", "receive", field], &[FIELD], acks[0].as_bytes()));
    let left = text(&ok(run(&["field", "orders", field], &[FIELD], b"")).stdout);
    assert_eq!(left.lines().count(), 3, "header and two orders: {left}");
    ok(run(&["field", "receive", field], &[FIELD], acks[1].as_bytes()));

    // The reports again: the third order is still held back.
    let out = ok(run(&["hub", "receive", hub], &[HUB], reports.as_bytes()));
    assert!(text(&out.stderr).contains("media not imported yet"), "{}", text(&out.stderr));
    ok(run(&["field", "receive", field], &[FIELD], &out.stdout));
    let left = text(&ok(run(&["field", "orders", field], &[FIELD], b"")).stdout);
    assert_eq!(left.lines().count(), 2, "header and the third order: {left}");

    // --ack-without-media: the hub says explicitly that it gives up that photo.
    let out = ok(run(&["hub", "receive", hub, "--ack-without-media"], &[HUB], reports.as_bytes()));
    ok(run(&["field", "receive", field], &[FIELD], &out.stdout));
    let left = text(&ok(run(&["field", "orders", field], &[FIELD], b"")).stdout);
    assert_eq!(left.lines().count(), 1, "only the header is left: {left}");

    // The third file still imports; a second import of it is refused and changes nothing.
    ok(run(&["hub", "media", hub, v(&files[2])], &[HUB], b""));
    let before = std::fs::read(&hub_path).unwrap();
    let err = fails(run(&["hub", "media", hub, v(&files[2])], &[HUB], b""), 9);
    assert!(err.contains("already"), "{err}");
    intact(&before, &hub_path, HUB, "refused");
}
