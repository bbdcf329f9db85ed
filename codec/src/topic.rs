//! Topic names and topic filters (section 4.7).

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use core::fmt;

use crate::error::{EncodeError, Field};

/// Why a topic was refused, and the index of the offending byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TopicError {
    /// Zero length (MQTT-4.7.3-1).
    Empty,
    /// U+0000 (MQTT-4.7.3-2).
    Null(usize),
    /// `+` or `#` in a topic name (MQTT-4.7.1-1, MQTT-3.3.2-2).
    Wildcard(usize),
    /// `#` not alone in the last level (MQTT-4.7.1-2).
    MultiLevel(usize),
    /// `+` not alone in its level (MQTT-4.7.1-3).
    SingleLevel(usize),
}

impl TopicError {
    /// The index of the offending byte (0 for an empty topic).
    pub(crate) fn index(self) -> usize {
        match self {
            TopicError::Empty => 0,
            TopicError::Null(i)
            | TopicError::Wildcard(i)
            | TopicError::MultiLevel(i)
            | TopicError::SingleLevel(i) => i,
        }
    }

    pub(crate) fn into_encode_error(self, field: Field) -> EncodeError {
        match self {
            TopicError::Empty => EncodeError::EmptyTopic(field),
            TopicError::Null(_) => EncodeError::NullCharacter(field),
            TopicError::Wildcard(_) => EncodeError::WildcardInTopicName(field),
            TopicError::MultiLevel(_) => EncodeError::MisplacedMultiLevelWildcard,
            TopicError::SingleLevel(_) => EncodeError::MisplacedSingleLevelWildcard,
        }
    }
}

/// Checks the rules of a topic name. They concern ASCII bytes only (`+`, `#`, U+0000), which
/// never occur inside a multi-byte UTF-8 sequence, so they are checked on the raw bytes.
pub(crate) fn check_name(bytes: &[u8]) -> Result<(), TopicError> {
    // MQTT-4.7.3-1
    if bytes.is_empty() {
        return Err(TopicError::Empty);
    }
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            // MQTT-4.7.3-2
            0 => return Err(TopicError::Null(index)),
            // MQTT-4.7.1-1, MQTT-3.3.2-2
            b'+' | b'#' => return Err(TopicError::Wildcard(index)),
            _ => {}
        }
    }
    Ok(())
}

/// Checks the rules of a topic filter on its raw bytes (see [`check_name`]).
pub(crate) fn check_filter(bytes: &[u8]) -> Result<(), TopicError> {
    // MQTT-4.7.3-1
    if bytes.is_empty() {
        return Err(TopicError::Empty);
    }
    let mut level_start = 0usize;
    let mut levels = bytes.split(|&b| b == b'/').peekable();
    while let Some(level) = levels.next() {
        let is_last = levels.peek().is_none();
        for (i, &byte) in level.iter().enumerate() {
            let index = level_start.saturating_add(i);
            match byte {
                // MQTT-4.7.3-2
                0 => return Err(TopicError::Null(index)),
                // MQTT-4.7.1-2: alone in its level, and that level the last.
                b'#' if level.len() != 1 || !is_last => return Err(TopicError::MultiLevel(index)),
                // MQTT-4.7.1-3: a whole level.
                b'+' if level.len() != 1 => return Err(TopicError::SingleLevel(index)),
                _ => {}
            }
        }
        level_start = level_start.saturating_add(level.len()).saturating_add(1);
    }
    Ok(())
}

/// A topic name: the topic a PUBLISH (or a will) is sent to.
///
/// Valid by construction: UTF-8, 1 to 65,535 bytes, no U+0000, no wildcard characters
/// (`MQTT-4.7.1-1`, `MQTT-4.7.3-1`, `MQTT-4.7.3-2`, `MQTT-4.7.3-3`).
///
/// `Display` writes the topic exactly as it is, control characters included, so it can be
/// used to build text; for a log line use `{:?}` (escaped and quoted) or the packet's
/// `Display`, which escapes every string a peer sent.
///
/// ```
/// use mqtt_wire::{EncodeError, Field, TopicName};
///
/// assert_eq!(TopicName::new("sensors/42/temp")?.as_str(), "sensors/42/temp");
/// assert_eq!(
///     TopicName::new("sensors/+/temp"),
///     Err(EncodeError::WildcardInTopicName(Field::TopicName))
/// );
/// assert_eq!(TopicName::new(""), Err(EncodeError::EmptyTopic(Field::TopicName)));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicName<'a>(&'a str);

impl<'a> TopicName<'a> {
    /// Checks `name` against the rules of a topic name.
    ///
    /// ```
    /// use mqtt_wire::TopicName;
    ///
    /// assert!(TopicName::new("/leading/slash/is/fine").is_ok());
    /// assert!(TopicName::new("no\0nul").is_err());
    /// ```
    pub fn new(name: &'a str) -> Result<Self, EncodeError> {
        crate::text::check_len(name.as_bytes(), Field::TopicName)?;
        check_name(name.as_bytes()).map_err(|e| e.into_encode_error(Field::TopicName))?;
        Ok(TopicName(name))
    }

    /// Wraps text the decoder has already checked.
    pub(crate) const fn checked(name: &'a str) -> Self {
        TopicName(name)
    }

    /// The topic as text.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl fmt::Display for TopicName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A topic filter: what a SUBSCRIBE or UNSUBSCRIBE names, perhaps with wildcards.
///
/// Valid by construction: UTF-8, 1 to 65,535 bytes, no U+0000, `#` only alone in the last
/// level, `+` only as a whole level (`MQTT-4.7.1-2`, `MQTT-4.7.1-3`, `MQTT-4.7.3-1` to `-3`).
///
/// `Display` writes the filter exactly as it is; see [`TopicName`] for logging.
///
/// ```
/// use mqtt_wire::{EncodeError, TopicFilter};
///
/// assert_eq!(TopicFilter::new("sensors/+/temp")?.as_str(), "sensors/+/temp");
/// assert!(TopicFilter::new("#").is_ok());
/// assert_eq!(TopicFilter::new("a/#/b"), Err(EncodeError::MisplacedMultiLevelWildcard));
/// assert_eq!(TopicFilter::new("a+"), Err(EncodeError::MisplacedSingleLevelWildcard));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicFilter<'a>(&'a str);

impl<'a> TopicFilter<'a> {
    /// Checks `filter` against the rules of a topic filter.
    ///
    /// ```
    /// use mqtt_wire::TopicFilter;
    ///
    /// assert!(TopicFilter::new("+/+/#").is_ok());
    /// assert!(TopicFilter::new("a/b#").is_err());
    /// ```
    pub fn new(filter: &'a str) -> Result<Self, EncodeError> {
        crate::text::check_len(filter.as_bytes(), Field::TopicFilter)?;
        check_filter(filter.as_bytes()).map_err(|e| e.into_encode_error(Field::TopicFilter))?;
        Ok(TopicFilter(filter))
    }

    /// Wraps text the decoder has already checked.
    pub(crate) const fn checked(filter: &'a str) -> Self {
        TopicFilter(filter)
    }

    /// The filter as text.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl fmt::Display for TopicFilter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_topic_names() {
        for name in [
            "a",
            "/",
            "a/b",
            "/a/",
            "sport/tennis/player1",
            "\u{1f600}",
            "a b",
        ] {
            assert_eq!(check_name(name.as_bytes()), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn rejects_wildcards_in_topic_names() {
        assert_eq!(check_name(b"a/+"), Err(TopicError::Wildcard(2)));
        assert_eq!(check_name(b"#"), Err(TopicError::Wildcard(0)));
        assert_eq!(check_name(b"a+b"), Err(TopicError::Wildcard(1)));
        assert_eq!(check_name(b""), Err(TopicError::Empty));
        assert_eq!(check_name(b"a\0"), Err(TopicError::Null(1)));
    }

    #[test]
    fn accepts_wildcards_in_their_places() {
        for filter in [
            "#",
            "+",
            "a/#",
            "+/+",
            "/+",
            "+/",
            "a/+/b",
            "+/#",
            "/#",
            "//",
            "sport/tennis/#",
        ] {
            assert_eq!(check_filter(filter.as_bytes()), Ok(()), "{filter:?}");
        }
    }

    #[test]
    fn rejects_misplaced_wildcards() {
        assert_eq!(check_filter(b"a#"), Err(TopicError::MultiLevel(1)));
        assert_eq!(check_filter(b"#/a"), Err(TopicError::MultiLevel(0)));
        assert_eq!(check_filter(b"a/#/"), Err(TopicError::MultiLevel(2)));
        assert_eq!(check_filter(b"##"), Err(TopicError::MultiLevel(0)));
        assert_eq!(check_filter(b"a+"), Err(TopicError::SingleLevel(1)));
        assert_eq!(check_filter(b"+a"), Err(TopicError::SingleLevel(0)));
        assert_eq!(check_filter(b"a/b+/c"), Err(TopicError::SingleLevel(3)));
        assert_eq!(check_filter(b"++"), Err(TopicError::SingleLevel(0)));
        assert_eq!(check_filter(b""), Err(TopicError::Empty));
        assert_eq!(check_filter(b"a/\0"), Err(TopicError::Null(2)));
    }

    #[test]
    fn constructors_report_the_rule() {
        assert_eq!(
            TopicName::new("a/#"),
            Err(EncodeError::WildcardInTopicName(Field::TopicName))
        );
        assert_eq!(
            TopicFilter::new("a#"),
            Err(EncodeError::MisplacedMultiLevelWildcard)
        );
        assert_eq!(
            TopicFilter::new("").map(|f| f.as_str()),
            Err(EncodeError::EmptyTopic(Field::TopicFilter))
        );
        let long = "a".repeat(65_536);
        assert_eq!(
            TopicName::new(&long),
            Err(EncodeError::TooLong(Field::TopicName))
        );
        assert_eq!(
            TopicName::new(&long[1..]).map(|t| t.as_str().len()),
            Ok(65_535)
        );
    }
}
