//! The results table: criterion's medians (read back from its `estimates.json` files),
//! turned into time per packet, packets and bytes per second, ratios against each peer and
//! against `memcpy`, and the targets, each marked met or missed.

use std::fmt::Write as _;
use std::path::Path;

/// One measured implementation on one workload and operation.
#[derive(Clone, Debug)]
pub struct Row {
    pub workload: &'static str,
    pub title: &'static str,
    /// `decode` or `encode`.
    pub op: &'static str,
    pub implementation: &'static str,
    pub packets: usize,
    pub bytes: usize,
    /// Criterion's median time for the whole stream, in nanoseconds.
    pub ns: f64,
    /// Heap allocations made for the whole stream (`None` for `memcpy`).
    pub allocations: Option<u64>,
}

impl Row {
    pub fn ns_per_packet(&self) -> f64 {
        self.ns / self.packets as f64
    }

    fn packets_per_second(&self) -> f64 {
        self.packets as f64 / self.ns * 1e9
    }

    fn bytes_per_second(&self) -> f64 {
        self.bytes as f64 / self.ns * 1e9
    }
}

pub const OURS: &str = "mqtt-wire";
pub const MEMCPY: &str = "memcpy";
/// An empty routine with the decoders' setup: the cost of timing one run.
pub const HARNESS: &str = "(empty routine)";
/// The cache conditions of decoding: a fresh receive buffer per run (`op` "decode"), and one
/// buffer reused at one address (`op` "decode-hot").
pub const COLD: &str = "cold";
pub const HOT: &str = "hot";

/// The `op` of decode rows in a condition.
fn decode_op(condition: &str) -> &'static str {
    if condition == HOT {
        "decode-hot"
    } else {
        "decode"
    }
}

/// Criterion's median for `group/function`, in nanoseconds per iteration.
pub fn read_median(criterion_dir: &Path, group: &str, function: &str) -> Option<f64> {
    let path = criterion_dir
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn si(value: f64, unit: &str) -> String {
    let (scaled, prefix) = if value >= 1e9 {
        (value / 1e9, "G")
    } else if value >= 1e6 {
        (value / 1e6, "M")
    } else if value >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    format!("{scaled:.2} {prefix}{unit}")
}

fn ns(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.2} ms", value / 1e6)
    } else if value >= 1e3 {
        format!("{:.2} µs", value / 1e3)
    } else {
        format!("{value:.1} ns")
    }
}

fn find<'r>(rows: &'r [Row], workload: &str, op: &str, implementation: &str) -> Option<&'r Row> {
    rows.iter()
        .find(|r| r.workload == workload && r.op == op && r.implementation == implementation)
}

/// One table per condition: decoding cold, decoding hot, then encoding, each in Markdown
/// under its own heading. 5.0 rows have no mqtt-wire row yet, so no ratio to it.
pub fn tables(rows: &[Row]) -> String {
    let mut out = String::new();
    for (op, heading) in [
        (
            "decode",
            "Decode, cold: a fresh receive buffer per run (a new allocation, copied outside the timer)",
        ),
        (
            "decode-hot",
            "Decode, hot: one receive buffer reused at one address, refilled outside the timer before each run",
        ),
        ("encode", "Encode: each library's packets into one reused output buffer"),
    ] {
        if rows.iter().any(|r| r.op == op) {
            let _ = write!(out, "{heading}\n\n{}\n", table(rows, op));
        }
    }
    out
}

/// The rows of one `op`, in Markdown; `rows` holds every op, for the memcpy column.
fn table(rows: &[Row], op: &str) -> String {
    let mut out = String::new();
    out.push_str(
        "| workload | op | implementation | time / packet | packets/s | bytes/s | mqtt-wire throughput / this | time / memcpy | allocations / packet |\n\
         |---|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows.iter().filter(|r| r.op == op) {
        let ours = find(rows, row.workload, row.op, OURS);
        let ratio = match (row.implementation, ours) {
            (OURS | MEMCPY | HARNESS, _) | (_, None) => "".to_string(),
            (_, Some(ours)) => format!("{:.2}x", row.ns / ours.ns),
        };
        let memcpy = find(rows, row.workload, "encode", MEMCPY)
            .map(|m| format!("{:.2}", row.ns / m.ns))
            .unwrap_or_default();
        let allocations = row
            .allocations
            .map(|a| format!("{:.2}", a as f64 / row.packets as f64))
            .unwrap_or_default();
        let name = if row.implementation == OURS {
            format!("**{OURS}**")
        } else {
            row.implementation.to_string()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.title,
            row.op,
            name,
            ns(row.ns_per_packet()),
            si(row.packets_per_second(), "/s"),
            si(row.bytes_per_second(), "B/s"),
            ratio,
            memcpy,
            allocations,
        );
    }
    out
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "missed"
    }
}

/// The median of `values` (the mean of the middle two for an even count); NaN if empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[mid],
        _ => (sorted[mid - 1] + sorted[mid]) / 2.0,
    }
}

/// One row per row of the first pass, its time the median of that row's times over the
/// passes. Allocations do not vary between passes: the first pass's are kept.
pub fn median_rows(passes: &[Vec<Row>]) -> Vec<Row> {
    let Some(first) = passes.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|row| {
            let times: Vec<f64> = passes
                .iter()
                .filter_map(|pass| find(pass, row.workload, row.op, row.implementation))
                .map(|r| r.ns)
                .collect();
            Row {
                ns: median(&times),
                ..row.clone()
            }
        })
        .collect()
}

/// A target's ratio in every pass, or `None` if a pass lacks its rows.
fn each_pass(passes: &[Vec<Row>], ratio: impl Fn(&[Row]) -> Option<f64>) -> Option<Vec<f64>> {
    passes.iter().map(|pass| ratio(pass)).collect()
}

/// The median ratio, and how it is shown: `1.75x` after one pass, and after several
/// `1.75x median of 3 runs (1.70x, 1.75x, 2.23x)`, every pass's value in order. `unit`
/// follows the first figure (` memcpy`).
fn summary(ratios: &[f64], unit: &str) -> (f64, String) {
    let ratio = median(ratios);
    let mut shown = format!("{ratio:.2}x{unit}");
    if ratios.len() > 1 {
        let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}x")).collect();
        let _ = write!(
            shown,
            " median of {} runs ({})",
            ratios.len(),
            each.join(", ")
        );
    }
    (ratio, shown)
}

fn decode_vs_mqttrs(rows: &[Row], workload: &str, op: &str) -> Option<f64> {
    let ours = find(rows, workload, op, OURS)?;
    let peer = find(rows, workload, op, "mqttrs")?;
    Some(peer.ns / ours.ns)
}

fn encode_vs_memcpy(rows: &[Row]) -> Option<f64> {
    let ours = find(rows, "w1", "encode", OURS)?;
    let memcpy = find(rows, "w1", "encode", MEMCPY)?;
    Some(ours.ns / memcpy.ns)
}

const PEERS: [&str; 3] = ["rumqttc", "mqttrs", "mqtt-protocol"];
/// The 5.0 peers, by the names their adapters give (`catalog::DECODERS_5`).
const PEERS_5: [&str; 5] = [
    "rumqttc-v5",
    "mqtt-proto",
    "mqute-codec",
    "mqtt5-protocol",
    "rmqtt-codec",
];

fn fastest_peer<'r>(rows: &'r [Row], workload: &str, op: &str) -> Option<&'r Row> {
    PEERS
        .iter()
        .filter_map(|p| find(rows, workload, op, p))
        .min_by(|a, b| a.ns.total_cmp(&b.ns))
}

/// Against the peer that was fastest in that pass.
fn encode_vs_fastest_peer(rows: &[Row]) -> Option<f64> {
    let ours = find(rows, "w2", "encode", OURS)?;
    let peer = fastest_peer(rows, "w2", "encode")?;
    Some(peer.ns / ours.ns)
}

fn decode_large_vs_small(rows: &[Row], op: &str) -> Option<f64> {
    let small = find(rows, "w3-64k", op, OURS)?;
    let large = find(rows, "w3-1m", op, OURS)?;
    Some(large.ns / small.ns)
}

/// The targets, each with its figures and `met` or `missed`. Nothing is asserted.
///
/// With several passes, each target's ratio is taken in every pass and the verdict follows
/// their median; the times shown are the rows' medians over the passes, as in the table.
pub fn targets(passes: &[Vec<Row>]) -> String {
    let mut out = String::new();
    let rows = median_rows(passes);
    for (condition, workload) in [(COLD, "w1"), (COLD, "w2"), (HOT, "w1"), (HOT, "w2")] {
        let op = decode_op(condition);
        if let (Some(ours), Some(peer), Some(ratios)) = (
            find(&rows, workload, op, OURS),
            find(&rows, workload, op, "mqttrs"),
            each_pass(passes, |pass| decode_vs_mqttrs(pass, workload, op)),
        ) {
            let (ratio, shown) = summary(&ratios, "");
            let _ = writeln!(
                out,
                "- Decode ({condition}), {}: mqtt-wire {} per packet, mqttrs {}: {shown} (target at least 2x): {}",
                ours.title,
                ns(ours.ns_per_packet()),
                ns(peer.ns_per_packet()),
                verdict(ratio >= 2.0)
            );
        }
    }
    if let (Some(ours), Some(memcpy), Some(ratios)) = (
        find(&rows, "w1", "encode", OURS),
        find(&rows, "w1", "encode", MEMCPY),
        each_pass(passes, encode_vs_memcpy),
    ) {
        let (ratio, shown) = summary(&ratios, " memcpy");
        let _ = writeln!(
            out,
            "- Encode, {}: mqtt-wire {} for the stream, memcpy {}: {shown} (target at most 1.15x): {}",
            ours.title,
            ns(ours.ns),
            ns(memcpy.ns),
            verdict(ratio <= 1.15)
        );
    }
    if let (Some(ours), Some(peer), Some(ratios)) = (
        find(&rows, "w2", "encode", OURS),
        fastest_peer(&rows, "w2", "encode"),
        each_pass(passes, encode_vs_fastest_peer),
    ) {
        let (ratio, shown) = summary(&ratios, "");
        let _ = writeln!(
            out,
            "- Encode, {}: mqtt-wire {} per packet, fastest peer {} {}: {shown} (target at least 1.5x): {}",
            ours.title,
            ns(ours.ns_per_packet()),
            peer.implementation,
            ns(peer.ns_per_packet()),
            verdict(ratio >= 1.5)
        );
    }
    for condition in [COLD, HOT] {
        let op = decode_op(condition);
        let (Some(small), Some(large), Some(ratios)) = (
            find(&rows, "w3-64k", op, OURS),
            find(&rows, "w3-1m", op, OURS),
            each_pass(passes, |pass| decode_large_vs_small(pass, op)),
        ) else {
            continue;
        };
        let (ratio, shown) = summary(&ratios, "");
        let _ = writeln!(
            out,
            "- Decode ({condition}) flat in payload size: mqtt-wire {} per packet at 64 KiB, {} at 1 MiB: {shown} for 16x the payload (target: flat, taken as at most 1.5x): {}",
            ns(small.ns_per_packet()),
            ns(large.ns_per_packet()),
            verdict(ratio <= 1.5)
        );
    }
    for (workload, what) in [
        ("v5-w1", "the 5.0 1 KiB PUBLISH"),
        ("v5-w2", "the 5.0 IoT mix"),
    ] {
        for condition in [COLD, HOT] {
            let op = decode_op(condition);
            let Some(peer) = PEERS_5
                .iter()
                .filter_map(|p| find(&rows, workload, op, p))
                .min_by(|a, b| a.ns.total_cmp(&b.ns))
            else {
                continue;
            };
            match find(&rows, workload, op, OURS) {
                Some(ours) => {
                    let ratio = peer.ns_per_packet() / ours.ns_per_packet();
                    let _ = writeln!(
                        out,
                        "- Decode ({condition}), {what}: mqtt-wire {} per packet, fastest 5.0 peer {} {}: {ratio:.2}x (target at least 2x): {}",
                        ns(ours.ns_per_packet()),
                        peer.implementation,
                        ns(peer.ns_per_packet()),
                        verdict(ratio >= 2.0)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "- Decode ({condition}), {what}: fastest 5.0 peer {} {} per packet; mqtt-wire not in this run: not measured",
                        peer.implementation,
                        ns(peer.ns_per_packet()),
                    );
                }
            }
        }
    }
    if let (Some(ours), Some(floor)) = (
        find(&rows, "v5-w1", "encode", OURS),
        find(&rows, "v5-w1", "encode", MEMCPY),
    ) {
        let ratio = ours.ns / floor.ns;
        let _ = writeln!(
            out,
            "- Encode, the 5.0 1 KiB PUBLISH: mqtt-wire {} per packet, memcpy {}: {ratio:.2}x (target within 1.2x of memcpy): {}",
            ns(ours.ns_per_packet()),
            ns(floor.ns_per_packet()),
            verdict(ratio <= 1.2)
        );
    } else if rows.iter().any(|r| r.workload == "v5-w1") {
        let _ = writeln!(
            out,
            "- Encode, the 5.0 1 KiB PUBLISH, within 1.2x of memcpy: not in this run: not measured"
        );
    }
    let ours_decode: Vec<&Row> = rows
        .iter()
        .filter(|r| r.implementation == OURS && r.op == "decode")
        .collect();
    let total: u64 = ours_decode.iter().filter_map(|r| r.allocations).sum();
    let packets: usize = ours_decode.iter().map(|r| r.packets).sum();
    if packets == 0 {
        return out;
    }
    let _ = writeln!(
        out,
        "- Zero heap allocations per decoded packet: mqtt-wire made {total} allocations decoding {packets} packets over all workloads: {}",
        verdict(total == 0 && packets > 0)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(workload: &'static str, op: &'static str, implementation: &'static str, ns: f64) -> Row {
        let (title, packets) = match workload {
            "w1" => ("1: PUBLISH QoS 1, 1 KiB payload, x1000", 1000),
            "w2" => ("2: IoT mix, x1000", 1000),
            "w3-64k" => ("3: PUBLISH 64 KiB", 1),
            _ => ("3: PUBLISH 1 MiB", 1),
        };
        let allocations = (implementation != MEMCPY).then_some(0);
        Row {
            workload,
            title,
            op,
            implementation,
            packets,
            bytes: 0,
            ns,
            allocations,
        }
    }

    #[test]
    fn median_of_odd_count_is_the_middle_value() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[5.0]), 5.0);
    }

    #[test]
    fn median_of_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[1.0, 2.0]), 1.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn median_rows_take_each_rows_median_and_the_first_passs_allocations() {
        let pass = |ours, allocations| {
            vec![
                Row {
                    allocations: Some(allocations),
                    ..row("w1", "decode", OURS, ours)
                },
                row("w1", "decode", "mqttrs", 10.0),
            ]
        };
        let rows = median_rows(&[pass(3.0, 7), pass(1.0, 8), pass(2.0, 9)]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].implementation, OURS);
        assert_eq!(rows[0].ns, 2.0);
        assert_eq!(rows[0].allocations, Some(7));
        assert_eq!(rows[1].ns, 10.0);
    }

    #[test]
    fn targets_after_one_pass_show_the_ratio_alone() {
        let rows = vec![
            row("w1", "decode", OURS, 1_000_000.0),
            row("w1", "decode", "mqttrs", 2_500_000.0),
            row("w1", "encode", OURS, 1_100_000.0),
            row("w1", "encode", MEMCPY, 1_000_000.0),
            row("w2", "decode", OURS, 500_000.0),
            row("w2", "decode", "mqttrs", 900_000.0),
            row("w2", "encode", OURS, 200_000.0),
            row("w2", "encode", "rumqttc", 400_000.0),
            row("w2", "encode", "mqttrs", 300_000.0),
            row("w2", "encode", "mqtt-protocol", 600_000.0),
            row("w3-64k", "decode", OURS, 100.0),
            row("w3-1m", "decode", OURS, 120.0),
        ];
        assert_eq!(
            targets(&[rows]),
            "- Decode (cold), 1: PUBLISH QoS 1, 1 KiB payload, x1000: mqtt-wire 1.00 µs per packet, mqttrs 2.50 µs: 2.50x (target at least 2x): met\n\
             - Decode (cold), 2: IoT mix, x1000: mqtt-wire 500.0 ns per packet, mqttrs 900.0 ns: 1.80x (target at least 2x): missed\n\
             - Encode, 1: PUBLISH QoS 1, 1 KiB payload, x1000: mqtt-wire 1.10 ms for the stream, memcpy 1.00 ms: 1.10x memcpy (target at most 1.15x): met\n\
             - Encode, 2: IoT mix, x1000: mqtt-wire 200.0 ns per packet, fastest peer mqttrs 300.0 ns: 1.50x (target at least 1.5x): met\n\
             - Decode (cold) flat in payload size: mqtt-wire 100.0 ns per packet at 64 KiB, 120.0 ns at 1 MiB: 1.20x for 16x the payload (target: flat, taken as at most 1.5x): met\n\
             - Zero heap allocations per decoded packet: mqtt-wire made 0 allocations decoding 2002 packets over all workloads: met\n"
        );
    }

    #[test]
    fn targets_after_three_passes_show_the_median_ratio_and_each_passs() {
        let pass = |decode, encode| {
            vec![
                row("w1", "decode", OURS, decode),
                row("w1", "decode", "mqttrs", 2_000_000.0),
                row("w1", "encode", OURS, encode),
                row("w1", "encode", MEMCPY, 1_000_000.0),
            ]
        };
        let passes = [
            pass(1_000_000.0, 1_100_000.0),
            pass(1_250_000.0, 1_200_000.0),
            pass(800_000.0, 1_050_000.0),
        ];
        assert_eq!(
            targets(&passes),
            "- Decode (cold), 1: PUBLISH QoS 1, 1 KiB payload, x1000: mqtt-wire 1.00 µs per packet, mqttrs 2.00 µs: 2.00x median of 3 runs (2.00x, 1.60x, 2.50x) (target at least 2x): met\n\
             - Encode, 1: PUBLISH QoS 1, 1 KiB payload, x1000: mqtt-wire 1.10 ms for the stream, memcpy 1.00 ms: 1.10x memcpy median of 3 runs (1.10x, 1.20x, 1.05x) (target at most 1.15x): met\n\
             - Zero heap allocations per decoded packet: mqtt-wire made 0 allocations decoding 1000 packets over all workloads: met\n"
        );
    }

    #[test]
    fn verdict_follows_the_median_not_the_best_pass() {
        let pass = |ours| {
            vec![
                row("w2", "decode", OURS, ours),
                row("w2", "decode", "mqttrs", 1_000.0),
            ]
        };
        let text = targets(&[pass(400.0), pass(600.0), pass(700.0)]);
        let decode = text.lines().next().unwrap();
        assert!(
            decode.ends_with(
                "1.67x median of 3 runs (2.50x, 1.67x, 1.43x) (target at least 2x): missed"
            ),
            "{decode}"
        );
    }

    #[test]
    fn targets_take_each_condition_apart_and_say_when_mqtt_wire_is_missing_from_a_5_0_run() {
        let v5 = |op, implementation, ns| Row {
            workload: "v5-w1",
            title: "5.1",
            packets: 1000,
            ..row("w1", op, implementation, ns)
        };
        let rows = vec![
            row("w1", "decode", OURS, 1_000_000.0),
            row("w1", "decode", "mqttrs", 1_500_000.0),
            row("w1", "decode-hot", OURS, 500_000.0),
            row("w1", "decode-hot", "mqttrs", 1_500_000.0),
            v5("decode", "mqtt-proto", 900_000.0),
            v5("decode", "rmqtt-codec", 800_000.0),
            v5("decode-hot", "mqtt-proto", 300_000.0),
            v5("decode-hot", "rmqtt-codec", 400_000.0),
        ];
        assert_eq!(
            targets(&[rows]),
            "- Decode (cold), 1: PUBLISH QoS 1, 1 KiB payload, x1000: mqtt-wire 1.00 µs per packet, mqttrs 1.50 µs: 1.50x (target at least 2x): missed\n\
             - Decode (hot), 1: PUBLISH QoS 1, 1 KiB payload, x1000: mqtt-wire 500.0 ns per packet, mqttrs 1.50 µs: 3.00x (target at least 2x): met\n\
             - Decode (cold), the 5.0 1 KiB PUBLISH: fastest 5.0 peer rmqtt-codec 800.0 ns per packet; mqtt-wire not in this run: not measured\n\
             - Decode (hot), the 5.0 1 KiB PUBLISH: fastest 5.0 peer mqtt-proto 300.0 ns per packet; mqtt-wire not in this run: not measured\n\
             - Encode, the 5.0 1 KiB PUBLISH, within 1.2x of memcpy: not in this run: not measured\n\
             - Zero heap allocations per decoded packet: mqtt-wire made 0 allocations decoding 1000 packets over all workloads: met\n"
        );
    }

    #[test]
    fn tables_put_each_condition_under_its_own_heading() {
        let rows = vec![
            row("w1", "decode", OURS, 1_000.0),
            row("w1", "decode-hot", OURS, 500.0),
            row("w1", "encode", MEMCPY, 250.0),
        ];
        let text = tables(&rows);
        let cold = text.find("Decode, cold").expect("cold heading");
        let hot = text.find("Decode, hot").expect("hot heading");
        let encode = text.find("Encode:").expect("encode heading");
        assert!(cold < hot && hot < encode, "{text}");
        // Each row in its own table: the hot one's time, 0.5 ns per packet, after the hot
        // heading only; time / memcpy 2.00 (500 / 250).
        let hot_row = text.find("| 0.5 ns |").expect("hot row");
        assert!(hot < hot_row && hot_row < encode, "{text}");
        assert!(text[hot..encode].contains("| 2.00 |"), "{text}");
    }
}
