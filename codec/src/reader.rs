//! A bounded cursor over one packet body. Every read stays inside the body: running short is
//! `Truncated` (the Remaining Length was too small), bytes left at the end are
//! `TrailingBytes` (it was too large).

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, Field};
use crate::scan;
use crate::text::{self, TextError};
use crate::topic::{self, TopicError, TopicName};
use crate::PacketType;

pub(crate) struct Reader<'a> {
    body: &'a [u8],
    pos: usize,
    /// Offset of `body[0]` in the input given to `decode`, for error offsets.
    base: usize,
    packet_type: PacketType,
    reject_disallowed: bool,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        body: &'a [u8],
        base: usize,
        packet_type: PacketType,
        reject_disallowed: bool,
    ) -> Self {
        Reader {
            body,
            pos: 0,
            base,
            packet_type,
            reject_disallowed,
        }
    }

    /// An error found at `pos` (an index into the body).
    pub(crate) fn error_at(&self, kind: DecodeErrorKind, pos: usize) -> DecodeError {
        DecodeError::new(kind, self.base.saturating_add(pos), Some(self.packet_type))
    }

    /// An error found at the current position.
    pub(crate) fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        self.error_at(kind, self.pos)
    }

    /// The current position, as an index into the body.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.body.len()
    }

    /// The next `len` bytes; `Truncated(field)` at `start` when the body is shorter.
    fn take(&mut self, len: usize, field: Field, start: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(len);
        match end.and_then(|end| Some((end, self.body.get(self.pos..end)?))) {
            Some((end, bytes)) => {
                self.pos = end;
                Ok(bytes)
            }
            None => Err(self.error_at(DecodeErrorKind::Truncated(field), start)),
        }
    }

    /// The next `N` bytes as an array.
    fn array<const N: usize>(&mut self, field: Field) -> Result<[u8; N], DecodeError> {
        let start = self.pos;
        let bytes = self.take(N, field, start)?;
        bytes
            .try_into()
            .map_err(|_| self.error_at(DecodeErrorKind::Truncated(field), start))
    }

    pub(crate) fn u8(&mut self, field: Field) -> Result<u8, DecodeError> {
        let [byte] = self.array(field)?;
        Ok(byte)
    }

    pub(crate) fn u16(&mut self, field: Field) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    /// A Packet Identifier, which must not be 0 (MQTT-2.3.1-1).
    pub(crate) fn packet_id(&mut self) -> Result<NonZeroU16, DecodeError> {
        let start = self.pos;
        let id = self.u16(Field::PacketId)?;
        NonZeroU16::new(id).ok_or_else(|| self.error_at(DecodeErrorKind::ZeroPacketId, start))
    }

    /// A field with a two-byte length prefix. A prefix longer than the rest of the body is
    /// `Truncated` at the prefix.
    pub(crate) fn prefixed(&mut self, field: Field) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let len = self.u16(field)?;
        self.take(usize::from(len), field, start)
    }

    /// A UTF-8 encoded string (section 1.5.3).
    pub(crate) fn string(&mut self, field: Field) -> Result<&'a str, DecodeError> {
        let data_start = self.pos.saturating_add(2);
        let bytes = self.prefixed(field)?;
        text::validate(bytes, self.reject_disallowed)
            .map_err(|e| self.text_error(e, field, data_start))
    }

    /// A topic name (section 4.7): a string with no wildcards, not empty.
    pub(crate) fn topic_name(&mut self, field: Field) -> Result<TopicName<'a>, DecodeError> {
        self.topic(field, topic::check_name).map(TopicName::checked)
    }

    /// Checks the topic filter at the current position (section 4.7: a string with wildcards
    /// only in their places, not empty) and moves past it. SUBSCRIBE and UNSUBSCRIBE keep
    /// their lists as bytes, so a filter in ASCII needs no conversion to text here: only the
    /// places of its wildcards are left to check.
    pub(crate) fn skip_topic_filter(&mut self) -> Result<(), DecodeError> {
        let start = self.pos;
        let bytes = self.prefixed(Field::TopicFilter)?;
        if !bytes.is_empty()
            && !scan::ascii_text_needs_checks(bytes, self.reject_disallowed)
            && scan::wildcards_in_place(bytes)
        {
            return Ok(());
        }
        self.check_topic(bytes, start, Field::TopicFilter, topic::check_filter)
            .map(|_| ())
    }

    /// A string that must also pass the topic rules in `check`. Where the string rules and
    /// the topic rules are both broken, the error names the first offending byte.
    fn topic(
        &mut self,
        field: Field,
        check: fn(&[u8]) -> Result<(), TopicError>,
    ) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        let bytes = self.prefixed(field)?;
        self.check_topic(bytes, start, field, check)
    }

    /// The checks of [`topic`](Self::topic) on `bytes`, which were read with their length
    /// prefix at `start`.
    fn check_topic(
        &self,
        bytes: &'a [u8],
        start: usize,
        field: Field,
        check: fn(&[u8]) -> Result<(), TopicError>,
    ) -> Result<&'a str, DecodeError> {
        let data_start = start.saturating_add(2);
        // Fast path with the same answers: well-formed UTF-8 in which no byte is one a rule
        // below looks at (U+0000, `+`, `#`, and, when refusing control characters, anything
        // outside printable ASCII) passes every check. Eight bytes at a time, instead of
        // decoding each character and scanning twice.
        let reject = self.reject_disallowed;
        if !scan::topic_needs_checks(bytes, reject) {
            if let Ok(text) = core::str::from_utf8(bytes) {
                return Ok(text);
            }
        } else if !bytes.is_empty() && !scan::text_needs_checks(bytes, reject) {
            // A filter's wildcards: when the string rules are met (no U+0000, nothing
            // disallowed), the topic rules decide alone, after the UTF-8 check.
            if let (Ok(text), Ok(())) = (core::str::from_utf8(bytes), check(bytes)) {
                return Ok(text);
            }
        }
        match (text::validate(bytes, self.reject_disallowed), check(bytes)) {
            (Ok(text), Ok(())) => Ok(text),
            (Err(e), Ok(())) => Err(self.text_error(e, field, data_start)),
            (Err(e), Err(t)) if e.index() <= t.index() => {
                Err(self.text_error(e, field, data_start))
            }
            (_, Err(TopicError::Empty)) => {
                Err(self.error_at(DecodeErrorKind::EmptyTopic(field), start))
            }
            (_, Err(t)) => Err(self.topic_error(t, field, data_start)),
        }
    }

    /// The bytes read since `start` (an earlier [`pos`](Self::pos)).
    pub(crate) fn consumed_since(&self, start: usize) -> &'a [u8] {
        self.body.get(start..self.pos).unwrap_or(&[])
    }

    /// Everything left in the body.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.body.get(self.pos..).unwrap_or(&[]);
        self.pos = self.body.len();
        rest
    }

    /// The body must be used up: anything left means the Remaining Length was too long.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(DecodeErrorKind::TrailingBytes))
        }
    }

    fn text_error(&self, error: TextError, field: Field, data_start: usize) -> DecodeError {
        let (kind, index) = match error {
            TextError::InvalidUtf8(i) => (DecodeErrorKind::InvalidUtf8(field), i),
            TextError::Null(i) => (DecodeErrorKind::NullCharacter(field), i),
            TextError::Disallowed(i) => (DecodeErrorKind::DisallowedCodePoint(field), i),
        };
        self.error_at(kind, data_start.saturating_add(index))
    }

    fn topic_error(&self, error: TopicError, field: Field, data_start: usize) -> DecodeError {
        let kind = match error {
            TopicError::Empty => DecodeErrorKind::EmptyTopic(field),
            TopicError::Null(_) => DecodeErrorKind::NullCharacter(field),
            TopicError::Wildcard(_) => DecodeErrorKind::WildcardInTopicName(field),
            TopicError::MultiLevel(_) => DecodeErrorKind::MisplacedMultiLevelWildcard,
            TopicError::SingleLevel(_) => DecodeErrorKind::MisplacedSingleLevelWildcard,
        };
        self.error_at(kind, data_start.saturating_add(error.index()))
    }
}
