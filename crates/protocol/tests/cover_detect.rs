//! How detectable is cover text? Three measurements with honest limits:
//!
//! 1. encoding filters: no run that a base32, base64 or hex filter flags;
//! 2. character-class mix: Hangul or Han, digits, punctuation, spaces and Latin letters
//!    within the range of ordinary chat text;
//! 3. a character-bigram naive Bayes classifier trained on ordinary text against cover
//!    text: its accuracy on held-out lines is printed (and written in PROTOCOL.md). It is
//!    high — this test does not claim the cover text passes a trained classifier.
//!
//! "Ordinary chat text" is `tests/data/chat-ko.txt` and `chat-zh.txt`: about 90 lines
//! each, written by hand for these tests (not collected from anyone), half everyday
//! family talk and half market and price talk. It is a small corpus; the figures say how
//! this encoder compares with it, not with chat in general.

use lethe_protocol::armor::armor_lines;
use lethe_protocol::cover::{self, CoverStyle};
use std::collections::HashMap;

const KEY: [u8; 32] = [0x33; 32];

fn corpus(style: CoverStyle) -> Vec<String> {
    let text = match style {
        CoverStyle::KoMarket => include_str!("data/chat-ko.txt"),
        _ => include_str!("data/chat-zh.txt"),
    };
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(str::to_owned).collect()
}

/// Deterministic pseudo-random bytes.
fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

/// Cover texts of messages of realistic sizes (60 to 600 bytes).
fn cover_texts(style: CoverStyle, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let payload = bytes(i as u64, 60 + (i * 37) % 540);
            cover::encode(style, &KEY, &payload).expect("encode")
        })
        .collect()
}

// ---- 1. encoding filters -------------------------------------------------------------

/// Longest run of characters in `alphabet`, ignoring white space between them (a filter
/// that strips spaces and line breaks first, the stricter kind).
fn longest_run(text: &str, alphabet: impl Fn(char) -> bool) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        if alphabet(c) {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn base32_flags(text: &str) -> bool {
    // RFC 4648 base32 or Crockford's, either case: 16 characters or more.
    let rfc = |c: char| matches!(c.to_ascii_uppercase(), 'A'..='Z' | '2'..='7' | '=');
    let crockford = |c: char| c.is_ascii_alphanumeric() && !matches!(c.to_ascii_uppercase(), 'I' | 'L' | 'O' | 'U');
    longest_run(text, rfc) >= 16 || longest_run(text, crockford) >= 16
}

fn base64_flags(text: &str) -> bool {
    longest_run(text, |c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_')) >= 20
}

fn hex_flags(text: &str) -> bool {
    longest_run(text, |c| c.is_ascii_hexdigit()) >= 16
}

fn to_base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    data.chunks(3)
        .flat_map(|c| {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            (0..4).map(move |i| char::from(A[((n >> (18 - 6 * i)) & 63) as usize]))
        })
        .collect()
}

#[test]
fn no_run_an_encoding_filter_flags() {
    // Positive controls: the filters flag each encoding of a sealed message's size.
    let sealed = bytes(99, 91);
    let hex: String = sealed.iter().map(|b| format!("{b:02x}")).collect();
    assert!(base32_flags(&armor_lines(&sealed, 6)), "armor is flagged as base32");
    assert!(base64_flags(&to_base64(&sealed)), "base64 is flagged");
    assert!(hex_flags(&hex), "hex is flagged");
    // And they do not flag the ordinary text.
    for style in CoverStyle::ALL {
        let all = corpus(style).join("\n");
        assert!(!base32_flags(&all) && !base64_flags(&all) && !hex_flags(&all));
    }

    let mut longest = [0usize; 3];
    for style in CoverStyle::ALL {
        for text in cover_texts(style, 300) {
            assert!(!base32_flags(&text), "{text}");
            assert!(!base64_flags(&text), "{text}");
            assert!(!hex_flags(&text), "{text}");
            let b64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
            longest[0] = longest[0].max(longest_run(&text, |c| c.is_ascii_alphanumeric()));
            longest[1] = longest[1].max(longest_run(&text, b64));
            longest[2] = longest[2].max(longest_run(&text, |c| c.is_ascii_hexdigit()));
        }
    }
    println!("longest runs in 600 cover texts: alphanumeric {}, base64 {}, hex {}", longest[0], longest[1], longest[2]);
}

// ---- 2. character-class mix ----------------------------------------------------------

const CLASSES: [&str; 6] = ["script", "digit", "punct", "space", "latin", "other"];

fn class_of(c: char) -> usize {
    let code = c as u32;
    if (0xAC00..=0xD7A3).contains(&code) || (0x3130..=0x318F).contains(&code) || (0x4E00..=0x9FFF).contains(&code) {
        0
    } else if c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c) {
        1
    } else if c.is_ascii_punctuation()
        || (0x3000..=0x303F).contains(&code)
        || (0xFF01..=0xFF0F).contains(&code)
        || (0xFF1A..=0xFF20).contains(&code)
    {
        2
    } else if c.is_whitespace() {
        3
    } else if c.is_ascii_alphabetic() {
        4
    } else {
        5
    }
}

fn mix(text: &str) -> [f64; 6] {
    let mut counts = [0usize; 6];
    for c in text.chars() {
        counts[class_of(c)] += 1;
    }
    let total = counts.iter().sum::<usize>().max(1) as f64;
    counts.map(|n| n as f64 / total)
}

/// Consecutive lines joined into windows of at least `size` characters.
fn windows(lines: &[String], size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for l in lines {
        cur.push_str(l);
        cur.push('\n');
        if cur.chars().count() >= size {
            out.push(std::mem::take(&mut cur));
        }
    }
    out
}

#[test]
fn character_class_mix_within_ordinary_chat() {
    let mut outside = Vec::new();
    for style in CoverStyle::ALL.into_iter().rev() {
        let ordinary = windows(&corpus(style), 150);
        let mut lo = [f64::MAX; 6];
        let mut hi = [f64::MIN; 6];
        for w in &ordinary {
            let m = mix(w);
            for k in 0..6 {
                lo[k] = lo[k].min(m[k]);
                hi[k] = hi[k].max(m[k]);
            }
        }
        let cover_lines: Vec<String> =
            cover_texts(style, 60).iter().flat_map(|t| t.lines().map(str::to_owned).collect::<Vec<_>>()).collect();
        let cover_windows = windows(&cover_lines, 150);
        let mut inside = [0usize; 6];
        let mut mean = [0f64; 6];
        for w in &cover_windows {
            let m = mix(w);
            for k in 0..6 {
                mean[k] += m[k] / cover_windows.len() as f64;
                if m[k] >= lo[k] && m[k] <= hi[k] {
                    inside[k] += 1;
                }
            }
        }
        println!(
            "{style}: {} ordinary windows, {} cover windows of 150+ characters",
            ordinary.len(),
            cover_windows.len()
        );
        for k in 0..6 {
            println!(
                "  {:<6} ordinary {:5.1}%..{:5.1}%  cover mean {:5.1}%, {:3} of {} windows inside",
                CLASSES[k],
                100.0 * lo[k],
                100.0 * hi[k],
                100.0 * mean[k],
                inside[k],
                cover_windows.len()
            );
        }
        for k in 0..6 {
            if mean[k] < lo[k] || mean[k] > hi[k] {
                outside.push(format!("{style}: {}", CLASSES[k]));
            }
        }
        // Positive control: armored text lies outside on the script share.
        let armor_mix = mix(&armor_lines(&bytes(5, 200), 6));
        assert!(armor_mix[0] < lo[0] && armor_mix[4] > hi[4]);
    }
    assert!(outside.is_empty(), "mean shares outside ordinary chat: {outside:?}");
}

// ---- 3. a character-bigram classifier -------------------------------------------------

struct NaiveBayes {
    counts: [HashMap<(char, char), f64>; 2],
    totals: [f64; 2],
    vocabulary: f64,
}

fn bigrams(line: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = std::iter::once('^').chain(line.chars()).chain(std::iter::once('$')).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

impl NaiveBayes {
    fn train(examples: &[(&str, usize)]) -> Self {
        let mut counts = [HashMap::new(), HashMap::new()];
        let mut totals = [0.0; 2];
        let mut vocabulary = std::collections::HashSet::new();
        for &(line, class) in examples {
            for b in bigrams(line) {
                *counts[class].entry(b).or_insert(0.0) += 1.0;
                totals[class] += 1.0;
                vocabulary.insert(b);
            }
        }
        NaiveBayes { counts, totals, vocabulary: vocabulary.len() as f64 + 1.0 }
    }

    /// The more likely class, with equal priors and add-one smoothing.
    fn classify(&self, line: &str) -> usize {
        let score = |class: usize| -> f64 {
            bigrams(line)
                .iter()
                .map(|b| {
                    ((self.counts[class].get(b).copied().unwrap_or(0.0) + 1.0) / (self.totals[class] + self.vocabulary))
                        .ln()
                })
                .sum()
        };
        usize::from(score(1) > score(0))
    }
}

/// Accuracy on held-out lines of a classifier trained on two thirds of each class
/// (equal numbers of lines per class).
fn held_out_accuracy(ordinary: &[String], other: &[String]) -> (f64, usize) {
    let n = ordinary.len().min(other.len());
    let split = n * 2 / 3;
    let mut train: Vec<(&str, usize)> = Vec::new();
    let mut test: Vec<(&str, usize)> = Vec::new();
    for (i, (a, b)) in ordinary.iter().zip(other).take(n).enumerate() {
        let set = if i < split { &mut train } else { &mut test };
        set.push((a, 0));
        set.push((b, 1));
    }
    let model = NaiveBayes::train(&train);
    let right = test.iter().filter(|(l, c)| model.classify(l) == *c).count();
    (right as f64 / test.len() as f64, test.len())
}

/// Lines spread over the list (every k-th), so train and test see every kind.
fn interleave(lines: Vec<String>) -> Vec<String> {
    let (even, odd): (Vec<_>, Vec<_>) = lines.into_iter().enumerate().partition(|(i, _)| i % 3 != 2);
    even.into_iter().chain(odd).map(|(_, l)| l).collect()
}

#[test]
fn bigram_classifier_accuracy_is_reported() {
    for style in CoverStyle::ALL {
        let ordinary = interleave(corpus(style));
        let cover_lines: Vec<String> =
            cover_texts(style, 20).iter().flat_map(|t| t.lines().map(str::to_owned).collect::<Vec<_>>()).collect();
        let (accuracy, tested) = held_out_accuracy(&ordinary, &cover_lines);
        // Positive control: the same classifier against armored lines.
        let armor: Vec<String> = (0..ordinary.len() as u64).map(|i| armor_lines(&bytes(i, 20), 6)).collect();
        let (control, _) = held_out_accuracy(&ordinary, &armor);
        println!(
            "{style}: bigram naive Bayes, ordinary vs cover lines: {:.1}% correct on {tested} held-out lines \
             (50% = chance); ordinary vs armor: {:.1}%",
            100.0 * accuracy,
            100.0 * control
        );
        assert!(control > 0.95, "the classifier works: it tells armor from chat");
        assert!(accuracy > 0.0 && tested >= 50);
    }
}
