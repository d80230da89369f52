//! A rough, deliberately pessimistic estimate of a new passphrase's strength in bits, for
//! the warning when a container is made. It is not a guarantee: it only catches the
//! obvious (short, one kind of character, repeats, keyboard or number runs, common words).
//!
//! Each character counts the bits of the smallest set it comes from (digits, lower case,
//! upper case, symbols, Hangul syllables, Chinese characters); a character that repeats
//! the one before or continues a run (`abc`, `123`, `가나다` is not a run) counts one bit.
//! A passphrase of several words counts at most 13 bits a word (a word from a list of
//! 8,000), and the estimate is the lower of the two. A very common password counts 10 bits.

/// Below this the app warns.
pub const WEAK_BELOW_BITS: u32 = 50;

const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "qwertyuiop",
    "111111",
    "iloveyou",
    "admin",
    "letmein",
    "abc123",
    "lethe",
    "비밀번호",
    "사랑해",
    "密码",
    "我爱你",
];

fn char_bits(c: char) -> f64 {
    let pool: f64 = if c.is_ascii_digit() {
        10.0
    } else if c.is_ascii_alphabetic() {
        26.0
    } else if c.is_ascii() {
        33.0
    } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        // Syllables in common use, not all 11,172.
        2_350.0
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        3_500.0
    } else {
        100.0
    };
    pool.log2()
}

fn chars_estimate(text: &str) -> f64 {
    let mut bits = 0.0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let run = prev.is_some_and(|p| {
            let (a, b) = (p as i64, c as i64);
            c.is_ascii_alphanumeric() && p.is_ascii_alphanumeric() && (a - b).abs() <= 1
        });
        bits += if run { 1.0 } else { char_bits(c) };
        prev = Some(c);
    }
    bits
}

/// The estimated strength of `passphrase` in whole bits.
pub fn estimate_bits(passphrase: &str) -> u32 {
    let trimmed = passphrase.trim();
    if trimmed.is_empty() {
        return 0;
    }
    if COMMON.iter().any(|w| w.eq_ignore_ascii_case(trimmed)) {
        return 10;
    }
    let by_chars = chars_estimate(trimmed);
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let by_words = if words.len() >= 2 {
        words.iter().map(|w| if COMMON.contains(w) { 1.0 } else { chars_estimate(w).min(13.0) }).sum::<f64>()
    } else {
        by_chars
    };
    by_chars.min(by_words).floor() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_score_below_the_warning_and_strong_ones_above() {
        for weak in
            ["", "password", "123456789", "aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "Summer2024", "사랑해", "김철수"]
        {
            assert!(estimate_bits(weak) < WEAK_BELOW_BITS, "{weak}: {}", estimate_bits(weak));
        }
        for strong in [
            "correct horse battery staple",
            "tundra velvet orbit mango",
            "x7$Kq!2mZp9@wLr",
            "압록강 자전거 연필 구름 바다",
        ] {
            assert!(estimate_bits(strong) >= WEAK_BELOW_BITS, "{strong}: {}", estimate_bits(strong));
        }
        // Words are counted as words, not letters: two long words are still weak.
        assert!(estimate_bits("extraordinary incomprehensibilities") < WEAK_BELOW_BITS);
        // Repeats and runs count one bit each.
        assert_eq!(estimate_bits("1111"), (10f64.log2() + 3.0).floor() as u32);
    }
}
