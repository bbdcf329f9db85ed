//! `docs/dissector-disagreements.json`: the disagreements already analysed, per protocol
//! version, and the sorting of what a run found against them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::Disagreement;
use crate::suite::Protocol;

/// `docs/dissector-disagreements.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// What the file is.
    pub description: String,
    /// The Wireshark version the list was made with.
    pub wireshark: String,
    /// Each protocol version's analysed disagreements, by its name (`3.1.1`, `5.0`).
    pub disagreements: BTreeMap<String, Vec<KnownDisagreement>>,
}

/// One analysed disagreement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownDisagreement {
    /// The vector's id.
    pub vector: String,
    /// As in [`Disagreement`].
    pub field: String,
    /// As in [`Disagreement`].
    pub expected: String,
    /// As in [`Disagreement`].
    pub dissector: String,
    /// `dissector` (Wireshark is lenient or wrong) or `vector` (the vector is wrong, and is
    /// being fixed).
    pub cause: String,
    /// Why, against the standard (statement id or section).
    pub analysis: String,
}

impl KnownDisagreement {
    fn matches(&self, d: &Disagreement) -> bool {
        (&self.vector, &self.field, &self.expected, &self.dissector)
            == (&d.vector, &d.field, &d.expected, &d.dissector)
    }
}

impl Known {
    /// Reads the file: every version key names a protocol, every cause is `dissector` or
    /// `vector`, every analysis is written.
    pub fn load(path: &Path) -> Result<Known, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let known: Known =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        known
            .check()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(known)
    }

    fn check(&self) -> Result<(), String> {
        for (version, list) in &self.disagreements {
            if Protocol::ALL.iter().all(|p| p.as_str() != version) {
                return Err(format!(
                    "{version:?} is not a protocol version (3.1.1, 5.0)"
                ));
            }
            for k in list {
                if k.cause != "dissector" && k.cause != "vector" {
                    return Err(format!(
                        "{}: cause must be \"dissector\" or \"vector\", not {:?}",
                        k.vector, k.cause
                    ));
                }
                if k.analysis.trim().is_empty() {
                    return Err(format!("{} {}: no analysis", k.vector, k.field));
                }
            }
        }
        Ok(())
    }

    /// The analysed disagreements of `protocol`.
    pub fn of(&self, protocol: Protocol) -> &[KnownDisagreement] {
        self.disagreements
            .get(protocol.as_str())
            .map_or(&[], Vec::as_slice)
    }

    /// Splits `found` (the disagreements of one run of `protocol`'s vectors) into the new ones
    /// and the known ones, and lists the known ones of that version that were not found (fixed
    /// in the dissector, or in the vector).
    pub fn classify<'k>(&'k self, protocol: Protocol, found: &[Disagreement]) -> Classified<'k> {
        let listed = self.of(protocol);
        let mut out = Classified::default();
        for d in found {
            match listed.iter().find(|k| k.matches(d)) {
                Some(k) => out.known.push(k),
                None => out.new.push(d.clone()),
            }
        }
        out.gone = listed
            .iter()
            .filter(|k| !found.iter().any(|d| k.matches(d)))
            .collect();
        out
    }
}

/// The disagreements found, sorted against the known list.
#[derive(Debug, Default)]
pub struct Classified<'k> {
    /// Not in the list: the check fails.
    pub new: Vec<Disagreement>,
    /// In the list.
    pub known: Vec<&'k KnownDisagreement>,
    /// In the list but not found.
    pub gone: Vec<&'k KnownDisagreement>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(vector: &str, dissector: &str) -> serde_json::Value {
        json!({"vector": vector, "field": "mqtt.topic", "expected": "a", "dissector": dissector,
               "cause": "dissector", "analysis": "-"})
    }

    fn found(vector: &str, dissector: &str) -> Disagreement {
        Disagreement {
            vector: vector.into(),
            field: "mqtt.topic".into(),
            expected: "a".into(),
            dissector: dissector.into(),
        }
    }

    #[test]
    fn sorts_found_disagreements_against_the_known_list_of_their_version() {
        let known: Known = serde_json::from_value(json!({
            "description": "-", "wireshark": "4.0",
            "disagreements": {
                "3.1.1": [entry("v1", "b"), entry("v2", "b")],
                "5.0": [entry("v5-x", "b")]
            }
        }))
        .unwrap();
        let c = known.classify(Protocol::V311, &[found("v1", "b"), found("v1", "c")]);
        assert_eq!(c.new, [found("v1", "c")]);
        assert_eq!(c.known.len(), 1);
        // The 5.0 entry is not "gone" from a 3.1.1 run: each version has its own list.
        let gone: Vec<_> = c.gone.iter().map(|k| k.vector.as_str()).collect();
        assert_eq!(gone, ["v2"]);
        // A 3.1.1 entry does not excuse the same disagreement in a 5.0 run.
        let c = known.classify(Protocol::V5, &[found("v1", "b")]);
        assert_eq!(c.new, [found("v1", "b")]);
        assert_eq!(c.gone.len(), 1);
    }

    #[test]
    fn refuses_an_unknown_version_a_bad_cause_and_an_empty_analysis() {
        let load = |value: serde_json::Value| {
            let known: Known = serde_json::from_value(json!({
                "description": "-", "wireshark": "4.0", "disagreements": value
            }))
            .unwrap();
            known.check()
        };
        assert!(load(json!({"3.1.1": [entry("v1", "b")]})).is_ok());
        assert!(load(json!({"4.0": []}))
            .unwrap_err()
            .contains("not a protocol"));
        let mut bad = entry("v1", "b");
        bad["cause"] = json!("nobody");
        assert!(load(json!({"5.0": [bad]})).unwrap_err().contains("cause"));
        let mut bad = entry("v1", "b");
        bad["analysis"] = json!(" ");
        assert!(load(json!({"5.0": [bad]}))
            .unwrap_err()
            .contains("no analysis"));
    }
}
