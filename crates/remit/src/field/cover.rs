//! The field's cover text setting, and the cover key it reads with.

use lethe_protocol::cover::CoverStyle;
use lethe_vault::Storage;

use super::Field;
use crate::error::Result;
use crate::outgoing::{CoverKey, Outgoing};
use crate::records::{CoverRecord, FIELD_COVER, add_record, records_named};

impl<S: Storage> Field<'_, S> {
    /// The cover key of the pairing with the hub (none before pairing, or for an old
    /// pairing whose channel key is gone).
    pub(super) fn cover_keys(&self) -> Vec<CoverKey> {
        self.channel_key().ok().map(|k| CoverKey::from_channel_key(&k)).into_iter().collect()
    }

    /// `out` with the pairing's cover key and setting.
    pub(super) fn with_cover(&self, out: Outgoing) -> Result<Outgoing> {
        let key = self.channel_key().ok();
        Ok(out.with_cover(key.as_deref(), self.cover_setting()?))
    }

    /// The form messages to the hub are written in by default: a cover style, or `None`
    /// for plain armor (the default).
    pub fn cover_setting(&self) -> Result<Option<CoverStyle>> {
        match records_named(self.vault, FIELD_COVER).first() {
            Some(info) => Ok(Some(CoverRecord::decode(self.vault.read(info.id)?.as_slice())?.style)),
            None => Ok(None),
        }
    }

    /// Sets the form messages to the hub are written in (`None`: plain armor). Refused
    /// before pairing ([`crate::Error::NotPaired`]) and, for a cover style, when the
    /// pairing has no channel key ([`crate::Error::NoChannelKey`]).
    pub fn set_cover_setting(&mut self, style: Option<CoverStyle>) -> Result<()> {
        self.hub()?;
        if style.is_some() {
            self.channel_key()?;
        }
        let existing = records_named(self.vault, FIELD_COVER).first().map(|i| i.id);
        match (existing, style) {
            (Some(id), None) => self.vault.remove(id)?,
            (Some(id), Some(style)) => self.vault.replace(id, &CoverRecord { key: [0; 32], style }.encode())?,
            (None, Some(style)) => {
                add_record(self.vault, FIELD_COVER, &CoverRecord { key: [0; 32], style }.encode())?;
            }
            (None, None) => {}
        }
        Ok(())
    }
}
