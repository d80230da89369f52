//! Normalising a challenge answer, so that the same answer typed on different phones,
//! keyboards and input methods compares equal.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_compatible;

/// Normalises an answer to a challenge question before it is hashed or compared:
///
/// 1. compatibility folding (NFKC), except that Hangul compatibility jamo (`ㄱ`, `ㅏ`,
///    and their half-width forms) are kept as letters typed one by one: full-width Latin
///    letters and digits from Chinese and Korean keyboards, half-width katakana and
///    ligatures are folded, decomposed Hangul is composed into syllables;
/// 2. lower case (full Unicode case mapping), then step 1 again, since lower-casing can
///    produce decomposed sequences;
/// 3. keeps only letters and digits (of any script): spaces, punctuation, symbols and
///    emoji are dropped;
/// 4. composes the Hangul letters typed one by one into syllables as a Korean input
///    method does (see [`compose_jamo`]): `ㄱㅏㅇ` is `강`, `ㅎㅏㄴㄱㅡㄹ` is `한글`;
/// 5. NFKC, which turns the letters that did not compose into conjoining jamo.
///
/// The result is stable: normalising it again changes nothing.
pub fn normalize_answer(answer: &str) -> String {
    let folded = fold(&fold(answer).to_lowercase());
    let letters: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
    compose_jamo(&letters).nfkc().filter(|c| c.is_alphanumeric()).collect()
}

/// NFKC, except that compatibility jamo stay as they are (half-width ones become the
/// ordinary compatibility jamo): NFKC would turn them into conjoining jamo, and a
/// consonant typed as a final would then be read as the first consonant of a new
/// syllable.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(jamo) = compatibility_jamo(c) {
            out.push(jamo);
        } else {
            decompose_compatible(c, |d| out.push(d));
        }
    }
    out.nfc().collect()
}

/// The compatibility jamo a character is (`ㄱ`…`ㅣ`, or their half-width forms, which
/// are in the same order with gaps between the vowel rows).
fn compatibility_jamo(c: char) -> Option<char> {
    let code = c as u32;
    let mapped = match code {
        0x3131..=0x3163 => code,
        0xFFA1..=0xFFBE => code - 0xFFA1 + 0x3131,
        0xFFC2..=0xFFC7 => code - 0xFFC2 + 0x314F,
        0xFFCA..=0xFFCF => code - 0xFFCA + 0x3155,
        0xFFD2..=0xFFD7 => code - 0xFFD2 + 0x315B,
        0xFFDA..=0xFFDC => code - 0xFFDA + 0x3161,
        _ => return None,
    };
    char::from_u32(mapped)
}

/// Leading consonants in the order of the Unicode syllable formula.
const LEADS: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];
/// Vowels in the order of the formula (the compatibility vowels ㅏ…ㅣ are in this order).
const VOWELS: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ', 'ㅟ', 'ㅠ', 'ㅡ',
    'ㅢ', 'ㅣ',
];
/// Final consonants in the order of the formula (index + 1; 0 is "no final").
const FINALS: [char; 27] = [
    'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ', 'ㅅ',
    'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];
/// Two finals typed one after the other that make a double final.
const DOUBLE_FINALS: [(char, char, char); 11] = [
    ('ㄱ', 'ㅅ', 'ㄳ'),
    ('ㄴ', 'ㅈ', 'ㄵ'),
    ('ㄴ', 'ㅎ', 'ㄶ'),
    ('ㄹ', 'ㄱ', 'ㄺ'),
    ('ㄹ', 'ㅁ', 'ㄻ'),
    ('ㄹ', 'ㅂ', 'ㄼ'),
    ('ㄹ', 'ㅅ', 'ㄽ'),
    ('ㄹ', 'ㅌ', 'ㄾ'),
    ('ㄹ', 'ㅍ', 'ㄿ'),
    ('ㄹ', 'ㅎ', 'ㅀ'),
    ('ㅂ', 'ㅅ', 'ㅄ'),
];
/// Two vowels typed one after the other that make a compound vowel.
const COMPOUND_VOWELS: [(char, char, char); 7] = [
    ('ㅗ', 'ㅏ', 'ㅘ'),
    ('ㅗ', 'ㅐ', 'ㅙ'),
    ('ㅗ', 'ㅣ', 'ㅚ'),
    ('ㅜ', 'ㅓ', 'ㅝ'),
    ('ㅜ', 'ㅔ', 'ㅞ'),
    ('ㅜ', 'ㅣ', 'ㅟ'),
    ('ㅡ', 'ㅣ', 'ㅢ'),
];

const SYLLABLE_BASE: u32 = 0xAC00;
const SYLLABLE_COUNT: u32 = 11_172;

fn position(table: &[char], c: char) -> Option<usize> {
    table.iter().position(|t| *t == c)
}

fn pair(table: &[(char, char, char)], a: char, b: char) -> Option<char> {
    table.iter().find(|(x, y, _)| *x == a && *y == b).map(|(_, _, r)| *r)
}

/// Splits a double final into the part that stays and the consonant that moves on.
fn split_final(t: char) -> Option<(char, char)> {
    DOUBLE_FINALS.iter().find(|(_, _, r)| *r == t).map(|(a, b, _)| (*a, *b))
}

/// A syllable being built from letters typed one by one.
#[derive(Clone, Copy)]
enum Block {
    Empty,
    /// A consonant alone so far.
    Lead(char),
    /// A vowel alone (no consonant before it).
    Vowel(char),
    /// Consonant and vowel.
    Open(char, char),
    /// Consonant, vowel and final consonant (possibly double).
    Closed(char, char, char),
}

fn syllable(lead: char, vowel: char, last: Option<char>) -> Option<char> {
    let l = position(&LEADS, lead)? as u32;
    let v = position(&VOWELS, vowel)? as u32;
    let t = match last {
        None => 0,
        Some(t) => position(&FINALS, t)? as u32 + 1,
    };
    char::from_u32(SYLLABLE_BASE + (l * 21 + v) * 28 + t)
}

/// A precomposed syllable as the block it would be while typing.
fn block_of_syllable(c: char) -> Option<Block> {
    let index = (c as u32).checked_sub(SYLLABLE_BASE).filter(|i| *i < SYLLABLE_COUNT)?;
    let lead = LEADS[(index / (21 * 28)) as usize];
    let vowel = VOWELS[((index / 28) % 21) as usize];
    Some(match index % 28 {
        0 => Block::Open(lead, vowel),
        t => Block::Closed(lead, vowel, FINALS[t as usize - 1]),
    })
}

impl Block {
    fn flush(self, out: &mut String) {
        match self {
            Block::Empty => {}
            Block::Lead(c) | Block::Vowel(c) => out.push(c),
            Block::Open(l, v) => out.extend(syllable(l, v, None)),
            Block::Closed(l, v, t) => out.extend(syllable(l, v, Some(t))),
        }
    }

    /// Adds a consonant, flushing what it cannot join.
    fn consonant(self, c: char, out: &mut String) -> Block {
        match self {
            Block::Open(l, v) if position(&FINALS, c).is_some() => Block::Closed(l, v, c),
            Block::Closed(l, v, t) if pair(&DOUBLE_FINALS, t, c).is_some() => {
                Block::Closed(l, v, pair(&DOUBLE_FINALS, t, c).unwrap_or(t))
            }
            other => {
                other.flush(out);
                if position(&LEADS, c).is_some() {
                    Block::Lead(c)
                } else {
                    // A double final typed on its own (ㄳ) starts no syllable.
                    out.push(c);
                    Block::Empty
                }
            }
        }
    }

    /// Adds a vowel, flushing what it cannot join. A final consonant followed by a
    /// vowel moves to the new syllable (the second half of a double final does), as
    /// Korean input methods do: ㄱㅏㅇㅏ is 가아, ㄷㅏㄺㅏ is 달가.
    fn vowel(self, v: char, out: &mut String) -> Block {
        match self {
            Block::Lead(l) => Block::Open(l, v),
            Block::Open(l, first) if pair(&COMPOUND_VOWELS, first, v).is_some() => {
                Block::Open(l, pair(&COMPOUND_VOWELS, first, v).unwrap_or(first))
            }
            Block::Vowel(first) if pair(&COMPOUND_VOWELS, first, v).is_some() => {
                Block::Vowel(pair(&COMPOUND_VOWELS, first, v).unwrap_or(first))
            }
            Block::Closed(l, first, t) => {
                let (stays, moves) = match split_final(t) {
                    Some((a, b)) => (Some(a), b),
                    None => (None, t),
                };
                match stays {
                    Some(a) => Block::Closed(l, first, a).flush(out),
                    None => Block::Open(l, first).flush(out),
                }
                Block::Open(moves, v)
            }
            other => {
                other.flush(out);
                Block::Vowel(v)
            }
        }
    }
}

/// Composes Hangul compatibility jamo typed one by one into syllables, by the rules of
/// the standard Korean (two-set) input method: a syllable is a leading consonant, a
/// vowel (two vowels may make a compound one: ㅗ+ㅏ is ㅘ) and an optional final
/// consonant (two may make a double final: ㄹ+ㄱ is ㄺ); a final consonant followed by
/// a vowel moves to the next syllable. Precomposed syllables take part as the block they
/// would be while typing (`가` then `ㅇ` is `강`). Every other character ends the
/// syllable being built and is kept as it is. Letters that join nothing stay
/// compatibility jamo.
pub fn compose_jamo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut block = Block::Empty;
    for c in text.chars() {
        if position(&VOWELS, c).is_some() {
            block = block.vowel(c, &mut out);
        } else if ('\u{3131}'..='\u{314E}').contains(&c) {
            block = block.consonant(c, &mut out);
        } else if let Some(b) = block_of_syllable(c) {
            block.flush(&mut out);
            block = b;
        } else {
            block.flush(&mut out);
            block = Block::Empty;
            out.push(c);
        }
    }
    block.flush(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hangul_decomposed_and_precomposed_agree() {
        let precomposed = "바둑이";
        let decomposed = "\u{1107}\u{1161}\u{1103}\u{116E}\u{11A8}\u{110B}\u{1175}";
        assert_ne!(precomposed, decomposed);
        assert_eq!(normalize_answer(decomposed), precomposed);
        assert_eq!(normalize_answer(precomposed), precomposed);
        // Spacing and punctuation typed around the answer.
        assert_eq!(normalize_answer(" 바둑 이! "), precomposed);
        // Compatibility jamo typed one by one compose too.
        assert_eq!(normalize_answer("ㄱㅏ"), "가");
        // A different answer stays different.
        assert_ne!(normalize_answer("바둑"), precomposed);
    }

    #[test]
    fn jamo_typed_one_by_one_compose_by_the_hangul_rules() {
        // Issue 16: these did not match before (only syllables without a final did).
        assert_eq!(normalize_answer("ㄱㅏㅇ"), "강");
        assert_eq!(normalize_answer("ㅎㅏㄴㄱㅡㄹ"), "한글");
        assert_eq!(normalize_answer("ㅂㅏㄷㅜㄱㅇㅣ"), "바둑이");
        // Double finals, typed as one key or as two.
        assert_eq!(normalize_answer("ㄷㅏㄺ"), "닭");
        assert_eq!(normalize_answer("ㄷㅏㄹㄱ"), "닭");
        assert_eq!(normalize_answer("ㄴㅓㄳ"), "넋");
        assert_eq!(normalize_answer("ㄴㅓㄱㅅ"), "넋");
        assert_eq!(normalize_answer("ㅇㅓㅂㅅㄷㅏ"), "없다");
        // Compound vowels, typed as one key or as two.
        assert_eq!(normalize_answer("ㄱㅘ"), "과");
        assert_eq!(normalize_answer("ㄱㅗㅏ"), "과");
        assert_eq!(normalize_answer("ㅇㅗㅐㄱㅡㄹㅣ"), "왜그리");
        assert_eq!(normalize_answer("ㅇㅢㅅㅏ"), normalize_answer("의사"));
        // A final followed by a vowel moves on, as input methods do.
        assert_eq!(normalize_answer("ㄱㅏㅇㅏ"), "가아");
        assert_eq!(normalize_answer("ㄷㅏㄹㄱㅏ"), "달가");
        assert_eq!(normalize_answer("ㅇㅓㄹㅡㄴ"), "어른");
        // Spaces between the letters do not matter, nor half-width forms.
        assert_eq!(normalize_answer("ㅎㅏㄴ ㄱㅡㄹ"), "한글");
        assert_eq!(normalize_answer("\u{FFBE}\u{FFC2}\u{FFA4}"), "한"); // half-width ㅎ ㅏ ㄴ
        // Letters typed after a syllable the keyboard already made.
        assert_eq!(normalize_answer("하ㄴ글"), "한글");
        // Different answers stay different.
        assert_ne!(normalize_answer("ㄱㅏㅇ"), normalize_answer("가"));
        assert_ne!(normalize_answer("ㄷㅏㄹ"), normalize_answer("닭"));
    }

    #[test]
    fn letters_that_join_nothing_stay_letters() {
        // Each is kept (as a conjoining jamo after NFKC), not dropped.
        assert_eq!(normalize_answer("ㄱ").chars().count(), 1);
        assert_eq!(normalize_answer("ㅏ").chars().count(), 1);
        assert_eq!(normalize_answer("ㄳ").chars().count(), 1);
        assert_eq!(normalize_answer("가ㄸ").chars().count(), 2);
        assert_ne!(normalize_answer("ㄱㄴ"), normalize_answer("ㄴㄱ"));
        assert_eq!(compose_jamo("abcㄱㅏ1"), "abc가1");
        // Every half-width letter is read as the letter it is.
        for c in ('\u{FFA0}'..='\u{FFDF}').filter_map(|h| compatibility_jamo(h).map(|j| (h, j))) {
            assert_eq!(c.0.nfkc().collect::<String>(), c.1.nfkc().collect::<String>());
        }
    }

    #[test]
    fn chinese_full_width_forms_fold() {
        assert_eq!(normalize_answer("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize_answer("小白，　２０１０年！"), "小白2010年");
        assert_eq!(normalize_answer("小白"), "小白");
    }

    #[test]
    fn english_case_and_punctuation() {
        assert_eq!(normalize_answer("  Rex the Dog!!  "), "rexthedog");
        assert_eq!(normalize_answer("REX-the-dog"), "rexthedog");
        assert_eq!(normalize_answer("ﬁdo"), "fido"); // ligature
        assert_eq!(normalize_answer("Café"), normalize_answer("Cafe\u{301}"));
        assert_eq!(normalize_answer("..."), "");
        assert_eq!(normalize_answer("㈜한글"), "주한글"); // compatibility symbols still fold
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,40}") {
            let once = normalize_answer(&s);
            prop_assert_eq!(normalize_answer(&once), once);
        }

        #[test]
        fn idempotent_on_hangul(s in "[ㄱ-ㅣ가-힣ᄀ-ᇿ\u{FFA0}-\u{FFDC} a]{0,24}") {
            let once = normalize_answer(&s);
            prop_assert_eq!(normalize_answer(&once), once);
        }

        #[test]
        fn typing_a_syllable_letter_by_letter_matches_it(s in "[가-힣]{1,8}") {
            // Each syllable typed as its compatibility jamo, and followed by a syllable
            // (so a final never meets a vowel), composes back.
            let mut typed = String::new();
            for c in s.chars() {
                match block_of_syllable(c) {
                    Some(Block::Open(l, v)) => { typed.push(l); typed.push(v); }
                    Some(Block::Closed(l, v, t)) => {
                        typed.push(l); typed.push(v);
                        match split_final(t) {
                            Some((a, b)) => { typed.push(a); typed.push(b); }
                            None => typed.push(t),
                        }
                    }
                    _ => unreachable!(),
                }
                typed.push(' ');
            }
            // Spaces are dropped before composing, so a final may meet the next vowel
            // only when the next syllable starts with no consonant: none do (every
            // syllable has a leading consonant).
            prop_assert_eq!(normalize_answer(&typed), normalize_answer(&s));
        }

        #[test]
        fn spaces_and_case_never_matter(s in "[a-zA-Z가-힣 ]{0,20}") {
            let squeezed: String = s.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(normalize_answer(&s.to_uppercase()), normalize_answer(&squeezed));
        }
    }
}
