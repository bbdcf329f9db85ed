//! The early-rejection property of the codec's tests (`codec/tests/early_rejection.rs` for
//! 3.1.1, `codec/tests/v5_early_rejection.rs` for 5.0), written once: the bytes of an
//! incomplete frame are checked as far as they go, so a packet is refused at the byte that
//! proves it malformed, not when the frame is complete.
//!
//! For any bytes: along the prefixes of the first frame, the answers are "need more bytes"
//! (with the exact count once the Remaining Length is complete) up to some byte, the deciding
//! byte, and from there on one and the same error, the error of the whole frame. A decoder
//! that waits for the whole frame passes too (its deciding byte is the last); what makes it
//! early are each test's hand-written cases, whose deciding bytes come from the standard.
//!
//! Like [`mutation`](crate::mutation), this does not know the codec: a test hands it a
//! function that reports an [`Outcome`].

use core::fmt::Debug;

use crate::mutation::Outcome;
use crate::wire::declared_frame_len;
use crate::XorShift64;

/// Checks the property on the prefixes of `input`'s first frame and returns the deciding
/// byte's index and the error, when the bytes present hold one. Panics where it fails.
pub fn check_prefixes<E: PartialEq + Debug>(
    input: &[u8],
    mut decode: impl FnMut(&[u8]) -> Outcome<E>,
) -> Option<(usize, E)> {
    let end = declared_frame_len(input).map_or(input.len(), |frame| frame.min(input.len()));
    let mut first_error: Option<(usize, E)> = None;
    for cut in 1..=end {
        let prefix = &input[..cut];
        match (decode(prefix), &first_error) {
            (Outcome::Partial(needed), None) => match (needed, declared_frame_len(prefix)) {
                (None, None) => {}
                (Some(n), Some(frame)) => {
                    assert_eq!(n.get(), frame - cut, "inexact count for {prefix:02x?}")
                }
                (needed, frame) => {
                    panic!("{prefix:02x?}: needs {needed:?} with a declared frame of {frame:?}")
                }
            },
            (Outcome::Complete(d), None) => {
                assert_eq!(cut, end, "a packet from {prefix:02x?} before its frame ends");
                assert_eq!(d.used, cut);
            }
            (Outcome::Refused(e), None) => first_error = Some((cut - 1, e)),
            (Outcome::Refused(e), Some((_, first))) if e == *first => {}
            (other, Some((at, first))) => panic!(
                "{input:02x?}: the prefix of {} bytes gave {first:?}, the prefix of {cut} gives {other:?}",
                at + 1
            ),
        }
    }
    first_error
}

/// A corruption of `seed`: each edit is (what, where, the byte): replace, flip a bit, delete
/// or insert; with `fit_length`, a one-byte Remaining Length is patched to fit.
pub fn mutate(seed: &[u8], edits: &[(u8, usize, u8)], fit_length: bool) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(op, at, byte) in edits {
        let i = at % b.len().max(1);
        match op % 4 {
            0 if !b.is_empty() => b[i] = byte,
            1 if !b.is_empty() => b[i] ^= 1 << (byte % 8),
            2 if b.len() > 1 => {
                b.remove(i);
            }
            _ => b.insert(i.min(b.len()), byte),
        }
    }
    if fit_length && b.len() >= 2 && b.len() - 2 < 128 {
        b[1] = (b.len() - 2) as u8;
    }
    b
}

/// How many corrupted inputs [`corrupted_run`] saw refused, and how many of those before the
/// last byte of their frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Early {
    /// Inputs whose first frame was refused.
    pub refused: usize,
    /// Refused before the frame's last byte.
    pub early: usize,
}

/// Checks the property on `inputs` corruptions of `seeds` (one to three edits each, half of
/// the bytes from `edge`), the same on every run for a given `rng_seed`.
pub fn corrupted_run<E: PartialEq + Debug>(
    seeds: &[Vec<u8>],
    edge: &[u8],
    rng_seed: u64,
    inputs: usize,
    mut decode: impl FnMut(&[u8]) -> Outcome<E>,
) -> Early {
    let mut rng = XorShift64::new(rng_seed);
    let mut rnd = move || rng.next_u64();
    let mut tally = Early {
        refused: 0,
        early: 0,
    };
    for _ in 0..inputs {
        let seed = &seeds[rnd() as usize % seeds.len()];
        let edits: Vec<(u8, usize, u8)> = (0..1 + rnd() % 3)
            .map(|_| {
                let byte = if rnd() % 2 == 0 {
                    edge[rnd() as usize % edge.len()]
                } else {
                    rnd() as u8
                };
                (rnd() as u8, rnd() as usize, byte)
            })
            .collect();
        let input = mutate(seed, &edits, rnd() % 2 == 0);
        if let Some((at, _)) = check_prefixes(&input, &mut decode) {
            tally.refused += 1;
            if declared_frame_len(&input).is_some_and(|frame| at + 1 < frame) {
                tally.early += 1;
            }
        }
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::Decoded;
    use crate::wire::{header_len, packet};
    use core::num::NonZeroUsize;

    /// A toy decoder: a frame of any first byte; a body byte 0xFF is refused at once, a body
    /// byte 0xFE only when the frame is whole (late, and on a prefix "need more").
    fn toy(bytes: &[u8]) -> Outcome<&'static str> {
        let (Some(header), Some(frame)) = (header_len(bytes), declared_frame_len(bytes)) else {
            return Outcome::Partial(None);
        };
        let body = &bytes[header..frame.min(bytes.len())];
        if body.contains(&0xFF) {
            return Outcome::Refused("early");
        }
        if bytes.len() < frame {
            return Outcome::Partial(NonZeroUsize::new(frame - bytes.len()));
        }
        if body.contains(&0xFE) {
            return Outcome::Refused("late");
        }
        Outcome::Complete(Decoded {
            used: frame,
            encoded: bytes[..frame].to_vec(),
            encoded_len: frame,
            shown: String::new(),
            owned_equal: true,
        })
    }

    #[test]
    fn finds_the_deciding_byte() {
        assert_eq!(
            check_prefixes(&packet(0x30, &[1, 0xFF, 3]), toy),
            Some((3, "early"))
        );
        assert_eq!(
            check_prefixes(&packet(0x30, &[1, 0xFE, 3]), toy),
            Some((4, "late"))
        );
        assert_eq!(check_prefixes(&packet(0x30, &[1, 2, 3]), toy), None);
        // Bytes after the first frame are not looked at.
        assert_eq!(check_prefixes(&[0xC0, 0, 0xFF], toy), None);
    }

    #[test]
    #[should_panic(expected = "the prefix of")]
    fn catches_an_error_that_changes_along_the_prefixes() {
        check_prefixes(&packet(0x30, &[1, 0xFF, 0xFE]), |b| match toy(b) {
            Outcome::Refused(_) if b.len() == 5 => Outcome::Refused("other"),
            other => other,
        });
    }

    #[test]
    #[should_panic(expected = "the prefix of")]
    fn catches_an_error_that_a_longer_prefix_forgets() {
        check_prefixes(&packet(0x30, &[1, 0xFF, 3]), |b| match toy(b) {
            Outcome::Refused(_) if b.len() == 5 => Outcome::Partial(None),
            other => other,
        });
    }

    #[test]
    #[should_panic(expected = "inexact count")]
    fn catches_an_inexact_count() {
        check_prefixes(&packet(0x30, &[1, 2, 3]), |b| match toy(b) {
            Outcome::Partial(Some(_)) => Outcome::Partial(NonZeroUsize::new(9)),
            other => other,
        });
    }

    #[test]
    fn mutates_as_told() {
        let seed = [0x30, 3, 1, 2, 3];
        assert_eq!(mutate(&seed, &[(0, 2, 9)], false), [0x30, 3, 9, 2, 3]);
        assert_eq!(mutate(&seed, &[(1, 2, 1)], false), [0x30, 3, 3, 2, 3]);
        assert_eq!(mutate(&seed, &[(2, 2, 0)], true), [0x30, 2, 2, 3]);
        assert_eq!(mutate(&seed, &[(3, 7, 9)], true), [0x30, 4, 9, 1, 2, 3]);
    }

    #[test]
    fn counts_early_refusals() {
        let seeds = [packet(0x30, &[1, 2, 3, 4, 5, 6])];
        let tally = corrupted_run(&seeds, &[0xFE, 0xFF], 3, 2_000, toy);
        assert!(tally.refused > 200 && tally.early > 100, "{tally:?}");
        assert!(
            tally.early < tally.refused,
            "a late error is never early: {tally:?}"
        );
    }
}
