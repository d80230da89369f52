//! Tables that fit a phone's width without cutting a word: each column is as wide as its
//! widest cell. When the table is wider than the screen, amounts take their short form
//! with a unit (`1.5억 KRW`), then optional columns go (they are in the detail below the
//! list), and last the columns that may wrap are narrowed and their cells wrapped onto
//! more rows. Codes and amounts are never wrapped or cut.

use super::i18n::Lang;
use super::text::str_width;
use super::widgets::{bold, highlight};
use super::wrap::wrap_text;
use crate::words;
use lethe_protocol::Currency;
use ratatui::layout::Constraint;
use ratatui::text::Text;
use ratatui::widgets::{Block, Cell, Row, Table};

/// Columns never narrower than this when they wrap.
const MIN_WRAP: usize = 4;
/// The selection mark in front of rows.
const MARK: &str = "> ";

/// One column: its header, whether it may be left out on a narrow screen, and whether its
/// cells may wrap onto more rows (never for codes and amounts).
#[derive(Clone, Copy)]
pub struct FitCol<'a> {
    pub header: &'a str,
    pub optional: bool,
    pub wraps: bool,
}

impl<'a> FitCol<'a> {
    /// A column always shown that never wraps (codes, amounts).
    pub fn fixed(header: &'a str) -> FitCol<'a> {
        FitCol { header, optional: false, wraps: false }
    }
    /// A column always shown whose cells may wrap (names, statuses).
    pub fn wrapping(header: &'a str) -> FitCol<'a> {
        FitCol { header, optional: false, wraps: true }
    }
    /// A column left out when the screen is too narrow.
    pub fn optional(header: &'a str) -> FitCol<'a> {
        FitCol { header, optional: true, wraps: true }
    }
}

/// A cell: its text, and a shorter form for narrow screens (amounts).
pub struct FitCell {
    pub full: String,
    pub short: Option<String>,
}

impl FitCell {
    pub fn new(full: impl Into<String>) -> FitCell {
        FitCell { full: full.into(), short: None }
    }
    pub fn with_short(full: String, short: String) -> FitCell {
        FitCell { full, short: Some(short) }
    }
    fn text(&self, short: bool) -> &str {
        match (&self.short, short) {
            (Some(s), true) => s,
            _ => &self.full,
        }
    }
}

/// An amount cell: the whole amount, or `1.5억 KRW` on a narrow screen.
pub fn amount_cell(lang: Lang, minor: u64, currency: Currency) -> FitCell {
    FitCell::with_short(lethe_remit::format_amount(minor, currency), words::compact_amount(lang, minor, currency))
}

/// What was chosen for a width: which columns, short amounts or not, and the column widths.
#[derive(Debug, PartialEq, Eq)]
pub struct Fit {
    pub columns: Vec<usize>,
    pub short: bool,
    pub widths: Vec<usize>,
}

/// Chooses columns, forms and widths for a table `width` cells wide (inside its borders).
pub fn choose(cols: &[FitCol], rows: &[Vec<FitCell>], width: usize) -> Fit {
    let avail = width.saturating_sub(str_width(MARK));
    let natural = |columns: &[usize], short: bool| -> Vec<usize> {
        columns
            .iter()
            .map(|&c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| str_width(cell.text(short)))
                    .chain([str_width(cols[c].header)])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    };
    let total = |widths: &[usize]| widths.iter().sum::<usize>() + widths.len().saturating_sub(1);
    let all: Vec<usize> = (0..cols.len()).collect();
    let needed: Vec<usize> = all.iter().copied().filter(|&c| !cols[c].optional).collect();
    for (columns, short) in [(&all, false), (&all, true), (&needed, false), (&needed, true)] {
        let widths = natural(columns, short);
        if total(&widths) <= avail {
            return Fit { columns: columns.clone(), short, widths };
        }
    }
    // Narrow the widest column, one cell at a time, until the table fits: a wrapping
    // column down to a few cells, another only as far as its header wraps and its cells
    // stay whole.
    let mut widths = natural(&needed, true);
    let floors: Vec<usize> = needed
        .iter()
        .map(|&c| {
            if cols[c].wraps {
                MIN_WRAP
            } else {
                rows.iter().filter_map(|r| r.get(c)).map(|cell| str_width(cell.text(true))).max().unwrap_or(0).max(1)
            }
        })
        .collect();
    while total(&widths) > avail {
        let widest = (0..needed.len()).filter(|&i| widths[i] > floors[i]).max_by_key(|&i| widths[i]);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    Fit { columns: needed, short: true, widths }
}

/// The table for `width` cells inside `block`'s borders.
pub fn fit_table<'a>(cols: &[FitCol], rows: Vec<Vec<FitCell>>, width: u16, block: Block<'a>) -> Table<'a> {
    let fit = choose(cols, &rows, usize::from(width));
    let cell = |text: &str, w: usize| -> (Text<'static>, usize) {
        if str_width(text) <= w {
            (Text::from(text.to_owned()), 1)
        } else {
            let t = wrap_text(text.to_owned(), w as u16);
            let h = t.lines.len();
            (t, h)
        }
    };
    let header: Vec<(Text<'static>, usize)> =
        fit.columns.iter().zip(&fit.widths).map(|(&c, &w)| cell(cols[c].header, w)).collect();
    let header_height = header.iter().map(|(_, h)| *h).max().unwrap_or(1);
    let header = Row::new(header.into_iter().map(|(t, _)| Cell::from(t))).style(bold()).height(header_height as u16);
    let rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            let cells: Vec<(Text<'static>, usize)> = fit
                .columns
                .iter()
                .zip(&fit.widths)
                .map(|(&c, &w)| cell(r.get(c).map_or("", |x| x.text(fit.short)), w))
                .collect();
            let height = cells.iter().map(|(_, h)| *h).max().unwrap_or(1);
            Row::new(cells.into_iter().map(|(t, _)| Cell::from(t))).height(height as u16)
        })
        .collect();
    let widths: Vec<Constraint> = fit.widths.iter().map(|&w| Constraint::Length(w as u16)).collect();
    Table::new(rows, widths)
        .header(header)
        .block(block)
        .highlight_symbol(MARK)
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always)
        .row_highlight_style(highlight())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Vec<FitCell>> {
        vec![vec![
            FitCell::new("35D-2QY1"),
            FitCell::new("김철수"),
            FitCell::with_short("150,000,000 KRW".into(), "1.5억 KRW".into()),
            FitCell::new("본부 확인 기다림"),
        ]]
    }

    fn cols() -> Vec<FitCol<'static>> {
        vec![FitCol::fixed("코드"), FitCol::optional("별칭"), FitCol::fixed("금액"), FitCol::wrapping("상태")]
    }

    #[test]
    fn wide_screens_show_everything_whole() {
        let fit = choose(&cols(), &rows(), 80);
        assert_eq!((fit.columns, fit.short, fit.widths), (vec![0, 1, 2, 3], false, vec![8, 6, 15, 16]));
    }

    #[test]
    fn narrow_screens_shorten_amounts_then_drop_optional_columns_then_wrap() {
        // 8+6+15+16+3 = 48 plus the mark does not fit in 48: short amounts (9) do.
        let fit = choose(&cols(), &rows(), 48);
        assert_eq!((fit.columns, fit.short), (vec![0, 1, 2, 3], true));
        let fit = choose(&cols(), &rows(), 40);
        assert_eq!((fit.columns, fit.short), (vec![0, 2, 3], true));
        // Only the status may wrap: it is narrowed, the code and the amount are not.
        let fit = choose(&cols(), &rows(), 30);
        assert_eq!((fit.columns, fit.short), (vec![0, 2, 3], true));
        assert_eq!(&fit.widths[..2], &[8, 9]);
        assert!(fit.widths.iter().sum::<usize>() + 2 + 2 <= 30, "{:?}", fit.widths);
    }
}
