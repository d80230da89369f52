//! lethe's messages: what the hub and the field send each other, and how.
//!
//! - [`keys`]: X25519 identity keys, their short text form and the safety code;
//! - [`seal`]: sealing bytes from a sender's identity to a recipient's public key;
//! - [`armor`]: chat-safe text with a checksum that catches any mistyped character;
//! - [`qr`]: the same text as a QR code, for a terminal or as a PNG file;
//! - [`message`]: orders, delivery reports and acknowledgements, their compact binary
//!   encoding, and sealing them as text;
//! - [`stream`]: sealing a large media file in authenticated chunks;
//! - [`normalize`]: normalising a challenge answer before it is hashed or compared;
//! - [`jpeg`]: removing metadata from a JPEG by keeping only the segments needed to
//!   show the picture.
//!
//! This crate stores nothing: every function works on memory, readers and writers the
//! caller provides. The wire formats are specified in `docs/PROTOCOL.md`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod armor;
mod crc32;
pub mod keys;
mod random;
pub mod seal;

pub use random::RandomnessError;
