//! Issue 13, items spanning sessions (docs/FORMAT.md, version 2, tension 3): an item above
//! level 0 larger than one session's cover set is written over several sessions as a partial
//! item, is neither listed nor readable until complete, and reads back exactly.

mod common;

use common::*;
use lethe_vault::format::{BLOCK_PAYLOAD, session_budget};
use lethe_vault::*;

const LEN: usize = 64 << 20;

#[test]
fn three_mib_hidden_item_over_sessions_reads_back_exactly() {
    let mem = fresh_mem(LEN);
    let mut v = Vault::init_version(mem.clone(), &pass("decoy"), P, 2).unwrap();
    let note = v.add(ItemKind::Note, "shopping", b"rice, eggs").unwrap();
    v.hide(&pass("hidden"), P).unwrap();
    let content = TestRng::new(3).bytes(3 << 20);
    // Positive control: one session cannot hold it.
    assert!(v.session_room().unwrap() < content.len() as u64);
    let epoch0 = Vault::inspect(mem.clone(), &pass("decoy"), P).unwrap().epoch();
    let mut seen = 0u64;
    let mut reader = &content[..];
    let r = v
        .add_across_sessions(ItemKind::File, "video.mp4", &mut reader, content.len() as u64, usize::MAX, &mut |d| {
            assert!(d >= seen);
            seen = d;
        })
        .unwrap();
    let Stored::Done(id) = r else { panic!("not done: {r:?}") };
    assert_eq!(seen, content.len() as u64);
    assert!(v.partial_items().is_empty());
    drop(v);
    // Every session moved level 0's epoch by one (a session commit) and no session's writes
    // grew: W per session, as a decoy open.
    let decoy = Vault::inspect(mem.clone(), &pass("decoy"), P).unwrap();
    let sessions = decoy.epoch() - epoch0;
    let w = session_budget((LEN / 4096) as u64);
    let per_session = w * BLOCK_PAYLOAD as u64;
    assert!(sessions >= content.len() as u64 / per_session, "{sessions} sessions");
    eprintln!("3 MiB hidden item in a 64 MiB container: {sessions} sessions of W = {w} blocks");
    assert_eq!(decoy.read(note).unwrap().as_slice(), b"rice, eggs");
    assert_eq!(decoy.list().len(), 1);
    drop(decoy);
    let v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
    assert_eq!(v.list().len(), 1);
    assert_eq!(v.info(id).unwrap().size, content.len() as u64);
    assert!(v.read(id).unwrap().as_slice() == &content[..], "content differs");
}

#[test]
fn partial_item_is_hidden_until_complete_and_resumes_in_later_sessions() {
    let mem = fresh_mem(4 << 20);
    let mut v = Vault::init_version(mem.clone(), &pass("decoy"), P, 2).unwrap();
    v.hide(&pass("hidden"), P).unwrap();
    let content = TestRng::new(9).bytes(200_000);
    let mut reader = &content[..];
    let r =
        v.add_across_sessions(ItemKind::File, "photo.jpg", &mut reader, content.len() as u64, 1, &mut |_| {}).unwrap();
    let Stored::Continues { id, written, size } = r else { panic!("one session cannot hold 200 kB: {r:?}") };
    assert!(written > 0 && written < size && size == content.len() as u64);
    assert!(v.list().is_empty());
    assert!(matches!(v.read(id), Err(Error::NoSuchItem(_))));
    drop(v);
    let mut rounds = 0;
    let id = loop {
        rounds += 1;
        assert!(rounds < 40, "no progress");
        let mut v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
        let p = v.partial_items();
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].id, p[0].name.as_str(), p[0].size), (id, "photo.jpg", content.len() as u64));
        assert_eq!(p[0].written % BLOCK_PAYLOAD as u64, 0);
        let mut rest = &content[p[0].written as usize..];
        match v.resume_add(id, &mut rest, 1, &mut |_| {}).unwrap() {
            Stored::Done(id) => break id,
            Stored::Continues { written, .. } => assert!(written > p[0].written),
        }
    };
    let v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
    assert!(v.partial_items().is_empty());
    assert!(v.read(id).unwrap().as_slice() == &content[..]);
    // A partial item can be erased (in a new session: the one that finished the photo may be
    // full, and then a new partial item is refused with SessionFull, nothing written).
    drop(v);
    let mut v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
    let mut reader = &content[..];
    let Stored::Continues { id: p, .. } =
        v.add_across_sessions(ItemKind::File, "b", &mut reader, content.len() as u64, 1, &mut |_| {}).unwrap()
    else {
        panic!("expected a partial item")
    };
    // The part filled this session (a part leaves room for its own commit only): erase in the next.
    drop(v);
    let mut v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
    assert_eq!(v.partial_items().len(), 1);
    v.remove(p).unwrap();
    assert!(v.partial_items().is_empty());
    drop(v);
    let v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
    assert!(v.partial_items().is_empty());
    assert_eq!(v.list().len(), 1);
}

#[test]
fn level_zero_and_version_1_add_in_one_go() {
    for version in [1u8, 2] {
        let mem = fresh_mem(4 << 20);
        let mut v = Vault::init_version(mem.clone(), &pass("decoy"), P, version).unwrap();
        let content = TestRng::new(5).bytes(300_000);
        let mut reader = &content[..];
        let r = v.add_across_sessions(ItemKind::File, "f", &mut reader, content.len() as u64, 1, &mut |_| {}).unwrap();
        let Stored::Done(id) = r else { panic!("level 0 is not limited per session") };
        assert!(v.read(id).unwrap().as_slice() == &content[..]);
    }
}
