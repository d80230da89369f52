//! Messages too large for one QR code or one chat message, split into numbered parts that
//! are read back in any order.
//!
//! A part is plain armored text like a whole message: its number and the number of parts
//! are nowhere in the clear. They are bound into the keyed check instead: part `i` of `n`
//! is checked under [`CheckKey::for_part`]`(i, n)`, so the reader, trying the few possible
//! numbers under the keys it holds, learns each part's place, and nobody without the key
//! learns anything. A whole message is never a part, and a part never a whole message.

use core::fmt;

use crate::armor::{self, ArmorError, CheckKey, Checked, DEFAULT_GROUPS_PER_LINE};

/// Most parts one message is split into.
pub const MAX_PARTS: usize = 16;

/// The largest compact text one QR code holds (version 40, level M, alphanumeric mode).
pub const QR_MAX_CHARS: usize = 3391;

/// Why a message cannot be split or its parts joined.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartsError {
    /// A part could not be read (mistyped, or not from a paired sender).
    Armor {
        /// Which text (1-based, in the order given).
        text: usize,
        /// What went wrong.
        error: ArmorError,
    },
    /// Even split into [`MAX_PARTS`] parts, each part would be longer than the limit.
    TooLarge {
        /// The limit per part, in characters.
        max_chars: usize,
    },
    /// The limit per part is too small to carry anything.
    LimitTooSmall,
    /// Parts are missing.
    Missing {
        /// Parts the message has.
        of: usize,
        /// 1-based numbers of the missing parts.
        missing: Vec<usize>,
    },
    /// The texts are parts of messages of different lengths or pairings, or one part
    /// comes twice with different contents.
    Mixed,
}

impl fmt::Display for PartsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartsError::Armor { text, error } => write!(f, "text {text}: {error}"),
            PartsError::TooLarge { max_chars } => {
                write!(f, "the message needs more than {MAX_PARTS} parts of {max_chars} characters; allow longer parts")
            }
            PartsError::LimitTooSmall => write!(f, "parts of so few characters cannot carry a message"),
            PartsError::Missing { of, missing } => {
                let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
                write!(f, "this message has {of} parts; part {} is missing", list.join(", "))
            }
            PartsError::Mixed => write!(f, "these texts are not the parts of one message"),
        }
    }
}

impl std::error::Error for PartsError {}

/// Splits `payload` (a sealed message) into as few parts as keep each part's compact text
/// within `max_chars` characters, each armored in lines under `key` (part `i` of `n` under
/// `key.for_part(i, n)`). One part is the whole message, armored as usual.
pub fn split(payload: &[u8], key: &CheckKey, max_chars: usize) -> Result<Vec<String>, PartsError> {
    if armor::armored_compact_len(payload.len()) <= max_chars {
        return Ok(vec![armor::armor_lines_keyed(payload, key, DEFAULT_GROUPS_PER_LINE)]);
    }
    // Bytes of payload one part carries: its compact text is ceil((b + 4) * 8 / 5) symbols.
    let per_part = (max_chars * 5 / 8).checked_sub(4).filter(|&b| b > 0).ok_or(PartsError::LimitTooSmall)?;
    let n = payload.len().div_ceil(per_part);
    if n > MAX_PARTS {
        return Err(PartsError::TooLarge { max_chars });
    }
    // Sizes as equal as whole chunks allow.
    let size = payload.len().div_ceil(n);
    let n = payload.len().div_ceil(size);
    Ok(payload
        .chunks(size)
        .enumerate()
        .map(|(i, chunk)| armor::armor_lines_keyed(chunk, &key.for_part(i, n), DEFAULT_GROUPS_PER_LINE))
        .collect())
}

/// Reads one message from `texts`: a whole message, or all its parts in any order (a part
/// given twice is read once). Returns the payload and the index in `keys` of the pairing
/// whose key checked it, or `None` for one whole text under the public CRC (version 1).
pub fn join(texts: &[&str], keys: &[CheckKey]) -> Result<(Vec<u8>, Option<usize>), PartsError> {
    if let [one] = texts
        && let Ok((payload, checked)) = armor::dearmor_keyed(one, keys)
    {
        return Ok((
            payload,
            match checked {
                Checked::Key(k) => Some(k),
                Checked::Crc => None,
            },
        ));
    }
    // Every (pairing, i, n) a part may be checked under.
    let mut candidates = Vec::new();
    let mut places = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        for n in 2..=MAX_PARTS {
            for i in 0..n {
                candidates.push(key.for_part(i, n));
                places.push((k, i, n));
            }
        }
    }
    let mut found: Vec<Option<Vec<u8>>> = Vec::new();
    let mut shape: Option<(usize, usize)> = None;
    for (at, text) in texts.iter().enumerate() {
        let (chunk, checked) =
            armor::dearmor_keyed(text, &candidates).map_err(|error| PartsError::Armor { text: at + 1, error })?;
        let Checked::Key(c) = checked else {
            return Err(PartsError::Mixed);
        };
        let (k, i, n) = places[c];
        match shape {
            None => {
                shape = Some((k, n));
                found = vec![None; n];
            }
            Some(s) if s != (k, n) => return Err(PartsError::Mixed),
            Some(_) => {}
        }
        match &found[i] {
            Some(existing) if *existing != chunk => return Err(PartsError::Mixed),
            _ => found[i] = Some(chunk),
        }
    }
    let (k, n) = shape.ok_or(PartsError::Armor { text: 1, error: ArmorError::Empty })?;
    let missing: Vec<usize> = (0..n).filter(|&i| found[i].is_none()).map(|i| i + 1).collect();
    if !missing.is_empty() {
        return Err(PartsError::Missing { of: n, missing });
    }
    Ok((found.into_iter().flatten().flatten().collect(), Some(k)))
}

/// Cuts pasted text into the texts it holds: blocks separated by one or more blank lines.
pub fn texts_of(input: &str) -> Vec<&str> {
    input
        .split("\n\n")
        .flat_map(|block| block.split("\r\n\r\n"))
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> CheckKey {
        CheckKey::from_channel_key(&[b; 32])
    }

    #[test]
    fn parts_join_in_any_order_and_stay_unmarked() {
        let payload: Vec<u8> = (0..2000u32).map(|i| (i * 7 + 3) as u8).collect();
        let parts = split(&payload, &key(1), 1000).unwrap();
        assert_eq!(parts.len(), 4);
        for part in &parts {
            assert!(part.replace([' ', '\n'], "").len() <= 1000);
            // No public CRC, and not a whole message under the key either.
            assert!(armor::dearmor(part).is_err());
            assert!(armor::dearmor_keyed(part, &[key(1)]).is_err());
        }
        let mut shuffled: Vec<&str> = parts.iter().map(String::as_str).collect();
        shuffled.reverse();
        shuffled.swap(0, 2);
        shuffled.push(parts[1].as_str()); // a part twice
        assert_eq!(join(&shuffled, &[key(9), key(1)]).unwrap(), (payload.clone(), Some(1)));
        // Pasted as one input, separated by blank lines.
        let pasted = parts.join("\n\n");
        assert_eq!(join(&texts_of(&pasted), &[key(1)]).unwrap().0, payload);
        // A missing part is named.
        let three: Vec<&str> = parts[..3].iter().map(String::as_str).collect();
        assert_eq!(join(&three, &[key(1)]), Err(PartsError::Missing { of: 4, missing: vec![4] }));
        // Under another pairing's key the parts do not read.
        assert!(matches!(join(&three, &[key(2)]), Err(PartsError::Armor { text: 1, .. })));
        // A small message stays one whole text.
        let one = split(&payload[..100], &key(1), 1000).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(join(&[one[0].as_str()], &[key(1)]).unwrap(), (payload[..100].to_vec(), Some(0)));
        // Limits.
        assert_eq!(split(&payload, &key(1), 100), Err(PartsError::TooLarge { max_chars: 100 }));
        assert_eq!(split(&payload, &key(1), 6), Err(PartsError::LimitTooSmall));
    }
}
