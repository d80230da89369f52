//! Secret marker strings. Every secret a scenario hands to lethe (or to a control app) is a
//! marker that cannot occur by chance, recorded here, outside the image, before it is used.

use std::sync::Mutex;

/// What a marker stands for, which decides how finding it is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// Content that lethe must make unrecoverable (deleted, panicked or hidden items).
    Secret,
    /// A passphrase; must never be found on the image or in lethe's output.
    Passphrase,
    /// Decoy content that the coerced examiner is meant to see (checks the examiner method).
    Decoy,
    /// Content still live in an opened compartment (checks the examiner method).
    Kept,
    /// Content of a positive control (a naive app); must be found.
    Control,
    /// A file name (camera photo) that carries a marker; whether it must be found depends on
    /// the group (lethe or control) and the row.
    Name,
}

impl MarkerKind {
    pub fn name(self) -> &'static str {
        match self {
            MarkerKind::Secret => "secret",
            MarkerKind::Passphrase => "passphrase",
            MarkerKind::Decoy => "decoy",
            MarkerKind::Kept => "kept",
            MarkerKind::Control => "control",
            MarkerKind::Name => "name",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Ascii,
    Hangul,
    Chinese,
}

impl Script {
    pub fn name(self) -> &'static str {
        match self {
            Script::Ascii => "ascii",
            Script::Hangul => "hangul",
            Script::Chinese => "chinese",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Marker {
    pub text: String,
    pub kind: MarkerKind,
    /// The scenario that used it ("wtd", "panic", ...).
    pub group: &'static str,
    /// The item inside the scenario ("n07", "p12", "pass1").
    pub item: String,
    pub script: Script,
}

/// All markers of a run, shared by the scenario threads.
#[derive(Default)]
pub struct MarkerBook {
    markers: Mutex<Vec<Marker>>,
}

/// The three markers (ASCII, Hangul, Chinese) of one item.
#[derive(Clone, Debug)]
pub struct ItemMarkers {
    pub ascii: String,
    pub hangul: String,
    pub chinese: String,
}

impl MarkerBook {
    pub fn new() -> MarkerBook {
        MarkerBook::default()
    }

    fn record(&self, marker: Marker) -> String {
        let text = marker.text.clone();
        self.markers.lock().expect("marker book lock").push(marker);
        text
    }

    /// The three markers of one item, recorded before they are used anywhere.
    pub fn item(&self, group: &'static str, kind: MarkerKind, item: &str) -> ItemMarkers {
        let (ascii_prefix, hangul_prefix, chinese_prefix) = match kind {
            MarkerKind::Decoy => ("DCY", "평범", "普通"),
            MarkerKind::Kept => ("KEEP", "보관", "保留"),
            _ => ("SZM", "비밀", "秘密"),
        };
        let ascii = format!("{ascii_prefix}-{group}-{item}-{:016x}", random_u64());
        let hangul = format!("{hangul_prefix}{}", random_chars(0xAC00, 0xD7A3, 10));
        let chinese = format!("{chinese_prefix}{}", random_chars(0x4E00, 0x9FA5, 10));
        for (text, script) in [(&ascii, Script::Ascii), (&hangul, Script::Hangul), (&chinese, Script::Chinese)] {
            self.record(Marker { text: text.clone(), kind, group, item: item.to_string(), script });
        }
        ItemMarkers { ascii, hangul, chinese }
    }

    /// A passphrase that is itself a marker: ASCII with a Hangul tail, as a Korean user
    /// might type it.
    pub fn passphrase(&self, group: &'static str, item: &str) -> String {
        let text = format!("SZM-{group}-{item}-{:016x} {}", random_u64(), random_chars(0xAC00, 0xD7A3, 6));
        self.record(Marker { text, kind: MarkerKind::Passphrase, group, item: item.to_string(), script: Script::Ascii })
    }

    /// A marker to put into a file name: ASCII (letters and digits only, as a camera name
    /// has) or Hangul.
    pub fn name(&self, group: &'static str, item: &str, script: Script) -> String {
        let text = match script {
            Script::Ascii => format!("SZMN{:016x}", random_u64()),
            Script::Hangul => format!("이름{}", random_chars(0xAC00, 0xD7A3, 8)),
            Script::Chinese => format!("名字{}", random_chars(0x4E00, 0x9FA5, 8)),
        };
        self.record(Marker { text, kind: MarkerKind::Name, group, item: item.to_string(), script })
    }

    pub fn snapshot(&self) -> Vec<Marker> {
        self.markers.lock().expect("marker book lock").clone()
    }
}

impl ItemMarkers {
    #[cfg(test)]
    pub fn all(&self) -> [&str; 3] {
        [&self.ascii, &self.hangul, &self.chinese]
    }

    /// A note as a broker would write it, carrying the three markers.
    pub fn note_text(&self, label: &str) -> String {
        format!(
            "{label}\n\
             Delivered 2,000,000 won to the family of {}. They asked for medicine next time.\n\
             전달 확인: {} 가족, 다음 달에 다시 연락.\n\
             备注: {} 已收到, 通过老路线.\n",
            self.ascii, self.hangul, self.chinese
        )
    }

    /// One-line caption (EXIF description, gallery database row).
    pub fn caption(&self) -> String {
        format!("{} {} {}", self.ascii, self.hangul, self.chinese)
    }
}

/// The bed's one call of the operating system's random number generator.
pub fn fill_random(buffer: &mut [u8]) -> Result<(), String> {
    getrandom::fill(buffer).map_err(|e| format!("operating system random source: {e}"))
}

pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    fill_random(&mut bytes).expect("operating system random source");
    u64::from_le_bytes(bytes)
}

fn random_chars(first: u32, last: u32, count: usize) -> String {
    (0..count)
        .map(|_| {
            let span = u64::from(last - first + 1);
            char::from_u32(first + (random_u64() % span) as u32).expect("range holds only chars")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_unique_and_recorded() {
        let book = MarkerBook::new();
        let a = book.item("wtd", MarkerKind::Secret, "n01");
        let b = book.item("wtd", MarkerKind::Secret, "n01");
        assert_ne!(a.ascii, b.ascii);
        assert_ne!(a.hangul, b.hangul);
        assert_ne!(a.chinese, b.chinese);
        let pass = book.passphrase("wtd", "pass1");
        let all = book.snapshot();
        assert_eq!(all.len(), 7);
        assert!(all.iter().any(|m| m.text == pass && m.kind == MarkerKind::Passphrase));
        assert!(a.hangul.chars().skip(2).all(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)));
        assert!(a.chinese.chars().skip(2).all(|c| ('\u{4E00}'..='\u{9FA5}').contains(&c)));
        let note = a.note_text("note 1");
        assert!(a.all().iter().all(|m| note.contains(m)));
    }
}
