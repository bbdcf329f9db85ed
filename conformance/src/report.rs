//! The report: results by packet type and by clause, the clauses without coverage, every
//! failure; as text for people or JSON for tools. One report per protocol version, ending with
//! `conformance 5.0: N passed, N failed`; a run over both ends with [`total_summary`],
//! `conformance: N passed, N failed`.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};

use crate::run::{EncodeCheck, FaultKind, Observed, Rules, VectorResult};
use crate::suite::{Protocol, Suite, Verdict};

/// How well the vectors cover one clause the suite means to cover.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ClauseCoverage {
    /// Valid vectors that satisfy it, and acceptable vectors that exercise it (the only
    /// kind a clause that says what a receiver *may* do can have).
    pub valid: usize,
    /// Invalid vectors that break it.
    pub invalid: usize,
    /// Why no invalid vector can exist, when none can.
    pub unbreakable: Option<String>,
}

impl ClauseCoverage {
    /// A valid vector, and an invalid one unless the clause cannot be broken in one packet.
    pub fn complete(&self) -> bool {
        self.valid > 0 && (self.invalid > 0 || self.unbreakable.is_some())
    }
}

/// Coverage of every clause marked `covered` in `clauses.json`, by all vectors (not only
/// the ones run).
pub fn coverage(suite: &Suite) -> BTreeMap<String, ClauseCoverage> {
    let mut map: BTreeMap<String, ClauseCoverage> = suite
        .clauses
        .iter()
        .filter(|c| c.covered)
        .map(|c| {
            (
                c.id.clone(),
                ClauseCoverage {
                    unbreakable: c.unbreakable.clone(),
                    ..Default::default()
                },
            )
        })
        .collect();
    for (_, v) in suite.vectors() {
        for clause in &v.clauses {
            if let Some(entry) = map.get_mut(clause) {
                match v.verdict {
                    Verdict::Valid | Verdict::Acceptable => entry.valid += 1,
                    Verdict::Invalid => entry.invalid += 1,
                }
            }
        }
    }
    map
}

/// Everything a run of one protocol version's vectors found.
pub struct Report {
    /// The protocol version.
    pub protocol: Protocol,
    /// The implementation's name.
    pub implementation: String,
    /// The rules it was held to.
    pub rules: Rules,
    /// The lint's problems.
    pub lint: Vec<String>,
    /// Problems of the run beyond single vectors (a recorded decision of this codec that
    /// names no acceptable vector). See also [`Report::problems`].
    pub problems: Vec<String>,
    /// One result per vector run.
    pub results: Vec<VectorResult>,
    /// What the run saw of each vector beyond its result, in the order of `results`.
    pub observed: Vec<Observed>,
    /// Clause coverage (computed over every vector; reported only for unfiltered runs).
    pub coverage: Option<BTreeMap<String, ClauseCoverage>>,
}

impl Report {
    fn gaps(&self) -> Vec<(&String, &ClauseCoverage)> {
        self.coverage
            .iter()
            .flatten()
            .filter(|(_, c)| !c.complete())
            .collect()
    }

    /// Vectors executed (not skipped).
    pub fn executed(&self) -> usize {
        self.results.iter().filter(|r| r.skipped.is_none()).count()
    }

    /// The run's problems: those recorded, and a run in which vectors were selected but none
    /// executed (all skipped), which checked nothing. A version in which the filter selected
    /// nothing is not a problem of its own: [`total_summary`] fails a run in which no version
    /// executed a vector.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = self.problems.clone();
        if self.executed() == 0 && !self.results.is_empty() {
            problems.push(format!(
                "no vector was run: {} selected, all skipped",
                self.results.len()
            ));
        }
        problems
    }

    /// Early rejection over the vectors with a deciding byte that the implementation
    /// refused: how many held, of how many checked.
    pub fn early_rejection(&self) -> (usize, usize) {
        let checked = self
            .results
            .iter()
            .filter_map(|r| r.early_rejection.as_ref());
        let (held, all): (Vec<_>, Vec<_>) = checked.map(|e| (e.held(), ())).unzip();
        (held.iter().filter(|h| **h).count(), all.len())
    }

    /// Passed: vectors whose every check passed. Failed: vectors with a failed check, lint
    /// problems, the run's problems, and clauses without coverage. Skipped vectors count in
    /// neither.
    pub fn counts(&self) -> (usize, usize) {
        let passed = self.results.iter().filter(|r| r.passed()).count();
        let failed = self
            .results
            .iter()
            .filter(|r| !r.failures.is_empty())
            .count()
            + self.lint.len()
            + self.problems().len()
            + self.gaps().len();
        (passed, failed)
    }

    /// Valid vectors decoded right, the derived checks aside (see [`decoded_right`]), and
    /// valid vectors run.
    pub fn decoded_right(&self) -> (usize, usize) {
        let valid = self
            .results
            .iter()
            .filter(|r| r.verdict == Verdict::Valid && r.skipped.is_none());
        let (right, all): (Vec<bool>, Vec<()>) = valid.map(|r| (decoded_right(r), ())).unzip();
        (right.iter().filter(|r| **r).count(), all.len())
    }

    /// The counts beside pass and fail.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for (r, o) in self.results.iter().zip(&self.observed) {
            match r.fault.as_ref().map(|f| f.kind) {
                Some(FaultKind::Crash) => tally.crashes += 1,
                Some(FaultKind::Timeout) => tally.timeouts += 1,
                None => {}
            }
            tally.incomplete += usize::from(o.incomplete);
            if r.skipped.is_none() {
                if let Some(encode) = o.encode {
                    tally.encode_checks += 1;
                    tally.encode_not_made += usize::from(encode != EncodeCheck::Made);
                }
            }
        }
        tally
    }

    /// Whether anything failed.
    pub fn ok(&self) -> bool {
        self.counts().1 == 0
    }

    /// Vectors skipped.
    pub fn skipped(&self) -> usize {
        self.results.iter().filter(|r| r.skipped.is_some()).count()
    }

    /// The closing line: `conformance 3.1.1: N passed, N failed[, N skipped]`.
    pub fn summary(&self) -> String {
        let (passed, failed) = self.counts();
        summary_line(
            &format!("conformance {}", self.protocol),
            passed,
            failed,
            self.skipped(),
        )
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "MQTT {} golden vectors against {}",
            self.protocol, self.implementation
        );
        let _ = writeln!(out, "rules: {}", self.rules.describe());
        if self.lint.is_empty() {
            let _ = writeln!(out, "lint: ok");
        } else {
            let _ = writeln!(out, "lint: {} problems", self.lint.len());
            for p in &self.lint {
                let _ = writeln!(out, "  {p}");
            }
        }
        let problems = self.problems();
        if !problems.is_empty() {
            let _ = writeln!(out, "run: {} problems", problems.len());
            for p in &problems {
                let _ = writeln!(out, "  {p}");
            }
        }

        let _ = writeln!(
            out,
            "\nby packet type           valid  decoded right      invalid    acceptable"
        );
        // Valid, invalid, acceptable, and valid decoded right (the derived checks aside).
        let mut by_type: BTreeMap<&str, [(usize, usize); 4]> = BTreeMap::new();
        for r in &self.results {
            let counts = by_type.entry(&r.packet_type).or_default();
            let slot = &mut counts[r.verdict as usize];
            slot.1 += 1;
            if r.passed() {
                slot.0 += 1;
            }
            if r.verdict == Verdict::Valid {
                counts[3].1 += 1;
                counts[3].0 += usize::from(decoded_right(r));
            }
        }
        for (t, counts) in &by_type {
            let cell = |(p, n): (usize, usize)| {
                if n == 0 {
                    "-".to_owned()
                } else {
                    format!("{p}/{n}")
                }
            };
            let _ = writeln!(
                out,
                "  {t:<20} {:>9} {:>14} {:>12} {:>13}",
                cell(counts[0]),
                cell(counts[3]),
                cell(counts[1]),
                cell(counts[2])
            );
        }
        let (right, valid) = self.decoded_right();
        let _ = writeln!(
            out,
            "  valid vectors decoded right (the derived Remaining Length checks aside): {right} of {valid}"
        );
        let accepted = self
            .results
            .iter()
            .filter(|r| r.choice.as_deref() == Some("accepted"))
            .count();
        let refused = self
            .results
            .iter()
            .filter(|r| {
                r.choice
                    .as_deref()
                    .is_some_and(|c| c.starts_with("refused"))
            })
            .count();
        if accepted + refused > 0 {
            let _ = writeln!(
                out,
                "  acceptable vectors: {accepted} accepted, {refused} refused"
            );
            for r in self.results.iter().filter(|r| r.choice.is_some()) {
                let _ = writeln!(out, "    {} {}", r.choice.as_deref().unwrap_or(""), r.id);
            }
        }

        if let Some(coverage) = &self.coverage {
            let complete = coverage.values().filter(|c| c.complete()).count();
            let _ = writeln!(
                out,
                "\nby clause ({complete} of {} covered)   valid  invalid",
                coverage.len()
            );
            for (id, c) in coverage {
                let invalid = if c.unbreakable.is_some() {
                    "n/a".to_owned()
                } else {
                    c.invalid.to_string()
                };
                let mark = if c.complete() {
                    ""
                } else {
                    "   <- not covered"
                };
                let _ = writeln!(out, "  {id:<22} {:>9} {invalid:>8}{mark}", c.valid);
            }
            let gaps = self.gaps();
            if !gaps.is_empty() {
                let _ = writeln!(out, "\nclauses without coverage:");
                for (id, c) in gaps {
                    let missing = match (c.valid, c.invalid) {
                        (0, 0) => "no valid and no invalid vector",
                        (0, _) => "no valid vector",
                        _ => "no invalid vector",
                    };
                    let _ = writeln!(out, "  {id}: {missing}");
                }
            }
        }

        let (held, checked) = self.early_rejection();
        let _ = writeln!(
            out,
            "\nearly rejection: {held} of {checked} (refused vectors with a deciding byte whose prefixes were incomplete up to it and refused from it on)"
        );
        if let Rules::Standard = self.rules {
            // Under this codec's rules they are failures, listed below.
            for r in &self.results {
                if let Some(deviation) = r
                    .early_rejection
                    .as_ref()
                    .and_then(|e| e.deviation.as_ref())
                {
                    let _ = writeln!(
                        out,
                        "  not held (recorded, not failed): {}: {deviation}",
                        r.id
                    );
                }
            }
        }

        let failed: Vec<_> = self
            .results
            .iter()
            .filter(|r| !r.failures.is_empty())
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(out, "\nfailures:");
            for r in failed {
                let _ = writeln!(out, "  {} ({}):", r.id, r.file);
                for f in &r.failures {
                    let _ = writeln!(out, "    {f}");
                }
            }
        }
        let skipped: Vec<_> = self
            .results
            .iter()
            .filter(|r| r.skipped.is_some())
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(
                out,
                "\nskipped: {}",
                skipped
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(out, "\n{}", self.tally().line());
        let _ = writeln!(out, "{}", self.summary());
        out
    }

    /// The report for tools.
    pub fn json(&self) -> Value {
        let (passed, failed) = self.counts();
        let (held, checked) = self.early_rejection();
        json!({
            "protocol": self.protocol,
            "implementation": self.implementation,
            "rules": match self.rules {
                Rules::ThisCodec(_) => "this-codec",
                Rules::Standard => "standard",
            },
            "lint": self.lint,
            "problems": self.problems(),
            "early_rejection": {"held": held, "checked": checked},
            "decoded_right": self.decoded_right(),
            "tally": self.tally(),
            "results": self.results,
            "coverage": self.coverage,
            "passed": passed,
            "failed": failed,
            "summary": self.summary(),
        })
    }
}

/// Whether a valid vector was decoded right: it passed, or failed only the derived checks
/// (its bytes with the Remaining Length one larger or one smaller), as the matrix counts it.
pub fn decoded_right(r: &VectorResult) -> bool {
    r.verdict == Verdict::Valid
        && r.skipped.is_none()
        && r.failures
            .iter()
            .all(|f| f.starts_with("Remaining Length "))
}

/// What a run counts beside pass and fail: vectors that crashed or timed out, vectors whose
/// whole wire was answered "incomplete", and encode checks not made (declined, or not
/// reached) of those listed for the vectors run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Vectors on which the implementation crashed.
    pub crashes: usize,
    /// Vectors on which it did not answer in time.
    pub timeouts: usize,
    /// Vectors whose whole wire it answered "incomplete".
    pub incomplete: usize,
    /// Encode checks not made.
    pub encode_not_made: usize,
    /// Encode checks listed for the vectors run.
    pub encode_checks: usize,
}

impl Tally {
    /// The line before the summary.
    pub fn line(&self) -> String {
        format!(
            "crashes: {}, timeouts: {}, incomplete answers to a whole vector: {}, encode checks not made: {} of {}",
            self.crashes, self.timeouts, self.incomplete, self.encode_not_made, self.encode_checks
        )
    }

    fn add(&mut self, other: Tally) {
        self.crashes += other.crashes;
        self.timeouts += other.timeouts;
        self.incomplete += other.incomplete;
        self.encode_not_made += other.encode_not_made;
        self.encode_checks += other.encode_checks;
    }
}

/// The counts of [`Tally`] over several versions' reports, for the line before the last.
pub fn total_tally(reports: &[Report]) -> Tally {
    let mut total = Tally::default();
    for report in reports {
        total.add(report.tally());
    }
    total
}

fn summary_line(what: &str, passed: usize, failed: usize, skipped: usize) -> String {
    if skipped > 0 {
        format!("{what}: {passed} passed, {failed} failed, {skipped} skipped")
    } else {
        format!("{what}: {passed} passed, {failed} failed")
    }
}

/// The last line of a run over several versions: `conformance: N passed, N failed[, N
/// skipped]`, the sums of the reports' counts.
pub fn total_summary(reports: &[Report]) -> String {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for report in reports {
        let (p, f) = report.counts();
        passed += p;
        failed += f;
        skipped += report.skipped();
    }
    if !total_executed_any(reports) {
        // Nothing ran in any version (a filter that matched nothing): nothing was checked.
        failed += 1;
    }
    summary_line("conformance", passed, failed, skipped)
}

/// Whether any version executed a vector.
pub fn total_executed_any(reports: &[Report]) -> bool {
    reports.iter().any(|r| r.executed() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{FaultKind, FaultRecord};

    fn result(id: &str, verdict: Verdict, failures: &[&str]) -> VectorResult {
        VectorResult {
            id: id.into(),
            file: "f".into(),
            packet_type: "CONNECT".into(),
            verdict,
            clauses: vec![],
            failures: failures.iter().map(|f| f.to_string()).collect(),
            choice: None,
            skipped: None,
            fault: None,
            note: None,
            early_rejection: None,
        }
    }

    fn report(results: Vec<(VectorResult, Observed)>) -> Report {
        let (results, observed) = results.into_iter().unzip();
        Report {
            protocol: Protocol::V311,
            implementation: "made up".into(),
            rules: Rules::Standard,
            lint: vec![],
            problems: vec![],
            results,
            observed,
            coverage: None,
        }
    }

    #[test]
    fn counts_decoded_right_crashes_timeouts_incomplete_and_encodes_not_made() {
        let made = Observed {
            incomplete: false,
            encode: Some(EncodeCheck::Made),
        };
        let mut crashed = result("c", Verdict::Valid, &["prefix of 1 bytes: crash: boom"]);
        crashed.fault = Some(FaultRecord {
            kind: FaultKind::Crash,
            detail: "prefix of 1 bytes: crash: boom".into(),
        });
        let mut timed_out = result("t", Verdict::Invalid, &["decode: timeout"]);
        timed_out.fault = Some(FaultRecord {
            kind: FaultKind::Timeout,
            detail: "decode: timeout".into(),
        });
        let mut skipped = result("s", Verdict::Valid, &[]);
        skipped.skipped = Some("declined".into());
        let report = report(vec![
            (result("a", Verdict::Valid, &[]), made),
            // Only the derived checks failed: decoded right, not passed.
            (
                result(
                    "b",
                    Verdict::Valid,
                    &["Remaining Length - 1: incomplete, with the whole frame present"],
                ),
                made,
            ),
            (
                result(
                    "i",
                    Verdict::Valid,
                    &["decode: expected the packet using 2 bytes, got incomplete"],
                ),
                Observed {
                    incomplete: true,
                    encode: Some(EncodeCheck::NotReached),
                },
            ),
            (
                crashed,
                Observed {
                    incomplete: false,
                    encode: Some(EncodeCheck::Declined),
                },
            ),
            (timed_out, Observed::default()),
            // A skipped vector's encode check is not counted.
            (
                skipped,
                Observed {
                    incomplete: false,
                    encode: Some(EncodeCheck::NotReached),
                },
            ),
        ]);
        assert_eq!(report.decoded_right(), (2, 4));
        let tally = report.tally();
        assert_eq!(
            tally,
            Tally {
                crashes: 1,
                timeouts: 1,
                incomplete: 1,
                encode_not_made: 2,
                encode_checks: 4,
            }
        );
        let text = report.text();
        assert!(
            text.contains(
                "  CONNECT                    1/5            2/5          0/1             -\n"
            ),
            "{text}"
        );
        assert!(text.contains("decoded right (the derived Remaining Length checks aside): 2 of 4"));
        // The counts on the line before the last, which stays the summary.
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[lines.len() - 2],
            "crashes: 1, timeouts: 1, incomplete answers to a whole vector: 1, encode checks not made: 2 of 4"
        );
        assert_eq!(
            lines[lines.len() - 1],
            "conformance 3.1.1: 1 passed, 4 failed, 1 skipped"
        );
        assert_eq!(total_tally(&[report]).encode_checks, 4);
    }
}
