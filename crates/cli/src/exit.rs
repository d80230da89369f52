//! Exit codes and the error type every command returns.

use lethe_vault::Error as VaultError;

/// Exit codes (documented in README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    /// Anything not listed below.
    Other = 1,
    /// Bad command line (clap uses 2 as well).
    Usage = 2,
    WrongPassphrase = 3,
    InUse = 4,
    Full = 5,
    NoSuchItem = 6,
    /// The container or an item is damaged, truncated, or not a container.
    Damaged = 7,
    /// The operating system failed to read or write.
    Io = 8,
    /// Refused to do something that would lose data or break a rule (existing file,
    /// reused passphrase, no compartment left, empty passphrase, bad size).
    Refused = 9,
    /// A message could not be read (mistyped, altered, not addressed to this vault).
    BadMessage = 10,
}

pub struct Failure {
    pub code: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(code: Exit, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into() }
    }
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Failure {
        let code = match &e {
            VaultError::WrongPassphrase => Exit::WrongPassphrase,
            VaultError::InUse => Exit::InUse,
            VaultError::Full { .. } => Exit::Full,
            VaultError::NoSuchItem(_) => Exit::NoSuchItem,
            VaultError::BadContainerSize { .. }
            | VaultError::ItemDamaged(_)
            | VaultError::Truncated
            | VaultError::IndexDamaged { .. } => Exit::Damaged,
            VaultError::Io { .. } => Exit::Io,
            VaultError::AlreadyExists
            | VaultError::InvalidSize { .. }
            | VaultError::NoFreeCompartment
            | VaultError::NoLinkPosition { .. }
            | VaultError::PassphraseAlreadyUsed
            | VaultError::EmptyPassphrase
            | VaultError::TooLarge(_) => Exit::Refused,
            _ => Exit::Other,
        };
        let hint = match &e {
            VaultError::WrongPassphrase => " Check the passphrase and try again.",
            VaultError::Full { .. } => " Delete items you no longer need, or use a larger container.",
            VaultError::Io { .. } => " Nothing stored before was changed.",
            _ => "",
        };
        Failure::new(code, format!("{e}.{hint}"))
    }
}

impl From<lethe_remit::Error> for Failure {
    fn from(e: lethe_remit::Error) -> Failure {
        use lethe_remit::Error as E;
        let code = match &e {
            E::Vault(_) => {
                let E::Vault(v) = e else { unreachable!() };
                return Failure::from(v);
            }
            E::Message(_)
            | E::SealedToErasedKey
            | E::Replayed
            | E::MessageTooOld { .. }
            | E::UnexpectedMessage { .. }
            | E::BadPublicKey(_)
            | E::MediaFile(_)
            | E::MediaWithoutReport
            | E::Pairing(_)
            | E::WrongPairingStep { .. }
            | E::Parts(_) => Exit::BadMessage,
            E::Cover(lethe_protocol::cover::CoverError::PayloadTooLong { .. }) => Exit::Usage,
            E::Cover(_) => Exit::BadMessage,
            E::UnknownBroker(_) | E::UnknownOrder(_) | E::NoMedia(_) => Exit::NoSuchItem,
            E::NotInitialised(_)
            | E::AlreadyInitialised(_)
            | E::NotPaired
            | E::AlreadyPaired
            | E::OwnKey
            | E::BrokerExists(_)
            | E::BrokerKeyExists { .. }
            | E::AlreadyDelivered(_)
            | E::MediaAlreadyImported(_)
            | E::NoPairingRequest
            | E::NoPairingPending(_)
            | E::NoChannelKey
            | E::CannotCorrect(_) => Exit::Refused,

            E::Form(_)
            | E::Amount(_)
            | E::BadDate(_)
            | E::DeadlinePassed
            | E::BadAnswer(_)
            | E::ZeroAmount
            | E::AmountAboveOrder { .. }
            | E::BadBrokerName
            | E::BadRetention(_)
            | E::BadHubRetention(_)
            | E::Media(_) => Exit::Usage,
            E::DamagedRecord(_) => Exit::Damaged,
            E::Io(_) => Exit::Io,
            _ => Exit::Other,
        };
        Failure::new(code, format!("{e}."))
    }
}

pub type CmdResult = Result<(), Failure>;
