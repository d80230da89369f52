//! lethe's remittance layer: the hub and field roles on top of the vault
//! (`lethe-vault`) and the messages (`lethe-protocol`).
//!
//! - [`Hub`]: pairs with brokers, makes orders from an [`OrderForm`] (keeping only a
//!   salted Argon2id hash of the expected answer), sends them sealed, verifies the
//!   answers in delivery reports in constant time, imports and exports media, keeps the
//!   settlement [`LedgerRow`]s.
//! - [`Field`]: pairs with the hub, receives orders, records deliveries as reports
//!   sealed to the hub at once (the field's vault holds only ciphertext it cannot open),
//!   sends them in batches, and crypto-erases orders and reports when the hub
//!   acknowledges them or when the retention window ends.
//!
//! Both work on the compartment a passphrase opened: a broker can keep her field role in
//! a hidden compartment, and the decoy then has none. Everything is kept as record
//! items of the vault, one per key, broker, order, report, media file and ledger entry,
//! so each can be erased alone (see [`records`] for the list).
//!
//! No function reads the clock: [`Hub::open`] and [`Field::open`] take "now" in seconds
//! since the epoch ([`time::now_unix`] gives the system's), so tests can move time.
//!
//! Every operation checks all its input before its first write; an error leaves the
//! vault as it was (apart from a vault failure in the middle of a write, which the
//! vault itself keeps consistent).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod amount;
mod codec;
pub mod corrections;
mod error;
pub mod field;
pub mod form;
pub mod hub;
mod lower;
mod media;
pub mod outgoing;
pub mod primitives;
pub mod records;
mod staged;
pub mod time;

pub use amount::{AmountError, format_amount, format_number, parse_amount, parse_currency};
pub use corrections::{CorrectionKind, EntryKind, LedgerEntry, OrderEdit, Resolution, Statement};
pub use error::{Error, Result, Role};
pub use field::{
    Delivered, Delivery, DeliveryMedia, Field, FieldOrder, FieldPairStep, OutboxEntry, Received, RetentionReport,
};
pub use form::{FormError, OrderForm};
pub use hub::{
    Broker, Hub, HubOrder, HubOrderStatus, LedgerRow, MediaImported, PairStep, Receipt, ReportOutcome, ReportResult,
    ReportSummary,
};
pub use media::sealed_stream_len;
pub use outgoing::Outgoing;
pub use records::DisputeReason;

/// Types of the protocol crate that appear in this crate's API.
pub use lethe_protocol::{Currency, OrderCode, PublicKey};
