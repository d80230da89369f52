//! Decrypted message bytes: never panics; whatever decodes in the current version is the
//! unique encoding of what it decodes to. A version 1 message is read and written again in
//! the current version, and that form decodes to the same message.
#![no_main]

use lethe_protocol::message::{MESSAGE_VERSION, Message};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = Message::decode(data) {
        let encoded = message.encode().expect("a decoded message re-encodes");
        if data.first() == Some(&MESSAGE_VERSION) {
            assert_eq!(&encoded[..], data);
        } else {
            let again = Message::decode(&encoded).expect("the re-encoded form decodes");
            assert_eq!(again, message);
        }
    }
});
