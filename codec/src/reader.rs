//! A bounded cursor over one packet body. Every read stays inside the body: running short is
//! `Truncated` (the Remaining Length was too small), bytes left at the end are
//! `TrailingBytes` (it was too large).
//!
//! The body may be incomplete: the fixed header declares its length, and only a prefix of it
//! may be present. Every read is checked against the declared length first (so a field that
//! cannot fit in the frame is `Truncated` before its bytes arrive), then against the bytes
//! present. A read that needs bytes not yet present stops the decode with
//! [`Reader::need_more`]; the decoder then answers "need more bytes" instead of the error.
//! Text read in part is checked as far as it goes, so a byte that already breaks a rule is
//! refused at once, with the error the whole packet gives. Binary fields (a will message, a
//! password, a payload) can never be wrong, so a missing part of one is skipped: the fields
//! after it are still placed, and bytes left over at the frame's end are refused without
//! waiting for the binary bytes.

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, Field};
use crate::header::{self, RemainingLength};
use crate::scan;
use crate::text::{self, TextError};
use crate::topic::{self, TopicError, TopicName};
use crate::PacketType;

pub(crate) struct Reader<'a> {
    /// The bytes of the body that are present: all of it, or a prefix.
    body: &'a [u8],
    /// The body's length as the fixed header declares it: at least `body.len()`.
    len: usize,
    pos: usize,
    /// Set by [`need_more`](Self::need_more): the error being returned only stands for
    /// "the bytes present are fine so far".
    ran_out: bool,
    /// Offset of `body[0]` in the input given to `decode`, for error offsets.
    base: usize,
    packet_type: PacketType,
    reject_disallowed: bool,
}

/// A field of the declared body: all its bytes, or the part present.
enum Piece<'a> {
    Whole(&'a [u8]),
    Part(&'a [u8]),
}

impl<'a> Reader<'a> {
    /// A reader over `body`, the bytes present of a body that the fixed header says is
    /// `len` bytes long (`body` is cut to `len` if longer).
    pub(crate) fn new(
        body: &'a [u8],
        len: usize,
        base: usize,
        packet_type: PacketType,
        reject_disallowed: bool,
    ) -> Self {
        Reader {
            body: body.get(..len).unwrap_or(body),
            len,
            pos: 0,
            ran_out: false,
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

    /// Whether the reader is at the end of the body the header declares.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.len
    }

    /// Stops the decode because the bytes present end before the field at `start` does.
    /// The error returned is a placeholder: the decoder sees [`ran_out`](Self::ran_out) and
    /// answers "need more bytes" instead.
    pub(crate) fn need_more(&mut self, field: Field, start: usize) -> DecodeError {
        self.ran_out = true;
        self.error_at(DecodeErrorKind::Truncated(field), start)
    }

    /// An error that the bytes present prove although the field they start is incomplete
    /// (a version's own rule on a field's first bytes): it replaces "need more".
    pub(crate) fn proven(&mut self, error: DecodeError) -> DecodeError {
        self.ran_out = false;
        error
    }

    /// Whether the decode stopped for want of bytes (see [`need_more`](Self::need_more)).
    pub(crate) fn ran_out(&self) -> bool {
        self.ran_out
    }

    /// Whether the whole body is present.
    pub(crate) fn is_whole(&self) -> bool {
        self.body.len() >= self.len
    }

    /// The next `len` bytes of the declared body, whole or only the part present. The field
    /// running past the declared body is `Truncated(field)` at `start`, whether or not its
    /// bytes are present: no byte that can follow makes it fit.
    fn take_some(
        &mut self,
        len: usize,
        field: Field,
        start: usize,
    ) -> Result<Piece<'a>, DecodeError> {
        let end = match self.pos.checked_add(len) {
            Some(end) if end <= self.len => end,
            _ => return Err(self.error_at(DecodeErrorKind::Truncated(field), start)),
        };
        let piece = match self.body.get(self.pos..end) {
            Some(bytes) => Piece::Whole(bytes),
            None => Piece::Part(self.body.get(self.pos..).unwrap_or_default()),
        };
        self.pos = end;
        Ok(piece)
    }

    /// The next `len` bytes; `Truncated(field)` at `start` when the declared body is
    /// shorter, "need more" when the bytes are not all present yet.
    fn take(&mut self, len: usize, field: Field, start: usize) -> Result<&'a [u8], DecodeError> {
        match self.take_some(len, field, start)? {
            Piece::Whole(bytes) => Ok(bytes),
            Piece::Part(_) => Err(self.need_more(field, start)),
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

    pub(crate) fn u32(&mut self, field: Field) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    /// A Variable Byte Integer inside the body (MQTT 5.0 section 1.5.5: a property length, a
    /// Subscription Identifier). Non-minimal or five-byte encodings are refused at the byte
    /// that shows it. With `fits`, the value is a length of what follows, and a value that
    /// cannot fit in the rest of the declared body is `Truncated(field)` once it is read.
    pub(crate) fn var_int(&mut self, field: Field, fits: bool) -> Result<usize, DecodeError> {
        let start = self.pos;
        let present = self.body.get(start..).unwrap_or_default();
        // At most four bytes, and no further than the declared body.
        let declared = self.len.saturating_sub(start);
        let bytes = present.get(..declared.min(4)).unwrap_or(present);
        // No bound while the integer is incomplete: a continuation byte does not yet show
        // that the value is too large, since a padding `00` after it would make the error
        // the non-minimal encoding instead (DECISIONS.md section 4).
        match header::decode_remaining_length(bytes, |_, _| Ok(())) {
            Ok(RemainingLength::Complete { value, len }) => {
                if fits && value > declared.saturating_sub(len) {
                    return Err(self.error_at(DecodeErrorKind::Truncated(field), start));
                }
                self.pos = start.saturating_add(len);
                Ok(value)
            }
            Ok(RemainingLength::Partial) => {
                // Every byte present continues the integer: it runs past the declared body
                // when that ends here, else the rest has not arrived.
                if bytes.len() >= declared {
                    Err(self.error_at(DecodeErrorKind::Truncated(field), start))
                } else {
                    Err(self.need_more(field, start))
                }
            }
            // Reported at the integer's first byte (decided at the byte that shows it).
            Err((kind, _)) => {
                let kind = match kind {
                    DecodeErrorKind::NonMinimalRemainingLength => {
                        DecodeErrorKind::NonMinimalVariableByteInteger(field)
                    }
                    _ => DecodeErrorKind::VariableByteIntegerTooLong(field),
                };
                Err(self.error_at(kind, start))
            }
        }
    }

    /// The bytes present from body position `start`, at most `len` of them.
    pub(crate) fn present(&self, start: usize, len: usize) -> &'a [u8] {
        let bytes = self.body.get(start..).unwrap_or_default();
        bytes.get(..len).unwrap_or(bytes)
    }

    /// A reader over the next `len` bytes (a property block), whole or the part present, with
    /// the same offsets; `Truncated(field)` at `start` when they run past the declared body.
    /// Call [`absorb`](Self::absorb) with it afterwards.
    pub(crate) fn sub(
        &mut self,
        len: usize,
        field: Field,
        start: usize,
    ) -> Result<Reader<'a>, DecodeError> {
        let at = self.pos;
        let bytes = match self.take_some(len, field, start)? {
            Piece::Whole(bytes) | Piece::Part(bytes) => bytes,
        };
        Ok(Reader {
            body: bytes,
            len,
            pos: 0,
            ran_out: false,
            base: self.base.saturating_add(at),
            packet_type: self.packet_type,
            reject_disallowed: self.reject_disallowed,
        })
    }

    /// Takes over a sub-reader's "ran out of bytes" state.
    pub(crate) fn absorb(&mut self, sub: &Reader<'a>) {
        self.ran_out |= sub.ran_out;
    }

    /// The bytes present from `start` to the current position, when all are present.
    pub(crate) fn whole_since(&self, start: usize) -> Option<&'a [u8]> {
        self.body.get(start..self.pos)
    }

    /// A Packet Identifier, which must not be 0 (MQTT-2.3.1-1).
    pub(crate) fn packet_id(&mut self) -> Result<NonZeroU16, DecodeError> {
        let start = self.pos;
        let id = self.u16(Field::PacketId)?;
        NonZeroU16::new(id).ok_or_else(|| self.error_at(DecodeErrorKind::ZeroPacketId, start))
    }

    /// A field with a two-byte length prefix, whole or the part present. A prefix longer
    /// than the rest of the declared body is `Truncated` at the prefix.
    fn prefixed(&mut self, field: Field) -> Result<Piece<'a>, DecodeError> {
        let start = self.pos;
        // With only the length's first byte present, the length is at least that byte times
        // 256: if even that runs past the declared body, no second byte can make it fit.
        if let (Some(&high), None) = (self.body.get(start), self.body.get(start.saturating_add(1)))
        {
            let least = usize::from(high) << 8;
            if start.saturating_add(2).saturating_add(least) > self.len
                && start.saturating_add(2) <= self.len
            {
                return Err(self.error_at(DecodeErrorKind::Truncated(field), start));
            }
        }
        let len = self.u16(field)?;
        self.take_some(usize::from(len), field, start)
    }

    /// Binary Data (section 1.5.6 of MQTT 5.0; a length-prefixed field in 3.1.1): any bytes.
    /// When only part of it is present the rest is skipped and an empty placeholder returned:
    /// its content can never be wrong, and the decoder never returns a packet from an
    /// incomplete body.
    pub(crate) fn binary(&mut self, field: Field) -> Result<&'a [u8], DecodeError> {
        match self.prefixed(field)? {
            Piece::Whole(bytes) => Ok(bytes),
            Piece::Part(_) => Ok(&[]),
        }
    }

    /// A length-prefixed field that must be exactly `expected` (a protocol name): `true`
    /// when it is. A different length, or a byte present that differs, is `false` at once.
    pub(crate) fn literal(&mut self, field: Field, expected: &[u8]) -> Result<bool, DecodeError> {
        let start = self.pos;
        match self.prefixed(field)? {
            Piece::Whole(bytes) => Ok(bytes == expected),
            Piece::Part(part) => {
                let len = self.pos.saturating_sub(start).saturating_sub(2);
                if len == expected.len() && expected.starts_with(part) {
                    Err(self.need_more(field, start))
                } else {
                    Ok(false)
                }
            }
        }
    }

    /// A UTF-8 encoded string (section 1.5.3). Of a string only partly present, the bytes
    /// present are checked: one that already breaks a rule is refused now.
    pub(crate) fn string(&mut self, field: Field) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        let data_start = start.saturating_add(2);
        match self.prefixed(field)? {
            Piece::Whole(bytes) => text::validate(bytes, self.reject_disallowed)
                .map_err(|e| self.text_error(e, field, data_start)),
            Piece::Part(part) => Err(
                match text::validate_prefix(
                    part,
                    self.pos.saturating_sub(data_start),
                    self.reject_disallowed,
                ) {
                    Err(e) => self.text_error(e, field, data_start),
                    Ok(()) => self.need_more(field, start),
                },
            ),
        }
    }

    /// [`string`](Self::string) for a string kept as bytes: checked the same way, without
    /// making it a `&str` (an ASCII string needs no UTF-8 decoding).
    pub(crate) fn skip_string(&mut self, field: Field) -> Result<(), DecodeError> {
        let start = self.pos;
        let data_start = start.saturating_add(2);
        match self.prefixed(field)? {
            Piece::Whole(bytes) => text::check(bytes, self.reject_disallowed)
                .map_err(|e| self.text_error(e, field, data_start)),
            Piece::Part(part) => Err(
                match text::validate_prefix(
                    part,
                    self.pos.saturating_sub(data_start),
                    self.reject_disallowed,
                ) {
                    Err(e) => self.text_error(e, field, data_start),
                    Ok(()) => self.need_more(field, start),
                },
            ),
        }
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
        self.topic_filter().map(|_| ())
    }

    /// [`skip_topic_filter`](Self::skip_topic_filter), returning the filter's bytes.
    pub(crate) fn topic_filter(&mut self) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let bytes = match self.prefixed(Field::TopicFilter)? {
            Piece::Whole(bytes) => bytes,
            Piece::Part(part) => {
                return Err(self.topic_prefix_error(
                    part,
                    start,
                    Field::TopicFilter,
                    topic::check_filter,
                ))
            }
        };
        if !bytes.is_empty()
            && !scan::ascii_text_needs_checks(bytes, self.reject_disallowed)
            && scan::wildcards_in_place(bytes)
        {
            return Ok(bytes);
        }
        self.check_topic(bytes, start, Field::TopicFilter, topic::check_filter)
            .map(str::as_bytes)
    }

    /// A topic name that MQTT 5.0 lets be empty (a PUBLISH whose Topic Alias stands for it).
    pub(crate) fn topic_name_or_empty(&mut self, field: Field) -> Result<&'a str, DecodeError> {
        self.topic(field, |bytes| {
            if bytes.is_empty() {
                Ok(())
            } else {
                topic::check_name(bytes)
            }
        })
    }

    /// How many bytes of the declared body are left after the current position.
    pub(crate) fn left(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }

    /// The byte at the current position, when present and inside the declared body.
    pub(crate) fn peek(&self) -> Option<u8> {
        if self.pos < self.len {
            self.body.get(self.pos).copied()
        } else {
            None
        }
    }

    /// A string that must also pass the topic rules in `check`. Where the string rules and
    /// the topic rules are both broken, the error names the first offending byte.
    fn topic(
        &mut self,
        field: Field,
        check: fn(&[u8]) -> Result<(), TopicError>,
    ) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        match self.prefixed(field)? {
            Piece::Whole(bytes) => self.check_topic(bytes, start, field, check),
            Piece::Part(part) => Err(self.topic_prefix_error(part, start, field, check)),
        }
    }

    /// The checks of [`check_topic`](Self::check_topic) on `part`, the bytes present of a
    /// topic whose length prefix is at `start`: the error of a byte present that already
    /// breaks a rule, whatever follows, else "need more". Every error found here is one the
    /// whole topic gives too: an incomplete UTF-8 sequence at the end is not yet an error, and
    /// a wildcard's place is judged only by the bytes present around it (a `+` or `#` that is
    /// the last byte present is not yet misplaced); see `topic::check_filter`.
    fn topic_prefix_error(
        &mut self,
        part: &[u8],
        start: usize,
        field: Field,
        check: fn(&[u8]) -> Result<(), TopicError>,
    ) -> DecodeError {
        let data_start = start.saturating_add(2);
        let declared = self.pos.saturating_sub(data_start);
        let text = text::validate_prefix(part, declared, self.reject_disallowed).err();
        // The topic is longer than the part present, so it is not empty.
        let topic = if part.is_empty() {
            None
        } else {
            check(part).err().or_else(|| {
                // A `#` that is not the topic's last byte is misplaced whatever follows (and
                // in a topic name any `#` already failed above).
                match part.split_last() {
                    Some((b'#', _)) if part.len() < declared => {
                        Some(TopicError::MultiLevel(part.len().saturating_sub(1)))
                    }
                    _ => None,
                }
            })
        };
        match (text, topic) {
            (Some(e), Some(t)) if e.index() <= t.index() => self.text_error(e, field, data_start),
            (Some(e), None) => self.text_error(e, field, data_start),
            (_, Some(t)) => self.topic_error(t, field, data_start),
            (None, None) => self.need_more(field, start),
        }
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

    /// Everything left in the body (as far as it is present).
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.body.get(self.pos..).unwrap_or(&[]);
        self.pos = self.len;
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
