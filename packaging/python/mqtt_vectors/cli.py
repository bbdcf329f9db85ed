"""The `mqtt-vectors` command: the reference runner (`runner.py`, a copy of the repository's
runners/python/mqtt_vectors.py) on the packaged data unless told otherwise."""

import os
import sys

from . import DATA, PROTOCOLS, VECTORS, checks_file, runner, version

USAGE = """usage: mqtt-vectors run --impl COMMAND [--protocol 3.1.1|5.0]... [runner options] [FILTER]
       mqtt-vectors path
       mqtt-vectors --version

run: the reference runner with the packaged checks of each --protocol (default: both), the
packaged vectors and mqtt-wire's recorded decisions; --checks, --vectors and --decisions
replace them. The runner's options:

%s
path: prints the packaged data's directory."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--version"]:
        print("mqtt-vectors %s" % version())
        return 0
    if argv == ["path"]:
        print(DATA)
        return 0
    if argv[:1] != ["run"]:
        print(USAGE % runner.USAGE, file=sys.stderr)
        return 2
    protocols, rest = [], []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--protocol":
            protocols.append(next(args, None))
        else:
            rest.append(arg)
            if arg in ("--impl", "--checks", "--vectors", "--decisions", "--trace", "--timeout"):
                rest.append(next(args, None))
    if None in rest or None in protocols:
        print("%s needs a value" % (argv[-1]), file=sys.stderr)
        return 2
    options = list(rest)
    try:
        if "--checks" not in options:
            for protocol in protocols or PROTOCOLS:
                rest += ["--checks", checks_file(protocol)]
        elif protocols:
            raise ValueError("--protocol chooses a packaged checks file; with --checks, leave it out")
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    if "--vectors" not in options:
        rest += ["--vectors", VECTORS]
    if "--decisions" not in options:
        rest += ["--decisions", os.path.join(DATA, "conformance", "acceptable-decisions.json")]
    try:
        return 0 if runner.main(["run"] + rest) else 1
    except runner.UsageError as e:
        print(e, file=sys.stderr)
        return 2
