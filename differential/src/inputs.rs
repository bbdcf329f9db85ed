//! The inputs: the golden vectors' bytes, their one-byte mutations, pairs of them end to
//! end, the fuzz corpus and regressions, and seeded pseudo-random bytes shaped like MQTT.

use std::path::Path;

/// Vectors up to this size have every byte mutated, and are put end to end with each other.
const SMALL: usize = 2048;
/// Vectors over this size are not mutated: beyond their first bytes they are payload, and a
/// mutated copy of the 256 MiB vector per byte would take minutes.
const MUTATED_AT_MOST: usize = 1 << 20;
/// Bytes mutated at each end of a vector over `SMALL`: the fixed header, the variable
/// header and the first field lengths; the end of the last field.
const MUTATED_HEAD: usize = 32;
const MUTATED_TAIL: usize = 8;

/// The values each byte is set to, besides its eight bit flips: the protocol's delimiters,
/// control characters, and the bytes that start or continue UTF-8 sequences.
const VALUES: [u8; 10] = [0x00, 0x01, 0x20, 0x23, 0x2B, 0x2F, 0x7F, 0x80, 0xC0, 0xFF];

/// The mutated values of one byte, without the byte itself or repeats.
pub fn mutations(original: u8) -> impl Iterator<Item = u8> {
    let flips = (0..8).map(move |bit| original ^ (1 << bit));
    let mut seen = [false; 256];
    seen[usize::from(original)] = true;
    VALUES.into_iter().chain(flips).filter(move |&v| {
        let new = !seen[usize::from(v)];
        seen[usize::from(v)] = true;
        new
    })
}

/// The strict prefix lengths of an input of `len` bytes, from `from` on: all of them when
/// there are at most `all` (`Dense`) or `SPARSE_ALL` (`Sparse`); otherwise the first of them
/// (which reach into the fixed and variable headers), the last and some spread between, since
/// the middle of a body is all `Partial(Exactly(n))`. The vectors themselves take every
/// prefix up to 2 KiB; their mutations and pairs, which are two orders of magnitude more
/// numerous, the sparse set (a mutation's prefixes before the mutated byte are the vector's).
pub fn prefix_lengths(
    from: usize,
    len: usize,
    density: Density,
) -> Box<dyn Iterator<Item = usize>> {
    let (all, head, tail, middle) = match density {
        Density::Dense => (SMALL, 256, 64, 64),
        Density::Sparse => (SPARSE_ALL, 48, 8, 8),
    };
    if len.saturating_sub(from) <= all {
        return Box::new(from..len);
    }
    let head = from..from + head;
    let tail = len - tail..len;
    let step = (tail.start - head.end) / (middle + 1);
    let middle = (1..=middle).map(move |k| head.end + k * step);
    Box::new(head.chain(middle).chain(tail))
}

/// Prefixes checked in full by `Density::Sparse` up to this many.
const SPARSE_ALL: usize = 64;

/// How many strict prefixes of an input to check.
#[derive(Clone, Copy)]
pub enum Density {
    Dense,
    Sparse,
}

pub struct Corpus {
    /// Vector id and bytes, in file order.
    pub vectors: Vec<(String, Vec<u8>)>,
    /// Path and bytes of every file in `fuzz/corpus/*/` and `fuzz/regressions/*/`.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Corpus {
    pub fn load(root: &Path) -> Result<Corpus, String> {
        let mut vectors = Vec::new();
        let mut paths = Vec::new();
        // The 3.1.1 vectors: the checker compares two 3.1.1 decoders, and the 5.0 vectors (mostly
        // malformed as 3.1.1) would only multiply the pairs of vectors put end to end.
        collect_files(&root.join("vectors").join("v311"), &mut paths)?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        for path in paths {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let file: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            // Files without vectors (clauses, flags, error kinds) describe the others.
            let Some(list) = file.get("vectors").and_then(|v| v.as_array()) else {
                continue;
            };
            for vector in list {
                let id = vector.get("id").and_then(|v| v.as_str()).unwrap_or("?");
                let wire = vector
                    .get("wire")
                    .ok_or_else(|| format!("{}: vector {id} has no wire", path.display()))?;
                let bytes = wire_bytes(wire)
                    .map_err(|e| format!("{}: vector {id}: {e}", path.display()))?;
                vectors.push((id.to_string(), bytes));
            }
        }
        if vectors.is_empty() {
            return Err(format!(
                "no vectors under {}",
                root.join("vectors").join("v311").display()
            ));
        }

        let mut paths = Vec::new();
        for dir in ["corpus", "regressions"] {
            let dir = root.join("fuzz").join(dir);
            if dir.is_dir() {
                collect_files(&dir, &mut paths)?;
            }
        }
        paths.retain(|p| p.file_name().is_some_and(|n| n != "README.md"));
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            files.push((name, bytes));
        }
        Ok(Corpus { vectors, files })
    }

    /// (vector, byte position) of every byte to mutate.
    pub fn mutation_sites(&self) -> Vec<(usize, usize)> {
        let mut sites = Vec::new();
        for (v, (_, bytes)) in self.vectors.iter().enumerate() {
            let len = bytes.len();
            if len > MUTATED_AT_MOST {
                continue;
            }
            if len <= SMALL {
                sites.extend((0..len).map(|p| (v, p)));
            } else {
                sites.extend((0..MUTATED_HEAD).map(|p| (v, p)));
                sites.extend((len - MUTATED_TAIL..len).map(|p| (v, p)));
            }
        }
        sites
    }

    /// The vectors put end to end with each other: all but the large ones.
    pub fn small_vectors(&self) -> Vec<usize> {
        (0..self.vectors.len())
            .filter(|&v| self.vectors[v].1.len() <= SMALL)
            .collect()
    }
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A vector's `wire`: hex text, or a list of hex texts and `{"repeat": HEX, "count": N}`
/// (vectors/README.md).
fn wire_bytes(wire: &serde_json::Value) -> Result<Vec<u8>, String> {
    let segments = match wire {
        serde_json::Value::Array(list) => list.as_slice(),
        single => std::slice::from_ref(single),
    };
    let mut bytes = Vec::new();
    for segment in segments {
        if let Some(text) = segment.as_str() {
            bytes.extend(parse_hex(text)?);
        } else {
            let repeat = segment.get("repeat").and_then(|v| v.as_str());
            let count = segment.get("count").and_then(|v| v.as_u64());
            let (Some(repeat), Some(count)) = (repeat, count) else {
                return Err(format!("unknown wire segment {segment}"));
            };
            let unit = parse_hex(repeat)?;
            for _ in 0..count {
                bytes.extend_from_slice(&unit);
            }
        }
    }
    Ok(bytes)
}

fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits in {text:?}"));
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| format!("not hex: {text:?}"))
        })
        .collect()
}

/// xorshift64, seeded per input so that input `i` of a seed is the same whatever the number
/// of threads.
pub struct Rng(u64);

/// Bytes that matter to the codec: delimiters, wildcards, control characters, UTF-8 lead and
/// continuation bytes, surrogates' lead 0xED, non-characters' 0xEF 0xBF, flags.
const INTERESTING: [u8; 24] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x1F, 0x20, 0x23, 0x2B, 0x2F, 0x61, 0x7F, 0x80, 0x81, 0xBF, 0xC0,
    0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xFE, 0xFF,
];

/// Pieces of strings: plain, separators, wildcards, U+0000, control characters, two-, three-
/// and four-byte characters, U+FFFF, a surrogate, an overlong NUL, a cut-off sequence.
const STRING_PIECES: [&[u8]; 18] = [
    b"a",
    b"b/",
    b"/",
    b"+",
    b"#",
    b"sport",
    b"\0",
    b"\x01",
    b"\x7f",
    "é".as_bytes(),
    b"\xC2\x85",
    b"\xEF\xBF\xBF",
    b"\xEF\xBF\xBE",
    b"\xED\xA0\x80",
    b"\xC0\x80",
    b"\xF0\x9F\x98\x80",
    b"\xE2\x82",
    b"$SYS",
];

impl Rng {
    pub fn for_input(seed: u64, index: usize) -> Rng {
        // splitmix64 of seed and index: neighbouring indices get unrelated streams.
        let mut z = seed.wrapping_add(
            (index as u64)
                .wrapping_add(1)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    fn byte(&mut self) -> u8 {
        if self.percent(50) {
            INTERESTING[self.below(INTERESTING.len())]
        } else {
            self.next() as u8
        }
    }

    fn bytes(&mut self, out: &mut Vec<u8>, max: usize) {
        for _ in 0..self.below(max + 1) {
            out.push(self.byte());
        }
    }

    /// A length, usually right, sometimes one off or anything.
    fn length(&mut self, right: usize) -> u16 {
        match self.below(100) {
            0..=89 => right as u16,
            90..=93 => (right as u16).wrapping_add(1),
            94..=97 => (right as u16).wrapping_sub(1),
            _ => self.next() as u16,
        }
    }

    /// A length-prefixed string (or binary field) of a few pieces.
    fn string(&mut self, out: &mut Vec<u8>) {
        let mut s = Vec::new();
        let pieces = if self.percent(10) {
            0
        } else {
            self.below(5) + 1
        };
        for _ in 0..pieces {
            if self.percent(85) {
                s.extend_from_slice(STRING_PIECES[self.below(STRING_PIECES.len())]);
            } else {
                s.push(self.byte());
            }
        }
        out.extend_from_slice(&self.length(s.len()).to_be_bytes());
        out.extend_from_slice(&s);
    }

    fn packet_id(&mut self, out: &mut Vec<u8>) {
        let id: u16 = match self.below(10) {
            0 => 0,
            1 => 0xFFFF,
            _ => self.next() as u16,
        };
        out.extend_from_slice(&id.to_be_bytes());
    }

    /// A whole input: a first byte, a Remaining Length that matches its body or nearly, the
    /// body built field by field for the packet type (or random), and sometimes a cut or
    /// trailing bytes.
    pub fn packet(&mut self) -> Vec<u8> {
        const TYPES: [u8; 14] = [
            0x10, 0x20, 0x30, 0x40, 0x50, 0x62, 0x70, 0x82, 0x90, 0xA2, 0xB0, 0xC0, 0xD0, 0xE0,
        ];
        let mut first = TYPES[self.below(TYPES.len())];
        if first == 0x30 {
            first |= self.below(16) as u8;
        } else if self.percent(10) {
            first = (first & 0xF0) | self.below(16) as u8;
        }
        if self.percent(3) {
            first = self.next() as u8;
        }
        let mut body = Vec::new();
        if self.percent(8) {
            self.bytes(&mut body, 24);
        } else {
            self.body(first, &mut body);
        }
        if !body.is_empty() && self.percent(15) {
            let at = self.below(body.len());
            body[at] = self.byte();
        }

        let mut out = vec![first];
        let length = match self.below(100) {
            0..=84 => body.len(),
            85..=90 => body.len() + 1,
            91..=96 => body.len().saturating_sub(1),
            _ => self.below(400),
        };
        let mut value = length;
        loop {
            let mut b = (value % 128) as u8;
            value /= 128;
            if value > 0 {
                b |= 0x80;
            }
            out.push(b);
            if value == 0 {
                break;
            }
        }
        if self.percent(3) {
            // Not minimal: a continuation bit and a 0x00 byte more; or a fifth byte.
            if let Some(last) = out.last_mut() {
                *last |= 0x80;
            }
            out.push(if self.percent(80) { 0x00 } else { self.byte() });
        }
        out.extend_from_slice(&body);
        if self.percent(10) {
            self.bytes(&mut out, 8);
        }
        if self.percent(4) {
            out.truncate(self.below(out.len() + 1));
        }
        out
    }

    fn body(&mut self, first: u8, out: &mut Vec<u8>) {
        match first >> 4 {
            1 => {
                let name: &[u8] = match self.below(20) {
                    0 => b"\x00\x06MQIsdp",
                    1 => b"\x00\x04MQTt",
                    2 => b"\x00\x03MQT",
                    _ => b"\x00\x04MQTT",
                };
                out.extend_from_slice(name);
                out.push(match self.below(20) {
                    0 => 3,
                    1 => 5,
                    2 => self.next() as u8,
                    _ => 4,
                });
                let flags = if self.percent(80) {
                    // Bits that usually agree: the reserved bit clear, will QoS and retain
                    // only with the will flag, a password only with a user name.
                    let mut f = (self.next() as u8) & 0xFE;
                    if f & 0x04 == 0 && self.percent(80) {
                        f &= !0x38;
                    }
                    if f & 0x18 == 0x18 && self.percent(80) {
                        f &= !0x10;
                    }
                    if f & 0x80 == 0 && self.percent(80) {
                        f &= !0x40;
                    }
                    f
                } else {
                    self.next() as u8
                };
                out.push(flags);
                out.extend_from_slice(&(self.next() as u16).to_be_bytes());
                self.string(out);
                let present = |bit: u8, rng: &mut Rng| (flags & bit != 0) != rng.percent(5);
                if present(0x04, self) {
                    self.string(out);
                    self.string(out);
                }
                if present(0x80, self) {
                    self.string(out);
                }
                if present(0x40, self) {
                    self.string(out);
                }
            }
            2 => {
                out.push(if self.percent(70) {
                    self.below(2) as u8
                } else {
                    self.byte()
                });
                out.push(if self.percent(70) {
                    self.below(6) as u8
                } else {
                    self.byte()
                });
            }
            3 => {
                self.string(out);
                if (first >> 1) & 3 != 0 {
                    self.packet_id(out);
                }
                self.bytes(out, 16);
            }
            4..=7 | 11 => self.packet_id(out),
            8 | 10 => {
                self.packet_id(out);
                for _ in 0..self.below(5) {
                    self.string(out);
                    if first >> 4 == 8 {
                        out.push(if self.percent(85) {
                            self.below(3) as u8
                        } else {
                            self.byte()
                        });
                    }
                }
            }
            9 => {
                self.packet_id(out);
                for _ in 0..self.below(6) {
                    out.push(match self.below(10) {
                        0..=2 => 0,
                        3..=4 => 1,
                        5..=6 => 2,
                        7..=8 => 0x80,
                        _ => self.byte(),
                    });
                }
            }
            _ => {
                if self.percent(10) {
                    self.bytes(out, 2);
                }
            }
        }
    }
}
