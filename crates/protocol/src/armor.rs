//! Text armor: binary data as plain text that survives any chat app, a phone keyboard
//! and being read aloud.
//!
//! The text is the binary payload followed by its CRC-32 (little-endian), written in
//! Crockford-style base32 — digits and upper-case letters without `I`, `L`, `O`, `U` —
//! in groups of [`GROUP_LEN`] characters. There is no prefix, no product name and no
//! recognisable marker.
//!
//! Reading is forgiving about presentation and strict about content:
//! - lower case is accepted, and so are full-width forms typed by CJK input methods;
//! - `O` reads as `0`, `I` and `L` read as `1` (the usual misreadings);
//! - spaces, line breaks, dashes and zero-width characters that chat apps insert are
//!   skipped wherever they are;
//! - anything else is a [`ArmorError::BadCharacter`] with its line and column.
//!
//! The CRC-32 guarantees detection of every change confined to a run of 32 consecutive
//! bits of the frame. One base32 character carries 5 bits and two adjacent characters 10,
//! which after CRC-32's bit reflection span at most 3 bytes; so **every single-character
//! substitution and every transposition of two adjacent characters is detected**, not
//! just most of them. Unused padding bits of the last character must be zero, so a
//! change there is caught too. Lost or added characters are caught by the length rule
//! or, failing that, by the CRC with probability 1 − 2⁻³².
//!
//! **Messages** use a keyed check instead ([`armor_keyed`], [`dearmor_keyed`]): the four
//! check bytes and the padding bits come from HMAC-SHA-256 under a [`CheckKey`] that only
//! the two paired sides hold. Without the key, a message's text cannot be told from
//! random base32 of the same length (a public CRC would confirm it as lethe's with 2⁻³²
//! false positives). With the key, every typing error is still caught, with probability
//! 1 − 2⁻³² instead of with certainty. Public keys and pairing texts keep the CRC.

use core::fmt;

use zeroize::Zeroizing;

use crate::crc32::crc32;
use crate::pairing::channel_subkey;
use crate::primitives;

/// The 32 symbols, in value order.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters per group in the text form.
pub const GROUP_LEN: usize = 5;

/// Default number of groups per line in [`armor_lines`]'s output.
pub const DEFAULT_GROUPS_PER_LINE: usize = 6;

/// Longest text [`dearmor`] will look at, in bytes of UTF-8. Longer input is refused
/// before any decoding, so a huge paste costs no memory.
pub const MAX_ARMOR_TEXT_LEN: usize = 1024 * 1024;

/// Largest payload that [`armor`] and [`armor_lines`] produce text for that [`dearmor`]
/// accepts (the text stays under [`MAX_ARMOR_TEXT_LEN`]).
pub const MAX_ARMOR_PAYLOAD_LEN: usize = 512 * 1024;

/// Bytes of CRC appended to the payload.
const CHECK_LEN: usize = 4;

/// Why armored text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArmorError {
    /// The text holds no armor characters at all.
    Empty,
    /// A character that is neither a base32 symbol nor a separator. `line` and `column`
    /// are 1-based and count characters, as a text editor shows them.
    BadCharacter {
        /// The offending character.
        character: char,
        /// Line of the character, from 1.
        line: usize,
        /// Column of the character within its line, from 1.
        column: usize,
    },
    /// Characters are missing (or one too many): the text was cut off or damaged while
    /// copying, and its length cannot be that of any armored text.
    Truncated,
    /// The checksum does not match: a character was mistyped, lost or swapped.
    ChecksumMismatch,
    /// The text is longer than [`MAX_ARMOR_TEXT_LEN`] bytes and was not read.
    TooLong {
        /// Length of the refused text in bytes.
        len: usize,
        /// The limit, [`MAX_ARMOR_TEXT_LEN`].
        limit: usize,
    },
}

impl fmt::Display for ArmorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArmorError::Empty => write!(f, "no message text found"),
            ArmorError::BadCharacter { character, line, column } => write!(
                f,
                "unexpected character {character:?} at line {line}, column {column}: \
                 only digits and the letters A-Z (without U) belong in the text"
            ),
            ArmorError::Truncated => write!(f, "the text is incomplete: characters were lost (or added) while copying"),
            ArmorError::ChecksumMismatch => {
                write!(
                    f,
                    "checksum mismatch: a character was mistyped or lost (or the message is for another phone or from someone this vault is not paired with)"
                )
            }
            ArmorError::TooLong { len, limit } => {
                write!(f, "the text is too long ({len} bytes, at most {limit} are accepted); it was not read")
            }
        }
    }
}

impl std::error::Error for ArmorError {}

/// Number of base32 characters (without separators) for `payload_len` bytes.
fn symbol_count(payload_len: usize) -> usize {
    ((payload_len + CHECK_LEN) * 8).div_ceil(5)
}

/// Length in characters (= bytes, the text is ASCII) of [`armor`]'s output for a payload
/// of `payload_len` bytes: the symbols plus one space between groups. [`armor_lines`]
/// output has the same length (a line break replaces a space).
pub fn armored_len(payload_len: usize) -> usize {
    let symbols = symbol_count(payload_len);
    symbols + symbols.saturating_sub(1) / GROUP_LEN
}

/// The key of the keyed check of armored messages: a sub-key of the pairing's channel key.
#[derive(Clone)]
pub struct CheckKey(Zeroizing<[u8; 32]>);

impl CheckKey {
    /// The label of the sub-key, in [`channel_subkey`].
    pub const LABEL: &'static str = "lethe/armor-check/v2";

    /// The check key of a pairing's channel key.
    pub fn from_channel_key(channel_key: &[u8; 32]) -> Self {
        CheckKey(channel_subkey(channel_key, Self::LABEL))
    }

    /// The check key of part `index` (from 0) of a message split into `count` parts
    /// (see [`crate::parts`]): `HKDF(salt = key, ikm = u8(index) || u8(count),
    /// info = "lethe/armor-check/v2/part", 32)`.
    pub fn for_part(&self, index: usize, count: usize) -> CheckKey {
        let place = [index as u8, count as u8];
        CheckKey(primitives::hkdf_sha256::<32>(self.0.as_ref(), &place, b"lethe/armor-check/v2/part"))
    }

    /// `HMAC-SHA-256(key, payload)`, first 5 bytes (as HKDF-Extract with the key as salt,
    /// then one block of expansion): 4 check bytes, and the padding bits from the fifth.
    fn tag(&self, payload: &[u8]) -> [u8; 5] {
        *primitives::hkdf_sha256::<5>(self.0.as_ref(), payload, Self::LABEL.as_bytes())
    }
}

impl fmt::Debug for CheckKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CheckKey(..)")
    }
}

impl PartialEq for CheckKey {
    fn eq(&self, other: &Self) -> bool {
        *self.0 == *other.0
    }
}

impl Eq for CheckKey {}

/// Length in characters of [`armor_compact`]'s (or [`armor_compact_keyed`]'s) output for a
/// payload of `payload_len` bytes.
pub fn armored_compact_len(payload_len: usize) -> usize {
    symbol_count(payload_len)
}

/// Number of padding bits in the last symbol for a payload of `payload_len` bytes.
fn pad_bits(payload_len: usize) -> u32 {
    ((5 - ((payload_len + CHECK_LEN) * 8) % 5) % 5) as u32
}

/// Check bytes and padding value of `payload`: the CRC and zero, or the keyed tag.
fn check_of(payload: &[u8], key: Option<&CheckKey>) -> ([u8; CHECK_LEN], u32) {
    match key {
        None => (crc32(payload).to_le_bytes(), 0),
        Some(key) => {
            let tag = key.tag(payload);
            let bits = pad_bits(payload.len());
            let pad = if bits == 0 { 0 } else { u32::from(tag[4]) >> (8 - bits) };
            ([tag[0], tag[1], tag[2], tag[3]], pad)
        }
    }
}

/// Base32 symbols of `payload || crc32(payload)`, without separators.
fn symbols(payload: &[u8]) -> Vec<u8> {
    symbols_checked(payload, None)
}

/// Base32 symbols of `payload || check`, padding bits from the check, no separators.
fn symbols_checked(payload: &[u8], key: Option<&CheckKey>) -> Vec<u8> {
    let (check, pad) = check_of(payload, key);
    let mut out = Vec::with_capacity(symbol_count(payload.len()));
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &byte in payload.iter().chain(check.iter()) {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize]);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        // Pad the final symbol on the right: zero bits (CRC) or keyed bits.
        out.push(ALPHABET[(((acc << (5 - bits)) | pad) & 31) as usize]);
    }
    out
}

/// Armors a message's `payload` under `key` (see [`CheckKey`]), in the presentation of
/// [`armor_lines`].
pub fn armor_lines_keyed(payload: &[u8], key: &CheckKey, groups_per_line: usize) -> String {
    join_groups(&symbols_checked(payload, Some(key)), groups_per_line.max(1))
}

/// Armors a message's `payload` under `key`, in one line of groups ([`armor`]'s form).
pub fn armor_keyed(payload: &[u8], key: &CheckKey) -> String {
    join_groups(&symbols_checked(payload, Some(key)), usize::MAX)
}

/// Armors a message's `payload` under `key`, without separators (for QR codes).
pub fn armor_compact_keyed(payload: &[u8], key: &CheckKey) -> String {
    String::from_utf8(symbols_checked(payload, Some(key))).unwrap_or_default()
}

/// Which check a text passed in [`dearmor_keyed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// The keyed check under `keys[i]`.
    Key(usize),
    /// The public CRC-32 (a public key, or a message armored by version 1 of lethe).
    Crc,
}

/// Reads the armored text of a message, checked under any of `keys` (tried in order) or,
/// failing that, under the public CRC-32 (texts made before the keyed check). A text
/// that passes neither is a [`ArmorError::ChecksumMismatch`]: a typing error.
pub fn dearmor_keyed(text: &str, keys: &[CheckKey]) -> Result<(Vec<u8>, Checked), ArmorError> {
    let (mut frame, pad, _) = decode_frame(text)?;
    let payload_len = frame.len() - CHECK_LEN;
    let (payload, check_bytes) = frame.split_at(payload_len);
    let mut check = [0u8; CHECK_LEN];
    check.copy_from_slice(check_bytes);
    let found = keys
        .iter()
        .position(|key| check_of(payload, Some(key)) == (check, pad))
        .map(Checked::Key)
        .or_else(|| (pad == 0 && crc32(payload).to_le_bytes() == check).then_some(Checked::Crc));
    let Some(found) = found else {
        return Err(ArmorError::ChecksumMismatch);
    };
    frame.truncate(payload_len);
    Ok((frame, found))
}

/// Reads armored text without checking its check value at all: for a reader that has no
/// key (the AEAD still refuses any change, only as "cannot be opened").
pub fn dearmor_unchecked(text: &str) -> Result<Vec<u8>, ArmorError> {
    let (mut frame, _, _) = decode_frame(text)?;
    frame.truncate(frame.len() - CHECK_LEN);
    Ok(frame)
}

/// Armors `payload` without any separator: one unbroken run of symbols, the most
/// compact form for QR codes (all symbols are in QR's alphanumeric set).
pub fn armor_compact(payload: &[u8]) -> String {
    // Symbols are ASCII, so this cannot fail; the default keeps it panic-free regardless.
    String::from_utf8(symbols(payload)).unwrap_or_default()
}

/// Armors `payload` as one line of groups of [`GROUP_LEN`] characters separated by
/// single spaces. Its length is [`armored_len`]`(payload.len())`.
pub fn armor(payload: &[u8]) -> String {
    join_groups(&symbols(payload), usize::MAX)
}

/// Armors `payload` for display: groups of [`GROUP_LEN`] characters separated by spaces,
/// `groups_per_line` groups per line (at least 1), lines separated by `\n`, no trailing
/// newline.
pub fn armor_lines(payload: &[u8], groups_per_line: usize) -> String {
    join_groups(&symbols(payload), groups_per_line.max(1))
}

fn join_groups(symbols: &[u8], groups_per_line: usize) -> String {
    let mut out = String::with_capacity(symbols.len() + symbols.len() / GROUP_LEN + 1);
    for (index, group) in symbols.chunks(GROUP_LEN).enumerate() {
        if index > 0 {
            out.push(if index % groups_per_line == 0 { '\n' } else { ' ' });
        }
        out.extend(group.iter().map(|&b| char::from(b)));
    }
    out
}

/// Characters skipped wherever they appear: whitespace of any kind, dashes and the
/// invisible characters that chat apps and word processors insert.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | '\u{2010}'..='\u{2015}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Value of one symbol, accepting lower case, full-width forms and the usual misreadings.
fn symbol_value(c: char) -> Option<u8> {
    // Full-width ASCII (U+FF01..U+FF5E) as produced by CJK input methods.
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
        _ => c,
    };
    let upper = c.to_ascii_uppercase();
    match upper {
        'O' => Some(0),
        'I' | 'L' => Some(1),
        'U' => None,
        _ => ALPHABET.iter().position(|&a| char::from(a) == upper).map(|p| p as u8),
    }
}

/// Reads armored text back into the payload, checking the CRC.
///
/// Accepts any presentation produced by [`armor`], [`armor_lines`] or
/// [`armor_compact`], and text that a chat app re-wrapped, lower-cased or decorated
/// with dashes. Memory use is bounded by [`MAX_ARMOR_TEXT_LEN`].
pub fn dearmor(text: &str) -> Result<Vec<u8>, ArmorError> {
    let (mut out, pad, _) = decode_frame(text)?;
    // Padding bits must be zero, so that a change confined to them is still caught.
    if pad != 0 {
        return Err(ArmorError::ChecksumMismatch);
    }
    let payload_len = out.len() - CHECK_LEN;
    let mut check = [0u8; CHECK_LEN];
    check.copy_from_slice(&out[payload_len..]);
    if crc32(&out[..payload_len]) != u32::from_le_bytes(check) {
        return Err(ArmorError::ChecksumMismatch);
    }
    out.truncate(payload_len);
    Ok(out)
}

/// The frame (payload and check bytes), the padding bits' value and their count.
fn decode_frame(text: &str) -> Result<(Vec<u8>, u32, u32), ArmorError> {
    if text.len() > MAX_ARMOR_TEXT_LEN {
        return Err(ArmorError::TooLong { len: text.len(), limit: MAX_ARMOR_TEXT_LEN });
    }
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut count = 0usize;
    let (mut line, mut column) = (1usize, 0usize);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 0;
            continue;
        }
        column += 1;
        if is_separator(c) {
            continue;
        }
        let Some(value) = symbol_value(c) else {
            return Err(ArmorError::BadCharacter { character: c, line, column });
        };
        count += 1;
        acc = (acc << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if count == 0 {
        return Err(ArmorError::Empty);
    }
    // A valid text leaves fewer than 5 bits over: otherwise a whole symbol is surplus,
    // which only happens when characters were lost or added.
    if bits >= 5 || out.len() < CHECK_LEN {
        return Err(ArmorError::Truncated);
    }
    Ok((out, acc, bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_vector() {
        // crc32("") = 0, so the empty payload is four zero bytes: 7 symbols of 0.
        assert_eq!(armor(b""), "00000 00");
        assert_eq!(dearmor("00000 00").unwrap(), b"");
        // Hand-checked: 0xFF then crc32([0xFF]) = 0xFF000000 little-endian = 00 00 00 FF.
        assert_eq!(crc32(&[0xFF]), 0xFF00_0000);
        assert_eq!(armor_compact(&[0xFF]), "ZW00007Z");
        // Cross-checked with an independent implementation (Python zlib.crc32 + base32).
        assert_eq!(armor(b"lethe"), "DHJQ8 T35JK F1RN8");
    }

    #[test]
    fn alphabet_has_no_confusable_letters() {
        for bad in [b'I', b'L', b'O', b'U'] {
            assert!(!ALPHABET.contains(&bad));
        }
        let text = armor(&(0..=255u8).collect::<Vec<_>>());
        assert!(text.chars().all(|c| c == ' ' || c.is_ascii_digit() || c.is_ascii_uppercase()));
    }

    #[test]
    fn armored_len_matches_output() {
        for n in 0..100 {
            let payload = vec![0xA5u8; n];
            assert_eq!(armor(&payload).len(), armored_len(n), "n = {n}");
            assert_eq!(armor_lines(&payload, 3).len(), armored_len(n), "n = {n}");
        }
    }

    #[test]
    fn tolerant_reading() {
        let payload = b"hello, field".to_vec();
        let text = armor_lines(&payload, 2);
        assert!(text.contains('\n'));
        let messy = format!("  {}\r\n", text.to_lowercase().replace(' ', "-\u{200B}").replace('\n', " \u{00A0}\n\t"));
        assert_eq!(dearmor(&messy).unwrap(), payload);
        // Misreadings O -> 0 and I/L -> 1.
        let compact = armor_compact(&payload);
        let misread = compact.replace('0', "O").replace('1', "l");
        assert_eq!(dearmor(&misread).unwrap(), payload);
        // Full-width forms from a CJK keyboard.
        let full_width: String = compact.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
        assert_eq!(dearmor(&full_width).unwrap(), payload);
    }

    #[test]
    fn bad_character_reports_position() {
        let mut text = armor_lines(b"some payload bytes here", 2);
        // Put a 'U' at line 2, column 3.
        let line2_start = text.find('\n').unwrap() + 1;
        text.replace_range(line2_start + 2..line2_start + 3, "U");
        assert_eq!(dearmor(&text), Err(ArmorError::BadCharacter { character: 'U', line: 2, column: 3 }));
        assert!(matches!(dearmor("ABC!"), Err(ArmorError::BadCharacter { character: '!', line: 1, column: 4 })));
        assert!(matches!(dearmor("가나다"), Err(ArmorError::BadCharacter { character: '가', line: 1, column: 1 })));
    }

    #[test]
    fn truncation_and_empty() {
        assert_eq!(dearmor(""), Err(ArmorError::Empty));
        assert_eq!(dearmor(" \n - "), Err(ArmorError::Empty));
        assert_eq!(dearmor("000"), Err(ArmorError::Truncated));
        let text = armor_compact(b"a payload of some length");
        // Dropping one or three characters always breaks the length rule for this size
        // or the CRC; never accepted.
        for cut in 1..text.len() {
            let result = dearmor(&text[..text.len() - cut]);
            assert!(
                matches!(result, Err(ArmorError::Truncated | ArmorError::ChecksumMismatch)),
                "cut {cut}: {result:?}"
            );
        }
    }

    #[test]
    fn too_long_refused_before_reading() {
        let huge = "A".repeat(MAX_ARMOR_TEXT_LEN + 1);
        assert_eq!(dearmor(&huge), Err(ArmorError::TooLong { len: MAX_ARMOR_TEXT_LEN + 1, limit: MAX_ARMOR_TEXT_LEN }));
    }

    #[test]
    fn largest_payload_fits_the_text_limit() {
        let payload = vec![0x5Au8; MAX_ARMOR_PAYLOAD_LEN];
        let text = armor_lines(&payload, DEFAULT_GROUPS_PER_LINE);
        assert!(text.len() <= MAX_ARMOR_TEXT_LEN);
        assert_eq!(armored_len(MAX_ARMOR_PAYLOAD_LEN), armor(&payload).len());
        assert_eq!(dearmor(&text).unwrap(), payload);
    }

    #[test]
    fn nonzero_padding_bits_rejected() {
        // 1 payload byte + 4 check bytes = 40 bits = 8 symbols exactly; take 2 bytes
        // (48 bits -> 10 symbols, 2 padding bits) and set a padding bit.
        let compact = armor_compact(b"ab");
        let last = compact.chars().last().unwrap();
        let value = symbol_value(last).unwrap();
        assert_eq!(value & 0b11, 0);
        let mut bumped = compact[..compact.len() - 1].to_string();
        bumped.push(char::from(ALPHABET[(value | 1) as usize]));
        assert_eq!(dearmor(&bumped), Err(ArmorError::ChecksumMismatch));
    }

    /// Positions of symbols (not separators) in `text`, as byte offsets.
    fn symbol_positions(text: &str) -> Vec<usize> {
        text.char_indices().filter(|(_, c)| !is_separator(*c)).map(|(i, _)| i).collect()
    }

    proptest! {
        #[test]
        fn round_trip(payload in proptest::collection::vec(any::<u8>(), 0..300), per_line in 1usize..10) {
            prop_assert_eq!(dearmor(&armor(&payload)).unwrap(), payload.clone());
            prop_assert_eq!(dearmor(&armor_lines(&payload, per_line)).unwrap(), payload.clone());
            prop_assert_eq!(dearmor(&armor_compact(&payload)).unwrap(), payload);
        }

        /// Every substitution of one symbol by a different symbol is detected.
        #[test]
        fn any_single_substitution_detected(
            payload in proptest::collection::vec(any::<u8>(), 0..200),
            pick in any::<prop::sample::Index>(),
            replacement in 0u8..32,
        ) {
            let text = armor(&payload);
            let positions = symbol_positions(&text);
            let at = positions[pick.index(positions.len())];
            let original = symbol_value(char::from(text.as_bytes()[at])).unwrap();
            prop_assume!(original != replacement);
            let mut changed = text.into_bytes();
            changed[at] = ALPHABET[replacement as usize];
            let changed = String::from_utf8(changed).unwrap();
            let result = dearmor(&changed);
            prop_assert!(result.is_err(), "accepted a changed symbol: {:?}", result);
        }

        /// Every swap of two adjacent, different symbols (across a group separator too)
        /// is detected.
        #[test]
        fn any_adjacent_transposition_detected(
            payload in proptest::collection::vec(any::<u8>(), 0..200),
            pick in any::<prop::sample::Index>(),
        ) {
            let text = armor(&payload);
            let positions = symbol_positions(&text);
            let k = pick.index(positions.len() - 1);
            let (a, b) = (positions[k], positions[k + 1]);
            let bytes = text.as_bytes();
            prop_assume!(bytes[a] != bytes[b]);
            let mut changed = bytes.to_vec();
            changed.swap(a, b);
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(dearmor(&changed).is_err());
        }

        /// Arbitrary text never panics and never allocates beyond the bound.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = dearmor(&text);
        }
    }

    /// Exhaustive check for one payload: every position, every other symbol.
    #[test]
    fn exhaustive_substitutions_for_a_sample() {
        let payload: Vec<u8> = (0..61u8).map(|i| i.wrapping_mul(37)).collect();
        let text = armor_compact(&payload);
        let mut tried = 0;
        for at in 0..text.len() {
            for &symbol in ALPHABET {
                if symbol == text.as_bytes()[at] {
                    continue;
                }
                let mut changed = text.clone().into_bytes();
                changed[at] = symbol;
                assert!(dearmor(std::str::from_utf8(&changed).unwrap()).is_err());
                tried += 1;
            }
        }
        assert_eq!(tried, text.len() * 31);
    }

    /// Positive control for the detection tests: without the CRC, the same kind of
    /// change goes unnoticed, so the proptests above can fail.
    #[test]
    fn control_plain_base32_does_not_detect_substitution() {
        let payload = b"control payload".to_vec();
        let text = armor_compact(&payload);
        let mut changed = text.into_bytes();
        changed[0] = if changed[0] == b'7' { b'8' } else { b'7' };
        // Decode the symbols without checking the CRC.
        let mut acc = 0u32;
        let mut bits = 0;
        let mut raw = Vec::new();
        for &c in &changed {
            acc = (acc << 5) | u32::from(symbol_value(char::from(c)).unwrap());
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                raw.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        raw.truncate(payload.len());
        assert_ne!(raw, payload, "the change altered the data");
        assert_eq!(raw.len(), payload.len(), "a plain decoder returns altered data as if fine");
        assert_eq!(dearmor(std::str::from_utf8(&changed).unwrap()), Err(ArmorError::ChecksumMismatch));
    }
}
