#!/usr/bin/env python3
"""Generate the MQTT 5.0 golden vectors (vectors/v5/*.json) from the standard's tables.

The expectations come from the tables of vectors/v5/DECISIONS.md (Table 2-4 with the packets
of each property, the reason code tables, the sections of each property), which this script
reads from the document itself, and from the rules of DECISIONS.md sections 3 to 8 written
out below. It never uses a codec. The hand-written vectors (the bug classes other
implementations shipped, CONNECT, SUBSCRIBE options, PUBLISH topics) are at the end, with
their bytes typed out.

`error.decided_at` is derived by vectors/tools/v5_decided_at.py (this script calls it), which
also cross-checks every value against completions of the prefixes.

Usage: v5_generate.py        write vectors/v5/*.json
       v5_generate.py --dry  print the counts only
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
V5 = os.path.join(HERE, "..", "v5")
DECISIONS = os.path.join(V5, "DECISIONS.md")

# ---------------------------------------------------------------------------------------------
# The tables, read from DECISIONS.md.


def read_tables():
    text = open(DECISIONS, encoding="utf-8").read()
    props = {}
    for m in re.finditer(r"^\| 0x([0-9A-F]{2}) \| `([a-z-]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|",
                         text, re.M):
        pid = int(m.group(1), 16)
        typ = {"Byte": "byte", "Four Byte": "u32", "Two Byte": "u16", "UTF-8 string": "str",
               "Binary": "bin", "Variable Byte Integer": "vbi",
               "UTF-8 string pair": "pair"}[m.group(3).strip()]
        where = m.group(4).strip()
        if where.startswith("every packet"):
            pk = ["CONNECT", "WILL", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
                  "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT",
                  "AUTH"]
        else:
            pk = [w.strip().split(" ")[0].upper() for w in where.split(",")]
        props[m.group(2)] = (pid, typ, pk)
    assert len(props) == 27, len(props)
    rcs = {}
    sec = text[text.index("### The reason code tables"):text.index("Clauses for `invalid-reason-code`")]
    for m in re.finditer(r"^\| ([A-Z, ]+) \| (0x.*) \|$", sec, re.M):
        table = {}
        for item in m.group(2).split(", "):
            v, n = item.split(" ")
            table[int(v, 16)] = n
        for p in m.group(1).split(", "):
            rcs[p.strip()] = table
    assert len(rcs) == 9, rcs.keys()
    at = text.index("Clauses for `invalid-reason-code`")
    rc_clause = dict(re.findall(r"([A-Z]+)\s+`(MQTT-3\.\d+\.\d-\d)`",
                                text[at:text.index("`session-present-with-error`", at)]))
    assert len(rc_clause) == 9, rc_clause
    sections = {}
    tab = text[text.index("| packet | sections |"):text.index("Exceptions, where")]
    for line in tab.split("\n")[2:]:
        if not line.startswith("|"):
            continue
        head, body = line.split("|")[1:3]
        pks = re.findall(r"([A-Z]+)(?: `([0-9.]+)\.`)?", head)
        names = re.findall(r"\.(\d+) ([a-z-]+)", body)
        # "CONNECT `3.1.2.11.`" or "PUBACK `3.4.2.2.`, PUBREC `3.5.2.2.`, ..."
        for pk, prefix in re.findall(r"([A-Z]+) `([0-9.]+)\.`", head):
            name = "WILL" if pk == "Will" else pk
            sections[name] = {n: f"{prefix}.{i}" for i, n in names}
        if "Will" in head:
            prefix = re.search(r"Will `([0-9.]+)\.`", head).group(1)
            sections["WILL"] = {n: f"{prefix}.{i}" for i, n in names}
        del pks
    prop_len = {}
    m = re.search(r"its end: the section of the packet's property length \((.*?)\)\.", text,
                  re.S)
    for sec_, pk in re.findall(r"`([0-9.]+)`\s+([A-Z][A-Za-z]+)", m.group(1)):
        prop_len["WILL" if pk == "Will" else pk] = sec_
    assert len(prop_len) == 14, prop_len
    return props, rcs, rc_clause, sections, prop_len


PROPS, RCS, RC_CLAUSE, SECTIONS, PROP_LEN = read_tables()
BY_ID = {v[0]: k for k, v in PROPS.items()}
PACKETS = ["CONNECT", "WILL", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
           "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT", "AUTH"]
FILE_OF = {"CONNECT": "connect", "WILL": "connect", "CONNACK": "connack", "PUBLISH": "publish",
           "PUBACK": "acks", "PUBREC": "acks", "PUBREL": "acks", "PUBCOMP": "acks",
           "SUBSCRIBE": "subscribe", "SUBACK": "suback", "UNSUBSCRIBE": "unsubscribe",
           "UNSUBACK": "unsuback", "DISCONNECT": "disconnect", "AUTH": "auth"}
DIRECTION = {"CONNECT": "client-to-server", "WILL": "client-to-server",
             "CONNACK": "server-to-client", "PUBLISH": "either", "PUBACK": "either",
             "PUBREC": "either", "PUBREL": "either", "PUBCOMP": "either",
             "SUBSCRIBE": "client-to-server", "SUBACK": "server-to-client",
             "UNSUBSCRIBE": "client-to-server", "UNSUBACK": "server-to-client",
             "DISCONNECT": "either", "AUTH": "either"}


def sec_of(pk, name):
    """The clause of a duplicate or a value rule (DECISIONS section 7)."""
    if pk == "PUBLISH" and name == "topic-alias":
        return "MQTT-3.3.2-8"
    return SECTIONS[pk][name]


def allowed(pk, name):
    return pk in PROPS[name][2]


def repeatable(pk, name):
    return name == "user-property" or (name == "subscription-identifier" and pk == "PUBLISH")


# ---------------------------------------------------------------------------------------------
# Bytes.


def vbi(n):
    out = bytearray()
    while True:
        b, n = n % 128, n // 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def u16(n):
    return n.to_bytes(2, "big")


def s16(t):
    b = t.encode("utf-8") if isinstance(t, str) else t
    return u16(len(b)) + b


SAMPLE = {"content-type": "text/plain", "response-topic": "reply/to", "correlation-data": "c0ffee",
          "assigned-client-identifier": "auto-7f", "authentication-method": "SCRAM-SHA-1",
          "authentication-data": "0a0b0c", "response-information": "resp/info",
          "server-reference": "other.example", "reason-string": "see log",
          "user-property": ["region", "eu"], "payload-format-indicator": 1,
          "message-expiry-interval": 3600, "subscription-identifier": 7,
          "session-expiry-interval": 120, "server-keep-alive": 30,
          "request-problem-information": 1, "will-delay-interval": 10,
          "request-response-information": 1, "receive-maximum": 20,
          "topic-alias-maximum": 10, "topic-alias": 3, "maximum-qos": 1, "retain-available": 1,
          "maximum-packet-size": 1048576, "wildcard-subscription-available": 1,
          "subscription-identifier-available": 1, "shared-subscription-available": 1}


def pbytes(name, value):
    pid, typ, _ = PROPS[name]
    out = bytes([pid])
    if typ == "byte":
        return out + bytes([value])
    if typ == "u16":
        return out + u16(value)
    if typ == "u32":
        return out + value.to_bytes(4, "big")
    if typ == "vbi":
        return out + vbi(value)
    if typ == "str":
        return out + s16(value)
    if typ == "bin":
        return out + s16(bytes.fromhex(value))
    return out + s16(value[0]) + s16(value[1])


def P(name, value=None):
    """A property: (model entry, bytes)."""
    if value is None:
        value = SAMPLE[name]
    return ({"id": PROPS[name][0], "name": name, "value": value}, pbytes(name, value))


def block(plist):
    body = b"".join(p[1] for p in plist)
    return vbi(len(body)) + body


# ---------------------------------------------------------------------------------------------
# Packet builders: each returns (wire, model, offsets) from parts. `raw` overrides the
# property block's bytes (its property length included) for malformed blocks.


def frame(b0, body):
    return bytes([b0]) + vbi(len(body)) + body


def connect(props=(), cid="dev-1", will=None, username=None, password=None, clean=True,
            keep=60, raw=None, wraw=None, flags=None):
    """`will`: dict(props, topic, message, qos, retain). Returns wire, model, offsets of the
    property block and the will property block."""
    f = (2 if clean else 0) | (0x80 if username is not None else 0) | \
        (0x40 if password is not None else 0)
    if will:
        f |= 4 | (will.get("qos", 0) << 3) | (0x20 if will.get("retain") else 0)
    if flags is not None:
        f = flags
    head = b"\x00\x04MQTT\x05" + bytes([f]) + u16(keep)
    pb = raw if raw is not None else block(props)
    body = head + pb + s16(cid)
    off = {"props": len(head)}
    model = {"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5,
             "clean_start": clean, "keep_alive": keep, "properties": [p[0] for p in props],
             "client_id": cid, "will": None, "username": username,
             "password": password}
    if will:
        wp = will.get("props", [])
        off["will_props"] = len(body)
        body += (wraw if wraw is not None else block(wp)) + s16(will["topic"]) + \
            s16(bytes.fromhex(will.get("message", "6f66666c696e65")))
        model["will"] = {"properties": [p[0] for p in wp], "topic": will["topic"],
                         "message": will.get("message", "6f66666c696e65"),
                         "qos": will.get("qos", 0), "retain": bool(will.get("retain"))}
    if username is not None:
        body += s16(username)
    if password is not None:
        body += s16(bytes.fromhex(password))
    w = frame(0x10, body)
    hl = len(w) - len(body)
    return w, model, {k: v + hl for k, v in off.items()}


def connack(props=(), rc=0, sp=False, raw=None):
    head = bytes([1 if sp else 0, rc])
    body = head + (raw if raw is not None else block(props))
    w = frame(0x20, body)
    hl = len(w) - len(body)
    return w, {"type": "CONNACK", "session_present": sp, "reason_code": rcm("CONNACK", rc),
               "properties": [p[0] for p in props]}, {"props": hl + 2, "rc": hl + 1}


def publish(props=(), topic="a/b", qos=0, pid=None, payload="6869", retain=False, dup=False,
            raw=None):
    if qos and pid is None:
        pid = 1
    head = s16(topic) + (u16(pid) if qos else b"")
    pl = bytes.fromhex(payload) if isinstance(payload, str) else payload
    body = head + (raw if raw is not None else block(props)) + pl
    b0 = 0x30 | (8 if dup else 0) | (qos << 1) | (1 if retain else 0)
    w = frame(b0, body)
    hl = len(w) - len(body)
    return w, {"type": "PUBLISH", "dup": dup, "qos": qos, "retain": retain, "topic": topic,
               "packet_id": pid if qos else None, "properties": [p[0] for p in props],
               "payload": payload if isinstance(payload, str) else pl.hex()}, \
        {"props": hl + len(head), "topic": hl}


ACK_B0 = {"PUBACK": 0x40, "PUBREC": 0x50, "PUBREL": 0x62, "PUBCOMP": 0x70}


def ack(t, props=(), rc=0, pid=1, form=4, raw=None):
    """form 2: packet id only; 3: and reason code; 4: and properties."""
    body = u16(pid)
    if form >= 3:
        body += bytes([rc])
    if form >= 4:
        body += raw if raw is not None else block(props)
    w = frame(ACK_B0[t], body)
    hl = len(w) - len(body)
    return w, {"type": t, "packet_id": pid, "reason_code": rcm(t, rc) if form >= 3 else None,
               "properties": [p[0] for p in props] if form >= 4 else None}, \
        {"props": hl + 3, "rc": hl + 2}


def sub_opts(qos=1, nl=False, rap=False, rh=0):
    return qos | (4 if nl else 0) | (8 if rap else 0) | (rh << 4)


def subscribe(props=(), subs=(("a/b", 1),), pid=1, raw=None):
    """subs: (filter, options byte)."""
    body = u16(pid) + (raw if raw is not None else block(props))
    items = []
    for filt, o in subs:
        body += s16(filt) + bytes([o])
        items.append({"filter": filt, "qos": o & 3, "no_local": bool(o & 4),
                      "retain_as_published": bool(o & 8), "retain_handling": (o >> 4) & 3})
    w = frame(0x82, body)
    hl = len(w) - len(body)
    return w, {"type": "SUBSCRIBE", "packet_id": pid, "properties": [p[0] for p in props],
               "subscriptions": items}, {"props": hl + 2}


def unsubscribe(props=(), filters=("a/b",), pid=1, raw=None):
    body = u16(pid) + (raw if raw is not None else block(props))
    for f in filters:
        body += s16(f)
    w = frame(0xA2, body)
    hl = len(w) - len(body)
    return w, {"type": "UNSUBSCRIBE", "packet_id": pid, "properties": [p[0] for p in props],
               "filters": list(filters)}, {"props": hl + 2}


def suback(t, props=(), codes=(1,), pid=1, raw=None):
    pb = raw if raw is not None else block(props)
    body = u16(pid) + pb + bytes(codes)
    w = frame(0x90 if t == "SUBACK" else 0xB0, body)
    hl = len(w) - len(body)
    return w, {"type": t, "packet_id": pid, "properties": [p[0] for p in props],
               "reason_codes": [rcm(t, c) for c in codes]}, \
        {"props": hl + 2, "codes": hl + 2 + len(pb)}


def disc_auth(t, props=(), rc=None, form=None, raw=None):
    """form 0: empty; 1: reason code only; 2: reason code and properties."""
    if form is None:
        form = 2
    if rc is None:
        rc = 0x18 if t == "AUTH" else 0
    body = b""
    if form >= 1:
        body += bytes([rc])
    if form >= 2:
        body += raw if raw is not None else block(props)
    w = frame(0xE0 if t == "DISCONNECT" else 0xF0, body)
    hl = len(w) - len(body)
    return w, {"type": t, "reason_code": rcm(t, rc) if form >= 1 else None,
               "properties": [p[0] for p in props] if form >= 2 else None}, \
        {"props": hl + 1, "rc": hl}


def rcm(t, v):
    return {"value": v, "name": RCS[t][v]}


def host(pk, plist=(), raw=None):
    """A packet of type `pk` holding the property block; WILL is a CONNECT's will."""
    if pk == "CONNECT":
        w, m, o = connect(plist, raw=raw)
    elif pk == "WILL":
        w, m, o = connect(will={"props": plist, "topic": "status/dev-1"}, wraw=raw)
        o = dict(o, props=o["will_props"])
    elif pk == "CONNACK":
        w, m, o = connack(plist, raw=raw)
    elif pk == "PUBLISH":
        w, m, o = publish(plist, raw=raw)
    elif pk in ACK_B0:
        w, m, o = ack(pk, plist, raw=raw)
    elif pk == "SUBSCRIBE":
        w, m, o = subscribe(plist, raw=raw)
    elif pk == "UNSUBSCRIBE":
        w, m, o = unsubscribe(plist, raw=raw)
    elif pk in ("SUBACK", "UNSUBACK"):
        w, m, o = suback(pk, plist, codes=(1,) if pk == "SUBACK" else (0,), raw=raw)
    else:
        w, m, o = disc_auth(pk, plist, raw=raw)
    return w, m, o["props"]


# ---------------------------------------------------------------------------------------------
# Vectors.

VECTORS = {}  # file name -> list
IDS = set()
REASON_BY_KIND = {}  # filled from error-kinds below


def hexs(b):
    return " ".join(f"{x:02x}" for x in b)


def direction_of(pk, packet, error, context):
    """Who may send the vector's packet, by the standard: the packet type (DIRECTION), narrowed
    by the context's `receiver` (DECISIONS.md section 6: the packet came from the other
    side), by MQTT-3.3.4-6 (a PUBLISH holding a Subscription Identifier comes from a server
    only) and by MQTT-3.14.2-2 (a DISCONNECT holding a Session Expiry Interval comes from a
    client only). A property is seen in the packet model, or, in a vector without one, as the
    field of its error; the error that shows one of these rules itself (`property-not-expected`)
    is the other side's, and its context's receiver says so."""
    receiver = (context or {}).get("receiver")
    if receiver == "server":
        return "client-to-server"
    if receiver == "client":
        return "server-to-client"
    ids = {p["id"] for p in (packet or {}).get("properties") or []}
    field = (error or {}).get("field") if (error or {}).get("kind") != "property-not-expected" \
        else None
    if pk == "PUBLISH" and (PROPS["subscription-identifier"][0] in ids or
                            field == "subscription-identifier"):
        return "server-to-client"
    if pk == "DISCONNECT" and (PROPS["session-expiry-interval"][0] in ids or
                               field == "session-expiry-interval"):
        return "client-to-server"
    return DIRECTION.get(pk or "", "either")


def add(file, idpart, desc, verdict, clauses, wire, packet=None, error=None, flags=(),
        context=None, direction=None, pk=None):
    vid = f"v5-{file}-{idpart}"
    assert vid not in IDS, vid
    IDS.add(vid)
    v = {"id": vid, "description": desc,
         "direction": direction or direction_of(pk, packet, error, context),
         "verdict": verdict,
         "clauses": list(dict.fromkeys(clauses)),
         "flags": list(flags)}
    if context:
        v["context"] = context
    v["wire"] = wire if isinstance(wire, list) else hexs(wire)
    if packet is not None:
        v["packet"] = packet
    if verdict == "valid":
        v["canonical"] = True
    if packet is not None and verdict != "invalid":
        for c in implied_clauses(packet):
            if c not in v["clauses"]:
                v["clauses"].append(c)
    if verdict == "invalid" and pk in ("CONNECT", "WILL"):
        v["clauses"].append("MQTT-3.1.4-1")
    if error is not None:
        e = dict(error)
        if "reason_code" not in e:
            e["reason_code"] = REASON[e["kind"]]
        if e["clause"] not in v["clauses"]:
            v["clauses"].append(e["clause"])
        v["error"] = e
    VECTORS.setdefault(file, []).append(v)
    return v


def implied_clauses(m):
    """The general statements a valid packet satisfies by being well formed: it shows them
    valid (it cannot break them: that takes an invalid vector of its own)."""
    t = m["type"]
    out = []
    flag_clause = {"PUBREL": "MQTT-3.6.1-1", "SUBSCRIBE": "MQTT-3.8.1-1",
                   "UNSUBSCRIBE": "MQTT-3.10.1-1", "DISCONNECT": "MQTT-3.14.1-1",
                   "AUTH": "MQTT-3.15.1-1"}
    out.append("2.1.2")
    if t != "PUBLISH":
        out.append(flag_clause.get(t, "MQTT-2.1.3-1"))
    if t in ("PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBACK", "UNSUBACK"):
        out.append("2.2.1")
    if m.get("properties") is not None:
        out.append(PROP_LEN["WILL" if False else t])
    if t == "CONNECT" and m["will"]:
        out.append(PROP_LEN["WILL"])
    rc = (m.get("reason_code") or {}).get("value")
    if t in ("CONNACK", "DISCONNECT") and rc is not None and rc >= 0x80:
        out.append("MQTT-4.13.2-1")
        if rc in (0x81, 0x82):
            out.append("MQTT-4.13.1-1")
    if t in ("PUBLISH", "SUBSCRIBE", "UNSUBSCRIBE") or (t == "CONNECT" and m["will"]):
        out.append("MQTT-4.7.3-3")
    strings = []
    props = list(m.get("properties") or [])
    if t == "CONNECT":
        out += ["MQTT-3.1.2-1", "MQTT-3.1.2-2", "MQTT-3.1.2-3", "MQTT-3.1.3-3", "MQTT-3.1.3-4",
                "MQTT-3.1.4-1"]
        strings.append(m["client_id"])
        if m["will"] is None:
            out += ["MQTT-3.1.2-11", "MQTT-3.1.2-13"]
        else:
            props += m["will"]["properties"]
            out += ["MQTT-3.1.3-11", "MQTT-4.7.0-1", "MQTT-4.7.3-1", "MQTT-4.7.3-2"]
        if m["username"] is None:
            out.append("MQTT-3.1.2-16")
        else:
            out.append("MQTT-3.1.3-12")
            strings.append(m["username"])
    if t == "CONNACK":
        out += ["MQTT-3.2.2-1", "MQTT-3.2.2-6", "MQTT-3.2.2-8"]
    if t == "PUBLISH":
        out += ["MQTT-3.3.1-4", "MQTT-3.3.2-1", "MQTT-3.3.2-2", "MQTT-4.7.3-2"]
        if m["topic"]:
            out += ["MQTT-4.7.0-1", "MQTT-4.7.3-1"]
        if m["qos"] == 0:
            out += ["MQTT-2.2.1-2", "MQTT-3.3.1-2", "MQTT-4.3.1-1"]
        strings.append(m["topic"])
    if t in ("SUBSCRIBE", "UNSUBSCRIBE"):
        out += ["MQTT-3.8.3-2" if t == "SUBSCRIBE" else "MQTT-3.10.3-2",
                "MQTT-3.8.3-1" if t == "SUBSCRIBE" else "MQTT-3.10.3-1",
                "MQTT-4.7.1-1", "MQTT-4.7.1-2", "MQTT-4.7.3-1", "MQTT-4.7.3-2"]
        if t == "SUBSCRIBE":
            out.append("MQTT-3.8.3-5")
    for p in props:
        if p["name"] == "user-property":
            out.append("MQTT-1.5.7-1")
            strings += p["value"]
        elif p["name"] == "response-topic":
            out += ["MQTT-3.3.2-13", "MQTT-3.3.2-14"]
        elif p["name"] == "content-type":
            out.append("MQTT-3.3.2-19")
        if isinstance(p["value"], str) and PROPS[p["name"]][1] == "str":
            strings.append(p["value"])
    if m.get("properties") == [] or (t == "CONNECT" and m["will"] and
                                     m["will"]["properties"] == []):
        out.append("MQTT-2.2.2-1")
    if strings:
        out += ["MQTT-1.5.4-1", "MQTT-1.5.4-2"]
    return out


def err(kind, clause, offset, field=None, reason_code=None):
    e = {"kind": kind, "clause": clause}
    if field is not None:
        e["field"] = field
    e["offset"] = offset
    if reason_code is not None:
        e["reason_code"] = reason_code
    return e


# DECISIONS section 5, the reason code a receiver sends for each kind.
REASON = {}
for _k in ["invalid-packet-type", "invalid-flags", "invalid-qos", "remaining-length-too-long",
           "non-minimal-remaining-length", "invalid-remaining-length", "truncated",
           "trailing-bytes", "unflagged-field", "non-minimal-variable-byte-integer",
           "variable-byte-integer-too-long", "unknown-property", "property-not-allowed",
           "invalid-utf8", "null-character", "disallowed-code-point", "connect-reserved-flag",
           "invalid-will-qos", "connack-reserved-flags", "subscription-reserved-bits",
           "will-qos-without-will", "will-retain-without-will", "dup-with-qos0", "empty-topic",
           "wildcard-in-topic-name", "misplaced-multi-level-wildcard",
           "misplaced-single-level-wildcard", "invalid-shared-subscription",
           "invalid-reason-code"]:
    REASON[_k] = 0x81
for _k in ["duplicate-property", "invalid-property-value", "missing-authentication-method",
           "empty-topic-without-alias", "zero-packet-id", "no-topic-filters", "no-reason-codes",
           "session-present-with-error", "invalid-requested-qos", "invalid-retain-handling",
           "no-local-on-shared-subscription", "property-not-expected", "unexpected-auth"]:
    REASON[_k] = 0x82
REASON.update({"invalid-protocol-name": 0x84, "unsupported-protocol-level": 0x84,
               "packet-too-large": 0x95, "topic-alias-out-of-range": 0x94,
               "qos-not-supported": 0x9B, "retain-not-supported": 0x9A,
               "wildcard-subscriptions-not-supported": 0xA2,
               "shared-subscriptions-not-supported": 0x9E,
               "subscription-identifiers-not-supported": 0xA1, "payload-not-utf8": 0x99})


def file_prefix(pk):
    return "will-" if pk == "WILL" else ({"PUBACK": "puback-", "PUBREC": "pubrec-",
                                          "PUBREL": "pubrel-", "PUBCOMP": "pubcomp-"}
                                         .get(pk, ""))


def pfield(pk):
    return "will-properties" if pk == "WILL" else "properties"


def pname(pk):
    return "the Will Properties of CONNECT" if pk == "WILL" else pk


def with_method(pk, name, plist):
    """Authentication Data needs an Authentication Method before it in the block."""
    if name == "authentication-data":
        return [P("authentication-method")] + plist
    return plist


def gen_matrix():
    for pk in PACKETS:
        file = FILE_OF[pk]
        for name, (pid, typ, pks) in PROPS.items():
            if allowed(pk, name):
                plist = with_method(pk, name, [P(name)])
                w, m, o = host(pk, plist)
                add(file, f"{file_prefix(pk)}property-{name}",
                    f"{pname(pk)} with {name} (0x{pid:02x}), a property it may carry",
                    "valid", ["2.2.2.2", SECTIONS[pk][name]], w, m, pk=pk)
            else:
                plist = [P(name)]
                w, m, o = host(pk, plist)
                off = o + 1
                add(file, f"{file_prefix(pk)}property-{name}-not-allowed",
                    f"{pname(pk)} with {name} (0x{pid:02x}), a property of other packets",
                    "invalid", ["2.2.2.2"], w,
                    error=err("property-not-allowed", "2.2.2.2", off, pfield(pk)), pk=pk)


def gen_duplicates():
    for pk in PACKETS:
        file = FILE_OF[pk]
        for name in PROPS:
            if not allowed(pk, name):
                continue
            if repeatable(pk, name):
                vals = {"user-property": [["k", "1"], ["k", "2"], ["a", "1"]],
                        "subscription-identifier": [1, 268435455, 1]}[name]
                plist = [P(name, v) for v in vals]
                w, m, o = host(pk, plist)
                add(file, f"{file_prefix(pk)}property-{name}-repeated",
                    f"{pname(pk)} with {name} three times, a repeated value among them: all "
                    "kept in wire order", "valid", ["2.2.2.2", SECTIONS[pk][name]], w, m,
                    pk=pk)
                continue
            first = with_method(pk, name, [P(name)])
            plist = first + [P(name)]
            w, _, o = host(pk, plist)
            off = o + 1 + sum(len(p[1]) for p in first)
            add(file, f"{file_prefix(pk)}property-{name}-duplicate",
                f"{pname(pk)} with {name} twice: it may appear once", "invalid",
                [SECTIONS[pk][name]], w,
                error=err("duplicate-property", SECTIONS[pk][name], off, name), flags=[
                    "DuplicateProperty"], pk=pk)


BYTE_PROPS = ["payload-format-indicator", "request-problem-information",
              "request-response-information", "maximum-qos", "retain-available",
              "wildcard-subscription-available", "subscription-identifier-available",
              "shared-subscription-available"]


def gen_values():
    for pk in PACKETS:
        file = FILE_OF[pk]
        for name in BYTE_PROPS:
            if not allowed(pk, name):
                continue
            for v in (0, 1):
                if v == SAMPLE[name]:
                    continue
                w, m, o = host(pk, [P(name, v)])
                add(file, f"{file_prefix(pk)}property-{name}-{v}",
                    f"{pname(pk)} with {name} {v}", "valid", [SECTIONS[pk][name]], w, m, pk=pk)
            for v in (2, 0xFF):
                w, _, o = host(pk, [P(name, v)])
                add(file, f"{file_prefix(pk)}property-{name}-{v}",
                    f"{pname(pk)} with {name} {v}: only 0 or 1 are allowed", "invalid",
                    [sec_of(pk, name)], w,
                    error=err("invalid-property-value", sec_of(pk, name), o + 2, name),
                    flags=["OutOfRangeValue"], pk=pk)
        zero = {"receive-maximum": 65535, "maximum-packet-size": 268435460, "topic-alias": 65535,
                "subscription-identifier": 268435455}
        for name, top in zero.items():
            if not allowed(pk, name):
                continue
            for v in (1, top):
                w, m, o = host(pk, [P(name, v)])
                ctx, extra, why = None, [], ""
                if name == "topic-alias" and v == top:
                    # A Topic Alias is valid only up to the receiver's Topic Alias Maximum
                    # (MQTT-3.3.2-9 to -12): the largest one needs a maximum of 65,535, as the
                    # -within-maximum vectors carry theirs (DECISIONS.md section 6).
                    ctx = {"receiver": "server", "topic_alias_maximum": top}
                    extra = ["MQTT-3.3.2-12", "MQTT-3.2.2-17", "MQTT-3.3.2-9"]
                    why = f", to a server whose Topic Alias Maximum is {top}"
                add(file, f"{file_prefix(pk)}property-{name}-{v}",
                    f"{pname(pk)} with {name} {v}, at the edge of its range{why}", "valid",
                    [sec_of(pk, name)] + extra, w, m, flags=["LengthBoundary"], context=ctx,
                    pk=pk)
            w, _, o = host(pk, [P(name, 0)])
            e = err("invalid-property-value", sec_of(pk, name), o + 2, name)
            if name == "topic-alias":
                e["reason_code"] = 0x94
            add(file, f"{file_prefix(pk)}property-{name}-zero",
                f"{pname(pk)} with {name} 0, which the standard forbids", "invalid",
                [sec_of(pk, name)], w, error=e, flags=["ZeroValue"], pk=pk)
        # Four-byte values with no rule: 0 is legal.
        for name in ("message-expiry-interval", "session-expiry-interval", "will-delay-interval"):
            if allowed(pk, name):
                for v in (0, 0xFFFFFFFF):
                    w, m, o = host(pk, [P(name, v)])
                    add(file, f"{file_prefix(pk)}property-{name}-{v}",
                        f"{pname(pk)} with {name} {v}: any value is legal", "valid",
                        [SECTIONS[pk][name]], w, m, flags=["ZeroValue"] if v == 0 else [
                            "LengthBoundary"], pk=pk)
        # Authentication Data without Authentication Method.
        if allowed(pk, "authentication-data"):
            plist = [P("authentication-data"), P("user-property")]
            w, _, o = host(pk, plist)
            add(file, f"{file_prefix(pk)}authentication-data-without-method",
                f"{pname(pk)} with Authentication Data and no Authentication Method",
                "invalid", [sec_of(pk, "authentication-data")], w,
                error=err("missing-authentication-method", sec_of(pk, "authentication-data"),
                          o + 1, "authentication-data"), pk=pk)
            plist = [P("authentication-data"), P("authentication-method")]
            w, m, o = host(pk, plist)
            add(file, f"{file_prefix(pk)}authentication-data-before-method",
                f"{pname(pk)} with Authentication Data, then its Authentication Method: order "
                "inside the block is free", "valid", [sec_of(pk, "authentication-data")], w, m,
                pk=pk)


def gen_unknown_and_truncated():
    for pk in PACKETS:
        file = FILE_OF[pk]
        fp = file_prefix(pk)
        for pid in (0x00, 0x04, 0x2B, 0x7F, 0x80):
            raw = bytes([3, pid, 0, 0])
            w, _, o = host(pk, raw=raw)
            add(file, f"{fp}property-unknown-{pid:02x}",
                f"{pname(pk)} with property identifier 0x{pid:02x}, which is not in Table 2-4",
                "invalid", ["2.2.2.2"], w,
                error=err("unknown-property", "2.2.2.2", o + 1, pfield(pk)), pk=pk)
        # A property length that runs past the packet.
        w, _, o = host(pk, raw=bytes([0x7F]))
        add(file, f"{fp}property-length-past-packet",
            f"{pname(pk)} whose property length (127) runs past the packet", "invalid",
            [PROP_LEN[pk]], w, error=err("truncated", PROP_LEN[pk], o, pfield(pk)),
            flags=["LengthPrefixPastPacket"], pk=pk)
        # Non-minimal and five-byte property lengths.
        w, _, o = host(pk, raw=bytes([0x80, 0x00]))
        add(file, f"{fp}property-length-non-minimal",
            f"{pname(pk)} whose property length 0 is written in two bytes (80 00)", "invalid",
            ["MQTT-1.5.5-1"], w,
            error=err("non-minimal-variable-byte-integer", "MQTT-1.5.5-1", o, pfield(pk)),
            flags=["NonMinimalVariableByteInteger"], pk=pk)
        w, _, o = host(pk, raw=bytes([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]))
        add(file, f"{fp}property-length-five-bytes",
            f"{pname(pk)} whose property length has a continuation bit on its fourth byte",
            "invalid", ["1.5.5"], w,
            error=err("variable-byte-integer-too-long", "1.5.5", o, pfield(pk)), pk=pk)
        # The property length fits the packet, the last property does not fit the block.
        name = "user-property"
        prop = pbytes(name, ["key", "value"])
        raw = vbi(len(prop) - 3) + prop[:-3]
        w, _, o = host(pk, raw=raw)
        add(file, f"{fp}property-past-property-length",
            f"{pname(pk)} with a User Property whose value runs past the property length "
            "into the bytes after the block", "invalid", [PROP_LEN[pk]], w,
            error=err("truncated", PROP_LEN[pk], o + 1, name), flags=["TruncatedField"],
            pk=pk)


def gen_reason_codes():
    reserved = {"CONNACK": [0x01, 0x7F, 0x8B, 0xFF], "PUBACK": [0x01, 0x11, 0x81, 0xFF],
                "PUBREC": [0x04, 0x92, 0xFF], "PUBREL": [0x01, 0x10, 0x80, 0x91],
                "PUBCOMP": [0x01, 0x80, 0x93], "SUBACK": [0x03, 0x81, 0xA3, 0xFF],
                "UNSUBACK": [0x01, 0x10, 0x81, 0xFF], "DISCONNECT": [0x01, 0x05, 0x8A, 0xA3,
                                                                    0xFF],
                "AUTH": [0x01, 0x17, 0x1A, 0x80, 0xFF]}
    for pk, table in RCS.items():
        file = FILE_OF[pk]
        fp = file_prefix(pk)
        for v, n in table.items():
            if pk == "CONNACK":
                w, m, o = connack(rc=v)
            elif pk in ACK_B0:
                w, m, o = ack(pk, rc=v, form=3)
            elif pk in ("SUBACK", "UNSUBACK"):
                w, m, o = suback(pk, codes=[v])
            elif pk == "DISCONNECT":
                w, m, o = disc_auth(pk, rc=v, form=1)
            else:
                w, m, o = disc_auth(pk, rc=v, form=2)
            add(file, f"{fp}reason-{v:02x}-{n}", f"{pk} with reason code 0x{v:02x} ({n})",
                "valid", [RC_CLAUSE[pk]], w, m, pk=pk)
        for v in reserved[pk]:
            assert v not in table
            if pk == "CONNACK":
                w, _, o = connack(rc=0)
                w = w[:o["rc"]] + bytes([v]) + w[o["rc"] + 1:]
                off = o["rc"]
            elif pk in ACK_B0:
                w, _, o = ack(pk, rc=0, form=3)
                w = w[:o["rc"]] + bytes([v])
                off = o["rc"]
            elif pk in ("SUBACK", "UNSUBACK"):
                w, _, o = suback(pk, codes=[0])
                w = w[:o["codes"]] + bytes([v])
                off = o["codes"]
            else:
                w, _, o = disc_auth(pk, rc=0 if pk == "DISCONNECT" else 0x18, form=2)
                w = w[:o["rc"]] + bytes([v]) + w[o["rc"] + 1:]
                off = o["rc"]
            add(file, f"{fp}reason-{v:02x}-reserved",
                f"{pk} with reason code 0x{v:02x}, which its table does not list", "invalid",
                [RC_CLAUSE[pk]], w, error=err("invalid-reason-code", RC_CLAUSE[pk], off,
                                              "reason-code"), flags=["CorruptReasonCode"],
                pk=pk)
    # Several reason codes, one invalid in the middle.
    for pk in ("SUBACK", "UNSUBACK"):
        w, m, o = suback(pk, codes=[0, 0x80, 0])
        add(FILE_OF[pk], "reason-codes-three", f"{pk} with three reason codes", "valid",
            [RC_CLAUSE[pk]], w, m, pk=pk)
        w = w[:o["codes"] + 1] + b"\x05" + w[o["codes"] + 2:]
        add(FILE_OF[pk], "reason-codes-second-reserved",
            f"{pk} with three reason codes, the second 0x05 (reserved)", "invalid",
            [RC_CLAUSE[pk]], w, error=err("invalid-reason-code", RC_CLAUSE[pk], o["codes"] + 1,
                                          "reason-code"), flags=["CorruptReasonCode"], pk=pk)
        w, _, o = suback(pk, codes=[])
        add(FILE_OF[pk], "no-reason-codes", f"{pk} with a property block and no reason code",
            "invalid", [RC_CLAUSE[pk]], w, error=err("no-reason-codes", RC_CLAUSE[pk], len(w)),
            pk=pk)


def gen_short_forms():
    for pk in ACK_B0:
        fp = file_prefix(pk)
        rc = 0x10 if pk in ("PUBACK", "PUBREC") else 0x92
        cl = [RC_CLAUSE[pk], PROP_LEN[pk]]
        w, m, _ = ack(pk, form=2)
        add("acks", f"{fp}short-form-2", f"{pk} with Remaining Length 2: packet id only, reason "
            "Success", "valid", cl, w, m, flags=["ShortForm"], pk=pk)
        w, m, _ = ack(pk, rc=0, form=3)
        add("acks", f"{fp}short-form-3-success", f"{pk} with Remaining Length 3: reason code "
            "0x00 and no property length", "valid", cl, w, m, flags=["ShortForm"], pk=pk)
        w, m, _ = ack(pk, rc=rc, form=4)
        add("acks", f"{fp}form-4-empty-properties", f"{pk} with a reason code and an empty "
            "property block (Remaining Length 4)", "valid", cl, w, m, pk=pk)
        w, m, _ = ack(pk, rc=0, form=4)
        add("acks", f"{fp}form-4-success-empty-properties", f"{pk} reason 0x00 with an empty "
            "property block: the long form of the short one", "valid", cl, w, m, pk=pk)
        for rl in (0, 1):
            w = bytes([ACK_B0[pk], rl]) + (b"\x00" if rl else b"")
            add("acks", f"{fp}remaining-length-{rl}", f"{pk} with Remaining Length {rl}: the "
                "packet identifier is always present", "invalid", ["2.1.4"], w,
                error=err("invalid-remaining-length", "2.1.4", 1, "remaining-length"),
                flags=["RefusedFromHeader"], pk=pk)
        w, _, _ = ack(pk, form=2, pid=0)
        add("acks", f"{fp}packet-id-zero", f"{pk} with packet identifier 0", "invalid",
            ["2.2.1"], w, error=err("zero-packet-id", "2.2.1", 2, "packet-id"), pk=pk)
        w, _, _ = ack(pk, rc=0, form=4)
        w = bytes([w[0], w[1] + 1]) + w[2:] + b"\x00"
        add("acks", f"{fp}trailing-byte", f"{pk} with an empty property block and a byte after "
            "it", "invalid", ["2.1.4"], w, error=err("trailing-bytes", "2.1.4", len(w) - 1),
            flags=["TrailingBytes"], pk=pk)
    for pk in ("DISCONNECT", "AUTH"):
        file = FILE_OF[pk]
        w, m, _ = disc_auth(pk, form=0)
        add(file, "short-form-0", f"{pk} with Remaining Length 0: reason 0x00, no properties",
            "valid", [PROP_LEN[pk]], w, m, flags=["ShortForm"], pk=pk)
        w, m, _ = disc_auth(pk, rc=0, form=2)
        add(file, "form-2-success", f"{pk} with reason 0x00 and an empty property block",
            "valid", [PROP_LEN[pk]], w, m, pk=pk)
        w, _, _ = disc_auth(pk, rc=0, form=2)
        w = bytes([w[0], w[1] + 1]) + w[2:] + b"\x26"
        add(file, "trailing-byte", f"{pk} with an empty property block and a byte after it",
            "invalid", ["2.1.4"], w, error=err("trailing-bytes", "2.1.4", len(w) - 1),
            flags=["TrailingBytes"], pk=pk)
    w, m, _ = disc_auth("DISCONNECT", rc=0x04, form=1)
    add("disconnect", "short-form-1", "DISCONNECT with Remaining Length 1: a reason code, the "
        "property length taken as 0", "valid", ["3.14.2.2.1"], w, m, flags=["ShortForm"],
        pk="DISCONNECT")
    for rc in (0x00, 0x18, 0x19):
        w, m, _ = disc_auth("AUTH", rc=rc, form=1)
        add("auth", f"short-form-1-{rc:02x}", f"AUTH with Remaining Length 1 (reason 0x{rc:02x}, "
            "no property length): the standard allows the short form for DISCONNECT but says "
            "nothing of it for AUTH", "acceptable", ["3.15.2.1", "3.15.2.2.1"], w, m,
            error=dict(err("invalid-remaining-length", "2.1.4", 1, "remaining-length"),
                       reason_code=0x81), flags=["AuthShortForm"], pk="AUTH")


def gen_vbi():
    # Remaining Length of 1 to 4 bytes.
    for n in (0, 127, 128, 16383, 16384, 2097151, 2097152):
        plen = n - 6  # topic "a/b" (5) and an empty property block (1)
        if plen < 0:
            continue
        if plen <= 4096:
            payload = "61" * plen
            w, m, _ = publish(payload=payload)
            add("header", f"remaining-length-{n}", f"PUBLISH with Remaining Length {n} "
                f"({len(vbi(n))} byte(s))", "valid", ["1.5.5", "MQTT-1.5.5-1"], w, m,
                flags=["LengthBoundary"], pk="PUBLISH")
        else:
            head = bytes([0x30]) + vbi(n) + s16("a/b") + b"\x00"
            wire = [hexs(head), {"repeat": "61", "count": plen}]
            m = {"type": "PUBLISH", "dup": False, "qos": 0, "retain": False, "topic": "a/b",
                 "packet_id": None, "properties": [],
                 "payload": [{"repeat": "61", "count": plen}]}
            add("header", f"remaining-length-{n}", f"PUBLISH with Remaining Length {n} "
                f"({len(vbi(n))} bytes)", "valid", ["1.5.5", "MQTT-1.5.5-1"], wire, m,
                flags=["LengthBoundary"] + (["LargePacket"] if n > 1 << 20 else []),
                pk="PUBLISH")
    for n, padded in ((0, b"\x80\x00"), (6, b"\x86\x00"), (6, b"\x86\x80\x00"),
                      (127, b"\xff\x00"), (128, b"\x80\x81\x00")):
        w, _, _ = publish(payload="61" * (n - 6)) if n >= 6 else (None, None, None)
        if w is None:
            w = bytes([0xE0]) + padded
        else:
            w = bytes([w[0]]) + padded + w[1 + len(vbi(n)):]
        add("header", f"remaining-length-non-minimal-{padded.hex()}",
            f"Remaining Length {n} written as {hexs(padded)}", "invalid", ["MQTT-1.5.5-1"], w,
            error=err("non-minimal-remaining-length", "MQTT-1.5.5-1", len(padded),
                      "remaining-length"), flags=["NonMinimalRemainingLength"])
    add("header", "remaining-length-five-bytes", "PUBLISH whose Remaining Length has a "
        "continuation bit on its fourth byte", "invalid", ["1.5.5"],
        bytes.fromhex("30ffffffff7f"),
        error=err("remaining-length-too-long", "1.5.5", 4, "remaining-length"))
    add("header", "packet-type-0", "Packet type 0 is reserved", "invalid", ["2.1.2"],
        bytes.fromhex("0000"), error=err("invalid-packet-type", "2.1.2", 0))
    add("header", "packet-type-0-flags", "Packet type 0 with flags and a body", "invalid",
        ["2.1.2"], bytes.fromhex("0f0100"), error=err("invalid-packet-type", "2.1.2", 0))
    flag_clause = {"CONNECT": "MQTT-2.1.3-1", "CONNACK": "MQTT-2.1.3-1", "PUBACK": "MQTT-2.1.3-1",
                   "PUBREC": "MQTT-2.1.3-1", "PUBREL": "MQTT-3.6.1-1", "PUBCOMP": "MQTT-2.1.3-1",
                   "SUBSCRIBE": "MQTT-3.8.1-1", "SUBACK": "MQTT-2.1.3-1",
                   "UNSUBSCRIBE": "MQTT-3.10.1-1", "UNSUBACK": "MQTT-2.1.3-1",
                   "PINGREQ": "MQTT-2.1.3-1", "PINGRESP": "MQTT-2.1.3-1",
                   "DISCONNECT": "MQTT-3.14.1-1", "AUTH": "MQTT-3.15.1-1"}
    codes = {"CONNECT": 1, "CONNACK": 2, "PUBACK": 4, "PUBREC": 5, "PUBREL": 6, "PUBCOMP": 7,
             "SUBSCRIBE": 8, "SUBACK": 9, "UNSUBSCRIBE": 10, "UNSUBACK": 11, "PINGREQ": 12,
             "PINGRESP": 13, "DISCONNECT": 14, "AUTH": 15}
    good = {"PUBREL": 2, "SUBSCRIBE": 2, "UNSUBSCRIBE": 2}
    for t, c in codes.items():
        for fl in (1, 8, 0xF) if t not in good else (0, 3, 0xA):
            add("header", f"{t.lower()}-flags-{fl:x}", f"{t} with flags {fl:04b}, reserved "
                "bits that must be " + f"{good.get(t, 0):04b}", "invalid", [flag_clause[t]],
                bytes([(c << 4) | fl, 0]),
                error=err("invalid-flags", flag_clause[t], 0), flags=["ReservedBits"])
    for t in ("PINGREQ", "PINGRESP"):
        c = codes[t]
        add("ping", f"{t.lower()}", f"{t}: no body", "valid", ["2.1.4"],
            bytes([c << 4, 0]), {"type": t})
        add("ping", f"{t.lower()}-remaining-length-1", f"{t} with Remaining Length 1",
            "invalid", ["2.1.4"], bytes([c << 4, 1, 0]),
            error=err("invalid-remaining-length", "2.1.4", 1, "remaining-length"),
            flags=["RefusedFromHeader"])
        add("ping", f"{t.lower()}-remaining-length-padded", f"{t} with a padded Remaining Length "
            "80 00: a continuation byte already means at least 128", "invalid", ["2.1.4"],
            bytes([c << 4, 0x80, 0]),
            error=err("invalid-remaining-length", "2.1.4", 1, "remaining-length"),
            flags=["RefusedFromHeader"])
    # Property lengths of 1 to 4 bytes.
    for n in (0, 127, 128, 16383, 16384):
        if n == 0:
            plist = []
        else:
            # One User Property of n bytes: identifier, two length prefixes, key "k".
            vlen = n - 6
            plist = [P("user-property", ["k", "v" * vlen])]
        w, m, o = publish(plist)
        flags = ["LengthBoundary"]
        add("properties", f"property-length-{n}", f"PUBLISH whose property length is {n} "
            f"({len(vbi(n))} byte(s))", "valid", ["MQTT-1.5.5-1", "3.3.2.3.1"], w, m,
            flags=flags, pk="PUBLISH")
    for padded, plist in ((b"\x80\x80\x00", []), (b"\x80\x80\x80\x00", []),
                          (b"\x82\x00", [P("payload-format-indicator", 0)])):
        val = sum((b & 0x7F) << (7 * k) for k, b in enumerate(padded))
        w, _, o = publish(raw=padded + b"".join(p[1] for p in plist))
        add("properties", f"property-length-non-minimal-{padded.hex()}",
            f"PUBLISH whose property length {val} is written as {hexs(padded)}", "invalid",
            ["MQTT-1.5.5-1"], w, error=err("non-minimal-variable-byte-integer", "MQTT-1.5.5-1",
                                           o["props"], "properties"),
            flags=["NonMinimalVariableByteInteger"], pk="PUBLISH")
    w, _, o = publish(raw=b"\x80\x80\x80\x01")
    add("properties", "property-length-four-bytes-past-packet", "PUBLISH whose four-byte "
        "property length (2,097,152) runs past the packet", "invalid", ["3.3.2.3.1"], w,
        error=err("truncated", "3.3.2.3.1", o["props"], "properties"),
        flags=["LengthPrefixPastPacket"],
        pk="PUBLISH")
    # Subscription Identifiers of 1 to 4 bytes, in PUBLISH and SUBSCRIBE.
    for pk in ("PUBLISH", "SUBSCRIBE"):
        file = FILE_OF[pk]
        for v in (1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455):
            w, m, o = host(pk, [P("subscription-identifier", v)])
            add(file, f"subscription-identifier-{v}", f"{pk} with Subscription Identifier {v} "
                f"({len(vbi(v))} byte(s))", "valid", ["MQTT-1.5.5-1", SECTIONS[pk][
                    "subscription-identifier"]], w, m, flags=["LengthBoundary"], pk=pk)
        for enc in (b"\x81\x00", b"\x80\x01", b"\xff\x80\x00", b"\x80\x80\x80\x00"):
            body = b"\x0b" + enc
            w, _, o = host(pk, raw=vbi(len(body)) + body)
            vals = [(b & 0x7F) << (7 * k) for k, b in enumerate(enc)]
            minimal = enc[-1] != 0
            if minimal:
                add(file, f"subscription-identifier-{enc.hex()}", f"{pk} with Subscription "
                    f"Identifier {sum(vals)} written {hexs(enc)}", "valid",
                    ["MQTT-1.5.5-1", SECTIONS[pk]["subscription-identifier"]], w,
                    host(pk, [P("subscription-identifier", sum(vals))])[1], pk=pk)
                continue
            add(file, f"subscription-identifier-non-minimal-{enc.hex()}",
                f"{pk} with Subscription Identifier {sum(vals)} written {hexs(enc)}",
                "invalid", ["MQTT-1.5.5-1"], w,
                error=err("non-minimal-variable-byte-integer", "MQTT-1.5.5-1", o + 2,
                          "subscription-identifier"),
                flags=["NonMinimalVariableByteInteger"], pk=pk)
        body = b"\x0b\xff\xff\xff\xff\x7f"
        w, _, o = host(pk, raw=vbi(len(body)) + body)
        add(file, "subscription-identifier-five-bytes", f"{pk} with a Subscription Identifier "
            "whose fourth byte has the continuation bit", "invalid", ["1.5.5"], w,
            error=err("variable-byte-integer-too-long", "1.5.5", o + 2,
                      "subscription-identifier"), pk=pk)
        # Length miscounted: the identifier's continuation runs past the block.
        body = b"\x0b\x81"
        w, _, o = host(pk, raw=vbi(len(body)) + body)
        add(file, "subscription-identifier-past-block", f"{pk} whose property block ends inside "
            "a two-byte Subscription Identifier", "invalid", [PROP_LEN[pk]], w,
            error=err("truncated", PROP_LEN[pk], o + 1, "subscription-identifier"),
            flags=["TruncatedField"], pk=pk)


def main():
    gen_matrix()
    gen_duplicates()
    gen_values()
    gen_unknown_and_truncated()
    gen_reason_codes()
    gen_short_forms()
    gen_vbi()
    import v5_handwritten
    v5_handwritten.generate(sys.modules[__name__])
    import v5_decided_at
    problems = v5_decided_at.fill(VECTORS)
    counts = {}
    for f, vs in VECTORS.items():
        for v in vs:
            counts[v["verdict"]] = counts.get(v["verdict"], 0) + 1
    print(counts, sum(counts.values()))
    for p in problems:
        print("PROBLEM", p)
    if "--dry" in sys.argv:
        return 1 if problems else 0
    descriptions = {
        "connect": "CONNECT (section 3.1), its properties and Will Properties",
        "connack": "CONNACK (section 3.2)", "publish": "PUBLISH (section 3.3)",
        "acks": "PUBACK, PUBREC, PUBREL, PUBCOMP (sections 3.4 to 3.7)",
        "subscribe": "SUBSCRIBE (section 3.8)", "suback": "SUBACK (section 3.9)",
        "unsubscribe": "UNSUBSCRIBE (section 3.10)", "unsuback": "UNSUBACK (section 3.11)",
        "ping": "PINGREQ and PINGRESP (sections 3.12, 3.13)",
        "disconnect": "DISCONNECT (section 3.14)", "auth": "AUTH (section 3.15)",
        "header": "The fixed header: packet types, flags, Remaining Length (sections 1.5.5, 2.1)",
        "properties": "Property blocks: lengths of one to four bytes and the bugs other "
                      "implementations shipped (section 2.2.2)",
    }
    write_data_files(VECTORS)
    for f, vs in sorted(VECTORS.items()):
        doc = {"format_version": 2, "protocol": "5.0", "name": f,
               "description": descriptions[f], "vectors": vs}
        with open(os.path.join(V5, f + ".json"), "w", encoding="utf-8") as out:
            out.write(dump(doc))
    return 1 if problems else 0


def dump(doc):
    """JSON with one vector field per line and the packet and error on one line each."""
    lines = ["{"]
    head = [k for k in doc if k != "vectors"]
    for k in head:
        lines.append(f"  {json.dumps(k)}: {json.dumps(doc[k], ensure_ascii=False)},")
    lines.append('  "vectors": [')
    for i, v in enumerate(doc["vectors"]):
        lines.append("    {")
        items = list(v.items())
        for j, (k, val) in enumerate(items):
            comma = "," if j + 1 < len(items) else ""
            lines.append(f"      {json.dumps(k)}: {json.dumps(val, ensure_ascii=False)}{comma}")
        lines.append("    }" + ("," if i + 1 < len(doc["vectors"]) else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# The data files: clauses.json, flags.json, error-kinds.json.

UNBREAKABLE = {
    "MQTT-1.5.4-3": "It forbids stripping a U+FEFF, which only a decoder's output shows: valid "
                    "vectors keep it; no input breaks it.",
    "MQTT-2.2.1-2": "At QoS 0 the bytes after the property block are payload, so no byte string "
                    "carries a forbidden packet identifier; only an encoder can break it.",
    "MQTT-3.1.3-5": "A rule on what a server must allow: a client id of 1 to 23 letters and "
                    "digits is always well formed; no packet breaks it.",
    "MQTT-3.1.3-6": "An empty client id is well formed in 5.0 (DECISIONS.md section 2): the "
                    "server's answer is behaviour, not a property of the bytes.",
    "MQTT-4.7.3-3": "A two-byte length prefix cannot express more than 65,535 bytes: no byte "
                    "string breaks it.",
    "MQTT-4.13.1-1": "What a server does after a malformed packet (close): the vectors record the "
                     "reason code in error.reason_code; no packet breaks it by itself.",
    "MQTT-4.13.2-1": "Which reason codes close the connection: behaviour after the packet; "
                     "CONNACK and DISCONNECT vectors show every code as valid.",
    "MQTT-3.3.2-10": "A duty to accept: aliases within the maximum are valid vectors; an alias "
                     "above it breaks MQTT-3.3.2-11, not this.",
    "MQTT-3.3.2-12": "A duty to accept: aliases within the maximum are valid vectors; an alias "
                     "above it breaks MQTT-3.3.2-9, not this.",
}
SECTION_TOPIC = {"1.5.5": "Variable Byte Integer: at most four bytes",
                 "2.1.2": "Packet type: 0 is reserved (15 is AUTH in 5.0)",
                 "2.1.4": "Remaining Length: the body's exact size; fields past it, bytes left "
                          "over, lengths a type cannot have",
                 "2.2.1": "Packet Identifier of an acknowledgement: not 0",
                 "2.2.2.2": "Property identifiers: Table 2-4 only, each in its packets only",
                 "3.3.2.1": "PUBLISH Topic Name: empty only with a Topic Alias",
                 "3.8.3.1": "Subscription Options: QoS 3 and Retain Handling 3 are Protocol Errors",
                 "3.14.2.1": "DISCONNECT: Remaining Length 0 means Normal disconnection",
                 "3.15.2.1": "AUTH: Remaining Length 0 means Success with no properties",
                 "3.1.2.11.4": "Maximum Packet Size: the whole packet at most the value",
                 "3.3.2.3.4": "Topic Alias: not 0, at most the receiver's Topic Alias Maximum",
                 "3.2.2.3.11": "Wildcard Subscription Available 0: no wildcard filters",
                 "3.2.2.3.12": "Subscription Identifier Available 0: no Subscription Identifier",
                 "3.2.2.3.13": "Shared Subscription Available 0: no $share/ filters",
                 "3.3.2.3.2": "Payload Format Indicator: 0 or 1; with 1 the payload is UTF-8 "
                              "(a receiver may check)",
                 "3.1.3.2.3": "Will Payload Format Indicator: 0 or 1; with 1 the Will Message is "
                              "UTF-8 (a receiver may check)"}
CONTEXT_SECTIONS = {"3.1.2.11.4", "3.3.2.3.4", "3.2.2.3.11", "3.2.2.3.12", "3.2.2.3.13"}


def section_summary(sec):
    if sec in SECTION_TOPIC:
        return SECTION_TOPIC[sec]
    for pk, table in SECTIONS.items():
        for name, s in table.items():
            if s == sec:
                rule = {"byte": "0 or 1"}.get(PROPS[name][1], "")
                once = "may repeat" if repeatable(pk, name) else "at most once"
                extra = f"; {rule}" if rule and name in BYTE_PROPS else ""
                return f"{pname(pk)}: the {name} property (0x{PROPS[name][0]:02x}), {once}{extra}"
    for pk, s in PROP_LEN.items():
        if s == sec:
            return f"{pname(pk)}: the property length, a Variable Byte Integer; the block " \
                   "and each property within the packet"
    raise KeyError(sec)


def write_data_files(vectors):
    tsv = os.environ.get("MQTT5_STATEMENTS") or os.path.join(
        HERE, "..", "..", "..", "shared", "spec", "mqtt-5.0-statements.tsv")
    rows = [line.rstrip("\n").split("\t") for line in open(tsv, encoding="utf-8")][1:]
    used = {}
    for vs in vectors.values():
        for v in vs:
            for c in v["clauses"]:
                used.setdefault(c, {"valid": 0, "invalid": 0, "kinds": set()})
                used[c]["invalid" if v["verdict"] == "invalid" else "valid"] += 1
                if "error" in v and v["error"]["clause"] == c:
                    used[c]["kinds"].add(v["error"]["kind"])
    clauses = []
    for cid, cls, _text in rows:
        covered = cls in ("codec", "codec+context", "mixed")
        u = used.get(cid, {"valid": 0, "invalid": 0, "kinds": set()})
        if covered:
            kinds = ", ".join(sorted(u["kinds"]))
            summary = f"A wire rule ({cls})" + (f"; broken as {kinds}" if kinds else "") + "."
        else:
            summary = f"A rule of {cls}: it needs the session or the network, not one packet."
        entry = {"id": cid, "kind": "statement", "class": cls, "covered": covered,
                 "summary": summary}
        if cls == "codec+context":
            entry["note"] = "Checked under a vector's context (DECISIONS.md section 6)."
        if not covered:
            entry["note"] = "One packet cannot show it: it is about what a side does over the " \
                            "connection." if cls == "behaviour" else "About the transport."
        if cid in UNBREAKABLE:
            entry["unbreakable"] = UNBREAKABLE[cid]
        clauses.append(entry)
    ids = {r[0] for r in rows}
    for sec in sorted((c for c in used if c not in ids),
                      key=lambda s: [int(x) for x in s.split(".")]):
        entry = {"id": sec, "kind": "section",
                 "class": "codec+context" if sec in CONTEXT_SECTIONS else "codec",
                 "covered": True, "summary": section_summary(sec)}
        if sec in ("3.14.2.1", "3.15.2.1"):
            entry["unbreakable"] = "It gives an empty body a meaning: no byte string breaks it."
        if any(t.get("user-property") == sec for t in SECTIONS.values()):
            entry["unbreakable"] = "User Property may repeat in every packet that allows it; " \
                                   "its strings are broken under MQTT-1.5.7-1."
        clauses.append(entry)
    doc = {"format_version": 2, "protocol": "5.0",
           "source": "MQTT Version 5.0, OASIS Standard, 7 March 2019: the 251 numbered "
                     "statements (shared/spec/mqtt-5.0-statements.tsv) and the sections that "
                     "state a wire rule without a number (vectors/v5/DECISIONS.md)",
           "clauses": clauses}
    with open(os.path.join(V5, "clauses.json"), "w", encoding="utf-8") as out:
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
    flags = {
        "NonMinimalRemainingLength": "The Remaining Length is written in more bytes than its "
                                     "value needs: MQTT-1.5.5-1 forbids it in 5.0.",
        "NonMinimalVariableByteInteger": "A property length or Subscription Identifier is "
                                         "written in more bytes than its value needs "
                                         "(MQTT-1.5.5-1).",
        "ClientIdBeyondRequired": "The client id is outside what every server must allow "
                                  "(MQTT-3.1.3-5); well formed, the server decides.",
        "EmptyClientId": "A zero-length client id: well formed in 5.0, the server decides.",
        "LargePacket": "The packet is over 1 MiB; its wire bytes use repeat segments.",
        "Utf8Boundary": "Text with multi-byte, over-long, surrogate or cut UTF-8 sequences.",
        "LengthBoundary": "A length or value at the edge of its range (1 to 4 bytes of a "
                          "Variable Byte Integer, 0 or the largest value).",
        "TruncatedField": "A field or property runs past the end of its packet or block.",
        "LengthPrefixPastPacket": "A length prefix claims more bytes than are left.",
        "TrailingBytes": "Bytes are left over after the last field.",
        "ReservedBits": "A reserved bit is set.",
        "CorruptReasonCode": "A reason code outside the packet's table.",
        "RefusedFromHeader": "The fixed header declares a Remaining Length this type can never "
                             "have: refused from the header alone.",
        "DuplicateProperty": "A property that may appear once appears twice: decoders that keep "
                             "the last (or skip a 0) accept it.",
        "ZeroValue": "A property whose value is 0: forbidden for some (Receive Maximum, Maximum "
                     "Packet Size, Topic Alias, Subscription Identifier), legal for others "
                     "(Message Expiry Interval).",
        "OutOfRangeValue": "A byte property other than 0 or 1.",
        "ShortForm": "An acknowledgement, DISCONNECT or AUTH that leaves out its reason code "
                     "or property length (DECISIONS.md section 3).",
        "AuthShortForm": "AUTH with Remaining Length 1 (a reason code, no property length): the "
                         "standard allows this short form for DISCONNECT and the "
                         "acknowledgements but does not say so for AUTH; a receiver may accept "
                         "or refuse (DECISIONS.md section 3).",
    }
    with open(os.path.join(V5, "flags.json"), "w", encoding="utf-8") as out:
        json.dump({"format_version": 2, "description": "Flags a 5.0 vector may carry.",
                   "flags": flags}, out, indent=2)
        out.write("\n")
    text = open(DECISIONS, encoding="utf-8").read()
    meanings = {}
    for m in re.finditer(r"^\| `([a-z0-9-]+)` \| ([^|]+) \| ([^|]+) \|$", text, re.M):
        meanings[m.group(1)] = f"{m.group(2).strip()}. Offset: the first byte of " \
                               f"{m.group(3).strip()}."
    v311 = json.load(open(os.path.join(HERE, "..", "v311", "error-kinds.json"),
                          encoding="utf-8"))["kinds"]
    kinds = {}
    for k in sorted(REASON):
        meaning = meanings.get(k) or v311.get(k) or {
            "invalid-reason-code": "A reason code this packet's table does not list.",
            "no-reason-codes": "SUBACK or UNSUBACK without a reason code.",
        }.get(k)
        assert meaning, k
        kinds[k] = {"meaning": meaning, "reason_code": REASON[k]}
    with open(os.path.join(V5, "error-kinds.json"), "w", encoding="utf-8") as out:
        json.dump({"format_version": 2, "description": "The error kinds of 5.0 vectors "
                   "(DECISIONS.md section 4), each with the reason code a receiver sends by "
                   "default (section 5). A vector's error.reason_code may differ where a "
                   "section names another (Topic Alias 0: 0x94).", "kinds": kinds},
                  out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    sys.exit(main())
