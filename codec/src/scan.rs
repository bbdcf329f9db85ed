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

/// Eight bytes as a word; anything else (which the callers never pass) as spaces.
#[inline(always)]
fn eight(bytes: Option<&[u8]>) -> u64 {
    bytes
        .and_then(|b| b.try_into().ok())
        .map_or(SPACES, u64::from_le_bytes)
}

/// True when `flag` marks some word of `bytes`. Words may overlap (an "any" question does not
/// mind a byte seen twice); short inputs are padded with spaces, which no scan marks.
#[inline(always)]
fn any_word(bytes: &[u8], flag: impl Fn(u64) -> u64) -> bool {
    /// Four bytes in the low half of a word, spaces in the high half.
    fn four(bytes: Option<&[u8]>) -> u64 {
        bytes.and_then(|b| b.try_into().ok()).map_or(SPACES, |b| {
            u64::from(u32::from_le_bytes(b)) | (SPACES << 32)
        })
    }
    let len = bytes.len();
    let at = |start: usize| eight(bytes.get(start..start.saturating_add(8)));
    let marks = if len > 32 {
        // Every whole eight bytes, and the last eight, which cover what they leave.
        let mut marks = flag(at(len.saturating_sub(8)));
        for chunk in bytes.chunks_exact(8) {
            marks |= flag(eight(Some(chunk)));
        }
        marks
    } else if len > 16 {
        // The first sixteen and the last sixteen, overlapping: four words, no loop.
        let tail = len.saturating_sub(16);
        flag(at(0)) | flag(at(8)) | flag(at(tail)) | flag(at(tail.saturating_add(8)))
    } else if len >= 8 {
        // The first eight and the last eight, overlapping.
        flag(at(0)) | flag(at(len.saturating_sub(8)))
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
///
/// Inlined for topics of 8 to 16 bytes (two overlapping words, a dozen instructions), which
/// the call would cost as much as; other lengths are scanned out of line.
#[inline(always)]
pub(crate) fn topic_needs_checks(bytes: &[u8], reject_disallowed: bool) -> bool {
    let len = bytes.len();
    if (8..=16).contains(&len) {
        let flag = |word| topic_word(word, reject_disallowed);
        let first = eight(bytes.get(..8));
        let last = eight(bytes.get(len.saturating_sub(8)..));
        (flag(first) | flag(last)) != 0
    } else {
        topic_needs_checks_out_of_line(bytes, reject_disallowed)
    }
}

/// [`topic_needs_checks`] for every length.
#[inline(never)]
fn topic_needs_checks_out_of_line(bytes: &[u8], reject_disallowed: bool) -> bool {
    bytes.is_empty() || any_word(bytes, |w| topic_word(w, reject_disallowed))
}

/// True when a string's bytes are not all ASCII, or hold something a rule of section 1.5.3
/// looks at; false means they are well-formed UTF-8 that the string rules accept, with no
/// need for a UTF-8 check.
pub(crate) fn ascii_text_needs_checks(bytes: &[u8], reject_disallowed: bool) -> bool {
    any_word(bytes, |w| text_word(w, reject_disallowed) | (w & HIGH))
}

/// `0x80` in exactly the bytes of `word` that are `+` or `#`, and nowhere else.
const fn wildcard_marks(word: u64) -> u64 {
    let t = (word | splat(0x08)) ^ splat(b'+');
    // A byte of `t` is 0 exactly when adding 0x7F to its low seven bits leaves bit 7 clear
    // and bit 7 was clear: no carry leaves a byte.
    !((((t & !HIGH).wrapping_add(!HIGH)) | t) | !HIGH)
}

/// True when every `+` in a topic filter is a whole level and every `#` is the whole last
/// level (MQTT-4.7.1-2, MQTT-4.7.1-3); false when one is out of place. Each wildcard is found
/// eight bytes at a time and its neighbours looked at.
pub(crate) fn wildcards_in_place(bytes: &[u8]) -> bool {
    let in_place = |index: usize| {
        let before = index.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(index.saturating_add(1));
        let alone = matches!(before, None | Some(b'/')) && matches!(after, None | Some(b'/'));
        alone && (bytes.get(index) == Some(&b'+') || after.is_none())
    };
    // The wildcards of one word whose first byte is `bytes[base]`.
    let word_in_place = |base: usize, word: u64| {
        let mut marks = wildcard_marks(word);
        while marks != 0 {
            if !in_place(base.saturating_add((marks.trailing_zeros() / 8) as usize)) {
                return false;
            }
            marks &= marks.wrapping_sub(1);
        }
        true
    };
    let len = bytes.len();
    if len < 8 {
        let mut array = [b' '; 8];
        for (to, from) in array.iter_mut().zip(bytes) {
            *to = *from;
        }
        return word_in_place(0, u64::from_le_bytes(array));
    }
    // Every whole eight bytes, then the last eight (a wildcard in both is checked twice).
    let mut base = 0usize;
    for chunk in bytes.chunks_exact(8) {
        if !word_in_place(base, eight(Some(chunk))) {
            return false;
        }
        base = base.saturating_add(8);
    }
    if base < len {
        let last = len.saturating_sub(8);
        return word_in_place(last, eight(bytes.get(last..)));
    }
    true
}

// The tests build inputs by index and length arithmetic; the file's lints are for peer bytes.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    // Without `std` the crate is `no_std`, and the tests take these from `std` (linked for tests).
    use std::{string::String, vec, vec::Vec};

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
            assert_eq!(
                ascii_text_needs_checks(bytes, reject),
                !bytes.is_ascii() || text_by_bytes(bytes, reject),
                "ascii {bytes:02x?} reject={reject}"
            );
        }
    }

    #[test]
    fn one_input_of_each_length_class() {
        // Hand-picked, one clean and one marked input for each way of reading words
        // (0-3, 4-7, 8-16, 17-32, over 32 bytes); small enough for Miri.
        for len in [0, 3, 7, 11, 30, 45] {
            let clean = vec![b'a'; len];
            check(&clean);
            assert!(len == 0 || !topic_needs_checks(&clean, false));
            for marked in [0x00, b'+', b'#', 0x7F, 0xC3] {
                if len > 0 {
                    let mut bytes = clean.clone();
                    bytes[len - 1] = marked;
                    check(&bytes);
                    assert!(topic_needs_checks(&bytes, true));
                }
            }
        }
        assert!(wildcards_in_place(b"a/+/b/#"));
        assert!(!wildcards_in_place(b"a/b+/c"));
        assert!(!wildcards_in_place(b"sport/tennis/#/ranking"));
    }

    // Exhaustive: hours under Miri (`cargo xtask miri`), which runs `one_input_of_each_length_class` instead.
    #[cfg_attr(miri, ignore)]
    #[test]
    fn wildcard_places_agree_with_the_filter_rules() {
        // Every filter of up to six bytes over an alphabet with both wildcards, the
        // separator, a letter and a byte that differs from `+` and `#` in one bit only.
        let alphabet = [b'+', b'#', b'/', b'a', b'*', b'c'];
        let mut filter = Vec::new();
        let mut checked = 0;
        for len in 1..=6u32 {
            for n in 0..alphabet.len().pow(len) {
                filter.clear();
                let mut n = n;
                for _ in 0..len {
                    filter.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let expected = crate::topic::check_filter(&filter).is_ok();
                assert_eq!(
                    wildcards_in_place(&filter),
                    expected,
                    "{:?}",
                    String::from_utf8_lossy(&filter)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 6 + 36 + 216 + 1296 + 7776 + 46656);
        // Long filters, wildcards across word boundaries.
        for len in 7..40 {
            for position in 0..len {
                for wildcard in [b'+', b'#'] {
                    for slash in [false, true] {
                        let mut filter = vec![b'x'; len];
                        filter[position] = wildcard;
                        if slash {
                            if position > 0 {
                                filter[position - 1] = b'/';
                            }
                            if position + 1 < len {
                                filter[position + 1] = b'/';
                            }
                        }
                        let expected = crate::topic::check_filter(&filter).is_ok();
                        assert_eq!(wildcards_in_place(&filter), expected, "{filter:?}");
                    }
                }
            }
        }
    }

    // Exhaustive: hours under Miri (`cargo xtask miri`), which runs `one_input_of_each_length_class` instead.
    #[cfg_attr(miri, ignore)]
    #[test]
    fn every_byte_value_in_every_position_of_short_inputs() {
        for len in 0..=40 {
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

    // Exhaustive: hours under Miri (`cargo xtask miri`), which runs `one_input_of_each_length_class` instead.
    #[cfg_attr(miri, ignore)]
    #[test]
    fn random_inputs_agree_with_the_byte_loop() {
        let mut rng = testkit::XorShift64::new(0x9E37_79B9_7F4A_7C15);
        let mut next = || rng.next_u64();
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
