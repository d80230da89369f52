//! Decrypted compartment index: strict decoding never panics; a decoded index lies inside
//! the container and re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lethe_vault_fuzz::meta_decode(data));
