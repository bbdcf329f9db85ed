//! The release of the vectors (`cargo xtask vectors-dist`): which files of the repository go
//! into the archive and where, its manifest, the archive's bytes (reproducible: fixed order,
//! times, owners and modes), and the checks of what comes out of it (the manifest against the
//! files found, the runners' summary lines against each other).
//!
//! The xtask reads the files, runs the programs and writes the results; everything decided
//! from their contents is here.

use std::collections::BTreeMap;
use std::io::Write;

use sha2::{Digest, Sha256};

/// The name of the archive, the packages and the archive's top directory (with `-<version>`).
pub const NAME: &str = "mqtt-vectors";

/// The manifest's file name, at the archive's top; it lists every other file.
pub const MANIFEST: &str = "manifest.json";

/// The protocol versions whose checks files the release carries, as `mqtt-vectors checks
/// --protocol` names them.
pub const PROTOCOLS: [&str; 2] = ["3.1.1", "5.0"];

/// The modification time of every entry of the archive (seconds since the epoch): fixed, so
/// two builds of the same files give the same bytes. 2000-01-01T00:00:00Z, not 0, since some
/// tools take a time of 0 for "unknown".
pub const MTIME: u64 = 946_684_800;

/// One file of the release: its path inside the archive's top directory (`/`-separated) and
/// its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path below `mqtt-vectors-<version>/`.
    pub path: String,
    /// The file's contents.
    pub data: Vec<u8>,
}

/// The path of a checks file in the archive.
pub fn checks_path(protocol: &str) -> String {
    format!("checks/checks-{protocol}.json")
}

/// The release version: the one line of `vectors/VERSION`, `MAJOR.MINOR.PATCH` with decimal
/// numbers (no leading zeros).
pub fn parse_version(text: &str) -> Result<String, String> {
    let line = text
        .strip_suffix('\n')
        .filter(|l| !l.contains('\n'))
        .ok_or("vectors/VERSION must be one line ending in a newline")?;
    let parts: Vec<&str> = line.split('.').collect();
    let numeric = |p: &&str| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    };
    if parts.len() == 3 && parts.iter().all(numeric) {
        Ok(line.to_owned())
    } else {
        Err(format!(
            "vectors/VERSION: {line:?} is not MAJOR.MINOR.PATCH"
        ))
    }
}

/// Where a file of the repository (a path relative to its root, as `git ls-files` prints it)
/// goes in the archive, or `None` when it stays out.
///
/// In: the vectors of both versions with their data files, schemas, documents, retired ids,
/// version and licence; the Python runner; the adapter templates; this codec's recorded
/// decisions (so the runner holds this codec's adapter to its rules from the archive alone);
/// the code's licences. Out: the maintainers' tools (`vectors/tools/`), the broker scenarios
/// (`vectors/scenarios/`: no runner in the archive runs them), Python caches and build
/// products of the C template. The paths keep the repository's layout, so the runner finds
/// `vectors/` and the decisions where it looks by default, and the documents' relative links
/// hold.
pub fn archive_path(repo_path: &str) -> Option<String> {
    let keep = match repo_path {
        "runners/python/mqtt_vectors.py"
        | "conformance/acceptable-decisions.json"
        | "LICENSE-MIT"
        | "LICENSE-APACHE" => true,
        p if p.starts_with("vectors/") => {
            !p.starts_with("vectors/tools/") && !p.starts_with("vectors/scenarios/")
        }
        p if p.starts_with("adapters/templates/") => {
            p.ends_with(".py")
                || p.ends_with(".js")
                || p.ends_with(".c")
                || p.ends_with(".md")
                || p.ends_with("/Makefile")
        }
        _ => false,
    };
    let cache = repo_path.contains("__pycache__/") || repo_path.ends_with(".pyc");
    (keep && !cache).then(|| repo_path.to_owned())
}

/// The SHA-256 of `data`, in lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The format version of each kind of file, read from the files themselves (`files`: archive
/// path and contents): `vector-file-3.1.1`, `vector-file-5.0` and `checks`. Every file of a
/// kind must state the same one.
pub fn format_versions(files: &[Entry]) -> Result<BTreeMap<String, u64>, String> {
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for entry in files {
        let kind = if entry.path.starts_with("checks/") {
            "checks".to_owned()
        } else if is_vector_file(&entry.path) {
            let json: serde_json::Value =
                serde_json::from_slice(&entry.data).map_err(|e| format!("{}: {e}", entry.path))?;
            let protocol = json["protocol"]
                .as_str()
                .ok_or(format!("{}: no protocol", entry.path))?;
            format!("vector-file-{protocol}")
        } else {
            continue;
        };
        let json: serde_json::Value =
            serde_json::from_slice(&entry.data).map_err(|e| format!("{}: {e}", entry.path))?;
        let version = json["format_version"]
            .as_u64()
            .ok_or(format!("{}: no format_version", entry.path))?;
        match found.insert(kind.clone(), version) {
            Some(other) if other != version => {
                return Err(format!(
                    "{}: format_version {version}, other {kind} files have {other}",
                    entry.path
                ))
            }
            _ => {}
        }
    }
    Ok(found)
}

/// A vector file (not a data file, a document or a schema).
fn is_vector_file(path: &str) -> bool {
    let data = ["clauses.json", "flags.json", "error-kinds.json"];
    (path.starts_with("vectors/v311/") || path.starts_with("vectors/v5/"))
        && path.ends_with(".json")
        && !data.iter().any(|d| path.ends_with(&format!("/{d}")))
}

/// The manifest: the release's name and version, each file kind's format version, and every
/// other file of the archive with its size and SHA-256, sorted by path. Deterministic text.
pub fn manifest_json(version: &str, formats: &BTreeMap<String, u64>, files: &[Entry]) -> String {
    // Written out by hand, so the text does not depend on whether serde_json keeps the
    // insertion order of objects (a feature another crate of the workspace may turn on).
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut sorted: Vec<&Entry> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let formats: Vec<String> = formats
        .iter()
        .map(|(kind, v)| format!("    {}: {v}", quote(kind)))
        .collect();
    let files: Vec<String> = sorted
        .iter()
        .map(|e| {
            format!(
                "    {{\"path\": {}, \"size\": {}, \"sha256\": \"{}\"}}",
                quote(&e.path),
                e.data.len(),
                sha256_hex(&e.data)
            )
        })
        .collect();
    format!(
        "{{\n  \"name\": {},\n  \"version\": {},\n  \"format_versions\": {{\n{}\n  }},\n  \"files\": [\n{}\n  ]\n}}\n",
        quote(NAME),
        quote(version),
        formats.join(",\n"),
        files.join(",\n")
    )
}

/// A manifest read back: the version and each file's SHA-256 by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The release version it states.
    pub version: String,
    /// SHA-256 (hex) by archive path.
    pub files: BTreeMap<String, String>,
}

/// Reads a manifest written by [`manifest_json`].
pub fn parse_manifest(text: &str) -> Result<Manifest, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let version = json["version"]
        .as_str()
        .ok_or(format!("{MANIFEST}: no version"))?
        .to_owned();
    let mut files = BTreeMap::new();
    for file in json["files"]
        .as_array()
        .ok_or(format!("{MANIFEST}: no files"))?
    {
        let (Some(path), Some(sha)) = (file["path"].as_str(), file["sha256"].as_str()) else {
            return Err(format!("{MANIFEST}: a file without path or sha256: {file}"));
        };
        if files.insert(path.to_owned(), sha.to_owned()).is_some() {
            return Err(format!("{MANIFEST}: {path} listed twice"));
        }
    }
    Ok(Manifest { version, files })
}

/// The differences between the files found (path and contents) and those the manifest lists
/// whose path starts with one of `prefixes` (all, for `&[""]`): each missing file, each file
/// it does not list, each hash that differs. Empty when they agree.
pub fn verify(manifest: &Manifest, found: &[Entry], prefixes: &[&str]) -> Vec<String> {
    let wanted = |p: &str| prefixes.iter().any(|pre| p.starts_with(pre));
    let mut problems = Vec::new();
    let mut seen = BTreeMap::new();
    for entry in found.iter().filter(|e| wanted(&e.path)) {
        seen.insert(entry.path.as_str(), ());
        match manifest.files.get(&entry.path) {
            None => problems.push(format!("{}: not in the manifest", entry.path)),
            Some(sha) if *sha != sha256_hex(&entry.data) => problems.push(format!(
                "{}: SHA-256 {} but the manifest says {sha}",
                entry.path,
                sha256_hex(&entry.data)
            )),
            Some(_) => {}
        }
    }
    for path in manifest.files.keys().filter(|p| wanted(p)) {
        if !seen.contains_key(path.as_str()) {
            problems.push(format!("{path}: in the manifest, missing"));
        }
    }
    problems
}

/// The archive: `entries` under the top directory `top`, as a gzipped tar. Directories get
/// their own entries; everything is sorted by path, owned by 0:0 with no names, mode 0644
/// (0755 for directories), modified at [`MTIME`]; the gzip header has no name and no time.
/// So the same entries, in any order, give the same bytes.
pub fn tar_gz(top: &str, entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    let mut files: BTreeMap<String, &[u8]> = BTreeMap::new();
    let mut dirs: BTreeMap<String, ()> = BTreeMap::new();
    dirs.insert(format!("{top}/"), ());
    for entry in entries {
        let path = format!("{top}/{}", entry.path);
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            end += slash + 1;
            dirs.insert(path[..end].to_owned(), ());
        }
        files.insert(path, &entry.data);
    }
    // Directories and files in one order: by path, a directory's `/` sorting it before its
    // contents.
    let mut all: Vec<(String, Option<&[u8]>)> = dirs.into_keys().map(|d| (d, None)).collect();
    all.extend(files.into_iter().map(|(p, d)| (p, Some(d))));
    all.sort_by(|a, b| a.0.cmp(&b.0));

    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, data) in all {
        let mut header = tar::Header::new_ustar();
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(MTIME);
        match data {
            None => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_size(0);
                tar.append_data(&mut header, &path, std::io::empty())?;
            }
            Some(data) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(0o644);
                header.set_size(data.len() as u64);
                tar.append_data(&mut header, &path, data)?;
            }
        }
    }
    let mut gz = tar.into_inner()?;
    gz.flush()?;
    gz.finish()
}

/// The summary lines of a runner's text report, which both runners print alike: for each
/// version, the line of crashes, timeouts, incomplete answers and encode checks not made and
/// the line `conformance <version>: N passed, N failed`; then the same two over the whole run,
/// the last `conformance: N passed, N failed`. `None` when the output does not end with that
/// last line.
pub fn summary_lines(output: &str) -> Option<Vec<String>> {
    let lines: Vec<String> = output
        .lines()
        .filter(|l| {
            l.starts_with("crashes: ")
                || l.starts_with("conformance: ")
                || (l.starts_with("conformance ") && l.contains(": "))
        })
        .map(str::to_owned)
        .collect();
    let last = output.lines().rev().find(|l| !l.trim().is_empty())?;
    (last.starts_with("conformance: ") && lines.len() >= 2).then_some(lines)
}

/// `package.json` with its placeholder version `"0.0.0"` replaced by `version`: exactly one
/// `"version": "0.0.0"` must be there, so the template cannot silently keep a wrong one.
pub fn npm_package_json(template: &str, version: &str) -> Result<String, String> {
    let placeholder = "\"version\": \"0.0.0\"";
    match template.matches(placeholder).count() {
        1 => Ok(template.replace(placeholder, &format!("\"version\": \"{version}\""))),
        n => Err(format!(
            "packaging/npm/package.json: {n} occurrences of {placeholder}, want exactly one"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, data: &str) -> Entry {
        Entry {
            path: path.into(),
            data: data.as_bytes().to_vec(),
        }
    }

    #[test]
    fn version_is_one_semver_line() {
        assert_eq!(parse_version("1.0.0\n").as_deref(), Ok("1.0.0"));
        assert_eq!(parse_version("12.3.40\n").as_deref(), Ok("12.3.40"));
        for bad in [
            "1.0.0",
            "1.0\n",
            "1.0.0\n\n",
            "01.0.0\n",
            "1.0.0-rc1\n",
            "v1.0.0\n",
            "1..0\n",
        ] {
            assert!(parse_version(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn archive_takes_the_data_the_runner_and_templates_only() {
        for (path, kept) in [
            ("vectors/v311/publish.json", true),
            ("vectors/v5/DECISIONS.md", true),
            ("vectors/schema/checks.schema.json", true),
            ("vectors/LICENSE", true),
            ("vectors/VERSION", true),
            ("vectors/ADAPTER-PROTOCOL.md", true),
            ("runners/python/mqtt_vectors.py", true),
            ("conformance/acceptable-decisions.json", true),
            ("adapters/templates/c/adapter.c", true),
            ("adapters/templates/c/Makefile", true),
            ("adapters/templates/python/adapter.py", true),
            ("LICENSE-MIT", true),
            ("vectors/tools/v5_generate.py", false),
            ("vectors/scenarios/v311-qos.json", false),
            ("runners/python/check_against_rust.py", false),
            ("adapters/templates/c/adapter", false),
            ("adapters/templates/c/adapter.o", false),
            (
                "adapters/templates/python/__pycache__/adapter.cpython-311.pyc",
                false,
            ),
            ("adapters/node-mqtt-packet/adapter.js", false),
            ("README.md", false),
        ] {
            assert_eq!(archive_path(path).is_some(), kept, "{path}");
        }
    }

    #[test]
    fn sha256_matches_the_standard_examples() {
        // FIPS 180-2, appendix B.1, and the empty message.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn format_versions_come_from_the_files() {
        let files = [
            entry(
                "vectors/v311/ping.json",
                r#"{"format_version": 1, "protocol": "3.1.1"}"#,
            ),
            entry(
                "vectors/v5/ping.json",
                r#"{"format_version": 2, "protocol": "5.0"}"#,
            ),
            entry("vectors/v5/flags.json", r#"{"x": 1}"#),
            entry("checks/checks-5.0.json", r#"{"format_version": 1}"#),
            entry("vectors/README.md", "not json"),
        ];
        let found = format_versions(&files).unwrap();
        assert_eq!(found["vector-file-3.1.1"], 1);
        assert_eq!(found["vector-file-5.0"], 2);
        assert_eq!(found["checks"], 1);
        assert_eq!(found.len(), 3);
        let mixed = [
            entry(
                "vectors/v5/a.json",
                r#"{"format_version": 2, "protocol": "5.0"}"#,
            ),
            entry(
                "vectors/v5/b.json",
                r#"{"format_version": 3, "protocol": "5.0"}"#,
            ),
        ];
        assert!(format_versions(&mixed).is_err());
    }

    #[test]
    fn manifest_round_trips_and_verify_finds_each_difference() {
        let files = [entry("b/two", "2"), entry("a/one", "1"), entry("c", "3")];
        let text = manifest_json("1.2.3", &BTreeMap::new(), &files);
        let manifest = parse_manifest(&text).unwrap();
        assert_eq!(manifest.version, "1.2.3");
        assert_eq!(
            manifest.files.keys().collect::<Vec<_>>(),
            ["a/one", "b/two", "c"]
        );
        assert_eq!(manifest.files["c"], sha256_hex(b"3"));
        assert!(verify(&manifest, &files, &[""]).is_empty());

        let missing = [entry("a/one", "1"), entry("c", "3")];
        assert_eq!(
            verify(&manifest, &missing, &[""]),
            ["b/two: in the manifest, missing"]
        );
        let changed = [entry("a/one", "1"), entry("b/two", "22"), entry("c", "3")];
        let problems = verify(&manifest, &changed, &[""]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("b/two: SHA-256 "), "{problems:?}");
        let extra = [
            entry("a/one", "1"),
            entry("b/two", "2"),
            entry("c", "3"),
            entry("d", ""),
        ];
        assert_eq!(verify(&manifest, &extra, &[""]), ["d: not in the manifest"]);
        // Restricted to a prefix, files elsewhere are neither wanted nor reported.
        assert!(verify(&manifest, &[entry("a/one", "1"), entry("z", "")], &["a/"]).is_empty());
        assert_eq!(
            verify(&manifest, &[], &["b/"]),
            ["b/two: in the manifest, missing"]
        );
    }

    #[test]
    fn manifest_refuses_a_path_listed_twice() {
        let text = r#"{"version": "1.0.0", "files": [
            {"path": "a", "sha256": "00"}, {"path": "a", "sha256": "00"}]}"#;
        assert!(parse_manifest(text).is_err());
    }

    #[test]
    fn archive_bytes_do_not_depend_on_the_order_of_the_entries() {
        let a = [
            entry("vectors/v311/x.json", "{}"),
            entry("README.md", "hello"),
        ];
        let b = [a[1].clone(), a[0].clone()];
        let one = tar_gz("top-1", &a).unwrap();
        assert_eq!(one, tar_gz("top-1", &b).unwrap());
        assert_eq!(one, tar_gz("top-1", &a).unwrap());
        assert_ne!(one, tar_gz("top-2", &a).unwrap());
        // gzip magic, no file name flag, time 0.
        assert_eq!(one[..4], [0x1f, 0x8b, 8, 0]);
        assert_eq!(one[4..8], [0, 0, 0, 0]);
    }

    #[test]
    fn archive_holds_each_entry_under_the_top_directory() {
        let entries = [
            entry("vectors/v311/x.json", "{}"),
            entry("README.md", "hello"),
        ];
        let bytes = tar_gz("top", &entries).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
        let mut seen = Vec::new();
        for file in archive.entries().unwrap() {
            let mut file = file.unwrap();
            let header = file.header().clone();
            let mut data = String::new();
            std::io::Read::read_to_string(&mut file, &mut data).unwrap();
            assert_eq!(header.mtime().unwrap(), MTIME);
            assert_eq!((header.uid().unwrap(), header.gid().unwrap()), (0, 0));
            seen.push((file.path().unwrap().display().to_string(), data));
        }
        let seen: Vec<(&str, &str)> = seen.iter().map(|(p, d)| (&p[..], &d[..])).collect();
        assert_eq!(
            seen,
            [
                ("top/", ""),
                ("top/README.md", "hello"),
                ("top/vectors/", ""),
                ("top/vectors/v311/", ""),
                ("top/vectors/v311/x.json", "{}"),
            ]
        );
    }

    #[test]
    fn summary_lines_are_each_version_s_and_the_total() {
        let out = "3.1.1 report\nconformance of x\ncrashes: 0, timeouts: 1\n\
                   conformance 3.1.1: 5 passed, 1 failed\n\nother report\n\
                   crashes: 0, timeouts: 0\nconformance 5.0: 2 passed, 0 failed\n\n\
                   crashes: 0, timeouts: 1\nconformance: 7 passed, 1 failed\n";
        assert_eq!(
            summary_lines(out).unwrap(),
            [
                "crashes: 0, timeouts: 1",
                "conformance 3.1.1: 5 passed, 1 failed",
                "crashes: 0, timeouts: 0",
                "conformance 5.0: 2 passed, 0 failed",
                "crashes: 0, timeouts: 1",
                "conformance: 7 passed, 1 failed",
            ]
        );
        assert_eq!(summary_lines("conformance: 5 passed, 1 failed\n"), None);
        assert_eq!(
            summary_lines("crashes: 0\nconformance: 1 passed, 0 failed\nproblem\n"),
            None
        );
    }

    #[test]
    fn npm_version_replaces_exactly_one_placeholder() {
        let template = "{\n  \"name\": \"mqtt-vectors\",\n  \"version\": \"0.0.0\"\n}\n";
        assert_eq!(
            npm_package_json(template, "1.4.2").unwrap(),
            "{\n  \"name\": \"mqtt-vectors\",\n  \"version\": \"1.4.2\"\n}\n"
        );
        assert!(npm_package_json("{\"version\": \"1.0.0\"}", "1.4.2").is_err());
    }
}
