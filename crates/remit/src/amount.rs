//! Amounts of money as people type them, and as they are shown.
//!
//! Stored amounts are integers in the currency's minor unit (fen, won, cent). Reading
//! accepts the usual forms on Korean, Chinese and English keyboards:
//!
//! - thousands separators: `1,500`, `1 500`, `1,500,000` (every group after the first
//!   has exactly three digits, so `1,50` is refused rather than guessed);
//! - a decimal point: `1500.50` (no more decimals than the currency has);
//! - full-width digits and punctuation from CJK input methods: `１，５００．５０`;
//! - East Asian units after a number: `150만`, `1万5000`, `2천5백만`, `1억 2천만`,
//!   `1.5万` (만/万/萬 = 10⁴, 억/亿/億 = 10⁸, 천/千 = 10³, 백/百 = 10², 십/十 = 10);
//! - the currency's own sign or word before or after: `₩`, `원`, `KRW`; `¥`, `元`, `块`,
//!   `RMB`, `CNY`; `$`, `달러`, `美元`, `USD`. Another currency's sign is an error.
//!
//! Negative amounts and anything else are refused with a message saying why.

use core::fmt;

use lethe_protocol::Currency;

/// Why an amount or currency could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AmountError {
    /// Nothing but spaces.
    Empty,
    /// A character that has no place in an amount; the text is quoted back.
    Unreadable(String),
    /// Thousands separators in the wrong places (each group after one must have three
    /// digits), which may mean a decimal comma was meant.
    BadGrouping(String),
    /// More decimals than the currency has.
    TooManyDecimals {
        /// The currency.
        currency: Currency,
    },
    /// The amount is larger than lethe can store.
    TooLarge,
    /// A minus sign: amounts are never negative.
    Negative,
    /// The text names another currency than the one expected.
    OtherCurrency {
        /// The currency the text names.
        found: Currency,
        /// The currency expected.
        expected: Currency,
    },
    /// Not a currency lethe knows (CNY, KRW, USD).
    UnknownCurrency(String),
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => write!(f, "no amount was given"),
            AmountError::Unreadable(s) => {
                write!(f, "cannot read the amount '{s}' (examples: 1500, 1,500.50, 150만, 1万5000)")
            }
            AmountError::BadGrouping(s) => write!(
                f,
                "cannot read the amount '{s}': groups after a comma or space must have 3 digits; \
                 use a point for decimals (1500.50)"
            ),
            AmountError::TooManyDecimals { currency } => match currency.minor_digits() {
                0 => write!(f, "{} amounts have no decimals", currency.code()),
                d => write!(f, "{} amounts have at most {d} decimals", currency.code()),
            },
            AmountError::TooLarge => write!(f, "the amount is too large"),
            AmountError::Negative => write!(f, "an amount cannot be negative"),
            AmountError::OtherCurrency { found, expected } => {
                write!(f, "the amount is written in {}, but this is a {} amount", found.code(), expected.code())
            }
            AmountError::UnknownCurrency(s) => {
                write!(f, "unknown currency '{s}' (use CNY, KRW or USD)")
            }
        }
    }
}

impl std::error::Error for AmountError {}

/// Signs and words that name a currency, matched case-insensitively. Longest first
/// within a currency does not matter: matching is on whole leading/trailing text.
const CURRENCY_MARKS: &[(&str, Currency)] = &[
    ("krw", Currency::Krw),
    ("원", Currency::Krw),
    ("₩", Currency::Krw),
    ("韩元", Currency::Krw),
    ("韓元", Currency::Krw),
    ("cny", Currency::Cny),
    ("rmb", Currency::Cny),
    ("元", Currency::Cny),
    ("圆", Currency::Cny),
    ("圓", Currency::Cny),
    ("块", Currency::Cny),
    ("塊", Currency::Cny),
    ("위안", Currency::Cny),
    ("人民币", Currency::Cny),
    ("人民幣", Currency::Cny),
    ("¥", Currency::Cny),
    ("usd", Currency::Usd),
    ("us$", Currency::Usd),
    ("$", Currency::Usd),
    ("달러", Currency::Usd),
    ("불", Currency::Usd),
    ("美元", Currency::Usd),
    ("美金", Currency::Usd),
];

/// Reads a currency: its ISO code (any case) or a sign or word from [`CURRENCY_MARKS`]
/// (`원`, `元`, `$`...), full-width forms included.
pub fn parse_currency(text: &str) -> Result<Currency, AmountError> {
    let folded = fold_width(text.trim()).trim().to_lowercase();
    CURRENCY_MARKS
        .iter()
        .find(|(mark, _)| *mark == folded)
        .map(|(_, c)| *c)
        .ok_or_else(|| AmountError::UnknownCurrency(text.trim().to_owned()))
}

/// Full-width ASCII forms to ASCII, and the many kinds of space to a plain space.
fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FFE5}' => '¥', // full-width yen sign
            '\u{FFE6}' => '₩', // full-width won sign
            '\u{3000}' | '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}' | '\t' => ' ',
            other => other,
        })
        .collect()
}

/// Strips one currency mark from the start or end of `text`; returns the rest and the
/// currency named, if any.
fn strip_currency(text: &str) -> Result<(String, Option<Currency>), AmountError> {
    let mut rest = text.trim().to_owned();
    let mut named: Option<Currency> = None;
    // At most one mark at each end ("₩ 1,500 원" is odd but harmless).
    for _ in 0..2 {
        let lower = rest.to_lowercase();
        let mut found = None;
        for (mark, currency) in CURRENCY_MARKS {
            if lower.ends_with(mark) && lower.len() > mark.len() {
                found = Some((lower.len() - mark.len()..lower.len(), *currency));
                break;
            }
            if lower.starts_with(mark) && lower.len() > mark.len() {
                found = Some((0..mark.len(), *currency));
                break;
            }
        }
        let Some((range, currency)) = found else { break };
        if named.is_some_and(|n| n != currency) {
            return Err(AmountError::Unreadable(text.trim().to_owned()));
        }
        named = Some(currency);
        // `to_lowercase` keeps byte offsets for every character in the table and for
        // digits; other characters are refused later anyway, so map back by recomputing
        // on the original only when lengths agree.
        if lower.len() != rest.len() {
            return Err(AmountError::Unreadable(text.trim().to_owned()));
        }
        rest.replace_range(range, "");
        rest = rest.trim().to_owned();
    }
    Ok((rest, named))
}

/// Fixed-point scale of the intermediate value: six decimals.
const SCALE: u128 = 1_000_000;
const SCALE_DIGITS: usize = 6;

enum Token {
    /// A number, times [`SCALE`].
    Number(u128),
    /// 10, 100 or 1000: multiplies the number before it within a section.
    SmallUnit(u128),
    /// 10⁴ or 10⁸: closes a section.
    BigUnit(u128),
}

fn unit_of(c: char) -> Option<Token> {
    Some(match c {
        '십' | '十' | '拾' => Token::SmallUnit(10),
        '백' | '百' | '佰' => Token::SmallUnit(100),
        '천' | '千' | '仟' => Token::SmallUnit(1000),
        '만' | '万' | '萬' => Token::BigUnit(10_000),
        '억' | '亿' | '億' => Token::BigUnit(100_000_000),
        _ => return None,
    })
}

/// Reads an amount of `currency` and returns it in minor units (see the module
/// documentation for the forms accepted). Zero is accepted; callers that need a
/// positive amount check it.
pub fn parse_amount(text: &str, currency: Currency) -> Result<u64, AmountError> {
    let folded = fold_width(text);
    let original = folded.trim();
    if original.is_empty() {
        return Err(AmountError::Empty);
    }
    if original.starts_with('-') || original.starts_with('−') {
        return Err(AmountError::Negative);
    }
    let (body, named) = strip_currency(original)?;
    if let Some(found) = named
        && found != currency
    {
        return Err(AmountError::OtherCurrency { found, expected: currency });
    }
    let unreadable = || AmountError::Unreadable(original.to_owned());
    let chars: Vec<char> = body.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            i += 1;
            continue;
        }
        if let Some(unit) = unit_of(c) {
            tokens.push(unit);
            i += 1;
            continue;
        }
        if !c.is_ascii_digit() {
            return Err(if c == '-' { AmountError::Negative } else { unreadable() });
        }
        // A number: digits, separators between digits, an optional decimal part.
        let start = i;
        let mut groups: Vec<String> = vec![String::new()];
        let mut decimals: Option<String> = None;
        while i < chars.len() {
            let c = chars[i];
            let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            if c.is_ascii_digit() {
                match decimals.as_mut() {
                    Some(d) => d.push(c),
                    None => groups.last_mut().expect("one group").push(c),
                }
            } else if (c == ',' || c == ' ') && next_is_digit && decimals.is_none() {
                groups.push(String::new());
            } else if c == '.' && next_is_digit && decimals.is_none() {
                decimals = Some(String::new());
            } else {
                break;
            }
            i += 1;
        }
        let written: String = chars[start..i].iter().collect();
        if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
            return Err(AmountError::BadGrouping(written));
        }
        let digits: String = groups.concat();
        let decimals = decimals.unwrap_or_default();
        if decimals.len() > SCALE_DIGITS {
            return Err(AmountError::TooManyDecimals { currency });
        }
        let whole: u128 = digits.parse().map_err(|_| AmountError::TooLarge)?;
        let frac: u128 = if decimals.is_empty() {
            0
        } else {
            let padded = format!("{decimals:0<width$}", width = SCALE_DIGITS);
            padded.parse().map_err(|_| unreadable())?
        };
        let value = whole.checked_mul(SCALE).and_then(|w| w.checked_add(frac)).ok_or(AmountError::TooLarge)?;
        tokens.push(Token::Number(value));
    }

    // Units read as positions, as people write them: each unit at most once and in
    // descending order (억 > 만, 천 > 백 > 십 within each group of four digits), and each
    // part smaller than the unit before it. `1만만`, `2만3만`, `1천2천`, `1만2억`, `1억만`,
    // `1만억` and `3만 15000` are refused rather than read as some other amount.
    let mut total: u128 = 0;
    // The part before the next big unit (or the end), and its last small unit.
    let mut section: u128 = 0;
    let mut small: Option<u128> = None;
    // A number not yet followed by a unit.
    let mut current: Option<u128> = None;
    // The last big unit.
    let mut big: Option<u128> = None;
    let mut saw_number = false;
    // A number after a small unit must be smaller than that unit (`2천5` but not `2천1500`).
    let below_small = |small: Option<u128>, current: Option<u128>| match (small, current) {
        (Some(s), Some(n)) => n < s * SCALE,
        _ => true,
    };
    for token in tokens {
        match token {
            Token::Number(n) => {
                if current.is_some() {
                    return Err(unreadable());
                }
                current = Some(n);
                saw_number = true;
            }
            Token::SmallUnit(u) => {
                if small.is_some_and(|s| u >= s) {
                    return Err(unreadable());
                }
                let term = current.take().unwrap_or(SCALE).checked_mul(u).ok_or(AmountError::TooLarge)?;
                if small.is_some_and(|s| term >= s * SCALE) {
                    return Err(unreadable());
                }
                section = section.checked_add(term).ok_or(AmountError::TooLarge)?;
                small = Some(u);
            }
            Token::BigUnit(u) => {
                if big.is_some_and(|b| u >= b) || !below_small(small, current) {
                    return Err(unreadable());
                }
                let empty = small.is_none() && current.is_none();
                section = section.checked_add(current.take().unwrap_or(0)).ok_or(AmountError::TooLarge)?;
                if empty {
                    // `만5000`: a leading unit alone counts once; after another big unit
                    // (`1억만`) it is refused.
                    if big.is_some() {
                        return Err(unreadable());
                    }
                    section = SCALE;
                }
                if big.is_some_and(|b| section >= (b / u) * SCALE) {
                    return Err(unreadable());
                }
                total = section.checked_mul(u).and_then(|v| v.checked_add(total)).ok_or(AmountError::TooLarge)?;
                section = 0;
                small = None;
                big = Some(u);
            }
        }
    }
    if !saw_number || !below_small(small, current) {
        return Err(unreadable());
    }
    let rest = section.checked_add(current.unwrap_or(0)).ok_or(AmountError::TooLarge)?;
    if big.is_some_and(|b| rest >= b * SCALE) {
        return Err(unreadable());
    }
    total = total.checked_add(rest).ok_or(AmountError::TooLarge)?;
    let minor_scale = 10u128.pow(currency.minor_digits());
    let scaled = total.checked_mul(minor_scale).ok_or(AmountError::TooLarge)?;
    if scaled % SCALE != 0 {
        return Err(AmountError::TooManyDecimals { currency });
    }
    u64::try_from(scaled / SCALE).map_err(|_| AmountError::TooLarge)
}

/// Shows an amount in minor units with thousands separators, its decimals and the
/// currency code: `1,500.50 CNY`, `2,000,000 KRW`.
pub fn format_amount(minor: u64, currency: Currency) -> String {
    format!("{} {}", format_number(i128::from(minor), currency), currency.code())
}

/// Like [`format_amount`] without the code, and for signed values (balances): `-1,500.50`.
pub fn format_number(minor: i128, currency: Currency) -> String {
    let digits = currency.minor_digits();
    let scale = 10i128.pow(digits);
    let magnitude = minor.unsigned_abs();
    let whole = magnitude / scale.unsigned_abs();
    let frac = magnitude % scale.unsigned_abs();
    let mut grouped = String::new();
    let whole_text = whole.to_string();
    for (i, c) in whole_text.chars().enumerate() {
        if i > 0 && (whole_text.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if minor < 0 { "-" } else { "" };
    if digits == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:0width$}", width = digits as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cny(s: &str) -> Result<u64, AmountError> {
        parse_amount(s, Currency::Cny)
    }
    fn krw(s: &str) -> Result<u64, AmountError> {
        parse_amount(s, Currency::Krw)
    }

    #[test]
    fn plain_and_grouped() {
        assert_eq!(cny("1500"), Ok(150_000));
        assert_eq!(cny("1,500"), Ok(150_000));
        assert_eq!(cny("1 500"), Ok(150_000));
        assert_eq!(cny("1500.50"), Ok(150_050));
        assert_eq!(cny("1,500.5"), Ok(150_050));
        assert_eq!(cny("0.01"), Ok(1));
        assert_eq!(krw("2,000,000"), Ok(2_000_000));
        assert_eq!(krw("  2 000 000  "), Ok(2_000_000));
        assert_eq!(cny("0"), Ok(0));
    }

    #[test]
    fn full_width_forms() {
        assert_eq!(cny("１，５００．５０"), Ok(150_050));
        assert_eq!(krw("２０００００"), Ok(200_000));
        assert_eq!(krw("１　５００"), Ok(1500)); // ideographic space as separator
        assert_eq!(cny("￥１５００"), Ok(150_000));
    }

    #[test]
    fn east_asian_units() {
        assert_eq!(krw("150만"), Ok(1_500_000));
        assert_eq!(krw("150만원"), Ok(1_500_000));
        assert_eq!(krw("150만 원"), Ok(1_500_000));
        assert_eq!(krw("2천5백만"), Ok(25_000_000));
        assert_eq!(krw("1억 2천만"), Ok(120_000_000));
        assert_eq!(krw("3만 5000"), Ok(35_000));
        assert_eq!(krw("만"), Err(AmountError::Unreadable("만".into())));
        assert_eq!(cny("1万5000"), Ok(1_500_000)); // 15,000 yuan
        assert_eq!(cny("1.5万"), Ok(1_500_000));
        assert_eq!(cny("1万5000元"), Ok(1_500_000));
        assert_eq!(cny("2千"), Ok(200_000));
        assert_eq!(krw("만5000"), Ok(15_000));
        assert_eq!(krw("2천5"), Ok(2_005));
        assert_eq!(krw("1억 2천5백만 3천"), Ok(125_003_000));
        assert_eq!(krw("0만"), Ok(0));
        assert_eq!(cny("1亿2000万"), Ok(12_000_000_000));
    }

    #[test]
    fn units_at_most_once_and_descending() {
        // Issue 16: each of these was read as some other amount.
        for text in ["1만만", "1万万", "2만3만", "1천2천", "1만2억", "1억만", "1만억", "1億萬", "1만 2억"]
        {
            assert_eq!(krw(text), Err(AmountError::Unreadable(text.into())), "{text}");
        }
        // A part as large as the unit before it overlaps it.
        for text in ["3만 15000", "2천 1500", "1억 20000만", "5백 3천", "1천 12백", "1십 5백"] {
            assert_eq!(krw(text), Err(AmountError::Unreadable(text.into())), "{text}");
        }
        assert_eq!(cny("1万万"), Err(AmountError::Unreadable("1万万".into())));
        // The well-formed neighbours still read.
        assert_eq!(krw("1억 9999만 9999"), Ok(199_999_999));
        assert_eq!(krw("9천9백9십9만"), Ok(99_990_000));
    }

    #[test]
    fn currency_marks() {
        assert_eq!(krw("₩1,500"), Ok(1500));
        assert_eq!(krw("1500 KRW"), Ok(1500));
        assert_eq!(krw("1500krw"), Ok(1500));
        assert_eq!(parse_amount("$20.25", Currency::Usd), Ok(2025));
        assert_eq!(parse_amount("20 달러", Currency::Usd), Ok(2000));
        assert_eq!(krw("1500元"), Err(AmountError::OtherCurrency { found: Currency::Cny, expected: Currency::Krw }));
    }

    #[test]
    fn refusals() {
        assert_eq!(cny(""), Err(AmountError::Empty));
        assert_eq!(cny("   "), Err(AmountError::Empty));
        assert_eq!(cny("-5"), Err(AmountError::Negative));
        assert_eq!(cny("1,50"), Err(AmountError::BadGrouping("1,50".into())));
        assert_eq!(cny("1500,5"), Err(AmountError::BadGrouping("1500,5".into())));
        assert_eq!(cny("1.234"), Err(AmountError::TooManyDecimals { currency: Currency::Cny }));
        assert_eq!(krw("1500.5"), Err(AmountError::TooManyDecimals { currency: Currency::Krw }));
        assert!(matches!(cny("12abc"), Err(AmountError::Unreadable(_))));
        assert!(matches!(cny("1.2.3"), Err(AmountError::Unreadable(_))));
        assert_eq!(krw("99999999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(krw("18446744073709551616"), Err(AmountError::TooLarge));
        assert_eq!(krw("18446744073709551615"), Ok(u64::MAX));
        assert!(matches!(cny("1 5"), Err(AmountError::BadGrouping(_))));
    }

    #[test]
    fn currencies() {
        assert_eq!(parse_currency("cny"), Ok(Currency::Cny));
        assert_eq!(parse_currency(" KRW "), Ok(Currency::Krw));
        assert_eq!(parse_currency("ＵＳＤ"), Ok(Currency::Usd));
        assert_eq!(parse_currency("원"), Ok(Currency::Krw));
        assert_eq!(parse_currency("元"), Ok(Currency::Cny));
        assert_eq!(parse_currency("EUR"), Err(AmountError::UnknownCurrency("EUR".into())));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount(150_050, Currency::Cny), "1,500.50 CNY");
        assert_eq!(format_amount(2_000_000, Currency::Krw), "2,000,000 KRW");
        assert_eq!(format_amount(5, Currency::Usd), "0.05 USD");
        assert_eq!(format_amount(0, Currency::Krw), "0 KRW");
        assert_eq!(format_number(-150_050, Currency::Cny), "-1,500.50");
        assert_eq!(format_number(-999, Currency::Krw), "-999");
        assert_eq!(format_number(1000, Currency::Krw), "1,000");
    }

    proptest! {
        #[test]
        fn formatted_amounts_read_back(minor in any::<u64>(), which in 0..3u8) {
            let currency = [Currency::Cny, Currency::Krw, Currency::Usd][which as usize];
            let shown = format_amount(minor, currency);
            prop_assert_eq!(parse_amount(&shown, currency), Ok(minor));
            let bare = format_number(i128::from(minor), currency).replace(',', "");
            prop_assert_eq!(parse_amount(&bare, currency), Ok(minor));
        }

        #[test]
        fn never_panics(text in "\\PC{0,30}") {
            let _ = parse_amount(&text, Currency::Krw);
            let _ = parse_currency(&text);
        }
    }
}
