//! Decrypted message bytes: never panics; whatever decodes is the unique encoding of
//! what it decodes to.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lethe_protocol::message::Message;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = Message::decode(data) {
        let encoded = message.encode().expect("a decoded message re-encodes");
        assert_eq!(&encoded[..], data);
    }
});
