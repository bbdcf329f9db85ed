//! The checks of `vectors/README.md`, run against one implementation, under the rules for
//! this codec or the rules for any other implementation ([`Rules`]).

use serde_json::Value;

use std::collections::{HashMap, HashSet};

use crate::checks::{self, Check, ChecksFile, Cuts, Expect, VectorChecks, When};
use crate::decisions::{self, Decision, Decisions};
use crate::hex;
use crate::implementation::{Fault, Implementation, Outcome, Request};
use crate::suite::{ExpectedError, Protocol, Suite, Vector, Verdict};

/// What a run holds an implementation to.
#[derive(Debug, Clone)]
pub enum Rules {
    /// This codec, natively or through its own adapter (`mqtt-vectors adapter`), held to
    /// everything it promises beyond the standard: every error with its named kind and every
    /// part the vector records (clause, field, offset, and the deciding byte, through the
    /// early-rejection check); its recorded decision for every acceptable vector; no vector
    /// declined (`unsupported`).
    ThisCodec(Decisions),
    /// Any other implementation, held to what the MQTT standard requires: an error may have
    /// the kind `unknown` and leave out what the implementation does not know; early
    /// rejection is recorded, not required; a declined vector is skipped.
    Standard,
}

impl Rules {
    /// One line for the report.
    pub fn describe(&self) -> &'static str {
        match self {
            Rules::ThisCodec(_) => {
                "this codec's (every error in full, early rejection at the deciding byte, the recorded decision for every acceptable vector, nothing declined)"
            }
            Rules::Standard => {
                "the standard's (an error may be 'unknown'; early rejection recorded, not required)"
            }
        }
    }

    fn this_codec(&self) -> bool {
        matches!(self, Rules::ThisCodec(_))
    }
}

/// What happened to one vector.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VectorResult {
    /// The vector's id.
    pub id: String,
    /// Its file's name.
    pub file: String,
    /// The packet type it is about (`CONNECT`, ...), or `reserved` for a reserved type.
    pub packet_type: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// The clauses it exercises.
    pub clauses: Vec<String>,
    /// Every check that failed, with expected and observed. Empty when it passed.
    pub failures: Vec<String>,
    /// For an `acceptable` vector: `accepted` or `refused`.
    pub choice: Option<String>,
    /// Set when the implementation did not handle the vector.
    pub skipped: Option<String>,
    /// Set when the implementation crashed or hung on one of the vector's requests (the
    /// failure is in `failures` too). The vector's remaining checks are not made.
    pub fault: Option<FaultRecord>,
    /// For a vector refused with the error kind `unknown` (an implementation whose errors
    /// have no name in the suite's terms): the implementation's own message.
    pub note: Option<String>,
    /// For a vector with a deciding byte (`error.decided_at`) that the implementation
    /// refused: whether its prefixes were incomplete up to that byte and refused from it on.
    /// Under [`Rules::ThisCodec`] a deviation is in `failures` too; otherwise it is only
    /// recorded here.
    pub early_rejection: Option<EarlyRejection>,
}

/// The early-rejection check of one vector.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EarlyRejection {
    /// The deciding byte's offset.
    pub decided_at: usize,
    /// The prefixes sent.
    pub prefixes: usize,
    /// The first prefix that gave something else than expected, and what it gave; `None`
    /// when the property held.
    pub deviation: Option<String>,
}

impl EarlyRejection {
    /// Whether every prefix gave what the deciding byte says.
    pub fn held(&self) -> bool {
        self.deviation.is_none()
    }
}

/// A crash or a timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The implementation crashed.
    Crash,
    /// It did not answer in time.
    Timeout,
}

/// What went wrong, and in which check.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FaultRecord {
    /// Crash or timeout.
    pub kind: FaultKind,
    /// The check (`decode`, `prefix of 3 bytes`, ...) and what the implementation said.
    pub detail: String,
}

impl VectorResult {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.skipped.is_none()
    }
}

/// Why a `LargePacket` vector is skipped through an adapter: the one skip this codec's rules
/// allow.
pub const LARGE_PACKET_SKIP: &str = "LargePacket vectors are not sent through an adapter";

/// Runs every vector whose id contains `filter` (all when `None`) under `rules`, from the
/// checks [`checks::derive`] gives for the suite.
pub fn run(
    suite: &Suite,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
    rules: &Rules,
) -> Vec<VectorResult> {
    run_checks(suite, &checks::derive(suite, vec![]), imp, filter, rules)
        .into_iter()
        .map(|(result, _)| result)
        .collect()
}

/// What a run saw of one vector beyond its pass or fail, for the report's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Observed {
    /// The decode of the whole wire was answered "incomplete" (wrong for every verdict: the
    /// wire is the whole packet).
    pub incomplete: bool,
    /// For a vector with an encode check: whether it was made.
    pub encode: Option<EncodeCheck>,
}

/// What became of an encode check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncodeCheck {
    /// The implementation encoded the packet (rightly or not).
    Made,
    /// It declined (no encoder, or not this packet).
    Declined,
    /// Not reached: a crash, a timeout or a skip came first, or it crashed on the encode.
    NotReached,
}

/// Runs the checks of `list` whose vector id contains `filter` (all when `None`) under
/// `rules`, each against its vector of `suite`. A check naming a vector the suite lacks, and
/// a vector of the suite that no check names, fail: the list is stale.
pub fn run_checks(
    suite: &Suite,
    list: &ChecksFile,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
    rules: &Rules,
) -> Vec<(VectorResult, Observed)> {
    let vectors: HashMap<&str, (&str, &Vector)> = suite
        .vectors()
        .map(|(file, v)| (v.id.as_str(), (file, v)))
        .collect();
    let selected = |id: &str| filter.is_none_or(|f| id.contains(f));
    let mut results: Vec<(VectorResult, Observed)> = list
        .vectors
        .iter()
        .filter(|entry| selected(&entry.id))
        .map(|entry| match vectors.get(entry.id.as_str()) {
            Some((file, v)) => {
                let mut observed = Observed::default();
                let result = execute(suite.protocol, file, entry, v, imp, rules, &mut observed);
                (result, observed)
            }
            None => (
                stale(
                    &entry.id,
                    &entry.file,
                    entry.verdict,
                    "the checks name a vector the suite does not have",
                ),
                Observed::default(),
            ),
        })
        .collect();
    let listed: HashSet<&str> = list.vectors.iter().map(|e| e.id.as_str()).collect();
    results.extend(
        suite
            .vectors()
            .filter(|(_, v)| selected(&v.id) && !listed.contains(v.id.as_str()))
            .map(|(file, v)| {
                let why = "no check names this vector";
                (stale(&v.id, file, v.verdict, why), Observed::default())
            }),
    );
    results
}

/// The result of a vector the checks and the suite disagree on.
fn stale(id: &str, file: &str, verdict: Verdict, why: &str) -> VectorResult {
    VectorResult {
        id: id.to_owned(),
        file: file.to_owned(),
        packet_type: "?".into(),
        verdict,
        clauses: vec![],
        failures: vec![format!("{why}: the checks file is stale")],
        choice: None,
        skipped: None,
        fault: None,
        note: None,
        early_rejection: None,
    }
}

/// Runs the checks of one vector, derived on the spot.
#[cfg(test)]
fn run_one(
    protocol: Protocol,
    file: &str,
    v: &Vector,
    imp: &mut dyn Implementation,
    rules: &Rules,
) -> VectorResult {
    execute(
        protocol,
        file,
        &checks::for_vector(protocol, file, v),
        v,
        imp,
        rules,
        &mut Observed::default(),
    )
}

/// Makes the checks of `entry`, in order, against its vector `v`.
fn execute(
    protocol: Protocol,
    file: &str,
    entry: &VectorChecks,
    v: &Vector,
    imp: &mut dyn Implementation,
    rules: &Rules,
    observed: &mut Observed,
) -> VectorResult {
    let mut result = VectorResult {
        id: v.id.clone(),
        file: file.to_owned(),
        packet_type: String::new(),
        verdict: v.verdict,
        clauses: v.clauses.clone(),
        failures: vec![],
        choice: None,
        skipped: None,
        fault: None,
        note: None,
        early_rejection: None,
    };
    let wire = match v.wire_bytes() {
        Ok(wire) => wire,
        Err(e) => {
            result.failures.push(format!("wire: {e}"));
            return result;
        }
    };
    result.packet_type = match &v.packet {
        Some(p) => p
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned(),
        None => wire
            .first()
            .and_then(|b| mqtt_wire::PacketType::from_u8(b >> 4))
            .map_or("reserved".to_owned(), |t| t.name().to_owned()),
    };
    if entry.wire_length != wire.len() || entry.verdict != v.verdict {
        result.failures.push(format!(
            "the checks were made for a {:?} vector of {} bytes, this one is {:?} with {}: the checks file is stale",
            entry.verdict,
            entry.wire_length,
            v.verdict,
            wire.len()
        ));
        return result;
    }
    if entry.large && !imp.takes_large_packets() {
        result.skipped = Some(LARGE_PACKET_SKIP.into());
        return result;
    }
    // A vector that needs a request feature the implementation does not take is skipped
    // (this codec takes them all: declining one fails it).
    let missing: Vec<&str> = entry
        .features
        .iter()
        .map(String::as_str)
        .filter(|f| !imp.supports(f))
        .collect();
    if !missing.is_empty() {
        let why = format!(
            "the implementation does not take the request feature {}",
            missing.join(" and ")
        );
        if rules.this_codec() {
            result
                .failures
                .push(format!("{why}: this codec takes every request"));
        } else {
            result.skipped = Some(why);
        }
        return result;
    }
    if entry
        .checks
        .iter()
        .any(|c| matches!(c, Check::Encode { .. }))
    {
        observed.encode = Some(EncodeCheck::NotReached);
    }
    let (mut early_rejection, mut choice, mut note) = (None, None, None);
    // The whole wire's refusal, and whether its kind is the vector's, for early rejection.
    let mut refusal: Option<(Value, bool)> = None;
    let model = v.packet_model().and_then(Result::ok);
    let mut checks = Checks {
        imp,
        rules,
        request: Request {
            id: &v.id,
            protocol,
            context: v.context.as_ref(),
        },
        stage: "decode".into(),
        failures: &mut result.failures,
        skipped: &mut result.skipped,
        fault: &mut result.fault,
    };
    for check in &entry.checks {
        match check {
            Check::Decode {
                expect: Expect::Packet,
            } => {
                let Some(model) = model else {
                    checks.fail("a valid vector needs a packet".into());
                    break;
                };
                let outcome = checks.expect_packet("decode", wire, wire.len(), model);
                observed.incomplete = outcome == Some(Outcome::Incomplete);
            }
            Check::Decode {
                expect: Expect::Error,
            } => {
                let Some(expected) = &v.error else {
                    checks.fail("an invalid vector needs an error".into());
                    break;
                };
                if let Some(outcome) = checks.decode(wire) {
                    observed.incomplete = outcome == Outcome::Incomplete;
                    match error_matches(&outcome, expected, rules.this_codec()) {
                        Err(e) => checks.fail(e),
                        Ok(()) => note = unknown_kind_message(&outcome),
                    }
                    if let Outcome::Invalid(error) = outcome {
                        let same_kind = error.get("kind").and_then(Value::as_str)
                            == Some(expected.kind.as_str());
                        refusal = Some((error, same_kind));
                    }
                }
            }
            Check::Decode {
                expect: Expect::PacketOrRefusal,
            } => {
                let Some(outcome) = checks.decode(wire) else {
                    continue;
                };
                observed.incomplete = outcome == Outcome::Incomplete;
                match (&outcome, &model, &v.error) {
                    (Outcome::Valid { consumed, packet }, Some(model), _)
                        if *consumed == wire.len() && packet == *model =>
                    {
                        choice = Some("accepted".into())
                    }
                    // Refusing is allowed; the reason is recorded, and a reason other than the
                    // vector's is not a failure (a receiver may see a different rule first).
                    (Outcome::Invalid(error), _, Some(expected)) => {
                        let kind = error.get("kind").and_then(Value::as_str).unwrap_or("?");
                        choice = Some(if kind == expected.kind {
                            "refused".into()
                        } else {
                            format!("refused ({kind})")
                        });
                        refusal = Some((error.clone(), kind == expected.kind));
                    }
                    _ => checks.fail(format!(
                        "neither outcome the vector allows: got {}",
                        show(&outcome)
                    )),
                }
                if let Rules::ThisCodec(recorded) = rules {
                    let accepted = choice.as_deref() == Some("accepted");
                    if let Err(e) = decision_matches(recorded.get(&v.id), &outcome, accepted, v) {
                        checks.fail(e);
                    }
                }
            }
            Check::Encode { .. } => {
                if let Some(model) = model {
                    observed.encode = Some(checks.encode(wire, model));
                }
            }
            Check::Prefixes { cuts, .. } => checks.prefixes(wire, cuts),
            Check::Copies { count, .. } => {
                if let Some(model) = model {
                    checks.copies(wire, *count, model);
                }
            }
            Check::RemainingLength { delta, .. } => {
                if let Some(model) = model {
                    checks.remaining_length(wire, *delta, model);
                }
            }
            Check::EarlyRejection {
                decided_at,
                cuts,
                when,
                ..
            } => {
                if let Some((error, same_kind)) = &refusal {
                    if *when == When::Refused || *same_kind {
                        early_rejection = checks.early_rejection(wire, *decided_at, error, cuts);
                    }
                }
            }
            Check::Decode { expect } => checks.fail(format!(
                "a decode check cannot expect {expect:?}: the checks file is not this runner's"
            )),
        }
    }
    result.early_rejection = early_rejection;
    result.choice = choice;
    result.note = note;
    result
}

/// For an error of the kind `unknown`, the implementation's message.
fn unknown_kind_message(outcome: &Outcome) -> Option<String> {
    let Outcome::Invalid(error) = outcome else {
        return None;
    };
    (error.get("kind").and_then(Value::as_str) == Some(UNKNOWN_KIND)).then(|| {
        error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    })
}

/// Whether this codec made its recorded decision on an acceptable vector: accepted it (the
/// vector's packet, every byte used), or refused it with the recorded kind (and, when that is
/// the vector's kind, with the vector's error in full).
fn decision_matches(
    recorded: Option<&Decision>,
    outcome: &Outcome,
    accepted: bool,
    v: &Vector,
) -> Result<(), String> {
    let made = if accepted {
        "accepted it".to_owned()
    } else {
        format!("gave {}", show(outcome))
    };
    match (recorded, outcome) {
        (None, _) => Err(format!(
            "no decision of this codec is recorded for this acceptable vector in {}: it {made}",
            decisions::PATH
        )),
        (Some(Decision::Accepted), _) if accepted => Ok(()),
        (Some(Decision::Refused(kind)), Outcome::Invalid(error))
            if error.get("kind").and_then(Value::as_str) == Some(kind.as_str()) =>
        {
            match &v.error {
                Some(expected) if expected.kind == *kind => error_matches(outcome, expected, true),
                _ => Ok(()),
            }
        }
        (Some(decision), _) => Err(format!(
            "this codec's recorded decision ({}) is {decision}, but it {made}",
            decisions::PATH
        )),
    }
}

/// The error kind an adapter gives when its implementation refused the bytes for a reason
/// the suite has no name for: only the refusal is checked.
pub const UNKNOWN_KIND: &str = "unknown";

struct Checks<'a> {
    imp: &'a mut dyn Implementation,
    rules: &'a Rules,
    request: Request<'a>,
    /// The check being made, for a fault's record.
    stage: String,
    failures: &'a mut Vec<String>,
    skipped: &'a mut Option<String>,
    fault: &'a mut Option<FaultRecord>,
}

impl Checks<'_> {
    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// Records a fault; after a crash or a timeout the vector's other checks are not made.
    fn fault(&mut self, fault: Fault) {
        let kind = match &fault {
            Fault::Crash(_) => FaultKind::Crash,
            Fault::Timeout(_) => FaultKind::Timeout,
            Fault::Protocol(_) => {
                self.fail(format!("{}: {fault}", self.stage));
                return;
            }
        };
        let detail = format!("{}: {fault}", self.stage);
        self.fail(detail.clone());
        *self.fault = Some(FaultRecord { kind, detail });
    }

    /// Decodes; `None` (with the failure or skip recorded) when there is nothing to compare.
    /// This codec handles every request: an `unsupported` answer from it is a failure. After
    /// a fault or a skip nothing more is sent: the vector's result is settled.
    fn decode(&mut self, bytes: &[u8]) -> Option<Outcome> {
        if self.fault.is_some() || self.skipped.is_some() {
            return None;
        }
        match self.imp.decode(&self.request, bytes) {
            Ok(Outcome::Unsupported) if self.rules.this_codec() => {
                self.fail(format!(
                    "{}: answered 'unsupported': this codec handles every vector",
                    self.stage
                ));
                None
            }
            Ok(Outcome::Unsupported) => {
                *self.skipped = Some("the implementation does not support it".into());
                None
            }
            Ok(outcome) => Some(outcome),
            Err(e) => {
                self.fault(e);
                None
            }
        }
    }

    /// Expects the packet; returns what the implementation answered.
    fn expect_packet(
        &mut self,
        what: &str,
        bytes: &[u8],
        len: usize,
        model: &Value,
    ) -> Option<Outcome> {
        self.stage = what.to_owned();
        let outcome = self.decode(bytes);
        match &outcome {
            Some(Outcome::Valid { consumed, packet }) if *consumed == len && packet == model => {}
            Some(other) => self.fail(format!(
                "{what}: expected the packet using {len} bytes, got {}",
                show(other)
            )),
            None => {}
        }
        outcome
    }

    /// The early-rejection check: every non-empty prefix of at most `decided_at` bytes is
    /// incomplete, every longer one gives `whole`, the error of the whole wire (same kind,
    /// clause, field and offset). Prefixes are sampled as in the prefix check, always with
    /// the two around the deciding byte. Under this codec's rules a deviation or a fault is a
    /// failure; otherwise it is only recorded (a fault included: the standard does not ask
    /// for early rejection, so an implementation is not failed for what a prefix does).
    fn early_rejection(
        &mut self,
        wire: &[u8],
        decided_at: usize,
        whole: &Value,
        cuts: &Cuts,
    ) -> Option<EarlyRejection> {
        if self.fault.is_some() || decided_at >= wire.len() {
            // Nothing to compare (the lint reports a deciding byte past the wire).
            return None;
        }
        let strict = self.rules.this_codec();
        let mut record = EarlyRejection {
            decided_at,
            prefixes: 0,
            deviation: None,
        };
        for cut in checks::expand(cuts) {
            self.stage = format!("early rejection: prefix of {cut} bytes");
            let Some(prefix) = wire.get(..cut) else {
                self.fail(format!("{}: longer than the wire", self.stage));
                break;
            };
            record.prefixes += 1;
            let answer = if strict {
                match self.decode(prefix) {
                    Some(outcome) => outcome,
                    None => {
                        record.deviation = Some(format!("{}: no answer", self.stage));
                        break;
                    }
                }
            } else {
                match self.imp.decode(&self.request, prefix) {
                    Ok(outcome) => outcome,
                    Err(fault) => {
                        record.deviation = Some(format!("{}: {fault}", self.stage));
                        break;
                    }
                }
            };
            let deviation = if cut <= decided_at {
                (answer != Outcome::Incomplete).then(|| {
                    format!(
                        "{}: expected incomplete (the error is decided at byte {decided_at}), got {}",
                        self.stage,
                        show(&answer)
                    )
                })
            } else {
                match &answer {
                    Outcome::Invalid(error) if same_error(error, whole) => None,
                    _ => Some(format!(
                        "{}: expected the whole packet's error {whole} (decided at byte {decided_at}), got {}",
                        self.stage,
                        show(&answer)
                    )),
                }
            };
            if let Some(deviation) = deviation {
                if strict {
                    self.fail(deviation.clone());
                }
                record.deviation = Some(deviation);
                break;
            }
        }
        Some(record)
    }

    fn encode(&mut self, wire: &[u8], model: &Value) -> EncodeCheck {
        if self.fault.is_some() || self.skipped.is_some() {
            return EncodeCheck::NotReached;
        }
        self.stage = "encode".into();
        match self.imp.encode(&self.request, model) {
            Ok(Some(bytes)) if bytes == wire => EncodeCheck::Made,
            Ok(Some(bytes)) => {
                self.fail(format!(
                    "encode: expected {}, got {}",
                    short_hex(wire),
                    short_hex(&bytes)
                ));
                EncodeCheck::Made
            }
            Ok(None) => {
                if self.rules.this_codec() {
                    self.fail("encode: declined: this codec encodes every canonical packet".into());
                }
                EncodeCheck::Declined
            }
            Err(e) => {
                self.fault(e);
                EncodeCheck::NotReached
            }
        }
    }

    /// Every prefix in `cuts` needs more bytes.
    fn prefixes(&mut self, wire: &[u8], cuts: &Cuts) {
        for cut in checks::expand(cuts) {
            let Some(prefix) = wire.get(..cut) else {
                self.fail(format!("prefix of {cut} bytes: longer than the wire"));
                break;
            };
            self.stage = format!("prefix of {cut} bytes");
            match self.decode(prefix) {
                Some(Outcome::Incomplete) | None => {}
                Some(other) => {
                    self.fail(format!(
                        "prefix of {cut} bytes: expected incomplete, got {}",
                        show(&other)
                    ));
                    break;
                }
            }
        }
    }

    /// `count` copies in one buffer are `count` packets.
    fn copies(&mut self, wire: &[u8], count: usize, model: &Value) {
        let stream = wire.repeat(count);
        for copy in 0..count {
            self.expect_packet(
                &format!("copy {} of {count} in one buffer", copy + 1),
                &stream[copy * wire.len()..],
                wire.len(),
                model,
            );
        }
    }

    /// Derived: a Remaining Length one off either way never gives the packet back.
    fn remaining_length(&mut self, wire: &[u8], delta: i8, model: &Value) {
        let Some((remaining, len_bytes)) = oracle::declared_remaining_length(wire) else {
            self.fail("the wire has no complete fixed header".into());
            return;
        };
        let body = &wire[1 + len_bytes..];
        match delta {
            // One more than the body holds: an error (the header may already rule the length
            // out), or incomplete with exactly one byte missing ...
            1 => {
                let Some(grown) = with_remaining_length(wire[0], remaining + 1, body) else {
                    return;
                };
                self.stage = "Remaining Length + 1".into();
                match self.decode(&grown) {
                    Some(Outcome::Incomplete) => {
                        // ... and with that byte supplied (0x00), an error or some other packet
                        // that uses every byte.
                        let mut padded = grown;
                        padded.push(0);
                        match self.decode(&padded) {
                            Some(Outcome::Valid { consumed, packet }) if consumed != padded.len() || &packet == model => {
                                self.fail(format!(
                                    "Remaining Length + 1 with a 0x00 added: gave the original packet or used {consumed} of {} bytes",
                                    padded.len()
                                ))
                            }
                            Some(Outcome::Incomplete) => self.fail("Remaining Length + 1 with a 0x00 added: incomplete".into()),
                            _ => {}
                        }
                    }
                    Some(Outcome::Valid { .. }) => self.fail(
                        "Remaining Length + 1: a packet, with a byte of its frame missing".into(),
                    ),
                    _ => {}
                }
            }
            // One less: the packet's last byte falls outside its frame.
            -1 => {
                let Some(shrunk) = remaining
                    .checked_sub(1)
                    .and_then(|r| with_remaining_length(wire[0], r, body))
                else {
                    return;
                };
                let frame = shrunk.len() - 1;
                self.stage = "Remaining Length - 1".into();
                match self.decode(&shrunk) {
                    Some(Outcome::Valid { consumed, packet }) if consumed != frame || &packet == model => self.fail(format!(
                        "Remaining Length - 1: gave the original packet or used {consumed} bytes of a {frame}-byte frame"
                    )),
                    Some(Outcome::Incomplete) => self.fail("Remaining Length - 1: incomplete, with the whole frame present".into()),
                    _ => {}
                }
            }
            other => self.fail(format!(
                "Remaining Length {other:+}: not a check this runner makes"
            )),
        }
    }
}

pub use crate::checks::{early_rejection_cuts, prefix_cuts};

/// The packet `first`, Remaining Length `value` (shortest form), `body`; `None` past the
/// four-byte limit.
fn with_remaining_length(first: u8, value: usize, body: &[u8]) -> Option<Vec<u8>> {
    (value <= 268_435_455).then(|| {
        let mut out = vec![first];
        out.extend(testkit::wire::remaining_length(value));
        out.extend_from_slice(body);
        out
    })
}

/// The parts of an error that are compared: the message of an `unknown` kind is not.
const ERROR_PARTS: [&str; 5] = ["kind", "clause", "field", "offset", "reason_code"];

/// Whether two answers name the same error: equal in every part of [`ERROR_PARTS`], a part
/// left out in both counting as equal.
fn same_error(a: &Value, b: &Value) -> bool {
    let part = |error: &Value, name: &str| error.get(name).filter(|v| !v.is_null()).cloned();
    ERROR_PARTS
        .iter()
        .all(|name| part(a, name) == part(b, name))
}

/// Whether `outcome` is the error `expected`. Leniently (`strict` false, for other
/// implementations): the kind may be `unknown`, and the clause, field and offset are
/// compared only when given. Strictly (this codec): the kind is the vector's, and every part
/// the vector records (the clause always; the field, offset and reason code when it has
/// them) must be given and equal.
fn error_matches(outcome: &Outcome, expected: &ExpectedError, strict: bool) -> Result<(), String> {
    let Outcome::Invalid(got) = outcome else {
        return Err(format!(
            "expected invalid ({}, {}), got {}",
            expected.kind,
            expected.clause,
            show(outcome)
        ));
    };
    let mut wrong = Vec::new();
    let given = |name: &str| got.get(name).filter(|v| !v.is_null());
    let kind = given("kind").and_then(Value::as_str);
    let unknown_allowed = !strict && kind == Some(UNKNOWN_KIND);
    if kind != Some(expected.kind.as_str()) && !unknown_allowed {
        wrong.push(format!(
            "kind {} (expected {})",
            given("kind").map_or("none".into(), |k| k.to_string()),
            expected.kind
        ));
    }
    let wants = [
        ("clause", Some(Value::from(expected.clause.as_str()))),
        ("field", expected.field.as_deref().map(Value::from)),
        ("offset", expected.offset.map(Value::from)),
        ("reason_code", expected.reason_code.map(Value::from)),
    ];
    for (name, want) in wants {
        let Some(want) = want else { continue };
        match given(name) {
            Some(value) if *value == want => {}
            Some(value) => wrong.push(format!("{name} {value} (expected {want})")),
            None if strict => wrong.push(format!("no {name} (expected {want})")),
            None => {}
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("wrong error: {}; got {got}", wrong.join(", ")))
    }
}

fn short_hex(bytes: &[u8]) -> String {
    if bytes.len() <= 48 {
        hex::format(bytes)
    } else {
        format!("{}... ({} bytes)", hex::format(&bytes[..48]), bytes.len())
    }
}

fn show(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Valid { consumed, packet } => {
            let mut text = packet.to_string();
            if text.len() > 300 {
                text.truncate(300);
                text.push_str("...");
            }
            format!("valid ({consumed} bytes) {text}")
        }
        Outcome::Invalid(error) => format!("invalid {error}"),
        Outcome::Incomplete => "incomplete".into(),
        Outcome::Unsupported => "unsupported".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::Decisions;

    /// Answers from a list, in order (then "incomplete"), and counts the requests.
    struct Scripted(Vec<Result<Outcome, Fault>>, usize);

    impl Implementation for Scripted {
        fn decode(&mut self, _req: &Request<'_>, _bytes: &[u8]) -> Result<Outcome, Fault> {
            self.1 += 1;
            if self.0.is_empty() {
                return Ok(Outcome::Incomplete);
            }
            self.0.remove(0)
        }
        fn encode(
            &mut self,
            _req: &Request<'_>,
            _packet: &Value,
        ) -> Result<Option<Vec<u8>>, Fault> {
            Ok(None)
        }
        fn name(&self) -> String {
            "scripted".into()
        }
    }

    fn vector(json: Value) -> Vector {
        serde_json::from_value(json).unwrap()
    }

    fn pingreq() -> Vector {
        vector(serde_json::json!({
            "id": "pingreq", "description": "", "direction": "client-to-server",
            "verdict": "valid", "clauses": [], "flags": [], "wire": "c000",
            "packet": {"type": "PINGREQ"}, "canonical": true
        }))
    }

    #[test]
    fn a_crash_is_recorded_with_its_check_and_ends_the_vector() {
        let packet = serde_json::json!({"type": "PINGREQ"});
        let mut imp = Scripted(
            vec![
                Ok(Outcome::Valid {
                    consumed: 2,
                    packet,
                }),
                Err(Fault::Crash("boom".into())),
            ],
            0,
        );
        let result = run_one(
            Protocol::V311,
            "ping",
            &pingreq(),
            &mut imp,
            &Rules::Standard,
        );
        let fault = result.fault.as_ref().unwrap();
        assert_eq!(fault.kind, FaultKind::Crash);
        assert_eq!(fault.detail, "prefix of 0 bytes: crash: boom");
        assert!(!result.passed());
        assert_eq!(imp.1, 2, "no request after the crash");
    }

    #[test]
    fn records_an_incomplete_whole_vector_and_what_became_of_the_encode_check() {
        let observe = |answers: Vec<Result<Outcome, Fault>>| {
            let mut observed = Observed::default();
            let v = pingreq();
            let entry = checks::for_vector(Protocol::V311, "ping", &v);
            let mut imp = Scripted(answers, 0);
            execute(
                Protocol::V311,
                "ping",
                &entry,
                &v,
                &mut imp,
                &Rules::Standard,
                &mut observed,
            );
            observed
        };
        let packet = serde_json::json!({"type": "PINGREQ"});
        // Decoded; Scripted declines every encode.
        let decoded = observe(vec![Ok(Outcome::Valid {
            consumed: 2,
            packet,
        })]);
        assert_eq!(
            decoded,
            Observed {
                incomplete: false,
                encode: Some(EncodeCheck::Declined)
            }
        );
        // The whole packet answered "incomplete" (Scripted's answer once its list is out).
        assert!(observe(vec![]).incomplete);
        // A crash on the decode: the encode check is not reached.
        let crashed = observe(vec![Err(Fault::Crash("boom".into()))]);
        assert_eq!(crashed.encode, Some(EncodeCheck::NotReached));
    }

    #[test]
    fn a_timeout_is_recorded() {
        let mut imp = Scripted(
            vec![Err(Fault::Timeout(std::time::Duration::from_secs(1)))],
            0,
        );
        let result = run_one(
            Protocol::V311,
            "ping",
            &pingreq(),
            &mut imp,
            &Rules::Standard,
        );
        assert_eq!(result.fault.unwrap().kind, FaultKind::Timeout);
    }

    #[test]
    fn an_unknown_error_kind_passes_an_invalid_vector_but_a_wrong_one_does_not() {
        let invalid = vector(serde_json::json!({
            "id": "bad", "description": "", "direction": "either", "verdict": "invalid",
            "clauses": ["MQTT-2.2.2-1"], "flags": [], "wire": "c100",
            "error": {"kind": "invalid-flags", "clause": "MQTT-2.2.2-1"}
        }));
        let refusal = |kind: &str| {
            Ok(Outcome::Invalid(
                serde_json::json!({"kind": kind, "message": "bad flags"}),
            ))
        };
        let result = run_one(
            Protocol::V311,
            "f",
            &invalid,
            &mut Scripted(vec![refusal("unknown")], 0),
            &Rules::Standard,
        );
        assert!(result.passed());
        assert_eq!(result.note.as_deref(), Some("bad flags"));
        let result = run_one(
            Protocol::V311,
            "f",
            &invalid,
            &mut Scripted(vec![refusal("truncated")], 0),
            &Rules::Standard,
        );
        assert!(!result.passed());
        let result = run_one(
            Protocol::V311,
            "f",
            &invalid,
            &mut Scripted(vec![Ok(Outcome::Incomplete)], 0),
            &Rules::Standard,
        );
        assert!(!result.passed());
        // This codec has no leniency: `unknown` fails it.
        let result = run_one(
            Protocol::V311,
            "f",
            &invalid,
            &mut Scripted(vec![refusal("unknown")], 0),
            &this_codec(),
        );
        assert!(!result.passed());
        assert!(
            result.failures[0].contains("kind \"unknown\""),
            "{:?}",
            result.failures
        );
    }

    fn this_codec() -> Rules {
        Rules::ThisCodec(Decisions::default())
    }

    /// A made-up implementation that refuses `error` once it has `decides` bytes (all of
    /// them when `decides` is `None`), and needs more bytes before.
    struct Decides {
        decides: Option<usize>,
        error: Value,
        requests: Vec<usize>,
    }

    impl Implementation for Decides {
        fn decode(&mut self, _req: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault> {
            self.requests.push(bytes.len());
            Ok(match self.decides {
                Some(n) if bytes.len() >= n => Outcome::Invalid(self.error.clone()),
                None if bytes.len() == 4 => Outcome::Invalid(self.error.clone()),
                _ => Outcome::Incomplete,
            })
        }
        fn encode(
            &mut self,
            _req: &Request<'_>,
            _packet: &Value,
        ) -> Result<Option<Vec<u8>>, Fault> {
            Ok(None)
        }
        fn name(&self) -> String {
            "decides".into()
        }
    }

    /// PUBACK with packet id 0: the id starts at offset 2 and is decided at offset 3.
    fn puback_id_zero(decided_at: usize) -> Vector {
        vector(serde_json::json!({
            "id": "acks-puback-id-zero", "description": "", "direction": "either",
            "verdict": "invalid", "clauses": ["2.3.1"], "flags": [], "wire": "40020000",
            "error": {"kind": "zero-packet-id", "clause": "2.3.1", "field": "packet-id",
                      "offset": 2, "decided_at": decided_at}
        }))
    }

    fn zero_id_error() -> Value {
        serde_json::json!({"kind": "zero-packet-id", "clause": "2.3.1", "field": "packet-id", "offset": 2})
    }

    #[test]
    fn early_rejection_holds_when_the_error_comes_at_the_deciding_byte() {
        // Decided at offset 3: prefixes of 1 to 3 bytes are incomplete, the whole is refused.
        let mut imp = Decides {
            decides: Some(4),
            error: zero_id_error(),
            requests: vec![],
        };
        let result = run_one(
            Protocol::V311,
            "acks",
            &puback_id_zero(3),
            &mut imp,
            &this_codec(),
        );
        assert!(result.passed(), "{:?}", result.failures);
        let early = result.early_rejection.unwrap();
        assert!(early.held());
        assert_eq!((early.decided_at, early.prefixes), (3, 3));
        assert_eq!(imp.requests, [4, 1, 2, 3]);
    }

    #[test]
    fn early_rejection_fails_this_codec_and_is_only_recorded_for_others() {
        // Refused one byte too early (at 3 bytes, the deciding byte not there yet), one byte
        // too late (only the whole packet, as a codec without early rejection does here when
        // the deciding byte is not the last), and with another error on a prefix.
        let cases = [
            (
                Some(3),
                zero_id_error(),
                3,
                "prefix of 3 bytes: expected incomplete",
            ),
            (
                None,
                zero_id_error(),
                2,
                "prefix of 3 bytes: expected the whole packet's error",
            ),
        ];
        for (decides, error, decided_at, message) in cases {
            for rules in [this_codec(), Rules::Standard] {
                let mut imp = Decides {
                    decides,
                    error: error.clone(),
                    requests: vec![],
                };
                let result = run_one(
                    Protocol::V311,
                    "acks",
                    &puback_id_zero(decided_at),
                    &mut imp,
                    &rules,
                );
                let early = result.early_rejection.clone().unwrap();
                let deviation = early.deviation.clone().unwrap();
                assert!(deviation.contains(message), "{deviation}");
                match rules {
                    Rules::ThisCodec(_) => {
                        assert!(!result.passed());
                        assert!(result.failures.iter().any(|f| f.contains(message)));
                    }
                    Rules::Standard => assert!(result.passed(), "{:?}", result.failures),
                }
            }
        }
        // The prefix's error differs from the whole packet's (here: its offset).
        struct Shifting;
        impl Implementation for Shifting {
            fn decode(&mut self, _req: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault> {
                Ok(match bytes.len() {
                    4 => Outcome::Invalid(zero_id_error()),
                    3 => Outcome::Invalid(
                        serde_json::json!({"kind": "zero-packet-id", "clause": "2.3.1", "field": "packet-id", "offset": 3}),
                    ),
                    _ => Outcome::Incomplete,
                })
            }
            fn encode(&mut self, _: &Request<'_>, _: &Value) -> Result<Option<Vec<u8>>, Fault> {
                Ok(None)
            }
            fn name(&self) -> String {
                "shifting".into()
            }
        }
        let result = run_one(
            Protocol::V311,
            "acks",
            &puback_id_zero(2),
            &mut Shifting,
            &this_codec(),
        );
        assert!(!result.passed());
        assert!(
            result.failures[0].contains("offset"),
            "{:?}",
            result.failures
        );
    }

    #[test]
    fn a_fault_on_a_prefix_fails_this_codec_only() {
        let crash_on_prefix = || {
            Scripted(
                vec![
                    Ok(Outcome::Invalid(zero_id_error())),
                    Err(Fault::Crash("boom".into())),
                ],
                0,
            )
        };
        let result = run_one(
            Protocol::V311,
            "acks",
            &puback_id_zero(3),
            &mut crash_on_prefix(),
            &Rules::Standard,
        );
        assert!(result.passed() && result.fault.is_none());
        assert!(result
            .early_rejection
            .unwrap()
            .deviation
            .unwrap()
            .contains("crash: boom"));
        let result = run_one(
            Protocol::V311,
            "acks",
            &puback_id_zero(3),
            &mut crash_on_prefix(),
            &this_codec(),
        );
        assert_eq!(result.fault.unwrap().kind, FaultKind::Crash);
    }

    #[test]
    fn this_codec_gives_every_part_of_the_error_the_vector_records() {
        let vector = puback_id_zero(3);
        let answers = [
            (zero_id_error(), true, true),
            // Without the offset or the field: passes another implementation only.
            (
                serde_json::json!({"kind": "zero-packet-id", "clause": "2.3.1", "field": "packet-id"}),
                false,
                true,
            ),
            (
                serde_json::json!({"kind": "zero-packet-id", "clause": "2.3.1", "offset": 2}),
                false,
                true,
            ),
            (
                serde_json::json!({"kind": "zero-packet-id", "field": "packet-id", "offset": 2}),
                false,
                true,
            ),
            // A wrong part fails both.
            (
                serde_json::json!({"kind": "zero-packet-id", "clause": "2.3.1", "field": "packet-id", "offset": 3}),
                false,
                false,
            ),
            (
                serde_json::json!({"kind": "zero-packet-id", "clause": "2.3.1", "field": "topic-name", "offset": 2}),
                false,
                false,
            ),
        ];
        for (answer, strict_passes, lenient_passes) in answers {
            for (rules, passes) in [
                (this_codec(), strict_passes),
                (Rules::Standard, lenient_passes),
            ] {
                let mut imp = Decides {
                    decides: Some(4),
                    error: answer.clone(),
                    requests: vec![],
                };
                let result = run_one(Protocol::V311, "acks", &vector, &mut imp, &rules);
                assert_eq!(
                    result.passed(),
                    passes,
                    "{answer} under {rules:?}: {:?}",
                    result.failures
                );
            }
        }
    }

    #[test]
    fn unsupported_is_a_skip_for_others_and_a_failure_for_this_codec() {
        /// Declines every request, as an adapter does for a protocol it does not speak.
        struct Declines;
        impl Implementation for Declines {
            fn decode(&mut self, _req: &Request<'_>, _bytes: &[u8]) -> Result<Outcome, Fault> {
                Ok(Outcome::Unsupported)
            }
            fn encode(&mut self, _: &Request<'_>, _: &Value) -> Result<Option<Vec<u8>>, Fault> {
                Ok(None)
            }
            fn name(&self) -> String {
                "declines".into()
            }
        }
        let unsupported = || Declines;
        let result = run_one(
            Protocol::V311,
            "ping",
            &pingreq(),
            &mut unsupported(),
            &Rules::Standard,
        );
        assert!(result.skipped.is_some() && result.failures.is_empty());
        let result = run_one(
            Protocol::V311,
            "ping",
            &pingreq(),
            &mut unsupported(),
            &this_codec(),
        );
        assert!(result.skipped.is_none());
        assert!(
            result.failures[0].contains("unsupported"),
            "{:?}",
            result.failures
        );
        // An encoder that declines a canonical packet.
        let packet = serde_json::json!({"type": "PINGREQ"});
        let mut declines = Scripted(
            vec![
                Ok(Outcome::Valid {
                    consumed: 2,
                    packet,
                }),
                Ok(Outcome::Incomplete),
                Ok(Outcome::Incomplete),
            ],
            0,
        );
        let result = run_one(
            Protocol::V311,
            "ping",
            &pingreq(),
            &mut declines,
            &this_codec(),
        );
        assert!(
            result
                .failures
                .iter()
                .any(|f| f.starts_with("encode: declined")),
            "{:?}",
            result.failures
        );
    }

    fn padded_pingreq() -> Vector {
        vector(serde_json::json!({
            "id": "header-padded", "description": "", "direction": "client-to-server",
            "verdict": "acceptable", "clauses": ["2.2.3"], "flags": ["NonMinimalRemainingLength"],
            "wire": "c08000", "packet": {"type": "PINGREQ"},
            "error": {"kind": "non-minimal-remaining-length", "clause": "2.2.3",
                      "field": "remaining-length", "offset": 1}
        }))
    }

    #[test]
    fn this_codec_makes_its_recorded_decision_on_acceptable_vectors() {
        let accepts = || {
            Scripted(
                vec![Ok(Outcome::Valid {
                    consumed: 3,
                    packet: serde_json::json!({"type": "PINGREQ"}),
                })],
                0,
            )
        };
        let refusal = |kind: &str, offset: usize| {
            Scripted(
                vec![Ok(Outcome::Invalid(
                    serde_json::json!({"kind": kind, "clause": "2.2.3", "field": "remaining-length", "offset": offset}),
                ))],
                0,
            )
        };
        let record = |decision: Option<&str>| {
            let entry = match decision {
                None => String::new(),
                Some("accepted") => {
                    r#"{"id": "header-padded", "decision": "accepted", "documented": "d"}"#.into()
                }
                Some(kind) => format!(
                    r#"{{"id": "header-padded", "decision": "refused", "kind": "{kind}", "documented": "d"}}"#
                ),
            };
            Rules::ThisCodec(
                Decisions::parse(&format!(
                    r#"{{"format_version": 1, "description": "d", "decisions": [{entry}]}}"#
                ))
                .unwrap(),
            )
        };
        let refused = record(Some("non-minimal-remaining-length"));
        let outcome = |rules: &Rules, imp: &mut Scripted| {
            run_one(Protocol::V311, "header", &padded_pingreq(), imp, rules)
        };
        // As recorded: passes.
        assert!(outcome(&refused, &mut refusal("non-minimal-remaining-length", 1)).passed());
        assert!(outcome(&record(Some("accepted")), &mut accepts()).passed());
        // The decision changed: fails; under the standard's rules both are fine.
        let changed = outcome(&refused, &mut accepts());
        assert!(
            changed.failures[0]
                .contains("is refused (non-minimal-remaining-length), but it accepted it"),
            "{:?}",
            changed.failures
        );
        assert!(!outcome(
            &record(Some("accepted")),
            &mut refusal("non-minimal-remaining-length", 1)
        )
        .passed());
        assert!(!outcome(&refused, &mut refusal("invalid-remaining-length", 1)).passed());
        assert!(outcome(&Rules::Standard, &mut accepts()).passed());
        assert!(outcome(
            &Rules::Standard,
            &mut refusal("invalid-remaining-length", 1)
        )
        .passed());
        // Refused as recorded, but with a part of the vector's error wrong.
        assert!(!outcome(&refused, &mut refusal("non-minimal-remaining-length", 2)).passed());
        // No decision recorded: fails, saying what the codec did.
        let missing = outcome(&record(None), &mut accepts());
        assert!(
            missing.failures[0].starts_with("no decision of this codec is recorded"),
            "{:?}",
            missing.failures
        );
    }

    /// A 5.0 DISCONNECT with a duplicate Reason String: a Protocol Error (0x82), with a
    /// context.
    fn duplicate_reason_string() -> Vector {
        vector(serde_json::json!({
            "id": "v5-disconnect-dup", "description": "", "direction": "either",
            "verdict": "invalid", "clauses": ["3.14.2.2.3"], "flags": [],
            "wire": "e0 0b 00 08 1f 00 01 61 1f 00 01 62",
            "context": {"receiver": "server"},
            "error": {"kind": "duplicate-property", "clause": "3.14.2.2.3", "field": "reason-string",
                      "offset": 8, "decided_at": 8, "reason_code": 130}
        }))
    }

    /// Refuses with `error` from the deciding byte on, and takes every request feature.
    struct Refuses(Value, Vec<Option<Value>>);

    impl Implementation for Refuses {
        fn decode(&mut self, req: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault> {
            self.1.push(req.context.cloned());
            Ok(if bytes.len() > 8 {
                Outcome::Invalid(self.0.clone())
            } else {
                Outcome::Incomplete
            })
        }
        fn encode(&mut self, _: &Request<'_>, _: &Value) -> Result<Option<Vec<u8>>, Fault> {
            Ok(None)
        }
        fn name(&self) -> String {
            "refuses".into()
        }
        fn supports(&mut self, _feature: &str) -> bool {
            true
        }
    }

    #[test]
    fn the_reason_code_is_part_of_the_error() {
        let error = |code: Option<u8>| {
            let mut e = serde_json::json!({"kind": "duplicate-property", "clause": "3.14.2.2.3",
                                           "field": "reason-string", "offset": 8});
            if let Some(code) = code {
                e["reason_code"] = code.into();
            }
            e
        };
        // (answer's code, passes this codec, passes another implementation)
        for (code, strict, lenient) in [
            (Some(130), true, true),
            (Some(129), false, false),
            (None, false, true),
        ] {
            for (rules, passes) in [(this_codec(), strict), (Rules::Standard, lenient)] {
                let mut imp = Refuses(error(code), vec![]);
                let result = run_one(
                    Protocol::V5,
                    "disconnect",
                    &duplicate_reason_string(),
                    &mut imp,
                    &rules,
                );
                assert_eq!(result.passed(), passes, "{code:?}: {:?}", result.failures);
                // Every request carried the vector's context, the prefixes' included.
                assert!(imp.1.len() > 1);
                assert!(imp
                    .1
                    .iter()
                    .all(|c| c == &Some(serde_json::json!({"receiver": "server"}))));
            }
        }
    }

    #[test]
    fn a_vector_needing_a_feature_the_implementation_lacks_is_skipped_or_failed() {
        // Scripted takes no request feature: a 5.0 vector with a context needs two.
        let result = run_one(
            Protocol::V5,
            "disconnect",
            &duplicate_reason_string(),
            &mut Scripted(vec![], 0),
            &Rules::Standard,
        );
        assert_eq!(
            result.skipped.as_deref(),
            Some("the implementation does not take the request feature 5.0 and context")
        );
        assert!(result.failures.is_empty());
        let result = run_one(
            Protocol::V5,
            "disconnect",
            &duplicate_reason_string(),
            &mut Scripted(vec![], 0),
            &this_codec(),
        );
        assert!(result.skipped.is_none() && !result.passed());
    }

    #[test]
    fn rewrites_the_remaining_length() {
        assert_eq!(with_remaining_length(0x30, 127, &[]).unwrap(), [0x30, 0x7F]);
        assert_eq!(
            with_remaining_length(0x30, 128, &[1]).unwrap(),
            [0x30, 0x80, 0x01, 1]
        );
        assert_eq!(
            with_remaining_length(0x30, 268_435_455, &[]).unwrap(),
            [0x30, 0xFF, 0xFF, 0xFF, 0x7F]
        );
        assert_eq!(with_remaining_length(0x30, 268_435_456, &[]), None);
    }
}
