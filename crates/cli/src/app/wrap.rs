//! Word wrapping by display width, done before ratatui sees the text: ratatui 0.30's own
//! wrapping can make a line one cell wider than the area when it holds Hangul or Chinese,
//! which overwrites the border. Lines break at spaces; a word wider than the line (a
//! Chinese sentence has no spaces) breaks between characters. Leading spaces are kept.

use super::text::char_width;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

type Cells = Vec<(char, Style)>;

fn to_line(cells: &[(char, Style)], template: &Line<'_>) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut style = None;
    for &(c, s) in cells {
        if style != Some(s) && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), style.unwrap_or_default()));
        }
        style = Some(s);
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, style.unwrap_or_default()));
    }
    let mut line = Line::from(spans).style(template.style);
    line.alignment = template.alignment;
    line
}

fn width_of(cells: &[(char, Style)]) -> usize {
    cells.iter().map(|(c, _)| char_width(*c)).sum()
}

/// One line wrapped to `width` cells.
pub fn wrap_line(line: &Line<'_>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let cells: Cells = line.spans.iter().flat_map(|s| s.content.chars().map(move |c| (c, s.style))).collect();
    let indent = cells.iter().take_while(|(c, _)| *c == ' ').count();
    let mut out: Vec<Cells> = Vec::new();
    let mut cur: Cells = cells[..indent].to_vec();
    let mut cur_w = width_of(&cur).min(width.saturating_sub(1));
    cur.truncate(cur_w);
    let mut pending_spaces: Cells = Vec::new();
    let mut i = indent;
    while i < cells.len() {
        if cells[i].0 == ' ' {
            pending_spaces.push(cells[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < cells.len() && cells[i].0 != ' ' {
            i += 1;
        }
        let word = &cells[start..i];
        let word_w = width_of(word);
        let space_w = width_of(&pending_spaces);
        if cur_w + space_w + word_w <= width {
            cur.append(&mut pending_spaces);
            cur.extend_from_slice(word);
            cur_w += space_w + word_w;
            continue;
        }
        if word_w <= width {
            // The word fits on a line of its own.
            pending_spaces.clear();
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.extend_from_slice(word);
            cur_w = word_w;
            continue;
        }
        // Wider than any line: fill this line, then break between characters.
        if cur_w + space_w < width {
            cur.append(&mut pending_spaces);
            cur_w += space_w;
        }
        pending_spaces.clear();
        for &cell in word {
            let w = char_width(cell.0);
            if cur_w + w > width && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            cur.push(cell);
            cur_w += w;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out.iter().map(|cells| to_line(cells, line)).collect()
}

/// Every line of `text` wrapped to `width` cells.
pub fn wrap_text<'a>(text: impl Into<Text<'a>>, width: u16) -> Text<'static> {
    let text: Text<'a> = text.into();
    let lines: Vec<Line<'static>> = text.lines.iter().flat_map(|l| wrap_line(l, width as usize)).collect();
    Text::from(lines).style(text.style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::text::str_width;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn hangul_lines_never_exceed_the_width() {
        // This sentence made ratatui's own wrapper produce a 47-cell line in 46 cells.
        let text = "아직 본부와 짝을 맺지 않았습니다. p 키: 내 공개 키를 본부에 주고, 본부의 키를 입력하세요.";
        for width in [10, 20, 33, 46, 47, 80] {
            let lines = plain(&wrap_line(&Line::from(text), width));
            for l in &lines {
                assert!(str_width(l) <= width, "{width}: {l:?} is {} wide", str_width(l));
            }
            // Nothing lost but the spaces at the breaks.
            let joined: String = lines.concat().replace(' ', "");
            assert_eq!(joined, text.replace(' ', ""));
        }
    }

    #[test]
    fn chinese_without_spaces_breaks_between_characters_and_indent_stays() {
        let lines = plain(&wrap_line(&Line::from("  中心为经手人创建订单金额按习惯输入"), 10));
        assert_eq!(lines[0], "  中心为经");
        assert!(lines.iter().all(|l| str_width(l) <= 10), "{lines:?}");
        assert_eq!(lines.concat().trim(), "中心为经手人创建订单金额按习惯输入");
    }

    #[test]
    fn styles_survive_the_wrap() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![Span::styled("Ctrl-Q", bold), Span::raw(" 끝내기 Tab 다음 화면")]);
        let lines = wrap_line(&line, 12);
        assert_eq!(lines[0].spans[0].style, bold);
        assert_eq!(lines[0].spans[0].content, "Ctrl-Q");
        assert!(plain(&lines).iter().all(|l| str_width(l) <= 12));
        // An empty line stays one empty line.
        assert_eq!(wrap_line(&Line::from(""), 10).len(), 1);
    }
}
