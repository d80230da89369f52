//! A deliberately naive store with lethe's command-line interface: plaintext records in one
//! file, rewritten through a temporary file and rename on every change, "deleted" items merely
//! dropped from the index, a thumbnail cache beside it, `panic` that unlinks the file,
//! `--shred-source` that only unlinks, and a `scrub-free-space` that does nothing.
//!
//! The hub and field commands (`naive/remit.rs`) keep orders, answers and photos the same
//! way and send them as plain text.
//!
//! It is what many apps do. `seizure --self-test-naive` runs every lethe scenario against it
//! to prove that each scenario and attack method catches such a store (the positive control of
//! the lethe rows). It is never a fallback for the real binary.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

mod remit;

struct Item {
    compartment: u32,
    id: u64,
    name: String,
    content: Vec<u8>,
}

#[derive(Default)]
struct Store {
    passphrases: Vec<(u32, String)>,
    items: Vec<Item>,
}

const MAGIC: &[u8] = b"NAIVE-STORE v1\n";

fn load(vault: &Path) -> Result<Store, String> {
    let bytes = std::fs::read(vault).map_err(|e| format!("{}: {e}", vault.display()))?;
    let mut rest = bytes.strip_prefix(MAGIC).ok_or("not a naive store (panicked?)")?;
    let mut store = Store::default();
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b'\n').ok_or("truncated record")?;
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let fields: Vec<&str> = header.split(' ').collect();
        let number = |i: usize| -> Result<u64, String> {
            fields.get(i).and_then(|f| f.parse().ok()).ok_or(format!("bad record {header:?}"))
        };
        match fields.first() {
            Some(&"P") => {
                let length = number(2)? as usize;
                let passphrase = String::from_utf8_lossy(&rest[..length]).into_owned();
                rest = &rest[length + 1..];
                store.passphrases.push((number(1)? as u32, passphrase));
            }
            Some(&"I") => {
                let (name_length, length) = (number(3)? as usize, number(4)? as usize);
                let name = String::from_utf8_lossy(&rest[..name_length]).into_owned();
                let content = rest[name_length..name_length + length].to_vec();
                rest = &rest[name_length + length + 1..];
                store.items.push(Item { compartment: number(1)? as u32, id: number(2)?, name, content });
            }
            _ => return Err(format!("bad record {header:?}")),
        }
    }
    Ok(store)
}

/// Writes the whole store to a temporary file and renames it over the old one, the way most
/// apps update a file "atomically" (and leave the previous version in freed blocks).
fn save(vault: &Path, store: &Store) -> Result<(), String> {
    let mut bytes = MAGIC.to_vec();
    for (compartment, passphrase) in &store.passphrases {
        bytes.extend_from_slice(format!("P {compartment} {}\n", passphrase.len()).as_bytes());
        bytes.extend_from_slice(passphrase.as_bytes());
        bytes.push(b'\n');
    }
    for item in &store.items {
        bytes.extend_from_slice(
            format!("I {} {} {} {}\n", item.compartment, item.id, item.name.len(), item.content.len()).as_bytes(),
        );
        bytes.extend_from_slice(item.name.as_bytes());
        bytes.extend_from_slice(&item.content);
        bytes.push(b'\n');
    }
    let temporary = vault.with_extension("tmp");
    let mut file = std::fs::File::create(&temporary).map_err(|e| format!("{}: {e}", temporary.display()))?;
    file.write_all(&bytes).and_then(|()| file.sync_all()).map_err(|e| e.to_string())?;
    std::fs::rename(&temporary, vault).map_err(|e| e.to_string())
}

fn read_passphrases(fd: &str) -> Result<Vec<String>, String> {
    let mut text = String::new();
    std::fs::File::open(format!("/proc/self/fd/{fd}"))
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| format!("passphrase fd {fd}: {e}"))?;
    Ok(text.lines().map(str::to_string).collect())
}

/// The highest compartment this passphrase opens.
fn compartment(store: &Store, passphrase: &str) -> Result<u32, String> {
    store
        .passphrases
        .iter()
        .filter(|(_, p)| p == passphrase)
        .map(|(c, _)| *c)
        .max()
        .ok_or_else(|| "wrong passphrase".to_string())
}

struct Args {
    positional: Vec<String>,
    fd: Option<String>,
    file: Option<String>,
    name: Option<String>,
    output: Option<String>,
    shred_source: bool,
    json: bool,
    broker: Option<String>,
    media: Option<String>,
    media_dir: Option<String>,
}

fn parse(args: &[String]) -> Args {
    let mut parsed = Args {
        positional: Vec::new(),
        fd: None,
        file: None,
        name: None,
        output: None,
        shred_source: false,
        json: false,
        broker: None,
        media: None,
        media_dir: None,
    };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned();
        match args[i].as_str() {
            "--passphrase-fd" => (parsed.fd, i) = (value, i + 1),
            "--file" => (parsed.file, i) = (value, i + 1),
            "--name" => (parsed.name, i) = (value, i + 1),
            "-o" => (parsed.output, i) = (value, i + 1),
            "--size" => i += 1,
            "--broker" => (parsed.broker, i) = (value, i + 1),
            "--media" => (parsed.media, i) = (value, i + 1),
            "--media-dir" => (parsed.media_dir, i) = (value, i + 1),
            "--amount" => i += 1,
            "--shred-source" => parsed.shred_source = true,
            "--json" => parsed.json = true,
            // Records and items are all alike here: `ls` always lists everything.
            "--all" => {}
            other => parsed.positional.push(other.to_string()),
        }
        i += 1;
    }
    parsed
}

pub fn main(args: &[String]) -> i32 {
    match dispatch(args) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("naive-lethe: {message}");
            1
        }
    }
}

fn dispatch(args: &[String]) -> Result<(), String> {
    let a = parse(args);
    let command = a.positional.first().ok_or("no command")?.clone();
    if command == "hub" || command == "field" {
        return remit::dispatch(&a);
    }
    let target = PathBuf::from(a.positional.get(1).ok_or("no vault")?);
    let passphrases = || read_passphrases(a.fd.as_deref().ok_or("--passphrase-fd missing")?);
    let mut stdout = std::io::stdout().lock();
    match command.as_str() {
        "init" => {
            let passphrase = passphrases()?.into_iter().next().ok_or("no passphrase")?;
            save(&target, &Store { passphrases: vec![(0, passphrase)], items: Vec::new() })
        }
        "add" => {
            let mut store = load(&target)?;
            let compartment = compartment(&store, &passphrases()?[0])?;
            let (name, content) = match a.file.as_deref() {
                None | Some("-") => {
                    let mut content = Vec::new();
                    std::io::stdin().read_to_end(&mut content).map_err(|e| e.to_string())?;
                    (a.name.clone().unwrap_or_default(), content)
                }
                Some(path) => {
                    let content = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
                    if a.shred_source {
                        std::fs::remove_file(path).map_err(|e| e.to_string())?;
                    }
                    let name = Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned());
                    (name.unwrap_or_default(), content)
                }
            };
            let id = store.items.iter().map(|i| i.id).max().unwrap_or(0) + 1;
            if name.ends_with(".jpg") {
                // A thumbnail cache next to the store, as gallery-like apps keep.
                let home = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).ok_or("no cache dir")?;
                let cache = home.join("naive-lethe");
                std::fs::create_dir_all(&cache).map_err(|e| e.to_string())?;
                std::fs::write(cache.join(format!("{id}.jpg")), &content).map_err(|e| e.to_string())?;
            }
            store.items.push(Item { compartment, id, name, content });
            save(&target, &store)?;
            writeln!(stdout, "{id}").map_err(|e| e.to_string())
        }
        "ls" => {
            let store = load(&target)?;
            let compartment = compartment(&store, &passphrases()?[0])?;
            for item in store.items.iter().filter(|i| i.compartment == compartment) {
                if a.json {
                    writeln!(stdout, "{{\"id\":\"{}\",\"name\":{:?}}}", item.id, item.name)
                } else {
                    writeln!(stdout, "{}\t{}\t{}", item.id, item.name, item.content.len())
                }
                .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        "cat" | "export" | "rm" => {
            let mut store = load(&target)?;
            let compartment = compartment(&store, &passphrases()?[0])?;
            let id: u64 = a.positional.get(2).and_then(|i| i.parse().ok()).ok_or("bad id")?;
            let at =
                store.items.iter().position(|i| i.id == id && i.compartment == compartment).ok_or("no such item")?;
            match command.as_str() {
                "cat" => stdout.write_all(&store.items[at].content).map_err(|e| e.to_string()),
                "export" => std::fs::write(a.output.as_deref().ok_or("-o missing")?, &store.items[at].content)
                    .map_err(|e| e.to_string()),
                _ => {
                    store.items.remove(at);
                    save(&target, &store)
                }
            }
        }
        "hide" => {
            let mut store = load(&target)?;
            let lines = passphrases()?;
            let current = compartment(&store, lines.first().ok_or("no passphrase")?)?;
            store.passphrases.push((current + 1, lines.get(1).ok_or("no new passphrase")?.clone()));
            save(&target, &store)
        }
        "panic" => {
            std::fs::remove_file(&target).map_err(|e| e.to_string())?;
            let mut noise = vec![0u8; 1 << 20];
            crate::markers::fill_random(&mut noise)?;
            std::fs::write(&target, noise).map_err(|e| e.to_string())
        }
        "scrub-free-space" => {
            eprintln!("naive-lethe: not scrubbing anything");
            Ok(())
        }
        other => Err(format!("unknown command {other}")),
    }
}
