//! The conformance suite: loads the golden vectors under `vectors/`, lints them and runs them
//! against the codec.
//!
//! Not written yet: the vectors, their format and this runner are the subject of the
//! conformance issue. Until then the crate only links the codec, and
//! `cargo xtask conformance` says that it has nothing to run.
