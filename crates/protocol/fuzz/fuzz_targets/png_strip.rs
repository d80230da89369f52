//! Crafted PNG files: never panics; stripping its own output changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lethe_protocol::png::strip_png;

fuzz_target!(|data: &[u8]| {
    if let Ok(clean) = strip_png(data) {
        assert_eq!(strip_png(&clean).as_deref(), Ok(&clean[..]));
    }
});
