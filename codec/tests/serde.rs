//! The `serde` feature (tests follow).
