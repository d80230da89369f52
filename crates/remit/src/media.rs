//! Moving a media file through the stream sealing of the protocol crate and the vault
//! without holding it in memory twice: a scoped thread seals (or opens) while this
//! thread writes into (or reads from) the vault, joined by an in-memory OS pipe. No
//! file is created.

use std::io::{self, Read, Write};

use lethe_protocol::stream::STREAM_CHUNK_LEN;
use lethe_protocol::{IdentitySecret, PublicKey, StreamError, StreamSummary, open_stream, seal_stream};
use lethe_vault::{ItemId, ItemKind, Storage, Vault};

use crate::error::{Error, Result};

/// Size of the sealed file [`seal_stream`] makes of `plain_len` bytes: the ephemeral
/// key, the plaintext, and a 16-byte tag per chunk (at least one chunk).
pub fn sealed_stream_len(plain_len: u64) -> u64 {
    let chunk = STREAM_CHUNK_LEN as u64;
    let chunks = plain_len.div_ceil(chunk).max(1);
    32 + plain_len + 16 * chunks
}

fn is_broken_pipe(e: &StreamError) -> bool {
    matches!(e, StreamError::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
}

fn stream_error(e: StreamError) -> Error {
    match e {
        StreamError::Io(io) => Error::Io(io),
        other => Error::MediaFile(other),
    }
}

/// Seals `plain` (exactly `plain_len` bytes) from `sender` to `recipient` into a new
/// record item named `name`. `progress` gets sealed bytes stored so far and the total.
pub(crate) fn seal_into_vault<S: Storage, R: Read + Send>(
    vault: &mut Vault<S>,
    name: &str,
    sender: &IdentitySecret,
    recipient: &PublicKey,
    plain: R,
    plain_len: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(ItemId, StreamSummary)> {
    let total = sealed_stream_len(plain_len);
    let (mut pipe_reader, pipe_writer) = io::pipe().map_err(Error::Io)?;
    std::thread::scope(|scope| {
        let sealing = scope.spawn(move || seal_stream(sender, recipient, plain, pipe_writer, |_| {}));
        let stored = vault
            .add_from_reader(ItemKind::Record, name, &mut pipe_reader, Some(total), &mut |done| progress(done, total));
        drop(pipe_reader);
        let sealed = sealing.join().unwrap_or_else(|_| Err(StreamError::Io(io::Error::other("sealing failed"))));
        match (stored, sealed) {
            (Ok(id), Ok(summary)) => Ok((id, summary)),
            (Ok(id), Err(e)) => {
                let _ = vault.remove(id);
                Err(stream_error(e))
            }
            (Err(_), Err(e)) if !is_broken_pipe(&e) => Err(stream_error(e)),
            (Err(v), _) => Err(Error::Vault(v)),
        }
    })
}

/// Opens the sealed stream stored in item `id` with `recipient`'s key, trying each of
/// `senders`, and writes the plaintext to `sink`. On error, whatever reached `sink` must
/// be discarded.
pub(crate) fn open_from_vault<S: Storage, W: Write + Send>(
    vault: &Vault<S>,
    id: ItemId,
    recipient: &IdentitySecret,
    senders: &[PublicKey],
    sink: W,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(usize, StreamSummary)> {
    let total = vault.info(id)?.size;
    let (pipe_reader, mut pipe_writer) = io::pipe().map_err(Error::Io)?;
    std::thread::scope(|scope| {
        let opening = scope.spawn(move || open_stream(recipient, senders, pipe_reader, sink, |_| {}));
        let read = vault.read_to(id, &mut pipe_writer, &mut |done| progress(done, total));
        drop(pipe_writer);
        let opened = opening.join().unwrap_or_else(|_| Err(StreamError::Io(io::Error::other("opening failed"))));
        match (read, opened) {
            (Ok(()), Ok(found)) => Ok(found),
            (_, Err(e)) if !is_broken_pipe(&e) => Err(stream_error(e)),
            (Err(v), _) => Err(Error::Vault(v)),
            (Ok(()), Err(e)) => Err(stream_error(e)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_length_matches_the_protocol() {
        let hub = lethe_protocol::IdentityKeyPair::generate().unwrap();
        let field = lethe_protocol::IdentityKeyPair::generate().unwrap();
        for len in [0usize, 1, STREAM_CHUNK_LEN - 1, STREAM_CHUNK_LEN, STREAM_CHUNK_LEN + 1, 3 * STREAM_CHUNK_LEN] {
            let plain = vec![7u8; len];
            let mut out = Vec::new();
            seal_stream(field.secret(), hub.public_key(), &plain[..], &mut out, |_| {}).unwrap();
            assert_eq!(out.len() as u64, sealed_stream_len(len as u64), "{len}");
        }
    }
}
