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

/// Frozen vectors of `lethe/cover/v1`: a fixed key, nonce and payload give exactly these
/// texts, and the texts read back. A change to a grammar or the coder changes them; it
/// must come with a new version label and a reader that still reads these.
#[test]
fn frozen_vectors_v1() {
    let data = payload(24, 7);
    for (style, want) in [(CoverStyle::KoMarket, FROZEN_KO), (CoverStyle::ZhMarket, FROZEN_ZH)] {
        let text = encode_with_nonce(style, &KEY, &data, [9, 8, 7, 6, 5, 4]).unwrap().join("\n");
        if want.is_empty() {
            panic!("{style} vector:\n{text}");
        }
        assert_eq!(text, want, "{style}: the cover encoding changed");
        assert_eq!(decode(style, &KEY, want).unwrap(), data);
    }
}

const FROZEN_KO: &str = "짐이 별로예요\n\
참고로\n\
맛내기 칠천구백삼십오 원\n\
밀가루 오천구백오십팔 원\n\
들기름 이만 구천육백이십 원\n\
그래요\n\
엔씨소프트 오후에 39만 8천5백 원 12.3% 떨어졌어요.\n\
그때 말한 거 있잖아요 수고 많으셨어요\n\
새벽 값이 비싸요\n\
도로가 없어요\n\
잘 지내시죠 또 연락할게요\n\
해주 쪽 시세\n\
흰쌀 오천이백오십\n\
닭알 이만 오천사백구십\n\
거기다 또\n\
경유 만 팔천백이십\n\
통강냉이 삼천사백육십삼\n\
닭고기 삼만 육천칠십\n\
들은 대로 적었어요\n\
환율 위엔 사천구 원 미국돈 2만 8천4백 원 받아요\n\
돈 바꾸는 값 위안 천오백삼십일 원 미화 5만 3천2백 원 쯤 해요";
const FROZEN_ZH: &str = "片仔癀开盘报七十九块七，又涨八个点，稳\n\
昨晚 珲春集市 白菜每斤三块二毛二，卖得快！\n\
美金汇率中午是7.2935，比昨天高\n\
美刀价上周是7.1280，涨了\n\
下午 通化市场 煤油每升六块二毛一，没怎么变\n\
爷爷这个周四过生日\n\
宁德时代这周报七十九块八毛二，大跌八个点，不动\n\
人民币换朝币刚才两千三百三十三左右，跌了\n\
大连行情：\n\
西红柿五块一毛一\n\
另外\n\
白糖四块三毛九\n\
煤油七块五\n\
供参考\n\
吉林物价：\n\
菜籽油六块九毛四\n\
另外\n\
汽油七块八毛三\n\
羊肉十四块五\n\
知道了吧";
