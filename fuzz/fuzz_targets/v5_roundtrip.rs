//! MQTT 5.0: any packet the public constructors accept (built by the codec's `Arbitrary`,
//! properties included) encodes, decodes back equal, and every strict prefix of its encoding
//! is "need more bytes".
#![no_main]

libfuzzer_sys::fuzz_target!(|packet: mqtt_wire::v5::OwnedPacket| oracle::v5::check_built(&packet));
