//! The one error type of the remittance layer.

use core::fmt;

use lethe_protocol::cover::CoverError;
use lethe_protocol::pairing::PairingError;
use lethe_protocol::parts::PartsError;
use lethe_protocol::{KeyError, MediaError, OrderCode, ProtocolError, StreamError};

use crate::amount::AmountError;
use crate::form::FormError;

/// Which role a compartment plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The coordinator outside, who takes money from senders and instructs brokers.
    Hub,
    /// The broker inside, who hands over the cash.
    Field,
}

impl Role {
    /// `"hub"` or `"field"`, as in the command names.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Hub => "hub",
            Role::Field => "field",
        }
    }
}

/// Everything that can go wrong in the remittance layer.
///
/// Unless a variant says otherwise, an operation that returns an error has changed
/// nothing in the vault: every message and input is checked completely before the first
/// write.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The vault failed (full, damaged, input/output error...).
    Vault(lethe_vault::Error),
    /// This compartment has no key for the role. (The passphrase may have opened another
    /// compartment than the one holding it.)
    NotInitialised(Role),
    /// This compartment already has a key for the role; making another would orphan
    /// every pairing.
    AlreadyInitialised(Role),
    /// The field broker has not imported the hub's public key yet.
    NotPaired,
    /// The field broker already has a hub's key.
    AlreadyPaired,
    /// The text given as a public key is not one.
    BadPublicKey(KeyError),
    /// The public key given is this vault's own key.
    OwnKey,
    /// No broker by this name at this hub.
    UnknownBroker(String),
    /// A broker by this name exists already.
    BrokerExists(String),
    /// This public key belongs to a broker already paired under another name.
    BrokerKeyExists {
        /// The name it is paired under.
        existing: String,
    },
    /// A broker name is empty, too long, or has control characters.
    BadBrokerName,
    /// The order form could not be read.
    Form(FormError),
    /// An amount could not be read.
    Amount(AmountError),
    /// A date could not be read (expected YYYY-MM-DD).
    BadDate(String),
    /// The order's deadline is already past.
    DeadlinePassed,
    /// A message could not be read: mistyped (checksum), cut off, altered, addressed to
    /// someone else, or from a key this vault is not paired with.
    Message(ProtocolError),
    /// This exact message was received before. Nothing was changed.
    Replayed,
    /// A well-formed message from the hub that none of this vault's live keys opens,
    /// while older keys have been crypto-erased: most likely it was sealed to one of
    /// them (the hub must send it again, sealed to the newest key). It may also be a
    /// message for another phone. Nothing was changed.
    SealedToErasedKey,
    /// The message was made longer ago than this vault remembers messages; it may be an
    /// old message sent again, so it is refused.
    MessageTooOld {
        /// Days since the message was made.
        age_days: u64,
    },
    /// A message of the wrong kind for this role (for example a report pasted into the
    /// field broker's inbox).
    UnexpectedMessage {
        /// What this command reads.
        expected: &'static str,
        /// What the message holds.
        found: &'static str,
    },
    /// There is nothing waiting to be sent.
    NothingToSend,
    /// No order with this code here.
    UnknownOrder(OrderCode),
    /// The order was already delivered (its report waits to be sent or acknowledged).
    AlreadyDelivered(OrderCode),
    /// The recipient's answer is empty once spaces and punctuation are removed, or is
    /// longer than a message can carry.
    BadAnswer(&'static str),
    /// The amount (handed over, or advanced) is zero.
    ZeroAmount,
    /// The amount handed over is larger than the order's: it cannot be recorded.
    AmountAboveOrder {
        /// The order.
        code: OrderCode,
        /// The order's amount, in minor units.
        ordered_minor: u64,
        /// Its currency.
        currency: lethe_protocol::Currency,
    },
    /// A photo could not be cleaned of its metadata (not a JPEG, damaged...).
    Media(MediaError),
    /// A sealed media file could not be opened: cut off, altered, or not sealed to this
    /// hub by a paired broker.
    MediaFile(StreamError),
    /// The media file opened, but no imported report mentions it. Import the broker's
    /// reports first.
    MediaWithoutReport,
    /// This media file was imported already.
    MediaAlreadyImported(OrderCode),
    /// The order has no imported photo or video.
    NoMedia(OrderCode),
    /// A record in the vault is not in a form this program wrote: it was damaged or made
    /// by a newer version.
    DamagedRecord(&'static str),
    /// Reading input or writing output failed.
    Io(std::io::Error),
    /// The system's random number generator failed.
    Randomness,
    /// The retention window must be 1 to 365 days.
    BadRetention(u32),
    /// The hub's retention must be 1 to 3650 days.
    BadHubRetention(u32),
    /// A pairing text could not be used (mistyped, not a pairing text, or a broker's key
    /// that does not match the request she sent first).
    Pairing(PairingError),
    /// A pairing text of the wrong kind for this step (for example the hub's own answer
    /// pasted back into the hub).
    WrongPairingStep {
        /// What this step reads.
        expected: &'static str,
        /// What the text is.
        found: &'static str,
    },
    /// The hub's pairing answer arrived, but this phone has not sent a pairing request
    /// (or it was made on another compartment). Start with the request.
    NoPairingRequest,
    /// The broker's key arrived, but the hub has no pairing request of a broker by this
    /// name waiting. Start again with her request.
    NoPairingPending(String),
    /// This pairing gave no channel key: it was made before lethe kept one and the key it
    /// needs is erased. Pair again.
    NoChannelKey,
    /// A message in parts could not be read or joined (a part missing, mistyped, or from
    /// another message), or could not be split within the limit.
    Parts(PartsError),
    /// Cover text could not be read (cut off, for another pairing, or changed) or
    /// written (the message is too long for it).
    Cover(CoverError),
    /// A correction cannot be made as asked; the text says why and what to do.
    CannotCorrect(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Vault(e) => write!(f, "{e}"),
            Error::NotInitialised(role) => write!(
                f,
                "no {} key in the compartment this passphrase opens (create one with `lethe {} init`)",
                role.as_str(),
                role.as_str()
            ),
            Error::AlreadyInitialised(role) => {
                write!(f, "this compartment already has a {} key; nothing was changed", role.as_str())
            }
            Error::NotPaired => write!(f, "the hub's key has not been imported yet (use `lethe field pair`)"),
            Error::AlreadyPaired => write!(f, "this compartment is already paired with a hub; nothing was changed"),
            Error::BadPublicKey(e) => write!(f, "{e}"),
            Error::OwnKey => write!(f, "this is your own public key, not the other side's"),
            Error::UnknownBroker(name) => write!(f, "no broker named '{name}' (see `lethe hub brokers`)"),
            Error::BrokerExists(name) => write!(f, "a broker named '{name}' exists already"),
            Error::BrokerKeyExists { existing } => {
                write!(f, "this key is already paired as broker '{existing}'")
            }
            Error::BadBrokerName => {
                write!(f, "a broker name must be 1 to 32 characters, without spaces at the ends or control characters")
            }
            Error::Form(e) => write!(f, "{e}"),
            Error::Amount(e) => write!(f, "{e}"),
            Error::BadDate(s) => write!(f, "cannot read the date '{s}' (write it as YYYY-MM-DD, e.g. 2026-12-01)"),
            Error::DeadlinePassed => write!(f, "the deadline is already past"),
            Error::Message(e) => write!(f, "this message cannot be used: {e}. Nothing was changed"),
            Error::SealedToErasedKey => write!(
                f,
                "this message was sealed to a key this phone has already erased; ask the hub to send it again \
                 (lethe hub send --resend). (Or it is not for this phone.) Nothing was changed"
            ),
            Error::Replayed => write!(f, "this message was received before; nothing was changed"),
            Error::MessageTooOld { age_days } => write!(
                f,
                "this message is {age_days} days old, too old to be trusted; ask for a new one. Nothing was changed"
            ),
            Error::UnexpectedMessage { expected, found } => {
                write!(f, "this message holds {found}, but this command reads {expected}; nothing was changed")
            }
            Error::NothingToSend => write!(f, "nothing is waiting to be sent"),
            Error::UnknownOrder(code) => write!(f, "no order {code} here"),
            Error::AlreadyDelivered(code) => {
                write!(f, "order {code} was already delivered; its report is waiting to be sent")
            }
            Error::BadAnswer(why) => write!(f, "the answer {why}"),
            Error::ZeroAmount => write!(f, "the amount cannot be zero; nothing was changed"),
            Error::AmountAboveOrder { code, ordered_minor, currency } => write!(
                f,
                "order {code} is for {}; more than that cannot be recorded. Give the amount actually \
                 handed over, at most the order's (less is recorded as a partial delivery). Nothing was changed",
                crate::amount::format_amount(*ordered_minor, *currency)
            ),
            Error::Media(e) => write!(f, "{e}"),
            Error::MediaFile(e) => write!(f, "the media file cannot be used: {e}"),
            Error::MediaWithoutReport => {
                write!(f, "this media file belongs to no imported report; import the broker's reports first")
            }
            Error::MediaAlreadyImported(code) => {
                write!(f, "the media file of order {code} was imported already; nothing was changed")
            }
            Error::NoMedia(code) => write!(f, "order {code} has no imported photo or video"),
            Error::DamagedRecord(what) => {
                write!(f, "a stored {what} is damaged or was written by a newer version of lethe")
            }
            Error::Io(e) => write!(f, "{e}"),
            Error::Randomness => write!(f, "the system's random number generator is not available"),
            Error::BadHubRetention(days) => {
                write!(f, "the hub's retention must be 1 to 3650 days (not {days})")
            }
            Error::BadRetention(days) => {
                write!(f, "the retention window must be 1 to 365 days (not {days})")
            }
            Error::Pairing(e) => write!(f, "{e}"),
            Error::WrongPairingStep { expected, found } => {
                write!(f, "this is {found}, but this step needs {expected}")
            }
            Error::NoPairingRequest => write!(
                f,
                "this phone has no pairing request waiting; make one first (`lethe field pair-request`) and send it to the hub"
            ),
            Error::NoPairingPending(name) => write!(
                f,
                "no pairing request of a broker named \"{name}\" is waiting at the hub; read her request first (`lethe hub add-broker --name {name}`)"
            ),
            Error::Parts(e) => write!(f, "{e}"),
            Error::Cover(e @ CoverError::PayloadTooLong { .. }) => {
                write!(f, "{e} (--cover none)")
            }
            Error::Cover(e) => write!(f, "{e}. Nothing was changed"),
            Error::NoChannelKey => {
                write!(f, "this pairing was made by an older lethe and its key is erased; pair again")
            }
            Error::CannotCorrect(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Vault(e) => Some(e),
            Error::Message(e) => Some(e),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<PairingError> for Error {
    fn from(e: PairingError) -> Self {
        match e {
            PairingError::BadKey(k) => Error::BadPublicKey(k),
            PairingError::Randomness(_) => Error::Randomness,
            other => Error::Pairing(other),
        }
    }
}

impl From<lethe_vault::Error> for Error {
    fn from(e: lethe_vault::Error) -> Self {
        Error::Vault(e)
    }
}

impl From<ProtocolError> for Error {
    fn from(e: ProtocolError) -> Self {
        Error::Message(e)
    }
}

impl From<lethe_protocol::RandomnessError> for Error {
    fn from(_: lethe_protocol::RandomnessError) -> Self {
        Error::Randomness
    }
}

impl From<AmountError> for Error {
    fn from(e: AmountError) -> Self {
        Error::Amount(e)
    }
}

impl From<FormError> for Error {
    fn from(e: FormError) -> Self {
        Error::Form(e)
    }
}

/// Result of the remittance layer.
pub type Result<T> = std::result::Result<T, Error>;
