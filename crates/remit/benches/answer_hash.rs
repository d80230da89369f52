//! What a dictionary of family answers costs against one order's answer hash, at the
//! parameters of new orders and at those of version 1, measured in this run. Run with
//! `cargo bench -p lethe-remit --bench answer_hash`.
//!
//! Every order has its own salt, so the dictionary is paid again for each order.

use std::time::Instant;

use lethe_remit::primitives::{AnswerHashParams, hash_answer};

/// Dictionary sizes: a list of common pet names, of pet names and village names with
/// spelling variants, and of everything short a family might answer.
const DICTIONARIES: [(&str, f64); 3] =
    [("10,000 common answers", 1e4), ("100,000 names and places", 1e5), ("10 million short answers", 1e7)];

fn seconds_per_hash(params: AnswerHashParams) -> f64 {
    let salt = [0x5Au8; 16];
    // Warm up (first-touch of the memory), then time a few.
    hash_answer("바둑이", &salt, params).expect("hash");
    let runs = 5;
    let start = Instant::now();
    for i in 0..runs {
        hash_answer(&format!("바둑이{i}"), &salt, params).expect("hash");
    }
    start.elapsed().as_secs_f64() / f64::from(runs)
}

fn human(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 2.0 * 3600.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 2.0 * 86_400.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86_400.0)
    }
}

fn main() {
    let old = seconds_per_hash(AnswerHashParams::V1);
    let new = seconds_per_hash(AnswerHashParams::STANDARD);
    println!();
    println!("Answer hash (Argon2id), one guess on one core of this machine:");
    println!("  version 1  (19 MiB, 2 passes): {:7.1} ms", old * 1e3);
    println!("  version 2  (64 MiB, 3 passes): {:7.1} ms  ({:.1}x version 1)", new * 1e3, new / old);
    println!();
    println!("| dictionary (per order)        | version 1, 1 core | version 2, 1 core | version 2, 100 cores |");
    println!("|-------------------------------|-------------------|-------------------|----------------------|");
    for (what, size) in DICTIONARIES {
        println!(
            "| {what:<29} | {:>17} | {:>17} | {:>20} |",
            human(size * old),
            human(size * new),
            human(size * new / 100.0)
        );
    }
    println!("(each core also needs 64 MiB per guess in flight; a GPU is bounded by that memory)");
}
