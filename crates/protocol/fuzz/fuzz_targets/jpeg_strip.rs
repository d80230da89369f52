//! Crafted JPEG files: never panics; stripping its own output changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lethe_protocol::jpeg::strip_metadata;

fuzz_target!(|data: &[u8]| {
    if let Ok(clean) = strip_metadata(data) {
        assert_eq!(strip_metadata(&clean).as_deref(), Ok(&clean[..]));
    }
});
