//! One kind of form for every screen that asks for a few values: text fields (masked or
//! not), choices cycled with ←/→, and check boxes. Each form is a struct with named fields
//! (so a reordered field cannot be read as another); [`fields!`] lists them in screen order.
//! Keys: Enter → next field (on the last one: submit), Tab/↓ → next, Shift-Tab/↑ → previous
//! (Tab wraps around, the arrows stop at the ends), Ctrl-S → submit from anywhere, Esc → cancel.

use super::i18n::Msg;
use super::text::{EditKey, TextInput};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub const PATH_CHARS: usize = 4096;
/// Longest passphrase typed into the app.
pub const MAX_PASSPHRASE_CHARS: usize = 1024;

/// A one-line text field (masked for secrets).
pub struct TextField {
    pub label: Msg,
    pub input: TextInput,
}

impl TextField {
    pub fn new(label: Msg, max: usize) -> TextField {
        TextField { label, input: TextInput::new(max) }
    }

    pub fn with(label: Msg, max: usize, value: &str) -> TextField {
        TextField { label, input: TextInput::with_text(max, value) }
    }

    pub fn secret(label: Msg, max: usize) -> TextField {
        TextField { label, input: TextInput::masked(max) }
    }

    pub fn path(label: Msg) -> TextField {
        TextField::new(label, PATH_CHARS)
    }

    pub fn text(&self) -> &str {
        self.input.text()
    }

    /// The text without spaces around it.
    pub fn trimmed(&self) -> &str {
        self.input.text().trim()
    }
}

/// One of a few values, cycled with ←/→; each option has its text (already in the user's
/// language, or language-neutral) and its value.
pub struct ChoiceField<T> {
    pub label: Msg,
    pub options: Vec<(String, T)>,
    pub chosen: usize,
}

impl<T> ChoiceField<T> {
    pub fn new(label: Msg, options: Vec<(String, T)>, chosen: usize) -> ChoiceField<T> {
        let chosen = chosen.min(options.len().saturating_sub(1));
        ChoiceField { label, options, chosen }
    }

    /// The chosen value (None only if there are no options).
    pub fn value(&self) -> Option<&T> {
        self.options.get(self.chosen).map(|(_, v)| v)
    }

    fn shown(&self) -> &str {
        self.options.get(self.chosen).map_or("", |(s, _)| s.as_str())
    }

    fn step(&mut self, forward: bool) {
        let m = self.options.len().max(1);
        self.chosen = if forward { (self.chosen + 1) % m } else { (self.chosen + m - 1) % m };
    }
}

/// A check box.
pub struct CheckField {
    pub label: Msg,
    pub on: bool,
}

impl CheckField {
    pub fn new(label: Msg, on: bool) -> CheckField {
        CheckField { label, on }
    }
}

/// A field as the form's drawing sees it.
pub enum FieldView<'a> {
    Text(&'a TextField),
    Choice { label: Msg, shown: &'a str },
    Check(&'a CheckField),
}

impl FieldView<'_> {
    pub fn label(&self) -> Msg {
        match self {
            FieldView::Text(t) => t.label,
            FieldView::Choice { label, .. } => *label,
            FieldView::Check(c) => c.label,
        }
    }
}

/// A field as the form's keys see it.
pub enum FieldEdit<'a> {
    Text(&'a mut TextInput),
    Choice(&'a mut dyn Cycle),
    Check(&'a mut bool),
}

/// A choice, whatever the type of its values.
pub trait Cycle {
    fn step(&mut self, forward: bool);
}

impl<T> Cycle for ChoiceField<T> {
    fn step(&mut self, forward: bool) {
        ChoiceField::step(self, forward)
    }
}

/// One field of a form, of any kind.
pub trait AsField {
    fn view(&self) -> FieldView<'_>;
    fn edit(&mut self) -> FieldEdit<'_>;
}

impl AsField for TextField {
    fn view(&self) -> FieldView<'_> {
        FieldView::Text(self)
    }
    fn edit(&mut self) -> FieldEdit<'_> {
        FieldEdit::Text(&mut self.input)
    }
}

impl<T> AsField for ChoiceField<T> {
    fn view(&self) -> FieldView<'_> {
        FieldView::Choice { label: self.label, shown: self.shown() }
    }
    fn edit(&mut self) -> FieldEdit<'_> {
        FieldEdit::Choice(self)
    }
}

impl AsField for CheckField {
    fn view(&self) -> FieldView<'_> {
        FieldView::Check(self)
    }
    fn edit(&mut self) -> FieldEdit<'_> {
        FieldEdit::Check(&mut self.on)
    }
}

/// The fields of a form, in screen order.
pub trait Fields {
    fn views(&self) -> Vec<FieldView<'_>>;
    fn edits(&mut self) -> Vec<FieldEdit<'_>>;
}

/// Implements [`Fields`] for a struct whose members are fields, in the order given.
macro_rules! fields {
    ($t:ty { $($f:ident),+ $(,)? }) => {
        impl $crate::app::forms::Fields for $t {
            fn views(&self) -> Vec<$crate::app::forms::FieldView<'_>> {
                use $crate::app::forms::AsField;
                vec![$(self.$f.view()),+]
            }
            fn edits(&mut self) -> Vec<$crate::app::forms::FieldEdit<'_>> {
                use $crate::app::forms::AsField;
                vec![$(self.$f.edit()),+]
            }
        }
    };
}
pub(crate) use fields;

/// A form with one path field (save, export, import a file).
pub struct PathFields {
    pub path: TextField,
}
fields!(PathFields { path });

impl PathFields {
    pub fn form(label: Msg, note: Option<Msg>) -> Form<PathFields> {
        let form = Form::new(PathFields { path: TextField::path(label) });
        match note {
            Some(n) => form.with_note(n),
            None => form,
        }
    }
}

pub struct Form<F> {
    pub fields: F,
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

impl<F: Fields> Form<F> {
    pub fn new(fields: F) -> Form<F> {
        Form { fields, focus: 0, info: Vec::new(), note: None }
    }

    pub fn with_note(mut self, note: Msg) -> Form<F> {
        self.note = Some(note);
        self
    }

    /// Empties every text field (after a failed passphrase confirmation, say).
    pub fn clear_texts(&mut self) {
        for f in self.fields.edits() {
            if let FieldEdit::Text(t) = f {
                t.clear();
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(FieldEdit::Text(t)) = self.fields.edits().into_iter().nth(self.focus) {
            t.insert_str(text.trim_end_matches(['\n', '\r']));
        }
    }

    pub fn key(&mut self, key: &KeyEvent) -> FormAction {
        let mut edits = self.fields.edits();
        let n = edits.len();
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
                if self.focus >= n {
                    return FormAction::None;
                }
                match edits.swap_remove(self.focus) {
                    FieldEdit::Text(t) => {
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
                    FieldEdit::Choice(c) => match key.code {
                        KeyCode::Right | KeyCode::Char(' ') => c.step(true),
                        KeyCode::Left => c.step(false),
                        _ => {}
                    },
                    FieldEdit::Check(on) => {
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

    struct Sample {
        alias: TextField,
        currency: ChoiceField<u8>,
        shred: CheckField,
    }
    fields!(Sample { alias, currency, shred });

    #[test]
    fn enter_walks_the_fields_then_submits() {
        let mut f = Form::new(Sample {
            alias: TextField::new(Msg::FieldAlias, 10),
            currency: ChoiceField::new(Msg::FieldCurrency, vec![("KRW".into(), 1), ("CNY".into(), 2)], 0),
            shred: CheckField::new(Msg::ShredSource, true),
        });
        f.key(&k(KeyCode::Char('가')));
        assert_eq!(f.key(&k(KeyCode::Enter)), FormAction::None);
        f.key(&k(KeyCode::Right));
        assert_eq!(f.fields.currency.value(), Some(&2));
        f.key(&k(KeyCode::Left));
        f.key(&k(KeyCode::Left));
        assert_eq!(f.fields.currency.value(), Some(&2));
        f.key(&k(KeyCode::Enter));
        f.key(&k(KeyCode::Char(' ')));
        assert!(!f.fields.shred.on);
        assert_eq!(f.key(&k(KeyCode::Enter)), FormAction::Submit);
        assert_eq!(f.fields.alias.text(), "가");
        // Letters typed in a choice or check field do nothing.
        assert_eq!(f.key(&k(KeyCode::Char('x'))), FormAction::None);
        assert_eq!(f.key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), FormAction::Submit);
        assert_eq!(f.key(&k(KeyCode::Esc)), FormAction::Cancel);
        f.key(&k(KeyCode::BackTab));
        assert_eq!(f.focus, 1);
    }
}
