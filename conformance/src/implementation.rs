//! What the runner runs the vectors against: this codec directly, or any program that speaks
//! the adapter protocol of `vectors/README.md`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

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

/// An implementation under test.
pub trait Implementation {
    /// Decodes one packet from the front of `bytes`.
    fn decode(&mut self, id: &str, bytes: &[u8]) -> Result<Outcome, String>;
    /// Encodes a packet model; `Ok(None)` when the implementation cannot encode.
    fn encode(&mut self, id: &str, packet: &Value) -> Result<Option<Vec<u8>>, String>;
    /// A name for the report.
    fn name(&self) -> String;
    /// Whether to send `LargePacket` vectors (hundreds of megabytes) at all.
    fn takes_large_packets(&self) -> bool {
        true
    }
}

/// This codec, called directly.
pub struct Native;

impl Implementation for Native {
    fn decode(&mut self, _id: &str, bytes: &[u8]) -> Result<Outcome, String> {
        Ok(decode_outcome(bytes))
    }

    fn encode(&mut self, _id: &str, packet: &Value) -> Result<Option<Vec<u8>>, String> {
        encode_json(packet).map(Some)
    }

    fn name(&self) -> String {
        format!("mqtt-wire {} (native)", env!("CARGO_PKG_VERSION"))
    }
}

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

/// A program that speaks the adapter protocol on its standard input and output.
pub struct Adapter {
    command: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Adapter {
    /// Starts `command` with `sh -c`.
    pub fn start(command: &str) -> Result<Adapter, String> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start adapter {command:?}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Adapter {
            command: command.to_owned(),
            child,
            stdin: Some(stdin),
            stdout,
        })
    }

    fn exchange(&mut self, request: &Value) -> Result<Value, String> {
        let stdin = self.stdin.as_mut().ok_or("adapter closed")?;
        writeln!(stdin, "{request}").map_err(|e| format!("writing to the adapter: {e}"))?;
        stdin
            .flush()
            .map_err(|e| format!("writing to the adapter: {e}"))?;
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| format!("reading from the adapter: {e}"))?;
        if n == 0 {
            return Err("the adapter closed its output".into());
        }
        let answer: Value = serde_json::from_str(&line)
            .map_err(|e| format!("adapter answer is not JSON: {e}: {line:?}"))?;
        if answer.get("id") != request.get("id") {
            return Err(format!(
                "adapter answered id {} to request {}",
                answer["id"], request["id"]
            ));
        }
        Ok(answer)
    }
}

impl Implementation for Adapter {
    fn decode(&mut self, id: &str, bytes: &[u8]) -> Result<Outcome, String> {
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
            _ => Err(format!("adapter answer without a known result: {answer}")),
        }
    }

    fn encode(&mut self, id: &str, packet: &Value) -> Result<Option<Vec<u8>>, String> {
        let answer = self.exchange(&json!({"id": id, "protocol": "3.1.1", "encode": packet}))?;
        match answer.get("hex").and_then(Value::as_str) {
            Some(text) => hex::parse(text).map(Some),
            None => Ok(None),
        }
    }

    fn name(&self) -> String {
        format!("adapter: {}", self.command)
    }

    /// A 256 MiB packet is half a gigabyte of hex on one line, each way: minutes of JSON
    /// work for a check the native run already makes. They are reported as skipped.
    fn takes_large_packets(&self) -> bool {
        false
    }
}

impl Drop for Adapter {
    fn drop(&mut self) {
        // Closing its input tells the adapter to finish.
        self.stdin.take();
        let _ = self.child.wait();
    }
}
