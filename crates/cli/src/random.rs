//! The command line's one source of random bytes (random file names, overwriting with noise).
//! Nothing else in this crate calls the operating system's generator; the test below checks
//! the sources.

use std::io;

/// Fills `buffer` from the operating system's random number generator.
pub fn fill_random(buffer: &mut [u8]) -> io::Result<()> {
    getrandom::fill(buffer)
        .map_err(|error| io::Error::other(format!("the system's random number generator failed: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Source files under `dir` (recursively) that call the random crate directly.
    fn files_calling_getrandom(dir: &std::path::Path) -> Vec<String> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files_calling_getrandom(&path));
            } else if path.extension().is_some_and(|ext| ext == "rs")
                && std::fs::read_to_string(&path).unwrap().contains(concat!("getrandom", "::"))
            {
                found.push(path.display().to_string());
            }
        }
        found
    }

    #[test]
    fn only_this_module_calls_the_random_number_generator() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let found = files_calling_getrandom(&src);
        let (here, elsewhere): (Vec<_>, Vec<_>) = found.into_iter().partition(|path| path.ends_with("/random.rs"));
        assert!(elsewhere.is_empty(), "getrandom called outside random.rs: {elsewhere:?}");
        // Control: the scan does see this module's own call.
        assert_eq!(here.len(), 1, "{here:?}");
    }

    #[test]
    fn fills_the_whole_buffer() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        fill_random(&mut a).unwrap();
        fill_random(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 64]);
    }
}
