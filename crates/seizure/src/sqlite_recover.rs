//! Record-level recovery from an SQLite database file, used beside `sqlite3 .recover`.
//!
//! Debian 12's (and Ubuntu 24.04's) `sqlite3` is built without `SQLITE_ENABLE_DBPAGE_VTAB`, so
//! its `.recover` stops with "no such table: sqlite_dbpage" before recovering anything. This
//! does what `.recover` does at the record level, plus what forensic SQLite carvers add:
//! - every page that is formatted as a table b-tree leaf is decoded, whether it is still in a
//!   table or on the freelist (deleted pages keep their cells when `secure_delete` is off);
//! - the free space of every page (freeblocks and the gap between the cell pointers and the
//!   cell area, where deleted cells stay) is carved for record headers, and its printable runs
//!   are kept as well, since a freeblock header overwrites the start of the deleted cell.

use std::fmt::Write as _;

const HEADER: &[u8; 16] = b"SQLite format 3\0";

fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((value << 8) | u64::from(b), 9));
        }
        value = (value << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

fn serial_length(serial: u64) -> Option<usize> {
    Some(match serial {
        0 | 8 | 9 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 6,
        6 | 7 => 8,
        10 | 11 => return None,
        n if n >= 12 => ((n - 12) / 2) as usize,
        _ => return None,
    })
}

struct Database<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
    utf16: bool,
}

impl<'a> Database<'a> {
    fn page(&self, number: usize) -> Option<&'a [u8]> {
        let start = (number.checked_sub(1)?).checked_mul(self.page_size)?;
        self.bytes.get(start..start + self.page_size)
    }

    /// A cell's full payload, following overflow pages.
    fn payload(&self, page: &[u8], at: usize) -> Option<Vec<u8>> {
        let (length, n) = varint(page.get(at..)?)?;
        let (_, m) = varint(page.get(at + n..)?)?;
        let length = usize::try_from(length).ok()?;
        let start = at + n + m;
        let max_local = self.usable - 35;
        if length <= max_local {
            return page.get(start..start + length).map(<[u8]>::to_vec);
        }
        let min_local = (self.usable - 12) * 32 / 255 - 23;
        let mut local = min_local + (length - min_local) % (self.usable - 4);
        if local > max_local {
            local = min_local;
        }
        let mut payload = page.get(start..start + local)?.to_vec();
        let mut next = u32::from_be_bytes(page.get(start + local..start + local + 4)?.try_into().ok()?) as usize;
        let mut hops = 0;
        while payload.len() < length && next != 0 && hops < 100_000 {
            let overflow = self.page(next)?;
            next = u32::from_be_bytes(overflow[..4].try_into().ok()?) as usize;
            let take = (length - payload.len()).min(self.usable - 4);
            payload.extend_from_slice(overflow.get(4..4 + take)?);
            hops += 1;
        }
        Some(payload)
    }

    fn text(&self, bytes: &[u8]) -> String {
        if self.utf16 {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        }
    }

    /// Decodes a record (header + body) into SQL-ish values; `None` if it does not parse.
    fn record(&self, record: &[u8], strict: bool) -> Option<Vec<String>> {
        let (header_length, mut at) = varint(record)?;
        let header_length = usize::try_from(header_length).ok()?;
        if header_length < 2 || header_length > record.len() || header_length > 200 {
            return None;
        }
        let mut serials = Vec::new();
        while at < header_length {
            let (serial, n) = varint(&record[at..header_length])?;
            serials.push(serial);
            at += n;
        }
        let mut body = header_length;
        let mut values = Vec::new();
        let mut has_text = false;
        for serial in serials {
            let length = serial_length(serial)?;
            let value = record.get(body..body + length)?;
            body += length;
            values.push(match serial {
                0 => "NULL".to_string(),
                8 => "0".to_string(),
                9 => "1".to_string(),
                1..=6 => {
                    let mut v = 0i64;
                    for &b in value {
                        v = (v << 8) | i64::from(b);
                    }
                    v.to_string()
                }
                7 => f64::from_be_bytes(value.try_into().ok()?).to_string(),
                n if n % 2 == 1 => {
                    has_text = true;
                    format!("'{}'", self.text(value).replace('\'', "''"))
                }
                _ => {
                    has_text = true;
                    let mut hex = String::from("X'");
                    for b in value {
                        let _ = write!(hex, "{b:02x}");
                    }
                    hex.push('\'');
                    hex
                }
            });
        }
        (!strict || has_text).then_some(values)
    }
}

/// Printable runs (UTF-8 or UTF-16LE text) of at least 8 bytes.
fn printable_runs(region: &[u8], out: &mut String) {
    let is_text = |b: u8| b >= 0x20 || b == b'\n' || b == b'\t';
    let mut start = None;
    for (i, &b) in region.iter().chain(std::iter::once(&0u8)).enumerate() {
        match (is_text(b) && i < region.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 8 {
                    out.push_str(&String::from_utf8_lossy(&region[s..i]));
                    out.push('\n');
                }
                start = None;
            }
            _ => {}
        }
    }
}

/// Recovers what it can from the database file `bytes`, as text: one line per record, then
/// the printable runs of free space. `None` if this is not an SQLite database file.
pub fn recover(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 100 || &bytes[..16] != HEADER {
        return None;
    }
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n if n >= 512 && n.is_power_of_two() => usize::from(n),
        _ => return None,
    };
    let usable = page_size.checked_sub(usize::from(bytes[20]))?;
    if usable < 480 {
        return None;
    }
    let encoding = u32::from_be_bytes(bytes[56..60].try_into().ok()?);
    let db = Database { bytes, page_size, usable, utf16: encoding == 2 };
    let mut out = String::new();
    let pages = bytes.len() / page_size;
    for number in 1..=pages {
        let page = db.page(number)?;
        let header = if number == 1 { 100 } else { 0 };
        let kind = page[header];
        let mut used = vec![false; page_size];
        if matches!(kind, 0x02 | 0x05 | 0x0A | 0x0D) {
            let cells = usize::from(u16::from_be_bytes([page[header + 3], page[header + 4]]));
            let pointer_start = header + if matches!(kind, 0x02 | 0x05) { 12 } else { 8 };
            for k in 0..cells.min(page_size / 2) {
                let Some(p) = page.get(pointer_start + 2 * k..pointer_start + 2 * k + 2) else {
                    break;
                };
                let at = usize::from(u16::from_be_bytes([p[0], p[1]]));
                if kind == 0x0D
                    && at < page_size
                    && let Some(values) = db.payload(page, at).and_then(|payload| db.record(&payload, false))
                {
                    let _ = writeln!(out, "page {number} cell {k}: ({})", values.join(", "));
                }
                if at < page_size {
                    used[at] = true;
                }
            }
            for flag in used.iter_mut().take(pointer_start + 2 * cells.min(page_size / 2)) {
                *flag = true;
            }
        }
        // Carve: try a record header at every offset that is not a live cell start.
        let mut free = String::new();
        for at in 0..page_size.saturating_sub(2) {
            if used[at] {
                continue;
            }
            if let Some(values) = db.record(&page[at..], true)
                && values.iter().any(|v| v.len() > 6)
            {
                let _ = writeln!(out, "page {number} carved at {at}: ({})", values.join(", "));
            }
        }
        printable_runs(page, &mut free);
        if !free.is_empty() {
            let _ = writeln!(out, "page {number} text:\n{free}");
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn varints_decode() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0xFF; 9]), Some((u64::MAX, 9)));
        assert_eq!(varint(&[0x81]), None);
    }

    #[test]
    fn rejects_non_databases_without_panicking() {
        assert_eq!(recover(b"hello"), None);
        let mut header = HEADER.to_vec();
        header.resize(100, 0xFF);
        assert_eq!(recover(&header), None);
        let mut junk = HEADER.to_vec();
        junk.extend_from_slice(&[0x10, 0x00]);
        junk.resize(8192, 0xA5);
        let _ = recover(&junk);
    }

    /// Deleted rows come back from a database written by the sqlite3 CLI with secure_delete
    /// off (SQLite's own default), including rows whose pages went to the freelist.
    #[test]
    fn recovers_deleted_rows() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/seizure-unit");
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join(format!("recover-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&db);
        let mut script = String::from(
            "PRAGMA secure_delete=OFF; PRAGMA journal_mode=WAL; CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);\n",
        );
        for n in 0..40 {
            script.push_str(&format!(
                "INSERT INTO notes(body) VALUES('note {n} RECOVERME-{n:03}-{}');\n",
                "x".repeat(200)
            ));
        }
        script.push_str("INSERT INTO notes(body) VALUES('KEEPME-1'); INSERT INTO notes(body) VALUES('KEEPME-2');\n");
        for n in 1..=40 {
            script.push_str(&format!("DELETE FROM notes WHERE id={n};\n"));
        }
        let status = Command::new("sqlite3").arg(&db).arg(&script).output();
        let Ok(output) = status else {
            println!("SKIPPED recovers_deleted_rows: no sqlite3 CLI");
            return;
        };
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let bytes = std::fs::read(&db).unwrap();
        let _ = std::fs::remove_file(&db);
        let text = recover(&bytes).unwrap();
        // SQLite itself reuses some of the freed space; count only rows whose bytes are still
        // in the file, and demand that every one of them is recovered.
        let present: Vec<usize> = (0..40)
            .filter(|n| {
                let needle = format!("RECOVERME-{n:03}-");
                bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            })
            .collect();
        assert!(present.len() >= 10, "the test database kept only {} deleted rows", present.len());
        let missed: Vec<&usize> = present.iter().filter(|n| !text.contains(&format!("RECOVERME-{n:03}-"))).collect();
        assert!(missed.is_empty(), "deleted rows not recovered: {missed:?}");
        // Live rows decode as whole records.
        for keep in ["(NULL, 'KEEPME-1')", "(NULL, 'KEEPME-2')"] {
            assert!(text.lines().any(|l| l.contains(" cell ") && l.contains(keep)), "live row {keep} not decoded");
        }
    }
}
