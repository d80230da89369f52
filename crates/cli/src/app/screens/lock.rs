//! The lock screen: the passphrase field (the first thing anyone sees, so it looks the
//! same for every compartment and for none), and the language key.

use crate::app::forms::MAX_PASSPHRASE_CHARS;
use crate::app::i18n::{Lang, Msg};
use crate::app::keys::edit_key;
use crate::app::text::TextInput;
use crate::app::texts::UiText;
use crate::app::widgets::{Hints, SPINNER, centered, draw_field_box, human_size, titled};
use crate::app::wrap::wrap_text;
use lethe_vault::Passphrase;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Clear, Paragraph};
use std::time::Instant;

pub struct UnlockView {
    pub pass: TextInput,
    pub error: Option<UiText>,
}

/// What a key on the lock screen asks for.
pub enum UnlockAction {
    None,
    NextLanguage,
    Open(Passphrase),
}

impl UnlockView {
    pub fn new() -> UnlockView {
        UnlockView { pass: TextInput::masked(MAX_PASSPHRASE_CHARS), error: None }
    }

    pub fn key(&mut self, key: &KeyEvent) -> UnlockAction {
        match key.code {
            KeyCode::F(2) | KeyCode::Tab => UnlockAction::NextLanguage,
            KeyCode::Enter => {
                if self.pass.is_empty() {
                    return UnlockAction::None;
                }
                let passphrase = Passphrase::new(self.pass.text().as_bytes());
                self.pass.clear();
                self.error = None;
                UnlockAction::Open(passphrase)
            }
            _ => {
                if let Some(k) = edit_key(key) {
                    self.pass.edit(&k);
                }
                UnlockAction::None
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.pass.insert_str(text.trim_end_matches(['\n', '\r']));
    }

    pub fn hints(lang: Lang) -> Hints {
        vec![
            ("Enter", lang.tr(Msg::HintOpen)),
            // The language key is named in all three languages, so anyone can find it.
            (
                "Tab/F2",
                match lang {
                    Lang::Ko => "[한국어] 中文 English",
                    Lang::Zh => "한국어 [中文] English",
                    Lang::En => "한국어 中文 [English]",
                },
            ),
            (lang.tr(Msg::KeyCtrlQ), lang.tr(Msg::HintQuit)),
        ]
    }

    /// Draws the field; `opening` is when an unlock started, if one runs; `container_len`
    /// the size of the container file (the only figure known before a passphrase: it says
    /// nothing about what is inside or how many compartments there are).
    pub fn draw(
        &self,
        frame: &mut Frame,
        lang: Lang,
        body: Rect,
        opening: Option<Instant>,
        container_len: Option<u64>,
        now: Instant,
    ) {
        let boxed = centered(body, 56, 9);
        frame.render_widget(Clear, boxed);
        let block = titled(lang.tr(Msg::UnlockTitle));
        let inner = block.inner(boxed);
        frame.render_widget(block, boxed);
        let [prompt, field, size, message] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(3), Constraint::Length(1), Constraint::Min(1)])
                .areas(inner);
        frame.render_widget(Paragraph::new(lang.tr(Msg::UnlockPrompt)), prompt);
        draw_field_box(frame, "", &self.pass, field, opening.is_none());
        if let Some(len) = container_len {
            frame.render_widget(
                Paragraph::new(lang.format(Msg::ContainerSize, &[&human_size(len)]))
                    .style(Style::default().fg(Color::DarkGray)),
                size,
            );
        }
        if let Some(started) = opening {
            let tick = (now.duration_since(started).as_millis() / 150) as usize;
            frame.render_widget(
                Paragraph::new(format!("{} {}", SPINNER[tick % SPINNER.len()], lang.tr(Msg::Opening))),
                message,
            );
        } else if let Some(e) = &self.error {
            frame.render_widget(
                Paragraph::new(wrap_text(e.render(lang), message.width)).style(Style::default().fg(Color::Red)),
                message,
            );
        }
    }
}
