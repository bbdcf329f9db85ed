//! What the three adapter binaries share: the adapter protocol of `vectors/README.md` on
//! standard input and output, hex, and catching a peer's panic so that it is reported as a
//! `crash` of that request while the adapter goes on with the next one.

use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::panic::{self, AssertUnwindSafe};

use serde_json::{json, Value};

/// What a peer made of a buffer, in the protocol's terms.
pub enum Answer {
    /// A packet model, and the bytes the first packet used.
    Valid {
        /// Bytes used.
        consumed: usize,
        /// The packet model.
        packet: Value,
    },
    /// Refused. `kind` is a name from `error-kinds.json` where the peer's error means exactly
    /// that, else `unknown`; `message` is the peer's error as it prints it.
    Invalid {
        /// The suite's kind, or `unknown`.
        kind: &'static str,
        /// The peer's own words.
        message: String,
    },
    /// The peer wants more bytes.
    Incomplete,
}

/// A peer behind the protocol.
pub trait Peer {
    /// The peer crate's version (pinned with `=` in `Cargo.toml`).
    const VERSION: &'static str;
    /// Decodes the first packet of `bytes`.
    fn decode(bytes: &[u8]) -> Answer;
    /// Encodes a packet model, or says why the peer cannot.
    fn encode(model: &Value) -> Result<Vec<u8>, String>;
}

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Serves requests on stdin until it closes (`--version` prints the version instead).
pub fn serve<P: Peer>() {
    if std::env::args().any(|a| a == "--version") {
        println!("{}", P::VERSION);
        return;
    }
    // Keep the panic's message for the answer instead of printing it.
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| {
                format!(
                    " at {}:{}",
                    l.file().rsplit('/').next().unwrap_or(""),
                    l.line()
                )
            })
            .unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("panic: {message}{at}")));
    }));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let reply = answer::<P>(&line);
        if writeln!(stdout, "{reply}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}

fn answer<P: Peer>(line: &str) -> Value {
    let request: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return json!({"id": null, "result": "unsupported", "reason": e.to_string()}),
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let mut reply = if request
        .get("protocol")
        .and_then(Value::as_str)
        .is_some_and(|p| p != "3.1.1")
    {
        json!({"result": "unsupported"})
    } else if let Some(model) = request.get("encode") {
        match guarded(|| P::encode(model)) {
            Ok(Ok(bytes)) => json!({"hex": to_hex(&bytes)}),
            Ok(Err(reason)) => json!({"result": "unsupported", "reason": reason}),
            Err(reason) => json!({"result": "crash", "reason": reason}),
        }
    } else {
        match request.get("hex").and_then(Value::as_str).map(from_hex) {
            Some(Ok(bytes)) => match guarded(|| P::decode(&bytes)) {
                Ok(Answer::Valid { consumed, packet }) => {
                    json!({"result": "valid", "consumed": consumed, "packet": packet})
                }
                Ok(Answer::Invalid { kind, message }) => {
                    json!({"result": "invalid", "error": {"kind": kind, "message": message}})
                }
                Ok(Answer::Incomplete) => json!({"result": "incomplete"}),
                Err(reason) => json!({"result": "crash", "reason": reason}),
            },
            _ => json!({"result": "unsupported", "reason": "no hex"}),
        }
    };
    reply["id"] = id;
    reply
}

/// Runs `f`; a panic becomes `Err` with its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    PANIC.with(|p| p.borrow_mut().take());
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".into())
    })
}

/// Lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)].into());
        out.push(DIGITS[usize::from(b & 0xf)].into());
    }
    out
}

/// Hex to bytes.
pub fn from_hex(text: &str) -> Result<Vec<u8>, String> {
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .ok_or_else(|| "bad hex".to_owned())
    };
    let text: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    text.chunks(2)
        .map(|pair| match pair {
            [high, low] => Ok((digit(*high)? << 4 | digit(*low)?) as u8),
            _ => Err("odd number of hex digits".to_owned()),
        })
        .collect()
}

/// A field of a packet model.
pub fn field<'v>(model: &'v Value, name: &str) -> Result<&'v Value, String> {
    model.get(name).ok_or_else(|| format!("missing {name}"))
}

/// A number field of a packet model.
pub fn number(model: &Value, name: &str) -> Result<u64, String> {
    field(model, name)?
        .as_u64()
        .ok_or_else(|| format!("{name} is not a number"))
}

/// A string field of a packet model.
pub fn string<'v>(model: &'v Value, name: &str) -> Result<&'v str, String> {
    field(model, name)?
        .as_str()
        .ok_or_else(|| format!("{name} is not a string"))
}

/// A boolean field of a packet model.
pub fn boolean(model: &Value, name: &str) -> Result<bool, String> {
    field(model, name)?
        .as_bool()
        .ok_or_else(|| format!("{name} is not a boolean"))
}

/// A small number field (QoS, return code, protocol level).
pub fn byte(model: &Value, name: &str) -> Result<u8, String> {
    u8::try_from(number(model, name)?).map_err(|_| format!("{name} is too large"))
}

/// A 16-bit number field (packet id, keep alive).
pub fn word(model: &Value, name: &str) -> Result<u16, String> {
    u16::try_from(number(model, name)?).map_err(|_| format!("{name} is too large"))
}

/// A hex field as bytes.
pub fn bytes(model: &Value, name: &str) -> Result<Vec<u8>, String> {
    from_hex(string(model, name)?)
}

/// A field that may be `null`.
pub fn nullable<'v>(model: &'v Value, name: &str) -> Result<Option<&'v Value>, String> {
    Ok(Some(field(model, name)?).filter(|v| !v.is_null()))
}

/// An array field.
pub fn array<'v>(model: &'v Value, name: &str) -> Result<&'v Vec<Value>, String> {
    field(model, name)?
        .as_array()
        .ok_or_else(|| format!("{name} is not an array"))
}
