//! field broker after acknowledgement (issue 5): a broker's phone that received orders from
//! the hub, delivered them with the recipients' answers and photos, reported, and got the
//! hub's acknowledgement. The examiner gets the phone and the broker's passphrase.
//!
//! The hub is abroad: its container lives in the output folder, never on the image. Every
//! message between them travels as text through a chat app, which stores it as a file in a
//! chat folder on the phone and later clears its history with `rm`. Aliases, place hints,
//! questions, answers and photos are markers; after the acknowledgement none of them may be
//! recoverable from the phone, by any method, with or without the passphrase.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::attack::{ExaminerDesk, attack_image, examiner_desk};
use crate::context::Context;
use crate::jobs::Job;
use crate::lethe::{Lethe, listed_ids};
use crate::markers::{ItemMarkers, MarkerKind};
use crate::photo::photo_with_markers;
use crate::proc::{Finished, run_checked};
use crate::scenarios::{Phone, VAULT_SIZE, keep_container};

/// Orders the hub sends. Nine, so that three alias items supply one alias each in ASCII,
/// Hangul and Chinese (an alias is at most 64 bytes: one marker, not three).
pub const FIELD_ORDERS: usize = 9;
/// Photos the hub imports and exports again, to prove that the picture markers survive
/// lethe's metadata stripping (so the photo rows can catch a leaked picture).
const HUB_MEDIA_CHECKS: usize = 2;
/// Ids of erased records the examiner tries with `lethe cat`.
const MAX_TRIES: usize = 10;
/// The hub's container, on the hub's own computer (not the phone).
const HUB_VAULT_SIZE: &str = "8M";
const BROKER: &str = "mina";

/// Marker item names start with the category, which the report's rows select by.
pub const CATEGORIES: [(&str, &str); 5] = [
    ("alias", "aliases"),
    ("place", "place hints"),
    ("question", "questions"),
    ("answer", "answers"),
    ("photo", "photos (EXIF/COM and picture)"),
];

fn os(parts: &[&dyn AsRef<OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

/// Runs `lethe ARGS` with `secrets` on the passphrase pipe; fails the scenario step unless
/// lethe succeeds.
fn call(
    lethe: &mut Lethe,
    what: &str,
    args: &[OsString],
    secrets: &[&str],
    stdin: Option<&[u8]>,
) -> Result<Finished, String> {
    let args: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
    let secrets = (!secrets.is_empty()).then_some(secrets);
    let finished = lethe.run(&args, secrets, stdin, None)?;
    if finished.ok() {
        Ok(finished)
    } else {
        Err(format!("lethe {what} failed ({}): {}", finished.status, finished.stderr_text().trim()))
    }
}

/// A camera photo: `meta` in its EXIF and COM segments (which lethe must strip), `picture`
/// inside the entropy-coded scan data (the picture itself, which lethe keeps bit for bit and
/// seals for the hub). UTF-8 never contains a 0xFF byte, so the scan stays one segment.
pub fn delivery_photo(meta: &ItemMarkers, picture: &ItemMarkers) -> Vec<u8> {
    let mut jpeg = photo_with_markers(meta);
    let end = jpeg.len() - 2;
    debug_assert_eq!(&jpeg[end..], &[0xFF, 0xD9]);
    let tail = jpeg.split_off(end);
    jpeg.extend_from_slice(picture.caption().as_bytes());
    jpeg.extend_from_slice(&tail);
    jpeg
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// The chat app stores every message it shows or sends as a file in its folder.
fn chat_message(
    phone: &mut Phone,
    chat: &Path,
    files: &mut Vec<PathBuf>,
    name: &str,
    text: &[u8],
) -> Result<PathBuf, String> {
    let path = chat.join(name);
    files.push(path.clone());
    phone.write_synced(&path, text).map(|()| path)
}

struct Order {
    code: String,
    alias: String,
    answer: String,
}

/// The scenario. Returns the attack and the examiner jobs for the image.
pub fn field_broker(ctx: &Context) -> Result<Vec<Job>, String> {
    let program = ctx.lethe.clone().ok_or_else(|| "no lethe binary for a lethe scenario".to_string())?;
    // The hub's computer, abroad: a folder outside every image.
    let hub_home = ctx.out.join("hub");
    let _ = std::fs::remove_dir_all(&hub_home);
    std::fs::create_dir_all(hub_home.join("inbox")).map_err(|e| e.to_string())?;
    let mut hub = Lethe::new(&program, &hub_home, &hub_home, &hub_home, &hub_home);
    let hub_vault = hub_home.join("hub.vault");
    let hub_pass = ctx.book.passphrase("fld", "pass-hub");

    let mut phone = Phone::new(ctx, "fld")?;
    let camera = phone.mkdir("home/user/DCIM/Camera")?;
    let chat = phone.mkdir("home/user/chat")?;
    let mut field = phone.lethe(&program);
    let vault = phone.home.join("vault.bin");
    let field_pass = ctx.book.passphrase("fld", "pass-field");
    let (hp, fp) = (hub_pass.as_str(), field_pass.as_str());

    ctx.progress("fld: hub (outside the image) and field containers, pairing");
    hub.init(&hub_vault, HUB_VAULT_SIZE, hp)?;
    field.init(&vault, VAULT_SIZE, fp)?;
    let after_init = phone.folder_times();
    let hub_key = call(&mut hub, "hub init", &os(&[&"hub", &"init", &hub_vault]), &[hp], None)?;
    let field_key = call(&mut field, "field init", &os(&[&"field", &"init", &vault]), &[fp], None)?;
    let at_hub = call(
        &mut hub,
        "hub add-broker",
        &os(&[&"hub", &"add-broker", &hub_vault, &"--name", &BROKER]),
        &[hp],
        Some(&field_key.stdout),
    )?;
    let at_field = call(&mut field, "field pair", &os(&[&"field", &"pair", &vault]), &[fp], Some(&hub_key.stdout))?;
    if at_hub.stdout_text().trim() != at_field.stdout_text().trim() {
        return Err("fld: the safety codes of hub and field differ".into());
    }
    // An ordinary note the broker keeps: the examiner with her passphrase must see it.
    let kept = ctx.book.item("fld", MarkerKind::Kept, "k00");
    field.add_note(&vault, fp, kept.note_text("shopping list").as_bytes())?;

    ctx.progress(format!("fld: the hub makes {FIELD_ORDERS} orders"));
    let currencies = ["CNY", "KRW", "USD"];
    let mut orders = Vec::new();
    let mut alias_item = None;
    for n in 0..FIELD_ORDERS {
        if n % 3 == 0 {
            alias_item = Some(ctx.book.item("fld", MarkerKind::Secret, &format!("alias-{}", n / 3)));
        }
        let aliases = alias_item.as_ref().expect("set at n = 0");
        let alias = [&aliases.ascii, &aliases.hangul, &aliases.chinese][n % 3].clone();
        let secret = |what: &str| ctx.book.item("fld", MarkerKind::Secret, &format!("{what}-o{n:02}")).caption();
        let place = secret("place");
        let question = format!("What did we call the dog? {}", secret("question"));
        let answer = secret("answer");
        let form = format!(
            "alias: {alias}\nplace: {place}\namount: {}\ncurrency: {}\nfee: 30\n\
             deadline: 2099-12-01\nquestion: {question}\nanswer: {answer}\n",
            1000 + 100 * n,
            currencies[n % 3]
        );
        let made = call(
            &mut hub,
            "hub order",
            &os(&[&"hub", &"order", &hub_vault, &"--broker", &BROKER]),
            &[hp],
            Some(form.as_bytes()),
        )?;
        orders.push(Order { code: made.stdout_text().trim().to_string(), alias, answer });
    }

    let mut chat_files = Vec::new();
    let sent = call(&mut hub, "hub send", &os(&[&"hub", &"send", &hub_vault, &"--broker", &BROKER]), &[hp], None)?;
    let message = chat_message(&mut phone, &chat, &mut chat_files, "2024-05-04_0930_from_hub.txt", &sent.stdout)?;
    ctx.progress("fld: the field receives the orders from the chat");
    let text = std::fs::read(&message).map_err(|e| e.to_string())?;
    let received =
        call(&mut field, "field receive (orders)", &os(&[&"field", &"receive", &vault]), &[fp], Some(&text))?;
    let codes = received.stdout_text();
    if let Some(order) = orders.iter().find(|o| !codes.contains(&o.code)) {
        return Err(format!("fld: field receive did not add order {}", order.code));
    }
    // The broker looks at her orders (shown on the terminal only).
    let table = call(&mut field, "field orders", &os(&[&"field", &"orders", &vault]), &[fp], None)?;
    if let Some(order) = orders.iter().find(|o| !contains(&table.stdout, &o.alias)) {
        return Err(format!("fld: field orders does not show the alias of {}", order.code));
    }

    ctx.progress(format!("fld: {FIELD_ORDERS} deliveries with the answer and a photo (--media --shred-source)"));
    for (n, order) in orders.iter().enumerate() {
        let meta = ctx.book.item("fld", MarkerKind::Secret, &format!("photometa-o{n:02}"));
        let picture = ctx.book.item("fld", MarkerKind::Secret, &format!("photo-o{n:02}"));
        let source = camera.join(format!("IMG_20240504_{:06}.jpg", 101_500 + n));
        phone.write_synced(&source, &delivery_photo(&meta, &picture))?;
        call(
            &mut field,
            "field deliver",
            &os(&[&"field", &"deliver", &vault, &order.code, &"--media", &source, &"--shred-source", &"--yes"]),
            &[fp, &order.answer],
            None,
        )?;
        if source.exists() {
            return Err(format!("--shred-source left {} in place", source.display()));
        }
    }
    // What the owner's container holds before the acknowledgement: the examiner later tries
    // these ids (orders, reports, sealed media) although `ls` no longer shows them.
    let before_ack = call(&mut field, "ls --all", &os(&[&"ls", &vault, &"--all"]), &[fp], None)?;
    let before_ack_text = before_ack.stdout_text();
    let erased_ids: Vec<String> = before_ack_text
        .lines()
        .filter(|l| ["order", "report", "media"].iter().any(|w| l.contains(w)))
        .filter_map(|l| listed_ids(l).into_iter().next())
        .collect();
    if erased_ids.len() < FIELD_ORDERS {
        return Err(format!(
            "fld: ls --all lists {} order/report records before the acknowledgement",
            erased_ids.len()
        ));
    }

    let sent = call(&mut field, "field send", &os(&[&"field", &"send", &vault, &"--media-dir", &chat]), &[fp], None)?;
    let media_files: Vec<PathBuf> = files_in(&chat)?.into_iter().filter(|f| !chat_files.contains(f)).collect();
    if media_files.len() != FIELD_ORDERS {
        return Err(format!("fld: field send wrote {} media files, not {FIELD_ORDERS}", media_files.len()));
    }
    let message = chat_message(&mut phone, &chat, &mut chat_files, "2024-05-04_1730_to_hub.txt", &sent.stdout)?;

    ctx.progress("fld: the hub receives the reports and acknowledges them");
    let text = std::fs::read(&message).map_err(|e| e.to_string())?;
    // The hub checks a few of the photos below, after acknowledging every order: it says so
    // explicitly (an acknowledgement otherwise waits for each order's media).
    let receipt = call(
        &mut hub,
        "hub receive",
        &os(&[&"hub", &"receive", &hub_vault, &"--ack-without-media"]),
        &[hp],
        Some(&text),
    )?;
    let verdicts = receipt.stderr_text();
    for order in &orders {
        if !verdicts.contains(&format!("{}  delivered", order.code)) {
            return Err(format!("fld: the hub did not accept the answer of order {}", order.code));
        }
    }
    if receipt.stdout.iter().all(u8::is_ascii_whitespace) {
        return Err(format!(
            "fld: hub receive --ack-without-media printed no acknowledgement; it said: {}",
            verdicts.trim()
        ));
    }
    let ack = receipt.stdout;
    // The photos reach the hub: its export holds the picture markers, not the metadata.
    for (k, file) in media_files.iter().take(HUB_MEDIA_CHECKS).enumerate() {
        let copy = hub_home.join("inbox").join(file.file_name().unwrap_or_default());
        std::fs::copy(file, &copy).map_err(|e| format!("{}: {e}", file.display()))?;
        let imported = call(&mut hub, "hub media", &os(&[&"hub", &"media", &hub_vault, &copy]), &[hp], None)?;
        let words = imported.stderr_text();
        let Some(order) = orders.iter().position(|o| words.contains(&o.code)) else {
            return Err(format!("fld: hub media named no order: {}", words.trim()));
        };
        let exported = hub_home.join(format!("exported-{k}.jpg"));
        call(
            &mut hub,
            "hub export-media",
            &os(&[&"hub", &"export-media", &hub_vault, &orders[order].code, &"-o", &exported]),
            &[hp],
            None,
        )?;
        let photo = std::fs::read(&exported).map_err(|e| e.to_string())?;
        let marker = |item: &str| {
            ctx.book
                .snapshot()
                .into_iter()
                .filter(|m| m.group == "fld" && m.item == format!("{item}-o{order:02}"))
                .map(|m| m.text)
                .collect::<Vec<_>>()
        };
        if !marker("photo").iter().all(|m| contains(&photo, m)) {
            return Err(format!(
                "fld: the photo of order {} reached the hub without its picture markers; \
                 the photo rows would prove nothing",
                orders[order].code
            ));
        }
        if marker("photometa").iter().any(|m| contains(&photo, m)) {
            ctx.observe(format!(
                "fld: the EXIF/COM metadata of the photo of order {} reached the hub",
                orders[order].code
            ));
        }
    }

    ctx.progress("fld: the field receives the acknowledgement; the chat app clears its history");
    let message = chat_message(&mut phone, &chat, &mut chat_files, "2024-05-04_2010_from_hub.txt", &ack)?;
    let text = std::fs::read(&message).map_err(|e| e.to_string())?;
    call(&mut field, "field receive (acknowledgement)", &os(&[&"field", &"receive", &vault]), &[fp], Some(&text))?;
    let table = call(&mut field, "field orders", &os(&[&"field", &"orders", &vault]), &[fp], None)?;
    if table.stdout_text().lines().count() > 1 {
        return Err(format!(
            "fld: field orders still shows orders after the acknowledgement:\n{}",
            table.stdout_text()
        ));
    }
    let listing = call(&mut field, "ls --all", &os(&[&"ls", &vault, &"--all"]), &[fp], None)?;
    let listing = listing.stdout_text();
    if let Some(line) = listing.lines().find(|l| ["order", "report", "media"].iter().any(|w| l.contains(w))) {
        return Err(format!("fld: ls --all still lists after the acknowledgement: {line}"));
    }
    let mut clear = Command::new("rm");
    clear.arg("-f").args(files_in(&chat)?);
    run_checked(&mut clear, Duration::from_secs(60))?;
    run_checked(&mut Command::new("sync"), Duration::from_secs(60))?;

    phone.check_folders(ctx, "fld", &after_init, &[&camera, &chat]);
    phone.write_history(&field)?;
    phone.collect_outside(ctx, "fld", &[&vault])?;
    keep_container(ctx, &vault, "field after acknowledgement")?;
    phone.disk.unmount()?;
    ctx.add_image("fld", &phone.disk.image);
    ctx.count_unlocks(field.unlocks + hub.unlocks);
    ctx.progress(format!("fld: done ({} field and {} hub unlocks)", field.unlocks, hub.unlocks));

    let block_size = phone.disk.block_size;
    let plan = FieldExaminerPlan {
        label: "exam-fld".into(),
        image: phone.disk.image.clone(),
        block_size,
        vault_relative: "home/user/vault.bin".into(),
        passphrase: field_pass.clone(),
        tries: erased_ids,
        carved: "fld".into(),
    };
    // The examiner starts once the carvers are done: she feeds what they recovered from the
    // chat folder back to lethe.
    Ok(vec![Job::new("attack fld", move |ctx| {
        attack_image(ctx, "fld", &plan.image, plan.block_size)?;
        Ok(vec![Job::new("examiner exam-fld", move |ctx| {
            examine_field(ctx, &plan)?;
            Ok(Vec::new())
        })])
    })])
}

/// The examiner who made the broker give her passphrase.
struct FieldExaminerPlan {
    label: String,
    image: PathBuf,
    block_size: u64,
    vault_relative: PathBuf,
    passphrase: String,
    /// Ids of records erased by the acknowledgement (in reality guessed, here known).
    tries: Vec<String>,
    /// The image label whose carved files the examiner replays.
    carved: String,
}

/// Largest carved file the examiner tries as a message.
const MAX_CARVED_MESSAGE: u64 = 1 << 20;

/// Text files the carvers recovered that look like lethe's armor: lines of groups of ASCII
/// letters and digits separated by single spaces (what the recovered chat messages look
/// like). Each distinct text once, with the file it came from.
fn carved_messages(root: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !kind.is_file() || entry.metadata().map_or(true, |m| m.len() > MAX_CARVED_MESSAGE) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
            let armor_like = !text.is_empty()
                && text.lines().all(|line| {
                    line.trim_end().split(' ').all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_alphanumeric()))
                });
            if armor_like && !found.iter().any(|(_, t)| t == text) {
                let shown = path.strip_prefix(root).unwrap_or(&path).display().to_string();
                found.push((shown, text.to_string()));
            }
        }
    }
    found.sort();
    found
}

/// On a copy of the image: `ls --all` and `ls --all --json`, `cat` and `export` of every item
/// and record listed, `field orders`, `cat` of up to ten erased record ids, and the replay of
/// the chat messages the carvers recovered. Everything lethe prints or writes is evidence.
fn examine_field(ctx: &Context, plan: &FieldExaminerPlan) -> Result<(), String> {
    let ExaminerDesk { evidence, copy, mut disk, vault, mut lethe } =
        examiner_desk(ctx, &plan.label, &plan.image, plan.block_size, &plan.vault_relative)?;
    let pass = [plan.passphrase.as_str()];
    let save = |name: &str, finished: &Finished| -> Result<(), String> {
        std::fs::write(evidence.join(format!("{name}.out")), &finished.stdout)
            .and_then(|()| std::fs::write(evidence.join(format!("{name}.err")), &finished.stderr))
            .map_err(|e| e.to_string())
    };
    let mut examine = |args: Vec<OsString>, stdin: Option<&[u8]>| {
        let args: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
        lethe.run(&args, Some(&pass), stdin, None)
    };

    ctx.progress(format!("{}: lethe ls --all, cat and export of everything", plan.label));
    let listing = examine(os(&[&"ls", &vault, &"--all"]), None)?;
    save("ls-all", &listing)?;
    save("ls-all-json", &examine(os(&[&"ls", &vault, &"--all", &"--json"]), None)?)?;
    let listed = if listing.ok() {
        listed_ids(&listing.stdout_text())
    } else {
        ctx.observe(format!("{}: lethe ls --all failed: {}", plan.label, listing.stderr_text().trim()));
        Vec::new()
    };
    let mut opened = 0;
    for id in &listed {
        let shown = examine(os(&[&"cat", &vault, id]), None)?;
        opened += usize::from(shown.ok());
        save(&format!("cat-{id}"), &shown)?;
        let out = evidence.join(format!("export-{id}"));
        save(&format!("export-{id}"), &examine(os(&[&"export", &vault, id, &"-o", &out]), None)?)?;
    }
    save("field-orders", &examine(os(&[&"field", &"orders", &vault]), None)?)?;
    let unlisted: Vec<&String> = plan.tries.iter().filter(|id| !listed.contains(id)).take(MAX_TRIES).collect();
    for id in unlisted {
        let shown = examine(os(&[&"cat", &vault, id]), None)?;
        save(&format!("try-{id}"), &shown)?;
        if shown.ok() {
            opened += 1;
            ctx.observe(format!("{}: lethe cat of erased record {id} succeeded", plan.label));
        }
    }

    // The chat app's deleted messages, carved from the image, are sealed to the broker's key,
    // which her passphrase opens. lethe refuses a message it has seen: the examiner erases
    // that memory with lethe's own `rm`, then hands lethe every carved message again.
    let carved = carved_messages(&ctx.evidence_dir(&plan.carved));
    let seen: Vec<String> = listing
        .stdout_text()
        .lines()
        .filter(|l| l.contains("remit.field.seen"))
        .filter_map(|l| listed_ids(l).into_iter().next())
        .collect();
    ctx.progress(format!(
        "{}: replaying {} carved message(s) after erasing {} seen-message record(s)",
        plan.label,
        carved.len(),
        seen.len()
    ));
    for id in &seen {
        save(&format!("replay-rm-{id}"), &examine(os(&[&"rm", &vault, id]), None)?)?;
    }
    // After each message lethe accepts, the examiner looks at the orders at once: a replayed
    // acknowledgement would erase them again.
    let mut accepted = Vec::new();
    let mut most_orders = 0;
    for (k, (source, text)) in carved.iter().enumerate() {
        let received = examine(os(&[&"field", &"receive", &vault]), Some(text.as_bytes()))?;
        save(&format!("replay-{k:02}-receive"), &received)?;
        if received.ok() {
            accepted.push(source.clone());
            let orders = examine(os(&[&"field", &"orders", &vault]), None)?;
            save(&format!("replay-{k:02}-field-orders"), &orders)?;
            most_orders = most_orders.max(orders.stdout_text().lines().count().saturating_sub(1));
        }
    }
    if !accepted.is_empty() {
        ctx.observe(format!(
            "{}: after `lethe rm` of the seen-message record, `lethe field receive` accepted {} \
             message(s) carved from the deleted chat files ({}); `lethe field orders` then showed \
             up to {most_orders} order(s)",
            plan.label,
            accepted.len(),
            accepted.join(", "),
        ));
    }

    disk.unmount()?;
    let _ = std::fs::remove_file(&copy);
    ctx.count_unlocks(lethe.unlocks);
    ctx.progress(format!("{}: done, {opened} items opened ({} unlocks)", plan.label, lethe.unlocks));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markers::MarkerBook;

    #[test]
    fn the_picture_markers_are_in_the_scan_data_the_metadata_markers_before_it() {
        let book = MarkerBook::new();
        let meta = book.item("t", MarkerKind::Secret, "photometa-o00");
        let picture = book.item("t", MarkerKind::Secret, "photo-o00");
        let jpeg = delivery_photo(&meta, &picture);
        assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9]);
        let position = |m: &str| jpeg.windows(m.len()).position(|w| w == m.as_bytes()).unwrap();
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        for m in meta.all() {
            assert!(position(m) < sos);
        }
        for m in picture.all() {
            assert!(position(m) > sos);
        }
        // The scan data holds no marker byte pair the picture markers could have added.
        let scan = &jpeg[sos..jpeg.len() - 2];
        assert!(scan.windows(2).skip(1).all(|w| w[0] != 0xFF || w[1] == 0 || (0xD0..=0xD7).contains(&w[1])));
    }
}
