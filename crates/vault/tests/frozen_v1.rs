//! Containers written by format version 1 must open with every later version of lethe.
//! The files in tests/vectors/ were made once by `examples/make_vectors.rs` and are never
//! regenerated for a released version.

use lethe_vault::primitives::{KdfParams, derive_master_key, derive_subkey};
use lethe_vault::{ItemId, MemStorage, Passphrase, Vault, format};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn vectors() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

#[test]
fn frozen_v1_container_opens_with_each_passphrase() {
    let image = std::fs::read(vectors().join("v1-container.bin")).unwrap();
    let desc = std::fs::read_to_string(vectors().join("v1-container.txt")).unwrap();
    let mut passphrases = Vec::new();
    let mut items: Vec<(usize, String, String, String, Vec<u8>)> = Vec::new();
    for line in desc.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "passphrase" => {
                passphrases.push((f[1].to_string(), f[2].trim_start_matches("level ").parse::<usize>().unwrap()))
            }
            "item" => items.push((f[1].parse().unwrap(), f[2].into(), f[3].into(), f[4].into(), unhex(f[5]))),
            _ => panic!("unknown line {line}"),
        }
    }
    assert_eq!(passphrases.len(), 2);
    for (pass, level) in &passphrases {
        // A copy each time: opening may repair, and the frozen bytes must stay frozen.
        let v = Vault::open(MemStorage::new(image.clone()), &Passphrase::new(pass.as_bytes()), KdfParams::STANDARD)
            .unwrap_or_else(|e| panic!("{pass}: {e}"));
        assert_eq!(v.level(), *level);
        let mine: Vec<_> = items.iter().filter(|i| i.0 == *level).collect();
        let listed = v.list();
        assert_eq!(listed.len(), mine.len());
        for (_, id, kind, name, content) in mine {
            let id: ItemId = id.parse().unwrap();
            let info = v.info(id).unwrap();
            assert_eq!(info.kind.as_str(), kind);
            assert_eq!(&info.name, name);
            assert_eq!(v.read(id).unwrap().as_slice(), &content[..]);
        }
    }
    let wrong = Vault::open(MemStorage::new(image), &Passphrase::new(b"frozen decoy v2"), KdfParams::STANDARD);
    assert!(matches!(wrong, Err(lethe_vault::Error::WrongPassphrase)));
}

#[test]
fn kdf_vectors_match() {
    let text = std::fs::read_to_string(vectors().join("v1-kdf.txt")).unwrap();
    let field = |name: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with(&format!("{name}\t")))
            .unwrap()
            .split('\t')
            .skip(1)
            .map(String::from)
            .collect()
    };
    let pass = field("passphrase")[0].clone();
    let salt: [u8; 32] = unhex(&field("salt")[0]).try_into().unwrap();
    let master = derive_master_key(pass.as_bytes(), &salt, KdfParams::STANDARD);
    assert_eq!(master.as_bytes().to_vec(), unhex(&field("master")[0]));
    let slot_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("slot_key\t")).collect();
    assert_eq!(slot_lines.len(), format::SLOT_COUNT);
    for line in slot_lines {
        let f: Vec<&str> = line.split('\t').collect();
        let i: usize = f[1].parse().unwrap();
        assert_eq!(derive_subkey(&master, &format::slot_key_info(i)).as_bytes().to_vec(), unhex(f[2]));
    }
}
