//! The phone's storage: a file system image made with its mkfs defaults and loop-mounted
//! (ext4 for most scenarios; ext4 with `data=journal`, xfs and btrfs for the names scenarios).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::proc::run_checked;

const TOOL_LIMIT: Duration = Duration::from_secs(120);

/// The file systems the bed can put on an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsKind {
    /// mkfs.ext4 defaults, mounted with the default `data=ordered`.
    Ext4,
    /// mkfs.ext4 defaults, mounted with `data=journal` (file contents go through the journal).
    Ext4DataJournal,
    /// mkfs.xfs defaults (needs at least 300 MiB).
    Xfs,
    /// mkfs.btrfs defaults.
    Btrfs,
}

impl FsKind {
    pub fn name(self) -> &'static str {
        match self {
            FsKind::Ext4 => "ext4",
            FsKind::Ext4DataJournal => "ext4 data=journal",
            FsKind::Xfs => "xfs",
            FsKind::Btrfs => "btrfs",
        }
    }

    pub fn is_ext4(self) -> bool {
        matches!(self, FsKind::Ext4 | FsKind::Ext4DataJournal)
    }

    fn mkfs(self, image: &Path) -> Command {
        let mut command = match self {
            FsKind::Ext4 | FsKind::Ext4DataJournal => {
                let mut c = Command::new("mkfs.ext4");
                c.arg("-q").arg("-F");
                c
            }
            FsKind::Xfs => {
                let mut c = Command::new("mkfs.xfs");
                c.arg("-q").arg("-f");
                c
            }
            FsKind::Btrfs => {
                let mut c = Command::new("mkfs.btrfs");
                c.arg("-q").arg("-f");
                c
            }
        };
        command.arg(image);
        command
    }

    fn mount_options(self) -> &'static str {
        match self {
            FsKind::Ext4DataJournal => "loop,data=journal",
            _ => "loop",
        }
    }
}

pub struct Ext4Image {
    pub image: PathBuf,
    pub mount_point: PathBuf,
    pub kind: FsKind,
    /// The file system's block size (1 KiB for mkfs.ext4 defaults below 512 MiB).
    pub block_size: u64,
    mounted: bool,
}

impl Ext4Image {
    /// Creates a fresh image of `size_mib` MiB with file system `kind` and mounts it.
    pub fn create_kind(image: &Path, mount_point: &Path, size_mib: u64, kind: FsKind) -> Result<Ext4Image, String> {
        let _ = std::fs::remove_file(image);
        std::fs::create_dir_all(mount_point).map_err(|e| format!("{}: {e}", mount_point.display()))?;
        let file = std::fs::File::create(image).map_err(|e| format!("{}: {e}", image.display()))?;
        file.set_len(size_mib << 20).map_err(|e| format!("{}: {e}", image.display()))?;
        drop(file);
        run_checked(&mut kind.mkfs(image), TOOL_LIMIT)?;
        let mut disk = Ext4Image {
            image: image.to_path_buf(),
            mount_point: mount_point.to_path_buf(),
            kind,
            block_size: 0,
            mounted: false,
        };
        disk.mount()?;
        let stat = rustix::fs::statvfs(mount_point).map_err(|e| format!("statvfs: {e}"))?;
        disk.block_size = stat.f_bsize;
        Ok(disk)
    }

    /// An existing image (a copy) that is not mounted yet.
    pub fn existing(image: &Path, mount_point: &Path, block_size: u64) -> Ext4Image {
        Ext4Image {
            image: image.to_path_buf(),
            mount_point: mount_point.to_path_buf(),
            kind: FsKind::Ext4,
            block_size,
            mounted: false,
        }
    }

    pub fn mount(&mut self) -> Result<(), String> {
        if self.mounted {
            return Ok(());
        }
        std::fs::create_dir_all(&self.mount_point).map_err(|e| format!("{}: {e}", self.mount_point.display()))?;
        run_checked(
            Command::new("mount").arg("-o").arg(self.kind.mount_options()).arg(&self.image).arg(&self.mount_point),
            TOOL_LIMIT,
        )?;
        self.mounted = true;
        Ok(())
    }

    pub fn unmount(&mut self) -> Result<(), String> {
        if !self.mounted {
            return Ok(());
        }
        run_checked(Command::new("umount").arg(&self.mount_point), TOOL_LIMIT)?;
        self.mounted = false;
        Ok(())
    }

    /// Unmounts, copies the image (for a second attack at this point in time) and remounts.
    pub fn snapshot(&mut self, copy: &Path) -> Result<(), String> {
        let was_mounted = self.mounted;
        self.unmount()?;
        copy_image(&self.image, copy)?;
        if was_mounted {
            self.mount()?;
        }
        Ok(())
    }
}

impl Drop for Ext4Image {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.mount_point).status();
        }
    }
}

pub fn copy_image(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_file(to);
    run_checked(Command::new("cp").arg("--sparse=always").arg(from).arg(to), TOOL_LIMIT)?;
    Ok(())
}

/// Unmounts whatever a previous, interrupted run left mounted below `root`.
pub fn unmount_stale(root: &Path) {
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return;
    };
    let root = root.to_string_lossy().into_owned();
    let mut stale: Vec<&str> = mounts
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .filter(|point| point.starts_with(&root))
        .collect();
    // Deepest first.
    stale.sort_by_key(|point| std::cmp::Reverse(point.len()));
    for point in stale {
        eprintln!("[seizure] unmounting stale {point}");
        let _ = Command::new("umount").arg(point).status();
    }
}
