"""MQTT golden vectors and their reference runner (the `mqtt-vectors` command).

`DATA` is the directory of the packaged data, laid out as in the release archive:
`vectors/`, `checks/checks-<protocol>.json`, `conformance/acceptable-decisions.json`,
`manifest.json`. `checks_file(protocol)` gives a checks file's path.
"""

import os

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
VECTORS = os.path.join(DATA, "vectors")
PROTOCOLS = ("3.1.1", "5.0")


def checks_file(protocol):
    """The packaged checks file of `protocol` ("3.1.1" or "5.0")."""
    if protocol not in PROTOCOLS:
        raise ValueError("no checks for protocol %r (have %s)" % (protocol, ", ".join(PROTOCOLS)))
    return os.path.join(DATA, "checks", "checks-%s.json" % protocol)


def version():
    """The release version of the packaged vectors (vectors/VERSION)."""
    with open(os.path.join(VECTORS, "VERSION")) as f:
        return f.read().strip()
