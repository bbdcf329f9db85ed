//! The report: by scenario (a failure shows the step, what was expected and what came), by
//! statement, coverage per version, and the last line `scenarios: N passed, N failed`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::engine::Failure;
use crate::model::Version;
use crate::suite::Suite;

/// How a scenario ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Every step went as the standard says.
    Passed,
    /// A step did not.
    Failed(Failure),
    /// A recorded departure of this broker (why), confirmed: the scenario failed (how).
    Departs(String, Failure),
    /// A recorded departure (why), but the scenario passed: the record is stale (a failure).
    NoLongerDeparts(String),
}

/// One scenario's result.
#[derive(Clone, Debug)]
pub struct ScenarioResult {
    /// The scenario's id.
    pub id: String,
    /// Its protocol version.
    pub version: Version,
    /// The statements it shows.
    pub statements: Vec<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// How long it took.
    pub seconds: f64,
}

/// The results of a run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// One per scenario run, in suite order.
    pub results: Vec<ScenarioResult>,
}

impl Report {
    /// (passed, failed, departures confirmed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for r in &self.results {
            match r.outcome {
                Outcome::Passed => counts.0 += 1,
                Outcome::Failed(_) | Outcome::NoLongerDeparts(_) => counts.1 += 1,
                Outcome::Departs(..) => counts.2 += 1,
            }
        }
        counts
    }

    /// The ids of the scenarios that failed (departures confirmed included).
    pub fn failed_ids(&self) -> Vec<&str> {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed(_) | Outcome::Departs(..)))
            .map(|r| r.id.as_str())
            .collect()
    }

    /// The whole report as text; its last line is `scenarios: N passed, N failed`.
    pub fn render(&self, suite: &Suite) -> String {
        let mut out = String::new();
        for r in &self.results {
            let v = r.version.name();
            let _ = match &r.outcome {
                Outcome::Passed => writeln!(out, "PASS {v} {} ({:.1} s)", r.id, r.seconds),
                Outcome::Failed(f) => writeln!(out, "FAIL {v} {}{}", r.id, failure(f)),
                Outcome::Departs(why, f) => writeln!(
                    out,
                    "DEPARTS {v} {}: a recorded departure of this broker: {why}{}",
                    r.id,
                    failure(f)
                ),
                Outcome::NoLongerDeparts(why) => writeln!(
                    out,
                    "FAIL {v} {}: recorded as a departure ({why}) but it passed: remove the record",
                    r.id
                ),
            };
        }
        // By statement: how each tagged statement fared.
        let mut by: BTreeMap<(&str, &str), (usize, Vec<&str>)> = BTreeMap::new();
        for r in &self.results {
            for s in &r.statements {
                let e = by.entry((r.version.name(), s.as_str())).or_default();
                match r.outcome {
                    Outcome::Passed => e.0 += 1,
                    _ => e.1.push(&r.id),
                }
            }
        }
        out.push_str("\nby statement:\n");
        for ((v, s), (passed, failed)) in &by {
            let _ = if failed.is_empty() {
                writeln!(out, "  {v} {s}: {passed} passed")
            } else {
                writeln!(
                    out,
                    "  {v} {s}: {passed} passed, {} not: {}",
                    failed.len(),
                    failed.join(", ")
                )
            };
        }
        out.push_str(
            "\ncoverage (server and both-sides behaviour statements tagged by a scenario):\n",
        );
        for (v, file) in &suite.statements {
            let (bound, covered, all) = crate::statements::coverage(file);
            let scenarios = suite.scenarios().filter(|(sv, _)| sv.name() == *v).count();
            let _ = writeln!(
                out,
                "  {v}: {covered} of {bound} ({:.0}%), {scenarios} scenarios; {all} behaviour statements listed",
                percent(covered, bound)
            );
        }
        let (passed, failed, departs) = self.counts();
        if departs > 0 {
            let _ = writeln!(
                out,
                "{departs} recorded departure(s) of this broker confirmed (neither passed nor failed)"
            );
        }
        let _ = writeln!(out, "scenarios: {passed} passed, {failed} failed");
        out
    }
}

fn failure(f: &Failure) -> String {
    format!(
        "\n  at step {} ({})\n  expected: {}\n  got:      {}",
        f.step, f.what, f.expected, f.got
    )
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}
