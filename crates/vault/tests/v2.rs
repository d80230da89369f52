//! Format version 2 (docs/FORMAT.md, "Version 2"): compartments, sessions, the per-session
//! budget of a hidden compartment, panic, and a random-looking container.

mod common;

use common::*;
use lethe_vault::format::{BLOCK_PAYLOAD, session_budget};
use lethe_vault::*;

const LEN: usize = 4 << 20;

fn v2(mem: &MemStorage, p: &str) -> Vault<MemStorage> {
    Vault::init_version(mem.clone(), &pass(p), P, 2).unwrap()
}

fn open(mem: &MemStorage, p: &str) -> Vault<MemStorage> {
    Vault::open(mem.clone(), &pass(p), P).unwrap()
}

#[test]
fn three_levels_open_and_read_back() {
    let mem = fresh_mem(LEN);
    let mut v = v2(&mem, "zero");
    let a = v.add(ItemKind::Note, "a", b"decoy note").unwrap();
    assert_eq!(v.hide(&pass("one"), P).unwrap(), 1);
    let b = v.add(ItemKind::File, "b", &vec![7u8; 3 * BLOCK_PAYLOAD + 5]).unwrap();
    assert_eq!(v.hide(&pass("two"), P).unwrap(), 2);
    let c = v.add(ItemKind::Record, "c", b"top secret").unwrap();
    drop(v);
    for round in 0..3 {
        let v = open(&mem, "zero");
        assert_eq!((v.level(), v.format_version()), (0, 2));
        assert_eq!(v.list().len(), 1);
        assert_eq!(v.read(a).unwrap().as_slice(), b"decoy note");
        drop(v);
        let v = open(&mem, "one");
        assert_eq!(v.level(), 1);
        assert_eq!(v.list().len(), 1, "round {round}");
        assert_eq!(v.read(b).unwrap().as_slice(), &vec![7u8; 3 * BLOCK_PAYLOAD + 5][..]);
        drop(v);
        let v = open(&mem, "two");
        assert_eq!(v.level(), 2);
        assert_eq!(v.read(c).unwrap().as_slice(), b"top secret");
    }
    assert!(matches!(Vault::open(mem.clone(), &pass("three"), P), Err(Error::WrongPassphrase)));
}

#[test]
fn hidden_changes_survive_reopen_and_erase_works() {
    let mem = fresh_mem(LEN);
    let mut v = v2(&mem, "zero");
    v.hide(&pass("one"), P).unwrap();
    let x = v.add(ItemKind::Note, "x", b"first").unwrap();
    drop(v);
    let mut v = open(&mem, "one");
    let y = v.add(ItemKind::Note, "y", b"second").unwrap();
    v.replace(x, b"first, edited").unwrap();
    drop(v);
    let mut v = open(&mem, "one");
    assert_eq!(v.read(x).unwrap().as_slice(), b"first, edited");
    assert_eq!(v.read(y).unwrap().as_slice(), b"second");
    v.remove(x).unwrap();
    drop(v);
    let v = open(&mem, "one");
    assert_eq!(v.list().iter().map(|i| i.id).collect::<Vec<_>>(), vec![y]);
    assert!(matches!(v.read(x), Err(Error::NoSuchItem(_))));
}

#[test]
fn hidden_writes_larger_than_a_session_go_on_in_sessions_the_vault_starts() {
    let mem = fresh_mem(LEN);
    let mut v = v2(&mem, "zero");
    v.hide(&pass("one"), P).unwrap();
    let room = v.session_room().unwrap();
    let w = session_budget((LEN / 4096) as u64);
    assert!(room < w * BLOCK_PAYLOAD as u64);
    let noise_before = Vault::inspect(mem.clone(), &pass("zero"), P).unwrap().examiner_view().1.len() as u64;
    let sessions_before = v.sessions_started();
    // Positive control: this item does not fit what is left of the session.
    let big = vec![1u8; w as usize * BLOCK_PAYLOAD];
    assert!(big.len() as u64 > room);
    let id = v.add(ItemKind::File, "big", &big).unwrap();
    let started = v.sessions_started() - sessions_before;
    assert!(started >= 1, "the vault started no session");
    // Every session it started is an ordinary session: W more noise each, nothing else.
    let decoy = Vault::inspect(mem.clone(), &pass("zero"), P).unwrap();
    assert_eq!(decoy.examiner_view().1.len() as u64, noise_before + started * w);
    drop(decoy);
    // Small writes go on in the same way.
    let mut ids = Vec::new();
    for k in 0..4u8 {
        ids.push(v.add(ItemKind::File, &format!("part {k}"), &vec![k; 5 * BLOCK_PAYLOAD]).unwrap());
    }
    drop(v);
    let v = open(&mem, "one");
    assert!(v.read(id).unwrap().as_slice() == &big[..]);
    for (k, id) in ids.iter().enumerate() {
        assert_eq!(v.read(*id).unwrap().as_slice(), &vec![k as u8; 5 * BLOCK_PAYLOAD][..]);
    }
    // More than the container holds is refused before anything is written.
    drop(v);
    let mut v = open(&mem, "one");
    let before = mem.snapshot();
    let huge = vec![2u8; LEN];
    match v.add(ItemKind::File, "huge", &huge) {
        Err(e @ Error::Full { .. }) => assert!(e.to_string().contains("nothing was changed"), "{e}"),
        other => panic!("expected Full, got {other:?}"),
    }
    assert_eq!(mem.snapshot(), before, "a refused add changes nothing");
    // The decoy needs no sessions for its own imports.
    drop(v);
    let mut v = open(&mem, "zero");
    assert_eq!(v.session_room(), None);
    v.add(ItemKind::File, "decoy big", &big).unwrap();
}

#[test]
fn sessions_the_vault_starts_never_take_the_open_compartments_blocks() {
    // 1 MiB: 239 data blocks, W = 16. Hidden items fill the free space; once the next
    // session would have to take the oldest noise holding them, adds are refused.
    let len = 1 << 20;
    let mem = fresh_mem(len);
    let mut v = v2(&mem, "zero");
    v.hide(&pass("one"), P).unwrap();
    let mut stored = Vec::new();
    let mut refused = false;
    for k in 0..200u32 {
        let content = vec![k as u8; 3 * BLOCK_PAYLOAD + 17];
        match v.add(ItemKind::File, &format!("f{k}"), &content) {
            Ok(id) => stored.push((id, content)),
            Err(Error::Full { .. }) => {
                refused = true;
                break;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert!(refused, "the container never filled up");
    assert!(stored.len() > 5, "only {} items", stored.len());
    drop(v);
    // Everything reads back, and still does after the next open's session (which takes the
    // oldest noise once no free block is left: the reserve keeps it away from the items).
    for round in 0..2 {
        let v = Vault::inspect(mem.clone(), &pass("one"), P).unwrap();
        for (id, content) in &stored {
            assert_eq!(v.read(*id).unwrap().as_slice(), &content[..], "round {round}");
        }
        drop(v);
        drop(open(&mem, "zero"));
    }
}

#[test]
fn used_passphrase_and_panic() {
    let mem = fresh_mem(LEN);
    let mut v = v2(&mem, "zero");
    v.hide(&pass("one"), P).unwrap();
    assert!(matches!(v.hide(&pass("one"), P), Err(Error::PassphraseAlreadyUsed)));
    assert!(matches!(v.hide(&pass("zero"), P), Err(Error::PassphraseAlreadyUsed)));
    drop(v);
    let mut m = mem.clone();
    panic_wipe(&mut m).unwrap();
    for p in ["zero", "one"] {
        assert!(matches!(Vault::open(mem.clone(), &pass(p), P), Err(Error::WrongPassphrase)));
    }
}

#[test]
fn v2_container_with_three_compartments_looks_random() {
    let mem = fresh_mem(LEN);
    let mut v = v2(&mem, "zero");
    for (k, n, c) in sample_items(20) {
        v.add(k, &n, &c).unwrap();
    }
    v.hide(&pass("one"), P).unwrap();
    v.add(ItemKind::Note, "n1", note_text(3, 3000).as_bytes()).unwrap();
    v.hide(&pass("two"), P).unwrap();
    v.add(ItemKind::Note, "n2", note_text(4, 3000).as_bytes()).unwrap();
    drop(v);
    for p in ["zero", "one", "two", "one", "zero"] {
        drop(open(&mem, p));
    }
    let image = mem.snapshot();
    let r = randomness(&image);
    assert!(r.failures().is_empty(), "v2 container is not random-looking: {:?}", r.failures());
    // Positive control: the same statistics catch a container with a plaintext note.
    let mut naive = image.clone();
    let text = note_text(5, 20000);
    naive[1 << 20..(1 << 20) + text.len()].copy_from_slice(text.as_bytes());
    assert!(!randomness(&naive).failures().is_empty());
}

#[test]
fn every_open_is_one_session_in_place() {
    let mem = fresh_mem(LEN);
    let v = v2(&mem, "zero");
    let e0 = v.epoch();
    drop(v);
    let before = mem.snapshot();
    let v = open(&mem, "zero");
    assert_eq!(v.epoch(), e0 + 1);
    drop(v);
    let after = mem.snapshot();
    assert_eq!(before.len(), after.len());
    let w = session_budget((LEN / 4096) as u64) as usize;
    let changed = changed_data_blocks(&before, &after).len();
    // The cover set, plus level 0's index moving (two new copies, two old ones overwritten).
    assert_eq!(changed, w + 4, "changed data blocks");
}

#[test]
fn migrate_copies_every_compartment_of_a_v1_file() {
    let dir = std::env::temp_dir().join(format!("lethe-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new) = (dir.join("old"), dir.join("new"));
    let storage =
        FileStorage::create(&old, LEN as u64, &mut lethe_vault::primitives::fill_random, &mut |_, _| {}).unwrap();
    let mut v = Vault::init_v1(storage, &pass("zero"), P).unwrap();
    let mut expect: Vec<Vec<(ItemInfo, Vec<u8>)>> = Vec::new();
    let add = |v: &mut Vault<FileStorage>, level: usize, expect: &mut Vec<Vec<(ItemInfo, Vec<u8>)>>, n: usize| {
        expect.push(Vec::new());
        for k in 0..n {
            let content = note_text((level * 10 + k) as u64, 2000 + 3000 * k);
            let id = v.add(ItemKind::Note, &format!("note {level}.{k}"), content.as_bytes()).unwrap();
            expect[level].push((v.info(id).unwrap(), content.into_bytes()));
        }
    };
    add(&mut v, 0, &mut expect, 3);
    v.hide(&pass("one"), P).unwrap();
    add(&mut v, 1, &mut expect, 12);
    // A photo far larger than one session of the new container holds at level 1 (W = 16).
    let photo = TestRng::new(77).bytes(300_000);
    let id = v.add(ItemKind::File, "photo.jpg", &photo).unwrap();
    expect[1].push((v.info(id).unwrap(), photo));
    v.hide(&pass("two"), P).unwrap();
    add(&mut v, 2, &mut expect, 2);
    drop(v);
    // A passphrase missing: refused, nothing made.
    let r = migrate_file(&old, &new, &[pass("two"), pass("zero")], P, &mut |_, _| {});
    assert!(matches!(&r, Err(Error::Migrate(why)) if why.contains("level 1")), "{r:?}");
    assert!(!new.exists());
    let report = migrate_file(&old, &new, &[pass("two"), pass("zero"), pass("one")], P, &mut |_, _| {}).unwrap();
    assert_eq!(report.items_per_level, vec![3, 13, 2]);
    assert!(report.sessions > 2, "level 1 needed more than one session: {report:?}");
    for (level, p) in ["zero", "one", "two"].iter().enumerate() {
        let v = open_file(&new, &pass(p), P).unwrap();
        assert_eq!((v.level(), v.format_version()), (level, 2));
        assert_eq!(v.list().len(), expect[level].len());
        for (info, content) in &expect[level] {
            assert_eq!(&v.info(info.id).unwrap(), info);
            assert_eq!(v.read(info.id).unwrap().as_slice(), &content[..]);
        }
    }
    // Migrating a v2 container is refused.
    let again = migrate_file(&new, &dir.join("again"), &[pass("zero")], P, &mut |_, _| {});
    assert!(matches!(again, Err(Error::Migrate(_))));
    let _ = std::fs::remove_dir_all(&dir);
}
