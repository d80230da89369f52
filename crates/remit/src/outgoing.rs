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

use lethe_protocol::armor::DEFAULT_GROUPS_PER_LINE;
use lethe_protocol::seal::{MAX_PLAINTEXT_LEN, SEAL_OVERHEAD};
use lethe_protocol::{
    CheckKey, QrError, QrImage, armor_compact, armor_compact_keyed, armor_lines, armor_lines_keyed, armored_len,
};

use crate::error::{Error, Result};

/// First plaintext byte of a batch of sealed reports.
pub(crate) const BATCH_MARKER: u8 = 0x81;

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
}

impl Outgoing {
    pub(crate) fn new(sealed: Vec<u8>, items: usize, remaining: usize, check: Option<CheckKey>) -> Outgoing {
        Outgoing { sealed, check, items, remaining }
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
