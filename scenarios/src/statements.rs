//! The statements files (`vectors/scenarios/statements-<version>.json`): every behaviour
//! statement (class not `codec`) of a version, which side it binds, and the scenarios that
//! cover it or why none does. Coverage is counted over the server and both-sides statements.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// A statements file.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatementsFile {
    /// 1.
    pub format_version: u64,
    /// `"3.1.1"` or `"5.0"`.
    pub protocol: String,
    /// What the file is.
    pub description: String,
    /// One entry per behaviour statement, in the standard's order.
    pub statements: Vec<Statement>,
}

/// One statement.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The statement id.
    pub id: String,
    /// Who the statement binds: `server`, `client` or `both`.
    pub side: String,
    /// The scenarios tagged with it (kept equal to the tags by the lint).
    pub covered_by: Vec<String>,
    /// Why no scenario covers it (required exactly when `covered_by` is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_covered: Option<String>,
}

/// The sides a statement can bind.
pub const SIDES: [&str; 3] = ["server", "client", "both"];

/// The file's problems: `known` is every behaviour statement of the version, `tagged` the
/// scenarios that tag each.
pub fn lint(
    file: &StatementsFile,
    version: &str,
    known: BTreeSet<String>,
    tagged: BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let at = format!("statements-{version}.json");
    let mut problems = Vec::new();
    if file.format_version != 1 || file.protocol != version {
        problems.push(format!(
            "{at}: format_version 1 and protocol {version} expected"
        ));
    }
    let mut seen = BTreeSet::new();
    for s in &file.statements {
        let here = format!("{at}: {}", s.id);
        if !seen.insert(s.id.clone()) {
            problems.push(format!("{here}: listed twice"));
        }
        if !known.contains(&s.id) {
            problems.push(format!("{here}: not a behaviour statement of {version}"));
        }
        if !SIDES.contains(&s.side.as_str()) {
            problems.push(format!(
                "{here}: side {:?} (server, client or both)",
                s.side
            ));
        }
        let mut want = tagged.get(&s.id).cloned().unwrap_or_default();
        want.sort();
        let mut have = s.covered_by.clone();
        have.sort();
        if want != have {
            problems.push(format!(
                "{here}: covered_by {have:?}, but the scenarios tagging it are {want:?}"
            ));
        }
        match (&s.not_covered, have.is_empty()) {
            (None, true) => problems.push(format!("{here}: not covered, and no reason why")),
            (Some(_), false) => problems.push(format!("{here}: covered, yet a not_covered reason")),
            (Some(why), true) if why.trim().is_empty() => {
                problems.push(format!("{here}: an empty not_covered reason"))
            }
            _ => {}
        }
        if s.side == "client" && !have.is_empty() {
            problems.push(format!(
                "{here}: binds only the client, which a broker scenario cannot show"
            ));
        }
    }
    for id in known.difference(&seen) {
        problems.push(format!("{at}: {id} is not accounted for"));
    }
    problems
}

/// Coverage of one version: (server and both-sides statements, those covered, all listed).
pub fn coverage(file: &StatementsFile) -> (usize, usize, usize) {
    let bound: Vec<&Statement> = file
        .statements
        .iter()
        .filter(|s| s.side != "client")
        .collect();
    let covered = bound.iter().filter(|s| !s.covered_by.is_empty()).count();
    (bound.len(), covered, file.statements.len())
}

/// `file` with each `covered_by` set from the tags (for `--write-statements`); an entry
/// that becomes uncovered gets a reason to fill in.
pub fn refresh(file: &mut StatementsFile, tagged: &BTreeMap<String, Vec<String>>) {
    for s in &mut file.statements {
        let mut by = tagged.get(&s.id).cloned().unwrap_or_default();
        by.sort();
        if by.is_empty() && s.not_covered.is_none() {
            s.not_covered = Some("TODO: why no scenario covers it".into());
        }
        if !by.is_empty() {
            s.not_covered = None;
        }
        s.covered_by = by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(statements: Vec<Statement>) -> StatementsFile {
        StatementsFile {
            format_version: 1,
            protocol: "3.1.1".into(),
            description: String::new(),
            statements,
        }
    }

    fn entry(id: &str, side: &str, by: &[&str], why: Option<&str>) -> Statement {
        Statement {
            id: id.into(),
            side: side.into(),
            covered_by: by.iter().map(|s| s.to_string()).collect(),
            not_covered: why.map(str::to_owned),
        }
    }

    #[test]
    fn every_statement_must_be_accounted_for_and_agree_with_the_tags() {
        let known: BTreeSet<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        let tagged: BTreeMap<String, Vec<String>> =
            [("A".to_string(), vec!["x-1".to_string()])].into();
        let good = file(vec![
            entry("A", "server", &["x-1"], None),
            entry("B", "client", &[], Some("client only")),
            entry("C", "both", &[], Some("needs two servers")),
        ]);
        assert_eq!(
            lint(&good, "3.1.1", known.clone(), tagged.clone()),
            Vec::<String>::new()
        );
        assert_eq!(coverage(&good), (2, 1, 3));

        let missing = file(vec![entry("A", "server", &["x-1"], None)]);
        let p = lint(&missing, "3.1.1", known.clone(), tagged.clone());
        assert!(
            p.iter().any(|p| p.contains("B is not accounted for")),
            "{p:?}"
        );

        let stale = file(vec![
            entry("A", "server", &[], Some("?")),
            entry("B", "sideways", &[], None),
            entry("C", "client", &["x-2"], None),
        ]);
        let p = lint(&stale, "3.1.1", known, tagged);
        assert_eq!(p.len(), 5, "{p:?}");
    }
}
