//! MQTT 5.0, any bytes at all: decode gives a packet that re-encodes to exactly the bytes it
//! used, or an exact "need more bytes", or a `DecodeError` with a clause; it never panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::v5::check_decode(data));
