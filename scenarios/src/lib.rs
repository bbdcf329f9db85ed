//! Behaviour scenarios for MQTT brokers: the format of `vectors/scenarios/` ([`format`]), its
//! loading and lint ([`suite`], [`statements`]), the patterns that match what a broker sends
//! ([`pattern`]), the step engine that runs a scenario over TCP with this codec ([`engine`]),
//! the report ([`report`]) and a fault-injecting proxy that shows each scenario can fail
//! ([`proxy`]).

#![deny(missing_docs)]

pub mod engine;
pub mod format;
pub mod hex;
pub mod model;
pub mod pattern;
pub mod proxy;
pub mod report;
pub mod statements;
pub mod suite;

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use report::{Outcome, Report, ScenarioResult};
use suite::Suite;

/// A broker's recorded departure from the standard on one scenario.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Departure {
    /// What the broker does, against which statement.
    pub why: String,
    /// The broker departs only some of the time (a timing): a pass is then not a stale
    /// record, and is counted as a pass.
    #[serde(default)]
    pub intermittent: bool,
}

/// The broker departures recorded for one broker, by scenario id
/// (`vectors/scenarios/departures.json`).
pub type Departures = BTreeMap<String, Departure>;

/// Reads the departures of `broker` from a departures file (none when it lists none).
pub fn departures(path: &std::path::Path, broker: &str) -> Result<Departures, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(list) = json.get("brokers").and_then(|b| b.get(broker)) else {
        return Ok(Departures::new());
    };
    serde_json::from_value(list.clone()).map_err(|e| format!("{}: {broker}: {e}", path.display()))
}

/// Runs the scenarios whose id contains `filter` against the broker at `addr`, one after the
/// other (so retained messages and `#` subscriptions of one cannot meet another's), and
/// returns the report.
pub fn run(addr: &str, suite: &Suite, filter: &str, departures: &Departures) -> Report {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => panic!("cannot start the tokio runtime: {e}"),
    };
    // A token per run and scenario: client ids and topics of one run never meet another's.
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
        % 0x10_0000;
    let mut results = Vec::new();
    for (index, (version, scenario)) in suite.scenarios().enumerate() {
        if !scenario.id.contains(filter) {
            continue;
        }
        let token = format!("s{nonce:05x}{index:03}");
        let started = Instant::now();
        let result = runtime.block_on(engine::run(addr, version, scenario, &token));
        let outcome = match (result, departures.get(&scenario.id)) {
            (Ok(()), None) => Outcome::Passed,
            (Err(f), None) => Outcome::Failed(f),
            (Err(f), Some(d)) => Outcome::Departs(d.why.clone(), f),
            (Ok(()), Some(d)) if d.intermittent => Outcome::Passed,
            (Ok(()), Some(d)) => Outcome::NoLongerDeparts(d.why.clone()),
        };
        results.push(ScenarioResult {
            id: scenario.id.clone(),
            version,
            statements: scenario.statements.clone(),
            outcome,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    Report { results }
}
