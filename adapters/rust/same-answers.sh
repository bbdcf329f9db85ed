#!/bin/sh
# Whether the Rust adapters of this tree answer every request of the matrix exactly as those
# of git revision REV (default: main) do: for a change meant to alter no answer, such as a
# refactoring. `cargo xtask matrix --check` fails only on this codec's column (a peer's changed
# result is "reported only"), and the matrix keeps a status and a cut note per vector, not the
# answers; this compares the answers, byte for byte.
#
# Usage, from the repository's root: sh adapters/rust/same-answers.sh [REV]
# It builds the adapters of REV and of the working tree (release, under target/matrix/), has
# `mqtt-vectors matrix` send both protocols' requests to this tree's adapters while recording
# them, replays the recorded requests to REV's adapters, and prints one line per adapter.
# Exit status 1 if any answer differs (the differences are left in target/matrix/same-answers/).
set -eu
rev=${1:-main}
root=$(pwd)
out=$root/target/matrix/same-answers
rm -rf "$out"
mkdir -p "$out/src"
git archive "$rev" adapters/rust | tar -x -C "$out/src"
# REV's adapters, in a target of their own: the two trees are two packages at two paths.
(cd "$out/src/adapters/rust" &&
    CARGO_TARGET_DIR=$root/target/matrix/rust-rev cargo build --quiet --release --locked)
(cd adapters/rust && CARGO_TARGET_DIR=$root/target/matrix/rust cargo build --quiet --release --locked)
cargo build --quiet -p conformance --bin mqtt-vectors
old=$root/target/matrix/rust-rev/release
new=$root/target/matrix/rust/release
record() { # protocol, then adapter names
    protocol=$1
    shift
    args=""
    for b in "$@"; do
        printf '#!/bin/sh\ntee -a %s/%s.requests | exec %s/%s "$@"\n' "$out" "$b" "$new" "$b" \
            >"$out/$b.sh"
        chmod +x "$out/$b.sh"
        args="$args --impl $b - $out/$b.sh"
    done
    # shellcheck disable=SC2086 # the words of $args are meant to split
    target/debug/mqtt-vectors matrix --protocol "$protocol" $args >/dev/null 2>>"$out/runner.log"
}
record 3.1.1 mqttrs mqttbytes mqtt-protocol
record 5.0 rumqttc mqttbytes5 mqtt-proto mqute-codec mqtt5-protocol
status=0
for b in mqttrs mqttbytes mqtt-protocol rumqttc mqttbytes5 mqtt-proto mqute-codec mqtt5-protocol; do
    "$old/$b" <"$out/$b.requests" >"$out/$b.rev" 2>/dev/null
    "$new/$b" <"$out/$b.requests" >"$out/$b.tree" 2>/dev/null
    n=$(wc -l <"$out/$b.tree")
    if [ "$n" -eq 0 ]; then
        echo "$b: no answers"
        status=1
    elif cmp -s "$out/$b.rev" "$out/$b.tree"; then
        echo "$b: $n answers, all the same as $rev"
    else
        diff "$out/$b.rev" "$out/$b.tree" >"$out/$b.diff" || true
        echo "$b: $(grep -c '^>' "$out/$b.diff") of $n answers differ from $rev (see $out/$b.diff)"
        status=1
    fi
done
exit $status
