#!/usr/bin/env python3
"""An adapter for the MQTT golden vectors (vectors/ADAPTER-PROTOCOL.md): a template.

Copy this file, set VERSION and FEATURES, and replace decode() and encode() with calls to
your library. Standard library only. Run it with
    mqtt-vectors run --impl "python3 adapter.py"           # or: --protocol 3.1.1

As it stands, decode() is a stand-in that knows only PINGREQ and PINGRESP and answers
"unsupported" to every other packet, so that the template runs end to end.
"""

import json
import sys

# `adapter.py --version` prints this line: your implementation's name and version.
VERSION = "example-decoder 0.0.0"
# "5.0": it takes requests with "protocol": "5.0". Add "context" once decode() applies
# request["context"] (the limits negotiated on the connection, vectors/v5/DECISIONS.md 6).
FEATURES = ["5.0"]


def decode(data, protocol, context):
    """Decode one packet from the start of `data` (bytes, possibly empty, possibly holding
    more than one packet) and return one of:
        {"result": "valid", "consumed": N, "packet": {...the JSON packet model...}}
        {"result": "invalid", "error": {"kind": "unknown", "message": "..."}}
        {"result": "incomplete"}
        {"result": "unsupported"}
    Catch only your library's ways of refusing input (-> invalid) and of asking for more
    (-> incomplete); let any other exception out: the loop below answers it as a crash.
    Binary fields in the packet are lower-case hex (bytes.hex()); absent fields are None."""
    # --- the stand-in: replace from here ---
    if len(data) == 0:
        return {"result": "incomplete"}
    name = {0xC0: "PINGREQ", 0xD0: "PINGRESP"}.get(data[0])
    if name is None:
        return {"result": "unsupported"}
    if len(data) == 1:
        return {"result": "incomplete"}
    if data[1] != 0:
        message = "%s with Remaining Length byte %02x" % (name, data[1])
        return {"result": "invalid", "error": {"kind": "unknown", "message": message}}
    return {"result": "valid", "consumed": 2, "packet": {"type": name}}
    # --- to here ---


def encode(packet, protocol, context):
    """The bytes of a JSON packet model, or None when the library cannot encode it."""
    # --- the stand-in: replace from here ---
    return {"PINGREQ": b"\xc0\x00", "PINGRESP": b"\xd0\x00"}.get(packet["type"])
    # --- to here ---


def answer(request):
    if "features" in request:
        return {"features": FEATURES}
    protocol = request.get("protocol", "3.1.1")
    if protocol != "3.1.1" and protocol not in FEATURES:
        return {"result": "unsupported"}
    context = request.get("context")
    try:
        if "encode" in request:
            data = encode(request["encode"], protocol, context)
            return {"result": "unsupported"} if data is None else {"hex": data.hex()}
        return decode(bytes.fromhex(request["hex"]), protocol, context)
    except Exception as e:  # not the library's way of refusing input: a crash
        return {"result": "crash", "reason": "%s: %s" % (type(e).__name__, e)}


def main():
    if sys.argv[1:2] == ["--version"]:
        print(VERSION)
        return
    # Standard output carries answers only: whatever the library prints goes to stderr.
    out, sys.stdout = sys.stdout, sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        reply = {"id": request.get("id")}
        reply.update(answer(request))
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
