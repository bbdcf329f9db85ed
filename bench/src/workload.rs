//! The workloads: streams of packets described once, as plain data, and encoded by every
//! implementation from that description.

/// One packet, as plain owned data every implementation can be built from and compared to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// A CONNECT with a will and credentials (clean session, protocol level 4).
    Connect {
        client_id: String,
        keep_alive: u16,
        will_topic: String,
        will_message: Vec<u8>,
        will_qos: u8,
        will_retain: bool,
        username: String,
        /// ASCII: one peer (rumqttc) holds the password as a `String`.
        password: String,
    },
    /// A PUBLISH (not retained, not a duplicate); `packet_id` is 0 at QoS 0.
    Publish {
        topic: String,
        qos: u8,
        packet_id: u16,
        payload: Vec<u8>,
    },
    Puback(u16),
    Subscribe {
        packet_id: u16,
        filters: Vec<(String, u8)>,
    },
    /// Return codes as on the wire: 0, 1, 2 or 0x80.
    Suback {
        packet_id: u16,
        codes: Vec<u8>,
    },
    Pingreq,
    Pingresp,
}

/// A named stream of packets and its bytes on the wire.
pub struct Workload {
    /// Short id, used in criterion's group names: `w1`, `w2`, `w3-64k`, `w3-1m`.
    pub id: &'static str,
    /// What it is, for the table.
    pub title: &'static str,
    pub msgs: Vec<Msg>,
    /// The whole stream, encoded (by mqtt-wire; every implementation's encoder is checked to
    /// produce the same bytes).
    pub wire: Vec<u8>,
}

impl Workload {
    pub fn packets(&self) -> usize {
        self.msgs.len()
    }

    pub fn bytes(&self) -> usize {
        self.wire.len()
    }
}

/// A small deterministic generator (64-bit LCG), so every run sees the same streams.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Workload 1, rumqtt's published shape: 1,000 PUBLISH packets, QoS 1, a short topic,
/// 1 KiB payloads.
pub fn publish_1k() -> Vec<Msg> {
    let mut rng = Lcg(1);
    (0..1000u16)
        .map(|i| Msg::Publish {
            topic: "hello/world".into(),
            qos: 1,
            packet_id: i % 65_535 + 1,
            payload: rng.bytes(1024),
        })
        .collect()
}

/// Workload 2, a mixed small-packet IoT stream of 1,000 packets, in cycles of 20: a CONNECT
/// with will and credentials, a SUBSCRIBE of four filters, its SUBACK, six QoS 1 PUBLISH each
/// followed by its PUBACK, three QoS 0 PUBLISH, a PINGREQ and a PINGRESP. Topics are 30
/// bytes, payloads 16 to 256 bytes.
pub fn iot_mix() -> Vec<Msg> {
    let mut rng = Lcg(2);
    let mut msgs = Vec::with_capacity(1000);
    let mut id = 0u16;
    let mut next_id = || {
        id = id % 65_535 + 1;
        id
    };
    let topics = [
        "plant/line-07/sensor-0042/temp",
        "plant/line-07/sensor-0043/humi",
        "plant/line-09/sensor-0117/pres",
    ];
    for cycle in 0..50usize {
        msgs.push(Msg::Connect {
            client_id: format!("gateway-{cycle:04}"),
            keep_alive: 60,
            will_topic: "plant/line-07/gateway-42/state".into(),
            will_message: b"offline".to_vec(),
            will_qos: 1,
            will_retain: true,
            username: "gateway".into(),
            password: "s3cr3t-passw0rd".into(),
        });
        let sub_id = next_id();
        msgs.push(Msg::Subscribe {
            packet_id: sub_id,
            filters: vec![
                ("plant/line-07/+/cmd".into(), 1),
                ("plant/line-07/sensor-0042/#".into(), 1),
                ("plant/+/alerts".into(), 0),
                ("$SYS/broker/uptime".into(), 0),
            ],
        });
        msgs.push(Msg::Suback {
            packet_id: sub_id,
            codes: vec![1, 1, 0, 0x80],
        });
        for i in 0..9usize {
            let qos = if i < 6 { 1 } else { 0 };
            let packet_id = if qos == 1 { next_id() } else { 0 };
            let len = 16 + (rng.next() % 241) as usize;
            msgs.push(Msg::Publish {
                topic: topics[(cycle + i) % topics.len()].into(),
                qos,
                packet_id,
                payload: rng.bytes(len),
            });
            if qos == 1 {
                msgs.push(Msg::Puback(packet_id));
            }
        }
        msgs.push(Msg::Pingreq);
        msgs.push(Msg::Pingresp);
    }
    msgs
}

/// Workload 3: one QoS 1 PUBLISH with a payload of `len` bytes.
pub fn large_publish(len: usize) -> Vec<Msg> {
    let mut rng = Lcg(3);
    vec![Msg::Publish {
        topic: "hello/world".into(),
        qos: 1,
        packet_id: 1,
        payload: rng.bytes(len),
    }]
}

/// The size of the frame at the front of `buf` (fixed header and body), for the peers whose
/// decode does not say how many bytes it used (mqttrs, mqtt-proto): an application must read the Remaining
/// Length itself. Panics on a malformed one (the workloads have none).
pub fn frame_len(buf: &[u8]) -> usize {
    let mut value = 0usize;
    for (i, &byte) in buf[1..].iter().take(4).enumerate() {
        value |= usize::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            return 2 + i + value;
        }
    }
    panic!("bad Remaining Length")
}
