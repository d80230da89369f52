//! `hub …` and `field …` of the naive store, with the real commands' interface: orders,
//! answers and photos kept as plaintext records, messages sent as plain text, photos sent
//! with their metadata, an acknowledgement that only drops records from the index and a
//! `--shred-source` that only unlinks. The positive control of the field scenario.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{Args, Item, Store, compartment, load, read_passphrases, save};

const ORDERS: &str = "NAIVE-ORDERS\n";
const REPORTS: &str = "NAIVE-REPORTS\n";
const ACK: &str = "NAIVE-ACK\n";
/// Separates the records in a message.
const END: &str = "--\n";

fn stdin_bytes() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn add(store: &mut Store, compartment: u32, name: String, content: Vec<u8>) -> u64 {
    let id = store.items.iter().map(|i| i.id).max().unwrap_or(0) + 1;
    store.items.push(Item { compartment, id, name, content });
    id
}

/// The value of a `key: value` line.
fn value(content: &[u8], key: &str) -> String {
    String::from_utf8_lossy(content)
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")).map(str::to_string))
        .unwrap_or_default()
}

/// Records of this compartment whose name starts with `prefix`.
fn named<'s>(store: &'s Store, level: u32, prefix: &str) -> Vec<&'s Item> {
    store.items.iter().filter(|i| i.compartment == level && i.name.starts_with(prefix)).collect()
}

fn blocks(message: &str) -> impl Iterator<Item = &str> {
    message.split(END).filter(|b| !b.trim().is_empty())
}

pub(super) fn dispatch(a: &Args) -> Result<(), String> {
    let role = a.positional[0].clone();
    let sub = a.positional.get(1).ok_or("no subcommand")?.clone();
    let vault = PathBuf::from(a.positional.get(2).ok_or("no vault")?);
    let argument = a.positional.get(3).cloned();
    let lines = read_passphrases(a.fd.as_deref().ok_or("--passphrase-fd missing")?)?;
    let mut store = load(&vault)?;
    let level = compartment(&store, lines.first().ok_or("no passphrase")?)?;
    let mut out = String::new();
    match (role.as_str(), sub.as_str()) {
        (_, "init") => {
            add(&mut store, level, format!("remit.{role}.identity"), b"naive key".to_vec());
            out = format!("NAIVE-{}-KEY\n", role.to_uppercase());
        }
        ("hub", "add-broker") | ("field", "pair") => {
            let name = match role.as_str() {
                "hub" => format!("remit.hub.broker {}", a.name.clone().unwrap_or_default()),
                _ => "remit.field.hub".to_string(),
            };
            add(&mut store, level, name, stdin_bytes()?);
            out = "NAIVE-SAFETY-CODE\n".to_string();
        }
        ("hub", "order") => {
            let form = stdin_bytes()?;
            let id = store.items.iter().map(|i| i.id).max().unwrap_or(0) + 1;
            let code = format!("NV{id:06}");
            add(&mut store, level, format!("remit.hub.order {code} new"), form);
            out = format!("{code}\n");
        }
        ("hub", "send") => {
            out.push_str(ORDERS);
            for item in store.items.iter_mut() {
                let Some(code) = item
                    .name
                    .strip_prefix("remit.hub.order ")
                    .and_then(|rest| rest.strip_suffix(" new"))
                    .map(str::to_string)
                else {
                    continue;
                };
                out.push_str(&format!("code: {code}\n"));
                for line in String::from_utf8_lossy(&item.content).lines() {
                    if !line.starts_with("answer:") {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                out.push_str(END);
                item.name = format!("remit.hub.order {code} sent");
            }
        }
        ("field", "receive") => {
            let text = String::from_utf8(stdin_bytes()?).map_err(|e| e.to_string())?;
            if let Some(orders) = text.strip_prefix(ORDERS) {
                for block in blocks(orders) {
                    let code = value(block.as_bytes(), "code");
                    add(&mut store, level, format!("remit.field.order {code}"), block.as_bytes().to_vec());
                    out.push_str(&format!("{code}\n"));
                }
            } else if let Some(codes) = text.strip_prefix(ACK) {
                // "Erased": dropped from the index; the store is rewritten, old copies stay.
                let codes: Vec<&str> = codes.lines().filter(|c| !c.is_empty()).collect();
                store.items.retain(|i| {
                    !(i.name.starts_with("remit.field.") && codes.iter().any(|c| i.name.ends_with(&format!(" {c}"))))
                });
                eprintln!("The hub confirmed {} report(s).", codes.len());
            } else {
                return Err("not a message from the hub".into());
            }
        }
        ("field", "orders") => {
            out.push_str("CODE  STATUS  ALIAS  PLACE  QUESTION\n");
            for order in named(&store, level, "remit.field.order ") {
                let code = value(&order.content, "code");
                let delivered = !named(&store, level, &format!("remit.field.report {code}")).is_empty();
                out.push_str(&format!(
                    "{code}  {}  {}  {}  {}\n",
                    if delivered { "delivered" } else { "pending" },
                    value(&order.content, "alias"),
                    value(&order.content, "place"),
                    value(&order.content, "question")
                ));
            }
        }
        ("field", "deliver") => {
            let code = argument.ok_or("no order code")?;
            let answer = lines.get(1).ok_or("no answer")?;
            if named(&store, level, &format!("remit.field.order {code}")).is_empty() {
                return Err(format!("no order {code}"));
            }
            add(
                &mut store,
                level,
                format!("remit.field.report {code}"),
                format!("code: {code}\nanswer: {answer}\n").into_bytes(),
            );
            if let Some(media) = &a.media {
                let photo = std::fs::read(media).map_err(|e| format!("{media}: {e}"))?;
                add(&mut store, level, format!("remit.field.media {code}"), photo);
            }
            save(&vault, &store)?;
            if let (Some(media), true) = (&a.media, a.shred_source) {
                std::fs::remove_file(media).map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
        ("field", "send") => {
            out.push_str(REPORTS);
            for report in named(&store, level, "remit.field.report ") {
                out.push_str(&String::from_utf8_lossy(&report.content));
                out.push_str(END);
            }
            if let Some(dir) = &a.media_dir {
                for media in named(&store, level, "remit.field.media ") {
                    let code = media.name.rsplit(' ').next().unwrap_or("x");
                    std::fs::write(Path::new(dir).join(format!("{code}.jpg")), &media.content)
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        ("hub", "receive") => {
            let text = String::from_utf8(stdin_bytes()?).map_err(|e| e.to_string())?;
            let reports = text.strip_prefix(REPORTS).ok_or("not a report message")?;
            out.push_str(ACK);
            for block in blocks(reports) {
                let code = value(block.as_bytes(), "code");
                let Some(order) = store.items.iter_mut().find(|i| i.name == format!("remit.hub.order {code} sent"))
                else {
                    eprintln!("{code}  UNKNOWN ORDER, not recorded");
                    continue;
                };
                let right = value(&order.content, "answer") == value(block.as_bytes(), "answer");
                eprintln!(
                    "{code}  {}  {}",
                    if right { "delivered" } else { "DISPUTED (wrong answer)" },
                    value(&order.content, "alias")
                );
                order.name = format!("remit.hub.order {code} delivered");
                out.push_str(&format!("{code}\n"));
            }
        }
        ("hub", "media") => {
            let file = argument.ok_or("no media file")?;
            let photo = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
            let code = Path::new(&file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            eprintln!("Imported the media of order {code} ({} bytes).", photo.len());
            add(&mut store, level, format!("remit.hub.media {code}"), photo);
        }
        ("hub", "export-media") => {
            let code = argument.ok_or("no order code")?;
            let media = named(&store, level, &format!("remit.hub.media {code}"));
            let media = media.first().ok_or(format!("no media for {code}"))?;
            let output = a.output.as_deref().ok_or("-o missing")?;
            return std::fs::write(output, &media.content).map_err(|e| e.to_string());
        }
        (role, sub) => return Err(format!("unknown command {role} {sub}")),
    }
    save(&vault, &store)?;
    std::io::stdout().lock().write_all(out.as_bytes()).map_err(|e| e.to_string())
}
