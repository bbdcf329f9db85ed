//! Hex text: how the golden vectors and the tests write bytes.

/// Parses hex, ignoring spaces between bytes (not inside one: `3 0` is refused).
pub fn parse(text: &str) -> Result<Vec<u8>, String> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high = None;
    for c in text.bytes() {
        if c == b' ' && high.is_none() {
            continue;
        }
        let d = digit(c).ok_or_else(|| format!("not hex: {:?}", char::from(c)))?;
        match high.take() {
            Some(h) => out.push((h << 4) | d),
            None => high = Some(d),
        }
    }
    if high.is_some() {
        return Err(format!(
            "odd number of hex digits in {:?}",
            text.get(..64).unwrap_or(text)
        ));
    }
    Ok(out)
}

/// The bytes of hex written in a test, which is the test's own text: panics on bad hex.
pub fn bytes(text: &str) -> Vec<u8> {
    parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Lower-case hex of `bytes`.
pub fn format(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0F)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spaced_hex_of_either_case() {
        assert_eq!(parse("30 02 00 01").unwrap(), [0x30, 0x02, 0x00, 0x01]);
        assert_eq!(parse("aBcD").unwrap(), [0xAB, 0xCD]);
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(bytes("10 0C"), [0x10, 0x0C]);
    }

    #[test]
    fn refuses_what_is_not_hex() {
        assert!(parse("3").unwrap_err().starts_with("odd number"));
        assert!(parse("3 0").is_err(), "a space inside a byte");
        assert!(parse("zz").is_err());
        assert!(parse("0g").is_err());
    }

    #[test]
    #[should_panic(expected = "odd number")]
    fn bytes_panics_on_a_typo() {
        bytes("10 0");
    }

    #[test]
    fn formats_lower_case() {
        assert_eq!(format(&[0x0a, 0xff, 0x00]), "0aff00");
        assert_eq!(format(&[]), "");
    }
}
