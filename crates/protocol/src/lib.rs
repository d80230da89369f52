//! lethe's messages: what the hub and the field send each other, and how.
//!
//! - [`keys`]: X25519 identity keys and their short text form;
//! - [`pairing`]: pairing hub and field against a relaying attacker (commit, then reveal;
//!   short code or full fingerprint), and the channel key both then hold;
//! - [`seal`](mod@seal): sealing bytes from a sender's identity to a recipient's public key;
//! - [`armor`](mod@armor): chat-safe text with a checksum that catches any mistyped character;
//! - [`cover`]: the same text as ordinary-looking chat in Korean or Chinese (keyed);
//! - [`qr`]: the same text as a QR code, for a terminal or as a PNG file;
//! - [`qr_read`]: reading QR codes back from a PNG or JPEG picture;
//! - [`message`]: orders, delivery reports and acknowledgements, their compact binary
//!   encoding, and sealing them as text;
//! - [`parts`]: a message too large for one QR code or chat message, in numbered parts;
//! - [`stream`]: sealing a large media file in authenticated chunks;
//! - [`normalize`]: normalising a challenge answer before it is hashed or compared;
//! - [`jpeg`]: removing metadata from a JPEG by keeping only the segments needed to
//!   show the picture; [`png`] and [`mp4`] do the same for PNG images and MP4/MOV
//!   videos, and [`strip_media`] picks the right one.
//!
//! This crate stores nothing: every function works on memory, readers and writers the
//! caller provides. The wire formats are specified in `docs/PROTOCOL.md`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod armor;
mod codec;
pub mod cover;
mod crc32;
pub mod jpeg;
pub mod keys;
pub mod message;
pub mod mp4;
pub mod normalize;
pub mod pairing;
pub mod parts;
pub mod png;
mod primitives;
pub mod qr;
pub mod qr_read;
mod random;
pub mod seal;
pub mod stream;

pub use armor::{
    ArmorError, CheckKey, Checked, armor, armor_compact, armor_compact_keyed, armor_keyed, armor_lines,
    armor_lines_keyed, armored_len, dearmor, dearmor_keyed, dearmor_unchecked,
};
pub use jpeg::{MediaError, strip_metadata};

/// Removes the metadata of a JPEG, PNG or MP4/MOV file (told apart by their first bytes):
/// see [`jpeg`], [`png`] and [`mp4`]. Anything else is refused as [`MediaError::NotJpeg`].
pub fn strip_media(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    if bytes.starts_with(&png::PNG_SIGNATURE) {
        png::strip_png(bytes)
    } else if mp4::is_video(bytes) {
        mp4::strip_video(bytes)
    } else {
        strip_metadata(bytes)
    }
}

/// Whether `head` (the first 8 bytes or more of a file) starts a file [`strip_media`]
/// cleans, and the largest such file it accepts.
pub fn strippable(head: &[u8]) -> Option<usize> {
    if head.starts_with(&[0xFF, 0xD8]) {
        Some(jpeg::MAX_JPEG_LEN)
    } else if head.starts_with(&png::PNG_SIGNATURE) {
        Some(png::MAX_PNG_LEN)
    } else if mp4::is_video(head) {
        Some(mp4::MAX_VIDEO_LEN)
    } else {
        None
    }
}
pub use keys::{IdentityKeyPair, IdentitySecret, KeyError, PublicKey, safety_code};
pub use message::{
    Ack, AckItem, AckStatus, Currency, DecodeError, DeliveryReport, EncodeError, MediaRef, Message, MessageId, Order,
    OrderCode, Payload, ProtocolError, open_message, open_message_keyed, seal_message, seal_message_keyed,
};
pub use normalize::normalize_answer;
pub use qr::{QrError, QrImage};
pub use random::RandomnessError;
pub use seal::{OpenError, SealError, open, open_anonymous, seal, seal_anonymous};
pub use stream::{StreamError, StreamSummary, open_stream, seal_stream};
