//! Two deliveries with the same photo, through the real binary: both sealed files import
//! (media is kept per order, not per content), and no acknowledgement names an order whose
//! photo the hub has not imported, unless the hub asks with `--ack-without-media`. An order
//! the field erased on an early acknowledgement would have lost its only copy of the photo.

mod cli_support;

use cli_support::*;
use std::path::PathBuf;

const HUB: &str = "hub media pass";
const FIELD: &str = "field media pass";

/// A paired hub and field, the hub's orders (one per alias) delivered at the field each with
/// the photo `photo(n)` and sent: the orders' codes, the reports message and the sealed
/// media files, sorted.
struct Delivered {
    hub_path: PathBuf,
    field_path: PathBuf,
    codes: Vec<String>,
    reports: String,
    files: Vec<PathBuf>,
}

fn delivered_with_photos(dir: &Scratch, aliases: &[&str], photo: impl Fn(usize) -> Vec<u8>) -> Delivered {
    let (hub_path, field_path) = (dir.join("hub.vault"), dir.join("field.vault"));
    let (hub, field) = (v(&hub_path), v(&field_path));
    init(&hub_path, "4M", HUB);
    init(&field_path, "4M", FIELD);
    let hub_key = text(&ok(run(&["hub", "init", hub], &[HUB], b"")).stdout);
    let field_key = text(&ok(run(&["field", "init", field], &[FIELD], b"")).stdout);
    ok(run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB], field_key.as_bytes()));
    ok(run(&["field", "pair", field], &[FIELD], hub_key.as_bytes()));
    let mut codes = Vec::new();
    for alias in aliases {
        let form = format!("alias: {alias}\namount: 100\ncurrency: CNY\nquestion: q\nanswer: yes\n");
        codes.push(
            text(&ok(run(&["hub", "order", hub, "--broker", "mina"], &[HUB], form.as_bytes())).stdout)
                .trim()
                .to_owned(),
        );
    }
    let orders = text(&ok(run(&["hub", "send", hub, "--broker", "mina"], &[HUB], b"")).stdout);
    ok(run(&["field", "receive", field], &[FIELD], orders.as_bytes()));

    for (n, code) in codes.iter().enumerate() {
        let photo_path = dir.join(&format!("IMG_{n}.jpg"));
        std::fs::write(&photo_path, photo(n)).unwrap();
        ok(run(&["field", "deliver", field, code, "--media", v(&photo_path), "--yes"], &[FIELD, "yes"], b""));
    }
    let media_dir = dir.join("media");
    std::fs::create_dir(&media_dir).unwrap();
    let reports = text(&ok(run(&["field", "send", field, "--media-dir", v(&media_dir)], &[FIELD], b"")).stdout);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&media_dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), codes.len());
    Delivered { hub_path, field_path, codes, reports, files }
}

#[test]
fn the_same_photo_for_two_orders_both_import_and_acks_wait_for_media() {
    let dir = Scratch::new("media-per-order");
    // The same photo for every delivery.
    let Delivered { hub_path, field_path, reports, files, .. } =
        delivered_with_photos(&dir, &["first", "second", "third"], |_| jpeg("PHOTO-SAME-8823", None));
    let (hub, field) = (v(&hub_path), v(&field_path));

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

/// The seizure bed's field-broker path (crates/seizure/src/field.rs): the hub's first receive
/// of reports that announce photos, with `--ack-without-media`, prints the acknowledgement of
/// every order on stdout, and the field accepts it and erases the orders, their reports and
/// media. Control: the same first receive without the flag (on a copy of the hub container
/// made before it) prints no acknowledgement, and that empty stdout given to the field is
/// refused with "no message text found" (exit 10), which is what the bed saw when it ran an
/// old seizure binary that did not pass the flag.
#[test]
fn a_first_receive_with_ack_without_media_prints_the_acknowledgement_the_field_accepts() {
    let dir = Scratch::new("ack-without-media");
    let photo = |n: usize| jpeg(&format!("PHOTO-PICTURE-{n}-5521"), Some(&format!("EXIF-META-{n}-5521")));
    let d = delivered_with_photos(&dir, &["first", "second"], photo);
    let (hub, field) = (v(&d.hub_path), v(&d.field_path));
    let control_path = dir.join("hub-control.vault");
    std::fs::copy(&d.hub_path, &control_path).unwrap();

    // Control: without the flag the acknowledgement waits for the photos.
    let waits = ok(run(&["hub", "receive", v(&control_path)], &[HUB], d.reports.as_bytes()));
    assert!(waits.stdout.is_empty(), "an acknowledgement was printed: {}", out(&waits));
    assert!(err(&waits).contains("No acknowledgement yet"), "{}", err(&waits));
    let refused = fails(run(&["field", "receive", field], &[FIELD], &waits.stdout), 10);
    assert!(refused.contains("no message text found"), "{refused}");

    // The bed's step: the first receive, with --ack-without-media.
    let receipt = ok(run(&["hub", "receive", hub, "--ack-without-media"], &[HUB], d.reports.as_bytes()));
    let verdicts = err(&receipt);
    for code in &d.codes {
        assert!(verdicts.contains(&format!("{code}  delivered")), "{verdicts}");
    }
    assert!(!verdicts.contains("No acknowledgement yet"), "{verdicts}");
    assert!(verdicts.contains("Send this acknowledgement to mina"), "{verdicts}");
    let ack = out(&receipt);
    assert!(ack.trim().len() > 40, "no acknowledgement on stdout: {ack:?}\nstderr: {verdicts}");

    let accepted = ok(run(&["field", "receive", field], &[FIELD], ack.as_bytes()));
    for code in &d.codes {
        assert!(err(&accepted).contains(code.as_str()), "{}", err(&accepted));
    }
    let left = text(&ok(run(&["field", "orders", field], &[FIELD], b"")).stdout);
    assert_eq!(left.lines().count(), 1, "only the header is left: {left}");
    let listing = text(&ok(run(&["ls", field, "--all"], &[FIELD], b"")).stdout);
    assert!(
        !listing.lines().any(|l| ["order", "report", "media"].iter().any(|w| l.contains(w))),
        "still listed after the acknowledgement: {listing}"
    );

    // The photos still import at the hub after the acknowledgement, without their metadata.
    let imported = ok(run(&["hub", "media", hub, v(&d.files[0])], &[HUB], b""));
    let n = d.codes.iter().position(|c| err(&imported).contains(c.as_str())).expect("hub media names its order");
    let exported = dir.join("exported.jpg");
    ok(run(&["hub", "export-media", hub, &d.codes[n], "-o", v(&exported)], &[HUB], b""));
    let bytes = std::fs::read(&exported).unwrap();
    assert!(contains(&bytes, &format!("PHOTO-PICTURE-{n}-5521")), "the picture did not reach the hub");
    assert!(!contains(&bytes, &format!("EXIF-META-{n}-5521")), "the photo's metadata reached the hub");
}
