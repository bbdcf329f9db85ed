//! `Cargo.toml` text, read and rewritten line by line: the manifests here are written by hand
//! in a plain style (one `key = value` a line, `[section]` headers), which is all this reads.
//! It is not a TOML parser, and says so by failing on what it does not understand.

/// The lines of a TOML section, after its `header` (e.g. `[workspace.package]`) up to the next
/// header; empty when there is no such section.
pub fn section<'a>(toml: &'a str, header: &str) -> Vec<&'a str> {
    toml.lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.trim().starts_with('['))
        .collect()
}

/// The value of `key` in the section `header`, as written (quotes included), trimmed.
pub fn value<'a>(toml: &'a str, header: &str, key: &str) -> Option<&'a str> {
    section(toml, header).into_iter().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim())
    })
}

/// `rust-version` of `[workspace.package]` in the workspace's manifest, without its quotes.
pub fn declared_msrv(workspace: &str) -> Result<String, String> {
    value(workspace, "[workspace.package]", "rust-version")
        .map(|v| v.trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| "no rust-version in [workspace.package] of Cargo.toml".into())
}

/// The codec's manifest as a package of its own, for `cargo xtask differential`: renamed to
/// `mqtt-wire-old`, each `KEY.workspace = true` replaced by `KEY = VALUE` from the
/// `workspace` manifest's `[workspace.package]`, and the README (outside the copy) left out.
/// A dev-dependency by path (`../testkit`) stays: it points outside the copy, but cargo never
/// reads the dev-dependencies of a path dependency outside the workspace.
pub fn standalone_manifest(manifest: &str, workspace: &str) -> Result<String, String> {
    let inherited = section(workspace, "[workspace.package]");
    let mut out = String::new();
    let mut in_package = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        }
        if in_package && trimmed.starts_with("name") && trimmed.contains("\"mqtt-wire\"") {
            out.push_str("name = \"mqtt-wire-old\"\n");
        } else if in_package && trimmed.starts_with("readme") {
            continue;
        } else if let Some(key) = trimmed.strip_suffix(".workspace = true") {
            let value = inherited
                .iter()
                .find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == key).then(|| v.trim())
                })
                .ok_or_else(|| format!("{key}.workspace: not in [workspace.package]"))?;
            out.push_str(&format!("{key} = {value}\n"));
        } else if trimmed.contains("workspace = true") {
            return Err(format!("cannot make this standalone: {trimmed}"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKSPACE: &str = "\
[workspace]
members = [\"codec\"]

[workspace.package]
edition = \"2021\"
license = \"MIT OR Apache-2.0\"
rust-version = \"1.70\"

[profile.test]
opt-level = 1
";

    const CODEC: &str = "\
[package]
name = \"mqtt-wire\"
version = \"0.1.0\"
readme = \"../README.md\"
edition.workspace = true
license.workspace = true

[features]
default = [\"std\"]
std = []

[dependencies]
bytes = { version = \"1\", optional = true }

[dev-dependencies]
proptest = \"1\"
mqtt-wire-testkit = { path = \"../testkit\" }
";

    #[test]
    fn a_section_ends_at_the_next_header() {
        assert_eq!(
            section(WORKSPACE, "[workspace.package]"),
            [
                "edition = \"2021\"",
                "license = \"MIT OR Apache-2.0\"",
                "rust-version = \"1.70\"",
                ""
            ]
        );
        assert!(section(WORKSPACE, "[nowhere]").is_empty());
        // A key of another section is not found in this one.
        assert_eq!(value(WORKSPACE, "[workspace.package]", "opt-level"), None);
        assert_eq!(value(WORKSPACE, "[profile.test]", "opt-level"), Some("1"));
    }

    #[test]
    fn reads_the_declared_msrv() {
        assert_eq!(declared_msrv(WORKSPACE).unwrap(), "1.70");
        // Only [workspace.package] counts: a package's own rust-version is not the workspace's.
        let elsewhere =
            "[package]\nrust-version = \"1.85\"\n[workspace.package]\nedition = \"2021\"\n";
        assert!(declared_msrv(elsewhere).is_err());
        assert!(declared_msrv("[workspace.package]\nrust-version = \"\"\n").is_err());
    }

    #[test]
    fn makes_the_old_codec_standalone() {
        let out = standalone_manifest(CODEC, WORKSPACE).unwrap();
        assert_eq!(
            out,
            "\
[package]
name = \"mqtt-wire-old\"
version = \"0.1.0\"
edition = \"2021\"
license = \"MIT OR Apache-2.0\"

[features]
default = [\"std\"]
std = []

[dependencies]
bytes = { version = \"1\", optional = true }

[dev-dependencies]
proptest = \"1\"
mqtt-wire-testkit = { path = \"../testkit\" }
"
        );
    }

    #[test]
    fn refuses_what_it_cannot_make_standalone() {
        // A key the workspace does not define.
        let missing = "[package]\nrepository.workspace = true\n";
        assert_eq!(
            standalone_manifest(missing, WORKSPACE).unwrap_err(),
            "repository.workspace: not in [workspace.package]"
        );
        // An inherited dependency (`serde = { workspace = true }`) has no value to copy here.
        let dependency = "[dependencies]\nserde = { workspace = true }\n";
        assert!(standalone_manifest(dependency, WORKSPACE)
            .unwrap_err()
            .starts_with("cannot make this standalone"));
    }

    #[test]
    fn renames_only_the_package_itself() {
        // A dependency that mentions "mqtt-wire" keeps its name.
        let manifest = "[dependencies]\nname = \"mqtt-wire\"\n";
        assert_eq!(standalone_manifest(manifest, WORKSPACE).unwrap(), manifest);
    }
}
