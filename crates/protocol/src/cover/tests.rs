use super::*;

const KEY: [u8; 32] = [0x42; 32];

fn payload(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(151).wrapping_add(seed)).collect()
}

#[test]
fn grammars_are_sound() {
    for style in CoverStyle::ALL {
        let problems = grammar::check(style.sentences());
        assert!(problems.is_empty(), "{style}: {problems:#?}");
        assert!(grammar::max_radix(style.sentences()) < 1 << 16);
    }
}

#[test]
fn round_trip_every_small_size() {
    for style in CoverStyle::ALL {
        for len in (0..200).chain([511, 1000, 2500]) {
            let data = payload(len, len as u8);
            let text = encode(style, &KEY, &data).unwrap();
            assert_eq!(decode(style, &KEY, &text).unwrap(), data, "{style} {len}");
            assert_eq!(decode_any(&KEY, &text).unwrap(), (style, data.clone()));
        }
    }
}

#[test]
fn shows_what_it_writes() {
    for style in CoverStyle::ALL {
        let text = encode(style, &KEY, &payload(91, 7)).unwrap();
        println!("{style}, 91 bytes, {} characters:\n{text}\n", text.chars().count());
        assert!(!text.chars().any(|c| c.is_ascii_uppercase() && text.contains("AAAA")));
    }
}

#[test]
fn another_key_reads_nothing() {
    for style in CoverStyle::ALL {
        let data = payload(120, 1);
        let text = encode(style, &KEY, &data).unwrap();
        let mut other = KEY;
        other[31] ^= 1;
        assert_eq!(decode(style, &other, &text), Err(CoverError::Refused));
        // Control: the right key reads it.
        assert_eq!(decode(style, &KEY, &text).unwrap(), data);
    }
}

#[test]
fn same_message_twice_gives_unrelated_text() {
    let data = payload(100, 3);
    let a = encode(CoverStyle::KoMarket, &KEY, &data).unwrap();
    let b = encode(CoverStyle::KoMarket, &KEY, &data).unwrap();
    assert_ne!(a, b);
    // Not even the first sentence is shared.
    assert_ne!(a.lines().next(), b.lines().next());
    // With the same nonce the text is the same (it is a function of key, nonce, payload).
    let c = encode_with_nonce(CoverStyle::KoMarket, &KEY, &data, [1; 6]).unwrap();
    let d = encode_with_nonce(CoverStyle::KoMarket, &KEY, &data, [1; 6]).unwrap();
    assert_eq!(c, d);
}

#[test]
fn survives_what_chat_apps_do() {
    for style in CoverStyle::ALL {
        let data = payload(300, 9);
        let text = encode(style, &KEY, &data).unwrap();
        let full_width: String = text
            .chars()
            .map(|c| match c {
                '0'..='9' | ',' | '.' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect();
        let variants = [
            text.replace('\n', " "),
            text.replace('\n', ""),
            text.replace(' ', ""),
            text.replace(' ', "  ").replace('\n', "\r\n\n"),
            full_width,
            format!("{text} 😊"),
            format!("{text}\n감사합니다~ 谢谢!"),
            format!("\u{200B}{}", text.replace(' ', "\u{00A0}")),
        ];
        for v in &variants {
            assert_eq!(decode(style, &KEY, v).unwrap(), data, "{style}: {v}");
        }
    }
}

#[test]
fn pasted_in_two_pieces() {
    for style in CoverStyle::ALL {
        let data = payload(250, 5);
        let text = encode(style, &KEY, &data).unwrap();
        let cut = text.char_indices().nth(text.chars().count() / 2).unwrap().0;
        let (first, second) = text.split_at(cut);
        assert_eq!(decode(style, &KEY, first), Err(CoverError::Incomplete));
        let joined = format!("{first}\n{second}");
        assert_eq!(decode(style, &KEY, &joined).unwrap(), data);
        // An unrelated line between two pieces cut at a sentence boundary is skipped.
        let heads = grammar::alt_first(style.sentences(), &[]);
        let line_cut = text
            .match_indices('\n')
            .map(|(at, _)| at)
            .filter(|&at| {
                let after = grammar::normalize(&text[at..]);
                heads.iter().any(|h| after.starts_with(h.as_str()))
            })
            .nth(2)
            .unwrap();
        let (a, b) = text.split_at(line_cut);
        let with_chat = format!("{a}\n잠깐만요 ㅎㅎ\n{b}");
        assert_eq!(decode(style, &KEY, &with_chat).unwrap(), data);
    }
}

#[test]
fn garbage_and_armor_are_not_cover_text() {
    assert_eq!(decode_any(&KEY, "DHJQ8 T35JK F1RN8"), Err(CoverError::NotCoverText));
    assert_eq!(decode_any(&KEY, "안녕하세요, 잘 지내요?"), Err(CoverError::NotCoverText));
    assert_eq!(decode_any(&KEY, ""), Err(CoverError::NotCoverText));
}

#[test]
fn a_changed_price_is_refused() {
    let data = payload(80, 2);
    let text = encode(CoverStyle::KoMarket, &KEY, &data).unwrap();
    // Change one choice: swap a word for another of its list that reads.
    let mut refused = 0;
    let mut tried = 0;
    for (from, to) in [("오늘", "어제"), ("혜산", "회령"), ("어머니", "아버지"), ("삼성전자", "현대차")]
    {
        if let Some(at) = text.find(from) {
            let changed = format!("{}{}{}", &text[..at], to, &text[at + from.len()..]);
            tried += 1;
            if matches!(decode(CoverStyle::KoMarket, &KEY, &changed), Err(CoverError::Refused)) {
                refused += 1;
            }
        }
    }
    assert_eq!(refused, tried);
}

#[test]
fn payload_limit() {
    let big = vec![0u8; MAX_COVER_PAYLOAD + 1];
    assert_eq!(
        encode(CoverStyle::ZhMarket, &KEY, &big),
        Err(CoverError::PayloadTooLong { len: MAX_COVER_PAYLOAD + 1 })
    );
}
