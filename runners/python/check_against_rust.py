#!/usr/bin/env python3
"""The Python runner against the Rust runner: the same checks file, the same adapter, the same
per-vector results (every field of every vector's result), the same summary and the same
report text.

    python3 runners/python/check_against_rust.py [--runner PATH] [--python-runner PATH]
        [--protocol 3.1.1|5.0] [--peers]

--runner: the Rust runner (default target/debug/mqtt-vectors; build it with
`cargo build -p conformance`). --python-runner: the runner under test (default
mqtt_vectors.py beside this file; a test passes a copy with a planted fault). --protocol:
this codec's adapter on that version only (default both). --peers: also
the 3.1.1 peers of `cargo xtask matrix`, installed under target/matrix by that task: missing
ones fail the check with CI=true and make it exit 77 (skipped, not passed) otherwise.
Run from the repository's root. Exits 0 when everything agrees, 1 on a difference.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# The peers as `cargo xtask matrix` starts them (xtask/src/matrix.rs), with what must exist.
# The matrix's peers (as xtask/src/matrix.rs installs them under target/matrix): name, the
# adapter's command, the file whose presence says it is installed, the protocol version.
VENV = "target/matrix/venv/bin/python"
RUST = "target/matrix/rust/release/"
NODE = "NODE_PATH=target/matrix/node/node_modules node adapters/node-mqtt-packet/adapter.js"
NODE_NEEDS = "target/matrix/node/node_modules/mqtt-packet/package.json"
PEERS = [
    ("mqtt-codec (Python)", VENV + " adapters/python-mqtt-codec/adapter.py", VENV, "3.1.1"),
    ("mqtt-packet (Node)", NODE, NODE_NEEDS, "3.1.1"),
    ("mqttrs", RUST + "mqttrs", RUST + "mqttrs", "3.1.1"),
    ("mqttbytes", RUST + "mqttbytes", RUST + "mqttbytes", "3.1.1"),
    ("mqtt-protocol", RUST + "mqtt-protocol", RUST + "mqtt-protocol", "3.1.1"),
    ("amqtt (Python)", VENV + " adapters/python-amqtt/adapter.py", VENV, "3.1.1"),
    ("rmqtt-codec", RUST + "rmqtt-codec --protocol 3.1.1", RUST + "rmqtt-codec", "3.1.1"),
    ("mqtt-packet (Node)", NODE, NODE_NEEDS, "5.0"),
    ("mqtt5 (Python)", VENV + " adapters/python-mqtt5/adapter.py", VENV, "5.0"),
    ("moat-lib-mqtt (Python)", VENV + " adapters/python-moat-mqtt/adapter.py", VENV, "5.0"),
    ("rumqttc", RUST + "rumqttc", RUST + "rumqttc", "5.0"),
    ("mqttbytes", RUST + "mqttbytes5 2>/dev/null", RUST + "mqttbytes5", "5.0"),
    ("mqtt-proto", RUST + "mqtt-proto", RUST + "mqtt-proto", "5.0"),
    ("mqute-codec", RUST + "mqute-codec", RUST + "mqute-codec", "5.0"),
    ("mqtt5-protocol", RUST + "mqtt5-protocol", RUST + "mqtt5-protocol", "5.0"),
    ("rmqtt-codec", RUST + "rmqtt-codec", RUST + "rmqtt-codec", "5.0"),
]


def run(command):
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode not in (0, 1):
        sys.exit("%s failed (%d): %s" % (" ".join(command), done.returncode,
                                          done.stderr.decode(errors="replace")))
    return done.stdout.decode()


def compare(name, rust, python, text):
    """The differences between the two runners' outputs, as lines."""
    rust_json, python_json = (json.loads(out) for out in (rust["json"], python["json"]))
    differences = []
    rust_results = {r["id"]: r for rep in rust_json["reports"] for r in rep["results"]}
    python_results = {r["id"]: r for rep in python_json["reports"] for r in rep["results"]}
    for vid in sorted(set(rust_results) | set(python_results)):
        a, b = rust_results.get(vid), python_results.get(vid)
        if a != b:
            differences.append("%s: %s\n      rust:   %s\n      python: %s" % (
                name, vid, json.dumps(a), json.dumps(b)))
    if rust_json["summary"] != python_json["summary"]:
        differences.append("%s: summary: rust %r, python %r" % (
            name, rust_json["summary"], python_json["summary"]))
    if text and rust["text"] != python["text"]:
        rust_lines, python_lines = rust["text"].splitlines(), python["text"].splitlines()
        first = next((i for i, (x, y) in enumerate(zip(rust_lines, python_lines)) if x != y),
                     min(len(rust_lines), len(python_lines)))
        differences.append("%s: report text differs from line %d:\n      rust:   %r\n"
                           "      python: %r" % (name, first + 1,
                                                 rust_lines[first:first + 1],
                                                 python_lines[first:first + 1]))
    return differences, rust_json["summary"]


def main(argv):
    runner = "target/debug/mqtt-vectors"
    python_runner = os.path.join(HERE, "mqtt_vectors.py")
    peers = False
    protocols = ("3.1.1", "5.0")
    args = iter(argv)
    for arg in args:
        if arg == "--runner":
            runner = next(args)
        elif arg == "--python-runner":
            python_runner = next(args)
        elif arg == "--protocol":
            protocols = (next(args),)
        elif arg == "--peers":
            peers = True
        else:
            sys.exit(__doc__)
    if not os.path.exists(runner):
        print("%s is missing: cargo build -p conformance" % runner, file=sys.stderr)
        return 1
    cases = [("mqtt-wire adapter", runner + " adapter", protocol, True)
             for protocol in protocols]
    missing = []
    if peers:
        for name, command, needs, protocol in PEERS:
            if protocol not in protocols:
                continue
            if os.path.exists(needs):
                cases.append((name, command, protocol, True))
            else:
                missing.append(name)
    with tempfile.TemporaryDirectory() as work:
        files = {}
        for protocol in ("3.1.1", "5.0"):
            files[protocol] = os.path.join(work, protocol + ".json")
            run([runner, "checks", "--protocol", protocol, "--output", files[protocol]])
        differences = []
        for name, command, protocol, text in cases:
            outputs = []
            for base in ([runner, "run", "--protocol", protocol],
                         [sys.executable, python_runner, "run", "--vectors", "vectors"]):
                common = base + ["--impl", command, "--checks", files[protocol]]
                outputs.append({"json": run(common + ["--json"]),
                                "text": run(common) if text else ""})
            found, summary = compare("%s %s" % (name, protocol), outputs[0], outputs[1], text)
            differences.extend(found)
            print("%s %s: %s (%s)" % (name, protocol, "the same" if not found
                                      else "%d DIFFERENCES" % len(found), summary))
    for line in differences:
        print(line)
    if differences:
        return 1
    if missing:
        print("peers not installed (run cargo xtask matrix): %s" % ", ".join(missing))
        if os.environ.get("CI") == "true":
            return 1
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
