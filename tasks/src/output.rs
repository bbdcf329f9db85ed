//! What other programs print, read back: each function takes the text as captured and returns
//! what the xtask decides from it.

/// The final statistics of a libFuzzer run (`-print_final_stats=1`) and its seed count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzStats {
    /// `stat::number_of_executed_units`, as printed; `None` when the line is missing.
    pub executions: Option<String>,
    /// `stat::average_exec_per_sec`, as printed; `None` when the line is missing.
    pub per_second: Option<String>,
    /// The inputs of the `#N INITED` line: what libFuzzer ran before mutating (0 without it).
    pub seeds: u64,
}

impl FuzzStats {
    /// Reads a libFuzzer log.
    pub fn parse(log: &str) -> FuzzStats {
        let stat = |name: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim_start_matches(':').trim().to_owned())
        };
        let seeds = log
            .lines()
            .find(|l| l.contains("INITED"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.trim_start_matches('#').parse::<u64>().ok())
            .unwrap_or(0);
        FuzzStats {
            executions: stat("stat::number_of_executed_units"),
            per_second: stat("stat::average_exec_per_sec"),
            seeds,
        }
    }

    /// The executions, when the run went beyond its seeds: a run whose total is no more than
    /// the seeds' fuzzed nothing, and one that printed no statistics did not say it fuzzed.
    pub fn fuzzed(&self) -> Option<u64> {
        self.executions
            .as_deref()?
            .parse::<u64>()
            .ok()
            .filter(|&n| n > self.seeds)
    }
}

/// The targets `cargo fuzz list` printed (one a line); an error naming the `expected` targets
/// it left out (it printing nothing included).
pub fn fuzz_targets(listed: &str, expected: &[&str]) -> Result<Vec<String>, String> {
    let listed: Vec<String> = listed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|t| !listed.iter().any(|l| l == t))
        .collect();
    if missing.is_empty() {
        Ok(listed)
    } else {
        Err(format!(
            "cargo fuzz list names {listed:?}, without the expected target(s) {missing:?}"
        ))
    }
}

/// Whether `rustup target list --installed` printed `target` (a whole line).
pub fn has_target(installed: &str, target: &str) -> bool {
    installed.lines().any(|l| l.trim() == target)
}

/// The sum of the broker tests' `broker: <test>: N checks passed` lines (`codec/tests/broker.rs`,
/// `codec/tests/broker_v5.rs`).
pub fn broker_checks(output: &str) -> usize {
    output
        .lines()
        // The test harness may print `test NAME ... ` on the same line first.
        .filter_map(|l| l.split_once("broker: ").map(|(_, rest)| rest))
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|l| l.strip_suffix(" checks passed"))
        .filter_map(|n| n.parse::<usize>().ok())
        .sum()
}

/// Each test's outcome in libtest's output, `test NAME ... ok` (true) or `... FAILED` (false),
/// in order; ignored tests are left out. Meant for a run without `--nocapture`, where nothing a
/// test prints lands inside those lines.
pub fn test_outcomes(output: &str) -> Vec<(String, bool)> {
    output
        .lines()
        .filter_map(|l| l.strip_prefix("test "))
        .filter_map(|l| l.split_once(" ... "))
        .filter_map(|(name, outcome)| match outcome.trim() {
            "ok" => Some((name.to_owned(), true)),
            "FAILED" => Some((name.to_owned(), false)),
            _ => None,
        })
        .collect()
}

/// Mosquitto's version from its log line `mosquitto version 2.0.11 starting`, without the
/// timestamp before it; `None` when the log has no such line.
pub fn mosquitto_version(log: &str) -> Option<String> {
    log.lines()
        .find_map(|l| l.split_once("mosquitto version "))
        .map(|(_, v)| v.trim_end_matches(" starting").to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of a real libFuzzer log, cut down.
    const LOG: &str = "\
INFO: Seed: 1234
INFO: Loaded 1 modules   (4096 inline 8-bit counters)
#2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb
#1024\tpulse  cov: 40 ft: 50 corp: 9/90b lim: 4 exec/s: 512 rss: 31Mb
#2048\tDONE   cov: 41 ft: 52 corp: 9/90b lim: 4 exec/s: 1024 rss: 31Mb
Done 2048 runs in 2 second(s)
stat::number_of_executed_units: 2048
stat::average_exec_per_sec:     1024
stat::new_units_added:          8
";

    #[test]
    fn reads_libfuzzer_statistics() {
        let stats = FuzzStats::parse(LOG);
        assert_eq!(stats.executions.as_deref(), Some("2048"));
        assert_eq!(stats.per_second.as_deref(), Some("1024"));
        assert_eq!(stats.seeds, 2);
        assert_eq!(stats.fuzzed(), Some(2048));
    }

    #[test]
    fn a_run_that_only_replayed_its_seeds_did_not_fuzz() {
        let seeds_only = LOG
            .replace("#2\tINITED", "#2048\tINITED")
            .replace("#1024\tpulse", "#2048\tpulse");
        assert_eq!(FuzzStats::parse(&seeds_only).seeds, 2048);
        assert_eq!(FuzzStats::parse(&seeds_only).fuzzed(), None);
        // No statistics at all: not a run that fuzzed.
        let silent = "INFO: Seed: 1\n#2\tINITED cov: 1\n";
        assert_eq!(FuzzStats::parse(silent).executions, None);
        assert_eq!(FuzzStats::parse(silent).fuzzed(), None);
        assert_eq!(FuzzStats::parse("").fuzzed(), None);
    }

    #[test]
    fn cargo_fuzz_list_must_name_every_expected_target() {
        let expected = ["decode", "roundtrip", "stream"];
        assert_eq!(
            fuzz_targets("decode\nroundtrip\nstream\nextra\n", &expected).unwrap(),
            ["decode", "roundtrip", "stream", "extra"]
        );
        let short = fuzz_targets("decode\n\nstream\n", &expected).unwrap_err();
        assert!(short.ends_with("[\"roundtrip\"]"), "{short}");
        assert!(fuzz_targets("", &expected).is_err());
        // A name that only contains a target's name is not that target.
        assert!(fuzz_targets("decode\nroundtrip\nstream2\n", &expected).is_err());
    }

    #[test]
    fn finds_an_installed_target_by_its_whole_line() {
        let installed = "x86_64-unknown-linux-gnu\nthumbv7m-none-eabi\n";
        assert!(has_target(installed, "thumbv7m-none-eabi"));
        assert!(!has_target(installed, "thumbv7m"));
        assert!(!has_target("thumbv7m-none-eabihf\n", "thumbv7m-none-eabi"));
    }

    #[test]
    fn sums_the_broker_tests_checks() {
        let output = "\
running 2 tests
test publish_round_trip ... broker: publish_round_trip: 12 checks passed
ok
broker: subscribe: 7 checks passed
test subscribe ... ok
broker: note: the broker said hello
test result: ok. 2 passed; 0 failed
";
        assert_eq!(broker_checks(output), 19);
        assert_eq!(broker_checks("test result: ok. 0 passed\n"), 0);
    }

    #[test]
    fn reads_each_tests_outcome() {
        let output = "\
running 3 tests
test departs_a ... FAILED
test departs_b ... ok
test other ... ignored

failures:

---- departs_a stdout ----
test departs_c ... is not a result line
failures:
    departs_a

test result: FAILED. 1 passed; 1 failed; 1 ignored
";
        assert_eq!(
            test_outcomes(output),
            [
                ("departs_a".to_owned(), false),
                ("departs_b".to_owned(), true)
            ]
        );
        assert!(test_outcomes("running 0 tests\ntest result: ok.\n").is_empty());
    }

    #[test]
    fn reads_mosquitto_version_without_its_timestamp() {
        let log = "1700000000: mosquitto version 2.0.11 starting\n1700000000: Config loaded\n";
        assert_eq!(mosquitto_version(log).as_deref(), Some("2.0.11"));
        assert_eq!(mosquitto_version("1700000000: Config loaded\n"), None);
    }
}
