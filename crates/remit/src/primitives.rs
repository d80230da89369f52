//! The cryptographic helpers the remittance layer needs beyond the protocol crate: a
//! slow salted hash of challenge answers, a constant-time comparison, and a keyed hash
//! for the field's seen-record. All only call RustCrypto crates (argon2, subtle, hkdf
//! with sha2).

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Length of a stored answer hash.
pub const ANSWER_HASH_LEN: usize = 32;

/// Argon2id cost of an answer hash. Stored beside each hash, so that a later version
/// can raise the cost without breaking orders made before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnswerHashParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Parallel lanes.
    pub lanes: u32,
}

impl AnswerHashParams {
    /// The parameters of every new order: Argon2id, 64 MiB, 3 passes, 1 lane. Answers
    /// are short and guessable (a pet's name, a home village), so whoever holds the hub's
    /// unlocked records can try a dictionary against each order's salted hash; this cost
    /// makes each guess take about 0.1 to 0.2 s of one core and 64 MiB of memory
    /// (`cargo bench -p lethe-remit --bench answer_hash` measures it and prints what a
    /// dictionary costs). Orders keep the parameters they were made with.
    pub const STANDARD: AnswerHashParams = AnswerHashParams { memory_kib: 64 * 1024, iterations: 3, lanes: 1 };

    /// The parameters of orders made before protocol version 2 (19 MiB, 2 passes): still
    /// verified with them.
    pub const V1: AnswerHashParams = AnswerHashParams { memory_kib: 19 * 1024, iterations: 2, lanes: 1 };
}

/// Argon2id of an answer (already normalised with
/// [`lethe_protocol::normalize_answer`]) under `salt`.
pub fn hash_answer(
    normalized_answer: &str,
    salt: &[u8],
    params: AnswerHashParams,
) -> Result<Zeroizing<[u8; ANSWER_HASH_LEN]>> {
    let argon_params = argon2::Params::new(params.memory_kib, params.iterations, params.lanes, Some(ANSWER_HASH_LEN))
        .map_err(|_| Error::DamagedRecord("answer hash parameters"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; ANSWER_HASH_LEN]);
    argon
        .hash_password_into(normalized_answer.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::DamagedRecord("answer hash parameters"))?;
    Ok(out)
}

/// Whether two hashes are equal, in time that does not depend on where they differ.
pub fn hashes_equal(a: &[u8; ANSWER_HASH_LEN], b: &[u8; ANSWER_HASH_LEN]) -> bool {
    a.ct_eq(b).into()
}

/// Length of a [`keyed_tag`].
pub const KEYED_TAG_LEN: usize = 16;

/// A keyed hash of `data` under the 32-byte `key`, separated by `label`: HKDF-SHA256's
/// expand step (RFC 5869) with `key` as the pseudorandom key and `label || data` as the
/// info, truncated to 16 bytes. Without the key, the tag says nothing about `data`, even
/// when `data` has few possible values (a message id, an order code).
pub fn keyed_tag(key: &[u8; 32], label: &[u8], data: &[u8]) -> [u8; KEYED_TAG_LEN] {
    let mut out = [0u8; KEYED_TAG_LEN];
    // A 32-byte key is a valid pseudorandom key and 16 bytes a valid length: neither
    // call can fail, and the output stays zero if one ever did (a tag that still works
    // as a tag, only weaker).
    if let Ok(hkdf) = hkdf::Hkdf::<sha2::Sha256>::from_prk(key) {
        let _ = hkdf.expand_multi_info(&[label, &[0u8], data], &mut out);
    }
    out
}

/// Random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::Randomness)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: AnswerHashParams = AnswerHashParams { memory_kib: 64, iterations: 1, lanes: 1 };

    #[test]
    fn hash_depends_on_answer_salt_and_params() {
        let salt = [7u8; 16];
        let a = hash_answer("바둑이", &salt, CHEAP).unwrap();
        assert_eq!(*a, *hash_answer("바둑이", &salt, CHEAP).unwrap());
        assert_ne!(*a, *hash_answer("바둑", &salt, CHEAP).unwrap());
        assert_ne!(*a, *hash_answer("바둑이", &[8u8; 16], CHEAP).unwrap());
        let costlier = AnswerHashParams { iterations: 2, ..CHEAP };
        assert_ne!(*a, *hash_answer("바둑이", &salt, costlier).unwrap());
    }

    #[test]
    fn comparison() {
        let a = [3u8; 32];
        let mut b = a;
        assert!(hashes_equal(&a, &b));
        b[31] ^= 1;
        assert!(!hashes_equal(&a, &b));
        b = a;
        b[0] ^= 0x80;
        assert!(!hashes_equal(&a, &b));
    }

    #[test]
    fn keyed_tags_depend_on_key_label_and_data() {
        let key = [1u8; 32];
        let a = keyed_tag(&key, b"order", &7u32.to_le_bytes());
        assert_eq!(a, keyed_tag(&key, b"order", &7u32.to_le_bytes()));
        assert_ne!(a, [0u8; KEYED_TAG_LEN]);
        assert_ne!(a, keyed_tag(&[2u8; 32], b"order", &7u32.to_le_bytes()));
        assert_ne!(a, keyed_tag(&key, b"message", &7u32.to_le_bytes()));
        assert_ne!(a, keyed_tag(&key, b"order", &8u32.to_le_bytes()));
    }

    #[test]
    fn bad_params_are_an_error_not_a_panic() {
        let zero = AnswerHashParams { memory_kib: 0, iterations: 0, lanes: 0 };
        assert!(hash_answer("x", &[0u8; 16], zero).is_err());
    }
}
