//! The error of the operating system's random number generator (the generator itself is
//! called only from `primitives::fill_random`).

use core::fmt;

/// The operating system's random number generator failed; nothing was produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RandomnessError;

impl fmt::Display for RandomnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the system's random number generator is not available")
    }
}

impl std::error::Error for RandomnessError {}
