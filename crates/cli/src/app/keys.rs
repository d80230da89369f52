//! What a key means: an editing key for a text field, or a command letter (also when a
//! Korean input method is on).

use super::text::EditKey;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Editing keys of a text field, or None for keys with Ctrl/Alt.
pub fn edit_key(key: &KeyEvent) -> Option<EditKey> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    Some(match key.code {
        KeyCode::Char(c) => EditKey::Char(c),
        KeyCode::Backspace => EditKey::Backspace,
        KeyCode::Delete => EditKey::Delete,
        KeyCode::Left => EditKey::Left,
        KeyCode::Right => EditKey::Right,
        KeyCode::Up => EditKey::Up,
        KeyCode::Down => EditKey::Down,
        KeyCode::Home => EditKey::Home,
        KeyCode::End => EditKey::End,
        KeyCode::Enter => EditKey::Enter,
        _ => return None,
    })
}

/// Command letters, also when a Korean input method is on (두벌식 jamo → the QWERTY key
/// under it), so `n` works whether the keyboard types "n" or "ㅜ".
pub fn command_char(c: char) -> char {
    const QWERTY: &str = "qwertyuiopasdfghjklzxcvbnm";
    const DUBEOLSIK: &str = "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ";
    if let Some(i) = DUBEOLSIK.chars().position(|j| j == c) {
        return QWERTY.as_bytes()[i] as char;
    }
    c.to_ascii_lowercase()
}

/// The command letter of a key without modifiers.
pub fn command(key: &KeyEvent) -> Option<char> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(command_char(c)),
        _ => None,
    }
}

/// True for Ctrl and the letter `c` (either case).
pub fn ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char(k) if k.eq_ignore_ascii_case(&c))
}
