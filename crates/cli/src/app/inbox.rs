//! Pasting a message, or loading it from a file: the same form for the broker's inbox and
//! the hub's report import.

use super::files::{MAX_MESSAGE_BYTES, read_message_file};
use super::forms::{FormAction, PATH_CHARS};
use super::i18n::{Lang, Msg};
use super::keys::{ctrl, edit_key};
use super::text::{SecretString, TextArea, TextInput};
use super::texts::UiText;
use super::widgets::{Hints, bold, draw_area, draw_field_box};
use super::wrap::wrap_text;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub struct InboxForm {
    pub text: TextArea,
    pub path: TextInput,
    /// 0: the text area, 1: the path.
    pub focus: usize,
}

/// What a key did to an [`InboxForm`], for the screen that shows it.
pub enum Pasted {
    /// Still being filled in.
    Typing,
    /// Esc: back to where the form came from.
    Cancel,
    /// Submitted: the message, or why it cannot be read (no text, a file that is not one).
    Message(Result<SecretString, UiText>),
}

impl InboxForm {
    pub fn new() -> InboxForm {
        InboxForm { text: TextArea::new(MAX_MESSAGE_BYTES), path: TextInput::new(PATH_CHARS), focus: 0 }
    }

    pub fn paste(&mut self, text: &str) {
        if self.focus == 0 {
            self.text.insert_str(text);
        } else {
            self.path.insert_str(text.trim());
        }
    }

    /// Tab switches between the text and the path, Ctrl-S (or Enter in the path field)
    /// reads the message, Esc goes back.
    pub fn key(&mut self, key: &KeyEvent, width: usize) -> FormAction {
        if key.code == KeyCode::Esc {
            return FormAction::Cancel;
        }
        if ctrl(key, 's') {
            return FormAction::Submit;
        }
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            self.focus = 1 - self.focus;
            return FormAction::None;
        }
        if self.focus == 1 && key.code == KeyCode::Enter {
            return FormAction::Submit;
        }
        if let Some(k) = edit_key(key) {
            if self.focus == 0 {
                self.text.edit(&k, width);
            } else {
                self.path.edit(&k);
            }
        }
        FormAction::None
    }

    /// The message: the file named in the path field, or the pasted text.
    /// [`InboxForm::key`], with the message read once the form is submitted.
    pub fn pasted(&mut self, key: &KeyEvent, width: usize) -> Pasted {
        match self.key(key, width) {
            FormAction::Cancel => Pasted::Cancel,
            FormAction::Submit => Pasted::Message(self.message()),
            FormAction::None => Pasted::Typing,
        }
    }

    pub fn message(&self) -> Result<SecretString, UiText> {
        if !self.path.text().trim().is_empty() {
            return read_message_file(self.path.text()).map(|t| SecretString::from_text(&t));
        }
        if self.text.is_empty() {
            return Err(UiText::new(Msg::ErrNoMessage));
        }
        Ok(SecretString::from_text(self.text.text()))
    }

    pub fn draw(&self, frame: &mut Frame, lang: Lang, title: &str, area: Rect) {
        let [explain, text, path] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3), Constraint::Length(3)]).areas(area);
        frame.render_widget(
            Paragraph::new(wrap_text(
                vec![Line::styled(title.to_string(), bold()), Line::from(lang.tr(Msg::InboxExplain))],
                explain.width,
            )),
            explain,
        );
        draw_area(frame, lang.tr(Msg::FieldPasteMessage), &self.text, text, self.focus == 0);
        draw_field_box(frame, lang.tr(Msg::FieldMessageFile), &self.path, path, self.focus == 1);
    }

    pub fn hints(lang: Lang, h: &mut Hints) {
        h.push(("Ctrl-S", lang.tr(Msg::HintRead)));
        h.push(("Tab", lang.tr(Msg::HintNextField)));
        h.push(("Esc", lang.tr(Msg::HintCancel)));
    }
}
