//! Drawing pieces every screen uses: framed blocks, one-line fields and text areas, forms,
//! tables, the key hints, public keys with their QR codes.

use super::forms::{FieldView, Fields, Form};
use super::i18n::{Lang, Msg};
use super::text::{TextArea, TextInput, str_width};
use super::wrap::{wrap_line, wrap_text};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph};

pub const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// Key hints: the key, then what it does.
pub type Hints = Vec<(&'static str, &'static str)>;

pub fn highlight() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn titled(title: &str) -> Block<'static> {
    Block::bordered().title(format!(" {title} "))
}

/// Rows the key hints need at this width (they wrap; at most four rows).
pub fn hints_height(hints: &[(&str, &str)], width: u16) -> u16 {
    let total: usize = hints.iter().map(|(k, w)| str_width(k) + str_width(w) + 3).sum();
    (total.div_ceil(width.max(20) as usize - 8) as u16).clamp(1, 4)
}

pub fn draw_hints(frame: &mut Frame, area: Rect, hints: &[(&str, &str)]) {
    let mut spans = Vec::new();
    for (i, (key, what)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key.to_string(), bold()));
        spans.push(Span::raw(format!(" {what}")));
    }
    frame.render_widget(Paragraph::new(wrap_text(Line::from(spans), area.width)), area);
}

/// Width inside a bordered block.
pub fn inner_width(area: Rect) -> u16 {
    area.width.saturating_sub(2)
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Draws a bordered one-line field and places the cursor when focused.
pub fn draw_field_box(frame: &mut Frame, label: &str, input: &TextInput, area: Rect, focused: bool) {
    let block = Block::bordered().title(label.to_string()).border_style(if focused {
        bold()
    } else {
        Style::default().fg(Color::DarkGray)
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (shown, cursor) = input.view(inner.width as usize);
    frame.render_widget(Paragraph::new(shown), inner);
    if focused {
        frame.set_cursor_position(Position { x: inner.x + cursor as u16, y: inner.y });
    }
}

pub fn draw_area(frame: &mut Frame, label: &str, input: &TextArea, area: Rect, focused: bool) {
    let block = Block::bordered().title(label.to_string()).border_style(if focused {
        bold()
    } else {
        Style::default().fg(Color::DarkGray)
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (lines, (cx, cy)) = input.view(inner.width as usize, inner.height as usize);
    let text = Text::from(lines.into_iter().map(Line::from).collect::<Vec<_>>());
    frame.render_widget(Paragraph::new(text), inner);
    if focused {
        frame.set_cursor_position(Position { x: inner.x + cx as u16, y: inner.y + cy as u16 });
    }
}

/// A form: info lines, one row per field (label, then the value), the note below.
pub fn draw_form<F: Fields>(frame: &mut Frame, lang: Lang, title: &str, form: &Form<F>, area: Rect) {
    let block = titled(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let wrap_w = inner.width as usize;
    let mut lines: Vec<Line> =
        form.info.iter().flat_map(|l| wrap_line(&Line::styled(l.clone(), bold()), wrap_w)).collect();
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    let fields = form.fields.views();
    let label_w = fields.iter().map(|f| str_width(lang.tr(f.label()))).max().unwrap_or(0);
    // Narrow screens put the label above the value.
    let stacked = label_w + 14 > inner.width as usize;
    let label_col = if stacked { 2 } else { label_w + 4 };
    let value_w = (inner.width as usize).saturating_sub(label_col + 1).max(4);
    let mut cursor = None;
    for (i, f) in fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "> " } else { "  " };
        let label = lang.tr(f.label());
        let label_style = if focused { bold() } else { Style::default() };
        let value: Vec<Span> = match f {
            FieldView::Text(t) => {
                let (shown, cx) = t.input.view(value_w);
                if focused {
                    cursor = Some((label_col + cx, if stacked { lines.len() + 1 } else { lines.len() }));
                }
                let pad = value_w.saturating_sub(str_width(&shown));
                vec![Span::styled(
                    format!("{shown}{}", " ".repeat(pad)),
                    Style::default().add_modifier(Modifier::UNDERLINED),
                )]
            }
            FieldView::Choice { shown, .. } => {
                vec![Span::styled(format!("◀ {shown} ▶"), if focused { highlight() } else { Style::default() })]
            }
            FieldView::Check(c) => {
                vec![Span::styled(
                    if c.on { "[x]" } else { "[ ]" },
                    if focused { highlight() } else { Style::default() },
                )]
            }
        };
        if stacked {
            lines.extend(wrap_line(&Line::from(Span::styled(format!("{marker}{label}"), label_style)), wrap_w));
            if focused {
                cursor = cursor.map(|(x, _)| (x, lines.len()));
            }
            let mut row = vec![Span::raw("  ")];
            row.extend(value);
            lines.push(Line::from(row));
        } else {
            let pad = " ".repeat(label_w.saturating_sub(str_width(label)) + 2);
            let mut row = vec![Span::styled(format!("{marker}{label}{pad}"), label_style)];
            row.extend(value);
            lines.push(Line::from(row));
        }
    }
    if let Some(note) = form.note {
        lines.push(Line::from(""));
        lines.extend(wrap_line(&Line::from(lang.tr(note)), wrap_w));
    }
    // Scroll so the focused field stays visible.
    let height = inner.height as usize;
    let focus_row = cursor.map(|c| c.1).unwrap_or(0);
    let scroll = (focus_row + 2).saturating_sub(height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if let Some((x, y)) = cursor
        && y >= scroll
        && y - scroll < height
    {
        frame.set_cursor_position(Position { x: inner.x + x as u16, y: inner.y + (y - scroll) as u16 });
    }
}

pub fn human_size(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else if n < 1 << 30 {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} GiB", n as f64 / f64::from(1u32 << 30))
    }
}

/// A public key as text (and, on request, as a QR code), with lines above it.
pub fn draw_key_view(
    frame: &mut Frame,
    lang: Lang,
    title: &str,
    mut lines: Vec<Line>,
    key: &str,
    qr: bool,
    area: Rect,
) {
    if qr {
        match lethe_protocol::QrImage::from_text(key) {
            Ok(image) => lines.extend(qr_lines(&image, area)),
            Err(_) => lines.push(Line::from(lang.tr(Msg::ErrQr))),
        }
    }
    // No side borders: the key selected on the screen is the key and nothing else.
    let block = Block::new().borders(Borders::TOP).title(format!(" {title} "));
    frame.render_widget(Paragraph::new(wrap_text(lines, area.width)).block(block), area);
}

/// A text of remote pairing to send to the other side: what to do with it, the text
/// (or its QR code), and the code to read aloud once both keys are known.
pub fn draw_pair_text(frame: &mut Frame, lang: Lang, title: Msg, text: &str, code: Option<&str>, qr: bool, area: Rect) {
    let mut lines = vec![Line::styled(lang.tr(Msg::PairTextSend), bold()), Line::from(text.to_string())];
    if let Some(code) = code {
        lines.push(Line::from(""));
        lines.push(Line::from(lang.format(Msg::PairCodeAloud, &[code])));
    }
    lines.push(Line::from(""));
    draw_key_view(frame, lang, lang.tr(title), lines, text, qr, area);
}

pub fn qr_lines(image: &lethe_protocol::QrImage, area: Rect) -> Vec<Line<'static>> {
    let style = Style::default().fg(Color::Black).bg(Color::White);
    let lines = image.terminal_lines();
    if lines.first().map_or(0, |l| str_width(l)) + 2 > area.width as usize {
        return Vec::new();
    }
    lines.into_iter().map(|l| Line::styled(l, style)).collect()
}

/// The keys of every form.
pub fn form_hints(lang: Lang, h: &mut Hints) {
    h.push(("Enter", lang.tr(Msg::HintNextOrSubmit)));
    h.push(("Ctrl-S", lang.tr(Msg::HintSubmit)));
    h.push(("←→", lang.tr(Msg::HintChoose)));
    h.push(("Esc", lang.tr(Msg::HintCancel)));
}
