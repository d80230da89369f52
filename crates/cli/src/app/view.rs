//! Drawing the app. Reads `App`, changes nothing.

use super::i18n::{Lang, Msg};
use super::jobs::UiText;
use super::state::{
    App, HideForm, NotesView, PROGRESS_AFTER, SETTINGS_ROWS, Screen, Session, Tab,
};
use super::text::{TextArea, TextInput, str_width};
use lethe_vault::ItemKind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, Gauge, Paragraph, Row, Table, TableState, Wrap};
use std::time::Instant;

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

fn tr(app: &App, msg: Msg) -> &'static str {
    app.lang.tr(msg)
}

pub fn render_text(lang: Lang, t: &UiText) -> String {
    let args: Vec<&str> = t.args.iter().map(String::as_str).collect();
    lang.format(t.msg, &args)
}

fn highlight() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn draw(frame: &mut Frame, app: &App, now: Instant) {
    let area = frame.area();
    let [header, body, status, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1), Constraint::Length(2)])
            .areas(area);
    match &app.screen {
        Screen::Unlock(u) => {
            draw_header(frame, app, header, None);
            draw_unlock(frame, app, body, &u.pass, u.error.as_ref(), now);
            draw_hints(frame, hints, &unlock_hints(app));
        }
        Screen::Wiped => {
            // The same as an empty notes list in camouflage.
            draw_header(frame, app, header, Some(Tab::Notes));
            let block = Block::bordered().title(format!(" {} ", tr(app, Msg::TabNotes)));
            frame.render_widget(Paragraph::new(tr(app, Msg::NoNotes)).block(block), body);
            draw_hints(frame, hints, &[
                ("n", tr(app, Msg::HintNewNote)),
                ("Tab", tr(app, Msg::HintNextTab)),
                (tr(app, Msg::KeyCtrlQ), tr(app, Msg::HintQuit)),
            ]);
        }
        Screen::Main(m) => {
            draw_header(frame, app, header, Some(m.tab));
            let Some(session) = &app.session else { return };
            match m.tab {
                Tab::Notes => draw_notes(frame, app, session, &m.notes.view, m.notes.selected, body),
                Tab::Settings => draw_settings(frame, app, session, m.settings.selected, m.settings.hide_form.as_ref(), body),
            }
            let hint_list = main_hints(app, m);
            draw_hints(frame, hints, &hint_list);
        }
    }
    if let Some(s) = &app.status {
        let style = if s.error { Style::default().fg(Color::Red) } else { Style::default().fg(Color::Green) };
        frame.render_widget(Paragraph::new(render_text(app.lang, &s.text)).style(style), status);
    }
    if let Some(job) = &app.job {
        if job.label != Msg::Opening && now.duration_since(job.started) >= PROGRESS_AFTER {
            draw_progress(frame, app, job, now);
        }
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect, tab: Option<Tab>) {
    let title = app.title();
    let mut spans = vec![Span::styled(format!(" {title} "), Style::default().add_modifier(Modifier::BOLD))];
    if let Some(current) = tab {
        for t in app.tabs() {
            // In camouflage, only the notes and settings tabs are named unless one is open.
            let name = tr(app, tab_name(t));
            spans.push(Span::raw(" "));
            if t == current {
                spans.push(Span::styled(format!("[{name}]"), highlight()));
            } else {
                spans.push(Span::raw(format!(" {name} ")));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn tab_name(t: Tab) -> Msg {
    match t {
        Tab::Notes => Msg::TabNotes,
        Tab::Settings => Msg::TabSettings,
    }
}

fn draw_hints(frame: &mut Frame, area: Rect, hints: &[(&str, &str)]) {
    let mut spans = Vec::new();
    for (i, (key, what)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key.to_string(), Style::default().add_modifier(Modifier::BOLD)));
        spans.push(Span::raw(format!(" {what}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Draws a one-line field with its label above it, and places the cursor when focused.
fn draw_field(frame: &mut Frame, label: &str, input: &TextInput, area: Rect, focused: bool) {
    let block = Block::bordered()
        .title(label.to_string())
        .border_style(if focused { Style::default().add_modifier(Modifier::BOLD) } else { Style::default().fg(Color::DarkGray) });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (shown, cursor) = input.view(inner.width as usize);
    frame.render_widget(Paragraph::new(shown), inner);
    if focused {
        frame.set_cursor_position(Position { x: inner.x + cursor as u16, y: inner.y });
    }
}

fn draw_area(frame: &mut Frame, label: &str, input: &TextArea, area: Rect, focused: bool) {
    let block = Block::bordered()
        .title(label.to_string())
        .border_style(if focused { Style::default().add_modifier(Modifier::BOLD) } else { Style::default().fg(Color::DarkGray) });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (lines, (cx, cy)) = input.view(inner.width as usize, inner.height as usize);
    let text = Text::from(lines.into_iter().map(Line::from).collect::<Vec<_>>());
    frame.render_widget(Paragraph::new(text), inner);
    if focused {
        frame.set_cursor_position(Position { x: inner.x + cx as u16, y: inner.y + cy as u16 });
    }
}

fn draw_unlock(frame: &mut Frame, app: &App, body: Rect, pass: &TextInput, error: Option<&UiText>, now: Instant) {
    let boxed = centered(body, 56, 9);
    frame.render_widget(Clear, boxed);
    let block = Block::bordered().title(format!(" {} ", tr(app, Msg::UnlockTitle)));
    let inner = block.inner(boxed);
    frame.render_widget(block, boxed);
    let [prompt, field, _, message] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(3), Constraint::Length(1), Constraint::Min(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(tr(app, Msg::UnlockPrompt)), prompt);
    let opening = app.job.as_ref().filter(|j| j.label == Msg::Opening);
    draw_field(frame, "", pass, field, opening.is_none());
    if let Some(job) = opening {
        let tick = (now.duration_since(job.started).as_millis() / 150) as usize;
        frame.render_widget(
            Paragraph::new(format!("{} {}", SPINNER[tick % SPINNER.len()], tr(app, Msg::Opening))),
            message,
        );
    } else if let Some(e) = error {
        frame.render_widget(
            Paragraph::new(render_text(app.lang, e)).style(Style::default().fg(Color::Red)).wrap(Wrap { trim: true }),
            message,
        );
    }
}

fn unlock_hints(app: &App) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", tr(app, Msg::HintOpen)),
        // The language key is named in all three languages, so anyone can find it.
        ("Tab/F2", match app.lang {
            Lang::Ko => "[한국어] 中文 English",
            Lang::Zh => "한국어 [中文] English",
            Lang::En => "한국어 中文 [English]",
        }),
        (tr(app, Msg::KeyCtrlQ), tr(app, Msg::HintQuit)),
    ]
}

fn main_hints(app: &App, m: &super::state::MainView) -> Vec<(&'static str, &'static str)> {
    let mut h: Vec<(&'static str, &'static str)> = Vec::new();
    match m.tab {
        Tab::Notes => match &m.notes.view {
            NotesView::List => {
                h.push(("↑↓", tr(app, Msg::HintSelect)));
                h.push(("Enter", tr(app, Msg::HintRead)));
                h.push(("n", tr(app, Msg::HintNewNote)));
                h.push(("f", tr(app, Msg::HintAddFile)));
                h.push(("e", tr(app, Msg::HintExport)));
                h.push(("d", tr(app, Msg::HintDelete)));
            }
            NotesView::Read { .. } => {
                h.push(("Esc", tr(app, Msg::HintBack)));
                h.push(("↑↓", tr(app, Msg::HintScroll)));
                h.push(("e", tr(app, Msg::HintExport)));
                h.push(("d", tr(app, Msg::HintDelete)));
            }
            NotesView::NewNote { .. } => {
                h.push(("Ctrl-S", tr(app, Msg::HintSave)));
                h.push(("Tab", tr(app, Msg::HintNextField)));
                h.push(("Esc", tr(app, Msg::HintCancel)));
            }
            NotesView::NewFile { .. } => {
                h.push(("Enter", tr(app, Msg::HintImport)));
                h.push(("Tab", tr(app, Msg::HintNextField)));
                h.push(("Space", tr(app, Msg::HintToggle)));
                h.push(("Esc", tr(app, Msg::HintCancel)));
            }
            NotesView::Export { .. } => {
                h.push(("Enter", tr(app, Msg::HintExport)));
                h.push(("Esc", tr(app, Msg::HintCancel)));
            }
            NotesView::ConfirmDelete { .. } => {
                h.push(("y", tr(app, Msg::HintYesErase)));
                h.push((tr(app, Msg::KeyOther), tr(app, Msg::HintCancel)));
            }
        },
        Tab::Settings => {
            if m.settings.hide_form.is_some() {
                h.push(("Enter", tr(app, Msg::HintConfirm)));
                h.push(("Tab", tr(app, Msg::HintNextField)));
                h.push(("Esc", tr(app, Msg::HintCancel)));
            } else {
                h.push(("↑↓", tr(app, Msg::HintSelect)));
                h.push(("←→/Enter", tr(app, Msg::HintChange)));
            }
        }
    }
    let form = (m.tab == Tab::Notes && m.notes.view.is_form()) || m.settings.hide_form.is_some();
    if !form {
        h.push(("Tab", tr(app, Msg::HintNextTab)));
    }
    h.push(("Ctrl-L", tr(app, Msg::HintLock)));
    h.push((tr(app, Msg::KeyCtrlQ), tr(app, Msg::HintQuit)));
    h
}

fn kind_name(app: &App, kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Note => tr(app, Msg::KindNote),
        _ => tr(app, Msg::KindFile),
    }
}

pub fn human_size(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

fn draw_notes(frame: &mut Frame, app: &App, session: &Session, view: &NotesView, selected: usize, area: Rect) {
    match view {
        NotesView::List | NotesView::ConfirmDelete { .. } => {
            let block = Block::bordered().title(format!(" {} ", tr(app, Msg::TabNotes)));
            if session.items.is_empty() {
                frame.render_widget(Paragraph::new(tr(app, Msg::NoNotes)).block(block), area);
            } else {
                // Phones have narrow terminals: the date and kind go first when space is short.
                let wide = area.width >= 64;
                let rows = session.items.iter().map(|i| {
                    let mut cells = vec![
                        Cell::from(if i.name.is_empty() { "-".to_string() } else { i.name.clone() }),
                        Cell::from(kind_name(app, i.kind)),
                        Cell::from(human_size(i.size)),
                    ];
                    if wide {
                        cells.push(Cell::from(crate::format_time(i.created_unix)));
                    }
                    Row::new(cells)
                });
                let mut header = vec![tr(app, Msg::ColName), tr(app, Msg::ColKind), tr(app, Msg::ColSize)];
                let mut widths = vec![Constraint::Min(12), Constraint::Length(6), Constraint::Length(10)];
                if wide {
                    header.push(tr(app, Msg::ColDate));
                    widths.push(Constraint::Length(16));
                }
                let table = Table::new(rows, widths)
                    .header(Row::new(header).style(Style::default().add_modifier(Modifier::BOLD)))
                    .block(block)
                    .highlight_symbol("> ")
                    .row_highlight_style(highlight());
                let mut state = TableState::default().with_selected(Some(selected));
                frame.render_stateful_widget(table, area, &mut state);
            }
            if let NotesView::ConfirmDelete { id } = view {
                let name = session.items.iter().find(|i| i.id == *id).map(|i| i.name.clone()).unwrap_or_default();
                let popup = centered(area, 60, 5);
                frame.render_widget(Clear, popup);
                let text = app.lang.format(Msg::ConfirmErase, &[&name]);
                frame.render_widget(
                    Paragraph::new(text).wrap(Wrap { trim: true }).block(Block::bordered().title(format!(" {} ", tr(app, Msg::HintDelete)))),
                    popup,
                );
            }
        }
        NotesView::Read { id, body, scroll } => {
            let info = session.items.iter().find(|i| i.id == *id);
            let title = info.map(|i| i.name.clone()).unwrap_or_default();
            let block = Block::bordered().title(format!(" {title} "));
            let content = match info {
                Some(i) if i.kind != ItemKind::Note => app.lang.format(
                    Msg::FileInfo,
                    &[&human_size(i.size), &crate::format_time(i.created_unix)],
                ),
                _ => body.as_str().to_string(),
            };
            frame.render_widget(Paragraph::new(content).wrap(Wrap { trim: false }).scroll((*scroll, 0)).block(block), area);
        }
        NotesView::NewNote { name, body, focus } => {
            let [top, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
            draw_field(frame, tr(app, Msg::FieldTitle), name, top, *focus == 0);
            draw_area(frame, tr(app, Msg::FieldNoteText), body, rest, *focus == 1);
        }
        NotesView::NewFile { path, name, shred, focus } => {
            let [a, b, c, d] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(3),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(area);
            draw_field(frame, tr(app, Msg::FieldPath), path, a, *focus == 0);
            draw_field(frame, tr(app, Msg::FieldNameOptional), name, b, *focus == 1);
            let mark = if *shred { "[x]" } else { "[ ]" };
            let style = if *focus == 2 { highlight() } else { Style::default() };
            frame.render_widget(Paragraph::new(format!("{mark} {}", tr(app, Msg::ShredSource))).style(style), c);
            frame.render_widget(Paragraph::new(tr(app, Msg::ShredExplain)).wrap(Wrap { trim: true }), d);
        }
        NotesView::Export { path, .. } => {
            let [a, b] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
            draw_field(frame, tr(app, Msg::FieldExportPath), path, a, true);
            frame.render_widget(Paragraph::new(tr(app, Msg::ExportWarning)).wrap(Wrap { trim: true }), b);
        }
    }
}

fn draw_settings(frame: &mut Frame, app: &App, session: &Session, selected: usize, form: Option<&HideForm>, area: Rect) {
    let block = Block::bordered().title(format!(" {} ", tr(app, Msg::TabSettings)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(form) = form {
        let [a, b, c] = Layout::vertical([Constraint::Length(3), Constraint::Length(3), Constraint::Min(1)]).areas(inner);
        draw_field(frame, tr(app, Msg::FieldNewPassphrase), &form.first, a, form.focus == 0);
        draw_field(frame, tr(app, Msg::FieldRepeatPassphrase), &form.second, b, form.focus == 1);
        frame.render_widget(Paragraph::new(tr(app, Msg::HideExplain)).wrap(Wrap { trim: true }), c);
        return;
    }
    let s = &session.settings;
    let lang_name = match s.lang {
        Lang::Ko => "한국어",
        Lang::Zh => "中文",
        Lang::En => "English",
    };
    let minutes = (s.idle_lock_secs / 60).to_string();
    let values: [(Msg, String); SETTINGS_ROWS] = [
        (Msg::SetLanguage, lang_name.to_string()),
        (Msg::SetIdleLock, app.lang.format(Msg::Minutes, &[&minutes])),
        (Msg::SetCamouflage, tr(app, if s.camouflage { Msg::On } else { Msg::Off }).to_string()),
        (Msg::SetHide, String::new()),
    ];
    let label_width = values.iter().map(|(m, _)| str_width(tr(app, *m))).max().unwrap_or(10) + 2;
    let mut lines: Vec<Line> = Vec::new();
    for (i, (msg, value)) in values.iter().enumerate() {
        let label = tr(app, *msg);
        let pad = " ".repeat(label_width.saturating_sub(str_width(label)));
        let marker = if i == selected { ">" } else { " " };
        let line = Line::from(format!("{marker} {label}{pad}{value}"));
        lines.push(if i == selected { line.style(highlight()) } else { line });
    }
    lines.push(Line::from(""));
    let explain = match selected {
        0 => Msg::SetLanguageExplain,
        1 => Msg::SetIdleLockExplain,
        2 => Msg::SetCamouflageExplain,
        _ => Msg::SetHideExplain,
    };
    lines.push(Line::from(tr(app, explain)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_progress(frame: &mut Frame, app: &App, job: &super::jobs::Job, now: Instant) {
    let area = centered(frame.area(), 50, 3);
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", tr(app, job.label)));
    match job.progress.fraction() {
        Some(f) => {
            frame.render_widget(Gauge::default().block(block).ratio(f), area);
        }
        None => {
            let tick = (now.duration_since(job.started).as_millis() / 150) as usize;
            frame.render_widget(Paragraph::new(SPINNER[tick % SPINNER.len()]).block(block), area);
        }
    }
}
