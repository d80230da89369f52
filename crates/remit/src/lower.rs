//! The retention of the compartments below the open one.
//!
//! A hidden compartment's open would otherwise run retention only for itself: after weeks of
//! hidden-only use the decoy would still list orders older than its retention window while
//! the container (and, in format 2, the decoy's epoch and noise) shows recent sessions, a tell
//! against issue 13's "the decoy's visible history is consistent with decoy-only use". So
//! [`crate::Hub::open`] and [`crate::Field::open`] of a compartment above level 0 first run,
//! for every compartment below it that holds a hub or a field role, what that compartment's
//! own open runs (hub first, then field, as the app opens them), with its own settings, in
//! the same session and through [`Vault::with_lower`]: the same writes as opening the decoy
//! with its passphrase would make.

use crate::{Field, Hub};
use lethe_vault::{Storage, Vault};

/// Runs the open-time retention of every compartment below the open one. Best effort: a
/// lower compartment whose records do not read is left as it is (the open of the compartment
/// above goes on; its own open shows such damage when it is opened with its passphrase).
pub(crate) fn enforce_below<S: Storage>(vault: &mut Vault<S>, now: u64) {
    for level in 0..vault.level() {
        let _ = vault.with_lower(level, |lower| {
            let _ = Hub::open_own(lower, now);
            let _ = Field::open_own(lower, now);
        });
    }
}
