//! `lethe hub …` and `lethe field …`: thin command-line front ends over lethe-remit.
//! (Being written: see issue 5.)

use crate::exit::{CmdResult, Exit, Failure};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum HubCommand {
    /// Create the hub's key pair in the compartment the passphrase opens.
    Init {
        vault: std::path::PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
}

#[derive(Subcommand)]
pub enum FieldCommand {
    /// Create the field broker's key pair in the compartment the passphrase opens.
    Init {
        vault: std::path::PathBuf,
        #[command(flatten)]
        pass: crate::PassArg,
    },
}

pub fn run_hub(cmd: HubCommand) -> CmdResult {
    match cmd {
        HubCommand::Init { .. } => Err(Failure::new(Exit::Other, "hub commands are not available yet")),
    }
}

pub fn run_field(cmd: FieldCommand) -> CmdResult {
    match cmd {
        FieldCommand::Init { .. } => Err(Failure::new(Exit::Other, "field commands are not available yet")),
    }
}
