//! Decrypted header slot plaintext: strict decoding never panics, and whatever decodes
//! re-encodes to a plaintext that decodes to the same slot.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lethe_vault_fuzz::slot_decode(data));
