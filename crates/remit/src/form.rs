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
//! Keys are case-insensitive; `:` or the full-width `：` separates key and value; empty
//! lines and lines starting with `#` are skipped. `alias`, `amount`, `currency`,
//! `question` and `answer` are required; `place` defaults to empty, `fee` to 0 and
//! `deadline` to 14 days from now.

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
                "order form line {line}: unknown key '{key}' (keys: alias, place, amount, currency, fee, deadline, question, answer)"
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
            let key_index = match normalized_key.as_str() {
                "placehint" => Some(1),
                other => KEYS.iter().position(|k| *k == other),
            };
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
            Some(fee) => {
                parse_amount(fee, currency).map_err(|e| FormError::BadValue { key: "fee", problem: e.to_string() })?
            }
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
