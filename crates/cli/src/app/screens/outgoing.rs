//! A message to send (orders, reports, an acknowledgement), shown over the current screen
//! as text or as a QR code, and saved to a text file on request.

use super::Effects;
use crate::app::errors::io_error_text;
use crate::app::files::write_new_file;
use crate::app::forms::{Form, FormAction, PathFields};
use crate::app::i18n::{Lang, Msg};
use crate::app::keys::command;
use crate::app::text::str_width;
use crate::app::texts::UiText;
use crate::app::widgets::{Hints, bold, centered, draw_form, draw_hints, form_hints};
use crate::app::wrap::wrap_text;
use lethe_protocol::cover::CoverStyle;
use lethe_remit::Outgoing;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

pub struct OutgoingView {
    pub title: Msg,
    pub out: Outgoing,
    pub qr: bool,
    pub scroll: u16,
    /// The "save as a text file" form, when open.
    pub save: Option<Form<PathFields>>,
    /// The form the message is shown in: a cover style, or `None` for plain armor. It
    /// starts as the pairing's setting; `c` changes it.
    pub form: Option<CoverStyle>,
    /// The cover text in `form`, written once per choice (each writing differs).
    cover_text: Option<String>,
}

/// The forms `c` steps through, in order.
const FORMS: [Option<CoverStyle>; 3] = [None, Some(CoverStyle::KoMarket), Some(CoverStyle::ZhMarket)];

pub fn form_name(form: Option<CoverStyle>) -> Msg {
    match form {
        None => Msg::FormArmor,
        Some(CoverStyle::KoMarket) => Msg::FormKoMarket,
        Some(CoverStyle::ZhMarket) => Msg::FormZhMarket,
    }
}

impl OutgoingView {
    pub fn new(title: Msg, out: Outgoing) -> OutgoingView {
        let mut view = OutgoingView { title, out, qr: false, scroll: 0, save: None, form: None, cover_text: None };
        if let Some(style) = view.out.cover_setting()
            && let Ok(text) = view.out.cover_text(style)
        {
            view.form = Some(style);
            view.cover_text = Some(text);
        }
        view
    }

    /// The text to send, in the form chosen.
    pub fn text(&self) -> String {
        match &self.cover_text {
            Some(text) => text.clone(),
            None => self.out.text(),
        }
    }

    /// Shows the message in the next form (armor, Korean, Chinese market talk).
    fn next_form(&mut self, fx: &mut Effects) {
        if !self.out.can_cover() {
            fx.complain(UiText::new(Msg::CoverUnavailable));
            return;
        }
        let at = FORMS.iter().position(|f| *f == self.form).unwrap_or(0);
        let next = FORMS[(at + 1) % FORMS.len()];
        match next.map(|style| self.out.cover_text(style)).transpose() {
            Ok(text) => {
                self.form = next;
                self.cover_text = text;
                self.scroll = 0;
            }
            Err(e) => {
                self.form = None;
                self.cover_text = None;
                fx.complain(crate::app::errors::remit_error_text(&e));
            }
        }
    }

    /// Handles a key; returns false when the view is to close.
    pub fn key(&mut self, key: &KeyEvent, fx: &mut Effects) -> bool {
        if let Some(form) = &mut self.save {
            match form.key(key) {
                FormAction::Cancel => self.save = None,
                FormAction::Submit => {
                    let target = PathBuf::from(form.fields.path.trimmed());
                    if target.as_os_str().is_empty() {
                        return true;
                    }
                    let text = self.text();
                    let result = write_new_file(&target, &AtomicBool::new(false), |w| {
                        use std::io::Write;
                        w.write_all(text.as_bytes()).map_err(|e| io_error_text(&e))
                    });
                    match result {
                        Ok(()) => {
                            self.save = None;
                            fx.say(UiText::with(Msg::SavedSealed, &[&target.display().to_string()]));
                        }
                        Err(e) => fx.complain(e),
                    }
                }
                FormAction::None => {}
            }
            return true;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Enter => return false,
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            _ => match command(key) {
                Some('q') => self.qr = !self.qr,
                Some('c') => self.next_form(fx),
                Some('w') => self.save = Some(PathFields::form(Msg::FieldSavePath, Some(Msg::SaveMessageNote))),
                _ => {}
            },
        }
        true
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = &mut self.save {
            f.paste(text.trim());
        }
    }

    /// True when the QR code takes the whole screen.
    pub fn full_screen_qr(&self) -> bool {
        self.qr && self.save.is_none()
    }

    pub fn hints(&self, lang: Lang, h: &mut Hints) {
        if self.save.is_some() {
            form_hints(lang, h);
        } else {
            h.push(("q", lang.tr(Msg::HintQrText)));
            h.push(("c", lang.tr(Msg::HintCoverForm)));
            h.push(("w", lang.tr(Msg::HintSaveFile)));
            h.push(("↑↓", lang.tr(Msg::HintScroll)));
            h.push(("Esc", lang.tr(Msg::HintClose)));
        }
    }

    pub fn draw(&self, frame: &mut Frame, lang: Lang, area: Rect) {
        if let Some(form) = &self.save {
            draw_form(frame, lang, lang.tr(Msg::HintSaveFile), form, area);
            return;
        }
        let o = &self.out;
        let text = self.text();
        let summary = match &self.cover_text {
            Some(cover) => lang.format(
                Msg::CoverSummary,
                &[&o.items.to_string(), &cover.chars().filter(|c| *c != '\n').count().to_string()],
            ),
            None => lang.format(
                Msg::OutgoingSummary,
                &[&o.items.to_string(), &o.chars().to_string(), &o.sealed_len().to_string()],
            ),
        };
        let mut lines = vec![Line::styled(summary, bold())];
        if o.remaining > 0 {
            lines.push(Line::from(lang.format(Msg::OutgoingRemaining, &[&o.remaining.to_string()])));
        }
        lines.push(Line::from(lang.format(Msg::FormLine, &[lang.tr(form_name(self.form))])));
        lines.push(Line::from(""));
        lines.extend(text.lines().map(|l| Line::from(l.to_string())));
        // No side borders and no cut lines: text selected with the mouse or a long press is
        // the message and nothing else (a frame character would make it unreadable).
        let block = Block::new().borders(Borders::TOP).title(format!(" {} ", lang.tr(self.title)));
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((self.scroll, 0));
        frame.render_widget(paragraph.block(block), area);
    }

    /// The QR code alone on the screen (dark modules on light, quiet zone included), with
    /// one line of keys; if it does not fit, only a message saying how big it is.
    pub fn draw_qr_screen(&self, frame: &mut Frame, lang: Lang, area: Rect) {
        let [top, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        draw_hints(frame, hint, &[("q", lang.tr(Msg::HintQrText)), ("Esc", lang.tr(Msg::HintClose))]);
        let image = match self.out.qr() {
            Ok(i) => i,
            Err(_) => {
                frame.render_widget(Paragraph::new(wrap_text(lang.tr(Msg::ErrQr), top.width)), top);
                return;
            }
        };
        let lines = image.terminal_lines();
        let width = lines.first().map_or(0, |l| str_width(l)) as u16;
        if width > top.width || lines.len() as u16 > top.height {
            let side = image.full_width();
            let text = lang.format(Msg::QrTooBig, &[&side.to_string(), &side.div_ceil(2).to_string()]);
            frame.render_widget(Paragraph::new(wrap_text(text, top.width)), top);
            return;
        }
        let style = Style::default().fg(Color::Black).bg(Color::White);
        let spot = centered(top, width, lines.len() as u16);
        let text: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
        frame.render_widget(Paragraph::new(text), spot);
    }
}
