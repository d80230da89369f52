//! A photo or video attached to a delivery: the one path the command line
//! (`lethe field deliver --media`) and the app (the delivery form) both take, so both cap
//! the size and refuse the same files. A JPEG or PNG photo or an MP4/MOV video is read into
//! wiped memory (its metadata is removed when it is sealed); any other file is sealed as it is, and only when the user
//! said so (`--keep-metadata`, or the check box in the app), since its metadata may name
//! the place, the time and the phone.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// A media file checked before anything is sealed.
pub enum MediaInput {
    /// A JPEG, read into memory (metadata is stripped from it there).
    Jpeg(Zeroizing<Vec<u8>>),
    /// Another file, sealed as it is (with its metadata).
    Other { path: PathBuf, len: u64 },
}

/// Why a media file was refused.
#[derive(Debug)]
pub enum MediaError {
    /// It could not be opened or read.
    Io(io::Error),
    /// It is not a regular file (a folder, a device …).
    NotAFile,
    /// A photo or video larger than its kind allows (64 MiB for photos, 256 MiB for videos).
    TooLarge { max_mib: usize },
    /// Not a JPEG, PNG or MP4/MOV, and the user did not ask to send it with its metadata.
    NotJpeg,
}

impl MediaInput {
    /// Checks the file at `path` and, for a JPEG, reads it.
    pub fn open(path: &Path, keep_metadata: bool) -> Result<MediaInput, MediaError> {
        let mut file = File::open(path).map_err(MediaError::Io)?;
        let meta = file.metadata().map_err(MediaError::Io)?;
        if !meta.is_file() {
            return Err(MediaError::NotAFile);
        }
        // A JPEG, a PNG or an MP4/MOV video (told apart by their first bytes) is read into
        // memory: its metadata is removed when it is sealed.
        let mut head = [0u8; 8];
        let mut got = 0;
        while got < head.len() {
            match file.read(&mut head[got..]).map_err(MediaError::Io)? {
                0 => break,
                n => got += n,
            }
        }
        if let Some(max) = lethe_protocol::strippable(&head[..got]) {
            if meta.len() > max as u64 {
                return Err(MediaError::TooLarge { max_mib: max >> 20 });
            }
            let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
            bytes.extend_from_slice(&head[..got]);
            // One byte more than the cap: a file that grew since is refused, not cut.
            file.take(max as u64 + 1 - got as u64).read_to_end(&mut bytes).map_err(MediaError::Io)?;
            if bytes.len() > max {
                return Err(MediaError::TooLarge { max_mib: max >> 20 });
            }
            return Ok(MediaInput::Jpeg(bytes));
        }
        if !keep_metadata {
            return Err(MediaError::NotJpeg);
        }
        Ok(MediaInput::Other { path: path.to_owned(), len: meta.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lethe_protocol::jpeg::MAX_JPEG_LEN;

    struct Dir(PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_same_refusals_for_every_caller() {
        let dir = Dir(std::env::temp_dir().join(format!("lethe-media-{}", std::process::id())));
        std::fs::create_dir_all(&dir.0).unwrap();
        let jpeg = dir.0.join("a.jpg");
        std::fs::write(&jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).unwrap();
        let png = dir.0.join("b.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n....").unwrap();
        assert!(matches!(MediaInput::open(&jpeg, false), Ok(MediaInput::Jpeg(b)) if b.len() == 7));
        // A PNG is read to be cleaned; a GIF (no cleaner) only with keep_metadata.
        assert!(matches!(MediaInput::open(&png, false), Ok(MediaInput::Jpeg(b)) if b.len() == 12));
        let gif = dir.0.join("c.gif");
        std::fs::write(&gif, b"GIF89a......").unwrap();
        assert!(matches!(MediaInput::open(&gif, false), Err(MediaError::NotJpeg)));
        assert!(matches!(MediaInput::open(&gif, true), Ok(MediaInput::Other { len: 12, .. })));
        assert!(matches!(MediaInput::open(&dir.0, true), Err(MediaError::NotAFile)));
        assert!(matches!(MediaInput::open(&dir.0.join("none"), true), Err(MediaError::Io(_))));
        // A photo over the cap is refused without being read (a sparse file of that size).
        let big = dir.0.join("big.jpg");
        let f = File::create(&big).unwrap();
        std::io::Write::write_all(&mut &f, &[0xFF, 0xD8, 0xFF]).unwrap();
        f.set_len(MAX_JPEG_LEN as u64 + 1).unwrap();
        assert!(matches!(MediaInput::open(&big, false), Err(MediaError::TooLarge { .. })));
        // Positive control: one byte less is accepted.
        f.set_len(MAX_JPEG_LEN as u64).unwrap();
        assert!(matches!(MediaInput::open(&big, false), Ok(MediaInput::Jpeg(_))));
    }
}
