//! A whole container built from a fixed, valid one by the edits the input describes (on the
//! decrypted header slots and indexes, re-sealed with the right keys so that the parsers
//! behind the AEAD are reached, and on the raw bytes): opening it with every passphrase never
//! panics, and when it opens, listing, reading, adding, erasing, replacing and hiding don't
//! either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lethe_vault_fuzz::open_container(data));
