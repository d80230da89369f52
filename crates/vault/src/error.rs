use std::fmt;

/// Everything that can go wrong with a container. Each variant leaves the container's
/// stored bytes as they were, except where a variant says otherwise.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The passphrase opens no compartment. Deliberately the same for a mistyped passphrase
    /// and for a compartment that does not exist, and it takes the same time.
    WrongPassphrase,
    /// Another process (another lethe, or the terminal app) has the container open.
    InUse,
    /// The file's length is not a whole number of blocks or below the minimum: it was
    /// truncated, or it is not a lethe container.
    BadContainerSize { len: u64 },
    /// The requested container size is not allowed.
    InvalidSize { requested: u64 },
    /// A file already exists where a new container should be created.
    AlreadyExists,
    /// Not enough free space. Nothing was written.
    Full { needed: u64, available: u64 },
    /// Format version 2: an import across sessions ([`crate::Vault::add_across_sessions`])
    /// was allowed a number of sessions that cannot even hold its first part. Nothing was
    /// changed; close the container and open it again to continue. (Ordinary writes above
    /// level 0 never end with this: the vault starts further sessions itself.)
    SessionFull { available: u64 },
    /// A migration could not be done; the old container is untouched (the text says why).
    Migrate(String),
    /// No item with this id in the open compartment.
    NoSuchItem(String),
    /// The item's blocks fail authentication: they were altered or overwritten (for example
    /// by writes through a lower compartment). Other items are not affected.
    ItemDamaged(String),
    /// Both copies of the compartment's index are damaged. Its items cannot be listed.
    IndexDamaged { level: usize },
    /// All eight compartments exist already.
    NoFreeCompartment,
    /// The new passphrase already opens a compartment of this container.
    PassphraseAlreadyUsed,
    /// Format version 2 `hide`: every one of the 16 link positions the new passphrase gives
    /// is in use (by level 0 or by noise of earlier sessions), `used_percent` of the data
    /// blocks being so. Nothing was changed; another passphrase gives other positions
    /// (docs/FORMAT.md, version 2, point 5).
    NoLinkPosition { used_percent: u8 },
    /// An item name is longer than the limit or the index would not fit in its slot.
    TooLarge(&'static str),
    /// An empty passphrase was given.
    EmptyPassphrase,
    /// The container ends before a block it refers to: the file was truncated.
    Truncated,
    /// The operating system reported an error while reading or writing.
    Io { context: &'static str, source: std::io::Error },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> Error {
        move |source| {
            if source.kind() == std::io::ErrorKind::UnexpectedEof {
                Error::Truncated
            } else {
                Error::Io { context, source }
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::WrongPassphrase => f.write_str("wrong passphrase (or no such compartment)"),
            Error::InUse => f.write_str("the container is open in another lethe program; close that one first"),
            Error::BadContainerSize { len } => write!(
                f,
                "this file ({len} bytes) is not a whole lethe container: it may be truncated or be another file"
            ),
            Error::InvalidSize { requested } => write!(
                f,
                "a container must be between 1 MiB and 16 TiB and a multiple of 4 KiB (asked for {requested} bytes)"
            ),
            Error::AlreadyExists => f.write_str("a file already exists there; lethe never overwrites an existing file"),
            Error::Migrate(why) => write!(f, "cannot migrate: {why}"),
            Error::SessionFull { available } => write!(
                f,
                "this session can store only {} KiB more in this compartment; nothing was changed. Close the container and open it again to store more",
                available / 1024
            ),
            Error::Full { needed, available } => write!(
                f,
                "not enough space in the container: needs {} KiB, {} KiB free; nothing was changed",
                needed.div_ceil(1024),
                available / 1024
            ),
            Error::NoSuchItem(id) => write!(f, "no item with id {id} here"),
            Error::ItemDamaged(id) => {
                write!(f, "item {id} is damaged (its blocks were altered or overwritten); other items are not affected")
            }
            Error::IndexDamaged { level } => {
                write!(f, "both copies of this compartment's index (level {level}) are damaged")
            }
            Error::NoFreeCompartment => f.write_str("this container already has all 8 compartments"),
            Error::PassphraseAlreadyUsed => {
                f.write_str("that passphrase already opens a compartment; choose another one")
            }
            Error::NoLinkPosition { used_percent } => write!(
                f,
                "no place for the new compartment: all 16 positions its passphrase gives are in use ({used_percent}% of the container's blocks hold items or the noise of earlier sessions, and about {}% of passphrases meet this); nothing was changed. Try again with another passphrase for the new compartment. If it keeps failing, nearly every block is in use: make the hidden compartment in a new container before using that one much",
                link_failure_percent(*used_percent)
            ),
            Error::TooLarge(what) => write!(f, "too large: {what}"),
            Error::EmptyPassphrase => f.write_str("the passphrase is empty"),
            Error::Truncated => {
                f.write_str("the container file is shorter than its contents: it was truncated or damaged")
            }
            Error::Io { context, source } => write!(f, "{context}: {source}"),
        }
    }
}

/// Percentage of passphrases whose 16 link positions are all in use when `used_percent` of
/// the data blocks are: `u^16`, rounded up to a whole percent.
fn link_failure_percent(used_percent: u8) -> u32 {
    let u = f64::from(used_percent.min(100)) / 100.0;
    (100.0 * u.powi(16)).ceil() as u32
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
