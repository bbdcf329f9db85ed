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

/// An implementation under test.
pub trait Implementation {
    /// Decodes one packet from the front of `bytes`.
    fn decode(&mut self, id: &str, bytes: &[u8]) -> Result<Outcome, Fault>;
    /// Encodes a packet model; `Ok(None)` when the implementation cannot encode.
    fn encode(&mut self, id: &str, packet: &Value) -> Result<Option<Vec<u8>>, Fault>;
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
    fn decode(&mut self, _id: &str, bytes: &[u8]) -> Result<Outcome, Fault> {
        Ok(decode_outcome(bytes))
    }

    fn encode(&mut self, _id: &str, packet: &Value) -> Result<Option<Vec<u8>>, Fault> {
        encode_json(packet).map(Some).map_err(Fault::Protocol)
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

/// What this codec makes of `bytes`, in the adapter protocol's terms.
pub fn decode_outcome(bytes: &[u8]) -> Outcome {
    match mqtt_wire::v311::decode(bytes) {
        Ok(mqtt_wire::Status::Complete((packet, consumed))) => Outcome::Valid {
            consumed,
            packet: packet_to_json(&packet),
        },
        Ok(mqtt_wire::Status::Partial(_)) => Outcome::Incomplete,
        Err(e) => Outcome::Invalid(error_to_json(&e)),
    }
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
    if request
        .get("protocol")
        .and_then(Value::as_str)
        .is_some_and(|p| p != "3.1.1")
    {
        return json!({"id": id, "result": "unsupported"});
    }
    if let Some(model) = request.get("encode") {
        return match encode_json(model) {
            Ok(bytes) => json!({"id": id, "hex": hex::format(&bytes)}),
            Err(e) => json!({"id": id, "result": "unsupported", "reason": e}),
        };
    }
    let Some(bytes) = request.get("hex").and_then(Value::as_str).map(hex::parse) else {
        return json!({"id": id, "result": "unsupported", "reason": "no hex"});
    };
    match bytes.map(|b| decode_outcome(&b)) {
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

impl Implementation for Adapter {
    fn decode(&mut self, id: &str, bytes: &[u8]) -> Result<Outcome, Fault> {
        let answer =
            self.exchange(&json!({"id": id, "protocol": "3.1.1", "hex": hex::format(bytes)}))?;
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

    fn encode(&mut self, id: &str, packet: &Value) -> Result<Option<Vec<u8>>, Fault> {
        let answer = self.exchange(&json!({"id": id, "protocol": "3.1.1", "encode": packet}))?;
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

    #[test]
    fn a_hung_adapter_times_out_and_is_started_again() {
        // Answers the first request, hangs on the second, and so on from the start.
        let script =
            r#"read a; echo '{"id": "a", "result": "incomplete"}'; read b && exec sleep 30"#;
        let mut adapter = Adapter::with_timeout(script, Duration::from_millis(300)).unwrap();
        assert_eq!(adapter.decode("a", PINGREQ), Ok(Outcome::Incomplete));
        assert!(matches!(
            adapter.decode("b", PINGREQ),
            Err(Fault::Timeout(_))
        ));
        // A new process: it answers the first request again.
        assert_eq!(adapter.decode("a", PINGREQ), Ok(Outcome::Incomplete));
    }

    #[test]
    fn an_adapter_that_exits_is_a_crash_and_is_started_again() {
        let script = r#"read a; echo '{"id": "a", "result": "incomplete"}'; read b; exit 3"#;
        let mut adapter = Adapter::start(script).unwrap();
        assert_eq!(adapter.decode("a", PINGREQ), Ok(Outcome::Incomplete));
        match adapter.decode("b", PINGREQ) {
            Err(Fault::Crash(why)) => assert!(why.contains('3'), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(adapter.decode("a", PINGREQ), Ok(Outcome::Incomplete));
    }

    #[test]
    fn a_crash_the_adapter_caught_is_a_crash() {
        let script = r#"read a; echo '{"id": "a", "result": "crash", "reason": "IndexError"}'"#;
        let mut adapter = Adapter::start(script).unwrap();
        assert_eq!(
            adapter.decode("a", PINGREQ),
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
            adapter.decode("a", PINGREQ),
            Err(Fault::Protocol(_))
        ));
    }
}
