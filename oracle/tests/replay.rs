//! Fuzz inputs replayed through the oracle of the target that produced them, converted from
//! bytes exactly as that target's `fuzz_target!` converts them (`arbitrary_take_rest`).
//!
//! - Every input a fuzz target ever failed on (`fuzz/regressions/<target>/`) runs in every
//!   `cargo test`, so a fixed crash stays fixed without a fuzzer.
//! - The whole fuzz corpus (`fuzz/corpus/<target>/`: the seeds from the vectors plus what
//!   fuzzing has grown) runs when asked (`--ignored`); `cargo xtask coverage` does, so the
//!   coverage figure counts what the fuzzers reached.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};
use mqtt_wire::{v311, v5};

/// What a target's `fuzz_target!` body does with the bytes.
type Check = fn(&[u8]);

/// The fuzz targets, each with its check.
const TARGETS: &[(&str, Check)] = &[
    ("decode", oracle::check_decode),
    ("roundtrip", |data| {
        if let Ok(packet) = v311::OwnedPacket::arbitrary_take_rest(Unstructured::new(data)) {
            oracle::check_built(&packet);
        }
    }),
    ("stream", |data| {
        if let Ok((bytes, cuts)) =
            <(Vec<u8>, Vec<u8>)>::arbitrary_take_rest(Unstructured::new(data))
        {
            oracle::check_stream(&bytes, &cuts);
            oracle::check_prefixes(&bytes);
        }
    }),
    ("v5_decode", oracle::v5::check_decode),
    ("v5_roundtrip", |data| {
        if let Ok(packet) = v5::OwnedPacket::arbitrary_take_rest(Unstructured::new(data)) {
            oracle::v5::check_built(&packet);
        }
    }),
    ("v5_stream", |data| {
        if let Ok((bytes, cuts)) =
            <(Vec<u8>, Vec<u8>)>::arbitrary_take_rest(Unstructured::new(data))
        {
            oracle::v5::check_stream(&bytes, &cuts);
            oracle::v5::check_prefixes(&bytes);
        }
    }),
];

fn fuzz_dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(kind)
        .join(target)
}

/// The inputs in `dir` (hidden files such as `.keep` skipped); none if `dir` is missing.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    paths.sort();
    paths
}

/// Runs every input of `kind` through its target's oracle; names every input that fails and
/// returns how many ran.
fn replay(kind: &str) -> usize {
    let mut ran = 0;
    let mut failures = Vec::new();
    for (target, check) in TARGETS {
        for path in inputs(&fuzz_dir(kind, target)) {
            let data = std::fs::read(&path).unwrap();
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failures.push(path.display().to_string());
            }
            ran += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} inputs fail their target's oracle:\n{}",
        failures.len(),
        failures.join("\n")
    );
    ran
}

#[test]
fn every_saved_regression_passes_its_targets_oracle() {
    // Every target has its folder, so a saved crash has somewhere to go.
    for (target, _) in TARGETS {
        let dir = fuzz_dir("regressions", target);
        assert!(dir.is_dir(), "{} is missing", dir.display());
    }
    replay("regressions");
}

#[test]
#[ignore = "replays the fuzz corpus; `cargo xtask coverage` runs it after writing the seeds"]
fn the_whole_fuzz_corpus_passes_the_oracles() {
    let ran = replay("corpus");
    // An empty corpus would make the coverage figure a lie about what was replayed.
    assert!(ran > 0, "no corpus: run `cargo xtask fuzz-corpus` first");
    eprintln!("replayed {ran} corpus inputs");
}
