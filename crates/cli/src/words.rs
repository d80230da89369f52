//! Words that depend on a number or on the word before them, for the app and the command
//! line: English plurals (`1 order`, `2 orders`), the Korean particle chosen by the final
//! consonant of the word before it (`코드를`, `금액을`, `경로로`, `파일으로` never), ages
//! such as "under a minute" instead of "0m", and amounts short enough for a phone's
//! column (`1.5억 KRW`, `1.5亿 KRW`, `150M KRW`).

use crate::app::i18n::Lang;
use lethe_protocol::Currency;

/// Fills `{0}`, `{1}` … with `args`, and `{N:one|many}` with `one` when argument N is the
/// number 1 and `many` otherwise (English plurals). Anything else between braces stays as
/// it is.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| placeholder(&after[..close], args).map(|t| (close, t))) {
            Some((close, text)) => {
                out.push_str(text);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of one placeholder's inside (`0`, or `0:order|orders`), if it is one.
fn placeholder<'a>(inside: &'a str, args: &[&'a str]) -> Option<&'a str> {
    match inside.split_once(':') {
        None => inside.parse::<usize>().ok().map(|n| args.get(n).copied().unwrap_or("")),
        Some((n, forms)) => {
            let n = n.parse::<usize>().ok()?;
            let (one, many) = forms.split_once('|')?;
            Some(if args.get(n).is_some_and(|a| a.trim() == "1") { one } else { many })
        }
    }
}

/// The indices a template's placeholders refer to, plain (`{0}`) or plural (`{0:a|b}`).
#[cfg(test)]
pub fn placeholder_indices(template: &str) -> std::collections::BTreeSet<usize> {
    let mut found = std::collections::BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find('}') {
            let inside = &after[..close];
            let n = inside.split_once(':').map_or(inside, |(n, _)| n);
            if let Ok(n) = n.parse::<usize>() {
                found.insert(n);
            }
        }
        rest = after;
    }
    found
}

/// An English count with its noun: `1 order`, `0 orders`, `3 orders`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The final consonant (받침) of how `c` is read in Korean: `None` when it cannot be told,
/// `Some(0)` for none, otherwise the jongseong index (8 is ㄹ).
fn final_consonant(c: char) -> Option<u32> {
    let code = c as u32;
    if (0xAC00..=0xD7A3).contains(&code) {
        return Some((code - 0xAC00) % 28);
    }
    // Digits as read in Sino-Korean: 영 일 이 삼 사 오 육 칠 팔 구.
    if let Some(d) = c.to_digit(10) {
        return Some([21, 8, 0, 16, 0, 0, 1, 8, 8, 0][d as usize]);
    }
    // Latin letters by their Korean names: 엘, 엠, 엔, 알 end in a consonant; the rest
    // (에이, 비, 씨, …, 에프 …) in a vowel.
    if c.is_ascii_alphabetic() {
        return Some(match c.to_ascii_lowercase() {
            'l' | 'r' => 8,
            'm' => 16,
            'n' => 4,
            _ => 0,
        });
    }
    None
}

/// The final consonant of the last word of `text`, looking through closing quotes and
/// brackets; a number ending in zeros is read by its unit (십, 백, 천, 만, 억).
fn final_consonant_of(text: &str) -> Option<u32> {
    let trimmed = text.trim_end_matches(['\'', '"', '’', '”', ')', ']', '」', '』', '>', ' ']);
    let last = trimmed.chars().last()?;
    if last == '0' {
        let digits: String = trimmed.chars().rev().take_while(|c| c.is_ascii_digit() || *c == ',').collect();
        let zeros = digits.chars().filter(|c| *c != ',').take_while(|c| *c == '0').count();
        let all = digits.chars().filter(|c| *c != ',').count();
        if zeros == all {
            return Some(21); // 영
        }
        return Some(match zeros {
            1 => 17,    // 십
            2 => 1,     // 백
            3 => 4,     // 천
            4..=7 => 4, // 만
            _ => 1,     // 억
        });
    }
    final_consonant(last)
}

/// Particles written both ways in a template, as (written, after a consonant, after a vowel).
const PARTICLES: [(&str, &str, &str); 8] = [
    ("을(를)", "을", "를"),
    ("를(을)", "을", "를"),
    ("이(가)", "이", "가"),
    ("은(는)", "은", "는"),
    ("는(은)", "은", "는"),
    ("과(와)", "과", "와"),
    ("와(과)", "과", "와"),
    ("(이)라는", "이라는", "라는"),
];

/// Replaces each particle written both ways ("을(를)", "이(가)", "(으)로" …) with the one the
/// word before it takes. Where the word cannot be read (a symbol), both ways stay.
pub fn korean_particles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("(으)로") {
            match final_consonant_of(&out) {
                // After a vowel or ㄹ: 로; after another consonant: 으로.
                Some(0) | Some(8) => out.push('로'),
                Some(_) => out.push_str("으로"),
                None => out.push_str("(으)로"),
            }
            rest = after;
            continue;
        }
        for (written, consonant, vowel) in PARTICLES {
            if let Some(after) = rest.strip_prefix(written) {
                match final_consonant_of(&out) {
                    Some(0) => out.push_str(vowel),
                    Some(_) => out.push_str(consonant),
                    None => out.push_str(written),
                }
                rest = after;
                continue 'scan;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// How long ago, for a list: never "0m".
pub fn age(lang: Lang, seconds: u64) -> String {
    const DAY: u64 = 86_400;
    let (n, unit) = match seconds {
        s if s < 60 => {
            return match lang {
                Lang::Ko => "방금".into(),
                Lang::Zh => "刚刚".into(),
                Lang::En => "just now".into(),
            };
        }
        s if s < 3600 => (s / 60, 0),
        s if s < DAY => (s / 3600, 1),
        s => (s / DAY, 2),
    };
    match lang {
        Lang::Ko => format!("{n}{}", ["분 전", "시간 전", "일 전"][unit]),
        Lang::Zh => format!("{n}{}", ["分钟前", "小时前", "天前"][unit]),
        Lang::En => match unit {
            0 => format!("{n} min ago"),
            1 => format!("{n} h ago"),
            _ => format!("{} ago", count(n as usize, "day", "days")),
        },
    }
}

/// An amount short enough for a narrow column: in units of 만/억/조 (Korean), 万/亿
/// (Chinese) or K/M/B (English) with at most two decimals, and the currency's code. When
/// the short form is not exact it starts with "약"/"约"/"~". Amounts below the first unit
/// are shown whole.
pub fn compact_amount(lang: Lang, minor: u64, currency: Currency) -> String {
    let scale = 10u64.pow(currency.minor_digits());
    let (whole, cents) = (minor / scale, minor % scale);
    let units: &[(u64, &str)] = match lang {
        Lang::Ko => &[(1_000_000_000_000, "조"), (100_000_000, "억"), (10_000, "만")],
        Lang::Zh => &[(1_000_000_000_000, "万亿"), (100_000_000, "亿"), (10_000, "万")],
        Lang::En => &[(1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")],
    };
    let Some(&(unit, name)) = units.iter().find(|(u, _)| whole >= *u) else {
        return lethe_remit::format_amount(minor, currency);
    };
    // Hundredths of the unit, rounded down; exact when nothing is lost.
    let hundredths = (u128::from(whole) * 100 / u128::from(unit)) as u64;
    let exact = cents == 0 && u128::from(hundredths) * u128::from(unit) == u128::from(whole) * 100;
    let (int, frac) = (hundredths / 100, hundredths % 100);
    let number = match frac {
        0 => int.to_string(),
        f if f % 10 == 0 => format!("{int}.{}", f / 10),
        f => format!("{int}.{f:02}"),
    };
    let about = match (exact, lang) {
        (true, _) => "",
        (false, Lang::Ko) => "약 ",
        (false, Lang::Zh) => "约",
        (false, Lang::En) => "~",
    };
    format!("{about}{number}{name} {}", currency.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_the_number() {
        let t = "{0} new {0:order|orders} ({1} {1:was|were} here)";
        assert_eq!(fill(t, &["1", "2"]), "1 new order (2 were here)");
        assert_eq!(fill(t, &["0", "1"]), "0 new orders (1 was here)");
        assert_eq!(fill(t, &["11", "21"]), "11 new orders (21 were here)");
        assert_eq!(fill("{0} and {1}", &["a"]), "a and ");
        // Not placeholders: left as they are.
        assert_eq!(fill("{x} {0:bad} {", &["1"]), "{x} {0:bad} {");
        assert_eq!(placeholder_indices(t), [0, 1].into_iter().collect());
        assert_eq!(count(1, "day", "days"), "1 day");
        assert_eq!(count(0, "day", "days"), "0 days");
    }

    #[test]
    fn korean_particles_follow_the_final_consonant() {
        let cases = [
            ("'메모'을(를) 지울까요", "'메모'를 지울까요"),
            ("'사진'을(를) 지울까요", "'사진'을 지울까요"),
            ("코드 2WZ-PRX2을(를)", "코드 2WZ-PRX2를"),
            ("코드 123-4567을(를)", "코드 123-4567을"),
            ("선지급 3,000,000 KRW을(를)", "선지급 3,000,000 KRW를"),
            ("선지급 10을(를)", "선지급 10을"),
            ("선지급 100을(를)", "선지급 100을"),
            ("선지급 1,000을(를)", "선지급 1,000을"),
            ("0을(를)", "0을"),
            ("mina와(과) 짝을", "mina와 짝을"),
            ("민아와(과)", "민아와"),
            ("민준와(과)", "민준과"),
            ("주문 A1이(가) 없습니다", "주문 A1이 없습니다"),
            ("주문 AB2이(가) 없습니다", "주문 AB2가 없습니다"),
            ("주문 X은(는) 이미", "주문 X는 이미"),
            ("/tmp/a.jpg(으)로 내보냈", "/tmp/a.jpg로 내보냈"),
            ("/tmp/사진(으)로 내보냈", "/tmp/사진으로 내보냈"),
            ("/tmp/파일(으)로", "/tmp/파일로"),
            ("/tmp/물(으)로", "/tmp/물로"),
            ("'김철수'(으)로 등록", "'김철수'로 등록"),
            ("'박민준'(으)로 등록", "'박민준'으로 등록"),
            // A symbol before it: both ways stay rather than a guess.
            ("'★'을(를)", "'★'을(를)"),
        ];
        for (given, want) in cases {
            assert_eq!(korean_particles(given), want, "{given}");
        }
        // Nothing else changes.
        let plain = "주문 {0}을 만들었습니다 (괄호) 가(나)";
        assert_eq!(korean_particles(plain), plain);
    }

    #[test]
    fn ages_never_say_zero_minutes() {
        for lang in [Lang::Ko, Lang::Zh, Lang::En] {
            for s in [0, 59] {
                let a = age(lang, s);
                assert!(!a.contains('0') && !a.is_empty(), "{a}");
            }
        }
        assert_eq!(age(Lang::En, 0), "just now");
        assert_eq!(age(Lang::En, 60), "1 min ago");
        assert_eq!(age(Lang::En, 7200), "2 h ago");
        assert_eq!(age(Lang::En, 86_400), "1 day ago");
        assert_eq!(age(Lang::En, 3 * 86_400), "3 days ago");
        assert_eq!(age(Lang::Ko, 0), "방금");
        assert_eq!(age(Lang::Ko, 300), "5분 전");
        assert_eq!(age(Lang::Zh, 3 * 86_400), "3天前");
    }

    #[test]
    fn compact_amounts_keep_a_unit_and_say_when_rounded() {
        let krw = Currency::Krw;
        assert_eq!(compact_amount(Lang::Ko, 150_000_000, krw), "1.5억 KRW");
        assert_eq!(compact_amount(Lang::Ko, 2_500_000_000, krw), "25억 KRW");
        assert_eq!(compact_amount(Lang::Ko, 3_000_000, krw), "300만 KRW");
        assert_eq!(compact_amount(Lang::Ko, 123_456_789, krw), "약 1.23억 KRW");
        assert_eq!(compact_amount(Lang::Ko, 9_999, krw), "9,999 KRW");
        assert_eq!(compact_amount(Lang::Zh, 150_000_000, krw), "1.5亿 KRW");
        assert_eq!(compact_amount(Lang::Zh, 30_000, krw), "3万 KRW");
        assert_eq!(compact_amount(Lang::En, 150_000_000, krw), "150M KRW");
        assert_eq!(compact_amount(Lang::En, 2_500_000_000, krw), "2.5B KRW");
        assert_eq!(compact_amount(Lang::En, 1_250, krw), "1.25K KRW");
        // Minor units: 1,500.50 CNY is not exactly 1.5K.
        assert_eq!(compact_amount(Lang::En, 150_050, Currency::Cny), "~1.5K CNY");
        assert_eq!(compact_amount(Lang::En, 150_000, Currency::Cny), "1.5K CNY");
        assert!(compact_amount(Lang::Ko, u64::MAX, krw).chars().count() < 40);
    }
}
