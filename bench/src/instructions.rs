//! Instructions per packet under callgrind, for every implementation, workload and operation:
//! `cargo xtask bench --instructions`, which builds `examples/profile.rs` and runs it with
//! `--instructions`. Each count is of the instructions inside the adapter's `decode_all` or
//! `encode_all` only (`--toggle-collect`), over [`REPEATS`] passes of the stream. Unlike
//! times, the counts do not move when other work shares the machine.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::catalog::{DECODERS_311, DECODERS_5, WORKLOADS_311, WORKLOADS_5};

/// Passes over each stream in one callgrind run.
pub const REPEATS: u64 = 10;

/// The instruction count callgrind prints on its standard error (`==PID== Collected : N`),
/// or `None` if there is no such line.
pub fn parse_collected(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| l.split_once("Collected :"))
        .and_then(|(_, n)| n.trim().parse().ok())
}

/// One Markdown table: a row per workload and operation, a column per implementation, and,
/// where the first column is mqtt-wire's, its count over the fewest of the others.
/// `counts[i]` is the row's instructions per packet for `names[i]`.
pub fn table(names: &[&str], rows: &[(String, &str, Vec<f64>)], ratio_to_first: bool) -> String {
    let mut out = String::from("| workload | op | ");
    out.push_str(&names.join(" | "));
    if ratio_to_first {
        let _ = write!(out, " | {} / fewest of the peers", names[0]);
    }
    out.push_str(" |\n|---|---|");
    let columns = names.len() + usize::from(ratio_to_first);
    out.push_str(&"---:|".repeat(columns));
    out.push('\n');
    for (workload, op, counts) in rows {
        // NaN: not counted (a peer that decodes the workload wrongly).
        let cells: Vec<String> = counts
            .iter()
            .map(|c| {
                if c.is_nan() {
                    "not counted".into()
                } else {
                    format!("{c:.0}")
                }
            })
            .collect();
        let _ = write!(out, "| {workload} | {op} | {}", cells.join(" | "));
        if ratio_to_first {
            let fewest = counts[1..].iter().copied().fold(f64::INFINITY, f64::min);
            let _ = write!(out, " | {:.2}", counts[0] / fewest);
        }
        out.push_str(" |\n");
    }
    out
}

/// Runs `profile` (the example's binary) under callgrind for one case; the instructions per
/// packet.
fn count(
    profile: &Path,
    implementation: &str,
    workload: &str,
    op: &str,
    packets: usize,
) -> Result<f64, String> {
    let toggle = format!("--toggle-collect=*::{op}_all");
    let output = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            &toggle,
        ])
        .arg(profile)
        .args([implementation, workload, op, &REPEATS.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "callgrind failed for {implementation} {workload} {op}:\n{stderr}"
        ));
    }
    let collected = parse_collected(&stderr).ok_or_else(|| {
        format!("no instruction count from callgrind for {implementation} {workload} {op}")
    })?;
    Ok(collected as f64 / (REPEATS * packets as u64) as f64)
}

/// Every table: 3.1.1 decode and encode for every implementation, then 5.0 decode for the
/// 5.0 peers (every one, including those that decode a workload wrongly, which the timed run
/// leaves out: the table says which), in Markdown.
pub fn run(profile: &Path) -> Result<String, String> {
    let mut out = format!(
        "Instructions per packet (callgrind, inside `decode_all` / `encode_all` only, {REPEATS} runs of each stream)\n\n"
    );
    let names: Vec<&str> = DECODERS_311.iter().map(|d| d.name).collect();
    let mut rows = Vec::new();
    for (id, _) in WORKLOADS_311 {
        let packets = crate::catalog::msgs_311(id).map_or(0, |m| m.len());
        for op in ["decode", "encode"] {
            let counts = names
                .iter()
                .map(|name| count(profile, name, id, op, packets))
                .collect::<Result<Vec<f64>, String>>()?;
            rows.push((id.to_string(), op, counts));
        }
    }
    out.push_str(&table(&names, &rows, true));

    let names: Vec<&str> = DECODERS_5.iter().map(|d| d.name).collect();
    let mut rows = Vec::new();
    let mut wrong = String::new();
    for id in WORKLOADS_5 {
        let w = crate::catalog::workload_5(id).ok_or("unknown workload")?;
        let (_, bad) = crate::catalog::check5(&w);
        let mut counts = Vec::new();
        for name in &names {
            if bad.iter().any(|(b, _)| b == name) {
                counts.push(f64::NAN);
                let _ = writeln!(wrong, "- {name} decodes {id} wrongly: not counted");
            } else {
                counts.push(count(profile, name, id, "decode", w.packets())?);
            }
        }
        rows.push((id.to_string(), "decode", counts));
    }
    // The 5.0 encode workload is the PUBLISH stream, built through mqtt-wire's constructors;
    // the peers' 5.0 encoders are not measured.
    let w = crate::catalog::workload_5("v5-w1").ok_or("unknown workload v5-w1")?;
    let encode = count(profile, names[0], "v5-w1", "encode", w.packets())?;
    let _ = write!(
        out,
        "\nMQTT 5.0\n\n{}\n{wrong}\n{} encode of v5-w1: {encode:.0} instructions per packet\n",
        table(&names, &rows, false),
        names[0]
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_collected_reads_callgrinds_summary_line() {
        // As valgrind 3.19 prints it, the count after the events line.
        let stderr = "==4211== Callgrind, a call-graph generating cache profiler\n\
                      ==4211== Events    : Ir\n\
                      ==4211== Collected : 2950123\n\
                      ==4211== \n\
                      ==4211== I   refs:      2,950,123\n";
        assert_eq!(parse_collected(stderr), Some(2_950_123));
    }

    #[test]
    fn parse_collected_is_none_without_the_line_or_with_garbage() {
        assert_eq!(parse_collected("==1== I   refs:      2,950,123\n"), None);
        assert_eq!(parse_collected("==1== Collected : many\n"), None);
        assert_eq!(parse_collected(""), None);
    }

    #[test]
    fn table_has_a_column_per_implementation_and_the_ratio_to_the_first() {
        let rows = vec![
            ("w1".to_string(), "decode", vec![300.0, 750.0, 450.0]),
            ("w1".to_string(), "encode", vec![230.0, 350.0, 280.0]),
            ("v5-w2".to_string(), "decode", vec![f64::NAN, 900.0, 800.0]),
        ];
        assert_eq!(
            table(&["mqtt-wire", "a", "b"], &rows, true),
            "| workload | op | mqtt-wire | a | b | mqtt-wire / fewest of the peers |\n\
             |---|---|---:|---:|---:|---:|\n\
             | w1 | decode | 300 | 750 | 450 | 0.67 |\n\
             | w1 | encode | 230 | 350 | 280 | 0.82 |\n\
             | v5-w2 | decode | not counted | 900 | 800 | NaN |\n"
        );
        assert_eq!(
            table(
                &["a", "b"],
                &rows[..1]
                    .iter()
                    .map(|(w, o, c)| (w.clone(), *o, c[1..].to_vec()))
                    .collect::<Vec<_>>(),
                false
            ),
            "| workload | op | a | b |\n|---|---|---:|---:|\n| w1 | decode | 750 | 450 |\n"
        );
    }
}
