//! The differential checker behind `cargo xtask differential [REV]`: the codec at an earlier
//! revision (`old`, extracted by the task) against the working tree's (`new`), on the same
//! inputs, in six decoder modes. Both must give the same answer for every input and every
//! strict prefix of it: the same `Debug` of the whole decode result (the packet with every
//! field, the bytes used, `Partial(Needed)`, or the `DecodeError` with kind, offset and packet
//! type), the same user name and password (which `Debug` hides), and for every packet decoded,
//! the same `encoded_len`, the same bytes from `encode_to_vec` and from `encode` into an exact
//! buffer, and the same error from `encode` into a buffer one byte short (which must stay
//! untouched in both).
//!
//! Results are compared through a 128-bit digest of their `Debug` text, written as it is
//! formatted, so a 256 MiB packet is never held as text; on a difference both texts are
//! formatted again, shortened, for the report.
//!
//! `mqtt-wire-differential --root DIR [--inputs N] [--seed S]`; exits 1 on any difference.

mod inputs;

use std::fmt::{self, Write as _};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use inputs::{Corpus, Density, Rng};

/// The decoder configurations compared: the default `v311::decode`, four size limits (below
/// the smallest fixed header, around a short packet, and around typical ones), and the
/// refusal of control characters.
const MODES: [Mode; 6] = [
    Mode::Default,
    Mode::MaxSize(2),
    Mode::MaxSize(7),
    Mode::MaxSize(64),
    Mode::MaxSize(1100),
    Mode::RejectControl,
];

/// Differences shown in full; the rest are counted.
const SHOWN: usize = 20;

#[derive(Clone, Copy)]
enum Mode {
    Default,
    MaxSize(usize),
    RejectControl,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mode::Default => f.write_str("v311::decode"),
            Mode::MaxSize(n) => write!(f, "max_packet_size({n})"),
            Mode::RejectControl => f.write_str("reject_control_characters(true)"),
        }
    }
}

/// A 128-bit digest of formatted text: two 64-bit multiplicative hashes, byte by byte, so the
/// way `Debug` splits its output into `write_str` calls does not matter.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Digest(u64, u64);

impl Digest {
    fn of(value: &dyn fmt::Debug) -> Digest {
        let mut digest = Digest(0xcbf2_9ce4_8422_2325, 0x9e37_79b9_7f4a_7c15);
        // Writing into a Digest cannot fail; a Debug implementation that fails would show
        // as a difference only if it failed in one codec, which is what we want.
        let _ = write!(digest, "{value:?}");
        digest
    }
}

impl fmt::Write for Digest {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            self.1 = (self.1 ^ u64::from(b))
                .wrapping_mul(0xff51_afd7_ed55_8ccd)
                .rotate_left(29);
        }
        Ok(())
    }
}

/// `Debug` text cut after `LIMIT` bytes, for the report.
fn shortened(value: &dyn fmt::Debug) -> String {
    const LIMIT: usize = 600;
    struct Capped(String, bool);
    impl fmt::Write for Capped {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for c in s.chars() {
                if self.0.len() >= LIMIT {
                    self.1 = true;
                    return Err(fmt::Error);
                }
                self.0.push(c);
            }
            Ok(())
        }
    }
    let mut out = Capped(String::new(), false);
    let _ = write!(out, "{value:?}");
    if out.1 {
        out.0.push_str(" ...");
    }
    out.0
}

fn hex(bytes: &[u8]) -> String {
    const LIMIT: usize = 256;
    let mut out = String::new();
    for (i, b) in bytes.iter().take(LIMIT).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02x}");
    }
    if bytes.len() > LIMIT {
        let _ = write!(out, " ... ({} bytes in all)", bytes.len());
    }
    out
}

struct Difference {
    source: String,
    check: String,
    input: Vec<u8>,
    old: String,
    new: String,
}

/// Counts per mode and the differences found; one per thread, added up at the end.
#[derive(Default)]
struct Tally {
    inputs: [u64; MODES.len()],
    prefixes: [u64; MODES.len()],
    encodes: [u64; MODES.len()],
    differences: u64,
    shown: Vec<Difference>,
    /// Whether a difference of the input being checked is shown already: one per input, so
    /// that twenty different inputs are shown rather than one input's prefixes.
    input_shown: bool,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for m in 0..MODES.len() {
            self.inputs[m] += other.inputs[m];
            self.prefixes[m] += other.prefixes[m];
            self.encodes[m] += other.encodes[m];
        }
        self.differences += other.differences;
        for d in other.shown {
            if self.shown.len() < SHOWN {
                self.shown.push(d);
            }
        }
    }

    fn differ(
        &mut self,
        source: &dyn Fn() -> String,
        check: String,
        input: &[u8],
        old: String,
        new: String,
    ) {
        self.differences += 1;
        if self.shown.len() < SHOWN && !self.input_shown {
            self.input_shown = true;
            self.shown.push(Difference {
                source: source(),
                check,
                input: input.to_vec(),
                old,
                new,
            });
        }
    }

    /// One input, whole, in every mode; then its strict prefixes from `prefixes_from` bytes
    /// on (shorter ones were checked with another input that has the same start).
    fn check(
        &mut self,
        source: &dyn Fn() -> String,
        input: &[u8],
        prefixes_from: usize,
        density: Density,
    ) {
        self.input_shown = false;
        for (m, &mode) in MODES.iter().enumerate() {
            self.inputs[m] += 1;
            self.compare(source, mode, m, input, true);
            for len in inputs::prefix_lengths(prefixes_from, input.len(), density) {
                self.prefixes[m] += 1;
                self.compare(source, mode, m, &input[..len], false);
            }
        }
    }

    fn compare(
        &mut self,
        source: &dyn Fn() -> String,
        mode: Mode,
        m: usize,
        input: &[u8],
        whole: bool,
    ) {
        let what = |check: &str| {
            format!(
                "{check}, {mode}, {}",
                if whole {
                    "whole input".to_string()
                } else {
                    format!("prefix of {} bytes", input.len())
                }
            )
        };
        let old = catch_unwind(AssertUnwindSafe(|| match mode {
            Mode::Default => old::v311::decode(input),
            Mode::MaxSize(n) => old::v311::Decoder::new().max_packet_size(n).decode(input),
            Mode::RejectControl => old::v311::Decoder::new()
                .reject_control_characters(true)
                .decode(input),
        }));
        let new = catch_unwind(AssertUnwindSafe(|| match mode {
            Mode::Default => new::v311::decode(input),
            Mode::MaxSize(n) => new::v311::Decoder::new().max_packet_size(n).decode(input),
            Mode::RejectControl => new::v311::Decoder::new()
                .reject_control_characters(true)
                .decode(input),
        }));
        let (old, new) = match (old, new) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                let text =
                    |panicked: bool| if panicked { "panicked" } else { "returned" }.to_string();
                self.differ(
                    source,
                    what("decode panicked"),
                    input,
                    text(old.is_err()),
                    text(new.is_err()),
                );
                return;
            }
        };
        let (old_view, new_view) = (outcome_old(&old), outcome_new(&new));
        if Digest::of(&old_view) != Digest::of(&new_view) {
            self.differ(
                source,
                what("decode"),
                input,
                shortened(&old_view),
                shortened(&new_view),
            );
            return;
        }
        let (Ok(old::Status::Complete((old, _))), Ok(new::Status::Complete((new, _)))) = (old, new)
        else {
            return;
        };
        self.encodes[m] += 1;
        if let (old::v311::Packet::Connect(o), new::v311::Packet::Connect(n)) = (&old, &new) {
            let (o, n) = ((o.username(), o.password()), (n.username(), n.password()));
            if Digest::of(&o) != Digest::of(&n) {
                self.differ(
                    source,
                    what("username() and password()"),
                    input,
                    shortened(&o),
                    shortened(&n),
                );
            }
        }
        let encoded = catch_unwind(AssertUnwindSafe(|| {
            (encodings_old(&old), encodings_new(&new))
        }));
        match encoded {
            Ok((o, n)) => {
                if o.len != n.len {
                    self.differ(
                        source,
                        what("encoded_len"),
                        input,
                        o.len.to_string(),
                        n.len.to_string(),
                    );
                }
                if o.to_vec != n.to_vec {
                    self.differ(
                        source,
                        what("encode_to_vec"),
                        input,
                        hex(&o.to_vec),
                        hex(&n.to_vec),
                    );
                }
                if o.exact != n.exact {
                    self.differ(
                        source,
                        what("encode into an exact buffer"),
                        input,
                        o.exact,
                        n.exact,
                    );
                }
                if o.short != n.short {
                    self.differ(
                        source,
                        what("encode into a buffer one byte short"),
                        input,
                        o.short,
                        n.short,
                    );
                }
            }
            Err(_) => self.differ(
                source,
                what("encode panicked"),
                input,
                "?".into(),
                "?".into(),
            ),
        }
    }
}

/// What one codec's encoders make of a decoded packet.
struct Encodings {
    len: usize,
    to_vec: Vec<u8>,
    /// `encode` into a buffer of `encoded_len` bytes: its result and the bytes.
    exact: String,
    /// `encode` into a buffer one byte short, filled with 0xAA: its result and whether the
    /// buffer was left untouched.
    short: String,
}

macro_rules! encodings {
    ($name:ident, $krate:ident) => {
        fn $name(packet: &$krate::v311::Packet<'_>) -> Encodings {
            let len = packet.encoded_len();
            let mut to_vec = Vec::new();
            let appended = packet.encode_to_vec(&mut to_vec);
            let mut exact = vec![0x55; len];
            let result = packet.encode(&mut exact);
            let exact = if result == Ok(len) && exact == to_vec && appended == len {
                format!("{result:?}, the bytes of encode_to_vec")
            } else {
                format!(
                    "{result:?} (encode_to_vec said {appended}): {}",
                    hex(&exact)
                )
            };
            let mut short = vec![0xAA; len.saturating_sub(1)];
            let result = packet.encode(&mut short);
            let untouched = short.iter().all(|&b| b == 0xAA);
            Encodings {
                len,
                to_vec,
                exact,
                short: format!("{result:?}, buffer untouched: {untouched}"),
            }
        }
    };
}

/// A decode's result as the public API shows it: the packet's `Debug`, or each part of the
/// error through its accessors (the clause and the CONNACK code included, which the error's
/// `Debug` may or may not show, depending on how the codec stores them).
macro_rules! outcome {
    ($name:ident, $krate:ident) => {
        fn $name(
            result: &Result<$krate::Status<($krate::v311::Packet<'_>, usize)>, $krate::DecodeError>,
        ) -> String {
            match result {
                Ok(status) => format!("Ok({status:?})"),
                Err(e) => format!(
                    "Err({:?} at {} in {:?}, {}, CONNACK {:?})",
                    e.kind(),
                    e.offset(),
                    e.packet_type(),
                    e.clause(),
                    e.connack_return_code()
                ),
            }
        }
    };
}

outcome!(outcome_old, old);
outcome!(outcome_new, new);

encodings!(encodings_old, old);
encodings!(encodings_new, new);

struct Options {
    root: PathBuf,
    inputs: usize,
    seed: u64,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        root: PathBuf::from("."),
        inputs: 2_000_000,
        seed: 0x6d71_7474_7769_7265,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => options.root = PathBuf::from(value()?),
            "--inputs" => {
                options.inputs = value()?
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--inputs: {e}"))?;
            }
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    Ok(options)
}

/// Runs `work(i)` for `i` in `0..count` on every core, in chunks taken in turn.
fn parallel(count: usize, work: impl Fn(usize, &mut Tally) + Sync) -> Tally {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let total = Mutex::new(Tally::default());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut tally = Tally::default();
                loop {
                    let start = next.fetch_add(64, Ordering::Relaxed);
                    if start >= count {
                        break;
                    }
                    for i in start..count.min(start + 64) {
                        work(i, &mut tally);
                    }
                }
                if let Ok(mut total) = total.lock() {
                    total.add(tally);
                }
            });
        }
    });
    total.into_inner().unwrap_or_default()
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("differential: {e}");
            eprintln!("usage: mqtt-wire-differential --root DIR [--inputs N] [--seed S]");
            return ExitCode::FAILURE;
        }
    };
    let corpus = match Corpus::load(&options.root) {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("differential: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Panics are reported as differences with their input; the hook's message still names
    // the place.
    let started = Instant::now();
    let mut total = Tally::default();
    let mut stage = |name: &str, tally: &dyn Fn() -> Tally| {
        let started = Instant::now();
        let tally = tally();
        let decodes: u64 = tally.inputs.iter().sum::<u64>() + tally.prefixes.iter().sum::<u64>();
        println!(
            "{name:<30} {:>9} inputs {:>11} decodes compared {:>4} differences {:>6.1} s",
            tally.inputs[0],
            decodes,
            tally.differences,
            started.elapsed().as_secs_f64()
        );
        total.add(tally);
    };

    let vectors = &corpus.vectors;
    stage("vectors", &|| {
        parallel(vectors.len(), |i, t| {
            t.check(
                &|| format!("vector {}", vectors[i].0),
                &vectors[i].1,
                0,
                Density::Dense,
            )
        })
    });

    let mutations = corpus.mutation_sites();
    stage("one-byte mutations", &|| {
        parallel(mutations.len(), |i, t| {
            let (v, position) = mutations[i];
            let (id, original) = &vectors[v];
            let mut input = original.clone();
            for value in inputs::mutations(original[position]) {
                input[position] = value;
                t.check(
                    &|| format!("vector {id}, byte {position} set to {value:#04x}"),
                    &input,
                    position + 1,
                    Density::Sparse,
                );
            }
        })
    });

    let small = corpus.small_vectors();
    stage("concatenations of two vectors", &|| {
        parallel(small.len() * small.len(), |i, t| {
            let (a, b) = (
                &vectors[small[i / small.len()]],
                &vectors[small[i % small.len()]],
            );
            let mut input = a.1.clone();
            input.extend_from_slice(&b.1);
            t.check(
                &|| format!("vector {} then vector {}", a.0, b.0),
                &input,
                a.1.len() + 1,
                Density::Sparse,
            );
        })
    });

    let files = &corpus.files;
    stage("fuzz corpus and regressions", &|| {
        parallel(files.len(), |i, t| {
            t.check(&|| files[i].0.clone(), &files[i].1, 0, Density::Dense)
        })
    });

    let seed = options.seed;
    stage("pseudo-random MQTT-like inputs", &|| {
        parallel(options.inputs, |i, t| {
            let input = Rng::for_input(seed, i).packet();
            t.check(
                &|| format!("random input {i} of seed {seed}"),
                &input,
                0,
                Density::Dense,
            )
        })
    });

    println!("\nper mode: inputs (whole), strict prefixes, packets re-encoded");
    for (m, mode) in MODES.iter().enumerate() {
        println!(
            "  {:<34} {:>10} {:>12} {:>10}",
            mode.to_string(),
            total.inputs[m],
            total.prefixes[m],
            total.encodes[m]
        );
    }
    for d in &total.shown {
        println!("\nDIFFERENCE in {} ({})", d.check, d.source);
        println!("  input: {}", hex(&d.input));
        println!("  old:   {}", d.old);
        println!("  new:   {}", d.new);
    }
    let compared: u64 = total.inputs.iter().sum::<u64>() + total.prefixes.iter().sum::<u64>();
    println!(
        "\ndifferential: {compared} decodes compared, {} packets re-encoded, {} differences{}, {:.0} s",
        total.encodes.iter().sum::<u64>(),
        total.differences,
        if total.differences as usize > total.shown.len() {
            format!(" (the first {} shown)", total.shown.len())
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    if total.differences == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
