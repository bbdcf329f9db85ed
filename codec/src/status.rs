//! The outcome of a decode that did not fail: a packet, or a request for more bytes.

use core::num::NonZeroUsize;

/// The result of decoding bytes that are valid so far.
///
/// Running out of input is not an error: a stream decoder keeps the bytes and calls again
/// when more arrive. Bytes that can never become a valid packet are a
/// [`DecodeError`](crate::DecodeError), never `Partial`, as soon as they are present, even
/// in a frame whose end has not arrived (the crate docs, "Early rejection", list the rules).
///
/// ```
/// use mqtt_wire::v311;
/// use mqtt_wire::{DecodeErrorKind, Field};
///
/// // A PUBLISH whose 6-byte body has begun with a topic starting with `+`: refused now.
/// let err = v311::decode(&[0x30, 0x06, 0x00, 0x03, b'+']).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::WildcardInTopicName(Field::TopicName));
/// // The same with `a`: fine so far, 3 more bytes to come.
/// assert!(v311::decode(&[0x30, 0x06, 0x00, 0x03, b'a'])?.is_partial());
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
///
/// ```
/// use mqtt_wire::v311::{self, Packet};
///
/// let status = v311::decode(&[0xC0, 0x00, 0xD0])?; // PINGREQ, then half a PINGRESP
/// assert!(!status.is_partial());
/// assert_eq!(status.complete(), Some((Packet::Pingreq, 2)));
/// assert!(v311::decode(&[0xD0])?.is_partial());
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A whole packet was decoded.
    Complete(T),
    /// The bytes are a valid start of a packet, but the packet is not complete.
    Partial(Needed),
}

impl<T> Status<T> {
    /// The completed value, or `None` when more bytes are needed.
    ///
    /// ```
    /// use mqtt_wire::v311::{self, Packet};
    ///
    /// assert_eq!(v311::decode(&[0xD0, 0x00])?.complete(), Some((Packet::Pingresp, 2)));
    /// assert_eq!(v311::decode(&[0xD0])?.complete(), None);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(value) => Some(value),
            Status::Partial(_) => None,
        }
    }

    /// `true` when more bytes are needed.
    ///
    /// ```
    /// assert!(mqtt_wire::v311::decode(&[])?.is_partial());
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub const fn is_partial(&self) -> bool {
        matches!(self, Status::Partial(_))
    }
}

/// How many more bytes a partial packet needs.
///
/// ```
/// use mqtt_wire::{v311, Needed, Status};
/// use std::num::NonZeroUsize;
///
/// // The fixed header of a PUBACK is complete: one more byte finishes it.
/// assert_eq!(
///     v311::decode(&[0x40, 0x02, 0x00])?,
///     Status::Partial(Needed::Exactly(NonZeroUsize::new(1).unwrap()))
/// );
/// // The first byte alone says nothing of the length.
/// assert_eq!(v311::decode(&[0x40])?, Status::Partial(Needed::Unknown));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Needed {
    /// The fixed header is not complete yet, so the size of the packet is not known: at least
    /// one more byte is needed.
    Unknown,
    /// The fixed header is complete: exactly this many more bytes complete the packet.
    Exactly(NonZeroUsize),
}
