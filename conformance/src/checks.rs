//! The checks as data: for one protocol version, every check a runner makes, each naming its
//! vector, the transformation of the vector's bytes (a prefix, copies in one buffer, the
//! Remaining Length rewritten, an encode, the prefixes around a deciding byte) and the answer
//! it expects, by reference to the vector's own expectation (`packet`, `error`) rather than
//! as expanded bytes. This runner runs from this list ([`crate::run::run_checks`]), and so
//! does any other runner (`runners/python/mqtt_vectors.py`): one source of truth for what is
//! checked. `mqtt-vectors checks --protocol V` writes it; its format is
//! `vectors/schema/checks.schema.json`, described in `vectors/README.md`.

use serde::{Deserialize, Serialize};

use crate::implementation::{FEATURE_CONTEXT, FEATURE_V5};
use crate::suite::{Protocol, Suite, Vector, Verdict};

/// The version of the checks file's format. A new kind of check, a new expectation or a
/// changed meaning of one is a new version; a runner refuses a version it does not know.
pub const FORMAT_VERSION: u32 = 1;

/// The checks of one protocol version's vectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksFile {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// `3.1.1` or `5.0`.
    pub protocol: String,
    /// The lint's problems with the vectors the checks were derived from (empty when they
    /// passed), so that a runner without the lint reports them as this one does.
    pub lint: Vec<String>,
    /// One entry per vector, in the order of the suite (files by name, vectors in file
    /// order).
    pub vectors: Vec<VectorChecks>,
}

/// The checks of one vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorChecks {
    /// The vector's id.
    pub id: String,
    /// Its file's name (without `.json`).
    pub file: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// The length of its wire: a runner refuses checks made for other bytes (a stale file).
    pub wire_length: usize,
    /// The request features it needs (`5.0`, `context`): an implementation without one is
    /// skipped (or, under this codec's rules, failed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// A `LargePacket` vector, which a runner may decline to send through an adapter.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub large: bool,
    /// The checks, in the order they are made. After a crash, a timeout or an `unsupported`
    /// answer the remaining ones are not made.
    pub checks: Vec<Check>,
}

/// Lengths of prefixes: half-open ranges `[from, to)`, in increasing order.
pub type Cuts = Vec<[usize; 2]>;

/// What a check expects. Each names the vector's expectation, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// The vector's `packet`, using exactly `wire_length` bytes.
    Packet,
    /// The vector's `error`.
    Error,
    /// An acceptable vector: the vector's `packet` with every byte used, or a refusal (a
    /// refusal for another kind than the vector's is recorded, not failed).
    PacketOrRefusal,
    /// The vector's `wire`, from encoding its `packet`.
    Wire,
    /// "incomplete".
    Incomplete,
    /// Remaining Length rewritten: never the vector's packet, never a packet read beyond the
    /// frame the header declares (see [`Check::RemainingLength`]).
    NotThePacket,
    /// Incomplete for every prefix of at most `decided_at` bytes, the whole wire's error
    /// (same kind, clause, field, offset, reason code) for every longer one.
    IncompleteThenError,
}

/// When a check is made, besides "no crash, timeout or skip so far".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// The decode of the whole wire was refused (any error).
    Refused,
    /// The decode of the whole wire was refused with the vector's error kind.
    RefusedWithItsKind,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// Decode the whole wire.
    Decode {
        /// [`Expect::Packet`] (valid), [`Expect::Error`] (invalid) or
        /// [`Expect::PacketOrRefusal`] (acceptable).
        expect: Expect,
    },
    /// Encode the vector's packet (a canonical valid vector).
    Encode {
        /// [`Expect::Wire`].
        expect: Expect,
    },
    /// Decode each prefix of the wire whose length is in `cuts`, shortest first; the first
    /// that is not as expected fails the check and ends it.
    Prefixes {
        /// The prefix lengths.
        cuts: Cuts,
        /// [`Expect::Incomplete`].
        expect: Expect,
    },
    /// The wire `count` times in one buffer; decode from the start of each copy.
    Copies {
        /// How many copies.
        count: usize,
        /// [`Expect::Packet`], for each copy.
        expect: Expect,
    },
    /// The Remaining Length rewritten to the declared value plus `delta` (minimal encoding,
    /// every other byte unchanged). `+1`: an error, or incomplete and then, with a `00` byte
    /// appended, an error or a packet using every byte that is not the vector's. `-1`: an
    /// error, or a packet using exactly the shorter frame that is not the vector's; never
    /// incomplete.
    RemainingLength {
        /// `1` or `-1`.
        delta: i8,
        /// [`Expect::NotThePacket`].
        expect: Expect,
    },
    /// Early rejection at the deciding byte `decided_at`: decode each prefix in `cuts`,
    /// shortest first, until the first that is not as expected.
    EarlyRejection {
        /// The offset of the byte that decides the error.
        decided_at: usize,
        /// The prefix lengths (non-empty strict prefixes, always with `decided_at` and
        /// `decided_at + 1`).
        cuts: Cuts,
        /// When it is made.
        when: When,
        /// [`Expect::IncompleteThenError`].
        expect: Expect,
    },
}

impl Check {
    /// The one expectation a check of this kind may have, or `None` for `decode`, whose
    /// expectation depends on the verdict.
    pub fn fixed_expect(&self) -> Option<Expect> {
        match self {
            Check::Decode { .. } => None,
            Check::Encode { .. } => Some(Expect::Wire),
            Check::Prefixes { .. } => Some(Expect::Incomplete),
            Check::Copies { .. } => Some(Expect::Packet),
            Check::RemainingLength { .. } => Some(Expect::NotThePacket),
            Check::EarlyRejection { .. } => Some(Expect::IncompleteThenError),
        }
    }

    /// The expectation it names.
    pub fn expect(&self) -> Expect {
        match self {
            Check::Decode { expect }
            | Check::Encode { expect }
            | Check::Prefixes { expect, .. }
            | Check::Copies { expect, .. }
            | Check::RemainingLength { expect, .. }
            | Check::EarlyRejection { expect, .. } => *expect,
        }
    }
}

/// Every prefix length in `cuts`, in order.
pub fn expand(cuts: &Cuts) -> impl Iterator<Item = usize> + '_ {
    cuts.iter().flat_map(|[from, to]| *from..*to)
}

/// Increasing lengths as ranges.
fn ranges(sorted: &[usize]) -> Cuts {
    let mut out: Cuts = Vec::new();
    for &n in sorted {
        match out.last_mut() {
            Some(last) if last[1] == n => last[1] += 1,
            _ => out.push([n, n + 1]),
        }
    }
    out
}

/// The lengths of the prefix check: all of them for packets up to 1 KiB; for longer ones the
/// first and last 64 and 64 spread between; for `LargePacket` vectors (where each prefix sent
/// to an adapter is hundreds of megabytes of hex) the first 16, which hold the whole fixed
/// header and the start of the body.
pub fn prefix_cuts(len: usize, large: bool) -> Vec<usize> {
    if large {
        return (0..len.min(16)).collect();
    }
    if len <= 1024 {
        return (0..len).collect();
    }
    let mut cuts: Vec<usize> = (0..64).chain(len - 64..len).collect();
    cuts.extend((1..=64).map(|i| 64 + (len - 128) * i / 65));
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// The lengths of the prefixes the early-rejection check sends: every non-empty strict
/// prefix, sampled as [`prefix_cuts`] samples them, and always the two on either side of the
/// deciding byte (the longest that must be incomplete, the shortest that must be refused).
pub fn early_rejection_cuts(len: usize, decided_at: usize, large: bool) -> Vec<usize> {
    let mut cuts: Vec<usize> = prefix_cuts(len, large)
        .into_iter()
        .chain([decided_at, decided_at + 1])
        .filter(|&cut| cut > 0 && cut < len)
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// The largest Remaining Length (four bytes of seven bits).
pub const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// The request features a vector needs beyond a plain 3.1.1 request.
pub fn features_needed(protocol: Protocol, v: &Vector) -> Vec<&'static str> {
    let mut needed = Vec::new();
    if protocol == Protocol::V5 {
        needed.push(FEATURE_V5);
    }
    if v.context.is_some() {
        needed.push(FEATURE_CONTEXT);
    }
    needed
}

/// The checks of one vector of `protocol`, from file `file`. A vector whose wire cannot be
/// read gets no check (the runner fails it on reading the wire, as the lint does).
pub fn for_vector(protocol: Protocol, file: &str, v: &Vector) -> VectorChecks {
    let wire = v.wire_bytes().unwrap_or_default();
    let len = wire.len();
    let large = v.flags.iter().any(|f| f == "LargePacket");
    let mut checks = Vec::new();
    let decided_at = v
        .error
        .as_ref()
        .and_then(|e| e.decided_at)
        .filter(|&d| d < len);
    let early = |when| {
        decided_at.map(|decided_at| Check::EarlyRejection {
            decided_at,
            cuts: ranges(&early_rejection_cuts(len, decided_at, large)),
            when,
            expect: Expect::IncompleteThenError,
        })
    };
    match v.verdict {
        Verdict::Valid => {
            checks.push(Check::Decode {
                expect: Expect::Packet,
            });
            if v.canonical == Some(true) {
                checks.push(Check::Encode {
                    expect: Expect::Wire,
                });
            }
            checks.push(Check::Prefixes {
                cuts: ranges(&prefix_cuts(len, large)),
                expect: Expect::Incomplete,
            });
            if !large {
                checks.push(Check::Copies {
                    count: 3,
                    expect: Expect::Packet,
                });
                // Derived: a Remaining Length one off either way. Without a readable
                // header both are listed, and the runner fails them.
                let remaining = oracle::declared_remaining_length(wire).map(|(r, _)| r);
                if remaining.is_none_or(|r| r < MAX_REMAINING_LENGTH) {
                    checks.push(Check::RemainingLength {
                        delta: 1,
                        expect: Expect::NotThePacket,
                    });
                }
                if remaining.is_none_or(|r| r > 0) {
                    checks.push(Check::RemainingLength {
                        delta: -1,
                        expect: Expect::NotThePacket,
                    });
                }
            }
        }
        Verdict::Invalid => {
            checks.push(Check::Decode {
                expect: Expect::Error,
            });
            checks.extend(early(When::Refused));
        }
        Verdict::Acceptable => {
            checks.push(Check::Decode {
                expect: Expect::PacketOrRefusal,
            });
            checks.extend(early(When::RefusedWithItsKind));
        }
    }
    VectorChecks {
        id: v.id.clone(),
        file: file.to_owned(),
        verdict: v.verdict,
        wire_length: len,
        features: features_needed(protocol, v)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        large,
        checks,
    }
}

/// The checks of every vector of `suite`, with the lint's problems `lint`.
pub fn derive(suite: &Suite, lint: Vec<String>) -> ChecksFile {
    ChecksFile {
        format_version: FORMAT_VERSION,
        protocol: suite.protocol.as_str().to_owned(),
        lint,
        vectors: suite
            .vectors()
            .map(|(file, v)| for_vector(suite.protocol, file, v))
            .collect(),
    }
}

impl ChecksFile {
    /// The file as JSON text: compact, one vector per line (a diff shows which vectors'
    /// checks changed).
    pub fn to_json(&self) -> String {
        fn line<T: Serialize>(value: &T) -> String {
            serde_json::to_string(value).unwrap_or_default()
        }
        let mut out = String::from("{\n");
        out.push_str(&format!(
            "  \"format_version\": {},\n  \"protocol\": {},\n  \"lint\": {},\n  \"vectors\": [\n",
            self.format_version,
            line(&self.protocol),
            line(&self.lint)
        ));
        for (i, v) in self.vectors.iter().enumerate() {
            let comma = if i + 1 < self.vectors.len() { "," } else { "" };
            out.push_str(&format!("    {}{comma}\n", line(v)));
        }
        out.push_str("  ]\n}\n");
        out
    }

    /// The protocol version it is for.
    pub fn protocol(&self) -> Result<Protocol, String> {
        Protocol::parse(&self.protocol)
            .filter(|p| p.as_str() == self.protocol)
            .ok_or_else(|| {
                format!(
                    "checks file: protocol {:?} is not 3.1.1 or 5.0",
                    self.protocol
                )
            })
    }

    /// Reads a checks file, refusing a format version this runner does not know and a check
    /// whose expectation is not the one its kind has.
    pub fn parse(text: &str) -> Result<ChecksFile, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("checks file: {e}"))?;
        let version = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(FORMAT_VERSION)) {
            return Err(format!(
                "checks file: format_version {} is not {FORMAT_VERSION}, the one this runner knows",
                value
                    .get("format_version")
                    .unwrap_or(&serde_json::Value::Null)
            ));
        }
        let file: ChecksFile =
            serde_json::from_value(value).map_err(|e| format!("checks file: {e}"))?;
        file.protocol()?;
        for v in &file.vectors {
            for check in &v.checks {
                let allowed = match check.fixed_expect() {
                    Some(fixed) => check.expect() == fixed,
                    None => matches!(
                        (v.verdict, check.expect()),
                        (Verdict::Valid, Expect::Packet)
                            | (Verdict::Invalid, Expect::Error)
                            | (Verdict::Acceptable, Expect::PacketOrRefusal)
                    ),
                };
                if !allowed {
                    return Err(format!(
                        "checks file: {}: a check {check:?} cannot expect that",
                        v.id
                    ));
                }
            }
        }
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_compact_runs_of_lengths() {
        assert_eq!(ranges(&[0, 1, 2, 5, 7, 8]), [[0, 3], [5, 6], [7, 9]]);
        assert_eq!(ranges(&[]), Cuts::new());
        let cuts = ranges(&prefix_cuts(100_000, false));
        assert_eq!(
            expand(&cuts).collect::<Vec<_>>(),
            prefix_cuts(100_000, false)
        );
    }

    #[test]
    fn prefix_cuts_cover_short_packets_and_sample_long_ones() {
        assert_eq!(prefix_cuts(3, false), [0, 1, 2]);
        assert_eq!(prefix_cuts(1 << 28, true).len(), 16);
        let cuts = prefix_cuts(100_000, false);
        assert!(
            cuts.len() < 200
                && cuts.contains(&0)
                && cuts.contains(&99_999)
                && !cuts.contains(&100_000)
        );
    }

    #[test]
    fn early_rejection_cuts_keep_the_deciding_byte_when_sampling() {
        assert_eq!(early_rejection_cuts(4, 3, false), [1, 2, 3]);
        assert_eq!(early_rejection_cuts(4, 0, false), [1, 2, 3]);
        let cuts = early_rejection_cuts(100_000, 50_000, false);
        assert!(cuts.contains(&50_000) && cuts.contains(&50_001) && !cuts.contains(&0));
        assert!(cuts.len() < 200 && !cuts.contains(&100_000));
    }

    #[test]
    fn the_files_match_their_schema() {
        let path = Suite::default_root()
            .join("schema")
            .join("checks.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for protocol in Protocol::ALL {
            let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
            let file: serde_json::Value =
                serde_json::from_str(&derive(&suite, vec![]).to_json()).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&file)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .take(5)
                .collect();
            assert!(errors.is_empty(), "{protocol}: {errors:?}");
            // What the schema refuses: a decode check expecting what its verdict does not
            // give, a range of one number, a delta of 2.
            for (from, to) in [
                (r#""expect":"packet""#, r#""expect":"error""#),
                ("[0,", "["),
                (r#""delta":1"#, r#""delta":2"#),
            ] {
                let text = derive(&suite, vec![]).to_json().replacen(from, to, 1);
                let bad: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert!(!validator.is_valid(&bad), "{protocol}: {from} -> {to}");
            }
        }
    }

    #[test]
    fn the_file_reads_back_and_refuses_what_it_does_not_know() {
        for protocol in Protocol::ALL {
            let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
            let file = derive(&suite, vec![]);
            assert_eq!(ChecksFile::parse(&file.to_json()).unwrap(), file);
        }
        let good = r#"{"format_version": 1, "protocol": "3.1.1", "lint": [], "vectors": [
            {"id": "p", "file": "ping", "verdict": "valid", "wire_length": 2,
             "checks": [{"check": "decode", "expect": "packet"}]}]}"#;
        assert!(ChecksFile::parse(good).is_ok());
        for bad in [
            good.replace("\"format_version\": 1", "\"format_version\": 2"),
            good.replace("\"expect\": \"packet\"", "\"expect\": \"error\""),
            good.replace("\"decode\"", "\"decode-twice\""),
            good.replace("\"wire_length\": 2", "\"wire_length\": 2, \"extra\": 1"),
        ] {
            assert!(ChecksFile::parse(&bad).is_err(), "{bad}");
        }
    }
}
