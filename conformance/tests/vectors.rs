//! The golden vectors under `cargo test`: the whole suite against this codec, directly and
//! through its own adapter binary; a snapshot of the `Display` line of every valid vector;
//! and a check that no CONNECT credential ever reaches `Display` or `Debug`.
//!
//! `MQTT_VECTORS_FILTER=connect-` runs only the vectors whose id contains the text.

use std::fmt::{Debug, Display};

use conformance::implementation::{Adapter, Implementation, Native};
use conformance::report::Report;
use conformance::run::{Rules, LARGE_PACKET_SKIP};
use conformance::suite::{Protocol, Suite, Verdict};
use conformance::{conformance, hex};
use mqtt_wire::v311::{decode, Packet};
use mqtt_wire::v5;

fn filter() -> Option<String> {
    std::env::var("MQTT_VECTORS_FILTER")
        .ok()
        .filter(|f| !f.is_empty())
}

/// Two tests, one per version, each calling `$check` with its protocol.
macro_rules! for_each_version {
    ($check:ident: $v311:ident, $v5:ident) => {
        #[test]
        fn $v311() {
            $check(Protocol::V311);
        }

        #[test]
        fn $v5() {
            $check(Protocol::V5);
        }
    };
}

for_each_version!(vectors_pass_against_this_codec:
    the_3_1_1_vectors_pass_against_this_codec,
    the_5_0_vectors_pass_against_this_codec);

for_each_version!(vectors_pass_through_the_adapter_protocol:
    the_3_1_1_vectors_pass_through_the_adapter_protocol,
    the_5_0_vectors_pass_through_the_adapter_protocol);

/// The whole suite of `protocol` (or the vectors `MQTT_VECTORS_FILTER` selects) against
/// `implementation`, which must be this codec and run at least one vector; the report, with
/// its summary printed.
fn run_this_codec(protocol: Protocol, implementation: &mut dyn Implementation) -> Report {
    let report = conformance(
        &Suite::default_root(),
        protocol,
        implementation,
        filter().as_deref(),
    )
    .unwrap();
    println!("{}", report.summary());
    assert!(matches!(report.rules, Rules::ThisCodec(_)));
    assert!(!report.results.is_empty(), "no vector was run");
    report
}

/// The ids of the results `skipped` picks.
fn skipped_ids(report: &Report, skipped: impl Fn(&str) -> bool) -> Vec<&str> {
    report
        .results
        .iter()
        .filter(|r| r.skipped.as_deref().is_some_and(&skipped))
        .map(|r| r.id.as_str())
        .collect()
}

fn vectors_pass_against_this_codec(protocol: Protocol) {
    let report = run_this_codec(protocol, &mut Native);
    // Natively, nothing is skipped, the LargePacket vectors included.
    assert_eq!(skipped_ids(&report, |_| true), Vec::<&str>::new());
    assert!(report.ok(), "{}", report.text());
}

fn own_adapter() -> String {
    format!("{} adapter", env!("CARGO_BIN_EXE_mqtt-vectors"))
}

fn vectors_pass_through_the_adapter_protocol(protocol: Protocol) {
    let mut adapter = Adapter::start(&own_adapter()).unwrap();
    // Its --version line names this codec, so it is held to this codec's rules.
    assert!(adapter.is_this_codec());
    let report = run_this_codec(protocol, &mut adapter);
    // Skipped: the LargePacket vectors, which are not sent through adapters, and no other.
    let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
    let large: Vec<&str> = suite
        .vectors()
        .filter(|(_, v)| v.flags.iter().any(|f| f == "LargePacket"))
        .filter(|(_, v)| filter().is_none_or(|f| v.id.contains(&f)))
        .map(|(_, v)| v.id.as_str())
        .collect();
    assert_eq!(
        skipped_ids(&report, |reason| reason == LARGE_PACKET_SKIP),
        large
    );
    assert_eq!(skipped_ids(&report, |_| true).len(), large.len());
    assert!(report.ok(), "{}", report.text());
}

/// Answers every adapter request with `unsupported`, echoing its id (the runner writes the
/// id first).
const DECLINES_EVERYTHING: &str =
    r#"sed -u 's/^{"id":\("[^"]*"\).*/{"id":\1,"result":"unsupported"}/'"#;

#[test]
fn a_run_that_executes_no_vector_fails() {
    let mut adapter = Adapter::start(DECLINES_EVERYTHING).unwrap();
    assert!(!adapter.is_this_codec());
    let report = conformance(&Suite::default_root(), Protocol::V311, &mut adapter, None).unwrap();
    assert!(matches!(report.rules, Rules::Standard));
    assert!(report.results.iter().all(|r| r.skipped.is_some()));
    assert!(!report.ok(), "{}", report.text());
    let total = report.results.len();
    // One failure for the empty run, besides any the lint finds.
    let failed = report.lint.len() + 1;
    assert_eq!(
        report.summary(),
        format!("conformance 3.1.1: 0 passed, {failed} failed, {total} skipped")
    );
    assert_eq!(
        report.problems(),
        [format!("no vector was run: {total} selected, all skipped")]
    );
    // A filter that matches nothing in one version is that version's "nothing selected",
    // not a failure of its own; when it matches nothing in every version, the run's last line
    // counts the failure.
    let reports = native_runs("no-such-vector");
    for report in &reports {
        assert!(report.problems().is_empty(), "{:?}", report.problems());
    }
    let lint: usize = reports.iter().map(|r| r.lint.len()).sum();
    assert_eq!(
        conformance::report::total_summary(&reports),
        format!("conformance: 0 passed, {} failed", lint + 1)
    );
    // A filter that matches only 5.0 vectors passes.
    let reports = native_runs("v5-auth-form-2");
    assert_eq!(
        conformance::report::total_summary(&reports),
        "conformance: 1 passed, 0 failed"
    );
}

/// The reports of this codec's runs of both versions, on the vectors `filter` selects.
fn native_runs(filter: &str) -> Vec<Report> {
    [Protocol::V311, Protocol::V5]
        .into_iter()
        .map(|protocol| {
            conformance(&Suite::default_root(), protocol, &mut Native, Some(filter)).unwrap()
        })
        .collect()
}

#[test]
fn this_codec_declining_a_vector_fails_it() {
    // This codec's adapter behind a protocol-string mismatch (a version it does not speak):
    // it answers every request `unsupported`, and is still this codec (its --version line
    // passes through).
    let command = format!(r#"sed -u 's/"3\.1\.1"/"4.0"/' | {}"#, own_adapter());
    let mut adapter = Adapter::start(&command).unwrap();
    assert!(adapter.is_this_codec());
    let report = conformance(
        &Suite::default_root(),
        Protocol::V311,
        &mut adapter,
        Some("pingreq"),
    )
    .unwrap();
    assert!(!report.results.is_empty());
    for result in &report.results {
        assert!(result.skipped.is_none(), "{}", result.id);
        assert!(
            result.failures[0].contains("answered 'unsupported'"),
            "{}: {:?}",
            result.id,
            result.failures
        );
    }
    assert!(!report.ok());
}

/// Every valid vector's packet of `protocol`, with its id. Those of 5.0 with a context decode
/// without it too: a context only adds limits, which a valid vector keeps.
fn valid_packets(protocol: Protocol) -> Vec<(String, Vec<u8>)> {
    let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
    suite
        .vectors()
        .filter(|(_, v)| v.verdict == Verdict::Valid)
        .map(|(_, v)| (v.id.clone(), v.wire_bytes().unwrap().to_vec()))
        .collect()
}

fn decoded(wire: &[u8]) -> Packet<'_> {
    decode(wire).unwrap().complete().unwrap().0
}

fn decoded_v5(wire: &[u8]) -> v5::Packet<'_> {
    v5::decode(wire).unwrap().complete().unwrap().0
}

/// `id: Display line` of every valid vector of `protocol`, `show` giving the line; each
/// must be one line, and one over 240 bytes is cut (the snapshot stays readable where a vector
/// holds a 65,535-byte string).
fn display_lines(protocol: Protocol, show: impl Fn(&[u8]) -> String) -> Vec<String> {
    let mut lines = Vec::new();
    for (id, wire) in valid_packets(protocol) {
        let mut line = show(&wire);
        assert!(!line.contains('\n'), "{id}: Display is not one line");
        if line.len() > 240 {
            let cut = (0..=200)
                .rev()
                .find(|&i| line.is_char_boundary(i))
                .unwrap_or(0);
            line = format!("{}... ({} bytes in all)", &line[..cut], line.len());
        }
        lines.push(format!("{id}: {line}"));
    }
    lines
}

#[test]
fn display_lines_of_the_valid_vectors() {
    let lines = display_lines(Protocol::V311, |wire| decoded(wire).to_string());
    assert!(!lines.is_empty());
    insta::assert_snapshot!("display", lines.join("\n"));
}

#[test]
fn display_lines_of_the_valid_5_0_vectors() {
    let lines = display_lines(Protocol::V5, |wire| decoded_v5(wire).to_string());
    assert!(lines.len() > 300, "only {} valid 5.0 vectors", lines.len());
    insta::assert_snapshot!("display_v5", lines.join("\n"));
}

/// Every way a packet and its owned copy print: `Display`, `Debug` and `{:#?}`.
fn shown(packet: &(impl Display + Debug), owned: &(impl Display + Debug)) -> String {
    format!("{packet}\n{packet:?}\n{packet:#?}\n{owned}\n{owned:?}")
}

/// Asserts that no secret of `secrets` (the empty ones aside) stands in `shown`, as text, as
/// hex, or as Rust's Debug prints a byte slice; only spellings of at least 4 characters are
/// looked for, since a shorter one can stand elsewhere in a line by chance ("5" in
/// "keep_alive=5"; the vectors give their secrets at least 6 distinctive ones). Returns how
/// many spellings were looked for.
fn assert_hidden(id: &str, shown: &str, secrets: &[&[u8]]) -> usize {
    let mut checked = 0;
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mut spellings = Vec::new();
        if let Ok(text) = std::str::from_utf8(secret) {
            spellings.push(text.to_owned());
        }
        spellings.push(hex::format(secret));
        spellings.push(format!("{secret:?}").trim_matches(['[', ']']).to_owned());
        for spelled in spellings.into_iter().filter(|s| s.len() >= 4) {
            assert!(
                !shown.contains(&spelled),
                "{id}: a secret ({spelled:?}) appears in:\n{shown}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn credentials_never_reach_display_or_debug() {
    let mut checked = 0;
    for (id, wire) in valid_packets(Protocol::V311) {
        let packet = decoded(&wire);
        let Packet::Connect(connect) = packet else {
            continue;
        };
        let shown = shown(&packet, &packet.to_owned_packet());
        let mut secrets: Vec<&[u8]> = Vec::new();
        secrets.extend(connect.username().map(str::as_bytes));
        secrets.extend(connect.password());
        checked += assert_hidden(&id, &shown, &secrets);
    }
    assert!(checked > 0, "no CONNECT vector carries credentials");
}

#[test]
fn credentials_and_authentication_data_never_reach_5_0_display_or_debug() {
    let mut checked = 0;
    for (id, wire) in valid_packets(Protocol::V5) {
        let packet = decoded_v5(&wire);
        let shown = shown(&packet, &packet.to_owned_packet());
        let mut secrets: Vec<&[u8]> = Vec::new();
        let properties = match packet {
            v5::Packet::Connect(c) => {
                secrets.extend(c.username().map(str::as_bytes));
                secrets.extend(c.password());
                Some(c.properties())
            }
            v5::Packet::Connack(c) => Some(c.properties()),
            v5::Packet::Auth(n) => Some(n.properties()),
            _ => None,
        };
        for p in properties.iter().flat_map(|p| p.iter()) {
            if let v5::Property::AuthenticationData(data) = p {
                secrets.push(data);
            }
        }
        checked += assert_hidden(&id, &shown, &secrets);
    }
    assert!(
        checked > 0,
        "no 5.0 vector carries credentials or Authentication Data"
    );
}

/// The fuzzing oracle over every vector, valid or not: the whole wire, its prefixes (sampled
/// as the runner samples them) and three copies in one buffer.
#[test]
fn the_fuzzing_oracle_holds_for_every_vector() {
    type Check = fn(&[u8]);
    let versions: [(Protocol, Check, usize); 2] = [
        (Protocol::V311, oracle::check_decode, 300),
        (Protocol::V5, oracle::v5::check_decode, 1000),
    ];
    for (protocol, check_decode, at_least) in versions {
        let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
        let mut checked = 0;
        for (_, v) in suite.vectors() {
            let wire = v.wire_bytes().unwrap();
            let large = v.flags.iter().any(|f| f == "LargePacket");
            for cut in conformance::run::prefix_cuts(wire.len(), large) {
                check_decode(&wire[..cut]);
            }
            check_decode(wire);
            if !large {
                check_decode(&wire.repeat(3));
            }
            checked += 1;
        }
        assert!(checked > at_least, "only {checked} vectors of {protocol:?}");
    }
}

/// The stream oracle over streams of vectors: every valid vector under 4 KiB back to back,
/// then one invalid vector, cut into pseudo-random chunks of 1 to 64 bytes, several ways.
#[test]
fn the_stream_oracle_holds_for_streams_of_vectors() {
    stream_oracle(Protocol::V311, oracle::check_stream);
    stream_oracle(Protocol::V5, oracle::v5::check_stream);
}

fn stream_oracle(protocol: Protocol, check_stream: fn(&[u8], &[u8])) {
    let suite = Suite::load(&Suite::default_root(), protocol).unwrap();
    let small = |v: &&conformance::suite::Vector| v.wire_bytes().is_ok_and(|w| w.len() < 4096);
    let valid: Vec<u8> = suite
        .vectors()
        .map(|(_, v)| v)
        .filter(|v| v.verdict == Verdict::Valid)
        .filter(small)
        .flat_map(|v| v.wire_bytes().unwrap().to_vec())
        .collect();
    let invalid: Vec<&conformance::suite::Vector> = suite
        .vectors()
        .map(|(_, v)| v)
        .filter(|v| v.verdict == Verdict::Invalid)
        .filter(small)
        .collect();
    let mut rng = testkit::XorShift64::new(0x9E37_79B9_7F4A_7C15);
    let mut streams = 0;
    for bad in invalid.iter().step_by(7) {
        let mut data = valid.clone();
        data.extend_from_slice(bad.wire_bytes().unwrap());
        let sizes: Vec<u8> = (0..32).map(|_| (rng.next_u64() % 64) as u8 + 1).collect();
        check_stream(&data, &sizes);
        streams += 1;
    }
    assert!(streams >= 20, "only {streams} streams checked");
}
