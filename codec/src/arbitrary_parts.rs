//! The pieces both versions' `Arbitrary` implementations draw packets from (feature
//! `arbitrary`): QoS levels, packet identifiers, topic names and filters shaped to be valid
//! most of the time, so that the fuzzer spends its inputs on packets rather than refusals.

use alloc::string::String;
use alloc::vec::Vec;
use core::num::NonZeroU16;

use arbitrary::{Arbitrary, Error, Result, Unstructured};

use crate::{Delivery, EncodeError, QoS};

/// What a constructor refuses is not a packet: the input is rejected.
pub(crate) fn refused(_: EncodeError) -> Error {
    Error::IncorrectFormat
}

pub(crate) fn qos(u: &mut Unstructured<'_>) -> Result<QoS> {
    Ok(*u.choose(&[QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce])?)
}

pub(crate) fn packet_id(u: &mut Unstructured<'_>) -> Result<NonZeroU16> {
    NonZeroU16::new(u16::arbitrary(u)?).ok_or(Error::IncorrectFormat)
}

/// A QoS and, above 0, a packet identifier.
pub(crate) fn delivery(u: &mut Unstructured<'_>) -> Result<Delivery> {
    Ok(match qos(u)? {
        QoS::AtMostOnce => Delivery::AtMostOnce,
        QoS::AtLeastOnce => Delivery::AtLeastOnce(packet_id(u)?),
        QoS::ExactlyOnce => Delivery::ExactlyOnce(packet_id(u)?),
    })
}

/// Text without the characters a topic name may not hold (and sometimes none at all).
pub(crate) fn name_text(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(String::arbitrary(u)?
        .chars()
        .filter(|c| !matches!(c, '+' | '#' | '\0'))
        .collect())
}

/// A topic filter made of levels: text, `+`, or a last `#`.
pub(crate) fn filter_text(u: &mut Unstructured<'_>) -> Result<String> {
    let levels = u.int_in_range(1..=4)?;
    let mut parts = Vec::new();
    for _ in 0..levels {
        parts.push(match u.int_in_range(0..=3)? {
            0 => String::from("+"),
            _ => name_text(u)?.replace('/', ""),
        });
    }
    if bool::arbitrary(u)? {
        parts.push(String::from("#"));
    }
    Ok(parts.join("/"))
}
