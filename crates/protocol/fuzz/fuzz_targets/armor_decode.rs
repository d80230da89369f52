//! Armored text from anywhere: never panics; whatever decodes re-armors to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lethe_protocol::armor::{armor, armor_compact, dearmor};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(payload) = dearmor(text) {
        assert_eq!(dearmor(&armor(&payload)).as_deref(), Ok(&payload[..]));
        assert_eq!(dearmor(&armor_compact(&payload)).as_deref(), Ok(&payload[..]));
    }
});
