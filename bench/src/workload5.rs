//! The MQTT 5.0 workloads. Unlike the 3.1.1 streams, which mqtt-wire encodes and every peer is
//! checked to encode alike, these bytes are written by hand from the standard (sections 2.1.4,
//! 2.2.2, 3.1, 3.3, 3.4, 3.8, 3.9, 3.12 to 3.14 of MQTT 5.0), field by field, with the
//! expected values beside them: no codec produced them, ours or a peer's. Only the packet
//! identifier, the client id's number and the payload vary between copies of a template; a
//! Remaining Length that depends on the payload is a single byte, below 128, taken as is.

use crate::workload::Lcg;

/// A subscription's options byte as values (MQTT 5.0 section 3.8.3.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubOptions {
    pub filter: String,
    pub qos: u8,
    pub no_local: bool,
    pub retain_as_published: bool,
    /// 0, 1 or 2.
    pub retain_handling: u8,
}

/// One 5.0 packet as plain owned data, with the fields the workloads set. Every peer's decoded
/// packet is turned into this and compared with the values written here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg5 {
    /// CONNECT with Clean Start, a user name and a password, no will.
    Connect {
        client_id: String,
        keep_alive: u16,
        session_expiry: Option<u32>,
        receive_maximum: Option<u16>,
        topic_alias_maximum: Option<u16>,
        user_properties: Vec<(String, String)>,
        username: String,
        password: Vec<u8>,
    },
    /// PUBLISH, not retained, not a duplicate; `packet_id` 0 at QoS 0.
    Publish {
        topic: String,
        qos: u8,
        packet_id: u16,
        message_expiry: Option<u32>,
        topic_alias: Option<u16>,
        user_properties: Vec<(String, String)>,
        payload: Vec<u8>,
    },
    /// PUBACK; `reason` 0x00 also when the packet uses the short form with no reason code.
    Puback {
        packet_id: u16,
        reason: u8,
    },
    Subscribe {
        packet_id: u16,
        subscription_identifier: Option<u32>,
        filters: Vec<SubOptions>,
    },
    Suback {
        packet_id: u16,
        reasons: Vec<u8>,
    },
    Pingreq,
    Pingresp,
    Disconnect {
        reason: u8,
    },
}

/// A named 5.0 stream: the expected packets and the hand-written bytes.
pub struct Workload5 {
    pub id: &'static str,
    pub title: &'static str,
    pub msgs: Vec<Msg5>,
    pub wire: Vec<u8>,
}

impl Workload5 {
    pub fn packets(&self) -> usize {
        self.msgs.len()
    }

    pub fn bytes(&self) -> usize {
        self.wire.len()
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The 1 KiB PUBLISH of workload 5.1, before its packet identifier and payload. Remaining
/// Length 1097 = 2 + 11 (topic) + 2 (packet id) + 1 (property length) + 57 (properties) +
/// 1024 (payload), as a variable byte integer (section 1.5.5): 1097 = 73 + 8 * 128, so
/// 0x49 | 0x80 = 0xC9, then 0x08.
const PUBLISH_1K_HEAD: &[u8] = &[
    0x32, // PUBLISH, DUP 0, QoS 1, RETAIN 0 (section 3.3.1)
    0xC9, 0x08, // Remaining Length 1097
    0x00, 0x0B, b'h', b'e', b'l', b'l', b'o', b'/', b'w', b'o', b'r', b'l', b'd',
];

/// Its properties, after the packet identifier: length 57 = 5 + 3 + 20 + 29.
const PUBLISH_1K_PROPERTIES: &[u8] = &[
    0x39, // Property Length 57
    0x02, 0x00, 0x00, 0x0E, 0x10, // Message Expiry Interval (0x02) 3600, four bytes
    0x23, 0x00, 0x01, // Topic Alias (0x23) 1, two bytes
    // User Property (0x26) "region" = "eu-west-1": 1 + 2 + 6 + 2 + 9 = 20 bytes
    0x26, 0x00, 0x06, b'r', b'e', b'g', b'i', b'o', b'n', 0x00, 0x09, b'e', b'u', b'-', b'w', b'e',
    b's', b't', b'-', b'1',
    // User Property (0x26) "trace-id" = "4bf92f3577b34da6": 1 + 2 + 8 + 2 + 16 = 29 bytes
    0x26, 0x00, 0x08, b't', b'r', b'a', b'c', b'e', b'-', b'i', b'd', 0x00, 0x10, b'4', b'b', b'f',
    b'9', b'2', b'f', b'3', b'5', b'7', b'7', b'b', b'3', b'4', b'd', b'a', b'6',
];

/// Workload 5.1: 1,000 PUBLISH packets, QoS 1, topic `hello/world` with Topic Alias 1
/// (setting the alias, section 3.3.2.3.4), Message Expiry Interval 3600, two User
/// Properties, 1 KiB payloads.
pub fn publish_1k_v5() -> Workload5 {
    let mut rng = Lcg(51);
    let mut msgs = Vec::with_capacity(1000);
    let mut wire = Vec::new();
    for i in 0..1000u16 {
        let packet_id = i + 1;
        let payload = rng.bytes(1024);
        wire.extend_from_slice(PUBLISH_1K_HEAD);
        wire.extend_from_slice(&packet_id.to_be_bytes());
        wire.extend_from_slice(PUBLISH_1K_PROPERTIES);
        wire.extend_from_slice(&payload);
        msgs.push(Msg5::Publish {
            topic: "hello/world".into(),
            qos: 1,
            packet_id,
            message_expiry: Some(3600),
            topic_alias: Some(1),
            user_properties: pairs(&[("region", "eu-west-1"), ("trace-id", "4bf92f3577b34da6")]),
            payload,
        });
    }
    Workload5 {
        id: "v5-w1",
        title: "5.1: 5.0 PUBLISH QoS 1, Topic Alias, Message Expiry, 2 User Properties, 1 KiB payload, x1000",
        msgs,
        wire,
    }
}

/// CONNECT of workload 5.2 up to its client id's four digits. Remaining Length 74 = 10
/// (protocol name, level, flags, keep alive) + 1 (property length) + 23 (properties) + 14
/// (client id `gateway-NNNN`) + 9 (user name) + 17 (password).
const CONNECT_HEAD: &[u8] = &[
    0x10, 0x4A, // CONNECT, Remaining Length 74
    0x00, 0x04, b'M', b'Q', b'T', b'T', // Protocol Name (3.1.2.1)
    0x05, // Protocol Version 5 (3.1.2.2)
    0xC2, // flags: User Name, Password, Clean Start (3.1.2.3)
    0x00, 0x3C, // Keep Alive 60
    0x17, // Property Length 23 = 5 + 3 + 3 + 12
    0x11, 0x00, 0x00, 0x0E, 0x10, // Session Expiry Interval (0x11) 3600
    0x21, 0x00, 0x14, // Receive Maximum (0x21) 20
    0x22, 0x00, 0x0A, // Topic Alias Maximum (0x22) 10
    0x26, 0x00, 0x02, b'f', b'w', 0x00, 0x05, b'2', b'.', b'4', b'.', b'1', // "fw" = "2.4.1"
    0x00, 0x0C, b'g', b'a', b't', b'e', b'w', b'a', b'y', b'-', // Client Identifier, 12 bytes
];

/// After the client id's digits: the user name and the password.
const CONNECT_TAIL: &[u8] = &[
    0x00, 0x07, b'g', b'a', b't', b'e', b'w', b'a', b'y', // User Name
    0x00, 0x0F, b's', b'3', b'c', b'r', b'3', b't', b'-', b'p', b'a', b's', b's', b'w', b'0', b'r',
    b'd', // Password, 15 bytes
];

/// SUBSCRIBE of workload 5.2 after its packet identifier. Remaining Length 95 = 2 (packet
/// id) + 1 + 2 (properties) + 22 + 30 + 17 + 21 (four filters, each with its options byte).
const SUBSCRIBE_BODY: &[u8] = &[
    0x02, 0x0B, 0x2A, // Property Length 2: Subscription Identifier (0x0B) 42
    0x00, 0x13, b'p', b'l', b'a', b'n', b't', b'/', b'l', b'i', b'n', b'e', b'-', b'0', b'7', b'/',
    b'+', b'/', b'c', b'm', b'd', // "plant/line-07/+/cmd"
    0x05, // QoS 1, No Local
    0x00, 0x1B, b'p', b'l', b'a', b'n', b't', b'/', b'l', b'i', b'n', b'e', b'-', b'0', b'7', b'/',
    b's', b'e', b'n', b's', b'o', b'r', b'-', b'0', b'0', b'4', b'2', b'/', b'#',
    0x19, // QoS 1, Retain As Published, Retain Handling 1
    0x00, 0x0E, b'p', b'l', b'a', b'n', b't', b'/', b'+', b'/', b'a', b'l', b'e', b'r', b't',
    b's', // "plant/+/alerts"
    0x20, // QoS 0, Retain Handling 2
    0x00, 0x12, b'$', b'S', b'Y', b'S', b'/', b'b', b'r', b'o', b'k', b'e', b'r', b'/', b'u', b'p',
    b't', b'i', b'm', b'e', // "$SYS/broker/uptime"
    0x00, // QoS 0
];

const TOPICS: [&str; 3] = [
    "plant/line-07/sensor-0042/temp",
    "plant/line-07/sensor-0043/humi",
    "plant/line-09/sensor-0117/pres",
];

/// Workload 5.2, an IoT mix of 1,000 packets in cycles of 20: a CONNECT with properties and
/// credentials; a SUBSCRIBE of four filters with options and a Subscription Identifier; its
/// SUBACK with reason codes 0x01, 0x01, 0x00, 0x87; six QoS 1 PUBLISH with a Message Expiry,
/// each followed by its PUBACK in one of three forms (Remaining Length 2, the short form
/// meaning 0x00; 3 with reason 0x10; 4 with 0x10 and an empty property block); two QoS 0
/// PUBLISH with an empty property block; PINGREQ, PINGRESP; and a DISCONNECT with reason 0x04.
/// Payloads are 16 to 80 bytes, so every PUBLISH's Remaining Length is one byte.
pub fn iot_mix_v5() -> Workload5 {
    let mut rng = Lcg(52);
    let mut msgs = Vec::with_capacity(1000);
    let mut wire = Vec::new();
    let mut id = 0u16;
    let mut next_id = || {
        id = id % 65_535 + 1;
        id
    };
    for cycle in 0..50usize {
        let digits = format!("{cycle:04}");
        wire.extend_from_slice(CONNECT_HEAD);
        wire.extend_from_slice(digits.as_bytes());
        wire.extend_from_slice(CONNECT_TAIL);
        msgs.push(Msg5::Connect {
            client_id: format!("gateway-{digits}"),
            keep_alive: 60,
            session_expiry: Some(3600),
            receive_maximum: Some(20),
            topic_alias_maximum: Some(10),
            user_properties: pairs(&[("fw", "2.4.1")]),
            username: "gateway".into(),
            password: b"s3cr3t-passw0rd".to_vec(),
        });

        let sub_id = next_id();
        wire.extend_from_slice(&[0x82, 0x5F]); // SUBSCRIBE (flags 0010), Remaining Length 95
        wire.extend_from_slice(&sub_id.to_be_bytes());
        wire.extend_from_slice(SUBSCRIBE_BODY);
        let sub = |filter: &str, qos, no_local, retain_as_published, retain_handling| SubOptions {
            filter: filter.into(),
            qos,
            no_local,
            retain_as_published,
            retain_handling,
        };
        msgs.push(Msg5::Subscribe {
            packet_id: sub_id,
            subscription_identifier: Some(42),
            filters: vec![
                sub("plant/line-07/+/cmd", 1, true, false, 0),
                sub("plant/line-07/sensor-0042/#", 1, false, true, 1),
                sub("plant/+/alerts", 0, false, false, 2),
                sub("$SYS/broker/uptime", 0, false, false, 0),
            ],
        });

        // SUBACK, Remaining Length 7: packet id, Property Length 0, four reason codes.
        wire.extend_from_slice(&[0x90, 0x07]);
        wire.extend_from_slice(&sub_id.to_be_bytes());
        wire.extend_from_slice(&[0x00, 0x01, 0x01, 0x00, 0x87]);
        msgs.push(Msg5::Suback {
            packet_id: sub_id,
            reasons: vec![0x01, 0x01, 0x00, 0x87],
        });

        for i in 0..8usize {
            let qos = if i < 6 { 1 } else { 0 };
            let topic = TOPICS[(cycle + i) % TOPICS.len()];
            let len = 16 + (rng.next() % 65) as usize;
            let payload = rng.bytes(len);
            let packet_id = if qos == 1 { next_id() } else { 0 };
            if qos == 1 {
                // 2 + 30 (topic) + 2 (packet id) + 1 + 5 (properties) + payload: at most 120.
                wire.extend_from_slice(&[0x32, (40 + len) as u8]);
                wire.extend_from_slice(&[0x00, 0x1E]);
                wire.extend_from_slice(topic.as_bytes());
                wire.extend_from_slice(&packet_id.to_be_bytes());
                // Property Length 5: Message Expiry Interval (0x02) 60.
                wire.extend_from_slice(&[0x05, 0x02, 0x00, 0x00, 0x00, 0x3C]);
            } else {
                // 2 + 30 (topic) + 1 (Property Length 0) + payload: at most 113.
                wire.extend_from_slice(&[0x30, (33 + len) as u8]);
                wire.extend_from_slice(&[0x00, 0x1E]);
                wire.extend_from_slice(topic.as_bytes());
                wire.push(0x00);
            }
            wire.extend_from_slice(&payload);
            msgs.push(Msg5::Publish {
                topic: topic.into(),
                qos,
                packet_id,
                message_expiry: (qos == 1).then_some(60),
                topic_alias: None,
                user_properties: Vec::new(),
                payload,
            });
            if qos == 1 {
                let [hi, lo] = packet_id.to_be_bytes();
                let reason = match i % 3 {
                    0 => {
                        wire.extend_from_slice(&[0x40, 0x02, hi, lo]); // 3.4.2.1: 0x00 implied
                        0x00
                    }
                    1 => {
                        wire.extend_from_slice(&[0x40, 0x03, hi, lo, 0x10]); // No matching subscribers
                        0x10
                    }
                    _ => {
                        wire.extend_from_slice(&[0x40, 0x04, hi, lo, 0x10, 0x00]); // and Property Length 0
                        0x10
                    }
                };
                msgs.push(Msg5::Puback { packet_id, reason });
            }
        }
        wire.extend_from_slice(&[0xC0, 0x00]); // PINGREQ
        msgs.push(Msg5::Pingreq);
        wire.extend_from_slice(&[0xD0, 0x00]); // PINGRESP
        msgs.push(Msg5::Pingresp);
        // DISCONNECT, Remaining Length 1: reason 0x04 (Disconnect with Will Message), no
        // property block (3.14.2.2.1: absent means length 0).
        wire.extend_from_slice(&[0xE0, 0x01, 0x04]);
        msgs.push(Msg5::Disconnect { reason: 0x04 });
    }
    Workload5 {
        id: "v5-w2",
        title: "5.2: 5.0 IoT mix, x1000",
        msgs,
        wire,
    }
}

/// Both 5.0 workloads.
pub fn all() -> Vec<Workload5> {
    vec![publish_1k_v5(), iot_mix_v5()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::frame_len;

    /// Walks the stream by each frame's Remaining Length: the hand-written lengths must add
    /// up to the stream exactly, and the first bytes must be the packet types expected.
    fn frames(wire: &[u8]) -> Vec<&[u8]> {
        let mut rest = wire;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let n = frame_len(rest);
            assert!(n <= rest.len(), "frame of {n} bytes runs past the stream");
            out.push(&rest[..n]);
            rest = &rest[n..];
        }
        out
    }

    #[test]
    fn publish_1k_lengths_add_up() {
        let w = publish_1k_v5();
        let frames = frames(&w.wire);
        assert_eq!(frames.len(), 1000);
        assert!(frames.iter().all(|f| f.len() == 1100));
        // The property block: its length byte says 57, and the payload starts right after.
        let first = frames[0];
        assert_eq!(first[16..18], [0x00, 0x01], "packet identifier 1");
        assert_eq!(first[18], 57);
        let Msg5::Publish { payload, .. } = &w.msgs[0] else {
            panic!("a PUBLISH")
        };
        assert_eq!(&first[18 + 1 + 57..], &payload[..]);
    }

    #[test]
    fn iot_mix_lengths_add_up_and_types_follow_the_cycle() {
        let w = iot_mix_v5();
        let frames = frames(&w.wire);
        assert_eq!(frames.len(), 1000);
        assert_eq!(w.msgs.len(), 1000);
        for (frame, msg) in frames.iter().zip(&w.msgs) {
            let kind = frame[0] >> 4;
            let expected = match msg {
                Msg5::Connect { .. } => 1,
                Msg5::Publish { .. } => 3,
                Msg5::Puback { .. } => 4,
                Msg5::Subscribe { .. } => 8,
                Msg5::Suback { .. } => 9,
                Msg5::Pingreq => 12,
                Msg5::Pingresp => 13,
                Msg5::Disconnect { .. } => 14,
            };
            assert_eq!(kind, expected, "{msg:?}");
        }
        // CONNECT: 76 bytes; its property block (byte 12) 23 long; SUBSCRIBE 97.
        assert_eq!(frames[0].len(), 76);
        assert_eq!(frames[0][12], 23);
        assert_eq!(frames[1].len(), 97);
        assert_eq!(frames[0][frames[0].len() - 17..][..2], [0x00, 0x0F]);
    }
}
