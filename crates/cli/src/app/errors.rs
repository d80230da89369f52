//! Errors of the vault, the remittance layer and the file system in the user's language,
//! and [`Cancelled`], the error a job's reader or writer returns when the job is told to stop.

use super::i18n::Msg;
use super::texts::UiText;
use lethe_protocol::cover::CoverError;
use lethe_remit::{Error as RemitError, FormError};
use lethe_vault::Error as VaultError;
use std::io;

/// A job was told to stop (the user quit while it ran, or pressed the panic chord).
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

impl Cancelled {
    /// The I/O error a watched reader or writer returns once its job is told to stop.
    pub fn io() -> io::Error {
        io::Error::other(Cancelled)
    }

    /// True if `e` is (or wraps) [`Cancelled`].
    pub fn is(e: &io::Error) -> bool {
        e.get_ref().is_some_and(|inner| inner.is::<Cancelled>())
    }
}

/// Messages for vault errors, in the user's language.
pub fn vault_error_text(e: &VaultError) -> UiText {
    match e {
        VaultError::WrongPassphrase => UiText::new(Msg::ErrCannotOpen),
        VaultError::InUse => UiText::new(Msg::ErrInUse),
        VaultError::Full { needed, available } => {
            UiText::with(Msg::ErrFull, &[&needed.div_ceil(1024).to_string(), &(available / 1024).to_string()])
        }
        VaultError::NoSuchItem(id) => UiText::with(Msg::ErrNoSuchItem, &[id]),
        VaultError::ItemDamaged(id) => UiText::with(Msg::ErrItemDamaged, &[id]),
        VaultError::IndexDamaged { .. } => UiText::new(Msg::ErrIndexDamaged),
        VaultError::BadContainerSize { .. } | VaultError::Truncated => UiText::new(Msg::ErrNotContainer),
        VaultError::NoFreeCompartment => UiText::new(Msg::ErrNoFreeCompartment),
        VaultError::NoLinkPosition { used_percent } => {
            UiText::with(Msg::ErrNoLinkPosition, &[&used_percent.to_string()])
        }
        VaultError::PassphraseAlreadyUsed => UiText::new(Msg::ErrPassphraseUsed),
        VaultError::TooLarge(_) => UiText::new(Msg::ErrTooLarge),
        VaultError::EmptyPassphrase => UiText::new(Msg::ErrEmptyPassphrase),
        VaultError::Io { source, .. } => io_error_text(source),
        other => UiText::with(Msg::ErrOther, &[&other.to_string()]),
    }
}

pub fn io_error_text(e: &io::Error) -> UiText {
    match e.kind() {
        io::ErrorKind::NotFound => UiText::new(Msg::ErrFileNotFound),
        io::ErrorKind::PermissionDenied => UiText::new(Msg::ErrPermission),
        io::ErrorKind::AlreadyExists => UiText::new(Msg::ErrFileExists),
        _ if Cancelled::is(e) => UiText::new(Msg::Cancelled),
        _ => UiText::with(Msg::ErrIo, &[&e.to_string()]),
    }
}

/// Label of an order-form key, for messages.
pub fn form_key_msg(key: &str) -> Msg {
    match key {
        "alias" => Msg::FieldAlias,
        "place" => Msg::FieldPlace,
        "amount" => Msg::FieldAmount,
        "currency" => Msg::FieldCurrency,
        "fee" => Msg::FieldFee,
        "deadline" => Msg::FieldDeadline,
        "question" => Msg::FieldQuestion,
        _ => Msg::FieldAnswer,
    }
}

/// The remittance layer's errors in the user's language.
pub fn remit_error_text(e: &RemitError) -> UiText {
    let code = |c: &lethe_remit::OrderCode| c.to_string();
    match e {
        RemitError::Vault(v) => vault_error_text(v),
        RemitError::NotInitialised(_) => UiText::new(Msg::ErrNoRole),
        RemitError::AlreadyInitialised(_) => UiText::new(Msg::ErrRoleExists),
        RemitError::NotPaired => UiText::new(Msg::ErrNotPaired),
        RemitError::AlreadyPaired => UiText::new(Msg::ErrAlreadyPaired),
        RemitError::BadPublicKey(_) => UiText::new(Msg::ErrBadKey),
        RemitError::OwnKey => UiText::new(Msg::ErrOwnKey),
        RemitError::UnknownBroker(name) => UiText::with(Msg::ErrUnknownBroker, &[name]),
        RemitError::BrokerExists(name) => UiText::with(Msg::ErrBrokerExists, &[name]),
        RemitError::BrokerKeyExists { existing } => UiText::with(Msg::ErrBrokerKeyExists, &[existing]),
        RemitError::BadBrokerName => UiText::new(Msg::ErrBrokerName),
        RemitError::Form(f) => form_text(f),
        RemitError::Amount(_) => UiText::new(Msg::ErrAmount),
        RemitError::BadDate(_) => UiText::new(Msg::ErrBadDate),
        RemitError::DeadlinePassed => UiText::new(Msg::ErrDeadlinePassed),
        RemitError::Message(_) => UiText::new(Msg::ErrBadMessage),
        RemitError::Replayed => UiText::new(Msg::ErrReplayed),
        RemitError::SealedToErasedKey => UiText::new(Msg::ErrSealedToErasedKey),
        RemitError::MessageTooOld { age_days } => UiText::with(Msg::ErrTooOld, &[&age_days.to_string()]),
        RemitError::UnexpectedMessage { .. } => UiText::new(Msg::ErrWrongMessageKind),
        RemitError::NothingToSend => UiText::new(Msg::ErrNothingToSend),
        RemitError::UnknownOrder(c) => UiText::with(Msg::ErrUnknownOrder, &[&code(c)]),
        RemitError::AlreadyDelivered(c) => UiText::with(Msg::ErrAlreadyDelivered, &[&code(c)]),
        RemitError::BadAnswer(_) => UiText::new(Msg::ErrBadAnswer),
        RemitError::ZeroAmount => UiText::new(Msg::ErrZeroAmount),
        RemitError::AmountAboveOrder { code: c, ordered_minor, currency } => {
            UiText::with(Msg::ErrAmountAboveOrder, &[&code(c), &lethe_remit::format_amount(*ordered_minor, *currency)])
        }
        RemitError::Media(_) => UiText::new(Msg::ErrMedia),
        RemitError::MediaFile(_) => UiText::new(Msg::ErrMediaFile),
        RemitError::MediaWithoutReport => UiText::new(Msg::ErrMediaWithoutReport),
        RemitError::MediaAlreadyImported(c) => UiText::with(Msg::ErrMediaAlreadyImported, &[&code(c)]),
        RemitError::NoMedia(c) => UiText::with(Msg::ErrNoMedia, &[&code(c)]),
        RemitError::DamagedRecord(_) => UiText::new(Msg::ErrDamagedRecord),
        RemitError::Io(io) => io_error_text(io),
        RemitError::BadRetention(_) => UiText::new(Msg::ErrBadRetention),
        RemitError::NoPairingRequest => UiText::new(Msg::ErrNoPairRequest),
        RemitError::Cover(CoverError::Incomplete) => UiText::new(Msg::ErrCoverIncomplete),
        RemitError::Cover(CoverError::Refused) => UiText::new(Msg::ErrCoverRefused),
        RemitError::Cover(CoverError::PayloadTooLong { .. }) => UiText::new(Msg::ErrCoverTooLong),
        other => UiText::with(Msg::ErrOther, &[&other.to_string()]),
    }
}

fn form_text(f: &FormError) -> UiText {
    match f {
        FormError::Missing(key) => UiText::with_msg(Msg::ErrFormMissing, form_key_msg(key)),
        FormError::BadValue { key, .. } => match *key {
            "amount" | "fee" => UiText::new(Msg::ErrAmount),
            "currency" => UiText::new(Msg::ErrCurrency),
            "deadline" => UiText::new(Msg::ErrBadDate),
            "answer" => UiText::new(Msg::ErrBadAnswer),
            other => UiText::with_msg(Msg::ErrFormTooLong, form_key_msg(other)),
        },
        other => UiText::with(Msg::ErrOther, &[&other.to_string()]),
    }
}
