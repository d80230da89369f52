//! The messages hub and field exchange, their compact binary encoding, and sealing them
//! as armored text.
//!
//! A [`Message`] carries a batch of [`Order`]s (hub → field), of [`DeliveryReport`]s
//! (field → hub) or one [`Ack`] (hub → field), plus a random [`MessageId`] that the
//! receiver remembers to refuse replays, and the time it was made.
//!
//! The encoding is hand-written and strict: one version byte, varints in minimal form,
//! length-prefixed UTF-8 text without control characters, fixed limits on every length,
//! and no trailing bytes. Every accepted byte string decodes to exactly one message and
//! encodes back to the same bytes. The byte layout is in docs/PROTOCOL.md.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::armor::{self, ArmorError, CheckKey, DEFAULT_GROUPS_PER_LINE};
use crate::codec::{Reader, Writer};
use crate::keys::{IdentitySecret, PublicKey};
use crate::primitives::fill_random;
use crate::random::RandomnessError;
use crate::seal::{self, OpenError, SealError};

/// The encoding version this crate writes; the first plaintext byte.
pub const MESSAGE_VERSION: u8 = 2;

/// The previous encoding version, still read (never written): its orders carry an answer
/// salt, which is ignored, and its acknowledgements carry bare order codes, read as
/// [`AckStatus::Settled`].
pub const MESSAGE_VERSION_V1: u8 = 1;

/// Most items (orders, reports or acknowledged codes) in one message.
pub const MAX_BATCH_ITEMS: usize = 1000;
/// Longest recipient alias, in bytes of UTF-8.
pub const MAX_ALIAS_LEN: usize = 64;
/// Longest place hint, in bytes of UTF-8.
pub const MAX_PLACE_HINT_LEN: usize = 128;
/// Longest challenge question, in bytes of UTF-8.
pub const MAX_QUESTION_LEN: usize = 256;
/// Longest answer, in bytes of UTF-8.
pub const MAX_ANSWER_LEN: usize = 128;
/// Longest reason in an acknowledgement item, in bytes of UTF-8.
pub const MAX_REASON_LEN: usize = 128;

/// Payload kind byte.
const KIND_ORDERS: u8 = 1;
const KIND_REPORTS: u8 = 2;
const KIND_ACKS: u8 = 3;

/// In a report's currency byte: set when a [`MediaRef`] follows.
const FLAG_MEDIA: u8 = 0x80;
/// In a report's currency byte: set when the field's next public key follows.
const FLAG_NEXT_KEY: u8 = 0x40;

/// Length of the answer salt in a version 1 order (read and ignored; version 2 has none).
pub const ANSWER_SALT_LEN_V1: usize = 16;

/// In a version 2 acknowledgement, after the items: set when the hub's next public key
/// follows.
const ACK_FLAG_NEXT_KEY: u8 = 0x01;

/// The code that names an order on both sides: 32 random bits, shown as 7 base32
/// characters such as `K3F-9QZ2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Zeroize)]
pub struct OrderCode(pub u32);

impl OrderCode {
    /// A fresh random order code.
    pub fn random() -> Result<Self, RandomnessError> {
        let mut bytes = [0u8; 4];
        fill_random(&mut bytes)?;
        Ok(OrderCode(u32::from_le_bytes(bytes)))
    }

    /// The code as text: 7 base32 characters, a dash after the third.
    pub fn to_text(&self) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let mut text = String::with_capacity(8);
        for index in 0..7 {
            if index == 3 {
                text.push('-');
            }
            let shift = 5 * (6 - index);
            text.push(char::from(ALPHABET[((u64::from(self.0) >> shift) & 31) as usize]));
        }
        text
    }

    /// Reads a code written by [`OrderCode::to_text`]; case, dashes and spaces do not
    /// matter, `O` reads as `0` and `I`/`L` as `1`.
    pub fn from_text(text: &str) -> Result<Self, OrderCodeError> {
        let mut value: u64 = 0;
        let mut count = 0;
        for c in text.chars() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let upper = c.to_ascii_uppercase();
            let digit = match upper {
                'O' => 0,
                'I' | 'L' => 1,
                'U' => return Err(OrderCodeError),
                _ => b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
                    .iter()
                    .position(|&a| char::from(a) == upper)
                    .ok_or(OrderCodeError)? as u64,
            };
            count += 1;
            if count > 7 {
                return Err(OrderCodeError);
            }
            value = (value << 5) | digit;
        }
        if count != 7 {
            return Err(OrderCodeError);
        }
        u32::try_from(value).map(OrderCode).map_err(|_| OrderCodeError)
    }
}

impl fmt::Display for OrderCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// Text that is not an order code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderCodeError;

impl fmt::Display for OrderCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an order code (7 characters, digits and letters without I, L, O, U)")
    }
}

impl std::error::Error for OrderCodeError {}

/// A random identifier per message; the receiver keeps the ids it has seen and refuses
/// a message whose id comes again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Zeroize)]
pub struct MessageId(pub [u8; 8]);

impl MessageId {
    /// A fresh random id.
    pub fn random() -> Result<Self, RandomnessError> {
        let mut bytes = [0u8; 8];
        fill_random(&mut bytes)?;
        Ok(MessageId(bytes))
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// Currencies the hub pays out in. Amounts are integers in the currency's minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Zeroize)]
pub enum Currency {
    /// Chinese yuan; minor unit fen (1/100).
    Cny,
    /// South Korean won; no minor unit.
    Krw,
    /// US dollar; minor unit cent (1/100).
    Usd,
}

impl Currency {
    /// Every currency, in the order screens offer them (won first).
    pub const ALL: [Currency; 3] = [Currency::Krw, Currency::Cny, Currency::Usd];

    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Krw => "KRW",
            Currency::Usd => "USD",
        }
    }

    /// Number of decimal digits of the minor unit.
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::Krw => 0,
            Currency::Cny | Currency::Usd => 2,
        }
    }

    fn to_byte(self) -> u8 {
        match self {
            Currency::Cny => 0,
            Currency::Krw => 1,
            Currency::Usd => 2,
        }
    }

    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0 => Some(Currency::Cny),
            1 => Some(Currency::Krw),
            2 => Some(Currency::Usd),
            _ => None,
        }
    }
}

/// An instruction from the hub to the field: hand `amount_minor` to the person known by
/// `alias`, and ask them `question`.
///
/// The expected answer is not in the order; the hub keeps only its salted hash (the salt
/// stays at the hub). An order whose code the field already holds, undelivered, replaces
/// it: that is how the hub edits an order.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Order {
    /// Code naming this order.
    pub order_code: OrderCode,
    /// Recipient alias, never a real name.
    pub alias: String,
    /// Where to find the recipient, as vague as works.
    pub place_hint: String,
    /// Amount to hand over, in minor units.
    pub amount_minor: u64,
    /// Currency of `amount_minor` and `fee_minor`.
    pub currency: Currency,
    /// The broker's fee, in minor units.
    pub fee_minor: u64,
    /// Deliver before this time (minutes since the Unix epoch).
    pub deadline_unix_minutes: u32,
    /// Challenge question that only the family can answer.
    pub question: String,
}

/// Size and SHA-256 digest of a media file sent separately (see [`crate::stream`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Zeroize)]
pub struct MediaRef {
    /// Plaintext length in bytes.
    pub len: u64,
    /// SHA-256 of the plaintext.
    pub digest: [u8; 32],
}

/// The field's report that an order was delivered.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct DeliveryReport {
    /// The order delivered.
    pub order_code: OrderCode,
    /// Amount actually handed over, in minor units.
    pub amount_handed_minor: u64,
    /// Currency of the amount.
    pub currency: Currency,
    /// When (minutes since the Unix epoch).
    pub delivered_unix_minutes: u32,
    /// The recipient's answer to the challenge, as typed (normalised by
    /// [`crate::normalize::normalize_answer`] before it is sealed or compared).
    pub answer: String,
    /// A photo or video sent as a separate sealed file, if any.
    pub media: Option<MediaRef>,
    /// The field's next public key (X25519, 32 bytes), if it announces one: the hub
    /// seals every later message to the newest key it learned, so the field can erase
    /// the secret halves of older keys (forward secrecy of orders).
    pub next_key: Option<[u8; 32]>,
}

/// What the hub says about one order in an acknowledgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Zeroize)]
pub enum AckStatus {
    /// The report arrived and checks out: the order is settled.
    Settled,
    /// The report arrived but does not check out (the reason says why).
    Disputed,
    /// The hub cancelled the order.
    Cancelled,
}

impl AckStatus {
    fn to_byte(self) -> u8 {
        match self {
            AckStatus::Settled => 0,
            AckStatus::Disputed => 1,
            AckStatus::Cancelled => 2,
        }
    }

    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0 => Some(AckStatus::Settled),
            1 => Some(AckStatus::Disputed),
            2 => Some(AckStatus::Cancelled),
            _ => None,
        }
    }
}

/// One order named in an acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AckItem {
    /// The order.
    pub order_code: OrderCode,
    /// What became of it.
    pub status: AckStatus,
    /// Why (for a dispute or a cancellation); may be empty.
    pub reason: String,
}

impl AckItem {
    /// An item saying `order_code` is settled, without a reason.
    pub fn settled(order_code: OrderCode) -> Self {
        AckItem { order_code, status: AckStatus::Settled, reason: String::new() }
    }
}

/// The hub's acknowledgement: what became of these orders (their reports arrived, or the
/// hub cancelled them), and optionally the hub's next public key.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Ack {
    /// One item per order.
    pub items: Vec<AckItem>,
    /// The hub's next public key (X25519, 32 bytes), if it announces one: the field
    /// seals every later report to it.
    pub next_hub_key: Option<[u8; 32]>,
}

impl Ack {
    /// An acknowledgement settling `codes`, announcing no key.
    pub fn settled(codes: impl IntoIterator<Item = OrderCode>) -> Self {
        Ack { items: codes.into_iter().map(AckItem::settled).collect(), next_hub_key: None }
    }

    /// The codes of the orders named, in order.
    pub fn order_codes(&self) -> Vec<OrderCode> {
        self.items.iter().map(|i| i.order_code).collect()
    }
}

/// What a message carries: one kind of item, batched.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub enum Payload {
    /// Orders, hub → field.
    Orders(Vec<Order>),
    /// Delivery reports, field → hub.
    Reports(Vec<DeliveryReport>),
    /// Acknowledgement, hub → field.
    Acks(Ack),
}

/// One message: id for replay detection, creation time, payload.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Message {
    /// Random id, unique per message.
    pub id: MessageId,
    /// When the message was made (minutes since the Unix epoch).
    pub created_unix_minutes: u32,
    /// The items.
    pub payload: Payload,
}

/// Why a message cannot be encoded: a field breaks a limit that the decoder enforces.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A text field is longer than its limit.
    TextTooLong {
        /// Field name.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// A text field contains a control character (line breaks, escapes...).
    ControlCharacter {
        /// Field name.
        field: &'static str,
    },
    /// More items than [`MAX_BATCH_ITEMS`].
    TooManyItems {
        /// Items given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A batch with no items.
    EmptyBatch,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TextTooLong { field, len, max } => {
                write!(f, "{field} is too long ({len} bytes, at most {max})")
            }
            EncodeError::ControlCharacter { field } => {
                write!(f, "{field} contains a control character (line break, tab or escape)")
            }
            EncodeError::TooManyItems { count, max } => {
                write!(f, "too many items for one message ({count}, at most {max})")
            }
            EncodeError::EmptyBatch => write!(f, "a message needs at least one item"),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Why decrypted bytes are not a valid message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// No bytes at all.
    Empty,
    /// The version byte is not one this program reads.
    UnsupportedVersion(u8),
    /// The bytes end in the middle of a field.
    UnexpectedEnd {
        /// The field being read.
        field: &'static str,
    },
    /// Bytes remain after the last item.
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// Unknown payload kind byte.
    UnknownKind(u8),
    /// Unknown currency or flag bits.
    UnknownCurrency(u8),
    /// Unknown status of an acknowledged order.
    UnknownStatus(u8),
    /// Unknown flag bits after an acknowledgement's items.
    UnknownFlags(u8),
    /// A number is not in minimal varint form or does not fit its field.
    BadNumber {
        /// The field being read.
        field: &'static str,
    },
    /// A text field is longer than its limit.
    TextTooLong {
        /// The field being read.
        field: &'static str,
        /// Its declared length.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// A text field is not UTF-8 or contains control characters.
    BadText {
        /// The field being read.
        field: &'static str,
    },
    /// The item count is zero or above [`MAX_BATCH_ITEMS`].
    BadItemCount(u64),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the message is empty"),
            DecodeError::UnsupportedVersion(v) => write!(
                f,
                "message format version {v} is not supported by this program (it reads versions {MESSAGE_VERSION_V1} and {MESSAGE_VERSION})"
            ),
            DecodeError::UnexpectedEnd { field } => write!(f, "the message ends inside {field}"),
            DecodeError::TrailingBytes { count } => {
                write!(f, "{count} unexpected bytes after the end of the message")
            }
            DecodeError::UnknownKind(k) => write!(f, "unknown kind of message ({k})"),
            DecodeError::UnknownCurrency(c) => write!(f, "unknown currency code ({c})"),
            DecodeError::UnknownStatus(s) => write!(f, "unknown order status ({s})"),
            DecodeError::UnknownFlags(b) => write!(f, "unknown flags ({b})"),
            DecodeError::BadNumber { field } => write!(f, "{field} is not a valid number"),
            DecodeError::TextTooLong { field, len, max } => {
                write!(f, "{field} is too long ({len} bytes, at most {max})")
            }
            DecodeError::BadText { field } => {
                write!(f, "{field} is not valid text (bad UTF-8 or control characters)")
            }
            DecodeError::BadItemCount(n) => {
                write!(f, "invalid number of items ({n}; 1 to {MAX_BATCH_ITEMS} allowed)")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

fn check_text(field: &'static str, text: &str, max: usize) -> Result<(), EncodeError> {
    if text.len() > max {
        return Err(EncodeError::TextTooLong { field, len: text.len(), max });
    }
    if text.chars().any(char::is_control) {
        return Err(EncodeError::ControlCharacter { field });
    }
    Ok(())
}

fn check_count(count: usize) -> Result<(), EncodeError> {
    if count == 0 {
        return Err(EncodeError::EmptyBatch);
    }
    if count > MAX_BATCH_ITEMS {
        return Err(EncodeError::TooManyItems { count, max: MAX_BATCH_ITEMS });
    }
    Ok(())
}

/// Smallest encoded size of one item of each kind, used to refuse item counts that the
/// remaining bytes cannot hold before allocating for them.
const MIN_ORDER_LEN: usize = 4 + 1 + 1 + 1 + 1 + 1 + 1 + 1;
const MIN_ORDER_LEN_V1: usize = MIN_ORDER_LEN + ANSWER_SALT_LEN_V1;
const MIN_REPORT_LEN: usize = 4 + 1 + 1 + 1 + 1;
const MIN_ACK_ITEM_LEN: usize = 4 + 1 + 1;
const ACK_CODE_LEN_V1: usize = 4;

impl Message {
    /// A message with a fresh random id.
    pub fn new(payload: Payload, created_unix_minutes: u32) -> Result<Self, RandomnessError> {
        Ok(Message { id: MessageId::random()?, created_unix_minutes, payload })
    }

    /// The binary encoding (version byte first), in memory wiped when dropped.
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, EncodeError> {
        let mut out = Zeroizing::new(Vec::with_capacity(64));
        let mut w = Writer::new(&mut out);
        w.u8(MESSAGE_VERSION);
        w.bytes(&self.id.0);
        w.varint(u64::from(self.created_unix_minutes));
        match &self.payload {
            Payload::Orders(orders) => {
                check_count(orders.len())?;
                w.u8(KIND_ORDERS);
                w.varint(orders.len() as u64);
                for order in orders {
                    check_text("alias", &order.alias, MAX_ALIAS_LEN)?;
                    check_text("place hint", &order.place_hint, MAX_PLACE_HINT_LEN)?;
                    check_text("question", &order.question, MAX_QUESTION_LEN)?;
                    w.u32_le(order.order_code.0);
                    w.text(&order.alias);
                    w.text(&order.place_hint);
                    w.varint(order.amount_minor);
                    w.u8(order.currency.to_byte());
                    w.varint(order.fee_minor);
                    w.varint(u64::from(order.deadline_unix_minutes));
                    w.text(&order.question);
                }
            }
            Payload::Reports(reports) => {
                check_count(reports.len())?;
                w.u8(KIND_REPORTS);
                w.varint(reports.len() as u64);
                for report in reports {
                    check_text("answer", &report.answer, MAX_ANSWER_LEN)?;
                    w.u32_le(report.order_code.0);
                    w.varint(report.amount_handed_minor);
                    let mut flags = 0;
                    if report.media.is_some() {
                        flags |= FLAG_MEDIA;
                    }
                    if report.next_key.is_some() {
                        flags |= FLAG_NEXT_KEY;
                    }
                    w.u8(report.currency.to_byte() | flags);
                    w.varint(u64::from(report.delivered_unix_minutes));
                    w.text(&report.answer);
                    if let Some(media) = &report.media {
                        w.varint(media.len);
                        w.bytes(&media.digest);
                    }
                    if let Some(key) = &report.next_key {
                        w.bytes(key);
                    }
                }
            }
            Payload::Acks(ack) => {
                check_count(ack.items.len())?;
                w.u8(KIND_ACKS);
                w.varint(ack.items.len() as u64);
                for item in &ack.items {
                    check_text("reason", &item.reason, MAX_REASON_LEN)?;
                    w.u32_le(item.order_code.0);
                    w.u8(item.status.to_byte());
                    w.text(&item.reason);
                }
                match &ack.next_hub_key {
                    None => w.u8(0),
                    Some(key) => {
                        w.u8(ACK_FLAG_NEXT_KEY);
                        w.bytes(key);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Decodes bytes made by [`Message::encode`], or by version 1 of the encoding (see
    /// [`MESSAGE_VERSION_V1`]). Strict: anything but exactly one well-formed message of a
    /// known version is an error. A version 2 encoding is canonical: it encodes back to
    /// the same bytes; a version 1 message encodes as version 2.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let version = r.u8("version").map_err(|_| DecodeError::Empty)?;
        if version != MESSAGE_VERSION && version != MESSAGE_VERSION_V1 {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let v1 = version == MESSAGE_VERSION_V1;
        let id = MessageId(r.array("message id")?);
        let created_unix_minutes = r.varint_u32("creation time")?;
        let kind = r.u8("kind")?;
        let count = r.varint("item count")?;
        if count == 0 || count > MAX_BATCH_ITEMS as u64 {
            return Err(DecodeError::BadItemCount(count));
        }
        let count = count as usize;
        let min_item = match (kind, v1) {
            (KIND_ORDERS, false) => MIN_ORDER_LEN,
            (KIND_ORDERS, true) => MIN_ORDER_LEN_V1,
            (KIND_REPORTS, _) => MIN_REPORT_LEN,
            (KIND_ACKS, false) => MIN_ACK_ITEM_LEN,
            (KIND_ACKS, true) => ACK_CODE_LEN_V1,
            (other, _) => return Err(DecodeError::UnknownKind(other)),
        };
        if count.saturating_mul(min_item) > r.remaining() {
            return Err(DecodeError::UnexpectedEnd { field: "items" });
        }
        let payload = match kind {
            KIND_ORDERS => {
                let mut orders = Vec::with_capacity(count);
                for _ in 0..count {
                    orders.push(decode_order(&mut r, v1)?);
                }
                Payload::Orders(orders)
            }
            KIND_REPORTS => {
                let mut reports = Vec::with_capacity(count);
                for _ in 0..count {
                    reports.push(decode_report(&mut r)?);
                }
                Payload::Reports(reports)
            }
            _ if v1 => {
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    items.push(AckItem::settled(OrderCode(r.u32_le("order code")?)));
                }
                Payload::Acks(Ack { items, next_hub_key: None })
            }
            _ => {
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    let order_code = OrderCode(r.u32_le("order code")?);
                    let status_byte = r.u8("status")?;
                    let status = AckStatus::from_byte(status_byte).ok_or(DecodeError::UnknownStatus(status_byte))?;
                    let reason = r.text("reason", MAX_REASON_LEN)?;
                    items.push(AckItem { order_code, status, reason });
                }
                let next_hub_key = match r.u8("acknowledgement flags")? {
                    0 => None,
                    ACK_FLAG_NEXT_KEY => Some(r.array("hub's next key")?),
                    other => return Err(DecodeError::UnknownFlags(other)),
                };
                Payload::Acks(Ack { items, next_hub_key })
            }
        };
        r.finish()?;
        Ok(Message { id, created_unix_minutes, payload })
    }
}

fn decode_order(r: &mut Reader<'_>, v1: bool) -> Result<Order, DecodeError> {
    let order_code = OrderCode(r.u32_le("order code")?);
    let alias = r.text("alias", MAX_ALIAS_LEN)?;
    let place_hint = r.text("place hint", MAX_PLACE_HINT_LEN)?;
    let amount_minor = r.varint("amount")?;
    let currency_byte = r.u8("currency")?;
    let currency = Currency::from_byte(currency_byte).ok_or(DecodeError::UnknownCurrency(currency_byte))?;
    let fee_minor = r.varint("fee")?;
    let deadline_unix_minutes = r.varint_u32("deadline")?;
    let question = r.text("question", MAX_QUESTION_LEN)?;
    if v1 {
        // Version 1 sent the salt of the hub's answer hash; the field never used it.
        let _salt: [u8; ANSWER_SALT_LEN_V1] = r.array("answer salt")?;
    }
    Ok(Order { order_code, alias, place_hint, amount_minor, currency, fee_minor, deadline_unix_minutes, question })
}

fn decode_report(r: &mut Reader<'_>) -> Result<DeliveryReport, DecodeError> {
    let order_code = OrderCode(r.u32_le("order code")?);
    let amount_handed_minor = r.varint("amount")?;
    let currency_byte = r.u8("currency")?;
    let currency = Currency::from_byte(currency_byte & !(FLAG_MEDIA | FLAG_NEXT_KEY))
        .ok_or(DecodeError::UnknownCurrency(currency_byte))?;
    let delivered_unix_minutes = r.varint_u32("delivery time")?;
    let answer = r.text("answer", MAX_ANSWER_LEN)?;
    let media = if currency_byte & FLAG_MEDIA != 0 {
        let len = r.varint("media length")?;
        let digest = r.array("media digest")?;
        Some(MediaRef { len, digest })
    } else {
        None
    };
    let next_key = if currency_byte & FLAG_NEXT_KEY != 0 { Some(r.array("next key")?) } else { None };
    Ok(DeliveryReport { order_code, amount_handed_minor, currency, delivered_unix_minutes, answer, media, next_key })
}

/// Why a message could not be sealed or opened. Each variant is one thing the user can
/// act on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The text could not be read: a bad character (with its position), a failed
    /// checksum (a character mistyped or lost), cut-off text, or too much text.
    Armor(ArmorError),
    /// The text is valid armor but far too short to be a message (perhaps a public key
    /// pasted in the wrong place).
    NotAMessage {
        /// Bytes found.
        len: usize,
    },
    /// The text is valid armor but longer than any message.
    TooLong {
        /// Bytes found.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not addressed to this key, from a sender not among the candidates, or altered.
    CannotOpen,
    /// Opened, but made by a newer (or unknown) version of the program.
    UnsupportedVersion(u8),
    /// Opened, but the content is not a valid message.
    Malformed(DecodeError),
    /// The message to seal breaks a limit.
    Invalid(EncodeError),
    /// Sealing failed.
    Seal(SealError),
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Armor(e) => write!(f, "{e}"),
            ProtocolError::NotAMessage { len } => {
                write!(f, "this text is not a message (only {len} bytes); is it a public key or an order code?")
            }
            ProtocolError::TooLong { len, max } => {
                write!(f, "this text is too long to be a message ({len} bytes, at most {max})")
            }
            ProtocolError::CannotOpen => write!(f, "cannot be opened with this key: not addressed to you, or altered"),
            ProtocolError::UnsupportedVersion(v) => {
                write!(f, "this message was made by a different version of the program (format {v}); update to read it")
            }
            ProtocolError::Malformed(e) => write!(f, "the message content is malformed: {e}"),
            ProtocolError::Invalid(e) => write!(f, "cannot send this message: {e}"),
            ProtocolError::Seal(e) => write!(f, "cannot seal this message: {e}"),
        }
    }
}

impl std::error::Error for ProtocolError {}

impl From<ArmorError> for ProtocolError {
    fn from(e: ArmorError) -> Self {
        ProtocolError::Armor(e)
    }
}

impl From<OpenError> for ProtocolError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::TooShort { len } => ProtocolError::NotAMessage { len },
            OpenError::TooLong { len, max } => ProtocolError::TooLong { len, max },
            _ => ProtocolError::CannotOpen,
        }
    }
}

impl From<DecodeError> for ProtocolError {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::UnsupportedVersion(v) => ProtocolError::UnsupportedVersion(v),
            other => ProtocolError::Malformed(other),
        }
    }
}

/// Encodes `message`, seals it from `sender` to `recipient` and armors it as lines of
/// text ready to paste into a chat or show as a QR code.
pub fn seal_message(
    sender: &IdentitySecret,
    recipient: &PublicKey,
    message: &Message,
) -> Result<String, ProtocolError> {
    let plaintext = message.encode().map_err(ProtocolError::Invalid)?;
    let sealed = seal::seal(sender, recipient, &plaintext).map_err(ProtocolError::Seal)?;
    Ok(armor::armor_lines(&sealed, DEFAULT_GROUPS_PER_LINE))
}

/// Like [`seal_message`], with the keyed check of the pairing instead of the public CRC:
/// what lethe puts on the air.
pub fn seal_message_keyed(
    sender: &IdentitySecret,
    recipient: &PublicKey,
    message: &Message,
    check: &CheckKey,
) -> Result<String, ProtocolError> {
    let plaintext = message.encode().map_err(ProtocolError::Invalid)?;
    let sealed = seal::seal(sender, recipient, &plaintext).map_err(ProtocolError::Seal)?;
    Ok(armor::armor_lines_keyed(&sealed, check, DEFAULT_GROUPS_PER_LINE))
}

/// Like [`open_message`], for text checked under one of `checks` (or, from an older
/// lethe, the CRC).
pub fn open_message_keyed(
    recipient: &IdentitySecret,
    candidates: &[PublicKey],
    text: &str,
    checks: &[CheckKey],
) -> Result<(usize, Message), ProtocolError> {
    let (sealed, _) = armor::dearmor_keyed(text, checks)?;
    let (sender, plaintext) = seal::open(recipient, candidates, &sealed)?;
    let message = Message::decode(&plaintext)?;
    Ok((sender, message))
}

/// Reads armored text, opens it with `recipient`'s key trying each candidate sender,
/// and decodes the message. Returns the index of the sender in `candidates`.
///
/// Replays are not detected here: the caller keeps the [`MessageId`]s it has accepted.
pub fn open_message(
    recipient: &IdentitySecret,
    candidates: &[PublicKey],
    text: &str,
) -> Result<(usize, Message), ProtocolError> {
    let sealed = armor::dearmor(text)?;
    let (sender, plaintext) = seal::open(recipient, candidates, &sealed)?;
    let message = Message::decode(&plaintext)?;
    Ok((sender, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::IdentityKeyPair;
    use proptest::prelude::*;

    pub(crate) fn sample_order() -> Order {
        Order {
            order_code: OrderCode(0x1234_5678),
            alias: "큰 언니".into(),
            place_hint: "혜산 시장 근처".into(),
            amount_minor: 3_000_000,
            currency: Currency::Krw,
            fee_minor: 300_000,
            deadline_unix_minutes: 29_500_000,
            question: "강아지 이름이 뭐였어요?".into(),
        }
    }

    pub(crate) fn sample_report() -> DeliveryReport {
        DeliveryReport {
            order_code: OrderCode(0x1234_5678),
            amount_handed_minor: 3_000_000,
            currency: Currency::Krw,
            delivered_unix_minutes: 29_480_000,
            answer: "바둑이".into(),
            media: None,
            next_key: None,
        }
    }

    fn round_trip(message: &Message) {
        let bytes = message.encode().unwrap();
        let decoded = Message::decode(&bytes).unwrap();
        assert_eq!(&decoded, message);
        assert_eq!(decoded.encode().unwrap(), bytes);
    }

    #[test]
    fn each_payload_round_trips() {
        let mut with_media = sample_report();
        with_media.media = Some(MediaRef { len: 123_456, digest: [7; 32] });
        let mut with_key = with_media.clone();
        with_key.next_key = Some([5; 32]);
        let mut key_only = sample_report();
        key_only.next_key = Some([6; 32]);
        for payload in [
            Payload::Orders(vec![sample_order(), sample_order()]),
            Payload::Reports(vec![sample_report(), with_media, with_key, key_only]),
            Payload::Acks(Ack::settled([OrderCode(1), OrderCode(u32::MAX)])),
            Payload::Acks(Ack {
                items: vec![
                    AckItem { order_code: OrderCode(2), status: AckStatus::Disputed, reason: "틀린 답".into() },
                    AckItem { order_code: OrderCode(3), status: AckStatus::Cancelled, reason: String::new() },
                ],
                next_hub_key: Some([4; 32]),
            }),
        ] {
            round_trip(&Message::new(payload, 29_480_001).unwrap());
        }
    }

    #[test]
    fn known_encoding_of_an_ack() {
        let message = Message {
            id: MessageId([1, 2, 3, 4, 5, 6, 7, 8]),
            created_unix_minutes: 300,
            payload: Payload::Acks(Ack {
                items: vec![AckItem {
                    order_code: OrderCode(0x0A0B0C0D),
                    status: AckStatus::Disputed,
                    reason: "x".into(),
                }],
                next_hub_key: None,
            }),
        };
        assert_eq!(
            message.encode().unwrap().as_slice(),
            [2, 1, 2, 3, 4, 5, 6, 7, 8, 0xAC, 0x02, 3, 1, 0x0D, 0x0C, 0x0B, 0x0A, 1, 1, b'x', 0]
        );
    }

    #[test]
    fn known_encoding_of_a_report_with_next_key() {
        let message = Message {
            id: MessageId([1, 2, 3, 4, 5, 6, 7, 8]),
            created_unix_minutes: 300,
            payload: Payload::Reports(vec![DeliveryReport {
                order_code: OrderCode(0x0A0B0C0D),
                amount_handed_minor: 5,
                currency: Currency::Usd,
                delivered_unix_minutes: 300,
                answer: "a".into(),
                media: None,
                next_key: Some([0xEE; 32]),
            }]),
        };
        let bytes = message.encode().unwrap();
        let mut expected = vec![2, 1, 2, 3, 4, 5, 6, 7, 8, 0xAC, 0x02, 2, 1, 0x0D, 0x0C, 0x0B, 0x0A, 5];
        expected.push(Currency::Usd.to_byte() | 0x40);
        expected.extend([0xAC, 0x02, 1, b'a']);
        expected.extend([0xEE; 32]);
        assert_eq!(bytes.as_slice(), expected.as_slice());
        assert_eq!(Message::decode(&bytes).unwrap(), message);
        // The flag promises 32 bytes: fewer is an error, not a shorter key.
        assert!(Message::decode(&bytes[..bytes.len() - 1]).is_err());
        // Without the flag, the same 32 bytes are trailing garbage.
        let mut unflagged = bytes.to_vec();
        unflagged[18] &= !0x40;
        assert!(Message::decode(&unflagged).is_err());
    }

    #[test]
    fn strict_decoder_rejections() {
        let message = Message::new(Payload::Reports(vec![sample_report()]), 1).unwrap();
        let good = message.encode().unwrap().to_vec();
        assert_eq!(Message::decode(&[]), Err(DecodeError::Empty));
        for version in [0, 3, 0x81, 0xFF] {
            let mut other = good.clone();
            other[0] = version;
            assert_eq!(Message::decode(&other), Err(DecodeError::UnsupportedVersion(version)));
        }
        let mut trailing = good.clone();
        trailing.push(0);
        assert_eq!(Message::decode(&trailing), Err(DecodeError::TrailingBytes { count: 1 }));
        let mut kind = good.clone();
        kind[10] = 9; // version 1 + id 8 + created varint 1 byte -> kind at 10
        assert_eq!(Message::decode(&kind), Err(DecodeError::UnknownKind(9)));
        let mut count = good.clone();
        count[11] = 0;
        assert_eq!(Message::decode(&count), Err(DecodeError::BadItemCount(0)));
        let mut currency = good.clone();
        // order code 4 + amount varint (3_000_000 -> 4 bytes) -> currency at 12 + 4 + 4
        currency[20] = 5;
        assert_eq!(Message::decode(&currency), Err(DecodeError::UnknownCurrency(5)));
        for cut in 0..good.len() {
            assert!(Message::decode(&good[..cut]).is_err(), "prefix of {cut} bytes accepted");
        }
        // A huge item count with few bytes is refused before allocating.
        let mut huge = good[..11].to_vec();
        huge.extend_from_slice(&[0xE8, 0x07]); // 1000 items
        assert_eq!(Message::decode(&huge), Err(DecodeError::UnexpectedEnd { field: "items" }));
        huge[11..13].copy_from_slice(&[0xE9, 0x07]); // 1001 items
        assert_eq!(Message::decode(&huge), Err(DecodeError::BadItemCount(1001)));
    }

    #[test]
    fn encoder_enforces_decoder_limits() {
        let mut order = sample_order();
        order.alias = "x".repeat(MAX_ALIAS_LEN + 1);
        let message = Message::new(Payload::Orders(vec![order]), 1).unwrap();
        assert!(matches!(message.encode(), Err(EncodeError::TextTooLong { field: "alias", .. })));
        let mut report = sample_report();
        report.answer = "a\u{1B}[2J".into();
        let message = Message::new(Payload::Reports(vec![report]), 1).unwrap();
        assert_eq!(message.encode(), Err(EncodeError::ControlCharacter { field: "answer" }));
        let message = Message::new(Payload::Reports(vec![]), 1).unwrap();
        assert_eq!(message.encode(), Err(EncodeError::EmptyBatch));
        let codes = vec![OrderCode(1); MAX_BATCH_ITEMS + 1];
        let message = Message::new(Payload::Acks(Ack::settled(codes)), 1).unwrap();
        assert!(matches!(message.encode(), Err(EncodeError::TooManyItems { .. })));
    }

    #[test]
    fn largest_batch_of_orders_fits_one_sealed_message() {
        let mut order = sample_order();
        order.alias = "a".repeat(MAX_ALIAS_LEN);
        order.place_hint = "p".repeat(MAX_PLACE_HINT_LEN);
        order.question = "q".repeat(MAX_QUESTION_LEN);
        order.amount_minor = u64::MAX;
        order.fee_minor = u64::MAX;
        order.deadline_unix_minutes = u32::MAX;
        let orders = vec![order; MAX_BATCH_ITEMS];
        let message = Message::new(Payload::Orders(orders), u32::MAX).unwrap();
        let bytes = message.encode().unwrap();
        assert!(bytes.len() <= seal::MAX_PLAINTEXT_LEN, "{} bytes", bytes.len());
    }

    #[test]
    fn order_code_text() {
        assert_eq!(OrderCode(0).to_text(), "000-0000");
        assert_eq!(OrderCode(u32::MAX).to_text(), "3ZZ-ZZZZ");
        for code in [OrderCode(0x1234_5678), OrderCode(u32::MAX), OrderCode(7)] {
            assert_eq!(OrderCode::from_text(&code.to_text()).unwrap(), code);
            assert_eq!(OrderCode::from_text(&code.to_text().to_lowercase()).unwrap(), code);
        }
        assert_eq!(OrderCode::from_text("4ZZ-ZZZZ"), Err(OrderCodeError)); // > u32::MAX
        assert_eq!(OrderCode::from_text("000-000"), Err(OrderCodeError));
        assert_eq!(OrderCode::from_text("000-00000"), Err(OrderCodeError));
        assert_eq!(OrderCode::from_text("000-000U"), Err(OrderCodeError));
    }

    #[test]
    fn sealed_message_round_trip_and_errors() {
        let (hub, field, stranger) = (
            IdentityKeyPair::generate().unwrap(),
            IdentityKeyPair::generate().unwrap(),
            IdentityKeyPair::generate().unwrap(),
        );
        let message = Message::new(Payload::Reports(vec![sample_report()]), 29_480_001).unwrap();
        let text = seal_message(field.secret(), hub.public_key(), &message).unwrap();
        assert!(!text.contains("바둑이"));
        let candidates = [*stranger.public_key(), *field.public_key()];
        let (sender, opened) = open_message(hub.secret(), &candidates, &text).unwrap();
        assert_eq!(sender, 1);
        assert_eq!(opened, message);

        // Misaddressed.
        assert_eq!(open_message(stranger.secret(), &[*field.public_key()], &text), Err(ProtocolError::CannotOpen));
        // Mistyped character.
        let at = text.find(|c: char| c.is_ascii_alphanumeric()).unwrap();
        let mut typo = text.clone().into_bytes();
        typo[at] = if typo[at] == b'Q' { b'R' } else { b'Q' };
        assert_eq!(
            open_message(hub.secret(), &candidates, std::str::from_utf8(&typo).unwrap()),
            Err(ProtocolError::Armor(ArmorError::ChecksumMismatch))
        );
        // A public key pasted instead of a message.
        assert_eq!(
            open_message(hub.secret(), &candidates, &hub.public_key().to_text()),
            Err(ProtocolError::NotAMessage { len: 32 })
        );
        // Bad character, with position.
        assert!(matches!(
            open_message(hub.secret(), &candidates, "AB#"),
            Err(ProtocolError::Armor(ArmorError::BadCharacter { character: '#', line: 1, column: 3 }))
        ));
        // Valid seal and armor around a plaintext of a future version.
        let mut future = message.encode().unwrap().to_vec();
        future[0] = 3;
        let sealed = seal::seal(field.secret(), hub.public_key(), &future).unwrap();
        assert_eq!(
            open_message(hub.secret(), &candidates, &armor::armor(&sealed)),
            Err(ProtocolError::UnsupportedVersion(3))
        );
        // Valid seal around garbage.
        let sealed = seal::seal(field.secret(), hub.public_key(), &[1, 2, 3]).unwrap();
        assert!(matches!(
            open_message(hub.secret(), &candidates, &armor::armor(&sealed)),
            Err(ProtocolError::Malformed(_))
        ));
        // Tampered but re-armored with a fresh checksum (an attacker can do that).
        let mut sealed = armor::dearmor(&text).unwrap();
        sealed[40] ^= 4;
        assert_eq!(open_message(hub.secret(), &candidates, &armor::armor(&sealed)), Err(ProtocolError::CannotOpen));
    }

    #[test]
    fn error_messages_are_clear() {
        assert_eq!(
            ProtocolError::CannotOpen.to_string(),
            "cannot be opened with this key: not addressed to you, or altered"
        );
        assert!(ProtocolError::Armor(ArmorError::ChecksumMismatch).to_string().contains("mistyped or lost"));
    }

    fn text_strategy(max_chars: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof![any::<char>(), proptest::char::range('가', '힣')], 0..max_chars)
            .prop_map(|chars| chars.into_iter().filter(|c| !c.is_control()).collect::<String>())
    }

    fn currency_strategy() -> impl Strategy<Value = Currency> {
        prop_oneof![Just(Currency::Cny), Just(Currency::Krw), Just(Currency::Usd)]
    }

    fn report_strategy() -> impl Strategy<Value = DeliveryReport> {
        (
            any::<u32>(),
            any::<u64>(),
            currency_strategy(),
            any::<u32>(),
            text_strategy(30),
            proptest::option::of((any::<u64>(), any::<[u8; 32]>())),
            proptest::option::of(any::<[u8; 32]>()),
        )
            .prop_map(|(code, amount, currency, at, answer, media, next_key)| DeliveryReport {
                order_code: OrderCode(code),
                amount_handed_minor: amount,
                currency,
                delivered_unix_minutes: at,
                answer,
                media: media.map(|(len, digest)| MediaRef { len, digest }),
                next_key,
            })
    }

    fn order_strategy() -> impl Strategy<Value = Order> {
        (
            any::<u32>(),
            text_strategy(15),
            text_strategy(30),
            (any::<u64>(), currency_strategy(), any::<u64>(), any::<u32>()),
            text_strategy(60),
        )
            .prop_map(|(code, alias, place_hint, (amount, currency, fee, deadline), question)| Order {
                order_code: OrderCode(code),
                alias,
                place_hint,
                amount_minor: amount,
                currency,
                fee_minor: fee,
                deadline_unix_minutes: deadline,
                question,
            })
    }

    fn message_strategy() -> impl Strategy<Value = Message> {
        let payload = prop_oneof![
            proptest::collection::vec(order_strategy(), 1..4).prop_map(Payload::Orders),
            proptest::collection::vec(report_strategy(), 1..6).prop_map(Payload::Reports),
            (
                proptest::collection::vec((any::<u32>(), 0u8..3, text_strategy(10)), 1..20),
                proptest::option::of(any::<[u8; 32]>()),
            )
                .prop_map(|(items, next_hub_key)| Payload::Acks(Ack {
                    items: items
                        .into_iter()
                        .map(|(code, status, reason)| AckItem {
                            order_code: OrderCode(code),
                            status: AckStatus::from_byte(status).unwrap(),
                            reason,
                        })
                        .collect(),
                    next_hub_key,
                })),
        ];
        (any::<[u8; 8]>(), any::<u32>(), payload).prop_map(|(id, created, payload)| Message {
            id: MessageId(id),
            created_unix_minutes: created,
            payload,
        })
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(message in message_strategy()) {
            // Texts may exceed limits after generation; only valid ones must round-trip.
            if let Ok(bytes) = message.encode() {
                let decoded = Message::decode(&bytes).unwrap();
                prop_assert_eq!(&decoded, &message);
            }
        }

        /// Any byte string either fails to decode or is the unique encoding of what it
        /// decodes to (version 2; a version 1 message re-encodes as version 2).
        #[test]
        fn decoding_is_canonical(mut bytes in proptest::collection::vec(any::<u8>(), 0..120), v1 in any::<bool>()) {
            if let Some(first) = bytes.first_mut() {
                *first = if v1 { MESSAGE_VERSION_V1 } else { MESSAGE_VERSION };
            }
            if let Ok(message) = Message::decode(&bytes) {
                let again = message.encode().unwrap().to_vec();
                if v1 {
                    prop_assert_eq!(Message::decode(&again).unwrap(), message);
                } else {
                    prop_assert_eq!(again, bytes);
                }
            }
        }

        /// Mutating a valid encoding never panics and is either rejected or still canonical.
        #[test]
        fn mutated_encodings_never_panic(message in message_strategy(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            if let Ok(bytes) = message.encode() {
                let mut bytes = bytes.to_vec();
                let i = at.index(bytes.len());
                bytes[i] = byte;
                if let Ok(decoded) = Message::decode(&bytes)
                    && bytes[0] == MESSAGE_VERSION {
                        prop_assert_eq!(decoded.encode().unwrap().to_vec(), bytes);
                    }
            }
        }
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }

    /// Version 1 encodings written by the previous release (frozen: never regenerate).
    const V1_ORDERS: &str = "010102030405060708c1a8870e0101785634120aed81b020ec96b8eb8b8814ed989cec82b020ec8b9cec9ea520eab7bcecb298c08db70101e0a712e0c4880e21eab095ec9584eca78020ec9db4eba684ec9db420ebad90ec9880ec96b4ec9a943f09090909090909090909090909090909";
    const V1_REPORTS: &str = "010807060504030201c2a8870e020178563412c08db701c1c0a8870e09ebb094eb9191ec9db4c0c40707070707070707070707070707070707070707070707070707070707070707070505050505050505050505050505050505050505050505050505050505050505";
    const V1_ACKS: &str = "010909090909090909c3a8870e0302785634120d0c0b0a";
    /// The same three messages in version 2 (frozen).
    const V2_ORDERS: &str = "020102030405060708c1a8870e0101785634120aed81b020ec96b8eb8b8814ed989cec82b020ec8b9cec9ea520eab7bcecb298c08db70101e0a712e0c4880e21eab095ec9584eca78020ec9db4eba684ec9db420ebad90ec9880ec96b4ec9a943f";
    const V2_REPORTS: &str = "020807060504030201c2a8870e020178563412c08db701c1c0a8870e09ebb094eb9191ec9db4c0c40707070707070707070707070707070707070707070707070707070707070707070505050505050505050505050505050505050505050505050505050505050505";
    const V2_ACKS: &str = "020909090909090909c3a8870e03037856341200000d0c0b0a010aed8b80eba6b020eb8bb501000000020001eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

    fn frozen_orders() -> Message {
        Message {
            id: MessageId([1, 2, 3, 4, 5, 6, 7, 8]),
            created_unix_minutes: 29_480_001,
            payload: Payload::Orders(vec![sample_order()]),
        }
    }

    fn frozen_reports() -> Message {
        let mut report = sample_report();
        report.media = Some(MediaRef { len: 123_456, digest: [7; 32] });
        report.next_key = Some([5; 32]);
        Message {
            id: MessageId([8, 7, 6, 5, 4, 3, 2, 1]),
            created_unix_minutes: 29_480_002,
            payload: Payload::Reports(vec![report]),
        }
    }

    #[test]
    fn frozen_version_1_vectors_still_decode() {
        let orders = Message::decode(&unhex(V1_ORDERS)).unwrap();
        assert_eq!(orders, frozen_orders());
        assert_eq!(Message::decode(&unhex(V1_REPORTS)).unwrap(), frozen_reports());
        let acks = Message::decode(&unhex(V1_ACKS)).unwrap();
        assert_eq!(acks.payload, Payload::Acks(Ack::settled([OrderCode(0x1234_5678), OrderCode(0x0A0B_0C0D)])));
        // A version 1 message re-encodes as version 2 (the salt is gone).
        assert_eq!(orders.encode().unwrap().as_slice(), unhex(V2_ORDERS).as_slice());
        // The salt is still required in version 1: without it the order is cut short.
        let v1 = unhex(V1_ORDERS);
        assert!(Message::decode(&v1[..v1.len() - 16]).is_err());
        // Version 1 acknowledgement items are bare codes: a status byte is trailing garbage.
        let mut acks = unhex(V1_ACKS);
        acks.push(0);
        assert_eq!(Message::decode(&acks), Err(DecodeError::TrailingBytes { count: 1 }));
    }

    #[test]
    fn frozen_version_2_vectors() {
        assert_eq!(frozen_orders().encode().unwrap().as_slice(), unhex(V2_ORDERS).as_slice());
        assert_eq!(frozen_reports().encode().unwrap().as_slice(), unhex(V2_REPORTS).as_slice());
        let acks = Message {
            id: MessageId([9; 8]),
            created_unix_minutes: 29_480_003,
            payload: Payload::Acks(Ack {
                items: vec![
                    AckItem::settled(OrderCode(0x1234_5678)),
                    AckItem {
                        order_code: OrderCode(0x0A0B_0C0D),
                        status: AckStatus::Disputed,
                        reason: "틀린 답".into(),
                    },
                    AckItem { order_code: OrderCode(1), status: AckStatus::Cancelled, reason: String::new() },
                ],
                next_hub_key: Some([0xEE; 32]),
            }),
        };
        let bytes = acks.encode().unwrap();
        assert_eq!(
            bytes.as_slice(),
            unhex(V2_ACKS).as_slice(),
            "{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        for (hex, message) in [(V2_ORDERS, frozen_orders()), (V2_REPORTS, frozen_reports()), (V2_ACKS, acks)] {
            assert_eq!(Message::decode(&unhex(hex)).unwrap(), message);
        }
        // Unknown status and unknown flag bits are refused.
        let mut bad = unhex(V2_ACKS);
        bad[19] = 3;
        assert_eq!(Message::decode(&bad), Err(DecodeError::UnknownStatus(3)));
        let mut bad = unhex(V2_ACKS);
        let flags_at = bad.len() - 33;
        bad[flags_at] = 2;
        assert_eq!(Message::decode(&bad), Err(DecodeError::UnknownFlags(2)));
    }
}
