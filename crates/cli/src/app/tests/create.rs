//! Making a container in the app (first start, and a new notebook after a panic), and the
//! free space the lock and notes screens show.

use super::*;
use crate::app::screens::create::CreateView;

/// A container with nothing in it yet: random bytes, no compartment.
fn blank() -> Arc<MemContainer> {
    let mut storage = MemStorage::new(vec![0; 4 << 20]);
    lethe_vault::fill_with_random(&mut storage).unwrap();
    Arc::new(MemContainer { storage, wipes: AtomicUsize::new(0) })
}

#[test]
fn first_start_asks_for_the_passphrase_twice_warns_when_weak_and_opens_the_new_container() {
    let t0 = Instant::now();
    let c = blank();
    let mut app = App::first_start(c.clone(), "/tmp/new.vault".into(), t0);
    let s = screen_sized(&app, t0, 50, 30);
    assert!(s.contains("새 컨테이너 만들기") && s.contains("/tmp/new.vault"), "{s}");
    // The language key: English on the form, and kept in the new compartment.
    app.on_key(key(KeyCode::F(2)), t0);
    app.on_key(key(KeyCode::F(2)), t0);
    assert_eq!(app.lang, Lang::En);
    // Weak: warned. The estimate shows the number, never the passphrase.
    type_text(&mut app, "abc123", t0);
    let s = screen_sized(&app, t0, 50, 30);
    assert!(s.contains("Below 50 bits") && !s.contains("abc123"), "{s}");
    // Different: refused, nothing made.
    app.on_key(key(KeyCode::Tab), t0);
    type_text(&mut app, "abc124", t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.job.is_none() && !app.is_unlocked());
    assert!(screen_sized(&app, t0, 50, 30).contains("The two passphrases differ"));
    // Strong and the same twice: made and opened.
    app.on_key(key(KeyCode::BackTab), t0);
    for _ in 0..6 {
        app.on_key(key(KeyCode::Backspace), t0);
    }
    type_text(&mut app, "tundra velvet orbit mango", t0);
    let s = screen_sized(&app, t0, 50, 30);
    assert!(s.contains("Estimated strength") && !s.contains("Below 50 bits"), "{s}");
    app.on_key(key(KeyCode::Tab), t0);
    type_text(&mut app, "tundra velvet orbit mango", t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(app.is_unlocked());
    assert_eq!(app.snap().unwrap().settings.lang, Lang::En);
    assert!(screen_sized(&app, t0, 50, 30).contains("No notes"));
    // The passphrase opens it again.
    assert!(c.open(&Passphrase::new(b"tundra velvet orbit mango")).is_ok());
}

#[test]
fn first_start_refuses_a_size_it_cannot_read_or_make() {
    let t0 = Instant::now();
    let mut app = App::first_start(blank(), "x.vault".into(), t0);
    for size in ["12Q", "1K", ""] {
        let Screen::Create(c) = &mut app.screen else { panic!("not the form") };
        c.size = Some(crate::app::text::TextInput::with_text(16, size));
        c.focus = 1;
        type_text(&mut app, "tundra velvet orbit mango", t0);
        app.on_key(key(KeyCode::Tab), t0);
        type_text(&mut app, "tundra velvet orbit mango", t0);
        app.on_key(key(KeyCode::Enter), t0);
        assert!(app.job.is_none(), "{size}");
        let s = screen_sized(&app, t0, 50, 30);
        assert!(s.contains(&format!("'{size}'")), "{size}: {s}");
        let Screen::Create(c) = &mut app.screen else { panic!("not the form") };
        c.pass.clear();
        c.again.clear();
    }
}

#[test]
fn after_a_panic_n_makes_a_new_notebook_in_the_same_container() {
    let t0 = Instant::now();
    let c = container();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    app.panic_now();
    let s = screen_sized(&app, t0, 50, 20);
    assert!(s.contains("새 메모장"), "the panic screen offers a new notebook: {s}");
    // Positive control: before `n`, other letters do nothing.
    app.on_key(key(KeyCode::Char('x')), t0);
    assert!(matches!(app.screen, Screen::Wiped));
    app.on_key(key(KeyCode::Char('n')), t0);
    assert!(matches!(app.screen, Screen::Create(CreateView { size: None, .. })));
    type_text(&mut app, "copper lantern meadow quartz", t0);
    app.on_key(key(KeyCode::Tab), t0);
    type_text(&mut app, "copper lantern meadow quartz", t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(app.is_unlocked());
    assert!(c.open(&Passphrase::new(b"copper lantern meadow quartz")).is_ok());
    assert!(c.open(&Passphrase::new(b"decoy")).is_err() && c.open(&Passphrase::new(b"hidden")).is_err());
}

/// The figure on the notes screen, e.g. "남은 공간 3.9 MiB / 4.0 MiB".
fn free_line(app: &App, t0: Instant) -> String {
    let s = screen_sized(app, t0, 50, 20);
    s.lines().find(|l| l.contains("남은 공간")).unwrap_or_else(|| panic!("no free space shown:\n{s}")).to_string()
}

#[test]
fn the_notes_screen_shows_free_space_and_the_lock_screen_the_size() {
    let t0 = Instant::now();
    let c = container();
    let mut app = App::new(c.clone(), t0);
    let s = screen_sized(&app, t0, 50, 20);
    assert!(s.contains("크기 4.0 MiB"), "{s}");
    unlock(&mut app, "decoy", t0);
    let before = free_line(&app, t0);
    assert!(before.contains("/ 4.0 MiB"), "{before}");
    // A file of 300 KiB takes space: the figure goes down.
    let Some(session) = &mut app.session else { panic!() };
    let vault = session.vault.as_mut().unwrap();
    vault.add(ItemKind::File, "big", &vec![7u8; 300 << 10]).unwrap();
    session.snap = Snapshot::load(vault);
    let after = free_line(&app, t0);
    assert_ne!(before, after, "the figure follows what is stored");
}

/// The decoy's figure says nothing about a hidden compartment: the same with and without
/// one above it (positive control: the figure does move with the decoy's own content).
#[test]
fn the_decoys_free_space_is_the_same_with_or_without_a_hidden_compartment() {
    let t0 = Instant::now();
    let make = |hidden: bool| {
        let mut storage = MemStorage::new(vec![0; 4 << 20]);
        lethe_vault::fill_with_random(&mut storage).unwrap();
        let mut v = Vault::init(storage.clone(), &Passphrase::new(b"decoy"), TEST_KDF).unwrap();
        if hidden {
            v.hide(&Passphrase::new(b"hidden"), TEST_KDF).unwrap();
            drop(v);
            let mut h = Vault::open(storage.clone(), &Passphrase::new(b"hidden"), TEST_KDF).unwrap();
            h.add(ItemKind::File, "secret", &vec![1u8; 500 << 10]).unwrap();
        }
        Arc::new(MemContainer { storage, wipes: AtomicUsize::new(0) })
    };
    let shown = |c: Arc<MemContainer>| {
        let mut app = App::new(c, t0);
        unlock(&mut app, "decoy", t0);
        free_line(&app, t0)
    };
    assert_eq!(shown(make(false)), shown(make(true)));
}
