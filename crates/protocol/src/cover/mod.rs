//! Cover text: a sealed message written as ordinary-looking chat — market prices, rates,
//! stock talk and family news in Korean ([`CoverStyle::KoMarket`]) or Chinese
//! ([`CoverStyle::ZhMarket`]) — instead of base32 groups.
//!
//! The text is generated from a hand-written grammar (no language model): every
//! choice the grammar offers (which sentence, which word, which price) is one digit of a
//! mixed-radix number, and the message's bytes are that number. Reading parses the text
//! back into its choices. The construction is specified in `docs/PROTOCOL.md`, section
//! *Cover text*:
//!
//! - **Keyed.** The bytes written are `nonce || mask(len) || header check` and
//!   `mask(payload || check)`, masked with an XChaCha20 key stream derived from the
//!   32-byte cover key and the message's random nonce; every choice is shifted by a keyed
//!   per-message offset. Without the key the text decodes to nothing, and two messages
//!   of the same length share nothing.
//! - **Self-delimiting.** The first choices carry the length, so the reader knows where
//!   the message ends and ignores anything after it (an emoji, a greeting), and says
//!   when the text stops too early (the second half of a paste is missing).
//! - **Forgiving.** Reading works on the text after NFKC and with all white space
//!   removed, so merged or added line breaks, doubled or missing spaces and full-width
//!   digits change nothing; an unrelated line between two pieces is skipped.
//! - **Checked.** A keyed 32-bit check over the whole message refuses garbage and text
//!   for another key, and a keyed 16-bit check on the header refuses it early.

mod bignum;
mod grammar;
mod ko;
mod zh;

use core::fmt;
use std::sync::OnceLock;

use zeroize::Zeroizing;

use crate::primitives::{self, fill_random};
use crate::random::RandomnessError;
use bignum::BigUint;
use grammar::{Compiled, ReadEnd};

/// Length of a cover key.
pub const COVER_KEY_LEN: usize = 32;

/// Largest payload written as cover text (64 KiB - 1). Larger messages go as plain armor
/// (or in parts).
pub const MAX_COVER_PAYLOAD: usize = 65_535;

/// Longest text the reader looks at, in bytes of UTF-8 (4 MiB: cover text of the
/// largest payload in Chinese stays well below).
pub const MAX_COVER_TEXT_LEN: usize = 4 * 1024 * 1024;

const NONCE_LEN: usize = 6;
const LEN_LEN: usize = 2;
const HEADER_CHECK_LEN: usize = 2;
const HEADER_LEN: usize = NONCE_LEN + LEN_LEN + HEADER_CHECK_LEN;
const CHECK_LEN: usize = 4;
/// Characters skipped in a row, looking for the next sentence, before the reader
/// decides that the cover text has ended.
const MAX_SKIP: usize = 200;

const SALT: &[u8] = b"lethe/cover/v1";

/// The language and subject of the cover text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoverStyle {
    /// Korean: market prices in won, yuan and dollar rates, stock talk, family news.
    KoMarket,
    /// Chinese: market prices in yuan, exchange rates, stock talk, family news.
    ZhMarket,
}

impl CoverStyle {
    /// Every style, in the order a reader tries them.
    pub const ALL: [CoverStyle; 2] = [CoverStyle::KoMarket, CoverStyle::ZhMarket];

    /// The name used on the command line and in settings: `ko-market`, `zh-market`.
    pub fn name(self) -> &'static str {
        match self {
            CoverStyle::KoMarket => "ko-market",
            CoverStyle::ZhMarket => "zh-market",
        }
    }

    /// The style with this [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    fn grammar(self) -> &'static Compiled {
        static KO: OnceLock<Compiled> = OnceLock::new();
        static ZH: OnceLock<Compiled> = OnceLock::new();
        match self {
            CoverStyle::KoMarket => KO.get_or_init(|| Compiled::new(ko::SENTENCES)),
            CoverStyle::ZhMarket => ZH.get_or_init(|| Compiled::new(zh::SENTENCES)),
        }
    }

    #[cfg(test)]
    fn sentences(self) -> &'static [&'static [grammar::El]] {
        match self {
            CoverStyle::KoMarket => ko::SENTENCES,
            CoverStyle::ZhMarket => zh::SENTENCES,
        }
    }
}

impl fmt::Display for CoverStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why cover text could not be written or read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoverError {
    /// The payload is larger than [`MAX_COVER_PAYLOAD`].
    PayloadTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The text is longer than [`MAX_COVER_TEXT_LEN`] and was not read.
    TextTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The text holds no cover text at all.
    NotCoverText,
    /// The text stops before the message ends: part of it was not copied.
    Incomplete,
    /// The text is cover text, but not for this key, or it was altered.
    Refused,
    /// The system's random number generator failed.
    Randomness,
}

impl fmt::Display for CoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoverError::PayloadTooLong { len } => write!(
                f,
                "the message is too long for cover text ({len} bytes, at most {MAX_COVER_PAYLOAD}); send it as plain text"
            ),
            CoverError::TextTooLong { len } => {
                write!(f, "the text is too long ({len} bytes, at most {MAX_COVER_TEXT_LEN} are read); it was not read")
            }
            CoverError::NotCoverText => write!(f, "no message found in the text"),
            CoverError::Incomplete => {
                write!(f, "the message is incomplete: part of the text is missing; paste all of it")
            }
            CoverError::Refused => write!(
                f,
                "the text cannot be read with this pairing's key: it is for another pairing, or it was changed"
            ),
            CoverError::Randomness => write!(f, "the system's random number generator is not available"),
        }
    }
}

impl std::error::Error for CoverError {}

impl From<RandomnessError> for CoverError {
    fn from(_: RandomnessError) -> Self {
        CoverError::Randomness
    }
}

/// The cover key of a pairing: `HKDF(salt = "", ikm = channel_key, info =
/// "lethe/cover/v1", 32)`.
pub fn cover_key(channel_key: &[u8; 32]) -> Zeroizing<[u8; COVER_KEY_LEN]> {
    primitives::hkdf_sha256::<COVER_KEY_LEN>(b"", channel_key, SALT)
}

/// An XChaCha20 key stream (the AEAD's encryption of zeros; the tag is discarded).
struct KeyStream {
    cipher: primitives::Aead,
    domain: u8,
    counter: u64,
    buf: [u8; 256],
    pos: usize,
}

impl KeyStream {
    fn new(key: &[u8; 32], domain: u8) -> Option<Self> {
        Some(KeyStream { cipher: primitives::cipher(key)?, domain, counter: 0, buf: [0; 256], pos: 256 })
    }

    fn next_byte(&mut self) -> u8 {
        if self.pos == self.buf.len() {
            let mut nonce = [0u8; primitives::AEAD_NONCE_LEN];
            nonce[0] = self.domain;
            nonce[1..9].copy_from_slice(&self.counter.to_le_bytes());
            self.buf = [0; 256];
            // 256 bytes are far below the cipher's limit, so this cannot fail.
            let _tag = primitives::encrypt(&self.cipher, &nonce, &mut self.buf);
            self.counter += 1;
            self.pos = 0;
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        b
    }

    fn next_u32(&mut self) -> u32 {
        u32::from_le_bytes([self.next_byte(), self.next_byte(), self.next_byte(), self.next_byte()])
    }

    fn xor(&mut self, data: &mut [u8]) {
        for b in data {
            *b ^= self.next_byte();
        }
    }
}

/// Keys of one cover key, independent of the message.
struct Keys {
    check: Zeroizing<[u8; 32]>,
    header: Zeroizing<[u8; 32]>,
    message: Zeroizing<[u8; 32]>,
}

impl Keys {
    fn new(key: &[u8; COVER_KEY_LEN]) -> Self {
        Keys {
            check: primitives::hkdf_sha256(SALT, key, b"check"),
            header: primitives::hkdf_sha256(SALT, key, b"header"),
            message: primitives::hkdf_sha256(SALT, key, b"message"),
        }
    }

    /// The mask stream and the offset stream of the message with this nonce.
    fn streams(&self, nonce: &[u8]) -> Result<(KeyStream, KeyStream), CoverError> {
        let key: Zeroizing<[u8; 32]> = primitives::hkdf_sha256(SALT, &self.message[..], nonce);
        match (KeyStream::new(&key, 0), KeyStream::new(&key, 1)) {
            (Some(mask), Some(offsets)) => Ok((mask, offsets)),
            _ => Err(CoverError::Refused),
        }
    }

    fn header_check(&self, nonce: &[u8], len: &[u8]) -> [u8; HEADER_CHECK_LEN] {
        let mut ikm = Vec::with_capacity(NONCE_LEN + LEN_LEN);
        ikm.extend_from_slice(nonce);
        ikm.extend_from_slice(len);
        *primitives::hkdf_sha256::<HEADER_CHECK_LEN>(&self.check[..], &ikm, b"header check")
    }

    fn check(&self, nonce: &[u8], len: &[u8], payload: &[u8]) -> [u8; CHECK_LEN] {
        let mut ikm = Vec::with_capacity(NONCE_LEN + LEN_LEN + payload.len());
        ikm.extend_from_slice(nonce);
        ikm.extend_from_slice(len);
        ikm.extend_from_slice(payload);
        *primitives::hkdf_sha256::<CHECK_LEN>(&self.check[..], &ikm, b"check")
    }

    /// The offset of the `index`-th header choice, keyed and chained over the choices
    /// before it (which carry the random nonce).
    fn header_offset(&self, before: &[u32]) -> u32 {
        let mut input = Vec::with_capacity(32 + 4 * before.len());
        input.extend_from_slice(&self.header[..]);
        for &c in before {
            input.extend_from_slice(&c.to_le_bytes());
        }
        let h = primitives::sha256(&input);
        u32::from_le_bytes([h[0], h[1], h[2], h[3]])
    }
}

fn len_bytes(len: usize) -> [u8; LEN_LEN] {
    (len as u16).to_le_bytes()
}

/// One number being written as choices, or read back from them.
struct Radix {
    value: BigUint,
    place: BigUint,
    bits: usize,
}

impl Radix {
    fn new(value: BigUint, bits: usize) -> Self {
        Radix { value, place: BigUint::one(), bits }
    }

    /// All of the number is written (the product of the radices reached `2^bits`).
    fn done(&self) -> bool {
        self.place.bit_len() > self.bits
    }

    fn take(&mut self, radix: u32) -> u32 {
        self.place.mul_small(radix);
        self.value.div_rem_small(radix)
    }

    fn put(&mut self, digit: u32, radix: u32) {
        self.value.add_mul_small(&self.place, digit);
        self.place.mul_small(radix);
    }
}

enum Phase {
    Header(Radix),
    Body(Radix),
    Done,
}

/// Writes `payload` as cover text in `style` under `key`.
pub fn encode(style: CoverStyle, key: &[u8; COVER_KEY_LEN], payload: &[u8]) -> Result<String, CoverError> {
    Ok(encode_sentences(style, key, payload)?.join("\n"))
}

/// Writes `payload` as cover text in `style` under `key`, one string per sentence (what
/// [`encode`] joins with line breaks). A sentence may itself hold line breaks: text cut
/// into pieces for sending must be cut between sentences, so that chat pasted between
/// the pieces is skipped.
pub fn encode_sentences(
    style: CoverStyle,
    key: &[u8; COVER_KEY_LEN],
    payload: &[u8],
) -> Result<Vec<String>, CoverError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    encode_with_nonce(style, key, payload, nonce)
}

fn encode_with_nonce(
    style: CoverStyle,
    key: &[u8; COVER_KEY_LEN],
    payload: &[u8],
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<String>, CoverError> {
    if payload.len() > MAX_COVER_PAYLOAD {
        return Err(CoverError::PayloadTooLong { len: payload.len() });
    }
    let keys = Keys::new(key);
    let (mut mask, offsets) = keys.streams(&nonce)?;
    let len = len_bytes(payload.len());
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(&nonce);
    let mut masked_len = len;
    mask.xor(&mut masked_len);
    header.extend_from_slice(&masked_len);
    header.extend_from_slice(&keys.header_check(&nonce, &len));
    let mut body = Zeroizing::new(Vec::with_capacity(payload.len() + CHECK_LEN));
    body.extend_from_slice(payload);
    body.extend_from_slice(&keys.check(&nonce, &len, payload));
    mask.xor(&mut body);
    let body_bits = body.len() * 8;

    let mut source = Source {
        keys: &keys,
        phase: Phase::Header(Radix::new(BigUint::from_le_bytes(&header), HEADER_LEN * 8)),
        header_choices: Vec::new(),
        body: Some(BigUint::from_le_bytes(&body)),
        body_bits,
        offsets,
    };
    let grammar = style.grammar();
    let mut sentences = Vec::new();
    loop {
        let mut sentence = String::new();
        grammar.write_sentence(&mut sentence, &mut |radix| source.choose(radix));
        sentences.push(sentence);
        // A sentence is always finished before stopping.
        if matches!(source.phase, Phase::Done) {
            break;
        }
    }
    Ok(sentences)
}

/// The writing side of the coder: hands out the choices that carry the message, then
/// random ones to finish the sentence.
struct Source<'k> {
    keys: &'k Keys,
    phase: Phase,
    header_choices: Vec<u32>,
    body: Option<BigUint>,
    body_bits: usize,
    offsets: KeyStream,
}

impl Source<'_> {
    fn choose(&mut self, radix: u32) -> u32 {
        let radix = radix.max(1);
        match &mut self.phase {
            Phase::Header(h) => {
                let digit = h.take(radix);
                let offset = self.keys.header_offset(&self.header_choices) % radix;
                let choice = (digit + offset) % radix;
                self.header_choices.push(choice);
                if h.done() {
                    let body = self.body.take().unwrap_or_default();
                    self.phase = Phase::Body(Radix::new(body, self.body_bits));
                }
                choice
            }
            Phase::Body(b) => {
                let digit = b.take(radix);
                let choice = (digit + self.offsets.next_u32() % radix) % radix;
                if b.done() {
                    self.phase = Phase::Done;
                }
                choice
            }
            Phase::Done => self.offsets.next_u32() % radix,
        }
    }
}

/// Reads cover text in `style` under `key` back into the payload.
///
/// Anything after the end of the message is ignored; white space, full-width digits and
/// an unrelated line between two pieces of the text do not matter.
pub fn decode(style: CoverStyle, key: &[u8; COVER_KEY_LEN], text: &str) -> Result<Vec<u8>, CoverError> {
    if text.len() > MAX_COVER_TEXT_LEN {
        return Err(CoverError::TextTooLong { len: text.len() });
    }
    let text = grammar::normalize(text);
    let grammar = style.grammar();
    let mut sink = Sink::new(key);
    let mut pos = 0;
    let mut found = false;
    let mut skipped = 0;
    while pos < text.len() && skipped <= MAX_SKIP {
        let (choices, end) = grammar.read_sentence(&text[pos..]);
        match end {
            ReadEnd::Mismatch => {
                pos += text[pos..].chars().next().map_or(1, char::len_utf8);
                skipped += 1;
            }
            ReadEnd::RanOut | ReadEnd::Complete(_) => {
                found = true;
                skipped = 0;
                for (choice, radix) in choices {
                    if let Some(payload) = sink.push(choice, radix)? {
                        return Ok(payload);
                    }
                }
                match end {
                    ReadEnd::Complete(len) => pos += len,
                    _ => break,
                }
            }
        }
    }
    Err(if found { CoverError::Incomplete } else { CoverError::NotCoverText })
}

/// Reads cover text in any style; returns the style it was written in.
///
/// When no style reads it, the error is the most useful one: incomplete before refused
/// before not cover text.
pub fn decode_any(key: &[u8; COVER_KEY_LEN], text: &str) -> Result<(CoverStyle, Vec<u8>), CoverError> {
    let mut best = CoverError::NotCoverText;
    for style in CoverStyle::ALL {
        match decode(style, key, text) {
            Ok(payload) => return Ok((style, payload)),
            Err(e @ (CoverError::TextTooLong { .. } | CoverError::Incomplete)) => return Err(e),
            Err(CoverError::Refused) => best = CoverError::Refused,
            Err(_) => {}
        }
    }
    Err(best)
}

/// The reading side of the coder.
struct Sink {
    keys: Keys,
    phase: Phase,
    header_choices: Vec<u32>,
    nonce: [u8; NONCE_LEN],
    len: [u8; LEN_LEN],
    streams: Option<(KeyStream, KeyStream)>,
}

impl Sink {
    fn new(key: &[u8; COVER_KEY_LEN]) -> Self {
        Sink {
            keys: Keys::new(key),
            phase: Phase::Header(Radix::new(BigUint::zero(), HEADER_LEN * 8)),
            header_choices: Vec::new(),
            nonce: [0; NONCE_LEN],
            len: [0; LEN_LEN],
            streams: None,
        }
    }

    /// Takes one choice; returns the payload once the message is complete.
    fn push(&mut self, choice: u32, radix: u32) -> Result<Option<Vec<u8>>, CoverError> {
        let radix = radix.max(1);
        match &mut self.phase {
            Phase::Header(h) => {
                let offset = self.keys.header_offset(&self.header_choices) % radix;
                self.header_choices.push(choice);
                h.put((choice + radix - offset) % radix, radix);
                if h.done() {
                    if h.value.bit_len() > HEADER_LEN * 8 {
                        return Err(CoverError::Refused);
                    }
                    let header = h.value.to_le_bytes(HEADER_LEN);
                    self.nonce.copy_from_slice(&header[..NONCE_LEN]);
                    let (mut mask, offsets) = self.keys.streams(&self.nonce)?;
                    let mut len = [0u8; LEN_LEN];
                    len.copy_from_slice(&header[NONCE_LEN..NONCE_LEN + LEN_LEN]);
                    mask.xor(&mut len);
                    if header[NONCE_LEN + LEN_LEN..] != self.keys.header_check(&self.nonce, &len) {
                        return Err(CoverError::Refused);
                    }
                    let payload_len = usize::from(u16::from_le_bytes(len));
                    self.len = len;
                    self.streams = Some((mask, offsets));
                    self.phase = Phase::Body(Radix::new(BigUint::zero(), (payload_len + CHECK_LEN) * 8));
                }
                Ok(None)
            }
            Phase::Body(b) => {
                let Some((mask, offsets)) = self.streams.as_mut() else {
                    return Err(CoverError::Refused);
                };
                let offset = offsets.next_u32() % radix;
                b.put((choice + radix - offset) % radix, radix);
                if !b.done() {
                    return Ok(None);
                }
                if b.value.bit_len() > b.bits {
                    return Err(CoverError::Refused);
                }
                let mut body = Zeroizing::new(b.value.to_le_bytes(b.bits / 8));
                mask.xor(&mut body);
                let split = body.len() - CHECK_LEN;
                let (payload, check) = body.split_at(split);
                if check != self.keys.check(&self.nonce, &self.len, payload) {
                    return Err(CoverError::Refused);
                }
                self.phase = Phase::Done;
                Ok(Some(payload.to_vec()))
            }
            Phase::Done => Err(CoverError::Refused),
        }
    }
}

#[cfg(test)]
mod tests;
