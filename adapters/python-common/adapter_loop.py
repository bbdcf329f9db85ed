"""The adapter-protocol loop every Python adapter runs (vectors/ADAPTER-PROTOCOL.md).

`run(distribution, answer)` prints the library's version for `--version` (the first word of
the line is what a runner reads), or answers one JSON request per line of stdin with one JSON
line on stdout: the request's `id`, then what `answer(request)` returns. `crash(e)` is the
answer for an exception that is not one of the library's refusals: its class, its message and
where it was raised.
"""

import json
import sys
import traceback


def run(distribution, answer):
    if "--version" in sys.argv:
        from importlib.metadata import version

        print(version(distribution))
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        reply = {"id": request.get("id")}
        reply.update(answer(request))
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


def crash(e):
    where = traceback.extract_tb(e.__traceback__)[-1]
    return {
        "result": "crash",
        "reason": "%s: %s (%s:%d)" % (type(e).__name__, e, where.filename.split("/")[-1], where.lineno),
    }
