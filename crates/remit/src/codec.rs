//! A small strict binary codec for the records this crate keeps in the vault.
//!
//! Little-endian fixed-width integers, texts as a 16-bit length and UTF-8, blobs as a
//! 32-bit length and bytes. Decoding refuses short input, bad UTF-8 and trailing bytes.
//! The records are inside the vault's encryption; the strictness is against damage and
//! versions, not against an attacker.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Builds a record in memory that is wiped when dropped.
pub(crate) struct Writer {
    buf: Zeroizing<Vec<u8>>,
}

impl Writer {
    pub(crate) fn new(version: u8) -> Writer {
        let mut buf = Zeroizing::new(Vec::with_capacity(128));
        buf.push(version);
        Writer { buf }
    }

    pub(crate) fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    pub(crate) fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub(crate) fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub(crate) fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(v);
        self
    }

    /// A text of at most 65,535 bytes (every text of this crate is far shorter).
    pub(crate) fn text(&mut self, v: &str) -> &mut Self {
        let len = u16::try_from(v.len()).unwrap_or(u16::MAX);
        self.buf.extend_from_slice(&len.to_le_bytes());
        self.buf.extend_from_slice(&v.as_bytes()[..usize::from(len)]);
        self
    }

    pub(crate) fn blob(&mut self, v: &[u8]) -> &mut Self {
        let len = u32::try_from(v.len()).unwrap_or(u32::MAX);
        self.buf.extend_from_slice(&len.to_le_bytes());
        self.buf.extend_from_slice(&v[..len as usize]);
        self
    }

    pub(crate) fn opt_u32(&mut self, v: Option<u32>) -> &mut Self {
        match v {
            Some(v) => self.u8(1).u32(v),
            None => self.u8(0),
        }
    }

    pub(crate) fn opt_u64(&mut self, v: Option<u64>) -> &mut Self {
        match v {
            Some(v) => self.u8(1).u64(v),
            None => self.u8(0),
        }
    }

    pub(crate) fn finish(self) -> Zeroizing<Vec<u8>> {
        self.buf
    }
}

/// Reads a record; every error names the record kind.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// Starts reading; the first byte must be `version`.
    pub(crate) fn new(bytes: &'a [u8], version: u8, what: &'static str) -> Result<Reader<'a>> {
        let mut r = Reader { bytes, what };
        if r.u8()? != version {
            return Err(Error::DamagedRecord(what));
        }
        Ok(r)
    }

    /// Starts reading a record that exists in several versions; returns the version.
    pub(crate) fn new_versions(bytes: &'a [u8], versions: &[u8], what: &'static str) -> Result<(Reader<'a>, u8)> {
        let mut r = Reader { bytes, what };
        let version = r.u8()?;
        if !versions.contains(&version) {
            return Err(Error::DamagedRecord(what));
        }
        Ok((r, version))
    }

    fn damaged(&self) -> Error {
        Error::DamagedRecord(self.what)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(self.damaged());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self) -> Result<u64> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    pub(crate) fn text(&mut self) -> Result<String> {
        let len = {
            let b = self.take(2)?;
            usize::from(u16::from_le_bytes([b[0], b[1]]))
        };
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| self.damaged())
    }

    pub(crate) fn blob(&mut self) -> Result<Vec<u8>> {
        let len = self.u32()? as usize;
        Ok(self.take(len)?.to_vec())
    }

    pub(crate) fn flag(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.damaged()),
        }
    }

    pub(crate) fn opt_u32(&mut self) -> Result<Option<u32>> {
        Ok(if self.flag()? { Some(self.u32()?) } else { None })
    }

    pub(crate) fn opt_u64(&mut self) -> Result<Option<u64>> {
        Ok(if self.flag()? { Some(self.u64()?) } else { None })
    }

    pub(crate) fn finish(self) -> Result<()> {
        if self.bytes.is_empty() { Ok(()) } else { Err(self.damaged()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_strictness() {
        let mut w = Writer::new(1);
        w.u8(7).u32(0xDEAD_BEEF).u64(u64::MAX).text("큰 언니").blob(&[1, 2, 3]).opt_u32(None).opt_u64(Some(9));
        let bytes = w.finish();
        let mut r = Reader::new(&bytes, 1, "test").unwrap();
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.u32().unwrap(), 0xDEAD_BEEF);
        assert_eq!(r.u64().unwrap(), u64::MAX);
        assert_eq!(r.text().unwrap(), "큰 언니");
        assert_eq!(r.blob().unwrap(), vec![1, 2, 3]);
        assert_eq!(r.opt_u32().unwrap(), None);
        assert_eq!(r.opt_u64().unwrap(), Some(9));
        r.finish().unwrap();

        assert!(Reader::new(&bytes, 2, "test").is_err());
        let mut extra = bytes.to_vec();
        extra.push(0);
        let mut r = Reader::new(&extra, 1, "test").unwrap();
        r.u8().unwrap();
        r.u32().unwrap();
        r.u64().unwrap();
        r.text().unwrap();
        r.blob().unwrap();
        r.opt_u32().unwrap();
        r.opt_u64().unwrap();
        assert!(r.finish().is_err());
        for cut in 0..bytes.len() {
            let mut r = match Reader::new(&bytes[..cut], 1, "test") {
                Ok(r) => r,
                Err(_) => continue,
            };
            let ok = (|| -> Result<()> {
                r.u8()?;
                r.u32()?;
                r.u64()?;
                r.text()?;
                r.blob()?;
                r.opt_u32()?;
                r.opt_u64()?;
                Ok(())
            })();
            assert!(ok.is_err(), "prefix of {cut} bytes read as whole");
        }
        let bad_utf8 = [1u8, 2, 0, 0xFF, 0xFE];
        let mut r = Reader::new(&bad_utf8, 1, "test").unwrap();
        assert!(r.text().is_err());
    }
}
