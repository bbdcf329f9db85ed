//! A crate that uses `mqtt-wire` as a new user would, built by `cargo xtask msrv` with the
//! Rust version the codec declares (`rust-version` in the workspace's `Cargo.toml`): once
//! with the codec's default features, once without them (`no_std`, this crate `no_std` too)
//! and once each with `bytes` and `serde`. Every item touches what its feature adds, so a
//! codec change that needs a newer compiler in any of them fails there.

#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "std")]
extern crate std;

use mqtt_wire::v311::{self, Delivery, Packet, Publish};
use mqtt_wire::{DecodeError, EncodeError, Status, TopicName};

/// The bytes the first packet of `input` takes, or `None` while more bytes are needed.
pub fn first_packet_len(input: &[u8]) -> Result<Option<usize>, DecodeError> {
    match v311::decode(input)? {
        Status::Complete((_, used)) => Ok(Some(used)),
        Status::Partial(_) => Ok(None),
    }
}

/// A QoS 0 PUBLISH of `payload` to `topic`, written into `out`; the bytes written.
pub fn publish(topic: &str, payload: &[u8], out: &mut [u8]) -> Result<usize, EncodeError> {
    let packet = Packet::Publish(Publish::new(
        TopicName::new(topic)?,
        Delivery::AtMostOnce,
        payload,
    )?);
    packet.encode(out)
}

/// A decode error as the standard library's error trait object (feature `std`).
#[cfg(feature = "std")]
pub fn boxed(error: DecodeError) -> std::boxed::Box<dyn std::error::Error + Send + Sync> {
    std::boxed::Box::new(error)
}

/// The payload of the PUBLISH at the start of `input`, sharing its allocation (feature
/// `bytes`); `None` for another packet or while more bytes are needed.
#[cfg(feature = "bytes")]
pub fn payload(input: &mut bytes::Bytes) -> Result<Option<bytes::Bytes>, DecodeError> {
    Ok(match v311::Decoder::new().decode_bytes(input)? {
        Status::Complete(packet) => packet.payload(),
        Status::Partial(_) => None,
    })
}

/// Serializes the first packet of `input` with any serde serializer (feature `serde`).
#[cfg(feature = "serde")]
pub fn serialize<S: serde::Serializer>(input: &[u8], serializer: S) -> Option<S::Ok> {
    match v311::decode(input) {
        Ok(Status::Complete((packet, _))) => serde::Serialize::serialize(&packet, serializer).ok(),
        _ => None,
    }
}
