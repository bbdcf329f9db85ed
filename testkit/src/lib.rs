//! Small generators shared by the tests of the workspace, written once: the deterministic
//! pseudo-random generator ([`XorShift64`]), packet byte builders and the Remaining Length
//! written and read without the codec ([`wire`]), hex ([`hex`]), the loop of the codec's
//! mutation tests and the early-rejection property, for both versions ([`mutation`],
//! [`early`]), the round-trip harness of both versions' property tests ([`round_trip`]), and
//! the host programs some tests run, found or installed, or the test skipped outside CI
//! ([`host`]).
//!
//! Dev-only: the codec's integration tests (`codec/tests/`) and the conformance crate (a
//! development tool: its `hex` module is this one's, and its tests draw from [`XorShift64`])
//! use it; nothing a user builds depends on it. It depends on nothing, the codec included, so that a
//! test can hold the codec against bytes the codec did not make.
//!
//! # The copies that stay, and why
//!
//! - `oracle/src/lib.rs` reads the fixed header itself (`declared_remaining_length`,
//!   `declared_frame_len`): the oracle judges the codec for the fuzz targets and must not share
//!   code with what the tests use to build inputs; its independence is the point.
//! - `differential/src/inputs.rs` (xorshift, its own Remaining Length writer) and the hex of
//!   `differential/src/main.rs`: the checker is its own workspace, built against an old copy of
//!   the codec extracted from any past commit, and its inputs for a seed must stay the same
//!   whatever this crate becomes.
//! - `codec/src/scan.rs` (xorshift) and `codec/src/v311/connect.rs` (`connect_with`): unit
//!   tests inside the library, left as they are while `codec/src/` is being refactored. They
//!   could use this crate (it does not depend on the codec, so no second copy of the codec's
//!   types arises).
//! - `codec/src/v311/serde.rs` (`from_hex`): part of the library's `serde` feature, not a test.
//! - `adapters/rust/src/lib.rs` (`from_hex`): the adapters are programs of their own workspace
//!   that speak the adapter protocol for other implementations.
//! - `conformance/src/run.rs` (`with_remaining_length`) builds the runner's own variants of a
//!   vector's bytes and returns an error past the four-byte limit, which a test builder need not.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod early;
pub mod hex;
pub mod host;
pub mod mutation;
pub mod round_trip;
pub mod wire;

/// xorshift64 (Marsaglia, shifts 13, 7, 17): a deterministic generator, so that a test draws
/// the same inputs on every run and a failure can be replayed. Not for anything but tests.
#[derive(Debug, Clone)]
pub struct XorShift64 {
    state: u64,
}

impl XorShift64 {
    /// A generator from `seed`. A zero seed would give zeros for ever, so it is refused.
    pub fn new(seed: u64) -> XorShift64 {
        assert_ne!(seed, 0, "xorshift64 needs a non-zero seed");
        XorShift64 { state: seed }
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_gives_the_published_sequence() {
        // Worked out by hand with Python's integers masked to 64 bits (x ^= x << 13;
        // x ^= x >> 7; x ^= x << 17), not by this code.
        let mut rng = XorShift64::new(1);
        assert_eq!(rng.next_u64(), 0x0000_0000_4082_2041);
        assert_eq!(rng.next_u64(), 0x1000_4106_0C01_1441);
        let mut rng = XorShift64::new(0x9E37_79B9_7F4A_7C15);
        // The seed of the codec's mutation test.
        assert_eq!(rng.next_u64(), 0xDC1B_77AE_0BF3_4DAD);
    }

    #[test]
    #[should_panic(expected = "non-zero seed")]
    fn refuses_a_zero_seed() {
        XorShift64::new(0);
    }
}
