//! The vault's fuzz harnesses run in the ordinary test suite: every committed input of
//! crates/vault/fuzz/corpus (the seeds, and `regression-*` inputs that once crashed a target)
//! is replayed through exactly the code the fuzz targets run, which this file includes.

#[path = "../fuzz/src/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("corpus file"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no committed inputs in {}", dir.display());
    files
}

/// The harness's fixed container is valid: without edits it opens with both passphrases and
/// lists its items (the interrupted erase of level 0 is finished on opening). Without this the
/// open_container target could reject every input and still look clean.
#[test]
fn fixed_container_of_the_harness_opens() {
    assert_eq!(harness::fixed_container_opens(), (3, 1));
}

/// What opening an image gives with each passphrase: the number of items listed, or the error.
fn outcome(image: &[u8]) -> Vec<String> {
    harness::PASSPHRASES
        .iter()
        .map(|pw| {
            let storage = lethe_vault::MemStorage::new(image.to_vec());
            let pw = lethe_vault::Passphrase::new(pw.as_bytes());
            match lethe_vault::Vault::open(storage, &pw, lethe_vault::KdfParams::INSECURE_TEST_ONLY) {
                Ok(v) => format!("level {} with {} items", v.level(), v.list().len()),
                Err(e) => format!("{e:?}"),
            }
        })
        .collect()
}

/// The edits reach the parsers: the seeds give several different outcomes, and the wrong
/// passphrase opens nothing in any of them.
#[test]
fn harness_edits_change_what_opens() {
    let mut outcomes = std::collections::BTreeSet::new();
    for (name, input) in corpus("open_container") {
        let o = outcome(&harness::build_image(&input));
        assert!(!o[2].starts_with("level"), "{name}: the wrong passphrase opened something: {o:?}");
        eprintln!("{name}: {o:?}");
        outcomes.insert(o);
    }
    assert!(outcomes.len() >= 4, "the seeds all open the same way: {outcomes:?}");
}

#[test]
fn open_container_corpus_replays() {
    for (name, input) in corpus("open_container") {
        eprintln!("open_container {name}");
        harness::open_container(&input);
    }
}

#[test]
fn slot_decode_corpus_replays() {
    for (name, input) in corpus("slot_decode") {
        eprintln!("slot_decode {name}");
        harness::slot_decode(&input);
    }
}

#[test]
fn meta_decode_corpus_replays() {
    for (name, input) in corpus("meta_decode") {
        eprintln!("meta_decode {name}");
        harness::meta_decode(&input);
    }
}
