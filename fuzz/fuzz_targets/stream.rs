//! The same bytes cut into arbitrary chunks and fed through `StreamDecoder` give the same
//! packets and the same first error as decoding the whole buffer.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: (Vec<u8>, Vec<u8>)| oracle::check_stream(&input.0, &input.1));
