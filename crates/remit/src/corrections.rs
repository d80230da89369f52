//! Corrections a real operation needs, and the ledger's history.
//!
//! Hub: cancel an order, edit one not yet delivered, resolve a dispute, adjust a broker's
//! account, remove a broker (after settling), pair a broker's new phone. Every correction
//! is kept as its own record ([`HUB_CORRECTION`]) with its time and the hub's note, so the
//! ledger's history ([`Hub::history`], [`Hub::statement`]) shows what was changed, when and
//! why. Field: withdraw a report not yet sent, undo a pairing before any order arrived.

use std::collections::BTreeMap;

use lethe_protocol::message::MAX_PLACE_HINT_LEN;
use lethe_protocol::pairing::{PairText, Transcript};
use lethe_protocol::{AckItem, AckStatus, Currency, OrderCode, PublicKey};
use lethe_vault::{ItemId, Storage, Vault};

use crate::amount::parse_amount;
use crate::codec::{Reader, Writer};
use crate::error::{Error, Result};
use crate::field::Field;
use crate::hub::{Broker, Hub, HubOrderStatus, LedgerRow, PairStep, fee_for};
use crate::outgoing::Outgoing;
use crate::records::{
    AdvanceRecord, BrokerRecord, FIELD_DISPUTE, FIELD_HUB_KEY, FIELD_ORDER, FIELD_REPORT, FIELD_SEEN, HUB_ADVANCE,
    HUB_CORRECTION, HubOrderRecord, PairingInfo, VERSION, add_record, currency_from_byte, currency_to_byte,
    records_named,
};
use crate::time::{DAY, parse_deadline};

/// Longest note or reason kept with a correction, in bytes.
pub const MAX_NOTE_LEN: usize = 200;

/// What a correction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CorrectionKind {
    /// An order cancelled before any report.
    Cancel,
    /// A disputed order resolved as delivered.
    ResolvedDelivered,
    /// A disputed order resolved as cancelled.
    ResolvedCancelled,
    /// The broker's account adjusted by a signed amount.
    Adjustment,
    /// An order's amount, fee, deadline or place changed before delivery.
    Edit,
    /// The broker's key replaced (a new phone).
    NewKey,
}

impl CorrectionKind {
    fn to_byte(self) -> u8 {
        match self {
            CorrectionKind::Cancel => 1,
            CorrectionKind::ResolvedDelivered => 2,
            CorrectionKind::ResolvedCancelled => 3,
            CorrectionKind::Adjustment => 4,
            CorrectionKind::Edit => 5,
            CorrectionKind::NewKey => 6,
        }
    }

    fn from_byte(b: u8) -> Result<Self> {
        Ok(match b {
            1 => CorrectionKind::Cancel,
            2 => CorrectionKind::ResolvedDelivered,
            3 => CorrectionKind::ResolvedCancelled,
            4 => CorrectionKind::Adjustment,
            5 => CorrectionKind::Edit,
            6 => CorrectionKind::NewKey,
            _ => return Err(Error::DamagedRecord("correction")),
        })
    }
}

/// One correction as the hub keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CorrectionRecord {
    pub kind: CorrectionKind,
    pub broker: String,
    pub code: Option<OrderCode>,
    /// Signed minor units: the adjustment, or the amount a resolution counts as delivered.
    pub amount: i64,
    pub currency: Currency,
    pub note: String,
    pub at: u64,
}

impl CorrectionRecord {
    pub(crate) fn encode(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u8(self.kind.to_byte())
            .text(&self.broker)
            .opt_u32(self.code.map(|c| c.0))
            .u64(self.amount as u64)
            .u8(currency_to_byte(self.currency))
            .text(&self.note)
            .u64(self.at);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<CorrectionRecord> {
        const WHAT: &str = "correction";
        let mut r = Reader::new(bytes, VERSION, WHAT)?;
        let rec = CorrectionRecord {
            kind: CorrectionKind::from_byte(r.u8()?)?,
            broker: r.text()?,
            code: r.opt_u32()?.map(OrderCode),
            amount: r.u64()? as i64,
            currency: currency_from_byte(r.u8()?, WHAT)?,
            note: r.text()?,
            at: r.u64()?,
        };
        r.finish()?;
        Ok(rec)
    }
}

/// How a dispute is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The order counts as delivered: `amount_minor` (default: the amount reported).
    Delivered {
        /// The amount that counts as handed over.
        amount_minor: Option<u64>,
    },
    /// The order is void: nothing counts as delivered.
    Cancelled,
}

/// Changes to an order not yet delivered; `None` keeps the value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderEdit {
    /// New amount, in minor units.
    pub amount_minor: Option<u64>,
    /// New fee, in minor units.
    pub fee_minor: Option<u64>,
    /// New deadline, minutes since the epoch.
    pub deadline_minutes: Option<u32>,
    /// New place hint.
    pub place_hint: Option<String>,
}

impl OrderEdit {
    /// Reads an edit form (`key: value` lines; keys `amount`, `fee`, `deadline`, `place`,
    /// also in Korean and Chinese as in the order form); amounts are in `currency`, and a
    /// fee may be a percentage of the (new or old) amount `amount_minor`.
    pub fn parse(text: &str, currency: Currency, amount_minor: u64) -> Result<OrderEdit> {
        let mut edit = OrderEdit::default();
        let mut fee_text = None;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let Some(at) = trimmed.find([':', '：']) else {
                return Err(Error::Form(crate::form::FormError::NoSeparator { line }));
            };
            let key = trimmed[..at].trim().to_lowercase().replace(['_', ' '], "");
            let sep = trimmed[at..].chars().next().map_or(1, char::len_utf8);
            let value = trimmed[at + sep..].trim();
            let bad =
                |key: &'static str, problem: String| Error::Form(crate::form::FormError::BadValue { key, problem });
            let repeated = |key: &'static str| Error::Form(crate::form::FormError::Repeated { line, key });
            match crate::form::key_index(&key) {
                Some(2) => {
                    if edit.amount_minor.is_some() {
                        return Err(repeated("amount"));
                    }
                    let amount = parse_amount(value, currency).map_err(|e| bad("amount", e.to_string()))?;
                    if amount == 0 {
                        return Err(bad("amount", "must be more than zero".into()));
                    }
                    edit.amount_minor = Some(amount);
                }
                Some(4) => {
                    if fee_text.is_some() {
                        return Err(repeated("fee"));
                    }
                    fee_text = Some(value.to_owned());
                }
                Some(5) => {
                    if edit.deadline_minutes.is_some() {
                        return Err(repeated("deadline"));
                    }
                    edit.deadline_minutes = Some(parse_deadline(value)?);
                }
                Some(1) => {
                    if edit.place_hint.is_some() {
                        return Err(repeated("place"));
                    }
                    if value.len() > MAX_PLACE_HINT_LEN || value.chars().any(char::is_control) {
                        return Err(bad(
                            "place",
                            format!("too long or has control characters (at most {MAX_PLACE_HINT_LEN} bytes)"),
                        ));
                    }
                    edit.place_hint = Some(value.to_owned());
                }
                _ => {
                    return Err(Error::Form(crate::form::FormError::UnknownKey {
                        line,
                        key: format!("{} (an edit changes only amount, fee, deadline, place)", trimmed[..at].trim()),
                    }));
                }
            }
        }
        if let Some(fee) = fee_text {
            let base = edit.amount_minor.unwrap_or(amount_minor);
            let fee_minor = match crate::form::percentage_fee(&fee, base) {
                Some(f) => f.map_err(|p| Error::Form(crate::form::FormError::BadValue { key: "fee", problem: p }))?,
                None => parse_amount(&fee, currency).map_err(|e| {
                    Error::Form(crate::form::FormError::BadValue { key: "fee", problem: e.to_string() })
                })?,
            };
            edit.fee_minor = Some(fee_minor);
        }
        if edit == OrderEdit::default() {
            return Err(Error::Form(crate::form::FormError::Missing("amount, fee, deadline or place")));
        }
        Ok(edit)
    }
}

/// What one ledger entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryKind {
    /// Cash advanced to the broker.
    Advance,
    /// Cash handed over in a delivered order (or a dispute resolved as delivered).
    Delivery,
    /// The fee of a delivery, owed to the broker.
    Fee,
    /// An adjustment of the account, with its reason.
    Adjustment,
    /// An order cancelled (no money moves).
    Cancelled,
    /// An order edited (no money moves).
    Edited,
}

impl EntryKind {
    /// A word for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Advance => "advance",
            EntryKind::Delivery => "delivery",
            EntryKind::Fee => "fee",
            EntryKind::Adjustment => "adjustment",
            EntryKind::Cancelled => "cancelled",
            EntryKind::Edited => "edited",
        }
    }
}

/// One line of a broker's account history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// When (seconds since the epoch).
    pub at: u64,
    /// The broker.
    pub broker: String,
    /// Currency.
    pub currency: Currency,
    /// What it is.
    pub kind: EntryKind,
    /// The order concerned, if any.
    pub code: Option<OrderCode>,
    /// Effect on the balance (cash of the hub's the broker holds), in signed minor units:
    /// an advance adds, a delivery and its fee subtract.
    pub amount: i128,
    /// The hub's note or reason, if any.
    pub note: String,
}

/// A broker's statement for a period, per currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The entries in the period, oldest first.
    pub entries: Vec<LedgerEntry>,
    /// Balance per currency before the period.
    pub opening: Vec<(Currency, i128)>,
    /// Balance per currency at the end of the period.
    pub closing: Vec<(Currency, i128)>,
}

fn check_note(note: &str, required: bool) -> Result<String> {
    let note = note.trim();
    if required && note.is_empty() {
        return Err(Error::CannotCorrect("give a reason (it is kept in the ledger's history)".into()));
    }
    if note.len() > MAX_NOTE_LEN || note.chars().any(char::is_control) {
        return Err(Error::CannotCorrect(format!(
            "the note is too long or has control characters (at most {MAX_NOTE_LEN} bytes, one line)"
        )));
    }
    Ok(note.to_owned())
}

fn signed(v: u64) -> i128 {
    i128::from(v)
}

impl<'v, S: Storage> Hub<'v, S> {
    pub(crate) fn load_corrections(&self) -> Result<Vec<(ItemId, CorrectionRecord)>> {
        records_named(self.vault, HUB_CORRECTION)
            .into_iter()
            .map(|info| Ok((info.id, CorrectionRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }

    /// The status corrections give order `code` whose report is `report`, if any, with
    /// the hub's note: a cancellation counts while no report came (a report after it wins:
    /// the money was handed over), a resolution while the report is disputed.
    pub(crate) fn corrected_status(
        corrections: &[(ItemId, CorrectionRecord)],
        code: OrderCode,
        report: Option<&crate::records::ReceivedReport>,
    ) -> Option<(HubOrderStatus, String)> {
        let disputed = report.is_some_and(|r| r.verdict.is_some());
        corrections.iter().rev().find_map(|(_, c)| match (c.kind, c.code) {
            (CorrectionKind::Cancel, Some(k)) if k == code && report.is_none() => {
                Some((HubOrderStatus::Cancelled, c.note.clone()))
            }
            (CorrectionKind::ResolvedCancelled, Some(k)) if k == code && disputed => {
                Some((HubOrderStatus::Cancelled, c.note.clone()))
            }
            (CorrectionKind::ResolvedDelivered, Some(k)) if k == code && disputed => {
                Some((HubOrderStatus::Resolved, c.note.clone()))
            }
            _ => None,
        })
    }

    fn order_record(&self, code: OrderCode) -> Result<(ItemId, HubOrderRecord)> {
        self.load_orders()?.into_iter().find(|(_, o)| o.code == code).ok_or(Error::UnknownOrder(code))
    }

    fn add_correction(&mut self, record: &CorrectionRecord) -> Result<ItemId> {
        add_record(self.vault, HUB_CORRECTION, &record.encode())
    }

    /// An acknowledgement of one order with `status` and `reason`, sealed to `broker`'s
    /// newest key.
    fn ack_for(&self, broker: &str, code: OrderCode, status: AckStatus, reason: &str) -> Result<Outgoing> {
        let broker = self.broker(broker)?;
        let item = AckItem { order_code: code, status, reason: reason.to_owned() };
        self.with_cover(Outgoing::new(self.seal_ack(&broker, vec![item])?, 1, 0, self.check_key(&broker)), &broker)
    }

    /// Cancels an order that has no report. Returns the message that makes the broker's
    /// lethe erase it, or `None` if it was never sent. A report that arrives later for it
    /// is still recorded (the money was handed over).
    pub fn cancel_order(&mut self, code: OrderCode, reason: &str) -> Result<Option<Outgoing>> {
        let reason = check_note(reason, false)?;
        let (_, order) = self.order_record(code)?;
        if order.report.is_some() {
            return Err(Error::CannotCorrect(format!(
                "order {code} was reported already; resolve it with `lethe hub resolve` instead"
            )));
        }
        let corrections = self.load_corrections()?;
        if Self::corrected_status(&corrections, code, None).is_some() {
            return Err(Error::CannotCorrect(format!("order {code} was cancelled already")));
        }
        let message = match order.sent_at {
            Some(_) => Some(self.ack_for(&order.broker, code, AckStatus::Cancelled, &reason)?),
            None => None,
        };
        self.add_correction(&CorrectionRecord {
            kind: CorrectionKind::Cancel,
            broker: order.broker.clone(),
            code: Some(code),
            amount: 0,
            currency: order.currency,
            note: reason,
            at: self.now,
        })?;
        Ok(message)
    }

    /// Changes the amount, fee, deadline or place of an order that has no report and is
    /// not cancelled. A sent order is marked to be sent again (`lethe hub send`), and the
    /// broker's lethe replaces the old one with it. The change is kept in the history.
    pub fn edit_order(&mut self, code: OrderCode, edit: &OrderEdit) -> Result<()> {
        let (id, mut order) = self.order_record(code)?;
        if order.report.is_some() {
            return Err(Error::CannotCorrect(format!(
                "order {code} was delivered or reported already; it cannot be edited"
            )));
        }
        if Self::corrected_status(&self.load_corrections()?, code, None).is_some() {
            return Err(Error::CannotCorrect(format!("order {code} was cancelled")));
        }
        let mut changes = Vec::new();
        let money = |v: u64| crate::amount::format_amount(v, order.currency);
        if let Some(a) = edit.amount_minor.filter(|a| *a != order.amount) {
            changes.push(format!("amount {} -> {}", money(order.amount), money(a)));
        }
        if let Some(f) = edit.fee_minor.filter(|f| *f != order.fee) {
            changes.push(format!("fee {} -> {}", money(order.fee), money(f)));
        }
        if let Some(d) = edit.deadline_minutes.filter(|d| *d != order.deadline_minutes) {
            if u64::from(d) < self.now / 60 {
                return Err(Error::DeadlinePassed);
            }
            changes.push(format!(
                "deadline {} -> {}",
                crate::time::format_date_minutes(order.deadline_minutes),
                crate::time::format_date_minutes(d)
            ));
        }
        if edit.place_hint.as_ref().is_some_and(|p| *p != order.place_hint) {
            changes.push("place changed".to_owned());
        }
        if changes.is_empty() {
            return Err(Error::CannotCorrect("the edit changes nothing".into()));
        }
        let amount = edit.amount_minor.unwrap_or(order.amount);
        let fee = edit.fee_minor.unwrap_or(order.fee);
        if fee > amount {
            return Err(Error::Form(crate::form::FormError::BadValue {
                key: "fee",
                problem: "is larger than the amount".into(),
            }));
        }
        order.amount = amount;
        order.fee = fee;
        order.deadline_minutes = edit.deadline_minutes.unwrap_or(order.deadline_minutes);
        if let Some(p) = &edit.place_hint {
            order.place_hint = p.clone();
        }
        order.sent_at = None;
        let correction = CorrectionRecord {
            kind: CorrectionKind::Edit,
            broker: order.broker.clone(),
            code: Some(code),
            amount: 0,
            currency: order.currency,
            note: changes.join(", "),
            at: self.now,
        };
        let item = self.add_correction(&correction)?;
        if let Err(e) = self.vault.replace(id, &order.encode()) {
            let _ = self.vault.remove(item);
            return Err(e.into());
        }
        Ok(())
    }

    /// Resolves a disputed order (with the hub's note, kept in the history) and returns
    /// the acknowledgement that makes the broker's lethe erase it.
    pub fn resolve(&mut self, code: OrderCode, resolution: Resolution, note: &str) -> Result<Outgoing> {
        let note = check_note(note, true)?;
        let (_, order) = self.order_record(code)?;
        let Some(report) = order.report.as_ref().filter(|r| r.verdict.is_some()) else {
            return Err(Error::CannotCorrect(format!("order {code} is not disputed")));
        };
        if Self::corrected_status(&self.load_corrections()?, code, Some(report)).is_some() {
            return Err(Error::CannotCorrect(format!("order {code} was resolved already")));
        }
        let (kind, amount) = match resolution {
            Resolution::Delivered { amount_minor } => {
                let amount = amount_minor.unwrap_or(report.amount_handed);
                if amount == 0 {
                    return Err(Error::ZeroAmount);
                }
                (CorrectionKind::ResolvedDelivered, amount)
            }
            Resolution::Cancelled => (CorrectionKind::ResolvedCancelled, 0),
        };
        let amount = i64::try_from(amount).map_err(|_| Error::CannotCorrect("the amount is too large".into()))?;
        let status = match kind {
            CorrectionKind::ResolvedDelivered => AckStatus::Settled,
            _ => AckStatus::Cancelled,
        };
        let ack = self.ack_for(&order.broker, code, status, &note)?;
        self.add_correction(&CorrectionRecord {
            kind,
            broker: order.broker.clone(),
            code: Some(code),
            amount,
            currency: order.currency,
            note,
            at: self.now,
        })?;
        Ok(ack)
    }

    /// Adjusts a broker's account by `amount_minor` (negative: she holds less of the hub's
    /// cash), with a reason kept in the history.
    pub fn adjust(&mut self, broker: &str, amount_minor: i64, currency: Currency, reason: &str) -> Result<()> {
        let broker = self.broker(broker)?;
        let reason = check_note(reason, true)?;
        if amount_minor == 0 {
            return Err(Error::ZeroAmount);
        }
        self.add_correction(&CorrectionRecord {
            kind: CorrectionKind::Adjustment,
            broker: broker.name,
            code: None,
            amount: amount_minor,
            currency,
            note: reason,
            at: self.now,
        })?;
        Ok(())
    }

    /// One step of pairing a broker's new phone (she lost hers) under her name, from the
    /// text she sent. The steps are those of [`Hub::pair_step`], so a new phone is paired
    /// as safely as the first:
    ///
    /// - her pairing request (remote, first step): kept, [`PairStep::Answer`] to send back;
    /// - her pairing key (remote, last step): checked against her request, then her new key
    ///   replaces the old, [`PairStep::Paired`] with the 12-digit code to read aloud;
    /// - her bare public key (in person): replaced at once, [`PairStep::Paired`] with the
    ///   full fingerprint to compare.
    ///
    /// When her key is replaced, her orders, history and ledger stay, the old phone's keys
    /// are forgotten (its messages no longer open), and every sent order she has not
    /// reported is marked to be sent again (to the new phone).
    pub fn new_key_step(&mut self, name: &str, text: &str) -> Result<PairStep> {
        let (id, old) = self
            .load_brokers()?
            .into_iter()
            .find(|(_, b)| b.name == name)
            .ok_or_else(|| Error::UnknownBroker(name.to_owned()))?;
        match PairText::parse(text)? {
            PairText::Key(key) => {
                self.check_replacement_key(&key)?;
                let (hub_key, serial) = self.newest_public();
                let transcript = Transcript::direct(&key, &hub_key);
                Ok(PairStep::Paired(self.replace_pairing(id, &old, key, transcript, serial)?))
            }
            PairText::Offer(offer) => Ok(PairStep::Answer(self.answer_offer(name, offer.commitment)?)),
            PairText::Reveal(reveal) => {
                let (pending_id, serial, transcript) =
                    self.check_reveal(name, &reveal, |hub, key| hub.check_replacement_key(key))?;
                let broker = self.replace_pairing(id, &old, reveal.field_key, transcript, serial)?;
                self.vault.remove(pending_id)?;
                Ok(PairStep::Paired(broker))
            }
            other @ PairText::Reply(_) => Err(Error::WrongPairingStep {
                expected: "a broker's pairing request, her pairing key, or her public key",
                found: other.describe(),
            }),
        }
    }

    /// A new key must be nobody's yet: not the hub's, not any broker's (hers included: a
    /// new phone makes a new key).
    fn check_replacement_key(&self, key: &PublicKey) -> Result<()> {
        if self.is_own_key(key) {
            return Err(Error::OwnKey);
        }
        if let Some((_, other)) = self.load_brokers()?.iter().find(|(_, b)| b.all_keys().contains(key)) {
            return Err(Error::BrokerKeyExists { existing: other.name.clone() });
        }
        Ok(())
    }

    fn replace_pairing(
        &mut self,
        id: ItemId,
        old: &BrokerRecord,
        key: PublicKey,
        transcript: Transcript,
        hub_serial: u32,
    ) -> Result<Broker> {
        let channel_key = transcript.channel_key(self.secret_of(hub_serial)?, &key).ok_or(Error::NoChannelKey)?;
        let record = BrokerRecord {
            name: old.name.clone(),
            key,
            paired_at: self.now,
            later_keys: Vec::new(),
            pairing: Some(PairingInfo { transcript, channel_key }),
            hub_serial,
            hub_since: self.now,
        };
        let correction = CorrectionRecord {
            kind: CorrectionKind::NewKey,
            broker: old.name.clone(),
            code: None,
            amount: 0,
            currency: Currency::Usd,
            note: "new key paired".into(),
            at: self.now,
        };
        // The cover setting is kept per key: it follows her to the new one.
        let cover = self.cover_setting(&old.name)?;
        let item = self.add_correction(&correction)?;
        if let Err(e) = self.vault.replace(id, &record.encode()) {
            let _ = self.vault.remove(item);
            return Err(e.into());
        }
        if cover.is_some() {
            self.drop_cover_of_key(&old.key)?;
            self.set_cover_setting(&old.name, cover)?;
        }
        for (order_id, mut order) in self.load_orders()? {
            if order.broker == old.name && order.report.is_none() && order.sent_at.is_some() {
                order.sent_at = None;
                self.vault.replace(order_id, &order.encode())?;
            }
        }
        Ok(self.broker_view(&record))
    }

    /// Removes a broker once her account is settled (no order waiting or disputed, every
    /// balance zero): her pairing, orders, media, advances and corrections are
    /// crypto-erased. Returns how many records were erased.
    pub fn remove_broker(&mut self, name: &str) -> Result<usize> {
        self.broker(name)?;
        let corrections = self.load_corrections()?;
        let orders: Vec<(ItemId, HubOrderRecord)> =
            self.load_orders()?.into_iter().filter(|(_, o)| o.broker == name).collect();
        let open: Vec<String> = orders
            .iter()
            .filter(|(_, o)| {
                let corrected = Self::corrected_status(&corrections, o.code, o.report.as_ref()).is_some();
                !corrected && o.report.as_ref().is_none_or(|r| r.verdict.is_some())
            })
            .map(|(_, o)| o.code.to_string())
            .collect();
        if !open.is_empty() {
            return Err(Error::CannotCorrect(format!(
                "{name} still has orders not delivered or disputed ({}); cancel or resolve them first",
                open.join(", ")
            )));
        }
        let unsettled: Vec<String> = self
            .ledger()?
            .into_iter()
            .filter(|r| r.broker == name && r.balance != 0)
            .map(|r| crate::amount::format_number(r.balance, r.currency) + " " + r.currency.code())
            .collect();
        if !unsettled.is_empty() {
            return Err(Error::CannotCorrect(format!(
                "{name}'s account is not settled (balance {}); settle it, or record it with `lethe hub adjust`, first",
                unsettled.join(", ")
            )));
        }
        let mut erase: Vec<ItemId> = Vec::new();
        for (id, order) in &orders {
            if let Some(item) = order.report.as_ref().and_then(|r| r.media_item) {
                erase.push(ItemId(item));
            }
            erase.push(*id);
        }
        for info in records_named(self.vault, HUB_ADVANCE) {
            if AdvanceRecord::decode(self.vault.read(info.id)?.as_slice())?.broker == name {
                erase.push(info.id);
            }
        }
        erase.extend(corrections.iter().filter(|(_, c)| c.broker == name).map(|(id, _)| *id));
        erase.extend(self.archives()?.iter().filter(|(_, a)| a.broker == name).map(|(id, _)| *id));
        if let Some((_, b)) = self.load_brokers()?.into_iter().find(|(_, b)| b.name == name) {
            self.drop_cover_of_key(&b.key)?;
        }
        // The pairing last: until it goes, a failed run can be repeated.
        for (id, b) in self.load_brokers()? {
            if b.name == name {
                erase.push(id);
            }
        }
        for id in &erase {
            match self.vault.remove(*id) {
                Ok(()) | Err(lethe_vault::Error::NoSuchItem(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(erase.len())
    }

    /// Every ledger entry, oldest first (optionally of one broker).
    pub fn history(&self, broker: Option<&str>) -> Result<Vec<LedgerEntry>> {
        let mut entries = Vec::new();
        let keep = |b: &str| broker.is_none_or(|want| want == b);
        for info in records_named(self.vault, HUB_ADVANCE) {
            let a = AdvanceRecord::decode(self.vault.read(info.id)?.as_slice())?;
            if keep(&a.broker) {
                entries.push(LedgerEntry {
                    at: a.at,
                    broker: a.broker,
                    currency: a.currency,
                    kind: EntryKind::Advance,
                    code: None,
                    amount: signed(a.amount),
                    note: String::new(),
                });
            }
        }
        let corrections = self.load_corrections()?;
        let orders = self.load_orders()?;
        for (_, order) in &orders {
            if !keep(&order.broker) {
                continue;
            }
            let entry = |at: u64, kind: EntryKind, amount: i128, note: &str| LedgerEntry {
                at,
                broker: order.broker.clone(),
                currency: order.currency,
                kind,
                code: Some(order.code),
                amount,
                note: note.to_owned(),
            };
            if let Some(r) = order.report.as_ref().filter(|r| r.verdict.is_none()) {
                entries.push(entry(r.received_at, EntryKind::Delivery, -signed(r.amount_handed), ""));
                let fee = fee_for(order.fee, r.amount_handed, order.amount);
                if fee > 0 {
                    entries.push(entry(r.received_at, EntryKind::Fee, -(fee as i128), ""));
                }
            }
            let resolved = Self::corrected_status(&corrections, order.code, order.report.as_ref())
                .is_some_and(|(s, _)| s == HubOrderStatus::Resolved);
            for (_, c) in corrections.iter().filter(|(_, c)| c.code == Some(order.code)) {
                match c.kind {
                    CorrectionKind::ResolvedDelivered if resolved => {
                        let handed = u64::try_from(c.amount).unwrap_or(0);
                        entries.push(entry(c.at, EntryKind::Delivery, -signed(handed), &c.note));
                        let fee = fee_for(order.fee, handed, order.amount);
                        if fee > 0 {
                            entries.push(entry(c.at, EntryKind::Fee, -(fee as i128), ""));
                        }
                    }
                    CorrectionKind::Cancel | CorrectionKind::ResolvedCancelled => {
                        entries.push(entry(c.at, EntryKind::Cancelled, 0, &c.note))
                    }
                    CorrectionKind::Edit => entries.push(entry(c.at, EntryKind::Edited, 0, &c.note)),
                    _ => {}
                }
            }
        }
        for (_, c) in &corrections {
            if c.kind == CorrectionKind::Adjustment && keep(&c.broker) {
                entries.push(LedgerEntry {
                    at: c.at,
                    broker: c.broker.clone(),
                    currency: c.currency,
                    kind: EntryKind::Adjustment,
                    code: None,
                    amount: i128::from(c.amount),
                    note: c.note.clone(),
                });
            }
        }
        // Orders erased by the hub's retention count through their totals.
        for (_, totals) in self.archives()? {
            if keep(&totals.broker) {
                entries.extend(totals.entries());
            }
        }
        entries.sort_by(|a, b| a.at.cmp(&b.at).then(a.broker.cmp(&b.broker)));
        Ok(entries)
    }

    /// A broker's statement from `from` to `to` (dates `YYYY-MM-DD`, both included, UTC;
    /// `None`: from the start, or up to now): the entries of the period with the balance
    /// per currency before and after it.
    pub fn statement(&self, broker: &str, from: Option<&str>, to: Option<&str>) -> Result<Statement> {
        self.broker(broker)?;
        // parse_deadline gives the last minute of the day.
        let day_start = |d: &str| -> Result<u64> { Ok((u64::from(parse_deadline(d)?) + 1) * 60 - DAY) };
        let start = from.map(day_start).transpose()?.unwrap_or(0);
        let end = to.map(|d| day_start(d).map(|s| s + DAY)).transpose()?.unwrap_or(u64::MAX);
        if start >= end {
            return Err(Error::CannotCorrect("the period ends before it starts".into()));
        }
        let mut opening: BTreeMap<&'static str, (Currency, i128)> = BTreeMap::new();
        let mut closing: BTreeMap<&'static str, (Currency, i128)> = BTreeMap::new();
        let mut entries = Vec::new();
        for e in self.history(Some(broker))? {
            // Every currency she ever used has a balance line, even if 0 in the period.
            opening.entry(e.currency.code()).or_insert((e.currency, 0));
            closing.entry(e.currency.code()).or_insert((e.currency, 0));
            if e.at >= end {
                continue;
            }
            closing.entry(e.currency.code()).or_insert((e.currency, 0)).1 += e.amount;
            let open = opening.entry(e.currency.code()).or_insert((e.currency, 0));
            if e.at < start {
                open.1 += e.amount;
            } else {
                entries.push(e);
            }
        }
        Ok(Statement { entries, opening: opening.into_values().collect(), closing: closing.into_values().collect() })
    }

    /// The settlement ledger: one row per broker and currency that has any activity,
    /// sorted by broker, then currency code. Corrections count: a cancelled order is not
    /// outstanding, a dispute resolved as delivered counts as delivered, adjustments
    /// change the balance.
    pub fn ledger(&self) -> Result<Vec<LedgerRow>> {
        let mut rows: BTreeMap<(String, &'static str), LedgerRow> = BTreeMap::new();
        fn row<'a>(
            rows: &'a mut BTreeMap<(String, &'static str), LedgerRow>,
            broker: &str,
            currency: Currency,
        ) -> &'a mut LedgerRow {
            rows.entry((broker.to_owned(), currency.code())).or_insert_with(|| LedgerRow {
                broker: broker.to_owned(),
                currency,
                advanced: 0,
                delivered: 0,
                fees_owed: 0,
                disputed: 0,
                outstanding: 0,
                adjusted: 0,
                balance: 0,
            })
        }
        for e in self.history(None)? {
            let line = row(&mut rows, &e.broker, e.currency);
            match e.kind {
                EntryKind::Advance => line.advanced += e.amount.unsigned_abs(),
                EntryKind::Delivery => line.delivered += e.amount.unsigned_abs(),
                EntryKind::Fee => line.fees_owed += e.amount.unsigned_abs(),
                EntryKind::Adjustment => line.adjusted += e.amount,
                _ => {}
            }
        }
        let corrections = self.load_corrections()?;
        for (_, order) in self.load_orders()? {
            let line = row(&mut rows, &order.broker, order.currency);
            if Self::corrected_status(&corrections, order.code, order.report.as_ref()).is_some() {
                continue;
            }
            match &order.report {
                None => line.outstanding += u128::from(order.amount),
                Some(r) if r.verdict.is_some() => line.disputed += u128::from(r.amount_handed),
                // The rest of a partly delivered order stays outstanding.
                Some(r) => line.outstanding += u128::from(order.amount.saturating_sub(r.amount_handed)),
            }
        }
        Ok(rows
            .into_values()
            .map(|mut r| {
                r.balance = r.advanced as i128 + r.adjusted - r.delivered as i128 - r.fees_owed as i128;
                r
            })
            .collect())
    }
}

impl<'v, S: Storage> Field<'v, S> {
    /// Withdraws the report of order `code` that waits in the outbox: the sealed report
    /// and its media are crypto-erased and the order is pending again (its place and
    /// question were erased at delivery). If the report was already sent, the hub has it
    /// anyway: withdrawing does not take it back.
    pub fn withdraw(&mut self, code: OrderCode) -> Result<()> {
        let outbox = self.load_outbox()?;
        let entries: Vec<_> = outbox.iter().filter(|(_, e)| e.code == code).collect();
        if entries.is_empty() {
            return Err(Error::CannotCorrect(format!("no report of order {code} waits to be sent")));
        }
        let orders = self.load_orders()?;
        let order = orders.iter().find(|(_, o)| o.code == code);
        for (id, entry) in entries {
            self.erase_outbox_entry(*id, entry)?;
        }
        if let Some((id, order)) = order {
            let mut pending = crate::records::FieldOrderRecord::decode(&order.encode())?;
            pending.delivered_at = None;
            self.vault.replace(*id, &pending.encode())?;
        }
        Ok(())
    }

    /// Undoes a pairing (a wrong key was imported) while nothing has come from that hub:
    /// no order held, no report made, no message accepted.
    pub fn unpair(&mut self) -> Result<()> {
        if self.hub_key().is_none() {
            return Err(Error::NotPaired);
        }
        let used = [FIELD_ORDER, FIELD_REPORT, FIELD_SEEN].iter().any(|n| !records_named(self.vault, n).is_empty());
        if used {
            return Err(Error::CannotCorrect(
                "a message from this hub was received already; the pairing can be undone only before any order arrives"
                    .into(),
            ));
        }
        for info in records_named(self.vault, FIELD_HUB_KEY) {
            self.vault.remove(info.id)?;
        }
        self.forget_hub();
        Ok(())
    }
}

/// The hub's reason for disputing an order, at the field.
pub(crate) struct DisputeRecord {
    pub code: OrderCode,
    pub reason: String,
    pub at: u64,
}

impl DisputeRecord {
    fn encode(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.code.0).text(&self.reason).u64(self.at);
        w.finish()
    }

    fn decode(bytes: &[u8]) -> Result<DisputeRecord> {
        let mut r = Reader::new(bytes, VERSION, "dispute")?;
        let rec = DisputeRecord { code: OrderCode(r.u32()?), reason: r.text()?, at: r.u64()? };
        r.finish()?;
        Ok(rec)
    }
}

pub(crate) fn load_disputes<S: Storage>(vault: &Vault<S>) -> Result<Vec<(ItemId, DisputeRecord)>> {
    records_named(vault, FIELD_DISPUTE)
        .into_iter()
        .map(|info| Ok((info.id, DisputeRecord::decode(vault.read(info.id)?.as_slice())?)))
        .collect()
}

/// Keeps the hub's latest reason for disputing `code`.
pub(crate) fn record_dispute<S: Storage>(
    vault: &mut Vault<S>,
    disputes: &[(ItemId, DisputeRecord)],
    code: OrderCode,
    reason: &str,
    now: u64,
) -> Result<()> {
    let record = DisputeRecord { code, reason: reason.to_owned(), at: now }.encode();
    match disputes.iter().find(|(_, d)| d.code == code) {
        Some((id, _)) => vault.replace(*id, &record)?,
        None => {
            add_record(vault, FIELD_DISPUTE, &record)?;
        }
    }
    Ok(())
}

/// Erases the dispute reasons of orders no longer held.
pub(crate) fn drop_orphan_disputes<S: Storage>(vault: &mut Vault<S>) -> Result<()> {
    let held: Vec<OrderCode> = records_named(vault, FIELD_ORDER)
        .into_iter()
        .map(|info| Ok(crate::records::FieldOrderRecord::decode(vault.read(info.id)?.as_slice())?.code))
        .collect::<Result<_>>()?;
    for (id, d) in load_disputes(vault)? {
        if !held.contains(&d.code) {
            vault.remove(id)?;
        }
    }
    Ok(())
}
