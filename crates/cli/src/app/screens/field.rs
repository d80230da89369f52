//! The field broker's screen: orders held, a delivery (the recipient's answer, a photo),
//! the outbox of sealed reports, the inbox, and the pairing with the hub.

use super::{Ctx, Effects, now_unix, remit_err};
use crate::app::container::DynVault;
use crate::app::errors::io_error_text;
use crate::app::files::shred_message;
use crate::app::fit::{FitCell, FitCol, amount_cell, fit_table};
use crate::app::forms::{CheckField, Form, FormAction, PathFields, TextField, fields};
use crate::app::i18n::Msg;
use crate::app::inbox::{InboxForm, Pasted};
use crate::app::jobs::{JobOutcome, JobProgress, Success, Then, WatchedReader};
use crate::app::keys::command;
use crate::app::snapshot::FieldData;
use crate::app::text::SecretString;
use crate::app::texts::UiText;
use crate::app::widgets::{
    Hints, bold, draw_form, draw_key_view, draw_pair_text, form_hints, human_size, inner_width, titled,
};
use crate::app::wrap::wrap_text;
use crate::media::{MediaError, MediaInput};
use crate::words;
use lethe_protocol::pairing::PairText;
use lethe_remit::{Delivery, DeliveryMedia, Field, OrderCode, Received, format_amount, time};
use lethe_vault::ItemId;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, TableState};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

pub struct FieldState {
    pub selected: usize,
    pub view: FieldView,
}

/// A delivery: the amount handed over, the recipient's answer (masked), a photo, shred it,
/// send a file that is not a JPEG, PNG, MP4 or MOV as it is (with its metadata).
pub struct DeliverFields {
    pub amount: TextField,
    pub answer: TextField,
    pub photo: TextField,
    pub shred: CheckField,
    pub keep_metadata: CheckField,
}
fields!(DeliverFields { amount, answer, photo, shred, keep_metadata });

/// Pairing with the hub: its public key.
pub struct PairFields {
    pub hub_key: TextField,
}
fields!(PairFields { hub_key });

pub enum FieldView {
    Orders,
    Deliver {
        code: OrderCode,
        form: Form<DeliverFields>,
    },
    Outbox {
        selected: usize,
    },
    ExportMedia {
        item: ItemId,
        form: Form<PathFields>,
    },
    Inbox(InboxForm),
    /// Own key (text or QR) and the pairing's safety code.
    Pairing {
        qr: bool,
    },
    PairForm(Form<PairFields>),
    /// A text of remote pairing to send to the hub (the request, or the last step).
    PairText {
        title: Msg,
        text: String,
        code: Option<String>,
        qr: bool,
    },
}

impl FieldState {
    pub fn new() -> FieldState {
        FieldState { selected: 0, view: FieldView::Orders }
    }

    /// Back to the orders (after a job).
    pub fn back(&mut self) {
        self.view = FieldView::Orders;
    }

    pub fn show_pairing(&mut self) {
        self.view = FieldView::Pairing { qr: false };
    }

    pub fn show_pair_text(&mut self, title: Msg, text: String, code: Option<String>) {
        self.view = FieldView::PairText { title, text, code, qr: false };
    }

    pub fn in_form(&self) -> bool {
        matches!(
            &self.view,
            FieldView::Deliver { .. } | FieldView::ExportMedia { .. } | FieldView::Inbox(_) | FieldView::PairForm(_)
        )
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.view {
            FieldView::Inbox(i) => i.paste(text),
            FieldView::Deliver { form, .. } => form.paste(text.trim()),
            FieldView::ExportMedia { form, .. } => form.paste(text.trim()),
            FieldView::PairForm(form) => form.paste(text.trim()),
            _ => {}
        }
    }

    /// A key on the field's screen, handled by the view it is on; a view returns the view to
    /// go to, if any.
    pub fn key(&mut self, key: &KeyEvent, cx: &Ctx, fx: &mut Effects) {
        let Some(data) = &cx.snap.field else { return };
        let next = match &mut self.view {
            FieldView::Orders => self.orders_key(key, cx, data, fx),
            FieldView::Deliver { code, form } => deliver_key(*code, form, key, data, fx),
            FieldView::Outbox { selected } => outbox_key(selected, key, data, fx),
            FieldView::ExportMedia { item, form } => export_media_key(*item, form, key, fx),
            FieldView::Inbox(inbox) => inbox_key(inbox, key, cx.width, fx),
            FieldView::Pairing { qr } => pairing_key(qr, key, data, fx),
            FieldView::PairText { qr, .. } => pair_text_key(qr, key),
            FieldView::PairForm(form) => pair_form_key(form, key, fx),
        };
        if let Some(view) = next {
            self.view = view;
        }
    }

    /// The order list: moving, Enter to deliver the chosen order, and the keys of the other views.
    fn orders_key(&mut self, key: &KeyEvent, cx: &Ctx, data: &FieldData, fx: &mut Effects) -> Option<FieldView> {
        match (key.code, command(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => self.selected = self.selected.saturating_sub(1),
            (KeyCode::Down, _) | (_, Some('j')) => {
                self.selected = (self.selected + 1).min(data.orders.len().saturating_sub(1))
            }
            (KeyCode::Enter, _) => {
                let order = data.orders.get(self.selected)?;
                if order.delivered_at.is_some() {
                    fx.complain(UiText::with(Msg::ErrAlreadyDelivered, &[&order.code.to_string()]));
                    return None;
                }
                let amount = lethe_remit::format_number(i128::from(order.amount_minor), order.currency);
                let mut form = Form::new(DeliverFields {
                    amount: TextField::with(Msg::FieldAmountHanded, 40, &amount),
                    answer: TextField::secret(Msg::FieldRecipientAnswer, 200),
                    photo: TextField::path(Msg::FieldPhotoOptional),
                    shred: CheckField::new(Msg::ShredPhoto, true),
                    keep_metadata: CheckField::new(Msg::KeepMetadata, false),
                })
                .with_note(Msg::DeliverNote);
                form.focus = 1;
                form.info = vec![
                    format!("{}  {}", order.code, order.alias),
                    cx.lang.format(Msg::AskQuestion, &[&order.question]),
                ];
                return Some(FieldView::Deliver { code: order.code, form });
            }
            (_, Some('i')) => return Some(FieldView::Inbox(InboxForm::new())),
            (_, Some('m')) => return Some(FieldView::Outbox { selected: 0 }),
            (_, Some('p')) => return Some(FieldView::Pairing { qr: false }),
            _ => {}
        }
        None
    }

    pub fn hints(&self, cx: &Ctx, h: &mut Hints) {
        match &self.view {
            FieldView::Orders => {
                h.push(("↑↓", cx.tr(Msg::HintSelect)));
                h.push(("Enter", cx.tr(Msg::HintDeliver)));
                h.push(("i", cx.tr(Msg::HintInbox)));
                h.push(("m", cx.tr(Msg::HintOutbox)));
                h.push(("p", cx.tr(Msg::HintPairing)));
            }
            FieldView::Outbox { .. } => {
                h.push(("Enter", cx.tr(Msg::HintSendNow)));
                h.push(("x", cx.tr(Msg::HintExportMedia)));
                h.push(("Esc", cx.tr(Msg::HintBack)));
            }
            FieldView::Pairing { .. } => {
                h.push(("q", cx.tr(Msg::HintQrText)));
                if cx.snap.field.as_ref().is_none_or(|f| f.safety_code.is_none()) {
                    h.push(("r", cx.tr(Msg::HintPairRemote)));
                    h.push(("h", cx.tr(Msg::HintEnterHubKey)));
                }
                h.push(("Esc", cx.tr(Msg::HintBack)));
            }
            FieldView::PairText { .. } => {
                h.push(("q", cx.tr(Msg::HintQrText)));
                h.push(("Esc", cx.tr(Msg::HintClose)));
            }
            FieldView::Inbox(_) => InboxForm::hints(cx.lang, h),
            _ => form_hints(cx.lang, h),
        }
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Ctx, area: Rect) {
        let Some(data) = &cx.snap.field else { return };
        let lang = cx.lang;
        match &self.view {
            FieldView::Orders => draw_orders(frame, cx, data, self.selected, area),
            FieldView::Deliver { form, .. } => draw_form(frame, lang, cx.tr(Msg::DeliverTitle), form, area),
            FieldView::Outbox { selected } => draw_outbox(frame, cx, data, *selected, area),
            FieldView::ExportMedia { form, .. } => draw_form(frame, lang, cx.tr(Msg::HintExportMedia), form, area),
            FieldView::Inbox(inbox) => inbox.draw(frame, lang, cx.tr(Msg::InboxTitle), area),
            FieldView::Pairing { qr } => {
                let mut lines = vec![
                    Line::styled(cx.tr(Msg::YourPublicKey), bold()),
                    Line::from(data.public_key.clone()),
                    Line::from(""),
                ];
                match &data.safety_code {
                    Some(code) => lines.push(Line::from(lang.format(Msg::SafetyCode, &[code]))),
                    None => lines.push(Line::from(cx.tr(Msg::NotPairedYet))),
                }
                draw_key_view(frame, lang, cx.tr(Msg::HintPairing), lines, &data.public_key, *qr, area);
            }
            FieldView::PairForm(form) => draw_form(frame, lang, cx.tr(Msg::HintEnterHubKey), form, area),
            FieldView::PairText { title, text, code, qr } => {
                draw_pair_text(frame, lang, *title, text, code.as_deref(), *qr, area)
            }
        }
    }
}

/// Delivering an order: the amount handed over, the recipient's answer, an optional photo.
fn deliver_key(
    code: OrderCode,
    form: &mut Form<DeliverFields>,
    key: &KeyEvent,
    data: &FieldData,
    fx: &mut Effects,
) -> Option<FieldView> {
    match form.key(key) {
        FormAction::Cancel => return Some(FieldView::Orders),
        FormAction::Submit => {
            let order = data.orders.iter().find(|o| o.code == code)?;
            let f = &form.fields;
            let amount = match f.amount.trimmed() {
                "" => None,
                text => match lethe_remit::parse_amount(text, order.currency) {
                    Ok(a) => Some(a),
                    Err(_) => {
                        fx.complain(UiText::new(Msg::ErrAmount));
                        return None;
                    }
                },
            };
            let answer = SecretString::from_text(f.answer.text());
            let photo = f.photo.trimmed().to_string();
            let media = Media { path: photo, shred: f.shred.on, keep_metadata: f.keep_metadata.on };
            form.clear_texts();
            fx.run(Msg::Sealing, move |vault, progress, abort| {
                deliver(vault, code, amount, &answer, &media, progress, abort)
            });
        }
        FormAction::None => {}
    }
    None
}

/// Reports waiting to be sent: Enter seals them into a message, `x` saves an entry's sealed media.
fn outbox_key(selected: &mut usize, key: &KeyEvent, data: &FieldData, fx: &mut Effects) -> Option<FieldView> {
    let entries = &data.outbox;
    match (key.code, command(key)) {
        (KeyCode::Esc, _) => return Some(FieldView::Orders),
        (KeyCode::Up, _) => *selected = selected.saturating_sub(1),
        (KeyCode::Down, _) => *selected = (*selected + 1).min(entries.len().saturating_sub(1)),
        (KeyCode::Enter, _) | (_, Some('s')) => {
            fx.run(Msg::Sealing, move |vault, _, _| {
                let out = Field::open(vault, now_unix()).and_then(|f| f.send()).map_err(remit_err)?;
                let text = UiText::with(Msg::ReportsReady, &[&out.items.to_string(), &out.chars().to_string()]);
                Ok(Success { then: Then::Outgoing(Msg::ReportsTitle, out), ..Success::new(text) })
            });
        }
        (_, Some('x')) => {
            if let Some((item, _)) = entries.get(*selected).and_then(|e| e.media) {
                return Some(FieldView::ExportMedia {
                    item,
                    form: PathFields::form(Msg::FieldExportPath, Some(Msg::SealedMediaNote)),
                });
            }
        }
        _ => {}
    }
    None
}

/// Saving a report's sealed media to a file, to send beside the message.
fn export_media_key(item: ItemId, form: &mut Form<PathFields>, key: &KeyEvent, fx: &mut Effects) -> Option<FieldView> {
    match form.key(key) {
        FormAction::Cancel => return Some(FieldView::Outbox { selected: 0 }),
        FormAction::Submit => {
            let target = PathBuf::from(form.fields.path.trimmed());
            if target.as_os_str().is_empty() {
                return None;
            }
            fx.export_media(target, Msg::SavedSealed, move |vault, w, progress| {
                let field = Field::open(vault, now_unix()).map_err(remit_err)?;
                field.write_media(item, w, &mut |d, t| progress.set(d, t)).map_err(remit_err)?;
                Ok(())
            });
        }
        FormAction::None => {}
    }
    None
}

/// A pasted message from the hub (orders, acknowledgements).
fn inbox_key(inbox: &mut InboxForm, key: &KeyEvent, width: usize, fx: &mut Effects) -> Option<FieldView> {
    match inbox.pasted(key, width) {
        Pasted::Cancel => return Some(FieldView::Orders),
        Pasted::Message(Err(e)) => fx.complain(e),
        Pasted::Message(Ok(text)) => {
            fx.run(Msg::Verifying, move |vault, _, _| {
                let mut field = Field::open(vault, now_unix()).map_err(remit_err)?;
                let message = match field.receive(text.as_str()).map_err(remit_err)? {
                    Received::Orders { added, already_had, .. } => {
                        UiText::with(Msg::OrdersReceived, &[&added.len().to_string(), &already_had.to_string()])
                    }
                    Received::Ack { erased, disputed, .. } if !disputed.is_empty() => UiText::with(
                        Msg::AckReceivedDisputed,
                        &[&erased.len().to_string(), &disputed.len().to_string()],
                    ),
                    Received::Ack { erased, .. } => UiText::with(Msg::AckReceived, &[&erased.len().to_string()]),
                    _ => UiText::new(Msg::Done),
                };
                Ok(Success::new(message))
            });
        }
        Pasted::Typing => {}
    }
    None
}

/// The pairing view: `h` pairs with the hub's key, `r` starts a remote pairing.
fn pairing_key(qr: &mut bool, key: &KeyEvent, data: &FieldData, fx: &mut Effects) -> Option<FieldView> {
    match (key.code, command(key)) {
        (KeyCode::Esc, _) => return Some(FieldView::Orders),
        (_, Some('q')) => *qr = !*qr,
        (_, Some('h')) if data.safety_code.is_none() => {
            return Some(FieldView::PairForm(
                Form::new(PairFields { hub_key: TextField::new(Msg::FieldHubKey, 400) }).with_note(Msg::PairNote),
            ));
        }
        // Remote pairing, first step: a request that commits to this phone's key.
        (_, Some('r')) if data.safety_code.is_none() => {
            fx.run(Msg::Saving, move |vault, _, _| {
                let text = Field::open(vault, now_unix()).and_then(|mut f| f.pair_request()).map_err(remit_err)?;
                Ok(Success {
                    then: Then::PairText { title: Msg::PairRequestTitle, text, code: None },
                    ..Success::new(UiText::new(Msg::PairRequestMade))
                })
            });
        }
        _ => {}
    }
    None
}

/// A pairing text of this phone's to send to the hub.
fn pair_text_key(qr: &mut bool, key: &KeyEvent) -> Option<FieldView> {
    match (key.code, command(key)) {
        (KeyCode::Esc | KeyCode::Enter, _) => return Some(FieldView::Pairing { qr: false }),
        (_, Some('q')) => *qr = !*qr,
        _ => {}
    }
    None
}

/// The hub's key or its answer to this phone's request.
fn pair_form_key(form: &mut Form<PairFields>, key: &KeyEvent, fx: &mut Effects) -> Option<FieldView> {
    match form.key(key) {
        FormAction::Cancel => return Some(FieldView::Pairing { qr: false }),
        FormAction::Submit => {
            let key_text = form.fields.hub_key.text().to_string();
            // A broker's own pairing texts are not the hub's key: said before anything runs.
            match PairText::parse(&key_text) {
                Ok(PairText::Offer(_) | PairText::Reveal(_)) => {
                    fx.complain(UiText::new(Msg::ErrBrokersPairingText));
                    return None;
                }
                Ok(PairText::Key(_) | PairText::Reply(_)) | Err(_) => {}
            }
            fx.run(Msg::Saving, move |vault, _, _| {
                // The hub's public key (in person) or its answer to our request.
                let step =
                    Field::open(vault, now_unix()).and_then(|mut f| f.pair_step(&key_text)).map_err(remit_err)?;
                let code = step.safety_code;
                Ok(match step.reveal {
                    Some(text) => Success {
                        then: Then::PairText { title: Msg::PairRevealTitle, text, code: Some(code.clone()) },
                        ..Success::new(UiText::with(Msg::PairedRemote, &[&code]))
                    },
                    None => Success { then: Then::Pairing, ..Success::new(UiText::with(Msg::Paired, &[&code])) },
                })
            });
        }
        FormAction::None => {}
    }
    None
}

fn draw_orders(frame: &mut Frame, cx: &Ctx, data: &FieldData, selected: usize, area: Rect) {
    let now = time::now_unix();
    let [list, detail] = Layout::vertical([Constraint::Min(4), Constraint::Length(6)]).areas(area);
    let title = cx.lang.format(
        Msg::FieldOrdersTitle,
        &[&data.orders.iter().filter(|o| o.delivered_at.is_none()).count().to_string(), &data.outbox.len().to_string()],
    );
    let block = titled(&title);
    if data.orders.is_empty() {
        let text = if data.safety_code.is_none() { cx.tr(Msg::FieldNotPairedHelp) } else { cx.tr(Msg::NoOrders) };
        frame.render_widget(Paragraph::new(wrap_text(text, inner_width(area))).block(block), area);
        return;
    }
    let wide = area.width >= 70;
    let rows = data
        .orders
        .iter()
        .map(|o| {
            let mut cells = vec![
                FitCell::new(o.code.to_string()),
                FitCell::new(o.alias.clone()),
                amount_cell(cx.lang, o.amount_minor, o.currency),
            ];
            if wide {
                cells.push(FitCell::new(o.place_hint.clone()));
                cells.push(FitCell::new(time::format_date_minutes(o.deadline_minutes)));
            }
            cells.push(FitCell::new(match (o.delivered_at, &o.dispute) {
                (_, Some(_)) => cx.tr(Msg::DisputedByHub).to_string(),
                (Some(_), None) => cx.tr(Msg::WaitingForAck).to_string(),
                (None, None) => words::age(cx.lang, now.saturating_sub(o.received_at)),
            }));
            cells
        })
        .collect();
    let mut cols = vec![
        FitCol::fixed(cx.tr(Msg::ColCode)),
        FitCol::optional(cx.tr(Msg::ColAlias)),
        FitCol::fixed(cx.tr(Msg::ColAmount)),
    ];
    if wide {
        cols.push(FitCol::optional(cx.tr(Msg::ColPlace)));
        cols.push(FitCol::optional(cx.tr(Msg::ColDeadline)));
    }
    cols.push(FitCol::wrapping(cx.tr(Msg::ColAge)));
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(fit_table(&cols, rows, inner_width(list), block), list, &mut state);
    if let Some(o) = data.orders.get(selected) {
        let mut lines = vec![
            Line::from(format!("{}  {}  {}", o.code, o.alias, format_amount(o.amount_minor, o.currency))),
            Line::from(cx.lang.format(Msg::DetailPlace, &[&o.place_hint])),
            Line::from(cx.lang.format(
                Msg::DetailDeadlineFee,
                &[&time::format_date_minutes(o.deadline_minutes), &format_amount(o.fee_minor, o.currency)],
            )),
            Line::from(cx.lang.format(Msg::AskQuestion, &[&o.question])),
        ];
        if let Some(reason) = &o.dispute {
            lines.insert(1, Line::styled(cx.lang.format(Msg::DetailDispute, &[reason]), bold()));
        }
        frame.render_widget(Paragraph::new(wrap_text(lines, inner_width(detail))).block(Block::bordered()), detail);
    }
}

fn draw_outbox(frame: &mut Frame, cx: &Ctx, data: &FieldData, selected: usize, area: Rect) {
    let [top, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let summary = match data.outbox_chars {
        Some(chars) => cx.lang.format(Msg::OutboxSummary, &[&data.outbox.len().to_string(), &chars.to_string()]),
        None => cx.tr(Msg::OutboxEmpty).to_string(),
    };
    frame.render_widget(
        Paragraph::new(wrap_text(
            vec![Line::styled(summary, bold()), Line::from(cx.tr(Msg::OutboxExplain))],
            top.width,
        )),
        top,
    );
    let now = time::now_unix();
    let rows = data
        .outbox
        .iter()
        .map(|e| {
            vec![
                FitCell::new(e.code.to_string()),
                FitCell::new(e.chars.to_string()),
                FitCell::new(e.media.map(|(_, len)| human_size(len)).unwrap_or_else(|| "-".into())),
                FitCell::new(words::age(cx.lang, now.saturating_sub(e.created))),
            ]
        })
        .collect();
    let cols = [
        FitCol::fixed(cx.tr(Msg::ColCode)),
        FitCol::fixed(cx.tr(Msg::ColChars)),
        FitCol::fixed(cx.tr(Msg::ColMedia)),
        FitCol::wrapping(cx.tr(Msg::ColAge)),
    ];
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        fit_table(&cols, rows, inner_width(list), titled(cx.tr(Msg::HintOutbox))),
        list,
        &mut state,
    );
}

/// The photo or video of a delivery form ("" for none) and what to do with it.
struct Media {
    path: String,
    shred: bool,
    keep_metadata: bool,
}

/// A refused media file in the user's language (the command line refuses the same files).
fn media_error_text(e: MediaError) -> UiText {
    match e {
        MediaError::Io(e) => io_error_text(&e),
        MediaError::NotAFile => UiText::new(Msg::ErrNotAFile),
        MediaError::TooLarge { max_mib } => UiText::with(Msg::ErrPhotoTooLarge, &[&max_mib.to_string()]),
        MediaError::NotJpeg => UiText::new(Msg::ErrNotJpeg),
    }
}

fn deliver(
    vault: &mut DynVault,
    code: OrderCode,
    amount: Option<u64>,
    answer: &SecretString,
    media: &Media,
    progress: &JobProgress,
    abort: &AtomicBool,
) -> JobOutcome {
    let answer = answer.as_str();
    let photo = media.path.as_str();
    // Checked before the role is opened, as the command line does.
    let input = match photo {
        "" => None,
        path => Some(MediaInput::open(Path::new(path), media.keep_metadata).map_err(media_error_text)?),
    };
    let mut field = Field::open(vault, now_unix()).map_err(remit_err)?;
    let mut progress_fn = |d: u64, t: u64| progress.set(d, t);
    let delivered = match &input {
        None => field.deliver(Delivery { code, amount_minor: amount, answer, media: None }, &mut progress_fn),
        Some(MediaInput::Jpeg(bytes)) => field.deliver(
            Delivery { code, amount_minor: amount, answer, media: Some(DeliveryMedia::Jpeg(bytes)) },
            &mut progress_fn,
        ),
        Some(MediaInput::Other { path, len }) => {
            let file = std::fs::File::open(path).map_err(|e| io_error_text(&e))?;
            let mut reader = WatchedReader { inner: file, progress, abort, done: 0, total: *len };
            field.deliver(
                Delivery {
                    code,
                    amount_minor: amount,
                    answer,
                    media: Some(DeliveryMedia::Unstripped { reader: &mut reader, len: *len }),
                },
                &mut progress_fn,
            )
        }
    }
    .map_err(remit_err)?;
    let amount = format_amount(delivered.amount_minor, delivered.currency);
    let done = UiText::with(if photo.is_empty() { Msg::Delivered } else { Msg::DeliveredWithMedia }, &[&amount]);
    let message = if media.shred && !photo.is_empty() { shred_message(Path::new(photo), done) } else { done };
    Ok(Success::new(message))
}
