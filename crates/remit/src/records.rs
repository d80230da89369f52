//! What the hub and the field keep in the vault: one record item per key, broker, order,
//! report, media file or ledger entry, so that each can be crypto-erased on its own.
//!
//! Every record is an item of kind [`ItemKind::Record`] whose name says what it is (the
//! names live in the compartment's encrypted index) and whose content is one of the
//! structures below, encoded with [`crate::codec`] behind a version byte.

use lethe_protocol::pairing::{NONCE_LEN, Transcript};
use lethe_protocol::{Currency, MediaRef, Order, OrderCode, PublicKey};
use lethe_vault::{ItemId, ItemInfo, ItemKind, Storage, Vault};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::codec::{Reader, Writer};
use crate::error::{Error, Result};
use crate::primitives::{ANSWER_HASH_LEN, AnswerHashParams, KEYED_TAG_LEN, keyed_tag, random_bytes};
use crate::time::DAY;

/// Version byte that starts every record this crate writes.
pub(crate) const VERSION: u8 = 1;
/// Version of the records that carry a pairing (broker at the hub, hub at the field):
/// version 1 had none (paired before pairing v2; the channel key is then derived from
/// the identity keys when asked for).
pub(crate) const PAIRED_VERSION: u8 = 2;

/// Version of a broker record that carries the hub key she uses (hub key rotation).
pub(crate) const ROTATION_VERSION: u8 = 3;

/// The hub's first X25519 secret key (serial 1; erased like any later one once no
/// broker can still use it, see [`HUB_KEY`]).
pub const HUB_IDENTITY: &str = "remit.hub.identity";
/// A later hub key pair (the hub's keys rotate: one record per key, with its serial;
/// each crypto-erased once every broker has moved past it and nothing sealed to it can
/// still arrive or is still stored).
pub const HUB_KEY: &str = "remit.hub.key";
/// A sealed media file imported at the hub, sealed to hub key serial `N`, is named
/// `remit.hub.media/N` (before rotation: [`HUB_MEDIA`], sealed to serial 1).
pub const HUB_MEDIA_PREFIX: &str = "remit.hub.media/";
/// A paired broker: her label, public key, pairing time (one per broker).
pub const HUB_BROKER: &str = "remit.hub.broker";
/// An order at the hub, with the answer's salted hash and, once imported, its report.
pub const HUB_ORDER: &str = "remit.hub.order";
/// Cash advanced to a broker (one per entry).
pub const HUB_ADVANCE: &str = "remit.hub.advance";
/// A correction: an order cancelled, edited or resolved, an account adjusted, a broker's
/// new key (one per correction, with the hub's note; see [`crate::corrections`]).
pub const HUB_CORRECTION: &str = "remit.hub.correction";
/// A sealed media file imported at the hub (kept sealed; opened on export).
pub const HUB_MEDIA: &str = "remit.hub.media";
/// One of the field broker's X25519 key pairs (they rotate: one record per key, each
/// crypto-erased once no order it opened is held and a newer key is confirmed).
pub const FIELD_KEY: &str = "remit.field.key";
/// The public half of the field's first key: what the hub paired with and what the
/// safety code is computed from (public only; the secret is erased with rotation).
pub const FIELD_PAIRING: &str = "remit.field.pairing";
/// The hub's public key at the field, with the pairing's transcript and channel key.
pub const FIELD_HUB_KEY: &str = "remit.field.hub";
/// Hub public keys announced in acknowledgements since the pairing, oldest first
/// (reports are sealed to the newest; orders may come signed by any of them).
pub const FIELD_HUB_LATER: &str = "remit.field.hub-later";
/// A remote pairing the field has started: the nonce its offer committed to.
pub const FIELD_PAIR_OFFER: &str = "remit.field.pair-offer";
/// A remote pairing the hub has answered: the broker's label and commitment, the hub's
/// nonce (one per pending pairing; erased when it completes or fails).
pub const HUB_PAIR_PENDING: &str = "remit.hub.pair-pending";
/// The field's settings (retention window).
pub const FIELD_SETTINGS: &str = "remit.field.settings";
/// What the field has seen, as keyed hashes with a day of expiry: ids of messages it
/// accepted (to refuse replays) and codes of orders settled (never to take them back).
pub const FIELD_SEEN: &str = "remit.field.seen";
/// An order at the field (one per order; after delivery only code, alias and amount).
pub const FIELD_ORDER: &str = "remit.field.order";
/// A delivery report sealed to the hub, waiting for its acknowledgement (one per report).
pub const FIELD_REPORT: &str = "remit.field.report";
/// The hub's reason for disputing a delivered order, kept with it until the hub resolves
/// it (one per disputed order).
pub const FIELD_DISPUTE: &str = "remit.field.dispute";
/// A photo or video sealed to the hub, waiting with its report (one per file).
pub const FIELD_MEDIA: &str = "remit.field.media";
/// The form messages to one broker are written in (cover text style), when set: the
/// broker's paired key and the style (one per broker with a setting).
pub const HUB_COVER: &str = "remit.hub.cover";
/// The hub's settings (retention of settled orders).
pub const HUB_SETTINGS: &str = "remit.hub.settings";
/// The ledger totals of a broker's orders erased by the hub's retention, per currency.
pub const HUB_ARCHIVE: &str = "remit.hub.archive";
/// The form messages to the hub are written in (cover text style), when set.
pub const FIELD_COVER: &str = "remit.field.cover";

/// Items of the open compartment that are records named `name`, oldest first.
pub(crate) fn records_named<S: Storage>(vault: &Vault<S>, name: &str) -> Vec<ItemInfo> {
    vault.list().into_iter().filter(|i| i.kind == ItemKind::Record && i.name == name).collect()
}

pub(crate) fn add_record<S: Storage>(vault: &mut Vault<S>, name: &str, content: &[u8]) -> Result<ItemId> {
    Ok(vault.add(ItemKind::Record, name, content)?)
}

pub(crate) fn currency_to_byte(c: Currency) -> u8 {
    match c {
        Currency::Cny => 0,
        Currency::Krw => 1,
        Currency::Usd => 2,
    }
}

pub(crate) fn currency_from_byte(b: u8, what: &'static str) -> Result<Currency> {
    match b {
        0 => Ok(Currency::Cny),
        1 => Ok(Currency::Krw),
        2 => Ok(Currency::Usd),
        _ => Err(Error::DamagedRecord(what)),
    }
}

fn public_key(bytes: &[u8; 32], what: &'static str) -> Result<PublicKey> {
    PublicKey::from_bytes(bytes).map_err(|_| Error::DamagedRecord(what))
}

/// A role's X25519 secret key.
pub(crate) struct IdentityRecord {
    pub secret: Zeroizing<[u8; 32]>,
    pub created: u64,
}

impl IdentityRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.bytes(self.secret.as_ref()).u64(self.created);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<IdentityRecord> {
        let mut r = Reader::new(bytes, VERSION, "key")?;
        let secret = Zeroizing::new(r.array::<32>()?);
        let created = r.u64()?;
        r.finish()?;
        Ok(IdentityRecord { secret, created })
    }
}

/// A broker paired with the hub.
#[derive(Clone)]
pub(crate) struct BrokerRecord {
    pub name: String,
    /// The key paired with (the safety code's).
    pub key: PublicKey,
    pub paired_at: u64,
    /// Keys the broker announced since, in authenticated reports, oldest first.
    pub later_keys: Vec<PublicKey>,
    /// The pairing (none in records written before pairing v2).
    pub pairing: Option<PairingInfo>,
    /// Serial of the newest hub key she has used (sealed a report to) or was paired
    /// with: messages to her are signed by it, and older hub keys are not hers to use.
    pub hub_serial: u32,
    /// When the hub learned `hub_serial` (orders sent before may still be reported
    /// under an older key).
    pub hub_since: u64,
}

/// What a pairing left both sides with.
#[derive(Clone)]
pub(crate) struct PairingInfo {
    pub transcript: Transcript,
    pub channel_key: Zeroizing<[u8; 32]>,
}

impl PairingInfo {
    fn write(&self, w: &mut Writer) {
        w.u8(u8::from(self.transcript.is_remote())).bytes(self.transcript.as_bytes()).bytes(self.channel_key.as_ref());
    }

    fn read(r: &mut Reader<'_>) -> Result<PairingInfo> {
        let remote = r.flag()?;
        let transcript = Transcript::from_parts(r.array()?, remote);
        let channel_key = Zeroizing::new(r.array::<32>()?);
        Ok(PairingInfo { transcript, channel_key })
    }
}

impl BrokerRecord {
    /// Every key the hub knows for this broker, oldest first.
    pub(crate) fn all_keys(&self) -> Vec<PublicKey> {
        let mut keys = vec![self.key];
        keys.extend(self.later_keys.iter().copied());
        keys
    }

    /// The key every message to this broker is sealed to: the newest learned.
    pub(crate) fn newest_key(&self) -> PublicKey {
        self.later_keys.last().copied().unwrap_or(self.key)
    }

    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(ROTATION_VERSION);
        w.text(&self.name).bytes(self.key.as_bytes()).u64(self.paired_at);
        w.u32(self.later_keys.len() as u32);
        for key in &self.later_keys {
            w.bytes(key.as_bytes());
        }
        match &self.pairing {
            Some(pairing) => {
                w.u8(1);
                pairing.write(&mut w);
            }
            None => {
                w.u8(0);
            }
        }
        w.u32(self.hub_serial).u64(self.hub_since);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<BrokerRecord> {
        const WHAT: &str = "broker";
        let (mut r, version) = Reader::new_versions(bytes, &[VERSION, PAIRED_VERSION, ROTATION_VERSION], WHAT)?;
        let name = r.text()?;
        let key = public_key(&r.array()?, WHAT)?;
        let paired_at = r.u64()?;
        let count = r.u32()? as usize;
        let mut later_keys = Vec::with_capacity(count.min(bytes.len() / 32));
        for _ in 0..count {
            later_keys.push(public_key(&r.array()?, WHAT)?);
        }
        let pairing = match version {
            PAIRED_VERSION => Some(PairingInfo::read(&mut r)?),
            ROTATION_VERSION if r.flag()? => Some(PairingInfo::read(&mut r)?),
            _ => None,
        };
        // Before rotation every broker used the hub's first key, since her pairing.
        let (hub_serial, hub_since) = if version == ROTATION_VERSION { (r.u32()?, r.u64()?) } else { (1, paired_at) };
        if hub_serial == 0 {
            return Err(Error::DamagedRecord(WHAT));
        }
        r.finish()?;
        Ok(BrokerRecord { name, key, paired_at, later_keys, pairing, hub_serial, hub_since })
    }
}

/// One of the field's key pairs.
pub(crate) struct FieldKeyRecord {
    pub secret: Zeroizing<[u8; 32]>,
    pub created: u64,
    /// Order of creation (1 for the key of `field init`); orders name the key they
    /// arrived under by it.
    pub serial: u32,
    /// Whether the hub knows this key: the first key (paired), or a later one the hub
    /// has sealed a message to. An unconfirmed key was announced in a report only.
    pub confirmed: bool,
}

impl FieldKeyRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.bytes(self.secret.as_ref()).u64(self.created).u32(self.serial).u8(u8::from(self.confirmed));
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<FieldKeyRecord> {
        let mut r = Reader::new(bytes, VERSION, "key")?;
        let secret = Zeroizing::new(r.array::<32>()?);
        let created = r.u64()?;
        let serial = r.u32()?;
        let confirmed = r.flag()?;
        r.finish()?;
        Ok(FieldKeyRecord { secret, created, serial, confirmed })
    }
}

/// Why the hub did not accept a delivery report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisputeReason {
    /// The recipient's answer does not match the expected one.
    WrongAnswer,
    /// The report names another currency than the order.
    CurrencyMismatch,
    /// The report says more was handed over than the order's amount: never counted as
    /// delivered (the field refuses to record such a delivery; a report of one comes from
    /// an altered or older program).
    AmountAboveOrder,
}

impl DisputeReason {
    fn to_byte(self) -> u8 {
        match self {
            DisputeReason::WrongAnswer => 1,
            DisputeReason::CurrencyMismatch => 2,
            DisputeReason::AmountAboveOrder => 3,
        }
    }

    fn from_byte(b: u8) -> Result<Self> {
        match b {
            1 => Ok(DisputeReason::WrongAnswer),
            2 => Ok(DisputeReason::CurrencyMismatch),
            3 => Ok(DisputeReason::AmountAboveOrder),
            _ => Err(Error::DamagedRecord("order")),
        }
    }

    /// A few words for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeReason::WrongAnswer => "wrong answer",
            DisputeReason::CurrencyMismatch => "wrong currency",
            DisputeReason::AmountAboveOrder => "amount above the order",
        }
    }
}

/// What the hub knows of a report it imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReceivedReport {
    pub amount_handed: u64,
    pub delivered_minutes: u32,
    pub received_at: u64,
    pub verdict: Option<DisputeReason>,
    pub media: Option<MediaRef>,
    pub media_item: Option<u32>,
}

/// An order as the hub keeps it, with the answer's hash and what happened to it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct HubOrderRecord {
    #[zeroize(skip)]
    pub code: OrderCode,
    pub broker: String,
    pub alias: String,
    pub place_hint: String,
    pub amount: u64,
    pub currency: Currency,
    pub fee: u64,
    pub deadline_minutes: u32,
    pub question: String,
    pub salt: [u8; 16],
    pub answer_hash: [u8; ANSWER_HASH_LEN],
    #[zeroize(skip)]
    pub hash_params: AnswerHashParams,
    pub created: u64,
    pub sent_at: Option<u64>,
    #[zeroize(skip)]
    pub report: Option<ReceivedReport>,
}

impl HubOrderRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.code.0)
            .text(&self.broker)
            .text(&self.alias)
            .text(&self.place_hint)
            .u64(self.amount)
            .u8(currency_to_byte(self.currency))
            .u64(self.fee)
            .u32(self.deadline_minutes)
            .text(&self.question)
            .bytes(&self.salt)
            .bytes(&self.answer_hash)
            .u32(self.hash_params.memory_kib)
            .u32(self.hash_params.iterations)
            .u32(self.hash_params.lanes)
            .u64(self.created)
            .opt_u64(self.sent_at);
        match &self.report {
            None => {
                w.u8(0);
            }
            Some(rep) => {
                w.u8(1)
                    .u64(rep.amount_handed)
                    .u32(rep.delivered_minutes)
                    .u64(rep.received_at)
                    .u8(rep.verdict.map_or(0, DisputeReason::to_byte));
                match &rep.media {
                    None => {
                        w.u8(0);
                    }
                    Some(m) => {
                        w.u8(1).u64(m.len).bytes(&m.digest);
                    }
                }
                w.opt_u32(rep.media_item);
            }
        }
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<HubOrderRecord> {
        const WHAT: &str = "order";
        let mut r = Reader::new(bytes, VERSION, WHAT)?;
        let code = OrderCode(r.u32()?);
        let broker = r.text()?;
        let alias = r.text()?;
        let place_hint = r.text()?;
        let amount = r.u64()?;
        let currency = currency_from_byte(r.u8()?, WHAT)?;
        let fee = r.u64()?;
        let deadline_minutes = r.u32()?;
        let question = r.text()?;
        let salt = r.array()?;
        let answer_hash = r.array()?;
        let hash_params = AnswerHashParams { memory_kib: r.u32()?, iterations: r.u32()?, lanes: r.u32()? };
        let created = r.u64()?;
        let sent_at = r.opt_u64()?;
        let report = if r.flag()? {
            let amount_handed = r.u64()?;
            let delivered_minutes = r.u32()?;
            let received_at = r.u64()?;
            let verdict = match r.u8()? {
                0 => None,
                b => Some(DisputeReason::from_byte(b)?),
            };
            let media = if r.flag()? { Some(MediaRef { len: r.u64()?, digest: r.array()? }) } else { None };
            let media_item = r.opt_u32()?;
            Some(ReceivedReport { amount_handed, delivered_minutes, received_at, verdict, media, media_item })
        } else {
            None
        };
        r.finish()?;
        Ok(HubOrderRecord {
            code,
            broker,
            alias,
            place_hint,
            amount,
            currency,
            fee,
            deadline_minutes,
            question,
            salt,
            answer_hash,
            hash_params,
            created,
            sent_at,
            report,
        })
    }
}

/// Cash the hub gave a broker in advance.
pub(crate) struct AdvanceRecord {
    pub broker: String,
    pub amount: u64,
    pub currency: Currency,
    pub at: u64,
}

impl AdvanceRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.text(&self.broker).u64(self.amount).u8(currency_to_byte(self.currency)).u64(self.at);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<AdvanceRecord> {
        const WHAT: &str = "ledger entry";
        let mut r = Reader::new(bytes, VERSION, WHAT)?;
        let broker = r.text()?;
        let amount = r.u64()?;
        let currency = currency_from_byte(r.u8()?, WHAT)?;
        let at = r.u64()?;
        r.finish()?;
        Ok(AdvanceRecord { broker, amount, currency, at })
    }
}

/// A later hub key pair.
pub(crate) struct HubKeyPairRecord {
    pub serial: u32,
    pub secret: Zeroizing<[u8; 32]>,
    pub created: u64,
}

impl HubKeyPairRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.serial).bytes(self.secret.as_ref()).u64(self.created);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<HubKeyPairRecord> {
        let mut r = Reader::new(bytes, VERSION, "hub key")?;
        let serial = r.u32()?;
        let secret = Zeroizing::new(r.array::<32>()?);
        let created = r.u64()?;
        r.finish()?;
        if serial < 2 {
            return Err(Error::DamagedRecord("hub key"));
        }
        Ok(HubKeyPairRecord { serial, secret, created })
    }
}

/// Hub public keys announced to the field since the pairing, oldest first.
pub(crate) struct HubLaterKeysRecord {
    pub keys: Vec<PublicKey>,
}

impl HubLaterKeysRecord {
    /// Most announced keys kept: the hub signs with one the broker has used, and it
    /// erases keys older than that, so old ones are never needed again.
    pub(crate) const MAX_KEYS: usize = 16;

    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.keys.len() as u32);
        for key in &self.keys {
            w.bytes(key.as_bytes());
        }
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<HubLaterKeysRecord> {
        const WHAT: &str = "hub keys";
        let mut r = Reader::new(bytes, VERSION, WHAT)?;
        let count = r.u32()? as usize;
        if count > Self::MAX_KEYS {
            return Err(Error::DamagedRecord(WHAT));
        }
        let mut keys = Vec::with_capacity(count);
        for _ in 0..count {
            keys.push(public_key(&r.array()?, WHAT)?);
        }
        r.finish()?;
        Ok(HubLaterKeysRecord { keys })
    }
}

/// The hub's public key, at the field, with the pairing (also the field's own first
/// public key, without a pairing).
pub(crate) struct HubKeyRecord {
    pub key: PublicKey,
    pub paired_at: u64,
    pub pairing: Option<PairingInfo>,
}

impl HubKeyRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(if self.pairing.is_some() { PAIRED_VERSION } else { VERSION });
        w.bytes(self.key.as_bytes()).u64(self.paired_at);
        if let Some(pairing) = &self.pairing {
            pairing.write(&mut w);
        }
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<HubKeyRecord> {
        const WHAT: &str = "hub key";
        let (mut r, version) = Reader::new_versions(bytes, &[VERSION, PAIRED_VERSION], WHAT)?;
        let key = public_key(&r.array()?, WHAT)?;
        let paired_at = r.u64()?;
        let pairing = if version == PAIRED_VERSION { Some(PairingInfo::read(&mut r)?) } else { None };
        r.finish()?;
        Ok(HubKeyRecord { key, paired_at, pairing })
    }
}

/// The field's half of a remote pairing in progress.
pub(crate) struct PairOfferRecord {
    pub nonce: Zeroizing<[u8; NONCE_LEN]>,
    pub created: u64,
}

impl PairOfferRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.bytes(self.nonce.as_ref()).u64(self.created);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<PairOfferRecord> {
        let mut r = Reader::new(bytes, VERSION, "pairing request")?;
        let nonce = Zeroizing::new(r.array()?);
        let created = r.u64()?;
        r.finish()?;
        Ok(PairOfferRecord { nonce, created })
    }
}

/// The hub's half of a remote pairing in progress.
pub(crate) struct PairPendingRecord {
    pub name: String,
    pub commitment: [u8; 32],
    pub hub_nonce: [u8; NONCE_LEN],
    pub created: u64,
    /// Serial of the hub key the answer revealed (1 in records written before rotation).
    pub hub_serial: u32,
}

impl PairPendingRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(PAIRED_VERSION);
        w.text(&self.name).bytes(&self.commitment).bytes(&self.hub_nonce).u64(self.created).u32(self.hub_serial);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<PairPendingRecord> {
        let (mut r, version) = Reader::new_versions(bytes, &[VERSION, PAIRED_VERSION], "pending pairing")?;
        let name = r.text()?;
        let commitment = r.array()?;
        let hub_nonce = r.array()?;
        let created = r.u64()?;
        let hub_serial = if version == PAIRED_VERSION { r.u32()? } else { 1 };
        r.finish()?;
        Ok(PairPendingRecord { name, commitment, hub_nonce, created, hub_serial })
    }
}

/// The field's settings.
pub(crate) struct SettingsRecord {
    pub retention_days: u32,
}

impl SettingsRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.retention_days);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<SettingsRecord> {
        let mut r = Reader::new(bytes, VERSION, "settings")?;
        let retention_days = r.u32()?;
        r.finish()?;
        Ok(SettingsRecord { retention_days })
    }
}

/// Version byte of the field's seen-record since it keeps keyed hashes (version 1 kept
/// message ids in the clear with times to the second).
pub(crate) const SEEN_VERSION: u8 = 2;

/// Length of one keyed hash in the seen-record.
pub(crate) const SEEN_TAG_LEN: usize = KEYED_TAG_LEN;
/// Label of a message id's hash in the seen-record.
pub(crate) const SEEN_MESSAGE: &[u8] = b"lethe/seen/message";
/// Label of a settled order code's hash in the seen-record.
pub(crate) const SEEN_SETTLED_ORDER: &[u8] = b"lethe/seen/settled-order";

/// What the field remembers having seen: the messages it accepted (to refuse replays)
/// and the orders it has seen settled (acknowledged by the hub, or delivered and then
/// erased), so that no later or resent message can bring such an order back.
///
/// Nothing in it is a timeline: each entry is a keyed hash (under `key`, a random key kept
/// only here and crypto-erased with the record) and the day after which it is forgotten;
/// entries are kept sorted by hash, not in the order they came.
pub(crate) struct SeenRecord {
    pub key: Zeroizing<[u8; 32]>,
    /// (keyed hash, day number (days since 1970-01-01) from which it is forgotten).
    pub entries: Vec<([u8; SEEN_TAG_LEN], u32)>,
}

/// A seen-record as stored: the current form, or version 1's message ids with the time
/// until which each was remembered (read so that it can be converted).
pub(crate) enum StoredSeen {
    Current(SeenRecord),
    Version1(Vec<([u8; 8], u64)>),
}

impl SeenRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut entries = self.entries.clone();
        entries.sort_unstable();
        let mut w = Writer::new(SEEN_VERSION);
        w.bytes(self.key.as_ref()).u32(entries.len() as u32);
        for (tag, day) in &entries {
            w.bytes(tag).u32(*day);
        }
        w.finish()
    }

    /// An empty record under a new random key.
    pub(crate) fn new() -> Result<SeenRecord> {
        Ok(SeenRecord { key: Zeroizing::new(random_bytes()?), entries: Vec::new() })
    }

    /// Version 1's entries under a new random key, each kept to the end of its day.
    pub(crate) fn from_version1(old: &[([u8; 8], u64)]) -> Result<SeenRecord> {
        let mut seen = SeenRecord::new()?;
        for (id, until) in old {
            seen.remember(SEEN_MESSAGE, id, *until);
        }
        Ok(seen)
    }

    /// Whether `data` under `label` is remembered.
    pub(crate) fn knows(&self, label: &[u8], data: &[u8]) -> bool {
        let tag = keyed_tag(&self.key, label, data);
        self.entries.iter().any(|(t, _)| *t == tag)
    }

    /// Remembers `data` under `label` at least until `until` (seconds since the epoch),
    /// rounded up to the end of that day.
    pub(crate) fn remember(&mut self, label: &[u8], data: &[u8], until: u64) {
        let tag = keyed_tag(&self.key, label, data);
        let day = u32::try_from(until.div_ceil(DAY)).unwrap_or(u32::MAX);
        match self.entries.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, d)) => *d = (*d).max(day),
            None => self.entries.push((tag, day)),
        }
    }

    /// Forgets every entry whose day has come; returns whether any was.
    pub(crate) fn forget_expired(&mut self, now: u64) -> bool {
        let before = self.entries.len();
        self.entries.retain(|(_, day)| u64::from(*day) * DAY > now);
        self.entries.len() != before
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<StoredSeen> {
        const WHAT: &str = "list of received messages";
        if bytes.first() == Some(&VERSION) {
            let mut r = Reader::new(bytes, VERSION, WHAT)?;
            let count = r.u32()? as usize;
            let mut entries = Vec::with_capacity(count.min(bytes.len() / 16));
            for _ in 0..count {
                entries.push((r.array()?, r.u64()?));
            }
            r.finish()?;
            return Ok(StoredSeen::Version1(entries));
        }
        let mut r = Reader::new(bytes, SEEN_VERSION, WHAT)?;
        let key = Zeroizing::new(r.array::<32>()?);
        let count = r.u32()? as usize;
        let mut entries = Vec::with_capacity(count.min(bytes.len() / (SEEN_TAG_LEN + 4)));
        for _ in 0..count {
            entries.push((r.array()?, r.u32()?));
        }
        r.finish()?;
        Ok(StoredSeen::Current(SeenRecord { key, entries }))
    }
}

/// An order as the field keeps it. After delivery, the place hint, question and salt
/// are dropped: only what the broker needs to recognise the order until the hub's
/// acknowledgement remains.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct FieldOrderRecord {
    #[zeroize(skip)]
    pub code: OrderCode,
    pub received_at: u64,
    pub delivered_at: Option<u64>,
    pub alias: String,
    pub place_hint: String,
    pub amount: u64,
    pub currency: Currency,
    pub fee: u64,
    pub deadline_minutes: u32,
    pub question: String,
    /// Serial of the field key the order's message was sealed to: that key is kept
    /// while the order is.
    pub key_serial: u32,
}

impl FieldOrderRecord {
    /// An order as it arrived in a message sealed to field key `key_serial`, first received
    /// at `received_at`, not delivered.
    pub(crate) fn received(order: &Order, received_at: u64, key_serial: u32) -> FieldOrderRecord {
        FieldOrderRecord {
            code: order.order_code,
            received_at,
            delivered_at: None,
            alias: order.alias.clone(),
            place_hint: order.place_hint.clone(),
            amount: order.amount_minor,
            currency: order.currency,
            fee: order.fee_minor,
            deadline_minutes: order.deadline_unix_minutes,
            question: order.question.clone(),
            key_serial,
        }
    }

    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.code.0)
            .u64(self.received_at)
            .opt_u64(self.delivered_at)
            .text(&self.alias)
            .text(&self.place_hint)
            .u64(self.amount)
            .u8(currency_to_byte(self.currency))
            .u64(self.fee)
            .u32(self.deadline_minutes)
            .text(&self.question)
            .u32(self.key_serial);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<FieldOrderRecord> {
        const WHAT: &str = "order";
        let mut r = Reader::new(bytes, VERSION, WHAT)?;
        let rec = FieldOrderRecord {
            code: OrderCode(r.u32()?),
            received_at: r.u64()?,
            delivered_at: r.opt_u64()?,
            alias: r.text()?,
            place_hint: r.text()?,
            amount: r.u64()?,
            currency: currency_from_byte(r.u8()?, WHAT)?,
            fee: r.u64()?,
            deadline_minutes: r.u32()?,
            question: r.text()?,
            key_serial: r.u32()?,
        };
        r.finish()?;
        Ok(rec)
    }
}

/// A sealed delivery report waiting in the field's outbox. `sealed` opens only with the
/// hub's secret key.
pub(crate) struct OutboxRecord {
    pub code: OrderCode,
    pub created: u64,
    pub media_item: Option<u32>,
    pub sealed: Vec<u8>,
}

impl OutboxRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.code.0).u64(self.created).opt_u32(self.media_item).blob(&self.sealed);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<OutboxRecord> {
        let mut r = Reader::new(bytes, VERSION, "sealed report")?;
        let rec =
            OutboxRecord { code: OrderCode(r.u32()?), created: r.u64()?, media_item: r.opt_u32()?, sealed: r.blob()? };
        r.finish()?;
        Ok(rec)
    }
}

/// The cover text setting of a pairing: at the hub the broker's paired key and the style,
/// at the field the style alone (`key` is then all zeros and not used).
pub(crate) struct CoverRecord {
    pub key: [u8; 32],
    pub style: lethe_protocol::cover::CoverStyle,
}

impl CoverRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        use lethe_protocol::cover::CoverStyle;
        let mut w = Writer::new(VERSION);
        w.bytes(&self.key).u8(match self.style {
            CoverStyle::KoMarket => 1,
            CoverStyle::ZhMarket => 2,
        });
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<CoverRecord> {
        use lethe_protocol::cover::CoverStyle;
        let mut r = Reader::new(bytes, VERSION, "cover setting")?;
        let key = r.array::<32>()?;
        let style = match r.u8()? {
            1 => CoverStyle::KoMarket,
            2 => CoverStyle::ZhMarket,
            _ => return Err(Error::DamagedRecord("cover setting")),
        };
        r.finish()?;
        Ok(CoverRecord { key, style })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_order_round_trip() {
        let rec = HubOrderRecord {
            code: OrderCode(42),
            broker: "mina".into(),
            alias: "큰 언니".into(),
            place_hint: "혜산".into(),
            amount: 2_000_000,
            currency: Currency::Krw,
            fee: 200_000,
            deadline_minutes: 29_000_000,
            question: "강아지?".into(),
            salt: [1; 16],
            answer_hash: [2; 32],
            hash_params: AnswerHashParams::STANDARD,
            created: 5,
            sent_at: Some(6),
            report: Some(ReceivedReport {
                amount_handed: 1_900_000,
                delivered_minutes: 7,
                received_at: 8,
                verdict: Some(DisputeReason::WrongAnswer),
                media: Some(MediaRef { len: 9, digest: [3; 32] }),
                media_item: Some(10),
            }),
        };
        let bytes = rec.encode();
        let back = HubOrderRecord::decode(&bytes).unwrap();
        assert_eq!(back.encode(), bytes);
        assert_eq!(back.report, rec.report);
        for cut in 0..bytes.len() {
            assert!(HubOrderRecord::decode(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn field_records_round_trip() {
        let order = FieldOrderRecord {
            code: OrderCode(1),
            received_at: 2,
            delivered_at: None,
            alias: "a".into(),
            place_hint: "p".into(),
            amount: 3,
            currency: Currency::Usd,
            fee: 4,
            deadline_minutes: 5,
            question: "q".into(),
            key_serial: 7,
        };
        assert_eq!(FieldOrderRecord::decode(&order.encode()).unwrap().encode(), order.encode());
        let outbox = OutboxRecord { code: OrderCode(1), created: 2, media_item: Some(3), sealed: vec![4; 90] };
        assert_eq!(OutboxRecord::decode(&outbox.encode()).unwrap().encode(), outbox.encode());
        let seen = SeenRecord { key: Zeroizing::new([5; 32]), entries: vec![([3; 16], 4), ([1; 16], 2)] };
        let Ok(StoredSeen::Current(back)) = SeenRecord::decode(&seen.encode()) else { panic!("not read back") };
        assert_eq!(*back.key, [5; 32]);
        // Sorted by hash, whatever order they were added in.
        assert_eq!(back.entries, vec![([1; 16], 2), ([3; 16], 4)]);
        // Version 1 (ids and times in the clear) is still read, to be converted.
        let mut v1 = vec![1u8];
        v1.extend_from_slice(&1u32.to_le_bytes());
        v1.extend_from_slice(&[7; 8]);
        v1.extend_from_slice(&99u64.to_le_bytes());
        let Ok(StoredSeen::Version1(old)) = SeenRecord::decode(&v1) else { panic!("version 1 not read") };
        assert_eq!(old, vec![([7; 8], 99)]);
        let key = FieldKeyRecord { secret: Zeroizing::new([9; 32]), created: 1, serial: 2, confirmed: true };
        let back = FieldKeyRecord::decode(&key.encode()).unwrap();
        assert!(back.secret == key.secret && back.serial == 2 && back.confirmed);
        let broker = BrokerRecord {
            name: "b".into(),
            key: PublicKey::from_bytes(&[9; 32]).unwrap(),
            paired_at: 3,
            later_keys: vec![PublicKey::from_bytes(&[10; 32]).unwrap()],
            pairing: None,
            hub_serial: 4,
            hub_since: 5,
        };
        let back = BrokerRecord::decode(&broker.encode()).unwrap();
        assert_eq!(back.all_keys(), broker.all_keys());
        assert_eq!(back.newest_key(), broker.later_keys[0]);
        assert_eq!((back.hub_serial, back.hub_since), (4, 5));
        // A broker record of version 1 (before pairing v2 and rotation): the hub's
        // first key since her pairing.
        let mut v1 = Writer::new(VERSION);
        v1.text("b").bytes(&[9; 32]).u64(3).u32(0);
        let old = BrokerRecord::decode(&v1.finish()).unwrap();
        assert_eq!((old.hub_serial, old.hub_since, old.pairing.is_none()), (1, 3, true));
        let mut huge = seen.encode().to_vec();
        huge[33..37].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(SeenRecord::decode(&huge).is_err());
    }
}
