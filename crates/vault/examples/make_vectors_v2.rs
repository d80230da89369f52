//! Writes the frozen format version 2 test vectors in tests/vectors/ (run once; the files are
//! committed and must keep opening with every later version of lethe; the version 1 vectors
//! are `make_vectors.rs`'s and are never written again):
//!
//!   cargo run --release -p lethe-vault --example make_vectors_v2
//!
//! `v2-container.bin`: a 1 MiB format version 2 container with the standard Argon2id
//! parameters, a decoy compartment and a hidden one holding a note, an item written across
//! sessions and one left partial; described by `v2-container.txt`. Refuses to overwrite.

use lethe_vault::primitives::KdfParams;
use lethe_vault::{ItemKind, MemStorage, Passphrase, Stored, Vault, fill_with_random};
use std::fmt::Write as _;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let (bin, txt) = (dir.join("v2-container.bin"), dir.join("v2-container.txt"));
    assert!(!bin.exists() && !txt.exists(), "the version 2 vectors exist already: they are frozen");
    let params = KdfParams::STANDARD;
    let mut mem = MemStorage::new(vec![0u8; 1 << 20]);
    fill_with_random(&mut mem).unwrap();
    let mut v = Vault::init_version(mem.clone(), &Passphrase::new(b"frozen decoy v2"), params, 2).unwrap();
    let mut desc = String::new();
    writeln!(desc, "passphrase\tfrozen decoy v2\tlevel 0").unwrap();
    let items: [(ItemKind, &str, Vec<u8>); 2] = [
        (ItemKind::Note, "", "장보기: 쌀, 김치 — shopping list".as_bytes().to_vec()),
        (ItemKind::File, "recipe.txt", (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect()),
    ];
    for (kind, name, content) in &items {
        let id = v.add(*kind, name, content).unwrap();
        writeln!(desc, "item\t0\t{id}\t{}\t{name}\t{}", kind.as_str(), hex(content)).unwrap();
    }
    v.hide(&Passphrase::new(b"frozen hidden v2"), params).unwrap();
    writeln!(desc, "passphrase\tfrozen hidden v2\tlevel 1").unwrap();
    let note = "비밀 메모 secret note 秘密".as_bytes().to_vec();
    let id = v.add(ItemKind::Note, "", &note).unwrap();
    writeln!(desc, "item\t1\t{id}\tnote\t\t{}", hex(&note)).unwrap();
    // An item larger than one session (W = 16 blocks in 1 MiB): written across sessions.
    let photo: Vec<u8> = (0..100_000u32).map(|i| (i * 13 % 253) as u8).collect();
    let Stored::Done(id) = v
        .add_across_sessions(ItemKind::File, "photo.jpg", &mut &photo[..], photo.len() as u64, 20, &mut |_| {})
        .unwrap()
    else {
        panic!("not finished in 20 sessions")
    };
    writeln!(desc, "item\t1\t{id}\tfile\tphoto.jpg\t{}", hex(&photo)).unwrap();
    // One left partial: its first blocks are stored, the rest would follow in later sessions.
    v.new_session().unwrap();
    let video: Vec<u8> = (0..150_000u32).map(|i| (i * 17 % 241) as u8).collect();
    let Stored::Continues { id, written, size } = v
        .add_across_sessions(ItemKind::File, "video.mp4", &mut &video[..], video.len() as u64, 1, &mut |_| {})
        .unwrap()
    else {
        panic!("150 kB fits in no session of 1 MiB")
    };
    writeln!(desc, "partial\t1\t{id}\tfile\tvideo.mp4\t{size}\t{written}\t{}", hex(&video)).unwrap();
    drop(v);
    std::fs::write(&bin, mem.snapshot()).unwrap();
    std::fs::write(&txt, desc).unwrap();
    eprintln!("wrote {} and {}", bin.display(), txt.display());
}
