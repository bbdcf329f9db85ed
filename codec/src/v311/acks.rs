//! The packets that carry only a Packet Identifier: PUBACK (3.4), PUBREC (3.5), PUBREL (3.6),
//! PUBCOMP (3.7) and UNSUBACK (3.11).

use core::fmt;
use core::num::NonZeroU16;

use crate::error::DecodeError;
use crate::reader::Reader;
use crate::writer::Sink;

macro_rules! id_only_packet {
    ($(#[$doc:meta])* $name:ident, $display:literal) => {
        $(#[$doc])*
        ///
        /// It repeats the Packet Identifier of the packet it answers, which is never 0.
        ///
        /// ```
        #[doc = concat!("use mqtt_wire::v311::", stringify!($name), ";")]
        /// use std::num::NonZeroU16;
        ///
        /// let id = NonZeroU16::new(0x0102).unwrap();
        #[doc = concat!("let packet = ", stringify!($name), "::new(id);")]
        /// assert_eq!(packet.packet_id(), id);
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name {
            packet_id: NonZeroU16,
        }

        impl $name {
            /// The packet answering the packet with this identifier.
            pub const fn new(packet_id: NonZeroU16) -> Self {
                $name { packet_id }
            }

            /// The Packet Identifier.
            pub const fn packet_id(&self) -> NonZeroU16 {
                self.packet_id
            }

            #[inline]
            pub(crate) const fn remaining_length(&self) -> usize {
                2
            }

            #[inline]
            pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
                sink.put_u16(self.packet_id.get());
            }

            pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                let packet_id = r.packet_id()?;
                r.finish()?;
                Ok($name { packet_id })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($display, " packet_id={}"), self.packet_id)
            }
        }
    };
}

id_only_packet!(
    /// A PUBACK packet: the answer to a QoS 1 PUBLISH.
    Puback,
    "PUBACK"
);
id_only_packet!(
    /// A PUBREC packet: the first answer to a QoS 2 PUBLISH.
    Pubrec,
    "PUBREC"
);
id_only_packet!(
    /// A PUBREL packet: the answer to a PUBREC. Its fixed header flags are `0010`
    /// (`MQTT-3.6.1-1`).
    Pubrel,
    "PUBREL"
);
id_only_packet!(
    /// A PUBCOMP packet: the answer to a PUBREL.
    Pubcomp,
    "PUBCOMP"
);
id_only_packet!(
    /// An UNSUBACK packet: the answer to an UNSUBSCRIBE.
    Unsuback,
    "UNSUBACK"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::decode;
    use crate::v311::testing::{decode_err, decode_ok, encode};
    use crate::v311::Packet;
    use crate::{Clause, DecodeErrorKind as K};

    fn id(n: u16) -> NonZeroU16 {
        NonZeroU16::new(n).unwrap()
    }

    #[test]
    fn round_trips_each_acknowledgement() {
        let cases = [
            (
                [0x40, 0x02, 0x12, 0x34],
                Packet::Puback(Puback::new(id(0x1234))),
            ), // PUBACK, flags 0000
            ([0x50, 0x02, 0x00, 0x01], Packet::Pubrec(Pubrec::new(id(1)))), // PUBREC, flags 0000
            (
                [0x62, 0x02, 0xFF, 0xFF],
                Packet::Pubrel(Pubrel::new(id(0xFFFF))),
            ), // PUBREL, flags 0010
            (
                [0x70, 0x02, 0x00, 0x02],
                Packet::Pubcomp(Pubcomp::new(id(2))),
            ), // PUBCOMP, flags 0000
            (
                [0xB0, 0x02, 0x00, 0x03],
                Packet::Unsuback(Unsuback::new(id(3))),
            ), // UNSUBACK, flags 0000
        ];
        for (bytes, packet) in cases {
            assert_eq!(decode_ok(&bytes), packet);
            assert_eq!(encode(&packet), bytes);
        }
    }

    #[test]
    fn rejects_pubrel_without_its_flags() {
        for first in [0x60, 0x61, 0x63, 0x66, 0x6A] {
            let e = decode_err(&[first, 0x02, 0x00, 0x01]);
            assert_eq!((e.kind(), e.offset()), (K::InvalidFlags, 0));
            assert_eq!(e.clause(), Clause::Id("MQTT-3.6.1-1"));
        }
    }

    #[test]
    fn rejects_flags_on_the_others() {
        for first in [0x41, 0x52, 0x74, 0xB8] {
            let e = decode_err(&[first, 0x02, 0x00, 0x01]);
            assert_eq!(e.kind(), K::InvalidFlags);
            assert_eq!(e.clause(), Clause::Id("MQTT-2.2.2-1"));
        }
    }

    #[test]
    fn rejects_packet_id_0() {
        let e = decode_err(&[0x40, 0x02, 0x00, 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::ZeroPacketId, 2));
        assert_eq!(e.clause(), Clause::Section("2.3.1"));
    }

    #[test]
    fn rejects_any_remaining_length_but_2_from_the_header() {
        // Remaining length 1, 0 and 3, with and without the body: the header decides.
        for bytes in [
            &[0x40, 0x01, 0x00][..],
            &[0x40, 0x01],
            &[0x40, 0x00],
            &[0x40, 0x03, 0x00, 0x01, 0x00],
            &[0x40, 0x03],
        ] {
            let e = decode(bytes).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (K::InvalidRemainingLength, 1),
                "{bytes:02x?}"
            );
            assert_eq!(e.clause(), Clause::Section("2.2.3"));
        }
        // The largest Remaining Length, declared by a PUBREC: refused without a body byte.
        assert_eq!(
            decode(&[0x50, 0xFF, 0xFF, 0xFF, 0x7F]).unwrap_err().kind(),
            K::InvalidRemainingLength
        );
    }
}
