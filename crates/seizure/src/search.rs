//! Multi-pattern search for markers, in the encodings an examiner's string search covers.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use aho_corasick::AhoCorasick;

use crate::markers::Marker;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Le,
    /// Lowercase hex of the UTF-8 bytes (how `sqlite3 .recover` prints a blob).
    HexUtf8,
    HexUtf16Le,
}

/// Which markers a buffer contains, per way of looking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    /// Exact UTF-8 bytes.
    pub utf8: BTreeSet<usize>,
    /// Exact UTF-16LE bytes.
    pub utf16le: BTreeSet<usize>,
    /// UTF-8 or UTF-16LE, ASCII letters compared without case.
    pub nocase: BTreeSet<usize>,
    /// Any of the above, or hex-encoded UTF-8 / UTF-16LE in any case.
    pub any: BTreeSet<usize>,
}

impl Hits {
    pub fn merge(&mut self, other: &Hits) {
        self.utf8.extend(&other.utf8);
        self.utf16le.extend(&other.utf16le);
        self.nocase.extend(&other.nocase);
        self.any.extend(&other.any);
    }
}

pub struct Searcher {
    exact: AhoCorasick,
    exact_owner: Vec<(usize, Encoding)>,
    nocase: AhoCorasick,
    nocase_owner: Vec<(usize, Encoding)>,
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn hex(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().flat_map(|b| format!("{b:02x}").into_bytes()).collect()
}

impl Searcher {
    pub fn new(markers: &[Marker]) -> Searcher {
        let mut exact_patterns = Vec::new();
        let mut exact_owner = Vec::new();
        let mut nocase_patterns = Vec::new();
        let mut nocase_owner = Vec::new();
        for (index, marker) in markers.iter().enumerate() {
            let utf8 = marker.text.as_bytes().to_vec();
            let wide = utf16le(&marker.text);
            exact_patterns.push(utf8.clone());
            exact_owner.push((index, Encoding::Utf8));
            exact_patterns.push(wide.clone());
            exact_owner.push((index, Encoding::Utf16Le));
            for (pattern, encoding) in [
                (hex(&utf8), Encoding::HexUtf8),
                (hex(&wide), Encoding::HexUtf16Le),
                (utf8, Encoding::Utf8),
                (wide, Encoding::Utf16Le),
            ] {
                nocase_patterns.push(pattern);
                nocase_owner.push((index, encoding));
            }
        }
        let exact = AhoCorasick::builder().build(&exact_patterns).expect("marker patterns build an automaton");
        let nocase = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&nocase_patterns)
            .expect("marker patterns build an automaton");
        Searcher { exact, exact_owner, nocase, nocase_owner }
    }

    pub fn search(&self, haystack: &[u8]) -> Hits {
        let mut hits = Hits::default();
        for found in self.exact.find_overlapping_iter(haystack) {
            let (marker, encoding) = self.exact_owner[found.pattern().as_usize()];
            match encoding {
                Encoding::Utf8 => hits.utf8.insert(marker),
                _ => hits.utf16le.insert(marker),
            };
        }
        for found in self.nocase.find_overlapping_iter(haystack) {
            let (marker, encoding) = self.nocase_owner[found.pattern().as_usize()];
            if matches!(encoding, Encoding::Utf8 | Encoding::Utf16Le) {
                hits.nocase.insert(marker);
            }
            hits.any.insert(marker);
        }
        hits
    }

    /// Searches every regular file under `root` (contents and relative path names).
    /// Returns the hits and the number of files searched.
    pub fn search_tree(&self, root: &Path) -> io::Result<(Hits, usize)> {
        let mut hits = Hits::default();
        let mut files = 0;
        if !root.exists() {
            return Ok((hits, 0));
        }
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let path = entry.path();
                let file_type = entry.file_type()?;
                let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
                hits.merge(&self.search(name.as_bytes()));
                if file_type.is_dir() {
                    stack.push(path);
                } else if file_type.is_file() {
                    hits.merge(&self.search(&std::fs::read(&path)?));
                    files += 1;
                }
            }
        }
        Ok((hits, files))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markers::{MarkerBook, MarkerKind};

    fn book() -> (Vec<Marker>, Searcher) {
        let book = MarkerBook::new();
        book.item("t", MarkerKind::Secret, "n1");
        let markers = book.snapshot();
        let searcher = Searcher::new(&markers);
        (markers, searcher)
    }

    #[test]
    fn finds_each_encoding_and_only_there() {
        let (markers, searcher) = book();
        let ascii = &markers[0].text;
        let hangul = &markers[1].text;

        let mut buffer = vec![0u8; 1000];
        buffer.extend_from_slice(ascii.as_bytes());
        let hits = searcher.search(&buffer);
        assert_eq!(hits.utf8, BTreeSet::from([0]));
        assert!(hits.utf16le.is_empty());
        assert_eq!(hits.nocase, BTreeSet::from([0]));

        let hits = searcher.search(&utf16le(hangul));
        assert_eq!(hits.utf16le, BTreeSet::from([1]));
        assert!(hits.utf8.is_empty());

        let upper = ascii.to_uppercase();
        let hits = searcher.search(upper.as_bytes());
        assert!(hits.utf8.is_empty(), "exact search must not fold case");
        assert_eq!(hits.nocase, BTreeSet::from([0]));

        let upper_wide = utf16le(&upper);
        assert_eq!(searcher.search(&upper_wide).nocase, BTreeSet::from([0]));

        let blob = format!("X'{}'", String::from_utf8(hex(hangul.as_bytes())).unwrap().to_uppercase());
        let hits = searcher.search(blob.as_bytes());
        assert!(hits.nocase.is_empty());
        assert_eq!(hits.any, BTreeSet::from([1]));
    }

    #[test]
    fn a_damaged_marker_is_not_counted() {
        let (markers, searcher) = book();
        let mut damaged = markers[0].text.clone().into_bytes();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert_eq!(searcher.search(&damaged), Hits::default());
        // A truncated Hangul marker (cut inside a character) is not counted either.
        let hangul = markers[1].text.as_bytes();
        assert_eq!(searcher.search(&hangul[..hangul.len() - 1]), Hits::default());
    }
}
