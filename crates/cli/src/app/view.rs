//! Drawing the app: the header with the tabs, the current screen (each screen draws
//! itself), the status line, the key hints and the progress of a running job. Reads `App`,
//! changes nothing.

use super::i18n::Msg;
use super::jobs::Job;
use super::screens::Tab;
use super::screens::create::CreateView;
use super::screens::lock::UnlockView;
use super::state::{App, MainView, PROGRESS_AFTER, Screen};
use super::widgets::{Hints, SPINNER, bold, centered, draw_hints, highlight, hints_height, titled};
use super::wrap::wrap_text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Gauge, Paragraph};
use std::time::Instant;

pub fn draw(frame: &mut Frame, app: &App, now: Instant) {
    let area = frame.area();
    let lang = app.lang;
    // A QR code to show takes the whole screen: every row counts.
    if let Screen::Main(m) = &app.screen
        && let Some(o) = m.outgoing.as_ref().filter(|o| o.full_screen_qr())
    {
        o.draw_qr_screen(frame, lang, area);
        return;
    }
    let hint_list: Hints = match &app.screen {
        Screen::Unlock(_) => UnlockView::hints(lang),
        Screen::Create(_) => CreateView::hints(lang),
        // Only what works: nothing is left to open; a new notebook can be made.
        Screen::Wiped => vec![("n", lang.tr(Msg::HintNewNotebook)), (lang.tr(Msg::KeyCtrlQ), lang.tr(Msg::HintQuit))],
        Screen::Main(m) => main_hints(app, m),
    };
    let hint_rows = hints_height(&hint_list, area.width);
    // The status wraps onto up to three rows: a path and the command to remove it must show whole.
    let status_text = app.status.as_ref().map(|s| (wrap_text(s.text.render(lang), area.width), s.error));
    let status_rows = status_text.as_ref().map_or(1, |(t, _)| t.lines.len().clamp(1, 3) as u16);
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(status_rows),
        Constraint::Length(hint_rows),
    ])
    .areas(area);
    match &app.screen {
        Screen::Unlock(u) => {
            draw_header(frame, app, header, None);
            let opening = app.job.as_ref().filter(|j| j.label == Msg::Opening).map(|j| j.started);
            u.draw(frame, lang, body, opening, app.container_len(), now);
        }
        Screen::Create(c) => {
            draw_header(frame, app, header, None);
            c.draw(frame, lang, body);
        }
        Screen::Wiped => {
            // The same as an empty notes list in camouflage.
            draw_header(frame, app, header, Some(Tab::Notes));
            frame.render_widget(Paragraph::new(lang.tr(Msg::NoNotes)).block(titled(lang.tr(Msg::TabNotes))), body);
        }
        Screen::Main(m) => {
            draw_header(frame, app, header, Some(m.tab));
            if let Some(o) = &m.outgoing {
                o.draw(frame, lang, body);
            } else if let Some(cx) = app.ctx() {
                match m.tab {
                    Tab::Notes => m.notes.draw(frame, &cx, body),
                    Tab::Field => m.field.draw(frame, &cx, body),
                    Tab::Hub => m.hub.draw(frame, &cx, body),
                    Tab::Settings => m.settings.draw(frame, &cx, body),
                }
            }
        }
    }
    draw_hints(frame, hints, &hint_list);
    if let Some((text, error)) = status_text {
        let style = if error { Style::default().fg(Color::Red) } else { Style::default().fg(Color::Green) };
        frame.render_widget(Paragraph::new(text).style(style), status);
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
            let name = app.lang.tr(t.name());
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

fn main_hints(app: &App, m: &MainView) -> Hints {
    let lang = app.lang;
    let mut h: Hints = Vec::new();
    if let Some(o) = &m.outgoing {
        o.hints(lang, &mut h);
    } else if let Some(cx) = app.ctx() {
        match m.tab {
            Tab::Notes => m.notes.hints(&cx, &mut h),
            Tab::Field => m.field.hints(&cx, &mut h),
            Tab::Hub => m.hub.hints(&cx, &mut h),
            Tab::Settings => m.settings.hints(&cx, &mut h),
        }
    }
    if !m.in_form() && m.outgoing.is_none() {
        h.push(("Tab", lang.tr(Msg::HintNextTab)));
    }
    h.push(("Ctrl-L", lang.tr(Msg::HintLock)));
    h.push((lang.tr(Msg::KeyCtrlQ), lang.tr(Msg::HintQuit)));
    h
}

fn draw_progress(frame: &mut Frame, app: &App, job: &Job, now: Instant) {
    let area = centered(frame.area(), 50, 3);
    frame.render_widget(Clear, area);
    let block = titled(app.lang.tr(job.label));
    match job.progress.fraction() {
        Some(f) => frame.render_widget(Gauge::default().block(block).ratio(f), area),
        None => {
            let tick = (now.duration_since(job.started).as_millis() / 150) as usize;
            frame.render_widget(Paragraph::new(SPINNER[tick % SPINNER.len()]).block(block), area);
        }
    }
}
