//! One implementation, one workload, one operation, repeated: a target for
//! `valgrind --tool=callgrind`, whose instruction counts stay stable on a loaded machine.
//!
//! `cargo run --release --example profile -- IMPL WORKLOAD OP [REPEATS]`, with IMPL a name
//! from `catalog::DECODERS_311` or `catalog::DECODERS_5`, WORKLOAD an id from
//! `catalog::WORKLOADS_311` or `catalog::WORKLOADS_5`, OP `decode` or `encode` (5.0: mqtt-wire's
//! encode of `v5-w1`, the PUBLISH stream, only).
//! The stream is built and copied outside the measured functions (`decode_all`,
//! `encode_all`), whose inclusive cost callgrind reports.
//!
//! `profile --instructions`: runs itself under callgrind for every case
//! (`mqtt_wire_bench::instructions`) and writes `$MQTT_BENCH_DIR/instructions.md`
//! (default `target/bench`); `cargo xtask bench --instructions` does this.

use std::path::PathBuf;

use bytes::BytesMut;
use mqtt_wire_bench::catalog::{self, DECODERS_311, DECODERS_5};
use mqtt_wire_bench::{instructions, mqtt_protocol_peer, mqttrs_peer, ours, ours5, rumqttc_peer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--instructions") {
        let me = std::env::current_exe().expect("the profile binary's path");
        let table = instructions::run(&me).unwrap_or_else(|e| {
            eprintln!("profile: {e}");
            std::process::exit(1)
        });
        println!("{table}");
        let dir = std::env::var_os("MQTT_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target/bench"));
        std::fs::create_dir_all(&dir).expect("create the output directory");
        let path = dir.join("instructions.md");
        std::fs::write(&path, &table).expect("write the table");
        eprintln!("wrote {}", path.display());
        return;
    }
    let [imp, id, op, rest @ ..] = &args[..] else {
        eprintln!("usage: profile IMPL WORKLOAD OP [REPEATS] | profile --instructions");
        std::process::exit(2);
    };
    let repeats: usize = rest.first().map_or(10, |r| r.parse().expect("a number"));
    let mut total = 0usize;
    if let Some(w) = catalog::workload_5(id) {
        if op == "encode" {
            assert_eq!(imp, ours5::NAME, "only mqtt-wire's 5.0 encode is counted");
            let props = ours5::publish_properties(&w.msgs);
            let packets = ours5::publishes(&w.msgs, &props);
            let mut out = vec![0; w.wire.len()];
            for _ in 0..repeats {
                total += ours5::encode_all(&packets, &mut out);
            }
            println!("{total}");
            return;
        }
        let d = DECODERS_5
            .iter()
            .find(|d| d.name == imp)
            .unwrap_or_else(|| panic!("unknown 5.0 implementation {imp}"));
        for _ in 0..repeats {
            let mut buf = BytesMut::from(&w.wire[..]);
            total += (d.decode_all)(&mut buf);
        }
        println!("{total}");
        return;
    }
    let msgs = catalog::msgs_311(id).unwrap_or_else(|| panic!("unknown workload {id}"));
    let lists = ours::lists(&msgs);
    let ours_packets = ours::packets(&msgs, &lists);
    let wire = ours::encode_to_vec(&ours_packets);
    match (imp.as_str(), op.as_str()) {
        (imp, "decode") => {
            let d = DECODERS_311
                .iter()
                .find(|d| d.name == imp)
                .unwrap_or_else(|| panic!("unknown implementation {imp}"));
            for _ in 0..repeats {
                let mut buf = BytesMut::from(&wire[..]);
                total += (d.decode_all)(&mut buf);
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
