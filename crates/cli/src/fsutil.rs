//! The only places where lethe deliberately writes a file other than its container:
//! destroying a file the user is done with (`--shred-source`, `lethe shred`) and scrubbing a
//! file system (`scrub-free-space`). Both write nothing but fresh random bytes and random names.
//!
//! Neither can promise more than the storage below allows. An in-place overwrite reaches the
//! old blocks only on a file system that updates data in place (ext4, vfat, xfs for extents
//! that are not shared). Copy-on-write and log-structured file systems (btrfs, f2fs, zfs,
//! bcachefs, nilfs2, ubifs, jffs2) and overlay mounts put the new bytes somewhere else and
//! leave the old ones in place until reused; flash translation layers below every file system
//! do the same. Scrubbing afterwards covers the file-system part of that gap, not the flash part.
//!
//! A file's name lives in three places besides its content: its directory entry, freed
//! directory space, and the file system's journal or log (ext4's jbd2 journal, xfs's log),
//! which keeps copies of every directory block or change it wrote. [`shred_file`] renames
//! before unlinking; [`scrub`] fills the directories' free entry space with random names,
//! writes metadata churn until the journal or log has wrapped round completely, and then
//! balloons the free space (which covers freed directory blocks).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lethe_vault::WriteBehind;
use rustix::fs::{Mode, OFlags, RenameFlags};

use crate::random::fill_random;

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

/// Overwrites the regular file at `path` in place with random bytes and syncs it, renames it
/// to a random name of the same length in the same directory and syncs the directory, then
/// unlinks it and syncs the directory again.
///
/// The rename puts a random name where the old one was on file systems that rewrite the entry
/// in place, and makes the name the last directory operation journaled under the old inode.
/// It does not reach copies of the directory block that the journal or log already holds:
/// on ext4 and xfs those stay until `scrub-free-space` has cycled the journal (the seizure
/// bed measures both, docs/SEIZURE.md).
///
/// Refuses (with `InvalidInput`) anything that is not a regular file, including a symbolic
/// link, so that a link planted in an import folder cannot redirect the overwrite.
pub fn shred_file(path: &Path) -> io::Result<ShredReport> {
    let before = std::fs::symlink_metadata(path)?;
    if !before.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file; refusing to shred it", path.display()),
        ));
    }
    let file = OpenOptions::new().write(true).custom_flags(OFlags::NOFOLLOW.bits() as i32).open(path)?;
    let opened = file.metadata()?;
    if opened.dev() != before.dev() || opened.ino() != before.ino() || !opened.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} changed while being opened; not shredded", path.display()),
        ));
    }
    let copy_on_write = copy_on_write_by_fd(&file);
    let length = opened.len();

    overwrite_with_random(&file, length)?;
    file.sync_all()?;
    drop(file);

    let directory = parent_directory(path);
    let renamed = rename_to_random_same_length(path, &directory)?;
    sync_directory(&directory)?;
    std::fs::remove_file(&renamed)?;
    sync_directory(&directory)?;

    Ok(ShredReport { bytes_overwritten: length, copy_on_write, other_links: opened.nlink().saturating_sub(1) })
}

/// Renames `path` to a random name with as many bytes as its own, in the same directory,
/// never replacing an existing file. Returns the new path.
fn rename_to_random_same_length(path: &Path, directory: &Path) -> io::Result<PathBuf> {
    let length = path.file_name().map_or(1, |name| name.len()).max(1);
    for _ in 0..16 {
        let candidate = directory.join(random_name(length)?);
        match rustix::fs::renameat_with(rustix::fs::CWD, path, rustix::fs::CWD, &candidate, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(candidate),
            Err(rustix::io::Errno::EXIST) => continue,
            // Kernels or file systems without RENAME_NOREPLACE: a name just checked unused.
            Err(rustix::io::Errno::INVAL) | Err(rustix::io::Errno::NOSYS) => {
                if std::fs::symlink_metadata(&candidate).is_ok() {
                    continue;
                }
                std::fs::rename(path, &candidate)?;
                return Ok(candidate);
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no unused random file name"))
}

/// Letters and digits, as camera and download names use: a random name does not stand out
/// by its alphabet.
const NAME_ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A random name of `length` bytes from [`NAME_ALPHABET`].
fn random_name(length: usize) -> io::Result<String> {
    let mut bytes = vec![0u8; length];
    fill_random(&mut bytes)?;
    // 252 = 7 * 36: reject larger bytes so that every letter is equally likely.
    let mut name = String::with_capacity(length);
    let mut pool = bytes.into_iter();
    while name.len() < length {
        let byte = match pool.next() {
            Some(byte) => byte,
            None => {
                let mut more = vec![0u8; 32];
                fill_random(&mut more)?;
                pool = more.into_iter();
                continue;
            }
        };
        if byte < 252 {
            name.push(char::from(NAME_ALPHABET[usize::from(byte % 36)]));
        }
    }
    Ok(name)
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
    rustix::fs::statfs(path).ok().and_then(|stat| copy_on_write_name(stat.f_type as u64))
}

fn copy_on_write_by_fd(file: &File) -> Option<&'static str> {
    rustix::fs::fstatfs(file.as_fd()).ok().and_then(|stat| copy_on_write_name(stat.f_type as u64))
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
/// itself, slack after the end of live files and the journal are not reached ([`scrub`] does
/// this and the journal). Tests call it; the command runs [`scrub`].
#[cfg(test)]
pub fn scrub_free_space(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> io::Result<u64> {
    // Far beyond any real run: the time limit belongs to `scrub`.
    let no_limit = Instant::now() + Duration::from_secs(100 * 365 * 86_400);
    scrub_free_space_until(dir, no_limit, progress).map(|(written, _)| written)
}

/// [`scrub_free_space`] that stops at `deadline`. Returns the bytes written and whether the
/// file system was filled (false: stopped by the deadline).
fn scrub_free_space_until(
    dir: &Path,
    deadline: Instant,
    progress: &mut dyn FnMut(u64, u64),
) -> io::Result<(u64, bool)> {
    let space = rustix::fs::statvfs(dir)?;
    let usable_blocks = if rustix::process::geteuid().is_root() { space.f_bfree } else { space.f_bavail };
    let total_estimate = usable_blocks.saturating_mul(space.f_frsize);

    let balloon = Balloon::create(dir)?;
    let result = fill_until_full(&balloon.file, total_estimate, deadline, progress);
    // Sync before releasing the blocks, so the random bytes reach the device and not just the
    // page cache, whatever fill_until_full returned.
    let synced = balloon.file.sync_all();
    let released = balloon.release();
    let filled = result?;
    synced?;
    released?;
    Ok(filled)
}

/// The three parts of [`scrub`], in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScrubPhase {
    /// Filling the free entry space of the named directories with random names.
    Names,
    /// Metadata churn until the journal or log has wrapped round.
    Journal,
    /// Ballooning the free space of each file system.
    FreeSpace,
}

impl ScrubPhase {
    pub fn label(self) -> &'static str {
        match self {
            ScrubPhase::Names => "overwriting old names",
            ScrubPhase::FreeSpace => "scrubbing free space",
            ScrubPhase::Journal => "cycling the journal",
        }
    }
}

/// What [`scrub`] did, for the user.
#[derive(Debug, Default)]
pub struct ScrubReport {
    /// Random names created (and removed again) in the directories.
    pub names_written: u64,
    /// Bytes of random data written into free space.
    pub free_space_written: u64,
    /// One line per file system about its journal or log.
    pub journals: Vec<JournalOutcome>,
    /// Plain warnings: copy-on-write file systems, FUSE, assumed journal sizes.
    pub warnings: Vec<String>,
    /// The time limit ended the work early; what is missing is in `warnings`.
    pub stopped_by_time_limit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalOutcome {
    pub filesystem: &'static str,
    pub directory: PathBuf,
    /// Size of the journal or log in bytes, and where that number came from.
    pub journal_bytes: u64,
    pub size_source: &'static str,
    /// Bytes the journal or log advanced by (measured), or a lower bound on it (estimated).
    pub churned_bytes: u64,
    /// True when the progress was read from the kernel (jbd2 statistics, xfs log head).
    pub measured: bool,
    /// True when the journal or log wrapped round completely.
    pub complete: bool,
}

/// Scrubs the file systems holding `dirs`: overwrites the free directory-entry space of every
/// directory in `dirs` with random names, then (ext4, xfs) writes metadata churn until every
/// block of the journal or log has been overwritten, then balloons the free space of each file
/// system once. Stops at `time_limit` and says what was left undone.
///
/// The balloon comes last because the churn before it frees directory blocks again, and xfs
/// can write a freed directory block back with stale bytes from its buffer cache (the seizure
/// bed found old names resurrected that way when the balloon ran first).
///
/// `progress(phase, done, total)`: `total` 0 when unknown.
pub fn scrub(
    dirs: &[PathBuf],
    time_limit: Duration,
    progress: &mut dyn FnMut(ScrubPhase, u64, u64),
) -> io::Result<ScrubReport> {
    let deadline = Instant::now() + time_limit;
    let mut report = ScrubReport::default();
    // One entry per file system: (device, first directory named on it, statfs type).
    let mut filesystems: Vec<(u64, PathBuf, u64)> = Vec::new();
    for dir in dirs {
        let meta = std::fs::metadata(dir)?;
        if !meta.is_dir() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a folder", dir.display())));
        }
        if !filesystems.iter().any(|(dev, _, _)| *dev == meta.dev()) {
            let kind = rustix::fs::statfs(dir)?.f_type as u64 & 0xFFFF_FFFF;
            filesystems.push((meta.dev(), dir.clone(), kind));
        }
    }
    for (_, dir, kind) in &filesystems {
        if let Some(name) = copy_on_write_name(*kind) {
            report.warnings.push(format!(
                "{} is on {name}, which writes every change to a new place and keeps old copies \
                 of file contents and names where no program can reach them. This scrub covers \
                 only the free space it can fill; the old copies may stay until the file system \
                 reuses their place.",
                dir.display()
            ));
        } else if *kind == FUSE_MAGIC {
            report.warnings.push(format!(
                "{} is on a FUSE mount (such as a phone's shared storage): the real file system \
                 below it is hidden, so its journal cannot be cycled from here and old names may \
                 stay in it.",
                dir.display()
            ));
        }
    }

    let mut filled: Vec<TemporaryNames> = Vec::new();
    for dir in dirs {
        if Instant::now() >= deadline {
            report.stopped_by_time_limit = true;
            report.warnings.push(format!("time limit reached: old names in {} not overwritten", dir.display()));
            continue;
        }
        let names = fill_free_entries(dir, deadline, &mut |done| progress(ScrubPhase::Names, done, 0))?;
        report.names_written += names.paths.len() as u64;
        filled.push(names);
    }
    // The random names stay until the journal has been cycled: cycling makes the file system
    // write every directory block it logged back to its place on the disk (xfs keeps a freed
    // directory block's old content there otherwise, in space that its own reserve keeps
    // out of the balloon's reach).

    for (_, dir, kind) in &filesystems {
        let Some(journal) = journal_of(dir, *kind) else {
            continue;
        };
        if let Some(assumed) = &journal.assumed {
            report.warnings.push(assumed.clone());
        }
        let outcome = cycle_journal(dir, &journal, deadline, &mut |d, t| progress(ScrubPhase::Journal, d, t))?;
        if !outcome.complete {
            report.stopped_by_time_limit = true;
            report.warnings.push(format!(
                "time limit reached: the {} journal of {} was not fully overwritten; old names \
                 may remain in it",
                outcome.filesystem,
                dir.display()
            ));
        }
        report.journals.push(outcome);
    }
    for mut names in filled {
        names.remove_all()?;
        syncfs(&names.dir)?;
    }

    for (_, dir, _) in &filesystems {
        if Instant::now() >= deadline {
            report.stopped_by_time_limit = true;
            report.warnings.push(format!("time limit reached: free space of {} not scrubbed", dir.display()));
            continue;
        }
        let (written, complete) =
            scrub_free_space_until(dir, deadline, &mut |d, t| progress(ScrubPhase::FreeSpace, d, t))?;
        report.free_space_written += written;
        if !complete {
            report.stopped_by_time_limit = true;
            report
                .warnings
                .push(format!("time limit reached: only part of the free space of {} was scrubbed", dir.display()));
        }
    }

    Ok(report)
}

const EXT4_MAGIC: u64 = 0xEF53;
const XFS_MAGIC: u64 = 0x5846_5342;
const FUSE_MAGIC: u64 = 0x6573_5546;

/// Name lengths, longest first, used to fill free directory-entry space: each length fills
/// the gaps the longer ones could not, down to gaps too small for any name of 4 bytes, which
/// cannot hold an old name either.
const FILL_NAME_LENGTHS: [usize; 12] = [255, 192, 128, 96, 64, 48, 32, 24, 16, 12, 8, 4];

/// Creates empty files with random names in `dir`, for each length of [`FILL_NAME_LENGTHS`]
/// until the directory grows (no free gap left that fits such a name), and syncs. New
/// entries go into the free space old entries left, so their random names overwrite the old
/// names there. Returns the names, which the caller removes (dropping them removes them too).
fn fill_free_entries(dir: &Path, deadline: Instant, progress: &mut dyn FnMut(u64)) -> io::Result<TemporaryNames> {
    let block = rustix::fs::statvfs(dir)?.f_bsize.max(512);
    let mut made = TemporaryNames::new(dir);
    // A directory smaller than one block keeps its entries inside its inode (xfs short form).
    // Short names first fill that space to the end before the directory becomes a block
    // directory; the long names after them would leave its tail untouched.
    let inline = std::fs::metadata(dir)?.len() < block;
    let lengths = inline.then_some(4).into_iter().chain(FILL_NAME_LENGTHS);
    let result = (|| -> io::Result<()> {
        for length in lengths {
            let start = std::fs::metadata(dir)?.len();
            // Below one block (inline), fill until it becomes a block directory.
            let grown = |size: u64| size > start && size >= block;
            // Bound: every existing byte of the directory filled with entries of this size,
            // twice over, plus one block.
            let cap = (start.max(block) * 2) / (length as u64 + 8) + block / 8;
            let mut created = 0;
            while created < cap && Instant::now() < deadline {
                made.create(length)?;
                created += 1;
                progress(made.paths.len() as u64);
                if grown(std::fs::metadata(dir)?.len()) {
                    break;
                }
            }
        }
        Ok(())
    })();
    result?;
    syncfs(dir)?;
    Ok(made)
}

/// [`fill_free_entries`], then removes the names again and syncs. Returns how many.
#[cfg(test)]
fn overwrite_free_entries(dir: &Path, deadline: Instant, progress: &mut dyn FnMut(u64)) -> io::Result<u64> {
    let mut made = fill_free_entries(dir, deadline, progress)?;
    let count = made.paths.len() as u64;
    made.remove_all()?;
    syncfs(dir)?;
    Ok(count)
}

/// Empty files with random names that must not outlive the operation.
struct TemporaryNames {
    dir: PathBuf,
    paths: Vec<PathBuf>,
}

impl TemporaryNames {
    fn new(dir: &Path) -> TemporaryNames {
        TemporaryNames { dir: dir.to_path_buf(), paths: Vec::new() }
    }

    fn create(&mut self, length: usize) -> io::Result<()> {
        for _ in 0..16 {
            let path = self.dir.join(random_name(length)?);
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(OFlags::NOFOLLOW.bits() as i32)
                .open(&path)
            {
                Ok(_) => {
                    self.paths.push(path);
                    return Ok(());
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(error),
            }
        }
        Err(io::Error::new(io::ErrorKind::AlreadyExists, "no unused random file name"))
    }

    fn remove_all(&mut self) -> io::Result<()> {
        let mut first_error = None;
        for path in self.paths.drain(..) {
            if let Err(error) = std::fs::remove_file(&path)
                && error.kind() != io::ErrorKind::NotFound
                && first_error.is_none()
            {
                first_error = Some(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

impl Drop for TemporaryNames {
    fn drop(&mut self) {
        let _ = self.remove_all();
    }
}

fn syncfs(dir: &Path) -> io::Result<()> {
    let directory = File::open(dir)?;
    rustix::fs::syncfs(&directory)?;
    Ok(())
}

/// The journal or log of the file system holding a directory.
struct Journal {
    filesystem: &'static str,
    bytes: u64,
    size_source: &'static str,
    /// A warning when the size is an assumption rather than read from the file system.
    assumed: Option<String>,
    /// How progress can be measured.
    meter: JournalMeter,
}

enum JournalMeter {
    /// /proc/fs/jbd2/<dev>-8/info: transactions and logged blocks per transaction.
    Jbd2 { info: PathBuf, block_size: u64 },
    /// /sys/fs/xfs/<dev>/log/log_head_lsn: "cycle:block" of the log head.
    XfsHead { lsn: PathBuf },
    /// Nothing readable: a lower bound from the names written.
    Estimate,
}

/// The block device name of the file system holding `dir` ("sda1", "loop0", "dm-0").
fn device_name(dir: &Path) -> Option<String> {
    let dev = std::fs::metadata(dir).ok()?.dev();
    let link =
        std::fs::read_link(format!("/sys/dev/block/{}:{}", rustix::fs::major(dev), rustix::fs::minor(dev))).ok()?;
    Some(link.file_name()?.to_string_lossy().into_owned())
}

fn journal_of(dir: &Path, kind: u64) -> Option<Journal> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    let block_size = stat.f_frsize.max(512);
    let fs_bytes = stat.f_blocks.saturating_mul(block_size);
    let device = device_name(dir);
    match kind {
        EXT4_MAGIC => {
            let info = device
                .as_ref()
                .map(|d| PathBuf::from(format!("/proc/fs/jbd2/{d}-8/info")))
                .filter(|p| std::fs::read_to_string(p).is_ok());
            let from_dumpe2fs = device.as_ref().and_then(|d| ext4_journal_from_dumpe2fs(d));
            let from_jbd2 = info
                .as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .and_then(|text| jbd2_max_transaction_blocks(&text))
                // The kernel allows a transaction a quarter (older kernels) or a third (newer)
                // of the journal: four times that is an upper bound of the journal's size.
                .map(|blocks| blocks * 4 * block_size);
            let (bytes, size_source, assumed) = match (from_dumpe2fs, from_jbd2) {
                (Some(bytes), _) => (bytes, "dumpe2fs", None),
                (None, Some(bytes)) => (bytes, "jbd2 statistics (upper bound)", None),
                (None, None) => {
                    let bytes = ext4_default_journal_bytes(stat.f_blocks, block_size);
                    (
                        bytes,
                        "assumed (mkfs.ext4 default)",
                        Some(format!(
                            "the size of the ext4 journal of {} cannot be read here; assuming \
                             {} MiB, what mkfs.ext4 makes for a file system of this size",
                            dir.display(),
                            bytes >> 20
                        )),
                    )
                }
            };
            let meter = match info {
                Some(info) => JournalMeter::Jbd2 { info, block_size },
                None => JournalMeter::Estimate,
            };
            Some(Journal { filesystem: "ext4", bytes, size_source, assumed, meter })
        }
        XFS_MAGIC => {
            let lsn = device
                .as_ref()
                .map(|d| PathBuf::from(format!("/sys/fs/xfs/{d}/log/log_head_lsn")))
                .filter(|p| read_lsn(p).is_some());
            let (bytes, size_source, assumed) = match xfs_log_from_xfs_info(dir) {
                Some(bytes) => (bytes, "xfs_info", None),
                None => {
                    // mkfs.xfs: at least 64 MiB (xfsprogs 5.x and later), about 1/2048 of the
                    // file system on large ones, at most 2 GiB.
                    let bytes = (fs_bytes / 2048).clamp(64 << 20, 2 << 30);
                    (
                        bytes,
                        "assumed (mkfs.xfs default)",
                        Some(format!(
                            "the size of the xfs log of {} cannot be read here (xfs_info is \
                             missing); assuming {} MiB",
                            dir.display(),
                            bytes >> 20
                        )),
                    )
                }
            };
            Some(Journal {
                filesystem: "xfs",
                bytes,
                size_source,
                assumed,
                meter: match lsn {
                    Some(lsn) => JournalMeter::XfsHead { lsn },
                    None => JournalMeter::Estimate,
                },
            })
        }
        _ => None,
    }
}

/// The path of a file-system tool: from PATH, or from /usr/sbin and /sbin, which are not in
/// an ordinary user's PATH on Debian although the tools there work for them.
fn system_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// PATH with /usr/sbin and /sbin added: xfs_info is a script that runs xfs_spaceman.
fn system_path() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::env::split_paths(&path).chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")]);
    std::env::join_paths(dirs).unwrap_or(path)
}

/// "Total journal size: 4096k" (e2fsprogs 1.46+) or "Journal size: 4096k" (older).
fn ext4_journal_from_dumpe2fs(device: &str) -> Option<u64> {
    let output = Command::new(system_tool("dumpe2fs")?)
        .env("PATH", system_path())
        .arg("-h")
        .arg(format!("/dev/{device}"))
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    parse_dumpe2fs_journal_size(&String::from_utf8_lossy(&output.stdout))
}

fn parse_dumpe2fs_journal_size(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Total journal size:") || l.starts_with("Journal size:"))?;
    let value = line.split(':').nth(1)?.trim();
    let digits_end = value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len());
    let number: u64 = value[..digits_end].parse().ok()?;
    let unit = match value[digits_end..].trim() {
        "k" | "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "" => 1,
        _ => return None,
    };
    Some(number * unit)
}

/// "N transactions (M requested), each up to B blocks" -> B.
fn jbd2_max_transaction_blocks(info: &str) -> Option<u64> {
    let first = info.lines().next()?;
    let rest = first.split("each up to ").nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
}

/// (transactions, logged blocks per transaction) from a jbd2 info file.
fn jbd2_logged(info: &str) -> Option<(u64, u64)> {
    let transactions = info.split_whitespace().next()?.parse().ok()?;
    let per = info
        .lines()
        .find(|l| l.contains("logged blocks per transaction"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Some((transactions, per))
}

/// The journal mkfs.ext4 creates by default for a file system of `blocks` blocks
/// (e2fsprogs' table, by block count).
fn ext4_default_journal_bytes(blocks: u64, block_size: u64) -> u64 {
    let journal_blocks = match blocks {
        0..32_768 => 1024,
        32_768..262_144 => 4096,
        262_144..524_288 => 8192,
        524_288..4_194_304 => 16_384,
        4_194_304..8_388_608 => 32_768,
        8_388_608..16_777_216 => 65_536,
        16_777_216..33_554_432 => 131_072,
        _ => 262_144,
    };
    journal_blocks * block_size
}

/// The mount point of the file system holding `dir`: its highest ancestor on the same device.
fn mount_point(dir: &Path) -> Option<PathBuf> {
    let mut here = std::fs::canonicalize(dir).ok()?;
    let dev = std::fs::metadata(&here).ok()?.dev();
    while let Some(parent) = here.parent() {
        if std::fs::metadata(parent).ok()?.dev() != dev {
            break;
        }
        here = parent.to_path_buf();
    }
    Some(here)
}

/// Runs `xfs_info MOUNTPOINT` and reads "log =internal log bsize=4096 blocks=16384".
fn xfs_log_from_xfs_info(dir: &Path) -> Option<u64> {
    let output = Command::new(system_tool("xfs_info")?)
        .env("PATH", system_path())
        .arg(mount_point(dir)?)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    parse_xfs_info_log(&String::from_utf8_lossy(&output.stdout))
}

fn parse_xfs_info_log(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.trim_start().starts_with("log"))?;
    let field = |name: &str| -> Option<u64> {
        line.split(|c: char| c.is_whitespace() || c == ',')
            .find_map(|part| part.strip_prefix(name))
            .and_then(|v| v.parse().ok())
    };
    Some(field("bsize=")? * field("blocks=")?)
}

/// "cycle:block" of the xfs log head (block in 512-byte units).
fn read_lsn(path: &Path) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(path).ok()?;
    let (cycle, block) = text.trim().split_once(':')?;
    Some((cycle.parse().ok()?, block.parse().ok()?))
}

/// Creates and removes batches of long random names in `dir`, syncing the file system after
/// each half, until the journal or log has advanced by more than its whole size.
fn cycle_journal(
    dir: &Path,
    journal: &Journal,
    deadline: Instant,
    progress: &mut dyn FnMut(u64, u64),
) -> io::Result<JournalOutcome> {
    const BATCH: usize = 512;
    const NAME_LENGTH: usize = 200;
    // A quarter more than the journal, so that a journal whose size was rounded down, or the
    // partial block at the start, is covered too.
    let target = journal.bytes + journal.bytes / 4;
    let start_jbd2 = match &journal.meter {
        JournalMeter::Jbd2 { info, .. } => std::fs::read_to_string(info).ok().and_then(|t| jbd2_logged(&t)),
        _ => None,
    };
    let start_lsn = match &journal.meter {
        JournalMeter::XfsHead { lsn } => read_lsn(lsn),
        _ => None,
    };
    let mut estimated: u64 = 0;
    let advanced = |estimated: u64| -> (u64, bool) {
        match (&journal.meter, start_jbd2, start_lsn) {
            (JournalMeter::Jbd2 { info, block_size }, Some((t0, per0)), _) => {
                let now = std::fs::read_to_string(info).ok().and_then(|t| jbd2_logged(&t));
                // The averages are rounded down: count the start generously and the present
                // sparingly, so that this is a lower bound.
                let blocks = now.map_or(0, |(t, per)| (t * per).saturating_sub(t0 * (per0 + 1)));
                (blocks * block_size, true)
            }
            (JournalMeter::XfsHead { lsn }, _, Some((c0, b0))) => {
                let (c, b) = read_lsn(lsn).unwrap_or((c0, b0));
                let log_bb = journal.bytes / 512;
                let moved = (c.saturating_sub(c0)) * log_bb + b;
                (moved.saturating_sub(b0) * 512, true)
            }
            _ => (estimated, false),
        }
    };
    let mut made = TemporaryNames::new(dir);
    let wrapped = |estimated: u64| -> (u64, bool, bool) {
        let (bytes, measured) = advanced(estimated);
        let done = match (&journal.meter, start_lsn) {
            // The head is one whole cycle further on, at or past where it started, and then
            // some: every block of the log has been written since.
            (JournalMeter::XfsHead { lsn }, Some((c0, b0))) => {
                read_lsn(lsn).is_some_and(|(c, b)| c > c0 + 1 || (c == c0 + 1 && b >= b0 + 64))
            }
            _ => bytes >= target,
        };
        (bytes, measured, done)
    };
    loop {
        let (bytes, measured, done) = wrapped(estimated);
        progress(bytes.min(target), target);
        if done || Instant::now() >= deadline {
            return Ok(JournalOutcome {
                filesystem: journal.filesystem,
                directory: dir.to_path_buf(),
                journal_bytes: journal.bytes,
                size_source: journal.size_source,
                churned_bytes: bytes,
                measured,
                complete: done,
            });
        }
        for _ in 0..BATCH {
            made.create(NAME_LENGTH)?;
        }
        syncfs(dir)?;
        made.remove_all()?;
        syncfs(dir)?;
        // Each name went into a directory block that the journal logged at least once when
        // it was created: a lower bound on what the journal advanced by.
        estimated += (BATCH * (NAME_LENGTH + 8)) as u64;
    }
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
        let unnamed =
            rustix::fs::open(dir, OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC, Mode::RUSR | Mode::WUSR);
        match unnamed {
            Ok(fd) => Ok(Balloon { file: File::from(fd), directory, leftover_name: None }),
            Err(_) => Balloon::create_named_then_unlink(directory),
        }
    }

    fn create_named_then_unlink(directory: PathBuf) -> io::Result<Balloon> {
        let name = unused_random_name(&directory)
            .ok_or_else(|| io::Error::new(io::ErrorKind::AlreadyExists, "no unused random file name"))?;
        let file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&name)?;
        let mut balloon = Balloon { file, directory, leftover_name: Some(name) };
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
    deadline: Instant,
    progress: &mut dyn FnMut(u64, u64),
) -> io::Result<(u64, bool)> {
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
        if offset == chunk && Instant::now() >= deadline {
            return Ok((written, false));
        }
        if offset < chunk {
            if chunk > TAIL_CHUNK {
                chunk = TAIL_CHUNK;
                continue;
            }
            rounds_left -= 1;
            if rounds_left == 0 {
                return Ok((written, true));
            }
            match file.sync_data() {
                Ok(()) => {}
                Err(error) if is_out_of_space(&error) => return Ok((written, true)),
                Err(error) => return Err(error),
            }
        }
    }
}

fn is_out_of_space(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded)
        || error.raw_os_error() == Some(rustix::io::Errno::FBIG.raw_os_error())
}

/// Overwrites the first `length` bytes of `file` with random bytes, at their own offsets
/// (whatever the file's cursor).
fn overwrite_with_random(file: &File, length: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let mut buffer = vec![0u8; CHUNK.min(usize::try_from(length).unwrap_or(CHUNK)).max(1)];
    let mut done = 0u64;
    while done < length {
        let this_chunk = buffer.len().min(usize::try_from(length - done).unwrap_or(buffer.len()));
        fill_random(&mut buffer[..this_chunk])?;
        file.write_all_at(&buffer[..this_chunk], done)?;
        done += this_chunk as u64;
    }
    Ok(())
}

/// Removes a file that lethe created and could not finish writing (it may hold part of what
/// was being written, plain text included). Through `file`, the handle it was written with
/// (never another file that took its name meanwhile): the content is overwritten with random
/// bytes and synced; then the name is changed to a random one and removed, and the directory
/// synced. Each step is tried even when one before it failed (a full disk can refuse the
/// overwrite, never the removal). Returns the path of what is left when the file could not
/// be removed.
pub fn discard_partial(file: &File, path: &Path) -> Option<PathBuf> {
    let Ok(written) = file.metadata() else {
        return std::fs::remove_file(path).err().map(|_| path.to_path_buf());
    };
    let _ = overwrite_with_random(file, written.len()).and_then(|()| file.sync_all());
    let is_ours =
        |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.dev() == written.dev() && m.ino() == written.ino());
    if !is_ours(path) {
        return None;
    }
    let directory = parent_directory(path);
    let left = match rename_to_random_same_length(path, &directory) {
        Ok(renamed) => std::fs::remove_file(&renamed).err().map(|_| renamed),
        Err(_) => std::fs::remove_file(path).err().map(|_| path.to_path_buf()),
    };
    let _ = sync_directory(&directory);
    left.filter(|p| is_ours(p))
}

/// Fills `file`, just created at `path`, with `write`, written behind (the disk takes each
/// MiB while the next is produced), then syncs it and its folder, so that its content and
/// name are durable. If anything fails, the unfinished file is discarded
/// ([`discard_partial`]) and the error comes back with the path of what is left, if any.
/// `io_error` turns a failed sync into the caller's error type.
pub fn write_new_file_with<T, E>(
    file: File,
    path: &Path,
    write: impl FnOnce(&mut WriteBehind) -> Result<T, E>,
    io_error: impl FnOnce(io::Error) -> E,
) -> Result<T, (E, Option<PathBuf>)> {
    let mut out = WriteBehind::new(file);
    let result = write(&mut out).and_then(|done| {
        out.sync().and_then(|()| sync_directory(&parent_directory(path))).map_err(io_error)?;
        Ok(done)
    });
    result.map_err(|e| (e, discard_partial(out.file(), path)))
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
            let mkfs = Command::new("mkfs.ext4").arg("-q").arg("-F").arg(&image).status();
            if !matches!(mkfs, Ok(status) if status.success()) {
                println!("SKIPPED {test_name}: mkfs.ext4 not available or failed");
                return None;
            }
            let mount = Command::new("mount").arg("-o").arg("loop").arg(&image).arg(&mount_point).status();
            if !matches!(mount, Ok(status) if status.success()) {
                println!("SKIPPED {test_name}: loop mount failed (no loop devices?)");
                return None;
            }
            Some(LoopExt4 { image, mount_point, mounted: true })
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
        haystack.windows(needle.len()).any(|window| window == needle)
    }

    /// A marker that cannot occur by chance, repeated so that it fills several blocks.
    fn marker_content(tag: &str) -> (Vec<u8>, Vec<u8>) {
        let mut random = [0u8; 8];
        fill_random(&mut random).unwrap();
        let marker: Vec<u8> =
            format!("FSUTIL-{tag}-{}", random.iter().map(|b| format!("{b:02x}")).collect::<String>()).into_bytes();
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
        assert_eq!(shred_file(&link).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        assert_eq!(shred_file(&dir).unwrap_err().kind(), io::ErrorKind::InvalidInput);
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
        assert_eq!(filesystem_is_copy_on_write(Path::new("/nonexistent/lethe")), None);
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
        assert!(contains(&raw, &unlinked_marker), "control: unlinked file's bytes should remain");
        assert!(!contains(&raw, &shredded_marker), "shredded file's bytes remain on the image");
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

        assert!(written > 8 << 20, "only {written} bytes written on a 16 MiB file system");
        assert!(calls > 1);
        assert_eq!(last.0, written);
        assert!(last.1 >= written);
        assert_eq!(entries(&fs.mount_point), before, "scrub left a file behind");
        let free_after = rustix::fs::statvfs(&fs.mount_point).unwrap();
        assert!(free_after.f_bfree * free_after.f_frsize > 8 << 20, "space not released");
        let raw = fs.unmount_and_read();
        assert!(!contains(&raw, &marker), "deleted file's bytes survived the scrub");
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
        assert!(entries(&dir).is_empty(), "fallback balloon still has a name");
        balloon.file.write_all(b"random").unwrap();
        balloon.release().unwrap();
        assert!(entries(&dir).is_empty());
    }

    #[test]
    fn journal_sizes_are_parsed() {
        assert_eq!(
            parse_dumpe2fs_journal_size("Journal backup:  inode blocks\nTotal journal size:       4096k\n"),
            Some(4 << 20)
        );
        assert_eq!(parse_dumpe2fs_journal_size("Journal size:             32M\n"), Some(32 << 20));
        assert_eq!(parse_dumpe2fs_journal_size("Journal features: (none)\n"), None);
        assert_eq!(jbd2_max_transaction_blocks("0 transactions (0 requested), each up to 1365 blocks\n"), Some(1365));
        let info = "50 transactions (50 requested), each up to 1365 blocks\naverage: \n  5 blocks per transaction\n  7 logged blocks per transaction\n";
        assert_eq!(jbd2_logged(info), Some((50, 7)));
        let xfs = "meta-data=/dev/loop0 isize=512 agcount=4, agsize=20480 blks\n\
                   log      =internal log           bsize=4096   blocks=16384, version=2\n";
        assert_eq!(parse_xfs_info_log(xfs), Some(64 << 20));
        assert_eq!(ext4_default_journal_bytes(98_304, 1024), 4 << 20);
        assert_eq!(ext4_default_journal_bytes(262_144, 4096), 32 << 20);
    }

    #[test]
    fn random_names_have_the_length_and_alphabet_asked_for() {
        for length in [1, 23, 255] {
            let a = random_name(length).unwrap();
            assert_eq!(a.len(), length);
            assert!(a.bytes().all(|b| NAME_ALPHABET.contains(&b)));
        }
        assert_ne!(random_name(23).unwrap(), random_name(23).unwrap());
    }

    #[test]
    fn scrub_refuses_a_file_and_leaves_no_names_behind() {
        let dir = scratch_dir("scrub-names");
        write_synced(&dir.join("keep.txt"), b"keep");
        let file = dir.join("keep.txt");
        assert_eq!(
            scrub(std::slice::from_ref(&file), Duration::from_secs(60), &mut |_, _, _| {}).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        let mut names = 0;
        let written =
            overwrite_free_entries(&dir, Instant::now() + Duration::from_secs(60), &mut |n| names = n).unwrap();
        assert!(written > 0 && names == written);
        assert_eq!(entries(&dir), vec!["keep.txt".to_string()]);
        assert_eq!(std::fs::read(&file).unwrap(), b"keep");
    }

    /// Counts how many of `names` occur in `raw`.
    fn names_found(raw: &[u8], names: &[String]) -> usize {
        names.iter().filter(|n| contains(raw, n.as_bytes())).count()
    }

    fn shredded_camera_names(fs: &LoopExt4, count: usize) -> Vec<String> {
        let camera = fs.mount_point.join("DCIM");
        std::fs::create_dir_all(&camera).unwrap();
        let mut names = Vec::new();
        for n in 0..count {
            let name = format!("IMG_20261130_{:06}_{}.jpg", 114_500 + n, random_name(8).unwrap());
            let path = camera.join(&name);
            write_synced(&path, &vec![0x5a; 20_000]);
            shred_file(&path).unwrap();
            names.push(name);
        }
        assert!(entries(&camera).is_empty());
        names
    }

    #[test]
    fn shredded_names_stay_in_the_ext4_journal_without_scrub() {
        // Positive control for the test below: the journal keeps the names.
        let Some(mut fs) = LoopExt4::new("names-control") else {
            return;
        };
        let names = shredded_camera_names(&fs, 6);
        let raw = fs.unmount_and_read();
        assert_eq!(names_found(&raw, &names), names.len());
    }

    #[test]
    fn scrub_removes_shredded_names_from_the_ext4_journal() {
        let Some(mut fs) = LoopExt4::new("names-scrub") else {
            return;
        };
        let names = shredded_camera_names(&fs, 6);
        let camera = fs.mount_point.join("DCIM");
        let mut phases = Vec::new();
        let report = scrub(std::slice::from_ref(&camera), Duration::from_secs(300), &mut |p, _, _| {
            if phases.last() != Some(&p) {
                phases.push(p);
            }
        })
        .unwrap();
        assert_eq!(phases, vec![ScrubPhase::Names, ScrubPhase::Journal, ScrubPhase::FreeSpace]);
        assert!(!report.stopped_by_time_limit, "{:?}", report.warnings);
        assert_eq!(report.journals.len(), 1);
        let journal = &report.journals[0];
        assert!(journal.complete && journal.filesystem == "ext4");
        assert!(journal.churned_bytes >= journal.journal_bytes);
        assert!(entries(&camera).is_empty(), "scrub left names: {:?}", entries(&camera));
        let raw = fs.unmount_and_read();
        assert_eq!(names_found(&raw, &names), 0);
    }
}
