//! What the screens show of the open compartment, read on the worker thread after every
//! operation (and at unlock). Everything here is plaintext: it is dropped, and its text
//! overwritten, when the app locks or panics.

use super::container::DynVault;
use super::errors::remit_error_text;
use super::settings::Settings;
use super::texts::UiText;
use lethe_remit::{Broker, Field, FieldOrder, Hub, HubOrder, LedgerRow, OutboxEntry, RetentionReport, time};
use lethe_vault::{ItemId, ItemInfo, ItemKind};
use zeroize::Zeroize;

pub struct HubData {
    pub public_key: String,
    pub brokers: Vec<Broker>,
    pub orders: Vec<HubOrder>,
    pub ledger: Vec<LedgerRow>,
}

pub struct FieldData {
    pub public_key: String,
    /// The pairing's safety code, once the hub's key is imported.
    pub safety_code: Option<String>,
    pub orders: Vec<FieldOrder>,
    pub outbox: Vec<OutboxEntry>,
    /// Exact characters on the air of the message that would go now (all waiting reports).
    pub outbox_chars: Option<usize>,
    pub retention_days: u32,
    /// The form messages to the hub start in (`None`: plain armor).
    pub cover: Option<lethe_protocol::cover::CoverStyle>,
    /// What the retention rule erased when the role was opened for this snapshot.
    pub erased: RetentionReport,
}

#[derive(Default)]
pub struct Snapshot {
    /// The compartment's notes and files (records of other layers are not listed).
    pub items: Vec<ItemInfo>,
    pub settings: Settings,
    pub settings_id: Option<ItemId>,
    pub hub: Option<HubData>,
    pub field: Option<FieldData>,
    /// A role's records could not be read.
    pub problem: Option<UiText>,
    /// Room left for content in this compartment, as this compartment sees it (a
    /// compartment above it, if any, is not told apart from free space), and the
    /// container's size; both in bytes.
    pub free_bytes: u64,
    pub container_bytes: u64,
    /// The container's format version (1 or 2): what a `hide` does to a compartment above
    /// that this passphrase does not know depends on it.
    pub format_version: u8,
}

impl Snapshot {
    /// Reads everything the screens need. Opening the field role applies its retention
    /// rule (erasing what is older than the window), as every open must.
    pub fn load(vault: &mut DynVault) -> Snapshot {
        let now = time::now_unix();
        let items = vault.list().into_iter().filter(|i| matches!(i.kind, ItemKind::Note | ItemKind::File)).collect();
        let (settings, settings_id) = Settings::load(vault);
        let mut snap = Snapshot {
            items,
            settings,
            settings_id,
            hub: None,
            field: None,
            problem: None,
            free_bytes: 0,
            container_bytes: 0,
            format_version: vault.format_version(),
        };
        match Hub::open(vault, now) {
            Ok(hub) => {
                let data = (|| -> lethe_remit::Result<HubData> {
                    Ok(HubData {
                        public_key: hub.public_key().to_text(),
                        brokers: hub.brokers()?,
                        orders: hub.orders()?,
                        ledger: hub.ledger()?,
                    })
                })();
                match data {
                    Ok(d) => snap.hub = Some(d),
                    Err(e) => snap.problem = Some(remit_error_text(&e)),
                }
            }
            Err(lethe_remit::Error::NotInitialised(_)) => {}
            Err(e) => snap.problem = Some(remit_error_text(&e)),
        }
        match Field::open(vault, now) {
            Ok(field) => {
                let data = (|| -> lethe_remit::Result<FieldData> {
                    let outbox = field.outbox()?;
                    let outbox_chars = if outbox.is_empty() { None } else { Some(field.send()?.chars()) };
                    Ok(FieldData {
                        public_key: field.public_key().to_text(),
                        safety_code: field.safety_code(),
                        orders: field.orders()?,
                        outbox,
                        outbox_chars,
                        retention_days: field.retention_days(),
                        cover: field.cover_setting()?,
                        erased: field.erased_on_open(),
                    })
                })();
                match data {
                    Ok(d) => snap.field = Some(d),
                    Err(e) => snap.problem = Some(remit_error_text(&e)),
                }
            }
            Err(lethe_remit::Error::NotInitialised(_)) => {}
            Err(e) => snap.problem = Some(remit_error_text(&e)),
        }
        // Last: opening a role may have written (retention).
        snap.free_bytes = vault.free_bytes();
        snap.container_bytes = vault.container_len();
        snap
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        // Overwrite the plaintext strings before their memory is freed.
        for i in &mut self.items {
            i.name.zeroize();
        }
        if let Some(h) = &mut self.hub {
            for o in &mut h.orders {
                o.alias.zeroize();
                o.place_hint.zeroize();
                o.question.zeroize();
                o.broker.zeroize();
            }
            for b in &mut h.brokers {
                b.name.zeroize();
            }
            for r in &mut h.ledger {
                r.broker.zeroize();
            }
        }
        if let Some(f) = &mut self.field {
            for o in &mut f.orders {
                o.alias.zeroize();
                o.place_hint.zeroize();
                o.question.zeroize();
            }
        }
    }
}
