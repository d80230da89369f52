//! A sealed message ready to go on the air, and the framing of a batch of reports that
//! were each sealed at delivery time.
//!
//! ## Report batches (field → hub)
//!
//! Each delivery report is sealed to the hub the moment it is recorded, as a complete
//! protocol message (one report). The field cannot open these any more, so it cannot
//! re-seal several of them as one message. Instead:
//!
//! - one waiting report goes on the air as it is: its sealed bytes, armored;
//! - several go as one outer message sealed from the field to the hub whose plaintext is
//!
//! ```text
//! 0x81                                  batch marker (a message starts with its version, 1)
//! repeated: u16 little-endian length || sealed report message
//! ```
//!
//! So a batch shows nothing in the clear (not even how many reports it carries), and
//! the hub opens the outer layer, then each inner one with the same broker's key.

use core::fmt;

use lethe_protocol::armor::DEFAULT_GROUPS_PER_LINE;
use lethe_protocol::cover::{self, COVER_KEY_LEN, CoverError, CoverStyle};
use lethe_protocol::parts::{PartsError, join, split, texts_of};
use lethe_protocol::seal::{MAX_PLAINTEXT_LEN, SEAL_OVERHEAD};
use lethe_protocol::{
    CheckKey, QrError, QrImage, armor_compact, armor_compact_keyed, armor_lines, armor_lines_keyed, armored_len,
};

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// First plaintext byte of a batch of sealed reports.
pub(crate) const BATCH_MARKER: u8 = 0x81;

/// The cover key of a pairing ([`cover::cover_key`] of its channel key). Its `Debug`
/// shows nothing of the key.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CoverKey(Zeroizing<[u8; COVER_KEY_LEN]>);

impl CoverKey {
    pub(crate) fn from_channel_key(channel_key: &[u8; 32]) -> CoverKey {
        CoverKey(cover::cover_key(channel_key))
    }
}

impl fmt::Debug for CoverKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CoverKey(..)")
    }
}

/// The sealed bytes of a message pasted as `text`, in any of the forms a sender writes,
/// without being told which:
///
/// 1. plain armor: one whole message, or all the parts of one (separated by blank lines,
///    in any order), checked under any of `checks` (or the public CRC of version 1);
///    without any check key, the text is read unchecked;
/// 2. else cover text ([`lethe_protocol::cover`]) in any style under any of `covers` (the
///    pairings' cover keys), pasted whole or in pieces in their order.
///
/// When neither reads, the error is the armor's, unless the text is cover text: then it
/// says whether it is incomplete or for another pairing.
pub(crate) fn read_message_text(text: &str, checks: &[CheckKey], covers: &[CoverKey]) -> Result<Vec<u8>> {
    let armor_error = match read_armor_text(text, checks) {
        Ok(sealed) => return Ok(sealed),
        Err(e) => e,
    };
    let mut best: Option<CoverError> = None;
    for key in covers {
        match cover::decode_any(&key.0, text) {
            Ok((_, sealed)) => return Ok(sealed),
            Err(e @ (CoverError::Incomplete | CoverError::TextTooLong { .. })) => best = Some(e),
            Err(CoverError::Refused) if best.is_none() => best = Some(CoverError::Refused),
            Err(_) => {}
        }
    }
    Err(best.map_or(armor_error, Error::Cover))
}

fn read_armor_text(text: &str, checks: &[CheckKey]) -> Result<Vec<u8>> {
    let armor_error = |e| Error::Message(lethe_protocol::ProtocolError::Armor(e));
    if checks.is_empty() {
        return lethe_protocol::dearmor_unchecked(text).map_err(armor_error);
    }
    let whole = match lethe_protocol::dearmor_keyed(text, checks) {
        Ok((sealed, _)) => return Ok(sealed),
        Err(e) => e,
    };
    let texts = texts_of(text);
    match join(&texts, checks) {
        Ok((sealed, _)) => Ok(sealed),
        // One text that is not a part either: report what reading it as a whole found.
        Err(PartsError::Armor { .. }) if texts.len() <= 1 => Err(armor_error(whole)),
        Err(e) => Err(Error::Parts(e)),
    }
}

/// A sealed message to send: as text for a chat, or as a QR code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    sealed: Vec<u8>,
    /// The pairing's keyed check; without one (a pairing of an older lethe whose key is
    /// gone) the text carries the public CRC.
    check: Option<CheckKey>,
    /// Orders, reports or acknowledged orders it carries.
    pub items: usize,
    /// Items still waiting because they did not fit in this message (send again).
    pub remaining: usize,
    /// The pairing's cover key (none for a pairing without a channel key).
    cover: Option<CoverKey>,
    /// The form the pairing's setting asks for (`None`: plain armor).
    cover_setting: Option<CoverStyle>,
}

impl Outgoing {
    pub(crate) fn new(sealed: Vec<u8>, items: usize, remaining: usize, check: Option<CheckKey>) -> Outgoing {
        Outgoing { sealed, check, items, remaining, cover: None, cover_setting: None }
    }

    /// The same message with the pairing's cover key and setting.
    pub(crate) fn with_cover(mut self, channel_key: Option<&[u8; 32]>, setting: Option<CoverStyle>) -> Outgoing {
        self.cover = channel_key.map(CoverKey::from_channel_key);
        self.cover_setting = setting;
        self
    }

    /// The form this pairing's setting asks for: a cover style, or `None` for plain armor.
    /// (`None` too when the pairing has no channel key, so no cover text can be written.)
    pub fn cover_setting(&self) -> Option<CoverStyle> {
        self.cover_setting.filter(|_| self.cover.is_some())
    }

    /// True when cover text can be written (the pairing has a channel key).
    pub fn can_cover(&self) -> bool {
        self.cover.is_some()
    }

    /// The message as cover text in `style`: ordinary-looking chat, one sentence a line.
    /// Each call writes a different text (a new random nonce); any of them reads back.
    pub fn cover_text(&self, style: CoverStyle) -> Result<String> {
        let key = self.cover.as_ref().ok_or(Error::NoChannelKey)?;
        cover::encode(style, &key.0, &self.sealed).map_err(Error::Cover)
    }

    /// The message as cover text in `style`, cut between sentences into pieces of at most
    /// `max_chars` characters (counting every character but line breaks) — for chat apps
    /// that limit the length of one message. The receiver pastes the pieces **in order**
    /// (blank lines or chat between them do not matter). A sentence longer than the limit
    /// is a piece of its own.
    pub fn cover_pieces(&self, style: CoverStyle, max_chars: usize) -> Result<Vec<String>> {
        let key = self.cover.as_ref().ok_or(Error::NoChannelKey)?;
        let sentences = cover::encode_sentences(style, &key.0, &self.sealed).map_err(Error::Cover)?;
        let mut pieces = Vec::new();
        let mut piece = String::new();
        let mut chars = 0;
        for sentence in sentences {
            let n = sentence.chars().filter(|c| *c != '\n').count();
            if !piece.is_empty() && chars + n > max_chars {
                pieces.push(std::mem::take(&mut piece));
                chars = 0;
            }
            if !piece.is_empty() {
                piece.push('\n');
            }
            piece.push_str(&sentence);
            chars += n;
        }
        if !piece.is_empty() {
            pieces.push(piece);
        }
        Ok(pieces)
    }

    /// The message as lines of grouped characters, for a chat app.
    pub fn text(&self) -> String {
        match &self.check {
            Some(key) => armor_lines_keyed(&self.sealed, key, DEFAULT_GROUPS_PER_LINE),
            None => armor_lines(&self.sealed, DEFAULT_GROUPS_PER_LINE),
        }
    }

    /// The same characters without spaces or line breaks (what a QR code holds).
    pub fn compact_text(&self) -> String {
        match &self.check {
            Some(key) => armor_compact_keyed(&self.sealed, key),
            None => armor_compact(&self.sealed),
        }
    }

    /// Characters on the air when sent as grouped text on one line.
    pub fn chars(&self) -> usize {
        armored_len(self.sealed.len())
    }

    /// Bytes of the sealed message.
    pub fn sealed_len(&self) -> usize {
        self.sealed.len()
    }

    /// The message as texts of at most `max_chars` characters each (compact, without
    /// spaces; [`lethe_protocol::parts::QR_MAX_CHARS`] for one QR code each): one text if it
    /// fits, else numbered parts that the receiver reads back in any order.
    pub fn parts(&self, max_chars: usize) -> Result<Vec<String>> {
        match &self.check {
            Some(key) => split(&self.sealed, key, max_chars).map_err(Error::Parts),
            None if self.compact_text().len() <= max_chars => Ok(vec![self.text()]),
            None => Err(Error::Parts(PartsError::TooLarge { max_chars })),
        }
    }

    /// The message as a QR code.
    pub fn qr(&self) -> std::result::Result<QrImage, QrError> {
        QrImage::from_text(&self.compact_text())
    }
}

/// The plaintext of a batch of sealed reports; stops before the batch would exceed what
/// one message can carry. Returns it and how many blobs it holds.
pub(crate) fn frame_batch(blobs: &[&[u8]]) -> (Vec<u8>, usize) {
    let mut out = vec![BATCH_MARKER];
    let mut count = 0;
    for blob in blobs {
        let Ok(len) = u16::try_from(blob.len()) else { break };
        if out.len() + 2 + blob.len() > MAX_PLAINTEXT_LEN {
            break;
        }
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(blob);
        count += 1;
    }
    (out, count)
}

/// Splits a batch plaintext (marker already checked) into its sealed blobs.
pub(crate) fn unframe_batch(plain: &[u8]) -> Result<Vec<&[u8]>> {
    let malformed = || {
        Error::Message(lethe_protocol::ProtocolError::Malformed(lethe_protocol::DecodeError::UnexpectedEnd {
            field: "batch",
        }))
    };
    let mut rest = plain.get(1..).ok_or_else(malformed)?;
    let mut blobs = Vec::new();
    while !rest.is_empty() {
        if rest.len() < 2 {
            return Err(malformed());
        }
        let len = usize::from(u16::from_le_bytes([rest[0], rest[1]]));
        rest = &rest[2..];
        if len < SEAL_OVERHEAD || rest.len() < len {
            return Err(malformed());
        }
        blobs.push(&rest[..len]);
        rest = &rest[len..];
    }
    if blobs.is_empty() {
        return Err(malformed());
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_framing_round_trip_and_refusals() {
        let a = vec![1u8; 60];
        let b = vec![2u8; 100];
        let (plain, count) = frame_batch(&[&a, &b]);
        assert_eq!(count, 2);
        assert_eq!(plain[0], BATCH_MARKER);
        assert_eq!(unframe_batch(&plain).unwrap(), vec![&a[..], &b[..]]);
        for cut in 1..plain.len() {
            if cut == 1 + 2 + a.len() {
                continue; // a clean cut after the first blob is a valid batch of one
            }
            assert!(unframe_batch(&plain[..cut]).is_err(), "cut at {cut}");
        }
        let mut short = plain.clone();
        short[1] = 5; // a blob shorter than any sealed message
        short[2] = 0;
        assert!(unframe_batch(&short).is_err());
    }

    #[test]
    fn batch_stops_at_the_message_limit() {
        let blob = vec![0u8; 60_000];
        let blobs: Vec<&[u8]> = (0..20).map(|_| &blob[..]).collect();
        let (plain, count) = frame_batch(&blobs);
        assert!(count < 20 && count > 0);
        assert!(plain.len() <= MAX_PLAINTEXT_LEN);
    }
}
