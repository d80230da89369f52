//! Names (issue 14): camera photos whose file names carry markers, imported with
//! `lethe add --file PATH --shred-source` and then `lethe scrub-free-space` on the camera
//! folder, on ext4, ext4 with `data=journal`, xfs and btrfs. Beside them on the same image,
//! the positive control: the same kind of photos deleted with a plain unlink, which every
//! examiner must catch.
//!
//! The shredded file's name lives on after its content in three places: the directory's
//! free entry space, directory blocks the file system freed, and the journal or log, which
//! keeps copies of every directory block or change it wrote. The image is attacked twice:
//! after `--shred-source` alone, and after `scrub-free-space`.

use std::time::Instant;

use crate::attack::attack_job_kind;
use crate::context::Context;
use crate::disk::FsKind;
use crate::jobs::Job;
use crate::markers::{MarkerKind, Script};
use crate::photo::photo_with_markers;
use crate::scenarios::{Phone, lethe_program, sync_all};

/// Photos per file system, shredded by lethe; as many again deleted by the control.
pub const NAME_PHOTOS: usize = 8;
/// Container size on these images: the format does not depend on it.
const NAMES_VAULT_SIZE: &str = "8M";

/// One file system the names scenario runs on.
#[derive(Clone, Copy)]
pub struct NamesFs {
    pub kind: FsKind,
    /// Image label; the two seized images are "<label>-pre" and "<label>-post".
    pub label: &'static str,
    /// Marker group of the lethe photos.
    pub lethe_group: &'static str,
    /// Marker group of the control photos.
    pub control_group: &'static str,
    pub size_mib: u64,
    /// Where the scrub cannot reach old copies (btrfs): rows are reported, not judged.
    pub limit: bool,
}

pub const NAMES_FILESYSTEMS: [NamesFs; 4] = [
    NamesFs {
        kind: FsKind::Ext4,
        label: "nm-ext4",
        lethe_group: "nm-ext4",
        control_group: "nc-ext4",
        size_mib: 96,
        limit: false,
    },
    NamesFs {
        kind: FsKind::Ext4DataJournal,
        label: "nm-ext4j",
        lethe_group: "nm-ext4j",
        control_group: "nc-ext4j",
        size_mib: 96,
        limit: false,
    },
    // mkfs.xfs refuses file systems below 300 MiB.
    NamesFs {
        kind: FsKind::Xfs,
        label: "nm-xfs",
        lethe_group: "nm-xfs",
        control_group: "nc-xfs",
        size_mib: 320,
        limit: false,
    },
    NamesFs {
        kind: FsKind::Btrfs,
        label: "nm-btrfs",
        lethe_group: "nm-btrfs",
        control_group: "nc-btrfs",
        size_mib: 128,
        limit: true,
    },
];

pub fn names_job(fs: NamesFs) -> Job {
    Job::new(format!("scenario names on {}", fs.kind.name()), move |ctx| names_scenario(ctx, fs))
}

/// A camera-style name around a name marker: `IMG_20240503_101500_<marker>.jpg` (ASCII) or
/// `사진_<marker>.jpg` (Hangul, a name the user gave).
fn camera_name(ctx: &Context, group: &'static str, n: usize) -> String {
    let item = format!("f{n:02}");
    if n.is_multiple_of(2) {
        let marker = ctx.book.name(group, &item, Script::Ascii);
        format!("IMG_20240503_{:06}_{marker}.jpg", 101_500 + n)
    } else {
        let marker = ctx.book.name(group, &item, Script::Hangul);
        format!("사진_{marker}.jpg")
    }
}

fn names_scenario(ctx: &Context, fs: NamesFs) -> Result<Vec<Job>, String> {
    let program = lethe_program(ctx)?;
    let mut phone = Phone::with_fs(ctx, fs.label, fs.size_mib, fs.kind)?;
    let camera = phone.mkdir("home/user/DCIM/Camera")?;
    let pictures = phone.mkdir("home/user/Pictures")?;
    let mut lethe = phone.lethe(&program);
    let vault = phone.home.join("vault.bin");
    let passphrase = ctx.book.passphrase(fs.lethe_group, "pass1");
    let name = fs.kind.name();
    ctx.progress(format!(
        "names {name}: init, {NAME_PHOTOS} camera photos for lethe and {NAME_PHOTOS} for the control"
    ));
    lethe.init(&vault, NAMES_VAULT_SIZE, &passphrase)?;

    // Every photo is on the phone (written and synced) before any is deleted, so that the
    // control's and lethe's photos have the same history.
    let mut lethe_photos = Vec::new();
    let mut control_photos = Vec::new();
    for n in 0..NAME_PHOTOS {
        let markers = ctx.book.item(fs.lethe_group, MarkerKind::Secret, &format!("p{n:02}"));
        let path = camera.join(camera_name(ctx, fs.lethe_group, n));
        phone.write_synced(&path, &photo_with_markers(&markers))?;
        lethe_photos.push(path);
        let markers = ctx.book.item(fs.control_group, MarkerKind::Control, &format!("p{n:02}"));
        let path = pictures.join(camera_name(ctx, fs.control_group, n));
        phone.write_synced(&path, &photo_with_markers(&markers))?;
        control_photos.push(path);
    }
    sync_all()?;

    ctx.progress(format!("names {name}: lethe add --file PATH --shred-source, and rm for the control"));
    let mut warnings = String::new();
    for lethe_photo in &lethe_photos {
        let (_, stderr) = lethe.add_file(&vault, &passphrase, lethe_photo, true)?;
        warnings.push_str(&stderr);
        if lethe_photo.exists() {
            return Err(format!("--shred-source left {} in place", lethe_photo.display()));
        }
    }
    // After lethe's imports, so that the container's own writes (copy-on-write on btrfs)
    // cannot land on the control's freed blocks.
    for control_photo in &control_photos {
        std::fs::remove_file(control_photo).map_err(|e| format!("{}: {e}", control_photo.display()))?;
    }
    sync_all()?;
    if let Some(line) = warnings.lines().find(|l| l.starts_with("Warning")) {
        ctx.observe(format!("names {name}: --shred-source said: {line}"));
    }
    let pre = ctx.images_dir().join(format!("{}-pre.img", fs.label));
    phone.disk.snapshot(&pre)?;
    let pre_label = format!("{}-pre", fs.label);
    ctx.add_image(&pre_label, &pre);

    ctx.progress(format!("names {name}: lethe scrub-free-space on the camera folder"));
    let started = Instant::now();
    let scrub = lethe.scrub_free_space(&camera)?;
    let said: Vec<String> = scrub
        .stderr_text()
        .lines()
        .filter(|l| l.starts_with("Warning") || l.starts_with("The ") || l.starts_with("Wrote"))
        .map(|l| l.replace(&*phone.root.to_string_lossy(), ""))
        .collect();
    ctx.observe(format!(
        "names {name}: scrub-free-space took {:.1} s and said: {}",
        started.elapsed().as_secs_f64(),
        said.join(" | ")
    ));
    phone.disk.unmount()?;
    let post_label = format!("{}-post", fs.label);
    ctx.add_image(&post_label, &phone.disk.image);
    ctx.count_unlocks(lethe.unlocks);
    ctx.progress(format!("names {name}: done ({} unlocks)", lethe.unlocks));

    let block_size = phone.disk.block_size;
    Ok(vec![
        attack_job_kind(&pre_label, pre, block_size, fs.kind),
        attack_job_kind(&post_label, phone.disk.image.clone(), block_size, fs.kind),
    ])
}

/// The image labels of every names scenario (for the passphrase row).
pub fn all_labels() -> Vec<String> {
    NAMES_FILESYSTEMS.iter().flat_map(|fs| [format!("{}-pre", fs.label), format!("{}-post", fs.label)]).collect()
}
