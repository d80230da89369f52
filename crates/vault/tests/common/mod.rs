//! Helpers shared by the vault's integration tests: containers in memory, snapshot diffs,
//! the randomness statistics of issue 3 (point 1), the examiner's plaintext search, and a
//! deliberately weak store used as the positive control of every security test.
#![allow(dead_code)]

use lethe_vault::format::{BLOCK_PAYLOAD, BLOCK_SIZE, FIRST_DATA_BLOCK};
use lethe_vault::*;
use std::collections::BTreeSet;

pub const P: KdfParams = KdfParams::INSECURE_TEST_ONLY;

pub fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.as_bytes())
}

/// An in-memory container of `len` bytes of CSPRNG output (what `FileStorage::create` makes).
pub fn fresh_mem(len: usize) -> MemStorage {
    let mut m = MemStorage::new(vec![0u8; len]);
    fill_with_random(&mut m).expect("filling memory cannot fail");
    m
}

pub fn os_random(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    getrandom::fill(&mut v).expect("OS random");
    v
}

/// `n` bytes read from /dev/urandom itself: the reference the issue names.
pub fn dev_urandom(n: usize) -> Vec<u8> {
    use std::io::Read;
    let mut v = vec![0u8; n];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut v)).expect("/dev/urandom");
    v
}

/// A small deterministic generator (xorshift64*) for test contents; not for anything secret.
pub struct TestRng(u64);

impl TestRng {
    pub fn new(seed: u64) -> TestRng {
        TestRng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// Indices of the 4 KiB blocks that differ between two images of the same length.
pub fn changed_blocks(before: &[u8], after: &[u8]) -> Vec<u64> {
    assert_eq!(before.len(), after.len());
    before
        .chunks(BLOCK_SIZE)
        .zip(after.chunks(BLOCK_SIZE))
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i as u64)
        .collect()
}

/// Changed blocks of the data area only (not the salt block or the header slots).
pub fn changed_data_blocks(before: &[u8], after: &[u8]) -> Vec<u64> {
    changed_blocks(before, after).into_iter().filter(|&b| b >= FIRST_DATA_BLOCK).collect()
}

pub fn block(image: &[u8], b: u64) -> &[u8] {
    &image[b as usize * BLOCK_SIZE..(b as usize + 1) * BLOCK_SIZE]
}

/// True if every aligned 16-byte window of the two equally long regions differs: the region
/// was overwritten with fresh bytes, not merely touched (a surviving window would be ≥ 16
/// bytes of old plaintext or ciphertext; for fresh random bytes a window equal by chance has
/// probability 2^-128).
pub fn every_window_differs(before: &[u8], after: &[u8]) -> bool {
    before.chunks(16).zip(after.chunks(16)).all(|(a, b)| a != b)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// The examiner's string search (like `strings` and `strings -el`): looks for a fragment of
/// a text in UTF-8 and in UTF-16LE. Returns which encodings were found.
pub fn find_text(image: &[u8], text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    if contains(image, text.as_bytes()) {
        found.push("UTF-8");
    }
    if contains(image, &utf16le(text)) {
        found.push("UTF-16LE");
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Statistics. Each test compares against a bound with a false-alarm probability of about
// 1e-6 per check for truly random input (documented at each bound), so the whole suite
// (a few dozen checks) raises a false alarm well under once in ten thousand runs.
// ---------------------------------------------------------------------------------------------

/// Upper 1e-6 quantile of the standard normal distribution: P(Z > 4.7534) = 1e-6.
pub const Z_1E6: f64 = 4.753_424_308_822_899;
/// The false-alarm probability every bound below is set for.
pub const ALPHA: f64 = 1e-6;

/// Pearson's chi-square statistic of the byte histogram against the uniform distribution
/// (256 bins, 255 degrees of freedom).
pub fn chi_square_bytes(data: &[u8]) -> f64 {
    let mut counts = [0u64; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let expected = data.len() as f64 / 256.0;
    counts.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum()
}

/// Two-sample chi-square (homogeneity) statistic of two byte histograms, 255 degrees of
/// freedom: are the two byte distributions the same?
pub fn chi_square_two_samples(a: &[u8], b: &[u8]) -> f64 {
    let mut ca = [0u64; 256];
    let mut cb = [0u64; 256];
    for &x in a {
        ca[x as usize] += 1;
    }
    for &x in b {
        cb[x as usize] += 1;
    }
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let mut chi = 0.0;
    for i in 0..256 {
        let total = (ca[i] + cb[i]) as f64;
        if total == 0.0 {
            continue;
        }
        let ea = total * na / (na + nb);
        let eb = total * nb / (na + nb);
        chi += (ca[i] as f64 - ea).powi(2) / ea + (cb[i] as f64 - eb).powi(2) / eb;
    }
    chi
}

/// Upper critical value of the chi-square distribution with `df` degrees of freedom at the
/// standard-normal quantile `z`, by the Wilson–Hilferty cube-root approximation (relative
/// error well under 1% at df = 255). For df = 255, z = Z_1E6 it is about 377.
pub fn chi_square_critical(df: f64, z: f64) -> f64 {
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + z * a.sqrt()).powi(3)
}

/// Lower critical value (a histogram that is too even is also not random).
pub fn chi_square_lower_critical(df: f64, z: f64) -> f64 {
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a - z * a.sqrt()).powi(3)
}

/// Compressed size / original size with raw deflate at level 9. Random input cannot be
/// compressed: the encoder falls back to stored blocks and the ratio is just above 1.
pub fn deflate_ratio(data: &[u8]) -> f64 {
    miniz_oxide::deflate::compress_to_vec(data, 9).len() as f64 / data.len() as f64
}

/// Smallest compression ratio accepted as random (issue 3: "must not compress below ~0.999").
pub const MIN_DEFLATE_RATIO: f64 = 0.999;

/// Repeats of 4-byte patterns at aligned positions.
#[derive(Debug, Clone, Copy)]
pub struct RepeatStats {
    /// Number of aligned 4-byte samples.
    pub samples: u64,
    /// Largest number of times one 4-byte value occurs.
    pub max_count: u64,
    /// Number of colliding pairs: sum over values of C(count, 2).
    pub pairs: u64,
}

pub fn repeat_stats(data: &[u8]) -> RepeatStats {
    let mut words: Vec<u32> = data.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4"))).collect();
    words.sort_unstable();
    let (mut max_count, mut pairs) = (0u64, 0u64);
    let mut i = 0;
    while i < words.len() {
        let mut j = i + 1;
        while j < words.len() && words[j] == words[i] {
            j += 1;
        }
        let c = (j - i) as u64;
        max_count = max_count.max(c);
        pairs += c * (c - 1) / 2;
        i = j;
    }
    RepeatStats { samples: words.len() as u64, max_count, pairs }
}

fn ln_choose(n: f64, k: u64) -> f64 {
    (0..k).map(|i| ((n - i as f64) / (i as f64 + 1.0)).ln()).sum()
}

/// The largest count of one 4-byte value that chance allows among `n` uniform samples of
/// 2^32 values: the smallest m with C(n, m) · 2^(-32 (m-1)) ≤ ALPHA bounds (union bound)
/// the probability that any value occurs m times or more; m − 1 is allowed.
/// For n = 2^20 (4 MiB): m = 4, so at most 3 (a triple happens with probability ~1%).
pub fn max_repeat_bound(n: u64) -> u64 {
    let ln_alpha = ALPHA.ln();
    let ln_space = 32.0 * std::f64::consts::LN_2;
    let mut m = 2u64;
    while ln_choose(n as f64, m) - (m - 1) as f64 * ln_space > ln_alpha {
        m += 1;
    }
    m - 1
}

/// Range of colliding pairs chance allows: the pair count is close to Poisson with mean
/// λ = C(n,2)/2^32 (128 for n = 2^20); Chernoff bounds P(X ≥ k) ≤ e^-λ (eλ/k)^k (k > λ) and
/// the same form for P(X ≤ k) (k < λ), each set at ALPHA.
pub fn pairs_bounds(n: u64) -> (u64, u64) {
    let lambda = (n as f64) * (n as f64 - 1.0) / 2.0 / 2f64.powi(32);
    let ln_tail = |k: f64| -lambda + k * (1.0 + lambda.ln() - k.ln());
    let mut hi = lambda.ceil() + 1.0;
    while ln_tail(hi) > ALPHA.ln() {
        hi += 1.0;
    }
    let mut lo = lambda.floor() - 1.0;
    while lo > 0.0 && ln_tail(lo) > ALPHA.ln() {
        lo -= 1.0;
    }
    (lo.max(0.0) as u64, hi as u64)
}

/// Number of 16-byte windows (at every byte offset) that occur more than once. In n random
/// bytes the expected number is about n²/2^129 (≈ 2^-85 for 4 MiB): any repeat at all is a
/// structure, for example a value stored twice.
pub fn repeated_16_byte_windows(data: &[u8]) -> usize {
    if data.len() < 16 {
        return 0;
    }
    let mut windows: Vec<u128> = data.windows(16).map(|w| u128::from_le_bytes(w.try_into().expect("16"))).collect();
    windows.sort_unstable();
    windows.windows(2).filter(|p| p[0] == p[1]).count()
}

/// Offsets of the first few repeated 16-byte windows (for failure messages).
pub fn first_repeated_windows(data: &[u8], limit: usize) -> Vec<(usize, usize)> {
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (i, w) in data.windows(16).enumerate() {
        let v = u128::from_le_bytes(w.try_into().expect("16"));
        if let Some(&first) = seen.get(&v) {
            out.push((first, i));
            if out.len() == limit {
                break;
            }
        } else {
            seen.insert(v, i);
        }
    }
    out
}

/// All statistics of one image.
#[derive(Debug, Clone)]
pub struct Randomness {
    pub chi_square: f64,
    pub deflate_ratio: f64,
    pub repeats: RepeatStats,
    pub repeated_16: usize,
}

pub fn randomness(data: &[u8]) -> Randomness {
    Randomness {
        chi_square: chi_square_bytes(data),
        deflate_ratio: deflate_ratio(data),
        repeats: repeat_stats(data),
        repeated_16: repeated_16_byte_windows(data),
    }
}

impl Randomness {
    /// Every way this image fails to look like random bytes (empty: it passes all tests).
    pub fn failures(&self) -> Vec<String> {
        let mut f = Vec::new();
        let hi = chi_square_critical(255.0, Z_1E6);
        let lo = chi_square_lower_critical(255.0, Z_1E6);
        if self.chi_square > hi || self.chi_square < lo {
            f.push(format!("byte histogram chi-square {:.1} outside [{lo:.1}, {hi:.1}]", self.chi_square));
        }
        if self.deflate_ratio < MIN_DEFLATE_RATIO {
            f.push(format!("deflate ratio {:.5} below {MIN_DEFLATE_RATIO}", self.deflate_ratio));
        }
        let max_allowed = max_repeat_bound(self.repeats.samples);
        if self.repeats.max_count > max_allowed {
            f.push(format!(
                "a 4-byte value occurs {} times at aligned positions (chance allows {max_allowed})",
                self.repeats.max_count
            ));
        }
        let (lo_pairs, hi_pairs) = pairs_bounds(self.repeats.samples);
        if self.repeats.pairs < lo_pairs || self.repeats.pairs > hi_pairs {
            f.push(format!(
                "{} colliding pairs of aligned 4-byte values (chance allows {lo_pairs}..={hi_pairs})",
                self.repeats.pairs
            ));
        }
        if self.repeated_16 > 0 {
            f.push(format!("{} repeated 16-byte windows (chance allows 0)", self.repeated_16));
        }
        f
    }
}

// ---------------------------------------------------------------------------------------------
// Contents that look like what a broker keeps.
// ---------------------------------------------------------------------------------------------

/// A note: delivery records in Korean and English (UTF-8), about `approx_len` bytes.
pub fn note_text(seed: u64, approx_len: usize) -> String {
    let mut rng = TestRng::new(seed);
    let names = ["김영희", "박철수", "이순자", "최명호", "Kim Young-hee", "Pak Chol-su"];
    let places = ["혜산", "회령", "무산", "Hyesan", "Hoeryong", "Musan"];
    let mut s = String::new();
    while s.len() < approx_len {
        let n = names[rng.below(names.len() as u64) as usize];
        let p = places[rng.below(places.len() as u64) as usize];
        let amount = 100 + rng.below(9900);
        let phone = 10_000_000 + rng.below(89_999_999);
        s.push_str(&format!(
            "{n} / {p} / 전달 {amount}만원 / 010-{:04}-{:04} / delivered, code {:06}\n",
            phone / 10_000,
            phone % 10_000,
            rng.below(1_000_000)
        ));
    }
    s
}

/// A "photo": an uncompressed 24-bit BMP of a smooth picture with sensor-like noise.
pub fn photo_bmp(seed: u64, width: u32, height: u32) -> Vec<u8> {
    let mut rng = TestRng::new(seed);
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut v = Vec::with_capacity(54 + pixels as usize);
    v.extend_from_slice(b"BM");
    v.extend_from_slice(&(54 + pixels).to_le_bytes());
    v.extend_from_slice(&[0, 0, 0, 0]);
    v.extend_from_slice(&54u32.to_le_bytes());
    v.extend_from_slice(&40u32.to_le_bytes());
    v.extend_from_slice(&width.to_le_bytes());
    v.extend_from_slice(&height.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&24u16.to_le_bytes());
    v.extend_from_slice(&[0u8; 24]);
    for y in 0..height {
        let start = v.len();
        for x in 0..width {
            let noise = rng.below(8) as u32;
            v.push(((x * 255 / width + noise) & 0xff) as u8);
            v.push(((y * 255 / height + noise) & 0xff) as u8);
            v.push((((x + y) * 128 / (width + height) + 60 + noise) & 0xff) as u8);
        }
        while v.len() - start < row as usize {
            v.push(0);
        }
    }
    v
}

/// The same set of items for the vault and for the weak store: two notes, a photo, a
/// receipt.
pub fn sample_items(seed: u64) -> Vec<(ItemKind, String, Vec<u8>)> {
    vec![
        (ItemKind::Note, String::new(), note_text(seed, 3000).into_bytes()),
        (ItemKind::Note, String::new(), note_text(seed + 1, 9000).into_bytes()),
        (ItemKind::File, format!("사진-{seed}.bmp"), photo_bmp(seed, 320, 240)),
        (ItemKind::File, format!("receipt-{seed}.txt"), note_text(seed + 2, 20_000).into_bytes()),
    ]
}

// ---------------------------------------------------------------------------------------------
// The positive control: a naive store, like files in a folder on a FAT or ext4 partition.
// ---------------------------------------------------------------------------------------------

/// A fixed-size image: a plain directory table in the first 64 KiB (entries of 128 bytes:
/// used flag, kind, name length, name, offset, size), file contents in plaintext at 4 KiB
/// aligned offsets after it. Deleting an item clears its directory entry only; its content
/// stays where it was, as with `rm` on a real file system. Unused space is random bytes (as
/// if the partition had been filled with random data before use), so the statistics must
/// find the stored data, not zeroed free space.
pub struct WeakStore {
    pub image: Vec<u8>,
    next_free: usize,
}

const WEAK_DIR_BYTES: usize = 64 * 1024;
const WEAK_ENTRY: usize = 128;
const WEAK_NAME_MAX: usize = 100;

impl WeakStore {
    pub fn new(len: usize) -> WeakStore {
        let mut image = os_random(len);
        image[..WEAK_DIR_BYTES].fill(0);
        WeakStore { image, next_free: WEAK_DIR_BYTES }
    }

    /// Stores an item; returns its directory slot.
    pub fn add(&mut self, kind: ItemKind, name: &str, content: &[u8]) -> usize {
        let slot = (0..WEAK_DIR_BYTES / WEAK_ENTRY)
            .find(|&i| self.image[i * WEAK_ENTRY] == 0)
            .expect("weak store directory full");
        let offset = self.next_free;
        assert!(offset + content.len() <= self.image.len(), "weak store full");
        self.image[offset..offset + content.len()].copy_from_slice(content);
        self.next_free = (offset + content.len()).div_ceil(4096) * 4096;
        let e = &mut self.image[slot * WEAK_ENTRY..(slot + 1) * WEAK_ENTRY];
        let name = &name.as_bytes()[..name.len().min(WEAK_NAME_MAX)];
        e[0] = 1;
        e[1] = match kind {
            ItemKind::Note => 0,
            ItemKind::File => 1,
            _ => 2,
        };
        e[2] = name.len() as u8;
        e[3..3 + name.len()].copy_from_slice(name);
        e[112..120].copy_from_slice(&(offset as u64).to_le_bytes());
        e[120..128].copy_from_slice(&(content.len() as u64).to_le_bytes());
        slot
    }

    /// "Deletes" like a file system: the directory entry is cleared, the content stays.
    pub fn remove(&mut self, slot: usize) {
        self.image[slot * WEAK_ENTRY..(slot + 1) * WEAK_ENTRY].fill(0);
    }

    pub fn list(&self) -> Vec<(usize, String)> {
        (0..WEAK_DIR_BYTES / WEAK_ENTRY)
            .filter(|&i| self.image[i * WEAK_ENTRY] == 1)
            .map(|i| {
                let e = &self.image[i * WEAK_ENTRY..(i + 1) * WEAK_ENTRY];
                (i, String::from_utf8_lossy(&e[3..3 + e[2] as usize]).into_owned())
            })
            .collect()
    }

    pub fn read(&self, slot: usize) -> Option<Vec<u8>> {
        let e = &self.image[slot * WEAK_ENTRY..(slot + 1) * WEAK_ENTRY];
        if e[0] != 1 {
            return None;
        }
        let offset = u64::from_le_bytes(e[112..120].try_into().expect("8")) as usize;
        let size = u64::from_le_bytes(e[120..128].try_into().expect("8")) as usize;
        Some(self.image[offset..offset + size].to_vec())
    }
}

// ---------------------------------------------------------------------------------------------
// Finding where things are, from the outside.
// ---------------------------------------------------------------------------------------------

/// Tracks, by snapshot diffs only, which data blocks hold the top compartment's index.
///
/// Invariant: `index` is exactly the set of data blocks of the current index copies. An add
/// of content changes `index` (scrubbed) plus the new copies and the item's blocks, all
/// disjoint from `index` (they were allocated while it was in use); an add of an empty
/// item right after changes only the new copies (scrubbed) and its own new copies (taken
/// from blocks free at that time). The two diffs separate all three sets exactly.
pub struct Tracker {
    pub mem: MemStorage,
    pub index: BTreeSet<u64>,
}

pub struct Located {
    pub id: ItemId,
    pub item_blocks: Vec<u64>,
    /// Index copies that held the item's key, with the snapshot in which they held it.
    pub key_blocks: Vec<(u64, Vec<u8>)>,
}

impl Tracker {
    /// After `init` or `hide`: the operation changed only the new index copies.
    pub fn after_index_only_op(mem: &MemStorage, before: &[u8]) -> Tracker {
        let index: BTreeSet<u64> = changed_data_blocks(before, &mem.snapshot()).into_iter().collect();
        assert_eq!(index.len(), 2, "an empty index takes one block per copy");
        Tracker { mem: mem.clone(), index }
    }

    pub fn add(&mut self, v: &mut Vault<MemStorage>, name: &str, content: &[u8]) -> Located {
        let s0 = self.mem.snapshot();
        let id = v.add(ItemKind::File, name, content).unwrap();
        let s1 = self.mem.snapshot();
        v.add(ItemKind::Note, "", b"").unwrap();
        let s2 = self.mem.snapshot();
        let d1: BTreeSet<u64> = changed_data_blocks(&s0, &s1).into_iter().collect();
        let d2: BTreeSet<u64> = changed_data_blocks(&s1, &s2).into_iter().collect();
        assert!(self.index.is_subset(&d1), "the old index copies were not rewritten");
        let new_or_item: BTreeSet<u64> = d1.difference(&self.index).copied().collect();
        let new_index: Vec<u64> = new_or_item.intersection(&d2).copied().collect();
        let item_blocks: Vec<u64> = new_or_item.difference(&d2).copied().collect();
        let next_index: BTreeSet<u64> = d2.difference(&new_or_item).copied().collect();
        assert_eq!(item_blocks.len() as u64, (content.len() as u64).div_ceil(BLOCK_PAYLOAD as u64));
        assert_eq!((new_index.len(), next_index.len()), (2, 2), "one index block per copy expected");
        let mut key_blocks: Vec<(u64, Vec<u8>)> = new_index.iter().map(|&b| (b, s1.clone())).collect();
        key_blocks.extend(next_index.iter().map(|&b| (b, s2.clone())));
        self.index = next_index;
        Located { id, item_blocks, key_blocks }
    }
}
