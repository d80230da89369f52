//! Every cryptographic call of the protocol crate goes through this module: X25519,
//! HKDF-SHA256, XChaCha20-Poly1305, SHA-256 and the system's random numbers, each behind
//! fixed-size types and length checks, one function per use. No other module touches the crypto crates
//! (`no_other_module_uses_the_crypto_crates` below checks the sources).

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use x25519_dalek::StaticSecret;
use zeroize::Zeroizing;

use crate::random::RandomnessError;

/// Length of an X25519 secret key, public key and shared secret.
pub(crate) const X25519_LEN: usize = 32;
/// XChaCha20-Poly1305 key length.
pub(crate) const AEAD_KEY_LEN: usize = 32;
/// XChaCha20-Poly1305 nonce length.
pub(crate) const AEAD_NONCE_LEN: usize = 24;
/// Poly1305 tag length.
pub(crate) const AEAD_TAG_LEN: usize = 16;
/// SHA-256 digest length.
pub(crate) const SHA256_LEN: usize = 32;
/// HKDF expands to at most 255 blocks of its hash's output.
const HKDF_SHA256_MAX_LEN: usize = 255 * SHA256_LEN;

/// An X25519 secret key. Its bytes are wiped from memory when it is dropped.
#[derive(Clone)]
pub(crate) struct X25519Secret(StaticSecret);

impl X25519Secret {
    /// Any 32 bytes are a valid X25519 secret (they are clamped when used).
    pub(crate) fn from_bytes(bytes: &[u8; X25519_LEN]) -> Self {
        X25519Secret(StaticSecret::from(*bytes))
    }

    /// The secret's bytes, in memory that is wiped when dropped.
    pub(crate) fn to_bytes(&self) -> Zeroizing<[u8; X25519_LEN]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The matching public key (its top bit is always clear).
    pub(crate) fn public_key(&self) -> [u8; X25519_LEN] {
        x25519_dalek::PublicKey::from(&self.0).to_bytes()
    }

    /// X25519 with `their_public`, or `None` when the result is all zero (their key has
    /// small order, so the result would not depend on this secret).
    pub(crate) fn diffie_hellman(&self, their_public: &[u8; X25519_LEN]) -> Option<SharedSecret> {
        let shared = self.0.diffie_hellman(&x25519_dalek::PublicKey::from(*their_public));
        shared.was_contributory().then_some(SharedSecret(shared))
    }
}

/// The result of one X25519, never all zero. Wiped from memory when dropped.
pub(crate) struct SharedSecret(x25519_dalek::SharedSecret);

impl SharedSecret {
    /// The 32 bytes of the shared secret.
    pub(crate) fn as_bytes(&self) -> &[u8; X25519_LEN] {
        self.0.as_bytes()
    }
}

/// True when `public` is an X25519 point of small order.
pub(crate) fn x25519_has_small_order(public: &[u8; X25519_LEN]) -> bool {
    // X25519 clamps scalars to multiples of 8, so the product with a point of small
    // order (which divides 8) is zero: that is how such points are recognised.
    x25519_dalek::x25519([0x5A; 32], *public) == [0u8; 32]
}

/// HKDF-SHA256 (RFC 5869): extract from `ikm` with `salt`, expand with `info` to `N`
/// bytes, in memory that is wiped when dropped.
pub(crate) fn hkdf_sha256<const N: usize>(salt: &[u8], ikm: &[u8], info: &[u8]) -> Zeroizing<[u8; N]> {
    const { assert!(N <= HKDF_SHA256_MAX_LEN, "longer than HKDF-SHA256 can expand") };
    let mut okm = Zeroizing::new([0u8; N]);
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, okm.as_mut())
        .expect("the output length is checked at compile time");
    okm
}

/// XChaCha20-Poly1305 under one key, with empty associated data: lethe's constructions
/// bind their context into the key derivation instead. The key is wiped on drop.
pub(crate) struct Aead(XChaCha20Poly1305);

/// The AEAD under `key`, or `None` if `key` is not [`AEAD_KEY_LEN`] bytes long.
pub(crate) fn cipher(key: &[u8]) -> Option<Aead> {
    let key: &[u8; AEAD_KEY_LEN] = key.try_into().ok()?;
    Some(Aead(XChaCha20Poly1305::new(key.into())))
}

/// Encrypts `buffer` in place and returns the tag, or `None` if `buffer` is beyond
/// XChaCha20's limit (256 GiB, far above anything lethe seals at once).
pub(crate) fn encrypt(cipher: &Aead, nonce: &[u8; AEAD_NONCE_LEN], buffer: &mut [u8]) -> Option<[u8; AEAD_TAG_LEN]> {
    let tag = cipher.0.encrypt_inout_detached(&(*nonce).into(), b"", buffer.into()).ok()?;
    Some(tag.into())
}

/// Decrypts `buffer` in place if `tag` authenticates it. `false` if `tag` is not
/// [`AEAD_TAG_LEN`] bytes long or does not match; then `buffer` may hold garbage and
/// must be discarded.
pub(crate) fn decrypt(cipher: &Aead, nonce: &[u8; AEAD_NONCE_LEN], buffer: &mut [u8], tag: &[u8]) -> bool {
    let Ok(tag) = Tag::try_from(tag) else {
        return false;
    };
    cipher.0.decrypt_inout_detached(&(*nonce).into(), b"", buffer.into(), &tag).is_ok()
}

/// SHA-256 of data given in pieces.
pub(crate) struct Sha256Hasher(Sha256);

impl Sha256Hasher {
    pub(crate) fn new() -> Self {
        Sha256Hasher(Sha256::new())
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub(crate) fn finalize(self) -> [u8; SHA256_LEN] {
        self.0.finalize().into()
    }
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; SHA256_LEN] {
    Sha256::digest(data).into()
}

/// Fills `buf` with random bytes from the operating system: the crate's only source of
/// randomness.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), RandomnessError> {
    getrandom::fill(buf).map_err(|_| RandomnessError)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex<const N: usize>(s: &str) -> [u8; N] {
        assert_eq!(s.len(), 2 * N);
        let mut out = [0u8; N];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn x25519_rfc7748_shared_secret() {
        // RFC 7748 section 6.1.
        let alice = X25519Secret::from_bytes(&hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        let bob = X25519Secret::from_bytes(&hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        let bob_public: [u8; 32] = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assert_eq!(bob.public_key(), bob_public);
        let shared: [u8; 32] = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        let from_alice = alice.diffie_hellman(&bob_public).unwrap();
        let from_bob = bob.diffie_hellman(&alice.public_key()).unwrap();
        assert_eq!(from_alice.as_bytes(), &shared);
        assert_eq!(from_bob.as_bytes(), &shared);
        assert_eq!(*alice.to_bytes(), *X25519Secret::from_bytes(&alice.to_bytes()).to_bytes());
    }

    #[test]
    fn small_order_points_give_no_shared_secret() {
        let secret = X25519Secret::from_bytes(&[0x42; 32]);
        let order8: [u8; 32] = hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        let mut one = [0u8; 32];
        one[0] = 1;
        for point in [[0u8; 32], one, order8] {
            assert!(x25519_has_small_order(&point));
            assert!(secret.diffie_hellman(&point).is_none());
        }
        // Control: a real public key is neither.
        let real = X25519Secret::from_bytes(&[0x17; 32]).public_key();
        assert!(!x25519_has_small_order(&real));
        assert!(secret.diffie_hellman(&real).is_some());
    }

    #[test]
    fn hkdf_rfc5869_case_1() {
        let okm: Zeroizing<[u8; 42]> =
            hkdf_sha256(&hex::<13>("000102030405060708090a0b0c"), &[0x0b; 22], &hex::<10>("f0f1f2f3f4f5f6f7f8f9"));
        assert_eq!(
            *okm,
            hex::<42>("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        );
    }

    #[test]
    fn sha256_known_answer_and_pieces() {
        let abc: [u8; 32] = hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(sha256(b"abc"), abc);
        let mut hasher = Sha256Hasher::new();
        hasher.update(b"a");
        hasher.update(b"");
        hasher.update(b"bc");
        assert_eq!(hasher.finalize(), abc);
        assert_ne!(sha256(b"abd"), abc);
    }

    #[test]
    fn aead_round_trip_and_rejections() {
        let key = [7u8; AEAD_KEY_LEN];
        let nonce = [9u8; AEAD_NONCE_LEN];
        let aead = cipher(&key).unwrap();
        let mut buffer = b"amount 100".to_vec();
        let tag = encrypt(&aead, &nonce, &mut buffer).unwrap();
        assert_ne!(buffer, b"amount 100");
        let sealed = buffer.clone();
        assert!(decrypt(&aead, &nonce, &mut buffer, &tag));
        assert_eq!(buffer, b"amount 100");

        let mut other_nonce = nonce;
        other_nonce[23] ^= 1;
        let mut bad_tag = tag;
        bad_tag[0] ^= 1;
        let other_key = cipher(&[8u8; AEAD_KEY_LEN]).unwrap();
        for (aead, nonce, tag) in [
            (&aead, &other_nonce, &tag[..]),
            (&aead, &nonce, &bad_tag[..]),
            (&aead, &nonce, &tag[..15]),
            (&other_key, &nonce, &tag[..]),
        ] {
            let mut buffer = sealed.clone();
            assert!(!decrypt(aead, nonce, &mut buffer, tag));
        }
        assert!(cipher(&key[..31]).is_none());
        assert!(cipher(&[0u8; 33]).is_none());
    }

    /// Source files under `dir` (recursively) that name one of the crypto crates.
    fn files_naming_crypto_crates(dir: &std::path::Path) -> Vec<(String, &'static str)> {
        const CRYPTO_CRATES: [&str; 5] = ["chacha20poly1305", "getrandom", "hkdf", "sha2", "x25519_dalek"];
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files_naming_crypto_crates(&path));
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for name in CRYPTO_CRATES {
                if text.contains(&format!("{name}::")) || text.contains(&format!("use {name}")) {
                    found.push((path.display().to_string(), name));
                }
            }
        }
        found
    }

    #[test]
    fn no_other_module_uses_the_crypto_crates() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let found = files_naming_crypto_crates(&src);
        let (here, elsewhere): (Vec<_>, Vec<_>) =
            found.into_iter().partition(|(path, _)| path.ends_with("/primitives.rs"));
        assert!(elsewhere.is_empty(), "crypto crates used outside primitives: {elsewhere:?}");
        // Control: the scan does see this module's own uses of all five crates.
        assert_eq!(here.len(), 5, "{here:?}");
    }
}
