//! Hex text: the test kit's parser and formatter, used for `hex` sends and for showing the
//! bytes that came.

pub use testkit::hex::{format, parse};
