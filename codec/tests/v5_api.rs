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

/// An [`v5::Ack`], [`v5::ListAck`] or [`v5::Notice`] is checked against the packet it is
/// built for; held by another packet's variant, encode checks it again against that packet,
/// so no value encodes to bytes the decoder refuses.
#[test]
fn an_acknowledgement_held_by_another_packets_variant_is_checked_again() {
    use mqtt_wire::v5::{Ack, ListAck, Notice, Packet, Properties, Property};
    use mqtt_wire::EncodeError;
    use std::num::NonZeroU16;

    let id = NonZeroU16::new(7).unwrap();
    let mut buf = [0u8; 32];
    // PUBACK's No matching subscribers (0x10) is no PUBREL reason code.
    let no_match = ReasonCode::new(PacketType::Puback, 0x10).unwrap();
    let ack = Ack::new(PacketType::Puback, id, no_match, Properties::EMPTY).unwrap();
    assert_eq!(
        Packet::Pubrel(ack).encode(&mut buf),
        Err(EncodeError::InvalidReasonCode(0x10))
    );
    assert_eq!(buf, [0; 32], "nothing is written");
    let mut out = Vec::new();
    assert_eq!(Packet::Pubrel(ack).encode_to_vec(&mut out), 0);
    assert!(out.is_empty());
    // Success is a PUBREL reason code too: that one encodes, as a PUBREL, and decodes back.
    let ok = Ack::new(
        PacketType::Puback,
        id,
        ReasonCode::SUCCESS,
        Properties::EMPTY,
    )
    .unwrap();
    assert_eq!(Packet::Pubrel(ok).encode(&mut buf), Ok(4));
    assert_eq!(buf[..4], [0x62, 0x02, 0x00, 0x07]);
    assert_eq!(
        v5::decode(&buf[..4]).unwrap().complete(),
        Some((Packet::Pubrel(ok), 4))
    );
    // SUBACK's Granted QoS 1 is no UNSUBACK reason code.
    let codes = [ReasonCode::new(PacketType::Suback, 0x01).unwrap()];
    let suback = ListAck::new(PacketType::Suback, id, Properties::EMPTY, &codes).unwrap();
    assert_eq!(
        Packet::Unsuback(suback).encode(&mut buf),
        Err(EncodeError::InvalidReasonCode(0x01))
    );
    // DISCONNECT with Will Message (0x04) is no AUTH reason code.
    let will = ReasonCode::new(PacketType::Disconnect, 0x04).unwrap();
    let notice = Notice::new(PacketType::Disconnect, will, Properties::EMPTY).unwrap();
    assert_eq!(
        Packet::Auth(notice).encode(&mut buf),
        Err(EncodeError::InvalidReasonCode(0x04))
    );
    // A DISCONNECT with a reason code alone: a form AUTH does not have.
    let normal = ReasonCode::new(PacketType::Disconnect, 0x00).unwrap();
    let short = Notice::with_form(PacketType::Disconnect, Some(normal), None).unwrap();
    assert_eq!(
        Packet::Auth(short).encode(&mut buf),
        Err(EncodeError::IllegalShortForm(PacketType::Auth))
    );
    // AUTH's Authentication Method is not a DISCONNECT property.
    let props = [Property::AuthenticationMethod("m")];
    let cont = ReasonCode::new(PacketType::Auth, 0x18).unwrap();
    let auth = Notice::new(PacketType::Auth, cont, Properties::new(&props)).unwrap();
    assert!(Packet::Disconnect(auth).encode(&mut buf).is_err());
}

#[test]
#[should_panic(expected = "does not allow")]
fn an_owned_copy_of_a_packet_that_cannot_be_encoded_is_refused_at_once() {
    use mqtt_wire::v5::{Ack, Packet, Properties};
    use std::num::NonZeroU16;

    let no_match = ReasonCode::new(PacketType::Puback, 0x10).unwrap();
    let id = NonZeroU16::new(7).unwrap();
    let ack = Ack::new(PacketType::Puback, id, no_match, Properties::EMPTY).unwrap();
    let _ = Packet::Pubrel(ack).to_owned_packet();
}
