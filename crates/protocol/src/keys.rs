//! Identity keys: an X25519 key pair per role (hub or field), the public half written as
//! short armored text, and a safety code both sides compare by voice.

use core::fmt;

use zeroize::Zeroizing;

use crate::armor::{self, ArmorError};
use crate::primitives::{self, SharedSecret, X25519Secret, fill_random};
use crate::random::RandomnessError;

/// Length of a secret key and of a public key in bytes.
pub const KEY_LEN: usize = primitives::X25519_LEN;

/// Domain label hashed into the safety code, so the code is not a hash that means
/// anything elsewhere.
const SAFETY_CODE_LABEL: &[u8] = b"lethe/safety-code/v1";

/// A long-term X25519 secret key. Its bytes are wiped from memory when it is dropped
/// and never appear in `Debug` output.
#[derive(Clone)]
pub struct IdentitySecret {
    secret: X25519Secret,
}

impl IdentitySecret {
    /// Generates a new secret key from the operating system's randomness.
    pub fn generate() -> Result<Self, RandomnessError> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(bytes.as_mut())?;
        Ok(Self::from_bytes(&bytes))
    }

    /// Rebuilds a secret key from the bytes returned by [`IdentitySecret::to_bytes`].
    /// Any 32 bytes are a valid X25519 secret (they are clamped when used).
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Self {
        IdentitySecret { secret: X25519Secret::from_bytes(bytes) }
    }

    /// The secret key's bytes, in memory that is wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; KEY_LEN]> {
        self.secret.to_bytes()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey { bytes: self.secret.public_key() }
    }

    /// X25519 with `their` public key: the 32-byte shared secret, or `None` when the
    /// result is all zero (their key has small order, which validated keys never have).
    pub(crate) fn diffie_hellman(&self, their: &PublicKey) -> Option<SharedSecret> {
        self.secret.diffie_hellman(&their.bytes)
    }
}

impl fmt::Debug for IdentitySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdentitySecret(<redacted>)")
    }
}

/// A secret key together with its public key.
#[derive(Clone, Debug)]
pub struct IdentityKeyPair {
    secret: IdentitySecret,
    public: PublicKey,
}

impl IdentityKeyPair {
    /// Generates a new key pair.
    pub fn generate() -> Result<Self, RandomnessError> {
        Ok(Self::from_secret(IdentitySecret::generate()?))
    }

    /// Completes a stored secret key with its public key.
    pub fn from_secret(secret: IdentitySecret) -> Self {
        let public = secret.public_key();
        IdentityKeyPair { secret, public }
    }

    /// The secret half.
    pub fn secret(&self) -> &IdentitySecret {
        &self.secret
    }

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }
}

/// Why bytes or text are not a usable public key.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The text could not be read (bad character, checksum, truncated...).
    Armor(ArmorError),
    /// The text decoded to the wrong number of bytes: it is not a public key (perhaps a
    /// message pasted in the wrong place).
    WrongLength {
        /// Bytes found.
        len: usize,
    },
    /// The bytes are not a valid X25519 public key: non-canonical encoding or a point of
    /// small order, which would make every shared secret predictable.
    Invalid,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Armor(e) => write!(f, "public key text: {e}"),
            KeyError::WrongLength { len } => {
                write!(f, "this text is not a public key (it holds {len} bytes, a key has {KEY_LEN})")
            }
            KeyError::Invalid => write!(f, "this is not a valid public key"),
        }
    }
}

impl std::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeyError::Armor(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ArmorError> for KeyError {
    fn from(e: ArmorError) -> Self {
        KeyError::Armor(e)
    }
}

/// An X25519 public key, validated: canonical and not of small order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey {
    bytes: [u8; KEY_LEN],
}

impl PublicKey {
    /// Accepts the 32 bytes of a public key after checking that they are a canonical
    /// encoding (below 2²⁵⁵ − 19, top bit clear) of a point that is not of small order.
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Result<Self, KeyError> {
        if !is_canonical(bytes) {
            return Err(KeyError::Invalid);
        }
        if primitives::x25519_has_small_order(bytes) {
            return Err(KeyError::Invalid);
        }
        Ok(PublicKey { bytes: *bytes })
    }

    /// The 32 bytes of the key.
    pub fn to_bytes(&self) -> [u8; KEY_LEN] {
        self.bytes
    }

    /// The 32 bytes of the key, borrowed.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// The key as armored text: 58 base32 characters in groups of 5 with a checksum,
    /// e.g. for reading aloud or pasting in a chat.
    pub fn to_text(&self) -> String {
        armor::armor(&self.bytes)
    }

    /// Reads a key written by [`PublicKey::to_text`] (tolerant of case, spacing and
    /// line breaks, like all armored text).
    pub fn from_text(text: &str) -> Result<Self, KeyError> {
        let bytes = armor::dearmor(text)?;
        let array: [u8; KEY_LEN] =
            bytes.as_slice().try_into().map_err(|_| KeyError::WrongLength { len: bytes.len() })?;
        Self::from_bytes(&array)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_text())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// True when `bytes`, read little-endian, is below p = 2²⁵⁵ − 19.
fn is_canonical(bytes: &[u8; KEY_LEN]) -> bool {
    if bytes[31] & 0x80 != 0 {
        return false;
    }
    // The only 255-bit values >= p are p..2^255-1: 0x7F then 30 bytes 0xFF and a low byte >= 0xED.
    !(bytes[31] == 0x7F && bytes[1..31].iter().all(|&b| b == 0xFF) && bytes[0] >= 0xED)
}

/// A short code that is the same on both sides of a pairing (it does not depend on the
/// order of the two keys) and changes completely if either key differs: 12 decimal
/// digits in groups of 3, e.g. `"042 917 338 605"`, about 40 bits.
///
/// Both people read it to each other by voice or compare in person; a mismatch means a
/// key was swapped in transit.
pub fn safety_code(a: &PublicKey, b: &PublicKey) -> String {
    let (low, high) = if a.bytes <= b.bytes { (a, b) } else { (b, a) };
    let mut hasher = primitives::Sha256Hasher::new();
    hasher.update(SAFETY_CODE_LABEL);
    hasher.update(&low.bytes);
    hasher.update(&high.bytes);
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // 2^64 / 10^12 > 18 million, so the bias of the reduction is below 10^-7.
    let number = u64::from_be_bytes(first) % 1_000_000_000_000;
    let digits = format!("{number:012}");
    format!("{} {} {} {}", &digits[0..3], &digits[3..6], &digits[6..9], &digits[9..12])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn secret_round_trip_and_public_matches() {
        let pair = IdentityKeyPair::generate().unwrap();
        let restored = IdentitySecret::from_bytes(&pair.secret().to_bytes());
        assert_eq!(&restored.public_key(), pair.public_key());
        let other = IdentityKeyPair::generate().unwrap();
        assert_ne!(other.public_key(), pair.public_key());
    }

    #[test]
    fn debug_does_not_print_secret() {
        let secret = IdentitySecret::from_bytes(&[0xAB; 32]);
        let shown = format!("{secret:?} {:?}", IdentityKeyPair::from_secret(secret.clone()));
        assert!(!shown.contains("171"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn rfc7748_public_key_vector() {
        // RFC 7748 section 6.1, Alice's key pair.
        let secret = hex32("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        let public = hex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assert_eq!(IdentitySecret::from_bytes(&secret).public_key().to_bytes(), public);
    }

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn text_round_trip() {
        let public = *IdentityKeyPair::generate().unwrap().public_key();
        let text = public.to_text();
        assert_eq!(text.len(), 58 + 11);
        assert_eq!(PublicKey::from_text(&text).unwrap(), public);
        assert_eq!(PublicKey::from_text(&text.to_lowercase()).unwrap(), public);
    }

    #[test]
    fn text_errors() {
        assert!(matches!(PublicKey::from_text(&armor::armor(b"not a key")), Err(KeyError::WrongLength { len: 9 })));
        assert!(matches!(PublicKey::from_text("ZZZZ"), Err(KeyError::Armor(_))));
    }

    #[test]
    fn small_order_and_non_canonical_keys_rejected() {
        let mut zero = [0u8; 32];
        assert_eq!(PublicKey::from_bytes(&zero), Err(KeyError::Invalid));
        zero[0] = 1; // u = 1 has order 4
        assert_eq!(PublicKey::from_bytes(&zero), Err(KeyError::Invalid));
        // A point of order 8 (from the published list of X25519 small-order points).
        let order8 = hex32("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        assert_eq!(PublicKey::from_bytes(&order8), Err(KeyError::Invalid));
        // p - 1 + 1 = p itself: non-canonical.
        let mut p = [0xFFu8; 32];
        p[0] = 0xED;
        p[31] = 0x7F;
        assert_eq!(PublicKey::from_bytes(&p), Err(KeyError::Invalid));
        let mut top = IdentityKeyPair::generate().unwrap().public_key().to_bytes();
        top[31] |= 0x80;
        assert_eq!(PublicKey::from_bytes(&top), Err(KeyError::Invalid));
        // Control: the real key is accepted.
        top[31] &= 0x7F;
        assert!(PublicKey::from_bytes(&top).is_ok());
    }

    #[test]
    fn safety_code_shape_and_symmetry() {
        let a = *IdentityKeyPair::generate().unwrap().public_key();
        let b = *IdentityKeyPair::generate().unwrap().public_key();
        let code = safety_code(&a, &b);
        assert_eq!(code, safety_code(&b, &a));
        assert_eq!(code.len(), 15);
        assert!(code.split(' ').all(|g| g.len() == 3 && g.bytes().all(|c| c.is_ascii_digit())));
        let c = *IdentityKeyPair::generate().unwrap().public_key();
        assert_ne!(code, safety_code(&a, &c));
    }

    proptest! {
        #[test]
        fn safety_code_is_order_independent(x in any::<[u8; 32]>(), y in any::<[u8; 32]>()) {
            let a = IdentitySecret::from_bytes(&x).public_key();
            let b = IdentitySecret::from_bytes(&y).public_key();
            prop_assert_eq!(safety_code(&a, &b), safety_code(&b, &a));
        }

        #[test]
        fn any_bytes_either_valid_key_or_error(bytes in any::<[u8; 32]>()) {
            if let Ok(key) = PublicKey::from_bytes(&bytes) {
                prop_assert_eq!(PublicKey::from_text(&key.to_text()).unwrap(), key);
            }
        }
    }
}
