#!/bin/bash -eu
# Builds the fuzz targets the way OSS-Fuzz and ClusterFuzzLite expect: one binary per target
# in $OUT, with <target>_seed_corpus.zip (the golden vectors' wire bytes) and <target>.dict
# (fuzz/mqtt.dict) beside it. The same script serves both services (oss-fuzz/build.sh calls
# it). `cargo xtask oss-fuzz` runs it with $SRC, $OUT and $WORK pointed at local folders and
# checks what it produced.
#
# Inputs: $SRC/mqtt-wire is this repository; $OUT receives the targets; $SANITIZER (set by
# the services) picks the sanitizer; RUSTUP_TOOLCHAIN may name the toolchain.

cd "$SRC/mqtt-wire"

# The repository pins stable for users (rust-toolchain.toml); fuzzing needs the builder's
# nightly, which is rustup's default toolchain in the OSS-Fuzz images.
if [ -z "${RUSTUP_TOOLCHAIN:-}" ]; then
    RUSTUP_TOOLCHAIN=$(rustup default | cut -d' ' -f1)
    export RUSTUP_TOOLCHAIN
fi

# cargo-fuzz knows address, leak, memory and thread; the services' other builds (coverage,
# undefined) instrument through their own flags, so cargo-fuzz adds no sanitizer there.
case "${SANITIZER:-address}" in
    address | leak | memory | thread) sanitizer=$SANITIZER ;;
    *) sanitizer=none ;;
esac

# -O: optimized, as the services run them; -a: debug assertions and overflow checks on, so an
# arithmetic overflow on a peer's number is a finding.
cargo fuzz build -O -a -s "$sanitizer"

targets=$(cargo fuzz list)
built="${CARGO_TARGET_DIR:-fuzz/target}/x86_64-unknown-linux-gnu/release"

# The seed corpus: every vector's wire bytes, written by the conformance runner. It is a
# plain host tool, so it is built without the fuzzing flags the services put in RUSTFLAGS.
seeds="${WORK:-/tmp}/mqtt-wire-seeds"
rm -rf "$seeds"
env -u RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS -u CC -u CXX -u CFLAGS -u CXXFLAGS \
    cargo run --quiet --release -p conformance --bin mqtt-vectors \
    --target-dir "${WORK:-target}/mqtt-wire-tools" -- corpus "$seeds"

for target in $targets; do
    cp "$built/$target" "$OUT/"
    cp fuzz/mqtt.dict "$OUT/$target.dict"
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "$seeds" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
done
