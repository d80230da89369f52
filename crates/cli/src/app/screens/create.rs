//! Making a container inside the app, so no command line is needed: at first start (`lethe
//! app PATH` where nothing is yet) and after a panic (a new, empty notebook in the same
//! file). The size (first start only), the passphrase twice with an estimate of its strength
//! and a warning below 50 bits, and the language. The passphrase is typed here only: it is
//! never in argv, the environment or a file.

use crate::app::forms::MAX_PASSPHRASE_CHARS;
use crate::app::i18n::{Lang, Msg};
use crate::app::keys::edit_key;
use crate::app::strength::{WEAK_BELOW_BITS, estimate_bits};
use crate::app::text::TextInput;
use crate::app::texts::UiText;
use crate::app::widgets::{Hints, bold, draw_field_box, inner_width, titled};
use crate::app::wrap::wrap_text;
use lethe_vault::Passphrase;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The size offered at first start.
pub const DEFAULT_SIZE: &str = "64M";

pub struct CreateView {
    /// `None` after a panic: the file keeps its size.
    pub size: Option<TextInput>,
    pub pass: TextInput,
    pub again: TextInput,
    /// Which field has the keyboard: 0 size, 1 passphrase, 2 again.
    pub focus: usize,
    pub error: Option<UiText>,
    /// Where the container goes (shown at first start).
    pub path: String,
}

/// What a key on the form asks for.
pub enum CreateAction {
    None,
    NextLanguage,
    /// Make it: the size in bytes (ignored after a panic) and the passphrase.
    Create(u64, Passphrase),
}

impl CreateView {
    /// The form at first start, for a container at `path`.
    pub fn first_start(path: String) -> CreateView {
        CreateView {
            size: Some(TextInput::with_text(16, DEFAULT_SIZE)),
            pass: TextInput::masked(MAX_PASSPHRASE_CHARS),
            again: TextInput::masked(MAX_PASSPHRASE_CHARS),
            focus: 1,
            error: None,
            path,
        }
    }

    /// The form after a panic: the same file, made anew.
    pub fn after_panic() -> CreateView {
        CreateView { size: None, ..CreateView::first_start(String::new()) }
    }

    fn first_field(&self) -> usize {
        if self.size.is_some() { 0 } else { 1 }
    }

    fn field(&mut self, i: usize) -> &mut TextInput {
        match (i, &mut self.size) {
            (0, Some(s)) => s,
            (1, _) | (0, None) => &mut self.pass,
            _ => &mut self.again,
        }
    }

    pub fn key(&mut self, key: &KeyEvent) -> CreateAction {
        match key.code {
            KeyCode::F(2) => return CreateAction::NextLanguage,
            KeyCode::Tab | KeyCode::Down => {
                self.focus = if self.focus >= 2 { self.first_field() } else { self.focus + 1 }
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.focus = if self.focus <= self.first_field() { 2 } else { self.focus - 1 }
            }
            KeyCode::Enter if self.focus < 2 => self.focus += 1,
            KeyCode::Enter => return self.submit(),
            _ => {
                if let Some(k) = edit_key(key) {
                    let focus = self.focus;
                    self.field(focus).edit(&k);
                }
            }
        }
        CreateAction::None
    }

    fn submit(&mut self) -> CreateAction {
        let len = match &self.size {
            None => 0,
            Some(s) => {
                match crate::parse_size(s.text()).ok().filter(|n| lethe_vault::check_new_container_size(*n).is_ok()) {
                    Some(n) => n,
                    None => {
                        self.error = Some(UiText::with(Msg::CreateBadSize, &[s.text()]));
                        self.focus = 0;
                        return CreateAction::None;
                    }
                }
            }
        };
        if self.pass.is_empty() {
            self.error = Some(UiText::new(Msg::CreateNoPassphrase));
            self.focus = 1;
            return CreateAction::None;
        }
        if self.pass.text() != self.again.text() {
            self.error = Some(UiText::new(Msg::CreateMismatch));
            self.again.clear();
            self.focus = 2;
            return CreateAction::None;
        }
        let passphrase = Passphrase::new(self.pass.text().as_bytes());
        self.pass.clear();
        self.again.clear();
        self.error = None;
        self.focus = 1;
        CreateAction::Create(len, passphrase)
    }

    pub fn paste(&mut self, text: &str) {
        let focus = self.focus;
        self.field(focus).insert_str(text.trim_end_matches(['\n', '\r']));
    }

    pub fn hints(lang: Lang) -> Hints {
        vec![
            ("Enter", lang.tr(Msg::HintCreate)),
            ("Tab", lang.tr(Msg::HintNextField)),
            (
                "F2",
                match lang {
                    Lang::Ko => "[한국어] 中文 English",
                    Lang::Zh => "한국어 [中文] English",
                    Lang::En => "한국어 中文 [English]",
                },
            ),
            (lang.tr(Msg::KeyCtrlQ), lang.tr(Msg::HintQuit)),
        ]
    }

    pub fn draw(&self, frame: &mut Frame, lang: Lang, body: Rect) {
        let title = if self.size.is_some() { Msg::CreateTitle } else { Msg::NewNotebookTitle };
        let block = titled(lang.tr(title));
        let inner = block.inner(body);
        frame.render_widget(block, body);
        let width = inner_width(body);
        let intro = match &self.size {
            Some(_) => lang.format(Msg::CreateIntro, &[&self.path]),
            None => lang.tr(Msg::NewNotebookIntro).to_owned(),
        };
        let intro = wrap_text(intro, width);
        let intro_rows = intro.lines.len().min(4) as u16;
        let size_rows = if self.size.is_some() { 3 } else { 0 };
        let [intro_area, size_area, pass_area, again_area, message] = Layout::vertical([
            Constraint::Length(intro_rows),
            Constraint::Length(size_rows),
            Constraint::Length(3),
            Constraint::Length(3),
            Constraint::Min(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(intro), intro_area);
        if let Some(size) = &self.size {
            draw_field_box(frame, lang.tr(Msg::CreateSize), size, size_area, self.focus == 0);
        }
        draw_field_box(frame, lang.tr(Msg::CreatePassphrase), &self.pass, pass_area, self.focus == 1);
        draw_field_box(frame, lang.tr(Msg::CreateAgain), &self.again, again_area, self.focus == 2);
        let mut lines = Vec::new();
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.render(lang), Style::default().fg(Color::Red)));
        }
        if !self.pass.is_empty() {
            let bits = estimate_bits(self.pass.text());
            lines.push(Line::styled(lang.format(Msg::CreateStrength, &[&bits.to_string()]), bold()));
            if bits < WEAK_BELOW_BITS {
                lines.push(Line::styled(lang.tr(Msg::CreateWeak), Style::default().fg(Color::Yellow)));
            }
        }
        frame.render_widget(Paragraph::new(wrap_text(lines, message.width)), message);
    }
}
