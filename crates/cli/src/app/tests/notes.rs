//! The notes and files screen, and how long operations show themselves.

use super::*;

#[test]
fn hangul_note_is_stored_read_and_survives_a_lock() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "hidden", t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    assert!(matches!(&app.screen, Screen::Main(m) if matches!(m.notes.view, NotesView::NewNote { .. })));
    type_text(&mut app, "바둑이 주소", t0);
    app.on_key(key(KeyCode::Enter), t0);
    type_text(&mut app, "혜산 시장 옆 中文", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    let s = screen(&app, t0);
    assert!(s.contains("바둑이 주소"), "{s}");
    assert!(s.contains("저장했습니다"), "{s}");
    app.on_key(key(KeyCode::Enter), t0);
    let s = screen(&app, t0);
    assert!(s.contains("혜산 시장 옆 中文"), "{s}");
    // Locking drops the session and the plaintext on screen.
    app.on_key(ctrl('l'), t0);
    assert!(app.session.is_none());
    let s = screen(&app, t0);
    assert!(!s.contains("혜산") && !s.contains("바둑이"), "{s}");
    unlock(&mut app, "hidden", t0);
    let s = screen(&app, t0);
    assert!(s.contains("바둑이 주소"), "{s}");
    // The decoy does not see it.
    app.lock();
    unlock(&mut app, "decoy", t0);
    assert!(!screen(&app, t0).contains("바둑이"));
}

#[test]
fn korean_input_method_letters_work_as_commands() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    // ㅜ is on the n key of a Korean keyboard.
    app.on_key(key(KeyCode::Char('ㅜ')), t0);
    type_text(&mut app, "x", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    assert_eq!(app.session.as_ref().unwrap().snap.items.len(), 1);
    // ㅇ = d (erase), ㅛ = y (yes).
    app.on_key(key(KeyCode::Char('ㅇ')), t0);
    assert!(screen(&app, t0).contains("영원히 지울까요"));
    app.on_key(key(KeyCode::Char('ㅛ')), t0);
    app.wait_for_job();
    assert!(app.session.as_ref().unwrap().snap.items.is_empty());
}

#[test]
fn erase_asks_first_and_any_other_key_keeps_the_item() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    type_text(&mut app, "keep me", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    app.on_key(key(KeyCode::Char('d')), t0);
    app.on_key(key(KeyCode::Char('n')), t0);
    assert!(app.job.is_none());
    assert_eq!(app.session.as_ref().unwrap().snap.items.len(), 1);
    app.on_key(key(KeyCode::Delete), t0);
    app.on_key(key(KeyCode::Char('y')), t0);
    app.wait_for_job();
    assert!(app.session.as_ref().unwrap().snap.items.is_empty());
    assert!(screen(&app, t0).contains("되살릴 수 없습니다"));
}

#[test]
fn files_are_imported_shredded_and_exported() {
    let dir = std::env::temp_dir().join(format!("lethe-app-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("photo.jpg");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&source, &content).unwrap();
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c.clone(), t0);
    unlock(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Char('f')), t0);
    app.on_paste(&source.display().to_string(), t0);
    // Shredding the source is on by default: Enter walks past the name and the check box.
    let s = screen(&app, t0);
    assert!(s.contains("[x]"), "{s}");
    app.on_key(key(KeyCode::Enter), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(!source.exists(), "the source was not shredded");
    let s = screen(&app, t0);
    assert!(s.contains("photo.jpg"), "{s}");
    // Export to an existing file is refused and changes nothing.
    let target = dir.join("out.jpg");
    std::fs::write(&target, b"keep").unwrap();
    app.on_key(key(KeyCode::Char('e')), t0);
    app.on_paste(&target.display().to_string(), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert!(screen(&app, t0).contains("이미 있습니다"));
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    std::fs::remove_file(&target).unwrap();
    // The form stays open after an error, to correct the path; start again.
    assert!(matches!(&app.screen, Screen::Main(m) if matches!(m.notes.view, NotesView::Export { .. })));
    app.on_key(key(KeyCode::Esc), t0);
    app.on_key(key(KeyCode::Char('e')), t0);
    app.on_paste(&target.display().to_string(), t0);
    app.on_key(key(KeyCode::Enter), t0);
    app.wait_for_job();
    assert_eq!(std::fs::read(&target).unwrap(), content);
    // The export is readable only by the user, and the app says that a plain-text file now
    // exists outside the container and how to remove it, whole on the screen.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
    let said = status_text(&app);
    assert!(said.contains("평문") && said.contains(&format!("lethe shred {}", target.display())), "{said}");
    let s = screen(&app, t0);
    assert_eq!(s.matches(&target.display().to_string()).count(), 2, "{s}");
    // A missing file is a clear error.
    app.on_key(key(KeyCode::Char('f')), t0);
    app.on_paste("/nonexistent/lethe/file", t0);
    app.on_key(ctrl('s'), t0);
    app.wait_for_job();
    assert!(screen(&app, t0).contains("그런 파일이 없습니다"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn long_operations_show_a_progress_bar_after_half_a_second() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    unlock(&mut app, "decoy", t0);
    let mut vault = app.session.as_mut().unwrap().vault.take().unwrap();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    app.job = Some(Job::spawn(Msg::Importing, t0, move |progress, _| {
        progress.set(50, 100);
        let _ = wait.recv();
        let snap = Snapshot::load(&mut vault);
        JobDone::WithVault(vault, snap, Ok(Success::new(UiText::new(Msg::Imported))))
    }));
    std::thread::sleep(Duration::from_millis(50));
    assert!(!screen(&app, t0 + Duration::from_millis(100)).contains("가져오는 중"));
    let s = screen(&app, t0 + Duration::from_millis(600));
    assert!(s.contains("가져오는 중") && s.contains("50%"), "{s}");
    // Keys other than the panic chord and quit wait for the job.
    app.on_key(key(KeyCode::Char('n')), t0);
    release.send(()).unwrap();
    app.wait_for_job();
    assert!(matches!(&app.screen, Screen::Main(m) if matches!(m.notes.view, NotesView::List)));
    assert!(screen(&app, t0).contains("가져왔습니다"));
}

#[test]
fn unlock_shows_a_spinner_and_keeps_drawing() {
    let c = container();
    let t0 = Instant::now();
    let mut app = App::new(c, t0);
    type_text(&mut app, "decoy", t0);
    app.on_key(key(KeyCode::Enter), t0);
    // The passphrase field is cleared as soon as the work starts.
    assert!(matches!(&app.screen, Screen::Unlock(u) if u.pass.is_empty()));
    let s = screen(&app, t0);
    assert!(s.contains("여는 중"), "{s}");
    app.wait_for_job();
    assert!(app.is_unlocked());
}

/// A file larger than one session holds, imported into a hidden compartment of a format 2
/// container, goes over several sessions (docs/FORMAT.md, version 2, tension 3): the app says
/// over how many, as `lethe add` does, and only then. Control: the same file imported into the
/// decoy (level 0, no session limit) is just "imported".
#[test]
fn an_import_over_several_sessions_says_how_many() {
    let dir = std::env::temp_dir().join(format!("lethe-app-sessions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let mut said = Vec::new();
    for pass in ["hidden", "decoy"] {
        let source = dir.join(format!("{pass}.bin"));
        std::fs::write(&source, &content).unwrap();
        let c = container();
        let t0 = Instant::now();
        let mut app = App::new(c.clone(), t0);
        unlock(&mut app, pass, t0);
        app.on_key(key(KeyCode::Char('f')), t0);
        app.on_paste(&source.display().to_string(), t0);
        // Enter past the name and the shred check box (on: the source is shredded).
        for _ in 0..3 {
            app.on_key(key(KeyCode::Enter), t0);
        }
        app.wait_for_job();
        let status = status_text(&app);
        assert!(status.starts_with("가져왔습니다."), "{pass}: {status}");
        drop(app);
        let v = c.open(&Passphrase::new(pass.as_bytes())).unwrap();
        let item = v.list().into_iter().find(|i| i.name == format!("{pass}.bin")).expect("imported");
        assert_eq!(v.read(item.id).unwrap().as_slice(), &content[..]);
        said.push(status);
    }
    // "세션 N개에 걸쳐 저장했습니다", N >= 2, in the hidden compartment only.
    let n: u64 = said[0]
        .split("세션 ")
        .nth(1)
        .and_then(|rest| rest.split('개').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the hidden import does not say over how many sessions: {}", said[0]));
    assert!(n >= 2, "{}", said[0]);
    assert!(said[0].contains(&format!("{n}번 연 것처럼")), "{}", said[0]);
    assert!(!said[1].contains("세션"), "the decoy's import went over no session: {}", said[1]);
    let _ = std::fs::remove_dir_all(&dir);
}
