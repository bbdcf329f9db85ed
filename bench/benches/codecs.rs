//! mqtt-wire and its peers, decoding and encoding the same streams in the same run.
//!
//! Arguments: `--quick` (short warm-up and measurement, for CI), `--runs N` (N full passes,
//! default 1: the table shows each row's median over the passes, the targets the median of
//! each pass's ratio), and an optional filter: only workloads whose id contains it (`w1`,
//! `w2`, `w3`). Results (criterion's files, the table and the targets) go to
//! `$MQTT_BENCH_DIR` (default `target/bench`).
//!
//! Fairness: before anything is timed, every implementation decodes each stream and must
//! give back every packet with every field, and must encode each stream to the same bytes
//! (3.1.1; the 5.0 streams are hand-written and decoded only, and a 5.0 peer that decodes one
//! wrongly is reported and not timed on it). Decoding is timed in two cache conditions, for
//! every implementation alike, with the copy of the input outside the timer: cold, a fresh
//! `BytesMut` per run (see [`fresh`]); hot, one `BytesMut` reused at one address, refilled
//! before each run (see [`refill`]).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use criterion::Criterion;
use mqtt_wire_bench::catalog::{self, DecodeAll, DECODERS_311, WORKLOADS_311, WORKLOADS_5};
use mqtt_wire_bench::report::{self, Row, COLD, HARNESS, HOT, MEMCPY};
use mqtt_wire_bench::workload::Workload;
use mqtt_wire_bench::workload5::Workload5;
use mqtt_wire_bench::{
    count_allocations, mqtt_protocol_peer, mqttrs_peer, ours, ours5, rumqttc_peer,
    CountingAllocator,
};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Every implementation must decode the stream to every packet, field for field, and encode
/// the packets to the stream's bytes. A mismatch stops the run: its timings would mean
/// nothing.
fn check(w: &Workload) {
    for d in &DECODERS_311 {
        let (name, got) = (d.name, (d.decode_to_msgs)(&w.wire));
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

/// A fresh receive buffer holding the stream, as a socket read into a new buffer would leave
/// it, made outside the timer (the cold condition). One buffer per timed run: a batch of
/// copies made ahead would push each other out of the cache, and the decoders would be timed
/// waiting for memory. The first cache line is read once, so a large payload copied after the
/// header does not leave the header cold: workload 3 times the decoder, not the copy.
fn fresh(wire: &[u8]) -> BytesMut {
    let buf = BytesMut::from(wire);
    black_box(buf.first().copied());
    buf
}

/// The hot condition: the stream written back into the same receive buffer before each run,
/// outside the timer, as a connection that reads into one buffer sees it. Decoders that split
/// packets off the buffer's front leave it empty; once their packets are dropped, `bytes`
/// gives the whole allocation back (`reserve` on a unique buffer moves to its start), so the
/// address stays the same. Returns whether it did: a decoder that makes the buffer reallocate
/// is timed all the same, and the run says so.
fn refill(buf: &mut BytesMut, wire: &[u8], home: *const u8) -> bool {
    buf.clear();
    buf.extend_from_slice(wire);
    black_box(buf.first().copied());
    buf.as_ptr() == home
}

/// Times `decode` in one condition, one run per iteration, each with its own timer reading,
/// the same loop for both conditions so that their harness costs match. Every run must
/// decode `packets` packets (checked after the timer stops): a buffer left empty or half
/// filled would otherwise time nothing.
fn time_decode(
    b: &mut criterion::Bencher<'_>,
    (wire, packets): (&[u8], usize),
    condition: &str,
    decode: impl Fn(&mut BytesMut) -> usize,
    moved: &mut u64,
) {
    if condition == HOT {
        let mut buf = BytesMut::with_capacity(wire.len());
        buf.extend_from_slice(wire);
        let home = buf.as_ptr();
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if !refill(&mut buf, wire, home) {
                    *moved += 1;
                }
                let start = Instant::now();
                let n = black_box(decode(black_box(&mut buf)));
                total += start.elapsed();
                assert_eq!(n, packets, "a hot run decoded {n} packets");
            }
            total
        })
    } else {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut buf = fresh(wire);
                let start = Instant::now();
                let n = black_box(decode(black_box(&mut buf)));
                total += start.elapsed();
                drop(buf);
                assert_eq!(n, packets, "a cold run decoded {n} packets");
            }
            total
        })
    }
}

/// The decode group of one workload in both conditions: `{id}-decode` and `{id}-decode-hot`,
/// and an empty routine with the same setup for single-packet workloads. Returns the rows
/// (without times yet) and, for each decoder whose hot buffer moved, how often.
fn bench_decoders(
    c: &mut Criterion,
    (id, title, packets, wire): (&'static str, &'static str, usize, &[u8]),
    decoders: &[(&'static str, DecodeAll)],
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let row = |op, implementation, allocations| Row {
        workload: id,
        title,
        op,
        implementation,
        packets,
        bytes: wire.len(),
        ns: f64::NAN,
        allocations,
    };
    for (op, condition) in [("decode", COLD), ("decode-hot", HOT)] {
        let mut group = c.benchmark_group(format!("{id}-{op}"));
        for &(name, decode) in decoders {
            let mut buf = BytesMut::from(wire);
            let (count, allocations) = count_allocations(|| decode(&mut buf));
            assert_eq!(count, packets, "{name} on {id}");
            rows.push(row(op, name, Some(allocations)));
            let mut moved = 0;
            group.bench_function(name, |b| {
                time_decode(b, (wire, packets), condition, decode, &mut moved)
            });
            if moved > 0 {
                notes.push(format!(
                    "{name} on {id}: the hot buffer was at another address in {moved} runs (the decoder made it reallocate)"
                ));
            }
        }
        if packets == 1 {
            // What the timer and the setup cost on their own. For a single packet this is a
            // large part of every row above it.
            rows.push(row(op, HARNESS, None));
            let mut moved = 0;
            group.bench_function(HARNESS, |b| {
                // The buffer's length stands for the packet it holds.
                let routine = |buf: &mut BytesMut| black_box(buf.len()) / wire.len();
                time_decode(b, (wire, packets), condition, routine, &mut moved)
            });
        }
        group.finish();
    }
    rows
}

/// Times decoding and encoding of one workload; returns its rows, without times yet.
fn bench_workload(c: &mut Criterion, w: &Workload, notes: &mut Vec<String>) -> Vec<Row> {
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

    let decoders: Vec<(&'static str, DecodeAll)> = DECODERS_311
        .iter()
        .map(|d| (d.name, d.decode_all))
        .collect();
    rows.extend(bench_decoders(
        c,
        (w.id, w.title, w.packets(), &w.wire),
        &decoders,
        notes,
    ));

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

/// The 5.0 1 KiB PUBLISH stream encoded by mqtt-wire (checked against the hand-written bytes
/// first) and copied by `memcpy`, the floor any encoder can reach.
fn bench_encode5(c: &mut Criterion, w: &Workload5) -> Vec<Row> {
    let row = |op: &'static str, implementation: &'static str, allocations| Row {
        workload: w.id,
        title: w.title,
        op,
        implementation,
        packets: w.packets(),
        bytes: w.wire.len(),
        ns: f64::NAN,
        allocations,
    };
    let props = ours5::publish_properties(&w.msgs);
    let packets = ours5::publishes(&w.msgs, &props);
    let mut out = vec![0u8; w.wire.len()];
    let n = ours5::encode_all(&packets, &mut out);
    assert!(
        n == w.wire.len() && out == w.wire,
        "mqtt-wire encodes {} differently from its hand-written bytes",
        w.id
    );
    let mut rows = Vec::new();
    let mut group = c.benchmark_group(format!("{}-encode", w.id));
    let (_, allocations) = count_allocations(|| ours5::encode_all(&packets, &mut out));
    rows.push(row("encode", ours5::NAME, Some(allocations)));
    group.bench_function(ours5::NAME, |b| {
        b.iter(|| {
            let n = ours5::encode_all(black_box(&packets), &mut out);
            black_box(&out);
            n
        })
    });
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
/// A 5.0 workload and the peers that decoded it right (the only ones timed on it).
struct Checked5 {
    w: Workload5,
    decoders: Vec<(&'static str, DecodeAll)>,
}

fn run_pass(
    workloads: &[Workload],
    workloads5: &[Checked5],
    criterion_dir: &Path,
    quick: bool,
    notes: &mut Vec<String>,
) -> Vec<Row> {
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
        rows.extend(bench_workload(&mut c, w, notes));
    }
    for Checked5 { w, decoders } in workloads5 {
        rows.extend(bench_decoders(
            &mut c,
            (w.id, w.title, w.packets(), &w.wire),
            decoders,
            notes,
        ));
        if w.id == "v5-w1" {
            rows.extend(bench_encode5(&mut c, w));
        }
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

    let wanted = |id: &str| filter.as_deref().is_none_or(|f| id.contains(f));
    let workloads: Vec<Workload> = WORKLOADS_311
        .iter()
        .filter(|(id, _)| wanted(id))
        .filter_map(|(id, _)| catalog::workload_311(id))
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
    let mut checks5 = String::new();
    let workloads5: Vec<Checked5> = WORKLOADS_5
        .iter()
        .filter(|id| wanted(id))
        .filter_map(|id| catalog::workload_5(id))
        .map(|w| {
            let (good, bad) = catalog::check5(&w);
            let names: Vec<&str> = good.iter().map(|d| d.name).collect();
            checks5.push_str(&format!(
                "- {}: {} packets, {} bytes; decode every field as written: {}\n",
                w.id,
                w.packets(),
                w.bytes(),
                names.join(", ")
            ));
            for (name, e) in bad {
                checks5.push_str(&format!("- {}: {name} not timed: {e}\n", w.id));
            }
            let decoders = good.iter().map(|d| (d.name, d.decode_all)).collect();
            Checked5 { w, decoders }
        })
        .collect();
    eprint!("{checks5}");

    let mut passes = Vec::new();
    let mut hot_notes: Vec<String> = Vec::new();
    for pass in 1..=runs {
        if runs > 1 {
            eprintln!("\npass {pass} of {runs}");
        }
        let mut notes = Vec::new();
        passes.push(run_pass(
            &workloads,
            &workloads5,
            &criterion_dir,
            quick,
            &mut notes,
        ));
        hot_notes.extend(notes);
    }

    hot_notes.sort();
    hot_notes.dedup();
    let tables = report::tables(&report::median_rows(&passes));
    let targets = report::targets(&passes);
    let mode = if quick { " (--quick)" } else { "" };
    let over_passes = if runs > 1 {
        format!(", then medians of {runs} full runs")
    } else {
        String::new()
    };
    let text = format!(
        "Medians of criterion runs{mode}{over_passes}; time / packet is the stream's time divided by its packets.\n\n{tables}\nMQTT 5.0 checks before timing:\n\n{checks5}\nHot buffer:\n\n{}\nTargets:\n\n{targets}",
        if hot_notes.is_empty() {
            "- every decoder left the hot buffer at its address in every run\n".to_string()
        } else {
            hot_notes.iter().map(|n| format!("- {n}\n")).collect()
        }
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
