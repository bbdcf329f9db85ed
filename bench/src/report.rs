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

/// The table, in Markdown.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| workload | op | implementation | time / packet | packets/s | bytes/s | mqtt-wire throughput / this | time / memcpy | allocations / packet |\n\
         |---|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
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

/// The targets, each with its figures and `met` or `missed`. Nothing is asserted.
pub fn targets(rows: &[Row]) -> String {
    let mut out = String::new();
    let peers = ["rumqttc", "mqttrs", "mqtt-protocol"];
    for workload in ["w1", "w2"] {
        if let (Some(ours), Some(peer)) = (
            find(rows, workload, "decode", OURS),
            find(rows, workload, "decode", "mqttrs"),
        ) {
            let ratio = peer.ns / ours.ns;
            let _ = writeln!(
                out,
                "- Decode, {}: mqtt-wire {} per packet, mqttrs {}: {:.2}x (target at least 2x): {}",
                ours.title,
                ns(ours.ns_per_packet()),
                ns(peer.ns_per_packet()),
                ratio,
                verdict(ratio >= 2.0)
            );
        }
    }
    if let (Some(ours), Some(memcpy)) = (
        find(rows, "w1", "encode", OURS),
        find(rows, "w1", "encode", MEMCPY),
    ) {
        let ratio = ours.ns / memcpy.ns;
        let _ = writeln!(
            out,
            "- Encode, {}: mqtt-wire {} for the stream, memcpy {}: {:.2}x memcpy (target at most 1.15x): {}",
            ours.title,
            ns(ours.ns),
            ns(memcpy.ns),
            ratio,
            verdict(ratio <= 1.15)
        );
    }
    if let Some(ours) = find(rows, "w2", "encode", OURS) {
        let fastest = peers
            .iter()
            .filter_map(|p| find(rows, "w2", "encode", p))
            .min_by(|a, b| a.ns.total_cmp(&b.ns));
        if let Some(peer) = fastest {
            let ratio = peer.ns / ours.ns;
            let _ = writeln!(
                out,
                "- Encode, {}: mqtt-wire {} per packet, fastest peer {} {}: {:.2}x (target at least 1.5x): {}",
                ours.title,
                ns(ours.ns_per_packet()),
                peer.implementation,
                ns(peer.ns_per_packet()),
                ratio,
                verdict(ratio >= 1.5)
            );
        }
    }
    if let (Some(small), Some(large)) = (
        find(rows, "w3-64k", "decode", OURS),
        find(rows, "w3-1m", "decode", OURS),
    ) {
        let ratio = large.ns / small.ns;
        let _ = writeln!(
            out,
            "- Decode flat in payload size: mqtt-wire {} per packet at 64 KiB, {} at 1 MiB: {:.2}x for 16x the payload (target: flat, taken as at most 1.5x): {}",
            ns(small.ns_per_packet()),
            ns(large.ns_per_packet()),
            ratio,
            verdict(ratio <= 1.5)
        );
    }
    let ours_decode: Vec<&Row> = rows
        .iter()
        .filter(|r| r.implementation == OURS && r.op == "decode")
        .collect();
    let total: u64 = ours_decode.iter().filter_map(|r| r.allocations).sum();
    let packets: usize = ours_decode.iter().map(|r| r.packets).sum();
    let _ = writeln!(
        out,
        "- Zero heap allocations per decoded packet: mqtt-wire made {total} allocations decoding {packets} packets over all workloads: {}",
        verdict(total == 0 && packets > 0)
    );
    out
}
