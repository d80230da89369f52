//! The notes and files of the compartment: list, read, write a note, add a file (and
//! shred its source), export, erase.

use super::{Ctx, Effects};
use crate::app::container::DynVault;
use crate::app::errors::{io_error_text, vault_error_text};
use crate::app::files::{over_sessions, shred_message, write_new_file};
use crate::app::fit::{FitCell, FitCol, fit_table};
use crate::app::forms::{CheckField, Form, FormAction, PathFields, TextField, fields};
use crate::app::i18n::Msg;
use crate::app::jobs::{JobOutcome, JobProgress, Success, WatchedReader};
use crate::app::keys::{command, ctrl, edit_key};
use crate::app::text::{EditKey, SecretString, TextArea, TextInput};
use crate::app::texts::UiText;
use crate::app::widgets::{
    Hints, centered, draw_area, draw_field_box, draw_form, form_hints, human_size, inner_width, titled,
};
use crate::app::wrap::wrap_text;
use lethe_vault::{ItemId, ItemKind};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, TableState};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const MAX_NOTE_BYTES: usize = 1 << 20;

pub struct NotesState {
    pub selected: usize,
    pub view: NotesView,
}

/// Adding a file: where it is, the name to keep, whether to shred the source.
pub struct NewFileFields {
    pub path: TextField,
    pub name: TextField,
    pub shred: CheckField,
}
fields!(NewFileFields { path, name, shred });

pub enum NotesView {
    List,
    Read { id: ItemId, body: SecretString, scroll: u16 },
    NewNote { name: TextInput, body: TextArea, focus: usize },
    NewFile(Form<NewFileFields>),
    Export { id: ItemId, form: Form<PathFields> },
    ConfirmDelete { id: ItemId },
}

fn export_form() -> Form<PathFields> {
    PathFields::form(Msg::FieldExportPath, Some(Msg::ExportWarning))
}

impl NotesState {
    pub fn new() -> NotesState {
        NotesState { selected: 0, view: NotesView::List }
    }

    /// Back to the list (after a job, or when the tab is left).
    pub fn back(&mut self) {
        self.view = NotesView::List;
    }

    /// Selects the item `id` if it is listed.
    pub fn select(&mut self, items: &[ItemId], id: ItemId) {
        if let Some(pos) = items.iter().position(|i| *i == id) {
            self.selected = pos;
        }
    }

    pub fn in_form(&self) -> bool {
        matches!(self.view, NotesView::NewNote { .. } | NotesView::NewFile(_) | NotesView::Export { .. })
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.view {
            NotesView::NewNote { name, body, focus } => {
                if *focus == 0 {
                    name.insert_str(text)
                } else {
                    body.insert_str(text)
                }
            }
            NotesView::NewFile(f) => f.paste(text.trim()),
            NotesView::Export { form, .. } => form.paste(text.trim()),
            _ => {}
        }
    }

    pub fn key(&mut self, key: &KeyEvent, cx: &Ctx, fx: &mut Effects) {
        let next = match &mut self.view {
            NotesView::List => list_key(&mut self.selected, key, cx, fx),
            NotesView::Read { id, scroll, .. } => read_key(*id, scroll, key),
            NotesView::NewNote { name, body, focus } => new_note_key(name, body, focus, key, cx.width, fx),
            NotesView::NewFile(form) => new_file_key(form, key, fx),
            NotesView::Export { id, form } => export_key(*id, form, key, fx),
            NotesView::ConfirmDelete { id } => confirm_delete_key(*id, key, fx),
        };
        if let Some(view) = next {
            self.view = view;
        }
    }

    pub fn hints(&self, cx: &Ctx, h: &mut Hints) {
        match &self.view {
            NotesView::List => {
                h.push(("↑↓", cx.tr(Msg::HintSelect)));
                h.push(("Enter", cx.tr(Msg::HintRead)));
                h.push(("n", cx.tr(Msg::HintNewNote)));
                h.push(("f", cx.tr(Msg::HintAddFile)));
                h.push(("e", cx.tr(Msg::HintExport)));
                h.push(("d", cx.tr(Msg::HintDelete)));
            }
            NotesView::Read { .. } => {
                h.push(("Esc", cx.tr(Msg::HintBack)));
                h.push(("↑↓", cx.tr(Msg::HintScroll)));
                h.push(("e", cx.tr(Msg::HintExport)));
                h.push(("d", cx.tr(Msg::HintDelete)));
            }
            NotesView::NewNote { .. } => {
                h.push(("Ctrl-S", cx.tr(Msg::HintSave)));
                h.push(("Tab", cx.tr(Msg::HintNextField)));
                h.push(("Esc", cx.tr(Msg::HintCancel)));
            }
            NotesView::NewFile(_) | NotesView::Export { .. } => form_hints(cx.lang, h),
            NotesView::ConfirmDelete { .. } => {
                h.push(("y", cx.tr(Msg::HintYesErase)));
                h.push((cx.tr(Msg::KeyOther), cx.tr(Msg::HintCancel)));
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Ctx, area: Rect) {
        let snap = cx.snap;
        match &self.view {
            NotesView::List | NotesView::ConfirmDelete { .. } => {
                // Free space as this compartment sees it: the figure a notes app shows anyway.
                let free =
                    cx.lang.format(Msg::FreeSpace, &[&human_size(snap.free_bytes), &human_size(snap.container_bytes)]);
                let block = titled(cx.tr(Msg::TabNotes)).title_top(Line::from(format!(" {free} ")).right_aligned());
                if snap.items.is_empty() {
                    frame.render_widget(Paragraph::new(cx.tr(Msg::NoNotes)).block(block), area);
                } else {
                    // Phones have narrow terminals: the date goes first when space is short.
                    let wide = area.width >= 64;
                    let rows = snap
                        .items
                        .iter()
                        .map(|i| {
                            let mut cells = vec![
                                FitCell::new(if i.name.is_empty() { "-".to_string() } else { i.name.clone() }),
                                FitCell::new(kind_name(cx, i.kind)),
                                FitCell::new(human_size(i.size)),
                            ];
                            if wide {
                                cells.push(FitCell::new(lethe_remit::time::format_time(i.created_unix)));
                            }
                            cells
                        })
                        .collect();
                    let mut cols = vec![
                        FitCol::wrapping(cx.tr(Msg::ColName)),
                        FitCol::fixed(cx.tr(Msg::ColKind)),
                        FitCol::fixed(cx.tr(Msg::ColSize)),
                    ];
                    if wide {
                        cols.push(FitCol::optional(cx.tr(Msg::ColDate)));
                    }
                    let mut state = TableState::default().with_selected(Some(self.selected));
                    frame.render_stateful_widget(fit_table(&cols, rows, inner_width(area), block), area, &mut state);
                }
                if let NotesView::ConfirmDelete { id } = &self.view {
                    let name = snap.items.iter().find(|i| i.id == *id).map(|i| i.name.clone()).unwrap_or_default();
                    let popup = centered(area, 60, 5);
                    frame.render_widget(Clear, popup);
                    frame.render_widget(
                        Paragraph::new(wrap_text(cx.lang.format(Msg::ConfirmErase, &[&name]), inner_width(popup)))
                            .block(titled(cx.tr(Msg::HintDelete))),
                        popup,
                    );
                }
            }
            NotesView::Read { id, body, scroll } => {
                let info = snap.items.iter().find(|i| i.id == *id);
                let title = info.map(|i| i.name.clone()).unwrap_or_default();
                let content = match info {
                    Some(i) if i.kind != ItemKind::Note => cx
                        .lang
                        .format(Msg::FileInfo, &[&human_size(i.size), &lethe_remit::time::format_time(i.created_unix)]),
                    _ => body.as_str().to_string(),
                };
                frame.render_widget(
                    Paragraph::new(wrap_text(content, inner_width(area))).scroll((*scroll, 0)).block(titled(&title)),
                    area,
                );
            }
            NotesView::NewNote { name, body, focus } => {
                let [top, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
                draw_field_box(frame, cx.tr(Msg::FieldTitle), name, top, *focus == 0);
                draw_area(frame, cx.tr(Msg::FieldNoteText), body, rest, *focus == 1);
            }
            NotesView::NewFile(form) => draw_form(frame, cx.lang, cx.tr(Msg::HintAddFile), form, area),
            NotesView::Export { form, .. } => draw_form(frame, cx.lang, cx.tr(Msg::HintExport), form, area),
        }
    }
}

fn kind_name(cx: &Ctx, kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Note => cx.tr(Msg::KindNote),
        _ => cx.tr(Msg::KindFile),
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    line.chars().take(40).collect()
}

/// The list: move, read, new note or file, export, erase.
fn list_key(selected: &mut usize, key: &KeyEvent, cx: &Ctx, fx: &mut Effects) -> Option<NotesView> {
    let items = &cx.snap.items;
    let selected_id = items.get(*selected).map(|i| i.id);
    match (key.code, command(key)) {
        (KeyCode::Up, _) | (_, Some('k')) => *selected = selected.saturating_sub(1),
        (KeyCode::Down, _) | (_, Some('j')) => *selected = (*selected + 1).min(items.len().saturating_sub(1)),
        (KeyCode::Enter, _) => {
            let id = selected_id?;
            match open_item(cx, id) {
                Some(view) => return Some(view),
                None => fx.complain(UiText::with(Msg::ErrItemDamaged, &[&id.to_string()])),
            }
        }
        (_, Some('n')) => {
            return Some(NotesView::NewNote {
                name: TextInput::new(200),
                body: TextArea::new(MAX_NOTE_BYTES),
                focus: 1,
            });
        }
        (_, Some('f')) => {
            return Some(NotesView::NewFile(
                Form::new(NewFileFields {
                    path: TextField::path(Msg::FieldPath),
                    name: TextField::new(Msg::FieldNameOptional, 200),
                    shred: CheckField::new(Msg::ShredSource, true),
                })
                .with_note(Msg::ShredExplain),
            ));
        }
        (_, Some('e')) => return selected_id.map(|id| NotesView::Export { id, form: export_form() }),
        (KeyCode::Delete, _) | (_, Some('d')) => return selected_id.map(|id| NotesView::ConfirmDelete { id }),
        _ => {}
    }
    None
}

/// Reading a note: scroll, export, erase, back.
fn read_key(id: ItemId, scroll: &mut u16, key: &KeyEvent) -> Option<NotesView> {
    match (key.code, command(key)) {
        (KeyCode::Esc | KeyCode::Left, _) => return Some(NotesView::List),
        (KeyCode::Up, _) => *scroll = scroll.saturating_sub(1),
        (KeyCode::Down, _) => *scroll = scroll.saturating_add(1),
        (KeyCode::PageUp, _) => *scroll = scroll.saturating_sub(10),
        (KeyCode::PageDown, _) => *scroll = scroll.saturating_add(10),
        (_, Some('e')) => return Some(NotesView::Export { id, form: export_form() }),
        (KeyCode::Delete, _) | (_, Some('d')) => return Some(NotesView::ConfirmDelete { id }),
        _ => {}
    }
    None
}

/// Writing a new note: its name and body (Tab between them), Ctrl-S saves.
fn new_note_key(
    name: &mut TextInput,
    body: &mut TextArea,
    focus: &mut usize,
    key: &KeyEvent,
    width: usize,
    fx: &mut Effects,
) -> Option<NotesView> {
    if key.code == KeyCode::Esc {
        return Some(NotesView::List);
    }
    if key.code == KeyCode::Tab || key.code == KeyCode::BackTab {
        *focus = 1 - *focus;
    } else if ctrl(key, 's') {
        if body.is_empty() {
            fx.complain(UiText::new(Msg::ErrEmptyNote));
            return None;
        }
        let item_name = if name.is_empty() { first_line(body.text()) } else { name.text().to_string() };
        let content = SecretString::from_text(body.text());
        fx.run(Msg::Saving, move |vault, _, _| {
            let before = vault.sessions_started();
            let id =
                vault.add(ItemKind::Note, &item_name, content.as_str().as_bytes()).map_err(|e| vault_error_text(&e))?;
            let done = over_sessions(UiText::new(Msg::NoteSaved), vault, before);
            Ok(Success { select: Some(id), ..Success::new(done) })
        });
    } else if let Some(k) = edit_key(key) {
        if *focus == 1 {
            body.edit(&k, width);
        } else if k == EditKey::Enter {
            *focus = 1;
        } else {
            name.edit(&k);
        }
    }
    None
}

/// Adding a file: its path, a name, whether to shred the original.
fn new_file_key(form: &mut Form<NewFileFields>, key: &KeyEvent, fx: &mut Effects) -> Option<NotesView> {
    match form.key(key) {
        FormAction::Cancel => return Some(NotesView::List),
        FormAction::Submit => {
            let f = &form.fields;
            let source = PathBuf::from(f.path.trimmed());
            if source.as_os_str().is_empty() {
                return None;
            }
            let item_name = if f.name.trimmed().is_empty() {
                source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            } else {
                f.name.trimmed().to_string()
            };
            let shred = f.shred.on;
            fx.run(Msg::Importing, move |vault, progress, abort| {
                import_file(vault, &source, &item_name, shred, progress, abort)
            });
        }
        FormAction::None => {}
    }
    None
}

/// Exporting item `id` to a new file.
fn export_key(id: ItemId, form: &mut Form<PathFields>, key: &KeyEvent, fx: &mut Effects) -> Option<NotesView> {
    match form.key(key) {
        FormAction::Cancel => return Some(NotesView::List),
        FormAction::Submit => {
            let target = PathBuf::from(form.fields.path.trimmed());
            if target.as_os_str().is_empty() {
                return None;
            }
            fx.run(Msg::Exporting, move |vault, progress, abort| {
                let total = vault.info(id).map_err(|e| vault_error_text(&e))?.size;
                write_new_file(&target, abort, |w| {
                    vault.read_to(id, w, &mut |d| progress.set(d, total)).map_err(|e| vault_error_text(&e))
                })?;
                Ok(Success {
                    select: Some(id),
                    ..Success::new(UiText::with(Msg::Exported, &[&target.display().to_string()]))
                })
            });
        }
        FormAction::None => {}
    }
    None
}

/// "Erase this item?": y erases (the question stays until the job is done), any other key
/// goes back to the list.
fn confirm_delete_key(id: ItemId, key: &KeyEvent, fx: &mut Effects) -> Option<NotesView> {
    if command(key) != Some('y') {
        return Some(NotesView::List);
    }
    fx.run(Msg::Erasing, move |vault, _, _| {
        vault.remove(id).map_err(|e| vault_error_text(&e))?;
        Ok(Success::new(UiText::new(Msg::Erased)))
    });
    None
}

fn open_item(cx: &Ctx, id: ItemId) -> Option<NotesView> {
    let vault = cx.vault?;
    let info = cx.snap.items.iter().find(|i| i.id == id)?;
    let body = if info.kind == ItemKind::Note {
        let bytes = vault.read(id).ok()?;
        SecretString::from_text(&String::from_utf8_lossy(bytes.as_slice()))
    } else {
        SecretString::default()
    };
    Some(NotesView::Read { id, body, scroll: 0 })
}

fn import_file(
    vault: &mut DynVault,
    source: &Path,
    name: &str,
    shred: bool,
    progress: &JobProgress,
    abort: &AtomicBool,
) -> JobOutcome {
    let meta = std::fs::metadata(source).map_err(|e| io_error_text(&e))?;
    if !meta.is_file() {
        return Err(UiText::new(Msg::ErrNotAFile));
    }
    let file = std::fs::File::open(source).map_err(|e| io_error_text(&e))?;
    let total = meta.len();
    let mut reader = WatchedReader { inner: file, progress, abort, done: 0, total };
    let before = vault.sessions_started();
    let id = vault
        .add_from_reader(ItemKind::File, name, &mut reader, Some(total), &mut |_| {})
        .map_err(|e| vault_error_text(&e))?;
    drop(reader);
    let imported = over_sessions(UiText::new(Msg::Imported), vault, before);
    let message = if shred { shred_message(source, imported) } else { imported };
    Ok(Success { select: Some(id), ..Success::new(message) })
}
