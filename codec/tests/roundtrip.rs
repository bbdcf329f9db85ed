//! Property tests: for every packet type, any packet the constructors accept encodes to
//! `encoded_len()` bytes, decodes back equal using all of them, and every strict prefix of
//! the encoding decodes to "need more bytes"; a stream of packets decodes one by one, and
//! through `StreamDecoder` in random chunks. The checks are the harness both versions share
//! (`testkit::round_trip_harness!`, in `testkit/src/round_trip.rs`); the packets are this file's.

use std::num::NonZeroU16;

use mqtt_wire::v311::{
    Connack, Connect, ConnectReturnCode, Delivery, Packet, Puback, Pubcomp, Publish, Pubrec,
    Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use mqtt_wire::{QoS, TopicFilter, TopicName};
use proptest::prelude::*;

testkit::round_trip_harness!(v311, text: 24, topic_name: 32, topic_filter: (4 levels of 8));
use round_trip::{packet_id, qos, text, topic_filter, topic_name};

/// Owned data for one packet; `build` borrows a packet from it.
#[derive(Debug, Clone)]
enum Spec {
    Connect {
        client_id: String,
        clean_session: bool,
        keep_alive: u16,
        will: Option<(String, Vec<u8>, QoS, bool)>,
        credentials: Option<(String, Option<Vec<u8>>)>,
    },
    Connack(bool, ConnectReturnCode),
    Publish {
        topic: String,
        qos: QoS,
        id: NonZeroU16,
        payload: Vec<u8>,
        retain: bool,
        dup: bool,
    },
    Ack(u8, NonZeroU16),
    Subscribe(NonZeroU16, Vec<(String, QoS)>),
    Suback(NonZeroU16, Vec<SubackReturnCode>),
    Unsubscribe(NonZeroU16, Vec<String>),
    Empty(u8),
}

fn return_code() -> impl Strategy<Value = ConnectReturnCode> {
    (0u8..=5).prop_map(|n| ConnectReturnCode::from_u8(n).unwrap())
}

fn suback_code() -> impl Strategy<Value = SubackReturnCode> {
    prop_oneof![
        qos().prop_map(SubackReturnCode::Granted),
        Just(SubackReturnCode::Failure)
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let bytes = || prop::collection::vec(any::<u8>(), 0..64);
    prop_oneof![
        (
            text(),
            any::<bool>(),
            any::<u16>(),
            prop::option::of((topic_name(), bytes(), qos(), any::<bool>())),
            prop::option::of((text(), prop::option::of(bytes()))),
        )
            .prop_map(
                |(client_id, clean, keep_alive, will, credentials)| Spec::Connect {
                    // An empty client id needs clean session (MQTT-3.1.3-7).
                    clean_session: clean || client_id.is_empty(),
                    client_id,
                    keep_alive,
                    will,
                    credentials,
                }
            ),
        (any::<bool>(), return_code())
            .prop_map(|(sp, rc)| Spec::Connack(sp && rc == ConnectReturnCode::Accepted, rc)),
        (
            topic_name(),
            qos(),
            packet_id(),
            prop::collection::vec(any::<u8>(), 0..300),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(topic, qos, id, payload, retain, dup)| Spec::Publish {
                dup: dup && qos != QoS::AtMostOnce,
                topic,
                qos,
                id,
                payload,
                retain,
            }),
        (4u8..=7, packet_id()).prop_map(|(t, id)| Spec::Ack(t, id)),
        (11u8..=11, packet_id()).prop_map(|(t, id)| Spec::Ack(t, id)),
        (
            packet_id(),
            prop::collection::vec((topic_filter(), qos()), 1..6)
        )
            .prop_map(|(id, s)| Spec::Subscribe(id, s)),
        (packet_id(), prop::collection::vec(suback_code(), 1..10))
            .prop_map(|(id, c)| Spec::Suback(id, c)),
        (packet_id(), prop::collection::vec(topic_filter(), 1..6))
            .prop_map(|(id, f)| Spec::Unsubscribe(id, f)),
        (12u8..=14).prop_map(Spec::Empty),
    ]
}

/// Builds the packet through the public constructors, which must accept it.
fn check_and_encode(spec: &Spec) -> Vec<u8> {
    // Items for the list packets live here, so the packet can borrow them.
    let subscriptions: Vec<Subscription<'_>>;
    let filters: Vec<TopicFilter<'_>>;
    let packet: Packet<'_> = match spec {
        Spec::Connect {
            client_id,
            clean_session,
            keep_alive,
            will,
            credentials,
        } => {
            let mut c = Connect::new(client_id, *clean_session, *keep_alive).unwrap();
            if let Some((topic, message, qos, retain)) = will {
                c = c.with_will(
                    Will::new(TopicName::new(topic).unwrap(), message, *qos, *retain).unwrap(),
                );
            }
            if let Some((username, password)) = credentials {
                c = c.with_username(username).unwrap();
                if let Some(password) = password {
                    c = c.with_password(password).unwrap();
                }
            }
            c.into()
        }
        Spec::Connack(sp, rc) => Connack::new(*sp, *rc).unwrap().into(),
        Spec::Publish {
            topic,
            qos,
            id,
            payload,
            retain,
            dup,
        } => {
            let delivery = match qos {
                QoS::AtMostOnce => Delivery::AtMostOnce,
                QoS::AtLeastOnce => Delivery::AtLeastOnce(*id),
                QoS::ExactlyOnce => Delivery::ExactlyOnce(*id),
            };
            Publish::new(TopicName::new(topic).unwrap(), delivery, payload)
                .unwrap()
                .with_retain(*retain)
                .with_dup(*dup)
                .unwrap()
                .into()
        }
        Spec::Ack(4, id) => Puback::new(*id).into(),
        Spec::Ack(5, id) => Pubrec::new(*id).into(),
        Spec::Ack(6, id) => Pubrel::new(*id).into(),
        Spec::Ack(7, id) => Pubcomp::new(*id).into(),
        Spec::Ack(_, id) => Unsuback::new(*id).into(),
        Spec::Subscribe(id, items) => {
            subscriptions = items
                .iter()
                .map(|(f, q)| Subscription::new(TopicFilter::new(f).unwrap(), *q))
                .collect();
            Subscribe::new(*id, &subscriptions).unwrap().into()
        }
        Spec::Suback(id, codes) => Suback::new(*id, codes).unwrap().into(),
        Spec::Unsubscribe(id, items) => {
            filters = items.iter().map(|f| TopicFilter::new(f).unwrap()).collect();
            Unsubscribe::new(*id, &filters).unwrap().into()
        }
        Spec::Empty(12) => Packet::Pingreq,
        Spec::Empty(13) => Packet::Pingresp,
        Spec::Empty(_) => Packet::Disconnect,
    };

    round_trip::check(packet)
}

// The property tests, 2,000 cases each (`testkit/src/round_trip.rs`):
// `every_valid_packet_round_trips`, `every_strict_prefix_needs_more_bytes`,
// `a_stream_of_packets_decodes_one_by_one`, `a_stream_in_random_chunks_gives_the_same_packets`.
testkit::round_trip_properties! {
    cases: 2000,
    packets: spec(),
    check: check_and_encode,
    round_trips: every_valid_packet_round_trips,
}

#[test]
fn the_largest_strings_round_trip() {
    // 65,535-byte topic, client id, user name and password: the two-byte length's limit.
    let long = "x".repeat(65_535);
    check_and_encode(&Spec::Connect {
        client_id: long.clone(),
        clean_session: false,
        keep_alive: u16::MAX,
        will: Some((long.clone(), vec![7; 65_535], QoS::ExactlyOnce, true)),
        credentials: Some((long.clone(), Some(vec![1; 65_535]))),
    });
    check_and_encode(&Spec::Subscribe(
        NonZeroU16::MIN,
        vec![(long.clone(), QoS::AtLeastOnce)],
    ));
}
