//! The hub: the coordinator outside who pairs with brokers, makes orders, verifies
//! delivery reports and keeps the settlement ledger.

mod cover;
mod retention;

pub use retention::{DEFAULT_HUB_RETENTION_DAYS, HubRetentionReport, MAX_HUB_RETENTION_DAYS};

use std::io::{Read, Seek, SeekFrom, Write};

use lethe_protocol::message::{MAX_BATCH_ITEMS, Message, Payload};
use lethe_protocol::pairing::{PairOffer, PairReply, PairReveal, PairText, Transcript, fresh_nonce};
use lethe_protocol::{
    Ack, AckItem, AckStatus, CheckKey, Currency, DeliveryReport, IdentityKeyPair, IdentitySecret, MediaRef, Order,
    OrderCode, ProtocolError, PublicKey, normalize_answer, open, open_stream, seal,
};
use lethe_vault::{ItemId, ItemKind, Storage, Vault};
use zeroize::Zeroizing;

use crate::error::{Error, Result, Role};
use crate::form::OrderForm;
use crate::outgoing::{BATCH_MARKER, Outgoing, read_message_text, unframe_batch};
use crate::primitives::{AnswerHashParams, hash_answer, hashes_equal, random_bytes};
use crate::records::{
    AdvanceRecord, BrokerRecord, DisputeReason, HUB_ADVANCE, HUB_BROKER, HUB_IDENTITY, HUB_KEY, HUB_MEDIA,
    HUB_MEDIA_PREFIX, HUB_ORDER, HUB_PAIR_PENDING, HubKeyPairRecord, HubOrderRecord, IdentityRecord, PairPendingRecord,
    PairingInfo, ReceivedReport, add_record, records_named,
};
use crate::time::{DAY, to_minutes};

/// Deadline of an order whose form gives none: this long after it is made.
pub const DEFAULT_DEADLINE_DAYS: u64 = 14;

/// Longest broker name, in characters.
pub const MAX_BROKER_NAME_CHARS: usize = 32;

/// A broker paired with the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broker {
    /// The short label the hub chose (a pseudonym).
    pub name: String,
    /// The broker's public key.
    pub public_key: PublicKey,
    /// What both sides compare: the 12-digit code (read aloud) of a remote pairing, or
    /// the 160-bit fingerprint (compared in person) of a direct one.
    pub safety_code: String,
    /// The full fingerprint of the pairing (32 characters), whichever way it was made.
    pub fingerprint: String,
    /// Whether the pairing was remote (commit, then reveal; short code by voice).
    pub remote: bool,
    /// When the hub paired with the broker (seconds since the epoch).
    pub paired_at: u64,
}

/// Where an order stands at the hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HubOrderStatus {
    /// Made, not yet sent to the broker.
    New,
    /// Sent to the broker; no report yet.
    Sent,
    /// Reported with the right answer and the order's full amount.
    Delivered,
    /// Reported with the right answer and less than the order's amount: the amount
    /// reported counts as delivered, the fee in proportion to it, and the rest stays
    /// outstanding.
    Partial,
    /// Reported, but the report does not check out.
    Disputed(DisputeReason),
    /// Cancelled by the hub before a report, or a dispute resolved as cancelled.
    Cancelled,
    /// A dispute the hub resolved as delivered.
    Resolved,
}

impl HubOrderStatus {
    /// A word or two for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            HubOrderStatus::New => "new",
            HubOrderStatus::Sent => "sent",
            HubOrderStatus::Delivered => "delivered",
            HubOrderStatus::Partial => "partly delivered",
            HubOrderStatus::Disputed(DisputeReason::WrongAnswer) => "disputed: wrong answer",
            HubOrderStatus::Disputed(DisputeReason::CurrencyMismatch) => "disputed: wrong currency",
            HubOrderStatus::Disputed(DisputeReason::AmountAboveOrder) => "disputed: amount above the order",
            HubOrderStatus::Cancelled => "cancelled",
            HubOrderStatus::Resolved => "delivered (resolved)",
        }
    }
}

/// What a report said, as the hub keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSummary {
    /// Amount the broker says she handed over, in minor units of the order's currency.
    pub amount_handed_minor: u64,
    /// When she handed it over (minutes since the epoch, her clock).
    pub delivered_minutes: u32,
    /// When the hub imported the report (seconds since the epoch).
    pub received_at: u64,
    /// Whether the report announced a photo or video.
    pub has_media: bool,
    /// Whether that media file has been imported.
    pub media_imported: bool,
}

/// An order as the hub sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubOrder {
    /// The order's code.
    pub code: OrderCode,
    /// The broker it is for.
    pub broker: String,
    /// Recipient alias.
    pub alias: String,
    /// Place hint.
    pub place_hint: String,
    /// Amount to hand over, in minor units.
    pub amount_minor: u64,
    /// Currency of amount and fee.
    pub currency: Currency,
    /// The broker's fee, in minor units.
    pub fee_minor: u64,
    /// Deadline (minutes since the epoch).
    pub deadline_minutes: u32,
    /// The challenge question.
    pub question: String,
    /// When the order was made (seconds since the epoch).
    pub created: u64,
    /// When it was last sent, if ever.
    pub sent_at: Option<u64>,
    /// Where it stands.
    pub status: HubOrderStatus,
    /// The report, once imported.
    pub report: Option<ReportSummary>,
    /// The hub's note of the correction that cancelled or resolved the order, if any.
    pub note: Option<String>,
}

/// What one step of [`Hub::pair_step`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairStep {
    /// The hub's answer to a broker's pairing request: send it to her.
    Answer(String),
    /// The broker is paired: compare [`Broker::safety_code`] with her.
    Paired(Broker),
}

/// What the hub made of one report in a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportOutcome {
    /// The answer matches and the full amount was handed over: the order is delivered.
    Delivered,
    /// The answer matches and less than the order's amount was handed over: partly
    /// delivered (see [`HubOrderStatus::Partial`]).
    Partial,
    /// The report was recorded but does not check out.
    Disputed(DisputeReason),
    /// This order's report was imported before; nothing changed.
    AlreadyRecorded,
    /// No order with this code for this broker; nothing was recorded.
    UnknownOrder,
}

/// One report of an imported message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportResult {
    /// The order reported.
    pub code: OrderCode,
    /// What the hub made of it.
    pub outcome: ReportOutcome,
    /// The amount reported, in minor units.
    pub amount_handed_minor: u64,
    /// The order's amount, if the order is known.
    pub amount_ordered_minor: Option<u64>,
    /// Currency of the report.
    pub currency: Currency,
    /// Whether a media file is announced (import it with [`Hub::import_media`]).
    pub has_media: bool,
    /// Whether the acknowledgement names this order (so the broker's lethe erases it). An
    /// order whose announced media the hub has not imported yet is left out, unless the
    /// hub asked for it with `ack_without_media`: the acknowledgement of
    /// [`Hub::import_media`] names it once its media is in.
    pub acknowledged: bool,
}

/// The result of importing a message of reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The broker who sent it.
    pub broker: String,
    /// One result per report, in message order.
    pub results: Vec<ReportResult>,
    /// The acknowledgement to send back: the broker's lethe erases the orders and
    /// reports it names. It names every report of the message, recorded now or before,
    /// except those whose media the hub still lacks (see [`ReportResult::acknowledged`]);
    /// `None` when that leaves none.
    pub ack: Option<Outgoing>,
}

/// A media file imported at the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaImported {
    /// The order it belongs to.
    pub code: OrderCode,
    /// Size of the photo or video in bytes.
    pub len: u64,
    /// The acknowledgement of that order, to send to the broker now that the hub holds
    /// its report and media: her lethe then erases them.
    pub ack: Outgoing,
}

/// One line of the settlement ledger: a broker's account in one currency. All amounts
/// are in minor units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// The broker.
    pub broker: String,
    /// The currency of this line.
    pub currency: Currency,
    /// Cash the hub advanced to the broker.
    pub advanced: u128,
    /// Cash the broker handed over in delivered and partly delivered orders.
    pub delivered: u128,
    /// Fees owed to the broker: each delivered order's fee, and for a partly delivered
    /// one the fee times the amount handed over divided by the amount ordered, rounded
    /// down to the minor unit.
    pub fees_owed: u128,
    /// Cash reported in disputed orders (not counted as delivered).
    pub disputed: u128,
    /// Cash of orders not yet reported, and the rest of partly delivered ones.
    pub outstanding: u128,
    /// Sum of the hub's adjustments (signed).
    pub adjusted: i128,
    /// advanced + adjusted − delivered − fees owed: cash of the hub's the broker still holds
    /// (negative: the hub owes the broker).
    pub balance: i128,
}

/// The hub role over a vault compartment. All domain rules of the hub live here; the
/// command line and the terminal app only call these functions.
pub struct Hub<'v, S: Storage> {
    pub(crate) vault: &'v mut Vault<S>,
    /// The hub's live key pairs, oldest first (at least one). They rotate: see
    /// [`Hub::erase_old_keys`].
    keys: Vec<HubKey>,
    pub(crate) now: u64,
    erased_on_open: HubRetentionReport,
}

/// One of the hub's key pairs.
struct HubKey {
    item: ItemId,
    serial: u32,
    pair: IdentityKeyPair,
}

/// The hub's key pairs, oldest first: the first (serial 1, [`HUB_IDENTITY`]) while it
/// lives, then the later ones ([`HUB_KEY`]).
fn load_hub_keys<S: Storage>(vault: &Vault<S>) -> Result<Vec<HubKey>> {
    let mut keys = Vec::new();
    for info in records_named(vault, HUB_IDENTITY) {
        let record = IdentityRecord::decode(vault.read(info.id)?.as_slice())?;
        let pair = IdentityKeyPair::from_secret(IdentitySecret::from_bytes(&record.secret));
        keys.push(HubKey { item: info.id, serial: 1, pair });
    }
    for info in records_named(vault, HUB_KEY) {
        let record = HubKeyPairRecord::decode(vault.read(info.id)?.as_slice())?;
        let pair = IdentityKeyPair::from_secret(IdentitySecret::from_bytes(&record.secret));
        keys.push(HubKey { item: info.id, serial: record.serial, pair });
    }
    keys.sort_by_key(|k| k.serial);
    if keys.windows(2).any(|w| w[0].serial == w[1].serial) {
        return Err(Error::DamagedRecord("hub key"));
    }
    Ok(keys)
}

/// The serial of the hub key a stored media item is sealed to, from its name.
fn media_serial(name: &str) -> Option<u32> {
    if name == HUB_MEDIA {
        return Some(1);
    }
    name.strip_prefix(HUB_MEDIA_PREFIX).and_then(|n| n.parse().ok())
}

pub(crate) fn create_identity<S: Storage>(
    vault: &mut Vault<S>,
    name: &str,
    role: Role,
    now: u64,
) -> Result<IdentityKeyPair> {
    if !records_named(vault, name).is_empty() {
        return Err(Error::AlreadyInitialised(role));
    }
    let pair = IdentityKeyPair::generate()?;
    let record = IdentityRecord { secret: pair.secret().to_bytes(), created: now };
    add_record(vault, name, &record.encode())?;
    Ok(pair)
}

fn check_broker_name(name: &str) -> Result<()> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_BROKER_NAME_CHARS || name.trim() != name || name.chars().any(char::is_control) {
        return Err(Error::BadBrokerName);
    }
    Ok(())
}

impl<'v, S: Storage> Hub<'v, S> {
    /// Creates the hub's key pair in the open compartment and returns the hub.
    /// Refused if the compartment has one already.
    pub fn init(vault: &'v mut Vault<S>, now: u64) -> Result<Hub<'v, S>> {
        if !records_named(vault, HUB_KEY).is_empty() {
            return Err(Error::AlreadyInitialised(Role::Hub));
        }
        create_identity(vault, HUB_IDENTITY, Role::Hub, now)?;
        let keys = load_hub_keys(vault)?;
        Ok(Hub { vault, keys, now, erased_on_open: HubRetentionReport::default() })
    }

    /// Opens the hub role of the open compartment. `now` (seconds since the epoch) is
    /// the time every operation of this value uses. Runs the hub's retention at once and, in
    /// a compartment above level 0, first the open-time retention of the compartments below
    /// that hold a role (`crate::lower`).
    pub fn open(vault: &'v mut Vault<S>, now: u64) -> Result<Hub<'v, S>> {
        crate::lower::enforce_below(vault, now);
        Self::open_own(vault, now)
    }

    /// [`Hub::open`] without the retention of the compartments below. For the tests'
    /// control only.
    #[doc(hidden)]
    pub fn open_own(vault: &'v mut Vault<S>, now: u64) -> Result<Hub<'v, S>> {
        let keys = load_hub_keys(vault)?;
        if keys.is_empty() {
            return Err(Error::NotInitialised(Role::Hub));
        }
        let mut hub = Hub { vault, keys, now, erased_on_open: HubRetentionReport::default() };
        hub.erased_on_open = hub.enforce_retention()?;
        Ok(hub)
    }

    /// What the hub's retention erased when this value was opened (see
    /// [`Hub::enforce_retention`]).
    pub fn erased_on_open(&self) -> HubRetentionReport {
        self.erased_on_open
    }

    /// The hub's public key, to give to brokers: the newest of its keys.
    pub fn public_key(&self) -> PublicKey {
        *self.newest().pair.public_key()
    }

    /// How many hub key pairs this vault holds now (older ones were crypto-erased).
    pub fn live_keys(&self) -> usize {
        self.keys.len()
    }

    fn newest(&self) -> &HubKey {
        self.keys.last().expect("open() and init() check there is a key")
    }

    /// The live key of serial `serial`.
    fn key(&self, serial: u32) -> Result<&HubKey> {
        self.keys.iter().find(|k| k.serial == serial).ok_or(Error::DamagedRecord("hub key"))
    }

    /// The newest hub key's public half and serial (what a new pairing reveals).
    pub(crate) fn newest_public(&self) -> (PublicKey, u32) {
        let k = self.newest();
        (*k.pair.public_key(), k.serial)
    }

    /// The public half of the live hub key `serial`.
    pub(crate) fn public_of(&self, serial: u32) -> Result<PublicKey> {
        Ok(*self.key(serial)?.pair.public_key())
    }

    /// The secret half of the live hub key `serial`.
    pub(crate) fn secret_of(&self, serial: u32) -> Result<&IdentitySecret> {
        Ok(self.key(serial)?.pair.secret())
    }

    /// Whether `key` is one of the hub's own live keys.
    pub(crate) fn is_own_key(&self, key: &PublicKey) -> bool {
        self.keys.iter().any(|k| k.pair.public_key() == key)
    }

    /// The key messages to `b` are signed by: the newest she has used (she holds every
    /// hub key announced to her, so she can check it).
    fn signing_key(&self, b: &BrokerRecord) -> Result<&IdentitySecret> {
        Ok(self.key(b.hub_serial)?.pair.secret())
    }

    /// The first hub key's secret, which a pairing of an older lethe derives its channel
    /// key from (it is kept while such a broker is paired).
    fn first_secret(&self) -> Option<&IdentitySecret> {
        self.keys.first().filter(|k| k.serial == 1).map(|k| k.pair.secret())
    }

    /// A new hub key pair, announced to each broker in her next acknowledgement.
    fn new_key(&mut self) -> Result<()> {
        let serial = self.newest().serial.checked_add(1).ok_or(Error::DamagedRecord("hub key"))?;
        let pair = IdentityKeyPair::generate()?;
        let record = HubKeyPairRecord { serial, secret: pair.secret().to_bytes(), created: self.now };
        let item = add_record(self.vault, HUB_KEY, &record.encode())?;
        self.keys.push(HubKey { item, serial, pair });
        Ok(())
    }

    /// Crypto-erases every hub key that nothing can still need: older than the newest,
    /// every paired broker has used a newer one, no order sent to a broker before she
    /// moved on is still open (its report may be sealed to the old key), no stored media
    /// file is sealed to it, and no pairing in progress revealed it. The first key is
    /// also kept while a broker paired by an older lethe (no stored channel key) is
    /// paired. A report copied from a chat before its order was settled then opens with
    /// nothing the hub still holds. Returns how many keys were erased.
    pub fn erase_old_keys(&mut self) -> Result<usize> {
        let brokers = self.load_brokers()?;
        let orders = self.load_orders()?;
        let media: Vec<u32> = self
            .vault
            .list()
            .into_iter()
            .filter(|i| i.kind == ItemKind::Record)
            .filter_map(|i| media_serial(&i.name))
            .collect();
        let pending: Vec<u32> = self.pending()?.iter().map(|(_, p)| p.hub_serial).collect();
        let newest = self.newest().serial;
        let needed = |serial: u32| -> bool {
            if serial >= newest || media.contains(&serial) || pending.contains(&serial) {
                return true;
            }
            brokers.iter().any(|(_, b)| {
                b.hub_serial <= serial
                    || (serial == 1 && b.pairing.is_none())
                    || orders.iter().any(|(_, o)| {
                        o.broker == b.name && o.report.is_none() && o.sent_at.is_some_and(|t| t < b.hub_since)
                    })
            })
        };
        let (keep, erase): (Vec<HubKey>, Vec<HubKey>) =
            std::mem::take(&mut self.keys).into_iter().partition(|k| needed(k.serial));
        self.keys = keep;
        let mut erased = 0;
        let mut failed = None;
        for key in erase {
            if failed.is_some() {
                self.keys.push(key);
                continue;
            }
            match self.vault.remove(key.item) {
                Ok(()) => erased += 1,
                Err(e) => {
                    failed = Some(e);
                    self.keys.push(key);
                }
            }
        }
        self.keys.sort_by_key(|k| k.serial);
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(erased),
        }
    }

    pub(crate) fn load_brokers(&self) -> Result<Vec<(ItemId, BrokerRecord)>> {
        records_named(self.vault, HUB_BROKER)
            .into_iter()
            .map(|info| Ok((info.id, BrokerRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }

    pub(crate) fn broker(&self, name: &str) -> Result<BrokerRecord> {
        self.load_brokers()?
            .into_iter()
            .map(|(_, b)| b)
            .find(|b| b.name == name)
            .ok_or_else(|| Error::UnknownBroker(name.to_owned()))
    }

    pub(crate) fn load_orders(&self) -> Result<Vec<(ItemId, HubOrderRecord)>> {
        records_named(self.vault, HUB_ORDER)
            .into_iter()
            .map(|info| Ok((info.id, HubOrderRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }

    fn transcript_of(&self, b: &BrokerRecord) -> Transcript {
        match &b.pairing {
            Some(p) => p.transcript,
            None => Transcript::direct(&b.key, self.keys[0].pair.public_key()),
        }
    }

    pub(crate) fn broker_view(&self, b: &BrokerRecord) -> Broker {
        let transcript = self.transcript_of(b);
        Broker {
            name: b.name.clone(),
            public_key: b.key,
            safety_code: transcript.comparison(),
            fingerprint: transcript.fingerprint(),
            remote: transcript.is_remote(),
            paired_at: b.paired_at,
        }
    }

    /// The channel key of the pairing with `broker`: 32 bytes only the hub and this
    /// broker hold. Derive keys for one purpose from it with
    /// [`lethe_protocol::pairing::channel_subkey`] and a label.
    pub fn channel_key(&self, broker: &str) -> Result<Zeroizing<[u8; 32]>> {
        let b = self.broker(broker)?;
        match &b.pairing {
            Some(p) => Ok(p.channel_key.clone()),
            None => self
                .transcript_of(&b)
                .channel_key(self.first_secret().ok_or(Error::NoChannelKey)?, &b.key)
                .ok_or(Error::NoChannelKey),
        }
    }

    /// The keyed check of messages to and from `b`.
    pub(crate) fn check_key(&self, b: &BrokerRecord) -> Option<CheckKey> {
        let channel_key = match &b.pairing {
            Some(p) => p.channel_key.clone(),
            None => self.transcript_of(b).channel_key(self.first_secret()?, &b.key)?,
        };
        Some(CheckKey::from_channel_key(&channel_key))
    }

    fn check_new_broker(&self, name: &str, key: &PublicKey) -> Result<()> {
        if self.keys.iter().any(|k| k.pair.public_key() == key) {
            return Err(Error::OwnKey);
        }
        for (_, existing) in self.load_brokers()? {
            if existing.name == name {
                return Err(Error::BrokerExists(name.to_owned()));
            }
            if existing.all_keys().contains(key) {
                return Err(Error::BrokerKeyExists { existing: existing.name.clone() });
            }
        }
        Ok(())
    }

    fn record_broker(&mut self, name: &str, key: PublicKey, transcript: Transcript, hub_serial: u32) -> Result<Broker> {
        let channel_key =
            transcript.channel_key(self.key(hub_serial)?.pair.secret(), &key).ok_or(Error::NoChannelKey)?;
        let record = BrokerRecord {
            name: name.to_owned(),
            key,
            paired_at: self.now,
            later_keys: Vec::new(),
            pairing: Some(PairingInfo { transcript, channel_key }),
            hub_serial,
            hub_since: self.now,
        };
        add_record(self.vault, HUB_BROKER, &record.encode())?;
        Ok(self.broker_view(&record))
    }

    pub(crate) fn pending(&self) -> Result<Vec<(ItemId, PairPendingRecord)>> {
        records_named(self.vault, HUB_PAIR_PENDING)
            .into_iter()
            .map(|info| Ok((info.id, PairPendingRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }

    /// The hub's answer to a remote pairing request under `name` (a new broker's or a
    /// new phone's): kept as pending with the newest hub key, replacing an older request of
    /// the same name. Returns the text to send back.
    pub(crate) fn answer_offer(&mut self, name: &str, commitment: [u8; 32]) -> Result<String> {
        let (hub_key, hub_serial) = self.newest_public();
        let reply = PairReply { hub_key, hub_nonce: fresh_nonce()? };
        let record = PairPendingRecord {
            name: name.to_owned(),
            commitment,
            hub_nonce: reply.hub_nonce,
            created: self.now,
            hub_serial,
        };
        let older: Vec<ItemId> =
            self.pending()?.into_iter().filter(|(_, p)| p.name == name).map(|(id, _)| id).collect();
        add_record(self.vault, HUB_PAIR_PENDING, &record.encode())?;
        for id in older {
            self.vault.remove(id)?;
        }
        Ok(reply.to_text())
    }

    /// The last step of a remote pairing under `name`: the pending request is found, the
    /// broker's key passes `check_key`, and the reveal matches the commitment (a failed
    /// reveal ends the attempt: no second guess). Returns the pending record's item (to
    /// erase once paired), the hub key serial the answer revealed, and the transcript.
    pub(crate) fn check_reveal(
        &mut self,
        name: &str,
        reveal: &PairReveal,
        check_key: impl FnOnce(&Self, &PublicKey) -> Result<()>,
    ) -> Result<(ItemId, u32, Transcript)> {
        let (id, pending) = self
            .pending()?
            .into_iter()
            .find(|(_, p)| p.name == name)
            .ok_or_else(|| Error::NoPairingPending(name.to_owned()))?;
        check_key(self, &reveal.field_key)?;
        if let Err(e) = (PairOffer { commitment: pending.commitment }).verify(reveal) {
            self.vault.remove(id)?;
            return Err(e.into());
        }
        let transcript = Transcript::remote(
            &reveal.field_key,
            &self.public_of(pending.hub_serial)?,
            &reveal.field_nonce,
            &pending.hub_nonce,
        );
        Ok((id, pending.hub_serial, transcript))
    }

    /// One step of pairing with a broker named `name`, from the text she sent:
    ///
    /// - her pairing request (remote pairing, first step): the hub keeps it and returns
    ///   [`PairStep::Answer`], the text to send back to her;
    /// - her key and nonce (remote pairing, last step): checked against her request, the
    ///   broker is paired, [`PairStep::Paired`] with the 12-digit code to read aloud;
    /// - her bare public key (direct pairing, in person): paired at once,
    ///   [`PairStep::Paired`] with the full fingerprint to compare.
    pub fn pair_step(&mut self, name: &str, text: &str) -> Result<PairStep> {
        check_broker_name(name)?;
        match PairText::parse(text)? {
            PairText::Key(_) => Ok(PairStep::Paired(self.add_broker(name, text)?)),
            PairText::Offer(offer) => {
                if self.load_brokers()?.iter().any(|(_, b)| b.name == name) {
                    return Err(Error::BrokerExists(name.to_owned()));
                }
                Ok(PairStep::Answer(self.answer_offer(name, offer.commitment)?))
            }
            PairText::Reveal(reveal) => {
                let (id, serial, transcript) =
                    self.check_reveal(name, &reveal, |hub, key| hub.check_new_broker(name, key))?;
                let broker = self.record_broker(name, reveal.field_key, transcript, serial)?;
                self.vault.remove(id)?;
                Ok(PairStep::Paired(broker))
            }
            other @ PairText::Reply(_) => Err(Error::WrongPairingStep {
                expected: "a broker's pairing request, her pairing key, or her public key",
                found: other.describe(),
            }),
        }
    }

    /// Pairs with a broker: `key_text` is the broker's public key as text (from
    /// `lethe field init`), `name` a short label of the hub's choosing. Returns the
    /// broker with the fingerprint to compare with her.
    ///
    /// This is direct pairing, for pairing in person: the safety code is the full
    /// fingerprint (160 bits). For pairing over a chat, use [`Hub::pair_step`].
    pub fn add_broker(&mut self, name: &str, key_text: &str) -> Result<Broker> {
        check_broker_name(name)?;
        let key = PublicKey::from_text(key_text).map_err(Error::BadPublicKey)?;
        self.check_new_broker(name, &key)?;
        let newest = self.newest();
        let (hub_key, serial) = (*newest.pair.public_key(), newest.serial);
        self.record_broker(name, key, Transcript::direct(&key, &hub_key), serial)
    }

    /// The paired brokers, in pairing order.
    pub fn brokers(&self) -> Result<Vec<Broker>> {
        Ok(self.load_brokers()?.iter().map(|(_, b)| self.broker_view(b)).collect())
    }

    /// Makes an order for `broker` from a checked form. Only the salted Argon2id hash
    /// of the normalised answer is stored. Returns the new order's code.
    pub fn create_order(&mut self, broker: &str, form: &OrderForm) -> Result<OrderCode> {
        self.broker(broker)?;
        let deadline_minutes =
            form.deadline_minutes.unwrap_or_else(|| to_minutes(self.now + DEFAULT_DEADLINE_DAYS * DAY));
        if u64::from(deadline_minutes) < self.now / 60 {
            return Err(Error::DeadlinePassed);
        }
        let existing: Vec<OrderCode> = self.load_orders()?.iter().map(|(_, o)| o.code).collect();
        let code = loop {
            let candidate = OrderCode::random()?;
            if !existing.contains(&candidate) {
                break candidate;
            }
        };
        let salt: [u8; 16] = random_bytes()?;
        let normalized = Zeroizing::new(normalize_answer(&form.answer));
        let params = AnswerHashParams::STANDARD;
        let answer_hash = hash_answer(&normalized, &salt, params)?;
        let record = HubOrderRecord {
            code,
            broker: broker.to_owned(),
            alias: form.alias.clone(),
            place_hint: form.place_hint.clone(),
            amount: form.amount_minor,
            currency: form.currency,
            fee: form.fee_minor,
            deadline_minutes,
            question: form.question.clone(),
            salt,
            answer_hash: *answer_hash,
            hash_params: params,
            created: self.now,
            sent_at: None,
            report: None,
        };
        add_record(self.vault, HUB_ORDER, &record.encode())?;
        Ok(code)
    }

    fn order_view(record: &HubOrderRecord) -> HubOrder {
        let status = match (&record.report, record.sent_at) {
            (Some(r), _) => match r.verdict {
                None if r.amount_handed < record.amount => HubOrderStatus::Partial,
                None => HubOrderStatus::Delivered,
                Some(reason) => HubOrderStatus::Disputed(reason),
            },
            (None, Some(_)) => HubOrderStatus::Sent,
            (None, None) => HubOrderStatus::New,
        };
        HubOrder {
            code: record.code,
            broker: record.broker.clone(),
            alias: record.alias.clone(),
            place_hint: record.place_hint.clone(),
            amount_minor: record.amount,
            currency: record.currency,
            fee_minor: record.fee,
            deadline_minutes: record.deadline_minutes,
            question: record.question.clone(),
            created: record.created,
            sent_at: record.sent_at,
            status,
            report: record.report.as_ref().map(|r| ReportSummary {
                amount_handed_minor: r.amount_handed,
                delivered_minutes: r.delivered_minutes,
                received_at: r.received_at,
                has_media: r.media.is_some(),
                media_imported: r.media_item.is_some(),
            }),
            note: None,
        }
    }

    /// Every order, sorted by broker, then by when it was made.
    pub fn orders(&self) -> Result<Vec<HubOrder>> {
        let corrections = self.load_corrections()?;
        let mut orders: Vec<HubOrder> = self
            .load_orders()?
            .iter()
            .map(|(_, o)| {
                let mut view = Self::order_view(o);
                // A report after a cancellation wins: the money was handed over.
                if let Some((status, note)) = Self::corrected_status(&corrections, o.code, o.report.as_ref()) {
                    view.status = status;
                    view.note = Some(note);
                }
                view
            })
            .collect();
        orders.sort_by(|a, b| a.broker.cmp(&b.broker).then(a.created.cmp(&b.created)));
        Ok(orders)
    }

    /// Seals every order for `broker` that was not sent yet (with `resend`, also those
    /// sent but not reported) into one message, and marks them sent. At most
    /// [`MAX_BATCH_ITEMS`] orders go in one message; [`Outgoing::remaining`] says how
    /// many wait for the next.
    pub fn send_orders(&mut self, broker: &str, resend: bool) -> Result<Outgoing> {
        let broker = self.broker(broker)?;
        let corrections = self.load_corrections()?;
        let mut waiting: Vec<(ItemId, HubOrderRecord)> = self
            .load_orders()?
            .into_iter()
            .filter(|(_, o)| o.broker == broker.name && o.report.is_none() && (resend || o.sent_at.is_none()))
            // A cancelled order is never sent (again).
            .filter(|(_, o)| Self::corrected_status(&corrections, o.code, None).is_none())
            .collect();
        if waiting.is_empty() {
            return Err(Error::NothingToSend);
        }
        waiting.sort_by_key(|(_, o)| o.created);
        let remaining = waiting.len().saturating_sub(MAX_BATCH_ITEMS);
        waiting.truncate(MAX_BATCH_ITEMS);
        let orders: Vec<Order> = waiting
            .iter()
            .map(|(_, o)| Order {
                order_code: o.code,
                alias: o.alias.clone(),
                place_hint: o.place_hint.clone(),
                amount_minor: o.amount,
                currency: o.currency,
                fee_minor: o.fee,
                deadline_unix_minutes: o.deadline_minutes,
                question: o.question.clone(),
            })
            .collect();
        let count = orders.len();
        let message = Message::new(Payload::Orders(orders), to_minutes(self.now))?;
        let plaintext = message.encode().map_err(|e| Error::Message(ProtocolError::Invalid(e)))?;
        // To the newest key the broker announced: she erases older ones (forward secrecy).
        let sealed = seal(self.signing_key(&broker)?, &broker.newest_key(), &plaintext)
            .map_err(|e| Error::Message(ProtocolError::Seal(e)))?;
        for (id, mut order) in waiting {
            if order.sent_at.is_none() {
                order.sent_at = Some(self.now);
                self.vault.replace(id, &order.encode())?;
            }
        }
        self.with_cover(Outgoing::new(sealed, count, remaining, self.check_key(&broker)), &broker)
    }

    /// Opens the reports in `text` (from any paired broker), verifies each answer
    /// against the stored hash in constant time after normalisation, records each order
    /// as delivered or disputed, and makes the acknowledgement for the broker.
    ///
    /// Reports imported before are reported as [`ReportOutcome::AlreadyRecorded`] and
    /// change nothing, but are acknowledged again: the broker sends them until an
    /// acknowledgement reaches her. A message that cannot be opened or read changes
    /// nothing.
    pub fn receive(&mut self, text: &str) -> Result<Receipt> {
        self.receive_with(text, false)
    }

    /// [`Hub::receive`], choosing whether the acknowledgement also names orders whose
    /// announced photo or video has not been imported yet (`ack_without_media`): the
    /// broker's lethe then erases its only copy of that media.
    pub fn receive_with(&mut self, text: &str, ack_without_media: bool) -> Result<Receipt> {
        let brokers = self.load_brokers()?;
        let checks: Vec<CheckKey> = brokers.iter().filter_map(|(_, b)| self.check_key(b)).collect();
        let sealed = read_message_text(text, &checks, &self.cover_keys(&brokers))?;
        let (owners, candidates) = every_broker_key(&brokers);
        let (serial, index, plaintext) = self.open_any(&candidates, &sealed)?;
        let (broker_id, mut broker) = {
            let (id, b) = &brokers[owners[index]];
            (*id, b.clone())
        };
        let (reports, inner_serial) = self.read_reports(&plaintext, &broker.all_keys())?;
        // The newest hub key she sealed to: she has the acknowledgement that announced it.
        let used = serial.max(inner_serial);
        let moved_on = used > broker.hub_serial;
        if moved_on {
            broker.hub_serial = used;
            broker.hub_since = self.now;
        }

        // Keys the broker announced in these (authenticated) reports: every later
        // message to her is sealed to the newest.
        let mut learned = false;
        for report in &reports {
            if let Some(bytes) = &report.next_key {
                let key = PublicKey::from_bytes(bytes).map_err(Error::BadPublicKey)?;
                if self.keys.iter().any(|k| *k.pair.public_key() == key) {
                    return Err(Error::OwnKey);
                }
                // Another broker's key would make her messages open as this broker's.
                if let Some((_, other)) = brokers.iter().find(|(id, b)| *id != broker_id && b.all_keys().contains(&key))
                {
                    return Err(Error::BrokerKeyExists { existing: other.name.clone() });
                }
                if !broker.all_keys().contains(&key) {
                    broker.later_keys.push(key);
                    learned = true;
                }
            }
        }

        let mut orders = self.load_orders()?;
        let mut results = Vec::with_capacity(reports.len());
        let mut changed: Vec<usize> = Vec::new();
        let mut acked: Vec<AckItem> = Vec::new();
        for report in &reports {
            let first_mention = !acked.iter().any(|item| item.order_code == report.order_code);
            let found = orders.iter().position(|(_, o)| o.code == report.order_code && o.broker == broker.name);
            let has_media = report.media.is_some();
            let Some(at) = found else {
                results.push(ReportResult {
                    code: report.order_code,
                    outcome: ReportOutcome::UnknownOrder,
                    amount_handed_minor: report.amount_handed_minor,
                    amount_ordered_minor: None,
                    currency: report.currency,
                    has_media,
                    acknowledged: true,
                });
                if first_mention {
                    acked.push(AckItem {
                        order_code: report.order_code,
                        status: AckStatus::Cancelled,
                        reason: "no such order at the hub".into(),
                    });
                }
                continue;
            };
            let order = &mut orders[at].1;
            let outcome = if order.report.is_some() {
                ReportOutcome::AlreadyRecorded
            } else {
                let verdict = verify(order, report)?;
                order.report = Some(ReceivedReport {
                    amount_handed: report.amount_handed_minor,
                    delivered_minutes: report.delivered_unix_minutes,
                    received_at: self.now,
                    verdict,
                    media: report.media,
                    media_item: None,
                });
                changed.push(at);
                match verdict {
                    None if report.amount_handed_minor < order.amount => ReportOutcome::Partial,
                    None => ReportOutcome::Delivered,
                    Some(reason) => ReportOutcome::Disputed(reason),
                }
            };
            // The recorded report's media (the first report of an order is the one kept).
            let media_missing = order.report.as_ref().is_some_and(|r| r.media.is_some() && r.media_item.is_none());
            let acknowledged = ack_without_media || !media_missing;
            if first_mention && acknowledged {
                acked.push(match order.report.as_ref().and_then(|r| r.verdict) {
                    None => AckItem::settled(report.order_code),
                    Some(reason) => AckItem {
                        order_code: report.order_code,
                        status: AckStatus::Disputed,
                        reason: reason.as_str().into(),
                    },
                });
            }
            results.push(ReportResult {
                code: report.order_code,
                outcome,
                amount_handed_minor: report.amount_handed_minor,
                amount_ordered_minor: Some(order.amount),
                currency: report.currency,
                has_media,
                acknowledged,
            });
        }

        let ack_count = acked.len();
        let ack = if acked.is_empty() {
            None
        } else {
            // Rotation: a broker who uses the newest hub key gets a newer one in this
            // acknowledgement; one who does not yet use it gets it again.
            if broker.hub_serial >= self.newest().serial {
                self.new_key()?;
            }
            Some(self.seal_ack(&broker, acked)?)
        };
        if learned || moved_on {
            self.vault.replace(broker_id, &broker.encode())?;
        }
        for at in changed {
            let (id, order) = &orders[at];
            self.vault.replace(*id, &order.encode())?;
        }
        self.erase_old_keys()?;
        let check = self.check_key(&broker);
        let ack = match ack {
            Some(a) => Some(self.with_cover(Outgoing::new(a, ack_count, 0, check), &broker)?),
            None => None,
        };
        Ok(Receipt { broker: broker.name, results, ack })
    }

    /// An acknowledgement of `items`, sealed to the broker's newest key.
    /// Every acknowledgement announces the hub's newest key (rotation) and is signed by
    /// the hub key the broker last used.
    pub(crate) fn seal_ack(&self, broker: &BrokerRecord, items: Vec<AckItem>) -> Result<Vec<u8>> {
        let next_hub_key = Some(self.public_key().to_bytes());
        let message = Message::new(Payload::Acks(Ack { items, next_hub_key }), to_minutes(self.now))?;
        let plaintext = message.encode().map_err(|e| Error::Message(ProtocolError::Invalid(e)))?;
        seal(self.signing_key(broker)?, &broker.newest_key(), &plaintext)
            .map_err(|e| Error::Message(ProtocolError::Seal(e)))
    }

    /// The reports in an opened plaintext: one message, or a batch of messages each
    /// sealed by one of `broker_keys` (the same broker's keys).
    /// Returns the reports and the newest hub key serial an inner message was sealed to
    /// (0 for a single message).
    fn read_reports(&self, plaintext: &[u8], broker_keys: &[PublicKey]) -> Result<(Vec<DeliveryReport>, u32)> {
        if plaintext.first() == Some(&BATCH_MARKER) {
            let mut reports = Vec::new();
            let mut newest = 0;
            for blob in unframe_batch(plaintext)? {
                let (serial, _, inner) = self.open_any(broker_keys, blob)?;
                newest = newest.max(serial);
                reports.extend(reports_of(&inner)?);
            }
            Ok((reports, newest))
        } else {
            Ok((reports_of(plaintext)?, 0))
        }
    }

    /// Opens `sealed` with any live hub key (newest first) from any of `senders`: the
    /// serial of the hub key, the index of the sender, the plaintext.
    fn open_any(&self, senders: &[PublicKey], sealed: &[u8]) -> Result<(u32, usize, Zeroizing<Vec<u8>>)> {
        for key in self.keys.iter().rev() {
            match open(key.pair.secret(), senders, sealed) {
                Ok((index, plaintext)) => return Ok((key.serial, index, plaintext)),
                Err(e) => match ProtocolError::from(e) {
                    ProtocolError::CannotOpen => {}
                    other => return Err(Error::Message(other)),
                },
            }
        }
        Err(Error::Message(ProtocolError::CannotOpen))
    }

    /// Imports a sealed media file written by `lethe field send --media-dir`. It is
    /// opened completely first (so a cut-off or altered file changes nothing), matched
    /// to an imported report that announced its size and digest and has no media yet,
    /// then stored as it is (sealed) in the vault. Media is kept per order: two reports
    /// that announced the same photo each take one of the two sealed files (their
    /// content is the same). Returns the acknowledgement of that order, which
    /// [`Hub::receive`] held back until now. `progress` gets bytes done and the total
    /// of both passes.
    pub fn import_media<R: Read + Seek>(
        &mut self,
        mut source: R,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<MediaImported> {
        let sealed_len = source.seek(SeekFrom::End(0)).map_err(Error::Io)?;
        source.rewind().map_err(Error::Io)?;
        let brokers = self.load_brokers()?;
        let (owners, candidates) = every_broker_key(&brokers);
        let total = 2 * sealed_len;
        let mut counting = ProgressReader { inner: &mut source, done: 0, total, progress: &mut *progress };
        let mut opened = None;
        for key in self.keys.iter().rev() {
            counting.inner.rewind().map_err(Error::Io)?;
            counting.done = 0;
            match open_stream(key.pair.secret(), &candidates, &mut counting, std::io::sink(), |_| {}) {
                Ok((index, summary)) => {
                    opened = Some((key.serial, index, summary));
                    break;
                }
                Err(lethe_protocol::StreamError::Io(io)) => return Err(Error::Io(io)),
                Err(lethe_protocol::StreamError::CannotOpen) => {}
                Err(other) => return Err(Error::MediaFile(other)),
            }
        }
        let (serial, index, summary) = opened.ok_or(Error::MediaFile(lethe_protocol::StreamError::CannotOpen))?;
        let broker = &brokers[owners[index]].1;
        let wanted = MediaRef { len: summary.len, digest: summary.digest };
        let orders = self.load_orders()?;
        let mut announced: Vec<&(ItemId, HubOrderRecord)> = orders
            .iter()
            .filter(|(_, o)| o.broker == broker.name && o.report.as_ref().is_some_and(|r| r.media == Some(wanted)))
            .collect();
        if announced.is_empty() {
            return Err(Error::MediaWithoutReport);
        }
        announced.sort_by_key(|(_, o)| o.report.as_ref().map_or(0, |r| r.received_at));
        let (order_id, order) =
            match announced.iter().find(|(_, o)| o.report.as_ref().is_some_and(|r| r.media_item.is_none())) {
                Some(found) => *found,
                None => return Err(Error::MediaAlreadyImported(announced[0].1.code)),
            };
        let ack = self.seal_ack(broker, vec![ack_item(order)])?;
        source.rewind().map_err(Error::Io)?;
        let item = self.vault.add_from_reader(
            ItemKind::Record,
            &format!("{HUB_MEDIA_PREFIX}{serial}"),
            &mut source,
            Some(sealed_len),
            &mut |d| progress(sealed_len + d, total),
        )?;
        let mut updated = HubOrderRecord::decode(&order.encode())?;
        if let Some(report) = updated.report.as_mut() {
            report.media_item = Some(item.0);
        }
        if let Err(e) = self.vault.replace(*order_id, &updated.encode()) {
            let _ = self.vault.remove(item);
            return Err(e.into());
        }
        let ack = self.with_cover(Outgoing::new(ack, 1, 0, self.check_key(broker)), broker)?;
        Ok(MediaImported { code: order.code, len: summary.len, ack })
    }

    /// Writes the photo or video of order `code` (opened, checked against the report's
    /// digest) to `sink`; returns its length. On error, discard what reached `sink`.
    pub fn export_media<W: Write + Send>(
        &self,
        code: OrderCode,
        sink: W,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64> {
        let orders = self.load_orders()?;
        let (_, order) = orders.iter().find(|(_, o)| o.code == code).ok_or(Error::UnknownOrder(code))?;
        let report = order.report.as_ref().ok_or(Error::NoMedia(code))?;
        let (Some(item), Some(media)) = (report.media_item, report.media) else {
            return Err(Error::NoMedia(code));
        };
        let broker = self.broker(&order.broker)?;
        let serial = self
            .vault
            .list()
            .into_iter()
            .find(|i| i.id == ItemId(item))
            .and_then(|i| media_serial(&i.name))
            .ok_or(Error::DamagedRecord("media file"))?;
        let (_, summary) = crate::media::open_from_vault(
            self.vault,
            ItemId(item),
            self.key(serial)?.pair.secret(),
            &broker.all_keys(),
            sink,
            progress,
        )?;
        if summary.len != media.len || summary.digest != media.digest {
            return Err(Error::DamagedRecord("media file"));
        }
        Ok(summary.len)
    }

    /// Records cash advanced to `broker` (in minor units of `currency`).
    pub fn record_advance(&mut self, broker: &str, amount_minor: u64, currency: Currency) -> Result<()> {
        let broker = self.broker(broker)?;
        if amount_minor == 0 {
            return Err(Error::ZeroAmount);
        }
        let record = AdvanceRecord { broker: broker.name, amount: amount_minor, currency, at: self.now };
        add_record(self.vault, HUB_ADVANCE, &record.encode())?;
        Ok(())
    }
}

/// The acknowledgement item of a recorded report: settled, or disputed with the reason.
fn ack_item(order: &HubOrderRecord) -> AckItem {
    match order.report.as_ref().and_then(|r| r.verdict) {
        None => AckItem::settled(order.code),
        Some(reason) => AckItem { order_code: order.code, status: AckStatus::Disputed, reason: reason.as_str().into() },
    }
}

/// Every key of every broker, with the index (in `brokers`) of the broker each belongs to.
fn every_broker_key(brokers: &[(ItemId, BrokerRecord)]) -> (Vec<usize>, Vec<PublicKey>) {
    let mut owners = Vec::new();
    let mut keys = Vec::new();
    for (at, (_, broker)) in brokers.iter().enumerate() {
        for key in broker.all_keys() {
            owners.push(at);
            keys.push(key);
        }
    }
    (owners, keys)
}

/// The fee owed for handing over `handed` of an order of `ordered` with fee `fee`: all of
/// it for the full amount, in proportion (rounded down) for less. A report above the
/// order is never counted (it is disputed), so `handed` is at most `ordered` here.
pub(crate) fn fee_for(fee: u64, handed: u64, ordered: u64) -> u128 {
    if ordered == 0 || handed >= ordered {
        return u128::from(fee);
    }
    u128::from(fee) * u128::from(handed) / u128::from(ordered)
}

/// Checks a report against its order: currency, then the answer's hash (compared in
/// constant time), then the amount (never above the order's). `None` means delivered,
/// in full or in part.
fn verify(order: &HubOrderRecord, report: &DeliveryReport) -> Result<Option<DisputeReason>> {
    let normalized = Zeroizing::new(normalize_answer(&report.answer));
    let computed = hash_answer(&normalized, &order.salt, order.hash_params)?;
    let answer_ok = hashes_equal(&computed, &order.answer_hash);
    if report.currency != order.currency {
        return Ok(Some(DisputeReason::CurrencyMismatch));
    }
    if !answer_ok {
        return Ok(Some(DisputeReason::WrongAnswer));
    }
    Ok((report.amount_handed_minor > order.amount).then_some(DisputeReason::AmountAboveOrder))
}

/// The reports of one opened message; any other kind of message is refused.
fn reports_of(plaintext: &[u8]) -> Result<Vec<DeliveryReport>> {
    let message = Message::decode(plaintext).map_err(|e| Error::Message(e.into()))?;
    match &message.payload {
        Payload::Reports(reports) => Ok(reports.clone()),
        Payload::Orders(_) => Err(Error::UnexpectedMessage { expected: "delivery reports", found: "orders" }),
        Payload::Acks(_) => Err(Error::UnexpectedMessage { expected: "delivery reports", found: "an acknowledgement" }),
    }
}

/// Counts bytes read, for a progress bar.
struct ProgressReader<'a, R: Read> {
    inner: &'a mut R,
    done: u64,
    total: u64,
    progress: &'a mut dyn FnMut(u64, u64),
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        (self.progress)(self.done, self.total);
        Ok(n)
    }
}
