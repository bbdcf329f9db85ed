//! The conformance suite for MQTT codecs: loads the golden vectors under `vectors/`, lints
//! them, and runs them against this codec or, through the adapter protocol, any other
//! implementation. `cargo xtask conformance` is its front end; `cargo test` runs it too.
//!
//! The vector format and the adapter protocol are documented in `vectors/README.md`.

pub mod dissector;
pub mod hex;
pub mod implementation;
pub mod lint;
pub mod model;
pub mod report;
pub mod run;
pub mod suite;

use std::path::Path;

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
