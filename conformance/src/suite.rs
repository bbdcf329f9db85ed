//! The vector files and the data files beside them, read from `vectors/`.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::hex;
use crate::model::normalize;

/// Who may send a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Only a client sends it.
    ClientToServer,
    /// Only a server sends it.
    ServerToClient,
    /// Both may.
    Either,
}

/// What a conforming receiver does with the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Must accept.
    Valid,
    /// Must refuse.
    Invalid,
    /// May do either; the flags say why.
    Acceptable,
}

/// The expected error of an invalid vector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedError {
    /// A name from `error-kinds.json`.
    pub kind: String,
    /// The clause the bytes break.
    pub clause: String,
    /// The field, for kinds about a field.
    pub field: Option<String>,
    /// The offset of the offending byte.
    pub offset: Option<usize>,
    /// The offset of the byte that decides the error: every prefix of the wire that ends at
    /// or after it gives the whole packet's error, every shorter non-empty one "incomplete".
    pub decided_at: Option<usize>,
}

/// One vector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// Stable, unique id.
    pub id: String,
    /// One line.
    pub description: String,
    /// Who may send it.
    pub direction: Direction,
    /// Valid, invalid or acceptable.
    pub verdict: Verdict,
    /// The clauses it exercises.
    pub clauses: Vec<String>,
    /// Flags from `flags.json`.
    pub flags: Vec<String>,
    /// The bytes, as hex or segments.
    pub wire: Value,
    /// The decoded packet model.
    pub packet: Option<Value>,
    /// Whether `wire` is the encoding of `packet`.
    pub canonical: Option<bool>,
    /// The expected error.
    pub error: Option<ExpectedError>,
    /// `wire` as bytes, parsed once on first use.
    #[serde(skip)]
    wire_bytes: OnceCell<Result<Vec<u8>, String>>,
    /// `packet` with a segmented payload written out, made once on first use.
    #[serde(skip)]
    normalized_packet: OnceCell<Option<Result<Value, String>>>,
}

impl Vector {
    /// The bytes of `wire`, or why they cannot be read. Parsed once: the largest vector is
    /// 256 MiB, and the lint, the runner and the tests all need the bytes.
    pub fn wire_bytes(&self) -> Result<&[u8], &str> {
        match self
            .wire_bytes
            .get_or_init(|| hex::parse_segments(&self.wire))
        {
            Ok(bytes) => Ok(bytes),
            Err(e) => Err(e),
        }
    }

    /// The packet model with its payload as one hex string (see
    /// [`normalize`](crate::model::normalize)), if the vector has one. Made once.
    pub fn packet_model(&self) -> Option<Result<&Value, &str>> {
        let made = self
            .normalized_packet
            .get_or_init(|| self.packet.as_ref().map(normalize));
        made.as_ref().map(|r| r.as_ref().map_err(String::as_str))
    }
}

/// One vector file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// Editor hint, ignored.
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    /// Always 1.
    pub format_version: u32,
    /// `3.1.1`.
    pub protocol: String,
    /// The file name without `.json`.
    pub name: String,
    /// What the file holds.
    pub description: String,
    /// The vectors.
    pub vectors: Vec<Vector>,
}

/// An entry of `clauses.json`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// `MQTT-x.y.z-n` or a section number.
    pub id: String,
    /// `statement` or `section`.
    pub kind: String,
    /// `codec`, `mixed`, `behaviour` or `transport`.
    pub class: String,
    /// Whether the vectors are meant to cover it.
    pub covered: bool,
    /// One line, in the project's words.
    pub summary: String,
    /// A remark on the class judgement.
    pub note: Option<String>,
    /// Why no single packet can break this clause, when none can: then no invalid vector
    /// is expected for it.
    pub unbreakable: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseFile {
    format_version: u32,
    protocol: String,
    source: String,
    clauses: Vec<Clause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagFile {
    format_version: u32,
    description: String,
    flags: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindFile {
    format_version: u32,
    description: String,
    kinds: BTreeMap<String, String>,
}

/// A vector file as loaded: its path, its raw JSON (for the schema check) and its parse.
#[derive(Debug)]
pub struct LoadedFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The raw JSON.
    pub json: Value,
    /// The parsed file, or why it does not parse.
    pub parsed: Result<VectorFile, String>,
}

/// Everything under `vectors/` for one protocol version.
#[derive(Debug)]
pub struct Suite {
    /// The `vectors/` directory.
    pub root: PathBuf,
    /// The vector files, in name order.
    pub files: Vec<LoadedFile>,
    /// `clauses.json`.
    pub clauses: Vec<Clause>,
    /// `flags.json`.
    pub flags: BTreeMap<String, String>,
    /// `error-kinds.json`.
    pub kinds: BTreeMap<String, String>,
    /// `retired-ids.txt`: ids that must never be used again.
    pub retired: BTreeSet<String>,
    /// Problems found while reading the data files (not the vector files).
    pub load_errors: Vec<String>,
}

/// The data files that sit beside the vector files.
const DATA_FILES: &[&str] = &["clauses.json", "flags.json", "error-kinds.json"];

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, errors: &mut Vec<String>) -> Option<T> {
    match read_json(path)
        .and_then(|v| serde_json::from_value(v).map_err(|e| format!("{}: {e}", path.display())))
    {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

impl Suite {
    /// The `vectors/` directory of this repository.
    pub fn default_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("vectors")
    }

    /// Reads the MQTT 3.1.1 vectors under `root`. Files that do not parse are kept, with
    /// their error, for the lint to report.
    pub fn load(root: &Path) -> Result<Suite, String> {
        let dir = root.join("v311");
        let mut errors = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| {
                !DATA_FILES
                    .iter()
                    .any(|d| p.file_name().is_some_and(|n| n == *d))
            })
            .collect();
        names.sort();
        let mut files = Vec::new();
        for path in names {
            let (json, parsed) = match read_json(&path) {
                Ok(json) => {
                    let parsed = serde_json::from_value::<VectorFile>(json.clone())
                        .map_err(|e| e.to_string());
                    (json, parsed)
                }
                Err(e) => (Value::Null, Err(e)),
            };
            files.push(LoadedFile { path, json, parsed });
        }
        let clauses = parse::<ClauseFile>(&dir.join("clauses.json"), &mut errors);
        let flags = parse::<FlagFile>(&dir.join("flags.json"), &mut errors);
        let kinds = parse::<KindFile>(&dir.join("error-kinds.json"), &mut errors);
        if let Some(c) = &clauses {
            if c.format_version != 1 || c.protocol != "3.1.1" || c.source.is_empty() {
                errors.push("clauses.json: format_version must be 1 and protocol 3.1.1".into());
            }
        }
        for (name, version, description) in [
            (
                "flags.json",
                flags.as_ref().map(|f| f.format_version),
                flags.as_ref().map(|f| f.description.is_empty()),
            ),
            (
                "error-kinds.json",
                kinds.as_ref().map(|f| f.format_version),
                kinds.as_ref().map(|f| f.description.is_empty()),
            ),
        ] {
            if version.is_some_and(|v| v != 1) || description == Some(true) {
                errors.push(format!(
                    "{name}: format_version must be 1, with a description"
                ));
            }
        }
        let retired = match std::fs::read_to_string(root.join("retired-ids.txt")) {
            Ok(text) => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect(),
            Err(e) => {
                errors.push(format!("retired-ids.txt: {e}"));
                BTreeSet::new()
            }
        };
        Ok(Suite {
            root: root.to_owned(),
            files,
            clauses: clauses.map(|c| c.clauses).unwrap_or_default(),
            flags: flags.map(|f| f.flags).unwrap_or_default(),
            kinds: kinds.map(|k| k.kinds).unwrap_or_default(),
            retired,
            load_errors: errors,
        })
    }

    /// Every vector that parsed, with the name of its file.
    pub fn vectors(&self) -> impl Iterator<Item = (&str, &Vector)> {
        self.files
            .iter()
            .filter_map(|f| f.parsed.as_ref().ok())
            .flat_map(|f| f.vectors.iter().map(move |v| (f.name.as_str(), v)))
    }
}
