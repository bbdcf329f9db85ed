//! Word-at-a-time scans for the bytes the string and topic rules look at. They only answer
//! "is there any such byte?", so the common case (none) costs a few instructions per eight
//! bytes; when the answer is yes, the callers run the full, byte-by-byte rules, which find
//! the offending byte and name it.
//!
//! The tests compare every scan with a plain byte loop over every byte value in every
//! position of short inputs and over random longer ones.

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

/// A space in every byte: no scan marks it.
const SPACES: u64 = splat(b' ');
/// `0x80` in every byte.
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// `byte` in every byte.
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// Non-zero when some byte of `word` is below `n` (`n` at most 0x80). A borrow only crosses
/// into a byte above one that is itself below `n`, so the answer "some byte" is exact, even
/// though the marked positions above the first such byte may not be.
const fn any_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(splat(n)) & !word & HIGH
}

/// Non-zero when some byte of `word` is `byte`.
const fn any_equal(word: u64, byte: u8) -> u64 {
    any_below(word ^ splat(byte), 1)
}

/// Non-zero when a string rule needs a closer look at some byte of `word`: U+0000
/// (MQTT-1.5.3-2), and when control characters are refused, anything outside printable
/// ASCII (a control character, or a multi-byte character that may be one).
#[inline(always)]
fn text_word(word: u64, reject_disallowed: bool) -> u64 {
    if reject_disallowed {
        any_below(word, 0x20) | any_equal(word, 0x7F) | (word & HIGH)
    } else {
        any_below(word, 1)
    }
}

/// As [`text_word`], and also the wildcards `+` (0x2B) and `#` (0x23) of section 4.7. They
/// differ only in bit 3, so setting that bit in every byte turns both into 0x2B and no other
/// byte into it.
#[inline(always)]
fn topic_word(word: u64, reject_disallowed: bool) -> u64 {
    text_word(word, reject_disallowed) | any_equal(word | splat(0x08), b'+')
}

/// True when `flag` marks some word of `bytes`. Words may overlap (an "any" question does not
/// mind a byte seen twice); short inputs are padded with spaces, which no scan marks.
#[inline(always)]
fn any_word(bytes: &[u8], flag: impl Fn(u64) -> u64) -> bool {
    /// Eight bytes as a word; `None` (which the callers never pass) as spaces.
    fn eight(bytes: Option<&[u8]>) -> u64 {
        bytes
            .and_then(|b| b.try_into().ok())
            .map_or(SPACES, u64::from_le_bytes)
    }
    /// Four bytes in the low half of a word, spaces in the high half.
    fn four(bytes: Option<&[u8]>) -> u64 {
        bytes.and_then(|b| b.try_into().ok()).map_or(SPACES, |b| {
            u64::from(u32::from_le_bytes(b)) | (SPACES << 32)
        })
    }
    let len = bytes.len();
    let marks = if len >= 8 {
        // The first eight bytes and the last eight, which overlap when there are fewer than
        // sixteen; longer, every whole eight after the first, and the last eight cover what
        // they leave.
        let mut marks =
            flag(eight(bytes.get(..8))) | flag(eight(bytes.get(len.saturating_sub(8)..)));
        if len > 16 {
            for chunk in bytes.get(8..).unwrap_or_default().chunks_exact(8) {
                marks |= flag(eight(Some(chunk)));
            }
        }
        marks
    } else if len >= 4 {
        // Four to seven bytes: the first four and the last four, overlapping.
        let head = four(bytes.get(..4));
        let tail = four(bytes.get(len.saturating_sub(4)..));
        flag(head) | flag(tail)
    } else {
        // Up to three: the first, the middle and the last are all of them.
        let pick = |i: usize| bytes.get(i).copied().unwrap_or(b' ');
        let picked = [pick(0), pick(len / 2), pick(len.saturating_sub(1))];
        flag(u64::from_le_bytes([
            picked[0], picked[1], picked[2], b' ', b' ', b' ', b' ', b' ',
        ]))
    };
    marks != 0
}

/// True when a string's bytes hold something a rule of section 1.5.3 looks at (see
/// [`text_word`]); false means the string rules, once UTF-8 is checked, have nothing to say.
pub(crate) fn text_needs_checks(bytes: &[u8], reject_disallowed: bool) -> bool {
    any_word(bytes, |w| text_word(w, reject_disallowed))
}

/// True when a topic's bytes hold something a string or topic rule looks at, or are empty;
/// false means only the UTF-8 check is left.
pub(crate) fn topic_needs_checks(bytes: &[u8], reject_disallowed: bool) -> bool {
    bytes.is_empty() || any_word(bytes, |w| topic_word(w, reject_disallowed))
}

// The tests build inputs by index and length arithmetic; the file's lints are for peer bytes.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn text_by_bytes(bytes: &[u8], reject: bool) -> bool {
        bytes
            .iter()
            .any(|&b| b == 0 || (reject && !(0x20..0x7F).contains(&b)))
    }

    fn topic_by_bytes(bytes: &[u8], reject: bool) -> bool {
        bytes.is_empty()
            || text_by_bytes(bytes, reject)
            || bytes.iter().any(|&b| b == b'+' || b == b'#')
    }

    fn check(bytes: &[u8]) {
        for reject in [false, true] {
            assert_eq!(
                text_needs_checks(bytes, reject),
                text_by_bytes(bytes, reject),
                "text {bytes:02x?} reject={reject}"
            );
            assert_eq!(
                topic_needs_checks(bytes, reject),
                topic_by_bytes(bytes, reject),
                "topic {bytes:02x?} reject={reject}"
            );
        }
    }

    #[test]
    fn every_byte_value_in_every_position_of_short_inputs() {
        for len in 0..=20 {
            for position in 0..len {
                for value in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[position] = value;
                    check(&bytes);
                    // And beside a byte that is itself marked, for the borrows.
                    if position + 1 < len {
                        bytes[position + 1] = 0;
                        check(&bytes);
                    }
                }
            }
        }
    }

    #[test]
    fn random_inputs_agree_with_the_byte_loop() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Bytes drawn mostly from printable ASCII, sometimes from anything.
        for _ in 0..20_000 {
            let len = (next() % 70) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 50 == 0 {
                        (r >> 8) as u8
                    } else {
                        0x20 + ((r >> 8) % 0x5F) as u8
                    }
                })
                .collect();
            check(&bytes);
        }
    }
}
