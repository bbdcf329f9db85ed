//! A real broker as a judge of the vectors (issue 14, section 4): each vector a client may send
//! goes to the broker at a point of a session where its answer says whether the bytes are
//! acceptable, and that answer is compared with the vector's verdict.
//!
//! - A CONNECT vector is the connection's first packet: accepted when a CONNACK with return
//!   (reason) code 0 comes and a PINGREQ after it is answered; refused when a CONNACK with
//!   another code comes, or the broker closes.
//! - A DISCONNECT vector follows a good CONNECT that carries a Will, watched by a second
//!   connection subscribed to the Will's topic. A close without a DISCONNECT publishes the
//!   Will; a DISCONNECT discards it (3.1.1: MQTT-3.14.4-3), in 5.0 only with reason 0x00
//!   (MQTT-3.1.2-8, MQTT-3.1.2-10). So no Will means the broker took the packet as a
//!   DISCONNECT (accepted); a Will after reason 0x00 means it did not (refused); a Will after
//!   another 5.0 reason code is what the standard asks either way, and is not judged.
//! - Any other vector follows a good CONNECT of the same version, then a PINGREQ: accepted
//!   when the PINGRESP comes and a second PINGREQ is answered too (the connection stayed
//!   open); refused when the broker closes, after a DISCONNECT (5.0) whose reason code is
//!   recorded and compared with the vector's.
//!
//! Some answers say nothing about the bytes: an acknowledgement of a packet id the session
//! never used, an AUTH outside an authentication exchange, a packet type only a server sends,
//! a vector whose verdict depends on a negotiated limit this broker does not have. Those are
//! sent and recorded, not judged. Server-to-client vectors are not sent.
//!
//! The logic here speaks to any `HOST:PORT`; `cargo xtask broker-judge` starts Mosquitto and
//! runs `mqtt-vectors broker-judge` against it. The broker's answers are read by a small frame
//! reader of its own (fixed header, Remaining Length, body), not by the codec: the judge must
//! not depend on the code the vectors test.

use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::suite::Protocol;
use crate::suite::{Direction, Suite, Vector, Verdict};

/// How long the judge waits for the broker, and how much it sends.
#[derive(Debug, Clone)]
pub struct Timing {
    /// The longest wait for any one answer (a CONNACK, a PINGRESP, a close).
    pub answer: Duration,
    /// How long to leave the broker with the vector alone before the PINGREQ, so that a
    /// broker that closes does so before the PINGREQ arrives (a close with unread bytes
    /// becomes a reset, which can lose a DISCONNECT already sent).
    pub settle: Duration,
    /// How long the watcher waits for a Will after the subject's connection closed.
    pub will: Duration,
    /// Connections at once.
    pub workers: usize,
    /// Vectors larger than this are not sent (recorded as not judged): a 256 MiB PUBLISH
    /// would dominate the run and the broker's memory for nothing the smaller ones miss.
    pub max_size: usize,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            answer: Duration::from_secs(3),
            settle: Duration::from_millis(150),
            will: Duration::from_millis(700),
            workers: 16,
            max_size: 4 << 20,
        }
    }
}

/// What the broker did with a vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// Took the packet and kept the session going.
    Accepted,
    /// Closed the connection, or answered a CONNECT with an error code.
    Refused,
    /// Neither, within the time allowed (it waits for more bytes).
    NoAnswer,
    /// An answer that does not tell: a Will published after a 5.0 DISCONNECT whose reason
    /// code is not 0x00, as the standard asks whether the broker took the packet or not.
    Undecided,
    /// The session the vector needs could not be set up (the good CONNECT failed).
    SetupFailed,
    /// Not sent (too large, or a vector for a client to judge).
    NotSent,
}

/// The comparison with the vector's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The broker did what the verdict says (for an acceptable vector: anything definite).
    Agree,
    /// A valid vector the broker refused.
    ValidRefused,
    /// An invalid vector the broker accepted.
    InvalidAccepted,
    /// Recorded, not judged: the answer does not speak to the bytes (see `why`).
    NotJudged,
}

/// One vector's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorResult {
    /// The vector's id.
    pub id: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// What the broker did.
    pub answer: Answer,
    /// What was seen, in order: the broker's packets (`CONNACK 0x00`, `PINGRESP`,
    /// `DISCONNECT 0x81`), `closed`, `no answer`, and for DISCONNECT vectors `will published`
    /// or `no will`.
    pub seen: Vec<String>,
    /// The code of the broker's refusal: a CONNACK's return or reason code, or the reason
    /// code of its DISCONNECT (5.0).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub refusal_code: Option<u8>,
    /// For an invalid 5.0 vector, the reason code it names (`error.reason_code`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expected_code: Option<u8>,
    /// The comparison.
    pub outcome: Outcome,
    /// Why it is not judged.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub why: Option<String>,
}

/// What the judge needs of a vector (a [`Vector`] is not shared between threads).
#[derive(Debug, Clone)]
pub struct Case {
    /// The vector's id.
    pub id: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Its bytes, or why they cannot be read or are not sent.
    pub wire: Result<Vec<u8>, String>,
    /// Its packet model, if any.
    pub packet: Option<Value>,
    /// Its context (5.0), if any.
    pub context: Option<Value>,
    /// The reason code its `error` names (5.0), if any.
    pub reason_code: Option<u8>,
}

impl Case {
    /// The judge's view of `vector`; bytes over `max_size` are not kept (nor sent).
    pub fn of(vector: &Vector, max_size: usize) -> Case {
        let wire = match vector.wire_bytes() {
            Ok(wire) if wire.len() > max_size => Err(format!(
                "not sent: {} bytes, over the run's limit of {max_size}",
                wire.len()
            )),
            Ok(wire) => Ok(wire.to_vec()),
            Err(e) => Err(format!("not sent: unreadable wire ({e})")),
        };
        Case {
            id: vector.id.clone(),
            verdict: vector.verdict,
            wire,
            packet: vector.packet.clone(),
            context: vector.context.clone(),
            reason_code: vector.error.as_ref().and_then(|e| e.reason_code),
        }
    }
}

/// How a vector is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// As the connection's first packet.
    Connect,
    /// After a good CONNECT with a Will, watched; `normal` when the DISCONNECT's reason code
    /// is 0x00 (or absent, or 3.1.1), the one that discards the Will.
    /// for the Will (reason 0x04).
    Disconnect { normal: bool },
    /// After a good CONNECT, followed by PINGREQs.
    AfterConnect,
    /// Not sent.
    NotSent,
}

/// How a vector is sent, and why its answer is not judged, if it is not.
fn plan(protocol: Protocol, vector: &Case, wire: &[u8]) -> (Plan, Option<String>) {
    if let Some(why) = not_one_frame(wire) {
        return (plan_by_type(protocol, vector, wire).0, Some(why));
    }
    if let Some(why) = context_not_judged(vector.context.as_ref()) {
        let sent = !why.starts_with("not sent");
        return (
            if sent {
                plan_by_type(protocol, vector, wire).0
            } else {
                Plan::NotSent
            },
            Some(why),
        );
    }
    plan_by_type(protocol, vector, wire)
}

/// Why `wire` is not exactly one frame, if it is not: a Remaining Length (of at most four
/// bytes, complete) that differs from the number of bytes after it. The broker then judges
/// another frame than the vector's: it waits for the missing bytes, or reads the extra ones
/// as the start of the next packet.
fn not_one_frame(wire: &[u8]) -> Option<String> {
    let (length, used) = var_int(wire.get(1..)?)?;
    let after = wire.len().checked_sub(1 + used)?;
    (length != after).then(|| {
        format!("not one whole frame: the Remaining Length says {length} bytes, {after} follow; the broker judges other bytes than the vector's")
    })
}

/// The plan from the packet type (the first byte's high nibble).
fn plan_by_type(protocol: Protocol, vector: &Case, wire: &[u8]) -> (Plan, Option<String>) {
    let Some(first) = wire.first() else {
        return (Plan::NotSent, Some("not sent: no bytes".into()));
    };
    let model = vector.packet.as_ref();
    match first >> 4 {
        1 if has_property(model, "authentication-method") => (
            Plan::Connect,
            Some("a CONNECT with an Authentication Method: whether the server supports the method is its choice (MQTT-4.12.0-1), not the bytes'".into()),
        ),
        1 if property_value(model, "maximum-packet-size").is_some_and(|size| size < SMALLEST_CONNACK) => (
            Plan::Connect,
            Some("a CONNECT whose Maximum Packet Size is smaller than any CONNACK: no server can answer it (MQTT-3.1.2-24)".into()),
        ),
        1 => (Plan::Connect, None),
        2 | 9 | 11 | 13 => (
            Plan::AfterConnect,
            Some(
                "a packet type only a server sends (2.1.2): a server's refusal says nothing about the bytes"
                    .into(),
            ),
        ),
        4..=7 => (
            Plan::AfterConnect,
            Some("an acknowledgement of a packet id this session never used: the answer depends on session state".into()),
        ),
        15 if protocol == Protocol::V5 => (
            Plan::AfterConnect,
            Some("an AUTH outside an authentication exchange (the CONNECT named no Authentication Method, 4.12): the answer depends on session state".into()),
        ),
        14 => {
            if nonzero_property(model, "session-expiry-interval") {
                return (
                    Plan::Disconnect { normal: false },
                    Some("a DISCONNECT that sets a Session Expiry Interval after a CONNECT without one (3.14.2.2.2): the answer depends on the CONNECT".into()),
                );
            }
            let normal = protocol == Protocol::V311
                || match model {
                    Some(_) => reason_code(model).unwrap_or(0) == 0,
                    // No model (an invalid vector): the reason code byte itself, if any.
                    None => var_int(&wire[1..])
                        .and_then(|(_, used)| wire.get(1 + used))
                        .is_none_or(|reason| *reason == 0),
                };
            (Plan::Disconnect { normal }, None)
        }
        3 if empty_topic_with_alias(model) => (
            Plan::AfterConnect,
            Some("a PUBLISH that uses a Topic Alias this session never set (3.3.2.3.4): the answer depends on session state".into()),
        ),
        _ => (Plan::AfterConnect, None),
    }
}

/// Why a vector's `context` makes the broker's answer beside the point, if it does. The
/// broker's session matches: a server receiving, Topic Alias Maximum 10 (Mosquitto's
/// default), no Authentication Method in the CONNECT.
fn context_not_judged(context: Option<&Value>) -> Option<String> {
    let context = context?.as_object()?;
    if context.get("receiver").and_then(Value::as_str) == Some("client") {
        return Some("not sent: its verdict is a client's, as receiver (context)".into());
    }
    // The settings this broker's session has: a server receiving, Topic Alias Maximum 10,
    // no Authentication Method.
    let matched = |key: &str, value: &Value| match key {
        "receiver" => true,
        "authentication_method" => value == &Value::Bool(false),
        "topic_alias_maximum" => value.as_u64() == Some(10),
        _ => false,
    };
    let unmatched: Vec<String> = context
        .iter()
        .filter(|(key, value)| !matched(key, value))
        .map(|(key, value)| format!("{key} {value}"))
        .collect();
    (!unmatched.is_empty()).then(|| {
        format!(
            "its verdict depends on a negotiated setting this broker's session does not have ({})",
            unmatched.join(", ")
        )
    })
}

fn properties(model: Option<&Value>) -> impl Iterator<Item = &Value> {
    model
        .and_then(|m| m.get("properties"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The smallest 5.0 CONNACK: `20 03 00 00 00` (flags, reason code, property length 0).
const SMALLEST_CONNACK: u64 = 5;

fn has_property(model: Option<&Value>, name: &str) -> bool {
    properties(model).any(|p| p.get("name").and_then(Value::as_str) == Some(name))
}

fn property_value(model: Option<&Value>, name: &str) -> Option<u64> {
    properties(model)
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("value"))
        .and_then(Value::as_u64)
}

fn nonzero_property(model: Option<&Value>, name: &str) -> bool {
    properties(model).any(|p| {
        p.get("name").and_then(Value::as_str) == Some(name)
            && p.get("value").and_then(Value::as_u64) != Some(0)
    })
}

fn reason_code(model: Option<&Value>) -> Option<u64> {
    model?.get("reason_code")?.get("value")?.as_u64()
}

fn empty_topic_with_alias(model: Option<&Value>) -> bool {
    model.and_then(|m| m.get("topic")).and_then(Value::as_str) == Some("")
        && has_property(model, "topic-alias")
}

/// Judges every vector of `suite` a client may send against the broker at `addr`, with
/// `workers` connections at once. CONNECT vectors that may carry the same client id run one
/// after the other, so that one never takes over another's session.
pub fn judge(suite: &Suite, addr: &str, timing: &Timing) -> Vec<VectorResult> {
    let protocol = suite.protocol;
    let vectors: Vec<Case> = suite
        .vectors()
        .map(|(_, v)| v)
        .filter(|v| v.direction != Direction::ServerToClient)
        .map(|v| Case::of(v, timing.max_size))
        .collect();
    judge_cases(protocol, &vectors, addr, timing)
}

/// Judges `vectors` (see [`judge`]).
pub fn judge_cases(
    protocol: Protocol,
    vectors: &[Case],
    addr: &str,
    timing: &Timing,
) -> Vec<VectorResult> {
    // Groups of vectors run in order within a group, groups at once: a CONNECT vector's group
    // is its client id (read leniently; unreadable ones share one group), any other vector
    // is a group of its own.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, vector) in vectors.iter().enumerate() {
        let key = match &vector.wire {
            Ok(wire) if wire.first().is_some_and(|b| b >> 4 == 1) => {
                format!("connect:{:?}", lenient_client_id(wire).unwrap_or_default())
            }
            _ => format!("vector:{index}"),
        };
        groups.entry(key).or_default().push(index);
    }
    // The longest groups first, so they do not finish last.
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<VectorResult>>> = Mutex::new(vec![None; vectors.len()]);
    std::thread::scope(|scope| {
        for _ in 0..timing.workers.max(1) {
            scope.spawn(|| loop {
                let group = next.fetch_add(1, Ordering::Relaxed);
                let Some(group) = groups.get(group) else {
                    break;
                };
                for &index in group {
                    let result = judge_one(protocol, &vectors[index], addr, timing, index);
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(result);
                    }
                }
            });
        }
    });
    let mut results: Vec<VectorResult> = results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    results.sort_by(|a, b| a.id.cmp(&b.id));
    results
}

/// The client id of a CONNECT, read without judging anything else, or `None`.
fn lenient_client_id(wire: &[u8]) -> Option<Vec<u8>> {
    let mut at = 1;
    // Remaining Length.
    while *wire.get(at)? & 0x80 != 0 {
        at += 1;
    }
    at += 1;
    let name_len = u16::from_be_bytes([*wire.get(at)?, *wire.get(at + 1)?]) as usize;
    at += 2 + name_len;
    let level = *wire.get(at)?;
    at += 4; // level, flags, keep alive
    if level == 5 {
        let (props, used) = var_int(wire.get(at..)?)?;
        at += used + props;
    }
    let id_len = u16::from_be_bytes([*wire.get(at)?, *wire.get(at + 1)?]) as usize;
    wire.get(at + 2..at + 2 + id_len).map(<[u8]>::to_vec)
}

/// A Variable Byte Integer at the start of `bytes`: its value and length.
fn var_int(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (i, b) in bytes.iter().take(4).enumerate() {
        value |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Judges one vector; `n` makes its client ids and Will topic unique in the run.
pub fn judge_one(
    protocol: Protocol,
    vector: &Case,
    addr: &str,
    timing: &Timing,
    n: usize,
) -> VectorResult {
    let expected_code = vector.reason_code;
    let mut result = VectorResult {
        id: vector.id.clone(),
        verdict: vector.verdict,
        answer: Answer::NotSent,
        seen: Vec::new(),
        refusal_code: None,
        expected_code: if vector.verdict == Verdict::Invalid {
            expected_code
        } else {
            None
        },
        outcome: Outcome::NotJudged,
        why: None,
    };
    let wire = match &vector.wire {
        Ok(wire) => wire,
        Err(why) => {
            result.why = Some(why.clone());
            return result;
        }
    };
    let (plan, why) = plan(protocol, vector, wire);
    let mut session = Session::new(protocol, addr, timing);
    let exchange = match plan {
        Plan::NotSent => None,
        Plan::Connect => Some(session.connect_vector(wire)),
        Plan::AfterConnect => Some(session.after_connect(wire, n)),
        Plan::Disconnect { normal } => Some(session.disconnect(wire, n, normal)),
    };
    if let Some((answer, refusal_code)) = exchange {
        result.answer = answer;
        result.refusal_code = refusal_code;
    }
    result.seen = session.seen;
    result.outcome = match (&why, result.answer) {
        (Some(_), _)
        | (None, Answer::NotSent | Answer::SetupFailed | Answer::NoAnswer | Answer::Undecided) => {
            Outcome::NotJudged
        }
        (None, answer) => compare(vector.verdict, answer),
    };
    result.why = why.or_else(|| match result.answer {
        Answer::NoAnswer => Some("no answer in time: the broker waits for more bytes".into()),
        Answer::Undecided => Some("the Will was published after a DISCONNECT whose reason code is not 0x00, as the standard asks whether the packet was taken or not (MQTT-3.1.2-8)".into()),
        Answer::SetupFailed => Some("the session could not be set up".into()),
        _ => None,
    });
    result
}

/// A definite answer against the verdict.
pub fn compare(verdict: Verdict, answer: Answer) -> Outcome {
    match (verdict, answer) {
        (Verdict::Valid, Answer::Refused) => Outcome::ValidRefused,
        (Verdict::Invalid, Answer::Accepted) => Outcome::InvalidAccepted,
        (_, Answer::Accepted | Answer::Refused) => Outcome::Agree,
        _ => Outcome::NotJudged,
    }
}

/// One packet read from the broker, or how the reading ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Got {
    Packet { first: u8, body: Vec<u8> },
    Closed,
    TimedOut,
}

/// The client id of the judge's own connections for vector `n`: unique in the run, and
/// across runs at once (the process id), so no connection takes over another's session.
fn client_id(protocol: Protocol, n: usize, suffix: &str) -> String {
    format!(
        "mqtt-wire-judge-{}-{}-{n}{suffix}",
        std::process::id(),
        protocol.dir()
    )
}

/// A vector's connections and what they saw.
struct Session<'a> {
    protocol: Protocol,
    addr: &'a str,
    timing: &'a Timing,
    seen: Vec<String>,
}

impl<'a> Session<'a> {
    fn new(protocol: Protocol, addr: &'a str, timing: &'a Timing) -> Session<'a> {
        Session {
            protocol,
            addr,
            timing,
            seen: Vec::new(),
        }
    }

    fn open(&mut self) -> Option<TcpStream> {
        match TcpStream::connect(self.addr) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                let _ = stream.set_write_timeout(Some(self.timing.answer));
                Some(stream)
            }
            Err(e) => {
                self.seen.push(format!("cannot connect: {e}"));
                None
            }
        }
    }

    /// Reads one packet, until `deadline`.
    fn read(&mut self, stream: &mut TcpStream, deadline: Instant) -> Got {
        let read = read_packet(stream, deadline);
        match &read {
            // Messages delivered to a subscription the vector made: other connections'
            // traffic (the run's PUBLISH vectors, retained messages), whose number depends
            // on timing; not an answer to the vector.
            Got::Packet { first, .. } if first >> 4 == 3 => {}
            Got::Packet { first, body } => self.seen.push(describe(self.protocol, *first, body)),
            Got::Closed => self.seen.push("closed".into()),
            Got::TimedOut => self.seen.push("no answer".into()),
        }
        read
    }

    /// Reads until a packet `wanted` (a first byte), a close or the deadline; packets on the
    /// way are recorded. The reason code of a DISCONNECT on the way is returned too.
    fn read_until(
        &mut self,
        stream: &mut TcpStream,
        wanted: u8,
        deadline: Instant,
    ) -> (Got, Option<u8>) {
        let mut disconnect = None;
        loop {
            match self.read(stream, deadline) {
                Got::Packet { first, body } if first == wanted => {
                    return (Got::Packet { first, body }, disconnect)
                }
                Got::Packet { first: 0xe0, body } => {
                    disconnect = Some(body.first().copied().unwrap_or(0))
                }
                Got::Packet { .. } => {}
                end => return (end, disconnect),
            }
        }
    }

    /// What the broker sent before it closed, read after a write failed (the bytes that
    /// came before the close stay readable): the code of a CONNACK or DISCONNECT among them.
    fn rest(&mut self, stream: &mut TcpStream) -> Option<u8> {
        let deadline = Instant::now() + self.timing.answer;
        let mut code = None;
        loop {
            match self.read(stream, deadline) {
                Got::Packet { first: 0x20, body } => code = body.get(1).copied(),
                Got::Packet { first: 0xe0, body } => {
                    code = Some(body.first().copied().unwrap_or(0))
                }
                Got::Packet { .. } => {}
                Got::Closed | Got::TimedOut => return code,
            }
        }
    }

    fn write(&mut self, stream: &mut TcpStream, bytes: &[u8]) -> bool {
        match stream.write_all(bytes) {
            Ok(()) => true,
            Err(e) => {
                self.seen.push(format!(
                    "closed while sending{}",
                    if e.kind() == ErrorKind::TimedOut {
                        " (timed out)"
                    } else {
                        ""
                    }
                ));
                false
            }
        }
    }

    /// A CONNECT vector as the first packet.
    fn connect_vector(&mut self, wire: &[u8]) -> (Answer, Option<u8>) {
        let Some(mut stream) = self.open() else {
            return (Answer::SetupFailed, None);
        };
        if !self.write(&mut stream, wire) {
            let code = self.rest(&mut stream);
            return (Answer::Refused, code);
        }
        let deadline = Instant::now() + self.timing.answer;
        let connack = match self.read_until(&mut stream, 0x20, deadline) {
            (Got::Packet { body, .. }, _) => body,
            (Got::Closed, code) => return (Answer::Refused, code),
            (Got::TimedOut, _) => return (Answer::NoAnswer, None),
        };
        // The CONNACK's code: its second body byte (3.1.1 return code, 5.0 reason code).
        match connack.get(1) {
            Some(0) => self.ping_twice(&mut stream),
            code => (Answer::Refused, code.copied()),
        }
    }

    /// PINGREQ, PINGRESP, twice: accepted when both come (the connection stayed open).
    fn ping_twice(&mut self, stream: &mut TcpStream) -> (Answer, Option<u8>) {
        for _ in 0..2 {
            if !self.write(stream, &[0xc0, 0x00]) {
                let code = self.rest(stream);
                return (Answer::Refused, code);
            }
            let deadline = Instant::now() + self.timing.answer;
            match self.read_until(stream, 0xd0, deadline) {
                (Got::Packet { .. }, _) => {}
                (Got::Closed, code) => return (Answer::Refused, code),
                (Got::TimedOut, _) => return (Answer::NoAnswer, None),
            }
        }
        let _ = stream.shutdown(Shutdown::Both);
        (Answer::Accepted, None)
    }

    /// A good CONNECT (with a Will on `will_topic`, if given) and its CONNACK 0.
    fn good_connect(&mut self, client_id: &str, will_topic: Option<&str>) -> Option<TcpStream> {
        let mut stream = self.open()?;
        let packet = good_connect(self.protocol, client_id, will_topic);
        if !self.write(&mut stream, &packet) {
            return None;
        }
        let deadline = Instant::now() + self.timing.answer;
        match read_packet(&mut stream, deadline) {
            Got::Packet { first: 0x20, body } if body.get(1) == Some(&0) => Some(stream),
            other => {
                self.seen
                    .push(format!("the good CONNECT was answered with {other:?}"));
                None
            }
        }
    }

    /// Any other vector, after a good CONNECT, then PINGREQs.
    fn after_connect(&mut self, wire: &[u8], n: usize) -> (Answer, Option<u8>) {
        let id = client_id(self.protocol, n, "");
        let Some(mut stream) = self.good_connect(&id, None) else {
            return (Answer::SetupFailed, None);
        };
        if !self.write(&mut stream, wire) {
            let code = self.rest(&mut stream);
            return (Answer::Refused, code);
        }
        // Leave the broker with the vector alone for a moment: what it answers (a PUBACK, a
        // SUBACK, a DISCONNECT) or whether it closes.
        let settle = Instant::now() + self.timing.settle;
        let mut disconnect = None;
        loop {
            match self.read(&mut stream, settle) {
                Got::Packet { first: 0xe0, body } => {
                    disconnect = Some(body.first().copied().unwrap_or(0))
                }
                Got::Packet { .. } => {}
                Got::Closed => return (Answer::Refused, disconnect),
                Got::TimedOut => {
                    // The settle time ran out: not an answer, so not recorded.
                    if self.seen.last().is_some_and(|s| s == "no answer") {
                        self.seen.pop();
                    }
                    break;
                }
            }
        }
        let (answer, code) = self.ping_twice(&mut stream);
        (answer, code.or(disconnect))
    }

    /// A DISCONNECT vector after a good CONNECT with a Will, watched.
    fn disconnect(&mut self, wire: &[u8], n: usize, normal: bool) -> (Answer, Option<u8>) {
        let topic = format!("{}/will", client_id(self.protocol, n, ""));
        let watcher_id = client_id(self.protocol, n, "-watcher");
        let Some(mut watcher) = self.good_connect(&watcher_id, None) else {
            return (Answer::SetupFailed, None);
        };
        if !self.write(&mut watcher, &subscribe(self.protocol, &topic)) {
            return (Answer::SetupFailed, None);
        }
        match read_packet(&mut watcher, Instant::now() + self.timing.answer) {
            Got::Packet { first: 0x90, .. } => {}
            other => {
                self.seen.push(format!(
                    "the watcher's SUBSCRIBE was answered with {other:?}"
                ));
                return (Answer::SetupFailed, None);
            }
        }
        let subject_id = client_id(self.protocol, n, "");
        let Some(mut subject) = self.good_connect(&subject_id, Some(&topic)) else {
            return (Answer::SetupFailed, None);
        };
        let mut code = None;
        if self.write(&mut subject, wire) {
            match self.read_until(&mut subject, 0xd0, Instant::now() + self.timing.answer) {
                (Got::Closed, c) => code = c,
                (Got::TimedOut, _) => return (Answer::NoAnswer, None),
                // A PINGRESP nobody asked for: cannot happen; record it as an answer.
                (Got::Packet { .. }, _) => return (Answer::Accepted, None),
            }
        }
        // The subject's connection is closed: was the Will published?
        let published = loop {
            match read_packet(&mut watcher, Instant::now() + self.timing.will) {
                Got::Packet { first, .. } if first >> 4 == 3 => break true,
                Got::Packet { .. } => {}
                Got::Closed | Got::TimedOut => break false,
            }
        };
        self.seen.push(
            if published {
                "will published"
            } else {
                "no will"
            }
            .into(),
        );
        let answer = match (code, published) {
            // The broker said why it closed.
            (Some(c), _) if c >= 0x80 => Answer::Refused,
            (_, false) => Answer::Accepted,
            (_, true) if normal => Answer::Refused,
            (_, true) => Answer::Undecided,
        };
        (answer, code)
    }
}

/// How long a frame whose first byte has come may take to arrive whole.
const FRAME_TIME: Duration = Duration::from_secs(10);

/// Reads one MQTT frame (fixed header, Remaining Length, body) until `deadline`.
fn read_packet(stream: &mut TcpStream, deadline: Instant) -> Got {
    let mut first = [0u8; 1];
    match read_exact_until(stream, &mut first, deadline) {
        Ok(()) => {}
        Err(end) => return end,
    }
    // A frame once begun is read to its end, past the deadline if need be (a 2 MiB message
    // delivered to a wildcard subscription can outlast a short wait): stopping inside it
    // would read the rest as frames.
    let deadline = deadline.max(Instant::now() + FRAME_TIME);
    let mut length = 0usize;
    for i in 0..4 {
        let mut byte = [0u8; 1];
        if let Err(end) = read_exact_until(stream, &mut byte, deadline) {
            return end;
        }
        length |= usize::from(byte[0] & 0x7f) << (7 * i);
        if byte[0] & 0x80 == 0 {
            break;
        }
    }
    let mut body = vec![0u8; length];
    match read_exact_until(stream, &mut body, deadline) {
        Ok(()) => Got::Packet {
            first: first[0],
            body,
        },
        Err(end) => end,
    }
}

fn read_exact_until(
    stream: &mut TcpStream,
    mut buf: &mut [u8],
    deadline: Instant,
) -> Result<(), Got> {
    while !buf.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Got::TimedOut);
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(buf) {
            Ok(0) => return Err(Got::Closed),
            Ok(n) => buf = &mut buf[n..],
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Err(Got::Closed),
        }
    }
    Ok(())
}

/// A broker's packet in a few words: its name, and the code that matters.
fn describe(protocol: Protocol, first: u8, body: &[u8]) -> String {
    let code = |at: usize| {
        body.get(at)
            .map_or("none".to_owned(), |c| format!("0x{c:02x}"))
    };
    match first >> 4 {
        2 => format!("CONNACK {}", code(1)),
        3 => "PUBLISH".into(),
        4 => "PUBACK".into(),
        5 => "PUBREC".into(),
        6 => "PUBREL".into(),
        7 => "PUBCOMP".into(),
        9 => format!(
            "SUBACK {}",
            code(if protocol == Protocol::V5 {
                body.len().saturating_sub(1)
            } else {
                2
            })
        ),
        11 => "UNSUBACK".into(),
        13 => "PINGRESP".into(),
        14 if body.is_empty() => "DISCONNECT 0x00".into(),
        14 => format!("DISCONNECT {}", code(0)),
        _ => format!("packet 0x{first:02x}"),
    }
}

/// A CONNECT that any broker accepts: clean session, keep alive 60, `client_id`, and a Will
/// (QoS 0, not retained, message `gone`) on `will_topic` if given.
pub fn good_connect(protocol: Protocol, client_id: &str, will_topic: Option<&str>) -> Vec<u8> {
    let v5 = protocol == Protocol::V5;
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', if v5 { 5 } else { 4 }];
    body.push(if will_topic.is_some() { 0x06 } else { 0x02 });
    body.extend([0, 60]);
    if v5 {
        body.push(0); // no properties
    }
    string(&mut body, client_id.as_bytes());
    if let Some(topic) = will_topic {
        if v5 {
            body.push(0); // no Will properties
        }
        string(&mut body, topic.as_bytes());
        string(&mut body, b"gone");
    }
    frame(0x10, body)
}

/// A SUBSCRIBE (packet id 1) to `filter` at QoS 0.
pub fn subscribe(protocol: Protocol, filter: &str) -> Vec<u8> {
    let mut body = vec![0, 1];
    if protocol == Protocol::V5 {
        body.push(0);
    }
    string(&mut body, filter.as_bytes());
    body.push(0);
    frame(0x82, body)
}

fn string(out: &mut Vec<u8>, s: &[u8]) {
    let len = u16::try_from(s.len()).unwrap_or(u16::MAX);
    out.extend(len.to_be_bytes());
    out.extend(&s[..usize::from(len)]);
}

fn frame(first: u8, body: Vec<u8>) -> Vec<u8> {
    let mut out = vec![first];
    let mut length = body.len();
    loop {
        let byte = (length % 128) as u8;
        length /= 128;
        out.push(if length > 0 { byte | 0x80 } else { byte });
        if length == 0 {
            break;
        }
    }
    out.extend(body);
    out
}

/// The counts of one version's run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Vectors sent or considered (every vector a client may send).
    pub total: usize,
    /// The broker did what the verdict says.
    pub agree: usize,
    /// Valid vectors refused.
    pub valid_refused: usize,
    /// Invalid vectors accepted.
    pub invalid_accepted: usize,
    /// Recorded, not judged (including those not sent).
    pub not_judged: usize,
    /// Invalid vectors refused with a code, and of those, the code the vector names.
    pub refused_with_code: usize,
    /// Of `refused_with_code`, those whose code is the vector's.
    pub code_matches: usize,
}

/// Counts `results`.
pub fn counts(results: &[VectorResult]) -> Counts {
    let mut c = Counts {
        total: results.len(),
        ..Counts::default()
    };
    for r in results {
        match r.outcome {
            Outcome::Agree => c.agree += 1,
            Outcome::ValidRefused => c.valid_refused += 1,
            Outcome::InvalidAccepted => c.invalid_accepted += 1,
            Outcome::NotJudged => c.not_judged += 1,
        }
        if r.outcome == Outcome::Agree && r.verdict == Verdict::Invalid {
            if let (Some(got), Some(expected)) = (r.refusal_code, r.expected_code) {
                c.refused_with_code += 1;
                c.code_matches += usize::from(got == expected);
            }
        }
    }
    c
}

/// The committed record: the broker, and each version's results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The broker that judged (`mosquitto version 2.0.11`).
    pub broker: String,
    /// Each version's results (`3.1.1`, `5.0`), sorted by id.
    pub versions: BTreeMap<String, Vec<VectorResult>>,
}

impl Record {
    /// The record as JSON, one vector's result a line, so that a change reads as a one-line
    /// diff.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n");
        out += &format!(
            "  \"broker\": {},\n  \"versions\": {{",
            Value::from(self.broker.as_str())
        );
        for (i, (version, results)) in self.versions.iter().enumerate() {
            out += if i == 0 { "\n" } else { ",\n" };
            out += &format!("    {}: [", Value::from(version.as_str()));
            for (j, result) in results.iter().enumerate() {
                out += if j == 0 { "\n      " } else { ",\n      " };
                out += &serde_json::to_string(result).unwrap_or_default();
            }
            out += "\n    ]";
        }
        out += "\n  }\n}\n";
        out
    }
}

/// Every difference between the `committed` results of a version and a new run's, one line
/// each; none when they are the same.
pub fn differences(committed: &[VectorResult], new: &[VectorResult]) -> Vec<String> {
    let old: BTreeMap<&str, &VectorResult> = committed.iter().map(|r| (r.id.as_str(), r)).collect();
    let now: BTreeMap<&str, &VectorResult> = new.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut lines = Vec::new();
    for (id, was) in &old {
        match now.get(id) {
            None => lines.push(format!("{id}: in the committed results, not in this run")),
            Some(is) if is != was => lines.push(format!(
                "{id}: was {:?} {:?} [{}], now {:?} {:?} [{}]",
                was.answer,
                was.outcome,
                was.seen.join(", "),
                is.answer,
                is.outcome,
                is.seen.join(", ")
            )),
            Some(_) => {}
        }
    }
    for id in now.keys().filter(|id| !old.contains_key(*id)) {
        lines.push(format!("{id}: in this run, not in the committed results"));
    }
    lines
}

/// The line that separates the hand-written part of `docs/broker-judge.md` from the tables
/// the run writes below it.
pub const MARKER: &str =
    "<!-- Below: written by `cargo xtask broker-judge --write`; edit above this line only. -->";

/// The generated part of the report: per version, the counts, the disagreements and what was
/// not judged, and why.
pub fn markdown(record: &Record) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "Broker: {}.\n", record.broker);
    let _ = writeln!(
        out,
        "| version | vectors a client may send | agree | valid refused | invalid accepted | not judged | invalid refused with a code: the vector's code |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    for (version, results) in &record.versions {
        let c = counts(results);
        let _ = writeln!(
            out,
            "| {version} | {} | {} | {} | {} | {} | {} of {} |",
            c.total,
            c.agree,
            c.valid_refused,
            c.invalid_accepted,
            c.not_judged,
            c.code_matches,
            c.refused_with_code
        );
    }
    for (version, results) in &record.versions {
        let _ = writeln!(out, "\n### {version}: disagreements\n");
        let disagreements: Vec<&VectorResult> = results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::ValidRefused | Outcome::InvalidAccepted))
            .collect();
        if disagreements.is_empty() {
            let _ = writeln!(out, "None.");
        } else {
            let _ = writeln!(out, "| vector | verdict | the broker | what it sent |");
            let _ = writeln!(out, "|---|---|---|---|");
            for r in disagreements {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} |",
                    r.id,
                    verdict_name(r.verdict),
                    answer_name(r.answer),
                    r.seen.join(", ")
                );
            }
        }
        let mismatched: Vec<&VectorResult> = results
            .iter()
            .filter(|r| {
                r.outcome == Outcome::Agree
                    && matches!((r.refusal_code, r.expected_code), (Some(a), Some(b)) if a != b)
            })
            .collect();
        if !mismatched.is_empty() {
            let _ = writeln!(
                out,
                "\n### {version}: refused, with another reason code than the vector's\n"
            );
            let _ = writeln!(out, "| vector | the broker's code | the vector's |");
            let _ = writeln!(out, "|---|---|---|");
            for r in mismatched {
                let _ = writeln!(
                    out,
                    "| `{}` | 0x{:02x} | 0x{:02x} |",
                    r.id,
                    r.refusal_code.unwrap_or(0),
                    r.expected_code.unwrap_or(0)
                );
            }
        }
        let _ = writeln!(out, "\n### {version}: not judged\n");
        let mut by_why: BTreeMap<&str, Vec<&VectorResult>> = BTreeMap::new();
        for r in results.iter().filter(|r| r.outcome == Outcome::NotJudged) {
            by_why
                .entry(r.why.as_deref().unwrap_or("(no reason given)"))
                .or_default()
                .push(r);
        }
        if by_why.is_empty() {
            let _ = writeln!(out, "None.");
        }
        for (why, rs) in by_why {
            let _ = writeln!(out, "- {why}: {} vector(s)", rs.len());
            let mut answers: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for r in rs {
                answers
                    .entry(format!(
                        "{} {}, {}",
                        verdict_name(r.verdict),
                        r.id.split('-').next().unwrap_or(""),
                        answer_name(r.answer)
                    ))
                    .or_default()
                    .push(&r.id);
            }
            for (answer, ids) in answers {
                let _ = writeln!(
                    out,
                    "  - {answer}: {}",
                    ids.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        let acceptable: Vec<&VectorResult> = results
            .iter()
            .filter(|r| r.verdict == Verdict::Acceptable && r.outcome == Outcome::Agree)
            .collect();
        if !acceptable.is_empty() {
            let _ = writeln!(
                out,
                "\n### {version}: acceptable vectors (either answer agrees)\n"
            );
            for r in acceptable {
                let _ = writeln!(
                    out,
                    "- `{}`: {} ({})",
                    r.id,
                    answer_name(r.answer),
                    r.seen.join(", ")
                );
            }
        }
    }
    out
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "valid",
        Verdict::Invalid => "invalid",
        Verdict::Acceptable => "acceptable",
    }
}

fn answer_name(answer: Answer) -> &'static str {
    match answer {
        Answer::Accepted => "accepted",
        Answer::Refused => "refused",
        Answer::NoAnswer => "no answer",
        Answer::Undecided => "undecided",
        Answer::SetupFailed => "setup failed",
        Answer::NotSent => "not sent",
    }
}

#[cfg(test)]
mod tests {
    //! The judge against fake brokers: a listener on a free port whose every connection is
    //! handled by a script, so each way a broker can answer is classified without Mosquitto.

    use super::*;
    use std::net::TcpListener;
    use std::sync::mpsc;

    /// Reads one frame as a broker would, independently of the judge's reader: the first
    /// byte and the body; `None` when the peer closed or went quiet for two seconds.
    fn next_frame(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let mut byte = [0u8];
        stream.read_exact(&mut byte).ok()?;
        let first = byte[0];
        let (mut length, mut shift) = (0usize, 0);
        loop {
            stream.read_exact(&mut byte).ok()?;
            length += usize::from(byte[0] & 0x7f) << shift;
            shift += 7;
            if byte[0] & 0x80 == 0 {
                break;
            }
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).ok()?;
        Some((first, body))
    }

    /// A broker on a free port; each accepted connection, numbered from 0, runs `script`.
    fn fake_broker<F>(script: F) -> String
    where
        F: Fn(usize, TcpStream) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let script = std::sync::Arc::new(script);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { break };
                let script = script.clone();
                std::thread::spawn(move || script(n, stream));
            }
        });
        addr
    }

    /// Answers the judge's good CONNECT with CONNACK 0 (3.1.1 form; 5.0 adds a property
    /// length) and then every PINGREQ with a PINGRESP, `pings` times at most; then closes.
    fn connack_then_pings(stream: &mut TcpStream, v5: bool, pings: usize) {
        let _ = next_frame(stream);
        let connack: &[u8] = if v5 {
            &[0x20, 3, 0, 0, 0]
        } else {
            &[0x20, 2, 0, 0]
        };
        stream.write_all(connack).unwrap();
        let mut answered = 0;
        while answered < pings {
            match next_frame(stream) {
                Some((0xc0, _)) => {
                    stream.write_all(&[0xd0, 0]).unwrap();
                    answered += 1;
                }
                Some(_) => {}
                None => return,
            }
        }
    }

    fn timing() -> Timing {
        Timing {
            answer: Duration::from_millis(800),
            settle: Duration::from_millis(50),
            will: Duration::from_millis(300),
            workers: 4,
            max_size: 1 << 20,
        }
    }

    fn case(id: &str, verdict: Verdict, hex: &str, packet: Option<Value>) -> Case {
        Case {
            id: id.into(),
            verdict,
            wire: crate::hex::parse(hex),
            packet,
            context: None,
            reason_code: None,
        }
    }

    const CONNECT_V311: &str = "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 63";
    const SUBSCRIBE_V311: &str = "82 06 00 01 00 01 61 00";

    #[test]
    fn connect_answered_with_connack_0_and_pings_is_accepted() {
        let addr = fake_broker(|_, mut s| connack_then_pings(&mut s, false, 2));
        let c = case("connect", Verdict::Valid, CONNECT_V311, None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Accepted, "{r:?}");
        assert_eq!(r.outcome, Outcome::Agree);
        assert_eq!(r.seen, ["CONNACK 0x00", "PINGRESP", "PINGRESP"]);
    }

    #[test]
    fn connect_answered_with_an_error_code_is_refused_with_that_code() {
        let addr = fake_broker(|_, mut s| {
            let _ = next_frame(&mut s);
            s.write_all(&[0x20, 3, 0, 0x84, 0]).unwrap();
        });
        let c = case("connect", Verdict::Valid, CONNECT_V311, None);
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.refusal_code),
            (Answer::Refused, Some(0x84)),
            "{r:?}"
        );
        assert_eq!(r.outcome, Outcome::ValidRefused);
    }

    #[test]
    fn connect_closed_without_connack_is_refused() {
        let addr = fake_broker(|_, mut s| {
            let _ = next_frame(&mut s);
        });
        let c = case("connect", Verdict::Invalid, CONNECT_V311, None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Refused, "{r:?}");
        assert_eq!(r.outcome, Outcome::Agree);
        assert_eq!(r.seen, ["closed"]);
    }

    #[test]
    fn a_silent_broker_is_no_answer_and_not_judged() {
        let addr = fake_broker(|_, mut s| {
            let _ = next_frame(&mut s);
            std::thread::sleep(Duration::from_secs(2));
        });
        let c = case("connect", Verdict::Invalid, CONNECT_V311, None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::NoAnswer, "{r:?}");
        assert_eq!(r.outcome, Outcome::NotJudged);
        assert!(r.why.is_some());
    }

    #[test]
    fn a_packet_after_connect_answered_and_pinged_twice_is_accepted() {
        let addr = fake_broker(|_, mut s| {
            let _ = next_frame(&mut s);
            s.write_all(&[0x20, 2, 0, 0]).unwrap();
            // The SUBSCRIBE: a SUBACK, then the pings.
            let _ = next_frame(&mut s);
            s.write_all(&[0x90, 3, 0, 1, 0]).unwrap();
            // A message delivered to the new subscription: traffic, not an answer.
            s.write_all(&[0x30, 4, 0, 1, b'a', b'x']).unwrap();
            connack_then_pings_after_connect(&mut s, 2);
        });
        let c = case("subscribe", Verdict::Invalid, SUBSCRIBE_V311, None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Accepted, "{r:?}");
        assert_eq!(r.outcome, Outcome::InvalidAccepted);
        assert_eq!(r.seen, ["SUBACK 0x00", "PINGRESP", "PINGRESP"]);
    }

    fn connack_then_pings_after_connect(s: &mut TcpStream, pings: usize) {
        let mut answered = 0;
        while answered < pings {
            match next_frame(s) {
                Some((0xc0, _)) => {
                    s.write_all(&[0xd0, 0]).unwrap();
                    answered += 1;
                }
                Some(_) => {}
                None => return,
            }
        }
    }

    #[test]
    fn a_close_after_one_pingresp_is_refused_the_connection_must_stay_open() {
        let addr = fake_broker(|_, mut s| connack_then_pings(&mut s, false, 1));
        let c = case("subscribe", Verdict::Valid, SUBSCRIBE_V311, None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Refused, "{r:?}");
        assert_eq!(r.outcome, Outcome::ValidRefused);
        assert_eq!(r.seen, ["PINGRESP", "closed"]);
    }

    #[test]
    fn a_disconnect_before_the_close_gives_the_refusal_its_reason_code() {
        let addr = fake_broker(|_, mut s| {
            let _ = next_frame(&mut s);
            s.write_all(&[0x20, 3, 0, 0, 0]).unwrap();
            let _ = next_frame(&mut s);
            s.write_all(&[0xe0, 2, 0x81, 0]).unwrap();
        });
        let mut c = case("subscribe", Verdict::Invalid, SUBSCRIBE_V311, None);
        c.reason_code = Some(0x81);
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.refusal_code),
            (Answer::Refused, Some(0x81)),
            "{r:?}"
        );
        assert_eq!(r.seen, ["DISCONNECT 0x81", "closed"]);
        let counts = counts(std::slice::from_ref(&r));
        assert_eq!(
            (counts.agree, counts.refused_with_code, counts.code_matches),
            (1, 1, 1)
        );
        let mut other = r;
        other.refusal_code = Some(0x82);
        assert_eq!(super::counts(&[other]).code_matches, 0);
    }

    #[test]
    fn a_disconnect_before_a_reset_is_still_read() {
        // The broker answers the good CONNECT, then, without reading the vector, sends a
        // DISCONNECT and closes with the vector unread: a reset. The DISCONNECT that came
        // before it must still be read, with its reason code.
        let addr = fake_broker(|_, mut s| {
            let _ = next_frame(&mut s);
            s.write_all(&[0x20, 3, 0, 0, 0]).unwrap();
            std::thread::sleep(Duration::from_millis(100));
            s.write_all(&[0xe0, 2, 0x81, 0]).unwrap();
        });
        let mut t = timing();
        t.settle = Duration::from_millis(1);
        let c = case("publish", Verdict::Invalid, "30 05 00 01 61 68 69", None);
        for _ in 0..3 {
            let r = judge_one(Protocol::V5, &c, &addr, &t, 0);
            assert_eq!(
                (r.answer, r.refusal_code),
                (Answer::Refused, Some(0x81)),
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_connack_before_a_failed_write_is_still_read() {
        // A 16 MiB CONNECT the broker refuses after its first bytes: it answers CONNACK 0x95
        // and closes with the rest unread, so the judge's write fails; the CONNACK must
        // still be read.
        let addr = fake_broker(|_, mut s| {
            let mut head = [0u8; 16];
            let _ = s.read_exact(&mut head);
            s.write_all(&[0x20, 3, 0, 0x95, 0]).unwrap();
        });
        let mut wire = vec![0x10, 0x80, 0x80, 0x80, 0x08];
        wire.resize(16 << 20, 0);
        let c = Case {
            id: "connect".into(),
            verdict: Verdict::Invalid,
            wire: Ok(wire),
            packet: None,
            context: None,
            reason_code: None,
        };
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.refusal_code),
            (Answer::Refused, Some(0x95)),
            "{r:?}"
        );
        assert_eq!(
            r.seen.first().map(String::as_str),
            Some("closed while sending"),
            "{r:?}"
        );
    }

    #[test]
    fn an_acknowledgement_is_sent_and_recorded_but_not_judged() {
        let addr = fake_broker(|_, mut s| connack_then_pings(&mut s, false, 2));
        let c = case("puback", Verdict::Invalid, "40 02 00 00", None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Accepted, "{r:?}");
        assert_eq!(r.outcome, Outcome::NotJudged);
        assert!(r.why.as_deref().unwrap_or("").contains("session state"));
    }

    #[test]
    fn a_client_context_is_not_sent_and_an_unmatched_setting_not_judged() {
        let addr = fake_broker(|_, mut s| connack_then_pings(&mut s, true, 2));
        let mut c = case("publish", Verdict::Invalid, "30 05 00 01 61 68 69", None);
        c.context = Some(serde_json::json!({"receiver": "client", "topic_alias_maximum": 0}));
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.outcome),
            (Answer::NotSent, Outcome::NotJudged),
            "{r:?}"
        );
        c.context = Some(serde_json::json!({"receiver": "server", "maximum_qos": 0}));
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.outcome),
            (Answer::Accepted, Outcome::NotJudged),
            "{r:?}"
        );
        // The settings this broker's session has are judged.
        c.context = Some(serde_json::json!({"receiver": "server", "topic_alias_maximum": 10}));
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.outcome),
            (Answer::Accepted, Outcome::InvalidAccepted),
            "{r:?}"
        );
    }

    /// A broker for DISCONNECT vectors: connection 0 is the watcher (CONNECT, SUBSCRIBE),
    /// connection 1 the subject (CONNECT with a Will, then the vector). A DISCONNECT of
    /// exactly `normal` is a normal disconnection; anything else publishes the Will.
    fn will_broker(normal: &'static [u8]) -> String {
        let (tx, rx) = mpsc::channel::<bool>();
        let tx = Mutex::new(tx);
        let rx = Mutex::new(Some(rx));
        fake_broker(move |n, mut s| {
            let _ = next_frame(&mut s);
            s.write_all(&[0x20, 2, 0, 0]).unwrap();
            if n == 0 {
                let _ = next_frame(&mut s);
                s.write_all(&[0x90, 3, 0, 1, 0]).unwrap();
                let rx = rx.lock().unwrap().take().unwrap();
                if rx.recv_timeout(Duration::from_secs(2)) == Ok(true) {
                    s.write_all(&[0x30, 5, 0, 1, b't', b'g', b'o']).unwrap();
                }
                std::thread::sleep(Duration::from_secs(1));
            } else {
                let frame = next_frame(&mut s);
                let is_normal = frame.is_some_and(|(first, body)| {
                    let mut bytes = vec![first, body.len() as u8];
                    bytes.extend(body);
                    bytes == normal
                });
                let _ = tx.lock().unwrap().send(!is_normal);
            }
        })
    }

    #[test]
    fn a_normal_disconnect_discards_the_will_and_is_accepted() {
        let addr = will_broker(&[0xe0, 0]);
        let c = case("disconnect", Verdict::Valid, "e0 00", None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Accepted, "{r:?}");
        assert_eq!(r.seen, ["closed", "no will"]);
    }

    #[test]
    fn a_disconnect_that_publishes_the_will_is_refused() {
        let addr = will_broker(&[0xe0, 0]);
        let c = case("disconnect", Verdict::Invalid, "e1 00", None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.answer, Answer::Refused, "{r:?}");
        assert_eq!(r.outcome, Outcome::Agree);
        assert_eq!(r.seen, ["closed", "will published"]);
    }

    #[test]
    fn a_will_after_another_reason_than_0_is_undecided() {
        let addr = will_broker(&[0xe0, 0]);
        let packet = serde_json::json!({"type": "DISCONNECT", "reason_code": {"value": 4}, "properties": null});
        let c = case("disconnect", Verdict::Valid, "e0 01 04", Some(packet));
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.outcome),
            (Answer::Undecided, Outcome::NotJudged),
            "{r:?}"
        );
        assert_eq!(r.seen, ["closed", "will published"]);
        // Without a model, the reason byte is read from the wire: 0x00 is a normal one.
        let addr = will_broker(&[0xe0, 1, 0x04]);
        let c = case("disconnect", Verdict::Invalid, "e0 02 00 05", None);
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.outcome),
            (Answer::Refused, Outcome::Agree),
            "{r:?}"
        );
    }

    #[test]
    fn no_will_after_any_reason_is_accepted() {
        let addr = will_broker(&[0xe0, 1, 0x80]);
        let c = case("disconnect", Verdict::Invalid, "e0 01 80", None);
        let r = judge_one(Protocol::V5, &c, &addr, &timing(), 0);
        assert_eq!(
            (r.answer, r.outcome),
            (Answer::Accepted, Outcome::InvalidAccepted),
            "{r:?}"
        );
        assert_eq!(r.seen, ["closed", "no will"]);
    }

    #[test]
    fn differences_name_each_changed_missing_and_new_result() {
        let result = |id: &str, answer| VectorResult {
            id: id.into(),
            verdict: Verdict::Valid,
            answer,
            seen: vec![],
            refusal_code: None,
            expected_code: None,
            outcome: compare(Verdict::Valid, answer),
            why: None,
        };
        let old = [result("a", Answer::Accepted), result("b", Answer::Accepted)];
        assert!(differences(&old, &old).is_empty());
        let new = [result("a", Answer::Refused), result("c", Answer::Accepted)];
        let lines = differences(&old, &new);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("a: was Accepted Agree"), "{lines:?}");
        assert!(lines[1].starts_with("b: in the committed"), "{lines:?}");
        assert!(lines[2].starts_with("c: in this run"), "{lines:?}");
    }

    #[test]
    fn good_connect_and_subscribe_are_the_standards_bytes() {
        // Written out by hand from sections 3.1 and 3.8 of each version.
        assert_eq!(
            crate::hex::format(&good_connect(Protocol::V311, "c", None)),
            crate::hex::format(&crate::hex::parse(CONNECT_V311).unwrap())
        );
        assert_eq!(
            good_connect(Protocol::V5, "c", Some("w")),
            crate::hex::parse(
                "10 18 00 04 4d 51 54 54 05 06 00 3c 00 00 01 63 00 00 01 77 00 04 67 6f 6e 65"
            )
            .unwrap()
        );
        assert_eq!(
            subscribe(Protocol::V5, "a"),
            crate::hex::parse("82 07 00 01 00 00 01 61 00").unwrap()
        );
    }

    #[test]
    fn a_wire_that_is_not_one_frame_is_sent_but_not_judged() {
        assert_eq!(
            not_one_frame(&crate::hex::parse("30 03 00 01 61").unwrap()),
            None
        );
        // Short by one, long by one, a Remaining Length of 268,435,455 with nothing after it.
        for hex in ["30 04 00 01 61", "30 02 00 01 61", "62 ff ff ff 7f"] {
            let wire = crate::hex::parse(hex).unwrap();
            assert!(not_one_frame(&wire).is_some(), "{hex}");
        }
        // A Remaining Length that never ends (five bytes) is the vector's own error: judged.
        assert_eq!(
            not_one_frame(&crate::hex::parse("c0 80 80 80 80 00").unwrap()),
            None
        );
        let addr = fake_broker(|_, mut s| connack_then_pings(&mut s, false, 2));
        let c = case("publish", Verdict::Invalid, "30 02 00 01 61", None);
        let r = judge_one(Protocol::V311, &c, &addr, &timing(), 0);
        assert_eq!(r.outcome, Outcome::NotJudged, "{r:?}");
        assert!(
            r.why
                .as_deref()
                .unwrap_or("")
                .contains("not one whole frame"),
            "{r:?}"
        );
    }

    #[test]
    fn a_frame_begun_before_the_deadline_is_read_whole() {
        let addr = fake_broker(|_, mut s| {
            s.write_all(&[0x30, 0x04]).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            s.write_all(&[0x00, 0x01, b'a', b'x', 0xd0, 0x00]).unwrap();
            std::thread::sleep(Duration::from_millis(500));
        });
        let mut stream = TcpStream::connect(&addr).unwrap();
        let deadline = Instant::now() + Duration::from_millis(100);
        assert_eq!(
            read_packet(&mut stream, deadline),
            Got::Packet {
                first: 0x30,
                body: vec![0, 1, b'a', b'x']
            }
        );
        let deadline = Instant::now() + Duration::from_millis(300);
        assert_eq!(
            read_packet(&mut stream, deadline),
            Got::Packet {
                first: 0xd0,
                body: vec![]
            }
        );
    }

    #[test]
    fn the_record_reads_back_what_it_wrote() {
        let mut record = Record {
            broker: "B \"1\"".into(),
            ..Record::default()
        };
        let result = VectorResult {
            id: "x".into(),
            verdict: Verdict::Invalid,
            answer: Answer::Refused,
            seen: vec!["DISCONNECT 0x81".into(), "closed".into()],
            refusal_code: Some(0x81),
            expected_code: Some(0x82),
            outcome: Outcome::Agree,
            why: None,
        };
        record
            .versions
            .insert("5.0".into(), vec![result.clone(), result]);
        record.versions.insert("3.1.1".into(), vec![]);
        let text = record.to_json();
        assert_eq!(text.lines().count(), 11, "{text}");
        assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), record);
    }

    #[test]
    fn lenient_client_id_reads_both_versions() {
        assert_eq!(
            lenient_client_id(&crate::hex::parse(CONNECT_V311).unwrap()),
            Some(b"c".to_vec())
        );
        let v5 = good_connect(Protocol::V5, "xy", None);
        assert_eq!(lenient_client_id(&v5), Some(b"xy".to_vec()));
        assert_eq!(lenient_client_id(&[0x10, 0x02, 0x00]), None);
    }
}
