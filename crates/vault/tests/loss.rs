//! Issue 13, point 3: showing the decoy is safe. After 100 decoy-only sessions at 50% fill,
//! no hidden item may be lost (docs/FORMAT.md, version 2, tension 2: the loss probability is
//! 0 while `F >= k W`, and loss is certain for the oldest hidden blocks beyond that).
//!
//! A 64 MiB container (W = 64 blocks per session): the decoy holds 20% of the data blocks,
//! hidden sessions fill the hidden compartment until noise (which holds every hidden block)
//! is 30%, so half of the data blocks are in use. Then 100 sessions open only the decoy
//! (every tenth adds a note to it), and every hidden item must read back exactly.
//! Positive control: the same with 250 decoy sessions, more than the free blocks can cover,
//! must lose hidden items (the test can see a loss).

mod common;

use common::*;
use lethe_vault::format::{BLOCK_PAYLOAD, FIRST_DATA_BLOCK, session_budget};
use lethe_vault::*;

const LEN: usize = 64 << 20;

/// Returns (hidden items, hidden items lost).
fn run(seed: u64, decoy_sessions: usize) -> (usize, usize) {
    let mem = fresh_mem(LEN);
    let d = (LEN / 4096) as u64 - FIRST_DATA_BLOCK;
    let w = session_budget(d + FIRST_DATA_BLOCK);
    assert_eq!(w, 64);
    let mut v = Vault::init_version(mem.clone(), &pass("decoy"), P, 2).unwrap();
    let decoy_blocks = d / 5;
    v.add(ItemKind::File, "archive", &TestRng::new(seed).bytes(decoy_blocks as usize * BLOCK_PAYLOAD)).unwrap();
    v.hide(&pass("hidden"), P).unwrap();
    let mut items: Vec<(ItemId, Vec<u8>)> = Vec::new();
    let mut rng = TestRng::new(seed ^ 0x5eed);
    loop {
        let noise = Vault::inspect(mem.clone(), &pass("decoy"), P).unwrap().examiner_view().1.len() as u64;
        if noise * 10 >= d * 3 {
            break;
        }
        // As much as this session holds, less room for the index.
        let room = v.session_room().unwrap() / BLOCK_PAYLOAD as u64;
        let index = (items.len() as u64 * 600).div_ceil(BLOCK_PAYLOAD as u64) + 1;
        let blocks = room.saturating_sub(2 * index + 3).max(1);
        let cut = rng.below(100) as usize;
        let content = rng.bytes(blocks as usize * BLOCK_PAYLOAD - cut);
        let id = v.add(ItemKind::File, &format!("h{}", items.len()), &content).unwrap();
        items.push((id, content));
        v.new_session().unwrap();
    }
    drop(v);
    let used = Vault::inspect(mem.clone(), &pass("decoy"), P).unwrap();
    let (decoy_used, noise) = used.examiner_view();
    let fill = (decoy_used.len() + noise.len()) as f64 / d as f64;
    assert!((0.49..0.53).contains(&fill), "fill {fill}");
    drop(used);
    for s in 0..decoy_sessions {
        let mut v = Vault::open(mem.clone(), &pass("decoy"), P).unwrap();
        if s % 10 == 0 {
            v.add(ItemKind::Note, &format!("n{s}"), note_text(s as u64, 400).as_bytes()).unwrap();
        }
    }
    let lost = match Vault::open(mem.clone(), &pass("hidden"), P) {
        Err(_) => items.len(),
        Ok(v) => items
            .iter()
            .filter(|(id, content)| !matches!(v.read(*id), Ok(got) if got.as_slice() == &content[..]))
            .count(),
    };
    (items.len(), lost)
}

#[test]
fn no_hidden_item_lost_after_100_decoy_sessions_at_half_fill() {
    let mut total = 0;
    let mut lost = 0;
    for seed in 0..4 {
        let (n, l) = run(seed, 100);
        total += n;
        lost += l;
    }
    eprintln!("100 decoy-only sessions at 50% fill: {lost} of {total} hidden items lost in 4 containers");
    assert_eq!(lost, 0);
}

#[test]
fn positive_control_loss_is_seen_when_sessions_outrun_free_space() {
    let (n, l) = run(99, 250);
    eprintln!("250 decoy-only sessions at 50% fill: {l} of {n} hidden items lost");
    assert!(l > 0, "the loss test must be able to see a loss");
}
