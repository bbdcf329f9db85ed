//! Quality of Service levels (section 4.3).

use core::fmt;

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
