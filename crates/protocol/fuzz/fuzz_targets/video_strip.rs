//! Crafted MP4/MOV files: never panics; the output has the input's length up to its last
//! box, and stripping its own output changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lethe_protocol::mp4::strip_video;

fuzz_target!(|data: &[u8]| {
    if let Ok(clean) = strip_video(data) {
        assert!(clean.len() <= data.len());
        assert_eq!(strip_video(&clean).as_deref(), Ok(&clean[..]));
    }
});
