//! The only module of lethe that uses `unsafe`.
//!
//! It does two things the safe standard library cannot:
//! 1. [`LockedBuf`]: a heap buffer in pages of its own, locked in RAM with `mlock` so the
//!    kernel never writes it to swap, zeroed and unlocked when dropped. The buffer owns whole
//!    pages, so unlocking it can never unlock a neighbour's secret.
//! 2. [`harden_process`]: no core dumps and no ptrace attach by other processes of the user.
//!
//! Locking is best effort: an unprivileged process may be limited by `RLIMIT_MEMLOCK`.
//! A buffer that could not be locked still works and is still zeroed on drop;
//! [`LockedBuf::is_locked`] tells which happened.

use std::alloc::{Layout, alloc_zeroed, dealloc};
use std::ptr::NonNull;
use zeroize::Zeroize;

/// The system's page size (4 KiB on most phones and PCs, 16 KiB on some ARM ones): a
/// buffer must own whole pages for `munlock` never to unlock a neighbour's secret.
fn page_size() -> usize {
    rustix::param::page_size()
}

/// Page-aligned, mlocked, zeroed-on-drop heap bytes of a fixed length.
pub struct LockedBuf {
    ptr: NonNull<u8>,
    len: usize,
    capacity: usize,
    locked: bool,
}

// SAFETY: LockedBuf owns its allocation exclusively, like a Box<[u8]>.
unsafe impl Send for LockedBuf {}
// SAFETY: shared access only hands out &[u8], like a Box<[u8]>.
unsafe impl Sync for LockedBuf {}

impl LockedBuf {
    /// A zero-filled buffer of `len` bytes.
    pub fn new(len: usize) -> Self {
        let page = page_size();
        let capacity = len.max(1).div_ceil(page) * page;
        let layout = Layout::from_size_align(capacity, page).expect("buffer size overflows");
        // SAFETY: layout has non-zero size.
        let raw = unsafe { alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw) else { std::alloc::handle_alloc_error(layout) };
        // SAFETY: ptr..ptr+capacity is our own live allocation.
        let locked = unsafe { rustix::mm::mlock(ptr.as_ptr().cast(), capacity) }.is_ok();
        LockedBuf { ptr, len, capacity, locked }
    }

    /// A locked copy of `bytes`.
    pub fn from_slice(bytes: &[u8]) -> Self {
        let mut buf = Self::new(bytes.len());
        buf.as_mut_slice().copy_from_slice(bytes);
        buf
    }

    /// Whether `mlock` succeeded for this buffer.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Shrinks the visible length (the tail is zeroed at once; capacity is kept).
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.as_mut_slice()[len..].zeroize();
            self.len = len;
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: the first `len` bytes are initialised (alloc_zeroed) and owned by self.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as above, and &mut self guarantees exclusive access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for LockedBuf {
    fn drop(&mut self) {
        // SAFETY: the whole capacity is initialised and exclusively ours.
        let all = unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.capacity) };
        all.zeroize();
        if self.locked {
            // SAFETY: same range that was locked in `new`; the pages are ours alone.
            let _ = unsafe { rustix::mm::munlock(self.ptr.as_ptr().cast(), self.capacity) };
        }
        let layout = Layout::from_size_align(self.capacity, page_size()).expect("checked in new");
        // SAFETY: allocated in `new` with this very layout.
        unsafe { dealloc(self.ptr.as_ptr(), layout) };
    }
}

impl std::fmt::Debug for LockedBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LockedBuf({} bytes, redacted)", self.len)
    }
}

/// What [`harden_process`] managed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hardening {
    /// RLIMIT_CORE set to 0.
    pub core_dumps_off: bool,
    /// PR_SET_DUMPABLE 0: no core dump and no ptrace attach by same-user processes.
    pub not_dumpable: bool,
}

/// Turns off core dumps and ptrace attach for this process. Call first thing in `main`.
pub fn harden_process() -> Hardening {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let core_dumps_off = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) }).is_ok();
    let not_dumpable = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable).is_ok();
    Hardening { core_dumps_off, not_dumpable }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_buf_holds_and_truncates() {
        let mut b = LockedBuf::from_slice(b"secret bytes");
        assert_eq!(b.as_slice(), b"secret bytes");
        b.truncate(6);
        assert_eq!(b.as_slice(), b"secret");
        let page = page_size();
        let big = LockedBuf::new(3 * page + 5);
        assert_eq!(big.len(), 3 * page + 5);
        assert!(big.as_slice().iter().all(|&x| x == 0));
    }

    #[test]
    fn hardening_turns_off_core_dumps() {
        let h = harden_process();
        assert!(h.core_dumps_off);
        let lim = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!(lim.current, Some(0));
    }
}
