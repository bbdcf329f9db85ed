//! The mutation loop of the codec's mutation tests (`codec/tests/mutation.rs` for 3.1.1,
//! `codec/tests/v5_mutation.rs` for 5.0), written once: corrupt valid packets
//! deterministically (random bytes, edge bytes, flipped bits, deletions, insertions; half the
//! time with a one-byte Remaining Length patched to fit) and hold the decoder to its promises
//! on each result.
//!
//! The loop does not know the codec (this crate depends on nothing): each test hands it a
//! function that decodes bytes with its version and reports an [`Outcome`] in plain terms
//! (the re-encoding, the printed forms). The promises:
//!
//! - whatever decodes re-encodes to exactly the bytes it used, reports that length as its
//!   `encoded_len`, prints on one line, comes back equal from its owned copy, and every strict
//!   prefix of it is "need more bytes", with the exact count once the fixed header is whole;
//! - whatever is refused is refused with the same error on every prefix that is not still
//!   "need more bytes" (the error depends on the bytes, not on how they arrive);
//! - nothing panics.

use core::fmt::Debug;
use core::num::NonZeroUsize;

use crate::wire::header_len;
use crate::XorShift64;

/// A packet decoded from some bytes, described without the codec's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The bytes the decoder used.
    pub used: usize,
    /// The packet encoded again.
    pub encoded: Vec<u8>,
    /// The packet's `encoded_len()`.
    pub encoded_len: usize,
    /// The packet's `Display` and `Debug` output.
    pub shown: String,
    /// Whether the packet's owned copy gives back an equal packet.
    pub owned_equal: bool,
}

/// What a decoder made of some bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<E> {
    /// Need more bytes: exactly this many, or `None` when the count is not known yet.
    Partial(Option<NonZeroUsize>),
    /// A packet.
    Complete(Decoded),
    /// An error.
    Refused(E),
}

/// The inputs of a mutation run: which packets to corrupt, how, and how often.
#[derive(Debug, Clone, Copy)]
pub struct Mutation<'a> {
    /// Valid packets, whole (each must decode completely, using all its bytes).
    pub seeds: &'a [Vec<u8>],
    /// The bytes a corruption favours (besides random ones).
    pub edge_bytes: &'a [u8],
    /// The generator's seed: the same inputs on every run.
    pub rng_seed: u64,
    /// How many corrupted inputs to try.
    pub cases: usize,
}

/// How the corrupted inputs fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Inputs that decoded to a packet.
    pub accepted: usize,
    /// Inputs that were refused.
    pub refused: usize,
}

/// The [`Outcome`] of a version's decoder (a `mqtt_wire::v311::Decoder` or
/// `mqtt_wire::v5::Decoder`, with its options), as a closure for [`run`] and
/// [`check_prefixes`](crate::early::check_prefixes): written once for both versions.
///
/// A macro, not a function: this crate does not depend on the codec, and the codec's paths in
/// it are resolved where it is used, in the codec's own tests.
#[macro_export]
macro_rules! decode_outcome {
    ($decoder:expr) => {
        |bytes: &[u8]| -> $crate::mutation::Outcome<mqtt_wire::DecodeError> {
            match $decoder.decode(bytes) {
                Ok(mqtt_wire::Status::Partial(mqtt_wire::Needed::Exactly(n))) => {
                    $crate::mutation::Outcome::Partial(Some(n))
                }
                Ok(mqtt_wire::Status::Partial(_)) => $crate::mutation::Outcome::Partial(None),
                Ok(mqtt_wire::Status::Complete((p, used))) => {
                    let mut encoded = Vec::new();
                    p.encode_to_vec(&mut encoded);
                    $crate::mutation::Outcome::Complete($crate::mutation::Decoded {
                        used,
                        encoded,
                        encoded_len: p.encoded_len(),
                        shown: format!("{p} {p:?}"),
                        owned_equal: p.to_owned_packet().packet() == p,
                    })
                }
                Err(e) => $crate::mutation::Outcome::Refused(e),
            }
        }
    };
}

/// Runs the mutation loop, panicking at the first broken promise; returns the tally.
pub fn run<E: PartialEq + Debug>(
    mutation: &Mutation<'_>,
    mut decode: impl FnMut(&[u8]) -> Outcome<E>,
) -> Tally {
    assert!(!mutation.seeds.is_empty() && !mutation.edge_bytes.is_empty());
    for seed in mutation.seeds {
        match decode(seed) {
            Outcome::Complete(d) if d.used == seed.len() => {}
            other => panic!("the seed {seed:02x?} is not a whole valid packet: {other:?}"),
        }
    }
    let seeds = mutation.seeds;
    let edge_bytes = mutation.edge_bytes;
    let mut rng = XorShift64::new(mutation.rng_seed);
    let mut rnd = move || rng.next_u64();
    let mut tally = Tally {
        accepted: 0,
        refused: 0,
    };
    for _ in 0..mutation.cases {
        let mut b = seeds[(rnd() as usize) % seeds.len()].clone();
        for _ in 0..(1 + rnd() % 3) {
            let r = rnd();
            let i = (r as usize >> 8) % b.len().max(1);
            match r % 5 {
                0 if !b.is_empty() => b[i] = rnd() as u8,
                1 if !b.is_empty() => b[i] = edge_bytes[(rnd() as usize) % edge_bytes.len()],
                2 if !b.is_empty() => b[i] ^= 1 << (rnd() % 8),
                3 if b.len() > 1 => {
                    b.remove(i);
                }
                _ => b.insert(i.min(b.len()), rnd() as u8),
            }
        }
        if rnd() % 2 == 0 && b.len() >= 2 && b.len() - 2 < 128 {
            b[1] = (b.len() - 2) as u8;
        }
        match decode(&b) {
            Outcome::Refused(error) => {
                tally.refused += 1;
                for cut in 0..b.len() {
                    match decode(&b[..cut]) {
                        Outcome::Partial(_) => {}
                        Outcome::Refused(e) if e == error => {}
                        other => {
                            panic!("{b:02x?} gives {error:?}, its prefix of {cut} gives {other:?}")
                        }
                    }
                }
            }
            Outcome::Complete(d) => {
                tally.accepted += 1;
                let used = d.used;
                assert!(
                    used <= b.len(),
                    "{} used {used} of {} bytes",
                    d.shown,
                    b.len()
                );
                assert_eq!(d.encoded, &b[..used], "{}", d.shown);
                assert_eq!(d.encoded_len, used, "{}", d.shown);
                assert!(!d.shown.contains('\n'), "{}", d.shown);
                assert!(d.owned_equal, "the owned copy of {} differs", d.shown);
                // The count is unknown exactly while the Remaining Length is incomplete.
                let header = header_len(&b).expect("a decoded packet has a whole fixed header");
                for cut in 0..used {
                    let expected = match NonZeroUsize::new(used - cut) {
                        Some(missing) if cut >= header => Some(missing),
                        _ => None,
                    };
                    assert_eq!(
                        decode(&b[..cut]),
                        Outcome::Partial(expected),
                        "prefix {:02x?} of a packet of {used} bytes",
                        &b[..cut]
                    );
                }
            }
            Outcome::Partial(_) => {}
        }
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{declared_frame_len, packet};

    /// A toy "codec" that keeps every promise: a frame is any first byte but 0xFF, a
    /// Remaining Length and a body; 0xFF is refused at once.
    fn toy(bytes: &[u8]) -> Outcome<&'static str> {
        if bytes.first() == Some(&0xFF) {
            return Outcome::Refused("reserved");
        }
        let Some(frame) = declared_frame_len(bytes) else {
            return if bytes.len() > 5 {
                Outcome::Refused("length")
            } else {
                Outcome::Partial(None)
            };
        };
        if bytes.len() < frame {
            return Outcome::Partial(NonZeroUsize::new(frame - bytes.len()));
        }
        let encoded = bytes[..frame].to_vec();
        Outcome::Complete(Decoded {
            used: frame,
            encoded_len: encoded.len(),
            shown: format!("{encoded:02x?}"),
            encoded,
            owned_equal: true,
        })
    }

    fn mutation(seeds: &[Vec<u8>]) -> Mutation<'_> {
        Mutation {
            seeds,
            edge_bytes: &[0x00, 0x80, 0xFF],
            rng_seed: 7,
            cases: 2_000,
        }
    }

    #[test]
    fn a_decoder_that_keeps_its_promises_passes_and_is_counted() {
        let seeds = [packet(0x30, &[1, 2, 3]), vec![0xC0, 0]];
        let tally = run(&mutation(&seeds), toy);
        assert!(tally.accepted > 500 && tally.refused > 20, "{tally:?}");
        assert!(tally.accepted + tally.refused <= 2_000);
    }

    #[test]
    #[should_panic(expected = "is not a whole valid packet")]
    fn refuses_a_seed_that_does_not_decode() {
        run(&mutation(&[vec![0xFF, 0]]), toy);
    }

    #[test]
    #[should_panic(expected = "its prefix of")]
    fn catches_an_error_that_a_prefix_gives_differently() {
        // Refuses a whole frame only at its end, under another name than on its prefixes.
        run(&mutation(&[packet(0x30, &[1, 2, 3])]), |b| match toy(b) {
            Outcome::Refused(_) if declared_frame_len(b).is_some_and(|f| f <= b.len()) => {
                Outcome::Refused("late")
            }
            other => other,
        });
    }

    #[test]
    #[should_panic(expected = "prefix")]
    fn catches_an_inexact_count() {
        run(&mutation(&[packet(0x30, &[1, 2, 3])]), |b| match toy(b) {
            Outcome::Partial(Some(_)) => Outcome::Partial(NonZeroUsize::new(1)),
            other => other,
        });
    }

    #[test]
    #[should_panic(expected = "assertion")]
    fn catches_a_re_encoding_that_differs() {
        run(&mutation(&[packet(0x30, &[1, 2, 3])]), |b| match toy(b) {
            Outcome::Complete(mut d) => {
                d.encoded.push(0);
                Outcome::Complete(d)
            }
            other => other,
        });
    }

    #[test]
    #[should_panic(expected = "owned copy")]
    fn catches_an_owned_copy_that_differs() {
        run(&mutation(&[packet(0x30, &[1, 2, 3])]), |b| match toy(b) {
            Outcome::Complete(mut d) => {
                d.owned_equal = false;
                Outcome::Complete(d)
            }
            other => other,
        });
    }
}
