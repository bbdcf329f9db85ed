#!/usr/bin/env python3
"""Derive and check `error.decided_at` of the MQTT 3.1.1 golden vectors.

`decided_at` is the smallest index d such that, given wire[0..=d] (and the frame length the
fixed header declares, once the Remaining Length is complete), every completion of the frame
is malformed with the vector's error (kind, clause, field, offset). See vectors/README.md.

This script is an independent derivation: it is written from the MQTT 3.1.1 standard and the
suite's documented conventions (vectors/README.md, error-kinds.json), never from the codec.
It holds one small decoder, `judge`, that reads the bytes in order and refuses a packet as
soon as the bytes present prove it malformed:

- fields are read in order and the first offending byte wins;
- the frame length is known once the Remaining Length is complete, so a field that cannot
  fit is refused as soon as the field before it is complete and known good, and a string
  whose end is known is judged with its end in mind (a UTF-8 lead byte without room for its
  continuation bytes, a '#' that is not the filter's last character);
- binary fields (will message, password, PUBLISH payload) and the keep alive can never be
  wrong, so the position after them is known without their bytes;
- a Remaining Length byte with the continuation bit means a value of at least 128**i (the
  suite's rule: a PINGREQ's `80` is refused there);
- MQTT-3.1.3-8 (empty client id with Clean Session 0) is answered with a CONNACK code, so it
  is reported only once nothing else can make the packet malformed.

`decided_at` is then the first prefix `judge` refuses. Two checks keep `judge`'s early logic
honest, using only its verdicts on whole frames:

- minimality: for every prefix of length <= d, a completion is found whose whole frame is
  valid or fails with another error (a witness that the prefix does not decide);
- sufficiency: many completions of wire[0..=d] (mutations of the vector's own tail and random
  bytes) are judged as whole frames; all must give the vector's error.

And `judge` on the whole wire must reproduce every vector's recorded error, and accept every
valid vector, so its full-frame semantics are the suite's.

Usage:
    decided_at.py            print id, offset, decided_at and the checks for every vector
    decided_at.py --check    also compare with the decided_at stored in the files
    decided_at.py --write    store decided_at in the files (after "offset", text edit only)
"""

import glob
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
V311 = os.path.join(HERE, "..", "v311")


class Incomplete(Exception):
    """The bytes present are a valid start: more are needed."""


class Malformed(Exception):
    def __init__(self, kind, clause, offset, field=None):
        super().__init__(kind)
        self.err = {"kind": kind, "clause": clause, "offset": offset}
        if field is not None:
            self.err["field"] = field

    def key(self):
        e = self.err
        return (e["kind"], e["clause"], e.get("field"), e["offset"])


# Packet types.
CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP = 1, 2, 3, 4, 5, 6, 7
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT = 8, 9, 10, 11, 12, 13, 14

INF = float("inf")
MAX_RL = 268435455
# The largest CONNECT: 10 bytes of variable header and five fields of 2 + 65535 bytes.
CONNECT_MAX = 10 + 5 * (2 + 65535)


def rl_allowed(ptype, qos):
    """The Remaining Lengths a packet type can have: (predicate, smallest, largest)."""
    if ptype == CONNECT:
        # Protocol name (6), level, flags, keep alive (4), client id length (2).
        return (lambda v: 12 <= v <= CONNECT_MAX), 12, CONNECT_MAX
    if ptype in (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK):
        return (lambda v: v == 2), 2, 2
    if ptype in (PINGREQ, PINGRESP, DISCONNECT):
        return (lambda v: v == 0), 0, 0
    if ptype == PUBLISH:
        # Topic length and at least one topic byte, and the packet id above QoS 0. An empty
        # topic with room for it (RL 2 at QoS 0 is refused, RL 3 `00 00 61` is empty-topic)
        # follows the vectors: publish-qos0-remaining-length-2, publish-topic-empty.
        least = 3 if qos == 0 else 5
        return (lambda v: v >= least), least, INF
    if ptype == SUBSCRIBE:
        # A packet id alone (2) is no-topic-filters (MQTT-3.8.3-3), found in the body; 3 to 5
        # cannot hold a length, one byte and a QoS (subscribe-remaining-length-3/4/5).
        return (lambda v: v == 2 or v >= 6), 2, INF
    if ptype == UNSUBSCRIBE:
        return (lambda v: v == 2 or v >= 5), 2, INF
    if ptype == SUBACK:
        return (lambda v: v >= 2), 2, INF
    raise AssertionError(ptype)


class Reader:
    """A cursor over the buffer with the frame's end known."""

    def __init__(self, buf, pos, end):
        self.buf, self.pos, self.end = buf, pos, end

    def have(self, i):
        return i < len(self.buf)

    def byte(self, i):
        if i >= len(self.buf):
            raise Incomplete()
        return self.buf[i]


def judge_header(buf, opts):
    """Returns (ptype, flags, header length, remaining length)."""
    if not buf:
        raise Incomplete()
    b0 = buf[0]
    ptype, flags = b0 >> 4, b0 & 0x0F
    if ptype in (0, 15):
        raise Malformed("invalid-packet-type", "2.2.1", 0)
    if ptype == PUBLISH:
        qos = (flags >> 1) & 3
        if qos == 3:
            raise Malformed("invalid-qos", "MQTT-3.3.1-4", 0)
        if flags & 8 and qos == 0:
            raise Malformed("dup-with-qos0", "MQTT-3.3.1-2", 0)
    else:
        qos = None
        required = 2 if ptype in (PUBREL, SUBSCRIBE, UNSUBSCRIBE) else 0
        if flags != required:
            clause = {PUBREL: "MQTT-3.6.1-1", SUBSCRIBE: "MQTT-3.8.1-1",
                      UNSUBSCRIBE: "MQTT-3.10.1-1", DISCONNECT: "MQTT-3.14.1-1"}
            raise Malformed("invalid-flags", clause.get(ptype, "MQTT-2.2.2-1"), 0)
    allowed, _least, most = rl_allowed(ptype, qos)
    bad_rl = Malformed("invalid-remaining-length", "2.2.3", 1, "remaining-length")
    value, mult = 0, 1
    for i in range(1, 5):
        if i >= len(buf):
            raise Incomplete()
        b = buf[i]
        value += (b & 0x7F) * mult
        mult *= 128
        if b & 0x80:
            if i == 4:
                raise Malformed("remaining-length-too-long", "2.2.3", 4, "remaining-length")
            # A continuation means at least `mult` (128**i) under a minimal encoding, or
            # at least the groups read so far for a receiver that looks at padding first.
            lower = value + mult if opts.get("rl_bound", "minimal") == "minimal" else value
            if lower > most:
                raise bad_rl
            continue
        if not allowed(value):
            raise bad_rl
        if i > 1 and b == 0:
            raise Malformed("non-minimal-remaining-length", "2.2.3", i, "remaining-length")
        return ptype, flags, i + 1, value
    raise AssertionError("unreachable")


def is_cont(b):
    return 0x80 <= b <= 0xBF


def utf8_second_range(lead):
    """The range of the second byte of a well-formed sequence (RFC 3629 / Unicode table 3-7)."""
    if lead == 0xE0:
        return 0xA0, 0xBF
    if lead == 0xED:
        return 0x80, 0x9F
    if lead == 0xF0:
        return 0x90, 0xBF
    if lead == 0xF4:
        return 0x80, 0x8F
    return 0x80, 0xBF


def seq_len(lead):
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0  # 80-BF, C0, C1, F5-FF: never a lead byte


def disallowed(cp):
    """Section 1.5.3: control characters and non-characters, refused by choice."""
    if 0x01 <= cp <= 0x1F or 0x7F <= cp <= 0x9F:
        return True
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return True
    return False


def read_text(r, field, clauses, opts, topic=None):
    """A two-byte length and UTF-8 text. `clauses`: truncated, null. `topic`: None, "name"
    (with the wildcard clause) or "filter". Returns the text's start and end."""
    start = r.pos
    if start + 2 > r.end:
        raise Malformed("truncated", clauses["truncated"], start, field)
    b0 = r.byte(start)
    if start + 2 + (b0 << 8) > r.end:
        raise Malformed("truncated", clauses["truncated"], start, field)
    length = (b0 << 8) | r.byte(start + 1)
    if start + 2 + length > r.end:
        raise Malformed("truncated", clauses["truncated"], start, field)
    if topic is not None and length == 0:
        raise Malformed("empty-topic", "MQTT-4.7.3-1", start, field)
    s, e = start + 2, start + 2 + length
    i = s
    while i < e:
        b = r.byte(i)
        n = seq_len(b)
        if n == 0 or i + n > e:
            # Not a lead byte, or a lead byte whose continuation bytes cannot fit the string.
            raise Malformed("invalid-utf8", "MQTT-1.5.3-1", i, field)
        if n == 1:
            cp = b
            if b == 0:
                raise Malformed("null-character", clauses["null"], i, field)
            if topic is not None and b in (0x2B, 0x23):
                check_wildcard(r, i, s, e, b, field, topic)
        else:
            lo, hi = utf8_second_range(b)
            c1 = r.byte(i + 1)
            if not lo <= c1 <= hi:
                raise Malformed("invalid-utf8", "MQTT-1.5.3-1", i, field)
            cp = ((b & (0xFF >> (n + 1))) << 6) | (c1 & 0x3F)
            for k in range(2, n):
                ck = r.byte(i + k)
                if not is_cont(ck):
                    raise Malformed("invalid-utf8", "MQTT-1.5.3-1", i, field)
                cp = (cp << 6) | (ck & 0x3F)
        if opts.get("reject_control") and disallowed(cp):
            raise Malformed("disallowed-code-point", "1.5.3", i, field)
        i += n
    r.pos = e
    return s, e


def check_wildcard(r, i, s, e, b, field, topic):
    if topic == "name":
        clause = "MQTT-3.3.2-2" if field == "topic-name" else "MQTT-4.7.1-1"
        raise Malformed("wildcard-in-topic-name", clause, i, field)
    level_start = i == s or r.byte(i - 1) == 0x2F
    if b == 0x23:
        # '#' alone in the last level: at a level start and the filter's last character.
        if not level_start or i + 1 < e:
            raise Malformed("misplaced-multi-level-wildcard", "MQTT-4.7.1-2", i, field)
    else:
        if not level_start or (i + 1 < e and r.byte(i + 1) != 0x2F):
            raise Malformed("misplaced-single-level-wildcard", "MQTT-4.7.1-3", i, field)


def skip_binary(r, field, clause):
    """A two-byte length and bytes that can never be wrong: only the length is needed."""
    start = r.pos
    if start + 2 > r.end:
        raise Malformed("truncated", clause, start, field)
    b0 = r.byte(start)
    if start + 2 + (b0 << 8) > r.end:
        raise Malformed("truncated", clause, start, field)
    length = (b0 << 8) | r.byte(start + 1)
    if start + 2 + length > r.end:
        raise Malformed("truncated", clause, start, field)
    r.pos = start + 2 + length


def packet_id(r, zero_clause, trunc_clause):
    start = r.pos
    if start + 2 > r.end:
        raise Malformed("truncated", trunc_clause, start, "packet-id")
    # A non-zero first byte already makes the identifier good.
    if r.byte(start) == 0 and r.byte(start + 1) == 0:
        raise Malformed("zero-packet-id", zero_clause, start, "packet-id")
    r.pos = start + 2


def judge_connect(r, opts):
    p = r.pos
    name = [0x00, 0x04, 0x4D, 0x51, 0x54, 0x54]
    for k, want in enumerate(name):
        if r.byte(p + k) != want:
            raise Malformed("invalid-protocol-name", "MQTT-3.1.2-1", p, "protocol-name")
    if r.byte(p + 6) != 4:
        raise Malformed("unsupported-protocol-level", "MQTT-3.1.2-2", p + 6, "protocol-level")
    f = r.byte(p + 7)
    at = p + 7
    will, will_qos, will_retain = f & 4, (f >> 3) & 3, f & 0x20
    user, password, clean = f & 0x80, f & 0x40, f & 2
    if f & 1:
        raise Malformed("connect-reserved-flag", "MQTT-3.1.2-3", at, "connect-flags")
    if not will and will_qos:
        raise Malformed("will-qos-without-will", "MQTT-3.1.2-13", at, "connect-flags")
    if not will and will_retain:
        raise Malformed("will-retain-without-will", "MQTT-3.1.2-15", at, "connect-flags")
    if will and will_qos == 3:
        raise Malformed("invalid-will-qos", "MQTT-3.1.2-14", at, "connect-flags")
    if password and not user:
        raise Malformed("password-without-username", "MQTT-3.1.2-22", at, "connect-flags")
    r.pos = p + 10  # the keep alive can be any value
    cid_start = r.pos
    s, e = read_text(r, "client-id", {"truncated": "MQTT-3.1.3-3", "null": "MQTT-1.5.3-2"}, opts)
    empty_persistent = e == s and not clean
    # The fields after the client id, in order, with the clause of each one's absence.
    fields = [
        ("will-topic", will, "MQTT-3.1.2-9", "MQTT-3.1.2-11"),
        ("will-message", will, "MQTT-3.1.2-9", "MQTT-3.1.2-11"),
        ("username", user, "MQTT-3.1.2-19", "MQTT-3.1.2-18"),
        ("password", password, "MQTT-3.1.2-21", "MQTT-3.1.2-20"),
    ]
    last = max([i for i, fl in enumerate(fields) if fl[1]], default=-1)
    for i, (field, flagged, trunc, _absent) in enumerate(fields[: last + 1]):
        if not flagged:
            continue
        if field == "will-topic":
            read_text(r, field, {"truncated": trunc, "null": "MQTT-4.7.3-2"}, opts, topic="name")
        elif field == "username":
            read_text(r, field, {"truncated": trunc, "null": "MQTT-1.5.3-2"}, opts)
        else:
            skip_binary(r, field, trunc)
    if r.pos < r.end:
        rest = fields[last + 1:]
        if rest:
            field, _fl, _trunc, absent = rest[0]
            raise Malformed("unflagged-field", absent, r.pos, field)
        raise Malformed("trailing-bytes", "2.2.3", r.pos)
    if empty_persistent:
        # MQTT-3.1.3-8: answered with CONNACK 2, so only once the packet is otherwise sound.
        raise Malformed("empty-client-id-without-clean-session", "MQTT-3.1.3-8", cid_start,
                        "client-id")


def judge_body(ptype, flags, r, opts):
    if ptype == CONNECT:
        judge_connect(r, opts)
    elif ptype == CONNACK:
        p = r.pos
        f = r.byte(p)
        if f & 0xFE:
            raise Malformed("connack-reserved-flags", "3.2.2.1", p, "connack-flags")
        rc = r.byte(p + 1)
        if f & 1 and rc != 0:
            raise Malformed("session-present-with-error", "MQTT-3.2.2-4", p, "connack-flags")
        if rc > 5:
            raise Malformed("invalid-connect-return-code", "3.2.2.3", p + 1, "return-code")
        r.pos = p + 2
    elif ptype == PUBLISH:
        qos = (flags >> 1) & 3
        read_text(r, "topic-name", {"truncated": "MQTT-3.3.2-1", "null": "MQTT-4.7.3-2"}, opts,
                  topic="name")
        if qos:
            packet_id(r, "MQTT-2.3.1-1", "MQTT-2.3.1-1")
        r.pos = r.end  # the payload is any bytes
    elif ptype in (PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK):
        packet_id(r, "2.3.1", "2.2.3")
    elif ptype in (SUBSCRIBE, UNSUBSCRIBE):
        packet_id(r, "MQTT-2.3.1-1", "2.2.3")
        if r.pos == r.end:
            clause = "MQTT-3.8.3-3" if ptype == SUBSCRIBE else "MQTT-3.10.3-2"
            raise Malformed("no-topic-filters", clause, r.pos)
        while r.pos < r.end:
            read_text(r, "topic-filter", {"truncated": "2.2.3", "null": "MQTT-4.7.3-2"}, opts,
                      topic="filter")
            if ptype == SUBSCRIBE:
                if r.pos + 1 > r.end:
                    raise Malformed("truncated", "2.2.3", r.pos, "requested-qos")
                q = r.byte(r.pos)
                if q & 0xFC:
                    raise Malformed("subscription-reserved-bits", "MQTT-3.8.3-4", r.pos,
                                    "requested-qos")
                if q == 3:
                    raise Malformed("invalid-requested-qos", "MQTT-3.8.3-4", r.pos,
                                    "requested-qos")
                r.pos += 1
    elif ptype == SUBACK:
        packet_id(r, "2.3.1", "2.2.3")
        if r.pos == r.end:
            raise Malformed("no-return-codes", "3.9.3", r.pos)
        while r.pos < r.end:
            if r.byte(r.pos) not in (0, 1, 2, 0x80):
                raise Malformed("invalid-suback-return-code", "MQTT-3.9.3-2", r.pos,
                                "suback-return-code")
            r.pos += 1
    # PINGREQ, PINGRESP, DISCONNECT: no body (the header allowed only 0).


def judge(buf, opts=None):
    """('valid', used) | ('incomplete',) | ('invalid', error dict)."""
    opts = opts or {}
    try:
        ptype, flags, hl, rl = judge_header(buf, opts)
        r = Reader(buf, hl, hl + rl)
        judge_body(ptype, flags, r, opts)
        assert r.pos == r.end, (buf.hex(), r.pos, r.end)
        if len(buf) < r.end:
            raise Incomplete()
        return ("valid", r.end)
    except Incomplete:
        return ("incomplete",)
    except Malformed as m:
        return ("invalid", m.err)


def key(err):
    return (err["kind"], err["clause"], err.get("field"), err["offset"])


# ---------------------------------------------------------------------------------------------
# A second decoder, for whole frames only: no early decisions, Python's own UTF-8 decoder, and
# topic filters split into levels. It judges the completions, so that the early logic above
# is checked against a reading that cannot share its mistakes.


def whole(buf, opts=None):
    """('valid', used) | ('incomplete',) | ('invalid', error dict), from the whole frame."""
    opts = opts or {}
    if len(buf) < 2:
        return ("incomplete",)
    ptype, flags = buf[0] >> 4, buf[0] & 15
    n, value = 0, 0
    while True:
        n += 1
        if n > 4:
            break
        if n >= len(buf):
            return ("incomplete",)
        value += (buf[n] & 0x7F) << (7 * (n - 1))
        if not buf[n] & 0x80:
            break
    try:
        if ptype in (0, 15):
            raise Malformed("invalid-packet-type", "2.2.1", 0)
        qos = (flags >> 1) & 3
        if ptype == PUBLISH:
            if qos == 3:
                raise Malformed("invalid-qos", "MQTT-3.3.1-4", 0)
            if flags & 8 and not qos:
                raise Malformed("dup-with-qos0", "MQTT-3.3.1-2", 0)
        elif flags != (2 if ptype in (6, 8, 10) else 0):
            raise Malformed("invalid-flags", {6: "MQTT-3.6.1-1", 8: "MQTT-3.8.1-1",
                                              10: "MQTT-3.10.1-1", 14: "MQTT-3.14.1-1"}
                            .get(ptype, "MQTT-2.2.2-1"), 0)
        allowed, _lo, most = rl_allowed(ptype, qos)
        bad_rl = Malformed("invalid-remaining-length", "2.2.3", 1, "remaining-length")
        # A Remaining Length of k bytes claims at least 128**(k-1) (the suite's rule for
        # lengths a type cannot have), unless the receiver judges the padding first.
        for k in range(2, min(n, 4) + 1):
            claim = 128 ** (k - 1) if opts.get("rl_bound", "minimal") == "minimal" else 0
            groups = sum((buf[j] & 0x7F) << (7 * (j - 1)) for j in range(1, k))
            if max(claim, groups) > most:
                raise bad_rl
        if n > 4:
            raise Malformed("remaining-length-too-long", "2.2.3", 4, "remaining-length")
        if not allowed(value):
            raise bad_rl
        if n > 1 and buf[n] == 0:
            raise Malformed("non-minimal-remaining-length", "2.2.3", n, "remaining-length")
        end = n + 1 + value
        if len(buf) < end:
            return ("incomplete",)
        WholeBody(buf, n + 1, end, opts).run(ptype, flags)
        return ("valid", end)
    except Malformed as m:
        return ("invalid", m.err)


class WholeBody:
    def __init__(self, buf, pos, end, opts):
        self.b, self.pos, self.end, self.opts = buf[:end], pos, end, opts

    def take(self, k, field, clause):
        if self.pos + k > self.end:
            raise Malformed("truncated", clause, self.pos, field)
        out = self.b[self.pos:self.pos + k]
        self.pos += k
        return out

    def binary(self, field, clause):
        start = self.pos
        length = int.from_bytes(self.take(2, field, clause), "big")
        self.pos = start
        return self.take(2 + length, field, clause)[2:]

    def text(self, field, clause, null_clause, topic=None):
        start = self.pos
        raw = self.binary(field, clause)
        if topic and not raw:
            raise Malformed("empty-topic", "MQTT-4.7.3-1", start, field)
        found = []  # (offset within raw, error)
        try:
            txt = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            found.append((e.start, ("invalid-utf8", "MQTT-1.5.3-1")))
            txt = raw[:e.start].decode("utf-8")
        if b"\x00" in raw:
            found.append((raw.index(b"\x00"), ("null-character", null_clause)))
        if self.opts.get("reject_control"):
            for ch_i, ch in enumerate(txt):
                if ch != "\x00" and disallowed(ord(ch)):
                    found.append((len(txt[:ch_i].encode()), ("disallowed-code-point", "1.5.3")))
                    break
        if topic == "name":
            for i, c in enumerate(raw):
                if c in b"+#":
                    clause = "MQTT-3.3.2-2" if field == "topic-name" else "MQTT-4.7.1-1"
                    found.append((i, ("wildcard-in-topic-name", clause)))
                    break
        if topic == "filter":
            levels = raw.split(b"/")
            at = 0
            for li, level in enumerate(levels):
                # A level may be "+", or "#" when it is the last one; any other level with a
                # wildcard is wrong at its first wildcard character.
                fine = level == b"+" or (level == b"#" and li == len(levels) - 1)
                marks = [i for i, c in enumerate(level) if c in b"+#"]
                if marks and not fine:
                    w = marks[0]
                    kind = ("misplaced-multi-level-wildcard", "MQTT-4.7.1-2") if level[w] == 0x23 \
                        else ("misplaced-single-level-wildcard", "MQTT-4.7.1-3")
                    found.append((at + w, kind))
                    break
                at += len(level) + 1
        if found:
            i, (kind, cl) = min(found, key=lambda t: t[0])
            raise Malformed(kind, cl, start + 2 + i, field)
        return raw

    def packet_id(self, zero_clause, trunc_clause):
        start = self.pos
        if self.take(2, "packet-id", trunc_clause) == b"\x00\x00":
            raise Malformed("zero-packet-id", zero_clause, start, "packet-id")

    def run(self, ptype, flags):
        if ptype == CONNECT:
            self.connect()
        elif ptype == CONNACK:
            f, rc = self.b[self.pos], self.b[self.pos + 1]
            if f & 0xFE:
                raise Malformed("connack-reserved-flags", "3.2.2.1", self.pos, "connack-flags")
            if f & 1 and rc:
                raise Malformed("session-present-with-error", "MQTT-3.2.2-4", self.pos,
                                "connack-flags")
            if rc > 5:
                raise Malformed("invalid-connect-return-code", "3.2.2.3", self.pos + 1,
                                "return-code")
        elif ptype == PUBLISH:
            self.text("topic-name", "MQTT-3.3.2-1", "MQTT-4.7.3-2", topic="name")
            if (flags >> 1) & 3:
                self.packet_id("MQTT-2.3.1-1", "MQTT-2.3.1-1")
        elif ptype in (4, 5, 6, 7, 11):
            self.packet_id("2.3.1", "2.2.3")
        elif ptype in (8, 10):
            self.packet_id("MQTT-2.3.1-1", "2.2.3")
            if self.pos == self.end:
                raise Malformed("no-topic-filters",
                                "MQTT-3.8.3-3" if ptype == 8 else "MQTT-3.10.3-2", self.pos)
            while self.pos < self.end:
                self.text("topic-filter", "2.2.3", "MQTT-4.7.3-2", topic="filter")
                if ptype == 8:
                    at = self.pos
                    q = self.take(1, "requested-qos", "2.2.3")[0]
                    if q > 3:
                        raise Malformed("subscription-reserved-bits", "MQTT-3.8.3-4", at,
                                        "requested-qos")
                    if q == 3:
                        raise Malformed("invalid-requested-qos", "MQTT-3.8.3-4", at,
                                        "requested-qos")
        elif ptype == SUBACK:
            self.packet_id("2.3.1", "2.2.3")
            if self.pos == self.end:
                raise Malformed("no-return-codes", "3.9.3", self.pos)
            for i in range(self.pos, self.end):
                if self.b[i] not in (0, 1, 2, 0x80):
                    raise Malformed("invalid-suback-return-code", "MQTT-3.9.3-2", i,
                                    "suback-return-code")

    def connect(self):
        b, h = self.b, self.pos
        if b[h:h + 6] != b"\x00\x04MQTT":
            raise Malformed("invalid-protocol-name", "MQTT-3.1.2-1", h, "protocol-name")
        if b[h + 6] != 4:
            raise Malformed("unsupported-protocol-level", "MQTT-3.1.2-2", h + 6,
                            "protocol-level")
        f = b[h + 7]
        will = f & 4
        checks = [
            (f & 1, "connect-reserved-flag", "MQTT-3.1.2-3"),
            (not will and f & 0x18, "will-qos-without-will", "MQTT-3.1.2-13"),
            (not will and f & 0x20, "will-retain-without-will", "MQTT-3.1.2-15"),
            (will and f & 0x18 == 0x18, "invalid-will-qos", "MQTT-3.1.2-14"),
            (f & 0x40 and not f & 0x80, "password-without-username", "MQTT-3.1.2-22"),
        ]
        for bad, kind, clause in checks:
            if bad:
                raise Malformed(kind, clause, h + 7, "connect-flags")
        self.pos = h + 10
        cid = self.text("client-id", "MQTT-3.1.3-3", "MQTT-1.5.3-2")
        present = []
        if will:
            self.text("will-topic", "MQTT-3.1.2-9", "MQTT-4.7.3-2", topic="name")
            self.binary("will-message", "MQTT-3.1.2-9")
            present.append("will")
        if f & 0x80:
            self.text("username", "MQTT-3.1.2-19", "MQTT-1.5.3-2")
            present.append("username")
        if f & 0x40:
            self.binary("password", "MQTT-3.1.2-21")
            present.append("password")
        if self.pos < self.end:
            after = ["will", "username", "password"]
            last = max([after.index(x) for x in present], default=-1)
            nxt = after[last + 1:]
            if not nxt:
                raise Malformed("trailing-bytes", "2.2.3", self.pos)
            field, clause = {"will": ("will-topic", "MQTT-3.1.2-11"),
                             "username": ("username", "MQTT-3.1.2-18"),
                             "password": ("password", "MQTT-3.1.2-20")}[nxt[0]]
            raise Malformed("unflagged-field", clause, self.pos, field)
        if not cid and not f & 2:
            raise Malformed("empty-client-id-without-clean-session", "MQTT-3.1.3-8", h + 10,
                            "client-id")


# ---------------------------------------------------------------------------------------------
# Loading and checking the vectors.


def wire_bytes(w):
    if isinstance(w, str):
        return bytes.fromhex(w.replace(" ", ""))
    out = bytearray()
    for seg in w:
        if isinstance(seg, str):
            out += bytes.fromhex(seg.replace(" ", ""))
        else:
            out += bytes.fromhex(seg["repeat"].replace(" ", "")) * seg["count"]
    return bytes(out)


def load():
    out = []
    for path in sorted(glob.glob(os.path.join(V311, "*.json"))):
        doc = json.load(open(path))
        for v in doc.get("vectors", []):
            out.append((path, v))
    return out


def opts_for(v):
    """The receiver a vector's recorded error describes."""
    opts = {}
    if "ControlCharacter" in v["flags"] or "NonCharacter" in v["flags"]:
        opts["reject_control"] = True
    if "NonMinimalRemainingLength" in v["flags"]:
        # The recorded error is the padding's: a receiver that reads the whole Remaining
        # Length before judging its value (with the suite's "at least 128" rule, a PINGREQ,
        # DISCONNECT or PUBACK continuation byte is refused at byte 1 for another reason).
        opts["rl_bound"] = "groups"
    return opts


def decided_at(wire, opts):
    for d in range(len(wire)):
        res = judge(wire[: d + 1], opts)
        if res[0] != "incomplete":
            return d, res
    return None, judge(wire, opts)


def frame_len(prefix):
    """The declared frame length if the prefix holds a complete Remaining Length."""
    value, mult = 0, 1
    for i in range(1, 5):
        if i >= len(prefix):
            return None
        value += (prefix[i] & 0x7F) * mult
        mult *= 128
        if not prefix[i] & 0x80:
            return i + 1 + value
    return None


CAP = 1 << 20  # completions longer than this are not built


def completions(prefix, wire, rng, n_random, donors=()):
    """Completions of `prefix`: whole frames to judge.

    Mutations of the vector's own continuation (one or two bytes at the cut, or a byte and two
    continuation bytes, then the original tail, cut or padded to the declared frame), the
    tails of other vectors at the same offset, then random ones. A frame too large to build
    is cut to its header, and counts only if the header refuses it."""
    p = len(prefix)
    alphabet = [0x00, 0x01, 0x02, 0x03, 0x04, 0x2F, 0x2B, 0x23, 0x61, 0x7F, 0x80, 0x8F, 0x9F,
                0xA0, 0xBF, 0xC2, 0xE0, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]

    def finish(head, tail_src, filler):
        fl = frame_len(head)
        while fl is None:
            if len(head) >= 5:
                return head  # a Remaining Length past its fourth byte: the header decides
            # Still inside the Remaining Length: close it with a small final byte.
            head = head + bytes([filler & 0x7F])
            fl = frame_len(head)
        if fl > CAP:
            return head[:fl]  # too large to build: only a verdict from the header counts
        if len(head) >= fl:
            return head[:fl] if len(head) > fl else head
        need = fl - len(head)
        tail = tail_src[:need]
        tail += bytes([filler]) * (need - len(tail))
        return head + tail

    out = []
    for x in range(256):
        for filler in (0x61, 0x00):
            c = finish(prefix + bytes([x]), wire[p + 1:], filler)
            if c is not None:
                out.append(c)
    # A byte and two continuation bytes (a 4-byte UTF-8 sequence cut after its lead).
    for x in range(256):
        c = finish(prefix + bytes([x, 0x80, 0x80]), wire[p + 3:], 0x61)
        if c is not None:
            out.append(c)
    for donor in donors:
        if len(donor) > p:
            c = finish(prefix, donor[p:], 0x61)
            if c is not None:
                out.append(c)
    # Two bytes at the cut (a packet id, a UTF-8 pair, a length prefix).
    for x in alphabet:
        for y in alphabet:
            c = finish(prefix + bytes([x, y]), wire[p + 2:], 0x61)
            if c is not None:
                out.append(c)
    for _ in range(n_random):
        k = rng.randrange(1, 6)
        head = prefix + bytes(rng.choice(alphabet) if rng.random() < 0.7 else rng.randrange(256)
                              for _ in range(k))
        if rng.random() < 0.5:
            src = wire[p + k:]
        else:
            src = bytes(rng.choice(alphabet) for _ in range(64))
        c = finish(head, src, rng.choice([0x61, 0x00, 0x2F]))
        if c is not None:
            out.append(c)
    return out


def usable(c, r):
    """A completion cut to its header counts only when the header refuses it."""
    fl = frame_len(c)
    if fl is not None and len(c) < fl:
        return r[0] == "invalid" and r[1]["offset"] <= 4 and r[1].get("field") in (
            None, "remaining-length")
    return True


def check_vector(v, rng, donors, n_random=300):
    """Returns (d, problems, witnesses_found, completions_judged)."""
    wire = wire_bytes(v["wire"])
    opts = opts_for(v)
    want = key(v["error"])
    problems = []
    for name, fn in (("judge", judge), ("whole", whole)):
        res = fn(wire, opts)
        if res[0] != "invalid" or key(res[1]) != want:
            problems.append(f"{name} on the whole wire gives {res}, recorded {v['error']}")
    if problems:
        return None, problems, 0, 0
    d, res = decided_at(wire, opts)
    if res[0] != "invalid" or key(res[1]) != want:
        problems.append(f"first refused prefix gives {res}")
    # Minimality: each prefix of length 1..d has a completion that is not this error.
    witnesses = 0
    for p in range(1, d + 1):
        prefix = wire[:p]
        found = False
        for c in completions(prefix, wire, rng, n_random, donors):
            r = whole(c, opts)
            if not usable(c, r):
                continue
            if r[0] == "valid" or (r[0] == "invalid" and key(r[1]) != want):
                found = True
                break
        if found:
            witnesses += 1
        else:
            problems.append(f"no witness that prefix {p} is undecided")
    # Sufficiency: every completion of wire[0..=d] judged whole gives the error.
    judged = 0
    for c in completions(wire[: d + 1], wire, rng, n_random, donors):
        r = whole(c, opts)
        if not usable(c, r):
            continue
        judged += 1
        if r[0] != "invalid" or key(r[1]) != want:
            problems.append(f"completion {c.hex()} of the deciding prefix gives {r}")
            break
    return d, problems, witnesses, judged


def write(ids_to_d):
    pat = re.compile(r'^(\s*"error": \{.*"offset": (\d+))(, "decided_at": \d+)?\}')
    for path in sorted(glob.glob(os.path.join(V311, "*.json"))):
        lines = open(path).read().split("\n")
        current = None
        changed = False
        for i, line in enumerate(lines):
            m = re.match(r'^\s*"id": "([^"]+)"', line)
            if m:
                current = m.group(1)
            m = pat.match(line)
            if m and current in ids_to_d:
                new = f'{m.group(1)}, "decided_at": {ids_to_d[current]}}}' + line[m.end():]
                if new != line:
                    lines[i] = new
                    changed = True
        if changed:
            open(path, "w").write("\n".join(lines))


def main():
    args = sys.argv[1:]
    rng = random.Random(12)
    failures = 0
    # The whole-frame semantics: every valid vector accepted, every acceptable one with a
    # packet accepted by the lenient receiver.
    for _path, v in load():
        if "packet" in v:
            for fn in (judge, whole):
                r = fn(wire_bytes(v["wire"]), {})
                lenient = v["verdict"] == "acceptable"
                if r[0] != "valid" and not lenient:
                    print(f"FAIL {v['id']}: valid vector, {fn.__name__} gives {r}")
                    failures += 1
    donors = [wire_bytes(v["wire"]) for _p, v in load() if v["verdict"] == "valid"]
    donors = [w for w in donors if len(w) <= 4096]
    results = {}
    counts = {"invalid": 0, "acceptable": 0}
    for _path, v in load():
        if "error" not in v:
            continue
        counts[v["verdict"]] += 1
        d, problems, witnesses, judged = check_vector(v, rng, donors)
        results[v["id"]] = d
        stored = v["error"].get("decided_at")
        if "--check" in args and stored != d:
            problems.append(f"stored decided_at {stored}, derived {d}")
        status = "ok" if not problems else "FAIL"
        print(f"{status} {v['id']} offset={v['error']['offset']} decided_at={d} "
              f"witnesses={witnesses}/{d} completions={judged}")
        for pr in problems:
            print(f"    {pr}")
        failures += bool(problems)
    print(f"{counts['invalid']} invalid and {counts['acceptable']} acceptable vectors with an "
          f"error; {failures} failed")
    if "--write" in args and not failures:
        write(results)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
