//! The conformance suite for MQTT codecs: loads the golden vectors under `vectors/`, lints
//! them, and runs them against this codec or, through the adapter protocol, any other
//! implementation. `cargo xtask conformance` is its front end; `cargo test` runs it too.
//!
//! The vector format and the adapter protocol are documented in `vectors/README.md`.

pub mod broker_judge;
pub mod checks;
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

use checks::ChecksFile;
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
    conformance_from(root, protocol, imp, filter, None)
}

/// [`conformance`] from the checks of `checks` (a file written by `mqtt-vectors checks`)
/// when given, else from those derived from the vectors.
pub fn conformance_from(
    root: &Path,
    protocol: Protocol,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
    checks: Option<&ChecksFile>,
) -> Result<Report, String> {
    let rules = if imp.is_this_codec() {
        Rules::ThisCodec(Decisions::this_codec()?)
    } else {
        Rules::Standard
    };
    run_suite(root, protocol, imp, filter, rules, checks)
}

/// [`conformance`] under the given rules.
pub fn conformance_with(
    root: &Path,
    protocol: Protocol,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
    rules: Rules,
) -> Result<Report, String> {
    run_suite(root, protocol, imp, filter, rules, None)
}

fn run_suite(
    root: &Path,
    protocol: Protocol,
    imp: &mut dyn Implementation,
    filter: Option<&str>,
    rules: Rules,
    checks: Option<&ChecksFile>,
) -> Result<Report, String> {
    let suite = Suite::load(root, protocol)?;
    let lint = lint::lint(&suite);
    let derived;
    let checks = match checks {
        Some(file) if file.protocol()? != protocol => {
            return Err(format!(
                "the checks are for {}, the run for {protocol}",
                file.protocol
            ))
        }
        Some(file) => file,
        None => {
            derived = checks::derive(&suite, lint.clone());
            &derived
        }
    };
    let (results, observed) = run::run_checks(&suite, checks, imp, filter, &rules)
        .into_iter()
        .unzip();
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
        observed,
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
