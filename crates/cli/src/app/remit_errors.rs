//! The remittance layer's errors in the user's language.

use super::i18n::Msg;
use super::jobs::UiText;
use super::state::{io_error_text, vault_error_text};
use lethe_remit::{Error, FormError};

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

pub fn text(e: &Error) -> UiText {
    let code = |c: &lethe_remit::OrderCode| c.to_string();
    match e {
        Error::Vault(v) => vault_error_text(v),
        Error::NotInitialised(_) => UiText::new(Msg::ErrNoRole),
        Error::AlreadyInitialised(_) => UiText::new(Msg::ErrRoleExists),
        Error::NotPaired => UiText::new(Msg::ErrNotPaired),
        Error::AlreadyPaired => UiText::new(Msg::ErrAlreadyPaired),
        Error::BadPublicKey(_) => UiText::new(Msg::ErrBadKey),
        Error::OwnKey => UiText::new(Msg::ErrOwnKey),
        Error::UnknownBroker(name) => UiText::with(Msg::ErrUnknownBroker, &[name]),
        Error::BrokerExists(name) => UiText::with(Msg::ErrBrokerExists, &[name]),
        Error::BrokerKeyExists { existing } => UiText::with(Msg::ErrBrokerKeyExists, &[existing]),
        Error::BadBrokerName => UiText::new(Msg::ErrBrokerName),
        Error::Form(f) => form_text(f),
        Error::Amount(_) => UiText::new(Msg::ErrAmount),
        Error::BadDate(_) => UiText::new(Msg::ErrBadDate),
        Error::DeadlinePassed => UiText::new(Msg::ErrDeadlinePassed),
        Error::Message(_) => UiText::new(Msg::ErrBadMessage),
        Error::Replayed => UiText::new(Msg::ErrReplayed),
        Error::SealedToErasedKey => UiText::new(Msg::ErrSealedToErasedKey),
        Error::MessageTooOld { age_days } => UiText::with(Msg::ErrTooOld, &[&age_days.to_string()]),
        Error::UnexpectedMessage { .. } => UiText::new(Msg::ErrWrongMessageKind),
        Error::NothingToSend => UiText::new(Msg::ErrNothingToSend),
        Error::UnknownOrder(c) => UiText::with(Msg::ErrUnknownOrder, &[&code(c)]),
        Error::AlreadyDelivered(c) => UiText::with(Msg::ErrAlreadyDelivered, &[&code(c)]),
        Error::BadAnswer(_) => UiText::new(Msg::ErrBadAnswer),
        Error::ZeroAmount => UiText::new(Msg::ErrZeroAmount),
        Error::Media(_) => UiText::new(Msg::ErrMedia),
        Error::MediaFile(_) => UiText::new(Msg::ErrMediaFile),
        Error::MediaWithoutReport => UiText::new(Msg::ErrMediaWithoutReport),
        Error::MediaAlreadyImported(c) => UiText::with(Msg::ErrMediaAlreadyImported, &[&code(c)]),
        Error::NoMedia(c) => UiText::with(Msg::ErrNoMedia, &[&code(c)]),
        Error::DamagedRecord(_) => UiText::new(Msg::ErrDamagedRecord),
        Error::Io(io) => io_error_text(io),
        Error::BadRetention(_) => UiText::new(Msg::ErrBadRetention),
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
