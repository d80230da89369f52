//! Containers written by format version 2 must open with every later version of lethe. The
//! files in tests/vectors/v2-* were made once by `examples/make_vectors_v2.rs` and are never
//! regenerated: a decoy, a hidden compartment with a note, an item written across sessions
//! and an item left partial (which must resume from where it stopped).

use lethe_vault::{ItemId, KdfParams, MemStorage, Passphrase, Stored, Vault};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn frozen_v2_container_opens_with_each_passphrase() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let image = std::fs::read(dir.join("v2-container.bin")).unwrap();
    let desc = std::fs::read_to_string(dir.join("v2-container.txt")).unwrap();
    let mut passphrases = Vec::new();
    let mut items = Vec::new();
    let mut partials = Vec::new();
    for line in desc.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "passphrase" => {
                passphrases.push((f[1].to_string(), f[2].trim_start_matches("level ").parse::<usize>().unwrap()))
            }
            "item" => items.push((f[1].parse::<usize>().unwrap(), f[2].to_string(), f[3], f[4], unhex(f[5]))),
            "partial" => partials.push((
                f[1].parse::<usize>().unwrap(),
                f[2].to_string(),
                f[4],
                f[5].parse::<u64>().unwrap(),
                f[6].parse::<u64>().unwrap(),
                unhex(f[7]),
            )),
            _ => panic!("unknown line {line}"),
        }
    }
    assert_eq!((passphrases.len(), items.len(), partials.len()), (2, 4, 1));
    for (pass, level) in &passphrases {
        // A copy each time: an open is a session, and the frozen bytes must stay frozen.
        let mut v = Vault::open(MemStorage::new(image.clone()), &Passphrase::new(pass.as_bytes()), KdfParams::STANDARD)
            .unwrap_or_else(|e| panic!("{pass}: {e}"));
        assert_eq!((v.level(), v.format_version()), (*level, 2));
        let mine: Vec<_> = items.iter().filter(|i| i.0 == *level).collect();
        assert_eq!(v.list().len(), mine.len());
        for (_, id, kind, name, content) in mine {
            let id: ItemId = id.parse().unwrap();
            let info = v.info(id).unwrap();
            assert_eq!((info.kind.as_str(), info.name.as_str()), (*kind, *name));
            assert!(v.read(id).unwrap().as_slice() == &content[..], "{name} differs");
        }
        let p = v.partial_items();
        let want: Vec<_> = partials.iter().filter(|p| p.0 == *level).collect();
        assert_eq!(p.len(), want.len());
        for (_, id, name, size, written, content) in want {
            let id: ItemId = id.parse().unwrap();
            let got = p.iter().find(|x| x.id == id).unwrap();
            assert_eq!((got.name.as_str(), got.size, got.written), (*name, *size, *written));
            let r = v.resume_add(id, &mut &content[*written as usize..], 50, &mut |_| {}).unwrap();
            assert_eq!(r, Stored::Done(id));
            assert!(v.read(id).unwrap().as_slice() == &content[..]);
        }
    }
    let wrong = Vault::open(MemStorage::new(image), &Passphrase::new(b"frozen decoy v1"), KdfParams::STANDARD);
    assert!(matches!(wrong, Err(lethe_vault::Error::WrongPassphrase)));
}
