//! The outcome of a decode that did not fail: a packet, or a request for more bytes.

use core::num::NonZeroUsize;

/// The result of decoding bytes that are valid so far.
///
/// Running out of input is not an error: a stream decoder keeps the bytes and calls again
/// when more arrive. Bytes that can never become a valid packet are a
/// [`DecodeError`](crate::DecodeError), never `Partial`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A whole packet was decoded.
    Complete(T),
    /// The bytes are a valid start of a packet, but the packet is not complete.
    Partial(Needed),
}

impl<T> Status<T> {
    /// The completed value, or `None` when more bytes are needed.
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(value) => Some(value),
            Status::Partial(_) => None,
        }
    }

    /// `true` when more bytes are needed.
    pub const fn is_partial(&self) -> bool {
        matches!(self, Status::Partial(_))
    }
}

/// How many more bytes a partial packet needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Needed {
    /// The fixed header is not complete yet, so the size of the packet is not known: at least
    /// one more byte is needed.
    Unknown,
    /// The fixed header is complete: exactly this many more bytes complete the packet.
    Exactly(NonZeroUsize),
}
