//! Go's `encoding/base64` StdEncoding `Decode` (non-strict): `\r` and `\n`
//! are skipped, padding is required, and errors are Go's
//! `illegal base64 data at input byte N`, so the key-parsing errors Flux prints
//! are reproduced byte for byte.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn value(b: u8) -> Option<u8> {
    ALPHABET.iter().position(|c| *c == b).map(|p| p as u8)
}

fn is_nl(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Go's `CorruptInputError` text.
pub(crate) fn corrupt(offset: usize) -> String {
    format!("illegal base64 data at input byte {offset}")
}

/// Decode `src` as Go's `base64.StdEncoding.Decode` does; the error is the
/// offset Go reports.
pub(crate) fn decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut done = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is required: a partial quantum is corrupt.
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && is_nl(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && is_nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            dlen = j;
            done = true;
            break;
        }
        let val = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        match dlen {
            4 => out.extend_from_slice(&bytes),
            3 => out.extend_from_slice(&bytes[..2]),
            2 => out.push(bytes[0]),
            _ => {}
        }
        if done {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_go() {
        assert_eq!(decode(b"").unwrap(), b"");
        assert_eq!(decode(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode(b"aGVs\nbG8h").unwrap(), b"hello!");
        assert_eq!(decode(b"aGk=").unwrap(), b"hi");
        assert_eq!(decode(b"aA==").unwrap(), b"h");
        // Offsets as Go reports them.
        assert_eq!(decode(b"AAAA-not-a-key"), Err(4));
        assert_eq!(decode(b"%%%%"), Err(0));
        assert_eq!(decode(b"aGVsbG8"), Err(4)); // missing padding: start of the quantum
        assert_eq!(decode(b"a==="), Err(1));
        assert_eq!(decode(b"aA="), Err(3));
        assert_eq!(decode(b"aA=x"), Err(2));
        assert_eq!(decode(b"aA==aA=="), Err(4));
        assert_eq!(corrupt(4), "illegal base64 data at input byte 4");
    }
}
