//! Hex text and the `wire` field: a hex string, or segments with repeats.

use serde_json::Value;

/// Parses hex, ignoring spaces between bytes.
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

/// Lower-case hex of `bytes`.
pub fn format(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0F)]);
    }
    // Only ASCII digits were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Bytes from a `wire` (or large `payload`) value: a hex string, or an array of hex strings
/// and `{"repeat": hex, "count": n}` segments.
pub fn parse_segments(value: &Value) -> Result<Vec<u8>, String> {
    match value {
        Value::String(text) => parse(text),
        Value::Array(segments) => {
            let mut out = Vec::new();
            for segment in segments {
                match segment {
                    Value::String(text) => out.extend(parse(text)?),
                    Value::Object(o) => {
                        let repeat = o
                            .get("repeat")
                            .and_then(Value::as_str)
                            .ok_or("segment without repeat")?;
                        let count = o
                            .get("count")
                            .and_then(Value::as_u64)
                            .ok_or("segment without count")?;
                        let unit = parse(repeat)?;
                        let count = usize::try_from(count).map_err(|e| e.to_string())?;
                        // `repeat` doubles as it copies: fast even for 256 MiB.
                        out.extend_from_slice(&unit.repeat(count));
                    }
                    other => return Err(format!("bad segment {other}")),
                }
            }
            Ok(out)
        }
        other => Err(format!("bad wire value {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spaced_hex_and_segments() {
        assert_eq!(parse("30 02 00 01").unwrap(), [0x30, 0x02, 0x00, 0x01]);
        assert!(parse("3").is_err());
        assert!(parse("zz").is_err());
        let v: Value = serde_json::json!(["30 05", {"repeat": "61", "count": 3}, "ff"]);
        assert_eq!(
            parse_segments(&v).unwrap(),
            [0x30, 0x05, 0x61, 0x61, 0x61, 0xff]
        );
        assert_eq!(format(&[0x0a, 0xff]), "0aff");
    }
}
