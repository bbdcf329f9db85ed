//! The field map: which tshark fields a vector's packet model determines, and their values as
//! tshark shows them, per protocol version. One map: the fields both versions share are
//! written once, and each version adds what only it has (5.0: properties, reason codes,
//! subscription options, the short forms).
//!
//! A property block is compared as one field (`mqtt.properties`, `mqtt.will_properties`), a
//! list of properties in wire order, each written `0x11 300`, `0x1f "see log"`, `0x09 0102`
//! (Binary Data as hex) or `0x26 ("key", "value")`, after a first item saying how many there
//! are. [`expected_fields`] writes the model's block so; [`shown_properties`] writes tshark's
//! subtree so, ordered by the offsets `tshark -x` gives, so that the identifiers, values and
//! order (User Properties as pairs, repeated keys included) are all compared.

use serde_json::Value;

use crate::suite::Protocol;

/// The property identifiers whose value is Binary Data (MQTT 5.0 section 2.2.2.2, Table 2-4:
/// Correlation Data and Authentication Data); their model value is hex.
const BINARY_PROPERTIES: [u64; 2] = [0x09, 0x16];

/// The tshark fields that hold a property's value, numbers first, then text.
const NUMBER_FIELDS: [&str; 3] = [
    "mqtt.prop_number",
    "mqtt.property.max_qos",
    "mqtt.property.topic_alias",
];
const TEXT_FIELDS: [&str; 2] = ["mqtt.prop_string", "mqtt.property.content_type"];

/// One field's expected values: empty when the packet does not have the field.
pub type Expected = (&'static str, Vec<String>);

/// The tshark fields a packet model of `protocol` determines, with the values tshark shows
/// for them: numbers in decimal, booleans as `0`/`1`, strings as they are; `mqtt.msg` as plain
/// hex; property blocks as the module documentation says. A field the packet does not have is
/// expected absent (no values). `mqtt.len` is the Remaining Length declared in `wire`.
pub fn expected_fields(
    protocol: Protocol,
    model: &Value,
    wire: &[u8],
) -> Result<Vec<Expected>, String> {
    let m = Model(model);
    let packet_type = m.text("type")?;
    let number = match (packet_type.as_str(), protocol) {
        ("CONNECT", _) => 1,
        ("CONNACK", _) => 2,
        ("PUBLISH", _) => 3,
        ("PUBACK", _) => 4,
        ("PUBREC", _) => 5,
        ("PUBREL", _) => 6,
        ("PUBCOMP", _) => 7,
        ("SUBSCRIBE", _) => 8,
        ("SUBACK", _) => 9,
        ("UNSUBSCRIBE", _) => 10,
        ("UNSUBACK", _) => 11,
        ("PINGREQ", _) => 12,
        ("PINGRESP", _) => 13,
        ("DISCONNECT", _) => 14,
        ("AUTH", Protocol::V5) => 15,
        (other, _) => return Err(format!("unknown {protocol} packet type {other}")),
    };
    let remaining = oracle::declared_remaining_length(wire)
        .map(|(remaining, _)| remaining.to_string())
        .ok_or("the wire has no complete Remaining Length")?;
    let mut fields = vec![
        ("mqtt.msgtype", one(number.to_string())),
        ("mqtt.len", one(remaining)),
    ];
    // The fixed header's flags: DUP, QoS and RETAIN for a PUBLISH, fixed values elsewhere.
    if packet_type == "PUBLISH" {
        fields.push(("mqtt.dupflag", one(m.text("dup")?)));
        fields.push(("mqtt.qos", one(m.text("qos")?)));
        fields.push(("mqtt.retain", one(m.text("retain")?)));
    } else {
        let reserved = if matches!(number, 6 | 8 | 10) {
            "2"
        } else {
            "0"
        };
        fields.push(("mqtt.hdr_reserved", one(reserved.into())));
    }
    let packet_id = match model.get("packet_id") {
        Some(Value::Number(n)) => one(n.to_string()),
        _ => Vec::new(),
    };
    fields.push(("mqtt.msgid", packet_id));
    match packet_type.as_str() {
        "CONNECT" => connect(protocol, m, &mut fields)?,
        "CONNACK" => {
            fields.push(("mqtt.conack.flags.sp", one(m.text("session_present")?)));
            match protocol {
                Protocol::V311 => fields.push(("mqtt.conack.val", one(m.text("return_code")?))),
                Protocol::V5 => {
                    fields.push(("mqtt.connack.reason_code", m.reason_code()?));
                    fields.push(("mqtt.properties", m.properties("properties")?));
                }
            }
        }
        "PUBLISH" => {
            fields.push(("mqtt.topic", one(m.text("topic")?)));
            if protocol == Protocol::V5 {
                fields.push(("mqtt.properties", m.properties("properties")?));
            }
            fields.push(("mqtt.msg", one(m.text("payload")?)));
        }
        "SUBSCRIBE" => {
            let filter = |s: &Value| s.get("filter").and_then(as_string);
            fields.push(("mqtt.topic", m.list("subscriptions", &filter)?));
            let option = |name: &'static str| {
                move |s: &Value| {
                    s.get(name).and_then(|v| match v {
                        Value::Bool(b) => Some(u8::from(*b).to_string()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                }
            };
            match protocol {
                Protocol::V311 => {
                    fields.push(("mqtt.sub.qos", m.list("subscriptions", &option("qos"))?));
                }
                Protocol::V5 => {
                    fields.push(("mqtt.properties", m.properties("properties")?));
                    let each = |name: &'static str| m.list("subscriptions", &option(name));
                    fields.push(("mqtt.subscription_options_qos", each("qos")?));
                    fields.push(("mqtt.subscription_options_nl", each("no_local")?));
                    fields.push((
                        "mqtt.subscription_options_rap",
                        each("retain_as_published")?,
                    ));
                    fields.push(("mqtt.subscription_options_retain", each("retain_handling")?));
                    // Bits 6 and 7 are reserved, 0 in every valid vector (MQTT-3.8.3-5).
                    let reserved = |_: &Value| Some("0x00".to_owned());
                    fields.push((
                        "mqtt.subscription_options_reserved",
                        m.list("subscriptions", &reserved)?,
                    ));
                }
            }
        }
        "SUBACK" => match protocol {
            Protocol::V311 => {
                let code = |c: &Value| Some(c.to_string());
                fields.push(("mqtt.suback.qos", m.list("return_codes", &code)?));
            }
            Protocol::V5 => {
                fields.push(("mqtt.properties", m.properties("properties")?));
                fields.push((
                    "mqtt.suback.reason_code",
                    m.list("reason_codes", &code_value)?,
                ));
            }
        },
        "UNSUBSCRIBE" => {
            if protocol == Protocol::V5 {
                fields.push(("mqtt.properties", m.properties("properties")?));
            }
            fields.push(("mqtt.topic", m.list("filters", &as_string)?));
        }
        "UNSUBACK" if protocol == Protocol::V5 => {
            fields.push(("mqtt.properties", m.properties("properties")?));
            fields.push((
                "mqtt.unsuback.reason_code",
                m.list("reason_codes", &code_value)?,
            ));
        }
        // The short forms: the reason code and the property block each absent when the model
        // says null (DECISIONS.md section 3).
        "PUBACK" | "PUBREC" | "PUBREL" | "PUBCOMP" | "DISCONNECT" | "AUTH"
            if protocol == Protocol::V5 =>
        {
            let field = match number {
                4 => "mqtt.puback.reason_code",
                5 => "mqtt.pubrec.reason_code",
                6 => "mqtt.pubrel.reason_code",
                7 => "mqtt.pubcomp.reason_code",
                14 => "mqtt.disconnect.reason_code",
                _ => "mqtt.auth.reason_code",
            };
            fields.push((field, m.reason_code()?));
            fields.push(("mqtt.properties", m.properties("properties")?));
        }
        _ => {}
    }
    Ok(fields)
}

/// The CONNECT's fields.
fn connect(protocol: Protocol, m: Model<'_>, fields: &mut Vec<Expected>) -> Result<(), String> {
    fields.push(("mqtt.protoname", one(m.text("protocol_name")?)));
    fields.push(("mqtt.ver", one(m.text("protocol_level")?)));
    let clean = match protocol {
        Protocol::V311 => "clean_session",
        Protocol::V5 => "clean_start",
    };
    fields.push(("mqtt.conflag.cleansess", one(m.text(clean)?)));
    fields.push(("mqtt.kalive", one(m.text("keep_alive")?)));
    if protocol == Protocol::V5 {
        fields.push(("mqtt.properties", m.properties("properties")?));
    }
    fields.push(("mqtt.clientid", one(m.text("client_id")?)));
    let will = m.0.get("will").filter(|w| !w.is_null());
    let will_field = |name: &str| {
        will.and_then(|w| w.get(name)).map(|v| match v {
            Value::Bool(b) => u8::from(*b).to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        })
    };
    fields.push((
        "mqtt.conflag.willflag",
        one(u8::from(will.is_some()).to_string()),
    ));
    if protocol == Protocol::V5 {
        let properties = match will {
            Some(w) => Model(w).properties("properties")?,
            None => Vec::new(),
        };
        fields.push(("mqtt.will_properties", properties));
    }
    fields.push(("mqtt.willtopic", will_field("topic").into_iter().collect()));
    fields.push((
        "mqtt.willmsg_len",
        will_field("message")
            .map(|m| (m.len() / 2).to_string())
            .into_iter()
            .collect(),
    ));
    fields.push(("mqtt.willmsg", will_field("message").into_iter().collect()));
    fields.push((
        "mqtt.conflag.qos",
        one(will_field("qos").unwrap_or_else(|| "0".into())),
    ));
    fields.push((
        "mqtt.conflag.retain",
        one(will_field("retain").unwrap_or_else(|| "0".into())),
    ));
    let username = m.0.get("username").and_then(as_string);
    fields.push((
        "mqtt.conflag.uname",
        one(u8::from(username.is_some()).to_string()),
    ));
    fields.push(("mqtt.username", username.into_iter().collect()));
    let password = m.0.get("password").and_then(as_string);
    fields.push((
        "mqtt.conflag.passwd",
        one(u8::from(password.is_some()).to_string()),
    ));
    // The dissector shows a password as text; binary ones would not compare, so its length is
    // compared.
    fields.push((
        "mqtt.passwd_len",
        password
            .map(|p| (p.len() / 2).to_string())
            .into_iter()
            .collect(),
    ));
    Ok(())
}

fn one(s: String) -> Vec<String> {
    vec![s]
}

fn as_string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A reason code's value (`{"value": 135, "name": ...}`).
fn code_value(c: &Value) -> Option<String> {
    c.get("value")
        .and_then(Value::as_u64)
        .map(|n| n.to_string())
}

/// A packet model, read.
#[derive(Clone, Copy)]
struct Model<'v>(&'v Value);

impl Model<'_> {
    fn text(&self, name: &str) -> Result<String, String> {
        match self.0.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(Value::Bool(b)) => Ok(u8::from(*b).to_string()),
            _ => Err(format!("the model has no field {name:?}")),
        }
    }

    fn list(
        &self,
        name: &str,
        item: &dyn Fn(&Value) -> Option<String>,
    ) -> Result<Vec<String>, String> {
        self.0
            .get(name)
            .and_then(Value::as_array)
            .ok_or_else(|| format!("the model has no list {name:?}"))?
            .iter()
            .map(|v| item(v).ok_or_else(|| format!("an odd item in {name:?}")))
            .collect()
    }

    /// `reason_code`: its value, or nothing when it is null (a short form).
    fn reason_code(&self) -> Result<Vec<String>, String> {
        match self.0.get("reason_code") {
            Some(Value::Null) => Ok(Vec::new()),
            Some(code) => code_value(code)
                .map(one)
                .ok_or_else(|| format!("an odd reason code {code}")),
            None => Err("the model has no field \"reason_code\"".into()),
        }
    }

    /// A property block (`properties` of a packet or of a will): nothing when it is null (a
    /// short form), else its count and each property written as [`property`] does.
    fn properties(&self, name: &str) -> Result<Vec<String>, String> {
        let list = match self.0.get(name) {
            Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(list)) => list,
            _ => return Err(format!("the model has no property list {name:?}")),
        };
        let mut out = vec![count(list.len())];
        for p in list {
            let id = p
                .get("id")
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("a property without an id: {p}"))?;
            let value = match p.get("value") {
                Some(Value::Number(n)) => n.to_string(),
                // Binary Data: the model's hex, as the shown side writes it.
                Some(Value::String(s)) if BINARY_PROPERTIES.contains(&id) => s.clone(),
                Some(Value::String(s)) => format!("{s:?}"),
                Some(Value::Array(pair)) => match pair.as_slice() {
                    [Value::String(k), Value::String(v)] => format!("({k:?}, {v:?})"),
                    _ => return Err(format!("an odd user property: {p}")),
                },
                _ => return Err(format!("a property without a value: {p}")),
            };
            out.push(property(id, &value));
        }
        Ok(out)
    }
}

fn count(n: usize) -> String {
    format!("{n} properties")
}

fn property(id: u64, value: &str) -> String {
    format!("0x{id:02x} {value}")
}

/// tshark's property subtree (`mqtt.properties` or `mqtt.will_properties` of one MQTT packet,
/// from `tshark -T json -x --no-duplicate-keys`) written as [`expected_fields`] writes the
/// model's: its count, then each property in the order of its bytes. tshark puts a property's
/// identifier and value fields side by side in the subtree, and `--no-duplicate-keys` gathers
/// a repeated field's values into one array, so the order between fields is lost; the offsets
/// of `-x` (`<field>_raw`: hex, offset, length, ...) restore it. A value is read from the
/// field that holds it: a number as shown; text quoted; Binary Data (shown by tshark as text)
/// as the hex of that text's UTF-8 bytes; a key and value as a pair; anything else (an
/// unknown property) as `field=value`.
pub fn shown_properties(subtree: &Value) -> Result<Vec<String>, String> {
    let Value::Object(fields) = subtree else {
        return Err("a property subtree that is not an object".into());
    };
    // Every field of the subtree with its offset, in byte order. A field that covers no bytes
    // has no offset (`mqtt.prop_unknown`, which ends the block): it goes after the last field
    // before it in the subtree, whose keys keep tshark's order.
    let mut items: Vec<((u64, u8), &str, &str)> = Vec::new();
    let mut last = 0;
    for (name, value) in fields {
        if name.ends_with("_raw") || name.ends_with("_tree") || name == "_ws.expert" {
            continue;
        }
        let values: Vec<&str> = match value {
            Value::String(s) => vec![s],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        let Some(raw) = fields.get(&format!("{name}_raw")) else {
            items.extend(values.into_iter().map(|v| ((last, 1), name.as_str(), v)));
            continue;
        };
        let offsets: Vec<u64> = match raw {
            Value::Array(a) if a.first().is_some_and(Value::is_array) => a
                .iter()
                .map(|r| r.get(1).and_then(Value::as_u64))
                .collect::<Option<_>>(),
            Value::Array(a) => a.get(1).and_then(Value::as_u64).map(|o| vec![o]),
            _ => None,
        }
        .ok_or_else(|| format!("{name}_raw has no offsets"))?;
        if offsets.len() != values.len() {
            return Err(format!(
                "{name}: {} values, {} offsets",
                values.len(),
                offsets.len()
            ));
        }
        last = last.max(offsets.iter().copied().max().unwrap_or(0));
        items.extend(
            offsets
                .into_iter()
                .zip(values)
                .map(|(o, v)| ((o, 0), name.as_str(), v)),
        );
    }
    if !fields.keys().any(|k| k.ends_with("_raw")) && !items.is_empty() {
        return Err("a property subtree without offsets (run tshark with -x)".into());
    }
    items.sort_by_key(|(offset, _, _)| *offset);

    let mut properties: Vec<(u64, Vec<(&str, &str)>)> = Vec::new();
    for (_, name, value) in items {
        match name {
            "mqtt.property_id" => {
                let hex = value.strip_prefix("0x").unwrap_or(value);
                let id = u64::from_str_radix(hex, 16)
                    .map_err(|_| format!("an odd property id {value:?}"))?;
                properties.push((id, Vec::new()));
            }
            "mqtt.property_len" => {}
            _ if name.ends_with("_len") => {}
            _ => match properties.last_mut() {
                Some((_, parts)) => parts.push((name, value)),
                None => return Err(format!("{name} before any property id")),
            },
        }
    }
    let mut out = vec![count(properties.len())];
    for (id, parts) in properties {
        let value = match parts.as_slice() {
            [(f, v)] if NUMBER_FIELDS.contains(f) => (*v).to_owned(),
            [(f, v)] if TEXT_FIELDS.contains(f) && BINARY_PROPERTIES.contains(&id) => {
                v.bytes().map(|b| format!("{b:02x}")).collect()
            }
            [(f, v)] if TEXT_FIELDS.contains(f) => format!("{v:?}"),
            [("mqtt.prop_key", k), ("mqtt.prop_value", v)] => format!("({k:?}, {v:?})"),
            other => other
                .iter()
                .map(|(f, v)| format!("{f}={v:?}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        out.push(property(id, &value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field<'f>(fields: &'f [Expected], name: &str) -> &'f [String] {
        &fields.iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn maps_a_5_0_connect_with_properties_and_will_properties() {
        let model = json!({"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5,
            "clean_start": true, "keep_alive": 60,
            "properties": [{"id": 17, "name": "session-expiry-interval", "value": 300},
                           {"id": 38, "name": "user-property", "value": ["k", "v"]},
                           {"id": 22, "name": "authentication-data", "value": "00ff"}],
            "client_id": "c", "will": {"properties": [{"id": 3, "name": "content-type", "value": "t"}],
            "topic": "w", "message": "6869", "qos": 1, "retain": false},
            "username": null, "password": "00"});
        let f = expected_fields(Protocol::V5, &model, &[0x10, 0x30]).unwrap();
        assert_eq!(field(&f, "mqtt.conflag.cleansess"), ["1"]);
        assert_eq!(
            field(&f, "mqtt.properties"),
            [
                "3 properties",
                "0x11 300",
                "0x26 (\"k\", \"v\")",
                "0x16 00ff"
            ]
        );
        assert_eq!(
            field(&f, "mqtt.will_properties"),
            ["1 properties", "0x03 \"t\""]
        );
        assert_eq!(field(&f, "mqtt.passwd_len"), ["1"]);
        assert_eq!(field(&f, "mqtt.conflag.uname"), ["0"]);
        // 3.1.1 reads Clean Session and has no property blocks.
        let mut old = model.clone();
        old["clean_session"] = json!(false);
        let f = expected_fields(Protocol::V311, &old, &[0x10, 0x30]).unwrap();
        assert_eq!(field(&f, "mqtt.conflag.cleansess"), ["0"]);
        assert!(f.iter().all(|(n, _)| !n.contains("properties")));
    }

    #[test]
    fn a_short_form_expects_no_reason_code_and_no_property_block() {
        let short =
            json!({"type": "PUBACK", "packet_id": 1, "reason_code": null, "properties": null});
        let f = expected_fields(Protocol::V5, &short, &[0x40, 0x02, 0, 1]).unwrap();
        assert_eq!(field(&f, "mqtt.puback.reason_code"), Vec::<String>::new());
        assert_eq!(field(&f, "mqtt.properties"), Vec::<String>::new());
        let code_only = json!({"type": "DISCONNECT",
            "reason_code": {"value": 142, "name": "session-taken-over"}, "properties": null});
        let f = expected_fields(Protocol::V5, &code_only, &[0xe0, 0x01, 0x8e]).unwrap();
        assert_eq!(field(&f, "mqtt.disconnect.reason_code"), ["142"]);
        assert_eq!(field(&f, "mqtt.properties"), Vec::<String>::new());
        // An empty block is there, with no property in it.
        let empty = json!({"type": "AUTH",
            "reason_code": {"value": 0, "name": "success"}, "properties": []});
        let f = expected_fields(Protocol::V5, &empty, &[0xf0, 0x02, 0, 0]).unwrap();
        assert_eq!(field(&f, "mqtt.auth.reason_code"), ["0"]);
        assert_eq!(field(&f, "mqtt.properties"), ["0 properties"]);
    }

    #[test]
    fn maps_subscription_options_and_reason_code_lists() {
        let sub = json!({"type": "SUBSCRIBE", "packet_id": 7, "properties": [],
            "subscriptions": [
                {"filter": "a", "qos": 2, "no_local": true, "retain_as_published": false, "retain_handling": 1},
                {"filter": "b", "qos": 0, "no_local": false, "retain_as_published": true, "retain_handling": 0}]});
        let f = expected_fields(Protocol::V5, &sub, &[0x82, 0x0c]).unwrap();
        assert_eq!(field(&f, "mqtt.topic"), ["a", "b"]);
        assert_eq!(field(&f, "mqtt.subscription_options_qos"), ["2", "0"]);
        assert_eq!(field(&f, "mqtt.subscription_options_nl"), ["1", "0"]);
        assert_eq!(field(&f, "mqtt.subscription_options_rap"), ["0", "1"]);
        assert_eq!(field(&f, "mqtt.subscription_options_retain"), ["1", "0"]);
        assert_eq!(
            field(&f, "mqtt.subscription_options_reserved"),
            ["0x00", "0x00"]
        );
        assert_eq!(field(&f, "mqtt.hdr_reserved"), ["2"]);
        let suback = json!({"type": "UNSUBACK", "packet_id": 7, "properties": [],
            "reason_codes": [{"value": 0, "name": "success"}, {"value": 17, "name": "no-subscription-existed"}]});
        let f = expected_fields(Protocol::V5, &suback, &[0xb0, 0x05]).unwrap();
        assert_eq!(field(&f, "mqtt.unsuback.reason_code"), ["0", "17"]);
    }

    #[test]
    fn auth_is_a_5_0_packet_only() {
        let auth = json!({"type": "AUTH", "reason_code": null, "properties": null});
        assert!(expected_fields(Protocol::V311, &auth, &[0xf0, 0]).is_err());
        assert!(expected_fields(Protocol::V5, &auth, &[0xf0, 0]).is_ok());
    }

    /// What tshark 4.0.17 shows (`-T json -x --no-duplicate-keys`) for the properties 0x26
    /// ("k", "v"), 0x11 300, 0x26 ("k", "w"), 0x09 0102: the fields grouped by name, the
    /// offsets telling the order.
    fn subtree() -> Value {
        json!({
            "mqtt.property_len_raw": ["19", 10, 1, 0, 11], "mqtt.property_len": "25",
            "mqtt.property_id_raw": [["26", 11, 1, 0, 4], ["11", 18, 1, 0, 4], ["26", 23, 1, 0, 4], ["09", 30, 1, 0, 4]],
            "mqtt.property_id": ["0x26", "0x11", "0x26", "0x09"],
            "mqtt.prop_key_len_raw": [["0001", 12, 2, 0, 7], ["0001", 24, 2, 0, 7]],
            "mqtt.prop_key_len": ["1", "1"],
            "mqtt.prop_key_raw": [["6b", 14, 1, 0, 26], ["6b", 26, 1, 0, 26]],
            "mqtt.prop_key": ["k", "k"],
            "mqtt.prop_value_raw": [["76", 17, 1, 0, 26], ["77", 29, 1, 0, 26]],
            "mqtt.prop_value": ["v", "w"],
            "mqtt.prop_number_raw": ["0000012c", 19, 4, 0, 6], "mqtt.prop_number": "300",
            "mqtt.prop_string_raw": ["0102", 33, 2, 0, 26], "mqtt.prop_string": "\u{1}\u{2}"
        })
    }

    #[test]
    fn reads_the_properties_in_wire_order_from_their_offsets() {
        assert_eq!(
            shown_properties(&subtree()).unwrap(),
            [
                "4 properties",
                "0x26 (\"k\", \"v\")",
                "0x11 300",
                "0x26 (\"k\", \"w\")",
                "0x09 0102"
            ]
        );
    }

    #[test]
    fn shows_an_odd_property_as_its_fields_and_refuses_a_subtree_without_offsets() {
        // As tshark 4.0.17 shows the block `01 7f`: the unknown property's field has no offset.
        let unknown = json!({"mqtt.property_len_raw": ["01", 2, 1, 0, 11], "mqtt.property_len": "1",
            "mqtt.property_id_raw": ["7f", 3, 1, 0, 4], "mqtt.property_id": "0x7f",
            "mqtt.prop_unknown": "Unknown Property"});
        assert_eq!(
            shown_properties(&unknown).unwrap(),
            [
                "1 properties",
                "0x7f mqtt.prop_unknown=\"Unknown Property\""
            ]
        );
        let mut bare = subtree();
        bare.as_object_mut()
            .unwrap()
            .retain(|k, _| !k.ends_with("_raw"));
        assert!(shown_properties(&bare)
            .unwrap_err()
            .contains("tshark with -x"));
    }
}
