//! The only two places where lethe deliberately writes a file other than its container:
//! destroying an imported source file (`--shred-source`) and ballooning the free space of a
//! file system (`scrub-free-space`). Both write nothing but fresh random bytes.
//!
//! Neither can promise more than the storage below allows. An in-place overwrite reaches the
//! old blocks only on a file system that updates data in place (ext4 in its default
//! `data=ordered` mode, vfat, xfs for extents that are not shared). Copy-on-write and
//! log-structured file systems (btrfs, f2fs, zfs, bcachefs, nilfs2, ubifs, jffs2) and overlay
//! mounts put the new bytes somewhere else and leave the old ones in place until reused;
//! flash translation layers below every file system do the same. Ballooning the free space
//! afterwards covers the file-system part of that gap, not the flash part.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};

/// Size of one write when overwriting or ballooning. Large, so that the file system gets long
/// contiguous extents and the work is dominated by the device, not by system calls.
const CHUNK: usize = 4 << 20;

/// Once a large write hits "no space", the remaining free blocks are filled with writes of
/// this size so that the last partial chunk's worth of free space is covered too.
const TAIL_CHUNK: usize = 4096;

/// What [`shred_file`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShredReport {
    /// Bytes of random data written over the file's content (its length before shredding).
    pub bytes_overwritten: u64,
    /// The file system's name when it is known to write elsewhere instead of in place, so
    /// that the old content very likely survives on the device (warn the user and suggest
    /// `scrub-free-space`). `None` means "not known to be copy-on-write", not "safe".
    pub copy_on_write: Option<&'static str>,
    /// Other hard links that still name the (now random) content. Non-zero means the file's
    /// inode lives on under another name.
    pub other_links: u64,
}

/// Overwrites the regular file at `path` in place with random bytes, syncs it, unlinks it and
/// syncs the directory.
///
/// The file is deliberately not renamed to a random name first. The seizure test bed found
/// that ext4's journal keeps copies of the directory block from before and after such a
/// rename: the original name stays recoverable either way, and the random 16-hex-digit names
/// next to it would only mark the phone as one that used lethe. (On the kernel tested, the
/// live directory block no longer held the name after the unlink.)
///
/// Refuses (with `InvalidInput`) anything that is not a regular file, including a symbolic
/// link, so that a link planted in an import folder cannot redirect the overwrite.
pub fn shred_file(path: &Path) -> io::Result<ShredReport> {
    let before = std::fs::symlink_metadata(path)?;
    if !before.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file; refusing to shred it",
                path.display()
            ),
        ));
    }
    let file = OpenOptions::new()
        .write(true)
        .custom_flags(OFlags::NOFOLLOW.bits() as i32)
        .open(path)?;
    let opened = file.metadata()?;
    if opened.dev() != before.dev() || opened.ino() != before.ino() || !opened.file_type().is_file()
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} changed while being opened; not shredded",
                path.display()
            ),
        ));
    }
    let copy_on_write = copy_on_write_by_fd(&file);
    let length = opened.len();

    overwrite_with_random(&file, length)?;
    file.sync_all()?;
    drop(file);

    let directory = parent_directory(path);
    std::fs::remove_file(path)?;
    sync_directory(&directory)?;

    Ok(ShredReport {
        bytes_overwritten: length,
        copy_on_write,
        other_links: opened.nlink().saturating_sub(1),
    })
}

/// Returns the name of the file system holding `path` when it is known that an in-place
/// overwrite does not reach the blocks that held the old content: btrfs, f2fs, zfs, bcachefs,
/// nilfs2, ubifs, jffs2, and overlay mounts (the lower layer keeps the original file).
///
/// `None` when the file system is not known to be copy-on-write, or when `statfs` fails. This
/// is not a guarantee: xfs shares extents after a reflink copy and then writes those
/// copy-on-write, which `statfs` cannot tell; FUSE mounts (Android's shared storage) hide the
/// real file system; and flash translation layers remap every write below any file system.
pub fn filesystem_is_copy_on_write(path: &Path) -> Option<&'static str> {
    rustix::fs::statfs(path)
        .ok()
        .and_then(|stat| copy_on_write_name(stat.f_type as u64))
}

fn copy_on_write_by_fd(file: &File) -> Option<&'static str> {
    rustix::fs::fstatfs(file.as_fd())
        .ok()
        .and_then(|stat| copy_on_write_name(stat.f_type as u64))
}

/// Maps a `statfs` magic number to the name of a copy-on-write or log-structured file system.
fn copy_on_write_name(magic: u64) -> Option<&'static str> {
    // f_type is a signed long on some architectures: compare the low 32 bits only.
    match magic & 0xFFFF_FFFF {
        0x9123_683E => Some("btrfs"),
        0xF2F5_2010 => Some("f2fs"),
        0x2FC1_2FC1 => Some("zfs"),
        0xCA45_1A4E => Some("bcachefs"),
        0x3434 => Some("nilfs2"),
        0x2405_1905 => Some("ubifs"),
        0x72B6 => Some("jffs2"),
        0x794C_7630 => Some("overlayfs"),
        _ => None,
    }
}

/// Fills the free space of the file system holding `dir` with random data, syncs it, and
/// releases it again (ballooning), so that blocks of deleted files are overwritten.
///
/// The balloon never has a name when the file system supports `O_TMPFILE` (ext4, xfs, btrfs,
/// f2fs, tmpfs); elsewhere it gets a random name that is unlinked right after creation, before
/// any data is written. Either way it is only held by the open descriptor, so the kernel frees
/// it when this function returns, fails, or the process is killed (SIGINT, SIGKILL): nothing
/// is left behind.
///
/// `progress(done, total)` is called after every chunk; `total` is the free space seen at the
/// start (the blocks reserved for root count only when running as root, since only root can
/// fill them). Returns the number of bytes written. Blocks that the file system keeps for
/// itself, slack after the end of live files and the journal are not reached.
pub fn scrub_free_space(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> io::Result<u64> {
    let space = rustix::fs::statvfs(dir)?;
    let usable_blocks = if rustix::process::geteuid().is_root() {
        space.f_bfree
    } else {
        space.f_bavail
    };
    let total_estimate = usable_blocks.saturating_mul(space.f_frsize);

    let balloon = Balloon::create(dir)?;
    let result = fill_until_full(&balloon.file, total_estimate, progress);
    // Sync before releasing the blocks, so the random bytes reach the device and not just the
    // page cache, whatever fill_until_full returned.
    let synced = balloon.file.sync_all();
    let released = balloon.release();
    let written = result?;
    synced?;
    released?;
    Ok(written)
}

/// The ballooning file: an unnamed (or immediately unlinked) file in the target directory.
struct Balloon {
    file: File,
    directory: PathBuf,
    /// Set only while a fallback name exists on disk.
    leftover_name: Option<PathBuf>,
}

impl Balloon {
    fn create(dir: &Path) -> io::Result<Balloon> {
        let directory = dir.to_path_buf();
        let unnamed = rustix::fs::open(
            dir,
            OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
            Mode::RUSR | Mode::WUSR,
        );
        match unnamed {
            Ok(fd) => Ok(Balloon {
                file: File::from(fd),
                directory,
                leftover_name: None,
            }),
            Err(_) => Balloon::create_named_then_unlink(directory),
        }
    }

    fn create_named_then_unlink(directory: PathBuf) -> io::Result<Balloon> {
        let name = unused_random_name(&directory).ok_or_else(|| {
            io::Error::new(io::ErrorKind::AlreadyExists, "no unused random file name")
        })?;
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&name)?;
        let mut balloon = Balloon {
            file,
            directory,
            leftover_name: Some(name),
        };
        balloon.unlink_name()?;
        Ok(balloon)
    }

    fn unlink_name(&mut self) -> io::Result<()> {
        if let Some(name) = self.leftover_name.take() {
            if let Err(error) = std::fs::remove_file(&name) {
                self.leftover_name = Some(name);
                return Err(error);
            }
            sync_directory(&self.directory)?;
        }
        Ok(())
    }

    /// Closes the balloon so that its blocks return to the free pool, then syncs the directory.
    fn release(mut self) -> io::Result<()> {
        self.unlink_name()?;
        let directory = self.directory.clone();
        drop(self);
        sync_directory(&directory)
    }
}

impl Drop for Balloon {
    fn drop(&mut self) {
        if let Some(name) = self.leftover_name.take() {
            let _ = std::fs::remove_file(&name);
            let _ = sync_directory(&self.directory);
        }
    }
}

/// Writes fresh random chunks until the file system reports that it is full. Every chunk is
/// new random data, so the free space afterwards holds no repeating pattern that would mark
/// it as ballooned.
fn fill_until_full(
    mut file: &File,
    total_estimate: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> io::Result<u64> {
    let mut buffer = vec![0u8; CHUNK];
    let mut chunk = CHUNK;
    let mut written: u64 = 0;
    // Two rounds: after the first "full", a sync lets delayed-allocation file systems (ext4)
    // give back space they had held in reserve for the writes still in the page cache.
    let mut rounds_left = 2;
    loop {
        fill_random(&mut buffer[..chunk])?;
        let mut offset = 0;
        while offset < chunk {
            match file.write(&buffer[offset..chunk]) {
                Ok(0) => break,
                Ok(n) => {
                    offset += n;
                    written += n as u64;
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) if is_out_of_space(&error) => break,
                Err(error) => return Err(error),
            }
        }
        progress(written, total_estimate.max(written));
        if offset < chunk {
            if chunk > TAIL_CHUNK {
                chunk = TAIL_CHUNK;
                continue;
            }
            rounds_left -= 1;
            if rounds_left == 0 {
                return Ok(written);
            }
            match file.sync_data() {
                Ok(()) => {}
                Err(error) if is_out_of_space(&error) => return Ok(written),
                Err(error) => return Err(error),
            }
        }
    }
}

fn is_out_of_space(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    ) || error.raw_os_error() == Some(rustix::io::Errno::FBIG.raw_os_error())
}

fn overwrite_with_random(mut file: &File, length: u64) -> io::Result<()> {
    let mut buffer = vec![0u8; CHUNK.min(usize::try_from(length).unwrap_or(CHUNK)).max(1)];
    let mut remaining = length;
    while remaining > 0 {
        let this_chunk = buffer
            .len()
            .min(usize::try_from(remaining).unwrap_or(buffer.len()));
        fill_random(&mut buffer[..this_chunk])?;
        file.write_all(&buffer[..this_chunk])?;
        remaining -= this_chunk as u64;
    }
    Ok(())
}

fn fill_random(buffer: &mut [u8]) -> io::Result<()> {
    getrandom::fill(buffer)
        .map_err(|error| io::Error::other(format!("operating system random source: {error}")))
}

fn parent_directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A random 16-hex-digit name in `directory` that does not exist yet.
fn unused_random_name(directory: &Path) -> Option<PathBuf> {
    for _ in 0..8 {
        let mut bytes = [0u8; 8];
        fill_random(&mut bytes).ok()?;
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let candidate = directory.join(name);
        if std::fs::symlink_metadata(&candidate).is_err() {
            return Some(candidate);
        }
    }
    None
}

fn sync_directory(directory: &Path) -> io::Result<()> {
    File::open(directory)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// A small ext4 image, loop-mounted, removed again on drop. Needs root.
    struct LoopExt4 {
        image: PathBuf,
        mount_point: PathBuf,
        mounted: bool,
    }

    impl LoopExt4 {
        /// `None` (with the reason printed) when not root or the tools are missing.
        fn new(test_name: &str) -> Option<LoopExt4> {
            if !rustix::process::geteuid().is_root() {
                println!("SKIPPED {test_name}: needs root to loop-mount an ext4 image");
                return None;
            }
            let base = scratch_dir(test_name);
            let image = base.join("fs.img");
            let mount_point = base.join("mnt");
            std::fs::create_dir_all(&mount_point).expect("create mount point");
            let file = File::create(&image).expect("create image");
            file.set_len(16 << 20).expect("size image");
            drop(file);
            let mkfs = Command::new("mkfs.ext4")
                .arg("-q")
                .arg("-F")
                .arg(&image)
                .status();
            if !matches!(mkfs, Ok(status) if status.success()) {
                println!("SKIPPED {test_name}: mkfs.ext4 not available or failed");
                return None;
            }
            let mount = Command::new("mount")
                .arg("-o")
                .arg("loop")
                .arg(&image)
                .arg(&mount_point)
                .status();
            if !matches!(mount, Ok(status) if status.success()) {
                println!("SKIPPED {test_name}: loop mount failed (no loop devices?)");
                return None;
            }
            Some(LoopExt4 {
                image,
                mount_point,
                mounted: true,
            })
        }

        fn unmount_and_read(&mut self) -> Vec<u8> {
            // "target is busy" can be transient while a test running in parallel (or a loop
            // device user elsewhere on the machine) still touches the mount; retry briefly.
            let mut unmounted = false;
            for _ in 0..50 {
                let status = Command::new("umount")
                    .arg(&self.mount_point)
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("umount");
                if status.success() {
                    unmounted = true;
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            assert!(unmounted, "umount failed for 5 s");
            self.mounted = false;
            std::fs::read(&self.image).expect("read image")
        }
    }

    impl Drop for LoopExt4 {
        fn drop(&mut self) {
            if self.mounted {
                let _ = Command::new("umount").arg(&self.mount_point).status();
            }
            let _ = std::fs::remove_file(&self.image);
        }
    }

    fn scratch_dir(test_name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/fsutil-tests")
            .join(format!("{test_name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        dir
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    /// A marker that cannot occur by chance, repeated so that it fills several blocks.
    fn marker_content(tag: &str) -> (Vec<u8>, Vec<u8>) {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).unwrap();
        let marker: Vec<u8> = format!(
            "FSUTIL-{tag}-{}",
            random
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )
        .into_bytes();
        let mut content = Vec::new();
        while content.len() < 200_000 {
            content.extend_from_slice(&marker);
            content.push(b'\n');
        }
        (marker, content)
    }

    fn write_synced(path: &Path, content: &[u8]) {
        let mut file = File::create(path).unwrap();
        file.write_all(content).unwrap();
        file.sync_all().unwrap();
        sync_directory(path.parent().unwrap()).unwrap();
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn shred_removes_the_file_and_leaves_no_other_name() {
        let dir = scratch_dir("shred-unlinks");
        let path = dir.join("IMG_0001.jpg");
        write_synced(&path, b"some photo bytes");
        let report = shred_file(&path).unwrap();
        assert_eq!(report.bytes_overwritten, 16);
        assert_eq!(report.other_links, 0);
        assert!(entries(&dir).is_empty(), "left behind: {:?}", entries(&dir));
    }

    #[test]
    fn shred_refuses_symlinks_and_directories_and_touches_nothing() {
        let dir = scratch_dir("shred-refuses");
        let target = dir.join("target.txt");
        write_synced(&target, b"keep me");
        let link = dir.join("link.jpg");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(
            shred_file(&link).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(
            shred_file(&dir).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
        assert!(std::fs::symlink_metadata(&link).is_ok());
        assert!(shred_file(&dir.join("missing")).is_err());
    }

    #[test]
    fn shred_reports_remaining_hard_links() {
        let dir = scratch_dir("shred-links");
        let path = dir.join("a.jpg");
        write_synced(&path, b"0123456789");
        std::fs::hard_link(&path, dir.join("b.jpg")).unwrap();
        let report = shred_file(&path).unwrap();
        assert_eq!(report.other_links, 1);
        let survivor = std::fs::read(dir.join("b.jpg")).unwrap();
        assert_eq!(survivor.len(), 10);
        assert_ne!(survivor, b"0123456789");
    }

    #[test]
    fn copy_on_write_magic_numbers() {
        assert_eq!(copy_on_write_name(0x9123_683E), Some("btrfs"));
        // A sign-extended f_type (32-bit long platforms) still matches.
        assert_eq!(copy_on_write_name(0xFFFF_FFFF_F2F5_2010), Some("f2fs"));
        assert_eq!(copy_on_write_name(0xEF53), None); // ext2/3/4
        assert_eq!(copy_on_write_name(0x0102_1994), None); // tmpfs
        assert_eq!(copy_on_write_name(0x5846_5342), None); // xfs: reflink not knowable
        let here = scratch_dir("cow-here");
        let real = rustix::fs::statfs(&here).unwrap().f_type as u64;
        assert_eq!(filesystem_is_copy_on_write(&here), copy_on_write_name(real));
        assert_eq!(
            filesystem_is_copy_on_write(Path::new("/nonexistent/lethe")),
            None
        );
    }

    #[test]
    fn ext4_is_not_reported_copy_on_write() {
        let Some(fs) = LoopExt4::new("cow-ext4") else {
            return;
        };
        assert_eq!(filesystem_is_copy_on_write(&fs.mount_point), None);
    }

    #[test]
    fn shred_reaches_the_old_blocks_on_ext4_and_plain_unlink_does_not() {
        let Some(mut fs) = LoopExt4::new("shred-ext4") else {
            return;
        };
        let (shredded_marker, shredded_content) = marker_content("shred");
        let shredded = fs.mount_point.join("IMG_0001.jpg");
        write_synced(&shredded, &shredded_content);
        // Positive control in the same file system: an ordinary unlink leaves the bytes.
        let (unlinked_marker, content) = marker_content("unlink");
        let unlinked = fs.mount_point.join("IMG_0002.jpg");
        write_synced(&unlinked, &content);

        let report = shred_file(&shredded).unwrap();
        assert_eq!(report.copy_on_write, None);
        assert_eq!(report.bytes_overwritten, shredded_content.len() as u64);
        std::fs::remove_file(&unlinked).unwrap();

        let raw = fs.unmount_and_read();
        assert!(
            contains(&raw, &unlinked_marker),
            "control: unlinked file's bytes should remain"
        );
        assert!(
            !contains(&raw, &shredded_marker),
            "shredded file's bytes remain on the image"
        );
    }

    #[test]
    fn scrub_overwrites_deleted_data_and_leaves_no_file() {
        let Some(mut fs) = LoopExt4::new("scrub-ext4") else {
            return;
        };
        let (marker, content) = marker_content("scrub");
        let deleted = fs.mount_point.join("notes.db");
        write_synced(&deleted, &content);
        std::fs::remove_file(&deleted).unwrap();
        sync_directory(&fs.mount_point).unwrap();
        let before = entries(&fs.mount_point);

        let mut calls = 0u32;
        let mut last = (0u64, 0u64);
        let written = scrub_free_space(&fs.mount_point, &mut |done, total| {
            calls += 1;
            last = (done, total);
        })
        .unwrap();

        assert!(
            written > 8 << 20,
            "only {written} bytes written on a 16 MiB file system"
        );
        assert!(calls > 1);
        assert_eq!(last.0, written);
        assert!(last.1 >= written);
        assert_eq!(entries(&fs.mount_point), before, "scrub left a file behind");
        let free_after = rustix::fs::statvfs(&fs.mount_point).unwrap();
        assert!(
            free_after.f_bfree * free_after.f_frsize > 8 << 20,
            "space not released"
        );
        let raw = fs.unmount_and_read();
        assert!(
            !contains(&raw, &marker),
            "deleted file's bytes survived the scrub"
        );
    }

    #[test]
    fn without_scrub_the_deleted_data_is_found() {
        // Positive control for the test above: same steps without the scrub.
        let Some(mut fs) = LoopExt4::new("scrub-control") else {
            return;
        };
        let (marker, content) = marker_content("noscrub");
        let deleted = fs.mount_point.join("notes.db");
        write_synced(&deleted, &content);
        std::fs::remove_file(&deleted).unwrap();
        sync_directory(&fs.mount_point).unwrap();
        let raw = fs.unmount_and_read();
        assert!(contains(&raw, &marker));
    }

    #[test]
    fn scrub_fails_cleanly_on_a_missing_directory() {
        let dir = scratch_dir("scrub-missing");
        let missing = dir.join("nope");
        assert!(scrub_free_space(&missing, &mut |_, _| {}).is_err());
        assert!(entries(&dir).is_empty());
    }

    #[test]
    fn named_fallback_balloon_is_unlinked_at_once() {
        let dir = scratch_dir("balloon-fallback");
        let mut balloon = Balloon::create_named_then_unlink(dir.clone()).unwrap();
        assert!(
            entries(&dir).is_empty(),
            "fallback balloon still has a name"
        );
        balloon.file.write_all(b"random").unwrap();
        balloon.release().unwrap();
        assert!(entries(&dir).is_empty());
    }
}
