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
//! - `no_std`, no `unsafe`, no required dependencies. Features: `std` (default; implies
//!   `alloc`) adds `std::error::Error`; `alloc` adds [`v311::OwnedPacket`],
//!   [`v311::Packet::encode_to_vec`] and [`v311::StreamDecoder`] (a receive buffer for a
//!   socket); `arbitrary` (off by default) implements
//!   `arbitrary::Arbitrary` for `OwnedPacket`, building packets through the constructors, for
//!   structured fuzzing.
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
//! # Strictness
//!
//! A Remaining Length encoded in more bytes than needed (`0x80 0x00` for 0) is refused with
//! [`DecodeErrorKind::NonMinimalRemainingLength`]. MQTT 3.1.1 does not forbid it in so many
//! words, but shows only minimal encodings, and MQTT 5.0 requires them (`MQTT-1.5.5-1`);
//! accepting padding would break the promise that a packet re-encodes to its own bytes.
//!
//! Control characters and non-characters (section 1.5.3: a sender should not send them, a
//! receiver may refuse them) are accepted unless
//! [`v311::Decoder::reject_control_characters`] is set.

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(all(test, not(feature = "std")))]
extern crate std;

mod error;
mod header;
mod qos;
mod reader;
mod status;
mod text;
mod topic;
mod writer;

pub mod v311;

pub use error::{Clause, DecodeError, DecodeErrorKind, EncodeError, Field};
pub use header::{PacketType, MAX_REMAINING_LENGTH};
pub use qos::QoS;
pub use status::{Needed, Status};
pub use topic::{TopicFilter, TopicName};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
