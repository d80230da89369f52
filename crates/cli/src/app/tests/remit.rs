//! The hub and field screens: orders, reports, acknowledgements, pairing and media.

use super::*;

/// A hub and a field app, each unlocked, with their roles and paired (through the screens).
fn paired_apps(t0: Instant) -> (App, App) {
    use crate::app::screens::settings::SettingRow;
    let mut hub = App::new(container(), t0);
    let mut field = App::new(container(), t0);
    unlock(&mut hub, "hidden", t0);
    unlock(&mut field, "hidden", t0);
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::SetUpField, t0);
    let hub_key = hub.snap().unwrap().hub.as_ref().unwrap().public_key.clone();
    let field_key = field.snap().unwrap().field.as_ref().unwrap().public_key.clone();
    go_to_tab(&mut field, Tab::Field, t0);
    for k in ['p', 'h'] {
        field.on_key(key(KeyCode::Char(k)), t0);
    }
    field.on_paste(&hub_key, t0);
    press(&mut field, key(KeyCode::Enter), t0);
    field.on_key(key(KeyCode::Esc), t0);
    go_to_tab(&mut hub, Tab::Hub, t0);
    for k in ['p', 'a'] {
        hub.on_key(key(KeyCode::Char(k)), t0);
    }
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&field_key, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Esc), t0);
    (hub, field)
}

#[test]
fn hub_and_field_exchange_an_order_a_report_and_an_ack_through_the_screens() {
    use crate::app::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut hub = App::new(container(), t0);
    let mut field = App::new(container(), t0);
    unlock(&mut hub, "decoy", t0);
    unlock(&mut field, "hidden", t0);
    // Roles from the settings screen.
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    assert!(hub.snap().unwrap().hub.is_some(), "{}", status_text(&hub));
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::SetUpField, t0);
    assert!(field.snap().unwrap().field.is_some(), "{}", status_text(&field));

    // Pairing: each side types the other's public key.
    let hub_key = hub.snap().unwrap().hub.as_ref().unwrap().public_key.clone();
    let field_key = field.snap().unwrap().field.as_ref().unwrap().public_key.clone();
    go_to_tab(&mut field, Tab::Field, t0);
    assert!(screen(&field, t0).contains("본부와 짝을 맺지 않았습니다"));
    field.on_key(key(KeyCode::Char('p')), t0);
    assert!(screen(&field, t0).contains(&field_key[..20]));
    field.on_key(key(KeyCode::Char('h')), t0);
    field.on_paste(&hub_key, t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let field_code = field.snap().unwrap().field.as_ref().unwrap().safety_code.clone().expect("not paired");
    assert!(status_text(&field).contains(&field_code));
    go_to_tab(&mut hub, Tab::Hub, t0);
    hub.on_key(key(KeyCode::Char('p')), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&field_key, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert!(status_text(&hub).contains(&field_code), "{}", status_text(&hub));
    // The brokers screen lists the pairing with its safety code.
    let s = screen(&hub, t0);
    assert!(s.contains("kim") && s.contains(&field_code), "{s}");
    hub.on_key(key(KeyCode::Esc), t0);

    // Two orders, typed into the order form (amounts in local forms).
    for (alias, answer) in [("큰 언니", "바둑이"), ("작은 삼촌", "길주")] {
        hub.on_key(key(KeyCode::Char('o')), t0);
        hub.on_key(key(KeyCode::Enter), t0); // broker: kim
        for text in [alias, "혜산 시장", "300만"] {
            type_text(&mut hub, text, t0);
            hub.on_key(key(KeyCode::Enter), t0);
        }
        hub.on_key(key(KeyCode::Enter), t0); // currency: KRW
        type_text(&mut hub, "30만", t0);
        hub.on_key(key(KeyCode::Enter), t0);
        hub.on_key(key(KeyCode::Enter), t0); // no deadline: 14 days
        type_text(&mut hub, "강아지 이름?", t0);
        hub.on_key(key(KeyCode::Enter), t0);
        type_text(&mut hub, answer, t0);
        assert!(!screen(&hub, t0).contains(answer), "the expected answer is shown");
        press(&mut hub, key(KeyCode::Enter), t0);
        assert!(status_text(&hub).contains("주문"), "{}", status_text(&hub));
    }
    let s = screen(&hub, t0);
    assert!(s.contains("큰 언니") && s.contains("3,000,000 KRW") && s.contains("새 주문"), "{s}");

    // Send them: the message is shown with its exact size.
    hub.on_key(key(KeyCode::Char('m')), t0);
    press(&mut hub, ctrl('s'), t0);
    let orders_text = outgoing_text(&hub);
    let s = screen(&hub, t0);
    let chars = main_view(&hub).outgoing.as_ref().unwrap().out.chars();
    assert!(s.contains(&format!("{chars}자")), "{s}");
    // What a user selects on the screen is the message and nothing else: the rows
    // between the title and the key hints, on a 50-column phone, read back as the
    // same sealed bytes (no frame characters, no cut lines).
    let tall = screen_sized(&hub, t0, 50, 80);
    let rows: Vec<&str> = tall.lines().collect();
    let summary = rows.iter().position(|r| r.contains(&format!("{chars}자"))).expect("summary row");
    let first = summary + rows[summary..].iter().position(|r| r.trim().is_empty()).expect("blank row") + 1;
    let last = first + rows[first..].iter().position(|r| r.trim().is_empty()).expect("end of the message");
    let copied: String = rows[first..last].join("\n");
    let sealed = lethe_protocol::dearmor_unchecked(&orders_text).unwrap();
    assert_eq!(lethe_protocol::dearmor_unchecked(&copied).ok(), Some(sealed), "{tall}");
    // Control: the same rows inside a bordered frame, as before, do not read.
    let framed: String = rows[first..last].iter().map(|r| format!("│{r}│")).collect::<Vec<_>>().join("\n");
    assert!(lethe_protocol::dearmor_unchecked(&framed).is_err());
    // The QR view.
    hub.on_key(key(KeyCode::Char('q')), t0);
    let s = screen(&hub, t0);
    assert!(s.contains('█') || s.contains("QR 코드가 화면보다 큽니다"), "{s}");
    hub.on_key(key(KeyCode::Char('q')), t0);
    // The form: plain armor by default; `c` writes it as Korean market talk.
    assert_eq!(shown_text(&hub), orders_text);
    assert!(screen(&hub, t0).contains("보내는 형태: 일반 암호 글자"));
    hub.on_key(key(KeyCode::Char('c')), t0);
    let orders_cover = shown_text(&hub);
    let hangul = |t: &str| t.chars().filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)).count();
    assert!(hangul(&orders_cover) > 200, "{orders_cover}");
    let s = screen(&hub, t0);
    assert!(s.contains("보내는 형태: 한국어 시장 이야기") && s.contains("평범한 채팅처럼"), "{s}");
    hub.on_key(key(KeyCode::Esc), t0);

    // The field pastes them (the cover text, told nothing about its form).
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&orders_cover, t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("새 주문 2건"), "{}", status_text(&field));
    let s = screen(&field, t0);
    assert!(s.contains("큰 언니") && s.contains("작은 삼촌"), "{s}");

    // Deliveries: the answer field is masked; the second answer is wrong.
    let orders = field.snap().unwrap().field.as_ref().unwrap().orders.clone();
    for (i, order) in orders.iter().enumerate() {
        let pos =
            field.snap().unwrap().field.as_ref().unwrap().orders.iter().position(|o| o.code == order.code).unwrap();
        for _ in 0..5 {
            field.on_key(key(KeyCode::Up), t0);
        }
        for _ in 0..pos {
            field.on_key(key(KeyCode::Down), t0);
        }
        field.on_key(key(KeyCode::Enter), t0);
        let s = screen(&field, t0);
        assert!(s.contains("강아지 이름?"), "the question is not shown: {s}");
        let answer = if order.alias == "큰 언니" { "바 둑 이!" } else { "명천" };
        type_text(&mut field, answer, t0);
        assert!(!screen(&field, t0).contains(answer));
        press(&mut field, ctrl('s'), t0);
        assert!(status_text(&field).contains("봉인"), "{} (order {i})", status_text(&field));
    }
    // The field's cover setting: Chinese market talk (twice past plain armor), kept.
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::Cover, t0);
    settings_row(&mut field, SettingRow::Cover, t0);
    assert!(status_text(&field).contains("중국어 시장 이야기"), "{}", status_text(&field));
    assert_eq!(field.snap().unwrap().field.as_ref().unwrap().cover, Some(lethe_protocol::cover::CoverStyle::ZhMarket));
    go_to_tab(&mut field, Tab::Field, t0);
    // Outbox with the exact size, then the message.
    field.on_key(key(KeyCode::Char('m')), t0);
    let chars = field.snap().unwrap().field.as_ref().unwrap().outbox_chars.unwrap();
    assert!(screen(&field, t0).contains(&format!("정확히 {chars}자")));
    press(&mut field, key(KeyCode::Enter), t0);
    assert_eq!(main_view(&field).outgoing.as_ref().unwrap().out.chars(), chars);
    // The message opens in the setting's form: Chinese market talk.
    assert!(screen(&field, t0).contains("보내는 형태: 중국어 시장 이야기"), "{}", screen(&field, t0));
    let reports_text = shown_text(&field);
    assert!(hangul(&reports_text) == 0 && reports_text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)));
    field.on_key(key(KeyCode::Esc), t0);

    // The hub verifies.
    hub.on_key(key(KeyCode::Char('i')), t0);
    hub.on_paste(&reports_text, t0);
    press(&mut hub, ctrl('s'), t0);
    let s = screen(&hub, t0);
    assert!(s.contains("답이 맞음: 전달됨") && s.contains("이의: 답이 틀림"), "{s}");
    press(&mut hub, key(KeyCode::Enter), t0);
    let ack_text = outgoing_text(&hub);
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Char('l')), t0);
    let s = screen(&hub, t0);
    assert!(s.contains("kim") && s.contains("3,000,000"), "{s}");

    // The field erases on the acknowledgement, read from a picture of its QR code (a
    // photo of the hub's screen) named in the inbox's file field.
    let dir = std::env::temp_dir().join(format!("lethe-app-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let picture = dir.join("ack.png");
    let qr = lethe_protocol::QrImage::from_text(&ack_text.replace([' ', '\n'], "")).unwrap();
    std::fs::write(&picture, qr.to_png(4)).unwrap();
    let blank = dir.join("damaged.png");
    std::fs::write(&blank, b"\x89PNG\r\n\x1a\nnot really a picture").unwrap();
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_key(key(KeyCode::Tab), t0);
    field.on_paste(&blank.display().to_string(), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    assert!(status_text(&field).contains("그림 파일이 손상"), "{}", status_text(&field));
    assert_eq!(field.snap().unwrap().field.as_ref().unwrap().orders.len(), 2, "nothing changed");
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_key(key(KeyCode::Tab), t0);
    field.on_paste(&picture.display().to_string(), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    std::fs::remove_dir_all(&dir).unwrap();
    // The delivered order is erased; the disputed one stays, with the hub's reason.
    let status = status_text(&field);
    assert!(status.contains("주문 1건과 보고를 지웠습니다") && status.contains("이의를 단 주문 1건"), "{status}");
    let left = field.snap().unwrap().field.as_ref().unwrap().orders.clone();
    assert_eq!(left.len(), 1, "the disputed order is kept");
    assert_eq!(left[0].dispute.as_deref(), Some("wrong answer"));
    let s = screen(&field, t0);
    assert!(s.contains("본부가 이의") && s.contains("본부의 이의: wrong answer"), "{s}");
    assert!(s.contains(left[0].alias.as_str()), "{s}");
    // Pasting the same acknowledgement again is refused.
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&ack_text, t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("이미 받은 메시지"), "{}", status_text(&field));
    // A mistyped message changes nothing and says so.
    let mut broken = orders_text.clone();
    let at = broken.find(|c: char| c.is_ascii_alphanumeric()).unwrap();
    let c = broken.as_bytes()[at];
    broken.replace_range(at..at + 1, if c == b'A' { "B" } else { "A" });
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&broken, t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("쓸 수 없습니다"), "{}", status_text(&field));
}

#[test]
fn order_form_refusals_are_shown_in_the_users_language() {
    use crate::app::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut hub = App::new(container(), t0);
    unlock(&mut hub, "decoy", t0);
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    go_to_tab(&mut hub, Tab::Hub, t0);
    // No broker yet.
    hub.on_key(key(KeyCode::Char('o')), t0);
    assert!(status_text(&hub).contains("먼저 전달자를 추가하세요"));
    let other = lethe_protocol::IdentityKeyPair::generate().unwrap().public_key().to_text();
    hub.on_key(key(KeyCode::Char('p')), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "lee", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&other, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Esc), t0);
    // An unreadable amount: the form stays open with a message.
    hub.on_key(key(KeyCode::Char('o')), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "a", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "삼백", t0);
    hub.on_key(ctrl('s'), t0);
    assert!(hub.job.is_none());
    assert!(status_text(&hub).contains("금액을 읽을 수 없습니다"), "{}", status_text(&hub));
    // A missing question, in Chinese.
    hub.lang = Lang::Zh;
    for _ in 0..10 {
        hub.on_key(key(KeyCode::Up), t0);
    }
    for _ in 0..3 {
        hub.on_key(key(KeyCode::Down), t0);
    }
    for _ in 0..4 {
        hub.on_key(key(KeyCode::Backspace), t0);
    }
    type_text(&mut hub, "300", t0);
    hub.on_key(ctrl('s'), t0);
    assert!(status_text(&hub).contains("请填写"), "{}", status_text(&hub));
    assert!(hub.snap().unwrap().hub.as_ref().unwrap().orders.is_empty());
}

/// Remote pairing through the screens: request (field), answer (hub), last step (field),
/// and both sides show the same 12-digit code; the texts are read off the screen as a
/// user would copy them.
#[test]
fn remote_pairing_through_the_screens_shows_the_same_code_on_both_sides() {
    use crate::app::screens::field::FieldView;
    use crate::app::screens::hub::HubView;
    use crate::app::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut hub = App::new(container(), t0);
    let mut field = App::new(container(), t0);
    unlock(&mut hub, "hidden", t0);
    unlock(&mut field, "hidden", t0);
    go_to_tab(&mut hub, Tab::Settings, t0);
    settings_row(&mut hub, SettingRow::SetUpHub, t0);
    go_to_tab(&mut field, Tab::Settings, t0);
    settings_row(&mut field, SettingRow::SetUpField, t0);
    go_to_tab(&mut field, Tab::Field, t0);
    go_to_tab(&mut hub, Tab::Hub, t0);
    let field_text = |app: &App| match &main_view(app).field.view {
        FieldView::PairText { text, code, .. } => (text.clone(), code.clone()),
        _ => panic!("no pairing text shown: {}", status_text(app)),
    };
    let hub_text = |app: &App| match &main_view(app).hub.view {
        HubView::PairText { text, .. } => text.clone(),
        _ => panic!("no pairing text shown: {}", status_text(app)),
    };

    // The field's request (the hints offer it while not paired).
    field.on_key(key(KeyCode::Char('p')), t0);
    assert!(screen(&field, t0).contains("멀리서 짝 맺기"), "{}", screen(&field, t0));
    press(&mut field, key(KeyCode::Char('r')), t0);
    let (request, none) = field_text(&field);
    assert!(none.is_none());
    assert!(screen_sized(&field, t0, 50, 40).contains(request.split(' ').next().unwrap()));
    // The hub answers it.
    hub.on_key(key(KeyCode::Char('p')), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&request, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    let answer = hub_text(&hub);
    assert!(status_text(&hub).contains("kim"), "{}", status_text(&hub));
    assert!(hub.snap().unwrap().hub.as_ref().unwrap().brokers.is_empty(), "not paired before her last step");
    // The field takes the answer: paired, with the last text and the code.
    field.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('h')), t0);
    field.on_paste(&answer, t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let (reveal, code) = field_text(&field);
    let code = code.expect("a code to read aloud");
    assert_eq!(code.chars().filter(char::is_ascii_digit).count(), 12, "{code}");
    assert!(screen(&field, t0).contains(&code));
    // The hub takes the last step under the same name: paired, the same code.
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Char('a')), t0);
    type_text(&mut hub, "kim", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_paste(&reveal, t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    let brokers = hub.snap().unwrap().hub.as_ref().unwrap().brokers.clone();
    assert_eq!(brokers.len(), 1, "{}", status_text(&hub));
    assert_eq!(brokers[0].safety_code, code);
    assert!(status_text(&hub).contains(&code));
    // A text of the wrong step (a request where the hub's answer belongs) is refused.
    let mut other_field = App::new(container(), t0);
    unlock(&mut other_field, "hidden", t0);
    go_to_tab(&mut other_field, Tab::Settings, t0);
    settings_row(&mut other_field, SettingRow::SetUpField, t0);
    go_to_tab(&mut other_field, Tab::Field, t0);
    other_field.on_key(key(KeyCode::Char('p')), t0);
    other_field.on_key(key(KeyCode::Char('h')), t0);
    other_field.on_paste(&request, t0);
    press(&mut other_field, key(KeyCode::Enter), t0);
    assert!(other_field.snap().unwrap().field.as_ref().unwrap().safety_code.is_none());
}

#[test]
fn a_delivery_with_a_video_travels_sealed_and_the_original_is_shredded() {
    let t0 = Instant::now();
    let (mut hub, mut field) = paired_apps(t0);
    let dir = std::env::temp_dir().join(format!("lethe-app-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // An order with the fields the form needs, in Chinese this time.
    hub.on_key(key(KeyCode::Char('o')), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "小白", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "1万5000", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    hub.on_key(key(KeyCode::Right), t0); // CNY
    for _ in 0..3 {
        hub.on_key(key(KeyCode::Enter), t0);
    }
    type_text(&mut hub, "猫叫什么?", t0);
    hub.on_key(key(KeyCode::Enter), t0);
    type_text(&mut hub, "咪咪", t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    let order = hub.snap().unwrap().hub.as_ref().unwrap().orders[0].clone();
    assert_eq!((order.amount_minor, order.currency), (1_500_000, lethe_remit::Currency::Cny));
    hub.on_key(key(KeyCode::Char('m')), t0);
    press(&mut hub, ctrl('s'), t0);
    let orders_text = outgoing_text(&hub);
    hub.on_key(key(KeyCode::Esc), t0);
    field.on_key(key(KeyCode::Char('i')), t0);
    field.on_paste(&orders_text, t0);
    press(&mut field, ctrl('s'), t0);

    // Deliver with a file that is not a photo or video lethe can clean: refused until the user says to send it with
    // its metadata, as the command line refuses it without --keep-metadata.
    let video = dir.join("clip.mp4");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&video, &content).unwrap();
    field.on_key(key(KeyCode::Enter), t0);
    type_text(&mut field, "咪咪", t0);
    field.on_key(key(KeyCode::Enter), t0);
    field.on_paste(&video.display().to_string(), t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("사진(JPEG, PNG)이나 동영상(MP4, MOV)이 아닙니다"), "{}", status_text(&field));
    assert!(video.exists());
    // The form stays open, its texts emptied (the answer is not kept); the photo field
    // still has the focus.
    field.on_key(key(KeyCode::Up), t0);
    type_text(&mut field, "咪咪", t0);
    field.on_key(key(KeyCode::Enter), t0);
    field.on_paste(&video.display().to_string(), t0);
    // Past the shred box to "send with its metadata", which is turned on.
    field.on_key(key(KeyCode::Down), t0);
    field.on_key(key(KeyCode::Down), t0);
    field.on_key(key(KeyCode::Char(' ')), t0);
    press(&mut field, ctrl('s'), t0);
    assert!(status_text(&field).contains("사진을 봉인했습니다"), "{}", status_text(&field));
    assert!(!video.exists(), "the original was not shredded");
    // The sealed media file goes out beside the report.
    field.on_key(key(KeyCode::Char('m')), t0);
    let s = screen(&field, t0);
    assert!(s.contains("KiB"), "{s}");
    field.on_key(key(KeyCode::Char('x')), t0);
    let sealed = dir.join("clip.sealed");
    field.on_paste(&sealed.display().to_string(), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let said = status_text(&field);
    assert!(said.contains("봉인된") && said.contains(&format!("lethe shred {}", sealed.display())), "{said}");
    let sealed_bytes = std::fs::read(&sealed).unwrap();
    assert!(!sealed_bytes.windows(64).any(|w| content.windows(64).next() == Some(w)), "plaintext in the sealed file");
    field.on_key(key(KeyCode::Char('m')), t0);
    press(&mut field, key(KeyCode::Enter), t0);
    let report = outgoing_text(&field);

    // The hub: report, then the media file, then export it.
    hub.on_key(key(KeyCode::Char('i')), t0);
    hub.on_paste(&report, t0);
    press(&mut hub, ctrl('s'), t0);
    assert!(screen(&hub, t0).contains("답이 맞음"));
    hub.on_key(key(KeyCode::Esc), t0);
    hub.on_key(key(KeyCode::Char('f')), t0);
    hub.on_paste(&sealed.display().to_string(), t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert!(status_text(&hub).contains("사진을 가져왔습니다"), "{}", status_text(&hub));
    // The order's acknowledgement waited for its photo: it is shown now.
    assert!(screen(&hub, t0).contains("전달자에게 보낼 확인"), "{}", screen(&hub, t0));
    hub.on_key(key(KeyCode::Esc), t0);
    assert!(screen(&hub, t0).contains("x 키로 내보내기"));
    hub.on_key(key(KeyCode::Char('x')), t0);
    let out = dir.join("clip-out.mp4");
    hub.on_paste(&out.display().to_string(), t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert_eq!(std::fs::read(&out).unwrap(), content);
    // Both files outside the container are the user's alone; each time the app said so.
    use std::os::unix::fs::PermissionsExt;
    for written in [&sealed, &out] {
        assert_eq!(std::fs::metadata(written).unwrap().permissions().mode() & 0o777, 0o600, "{}", written.display());
    }
    assert!(status_text(&hub).contains(&format!("lethe shred {}", out.display())), "{}", status_text(&hub));
    // The same media file twice is refused.
    hub.on_key(key(KeyCode::Char('f')), t0);
    hub.on_paste(&sealed.display().to_string(), t0);
    press(&mut hub, key(KeyCode::Enter), t0);
    assert!(status_text(&hub).contains("이미 가져왔습니다"), "{}", status_text(&hub));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn partial_deliveries_and_amounts_above_the_order_have_their_own_words() {
    use lethe_remit::{Currency, DisputeReason, HubOrderStatus, OrderCode};
    let status = crate::app::screens::hub_draw::status_msg;
    for lang in [Lang::Ko, Lang::Zh, Lang::En] {
        let partial = UiText::new(status(HubOrderStatus::Partial)).render(lang);
        let above = UiText::new(status(HubOrderStatus::Disputed(DisputeReason::AmountAboveOrder))).render(lang);
        let disputed = UiText::new(Msg::StatusDisputed).render(lang);
        let delivered = UiText::new(Msg::StatusDelivered).render(lang);
        assert!(partial != disputed && partial != delivered && above != disputed, "{lang:?}: {partial} / {above}");
    }
    let err =
        lethe_remit::Error::AmountAboveOrder { code: OrderCode(7), ordered_minor: 100_000, currency: Currency::Krw };
    let text = crate::app::errors::remit_error_text(&err).render(Lang::Ko);
    assert!(text.contains("100,000 KRW") && text.contains(&OrderCode(7).to_string()), "{text}");
}
