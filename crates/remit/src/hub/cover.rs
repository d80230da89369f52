//! The hub's cover text setting per broker, and the cover keys it reads with.

use lethe_protocol::cover::CoverStyle;
use lethe_vault::Storage;
use zeroize::Zeroizing;

use super::Hub;
use crate::error::Result;
use crate::outgoing::{CoverKey, Outgoing};
use crate::records::{BrokerRecord, CoverRecord, HUB_COVER, add_record, records_named};

impl<S: Storage> Hub<'_, S> {
    /// The channel key of the pairing with `b`, if it has one.
    fn channel_key_of(&self, b: &BrokerRecord) -> Option<Zeroizing<[u8; 32]>> {
        match &b.pairing {
            Some(p) => Some(p.channel_key.clone()),
            None => self.transcript_of(b).channel_key(self.first_secret()?, &b.key),
        }
    }

    /// The cover keys of every broker with a channel key (what a received text is read
    /// with when it is not armor).
    pub(super) fn cover_keys(&self, brokers: &[(lethe_vault::ItemId, BrokerRecord)]) -> Vec<CoverKey> {
        brokers.iter().filter_map(|(_, b)| self.channel_key_of(b)).map(|k| CoverKey::from_channel_key(&k)).collect()
    }

    /// `out` with `b`'s cover key and setting.
    pub(crate) fn with_cover(&self, out: Outgoing, b: &BrokerRecord) -> Result<Outgoing> {
        let key = self.channel_key_of(b);
        let setting = self.cover_record(b)?.map(|(_, r)| r.style);
        Ok(out.with_cover(key.as_deref(), setting))
    }

    fn cover_record(&self, b: &BrokerRecord) -> Result<Option<(lethe_vault::ItemId, CoverRecord)>> {
        for info in records_named(self.vault, HUB_COVER) {
            let record = CoverRecord::decode(self.vault.read(info.id)?.as_slice())?;
            if record.key == *b.key.as_bytes() {
                return Ok(Some((info.id, record)));
            }
        }
        Ok(None)
    }

    /// The form messages to `broker` are written in by default: a cover style, or `None`
    /// for plain armor (the default).
    pub fn cover_setting(&self, broker: &str) -> Result<Option<CoverStyle>> {
        let b = self.broker(broker)?;
        Ok(self.cover_record(&b)?.map(|(_, r)| r.style))
    }

    /// Sets the form messages to `broker` are written in (`None`: plain armor). Kept in
    /// this compartment with the pairing. Refused with [`crate::Error::NoChannelKey`] for a
    /// cover style when the pairing has no channel key.
    pub fn set_cover_setting(&mut self, broker: &str, style: Option<CoverStyle>) -> Result<()> {
        let b = self.broker(broker)?;
        if style.is_some() && self.channel_key_of(&b).is_none() {
            return Err(crate::Error::NoChannelKey);
        }
        let existing = self.cover_record(&b)?;
        match (existing, style) {
            (Some((id, _)), None) => self.vault.remove(id)?,
            (Some((id, _)), Some(style)) => {
                self.vault.replace(id, &CoverRecord { key: *b.key.as_bytes(), style }.encode())?
            }
            (None, Some(style)) => {
                add_record(self.vault, HUB_COVER, &CoverRecord { key: *b.key.as_bytes(), style }.encode())?;
            }
            (None, None) => {}
        }
        Ok(())
    }

    /// Erases the cover setting kept for `key` (a broker's key replaced or removed).
    pub(crate) fn drop_cover_of_key(&mut self, key: &lethe_protocol::PublicKey) -> Result<()> {
        for info in records_named(self.vault, HUB_COVER) {
            let record = CoverRecord::decode(self.vault.read(info.id)?.as_slice())?;
            if record.key == *key.as_bytes() {
                self.vault.remove(info.id)?;
            }
        }
        Ok(())
    }
}
