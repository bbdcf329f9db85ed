//! MQTT 5.0: the same bytes cut into arbitrary chunks and fed through `StreamDecoder` give the
//! same packets and the same first error as decoding the whole buffer; and along the prefixes
//! of the first frame, "need more bytes" turns into the whole frame's error at one byte and
//! stays that error (early rejection).
#![no_main]

libfuzzer_sys::fuzz_target!(|input: (Vec<u8>, Vec<u8>)| {
    oracle::v5::check_stream(&input.0, &input.1);
    oracle::v5::check_prefixes(&input.0);
});
