//! `seizure`: what a forensic examiner recovers from a phone that used lethe (issue 4).
//!
//! Builds ext4 images, runs the scenarios with the real `lethe` binary (HOME, TMPDIR and the
//! working folder on the image), attacks the unmounted images with photorec, sleuthkit,
//! ext4magic, `sqlite3 .recover` and string search, opens containers with coerced passphrases,
//! and prints a scenario × method table of recovered markers. See docs/SEIZURE.md.
//!
//! Exit status: 0 all rows as expected; 1 a lethe row leaked a marker, a positive control or
//! examiner check recovered < 90%, or containers are statistically distinguishable;
//! 2 the test bed could not run (not root, tool missing, a scenario step failed).

mod attack;
mod context;
mod disk;
mod field;
mod jobs;
mod lethe;
mod markers;
mod naive;
mod names;
mod photo;
mod proc;
mod report;
mod scenarios;
mod search;
mod sqlite_recover;
mod stats;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use context::Context;
use jobs::Job;
use lethe::LetheProgram;
use markers::{Marker, MarkerKind};
use report::{Expect, Method, Results, Row, json_string, select};
use search::Searcher;

const USAGE: &str = "\
usage: seizure [--lethe PATH] [--out DIR] [--jobs N] [--controls-only | --self-test-naive] [--names-only]

  --lethe PATH        the lethe binary to test (default: the lethe beside this binary, as cargo
                      builds both into one folder; else target/release/lethe)
  --out DIR           working and report folder (default: target/seizure)
  --jobs N            scenarios and attacks run in parallel (default: 2)
  --controls-only     run only the positive controls (no lethe needed)
  --self-test-naive   run every lethe scenario against a deliberately naive store built into
                      this binary, and pass only if every lethe row catches it leaking
  --names-only        run only the names scenarios (ext4, ext4 data=journal, xfs, btrfs)
Needs root (loop mounts) and: mkfs.ext4 mkfs.xfs mkfs.btrfs mount photorec fls tsk_recover ext4magic sqlite3 gzip
(scripts/seizure-deps.sh installs them on Debian).";

struct Options {
    lethe: PathBuf,
    out: PathBuf,
    jobs: usize,
    controls_only: bool,
    naive: bool,
    names_only: bool,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The lethe built with this binary: cargo puts both in one folder, which is not
/// `target/release` when CARGO_TARGET_DIR or build.target-dir points elsewhere (a lethe left
/// in `target/release` by an older build would be tested instead).
fn default_lethe(root: &Path) -> PathBuf {
    let beside = std::env::current_exe().ok().and_then(|me| Some(me.parent()?.join("lethe")));
    beside.filter(|p| p.is_file()).unwrap_or_else(|| root.join("target/release/lethe"))
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let root = workspace_root();
    let mut options = Options {
        lethe: default_lethe(&root),
        out: root.join("target/seizure"),
        jobs: 2,
        controls_only: false,
        naive: false,
        names_only: false,
    };
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).cloned().ok_or(format!("{} needs a value", args[i]));
        match args[i].as_str() {
            "--lethe" => (options.lethe, i) = (PathBuf::from(value()?), i + 1),
            "--out" => (options.out, i) = (PathBuf::from(value()?), i + 1),
            "--jobs" => {
                options.jobs = value()?.parse().map_err(|_| "--jobs needs a number".to_string())?;
                i += 1;
            }
            "--controls-only" => options.controls_only = true,
            "--self-test-naive" => options.naive = true,
            "--names-only" => options.names_only = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
        i += 1;
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("naive-lethe") {
        return ExitCode::from(naive::main(&args[1..]) as u8);
    }
    let options = match parse_options(&args) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("seizure: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("seizure: cannot run the test bed: {message}");
            ExitCode::from(2)
        }
    }
}

fn check_prerequisites(options: &Options) -> Result<(), String> {
    if !rustix::process::geteuid().is_root() {
        return Err("must run as root (it loop-mounts ext4 images)".into());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let missing: Vec<&str> = [
        "mkfs.ext4",
        "mkfs.xfs",
        "mkfs.btrfs",
        "mount",
        "umount",
        "photorec",
        "fls",
        "tsk_recover",
        "ext4magic",
        "sqlite3",
        "gzip",
    ]
    .into_iter()
    .filter(|tool| !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
    .collect();
    if !missing.is_empty() {
        return Err(format!("missing tools: {} (run scripts/seizure-deps.sh)", missing.join(", ")));
    }
    if !options.controls_only && !options.naive && !options.lethe.is_file() {
        return Err(format!(
            "no lethe binary at {} (cargo build --release -p lethe-cli, or --lethe PATH)",
            options.lethe.display()
        ));
    }
    Ok(())
}

fn run(options: &Options) -> Result<bool, String> {
    check_prerequisites(options)?;
    let out = std::path::absolute(&options.out).map_err(|e| e.to_string())?;
    disk::unmount_stale(&out);
    for dir in ["images", "mnt", "evidence", "examiner", "logs", "stats"] {
        let _ = std::fs::remove_dir_all(out.join(dir));
    }
    std::fs::create_dir_all(out.join("images")).map_err(|e| format!("{}: {e}", out.display()))?;

    let lethe = if options.naive {
        let me = std::env::current_exe().map_err(|e| e.to_string())?;
        Some(LetheProgram { program: me, prefix_args: vec![OsString::from("naive-lethe")] })
    } else if options.controls_only {
        None
    } else {
        let program = std::path::absolute(&options.lethe).map_err(|e| e.to_string())?;
        Some(LetheProgram { program, prefix_args: Vec::new() })
    };
    let ctx = Context::new(out.clone(), lethe);
    ctx.progress(format!(
        "seizure test bed: {} on {} worker(s), output in {}",
        if options.naive {
            "SELF-TEST against the naive store".to_string()
        } else if options.controls_only {
            "positive controls only".to_string()
        } else {
            format!("lethe at {}", options.lethe.display())
        },
        options.jobs,
        out.display()
    ));

    // The longest scenario first, so that one worker starts on it at once.
    let mut scenario_jobs = Vec::new();
    if options.names_only && !options.controls_only {
        for fs in names::NAMES_FILESYSTEMS {
            scenario_jobs.push(names::names_job(fs));
        }
    } else if !options.controls_only {
        scenario_jobs.push(Job::new("scenario work-then-delete", scenarios::work_then_delete));
    }
    if !options.names_only {
        scenario_jobs.push(Job::new("control (a) sqlite+gallery", scenarios::control_sqlite_gallery));
        scenario_jobs.push(Job::new("control (b) files+rm", scenarios::control_files_rm));
    }
    if !options.controls_only && !options.names_only {
        scenario_jobs.push(Job::new("scenario panic", scenarios::panic));
        scenario_jobs.push(Job::new("scenario coerced-decoy", scenarios::coerced_decoy));
        scenario_jobs.push(Job::new("scenario field-broker", field::field_broker));
        for fs in names::NAMES_FILESYSTEMS {
            scenario_jobs.push(names::names_job(fs));
        }
    }
    let errors = jobs::run_all(&ctx, scenario_jobs, options.jobs);

    ctx.progress("searching all evidence for markers");
    let markers = ctx.book.snapshot();
    let results = search_evidence(&ctx, &markers)?;
    let rows = if options.names_only { names_rows(&markers) } else { build_rows(&markers, options.controls_only) };
    let statistics = container_statistics(&ctx)?;

    let passed = write_report(&ctx, options, &markers, &rows, &results, &statistics, &errors)?;
    if !errors.is_empty() {
        return Err(format!("{} job(s) failed:\n  {}", errors.len(), errors.join("\n  ")));
    }
    Ok(passed)
}

fn search_evidence(ctx: &Context, markers: &[Marker]) -> Result<Results, String> {
    let searcher = Searcher::new(markers);
    let mut results = Results::new();
    let images = ctx.images.lock().expect("lock").clone();
    for image in &images {
        let bytes = std::fs::read(&image.image).map_err(|e| format!("{}: {e}", image.image.display()))?;
        let hits = searcher.search(&bytes);
        let entry = results.entry(image.label.clone()).or_default();
        entry.insert(Method::RawUtf8, hits.utf8);
        entry.insert(Method::RawUtf16Le, hits.utf16le);
        entry.insert(Method::RawNoCase, hits.nocase);
    }
    let mut labels: BTreeSet<String> = images.iter().map(|i| i.label.clone()).collect();
    labels.extend(ctx.examiner_labels.lock().expect("lock").iter().cloned());
    for label in labels {
        for (dir, method) in [
            ("photorec", Method::Photorec),
            ("tsk", Method::Tsk),
            ("ext4magic", Method::Ext4magic),
            ("sqlite", Method::Sqlite),
            ("examiner", Method::Examiner),
            ("outside", Method::Outside),
        ] {
            let path = ctx.evidence_dir(&label).join(dir);
            if !path.exists() {
                continue;
            }
            let (hits, files) = searcher.search_tree(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            ctx.progress(format!("searched {label}/{dir}: {files} files, {} markers", hits.any.len()));
            results.entry(label.clone()).or_default().insert(method, hits.any);
        }
    }
    Ok(results)
}

fn build_rows(markers: &[Marker], controls_only: bool) -> Vec<Row> {
    let disk = Method::DISK.to_vec();
    let mut with_outside = disk.clone();
    with_outside.push(Method::Outside);
    let all = Method::ALL.to_vec();
    let labels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut rows = vec![
        Row {
            name: "control (a) SQLite WAL app + gallery, deleted".into(),
            markers: select(markers, Some("ctl-a"), &[MarkerKind::Control]),
            labels: labels(&["ctl-a"]),
            methods: with_outside.clone(),
            // Deleted WAL frames and freed pages are partly overwritten by SQLite itself, so
            // photorec, tsk (the live database) and sqlite see only part of it.
            expect: Expect::Caught {
                each: vec![Method::RawUtf8, Method::RawNoCase],
                some: vec![Method::Photorec, Method::Tsk, Method::Sqlite],
            },
        },
        Row {
            name: "control (b) files in folders, rm -r".into(),
            markers: select(markers, Some("ctl-b"), &[MarkerKind::Control]),
            labels: labels(&["ctl-b"]),
            methods: with_outside.clone(),
            // ext4 clears a deleted file's extents, so tsk_recover gets nothing back here.
            expect: Expect::Caught {
                each: vec![Method::RawUtf8, Method::RawUtf16Le, Method::RawNoCase, Method::Photorec],
                some: vec![],
            },
        },
    ];
    if controls_only {
        return rows;
    }
    let secret = [MarkerKind::Secret];
    rows.extend([
        Row {
            name: "work-then-delete, before scrub".into(),
            markers: select(markers, Some("wtd"), &secret),
            labels: labels(&["wtd-pre"]),
            methods: with_outside.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "work-then-delete, after scrub".into(),
            markers: select(markers, Some("wtd"), &secret),
            labels: labels(&["wtd-post"]),
            methods: with_outside.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "coerced owner after delete".into(),
            markers: select(markers, Some("wtd"), &secret),
            labels: labels(&["wtd-pre", "exam-owner"]),
            methods: all.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "  check: owner's kept items".into(),
            markers: select(markers, Some("wtd"), &[MarkerKind::Kept]),
            labels: labels(&["wtd-pre", "wtd-post", "exam-owner"]),
            methods: all.clone(),
            expect: Expect::ExaminerSees,
        },
        Row {
            name: "panic, every passphrase given".into(),
            markers: select(markers, Some("panic"), &secret),
            labels: labels(&["panic-post", "exam-panic-post"]),
            methods: all.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "  check: same items before panic".into(),
            markers: select(markers, Some("panic"), &secret),
            labels: labels(&["panic-pre", "exam-panic-pre"]),
            methods: all.clone(),
            expect: Expect::ExaminerSees,
        },
        Row {
            name: "coerced decoy: hidden items".into(),
            markers: select(markers, Some("decoy"), &secret),
            labels: labels(&["decoy", "exam-decoy"]),
            methods: all.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "  check: decoy items".into(),
            markers: select(markers, Some("decoy"), &[MarkerKind::Decoy]),
            labels: labels(&["decoy", "exam-decoy"]),
            methods: all.clone(),
            expect: Expect::ExaminerSees,
        },
        Row {
            name: "field broker after acknowledgement".into(),
            markers: select(markers, Some("fld"), &secret),
            labels: labels(&["fld", "exam-fld"]),
            methods: all.clone(),
            expect: Expect::Nothing,
        },
    ]);
    // The same markers by what they are: an order's alias, place hint, question, the
    // recipient's answer, the delivery photo.
    for (prefix, what) in field::CATEGORIES {
        rows.push(Row {
            name: format!("  {what}"),
            markers: select(markers, Some("fld"), &secret)
                .into_iter()
                .filter(|&i| markers[i].item.starts_with(prefix))
                .collect(),
            labels: labels(&["fld", "exam-fld"]),
            methods: all.clone(),
            expect: Expect::Nothing,
        });
    }
    rows.extend([
        Row {
            name: "  check: field's kept note".into(),
            markers: select(markers, Some("fld"), &[MarkerKind::Kept]),
            labels: labels(&["fld", "exam-fld"]),
            methods: all.clone(),
            expect: Expect::ExaminerSees,
        },
        Row {
            name: "passphrases (all lethe scenarios)".into(),
            markers: select(markers, None, &[MarkerKind::Passphrase]),
            labels: labels(&[
                "wtd-pre",
                "wtd-post",
                "panic-pre",
                "panic-post",
                "decoy",
                "fld",
                "exam-owner",
                "exam-panic-pre",
                "exam-panic-post",
                "exam-decoy",
                "exam-fld",
            ]),
            methods: all.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "passphrases (names scenarios)".into(),
            markers: select(markers, None, &[MarkerKind::Passphrase]),
            labels: names::all_labels(),
            methods: disk.clone(),
            expect: Expect::Nothing,
        },
        Row {
            name: "nothing outside (all lethe markers)".into(),
            markers: markers
                .iter()
                .enumerate()
                .filter(|(_, m)| m.kind != MarkerKind::Control)
                .map(|(i, _)| i)
                .collect(),
            labels: labels(&["wtd-pre", "wtd-post", "panic-pre", "panic-post", "decoy", "fld"]),
            methods: vec![Method::Outside],
            expect: Expect::Nothing,
        },
    ]);
    rows.extend(names_rows(markers));
    rows
}

/// Six rows per file system of the names scenario: names and contents of the control's
/// deleted photos, of lethe's after `--shred-source`, and after `scrub-free-space`.
fn names_rows(markers: &[Marker]) -> Vec<Row> {
    let disk = Method::DISK.to_vec();
    let mut rows = Vec::new();
    for fs in names::NAMES_FILESYSTEMS {
        let fs_name = fs.kind.name();
        let pre = vec![format!("{}-pre", fs.label)];
        let post = vec![format!("{}-post", fs.label)];
        // Before the scrub, the journal (ext4, xfs) keeps the names: reported, not judged.
        // With data=journal, it keeps the contents too.
        let content_after_shred =
            if fs.limit || fs.kind == crate::disk::FsKind::Ext4DataJournal { Expect::Report } else { Expect::Nothing };
        let after_scrub = if fs.limit { Expect::Report } else { Expect::Nothing };
        rows.extend([
            Row {
                name: format!("names {fs_name}: control, rm"),
                markers: select(markers, Some(fs.control_group), &[MarkerKind::Name]),
                labels: pre.clone(),
                methods: disk.clone(),
                expect: Expect::Caught { each: vec![Method::RawUtf8], some: vec![] },
            },
            Row {
                name: format!("names {fs_name}: --shred-source"),
                markers: select(markers, Some(fs.lethe_group), &[MarkerKind::Name]),
                labels: pre.clone(),
                methods: disk.clone(),
                expect: Expect::Report,
            },
            Row {
                name: format!("names {fs_name}: then scrub-free-space"),
                markers: select(markers, Some(fs.lethe_group), &[MarkerKind::Name]),
                labels: post.clone(),
                methods: disk.clone(),
                expect: after_scrub.clone(),
            },
            Row {
                name: format!("contents {fs_name}: control, rm"),
                markers: select(markers, Some(fs.control_group), &[MarkerKind::Control]),
                labels: pre.clone(),
                methods: disk.clone(),
                expect: Expect::Caught { each: vec![Method::RawUtf8], some: vec![Method::Photorec] },
            },
            Row {
                name: format!("contents {fs_name}: --shred-source"),
                markers: select(markers, Some(fs.lethe_group), &[MarkerKind::Secret]),
                labels: pre,
                methods: disk.clone(),
                expect: content_after_shred,
            },
            Row {
                name: format!("contents {fs_name}: then scrub-free-space"),
                markers: select(markers, Some(fs.lethe_group), &[MarkerKind::Secret]),
                labels: post,
                methods: disk.clone(),
                expect: after_scrub,
            },
        ]);
    }
    rows
}

fn container_statistics(ctx: &Context) -> Result<Vec<stats::ContainerStats>, String> {
    let containers = ctx.containers.lock().expect("lock").clone();
    if containers.is_empty() {
        return Ok(Vec::new());
    }
    ctx.progress("statistics of the containers");
    let mut all = Vec::new();
    let mut size = 0;
    for (name, path) in &containers {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        size = size.max(bytes.len());
        all.push(stats::analyse(name, &bytes)?);
    }
    let mut reference = vec![0u8; size];
    markers::fill_random(&mut reference)?;
    all.push(stats::analyse("reference: OS random bytes", &reference)?);
    Ok(all)
}

fn write_report(
    ctx: &Context,
    options: &Options,
    markers: &[Marker],
    rows: &[Row],
    results: &Results,
    statistics: &[stats::ContainerStats],
    errors: &[String],
) -> Result<bool, String> {
    let evaluated: Vec<_> = rows.iter().map(|r| r.evaluate(results)).collect();
    let mut verdicts = Vec::new();
    // Every check counts once; a failed job counts as a failed check.
    let mut checks = errors.len();
    let mut failed = errors.len();
    let mut details = String::new();
    for (row, eval) in rows.iter().zip(&evaluated) {
        if matches!(row.expect, Expect::Report) {
            // Shown, not judged (a known limit); not a check.
            verdicts.push(format!("reported ({} found)", eval.union));
            continue;
        }
        let is_lethe_row = !matches!(row.expect, Expect::Caught { .. });
        let leaked = !eval.leaked.is_empty();
        let verdict = if options.naive && is_lethe_row {
            // Self-test: the naive store must be caught in every lethe row, and the examiner
            // checks must still see what the examiner was given.
            if let (Expect::ExaminerSees, Some(reason)) = (&row.expect, &eval.weak) {
                format!("SELF-TEST FAILED: {reason}")
            } else if leaked {
                "ok: naive store caught".to_string()
            } else {
                "SELF-TEST FAILED: naive store not caught".to_string()
            }
        } else if leaked {
            format!("LEAK: {} markers", eval.leaked.len())
        } else if let Some(reason) = &eval.weak {
            format!("TOO WEAK: {reason}")
        } else {
            "ok".to_string()
        };
        checks += 1;
        if !verdict.starts_with("ok") {
            failed += 1;
        }
        if leaked {
            let _ = writeln!(details, "{}:", row.name);
            for (marker, methods) in eval.leaked.iter().take(12) {
                let names: Vec<&str> = methods.iter().map(|m| m.name()).collect();
                let _ = writeln!(details, "  {} by {}", report::describe_marker(&markers[*marker]), names.join(", "));
            }
            if eval.leaked.len() > 12 {
                let _ = writeln!(details, "  ... and {} more", eval.leaked.len() - 12);
            }
        }
        verdicts.push(verdict);
    }

    let mut text = String::new();
    let _ = writeln!(text, "lethe seizure test bed (issue 4) — markers recovered / total\n");
    text.push_str(&report::table(rows, &evaluated, &verdicts));
    if !details.is_empty() {
        let _ = writeln!(text, "\nrecovered markers:\n{details}");
    }

    let outside = ctx.outside_files.lock().expect("lock").clone();
    let lethe_labels = ["wtd-pre", "wtd-post", "panic-pre", "panic-post", "decoy", "fld"];
    let unexpected: Vec<_> =
        outside.iter().filter(|f| f.unexpected && lethe_labels.contains(&f.label.as_str())).collect();
    let _ = writeln!(text, "\nfiles outside the containers on the lethe images (all searched, column 'outside'):");
    for label in lethe_labels {
        let files: Vec<_> = outside.iter().filter(|f| f.label == label).collect();
        for file in files.iter().take(8) {
            let _ = writeln!(
                text,
                "  {:<10} /{} ({} bytes){}",
                file.label,
                file.path,
                file.size,
                if file.unexpected { "  <- NOT written by the scenario script" } else { "" }
            );
        }
        if files.len() > 8 {
            let _ = writeln!(text, "  {label:<10} ... {} more (report.json lists all)", files.len() - 8);
        }
    }
    if !options.controls_only {
        checks += 1;
    }
    if !unexpected.is_empty() {
        if options.naive {
            let _ = writeln!(text, "  ok: the naive store's extra files were caught");
        } else {
            failed += 1;
            let _ = writeln!(text, "  FAIL: {} file(s)/folder(s) not written by the script", unexpected.len());
        }
    } else if options.naive && !options.controls_only {
        failed += 1;
        let _ = writeln!(text, "  SELF-TEST FAILED: the naive store's cache folder was not noticed");
    }

    if !options.controls_only {
        checks += 1;
        let touched = ctx.touched_folders.lock().expect("lock").clone();
        let _ = writeln!(
            text,
            "\nfolders whose entries changed after init (a file created, renamed or removed, even briefly):"
        );
        for folder in &touched {
            let _ = writeln!(text, "  {folder}");
        }
        match (options.naive, touched.is_empty()) {
            (false, true) => {
                let _ = writeln!(text, "  none: lethe created no file, not even a temporary one");
            }
            (false, false) => {
                failed += 1;
                let _ = writeln!(text, "  FAIL: lethe touched files outside its container");
            }
            (true, false) => {
                let _ = writeln!(text, "  ok: the naive store's temporary files were noticed");
            }
            (true, true) => {
                failed += 1;
                let _ = writeln!(text, "  SELF-TEST FAILED: the naive store's temporary files went unnoticed");
            }
        }
    }

    if !statistics.is_empty() {
        let _ = writeln!(text, "\ncontainer statistics (thresholds: random data exceeds them with p ~ 1e-6):");
        let _ = writeln!(
            text,
            "  {:<42} {:>10} {:>10} {:>9} {:>8} {:>7}  verdict",
            "container", "chi2(255)", "gzip", "repeats", "expected", "max"
        );
        for s in statistics {
            let anomalies = s.anomalies();
            let _ = writeln!(
                text,
                "  {:<42} {:>10.1} {:>10.5} {:>9} {:>8.0} {:>7}  {}",
                s.name,
                s.chi_square,
                s.gzip_ratio,
                s.repeated_words,
                s.expected_repeated_words,
                s.max_word_count,
                if anomalies.is_empty() { "looks random".to_string() } else { anomalies.join("; ") }
            );
        }
        let with = statistics.iter().find(|s| s.name == "with hidden compartment");
        let without = statistics.iter().find(|s| s.name == "without hidden compartment");
        if let (Some(with), Some(without)) = (with, without) {
            checks += 1;
            let chi = stats::two_sample_chi_square(&with.histogram, &without.histogram);
            let threshold = stats::chi_square_threshold(255.0);
            let _ = writeln!(
                text,
                "  with vs without hidden compartment: two-sample chi2(255) = {chi:.1} (threshold {threshold:.1})"
            );
            let distinguishable = chi > threshold || !with.anomalies().is_empty() || !without.anomalies().is_empty();
            if options.naive {
                if distinguishable {
                    let _ = writeln!(text, "  ok: the naive store's containers are told apart");
                } else {
                    failed += 1;
                    let _ =
                        writeln!(text, "  SELF-TEST FAILED: the statistics did not tell the naive store from random");
                }
            } else if distinguishable {
                failed += 1;
                let _ = writeln!(text, "  FAIL: a container with a hidden compartment is distinguishable");
            } else {
                let _ = writeln!(text, "  indistinguishable by these tests");
            }
        }
        if !options.naive {
            checks += statistics.len();
            for s in statistics.iter().filter(|s| !s.anomalies().is_empty()) {
                failed += 1;
                let _ = writeln!(text, "  FAIL: {} does not look random", s.name);
            }
        }
    }

    let observations = ctx.observations.lock().expect("lock").clone();
    if !observations.is_empty() {
        let _ = writeln!(text, "\nobservations:");
        for o in &observations {
            let _ = writeln!(text, "  {o}");
        }
    }
    for error in errors {
        let _ = writeln!(text, "JOB FAILED: {error}");
    }
    let passed = failed == 0;
    let runtime = ctx.started.elapsed().as_secs_f64();
    let unlocks = *ctx.unlocks.lock().expect("lock");
    let _ = writeln!(
        text,
        "\nruntime {runtime:.0} s, {unlocks} lethe commands with a passphrase; result: {}\nseizure: {} passed, {failed} failed",
        if passed { "PASS" } else { "FAIL" },
        checks - failed
    );

    println!("{text}");
    std::fs::write(ctx.out.join("report.txt"), &text).map_err(|e| e.to_string())?;
    std::fs::write(
        ctx.out.join("report.json"),
        report_json(
            markers,
            rows,
            &evaluated,
            &verdicts,
            statistics,
            &outside,
            &observations,
            errors,
            runtime,
            unlocks,
            passed,
        ),
    )
    .map_err(|e| e.to_string())?;
    ctx.progress(format!("report written to {}", ctx.out.join("report.txt").display()));
    Ok(passed)
}

#[allow(clippy::too_many_arguments)]
fn report_json(
    markers: &[Marker],
    rows: &[Row],
    evaluated: &[report::Evaluated],
    verdicts: &[String],
    statistics: &[stats::ContainerStats],
    outside: &[context::OutsideFile],
    observations: &[String],
    errors: &[String],
    runtime: f64,
    unlocks: u32,
    passed: bool,
) -> String {
    let mut json = String::from("{\n  \"rows\": [\n");
    for (n, ((row, eval), verdict)) in rows.iter().zip(evaluated).zip(verdicts).enumerate() {
        let cells: Vec<String> = Method::ALL
            .iter()
            .zip(&eval.cells)
            .map(|(m, c)| format!("{}: {}", json_string(m.name()), c.map_or("null".to_string(), |n| n.to_string())))
            .collect();
        let leaked: Vec<String> = eval
            .leaked
            .iter()
            .map(|(marker, methods)| {
                let names: Vec<String> = methods.iter().map(|m| json_string(m.name())).collect();
                format!(
                    "{{\"marker\": {}, \"methods\": [{}]}}",
                    json_string(&report::describe_marker(&markers[*marker])),
                    names.join(", ")
                )
            })
            .collect();
        let _ = writeln!(
            json,
            "    {{\"scenario\": {}, \"total\": {}, \"recovered\": {{{}}}, \"any\": {}, \"verdict\": {}, \"leaked\": [{}]}}{}",
            json_string(&row.name),
            row.markers.len(),
            cells.join(", "),
            eval.union,
            json_string(verdict),
            leaked.join(", "),
            if n + 1 < rows.len() { "," } else { "" }
        );
    }
    json.push_str("  ],\n  \"containers\": [\n");
    for (n, s) in statistics.iter().enumerate() {
        let anomalies: Vec<String> = s.anomalies().iter().map(|a| json_string(a)).collect();
        let _ = writeln!(
            json,
            "    {{\"name\": {}, \"bytes\": {}, \"chi_square\": {:.2}, \"gzip_ratio\": {:.6}, \"repeated_words\": {}, \"expected_repeated_words\": {:.1}, \"max_word_count\": {}, \"anomalies\": [{}]}}{}",
            json_string(&s.name),
            s.size,
            s.chi_square,
            s.gzip_ratio,
            s.repeated_words,
            s.expected_repeated_words,
            s.max_word_count,
            anomalies.join(", "),
            if n + 1 < statistics.len() { "," } else { "" }
        );
    }
    json.push_str("  ],\n  \"files_outside_containers\": [\n");
    for (n, f) in outside.iter().enumerate() {
        let _ = writeln!(
            json,
            "    {{\"image\": {}, \"path\": {}, \"bytes\": {}, \"unexpected\": {}}}{}",
            json_string(&f.label),
            json_string(&format!("/{}", f.path)),
            f.size,
            f.unexpected,
            if n + 1 < outside.len() { "," } else { "" }
        );
    }
    let list = |items: &[String]| items.iter().map(|o| json_string(o)).collect::<Vec<_>>().join(", ");
    let _ = write!(
        json,
        "  ],\n  \"observations\": [{}],\n  \"errors\": [{}],\n  \"runtime_seconds\": {runtime:.1},\n  \"passphrase_commands\": {unlocks},\n  \"passed\": {passed}\n}}\n",
        list(observations),
        list(errors)
    );
    json
}
