//! Normalising a challenge answer, so that the same answer typed on different phones,
//! keyboards and input methods compares equal.

use unicode_normalization::UnicodeNormalization;

/// Normalises an answer to a challenge question before it is hashed or compared:
///
/// 1. Unicode NFKC: composes Hangul jamo into syllables (so decomposed and precomposed
///    input agree) and folds compatibility forms — full-width Latin letters and digits
///    from Chinese and Korean keyboards, half-width katakana, ligatures, compatibility
///    jamo;
/// 2. lower case (full Unicode case mapping), then NFKC again, since lower-casing can
///    produce decomposed sequences;
/// 3. keeps only letters and digits (of any script): spaces, punctuation, symbols and
///    emoji are dropped.
///
/// The result is stable: normalising it again changes nothing.
pub fn normalize_answer(answer: &str) -> String {
    let folded: String = answer.nfkc().collect::<String>().to_lowercase();
    folded.nfkc().filter(|c| c.is_alphanumeric()).collect()
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
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,40}") {
            let once = normalize_answer(&s);
            prop_assert_eq!(normalize_answer(&once), once);
        }

        #[test]
        fn spaces_and_case_never_matter(s in "[a-zA-Z가-힣 ]{0,20}") {
            let squeezed: String = s.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(normalize_answer(&s.to_uppercase()), normalize_answer(&squeezed));
        }
    }
}
