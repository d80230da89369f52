//! Writes the frozen test vectors in tests/vectors/ (run once per format version; the files
//! are committed and must keep opening with every later version of lethe):
//!
//!   cargo run --release -p lethe-vault --example make_vectors
//!
//! - `v1-container.bin`: a 1 MiB container with the standard Argon2id parameters, a decoy
//!   compartment and a hidden one, described by `v1-container.txt`;
//! - `v1-kdf.txt`: passphrase, salt → master key → slot keys, for other implementations.

use lethe_vault::primitives::{KdfParams, Key, derive_master_key, derive_subkey};
use lethe_vault::{ItemKind, MemStorage, Passphrase, Vault, fill_with_random, format};
use std::fmt::Write as _;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    std::fs::create_dir_all(&dir).unwrap();
    let params = KdfParams::STANDARD;

    let mut mem = MemStorage::new(vec![0u8; 1 << 20]);
    fill_with_random(&mut mem).unwrap();
    let mut v = Vault::init_v1(mem.clone(), &Passphrase::new(b"frozen decoy v1"), params).unwrap();
    let mut desc = String::new();
    let items: [(ItemKind, &str, Vec<u8>); 2] = [
        (ItemKind::Note, "", "장보기: 쌀, 김치 — shopping list".as_bytes().to_vec()),
        (ItemKind::File, "recipe.txt", (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect()),
    ];
    writeln!(desc, "passphrase\tfrozen decoy v1\tlevel 0").unwrap();
    for (kind, name, content) in &items {
        let id = v.add(*kind, name, content).unwrap();
        writeln!(desc, "item\t0\t{id}\t{}\t{name}\t{}", kind.as_str(), hex(content)).unwrap();
    }
    v.hide(&Passphrase::new(b"frozen hidden v1"), params).unwrap();
    writeln!(desc, "passphrase\tfrozen hidden v1\tlevel 1").unwrap();
    let content = "비밀 메모 secret note 秘密".as_bytes().to_vec();
    let id = v.add(ItemKind::Note, "", &content).unwrap();
    writeln!(desc, "item\t1\t{id}\tnote\t\t{}", hex(&content)).unwrap();
    drop(v);
    std::fs::write(dir.join("v1-container.bin"), mem.snapshot()).unwrap();
    std::fs::write(dir.join("v1-container.txt"), desc).unwrap();

    let mut kdf = String::new();
    let salt = [0x42u8; 32];
    let master = derive_master_key(b"correct horse battery staple", &salt, params);
    writeln!(kdf, "passphrase\tcorrect horse battery staple").unwrap();
    writeln!(kdf, "salt\t{}", hex(&salt)).unwrap();
    writeln!(kdf, "master\t{}", hex(master.as_bytes())).unwrap();
    for i in 0..format::SLOT_COUNT {
        let k: Key = derive_subkey(&master, &format::slot_key_info(i));
        writeln!(kdf, "slot_key\t{i}\t{}", hex(k.as_bytes())).unwrap();
    }
    std::fs::write(dir.join("v1-kdf.txt"), kdf).unwrap();
    eprintln!("wrote {}", dir.display());
}
