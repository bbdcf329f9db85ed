"""Adapter-protocol wrapper (vectors/README.md, "Adapter protocol") around the Python `mqtt5`
package, version 0.8.0 (a compiled wheel: a Rust codec behind PyO3), MQTT 5.0 only.

`mqtt5.read(buffer)` gives the first packet and the bytes it used:
- a packet: `valid`, with those bytes;
- `IndexError` ("Not enough bytes"): `incomplete`;
- `ValueError` (the library's refusal: bad reason code, malformed packet, ...): `invalid`,
  kind `unknown` (its errors are messages), with the message;
- any other exception: `crash`.
Only 5.0 requests are taken; the adapter declares the feature "5.0" and not "context" (the
library takes no negotiated limits), so the runner skips and counts the vectors with a
context. Encoding is not offered.

What it cannot express: properties are attributes with defaults, not a list, so
- a property is reported only when its value differs from the library's default (Receive
  Maximum 65535, Maximum QoS 2, the "available" flags 1, Request Problem Information 1,
  Session Expiry Interval, Topic Alias Maximum, Payload Format Indicator and Will Delay
  Interval 0): a vector that sends a property with its default value fails on the model;
- properties are listed in ascending identifier order, the User Properties last in their
  wire order: a vector whose properties come in another order fails on the model;
- a duplicate property or a second Subscription Identifier in SUBSCRIBE leaves one value.
The short forms of the acknowledgements, DISCONNECT and AUTH are told apart by the Remaining
Length of the bytes the library used (python-common/mqtt5_model.py, `short_form`).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))

import mqtt5  # noqa: E402
from mqtt5_model import prop, reason, remaining_length, serve, short_form  # noqa: E402

VERSION = "mqtt5"


def props(p, fields):
    """Properties in identifier order from (identifier, attribute, default) triples, then the
    User Properties."""
    out = []
    for identifier, attribute, default in fields:
        value = getattr(p, attribute, None)
        if value is None or (default is not None and value == default):
            continue
        if isinstance(value, list):
            out.extend(prop(identifier, v) for v in value)
        else:
            out.append(prop(identifier, int(value) if isinstance(value, bool) else value))
    out.extend(prop(38, pair) for pair in p.user_properties)
    return out


WILL = [
    (1, "payload_format_indicator", 0),
    (2, "message_expiry_interval", None),
    (3, "content_type", None),
    (8, "response_topic", None),
    (9, "correlation_data", None),
    (24, "will_delay_interval", 0),
]
CONNECT = [
    (17, "session_expiry_interval", 0),
    (21, "authentication_method", None),
    (22, "authentication_data", None),
    (23, "request_problem_info", True),
    (25, "request_response_info", False),
    (33, "receive_max", 65535),
    (34, "topic_alias_max", 0),
    (39, "max_packet_size", None),
]
CONNACK = [
    (17, "session_expiry_interval", None),
    (18, "assigned_client_id", None),
    (19, "server_keep_alive", None),
    (21, "authentication_method", None),
    (22, "authentication_data", None),
    (26, "response_info", None),
    (28, "server_reference", None),
    (31, "reason_str", None),
    (33, "receive_max", 65535),
    (34, "topic_alias_max", 0),
    (36, "max_qos", 2),
    (37, "retain_available", True),
    (39, "max_packet_size", None),
    (40, "wildcard_subscription_available", True),
    (41, "subscription_id_available", True),
    (42, "shared_subscription_available", True),
]
PUBLISH = [
    (1, "payload_format_indicator", 0),
    (2, "message_expiry_interval", None),
    (3, "content_type", None),
    (8, "response_topic", None),
    (9, "correlation_data", None),
    (11, "subscription_ids", None),
    (35, "topic_alias", None),
]
REASON_ONLY = [(31, "reason_str", None)]
DISCONNECT = [(17, "session_expiry_interval", None), (28, "server_reference", None), (31, "reason_str", None)]
AUTH = [(21, "authentication_method", None), (22, "authentication_data", None), (31, "reason_str", None)]
SUBSCRIBE = [(11, "subscription_id", None)]


def to_model(p, consumed):
    name = type(p).__name__
    rl = remaining_length(consumed)
    if name == "ConnectPacket":
        will = None
        if p.will is not None:
            w = p.will
            will = {
                "properties": props(w, WILL),
                "topic": w.topic,
                "message": bytes(w.payload or b"").hex(),
                "qos": int(w.qos),
                "retain": w.retain,
            }
        return {
            "type": "CONNECT",
            "protocol_name": "MQTT",
            "protocol_level": 5,
            "clean_start": p.clean_start,
            "keep_alive": p.keep_alive,
            "properties": props(p, CONNECT),
            "client_id": p.client_id,
            "will": will,
            "username": p.username,
            "password": None if p.password is None else bytes(p.password).hex(),
        }
    if name == "ConnAckPacket":
        return {
            "type": "CONNACK",
            "session_present": p.session_present,
            "reason_code": reason("CONNACK", p.reason_code),
            "properties": props(p, CONNACK),
        }
    if name == "PublishPacket":
        return {
            "type": "PUBLISH",
            "dup": p.duplicate,
            "qos": int(p.qos),
            "retain": p.retain,
            "topic": p.topic,
            "packet_id": p.packet_id if int(p.qos) > 0 else None,
            "properties": props(p, PUBLISH),
            "payload": bytes(p.payload).hex(),
        }
    acks = {"PubAckPacket": "PUBACK", "PubRecPacket": "PUBREC", "PubRelPacket": "PUBREL", "PubCompPacket": "PUBCOMP"}
    if name in acks:
        t = acks[name]
        model = {"type": t, "packet_id": p.packet_id}
        model.update(short_form(t, rl, p.reason_code, props(p, REASON_ONLY)))
        return model
    if name == "SubscribePacket":
        return {
            "type": "SUBSCRIBE",
            "packet_id": p.packet_id,
            "properties": props(p, SUBSCRIBE),
            "subscriptions": [
                {
                    "filter": f.pattern,
                    "qos": int(f.max_qos),
                    "no_local": f.no_local,
                    "retain_as_published": f.retain_as_published,
                    "retain_handling": int(f.retain_handling),
                }
                for f in p.topic_filters
            ],
        }
    if name in ("SubAckPacket", "UnsubAckPacket"):
        t = "SUBACK" if name == "SubAckPacket" else "UNSUBACK"
        return {
            "type": t,
            "packet_id": p.packet_id,
            "properties": props(p, REASON_ONLY),
            "reason_codes": [reason(t, c) for c in p.reason_codes],
        }
    if name == "UnsubscribePacket":
        return {"type": "UNSUBSCRIBE", "packet_id": p.packet_id, "properties": props(p, []), "filters": list(p.patterns)}
    if name == "PingReqPacket":
        return {"type": "PINGREQ"}
    if name == "PingRespPacket":
        return {"type": "PINGRESP"}
    if name in ("DisconnectPacket", "AuthPacket"):
        t = "DISCONNECT" if name == "DisconnectPacket" else "AUTH"
        model = {"type": t}
        model.update(short_form(t, rl, p.reason_code, props(p, DISCONNECT if t == "DISCONNECT" else AUTH)))
        return model
    raise TypeError("unknown packet class %s" % name)


def decode(buf):
    try:
        packet, consumed = mqtt5.read(buf)
    except IndexError:
        return {"result": "incomplete"}
    except ValueError as e:
        return {"result": "invalid", "error": {"kind": "unknown", "message": str(e)}}
    return {"result": "valid", "consumed": consumed, "packet": to_model(packet, consumed)}


if __name__ == "__main__":
    serve(sys.modules[__name__])
