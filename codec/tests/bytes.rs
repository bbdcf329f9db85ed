//! The `bytes` feature: packets that share the input buffer, and encoding into `BufMut`.
//! Expected bytes are written by hand from the specification.

use std::num::NonZeroU16;

use bytes::{BufMut, Bytes, BytesMut};
use mqtt_wire::v311::{BytesPacket, Decoder, Delivery, OwnedPacket, Packet, Publish};
use mqtt_wire::{EncodeError, Needed, Status, TopicName};

/// PUBLISH QoS 2, id 0x0102, topic "t/1", payload "payload"; then PINGRESP.
const WIRE: &[u8] = &[
    0x34, 0x0E, 0x00, 0x03, b't', b'/', b'1', 0x01, 0x02, b'p', b'a', b'y', b'l', b'o', b'a', b'd',
    0xD0, 0x00,
];

fn inside(inner: &[u8], outer: &[u8]) -> bool {
    let (start, end) = (
        outer.as_ptr() as usize,
        outer.as_ptr() as usize + outer.len(),
    );
    let (a, b) = (
        inner.as_ptr() as usize,
        inner.as_ptr() as usize + inner.len(),
    );
    start <= a && b <= end
}

#[test]
fn decoded_packets_share_the_receive_buffer() {
    let mut buf = BytesMut::with_capacity(64);
    buf.extend_from_slice(WIRE);
    // Where the received bytes live, before the packet is split off.
    let received = buf.as_ptr() as usize;
    let received = (received, received + WIRE.len());

    let decoder = Decoder::new();
    let packet = decoder
        .decode_bytes_mut(&mut buf)
        .unwrap()
        .complete()
        .unwrap();
    let Packet::Publish(publish) = packet.packet() else {
        panic!("not a PUBLISH")
    };
    assert_eq!(publish.topic().as_str(), "t/1");
    assert_eq!(publish.packet_id(), NonZeroU16::new(0x0102));
    assert_eq!(publish.payload(), b"payload");
    // No copy: the payload, borrowed or as Bytes, is the 7 bytes at offset 9 of the buffer.
    let payload = packet.payload().unwrap();
    assert_eq!(payload.as_ptr() as usize, received.0 + 9);
    assert_eq!(publish.payload().as_ptr() as usize, received.0 + 9);
    assert!(payload.as_ptr() as usize + payload.len() <= received.1);
    assert!(inside(&payload, packet.as_bytes()));

    // The PINGRESP stays in the buffer, then comes out the same way.
    assert_eq!(&buf[..], [0xD0, 0x00]);
    let pingresp = decoder
        .decode_bytes_mut(&mut buf)
        .unwrap()
        .complete()
        .unwrap();
    assert_eq!(pingresp.packet(), Packet::Pingresp);
    assert_eq!(pingresp.as_bytes().as_ptr() as usize, received.0 + 16);
    assert_eq!(pingresp.payload(), None);
    assert!(buf.is_empty());
}

#[test]
fn decoding_from_bytes_shares_the_allocation_too() {
    let input = Bytes::copy_from_slice(WIRE);
    let mut rest = input.clone();
    let packet = Decoder::new()
        .decode_bytes(&mut rest)
        .unwrap()
        .complete()
        .unwrap();
    assert!(inside(packet.as_bytes(), &input));
    assert_eq!(packet.as_bytes().as_ptr(), input.as_ptr());
    assert_eq!(packet.payload().unwrap().as_ptr(), input[9..].as_ptr());
    assert_eq!(rest, Bytes::from_static(&[0xD0, 0x00]));
    // Three packets in a row, then "need more" for a lone first byte.
    let mut three = Bytes::from_static(&[0xC0, 0x00, 0xC0, 0x00, 0xC0, 0x00, 0xC0]);
    for _ in 0..3 {
        let p = Decoder::new().decode_bytes(&mut three).unwrap();
        assert_eq!(
            p.complete().map(|p| p.packet() == Packet::Pingreq),
            Some(true)
        );
    }
    assert_eq!(
        Decoder::new().decode_bytes(&mut three),
        Ok(Status::Partial(Needed::Unknown))
    );
}

#[test]
fn converts_between_the_owned_forms() {
    let mut input = Bytes::copy_from_slice(WIRE);
    let packet = Decoder::new()
        .decode_bytes(&mut input)
        .unwrap()
        .complete()
        .unwrap();
    let owned: OwnedPacket = packet.clone().into();
    assert_eq!(owned.as_bytes(), &WIRE[..16]);
    assert_eq!(BytesPacket::from(&owned), packet);
    assert_eq!(BytesPacket::from(owned.packet()), packet);
    assert_eq!(
        packet.to_string(),
        "PUBLISH topic=\"t/1\" qos=2 packet_id=258 retain=false dup=false payload=7 bytes"
    );
}

fn publish() -> Packet<'static> {
    let topic = TopicName::new("t/1").unwrap();
    let id = NonZeroU16::new(0x0102).unwrap();
    Packet::Publish(Publish::new(topic, Delivery::ExactlyOnce(id), b"payload").unwrap())
}

#[test]
fn encodes_into_any_buf_mut() {
    let packet = publish();
    let mut bytes_mut = BytesMut::new();
    assert_eq!(packet.encode_to_buf(&mut bytes_mut), Ok(16));
    assert_eq!(&bytes_mut[..], &WIRE[..16]);

    // Appends after what is there.
    let mut vec = vec![0xAA];
    assert_eq!(Packet::Pingresp.encode_to_buf(&mut vec), Ok(2));
    assert_eq!(vec, [0xAA, 0xD0, 0x00]);

    // A chain of two small slices, split in the middle of the topic.
    let (mut a, mut b) = ([0u8; 5], [0u8; 11]);
    let mut chain = (&mut a[..]).chain_mut(&mut b[..]);
    assert_eq!(packet.encode_to_buf(&mut chain), Ok(16));
    assert_eq!(a, WIRE[..5]);
    assert_eq!(b, WIRE[5..16]);
}

#[test]
fn a_buf_mut_without_room_is_left_untouched() {
    let packet = publish();
    let mut out = [0xEEu8; 15];
    let mut slice = &mut out[..];
    assert_eq!(
        packet.encode_to_buf(&mut slice),
        Err(EncodeError::BufferTooSmall {
            needed: 16,
            available: 15
        })
    );
    assert_eq!(slice.len(), 15, "the cursor did not move");
    assert_eq!(out, [0xEE; 15]);

    // A limited BytesMut: room for 3 bytes of a 4-byte PUBACK.
    let mut limited = BytesMut::new().limit(3);
    let puback = Packet::Puback(mqtt_wire::v311::Puback::new(NonZeroU16::MIN));
    assert!(puback.encode_to_buf(&mut limited).is_err());
    assert!(limited.get_ref().is_empty());
}

#[test]
fn a_bytes_packet_gives_back_its_frame_and_prints_like_the_packet() {
    let mut input = Bytes::from_static(WIRE);
    let packet: BytesPacket = Decoder::new()
        .decode_bytes(&mut input)
        .unwrap()
        .complete()
        .unwrap();
    // 0x34: PUBLISH, QoS 2, neither DUP nor RETAIN; packet identifier 0x0102.
    assert_eq!(
        format!("{packet:?}"),
        "Publish(Publish { topic: TopicName(\"t/1\"), delivery: ExactlyOnce(258), \
         payload: [112, 97, 121, 108, 111, 97, 100], dup: false, retain: false })"
    );
    assert_eq!(
        packet.to_string(),
        "PUBLISH topic=\"t/1\" qos=2 packet_id=258 retain=false dup=false payload=7 bytes"
    );
    assert_eq!(packet.into_bytes(), &WIRE[..16]);
    assert_eq!(input, &WIRE[16..]);
}
