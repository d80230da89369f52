//! Every cryptographic call of the vault goes through this module: fixed-size key types,
//! length checks, one function per use. Nothing else in the crate touches the crypto crates.

use crate::sys::LockedBuf;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
pub const SALT_LEN: usize = 32;

/// A 256-bit symmetric key, zeroed on drop. Never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Key([u8; KEY_LEN]);

impl Key {
    /// A fresh key from the operating system's CSPRNG.
    pub fn random() -> Key {
        let mut k = [0u8; KEY_LEN];
        fill_random(&mut k);
        Key(k)
    }

    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Key {
        Key(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(redacted)")
    }
}

/// Fills `buf` from the operating system's CSPRNG. Aborts if the OS has none: lethe must
/// never write predictable bytes where random ones are promised.
pub fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random number generator failed");
}

pub fn random_u32() -> u32 {
    let mut b = [0u8; 4];
    fill_random(&mut b);
    u32::from_le_bytes(b)
}

/// Argon2id cost parameters. The container format fixes them (see docs/FORMAT.md): they are
/// not stored anywhere, so a reader must use the same ones as the writer. The fields are
/// private: the named constants below are the only parameters there are, so cheap ones
/// exist only where the `test-kdf` feature (or a test build) allows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
}

impl KdfParams {
    /// The parameters of every real lethe container: Argon2id, 256 MiB, 3 passes, 1 lane.
    pub const STANDARD: KdfParams = KdfParams { memory_kib: 256 * 1024, iterations: 3, lanes: 1 };

    /// For throwaway containers held in memory that are gone when the program ends
    /// (`lethe demo`): 16 MiB, 2 passes, so the walk-through runs quickly on a phone.
    pub const DEMO: KdfParams = KdfParams { memory_kib: 16 * 1024, iterations: 2, lanes: 1 };

    /// Cheap parameters for tests only. A container made with them is only as strong as its
    /// passphrase; the lethe binary never uses them.
    #[cfg(any(test, feature = "test-kdf"))]
    pub const INSECURE_TEST_ONLY: KdfParams = KdfParams { memory_kib: 64, iterations: 1, lanes: 1 };
}

/// Derives the 32-byte master key from a passphrase: Argon2id(passphrase, salt, params).
pub fn derive_master_key(passphrase: &[u8], salt: &[u8; SALT_LEN], params: KdfParams) -> Key {
    let argon_params = argon2::Params::new(params.memory_kib, params.iterations, params.lanes, Some(KEY_LEN))
        .expect("KdfParams are fixed and valid");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon_params);
    let mut out = [0u8; KEY_LEN];
    argon
        .hash_password_into(passphrase, salt, &mut out)
        .expect("passphrase length within Argon2 limits and enough memory");
    let key = Key(out);
    out.zeroize();
    key
}

/// HKDF-SHA-256 expand of `ikm` with `info` into a 32-byte key (no salt: `ikm` is already
/// uniformly random, it is an Argon2id output).
pub fn derive_subkey(ikm: &Key, info: &[u8]) -> Key {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, ikm.as_bytes());
    let mut out = [0u8; KEY_LEN];
    hk.expand(info, &mut out).expect("32 bytes is a valid HKDF-SHA256 output length");
    let key = Key(out);
    out.zeroize();
    key
}

/// Length of a keyed tag ([`Tagger`]).
pub const TAG16_LEN: usize = 16;

/// HMAC-SHA-256 under one key, truncated to 16 bytes: the keyed tag that marks the header
/// blocks of a compartment above level 0 (format version 2) so that an open finds them
/// without an AEAD attempt per block. The keyed state is computed once and cloned per tag.
#[derive(Clone)]
pub struct Tagger(hmac::Hmac<sha2::Sha256>);

impl Tagger {
    pub fn new(key: &Key) -> Tagger {
        use hmac::KeyInit;
        Tagger(hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length"))
    }

    /// The tag of the concatenation of `parts`.
    pub fn tag(&self, parts: &[&[u8]]) -> [u8; TAG16_LEN] {
        use hmac::Mac;
        let mut mac = self.0.clone();
        for p in parts {
            mac.update(p);
        }
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; TAG16_LEN];
        out.copy_from_slice(&full[..TAG16_LEN]);
        out
    }

    /// Whether `tag` is the tag of `parts` (compared without an early exit).
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> bool {
        let want = self.tag(parts);
        tag.len() == TAG16_LEN && want.iter().zip(tag).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tagger(redacted)")
    }
}

/// Seals `buf` in place: `buf` must be `NONCE_LEN + plaintext + TAG_LEN` long with the
/// plaintext in the middle. A fresh random nonce goes in front, the tag at the end.
pub fn seal_in_place(key: &Key, aad: &[u8], buf: &mut [u8]) {
    assert!(buf.len() >= NONCE_LEN + TAG_LEN, "sealed buffer shorter than nonce + tag");
    fill_random(&mut buf[..NONCE_LEN]);
    seal_with_nonce_in_place(&XChaCha20Poly1305::new(key.as_bytes().into()), aad, buf);
}

/// Seals many equal-sized units in place (each `NONCE_LEN + plaintext + TAG_LEN`, laid end to
/// end in `buf`), with one key and one call to the OS random generator for all nonces.
/// `aad_of(i)` gives the associated data of unit `i`.
pub fn seal_units_in_place<const A: usize>(
    key: &Key,
    unit_len: usize,
    buf: &mut [u8],
    aad_of: impl Fn(usize) -> [u8; A],
) {
    assert!(unit_len >= NONCE_LEN + TAG_LEN && buf.len().is_multiple_of(unit_len), "bad unit layout");
    let count = buf.len() / unit_len;
    let mut nonces = vec![0u8; count * NONCE_LEN];
    fill_random(&mut nonces);
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    for (i, unit) in buf.chunks_exact_mut(unit_len).enumerate() {
        unit[..NONCE_LEN].copy_from_slice(&nonces[i * NONCE_LEN..(i + 1) * NONCE_LEN]);
        seal_with_nonce_in_place(&cipher, &aad_of(i), unit);
    }
}

/// Seals with the (random) nonce already in `buf[..NONCE_LEN]`.
fn seal_with_nonce_in_place(cipher: &XChaCha20Poly1305, aad: &[u8], buf: &mut [u8]) {
    let (nonce, rest) = buf.split_at_mut(NONCE_LEN);
    let body_len = rest.len() - TAG_LEN;
    let (body, tag_out) = rest.split_at_mut(body_len);
    let nonce = XNonce::try_from(&*nonce).expect("nonce length checked");
    let tag =
        cipher.encrypt_inout_detached(&nonce, aad, body.into()).expect("block sizes are far below the XChaCha20 limit");
    tag_out.copy_from_slice(&tag);
}

/// Opens a buffer made by [`seal_in_place`], in place. On success the plaintext is
/// `buf[NONCE_LEN..len-TAG_LEN]`; on failure `buf` may hold garbage and `false` is returned.
#[must_use]
pub fn open_in_place(key: &Key, aad: &[u8], buf: &mut [u8]) -> bool {
    if buf.len() < NONCE_LEN + TAG_LEN {
        return false;
    }
    let (nonce, rest) = buf.split_at_mut(NONCE_LEN);
    let body_len = rest.len() - TAG_LEN;
    let (body, tag) = rest.split_at_mut(body_len);
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let nonce = XNonce::try_from(&*nonce).expect("nonce length checked");
    let tag = Tag::try_from(&*tag).expect("tag length checked");
    cipher.decrypt_inout_detached(&nonce, aad, body.into(), &tag).is_ok()
}

/// A passphrase in locked memory, zeroed on drop.
pub struct Passphrase(LockedBuf);

impl Passphrase {
    /// Takes the bytes of a passphrase (without the trailing newline). The source buffer
    /// should be zeroed by the caller afterwards.
    pub fn new(bytes: &[u8]) -> Passphrase {
        Passphrase(LockedBuf::from_slice(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_roundtrip_and_tamper() {
        let key = Key::random();
        let mut buf = vec![0u8; NONCE_LEN + 100 + TAG_LEN];
        buf[NONCE_LEN..NONCE_LEN + 100].copy_from_slice(&[7u8; 100]);
        seal_in_place(&key, b"aad", &mut buf);
        assert_ne!(&buf[NONCE_LEN..NONCE_LEN + 100], &[7u8; 100]);
        let sealed = buf.clone();
        assert!(open_in_place(&key, b"aad", &mut buf));
        assert_eq!(&buf[NONCE_LEN..NONCE_LEN + 100], &[7u8; 100]);
        let mut wrong_aad = sealed.clone();
        assert!(!open_in_place(&key, b"aaX", &mut wrong_aad));
        let mut flipped = sealed.clone();
        flipped[50] ^= 1;
        assert!(!open_in_place(&key, b"aad", &mut flipped));
        let mut wrong_key = sealed;
        assert!(!open_in_place(&Key::random(), b"aad", &mut wrong_key));
    }

    #[test]
    fn tagger_is_a_keyed_prf() {
        let k = Key::random();
        let t = Tagger::new(&k);
        let a = t.tag(&[b"ab", b"c"]);
        assert_eq!(a, t.tag(&[b"abc"]));
        assert!(t.verify(&[b"abc"], &a));
        assert!(!t.verify(&[b"abd"], &a));
        assert!(!Tagger::new(&Key::random()).verify(&[b"abc"], &a));
        // HMAC-SHA-256, RFC 4231 test case 2 (a key shorter than the hash block is padded
        // with zeros, so "Jefe" and "Jefe" followed by 28 zero bytes are the same key).
        let mut key = [0u8; KEY_LEN];
        key[..4].copy_from_slice(b"Jefe");
        let tag = Tagger::new(&Key::from_bytes(key)).tag(&[b"what do ya want ", b"for nothing?"]);
        let want = [0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7];
        assert_eq!(tag, want);
    }

    #[test]
    fn kdf_is_deterministic_and_salted() {
        let p = KdfParams::INSECURE_TEST_ONLY;
        let a = derive_master_key(b"pw", &[1; SALT_LEN], p);
        assert_eq!(a, derive_master_key(b"pw", &[1; SALT_LEN], p));
        assert_ne!(a, derive_master_key(b"pw", &[2; SALT_LEN], p));
        assert_ne!(a, derive_master_key(b"pW", &[1; SALT_LEN], p));
        assert_ne!(derive_subkey(&a, b"x"), derive_subkey(&a, b"y"));
    }
}
