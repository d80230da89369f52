//! Issue 3, property 3: `rm` crypto-erases. After it, no byte of the item's plaintext or
//! ciphertext is left in the container, the blocks that held it (and the index copies that
//! held its key) are overwritten with fresh random bytes, and reopening with the passphrase
//! cannot list or read it.
//!
//! The item's blocks are found without any accessor into the vault, by diffing snapshots:
//! the blocks changed by the add are the item's blocks, the new index copies and the
//! scrubbed old index copies; the old copies are known from the operation before (which
//! wrote only the index), and the new copies from the operation after (an empty item: it
//! rewrites only the index).
//!
//! Positive control: the same checks on the weak store (delete = clear the directory entry)
//! must report the plaintext and the untouched blocks.

// Format version 1 behaviour (old containers keep working); version 2 has its own tests
// (v2.rs, two_images.rs, loss.rs).

mod common;

use common::*;
use lethe_vault::format::BLOCK_PAYLOAD;
use lethe_vault::*;
use std::collections::HashSet;

const LEN: usize = 2 << 20;

/// A distinctive multi-block plaintext (5 blocks and a bit): numbered lines no other content
/// has, in Korean and English.
fn distinctive_plaintext() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 5 * BLOCK_PAYLOAD + 300 {
        s.push_str(&format!("ERASE-ME line {i:05}: 수령인 박은별, 혜산, 350만원, code {}\n", 7919 * i));
        i += 1;
    }
    s
}

/// What an examiner could still recover of an item after its removal; empty if nothing.
/// `item_blocks` are compared between `before_rm` and `after_rm`; each of `key_blocks` is
/// a block and the snapshot in which it held the item's key (an index copy).
fn leftovers(
    before_rm: &[u8],
    after_rm: &[u8],
    item_blocks: &[u64],
    key_blocks: &[(u64, &[u8])],
    plaintext: &str,
) -> Vec<String> {
    let mut found = Vec::new();
    for &b in item_blocks {
        if !every_window_differs(block(before_rm, b), block(after_rm, b)) {
            found.push(format!("item block {b} was not entirely overwritten"));
        }
    }
    for &(b, when) in key_blocks {
        if !every_window_differs(block(when, b), block(after_rm, b)) {
            found.push(format!("index block {b} (it held the item's key) was not entirely overwritten"));
        }
    }
    // Any 16-byte window of what the item's blocks held (ciphertext, or plaintext in the
    // weak store), at any offset, anywhere in the image.
    let mut windows: HashSet<[u8; 16]> = HashSet::new();
    for &b in item_blocks {
        for w in block(before_rm, b).windows(16) {
            windows.insert(w.try_into().expect("16"));
        }
    }
    let hits = after_rm.windows(16).filter(|w| windows.contains(*w)).count();
    if hits > 0 {
        found.push(format!("{hits} 16-byte windows of the item's old blocks are still in the image"));
    }
    for line in plaintext.lines().step_by(17) {
        for enc in find_text(after_rm, line) {
            found.push(format!("plaintext line {line:?} found ({enc})"));
        }
    }
    found
}

/// Runs the erase checks for an item in compartment `level` (0, or 1 with a decoy below).
fn erase_in_compartment(level: usize) {
    let mem = fresh_mem(LEN);
    let pre = mem.snapshot();
    let mut v = Vault::init_v1(mem.clone(), &pass("decoy"), P).unwrap();
    let mut t = Tracker::after_index_only_op(&mem, &pre);
    let decoy_note = t.add(&mut v, "list.txt", b"decoy shopping list").id;
    if level == 1 {
        let before = mem.snapshot();
        v.hide(&pass("hidden"), P).unwrap();
        t = Tracker::after_index_only_op(&mem, &before);
    }
    assert_eq!(v.level(), level);
    let other = t.add(&mut v, "keep.txt", b"an item that must survive").id;
    let plaintext = distinctive_plaintext();
    let target = t.add(&mut v, "evidence.txt", plaintext.as_bytes());
    let id = target.id;

    let before_rm = mem.snapshot();
    // Sanity: the item is stored, encrypted.
    assert_eq!(v.read(id).unwrap().as_slice(), plaintext.as_bytes());
    assert!(find_text(&before_rm, "ERASE-ME line 00017").is_empty(), "plaintext stored in the clear");

    v.remove(id).unwrap();
    let after_rm = mem.snapshot();
    let key_blocks: Vec<(u64, &[u8])> = target.key_blocks.iter().map(|(b, s)| (*b, s.as_slice())).collect();
    let found = leftovers(&before_rm, &after_rm, &target.item_blocks, &key_blocks, &plaintext);
    assert!(found.is_empty(), "rm left recoverable traces: {found:#?}");

    // The overwritten blocks look like never-used ones (byte histogram of ~24 KiB).
    let scrubbed: Vec<u8> = target.item_blocks.iter().flat_map(|&b| block(&after_rm, b).to_vec()).collect();
    let chi = chi_square_bytes(&scrubbed);
    assert!(chi < chi_square_critical(255.0, Z_1E6), "scrubbed blocks not random: chi2 {chi}");

    // No passphrase brings it back; everything else is intact.
    assert!(matches!(v.read(id), Err(Error::NoSuchItem(_))));
    drop(v);
    let top_pass = if level == 0 { "decoy" } else { "hidden" };
    let v = Vault::open(mem.clone(), &pass(top_pass), P).unwrap();
    assert!(v.list().iter().all(|i| i.id != id), "removed item still listed");
    assert!(matches!(v.read(id), Err(Error::NoSuchItem(_))));
    assert!(matches!(v.info(id), Err(Error::NoSuchItem(_))));
    assert_eq!(v.read(other).unwrap().as_slice(), b"an item that must survive");
    drop(v);
    let v = Vault::open(mem.clone(), &pass("decoy"), P).unwrap();
    assert_eq!(v.read(decoy_note).unwrap().as_slice(), b"decoy shopping list");
    assert!(matches!(v.read(id), Err(Error::NoSuchItem(_))));
    assert!(matches!(Vault::open(mem, &pass("wrong"), P), Err(Error::WrongPassphrase)));
}

#[test]
fn rm_leaves_nothing_of_the_item_in_compartment_0() {
    erase_in_compartment(0);
}

#[test]
fn rm_leaves_nothing_of_the_item_in_a_hidden_compartment() {
    erase_in_compartment(1);
}

#[test]
fn rm_of_a_streamed_item_leaves_nothing() {
    // An item added from a pipe (no size known in advance) is erased the same way.
    let mem = fresh_mem(LEN);
    let mut v = Vault::init_v1(mem.clone(), &pass("p"), P).unwrap();
    let plaintext = distinctive_plaintext();
    let s0 = mem.snapshot();
    let id = v.add_from_reader(ItemKind::Note, "", &mut plaintext.as_bytes(), None, &mut |_| {}).unwrap();
    let s1 = mem.snapshot();
    // Every data block the add changed: a superset of the item's blocks. After rm, each one
    // that still holds what the add wrote must be gone (old index copies were already
    // random at s1, and are only required not to contain the item).
    let touched = changed_data_blocks(&s0, &s1);
    v.remove(id).unwrap();
    let s2 = mem.snapshot();
    let unchanged: Vec<u64> =
        touched.iter().copied().filter(|&b| !every_window_differs(block(&s1, b), block(&s2, b))).collect();
    // Only the two index copies scrubbed by the add itself may stay as they were.
    assert!(unchanged.len() <= 2, "blocks written by the add survive the rm: {unchanged:?}");
    let found = leftovers(&s1, &s2, &[], &[], &plaintext);
    assert!(found.is_empty(), "{found:?}");
    let blocks_with_data: Vec<u64> = touched.iter().copied().filter(|b| !unchanged.contains(b)).collect();
    let mut windows: HashSet<[u8; 16]> = HashSet::new();
    for &b in &blocks_with_data {
        for w in block(&s1, b).windows(16) {
            windows.insert(w.try_into().unwrap());
        }
    }
    assert_eq!(s2.windows(16).filter(|w| windows.contains(*w)).count(), 0);
}

#[test]
fn positive_control_weak_store_delete_leaves_everything() {
    let mut w = WeakStore::new(LEN);
    w.add(ItemKind::Note, "keep.txt", b"an item that must survive");
    let plaintext = distinctive_plaintext();
    let s0 = w.image.clone();
    let slot = w.add(ItemKind::File, "evidence.txt", plaintext.as_bytes());
    let s1 = w.image.clone();
    let changed = changed_blocks(&s0, &s1);
    // The directory block and the content blocks.
    let item_blocks: Vec<u64> = changed.iter().copied().filter(|&b| b >= 16).collect();
    assert!(item_blocks.len() >= 5);
    w.remove(slot);
    let s2 = w.image.clone();
    assert!(w.list().iter().all(|(_, n)| n != "evidence.txt"), "the weak store still lists it");
    let found = leftovers(&s1, &s2, &item_blocks, &[], &plaintext);
    eprintln!("control found {} traces, e.g. {:?}", found.len(), found.first());
    assert!(found.iter().any(|f| f.contains("not entirely overwritten")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("plaintext line") && f.contains("UTF-8")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("16-byte windows")), "{found:?}");
    // And the examiner's carving gets the whole text back: it is one contiguous run.
    assert!(contains(&s2, plaintext.as_bytes()));
}
