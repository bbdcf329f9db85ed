//! What the adapter binaries share: the adapter protocol of `vectors/README.md` on standard
//! input and output, hex, and catching a peer's panic so that it is reported as a `crash` of
//! that request while the adapter goes on with the next one; for the 5.0 adapters, the names
//! and shapes of the 5.0 packet model (module [`v5`]), and the converters of the two codecs of
//! rumqtt's lineage (module [`rumqtt`]).

use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::panic::{self, AssertUnwindSafe};

use serde_json::{json, Value};

pub mod rumqtt;

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
    /// The one protocol version the adapter takes (`3.1.1` or `5.0`); requests of the other
    /// are `unsupported`. A 5.0 adapter declares the request feature `5.0` and not `context`
    /// (none of these peers takes negotiated limits), so the runner skips and counts the
    /// vectors that carry a context.
    const PROTOCOL: &'static str = "3.1.1";
    /// Decodes the first packet of `bytes`.
    fn decode(bytes: &[u8]) -> Answer;
    /// Encodes a packet model, or says why the peer cannot (by default it cannot: the 5.0
    /// adapters do not encode, and answer `unsupported`).
    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("the adapter does not encode".into())
    }
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
    let protocol = request
        .get("protocol")
        .and_then(Value::as_str)
        .unwrap_or("3.1.1");
    let mut reply = if request.get("features").is_some() {
        if P::PROTOCOL == "5.0" {
            json!({"features": ["5.0"]})
        } else {
            json!({"result": "unsupported"})
        }
    } else if protocol != P::PROTOCOL {
        json!({"result": "unsupported", "reason": format!("the adapter takes {} only", P::PROTOCOL)})
    } else if request.get("context").is_some_and(|c| !c.is_null()) {
        json!({"result": "unsupported", "reason": "no context"})
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

/// The 5.0 packet model's names (vectors/v5/DECISIONS.md sections 2, 3 and 5), which the peers
/// do not carry.
pub mod v5 {
    use serde_json::{json, Value};

    /// The kebab-case name of a property identifier.
    pub fn property_name(id: u8) -> &'static str {
        match id {
            1 => "payload-format-indicator",
            2 => "message-expiry-interval",
            3 => "content-type",
            8 => "response-topic",
            9 => "correlation-data",
            11 => "subscription-identifier",
            17 => "session-expiry-interval",
            18 => "assigned-client-identifier",
            19 => "server-keep-alive",
            21 => "authentication-method",
            22 => "authentication-data",
            23 => "request-problem-information",
            24 => "will-delay-interval",
            25 => "request-response-information",
            26 => "response-information",
            28 => "server-reference",
            31 => "reason-string",
            33 => "receive-maximum",
            34 => "topic-alias-maximum",
            35 => "topic-alias",
            36 => "maximum-qos",
            37 => "retain-available",
            38 => "user-property",
            39 => "maximum-packet-size",
            40 => "wildcard-subscription-available",
            41 => "subscription-identifier-available",
            42 => "shared-subscription-available",
            _ => "unknown",
        }
    }

    /// A list of properties, built in the order the adapter adds them.
    #[derive(Default)]
    pub struct Props(Vec<Value>);

    impl Props {
        /// An empty list.
        pub fn new() -> Props {
            Props::default()
        }

        fn push(&mut self, id: u8, value: Value) {
            self.0
                .push(json!({"id": id, "name": property_name(id), "value": value}));
        }

        /// A number property, if present.
        pub fn num(&mut self, id: u8, value: Option<impl Into<u64>>) -> &mut Props {
            if let Some(v) = value {
                self.push(id, json!(v.into()));
            }
            self
        }

        /// A boolean held as a byte property (0 or 1), if present.
        pub fn flag(&mut self, id: u8, value: Option<bool>) -> &mut Props {
            self.num(id, value.map(u8::from))
        }

        /// A string property, if present.
        pub fn text(&mut self, id: u8, value: Option<&str>) -> &mut Props {
            if let Some(v) = value {
                self.push(id, json!(v));
            }
            self
        }

        /// A binary property, if present.
        pub fn binary(&mut self, id: u8, value: Option<&[u8]>) -> &mut Props {
            if let Some(v) = value {
                self.push(id, json!(crate::to_hex(v)));
            }
            self
        }

        /// User Properties, in the order given.
        pub fn users<'a>(
            &mut self,
            pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        ) -> &mut Props {
            for (k, v) in pairs {
                self.push(38, json!([k, v]));
            }
            self
        }

        /// The list.
        pub fn done(&mut self) -> Value {
            Value::Array(std::mem::take(&mut self.0))
        }
    }

    /// User Properties held as `(name, value)` pairs of strings, as the pairs `Props::users`
    /// takes.
    pub fn user_pairs(list: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
        list.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Reason String and User Properties: the properties of PUBACK, PUBREC, PUBREL, PUBCOMP,
    /// SUBACK and UNSUBACK.
    pub fn reason_props<'a>(
        reason_string: Option<&str>,
        users: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Value {
        Props::new().text(31, reason_string).users(users).done()
    }

    /// PUBACK, PUBREC, PUBREL or PUBCOMP (`packet`) in the model, in the form its Remaining
    /// Length `rl` says it took ([`short_form`]).
    pub fn ack(packet: &str, packet_id: u16, code: u8, properties: Value, rl: usize) -> Value {
        let (reason_code, properties) = short_form(packet, rl, code, properties);
        json!({"type": packet, "packet_id": packet_id, "reason_code": reason_code, "properties": properties})
    }

    /// DISCONNECT or AUTH (`packet`) in the model, in the form its Remaining Length `rl` says
    /// it took ([`short_form`]).
    pub fn with_reason(packet: &str, code: u8, properties: Value, rl: usize) -> Value {
        let (reason_code, properties) = short_form(packet, rl, code, properties);
        json!({"type": packet, "reason_code": reason_code, "properties": properties})
    }

    /// A reason code of the model: `{"value", "name"}`, value 0 named by its packet.
    pub fn reason(packet: &str, value: u8) -> Value {
        let name = match (value, packet) {
            (0, "DISCONNECT") => "normal-disconnection",
            (0, "SUBACK") => "granted-qos-0",
            (0, _) => "success",
            (1, _) => "granted-qos-1",
            (2, _) => "granted-qos-2",
            (4, _) => "disconnect-with-will-message",
            (16, _) => "no-matching-subscribers",
            (17, _) => "no-subscription-existed",
            (24, _) => "continue-authentication",
            (25, _) => "re-authenticate",
            (128, _) => "unspecified-error",
            (129, _) => "malformed-packet",
            (130, _) => "protocol-error",
            (131, _) => "implementation-specific-error",
            (132, _) => "unsupported-protocol-version",
            (133, _) => "client-identifier-not-valid",
            (134, _) => "bad-user-name-or-password",
            (135, _) => "not-authorized",
            (136, _) => "server-unavailable",
            (137, _) => "server-busy",
            (138, _) => "banned",
            (139, _) => "server-shutting-down",
            (140, _) => "bad-authentication-method",
            (141, _) => "keep-alive-timeout",
            (142, _) => "session-taken-over",
            (143, _) => "topic-filter-invalid",
            (144, _) => "topic-name-invalid",
            (145, _) => "packet-identifier-in-use",
            (146, _) => "packet-identifier-not-found",
            (147, _) => "receive-maximum-exceeded",
            (148, _) => "topic-alias-invalid",
            (149, _) => "packet-too-large",
            (150, _) => "message-rate-too-high",
            (151, _) => "quota-exceeded",
            (152, _) => "administrative-action",
            (153, _) => "payload-format-invalid",
            (154, _) => "retain-not-supported",
            (155, _) => "qos-not-supported",
            (156, _) => "use-another-server",
            (157, _) => "server-moved",
            (158, _) => "shared-subscriptions-not-supported",
            (159, _) => "connection-rate-exceeded",
            (160, _) => "maximum-connect-time",
            (161, _) => "subscription-identifiers-not-supported",
            (162, _) => "wildcard-subscriptions-not-supported",
            _ => "reserved",
        };
        json!({"value": value, "name": name})
    }

    /// The Remaining Length of a frame of `consumed` bytes: one byte of type and flags, then
    /// the shortest variable byte integer.
    pub fn remaining_length(consumed: usize) -> usize {
        let mut size = 1;
        while size < 4 && consumed.saturating_sub(1 + size) >= 128usize.pow(size as u32) {
            size += 1;
        }
        consumed.saturating_sub(1 + size)
    }

    /// `reason_code` and `properties` of an acknowledgement, DISCONNECT or AUTH, by the form
    /// its Remaining Length says it took (DECISIONS.md section 3): the peers fill in a
    /// default reason and keep no trace of an absent property length.
    pub fn short_form(
        packet: &str,
        remaining_length: usize,
        code: u8,
        properties: Value,
    ) -> (Value, Value) {
        let base = match packet {
            "PUBACK" | "PUBREC" | "PUBREL" | "PUBCOMP" => 2,
            _ => 0,
        };
        if remaining_length <= base {
            (Value::Null, Value::Null)
        } else if remaining_length == base + 1 {
            (reason(packet, code), Value::Null)
        } else {
            (reason(packet, code), properties)
        }
    }

    /// Whether the variable byte integer after the first byte of `bytes` is complete (a
    /// byte without the continuation bit, or four bytes): for peers that frame nothing
    /// themselves, so that a prefix cut inside it is `incomplete`, as their users' readers
    /// would treat it.
    pub fn length_complete(bytes: &[u8]) -> bool {
        bytes
            .iter()
            .skip(1)
            .take(4)
            .enumerate()
            .any(|(i, b)| b & 0x80 == 0 || i == 3)
    }
}
