//! Text fields of the terminal app: a one-line field (optionally masked, for passphrases and
//! challenge answers) and a multi-line area (notes, pasted messages).
//!
//! Input arrives as UTF-8 characters, so Hangul and Chinese composed by the input method are
//! ordinary `char`s here. The cursor moves by characters and is placed by display width
//! (a Hangul syllable or a Chinese character takes two terminal cells).
//!
//! The text lives in a buffer that is zeroed when it is dropped or cleared, and when it grows
//! (the old allocation is wiped before it is freed), so typed secrets do not linger on the heap.

use unicode_width::UnicodeWidthChar;
use zeroize::Zeroize;

/// Display width of one character in terminal cells (control characters count as 0).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of a string in terminal cells.
pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// A string whose old allocations are wiped: growing copies into a new buffer and zeroes
/// the old one, instead of letting `String` reallocate behind our back.
#[derive(Default)]
pub struct SecretString {
    text: String,
}

impl SecretString {
    pub fn from_text(s: &str) -> SecretString {
        let mut out = SecretString::default();
        out.insert_str(0, s);
        out
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn reserve_for(&mut self, extra: usize) {
        let needed = self.text.len() + extra;
        if needed <= self.text.capacity() {
            return;
        }
        let mut bigger = String::with_capacity(needed.max(64).next_power_of_two());
        bigger.push_str(&self.text);
        self.text.zeroize();
        self.text = bigger;
    }

    pub fn insert_str(&mut self, at: usize, s: &str) {
        self.reserve_for(s.len());
        self.text.insert_str(at, s);
    }

    pub fn insert(&mut self, at: usize, c: char) {
        self.reserve_for(c.len_utf8());
        self.text.insert(at, c);
    }

    /// Removes the byte range (on char boundaries); the freed tail bytes are zeroed.
    pub fn remove_range(&mut self, start: usize, end: usize) {
        let old_len = self.text.len();
        // `drain` moves the tail down inside the same allocation; wipe what is left behind.
        self.text.drain(start..end);
        let new_len = self.text.len();
        // Overwrite the bytes past the new end: append zeros (within capacity), truncate.
        let removed = old_len - new_len;
        self.text.extend(std::iter::repeat_n('\0', removed));
        self.text.truncate(new_len);
    }

    pub fn clear(&mut self) {
        self.text.zeroize();
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.text.zeroize();
    }
}

/// A one-line text field.
pub struct TextInput {
    text: SecretString,
    /// Byte offset of the cursor, always on a char boundary.
    cursor: usize,
    masked: bool,
    max_chars: usize,
}

impl TextInput {
    pub fn new(max_chars: usize) -> TextInput {
        TextInput { text: SecretString::default(), cursor: 0, masked: false, max_chars }
    }

    pub fn masked(max_chars: usize) -> TextInput {
        TextInput { masked: true, ..TextInput::new(max_chars) }
    }

    pub fn with_text(max_chars: usize, s: &str) -> TextInput {
        let mut t = TextInput::new(max_chars);
        t.insert_str(s);
        t
    }

    pub fn text(&self) -> &str {
        self.text.as_str()
    }

    pub fn is_empty(&self) -> bool {
        self.text.as_str().is_empty()
    }

    pub fn char_count(&self) -> usize {
        self.text.as_str().chars().count()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() || self.char_count() >= self.max_chars {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Inserts pasted text: line breaks and tabs become spaces, other control characters
    /// are dropped, and the field's length limit holds.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '\r' => {}
                '\n' | '\t' => self.insert(' '),
                c => self.insert(c),
            }
        }
    }

    pub fn backspace(&mut self) {
        if let Some(c) = self.text.as_str()[..self.cursor].chars().next_back() {
            let start = self.cursor - c.len_utf8();
            self.text.remove_range(start, self.cursor);
            self.cursor = start;
        }
    }

    pub fn delete(&mut self) {
        if let Some(c) = self.text.as_str()[self.cursor..].chars().next() {
            self.text.remove_range(self.cursor, self.cursor + c.len_utf8());
        }
    }

    pub fn left(&mut self) {
        if let Some(c) = self.text.as_str()[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    pub fn right(&mut self) {
        if let Some(c) = self.text.as_str()[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.as_str().len();
    }

    /// Handles an editing key; returns false if the key is not an editing key.
    pub fn edit(&mut self, key: &EditKey) -> bool {
        match key {
            EditKey::Char(c) => self.insert(*c),
            EditKey::Backspace => self.backspace(),
            EditKey::Delete => self.delete(),
            EditKey::Left => self.left(),
            EditKey::Right => self.right(),
            EditKey::Home => self.home(),
            EditKey::End => self.end(),
            EditKey::Enter | EditKey::Up | EditKey::Down => return false,
        }
        true
    }

    /// What to draw in a field `width` cells wide, and the cursor's cell within it. The view
    /// scrolls so that the cursor stays visible; masked fields show one dot per character.
    pub fn view(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let shown: Vec<(char, usize)> = if self.masked {
            self.text.as_str().chars().map(|_| ('•', 1)).collect()
        } else {
            self.text.as_str().chars().map(|c| (c, char_width(c))).collect()
        };
        let cursor_index = self.text.as_str()[..self.cursor].chars().count();
        // Width up to the cursor; the cursor itself needs one more cell.
        let mut start = 0;
        let width_between = |from: usize, to: usize| -> usize { shown[from..to].iter().map(|x| x.1).sum() };
        while width_between(start, cursor_index) + 1 > width && start < cursor_index {
            start += 1;
        }
        let mut out = String::new();
        let mut used = 0;
        for &(c, w) in &shown[start..] {
            if used + w > width {
                break;
            }
            out.push(c);
            used += w;
        }
        (out, width_between(start, cursor_index))
    }
}

/// The keys a text field understands, independent of the terminal library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditKey {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    Enter,
}

/// A multi-line text area (notes, pasted messages). Lines wrap at the area's width.
pub struct TextArea {
    text: SecretString,
    cursor: usize,
    max_bytes: usize,
}

impl TextArea {
    pub fn new(max_bytes: usize) -> TextArea {
        TextArea { text: SecretString::default(), cursor: 0, max_bytes }
    }

    pub fn text(&self) -> &str {
        self.text.as_str()
    }

    pub fn is_empty(&self) -> bool {
        self.text.as_str().trim().is_empty()
    }

    pub fn insert(&mut self, c: char) {
        if (c.is_control() && c != '\n') || self.text.as_str().len() + c.len_utf8() > self.max_bytes {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '\r' => {}
                '\t' => self.insert(' '),
                c => self.insert(c),
            }
        }
    }

    pub fn edit(&mut self, key: &EditKey, width: usize) -> bool {
        let s = self.text.as_str();
        match key {
            EditKey::Char(c) => self.insert(*c),
            EditKey::Enter => self.insert('\n'),
            EditKey::Backspace => {
                if let Some(c) = s[..self.cursor].chars().next_back() {
                    let start = self.cursor - c.len_utf8();
                    self.text.remove_range(start, self.cursor);
                    self.cursor = start;
                }
            }
            EditKey::Delete => {
                if let Some(c) = s[self.cursor..].chars().next() {
                    self.text.remove_range(self.cursor, self.cursor + c.len_utf8());
                }
            }
            EditKey::Left => {
                if let Some(c) = s[..self.cursor].chars().next_back() {
                    self.cursor -= c.len_utf8();
                }
            }
            EditKey::Right => {
                if let Some(c) = s[self.cursor..].chars().next() {
                    self.cursor += c.len_utf8();
                }
            }
            EditKey::Home => {
                let rows = self.rows(width);
                let (row, _) = self.cursor_pos_in(&rows);
                self.cursor = rows[row].0;
            }
            EditKey::End => {
                let rows = self.rows(width);
                let (row, _) = self.cursor_pos_in(&rows);
                self.cursor = rows[row].1;
            }
            EditKey::Up | EditKey::Down => {
                let rows = self.rows(width);
                let (row, col) = self.cursor_pos_in(&rows);
                let target = if *key == EditKey::Up { row.checked_sub(1) } else { Some(row + 1) };
                if let Some(target) = target.filter(|t| *t < rows.len()) {
                    let (start, end) = rows[target];
                    let mut pos = start;
                    let mut used = 0;
                    for c in s[start..end].chars() {
                        let w = char_width(c);
                        if used + w > col {
                            break;
                        }
                        used += w;
                        pos += c.len_utf8();
                    }
                    self.cursor = pos;
                }
            }
        }
        true
    }

    /// Visual rows as byte ranges (without the line break), wrapping at `width` cells.
    pub fn rows(&self, width: usize) -> Vec<(usize, usize)> {
        let width = width.max(2);
        let s = self.text.as_str();
        let mut rows = Vec::new();
        let mut start = 0;
        let mut used = 0;
        for (i, c) in s.char_indices() {
            if c == '\n' {
                rows.push((start, i));
                start = i + 1;
                used = 0;
                continue;
            }
            let w = char_width(c);
            // Keep one cell free at the end of a row for the cursor.
            if used + w >= width {
                rows.push((start, i));
                start = i;
                used = 0;
            }
            used += w;
        }
        rows.push((start, s.len()));
        rows
    }

    fn cursor_pos_in(&self, rows: &[(usize, usize)]) -> (usize, usize) {
        let s = self.text.as_str();
        // The last row whose start is at or before the cursor (a wrapped row boundary puts
        // the cursor at the start of the next row).
        let mut row = 0;
        for (i, &(start, end)) in rows.iter().enumerate() {
            if start <= self.cursor && self.cursor <= end {
                row = i;
            }
        }
        let (start, _) = rows[row];
        (row, str_width(&s[start..self.cursor]))
    }

    /// Rows of text to draw (`height` of them, scrolled so the cursor is visible) and the
    /// cursor's (column, row) inside that window.
    pub fn view(&self, width: usize, height: usize) -> (Vec<String>, (usize, usize)) {
        let rows = self.rows(width);
        let (row, col) = self.cursor_pos_in(&rows);
        let height = height.max(1);
        let first = (row + 1).saturating_sub(height);
        let s = self.text.as_str();
        let lines = rows[first..].iter().take(height).map(|&(a, b)| s[a..b].to_string()).collect();
        (lines, (col, row - first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_input_moves_the_cursor_by_display_width() {
        let mut t = TextInput::new(100);
        for c in "큰 언니".chars() {
            t.insert(c);
        }
        assert_eq!(t.text(), "큰 언니");
        // 큰(2) + space(1) + 언(2) + 니(2) = 7 cells.
        assert_eq!(t.view(40), ("큰 언니".to_string(), 7));
        t.left();
        assert_eq!(t.view(40).1, 5);
        t.backspace();
        assert_eq!(t.text(), "큰 니");
        t.insert('中');
        assert_eq!(t.text(), "큰 中니");
        assert_eq!(t.view(40).1, 5);
    }

    #[test]
    fn a_long_line_scrolls_to_keep_the_cursor_visible() {
        let t = TextInput::with_text(100, "혜산시장근처에서만나요");
        // 11 wide characters = 22 cells; a 10-cell field shows the tail with the cursor.
        let (shown, cursor) = t.view(10);
        assert!(str_width(&shown) <= 10, "{shown}");
        assert!(cursor < 10);
        assert!(shown.ends_with('요'), "{shown}");
    }

    #[test]
    fn masked_fields_never_show_the_text() {
        let mut t = TextInput::masked(100);
        t.insert_str("바둑이");
        let (shown, cursor) = t.view(20);
        assert_eq!(shown, "•••");
        assert_eq!(cursor, 3);
        assert_eq!(t.text(), "바둑이");
    }

    #[test]
    fn limits_and_control_characters() {
        let mut t = TextInput::new(3);
        t.insert_str("ab\ncd\u{7}e");
        assert_eq!(t.text(), "ab ");
        let mut area = TextArea::new(8);
        area.insert_str("가나다\r\n라");
        // 가나 = 6 bytes, then a line break would make 7, 다 would make 10: stops at the limit.
        assert_eq!(area.text(), "가나\n");
    }

    #[test]
    fn clearing_keeps_the_field_usable() {
        let mut t = TextInput::new(10);
        t.insert_str("secret");
        t.clear();
        assert!(t.is_empty());
        t.insert('x');
        assert_eq!(t.text(), "x");
    }

    #[test]
    fn text_area_wraps_and_moves_between_rows() {
        let mut a = TextArea::new(1000);
        a.insert_str("가나다라마\nab");
        // width 6: "가나" fills 4 cells, "다" would reach 6 (one cell is kept for the cursor).
        let rows = a.rows(6);
        let s = a.text();
        let texts: Vec<&str> = rows.iter().map(|&(x, y)| &s[x..y]).collect();
        assert_eq!(texts, vec!["가나", "다라", "마", "ab"]);
        let (_, (col, row)) = a.view(6, 10);
        assert_eq!((col, row), (2, 3));
        a.edit(&EditKey::Up, 6);
        let (_, (col, row)) = a.view(6, 10);
        assert_eq!((col, row), (2, 2));
        a.edit(&EditKey::Char('X'), 6);
        assert_eq!(a.text(), "가나다라마X\nab");
        // A two-row window scrolls to the cursor.
        let (lines, (_, row)) = a.view(6, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(row, 1);
    }

    #[test]
    fn secret_string_grows_and_removes() {
        let mut s = SecretString::default();
        for i in 0..200 {
            s.insert(s.as_str().len(), char::from(b'a' + (i % 26) as u8));
        }
        assert_eq!(s.as_str().len(), 200);
        s.remove_range(0, 100);
        assert_eq!(s.as_str().len(), 100);
        assert!(s.as_str().starts_with('w'));
    }
}
