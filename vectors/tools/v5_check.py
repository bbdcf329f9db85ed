#!/usr/bin/env python3
"""Standalone checker of the MQTT 5.0 vectors (vectors/v5/), standard library only, for CI
until the Rust lint reads format version 2.

Checks: every file's shape (format_version 2, protocol 5.0, name = file name, no unknown
field at any level of a file, a vector or an error); ids unique across v311 and v5, starting
with `v5-<file>-`, not retired; clauses, flags and error kinds known; each error's clause
among the vector's clauses, with kind, clause, offset, decided_at and reason_code; every
valid vector `canonical: true`; every wire of both versions one whole frame (fixed header +
Remaining Length = the wire's length) unless its error is about the framing itself (see
frame_problem); directions that agree with the context's receiver, MQTT-3.3.4-6 and
MQTT-3.14.2-2 (see direction_problem); property ids and names agree with DECISIONS.md's Table 2-4
(section 7); coverage:
- every codec, codec+context and mixed statement of the 5.0 TSV has a valid (or acceptable)
  vector and an invalid one, or is marked unbreakable; all 251 statements in clauses.json;
- every property x packet cell: valid where the packet allows it, refused
  (property-not-allowed) in at least one packet that does not; a duplicate-property vector
  for each single property, and the zero or out-of-range value rules;
- every reason code of every packet valid, and at least one reserved value refused per packet.

Prints each problem, then one last line `v5 vectors: N passed, N failed` (N vectors with and
without problems; problems not tied to a vector count as failures too).
"""

import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")

FILE_KEYS = {"format_version", "protocol", "name", "description", "vectors"}
VEC_KEYS = {"id", "description", "direction", "verdict", "clauses", "flags", "context", "wire",
            "packet", "canonical", "error"}
ERR_KEYS = {"kind", "clause", "field", "offset", "decided_at", "reason_code"}
CTX_KEYS = {"receiver", "maximum_packet_size", "topic_alias_maximum", "maximum_qos",
            "retain_available", "wildcard_subscription_available",
            "subscription_identifiers_available", "shared_subscription_available",
            "request_problem_information", "request_response_information",
            "authentication_method", "check_payload_utf8"}
PACKET_KEYS = {
    "CONNECT": {"protocol_name", "protocol_level", "clean_start", "keep_alive", "properties",
                "client_id", "will", "username", "password"},
    "CONNACK": {"session_present", "reason_code", "properties"},
    "PUBLISH": {"dup", "qos", "retain", "topic", "packet_id", "properties", "payload"},
    "SUBSCRIBE": {"packet_id", "properties", "subscriptions"},
    "SUBACK": {"packet_id", "properties", "reason_codes"},
    "UNSUBSCRIBE": {"packet_id", "properties", "filters"},
    "UNSUBACK": {"packet_id", "properties", "reason_codes"},
    "PINGREQ": set(), "PINGRESP": set(),
    "DISCONNECT": {"reason_code", "properties"}, "AUTH": {"reason_code", "properties"},
}
for _a in ("PUBACK", "PUBREC", "PUBREL", "PUBCOMP"):
    PACKET_KEYS[_a] = {"packet_id", "reason_code", "properties"}
PACKETS = ["CONNECT", "WILL", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
           "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT", "AUTH"]


def decisions_tables(v5dir):
    """Table 2-4 and the reason code tables, read from DECISIONS.md."""
    text = open(os.path.join(v5dir, "DECISIONS.md"), encoding="utf-8").read()
    props = {}
    for m in re.finditer(r"^\| 0x([0-9A-F]{2}) \| `([a-z-]+)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|",
                         text, re.M):
        where = m.group(3).strip()
        if where.startswith("every packet"):
            pks = set(PACKETS)
        else:
            pks = {w.strip().split(" ")[0].upper() for w in where.split(",")}
        once = not (m.group(2) == "user-property")
        props[int(m.group(1), 16)] = (m.group(2), pks, once)
    rcs = {}
    at = text.index("### The reason code tables")
    for m in re.finditer(r"^\| ([A-Z, ]+) \| (0x.*) \|$", text[at:], re.M):
        codes = {int(i.split(" ")[0], 16): i.split(" ")[1] for i in m.group(2).split(", ")}
        for p in m.group(1).split(", "):
            rcs[p.strip()] = codes
    return props, rcs


def wire_len(w):
    if isinstance(w, str):
        return len(bytes.fromhex(w.replace(" ", "")))
    n = 0
    for seg in w:
        n += len(bytes.fromhex(seg.replace(" ", ""))) if isinstance(seg, str) else \
            len(seg["repeat"]) // 2 * seg["count"]
    return n


def wire_head(w, n=5):
    """The wire's first n bytes (fewer when the wire is shorter), without expanding repeats."""
    out = bytearray()
    for seg in [w] if isinstance(w, str) else w:
        if len(out) >= n:
            break
        if isinstance(seg, str):
            out += bytes.fromhex(seg.replace(" ", ""))
        else:
            unit = bytes.fromhex(seg["repeat"])
            out += unit * min(seg["count"], n // max(len(unit), 1) + 1)
    return bytes(out[:n])


FRAMING_KINDS = {"invalid-packet-type"}


def frame_problem(v):
    """Why the vector's wire is not exactly one whole frame (fixed header + Remaining Length
    = the wire's length), or None. The one exception: a vector whose error (invalid, or the
    recorded refusal of an acceptable vector) is about the framing itself, that is whose
    `field` is `remaining-length` (a Remaining Length too long, non-minimal, one the type can
    never have, or over the Maximum Packet Size: the wire may stop after the header, as the
    RefusedFromHeader vectors do) or whose kind is `invalid-packet-type` (no frame is defined
    for a reserved type). No vector is several frames on purpose: the runner builds the
    three-copies stream itself (vectors/README.md, "What a runner checks")."""
    e = v.get("error")
    if e is not None and (e.get("field") == "remaining-length" or
                          e.get("kind") in FRAMING_KINDS):
        return None
    head = wire_head(v["wire"])
    total = wire_len(v["wire"])
    rl, mult = 0, 1
    for i in range(1, 5):
        if i >= len(head):
            return f"the wire ({total} bytes) ends inside the fixed header"
        rl += (head[i] & 0x7F) * mult
        mult *= 128
        if not head[i] & 0x80:
            frame = i + 1 + rl
            if frame != total:
                return (f"not one whole frame: the fixed header ({i + 1} bytes) and Remaining "
                        f"Length {rl} make {frame} bytes, the wire has {total}")
            return None
    return "the Remaining Length has a fifth byte, and the error is not about it"


def direction_problem(v):
    """Why the vector's direction contradicts the standard, or None: a context's `receiver`
    says who decodes, so the other side sent it (DECISIONS.md section 6); a PUBLISH holding
    a Subscription Identifier comes from a server only (MQTT-3.3.4-6); a DISCONNECT holding a
    Session Expiry Interval from a client only (MQTT-3.14.2-2). The property is seen in the
    packet model, or, in a vector without one, as its error's field (except
    property-not-expected, the error that shows the rule from the receiving side)."""
    d = v["direction"]
    receiver = (v.get("context") or {}).get("receiver")
    want = {"server": "client-to-server", "client": "server-to-client"}.get(receiver)
    if want and d != want:
        return f"context receiver {receiver}: the direction is {want}, not {d}"
    t = wire_head(v["wire"], 1)[:1]
    ptype = t[0] >> 4 if t else None
    ids = {p.get("id") for p in (v.get("packet") or {}).get("properties") or []}
    e = v.get("error") or {}
    field = e.get("field") if e.get("kind") != "property-not-expected" else None
    if ptype == 3 and (0x0B in ids or field == "subscription-identifier") and \
            d != "server-to-client":
        return f"a PUBLISH with a Subscription Identifier is server-to-client (MQTT-3.3.4-6), not {d}"
    if ptype == 14 and (0x11 in ids or field == "session-expiry-interval") and \
            d != "client-to-server":
        return ("a DISCONNECT with a Session Expiry Interval is client-to-server "
                f"(MQTT-3.14.2-2), not {d}")
    return None


def check(root):
    v5dir = os.path.join(root, "v5")
    problems = []  # (vector id or None, text)
    props, rcs = decisions_tables(v5dir)
    clauses = json.load(open(os.path.join(v5dir, "clauses.json"), encoding="utf-8"))
    flags = json.load(open(os.path.join(v5dir, "flags.json"), encoding="utf-8"))["flags"]
    kinds = json.load(open(os.path.join(v5dir, "error-kinds.json"), encoding="utf-8"))["kinds"]
    retired = set()
    rp = os.path.join(root, "retired-ids.txt")
    if os.path.exists(rp):
        retired = {ln.strip() for ln in open(rp) if ln.strip() and not ln.startswith("#")}
    clause_by_id = {}
    for c in clauses["clauses"]:
        if c["id"] in clause_by_id:
            problems.append((None, f"clauses.json: {c['id']} twice"))
        clause_by_id[c["id"]] = c
    tsv = os.environ.get("MQTT5_STATEMENTS") or os.path.join(
        root, "..", "..", "shared", "spec", "mqtt-5.0-statements.tsv")
    statements = {}
    if os.path.exists(tsv):
        for line in list(open(tsv, encoding="utf-8"))[1:]:
            cid, cls = line.split("\t")[:2]
            statements[cid] = cls
    elif os.environ.get("CI") == "true":
        problems.append((None, f"the 5.0 statements file {tsv} is missing"))
    else:
        print(f"skipped: the statements file {tsv} is missing (not checked against the TSV)")
    for cid, cls in statements.items():
        c = clause_by_id.get(cid)
        if c is None:
            problems.append((None, f"clauses.json: statement {cid} missing"))
        elif c["class"] != cls:
            problems.append((None, f"clauses.json: {cid} class {c['class']}, TSV {cls}"))
    n_statements = sum(1 for c in clauses["clauses"] if c["kind"] == "statement")
    if statements and n_statements != len(statements):
        problems.append((None, f"clauses.json has {n_statements} statements, TSV "
                               f"{len(statements)}"))

    ids = {}
    for path in sorted(glob.glob(os.path.join(root, "v311", "*.json"))):
        for v in json.load(open(path, encoding="utf-8")).get("vectors", []):
            ids[v["id"]] = os.path.basename(path)
            # The one-whole-frame rule holds for both versions.
            fp = frame_problem(v)
            if fp:
                problems.append((None, f"v311/{os.path.basename(path)}: {v['id']}: {fp}"))
    vectors = []
    for path in sorted(glob.glob(os.path.join(v5dir, "*.json"))):
        base = os.path.basename(path)
        if base in ("clauses.json", "flags.json", "error-kinds.json"):
            continue
        doc = json.load(open(path, encoding="utf-8"))
        extra = set(doc) - FILE_KEYS
        if extra:
            problems.append((None, f"{base}: unknown fields {sorted(extra)}"))
        if doc.get("format_version") != 2 or doc.get("protocol") != "5.0":
            problems.append((None, f"{base}: not format_version 2 / protocol 5.0"))
        if doc.get("name") + ".json" != base:
            problems.append((None, f"{base}: name {doc.get('name')}"))
        for v in doc["vectors"]:
            vectors.append((doc["name"], v))
    bad = {}

    def fail(v, text):
        bad.setdefault(v["id"], []).append(text)

    cov = {}
    cells_valid, cells_refused, dups, values, rc_valid, rc_refused = set(), set(), set(), \
        set(), {}, {}
    for fname, v in vectors:
        vid = v.get("id", "?")
        for k in set(v) - VEC_KEYS:
            fail(v, f"unknown field {k}")
        if vid in ids:
            fail(v, f"id used before, in {ids[vid]}")
        ids[vid] = fname
        if not vid.startswith(f"v5-{fname}-"):
            fail(v, f"id does not start with v5-{fname}-")
        if vid in retired:
            fail(v, "id is retired")
        for c in v["clauses"]:
            if c not in clause_by_id:
                fail(v, f"clause {c} not in clauses.json")
        for f in v["flags"]:
            if f not in flags:
                fail(v, f"flag {f} not in flags.json")
        for k in set(v.get("context", {})) - CTX_KEYS:
            fail(v, f"unknown context key {k}")
        verdict = v["verdict"]
        fp = frame_problem(v)
        if fp:
            fail(v, fp)
        dp = direction_problem(v)
        if dp:
            fail(v, dp)
        if verdict == "valid" and v.get("canonical") is not True:
            fail(v, "a valid vector must be canonical: true")
        if verdict == "valid" and "error" in v or verdict == "invalid" and (
                "packet" in v or "canonical" in v):
            fail(v, "verdict and packet/error/canonical disagree")
        if verdict == "acceptable" and not v["flags"]:
            fail(v, "an acceptable vector needs a flag")
        e = v.get("error")
        if verdict == "invalid" and e is None:
            fail(v, "invalid without error")
        if e is not None:
            for k in set(e) - ERR_KEYS:
                fail(v, f"unknown error field {k}")
            for k in ("kind", "clause", "offset", "decided_at", "reason_code"):
                if k not in e:
                    fail(v, f"error without {k}")
            if e.get("kind") not in kinds:
                fail(v, f"error kind {e.get('kind')} not in error-kinds.json")
            if e.get("clause") not in v["clauses"]:
                fail(v, f"error clause {e.get('clause')} not among the clauses")
            if isinstance(e.get("decided_at"), int) and e["decided_at"] >= wire_len(v["wire"]):
                fail(v, "decided_at is not a byte of the wire")
        m = v.get("packet")
        plists = []
        if m is not None:
            t = m.get("type")
            if t not in PACKET_KEYS:
                fail(v, f"packet type {t}")
            else:
                for k in set(m) - PACKET_KEYS[t] - {"type"}:
                    fail(v, f"unknown packet field {k}")
                for k in PACKET_KEYS[t] - set(m):
                    fail(v, f"packet field {k} missing")
                if m.get("properties") is not None:
                    plists.append((t, m["properties"]))
                if t == "CONNECT" and m.get("will"):
                    plists.append(("WILL", m["will"].get("properties", [])))
                codes = m.get("reason_codes") or ([m["reason_code"]] if m.get("reason_code")
                                                  else [])
                for rc in codes:
                    if rcs.get(t, {}).get(rc["value"]) != rc["name"]:
                        fail(v, f"reason code {rc} is not {t}'s")
                    elif verdict == "valid":
                        rc_valid.setdefault(t, set()).add(rc["value"])
        for pk, plist in plists:
            for p in plist:
                name, pks, _ = props.get(p["id"], (None, set(), True))
                if name != p["name"]:
                    fail(v, f"property id {p['id']} is {name}, not {p['name']}")
                elif verdict == "valid":
                    if pk not in pks:
                        fail(v, f"valid vector with {name} in {pk}")
                    cells_valid.add((pk, p["id"]))
        if e is not None and verdict == "invalid":
            kind = e.get("kind")
            if kind == "property-not-allowed":
                m2 = re.search(r"property-([a-z-]+)-not-allowed$", vid)
                if m2:
                    pk = packet_of(fname, vid)
                    cells_refused.add((pk, m2.group(1)))
            if kind == "duplicate-property":
                dups.add((packet_of(fname, vid), e.get("field")))
            if kind == "invalid-property-value":
                values.add((packet_of(fname, vid), e.get("field")))
            if kind == "invalid-reason-code":
                rc_refused.setdefault(packet_of(fname, vid), 0)
                rc_refused[packet_of(fname, vid)] += 1
        for c in v["clauses"]:
            d = cov.setdefault(c, {"valid": 0, "invalid": 0})
            d["invalid" if verdict == "invalid" else "valid"] += 1

    # Coverage of the statements.
    covered_ok = total_meant = 0
    for c in clauses["clauses"]:
        if c["kind"] == "statement" and c["class"] in ("codec", "codec+context", "mixed"):
            total_meant += 1
            if not c.get("covered"):
                problems.append((None, f"{c['id']} ({c['class']}) is not marked covered"))
                continue
            d = cov.get(c["id"], {"valid": 0, "invalid": 0})
            if d["valid"] and (d["invalid"] or c.get("unbreakable")):
                covered_ok += 1
            else:
                problems.append((None, f"{c['id']}: {d['valid']} valid, {d['invalid']} invalid "
                                       "and not unbreakable"))
        elif c.get("covered"):
            d = cov.get(c["id"], {"valid": 0, "invalid": 0})
            if not d["valid"] or not (d["invalid"] or c.get("unbreakable")):
                problems.append((None, f"{c['id']}: covered, but {d['valid']} valid, "
                                       f"{d['invalid']} invalid"))
    # The property x packet matrix.
    cells = 0
    for pid, (name, pks, _) in props.items():
        for pk in PACKETS:
            if pk in pks:
                cells += 1
                if (pk, pid) not in cells_valid:
                    problems.append((None, f"no valid vector with {name} in {pk}"))
                elif name != "user-property" and not (name == "subscription-identifier" and
                                                      pk == "PUBLISH") and \
                        (pk, name) not in dups:
                    problems.append((None, f"no duplicate {name} in {pk}"))
        if set(PACKETS) - pks and not any((pk, name) in cells_refused for pk in PACKETS):
            problems.append((None, f"{name} is refused in no packet"))
    refused_cells = len(cells_refused)
    for pk, name in (("CONNECT", "receive-maximum"), ("CONNACK", "receive-maximum"),
                     ("CONNECT", "maximum-packet-size"), ("PUBLISH", "topic-alias"),
                     ("PUBLISH", "subscription-identifier"),
                     ("SUBSCRIBE", "subscription-identifier"),
                     ("PUBLISH", "payload-format-indicator"),
                     ("WILL", "payload-format-indicator"), ("CONNACK", "maximum-qos")):
        if (pk, name) not in values:
            problems.append((None, f"no value-rule vector for {name} in {pk}"))
    # Reason codes.
    rc_total = rc_have = 0
    for pk, table in rcs.items():
        for code in table:
            rc_total += 1
            if code in rc_valid.get(pk, set()):
                rc_have += 1
            else:
                problems.append((None, f"{pk} reason code 0x{code:02x} has no valid vector"))
        if not rc_refused.get(pk):
            problems.append((None, f"{pk}: no reserved reason code refused"))

    for vid, texts in bad.items():
        for t in texts:
            print(f"FAIL {vid}: {t}")
    for _vid, t in problems:
        print(f"FAIL {t}")
    counts = {}
    for _f, v in vectors:
        counts[v["verdict"]] = counts.get(v["verdict"], 0) + 1
    print(f"vectors: {counts}")
    print(f"statements (codec, codec+context, mixed) covered: {covered_ok} of {total_meant}")
    print(f"property x packet cells valid: {len({c for c in cells_valid})} of {cells}; "
          f"refused cells: {refused_cells}")
    print(f"reason codes valid: {rc_have} of {rc_total}; packets with a reserved code refused: "
          f"{sum(1 for p in rcs if rc_refused.get(p))} of {len(rcs)}")
    failed = len(bad) + len(problems)
    passed = len(vectors) - len(bad)
    print(f"v5 vectors: {passed} passed, {failed} failed")
    return 1 if failed else 0


def packet_of(fname, vid):
    rest = vid[len(f"v5-{fname}-"):]
    if fname == "connect":
        return "WILL" if rest.startswith("will-") else "CONNECT"
    if fname == "acks":
        return rest.split("-")[0].upper()
    return {"connack": "CONNACK", "publish": "PUBLISH", "subscribe": "SUBSCRIBE",
            "suback": "SUBACK", "unsubscribe": "UNSUBSCRIBE", "unsuback": "UNSUBACK",
            "disconnect": "DISCONNECT", "auth": "AUTH"}.get(fname, fname.upper())


if __name__ == "__main__":
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else ROOT))
