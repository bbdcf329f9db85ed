#!/usr/bin/env python3
"""Sanity check of the stored `error.decided_at`, independent of decided_at.py.

For every vector with an error: 0 <= decided_at < len(wire), and decided_at relates to
`offset` (and to the bytes there) as the rule of its error kind says. Prints every vector
whose decided_at differs from its offset, with the reason, and exits non-zero on a problem.
"""

import glob
import json
import os
import sys

V311 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "v311")


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


def utf8_len(lead):
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else \
        4 if 0xF0 <= lead <= 0xF4 else 1


def relation(w, e):
    """(ok, reason): whether decided_at fits the kind's rule, and why it differs from offset."""
    k, o, d = e["kind"], e["offset"], e["decided_at"]
    if k in ("invalid-packet-type", "invalid-flags", "invalid-qos", "dup-with-qos0"):
        return d == o == 0, ""
    if k == "invalid-remaining-length":
        # Decided by a Remaining Length byte: the last one read, or an earlier continuation
        # byte that already rules out every length the type may have.
        rl_end = next(i for i in range(1, 5) if not w[i] & 0x80)
        ok = o == 1 and 1 <= d <= rl_end
        return ok, f"the Remaining Length byte at {d} rules out the type's lengths"
    if k in ("remaining-length-too-long", "non-minimal-remaining-length"):
        return d == o, ""
    if k == "zero-packet-id":
        return d == o + 1 and w[o] == 0 and w[d] == 0, "the identifier's second byte"
    if k == "session-present-with-error":
        return d == o + 1 and w[d] != 0, "the return code byte after the flags"
    if k in ("invalid-utf8", "disallowed-code-point"):
        n = utf8_len(w[o])
        ok = o <= d <= o + n - 1 and all(0x80 <= w[i] <= 0xBF for i in range(o + 1, d))
        return ok, f"byte {d - o + 1} of the {n}-byte sequence"
    if k == "null-character":
        return d == o and w[d] == 0, ""
    if k == "wildcard-in-topic-name":
        return d == o and w[d] in b"+#", ""
    if k == "misplaced-multi-level-wildcard":
        return d == o and w[d] == 0x23, ""
    if k == "misplaced-single-level-wildcard":
        # At the '+' when the byte before it is in the level; else at the byte after it.
        ok = w[o] == 0x2B and ((d == o and w[o - 1] != 0x2F) or (d == o + 1 and w[d] != 0x2F))
        return ok, "the '+' starts a level; the byte after it is not '/'"
    if k == "empty-topic":
        return d == o + 1 and w[o] == w[d] == 0, "the length prefix's second byte"
    if k == "empty-client-id-without-clean-session":
        return d == len(w) - 1 and d == o + 1, "reported once nothing else can fail: frame end"
    if k == "invalid-protocol-name":
        want = b"\x00\x04MQTT"
        ok = o == 2 and w[d] != want[d - 2] and w[2:d] == want[: d - 2]
        return ok, f"the first byte that differs from 00 04 'MQTT' (byte {d})"
    if k in ("unsupported-protocol-level", "connect-reserved-flag", "will-qos-without-will",
             "will-retain-without-will", "invalid-will-qos", "password-without-username",
             "connack-reserved-flags", "invalid-connect-return-code", "invalid-requested-qos",
             "subscription-reserved-bits", "invalid-suback-return-code"):
        return d == o, ""
    if k in ("no-topic-filters", "no-return-codes"):
        return d == o - 1, "the frame ends after a good packet identifier"
    if k == "truncated":
        if d >= o:
            return d <= o + 1, "a length prefix whose value runs past the frame"
        return True, "cannot fit; decided when the field before it is complete and good"
    if k in ("trailing-bytes", "unflagged-field"):
        return d < o, "left over once the last field's end is known"
    return False, f"unknown kind {k}"


def main():
    problems = 0
    n = {"invalid": 0, "acceptable": 0}
    differ = []
    for path in sorted(glob.glob(os.path.join(V311, "*.json"))):
        for v in json.load(open(path)).get("vectors", []):
            if "error" not in v:
                continue
            e, w = v["error"], wire_bytes(v["wire"])
            if v["verdict"] == "invalid" and "decided_at" not in e:
                print(f"MISSING {v['id']}")
                problems += 1
                continue
            if "decided_at" not in e:
                continue
            n[v["verdict"]] += 1
            keys = list(e)
            if keys.index("decided_at") != keys.index("offset") + 1:
                print(f"ORDER {v['id']}: decided_at not right after offset")
                problems += 1
            d = e["decided_at"]
            if not 0 <= d < len(w):
                print(f"RANGE {v['id']}: decided_at {d}, {len(w)} bytes")
                problems += 1
                continue
            ok, reason = relation(w, e)
            if not ok:
                print(f"RULE {v['id']}: {e}")
                problems += 1
            if d != e["offset"]:
                differ.append(f"{v['id']}: {e['kind']} at {e['offset']}, decided at {d}: {reason}")
    for line in differ:
        print(line)
    print(f"decided_at in {n['invalid']} invalid and {n['acceptable']} acceptable vectors; "
          f"{len(differ)} differ from offset; {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
