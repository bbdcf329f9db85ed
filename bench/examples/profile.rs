//! One implementation, one workload, one operation, repeated: a target for
//! `valgrind --tool=callgrind`, whose instruction counts stay stable on a loaded machine.
//!
//! `cargo run --release --example profile -- IMPL WORKLOAD OP [REPEATS]`, with IMPL one of
//! `mqtt-wire`, `rumqttc`, `mqttrs`, `mqtt-protocol`; WORKLOAD `w1`, `w2`, `w3-64k`, `w3-1m`;
//! OP `decode` or `encode`. The stream is built and copied outside the measured functions
//! (`decode_all`, `encode_all`), whose inclusive cost callgrind reports.

use bytes::BytesMut;
use mqtt_wire_bench::workload::{self, Msg};
use mqtt_wire_bench::{mqtt_protocol_peer, mqttrs_peer, ours, rumqttc_peer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [imp, id, op, rest @ ..] = &args[..] else {
        eprintln!("usage: profile IMPL WORKLOAD OP [REPEATS]");
        std::process::exit(2);
    };
    let repeats: usize = rest.first().map_or(10, |r| r.parse().expect("a number"));
    let msgs: Vec<Msg> = match id.as_str() {
        "w1" => workload::publish_1k(),
        "w2" => workload::iot_mix(),
        "w3-64k" => workload::large_publish(64 * 1024),
        "w3-1m" => workload::large_publish(1024 * 1024),
        other => panic!("unknown workload {other}"),
    };
    let lists = ours::lists(&msgs);
    let ours_packets = ours::packets(&msgs, &lists);
    let wire = ours::encode_to_vec(&ours_packets);
    let mut total = 0usize;
    match (imp.as_str(), op.as_str()) {
        (imp, "decode") => {
            let decode = match imp {
                ours::NAME => ours::decode_all,
                rumqttc_peer::NAME => rumqttc_peer::decode_all,
                mqttrs_peer::NAME => mqttrs_peer::decode_all,
                mqtt_protocol_peer::NAME => mqtt_protocol_peer::decode_all,
                other => panic!("unknown implementation {other}"),
            };
            for _ in 0..repeats {
                let mut buf = BytesMut::from(&wire[..]);
                total += decode(&mut buf);
            }
        }
        (ours::NAME, "encode") => {
            let mut out = vec![0; wire.len()];
            for _ in 0..repeats {
                total += ours::encode_all(&ours_packets, &mut out);
            }
        }
        (mqttrs_peer::NAME, "encode") => {
            let packets = mqttrs_peer::packets(&msgs);
            let mut out = vec![0; wire.len()];
            for _ in 0..repeats {
                total += mqttrs_peer::encode_all(&packets, &mut out);
            }
        }
        (rumqttc_peer::NAME, "encode") => {
            let packets = rumqttc_peer::packets(&msgs);
            let mut out = BytesMut::with_capacity(wire.len());
            for _ in 0..repeats {
                total += rumqttc_peer::encode_all(&packets, &mut out);
            }
        }
        (mqtt_protocol_peer::NAME, "encode") => {
            let packets = mqtt_protocol_peer::packets(&msgs);
            let mut out = Vec::with_capacity(wire.len());
            for _ in 0..repeats {
                total += mqtt_protocol_peer::encode_all(&packets, &mut out);
            }
        }
        other => panic!("unknown combination {other:?}"),
    }
    println!("{total}");
}
