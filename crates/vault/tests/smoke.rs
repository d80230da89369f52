use lethe_vault::*;

fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.as_bytes())
}

const P: KdfParams = KdfParams::INSECURE_TEST_ONLY;

fn fresh(len: usize) -> MemStorage {
    let mut m = MemStorage::new(vec![0u8; len]);
    fill_with_random(&mut m).unwrap();
    m
}

#[test]
fn add_list_read_remove_hide_reopen() {
    let mem = fresh(2 << 20);
    let mut v = Vault::init(mem.clone(), &pass("decoy"), P).unwrap();
    let note = v.add(ItemKind::Note, "", "안녕 note".as_bytes()).unwrap();
    let big: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    let file = v.add(ItemKind::File, "photo.jpg", &big).unwrap();
    assert_eq!(v.list().len(), 2);
    assert_eq!(v.read(file).unwrap().as_slice(), &big[..]);
    v.remove(note).unwrap();
    assert!(matches!(v.read(note), Err(Error::NoSuchItem(_))));
    let level = v.hide(&pass("hidden"), P).unwrap();
    assert_eq!(level, 1);
    let secret = v.add(ItemKind::Note, "", b"hidden note").unwrap();
    drop(v);

    let v = Vault::open(mem.clone(), &pass("decoy"), P).unwrap();
    assert_eq!(v.level(), 0);
    let l = v.list();
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].name, "photo.jpg");
    assert_eq!(v.read(file).unwrap().as_slice(), &big[..]);
    drop(v);
    let v = Vault::open(mem.clone(), &pass("hidden"), P).unwrap();
    assert_eq!(v.level(), 1);
    assert_eq!(v.read(secret).unwrap().as_slice(), b"hidden note");
    drop(v);
    assert!(matches!(Vault::open(mem.clone(), &pass("nope"), P), Err(Error::WrongPassphrase)));
    let mut m2 = mem.clone();
    panic_wipe(&mut m2).unwrap();
    assert!(matches!(Vault::open(mem.clone(), &pass("decoy"), P), Err(Error::WrongPassphrase)));
    assert!(matches!(Vault::open(mem, &pass("hidden"), P), Err(Error::WrongPassphrase)));
}
