//! UTF-8 encoded strings (section 1.5.3).

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use crate::error::{EncodeError, Field};

/// Why string bytes were refused, and the index of the offending byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextError {
    /// Not well-formed UTF-8 (MQTT-1.5.3-1).
    InvalidUtf8(usize),
    /// U+0000 (MQTT-1.5.3-2).
    Null(usize),
    /// A control character or non-character (section 1.5.3, refused only on request).
    Disallowed(usize),
}

impl TextError {
    /// The index of the offending byte.
    pub(crate) fn index(self) -> usize {
        match self {
            TextError::InvalidUtf8(i) | TextError::Null(i) | TextError::Disallowed(i) => i,
        }
    }
}

/// Checks that `bytes` are a string MQTT allows and returns it. Where several bytes break a
/// rule, the error names the first of them.
///
/// The byte sequence `EF BB BF` is an ordinary U+FEFF and is kept where it is
/// (MQTT-1.5.3-3): nothing here strips or skips anything.
pub(crate) fn validate(bytes: &[u8], reject_disallowed: bool) -> Result<&str, TextError> {
    // Rust's UTF-8 check follows RFC 3629: it refuses encoded surrogates (U+D800-U+DFFF),
    // over-long forms and code points above U+10FFFF, as MQTT-1.5.3-1 asks.
    let (text, utf8_error) = match core::str::from_utf8(bytes) {
        Ok(text) => {
            // Fast path with the same answer: no byte is one the scan below stops at (U+0000,
            // and when refusing control characters, anything outside printable ASCII),
            // looked for eight bytes at a time instead of decoding each character.
            if !crate::scan::text_needs_checks(bytes, reject_disallowed) {
                return Ok(text);
            }
            (text, None)
        }
        // The part before the bad sequence is valid; an earlier problem there comes first.
        Err(e) => (
            bytes
                .get(..e.valid_up_to())
                .and_then(|b| core::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Some(TextError::InvalidUtf8(e.valid_up_to())),
        ),
    };
    let first_problem = text.char_indices().find_map(|(index, c)| {
        if c == '\0' {
            // MQTT-1.5.3-2
            Some(TextError::Null(index))
        } else if reject_disallowed && is_disallowed(c) {
            // Section 1.5.3, on request.
            Some(TextError::Disallowed(index))
        } else {
            None
        }
    });
    match first_problem.or(utf8_error) {
        Some(error) => Err(error),
        None => Ok(text),
    }
}

/// The checks of [`validate`] without the `&str`: for a string that is kept as bytes and
/// read back later (5.0 properties), an ASCII string with no byte the rules look at needs no
/// decoding at all.
pub(crate) fn check(bytes: &[u8], reject_disallowed: bool) -> Result<(), TextError> {
    if !crate::scan::ascii_text_needs_checks(bytes, reject_disallowed) {
        return Ok(());
    }
    validate(bytes, reject_disallowed).map(|_| ())
}

/// The checks of [`validate`] on the first bytes of a longer string: an error only where a
/// byte present already breaks a rule, whatever follows. A UTF-8 sequence cut short at the
/// end is not an error yet: Rust's check reports it with no `error_len`, having already
/// refused any byte present that no well-formed sequence can continue with (RFC 3629's
/// table: `E0` then `80`-`9F`, `ED` then `A0`-`BF`, `F0` then `80`-`8F`, `F4` then
/// `90`-`BF` are refused at their second byte).
///
/// `declared` is the whole string's length: a sequence cut short whose lead byte asks for
/// more bytes than the string has left can never be completed, so it is refused at once.
pub(crate) fn validate_prefix(
    bytes: &[u8],
    declared: usize,
    reject_disallowed: bool,
) -> Result<(), TextError> {
    let whole_characters = match core::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => {
            let at = e.valid_up_to();
            let needed = match bytes.get(at) {
                Some(0xC2..=0xDF) => 2,
                Some(0xE0..=0xEF) => 3,
                _ => 4,
            };
            let whole = bytes.get(..at).unwrap_or_default();
            if at.saturating_add(needed) > declared {
                // An earlier problem in the whole characters comes first.
                validate(whole, reject_disallowed)?;
                return Err(TextError::InvalidUtf8(at));
            }
            whole
        }
        _ => bytes,
    };
    validate(whole_characters, reject_disallowed).map(|_| ())
}

/// Section 1.5.3: control characters and non-characters that a sender should not send and a
/// receiver may refuse.
pub(crate) fn is_disallowed(c: char) -> bool {
    let cp = u32::from(c);
    matches!(cp, 0x01..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF) || (cp & 0xFFFE) == 0xFFFE
}

/// Checks a string a caller wants to send in `field`: at most 65,535 bytes, no U+0000.
pub(crate) fn check_str(text: &str, field: Field) -> Result<(), EncodeError> {
    check_len(text.as_bytes(), field)?;
    if text.as_bytes().contains(&0) {
        return Err(EncodeError::NullCharacter(field));
    }
    Ok(())
}

/// Checks that a length-prefixed field fits its two-byte length.
pub(crate) fn check_len(bytes: &[u8], field: Field) -> Result<(), EncodeError> {
    if bytes.len() > usize::from(u16::MAX) {
        return Err(EncodeError::TooLong(field));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_multibyte_utf8_of_every_length() {
        // U+00E9 (2 bytes), U+20AC (3 bytes), U+1F600 (4 bytes)
        let s = "\u{e9}\u{20ac}\u{1f600}";
        assert_eq!(validate(s.as_bytes(), true), Ok(s));
    }

    #[test]
    fn a_prefix_is_refused_only_for_bytes_that_break_a_rule_already() {
        // Cut inside a sequence: not yet an error, however it is cut.
        for s in ["\u{e9}", "\u{20ac}", "\u{1f600}", "\u{fffd}"] {
            let bytes = s.as_bytes();
            for cut in 0..bytes.len() {
                let mut prefix = std::vec::Vec::from(&b"ab"[..]);
                prefix.extend_from_slice(bytes.get(..cut).unwrap_or_default());
                assert_eq!(validate_prefix(&prefix, 64, true), Ok(()), "{prefix:02x?}");
            }
        }
        // Bytes no well-formed sequence continues with: refused at their first byte.
        for (bytes, index) in [
            (&b"a\xC0"[..], 1),
            (b"a\x80", 1),
            (b"a\xF5", 1),
            (b"a\xE0\x80", 1),
            (b"a\xED\xA0", 1),
            (b"a\xF0\x8F", 1),
            (b"a\xF4\x90", 1),
            (b"a\xC3\x41", 1),
        ] {
            assert_eq!(
                validate_prefix(bytes, 64, false),
                Err(TextError::InvalidUtf8(index)),
                "{bytes:02x?}"
            );
        }
        // U+0000 before a cut sequence, and a control character on request.
        assert_eq!(
            validate_prefix(b"a\0\xE2", 64, false),
            Err(TextError::Null(1))
        );
        assert_eq!(
            validate_prefix(b"a\x01\xE2", 64, true),
            Err(TextError::Disallowed(1))
        );
        assert_eq!(validate_prefix(b"a\x01\xE2", 64, false), Ok(()));
        // A lead byte asking for more bytes than the string has left: refused at once.
        assert_eq!(
            validate_prefix(b"a\xE2", 3, false),
            Err(TextError::InvalidUtf8(1))
        );
        assert_eq!(validate_prefix(b"a\xE2", 4, false), Ok(()));
        // A non-character is one only when its last byte is there: U+FFFE is EF BF BE.
        assert_eq!(validate_prefix(b"\xEF\xBF", 64, true), Ok(()));
        assert_eq!(
            validate_prefix(b"\xEF\xBF\xBE", 64, true),
            Err(TextError::Disallowed(0))
        );
    }

    #[test]
    fn keeps_a_byte_order_mark() {
        // MQTT-1.5.3-3: EF BB BF is U+FEFF, kept as it is.
        let bytes = b"\xEF\xBB\xBFa";
        assert_eq!(validate(bytes, true), Ok("\u{feff}a"));
    }

    #[test]
    fn rejects_encoded_surrogates() {
        // ED A0 80 would be U+D800, a surrogate (MQTT-1.5.3-1).
        assert_eq!(
            validate(b"ab\xED\xA0\x80", false),
            Err(TextError::InvalidUtf8(2))
        );
    }

    #[test]
    fn rejects_overlong_and_truncated_sequences() {
        // C0 80: an over-long U+0000.
        assert_eq!(validate(b"\xC0\x80", false), Err(TextError::InvalidUtf8(0)));
        // E2 82: the first two bytes of a three-byte sequence.
        assert_eq!(
            validate(b"x\xE2\x82", false),
            Err(TextError::InvalidUtf8(1))
        );
        // F4 90 80 80 would be U+110000, above the Unicode range.
        assert_eq!(
            validate(b"\xF4\x90\x80\x80", false),
            Err(TextError::InvalidUtf8(0))
        );
    }

    #[test]
    fn rejects_null() {
        assert_eq!(validate(b"a\x00b", false), Err(TextError::Null(1)));
    }

    #[test]
    fn names_the_first_offending_byte() {
        // U+0000 at 1 comes before the bad byte at 2.
        assert_eq!(validate(b"a\x00\xFF", false), Err(TextError::Null(1)));
        // A control character at 1 (refused on request) comes before U+0000 at 2.
        assert_eq!(validate(b"a\x01\x00", true), Err(TextError::Disallowed(1)));
        assert_eq!(validate(b"a\x01\x00", false), Err(TextError::Null(2)));
        // The bad byte at 1 comes before U+0000 at 2.
        assert_eq!(
            validate(b"a\xFF\x00", false),
            Err(TextError::InvalidUtf8(1))
        );
    }

    #[test]
    fn control_characters_pass_unless_refused() {
        // U+0001, U+007F, U+009F (C2 9F), U+FFFF (EF BF BF), U+FDD0 (EF B7 90)
        for bytes in [
            &b"a\x01"[..],
            b"a\x7F",
            b"a\xC2\x9F",
            b"a\xEF\xBF\xBF",
            b"a\xEF\xB7\x90",
        ] {
            assert!(validate(bytes, false).is_ok());
            assert_eq!(validate(bytes, true), Err(TextError::Disallowed(1)));
        }
        // U+00A0 and U+FFFD are ordinary characters.
        assert!(validate("\u{a0}\u{fffd}".as_bytes(), true).is_ok());
        // U+10FFFF is a non-character (plane 16's last two code points).
        assert!(validate("\u{10ffff}".as_bytes(), true).is_err());
    }

    #[test]
    fn encode_check_refuses_long_and_null_strings() {
        let long = "a".repeat(65_536);
        assert_eq!(
            check_str(&long, Field::ClientId),
            Err(EncodeError::TooLong(Field::ClientId))
        );
        assert_eq!(check_str(&long[1..], Field::ClientId), Ok(()));
        assert_eq!(
            check_str("a\0", Field::Username),
            Err(EncodeError::NullCharacter(Field::Username))
        );
    }
}
