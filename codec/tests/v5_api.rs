//! The smaller parts of the 5.0 API and of the shared wrappers: options, builders, and the
//! traits an owned packet has.

use std::collections::HashSet;

use mqtt_wire::v5::{self, Decoder, ReasonCode, RetainHandling, SubscriptionOptions};
use mqtt_wire::{DecodeErrorKind, Field, PacketType, QoS};

#[test]
fn control_characters_are_refused_only_on_request() {
    // PUBLISH to "a" followed by U+0001.
    let bytes = [0x30, 0x05, 0x00, 0x02, b'a', 0x01, 0x00];
    assert!(v5::decode(&bytes).is_ok());
    let err = Decoder::new()
        .reject_control_characters(true)
        .decode(&bytes)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        DecodeErrorKind::DisallowedCodePoint(Field::TopicName)
    );
    assert_eq!(err.reason_code().map(|c| c.value()), Some(0x81));
}

#[test]
fn subscription_options_default_to_zero_beside_the_qos() {
    let o = SubscriptionOptions::new(QoS::AtLeastOnce);
    assert_eq!(
        (o.qos, o.no_local, o.retain_as_published, o.retain_handling),
        (QoS::AtLeastOnce, false, false, RetainHandling::OnSubscribe)
    );
}

#[test]
fn reason_codes_of_0x80_and_up_are_errors() {
    let granted = ReasonCode::new(PacketType::Suback, 0x01).unwrap();
    let refused = ReasonCode::new(PacketType::Suback, 0x87).unwrap();
    assert!(!granted.is_error() && refused.is_error());
    assert_eq!(refused.to_string(), "0x87");
}

#[test]
fn owned_packets_compare_hash_and_clone_by_their_bytes() {
    let a = v5::Packet::Pingreq.to_owned_packet();
    let b = a.clone();
    let c = v5::Packet::Pingresp.to_owned_packet();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let set: HashSet<_> = [a.clone(), b, c].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert_eq!(format!("{a}"), "PINGREQ");
    assert_eq!(format!("{a:?}"), "Pingreq");
    let same: v5::OwnedPacket = v5::Packet::Pingreq.into();
    assert_eq!(same, a);
}
