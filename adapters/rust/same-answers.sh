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
# One line per adapter run: a name, its protocol, the binary and the binary's arguments (the
# same as xtask/src/matrix.rs gives; a new Rust peer needs its line here).
runs="mqttrs 3.1.1 mqttrs
mqttbytes 3.1.1 mqttbytes
mqtt-protocol 3.1.1 mqtt-protocol
rmqtt-codec-3.1.1 3.1.1 rmqtt-codec --protocol 3.1.1
rumqttc 5.0 rumqttc
mqttbytes5 5.0 mqttbytes5
mqtt-proto 5.0 mqtt-proto
mqute-codec 5.0 mqute-codec
mqtt5-protocol 5.0 mqtt5-protocol
rmqtt-codec 5.0 rmqtt-codec"
for protocol in 3.1.1 5.0; do
    args=""
    while read -r name proto bin rest; do
        [ "$proto" = "$protocol" ] || continue
        printf '#!/bin/sh\ntee -a %s/%s.requests | exec %s/%s %s "$@"\n' \
            "$out" "$name" "$new" "$bin" "$rest" >"$out/$name.sh"
        chmod +x "$out/$name.sh"
        args="$args --impl $name - $out/$name.sh"
    done <<EOF
$runs
EOF
    # shellcheck disable=SC2086 # the words of $args are meant to split
    target/debug/mqtt-vectors matrix --protocol "$protocol" $args >/dev/null 2>>"$out/runner.log"
done
status=0
while read -r name proto bin rest; do
    # shellcheck disable=SC2086 # $rest holds the binary's arguments
    "$old/$bin" $rest <"$out/$name.requests" >"$out/$name.rev" 2>/dev/null
    # shellcheck disable=SC2086
    "$new/$bin" $rest <"$out/$name.requests" >"$out/$name.tree" 2>/dev/null
    n=$(wc -l <"$out/$name.tree")
    if [ "$n" -eq 0 ]; then
        echo "$name: no answers"
        status=1
    elif cmp -s "$out/$name.rev" "$out/$name.tree"; then
        echo "$name: $n answers, all the same as $rev"
    else
        diff "$out/$name.rev" "$out/$name.tree" >"$out/$name.diff" || true
        echo "$name: $(grep -c '^>' "$out/$name.diff") of $n answers differ from $rev (see $out/$name.diff)"
        status=1
    fi
done <<EOF
$runs
EOF
exit $status
