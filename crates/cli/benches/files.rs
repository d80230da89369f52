//! Throughput through files (issue 12): `lethe add --file` and `lethe export` of a 64 MiB
//! file against single-core XChaCha20-Poly1305 measured in the same run, and against `rage`
//! and `age` (the same format in Rust and in Go), each when it is on PATH.
//!
//! The lethe rows run the same library calls as the two commands after the unlock (the
//! unlock is Argon2 at a cost that has nothing to do with throughput): `add --file` opens the
//! source and streams it in with `Vault::add_from_reader` (sealed blocks, the index committed
//! and synced, write-back of each run started as it is written); `export` creates a new 0600
//! file and streams the item out with `Vault::read_to` into a `WriteBehind` (write-back of
//! each MiB started at once), then syncs it and its folder. The row below it is the plain
//! way (writes, one sync at the end) measured in the same run. Run:
//! `cargo bench -p lethe-cli --bench files`. Each figure is the median of `LETHE_BENCH_RUNS`
//! (default 7) runs.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use lethe_vault::{ItemKind, KdfParams, Passphrase, WriteBehind};

const SIZE: usize = 64 << 20;
const CONTAINER: u64 = 192 << 20;

fn runs() -> usize {
    std::env::var("LETHE_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(7).max(1)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn mbps(d: Duration) -> f64 {
    SIZE as f64 / d.as_secs_f64() / 1e6
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    getrandom::fill(&mut v).unwrap();
    v
}

/// `rage` and `age` (the same format and command line, in Rust and in Go), those installed.
fn age_tools() -> Vec<(&'static str, &'static str)> {
    [("rage", "rage-keygen"), ("age", "age-keygen")]
        .into_iter()
        .filter(|(tool, keygen)| {
            [tool, keygen]
                .iter()
                .all(|t| Command::new(t).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok())
        })
        .collect()
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let content = random_bytes(SIZE);
    let source = dir.join("source.bin");
    std::fs::write(&source, &content).unwrap();
    let n = runs();

    // Raw AEAD: one XChaCha20-Poly1305 call over the whole file, in memory, on one core.
    let key = XChaCha20Poly1305::new(&random_bytes(32)[..].try_into().unwrap());
    let nonce = XNonce::try_from(&random_bytes(24)[..]).unwrap();
    let mut buf = content.clone();
    let mut raw = Vec::new();
    for _ in 0..n {
        let start = Instant::now();
        let tag = key.encrypt_inout_detached(&nonce, b"", (&mut buf[..]).into()).unwrap();
        std::hint::black_box(tag);
        raw.push(start.elapsed());
    }
    drop(buf);

    // lethe: one container file; each run imports the file, then the item is erased again.
    let pass = Passphrase::new(b"bench passphrase");
    let params = KdfParams::INSECURE_TEST_ONLY;
    let container = dir.join("bench.lethe");
    let mut vault = lethe_vault::create_file(&container, CONTAINER, &pass, params, &mut |_, _| {}).unwrap();
    let mut import = Vec::new();
    for _ in 0..n {
        let start = Instant::now();
        let mut file = File::open(&source).unwrap();
        let len = file.metadata().unwrap().len();
        let id = vault.add_from_reader(ItemKind::File, "source.bin", &mut file, Some(len), &mut |_| {}).unwrap();
        import.push(start.elapsed());
        vault.remove(id).unwrap();
    }
    let id = vault.add(ItemKind::File, "kept", &content).unwrap();
    let exported = dir.join("exported.bin");
    let create = || OpenOptions::new().write(true).create_new(true).mode(0o600).open(&exported).unwrap();
    let (mut export, mut plain_export) = (Vec::new(), Vec::new());
    for _ in 0..n {
        // As `lethe export` does: written behind, so the disk works while blocks are opened.
        let _ = std::fs::remove_file(&exported);
        let start = Instant::now();
        let mut out = WriteBehind::new(create());
        vault.read_to(id, &mut out, &mut |_| {}).unwrap();
        out.sync().unwrap();
        // The command syncs the folder too, so that the new name is durable.
        File::open(&dir).and_then(|d| d.sync_all()).unwrap();
        export.push(start.elapsed());
        assert!(std::fs::read(&exported).unwrap() == content, "the export differs from the source");
        // The way before it (round 5): plain writes, then one sync of the whole file.
        let _ = std::fs::remove_file(&exported);
        let start = Instant::now();
        let mut out = create();
        vault.read_to(id, &mut out, &mut |_| {}).unwrap();
        out.sync_all().unwrap();
        plain_export.push(start.elapsed());
    }
    drop(vault);

    // rage (or age) on the same file, to files as lethe does (no sync: the tool does none).
    let mut age_rows = Vec::new();
    for (tool, keygen) in age_tools() {
        let identity = dir.join(format!("identity-{tool}.txt"));
        run_ok(Command::new(keygen).arg("-o").arg(&identity));
        let text = std::fs::read_to_string(&identity).unwrap();
        let recipient = text.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().trim().to_string();
        let sealed = dir.join("source.age");
        let opened = dir.join("opened.bin");
        let (mut enc, mut dec, mut enc_sync, mut dec_sync) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // The tool does not sync; lethe does (a container must be durable). Each run is timed
        // as the tool leaves it, and again with a sync of its output file after it, so both
        // comparisons are printed.
        let sync = |path: &PathBuf| File::open(path).and_then(|f| f.sync_all()).unwrap();
        for _ in 0..n {
            let _ = std::fs::remove_file(&sealed);
            let start = Instant::now();
            run_ok(Command::new(tool).args(["-e", "-r", &recipient, "-o"]).arg(&sealed).arg(&source));
            enc.push(start.elapsed());
            sync(&sealed);
            enc_sync.push(start.elapsed());
            let _ = std::fs::remove_file(&opened);
            let start = Instant::now();
            run_ok(Command::new(tool).arg("-d").arg("-i").arg(&identity).arg("-o").arg(&opened).arg(&sealed));
            dec.push(start.elapsed());
            sync(&opened);
            dec_sync.push(start.elapsed());
        }
        assert!(std::fs::read(&opened).unwrap() == content, "{tool} did not give the file back");
        age_rows.push((tool, median(enc), median(dec), median(enc_sync), median(dec_sync)));
    }
    let _ = std::fs::remove_dir_all(&dir);

    let raw = median(raw);
    let (import, export, plain_export) = (median(import), median(export), median(plain_export));
    let pct = |d: Duration| 100.0 * mbps(d) / mbps(raw);
    println!();
    println!("lethe file throughput, 64 MiB, median of {n} runs ({} cores seen)", available_cores());
    println!("{:-<96}", "");
    let row = |what: &str, d: Duration, note: String| {
        println!("{what:<44}{:>9.0} MB/s {:>9.1} ms   {note}", mbps(d), d.as_secs_f64() * 1e3)
    };
    row("raw XChaCha20-Poly1305, one call, 1 core", raw, "reference (100%)".into());
    let goal = |d: Duration| {
        let p = pct(d);
        format!("{p:>5.1}% of raw (goal >= 50%: {})", if p >= 50.0 { "met" } else { "NOT met" })
    };
    row("lethe add --file (file -> container, sync)", import, goal(import));
    row("lethe export (container -> new file, sync)", export, goal(export));
    row("  the same, without write-behind (round 5)", plain_export, format!("{:>5.1}% of raw", pct(plain_export)));
    for &(tool, enc, dec, enc_sync, dec_sync) in &age_rows {
        let vs = |lethe: Duration, other: Duration| {
            let r = other.as_secs_f64() / lethe.as_secs_f64();
            format!(
                "{:>5.1}% of raw; lethe is {r:.2}x its speed ({})",
                pct(other),
                if r >= 1.0 { "ahead" } else { "BEHIND" }
            )
        };
        row(&format!("{tool} -e (file -> file, no sync)"), enc, vs(import, enc));
        row(&format!("{tool} -d (file -> file, no sync)"), dec, vs(export, dec));
        row(&format!("{tool} -e, then its output synced"), enc_sync, vs(import, enc_sync));
        row(&format!("{tool} -d, then its output synced"), dec_sync, vs(export, dec_sync));
    }
    if age_rows.is_empty() {
        println!("{:<44}{:>15}   neither rage nor age is on PATH: column skipped", "rage", "-");
    }
    println!("{:-<96}", "");
}

fn available_cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
