//! Hex text and the `wire` field: a hex string, or segments with repeats.

use serde_json::Value;

// One hex for the workspace: the test kit's (parsed and formatted there, tested there).
pub use testkit::hex::{format, parse};

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
