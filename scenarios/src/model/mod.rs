//! The packet model of the golden vectors (`vectors/README.md` for 3.1.1,
//! `vectors/v5/DECISIONS.md` section 2 for 5.0) and this codec's packets: a model encoded
//! for sending, a received packet decoded into its model for matching.
//!
//! This is a copy, trimmed, of `conformance/src/model`, so that this crate does not depend on
//! the conformance runner. Once the codec's `serde` feature carries the model, both should use
//! it instead.

pub mod v311;
pub mod v5;

use std::num::NonZeroU16;

use mqtt_wire::QoS;
use serde_json::Value;

/// A protocol version of the scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// MQTT 3.1.1 (protocol level 4).
    V311,
    /// MQTT 5.0 (protocol level 5).
    V5,
}

impl Version {
    /// From a scenario file's `protocol` field.
    pub fn parse(text: &str) -> Option<Version> {
        match text {
            "3.1.1" => Some(Version::V311),
            "5.0" => Some(Version::V5),
            _ => None,
        }
    }

    /// As a scenario file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Version::V311 => "3.1.1",
            Version::V5 => "5.0",
        }
    }
}

/// Encodes a packet model with this codec (which refuses a model it cannot build).
pub fn encode(version: Version, model: &Value) -> Result<Vec<u8>, String> {
    match version {
        Version::V311 => v311::encode_json(model),
        Version::V5 => v5::encode_json(model),
    }
}

/// Decodes the packet at the start of `input`: its model and the bytes it used, `None` while
/// more bytes are needed, or the decode error as text.
pub fn decode(version: Version, input: &[u8]) -> Result<Option<(Value, usize)>, String> {
    match version {
        Version::V311 => match mqtt_wire::v311::decode(input) {
            Ok(status) => Ok(status
                .complete()
                .map(|(p, used)| (v311::packet_to_json(&p), used))),
            Err(e) => Err(e.to_string()),
        },
        Version::V5 => match mqtt_wire::v5::decode(input) {
            Ok(status) => Ok(status
                .complete()
                .map(|(p, used)| (v5::packet_to_json(&p), used))),
            Err(e) => Err(e.to_string()),
        },
    }
}

// Reading a model: each fails with a message naming the field that is missing or wrong.

pub(crate) fn field<'v>(model: &'v Value, name: &str) -> Result<&'v Value, String> {
    model
        .get(name)
        .ok_or_else(|| format!("missing field {name:?}"))
}

pub(crate) fn string(model: &Value, name: &str) -> Result<String, String> {
    field(model, name)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{name:?} is not a string"))
}

pub(crate) fn number(model: &Value, name: &str) -> Result<u64, String> {
    field(model, name)?
        .as_u64()
        .ok_or_else(|| format!("{name:?} is not a number"))
}

pub(crate) fn boolean(model: &Value, name: &str) -> Result<bool, String> {
    field(model, name)?
        .as_bool()
        .ok_or_else(|| format!("{name:?} is not a boolean"))
}

/// A field that is `null` or read with `read`.
pub(crate) fn nullable<T>(
    model: &Value,
    name: &str,
    read: impl FnOnce(&Value) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match field(model, name)? {
        Value::Null => Ok(None),
        value => read(value).map(Some),
    }
}

pub(crate) fn array<'v>(model: &'v Value, name: &str) -> Result<&'v Vec<Value>, String> {
    field(model, name)?
        .as_array()
        .ok_or_else(|| format!("{name:?} is not an array"))
}

pub(crate) fn qos(n: u64) -> Result<QoS, String> {
    u8::try_from(n)
        .ok()
        .and_then(QoS::from_u8)
        .ok_or_else(|| format!("QoS {n} is not 0, 1 or 2"))
}

pub(crate) fn packet_id(model: &Value) -> Result<NonZeroU16, String> {
    let n = number(model, "packet_id")?;
    u16::try_from(n)
        .ok()
        .and_then(NonZeroU16::new)
        .ok_or_else(|| format!("packet id {n} is not 1-65535"))
}

pub(crate) fn err(e: mqtt_wire::EncodeError) -> String {
    format!("the codec refuses this packet: {e}")
}
