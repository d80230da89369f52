//! Issue 3, property 2: "A wrong passphrase and 'no such compartment' are the same error."
//! (The equal time is a benchmark figure, see benches/vault.rs, not a test.)
//!
//! A passphrase that is valid in some sense but has no compartment here must give exactly
//! what a mistyped one gives: the same variant, the same message, and no change to the
//! container.

// Format version 1 behaviour (old containers keep working); version 2 has its own tests
// (v2.rs, two_images.rs, loss.rs).

mod common;

use common::*;
use lethe_vault::*;

const LEN: usize = 1 << 20;

/// The error of an open, with the container checked to be unchanged by it.
fn open_error(mem: &MemStorage, passphrase: &str) -> Error {
    let before = mem.snapshot();
    let err = match Vault::open(mem.clone(), &pass(passphrase), P) {
        Ok(v) => panic!("{passphrase:?} opened level {}", v.level()),
        Err(e) => e,
    };
    assert!(mem.snapshot() == before, "a refused open changed the container");
    err
}

fn assert_same(a: &Error, b: &Error, what: &str) {
    assert!(matches!(a, Error::WrongPassphrase), "mistyped passphrase: {a:?}");
    assert!(matches!(b, Error::WrongPassphrase), "{what}: {b:?}");
    assert_eq!(a.to_string(), b.to_string(), "{what}: different message");
    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}: different debug form");
}

#[test]
fn passphrase_of_another_container_is_a_wrong_passphrase() {
    let here = fresh_mem(LEN);
    let mut v = Vault::init_v1(here.clone(), &pass("decoy"), P).unwrap();
    v.hide(&pass("hidden"), P).unwrap();
    drop(v);
    // "elsewhere" is a real compartment passphrase, at level 0 and at level 2, of another
    // container.
    let other = fresh_mem(LEN);
    let mut v = Vault::init_v1(other.clone(), &pass("elsewhere-0"), P).unwrap();
    v.hide(&pass("elsewhere-1"), P).unwrap();
    v.hide(&pass("elsewhere-2"), P).unwrap();
    drop(v);
    assert!(Vault::open(other.clone(), &pass("elsewhere-2"), P).is_ok());
    let mistyped = open_error(&here, "decoY");
    for p in ["elsewhere-0", "elsewhere-2"] {
        assert_same(&mistyped, &open_error(&here, p), p);
    }
}

#[test]
fn passphrase_of_a_compartment_replaced_by_hide_is_a_wrong_passphrase() {
    // Documented: `hide` from a lower compartment replaces the one above it. The replaced
    // compartment's passphrase is then no passphrase at all.
    let mem = fresh_mem(LEN);
    let mut v = Vault::init_v1(mem.clone(), &pass("decoy"), P).unwrap();
    v.hide(&pass("old hidden"), P).unwrap();
    v.add(ItemKind::Note, "", b"old secret").unwrap();
    drop(v);
    let mut v = Vault::open(mem.clone(), &pass("decoy"), P).unwrap();
    v.hide(&pass("new hidden"), P).unwrap();
    drop(v);
    assert_eq!(Vault::open(mem.clone(), &pass("new hidden"), P).unwrap().level(), 1);
    let mistyped = open_error(&mem, "old hiddem");
    assert_same(&mistyped, &open_error(&mem, "old hidden"), "replaced compartment");
}

#[test]
fn passphrase_after_panic_is_a_wrong_passphrase() {
    let mem = fresh_mem(LEN);
    let mut v = Vault::init_v1(mem.clone(), &pass("decoy"), P).unwrap();
    v.hide(&pass("hidden"), P).unwrap();
    drop(v);
    let mut m = mem.clone();
    panic_wipe(&mut m).unwrap();
    let mistyped = open_error(&mem, "hiddden");
    for p in ["decoy", "hidden"] {
        assert_same(&mistyped, &open_error(&mem, p), &format!("{p} after panic"));
    }
}

#[test]
fn levels_that_were_never_made_are_a_wrong_passphrase() {
    // A container with only level 0 and one with seven levels: any passphrase not among
    // them (including ones that would have become levels 1..7) gives the same error.
    let mem = fresh_mem(LEN);
    let mut v = Vault::init_v1(mem.clone(), &pass("p0"), P).unwrap();
    for i in 1..7 {
        v.hide(&pass(&format!("p{i}")), P).unwrap();
    }
    drop(v);
    let mistyped = open_error(&mem, "p9");
    assert_same(&mistyped, &open_error(&mem, "p7"), "never-made level 7");
    let single = fresh_mem(LEN);
    Vault::init_v1(single.clone(), &pass("p0"), P).unwrap();
    for i in 1..8 {
        assert_same(&mistyped, &open_error(&single, &format!("p{i}")), "never-made level");
    }
}
