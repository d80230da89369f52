//! Pairing the field with the hub so that an attacker who relays (and rewrites) the chat
//! messages cannot put her own keys in between, and the secret both sides keep from it.
//!
//! Two ways, both ending in the same [`Transcript`]:
//!
//! - **Remote (commit, then reveal)**, for pairing over a chat and comparing a short code by
//!   voice. The field first sends a [`PairOffer`]: a hash committing to its public key and a
//!   fresh nonce. The hub answers with a [`PairReply`]: its public key and a fresh nonce.
//!   Only then does the field send its [`PairReveal`] (key and nonce), which the hub checks
//!   against the commitment. Both compute a 12-digit code from both keys and both nonces.
//!   Each side fixed its contribution before it could see what it is combined with, so a
//!   relaying attacker gets no chance to search for keys that make the two codes agree: per
//!   attempt she succeeds with probability 10⁻¹² (about 2⁻⁴⁰), whatever her computing power.
//! - **Direct (one key each way)**, for pairing in person. No nonces; both sides compare the
//!   full [`Transcript::fingerprint`] of 160 bits (32 characters, or a QR code of them). A
//!   relaying attacker must find two keys whose fingerprints collide: 2⁸⁰ work.
//!
//! The [`Transcript`] also gives the **channel key**, a 32-byte secret only the two paired
//! sides hold (from their X25519 identity keys and the transcript), from which sub-keys for
//! other purposes are derived by label with [`channel_subkey`].
//!
//! The byte layout is in docs/PROTOCOL.md, section *Pairing*.

use core::fmt;

use zeroize::Zeroizing;

use crate::armor::{self, ArmorError};
use crate::keys::{IdentitySecret, KeyError, PublicKey};
use crate::primitives::{self, Sha256Hasher, fill_random};
use crate::random::RandomnessError;

/// Length of a pairing nonce.
pub const NONCE_LEN: usize = 16;
/// Bits of the short code (12 decimal digits: log2(10^12) is 39.9).
pub const SHORT_CODE_DIGITS: usize = 12;
/// Bits of the fingerprint compared in person.
pub const FINGERPRINT_BITS: usize = 160;

const COMMIT_LABEL: &[u8] = b"lethe/pair-commit/v2";
const TRANSCRIPT_REMOTE_LABEL: &[u8] = b"lethe/pair-remote/v2";
const TRANSCRIPT_DIRECT_LABEL: &[u8] = b"lethe/pair-direct/v2";
const CODE_LABEL: &[u8] = b"lethe/pair-code/v2";
const FINGERPRINT_LABEL: &[u8] = b"lethe/pair-fingerprint/v2";
const CHANNEL_KEY_SALT: &[u8] = b"lethe/channel-key/v2";
const CHANNEL_SUBKEY_SALT: &[u8] = b"lethe/channel-subkey/v2";

/// First byte of each pairing text, so that one pasted in the wrong place is named.
const TAG_OFFER: u8 = 0xC1;
const TAG_REPLY: u8 = 0xC2;
const TAG_REVEAL: u8 = 0xC3;

const OFFER_LEN: usize = 1 + 32;
const REPLY_LEN: usize = 1 + 32 + NONCE_LEN;

/// Why a pairing text cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PairingError {
    /// The text could not be read (mistyped, cut off...).
    Armor(ArmorError),
    /// The text is readable but is not any pairing text or public key.
    NotPairingText {
        /// Bytes found.
        len: usize,
    },
    /// The key inside is not a valid public key.
    BadKey(KeyError),
    /// The revealed key and nonce are not the ones the offer committed to: the texts
    /// were altered or come from two different attempts. Start the pairing again.
    CommitmentMismatch,
    /// No random numbers.
    Randomness(RandomnessError),
}

impl fmt::Display for PairingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PairingError::Armor(e) => write!(f, "{e}"),
            PairingError::NotPairingText { len } => write!(
                f,
                "this text is not a pairing text or a public key ({len} bytes); paste the whole text the other side sent"
            ),
            PairingError::BadKey(e) => write!(f, "{e}"),
            PairingError::CommitmentMismatch => write!(
                f,
                "the broker's key does not match the pairing request she sent first: the texts were altered, or come from two different attempts; nothing was paired, start again"
            ),
            PairingError::Randomness(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PairingError {}

impl From<ArmorError> for PairingError {
    fn from(e: ArmorError) -> Self {
        PairingError::Armor(e)
    }
}

impl From<RandomnessError> for PairingError {
    fn from(e: RandomnessError) -> Self {
        PairingError::Randomness(e)
    }
}

/// A fresh random nonce.
pub fn fresh_nonce() -> Result<[u8; NONCE_LEN], RandomnessError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    Ok(nonce)
}

/// `SHA-256("lethe/pair-commit/v2" || field_key || field_nonce)`.
fn commitment(field_key: &PublicKey, field_nonce: &[u8; NONCE_LEN]) -> [u8; 32] {
    let mut h = Sha256Hasher::new();
    h.update(COMMIT_LABEL);
    h.update(field_key.as_bytes());
    h.update(field_nonce);
    h.finalize()
}

/// Field → hub, first: a commitment to the field's key and nonce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairOffer {
    /// The commitment.
    pub commitment: [u8; 32],
}

impl PairOffer {
    /// The offer committing to `field_key` and `field_nonce` (keep the nonce secret until
    /// the reveal).
    pub fn new(field_key: &PublicKey, field_nonce: &[u8; NONCE_LEN]) -> Self {
        PairOffer { commitment: commitment(field_key, field_nonce) }
    }

    /// As armored text.
    pub fn to_text(&self) -> String {
        let mut bytes = Vec::with_capacity(OFFER_LEN);
        bytes.push(TAG_OFFER);
        bytes.extend_from_slice(&self.commitment);
        armor::armor(&bytes)
    }

    /// Checks that `reveal` opens this commitment.
    pub fn verify(&self, reveal: &PairReveal) -> Result<(), PairingError> {
        let expected = commitment(&reveal.field_key, &reveal.field_nonce);
        // Both values are public: no need for a constant-time comparison.
        if expected == self.commitment { Ok(()) } else { Err(PairingError::CommitmentMismatch) }
    }
}

/// Hub → field: the hub's key and nonce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairReply {
    /// The hub's public key.
    pub hub_key: PublicKey,
    /// The hub's fresh nonce.
    pub hub_nonce: [u8; NONCE_LEN],
}

impl PairReply {
    /// As armored text.
    pub fn to_text(&self) -> String {
        key_and_nonce_text(TAG_REPLY, &self.hub_key, &self.hub_nonce)
    }
}

/// Field → hub, last: the field's key and the nonce it committed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairReveal {
    /// The field's public key.
    pub field_key: PublicKey,
    /// The nonce of the offer.
    pub field_nonce: [u8; NONCE_LEN],
}

impl PairReveal {
    /// As armored text.
    pub fn to_text(&self) -> String {
        key_and_nonce_text(TAG_REVEAL, &self.field_key, &self.field_nonce)
    }
}

fn key_and_nonce_text(tag: u8, key: &PublicKey, nonce: &[u8; NONCE_LEN]) -> String {
    let mut bytes = Vec::with_capacity(REPLY_LEN);
    bytes.push(tag);
    bytes.extend_from_slice(key.as_bytes());
    bytes.extend_from_slice(nonce);
    armor::armor(&bytes)
}

/// Any text of a pairing: a public key (direct pairing) or one of the three remote texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairText {
    /// A bare public key, for direct pairing.
    Key(PublicKey),
    /// The field's commitment.
    Offer(PairOffer),
    /// The hub's key and nonce.
    Reply(PairReply),
    /// The field's key and nonce.
    Reveal(PairReveal),
}

impl PairText {
    /// Reads any pairing text, naming what it is.
    pub fn parse(text: &str) -> Result<PairText, PairingError> {
        let bytes = armor::dearmor(text)?;
        let key_of = |b: &[u8]| -> Result<PublicKey, PairingError> {
            let array: [u8; 32] = b.try_into().map_err(|_| PairingError::NotPairingText { len: bytes.len() })?;
            PublicKey::from_bytes(&array).map_err(PairingError::BadKey)
        };
        let nonce_of = |b: &[u8]| -> Result<[u8; NONCE_LEN], PairingError> {
            b.try_into().map_err(|_| PairingError::NotPairingText { len: bytes.len() })
        };
        match (bytes.len(), bytes.first()) {
            (32, _) => Ok(PairText::Key(key_of(&bytes)?)),
            (OFFER_LEN, Some(&TAG_OFFER)) => {
                let mut commitment = [0u8; 32];
                commitment.copy_from_slice(&bytes[1..]);
                Ok(PairText::Offer(PairOffer { commitment }))
            }
            (REPLY_LEN, Some(&TAG_REPLY)) => {
                Ok(PairText::Reply(PairReply { hub_key: key_of(&bytes[1..33])?, hub_nonce: nonce_of(&bytes[33..])? }))
            }
            (REPLY_LEN, Some(&TAG_REVEAL)) => Ok(PairText::Reveal(PairReveal {
                field_key: key_of(&bytes[1..33])?,
                field_nonce: nonce_of(&bytes[33..])?,
            })),
            (len, _) => Err(PairingError::NotPairingText { len }),
        }
    }

    /// What the text is, in a few words, for error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            PairText::Key(_) => "a public key",
            PairText::Offer(_) => "a broker's pairing request",
            PairText::Reply(_) => "the hub's pairing answer",
            PairText::Reveal(_) => "a broker's pairing key",
        }
    }
}

/// What both sides of a pairing computed from the same inputs: the short code, the
/// fingerprint and the channel key all come from it. 32 bytes, kept by both sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transcript {
    bytes: [u8; 32],
    remote: bool,
}

impl Transcript {
    /// Remote pairing:
    /// `SHA-256("lethe/pair-remote/v2" || field_key || hub_key || field_nonce || hub_nonce)`.
    pub fn remote(
        field_key: &PublicKey,
        hub_key: &PublicKey,
        field_nonce: &[u8; NONCE_LEN],
        hub_nonce: &[u8; NONCE_LEN],
    ) -> Self {
        let mut h = Sha256Hasher::new();
        h.update(TRANSCRIPT_REMOTE_LABEL);
        h.update(field_key.as_bytes());
        h.update(hub_key.as_bytes());
        h.update(field_nonce);
        h.update(hub_nonce);
        Transcript { bytes: h.finalize(), remote: true }
    }

    /// Direct pairing: `SHA-256("lethe/pair-direct/v2" || field_key || hub_key)`.
    pub fn direct(field_key: &PublicKey, hub_key: &PublicKey) -> Self {
        let mut h = Sha256Hasher::new();
        h.update(TRANSCRIPT_DIRECT_LABEL);
        h.update(field_key.as_bytes());
        h.update(hub_key.as_bytes());
        Transcript { bytes: h.finalize(), remote: false }
    }

    /// A transcript kept in a record.
    pub fn from_parts(bytes: [u8; 32], remote: bool) -> Self {
        Transcript { bytes, remote }
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// Whether this is a remote (commit-then-reveal) pairing.
    pub fn is_remote(&self) -> bool {
        self.remote
    }

    fn code_number(&self) -> u64 {
        let mut h = Sha256Hasher::new();
        h.update(CODE_LABEL);
        h.update(&self.bytes);
        let digest = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first)
    }

    /// The low `bits` bits of the number behind the short code. A test knob only: it
    /// plays the attacker against a deliberately shortened code.
    #[doc(hidden)]
    pub fn code_bits(&self, bits: u32) -> u64 {
        self.code_number() & (u64::MAX >> (64 - bits.clamp(1, 64)))
    }

    /// The short code to read aloud: 12 digits in 4 groups of 3, e.g. `"042 917 338 605"`.
    /// Safe to compare only for a remote (commit-then-reveal) pairing.
    pub fn short_code(&self) -> String {
        // 2^64 / 10^12 > 18 million, so the bias of the reduction is below 10^-7.
        let digits = format!("{:012}", self.code_number() % 1_000_000_000_000);
        format!("{} {} {} {}", &digits[0..3], &digits[3..6], &digits[6..9], &digits[9..12])
    }

    /// The fingerprint to compare in person: 160 bits as 32 base32 characters in 8
    /// groups of 4, e.g. `"K3F9 QZ20 ..."`. Also what a QR code of it carries.
    pub fn fingerprint(&self) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let mut h = Sha256Hasher::new();
        h.update(FINGERPRINT_LABEL);
        h.update(&self.bytes);
        let digest = h.finalize();
        let mut out = String::with_capacity(40);
        let (mut acc, mut bits, mut symbols) = (0u32, 0u32, 0usize);
        for &byte in &digest[..FINGERPRINT_BITS / 8] {
            acc = (acc << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                if symbols > 0 && symbols % 4 == 0 {
                    out.push(' ');
                }
                out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
                symbols += 1;
            }
            acc &= (1 << bits) - 1;
        }
        out
    }

    /// What to compare for this pairing: the short code for a remote pairing, the full
    /// fingerprint for a direct one.
    pub fn comparison(&self) -> String {
        if self.remote { self.short_code() } else { self.fingerprint() }
    }

    /// The channel key: `HKDF(salt = "lethe/channel-key/v2", ikm = X25519(own, their),
    /// info = transcript, 32)`. Both sides get the same 32 bytes; nobody else can.
    /// `None` if `their` key makes the exchange degenerate (never for a valid key).
    pub fn channel_key(&self, own: &IdentitySecret, their: &PublicKey) -> Option<Zeroizing<[u8; 32]>> {
        let shared = own.diffie_hellman(their)?;
        Some(primitives::hkdf_sha256::<32>(CHANNEL_KEY_SALT, shared.as_bytes(), &self.bytes))
    }
}

/// A sub-key of a channel key for one purpose, named by a label such as
/// `"lethe/armor-check/v2"`: `HKDF(salt = "lethe/channel-subkey/v2", ikm = channel_key,
/// info = label, 32)`.
pub fn channel_subkey(channel_key: &[u8; 32], label: &str) -> Zeroizing<[u8; 32]> {
    primitives::hkdf_sha256::<32>(CHANNEL_SUBKEY_SALT, channel_key, label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::IdentityKeyPair;
    use std::collections::HashMap;

    fn key() -> IdentityKeyPair {
        IdentityKeyPair::generate().unwrap()
    }

    #[test]
    fn remote_pairing_agrees_and_gives_one_channel_key() {
        let (field, hub) = (key(), key());
        let field_nonce = fresh_nonce().unwrap();
        let offer = PairOffer::new(field.public_key(), &field_nonce);
        let PairText::Offer(offer_read) = PairText::parse(&offer.to_text()).unwrap() else { panic!() };
        let reply = PairReply { hub_key: *hub.public_key(), hub_nonce: fresh_nonce().unwrap() };
        let PairText::Reply(reply_read) = PairText::parse(&reply.to_text()).unwrap() else { panic!() };
        let reveal = PairReveal { field_key: *field.public_key(), field_nonce };
        let PairText::Reveal(reveal_read) = PairText::parse(&reveal.to_text()).unwrap() else { panic!() };
        offer_read.verify(&reveal_read).unwrap();
        let at_field = Transcript::remote(field.public_key(), &reply_read.hub_key, &field_nonce, &reply_read.hub_nonce);
        let at_hub =
            Transcript::remote(&reveal_read.field_key, hub.public_key(), &reveal_read.field_nonce, &reply.hub_nonce);
        assert_eq!(at_field, at_hub);
        assert_eq!(at_field.short_code().len(), 15);
        let fingerprint = at_field.fingerprint();
        assert_eq!(fingerprint.replace(' ', "").len(), 32);
        let k1 = at_field.channel_key(field.secret(), hub.public_key()).unwrap();
        let k2 = at_hub.channel_key(hub.secret(), field.public_key()).unwrap();
        assert_eq!(*k1, *k2);
        // Another pairing of the same keys gives another code and key (fresh nonces).
        let again = Transcript::remote(field.public_key(), hub.public_key(), &fresh_nonce().unwrap(), &reply.hub_nonce);
        assert_ne!(again.short_code(), at_field.short_code());
        assert_ne!(*again.channel_key(field.secret(), hub.public_key()).unwrap(), *k1);
        // Sub-keys differ by label.
        assert_ne!(*channel_subkey(&k1, "lethe/armor-check/v2"), *channel_subkey(&k1, "lethe/cover/v1"));
        // A reveal of another key or nonce does not open the commitment.
        let other = PairReveal { field_key: *key().public_key(), field_nonce };
        assert_eq!(offer.verify(&other), Err(PairingError::CommitmentMismatch));
        let mut nonce = field_nonce;
        nonce[0] ^= 1;
        assert_eq!(
            offer.verify(&PairReveal { field_key: *field.public_key(), field_nonce: nonce }),
            Err(PairingError::CommitmentMismatch)
        );
        // A bare key reads as a key; other lengths are named as not pairing text.
        assert!(matches!(PairText::parse(&field.public_key().to_text()), Ok(PairText::Key(_))));
        assert!(matches!(
            PairText::parse(&armor::armor(&[TAG_OFFER; 20])),
            Err(PairingError::NotPairingText { len: 20 })
        ));
    }

    /// Keys an attacker can make quickly (her own, random).
    fn attacker_keys(n: usize) -> Vec<IdentityKeyPair> {
        (0..n).map(|_| key()).collect()
    }

    /// The grinding attacker of issue 10, with the code shortened to `BITS` bits as a
    /// test knob (the real code has 40 bits, the real fingerprint 160).
    ///
    /// Against the old one-message pairing (each side sends its key, both compare a code
    /// of the two keys) she relays, replacing the broker's key toward the hub by one of
    /// hers and the hub's key toward the broker by another, chosen so that the two codes
    /// agree: a birthday search over 2 × 2^14 keys finds such a pair for a 24-bit code
    /// (about 16 matches expected). Against the commit-then-reveal pairing, with the same
    /// budget, she must commit to her key toward the hub before she sees the hub's nonce,
    /// and answer the broker before the broker reveals hers: both codes are random to
    /// her, and they agree with probability 2^-24. A search after the fact finds a key that
    /// would match, but the hub refuses it: it is not the one she committed to.
    #[test]
    fn grinding_attacker_beats_the_old_pairing_and_not_the_new() {
        const BITS: u32 = 24;
        const BUDGET: usize = 1 << 14;
        let (field, hub) = (key(), key());

        // Positive control: the old one-message pairing falls.
        let toward_hub = attacker_keys(BUDGET);
        let toward_field = attacker_keys(BUDGET);
        let mut hub_codes: HashMap<u64, usize> = HashMap::new();
        for (i, m) in toward_hub.iter().enumerate() {
            hub_codes.insert(Transcript::direct(m.public_key(), hub.public_key()).code_bits(BITS), i);
        }
        let found = toward_field.iter().find_map(|n| {
            let code = Transcript::direct(field.public_key(), n.public_key()).code_bits(BITS);
            hub_codes.get(&code).map(|&i| (i, n))
        });
        let (i, n) = found.expect("the birthday search finds a pair of keys with equal codes");
        let hub_sees = Transcript::direct(toward_hub[i].public_key(), hub.public_key());
        let field_sees = Transcript::direct(field.public_key(), n.public_key());
        assert_eq!(hub_sees.code_bits(BITS), field_sees.code_bits(BITS), "old pairing subverted");
        // ...and she holds both channel keys, so she reads and forges everything.
        assert_eq!(
            *hub_sees.channel_key(hub.secret(), toward_hub[i].public_key()).unwrap(),
            *hub_sees.channel_key(toward_hub[i].secret(), hub.public_key()).unwrap()
        );
        // The full fingerprint of the same transcripts differs: 160 bits cannot be ground.
        assert_ne!(hub_sees.fingerprint(), field_sees.fingerprint());

        // The new pairing, same budget.
        let field_nonce = fresh_nonce().unwrap();
        let _offer_intercepted = PairOffer::new(field.public_key(), &field_nonce);
        // She must send the hub an offer of her own before the hub's nonce exists.
        let mallory = key();
        let mallory_nonce = fresh_nonce().unwrap();
        let offer_to_hub = PairOffer::new(mallory.public_key(), &mallory_nonce);
        let hub_reply = PairReply { hub_key: *hub.public_key(), hub_nonce: fresh_nonce().unwrap() };
        // She answers the broker; the broker's nonce is still hidden, so no candidate can be
        // checked against the broker's code: any one of her keys is as good as another.
        let her_reply_to_field =
            PairReply { hub_key: *toward_field[0].public_key(), hub_nonce: fresh_nonce().unwrap() };
        let field_sees = Transcript::remote(
            field.public_key(),
            &her_reply_to_field.hub_key,
            &field_nonce,
            &her_reply_to_field.hub_nonce,
        );
        // The broker reveals now; the hub must get the key Mallory committed to.
        let honest_reveal_to_hub = PairReveal { field_key: *mallory.public_key(), field_nonce: mallory_nonce };
        offer_to_hub.verify(&honest_reveal_to_hub).unwrap();
        let hub_sees = Transcript::remote(mallory.public_key(), hub.public_key(), &mallory_nonce, &hub_reply.hub_nonce);
        assert_ne!(
            hub_sees.code_bits(BITS),
            field_sees.code_bits(BITS),
            "the codes agree by chance with probability 2^-24 only"
        );
        // Grinding after the broker revealed: she finds a key of hers that would give the hub
        // the broker's code...
        let target = field_sees.code_bits(BITS);
        let m = &toward_hub[0];
        let mut nonce = [0u8; NONCE_LEN];
        for counter in 0u64.. {
            nonce[..8].copy_from_slice(&counter.to_le_bytes());
            let t = Transcript::remote(m.public_key(), hub.public_key(), &nonce, &hub_reply.hub_nonce);
            if t.code_bits(BITS) == target {
                break;
            }
        }
        // ...but the hub refuses it: it is not what her offer committed to.
        assert_eq!(
            offer_to_hub.verify(&PairReveal { field_key: *m.public_key(), field_nonce: nonce }),
            Err(PairingError::CommitmentMismatch)
        );
    }
}
