//! What the phone's owner does before the seizure: the lethe scenarios and the positive
//! controls (the same work done by naive apps).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::attack::{ExaminerPlan, attack_job, examiner_job};
use crate::context::{Context, OutsideFile};
use crate::disk::{Ext4Image, FsKind};
use crate::jobs::Job;
use crate::lethe::{Lethe, LetheProgram, listed_ids};
use crate::markers::{ItemMarkers, MarkerKind};
use crate::photo::photo_with_markers;
use crate::proc::run;

/// At least 96 MiB, as issue 4 asks; mkfs.ext4 defaults (1 KiB blocks, 4 MiB journal).
pub const IMAGE_MIB: u64 = 96;
/// Container size. Smaller than lethe's 64 MiB default so that the image keeps room for the
/// camera folder and the scrub has free space to fill; the format does not depend on it.
pub const VAULT_SIZE: &str = "32M";

pub const WTD_NOTES: usize = 30;
pub const WTD_PHOTOS: usize = 30;
pub const WTD_KEPT: usize = 2;
pub const PANIC_LOWER: (usize, usize) = (15, 5); // notes, photos in the first compartment
pub const PANIC_UPPER: (usize, usize) = (5, 5); // and in the compartment above it
pub const DECOY_ITEMS: (usize, usize) = (8, 2);
pub const HIDDEN_ITEMS: (usize, usize) = (20, 10);
pub const CONTROL_NOTES: usize = 30;
pub const CONTROL_PHOTOS: usize = 30;

/// Modification and change times (seconds, nanoseconds) of every folder on the image.
pub type FolderTimes = BTreeMap<String, (i64, i64, i64, i64)>;

/// One item the owner put into lethe.
#[derive(Clone)]
pub struct Item {
    pub id: String,
    pub content: Vec<u8>,
    pub name: Option<String>,
}

/// The seized phone: an ext4 image holding HOME, TMPDIR and the working folder.
pub struct Phone {
    pub disk: Ext4Image,
    pub root: PathBuf,
    pub home: PathBuf,
    pub tmp: PathBuf,
    pub work: PathBuf,
    /// Paths (relative to the image root) that the scenario script itself created.
    own_paths: BTreeSet<String>,
}

impl Phone {
    pub fn new(ctx: &Context, label: &'static str) -> Result<Phone, String> {
        Phone::with_fs(ctx, label, IMAGE_MIB, FsKind::Ext4)
    }

    /// A phone whose storage is a `size_mib` MiB image with file system `kind`.
    pub fn with_fs(ctx: &Context, label: &str, size_mib: u64, kind: FsKind) -> Result<Phone, String> {
        let image = ctx.images_dir().join(format!("{label}.img"));
        let disk = Ext4Image::create_kind(&image, &ctx.mount_dir(label), size_mib, kind)?;
        let root = disk.mount_point.clone();
        let mut phone = Phone {
            home: root.join("home/user"),
            tmp: root.join("tmp"),
            work: root.join("home/user/work"),
            root,
            disk,
            own_paths: BTreeSet::from(["lost+found".to_string()]),
        };
        for dir in ["home", "home/user", "home/user/work", "tmp"] {
            phone.mkdir(dir)?;
        }
        Ok(phone)
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).to_string_lossy().into_owned()
    }

    pub fn mkdir(&mut self, relative: &str) -> Result<PathBuf, String> {
        let path = self.root.join(relative);
        std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut partial = PathBuf::new();
        for part in Path::new(relative).components() {
            partial.push(part);
            self.own_paths.insert(partial.to_string_lossy().into_owned());
        }
        Ok(path)
    }

    /// Writes a file and syncs it: it has been on the phone for a while, not just in the cache.
    pub fn write_synced(&mut self, path: &Path, content: &[u8]) -> Result<(), String> {
        let mut file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        file.write_all(content).and_then(|()| file.sync_all()).map_err(|e| format!("{}: {e}", path.display()))?;
        self.own_paths.insert(self.relative(path));
        Ok(())
    }

    pub fn lethe(&self, program: &LetheProgram) -> Lethe {
        Lethe::new(program, &self.home, &self.tmp, &self.work, &self.root)
    }

    /// The shell history a user of these commands would leave: every lethe command line.
    pub fn write_history(&mut self, lethe: &Lethe) -> Result<(), String> {
        let mut text = lethe.history.join("\n");
        text.push('\n');
        let path = self.home.join(".bash_history");
        self.write_synced(&path, text.as_bytes())
    }

    /// The times of every folder: creating, renaming or removing any entry in a folder (a
    /// temporary file, a lock file, a cache) changes them, even if the file is gone again.
    pub fn folder_times(&self) -> FolderTimes {
        let mut times = FolderTimes::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            if let Ok(meta) = std::fs::symlink_metadata(&dir) {
                times.insert(self.relative(&dir), (meta.mtime(), meta.mtime_nsec(), meta.ctime(), meta.ctime_nsec()));
            }
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.flatten() {
                    if entry.file_type().is_ok_and(|t| t.is_dir()) {
                        stack.push(entry.path());
                    }
                }
            }
        }
        times
    }

    /// Records every folder whose entries changed since `since`, except `allowed` ones (the
    /// camera folder, where `--shred-source` renames and removes the source by design).
    pub fn check_folders(&self, ctx: &Context, label: &str, since: &FolderTimes, allowed: &[&Path]) {
        let allowed: Vec<String> = allowed.iter().map(|p| self.relative(p)).collect();
        for (folder, times) in self.folder_times() {
            if since.get(&folder) != Some(&times) && !allowed.contains(&folder) {
                let shown = if folder.is_empty() { "/".to_string() } else { format!("/{folder}/") };
                ctx.observe(format!("{label}: lethe created, renamed or removed an entry in {shown}"));
                ctx.touched_folders.lock().expect("lock").push(format!("{label}: {shown}"));
            }
        }
    }

    /// Copies every file on the image that is not one of `containers` into the evidence folder
    /// (method "outside"), and records files and folders the script did not create.
    pub fn collect_outside(&self, ctx: &Context, label: &str, containers: &[&Path]) -> Result<(), String> {
        let flag_unexpected = !label.starts_with("ctl-");
        let target = ctx.evidence_dir(label).join("outside");
        let _ = std::fs::remove_dir_all(&target);
        std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
        let mut found = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for entry in entries {
                let entry = entry.map_err(|e| e.to_string())?;
                let path = entry.path();
                let relative = self.relative(&path);
                let kind = entry.file_type().map_err(|e| e.to_string())?;
                if kind.is_dir() {
                    stack.push(path.clone());
                    if !self.own_paths.contains(&relative) {
                        found.push(OutsideFile {
                            label: label.to_string(),
                            path: format!("{relative}/"),
                            size: 0,
                            unexpected: true,
                        });
                    }
                    continue;
                }
                if containers.iter().any(|c| *c == path) {
                    continue;
                }
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                if kind.is_file() {
                    let copy = target.join(relative.replace('/', "%"));
                    std::fs::copy(&path, &copy).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                found.push(OutsideFile {
                    label: label.to_string(),
                    unexpected: !self.own_paths.contains(&relative),
                    path: relative,
                    size,
                });
            }
        }
        let unexpected = found.iter().filter(|f| f.unexpected).count();
        if flag_unexpected && unexpected > 0 {
            ctx.observe(format!(
                "{label}: {unexpected} file(s)/folder(s) outside the container not made by the script"
            ));
        }
        ctx.outside_files.lock().expect("lock").extend(found);
        Ok(())
    }
}

pub(crate) fn lethe_program(ctx: &Context) -> Result<LetheProgram, String> {
    ctx.lethe.clone().ok_or_else(|| "no lethe binary for a lethe scenario".to_string())
}

fn photo_name(n: usize) -> String {
    format!("IMG_20240503_{:06}.jpg", 101_500 + n)
}

/// Checks that `lethe cat` returns what was added (a note may gain or lose a final newline).
fn check_content(item: &Item, got: &[u8]) -> Result<(), String> {
    let trim = |b: &[u8]| -> Vec<u8> { b.strip_suffix(b"\n").unwrap_or(b).to_vec() };
    if trim(got) == trim(&item.content) {
        Ok(())
    } else {
        Err(format!("lethe cat {} returned {} bytes, not the {} added", item.id, got.len(), item.content.len()))
    }
}

fn check_listed(
    lethe: &mut Lethe,
    vault: &Path,
    passphrase: &str,
    expected: &[&Item],
    absent: &[&Item],
) -> Result<(), String> {
    let listing = lethe.ls(vault, passphrase, false)?;
    if !listing.ok() {
        return Err(format!("lethe ls failed: {}", listing.stderr_text().trim()));
    }
    let ids: BTreeSet<String> = listed_ids(&listing.stdout_text()).into_iter().collect();
    for item in expected {
        if !ids.contains(&item.id) {
            return Err(format!("lethe ls does not list item {}", item.id));
        }
    }
    for item in absent {
        if ids.contains(&item.id) {
            return Err(format!("lethe ls still lists item {}", item.id));
        }
    }
    Ok(())
}

/// Adds `notes` notes and `photos` piped photos; returns the items.
#[allow(clippy::too_many_arguments)]
fn add_items(
    ctx: &Context,
    lethe: &mut Lethe,
    vault: &Path,
    passphrase: &str,
    group: &'static str,
    kind: MarkerKind,
    prefix: &str,
    (notes, photos): (usize, usize),
) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for n in 0..notes {
        let markers = ctx.book.item(group, kind, &format!("{prefix}n{n:02}"));
        let content = markers.note_text(&format!("note {n}")).into_bytes();
        let id = lethe.add_note(vault, passphrase, &content)?;
        items.push(Item { id, content, name: None });
    }
    for n in 0..photos {
        let markers = ctx.book.item(group, kind, &format!("{prefix}p{n:02}"));
        let content = photo_with_markers(&markers);
        let name = photo_name(n);
        let id = lethe.add_piped(vault, passphrase, &name, &content)?;
        items.push(Item { id, content, name: Some(name) });
    }
    Ok(items)
}

/// work-then-delete (and, on the same image, coerced owner after delete): notes and photos
/// added, read, shown on the terminal, then each removed with `lethe rm`; photos imported from
/// the camera folder with `--shred-source` and captured from a pipe; then `scrub-free-space`.
pub fn work_then_delete(ctx: &Context) -> Result<Vec<Job>, String> {
    let program = lethe_program(ctx)?;
    let mut phone = Phone::new(ctx, "wtd")?;
    let camera = phone.mkdir("home/user/DCIM/Camera")?;
    let mut lethe = phone.lethe(&program);
    let vault = phone.home.join("vault.bin");
    let passphrase = ctx.book.passphrase("wtd", "pass1");
    ctx.progress("wtd: init");
    lethe.init(&vault, VAULT_SIZE, &passphrase)?;
    let after_init = phone.folder_times();

    ctx.progress(format!("wtd: adding {WTD_NOTES} notes"));
    let mut secrets = Vec::new();
    for n in 0..WTD_NOTES {
        let markers = ctx.book.item("wtd", MarkerKind::Secret, &format!("n{n:02}"));
        let content = markers.note_text(&format!("note {n}")).into_bytes();
        let id = lethe.add_note(&vault, &passphrase, &content)?;
        secrets.push(Item { id, content, name: None });
    }
    ctx.progress(format!(
        "wtd: importing {WTD_PHOTOS} photos (half --shred-source from the camera folder, half piped)"
    ));
    let mut warned_copy_on_write = false;
    for n in 0..WTD_PHOTOS {
        let markers: ItemMarkers = ctx.book.item("wtd", MarkerKind::Secret, &format!("p{n:02}"));
        let content = photo_with_markers(&markers);
        let name = photo_name(n);
        let id = if n % 2 == 0 {
            let source = camera.join(&name);
            phone.write_synced(&source, &content)?;
            let (id, warnings) = lethe.add_file(&vault, &passphrase, &source, true)?;
            if source.exists() {
                return Err(format!("--shred-source left {} in place", source.display()));
            }
            if warnings.to_lowercase().contains("copy-on-write") {
                warned_copy_on_write = true;
            }
            id
        } else {
            lethe.add_piped(&vault, &passphrase, &name, &content)?
        };
        secrets.push(Item { id, content, name: Some(name) });
    }
    if warned_copy_on_write {
        ctx.observe("wtd: lethe warned about copy-on-write on ext4 (it is not copy-on-write)");
    }
    let mut kept = Vec::new();
    for n in 0..WTD_KEPT {
        let markers = ctx.book.item("wtd", MarkerKind::Kept, &format!("k{n:02}"));
        let content = markers.note_text(&format!("kept note {n}")).into_bytes();
        let id = lethe.add_note(&vault, &passphrase, &content)?;
        kept.push(Item { id, content, name: None });
    }

    ctx.progress("wtd: reading every item (ls, cat to the terminal)");
    let all: Vec<&Item> = secrets.iter().chain(&kept).collect();
    check_listed(&mut lethe, &vault, &passphrase, &all, &[])?;
    for item in &all {
        let shown = lethe.cat(&vault, &passphrase, &item.id)?;
        if !shown.ok() {
            return Err(format!("lethe cat {} failed: {}", item.id, shown.stderr_text().trim()));
        }
        check_content(item, &shown.stdout)?;
    }

    ctx.progress(format!("wtd: lethe rm of {} items", secrets.len()));
    for item in &secrets {
        lethe.rm(&vault, &passphrase, &item.id)?;
    }
    let secret_refs: Vec<&Item> = secrets.iter().collect();
    let kept_refs: Vec<&Item> = kept.iter().collect();
    check_listed(&mut lethe, &vault, &passphrase, &kept_refs, &secret_refs)?;
    phone.check_folders(ctx, "wtd", &after_init, &[&camera]);

    phone.write_history(&lethe)?;
    phone.collect_outside(ctx, "wtd-pre", &[&vault])?;
    let pre_scrub = ctx.images_dir().join("wtd-pre.img");
    phone.disk.snapshot(&pre_scrub)?;
    ctx.add_image("wtd-pre", &pre_scrub);

    ctx.progress("wtd: lethe scrub-free-space");
    let started = Instant::now();
    let scrub = lethe.scrub_free_space(&phone.home)?;
    ctx.observe(format!(
        "wtd: scrub-free-space took {:.1} s; last stderr line: {:?}",
        started.elapsed().as_secs_f64(),
        scrub.stderr_text().lines().last().unwrap_or("").trim()
    ));
    phone.write_history(&lethe)?;
    phone.collect_outside(ctx, "wtd-post", &[&vault])?;
    phone.disk.unmount()?;
    ctx.add_image("wtd-post", &phone.disk.image);
    ctx.count_unlocks(lethe.unlocks);
    ctx.progress(format!("wtd: done ({} unlocks, lethe busy {:.0} s)", lethe.unlocks, lethe.busy.as_secs_f64()));

    let tries: Vec<String> = secrets.iter().map(|i| i.id.clone()).collect();
    let block_size = phone.disk.block_size;
    Ok(vec![
        attack_job("wtd-pre", pre_scrub.clone(), block_size),
        attack_job("wtd-post", phone.disk.image.clone(), block_size),
        examiner_job(ExaminerPlan {
            label: "exam-owner".into(),
            image: pre_scrub,
            block_size,
            vault_relative: "home/user/vault.bin".into(),
            passphrases: vec![passphrase],
            tries,
            // Every deleted id fails the same way; ten tries show it without 60 unlocks.
            max_tries: 10,
        }),
    ])
}

/// panic: live items in two compartments, a copy of the image taken, then `lethe panic`.
pub fn panic(ctx: &Context) -> Result<Vec<Job>, String> {
    let program = lethe_program(ctx)?;
    let mut phone = Phone::new(ctx, "panic")?;
    let mut lethe = phone.lethe(&program);
    let vault = phone.home.join("vault.bin");
    let lower = ctx.book.passphrase("panic", "pass1");
    let upper = ctx.book.passphrase("panic", "pass2");
    ctx.progress("panic: init, adding items to two compartments");
    lethe.init(&vault, VAULT_SIZE, &lower)?;
    let after_init = phone.folder_times();
    let lower_items = add_items(ctx, &mut lethe, &vault, &lower, "panic", MarkerKind::Secret, "a", PANIC_LOWER)?;
    lethe.hide(&vault, &lower, &upper)?;
    let upper_items = add_items(ctx, &mut lethe, &vault, &upper, "panic", MarkerKind::Secret, "b", PANIC_UPPER)?;
    check_listed(&mut lethe, &vault, &lower, &lower_items.iter().collect::<Vec<_>>(), &[])?;
    check_listed(&mut lethe, &vault, &upper, &upper_items.iter().collect::<Vec<_>>(), &[])?;

    phone.check_folders(ctx, "panic", &after_init, &[]);
    phone.write_history(&lethe)?;
    phone.collect_outside(ctx, "panic-pre", &[&vault])?;
    let before = ctx.images_dir().join("panic-pre.img");
    phone.disk.snapshot(&before)?;
    ctx.add_image("panic-pre", &before);
    let before_panic = phone.folder_times();

    let panicked = lethe.panic(&vault)?;
    ctx.observe(format!(
        "panic: lethe panic took {:.3} s (wall clock, including process start)",
        panicked.elapsed.as_secs_f64()
    ));
    phone.check_folders(ctx, "panic", &before_panic, &[]);
    phone.write_history(&lethe)?;
    phone.collect_outside(ctx, "panic-post", &[&vault])?;
    keep_container(ctx, &vault, "after panic (2 compartments before)")?;
    phone.disk.unmount()?;
    ctx.add_image("panic-post", &phone.disk.image);
    ctx.count_unlocks(lethe.unlocks);
    ctx.progress(format!("panic: done ({} unlocks)", lethe.unlocks));

    let ids: Vec<String> = lower_items.iter().chain(&upper_items).map(|i| i.id.clone()).collect();
    let block_size = phone.disk.block_size;
    let plan = |label: &str, image: PathBuf, max_tries: usize| ExaminerPlan {
        label: label.into(),
        image,
        block_size,
        vault_relative: "home/user/vault.bin".into(),
        passphrases: vec![lower.clone(), upper.clone()],
        tries: ids.clone(),
        max_tries,
    };
    Ok(vec![
        attack_job("panic-post", phone.disk.image.clone(), block_size),
        attack_job("panic-pre", before.clone(), block_size),
        examiner_job(plan("exam-panic-post", phone.disk.image.clone(), 3)),
        examiner_job(plan("exam-panic-pre", before, 0)),
    ])
}

pub fn keep_container(ctx: &Context, vault: &Path, description: &str) -> Result<(), String> {
    let dir = ctx.out.join("stats");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let copy = dir.join(format!("{}.container", description.split_whitespace().collect::<Vec<_>>().join("-")));
    std::fs::copy(vault, &copy).map_err(|e| format!("{}: {e}", vault.display()))?;
    ctx.containers.lock().expect("lock").push((description.to_string(), copy));
    Ok(())
}

/// coerced decoy: a decoy compartment with ordinary items and a hidden one above it with the
/// secrets, all live. Also builds a container without a hidden compartment (same decoy items,
/// outside the image) for the statistical comparison.
pub fn coerced_decoy(ctx: &Context) -> Result<Vec<Job>, String> {
    let program = lethe_program(ctx)?;
    let mut phone = Phone::new(ctx, "decoy")?;
    let mut lethe = phone.lethe(&program);
    let vault = phone.home.join("vault.bin");
    let decoy = ctx.book.passphrase("decoy", "pass-decoy");
    let hidden = ctx.book.passphrase("decoy", "pass-hidden");
    ctx.progress("decoy: init, decoy items, hidden compartment, secret items");
    lethe.init(&vault, VAULT_SIZE, &decoy)?;
    let after_init = phone.folder_times();
    let decoy_items = add_items(ctx, &mut lethe, &vault, &decoy, "decoy", MarkerKind::Decoy, "d", DECOY_ITEMS)?;
    lethe.hide(&vault, &decoy, &hidden)?;
    let hidden_items = add_items(ctx, &mut lethe, &vault, &hidden, "decoy", MarkerKind::Secret, "h", HIDDEN_ITEMS)?;
    let decoy_refs: Vec<&Item> = decoy_items.iter().collect();
    let hidden_refs: Vec<&Item> = hidden_items.iter().collect();
    check_listed(&mut lethe, &vault, &hidden, &hidden_refs, &[])?;
    check_listed(&mut lethe, &vault, &decoy, &decoy_refs, &hidden_refs)?;
    phone.check_folders(ctx, "decoy", &after_init, &[]);

    phone.write_history(&lethe)?;
    phone.collect_outside(ctx, "decoy", &[&vault])?;
    keep_container(ctx, &vault, "with hidden compartment")?;
    phone.disk.unmount()?;
    ctx.add_image("decoy", &phone.disk.image);
    ctx.count_unlocks(lethe.unlocks);

    ctx.progress("decoy: building a container without a hidden compartment for comparison");
    let plain_home = ctx.out.join("stats/plain-home");
    let _ = std::fs::remove_dir_all(&plain_home);
    std::fs::create_dir_all(&plain_home).map_err(|e| e.to_string())?;
    let mut plain = Lethe::new(&program, &plain_home, &plain_home, &plain_home, &plain_home);
    let plain_vault = plain_home.join("vault.bin");
    // Not a marker: this container never goes near an image.
    let plain_passphrase = format!("comparison-{:016x}", crate::markers::random_u64());
    plain.init(&plain_vault, VAULT_SIZE, &plain_passphrase)?;
    for item in &decoy_items {
        match &item.name {
            None => plain.add_note(&plain_vault, &plain_passphrase, &item.content)?,
            Some(name) => plain.add_piped(&plain_vault, &plain_passphrase, name, &item.content)?,
        };
    }
    keep_container(ctx, &plain_vault, "without hidden compartment")?;
    let _ = std::fs::remove_file(&plain_vault);
    ctx.count_unlocks(plain.unlocks);
    ctx.progress(format!("decoy: done ({} unlocks)", lethe.unlocks + plain.unlocks));

    let block_size = phone.disk.block_size;
    Ok(vec![
        attack_job("decoy", phone.disk.image.clone(), block_size),
        examiner_job(ExaminerPlan {
            label: "exam-decoy".into(),
            image: phone.disk.image.clone(),
            block_size,
            vault_relative: "home/user/vault.bin".into(),
            passphrases: vec![decoy],
            tries: hidden_items.iter().map(|i| i.id.clone()).collect(),
            max_tries: 10,
        }),
    ])
}

fn sql_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn sqlite(phone: &Phone, db: &Path, script: &str) -> Result<String, String> {
    let mut command = Command::new("sqlite3");
    command
        .arg("-batch")
        .arg("-cmd")
        .arg("PRAGMA secure_delete=OFF;")
        .arg(db)
        .env("HOME", &phone.home)
        .current_dir(&phone.home);
    let finished = run(&mut command, Some(script.as_bytes()), Duration::from_secs(60), || {})?;
    if !finished.ok() {
        return Err(format!("sqlite3 failed: {}", finished.stderr_text().trim()));
    }
    Ok(finished.stdout_text())
}

pub(crate) fn sync_all() -> Result<(), String> {
    crate::proc::run_checked(&mut Command::new("sync"), Duration::from_secs(60)).map(|_| ())
}

/// Positive control (a): a plain notes app on SQLite in WAL mode, plus photos in the gallery
/// folder indexed by the app; the user deletes every note and photo in the app afterwards.
pub fn control_sqlite_gallery(ctx: &Context) -> Result<Vec<Job>, String> {
    let mut phone = Phone::new(ctx, "ctl-a")?;
    let app = phone.mkdir("home/user/.local/share/notesapp")?;
    let gallery = phone.mkdir("home/user/DCIM/Camera")?;
    let db = app.join("notes.db");
    ctx.progress("ctl-a: SQLite (WAL) notes app and gallery");
    // secure_delete is SQLite's own default (off); Debian's build turns it on, so the app sets
    // it per connection, as apps linking their own SQLite effectively do.
    sqlite(
        &phone,
        &db,
        "PRAGMA journal_mode=WAL;\n\
        CREATE TABLE notes(id INTEGER PRIMARY KEY, created TEXT, body TEXT);\n\
        CREATE TABLE media(id INTEGER PRIMARY KEY, path TEXT, caption TEXT);\n",
    )?;
    let mut script = String::new();
    for n in 0..CONTROL_NOTES {
        let markers = ctx.book.item("ctl-a", MarkerKind::Control, &format!("n{n:02}"));
        script.push_str(&format!(
            "INSERT INTO notes(created, body) VALUES('2024-05-03', {});\n",
            sql_quote(&markers.note_text(&format!("note {n}")))
        ));
    }
    sqlite(&phone, &db, &script)?;
    let mut script = String::new();
    let mut photos = Vec::new();
    for n in 0..CONTROL_PHOTOS {
        let markers = ctx.book.item("ctl-a", MarkerKind::Control, &format!("p{n:02}"));
        let path = gallery.join(photo_name(n));
        phone.write_synced(&path, &photo_with_markers(&markers))?;
        script.push_str(&format!(
            "INSERT INTO media(path, caption) VALUES({}, {});\n",
            sql_quote(&format!("DCIM/Camera/{}", photo_name(n))),
            sql_quote(&markers.caption())
        ));
        photos.push(path);
    }
    sqlite(&phone, &db, &script)?;
    let shown = sqlite(&phone, &db, "SELECT body FROM notes; SELECT caption FROM media;")?;
    if shown.lines().count() < CONTROL_NOTES + CONTROL_PHOTOS {
        return Err("ctl-a: the notes app does not show its rows".into());
    }
    sync_all()?;
    let mut script = String::new();
    for id in 1..=CONTROL_NOTES {
        script.push_str(&format!("DELETE FROM notes WHERE id = {id};\n"));
    }
    for id in 1..=CONTROL_PHOTOS {
        script.push_str(&format!("DELETE FROM media WHERE id = {id};\n"));
    }
    sqlite(&phone, &db, &script)?;
    for photo in &photos {
        std::fs::remove_file(photo).map_err(|e| e.to_string())?;
    }
    sync_all()?;
    phone.collect_outside(ctx, "ctl-a", &[])?;
    phone.disk.unmount()?;
    ctx.add_image("ctl-a", &phone.disk.image);
    Ok(vec![attack_job("ctl-a", phone.disk.image.clone(), phone.disk.block_size)])
}

/// Positive control (b): notes as text files (UTF-8, and a UTF-16LE export as Windows tools
/// write it) and photos in folders, removed with `rm -r`.
pub fn control_files_rm(ctx: &Context) -> Result<Vec<Job>, String> {
    let mut phone = Phone::new(ctx, "ctl-b")?;
    let notes = phone.mkdir("home/user/Documents/Notes")?;
    let pictures = phone.mkdir("home/user/Pictures")?;
    ctx.progress("ctl-b: files in folders, then rm -r");
    for n in 0..CONTROL_NOTES {
        let markers = ctx.book.item("ctl-b", MarkerKind::Control, &format!("n{n:02}"));
        let text = markers.note_text(&format!("note {n}"));
        phone.write_synced(&notes.join(format!("note-{n:02}.txt")), text.as_bytes())?;
        let mut wide = vec![0xFF, 0xFE];
        wide.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        phone.write_synced(&notes.join(format!("note-{n:02}-utf16.txt")), &wide)?;
    }
    for n in 0..CONTROL_PHOTOS {
        let markers = ctx.book.item("ctl-b", MarkerKind::Control, &format!("p{n:02}"));
        phone.write_synced(&pictures.join(photo_name(n)), &photo_with_markers(&markers))?;
    }
    sync_all()?;
    crate::proc::run_checked(Command::new("rm").arg("-r").arg(&notes).arg(&pictures), Duration::from_secs(60))?;
    sync_all()?;
    phone.collect_outside(ctx, "ctl-b", &[])?;
    phone.disk.unmount()?;
    ctx.add_image("ctl-b", &phone.disk.image);
    Ok(vec![attack_job("ctl-b", phone.disk.image.clone(), phone.disk.block_size)])
}
