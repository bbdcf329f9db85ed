//! The round-trip harness of the codec's property tests (`codec/tests/roundtrip.rs` for 3.1.1,
//! `codec/tests/v5_roundtrip.rs` for 5.0), written once: the generators both versions draw
//! strings, topics, filters, QoS and packet identifiers from, and the checks each packet and
//! each stream of packets is held to:
//!
//! - `check`: a packet the constructors accepted encodes to `encoded_len()` bytes, through
//!   `encode` into a slice and through `encode_to_vec` appended to a `Vec` that already holds a
//!   byte, the same bytes both ways; decoding them uses every byte and gives back an equal
//!   packet, whose owned copy is equal too;
//! - `strict_prefixes_need_more_bytes`: every strict prefix of an encoding is "need more
//!   bytes", the count unknown while the fixed header is incomplete and exact once it is whole
//!   (the Remaining Length read by [`wire`](crate::wire), not by the codec);
//! - `decodes_one_by_one`: packets back to back in one buffer come out one by one, each taking
//!   exactly its own bytes, and nothing is left;
//! - `decodes_in_chunks`: the same stream fed to a `StreamDecoder` in chunks of the given sizes
//!   (cycled) gives back the same packets, and nothing stays buffered.
//!
//! [`round_trip_harness!`](crate::round_trip_harness) writes these into the test file as a
//! module `round_trip`, for the version module it names (`v311` or `v5`);
//! [`round_trip_properties!`](crate::round_trip_properties) writes the four property tests
//! that use them, on the test's own packet generator.
//!
//! A macro, not functions, for three reasons. This crate depends on nothing (the conformance
//! tool depends on it, and must not build proptest or a second codec); the macro's paths
//! (`mqtt_wire`, `proptest`) are resolved in the codec's tests, which have both. The checks
//! call each version's own API (`Packet::encode`, `Packet::encode_to_vec`,
//! `Packet::to_owned_packet`, the module's `decode`), as the tests did before they were
//! shared, not the `Encode` trait's methods, so that a fault in either is caught. And with the
//! codec's generic `PacketDecoder::Packet<'a>`, a packet borrowed from the test's data and one
//! decoded from its encoding have two lifetimes, so two types that cannot be compared; the
//! version's concrete `Packet<'a>` is covariant in `'a`, and the two compare.

/// Writes the shared round-trip harness for `mqtt_wire::$version` (`v311` or `v5`) into the
/// calling test file, as a module `round_trip` (see [`round_trip`](crate::round_trip) for what
/// each function checks), with the sizes of its generated strings: at most `text` scalars of
/// text, `topic_name` of a topic name, and `levels` levels of `level_len` in a filter. The
/// caller needs `mqtt_wire`, `proptest` and this crate.
///
/// ```text
/// testkit::round_trip_harness!(v311, text: 24, topic_name: 32, topic_filter: (4 levels of 8));
/// ```
#[macro_export]
macro_rules! round_trip_harness {
    (
        $version:ident,
        text: $text:literal,
        topic_name: $topic_name:literal,
        topic_filter: ($levels:literal levels of $level_len:literal) $(,)?
    ) => {
        /// The round-trip harness shared by both versions' property tests, written by
        /// `testkit::round_trip_harness!` (in `testkit/src/round_trip.rs`).
        mod round_trip {
            use std::num::NonZeroU16;

            use mqtt_wire::$version::{decode, Decoder, Packet};
            use mqtt_wire::{Needed, QoS, Status, StreamDecoder};
            use proptest::prelude::*;

            /// Strings matching `regex`.
            fn matching(regex: &str) -> impl Strategy<Value = String> {
                proptest::string::string_regex(regex).expect("a valid regex")
            }

            /// Text MQTT allows: any Unicode scalar but U+0000, up to `text` of them (the
            /// macro's argument). Empty allowed.
            pub fn text() -> impl Strategy<Value = String> {
                matching(&format!("[^\u{0}]{{0,{}}}", $text))
            }

            /// A topic name: 1 to `topic_name` scalars, no U+0000 and no wildcard.
            pub fn topic_name() -> impl Strategy<Value = String> {
                matching(&format!("[^\u{0}+#]{{1,{}}}", $topic_name))
            }

            /// A filter made of 1 to `levels` levels (text of up to `level_len` scalars
            /// without wildcards, or `+`), with or without a final `#`.
            pub fn topic_filter() -> impl Strategy<Value = String> {
                let level = prop_oneof![
                    3 => matching(&format!("[^\u{0}+#/]{{0,{}}}", $level_len)),
                    1 => Just("+".to_string())
                ];
                (prop::collection::vec(level, 1..=$levels), any::<bool>()).prop_map(
                    |(levels, hash)| {
                        let mut filter = levels.join("/");
                        if hash {
                            filter = if filter.is_empty() {
                                "#".into()
                            } else {
                                format!("{filter}/#")
                            };
                        }
                        if filter.is_empty() {
                            filter.push('a');
                        }
                        filter
                    },
                )
            }

            /// Each QoS, equally often.
            pub fn qos() -> impl Strategy<Value = QoS> {
                prop_oneof![
                    Just(QoS::AtMostOnce),
                    Just(QoS::AtLeastOnce),
                    Just(QoS::ExactlyOnce)
                ]
            }

            /// Any packet identifier (never 0).
            pub fn packet_id() -> impl Strategy<Value = NonZeroU16> {
                (1..=u16::MAX).prop_map(|n| NonZeroU16::new(n).unwrap())
            }

            /// Checks the encoders, `encoded_len`, and that decoding gives `packet` back
            /// from all the bytes; returns the encoding.
            pub fn check(packet: Packet<'_>) -> Vec<u8> {
                // A panic in a macro's expansion points at the macro's call, so each
                // assertion says which check it is.
                let len = packet.encoded_len();
                let mut buf = vec![0u8; len];
                assert_eq!(packet.encode(&mut buf), Ok(len), "encode of {packet}");
                let mut appended = vec![0xEE];
                let appended_len = packet.encode_to_vec(&mut appended);
                assert_eq!(appended_len, len, "encode_to_vec of {packet}");
                assert_eq!(&appended[1..], &buf[..], "encode_to_vec and encode of {packet}");

                match decode(&buf) {
                    Ok(Status::Complete((decoded, used))) => {
                        assert_eq!(used, len, "decode must use every byte");
                        assert_eq!(decoded, packet, "decode must give back the packet");
                        assert_eq!(
                            decoded.to_owned_packet().packet(),
                            packet,
                            "the owned copy must give back the packet"
                        );
                    }
                    other => panic!("{packet} encoded to {buf:02x?}, which decodes to {other:?}"),
                }
                buf
            }

            /// Every strict prefix of `bytes`, one whole encoded packet, needs more bytes:
            /// how many is unknown while the fixed header is incomplete, exact after.
            pub fn strict_prefixes_need_more_bytes(bytes: &[u8]) -> Result<(), TestCaseError> {
                let remaining = $crate::wire::declared_remaining_length(bytes)
                    .expect("a whole fixed header");
                let header_len = bytes.len() - remaining;
                for cut in 0..bytes.len() {
                    let status = decode(&bytes[..cut])
                        .unwrap_or_else(|e| panic!("prefix {cut} of {bytes:02x?}: {e}"));
                    let expected = if cut < header_len {
                        Needed::Unknown
                    } else {
                        Needed::Exactly((bytes.len() - cut).try_into().unwrap())
                    };
                    prop_assert_eq!(
                        status,
                        Status::Partial(expected),
                        "prefix {} of {:02x?}",
                        cut,
                        bytes
                    );
                }
                Ok(())
            }

            /// The packets `encoded`, back to back in one buffer, decode one by one, each
            /// from exactly its own bytes, with nothing left.
            pub fn decodes_one_by_one(encoded: &[Vec<u8>]) -> Result<(), TestCaseError> {
                let stream = encoded.concat();
                let mut rest = &stream[..];
                for one in encoded {
                    let (_, used) = decode(rest).unwrap().complete().unwrap();
                    prop_assert_eq!(&rest[..used], &one[..], "one by one");
                    rest = &rest[used..];
                }
                prop_assert!(rest.is_empty(), "bytes left after the last packet");
                Ok(())
            }

            /// The packets `encoded`, as one stream fed to a `StreamDecoder` in chunks of
            /// the sizes in `chunks` (cycled), come out as the same packets, with nothing
            /// left buffered.
            pub fn decodes_in_chunks(
                encoded: &[Vec<u8>],
                chunks: &[usize],
            ) -> Result<(), TestCaseError> {
                let stream = encoded.concat();
                let mut decoder = StreamDecoder::new(Decoder::new());
                let mut got = Vec::new();
                let mut pos = 0;
                for size in chunks.iter().cycle() {
                    if pos == stream.len() {
                        break;
                    }
                    let end = (pos + size).min(stream.len());
                    decoder.extend(&stream[pos..end]);
                    pos = end;
                    while let Some(packet) = decoder.next_packet().unwrap() {
                        let mut bytes = Vec::new();
                        packet.encode_to_vec(&mut bytes);
                        got.push(bytes);
                    }
                }
                prop_assert_eq!(got, encoded, "the packets out of the chunks");
                prop_assert!(decoder.buffered().is_empty(), "bytes left buffered");
                Ok(())
            }
        }
    };
}

/// Writes the four round-trip properties into the calling test file, each run on `$cases`
/// cases drawn from `$packets` (a strategy for the test's packet data) and made into packets
/// and checked by `$check` (the test's function that builds a packet from the data, passes it
/// to `round_trip::check` and returns its encoding):
///
/// - `$round_trips` (its name given by the caller, as the versions' names differ): every
///   packet drawn round-trips;
/// - `every_strict_prefix_needs_more_bytes`;
/// - `a_stream_of_packets_decodes_one_by_one`: 1 to 7 packets;
/// - `a_stream_in_random_chunks_gives_the_same_packets`: 1 to 7 packets, in 1 to 15 chunk
///   sizes of 1 to 39 bytes.
///
/// Needs the module of [`round_trip_harness!`](crate::round_trip_harness) in the same place.
#[macro_export]
macro_rules! round_trip_properties {
    (
        cases: $cases:expr,
        packets: $packets:expr,
        check: $check:path,
        round_trips: $round_trips:ident $(,)?
    ) => {
        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases($cases))]

            #[test]
            fn $round_trips(spec in $packets) {
                $check(&spec);
            }

            #[test]
            fn every_strict_prefix_needs_more_bytes(spec in $packets) {
                round_trip::strict_prefixes_need_more_bytes(&$check(&spec))?;
            }

            #[test]
            fn a_stream_of_packets_decodes_one_by_one(
                specs in proptest::collection::vec($packets, 1..8),
            ) {
                let encoded: Vec<Vec<u8>> = specs.iter().map($check).collect();
                round_trip::decodes_one_by_one(&encoded)?;
            }

            #[test]
            fn a_stream_in_random_chunks_gives_the_same_packets(
                specs in proptest::collection::vec($packets, 1..8),
                chunks in proptest::collection::vec(1usize..40, 1..16),
            ) {
                let encoded: Vec<Vec<u8>> = specs.iter().map($check).collect();
                round_trip::decodes_in_chunks(&encoded, &chunks)?;
            }
        }
    };
}
