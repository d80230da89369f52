//! Files outside the container that the screens read and write: exports (never
//! overwriting, removed again on failure), messages loaded from a file, sources shredded
//! after they went into the container.

use super::errors::io_error_text;
use super::i18n::Msg;
use super::jobs::Abortable;
use super::texts::{Arg, UiText};
use lethe_vault::WriteBehind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Largest message text read from a file or pasted.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Creates a new file for an export (never overwrites; mode 0600, readable only by the
/// user), runs `write`, stopped when `abort` is set, then syncs the file with its name
/// ([`crate::fsutil::write_new_file_with`]); if anything failed, shreds and removes the
/// unfinished file again, and says so if it could not.
pub fn write_new_file(
    target: &Path,
    abort: &AtomicBool,
    write: impl FnOnce(&mut Abortable<'_, &mut WriteBehind>) -> Result<(), UiText>,
) -> Result<(), UiText> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(target)
        .map_err(|e| io_error_text(&e))?;
    let write = |w: &mut WriteBehind| write(&mut Abortable { inner: w, abort });
    crate::fsutil::write_new_file_with(file, target, write, |e| io_error_text(&e)).map_err(|(e, left)| match left {
        None => e,
        Some(left) => UiText {
            msg: Msg::ErrPartialLeft,
            args: vec![Arg::Nested(Box::new(e)), Arg::Text(left.display().to_string())],
        },
    })
}

/// Reads a message from a file the user named (at most [`MAX_MESSAGE_BYTES`]).
pub fn read_message_file(path: &str) -> Result<String, UiText> {
    use lethe_protocol::qr_read::{MAX_IMAGE_BYTES, QrReadError, read_qr_codes};
    let meta = std::fs::metadata(path.trim()).map_err(|e| io_error_text(&e))?;
    if !meta.is_file() {
        return Err(UiText::new(Msg::ErrNotAFile));
    }
    if meta.len() > MAX_IMAGE_BYTES as u64 {
        return Err(UiText::new(Msg::ErrBadMessage));
    }
    let bytes = std::fs::read(path.trim()).map_err(|e| io_error_text(&e))?;
    // A picture (a photo or screenshot of the other phone's QR codes): every code in it,
    // the parts of a long message in any order.
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return match read_qr_codes(&bytes) {
            Ok(texts) => Ok(texts.join("\n\n")),
            Err(QrReadError::NoCode) => Err(UiText::new(Msg::ErrNoQrInPicture)),
            Err(_) => Err(UiText::new(Msg::ErrBadPicture)),
        };
    }
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(UiText::new(Msg::ErrBadMessage));
    }
    String::from_utf8(bytes).map_err(|_| UiText::new(Msg::ErrBadMessage))
}

/// `done`, and, when a write started sessions of its own (format 2, a hidden compartment:
/// docs/FORMAT.md, version 2, tension 3), over how many sessions it went, as `lethe add` says
/// it. `sessions_before` is [`lethe_vault::Vault::sessions_started`] before the write.
pub fn over_sessions<S: lethe_vault::Storage>(
    done: UiText,
    vault: &lethe_vault::Vault<S>,
    sessions_before: u64,
) -> UiText {
    let more = vault.sessions_started().saturating_sub(sessions_before);
    if more == 0 {
        return done;
    }
    UiText {
        msg: Msg::OverSessions,
        args: vec![super::texts::Arg::Nested(Box::new(done)), super::texts::Arg::Text((more + 1).to_string())],
    }
}

/// Shreds a source file after it went into the vault, and says how that went.
pub fn shred_message(source: &Path, done: UiText) -> UiText {
    let msg = match crate::fsutil::shred_file(source) {
        Ok(report) if report.copy_on_write.is_some() => Msg::DoneShredCow,
        Ok(_) => Msg::DoneShredded,
        Err(_) => Msg::DoneShredFailed,
    };
    UiText::around(msg, done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::Ordering;

    fn scratch(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("lethe-app-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    const PIECE: &[u8] = b"PLAIN-export-0001 a page of the ledger\n";

    /// A write that fails after megabytes, or one stopped by the user, leaves nothing in the
    /// folder; the error is the writer's own. Control: at the moment of failure the partial
    /// file is there, holding the plain text.
    #[test]
    fn an_export_that_fails_or_is_stopped_leaves_no_file() {
        let dir = scratch("fail");
        for stop in [false, true] {
            let target = dir.join("out.txt");
            let abort = AtomicBool::new(false);
            let r = write_new_file(&target, &abort, |w| {
                for _ in 0..(3 << 20) / PIECE.len() {
                    w.write_all(PIECE).map_err(|e| io_error_text(&e))?;
                }
                let on_disk = std::fs::read(&target).unwrap();
                assert!(on_disk.len() >= 2 << 20 && on_disk.starts_with(PIECE), "control: the partial file");
                if stop {
                    abort.store(true, Ordering::Relaxed);
                    return w.write_all(PIECE).map_err(|e| io_error_text(&e));
                }
                Err(UiText::new(Msg::ErrBadMessage))
            });
            let expected = if stop { UiText::new(Msg::Cancelled) } else { UiText::new(Msg::ErrBadMessage) };
            assert_eq!(r, Err(expected));
            assert!(names(&dir).is_empty(), "left behind: {:?}", names(&dir));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_finished_export_is_whole_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("ok");
        let target = dir.join("out.txt");
        let r = write_new_file(&target, &AtomicBool::new(false), |w| {
            for _ in 0..1000 {
                w.write_all(PIECE).map_err(|e| io_error_text(&e))?;
            }
            Ok(())
        });
        assert_eq!(r, Ok(()));
        assert_eq!(std::fs::read(&target).unwrap(), PIECE.repeat(1000));
        assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
