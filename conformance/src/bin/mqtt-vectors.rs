//! `mqtt-vectors`: run the golden vectors, speak the adapter protocol, and turn hex into the
//! JSON packet model and back.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use conformance::implementation::{
    answer, decode_outcome, Adapter, Implementation, Native, Outcome,
};
use conformance::suite::Protocol;
use conformance::{hex, model};
use serde_json::json;

const USAGE: &str = "usage: mqtt-vectors <command>

commands:
  run [--protocol 3.1.1|5.0] [--impl COMMAND] [--timeout SECONDS] [--json] [--vectors DIR]
      [--checks FILE] [--trace ID] [FILTER]
        run the vectors (whose id contains FILTER) of both protocol versions, or of the one
        given, against this codec, or against the adapter COMMAND (started with sh -c; each
        request may take SECONDS, default 10); this codec, and an adapter whose --version
        line starts with 'mqtt-wire', under this codec's rules, any other adapter under the
        standard's; a report per version, then one line 'conformance: N passed, N failed'
        over all; exits non-zero on any failure, and when a version ran no vector;
        --checks: run the checks of FILE (written by `checks`; its version only) instead
        of those derived from the vectors; --trace ID: print each request about the
        vector ID and its answer, in the adapter protocol's terms, on stderr
  checks [--protocol 3.1.1|5.0] [--vectors DIR] [--output FILE]
        write every check the runner makes on the vectors of one version (3.1.1 unless
        told otherwise) as JSON (vectors/schema/checks.schema.json), to FILE or stdout;
        `run --checks FILE` and runners/python/mqtt_vectors.py run from it
  matrix [--protocol 3.1.1|5.0] [--impl NAME VERSION COMMAND]... [--timeout SECONDS]
         [--vectors DIR] [--write DIR] [--check FILE]
        run one version's vectors (3.1.1 unless told otherwise) against this codec (the
        first column, mqtt-wire) and each adapter,
        all under the standard's rules (early rejection counted, not failed), print the
        summary; --write: replace that version's part of DIR/matrix.json and
        DIR/matrix.md (keeping the other version's and the part of matrix.md above its
        marker line), and write DIR/matrix.html, the page of every version in
        matrix.json; --check: compare with that version's part of a committed
        matrix.json, print what changed, and fail if this codec's cells changed; either
        way, fail unless this codec passes every vector it ran
  adapter [--version]
        answer adapter-protocol requests on stdin with this codec, one JSON line each
        (--version: print 'mqtt-wire' and the codec's version; the name is how `run` knows
        to hold this adapter to this codec's rules)
  decode [--protocol 3.1.1|5.0] HEX
        decode one packet (of 3.1.1 unless told otherwise) and print it as the JSON model
        (or the error, or 'incomplete')
  encode [--protocol 3.1.1|5.0] JSON
        encode a JSON packet model and print the hex
  dissector [--protocol 3.1.1|5.0] [--tshark PATH] [--known FILE]
            [--vectors DIR] [--list-invalid]
        decode every vector a receiver may accept (of both protocol versions, or of the one
        given) with Wireshark's MQTT dissector and compare it with the vector's model,
        properties, reason codes and subscription options included; a report and an
        agreement figure per version; fails on a disagreement not listed (with its analysis)
        under its version in FILE (default docs/dissector-disagreements.json);
        --list-invalid shows what it makes of each invalid vector (a record, not a check)
  broker-judge --broker HOST:PORT [--protocol 3.1.1|5.0] [--broker-version TEXT]
               [--write DIR] [--check FILE] [--vectors DIR] [--workers N]
        send every vector a client may send to the broker at HOST:PORT at a point of a session
        where its answer can be judged (conformance/src/broker_judge.rs), compare the answer
        with the vector's verdict, print the counts; --write: DIR/broker-judge.json and the
        part of DIR/broker-judge.md below its marker line; --check: fail when the results
        differ from the committed FILE
  corpus DIR [--vectors DIR]
        write each vector's wire bytes (both versions) to DIR/<id>, as a fuzzing seed corpus
        (vectors over 64 KiB are left out: they only slow a fuzzer down)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("matrix") => matrix(&args[1..]),
        Some("checks") => checks(&args[1..]),
        Some("adapter") if args.get(1).map(String::as_str) == Some("--version") => {
            // "mqtt-wire 0.1.0": the first word tells a runner that this adapter is this
            // codec, to be held to this codec's rules (implementation::Adapter::is_this_codec).
            println!("{}", conformance::implementation::adapter_version_line());
            Ok(true)
        }
        Some("adapter") => adapter(),
        Some("decode") => with_protocol(&args[1..]).and_then(|(p, hex)| decode(p, hex)),
        Some("encode") => with_protocol(&args[1..]).and_then(|(p, json)| encode(p, json)),
        Some("corpus") if args.len() >= 2 => corpus(&args[1..]),
        Some("dissector") => dissector(&args[1..]),
        Some("broker-judge") => broker_judge(&args[1..]),
        _ => Err(USAGE.trim_end().to_owned()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn parse_protocol(name: Option<&String>) -> Result<Protocol, String> {
    name.and_then(|n| Protocol::parse(n))
        .ok_or_else(|| "--protocol needs 3.1.1 or 5.0".to_owned())
}

/// `[--protocol P] ARG`: the protocol (3.1.1 by default) and the one argument.
fn with_protocol(args: &[String]) -> Result<(Protocol, &str), String> {
    match args {
        [arg] => Ok((Protocol::V311, arg)),
        [flag, name, arg] if flag == "--protocol" => Ok((parse_protocol(Some(name))?, arg)),
        _ => Err(USAGE.trim_end().to_owned()),
    }
}

fn run(args: &[String]) -> Result<bool, String> {
    let mut protocols = Protocol::ALL.to_vec();
    let mut imp_command = None;
    let mut timeout = conformance::implementation::DEFAULT_TIMEOUT;
    let mut as_json = false;
    let mut root = conformance::suite::Suite::default_root();
    let mut filter = std::env::var("MQTT_VECTORS_FILTER")
        .ok()
        .filter(|f| !f.is_empty());
    let mut checks_file = None;
    let mut trace = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--checks" => {
                let path = args.next().ok_or("--checks needs a file")?;
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                let file = conformance::checks::ChecksFile::parse(&text)
                    .map_err(|e| format!("{path}: {e}"))?;
                checks_file = Some(file);
            }
            "--trace" => trace = Some(args.next().ok_or("--trace needs a vector id")?.clone()),
            "--impl" => imp_command = Some(args.next().ok_or("--impl needs a command")?.clone()),
            "--json" => as_json = true,
            "--timeout" => {
                let seconds = args.next().and_then(|s| s.parse::<f64>().ok());
                timeout = seconds
                    .filter(|s| *s > 0.0 && s.is_finite())
                    .map(std::time::Duration::from_secs_f64)
                    .ok_or("--timeout needs a number of seconds")?;
            }
            "--vectors" => root = PathBuf::from(args.next().ok_or("--vectors needs a directory")?),
            "--protocol" => protocols = vec![parse_protocol(args.next())?],
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            name => filter = Some(name.to_owned()),
        }
    }
    let mut imp: Box<dyn Implementation> = match &imp_command {
        Some(command) => Box::new(Adapter::with_timeout(command, timeout)?),
        None => Box::new(Native),
    };
    if let Some(id) = trace {
        imp = Box::new(Traced { inner: imp, id });
    }
    if let Some(file) = &checks_file {
        protocols = vec![file.protocol()?];
    }
    let mut reports = Vec::new();
    for protocol in protocols {
        let report = conformance::conformance_from(
            &root,
            protocol,
            imp.as_mut(),
            filter.as_deref(),
            checks_file.as_ref(),
        )?;
        if !as_json {
            print!("{}", report.text());
            println!();
        }
        reports.push(report);
    }
    let total = conformance::report::total_summary(&reports);
    if as_json {
        let json = json!({
            "reports": reports.iter().map(|r| r.json()).collect::<Vec<_>>(),
            "tally": conformance::report::total_tally(&reports),
            "summary": total,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        );
    } else {
        if !conformance::report::total_executed_any(&reports) {
            println!("problem: no vector was run in any version");
        }
        println!("{}", conformance::report::total_tally(&reports).line());
        println!("{total}");
    }
    Ok(reports.iter().all(|r| r.ok()) && conformance::report::total_executed_any(&reports))
}

/// An implementation whose requests about one vector, and their answers, are printed (on
/// stderr, so that `--json` output stays JSON), in the adapter protocol's terms.
struct Traced {
    inner: Box<dyn Implementation>,
    id: String,
}

impl Traced {
    fn request(
        request: &conformance::implementation::Request<'_>,
        key: &str,
        value: serde_json::Value,
    ) -> serde_json::Value {
        let mut out = json!({"id": request.id, "protocol": request.protocol.as_str()});
        if let Some(context) = request.context {
            out["context"] = context.clone();
        }
        out[key] = value;
        out
    }
}

impl Implementation for Traced {
    fn decode(
        &mut self,
        request: &conformance::implementation::Request<'_>,
        bytes: &[u8],
    ) -> Result<Outcome, conformance::implementation::Fault> {
        let traced = request.id == self.id;
        if traced {
            let sent = Traced::request(request, "hex", hex::format(bytes).into());
            eprintln!("trace: request {sent}");
        }
        let answer = self.inner.decode(request, bytes);
        if traced {
            let id = request.id;
            match &answer {
                Ok(Outcome::Valid { consumed, packet }) => eprintln!(
                    "trace: answer  {}",
                    json!({"id": id, "result": "valid", "consumed": consumed, "packet": packet})
                ),
                Ok(Outcome::Invalid(error)) => eprintln!(
                    "trace: answer  {}",
                    json!({"id": id, "result": "invalid", "error": error})
                ),
                Ok(Outcome::Incomplete) => eprintln!(
                    "trace: answer  {}",
                    json!({"id": id, "result": "incomplete"})
                ),
                Ok(Outcome::Unsupported) => eprintln!(
                    "trace: answer  {}",
                    json!({"id": id, "result": "unsupported"})
                ),
                Err(fault) => eprintln!("trace: answer  ({fault})"),
            }
        }
        answer
    }

    fn encode(
        &mut self,
        request: &conformance::implementation::Request<'_>,
        packet: &serde_json::Value,
    ) -> Result<Option<Vec<u8>>, conformance::implementation::Fault> {
        let traced = request.id == self.id;
        if traced {
            eprintln!(
                "trace: request {}",
                Traced::request(request, "encode", packet.clone())
            );
        }
        let answer = self.inner.encode(request, packet);
        if traced {
            match &answer {
                Ok(Some(bytes)) => eprintln!(
                    "trace: answer  {}",
                    json!({"id": request.id, "hex": hex::format(bytes)})
                ),
                Ok(None) => eprintln!(
                    "trace: answer  {}",
                    json!({"id": request.id, "result": "unsupported"})
                ),
                Err(fault) => eprintln!("trace: answer  ({fault})"),
            }
        }
        answer
    }

    fn supports(&mut self, feature: &str) -> bool {
        self.inner.supports(feature)
    }

    fn name(&self) -> String {
        self.inner.name()
    }

    fn takes_large_packets(&self) -> bool {
        self.inner.takes_large_packets()
    }

    fn is_this_codec(&mut self) -> bool {
        self.inner.is_this_codec()
    }
}

fn matrix(args: &[String]) -> Result<bool, String> {
    use conformance::matrix::{compare, Column, Matrix, WithoutLargePackets};
    let mut peers: Vec<(String, String, String)> = Vec::new();
    let mut timeout = conformance::implementation::DEFAULT_TIMEOUT;
    let mut root = conformance::suite::Suite::default_root();
    let mut write = None;
    let mut check = None;
    let mut protocol = Protocol::V311;
    let mut args = args.iter();
    let mut value = |flag: &str| args.next().cloned().ok_or(format!("{flag} needs a value"));
    while let Ok(arg) = value("") {
        match arg.as_str() {
            "--impl" => peers.push((value("--impl")?, value("--impl")?, value("--impl")?)),
            "--timeout" => {
                timeout = value("--timeout")?
                    .parse::<f64>()
                    .ok()
                    .filter(|s| *s > 0.0 && s.is_finite())
                    .map(std::time::Duration::from_secs_f64)
                    .ok_or("--timeout needs a number of seconds")?;
            }
            "--vectors" => root = PathBuf::from(value("--vectors")?),
            "--protocol" => protocol = parse_protocol(Some(&value("--protocol")?))?,
            "--write" => write = Some(PathBuf::from(value("--write")?)),
            "--check" => check = Some(PathBuf::from(value("--check")?)),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let suite = conformance::suite::Suite::load(&root, protocol)?;
    let mut columns = Vec::new();
    let started = std::time::Instant::now();
    // Every column under the standard's rules, so that the columns compare like with like:
    // early rejection is counted apart, not failed. This codec's own rules are enforced by
    // `mqtt-vectors run` (cargo xtask conformance), natively and through its adapter.
    let rules = conformance::run::Rules::Standard;
    let results = conformance::run::run(&suite, &mut WithoutLargePackets(Native), None, &rules);
    columns.push(Column {
        name: "mqtt-wire".into(),
        version: conformance::CODEC_VERSION.into(),
        results,
    });
    eprintln!("matrix: mqtt-wire {:.1} s", started.elapsed().as_secs_f64());
    for (name, version, command) in &peers {
        let started = std::time::Instant::now();
        let mut adapter = Adapter::with_timeout(command, timeout)?;
        let results = conformance::run::run(&suite, &mut adapter, None, &rules);
        drop(adapter);
        eprintln!("matrix: {name} {:.1} s", started.elapsed().as_secs_f64());
        columns.push(Column {
            name: name.clone(),
            version: version.clone(),
            results,
        });
    }
    let matrix = Matrix::new(&columns)?;
    println!("implementation        version   pass  fail  crash  timeout  skip  early rejection");
    for imp in &matrix.implementations {
        let c = imp.counts;
        let [held, checked] = imp.early_rejection.unwrap_or_default();
        println!(
            "{:<21} {:<9} {:>4} {:>5} {:>6} {:>8} {:>5}  {held} of {checked}",
            imp.name, imp.version, c.pass, c.fail, c.crash, c.timeout, c.skip
        );
    }
    let mut ok = true;
    if let Some(path) = &check {
        let changes = compare(&conformance::matrix::committed(path, protocol)?, &matrix);
        for change in &changes.peers {
            println!("changed (reported only): {change}");
        }
        for change in &changes.reference {
            println!("FAILED: {change}");
        }
        ok = !changes.failed();
        if changes.peers.is_empty() && changes.reference.is_empty() {
            println!("matrix: the same as {}", path.display());
        }
    } else if let Some(first) = matrix.implementations.first() {
        let c = first.counts;
        ok = c.fail + c.crash + c.timeout == 0;
        if !ok {
            println!("FAILED: mqtt-wire does not pass every vector");
        }
    }
    if let Some(dir) = &write {
        let [json, md] = conformance::matrix::write(dir, protocol, matrix)?;
        println!("matrix: wrote {} and {}", json.display(), md.display());
    }
    Ok(ok)
}

fn checks(args: &[String]) -> Result<bool, String> {
    let mut protocol = Protocol::V311;
    let mut root = conformance::suite::Suite::default_root();
    let mut output = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--protocol" => protocol = parse_protocol(Some(value()?))?,
            "--vectors" => root = PathBuf::from(value()?),
            "--output" => output = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let suite = conformance::suite::Suite::load(&root, protocol)?;
    let lint = conformance::lint::lint(&suite);
    let json = conformance::checks::derive(&suite, lint).to_json();
    match output {
        Some(path) => {
            std::fs::write(&path, &json).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "mqtt-vectors: the {protocol} checks written to {} ({} bytes)",
                path.display(),
                json.len()
            );
        }
        None => print!("{json}"),
    }
    Ok(true)
}

fn adapter() -> Result<bool, String> {
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        writeln!(stdout, "{}", answer(&line)).map_err(|e| e.to_string())?;
        stdout.flush().map_err(|e| e.to_string())?;
    }
    Ok(true)
}

fn decode(protocol: Protocol, text: &str) -> Result<bool, String> {
    let bytes = hex::parse(text)?;
    let (output, ok) = match decode_outcome(protocol, None, &bytes)? {
        Outcome::Valid { consumed, packet } => (
            json!({"result": "valid", "consumed": consumed, "packet": packet}),
            true,
        ),
        Outcome::Invalid(error) => (json!({"result": "invalid", "error": error}), false),
        _ => (json!({"result": "incomplete"}), false),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?
    );
    Ok(ok)
}

fn encode(protocol: Protocol, text: &str) -> Result<bool, String> {
    let model: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let bytes = model::encode_json(protocol, &model)?;
    println!("{}", hex::format(&bytes));
    Ok(true)
}

fn corpus(args: &[String]) -> Result<bool, String> {
    let out = PathBuf::from(&args[0]);
    let root = match args.get(1..) {
        Some([flag, dir]) if flag == "--vectors" => PathBuf::from(dir),
        Some([]) => conformance::suite::Suite::default_root(),
        _ => return Err(USAGE.trim_end().to_owned()),
    };
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut written = 0;
    // Both versions: the fuzz targets decode 3.1.1, and the 5.0 vectors are close to 3.1.1
    // packets with properties, reason codes and the AUTH type, shapes a fuzzer would take
    // long to find. Ids are unique across versions (5.0 ids start with `v5-`).
    for protocol in Protocol::ALL {
        let suite = conformance::suite::Suite::load(&root, protocol)?;
        for (_, v) in suite.vectors() {
            let Ok(bytes) = v.wire_bytes() else { continue };
            if bytes.len() > 64 * 1024 {
                continue;
            }
            std::fs::write(out.join(&v.id), bytes).map_err(|e| e.to_string())?;
            written += 1;
        }
    }
    eprintln!("mqtt-vectors: {written} seeds written to {}", out.display());
    Ok(true)
}

fn dissector(args: &[String]) -> Result<bool, String> {
    use conformance::dissector::Known;
    use std::process::Command;

    let mut tshark = PathBuf::from("tshark");
    let mut root = conformance::suite::Suite::default_root();
    let mut known_path = root
        .join("..")
        .join("docs")
        .join("dissector-disagreements.json");
    let mut list_invalid = false;
    let mut protocols = Protocol::ALL.to_vec();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--protocol" {
            protocols = vec![parse_protocol(args.next())?];
            continue;
        }
        let mut value = || {
            args.next()
                .map(PathBuf::from)
                .ok_or(format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--tshark" => tshark = value()?,
            "--known" => known_path = value()?,
            "--vectors" => root = value()?,
            "--list-invalid" => list_invalid = true,
            _ => return Err(USAGE.trim_end().to_owned()),
        }
    }
    let known_path = std::fs::canonicalize(&known_path).unwrap_or(known_path);
    let known = Known::load(&known_path)?;
    let version = Command::new(&tshark)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .unwrap_or_default();
    println!("dissector: {version}");
    let mut totals = Vec::new();
    for protocol in protocols {
        let suite = conformance::suite::Suite::load(&root, protocol)?;
        totals.push(dissect_version(
            &tshark,
            &suite,
            protocol,
            &known,
            &known_path,
            list_invalid,
        )?);
    }
    let new: usize = totals.iter().map(|t| t.new).sum();
    let summary: Vec<String> = totals
        .iter()
        .map(|t| format!("{} {} of {} agree", t.protocol, t.agree, t.compared))
        .collect();
    println!("dissector: {}; {new} new disagreements", summary.join(", "));
    Ok(new == 0)
}

/// One version's figures.
struct Totals {
    protocol: Protocol,
    compared: usize,
    agree: usize,
    new: usize,
}

/// Compares the vectors of one version with the dissector, prints the report, and returns its
/// figures.
fn dissect_version(
    tshark: &std::path::Path,
    suite: &conformance::suite::Suite,
    protocol: Protocol,
    known: &conformance::dissector::Known,
    known_path: &std::path::Path,
    list_invalid: bool,
) -> Result<Totals, String> {
    use conformance::dissector;

    let selection = dissector::select(suite);
    // One capture per way of sending: vectors in one frame each with TCP reassembly off, so
    // no frame can borrow bytes from another; longer vectors in segments, reassembled.
    let mut found = Vec::new();
    for (vectors, reassemble) in [(&selection.single, false), (&selection.segmented, true)] {
        let shown = run_tshark(tshark, protocol, vectors, reassemble)?;
        found.extend(dissector::compare(protocol, vectors, &shown)?);
    }
    // The invalid vectors, for the record: where the dissector is lenient.
    let invalid = dissector::select_invalid(suite);
    let shown = run_tshark(tshark, protocol, &invalid, false)?;
    let readings = dissector::survey(&invalid, &shown)?;

    let p = protocol;
    let ids = |vs: &[&conformance::suite::Vector]| {
        vs.iter()
            .map(|v| v.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<_> = selection
        .single
        .iter()
        .chain(&selection.segmented)
        .collect();
    let acceptable = all
        .iter()
        .filter(|v| v.verdict == conformance::suite::Verdict::Acceptable)
        .count();
    println!(
        "dissector {p}: {} valid vectors and {acceptable} acceptable ones with a packet model: {} in one frame each, {} in segments that tshark reassembles ({}); not sent: {}",
        all.len() - acceptable,
        selection.single.len(),
        selection.segmented.len(),
        ids(&selection.segmented),
        ids(&selection.left_out)
    );
    let mut kinds: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for r in &readings {
        let entry = kinds.entry(r.kind.as_str()).or_default();
        entry.0 += usize::from(!r.complaints.is_empty());
        entry.1 += 1;
    }
    let flagged: usize = kinds.values().map(|k| k.0).sum();
    println!(
        "dissector {p}: for the record, not a check: of {} invalid vectors (one frame each), the dissector objects to {flagged} (malformed, a field past the end, a warning, or not one packet) and shows {} as ordinary packets; objected to / sent, by error kind:",
        readings.len(),
        readings.len() - flagged
    );
    for (kind, (flagged, sent)) in &kinds {
        println!("  {kind}: {flagged}/{sent}");
    }
    if list_invalid {
        for r in &readings {
            println!("  {} ({}): {}", r.vector, r.kind, r.complaints.join("; "));
        }
    }
    let compared = selection.single.len() + selection.segmented.len();
    let classified = known.classify(protocol, &found);
    if !classified.known.is_empty() {
        println!(
            "dissector {p}: known disagreements (analysed in {}):",
            known_path.display()
        );
        for k in &classified.known {
            println!(
                "  {} {}: vector {:?}, dissector {:?} [{}]",
                k.vector, k.field, k.expected, k.dissector, k.cause
            );
        }
    }
    if !classified.gone.is_empty() {
        println!("dissector {p}: listed but no longer seen (remove them from the list):");
        for k in &classified.gone {
            println!(
                "  {} {}: vector {:?}, dissector {:?}",
                k.vector, k.field, k.expected, k.dissector
            );
        }
    }
    if !classified.new.is_empty() {
        println!("dissector {p}: NEW disagreements (analyse each: fix the vector, or list it with its analysis):");
        for d in &classified.new {
            println!(
                "  {}\n    {{\"vector\": {:?}, \"field\": {:?}, \"expected\": {:?}, \"dissector\": {:?}}}",
                d.vector, d.vector, d.field, d.expected, d.dissector
            );
        }
    }
    let disagreeing: std::collections::BTreeSet<&str> =
        found.iter().map(|d| d.vector.as_str()).collect();
    let agree = compared - disagreeing.len();
    println!(
        "dissector {p}: {agree} of {compared} vectors agree on every field; {} known disagreements (in {} vectors), {} new",
        classified.known.len(),
        disagreeing.len(),
        classified.new.len()
    );
    Ok(Totals {
        protocol,
        compared,
        agree,
        new: classified.new.len(),
    })
}

/// tshark's JSON for the capture of `vectors` ([`conformance::dissector::capture::pcap`]).
fn run_tshark(
    tshark: &std::path::Path,
    protocol: Protocol,
    vectors: &[&conformance::suite::Vector],
    reassemble: bool,
) -> Result<serde_json::Value, String> {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!(
        "mqtt-vectors-dissector-{}-{}-{reassemble}",
        std::process::id(),
        protocol.dir()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = (|| {
        let pcap = dir.join("vectors.pcap");
        let bytes = conformance::dissector::capture::pcap(vectors)?;
        std::fs::write(&pcap, bytes).map_err(|e| e.to_string())?;
        // Each vector is the first packet of its TCP stream, read as `protocol` by the
        // preference mqtt.default_version: Wireshark 4.0 uses it for a stream until a
        // CONNECT says otherwise (a CONNECT of level 5 before each vector would do the same,
        // at one more frame per stream). With reassembly and sequence analysis off, each
        // frame is dissected on its own.
        let switch = if reassemble { "TRUE" } else { "FALSE" };
        let output = Command::new(tshark)
            .arg("-r")
            .arg(&pcap)
            .args(["-o", &format!("tcp.desegment_tcp_streams:{switch}")])
            .args(["-o", &format!("tcp.analyze_sequence_numbers:{switch}")])
            .args([
                "-o",
                &format!("mqtt.default_version:MQTT v{}", protocol.as_str()),
            ])
            .args(["-d", "tcp.port==1883,mqtt"])
            // -x: each field's offset, which orders a property block's fields.
            .args(["-T", "json", "-x", "--no-duplicate-keys"])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", tshark.display()))?;
        if !output.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                tshark.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        serde_json::from_slice::<serde_json::Value>(&output.stdout)
            .map_err(|e| format!("tshark's JSON: {e}"))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn broker_judge(args: &[String]) -> Result<bool, String> {
    use conformance::broker_judge::{self as judge, Record, Timing};
    let mut broker = None;
    let mut protocols = Protocol::ALL.to_vec();
    let mut broker_version = String::from("(version not given)");
    let mut root = conformance::suite::Suite::default_root();
    let mut write = None;
    let mut check = None;
    let mut timing = Timing::default();
    let mut args = args.iter();
    let mut value = |flag: &str| args.next().cloned().ok_or(format!("{flag} needs a value"));
    while let Ok(arg) = value("") {
        match arg.as_str() {
            "--broker" => broker = Some(value("--broker")?),
            "--protocol" => protocols = vec![parse_protocol(Some(&value("--protocol")?))?],
            "--broker-version" => broker_version = value("--broker-version")?,
            "--vectors" => root = PathBuf::from(value("--vectors")?),
            "--write" => write = Some(PathBuf::from(value("--write")?)),
            "--check" => check = Some(PathBuf::from(value("--check")?)),
            "--workers" => {
                timing.workers = value("--workers")?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--workers needs a positive number")?;
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let broker = broker.ok_or("broker-judge needs --broker HOST:PORT")?;
    let mut record = Record {
        broker: broker_version,
        ..Record::default()
    };
    for protocol in protocols {
        let suite = conformance::suite::Suite::load(&root, protocol)?;
        let started = std::time::Instant::now();
        let results = judge::judge(&suite, &broker, &timing);
        let c = judge::counts(&results);
        println!(
            "broker-judge {protocol}: {} vectors a client may send: {} agree, {} valid refused, {} invalid accepted, {} not judged; invalid refused with a code: {} of {} with the vector's ({:.1} s)",
            c.total,
            c.agree,
            c.valid_refused,
            c.invalid_accepted,
            c.not_judged,
            c.code_matches,
            c.refused_with_code,
            started.elapsed().as_secs_f64()
        );
        record
            .versions
            .insert(protocol.as_str().to_owned(), results);
    }
    let mut ok = true;
    if let Some(path) = &check {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let committed: Record =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for (version, results) in &record.versions {
            let empty = Vec::new();
            let was = committed.versions.get(version).unwrap_or(&empty);
            let differences = judge::differences(was, results);
            if differences.is_empty() {
                println!(
                    "broker-judge {version}: the same results as {} ({} vectors)",
                    path.display(),
                    results.len()
                );
            } else {
                ok = false;
                println!(
                    "broker-judge {version}: FAILED: {} result(s) differ from {} (judged then by {}, now by {}):",
                    differences.len(),
                    path.display(),
                    committed.broker,
                    record.broker
                );
                for line in differences {
                    println!("  {line}");
                }
            }
        }
    }
    if let Some(dir) = &write {
        let json_path = dir.join("broker-judge.json");
        // A run of one version keeps the other's committed results.
        if let Ok(text) = std::fs::read_to_string(&json_path) {
            if let Ok(old) = serde_json::from_str::<Record>(&text) {
                for (version, results) in old.versions {
                    record.versions.entry(version).or_insert(results);
                }
            }
        }
        std::fs::write(&json_path, record.to_json())
            .map_err(|e| format!("{}: {e}", json_path.display()))?;
        let md_path = dir.join("broker-judge.md");
        let old = std::fs::read_to_string(&md_path).unwrap_or_default();
        let above = old
            .split(judge::MARKER)
            .next()
            .unwrap_or_default()
            .trim_end();
        let md = format!(
            "{above}\n\n{}\n\n{}",
            judge::MARKER,
            judge::markdown(&record)
        );
        std::fs::write(&md_path, md).map_err(|e| format!("{}: {e}", md_path.display()))?;
        println!(
            "broker-judge: wrote {} and {}",
            json_path.display(),
            md_path.display()
        );
    }
    Ok(ok)
}
