//! Hub retention: a settled order's alias, place, question, answer hash, report and media
//! are crypto-erased a number of days after it was settled (default 30), and only the
//! ledger's totals are kept (issue 10: "the hub's own seizure").
//!
//! An order is settled when it was delivered in full with the right answer (at the
//! report's receipt), or cancelled, or a dispute was resolved (at the correction). A
//! partly delivered or disputed order stays until the hub settles it. What an erased
//! order counted in the ledger (the amount handed over and the fee) is added to one
//! archive record per broker and currency, so balances and statements stay right.

use lethe_protocol::{Currency, OrderCode};
use lethe_vault::{ItemId, Storage};
use zeroize::Zeroizing;

use super::Hub;
use crate::codec::{Reader, Writer};
use crate::corrections::{EntryKind, LedgerEntry};
use crate::error::{Error, Result};
use crate::records::{
    HUB_ARCHIVE, HUB_SETTINGS, HubOrderRecord, VERSION, add_record, currency_from_byte, currency_to_byte, records_named,
};
use crate::time::DAY;

/// Days a settled order's details are kept at the hub unless set otherwise.
pub const DEFAULT_HUB_RETENTION_DAYS: u32 = 30;
/// Longest retention that can be set at the hub (ten years).
pub const MAX_HUB_RETENTION_DAYS: u32 = 3650;

/// What the hub's retention erased.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HubRetentionReport {
    /// Settled orders whose details were erased (their amounts are in the totals).
    pub orders: usize,
    /// Photos and videos erased with them.
    pub media: usize,
    /// Hub keys erased because nothing could need them any more.
    pub keys: usize,
}

/// The hub's settings.
pub(crate) struct HubSettingsRecord {
    pub retention_days: u32,
}

impl HubSettingsRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.u32(self.retention_days);
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<HubSettingsRecord> {
        let mut r = Reader::new(bytes, VERSION, "hub settings")?;
        let retention_days = r.u32()?;
        r.finish()?;
        if !(1..=MAX_HUB_RETENTION_DAYS).contains(&retention_days) {
            return Err(Error::DamagedRecord("hub settings"));
        }
        Ok(HubSettingsRecord { retention_days })
    }
}

/// The ledger totals of a broker's erased orders in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArchiveRecord {
    pub broker: String,
    pub currency: Currency,
    /// Orders erased.
    pub orders: u32,
    /// Cash handed over in them (minor units).
    pub delivered: u128,
    /// Fees owed for them.
    pub fees: u128,
    /// The day (start, seconds since the epoch) the newest of them was settled.
    pub until: u64,
    /// The code of the order folded in last: if a run stopped between adding it here
    /// and erasing its record, the next run erases it without counting it twice.
    pub last: Option<OrderCode>,
}

impl ArchiveRecord {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new(VERSION);
        w.text(&self.broker)
            .u8(currency_to_byte(self.currency))
            .u32(self.orders)
            .bytes(&self.delivered.to_le_bytes())
            .bytes(&self.fees.to_le_bytes())
            .u64(self.until)
            .opt_u32(self.last.map(|c| c.0));
        w.finish()
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<ArchiveRecord> {
        const WHAT: &str = "ledger totals";
        let mut r = Reader::new(bytes, VERSION, WHAT)?;
        let record = ArchiveRecord {
            broker: r.text()?,
            currency: currency_from_byte(r.u8()?, WHAT)?,
            orders: r.u32()?,
            delivered: u128::from_le_bytes(r.array()?),
            fees: u128::from_le_bytes(r.array()?),
            until: r.u64()?,
            last: r.opt_u32()?.map(OrderCode),
        };
        r.finish()?;
        Ok(record)
    }

    /// The ledger entries these totals stand for.
    pub(crate) fn entries(&self) -> Vec<LedgerEntry> {
        let note = format!("{} orders settled by this day; details erased (retention)", self.orders);
        let entry = |kind, amount: u128| LedgerEntry {
            at: self.until,
            broker: self.broker.clone(),
            currency: self.currency,
            kind,
            code: None,
            amount: -(amount.min(i128::MAX as u128) as i128),
            note: note.clone(),
        };
        let mut entries = vec![entry(EntryKind::Delivery, self.delivered)];
        if self.fees > 0 {
            entries.push(entry(EntryKind::Fee, self.fees));
        }
        entries
    }
}

impl<S: Storage> Hub<'_, S> {
    /// Days a settled order's details are kept.
    pub fn retention_days(&self) -> Result<u32> {
        match records_named(self.vault, HUB_SETTINGS).first() {
            Some(info) => Ok(HubSettingsRecord::decode(self.vault.read(info.id)?.as_slice())?.retention_days),
            None => Ok(DEFAULT_HUB_RETENTION_DAYS),
        }
    }

    /// Sets the retention (1 to 3650 days) and applies it at once.
    pub fn set_retention_days(&mut self, days: u32) -> Result<HubRetentionReport> {
        if !(1..=MAX_HUB_RETENTION_DAYS).contains(&days) {
            return Err(Error::BadHubRetention(days));
        }
        let record = HubSettingsRecord { retention_days: days }.encode();
        match records_named(self.vault, HUB_SETTINGS).first() {
            Some(info) => self.vault.replace(info.id, &record)?,
            None => {
                add_record(self.vault, HUB_SETTINGS, &record)?;
            }
        }
        self.enforce_retention()
    }

    /// When `order` was settled, if it is.
    fn settled_at(
        order: &HubOrderRecord,
        corrections: &[(ItemId, crate::corrections::CorrectionRecord)],
    ) -> Option<u64> {
        if Self::corrected_status(corrections, order.code, order.report.as_ref()).is_some() {
            return corrections.iter().filter(|(_, c)| c.code == Some(order.code)).map(|(_, c)| c.at).max();
        }
        order.report.as_ref().filter(|r| r.verdict.is_none() && r.amount_handed >= order.amount).map(|r| r.received_at)
    }

    /// Crypto-erases the details of every order settled more than the retention ago (its
    /// record, media and corrections), keeping its amounts in the ledger's totals, then
    /// every hub key nothing needs any more. Runs when the hub is opened.
    pub fn enforce_retention(&mut self) -> Result<HubRetentionReport> {
        let keep = u64::from(self.retention_days()?) * DAY;
        let corrections = self.load_corrections()?;
        let mut report = HubRetentionReport::default();
        // What each order counts in the ledger, read once: erasing one order does not
        // change another's lines.
        let mut history: Option<Vec<LedgerEntry>> = None;
        for (order_id, order) in self.load_orders()? {
            let Some(settled) = Self::settled_at(&order, &corrections) else { continue };
            if settled.saturating_add(keep) > self.now {
                continue;
            }
            // What it counts in the ledger, from its history lines.
            let (mut delivered, mut fees) = (0u128, 0u128);
            if history.is_none() {
                history = Some(self.history(None)?);
            }
            let lines = history.iter().flatten().filter(|e| e.broker == order.broker && e.code == Some(order.code));
            for e in lines {
                match e.kind {
                    EntryKind::Delivery => delivered += e.amount.unsigned_abs(),
                    EntryKind::Fee => fees += e.amount.unsigned_abs(),
                    _ => {}
                }
            }
            let day = settled / DAY * DAY;
            let existing = self.archive(&order.broker, order.currency)?;
            let already = existing.as_ref().is_some_and(|(_, a)| a.last == Some(order.code));
            if !already {
                let mut totals = existing.as_ref().map(|(_, a)| a.clone()).unwrap_or(ArchiveRecord {
                    broker: order.broker.clone(),
                    currency: order.currency,
                    orders: 0,
                    delivered: 0,
                    fees: 0,
                    until: 0,
                    last: None,
                });
                totals.orders = totals.orders.saturating_add(1);
                totals.delivered += delivered;
                totals.fees += fees;
                totals.until = totals.until.max(day);
                totals.last = Some(order.code);
                match existing {
                    Some((id, _)) => self.vault.replace(id, &totals.encode())?,
                    None => {
                        add_record(self.vault, HUB_ARCHIVE, &totals.encode())?;
                    }
                }
            }
            if let Some(item) = order.report.as_ref().and_then(|r| r.media_item) {
                match self.vault.remove(ItemId(item)) {
                    Ok(()) => report.media += 1,
                    Err(lethe_vault::Error::NoSuchItem(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            for (id, _) in corrections.iter().filter(|(_, c)| c.code == Some(order.code)) {
                match self.vault.remove(*id) {
                    Ok(()) | Err(lethe_vault::Error::NoSuchItem(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            // The order record last: until it goes, a stopped run is finished by the next.
            self.vault.remove(order_id)?;
            report.orders += 1;
        }
        report.keys = self.erase_old_keys()?;
        Ok(report)
    }

    /// The totals record of `broker`'s erased orders in `currency`.
    fn archive(&self, broker: &str, currency: Currency) -> Result<Option<(ItemId, ArchiveRecord)>> {
        for info in records_named(self.vault, HUB_ARCHIVE) {
            let record = ArchiveRecord::decode(self.vault.read(info.id)?.as_slice())?;
            if record.broker == broker && record.currency == currency {
                return Ok(Some((info.id, record)));
            }
        }
        Ok(None)
    }

    /// Every totals record (for the ledger's history).
    pub(crate) fn archives(&self) -> Result<Vec<(ItemId, ArchiveRecord)>> {
        records_named(self.vault, HUB_ARCHIVE)
            .into_iter()
            .map(|info| Ok((info.id, ArchiveRecord::decode(self.vault.read(info.id)?.as_slice())?)))
            .collect()
    }
}
