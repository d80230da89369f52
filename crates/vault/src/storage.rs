//! Where the container's bytes live. The vault only reads and writes at offsets inside a
//! fixed length and asks for durability with `sync`; it never grows, shrinks or renames.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Fixed-length random-access storage.
pub trait Storage {
    /// Total length in bytes. Never changes.
    fn len(&self) -> u64;
    /// Whether the storage holds no bytes (a container never does; kept for the usual pairing with `len`).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Fills `buf` from `offset`; an error if the range is not entirely inside the storage.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()>;
    /// Writes `data` at `offset`; an error if the range does not fit inside the storage.
    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()>;
    /// Makes every write so far durable.
    fn sync(&mut self) -> io::Result<()>;
    /// A hint that `len` bytes from `offset` were just written and will not be written again
    /// before the next [`Storage::sync`]: a file starts sending them to the disk now, so the
    /// sync that follows a large item finds little left to do. Nothing to do by default.
    fn start_writeback(&mut self, offset: u64, len: u64) {
        let _ = (offset, len);
    }
}

fn check_range(len: u64, offset: u64, n: usize) -> io::Result<()> {
    match offset.checked_add(n as u64) {
        Some(end) if end <= len => Ok(()),
        _ => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "access beyond the end of the container (is the file truncated?)",
        )),
    }
}

/// A container file, held with an exclusive advisory lock (`flock`) for as long as this
/// value lives, so a second lethe process on the same file is refused at once.
pub struct FileStorage {
    file: File,
    len: u64,
}

/// Why a container file could not be opened.
#[derive(Debug)]
#[non_exhaustive]
pub enum OpenFileError {
    /// Another process holds the container's lock.
    InUse,
    /// The operating system refused (missing file, permissions, …).
    Io(io::Error),
}

impl FileStorage {
    /// Opens an existing container for reading and writing and takes its lock.
    pub fn open(path: &Path) -> Result<FileStorage, OpenFileError> {
        let file = std::fs::OpenOptions::new().read(true).write(true).open(path).map_err(OpenFileError::Io)?;
        Self::lock(&file)?;
        let len = file.metadata().map_err(OpenFileError::Io)?.len();
        Ok(FileStorage { file, len })
    }

    /// Opens a container file without taking its lock. Only `panic` uses this: wiping must
    /// work even while another lethe process has the container open.
    pub fn open_unlocked(path: &Path) -> io::Result<FileStorage> {
        let file = std::fs::OpenOptions::new().read(true).write(true).open(path)?;
        let len = file.metadata()?.len();
        Ok(FileStorage { file, len })
    }

    /// Creates a new file of exactly `len` bytes, each written by `fill` (the caller passes
    /// random bytes), synced. Refuses to touch an existing file. The file is created with mode
    /// 0600 (owner read and write only, whatever the umask allows beyond that): a container is
    /// never world- or group-readable, not even for the moment between creating and a chmod.
    pub fn create(
        path: &Path,
        len: u64,
        fill: &mut dyn FnMut(&mut [u8]),
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<FileStorage, OpenFileError> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(OpenFileError::Io)?;
        Self::lock(&file)?;
        let storage = FileStorage { file, len };
        let result = (|| {
            let mut chunk = vec![0u8; 1 << 20];
            let mut offset = 0u64;
            while offset < len {
                let n = ((len - offset) as usize).min(chunk.len());
                fill(&mut chunk[..n]);
                storage.file.write_all_at(&chunk[..n], offset)?;
                offset += n as u64;
                progress(offset, len);
            }
            storage.file.sync_all()?;
            if let Some(dir) = path.parent() {
                let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
                File::open(dir)?.sync_all()?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            // A half-written new file holds only random bytes; remove it so no odd-sized
            // file is left behind.
            drop(storage);
            let _ = std::fs::remove_file(path);
            return Err(OpenFileError::Io(e));
        }
        Ok(storage)
    }

    fn lock(file: &File) -> Result<(), OpenFileError> {
        use rustix::fs::{FlockOperation, flock};
        match flock(file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(()),
            Err(rustix::io::Errno::WOULDBLOCK) => Err(OpenFileError::InUse),
            Err(e) => Err(OpenFileError::Io(e.into())),
        }
    }
}

impl Storage for FileStorage {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        check_range(self.len, offset, buf.len())?;
        self.file.read_exact_at(buf, offset)
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        check_range(self.len, offset, data.len())?;
        self.file.write_all_at(data, offset)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn start_writeback(&mut self, offset: u64, len: u64) {
        start_writeback(&self.file, offset, len);
    }
}

/// Starts sending the dirty pages of `file` in `offset..offset + len` to the disk, without
/// waiting for the disk. Linux (Android too) does this for `POSIX_FADV_DONTNEED`: it starts
/// write-back of the range, then drops from the page cache the pages that are already clean
/// (pages still being written stay). The call may still wait while the file system allocates
/// blocks or the device queue is full, and kernels before about 5.18 skip the write-back when
/// the device is marked congested (FUSE, as Android's shared storage is, can be): then the
/// closing sync does all the work, as before. Errors are ignored: durability comes from the
/// sync that always follows, never from this. Other systems: nothing.
fn start_writeback(file: &File, offset: u64, len: u64) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(len) = std::num::NonZeroU64::new(len) {
        let _ = rustix::fs::fadvise(file, offset, Some(len), rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = (file, offset, len);
}

/// A new file written front to back, such as an export: what is written goes to the disk in
/// the background, a few MiB at a time, while the caller produces the rest, so that
/// [`WriteBehind::sync`] at the end waits for the last part only. Writes are positioned (the
/// file's own cursor is not used). Only a sync makes the file durable.
pub struct WriteBehind {
    file: File,
    /// Bytes written so far: where the next write goes.
    pos: u64,
    /// Bytes whose write-back has been started.
    started: u64,
}

/// How much a [`WriteBehind`] gathers before it starts writing it back: large enough to be a
/// few system calls per MiB at most, small enough to keep the disk busy from the start.
const WRITE_BEHIND_STEP: u64 = 1 << 20;

/// Where a [`WriteBehind`] ends a write-back range: a multiple of every page size in use
/// (4 KiB, 16 KiB on some ARM phones; 64 KiB covers the rest).
const PAGE_ALIGN: u64 = 64 << 10;

impl WriteBehind {
    /// Writes `file` from offset 0 on (it should be new and empty).
    pub fn new(file: File) -> WriteBehind {
        WriteBehind { file, pos: 0, started: 0 }
    }

    /// The file being written.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Makes everything written durable (data and metadata, such as the file's length).
    pub fn sync(&mut self) -> io::Result<()> {
        self.file.sync_all()
    }
}

impl io::Write for WriteBehind {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write_at(buf, self.pos)?;
        self.pos += n as u64;
        if self.pos - self.started >= WRITE_BEHIND_STEP {
            // Whole pages only: the page the next write continues would be written twice (and
            // a device that keeps pages stable while they are written would make that write
            // wait).
            let end = self.pos & !(PAGE_ALIGN - 1);
            start_writeback(&self.file, self.started, end - self.started);
            self.started = end;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Storage in memory. Clones share the same bytes, so a test can keep a handle, drop the
/// vault, and look at (or reopen) what was written.
#[derive(Clone, Default)]
pub struct MemStorage {
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl MemStorage {
    pub fn new(bytes: Vec<u8>) -> MemStorage {
        MemStorage { bytes: Arc::new(Mutex::new(bytes)) }
    }

    /// A copy of the current bytes.
    pub fn snapshot(&self) -> Vec<u8> {
        self.bytes.lock().expect("poisoned").clone()
    }

    /// Replaces the bytes (same length or not: tests use this to model truncation).
    pub fn set_bytes(&self, bytes: Vec<u8>) {
        *self.bytes.lock().expect("poisoned") = bytes;
    }
}

impl Storage for MemStorage {
    fn len(&self) -> u64 {
        self.bytes.lock().expect("poisoned").len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let bytes = self.bytes.lock().expect("poisoned");
        check_range(bytes.len() as u64, offset, buf.len())?;
        buf.copy_from_slice(&bytes[offset as usize..offset as usize + buf.len()]);
        Ok(())
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut bytes = self.bytes.lock().expect("poisoned");
        check_range(bytes.len() as u64, offset, data.len())?;
        bytes[offset as usize..offset as usize + data.len()].copy_from_slice(data);
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<S: Storage + ?Sized> Storage for Box<S> {
    fn len(&self) -> u64 {
        (**self).len()
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        (**self).read_at(offset, buf)
    }
    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        (**self).write_at(offset, data)
    }
    fn sync(&mut self) -> io::Result<()> {
        (**self).sync()
    }
    fn start_writeback(&mut self, offset: u64, len: u64) {
        (**self).start_writeback(offset, len)
    }
}
