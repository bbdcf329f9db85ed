//! Hex text: the test kit's parser and formatter, used for payloads, passwords and `hex` sends.

pub use testkit::hex::{format, parse};

/// Bytes from a `payload` value. Scenario payloads are one hex string; the segmented form of
/// the golden vectors is not needed here.
pub fn parse_segments(value: &serde_json::Value) -> Result<Vec<u8>, String> {
    value
        .as_str()
        .ok_or_else(|| format!("payload {value} is not a hex string"))
        .and_then(parse)
}
