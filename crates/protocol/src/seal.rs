//! Sealing a byte string to a recipient's public key, authenticated by the sender's
//! identity key.
//!
//! Wire form (see docs/PROTOCOL.md for the full specification):
//!
//! ```text
//! ephemeral public key (32 bytes, top bit random) || ciphertext || Poly1305 tag (16)
//! ```
//!
//! There is no header and no version in the clear: the bytes are indistinguishable from
//! random apart from the ephemeral key being a curve point. The key and the XChaCha20
//! nonce both come from HKDF-SHA256 over two X25519 results — ephemeral × recipient and
//! sender × recipient — so only the holder of the recipient's secret can open a message,
//! and only a holder of the sender's secret (or the recipient's) can have made it.

use core::fmt;

use zeroize::Zeroizing;

use crate::armor::MAX_ARMOR_PAYLOAD_LEN;
use crate::keys::{IdentitySecret, KEY_LEN, PublicKey};
use crate::primitives::{
    self, AEAD_KEY_LEN, AEAD_NONCE_LEN, AEAD_TAG_LEN, SharedSecret, X25519_LEN, cipher, decrypt, encrypt, fill_random,
};
use crate::random::RandomnessError;

/// Length of the ephemeral public key that starts every sealed message.
pub const EPHEMERAL_LEN: usize = X25519_LEN;
/// Length of the authentication tag.
pub const TAG_LEN: usize = AEAD_TAG_LEN;
/// Bytes a sealed message adds to its plaintext.
pub const SEAL_OVERHEAD: usize = EPHEMERAL_LEN + TAG_LEN;
/// Longest sealed message accepted, so that its armored text stays readable.
pub const MAX_SEALED_LEN: usize = MAX_ARMOR_PAYLOAD_LEN;
/// Longest plaintext that can be sealed.
pub const MAX_PLAINTEXT_LEN: usize = MAX_SEALED_LEN - SEAL_OVERHEAD;

/// HKDF salt of the message construction. A new construction gets a new salt.
const SEAL_SALT: &[u8] = b"lethe/seal/v1";
/// HKDF info prefix of the authenticated variant.
const INFO_AUTHENTICATED: &[u8] = b"authenticated";
/// HKDF info prefix of the anonymous variant.
const INFO_ANONYMOUS: &[u8] = b"anonymous";
/// Derived bytes per sealed message: the AEAD key, then the whole nonce.
const SEAL_OKM_LEN: usize = AEAD_KEY_LEN + AEAD_NONCE_LEN;

/// Why a plaintext could not be sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SealError {
    /// The plaintext is longer than [`MAX_PLAINTEXT_LEN`].
    TooLong {
        /// Plaintext length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A Diffie-Hellman result was zero; cannot happen with validated [`PublicKey`]s.
    WeakKey,
    /// The system's random number generator failed.
    Randomness(RandomnessError),
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SealError::TooLong { len, max } => {
                write!(f, "too much to seal in one message ({len} bytes, at most {max})")
            }
            SealError::WeakKey => write!(f, "the recipient's public key is not usable"),
            SealError::Randomness(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SealError {}

impl From<RandomnessError> for SealError {
    fn from(e: RandomnessError) -> Self {
        SealError::Randomness(e)
    }
}

/// Why sealed bytes could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenError {
    /// Shorter than [`SEAL_OVERHEAD`]: cannot be a sealed message.
    TooShort {
        /// Length in bytes.
        len: usize,
    },
    /// Longer than [`MAX_SEALED_LEN`]; refused without trying.
    TooLong {
        /// Length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// No key opens it: it was sealed to someone else, by a sender not among the
    /// candidates, or it was altered. These cases are deliberately one error: telling
    /// them apart would need information only a successful opening gives.
    CannotOpen,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::TooShort { len } => {
                write!(f, "too short to be a sealed message ({len} bytes, at least {SEAL_OVERHEAD})")
            }
            OpenError::TooLong { len, max } => {
                write!(f, "too long to be a message ({len} bytes, at most {max}); not read")
            }
            OpenError::CannotOpen => write!(f, "cannot be opened with this key: not addressed to you, or altered"),
        }
    }
}

impl std::error::Error for OpenError {}

/// Key material for one sealed object: AEAD key and nonce material, wiped on drop.
pub(crate) struct DerivedKey<const N: usize> {
    okm: Zeroizing<[u8; N]>,
}

impl<const N: usize> DerivedKey<N> {
    pub(crate) fn aead_key(&self) -> &[u8] {
        &self.okm[..AEAD_KEY_LEN]
    }

    pub(crate) fn nonce_material(&self) -> &[u8] {
        &self.okm[AEAD_KEY_LEN..]
    }
}

/// HKDF-SHA256(salt, ikm = shared secrets concatenated, info = prefix || E || [S] || R).
pub(crate) fn derive<const N: usize>(
    salt: &[u8],
    info_prefix: &[u8],
    shared: &[&SharedSecret],
    ephemeral_wire: &[u8; EPHEMERAL_LEN],
    sender: Option<&PublicKey>,
    recipient: &PublicKey,
) -> DerivedKey<N> {
    let mut ikm = Zeroizing::new([0u8; 64]);
    let mut ikm_len = 0;
    for part in shared.iter().take(2) {
        ikm[ikm_len..ikm_len + X25519_LEN].copy_from_slice(part.as_bytes());
        ikm_len += X25519_LEN;
    }
    let mut info = Vec::with_capacity(info_prefix.len() + 3 * KEY_LEN);
    info.extend_from_slice(info_prefix);
    info.extend_from_slice(ephemeral_wire);
    if let Some(sender) = sender {
        info.extend_from_slice(sender.as_bytes());
    }
    info.extend_from_slice(recipient.as_bytes());
    let okm = primitives::hkdf_sha256(salt, &ikm[..ikm_len], &info);
    DerivedKey { okm }
}

/// A fresh ephemeral key: its secret, and its public key as sent on the wire with the
/// unused top bit set at random.
pub(crate) fn fresh_ephemeral() -> Result<(IdentitySecret, [u8; EPHEMERAL_LEN]), RandomnessError> {
    let mut bytes = Zeroizing::new([0u8; 33]);
    fill_random(bytes.as_mut())?;
    let mut secret_bytes = Zeroizing::new([0u8; 32]);
    secret_bytes.copy_from_slice(&bytes[..32]);
    let secret = IdentitySecret::from_bytes(&secret_bytes);
    let mut wire = secret.public_key().to_bytes();
    // X25519 ignores bit 255; a constant 0 there would mark every message.
    wire[31] |= bytes[32] & 0x80;
    Ok((secret, wire))
}

/// The ephemeral public key from its wire form (top bit cleared), or `None` if it is
/// not a valid key.
pub(crate) fn ephemeral_from_wire(wire: &[u8; EPHEMERAL_LEN]) -> Option<PublicKey> {
    let mut bytes = *wire;
    bytes[31] &= 0x7F;
    PublicKey::from_bytes(&bytes).ok()
}

fn nonce_of(key: &DerivedKey<SEAL_OKM_LEN>) -> [u8; AEAD_NONCE_LEN] {
    let mut nonce = [0u8; AEAD_NONCE_LEN];
    nonce.copy_from_slice(key.nonce_material());
    nonce
}

fn seal_with(
    ephemeral: &IdentitySecret,
    ephemeral_wire: [u8; EPHEMERAL_LEN],
    sender: Option<&IdentitySecret>,
    recipient: &PublicKey,
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    if plaintext.len() > MAX_PLAINTEXT_LEN {
        return Err(SealError::TooLong { len: plaintext.len(), max: MAX_PLAINTEXT_LEN });
    }
    let ephemeral_shared = ephemeral.diffie_hellman(recipient).ok_or(SealError::WeakKey)?;
    let key: DerivedKey<SEAL_OKM_LEN> = match sender {
        Some(sender) => {
            let static_shared = sender.diffie_hellman(recipient).ok_or(SealError::WeakKey)?;
            let sender_public = sender.public_key();
            derive(
                SEAL_SALT,
                INFO_AUTHENTICATED,
                &[&ephemeral_shared, &static_shared],
                &ephemeral_wire,
                Some(&sender_public),
                recipient,
            )
        }
        None => derive(SEAL_SALT, INFO_ANONYMOUS, &[&ephemeral_shared], &ephemeral_wire, None, recipient),
    };
    let cipher = cipher(key.aead_key()).ok_or(SealError::WeakKey)?;
    let mut wire = Vec::with_capacity(SEAL_OVERHEAD + plaintext.len());
    wire.extend_from_slice(&ephemeral_wire);
    wire.extend_from_slice(plaintext);
    let tag = encrypt(&cipher, &nonce_of(&key), &mut wire[EPHEMERAL_LEN..])
        .ok_or(SealError::TooLong { len: plaintext.len(), max: MAX_PLAINTEXT_LEN })?;
    wire.extend_from_slice(&tag);
    Ok(wire)
}

/// Seals `plaintext` from `sender` to `recipient`. Only `recipient`'s secret key opens
/// the result, and opening names `sender` as the author.
pub fn seal(sender: &IdentitySecret, recipient: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    let (ephemeral, wire) = fresh_ephemeral()?;
    seal_with(&ephemeral, wire, Some(sender), recipient, plaintext)
}

/// Seals `plaintext` to `recipient` without naming a sender: anyone can have made it.
/// Opened with [`open_anonymous`] only (the two variants never open each other's output).
pub fn seal_anonymous(recipient: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    let (ephemeral, wire) = fresh_ephemeral()?;
    seal_with(&ephemeral, wire, None, recipient, plaintext)
}

/// The three parts of sealed bytes.
type Parts<'a> = ([u8; EPHEMERAL_LEN], &'a [u8], &'a [u8]);

/// Checks the length of sealed bytes and splits them into ephemeral key, ciphertext and tag.
fn split(wire: &[u8]) -> Result<Parts<'_>, OpenError> {
    if wire.len() < SEAL_OVERHEAD {
        return Err(OpenError::TooShort { len: wire.len() });
    }
    if wire.len() > MAX_SEALED_LEN {
        return Err(OpenError::TooLong { len: wire.len(), max: MAX_SEALED_LEN });
    }
    let (ephemeral, rest) = wire.split_at(EPHEMERAL_LEN);
    let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
    let mut ephemeral_wire = [0u8; EPHEMERAL_LEN];
    ephemeral_wire.copy_from_slice(ephemeral);
    Ok((ephemeral_wire, ciphertext, tag))
}

fn try_open(key: &DerivedKey<SEAL_OKM_LEN>, ciphertext: &[u8], tag: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = cipher(key.aead_key())?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    decrypt(&cipher, &nonce_of(key), &mut buffer, tag).then_some(buffer)
}

/// Opens sealed bytes with `recipient`'s secret key, trying each of
/// `candidate_senders` in turn. Returns the index of the sender that made it and the
/// plaintext (wiped from memory when dropped).
///
/// Cost: one X25519 for the ephemeral key plus one X25519 and one AEAD attempt per
/// candidate tried, so a few dozen candidates take well under a millisecond each.
pub fn open(
    recipient: &IdentitySecret,
    candidate_senders: &[PublicKey],
    wire: &[u8],
) -> Result<(usize, Zeroizing<Vec<u8>>), OpenError> {
    let (ephemeral_wire, ciphertext, tag) = split(wire)?;
    let ephemeral = ephemeral_from_wire(&ephemeral_wire).ok_or(OpenError::CannotOpen)?;
    let ephemeral_shared = recipient.diffie_hellman(&ephemeral).ok_or(OpenError::CannotOpen)?;
    let recipient_public = recipient.public_key();
    for (index, sender) in candidate_senders.iter().enumerate() {
        // DH(sender secret, recipient public) = DH(recipient secret, sender public).
        let Some(static_shared) = recipient.diffie_hellman(sender) else {
            continue;
        };
        let key = derive(
            SEAL_SALT,
            INFO_AUTHENTICATED,
            &[&ephemeral_shared, &static_shared],
            &ephemeral_wire,
            Some(sender),
            &recipient_public,
        );
        if let Some(plaintext) = try_open(&key, ciphertext, tag) {
            return Ok((index, plaintext));
        }
    }
    Err(OpenError::CannotOpen)
}

/// Opens bytes made by [`seal_anonymous`].
pub fn open_anonymous(recipient: &IdentitySecret, wire: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    let (ephemeral_wire, ciphertext, tag) = split(wire)?;
    let ephemeral = ephemeral_from_wire(&ephemeral_wire).ok_or(OpenError::CannotOpen)?;
    let ephemeral_shared = recipient.diffie_hellman(&ephemeral).ok_or(OpenError::CannotOpen)?;
    let key = derive(SEAL_SALT, INFO_ANONYMOUS, &[&ephemeral_shared], &ephemeral_wire, None, &recipient.public_key());
    try_open(&key, ciphertext, tag).ok_or(OpenError::CannotOpen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::IdentityKeyPair;
    use proptest::prelude::*;

    fn pair() -> IdentityKeyPair {
        IdentityKeyPair::generate().unwrap()
    }

    #[test]
    fn round_trip_names_the_sender() {
        let (hub, field, other) = (pair(), pair(), pair());
        let wire = seal(field.secret(), hub.public_key(), b"delivered").unwrap();
        assert_eq!(wire.len(), b"delivered".len() + SEAL_OVERHEAD);
        let candidates = [*other.public_key(), *field.public_key()];
        let (index, plaintext) = open(hub.secret(), &candidates, &wire).unwrap();
        assert_eq!(index, 1);
        assert_eq!(plaintext.as_slice(), b"delivered");
    }

    #[test]
    fn wrong_recipient_or_unknown_sender_cannot_open() {
        let (hub, field, other) = (pair(), pair(), pair());
        let wire = seal(field.secret(), hub.public_key(), b"x").unwrap();
        assert_eq!(open(other.secret(), &[*field.public_key()], &wire).unwrap_err(), OpenError::CannotOpen);
        assert_eq!(open(hub.secret(), &[*other.public_key()], &wire).unwrap_err(), OpenError::CannotOpen);
        assert_eq!(open(hub.secret(), &[], &wire).unwrap_err(), OpenError::CannotOpen);
        // The sender cannot open what it sealed to the hub (the field keeps only ciphertext).
        assert_eq!(
            open(field.secret(), &[*field.public_key(), *hub.public_key()], &wire).unwrap_err(),
            OpenError::CannotOpen
        );
    }

    #[test]
    fn ciphertext_hides_plaintext_and_differs_each_time() {
        let (hub, field) = (pair(), pair());
        let plaintext = b"the answer is dog the answer is dog";
        let a = seal(field.secret(), hub.public_key(), plaintext).unwrap();
        let b = seal(field.secret(), hub.public_key(), plaintext).unwrap();
        assert_ne!(a, b);
        assert!(!a.windows(6).any(|w| w == b"answer"));
    }

    #[test]
    fn top_bit_of_ephemeral_varies() {
        let (hub, field) = (pair(), pair());
        let mut seen = [false; 2];
        for _ in 0..64 {
            let wire = seal(field.secret(), hub.public_key(), b"").unwrap();
            seen[usize::from(wire[31] >> 7)] = true;
        }
        assert_eq!(seen, [true, true], "bit 255 should be random, not constant");
    }

    #[test]
    fn anonymous_variant_round_trip_and_separation() {
        let (hub, field) = (pair(), pair());
        let wire = seal_anonymous(hub.public_key(), b"anon").unwrap();
        assert_eq!(open_anonymous(hub.secret(), &wire).unwrap().as_slice(), b"anon");
        assert_eq!(open(hub.secret(), &[*field.public_key()], &wire).unwrap_err(), OpenError::CannotOpen);
        let authenticated = seal(field.secret(), hub.public_key(), b"auth").unwrap();
        assert_eq!(open_anonymous(hub.secret(), &authenticated).unwrap_err(), OpenError::CannotOpen);
    }

    #[test]
    fn length_limits() {
        let (hub, field) = (pair(), pair());
        let too_big = vec![0u8; MAX_PLAINTEXT_LEN + 1];
        assert!(matches!(seal(field.secret(), hub.public_key(), &too_big), Err(SealError::TooLong { .. })));
        let biggest = vec![7u8; MAX_PLAINTEXT_LEN];
        let wire = seal(field.secret(), hub.public_key(), &biggest).unwrap();
        assert_eq!(wire.len(), MAX_SEALED_LEN);
        assert_eq!(open(hub.secret(), &[*field.public_key()], &wire).unwrap().1.len(), biggest.len());
        for len in [0, 1, SEAL_OVERHEAD - 1] {
            assert_eq!(
                open(hub.secret(), &[*field.public_key()], &vec![0u8; len]).unwrap_err(),
                OpenError::TooShort { len }
            );
        }
        let long = vec![0u8; MAX_SEALED_LEN + 1];
        assert!(matches!(open(hub.secret(), &[*field.public_key()], &long), Err(OpenError::TooLong { .. })));
    }

    #[test]
    fn small_order_ephemeral_rejected() {
        let (hub, field) = (pair(), pair());
        let mut wire = seal(field.secret(), hub.public_key(), b"hello").unwrap();
        wire[..32].fill(0);
        assert_eq!(open(hub.secret(), &[*field.public_key()], &wire).unwrap_err(), OpenError::CannotOpen);
    }

    /// Positive control for the tamper proptest: an unauthenticated stream cipher would
    /// accept a flipped bit and return altered plaintext.
    #[test]
    fn control_unauthenticated_encryption_accepts_flips() {
        let (hub, field) = (pair(), pair());
        let wire = seal(field.secret(), hub.public_key(), b"amount 100").unwrap();
        // Decrypt ignoring the tag: rebuild the keystream XOR by hand.
        let eph = ephemeral_from_wire(wire[..32].try_into().unwrap()).unwrap();
        let e = hub.secret().diffie_hellman(&eph).unwrap();
        let s = hub.secret().diffie_hellman(field.public_key()).unwrap();
        let key: DerivedKey<56> = derive(
            SEAL_SALT,
            INFO_AUTHENTICATED,
            &[&e, &s],
            wire[..32].try_into().unwrap(),
            Some(field.public_key()),
            hub.public_key(),
        );
        let cipher = cipher(key.aead_key()).unwrap();
        let mut zeros = vec![0u8; 10];
        let _ = encrypt(&cipher, &nonce_of(&key), &mut zeros); // zeros become the keystream
        let mut flipped = wire[32..42].to_vec();
        flipped[7] ^= 0x01;
        let naive: Vec<u8> = flipped.iter().zip(&zeros).map(|(c, k)| c ^ k).collect();
        assert_eq!(naive, b"amount 000", "a naive decryption returns the altered amount");
        let mut tampered = wire.clone();
        tampered[32 + 7] ^= 0x01;
        assert_eq!(open(hub.secret(), &[*field.public_key()], &tampered).unwrap_err(), OpenError::CannotOpen);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_flipped_bit_is_rejected(
            plaintext in proptest::collection::vec(any::<u8>(), 0..100),
            bit in any::<prop::sample::Index>(),
        ) {
            let (hub, field) = (pair(), pair());
            let mut wire = seal(field.secret(), hub.public_key(), &plaintext).unwrap();
            let bit = bit.index(wire.len() * 8);
            wire[bit / 8] ^= 1 << (bit % 8);
            prop_assert_eq!(
                open(hub.secret(), &[*field.public_key()], &wire).unwrap_err(),
                OpenError::CannotOpen
            );
        }

        #[test]
        fn arbitrary_bytes_never_open(wire in proptest::collection::vec(any::<u8>(), 0..200)) {
            let (hub, field) = (pair(), pair());
            prop_assert!(open(hub.secret(), &[*field.public_key()], &wire).is_err());
            prop_assert!(open_anonymous(hub.secret(), &wire).is_err());
        }
    }
}
