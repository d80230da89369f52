//! `lethe demo`: a walk-through on a throwaway in-memory container. Being written.

use crate::exit::{CmdResult, Exit, Failure};

pub fn run() -> CmdResult {
    Err(Failure::new(Exit::Other, "the demo is not available yet"))
}
