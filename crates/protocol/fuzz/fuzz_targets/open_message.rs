//! The whole receiving path with fixed keys. Odd first byte: the rest is text pasted into
//! `open_message`. Even first byte: the rest is a plaintext sealed by the real sender, so
//! the decoder behind the authentication is reached too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lethe_protocol::message::{ProtocolError, open_message};
use lethe_protocol::{IdentitySecret, armor, seal};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let hub = IdentitySecret::from_bytes(&[0x11; 32]);
    let field = IdentitySecret::from_bytes(&[0x22; 32]);
    let candidates = [field.public_key()];
    if mode & 1 == 1 {
        let Ok(text) = std::str::from_utf8(rest) else { return };
        let _ = open_message(&hub, &candidates, text);
    } else {
        let Ok(sealed) = seal(&field, &hub.public_key(), rest) else { return };
        match open_message(&hub, &candidates, &armor(&sealed)) {
            Ok(_) | Err(ProtocolError::Malformed(_) | ProtocolError::UnsupportedVersion(_)) => {}
            Err(other) => panic!("authentic message refused as {other:?}"),
        }
    }
});
