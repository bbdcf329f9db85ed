#!/usr/bin/env python3
"""Derive and check `error.decided_at` of the MQTT 5.0 golden vectors, and check every vector
against an independent whole-frame reading of the standard (vectors/tools/v5_judge.py).

For each vector of vectors/v5/*.json, under its `context`:
- valid: the judge decodes `wire` to exactly `packet`, using every byte, and the judge's
  encoder gives `wire` back from `packet` (the vector is canonical);
- acceptable: the encoder gives `wire` back from `packet`; a recorded `error` is the judge's;
- invalid (and acceptable with an error): the judge refuses `wire` with the recorded kind,
  clause, field and offset; `decided_at` is the first prefix the judge refuses.

`decided_at` is then cross-checked as the 3.1.1 tool does (vectors/tools/decided_at.py, whose
completion sampler this reuses): every prefix up to `decided_at` has a completion whose whole
frame is valid or fails differently (a witness that it does not decide), and every sampled
completion of the prefix through `decided_at` fails with the vector's error.

Usage:
    v5_decided_at.py           check every vector (data and decided_at), cross-check
    v5_decided_at.py --quick   skip the cross-check of the prefixes
    v5_decided_at.py ID...     only the vectors whose id contains one of the words
"""

import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import decided_at as v311tool  # noqa: E402  (the completion sampler, protocol-neutral)
from v5_judge import encode, judge, key  # noqa: E402

V5 = os.path.join(HERE, "..", "v5")


def wire_bytes(w):
    return v311tool.wire_bytes(w)


def first_refusal(wire, ctx):
    for d in range(len(wire)):
        res = judge(wire[: d + 1], ctx)
        if res[0] != "incomplete":
            return d, res
    return None, judge(wire, ctx)


def check_data(v):
    """Problems with a vector's data against the judge; returns (problems, decided_at)."""
    wire = wire_bytes(v["wire"])
    ctx = v.get("context", {})
    problems = []
    if "packet" in v:
        try:
            enc = encode(v["packet"])
        except Exception as e:  # a model the encoder cannot read is a data problem
            enc = None
            problems.append(f"encoder cannot read the packet: {e!r}")
        if enc is not None and enc != wire:
            problems.append(f"encoding the packet gives {enc.hex()[:200]}, not the wire")
    res = judge(wire, ctx)
    if v["verdict"] == "valid":
        if res[0] != "valid":
            problems.append(f"valid vector, judge gives {res}")
        elif res[1] != len(wire):
            problems.append(f"judge used {res[1]} of {len(wire)} bytes")
        elif res[2] != normal(v["packet"]):
            problems.append(f"judge decodes {json.dumps(res[2])[:400]}")
        return problems, None
    if "error" not in v:
        return problems, None
    want = key(v["error"])
    if res[0] != "invalid" or key(res[1]) != want:
        problems.append(f"judge gives {res}, recorded {v['error']}")
        return problems, None
    d, first = first_refusal(wire, ctx)
    if first[0] != "invalid" or key(first[1]) != want:
        problems.append(f"first refused prefix gives {first}")
    return problems, d


def normal(packet):
    """The model with a repeat-segment payload written out, as the judge returns it."""
    if packet.get("type") == "PUBLISH" and isinstance(packet.get("payload"), list):
        p = dict(packet)
        out = bytearray()
        for seg in p["payload"]:
            out += bytes.fromhex(seg) if isinstance(seg, str) else \
                bytes.fromhex(seg["repeat"]) * seg["count"]
        p["payload"] = out.hex()
        return p
    return packet


def fill(files):
    """Sets error.decided_at in generated vectors (dict file -> list). Returns problems."""
    problems = []
    for _f, vs in files.items():
        for v in vs:
            pr, d = check_data(v)
            problems += [f"{v['id']}: {p}" for p in pr]
            if d is not None:
                e = v["error"]
                order = ["kind", "clause", "field", "offset"]
                new = {k: e[k] for k in order if k in e}
                new["decided_at"] = d
                new.update({k: val for k, val in e.items() if k not in new})
                v["error"] = new
    return problems


def cross_check(v, rng, donors, n_random=120):
    """(problems, witnesses, completions judged) for the vector's decided_at."""
    wire = wire_bytes(v["wire"])
    ctx = v.get("context", {})
    want = key(v["error"])
    d = v["error"]["decided_at"]
    problems, witnesses, judged = [], 0, 0

    def whole(c):
        return judge(c, ctx)

    # Completions that keep the vector's bytes up to the deciding byte and change only it:
    # a witness for every shorter prefix at once (the sampler mutates only near its cut).
    at_d = [wire[:d] + bytes([x]) + wire[d + 1:] for x in range(256)]
    for p in range(1, d + 1):
        found = False
        for c in at_d + v311tool.completions(wire[:p], wire, rng, n_random, donors):
            r = whole(c)
            if not v311tool.usable(c, r) or r[0] == "incomplete":
                continue
            if r[0] == "valid" or key(r[1]) != want:
                found = True
                break
        if found:
            witnesses += 1
        else:
            problems.append(f"no witness that prefix {p} is undecided")
    for c in v311tool.completions(wire[: d + 1], wire, rng, n_random, donors):
        r = whole(c)
        if not v311tool.usable(c, r) or r[0] == "incomplete":
            continue
        judged += 1
        if r[0] != "invalid" or key(r[1]) != want:
            problems.append(f"completion {c.hex()[:120]} of the deciding prefix gives {r}")
            break
    return problems, witnesses, judged


def load():
    out = []
    for path in sorted(glob.glob(os.path.join(V5, "*.json"))):
        doc = json.load(open(path, encoding="utf-8"))
        for v in doc.get("vectors", []):
            out.append(v)
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    rng = random.Random(5)
    vectors = load()
    donors = [wire_bytes(v["wire"]) for v in vectors if v["verdict"] == "valid"]
    donors = [w for w in donors if len(w) <= 256]
    donors = rng.sample(donors, min(40, len(donors)))
    agree = failed = crossed = 0
    for v in vectors:
        if args and not any(a in v["id"] for a in args):
            continue
        problems, d = check_data(v)
        if "error" in v and not problems:
            stored = v["error"].get("decided_at")
            if stored != d:
                problems.append(f"stored decided_at {stored}, derived {d}")
            elif not quick and len(wire_bytes(v["wire"])) <= 4096:
                pr, wit, judged = cross_check(v, rng, donors)
                problems += pr
                crossed += 1
        if problems:
            failed += 1
            print(f"FAIL {v['id']}")
            for p in problems:
                print(f"    {p}")
        else:
            agree += 1
    print(f"v5 judge: agrees with {agree} of {agree + failed} vectors; "
          f"decided_at cross-checked on {crossed}; {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
