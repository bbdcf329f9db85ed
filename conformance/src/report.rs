//! The report: results by packet type and by clause, the clauses without coverage, every
//! failure; as text for people or JSON for tools. One report per protocol version, ending with
//! `conformance 5.0: N passed, N failed`; a run over both ends with [`total_summary`],
//! `conformance: N passed, N failed`.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};

use crate::run::{Rules, VectorResult};
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
            "\nby packet type           valid      invalid    acceptable"
        );
        let mut by_type: BTreeMap<&str, [(usize, usize); 3]> = BTreeMap::new();
        for r in &self.results {
            let slot = &mut by_type.entry(&r.packet_type).or_default()[r.verdict as usize];
            slot.1 += 1;
            if r.passed() {
                slot.0 += 1;
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
                "  {t:<20} {:>9} {:>12} {:>13}",
                cell(counts[0]),
                cell(counts[1]),
                cell(counts[2])
            );
        }
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
        let _ = writeln!(out, "\n{}", self.summary());
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
            "results": self.results,
            "coverage": self.coverage,
            "passed": passed,
            "failed": failed,
            "summary": self.summary(),
        })
    }
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
