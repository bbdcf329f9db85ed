//! Quality of Service levels (section 4.3).

use core::fmt;
use core::num::NonZeroU16;

/// A Quality of Service level.
///
/// ```
/// use mqtt_wire::QoS;
///
/// assert_eq!(QoS::from_u8(2), Some(QoS::ExactlyOnce));
/// assert_eq!(QoS::from_u8(3), None); // reserved
/// assert_eq!(QoS::AtLeastOnce.as_u8(), 1);
/// assert_eq!(QoS::AtLeastOnce.to_string(), "1");
/// assert!(QoS::AtMostOnce < QoS::ExactlyOnce);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum QoS {
    /// QoS 0: at most once.
    AtMostOnce = 0,
    /// QoS 1: at least once.
    AtLeastOnce = 1,
    /// QoS 2: exactly once.
    ExactlyOnce = 2,
}

impl QoS {
    /// The QoS for the two-bit value 0, 1 or 2; `None` for anything else (3 is reserved).
    pub const fn from_u8(value: u8) -> Option<QoS> {
        match value {
            0 => Some(QoS::AtMostOnce),
            1 => Some(QoS::AtLeastOnce),
            2 => Some(QoS::ExactlyOnce),
            _ => None,
        }
    }

    /// The numeric level: 0, 1 or 2.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for QoS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_u8())
    }
}

/// How a PUBLISH is delivered: its QoS and, above QoS 0, its Packet Identifier.
///
/// A Packet Identifier is present exactly when QoS is above 0 (3.1.1 `MQTT-2.3.1-1`,
/// `MQTT-2.3.1-5`; 5.0 `MQTT-2.2.1-2`), and never 0: this type cannot say otherwise.
///
/// ```
/// use mqtt_wire::{Delivery, QoS};
/// use std::num::NonZeroU16;
///
/// let id = NonZeroU16::new(9).unwrap();
/// assert_eq!(Delivery::AtLeastOnce(id).qos(), QoS::AtLeastOnce);
/// assert_eq!(Delivery::AtLeastOnce(id).packet_id(), Some(id));
/// assert_eq!(Delivery::AtMostOnce.packet_id(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// QoS 0, no Packet Identifier.
    AtMostOnce,
    /// QoS 1 with its Packet Identifier.
    AtLeastOnce(NonZeroU16),
    /// QoS 2 with its Packet Identifier.
    ExactlyOnce(NonZeroU16),
}

impl Delivery {
    /// The QoS level.
    pub const fn qos(&self) -> QoS {
        match self {
            Delivery::AtMostOnce => QoS::AtMostOnce,
            Delivery::AtLeastOnce(_) => QoS::AtLeastOnce,
            Delivery::ExactlyOnce(_) => QoS::ExactlyOnce,
        }
    }

    /// The Packet Identifier, above QoS 0.
    pub const fn packet_id(&self) -> Option<NonZeroU16> {
        match self {
            Delivery::AtMostOnce => None,
            Delivery::AtLeastOnce(id) | Delivery::ExactlyOnce(id) => Some(*id),
        }
    }
}
