//! The codec's optional features as CI builds them: `.ci/features`, the one list that
//! `.ci/run` (the feature matrix: each feature built alone, then tested alone) and
//! `cargo xtask msrv` (the features built with the declared Rust) both read.
//!
//! The file holds one feature a line: its name, `msrv` or `-` (whether `msrv/` builds it with
//! the declared `rust-version`), then the test targets run with the feature alone (none: the
//! feature is not tested alone). `#` starts a comment line. A test here holds the list against
//! `codec/Cargo.toml`, so a feature added there and not here fails `cargo test`.

/// One line of `.ci/features`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `codec/Cargo.toml`.
    pub name: String,
    /// Whether `cargo xtask msrv` builds it with the declared Rust.
    pub msrv: bool,
    /// The `cargo test` target arguments for the feature alone (`--lib --test bytes`).
    pub tests: Vec<String>,
}

/// Parses `.ci/features`.
pub fn parse(text: &str) -> Result<Vec<Feature>, String> {
    let mut features: Vec<Feature> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(name), Some(msrv)) = (fields.next(), fields.next()) else {
            return Err(format!(
                "line {}: a feature and msrv or -: {line}",
                number + 1
            ));
        };
        let msrv = match msrv {
            "msrv" => true,
            "-" => false,
            other => {
                return Err(format!(
                    "line {}: the second column is msrv or -, not {other}",
                    number + 1
                ))
            }
        };
        if features.iter().any(|f| f.name == name) {
            return Err(format!("line {}: {name} twice", number + 1));
        }
        features.push(Feature {
            name: name.to_owned(),
            msrv,
            tests: fields.map(str::to_owned).collect(),
        });
    }
    if features.is_empty() {
        return Err("no feature listed".into());
    }
    Ok(features)
}

/// The features a manifest declares in `[features]`, `default` aside.
pub fn declared(manifest: &str) -> Vec<&str> {
    crate::manifest::section(manifest, "[features]")
        .into_iter()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .filter(|&k| k != "default")
        .collect()
}

/// Whether `listed` names exactly the features `manifest` declares; the differences if not.
pub fn agree(listed: &[Feature], manifest: &str) -> Result<(), String> {
    let declared = declared(manifest);
    let unlisted: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|d| !listed.iter().any(|f| f.name == *d))
        .collect();
    let undeclared: Vec<&str> = listed
        .iter()
        .map(|f| f.name.as_str())
        .filter(|f| !declared.contains(f))
        .collect();
    if unlisted.is_empty() && undeclared.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the feature list and the manifest differ: declared but not listed {unlisted:?}, \
             listed but not declared {undeclared:?}"
        ))
    }
}

/// One build of `cargo xtask msrv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsrvBuild {
    /// What the task prints before the build (`no_std (default-features = false)`).
    pub name: String,
    /// What its summary line lists (`no_std`).
    pub short: String,
    /// The `cargo build` arguments after `--manifest-path msrv/Cargo.toml`.
    pub args: Vec<String>,
}

/// The builds of `cargo xtask msrv`: the default features, `no_std` for `no_std_target`, then
/// each feature marked `msrv`.
pub fn msrv_builds(features: &[Feature], no_std_target: &str) -> Vec<MsrvBuild> {
    let mut builds = vec![
        MsrvBuild {
            name: "default features".to_owned(),
            short: "default features".to_owned(),
            args: Vec::new(),
        },
        MsrvBuild {
            name: "no_std (default-features = false)".to_owned(),
            short: "no_std".to_owned(),
            args: vec![
                "--no-default-features".to_owned(),
                "--target".to_owned(),
                no_std_target.to_owned(),
            ],
        },
    ];
    for feature in features.iter().filter(|f| f.msrv) {
        builds.push(MsrvBuild {
            name: feature.name.clone(),
            short: feature.name.clone(),
            args: vec!["--features".to_owned(), feature.name.clone()],
        });
    }
    builds
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "\
# comment
alloc      -     --lib

std        -
bytes      msrv  --lib --test bytes
";

    const MANIFEST: &str = "\
[package]
name = \"mqtt-wire\"

[features]
default = [\"std\"]
# The standard library.
std = [\"alloc\"]
alloc = []
bytes = [\"dep:bytes\", \"alloc\"]

[dependencies]
bytes = { version = \"1\", optional = true }
";

    #[test]
    fn parses_the_columns() {
        let features = parse(LIST).unwrap();
        assert_eq!(
            features,
            [
                Feature {
                    name: "alloc".into(),
                    msrv: false,
                    tests: vec!["--lib".into()]
                },
                Feature {
                    name: "std".into(),
                    msrv: false,
                    tests: vec![]
                },
                Feature {
                    name: "bytes".into(),
                    msrv: true,
                    tests: vec!["--lib".into(), "--test".into(), "bytes".into()]
                },
            ]
        );
    }

    #[test]
    fn refuses_a_malformed_list() {
        assert!(parse("alloc\n").unwrap_err().starts_with("line 1:"));
        assert!(parse("alloc yes --lib\n").unwrap_err().contains("not yes"));
        assert!(parse("alloc - --lib\nalloc msrv\n")
            .unwrap_err()
            .contains("alloc twice"));
        assert!(parse("# nothing\n\n").is_err());
    }

    #[test]
    fn holds_the_list_against_the_manifest() {
        let features = parse(LIST).unwrap();
        assert_eq!(declared(MANIFEST), ["std", "alloc", "bytes"]);
        assert_eq!(agree(&features, MANIFEST), Ok(()));
        let with_serde = MANIFEST.replace("[dependencies]", "serde = []\n\n[dependencies]");
        let e = agree(&features, &with_serde).unwrap_err();
        assert!(e.contains("declared but not listed [\"serde\"]"), "{e}");
        let without_bytes =
            parse(&LIST.replace("bytes      msrv  --lib --test bytes\n", "")).unwrap();
        assert!(agree(&without_bytes, MANIFEST).is_err());
        let extra = parse(&format!("{LIST}tokio - --lib\n")).unwrap();
        let e = agree(&extra, MANIFEST).unwrap_err();
        assert!(e.contains("listed but not declared [\"tokio\"]"), "{e}");
    }

    #[test]
    fn msrv_builds_default_no_std_and_the_marked_features() {
        let builds = msrv_builds(&parse(LIST).unwrap(), "thumbv7m-none-eabi");
        let names: Vec<&str> = builds.iter().map(|b| b.short.as_str()).collect();
        assert_eq!(names, ["default features", "no_std", "bytes"]);
        assert_eq!(builds[1].name, "no_std (default-features = false)");
        assert!(builds[0].args.is_empty());
        assert_eq!(
            builds[1].args,
            ["--no-default-features", "--target", "thumbv7m-none-eabi"]
        );
        assert_eq!(builds[2].args, ["--features", "bytes"]);
    }

    /// The committed list names the codec's features, and msrv/ declares each one it builds.
    #[test]
    fn the_committed_list_is_the_codecs() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let list = std::fs::read_to_string(format!("{root}/.ci/features")).unwrap();
        let manifest = std::fs::read_to_string(format!("{root}/codec/Cargo.toml")).unwrap();
        let features = parse(&list).unwrap();
        assert_eq!(agree(&features, &manifest), Ok(()));
        let msrv: Vec<&str> = features
            .iter()
            .filter(|f| f.msrv)
            .map(|f| f.name.as_str())
            .collect();
        assert!(!msrv.is_empty(), "msrv/ builds no feature");
        // Each feature marked msrv is one msrv/ itself declares.
        let downstream = std::fs::read_to_string(format!("{root}/msrv/Cargo.toml")).unwrap();
        for feature in msrv {
            assert!(
                declared(&downstream).contains(&feature),
                "msrv/ lacks {feature}"
            );
        }
    }
}
