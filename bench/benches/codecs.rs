//! mqtt-wire and its peers, decoding and encoding the same streams in the same run.
//!
//! Arguments: `--quick` (short warm-up and measurement, for CI), `--runs N` (N full passes,
//! default 1: the table shows each row's median over the passes, the targets the median of
//! each pass's ratio), and an optional filter: only workloads whose id contains it (`w1`,
//! `w2`, `w3`). Results (criterion's files, the table and the targets) go to
//! `$MQTT_BENCH_DIR` (default `target/bench`).
//!
//! Fairness: before anything is timed, every implementation decodes each stream and must
//! give back every packet with every field, and must encode each stream to the same bytes.
//! Decode input is copied into a fresh `BytesMut` outside the timer for every
//! implementation alike (`iter_batched_ref`, see [`fresh`]), and dropped outside it too.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::BytesMut;
use criterion::{BatchSize, Criterion};
use mqtt_wire_bench::report::{self, Row, HARNESS, MEMCPY};
use mqtt_wire_bench::workload::{self, Workload};
use mqtt_wire_bench::{
    count_allocations, mqtt_protocol_peer, mqttrs_peer, ours, rumqttc_peer, CountingAllocator,
};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn workloads() -> Vec<Workload> {
    let make = |id, title, msgs: Vec<workload::Msg>| {
        let lists = ours::lists(&msgs);
        let wire = ours::encode_to_vec(&ours::packets(&msgs, &lists));
        drop(lists);
        Workload {
            id,
            title,
            msgs,
            wire,
        }
    };
    vec![
        make(
            "w1",
            "1: PUBLISH QoS 1, 1 KiB payload, x1000",
            workload::publish_1k(),
        ),
        make("w2", "2: IoT mix, x1000", workload::iot_mix()),
        make(
            "w3-64k",
            "3: PUBLISH 64 KiB",
            workload::large_publish(64 * 1024),
        ),
        make(
            "w3-1m",
            "3: PUBLISH 1 MiB",
            workload::large_publish(1024 * 1024),
        ),
    ]
}

type ToMsgs = fn(&[u8]) -> Vec<workload::Msg>;

/// Every implementation must decode the stream to every packet, field for field, and encode
/// the packets to the stream's bytes. A mismatch stops the run: its timings would mean
/// nothing.
fn check(w: &Workload) {
    let decoders: [(&str, ToMsgs); 4] = [
        (ours::NAME, ours::decode_to_msgs),
        (rumqttc_peer::NAME, rumqttc_peer::decode_to_msgs),
        (mqttrs_peer::NAME, mqttrs_peer::decode_to_msgs),
        (mqtt_protocol_peer::NAME, mqtt_protocol_peer::decode_to_msgs),
    ];
    for (name, decode) in decoders {
        let got = decode(&w.wire);
        assert_eq!(got.len(), w.msgs.len(), "{name} on {}: packet count", w.id);
        for (i, (got, expected)) in got.iter().zip(&w.msgs).enumerate() {
            assert_eq!(got, expected, "{name} on {}: packet {i}", w.id);
        }
    }
    let lists = ours::lists(&w.msgs);
    let mut out = vec![0; w.bytes()];
    let n = ours::encode_all(&ours::packets(&w.msgs, &lists), &mut out);
    same_bytes(ours::NAME, w, &out[..n]);
    let n = mqttrs_peer::encode_all(&mqttrs_peer::packets(&w.msgs), &mut out);
    same_bytes(mqttrs_peer::NAME, w, &out[..n]);
    // Packet by packet: see `rumqttc_peer::encode_each` for why.
    let each = rumqttc_peer::encode_each(&rumqttc_peer::packets(&w.msgs));
    same_bytes(rumqttc_peer::NAME, w, &each);
    let mut vec = Vec::new();
    mqtt_protocol_peer::encode_all(&mqtt_protocol_peer::packets(&w.msgs), &mut vec);
    same_bytes(mqtt_protocol_peer::NAME, w, &vec);
}

fn same_bytes(name: &str, w: &Workload, got: &[u8]) {
    if got == w.wire {
        return;
    }
    let at = got
        .iter()
        .zip(&w.wire)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(w.wire.len()));
    let from = at.saturating_sub(16);
    panic!(
        "{name} encodes {} differently: {} bytes instead of {}, first difference at byte {at}: {:02x?} instead of {:02x?}",
        w.id,
        got.len(),
        w.wire.len(),
        &got[from..(at + 16).min(got.len())],
        &w.wire[from..(at + 16).min(w.wire.len())],
    );
}

type Decode = fn(&mut BytesMut) -> usize;

/// A fresh receive buffer holding the stream, as a socket read would leave it, made outside
/// the timer for every implementation alike. One buffer per timed run
/// (`BatchSize::PerIteration`): a batch of copies made ahead would push each other out of the
/// cache, and the decoders would be timed waiting for memory. The first cache line is read
/// once, so a large payload copied after the header does not leave the header cold: workload
/// 3 times the decoder, not the copy.
fn fresh(wire: &[u8]) -> BytesMut {
    let buf = BytesMut::from(wire);
    black_box(buf.first().copied());
    buf
}

const DECODERS: [(&str, Decode); 4] = [
    (ours::NAME, ours::decode_all),
    (rumqttc_peer::NAME, rumqttc_peer::decode_all),
    (mqttrs_peer::NAME, mqttrs_peer::decode_all),
    (mqtt_protocol_peer::NAME, mqtt_protocol_peer::decode_all),
];

/// Times decoding and encoding of one workload; returns its rows, without times yet.
fn bench_workload(c: &mut Criterion, w: &Workload) -> Vec<Row> {
    let mut rows = Vec::new();
    let row = |op, implementation, allocations| Row {
        workload: w.id,
        title: w.title,
        op,
        implementation,
        packets: w.packets(),
        bytes: w.bytes(),
        ns: f64::NAN,
        allocations,
    };

    let mut group = c.benchmark_group(format!("{}-decode", w.id));
    for (name, decode) in DECODERS {
        let mut buf = BytesMut::from(&w.wire[..]);
        let (count, allocations) = count_allocations(|| decode(&mut buf));
        assert_eq!(count, w.packets());
        rows.push(row("decode", name, Some(allocations)));
        group.bench_function(name, |b| {
            b.iter_batched_ref(|| fresh(&w.wire), decode, BatchSize::PerIteration)
        });
    }
    if w.packets() == 1 {
        // What the timer and the batching cost on their own: an empty routine with the same
        // setup. For a single packet this is a large part of every row above it.
        rows.push(row("decode", HARNESS, None));
        group.bench_function(HARNESS, |b| {
            b.iter_batched_ref(
                || fresh(&w.wire),
                |buf| black_box(buf.len()),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group(format!("{}-encode", w.id));
    let mut out = vec![0u8; w.bytes()];
    {
        let lists = ours::lists(&w.msgs);
        let packets = ours::packets(&w.msgs, &lists);
        let (_, allocations) = count_allocations(|| ours::encode_all(&packets, &mut out));
        rows.push(row("encode", ours::NAME, Some(allocations)));
        group.bench_function(ours::NAME, |b| {
            b.iter(|| {
                let n = ours::encode_all(black_box(&packets), &mut out);
                black_box(&out);
                n
            })
        });
    }
    {
        let packets = rumqttc_peer::packets(&w.msgs);
        let mut out = BytesMut::with_capacity(w.bytes());
        let (_, allocations) = count_allocations(|| rumqttc_peer::encode_all(&packets, &mut out));
        rows.push(row("encode", rumqttc_peer::NAME, Some(allocations)));
        group.bench_function(rumqttc_peer::NAME, |b| {
            b.iter(|| {
                let n = rumqttc_peer::encode_all(black_box(&packets), &mut out);
                black_box(&out);
                n
            })
        });
    }
    {
        let packets = mqttrs_peer::packets(&w.msgs);
        let (_, allocations) = count_allocations(|| mqttrs_peer::encode_all(&packets, &mut out));
        rows.push(row("encode", mqttrs_peer::NAME, Some(allocations)));
        group.bench_function(mqttrs_peer::NAME, |b| {
            b.iter(|| {
                let n = mqttrs_peer::encode_all(black_box(&packets), &mut out);
                black_box(&out);
                n
            })
        });
    }
    {
        let packets = mqtt_protocol_peer::packets(&w.msgs);
        let mut out = Vec::with_capacity(w.bytes());
        let (_, allocations) =
            count_allocations(|| mqtt_protocol_peer::encode_all(&packets, &mut out));
        rows.push(row("encode", mqtt_protocol_peer::NAME, Some(allocations)));
        group.bench_function(mqtt_protocol_peer::NAME, |b| {
            b.iter(|| {
                let n = mqtt_protocol_peer::encode_all(black_box(&packets), &mut out);
                black_box(&out);
                n
            })
        });
    }
    rows.push(row("encode", MEMCPY, None));
    group.bench_function(MEMCPY, |b| {
        b.iter(|| {
            out.copy_from_slice(black_box(&w.wire));
            black_box(&out);
        })
    });
    group.finish();
    rows
}

/// One full pass: every workload, every implementation, then criterion's medians read back
/// into the rows (the next pass overwrites them).
fn run_pass(workloads: &[Workload], criterion_dir: &Path, quick: bool) -> Vec<Row> {
    let (warm_up, measurement, samples) = if quick {
        (Duration::from_millis(150), Duration::from_millis(300), 10)
    } else {
        (Duration::from_secs(1), Duration::from_secs(3), 50)
    };
    // A fresh `Criterion` for every pass: one that has already run a benchmark gives the same
    // id a new directory (`mqtt-wire_2`), and `read_median` would read the first pass again.
    let mut c = Criterion::default()
        .output_directory(criterion_dir)
        .warm_up_time(warm_up)
        .measurement_time(measurement)
        .sample_size(samples)
        .without_plots();

    let mut rows = Vec::new();
    for w in workloads {
        rows.extend(bench_workload(&mut c, w));
    }
    c.final_summary();

    for row in &mut rows {
        let group = format!("{}-{}", row.workload, row.op);
        row.ns = report::read_median(criterion_dir, &group, row.implementation)
            .unwrap_or_else(|| panic!("no estimate for {group}/{}", row.implementation));
    }
    rows
}

struct Args {
    quick: bool,
    runs: usize,
    filter: Option<String>,
}

/// Other `--` arguments (cargo passes `--bench`) are ignored; the first other word is the
/// filter.
fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        quick: false,
        runs: 1,
        filter: None,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "--quick" {
            args.quick = true;
        } else if arg == "--runs" {
            let value = iter.next().ok_or("--runs needs a number of passes")?;
            args.runs = match value.parse() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(format!(
                        "--runs takes a number of passes, 1 or more, not {value:?}"
                    ))
                }
            };
        } else if !arg.starts_with("--") && args.filter.is_none() {
            args.filter = Some(arg);
        }
    }
    Ok(args)
}

fn main() {
    let Args {
        quick,
        runs,
        filter,
    } = parse_args().unwrap_or_else(|e| {
        eprintln!("codecs: {e}");
        std::process::exit(2)
    });
    let dir = std::env::var_os("MQTT_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench"));
    let criterion_dir = dir.join("criterion");

    let workloads: Vec<Workload> = workloads()
        .into_iter()
        .filter(|w| filter.as_deref().is_none_or(|f| w.id.contains(f)))
        .collect();
    for w in &workloads {
        check(w);
        eprintln!(
            "checked {}: {} packets, {} bytes; every implementation decodes every field and encodes the same bytes",
            w.id,
            w.packets(),
            w.bytes()
        );
    }

    let mut passes = Vec::new();
    for pass in 1..=runs {
        if runs > 1 {
            eprintln!("\npass {pass} of {runs}");
        }
        passes.push(run_pass(&workloads, &criterion_dir, quick));
    }

    let table = report::table(&report::median_rows(&passes));
    let targets = report::targets(&passes);
    let mode = if quick { " (--quick)" } else { "" };
    let over_passes = if runs > 1 {
        format!(", then medians of {runs} full runs")
    } else {
        String::new()
    };
    let text = format!(
        "Medians of criterion runs{mode}{over_passes}; time / packet is the stream's time divided by its packets.\n\n{table}\nTargets:\n\n{targets}"
    );
    if runs > 1 {
        println!("\n{runs} full passes made, every implementation timed in each: the table shows each row's median, the targets each ratio's median and every pass's value.");
    }
    println!("\n{text}");
    std::fs::create_dir_all(&dir).expect("create the output directory");
    let path = dir.join("table.md");
    std::fs::write(&path, &text).expect("write the table");
    eprintln!("wrote {}", path.display());
}
