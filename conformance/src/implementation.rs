//! What the runner runs the vectors against: this codec directly, or any program that speaks
//! the adapter protocol of `vectors/README.md`.

use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use serde_json::{json, Value};

use crate::hex;
use crate::model::{encode_json, error_to_json, packet_to_json};
use crate::suite::Protocol;

/// What decoding a buffer gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A packet, and the bytes it used.
    Valid {
        /// Bytes used from the front of the buffer.
        consumed: usize,
        /// The packet model.
        packet: Value,
    },
    /// An error: `kind`, and `clause`, `field`, `offset` where known.
    Invalid(Value),
    /// More bytes are needed.
    Incomplete,
    /// The implementation does not handle this request.
    Unsupported,
}

/// Why a request got no outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// The implementation crashed on the request: the adapter said so (the peer threw an
    /// exception or panicked), or the adapter process died.
    Crash(String),
    /// No answer within the time limit; the adapter was killed and started again.
    Timeout(Duration),
    /// The adapter broke the protocol (an answer that is not JSON, a wrong id, ...).
    Protocol(String),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Crash(why) => write!(f, "crash: {why}"),
            Fault::Timeout(limit) => write!(f, "timeout: no answer in {} s", limit.as_secs_f64()),
            Fault::Protocol(why) => write!(f, "adapter error: {why}"),
        }
    }
}

impl From<String> for Fault {
    fn from(why: String) -> Fault {
        Fault::Protocol(why)
    }
}

impl From<&str> for Fault {
    fn from(why: &str) -> Fault {
        Fault::Protocol(why.to_owned())
    }
}

/// What a request is about besides its bytes or model: the vector, its protocol version, and
/// the context (the limits negotiated on the connection) it is decoded under.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The vector's id.
    pub id: &'a str,
    /// The protocol version.
    pub protocol: Protocol,
    /// The vector's `context`, if it has one.
    pub context: Option<&'a Value>,
}

impl<'a> Request<'a> {
    /// A request about vector `id` of `protocol`, without a context.
    pub fn new(id: &'a str, protocol: Protocol) -> Self {
        Request {
            id,
            protocol,
            context: None,
        }
    }
}

/// The request feature of an adapter that takes 5.0 requests (`"protocol": "5.0"`).
pub const FEATURE_V5: &str = "5.0";
/// The request feature of an adapter that decodes under a vector's `context`.
pub const FEATURE_CONTEXT: &str = "context";

/// An implementation under test.
pub trait Implementation {
    /// Decodes one packet from the front of `bytes`.
    fn decode(&mut self, request: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault>;
    /// Encodes a packet model; `Ok(None)` when the implementation cannot encode.
    fn encode(&mut self, request: &Request<'_>, packet: &Value) -> Result<Option<Vec<u8>>, Fault>;
    /// Whether it takes requests with this feature ([`FEATURE_V5`], [`FEATURE_CONTEXT`]):
    /// the runner skips, and counts, the vectors that need one it does not take. 3.1.1
    /// requests without a context need none.
    fn supports(&mut self, _feature: &str) -> bool {
        false
    }
    /// A name for the report.
    fn name(&self) -> String;
    /// Whether to send `LargePacket` vectors (hundreds of megabytes) at all.
    fn takes_large_packets(&self) -> bool {
        true
    }
    /// Whether this is this codec (natively, or through its own adapter), to be held to
    /// [`Rules::ThisCodec`](crate::run::Rules::ThisCodec).
    fn is_this_codec(&mut self) -> bool {
        false
    }
}

/// This codec, called directly.
pub struct Native;

impl Implementation for Native {
    fn decode(&mut self, request: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault> {
        decode_outcome(request.protocol, request.context, bytes).map_err(Fault::Protocol)
    }

    fn encode(&mut self, request: &Request<'_>, packet: &Value) -> Result<Option<Vec<u8>>, Fault> {
        encode_json(request.protocol, packet)
            .map(Some)
            .map_err(Fault::Protocol)
    }

    fn supports(&mut self, feature: &str) -> bool {
        FEATURES.contains(&feature)
    }

    fn name(&self) -> String {
        format!("mqtt-wire {} (native)", crate::CODEC_VERSION)
    }

    fn is_this_codec(&mut self) -> bool {
        true
    }
}

/// What this codec's adapter (`mqtt-vectors adapter --version`) prints: the first word is how
/// a runner recognises this codec behind an adapter command.
pub fn adapter_version_line() -> String {
    format!("{THIS_CODEC} {}", crate::CODEC_VERSION)
}

/// The name this codec's adapter gives first in its `--version` line.
pub const THIS_CODEC: &str = "mqtt-wire";

/// The request features this codec takes, natively and through its adapter.
pub const FEATURES: [&str; 2] = [FEATURE_V5, FEATURE_CONTEXT];

/// The 5.0 decoder for a vector's context (`vectors/v5/DECISIONS.md` section 6): each key
/// sets the decoder option of the same name. An unknown key, or a value of the wrong type,
/// is an error: decoding without it would judge the vector under other limits.
pub fn v5_decoder(context: Option<&Value>) -> Result<mqtt_wire::v5::Decoder, String> {
    use mqtt_wire::v5::{Decoder, Role};
    let mut decoder = Decoder::new();
    let Some(context) = context else {
        return Ok(decoder);
    };
    let map = context.as_object().ok_or("context is not an object")?;
    for (key, value) in map {
        let wrong = || format!("context {key}: {value} is not a value it takes");
        let flag = || value.as_bool().ok_or_else(wrong);
        let number = || value.as_u64().ok_or_else(wrong);
        decoder = match key.as_str() {
            "receiver" => decoder.receiver(match value.as_str() {
                Some("server") => Role::Server,
                Some("client") => Role::Client,
                _ => return Err(wrong()),
            }),
            "maximum_packet_size" => {
                decoder.max_packet_size(usize::try_from(number()?).map_err(|_| wrong())?)
            }
            "topic_alias_maximum" => {
                decoder.topic_alias_maximum(u16::try_from(number()?).map_err(|_| wrong())?)
            }
            "maximum_qos" => decoder.maximum_qos(
                u8::try_from(number()?)
                    .ok()
                    .and_then(mqtt_wire::QoS::from_u8)
                    .ok_or_else(wrong)?,
            ),
            "retain_available" => decoder.retain_available(flag()?),
            "wildcard_subscription_available" => decoder.wildcard_subscription_available(flag()?),
            "subscription_identifiers_available" => {
                decoder.subscription_identifiers_available(flag()?)
            }
            "shared_subscription_available" => decoder.shared_subscription_available(flag()?),
            "request_problem_information" => decoder.request_problem_information(flag()?),
            "request_response_information" => decoder.request_response_information(flag()?),
            "authentication_method" => decoder.authentication_method(flag()?),
            "check_payload_utf8" => decoder.check_payload_utf8(flag()?),
            _ => return Err(format!("context key {key} is not one this codec knows")),
        };
    }
    Ok(decoder)
}

/// What this codec makes of `bytes` of `protocol` under `context`, in the adapter protocol's
/// terms; an error for a context it cannot apply (a 3.1.1 vector has none).
pub fn decode_outcome(
    protocol: Protocol,
    context: Option<&Value>,
    bytes: &[u8],
) -> Result<Outcome, String> {
    use mqtt_wire::Status;
    let decoded = match protocol {
        Protocol::V311 => {
            if context.is_some() {
                return Err("a 3.1.1 request has no context".into());
            }
            match mqtt_wire::v311::decode(bytes) {
                Ok(Status::Complete((p, n))) => Ok(Some((packet_to_json(&p)?, n))),
                Ok(Status::Partial(_)) => Ok(None),
                Err(e) => Err(e),
            }
        }
        Protocol::V5 => match v5_decoder(context)?.decode(bytes) {
            Ok(Status::Complete((p, n))) => Ok(Some((packet_to_json(&p)?, n))),
            Ok(Status::Partial(_)) => Ok(None),
            Err(e) => Err(e),
        },
    };
    Ok(match decoded {
        Ok(Some((packet, consumed))) => Outcome::Valid { consumed, packet },
        Ok(None) => Outcome::Incomplete,
        Err(e) => Outcome::Invalid(error_to_json(&e, bytes, protocol)),
    })
}

/// Answers one adapter request line with this codec: the adapter side of the protocol.
pub fn answer(request: &str) -> Value {
    let request: Value = match serde_json::from_str(request) {
        Ok(v) => v,
        Err(e) => {
            return json!({"id": null, "result": "unsupported", "reason": format!("bad request: {e}")})
        }
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    if request.get("features").is_some() {
        return json!({"id": id, "features": FEATURES});
    }
    // A request without a protocol is 3.1.1, as before there was another.
    let protocol = match request.get("protocol").and_then(Value::as_str) {
        None => Protocol::V311,
        Some(name) => match Protocol::parse(name) {
            Some(protocol) => protocol,
            None => return json!({"id": id, "result": "unsupported"}),
        },
    };
    let context = request.get("context").filter(|c| !c.is_null());
    if let Some(model) = request.get("encode") {
        return match encode_json(protocol, model) {
            Ok(bytes) => json!({"id": id, "hex": hex::format(&bytes)}),
            Err(e) => json!({"id": id, "result": "unsupported", "reason": e}),
        };
    }
    let Some(bytes) = request.get("hex").and_then(Value::as_str).map(hex::parse) else {
        return json!({"id": id, "result": "unsupported", "reason": "no hex"});
    };
    match bytes.and_then(|b| decode_outcome(protocol, context, &b)) {
        Ok(Outcome::Valid { consumed, packet }) => {
            json!({"id": id, "result": "valid", "consumed": consumed, "packet": packet})
        }
        Ok(Outcome::Invalid(error)) => json!({"id": id, "result": "invalid", "error": error}),
        Ok(Outcome::Incomplete) => json!({"id": id, "result": "incomplete"}),
        Ok(Outcome::Unsupported) => json!({"id": id, "result": "unsupported"}),
        Err(e) => json!({"id": id, "result": "unsupported", "reason": e}),
    }
}

/// How long an adapter may take over one request before it counts as hung.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A program that speaks the adapter protocol on its standard input and output.
///
/// Each request waits at most the timeout for its answer; an adapter that does not answer in
/// time is killed and started again, and the request is a [`Fault::Timeout`]. An adapter that
/// exits (its output closes) is started again, and the request is a [`Fault::Crash`], as is an
/// answer `{"result": "crash"}` (the adapter caught the peer's exception or panic itself).
pub struct Adapter {
    command: String,
    timeout: Duration,
    process: Option<Process>,
    /// What `COMMAND --version` printed (first line), asked once, when first needed.
    version: Option<Option<String>>,
    /// The request features it announced, asked once, when first needed.
    features: Option<Vec<String>>,
}

/// A running adapter: its input, and its output's lines arriving from a reader thread.
struct Process {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<std::io::Result<String>>,
}

impl Process {
    fn start(command: &str) -> Result<Process, String> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start adapter {command:?}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Process {
            child,
            stdin: Some(stdin),
            lines,
        })
    }

    /// Ends the process (it may be hung, or have exited already) and says how it ended.
    fn kill(mut self) -> String {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) => status.to_string(),
            Err(e) => e.to_string(),
        }
    }

    /// Closes its input, waits up to `grace` for it to exit, then ends it; says how it ended.
    fn finish(mut self, grace: Duration) -> String {
        self.stdin.take();
        let rounds = grace.as_millis() / 10;
        for _ in 0..rounds.max(1) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.to_string();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.kill()
    }
}

impl Adapter {
    /// Starts `command` with `sh -c`, with the default timeout per request.
    pub fn start(command: &str) -> Result<Adapter, String> {
        Adapter::with_timeout(command, DEFAULT_TIMEOUT)
    }

    /// Starts `command` with `sh -c`; each request may take up to `timeout`.
    pub fn with_timeout(command: &str, timeout: Duration) -> Result<Adapter, String> {
        Ok(Adapter {
            command: command.to_owned(),
            timeout,
            process: Some(Process::start(command)?),
            version: None,
            features: None,
        })
    }

    /// The first line the adapter prints when started with `--version` (its standard input
    /// closed, within the timeout), or `None` when it prints nothing, fails or hangs. Asked
    /// once.
    pub fn version(&mut self) -> Option<&str> {
        if self.version.is_none() {
            self.version = Some(ask_version(&self.command, self.timeout));
        }
        self.version.as_ref().and_then(Option::as_deref)
    }

    fn exchange(&mut self, request: &Value) -> Result<Value, Fault> {
        let process = match self.process.as_mut() {
            Some(process) => process,
            None => self.process.insert(Process::start(&self.command)?),
        };
        let sent = match process.stdin.as_mut() {
            Some(stdin) => writeln!(stdin, "{request}").and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        let line = match (sent, process.lines.recv_timeout(self.timeout)) {
            (Ok(()), Ok(Ok(line))) => line,
            (_, Err(RecvTimeoutError::Timeout)) => {
                if let Some(process) = self.process.take() {
                    process.kill();
                }
                return Err(Fault::Timeout(self.timeout));
            }
            // Its output closed or broke: it exited, or is about to.
            _ => {
                let status = self
                    .process
                    .take()
                    .map(|p| p.finish(Duration::from_millis(500)))
                    .unwrap_or_default();
                return Err(Fault::Crash(format!("the adapter exited ({status})")));
            }
        };
        let answer: Value = serde_json::from_str(&line)
            .map_err(|e| format!("adapter answer is not JSON: {e}: {line:?}"))?;
        if answer.get("id") != request.get("id") {
            return Err(Fault::Protocol(format!(
                "adapter answered id {} to request {}",
                answer["id"], request["id"]
            )));
        }
        if answer.get("result").and_then(Value::as_str) == Some("crash") {
            let reason = answer.get("reason").and_then(Value::as_str).unwrap_or("");
            return Err(Fault::Crash(reason.to_owned()));
        }
        Ok(answer)
    }
}

/// The request for `request`, with `key` set to `value`: the vector's id, its protocol, and
/// its context when it has one.
fn request_json(request: &Request<'_>, key: &str, value: Value) -> Value {
    let mut out = json!({"id": request.id, "protocol": request.protocol.as_str()});
    if let Some(context) = request.context {
        out["context"] = context.clone();
    }
    out[key] = value;
    out
}

/// The id of the features request.
const FEATURES_ID: &str = "features";

impl Implementation for Adapter {
    fn decode(&mut self, request: &Request<'_>, bytes: &[u8]) -> Result<Outcome, Fault> {
        let answer = self.exchange(&request_json(request, "hex", hex::format(bytes).into()))?;
        match answer.get("result").and_then(Value::as_str) {
            Some("valid") => Ok(Outcome::Valid {
                consumed: answer
                    .get("consumed")
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or("a valid answer without consumed")?,
                packet: answer
                    .get("packet")
                    .cloned()
                    .ok_or("a valid answer without packet")?,
            }),
            Some("invalid") => Ok(Outcome::Invalid(
                answer
                    .get("error")
                    .cloned()
                    .ok_or("an invalid answer without error")?,
            )),
            Some("incomplete") => Ok(Outcome::Incomplete),
            Some("unsupported") => Ok(Outcome::Unsupported),
            _ => Err(Fault::Protocol(format!(
                "adapter answer without a known result: {answer}"
            ))),
        }
    }

    /// Asks once, with `{"id": "features", "features": "?"}`; an adapter that takes
    /// features beyond 3.1.1 answers `{"id": "features", "features": ["5.0", "context"]}`.
    /// Any other answer (`unsupported`, an error, a crash) means none.
    fn supports(&mut self, feature: &str) -> bool {
        if self.features.is_none() {
            let answer = self.exchange(&json!({"id": FEATURES_ID, "features": "?"}));
            let listed = answer
                .ok()
                .and_then(|a| a.get("features").and_then(Value::as_array).cloned())
                .unwrap_or_default();
            self.features = Some(
                listed
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            );
        }
        self.features
            .as_ref()
            .is_some_and(|f| f.iter().any(|f| f == feature))
    }

    fn encode(&mut self, request: &Request<'_>, packet: &Value) -> Result<Option<Vec<u8>>, Fault> {
        let answer = self.exchange(&request_json(request, "encode", packet.clone()))?;
        match answer.get("hex").and_then(Value::as_str) {
            Some(text) => hex::parse(text).map(Some).map_err(Fault::Protocol),
            None => Ok(None),
        }
    }

    fn name(&self) -> String {
        format!("adapter: {}", self.command)
    }

    /// An adapter is this codec when its `--version` line starts with the word
    /// [`THIS_CODEC`], as `mqtt-vectors adapter --version` does. The adapter speaks for itself:
    /// an adapter that claims to be this codec is held to this codec's rules, which are only
    /// stricter.
    fn is_this_codec(&mut self) -> bool {
        self.version()
            .is_some_and(|v| v.split_whitespace().next() == Some(THIS_CODEC))
    }

    /// A 256 MiB packet is half a gigabyte of hex on one line, each way: minutes of JSON
    /// work for a check the native run already makes. They are reported as skipped.
    fn takes_large_packets(&self) -> bool {
        false
    }
}

/// Runs `COMMAND --version` with `sh -c`, its standard input closed, and returns the first
/// line it prints if it exits with success within `timeout`; ends it otherwise.
fn ask_version(command: &str, timeout: Duration) -> Option<String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} --version"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let (send, first_line) = mpsc::channel();
    // A reader thread, so that a program that never ends nor closes its output cannot hold
    // the runner: it is left behind, blocked, once the time is up.
    std::thread::spawn(move || {
        let line = BufReader::new(stdout).lines().next().and_then(Result::ok);
        let _ = send.send(line);
    });
    let line = first_line.recv_timeout(timeout).ok().flatten();
    let rounds = timeout.as_millis() / 10;
    for _ in 0..rounds.max(1) {
        if let Ok(Some(status)) = child.try_wait() {
            return line
                .filter(|_| status.success())
                .map(|l| l.trim().to_owned());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

impl Drop for Adapter {
    fn drop(&mut self) {
        // Closing its input tells the adapter to finish; one that does not is ended.
        if let Some(process) = self.process.take() {
            process.finish(self.timeout);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINGREQ: &[u8] = &[0xC0, 0x00];

    fn req(id: &str) -> Request<'_> {
        Request::new(id, Protocol::V311)
    }

    #[test]
    fn a_hung_adapter_times_out_and_is_started_again() {
        // Answers the first request, hangs on the second, and so on from the start.
        let script =
            r#"read a; echo '{"id": "a", "result": "incomplete"}'; read b && exec sleep 30"#;
        let mut adapter = Adapter::with_timeout(script, Duration::from_millis(300)).unwrap();
        assert_eq!(adapter.decode(&req("a"), PINGREQ), Ok(Outcome::Incomplete));
        assert!(matches!(
            adapter.decode(&req("b"), PINGREQ),
            Err(Fault::Timeout(_))
        ));
        // A new process: it answers the first request again.
        assert_eq!(adapter.decode(&req("a"), PINGREQ), Ok(Outcome::Incomplete));
    }

    #[test]
    fn an_adapter_that_exits_is_a_crash_and_is_started_again() {
        let script = r#"read a; echo '{"id": "a", "result": "incomplete"}'; read b; exit 3"#;
        let mut adapter = Adapter::start(script).unwrap();
        assert_eq!(adapter.decode(&req("a"), PINGREQ), Ok(Outcome::Incomplete));
        match adapter.decode(&req("b"), PINGREQ) {
            Err(Fault::Crash(why)) => assert!(why.contains('3'), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(adapter.decode(&req("a"), PINGREQ), Ok(Outcome::Incomplete));
    }

    #[test]
    fn a_crash_the_adapter_caught_is_a_crash() {
        let script = r#"read a; echo '{"id": "a", "result": "crash", "reason": "IndexError"}'"#;
        let mut adapter = Adapter::start(script).unwrap();
        assert_eq!(
            adapter.decode(&req("a"), PINGREQ),
            Err(Fault::Crash("IndexError".into()))
        );
    }

    #[test]
    fn an_adapter_is_this_codec_when_its_version_line_says_so() {
        let mut ours = Adapter::start("echo mqtt-wire 0.1.0; exit 0; read a").unwrap();
        assert_eq!(ours.version(), Some("mqtt-wire 0.1.0"));
        assert!(ours.is_this_codec());
        for other in [
            "echo 1.0.2",
            "echo mqtt-wire-fork 2.0",
            "echo mqtt-wire 0.1.0; exit 1",
            "true",
        ] {
            let mut adapter = Adapter::start(other).unwrap();
            assert!(!adapter.is_this_codec(), "{other}");
        }
        // One that hangs on --version is not taken for anything.
        let mut hung = Adapter::with_timeout("sleep 5; true", Duration::from_millis(300)).unwrap();
        assert!(!hung.is_this_codec());
        assert_eq!(
            THIS_CODEC,
            adapter_version_line().split(' ').next().unwrap()
        );
    }

    #[test]
    fn an_answer_to_another_request_breaks_the_protocol() {
        let script = r#"read a; echo '{"id": "z", "result": "incomplete"}'"#;
        let mut adapter = Adapter::start(script).unwrap();
        assert!(matches!(
            adapter.decode(&req("a"), PINGREQ),
            Err(Fault::Protocol(_))
        ));
    }
}
