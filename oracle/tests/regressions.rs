//! Every input a fuzz target ever failed on (`fuzz/regressions/<target>/`), run through that
//! target's oracle, so a fixed crash stays fixed without a fuzzer.

use std::path::Path;

#[test]
fn every_saved_decode_regression_passes_the_oracle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/decode");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let input = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| oracle::check_decode(&input));
        assert!(
            outcome.is_ok(),
            "{} fails the decode oracle",
            path.display()
        );
    }
}
