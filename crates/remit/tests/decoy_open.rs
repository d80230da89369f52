//! Issue 13 point 3 with the remit layer: showing the decoy (opening level 0's field role, which
//! runs retention, key erasure and the seen-record at open) writes only level 0's own blocks,
//! free blocks and the open's session, never a block that was noise before the open, so it
//! touches nothing a hidden compartment uses while free blocks remain (docs/FORMAT.md,
//! version 2, point 6 and tension 2). Positive control: in a container whose free blocks are all
//! noise, the same open does take noise (and the check sees it).

mod common;

use common::*;
use lethe_remit::{Field, Hub};
use lethe_vault::{ItemKind, KdfParams, MemStorage, Passphrase, Vault, fill_with_random};
use std::collections::BTreeSet;

const HIDDEN_PASS: &str = "hidden field passphrase";
const BLOCK: usize = 4096;

fn pass(p: &str) -> Passphrase {
    Passphrase::new(p.as_bytes())
}

fn changed_blocks(a: &[u8], b: &[u8]) -> BTreeSet<u64> {
    (0..a.len() / BLOCK)
        .filter(|&i| a[i * BLOCK..(i + 1) * BLOCK] != b[i * BLOCK..(i + 1) * BLOCK])
        .map(|i| i as u64)
        .collect()
}

/// A version 2 field vault of `len` bytes: the decoy (level 0) paired with the bed's hub and
/// holding two orders received at T0; a hidden compartment with its own field role, a note and
/// a 60 kB file. Returns the storage.
fn decoy_with_orders_and_hidden(len: usize) -> MemStorage {
    let (_hub_mem, mut hub) = fresh(HUB_PASS);
    let hub_key = Hub::init(&mut hub, T0).unwrap().public_key().to_text();
    let mut mem = MemStorage::new(vec![0u8; len]);
    fill_with_random(&mut mem).unwrap();
    let mut field = Vault::init_version(mem.clone(), &pass(FIELD_PASS), KdfParams::INSECURE_TEST_ONLY, 2).unwrap();
    let field_key = Field::init(&mut field, T0).unwrap().public_key().to_text();
    Hub::open(&mut hub, T0).unwrap().add_broker(BROKER, &field_key).unwrap();
    Field::open(&mut field, T0).unwrap().pair(&hub_key).unwrap();
    let orders = {
        let mut hub = Hub::open(&mut hub, T0).unwrap();
        hub.create_order(BROKER, &form("big sister", "1,000,000", "0", "KRW", "q", "a")).unwrap();
        hub.create_order(BROKER, &form("uncle", "500,000", "0", "KRW", "q", "a")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    Field::open(&mut field, T0).unwrap().receive(&orders).unwrap();
    field.hide(&pass(HIDDEN_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    Field::init(&mut field, T0).unwrap();
    field.add(ItemKind::Note, "n", b"NOTE-hidden-decoy-open").unwrap();
    field.add(ItemKind::File, "f", &vec![0x5a; 60_000]).unwrap();
    drop(field);
    mem
}

/// Opens the decoy's field role at `now` (retention due) and returns (orders erased at open,
/// blocks changed by the open, blocks that were noise before it).
fn show_decoy(mem: &MemStorage, now: u64) -> (usize, BTreeSet<u64>, BTreeSet<u64>) {
    let noise_before: BTreeSet<u64> = Vault::inspect(mem.clone(), &pass(FIELD_PASS), KdfParams::INSECURE_TEST_ONLY)
        .unwrap()
        .examiner_view()
        .1
        .into_iter()
        .collect();
    let before = mem.snapshot();
    let mut decoy = reopen(mem, FIELD_PASS);
    let erased = Field::open(&mut decoy, now).unwrap().erased_on_open().orders;
    drop(decoy);
    (erased, changed_blocks(&before, &mem.snapshot()), noise_before)
}

#[test]
fn showing_the_decoy_runs_its_open_time_writes_outside_every_hidden_block() {
    let mem = decoy_with_orders_and_hidden(4 << 20);
    let hidden = Vault::inspect(mem.clone(), &pass(HIDDEN_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    let hidden_blocks: BTreeSet<u64> = hidden.examiner_view().0.into_iter().collect();
    let hidden_items: Vec<Vec<u8>> =
        hidden.list().iter().map(|i| hidden.read(i.id).unwrap().as_slice().to_vec()).collect();
    assert!(hidden_items.len() >= 3 && !hidden_blocks.is_empty());
    drop(hidden);
    let (erased, changed, noise_before) = show_decoy(&mem, T0 + 40 * DAY);
    // The open did write at open: the two orders are past the 30 days of retention.
    assert_eq!(erased, 2, "retention erased nothing: the test would see nothing");
    assert!(changed.len() > 16, "{} blocks changed", changed.len());
    assert!(changed.is_disjoint(&noise_before), "showing the decoy wrote noise while free blocks remained");
    assert!(changed.is_disjoint(&hidden_blocks), "showing the decoy wrote a hidden block");
    let hidden = Vault::inspect(mem.clone(), &pass(HIDDEN_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    let after: Vec<Vec<u8>> = hidden.list().iter().map(|i| hidden.read(i.id).unwrap().as_slice().to_vec()).collect();
    assert_eq!(after, hidden_items);
    assert!(Field::open(&mut reopen(&mem, HIDDEN_PASS), T0 + 40 * DAY).is_ok());
}

#[test]
fn control_with_no_free_block_left_the_same_open_takes_noise() {
    // 1 MiB: 239 data blocks, W = 16; a few empty opens of the decoy turn every free block
    // into noise, and then the decoy's open-time writes take the oldest noise (FIFO).
    let mem = decoy_with_orders_and_hidden(1 << 20);
    for _ in 0..20 {
        drop(reopen(&mem, FIELD_PASS));
    }
    let (erased, changed, noise_before) = show_decoy(&mem, T0 + 40 * DAY);
    assert_eq!(erased, 2);
    assert!(!changed.is_disjoint(&noise_before), "the check cannot see writes into noise");
}
