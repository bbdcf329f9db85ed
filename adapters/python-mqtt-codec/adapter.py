"""Adapter-protocol wrapper (vectors/README.md, "Adapter protocol") around the Python
`mqtt-codec` package, version 1.0.2, this codec's predecessor.

One JSON request per line on standard input, one answer per line on standard output;
`adapter.py --version` prints the installed version of `mqtt-codec`.

How the library's outcomes are reported:
- a packet: `valid`, with the bytes `decode` says it consumed;
- `mqtt_codec.io.UnderflowDecodeError`: `incomplete` (the library's word for "the stream
  ended before the packet did", even when the whole frame was there);
- any other `mqtt_codec.io.DecodeError`: `invalid`, kind `unknown` (the library's errors are
  messages, not kinds), with the message;
- any other exception (an `AssertionError` inside a constructor, ...): `crash`, with the
  exception's type and message. The adapter goes on with the next request.

What it cannot express: the password is decoded as UTF-8 text (so a non-UTF-8 password is
refused, and a valid one is reported as the hex of its UTF-8 bytes); a QoS 0 PUBLISH has
packet id 0 in the library, reported as `null`.
"""

import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))

from adapter_loop import crash, run  # noqa: E402

from mqtt_codec import packet as mp  # noqa: E402
from mqtt_codec.io import BytesReader, DecodeError, UnderflowDecodeError  # noqa: E402

CLASSES = {
    mp.MqttControlPacketType.connect: mp.MqttConnect,
    mp.MqttControlPacketType.connack: mp.MqttConnack,
    mp.MqttControlPacketType.publish: mp.MqttPublish,
    mp.MqttControlPacketType.puback: mp.MqttPuback,
    mp.MqttControlPacketType.pubrec: mp.MqttPubrec,
    mp.MqttControlPacketType.pubrel: mp.MqttPubrel,
    mp.MqttControlPacketType.pubcomp: mp.MqttPubcomp,
    mp.MqttControlPacketType.subscribe: mp.MqttSubscribe,
    mp.MqttControlPacketType.suback: mp.MqttSuback,
    mp.MqttControlPacketType.unsubscribe: mp.MqttUnsubscribe,
    mp.MqttControlPacketType.unsuback: mp.MqttUnsuback,
    mp.MqttControlPacketType.pingreq: mp.MqttPingreq,
    mp.MqttControlPacketType.pingresp: mp.MqttPingresp,
    mp.MqttControlPacketType.disconnect: mp.MqttDisconnect,
}


def text_bytes(value):
    """The library gives text fields as str (and the password too)."""
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8")


def to_model(p):
    """The suite's JSON packet model of a decoded packet."""
    t = mp.MqttControlPacketType
    kind = p.packet_type
    if kind == t.connect:
        will = None
        if p.will is not None:
            will = {
                "topic": p.will.topic,
                "message": p.will.message.hex(),
                "qos": p.will.qos,
                "retain": p.will.retain,
            }
        return {
            "type": "CONNECT",
            "protocol_name": "MQTT",
            "protocol_level": 4,
            "clean_session": p.clean_session,
            "keep_alive": p.keep_alive,
            "client_id": p.client_id,
            "will": will,
            "username": p.username,
            "password": None if p.password is None else text_bytes(p.password).hex(),
        }
    if kind == t.connack:
        return {
            "type": "CONNACK",
            "session_present": p.session_present,
            "return_code": int(p.return_code),
        }
    if kind == t.publish:
        return {
            "type": "PUBLISH",
            "dup": p.dupe,
            "qos": p.qos,
            "retain": p.retain,
            "topic": p.topic,
            "packet_id": p.packet_id if p.qos > 0 else None,
            "payload": p.payload.hex(),
        }
    if kind in (t.puback, t.pubrec, t.pubrel, t.pubcomp, t.unsuback):
        return {"type": kind.name.upper(), "packet_id": p.packet_id}
    if kind == t.subscribe:
        return {
            "type": "SUBSCRIBE",
            "packet_id": p.packet_id,
            "subscriptions": [{"filter": s.name, "qos": s.max_qos} for s in p.topics],
        }
    if kind == t.suback:
        return {
            "type": "SUBACK",
            "packet_id": p.packet_id,
            "return_codes": [int(r) for r in p.results],
        }
    if kind == t.unsubscribe:
        return {"type": "UNSUBSCRIBE", "packet_id": p.packet_id, "filters": list(p.topics)}
    return {"type": kind.name.upper()}


def from_model(m):
    """A library packet built from the JSON model, for encoding."""
    kind = m["type"]
    if kind == "CONNECT":
        will = None
        if m["will"] is not None:
            w = m["will"]
            will = mp.MqttWill(w["qos"], w["topic"], bytes.fromhex(w["message"]), w["retain"])
        password = None
        if m["password"] is not None:
            # The library writes the password as UTF-8 text.
            password = bytes.fromhex(m["password"]).decode("utf-8")
        return mp.MqttConnect(
            m["client_id"], m["clean_session"], m["keep_alive"], m["username"], password, will
        )
    if kind == "CONNACK":
        return mp.MqttConnack(m["session_present"], mp.ConnackResult(m["return_code"]))
    if kind == "PUBLISH":
        return mp.MqttPublish(
            m["packet_id"] or 0,
            m["topic"],
            bytes.fromhex(m["payload"]),
            m["dup"],
            m["qos"],
            m["retain"],
        )
    simple = {
        "PUBACK": mp.MqttPuback,
        "PUBREC": mp.MqttPubrec,
        "PUBREL": mp.MqttPubrel,
        "PUBCOMP": mp.MqttPubcomp,
        "UNSUBACK": mp.MqttUnsuback,
    }
    if kind in simple:
        return simple[kind](m["packet_id"])
    if kind == "SUBSCRIBE":
        topics = [mp.MqttTopic(s["filter"], s["qos"]) for s in m["subscriptions"]]
        return mp.MqttSubscribe(m["packet_id"], topics)
    if kind == "SUBACK":
        results = [mp.SubscribeResult(c) for c in m["return_codes"]]
        return mp.MqttSuback(m["packet_id"], results)
    if kind == "UNSUBSCRIBE":
        return mp.MqttUnsubscribe(m["packet_id"], m["filters"])
    return {"PINGREQ": mp.MqttPingreq, "PINGRESP": mp.MqttPingresp, "DISCONNECT": mp.MqttDisconnect}[
        kind
    ]()


def decode(buf):
    try:
        _, header = mp.MqttFixedHeader.decode(BytesReader(buf))
        consumed, packet = CLASSES[header.packet_type].decode(BytesReader(buf))
    except UnderflowDecodeError:
        return {"result": "incomplete"}
    except DecodeError as e:
        return {"result": "invalid", "error": {"kind": "unknown", "message": str(e)}}
    return {"result": "valid", "consumed": consumed, "packet": to_model(packet)}


def encode(model):
    packet = from_model(model)
    out = io.BytesIO()
    packet.encode(out)
    return {"hex": out.getvalue().hex()}


def answer(request):
    if request.get("protocol", "3.1.1") != "3.1.1":
        return {"result": "unsupported"}
    try:
        if "encode" in request:
            try:
                return encode(request["encode"])
            except Exception as e:  # the library cannot build this packet
                return {"result": "unsupported", "reason": "%s: %s" % (type(e).__name__, e)}
        return decode(bytes.fromhex(request["hex"]))
    except Exception as e:
        return crash(e)


if __name__ == "__main__":
    run("mqtt-codec", answer)
