//! Property tests for MQTT 5.0: for every packet type, with random property sets (every
//! property the packet allows, User Properties repeated, several Subscription Identifiers in
//! PUBLISH, Authentication Data beside its method), any packet the public constructors accept
//! encodes to `encoded_len()` bytes and decodes back equal using all of them; every strict
//! prefix of the encoding is "need more bytes", with the exact count once the fixed header is
//! complete; and a stream of packets decodes one by one, and comes out of a `StreamDecoder`
//! cut into random chunks as the same packets. The checks are the harness both versions share
//! (`testkit::round_trip_harness!`, in `testkit/src/round_trip.rs`); the packets and their
//! properties are this file's.
//!
//! Which property each packet allows and which reason codes each lists are written here from
//! the standard (Table 2-4; sections 3.2.2.2 to 3.15.2.1), not read from the codec.

use std::num::NonZeroU16;

use mqtt_wire::v5::{
    self, Ack, Connack, Connect, ListAck, Notice, Packet, Properties, Property, PropertyId,
    Publish, ReasonCode, RetainHandling, Subscribe, Subscription, SubscriptionOptions, Unsubscribe,
    Will,
};
use mqtt_wire::{Delivery, PacketType as T, QoS, TopicFilter, TopicName};
use proptest::prelude::*;

testkit::round_trip_harness!(v5, text: 12, topic_name: 16, topic_filter: (3 levels of 6));
use round_trip::{packet_id, qos, text, topic_filter, topic_name};

/// A property value, owned.
#[derive(Debug, Clone)]
enum Val {
    Int(u32),
    Text(String),
    Bin(Vec<u8>),
    Pair(String, String),
}

/// A property block, owned: identifiers and values in wire order.
type Props = Vec<(PropertyId, Val)>;

/// Owned data for one packet; `build` borrows a packet from it.
#[derive(Debug, Clone)]
enum Spec {
    Connect {
        client_id: String,
        clean_start: bool,
        keep_alive: u16,
        props: Props,
        will: Option<(Props, String, Vec<u8>, QoS, bool)>,
        username: Option<String>,
        password: Option<Vec<u8>>,
    },
    Connack(bool, u8, Props),
    Publish {
        topic: String,
        qos: QoS,
        id: NonZeroU16,
        retain: bool,
        dup: bool,
        props: Props,
        payload: Vec<u8>,
    },
    Ack(T, NonZeroU16, u8, Props),
    Subscribe(NonZeroU16, Props, Vec<(String, SubscriptionOptions)>),
    ListAck(T, NonZeroU16, Props, Vec<u8>),
    Unsubscribe(NonZeroU16, Props, Vec<String>),
    Empty(T),
    Notice(T, u8, Props),
}

/// Table 2-4: where each property may appear (`None`: the Will Properties).
fn allowed(place: Option<T>) -> &'static [PropertyId] {
    use PropertyId as I;
    match place {
        None => &[
            I::PayloadFormatIndicator,
            I::MessageExpiryInterval,
            I::ContentType,
            I::ResponseTopic,
            I::CorrelationData,
            I::WillDelayInterval,
            I::UserProperty,
        ],
        Some(T::Connect) => &[
            I::SessionExpiryInterval,
            I::ReceiveMaximum,
            I::MaximumPacketSize,
            I::TopicAliasMaximum,
            I::RequestResponseInformation,
            I::RequestProblemInformation,
            I::UserProperty,
            I::AuthenticationMethod,
            I::AuthenticationData,
        ],
        Some(T::Connack) => &[
            I::SessionExpiryInterval,
            I::ReceiveMaximum,
            I::MaximumQoS,
            I::RetainAvailable,
            I::MaximumPacketSize,
            I::AssignedClientIdentifier,
            I::TopicAliasMaximum,
            I::ReasonString,
            I::UserProperty,
            I::WildcardSubscriptionAvailable,
            I::SubscriptionIdentifierAvailable,
            I::SharedSubscriptionAvailable,
            I::ServerKeepAlive,
            I::ResponseInformation,
            I::ServerReference,
            I::AuthenticationMethod,
            I::AuthenticationData,
        ],
        Some(T::Publish) => &[
            I::PayloadFormatIndicator,
            I::MessageExpiryInterval,
            I::TopicAlias,
            I::ResponseTopic,
            I::CorrelationData,
            I::UserProperty,
            I::SubscriptionIdentifier,
            I::ContentType,
        ],
        Some(T::Subscribe) => &[I::SubscriptionIdentifier, I::UserProperty],
        Some(T::Unsubscribe) => &[I::UserProperty],
        Some(T::Disconnect) => &[
            I::SessionExpiryInterval,
            I::ReasonString,
            I::UserProperty,
            I::ServerReference,
        ],
        Some(T::Auth) => &[
            I::AuthenticationMethod,
            I::AuthenticationData,
            I::ReasonString,
            I::UserProperty,
        ],
        Some(T::Pingreq | T::Pingresp) => &[],
        // PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK.
        Some(_) => &[I::ReasonString, I::UserProperty],
    }
}

/// The reason codes each packet's table lists.
fn codes(packet: T) -> &'static [u8] {
    match packet {
        T::Connack => &[
            0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90,
            0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
        ],
        T::Puback | T::Pubrec => &[0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
        T::Pubrel | T::Pubcomp => &[0x00, 0x92],
        T::Suback => &[
            0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
        ],
        T::Unsuback => &[0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91],
        T::Disconnect => &[
            0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93,
            0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1,
            0xA2,
        ],
        T::Auth => &[0x00, 0x18, 0x19],
        _ => &[],
    }
}

fn code(packet: T) -> impl Strategy<Value = u8> {
    prop::sample::select(codes(packet))
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..24)
}

/// A value `id`'s definition allows (section 3's definition of each property).
fn value(id: PropertyId) -> BoxedStrategy<Val> {
    use PropertyId as I;
    match id {
        I::PayloadFormatIndicator
        | I::RequestProblemInformation
        | I::RequestResponseInformation
        | I::MaximumQoS
        | I::RetainAvailable
        | I::WildcardSubscriptionAvailable
        | I::SubscriptionIdentifierAvailable
        | I::SharedSubscriptionAvailable => (0u32..=1).prop_map(Val::Int).boxed(),
        I::ReceiveMaximum | I::TopicAlias => (1u32..=0xFFFF).prop_map(Val::Int).boxed(),
        I::ServerKeepAlive | I::TopicAliasMaximum => (0u32..=0xFFFF).prop_map(Val::Int).boxed(),
        I::MaximumPacketSize => (1u32..=u32::MAX).prop_map(Val::Int).boxed(),
        // Message Expiry Interval 0 is legal (section 3.3.2.3.3).
        I::MessageExpiryInterval | I::SessionExpiryInterval | I::WillDelayInterval => {
            any::<u32>().prop_map(Val::Int).boxed()
        }
        // Variable Byte Integers of one to four bytes.
        I::SubscriptionIdentifier => prop_oneof![
            1u32..=127,
            128u32..=16_383,
            16_384u32..=2_097_151,
            2_097_152u32..=268_435_455
        ]
        .prop_map(Val::Int)
        .boxed(),
        I::ResponseTopic => topic_name().prop_map(Val::Text).boxed(),
        I::CorrelationData | I::AuthenticationData => bytes().prop_map(Val::Bin).boxed(),
        I::UserProperty => (text(), text()).prop_map(|(k, v)| Val::Pair(k, v)).boxed(),
        _ => text().prop_map(Val::Text).boxed(),
    }
}

/// A property set for `place`: up to ten draws from its table, a single property kept once
/// (its first draw), User Properties and (in PUBLISH) Subscription Identifiers as often as
/// drawn, and an Authentication Method added where Authentication Data came alone.
fn props(place: Option<T>) -> BoxedStrategy<Props> {
    let table = allowed(place);
    if table.is_empty() {
        return Just(Vec::new()).boxed();
    }
    let one = prop::sample::select(table).prop_flat_map(|id| (Just(id), value(id)));
    prop::collection::vec(one, 0..10)
        .prop_map(move |drawn| {
            let mut out: Props = Vec::new();
            for (id, v) in drawn {
                let repeats = id == PropertyId::UserProperty
                    || (id == PropertyId::SubscriptionIdentifier && place == Some(T::Publish));
                if repeats || !out.iter().any(|(i, _)| *i == id) {
                    out.push((id, v));
                }
            }
            let has = |id| out.iter().any(|(i, _)| *i == id);
            if has(PropertyId::AuthenticationData) && !has(PropertyId::AuthenticationMethod) {
                out.push((PropertyId::AuthenticationMethod, Val::Text("m".into())));
            }
            out
        })
        .boxed()
}

/// The property `id` with value `v`.
fn property(id: PropertyId, v: &Val) -> Property<'_> {
    use Property as P;
    use PropertyId as I;
    match (id, v) {
        (I::PayloadFormatIndicator, Val::Int(n)) => P::PayloadFormatIndicator(*n as u8),
        (I::MessageExpiryInterval, Val::Int(n)) => P::MessageExpiryInterval(*n),
        (I::ContentType, Val::Text(s)) => P::ContentType(s),
        (I::ResponseTopic, Val::Text(s)) => P::ResponseTopic(s),
        (I::CorrelationData, Val::Bin(b)) => P::CorrelationData(b),
        (I::SubscriptionIdentifier, Val::Int(n)) => P::SubscriptionIdentifier(*n),
        (I::SessionExpiryInterval, Val::Int(n)) => P::SessionExpiryInterval(*n),
        (I::AssignedClientIdentifier, Val::Text(s)) => P::AssignedClientIdentifier(s),
        (I::ServerKeepAlive, Val::Int(n)) => P::ServerKeepAlive(*n as u16),
        (I::AuthenticationMethod, Val::Text(s)) => P::AuthenticationMethod(s),
        (I::AuthenticationData, Val::Bin(b)) => P::AuthenticationData(b),
        (I::RequestProblemInformation, Val::Int(n)) => P::RequestProblemInformation(*n as u8),
        (I::WillDelayInterval, Val::Int(n)) => P::WillDelayInterval(*n),
        (I::RequestResponseInformation, Val::Int(n)) => P::RequestResponseInformation(*n as u8),
        (I::ResponseInformation, Val::Text(s)) => P::ResponseInformation(s),
        (I::ServerReference, Val::Text(s)) => P::ServerReference(s),
        (I::ReasonString, Val::Text(s)) => P::ReasonString(s),
        (I::ReceiveMaximum, Val::Int(n)) => P::ReceiveMaximum(*n as u16),
        (I::TopicAliasMaximum, Val::Int(n)) => P::TopicAliasMaximum(*n as u16),
        (I::TopicAlias, Val::Int(n)) => P::TopicAlias(*n as u16),
        (I::MaximumQoS, Val::Int(n)) => P::MaximumQoS(*n as u8),
        (I::RetainAvailable, Val::Int(n)) => P::RetainAvailable(*n as u8),
        (I::UserProperty, Val::Pair(k, v)) => P::UserProperty(k, v),
        (I::MaximumPacketSize, Val::Int(n)) => P::MaximumPacketSize(*n),
        (I::WildcardSubscriptionAvailable, Val::Int(n)) => {
            P::WildcardSubscriptionAvailable(*n as u8)
        }
        (I::SubscriptionIdentifierAvailable, Val::Int(n)) => {
            P::SubscriptionIdentifierAvailable(*n as u8)
        }
        (I::SharedSubscriptionAvailable, Val::Int(n)) => P::SharedSubscriptionAvailable(*n as u8),
        other => unreachable!("no value of this shape: {other:?}"),
    }
}

fn list(props: &Props) -> Vec<Property<'_>> {
    props.iter().map(|(id, v)| property(*id, v)).collect()
}

fn options() -> impl Strategy<Value = SubscriptionOptions> {
    let handling = prop_oneof![
        Just(RetainHandling::OnSubscribe),
        Just(RetainHandling::OnNewSubscribe),
        Just(RetainHandling::Never)
    ];
    (qos(), any::<bool>(), any::<bool>(), handling).prop_map(|(qos, nl, rap, rh)| {
        SubscriptionOptions {
            qos,
            no_local: nl,
            retain_as_published: rap,
            retain_handling: rh,
        }
    })
}

/// A subscription: a plain filter, or a shared one (`$share/{name}/{filter}`, No Local off:
/// `MQTT-3.8.3-4`).
fn subscription() -> impl Strategy<Value = (String, SubscriptionOptions)> {
    prop_oneof![
        3 => (topic_filter(), options()),
        1 => ("[^\u{0}+#/]{1,6}", topic_filter(), options()).prop_map(|(name, f, mut o)| {
            o.no_local = false;
            (format!("$share/{name}/{f}"), o)
        }),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let ack = prop::sample::select(&[T::Puback, T::Pubrec, T::Pubrel, T::Pubcomp][..]);
    let list_ack = prop::sample::select(&[T::Suback, T::Unsuback][..]);
    let notice = prop::sample::select(&[T::Disconnect, T::Auth][..]);
    prop_oneof![
        (
            (text(), any::<bool>(), any::<u16>(), props(Some(T::Connect))),
            prop::option::of((props(None), topic_name(), bytes(), qos(), any::<bool>())),
            prop::option::of(text()),
            prop::option::of(bytes()),
        )
            .prop_map(
                |((client_id, clean_start, keep_alive, props), will, u, p)| {
                    Spec::Connect {
                        client_id,
                        clean_start,
                        keep_alive,
                        props,
                        will,
                        username: u,
                        password: p,
                    }
                }
            ),
        (any::<bool>(), code(T::Connack), props(Some(T::Connack)))
            .prop_map(|(sp, code, props)| Spec::Connack(sp && code == 0, code, props)),
        (
            (topic_name(), any::<bool>(), qos(), packet_id()),
            (any::<bool>(), any::<bool>()),
            props(Some(T::Publish)),
            prop::collection::vec(any::<u8>(), 0..200),
        )
            .prop_map(|((topic, empty, qos, id), (retain, dup), props, payload)| {
                let alias = props.iter().any(|(i, _)| *i == PropertyId::TopicAlias);
                Spec::Publish {
                    // An empty topic stands for the one the Topic Alias maps (3.3.2.3.4).
                    topic: if empty && alias { String::new() } else { topic },
                    dup: dup && qos != QoS::AtMostOnce,
                    qos,
                    id,
                    retain,
                    props,
                    payload,
                }
            }),
        ack.prop_flat_map(|t| (Just(t), packet_id(), code(t), props(Some(t))))
            .prop_map(|(t, id, c, p)| Spec::Ack(t, id, c, p)),
        (
            packet_id(),
            props(Some(T::Subscribe)),
            prop::collection::vec(subscription(), 1..5)
        )
            .prop_map(|(id, p, s)| Spec::Subscribe(id, p, s)),
        list_ack
            .prop_flat_map(|t| (
                Just(t),
                packet_id(),
                props(Some(t)),
                prop::collection::vec(code(t), 1..8)
            ))
            .prop_map(|(t, id, p, c)| Spec::ListAck(t, id, p, c)),
        (
            packet_id(),
            props(Some(T::Unsubscribe)),
            prop::collection::vec(topic_filter(), 1..5)
        )
            .prop_map(|(id, p, f)| Spec::Unsubscribe(id, p, f)),
        prop::sample::select(&[T::Pingreq, T::Pingresp][..]).prop_map(Spec::Empty),
        notice
            .prop_flat_map(|t| (Just(t), code(t), props(Some(t))))
            .prop_map(|(t, c, p)| Spec::Notice(t, c, p)),
    ]
}

/// Builds the packet through the public constructors, which must accept it, and checks the
/// encoders, `encoded_len`, and that decoding gives it back from all the bytes. Returns the
/// encoding.
fn check_and_encode(spec: &Spec) -> Vec<u8> {
    // Owned pieces the packet borrows live here.
    let (props, will_props): (Vec<Property<'_>>, Vec<Property<'_>>);
    let subscriptions: Vec<Subscription<'_>>;
    let filters: Vec<TopicFilter<'_>>;
    let reason_codes: Vec<ReasonCode>;
    let rc = |t, c| ReasonCode::new(t, c).expect("a code of the table");
    let packet: Packet<'_> = match spec {
        Spec::Connect {
            client_id,
            clean_start,
            keep_alive,
            props: p,
            will,
            username,
            password,
        } => {
            props = list(p);
            let mut c = Connect::new(
                client_id,
                *clean_start,
                *keep_alive,
                Properties::new(&props),
            )
            .unwrap();
            if let Some((wp, topic, message, qos, retain)) = will {
                will_props = list(wp);
                let topic = TopicName::new(topic).unwrap();
                let props = Properties::new(&will_props);
                let will = Will::new(props, topic, message, *qos, *retain).unwrap();
                c = c.with_will(will).unwrap();
            }
            if let Some(username) = username {
                c = c.with_username(username).unwrap();
            }
            // A password without a user name is allowed in 5.0 (section 3.1.2.9).
            if let Some(password) = password {
                c = c.with_password(password).unwrap();
            }
            Packet::Connect(c)
        }
        Spec::Connack(sp, code, p) => {
            props = list(p);
            let connack = Connack::new(*sp, rc(T::Connack, *code), Properties::new(&props));
            Packet::Connack(connack.unwrap())
        }
        Spec::Publish {
            topic,
            qos,
            id,
            retain,
            dup,
            props: p,
            payload,
        } => {
            props = list(p);
            let delivery = match qos {
                QoS::AtMostOnce => Delivery::AtMostOnce,
                QoS::AtLeastOnce => Delivery::AtLeastOnce(*id),
                QoS::ExactlyOnce => Delivery::ExactlyOnce(*id),
            };
            let publish = Publish::new(topic, delivery, Properties::new(&props), payload)
                .unwrap()
                .with_retain(*retain)
                .with_dup(*dup)
                .unwrap();
            Packet::Publish(publish)
        }
        Spec::Ack(t, id, code, p) => {
            props = list(p);
            let ack = Ack::new(*t, *id, rc(*t, *code), Properties::new(&props)).unwrap();
            match t {
                T::Puback => Packet::Puback(ack),
                T::Pubrec => Packet::Pubrec(ack),
                T::Pubrel => Packet::Pubrel(ack),
                _ => Packet::Pubcomp(ack),
            }
        }
        Spec::Subscribe(id, p, items) => {
            props = list(p);
            subscriptions = items
                .iter()
                .map(|(f, o)| Subscription::new(TopicFilter::new(f).unwrap(), *o).unwrap())
                .collect();
            let subscribe = Subscribe::new(*id, Properties::new(&props), &subscriptions);
            Packet::Subscribe(subscribe.unwrap())
        }
        Spec::ListAck(t, id, p, c) => {
            props = list(p);
            reason_codes = c.iter().map(|c| rc(*t, *c)).collect();
            let ack = ListAck::new(*t, *id, Properties::new(&props), &reason_codes).unwrap();
            if *t == T::Suback {
                Packet::Suback(ack)
            } else {
                Packet::Unsuback(ack)
            }
        }
        Spec::Unsubscribe(id, p, items) => {
            props = list(p);
            filters = items.iter().map(|f| TopicFilter::new(f).unwrap()).collect();
            let unsubscribe = Unsubscribe::new(*id, Properties::new(&props), &filters);
            Packet::Unsubscribe(unsubscribe.unwrap())
        }
        Spec::Empty(T::Pingreq) => Packet::Pingreq,
        Spec::Empty(_) => Packet::Pingresp,
        Spec::Notice(t, code, p) => {
            props = list(p);
            let notice = Notice::new(*t, rc(*t, *code), Properties::new(&props)).unwrap();
            if *t == T::Disconnect {
                Packet::Disconnect(notice)
            } else {
                Packet::Auth(notice)
            }
        }
    };

    let buf = round_trip::check(packet);
    // Properties come back in the order they were given, repeats included.
    let (decoded, _) = v5::decode(&buf).unwrap().complete().unwrap();
    let given: Vec<Property<'_>> = properties_of(&packet).iter().collect();
    let got: Vec<Property<'_>> = properties_of(&decoded).iter().collect();
    assert_eq!(got, given);
    buf
}

/// The packet's own property block (not the Will Properties).
fn properties_of<'a>(packet: &Packet<'a>) -> Properties<'a> {
    match packet {
        Packet::Connect(p) => p.properties(),
        Packet::Connack(p) => p.properties(),
        Packet::Publish(p) => p.properties(),
        Packet::Puback(p) | Packet::Pubrec(p) | Packet::Pubrel(p) | Packet::Pubcomp(p) => {
            p.properties()
        }
        Packet::Subscribe(p) => p.properties(),
        Packet::Suback(p) | Packet::Unsuback(p) => p.properties(),
        Packet::Unsubscribe(p) => p.properties(),
        Packet::Disconnect(p) | Packet::Auth(p) => p.properties(),
        Packet::Pingreq | Packet::Pingresp => Properties::EMPTY,
    }
}

// The property tests, 2,000 cases each (`testkit/src/round_trip.rs`):
// `every_valid_5_0_packet_round_trips`, `every_strict_prefix_needs_more_bytes`,
// `a_stream_of_packets_decodes_one_by_one`, `a_stream_in_random_chunks_gives_the_same_packets`.
testkit::round_trip_properties! {
    cases: 2000,
    packets: spec(),
    check: check_and_encode,
    round_trips: every_valid_5_0_packet_round_trips,
}

/// Every property each packet (and the Will) allows, all in one block: User Property twice,
/// and in PUBLISH three Subscription Identifiers of different lengths.
#[test]
fn every_property_each_packet_allows_round_trips_in_one_block() {
    let sample = |id: PropertyId| -> Vec<(PropertyId, Val)> {
        let v = match id {
            PropertyId::ReceiveMaximum | PropertyId::TopicAlias => Val::Int(7),
            PropertyId::MaximumPacketSize => Val::Int(1 << 20),
            PropertyId::SubscriptionIdentifier => Val::Int(200),
            PropertyId::ResponseTopic => Val::Text("re/ply".into()),
            PropertyId::CorrelationData | PropertyId::AuthenticationData => Val::Bin(vec![1, 2]),
            PropertyId::UserProperty => {
                return vec![
                    (id, Val::Pair("k".into(), "1".into())),
                    (id, Val::Pair("k".into(), "2".into())),
                ]
            }
            PropertyId::ContentType
            | PropertyId::AssignedClientIdentifier
            | PropertyId::AuthenticationMethod
            | PropertyId::ResponseInformation
            | PropertyId::ServerReference
            | PropertyId::ReasonString => Val::Text("s".into()),
            // Byte, Two Byte and Four Byte properties: 1 is allowed for each.
            _ => Val::Int(1),
        };
        vec![(id, v)]
    };
    let all =
        |place: Option<T>| -> Props { allowed(place).iter().flat_map(|&id| sample(id)).collect() };
    let mut publish_props = all(Some(T::Publish));
    publish_props.push((PropertyId::SubscriptionIdentifier, Val::Int(1)));
    publish_props.push((PropertyId::SubscriptionIdentifier, Val::Int(268_435_455)));
    let id = NonZeroU16::new(9).unwrap();
    let specs = [
        Spec::Connect {
            client_id: "c".into(),
            clean_start: true,
            keep_alive: 30,
            props: all(Some(T::Connect)),
            will: Some((all(None), "w".into(), b"m".to_vec(), QoS::AtLeastOnce, true)),
            username: None,
            password: Some(b"p".to_vec()),
        },
        Spec::Connack(false, 0x87, all(Some(T::Connack))),
        Spec::Publish {
            topic: String::new(),
            qos: QoS::ExactlyOnce,
            id,
            retain: true,
            dup: true,
            props: publish_props,
            payload: b"body".to_vec(),
        },
        Spec::Ack(T::Puback, id, 0x10, all(Some(T::Puback))),
        Spec::Ack(T::Pubrec, id, 0x91, all(Some(T::Pubrec))),
        Spec::Ack(T::Pubrel, id, 0x92, all(Some(T::Pubrel))),
        Spec::Ack(T::Pubcomp, id, 0x00, all(Some(T::Pubcomp))),
        Spec::Subscribe(
            id,
            all(Some(T::Subscribe)),
            vec![(
                "$share/g/a/#".into(),
                SubscriptionOptions::new(QoS::ExactlyOnce),
            )],
        ),
        Spec::ListAck(T::Suback, id, all(Some(T::Suback)), vec![0x02, 0xA1]),
        Spec::Unsubscribe(id, all(Some(T::Unsubscribe)), vec!["a/+".into()]),
        Spec::ListAck(T::Unsuback, id, all(Some(T::Unsuback)), vec![0x11]),
        Spec::Empty(T::Pingreq),
        Spec::Empty(T::Pingresp),
        Spec::Notice(T::Disconnect, 0x04, all(Some(T::Disconnect))),
        Spec::Notice(T::Auth, 0x18, all(Some(T::Auth))),
    ];
    let mut counted = 0;
    for spec in &specs {
        let bytes = check_and_encode(spec);
        let (packet, _) = v5::decode(&bytes).unwrap().complete().unwrap();
        counted += properties_of(&packet).iter().count();
    }
    // Table 2-4's count for each packet, plus the second User Property in each block (and two
    // more Subscription Identifiers in PUBLISH): CONNECT 9 + 1, CONNACK 17 + 1, PUBLISH
    // 8 + 1 + 2, the four acknowledgements, SUBACK and UNSUBACK 2 + 1 each, SUBSCRIBE 2 + 1,
    // UNSUBSCRIBE 1 + 1, DISCONNECT 4 + 1, AUTH 4 + 1.
    assert_eq!(counted, 10 + 18 + 11 + 6 * 3 + 3 + 2 + 5 + 5);
}

#[test]
fn the_largest_property_strings_round_trip() {
    // 65,535-byte Reason String and User Property key and value: the two-byte length's limit.
    let long = "x".repeat(65_535);
    check_and_encode(&Spec::Notice(
        T::Disconnect,
        0x80,
        vec![
            (PropertyId::ReasonString, Val::Text(long.clone())),
            (PropertyId::UserProperty, Val::Pair(long.clone(), long)),
        ],
    ));
}
