//! No type of the crate prints a CONNECT's credentials. Every public type that holds or
//! carries a peer's bytes is formatted (`{:?}`, `{:#?}`, and `{}` where it has one) after a
//! CONNECT with a user name and a password went through it, and neither may appear in the
//! output, in any form: as text, escaped, in hex or as an array of numbers, whole or any four
//! bytes of them. User names are hidden like passwords, as `Connect`'s `Display` and `Debug`
//! document (`***`).
//!
//! The public types (`grep -rn "pub struct\|pub enum" codec/src`) and why each is here or
//! not: `Packet`, `Connect`, `Status`, `OwnedPacket`, `BytesPacket`, `StreamDecoder`,
//! `MqttCodec`, `CodecError` and `DecodeError` hold or come from the CONNECT's bytes: here.
//! `Will`, `TopicName` hold the will's topic and message (not credentials); `Decoder`,
//! `Needed`, `QoS`, `PacketType`, `Clause`, `Field`, `DecodeErrorKind`, `EncodeError`,
//! `Connack`, `ConnectReturnCode` and the acks hold no peer bytes; `Publish`, `Subscribe`,
//! `Suback`, `Unsubscribe`, `Subscription`, `List`, `Iter` and `Delivery` come from other
//! packets than CONNECT.

use mqtt_wire::v311::{decode, Decoder, OwnedPacket, Packet, StreamDecoder};
use testkit::wire::connect;

const USERNAME: &str = "u53r-N4me";
/// Binary, with bytes that print escaped: not UTF-8, a NUL, a quote.
const PASSWORD: &[u8] = b"pa\xffSS-w0\x00rd\"!";

/// A CONNECT with a will, a user name and a password (flags 0xC6), by hand.
fn connect_with_credentials() -> Vec<u8> {
    let mut payload = vec![0, 5];
    payload.extend_from_slice(b"cid-7");
    payload.extend_from_slice(&[0, 3]);
    payload.extend_from_slice(b"w/t");
    payload.extend_from_slice(&[0, 3]);
    payload.extend_from_slice(b"bye");
    payload.extend_from_slice(&[0, USERNAME.len() as u8]);
    payload.extend_from_slice(USERNAME.as_bytes());
    payload.extend_from_slice(&[0, PASSWORD.len() as u8]);
    payload.extend_from_slice(PASSWORD);
    connect(0xC6, &payload)
}

/// The same CONNECT with one byte too many after the password, inside the frame: malformed
/// (whether it is found early or when the frame is complete).
fn malformed_connect_with_credentials() -> Vec<u8> {
    let mut bytes = connect_with_credentials();
    bytes[1] += 1;
    bytes.push(0x00);
    bytes
}

/// Whitespace removed, so that `{:#?}`'s one-number-per-line arrays compare as one line.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The ways a formatter could show `bytes`.
fn forms(bytes: &[u8]) -> Vec<String> {
    let hex = |sep: &str, upper: bool, prefix: &str| -> String {
        bytes
            .iter()
            .map(|b| {
                if upper {
                    format!("{prefix}{b:02X}")
                } else {
                    format!("{prefix}{b:02x}")
                }
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    let decimal: Vec<String> = bytes.iter().map(u8::to_string).collect();
    let mut forms = vec![
        bytes.escape_ascii().to_string(),
        String::from_utf8_lossy(bytes).escape_debug().to_string(),
        String::from_utf8_lossy(bytes).escape_default().to_string(),
        hex("", false, ""),
        hex("", true, ""),
        hex(", ", false, ""),
        hex(", ", true, ""),
        hex(", ", false, "0x"),
        hex(", ", true, "0x"),
        decimal.join(", "),
    ];
    if let Ok(text) = std::str::from_utf8(bytes) {
        forms.push(text.to_string());
    }
    forms.iter().map(|f| squash(f)).collect()
}

/// Every four-byte window of the user name and of the password, in every form.
fn secrets() -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (name, secret) in [("user name", USERNAME.as_bytes()), ("password", PASSWORD)] {
        for window in secret.windows(4) {
            for form in forms(window) {
                all.push((format!("{name} bytes {window:02x?}"), form));
            }
        }
    }
    all
}

/// Collects what was formatted and checks it at the end, reporting every leak at once.
struct Outputs {
    seen: Vec<(String, String)>,
}

impl Outputs {
    fn debug(&mut self, what: &str, value: &dyn std::fmt::Debug) {
        self.seen
            .push((format!("{what} {{:?}}"), format!("{value:?}")));
        self.seen
            .push((format!("{what} {{:#?}}"), format!("{value:#?}")));
    }

    fn both(&mut self, what: &str, value: &(impl std::fmt::Debug + std::fmt::Display)) {
        self.debug(what, value);
        self.seen.push((format!("{what} {{}}"), format!("{value}")));
    }

    fn check(self) {
        let secrets = secrets();
        let mut leaks = Vec::new();
        for (what, text) in &self.seen {
            let text = squash(text);
            for (secret, form) in &secrets {
                if text.contains(form.as_str()) {
                    leaks.push(format!("{what} shows {secret} as {form:?}: {text}"));
                }
            }
        }
        assert!(
            self.seen.len() > 20,
            "only {} outputs formatted",
            self.seen.len()
        );
        assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    }
}

/// The check finds what it looks for: a `Debug` of the raw bytes and a `Display` of the
/// user name are caught.
#[test]
fn the_check_sees_credentials_in_every_form() {
    let wire = connect_with_credentials();
    let shown = [
        format!("{wire:?}"),
        format!("{wire:#?}"),
        format!("{wire:02x?}"),
        format!("{wire:#04X?}"),
        format!("{}", wire.escape_ascii()),
        format!("{:?}", String::from_utf8_lossy(&wire)),
        wire.iter().map(|b| format!("{b:02x}")).collect(),
        USERNAME.to_string(),
    ];
    let secrets = secrets();
    for text in shown {
        let text = squash(&text);
        assert!(
            secrets.iter().any(|(_, form)| text.contains(form.as_str())),
            "not caught: {text}"
        );
    }
}

#[test]
fn no_type_prints_the_credentials_of_a_connect() {
    let wire = connect_with_credentials();
    let malformed = malformed_connect_with_credentials();
    let mut out = Outputs { seen: Vec::new() };

    // The borrowed packet, its CONNECT, and the status that carries them.
    let result = decode(&wire);
    out.debug("decode() result", &result);
    let (packet, used) = result.unwrap().complete().expect("a whole CONNECT");
    assert_eq!(used, wire.len());
    let Packet::Connect(connect) = packet else {
        panic!("not a CONNECT: {packet:?}")
    };
    // The credentials are there, to be hidden.
    assert_eq!(connect.username(), Some(USERNAME));
    assert_eq!(connect.password(), Some(PASSWORD));
    out.both("Packet", &packet);
    out.both("Connect", &connect);

    // The owned packet.
    let owned = OwnedPacket::from(packet);
    out.both("OwnedPacket", &owned);

    // The error of a malformed CONNECT that carries credentials.
    let error = decode(&malformed).expect_err("a byte left over after the password");
    out.both("DecodeError", &error);

    // The stream decoder: the whole CONNECT buffered, handed out (its bytes stay in the
    // buffer until more arrive), all but its last byte buffered, and refused.
    let mut stream = StreamDecoder::new(Decoder::new());
    stream.extend(&wire);
    out.debug("StreamDecoder holding a CONNECT", &stream);
    let taken = stream.next_packet().unwrap().expect("the CONNECT");
    let taken = format!("{taken:?} {taken:#?} {taken}");
    out.seen.push(("StreamDecoder's packet".into(), taken));
    out.debug("StreamDecoder after a CONNECT", &stream);
    let mut partial = StreamDecoder::new(Decoder::new());
    partial.extend(&wire[..wire.len() - 1]);
    assert_eq!(partial.next_packet(), Ok(None));
    out.debug("StreamDecoder with a CONNECT but its last byte", &partial);
    let mut refused = StreamDecoder::new(Decoder::new());
    refused.extend(&malformed);
    let error = refused.next_packet().expect_err("malformed");
    out.both("StreamDecoder's error", &error);
    out.debug("StreamDecoder after a malformed CONNECT", &refused);

    #[cfg(feature = "bytes")]
    {
        let mut input = bytes::Bytes::from(wire.clone());
        let status = Decoder::new().decode_bytes(&mut input);
        out.debug("decode_bytes() result", &status);
        let packet = status.unwrap().complete().expect("the CONNECT");
        out.both("BytesPacket", &packet);
    }

    #[cfg(feature = "tokio")]
    {
        use mqtt_wire::v311::MqttCodec;
        use tokio_util::codec::Decoder as _;

        let mut codec = MqttCodec::new(Decoder::new().max_packet_size(1024));
        let mut buf = bytes::BytesMut::from(&wire[..]);
        let decoded = codec.decode(&mut buf);
        out.debug("MqttCodec::decode() result", &decoded);
        out.both(
            "MqttCodec's packet",
            &decoded.unwrap().expect("the CONNECT"),
        );
        out.debug("MqttCodec after a CONNECT", &codec);
        let mut buf = bytes::BytesMut::from(&malformed[..]);
        let error = codec.decode(&mut buf).expect_err("malformed");
        out.both("CodecError", &error);
        out.debug("MqttCodec after a malformed CONNECT", &codec);
    }

    out.check();
}
