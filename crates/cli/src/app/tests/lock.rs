//! Locking and unlocking: passphrases, compartments, the idle lock, the panic chord, the language at
//! the lock screen, keys wiped from outside, and the camouflage.

use super::*;

#[test]
fn wrong_passphrase_then_right_one() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    assert!(screen(&app, t0).contains("비밀번호를 입력하세요"));
    type_text(&mut app, "wrong", t0);
    // The passphrase is never drawn, only dots.
    let s = screen(&app, t0);
    assert!(s.contains("•••••") && !s.contains("wrong"), "{s}");
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(!app.is_unlocked());
    let s = screen(&app, t0);
    assert!(s.contains("열 수 없습니다"), "{s}");
    unlock(&mut app, "decoy", t0);
    assert!(app.is_unlocked());
    let s = screen(&app, t0);
    assert!(s.contains("메모가 없습니다"), "{s}");
}

#[test]
fn decoy_and_hidden_compartments_look_the_same() {
    let c = container();
    let t0 = Instant::now();
    let mut a = App::new(c.clone(), t0);
    unlock(&mut a, "decoy", t0);
    let decoy = screen(&a, t0);
    a.lock();
    drop(a);
    let mut b = App::new(c.clone(), t0);
    unlock(&mut b, "hidden", t0);
    let hidden = screen(&b, t0);
    assert_eq!(decoy, hidden);
    // Positive control: the screens do differ once the compartments hold different notes.
    b.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut b, "only in hidden", t0);
    b.on_key(ctrl('s'), t0);
    b.wait_for_job();
    assert_ne!(screen(&b, t0), decoy);
}

#[test]
fn idle_lock_drops_the_session() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    let limit = Duration::from_secs(app.session.as_ref().unwrap().snap.settings.idle_lock_secs);
    app.tick(t0 + limit - Duration::from_secs(1));
    assert!(app.is_unlocked(), "locked too early");
    // A key press restarts the wait.
    app.on_key(key(KeyCode::Down), t0 + limit - Duration::from_secs(1));
    app.tick(t0 + limit + Duration::from_secs(1));
    assert!(app.is_unlocked());
    app.tick(t0 + 2 * limit);
    assert!(!app.is_unlocked());
    assert!(matches!(app.screen, Screen::Unlock(_)));
}

#[test]
fn panic_chord_wipes_and_shows_an_empty_notes_screen() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "secret", t0);
    // Ctrl-X works inside a text field, and the chord needs three presses.
    app.on_key(ctrl('x'), t0);
    app.on_key(ctrl('x'), t0 + Duration::from_millis(500));
    assert_eq!(c.wipes.load(Ordering::SeqCst), 0);
    assert!(app.is_unlocked());
    app.on_key(ctrl('x'), t0 + Duration::from_millis(900));
    assert_eq!(c.wipes.load(Ordering::SeqCst), 1);
    assert!(!app.is_unlocked());
    assert!(matches!(app.screen, Screen::Wiped));
    let s = screen(&app, t0);
    assert!(s.contains("메모가 없습니다") && !s.contains("secret") && !s.contains("lethe"), "{s}");
    for p in ["decoy", "hidden"] {
        assert!(matches!(c.open(&Passphrase::new(p.as_bytes())), Err(lethe_vault::Error::WrongPassphrase)));
    }
    // Nothing typed afterwards does anything.
    type_text(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Enter), t0);
    assert!(app.job.is_none() && !app.is_unlocked());
}

#[test]
fn slow_or_interrupted_ctrl_x_does_not_wipe() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    // Three presses spread over more than the window.
    app.on_key(ctrl('x'), t0);
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW / 2);
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW + Duration::from_millis(100));
    // Another key between presses starts over.
    app.on_key(key(KeyCode::Down), t0 + PANIC_WINDOW + Duration::from_millis(200));
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW + Duration::from_millis(300));
    app.on_key(ctrl('x'), t0 + PANIC_WINDOW + Duration::from_millis(400));
    assert_eq!(c.wipes.load(Ordering::SeqCst), 0);
    assert!(app.is_unlocked());
    assert!(c.open(&Passphrase::new(b"decoy")).is_ok());
}

#[test]
fn panic_works_on_the_lock_screen_too() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    for i in 0..3 {
        app.on_key(ctrl('x'), t0 + Duration::from_millis(100 * i));
    }
    assert!(matches!(app.screen, Screen::Wiped));
    assert!(c.open(&Passphrase::new(b"decoy")).is_err());
}

#[test]
fn language_key_on_the_lock_screen() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    assert_eq!(app.lang, Lang::Ko);
    let s = screen(&app, t0);
    // The key is named in all three languages.
    assert!(s.contains("한국어") && s.contains("中文") && s.contains("English"), "{s}");
    app.on_key(key(KeyCode::F(2)), t0);
    assert!(screen(&app, t0).contains("请输入密码"));
    app.on_key(key(KeyCode::Tab), t0);
    assert!(screen(&app, t0).contains("Enter your passphrase"));
    app.on_key(key(KeyCode::Tab), t0);
    assert_eq!(app.lang, Lang::Ko);
}

#[test]
fn the_language_chosen_at_first_start_is_kept_in_the_compartment() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    app.on_key(key(KeyCode::F(2)), t0);
    unlock(&mut app, "hidden", t0);
    assert_eq!(app.lang, Lang::Zh);
    assert!(screen(&app, t0).contains("没有笔记"));
    drop(app);
    // The next run starts in Korean on the lock screen, and the compartment says Chinese.
    let mut again = App::new(c.clone(), t0);
    assert_eq!(again.lang, Lang::Ko);
    unlock(&mut again, "hidden", t0);
    assert_eq!(again.lang, Lang::Zh);
    drop(again);
    // Once a compartment has its setting, the lock screen's choice does not change it.
    let mut third = App::new(c.clone(), t0);
    third.on_key(key(KeyCode::F(2)), t0);
    third.on_key(key(KeyCode::F(2)), t0);
    unlock(&mut third, "hidden", t0);
    assert_eq!(third.lang, Lang::Zh);
    // The decoy was never started in Chinese: it stays Korean.
    let mut decoy = App::new(c, t0);
    unlock(&mut decoy, "decoy", t0);
    assert_eq!(decoy.lang, Lang::Ko);
}

#[test]
fn keys_wiped_from_outside_lock_the_app_before_a_note_is_reported_saved() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    // Positive control: with the keys intact a note is saved.
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "first note", t0);
    press(&mut app, ctrl('s'), t0);
    assert_eq!(status_text(&app), "저장했습니다.");
    // Another program destroys the keys (what `lethe panic` does) while a note is typed.
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "second note", t0);
    lethe_vault::panic_wipe(&mut c.storage.clone()).unwrap();
    press(&mut app, ctrl('s'), t0);
    assert!(!app.is_unlocked());
    let s = screen(&app, t0);
    assert!(s.contains("비밀번호를 입력하세요") && s.contains("다른 프로그램이 보관함을 바꿨습니다"), "{s}");
    assert!(!s.contains("저장했습니다") && !s.contains("second note"), "{s}");
}

#[test]
fn keys_wiped_from_outside_lock_the_app_on_the_timer() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    // Positive control: ticks with the keys intact keep it open.
    app.tick(t0 + Duration::from_secs(2));
    assert!(app.is_unlocked());
    lethe_vault::panic_wipe(&mut c.storage.clone()).unwrap();
    app.tick(t0 + Duration::from_millis(2500));
    assert!(app.is_unlocked(), "checked again only after a second");
    app.tick(t0 + Duration::from_secs(3));
    assert!(!app.is_unlocked());
    assert!(status_text(&app).contains("다른 프로그램이 보관함을 바꿨습니다"));
}

#[test]
fn camouflage_shows_an_ordinary_notes_app_until_ctrl_e() {
    use crate::app::screens::settings::SettingRow;
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    go_to_tab(&mut app, Tab::Settings, t0);
    // Positive control: without camouflage the role and hide rows are there.
    let s = screen(&app, t0);
    for word in ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸 새로 만들기", "lethe"] {
        assert!(s.contains(word), "{word} missing:\n{s}");
    }
    settings_row(&mut app, SettingRow::Camouflage, t0);
    assert!(app.camouflage);
    assert_eq!(app.setting_rows(), vec![SettingRow::Language, SettingRow::IdleLock, SettingRow::Camouflage]);
    let hidden_words = ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸", "lethe", "Ctrl-E", "현장", "본부"];
    let check_plain = |app: &App| {
        let s = screen(app, t0);
        for word in hidden_words {
            assert!(!s.contains(word), "{word} shown:\n{s}");
        }
    };
    check_plain(&app);
    go_to_tab(&mut app, Tab::Notes, t0);
    check_plain(&app);
    // Ctrl-E on the settings screen brings the rows back until the tab is left.
    go_to_tab(&mut app, Tab::Settings, t0);
    app.on_key(ctrl('e'), t0);
    let s = screen(&app, t0);
    for word in ["현장 전달자로 쓰기", "본부로 쓰기", "숨은 칸 새로 만들기"] {
        assert!(s.contains(word), "{word} missing after Ctrl-E:\n{s}");
    }
    settings_row(&mut app, SettingRow::SetUpField, t0);
    assert!(app.snap().is_some_and(|s| s.field.is_some()));
    go_to_tab(&mut app, Tab::Notes, t0);
    go_to_tab(&mut app, Tab::Settings, t0);
    assert!(!app.setting_rows().contains(&SettingRow::Hide));
}
