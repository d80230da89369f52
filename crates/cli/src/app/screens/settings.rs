//! The settings screen: language, idle lock, camouflage, the field's retention window and
//! cover text, setting up a role, making a hidden compartment. Settings are kept inside the
//! compartment (see `app::settings`).

use super::outgoing::form_name;
use super::{Ctx, Effects, now_unix, remit_err};
use crate::app::container::DynVault;
use crate::app::errors::vault_error_text;
use crate::app::forms::{Form, FormAction, MAX_PASSPHRASE_CHARS, TextField, fields};
use crate::app::i18n::{Lang, Msg};
use crate::app::jobs::{JobProgress, Session, Success, VaultWork};
use crate::app::keys::ctrl;
use crate::app::snapshot::Snapshot;
use crate::app::text::str_width;
use crate::app::texts::UiText;
use crate::app::widgets::{Hints, draw_form, form_hints, highlight, titled};
use crate::app::wrap::wrap_text;
use lethe_protocol::cover::CoverStyle;
use lethe_vault::{KdfParams, Passphrase};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::sync::atomic::AtomicBool;

/// Rows of the settings screen; which ones exist depends on the compartment's roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingRow {
    Language,
    IdleLock,
    Camouflage,
    Retention,
    Cover,
    SetUpField,
    SetUpHub,
    Hide,
}

/// A new hidden compartment: its passphrase, twice.
pub struct HideFields {
    pub passphrase: TextField,
    pub again: TextField,
}
fields!(HideFields { passphrase, again });

pub struct SettingsState {
    pub selected: usize,
    pub hide_form: Option<Form<HideFields>>,
    /// With camouflage on, the rows that set up a role or make a hidden compartment are
    /// left out until Ctrl-E (which no hint names) shows them, until the tab is left.
    pub extra: bool,
}

/// The rows the settings screen has for this compartment. With camouflage on (and the
/// extra rows not asked for) only what an ordinary notes app has, and the field's
/// retention if the compartment is a field broker's.
pub fn rows(snap: &Snapshot, extra: bool) -> Vec<SettingRow> {
    let mut rows = vec![SettingRow::Language, SettingRow::IdleLock, SettingRow::Camouflage];
    let all = extra || !snap.settings.camouflage;
    if let Some(field) = &snap.field {
        rows.push(SettingRow::Retention);
        if field.safety_code.is_some() {
            rows.push(SettingRow::Cover);
        }
    } else if all {
        rows.push(SettingRow::SetUpField);
    }
    if all {
        if snap.hub.is_none() {
            rows.push(SettingRow::SetUpHub);
        }
        rows.push(SettingRow::Hide);
    }
    rows
}

impl SettingsState {
    pub fn new() -> SettingsState {
        SettingsState { selected: 0, hide_form: None, extra: false }
    }

    /// Closes the hide form (after a job).
    pub fn back(&mut self) {
        self.hide_form = None;
    }

    /// The tab was left: the extra rows go away again.
    pub fn leave(&mut self) {
        self.extra = false;
    }

    pub fn in_form(&self) -> bool {
        self.hide_form.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = &mut self.hide_form {
            f.paste(text.trim());
        }
    }

    /// Handles a key. Changed settings are saved at once (in the open vault); work that
    /// takes longer goes to `fx`.
    pub fn key(&mut self, key: &KeyEvent, session: &mut Session, kdf: KdfParams, fx: &mut Effects) {
        if let Some(form) = &mut self.hide_form {
            if hide_form_key(form, key, kdf, fx) {
                self.hide_form = None;
            }
            return;
        }
        if ctrl(key, 'e') {
            self.extra = !self.extra;
            return;
        }
        let rows = rows(&session.snap, self.extra);
        let retention = session.snap.field.as_ref().map(|f| f.retention_days);
        let forward = !matches!(key.code, KeyCode::Left);
        let row = rows.get(self.selected).copied();
        let mut changed = false;
        let mut job: Option<Box<VaultWork>> = None;
        match key.code {
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(rows.len() - 1),
            KeyCode::Left | KeyCode::Right | KeyCode::Enter | KeyCode::Char(' ') => match row {
                Some(SettingRow::Language) => {
                    let s = &mut session.snap.settings;
                    s.lang = if forward { s.lang.next() } else { s.lang.prev() };
                    changed = true;
                }
                Some(SettingRow::IdleLock) => {
                    let s = &mut session.snap.settings;
                    s.idle_lock_secs = s.next_idle_lock(forward);
                    changed = true;
                }
                Some(SettingRow::Camouflage) => {
                    session.snap.settings.camouflage = !session.snap.settings.camouflage;
                    changed = true;
                }
                Some(SettingRow::Retention) => job = Some(retention_job(retention.unwrap_or(7), forward)),
                Some(SettingRow::Cover) => {
                    job = Some(cover_job(session.snap.field.as_ref().and_then(|f| f.cover), forward));
                }
                Some(SettingRow::SetUpField) | Some(SettingRow::SetUpHub) if key.code == KeyCode::Enter => {
                    job = Some(set_up_job(row == Some(SettingRow::SetUpHub)));
                }
                Some(SettingRow::Hide) if key.code == KeyCode::Enter => {
                    self.hide_form = Some(hide_form(session.snap.format_version));
                }
                _ => {}
            },
            _ => {}
        }
        if changed && let Some(vault) = &mut session.vault {
            match session.snap.settings.save(vault, session.snap.settings_id) {
                Ok(id) => {
                    session.snap.settings_id = Some(id);
                    fx.say(UiText::new(Msg::SettingsSaved));
                }
                Err(e) => fx.complain(vault_error_text(&e)),
            }
        }
        if let Some(work) = job {
            fx.job = Some((Msg::Saving, work));
        }
    }

    pub fn hints(&self, cx: &Ctx, h: &mut Hints) {
        if self.hide_form.is_some() {
            form_hints(cx.lang, h);
        } else {
            h.push(("↑↓", cx.tr(Msg::HintSelect)));
            h.push(("←→/Enter", cx.tr(Msg::HintChange)));
        }
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Ctx, area: Rect) {
        let snap = cx.snap;
        if let Some(form) = &self.hide_form {
            draw_form(frame, cx.lang, cx.tr(Msg::SetHide), form, area);
            return;
        }
        let block = titled(cx.tr(Msg::TabSettings));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let s = &snap.settings;
        let lang_name = match s.lang {
            Lang::Ko => "한국어",
            Lang::Zh => "中文",
            Lang::En => "English",
        };
        let rows = rows(snap, self.extra);
        let values: Vec<(Msg, String, Msg)> = rows
            .iter()
            .map(|r| match r {
                SettingRow::Language => (Msg::SetLanguage, lang_name.to_string(), Msg::SetLanguageExplain),
                SettingRow::IdleLock => (
                    Msg::SetIdleLock,
                    cx.lang.format(Msg::Minutes, &[&(s.idle_lock_secs / 60).to_string()]),
                    Msg::SetIdleLockExplain,
                ),
                SettingRow::Camouflage => (
                    Msg::SetCamouflage,
                    cx.tr(if s.camouflage { Msg::On } else { Msg::Off }).to_string(),
                    Msg::SetCamouflageExplain,
                ),
                SettingRow::Retention => (
                    Msg::SetRetention,
                    cx.lang.format(Msg::Days, &[&snap.field.as_ref().map_or(0, |f| f.retention_days).to_string()]),
                    Msg::SetRetentionExplain,
                ),
                SettingRow::Cover => (
                    Msg::SetCover,
                    cx.tr(form_name(snap.field.as_ref().and_then(|f| f.cover))).to_string(),
                    Msg::SetCoverExplain,
                ),
                SettingRow::SetUpField => (Msg::SetUpField, String::new(), Msg::SetUpFieldExplain),
                SettingRow::SetUpHub => (Msg::SetUpHub, String::new(), Msg::SetUpHubExplain),
                SettingRow::Hide => (Msg::SetHide, String::new(), Msg::SetHideExplain),
            })
            .collect();
        let selected = self.selected.min(rows.len() - 1);
        let label_width = values.iter().map(|(m, _, _)| str_width(cx.tr(*m))).max().unwrap_or(10) + 2;
        let mut lines: Vec<Line> = Vec::new();
        for (i, (msg, value, _)) in values.iter().enumerate() {
            let label = cx.tr(*msg);
            let pad = " ".repeat(label_width.saturating_sub(str_width(label)));
            let marker = if i == selected { ">" } else { " " };
            let line = Line::from(format!("{marker} {label}{pad}{value}"));
            lines.push(if i == selected { line.style(highlight()) } else { line });
        }
        lines.push(Line::from(""));
        lines.push(Line::from(cx.tr(values[selected].2)));
        frame.render_widget(Paragraph::new(wrap_text(lines, inner.width)), inner);
    }
}

/// The form that makes a hidden compartment: its passphrase twice, with the warning for the
/// container's format.
fn hide_form(format_version: u8) -> Form<HideFields> {
    Form::new(HideFields {
        passphrase: TextField::secret(Msg::FieldNewPassphrase, MAX_PASSPHRASE_CHARS),
        again: TextField::secret(Msg::FieldRepeatPassphrase, MAX_PASSPHRASE_CHARS),
    })
    .with_note(if format_version == 1 { Msg::HideExplainV1 } else { Msg::HideExplainV2 })
}

/// A key in the hide form; true when the form is done with (cancelled).
fn hide_form_key(form: &mut Form<HideFields>, key: &KeyEvent, kdf: KdfParams, fx: &mut Effects) -> bool {
    match form.key(key) {
        FormAction::Cancel => return true,
        FormAction::Submit => {
            let f = &form.fields;
            if f.passphrase.text().is_empty() {
                fx.complain(UiText::new(Msg::ErrEmptyPassphrase));
            } else if f.passphrase.text() != f.again.text() {
                form.clear_texts();
                form.focus = 0;
                fx.complain(UiText::new(Msg::ErrPassphrasesDiffer));
            } else {
                let new = Passphrase::new(f.passphrase.text().as_bytes());
                form.clear_texts();
                fx.run(Msg::Hiding, move |vault, _, _| {
                    vault.hide(&new, kdf).map_err(|e| vault_error_text(&e))?;
                    Ok(Success::new(UiText::new(Msg::HiddenMade)))
                });
            }
        }
        FormAction::None => {}
    }
    false
}

/// The next (or previous) retention from `current` days, as a job that sets it.
fn retention_job(current: u32, forward: bool) -> Box<VaultWork> {
    const CHOICES: [u32; 7] = [1, 2, 3, 7, 14, 30, 90];
    let pos = CHOICES.iter().position(|&c| c >= current).unwrap_or(3);
    let days = if forward { CHOICES[(pos + 1).min(CHOICES.len() - 1)] } else { CHOICES[pos.saturating_sub(1)] };
    Box::new(move |vault: &mut DynVault, _: &JobProgress, _: &AtomicBool| {
        let erased = lethe_remit::Field::open(vault, now_unix())
            .and_then(|mut f| f.set_retention_days(days))
            .map_err(remit_err)?;
        Ok(Success::new(UiText::with(
            Msg::RetentionSet,
            &[&days.to_string(), &(erased.orders + erased.reports).to_string()],
        )))
    })
}

/// The next (or previous) cover form after `current`, as a job that sets it.
fn cover_job(current: Option<CoverStyle>, forward: bool) -> Box<VaultWork> {
    const FORMS: [Option<CoverStyle>; 3] = [None, Some(CoverStyle::KoMarket), Some(CoverStyle::ZhMarket)];
    let pos = FORMS.iter().position(|f| *f == current).unwrap_or(0);
    let step = if forward { 1 } else { FORMS.len() - 1 };
    let form = FORMS[(pos + step) % FORMS.len()];
    Box::new(move |vault: &mut DynVault, _: &JobProgress, _: &AtomicBool| {
        lethe_remit::Field::open(vault, now_unix()).and_then(|mut f| f.set_cover_setting(form)).map_err(remit_err)?;
        Ok(Success::new(UiText::with_msg(Msg::CoverSet, form_name(form))))
    })
}

/// A job that sets this container up as a hub's or a broker's.
fn set_up_job(hub: bool) -> Box<VaultWork> {
    Box::new(move |vault: &mut DynVault, _: &JobProgress, _: &AtomicBool| {
        let now = now_unix();
        if hub {
            lethe_remit::Hub::init(vault, now).map_err(remit_err)?;
        } else {
            lethe_remit::Field::init(vault, now).map_err(remit_err)?;
        }
        Ok(Success::new(UiText::new(if hub { Msg::HubReady } else { Msg::FieldReady })))
    })
}
