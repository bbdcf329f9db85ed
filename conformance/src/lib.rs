//! The conformance suite for MQTT codecs: loads the golden vectors under `vectors/`, lints
//! them, and runs them against this codec or, through the adapter protocol, any other
//! implementation. `cargo xtask conformance` is its front end; `cargo test` runs it too.
//!
//! The vector format and the adapter protocol are documented in `vectors/README.md`.

pub mod broker_judge;
pub mod decisions;
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

use decisions::Decisions;
use implementation::Implementation;
use report::Report;
use run::Rules;
use suite::{Protocol, Suite};

/// Loads and lints the suite of `protocol` at `root`, runs the vectors whose id contains
/// `filter` against `imp`, and reports. This codec (natively or through its own adapter: see
/// [`Implementation::is_this_codec`]) is held to [`Rules::ThisCodec`], with its recorded
/// decisions on the acceptable vectors; any other implementation to [`Rules::Standard`].
/// Coverage, and the check that no recorded decision names a vector the suite no longer
/// has, are made for unfiltered runs only.
pub fn conformance(
    root: &Path,
    protocol: Protocol,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
) -> Result<Report, String> {
    let rules = if imp.is_this_codec() {
        Rules::ThisCodec(Decisions::this_codec()?)
    } else {
        Rules::Standard
    };
    conformance_with(root, protocol, imp, filter, rules)
}

/// [`conformance`] under the given rules.
pub fn conformance_with(
    root: &Path,
    protocol: Protocol,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
    rules: Rules,
) -> Result<Report, String> {
    let suite = Suite::load(root, protocol)?;
    let lint = lint::lint(&suite);
    let results = run::run(&suite, imp, filter, &rules);
    let coverage = filter.is_none().then(|| report::coverage(&suite));
    let mut problems = Vec::new();
    if let (Rules::ThisCodec(decisions), None) = (&rules, filter) {
        problems.extend(decisions.stale(&suite));
    }
    Ok(Report {
        protocol,
        implementation: imp.name(),
        rules,
        lint,
        problems,
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
