//! The small conveniences of the public API: standard traits, defaults and accessors that
//! the packet tests do not reach on their way.

use std::num::{NonZeroU16, NonZeroUsize};

use mqtt_wire::v311::{self, Decoder, OwnedPacket, Packet, StreamDecoder, Subscription};
use mqtt_wire::{Needed, PacketType, QoS, Status, TopicFilter, TopicName};

#[test]
fn the_default_decoder_has_no_size_limit_and_allows_control_characters() {
    // A PUBLISH header declaring the largest Remaining Length (268,435,455: FF FF FF 7F):
    // no limit below the protocol's own, so it waits for the body.
    let largest = [0x30, 0xFF, 0xFF, 0xFF, 0x7F];
    assert_eq!(
        Decoder::default().decode(&largest),
        Ok(Status::Partial(Needed::Exactly(
            NonZeroUsize::new(268_435_455).unwrap()
        )))
    );
    // A PUBLISH to "a\x01" (a control character): accepted unless asked otherwise.
    let control = [0x30, 0x04, 0x00, 0x02, b'a', 0x01];
    let (packet, used) = Decoder::default()
        .decode(&control)
        .unwrap()
        .complete()
        .unwrap();
    assert_eq!(used, 6);
    assert!(matches!(packet, Packet::Publish(p) if p.topic().as_str() == "a\u{1}"));
}

#[test]
fn a_partial_status_has_no_complete_value() {
    let partial = v311::decode(&[0x30]).unwrap();
    assert!(partial.is_partial());
    assert_eq!(partial.complete(), None);
    let needs_two = v311::decode(&[0x30, 0x04, 0x00, 0x01]).unwrap();
    assert_eq!(
        needs_two,
        Status::Partial(Needed::Exactly(NonZeroUsize::new(2).unwrap()))
    );
}

#[test]
fn names_and_topics_print_as_themselves() {
    assert_eq!(PacketType::Unsubscribe.to_string(), "UNSUBSCRIBE");
    assert_eq!(PacketType::Pingreq.to_string(), "PINGREQ");
    assert_eq!(TopicName::new("a/b").unwrap().to_string(), "a/b");
    assert_eq!(TopicFilter::new("a/+/#").unwrap().to_string(), "a/+/#");
}

#[test]
fn lists_know_their_length_and_iterate_by_value_and_by_reference() {
    // SUBSCRIBE id 10: "a" QoS 1, "b/#" QoS 2.
    let bytes = [
        0x82, 0x0C, 0x00, 0x0A, 0x00, 0x01, b'a', 0x01, 0x00, 0x03, b'b', b'/', b'#', 0x02,
    ];
    let (packet, _) = v311::decode(&bytes).unwrap().complete().unwrap();
    let Packet::Subscribe(subscribe) = packet else {
        panic!("{packet:?}")
    };
    let from_wire = subscribe.subscriptions();
    let items = [
        Subscription::new(TopicFilter::new("a").unwrap(), QoS::AtLeastOnce),
        Subscription::new(TopicFilter::new("b/#").unwrap(), QoS::ExactlyOnce),
    ];
    let built = v311::Subscribe::new(NonZeroU16::new(10).unwrap(), &items).unwrap();
    for list in [from_wire, built.subscriptions()] {
        assert_eq!((list.len(), list.is_empty()), (2, false));
        let mut iter = list.iter();
        assert_eq!(iter.size_hint(), (2, Some(2)));
        iter.next();
        assert_eq!(iter.size_hint(), (1, Some(1)));
        let by_ref: Vec<_> = (&list).into_iter().map(|s| s.filter.as_str()).collect();
        let by_value: Vec<_> = list.into_iter().map(|s| s.qos).collect();
        assert_eq!(by_ref, ["a", "b/#"]);
        assert_eq!(by_value, [QoS::AtLeastOnce, QoS::ExactlyOnce]);
    }
}

#[test]
fn an_owned_packet_converts_from_and_prints_like_the_borrowed_one() {
    let bytes = [0x40, 0x02, 0x00, 0x05];
    let (packet, _) = v311::decode(&bytes).unwrap().complete().unwrap();
    let owned = OwnedPacket::from(packet);
    assert_eq!(owned.as_bytes(), bytes);
    assert_eq!(format!("{owned:?}"), "Puback(Puback { packet_id: 5 })");
    assert_eq!(owned.to_string(), "PUBACK packet_id=5");
}

#[test]
fn a_stream_decoder_needs_nothing_once_a_packet_or_an_error_is_buffered() {
    let mut stream = StreamDecoder::new(Decoder::new());
    assert_eq!(stream.needed(), Some(Needed::Unknown));
    // A PUBACK's header: two more bytes complete it.
    stream.extend(&[0x40, 0x02]);
    assert_eq!(
        stream.needed(),
        Some(Needed::Exactly(NonZeroUsize::new(2).unwrap()))
    );
    stream.extend(&[0x00, 0x05]);
    // A whole PUBACK is buffered: nothing more is needed to make progress.
    assert_eq!(stream.needed(), None);
    assert!(matches!(stream.next_packet(), Ok(Some(Packet::Puback(_)))));
    // Type 0 is reserved: an error, not a wait for more bytes.
    stream.extend(&[0x00]);
    assert_eq!(stream.needed(), None);
    assert!(stream.next_packet().is_err());
}
