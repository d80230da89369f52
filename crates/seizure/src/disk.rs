//! The phone's storage: an ext4 image made with `mkfs.ext4` defaults and loop-mounted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::proc::run_checked;

const TOOL_LIMIT: Duration = Duration::from_secs(120);

pub struct Ext4Image {
    pub image: PathBuf,
    pub mount_point: PathBuf,
    /// The file system's block size (1 KiB for mkfs.ext4 defaults below 512 MiB).
    pub block_size: u64,
    mounted: bool,
}

impl Ext4Image {
    /// Creates a fresh image of `size_mib` MiB and mounts it.
    pub fn create(image: &Path, mount_point: &Path, size_mib: u64) -> Result<Ext4Image, String> {
        let _ = std::fs::remove_file(image);
        std::fs::create_dir_all(mount_point)
            .map_err(|e| format!("{}: {e}", mount_point.display()))?;
        let file = std::fs::File::create(image).map_err(|e| format!("{}: {e}", image.display()))?;
        file.set_len(size_mib << 20)
            .map_err(|e| format!("{}: {e}", image.display()))?;
        drop(file);
        run_checked(
            Command::new("mkfs.ext4").arg("-q").arg("-F").arg(image),
            TOOL_LIMIT,
        )?;
        let mut disk = Ext4Image {
            image: image.to_path_buf(),
            mount_point: mount_point.to_path_buf(),
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
            block_size,
            mounted: false,
        }
    }

    pub fn mount(&mut self) -> Result<(), String> {
        if self.mounted {
            return Ok(());
        }
        std::fs::create_dir_all(&self.mount_point)
            .map_err(|e| format!("{}: {e}", self.mount_point.display()))?;
        run_checked(
            Command::new("mount")
                .arg("-o")
                .arg("loop")
                .arg(&self.image)
                .arg(&self.mount_point),
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
    run_checked(
        Command::new("cp").arg("--sparse=always").arg(from).arg(to),
        TOOL_LIMIT,
    )?;
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
