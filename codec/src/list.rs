//! The lists inside SUBSCRIBE, UNSUBSCRIBE, SUBACK and (5.0) UNSUBACK, for both versions.
//!
//! A decoded list borrows the packet's bytes, already validated from end to end, and reads
//! its items from them as it is iterated: no allocation, no second validation of structure.
//! A list built by a caller borrows the caller's slice of items.

use core::fmt;
use core::iter::FusedIterator;

use crate::topic::TopicFilter;
use crate::writer::Sink;

/// An item of a list: how it is read back from validated bytes and written out.
pub trait ListItem<'a>: Copy + private::Sealed {
    /// Reads one item from the front of validated bytes; `None` only if the bytes were not
    /// validated as a list of this item, which the decoder never lets happen.
    #[doc(hidden)]
    fn read(bytes: &mut &'a [u8]) -> Option<Self>;
    /// The item's size on the wire.
    #[doc(hidden)]
    fn wire_len(&self) -> usize;
    /// Writes the item.
    #[doc(hidden)]
    fn write<S: Sink>(&self, sink: &mut S);
}

pub(crate) mod private {
    pub trait Sealed {}
}

#[derive(Clone, Copy)]
enum Source<'a, T> {
    /// Validated wire bytes holding `count` items.
    Wire { bytes: &'a [u8], count: usize },
    /// A caller's items.
    Items(&'a [T]),
}

/// A borrowed, non-empty list of `T`: the topic filters of a SUBSCRIBE or UNSUBSCRIBE, or the
/// return codes of a SUBACK.
///
/// ```
/// use mqtt_wire::v311::{self, Packet};
///
/// // UNSUBSCRIBE, packet id 1, of "a" and "b/#".
/// let bytes = [0xA2, 0x0A, 0x00, 0x01, 0x00, 0x01, b'a', 0x00, 0x03, b'b', b'/', b'#'];
/// let Some((Packet::Unsubscribe(unsubscribe), _)) = v311::decode(&bytes)?.complete() else {
///     unreachable!()
/// };
/// let list = unsubscribe.filters();
/// assert_eq!((list.len(), list.is_empty()), (2, false));
/// let mut iter = list.iter();
/// assert_eq!(iter.next().map(|f| f.as_str()), Some("a"));
/// assert_eq!(iter.len(), 1);
/// assert_eq!(iter.next().map(|f| f.as_str()), Some("b/#"));
/// assert_eq!(iter.next(), None);
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone, Copy)]
pub struct List<'a, T> {
    source: Source<'a, T>,
}

impl<'a, T: ListItem<'a>> List<'a, T> {
    pub(crate) fn from_wire(bytes: &'a [u8], count: usize) -> Self {
        List {
            source: Source::Wire { bytes, count },
        }
    }

    pub(crate) fn from_items(items: &'a [T]) -> Self {
        List {
            source: Source::Items(items),
        }
    }

    /// The number of items.
    ///
    /// ```
    /// use mqtt_wire::v311::Unsubscribe;
    /// use mqtt_wire::TopicFilter;
    /// use std::num::NonZeroU16;
    ///
    /// let filters = [TopicFilter::new("a")?, TopicFilter::new("b")?];
    /// let list = Unsubscribe::new(NonZeroU16::new(1).unwrap(), &filters)?.filters();
    /// assert_eq!((list.len(), list.is_empty()), (2, false));
    /// assert_eq!(list.iter().map(|f| f.as_str()).collect::<String>(), "ab");
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn len(&self) -> usize {
        match self.source {
            Source::Wire { count, .. } => count,
            Source::Items(items) => items.len(),
        }
    }

    /// Always `false` for a list inside a packet: MQTT requires at least one item.
    ///
    /// ```
    /// use mqtt_wire::v311::Unsubscribe;
    /// use mqtt_wire::TopicFilter;
    /// use std::num::NonZeroU16;
    ///
    /// let filters = [TopicFilter::new("a")?, TopicFilter::new("b")?];
    /// let list = Unsubscribe::new(NonZeroU16::new(1).unwrap(), &filters)?.filters();
    /// assert_eq!((list.len(), list.is_empty()), (2, false));
    /// assert_eq!(list.iter().map(|f| f.as_str()).collect::<String>(), "ab");
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items, in order.
    ///
    /// ```
    /// use mqtt_wire::v311::Unsubscribe;
    /// use mqtt_wire::TopicFilter;
    /// use std::num::NonZeroU16;
    ///
    /// let filters = [TopicFilter::new("a")?, TopicFilter::new("b")?];
    /// let list = Unsubscribe::new(NonZeroU16::new(1).unwrap(), &filters)?.filters();
    /// assert_eq!((list.len(), list.is_empty()), (2, false));
    /// assert_eq!(list.iter().map(|f| f.as_str()).collect::<String>(), "ab");
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn iter(&self) -> Iter<'a, T> {
        Iter {
            source: self.source,
        }
    }

    /// The items' size on the wire.
    #[inline]
    pub(crate) fn wire_len(&self) -> usize {
        match self.source {
            Source::Wire { bytes, .. } => bytes.len(),
            Source::Items(items) => items_len(items),
        }
    }

    #[inline]
    pub(crate) fn write<S: Sink>(&self, sink: &mut S) {
        match self.source {
            Source::Wire { bytes, .. } => sink.put(bytes),
            Source::Items(items) => write_items(items, sink),
        }
    }
}

// The loops over a caller's items stay out of line. Inlined into `Packet::encode`, the
// compiler vectorizes them and keeps their vector constants in registers across the whole
// encode, reloading them after every call to `memcpy`: four loads per PUBLISH for the sake
// of the rare SUBSCRIBE, UNSUBSCRIBE or SUBACK.
#[inline(never)]
fn items_len<'a, T: ListItem<'a>>(items: &[T]) -> usize {
    items.iter().map(ListItem::wire_len).sum()
}

#[inline(never)]
fn write_items<'a, T: ListItem<'a>, S: Sink>(items: &[T], sink: &mut S) {
    items.iter().for_each(|item| item.write(sink));
}

impl<'a, T: ListItem<'a>> IntoIterator for List<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T: ListItem<'a>> IntoIterator for &List<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// Lists are equal when their items are, however each was made.
impl<'a, T: ListItem<'a> + PartialEq> PartialEq for List<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a, T: ListItem<'a> + Eq> Eq for List<'a, T> {}

impl<'a, T: ListItem<'a> + fmt::Debug> fmt::Debug for List<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// An iterator over a [`List`].
///
/// ```
/// use mqtt_wire::v311::{self, Packet, SubackReturnCode};
/// use mqtt_wire::QoS;
///
/// // SUBACK, packet id 5: QoS 0 granted, failure.
/// let bytes = [0x90, 0x04, 0x00, 0x05, 0x00, 0x80];
/// let Some((Packet::Suback(suback), _)) = v311::decode(&bytes)?.complete() else { unreachable!() };
/// let codes: Vec<SubackReturnCode> = suback.return_codes().into_iter().collect();
/// assert_eq!(codes, [SubackReturnCode::Granted(QoS::AtMostOnce), SubackReturnCode::Failure]);
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone)]
pub struct Iter<'a, T> {
    source: Source<'a, T>,
}

impl<'a, T: ListItem<'a>> Iterator for Iter<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match &mut self.source {
            Source::Wire { bytes, count } => {
                if *count == 0 {
                    return None;
                }
                let item = T::read(bytes)?;
                *count -= 1;
                Some(item)
            }
            Source::Items(items) => {
                let (first, rest) = items.split_first()?;
                *items = rest;
                Some(*first)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match self.source {
            Source::Wire { count, .. } => count,
            Source::Items(items) => items.len(),
        };
        (n, Some(n))
    }
}

impl<'a, T: ListItem<'a>> ExactSizeIterator for Iter<'a, T> {}
impl<'a, T: ListItem<'a>> FusedIterator for Iter<'a, T> {}

/// Reads a length-prefixed string from validated bytes.
pub(crate) fn read_str<'a>(bytes: &mut &'a [u8]) -> Option<&'a str> {
    let len = usize::from(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]));
    let text = bytes.get(2..2 + len)?;
    *bytes = bytes.get(2 + len..)?;
    core::str::from_utf8(text).ok()
}

/// UNSUBSCRIBE's topic filters: a length-prefixed string each, in both versions.
impl private::Sealed for TopicFilter<'_> {}

impl<'a> ListItem<'a> for TopicFilter<'a> {
    fn read(bytes: &mut &'a [u8]) -> Option<Self> {
        Some(TopicFilter::checked(read_str(bytes)?))
    }

    #[inline]
    fn wire_len(&self) -> usize {
        2 + self.as_str().len()
    }

    #[inline]
    fn write<S: Sink>(&self, sink: &mut S) {
        sink.put_prefixed(self.as_str().as_bytes());
    }
}
