#!/usr/bin/env python3
"""The reference runner of the MQTT golden vectors, in Python with the standard library only.

It reads the vectors (vectors/v311, vectors/v5) and a checks file written by
`mqtt-vectors checks --protocol V` (vectors/schema/checks.schema.json: every check, as data),
runs each check against any program that speaks the adapter protocol of vectors/README.md,
and prints the report of the Rust runner (`mqtt-vectors run`), ending with the same line,
`conformance: N passed, N failed`. It decides nothing about what to check: the checks file
does; this file only says how each kind of check is made.

    python3 mqtt_vectors.py run --impl COMMAND --checks 3.1.1.json [--checks 5.0.json]
        [--vectors DIR] [--timeout SECONDS] [--decisions FILE] [--json] [--trace ID] [FILTER]
"""

import json
import os
import queue
import signal
import subprocess
import sys
import threading

CHECKS_FORMAT_VERSION = 1
DEFAULT_TIMEOUT = 10.0
THIS_CODEC = "mqtt-wire"
FEATURES_ID = "features"
UNKNOWN_KIND = "unknown"
LARGE_PACKET_SKIP = "LargePacket vectors are not sent through an adapter"
DECISIONS_PATH = "conformance/acceptable-decisions.json"
DATA_FILES = ("clauses.json", "flags.json", "error-kinds.json")
PROTOCOL_DIRS = {"3.1.1": "v311", "5.0": "v5"}
ERROR_PARTS = ("kind", "clause", "field", "offset", "reason_code")
PACKET_TYPES = [None, "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
                "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP",
                "DISCONNECT", "AUTH"]
VERDICTS = ("valid", "invalid", "acceptable")
MAX_REMAINING_LENGTH = 268_435_455


class UsageError(Exception):
    """A problem with the command line or the input files: exit status 2."""


# ---------------------------------------------------------------------------------------------
# JSON as the Rust runner writes and compares it (serde_json).

def dumps(value):
    """Compact JSON, non-ASCII kept, as serde_json's `to_string` writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def same(a, b):
    """JSON equality as serde_json's: a boolean is not a number, 1 is not 1.0, key order aside."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def seconds(value):
    """A number of seconds as Rust prints an f64: `10`, `0.3`."""
    return str(int(value)) if value == int(value) else repr(value)


# ---------------------------------------------------------------------------------------------
# Hex and the `wire` field.

def parse_hex(text):
    out = bytearray()
    high = None
    for c in text:
        if c == " " and high is None:
            continue
        digit = int(c, 16) if c in "0123456789abcdefABCDEF" else None
        if digit is None:
            raise ValueError("not hex: %r" % c)
        if high is None:
            high = digit
        else:
            out.append(high << 4 | digit)
            high = None
    if high is not None:
        raise ValueError("odd number of hex digits in %r" % text[:64])
    return bytes(out)


def parse_segments(value):
    """Bytes from a `wire` (or segmented `payload`): hex, or hex and {repeat, count} segments."""
    if isinstance(value, str):
        return parse_hex(value)
    if isinstance(value, list):
        out = bytearray()
        for segment in value:
            if isinstance(segment, str):
                out += parse_hex(segment)
            elif isinstance(segment, dict):
                out += parse_hex(segment["repeat"]) * segment["count"]
            else:
                raise ValueError("bad segment %s" % dumps(segment))
        return bytes(out)
    raise ValueError("bad wire value %s" % dumps(value))


def wire_summary(value):
    """The length and first byte of a `wire`, without building the bytes (256 MiB for some)."""
    segments = [value] if isinstance(value, str) else value
    length, first = 0, None
    for segment in segments:
        unit = parse_hex(segment if isinstance(segment, str) else segment["repeat"])
        count = 1 if isinstance(segment, str) else segment["count"]
        if first is None and unit and count:
            first = unit[0]
        length += len(unit) * count
    return length, first


def normalize(packet):
    """The packet model with a segmented `payload` written out as one hex string."""
    if isinstance(packet, dict) and isinstance(packet.get("payload"), list):
        packet = dict(packet)
        packet["payload"] = parse_segments(packet["payload"]).hex()
    return packet


def declared_remaining_length(wire):
    """The Remaining Length value and its byte count, or None while it is incomplete."""
    value = 0
    for i, b in enumerate(wire[1:5]):
        value |= (b & 0x7F) << (7 * i)
        if b & 0x80 == 0:
            return value, i + 1
    return None


def with_remaining_length(first, value, body):
    if value > MAX_REMAINING_LENGTH:
        return None
    out = bytearray([first])
    while True:
        byte = value % 128
        value //= 128
        if value > 0:
            byte |= 0x80
        out.append(byte)
        if value == 0:
            break
    return bytes(out) + body


def expand(cuts):
    for start, end in cuts:
        yield from range(start, end)


# ---------------------------------------------------------------------------------------------
# The adapter.

class Fault(Exception):
    """A request got no outcome: kind is `crash`, `timeout` or `protocol`."""

    def __init__(self, kind, text):
        super().__init__(text)
        self.kind = kind
        self.text = text

    def __str__(self):
        if self.kind == "crash":
            return "crash: %s" % self.text
        if self.kind == "timeout":
            return "timeout: no answer in %s s" % self.text
        return "adapter error: %s" % self.text


def exit_status(code):
    """A process's end as Rust's ExitStatus prints it."""
    if code is None:
        return "still running"
    if code >= 0:
        return "exit status: %d" % code
    try:
        name = " (%s)" % signal.Signals(-code).name
    except ValueError:
        name = ""
    return "signal: %d%s" % (-code, name)


class Adapter:
    """A program speaking the adapter protocol, started with `sh -c`; started again after a
    crash (it exited) or a timeout (it was killed)."""

    def __init__(self, command, timeout, trace=None):
        self.command = command
        self.timeout = timeout
        self.process = None
        self.lines = None
        self.features = None
        self.version_line = False
        self.trace = trace
        self.traced_id = None

    def start(self):
        process = subprocess.Popen(["sh", "-c", self.command], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE)
        lines = queue.Queue()

        def read():
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        self.process, self.lines = process, lines

    def kill(self):
        process, self.process = self.process, None
        process.kill()
        return exit_status(process.wait())

    def finish(self, grace):
        process, self.process = self.process, None
        try:
            process.stdin.close()
        except OSError:
            pass
        try:
            return exit_status(process.wait(timeout=grace))
        except subprocess.TimeoutExpired:
            process.kill()
            return exit_status(process.wait())

    def close(self):
        if self.process is not None:
            self.finish(self.timeout)

    def exchange(self, request):
        if self.process is None:
            self.start()
        line_out = dumps(request)
        if self.trace is not None and request.get("id") == self.trace:
            print("trace: request %s" % line_out, file=sys.stderr)
        try:
            self.process.stdin.write(line_out.encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            pass
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            self.kill()
            self.trace_answer(request, "(timeout)")
            raise Fault("timeout", seconds(self.timeout))
        if line is None:
            status = self.finish(0.5)
            self.trace_answer(request, "(the adapter exited: %s)" % status)
            raise Fault("crash", "the adapter exited (%s)" % status)
        text = line.decode("utf-8", errors="replace").rstrip("\r\n")
        self.trace_answer(request, text)
        try:
            answer = json.loads(text)
        except ValueError as e:
            raise Fault("protocol", "adapter answer is not JSON: %s: %r" % (e, text))
        if not isinstance(answer, dict) or not same(answer.get("id"), request.get("id")):
            got = answer.get("id") if isinstance(answer, dict) else None
            raise Fault("protocol", "adapter answered id %s to request %s"
                        % (dumps(got), dumps(request.get("id"))))
        if answer.get("result") == "crash":
            reason = answer.get("reason")
            raise Fault("crash", reason if isinstance(reason, str) else "")
        return answer

    def trace_answer(self, request, text):
        if self.trace is not None and request.get("id") == self.trace:
            print("trace: answer  %s" % text, file=sys.stderr)

    def decode(self, req, data):
        answer = self.exchange(request_json(req, "hex", data.hex()))
        result = answer.get("result")
        if result == "valid":
            consumed = answer.get("consumed")
            if isinstance(consumed, bool) or not isinstance(consumed, int) or consumed < 0:
                raise Fault("protocol", "a valid answer without consumed")
            if "packet" not in answer:
                raise Fault("protocol", "a valid answer without packet")
            return ("valid", consumed, answer["packet"])
        if result == "invalid":
            if "error" not in answer:
                raise Fault("protocol", "an invalid answer without error")
            return ("invalid", answer["error"])
        if result == "incomplete":
            return ("incomplete",)
        if result == "unsupported":
            return ("unsupported",)
        raise Fault("protocol", "adapter answer without a known result: %s" % dumps(answer))

    def encode(self, req, packet):
        answer = self.exchange(request_json(req, "encode", packet))
        text = answer.get("hex")
        if not isinstance(text, str):
            return None
        try:
            return parse_hex(text)
        except ValueError as e:
            raise Fault("protocol", str(e))

    def supports(self, feature):
        if self.features is None:
            try:
                answer = self.exchange({"id": FEATURES_ID, "features": "?"})
                listed = answer.get("features")
            except Fault:
                listed = None
            self.features = [f for f in listed if isinstance(f, str)] \
                if isinstance(listed, list) else []
        return feature in self.features

    def version(self):
        """The first line of `COMMAND --version` if it exits with success in time."""
        if self.version_line is False:
            self.version_line = None
            try:
                done = subprocess.run(["sh", "-c", self.command + " --version"],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, timeout=self.timeout)
                lines = done.stdout.decode("utf-8", errors="replace").splitlines()
                if done.returncode == 0 and lines:
                    self.version_line = lines[0].strip()
            except (subprocess.TimeoutExpired, OSError):
                pass
        return self.version_line

    def is_this_codec(self):
        words = (self.version() or "").split()
        return bool(words) and words[0] == THIS_CODEC

    def name(self):
        return "adapter: %s" % self.command


def request_json(req, key, value):
    out = {"id": req["id"], "protocol": req["protocol"]}
    if req.get("context") is not None:
        out["context"] = req["context"]
    out[key] = value
    return out


# ---------------------------------------------------------------------------------------------
# The rules, and judging answers.

class Rules:
    def __init__(self, decisions=None):
        # None: the standard's; a dict id -> ("accepted", None) | ("refused", kind): this codec's.
        self.decisions = decisions

    @property
    def this_codec(self):
        return self.decisions is not None

    def describe(self):
        if self.this_codec:
            return ("this codec's (every error in full, early rejection at the deciding byte, "
                    "the recorded decision for every acceptable vector, nothing declined)")
        return "the standard's (an error may be 'unknown'; early rejection recorded, not required)"


def load_decisions(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format_version") != 1:
        raise UsageError("%s: format_version must be 1" % path)
    decisions = {}
    for entry in data["decisions"]:
        if entry["decision"] == "accepted":
            decisions[entry["id"]] = ("accepted", None)
        else:
            decisions[entry["id"]] = ("refused", entry["kind"])
    return decisions


def show_decision(decision):
    return "accepted" if decision[0] == "accepted" else "refused (%s)" % decision[1]


def show(outcome):
    if outcome[0] == "valid":
        text = dumps(outcome[2])
        raw = text.encode()
        if len(raw) > 300:
            text = raw[:300].decode("utf-8", errors="ignore") + "..."
        return "valid (%d bytes) %s" % (outcome[1], text)
    if outcome[0] == "invalid":
        return "invalid %s" % dumps(outcome[1])
    return outcome[0]


def short_hex(data):
    if len(data) <= 48:
        return data.hex()
    return "%s... (%d bytes)" % (data[:48].hex(), len(data))


def given(error, name):
    value = error.get(name) if isinstance(error, dict) else None
    return value


def same_error(a, b):
    return all(same(given(a, n), given(b, n)) for n in ERROR_PARTS)


def error_matches(outcome, expected, strict):
    """None when `outcome` is the error `expected`, else why not."""
    if outcome[0] != "invalid":
        return "expected invalid (%s, %s), got %s" % (expected["kind"], expected["clause"],
                                                       show(outcome))
    got = outcome[1]
    wrong = []
    kind = given(got, "kind")
    unknown_allowed = not strict and kind == UNKNOWN_KIND
    if not (isinstance(kind, str) and kind == expected["kind"]) and not unknown_allowed:
        wrong.append("kind %s (expected %s)" % ("none" if kind is None else dumps(kind),
                                                  expected["kind"]))
    for name in ("clause", "field", "offset", "reason_code"):
        want = expected.get(name)
        if want is None:
            continue
        value = given(got, name)
        if value is not None and same(value, want):
            continue
        if value is not None:
            wrong.append("%s %s (expected %s)" % (name, dumps(value), dumps(want)))
        elif strict:
            wrong.append("no %s (expected %s)" % (name, dumps(want)))
    if wrong:
        return "wrong error: %s; got %s" % (", ".join(wrong), dumps(got))
    return None


def unknown_kind_message(outcome):
    if outcome[0] != "invalid" or given(outcome[1], "kind") != UNKNOWN_KIND:
        return None
    message = given(outcome[1], "message")
    return message if isinstance(message, str) else ""


def decision_matches(recorded, outcome, accepted, vector):
    made = "accepted it" if accepted else "gave %s" % show(outcome)
    if recorded is None:
        return ("no decision of this codec is recorded for this acceptable vector in %s: it %s"
                % (DECISIONS_PATH, made))
    if recorded[0] == "accepted" and accepted:
        return None
    if recorded[0] == "refused" and outcome[0] == "invalid" \
            and given(outcome[1], "kind") == recorded[1]:
        expected = vector.get("error")
        if expected is not None and expected["kind"] == recorded[1]:
            return error_matches(outcome, expected, True)
        return None
    return "this codec's recorded decision (%s) is %s, but it %s" % (
        DECISIONS_PATH, show_decision(recorded), made)


# ---------------------------------------------------------------------------------------------
# Making the checks of one vector.

class Checks:
    def __init__(self, adapter, rules, req, result):
        self.imp = adapter
        self.rules = rules
        self.req = req
        self.result = result
        self.stage = "decode"

    def fail(self, message):
        self.result["failures"].append(message)

    def fault(self, fault):
        detail = "%s: %s" % (self.stage, fault)
        self.fail(detail)
        if fault.kind in ("crash", "timeout"):
            self.result["fault"] = {"kind": fault.kind, "detail": detail}

    def decode(self, data):
        if self.result["fault"] is not None or self.result["skipped"] is not None:
            return None
        try:
            outcome = self.imp.decode(self.req, data)
        except Fault as fault:
            self.fault(fault)
            return None
        if outcome[0] == "unsupported":
            if self.rules.this_codec:
                self.fail("%s: answered 'unsupported': this codec handles every vector"
                          % self.stage)
            else:
                self.result["skipped"] = "the implementation does not support it"
            return None
        return outcome

    def expect_packet(self, what, data, length, model):
        self.stage = what
        outcome = self.decode(data)
        if outcome is None or (outcome[0] == "valid" and outcome[1] == length
                               and same(outcome[2], model)):
            return outcome
        self.fail("%s: expected the packet using %d bytes, got %s" % (what, length,
                                                                     show(outcome)))
        return outcome

    def encode(self, wire, model):
        if self.result["fault"] is not None or self.result["skipped"] is not None:
            return "not-reached"
        self.stage = "encode"
        try:
            data = self.imp.encode(self.req, model)
        except Fault as fault:
            self.fault(fault)
            return "not-reached"
        if data is None:
            if self.rules.this_codec:
                self.fail("encode: declined: this codec encodes every canonical packet")
            return "declined"
        if data != wire:
            self.fail("encode: expected %s, got %s" % (short_hex(wire), short_hex(data)))
        return "made"

    def prefixes(self, wire, cuts):
        for cut in expand(cuts):
            if cut > len(wire):
                self.fail("prefix of %d bytes: longer than the wire" % cut)
                break
            self.stage = "prefix of %d bytes" % cut
            outcome = self.decode(wire[:cut])
            if outcome is not None and outcome[0] != "incomplete":
                self.fail("prefix of %d bytes: expected incomplete, got %s" % (cut,
                                                                              show(outcome)))
                break

    def copies(self, wire, count, model):
        stream = wire * count
        for copy in range(count):
            self.expect_packet("copy %d of %d in one buffer" % (copy + 1, count),
                               stream[copy * len(wire):], len(wire), model)

    def remaining_length(self, wire, delta, model):
        declared = declared_remaining_length(wire)
        if declared is None:
            self.fail("the wire has no complete fixed header")
            return
        remaining, len_bytes = declared
        body = wire[1 + len_bytes:]
        if delta == 1:
            grown = with_remaining_length(wire[0], remaining + 1, body)
            if grown is None:
                return
            self.stage = "Remaining Length + 1"
            outcome = self.decode(grown)
            if outcome is None:
                return
            if outcome[0] == "incomplete":
                padded = grown + b"\x00"
                outcome = self.decode(padded)
                if outcome is None:
                    return
                if outcome[0] == "valid" and (outcome[1] != len(padded)
                                              or same(outcome[2], model)):
                    self.fail("Remaining Length + 1 with a 0x00 added: gave the original "
                              "packet or used %d of %d bytes" % (outcome[1], len(padded)))
                elif outcome[0] == "incomplete":
                    self.fail("Remaining Length + 1 with a 0x00 added: incomplete")
            elif outcome[0] == "valid":
                self.fail("Remaining Length + 1: a packet, with a byte of its frame missing")
        elif delta == -1:
            if remaining == 0:
                return
            shrunk = with_remaining_length(wire[0], remaining - 1, body)
            if shrunk is None:
                return
            frame = len(shrunk) - 1
            self.stage = "Remaining Length - 1"
            outcome = self.decode(shrunk)
            if outcome is None:
                return
            if outcome[0] == "valid" and (outcome[1] != frame or same(outcome[2], model)):
                self.fail("Remaining Length - 1: gave the original packet or used %d bytes of "
                          "a %d-byte frame" % (outcome[1], frame))
            elif outcome[0] == "incomplete":
                self.fail("Remaining Length - 1: incomplete, with the whole frame present")
        else:
            self.fail("Remaining Length %+d: not a check this runner makes" % delta)

    def early_rejection(self, wire, decided_at, whole, cuts):
        if self.result["fault"] is not None or decided_at >= len(wire):
            return None
        strict = self.rules.this_codec
        record = {"decided_at": decided_at, "prefixes": 0, "deviation": None}
        for cut in expand(cuts):
            self.stage = "early rejection: prefix of %d bytes" % cut
            if cut > len(wire):
                self.fail("%s: longer than the wire" % self.stage)
                break
            record["prefixes"] += 1
            if strict:
                answer = self.decode(wire[:cut])
                if answer is None:
                    record["deviation"] = "%s: no answer" % self.stage
                    break
            else:
                try:
                    answer = self.imp.decode(self.req, wire[:cut])
                except Fault as fault:
                    record["deviation"] = "%s: %s" % (self.stage, fault)
                    break
            deviation = None
            if cut <= decided_at:
                if answer[0] != "incomplete":
                    deviation = ("%s: expected incomplete (the error is decided at byte %d), "
                                 "got %s" % (self.stage, decided_at, show(answer)))
            elif not (answer[0] == "invalid" and same_error(answer[1], whole)):
                deviation = ("%s: expected the whole packet's error %s (decided at byte %d), "
                             "got %s" % (self.stage, dumps(whole), decided_at, show(answer)))
            if deviation is not None:
                if strict:
                    self.fail(deviation)
                record["deviation"] = deviation
                break
        return record


FIXED_EXPECT = {"encode": "wire", "prefixes": "incomplete", "copies": "packet",
                "remaining-length": "not-the-packet", "early-rejection": "incomplete-then-error"}
DECODE_EXPECT = {"valid": "packet", "invalid": "error", "acceptable": "packet-or-refusal"}


def new_result(vid, file, verdict, clauses):
    return {"id": vid, "file": file, "packet_type": "", "verdict": verdict,
            "clauses": clauses, "failures": [], "choice": None, "skipped": None,
            "fault": None, "note": None, "early_rejection": None}


def new_observed():
    """What a run saw beyond the result: the whole wire answered "incomplete", and what
    became of the encode check (None, "made", "declined" or "not-reached")."""
    return {"incomplete": False, "encode": None}


def stale(vid, file, verdict, why):
    result = new_result(vid, file, verdict, [])
    result["packet_type"] = "?"
    result["failures"].append("%s: the checks file is stale" % why)
    return result


def execute(protocol, file, entry, vector, adapter, rules, observed):
    result = new_result(vector["id"], file, vector["verdict"], vector["clauses"])
    large = entry.get("large", False)
    try:
        if large:
            # Never sent through an adapter: its length and first byte are all that is needed.
            length, first = wire_summary(vector["wire"])
            wire = None
        else:
            wire = parse_segments(vector["wire"])
            length, first = len(wire), (wire[0] if wire else None)
    except (ValueError, KeyError, TypeError) as e:
        result["failures"].append("wire: %s" % e)
        return result
    packet = vector.get("packet")
    if packet is not None:
        kind = packet.get("type") if isinstance(packet, dict) else None
        result["packet_type"] = kind if isinstance(kind, str) else "?"
    else:
        name = PACKET_TYPES[first >> 4] if first is not None else None
        result["packet_type"] = name or "reserved"
    if entry["wire_length"] != length or entry["verdict"] != vector["verdict"]:
        result["failures"].append(
            "the checks were made for a %s vector of %d bytes, this one is %s with %d: the "
            "checks file is stale" % (entry["verdict"].capitalize(), entry["wire_length"],
                                      vector["verdict"].capitalize(), length))
        return result
    if large:
        result["skipped"] = LARGE_PACKET_SKIP
        return result
    missing = [f for f in entry.get("features", []) if not adapter.supports(f)]
    if missing:
        why = "the implementation does not take the request feature %s" % " and ".join(missing)
        if rules.this_codec:
            result["failures"].append("%s: this codec takes every request" % why)
        else:
            result["skipped"] = why
        return result
    if any(c["check"] == "encode" for c in entry["checks"]):
        observed["encode"] = "not-reached"
    req = {"id": vector["id"], "protocol": protocol, "context": vector.get("context")}
    checks = Checks(adapter, rules, req, result)
    model = normalize(packet) if packet is not None else None
    expected = vector.get("error")
    refusal = None
    early, choice, note = None, None, None
    for check in entry["checks"]:
        kind, expect = check["check"], check["expect"]
        if FIXED_EXPECT.get(kind, DECODE_EXPECT[vector["verdict"]]) != expect \
                or (kind == "decode") != (kind not in FIXED_EXPECT):
            raise UsageError("%s: a %s check cannot expect %s" % (vector["id"], kind, expect))
        if kind == "decode" and expect == "packet":
            if model is None:
                checks.fail("a valid vector needs a packet")
                break
            outcome = checks.expect_packet("decode", wire, len(wire), model)
            observed["incomplete"] = outcome is not None and outcome[0] == "incomplete"
        elif kind == "decode" and expect == "error":
            if expected is None:
                checks.fail("an invalid vector needs an error")
                break
            outcome = checks.decode(wire)
            if outcome is not None:
                observed["incomplete"] = outcome[0] == "incomplete"
                why = error_matches(outcome, expected, rules.this_codec)
                if why is not None:
                    checks.fail(why)
                else:
                    note = unknown_kind_message(outcome)
                if outcome[0] == "invalid":
                    refusal = (outcome[1], given(outcome[1], "kind") == expected["kind"])
        elif kind == "decode":
            outcome = checks.decode(wire)
            if outcome is None:
                continue
            observed["incomplete"] = outcome[0] == "incomplete"
            if outcome[0] == "valid" and model is not None and outcome[1] == len(wire) \
                    and same(outcome[2], model):
                choice = "accepted"
            elif outcome[0] == "invalid" and expected is not None:
                got = given(outcome[1], "kind")
                got = got if isinstance(got, str) else "?"
                choice = "refused" if got == expected["kind"] else "refused (%s)" % got
                refusal = (outcome[1], got == expected["kind"])
            else:
                checks.fail("neither outcome the vector allows: got %s" % show(outcome))
            if rules.this_codec:
                why = decision_matches(rules.decisions.get(vector["id"]), outcome,
                                       choice == "accepted", vector)
                if why is not None:
                    checks.fail(why)
        elif kind == "encode":
            if model is not None:
                observed["encode"] = checks.encode(wire, model)
        elif kind == "prefixes":
            checks.prefixes(wire, check["cuts"])
        elif kind == "copies":
            if model is not None:
                checks.copies(wire, check["count"], model)
        elif kind == "remaining-length":
            if model is not None:
                checks.remaining_length(wire, check["delta"], model)
        elif kind == "early-rejection":
            if refusal is not None and (check["when"] == "refused" or refusal[1]):
                early = checks.early_rejection(wire, check["decided_at"], refusal[0],
                                               check["cuts"])
        else:
            raise UsageError("%s: no check %r in checks format %d" % (vector["id"], kind,
                                                                      CHECKS_FORMAT_VERSION))
    result["early_rejection"] = early
    result["choice"] = choice
    result["note"] = note
    return result


# ---------------------------------------------------------------------------------------------
# The suite, and running a checks file.

def load_suite(root, protocol):
    directory = os.path.join(root, PROTOCOL_DIRS[protocol])
    vectors = []
    names = sorted(n for n in os.listdir(directory)
                   if n.endswith(".json") and n not in DATA_FILES)
    for name in names:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            data = json.load(f)
        for vector in data["vectors"]:
            vectors.append((data["name"], vector))
    with open(os.path.join(directory, "clauses.json"), encoding="utf-8") as f:
        clauses = json.load(f)["clauses"]
    return vectors, clauses


def load_checks(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format_version") != CHECKS_FORMAT_VERSION:
        raise UsageError("%s: checks file: format_version %s is not %d, the one this runner "
                         "knows" % (path, dumps(data.get("format_version")),
                                    CHECKS_FORMAT_VERSION))
    if data.get("protocol") not in PROTOCOL_DIRS:
        raise UsageError("%s: checks file: protocol %s is not 3.1.1 or 5.0"
                         % (path, dumps(data.get("protocol"))))
    return data


def run_checks(checks, vectors, adapter, filter_, rules):
    by_id = {v["id"]: (file, v) for file, v in vectors}
    selected = (lambda vid: True) if filter_ is None else (lambda vid: filter_ in vid)
    results = []
    listed = set()
    for entry in checks["vectors"]:
        listed.add(entry["id"])
        if not selected(entry["id"]):
            continue
        found = by_id.get(entry["id"])
        observed = new_observed()
        if found is None:
            results.append((stale(entry["id"], entry["file"], entry["verdict"],
                                  "the checks name a vector the suite does not have"),
                            observed))
        else:
            results.append((execute(checks["protocol"], found[0], entry, found[1], adapter,
                                    rules, observed), observed))
    for file, v in vectors:
        if selected(v["id"]) and v["id"] not in listed:
            results.append((stale(v["id"], file, v["verdict"], "no check names this vector"),
                            new_observed()))
    return results


def coverage(vectors, clauses):
    table = {c["id"]: {"valid": 0, "invalid": 0, "unbreakable": c.get("unbreakable")}
             for c in clauses if c["covered"]}
    for _, v in vectors:
        for clause in v["clauses"]:
            if clause in table:
                table[clause]["invalid" if v["verdict"] == "invalid" else "valid"] += 1
    return dict(sorted(table.items(), key=lambda item: item[0].encode()))


def complete(c):
    return c["valid"] > 0 and (c["invalid"] > 0 or c["unbreakable"] is not None)


def passed(r):
    return not r["failures"] and r["skipped"] is None


def decoded_right(r):
    """A valid vector that passed, or failed only the derived (Remaining Length) checks."""
    return r["verdict"] == "valid" and r["skipped"] is None \
        and all(f.startswith("Remaining Length ") for f in r["failures"])


TALLY_KEYS = ("crashes", "timeouts", "incomplete", "encode_not_made", "encode_checks")


def tally_line(t):
    return ("crashes: %d, timeouts: %d, incomplete answers to a whole vector: %d, encode "
            "checks not made: %d of %d" % tuple(t[k] for k in TALLY_KEYS))


class Report:
    def __init__(self, protocol, implementation, rules, lint, problems, run, cover):
        self.protocol = protocol
        self.implementation = implementation
        self.rules = rules
        self.lint = lint
        self.stored_problems = problems
        self.results = [result for result, _ in run]
        self.observed = [observed for _, observed in run]
        self.coverage = cover

    def decoded_right(self):
        valid = [r for r in self.results if r["verdict"] == "valid" and r["skipped"] is None]
        return sum(1 for r in valid if decoded_right(r)), len(valid)

    def tally(self):
        t = dict.fromkeys(TALLY_KEYS, 0)
        for r, o in zip(self.results, self.observed):
            if r["fault"] is not None:
                t["crashes" if r["fault"]["kind"] == "crash" else "timeouts"] += 1
            t["incomplete"] += o["incomplete"]
            if r["skipped"] is None and o["encode"] is not None:
                t["encode_checks"] += 1
                t["encode_not_made"] += o["encode"] != "made"
        return t

    def gaps(self):
        return [(k, c) for k, c in (self.coverage or {}).items() if not complete(c)]

    def executed(self):
        return sum(1 for r in self.results if r["skipped"] is None)

    def problems(self):
        problems = list(self.stored_problems)
        if self.executed() == 0 and self.results:
            problems.append("no vector was run: %d selected, all skipped" % len(self.results))
        return problems

    def early(self):
        checked = [r["early_rejection"] for r in self.results if r["early_rejection"]]
        return sum(1 for e in checked if e["deviation"] is None), len(checked)

    def counts(self):
        ok = sum(1 for r in self.results if passed(r))
        failed = sum(1 for r in self.results if r["failures"]) + len(self.lint) \
            + len(self.problems()) + len(self.gaps())
        return ok, failed

    def skipped(self):
        return sum(1 for r in self.results if r["skipped"] is not None)

    def summary(self):
        ok, failed = self.counts()
        return summary_line("conformance %s" % self.protocol, ok, failed, self.skipped())

    def text(self):
        out = []
        w = out.append
        w("MQTT %s golden vectors against %s" % (self.protocol, self.implementation))
        w("rules: %s" % self.rules.describe())
        if not self.lint:
            w("lint: ok")
        else:
            w("lint: %d problems" % len(self.lint))
            out.extend("  %s" % p for p in self.lint)
        problems = self.problems()
        if problems:
            w("run: %d problems" % len(problems))
            out.extend("  %s" % p for p in problems)
        w("\nby packet type           valid  decoded right      invalid    acceptable")
        by_type = {}
        for r in self.results:
            slot = by_type.setdefault(r["packet_type"], [[0, 0], [0, 0], [0, 0], [0, 0]])
            cell = slot[VERDICTS.index(r["verdict"])]
            cell[1] += 1
            if passed(r):
                cell[0] += 1
            if r["verdict"] == "valid":
                slot[3][1] += 1
                slot[3][0] += decoded_right(r)

        def cell(c):
            return "-" if c[1] == 0 else "%d/%d" % (c[0], c[1])

        for t in sorted(by_type, key=str.encode):
            c = by_type[t]
            w("  %-20s %9s %14s %12s %13s" % (t, cell(c[0]), cell(c[3]), cell(c[1]),
                                              cell(c[2])))
        w("  valid vectors decoded right (the derived Remaining Length checks aside): %d of %d"
          % self.decoded_right())
        accepted = sum(1 for r in self.results if r["choice"] == "accepted")
        refused = sum(1 for r in self.results
                      if r["choice"] is not None and r["choice"].startswith("refused"))
        if accepted + refused > 0:
            w("  acceptable vectors: %d accepted, %d refused" % (accepted, refused))
            for r in self.results:
                if r["choice"] is not None:
                    w("    %s %s" % (r["choice"], r["id"]))
        if self.coverage is not None:
            done = sum(1 for c in self.coverage.values() if complete(c))
            w("\nby clause (%d of %d covered)   valid  invalid" % (done, len(self.coverage)))
            for cid, c in self.coverage.items():
                invalid = "n/a" if c["unbreakable"] is not None else str(c["invalid"])
                mark = "" if complete(c) else "   <- not covered"
                w("  %-22s %9d %8s%s" % (cid, c["valid"], invalid, mark))
            gaps = self.gaps()
            if gaps:
                w("\nclauses without coverage:")
                for cid, c in gaps:
                    if c["valid"] == 0 and c["invalid"] == 0:
                        missing = "no valid and no invalid vector"
                    elif c["valid"] == 0:
                        missing = "no valid vector"
                    else:
                        missing = "no invalid vector"
                    w("  %s: %s" % (cid, missing))
        held, checked = self.early()
        w("\nearly rejection: %d of %d (refused vectors with a deciding byte whose prefixes "
          "were incomplete up to it and refused from it on)" % (held, checked))
        if not self.rules.this_codec:
            for r in self.results:
                e = r["early_rejection"]
                if e and e["deviation"] is not None:
                    w("  not held (recorded, not failed): %s: %s" % (r["id"], e["deviation"]))
        failed = [r for r in self.results if r["failures"]]
        if failed:
            w("\nfailures:")
            for r in failed:
                w("  %s (%s):" % (r["id"], r["file"]))
                out.extend("    %s" % f for f in r["failures"])
        skipped = [r["id"] for r in self.results if r["skipped"] is not None]
        if skipped:
            w("\nskipped: %s" % ", ".join(skipped))
        w("\n%s" % tally_line(self.tally()))
        w(self.summary())
        return "\n".join(out) + "\n"

    def json(self):
        ok, failed = self.counts()
        held, checked = self.early()
        return {
            "protocol": self.protocol,
            "implementation": self.implementation,
            "rules": "this-codec" if self.rules.this_codec else "standard",
            "lint": self.lint,
            "problems": self.problems(),
            "early_rejection": {"held": held, "checked": checked},
            "decoded_right": list(self.decoded_right()),
            "tally": self.tally(),
            "results": self.results,
            "coverage": self.coverage,
            "passed": ok,
            "failed": failed,
            "summary": self.summary(),
        }


def summary_line(what, ok, failed, skipped):
    if skipped > 0:
        return "%s: %d passed, %d failed, %d skipped" % (what, ok, failed, skipped)
    return "%s: %d passed, %d failed" % (what, ok, failed)


def total_tally(reports):
    total = dict.fromkeys(TALLY_KEYS, 0)
    for report in reports:
        for k, v in report.tally().items():
            total[k] += v
    return total


def total_summary(reports):
    ok = failed = skipped = 0
    for report in reports:
        p, f = report.counts()
        ok, failed, skipped = ok + p, failed + f, skipped + report.skipped()
    if not any(r.executed() > 0 for r in reports):
        failed += 1
    return summary_line("conformance", ok, failed, skipped)


def stale_decisions(decisions, vectors, protocol):
    acceptable = {v["id"] for _, v in vectors if v["verdict"] == "acceptable"}
    v5 = protocol == "5.0"
    return ["%s: %s is not an acceptable vector of the suite" % (DECISIONS_PATH, vid)
            for vid in sorted(decisions, key=str.encode)
            if vid.startswith("v5-") == v5 and vid not in acceptable]


USAGE = """usage: mqtt_vectors.py run --impl COMMAND --checks FILE [--checks FILE]... [--vectors DIR]
       [--timeout SECONDS] [--decisions FILE] [--json] [--trace ID] [FILTER]

runs the checks of each FILE (written by `mqtt-vectors checks --protocol V`) against the
adapter COMMAND (started with sh -c), on the vectors under DIR (default: the vectors/ directory
beside runners/), and prints a report per file, then `conformance: N passed, N failed`; an
adapter whose --version line starts with 'mqtt-wire' is held to that codec's rules, with its
recorded decisions (--decisions, default ../conformance/acceptable-decisions.json from DIR);
--trace ID prints each request about the vector ID and its answer, on stderr"""


def main(argv):
    if not argv or argv[0] != "run":
        raise UsageError(USAGE)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..", "..", "vectors")
    command, check_files, timeout, as_json, decisions_path, trace = None, [], DEFAULT_TIMEOUT, \
        False, None, None
    filter_ = os.environ.get("MQTT_VECTORS_FILTER") or None
    args = iter(argv[1:])
    for arg in args:
        def value():
            try:
                return next(args)
            except StopIteration:
                raise UsageError("%s needs a value" % arg)
        if arg == "--impl":
            command = value()
        elif arg == "--checks":
            check_files.append(value())
        elif arg == "--vectors":
            root = value()
        elif arg == "--decisions":
            decisions_path = value()
        elif arg == "--trace":
            trace = value()
        elif arg == "--json":
            as_json = True
        elif arg == "--timeout":
            try:
                timeout = float(value())
            except ValueError:
                timeout = -1
            if not timeout > 0 or timeout == float("inf"):
                raise UsageError("--timeout needs a number of seconds")
        elif arg.startswith("--"):
            raise UsageError("unknown option %s\n%s" % (arg, USAGE))
        else:
            filter_ = arg
    if command is None or not check_files:
        raise UsageError(USAGE)
    adapter = Adapter(command, timeout, trace)
    if adapter.is_this_codec():
        path = decisions_path or os.path.join(root, "..", DECISIONS_PATH)
        if not os.path.exists(path):
            raise UsageError("the adapter is %s, held to its rules: its recorded decisions are "
                             "needed (--decisions FILE; not found: %s)" % (THIS_CODEC, path))
        rules = Rules(load_decisions(path))
    else:
        rules = Rules()
    reports = []
    try:
        for path in check_files:
            checks = load_checks(path)
            protocol = checks["protocol"]
            vectors, clauses = load_suite(root, protocol)
            run = run_checks(checks, vectors, adapter, filter_, rules)
            problems = []
            if rules.this_codec and filter_ is None:
                problems = stale_decisions(rules.decisions, vectors, protocol)
            cover = coverage(vectors, clauses) if filter_ is None else None
            report = Report(protocol, adapter.name(), rules, checks["lint"], problems, run,
                            cover)
            if not as_json:
                print(report.text())
            reports.append(report)
    finally:
        adapter.close()
    total = total_summary(reports)
    executed = any(r.executed() > 0 for r in reports)
    if as_json:
        print(json.dumps({"reports": [r.json() for r in reports],
                          "tally": total_tally(reports), "summary": total},
                         indent=2, ensure_ascii=False))
    else:
        if not executed:
            print("problem: no vector was run in any version")
        print(tally_line(total_tally(reports)))
        print(total)
    return all(r.counts()[1] == 0 for r in reports) and executed


if __name__ == "__main__":
    try:
        sys.exit(0 if main(sys.argv[1:]) else 1)
    except UsageError as e:
        print(e, file=sys.stderr)
        sys.exit(2)
