//! The field broker: receives orders, records deliveries as reports sealed to the hub at
//! once, sends them, and erases everything when the hub acknowledges or the retention
//! window ends.

mod cover;
#[cfg(test)]
mod staged_tests;

use std::io::{Read, Write};

use lethe_protocol::message::{MAX_ANSWER_LEN, Message, Payload};
use lethe_protocol::pairing::{PairOffer, PairReveal, PairText, Transcript, fresh_nonce};
use lethe_protocol::{
    Ack, AckStatus, CheckKey, Currency, DeliveryReport, IdentityKeyPair, IdentitySecret, MediaRef, OrderCode,
    ProtocolError, PublicKey, normalize_answer, open, seal, strip_media,
};
use lethe_vault::{ItemId, Storage, Vault};
use zeroize::Zeroizing;

use crate::error::{Error, Result, Role};
use crate::outgoing::{Outgoing, frame_batch, read_message_text};
use crate::records::{
    FIELD_HUB_KEY, FIELD_HUB_LATER, FIELD_KEY, FIELD_MEDIA, FIELD_ORDER, FIELD_PAIR_OFFER, FIELD_PAIRING, FIELD_REPORT,
    FIELD_SEEN, FIELD_SETTINGS, FieldKeyRecord, FieldOrderRecord, HubKeyRecord, HubLaterKeysRecord, OutboxRecord,
    PairOfferRecord, PairingInfo, SEEN_MESSAGE, SEEN_SETTLED_ORDER, SeenRecord, SettingsRecord, StoredSeen, add_record,
    records_named,
};
use crate::staged::Staged;
use crate::time::{DAY, to_minutes};

/// Retention window of a new field role, in days.
pub const DEFAULT_RETENTION_DAYS: u32 = 7;

/// Longest retention window, in days.
pub const MAX_RETENTION_DAYS: u32 = 365;

/// How long the field remembers the id of a message it accepted, and so the oldest
/// message it accepts: older ones could be replays it no longer recognises. An order the
/// field has seen settled is remembered as long after it left (every message that could
/// carry it is then too old).
pub const MESSAGE_MEMORY_DAYS: u64 = 30;

/// An order as the field broker sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldOrder {
    /// The order's code.
    pub code: OrderCode,
    /// Recipient alias.
    pub alias: String,
    /// Where to find the recipient (empty after delivery).
    pub place_hint: String,
    /// Amount to hand over, in minor units.
    pub amount_minor: u64,
    /// Currency of amount and fee.
    pub currency: Currency,
    /// The broker's fee, in minor units.
    pub fee_minor: u64,
    /// Deadline (minutes since the epoch).
    pub deadline_minutes: u32,
    /// The question to ask the recipient (empty after delivery).
    pub question: String,
    /// When this vault received the order (seconds since the epoch).
    pub received_at: u64,
    /// When it was delivered, if it was; its report waits for the hub's acknowledgement.
    pub delivered_at: Option<u64>,
    /// The hub's reason, if it disputed the delivery (kept until it resolves it).
    pub dispute: Option<String>,
}

/// What [`Field::receive`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Received {
    /// A message of orders.
    Orders {
        /// Codes of the orders added.
        added: Vec<OrderCode>,
        /// Orders this vault held undelivered whose terms the hub changed: the new terms
        /// replaced the old.
        edited: Vec<OrderCode>,
        /// Orders in the message this vault already had (sent again by the hub), or has
        /// seen settled (acknowledged, or delivered and erased): those are never taken
        /// back, so an order cannot be paid twice.
        already_had: usize,
    },
    /// The hub's acknowledgement.
    Ack {
        /// Orders whose records, reports and media were crypto-erased.
        erased: Vec<OrderCode>,
        /// Orders the hub disputes, with its reason: their reports are erased (the hub
        /// has them), the orders are kept with the reason until the hub resolves them.
        disputed: Vec<(OrderCode, String)>,
        /// Acknowledged orders this vault no longer had.
        unknown: usize,
    },
}

/// What one step of [`Field::pair_step`] did: the field is paired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPairStep {
    /// What to compare with the hub: the 12-digit code (remote) or the full fingerprint
    /// (direct).
    pub safety_code: String,
    /// For a remote pairing, the text to send to the hub last (this phone's key and
    /// nonce); the hub checks it against the request and shows the same code.
    pub reveal: Option<String>,
}

/// What the retention rule erased.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Orders erased.
    pub orders: usize,
    /// Sealed reports erased (with their media).
    pub reports: usize,
}

/// A photo or video to attach to a delivery.
pub enum DeliveryMedia<'a> {
    /// A JPEG or PNG photo or an MP4/MOV video in memory: its metadata is removed
    /// (allow-lists, see `lethe_protocol::strip_media`) before sealing.
    Jpeg(&'a [u8]),
    /// Any other file, sealed as it is: its metadata (place, time, phone) is **not**
    /// removed. `len` is its exact size.
    Unstripped {
        /// The content.
        reader: &'a mut (dyn Read + Send),
        /// Its size in bytes.
        len: u64,
    },
}

/// A delivery to record.
pub struct Delivery<'a> {
    /// The order delivered.
    pub code: OrderCode,
    /// Amount handed over in minor units; `None` means the order's amount.
    pub amount_minor: Option<u64>,
    /// The recipient's answer to the question, as typed.
    pub answer: &'a str,
    /// An optional photo or video.
    pub media: Option<DeliveryMedia<'a>>,
}

/// What [`Field::deliver`] recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    /// The order.
    pub code: OrderCode,
    /// Amount reported, in minor units.
    pub amount_minor: u64,
    /// The order's amount: a smaller amount reported is a partial delivery (the hub
    /// counts the fee in proportion and keeps the rest outstanding).
    pub ordered_minor: u64,
    /// Its currency.
    pub currency: Currency,
    /// Size of the sealed media file, if any.
    pub media_sealed_len: Option<u64>,
}

/// A sealed report waiting to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The order reported.
    pub code: OrderCode,
    /// When the report was sealed (seconds since the epoch).
    pub created: u64,
    /// Characters the report alone takes on the air.
    pub chars: usize,
    /// The vault item of its sealed media file, if any, and that file's size.
    pub media: Option<(ItemId, u64)>,
}

/// One of the field's key pairs, as loaded from its record.
struct FieldKey {
    item: ItemId,
    pair: IdentityKeyPair,
    created: u64,
    serial: u32,
    confirmed: bool,
}

impl FieldKey {
    fn record(&self) -> FieldKeyRecord {
        FieldKeyRecord {
            secret: self.pair.secret().to_bytes(),
            created: self.created,
            serial: self.serial,
            confirmed: self.confirmed,
        }
    }
}

/// The field's key pairs, oldest first.
fn load_keys<S: Storage>(vault: &Vault<S>) -> Result<Vec<FieldKey>> {
    let mut keys = records_named(vault, FIELD_KEY)
        .into_iter()
        .map(|info| {
            let record = FieldKeyRecord::decode(vault.read(info.id)?.as_slice())?;
            Ok(FieldKey {
                item: info.id,
                pair: IdentityKeyPair::from_secret(IdentitySecret::from_bytes(&record.secret)),
                created: record.created,
                serial: record.serial,
                confirmed: record.confirmed,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    keys.sort_by_key(|k| k.serial);
    Ok(keys)
}

/// The field role over a vault compartment. All domain rules of the field live here; the
/// command line and the terminal app only call these functions.
///
/// The field's key pair rotates (forward secrecy of orders): a report announces a new
/// public key, the hub seals every later message to it, and once the hub has used it the
/// field crypto-erases the secret halves of older keys under which it holds no order. A
/// carved copy of an old orders message then opens with nothing the phone still has.
pub struct Field<'v, S: Storage> {
    pub(crate) vault: &'v mut Vault<S>,
    /// Live key pairs, oldest first; at least one confirmed.
    keys: Vec<FieldKey>,
    /// The public half of the first key (pairing, safety code).
    pairing: PublicKey,
    hub: Option<PublicKey>,
    retention_days: u32,
    now: u64,
    erased_on_open: RetentionReport,
}

impl<'v, S: Storage> Field<'v, S> {
    /// Creates the broker's key pair in the open compartment.
    pub fn init(vault: &'v mut Vault<S>, now: u64) -> Result<Field<'v, S>> {
        if !records_named(vault, FIELD_KEY).is_empty() || !records_named(vault, FIELD_PAIRING).is_empty() {
            return Err(Error::AlreadyInitialised(Role::Field));
        }
        let pair = IdentityKeyPair::generate()?;
        let pairing = *pair.public_key();
        // The hub learns the first key at pairing: it is confirmed from the start.
        let key = FieldKey { item: ItemId(0), pair, created: now, serial: 1, confirmed: true };
        let item = add_record(vault, FIELD_KEY, &key.record().encode())?;
        if let Err(e) =
            add_record(vault, FIELD_PAIRING, &HubKeyRecord { key: pairing, paired_at: now, pairing: None }.encode())
        {
            let _ = vault.remove(item);
            return Err(e);
        }
        Ok(Field {
            vault,
            keys: vec![FieldKey { item, ..key }],
            pairing,
            hub: None,
            retention_days: DEFAULT_RETENTION_DAYS,
            now,
            erased_on_open: RetentionReport::default(),
        })
    }

    /// Opens the field role of the open compartment at time `now` (seconds since the
    /// epoch) and applies the retention rule at once (see [`Field::enforce_retention`];
    /// what it erased is in [`Field::erased_on_open`]). In a compartment above level 0 it
    /// first runs the open-time retention of the compartments below that hold a role, with
    /// their own settings, as their own opens would (so the decoy's history stays that of
    /// decoy-only use: `crate::lower`).
    pub fn open(vault: &'v mut Vault<S>, now: u64) -> Result<Field<'v, S>> {
        crate::lower::enforce_below(vault, now);
        Self::open_own(vault, now)
    }

    /// [`Field::open`] without the retention of the compartments below: what opening a
    /// hidden compartment did before that was added. For the tests' control only.
    #[doc(hidden)]
    pub fn open_own(vault: &'v mut Vault<S>, now: u64) -> Result<Field<'v, S>> {
        let keys = load_keys(vault)?;
        if keys.is_empty() {
            return Err(Error::NotInitialised(Role::Field));
        }
        if !keys.iter().any(|k| k.confirmed) {
            return Err(Error::DamagedRecord("key"));
        }
        let pairing = match records_named(vault, FIELD_PAIRING).first() {
            Some(info) => HubKeyRecord::decode(vault.read(info.id)?.as_slice())?.key,
            None => return Err(Error::DamagedRecord("pairing key")),
        };
        let hub = match records_named(vault, FIELD_HUB_KEY).first() {
            Some(info) => Some(HubKeyRecord::decode(vault.read(info.id)?.as_slice())?.key),
            None => None,
        };
        let retention_days = match records_named(vault, FIELD_SETTINGS).first() {
            Some(info) => SettingsRecord::decode(vault.read(info.id)?.as_slice())?.retention_days,
            None => DEFAULT_RETENTION_DAYS,
        };
        let mut field =
            Field { vault, keys, pairing, hub, retention_days, now, erased_on_open: RetentionReport::default() };
        field.erased_on_open = field.enforce_retention()?;
        Ok(field)
    }

    /// What the retention rule erased when this value was opened.
    pub fn erased_on_open(&self) -> RetentionReport {
        self.erased_on_open
    }

    /// The broker's first public key, to give to the hub (the one paired with; later
    /// keys travel inside reports).
    pub fn public_key(&self) -> PublicKey {
        self.pairing
    }

    /// How many key pairs this vault holds now (the rest were crypto-erased).
    pub fn live_keys(&self) -> usize {
        self.keys.len()
    }

    /// Index in `self.keys` of the newest key the hub knows: reports are sealed with it.
    fn current_key(&self) -> usize {
        self.keys.iter().rposition(|k| k.confirmed).expect("open() checks there is a confirmed key")
    }

    /// Crypto-erases every key older than the newest confirmed one under which no held
    /// order arrived. The newest confirmed key and any unconfirmed one are kept.
    fn erase_old_keys(&mut self) -> Result<()> {
        let newest = self.keys[self.current_key()].serial;
        let held: Vec<u32> = self.load_orders()?.iter().map(|(_, o)| o.key_serial).collect();
        let mut kept = Vec::with_capacity(self.keys.len());
        for key in std::mem::take(&mut self.keys) {
            if key.serial < newest && !held.contains(&key.serial) {
                if let Err(e) = self.vault.remove(key.item) {
                    kept.push(key);
                    self.keys.extend(kept);
                    return Err(e.into());
                }
            } else {
                kept.push(key);
            }
        }
        self.keys = kept;
        Ok(())
    }

    /// The hub's key, once paired.
    pub fn hub_key(&self) -> Option<PublicKey> {
        self.hub
    }

    fn hub_record(&self) -> Result<Option<HubKeyRecord>> {
        match records_named(self.vault, FIELD_HUB_KEY).first() {
            Some(info) => Ok(Some(HubKeyRecord::decode(self.vault.read(info.id)?.as_slice())?)),
            None => Ok(None),
        }
    }

    fn transcript(&self, record: &HubKeyRecord) -> Transcript {
        match &record.pairing {
            Some(p) => p.transcript,
            None => Transcript::direct(&self.pairing, &record.key),
        }
    }

    /// What to compare with the hub, once paired: the 12-digit code of a remote pairing,
    /// or the full fingerprint (160 bits) of a direct one.
    pub fn safety_code(&self) -> Option<String> {
        let record = self.hub_record().ok()??;
        Some(self.transcript(&record).comparison())
    }

    /// The full fingerprint of the pairing (32 characters), once paired.
    pub fn fingerprint(&self) -> Option<String> {
        let record = self.hub_record().ok()??;
        Some(self.transcript(&record).fingerprint())
    }

    /// The channel key of the pairing: 32 bytes only this phone and the hub hold. Derive
    /// keys for one purpose from it with [`lethe_protocol::pairing::channel_subkey`].
    pub fn channel_key(&self) -> Result<Zeroizing<[u8; 32]>> {
        let record = self.hub_record()?.ok_or(Error::NotPaired)?;
        if let Some(p) = &record.pairing {
            return Ok(p.channel_key.clone());
        }
        // Paired by an older lethe: derive it from the first key, if it is still here.
        let first = self.keys.iter().find(|k| *k.pair.public_key() == self.pairing).ok_or(Error::NoChannelKey)?;
        self.transcript(&record).channel_key(first.pair.secret(), &record.key).ok_or(Error::NoChannelKey)
    }

    /// The keyed check of messages on the air (none for a pairing of an older lethe whose
    /// first key is erased: then the public CRC is written and nothing is checked).
    fn check_key(&self) -> Option<CheckKey> {
        self.channel_key().ok().map(|k| CheckKey::from_channel_key(&k))
    }

    fn first_key_secret(&self) -> Result<&IdentitySecret> {
        self.keys
            .iter()
            .find(|k| *k.pair.public_key() == self.pairing)
            .map(|k| k.pair.secret())
            .ok_or(Error::DamagedRecord("key"))
    }

    fn record_hub(&mut self, key: PublicKey, transcript: Transcript) -> Result<()> {
        let channel_key = transcript.channel_key(self.first_key_secret()?, &key).ok_or(Error::NoChannelKey)?;
        let record = HubKeyRecord { key, paired_at: self.now, pairing: Some(PairingInfo { transcript, channel_key }) };
        add_record(self.vault, FIELD_HUB_KEY, &record.encode())?;
        self.hub = Some(key);
        Ok(())
    }

    /// Imports the hub's public key (as text, from `lethe hub init`): direct pairing, for
    /// pairing in person. Returns the full fingerprint (160 bits) to compare with the hub.
    /// For pairing over a chat, use [`Field::pair_request`] and [`Field::pair_step`].
    pub fn pair(&mut self, hub_key_text: &str) -> Result<String> {
        if self.hub.is_some() {
            return Err(Error::AlreadyPaired);
        }
        let key = PublicKey::from_text(hub_key_text).map_err(Error::BadPublicKey)?;
        if key == self.pairing || self.keys.iter().any(|k| *k.pair.public_key() == key) {
            return Err(Error::OwnKey);
        }
        let transcript = Transcript::direct(&self.pairing, &key);
        self.record_hub(key, transcript)?;
        Ok(transcript.fingerprint())
    }

    /// Starts a remote pairing: returns the pairing request to send to the hub (a
    /// commitment to this phone's key and a fresh secret nonce, which is kept). A new
    /// request replaces an older one.
    pub fn pair_request(&mut self) -> Result<String> {
        if self.hub.is_some() {
            return Err(Error::AlreadyPaired);
        }
        let nonce = Zeroizing::new(fresh_nonce()?);
        let old = records_named(self.vault, FIELD_PAIR_OFFER);
        add_record(
            self.vault,
            FIELD_PAIR_OFFER,
            &PairOfferRecord { nonce: nonce.clone(), created: self.now }.encode(),
        )?;
        for info in old {
            self.vault.remove(info.id)?;
        }
        Ok(PairOffer::new(&self.pairing, &nonce).to_text())
    }

    /// One step of pairing from a text the hub sent: its answer to this phone's pairing
    /// request (remote pairing), or its bare public key (direct pairing).
    pub fn pair_step(&mut self, text: &str) -> Result<FieldPairStep> {
        if self.hub.is_some() {
            return Err(Error::AlreadyPaired);
        }
        match PairText::parse(text)? {
            PairText::Key(_) => Ok(FieldPairStep { safety_code: self.pair(text)?, reveal: None }),
            PairText::Reply(reply) => {
                let key = reply.hub_key;
                if key == self.pairing || self.keys.iter().any(|k| *k.pair.public_key() == key) {
                    return Err(Error::OwnKey);
                }
                let info =
                    records_named(self.vault, FIELD_PAIR_OFFER).into_iter().next().ok_or(Error::NoPairingRequest)?;
                let offer = PairOfferRecord::decode(self.vault.read(info.id)?.as_slice())?;
                let transcript = Transcript::remote(&self.pairing, &key, &offer.nonce, &reply.hub_nonce);
                let reveal = PairReveal { field_key: self.pairing, field_nonce: *offer.nonce }.to_text();
                self.record_hub(key, transcript)?;
                self.vault.remove(info.id)?;
                Ok(FieldPairStep { safety_code: transcript.short_code(), reveal: Some(reveal) })
            }
            other => Err(Error::WrongPairingStep {
                expected: "the hub's answer to your pairing request, or the hub's public key",
                found: other.describe(),
            }),
        }
    }

    /// Forgets the hub's key in memory (its record was erased: see `unpair`).
    pub(crate) fn forget_hub(&mut self) {
        self.hub = None;
    }

    fn hub(&self) -> Result<PublicKey> {
        self.hub.ok_or(Error::NotPaired)
    }

    /// Hub keys announced since the pairing (oldest first), and the record's item.
    fn later_hub_keys(&self) -> Result<(Option<ItemId>, Vec<PublicKey>)> {
        match records_named(self.vault, FIELD_HUB_LATER).first() {
            Some(info) => Ok((Some(info.id), HubLaterKeysRecord::decode(self.vault.read(info.id)?.as_slice())?.keys)),
            None => Ok((None, Vec::new())),
        }
    }

    /// Every hub key a message from the hub may be signed by: the paired one and those
    /// announced since.
    fn hub_senders(&self) -> Result<Vec<PublicKey>> {
        let mut keys = vec![self.hub()?];
        keys.extend(self.later_hub_keys()?.1);
        Ok(keys)
    }

    /// The hub key reports are sealed to: the newest the hub announced (the hub erases
    /// older ones once no report can still come under them).
    fn hub_seal_key(&self) -> Result<PublicKey> {
        let hub = self.hub()?;
        Ok(self.later_hub_keys()?.1.last().copied().unwrap_or(hub))
    }

    /// Keeps a hub key announced in an authenticated acknowledgement.
    fn learn_hub_key(&mut self, bytes: &[u8; 32]) -> Result<()> {
        let key = PublicKey::from_bytes(bytes).map_err(Error::BadPublicKey)?;
        if self.keys.iter().any(|k| *k.pair.public_key() == key) {
            return Err(Error::OwnKey);
        }
        if self.hub_senders()?.contains(&key) {
            return Ok(());
        }
        let (item, mut keys) = self.later_hub_keys()?;
        keys.push(key);
        if keys.len() > HubLaterKeysRecord::MAX_KEYS {
            keys.remove(0);
        }
        let record = HubLaterKeysRecord { keys }.encode();
        match item {
            Some(id) => self.vault.replace(id, &record)?,
            None => {
                add_record(self.vault, FIELD_HUB_LATER, &record)?;
            }
        }
        Ok(())
    }

    /// Days a received order or a sealed report is kept at most.
    pub fn retention_days(&self) -> u32 {
        self.retention_days
    }

    /// Sets the retention window (1 to [`MAX_RETENTION_DAYS`] days) and applies it at once.
    pub fn set_retention_days(&mut self, days: u32) -> Result<RetentionReport> {
        if days == 0 || days > MAX_RETENTION_DAYS {
            return Err(Error::BadRetention(days));
        }
        let record = SettingsRecord { retention_days: days }.encode();
        match records_named(self.vault, FIELD_SETTINGS).first() {
            Some(info) => self.vault.replace(info.id, &record)?,
            None => {
                add_record(self.vault, FIELD_SETTINGS, &record)?;
            }
        }
        self.retention_days = days;
        self.enforce_retention()
    }

    pub(crate) fn load_orders(&self) -> Result<Vec<(ItemId, FieldOrderRecord)>> {
        records_named(self.vault, FIELD_ORDER)
            .into_iter()
            .map(|info| Ok((info.id, FieldOrderRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }

    pub(crate) fn load_outbox(&self) -> Result<Vec<(ItemId, OutboxRecord)>> {
        records_named(self.vault, FIELD_REPORT)
            .into_iter()
            .map(|info| Ok((info.id, OutboxRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }

    /// The seen-record, its item, and whether it must be written back even if nothing is
    /// added (it was in version 1's form, with ids and times in the clear).
    fn load_seen(&self) -> Result<(Option<ItemId>, SeenRecord, bool)> {
        match records_named(self.vault, FIELD_SEEN).first() {
            Some(info) => match SeenRecord::decode(self.vault.read(info.id)?.as_slice())? {
                StoredSeen::Current(seen) => Ok((Some(info.id), seen, false)),
                StoredSeen::Version1(old) => Ok((Some(info.id), SeenRecord::from_version1(&old)?, true)),
            },
            None => Ok((None, SeenRecord::new()?, false)),
        }
    }

    /// Writes the seen-record back (or adds it); returns its item.
    fn store_seen(&mut self, id: Option<ItemId>, seen: &SeenRecord) -> Result<ItemId> {
        match id {
            Some(id) => {
                self.vault.replace(id, &seen.encode())?;
                Ok(id)
            }
            None => add_record(self.vault, FIELD_SEEN, &seen.encode()),
        }
    }

    pub(crate) fn erase_outbox_entry(&mut self, id: ItemId, entry: &OutboxRecord) -> Result<()> {
        if let Some(media) = entry.media_item {
            match self.vault.remove(ItemId(media)) {
                Ok(()) | Err(lethe_vault::Error::NoSuchItem(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.vault.remove(id)?;
        Ok(())
    }

    /// Crypto-erases every order received, and every sealed report made, more than the
    /// retention window before now; media files no report refers to; and forgets
    /// message ids older than [`MESSAGE_MEMORY_DAYS`]. Runs on every [`Field::open`].
    pub fn enforce_retention(&mut self) -> Result<RetentionReport> {
        let window = u64::from(self.retention_days) * DAY;
        let mut report = RetentionReport::default();
        let (seen_id, mut seen, mut seen_changed) = self.load_seen()?;
        seen_changed |= seen.forget_expired(self.now);
        let expired: Vec<(ItemId, FieldOrderRecord)> = self
            .load_orders()?
            .into_iter()
            .filter(|(_, order)| order.received_at.saturating_add(window) <= self.now)
            .collect();
        // A delivered order that leaves is remembered first, so that no resent message
        // brings it back to be paid again.
        for (_, order) in expired.iter().filter(|(_, o)| o.delivered_at.is_some()) {
            seen.remember(SEEN_SETTLED_ORDER, &order.code.0.to_le_bytes(), self.now + MESSAGE_MEMORY_DAYS * DAY);
            seen_changed = true;
        }
        if seen_changed {
            self.store_seen(seen_id, &seen)?;
        }
        for (id, _) in expired {
            self.vault.remove(id)?;
            report.orders += 1;
        }
        let outbox = self.load_outbox()?;
        let mut kept_media: Vec<u32> = Vec::new();
        for (id, entry) in &outbox {
            if entry.created.saturating_add(window) <= self.now {
                self.erase_outbox_entry(*id, entry)?;
                report.reports += 1;
            } else if let Some(m) = entry.media_item {
                kept_media.push(m);
            }
        }
        // Media left behind by an interrupted delivery.
        for info in records_named(self.vault, FIELD_MEDIA) {
            if !kept_media.contains(&info.id.0) {
                self.vault.remove(info.id)?;
            }
        }
        crate::corrections::drop_orphan_disputes(self.vault)?;
        self.erase_old_keys()?;
        Ok(report)
    }

    /// Reads a message from the hub (orders, or an acknowledgement) and applies it.
    ///
    /// Refused, changing nothing: text that is mistyped or cut off, altered, sealed to
    /// another key or by another hub, a message received before (its id is remembered),
    /// a message older than [`MESSAGE_MEMORY_DAYS`], and reports (which go to the hub).
    /// A message that none of the live keys opens, once older keys were erased, is
    /// refused with [`Error::SealedToErasedKey`].
    pub fn receive(&mut self, text: &str) -> Result<Received> {
        let senders = self.hub_senders()?;
        let checks: Vec<CheckKey> = self.check_key().into_iter().collect();
        let sealed = read_message_text(text, &checks, &self.cover_keys())?;
        // Newest key first: that is the one the hub normally uses.
        let mut opened = None;
        for at in (0..self.keys.len()).rev() {
            match open(self.keys[at].pair.secret(), &senders, &sealed) {
                Ok((_, plaintext)) => {
                    opened = Some((at, Message::decode(&plaintext).map_err(ProtocolError::from)?));
                    break;
                }
                Err(e) => match ProtocolError::from(e) {
                    ProtocolError::CannotOpen => {}
                    other => return Err(other.into()),
                },
            }
        }
        let Some((key_at, message)) = opened else {
            let first_key_erased = !self.keys.iter().any(|k| *k.pair.public_key() == self.pairing);
            if first_key_erased {
                return Err(Error::SealedToErasedKey);
            }
            return Err(ProtocolError::CannotOpen.into());
        };
        let key_serial = self.keys[key_at].serial;
        let (mut seen_id, mut seen, _) = self.load_seen()?;
        if seen.knows(SEEN_MESSAGE, &message.id.0) {
            return Err(Error::Replayed);
        }
        let created = u64::from(message.created_unix_minutes) * 60;
        let memory = MESSAGE_MEMORY_DAYS * DAY;
        if created.saturating_add(memory) <= self.now {
            return Err(Error::MessageTooOld { age_days: (self.now - created) / DAY });
        }
        if matches!(message.payload, Payload::Reports(_)) {
            return Err(Error::UnexpectedMessage {
                expected: "orders or an acknowledgement",
                found: "delivery reports",
            });
        }

        let received = match &message.payload {
            Payload::Orders(orders) => {
                let held = self.load_orders()?;
                let mut known: Vec<OrderCode> = held.iter().map(|(_, o)| o.code).collect();
                let mut added = Vec::new();
                let mut edited = Vec::new();
                let mut already_had = 0;
                for order in orders {
                    // An order seen settled is never taken back, whatever message
                    // carries it (a late copy of a resent message).
                    if !known.contains(&order.order_code)
                        && seen.knows(SEEN_SETTLED_ORDER, &order.order_code.0.to_le_bytes())
                    {
                        already_had += 1;
                        continue;
                    }
                    if known.contains(&order.order_code) {
                        // An order the field holds undelivered, sent again with other
                        // terms: the hub edited it, and the new terms replace the old.
                        let undelivered =
                            held.iter().find(|(_, o)| o.code == order.order_code && o.delivered_at.is_none());
                        match undelivered {
                            Some((id, old))
                                if old.alias != order.alias
                                    || old.place_hint != order.place_hint
                                    || old.amount != order.amount_minor
                                    || old.currency != order.currency
                                    || old.fee != order.fee_minor
                                    || old.deadline_minutes != order.deadline_unix_minutes
                                    || old.question != order.question =>
                            {
                                let record = FieldOrderRecord::received(order, old.received_at, key_serial);
                                self.vault.replace(*id, &record.encode())?;
                                if !edited.contains(&order.order_code) {
                                    edited.push(order.order_code);
                                }
                            }
                            _ => already_had += 1,
                        }
                        continue;
                    }
                    let record = FieldOrderRecord::received(order, self.now, key_serial);
                    add_record(self.vault, FIELD_ORDER, &record.encode())?;
                    known.push(order.order_code);
                    added.push(order.order_code);
                }
                Received::Orders { added, edited, already_had }
            }
            Payload::Acks(ack) => {
                // Remembered before anything is erased: a resent orders message must
                // never bring these back.
                let until = created.max(self.now).saturating_add(memory);
                for code in &ack.order_codes() {
                    seen.remember(SEEN_SETTLED_ORDER, &code.0.to_le_bytes(), until);
                }
                seen_id = Some(self.store_seen(seen_id, &seen)?);
                let orders = self.load_orders()?;
                let outbox = self.load_outbox()?;
                let disputes = crate::corrections::load_disputes(self.vault)?;
                let mut erased = Vec::new();
                let mut disputed = Vec::new();
                let mut unknown = 0;
                for item in &ack.items {
                    let code = &item.order_code;
                    let mut found = false;
                    // The hub has the report, whatever it made of it.
                    for (id, entry) in outbox.iter().filter(|(_, e)| e.code == *code) {
                        self.erase_outbox_entry(*id, entry)?;
                        found = true;
                    }
                    if item.status == AckStatus::Disputed {
                        if orders.iter().any(|(_, o)| o.code == *code) {
                            crate::corrections::record_dispute(self.vault, &disputes, *code, &item.reason, self.now)?;
                            disputed.push((*code, item.reason.clone()));
                        } else if !found {
                            unknown += 1;
                        }
                        continue;
                    }
                    for (id, _) in orders.iter().filter(|(_, o)| o.code == *code) {
                        self.vault.remove(*id)?;
                        found = true;
                    }
                    for (id, _) in disputes.iter().filter(|(_, d)| d.code == *code) {
                        self.vault.remove(*id)?;
                    }
                    if found {
                        erased.push(*code);
                    } else {
                        unknown += 1;
                    }
                }
                Received::Ack { erased, disputed, unknown }
            }
            Payload::Reports(_) => unreachable!("refused above"),
        };

        // The hub's next key, announced in an acknowledgement: later reports go to it.
        if let Payload::Acks(Ack { next_hub_key: Some(next), .. }) = &message.payload {
            self.learn_hub_key(next)?;
        }

        // The hub has used this key: it knows it, and older keys can go.
        if !self.keys[key_at].confirmed {
            self.keys[key_at].confirmed = true;
            self.vault.replace(self.keys[key_at].item, &self.keys[key_at].record().encode())?;
        }

        seen.forget_expired(self.now);
        seen.remember(SEEN_MESSAGE, &message.id.0, created.max(self.now).saturating_add(memory));
        self.store_seen(seen_id, &seen)?;
        self.erase_old_keys()?;
        Ok(received)
    }

    /// Orders held: pending ones first (by deadline), then delivered ones waiting for
    /// the hub's acknowledgement.
    pub fn orders(&self) -> Result<Vec<FieldOrder>> {
        let disputes = crate::corrections::load_disputes(self.vault)?;
        let mut orders: Vec<FieldOrder> = self
            .load_orders()?
            .iter()
            .map(|(_, o)| FieldOrder {
                dispute: disputes.iter().find(|(_, d)| d.code == o.code).map(|(_, d)| d.reason.clone()),
                code: o.code,
                alias: o.alias.clone(),
                place_hint: o.place_hint.clone(),
                amount_minor: o.amount,
                currency: o.currency,
                fee_minor: o.fee,
                deadline_minutes: o.deadline_minutes,
                question: o.question.clone(),
                received_at: o.received_at,
                delivered_at: o.delivered_at,
            })
            .collect();
        orders.sort_by_key(|o| (o.delivered_at.is_some(), o.deadline_minutes, o.received_at));
        Ok(orders)
    }

    /// Records a delivery. The report — normalised answer, amount, time, and the media's
    /// size and digest — is sealed to the hub at once in memory; the vault keeps only
    /// the sealed bytes, which this vault cannot open. A JPEG photo loses its metadata
    /// and is sealed as a separate stream straight into the vault. The order then keeps
    /// only its code, alias and amount until the hub acknowledges the report.
    ///
    /// `progress` gets bytes of sealed media stored and the total.
    pub fn deliver(&mut self, delivery: Delivery<'_>, progress: &mut dyn FnMut(u64, u64)) -> Result<Delivered> {
        let hub = self.hub_seal_key()?;
        let orders = self.load_orders()?;
        let (order_id, order) =
            orders.iter().find(|(_, o)| o.code == delivery.code).ok_or(Error::UnknownOrder(delivery.code))?;
        if order.delivered_at.is_some() {
            return Err(Error::AlreadyDelivered(delivery.code));
        }
        if delivery.answer.trim().is_empty() {
            return Err(Error::BadAnswer("is empty: type the answer the recipient gives"));
        }
        let answer = Zeroizing::new(normalize_answer(delivery.answer));
        if answer.is_empty() {
            return Err(Error::BadAnswer("has no letters or digits (spaces and punctuation do not count)"));
        }
        if answer.len() > MAX_ANSWER_LEN {
            return Err(Error::BadAnswer("is too long for a report"));
        }
        let amount = delivery.amount_minor.unwrap_or(order.amount);
        if amount == 0 {
            return Err(Error::ZeroAmount);
        }
        if amount > order.amount {
            return Err(Error::AmountAboveOrder {
                code: order.code,
                ordered_minor: order.amount,
                currency: order.currency,
            });
        }
        let sender_at = self.current_key();

        // A next key rides in this report if the newest confirmed key opened orders this
        // vault holds (so it must be replaced before it can be erased) and no
        // unconfirmed key exists yet; or again if the report that announced the
        // unconfirmed key was erased unsent (no waiting report was sealed since that key
        // was made).
        let pending = self.keys.iter().rposition(|k| !k.confirmed);
        let current_serial = self.keys[sender_at].serial;
        let current_used = orders.iter().any(|(_, o)| o.key_serial == current_serial);
        let mut new_key = None;
        let next_key = match pending {
            None if !current_used => None,
            None => {
                let pair = IdentityKeyPair::generate()?;
                let serial = self.keys.last().map_or(1, |k| k.serial + 1);
                let key = FieldKey { item: ItemId(0), pair, created: self.now, serial, confirmed: false };
                let public = key.pair.public_key().to_bytes();
                new_key = Some(key);
                Some(public)
            }
            Some(at) => {
                let since = self.keys[at].created;
                let announced = self.load_outbox()?.iter().any(|(_, e)| e.created >= since);
                (!announced).then(|| self.keys[at].pair.public_key().to_bytes())
            }
        };

        // From here on, every item added is erased again if a later step fails.
        let mut staged = Staged::new(&mut *self.vault);
        // Media first: the report carries its size and digest.
        let mut media_item = None;
        let mut media_ref = None;
        let mut media_sealed_len = None;
        if let Some(media) = delivery.media {
            let secret = self.keys[sender_at].pair.secret();
            let (item, summary) = match media {
                DeliveryMedia::Jpeg(bytes) => {
                    let clean = Zeroizing::new(strip_media(bytes).map_err(Error::Media)?);
                    let len = clean.len() as u64;
                    crate::media::seal_into_vault(staged.vault(), FIELD_MEDIA, secret, &hub, &clean[..], len, progress)?
                }
                DeliveryMedia::Unstripped { reader, len } => {
                    crate::media::seal_into_vault(staged.vault(), FIELD_MEDIA, secret, &hub, reader, len, progress)?
                }
            };
            staged.stage(item);
            media_item = Some(item);
            media_ref = Some(MediaRef { len: summary.len, digest: summary.digest });
            media_sealed_len = Some(staged.vault().info(item)?.size);
        }
        let new_key = match new_key {
            Some(key) => {
                let item = add_record(staged.vault(), FIELD_KEY, &key.record().encode())?;
                Some(FieldKey { item: staged.stage(item), ..key })
            }
            None => None,
        };

        let report = DeliveryReport {
            order_code: delivery.code,
            amount_handed_minor: amount,
            currency: order.currency,
            delivered_unix_minutes: to_minutes(self.now),
            answer: answer.to_string(),
            media: media_ref,
            next_key,
        };
        let message = Message::new(Payload::Reports(vec![report]), to_minutes(self.now))?;
        let plaintext = message.encode().map_err(|e| Error::Message(ProtocolError::Invalid(e)))?;
        let sealed = seal(self.keys[sender_at].pair.secret(), &hub, &plaintext)
            .map_err(|e| Error::Message(ProtocolError::Seal(e)))?;
        let entry =
            OutboxRecord { code: delivery.code, created: self.now, media_item: media_item.map(|i| i.0), sealed };
        let report_id = add_record(staged.vault(), FIELD_REPORT, &entry.encode())?;
        staged.stage(report_id);
        let stub = FieldOrderRecord {
            code: order.code,
            received_at: order.received_at,
            delivered_at: Some(self.now),
            alias: order.alias.clone(),
            place_hint: String::new(),
            amount: order.amount,
            currency: order.currency,
            fee: order.fee,
            deadline_minutes: order.deadline_minutes,
            question: String::new(),
            key_serial: order.key_serial,
        };
        staged.vault().replace(*order_id, &stub.encode())?;
        staged.commit();
        self.keys.extend(new_key);
        Ok(Delivered {
            code: delivery.code,
            amount_minor: amount,
            ordered_minor: order.amount,
            currency: order.currency,
            media_sealed_len,
        })
    }

    /// Sealed reports waiting to be sent, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let mut entries = Vec::new();
        let mut outbox = self.load_outbox()?;
        outbox.sort_by_key(|(_, e)| e.created);
        for (_, e) in outbox {
            let media = match e.media_item {
                Some(item) => {
                    let id = ItemId(item);
                    Some((id, self.vault.info(id)?.size))
                }
                None => None,
            };
            entries.push(OutboxEntry {
                code: e.code,
                created: e.created,
                chars: lethe_protocol::armored_len(e.sealed.len()),
                media,
            });
        }
        Ok(entries)
    }

    /// One message with every waiting report (one report goes as it was sealed; several
    /// go in a batch sealed again around them, see [`crate::outgoing`]). Sending changes
    /// nothing in the vault: reports stay until the hub acknowledges them.
    pub fn send(&self) -> Result<Outgoing> {
        let hub = self.hub_seal_key()?;
        let mut outbox = self.load_outbox()?;
        if outbox.is_empty() {
            return Err(Error::NothingToSend);
        }
        outbox.sort_by_key(|(_, e)| e.created);
        let check = self.check_key();
        if outbox.len() == 1 {
            return self.with_cover(Outgoing::new(outbox[0].1.sealed.clone(), 1, 0, check));
        }
        let blobs: Vec<&[u8]> = outbox.iter().map(|(_, e)| e.sealed.as_slice()).collect();
        let (plaintext, count) = frame_batch(&blobs);
        let sealed = seal(self.keys[self.current_key()].pair.secret(), &hub, &plaintext)
            .map_err(|e| Error::Message(ProtocolError::Seal(e)))?;
        self.with_cover(Outgoing::new(sealed, count, outbox.len() - count, check))
    }

    /// Writes the sealed media file `item` of an outbox entry (ciphertext only: this
    /// vault cannot open it) to `sink`. `progress` gets bytes written and the total.
    pub fn write_media(&self, item: ItemId, sink: &mut dyn Write, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
        let belongs = self.load_outbox()?.iter().any(|(_, e)| e.media_item == Some(item.0));
        if !belongs {
            return Err(Error::Vault(lethe_vault::Error::NoSuchItem(item.to_string())));
        }
        let total = self.vault.info(item)?.size;
        self.vault.read_to(item, sink, &mut |done| progress(done, total))?;
        Ok(total)
    }
}
