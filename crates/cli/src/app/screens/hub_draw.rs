//! Drawing the hub's screen and its key hints (its state and keys are in [`super::hub`]).

use super::Ctx;
use super::hub::{HubState, HubView};
use crate::app::fit::{FitCell, FitCol, amount_cell, fit_table};
use crate::app::i18n::Msg;
use crate::app::inbox::InboxForm;
use crate::app::snapshot::HubData;
use crate::app::widgets::{Hints, bold, draw_form, draw_key_view, draw_pair_text, form_hints, inner_width, titled};
use crate::app::wrap::wrap_text;
use lethe_remit::{
    Currency, DisputeReason, HubOrderStatus, Receipt, ReportOutcome, format_amount, format_number, time,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, TableState};

pub fn status_msg(status: HubOrderStatus) -> Msg {
    match status {
        HubOrderStatus::New => Msg::StatusNew,
        HubOrderStatus::Sent => Msg::StatusSent,
        HubOrderStatus::Delivered => Msg::StatusDelivered,
        HubOrderStatus::Partial => Msg::StatusPartial,
        HubOrderStatus::Disputed(DisputeReason::WrongAnswer) => Msg::StatusWrongAnswer,
        HubOrderStatus::Disputed(DisputeReason::CurrencyMismatch) => Msg::StatusWrongCurrency,
        HubOrderStatus::Disputed(DisputeReason::AmountAboveOrder) => Msg::StatusAboveOrder,
        _ => Msg::StatusDisputed,
    }
}

fn outcome_msg(o: ReportOutcome) -> Msg {
    match o {
        ReportOutcome::Delivered => Msg::OutcomeDelivered,
        ReportOutcome::Partial => Msg::StatusPartial,
        ReportOutcome::Disputed(DisputeReason::WrongAnswer) => Msg::StatusWrongAnswer,
        ReportOutcome::Disputed(DisputeReason::CurrencyMismatch) => Msg::StatusWrongCurrency,
        ReportOutcome::Disputed(DisputeReason::AmountAboveOrder) => Msg::StatusAboveOrder,
        ReportOutcome::AlreadyRecorded => Msg::OutcomeAlreadyRecorded,
        ReportOutcome::UnknownOrder => Msg::OutcomeUnknownOrder,
        _ => Msg::StatusDisputed,
    }
}

fn deadline_text(minutes: u32) -> String {
    time::format_date_minutes(minutes)
}

impl HubState {
    pub fn hints(&self, cx: &Ctx, h: &mut Hints) {
        match &self.view {
            HubView::Orders => {
                h.push(("↑↓", cx.tr(Msg::HintSelect)));
                h.push(("o", cx.tr(Msg::HintNewOrder)));
                h.push(("m", cx.tr(Msg::HintSendOrders)));
                h.push(("i", cx.tr(Msg::HintImportReports)));
                h.push(("f", cx.tr(Msg::HintImportMedia)));
                h.push(("x", cx.tr(Msg::HintExportMedia)));
                h.push(("l", cx.tr(Msg::HintLedger)));
                h.push(("p", cx.tr(Msg::HintBrokers)));
                h.push(("b/s", cx.tr(Msg::HintFilter)));
            }
            HubView::Results(_) => {
                h.push(("Enter", cx.tr(Msg::HintShowAck)));
                h.push(("Esc", cx.tr(Msg::HintBack)));
            }
            HubView::Ledger => {
                h.push(("v", cx.tr(Msg::HintAdvance)));
                h.push(("Esc", cx.tr(Msg::HintBack)));
            }
            HubView::Brokers { .. } => {
                h.push(("a", cx.tr(Msg::HintAddBroker)));
                h.push(("q", cx.tr(Msg::HintQrText)));
                h.push(("Esc", cx.tr(Msg::HintBack)));
            }
            HubView::PairText { .. } => {
                h.push(("q", cx.tr(Msg::HintQrText)));
                h.push(("Esc", cx.tr(Msg::HintClose)));
            }
            HubView::Import(_) => InboxForm::hints(cx.lang, h),
            _ => form_hints(cx.lang, h),
        }
    }

    pub fn draw(&self, frame: &mut Frame, cx: &Ctx, area: Rect) {
        let Some(data) = &cx.snap.hub else { return };
        let lang = cx.lang;
        match &self.view {
            HubView::Orders => self.draw_orders(frame, cx, data, area),
            HubView::NewOrder(form) => draw_form(frame, lang, cx.tr(Msg::HintNewOrder), form, area),
            HubView::Send(form) => draw_form(frame, lang, cx.tr(Msg::HintSendOrders), form, area),
            HubView::Import(inbox) => inbox.draw(frame, lang, cx.tr(Msg::ImportReportsTitle), area),
            HubView::Results(receipt) => draw_results(frame, cx, receipt, area),
            HubView::Ledger => draw_ledger(frame, cx, data, area),
            HubView::Advance(form) => draw_form(frame, lang, cx.tr(Msg::HintAdvance), form, area),
            HubView::Brokers { qr } => {
                let mut lines = vec![
                    Line::styled(cx.tr(Msg::YourPublicKey), bold()),
                    Line::from(data.public_key.clone()),
                    Line::from(""),
                    Line::styled(cx.tr(Msg::BrokersTitle), bold()),
                ];
                if data.brokers.is_empty() {
                    lines.push(Line::from(cx.tr(Msg::NoBrokersHelp)));
                }
                for b in &data.brokers {
                    lines.push(Line::from(
                        lang.format(Msg::BrokerLine, &[&b.name, &b.safety_code, &time::format_time(b.paired_at)]),
                    ));
                }
                draw_key_view(frame, lang, cx.tr(Msg::HintBrokers), lines, &data.public_key, *qr, area);
            }
            HubView::AddBroker(form) => draw_form(frame, lang, cx.tr(Msg::HintAddBroker), form, area),
            HubView::PairText { title, text, qr } => draw_pair_text(frame, lang, *title, text, None, *qr, area),
            HubView::ExportMedia { form, .. } => draw_form(frame, lang, cx.tr(Msg::HintExportMedia), form, area),
            HubView::ImportMedia(form) => draw_form(frame, lang, cx.tr(Msg::HintImportMedia), form, area),
        }
    }

    fn draw_orders(&self, frame: &mut Frame, cx: &Ctx, data: &HubData, area: Rect) {
        let broker = self.broker_filter.clone().unwrap_or_else(|| cx.tr(Msg::FilterAll).to_string());
        // The filter line wraps rather than being cut (a long broker name on a phone).
        let filter_text =
            wrap_text(cx.lang.format(Msg::HubFilters, &[&broker, cx.tr(self.status_filter.msg())]), area.width);
        let filter_rows = filter_text.lines.len().clamp(1, 3) as u16;
        let [filters, list, detail] =
            Layout::vertical([Constraint::Length(filter_rows), Constraint::Min(4), Constraint::Length(7)]).areas(area);
        frame.render_widget(Paragraph::new(filter_text), filters);
        let visible = self.visible(data);
        let block = titled(cx.tr(Msg::HubOrdersTitle));
        if visible.is_empty() {
            let text = if data.brokers.is_empty() { cx.tr(Msg::NoBrokersHelp) } else { cx.tr(Msg::NoOrders) };
            frame.render_widget(Paragraph::new(wrap_text(text, inner_width(list))).block(block), list);
            return;
        }
        let wide = area.width >= 76;
        let rows = visible
            .iter()
            .map(|o| {
                let mut cells = vec![
                    FitCell::new(o.broker.clone()),
                    FitCell::new(o.code.to_string()),
                    FitCell::new(o.alias.clone()),
                    amount_cell(cx.lang, o.amount_minor, o.currency),
                    FitCell::new(cx.tr(status_msg(o.status))),
                ];
                if wide {
                    cells.push(FitCell::new(deadline_text(o.deadline_minutes)));
                }
                cells
            })
            .collect();
        let mut cols = vec![
            FitCol::wrapping(cx.tr(Msg::ColBroker)),
            FitCol::fixed(cx.tr(Msg::ColCode)),
            FitCol::optional(cx.tr(Msg::ColAlias)),
            FitCol::fixed(cx.tr(Msg::ColAmount)),
            FitCol::wrapping(cx.tr(Msg::ColStatus)),
        ];
        if wide {
            cols.push(FitCol::optional(cx.tr(Msg::ColDeadline)));
        }
        let selected = self.selected.min(visible.len() - 1);
        let mut state = TableState::default().with_selected(Some(selected));
        frame.render_stateful_widget(fit_table(&cols, rows, inner_width(list), block), list, &mut state);
        if let Some(o) = visible.get(selected) {
            let mut lines = vec![
                // The amount whole (the list may show it short on a phone).
                Line::from(format!("{}  {}  {}", o.code, o.alias, format_amount(o.amount_minor, o.currency))),
                Line::from(cx.lang.format(Msg::DetailPlace, &[&o.place_hint])),
                Line::from(cx.lang.format(Msg::AskQuestion, &[&o.question])),
                Line::from(cx.lang.format(
                    Msg::DetailDeadlineFee,
                    &[&deadline_text(o.deadline_minutes), &format_amount(o.fee_minor, o.currency)],
                )),
            ];
            if let Some(r) = &o.report {
                let media = match (r.has_media, r.media_imported) {
                    (false, _) => "",
                    (true, false) => cx.tr(Msg::MediaAnnounced),
                    (true, true) => cx.tr(Msg::MediaHere),
                };
                lines.push(Line::from(format!(
                    "{} {}",
                    cx.lang.format(
                        Msg::DetailReport,
                        &[&format_amount(r.amount_handed_minor, o.currency), &deadline_text(r.delivered_minutes)]
                    ),
                    media
                )));
            }
            frame.render_widget(Paragraph::new(wrap_text(lines, inner_width(detail))).block(Block::bordered()), detail);
        }
    }
}

fn draw_results(frame: &mut Frame, cx: &Ctx, receipt: &Receipt, area: Rect) {
    let [list, foot] = Layout::vertical([Constraint::Min(4), Constraint::Length(3)]).areas(area);
    let rows = receipt
        .results
        .iter()
        .map(|r| {
            vec![
                FitCell::new(r.code.to_string()),
                amount_cell(cx.lang, r.amount_handed_minor, r.currency),
                r.amount_ordered_minor.map_or_else(|| FitCell::new(""), |a| amount_cell(cx.lang, a, r.currency)),
                FitCell::new(cx.tr(outcome_msg(r.outcome))),
                FitCell::new(if r.has_media { cx.tr(Msg::Yes) } else { "" }),
            ]
        })
        .collect();
    let cols = [
        FitCol::fixed(cx.tr(Msg::ColCode)),
        FitCol::fixed(cx.tr(Msg::ColHanded)),
        FitCol::fixed(cx.tr(Msg::ColOrdered)),
        FitCol::wrapping(cx.tr(Msg::ColVerdict)),
        FitCol::wrapping(cx.tr(Msg::ColMedia)),
    ];
    let title = cx.lang.format(Msg::ResultsTitle, &[&receipt.broker]);
    frame.render_widget(fit_table(&cols, rows, inner_width(list), titled(&title)), list);
    frame.render_widget(
        Paragraph::new(wrap_text(
            match &receipt.ack {
                Some(ack) => cx.lang.format(Msg::AckReady, &[&ack.chars().to_string()]),
                None => cx.lang.tr(Msg::AckWaitsForMedia).to_owned(),
            },
            inner_width(foot),
        ))
        .block(Block::bordered()),
        foot,
    );
}

fn draw_ledger(frame: &mut Frame, cx: &Ctx, data: &HubData, area: Rect) {
    let [list, foot] = Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    let n = |v: u128, c: Currency| format_number(i128::try_from(v).unwrap_or(i128::MAX), c);
    let labels =
        [Msg::ColAdvanced, Msg::ColDelivered, Msg::ColFees, Msg::ColDisputed, Msg::ColOutstanding, Msg::ColBalance];
    let values = |r: &lethe_remit::LedgerRow| {
        [
            n(r.advanced, r.currency),
            n(r.delivered, r.currency),
            n(r.fees_owed, r.currency),
            n(r.disputed, r.currency),
            n(r.outstanding, r.currency),
            format_number(r.balance, r.currency),
        ]
    };
    if inner_width(list) < 90 {
        // A phone: one block of wrapped lines per broker and currency, every figure whole.
        let mut lines = Vec::new();
        for r in &data.ledger {
            lines.push(Line::styled(format!("{} · {}", r.broker, r.currency.code()), bold()));
            for (label, value) in labels.iter().zip(values(r)) {
                lines.push(Line::from(format!("  {} {value}", cx.tr(*label))));
            }
        }
        frame.render_widget(
            Paragraph::new(wrap_text(lines, inner_width(list))).block(titled(cx.tr(Msg::HintLedger))),
            list,
        );
        frame.render_widget(Paragraph::new(wrap_text(cx.tr(Msg::LedgerExplain), foot.width)), foot);
        return;
    }
    let rows = data
        .ledger
        .iter()
        .map(|r| {
            let mut cells = vec![FitCell::new(r.broker.clone()), FitCell::new(r.currency.code())];
            cells.extend(values(r).into_iter().map(FitCell::new));
            cells
        })
        .collect();
    let mut cols = vec![FitCol::wrapping(cx.tr(Msg::ColBroker)), FitCol::fixed("")];
    cols.extend(labels.iter().map(|l| FitCol::fixed(cx.tr(*l))));
    frame.render_widget(fit_table(&cols, rows, inner_width(list), titled(cx.tr(Msg::HintLedger))), list);
    frame.render_widget(Paragraph::new(wrap_text(cx.tr(Msg::LedgerExplain), foot.width)), foot);
}
