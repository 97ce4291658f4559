//! A tar writer that produces the bytes Go's `archive/tar` writes for the
//! headers source-controller's `Archive` hands it (regular files and
//! directories, no times, uid/gid 0, no user or group names).
//!
//! Format choice as Go makes it: USTAR when the name fits (at most 100 bytes, or
//! ASCII and splittable into a 155-byte prefix and a 100-byte name at a `/`);
//! otherwise PAX, with a `path` record (and a `size` record for 8 GiB or more)
//! in an extended header named `<dir>/PaxHeaders.0/<file>`. Numbers are
//! zero-padded octal with a NUL terminator; the checksum is six octal digits,
//! NUL, space. The stream ends with two zero blocks and no further padding.

use std::io::{self, Write};

const BLOCK: usize = 512;
const NAME_SIZE: usize = 100;
const PREFIX_SIZE: usize = 155;

/// Type flag of a regular file.
pub const TYPE_REG: u8 = b'0';
/// Type flag of a directory.
pub const TYPE_DIR: u8 = b'5';
const TYPE_PAX: u8 = b'x';

/// Streams tar entries to `W`.
pub struct TarWriter<W: Write> {
    w: W,
    pad: usize,
}

fn is_ascii(s: &[u8]) -> bool {
    s.iter().all(|&c| c != 0 && c < 0x80)
}

fn to_ascii(s: &[u8]) -> Vec<u8> {
    s.iter().copied().filter(|&c| c != 0 && c < 0x80).collect()
}

fn fits_in_octal(n: usize, x: u64) -> bool {
    n >= 22 || x < 1u64 << ((n - 1) * 3)
}

/// Go's `formatString`: copy, NUL-terminate when there is room; when the value is
/// cut and the cut ends in `/`, the trailing slashes become a NUL.
fn format_string(field: &mut [u8], s: &[u8]) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s[..n]);
    if s.len() < field.len() {
        field[s.len()] = 0;
    }
    if s.len() > field.len() && field[field.len() - 1] == b'/' {
        let kept = &s[..field.len() - 1];
        let end = kept.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
        field[end] = 0;
    }
}

fn format_octal(field: &mut [u8], x: u64) {
    let x = if fits_in_octal(field.len(), x) { x } else { 0 };
    let digits = format!("{x:o}");
    let width = field.len() - 1;
    let s = if digits.len() < width {
        format!("{}{}", "0".repeat(width - digits.len()), digits)
    } else {
        digits
    };
    format_string(field, s.as_bytes());
}

/// Go's `splitUSTARPath`.
fn split_ustar_path(name: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = name.len();
    if len <= NAME_SIZE || !is_ascii(name) {
        return None;
    }
    let mut length = len;
    if length > PREFIX_SIZE + 1 {
        length = PREFIX_SIZE + 1;
    } else if name[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].iter().rposition(|&c| c == b'/')?;
    let nlen = len - i - 1;
    if i == 0 || nlen > NAME_SIZE || nlen == 0 || i > PREFIX_SIZE {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// Go's `formatPAXRecord`.
fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let body = key.len() + value.len() + 3;
    let mut size = body + body.to_string().len();
    if (size.to_string().len() + body) != size {
        size = size.to_string().len() + body;
    }
    let mut rec = format!("{size} {key}=").into_bytes();
    rec.extend_from_slice(value);
    rec.push(b'\n');
    rec
}

/// Go's `path.Join(dir, "PaxHeaders.0", file)` for a clean relative name.
fn pax_header_name(name: &[u8]) -> Vec<u8> {
    let (dir, file) = match name.iter().rposition(|&c| c == b'/') {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => (&name[..0], name),
    };
    let mut out = Vec::new();
    if !dir.is_empty() {
        out.extend_from_slice(dir);
        out.push(b'/');
    }
    out.extend_from_slice(b"PaxHeaders.0");
    if !file.is_empty() {
        out.push(b'/');
        out.extend_from_slice(file);
    }
    out
}

fn set_ustar_magic_and_checksum(blk: &mut [u8; BLOCK]) {
    blk[257..263].copy_from_slice(b"ustar\0");
    blk[263..265].copy_from_slice(b"00");
    let sum: u64 = blk
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if (148..156).contains(&i) {
                b' ' as u64
            } else {
                c as u64
            }
        })
        .sum();
    format_octal(&mut blk[148..155], sum);
    blk[155] = b' ';
}

impl<W: Write> TarWriter<W> {
    /// A writer over `w`.
    pub fn new(w: W) -> Self {
        TarWriter { w, pad: 0 }
    }

    fn flush_pad(&mut self) -> io::Result<()> {
        if self.pad > 0 {
            self.w.write_all(&[0u8; BLOCK][..self.pad])?;
            self.pad = 0;
        }
        Ok(())
    }

    /// Writes the header of one entry; for a regular file, the caller then writes
    /// exactly `size` bytes with [`TarWriter::write_data`].
    pub fn write_header(
        &mut self,
        name: &[u8],
        typeflag: u8,
        mode: u32,
        size: u64,
    ) -> io::Result<()> {
        self.flush_pad()?;
        let ustar_name_ok = name.len() <= NAME_SIZE && is_ascii(name);
        let split = if ustar_name_ok {
            None
        } else {
            split_ustar_path(name)
        };
        let size_fits = fits_in_octal(12, size);
        let mut blk = [0u8; BLOCK];
        if (ustar_name_ok || split.is_some()) && size_fits {
            let (prefix, short) = split.unwrap_or((&[][..], name));
            self.template(&mut blk, short, typeflag, mode, size);
            format_string(&mut blk[345..500], prefix);
        } else {
            let mut records = Vec::new();
            if !ustar_name_ok {
                records.extend(pax_record("path", name));
            }
            if !size_fits {
                records.extend(pax_record("size", size.to_string().as_bytes()));
            }
            // Records are sorted by key: "path" < "size".
            self.write_pax_header(&pax_header_name(name), &records)?;
            self.template(&mut blk, &to_ascii(name), typeflag, mode, size);
        }
        set_ustar_magic_and_checksum(&mut blk);
        self.flush_pad()?;
        self.w.write_all(&blk)?;
        self.pad = if typeflag == TYPE_REG {
            (BLOCK - (size % BLOCK as u64) as usize) % BLOCK
        } else {
            0
        };
        Ok(())
    }

    fn template(&self, blk: &mut [u8; BLOCK], name: &[u8], typeflag: u8, mode: u32, size: u64) {
        blk[156] = typeflag;
        format_string(&mut blk[0..100], name);
        format_string(&mut blk[157..257], b"");
        format_octal(&mut blk[100..108], mode as u64);
        format_octal(&mut blk[108..116], 0);
        format_octal(&mut blk[116..124], 0);
        format_octal(&mut blk[124..136], size);
        format_octal(&mut blk[136..148], 0);
        format_string(&mut blk[265..297], b"");
        format_string(&mut blk[297..329], b"");
        format_octal(&mut blk[329..337], 0);
        format_octal(&mut blk[337..345], 0);
    }

    fn write_pax_header(&mut self, name: &[u8], data: &[u8]) -> io::Result<()> {
        let mut name = to_ascii(name);
        name.truncate(NAME_SIZE);
        while name.last() == Some(&b'/') {
            name.pop();
        }
        let mut blk = [0u8; BLOCK];
        blk[156] = TYPE_PAX;
        format_string(&mut blk[0..100], &name);
        format_octal(&mut blk[100..108], 0);
        format_octal(&mut blk[108..116], 0);
        format_octal(&mut blk[116..124], 0);
        format_octal(&mut blk[124..136], data.len() as u64);
        format_octal(&mut blk[136..148], 0);
        set_ustar_magic_and_checksum(&mut blk);
        self.w.write_all(&blk)?;
        self.w.write_all(data)?;
        self.pad = (BLOCK - data.len() % BLOCK) % BLOCK;
        Ok(())
    }

    /// Writes file content (the caller keeps the total equal to the header's size).
    pub fn write_data(&mut self, data: &[u8]) -> io::Result<()> {
        self.w.write_all(data)
    }

    /// Writes the padding of the last entry and the two zero blocks; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_pad()?;
        self.w.write_all(&[0u8; BLOCK * 2])?;
        Ok(self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_record_lengths() {
        assert_eq!(pax_record("path", b"a"), b"9 path=a\n");
        // 3 + 4 + 91 = 98, plus "98" = 100, whose own length is 3 digits: 101.
        let v = vec![b'x'; 91];
        let r = pax_record("path", &v);
        assert_eq!(r.len(), 101);
        assert!(r.starts_with(b"101 path="));
    }

    #[test]
    fn ustar_split() {
        let name = format!("{}/{}", "d".repeat(60), "f".repeat(60));
        let (p, n) = split_ustar_path(name.as_bytes()).unwrap();
        assert_eq!((p.len(), n.len()), (60, 60));
        assert!(split_ustar_path(format!("short/{}", "l".repeat(101)).as_bytes()).is_none());
        assert!(split_ustar_path(b"abc").is_none());
    }

    #[test]
    fn header_fields() {
        let mut out = Vec::new();
        let mut tw = TarWriter::new(&mut out);
        tw.write_header(b"a", TYPE_REG, 0o600, 3).unwrap();
        tw.write_data(b"abc").unwrap();
        tw.finish().unwrap();
        assert_eq!(out.len(), 512 * 4);
        assert_eq!(&out[100..108], b"0000600\0");
        assert_eq!(&out[124..136], b"00000000003\0");
        assert_eq!(&out[257..265], b"ustar\x0000");
        assert_eq!(&out[329..345], b"0000000\x000000000\0");
        assert_eq!(out[155], b' ');
        assert_eq!(&out[512..515], b"abc");
        assert!(out[515..].iter().all(|&b| b == 0));
    }
}
