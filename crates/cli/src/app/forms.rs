//! One kind of form for every screen that asks for a few values: text fields (masked or
//! not), choices cycled with ←/→, and check boxes. Keys:
//! Enter → next field (on the last one: submit), Tab/↓ → next, Shift-Tab/↑ → previous
//! (Tab wraps around, the arrows stop at the ends),
//! Ctrl-S → submit from anywhere, Esc → cancel.

use super::i18n::Msg;
use super::text::{EditKey, TextInput};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub enum FieldKind {
    Text(TextInput),
    /// Options (already in the user's language or language-neutral) and the chosen one.
    Choice(Vec<String>, usize),
    Check(bool),
}

pub struct FormField {
    pub label: Msg,
    pub kind: FieldKind,
}

pub struct Form {
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// Lines shown above the fields (for example the question to ask).
    pub info: Vec<String>,
    /// An explanation shown below the fields.
    pub note: Option<Msg>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum FormAction {
    None,
    Submit,
    Cancel,
}

pub const PATH_CHARS: usize = 4096;

impl Form {
    pub fn new(fields: Vec<FormField>) -> Form {
        Form { fields, focus: 0, info: Vec::new(), note: None }
    }

    pub fn with_note(mut self, note: Msg) -> Form {
        self.note = Some(note);
        self
    }

    pub fn text(label: Msg, max: usize) -> FormField {
        FormField { label, kind: FieldKind::Text(TextInput::new(max)) }
    }

    pub fn text_with(label: Msg, max: usize, value: &str) -> FormField {
        FormField { label, kind: FieldKind::Text(TextInput::with_text(max, value)) }
    }

    pub fn secret(label: Msg, max: usize) -> FormField {
        FormField { label, kind: FieldKind::Text(TextInput::masked(max)) }
    }

    pub fn path(label: Msg) -> FormField {
        Form::text(label, PATH_CHARS)
    }

    pub fn choice(label: Msg, options: Vec<String>, selected: usize) -> FormField {
        FormField { label, kind: FieldKind::Choice(options, selected) }
    }

    pub fn check(label: Msg, on: bool) -> FormField {
        FormField { label, kind: FieldKind::Check(on) }
    }

    /// The text of field `i` ("" if it is not a text field).
    pub fn value(&self, i: usize) -> &str {
        match self.fields.get(i).map(|f| &f.kind) {
            Some(FieldKind::Text(t)) => t.text(),
            _ => "",
        }
    }

    pub fn chosen(&self, i: usize) -> usize {
        match self.fields.get(i).map(|f| &f.kind) {
            Some(FieldKind::Choice(_, c)) => *c,
            _ => 0,
        }
    }

    pub fn checked(&self, i: usize) -> bool {
        matches!(self.fields.get(i).map(|f| &f.kind), Some(FieldKind::Check(true)))
    }

    /// Empties every text field (after a failed passphrase confirmation, say).
    pub fn clear_texts(&mut self) {
        for f in &mut self.fields {
            if let FieldKind::Text(t) = &mut f.kind {
                t.clear();
            }
        }
    }

    pub fn focused_text(&mut self) -> Option<&mut TextInput> {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text(t)) => Some(t),
            _ => None,
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(t) = self.focused_text() {
            t.insert_str(text.trim_end_matches(['\n', '\r']));
        }
    }

    pub fn key(&mut self, key: &KeyEvent) -> FormAction {
        let n = self.fields.len();
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            if matches!(key.code, KeyCode::Char(c) if c.eq_ignore_ascii_case(&'s')) {
                return FormAction::Submit;
            }
            return FormAction::None;
        }
        match key.code {
            KeyCode::Esc => return FormAction::Cancel,
            KeyCode::Enter => {
                if self.focus + 1 >= n {
                    return FormAction::Submit;
                }
                self.focus += 1;
            }
            KeyCode::Tab => self.focus = (self.focus + 1) % n.max(1),
            KeyCode::BackTab => self.focus = (self.focus + n.max(1) - 1) % n.max(1),
            KeyCode::Down => self.focus = (self.focus + 1).min(n.saturating_sub(1)),
            KeyCode::Up => self.focus = self.focus.saturating_sub(1),
            _ => {
                let Some(field) = self.fields.get_mut(self.focus) else { return FormAction::None };
                match &mut field.kind {
                    FieldKind::Text(t) => {
                        if key.modifiers.contains(KeyModifiers::ALT) {
                            return FormAction::None;
                        }
                        let edit = match key.code {
                            KeyCode::Char(c) => Some(EditKey::Char(c)),
                            KeyCode::Backspace => Some(EditKey::Backspace),
                            KeyCode::Delete => Some(EditKey::Delete),
                            KeyCode::Left => Some(EditKey::Left),
                            KeyCode::Right => Some(EditKey::Right),
                            KeyCode::Home => Some(EditKey::Home),
                            KeyCode::End => Some(EditKey::End),
                            _ => None,
                        };
                        if let Some(e) = edit {
                            t.edit(&e);
                        }
                    }
                    FieldKind::Choice(options, chosen) => {
                        let m = options.len().max(1);
                        match key.code {
                            KeyCode::Right | KeyCode::Char(' ') => *chosen = (*chosen + 1) % m,
                            KeyCode::Left => *chosen = (*chosen + m - 1) % m,
                            _ => {}
                        }
                    }
                    FieldKind::Check(on) => {
                        if matches!(key.code, KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right) {
                            *on = !*on;
                        }
                    }
                }
            }
        }
        FormAction::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn enter_walks_the_fields_then_submits() {
        let mut f = Form::new(vec![
            Form::text(Msg::FieldAlias, 10),
            Form::choice(Msg::FieldCurrency, vec!["KRW".into(), "CNY".into()], 0),
            Form::check(Msg::ShredSource, true),
        ]);
        f.key(&k(KeyCode::Char('가')));
        assert_eq!(f.key(&k(KeyCode::Enter)), FormAction::None);
        f.key(&k(KeyCode::Right));
        assert_eq!(f.chosen(1), 1);
        f.key(&k(KeyCode::Left));
        f.key(&k(KeyCode::Left));
        assert_eq!(f.chosen(1), 1);
        f.key(&k(KeyCode::Enter));
        f.key(&k(KeyCode::Char(' ')));
        assert!(!f.checked(2));
        assert_eq!(f.key(&k(KeyCode::Enter)), FormAction::Submit);
        assert_eq!(f.value(0), "가");
        // Letters typed in a choice or check field do nothing.
        assert_eq!(f.key(&k(KeyCode::Char('x'))), FormAction::None);
        assert_eq!(f.key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), FormAction::Submit);
        assert_eq!(f.key(&k(KeyCode::Esc)), FormAction::Cancel);
        f.key(&k(KeyCode::BackTab));
        assert_eq!(f.focus, 1);
    }
}
