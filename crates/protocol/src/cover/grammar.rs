//! The grammar engine: sentences built from literals, word lists, numbers and Korean
//! particles, written by following choices and read back by a deterministic parser.
//!
//! A grammar is a tree. [`El::Alt`] is a choice between sequences of elements; a
//! [`El::Word`] is a choice of one word from a list; a [`El::Num`] is a choice of one
//! number from an arithmetic range. Every choice is one *digit* of radix "number of
//! options". Reading works on the text after [`normalize`] (NFKC, all white space and
//! invisible characters removed), and is deterministic because of three rules that
//! [`check`] verifies for every grammar (and a test runs it):
//!
//! 1. the options of every word list, after normalising, are non-empty and prefix-free
//!    (no option is a prefix of another);
//! 2. every alternative of an [`El::Alt`] starts with a literal or a word list, and the
//!    union of those first strings over all alternatives is prefix-free;
//! 3. whatever can follow a number (the next element, or what follows the sentence
//!    part it ends) starts with a character that cannot continue a number: not a digit
//!    in any script, not a numeral unit (십, 百, 万, 块, ...), and not `,` followed by a
//!    digit (the reader takes `,` between digits as a thousands separator). The end of
//!    the text is fine: the reader then asks for the rest.
//!
//! With 1 and 2, when the text starts with the option that was written, no other option
//! can also match (it would be a prefix of it, or it a prefix of the other); with 3 the
//! number's digits end where they were written.

use unicode_normalization::UnicodeNormalization;

/// One element of a sentence.
#[derive(Clone, Copy, Debug)]
pub(crate) enum El {
    /// Fixed text (carries nothing).
    Lit(&'static str),
    /// One word from the list.
    Word(&'static [&'static str]),
    /// One number from an arithmetic range.
    Num(Num),
    /// A Korean particle whose form follows the syllable before it.
    Particle(Particle),
    /// One of several sequences.
    Alt(&'static [&'static [El]]),
}

/// A range of numbers `lo, lo + step, ..., lo + step * (count - 1)` and how they are
/// written. For [`Style::Decimal`] the values are in units of `10^-places`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Num {
    pub(crate) lo: u32,
    pub(crate) step: u32,
    pub(crate) count: u32,
    pub(crate) style: Style,
}

/// How a number is written.
#[cfg_attr(not(test), allow(dead_code))] // `Grouped` is used by tests only today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// `5200`
    Plain,
    /// `5,200`
    Grouped,
    /// `2.35` with the given number of decimal places
    Decimal(u32),
    /// Korean units with Arabic coefficients: `1만8천5백` (18,500)
    KoUnits,
    /// Korean Sino-Korean numerals in Hangul: `만팔천오백` (18,500)
    KoWords,
    /// Chinese numerals: `三千一百五十` (3,150)
    ZhHan,
    /// Chinese money in yuan, jiao and fen, the value in fen: `两块三毛五` (2.35)
    ZhKuai,
}

/// Characters that can continue a number in some style: a number must not be followed
/// by one of them.
#[cfg(test)]
pub(crate) fn continues_number(c: char) -> bool {
    c.is_ascii_digit()
        || c == ','
        || KO_DIGITS.contains(&c)
        || ZH_DIGITS.contains(&c)
        || matches!(c, '십' | '백' | '천' | '만' | '十' | '百' | '千' | '万' | '零' | '毛')
}

const KO_DIGITS: [char; 9] = ['일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];
const ZH_DIGITS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '两'];

fn numeral_digit(c: char) -> Option<u64> {
    if let Some(i) = KO_DIGITS.iter().position(|&d| d == c) {
        return Some(i as u64 + 1);
    }
    match c {
        '两' => Some(2),
        _ => ZH_DIGITS[..9].iter().position(|&d| d == c).map(|i| i as u64 + 1),
    }
}

fn numeral_unit(c: char) -> Option<u64> {
    match c {
        '십' | '十' => Some(10),
        '백' | '百' => Some(100),
        '천' | '千' => Some(1000),
        _ => None,
    }
}

fn ko_section(n: u64, out: &mut String) {
    for (unit, value) in [('천', 1000), ('백', 100), ('십', 10)] {
        let d = n / value % 10;
        if d > 1 {
            out.push(KO_DIGITS[d as usize - 1]);
        }
        if d > 0 {
            out.push(unit);
        }
    }
    if !n.is_multiple_of(10) {
        out.push(KO_DIGITS[(n % 10) as usize - 1]);
    }
}

fn ko_words(n: u64) -> String {
    let mut out = String::new();
    let (man, rest) = (n / 10_000, n % 10_000);
    if man > 1 {
        ko_section(man, &mut out);
    }
    if man > 0 {
        out.push('만');
        if rest > 0 {
            // Korean spacing: a space after each 만 group.
            out.push(' ');
        }
    }
    ko_section(rest, &mut out);
    out
}

fn ko_units(n: u64) -> String {
    let mut out = String::new();
    let (man, rest) = (n / 10_000, n % 10_000);
    if man > 0 {
        out.push_str(&format!("{man}만"));
        if rest > 0 {
            out.push(' ');
        }
    }
    for (unit, value) in [('천', 1000), ('백', 100)] {
        let d = rest / value % 10;
        if d > 0 {
            out.push_str(&format!("{d}{unit}"));
        }
    }
    if rest % 100 > 0 {
        out.push_str(&(rest % 100).to_string());
    }
    out
}

fn zh_digit(d: u64, liang: bool) -> char {
    if d == 2 && liang { '两' } else { ZH_DIGITS[d as usize - 1] }
}

fn zh_section(n: u64, inside: bool, out: &mut String) {
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ['千', '百', '十'];
    let (mut started, mut zero) = (false, false);
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero |= started || inside;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十 rather than 一十 when the number starts with it.
        let leading_ten = i == 2 && d == 1 && !started && !inside;
        if !leading_ten {
            out.push(zh_digit(d, i < 2));
        }
        if let Some(&u) = units.get(i) {
            out.push(u);
        }
        started = true;
    }
}

fn zh_han(n: u64) -> String {
    let mut out = String::new();
    let (man, rest) = (n / 10_000, n % 10_000);
    if man > 0 {
        zh_section(man, false, &mut out);
        out.push('万');
    }
    if rest > 0 {
        zh_section(rest, man > 0, &mut out);
    }
    out
}

fn zh_kuai(fen_total: u64) -> String {
    let (yuan, jiao, fen) = (fen_total / 100, fen_total / 10 % 10, fen_total % 10);
    if yuan == 0 {
        // 八毛五, 八毛 (values below 0.10 are not used).
        let mut out = String::new();
        out.push(zh_digit(jiao.max(1), false));
        out.push('毛');
        if fen > 0 {
            out.push(zh_digit(fen, false));
        }
        return out;
    }
    let mut out = if yuan == 2 { "两".to_owned() } else { zh_han(yuan) };
    out.push('块');
    if fen == 0 {
        if jiao > 0 {
            out.push(zh_digit(jiao, false));
        }
    } else {
        if jiao == 0 {
            out.push('零');
        } else {
            out.push(zh_digit(jiao, false));
            out.push('毛');
        }
        out.push(zh_digit(fen, false));
    }
    out
}

/// Korean particles whose form depends on whether the syllable before ends in a
/// consonant (받침).
#[cfg_attr(not(test), allow(dead_code))] // not every form is used by the grammars today.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Particle {
    /// 이 / 가
    IGa,
    /// 은 / 는
    EunNeun,
    /// 을 / 를
    EulReul,
    /// 으로 / 로 (로 also after ㄹ)
    EuroRo,
}

/// Shorthand for a number element.
pub(crate) const fn num(lo: u32, step: u32, count: u32, style: Style) -> El {
    El::Num(Num { lo, step, count, style })
}

/// Characters removed before reading: white space of every kind and invisible
/// characters that chat apps insert.
fn is_removed(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The form of a text that reading works on: NFKC (full-width digits and punctuation
/// become ASCII, compatibility forms fold), then every white space and invisible
/// character removed.
pub(crate) fn normalize(text: &str) -> String {
    text.nfkc().filter(|&c| !is_removed(c)).collect()
}

/// For a Hangul syllable: `Some(final consonant index)` (0 = none, 8 = ㄹ).
fn hangul_final(c: char) -> Option<u32> {
    let code = c as u32;
    (0xAC00..=0xD7A3).contains(&code).then_some((code - 0xAC00) % 28)
}

fn particle_form(particle: Particle, previous: Option<char>) -> &'static str {
    let fin = previous.and_then(hangul_final).unwrap_or(0);
    match (particle, fin) {
        (Particle::IGa, 0) => "가",
        (Particle::IGa, _) => "이",
        (Particle::EunNeun, 0) => "는",
        (Particle::EunNeun, _) => "은",
        (Particle::EulReul, 0) => "를",
        (Particle::EulReul, _) => "을",
        (Particle::EuroRo, 0 | 8) => "로",
        (Particle::EuroRo, _) => "으로",
    }
}

fn format_num(n: &Num, digit: u32) -> String {
    let value = u64::from(n.lo) + u64::from(n.step) * u64::from(digit);
    match n.style {
        Style::Plain => value.to_string(),
        Style::Grouped => {
            let plain = value.to_string();
            let mut out = String::with_capacity(plain.len() + plain.len() / 3);
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        }
        Style::Decimal(places) => {
            let scale = 10u64.pow(places);
            format!("{}.{:0width$}", value / scale, value % scale, width = places as usize)
        }
        Style::KoUnits => ko_units(value),
        Style::KoWords => ko_words(value),
        Style::ZhHan => zh_han(value),
        Style::ZhKuai => zh_kuai(value),
    }
}

/// A grammar with the normalised forms of its strings, ready for reading.
pub(crate) struct Compiled {
    top: CAlt,
}

struct CAlt {
    /// The alternatives, each with the normalised first strings it can start with.
    alts: Vec<(Vec<String>, Vec<CEl>)>,
}

enum CEl {
    Lit { text: &'static str, norm: String },
    Word { options: &'static [&'static str], norm: Vec<String> },
    Num(Num),
    Particle(Particle),
    Alt(CAlt),
}

fn compile_seq(seq: &[El]) -> Vec<CEl> {
    seq.iter()
        .map(|el| match *el {
            El::Lit(text) => CEl::Lit { text, norm: normalize(text) },
            El::Word(options) => CEl::Word { options, norm: options.iter().map(|o| normalize(o)).collect() },
            El::Num(n) => CEl::Num(n),
            El::Particle(p) => CEl::Particle(p),
            El::Alt(alts) => CEl::Alt(compile_alt(alts)),
        })
        .collect()
}

fn compile_alt(alts: &[&[El]]) -> CAlt {
    CAlt {
        alts: alts
            .iter()
            .map(|seq| {
                let first = match seq.first() {
                    Some(El::Lit(text)) => vec![normalize(text)],
                    Some(El::Word(options)) => options.iter().map(|o| normalize(o)).collect(),
                    _ => Vec::new(),
                };
                (first, compile_seq(seq))
            })
            .collect(),
    }
}

impl Compiled {
    /// Compiles a grammar whose sentences are the alternatives of `top`.
    pub(crate) fn new(top: &'static [&'static [El]]) -> Self {
        Compiled { top: compile_alt(top) }
    }

    /// Writes one sentence, taking each choice from `choose(radix)` (which returns a
    /// value below `radix`), onto `out`.
    pub(crate) fn write_sentence(&self, out: &mut String, choose: &mut dyn FnMut(u32) -> u32) {
        write_alt(&self.top, out, choose);
    }

    /// Reads one sentence at the start of `text` (normalised). Returns the choices read
    /// as `(value, radix)` and how it ended.
    pub(crate) fn read_sentence(&self, text: &str) -> (Vec<(u32, u32)>, ReadEnd) {
        let mut reader = Reader { text, pos: 0, choices: Vec::new(), previous: None };
        let end = match reader.alt(&self.top) {
            Ok(()) => ReadEnd::Complete(reader.pos),
            Err(Stop::RanOut) => ReadEnd::RanOut,
            Err(Stop::Mismatch) => ReadEnd::Mismatch,
        };
        (reader.choices, end)
    }
}

fn write_alt(alt: &CAlt, out: &mut String, choose: &mut dyn FnMut(u32) -> u32) {
    let index = choose(alt.alts.len() as u32) as usize;
    if let Some((_, seq)) = alt.alts.get(index) {
        write_seq(seq, out, choose);
    }
}

fn write_seq(seq: &[CEl], out: &mut String, choose: &mut dyn FnMut(u32) -> u32) {
    for el in seq {
        match el {
            CEl::Lit { text, .. } => out.push_str(text),
            CEl::Word { options, .. } => {
                let index = choose(options.len() as u32) as usize;
                out.push_str(options.get(index).copied().unwrap_or_default());
            }
            CEl::Num(n) => {
                let digit = choose(n.count);
                out.push_str(&format_num(n, digit));
            }
            CEl::Particle(p) => {
                let previous = out.chars().rev().find(|&c| !is_removed(c));
                out.push_str(particle_form(*p, previous));
            }
            CEl::Alt(alt) => write_alt(alt, out, choose),
        }
    }
}

/// How reading one sentence ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadEnd {
    /// The whole sentence was read; it ends at this byte offset.
    Complete(usize),
    /// The text ended inside the sentence; the choices read so far are valid.
    RanOut,
    /// The text is not a sentence of this grammar here.
    Mismatch,
}

enum Stop {
    RanOut,
    Mismatch,
}

struct Reader<'t> {
    text: &'t str,
    pos: usize,
    choices: Vec<(u32, u32)>,
    previous: Option<char>,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    /// Whether the rest of the text is a proper prefix of `s` (the text ran out).
    fn ran_out_within(&self, s: &str) -> bool {
        s.len() > self.rest().len() && s.starts_with(self.rest())
    }

    fn take(&mut self, s: &str) {
        self.pos += s.len();
        if let Some(c) = s.chars().last() {
            self.previous = Some(c);
        }
    }

    fn literal(&mut self, norm: &str) -> Result<(), Stop> {
        if self.rest().starts_with(norm) {
            self.take(norm);
            Ok(())
        } else if self.ran_out_within(norm) {
            Err(Stop::RanOut)
        } else {
            Err(Stop::Mismatch)
        }
    }

    fn word(&mut self, norm: &[String]) -> Result<(), Stop> {
        let mut ran_out = false;
        for (index, option) in norm.iter().enumerate() {
            if self.rest().starts_with(option.as_str()) {
                self.choices.push((index as u32, norm.len() as u32));
                self.take(option);
                return Ok(());
            }
            ran_out |= self.ran_out_within(option);
        }
        Err(if ran_out { Stop::RanOut } else { Stop::Mismatch })
    }

    fn number(&mut self, n: &Num) -> Result<(), Stop> {
        match n.style {
            Style::Plain | Style::Grouped | Style::Decimal(_) => self.arabic_number(n),
            Style::KoUnits | Style::KoWords | Style::ZhHan => {
                let (value, len) = numeral(self.rest())?;
                self.accept_number(n, value, len)
            }
            Style::ZhKuai => {
                let (value, len) = kuai(self.rest())?;
                self.accept_number(n, value, len)
            }
        }
    }

    fn accept_number(&mut self, n: &Num, value: u64, len: usize) -> Result<(), Stop> {
        let lo = u64::from(n.lo);
        let step = u64::from(n.step.max(1));
        if value < lo || !(value - lo).is_multiple_of(step) || (value - lo) / step >= u64::from(n.count) {
            return Err(Stop::Mismatch);
        }
        self.choices.push((((value - lo) / step) as u32, n.count));
        self.pos += len;
        self.previous = self.text[..self.pos].chars().last();
        Ok(())
    }

    fn arabic_number(&mut self, n: &Num) -> Result<(), Stop> {
        let bytes = self.rest().as_bytes();
        let mut i = 0;
        let mut value: u64 = 0;
        let mut digits = 0;
        while i < bytes.len() {
            match bytes[i] {
                b @ b'0'..=b'9' => {
                    value = value.saturating_mul(10).saturating_add(u64::from(b - b'0'));
                    digits += 1;
                }
                b',' if digits > 0 && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {}
                _ => break,
            }
            i += 1;
        }
        if digits == 0 {
            return Err(if i == bytes.len() { Stop::RanOut } else { Stop::Mismatch });
        }
        if let Style::Decimal(places) = n.style {
            if i == bytes.len() {
                return Err(Stop::RanOut);
            }
            if bytes[i] != b'.' {
                return Err(Stop::Mismatch);
            }
            i += 1;
            for _ in 0..places {
                match bytes.get(i) {
                    None => return Err(Stop::RanOut),
                    Some(b @ b'0'..=b'9') => {
                        value = value.saturating_mul(10).saturating_add(u64::from(b - b'0'));
                    }
                    Some(_) => return Err(Stop::Mismatch),
                }
                i += 1;
            }
        }
        if i == bytes.len() {
            // More digits may follow in the rest of the text.
            return Err(Stop::RanOut);
        }
        self.accept_number(n, value, i)
    }

    fn alt(&mut self, alt: &CAlt) -> Result<(), Stop> {
        let mut ran_out = false;
        for (index, (first, seq)) in alt.alts.iter().enumerate() {
            let matches = first.iter().any(|f| self.rest().starts_with(f.as_str()));
            if matches {
                self.choices.push((index as u32, alt.alts.len() as u32));
                return self.seq(seq);
            }
            ran_out |= first.iter().any(|f| self.ran_out_within(f));
        }
        Err(if ran_out { Stop::RanOut } else { Stop::Mismatch })
    }

    fn seq(&mut self, seq: &[CEl]) -> Result<(), Stop> {
        for el in seq {
            match el {
                CEl::Lit { norm, .. } => self.literal(norm)?,
                CEl::Word { norm, .. } => self.word(norm)?,
                CEl::Num(n) => self.number(n)?,
                CEl::Particle(p) => {
                    let form = particle_form(*p, self.previous);
                    self.literal(form)?;
                }
                CEl::Alt(alt) => self.alt(alt)?,
            }
        }
        Ok(())
    }
}

/// Reads a Korean or Chinese numeral (Arabic digit runs, Hangul or Han digits, the
/// units ten to ten thousand, 零) at the start of `text`: its value and length in bytes.
fn numeral(text: &str) -> Result<(u64, usize), Stop> {
    let (mut total, mut section) = (0u64, 0u64);
    let mut current: Option<u64> = None;
    let mut len = 0;
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = 0u64;
            while let Some(&(at, c)) = chars.peek() {
                match c {
                    '0'..='9' => n = n.saturating_mul(10).saturating_add(u64::from(c as u8 - b'0')),
                    ',' if text[at + 1..].starts_with(|d: char| d.is_ascii_digit()) => {}
                    _ => break,
                }
                chars.next();
                len = at + 1;
            }
            if current.is_some() {
                return Err(Stop::Mismatch);
            }
            current = Some(n);
            continue;
        }
        if let Some(d) = numeral_digit(c) {
            if current.is_some() {
                return Err(Stop::Mismatch);
            }
            current = Some(d);
        } else if let Some(unit) = numeral_unit(c) {
            section = section.saturating_add(current.take().unwrap_or(1).saturating_mul(unit));
        } else if c == '만' || c == '万' {
            let group = section.saturating_add(current.take().unwrap_or(0));
            total = total.saturating_add(group.max(1).saturating_mul(10_000));
            section = 0;
        } else if c != '零' {
            break;
        }
        len = at + c.len_utf8();
        chars.next();
    }
    if len == 0 {
        return Err(if text.is_empty() { Stop::RanOut } else { Stop::Mismatch });
    }
    if len == text.len() {
        return Err(Stop::RanOut);
    }
    Ok((total + section + current.unwrap_or(0), len))
}

/// Reads Chinese money `两块三毛五`: its value in fen and length in bytes.
fn kuai(text: &str) -> Result<(u64, usize), Stop> {
    let (yuan, mut len) = numeral(text)?;
    let rest = &text[len..];
    let digit_at = |s: &str| s.chars().next().and_then(numeral_digit);
    if let Some(after) = rest.strip_prefix('毛') {
        // 八毛五: no yuan.
        if yuan == 0 || yuan > 9 {
            return Err(Stop::Mismatch);
        }
        len += '毛'.len_utf8();
        let mut fen = 0;
        if let Some(f) = digit_at(after) {
            fen = f;
            len += 3;
        }
        if len == text.len() {
            return Err(Stop::RanOut);
        }
        return Ok((yuan * 10 + fen, len));
    }
    let Some(rest) = rest.strip_prefix('块') else {
        return Err(Stop::Mismatch);
    };
    len += '块'.len_utf8();
    let (mut jiao, mut fen) = (0, 0);
    if let Some(after) = rest.strip_prefix('零') {
        fen = digit_at(after).ok_or(if after.is_empty() { Stop::RanOut } else { Stop::Mismatch })?;
        len += '零'.len_utf8() + 3;
    } else if let Some(d) = digit_at(rest) {
        jiao = d;
        len += 3;
        let after = &rest[3..];
        if let Some(after) = after.strip_prefix('毛') {
            len += '毛'.len_utf8();
            if let Some(f) = digit_at(after) {
                fen = f;
                len += 3;
            }
        }
    }
    if len == text.len() {
        return Err(Stop::RanOut);
    }
    Ok((yuan.saturating_mul(100) + jiao * 10 + fen, len))
}

/// Every violation of the rules in the module documentation, described in words
/// (empty for a sound grammar).
#[cfg(test)]
pub(crate) fn check(top: &'static [&'static [El]]) -> Vec<String> {
    let mut problems = Vec::new();
    // After a sentence comes the next sentence, or the end of the text.
    let next_sentence = alt_first(top, &[]);
    check_alt(top, &next_sentence, &mut problems, "top");
    problems
}

/// The normalised strings that text matching `seq` followed by `follow` can start with
/// (`"0"` stands for any number).
#[cfg(test)]
fn seq_first(seq: &[El], follow: &[String]) -> Vec<String> {
    let Some((first, rest)) = seq.split_first() else {
        return follow.to_vec();
    };
    match first {
        El::Lit(text) => {
            let norm = normalize(text);
            if norm.is_empty() { seq_first(rest, follow) } else { vec![norm] }
        }
        El::Word(options) => options.iter().map(|o| normalize(o)).collect(),
        El::Num(_) => vec!["0".to_owned()],
        El::Particle(_) => ["이", "가", "은", "는", "을", "를", "으로", "로"].map(str::to_owned).to_vec(),
        El::Alt(alts) => alt_first(alts, &seq_first(rest, follow)),
    }
}

#[cfg(test)]
pub(crate) fn alt_first(alts: &[&[El]], follow: &[String]) -> Vec<String> {
    alts.iter().flat_map(|seq| seq_first(seq, follow)).collect()
}

#[cfg(test)]
fn prefix_free(strings: &[String], what: &str, problems: &mut Vec<String>) {
    for (i, a) in strings.iter().enumerate() {
        if a.is_empty() {
            problems.push(format!("{what}: empty option"));
        }
        for (j, b) in strings.iter().enumerate() {
            if i != j && b.starts_with(a.as_str()) {
                problems.push(format!("{what}: {a:?} is a prefix of {b:?}"));
            }
        }
    }
}

#[cfg(test)]
fn check_alt(alts: &[&[El]], follow: &[String], problems: &mut Vec<String>, path: &str) {
    let mut firsts = Vec::new();
    for (i, seq) in alts.iter().enumerate() {
        match seq.first() {
            Some(El::Lit(text)) if !normalize(text).is_empty() => firsts.push(normalize(text)),
            Some(El::Word(options)) => firsts.extend(options.iter().map(|o| normalize(o))),
            _ => {
                problems.push(format!("{path}/{i}: an alternative must start with a non-blank literal or a word list"))
            }
        }
        check_seq(seq, follow, problems, &format!("{path}/{i}"));
    }
    prefix_free(&firsts, &format!("{path}: first strings"), problems);
}

#[cfg(test)]
fn ends_in_hangul(el: &El) -> bool {
    let last_is_syllable = |s: &str| normalize(s).chars().last().is_some_and(|c| hangul_final(c).is_some());
    match el {
        El::Lit(text) => last_is_syllable(text),
        El::Word(options) => options.iter().all(|o| last_is_syllable(o)),
        _ => false,
    }
}

/// Whether a number followed by text starting with `next` ends where it was written.
#[cfg(test)]
fn ends_number(next: &str, style: Style) -> bool {
    let mut chars = next.chars();
    match chars.next() {
        None => false,
        Some(',') if !matches!(style, Style::Decimal(_) | Style::ZhKuai) => {
            chars.next().is_some_and(|c| !c.is_ascii_digit())
        }
        Some(',') => true,
        Some(c) if c.is_ascii_digit() => false,
        Some(c) => matches!(style, Style::Plain | Style::Grouped | Style::Decimal(_)) || !continues_number(c),
    }
}

#[cfg(test)]
fn check_seq(seq: &[El], follow: &[String], problems: &mut Vec<String>, path: &str) {
    for (i, el) in seq.iter().enumerate() {
        let here = format!("{path}.{i}");
        let after = || seq_first(&seq[i + 1..], follow);
        match el {
            El::Word(options) => {
                let norm: Vec<String> = options.iter().map(|o| normalize(o)).collect();
                prefix_free(&norm, &here, problems);
                if options.len() < 2 {
                    problems.push(format!("{here}: a word list needs at least 2 words"));
                }
            }
            El::Num(n) => {
                // What follows must not read as more of the number.
                for next in after() {
                    if !ends_number(&next, n.style) {
                        problems.push(format!("{here}: a number is followed by {next:?}, which can continue it"));
                    }
                }
                if n.count < 2 || n.step == 0 {
                    problems.push(format!("{here}: a number range needs 2 values or more"));
                }
                let top = u64::from(n.lo) + u64::from(n.step) * u64::from(n.count.saturating_sub(1));
                if top > u64::from(u32::MAX) {
                    problems.push(format!("{here}: the range overflows"));
                }
            }
            El::Particle(_) => {
                if i == 0 || !ends_in_hangul(&seq[i - 1]) {
                    problems.push(format!(
                        "{here}: a particle must follow a literal or word list ending in a Hangul syllable"
                    ));
                }
            }
            El::Alt(alts) => check_alt(alts, &after(), problems, &here),
            El::Lit(_) => {}
        }
    }
}

/// Largest radix of any choice in the grammar (the coder needs it below 2^16).
#[cfg(test)]
pub(crate) fn max_radix(top: &'static [&'static [El]]) -> u32 {
    fn seq_max(seq: &[El]) -> u32 {
        seq.iter()
            .map(|el| match el {
                El::Word(options) => options.len() as u32,
                El::Num(n) => n.count,
                El::Alt(alts) => alt_max(alts),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    fn alt_max(alts: &[&[El]]) -> u32 {
        alts.iter().map(|seq| seq_max(seq)).max().unwrap_or(0).max(alts.len() as u32)
    }
    alt_max(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    static WORDS: &[&str] = &["쌀", "옥수수", "콩"];
    static TOY: &[&[El]] = &[
        &[
            El::Lit("오늘 "),
            El::Word(WORDS),
            El::Particle(Particle::IGa),
            El::Lit(" "),
            num(1000, 50, 40, Style::Grouped),
            El::Lit("원."),
        ],
        &[El::Lit("어제 "), num(100, 1, 300, Style::Decimal(2)), El::Lit("元")],
    ];

    #[test]
    fn toy_grammar_writes_and_reads() {
        assert!(check(TOY).is_empty(), "{:?}", check(TOY));
        let compiled = Compiled::new(TOY);
        let mut out = String::new();
        let mut script = vec![0u32, 0, 39].into_iter();
        compiled.write_sentence(&mut out, &mut |_| script.next().unwrap_or(0));
        assert_eq!(out, "오늘 쌀이 2,950원.");
        let mut out2 = String::new();
        let mut script = vec![0u32, 1, 0].into_iter();
        compiled.write_sentence(&mut out2, &mut |_| script.next().unwrap_or(0));
        assert_eq!(out2, "오늘 옥수수가 1,000원.");
        let text = normalize(&format!("{out}\n{out2}어제 1.23元"));
        let (choices, end) = compiled.read_sentence(&text);
        assert_eq!(choices, vec![(0, 2), (0, 3), (39, 40)]);
        let ReadEnd::Complete(at) = end else { panic!("{end:?}") };
        let (choices, end) = compiled.read_sentence(&text[at..]);
        assert_eq!(choices, vec![(0, 2), (1, 3), (0, 40)]);
        let ReadEnd::Complete(at2) = end else { panic!("{end:?}") };
        let (choices, end) = compiled.read_sentence(&text[at + at2..]);
        assert_eq!(choices, vec![(1, 2), (23, 300)]);
        assert!(matches!(end, ReadEnd::Complete(_)));
        // Cut inside a number: ran out, not a mismatch.
        assert_eq!(compiled.read_sentence("오늘쌀이2,9").1, ReadEnd::RanOut);
        // A value outside the range, a wrong particle and foreign text: mismatch.
        assert_eq!(compiled.read_sentence("오늘쌀이2,975원.").1, ReadEnd::Mismatch);
        assert_eq!(compiled.read_sentence("오늘쌀가2,950원.").1, ReadEnd::Mismatch);
        assert_eq!(compiled.read_sentence("안녕하세요").1, ReadEnd::Mismatch);
    }

    #[test]
    fn check_finds_broken_grammars() {
        static PREFIXED: &[&str] = &["쌀", "쌀값"];
        static BAD: &[&[El]] = &[
            &[El::Word(PREFIXED), num(1, 1, 10, Style::Plain), El::Lit("1원")],
            &[El::Lit("쌀값"), El::Particle(Particle::IGa)],
            &[num(1, 1, 10, Style::Plain), El::Lit("원")],
        ];
        let problems = check(BAD);
        assert!(problems.iter().any(|p| p.contains("prefix of \"쌀값\"")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("can continue it")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("must start with")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("first strings")), "{problems:?}");
    }

    #[test]
    fn particles_follow_the_final_consonant() {
        assert_eq!(particle_form(Particle::IGa, Some('쌀')), "이");
        assert_eq!(particle_form(Particle::IGa, Some('수')), "가");
        assert_eq!(particle_form(Particle::EuroRo, Some('쌀')), "로");
        assert_eq!(particle_form(Particle::EuroRo, Some('국')), "으로");
        assert_eq!(particle_form(Particle::EunNeun, Some('름')), "은");
        assert_eq!(particle_form(Particle::EulReul, Some('차')), "를");
    }

    #[test]
    fn numerals_write_and_read_back() {
        assert_eq!(ko_words(18_500), "만 팔천오백");
        assert_eq!(ko_words(5_230), "오천이백삼십");
        assert_eq!(ko_words(210_011), "이십일만 십일");
        assert_eq!(ko_units(18_500), "1만 8천5백");
        assert_eq!(ko_units(120_030), "12만 30");
        assert_eq!(zh_han(3_150), "三千一百五十");
        assert_eq!(zh_han(3_005), "三千零五");
        assert_eq!(zh_han(15), "十五");
        assert_eq!(zh_han(120_000), "十二万");
        assert_eq!(zh_han(100_500), "十万零五百");
        assert_eq!(zh_han(2_222), "两千两百二十二");
        assert_eq!(zh_kuai(235), "两块三毛五");
        assert_eq!(zh_kuai(230), "两块三");
        assert_eq!(zh_kuai(205), "两块零五");
        assert_eq!(zh_kuai(1_200), "十二块");
        assert_eq!(zh_kuai(85), "八毛五");
        assert_eq!(zh_kuai(80), "八毛");
        for value in (1..200_000u64).step_by(7).chain([10_000, 100_000, 110_000, 1_000_000]) {
            for (text, parse) in [
                (ko_words(value), numeral as fn(&str) -> Result<(u64, usize), Stop>),
                (ko_units(value), numeral),
                (zh_han(value), numeral),
                (zh_kuai(value + 100), kuai),
                (zh_kuai(value % 90 + 10), kuai),
            ] {
                let text = normalize(&text);
                let with_tail = format!("{text}원");
                match parse(&with_tail) {
                    Ok((read, len)) => {
                        let expected = if text.contains('块') {
                            value + 100
                        } else if text.contains('毛') {
                            value % 90 + 10
                        } else {
                            value
                        };
                        assert_eq!((read, len), (expected, text.len()), "{text}");
                    }
                    Err(_) => panic!("{text} does not read"),
                }
                // Cut short, it asks for more.
                assert!(matches!(parse(&text), Err(Stop::RanOut)), "{text}");
            }
        }
        // Full-width digits fold first (normalize), then read.
        assert_eq!(numeral(&normalize("１만８천원")).ok(), Some((18_000, 8)));
    }

    #[test]
    fn normalize_folds_width_and_space() {
        assert_eq!(normalize("５，２００ 원\n\u{3000}元。"), "5,200원元。");
        assert_eq!(normalize("a\u{200B} b"), "ab");
    }
}
