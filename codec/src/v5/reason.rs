//! Reason codes (MQTT 5.0 section 2.4): one byte, and the values each packet's table lists.

use core::fmt;

use crate::PacketType;

/// A reason code, valid for the packet it was read from or built for.
///
/// ```
/// use mqtt_wire::v5::ReasonCode;
/// use mqtt_wire::PacketType;
///
/// let code = ReasonCode::new(PacketType::Puback, 0x10).unwrap();
/// assert_eq!((code.value(), code.name(PacketType::Puback)), (0x10, "no-matching-subscribers"));
/// assert_eq!(ReasonCode::new(PacketType::Puback, 0x04), None); // not in PUBACK's table
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReasonCode(u8);

impl ReasonCode {
    /// 0x00: Success (Normal disconnection in DISCONNECT, Granted QoS 0 in SUBACK).
    pub const SUCCESS: ReasonCode = ReasonCode(0);

    /// The code `value` for a packet of type `packet`; `None` when its table does not list
    /// it (and for packets without reason codes).
    pub const fn new(packet: PacketType, value: u8) -> Option<ReasonCode> {
        if allowed(packet, value) {
            Some(ReasonCode(value))
        } else {
            None
        }
    }

    /// A code read from bytes already checked against its packet's table.
    pub(crate) const fn raw(value: u8) -> ReasonCode {
        ReasonCode(value)
    }

    /// The byte.
    pub const fn value(self) -> u8 {
        self.0
    }

    /// Whether the code reports a failure (0x80 and up).
    pub const fn is_error(self) -> bool {
        self.0 >= 0x80
    }

    /// The code's name in `packet` (kebab case, as in the vectors); "reserved" for a value
    /// the packet does not list.
    pub const fn name(self, packet: PacketType) -> &'static str {
        match (packet, self.0) {
            (PacketType::Disconnect, 0x00) => "normal-disconnection",
            (PacketType::Suback, 0x00) => "granted-qos-0",
            (PacketType::Suback, 0x01) => "granted-qos-1",
            (PacketType::Suback, 0x02) => "granted-qos-2",
            (_, 0x00) if allowed(packet, 0) => "success",
            (_, value) if allowed(packet, value) => name(value),
            _ => "reserved",
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#04x}", self.0)
    }
}

/// Whether `packet`'s table lists `value` (sections 3.2.2.2, 3.4.2.1, 3.5.2.1, 3.6.2.1,
/// 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1).
pub(crate) const fn allowed(packet: PacketType, value: u8) -> bool {
    use PacketType as P;
    match packet {
        P::Connack => matches!(
            value,
            0x00 | 0x80..=0x8A | 0x8C | 0x90 | 0x95 | 0x97 | 0x99..=0x9D | 0x9F
        ),
        P::Puback | P::Pubrec => {
            matches!(
                value,
                0x00 | 0x10 | 0x80 | 0x83 | 0x87 | 0x90 | 0x91 | 0x97 | 0x99
            )
        }
        P::Pubrel | P::Pubcomp => matches!(value, 0x00 | 0x92),
        P::Suback => matches!(
            value,
            0x00..=0x02 | 0x80 | 0x83 | 0x87 | 0x8F | 0x91 | 0x97 | 0x9E | 0xA1 | 0xA2
        ),
        P::Unsuback => matches!(value, 0x00 | 0x11 | 0x80 | 0x83 | 0x87 | 0x8F | 0x91),
        P::Disconnect => matches!(
            value,
            0x00 | 0x04 | 0x80..=0x83 | 0x87 | 0x89 | 0x8B | 0x8D..=0x90 | 0x93..=0xA2
        ),
        P::Auth => matches!(value, 0x00 | 0x18 | 0x19),
        _ => false,
    }
}

/// The name of a code whose meaning is the same in every packet that lists it.
const fn name(value: u8) -> &'static str {
    match value {
        0x04 => "disconnect-with-will-message",
        0x10 => "no-matching-subscribers",
        0x11 => "no-subscription-existed",
        0x18 => "continue-authentication",
        0x19 => "re-authenticate",
        0x80 => "unspecified-error",
        0x81 => "malformed-packet",
        0x82 => "protocol-error",
        0x83 => "implementation-specific-error",
        0x84 => "unsupported-protocol-version",
        0x85 => "client-identifier-not-valid",
        0x86 => "bad-user-name-or-password",
        0x87 => "not-authorized",
        0x88 => "server-unavailable",
        0x89 => "server-busy",
        0x8A => "banned",
        0x8B => "server-shutting-down",
        0x8C => "bad-authentication-method",
        0x8D => "keep-alive-timeout",
        0x8E => "session-taken-over",
        0x8F => "topic-filter-invalid",
        0x90 => "topic-name-invalid",
        0x91 => "packet-identifier-in-use",
        0x92 => "packet-identifier-not-found",
        0x93 => "receive-maximum-exceeded",
        0x94 => "topic-alias-invalid",
        0x95 => "packet-too-large",
        0x96 => "message-rate-too-high",
        0x97 => "quota-exceeded",
        0x98 => "administrative-action",
        0x99 => "payload-format-invalid",
        0x9A => "retain-not-supported",
        0x9B => "qos-not-supported",
        0x9C => "use-another-server",
        0x9D => "server-moved",
        0x9E => "shared-subscriptions-not-supported",
        0x9F => "connection-rate-exceeded",
        0xA0 => "maximum-connect-time",
        0xA1 => "subscription-identifiers-not-supported",
        0xA2 => "wildcard-subscriptions-not-supported",
        _ => "reserved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count of each packet's table, from the standard's tables (sections named above).
    #[test]
    fn each_table_has_the_standards_count() {
        let count = |p: PacketType| (0..=255u8).filter(|&v| allowed(p, v)).count();
        assert_eq!(count(PacketType::Connack), 22);
        assert_eq!(count(PacketType::Puback), 9);
        assert_eq!(count(PacketType::Pubrec), 9);
        assert_eq!(count(PacketType::Pubrel), 2);
        assert_eq!(count(PacketType::Pubcomp), 2);
        assert_eq!(count(PacketType::Suback), 12);
        assert_eq!(count(PacketType::Unsuback), 7);
        assert_eq!(count(PacketType::Disconnect), 29);
        assert_eq!(count(PacketType::Auth), 3);
        assert_eq!(count(PacketType::Publish), 0);
    }

    #[test]
    fn names_depend_on_the_packet_for_the_low_codes() {
        let zero = ReasonCode::SUCCESS;
        assert_eq!(zero.name(PacketType::Puback), "success");
        assert_eq!(zero.name(PacketType::Disconnect), "normal-disconnection");
        assert_eq!(zero.name(PacketType::Suback), "granted-qos-0");
        assert_eq!(
            ReasonCode(0x8F).name(PacketType::Suback),
            "topic-filter-invalid"
        );
        assert_eq!(ReasonCode(0x04).name(PacketType::Puback), "reserved");
    }
}
