//! The order form: what the hub types (or a script writes) to make an order, as
//! `key: value` lines. It is read from standard input, never from the command line, so
//! the recipient's alias and the expected answer never land in shell history.
//!
//! ```text
//! alias: 큰 언니
//! place: 혜산 시장 근처
//! amount: 2,000,000
//! currency: KRW
//! fee: 200,000
//! deadline: 2026-12-01
//! question: 어릴 때 키우던 강아지 이름은?
//! answer: 바둑이
//! ```
//!
//! Keys are case-insensitive and may be written in English, Korean or Chinese:
//!
//! | key | 한국어 | 中文 |
//! |-----|--------|------|
//! | `alias` | `별칭` | `别名`, `化名` |
//! | `place` | `장소` | `地点` |
//! | `amount` | `금액` | `金额` |
//! | `currency` | `통화` | `货币`, `币种` |
//! | `fee` | `수수료` | `手续费` |
//! | `deadline` | `기한` | `期限`, `截止日期` |
//! | `question` | `질문` | `问题` |
//! | `answer` | `답`, `대답` | `答案`, `回答` |
//!
//! `:` or the full-width `：` separates key and value; empty lines and lines starting
//! with `#` are skipped. `alias`, `amount`, `currency`, `question` and `answer` are
//! required; `place` defaults to empty, `fee` to 0 and `deadline` to 14 days from now.
//! The fee is an amount (`200,000`, `20만`) or a percentage of the amount (`10%`,
//! `2.5%`, full-width `％` too), rounded to the nearest minor unit (halves up).

use core::fmt;

use lethe_protocol::message::{MAX_ALIAS_LEN, MAX_ANSWER_LEN, MAX_PLACE_HINT_LEN, MAX_QUESTION_LEN};
use lethe_protocol::{Currency, normalize_answer};
use zeroize::Zeroizing;

use crate::amount::{parse_amount, parse_currency};
use crate::time::parse_deadline;

/// Why an order form was refused. Line numbers start at 1.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormError {
    /// A line without a `:`.
    NoSeparator {
        /// Line number.
        line: usize,
    },
    /// A key the form does not have.
    UnknownKey {
        /// Line number.
        line: usize,
        /// The key as written.
        key: String,
    },
    /// The same key twice.
    Repeated {
        /// Line number of the second one.
        line: usize,
        /// The key.
        key: &'static str,
    },
    /// A required key is missing or empty.
    Missing(&'static str),
    /// A value cannot be used; `problem` says why. (Values are not quoted back: one of
    /// them may be the answer.)
    BadValue {
        /// The key.
        key: &'static str,
        /// Why.
        problem: String,
    },
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::NoSeparator { line } => {
                write!(f, "order form line {line}: write it as 'key: value'")
            }
            FormError::UnknownKey { line, key } => write!(
                f,
                "order form line {line}: unknown key '{key}' (keys: alias, place, amount, currency, fee, deadline, question, answer; or 별칭, 장소, 금액, 통화, 수수료, 기한, 질문, 답; or 别名, 地点, 金额, 货币, 手续费, 期限, 问题, 答案)"
            ),
            FormError::Repeated { line, key } => {
                write!(f, "order form line {line}: '{key}' is given twice")
            }
            FormError::Missing(key) => write!(f, "the order form needs '{key}'"),
            FormError::BadValue { key, problem } => write!(f, "order form, {key}: {problem}"),
        }
    }
}

impl std::error::Error for FormError {}

/// A filled-in order form, checked.
#[derive(Clone, Debug)]
pub struct OrderForm {
    /// Recipient alias (never a real name), at most 64 bytes.
    pub alias: String,
    /// Where to find the recipient, as vague as works; at most 128 bytes.
    pub place_hint: String,
    /// Amount to hand over, in minor units (more than zero).
    pub amount_minor: u64,
    /// Currency of the amount and the fee.
    pub currency: Currency,
    /// The broker's fee, in minor units.
    pub fee_minor: u64,
    /// Deadline, minutes since the epoch; `None` means 14 days from when the order is made.
    pub deadline_minutes: Option<u32>,
    /// The challenge question, at most 256 bytes.
    pub question: String,
    /// The expected answer as typed; only its normalised form's hash is kept.
    pub answer: Zeroizing<String>,
}

const KEYS: [&str; 8] = ["alias", "place", "amount", "currency", "fee", "deadline", "question", "answer"];

/// The index in [`KEYS`] of a key as written (lower-cased, without `_` and spaces).
pub(crate) fn key_index(normalized: &str) -> Option<usize> {
    Some(match normalized {
        "placehint" | "장소" | "地点" => 1,
        "별칭" | "别名" | "化名" => 0,
        "금액" | "金额" => 2,
        "통화" | "货币" | "币种" => 3,
        "수수료" | "手续费" => 4,
        "기한" | "期限" | "截止日期" => 5,
        "질문" | "问题" => 6,
        "답" | "대답" | "答案" | "回答" => 7,
        other => return KEYS.iter().position(|k| *k == other),
    })
}

/// Most hundredths of a percent a fee may be: 100 %.
const MAX_FEE_BASIS_POINTS: u128 = 10_000;

/// A fee written as a percentage of `amount_minor` ("10%", "2.5 %", "７％"), in minor
/// units rounded half up; `None` if `text` is not a percentage.
pub(crate) fn percentage_fee(text: &str, amount_minor: u64) -> Option<Result<u64, String>> {
    let number = text.trim().strip_suffix(['%', '％'])?.trim();
    let number: String = number
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    let (whole, fraction) = number.split_once('.').unwrap_or((&number, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 || whole.len() > 3 {
        return Some(Err("write a percentage as 10% or 2.5% (at most two decimals)".into()));
    }
    let whole: u128 = whole.parse().ok()?;
    let fraction: u128 = format!("{fraction:0<2}").parse().ok()?;
    let basis_points = whole * 100 + fraction;
    if basis_points > MAX_FEE_BASIS_POINTS {
        return Some(Err("a percentage above 100% is more than the amount".into()));
    }
    let minor = (u128::from(amount_minor) * basis_points + MAX_FEE_BASIS_POINTS / 2) / MAX_FEE_BASIS_POINTS;
    Some(u64::try_from(minor).map_err(|_| "is too large".to_owned()))
}

fn check_text(key: &'static str, value: &str, max: usize) -> Result<(), FormError> {
    if value.len() > max {
        return Err(FormError::BadValue { key, problem: format!("too long ({} bytes, at most {max})", value.len()) });
    }
    if value.chars().any(char::is_control) {
        return Err(FormError::BadValue { key, problem: "contains a control character".into() });
    }
    Ok(())
}

impl OrderForm {
    /// Reads and checks a form (see the module documentation).
    pub fn parse(text: &str) -> Result<OrderForm, FormError> {
        let mut values: [Option<Zeroizing<String>>; 8] = Default::default();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let Some(at) = trimmed.find([':', '：']) else {
                return Err(FormError::NoSeparator { line });
            };
            let key_text = trimmed[..at].trim();
            let sep_len = trimmed[at..].chars().next().map_or(1, char::len_utf8);
            let value = trimmed[at + sep_len..].trim();
            let normalized_key = key_text.to_lowercase().replace(['_', ' '], "");
            let key_index = key_index(&normalized_key);
            let Some(key_index) = key_index else {
                return Err(FormError::UnknownKey { line, key: key_text.chars().take(40).collect() });
            };
            if values[key_index].is_some() {
                return Err(FormError::Repeated { line, key: KEYS[key_index] });
            }
            values[key_index] = Some(Zeroizing::new(value.to_owned()));
        }
        let get = |i: usize| values[i].as_ref().map(|v| v.as_str()).filter(|v| !v.is_empty());
        let required = |i: usize| get(i).ok_or(FormError::Missing(KEYS[i]));

        let alias = required(0)?.to_owned();
        check_text("alias", &alias, MAX_ALIAS_LEN)?;
        let place_hint = get(1).unwrap_or("").to_owned();
        check_text("place", &place_hint, MAX_PLACE_HINT_LEN)?;
        let currency = parse_currency(required(3)?)
            .map_err(|e| FormError::BadValue { key: "currency", problem: e.to_string() })?;
        let amount_minor = parse_amount(required(2)?, currency)
            .map_err(|e| FormError::BadValue { key: "amount", problem: e.to_string() })?;
        if amount_minor == 0 {
            return Err(FormError::BadValue { key: "amount", problem: "must be more than zero".into() });
        }
        let fee_minor = match get(4) {
            None => 0,
            Some(fee) => match percentage_fee(fee, amount_minor) {
                Some(fee) => fee.map_err(|problem| FormError::BadValue { key: "fee", problem })?,
                None => parse_amount(fee, currency)
                    .map_err(|e| FormError::BadValue { key: "fee", problem: e.to_string() })?,
            },
        };
        if fee_minor > amount_minor {
            return Err(FormError::BadValue { key: "fee", problem: "is larger than the amount".into() });
        }
        let deadline_minutes = match get(5) {
            None => None,
            Some(d) => {
                Some(parse_deadline(d).map_err(|e| FormError::BadValue { key: "deadline", problem: e.to_string() })?)
            }
        };
        let question = required(6)?.to_owned();
        check_text("question", &question, MAX_QUESTION_LEN)?;
        let answer = Zeroizing::new(required(7)?.to_owned());
        let normalized = Zeroizing::new(normalize_answer(&answer));
        if normalized.is_empty() {
            return Err(FormError::BadValue {
                key: "answer",
                problem: "has no letters or digits (spaces and punctuation do not count)".into(),
            });
        }
        if normalized.len() > MAX_ANSWER_LEN {
            return Err(FormError::BadValue {
                key: "answer",
                problem: format!("is too long (at most {MAX_ANSWER_LEN} bytes)"),
            });
        }
        Ok(OrderForm { alias, place_hint, amount_minor, currency, fee_minor, deadline_minutes, question, answer })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_and_chinese_keys_and_percentage_fees() {
        let ko = OrderForm::parse(
            "별칭: 큰 언니\n장소: 혜산\n금액: 200만\n통화: KRW\n수수료: 10%\n기한: 2099-12-01\n질문: 강아지?\n답: 바둑이\n",
        )
        .unwrap();
        assert_eq!(
            (ko.alias.as_str(), ko.place_hint.as_str(), ko.amount_minor, ko.fee_minor),
            ("큰 언니", "혜산", 2_000_000, 200_000)
        );
        let zh =
            OrderForm::parse("别名：小白\n地点：市场\n金额：1万\n货币：CNY\n手续费：2.5％\n问题：小名?\n答案：ABC\n")
                .unwrap();
        assert_eq!((zh.amount_minor, zh.fee_minor, zh.currency), (1_000_000, 25_000, Currency::Cny));
        // Rounded to the nearest minor unit: 7% of 3 won is 0.21 won.
        let fee = |amount: &str, fee: &str| {
            OrderForm::parse(&format!("alias: a\namount: {amount}\ncurrency: KRW\nfee: {fee}\nquestion: q\nanswer: x"))
                .map(|f| f.fee_minor)
        };
        assert_eq!(fee("3", "7%"), Ok(0));
        assert_eq!(fee("150", "33.33%"), Ok(50));
        assert_eq!(fee("15", "10%"), Ok(2), "1.5 rounds half up");
        assert_eq!(fee("1,000", "100%"), Ok(1000));
        assert_eq!(fee("1,000", "0%"), Ok(0));
        for bad in ["100.01%", "150%", "%", "1.234%", "-5%", "1e2%", "1,000%"] {
            assert!(matches!(fee("1,000", bad), Err(FormError::BadValue { key: "fee", .. })), "{bad}");
        }
        // A key in no language is still refused, and the message lists the keys.
        let err = OrderForm::parse("이름: x\n").unwrap_err();
        assert!(err.to_string().contains("별칭") && err.to_string().contains("别名"), "{err}");
    }

    const FORM: &str = "alias: 큰 언니\nplace: 혜산 시장 근처\namount: 2,000,000\ncurrency: krw\nfee: 200000\n\
                        deadline: 2026-12-01\nquestion: 강아지 이름은?\nanswer: 바둑이\n";

    #[test]
    fn full_form() {
        let form = OrderForm::parse(FORM).unwrap();
        assert_eq!(form.alias, "큰 언니");
        assert_eq!(form.place_hint, "혜산 시장 근처");
        assert_eq!(form.amount_minor, 2_000_000);
        assert_eq!(form.currency, Currency::Krw);
        assert_eq!(form.fee_minor, 200_000);
        assert_eq!(form.deadline_minutes, Some(parse_deadline("2026-12-01").unwrap()));
        assert_eq!(form.question, "강아지 이름은?");
        assert_eq!(form.answer.as_str(), "바둑이");
    }

    #[test]
    fn minimal_form_with_cjk_separator_and_comments() {
        let form = OrderForm::parse(
            "# new order\n\nALIAS：小白\nAmount: 1万5000\nCurrency: 元\nQuestion: 狗叫什么?\nanswer: 旺财: 是的\n",
        )
        .unwrap();
        assert_eq!(form.alias, "小白");
        assert_eq!(form.amount_minor, 1_500_000);
        assert_eq!(form.currency, Currency::Cny);
        assert_eq!(form.place_hint, "");
        assert_eq!(form.fee_minor, 0);
        assert_eq!(form.deadline_minutes, None);
        assert_eq!(form.answer.as_str(), "旺财: 是的");
    }

    #[test]
    fn refusals_do_not_echo_the_answer() {
        let cases: [(&str, FormError); 6] = [
            ("alias x", FormError::NoSeparator { line: 1 }),
            ("name: x", FormError::UnknownKey { line: 1, key: "name".into() }),
            ("alias: a\nalias: b", FormError::Repeated { line: 2, key: "alias" }),
            ("alias: a\namount: 5\ncurrency: KRW\nquestion: q", FormError::Missing("answer")),
            (
                "alias: a\namount: 5\ncurrency: KRW\nquestion: q\nanswer: ?!",
                FormError::BadValue {
                    key: "answer",
                    problem: "has no letters or digits (spaces and punctuation do not count)".into(),
                },
            ),
            (
                "alias: a\namount: 0\ncurrency: KRW\nquestion: q\nanswer: secretdog",
                FormError::BadValue { key: "amount", problem: "must be more than zero".into() },
            ),
        ];
        for (text, expected) in cases {
            let err = OrderForm::parse(text).unwrap_err();
            assert_eq!(err, expected, "{text}");
            assert!(!err.to_string().contains("secretdog"));
        }
        let long = format!("alias: {}\n", "가".repeat(30));
        assert!(matches!(OrderForm::parse(&long), Err(FormError::BadValue { key: "alias", .. })));
        assert!(matches!(
            OrderForm::parse("alias: a\namount: 1,50\ncurrency: CNY\nquestion: q\nanswer: x"),
            Err(FormError::BadValue { key: "amount", .. })
        ));
        assert_eq!(
            OrderForm::parse("alias: a\namount: 5만\nfee: 6만\ncurrency: KRW\nquestion: q\nanswer: x").unwrap_err(),
            FormError::BadValue { key: "fee", problem: "is larger than the amount".into() }
        );
        assert_eq!(
            OrderForm::parse("alias: a\namount: 5만\nfee: 5만\ncurrency: KRW\nquestion: q\nanswer: x")
                .unwrap()
                .fee_minor,
            50_000
        );
        for amount in ["1만만", "1万万", "2만3만", "1천2천", "1만2억", "1억만", "1만억"] {
            assert!(
                matches!(
                    OrderForm::parse(&format!("alias: a\namount: {amount}\ncurrency: KRW\nquestion: q\nanswer: x")),
                    Err(FormError::BadValue { key: "amount", .. })
                ),
                "{amount}"
            );
        }
        assert!(matches!(
            OrderForm::parse("alias: a\namount: 1\ncurrency: EUR\nquestion: q\nanswer: x"),
            Err(FormError::BadValue { key: "currency", .. })
        ));
        assert!(matches!(
            OrderForm::parse("alias: a\namount: 1\ncurrency: CNY\nquestion: q\nanswer: x\ndeadline: soon"),
            Err(FormError::BadValue { key: "deadline", .. })
        ));
    }
}
