//! The settings screen.

use super::*;

#[test]
fn settings_are_stored_inside_the_compartment() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Tab), t0);
    assert!(matches!(&app.screen, Screen::Main(m) if m.tab == Tab::Settings));
    // Language: 한국어 → 中文 → English.
    app.on_key(key(KeyCode::Right), t0);
    app.on_key(key(KeyCode::Right), t0);
    assert_eq!(app.lang, Lang::En);
    // Camouflage on.
    app.on_key(key(KeyCode::Down), t0);
    app.on_key(key(KeyCode::Down), t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.camouflage);
    assert!(screen(&app, t0).contains("Settings saved"));
    // A fresh app (a new run) learns them only from the compartment.
    let mut fresh = App::new(c.clone(), t0);
    assert_eq!(fresh.lang, Lang::Ko);
    unlock(&mut fresh, "hidden", t0);
    assert_eq!(fresh.lang, Lang::En);
    assert!(fresh.camouflage);
    assert_eq!(fresh.title(), "Notes");
    let s = screen(&fresh, t0);
    assert!(!s.contains("lethe"), "{s}");
    // The record is there, and the decoy's settings are its own.
    let v = c.open(&Passphrase::new(b"hidden")).unwrap();
    assert!(v.list().iter().any(|i| i.kind == ItemKind::Record && i.name == crate::app::settings::SETTINGS_ITEM));
    drop(v);
    drop(fresh);
    let mut decoy = App::new(c, t0);
    unlock(&mut decoy, "decoy", t0);
    assert_eq!(decoy.lang, Lang::Ko);
    assert_eq!(decoy.title(), "lethe");
}

#[test]
fn hidden_compartment_from_settings() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Tab), t0);
    // The last row: make a hidden compartment.
    for _ in 0..10 {
        app.on_key(key(KeyCode::Down), t0);
    }
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "third", t0);
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "thirx", t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.job.is_none());
    assert!(screen(&app, t0).contains("두 비밀번호가 다릅니다"));
    type_text(&mut app, "third", t0);
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "third", t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(screen(&app, t0).contains("숨은 칸을 만들었습니다"), "{}", screen(&app, t0));
    drop(app);
    assert_eq!(c.open(&Passphrase::new(b"third")).unwrap().level(), 2);
}

/// The hide form says what a `hide` does to a compartment above that this passphrase does not
/// know, for the container's own format: overwritten at once in format 1, left in place (until
/// sessions reclaim its blocks) in format 2.
#[test]
fn hide_form_warns_for_the_containers_format() {
    for version in [1u8, 2] {
        let mut storage = MemStorage::new(vec![0; 4 << 20]);
        lethe_vault::fill_with_random(&mut storage).unwrap();
        drop(Vault::init_version(storage.clone(), &Passphrase::new(b"decoy"), TEST_KDF, version).unwrap());
        let c = Arc::new(MemContainer { storage, wipes: AtomicUsize::new(0) });
        let t0 = Instant::now();
        let mut app = App::new(c, t0);
        unlock(&mut app, "decoy", t0);
        app.on_key(key(KeyCode::Tab), t0);
        for _ in 0..10 {
            app.on_key(key(KeyCode::Down), t0);
        }
        app.on_key(key(KeyCode::Enter), t0);
        let s = screen_sized(&app, t0, 120, 40);
        let (said, not_said) = if version == 1 { ("바로", "덮어쓰지") } else { ("덮어쓰지", "바로") };
        assert!(s.contains(said) && !s.contains(not_said), "format {version}:\n{s}");
        assert!(s.contains("형식"), "format {version}:\n{s}");
    }
}
