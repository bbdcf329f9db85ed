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
    /// Not run: the broker says it does not support what the scenario shows (why), for
    /// example a feature its CONNACK announces as unavailable. Neither a pass nor a failure.
    NotApplicable(String),
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
                Outcome::NotApplicable(_) => {}
            }
        }
        counts
    }

    /// How many scenarios were not applicable to this broker.
    pub fn not_applicable(&self) -> usize {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::NotApplicable(_)))
            .count()
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
                Outcome::NotApplicable(why) => writeln!(
                    out,
                    "N/A {v} {}: not applicable to this broker (not run): {why}",
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
                    Outcome::NotApplicable(_) => {}
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
        let not_applicable = self.not_applicable();
        if not_applicable > 0 {
            let _ = writeln!(
                out,
                "{not_applicable} scenario(s) not applicable to this broker (not run; neither passed nor failed)"
            );
        }
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

impl Report {
    /// The report in machine-readable form, for `docs/brokers.md`: the broker's name, what
    /// the caller says about the run (`meta`: version, how it was started, the command, the
    /// date, the duration), and one entry per scenario run.
    pub fn to_json(&self, broker: &str, meta: &BTreeMap<String, String>) -> serde_json::Value {
        let (passed, failed, departs) = self.counts();
        let results: Vec<serde_json::Value> = self
            .results
            .iter()
            .map(|r| {
                // `detail`: why (a departure, a not-applicable) or how it failed;
                // `failure`: the failing step, when there is one.
                let (outcome, detail, failed) = match &r.outcome {
                    Outcome::Passed => ("pass", String::new(), None),
                    Outcome::Failed(f) => ("fail", failure(f).trim().to_owned(), Some(f)),
                    Outcome::Departs(why, f) => ("departs", why.clone(), Some(f)),
                    Outcome::NoLongerDeparts(why) => ("stale-departure", why.clone(), None),
                    Outcome::NotApplicable(why) => ("not-applicable", why.clone(), None),
                };
                serde_json::json!({
                    "id": r.id,
                    "version": r.version.name(),
                    "statements": r.statements,
                    "outcome": outcome,
                    "detail": detail,
                    "failure": failed.map(|f| failure(f).trim().to_owned()),
                    "seconds": (r.seconds * 10.0).round() / 10.0,
                })
            })
            .collect();
        serde_json::json!({
            "broker": broker,
            "meta": meta,
            "summary": {
                "passed": passed,
                "failed": failed,
                "departures": departs,
                "not_applicable": self.not_applicable(),
            },
            "results": results,
        })
    }
}

/// `docs/brokers.md` from the JSON reports of several brokers (`runs`, each as
/// [`Report::to_json`] wrote it, in column order): the table of brokers, one row per scenario of
/// `suite` and one column per broker, and a footnote for every departure and every
/// not-applicable scenario (its `detail`, which says what the broker did against which
/// statement).
pub fn markdown(runs: &[serde_json::Value], suite: &Suite) -> String {
    let text = |v: &serde_json::Value, key: &str| -> String {
        v.get("meta")
            .and_then(|m| m.get(key))
            .and_then(|s| s.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let name = |v: &serde_json::Value| v["broker"].as_str().unwrap_or("?").to_owned();
    let mut out = String::new();
    out.push_str(
        "# Brokers against the behaviour scenarios\n\n\
         Generated by `cargo xtask scenarios --docs` from the JSON reports in `docs/brokers/` \
         (each written by `cargo xtask scenarios --start NAME --record`); do not edit by hand.\n\n\
         Each row is a scenario of `vectors/scenarios/` (its statements in the third column), each \
         broker column what the broker did. `pass`: every step went as the standard says. \
         **departs**: the broker fails the scenario; the failure is recorded in \
         `vectors/scenarios/departures.json` and checked against the standard (the footnote says \
         what the broker did against which statement). An intermittent departure depends on \
         timing: the broker passes some runs. **n/a**: not run, because the broker says it does \
         not support what the scenario shows (the footnote says where it says so); neither a pass \
         nor a failure. **FAIL**: a failure not recorded (a defect to look at). `—`: the broker \
         does not serve that protocol version.\n\n",
    );
    out.push_str("| broker | version | how | date | command | result | duration |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for run in runs {
        let s = &run["summary"];
        let n = |k: &str| s[k].as_u64().unwrap_or(0);
        let mut result = format!("{} passed, {} failed", n("passed"), n("failed"));
        if n("departures") > 0 {
            let _ = write!(result, ", {} departures confirmed", n("departures"));
        }
        if n("not_applicable") > 0 {
            let _ = write!(result, ", {} not applicable", n("not_applicable"));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | `{}` | {} | {} |",
            name(run),
            text(run, "version"),
            text(run, "how"),
            text(run, "date"),
            text(run, "command"),
            result,
            text(run, "duration"),
        );
    }
    out.push_str("\n| version | scenario | statements |");
    for run in runs {
        let _ = write!(out, " {} |", text(run, "version"));
    }
    out.push_str("\n|---|---|---|");
    for _ in runs {
        out.push_str("---|");
    }
    out.push('\n');
    let mut notes = Vec::new();
    for (version, scenario) in suite.scenarios() {
        let _ = write!(
            out,
            "| {} | `{}` | {} |",
            version.name(),
            scenario.id,
            scenario.statements.join(", ")
        );
        for run in runs {
            let found = run["results"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["id"] == scenario.id.as_str()));
            let Some(r) = found else {
                out.push_str(" — |");
                continue;
            };
            let key = format!("{}-{}", name(run), scenario.id);
            let detail = r["detail"].as_str().unwrap_or("").replace('\n', " ");
            let cell = match r["outcome"].as_str().unwrap_or("") {
                "pass" => "pass".to_owned(),
                "departs" => {
                    notes.push(format!("[^{key}]: {}: {detail}", name(run)));
                    format!("**departs** [^{key}]")
                }
                "not-applicable" => {
                    notes.push(format!("[^{key}]: {}: not applicable: {detail}", name(run)));
                    format!("n/a [^{key}]")
                }
                "stale-departure" => "**FAIL** (recorded departure, but it passed)".to_owned(),
                _ => {
                    notes.push(format!("[^{key}]: {}: not recorded: {detail}", name(run)));
                    format!("**FAIL** [^{key}]")
                }
            };
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    if !notes.is_empty() {
        out.push('\n');
        for n in notes {
            let _ = writeln!(out, "{n}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            id: id.into(),
            version: Version::V311,
            statements: vec!["MQTT-3.1.0-1".into()],
            outcome,
            seconds: 0.1,
        }
    }

    fn suite() -> Suite {
        let scenarios: Vec<serde_json::Value> = ["a", "b", "c"]
            .iter()
            .map(|id| {
                serde_json::json!({
                    "id": format!("v311-t-{id}"), "description": "d",
                    "statements": ["MQTT-3.1.0-1"], "connections": ["x"],
                    "steps": [{"step": "open", "conn": "x"}]
                })
            })
            .collect();
        let file: crate::format::File = serde_json::from_value(serde_json::json!({
            "format_version": 1, "protocol": "3.1.1", "name": "v311-t", "description": "t",
            "scenarios": scenarios
        }))
        .unwrap();
        Suite {
            files: vec![("v311-t.json".into(), file)],
            statements: BTreeMap::new(),
        }
    }

    #[test]
    fn not_applicable_is_neither_passed_nor_failed() {
        let report = Report {
            results: vec![
                result("v311-t-a", Outcome::Passed),
                result(
                    "v311-t-b",
                    Outcome::NotApplicable("no shared subscriptions".into()),
                ),
            ],
        };
        assert_eq!(report.counts(), (1, 0, 0));
        assert_eq!(report.not_applicable(), 1);
        let text = report.render(&suite());
        assert!(text.contains("N/A 3.1.1 v311-t-b: not applicable"));
        assert!(text.ends_with("scenarios: 1 passed, 0 failed\n"));
        let json = report.to_json("b", &BTreeMap::new());
        assert_eq!(json["summary"]["not_applicable"], 1);
        assert_eq!(json["summary"]["passed"], 1);
        assert_eq!(json["results"][1]["outcome"], "not-applicable");
    }

    #[test]
    fn markdown_marks_each_outcome_with_its_footnote() {
        let failure = Failure {
            step: 3,
            what: "expect on x".into(),
            expected: "A".into(),
            got: "B".into(),
        };
        let report = Report {
            results: vec![
                result("v311-t-a", Outcome::Passed),
                result(
                    "v311-t-b",
                    Outcome::Departs("MQTT-3.1.0-1: it does X".into(), failure),
                ),
                result("v311-t-c", Outcome::NotApplicable("says so".into())),
            ],
        };
        let mut meta = BTreeMap::new();
        meta.insert("version".to_owned(), "B 1.0".to_owned());
        let other = Report::default().to_json("o", &BTreeMap::new());
        let md = markdown(&[report.to_json("b", &meta), other], &suite());
        assert!(md.contains("| 3.1.1 | `v311-t-a` | MQTT-3.1.0-1 | pass | — |"));
        assert!(md.contains("| `v311-t-b` | MQTT-3.1.0-1 | **departs** [^b-v311-t-b] | — |"));
        assert!(md.contains("| `v311-t-c` | MQTT-3.1.0-1 | n/a [^b-v311-t-c] | — |"));
        assert!(md.contains("[^b-v311-t-b]: b: MQTT-3.1.0-1: it does X\n"));
        assert!(md.contains("[^b-v311-t-c]: b: not applicable: says so\n"));
        assert!(md.contains("| 1 passed, 0 failed, 1 departures confirmed, 1 not applicable |"));
    }
}
