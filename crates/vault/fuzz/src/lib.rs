//! Harnesses of the vault's fuzz targets, in a library so that the vault's regression tests
//! (crates/vault/tests/fuzz_regressions.rs) replay crash inputs through exactly the same code:
//! that file includes `harness.rs` by path.

mod harness;

pub use harness::{
    PASSPHRASES, build_image, fixed_container_opens, meta_decode, open_container, slot_decode,
};
