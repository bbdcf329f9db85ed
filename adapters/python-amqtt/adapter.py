"""Adapter-protocol wrapper (vectors/ADAPTER-PROTOCOL.md) around the packet classes of
`amqtt` 0.12.1 (PyPI), an asyncio MQTT 3.1.1 client and broker. MQTT 3.1.1 only; decode only
(an encode request is `unsupported`).

amqtt has no "decode this buffer" call: its reader loop (`ProtocolHandler._reader_loop`)
reads a fixed header from the connection's stream (`MQTTFixedHeader.from_stream`), closes
the connection on the reserved types 0 and 15, picks the class by type (`packet_class`) and
lets it read the rest from the same stream (`cls.from_stream(reader, fixed_header=...)`).
The adapter does exactly that over amqtt's own in-memory reader (`amqtt.adapters.BufferReader`,
a `BytesIO`), a fresh one per request, which ends where the request's bytes end
(ADAPTER-PROTOCOL.md section 5, "a stream-reading decoder with no framing"):
- a packet read: `valid`; `consumed` is the stream's position afterwards (what the library
  took from the stream; it does not read ahead, and nothing bounds its reads by the
  Remaining Length, so a packet may take fewer or more bytes than its frame);
- no fixed header at all (`from_stream` returns `None`), or `NoDataError` (amqtt's "the
  stream gave fewer bytes than asked", `ZeroLengthReadError` included): `incomplete`. Where
  the library itself catches `NoDataError` (a CONNECT payload field, a SUBSCRIBE, SUBACK or
  UNSUBSCRIBE list) it goes on with what it has, and the adapter reports the packet it
  returns;
- a reserved type (0 or 15), which the reader loop refuses before any class is picked, and
  the library's own error classes `MQTTError` (the reader loop's "message discarded"),
  `CodecError` and `AMQTTError`: `invalid`, kind `unknown` (the errors are messages), with
  the message;
- any other exception (`ValueError`, which amqtt raises only for its own "header is not set"
  states, `struct.error`, `IndexError`, ...): `crash`, with the class, message and line.

What the model cannot get from the library:
- an empty client id (or none: amqtt catches the end of the stream there) is replaced by a
  generated one and marked `client_id_is_random`; the adapter reports `""` then;
- text that is not UTF-8 is not refused: amqtt's `decode_string` returns the Python
  `repr` of the bytes (`"b'\\xff'"`), which the adapter reports as the text it got; the
  password is such a text too, reported as the hex of its UTF-8 bytes;
- a QoS 0 PUBLISH has no packet id (`None`): reported as `null`.
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))

from adapter_loop import crash, run  # noqa: E402

from amqtt.adapters import BufferReader  # noqa: E402
from amqtt.errors import AMQTTError, CodecError, MQTTError, NoDataError  # noqa: E402
from amqtt.mqtt import packet_class  # noqa: E402
from amqtt.mqtt.packet import RESERVED_0, RESERVED_15, MQTTFixedHeader  # noqa: E402

NAMES = {
    1: "CONNECT",
    2: "CONNACK",
    3: "PUBLISH",
    4: "PUBACK",
    5: "PUBREC",
    6: "PUBREL",
    7: "PUBCOMP",
    8: "SUBSCRIBE",
    9: "SUBACK",
    10: "UNSUBSCRIBE",
    11: "UNSUBACK",
    12: "PINGREQ",
    13: "PINGRESP",
    14: "DISCONNECT",
}

LOOP = asyncio.new_event_loop()


def to_model(p):
    """The suite's JSON packet model (vectors/README.md) of a decoded amqtt packet."""
    kind = NAMES[p.fixed_header.packet_type]
    vh, pl = p.variable_header, p.payload
    if kind == "CONNECT":
        will = None
        if vh.will_flag:
            message = pl.will_message
            will = {
                "topic": pl.will_topic,
                "message": None if message is None else bytes(message).hex(),
                "qos": vh.will_qos,
                "retain": vh.will_retain_flag,
            }
        return {
            "type": "CONNECT",
            "protocol_name": vh.proto_name,
            "protocol_level": vh.proto_level,
            "clean_session": vh.clean_session_flag,
            "keep_alive": vh.keep_alive,
            "client_id": "" if pl.client_id_is_random else pl.client_id,
            "will": will,
            "username": pl.username,
            "password": None if pl.password is None else pl.password.encode("utf-8").hex(),
        }
    if kind == "CONNACK":
        return {
            "type": "CONNACK",
            "session_present": bool(vh.session_parent),
            "return_code": vh.return_code,
        }
    if kind == "PUBLISH":
        return {
            "type": "PUBLISH",
            "dup": p.dup_flag,
            "qos": p.qos,
            "retain": p.retain_flag,
            "topic": vh.topic_name,
            "packet_id": vh.packet_id,
            "payload": bytes(pl.data).hex(),
        }
    if kind in ("PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK"):
        return {"type": kind, "packet_id": vh.packet_id}
    if kind == "SUBSCRIBE":
        return {
            "type": "SUBSCRIBE",
            "packet_id": vh.packet_id,
            "subscriptions": [{"filter": topic, "qos": qos} for topic, qos in pl.topics],
        }
    if kind == "SUBACK":
        return {"type": "SUBACK", "packet_id": vh.packet_id, "return_codes": list(pl.return_codes)}
    if kind == "UNSUBSCRIBE":
        return {"type": "UNSUBSCRIBE", "packet_id": vh.packet_id, "filters": list(pl.topics)}
    return {"type": kind}


async def read_packet(reader):
    """One packet from the stream, as amqtt's reader loop reads it; None at the end of it."""
    header = await MQTTFixedHeader.from_stream(reader)
    if header is None:
        return None
    if header.packet_type in (RESERVED_0, RESERVED_15):
        # The reader loop's own check, before any packet class is picked.
        raise MQTTError("reserved packet type %d" % header.packet_type)
    return await packet_class(header).from_stream(reader, fixed_header=header)


def decode(buf):
    reader = BufferReader(buf)
    try:
        packet = LOOP.run_until_complete(read_packet(reader))
    except NoDataError:
        return {"result": "incomplete"}
    except (MQTTError, CodecError, AMQTTError) as e:
        return {"result": "invalid", "error": {"kind": "unknown", "message": "%s: %s" % (type(e).__name__, e)}}
    if packet is None:
        return {"result": "incomplete"}
    consumed = reader._stream.tell()
    return {"result": "valid", "consumed": consumed, "packet": to_model(packet)}


def answer(request):
    if "features" in request:
        return {"features": []}
    if request.get("protocol", "3.1.1") != "3.1.1":
        return {"result": "unsupported", "reason": "the adapter takes 3.1.1 only"}
    if "encode" in request:
        return {"result": "unsupported", "reason": "the adapter does not encode"}
    try:
        return decode(bytes.fromhex(request["hex"]))
    except Exception as e:
        return crash(e)


if __name__ == "__main__":
    run("amqtt", answer)
