//! What the two 5.0 codecs of rumqtt's lineage share: `mqttbytes` 0.6's `v5` module and the
//! fork of it in `rumqttc` 0.25's `v5::mqttbytes::v5` have the same packet structs with the
//! same fields, in two crates, so their converters to the model are written once, as a macro
//! over the module that holds the types ([`rumqtt_v5_converters!`]). What differs (where the
//! CONNECT keeps its will and login, AUTH, the ping variants) stays in each adapter's file.

use bytes::BytesMut;

/// The byte at `at` of what `write` puts in a buffer, or 0 where the crate writes the short
/// form (which means Success): these crates keep reason codes as enums without their
/// numbers, so the adapter has the crate write a packet with the reason and reads it back.
pub fn written(write: impl FnOnce(&mut BytesMut), at: usize) -> u8 {
    let mut out = BytesMut::new();
    write(&mut out);
    out.get(at).copied().unwrap_or(0)
}

/// Defines, in the adapter that calls it, the converter of a packet of the module `$wire` to
/// the 5.0 model: `fn $model($packet: &$wire::Packet, $rl: usize) -> Value`, which takes the
/// adapter's own arms (for the variants whose shape differs between the two crates: CONNECT,
/// the pings, AUTH) and adds those of every packet the two share, one converter each
/// (`connack`, `publish`, `puback`, `pubrec`, `pubrel`, `pubcomp`, `subscribe`, `suback`,
/// `unsubscribe`, `unsuback`, `disconnect`, and `connect` for the adapter's own CONNECT arm).
/// `$rl` is the Remaining Length, for the short forms (`v5::short_form`). Also `answer`,
/// which turns what the crate's `read` returned (errors of type `$error`) into the protocol's
/// answer.
///
/// ```ignore
/// use rumqttc::v5::mqttbytes::v5::{self as wire, Packet};
/// rumqtt_v5_converters! {
///     wire, rumqttc::v5::mqttbytes::Error;
///     fn model(packet, rl) {
///         Packet::Connect(c, will, login) => {
///             connect(c, will.as_ref(), login.as_ref(), 5, c.clean_start)
///         }
///         Packet::PingReq(_) => json!({"type": "PINGREQ"}),
///         // …
///     }
/// }
/// ```
///
/// Properties are a struct of optional fields per packet, so each list comes out in a fixed
/// order: ascending identifier, User Properties last in wire order.
#[macro_export]
macro_rules! rumqtt_v5_converters {
    (
        $wire:ident, $error:ty;
        fn $model:ident($packet:ident, $rl:ident) { $($arms:tt)* }
    ) => {
        fn $model($packet: &$wire::Packet, $rl: usize) -> ::serde_json::Value {
            match $packet {
                $($arms)*
                $wire::Packet::ConnAck(c) => connack(c),
                $wire::Packet::Publish(p) => publish(p),
                $wire::Packet::PubAck(a) => puback(a, $rl),
                $wire::Packet::PubRec(a) => pubrec(a, $rl),
                $wire::Packet::PubRel(a) => pubrel(a, $rl),
                $wire::Packet::PubComp(a) => pubcomp(a, $rl),
                $wire::Packet::Subscribe(s) => subscribe(s),
                $wire::Packet::SubAck(s) => suback(s),
                $wire::Packet::Unsubscribe(u) => unsubscribe(u),
                $wire::Packet::UnsubAck(u) => unsuback(u),
                $wire::Packet::Disconnect(d) => disconnect(d, $rl),
            }
        }

        /// What `read` made of the buffer, having split `consumed` bytes off it; `model` is
        /// the adapter's converter of a whole packet. Errors map to the suite's kinds only
        /// where the variant means exactly one.
        fn answer(
            read: Result<$wire::Packet, $error>,
            consumed: usize,
            model: fn(&$wire::Packet, usize) -> ::serde_json::Value,
        ) -> $crate::Answer {
            type E = $error;
            match read {
                Ok(packet) => $crate::Answer::Valid {
                    consumed,
                    packet: model(&packet, $crate::v5::remaining_length(consumed)),
                },
                Err(E::InsufficientBytes(_)) => $crate::Answer::Incomplete,
                Err(e) => $crate::Answer::Invalid {
                    kind: match e {
                        E::PacketIdZero => "zero-packet-id",
                        E::InvalidProtocol => "invalid-protocol-name",
                        E::TopicNotUtf8 => "invalid-utf8",
                        _ => "unknown",
                    },
                    message: format!("{e:?}"),
                },
            }
        }

        /// CONNECT, from the parts the crate holds (where they sit differs between the two).
        fn connect(
            c: &$wire::Connect,
            will: Option<&$wire::LastWill>,
            login: Option<&$wire::Login>,
            protocol_level: u8,
            clean_start: bool,
        ) -> ::serde_json::Value {
            use $crate::v5::{user_pairs, Props};
            use $crate::to_hex;
            use ::serde_json::json;
            let props = c.properties.as_ref().map_or(json!([]), |p| {
                Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(21, p.authentication_method.as_deref())
                    .binary(22, p.authentication_data.as_deref())
                    .num(23, p.request_problem_info)
                    .num(25, p.request_response_info)
                    .num(33, p.receive_maximum)
                    .num(34, p.topic_alias_max)
                    .num(39, p.max_packet_size)
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            json!({
                "type": "CONNECT", "protocol_name": "MQTT", "protocol_level": protocol_level,
                "clean_start": clean_start, "keep_alive": c.keep_alive,
                "properties": props, "client_id": c.client_id,
                "will": will.map(|w| json!({
                    "properties": w.properties.as_ref().map_or(json!([]), |p| Props::new()
                        .num(1, p.payload_format_indicator)
                        .num(2, p.message_expiry_interval)
                        .text(3, p.content_type.as_deref())
                        .text(8, p.response_topic.as_deref())
                        .binary(9, p.correlation_data.as_deref())
                        .num(24, p.delay_interval)
                        .users(user_pairs(&p.user_properties))
                        .done()),
                    // A `Bytes` in rumqttc, a `String` in mqttbytes (where this changes nothing).
                    "topic": String::from_utf8_lossy(w.topic.as_ref()),
                    "message": to_hex(&w.message), "qos": w.qos as u8, "retain": w.retain,
                })),
                // An empty user name or password reads as an absent one: `Login` holds both.
                "username": login.map(|l| l.username.as_str()).filter(|u| !u.is_empty()),
                "password": login.map(|l| l.password.as_str()).filter(|p| !p.is_empty())
                    .map(|p| to_hex(p.as_bytes())),
            })
        }

        fn connack(c: &$wire::ConnAck) -> ::serde_json::Value {
            use $crate::v5::{reason, user_pairs, Props};
            use ::serde_json::json;
            let code = $crate::rumqtt::written(
                |b| {
                    let _ = $wire::ConnAck {
                        session_present: false,
                        code: c.code,
                        properties: None,
                    }
                    .write(b);
                },
                3,
            );
            let props = c.properties.as_ref().map_or(json!([]), |p| {
                Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(18, p.assigned_client_identifier.as_deref())
                    .num(19, p.server_keep_alive)
                    .text(21, p.authentication_method.as_deref())
                    .binary(22, p.authentication_data.as_deref())
                    .text(26, p.response_information.as_deref())
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .num(33, p.receive_max)
                    .num(34, p.topic_alias_max)
                    .num(36, p.max_qos)
                    .num(37, p.retain_available)
                    .num(39, p.max_packet_size)
                    .num(40, p.wildcard_subscription_available)
                    .num(41, p.subscription_identifiers_available)
                    .num(42, p.shared_subscription_available)
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            json!({
                "type": "CONNACK", "session_present": c.session_present,
                "reason_code": reason("CONNACK", code), "properties": props,
            })
        }

        fn publish(p: &$wire::Publish) -> ::serde_json::Value {
            use $crate::v5::{user_pairs, Props};
            use ::serde_json::json;
            let props = p.properties.as_ref().map_or(json!([]), |q| {
                let mut list = Props::new();
                list.num(1, q.payload_format_indicator)
                    .num(2, q.message_expiry_interval)
                    .text(3, q.content_type.as_deref())
                    .text(8, q.response_topic.as_deref())
                    .binary(9, q.correlation_data.as_deref());
                for id in &q.subscription_identifiers {
                    list.num(11, Some(*id as u64));
                }
                list.num(35, q.topic_alias)
                    .users(user_pairs(&q.user_properties))
                    .done()
            });
            json!({
                "type": "PUBLISH", "dup": p.dup, "qos": p.qos as u8, "retain": p.retain,
                // A `Bytes` in rumqttc, a `String` in mqttbytes (where this changes nothing).
                "topic": String::from_utf8_lossy(p.topic.as_ref()),
                "packet_id": (p.qos as u8 > 0).then_some(p.pkid),
                "properties": props, "payload": $crate::to_hex(&p.payload),
            })
        }

        $crate::rumqtt_v5_converters!(@acks $wire;
            puback PubAck "PUBACK", pubrec PubRec "PUBREC",
            pubrel PubRel "PUBREL", pubcomp PubComp "PUBCOMP");

        fn subscribe(s: &$wire::Subscribe) -> ::serde_json::Value {
            use $crate::v5::{user_pairs, Props};
            use ::serde_json::json;
            let props = s.properties.as_ref().map_or(json!([]), |p| {
                Props::new()
                    .num(11, p.id.map(|id| id as u64))
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            json!({
                "type": "SUBSCRIBE", "packet_id": s.pkid, "properties": props,
                "subscriptions": s.filters.iter().map(|f| json!({
                    "filter": f.path, "qos": f.qos as u8, "no_local": f.nolocal,
                    "retain_as_published": f.preserve_retain,
                    "retain_handling": f.retain_forward_rule.clone() as u8,
                })).collect::<Vec<_>>(),
            })
        }

        $crate::rumqtt_v5_converters!(@lists $wire;
            suback SubAck "SUBACK" return_codes, unsuback UnsubAck "UNSUBACK" reasons);

        fn unsubscribe(u: &$wire::Unsubscribe) -> ::serde_json::Value {
            use $crate::v5::{user_pairs, Props};
            use ::serde_json::json;
            let props = u.properties.as_ref().map_or(json!([]), |p| {
                Props::new().users(user_pairs(&p.user_properties)).done()
            });
            json!({"type": "UNSUBSCRIBE", "packet_id": u.pkid, "properties": props, "filters": u.filters})
        }

        fn disconnect(d: &$wire::Disconnect, rl: usize) -> ::serde_json::Value {
            use $crate::v5::{user_pairs, with_reason, Props};
            let code = $crate::rumqtt::written(
                |b| {
                    let _ = $wire::Disconnect {
                        reason_code: d.reason_code,
                        properties: None,
                    }
                    .write(b);
                },
                2,
            );
            let props = d.properties.as_ref().map_or(::serde_json::json!([]), |p| {
                Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            with_reason("DISCONNECT", code, props, rl)
        }
    };
    // SUBACK and UNSUBACK: a list of reasons (named `$field`), each read back one at a time.
    (@lists $wire:ident; $($name:ident $ty:ident $packet:literal $field:ident),+) => {
        $(
            fn $name(s: &$wire::$ty) -> ::serde_json::Value {
                use $crate::v5::{reason, reason_props, user_pairs};
                use ::serde_json::json;
                let codes: Vec<::serde_json::Value> = s
                    .$field
                    .iter()
                    .map(|c| {
                        let code = $crate::rumqtt::written(
                            |b| {
                                let _ = $wire::$ty {
                                    pkid: 1,
                                    $field: vec![*c],
                                    properties: None,
                                }
                                .write(b);
                            },
                            5,
                        );
                        reason($packet, code)
                    })
                    .collect();
                let props = s.properties.as_ref().map_or(json!([]), |p| {
                    reason_props(p.reason_string.as_deref(), user_pairs(&p.user_properties))
                });
                json!({"type": $packet, "packet_id": s.pkid, "properties": props, "reason_codes": codes})
            }
        )+
    };
    // PUBACK, PUBREC, PUBREL and PUBCOMP: the same fields, four types.
    (@acks $wire:ident; $($name:ident $ty:ident $packet:literal),+) => {
        $(
            fn $name(a: &$wire::$ty, rl: usize) -> ::serde_json::Value {
                use $crate::v5::{ack, reason_props, user_pairs};
                let code = $crate::rumqtt::written(
                    |b| {
                        let _ = $wire::$ty {
                            pkid: 1,
                            reason: a.reason,
                            properties: None,
                        }
                        .write(b);
                    },
                    4,
                );
                let props = a.properties.as_ref().map_or(::serde_json::json!([]), |p| {
                    reason_props(p.reason_string.as_deref(), user_pairs(&p.user_properties))
                });
                ack($packet, a.pkid, code, props, rl)
            }
        )+
    };
}
