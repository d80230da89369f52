//! Issue 13, format 2: `hide` needs one of the 16 link positions its new passphrase gives
//! (docs/FORMAT.md, version 2, point 5) to be a free block (neither used by level 0 nor noise).
//! With a fraction `u` of the data blocks used or noise, a passphrase finds none with
//! probability about `u^16`. This measures it through the library: many `hide`s, each with a
//! new passphrase, on copies of one container, at about 75% used and with every free block
//! turned into noise by earlier sessions; and checks what the error says.

mod common;

use common::*;
use lethe_vault::format::FIRST_DATA_BLOCK;
use lethe_vault::*;

const DECOY: &str = "decoy";
const LEN: usize = 4 << 20;

/// The fraction of data blocks a fresh open of `mem` leaves used or noise (what a `hide` after
/// that open sees: the open's own session is noise already).
fn used_fraction(mem: &MemStorage) -> f64 {
    let v = Vault::open(MemStorage::new(mem.snapshot()), &pass(DECOY), P).unwrap();
    let (used, noise) = v.examiner_view();
    let d = (LEN / 4096) as u64 - FIRST_DATA_BLOCK;
    (used.len() + noise.len()) as f64 / d as f64
}

/// `trials` hides, each on a fresh copy of `mem` with a passphrase of its own; returns how many
/// failed and the first error's text.
fn hides(mem: &MemStorage, trials: usize) -> (usize, Option<String>) {
    let mut failed = 0;
    let mut first = None;
    for i in 0..trials {
        let mut v = Vault::open(MemStorage::new(mem.snapshot()), &pass(DECOY), P).unwrap();
        match v.hide(&pass(&format!("hidden {i}")), P) {
            Ok(_) => {}
            Err(e) => {
                failed += 1;
                first.get_or_insert(e.to_string());
            }
        }
    }
    (failed, first)
}

#[test]
fn hide_fails_about_u_to_the_16_and_says_why() {
    // About 75% used: level 0 holds items of ~70% of the data blocks, plus the noise of the
    // sessions that wrote them.
    let mem = fresh_mem(LEN);
    let mut v = Vault::init_version(mem.clone(), &pass(DECOY), P, 2).unwrap();
    for i in 0..14 {
        v.add(ItemKind::File, &format!("f{i}"), &vec![i as u8; 200_000]).unwrap();
    }
    drop(v);
    let u = used_fraction(&mem);
    let trials = 2000;
    let (failed, text) = hides(&mem, trials);
    let expected = u.powi(16);
    eprintln!(
        "hide at {:.1}% used: {failed} of {trials} failed ({:.2}%), u^16 = {:.2}%; error: {text:?}",
        100.0 * u,
        100.0 * failed as f64 / trials as f64,
        100.0 * expected
    );
    assert!((0.70..0.85).contains(&u), "fill {u}");
    // Binomial: mean n p, sd sqrt(n p (1 - p)); allow 5 sd.
    let mean = trials as f64 * expected;
    let sd = (mean * (1.0 - expected)).sqrt();
    assert!((failed as f64 - mean).abs() <= 5.0 * sd + 1.0, "{failed} failures, expected {mean:.1} +- {sd:.1}");
    if let Some(text) = text {
        assert!(text.contains("another passphrase"), "{text}");
    }

    // Every free block noise (the state of any container after about D / W sessions): no
    // passphrase finds a free link position.
    let mem = fresh_mem(LEN);
    drop(Vault::init_version(mem.clone(), &pass(DECOY), P, 2).unwrap());
    for _ in 0..80 {
        drop(Vault::open(mem.clone(), &pass(DECOY), P).unwrap());
    }
    let u = used_fraction(&mem);
    let (failed, text) = hides(&mem, 50);
    eprintln!(
        "hide with every free block noise ({:.1}% used or noise): {failed} of 50 failed; error: {text:?}",
        100.0 * u
    );
    assert!(u > 0.99, "{u}");
    assert!(failed >= 40, "{failed} of 50 failed with every free block noise");
    assert!(text.expect("failures").contains("make the hidden compartment in a new container"));
}
