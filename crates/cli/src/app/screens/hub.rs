//! The hub's screen: orders by broker and status, a new order, sending orders, importing
//! reports and media, the ledger and advances, the brokers and their pairing. Drawing is
//! in the `hub_draw` module.

use super::outgoing::OutgoingView;
use super::{Ctx, Effects, now_unix, remit_err};
use crate::app::errors::{io_error_text, remit_error_text};
use crate::app::forms::{CheckField, ChoiceField, Form, FormAction, PathFields, TextField, fields};
use crate::app::i18n::Msg;
use crate::app::inbox::{InboxForm, Pasted};
use crate::app::jobs::{Abortable, Success, Then};
use crate::app::keys::command;
use crate::app::snapshot::HubData;
use crate::app::text::SecretString;
use crate::app::texts::UiText;
use crate::app::widgets::human_size;
use lethe_remit::{Currency, Hub, HubOrder, HubOrderStatus, OrderCode, OrderForm, PairStep, Receipt};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::path::PathBuf;

/// Which orders the hub's list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Open,
    Delivered,
    Disputed,
}

impl StatusFilter {
    fn next(self) -> StatusFilter {
        match self {
            StatusFilter::All => StatusFilter::Open,
            StatusFilter::Open => StatusFilter::Delivered,
            StatusFilter::Delivered => StatusFilter::Disputed,
            StatusFilter::Disputed => StatusFilter::All,
        }
    }

    pub fn keeps(self, status: HubOrderStatus) -> bool {
        use HubOrderStatus as S;
        match self {
            StatusFilter::All => true,
            StatusFilter::Open => matches!(status, S::New | S::Sent),
            StatusFilter::Delivered => matches!(status, S::Delivered | S::Partial),
            StatusFilter::Disputed => matches!(status, S::Disputed(_)),
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            StatusFilter::All => Msg::FilterAll,
            StatusFilter::Open => Msg::FilterOpen,
            StatusFilter::Delivered => Msg::StatusDelivered,
            StatusFilter::Disputed => Msg::StatusDisputed,
        }
    }
}

pub struct HubState {
    pub selected: usize,
    pub broker_filter: Option<String>,
    pub status_filter: StatusFilter,
    pub view: HubView,
}

/// A new order: the same keys `lethe hub order` reads.
pub struct OrderFields {
    pub broker: ChoiceField<String>,
    pub alias: TextField,
    pub place: TextField,
    pub amount: TextField,
    pub currency: ChoiceField<Currency>,
    pub fee: TextField,
    pub deadline: TextField,
    pub question: TextField,
    pub answer: TextField,
}
fields!(OrderFields { broker, alias, place, amount, currency, fee, deadline, question, answer });

/// Sending a broker's orders.
pub struct SendFields {
    pub broker: ChoiceField<String>,
    pub resend: CheckField,
}
fields!(SendFields { broker, resend });

/// Cash advanced to a broker.
pub struct AdvanceFields {
    pub broker: ChoiceField<String>,
    pub amount: TextField,
    pub currency: ChoiceField<Currency>,
}
fields!(AdvanceFields { broker, amount, currency });

/// Pairing with a broker: a label and her public key.
pub struct AddBrokerFields {
    pub name: TextField,
    pub key: TextField,
}
fields!(AddBrokerFields { name, key });

pub enum HubView {
    Orders,
    NewOrder(Box<Form<OrderFields>>),
    Send(Form<SendFields>),
    Import(InboxForm),
    Results(Receipt),
    Ledger,
    Advance(Form<AdvanceFields>),
    Brokers {
        qr: bool,
    },
    AddBroker(Form<AddBrokerFields>),
    /// The hub's answer to a broker's pairing request, to send back to her.
    PairText {
        title: Msg,
        text: String,
        qr: bool,
    },
    ExportMedia {
        code: OrderCode,
        form: Form<PathFields>,
    },
    ImportMedia(Form<PathFields>),
}

/// The brokers as choices (their names are the values).
fn broker_choice(names: &[String], chosen: usize) -> ChoiceField<String> {
    ChoiceField::new(Msg::FieldBroker, names.iter().map(|n| (n.clone(), n.clone())).collect(), chosen)
}

/// Every currency as a choice, the first one chosen.
fn currency_choice() -> ChoiceField<Currency> {
    ChoiceField::new(Msg::FieldCurrency, Currency::ALL.iter().map(|c| (c.code().to_string(), *c)).collect(), 0)
}

/// Appends "key: value\n" to the order form text, the value trimmed, without a copy of it
/// outside `text` (the answer is among the values).
fn push_line(text: &mut SecretString, key: &str, value: &str) {
    for piece in [key, ": ", value.trim(), "\n"] {
        text.insert_str(text.as_str().len(), piece);
    }
}

impl HubState {
    pub fn new() -> HubState {
        HubState { selected: 0, broker_filter: None, status_filter: StatusFilter::All, view: HubView::Orders }
    }

    /// Back to the orders (after a job).
    pub fn back(&mut self) {
        self.view = HubView::Orders;
    }

    pub fn show_brokers(&mut self) {
        self.view = HubView::Brokers { qr: false };
    }

    pub fn show_pair_text(&mut self, title: Msg, text: String) {
        self.view = HubView::PairText { title, text, qr: false };
    }

    pub fn show_results(&mut self, receipt: Receipt) {
        self.view = HubView::Results(receipt);
    }

    /// The orders the filters let through, in list order.
    pub fn visible<'a>(&self, data: &'a HubData) -> Vec<&'a HubOrder> {
        data.orders
            .iter()
            .filter(|o| {
                self.broker_filter.as_ref().is_none_or(|b| *b == o.broker) && self.status_filter.keeps(o.status)
            })
            .collect()
    }

    pub fn in_form(&self) -> bool {
        !matches!(self.view, HubView::Orders | HubView::Results(_) | HubView::Ledger | HubView::Brokers { .. })
    }

    pub fn paste(&mut self, text: &str) {
        let one_line = text.trim();
        match &mut self.view {
            HubView::Import(i) => i.paste(text),
            HubView::NewOrder(f) => f.paste(one_line),
            HubView::Advance(f) => f.paste(one_line),
            HubView::AddBroker(f) => f.paste(one_line),
            HubView::ImportMedia(f) | HubView::ExportMedia { form: f, .. } => f.paste(one_line),
            _ => {}
        }
    }

    /// A key on the hub's screen, handled by the view it is on: the list's keys change the
    /// list, a form's keys its form; a view returns the view to go to, if any.
    pub fn key(&mut self, key: &KeyEvent, cx: &Ctx, fx: &mut Effects) {
        let Some(data) = &cx.snap.hub else { return };
        let broker_names: Vec<String> = data.brokers.iter().map(|b| b.name.clone()).collect();
        let next = match &mut self.view {
            HubView::Orders => self.orders_key(key, data, &broker_names, fx),
            HubView::NewOrder(form) => new_order_key(form, key, fx),
            HubView::Send(form) => send_key(form, key, fx),
            HubView::Import(inbox) => import_key(inbox, key, cx.width, fx),
            HubView::Results(receipt) => results_key(receipt, key, fx),
            HubView::Ledger => ledger_key(key, &broker_names, fx),
            HubView::Advance(form) => advance_key(form, key, fx),
            HubView::Brokers { qr } => brokers_key(qr, key),
            HubView::PairText { qr, .. } => pair_text_key(qr, key),
            HubView::AddBroker(form) => add_broker_key(form, key, fx),
            HubView::ExportMedia { code, form } => export_media_key(*code, form, key, fx),
            HubView::ImportMedia(form) => import_media_key(form, key, fx),
        };
        if let Some(view) = next {
            self.view = view;
        }
    }

    /// The order list: moving, filtering, and the keys that open the other views.
    fn orders_key(
        &mut self,
        key: &KeyEvent,
        data: &HubData,
        broker_names: &[String],
        fx: &mut Effects,
    ) -> Option<HubView> {
        let visible = self.visible(data);
        match (key.code, command(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => self.selected = self.selected.saturating_sub(1),
            (KeyCode::Down, _) | (_, Some('j')) => {
                self.selected = (self.selected + 1).min(visible.len().saturating_sub(1))
            }
            (_, Some('o')) => {
                if broker_names.is_empty() {
                    fx.complain(UiText::new(Msg::ErrNoBrokers));
                    return None;
                }
                let chosen =
                    self.broker_filter.as_ref().and_then(|b| broker_names.iter().position(|n| n == b)).unwrap_or(0);
                return Some(HubView::NewOrder(Box::new(
                    Form::new(OrderFields {
                        broker: broker_choice(broker_names, chosen),
                        alias: TextField::new(Msg::FieldAlias, 64),
                        place: TextField::new(Msg::FieldPlace, 128),
                        amount: TextField::new(Msg::FieldAmount, 40),
                        currency: currency_choice(),
                        fee: TextField::new(Msg::FieldFee, 40),
                        deadline: TextField::new(Msg::FieldDeadline, 20),
                        question: TextField::new(Msg::FieldQuestion, 256),
                        answer: TextField::secret(Msg::FieldAnswer, 128),
                    })
                    .with_note(Msg::OrderNote),
                )));
            }
            (_, Some('m')) => {
                if broker_names.is_empty() {
                    fx.complain(UiText::new(Msg::ErrNoBrokers));
                    return None;
                }
                let chosen = visible
                    .get(self.selected)
                    .and_then(|o| broker_names.iter().position(|n| *n == o.broker))
                    .unwrap_or(0);
                return Some(HubView::Send(Form::new(SendFields {
                    broker: broker_choice(broker_names, chosen),
                    resend: CheckField::new(Msg::FieldResend, false),
                })));
            }
            (_, Some('i')) => return Some(HubView::Import(InboxForm::new())),
            (_, Some('f')) => return Some(HubView::ImportMedia(PathFields::form(Msg::FieldMediaFile, None))),
            (_, Some('x')) => {
                if let Some(o) = visible.get(self.selected) {
                    if o.report.as_ref().is_some_and(|r| r.media_imported) {
                        return Some(HubView::ExportMedia {
                            code: o.code,
                            form: PathFields::form(Msg::FieldExportPath, Some(Msg::ExportWarning)),
                        });
                    }
                    fx.complain(UiText::with(Msg::ErrNoMedia, &[&o.code.to_string()]));
                }
            }
            (_, Some('l')) => return Some(HubView::Ledger),
            (_, Some('p')) => return Some(HubView::Brokers { qr: false }),
            (_, Some('b')) => {
                self.broker_filter = match &self.broker_filter {
                    None => broker_names.first().cloned(),
                    Some(b) => broker_names.iter().skip_while(|n| *n != b).nth(1).cloned(),
                };
                self.selected = 0;
            }
            (_, Some('s')) => {
                self.status_filter = self.status_filter.next();
                self.selected = 0;
            }
            _ => {}
        }
        None
    }
}

/// A new order: its form is checked by the same rules as `lethe hub order`, then saved.
fn new_order_key(form: &mut Form<OrderFields>, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match form.key(key) {
        FormAction::Cancel => return Some(HubView::Orders),
        FormAction::Submit => {
            let f = &form.fields;
            let broker = f.broker.value().cloned().unwrap_or_default();
            let currency = f.currency.value().map_or("", |c| c.code());
            // The same order form `lethe hub order` reads, so every rule applies.
            let mut text = SecretString::default();
            push_line(&mut text, "alias", f.alias.text());
            push_line(&mut text, "place", f.place.text());
            push_line(&mut text, "amount", f.amount.text());
            push_line(&mut text, "currency", currency);
            push_line(&mut text, "fee", f.fee.text());
            push_line(&mut text, "deadline", f.deadline.text());
            push_line(&mut text, "question", f.question.text());
            push_line(&mut text, "answer", f.answer.text());
            let parsed = OrderForm::parse(text.as_str());
            drop(text);
            let order = match parsed {
                Ok(o) => o,
                Err(e) => {
                    fx.complain(remit_error_text(&lethe_remit::Error::Form(e)));
                    return None;
                }
            };
            fx.run(Msg::Saving, move |vault, _, _| {
                let code = Hub::open(vault, now_unix())
                    .and_then(|mut h| h.create_order(&broker, &order))
                    .map_err(remit_err)?;
                Ok(Success::new(UiText::with(Msg::OrderMade, &[&code.to_string()])))
            });
        }
        FormAction::None => {}
    }
    None
}

/// Sealing a broker's orders into a message.
fn send_key(form: &mut Form<SendFields>, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match form.key(key) {
        FormAction::Cancel => return Some(HubView::Orders),
        FormAction::Submit => {
            let broker = form.fields.broker.value().cloned().unwrap_or_default();
            let resend = form.fields.resend.on;
            fx.run(Msg::Sealing, move |vault, _, _| {
                let out =
                    Hub::open(vault, now_unix()).and_then(|mut h| h.send_orders(&broker, resend)).map_err(remit_err)?;
                let text = UiText::with(Msg::OrdersReady, &[&out.items.to_string(), &out.chars().to_string()]);
                Ok(Success { then: Then::Outgoing(Msg::OrdersTitle, out), ..Success::new(text) })
            });
        }
        FormAction::None => {}
    }
    None
}

/// A pasted message from a broker (reports, pairing steps).
fn import_key(inbox: &mut InboxForm, key: &KeyEvent, width: usize, fx: &mut Effects) -> Option<HubView> {
    match inbox.pasted(key, width) {
        Pasted::Cancel => return Some(HubView::Orders),
        Pasted::Message(Err(e)) => fx.complain(e),
        Pasted::Message(Ok(text)) => {
            fx.run(Msg::Verifying, move |vault, _, _| {
                let receipt =
                    Hub::open(vault, now_unix()).and_then(|mut h| h.receive(text.as_str())).map_err(remit_err)?;
                let message = UiText::with(Msg::ReportsImported, &[&receipt.results.len().to_string()]);
                Ok(Success { then: Then::Receipt(receipt), ..Success::new(message) })
            });
        }
        Pasted::Typing => {}
    }
    None
}

/// What an import found; Enter shows the acknowledgement to send back.
fn results_key(receipt: &Receipt, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match key.code {
        KeyCode::Enter => {
            if let Some(ack) = &receipt.ack {
                fx.outgoing = Some(OutgoingView::new(Msg::AckTitle, ack.clone()))
            }
            None
        }
        KeyCode::Esc => Some(HubView::Orders),
        _ => None,
    }
}

/// The ledger; `v` records an advance.
fn ledger_key(key: &KeyEvent, broker_names: &[String], fx: &mut Effects) -> Option<HubView> {
    match (key.code, command(key)) {
        (KeyCode::Esc, _) => Some(HubView::Orders),
        (_, Some('v')) => {
            if broker_names.is_empty() {
                fx.complain(UiText::new(Msg::ErrNoBrokers));
                return None;
            }
            Some(HubView::Advance(Form::new(AdvanceFields {
                broker: broker_choice(broker_names, 0),
                amount: TextField::new(Msg::FieldAmount, 40),
                currency: currency_choice(),
            })))
        }
        _ => None,
    }
}

/// Cash advanced to a broker.
fn advance_key(form: &mut Form<AdvanceFields>, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match form.key(key) {
        FormAction::Cancel => return Some(HubView::Ledger),
        FormAction::Submit => {
            let f = &form.fields;
            let broker = f.broker.value().cloned().unwrap_or_default();
            let &currency = f.currency.value()?;
            let amount = match lethe_remit::parse_amount(f.amount.text(), currency) {
                Ok(a) => a,
                Err(_) => {
                    fx.complain(UiText::new(Msg::ErrAmount));
                    return None;
                }
            };
            fx.run(Msg::Saving, move |vault, _, _| {
                Hub::open(vault, now_unix())
                    .and_then(|mut h| h.record_advance(&broker, amount, currency))
                    .map_err(remit_err)?;
                Ok(Success::new(UiText::with(
                    Msg::AdvanceRecorded,
                    &[&lethe_remit::format_amount(amount, currency), &broker],
                )))
            });
        }
        FormAction::None => {}
    }
    None
}

/// The brokers and the hub's own key; `q` shows it as a QR code, `a` pairs a broker.
fn brokers_key(qr: &mut bool, key: &KeyEvent) -> Option<HubView> {
    match (key.code, command(key)) {
        (KeyCode::Esc, _) => Some(HubView::Orders),
        (_, Some('q')) => {
            *qr = !*qr;
            None
        }
        (_, Some('a')) => Some(HubView::AddBroker(
            Form::new(AddBrokerFields {
                name: TextField::new(Msg::FieldBrokerName, 32),
                key: TextField::new(Msg::FieldBrokerKey, 400),
            })
            .with_note(Msg::PairNote),
        )),
        _ => None,
    }
}

/// A pairing answer to send back to a broker.
fn pair_text_key(qr: &mut bool, key: &KeyEvent) -> Option<HubView> {
    match (key.code, command(key)) {
        (KeyCode::Esc | KeyCode::Enter, _) => Some(HubView::Brokers { qr: false }),
        (_, Some('q')) => {
            *qr = !*qr;
            None
        }
        _ => None,
    }
}

/// Pairing a broker: her name and her key, request or last step.
fn add_broker_key(form: &mut Form<AddBrokerFields>, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match form.key(key) {
        FormAction::Cancel => return Some(HubView::Brokers { qr: false }),
        FormAction::Submit => {
            let name = form.fields.name.trimmed().to_string();
            let key_text = form.fields.key.text().to_string();
            fx.run(Msg::Saving, move |vault, _, _| {
                // Her public key (in person), her pairing request, or her last
                // step of a remote pairing.
                let step =
                    Hub::open(vault, now_unix()).and_then(|mut h| h.pair_step(&name, &key_text)).map_err(remit_err)?;
                Ok(match step {
                    PairStep::Answer(text) => Success {
                        then: Then::PairText { title: Msg::PairAnswerTitle, text, code: None },
                        ..Success::new(UiText::with(Msg::PairAnswerMade, &[&name]))
                    },
                    PairStep::Paired(broker) => Success {
                        then: Then::Pairing,
                        ..Success::new(UiText::with(Msg::BrokerPaired, &[&broker.name, &broker.safety_code]))
                    },
                })
            });
        }
        FormAction::None => {}
    }
    None
}

/// Writing an order's media out to a file.
fn export_media_key(code: OrderCode, form: &mut Form<PathFields>, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match form.key(key) {
        FormAction::Cancel => return Some(HubView::Orders),
        FormAction::Submit => {
            let target = PathBuf::from(form.fields.path.trimmed());
            if target.as_os_str().is_empty() {
                return None;
            }
            fx.export_media(target, Msg::Exported, move |vault, w, progress| {
                let hub = Hub::open(vault, now_unix()).map_err(remit_err)?;
                hub.export_media(code, w, &mut |d, t| progress.set(d, t)).map_err(remit_err)?;
                Ok(())
            });
        }
        FormAction::None => {}
    }
    None
}

/// Importing a broker's sealed media file; its order's acknowledgement follows.
fn import_media_key(form: &mut Form<PathFields>, key: &KeyEvent, fx: &mut Effects) -> Option<HubView> {
    match form.key(key) {
        FormAction::Cancel => return Some(HubView::Orders),
        FormAction::Submit => {
            let source = PathBuf::from(form.fields.path.trimmed());
            if source.as_os_str().is_empty() {
                return None;
            }
            fx.run(Msg::Importing, move |vault, progress, abort| {
                let file = std::fs::File::open(&source).map_err(|e| io_error_text(&e))?;
                let reader = Abortable { inner: file, abort };
                let imported = Hub::open(vault, now_unix())
                    .and_then(|mut h| h.import_media(reader, &mut |d, t| progress.set(d, t)))
                    .map_err(remit_err)?;
                let text = UiText::with(Msg::MediaImported, &[&imported.code.to_string(), &human_size(imported.len)]);
                // The order's acknowledgement waited for its media: show it now.
                Ok(Success { then: Then::Outgoing(Msg::AckTitle, imported.ack), ..Success::new(text) })
            });
        }
        FormAction::None => {}
    }
    None
}
