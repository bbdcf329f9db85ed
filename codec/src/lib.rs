//! A strict, zero-copy, allocation-free MQTT packet codec for hostile input.
//!
//! - **Strict.** Every format rule of MQTT 3.1.1 is checked, and every error names the
//!   statement it breaks ([`DecodeError::clause`]). An accepted packet re-encodes to exactly
//!   the bytes it came from.
//! - **Zero-copy.** Decoded packets borrow topics, strings and payloads from the input.
//!   Decoding never allocates.
//! - **Streaming.** [`v311::decode`] reads one packet from the front of a buffer and says how
//!   many bytes it used, or how many more it needs ([`Status::Partial`]); bytes that can
//!   never become a packet are a [`DecodeError`] at once, never "need more".
//! - **Valid by construction.** Packet values are built by constructors that refuse what
//!   the specification forbids ([`EncodeError`]); `encoded_len()` is exact.
//! - **Safe to log.** `Display` prints one line per packet with the user name and password
//!   as `***`; `Debug` hides them too.
//! - `no_std`, no `unsafe`, no required dependencies. Optional features add owned packets,
//!   `bytes`, `tokio` and `serde` support (see [Requirements and
//!   features](#requirements-and-features)).
//!
//! The protocol versions live in their own modules: [`v311`] for MQTT 3.1.1. What does not
//! depend on the version (errors, QoS, topics, the fixed header's packet types) is at the
//! crate root.
//!
//! # Example
//!
//! The CONNECT from the Python `mqtt-codec` documentation: client id `client_id`, clean
//! session 0, keep alive 0, and a retained QoS 0 will `message` on `hello`.
//!
//! ```
//! use mqtt_wire::v311::{self, Connect, Packet, Will};
//! use mqtt_wire::{QoS, Status, TopicName};
//!
//! let will = Will::new(TopicName::new("hello")?, b"message", QoS::AtMostOnce, true)?;
//! let connect = Packet::Connect(Connect::new("client_id", false, 0)?.with_will(will));
//!
//! let mut buf = [0u8; 64];
//! let len = connect.encode(&mut buf)?;
//! let expected = "102500044d515454042400000009636c69656e745f6964000568656c6c6f00076d657373616765";
//! assert_eq!(len, 39);
//! assert_eq!(len, connect.encoded_len());
//! assert_eq!(hex(&buf[..len]), expected);
//!
//! // Decoding reports the packet and the bytes it used, borrowing from `buf`.
//! match v311::decode(&buf[..len])? {
//!     Status::Complete((packet, used)) => {
//!         assert_eq!(packet, connect);
//!         assert_eq!(used, 39);
//!         assert_eq!(
//!             packet.to_string(),
//!             r#"CONNECT client_id="client_id" clean_session=false keep_alive=0 will=(topic="hello" qos=0 retain=true message=7 bytes)"#
//!         );
//!     }
//!     Status::Partial(_) => unreachable!("the whole packet is there"),
//! }
//!
//! // Any strict prefix needs more bytes; garbage is an error naming its clause.
//! assert!(v311::decode(&buf[..38])?.is_partial());
//! let err = v311::decode(&[0x10, 0x02, 0x00, 0x04]).unwrap_err();
//! assert_eq!(err.clause().as_str(), "2.2.3");
//! # fn hex(b: &[u8]) -> String { b.iter().map(|x| format!("{x:02x}")).collect() }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Usage
//!
//! **Decoding.** [`v311::decode`] (or [`v311::Decoder::decode`], with options) reads one packet
//! from the front of a byte slice. The result is one of three:
//!
//! - `Ok(Status::Complete((packet, used)))`: a packet, borrowing from the slice, and the number
//!   of bytes it took. Drop those bytes from your buffer and call again: the slice may hold more.
//! - `Ok(Status::Partial(needed))`: the bytes are a valid start of a packet; read more.
//!   [`Needed::Exactly`] gives the exact count once the fixed header is complete.
//! - `Err(DecodeError)`: the peer broke the protocol. Close the connection (`MQTT-4.8.0-1`),
//!   after a CONNACK where [`DecodeError::connack_return_code`] says the server owes one.
//!
//! A receive loop over a socket needs a buffer; [`v311::StreamDecoder`] (feature `alloc`) is one,
//! and `v311::MqttCodec` (feature `tokio`) plugs the decoder into `tokio_util::codec::Framed`.
//!
//! **Encoding.** Packets are built with constructors that refuse what MQTT forbids
//! ([`EncodeError`]), then written with [`v311::Packet::encode`] into a slice,
//! [`v311::Packet::encode_to_vec`] (feature `alloc`) or `encode_to_buf` into any
//! `bytes::BufMut` (feature `bytes`). [`v311::Packet::encoded_len`] is exact, and a failed encode
//! writes nothing.
//!
//! **Keeping packets.** A decoded [`v311::Packet`] borrows the input. To keep it longer, take
//! [`v311::OwnedPacket`] (feature `alloc`: one allocation holding the packet's bytes) or, with
//! feature `bytes`, `v311::BytesPacket`, which shares the receive buffer's allocation instead of
//! copying it.
//!
//! # Requirements and features
//!
//! Rust 1.70 or later (`rust-version` in `Cargo.toml`; clippy's `incompatible_msrv` lint checks
//! it in CI). The crate is `no_std`: without features it needs only `core`, and it has no
//! required dependencies. Each ecosystem crate is an optional dependency behind its own feature:
//!
//! | feature | adds | needs | dependency |
//! |---|---|---|---|
//! | `std` (default) | `std::error::Error` for the errors | `alloc` | none |
//! | `alloc` | `OwnedPacket`, `Packet::encode_to_vec`, `StreamDecoder` | an allocator | none |
//! | `bytes` | `BytesPacket`, `Decoder::decode_bytes`, `Decoder::decode_bytes_mut`, `Packet::encode_to_buf` | `alloc` | `bytes` 1 |
//! | `tokio` | `MqttCodec` and `CodecError` for `tokio_util::codec` | `bytes`, `std` | `tokio-util` 0.7 (`codec`) |
//! | `serde` | `Serialize` for `v311::Packet` and `v5::Packet`; `Serialize`, `Deserialize` for `OwnedPacket` and `BytesPacket` of both versions | `alloc` | `serde` 1 |
//! | `arbitrary` | `arbitrary::Arbitrary` for `OwnedPacket`, built through the constructors | `alloc` | `arbitrary` 1 |
//!
//! The dependencies set their own minimum Rust versions. As resolved today, `bytes` and `serde`
//! (used without its derive macros) build on 1.70; `arbitrary` asks for Rust 1.71, and `tokio`
//! (through `tokio-util` 0.7.20) for Rust 1.85. Older releases of those crates, pinned in
//! `Cargo.lock`, may build on older compilers; CI does not check them.
//!
//! **The `serde` form** is the golden vectors' packet model (`vectors/README.md` for 3.1.1,
//! `vectors/v5/DECISIONS.md` section 2 for 5.0): `{"type": "PUBLISH", "topic": ...}`, binary
//! fields as hex in human-readable formats; in 5.0, properties as an ordered list of
//! `{"id", "name", "value"}`, reason codes as `{"value", "name"}`, and the short forms of the
//! acknowledgements, DISCONNECT and AUTH as `null`, so that a decoded packet's form
//! deserializes and encodes back to its own bytes. Deserializing validates through the
//! constructors, so a deserialized packet is as valid as a decoded one. **User names,
//! passwords and 5.0 Authentication Data are serialized in full**: they are data there,
//! unlike in `Display` and `Debug`, which hide them.
//!
//! # Strictness
//!
//! Every format rule of MQTT 3.1.1 is enforced, the numbered statements and the rules stated
//! without a number alike. Where the specification leaves room, the codec takes the strict
//! reading and says so:
//!
//! - A Remaining Length encoded in more bytes than needed (`0x80 0x00` for 0) is refused with
//!   [`DecodeErrorKind::NonMinimalRemainingLength`]. MQTT 3.1.1 does not forbid it in so many
//!   words, but shows only minimal encodings, and MQTT 5.0 requires them (`MQTT-1.5.5-1`);
//!   accepting padding would break the promise that a packet re-encodes to its own bytes.
//! - A Remaining Length that the packet type can never have (a PINGREQ declaring 5 bytes) is
//!   refused from the fixed header, before the body arrives.
//! - Packet identifier 0 is refused in every packet that carries one; will topics follow the
//!   topic-name rules; a SUBACK needs at least one return code.

//! # Early rejection
//!
//! An incomplete frame is checked as far as its bytes go: `decode` returns the error as soon as
//! the bytes present prove the packet malformed, whatever bytes follow, and `Partial` only while
//! some completion could still be a valid packet (or fail later, at a later byte). The error is
//! the one the whole packet gives: same kind, clause, field and offset. `offset` is where the
//! offending field or byte starts; the byte that *decides* the error may come later (a packet
//! identifier `00 00` is decided by its second byte, a UTF-8 sequence by the first byte that no
//! well-formed sequence continues with) or earlier (a field that cannot fit in the frame the
//! header declares is decided once the fields before it are known good). Refused early:
//!
//! - from the fixed header: a reserved packet type, wrong flags, QoS 3, DUP at QoS 0, an
//!   over-long or padded Remaining Length, a length the packet type can never have, a packet
//!   over [`max_packet_size`](v311::Decoder::max_packet_size);
//! - from the body as it arrives: a length prefix or fixed-size field that runs past the
//!   declared frame; the protocol name (at its length, or the first byte that differs from
//!   `MQTT`) and level; every CONNECT flag rule; ill-formed UTF-8, U+0000 and (on request)
//!   control characters in every string, at the byte that decides them; wildcards in topic
//!   names, and misplaced wildcards in filters (`a+` at the `+`, `+a` at the `a`, and a `#`
//!   that the filter's length says is not its last byte at the `#`); a UTF-8 lead byte that asks
//!   for more bytes than its string has left, at that byte; a length prefix whose first byte
//!   already runs it past the frame; packet identifier 0; a reserved CONNACK flag or return code, a session
//!   present flag with a refusal; a reserved SUBACK return code; reserved bits or QoS 3 in a
//!   requested QoS; bytes left over after the last field of a CONNECT, decided once that field
//!   is known good (for a password or will message, from its length prefix alone, as binary
//!   data can never be wrong).
//!
//! No rule needs the whole frame as such, but one waits for every other: an empty client id
//! without Clean Session (`MQTT-3.1.3-8`) is answered with a CONNACK code rather than a closed
//! connection, so it is reported only once nothing after it can make the packet malformed,
//! that is at the last byte of the CONNECT's last text field or length prefix.
//!
//! Calling `decode` again on each arrival re-checks the bytes from the packet's start, and
//! [`v311::StreamDecoder`] and `MqttCodec` do so on every call: a large incomplete packet that
//! arrives in many small pieces is re-read once per piece (a PUBLISH payload is binary and not
//! re-read; strings, topic filters and return codes are). Set
//! [`max_packet_size`](v311::Decoder::max_packet_size) to bound that work per packet.
//!
//! # Options
//!
//! [`v311::Decoder`] has two, both off by default:
//!
//! - [`max_packet_size`](v311::Decoder::max_packet_size): packets larger than this (fixed header
//!   included) are refused from the fixed header, before their body is read or buffered. Set it
//!   for every peer you do not trust: without it, one 5-byte header may announce 256 MiB.
//! - [`reject_control_characters`](v311::Decoder::reject_control_characters): refuse strings
//!   with control characters or non-characters (section 1.5.3 says a sender should not send them
//!   and a receiver may refuse them).
//!
//! # Zero-copy
//!
//! Decoding allocates nothing: [`v311::Packet`] and its parts borrow topics, strings and
//! payloads from the input, and SUBSCRIBE, UNSUBSCRIBE and SUBACK lists ([`v311::List`]) are
//! checked whole and then read lazily from the borrowed bytes. Encoding copies each field once
//! into the output. `BytesPacket` (feature `bytes`) extends this past the input buffer: it keeps
//! a reference-counted slice of the buffer the packet arrived in, and hands out a PUBLISH payload
//! as a `Bytes` that points into it.
//!
//! # Errors and clauses
//!
//! Two error types keep apart who is at fault. [`DecodeError`] is the peer's: its
//! [`kind`](DecodeError::kind), the byte [`offset`](DecodeError::offset) where the problem was
//! found, the [`packet_type`](DecodeError::packet_type), and the [`clause`](DecodeError::clause)
//! of the specification it breaks (`MQTT-3.3.2-2`, or a section such as `2.2.3` for rules
//! without a number). [`EncodeError`] is the caller's: a packet the constructors refuse (with its
//! clause) or an output buffer that is too small. Both print one line naming the clause.
//!
//! ```
//! use mqtt_wire::{v311, DecodeErrorKind, Field};
//!
//! // PUBLISH to "a/+": a wildcard in a topic name.
//! let err = v311::decode(&[0x30, 0x05, 0x00, 0x03, b'a', b'/', b'+']).unwrap_err();
//! assert_eq!(err.kind(), DecodeErrorKind::WildcardInTopicName(Field::TopicName));
//! assert_eq!(err.offset(), 6);
//! assert_eq!(err.clause().as_str(), "MQTT-3.3.2-2");
//! assert_eq!(
//!     err.to_string(),
//!     "malformed PUBLISH at byte 6: topic name contains a wildcard character [MQTT-3.3.2-2]"
//! );
//! ```
//!
//! # Memory and processor use
//!
//! - Decoding: one pass over the packet's bytes, no allocation; the work is linear
//!   in the packet's length, and a partial packet is re-read from its start on the next call
//!   (a caller that waits for [`Needed::Exactly`] bytes reads each body once; one that calls
//!   on every arrival, as the stream decoders do, re-reads the checked part each time). Iterating a decoded list re-reads its bytes: linear too.
//! - Encoding: [`encoded_len`](v311::Packet::encoded_len) is computed from the field lengths
//!   (constant time except for lists built from a slice); each byte is written once.
//! - Memory: a `Packet` is a few words plus borrowed slices; an `OwnedPacket` is one allocation
//!   of exactly the packet's encoded length. [`v311::StreamDecoder`] buffers at most one
//!   incomplete packet and what follows it; `MqttCodec` reserves exactly the bytes the
//!   current packet still needs, never more than `max_packet_size` allows.
//! - Figures (times, instructions per packet, against other codecs): `BENCHMARKS.md` in the
//!   repository, with the command and commit that produced them.
//!
//! # Testing and quality
//!
//! - Unit tests beside each packet, each check tied to its clause; property tests that every
//!   packet the constructors accept round-trips and that every strict prefix is partial; a
//!   mutation test over 400,000 corrupted packets; a counting allocator that sees decoding
//!   allocate nothing; tests for each feature (`tokio` over in-memory duplex streams, fed one byte
//!   at a time; `bytes` proving that payloads point into the receive buffer; `serde` against the
//!   golden vectors of both versions).
//! - 366 golden vectors for MQTT 3.1.1 (valid, invalid and the cases the specification leaves
//!   open) in language-neutral JSON, run by `cargo xtask conformance` and by `cargo test`.
//! - Fuzzing (`cargo xtask fuzz`: decode, round-trip and stream targets) and Miri over the unit
//!   tests.
//! - `#![forbid(unsafe_code)]`; the modules that read peer bytes deny clippy's
//!   `indexing_slicing` and `arithmetic_side_effects`; CI runs clippy with warnings denied, the
//!   feature matrix, these docs with warnings denied, and `cargo package`.
//!
//! # Versioning
//!
//! The crate follows [semantic versioning](https://semver.org). Before 1.0, a breaking change
//! raises the minor version (0.1 to 0.2) and everything else the patch version. Breaking:
//! removing or renaming a public item, changing a signature, accepting fewer packets than before
//! where the specification allows them, or changing a serialized form. Not breaking:
//!
//! - new variants of the `#[non_exhaustive]` enums ([`DecodeErrorKind`], [`Field`],
//!   [`EncodeError`], `CodecError`): match them with a `_` arm. A new error kind may also take
//!   over inputs that an older, less specific kind reported;
//! - refusing bytes that the specification forbids but an older release accepted: that is a
//!   bug fix, named in the changelog;
//! - new features, new methods, new modules (MQTT 5.0 will come as `mqtt_wire::v5`);
//! - a new minimum Rust version, which is announced in the changelog and comes with a minor
//!   release, never a patch.
//!
//! The error messages (`Display`) may change in any release; match on kinds and clauses.

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(all(test, not(feature = "std")))]
extern crate std;

#[cfg(feature = "arbitrary")]
mod arbitrary_parts;
#[cfg(feature = "bytes")]
mod bytes;
mod connect_flags;
mod error;
mod first_packet;
mod frame;
mod header;
mod list;
#[cfg(feature = "alloc")]
mod owned;
mod protocol;
mod qos;
mod reader;
mod scan;
#[cfg(feature = "serde")]
mod serde_parts;
mod status;
#[cfg(feature = "alloc")]
mod stream;
mod text;
#[cfg(feature = "tokio")]
mod tokio_codec;
mod topic;
mod writer;

pub mod v311;
pub mod v5;

#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
pub use self::bytes::BytesPacket;
pub use error::{Clause, DecodeError, DecodeErrorKind, EncodeError, Field};
pub use first_packet::{decode_first_packet, FirstPacket};
pub use header::{PacketType, MAX_REMAINING_LENGTH};
pub use list::{Iter, List, ListItem};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use owned::OwnedPacket;
pub use protocol::{Encode, PacketDecoder};
pub use qos::{Delivery, QoS};
pub use status::{Needed, Status};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use stream::StreamDecoder;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use tokio_codec::{CodecError, MqttCodec};
pub use topic::{TopicFilter, TopicName};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
