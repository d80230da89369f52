//! Issue 13, point 1: an examiner with the decoy passphrase and two images of the container,
//! one before and one after a session, cannot tell a session that worked in a hidden
//! compartment from one that only opened the decoy.
//!
//! For each format version and each kind of comparison, 20 containers are set up the same
//! way (decoy with two notes, a hidden compartment with two notes); each is imaged, one
//! session of the kind under test runs, and it is imaged again. Half the containers get the
//! hidden session, half the decoy-only one. From the two images the examiner computes, with
//! the decoy passphrase only:
//! - changed blocks in the key area (blocks 0..17), and how many of those are not the decoy's
//!   own header slots;
//! - changed data blocks, and how many of them the decoy's view does not explain (neither its
//!   index, items or noise after, nor its index or items before);
//! - the file's size change and whether its modification time moved;
//! - everything the decoy shows: epoch change, item count, newest item time, free space
//!   change, noise list growth.
//!
//! Each feature is compared between the two groups with a two-sided Mann-Whitney U test
//! (normal approximation with tie correction; all values tied gives p = 1) and boolean ones
//! also with Fisher's exact test. The test fails if any feature separates the groups at
//! p < 0.05 for format version 2 (in a run and in an independent repeat, see `check`). Format version 1 goes through the same examiner and must be
//! caught (some p < 0.05): the positive control.

mod common;

use common::*;
use lethe_vault::format::{BLOCK_SIZE, FIRST_DATA_BLOCK};
use lethe_vault::*;
use std::collections::BTreeSet;
use std::path::PathBuf;

const LEN: u64 = 2 << 20;
const PAIRS: usize = 20;
/// A file larger than several sessions of this container hold (W = 16 blocks).
const PHOTO: usize = 200_000;

const FEATURES: [&str; 11] = [
    "key area blocks changed",
    "key area changed, not decoy slots",
    "data blocks changed",
    "data changed, unexplained by decoy",
    "file size change",
    "mtime moved (0/1)",
    "decoy epoch change",
    "decoy item count change",
    "decoy newest item time change",
    "decoy free space change",
    "decoy noise list growth",
];

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tmpdir(tag: &str) -> Dir {
    let p = std::env::temp_dir().join(format!("lethe-two-images-{tag}-{}-{}", std::process::id(), os_random(4)[0]));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    Dir(p)
}

/// What the decoy passphrase shows of one image (opened on a copy, without a session).
struct DecoyView {
    epoch: u64,
    items: usize,
    newest: u64,
    free: u64,
    used: BTreeSet<u64>,
    noise: BTreeSet<u64>,
}

fn decoy_view(image: &[u8]) -> DecoyView {
    let v = Vault::inspect(MemStorage::new(image.to_vec()), &pass("decoy"), P).unwrap();
    let list = v.list();
    let (used, noise) = v.examiner_view();
    DecoyView {
        epoch: v.epoch(),
        items: list.len(),
        newest: list.iter().map(|i| i.created_unix).max().unwrap_or(0),
        free: v.free_bytes(),
        used: used.into_iter().collect(),
        noise: noise.into_iter().collect(),
    }
}

fn features(before: &[u8], after: &[u8], mtime_moved: bool) -> Vec<f64> {
    let changed = changed_blocks(before, after);
    let (key, data): (Vec<u64>, Vec<u64>) = changed.iter().partition(|&&b| b < FIRST_DATA_BLOCK);
    let b = decoy_view(before);
    let a = decoy_view(after);
    let unexplained =
        data.iter().filter(|blk| !a.used.contains(blk) && !a.noise.contains(blk) && !b.used.contains(blk)).count();
    vec![
        key.len() as f64,
        key.iter().filter(|&&k| k != 1 && k != 9).count() as f64,
        data.len() as f64,
        unexplained as f64,
        after.len() as f64 - before.len() as f64,
        mtime_moved as u8 as f64,
        a.epoch as f64 - b.epoch as f64,
        a.items as f64 - b.items as f64,
        a.newest as f64 - b.newest as f64,
        a.free as f64 - b.free as f64,
        a.noise.len() as f64 - b.noise.len() as f64,
    ]
}

// Each name says both sides of the comparison; the control side always ends with a decoy open.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Open the hidden compartment and add three notes / open the decoy and change nothing.
    HiddenOnlyVsDecoyOpen,
    /// Decoy adds a note, then the hidden compartment adds three notes / decoy adds a note,
    /// then the decoy is opened again and nothing changes.
    DecoyNoteThenHiddenVsDecoyNoteThenDecoyOpen,
    /// The hidden compartment erases one of its items / the decoy is opened, no change.
    HiddenEraseVsDecoyOpen,
    /// A hidden import across sessions (started in the set-up) goes on by one session, the
    /// user opening it / the decoy is opened, no change.
    HiddenImportPartVsDecoyOpen,
    /// A hidden import that the vault runs over two sessions back to back / the decoy opened
    /// twice, no change.
    HiddenImportTwoSessionsVsTwoDecoyOpens,
}

fn open(path: &std::path::Path, p: &str) -> Vault<FileStorage> {
    open_file(path, &pass(p), P).unwrap()
}

/// One trial: set up, image, run one session of the kind (hidden or not), image again.
fn trial(version: u8, kind: Kind, hidden: bool, n: usize, dir: &std::path::Path) -> Vec<f64> {
    let path = dir.join(format!("c{version}-{n}-{hidden}"));
    {
        let storage =
            FileStorage::create(&path, LEN, &mut lethe_vault::primitives::fill_random, &mut |_, _| {}).unwrap();
        let mut v = Vault::init_version(storage, &pass("decoy"), P, version).unwrap();
        v.add(ItemKind::Note, "shopping", note_text(n as u64, 300).as_bytes()).unwrap();
        v.add(ItemKind::Note, "recipes", note_text(n as u64 + 1, 900).as_bytes()).unwrap();
        v.hide(&pass("hidden"), P).unwrap();
        v.add(ItemKind::Note, "ledger", note_text(n as u64 + 2, 700).as_bytes()).unwrap();
        v.add(ItemKind::Record, "order", &os_random(2000)).unwrap();
        if kind == Kind::HiddenImportPartVsDecoyOpen {
            // Both groups: a photo being imported across sessions, one session's worth stored.
            let photo = TestRng::new(n as u64).bytes(PHOTO);
            let r = v.add_across_sessions(ItemKind::File, "photo", &mut &photo[..], PHOTO as u64, 1, &mut |_| {});
            assert!(matches!(r, Ok(Stored::Continues { .. })) || version == 1, "{r:?}");
        }
    }
    // A session of each kind happens a while after the set-up.
    let before = std::fs::read(&path).unwrap();
    let mtime_before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(15));
    match (kind, hidden) {
        (Kind::HiddenOnlyVsDecoyOpen, true) => {
            let mut v = open(&path, "hidden");
            for k in 0..3 {
                v.add(ItemKind::Note, &format!("note {k}"), note_text(k as u64, 500).as_bytes()).unwrap();
            }
        }
        (Kind::HiddenImportPartVsDecoyOpen, true) => {
            let mut v = open(&path, "hidden");
            let photo = TestRng::new(n as u64).bytes(PHOTO);
            if let Some(p) = v.partial_items().first() {
                let r = v.resume_add(p.id, &mut &photo[p.written as usize..], 1, &mut |_| {}).unwrap();
                assert!(matches!(r, Stored::Continues { .. }), "one more session must not finish it: {r:?}");
            } else {
                // Version 1 has no partial items: the set-up stored the photo whole; store another.
                assert_eq!(version, 1);
                v.add_across_sessions(ItemKind::File, "photo 2", &mut &photo[..], PHOTO as u64, 1, &mut |_| {})
                    .unwrap();
            }
        }
        (Kind::HiddenImportTwoSessionsVsTwoDecoyOpens, true) => {
            let mut v = open(&path, "hidden");
            let photo = TestRng::new(n as u64).bytes(PHOTO);
            let r = v.add_across_sessions(ItemKind::File, "photo", &mut &photo[..], PHOTO as u64, 2, &mut |_| {});
            assert!(matches!(r, Ok(Stored::Continues { .. })) || version == 1, "{r:?}");
        }
        (Kind::HiddenImportTwoSessionsVsTwoDecoyOpens, false) => {
            for _ in 0..2 {
                let v = open(&path, "decoy");
                let _ = v.list();
            }
        }
        (Kind::HiddenOnlyVsDecoyOpen, false)
        | (Kind::HiddenEraseVsDecoyOpen, false)
        | (Kind::HiddenImportPartVsDecoyOpen, false) => {
            let v = open(&path, "decoy");
            let _ = v.list();
        }
        (Kind::DecoyNoteThenHiddenVsDecoyNoteThenDecoyOpen, h) => {
            {
                let mut v = open(&path, "decoy");
                v.add(ItemKind::Note, "todo", b"call the landlord").unwrap();
            }
            if h {
                let mut v = open(&path, "hidden");
                for k in 0..3 {
                    v.add(ItemKind::Note, &format!("note {k}"), note_text(k as u64, 500).as_bytes()).unwrap();
                }
            } else {
                let v = open(&path, "decoy");
                let _ = v.list();
            }
        }
        (Kind::HiddenEraseVsDecoyOpen, true) => {
            let mut v = open(&path, "hidden");
            let id = v.list()[0].id;
            v.remove(id).unwrap();
        }
    }
    let after = std::fs::read(&path).unwrap();
    let mtime_after = std::fs::metadata(&path).unwrap().modified().unwrap();
    let _ = std::fs::remove_file(&path);
    features(&before, &after, mtime_after != mtime_before)
}

/// Two-sided Mann-Whitney U test, normal approximation with tie correction.
fn mann_whitney(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let mut all: Vec<(f64, usize)> = a.iter().map(|&x| (x, 0)).chain(b.iter().map(|&x| (x, 1))).collect();
    all.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap());
    let n = all.len();
    let mut ranks = vec![0.0; n];
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for rank in ranks.iter_mut().take(j + 1).skip(i) {
            *rank = r;
        }
        let t = (j - i + 1) as f64;
        tie_term += t * t * t - t;
        i = j + 1;
    }
    let r1: f64 = all.iter().zip(&ranks).filter(|((_, g), _)| *g == 0).map(|(_, r)| r).sum();
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let mean = n1 * n2 / 2.0;
    let nn = n1 + n2;
    let var = n1 * n2 / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)));
    if var <= 0.0 {
        return 1.0;
    }
    let z = ((u1 - mean).abs() - 0.5).max(0.0) / var.sqrt();
    (2.0 * normal_upper(z)).min(1.0)
}

/// Upper tail of the standard normal distribution (erfc by a continued-fraction-free
/// rational approximation, Numerical Recipes' erfcc, relative error < 1.2e-7).
fn normal_upper(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t
        * (-x * x - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    erfc / 2.0
}

fn ln_factorial(n: u64) -> f64 {
    (1..=n).map(|k| (k as f64).ln()).sum()
}

/// Two-sided Fisher exact test of a 2x2 table [[a, b], [c, d]]: the sum of the
/// probabilities of all tables with the same margins that are no more likely than this one.
fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (r1, r2, c1) = (a + b, c + d, a + c);
    let n = r1 + r2;
    let p_of = |x: u64| -> f64 {
        (ln_factorial(r1) + ln_factorial(r2) + ln_factorial(c1) + ln_factorial(n - c1)
            - ln_factorial(n)
            - ln_factorial(x)
            - ln_factorial(r1 - x)
            - ln_factorial(c1 - x)
            - ln_factorial(r2 + x - c1))
        .exp()
    };
    let lo = c1.saturating_sub(r2);
    let hi = r1.min(c1);
    let p0 = p_of(a);
    (lo..=hi).map(p_of).filter(|&p| p <= p0 * (1.0 + 1e-9)).sum::<f64>().min(1.0)
}

/// p-value of one feature: Mann-Whitney, and for 0/1 features the smaller of it and Fisher.
fn p_value(a: &[f64], b: &[f64]) -> f64 {
    let mw = mann_whitney(a, b);
    if a.iter().chain(b).all(|&x| x == 0.0 || x == 1.0) {
        let ones = |v: &[f64]| v.iter().filter(|&&x| x == 1.0).count() as u64;
        let (a1, b1) = (ones(a), ones(b));
        let f = fisher_exact(a1, a.len() as u64 - a1, b1, b.len() as u64 - b1);
        return mw.min(f);
    }
    mw
}

/// Runs the comparison for one format version and kind; the p-value of every feature.
fn compare(version: u8, kind: Kind, label: &str) -> Vec<f64> {
    let dir = tmpdir(label);
    let mut hidden = Vec::new();
    let mut decoy = Vec::new();
    for n in 0..PAIRS {
        hidden.push(trial(version, kind, true, n, &dir.0));
        decoy.push(trial(version, kind, false, n, &dir.0));
    }
    let mut ps = Vec::new();
    eprintln!("format v{version}, {label}: p-value per feature (hidden mean / decoy mean)");
    for (f, name) in FEATURES.iter().enumerate() {
        let a: Vec<f64> = hidden.iter().map(|x| x[f]).collect();
        let b: Vec<f64> = decoy.iter().map(|x| x[f]).collect();
        let p = p_value(&a, &b);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        eprintln!("  {name:<38} p = {p:<10.3e} ({:.1} / {:.1})", mean(&a), mean(&b));
        ps.push(p);
    }
    ps
}

fn check(kind: Kind, label: &str) {
    let v1 = compare(1, kind, label);
    let caught: Vec<&str> = FEATURES.iter().zip(&v1).filter(|(_, p)| **p < 0.05).map(|(n, _)| *n).collect();
    assert!(!caught.is_empty(), "positive control: format v1 must be caught on {label}");
    let v2 = compare(2, kind, label);
    let mut separated: Vec<usize> = (0..FEATURES.len()).filter(|&f| v2[f] < 0.05).collect();
    if !separated.is_empty() {
        // A feature with random values (how many index blocks happened to overlap) is below
        // 0.05 in 5% of runs even when both kinds of session have the same law. Such a
        // feature fails only if an independent repeat separates the groups again (a real
        // signal, like version 1's, repeats with p around 1e-10; chance repeats in 0.25%).
        let again = compare(2, kind, label);
        separated.retain(|&f| again[f] < 0.05);
    }
    let names: Vec<&str> = separated.iter().map(|&f| FEATURES[f]).collect();
    assert!(names.is_empty(), "format v2, {label}: an examiner tells the sessions apart by {names:?}");
}

#[test]
fn hidden_only_session_vs_decoy_open_without_change() {
    check(Kind::HiddenOnlyVsDecoyOpen, "hidden-only vs decoy open");
}

#[test]
fn decoy_note_then_hidden_vs_decoy_note_then_decoy_open() {
    check(Kind::DecoyNoteThenHiddenVsDecoyNoteThenDecoyOpen, "decoy note + hidden vs decoy note + decoy open");
}

#[test]
fn hidden_erase_vs_decoy_open() {
    check(Kind::HiddenEraseVsDecoyOpen, "hidden erase vs decoy open");
}

#[test]
fn hidden_import_part_vs_decoy_open() {
    check(Kind::HiddenImportPartVsDecoyOpen, "hidden import, one more session vs decoy open");
}

#[test]
fn hidden_import_over_two_sessions_vs_two_decoy_opens() {
    check(Kind::HiddenImportTwoSessionsVsTwoDecoyOpens, "hidden import over two sessions vs two decoy opens");
}

#[test]
fn statistics_are_right() {
    // Known values: Fisher's tea-tasting table [[3,1],[1,3]] has two-sided p = 0.4857.
    assert!((fisher_exact(3, 1, 1, 3) - 0.4857).abs() < 1e-3);
    // Perfect separation of 20 vs 20 is far below 0.05; identical samples give 1.
    let a: Vec<f64> = (0..20).map(|x| x as f64).collect();
    let b: Vec<f64> = (100..120).map(|x| x as f64).collect();
    assert!(mann_whitney(&a, &b) < 1e-6);
    assert_eq!(mann_whitney(&[1.0; 20], &[1.0; 20]), 1.0);
    assert!((normal_upper(1.959964) - 0.025).abs() < 1e-5);
    // Same distribution, interleaved: no separation.
    let c: Vec<f64> = (0..20).map(|x| (2 * x) as f64).collect();
    let d: Vec<f64> = (0..20).map(|x| (2 * x + 1) as f64).collect();
    assert!(mann_whitney(&c, &d) > 0.5);
    let _ = BLOCK_SIZE;
}
