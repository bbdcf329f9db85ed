//! An MQTT 5.0 session against a real broker, driven by `mqtt_wire::v5` over TCP.
//!
//! `cargo xtask interop` starts Mosquitto on a free port and runs these tests with
//! `MQTT_WIRE_BROKER=host:port`; plain `cargo test` lists them as ignored. Every byte the broker
//! sends is decoded by a `v5::Decoder` that knows what this client announced in its CONNECT
//! (Topic Alias Maximum, Maximum Packet Size, the client side), so a broker packet that breaks
//! a negotiated limit fails the test where it arrives. Every packet this client sends is first
//! decoded by a `v5::Decoder` configured as the server, with the limits the broker's CONNACK
//! announced, so the client never breaks them unknowingly (and the one test that breaks one on
//! purpose shows the codec and the broker agree on the reason code).
//!
//! Each check asserts what the standard requires, with the statement id (or the section, for a
//! rule without one) above it; a broker that departs from it fails the check. What the broker
//! chose where the standard leaves it a choice is printed as `broker: note: ...` lines.
//!
//! Each test uses its own client ids and topics, so they can share the broker and run in
//! parallel.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::num::NonZeroU16;
use std::time::Duration;

use mqtt_wire::v5::{
    self, Ack, Connect, Notice, OwnedPacket, Packet, Properties, Property, Publish, ReasonCode,
    RetainHandling, Role, Subscribe, Subscription, SubscriptionOptions,
};
use mqtt_wire::{
    DecodeErrorKind, Delivery, EncodeError, Needed, PacketType, QoS, Status, TopicFilter,
};

const TIMEOUT: Duration = Duration::from_secs(5);
/// What every client here announces in its CONNECT, and holds the broker to.
const TOPIC_ALIAS_MAXIMUM: u16 = 4;
const MAXIMUM_PACKET_SIZE: u32 = 64 * 1024;
const RECEIVE_MAXIMUM: u16 = 8;

fn broker() -> String {
    std::env::var("MQTT_WIRE_BROKER")
        .expect("MQTT_WIRE_BROKER=host:port is not set: run these tests with `cargo xtask interop`")
}

fn id(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("the tests use ids 1-65535")
}

fn filter(f: &str) -> TopicFilter<'_> {
    TopicFilter::new(f).expect("the tests use valid filters")
}

fn report(test: &str, checked: usize) {
    println!("broker: {test}: {checked} checks passed");
}

fn note(text: &str) {
    println!("broker: note: {text}");
}

/// What the server announced in its CONNACK (section 3.2.2.3), with the standard's value
/// for each property it left out.
#[derive(Debug, Clone)]
struct Limits {
    /// Not exercised: these tests never have more than one message in flight (MQTT-3.3.4-7).
    #[allow(dead_code)]
    receive_maximum: u16,
    maximum_qos: QoS,
    retain_available: bool,
    maximum_packet_size: Option<u32>,
    topic_alias_maximum: u16,
    wildcard_subscription_available: bool,
    subscription_identifiers_available: bool,
    shared_subscription_available: bool,
    assigned_client_identifier: Option<String>,
    /// Shown in the notes; a server that sends it sets the keep alive (MQTT-3.2.2-21).
    #[allow(dead_code)]
    server_keep_alive: Option<u16>,
}

impl Limits {
    fn from_connack(properties: Properties<'_>) -> Limits {
        Limits {
            // 3.2.2.3.3: absent means 65,535.
            receive_maximum: properties.receive_maximum().unwrap_or(u16::MAX),
            // 3.2.2.3.4: absent means QoS 2.
            maximum_qos: match properties.maximum_qos() {
                None => QoS::ExactlyOnce,
                Some(0) => QoS::AtMostOnce,
                Some(_) => QoS::AtLeastOnce,
            },
            // 3.2.2.3.5, .11, .12, .13: absent means available.
            retain_available: properties.retain_available() != Some(0),
            // 3.2.2.3.6: absent means no limit beyond the protocol's.
            maximum_packet_size: properties.maximum_packet_size(),
            // 3.2.2.3.8: absent means 0, no alias accepted.
            topic_alias_maximum: properties.topic_alias_maximum().unwrap_or(0),
            wildcard_subscription_available: properties.wildcard_subscription_available()
                != Some(0),
            subscription_identifiers_available: properties.subscription_identifier_available()
                != Some(0),
            shared_subscription_available: properties.shared_subscription_available() != Some(0),
            assigned_client_identifier: properties.assigned_client_identifier().map(Into::into),
            server_keep_alive: properties.server_keep_alive(),
        }
    }

    /// A decoder that judges what this client sends as the server said it would.
    fn server_decoder(&self) -> v5::Decoder {
        let mut decoder = v5::Decoder::new()
            .receiver(Role::Server)
            .topic_alias_maximum(self.topic_alias_maximum)
            .maximum_qos(self.maximum_qos)
            .retain_available(self.retain_available)
            .wildcard_subscription_available(self.wildcard_subscription_available)
            .subscription_identifiers_available(self.subscription_identifiers_available)
            .shared_subscription_available(self.shared_subscription_available);
        if let Some(size) = self.maximum_packet_size {
            decoder = decoder.max_packet_size(size as usize);
        }
        decoder
    }
}

/// One client of a scenario over a blocking TCP connection.
struct Client {
    name: String,
    stream: TcpStream,
    /// Bytes received and not yet decoded; always starts at a packet boundary.
    buf: Vec<u8>,
    /// Packets received while waiting for an acknowledgement, handed out first by `recv`.
    pending: VecDeque<OwnedPacket>,
    /// Judges what the broker sends: the limits this client announced.
    incoming: v5::Decoder,
    /// Judges what this client sends: the limits the broker announced.
    outgoing: v5::Decoder,
    limits: Limits,
    /// The broker's Topic Aliases towards this client (section 3.3.2.3.4).
    aliases: HashMap<u16, String>,
    /// How many PUBLISH packets the broker sent with a Topic Alias.
    aliased: usize,
    checked: usize,
}

/// The CONNECT properties every client sends.
const CONNECT_PROPERTIES: [Property<'static>; 4] = [
    Property::ReceiveMaximum(RECEIVE_MAXIMUM),
    Property::MaximumPacketSize(MAXIMUM_PACKET_SIZE),
    Property::TopicAliasMaximum(TOPIC_ALIAS_MAXIMUM),
    Property::RequestProblemInformation(1),
];

impl Client {
    /// Opens a connection; nothing sent yet.
    fn open(name: &str) -> Client {
        let addr = broker();
        let stream = TcpStream::connect(&addr)
            .unwrap_or_else(|e| panic!("{name}: cannot connect to {addr}: {e}"));
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            name: name.to_owned(),
            stream,
            buf: Vec::new(),
            pending: VecDeque::new(),
            incoming: v5::Decoder::new()
                .receiver(Role::Client)
                .topic_alias_maximum(TOPIC_ALIAS_MAXIMUM)
                .max_packet_size(MAXIMUM_PACKET_SIZE as usize),
            outgoing: v5::Decoder::new().receiver(Role::Server),
            limits: Limits::from_connack(Properties::EMPTY),
            aliases: HashMap::new(),
            aliased: 0,
            checked: 0,
        }
    }

    /// Connects with `client_id`, Clean Start 1 and the common properties; the CONNACK must
    /// accept it as a new session. Returns the client and the CONNACK.
    fn connect_as(
        name: &str,
        client_id: &str,
        properties: &[Property<'_>],
    ) -> (Client, OwnedPacket) {
        let mut client = Client::open(name);
        let connect = Connect::new(client_id, true, 30, Properties::new(properties)).unwrap();
        client.send(Packet::Connect(connect));
        let connack = client.recv();
        let Packet::Connack(ack) = connack.packet() else {
            panic!("{name}: got {connack}, expected CONNACK");
        };
        // MQTT-3.2.2-2: a connection accepted with Clean Start 1 gets Session Present 0 and
        // reason 0x00.
        assert_eq!(ack.reason_code(), ReasonCode::SUCCESS, "{name}: {connack}");
        assert!(!ack.session_present(), "{name}: {connack}");
        client.checked += 1;
        client.limits = Limits::from_connack(ack.properties());
        client.outgoing = client.limits.server_decoder();
        (client, connack)
    }

    fn connect(name: &str) -> Client {
        Client::connect_as(name, name, &CONNECT_PROPERTIES).0
    }

    /// Encodes `packet`, checks it is one the broker announced it accepts, and writes it.
    fn send(&mut self, packet: Packet<'_>) {
        let mut bytes = Vec::new();
        packet.encode_to_vec(&mut bytes);
        match self.outgoing.decode(&bytes) {
            Ok(Status::Complete((decoded, used))) if used == bytes.len() => {
                assert_eq!(
                    decoded, packet,
                    "{}: the codec reads back another packet",
                    self.name
                )
            }
            other => panic!(
                "{}: {packet} breaks what the broker announced ({:?}): {other:?}",
                self.name, self.limits
            ),
        }
        self.send_bytes(&bytes);
    }

    /// Writes bytes as they are: a packet the codec refuses to build, or one that breaks a
    /// limit on purpose.
    fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream
            .write_all(bytes)
            .unwrap_or_else(|e| panic!("{}: cannot send: {e}", self.name));
    }

    /// The next packet from the broker.
    fn recv(&mut self) -> OwnedPacket {
        match self.pending.pop_front() {
            Some(packet) => packet,
            None => self.read_packet(),
        }
    }

    /// The next packet off the connection, judged by the limits this client announced.
    fn read_packet(&mut self) -> OwnedPacket {
        loop {
            let wanted = match self.incoming.decode(&self.buf) {
                Ok(Status::Complete((packet, used))) => {
                    let packet = packet.to_owned_packet();
                    self.buf.drain(..used);
                    return packet;
                }
                Ok(Status::Partial(Needed::Exactly(n))) => n.get(),
                Ok(Status::Partial(Needed::Unknown)) => 4096,
                Err(e) => panic!(
                    "{}: the broker sent a packet the codec refuses: {e} (reason {:?}); bytes {:02x?}",
                    self.name,
                    e.reason_code().map(|c| c.value()),
                    &self.buf[..self.buf.len().min(64)]
                ),
            };
            match self.fill(wanted) {
                Ok(0) => panic!(
                    "{}: the broker closed the connection ({} bytes buffered)",
                    self.name,
                    self.buf.len()
                ),
                Ok(_) => {}
                Err(e) => panic!("{}: no packet: {e}", self.name),
            }
        }
    }

    fn fill(&mut self, wanted: usize) -> io::Result<usize> {
        let start = self.buf.len();
        self.buf.resize(start + wanted.max(4096), 0);
        let read = self.stream.read(&mut self.buf[start..]);
        self.buf.truncate(start + *read.as_ref().unwrap_or(&0));
        read
    }

    /// The broker must close the connection with nothing more sent.
    fn expect_closed(&mut self) {
        assert!(
            self.pending.is_empty(),
            "{}: unread {:?}",
            self.name,
            self.pending
        );
        let more = if self.buf.is_empty() {
            self.fill(4096)
                .unwrap_or_else(|e| panic!("{}: the broker did not close: {e}", self.name))
        } else {
            self.buf.len()
        };
        assert_eq!(
            more, 0,
            "{}: expected the broker to close the connection, got bytes {:02x?}",
            self.name, self.buf
        );
        self.checked += 1;
    }

    /// A PUBLISH from the broker, with its Topic Name resolved through the broker's aliases
    /// (section 3.3.2.3.4), after completing its flow as the receiver.
    fn recv_publish(&mut self) -> (String, OwnedPacket) {
        let got = self.recv();
        let Packet::Publish(p) = got.packet() else {
            panic!("{}: got {got}, expected a PUBLISH", self.name);
        };
        let topic = match p.properties().topic_alias() {
            None => p.topic().to_owned(),
            Some(alias) => {
                self.aliased += 1;
                if p.topic().is_empty() {
                    // 3.3.2.3.4: an alias the receiver has no mapping for is a Protocol Error.
                    self.aliases.get(&alias).cloned().unwrap_or_else(|| {
                        panic!("{}: {got} uses alias {alias}, never set", self.name)
                    })
                } else {
                    self.aliases.insert(alias, p.topic().to_owned());
                    p.topic().to_owned()
                }
            }
        };
        match p.delivery() {
            Delivery::AtMostOnce => {}
            Delivery::AtLeastOnce(pid) => {
                self.send(Packet::Puback(success(PacketType::Puback, pid)))
            }
            Delivery::ExactlyOnce(pid) => {
                self.send(Packet::Pubrec(success(PacketType::Pubrec, pid)));
                let rel = self.recv();
                assert!(
                    matches!(rel.packet(), Packet::Pubrel(a) if a.packet_id() == pid && a.reason_code() == ReasonCode::SUCCESS),
                    "{}: got {rel}, expected PUBREL {pid}",
                    self.name
                );
                self.send(Packet::Pubcomp(success(PacketType::Pubcomp, pid)));
            }
        }
        (topic, got)
    }

    /// Publishes and completes the sender's flow; the acknowledgement must carry the packet
    /// id and a success code (0x00, or 0x10 No matching subscribers: section 3.4.2.1).
    fn publish(&mut self, publish: Publish<'_>) {
        self.send(Packet::Publish(publish));
        let pid = match publish.delivery() {
            Delivery::AtMostOnce => return,
            Delivery::AtLeastOnce(pid) | Delivery::ExactlyOnce(pid) => pid,
        };
        // A message the broker forwards to this client may come before the acknowledgement
        // (MQTT orders messages per topic, section 4.6): kept for `recv`.
        let ack = loop {
            let got = self.read_packet();
            if let Packet::Publish(_) = got.packet() {
                self.pending.push_back(got);
            } else {
                break got;
            }
        };
        let (Packet::Puback(a) | Packet::Pubrec(a)) = ack.packet() else {
            panic!(
                "{}: got {ack}, expected an acknowledgement of {pid}",
                self.name
            );
        };
        assert_eq!(a.packet_id(), pid, "{}: {ack}", self.name);
        assert!(
            matches!(a.reason_code().value(), 0x00 | 0x10),
            "{}: {ack}",
            self.name
        );
        if let Delivery::ExactlyOnce(_) = publish.delivery() {
            self.send(Packet::Pubrel(success(PacketType::Pubrel, pid)));
            let comp = self.read_packet();
            assert!(
                matches!(comp.packet(), Packet::Pubcomp(c) if c.packet_id() == pid && c.reason_code() == ReasonCode::SUCCESS),
                "{}: got {comp}",
                self.name
            );
        }
        self.checked += 1;
    }

    /// SUBSCRIBE; the SUBACK must carry the packet id (MQTT-3.8.4-2) and one reason code per
    /// filter, in order (MQTT-3.9.3-1), equal to `expected`.
    fn subscribe(
        &mut self,
        packet_id: u16,
        properties: &[Property<'_>],
        subscriptions: &[Subscription<'_>],
        expected: &[u8],
    ) {
        let subscribe =
            Subscribe::new(id(packet_id), Properties::new(properties), subscriptions).unwrap();
        self.send(Packet::Subscribe(subscribe));
        let got = self.recv();
        let Packet::Suback(ack) = got.packet() else {
            panic!("{}: got {got}, expected SUBACK", self.name);
        };
        assert_eq!(ack.packet_id(), id(packet_id), "{}: {got}", self.name);
        let codes: Vec<u8> = ack.reason_codes().iter().map(|c| c.value()).collect();
        assert_eq!(codes, expected, "{}: {got}", self.name);
        self.checked += 1;
    }

    /// PINGREQ, then every PUBLISH before the PINGRESP (acknowledged when QoS 1): the copies
    /// of one message, each as its Subscription Identifiers, sorted. Each copy must carry
    /// `topic` and `payload`.
    fn copies_until_pingresp(&mut self, topic: &str, payload: &[u8]) -> Vec<Vec<u32>> {
        self.send(Packet::Pingreq);
        let mut copies = Vec::new();
        loop {
            let got = self.recv();
            match got.packet() {
                Packet::Pingresp => return copies,
                Packet::Publish(p) => {
                    assert_eq!(p.topic(), topic, "{}: {got}", self.name);
                    assert_eq!(p.payload(), payload, "{}: {got}", self.name);
                    let mut ids: Vec<u32> = p.properties().subscription_identifiers().collect();
                    ids.sort_unstable();
                    copies.push(ids);
                    if let Delivery::AtLeastOnce(pid) = p.delivery() {
                        self.send(Packet::Puback(success(PacketType::Puback, pid)));
                    }
                }
                _ => panic!("{}: got {got}, expected PUBLISH or PINGRESP", self.name),
            }
        }
    }

    /// PINGREQ; the next packet must be PINGRESP. The broker answers one client's packets in
    /// order, so nothing was on its way to this client before it.
    fn ping(&mut self) {
        self.send(Packet::Pingreq);
        let got = self.recv();
        assert_eq!(got.packet(), Packet::Pingresp, "{}: got {got}", self.name);
        self.checked += 1;
    }

    /// DISCONNECT (Normal disconnection); the broker must close with nothing more sent.
    /// Returns the checks counted on this client.
    fn disconnect(mut self) -> usize {
        let normal = Notice::new(
            PacketType::Disconnect,
            ReasonCode::SUCCESS,
            Properties::EMPTY,
        )
        .unwrap();
        self.send(Packet::Disconnect(normal));
        self.expect_closed();
        self.checked
    }

    /// The broker refuses what it was just sent: it must close the connection (`clause`,
    /// MQTT-4.13.1-1). Before closing it should send DISCONNECT with the reason code `code`
    /// (section 4.13.1: a SHOULD, not a MUST); if it sends anything, that must be it, and then
    /// nothing more (MQTT-4.13.2-1). Returns the checks counted on this client and the reason
    /// code of the DISCONNECT, if one came.
    fn expect_refusal(mut self, code: u8, clause: &str) -> (usize, Option<u8>) {
        if self.buf.is_empty() {
            let n = self.fill(4096).unwrap_or_else(|e| {
                panic!("{}: the broker did not close ({clause}): {e}", self.name)
            });
            if n == 0 {
                note(&format!(
                    "{}: closed without a DISCONNECT ({clause})",
                    self.name
                ));
                self.checked += 1;
                return (self.checked, None);
            }
        }
        let got = self.recv();
        let Packet::Disconnect(notice) = got.packet() else {
            panic!(
                "{}: got {got}, expected DISCONNECT {code:#04x} ({clause})",
                self.name
            );
        };
        assert_eq!(
            notice.reason_code().value(),
            code,
            "{}: {got} ({clause})",
            self.name
        );
        self.checked += 1;
        note(&format!("{}: the broker sent {got} ({clause})", self.name));
        self.expect_closed();
        (self.checked, Some(code))
    }
}

fn success(packet: PacketType, pid: NonZeroU16) -> Ack<'static> {
    Ack::new(packet, pid, ReasonCode::SUCCESS, Properties::EMPTY).unwrap()
}

fn options(qos: QoS) -> SubscriptionOptions {
    SubscriptionOptions::new(qos)
}

fn sub<'a>(f: &'a str, options: SubscriptionOptions) -> Subscription<'a> {
    Subscription::new(filter(f), options).unwrap()
}

fn publish<'a>(
    topic: &'a str,
    delivery: Delivery,
    properties: &'a [Property<'a>],
    payload: &'a [u8],
) -> Publish<'a> {
    Publish::new(topic, delivery, Properties::new(properties), payload).unwrap()
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn connack_announces_the_servers_limits() {
    // An empty client id with Clean Start 1.
    let (mut first, connack) = Client::connect_as("v5-limits-1", "", &CONNECT_PROPERTIES);
    note(&format!("CONNACK to an empty client id: {connack}"));
    let limits = first.limits.clone();
    note(&format!("the limits it announced: {limits:?}"));

    // MQTT-3.2.2-16, MQTT-3.1.3-7: an Assigned Client Identifier for a zero-length client id.
    let assigned = limits
        .assigned_client_identifier
        .clone()
        .expect("MQTT-3.2.2-16: no Assigned Client Identifier for an empty client id");
    assert!(
        !assigned.is_empty(),
        "MQTT-3.2.2-16: an empty Assigned Client Identifier"
    );
    first.checked += 1;
    // MQTT-3.2.2-16: a new client id, not used by any other session: a second client with an
    // empty id gets another.
    let (second, connack2) = Client::connect_as("v5-limits-2", "", &CONNECT_PROPERTIES);
    let assigned2 = second.limits.assigned_client_identifier.clone();
    assert!(
        assigned2.is_some() && assigned2.as_deref() != Some(&assigned),
        "MQTT-3.2.2-16: both sessions got {assigned:?}: {connack2}"
    );
    first.checked += 1;

    // A client id of its own gets none: the property is for an empty one (3.2.2.3.7), and the
    // limits do not depend on the client id.
    let (named, connack3) =
        Client::connect_as("v5-limits-3", "v5-limits-named", &CONNECT_PROPERTIES);
    let named_limits = named.limits.clone();
    assert_eq!(named_limits.assigned_client_identifier, None, "{connack3}");
    first.checked += 1;

    // MQTT-3.2.2-9: a server without QoS 2 says so with Maximum QoS. This one did not (`send`
    // checks the PUBLISH against what it announced), so a QoS 2 flow must complete.
    {
        let mut topic_sub = Client::connect("v5-limits-sub");
        topic_sub.subscribe(
            1,
            &[],
            &[sub("v5/limits/t", options(QoS::ExactlyOnce))],
            &[2],
        );
        first.publish(publish(
            "v5/limits/t",
            Delivery::ExactlyOnce(id(1)),
            &[],
            b"qos 2",
        ));
        let (topic, got) = topic_sub.recv_publish();
        assert_eq!(topic, "v5/limits/t");
        assert!(
            matches!(got.packet(), Packet::Publish(p) if p.qos() == QoS::ExactlyOnce && p.payload() == b"qos 2"),
            "{got}"
        );
        topic_sub.checked += 1;

        // MQTT-3.1.2-24, MQTT-3.1.2-25: a message larger than the client's Maximum Packet Size
        // is not sent to it (discarded as if delivered); the next one is.
        let big = vec![0x5a; MAXIMUM_PACKET_SIZE as usize];
        first.publish(publish(
            "v5/limits/t",
            Delivery::AtLeastOnce(id(2)),
            &[],
            &big,
        ));
        first.publish(publish(
            "v5/limits/t",
            Delivery::AtLeastOnce(id(3)),
            &[],
            b"small",
        ));
        let (_, got) = topic_sub.recv_publish();
        assert!(
            matches!(got.packet(), Packet::Publish(p) if p.payload() == b"small"),
            "MQTT-3.1.2-25: got {got}, expected the small message only"
        );
        topic_sub.checked += 1;
        topic_sub.ping();
        first.checked += topic_sub.disconnect();
    }

    // Receive Maximum, if announced, is above 0 (3.2.2.3.3): checked by the decoder already;
    // and this client's decoder accepted every CONNACK above with the limits it announced.
    let checked = first.disconnect() + second.disconnect() + named.disconnect();
    report("connack_announces_the_servers_limits", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn topic_aliases_both_ways() {
    let mut receiver = Client::connect("v5-alias-sub");
    receiver.subscribe(
        1,
        &[],
        &[sub("v5/alias/#", options(QoS::AtLeastOnce))],
        &[1],
    );
    let mut sender = Client::connect("v5-alias-pub");
    let maximum = sender.limits.topic_alias_maximum;
    note(&format!(
        "Topic Alias Maximum announced to clients: {maximum}"
    ));
    // Mosquitto's default configuration (max_topic_alias 10) announces some; with none the
    // client may send no alias (MQTT-3.2.2-18), and this test has nothing to exercise.
    assert!(maximum >= 1, "the broker announced no Topic Alias Maximum");

    let expect = |receiver: &mut Client, topic: &str, payload: &[u8]| {
        let (got_topic, got) = receiver.recv_publish();
        // Section 3.3.2.3.4: the alias stands for the topic it was last set to; the broker
        // forwards the message to that topic.
        assert_eq!(got_topic, topic, "{}: {got}", receiver.name);
        assert!(
            matches!(got.packet(), Packet::Publish(p) if p.payload() == payload),
            "{got}"
        );
        receiver.checked += 1;
    };

    // Alias 1 set with a topic, then used alone: MQTT-3.3.2-12 (the server accepts every
    // alias from 1 to its maximum).
    let set_one = [Property::TopicAlias(1)];
    sender.publish(publish(
        "v5/alias/one",
        Delivery::AtLeastOnce(id(1)),
        &set_one,
        b"set",
    ));
    expect(&mut receiver, "v5/alias/one", b"set");
    sender.publish(publish("", Delivery::AtLeastOnce(id(2)), &set_one, b"used"));
    expect(&mut receiver, "v5/alias/one", b"used");
    sender.publish(publish(
        "",
        Delivery::AtMostOnce,
        &set_one,
        b"used at qos 0",
    ));
    expect(&mut receiver, "v5/alias/one", b"used at qos 0");
    // Re-mapped to another topic (3.3.2.3.4: a later PUBLISH with the alias and a topic
    // replaces the mapping).
    sender.publish(publish(
        "v5/alias/two",
        Delivery::AtLeastOnce(id(3)),
        &set_one,
        b"moved",
    ));
    expect(&mut receiver, "v5/alias/two", b"moved");
    sender.publish(publish(
        "",
        Delivery::AtLeastOnce(id(4)),
        &set_one,
        b"moved, used",
    ));
    expect(&mut receiver, "v5/alias/two", b"moved, used");
    // The largest alias the broker accepts (MQTT-3.3.2-12).
    let set_max = [Property::TopicAlias(maximum)];
    sender.publish(publish(
        "v5/alias/max",
        Delivery::AtLeastOnce(id(5)),
        &set_max,
        b"max set",
    ));
    expect(&mut receiver, "v5/alias/max", b"max set");
    sender.publish(publish(
        "",
        Delivery::AtLeastOnce(id(6)),
        &set_max,
        b"max used",
    ));
    expect(&mut receiver, "v5/alias/max", b"max used");
    // Alias 1 still names `v5/alias/two`.
    sender.publish(publish(
        "",
        Delivery::AtLeastOnce(id(7)),
        &set_one,
        b"one again",
    ));
    expect(&mut receiver, "v5/alias/two", b"one again");

    // The other way: the receiver announced Topic Alias Maximum 4, so the broker may use
    // aliases 1 to 4 towards it (MQTT-3.3.2-11, checked on every PUBLISH by the receiver's
    // decoder) and every alias it uses without a topic was set before (section 3.3.2.3.4,
    // checked in `recv_publish`).
    note(&format!(
        "the broker used a Topic Alias in {} of the 8 PUBLISH packets it sent to a client that allows {TOPIC_ALIAS_MAXIMUM}",
        receiver.aliased
    ));
    receiver.ping();
    let checked = sender.disconnect() + receiver.disconnect();
    report("topic_aliases_both_ways", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn user_properties_end_to_end_in_order() {
    let mut receiver = Client::connect("v5-user-sub");
    receiver.subscribe(1, &[], &[sub("v5/user/+", options(QoS::ExactlyOnce))], &[2]);
    let mut sender = Client::connect("v5-user-pub");

    // Repeated keys, a repeated pair, keys out of alphabetical order, an empty key and value,
    // non-ASCII text: all kept, in this order (MQTT-3.3.2-17, MQTT-3.3.2-18).
    let users = [
        ("k", "1"),
        ("z", "before a"),
        ("k", "2"),
        ("a", ""),
        ("", "empty key"),
        ("k", "1"),
        ("grüße", "→ ünïcödé"),
    ];
    let mut properties: Vec<Property<'_>> = vec![
        Property::PayloadFormatIndicator(1),
        Property::ContentType("text/plain; charset=utf-8"),
        Property::ResponseTopic("v5/user/reply"),
        Property::CorrelationData(&[0x00, 0xff, 0x10]),
    ];
    properties.extend(users.iter().map(|&(k, v)| Property::UserProperty(k, v)));

    for (n, delivery) in [
        Delivery::AtMostOnce,
        Delivery::AtLeastOnce(id(1)),
        Delivery::ExactlyOnce(id(2)),
    ]
    .into_iter()
    .enumerate()
    {
        let payload = format!("message {n}");
        sender.publish(publish(
            "v5/user/t",
            delivery,
            &properties,
            payload.as_bytes(),
        ));
        let (topic, got) = receiver.recv_publish();
        let Packet::Publish(p) = got.packet() else {
            unreachable!()
        };
        assert_eq!(topic, "v5/user/t");
        assert_eq!(p.payload(), payload.as_bytes(), "{got}");
        let forwarded: Vec<(&str, &str)> = p.properties().user_properties().collect();
        // MQTT-3.3.2-17 (unaltered), MQTT-3.3.2-18 (in order).
        assert_eq!(forwarded, users, "MQTT-3.3.2-17/18: {got}");
        // MQTT-3.3.2-4, MQTT-3.3.2-20, MQTT-3.3.2-15, MQTT-3.3.2-16: forwarded unaltered.
        let props = p.properties();
        assert_eq!(
            props.payload_format_indicator(),
            Some(1),
            "MQTT-3.3.2-4: {got}"
        );
        assert_eq!(
            props.content_type(),
            Some("text/plain; charset=utf-8"),
            "MQTT-3.3.2-20: {got}"
        );
        assert_eq!(
            props.response_topic(),
            Some("v5/user/reply"),
            "MQTT-3.3.2-15: {got}"
        );
        assert_eq!(
            props.correlation_data(),
            Some(&[0x00, 0xff, 0x10][..]),
            "MQTT-3.3.2-16: {got}"
        );
        receiver.checked += 5;
    }

    // User Properties on SUBSCRIBE and on the acknowledgements this client sends are allowed
    // (2.2.2.2, Table 2-4) and must not disturb the session.
    receiver.subscribe(
        2,
        &[
            Property::UserProperty("on", "subscribe"),
            Property::UserProperty("on", "subscribe"),
        ],
        &[sub("v5/user/other", options(QoS::AtMostOnce))],
        &[0],
    );
    receiver.ping();
    let checked = sender.disconnect() + receiver.disconnect();
    report("user_properties_end_to_end_in_order", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn subscription_identifiers_are_delivered() {
    let mut receiver = Client::connect("v5-subid-sub");
    assert!(
        receiver.limits.subscription_identifiers_available,
        "the broker announced no Subscription Identifiers"
    );
    receiver.subscribe(
        1,
        &[Property::SubscriptionIdentifier(7)],
        &[sub("v5/subid/#", options(QoS::AtLeastOnce))],
        &[1],
    );
    // 300 takes two bytes as a Variable Byte Integer.
    receiver.subscribe(
        2,
        &[Property::SubscriptionIdentifier(300)],
        &[sub("v5/subid/+/x", options(QoS::AtLeastOnce))],
        &[1],
    );
    // One without an identifier.
    receiver.subscribe(
        3,
        &[],
        &[sub("v5/subid/none", options(QoS::AtLeastOnce))],
        &[1],
    );
    let mut sender = Client::connect("v5-subid-pub");

    // One matching subscription: its identifier only (MQTT-3.3.4-3).
    sender.publish(publish(
        "v5/subid/a",
        Delivery::AtLeastOnce(id(1)),
        &[],
        b"one",
    ));
    let (_, got) = receiver.recv_publish();
    let Packet::Publish(p) = got.packet() else {
        unreachable!()
    };
    let ids: Vec<u32> = p.properties().subscription_identifiers().collect();
    assert_eq!(ids, [7], "MQTT-3.3.4-3: {got}");
    receiver.checked += 1;

    // Two overlapping subscriptions, 7 and 300: either one PUBLISH carrying both, in any order
    // (MQTT-3.3.4-4), or one PUBLISH per subscription, each with its own (MQTT-3.3.4-5).
    sender.publish(publish(
        "v5/subid/b/x",
        Delivery::AtLeastOnce(id(2)),
        &[],
        b"both",
    ));
    sender.ping();
    let mut copies = receiver.copies_until_pingresp("v5/subid/b/x", b"both");
    note(&format!(
        "a message matching subscriptions 7 and 300 came as {} PUBLISH packet(s) with identifiers {copies:?}",
        copies.len()
    ));
    copies.sort();
    match copies.len() {
        1 => assert_eq!(copies, [vec![7, 300]], "MQTT-3.3.4-4"),
        2 => assert_eq!(copies, [vec![7], vec![300]], "MQTT-3.3.4-5"),
        n => panic!("MQTT-3.3.4-4/5: {n} copies: {copies:?}"),
    }
    receiver.checked += 1;

    // Subscriptions 7 and the one without an identifier: a single copy carries 7 only
    // (MQTT-3.3.4-4: the identifiers of the matching subscriptions that have one); separate
    // copies carry 7 and nothing (MQTT-3.3.4-5).
    sender.publish(publish(
        "v5/subid/none",
        Delivery::AtLeastOnce(id(3)),
        &[],
        b"mixed",
    ));
    sender.ping();
    let mut copies = receiver.copies_until_pingresp("v5/subid/none", b"mixed");
    copies.sort();
    match copies.len() {
        1 => assert_eq!(copies, [vec![7]], "MQTT-3.3.4-4"),
        2 => assert_eq!(copies, [vec![], vec![7]], "MQTT-3.3.4-5"),
        n => panic!("MQTT-3.3.4-4/5: {n} copies: {copies:?}"),
    }
    receiver.checked += 1;

    // A PUBLISH from a client must not carry a Subscription Identifier (MQTT-3.3.4-6): the
    // codec will not build one for the server to judge.
    let from_client = Publish::new(
        "v5/subid/a",
        Delivery::AtMostOnce,
        Properties::new(&[Property::SubscriptionIdentifier(7)]),
        b"",
    );
    let mut bytes = Vec::new();
    if let Ok(p) = from_client {
        Packet::Publish(p).encode_to_vec(&mut bytes);
        let err = receiver.outgoing.decode(&bytes).unwrap_err();
        assert!(
            matches!(err.kind(), DecodeErrorKind::PropertyNotExpected(_)),
            "MQTT-3.3.4-6: {err}"
        );
    }
    receiver.checked += 1;

    let checked = sender.disconnect() + receiver.disconnect();
    report("subscription_identifiers_are_delivered", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn retain_handling_0_1_2() {
    let mut sender = Client::connect("v5-rh-pub");
    assert!(
        sender.limits.retain_available,
        "the broker announced no retained messages"
    );
    let retained = publish("v5/rh/t", Delivery::AtLeastOnce(id(1)), &[], b"kept").with_retain(true);
    sender.publish(retained);
    sender.ping();

    let mut receiver = Client::connect("v5-rh-sub");
    let handling = |h: RetainHandling| SubscriptionOptions {
        retain_handling: h,
        ..options(QoS::AtLeastOnce)
    };
    let expect_retained = |receiver: &mut Client, clause: &str| {
        let (topic, got) = receiver.recv_publish();
        let Packet::Publish(p) = got.packet() else {
            unreachable!()
        };
        // Section 3.3.1.3: sent because of a subscription, with RETAIN 1.
        assert!(
            topic == "v5/rh/t" && p.payload() == b"kept" && p.retain(),
            "{clause}: got {got}"
        );
        receiver.checked += 1;
    };

    // 0 on a new subscription: sent (MQTT-3.3.1-9).
    receiver.subscribe(
        1,
        &[],
        &[sub("v5/rh/t", handling(RetainHandling::OnSubscribe))],
        &[1],
    );
    expect_retained(&mut receiver, "MQTT-3.3.1-9");
    // 0 again on the same filter: replaced, and sent again (MQTT-3.3.1-9, MQTT-3.8.4-4).
    receiver.subscribe(
        2,
        &[],
        &[sub("v5/rh/t", handling(RetainHandling::OnSubscribe))],
        &[1],
    );
    expect_retained(&mut receiver, "MQTT-3.8.4-4");
    // 1 on a subscription that exists: not sent (MQTT-3.3.1-10); the PINGRESP comes next.
    receiver.subscribe(
        3,
        &[],
        &[sub("v5/rh/t", handling(RetainHandling::OnNewSubscribe))],
        &[1],
    );
    receiver.ping();
    // 1 on a new subscription: sent (MQTT-3.3.1-10).
    receiver.subscribe(
        4,
        &[],
        &[sub("v5/rh/+", handling(RetainHandling::OnNewSubscribe))],
        &[1],
    );
    expect_retained(&mut receiver, "MQTT-3.3.1-10");
    receiver.ping();

    // 2: never sent, on a new subscription (MQTT-3.3.1-11).
    let mut never = Client::connect("v5-rh-never");
    never.subscribe(
        1,
        &[],
        &[sub("v5/rh/#", handling(RetainHandling::Never))],
        &[1],
    );
    never.ping();
    // ... nor on one that exists.
    never.subscribe(
        2,
        &[],
        &[sub("v5/rh/#", handling(RetainHandling::Never))],
        &[1],
    );
    never.ping();

    // Clean up: an empty retained message removes it (MQTT-3.3.1-6); every subscriber gets
    // it as usual, with RETAIN 0 (MQTT-3.3.1-12, Retain As Published 0).
    let clear = publish("v5/rh/t", Delivery::AtLeastOnce(id(2)), &[], b"").with_retain(true);
    sender.publish(clear);
    // `receiver` has two matching subscriptions (`v5/rh/t`, `v5/rh/+`), `never` one.
    for (client, subscriptions) in [(&mut receiver, 2), (&mut never, 1)] {
        client.send(Packet::Pingreq);
        let mut copies = 0;
        loop {
            let got = client.recv();
            match got.packet() {
                Packet::Pingresp => break,
                Packet::Publish(p) => {
                    assert!(
                        p.payload().is_empty() && !p.retain(),
                        "MQTT-3.3.1-12: {got}"
                    );
                    if let Delivery::AtLeastOnce(pid) = p.delivery() {
                        client.send(Packet::Puback(success(PacketType::Puback, pid)));
                    }
                    copies += 1;
                }
                _ => panic!("{}: got {got}", client.name),
            }
        }
        // One copy per subscription or one for all (MQTT-3.3.4-4, -5: either is allowed).
        assert!(
            (1..=subscriptions).contains(&copies),
            "{}: {copies} copies",
            client.name
        );
        client.checked += 1;
    }
    // Removed: a new subscription with Retain Handling 0 gets nothing (MQTT-3.3.1-6).
    let mut late = Client::connect("v5-rh-late");
    late.subscribe(1, &[], &[sub("v5/rh/t", options(QoS::AtLeastOnce))], &[1]);
    late.ping();
    let checked =
        sender.disconnect() + receiver.disconnect() + never.disconnect() + late.disconnect();
    report("retain_handling_0_1_2", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn no_local_keeps_a_clients_own_messages_from_it() {
    let mut client = Client::connect("v5-nolocal");
    let no_local = SubscriptionOptions {
        no_local: true,
        ..options(QoS::AtLeastOnce)
    };
    client.subscribe(
        1,
        &[],
        &[
            sub("v5/nolocal/quiet", no_local),
            sub("v5/nolocal/echo", options(QoS::AtLeastOnce)),
        ],
        &[1, 1],
    );
    // Its own message to the No Local subscription is not forwarded to it (MQTT-3.8.3-3);
    // without No Local it is.
    client.publish(publish(
        "v5/nolocal/quiet",
        Delivery::AtLeastOnce(id(1)),
        &[],
        b"own",
    ));
    client.publish(publish(
        "v5/nolocal/echo",
        Delivery::AtLeastOnce(id(2)),
        &[],
        b"echo",
    ));
    let (topic, got) = client.recv_publish();
    assert_eq!(topic, "v5/nolocal/echo", "MQTT-3.8.3-3: got {got}");
    client.checked += 1;
    client.ping();

    // Another client's message to the same topic is forwarded (No Local is about the client
    // id of the publishing connection only).
    let mut other = Client::connect("v5-nolocal-other");
    other.publish(publish(
        "v5/nolocal/quiet",
        Delivery::AtLeastOnce(id(1)),
        &[],
        b"theirs",
    ));
    let (topic, got) = client.recv_publish();
    assert!(
        topic == "v5/nolocal/quiet"
            && matches!(got.packet(), Packet::Publish(p) if p.payload() == b"theirs"),
        "got {got}"
    );
    client.checked += 1;
    client.ping();
    let checked = client.disconnect() + other.disconnect();
    report("no_local_keeps_a_clients_own_messages_from_it", checked);
}
/// A SUBSCRIBE of one filter, written out (for filters the codec refuses to build): packet id
/// 1, no properties, Subscription Options `options`.
fn raw_subscribe(filter: &str, options: u8) -> Vec<u8> {
    let name = filter.as_bytes();
    let mut bytes = vec![0x82, (2 + 1 + 2 + name.len() + 1) as u8, 0x00, 0x01, 0x00];
    bytes.extend_from_slice(&(name.len() as u16).to_be_bytes());
    bytes.extend_from_slice(name);
    bytes.push(options);
    bytes
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn refuses_a_malformed_filter_with_disconnect() {
    let mut checked = 0;
    let mut sent = Vec::new();
    for (filter, kind, clause) in [
        (
            "v5/#/b",
            DecodeErrorKind::MisplacedMultiLevelWildcard,
            "MQTT-4.7.1-1",
        ),
        (
            "$share/g+/t",
            DecodeErrorKind::InvalidSharedSubscription,
            "MQTT-4.8.2-2",
        ),
    ] {
        let mut client = Client::connect("v5-malformed-filter");
        let bytes = raw_subscribe(filter, 0x01);
        // The codec, as this server, refuses it as malformed (0x81, DECISIONS.md section 5) ...
        let err = client.outgoing.decode(&bytes).unwrap_err();
        assert_eq!(
            (err.kind(), err.reason_code().map(|c| c.value())),
            (kind, Some(0x81)),
            "{filter}"
        );
        client.checked += 1;
        // ... and so must the broker: a Malformed Packet closes the connection
        // (MQTT-4.13.1-1), after a DISCONNECT 0x81 if any.
        client.send_bytes(&bytes);
        let (n, code) = client.expect_refusal(0x81, clause);
        checked += n;
        sent.push((filter, code));
    }
    note(&format!(
        "a SUBSCRIBE with a malformed filter got: {sent:?}"
    ));
    report("refuses_a_malformed_filter_with_disconnect", checked);
}

/// The broker must refuse a SUBSCRIBE of one filter: a SUBACK with a failure code (0x80 or
/// more, MQTT-3.8.4-7), or the connection closed (after a DISCONNECT of 0x80 or more, if any).
fn expect_subscription_refused(mut client: Client, bytes: &[u8], clause: &str) -> usize {
    client.send_bytes(bytes);
    let mut buf = [0u8; 1];
    let closed = client.buf.is_empty()
        && client
            .stream
            .peek(&mut buf)
            .map(|n| n == 0)
            .unwrap_or(false);
    if !closed {
        let got = client.recv();
        match got.packet() {
            Packet::Suback(ack) => {
                let codes: Vec<u8> = ack.reason_codes().iter().map(|c| c.value()).collect();
                assert!(codes.iter().all(|&c| c >= 0x80), "{clause}: granted: {got}");
                client.checked += 1;
                return client.disconnect();
            }
            Packet::Disconnect(notice) => {
                assert!(notice.reason_code().is_error(), "{clause}: {got}");
                client.checked += 1;
            }
            _ => panic!("{clause}: got {got}"),
        }
    }
    client.expect_closed();
    client.checked
}

/// Mosquitto 2.0.11 departs from the standard here: it grants (SUBACK 0x01) a shared
/// subscription with an empty ShareName, `$share//t` (MQTT-4.8.2-1). The test asserts the
/// standard; `cargo xtask interop` runs the `departs_` tests apart, expects them to fail, and
/// says so.
#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn departs_refuses_a_shared_subscription_without_a_share_name() {
    let client = Client::connect("v5-share-empty");
    let bytes = raw_subscribe("$share//v5/t", 0x01);
    let err = client.outgoing.decode(&bytes).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::EmptyShareName);
    let checked = expect_subscription_refused(client, &bytes, "MQTT-4.8.2-1");
    report(
        "departs_refuses_a_shared_subscription_without_a_share_name",
        checked,
    );
}

/// Mosquitto 2.0.11 departs from the standard here: it grants (SUBACK 0x01) `$share/g/`,
/// a ShareName followed by `/` and no Topic Filter (MQTT-4.8.2-2). Run apart as above.
#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn departs_refuses_a_shared_subscription_without_a_filter() {
    let client = Client::connect("v5-share-nofilter");
    let bytes = raw_subscribe("$share/g/", 0x01);
    let err = client.outgoing.decode(&bytes).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::InvalidSharedSubscription);
    let checked = expect_subscription_refused(client, &bytes, "MQTT-4.8.2-2");
    report(
        "departs_refuses_a_shared_subscription_without_a_filter",
        checked,
    );
}

/// Mosquitto 2.0.11 departs from the standard here: it grants (SUBACK 0x00) a subscription
/// with No Local on a shared subscription, which MQTT-3.8.3-4 makes a Protocol Error. The test
/// asserts the standard; `cargo xtask interop` runs the `departs_` tests apart, expects them
/// to fail, and says so.
#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn departs_refuses_no_local_on_a_shared_subscription() {
    let mut client = Client::connect("v5-share-nolocal");
    assert!(
        client.limits.shared_subscription_available,
        "the broker announced no shared subscriptions"
    );
    let no_local = SubscriptionOptions {
        no_local: true,
        ..options(QoS::AtMostOnce)
    };
    // The codec refuses to build it (MQTT-3.8.3-4) ...
    assert_eq!(
        Subscription::new(filter("$share/g/v5/share"), no_local),
        Err(EncodeError::NoLocalOnSharedSubscription)
    );
    // ... so it is written out, with options 0x04 (No Local, QoS 0).
    let bytes = raw_subscribe("$share/g/v5/share", 0x04);
    // The codec, as this server, refuses it with Protocol Error ...
    let err = client.outgoing.decode(&bytes).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::NoLocalOnSharedSubscription);
    assert_eq!(err.reason_code().map(|c| c.value()), Some(0x82));
    client.checked += 1;
    // ... and so must the broker: a Protocol Error (MQTT-3.8.3-4) closes the connection
    // (MQTT-4.13.1-1), after a DISCONNECT 0x82 if any.
    client.send_bytes(&bytes);
    let (checked, _) = client.expect_refusal(0x82, "MQTT-3.8.3-4");
    report("departs_refuses_no_local_on_a_shared_subscription", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn disconnects_with_a_reason_code() {
    let mut checked = 0;
    let mut sent = Vec::new();

    // A second CONNECT is a Protocol Error, and the connection is closed (MQTT-3.1.0-2).
    let mut twice = Client::connect("v5-twice");
    let again = Connect::new("v5-twice", true, 30, Properties::new(&CONNECT_PROPERTIES)).unwrap();
    let mut bytes = Vec::new();
    Packet::Connect(again).encode_to_vec(&mut bytes);
    twice.send_bytes(&bytes);
    let (n, code) = twice.expect_refusal(0x82, "MQTT-3.1.0-2");
    checked += n;
    sent.push(("second CONNECT", code));

    // A Topic Alias above the maximum the broker announced (MQTT-3.3.2-9): the codec, as
    // this server, refuses it with 0x94 Topic Alias invalid, and so must the broker
    // (section 3.3.2.3.4).
    let mut over = Client::connect("v5-alias-over");
    let maximum = over.limits.topic_alias_maximum;
    let alias = [Property::TopicAlias(maximum + 1)];
    let mut bytes = Vec::new();
    Packet::Publish(publish("v5/over", Delivery::AtMostOnce, &alias, b"x"))
        .encode_to_vec(&mut bytes);
    let err = over.outgoing.decode(&bytes).unwrap_err();
    assert_eq!(
        err.kind(),
        DecodeErrorKind::TopicAliasOutOfRange,
        "MQTT-3.3.2-9"
    );
    assert_eq!(err.reason_code().map(|c| c.value()), Some(0x94));
    over.checked += 1;
    over.send_bytes(&bytes);
    let (n, code) = over.expect_refusal(0x94, "MQTT-3.3.2-9, 3.3.2.3.4");
    checked += n;
    sent.push(("Topic Alias above the maximum", code));

    // An empty topic with an alias never set is a Protocol Error (3.3.2.3.4).
    let mut unset = Client::connect("v5-alias-unset");
    let alias = [Property::TopicAlias(1)];
    unset.send(Packet::Publish(publish(
        "",
        Delivery::AtMostOnce,
        &alias,
        b"x",
    )));
    let (n, code) = unset.expect_refusal(0x82, "3.3.2.3.4");
    checked += n;
    sent.push(("alias never set", code));

    note(&format!("the broker's DISCONNECT reason codes: {sent:?}"));
    report("disconnects_with_a_reason_code", checked);
}
