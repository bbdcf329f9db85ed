//! The results matrix: every vector against several implementations, one cell per vector and
//! implementation (pass, fail, crash, timeout or skip, with a short note of what was
//! observed), a summary per implementation and per clause; as JSON and as Markdown
//! (`docs/matrix.json`, `docs/matrix.md`, written by `cargo xtask matrix`). And the
//! comparison of a new matrix with a committed one, for CI.
//!
//! One matrix per protocol version; [`Matrices`] holds them side by side (the file format
//! since version 2), so that a run over one version replaces that version's part and keeps
//! the other's.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;

// The page lives in its own file; declared here so that the crate root stays as it is.
#[path = "matrix_page.rs"]
pub mod page;

use crate::implementation::{Fault, Implementation, Outcome, Request};
use crate::run::{FaultKind, VectorResult};
use crate::suite::{Protocol, Verdict};

/// The format version of one version's matrix (a [`Matrix`]).
pub const FORMAT_VERSION: u32 = 1;

/// The format version of `docs/matrix.json` ([`Matrices`]): one [`Matrix`] per protocol
/// version. Version 1 was a single 3.1.1 [`Matrix`], still read.
pub const FILE_FORMAT_VERSION: u32 = 2;

/// The line in `docs/matrix.md` below which everything is generated; what is above it is
/// written by hand (the summary of what each implementation gets wrong) and kept.
pub const GENERATED_MARKER: &str =
    "<!-- Everything below this line is written by `cargo xtask matrix`. -->";

/// What happened to one vector in one implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every check passed.
    Pass,
    /// A check failed.
    Fail,
    /// The implementation crashed (an exception, a panic, the process died).
    Crash,
    /// It did not answer in time.
    Timeout,
    /// Not run: the implementation declined it, or it is a `LargePacket` vector (not sent
    /// through adapters).
    Skip,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Crash => "crash",
            Status::Timeout => "timeout",
            Status::Skip => "skip",
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Pass, fail, crash, timeout or skip.
    pub status: Status,
    /// What was observed: the first failed check, the crash, the refusal's message for a
    /// pass with an error the suite has no name for, the choice for an acceptable vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The longest note kept in a cell.
const NOTE_LEN: usize = 160;

fn shorten(text: &str, limit: usize) -> String {
    let text = text.replace('\n', " ");
    if text.chars().count() <= limit {
        return text;
    }
    let mut short: String = text.chars().take(limit - 3).collect();
    short.push_str("...");
    short
}

/// The cell for one vector's result.
pub fn cell(result: &VectorResult) -> Cell {
    if let Some(fault) = &result.fault {
        let status = match fault.kind {
            FaultKind::Crash => Status::Crash,
            FaultKind::Timeout => Status::Timeout,
        };
        return Cell {
            status,
            note: Some(shorten(&fault.detail, NOTE_LEN)),
        };
    }
    if let Some(why) = &result.skipped {
        return Cell {
            status: Status::Skip,
            note: Some(shorten(why, NOTE_LEN)),
        };
    }
    if let Some(first) = result.failures.first() {
        let more = match result.failures.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        return Cell {
            status: Status::Fail,
            note: Some(format!("{}{more}", shorten(first, NOTE_LEN))),
        };
    }
    let note = match (&result.choice, &result.note) {
        (Some(choice), Some(message)) => Some(format!("{choice}: {message}")),
        (Some(choice), None) => Some(choice.clone()),
        (None, Some(message)) => Some(format!("refused: {message}")),
        (None, None) => None,
    };
    Cell {
        status: Status::Pass,
        note: note.map(|n| shorten(&n, NOTE_LEN)),
    }
}

/// One implementation's results.
#[derive(Debug, Clone)]
pub struct Column {
    /// Its name in the matrix.
    pub name: String,
    /// Its version.
    pub version: String,
    /// One result per vector, in the suite's order.
    pub results: Vec<VectorResult>,
}

/// Counts of each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Crashed.
    pub crash: usize,
    /// Timed out.
    pub timeout: usize,
    /// Skipped.
    pub skip: usize,
    /// Of the failed: valid vectors whose only failed checks are the derived ones (the
    /// packet with its Remaining Length one larger or one smaller): the packet itself was
    /// decoded, encoded and framed right.
    pub fail_derived_only: usize,
}

/// Whether every failed check of a result is a derived one (Remaining Length one off).
fn derived_only(result: &VectorResult) -> bool {
    !result.failures.is_empty()
        && result
            .failures
            .iter()
            .all(|f| f.starts_with("Remaining Length "))
}

impl Counts {
    fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Crash => self.crash += 1,
            Status::Timeout => self.timeout += 1,
            Status::Skip => self.skip += 1,
        }
    }

    /// Vectors run (not skipped).
    pub fn run(&self) -> usize {
        self.pass + self.fail + self.crash + self.timeout
    }
}

/// One implementation's line in the matrix.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// How many vectors got each status.
    pub counts: Counts,
    /// Per verdict (`valid`, `invalid`, `acceptable`): how many vectors got each status.
    pub by_verdict: BTreeMap<String, Counts>,
    /// Per clause: vectors that exercise it and passed, and that were run.
    pub by_clause: BTreeMap<String, [usize; 2]>,
    /// Early rejection, recorded apart from the cells (the standard does not require it):
    /// of the vectors with a deciding byte that the implementation refused, how many had
    /// every prefix incomplete up to that byte and refused from it on, and how many were
    /// checked. Absent from matrices written before it was counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_rejection: Option<[usize; 2]>,
}

/// One vector's line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// The vector's id.
    pub id: String,
    /// Its file.
    pub file: String,
    /// Its verdict.
    pub verdict: String,
    /// The clauses it exercises.
    pub clauses: Vec<String>,
    /// One cell per implementation, in the order of `implementations`.
    pub cells: Vec<Cell>,
}

/// The whole matrix.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Matrix {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The implementations, the reference (this codec) first.
    pub implementations: Vec<Summary>,
    /// One row per vector.
    pub vectors: Vec<Row>,
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "valid",
        Verdict::Invalid => "invalid",
        Verdict::Acceptable => "acceptable",
    }
}

impl Matrix {
    /// Builds the matrix from each implementation's results over the same vectors.
    pub fn new(columns: &[Column]) -> Result<Matrix, String> {
        let first = columns.first().ok_or("a matrix needs an implementation")?;
        let mut vectors: Vec<Row> = first
            .results
            .iter()
            .map(|r| Row {
                id: r.id.clone(),
                file: r.file.clone(),
                verdict: verdict_name(r.verdict).into(),
                clauses: r.clauses.clone(),
                cells: Vec::new(),
            })
            .collect();
        let mut implementations = Vec::new();
        for column in columns {
            if column.results.len() != vectors.len()
                || column
                    .results
                    .iter()
                    .zip(&vectors)
                    .any(|(r, row)| r.id != row.id)
            {
                return Err(format!("{} was not run over the same vectors", column.name));
            }
            let mut counts = Counts::default();
            let mut by_verdict: BTreeMap<String, Counts> = BTreeMap::new();
            let mut by_clause: BTreeMap<String, [usize; 2]> = BTreeMap::new();
            for (result, row) in column.results.iter().zip(&mut vectors) {
                let cell = cell(result);
                let verdict = by_verdict.entry(row.verdict.clone()).or_default();
                for c in [&mut counts, verdict] {
                    c.add(cell.status);
                    if cell.status == Status::Fail && derived_only(result) {
                        c.fail_derived_only += 1;
                    }
                }
                if cell.status != Status::Skip {
                    for clause in &result.clauses {
                        let entry = by_clause.entry(clause.clone()).or_default();
                        entry[1] += 1;
                        if cell.status == Status::Pass {
                            entry[0] += 1;
                        }
                    }
                }
                row.cells.push(cell);
            }
            let early: Vec<bool> = column
                .results
                .iter()
                .filter_map(|r| r.early_rejection.as_ref().map(|e| e.held()))
                .collect();
            implementations.push(Summary {
                name: column.name.clone(),
                version: column.version.clone(),
                counts,
                by_verdict,
                by_clause,
                early_rejection: Some([early.iter().filter(|h| **h).count(), early.len()]),
            });
        }
        Ok(Matrix {
            format_version: FORMAT_VERSION,
            implementations,
            vectors,
        })
    }

    /// The matrix as pretty JSON, ending in a newline.
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a matrix written by [`Matrix::json`].
    pub fn from_json(text: &str) -> Result<Matrix, String> {
        serde_json::from_str(text).map_err(|e| format!("not a results matrix: {e}"))
    }

    /// One version's part of the generated `docs/matrix.md`: its heading, the summary, the
    /// results by clause, every vector's row.
    pub fn markdown(&self, protocol: Protocol) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## MQTT {}\n", protocol.as_str());
        let _ = writeln!(out, "### Summary, MQTT {}\n", protocol.as_str());
        let skipped = match protocol {
            Protocol::V311 => {
                "Skipped: the three `LargePacket` vectors, which are not sent through adapters."
            }
            Protocol::V5 => {
                "Skipped: the `LargePacket` vectors, which are not sent through adapters; for a \
                 peer, also the vectors that need a request feature its adapter does not \
                 declare (`context`: the limits negotiated on the connection), and those it \
                 answers `unsupported`."
            }
        };
        let _ = writeln!(
            out,
            "Each vector is one row below; a cell is `pass` when every check of the runner \
             passed (vectors/README.md, \"What a runner checks\"), else the first check that \
             failed, a crash or a timeout. {skipped} *Fail, derived only*: valid vectors whose packet was \
             decoded, encoded and framed right, and which failed only the derived checks (the \
             same bytes with a Remaining Length one larger or one smaller must not give a \
             packet that uses the wrong bytes). *Early rejection*, counted apart and never \
             a failure (the standard does not ask for it): of the invalid vectors the \
             implementation refused, those whose every prefix was incomplete up to the byte \
             that decides the error (`error.decided_at`) and refused with the same error from \
             it on.\n"
        );
        let _ = writeln!(
            out,
            "| implementation | version | pass | fail | of which derived only | crash | timeout | skip | valid passed | invalid passed | acceptable passed | early rejection |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|---|");
        for imp in &self.implementations {
            let c = imp.counts;
            let verdict = |v: &str| {
                imp.by_verdict.get(v).map_or("-".into(), |c| {
                    if c.fail_derived_only == 0 {
                        format!("{}/{}", c.pass, c.run())
                    } else {
                        format!(
                            "{}/{} ({} without the derived checks)",
                            c.pass,
                            c.run(),
                            c.pass + c.fail_derived_only
                        )
                    }
                })
            };
            let early = imp
                .early_rejection
                .map_or("-".into(), |[held, checked]| format!("{held}/{checked}"));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {early} |",
                imp.name,
                imp.version,
                c.pass,
                c.fail,
                c.fail_derived_only,
                c.crash,
                c.timeout,
                c.skip,
                verdict("valid"),
                verdict("invalid"),
                verdict("acceptable")
            );
        }

        let _ = writeln!(out, "\n### By clause, MQTT {}\n", protocol.as_str());
        let _ = writeln!(
            out,
            "Vectors passed of those run, per clause they exercise.\n"
        );
        let mut header = "| clause |".to_owned();
        let mut rule = "|---|".to_owned();
        for imp in &self.implementations {
            let _ = write!(header, " {} |", imp.name);
            rule.push_str("---|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        let mut clauses: Vec<&String> = self
            .implementations
            .iter()
            .flat_map(|i| i.by_clause.keys())
            .collect();
        clauses.sort_by_key(|c| clause_order(c));
        clauses.dedup();
        for clause in clauses {
            let mut line = format!("| {clause} |");
            for imp in &self.implementations {
                let cell = imp
                    .by_clause
                    .get(clause)
                    .map_or("-".into(), |[p, n]| format!("{p}/{n}"));
                let _ = write!(line, " {cell} |");
            }
            let _ = writeln!(out, "{line}");
        }

        let _ = writeln!(out, "\n### Vectors, MQTT {}\n", protocol.as_str());
        let mut header = "| vector | verdict |".to_owned();
        let mut rule = "|---|---|".to_owned();
        for imp in &self.implementations {
            let _ = write!(header, " {} |", imp.name);
            rule.push_str("---|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for row in &self.vectors {
            let mut line = format!("| `{}` | {} |", row.id, row.verdict);
            for cell in &row.cells {
                let _ = write!(line, " {} |", markdown_cell(cell));
            }
            let _ = writeln!(out, "{line}");
        }
        out
    }
}

/// `docs/matrix.json`: one [`Matrix`] per protocol version.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Matrices {
    /// [`FILE_FORMAT_VERSION`].
    pub format_version: u32,
    /// By version name (`3.1.1`, `5.0`).
    pub protocols: BTreeMap<String, Matrix>,
}

impl Matrices {
    /// Reads `docs/matrix.json`: format 2, or format 1 (one 3.1.1 matrix).
    pub fn from_json(text: &str) -> Result<Matrices, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not a results matrix: {e}"))?;
        if value.get("protocols").is_some() {
            let matrices: Matrices =
                serde_json::from_value(value).map_err(|e| format!("not a results matrix: {e}"))?;
            if matrices.format_version != FILE_FORMAT_VERSION {
                return Err(format!(
                    "results matrix format {} (this runner reads {FILE_FORMAT_VERSION})",
                    matrices.format_version
                ));
            }
            for name in matrices.protocols.keys() {
                Protocol::parse(name).ok_or(format!("results matrix of protocol {name}"))?;
            }
            return Ok(matrices);
        }
        let one = Matrix::from_json(text)?;
        Ok(Matrices {
            format_version: FILE_FORMAT_VERSION,
            protocols: BTreeMap::from([(Protocol::V311.as_str().to_owned(), one)]),
        })
    }

    /// As pretty JSON, ending in a newline.
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// One version's matrix.
    pub fn get(&self, protocol: Protocol) -> Option<&Matrix> {
        self.protocols.get(protocol.as_str())
    }

    /// Puts (or replaces) one version's matrix, keeping the others.
    pub fn set(&mut self, protocol: Protocol, matrix: Matrix) {
        self.format_version = FILE_FORMAT_VERSION;
        self.protocols.insert(protocol.as_str().to_owned(), matrix);
    }

    /// The generated part of `docs/matrix.md`: the marker line, then each version's part,
    /// 3.1.1 first.
    pub fn markdown(&self) -> String {
        let mut out = format!("{GENERATED_MARKER}\n\n");
        for protocol in Protocol::ALL {
            if let Some(matrix) = self.get(protocol) {
                out.push_str(&matrix.markdown(protocol));
                out.push('\n');
            }
        }
        out.pop();
        out
    }

    /// `docs/matrix.md`: the hand-written part of `existing` (everything above the marker
    /// line; a placeholder when there is none), then the generated part.
    pub fn markdown_file(&self, existing: Option<&str>) -> String {
        let head = existing
            .and_then(|text| text.split_once(GENERATED_MARKER).map(|(head, _)| head))
            .map_or_else(
                || "# The vectors against other implementations\n\n".to_owned(),
                str::to_owned,
            );
        format!("{head}{}", self.markdown())
    }
}

/// `matrix --write DIR` for one version: reads `DIR/matrix.json` if there is one, replaces
/// that version's matrix, and writes `DIR/matrix.json`, `DIR/matrix.md` (keeping the
/// hand-written part of the latter) and `DIR/matrix.html` (the page, [`page::html`], of every
/// version in the JSON). Returns the first two paths.
pub fn write(
    dir: &std::path::Path,
    protocol: Protocol,
    matrix: Matrix,
) -> Result<[std::path::PathBuf; 2], String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let json = dir.join("matrix.json");
    let mut all = match std::fs::read_to_string(&json) {
        Ok(text) => Matrices::from_json(&text).map_err(|e| format!("{}: {e}", json.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Matrices::default(),
        Err(e) => return Err(format!("{}: {e}", json.display())),
    };
    all.set(protocol, matrix);
    std::fs::write(&json, all.json()).map_err(|e| format!("{}: {e}", json.display()))?;
    let md = dir.join("matrix.md");
    let existing = std::fs::read_to_string(&md).ok();
    std::fs::write(&md, all.markdown_file(existing.as_deref()))
        .map_err(|e| format!("{}: {e}", md.display()))?;
    let html = dir.join("matrix.html");
    std::fs::write(&html, page::html(&all)).map_err(|e| format!("{}: {e}", html.display()))?;
    Ok([json, md])
}

/// `matrix --check FILE` for one version: the committed matrix of that version in `FILE`. A
/// file without that version is an error (the check would compare with nothing).
pub fn committed(path: &std::path::Path, protocol: Protocol) -> Result<Matrix, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Matrices::from_json(&text)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .get(protocol)
        .cloned()
        .ok_or(format!(
            "{} has no MQTT {} matrix",
            path.display(),
            protocol.as_str()
        ))
}

/// Sorts `MQTT-3.10.3-1` after `MQTT-3.9.3-1`, and sections (`2.2.3`) with their statements.
fn clause_order(clause: &str) -> Vec<u32> {
    clause
        .trim_start_matches("MQTT-")
        .split(['.', '-'])
        .map(|n| n.parse().unwrap_or(u32::MAX))
        .collect()
}

fn markdown_cell(cell: &Cell) -> String {
    let note = cell
        .note
        .as_deref()
        .map(|n| shorten(n, 90).replace('|', "\\|").replace('`', "'"));
    match (cell.status, note) {
        (Status::Pass, _) => "pass".into(),
        (Status::Skip, _) => "skip".into(),
        (status, Some(note)) => format!("**{}**: {note}", status.name()),
        (status, None) => format!("**{}**", status.name()),
    }
}

/// What changed between a committed matrix and a new one.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    /// The reference implementation (the first column, this codec): cells that are not
    /// `pass` (or `skip`), and cells whose status changed. Any of these fails the check.
    pub reference: Vec<String>,
    /// The other implementations: versions and statuses that changed, vectors and
    /// implementations added or gone. Reported, not failed.
    pub peers: Vec<String>,
}

impl Changes {
    /// Whether the check fails.
    pub fn failed(&self) -> bool {
        !self.reference.is_empty()
    }
}

/// Compares `new` with the committed `old`. The first implementation of `new` is the
/// reference: each of its cells must pass (or be skipped), and none may change.
pub fn compare(old: &Matrix, new: &Matrix) -> Changes {
    let mut changes = Changes::default();
    if new.implementations.is_empty() {
        changes
            .reference
            .push("the new matrix has no implementation".into());
        return changes;
    }
    let old_rows: BTreeMap<&str, &Row> = old.vectors.iter().map(|r| (r.id.as_str(), r)).collect();
    let old_column = |name: &str| old.implementations.iter().position(|i| i.name == name);
    for imp in &new.implementations {
        match old.implementations.iter().find(|i| i.name == imp.name) {
            None => changes
                .peers
                .push(format!("{}: new implementation", imp.name)),
            Some(was) => {
                if was.version != imp.version {
                    changes.peers.push(format!(
                        "{}: version {} (was {})",
                        imp.name, imp.version, was.version
                    ));
                }
                // Early rejection is not a cell: a change is reported, for every column,
                // and fails nothing.
                if let (Some([held, checked]), Some([was_held, was_checked])) =
                    (imp.early_rejection, was.early_rejection)
                {
                    if [held, checked] != [was_held, was_checked] {
                        changes.peers.push(format!(
                            "{}: early rejection {held} of {checked} (was {was_held} of {was_checked})",
                            imp.name
                        ));
                    }
                }
            }
        }
    }
    for was in &old.implementations {
        if !new.implementations.iter().any(|i| i.name == was.name) {
            changes
                .peers
                .push(format!("{}: not run (left out)", was.name));
        }
    }
    for row in &new.vectors {
        for (column, cell) in row.cells.iter().enumerate() {
            let name = &new.implementations[column].name;
            let is_reference = column == 0;
            if is_reference && !matches!(cell.status, Status::Pass | Status::Skip) {
                changes.reference.push(format!(
                    "{name} {}: {}{}",
                    row.id,
                    cell.status.name(),
                    cell.note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                ));
            }
            let was = old_rows
                .get(row.id.as_str())
                .zip(old_column(name))
                .and_then(|(old_row, c)| old_row.cells.get(c));
            let message = match was {
                Some(was) if was.status != cell.status => format!(
                    "{name} {}: {} (was {})",
                    row.id,
                    cell.status.name(),
                    was.status.name()
                ),
                Some(_) => continue,
                None if old_rows.contains_key(row.id.as_str()) => continue,
                None => format!("{name} {}: {} (a new vector)", row.id, cell.status.name()),
            };
            if is_reference && was.is_some() {
                changes.reference.push(message);
            } else {
                changes.peers.push(message);
            }
        }
    }
    let new_ids: std::collections::BTreeSet<&str> =
        new.vectors.iter().map(|r| r.id.as_str()).collect();
    for id in old_rows.keys().filter(|id| !new_ids.contains(*id)) {
        changes.peers.push(format!("{id}: no longer in the suite"));
    }
    changes
}

/// An implementation with the `LargePacket` vectors declined, so that every column of the
/// matrix is run over the same vectors.
pub struct WithoutLargePackets<I>(pub I);

impl<I: Implementation> Implementation for WithoutLargePackets<I> {
    fn decode(&mut self, request: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault> {
        self.0.decode(request, bytes)
    }

    fn encode(&mut self, request: &Request<'_>, packet: &Value) -> Result<Option<Vec<u8>>, Fault> {
        self.0.encode(request, packet)
    }

    fn supports(&mut self, feature: &str) -> bool {
        self.0.supports(feature)
    }

    fn name(&self) -> String {
        self.0.name()
    }

    fn takes_large_packets(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::FaultRecord;

    fn result(id: &str, failures: &[&str]) -> VectorResult {
        VectorResult {
            id: id.into(),
            file: "f".into(),
            packet_type: "PUBACK".into(),
            verdict: Verdict::Valid,
            clauses: vec!["MQTT-2.3.1-1".into()],
            failures: failures.iter().map(|f| f.to_string()).collect(),
            choice: None,
            skipped: None,
            fault: None,
            note: None,
            early_rejection: None,
        }
    }

    fn column(name: &str, results: Vec<VectorResult>) -> Column {
        Column {
            name: name.into(),
            version: "1".into(),
            results,
        }
    }

    #[test]
    fn a_cell_says_what_happened() {
        assert_eq!(cell(&result("a", &[])).status, Status::Pass);
        let failed = cell(&result("a", &["decode: x", "prefix: y"]));
        assert_eq!(failed.status, Status::Fail);
        assert_eq!(failed.note.as_deref(), Some("decode: x (+1 more)"));
        let mut crashed = result("a", &["decode: crash: boom"]);
        crashed.fault = Some(FaultRecord {
            kind: FaultKind::Crash,
            detail: "decode: crash: boom".into(),
        });
        assert_eq!(cell(&crashed).status, Status::Crash);
        crashed.fault.as_mut().unwrap().kind = FaultKind::Timeout;
        assert_eq!(cell(&crashed).status, Status::Timeout);
        let mut skipped = result("a", &[]);
        skipped.skipped = Some("large".into());
        assert_eq!(cell(&skipped).status, Status::Skip);
        let mut refused = result("a", &[]);
        refused.note = Some("bad flags".into());
        assert_eq!(cell(&refused).note.as_deref(), Some("refused: bad flags"));
        let long = "x".repeat(1000);
        assert!(cell(&result("a", &[&long])).note.unwrap().len() < 200);
    }

    #[test]
    fn counts_by_status_verdict_and_clause() {
        let matrix = Matrix::new(&[
            column("ours", vec![result("a", &[]), result("b", &[])]),
            column(
                "peer",
                vec![
                    result("a", &["decode: wrong"]),
                    result("b", &["Remaining Length - 1: incomplete"]),
                ],
            ),
        ])
        .unwrap();
        assert_eq!(matrix.implementations[0].counts.pass, 2);
        let peer = &matrix.implementations[1];
        assert_eq!((peer.counts.fail, peer.counts.fail_derived_only), (2, 1));
        assert_eq!(peer.by_verdict["valid"].fail, 2);
        assert_eq!(peer.by_clause["MQTT-2.3.1-1"], [0, 2]);
        assert_eq!(matrix.vectors[1].cells[1].status, Status::Fail);
        // Columns over different vectors cannot be put side by side.
        assert!(Matrix::new(&[
            column("ours", vec![result("a", &[])]),
            column("peer", vec![result("b", &[])]),
        ])
        .is_err());
    }

    fn one(id: &str, failures: &[&str]) -> Matrix {
        Matrix::new(&[
            column("ours", vec![result(id, &[])]),
            column("peer", vec![result(id, failures)]),
        ])
        .unwrap()
    }

    #[test]
    fn the_json_reads_back_and_the_markdown_keeps_its_hand_written_head() {
        let matrix = Matrix::new(&[column("ours", vec![result("a|b", &[])])]).unwrap();
        let back = Matrix::from_json(&matrix.json()).unwrap();
        assert_eq!(back.vectors[0].cells, matrix.vectors[0].cells);
        let mut all = Matrices::default();
        all.set(Protocol::V311, matrix);
        let old = format!("# Title\n\nWhat peers get wrong.\n\n{GENERATED_MARKER}\nold table\n");
        let md = all.markdown_file(Some(&old));
        assert!(md.starts_with("# Title\n\nWhat peers get wrong.\n\n"));
        assert!(!md.contains("old table"));
        assert_eq!(md.matches(GENERATED_MARKER).count(), 1);
        assert!(md.contains("| `a|b` | valid | pass |"));
    }

    #[test]
    fn both_versions_sit_side_by_side_and_one_run_replaces_only_its_own() {
        let mut all = Matrices::default();
        all.set(Protocol::V5, one("v5-a", &["decode: x"]));
        all.set(Protocol::V311, one("a", &[]));
        let back = Matrices::from_json(&all.json()).unwrap();
        assert_eq!(back.format_version, FILE_FORMAT_VERSION);
        assert_eq!(back.get(Protocol::V311).unwrap().vectors[0].id, "a");
        assert_eq!(back.get(Protocol::V5).unwrap().vectors[0].id, "v5-a");

        // The Markdown has the 3.1.1 part first, then the 5.0 part, each with its own rows.
        let md = back.markdown();
        let (v311, v5) = (
            md.find("## MQTT 3.1.1").unwrap(),
            md.find("## MQTT 5.0").unwrap(),
        );
        assert!(v311 < v5);
        assert!(md[v311..v5].contains("| `a` | valid | pass | pass |"));
        assert!(md[v5..].contains("| `v5-a` | valid | pass | **fail**: decode: x |"));
        assert!(!md[v5..].contains("| `a` |"));

        // A new 5.0 run replaces the 5.0 matrix and keeps the 3.1.1 one as it was.
        let mut again = back.clone();
        again.set(Protocol::V5, one("v5-b", &[]));
        assert_eq!(again.get(Protocol::V5).unwrap().vectors[0].id, "v5-b");
        assert_eq!(
            again.get(Protocol::V311).unwrap().json(),
            back.get(Protocol::V311).unwrap().json()
        );
    }

    #[test]
    fn a_matrix_of_format_1_reads_as_the_3_1_1_part() {
        let v311 = one("a", &[]);
        let all = Matrices::from_json(&v311.json()).unwrap();
        assert_eq!(all.protocols.len(), 1);
        assert_eq!(all.get(Protocol::V311).unwrap().json(), v311.json());
        assert!(all.get(Protocol::V5).is_none());
        // An unknown protocol or file format is refused, not read as empty.
        let text = all.json().replace("\"3.1.1\"", "\"4.0\"");
        assert!(Matrices::from_json(&text).is_err());
        let text = all
            .json()
            .replace("\"format_version\": 2", "\"format_version\": 3");
        assert!(Matrices::from_json(&text).is_err());
    }

    #[test]
    fn write_merges_one_version_into_the_files_and_check_reads_that_version() {
        let dir = std::env::temp_dir().join(format!("mqtt-matrix-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("matrix.md"),
            format!("# Head\n\nBy hand.\n\n{GENERATED_MARKER}\nstale\n"),
        )
        .unwrap();
        write(&dir, Protocol::V311, one("a", &[])).unwrap();
        // Checking a version the file does not hold fails instead of comparing with nothing.
        assert!(committed(&dir.join("matrix.json"), Protocol::V5).is_err());
        write(&dir, Protocol::V5, one("v5-a", &["decode: x"])).unwrap();
        let v311 = committed(&dir.join("matrix.json"), Protocol::V311).unwrap();
        let v5 = committed(&dir.join("matrix.json"), Protocol::V5).unwrap();
        assert_eq!(v311.vectors[0].id, "a");
        assert_eq!(v5.vectors[0].cells[1].status, Status::Fail);
        // Each version's check compares with its own part.
        assert_eq!(
            compare(&v5, &one("v5-a", &["decode: x"])),
            Changes::default()
        );
        assert!(compare(&v311, &one("v5-a", &[]))
            .peers
            .iter()
            .any(|c| c.contains("a new vector")));
        let md = std::fs::read_to_string(dir.join("matrix.md")).unwrap();
        assert!(md.starts_with("# Head\n\nBy hand.\n\n"));
        assert!(!md.contains("stale"));
        assert!(md.contains("## MQTT 3.1.1") && md.contains("## MQTT 5.0"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_check_fails_on_our_changes_and_reports_the_peers() {
        let old = Matrix::new(&[
            column("ours", vec![result("a", &[]), result("b", &[])]),
            column("peer", vec![result("a", &[]), result("b", &["x"])]),
        ])
        .unwrap();
        assert_eq!(compare(&old, &old), Changes::default());

        // A peer's cell changes, a vector is added: reported, not failed.
        let new = Matrix::new(&[
            column(
                "ours",
                vec![result("a", &[]), result("b", &[]), result("c", &[])],
            ),
            column(
                "peer",
                vec![result("a", &["x"]), result("b", &["x"]), result("c", &[])],
            ),
        ])
        .unwrap();
        let changes = compare(&old, &new);
        assert!(!changes.failed(), "{changes:?}");
        assert!(changes
            .peers
            .contains(&"peer a: fail (was pass)".to_owned()));
        assert!(changes.peers.iter().any(|c| c.contains("a new vector")));

        // A peer left out: reported.
        let new = Matrix::new(&[column("ours", vec![result("a", &[]), result("b", &[])])]).unwrap();
        let changes = compare(&old, &new);
        assert!(!changes.failed());
        assert_eq!(changes.peers, ["peer: not run (left out)"]);

        // Our codec fails a vector: the check fails.
        let new = Matrix::new(&[
            column("ours", vec![result("a", &["decode: x"]), result("b", &[])]),
            column("peer", vec![result("a", &[]), result("b", &["x"])]),
        ])
        .unwrap();
        let changes = compare(&old, &new);
        assert!(changes.failed());
        assert_eq!(
            changes.reference,
            [
                "ours a: fail (decode: x)".to_owned(),
                "ours a: fail (was pass)".to_owned()
            ]
        );
    }

    #[test]
    fn clauses_sort_by_number() {
        let mut clauses = vec!["MQTT-3.10.3-1", "MQTT-3.9.3-1", "2.2.3", "MQTT-2.2.2-1"];
        clauses.sort_by_key(|c| clause_order(c));
        assert_eq!(
            clauses,
            ["MQTT-2.2.2-1", "2.2.3", "MQTT-3.9.3-1", "MQTT-3.10.3-1"]
        );
    }
}
