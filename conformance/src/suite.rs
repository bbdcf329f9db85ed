//! The vector files and the data files beside them, read from `vectors/`.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::hex;
use crate::model::normalize;

/// An MQTT protocol version the suite has vectors for: each has its directory under
/// `vectors/`, its vector file format version and its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Protocol {
    /// MQTT 3.1.1: `vectors/v311/`, format version 1.
    #[serde(rename = "3.1.1")]
    V311,
    /// MQTT 5.0: `vectors/v5/`, format version 2 (`vectors/v5/DECISIONS.md` section 1).
    #[serde(rename = "5.0")]
    V5,
}

impl Protocol {
    /// Every version, in the order a run takes them.
    pub const ALL: [Protocol; 2] = [Protocol::V311, Protocol::V5];

    /// The name in vector files and adapter requests: `3.1.1` or `5.0`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Protocol::V311 => "3.1.1",
            Protocol::V5 => "5.0",
        }
    }

    /// The version named `name` (`3.1.1`, `5.0`, or `5`).
    pub fn parse(name: &str) -> Option<Protocol> {
        match name {
            "3.1.1" | "311" => Some(Protocol::V311),
            "5.0" | "5" => Some(Protocol::V5),
            _ => None,
        }
    }

    /// Its directory under `vectors/`.
    pub const fn dir(self) -> &'static str {
        match self {
            Protocol::V311 => "v311",
            Protocol::V5 => "v5",
        }
    }

    /// The `format_version` of its files (vector files and the data files beside them).
    pub const fn format_version(self) -> u32 {
        match self {
            Protocol::V311 => 1,
            Protocol::V5 => 2,
        }
    }

    /// What its vector ids start with before the file's name: nothing for 3.1.1, `v5-` for
    /// 5.0, so that an id is unique across versions (`vectors/v5/DECISIONS.md` section 1).
    pub const fn id_prefix(self) -> &'static str {
        match self {
            Protocol::V311 => "",
            Protocol::V5 => "v5-",
        }
    }

    /// The schema of its vector files, under `vectors/schema/`.
    pub const fn schema(self) -> &'static str {
        match self {
            Protocol::V311 => "vector-file.schema.json",
            Protocol::V5 => "vector-file-v2.schema.json",
        }
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Format version 2: the reason code a receiver sends for it.
    pub reason_code: Option<u8>,
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
    /// Format version 2: the decoder settings negotiated on the connection
    /// (`vectors/v5/DECISIONS.md` section 6), as an object.
    pub context: Option<Value>,
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
    /// 1 for 3.1.1, 2 for 5.0.
    pub format_version: u32,
    /// `3.1.1` or `5.0`.
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
    kinds: BTreeMap<String, Kind>,
}

/// An entry of `error-kinds.json`: its meaning (format version 1), or its meaning and the
/// reason code a receiver sends by default (format version 2).
#[derive(Deserialize)]
#[serde(untagged)]
enum Kind {
    Meaning(String),
    WithCode(KindWithCode),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindWithCode {
    meaning: String,
    reason_code: u8,
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
    /// The protocol version.
    pub protocol: Protocol,
    /// The `vectors/` directory.
    pub root: PathBuf,
    /// The vector files, in name order.
    pub files: Vec<LoadedFile>,
    /// `clauses.json`.
    pub clauses: Vec<Clause>,
    /// `flags.json`.
    pub flags: BTreeMap<String, String>,
    /// `error-kinds.json`: each kind's meaning.
    pub kinds: BTreeMap<String, String>,
    /// `error-kinds.json` of format version 2: each kind's default reason code.
    pub kind_reason_codes: BTreeMap<String, u8>,
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

    /// Reads the vectors of `protocol` under `root`. Files that do not parse are kept, with
    /// their error, for the lint to report.
    pub fn load(root: &Path, protocol: Protocol) -> Result<Suite, String> {
        let dir = root.join(protocol.dir());
        let version = protocol.format_version();
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
            if c.format_version != version || c.protocol != protocol.as_str() || c.source.is_empty()
            {
                errors.push(format!(
                    "clauses.json: format_version must be {version} and protocol {protocol}, with a source"
                ));
            }
        }
        for (name, format, description) in [
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
            if format.is_some_and(|v| v != version) || description == Some(true) {
                errors.push(format!(
                    "{name}: format_version must be {version}, with a description"
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
        let mut kind_meanings = BTreeMap::new();
        let mut kind_reason_codes = BTreeMap::new();
        for (name, kind) in kinds.map(|k| k.kinds).unwrap_or_default() {
            let meaning = match kind {
                Kind::Meaning(meaning) if version >= 2 => {
                    errors.push(format!(
                        "error-kinds.json: {name} needs its reason code (format version {version})"
                    ));
                    meaning
                }
                Kind::Meaning(meaning) => meaning,
                Kind::WithCode(_) if version == 1 => {
                    errors.push(format!(
                        "error-kinds.json: {name} has a reason code, which format version 1 does not"
                    ));
                    continue;
                }
                Kind::WithCode(KindWithCode {
                    meaning,
                    reason_code,
                }) => {
                    kind_reason_codes.insert(name.clone(), reason_code);
                    meaning
                }
            };
            kind_meanings.insert(name, meaning);
        }
        Ok(Suite {
            protocol,
            root: root.to_owned(),
            files,
            clauses: clauses.map(|c| c.clauses).unwrap_or_default(),
            flags: flags.map(|f| f.flags).unwrap_or_default(),
            kinds: kind_meanings,
            kind_reason_codes,
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
