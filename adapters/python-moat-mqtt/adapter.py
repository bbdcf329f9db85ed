"""Adapter-protocol wrapper (vectors/README.md, "Adapter protocol") around `moat-lib-mqtt`
0.8.7 (MoaT's fork of mqttproto, pure Python), MQTT 5.0 only.

`moat.lib.mqtt._types.decode_packet(view)` decodes the first packet and returns the bytes
after it (the library's own client and broker state machines call it so):
- a packet: `valid`, consumed = the buffer's length less what is left;
- `InsufficientData`: `incomplete`;
- any other `MQTTException` (`MQTTDecodeError`, `MQTTProtocolError`, the unsupported
  property type, the packet too large), `InvalidPattern`, and the `ValueError` its attrs
  validators raise when a decoded value is not allowed (a reason code outside the packet's
  set): `invalid`, kind `unknown` (the errors are messages), with the message;
- any other exception, among them the `RuntimeError` the library raises when a body runs
  short ("this is a problem with our code, not an MQTT error", in its own words): `crash`.
Only 5.0 requests are taken; the adapter declares the feature "5.0" and not "context", so
the runner skips and counts the vectors with a context. Encoding is not offered.

What it cannot express:
- properties are a dict by type (insertion order: the wire order of each type's first
  occurrence) and User Properties a separate dict by key, so User Properties come last, and
  of a repeated key only the last value is kept (in the key's first place);
- a Payload Format Indicator of 1 in PUBLISH or a Will turns the payload into text (decoded
  with `surrogateescape`, turned back into bytes here) and moves the indicator to the end of
  the properties (the packet's constructor sets it again);
- the password is decoded as UTF-8 text, so a password that is not UTF-8 is refused;
- the short forms of the acknowledgements, DISCONNECT and AUTH are told apart by the
  Remaining Length of the bytes used (python-common/mqtt5_model.py, `short_form`).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))

from moat.lib.mqtt import _types as mt  # noqa: E402
from moat.lib.mqtt._exceptions import InsufficientData, InvalidPattern, MQTTException  # noqa: E402
from mqtt5_model import prop, reason, remaining_length, serve, short_form  # noqa: E402

VERSION = "moat-lib-mqtt"


def props(p):
    out = []
    for kind, value in p.properties.items():
        if isinstance(value, list):
            out.extend(prop(int(kind), v) for v in value)
        else:
            out.append(prop(int(kind), value))
    out.extend(prop(38, (k, v)) for k, v in p.user_properties.items())
    return out


def payload_hex(payload):
    if isinstance(payload, str):
        return payload.encode("utf-8", errors="surrogateescape").hex()
    return bytes(payload or b"").hex()


ACKS = {
    "MQTTPublishAckPacket": "PUBACK",
    "MQTTPublishReceivePacket": "PUBREC",
    "MQTTPublishReleasePacket": "PUBREL",
    "MQTTPublishCompletePacket": "PUBCOMP",
}


def to_model(p, consumed):
    name = type(p).__name__
    rl = remaining_length(consumed)
    if name == "MQTTConnectPacket":
        will = None
        if p.will is not None:
            w = p.will
            will = {
                "properties": props(w),
                "topic": w.topic,
                "message": payload_hex(w.payload),
                "qos": int(w.qos),
                "retain": w.retain,
            }
        return {
            "type": "CONNECT",
            "protocol_name": "MQTT",
            "protocol_level": 5,
            "clean_start": p.clean_start,
            "keep_alive": p.keep_alive,
            "properties": props(p),
            "client_id": p.client_id,
            "will": will,
            "username": p.username,
            "password": None if p.password is None else p.password.encode("utf-8").hex(),
        }
    if name == "MQTTConnAckPacket":
        return {
            "type": "CONNACK",
            "session_present": p.session_present,
            "reason_code": reason("CONNACK", p.reason_code),
            "properties": props(p),
        }
    if name == "MQTTPublishPacket":
        return {
            "type": "PUBLISH",
            "dup": p.duplicate,
            "qos": int(p.qos),
            "retain": p.retain,
            "topic": p.topic,
            "packet_id": p.packet_id,
            "properties": props(p),
            "payload": payload_hex(p.payload),
        }
    if name in ACKS:
        t = ACKS[name]
        model = {"type": t, "packet_id": p.packet_id}
        model.update(short_form(t, rl, p.reason_code, props(p)))
        return model
    if name == "MQTTSubscribePacket":
        return {
            "type": "SUBSCRIBE",
            "packet_id": p.packet_id,
            "properties": props(p),
            "subscriptions": [
                {
                    "filter": s.pattern.pattern,
                    "qos": int(s.max_qos),
                    "no_local": s.no_local,
                    "retain_as_published": s.retain_as_published,
                    "retain_handling": int(s.retain_handling),
                }
                for s in p.subscriptions
            ],
        }
    if name in ("MQTTSubscribeAckPacket", "MQTTUnsubscribeAckPacket"):
        t = "SUBACK" if name == "MQTTSubscribeAckPacket" else "UNSUBACK"
        return {
            "type": t,
            "packet_id": p.packet_id,
            "properties": props(p),
            "reason_codes": [reason(t, c) for c in p.reason_codes],
        }
    if name == "MQTTUnsubscribePacket":
        return {
            "type": "UNSUBSCRIBE",
            "packet_id": p.packet_id,
            "properties": props(p),
            "filters": [pattern.pattern for pattern in p.patterns],
        }
    if name == "MQTTPingRequestPacket":
        return {"type": "PINGREQ"}
    if name == "MQTTPingResponsePacket":
        return {"type": "PINGRESP"}
    if name in ("MQTTDisconnectPacket", "MQTTAuthPacket"):
        t = "DISCONNECT" if name == "MQTTDisconnectPacket" else "AUTH"
        model = {"type": t}
        model.update(short_form(t, rl, p.reason_code, props(p)))
        return model
    raise TypeError("unknown packet class %s" % name)


def decode(buf):
    view = memoryview(buf)
    try:
        rest, packet = mt.decode_packet(view)
    except InsufficientData:
        return {"result": "incomplete"}
    except (MQTTException, InvalidPattern, ValueError) as e:
        return {"result": "invalid", "error": {"kind": "unknown", "message": "%s: %s" % (type(e).__name__, e)}}
    consumed = len(buf) - len(rest)
    return {"result": "valid", "consumed": consumed, "packet": to_model(packet, consumed)}


if __name__ == "__main__":
    serve(sys.modules[__name__])
