//! Any packet the public constructors accept (built by the codec's `Arbitrary`) encodes,
//! decodes back equal, and every strict prefix of its encoding is "need more bytes".
#![no_main]

libfuzzer_sys::fuzz_target!(|packet: mqtt_wire::v311::OwnedPacket| oracle::check_built(&packet));
