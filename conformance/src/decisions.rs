//! This codec's own choice for each `acceptable` vector, recorded in
//! `conformance/acceptable-decisions.json` from what its documentation says it does.
//!
//! An acceptable vector lets a receiver accept or refuse, so the suite alone cannot notice
//! this codec changing its mind (a padded Remaining Length starting to be accepted). The
//! record pins the choice: a run under this codec's rules fails when the codec decides
//! otherwise, when an acceptable vector has no recorded decision, and when a recorded
//! decision names a vector that is not an acceptable one. The record belongs to this codec,
//! not to the language-neutral vectors, hence its place beside the runner.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::suite::{Protocol, Suite, Verdict};

/// Where the record lives, for messages.
pub const PATH: &str = "conformance/acceptable-decisions.json";

/// The record, compiled into the runner so every run of it sees the same one.
const RECORD: &str = include_str!("../acceptable-decisions.json");

/// What this codec does with an acceptable vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Decodes the vector's `packet`, using every byte.
    Accepted,
    /// Refuses it with this error kind.
    Refused(String),
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decision::Accepted => f.write_str("accepted"),
            Decision::Refused(kind) => write!(f, "refused ({kind})"),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format_version: u32,
    description: String,
    decisions: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
enum Choice {
    Accepted,
    Refused,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    decision: Choice,
    /// The error kind, for a refusal.
    kind: Option<String>,
    /// Where the codec's documentation states the choice.
    documented: String,
}

/// Every recorded decision, by vector id.
#[derive(Debug, Clone, Default)]
pub struct Decisions(BTreeMap<String, Decision>);

impl Decisions {
    /// This codec's record, `conformance/acceptable-decisions.json`.
    pub fn this_codec() -> Result<Decisions, String> {
        Decisions::parse(RECORD).map_err(|e| format!("{PATH}: {e}"))
    }

    /// Reads a record; refuses unknown fields, a refusal without its kind, an acceptance with
    /// one, an entry without the place in the docs that states it, and an id given twice.
    pub fn parse(text: &str) -> Result<Decisions, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.format_version != 1 || file.description.is_empty() {
            return Err("format_version must be 1, with a description".into());
        }
        let mut decisions = BTreeMap::new();
        for entry in file.decisions {
            let decision = match (entry.decision, entry.kind) {
                (Choice::Accepted, None) => Decision::Accepted,
                (Choice::Refused, Some(kind)) => Decision::Refused(kind),
                (Choice::Accepted, Some(_)) => {
                    return Err(format!("{}: an acceptance has no error kind", entry.id))
                }
                (Choice::Refused, None) => {
                    return Err(format!("{}: a refusal needs its error kind", entry.id))
                }
            };
            if entry.documented.trim().is_empty() {
                return Err(format!(
                    "{}: say where the documentation states the choice",
                    entry.id
                ));
            }
            if decisions.insert(entry.id.clone(), decision).is_some() {
                return Err(format!("{}: recorded twice", entry.id));
            }
        }
        Ok(Decisions(decisions))
    }

    /// The recorded decision for a vector.
    pub fn get(&self, id: &str) -> Option<&Decision> {
        self.0.get(id)
    }

    /// Recorded decisions for `suite`'s protocol version that name no acceptable vector of
    /// it (a vector removed, renamed or given another verdict): the record must follow the
    /// suite. A decision is for 5.0 when its id starts with `v5-`, as every 5.0 vector id does
    /// (`vectors/v5/DECISIONS.md` section 1), and for 3.1.1 otherwise.
    pub fn stale(&self, suite: &Suite) -> Vec<String> {
        let acceptable: BTreeSet<&str> = suite
            .vectors()
            .filter(|(_, v)| v.verdict == Verdict::Acceptable)
            .map(|(_, v)| v.id.as_str())
            .collect();
        let v5 = suite.protocol == Protocol::V5;
        self.0
            .keys()
            .filter(|id| id.starts_with("v5-") == v5)
            .filter(|id| !acceptable.contains(id.as_str()))
            .map(|id| format!("{PATH}: {id} is not an acceptable vector of the suite"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_codecs_record_reads() {
        let record = Decisions::this_codec().unwrap();
        assert_eq!(
            record.get("header-non-minimal-pingreq"),
            Some(&Decision::Refused("invalid-remaining-length".into()))
        );
        assert_eq!(
            record.get("publish-topic-control-u0001"),
            Some(&Decision::Accepted)
        );
    }

    #[test]
    fn this_codecs_record_covers_exactly_the_acceptable_vectors() {
        let record = Decisions::this_codec().unwrap();
        for protocol in Protocol::ALL {
            let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
            assert_eq!(record.stale(&suite), Vec::<String>::new());
            let missing: Vec<&str> = suite
                .vectors()
                .filter(|(_, v)| v.verdict == Verdict::Acceptable && record.get(&v.id).is_none())
                .map(|(_, v)| v.id.as_str())
                .collect();
            assert_eq!(missing, Vec::<&str>::new(), "{protocol}");
        }
    }

    #[test]
    fn refuses_a_malformed_record() {
        let record = |entries: &str| {
            Decisions::parse(&format!(
                r#"{{"format_version": 1, "description": "d", "decisions": [{entries}]}}"#
            ))
        };
        let ok = r#"{"id": "a", "decision": "accepted", "documented": "README"}"#;
        assert!(record(ok).is_ok());
        let refused = r#"{"id": "b", "decision": "refused", "kind": "k", "documented": "README"}"#;
        assert_eq!(
            record(refused).unwrap().get("b"),
            Some(&Decision::Refused("k".into()))
        );
        for bad in [
            r#"{"id": "a", "decision": "refused", "documented": "README"}"#,
            r#"{"id": "a", "decision": "accepted", "kind": "k", "documented": "README"}"#,
            r#"{"id": "a", "decision": "accepted", "documented": " "}"#,
            r#"{"id": "a", "decision": "maybe", "documented": "README"}"#,
            r#"{"id": "a", "decision": "accepted", "documented": "README", "x": 1}"#,
        ] {
            assert!(record(bad).is_err(), "{bad}");
        }
        assert_eq!(
            record(&format!("{ok}, {ok}")).unwrap_err(),
            "a: recorded twice"
        );
    }
}
