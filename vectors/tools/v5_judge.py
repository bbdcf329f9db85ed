"""An MQTT 5.0 decoder and encoder of whole frames and prefixes, written from the standard and
vectors/v5/DECISIONS.md, for checking the 5.0 golden vectors. It never uses the codec.

`judge(buf, ctx)` reads the bytes in order and refuses a packet as soon as the bytes present
prove it malformed (fields in order, first offending byte wins; the frame's end known once the
Remaining Length is complete; bytes that can never be wrong, such as a binary value or a
payload, are not waited for). On a whole frame it is the reference reading of the suite: it
returns the packet model of DECISIONS.md section 2, or the error (kind, clause, field, offset).
`encode(model)` writes a model back to bytes, in the form the model records.

Its tables (properties, reason codes, sections) are typed here from the standard, separately
from the generator's, so that a slip in one shows up as a disagreement with the other.
"""


class Incomplete(Exception):
    """The bytes present are a valid start: more are needed."""


class Malformed(Exception):
    def __init__(self, kind, clause, offset, field=None):
        super().__init__(kind)
        self.err = {"kind": kind, "clause": clause, "offset": offset}
        if field is not None:
            self.err["field"] = field


def key(err):
    return (err["kind"], err["clause"], err.get("field"), err["offset"])


TYPES = {1: "CONNECT", 2: "CONNACK", 3: "PUBLISH", 4: "PUBACK", 5: "PUBREC", 6: "PUBREL",
         7: "PUBCOMP", 8: "SUBSCRIBE", 9: "SUBACK", 10: "UNSUBSCRIBE", 11: "UNSUBACK",
         12: "PINGREQ", 13: "PINGRESP", 14: "DISCONNECT", 15: "AUTH"}
CODES = {v: k for k, v in TYPES.items()}
MAX_VBI = 268435455

# Table 2-4 and the packets of each property (section 2.2.2.2 and each packet's section).
ALL_WITH_PROPS = ["CONNECT", "WILL", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
                  "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT",
                  "AUTH"]
PROPS = {
    0x01: ("payload-format-indicator", "byte", ["PUBLISH", "WILL"]),
    0x02: ("message-expiry-interval", "u32", ["PUBLISH", "WILL"]),
    0x03: ("content-type", "str", ["PUBLISH", "WILL"]),
    0x08: ("response-topic", "str", ["PUBLISH", "WILL"]),
    0x09: ("correlation-data", "bin", ["PUBLISH", "WILL"]),
    0x0B: ("subscription-identifier", "vbi", ["PUBLISH", "SUBSCRIBE"]),
    0x11: ("session-expiry-interval", "u32", ["CONNECT", "CONNACK", "DISCONNECT"]),
    0x12: ("assigned-client-identifier", "str", ["CONNACK"]),
    0x13: ("server-keep-alive", "u16", ["CONNACK"]),
    0x15: ("authentication-method", "str", ["CONNECT", "CONNACK", "AUTH"]),
    0x16: ("authentication-data", "bin", ["CONNECT", "CONNACK", "AUTH"]),
    0x17: ("request-problem-information", "byte", ["CONNECT"]),
    0x18: ("will-delay-interval", "u32", ["WILL"]),
    0x19: ("request-response-information", "byte", ["CONNECT"]),
    0x1A: ("response-information", "str", ["CONNACK"]),
    0x1C: ("server-reference", "str", ["CONNACK", "DISCONNECT"]),
    0x1F: ("reason-string", "str", ["CONNACK", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
                                    "SUBACK", "UNSUBACK", "DISCONNECT", "AUTH"]),
    0x21: ("receive-maximum", "u16", ["CONNECT", "CONNACK"]),
    0x22: ("topic-alias-maximum", "u16", ["CONNECT", "CONNACK"]),
    0x23: ("topic-alias", "u16", ["PUBLISH"]),
    0x24: ("maximum-qos", "byte", ["CONNACK"]),
    0x25: ("retain-available", "byte", ["CONNACK"]),
    0x26: ("user-property", "pair", ALL_WITH_PROPS),
    0x27: ("maximum-packet-size", "u32", ["CONNECT", "CONNACK"]),
    0x28: ("wildcard-subscription-available", "byte", ["CONNACK"]),
    0x29: ("subscription-identifier-available", "byte", ["CONNACK"]),
    0x2A: ("shared-subscription-available", "byte", ["CONNACK"]),
}
SIZE = {"byte": 1, "u16": 2, "u32": 4}

# The section of each packet's property length.
PROP_LEN_SECTION = {
    "CONNECT": "3.1.2.11.1", "WILL": "3.1.3.2.1", "CONNACK": "3.2.2.3.1",
    "PUBLISH": "3.3.2.3.1", "PUBACK": "3.4.2.2.1", "PUBREC": "3.5.2.2.1",
    "PUBREL": "3.6.2.2.1", "PUBCOMP": "3.7.2.2.1", "SUBSCRIBE": "3.8.2.1.1",
    "SUBACK": "3.9.2.1.1", "UNSUBSCRIBE": "3.10.2.1.1", "UNSUBACK": "3.11.2.1.1",
    "DISCONNECT": "3.14.2.2.1", "AUTH": "3.15.2.2.1",
}


def _sections(prefix, names):
    return {n: f"{prefix}.{i + 2}" for i, n in enumerate(names)}


_ACK = ["reason-string", "user-property"]
PROP_SECTION = {
    "CONNECT": _sections("3.1.2.11", ["session-expiry-interval", "receive-maximum",
                                      "maximum-packet-size", "topic-alias-maximum",
                                      "request-response-information",
                                      "request-problem-information", "user-property",
                                      "authentication-method", "authentication-data"]),
    "WILL": _sections("3.1.3.2", ["will-delay-interval", "payload-format-indicator",
                                  "message-expiry-interval", "content-type", "response-topic",
                                  "correlation-data", "user-property"]),
    "CONNACK": _sections("3.2.2.3", ["session-expiry-interval", "receive-maximum",
                                     "maximum-qos", "retain-available", "maximum-packet-size",
                                     "assigned-client-identifier", "topic-alias-maximum",
                                     "reason-string", "user-property",
                                     "wildcard-subscription-available",
                                     "subscription-identifier-available",
                                     "shared-subscription-available", "server-keep-alive",
                                     "response-information", "server-reference",
                                     "authentication-method", "authentication-data"]),
    "PUBLISH": _sections("3.3.2.3", ["payload-format-indicator", "message-expiry-interval",
                                     "topic-alias", "response-topic", "correlation-data",
                                     "user-property", "subscription-identifier",
                                     "content-type"]),
    "PUBACK": _sections("3.4.2.2", _ACK), "PUBREC": _sections("3.5.2.2", _ACK),
    "PUBREL": _sections("3.6.2.2", _ACK), "PUBCOMP": _sections("3.7.2.2", _ACK),
    "SUBACK": _sections("3.9.2.1", _ACK), "UNSUBACK": _sections("3.11.2.1", _ACK),
    "SUBSCRIBE": _sections("3.8.2.1", ["subscription-identifier", "user-property"]),
    "UNSUBSCRIBE": _sections("3.10.2.1", ["user-property"]),
    "DISCONNECT": _sections("3.14.2.2", ["session-expiry-interval", "reason-string",
                                         "user-property", "server-reference"]),
    "AUTH": _sections("3.15.2.2", ["authentication-method", "authentication-data",
                                   "reason-string", "user-property"]),
}


def value_clause(pk, name):
    """The clause of a duplicate or a value rule of property `name` in packet `pk`."""
    if pk == "PUBLISH" and name == "topic-alias":
        return "MQTT-3.3.2-8"
    return PROP_SECTION[pk][name]


# Reason codes each packet may carry (the standard's tables, section 2.4 and each packet's).
RC = {
    "CONNACK": {0x00: "success", 0x80: "unspecified-error", 0x81: "malformed-packet",
                0x82: "protocol-error", 0x83: "implementation-specific-error",
                0x84: "unsupported-protocol-version", 0x85: "client-identifier-not-valid",
                0x86: "bad-user-name-or-password", 0x87: "not-authorized",
                0x88: "server-unavailable", 0x89: "server-busy", 0x8A: "banned",
                0x8C: "bad-authentication-method", 0x90: "topic-name-invalid",
                0x95: "packet-too-large", 0x97: "quota-exceeded",
                0x99: "payload-format-invalid", 0x9A: "retain-not-supported",
                0x9B: "qos-not-supported", 0x9C: "use-another-server", 0x9D: "server-moved",
                0x9F: "connection-rate-exceeded"},
    "PUBACK": {0x00: "success", 0x10: "no-matching-subscribers", 0x80: "unspecified-error",
               0x83: "implementation-specific-error", 0x87: "not-authorized",
               0x90: "topic-name-invalid", 0x91: "packet-identifier-in-use",
               0x97: "quota-exceeded", 0x99: "payload-format-invalid"},
    "PUBREL": {0x00: "success", 0x92: "packet-identifier-not-found"},
    "SUBACK": {0x00: "granted-qos-0", 0x01: "granted-qos-1", 0x02: "granted-qos-2",
               0x80: "unspecified-error", 0x83: "implementation-specific-error",
               0x87: "not-authorized", 0x8F: "topic-filter-invalid",
               0x91: "packet-identifier-in-use", 0x97: "quota-exceeded",
               0x9E: "shared-subscriptions-not-supported",
               0xA1: "subscription-identifiers-not-supported",
               0xA2: "wildcard-subscriptions-not-supported"},
    "UNSUBACK": {0x00: "success", 0x11: "no-subscription-existed", 0x80: "unspecified-error",
                 0x83: "implementation-specific-error", 0x87: "not-authorized",
                 0x8F: "topic-filter-invalid", 0x91: "packet-identifier-in-use"},
    "DISCONNECT": {0x00: "normal-disconnection", 0x04: "disconnect-with-will-message",
                   0x80: "unspecified-error", 0x81: "malformed-packet", 0x82: "protocol-error",
                   0x83: "implementation-specific-error", 0x87: "not-authorized",
                   0x89: "server-busy", 0x8B: "server-shutting-down",
                   0x8D: "keep-alive-timeout", 0x8E: "session-taken-over",
                   0x8F: "topic-filter-invalid", 0x90: "topic-name-invalid",
                   0x93: "receive-maximum-exceeded", 0x94: "topic-alias-invalid",
                   0x95: "packet-too-large", 0x96: "message-rate-too-high",
                   0x97: "quota-exceeded", 0x98: "administrative-action",
                   0x99: "payload-format-invalid", 0x9A: "retain-not-supported",
                   0x9B: "qos-not-supported", 0x9C: "use-another-server",
                   0x9D: "server-moved", 0x9E: "shared-subscriptions-not-supported",
                   0x9F: "connection-rate-exceeded", 0xA0: "maximum-connect-time",
                   0xA1: "subscription-identifiers-not-supported",
                   0xA2: "wildcard-subscriptions-not-supported"},
    "AUTH": {0x00: "success", 0x18: "continue-authentication", 0x19: "re-authenticate"},
}
RC["PUBREC"] = RC["PUBACK"]
RC["PUBCOMP"] = RC["PUBREL"]
RC_CLAUSE = {"CONNACK": "MQTT-3.2.2-8", "PUBACK": "MQTT-3.4.2-1", "PUBREC": "MQTT-3.5.2-1",
             "PUBREL": "MQTT-3.6.2-1", "PUBCOMP": "MQTT-3.7.2-1", "SUBACK": "MQTT-3.9.3-2",
             "UNSUBACK": "MQTT-3.11.3-2", "DISCONNECT": "MQTT-3.14.2-1",
             "AUTH": "MQTT-3.15.2-1"}
FLAGS_CLAUSE = {"PUBREL": "MQTT-3.6.1-1", "SUBSCRIBE": "MQTT-3.8.1-1",
                "UNSUBSCRIBE": "MQTT-3.10.1-1", "DISCONNECT": "MQTT-3.14.1-1",
                "AUTH": "MQTT-3.15.1-1"}
ACKS = ("PUBACK", "PUBREC", "PUBREL", "PUBCOMP")


def rl_bounds(name, qos):
    """The smallest Remaining Length the type's mandatory fields need, the largest it can
    have, and the lengths in between it cannot have."""
    if name in ("PINGREQ", "PINGRESP"):
        return 0, 0, ()
    least = {"CONNECT": 13, "CONNACK": 3, "PUBLISH": 3 if qos == 0 else 5, "SUBSCRIBE": 3,
             "SUBACK": 3, "UNSUBSCRIBE": 3, "UNSUBACK": 3, "DISCONNECT": 0, "AUTH": 0}
    least.update({a: 2 for a in ACKS})
    holes = (1,) if name == "AUTH" else ()
    return least[name], MAX_VBI, holes


class Reader:
    def __init__(self, buf, pos, end):
        self.buf, self.pos, self.end = buf, pos, end

    def byte(self, i):
        if i >= len(self.buf):
            raise Incomplete()
        return self.buf[i]


def size_clause(ctx):
    return {"server": "MQTT-3.2.2-15", "client": "MQTT-3.1.2-24"}.get(ctx.get("receiver"),
                                                                       "3.1.2.11.4")


def judge_header(buf, ctx):
    if not buf:
        raise Incomplete()
    b0 = buf[0]
    t, f = b0 >> 4, b0 & 15
    if t == 0:
        raise Malformed("invalid-packet-type", "2.1.2", 0)
    name = TYPES[t]
    qos = None
    if name == "PUBLISH":
        qos = (f >> 1) & 3
        if qos == 3:
            raise Malformed("invalid-qos", "MQTT-3.3.1-4", 0)
        if f & 8 and qos == 0:
            raise Malformed("dup-with-qos0", "MQTT-3.3.1-2", 0)
        if "maximum_qos" in ctx and qos > ctx["maximum_qos"]:
            raise Malformed("qos-not-supported", "MQTT-3.2.2-11", 0)
        if ctx.get("retain_available") is False and f & 1:
            raise Malformed("retain-not-supported", "MQTT-3.2.2-14", 0)
    else:
        want = 2 if name in ("PUBREL", "SUBSCRIBE", "UNSUBSCRIBE") else 0
        if f != want:
            raise Malformed("invalid-flags", FLAGS_CLAUSE.get(name, "MQTT-2.1.3-1"), 0)
    if name == "AUTH" and ctx.get("authentication_method") is False:
        clause = "MQTT-4.12.0-6" if ctx.get("receiver") == "client" else "MQTT-4.12.0-7"
        raise Malformed("unexpected-auth", clause, 0)
    least, most, holes = rl_bounds(name, qos)
    mps = ctx.get("maximum_packet_size")
    bad = Malformed("invalid-remaining-length", "2.1.4", 1, "remaining-length")
    big = Malformed("packet-too-large", size_clause(ctx), 1, "remaining-length")
    value, mult = 0, 1
    for i in range(1, 5):
        b = buf[i] if i < len(buf) else None
        if b is None:
            raise Incomplete()
        value += (b & 0x7F) * mult
        mult *= 128
        if b & 0x80:
            if i == 4:
                raise Malformed("remaining-length-too-long", "1.5.5", 4, "remaining-length")
            # A continuation byte means at least 128**i (a minimal encoding).
            if value + mult > most:
                raise bad
            if mps is not None and 1 + (i + 1) + value + mult > mps:
                raise big
            continue
        if value < least or value > most or value in holes:
            raise bad
        if i > 1 and b == 0:
            raise Malformed("non-minimal-remaining-length", "MQTT-1.5.5-1", i,
                            "remaining-length")
        if mps is not None and 1 + i + value > mps:
            raise big
        return name, f, qos, i + 1, value
    raise AssertionError


def seq_len(lead):
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def second_range(lead):
    return {0xE0: (0xA0, 0xBF), 0xED: (0x80, 0x9F), 0xF0: (0x90, 0xBF),
            0xF4: (0x80, 0x8F)}.get(lead, (0x80, 0xBF))


def scan_utf8(r, s, e, field, utf8_clause, null_clause, on_char=None,
              kind="invalid-utf8"):
    """Checks bytes [s, e) as UTF-8, in order. `on_char(i, cp)` sees each character.
    `null_clause` None: U+0000 is allowed (a payload)."""
    i = s
    while i < e:
        b = r.byte(i)
        n = seq_len(b)
        if n == 0 or i + n > e:
            raise Malformed(kind, utf8_clause, i, field)
        if n == 1:
            cp = b
            if b == 0 and null_clause is not None:
                raise Malformed("null-character", null_clause, i, field)
        else:
            lo, hi = second_range(b)
            c1 = r.byte(i + 1)
            if not lo <= c1 <= hi:
                raise Malformed(kind, utf8_clause, i, field)
            cp = ((b & (0xFF >> (n + 1))) << 6) | (c1 & 0x3F)
            for k in range(2, n):
                ck = r.byte(i + k)
                if not 0x80 <= ck <= 0xBF:
                    raise Malformed(kind, utf8_clause, i, field)
                cp = (cp << 6) | (ck & 0x3F)
        if on_char is not None:
            on_char(i, cp)
        i += n
    return bytes(r.buf[s:e]).decode("utf-8")


def length_prefix(r, limit, err):
    """A two-byte length whose bytes must fit before `limit`; returns (start, end) of the
    content. `err` is raised as soon as a byte shows it cannot fit."""
    start = r.pos
    if start + 2 > limit:
        raise err
    b0 = r.byte(start)
    if start + 2 + (b0 << 8) > limit:
        raise err
    n = (b0 << 8) | r.byte(start + 1)
    if start + 2 + n > limit:
        raise err
    r.pos = start + 2 + n
    return start + 2, start + 2 + n


def text(r, field, trunc_clause, limit=None, utf8_clause="MQTT-1.5.4-1",
         null_clause="MQTT-1.5.4-2", on_char=None):
    start = r.pos
    s, e = length_prefix(r, r.end if limit is None else limit,
                         Malformed("truncated", trunc_clause, start, field))
    return scan_utf8(r, s, e, field, utf8_clause, null_clause, on_char)


def topic_name(r, field, trunc_clause, wildcard_clause, empty_clause="MQTT-4.7.3-1",
               null_clause="MQTT-4.7.3-2", utf8_clause="MQTT-1.5.4-1", limit=None,
               empty_ok=False, trunc=None):
    start = r.pos
    s, e = length_prefix(r, r.end if limit is None else limit,
                         trunc or Malformed("truncated", trunc_clause, start, field))
    if s == e and not empty_ok:
        raise Malformed("empty-topic", empty_clause, start, field)

    def wild(i, cp):
        if cp in (0x2B, 0x23):
            raise Malformed("wildcard-in-topic-name", wildcard_clause, i, field)

    return scan_utf8(r, s, e, field, utf8_clause, null_clause, wild)


def topic_filter(r, utf8_clause, ctx, subscribe):
    """A topic filter with the wildcard and shared-subscription rules. Returns (text, shared)."""
    field = "topic-filter"
    start = r.pos
    s, e = length_prefix(r, r.end, Malformed("truncated", "2.1.4", start, field))
    if s == e:
        raise Malformed("empty-topic", "MQTT-4.7.3-1", start, field)
    share = b"$share/"
    state = {"shared": False, "name_end": None}
    buf = r.buf

    def on_char(i, cp):
        k = i - s
        if k == len(share) - 1 and cp == 0x2F and bytes(buf[s:i + 1]) == share:
            state["shared"] = True
            if subscribe and ctx.get("shared_subscription_available") is False:
                raise Malformed("shared-subscriptions-not-supported", "3.2.2.3.13", s, field)
            if i + 1 >= e:
                # "$share/" and nothing after it: an empty ShareName at the filter's end.
                raise Malformed("invalid-shared-subscription", "MQTT-4.8.2-1", e, field)
            return
        if state["shared"] and state["name_end"] is None:
            # Inside the ShareName.
            if cp == 0x2F:
                if i == s + len(share):
                    raise Malformed("invalid-shared-subscription", "MQTT-4.8.2-1", i, field)
                state["name_end"] = i
                if i + 1 >= e:
                    raise Malformed("invalid-shared-subscription", "MQTT-4.8.2-2", e, field)
                return
            if cp in (0x2B, 0x23):
                raise Malformed("invalid-shared-subscription", "MQTT-4.8.2-2", i, field)
            if i + (1 if cp < 0x80 else seq_len(buf[i])) >= e:
                raise Malformed("invalid-shared-subscription", "MQTT-4.8.2-2", e, field)
            return
        if cp not in (0x2B, 0x23):
            return
        level_start = i == s or buf[i - 1] == 0x2F
        if cp == 0x23:
            if not level_start or i + 1 < e:
                raise Malformed("misplaced-multi-level-wildcard", "MQTT-4.7.1-1", i, field)
        else:
            if not level_start or (i + 1 < e and r.byte(i + 1) != 0x2F):
                raise Malformed("misplaced-single-level-wildcard", "MQTT-4.7.1-2", i, field)
        if subscribe and ctx.get("wildcard_subscription_available") is False:
            raise Malformed("wildcard-subscriptions-not-supported", "3.2.2.3.11", i, field)

    t = scan_utf8(r, s, e, field, utf8_clause, "MQTT-4.7.3-2", on_char)
    return t, state["shared"]


def read_vbi(r, limit, field, trunc_clause, trunc_offset):
    start = r.pos
    value = 0
    for k in range(4):
        i = start + k
        if i >= limit:
            raise Malformed("truncated", trunc_clause, trunc_offset, field)
        b = r.byte(i)
        value += (b & 0x7F) << (7 * k)
        if b & 0x80:
            if k == 3:
                raise Malformed("variable-byte-integer-too-long", "1.5.5", start, field)
            continue
        if k > 0 and b == 0:
            raise Malformed("non-minimal-variable-byte-integer", "MQTT-1.5.5-1", start, field)
        r.pos = i + 1
        return value
    raise AssertionError


def not_expected(pk, pid, ctx):
    """The clause when the context says this receiver must not be sent the property."""
    recv = ctx.get("receiver")
    if pk == "PUBLISH" and pid == 0x0B and recv == "server":
        return "property-not-expected", "MQTT-3.3.4-6"
    if pk == "DISCONNECT" and pid == 0x11 and recv == "client":
        return "property-not-expected", "MQTT-3.14.2-2"
    if recv == "client" and ctx.get("request_problem_information") is False and \
            pid in (0x1F, 0x26) and pk not in ("PUBLISH", "CONNACK", "DISCONNECT"):
        return "property-not-expected", "MQTT-3.1.2-29"
    if recv == "client" and pk == "CONNACK" and pid == 0x1A and \
            ctx.get("request_response_information") is False:
        return "property-not-expected", "MQTT-3.1.2-28"
    if recv == "client" and pk == "CONNACK" and pid == 0x15 and \
            ctx.get("authentication_method") is False:
        return "property-not-expected", "MQTT-4.12.0-6"
    if pk == "SUBSCRIBE" and pid == 0x0B and \
            ctx.get("subscription_identifiers_available") is False:
        return "subscription-identifiers-not-supported", "3.2.2.3.12"
    return None


def alias_clause(ctx, maximum):
    recv = ctx.get("receiver")
    if maximum == 0:
        return {"server": "MQTT-3.2.2-18", "client": "MQTT-3.1.2-27"}.get(recv, "3.3.2.3.4")
    return {"server": "MQTT-3.3.2-9", "client": "MQTT-3.3.2-11"}.get(recv, "3.3.2.3.4")


def properties(r, pk, ctx):
    """A property length and its block. Returns the model list."""
    field = "will-properties" if pk == "WILL" else "properties"
    tclause = PROP_LEN_SECTION[pk]
    start = r.pos
    length = read_vbi(r, r.end, field, tclause, start)
    if r.pos + length > r.end:
        raise Malformed("truncated", tclause, start, field)
    bend = r.pos + length
    out, seen = [], set()
    auth_data_at, has_method = None, False
    while r.pos < bend:
        p = r.pos
        pid = r.byte(p)
        if pid not in PROPS:
            raise Malformed("unknown-property", "2.2.2.2", p, field)
        name, typ, pkts = PROPS[pid]
        if pk not in pkts:
            raise Malformed("property-not-allowed", "2.2.2.2", p, field)
        repeatable = pid == 0x26 or (pid == 0x0B and pk == "PUBLISH")
        if pid in seen and not repeatable:
            raise Malformed("duplicate-property", PROP_SECTION[pk][name], p, name)
        seen.add(pid)
        ne = not_expected(pk, pid, ctx)
        if ne:
            raise Malformed(ne[0], ne[1], p, name)
        trunc = Malformed("truncated", tclause, p, name)
        r.pos = p + 1
        if typ in SIZE:
            n = SIZE[typ]
            if p + 1 + n > bend:
                raise trunc
            if typ == "byte":
                v = r.byte(p + 1)
                if v > 1:
                    raise Malformed("invalid-property-value", value_clause(pk, name), p + 1,
                                    name)
            elif typ == "u16":
                b0 = r.byte(p + 1)
                if pid == 0x23 and "topic_alias_maximum" in ctx and \
                        (b0 << 8) > ctx["topic_alias_maximum"]:
                    raise Malformed("topic-alias-out-of-range",
                                    alias_clause(ctx, ctx["topic_alias_maximum"]), p + 1, name)
                v = (b0 << 8) | r.byte(p + 2)
                if v == 0 and pid in (0x21, 0x23):
                    raise Malformed("invalid-property-value", value_clause(pk, name), p + 1,
                                    name)
                if pid == 0x23 and "topic_alias_maximum" in ctx and \
                        v > ctx["topic_alias_maximum"]:
                    raise Malformed("topic-alias-out-of-range",
                                    alias_clause(ctx, ctx["topic_alias_maximum"]), p + 1, name)
            else:
                v = 0
                for k in range(4):
                    v = (v << 8) | r.byte(p + 1 + k)
                if v == 0 and pid == 0x27:
                    raise Malformed("invalid-property-value", value_clause(pk, name), p + 1,
                                    name)
            r.pos = p + 1 + n
        elif typ == "vbi":
            v = read_vbi(r, bend, name, tclause, p)
            if v == 0:
                raise Malformed("invalid-property-value", value_clause(pk, name), p + 1, name)
        elif typ == "bin":
            s, e = length_prefix(r, bend, trunc)
            v = bytes(r.buf[s:e]).hex() if e <= len(r.buf) else None
            if pid == 0x16:
                auth_data_at = p
        elif typ == "str":
            if pid == 0x08:
                v = topic_name(r, name, tclause, "MQTT-3.3.2-14", empty_clause="MQTT-3.3.2-14",
                               utf8_clause="MQTT-3.3.2-13", limit=bend, trunc=trunc)
            else:
                uc = {0x03: "MQTT-3.3.2-19"}.get(pid, "MQTT-1.5.4-1")
                s, e = length_prefix(r, bend, trunc)
                v = scan_utf8(r, s, e, name, uc, "MQTT-1.5.4-2")
            if pid == 0x15:
                has_method = True
        else:  # pair
            s, e = length_prefix(r, bend, trunc)
            k = scan_utf8(r, s, e, name, "MQTT-1.5.7-1", "MQTT-1.5.7-1")
            s, e = length_prefix(r, bend, trunc)
            val = scan_utf8(r, s, e, name, "MQTT-1.5.7-1", "MQTT-1.5.7-1")
            v = [k, val]
        out.append({"id": pid, "name": name, "value": v})
    if auth_data_at is not None and not has_method:
        if bend > start:
            r.byte(bend - 1)
        raise Malformed("missing-authentication-method",
                        value_clause(pk, "authentication-data"), auth_data_at,
                        "authentication-data")
    r.pos = bend
    return out


def rc_model(pk, v):
    return {"value": v, "name": RC[pk][v]}


def reason_code(r, pk):
    v = r.byte(r.pos)
    if v not in RC[pk]:
        raise Malformed("invalid-reason-code", RC_CLAUSE[pk], r.pos, "reason-code")
    r.pos += 1
    return rc_model(pk, v)


def packet_id(r, zero_clause):
    start = r.pos
    if start + 2 > r.end:
        raise Malformed("truncated", "2.1.4", start, "packet-id")
    if r.byte(start) == 0 and r.byte(start + 1) == 0:
        raise Malformed("zero-packet-id", zero_clause, start, "packet-id")
    r.pos = start + 2
    return (r.buf[start] << 8) | r.buf[start + 1]


def trailing(r):
    if r.pos < r.end:
        raise Malformed("trailing-bytes", "2.1.4", r.pos)


def payload_utf8(r, s, e, clause, field):
    scan_utf8(r, s, e, field, clause, None, kind="payload-not-utf8")


def prop_value(props, pid):
    for p in props:
        if p["id"] == pid:
            return p["value"]
    return None


def judge_connect(r, ctx):
    p = r.pos
    for k, want in enumerate(b"\x00\x04MQTT"):
        if r.byte(p + k) != want:
            raise Malformed("invalid-protocol-name", "MQTT-3.1.2-1", p, "protocol-name")
    if r.byte(p + 6) != 5:
        raise Malformed("unsupported-protocol-level", "MQTT-3.1.2-2", p + 6, "protocol-level")
    at = p + 7
    f = r.byte(at)
    will, wqos, wretain = f & 4, (f >> 3) & 3, f & 0x20
    if f & 1:
        raise Malformed("connect-reserved-flag", "MQTT-3.1.2-3", at, "connect-flags")
    if not will and wqos:
        raise Malformed("will-qos-without-will", "MQTT-3.1.2-11", at, "connect-flags")
    if not will and wretain:
        raise Malformed("will-retain-without-will", "MQTT-3.1.2-13", at, "connect-flags")
    if will and wqos == 3:
        raise Malformed("invalid-will-qos", "MQTT-3.1.2-12", at, "connect-flags")
    if will and "maximum_qos" in ctx and wqos > ctx["maximum_qos"]:
        raise Malformed("qos-not-supported", "MQTT-3.2.2-12", at, "connect-flags")
    if will and wretain and ctx.get("retain_available") is False:
        raise Malformed("retain-not-supported", "MQTT-3.2.2-13", at, "connect-flags")
    r.pos = p + 8
    if r.pos + 2 > r.end:
        raise Malformed("truncated", "2.1.4", r.pos, "keep-alive")
    keep = (r.byte(r.pos) << 8) | r.byte(r.pos + 1)
    r.pos += 2
    props = properties(r, "CONNECT", ctx)
    cid = text(r, "client-id", "MQTT-3.1.3-3")
    m = {"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5,
         "clean_start": bool(f & 2), "keep_alive": keep, "properties": props,
         "client_id": cid, "will": None, "username": None, "password": None}
    if will:
        wprops = properties(r, "WILL", ctx)
        wtopic = topic_name(r, "will-topic", "MQTT-3.1.2-9", "MQTT-4.7.0-1")
        s, e = length_prefix(r, r.end, Malformed("truncated", "MQTT-3.1.2-9", r.pos,
                                                 "will-message"))
        if ctx.get("check_payload_utf8") and prop_value(wprops, 0x01) == 1:
            payload_utf8(r, s, e, "3.1.3.2.3", "will-message")
        m["will"] = {"properties": wprops, "topic": wtopic,
                     "message": bytes(r.buf[s:e]).hex(), "qos": wqos,
                     "retain": bool(wretain)}
    if f & 0x80:
        m["username"] = text(r, "username", "MQTT-3.1.2-17")
    if f & 0x40:
        s, e = length_prefix(r, r.end, Malformed("truncated", "MQTT-3.1.2-19", r.pos,
                                                 "password"))
        m["password"] = bytes(r.buf[s:e]).hex()
    if r.pos < r.end:
        order = [("will-properties", will, "MQTT-3.1.3-1"),
                 ("username", f & 0x80, "MQTT-3.1.2-16"),
                 ("password", f & 0x40, "MQTT-3.1.2-18")]
        last = max([i for i, o in enumerate(order) if o[1]], default=-1)
        rest = order[last + 1:]
        if not rest:
            raise Malformed("trailing-bytes", "2.1.4", r.pos)
        raise Malformed("unflagged-field", rest[0][2], r.pos, rest[0][0])
    return m


def judge_body(name, f, qos, r, ctx):
    if name == "CONNECT":
        return judge_connect(r, ctx)
    if name == "CONNACK":
        p = r.pos
        fl = r.byte(p)
        if fl & 0xFE:
            raise Malformed("connack-reserved-flags", "MQTT-3.2.2-1", p, "connack-flags")
        rc = r.byte(p + 1)
        if fl & 1 and rc != 0:
            raise Malformed("session-present-with-error", "MQTT-3.2.2-6", p, "connack-flags")
        r.pos = p + 1
        rcm = reason_code(r, "CONNACK")
        props = properties(r, "CONNACK", ctx)
        trailing(r)
        return {"type": "CONNACK", "session_present": bool(fl & 1), "reason_code": rcm,
                "properties": props}
    if name == "PUBLISH":
        tstart = r.pos
        topic = topic_name(r, "topic-name", "MQTT-3.3.2-1", "MQTT-3.3.2-2", empty_ok=True)
        pid = packet_id(r, "MQTT-2.2.1-3") if qos else None
        props = properties(r, "PUBLISH", ctx)
        if topic == "" and prop_value(props, 0x23) is None:
            if r.pos > tstart:
                r.byte(r.pos - 1)
            raise Malformed("empty-topic-without-alias", "3.3.2.1", tstart, "topic-name")
        if ctx.get("check_payload_utf8") and prop_value(props, 0x01) == 1:
            payload_utf8(r, r.pos, r.end, "3.3.2.3.2", "payload")
        s = r.pos
        r.pos = r.end
        return {"type": "PUBLISH", "dup": bool(f & 8), "qos": qos, "retain": bool(f & 1),
                "topic": topic, "packet_id": pid, "properties": props,
                "payload": bytes(r.buf[s:r.end]).hex()}
    if name in ACKS:
        pid = packet_id(r, "2.2.1")
        m = {"type": name, "packet_id": pid, "reason_code": None, "properties": None}
        if r.pos < r.end:
            m["reason_code"] = reason_code(r, name)
        if r.pos < r.end:
            m["properties"] = properties(r, name, ctx)
        trailing(r)
        return m
    if name in ("SUBSCRIBE", "UNSUBSCRIBE"):
        pid = packet_id(r, "MQTT-2.2.1-3")
        props = properties(r, name, ctx)
        if r.pos == r.end:
            raise Malformed("no-topic-filters",
                            "MQTT-3.8.3-2" if name == "SUBSCRIBE" else "MQTT-3.10.3-2", r.pos)
        items = []
        while r.pos < r.end:
            if name == "SUBSCRIBE":
                filt, shared = topic_filter(r, "MQTT-3.8.3-1", ctx, True)
                at = r.pos
                if at + 1 > r.end:
                    raise Malformed("truncated", "2.1.4", at, "subscription-options")
                o = r.byte(at)
                if o & 0xC0:
                    raise Malformed("subscription-reserved-bits", "MQTT-3.8.3-5", at,
                                    "subscription-options")
                if o & 3 == 3:
                    raise Malformed("invalid-requested-qos", "3.8.3.1", at,
                                    "subscription-options")
                if (o >> 4) & 3 == 3:
                    raise Malformed("invalid-retain-handling", "3.8.3.1", at,
                                    "subscription-options")
                if o & 4 and shared:
                    raise Malformed("no-local-on-shared-subscription", "MQTT-3.8.3-4", at,
                                    "subscription-options")
                r.pos = at + 1
                items.append({"filter": filt, "qos": o & 3, "no_local": bool(o & 4),
                              "retain_as_published": bool(o & 8),
                              "retain_handling": (o >> 4) & 3})
            else:
                filt, _ = topic_filter(r, "MQTT-3.10.3-1", ctx, False)
                items.append(filt)
        key_ = "subscriptions" if name == "SUBSCRIBE" else "filters"
        return {"type": name, "packet_id": pid, "properties": props, key_: items}
    if name in ("SUBACK", "UNSUBACK"):
        pid = packet_id(r, "2.2.1")
        props = properties(r, name, ctx)
        if r.pos == r.end:
            if r.pos > 0:
                r.byte(r.pos - 1)
            raise Malformed("no-reason-codes", RC_CLAUSE[name], r.pos)
        codes = []
        while r.pos < r.end:
            codes.append(reason_code(r, name))
        return {"type": name, "packet_id": pid, "properties": props, "reason_codes": codes}
    if name in ("PINGREQ", "PINGRESP"):
        return {"type": name}
    if name in ("DISCONNECT", "AUTH"):
        m = {"type": name, "reason_code": None, "properties": None}
        if r.pos < r.end:
            m["reason_code"] = reason_code(r, name)
        if r.pos < r.end:
            m["properties"] = properties(r, name, ctx)
        trailing(r)
        return m
    raise AssertionError(name)


def judge(buf, ctx=None):
    """('valid', used, model) | ('incomplete',) | ('invalid', error)."""
    ctx = ctx or {}
    try:
        name, f, qos, hl, rl = judge_header(buf, ctx)
        r = Reader(buf, hl, hl + rl)
        model = judge_body(name, f, qos, r, ctx)
        if len(buf) < hl + rl:
            raise Incomplete()
        return ("valid", hl + rl, model)
    except Incomplete:
        return ("incomplete",)
    except Malformed as m:
        return ("invalid", m.err)


# ---------------------------------------------------------------------------------------------
# The encoder: a model back to bytes, in the form the model records.


def vbi(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def u16(n):
    return bytes([n >> 8, n & 255])


def s16(t):
    b = t.encode("utf-8")
    return u16(len(b)) + b


def b16(h):
    b = bytes.fromhex(h)
    return u16(len(b)) + b


def enc_props(props):
    body = bytearray()
    for p in props:
        name, typ, _ = PROPS[p["id"]]
        assert name == p["name"], (name, p["name"])
        body.append(p["id"])
        v = p["value"]
        if typ == "byte":
            body.append(v)
        elif typ == "u16":
            body += u16(v)
        elif typ == "u32":
            body += v.to_bytes(4, "big")
        elif typ == "vbi":
            body += vbi(v)
        elif typ == "str":
            body += s16(v)
        elif typ == "bin":
            body += b16(v)
        else:
            body += s16(v[0]) + s16(v[1])
    return vbi(len(body)) + bytes(body)


def payload_bytes(p):
    if isinstance(p, str):
        return bytes.fromhex(p)
    out = bytearray()
    for seg in p:
        out += bytes.fromhex(seg) if isinstance(seg, str) else \
            bytes.fromhex(seg["repeat"]) * seg["count"]
    return bytes(out)


def encode(m):
    t = m["type"]
    code = CODES[t]
    flags = {"PUBREL": 2, "SUBSCRIBE": 2, "UNSUBSCRIBE": 2}.get(t, 0)
    body = bytearray()
    if t == "CONNECT":
        w = m["will"]
        f = (0x80 if m["username"] is not None else 0) | \
            (0x40 if m["password"] is not None else 0) | (2 if m["clean_start"] else 0)
        if w:
            f |= 4 | (w["qos"] << 3) | (0x20 if w["retain"] else 0)
        body += b"\x00\x04MQTT\x05" + bytes([f]) + u16(m["keep_alive"])
        body += enc_props(m["properties"]) + s16(m["client_id"])
        if w:
            body += enc_props(w["properties"]) + s16(w["topic"]) + b16(w["message"])
        if m["username"] is not None:
            body += s16(m["username"])
        if m["password"] is not None:
            body += b16(m["password"])
    elif t == "CONNACK":
        body += bytes([1 if m["session_present"] else 0, m["reason_code"]["value"]])
        body += enc_props(m["properties"])
    elif t == "PUBLISH":
        flags = (8 if m["dup"] else 0) | (m["qos"] << 1) | (1 if m["retain"] else 0)
        body += s16(m["topic"])
        if m["qos"]:
            body += u16(m["packet_id"])
        body += enc_props(m["properties"]) + payload_bytes(m["payload"])
    elif t in ACKS:
        body += u16(m["packet_id"])
        if m["reason_code"] is not None:
            body.append(m["reason_code"]["value"])
            if m["properties"] is not None:
                body += enc_props(m["properties"])
    elif t == "SUBSCRIBE":
        body += u16(m["packet_id"]) + enc_props(m["properties"])
        for s in m["subscriptions"]:
            body += s16(s["filter"]) + bytes([s["qos"] | (4 if s["no_local"] else 0) |
                                              (8 if s["retain_as_published"] else 0) |
                                              (s["retain_handling"] << 4)])
    elif t == "UNSUBSCRIBE":
        body += u16(m["packet_id"]) + enc_props(m["properties"])
        for s in m["filters"]:
            body += s16(s)
    elif t in ("SUBACK", "UNSUBACK"):
        body += u16(m["packet_id"]) + enc_props(m["properties"])
        body += bytes(c["value"] for c in m["reason_codes"])
    elif t in ("DISCONNECT", "AUTH"):
        if m["reason_code"] is not None:
            body.append(m["reason_code"]["value"])
            if m["properties"] is not None:
                body += enc_props(m["properties"])
    return bytes([(code << 4) | flags]) + vbi(len(body)) + bytes(body)
