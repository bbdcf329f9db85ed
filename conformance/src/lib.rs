//! The conformance suite for MQTT codecs: loads the golden vectors under `vectors/`, lints
//! them, and runs them against this codec or, through the adapter protocol, any other
//! implementation. `cargo xtask conformance` is its front end; `cargo test` runs it too.
//!
//! The vector format and the adapter protocol are documented in `vectors/README.md`.

pub mod dissector;
pub mod hex;
pub mod implementation;
pub mod lint;
pub mod matrix;
pub mod model;
pub mod report;
pub mod run;
pub mod suite;

use std::path::Path;

/// The version of the `mqtt-wire` codec this crate is built with (a test keeps it equal to
/// `codec/Cargo.toml`'s).
pub const CODEC_VERSION: &str = "0.1.0";

use implementation::Implementation;
use report::Report;
use suite::Suite;

/// Loads and lints the suite at `root`, runs the vectors whose id contains `filter` against
/// `imp`, and reports. Coverage is reported for unfiltered runs only.
pub fn conformance(
    root: &Path,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
) -> Result<Report, String> {
    let suite = Suite::load(root)?;
    let lint = lint::lint(&suite);
    let results = run::run(&suite, imp, filter);
    let coverage = filter.is_none().then(|| report::coverage(&suite));
    Ok(Report {
        implementation: imp.name(),
        lint,
        results,
        coverage,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn codec_version_is_the_codecs() {
        let manifest = include_str!("../../codec/Cargo.toml");
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'));
        assert_eq!(version, Some(super::CODEC_VERSION));
    }
}
