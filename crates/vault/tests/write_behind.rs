//! `WriteBehind`, the writer of exports (issue 12): it starts the write-back of what it wrote
//! as it goes, which is a hint to the kernel; what must hold is that the bytes land where
//! they belong, in order, whatever the sizes of the writes and wherever the file's own cursor
//! is, and that an export through it gives the item back exactly. (What the write-back buys
//! is measured by `cargo bench -p lethe-cli --bench files`, beside the plain writes.)

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use lethe_vault::{ItemKind, KdfParams, Passphrase, WriteBehind};

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lethe-write-behind-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Bytes that differ at every position, so a piece written in the wrong place shows.
fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1]).collect()
}

#[test]
fn every_byte_lands_in_order_whatever_the_write_sizes_and_the_cursor() {
    let dir = scratch("order");
    let content = pattern(5 * (1 << 20) + 12_345);
    // Sizes around the 1 MiB step at which write-back starts: below, at, across it.
    let sizes = [1usize, 4095, 4096, (1 << 20) - 1, 1 << 20, 3 << 19, 7, 2 << 20];
    let path = dir.join("out.bin");
    let mut w = WriteBehind::new(File::create(&path).unwrap());
    let mut at = 0usize;
    for size in sizes.iter().cycle() {
        if at == content.len() {
            break;
        }
        let end = (at + size).min(content.len());
        w.write_all(&content[at..end]).unwrap();
        at = end;
        // The file's own cursor is not where the writer writes: moving it changes nothing.
        w.file().seek(SeekFrom::Start(3)).unwrap();
    }
    w.flush().unwrap();
    w.sync().unwrap();
    drop(w);
    assert!(std::fs::read(&path).unwrap() == content, "the file differs from what was written");

    // Control: the same writes through the file's cursor, moved the same way, land wrong,
    // so the comparison above can fail.
    let path = dir.join("cursor.bin");
    let mut f = File::create(&path).unwrap();
    f.write_all(&content[..100]).unwrap();
    f.seek(SeekFrom::Start(3)).unwrap();
    f.write_all(&content[100..200]).unwrap();
    drop(f);
    assert!(std::fs::read(&path).unwrap() != content[..200], "control: a moved cursor must misplace the bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_it_cannot_write_gives_an_error_and_not_a_short_file() {
    let dir = scratch("readonly");
    let path = dir.join("ro.bin");
    std::fs::write(&path, b"kept").unwrap();
    let mut w = WriteBehind::new(OpenOptions::new().read(true).open(&path).unwrap());
    assert!(w.write_all(&pattern(3 << 20)).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The two paths that now start write-back (the import's blocks in the container file, the
/// export's plain file) give a large item back exactly, also after the container is reopened.
#[test]
fn an_item_imported_and_exported_through_files_comes_back_exactly() {
    let dir = scratch("item");
    let content = pattern(9 * (1 << 20) + 777);
    let source = dir.join("source.bin");
    std::fs::write(&source, &content).unwrap();
    let pass = Passphrase::new(b"write behind test");
    let container = dir.join("c.lethe");
    let mut vault =
        lethe_vault::create_file(&container, 24 << 20, &pass, KdfParams::INSECURE_TEST_ONLY, &mut |_, _| {}).unwrap();
    let mut file = File::open(&source).unwrap();
    let id = vault.add_from_reader(ItemKind::File, "big", &mut file, Some(content.len() as u64), &mut |_| {}).unwrap();
    drop(vault);
    let vault = lethe_vault::open_file(&container, &pass, KdfParams::INSECURE_TEST_ONLY).unwrap();
    let out = dir.join("exported.bin");
    let mut w = WriteBehind::new(OpenOptions::new().write(true).create_new(true).open(&out).unwrap());
    let mut seen = 0u64;
    vault.read_to(id, &mut w, &mut |d| seen = d).unwrap();
    w.sync().unwrap();
    assert_eq!(seen, content.len() as u64);
    let mut back = Vec::new();
    File::open(&out).unwrap().read_to_end(&mut back).unwrap();
    assert!(back == content, "the exported file differs from the source");
    let _ = std::fs::remove_dir_all(&dir);
}
