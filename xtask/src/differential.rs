//! `cargo xtask differential [REV] [--inputs N] [--seed S]`: proves that the working tree's
//! codec behaves exactly as the codec at git revision `REV` (default `HEAD`) on millions of
//! inputs, for rewrites meant to change speed and nothing else.
//!
//! It extracts `codec/` at `REV` with `git archive` into `target/differential/old/` (a plain
//! copy: no worktree is registered), renames that copy's package to `mqtt-wire-old` (cargo
//! refuses two path packages of one name) and replaces its `workspace = true` fields with the
//! values of `REV`'s root `Cargo.toml` (`tasks::manifest::standalone_manifest`, tested there).
//! Then it builds and runs the checker,
//! `differential/` (committed, its own workspace, so `cargo test --workspace` never builds
//! the old codec), in release mode with overflow checks, which depends on both copies and
//! compares them; see `differential/src/main.rs` for what is compared. Exits non-zero on any
//! difference. Uncommitted changes in `codec/` are part of the new side, which is the point.
//!
//! A revision missing from the clone (CI checks out one commit: the baseline commit of
//! `differential/BASELINE`, which `.ci/run` passes, is not there) is fetched from `origin`:
//! that commit alone by its hash, or failing that the whole history; if neither works the task
//! fails and says so.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

pub fn run(args: &[String]) -> ExitCode {
    let mut rev = None;
    let mut passed = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--inputs" | "--seed" => {
                let Some(value) = args.next() else {
                    eprintln!("xtask differential: {arg} needs a value");
                    return ExitCode::FAILURE;
                };
                passed.extend([arg.clone(), value.clone()]);
            }
            option if option.starts_with("--") => {
                eprintln!("xtask differential: unknown option {option}");
                return ExitCode::FAILURE;
            }
            _ if rev.is_none() => rev = Some(arg.clone()),
            _ => {
                eprintln!("xtask differential: one revision only");
                return ExitCode::FAILURE;
            }
        }
    }
    let rev = rev.unwrap_or_else(|| "HEAD".into());
    let Ok(root) = std::env::current_dir() else {
        eprintln!("xtask differential: no current directory");
        return ExitCode::FAILURE;
    };
    if let Err(e) = extract(&root, &rev) {
        eprintln!("xtask differential: {e}");
        return ExitCode::FAILURE;
    }

    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let target = root.join(target).join("differential").join("build");
    let mut command = Command::new(super::cargo_program());
    command
        .args(["run", "--release", "--quiet"])
        .args(["--manifest-path", "differential/Cargo.toml", "--"])
        .arg("--root")
        .arg(&root)
        .args(&passed)
        .env("CARGO_TARGET_DIR", &target);
    eprintln!(
        "xtask: codec at {rev} against the working tree: cargo run --release --manifest-path differential/Cargo.toml -- {}",
        passed.join(" ")
    );
    super::run(&mut command)
}

/// Writes `codec/` as of `rev` to `target/differential/old/codec/`, ready to be a path
/// dependency beside the working tree's codec.
fn extract(root: &Path, rev: &str) -> Result<(), String> {
    let commit = commit_fetched_if_missing(root, rev)?;
    let old = root.join("target").join("differential").join("old");
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    std::fs::create_dir_all(&old).map_err(|e| format!("{}: {e}", old.display()))?;

    let mut archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", commit.trim(), "codec"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    let stdout = archive.stdout.take().ok_or("git archive: no output")?;
    let untarred = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&old)
        .stdin(stdout)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive.wait().map_err(|e| format!("git archive: {e}"))?;
    if !archived.success() || !untarred.success() {
        return Err(format!("git archive {rev} codec | tar -x failed"));
    }

    let manifest = old.join("codec").join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let workspace = git(root, &["show", &format!("{}:Cargo.toml", commit.trim())])?;
    let rewritten = tasks::manifest::standalone_manifest(&text, &workspace)?;
    std::fs::write(&manifest, rewritten).map_err(|e| format!("{}: {e}", manifest.display()))?;
    eprintln!(
        "xtask differential: codec at {rev} ({}) extracted to {}",
        &commit.trim()[..commit.trim().len().min(12)],
        old.join("codec").display()
    );
    Ok(())
}

/// The commit `rev` names, fetched from `origin` first when this clone does not have it: by
/// its hash alone (GitHub serves any commit of the repository by hash), then, in a shallow
/// clone, the whole history.
fn commit_fetched_if_missing(root: &Path, rev: &str) -> Result<String, String> {
    let spec = format!("{rev}^{{commit}}");
    if let Ok(commit) = git(root, &["rev-parse", "--verify", "--quiet", &spec]) {
        return Ok(commit);
    }
    eprintln!("xtask differential: {rev} is not in this clone; fetching it from origin");
    let shallow =
        git(root, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s.trim() == "true");
    let mut by_hash = vec!["fetch", "--no-tags", "--quiet"];
    if shallow {
        by_hash.push("--depth=1");
    }
    by_hash.extend(["origin", rev]);
    let mut tried = Vec::new();
    if let Err(e) = git(root, &by_hash) {
        tried.push(e);
        let whole: &[&str] = if shallow {
            &["fetch", "--no-tags", "--quiet", "--unshallow", "origin"]
        } else {
            &["fetch", "--no-tags", "--quiet", "origin"]
        };
        if let Err(e) = git(root, whole) {
            tried.push(e);
        }
    }
    git(root, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|_| {
        if tried.is_empty() {
            tried.push("the fetch succeeded but did not bring it".into());
        }
        format!(
            "the revision {rev} is not in this clone and could not be fetched from origin \
             ({}); fetch it by hand (git fetch origin {rev}) or clone the whole history",
            tried.join("; ")
        )
    })
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
