//! Does a container with a hidden compartment look different from one without, or from
//! random bytes? Byte-histogram chi-square, gzip compression ratio, and repeats of aligned
//! 4-byte words, each against the threshold that random data exceeds with probability ~1e-6.

use std::process::Command;
use std::time::Duration;

use crate::proc::run;

/// Standard normal quantile for a one-sided p of about 1e-6.
const Z_ONE_IN_A_MILLION: f64 = 4.753;

#[derive(Clone, Debug)]
pub struct ContainerStats {
    pub name: String,
    pub size: usize,
    pub histogram: Vec<u64>,
    /// Chi-square of the byte histogram against uniform (255 degrees of freedom).
    pub chi_square: f64,
    /// gzip -9 output size / input size; random data does not compress (ratio > 1).
    pub gzip_ratio: f64,
    /// Aligned 4-byte words equal to an earlier word, and the count random data would give.
    pub repeated_words: u64,
    pub expected_repeated_words: f64,
    /// The most times any one 4-byte word occurs.
    pub max_word_count: u64,
}

/// Wilson–Hilferty approximation of the chi-square quantile for `df` degrees of freedom.
pub fn chi_square_threshold(df: f64) -> f64 {
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + Z_ONE_IN_A_MILLION * a.sqrt()).powi(3)
}

pub fn analyse(name: &str, bytes: &[u8]) -> Result<ContainerStats, String> {
    let mut histogram = vec![0u64; 256];
    for &b in bytes {
        histogram[usize::from(b)] += 1;
    }
    let expected = bytes.len() as f64 / 256.0;
    let chi_square = histogram.iter().map(|&n| (n as f64 - expected).powi(2) / expected).sum();

    let gzip = run(Command::new("gzip").arg("-9").arg("-c"), Some(bytes), Duration::from_secs(300), || {})?;
    if !gzip.ok() {
        return Err(format!("gzip failed: {}", gzip.stderr_text()));
    }
    let gzip_ratio = gzip.stdout.len() as f64 / bytes.len().max(1) as f64;

    let mut words: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    words.sort_unstable();
    let mut repeated_words = 0u64;
    let mut max_word_count = u64::from(!words.is_empty());
    let mut run_length = 1u64;
    for pair in words.windows(2) {
        if pair[0] == pair[1] {
            repeated_words += 1;
            run_length += 1;
            max_word_count = max_word_count.max(run_length);
        } else {
            run_length = 1;
        }
    }
    let n = words.len() as f64;
    let m = 4_294_967_296.0f64;
    // n - (expected number of distinct values) for n uniform draws from m.
    let expected_repeated_words = n - m * (1.0 - (-n / m).exp());
    Ok(ContainerStats {
        name: name.to_string(),
        size: bytes.len(),
        histogram,
        chi_square,
        gzip_ratio,
        repeated_words,
        expected_repeated_words,
        max_word_count,
    })
}

impl ContainerStats {
    /// Standard score of the repeat count (Poisson approximation).
    pub fn repeat_z(&self) -> f64 {
        (self.repeated_words as f64 - self.expected_repeated_words) / self.expected_repeated_words.max(1.0).sqrt()
    }

    /// The largest word count random data of this size reaches with probability ~1e-6.
    pub fn max_word_count_threshold(&self) -> u64 {
        let lambda = (self.size / 4) as f64 / 4_294_967_296.0;
        // Smallest k with 2^32 * P(Poisson(lambda) >= k) < 1e-6.
        let mut k = 2u64;
        loop {
            let mut term = (-lambda).exp();
            for i in 1..=k {
                term *= lambda / i as f64;
            }
            if 4_294_967_296.0 * term < 1e-6 {
                return k;
            }
            k += 1;
        }
    }

    /// Reasons this container does not pass for random data.
    pub fn anomalies(&self) -> Vec<String> {
        let mut found = Vec::new();
        let threshold = chi_square_threshold(255.0);
        if self.chi_square > threshold {
            found.push(format!("byte histogram chi-square {:.1} > {threshold:.1}", self.chi_square));
        }
        if self.gzip_ratio < 0.999 {
            found.push(format!("gzip compresses it to {:.4}", self.gzip_ratio));
        }
        if self.repeat_z().abs() > Z_ONE_IN_A_MILLION {
            found.push(format!(
                "{} repeated 4-byte words, {:.0} expected (z = {:.1})",
                self.repeated_words,
                self.expected_repeated_words,
                self.repeat_z()
            ));
        }
        if self.max_word_count >= self.max_word_count_threshold() {
            found.push(format!("one 4-byte word occurs {} times", self.max_word_count));
        }
        found
    }
}

/// Chi-square test that two byte histograms come from the same distribution
/// (255 degrees of freedom).
pub fn two_sample_chi_square(a: &[u64], b: &[u64]) -> f64 {
    let (total_a, total_b) = (a.iter().sum::<u64>() as f64, b.iter().sum::<u64>() as f64);
    let (ka, kb) = ((total_b / total_a).sqrt(), (total_a / total_b).sqrt());
    a.iter()
        .zip(b)
        .filter(|(x, y)| **x + **y > 0)
        .map(|(&x, &y)| (ka * x as f64 - kb * y as f64).powi(2) / (x + y) as f64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(size: usize) -> Vec<u8> {
        let mut bytes = vec![0u8; size];
        crate::markers::fill_random(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn threshold_matches_tables() {
        // chi-square(255) upper 1e-6 point is about 377.
        let t = chi_square_threshold(255.0);
        assert!((370.0..385.0).contains(&t), "{t}");
    }

    #[test]
    fn random_bytes_pass_and_structured_bytes_do_not() {
        let noise = random(4 << 20);
        let stats = analyse("noise", &noise).unwrap();
        assert!(stats.anomalies().is_empty(), "{:?}", stats.anomalies());

        // Positive control: the same noise with 1% of it replaced by a repeated record header
        // (as a plaintext format would have) must be caught.
        let mut structured = noise.clone();
        for chunk in structured.chunks_mut(4096) {
            chunk[..40].copy_from_slice(b"ITEM v1 len=0004096 key=0000000000000000");
        }
        let stats = analyse("structured", &structured).unwrap();
        let anomalies = stats.anomalies();
        assert!(!anomalies.is_empty());
        assert!(anomalies.iter().any(|a| a.contains("4-byte")), "{anomalies:?}");

        let other = analyse("other noise", &random(4 << 20)).unwrap();
        let same = two_sample_chi_square(&analyse("n", &noise).unwrap().histogram, &other.histogram);
        assert!(same < chi_square_threshold(255.0), "{same}");
        let text = analyse("text", &b"lethe ".repeat(700_000)).unwrap();
        assert!(two_sample_chi_square(&text.histogram, &other.histogram) > chi_square_threshold(255.0));
        assert!(text.gzip_ratio < 0.01);
    }
}
