//! Sealing a large file (a photo or short video) for the hub, in authenticated chunks.
//!
//! ```text
//! ephemeral public key (32 bytes, top bit random)
//! chunk 0 || chunk 1 || ... || chunk n      each: ciphertext (≤ 64 KiB) || tag (16)
//! ```
//!
//! Every chunk but the last holds exactly [`STREAM_CHUNK_LEN`] bytes of plaintext; the
//! last holds 0 to [`STREAM_CHUNK_LEN`] bytes. Each chunk is its own XChaCha20-Poly1305
//! message under one derived key with the nonce `prefix || counter || final-flag`, so
//! reordered, dropped, duplicated or appended chunks and a file cut at any point are
//! all detected. The key derivation is that of [`crate::seal`](mod@crate::seal) with its own salt, so a
//! stream and a message never open as each other.
//!
//! Opening writes each chunk only after it is authenticated, but a stream is known to
//! be complete only at its end: on any error the caller must discard what was written.

use core::fmt;
use std::io::{self, Read, Write};

use zeroize::Zeroizing;

use crate::keys::{IdentitySecret, PublicKey};
use crate::primitives::{self, AEAD_KEY_LEN, AEAD_NONCE_LEN, Sha256Hasher, SharedSecret, cipher, decrypt, encrypt};
use crate::random::RandomnessError;
use crate::seal::{DerivedKey, EPHEMERAL_LEN, TAG_LEN, derive, ephemeral_from_wire, fresh_ephemeral};

/// Plaintext bytes per chunk.
pub const STREAM_CHUNK_LEN: usize = 64 * 1024;

/// HKDF salt of the stream construction.
const STREAM_SALT: &[u8] = b"lethe/stream/v1";
/// HKDF info prefix.
const STREAM_INFO: &[u8] = b"authenticated";
/// Bytes of the derived nonce prefix; 8 counter bytes and 1 flag byte complete 24.
const NONCE_PREFIX_LEN: usize = 15;
/// Key (32) and nonce prefix (15).
const STREAM_OKM_LEN: usize = AEAD_KEY_LEN + NONCE_PREFIX_LEN;

/// What was sealed or opened: plaintext size and SHA-256, the values a report's
/// [`crate::message::MediaRef`] carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSummary {
    /// Plaintext length in bytes.
    pub len: u64,
    /// SHA-256 of the plaintext.
    pub digest: [u8; 32],
}

/// Why a stream could not be sealed or opened.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// Reading the input or writing the output failed.
    Io(io::Error),
    /// The system's random number generator failed.
    Randomness(RandomnessError),
    /// The recipient key cannot be used (never the case for validated keys).
    WeakKey,
    /// The file is too short to be a sealed file.
    TooShort,
    /// Not for this key, from none of the candidate senders, or altered.
    CannotOpen,
    /// The file was cut off: chunks are missing at the end.
    Truncated,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Io(e) => write!(f, "{e}"),
            StreamError::Randomness(e) => write!(f, "{e}"),
            StreamError::WeakKey => write!(f, "the recipient's public key is not usable"),
            StreamError::TooShort => write!(f, "the file is too short to be a sealed file"),
            StreamError::CannotOpen => write!(f, "cannot be opened with this key: not addressed to you, or altered"),
            StreamError::Truncated => {
                write!(f, "the file is incomplete: its end is missing (copy it again)")
            }
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        StreamError::Io(e)
    }
}

/// Reads until `buf` is full or the input ends; returns the number of bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn chunk_nonce(key: &DerivedKey<STREAM_OKM_LEN>, counter: u64, last: bool) -> [u8; AEAD_NONCE_LEN] {
    let mut nonce = [0u8; AEAD_NONCE_LEN];
    nonce[..NONCE_PREFIX_LEN].copy_from_slice(key.nonce_material());
    nonce[NONCE_PREFIX_LEN..23].copy_from_slice(&counter.to_be_bytes());
    nonce[23] = u8::from(last);
    nonce
}

fn stream_key(
    ephemeral_shared: &SharedSecret,
    static_shared: &SharedSecret,
    ephemeral_wire: &[u8; EPHEMERAL_LEN],
    sender: &PublicKey,
    recipient: &PublicKey,
) -> DerivedKey<STREAM_OKM_LEN> {
    derive(STREAM_SALT, STREAM_INFO, &[ephemeral_shared, static_shared], ephemeral_wire, Some(sender), recipient)
}

/// Seals everything `reader` yields from `sender` to `recipient`, writing the sealed
/// file to `writer`. `progress` is called after each chunk with the plaintext bytes
/// done so far. Memory use is two chunks, whatever the file size.
pub fn seal_stream(
    sender: &IdentitySecret,
    recipient: &PublicKey,
    mut reader: impl Read,
    mut writer: impl Write,
    mut progress: impl FnMut(u64),
) -> Result<StreamSummary, StreamError> {
    let (ephemeral, ephemeral_wire) = fresh_ephemeral().map_err(StreamError::Randomness)?;
    let ephemeral_shared = ephemeral.diffie_hellman(recipient).ok_or(StreamError::WeakKey)?;
    let static_shared = sender.diffie_hellman(recipient).ok_or(StreamError::WeakKey)?;
    let key = stream_key(&ephemeral_shared, &static_shared, &ephemeral_wire, &sender.public_key(), recipient);
    let cipher = cipher(key.aead_key()).ok_or(StreamError::WeakKey)?;
    writer.write_all(&ephemeral_wire)?;

    let mut hasher = Sha256Hasher::new();
    let mut current = Zeroizing::new(vec![0u8; STREAM_CHUNK_LEN]);
    let mut next = Zeroizing::new(vec![0u8; STREAM_CHUNK_LEN]);
    let mut current_len = read_full(&mut reader, &mut current)?;
    let mut done: u64 = 0;
    let mut counter: u64 = 0;
    loop {
        // A full chunk is the last only if nothing follows it: look one chunk ahead.
        let next_len = if current_len == STREAM_CHUNK_LEN { read_full(&mut reader, &mut next)? } else { 0 };
        let last = next_len == 0;
        let chunk = &mut current[..current_len];
        hasher.update(&*chunk);
        let tag = encrypt(&cipher, &chunk_nonce(&key, counter, last), chunk).ok_or(StreamError::WeakKey)?;
        writer.write_all(chunk)?;
        writer.write_all(&tag)?;
        done += current_len as u64;
        progress(done);
        if last {
            break;
        }
        counter += 1;
        core::mem::swap(&mut current, &mut next);
        current_len = next_len;
    }
    writer.flush()?;
    Ok(StreamSummary { len: done, digest: hasher.finalize() })
}

/// Opens a file made by [`seal_stream`] with `recipient`'s key, trying each of
/// `candidates` as the sender, and writes the plaintext to `writer`. Returns the index
/// of the sender and the plaintext's length and SHA-256 (compare them with the
/// report's [`crate::message::MediaRef`]).
///
/// On error, whatever was written to `writer` must be discarded.
pub fn open_stream(
    recipient: &IdentitySecret,
    candidates: &[PublicKey],
    mut reader: impl Read,
    mut writer: impl Write,
    mut progress: impl FnMut(u64),
) -> Result<(usize, StreamSummary), StreamError> {
    const SEALED_CHUNK_LEN: usize = STREAM_CHUNK_LEN + TAG_LEN;
    let mut ephemeral_wire = [0u8; EPHEMERAL_LEN];
    if read_full(&mut reader, &mut ephemeral_wire)? < EPHEMERAL_LEN {
        return Err(StreamError::TooShort);
    }
    let ephemeral = ephemeral_from_wire(&ephemeral_wire).ok_or(StreamError::CannotOpen)?;
    let ephemeral_shared = recipient.diffie_hellman(&ephemeral).ok_or(StreamError::CannotOpen)?;
    let recipient_public = recipient.public_key();

    let mut current = Zeroizing::new(vec![0u8; SEALED_CHUNK_LEN]);
    let mut next = Zeroizing::new(vec![0u8; SEALED_CHUNK_LEN]);
    let mut current_len = read_full(&mut reader, &mut current)?;
    if current_len < TAG_LEN {
        return Err(StreamError::TooShort);
    }
    let mut next_len = if current_len == SEALED_CHUNK_LEN { read_full(&mut reader, &mut next)? } else { 0 };

    // Find the sender with the first chunk.
    let mut found = None;
    for (index, sender) in candidates.iter().enumerate() {
        let Some(static_shared) = recipient.diffie_hellman(sender) else {
            continue;
        };
        let key = stream_key(&ephemeral_shared, &static_shared, &ephemeral_wire, sender, &recipient_public);
        let Some(cipher) = cipher(key.aead_key()) else {
            continue;
        };
        let (body, tag) = current[..current_len].split_at(current_len - TAG_LEN);
        let mut trial = Zeroizing::new(body.to_vec());
        let last = next_len == 0;
        if decrypt(&cipher, &chunk_nonce(&key, 0, last), &mut trial, tag) {
            found = Some((index, key, cipher));
            break;
        }
        // The right key with the other flag means chunks were cut off (or appended).
        let mut trial = Zeroizing::new(body.to_vec());
        if decrypt(&cipher, &chunk_nonce(&key, 0, !last), &mut trial, tag) {
            return Err(if last { StreamError::Truncated } else { StreamError::CannotOpen });
        }
    }
    let Some((sender_index, key, cipher)) = found else {
        return Err(StreamError::CannotOpen);
    };

    let mut hasher = Sha256Hasher::new();
    let mut done: u64 = 0;
    let mut counter: u64 = 0;
    loop {
        if current_len < TAG_LEN {
            // A trailing fragment shorter than a tag: the previous chunk was not last.
            return Err(StreamError::Truncated);
        }
        let last = next_len == 0;
        let (body, tag) = current[..current_len].split_at_mut(current_len - TAG_LEN);
        if !decrypt(&cipher, &chunk_nonce(&key, counter, last), body, tag) {
            // Distinguish a file cut at a chunk boundary from an altered one.
            return Err(if last { StreamError::Truncated } else { StreamError::CannotOpen });
        }
        hasher.update(&*body);
        writer.write_all(body)?;
        done += body.len() as u64;
        progress(done);
        if last {
            break;
        }
        counter += 1;
        core::mem::swap(&mut current, &mut next);
        current_len = next_len;
        next_len = if current_len == SEALED_CHUNK_LEN { read_full(&mut reader, &mut next)? } else { 0 };
    }
    writer.flush()?;
    Ok((sender_index, StreamSummary { len: done, digest: hasher.finalize() }))
}

/// SHA-256 of `data`, the digest [`StreamSummary`] reports, for callers that hold the
/// plaintext in memory.
pub fn media_digest(data: &[u8]) -> [u8; 32] {
    primitives::sha256(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::IdentityKeyPair;
    use proptest::prelude::*;

    fn pair() -> IdentityKeyPair {
        IdentityKeyPair::generate().unwrap()
    }

    fn sealed(field: &IdentityKeyPair, hub: &IdentityKeyPair, data: &[u8]) -> (Vec<u8>, StreamSummary) {
        let mut out = Vec::new();
        let summary = seal_stream(field.secret(), hub.public_key(), data, &mut out, |_| {}).unwrap();
        (out, summary)
    }

    fn opened(
        hub: &IdentityKeyPair,
        senders: &[PublicKey],
        file: &[u8],
    ) -> Result<(usize, Vec<u8>, StreamSummary), StreamError> {
        let mut out = Vec::new();
        let (index, summary) = open_stream(hub.secret(), senders, file, &mut out, |_| {})?;
        Ok((index, out, summary))
    }

    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn round_trip_at_chunk_boundaries() {
        let (hub, field, other) = (pair(), pair(), pair());
        for len in [0, 1, STREAM_CHUNK_LEN - 1, STREAM_CHUNK_LEN, STREAM_CHUNK_LEN + 1, 3 * STREAM_CHUNK_LEN] {
            let plain = data(len);
            let (file, summary) = sealed(&field, &hub, &plain);
            let chunks = len / STREAM_CHUNK_LEN + usize::from(len % STREAM_CHUNK_LEN != 0 || len == 0);
            assert_eq!(file.len(), EPHEMERAL_LEN + len + chunks * TAG_LEN, "len {len}");
            assert_eq!(summary, StreamSummary { len: len as u64, digest: media_digest(&plain) });
            let (index, out, opened_summary) =
                opened(&hub, &[*other.public_key(), *field.public_key()], &file).unwrap();
            assert_eq!((index, &out, opened_summary), (1, &plain, summary), "len {len}");
        }
    }

    #[test]
    fn progress_is_reported() {
        let (hub, field) = (pair(), pair());
        let plain = data(2 * STREAM_CHUNK_LEN + 10);
        let mut seen = Vec::new();
        let mut file = Vec::new();
        seal_stream(field.secret(), hub.public_key(), &plain[..], &mut file, |n| seen.push(n)).unwrap();
        assert_eq!(seen, [STREAM_CHUNK_LEN as u64, 2 * STREAM_CHUNK_LEN as u64, plain.len() as u64]);
    }

    #[test]
    fn truncation_at_every_chunk_boundary_is_detected() {
        let (hub, field) = (pair(), pair());
        let plain = data(3 * STREAM_CHUNK_LEN + 100);
        let (file, _) = sealed(&field, &hub, &plain);
        let sealed_chunk = STREAM_CHUNK_LEN + TAG_LEN;
        for chunks in 1..=3 {
            let cut = &file[..EPHEMERAL_LEN + chunks * sealed_chunk];
            assert!(
                matches!(opened(&hub, &[*field.public_key()], cut), Err(StreamError::Truncated)),
                "{chunks} chunks"
            );
        }
        // Cut inside a chunk.
        for cut in [EPHEMERAL_LEN + 10, EPHEMERAL_LEN + sealed_chunk + 5, file.len() - 1] {
            assert!(opened(&hub, &[*field.public_key()], &file[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(opened(&hub, &[*field.public_key()], &file[..20]), Err(StreamError::TooShort)));
    }

    #[test]
    fn reordered_duplicated_or_appended_chunks_rejected() {
        let (hub, field) = (pair(), pair());
        let plain = data(3 * STREAM_CHUNK_LEN);
        let (file, _) = sealed(&field, &hub, &plain);
        let sealed_chunk = STREAM_CHUNK_LEN + TAG_LEN;
        let chunk = |i: usize| &file[EPHEMERAL_LEN + i * sealed_chunk..EPHEMERAL_LEN + (i + 1) * sealed_chunk];
        let header = &file[..EPHEMERAL_LEN];
        let swapped = [header, chunk(1), chunk(0), chunk(2)].concat();
        let duplicated = [header, chunk(0), chunk(0), chunk(1), chunk(2)].concat();
        let appended = [&file[..], b"extra"].concat();
        for bad in [swapped, duplicated, appended] {
            assert!(opened(&hub, &[*field.public_key()], &bad).is_err());
        }
    }

    #[test]
    fn wrong_key_or_sender_cannot_open() {
        let (hub, field, other) = (pair(), pair(), pair());
        let (file, _) = sealed(&field, &hub, b"photo bytes");
        assert!(matches!(opened(&other, &[*field.public_key()], &file), Err(StreamError::CannotOpen)));
        assert!(matches!(opened(&hub, &[*other.public_key()], &file), Err(StreamError::CannotOpen)));
        // A stream never opens as a message and vice versa.
        assert!(crate::seal::open(hub.secret(), &[*field.public_key()], &file).is_err());
        let message = crate::seal::seal(field.secret(), hub.public_key(), b"photo bytes").unwrap();
        assert!(opened(&hub, &[*field.public_key()], &message).is_err());
    }

    #[test]
    fn io_errors_are_reported() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let (hub, field) = (pair(), pair());
        let err = seal_stream(field.secret(), hub.public_key(), Failing, Vec::new(), |_| {}).unwrap_err();
        assert!(matches!(err, StreamError::Io(_)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn any_flipped_bit_is_rejected(len in 0usize..200, bit in any::<prop::sample::Index>()) {
            let (hub, field) = (pair(), pair());
            let (mut file, _) = sealed(&field, &hub, &data(len));
            let bit = bit.index(file.len() * 8);
            file[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(opened(&hub, &[*field.public_key()], &file).is_err());
        }
    }
}
