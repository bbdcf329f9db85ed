//! The one copy of the bench tables: the workloads by id, and the decoders of each protocol
//! version. The criterion binary (`benches/codecs.rs`), the callgrind target
//! (`examples/profile.rs`) and the instruction-count driver (`instructions.rs`) all read
//! them from here.

use bytes::BytesMut;

use crate::workload::{self, Msg, Workload};
use crate::workload5::{self, Msg5, Workload5};
use crate::{
    mqtt5_protocol_peer, mqtt_proto_peer, mqtt_protocol_peer, mqttrs_peer, mqute_peer, ours, ours5,
    rmqtt_peer, rumqttc5_peer, rumqttc_peer,
};

/// Decodes every packet of a receive buffer; returns the count. The buffer may be consumed.
pub type DecodeAll = fn(&mut BytesMut) -> usize;

/// A 3.1.1 decoder: its timed loop and its conversion to the plain model for the check.
pub struct Decoder311 {
    pub name: &'static str,
    pub decode_all: DecodeAll,
    pub decode_to_msgs: fn(&[u8]) -> Vec<Msg>,
}

/// mqtt-wire first: the report's ratios are taken against the first column.
pub const DECODERS_311: [Decoder311; 4] = [
    Decoder311 {
        name: ours::NAME,
        decode_all: ours::decode_all,
        decode_to_msgs: ours::decode_to_msgs,
    },
    Decoder311 {
        name: rumqttc_peer::NAME,
        decode_all: rumqttc_peer::decode_all,
        decode_to_msgs: rumqttc_peer::decode_to_msgs,
    },
    Decoder311 {
        name: mqttrs_peer::NAME,
        decode_all: mqttrs_peer::decode_all,
        decode_to_msgs: mqttrs_peer::decode_to_msgs,
    },
    Decoder311 {
        name: mqtt_protocol_peer::NAME,
        decode_all: mqtt_protocol_peer::decode_all,
        decode_to_msgs: mqtt_protocol_peer::decode_to_msgs,
    },
];

/// A 5.0 decoder. Its conversion returns an error rather than panicking, so a peer that
/// cannot decode a workload is reported and left out of the timing, not fatal to the run.
pub struct Decoder5 {
    pub name: &'static str,
    pub decode_all: DecodeAll,
    pub decode_to_msgs: fn(&[u8]) -> Result<Vec<Msg5>, String>,
}

/// The 5.0 decoders: mqtt-wire's (`ours5`) first, which the report compares the peers with.
pub const DECODERS_5: [Decoder5; 6] = [
    Decoder5 {
        name: ours5::NAME,
        decode_all: ours5::decode_all,
        decode_to_msgs: ours5::decode_to_msgs,
    },
    Decoder5 {
        name: rumqttc5_peer::NAME,
        decode_all: rumqttc5_peer::decode_all,
        decode_to_msgs: rumqttc5_peer::decode_to_msgs,
    },
    Decoder5 {
        name: mqtt_proto_peer::NAME,
        decode_all: mqtt_proto_peer::decode_all,
        decode_to_msgs: mqtt_proto_peer::decode_to_msgs,
    },
    Decoder5 {
        name: mqute_peer::NAME,
        decode_all: mqute_peer::decode_all,
        decode_to_msgs: mqute_peer::decode_to_msgs,
    },
    Decoder5 {
        name: mqtt5_protocol_peer::NAME,
        decode_all: mqtt5_protocol_peer::decode_all,
        decode_to_msgs: mqtt5_protocol_peer::decode_to_msgs,
    },
    Decoder5 {
        name: rmqtt_peer::NAME,
        decode_all: rmqtt_peer::decode_all,
        decode_to_msgs: rmqtt_peer::decode_to_msgs,
    },
];

/// The 3.1.1 workloads: id, title, packets.
pub const WORKLOADS_311: [(&str, &str); 4] = [
    ("w1", "1: PUBLISH QoS 1, 1 KiB payload, x1000"),
    ("w2", "2: IoT mix, x1000"),
    ("w3-64k", "3: PUBLISH 64 KiB"),
    ("w3-1m", "3: PUBLISH 1 MiB"),
];

/// The 5.0 workload ids.
pub const WORKLOADS_5: [&str; 2] = ["v5-w1", "v5-w2"];

/// The packets of a 3.1.1 workload, by id.
pub fn msgs_311(id: &str) -> Option<Vec<Msg>> {
    Some(match id {
        "w1" => workload::publish_1k(),
        "w2" => workload::iot_mix(),
        "w3-64k" => workload::large_publish(64 * 1024),
        "w3-1m" => workload::large_publish(1024 * 1024),
        _ => return None,
    })
}

/// A 3.1.1 workload with its bytes (encoded by mqtt-wire; every peer is checked to encode the
/// same).
pub fn workload_311(id: &str) -> Option<Workload> {
    let (id, title) = WORKLOADS_311.into_iter().find(|(w, _)| *w == id)?;
    let msgs = msgs_311(id)?;
    let lists = ours::lists(&msgs);
    let wire = ours::encode_to_vec(&ours::packets(&msgs, &lists));
    drop(lists);
    Some(Workload {
        id,
        title,
        msgs,
        wire,
    })
}

/// A 5.0 workload (hand-written bytes), by id.
pub fn workload_5(id: &str) -> Option<Workload5> {
    match id {
        "v5-w1" => Some(workload5::publish_1k_v5()),
        "v5-w2" => Some(workload5::iot_mix_v5()),
        _ => None,
    }
}

/// Compares what a 5.0 decoder gave back with the expected packets: `Err` names the first
/// packet that differs, with both values, or the decoder's own error.
pub fn compare5(expected: &[Msg5], got: Result<Vec<Msg5>, String>) -> Result<(), String> {
    let got = got.map_err(|e| format!("does not decode the stream: {e}"))?;
    for (i, (got, want)) in got.iter().zip(expected).enumerate() {
        if got != want {
            return Err(format!("packet {i} decodes as {got:?}, expected {want:?}"));
        }
    }
    if got.len() != expected.len() {
        return Err(format!(
            "{} packets instead of {}",
            got.len(),
            expected.len()
        ));
    }
    Ok(())
}

/// Every 5.0 decoder checked on a workload: the names of those that decode every packet
/// right, and the others with the first difference.
pub fn check5(w: &Workload5) -> (Vec<&'static Decoder5>, Vec<(&'static str, String)>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for d in &DECODERS_5 {
        match compare5(&w.msgs, (d.decode_to_msgs)(&w.wire)) {
            Ok(()) => good.push(d),
            Err(e) => bad.push((d.name, e)),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare5_names_the_first_differing_packet() {
        let expected = vec![Msg5::Pingreq, Msg5::Disconnect { reason: 0x04 }];
        assert_eq!(compare5(&expected, Ok(expected.clone())), Ok(()));
        let err = compare5(
            &expected,
            Ok(vec![Msg5::Pingreq, Msg5::Disconnect { reason: 0x00 }]),
        )
        .unwrap_err();
        assert!(
            err.starts_with("packet 1 decodes as Disconnect { reason: 0 }"),
            "{err}"
        );
        let err = compare5(&expected, Ok(vec![Msg5::Pingreq])).unwrap_err();
        assert_eq!(err, "1 packets instead of 2");
        let err = compare5(&expected, Err("boom".into())).unwrap_err();
        assert_eq!(err, "does not decode the stream: boom");
    }

    #[test]
    fn every_5_0_peer_is_checked_on_both_workloads() {
        for id in WORKLOADS_5 {
            let w = workload_5(id).unwrap();
            let (good, bad) = check5(&w);
            for (name, e) in &bad {
                eprintln!("{id}: {name}: {e}");
            }
            assert_eq!(good.len() + bad.len(), DECODERS_5.len());
        }
    }
}
