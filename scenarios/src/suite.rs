//! Loading `vectors/scenarios/`, and the lint: what every scenario file and the statements
//! files must satisfy before anything runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::format::{File, Scenario, Step, FORMAT_VERSION};
use crate::model::{self, Version};
use crate::pattern::{self, Bindings};
use crate::statements::{self, StatementsFile};

/// The longest time one step may wait, so that every scenario stays short.
pub const MAX_STEP_MS: u64 = 15_000;

/// A loaded suite: the scenario files and the statements files of both versions.
#[derive(Debug)]
pub struct Suite {
    /// The scenario files, by path, in name order.
    pub files: Vec<(PathBuf, File)>,
    /// The statements file of each version.
    pub statements: BTreeMap<&'static str, StatementsFile>,
}

/// A statement of the standard as `clauses.json` lists it: its id and class.
#[derive(Clone, Debug)]
pub struct Clause {
    /// `MQTT-4.3.2-2`.
    pub id: String,
    /// `behaviour`, `mixed`, `transport`, `codec+context` (never `codec` here).
    pub class: String,
}

/// The statements of `version` that are not `codec`: what scenarios may tag and what the
/// statements file must account for. Read from `vectors/<v311|v5>/clauses.json` (the same
/// ids and classes as the standard's statement lists in the project's spec reference).
pub fn behaviour_statements(vectors: &Path, version: Version) -> Result<Vec<Clause>, String> {
    let dir = match version {
        Version::V311 => "v311",
        Version::V5 => "v5",
    };
    let path = vectors.join(dir).join("clauses.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let clauses = json["clauses"]
        .as_array()
        .ok_or_else(|| format!("{}: no clauses array", path.display()))?;
    Ok(clauses
        .iter()
        .filter(|c| c["kind"] == "statement" && c["class"] != "codec")
        .filter_map(|c| {
            Some(Clause {
                id: c["id"].as_str()?.to_owned(),
                class: c["class"].as_str()?.to_owned(),
            })
        })
        .collect())
}

/// Reads every `*.json` scenario file of `dir` (the statements files and `departures.json`
/// apart).
pub fn load(dir: &Path) -> Result<Suite, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut statements = BTreeMap::new();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if let Some(version) = stem.strip_prefix("statements-") {
            let file: StatementsFile =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let version = match version {
                "3.1.1" => "3.1.1",
                "5.0" => "5.0",
                other => return Err(format!("{}: unknown version {other}", path.display())),
            };
            statements.insert(version, file);
        } else if stem != "departures" {
            let file: File =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((path, file));
        }
    }
    Ok(Suite { files, statements })
}

impl Suite {
    /// Every scenario with its version, in file order.
    pub fn scenarios(&self) -> impl Iterator<Item = (Version, &Scenario)> {
        self.files.iter().flat_map(|(_, f)| {
            let version = Version::parse(&f.protocol).unwrap_or(Version::V311);
            f.scenarios.iter().map(move |s| (version, s))
        })
    }
}

/// The lint: every problem of the suite, as `file: scenario: what` lines (empty when clean).
/// `vectors` is the `vectors/` directory, for the statements.
pub fn lint(suite: &Suite, vectors: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut known: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for version in [Version::V311, Version::V5] {
        match behaviour_statements(vectors, version) {
            Ok(list) => {
                known.insert(
                    version.name(),
                    list.into_iter().map(|c| (c.id, c.class)).collect(),
                );
            }
            Err(e) => problems.push(e),
        }
    }
    let mut ids = BTreeSet::new();
    let mut tagged: BTreeMap<&str, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (path, file) in &suite.files {
        let at = path.display().to_string();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if file.format_version != FORMAT_VERSION {
            problems.push(format!("{at}: format_version {}", file.format_version));
        }
        let Some(version) = Version::parse(&file.protocol) else {
            problems.push(format!("{at}: protocol {:?}", file.protocol));
            continue;
        };
        if file.name != stem {
            problems.push(format!("{at}: name {:?} is not the file's name", file.name));
        }
        if file.scenarios.is_empty() {
            problems.push(format!("{at}: no scenarios"));
        }
        let statements = known.get(version.name()).cloned().unwrap_or_default();
        for scenario in &file.scenarios {
            let here = format!("{at}: {}", scenario.id);
            if !ids.insert(scenario.id.clone()) {
                problems.push(format!("{here}: id used twice"));
            }
            let well_formed = scenario
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !scenario.id.starts_with(&format!("{}-", file.name)) || !well_formed {
                problems.push(format!(
                    "{here}: an id is lower-case words joined by -, starting with {}-",
                    file.name
                ));
            }
            if scenario.statements.is_empty() {
                problems.push(format!("{here}: tags no statement"));
            }
            for id in &scenario.statements {
                if statements.contains_key(id) {
                    tagged
                        .entry(version.name())
                        .or_default()
                        .entry(id.clone())
                        .or_default()
                        .push(scenario.id.clone());
                } else {
                    problems.push(format!(
                        "{here}: {id} is not a behaviour statement of {} (a codec one, or unknown)",
                        version.name()
                    ));
                }
            }
            problems.extend(
                lint_steps(scenario, version)
                    .into_iter()
                    .map(|p| format!("{here}: {p}")),
            );
        }
    }
    for version in [Version::V311, Version::V5] {
        let name = version.name();
        match suite.statements.get(name) {
            None => problems.push(format!("statements-{name}.json is missing")),
            Some(file) => problems.extend(statements::lint(
                file,
                name,
                known
                    .get(name)
                    .map(|k| k.keys().cloned().collect())
                    .unwrap_or_default(),
                tagged.get(name).cloned().unwrap_or_default(),
            )),
        }
    }
    problems
}

/// The steps' problems: connections used before they are opened or that were not declared,
/// a send the codec refuses or that uses a value no earlier step binds, a bad pattern, a
/// step without a time bound, a scenario that checks nothing.
fn lint_steps(scenario: &Scenario, version: Version) -> Vec<String> {
    let mut problems = Vec::new();
    let declared: BTreeSet<&str> = scenario.connections.iter().map(String::as_str).collect();
    if declared.len() != scenario.connections.len() || declared.is_empty() {
        problems.push("connections: none, or one named twice".to_owned());
    }
    let mut open = BTreeSet::new();
    let mut used = BTreeSet::new();
    // Values bound so far, with a stand-in for each (the packet identifier 1 fits anywhere a
    // bound value is sent: an identifier, a number).
    let mut bound = Bindings::new();
    if !scenario.steps.iter().any(Step::checks) {
        problems.push("no step checks what the broker does".to_owned());
    }
    for (i, step) in scenario.steps.iter().enumerate() {
        let at = format!("step {} ({})", i + 1, step.kind());
        if let Some(conn) = step.conn() {
            used.insert(conn);
            if !declared.contains(conn) {
                problems.push(format!("{at}: connection {conn} is not declared"));
            }
            let is_open = open.contains(conn);
            match step {
                Step::Open { .. } if is_open => {
                    problems.push(format!("{at}: {conn} is open already"));
                }
                Step::Open { .. } => {
                    open.insert(conn);
                }
                _ if !is_open => problems.push(format!("{at}: {conn} is not open")),
                Step::Drop { .. } | Step::Closed { .. } => {
                    open.remove(conn);
                }
                _ => {}
            }
        }
        match step {
            Step::Send { packet, hex, .. } => match (packet, hex) {
                (Some(model), None) => {
                    let model = pattern::with_token(model, "tok");
                    match pattern::substitute(&model, &bound) {
                        Ok(model) => {
                            if let Err(e) = model::encode(version, &model) {
                                problems.push(format!("{at}: {e}"));
                            }
                        }
                        Err(e) => problems.push(format!("{at}: {e}")),
                    }
                }
                (None, Some(hex)) => {
                    if let Err(e) = crate::hex::parse(hex) {
                        problems.push(format!("{at}: hex: {e}"));
                    }
                }
                _ => problems.push(format!("{at}: give exactly one of packet and hex")),
            },
            Step::Expect {
                packets,
                within_ms,
                ignore,
                ..
            } => {
                for p in ignore {
                    lint_pattern(p, &at, &mut problems, &mut Bindings::new());
                }
                if packets.is_empty() {
                    problems.push(format!("{at}: expects no packet"));
                }
                for p in packets {
                    lint_pattern(p, &at, &mut problems, &mut bound);
                }
                if within_ms.is_some_and(|ms| ms > MAX_STEP_MS) {
                    problems.push(format!("{at}: within_ms above {MAX_STEP_MS}"));
                }
            }
            Step::Closed {
                may_send_first,
                must_send_first,
                within_ms,
                ..
            } => {
                for p in may_send_first {
                    lint_pattern(p, &at, &mut problems, &mut bound);
                }
                if *must_send_first && may_send_first.is_empty() {
                    problems.push(format!("{at}: must_send_first without may_send_first"));
                }
                if within_ms.is_some_and(|ms| ms > MAX_STEP_MS) {
                    problems.push(format!("{at}: within_ms above {MAX_STEP_MS}"));
                }
            }
            Step::Silence { ms, .. } | Step::Wait { ms } => {
                if *ms == 0 || *ms > MAX_STEP_MS {
                    problems.push(format!("{at}: ms must be 1-{MAX_STEP_MS}"));
                }
            }
            Step::Open { .. } | Step::Drop { .. } => {}
        }
    }
    for conn in &declared {
        if !used.contains(conn) {
            problems.push(format!("connection {conn} is never used"));
        }
    }
    problems
}

fn lint_pattern(p: &Value, at: &str, problems: &mut Vec<String>, bound: &mut Bindings) {
    if let Err(e) = pattern::check(p) {
        problems.push(format!("{at}: {e}"));
    }
    if !p.get("type").is_some_and(Value::is_string) {
        problems.push(format!("{at}: a packet pattern needs its \"type\": {p}"));
    }
    collect_vars(p, bound);
}

/// Records the `$var` names of a pattern as bound (to a stand-in, 1).
fn collect_vars(p: &Value, bound: &mut Bindings) {
    match p {
        Value::Object(o) => {
            if let Some(name) = o.get("$var").and_then(Value::as_str) {
                bound.insert(name.to_owned(), Value::from(1));
            }
            o.values().for_each(|v| collect_vars(v, bound));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_vars(v, bound)),
        _ => {}
    }
}
