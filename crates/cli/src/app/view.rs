//! Drawing the app. Reads `App`, changes nothing.

use super::forms::{FieldKind, Form};
use super::i18n::{Lang, Msg};
use super::jobs::{Arg, UiText};
use super::snapshot::{FieldData, HubData};
use super::state::{
    App, FieldView, HubView, InboxForm, MainView, NotesView, OutgoingView, PROGRESS_AFTER, Screen, SettingRow,
    StatusFilter, Tab,
};
use super::text::{TextArea, TextInput, str_width};
use super::wrap::{wrap_line, wrap_text};
use lethe_remit::{Currency, HubOrderStatus, ReportOutcome, format_amount, format_number, time};
use lethe_vault::ItemKind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Clear, Gauge, Paragraph, Row, Table, TableState};
use std::time::Instant;

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

fn tr(app: &App, msg: Msg) -> &'static str {
    app.lang.tr(msg)
}

pub fn render_text(lang: Lang, t: &UiText) -> String {
    let args: Vec<String> = t
        .args
        .iter()
        .map(|a| match a {
            Arg::Text(s) => s.clone(),
            Arg::Msg(m) => lang.tr(*m).to_string(),
            Arg::Nested(t) => render_text(lang, t),
        })
        .collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    lang.format(t.msg, &refs)
}

fn highlight() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn titled(title: &str) -> Block<'static> {
    Block::bordered().title(format!(" {title} "))
}

pub fn draw(frame: &mut Frame, app: &App, now: Instant) {
    let area = frame.area();
    // A QR code to show takes the whole screen: every row counts.
    if let Screen::Main(m) = &app.screen
        && let Some(o) = m.outgoing.as_ref().filter(|o| o.qr && o.save.is_none())
    {
        draw_qr_screen(frame, app, o, area);
        return;
    }
    let hint_list: Vec<(&str, &str)> = match &app.screen {
        Screen::Unlock(_) => unlock_hints(app),
        // Only what works: nothing is left to open.
        Screen::Wiped => vec![(tr(app, Msg::KeyCtrlQ), tr(app, Msg::HintQuit))],
        Screen::Main(m) => main_hints(app, m),
    };
    let hint_rows = hints_height(&hint_list, area.width);
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(hint_rows),
    ])
    .areas(area);
    match &app.screen {
        Screen::Unlock(u) => {
            draw_header(frame, app, header, None);
            draw_unlock(frame, app, body, &u.pass, u.error.as_ref(), now);
        }
        Screen::Wiped => {
            // The same as an empty notes list in camouflage.
            draw_header(frame, app, header, Some(Tab::Notes));
            frame.render_widget(Paragraph::new(tr(app, Msg::NoNotes)).block(titled(tr(app, Msg::TabNotes))), body);
        }
        Screen::Main(m) => {
            draw_header(frame, app, header, Some(m.tab));
            if let Some(o) = &m.outgoing {
                draw_outgoing(frame, app, o, body);
            } else {
                match m.tab {
                    Tab::Notes => draw_notes(frame, app, m, body),
                    Tab::Field => draw_field(frame, app, m, body),
                    Tab::Hub => draw_hub(frame, app, m, body),
                    Tab::Settings => draw_settings(frame, app, m, body),
                }
            }
        }
    }
    draw_hints(frame, hints, &hint_list);
    if let Some(s) = &app.status {
        let style = if s.error { Style::default().fg(Color::Red) } else { Style::default().fg(Color::Green) };
        frame.render_widget(Paragraph::new(render_text(app.lang, &s.text)).style(style), status);
    }
    if let Some(job) = &app.job
        && (job.label != Msg::Opening || app.is_unlocked())
        && now.duration_since(job.started) >= PROGRESS_AFTER
    {
        draw_progress(frame, app, job, now);
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect, tab: Option<Tab>) {
    let mut spans = vec![Span::styled(format!(" {} ", app.title()), bold())];
    if let Some(current) = tab {
        let tabs = if app.is_unlocked() { app.tabs() } else { vec![Tab::Notes, Tab::Settings] };
        for t in tabs {
            // In camouflage the role tabs are not named unless one is open.
            if app.camouflage && matches!(t, Tab::Field | Tab::Hub) && t != current {
                continue;
            }
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
        Tab::Field => Msg::TabField,
        Tab::Hub => Msg::TabHub,
        Tab::Settings => Msg::TabSettings,
    }
}

/// Rows the key hints need at this width (they wrap; at most four rows).
fn hints_height(hints: &[(&str, &str)], width: u16) -> u16 {
    let total: usize = hints.iter().map(|(k, w)| str_width(k) + str_width(w) + 3).sum();
    (total.div_ceil(width.max(20) as usize - 8) as u16).clamp(1, 4)
}

fn draw_hints(frame: &mut Frame, area: Rect, hints: &[(&str, &str)]) {
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
fn inner_width(area: Rect) -> u16 {
    area.width.saturating_sub(2)
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Draws a bordered one-line field and places the cursor when focused.
fn draw_field_box(frame: &mut Frame, label: &str, input: &TextInput, area: Rect, focused: bool) {
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

fn draw_area(frame: &mut Frame, label: &str, input: &TextArea, area: Rect, focused: bool) {
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
fn draw_form(frame: &mut Frame, app: &App, title: &str, form: &Form, area: Rect) {
    let block = titled(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let wrap_w = inner.width as usize;
    let mut lines: Vec<Line> =
        form.info.iter().flat_map(|l| wrap_line(&Line::styled(l.clone(), bold()), wrap_w)).collect();
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    let label_w = form.fields.iter().map(|f| str_width(tr(app, f.label))).max().unwrap_or(0);
    // Narrow screens put the label above the value.
    let stacked = label_w + 14 > inner.width as usize;
    let label_col = if stacked { 2 } else { label_w + 4 };
    let value_w = (inner.width as usize).saturating_sub(label_col + 1).max(4);
    let mut cursor = None;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "> " } else { "  " };
        let label = tr(app, f.label);
        let label_style = if focused { bold() } else { Style::default() };
        let value: Vec<Span> = match &f.kind {
            FieldKind::Text(t) => {
                let (shown, cx) = t.view(value_w);
                if focused {
                    cursor = Some((label_col + cx, if stacked { lines.len() + 1 } else { lines.len() }));
                }
                let pad = value_w.saturating_sub(str_width(&shown));
                vec![Span::styled(
                    format!("{shown}{}", " ".repeat(pad)),
                    Style::default().add_modifier(Modifier::UNDERLINED),
                )]
            }
            FieldKind::Choice(options, chosen) => {
                let v = options.get(*chosen).cloned().unwrap_or_default();
                vec![Span::styled(format!("◀ {v} ▶"), if focused { highlight() } else { Style::default() })]
            }
            FieldKind::Check(on) => {
                vec![Span::styled(
                    if *on { "[x]" } else { "[ ]" },
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
        lines.extend(wrap_line(&Line::from(tr(app, note)), wrap_w));
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

fn draw_inbox(frame: &mut Frame, app: &App, title: &str, inbox: &InboxForm, area: Rect) {
    let [explain, text, path] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(3), Constraint::Length(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(wrap_text(
            vec![Line::styled(title.to_string(), bold()), Line::from(tr(app, Msg::InboxExplain))],
            explain.width,
        )),
        explain,
    );
    draw_area(frame, tr(app, Msg::FieldPasteMessage), &inbox.text, text, inbox.focus == 0);
    draw_field_box(frame, tr(app, Msg::FieldMessageFile), &inbox.path, path, inbox.focus == 1);
}

fn draw_unlock(frame: &mut Frame, app: &App, body: Rect, pass: &TextInput, error: Option<&UiText>, now: Instant) {
    let boxed = centered(body, 56, 9);
    frame.render_widget(Clear, boxed);
    let block = titled(tr(app, Msg::UnlockTitle));
    let inner = block.inner(boxed);
    frame.render_widget(block, boxed);
    let [prompt, field, _, message] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(3), Constraint::Length(1), Constraint::Min(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(tr(app, Msg::UnlockPrompt)), prompt);
    let opening = app.job.as_ref().filter(|j| j.label == Msg::Opening);
    draw_field_box(frame, "", pass, field, opening.is_none());
    if let Some(job) = opening {
        let tick = (now.duration_since(job.started).as_millis() / 150) as usize;
        frame.render_widget(
            Paragraph::new(format!("{} {}", SPINNER[tick % SPINNER.len()], tr(app, Msg::Opening))),
            message,
        );
    } else if let Some(e) = error {
        frame.render_widget(
            Paragraph::new(wrap_text(render_text(app.lang, e), message.width)).style(Style::default().fg(Color::Red)),
            message,
        );
    }
}

fn unlock_hints(app: &App) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", tr(app, Msg::HintOpen)),
        // The language key is named in all three languages, so anyone can find it.
        (
            "Tab/F2",
            match app.lang {
                Lang::Ko => "[한국어] 中文 English",
                Lang::Zh => "한국어 [中文] English",
                Lang::En => "한국어 中文 [English]",
            },
        ),
        (tr(app, Msg::KeyCtrlQ), tr(app, Msg::HintQuit)),
    ]
}

fn form_hints(app: &App, h: &mut Vec<(&'static str, &'static str)>) {
    h.push(("Enter", tr(app, Msg::HintNextOrSubmit)));
    h.push(("Ctrl-S", tr(app, Msg::HintSubmit)));
    h.push(("←→", tr(app, Msg::HintChoose)));
    h.push(("Esc", tr(app, Msg::HintCancel)));
}

fn inbox_hints(app: &App, h: &mut Vec<(&'static str, &'static str)>) {
    h.push(("Ctrl-S", tr(app, Msg::HintRead)));
    h.push(("Tab", tr(app, Msg::HintNextField)));
    h.push(("Esc", tr(app, Msg::HintCancel)));
}

fn main_hints(app: &App, m: &MainView) -> Vec<(&'static str, &'static str)> {
    let mut h: Vec<(&'static str, &'static str)> = Vec::new();
    if let Some(o) = &m.outgoing {
        if o.save.is_some() {
            form_hints(app, &mut h);
        } else {
            h.push(("q", tr(app, Msg::HintQrText)));
            h.push(("w", tr(app, Msg::HintSaveFile)));
            h.push(("↑↓", tr(app, Msg::HintScroll)));
            h.push(("Esc", tr(app, Msg::HintClose)));
        }
    } else {
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
                NotesView::NewFile(_) | NotesView::Export { .. } => form_hints(app, &mut h),
                NotesView::ConfirmDelete { .. } => {
                    h.push(("y", tr(app, Msg::HintYesErase)));
                    h.push((tr(app, Msg::KeyOther), tr(app, Msg::HintCancel)));
                }
            },
            Tab::Field => match &m.field.view {
                FieldView::Orders => {
                    h.push(("↑↓", tr(app, Msg::HintSelect)));
                    h.push(("Enter", tr(app, Msg::HintDeliver)));
                    h.push(("i", tr(app, Msg::HintInbox)));
                    h.push(("m", tr(app, Msg::HintOutbox)));
                    h.push(("p", tr(app, Msg::HintPairing)));
                }
                FieldView::Outbox { .. } => {
                    h.push(("Enter", tr(app, Msg::HintSendNow)));
                    h.push(("x", tr(app, Msg::HintExportMedia)));
                    h.push(("Esc", tr(app, Msg::HintBack)));
                }
                FieldView::Pairing { .. } => {
                    h.push(("q", tr(app, Msg::HintQrText)));
                    if app.snap().and_then(|s| s.field.as_ref()).is_none_or(|f| f.safety_code.is_none()) {
                        h.push(("h", tr(app, Msg::HintEnterHubKey)));
                    }
                    h.push(("Esc", tr(app, Msg::HintBack)));
                }
                FieldView::Inbox(_) => inbox_hints(app, &mut h),
                _ => form_hints(app, &mut h),
            },
            Tab::Hub => match &m.hub.view {
                HubView::Orders => {
                    h.push(("↑↓", tr(app, Msg::HintSelect)));
                    h.push(("o", tr(app, Msg::HintNewOrder)));
                    h.push(("m", tr(app, Msg::HintSendOrders)));
                    h.push(("i", tr(app, Msg::HintImportReports)));
                    h.push(("f", tr(app, Msg::HintImportMedia)));
                    h.push(("x", tr(app, Msg::HintExportMedia)));
                    h.push(("l", tr(app, Msg::HintLedger)));
                    h.push(("p", tr(app, Msg::HintBrokers)));
                    h.push(("b/s", tr(app, Msg::HintFilter)));
                }
                HubView::Results(_) => {
                    h.push(("Enter", tr(app, Msg::HintShowAck)));
                    h.push(("Esc", tr(app, Msg::HintBack)));
                }
                HubView::Ledger => {
                    h.push(("v", tr(app, Msg::HintAdvance)));
                    h.push(("Esc", tr(app, Msg::HintBack)));
                }
                HubView::Brokers { .. } => {
                    h.push(("a", tr(app, Msg::HintAddBroker)));
                    h.push(("q", tr(app, Msg::HintQrText)));
                    h.push(("Esc", tr(app, Msg::HintBack)));
                }
                HubView::Import(_) => inbox_hints(app, &mut h),
                _ => form_hints(app, &mut h),
            },
            Tab::Settings => {
                if m.settings.hide_form.is_some() {
                    form_hints(app, &mut h);
                } else {
                    h.push(("↑↓", tr(app, Msg::HintSelect)));
                    h.push(("←→/Enter", tr(app, Msg::HintChange)));
                }
            }
        }
    }
    if !app.in_form() && m.outgoing.is_none() {
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

fn table<'a>(rows: Vec<Row<'a>>, header: Vec<&'a str>, widths: Vec<Constraint>, block: Block<'a>) -> Table<'a> {
    Table::new(rows, widths)
        .header(Row::new(header).style(bold()))
        .block(block)
        .highlight_symbol("> ")
        .row_highlight_style(highlight())
}

// ------------------------------------------------------------------ notes

fn draw_notes(frame: &mut Frame, app: &App, m: &MainView, area: Rect) {
    let Some(snap) = app.snap() else { return };
    let selected = m.notes.selected;
    match &m.notes.view {
        NotesView::List | NotesView::ConfirmDelete { .. } => {
            let block = titled(tr(app, Msg::TabNotes));
            if snap.items.is_empty() {
                frame.render_widget(Paragraph::new(tr(app, Msg::NoNotes)).block(block), area);
            } else {
                // Phones have narrow terminals: the date goes first when space is short.
                let wide = area.width >= 64;
                let rows = snap
                    .items
                    .iter()
                    .map(|i| {
                        let mut cells = vec![
                            Cell::from(if i.name.is_empty() { "-".to_string() } else { i.name.clone() }),
                            Cell::from(kind_name(app, i.kind)),
                            Cell::from(human_size(i.size)),
                        ];
                        if wide {
                            cells.push(Cell::from(crate::format_time(i.created_unix)));
                        }
                        Row::new(cells)
                    })
                    .collect();
                let mut header = vec![tr(app, Msg::ColName), tr(app, Msg::ColKind), tr(app, Msg::ColSize)];
                let mut widths = vec![Constraint::Min(12), Constraint::Length(6), Constraint::Length(10)];
                if wide {
                    header.push(tr(app, Msg::ColDate));
                    widths.push(Constraint::Length(16));
                }
                let mut state = TableState::default().with_selected(Some(selected));
                frame.render_stateful_widget(table(rows, header, widths, block), area, &mut state);
            }
            if let NotesView::ConfirmDelete { id } = &m.notes.view {
                let name = snap.items.iter().find(|i| i.id == *id).map(|i| i.name.clone()).unwrap_or_default();
                let popup = centered(area, 60, 5);
                frame.render_widget(Clear, popup);
                frame.render_widget(
                    Paragraph::new(wrap_text(app.lang.format(Msg::ConfirmErase, &[&name]), inner_width(popup)))
                        .block(titled(tr(app, Msg::HintDelete))),
                    popup,
                );
            }
        }
        NotesView::Read { id, body, scroll } => {
            let info = snap.items.iter().find(|i| i.id == *id);
            let title = info.map(|i| i.name.clone()).unwrap_or_default();
            let content = match info {
                Some(i) if i.kind != ItemKind::Note => {
                    app.lang.format(Msg::FileInfo, &[&human_size(i.size), &crate::format_time(i.created_unix)])
                }
                _ => body.as_str().to_string(),
            };
            frame.render_widget(
                Paragraph::new(wrap_text(content, inner_width(area))).scroll((*scroll, 0)).block(titled(&title)),
                area,
            );
        }
        NotesView::NewNote { name, body, focus } => {
            let [top, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
            draw_field_box(frame, tr(app, Msg::FieldTitle), name, top, *focus == 0);
            draw_area(frame, tr(app, Msg::FieldNoteText), body, rest, *focus == 1);
        }
        NotesView::NewFile(form) => draw_form(frame, app, tr(app, Msg::HintAddFile), form, area),
        NotesView::Export { form, .. } => draw_form(frame, app, tr(app, Msg::HintExport), form, area),
    }
}

// ------------------------------------------------------------------ field

fn deadline_text(minutes: u32) -> String {
    time::format_date_minutes(minutes)
}

fn draw_field(frame: &mut Frame, app: &App, m: &MainView, area: Rect) {
    let Some(data) = app.snap().and_then(|s| s.field.as_ref()) else { return };
    match &m.field.view {
        FieldView::Orders => draw_field_orders(frame, app, data, m.field.selected, area),
        FieldView::Deliver { form, .. } => draw_form(frame, app, tr(app, Msg::DeliverTitle), form, area),
        FieldView::Outbox { selected } => draw_outbox(frame, app, data, *selected, area),
        FieldView::ExportMedia { form, .. } => draw_form(frame, app, tr(app, Msg::HintExportMedia), form, area),
        FieldView::Inbox(inbox) => draw_inbox(frame, app, tr(app, Msg::InboxTitle), inbox, area),
        FieldView::Pairing { qr } => {
            let mut lines = vec![
                Line::styled(tr(app, Msg::YourPublicKey), bold()),
                Line::from(data.public_key.clone()),
                Line::from(""),
            ];
            match &data.safety_code {
                Some(code) => lines.push(Line::from(app.lang.format(Msg::SafetyCode, &[code]))),
                None => lines.push(Line::from(tr(app, Msg::NotPairedYet))),
            }
            draw_key_view(frame, app, tr(app, Msg::HintPairing), lines, &data.public_key, *qr, area);
        }
        FieldView::PairForm(form) => draw_form(frame, app, tr(app, Msg::HintEnterHubKey), form, area),
    }
}

fn draw_field_orders(frame: &mut Frame, app: &App, data: &FieldData, selected: usize, area: Rect) {
    let now = time::now_unix();
    let [list, detail] = Layout::vertical([Constraint::Min(4), Constraint::Length(6)]).areas(area);
    let title = app.lang.format(
        Msg::FieldOrdersTitle,
        &[&data.orders.iter().filter(|o| o.delivered_at.is_none()).count().to_string(), &data.outbox.len().to_string()],
    );
    let block = titled(&title);
    if data.orders.is_empty() {
        let text = if data.safety_code.is_none() { tr(app, Msg::FieldNotPairedHelp) } else { tr(app, Msg::NoOrders) };
        frame.render_widget(Paragraph::new(wrap_text(text, inner_width(area))).block(block), area);
        return;
    }
    let wide = area.width >= 70;
    let rows = data
        .orders
        .iter()
        .map(|o| {
            let mut cells = vec![
                Cell::from(o.code.to_string()),
                Cell::from(o.alias.clone()),
                Cell::from(format_amount(o.amount_minor, o.currency)),
            ];
            if wide {
                cells.push(Cell::from(o.place_hint.clone()));
                cells.push(Cell::from(deadline_text(o.deadline_minutes)));
            }
            cells.push(Cell::from(match o.delivered_at {
                Some(_) => tr(app, Msg::WaitingForAck).to_string(),
                None => time::format_age(now.saturating_sub(o.received_at)),
            }));
            Row::new(cells)
        })
        .collect();
    let mut header = vec![tr(app, Msg::ColCode), tr(app, Msg::ColAlias), tr(app, Msg::ColAmount)];
    let mut widths = vec![Constraint::Length(9), Constraint::Min(8), Constraint::Length(18)];
    if wide {
        header.push(tr(app, Msg::ColPlace));
        header.push(tr(app, Msg::ColDeadline));
        widths.push(Constraint::Min(10));
        widths.push(Constraint::Length(11));
    }
    header.push(tr(app, Msg::ColAge));
    widths.push(Constraint::Length(12));
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table(rows, header, widths, block), list, &mut state);
    if let Some(o) = data.orders.get(selected) {
        let lines = vec![
            Line::from(format!("{}  {}  {}", o.code, o.alias, format_amount(o.amount_minor, o.currency))),
            Line::from(app.lang.format(Msg::DetailPlace, &[&o.place_hint])),
            Line::from(app.lang.format(
                Msg::DetailDeadlineFee,
                &[&deadline_text(o.deadline_minutes), &format_amount(o.fee_minor, o.currency)],
            )),
            Line::from(app.lang.format(Msg::AskQuestion, &[&o.question])),
        ];
        frame.render_widget(Paragraph::new(wrap_text(lines, inner_width(detail))).block(Block::bordered()), detail);
    }
}

fn draw_outbox(frame: &mut Frame, app: &App, data: &FieldData, selected: usize, area: Rect) {
    let [top, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let summary = match data.outbox_chars {
        Some(chars) => app.lang.format(Msg::OutboxSummary, &[&data.outbox.len().to_string(), &chars.to_string()]),
        None => tr(app, Msg::OutboxEmpty).to_string(),
    };
    frame.render_widget(
        Paragraph::new(wrap_text(
            vec![Line::styled(summary, bold()), Line::from(tr(app, Msg::OutboxExplain))],
            top.width,
        )),
        top,
    );
    let now = time::now_unix();
    let rows = data
        .outbox
        .iter()
        .map(|e| {
            Row::new(vec![
                Cell::from(e.code.to_string()),
                Cell::from(e.chars.to_string()),
                Cell::from(e.media.map(|(_, len)| human_size(len)).unwrap_or_else(|| "-".into())),
                Cell::from(time::format_age(now.saturating_sub(e.created))),
            ])
        })
        .collect();
    let header = vec![tr(app, Msg::ColCode), tr(app, Msg::ColChars), tr(app, Msg::ColMedia), tr(app, Msg::ColAge)];
    let widths = vec![Constraint::Length(9), Constraint::Length(8), Constraint::Length(12), Constraint::Min(6)];
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table(rows, header, widths, titled(tr(app, Msg::HintOutbox))), list, &mut state);
}

/// A public key as text (and, on request, as a QR code), with lines above it.
fn draw_key_view(frame: &mut Frame, app: &App, title: &str, mut lines: Vec<Line>, key: &str, qr: bool, area: Rect) {
    if qr {
        match lethe_protocol::QrImage::from_text(key) {
            Ok(image) => lines.extend(qr_lines(&image, area)),
            Err(_) => lines.push(Line::from(tr(app, Msg::ErrQr))),
        }
    }
    frame.render_widget(Paragraph::new(wrap_text(lines, inner_width(area))).block(titled(title)), area);
}

fn qr_lines(image: &lethe_protocol::QrImage, area: Rect) -> Vec<Line<'static>> {
    let style = Style::default().fg(Color::Black).bg(Color::White);
    let lines = image.terminal_lines();
    if lines.first().map_or(0, |l| str_width(l)) + 2 > area.width as usize {
        return Vec::new();
    }
    lines.into_iter().map(|l| Line::styled(l, style)).collect()
}

/// The QR code alone on the screen (dark modules on light, quiet zone included), with
/// one line of keys; if it does not fit, only a message saying how big it is.
fn draw_qr_screen(frame: &mut Frame, app: &App, o: &OutgoingView, area: Rect) {
    let [top, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    draw_hints(frame, hint, &[("q", tr(app, Msg::HintQrText)), ("Esc", tr(app, Msg::HintClose))]);
    let image = match o.out.qr() {
        Ok(i) => i,
        Err(_) => {
            frame.render_widget(Paragraph::new(wrap_text(tr(app, Msg::ErrQr), top.width)), top);
            return;
        }
    };
    let lines = image.terminal_lines();
    let width = lines.first().map_or(0, |l| str_width(l)) as u16;
    if width > top.width || lines.len() as u16 > top.height {
        let side = image.full_width();
        let text = app.lang.format(Msg::QrTooBig, &[&side.to_string(), &side.div_ceil(2).to_string()]);
        frame.render_widget(Paragraph::new(wrap_text(text, top.width)), top);
        return;
    }
    let style = Style::default().fg(Color::Black).bg(Color::White);
    let spot = centered(top, width, lines.len() as u16);
    let text: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
    frame.render_widget(Paragraph::new(text), spot);
}

fn draw_outgoing(frame: &mut Frame, app: &App, o: &OutgoingView, area: Rect) {
    if let Some(form) = &o.save {
        draw_form(frame, app, tr(app, Msg::HintSaveFile), form, area);
        return;
    }
    let mut lines = vec![Line::styled(
        app.lang.format(
            Msg::OutgoingSummary,
            &[&o.out.items.to_string(), &o.out.chars().to_string(), &o.out.sealed_len().to_string()],
        ),
        bold(),
    )];
    if o.out.remaining > 0 {
        lines.push(Line::from(app.lang.format(Msg::OutgoingRemaining, &[&o.out.remaining.to_string()])));
    }
    lines.push(Line::from(""));
    lines.extend(o.out.text().lines().map(|l| Line::from(l.to_string())));
    frame.render_widget(Paragraph::new(lines).scroll((o.scroll, 0)).block(titled(tr(app, o.title))), area);
}

// ------------------------------------------------------------------ hub

pub fn status_msg(status: HubOrderStatus) -> Msg {
    use lethe_remit::DisputeReason;
    match status {
        HubOrderStatus::New => Msg::StatusNew,
        HubOrderStatus::Sent => Msg::StatusSent,
        HubOrderStatus::Delivered => Msg::StatusDelivered,
        HubOrderStatus::Disputed(DisputeReason::WrongAnswer) => Msg::StatusWrongAnswer,
        HubOrderStatus::Disputed(DisputeReason::CurrencyMismatch) => Msg::StatusWrongCurrency,
        _ => Msg::StatusDisputed,
    }
}

fn outcome_msg(o: ReportOutcome) -> Msg {
    use lethe_remit::DisputeReason;
    match o {
        ReportOutcome::Delivered => Msg::OutcomeDelivered,
        ReportOutcome::Disputed(DisputeReason::WrongAnswer) => Msg::StatusWrongAnswer,
        ReportOutcome::Disputed(DisputeReason::CurrencyMismatch) => Msg::StatusWrongCurrency,
        ReportOutcome::AlreadyRecorded => Msg::OutcomeAlreadyRecorded,
        ReportOutcome::UnknownOrder => Msg::OutcomeUnknownOrder,
        _ => Msg::StatusDisputed,
    }
}

fn filter_msg(f: StatusFilter) -> Msg {
    match f {
        StatusFilter::All => Msg::FilterAll,
        StatusFilter::Open => Msg::FilterOpen,
        StatusFilter::Delivered => Msg::StatusDelivered,
        StatusFilter::Disputed => Msg::StatusDisputed,
    }
}

fn draw_hub(frame: &mut Frame, app: &App, m: &MainView, area: Rect) {
    let Some(data) = app.snap().and_then(|s| s.hub.as_ref()) else { return };
    let st = &m.hub;
    match &st.view {
        HubView::Orders => draw_hub_orders(frame, app, data, m, area),
        HubView::NewOrder(form) => draw_form(frame, app, tr(app, Msg::HintNewOrder), form, area),
        HubView::Send(form) => draw_form(frame, app, tr(app, Msg::HintSendOrders), form, area),
        HubView::Import(inbox) => draw_inbox(frame, app, tr(app, Msg::ImportReportsTitle), inbox, area),
        HubView::Results(receipt) => {
            let [list, foot] = Layout::vertical([Constraint::Min(4), Constraint::Length(3)]).areas(area);
            let rows = receipt
                .results
                .iter()
                .map(|r| {
                    let ordered = r.amount_ordered_minor.map(|a| format_amount(a, r.currency)).unwrap_or_default();
                    Row::new(vec![
                        Cell::from(r.code.to_string()),
                        Cell::from(format_amount(r.amount_handed_minor, r.currency)),
                        Cell::from(ordered),
                        Cell::from(tr(app, outcome_msg(r.outcome))),
                        Cell::from(if r.has_media { tr(app, Msg::Yes) } else { "" }),
                    ])
                })
                .collect();
            let header = vec![
                tr(app, Msg::ColCode),
                tr(app, Msg::ColHanded),
                tr(app, Msg::ColOrdered),
                tr(app, Msg::ColVerdict),
                tr(app, Msg::ColMedia),
            ];
            let widths = vec![
                Constraint::Length(9),
                Constraint::Length(18),
                Constraint::Length(18),
                Constraint::Min(14),
                Constraint::Length(6),
            ];
            let title = app.lang.format(Msg::ResultsTitle, &[&receipt.broker]);
            frame.render_widget(table(rows, header, widths, titled(&title)), list);
            frame.render_widget(
                Paragraph::new(wrap_text(
                    app.lang.format(Msg::AckReady, &[&receipt.ack.chars().to_string()]),
                    inner_width(foot),
                ))
                .block(Block::bordered()),
                foot,
            );
        }
        HubView::Ledger => draw_ledger(frame, app, data, area),
        HubView::Advance(form) => draw_form(frame, app, tr(app, Msg::HintAdvance), form, area),
        HubView::Brokers { qr } => {
            let mut lines = vec![
                Line::styled(tr(app, Msg::YourPublicKey), bold()),
                Line::from(data.public_key.clone()),
                Line::from(""),
                Line::styled(tr(app, Msg::BrokersTitle), bold()),
            ];
            if data.brokers.is_empty() {
                lines.push(Line::from(tr(app, Msg::NoBrokersHelp)));
            }
            for b in &data.brokers {
                lines.push(Line::from(
                    app.lang.format(Msg::BrokerLine, &[&b.name, &b.safety_code, &crate::format_time(b.paired_at)]),
                ));
            }
            draw_key_view(frame, app, tr(app, Msg::HintBrokers), lines, &data.public_key, *qr, area);
        }
        HubView::AddBroker(form) => draw_form(frame, app, tr(app, Msg::HintAddBroker), form, area),
        HubView::ExportMedia { form, .. } => draw_form(frame, app, tr(app, Msg::HintExportMedia), form, area),
        HubView::ImportMedia(form) => draw_form(frame, app, tr(app, Msg::HintImportMedia), form, area),
    }
}

fn draw_hub_orders(frame: &mut Frame, app: &App, data: &HubData, m: &MainView, area: Rect) {
    let st = &m.hub;
    let [filters, list, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(4), Constraint::Length(6)]).areas(area);
    let broker = st.broker_filter.clone().unwrap_or_else(|| tr(app, Msg::FilterAll).to_string());
    frame.render_widget(
        Paragraph::new(app.lang.format(Msg::HubFilters, &[&broker, tr(app, filter_msg(st.status_filter))])),
        filters,
    );
    let visible: Vec<&lethe_remit::HubOrder> = data
        .orders
        .iter()
        .filter(|o| st.broker_filter.as_ref().is_none_or(|b| *b == o.broker) && st.status_filter.keeps(o.status))
        .collect();
    let block = titled(tr(app, Msg::HubOrdersTitle));
    if visible.is_empty() {
        let text = if data.brokers.is_empty() { tr(app, Msg::NoBrokersHelp) } else { tr(app, Msg::NoOrders) };
        frame.render_widget(Paragraph::new(wrap_text(text, inner_width(list))).block(block), list);
        return;
    }
    let wide = area.width >= 76;
    let rows = visible
        .iter()
        .map(|o| {
            let mut cells = vec![
                Cell::from(o.broker.clone()),
                Cell::from(o.code.to_string()),
                Cell::from(o.alias.clone()),
                Cell::from(format_amount(o.amount_minor, o.currency)),
                Cell::from(tr(app, status_msg(o.status))),
            ];
            if wide {
                cells.push(Cell::from(deadline_text(o.deadline_minutes)));
            }
            Row::new(cells)
        })
        .collect();
    let mut header = vec![
        tr(app, Msg::ColBroker),
        tr(app, Msg::ColCode),
        tr(app, Msg::ColAlias),
        tr(app, Msg::ColAmount),
        tr(app, Msg::ColStatus),
    ];
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Min(8),
        Constraint::Length(18),
        Constraint::Length(16),
    ];
    if wide {
        header.push(tr(app, Msg::ColDeadline));
        widths.push(Constraint::Length(11));
    }
    let mut state = TableState::default().with_selected(Some(st.selected.min(visible.len() - 1)));
    frame.render_stateful_widget(table(rows, header, widths, block), list, &mut state);
    if let Some(o) = visible.get(st.selected.min(visible.len() - 1)) {
        let mut lines = vec![
            Line::from(app.lang.format(Msg::DetailPlace, &[&o.place_hint])),
            Line::from(app.lang.format(Msg::AskQuestion, &[&o.question])),
            Line::from(app.lang.format(
                Msg::DetailDeadlineFee,
                &[&deadline_text(o.deadline_minutes), &format_amount(o.fee_minor, o.currency)],
            )),
        ];
        if let Some(r) = &o.report {
            let media = match (r.has_media, r.media_imported) {
                (false, _) => "",
                (true, false) => tr(app, Msg::MediaAnnounced),
                (true, true) => tr(app, Msg::MediaHere),
            };
            lines.push(Line::from(format!(
                "{} {}",
                app.lang.format(
                    Msg::DetailReport,
                    &[&format_amount(r.amount_handed_minor, o.currency), &deadline_text(r.delivered_minutes),]
                ),
                media
            )));
        }
        frame.render_widget(Paragraph::new(wrap_text(lines, inner_width(detail))).block(Block::bordered()), detail);
    }
}

fn draw_ledger(frame: &mut Frame, app: &App, data: &HubData, area: Rect) {
    let n = |v: u128, c: Currency| format_number(v as i128, c);
    let rows = data
        .ledger
        .iter()
        .map(|r| {
            Row::new(vec![
                Cell::from(r.broker.clone()),
                Cell::from(r.currency.code()),
                Cell::from(n(r.advanced, r.currency)),
                Cell::from(n(r.delivered, r.currency)),
                Cell::from(n(r.fees_owed, r.currency)),
                Cell::from(n(r.disputed, r.currency)),
                Cell::from(n(r.outstanding, r.currency)),
                Cell::from(format_number(r.balance, r.currency)),
            ])
        })
        .collect();
    let header = vec![
        tr(app, Msg::ColBroker),
        "",
        tr(app, Msg::ColAdvanced),
        tr(app, Msg::ColDelivered),
        tr(app, Msg::ColFees),
        tr(app, Msg::ColDisputed),
        tr(app, Msg::ColOutstanding),
        tr(app, Msg::ColBalance),
    ];
    let widths = vec![
        Constraint::Min(6),
        Constraint::Length(4),
        Constraint::Length(13),
        Constraint::Length(13),
        Constraint::Length(11),
        Constraint::Length(13),
        Constraint::Length(13),
        Constraint::Length(13),
    ];
    let [list, foot] = Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    frame.render_widget(table(rows, header, widths, titled(tr(app, Msg::HintLedger))), list);
    frame.render_widget(Paragraph::new(wrap_text(tr(app, Msg::LedgerExplain), foot.width)), foot);
}

// ------------------------------------------------------------------ settings

fn draw_settings(frame: &mut Frame, app: &App, m: &MainView, area: Rect) {
    let Some(snap) = app.snap() else { return };
    if let Some(form) = &m.settings.hide_form {
        draw_form(frame, app, tr(app, Msg::SetHide), form, area);
        return;
    }
    let block = titled(tr(app, Msg::TabSettings));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let s = &snap.settings;
    let lang_name = match s.lang {
        Lang::Ko => "한국어",
        Lang::Zh => "中文",
        Lang::En => "English",
    };
    let rows = app.setting_rows();
    let values: Vec<(Msg, String, Msg)> = rows
        .iter()
        .map(|r| match r {
            SettingRow::Language => (Msg::SetLanguage, lang_name.to_string(), Msg::SetLanguageExplain),
            SettingRow::IdleLock => (
                Msg::SetIdleLock,
                app.lang.format(Msg::Minutes, &[&(s.idle_lock_secs / 60).to_string()]),
                Msg::SetIdleLockExplain,
            ),
            SettingRow::Camouflage => (
                Msg::SetCamouflage,
                tr(app, if s.camouflage { Msg::On } else { Msg::Off }).to_string(),
                Msg::SetCamouflageExplain,
            ),
            SettingRow::Retention => (
                Msg::SetRetention,
                app.lang.format(Msg::Days, &[&snap.field.as_ref().map_or(0, |f| f.retention_days).to_string()]),
                Msg::SetRetentionExplain,
            ),
            SettingRow::SetUpField => (Msg::SetUpField, String::new(), Msg::SetUpFieldExplain),
            SettingRow::SetUpHub => (Msg::SetUpHub, String::new(), Msg::SetUpHubExplain),
            SettingRow::Hide => (Msg::SetHide, String::new(), Msg::SetHideExplain),
        })
        .collect();
    let selected = m.settings.selected.min(rows.len() - 1);
    let label_width = values.iter().map(|(m, _, _)| str_width(tr(app, *m))).max().unwrap_or(10) + 2;
    let mut lines: Vec<Line> = Vec::new();
    for (i, (msg, value, _)) in values.iter().enumerate() {
        let label = tr(app, *msg);
        let pad = " ".repeat(label_width.saturating_sub(str_width(label)));
        let marker = if i == selected { ">" } else { " " };
        let line = Line::from(format!("{marker} {label}{pad}{value}"));
        lines.push(if i == selected { line.style(highlight()) } else { line });
    }
    lines.push(Line::from(""));
    lines.push(Line::from(tr(app, values[selected].2)));
    frame.render_widget(Paragraph::new(wrap_text(lines, inner.width)), inner);
}

fn draw_progress(frame: &mut Frame, app: &App, job: &super::jobs::Job, now: Instant) {
    let area = centered(frame.area(), 50, 3);
    frame.render_widget(Clear, area);
    let block = titled(tr(app, job.label));
    match job.progress.fraction() {
        Some(f) => frame.render_widget(Gauge::default().block(block).ratio(f), area),
        None => {
            let tick = (now.duration_since(job.started).as_millis() / 150) as usize;
            frame.render_widget(Paragraph::new(SPINNER[tick % SPINNER.len()]).block(block), area);
        }
    }
}
