//! End to end against a real broker, through the client example's connection
//! (`examples/client/connection.rs`).
//!
//! `cargo xtask interop` starts Mosquitto on a free port and runs these tests with
//! `MQTT_WIRE_BROKER=host:port`; plain `cargo test` lists them as ignored. Every byte the broker
//! sends is decoded by the codec, and every packet is compared whole with the packet the
//! scenario expects, built by hand from the scenario and the specification. The one value the
//! broker chooses freely, the packet identifier of a PUBLISH it sends at QoS 1 or 2, is taken
//! from that PUBLISH and must then come back in the broker's PUBREL.
//!
//! Each test uses its own client ids and topics, so they can share the broker and run in
//! parallel.

#[path = "../examples/client/connection.rs"]
mod connection;

use std::num::NonZeroU16;
use std::time::Duration;

use connection::Connection;
use mqtt_wire::v311::{
    Connack, Connect, ConnectReturnCode, Delivery, OwnedPacket, Packet, Puback, Pubcomp, Publish,
    Pubrec, Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use mqtt_wire::{QoS, TopicFilter, TopicName};

const TIMEOUT: Duration = Duration::from_secs(5);

fn broker() -> String {
    std::env::var("MQTT_WIRE_BROKER")
        .expect("MQTT_WIRE_BROKER=host:port is not set: run these tests with `cargo xtask interop`")
}

fn id(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("the tests use ids 1-65535")
}

fn topic(name: &str) -> TopicName<'_> {
    TopicName::new(name).expect("the tests use valid topic names")
}

fn publish<'a>(name: &'a str, delivery: Delivery, payload: &'a [u8], retain: bool) -> Packet<'a> {
    Publish::new(topic(name), delivery, payload)
        .expect("the tests' packets are valid")
        .with_retain(retain)
        .into()
}

/// One client in a scenario: its connection, and a count of the packets it checked.
struct Client {
    name: &'static str,
    conn: Connection,
    checked: usize,
}

impl Client {
    /// Connects with `connect` and expects CONNACK: accepted, with `session_present`.
    fn connect(name: &'static str, connect: Connect<'_>, session_present: bool) -> Client {
        let conn = Connection::open(broker(), TIMEOUT)
            .unwrap_or_else(|e| panic!("{name}: cannot connect to {}: {e}", broker()));
        let mut client = Client {
            name,
            conn,
            checked: 0,
        };
        client.send(connect.into());
        let connack = Connack::new(session_present, ConnectReturnCode::Accepted).unwrap();
        client.expect(connack.into());
        client
    }

    /// A clean-session client without a will.
    fn plain(name: &'static str) -> Client {
        Client::connect(name, Connect::new(name, true, 30).unwrap(), false)
    }

    fn send(&mut self, packet: Packet<'_>) {
        self.conn
            .send(&packet)
            .unwrap_or_else(|e| panic!("{}: cannot send {packet}: {e}", self.name));
    }

    fn recv(&mut self) -> OwnedPacket {
        self.conn
            .recv()
            .unwrap_or_else(|e| panic!("{}: no packet: {e}", self.name))
    }

    /// The next packet must be `expected`, exactly.
    fn expect(&mut self, expected: Packet<'_>) {
        let got = self.recv();
        assert_eq!(
            got.packet(),
            expected,
            "{}: got {got}, expected {expected}",
            self.name
        );
        self.checked += 1;
    }

    /// The next packet must be a PUBLISH with these fields, DUP clear. At QoS 1 and 2 the
    /// broker picks the packet id; it is returned so the flow can be completed.
    fn expect_publish(
        &mut self,
        name: &str,
        qos: QoS,
        payload: &[u8],
        retain: bool,
    ) -> Option<NonZeroU16> {
        let got = self.recv();
        self.check_publish(&got, name, qos, payload, retain)
    }

    fn check_publish(
        &mut self,
        got: &OwnedPacket,
        name: &str,
        qos: QoS,
        payload: &[u8],
        retain: bool,
    ) -> Option<NonZeroU16> {
        let Packet::Publish(p) = got.packet() else {
            panic!("{}: got {got}, expected a PUBLISH to {name}", self.name);
        };
        let delivery = match (qos, p.packet_id()) {
            (QoS::AtMostOnce, _) => Delivery::AtMostOnce,
            (QoS::AtLeastOnce, Some(broker_id)) => Delivery::AtLeastOnce(broker_id),
            (QoS::ExactlyOnce, Some(broker_id)) => Delivery::ExactlyOnce(broker_id),
            (_, None) => panic!("{}: got {got}, expected QoS {qos:?}", self.name),
        };
        let expected = publish(name, delivery, payload, retain);
        assert!(
            got.packet() == expected,
            "{}: got {got}, expected {expected}",
            self.name
        );
        self.checked += 1;
        p.packet_id()
    }

    /// Receives a PUBLISH like [`expect_publish`](Self::expect_publish) and completes its flow
    /// as the receiver: PUBACK at QoS 1; PUBREC, the broker's PUBREL, PUBCOMP at QoS 2.
    fn receive_publish(&mut self, name: &str, qos: QoS, payload: &[u8], retain: bool) {
        let broker_id = self.expect_publish(name, qos, payload, retain);
        self.acknowledge(qos, broker_id);
    }

    /// Receives one PUBLISH for each of `expected` (topic, QoS, payload, RETAIN), in any
    /// order: MQTT orders messages per topic only (section 4.6), so the retained messages a
    /// new subscription gets may come in any order. Completes each flow.
    fn receive_publishes_in_any_order(&mut self, expected: &[(&str, QoS, &[u8], bool)]) {
        let mut left = expected.to_vec();
        while !left.is_empty() {
            let got = self.recv();
            let topic = match got.packet() {
                Packet::Publish(p) => p.topic().as_str().to_owned(),
                _ => String::new(),
            };
            let Some(i) = left.iter().position(|e| e.0 == topic) else {
                panic!(
                    "{}: got {got}, expected a PUBLISH to one of {left:?}",
                    self.name
                );
            };
            let (name, qos, payload, retain) = left.remove(i);
            let broker_id = self.check_publish(&got, name, qos, payload, retain);
            self.acknowledge(qos, broker_id);
        }
    }

    /// Completes the flow of a PUBLISH received at `qos` with the broker's `broker_id`.
    fn acknowledge(&mut self, qos: QoS, broker_id: Option<NonZeroU16>) {
        match (qos, broker_id) {
            (QoS::AtLeastOnce, Some(broker_id)) => self.send(Puback::new(broker_id).into()),
            (QoS::ExactlyOnce, Some(broker_id)) => {
                self.send(Pubrec::new(broker_id).into());
                self.expect(Pubrel::new(broker_id).into());
                self.send(Pubcomp::new(broker_id).into());
            }
            _ => {}
        }
    }

    /// Sends a PUBLISH and completes its flow as the sender: PUBACK at QoS 1; PUBREC, PUBREL,
    /// PUBCOMP at QoS 2, each with `delivery`'s packet id.
    fn publish(&mut self, name: &str, delivery: Delivery, payload: &[u8], retain: bool) {
        self.send(publish(name, delivery, payload, retain));
        match delivery {
            Delivery::AtMostOnce => {}
            Delivery::AtLeastOnce(id) => self.expect(Puback::new(id).into()),
            Delivery::ExactlyOnce(id) => {
                self.expect(Pubrec::new(id).into());
                self.send(Pubrel::new(id).into());
                self.expect(Pubcomp::new(id).into());
            }
        }
    }

    /// SUBSCRIBE with `filters`, and the SUBACK must grant `granted`.
    fn subscribe(&mut self, packet_id: u16, filters: &[(&str, QoS)], granted: &[u8]) {
        let subscriptions: Vec<Subscription<'_>> = filters
            .iter()
            .map(|&(f, qos)| Subscription::new(TopicFilter::new(f).unwrap(), qos))
            .collect();
        self.send(
            Subscribe::new(id(packet_id), &subscriptions)
                .unwrap()
                .into(),
        );
        let codes: Vec<SubackReturnCode> = granted
            .iter()
            .map(|&c| SubackReturnCode::from_u8(c).unwrap())
            .collect();
        self.expect(Suback::new(id(packet_id), &codes).unwrap().into());
    }

    /// PINGREQ; the next packet must be PINGRESP. Since the broker answers in order, this also
    /// shows nothing else was on its way.
    fn ping(&mut self) {
        self.send(Packet::Pingreq);
        self.expect(Packet::Pingresp);
    }

    /// DISCONNECT; the broker must close the connection with nothing more sent. Returns the
    /// number of packets this client checked, the close included.
    fn disconnect(mut self) -> usize {
        self.send(Packet::Disconnect);
        self.conn
            .expect_closed()
            .unwrap_or_else(|e| panic!("{}: {e}", self.name));
        self.checked + 1
    }
}

fn report(test: &str, checked: usize) {
    println!("broker: {test}: {checked} checks passed");
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn publishes_at_every_qos_in_both_directions() {
    let mut sub = Client::plain("wire-flows-sub");
    let mut publisher = Client::plain("wire-flows-pub");
    // The broker grants each requested QoS (it allows up to 2).
    sub.subscribe(
        1,
        &[
            ("flows/+/in", QoS::ExactlyOnce),
            ("flows/tree/#", QoS::AtLeastOnce),
            ("flows/down/+", QoS::AtMostOnce),
        ],
        &[2, 1, 0],
    );

    // Each QoS, sent and delivered at the same QoS (`flows/+/in` grants 2).
    publisher.publish("flows/a/in", Delivery::AtMostOnce, b"qos 0", false);
    sub.receive_publish("flows/a/in", QoS::AtMostOnce, b"qos 0", false);
    publisher.publish("flows/a/in", Delivery::AtLeastOnce(id(10)), b"qos 1", false);
    sub.receive_publish("flows/a/in", QoS::AtLeastOnce, b"qos 1", false);
    publisher.publish("flows/b/in", Delivery::ExactlyOnce(id(11)), b"qos 2", false);
    sub.receive_publish("flows/b/in", QoS::ExactlyOnce, b"qos 2", false);

    // Delivered at the lower of the PUBLISH's and the subscription's QoS (MQTT-3.8.4-6).
    publisher.publish(
        "flows/tree/x/y/z",
        Delivery::ExactlyOnce(id(12)),
        b"multi-level",
        false,
    );
    sub.receive_publish("flows/tree/x/y/z", QoS::AtLeastOnce, b"multi-level", false);
    publisher.publish(
        "flows/down/x",
        Delivery::AtLeastOnce(id(13)),
        b"downgraded",
        false,
    );
    sub.receive_publish("flows/down/x", QoS::AtMostOnce, b"downgraded", false);

    // A payload of 0 bytes, and one of 256 KiB (bytes 0, 1, ..., 250, 0, 1, ...).
    publisher.publish("flows/a/in", Delivery::AtLeastOnce(id(14)), b"", false);
    sub.receive_publish("flows/a/in", QoS::AtLeastOnce, b"", false);
    let big: Vec<u8> = (0..256 * 1024).map(|i| (i % 251) as u8).collect();
    publisher.publish("flows/b/in", Delivery::ExactlyOnce(id(15)), &big, false);
    sub.receive_publish("flows/b/in", QoS::ExactlyOnce, &big, false);

    // After UNSUBSCRIBE, `flows/a/in` no longer reaches `sub`; the next PUBLISH it sees is the
    // one to a topic it still subscribes to.
    let filters = [TopicFilter::new("flows/+/in").unwrap()];
    sub.send(Unsubscribe::new(id(2), &filters).unwrap().into());
    sub.expect(Unsuback::new(id(2)).into());
    publisher.publish(
        "flows/a/in",
        Delivery::AtLeastOnce(id(16)),
        b"unsubscribed",
        false,
    );
    publisher.publish(
        "flows/down/y",
        Delivery::AtLeastOnce(id(17)),
        b"sentinel",
        false,
    );
    sub.receive_publish("flows/down/y", QoS::AtMostOnce, b"sentinel", false);

    sub.ping();
    publisher.ping();
    let checked = sub.disconnect() + publisher.disconnect();
    report("publishes_at_every_qos_in_both_directions", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn keeps_and_clears_retained_messages() {
    let mut publisher = Client::plain("wire-retain-pub");
    publisher.publish("retain/a", Delivery::AtLeastOnce(id(1)), b"kept a", true);
    publisher.publish("retain/b", Delivery::AtMostOnce, b"kept b", true);
    // The broker handles one client's packets in order: once it answers the ping, the QoS 0
    // retained message is stored.
    publisher.ping();

    // A new subscription gets the retained messages with RETAIN set (MQTT-3.3.1-8), after
    // the SUBACK.
    let mut sub = Client::plain("wire-retain-sub");
    sub.subscribe(1, &[("retain/#", QoS::AtLeastOnce)], &[1]);
    sub.receive_publishes_in_any_order(&[
        ("retain/a", QoS::AtLeastOnce, b"kept a", true),
        ("retain/b", QoS::AtMostOnce, b"kept b", true),
    ]);

    // Retained messages published while subscribed arrive with RETAIN clear (MQTT-3.3.1-9);
    // a retained PUBLISH with no payload is delivered as usual (section 3.3.1.3) and removes
    // the retained message (MQTT-3.3.1-10).
    publisher.publish("retain/a", Delivery::AtLeastOnce(id(2)), b"new a", true);
    sub.receive_publish("retain/a", QoS::AtLeastOnce, b"new a", false);
    publisher.publish("retain/b", Delivery::AtLeastOnce(id(3)), b"", true);
    sub.receive_publish("retain/b", QoS::AtLeastOnce, b"", false);

    // A later subscriber gets only the replaced `retain/a`, at its subscription's QoS.
    let mut late = Client::plain("wire-retain-late");
    late.subscribe(1, &[("retain/#", QoS::AtMostOnce)], &[0]);
    late.receive_publish("retain/a", QoS::AtMostOnce, b"new a", true);
    late.ping();

    let checked = publisher.disconnect() + sub.disconnect() + late.disconnect();
    report("keeps_and_clears_retained_messages", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn publishes_the_will_only_when_the_connection_drops() {
    let mut watcher = Client::plain("wire-will-watch");
    watcher.subscribe(1, &[("will/#", QoS::ExactlyOnce)], &[2]);

    // A DISCONNECT discards the will (MQTT-3.1.2-10).
    let will = Will::new(topic("will/polite"), b"never sent", QoS::AtMostOnce, false).unwrap();
    let connect = Connect::new("wire-will-polite", true, 30).unwrap();
    let polite = Client::connect("wire-will-polite", connect.with_will(will), false);
    let mut checked = polite.disconnect();

    // Closing the socket without DISCONNECT publishes it (MQTT-3.1.2-8), at the will's QoS.
    let will = Will::new(topic("will/abrupt"), b"gone", QoS::AtLeastOnce, false).unwrap();
    let connect = Connect::new("wire-will-abrupt", true, 30).unwrap();
    let abrupt = Client::connect("wire-will-abrupt", connect.with_will(will), false);
    checked += abrupt.checked;
    drop(abrupt);

    watcher.receive_publish("will/abrupt", QoS::AtLeastOnce, b"gone", false);
    watcher.ping();
    checked += watcher.disconnect();
    report("publishes_the_will_only_when_the_connection_drops", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn resumes_a_session_with_its_queued_messages() {
    const NAME: &str = "wire-session";
    let stored = || Connect::new(NAME, false, 30).unwrap();

    // Start from no session: Clean Session 1 discards any left over (MQTT-3.1.2-6).
    let mut checked =
        Client::connect(NAME, Connect::new(NAME, true, 30).unwrap(), false).disconnect();

    // No session yet (MQTT-3.2.2-3 asks for session present 0 then).
    let mut first = Client::connect(NAME, stored(), false);
    first.subscribe(1, &[("session/+", QoS::AtLeastOnce)], &[1]);
    checked += first.disconnect();

    // Published while the client is away: the broker keeps it for the session.
    let mut publisher = Client::plain("wire-session-pub");
    publisher.publish("session/x", Delivery::AtLeastOnce(id(1)), b"queued", false);
    checked += publisher.disconnect();

    // Back with Clean Session 0: the session is there (MQTT-3.2.2-2) and the message follows.
    let mut second = Client::connect(NAME, stored(), true);
    second.receive_publish("session/x", QoS::AtLeastOnce, b"queued", false);
    second.ping();
    checked += second.disconnect();

    // Clean Session 1 discards it (MQTT-3.2.2-1).
    let third = Client::connect(NAME, Connect::new(NAME, true, 30).unwrap(), false);
    checked += third.disconnect();
    report("resumes_a_session_with_its_queued_messages", checked);
}

#[test]
#[ignore = "needs a broker: cargo xtask interop"]
fn refuses_a_connect_with_a_return_code_and_closes() {
    // CONNECTs the codec will not build, written out: protocol level 6, then an empty client
    // id with Clean Session 0. Each gets a CONNACK with its refusal code (MQTT-3.1.2-2,
    // MQTT-3.1.3-8) and the connection is closed (MQTT-3.2.2-5).
    let cases: [(&str, &[u8], ConnectReturnCode); 2] = [
        (
            "level 6",
            // 10 0d | 00 04 "MQTT" | level 6 | flags 02 | keep alive 60 | client id "x"
            &[
                0x10, 0x0d, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x06, 0x02, 0x00, 0x3c, 0x00, 0x01,
                b'x',
            ],
            ConnectReturnCode::UnacceptableProtocolVersion,
        ),
        (
            "empty client id, Clean Session 0",
            // 10 0c | 00 04 "MQTT" | level 4 | flags 00 | keep alive 60 | client id ""
            &[
                0x10, 0x0c, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x00, 0x00, 0x3c, 0x00, 0x00,
            ],
            ConnectReturnCode::IdentifierRejected,
        ),
    ];
    let mut checked = 0;
    for (name, bytes, code) in cases {
        let mut conn = Connection::open(broker(), TIMEOUT).unwrap();
        conn.send_bytes(bytes).unwrap();
        let got = conn
            .recv()
            .unwrap_or_else(|e| panic!("{name}: no CONNACK: {e}"));
        let expected = Connack::new(false, code).unwrap();
        assert_eq!(got.packet(), expected.into(), "{name}: got {got}");
        conn.expect_closed()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        checked += 2;
    }
    report("refuses_a_connect_with_a_return_code_and_closes", checked);
}
