//! `cargo xtask vectors-dist [--check]`: the release of the vectors. Builds, under
//! `target/dist/`, the archive `mqtt-vectors-<version>.tar.gz`, the Python package's wheel and
//! the npm package's tarball; with `--check`, then uses them as someone without the
//! repository would. What goes where, the manifest and the archive's bytes are decided in
//! `tasks::dist`; this module reads, runs and writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use tasks::dist::{self, Entry, MANIFEST, NAME, PROTOCOLS};

const DIST: &str = "target/dist";

pub fn run(args: &[String]) -> ExitCode {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: cargo xtask vectors-dist [--check]");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let result = build().and_then(|built| if check { self::check(&built) } else { Ok(()) });
    match result {
        Ok(()) => {
            eprintln!(
                "xtask vectors-dist: done in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Failed(why)) => {
            eprintln!("xtask vectors-dist: FAILED: {why}");
            ExitCode::FAILURE
        }
        Err(Failure::Unavailable(why, how)) => crate::unavailable("vectors-dist", &why, how),
    }
}

enum Failure {
    /// Something is wrong.
    Failed(String),
    /// A tool is missing (a failure in CI, a skip elsewhere).
    Unavailable(String, &'static str),
}

impl From<String> for Failure {
    fn from(why: String) -> Self {
        Failure::Failed(why)
    }
}

type Result<T> = std::result::Result<T, Failure>;

/// What a build produced.
struct Built {
    version: String,
    runner: PathBuf,
    archive: PathBuf,
    wheel: PathBuf,
    npm: PathBuf,
}

fn build() -> Result<Built> {
    let version = dist::parse_version(&read_text("vectors/VERSION")?)?;
    let runner = crate::mqtt_vectors()
        .map_err(|_| "cannot build the mqtt-vectors binary".to_owned())?
        .canonicalize()
        .map_err(|e| format!("mqtt-vectors binary: {e}"))?;
    fs::create_dir_all(DIST).map_err(|e| format!("{DIST}: {e}"))?;
    let (entries, manifest) = archive_entries(&version, &runner)?;
    let top = format!("{NAME}-{version}");
    let archive = Path::new(DIST).join(format!("{top}.tar.gz"));
    let bytes = archive_bytes(&top, &entries, &manifest)?;
    write(&archive, &bytes)?;
    eprintln!(
        "xtask vectors-dist: {} ({} files, {} bytes)",
        archive.display(),
        entries.len() + 1,
        bytes.len()
    );
    let wheel = python_wheel(&version, &entries, &manifest)?;
    let npm = npm_pack(&version, &entries, &manifest)?;
    Ok(Built {
        version,
        runner,
        archive,
        wheel,
        npm,
    })
}

/// Every file of the archive but the manifest, and the manifest.
fn archive_entries(version: &str, runner: &Path) -> Result<(Vec<Entry>, Entry)> {
    // Tracked files and new ones not ignored: what a commit of this tree would hold.
    let listed = output(Command::new("git").args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
        "--",
        "vectors",
        "runners/python",
        "adapters/templates",
        "conformance/acceptable-decisions.json",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ]))?;
    let mut entries = Vec::new();
    for path in listed.split('\0').filter(|p| !p.is_empty()) {
        // A tracked file deleted in the working tree is listed but gone: not part of it.
        if let Some(inside) = dist::archive_path(path).filter(|_| Path::new(path).is_file()) {
            entries.push(Entry {
                path: inside,
                data: read(path)?,
            });
        }
    }
    entries.push(Entry {
        path: "README.md".into(),
        data: read("packaging/archive/README.md")?,
    });
    for protocol in PROTOCOLS {
        let file = Path::new(DIST).join(format!("checks-{protocol}.json"));
        let made = Command::new(runner)
            .args(["checks", "--protocol", protocol, "--output"])
            .arg(&file)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return Err(format!("mqtt-vectors checks --protocol {protocol} failed").into());
        }
        entries.push(Entry {
            path: dist::checks_path(protocol),
            data: read(&file)?,
        });
    }
    let formats = dist::format_versions(&entries)?;
    let manifest = Entry {
        path: MANIFEST.into(),
        data: dist::manifest_json(version, &formats, &entries).into_bytes(),
    };
    Ok((entries, manifest))
}

fn archive_bytes(top: &str, entries: &[Entry], manifest: &Entry) -> Result<Vec<u8>> {
    let mut all = entries.to_vec();
    all.push(manifest.clone());
    dist::tar_gz(top, &all).map_err(|e| Failure::Failed(format!("writing the archive: {e}")))
}

/// Stages the Python package under target/dist/python/ and builds its wheel with pip.
fn python_wheel(version: &str, entries: &[Entry], manifest: &Entry) -> Result<PathBuf> {
    let python = python3()?;
    if !pip_present(&python) {
        return Err(Failure::Unavailable(
            "python3 has no pip".into(),
            "install python3-pip (apt-get install python3-pip)",
        ));
    }
    let stage = Path::new(DIST).join("python");
    remove_dir(&stage)?;
    let package = stage.join("mqtt_vectors");
    for file in ["pyproject.toml", "README.md"] {
        write(
            &stage.join(file),
            &read(format!("packaging/python/{file}"))?,
        )?;
    }
    write(&stage.join("VERSION"), format!("{version}\n").as_bytes())?;
    for file in ["__init__.py", "__main__.py", "cli.py"] {
        write(
            &package.join(file),
            &read(format!("packaging/python/mqtt_vectors/{file}"))?,
        )?;
    }
    let data = package.join("data");
    for entry in entries.iter().chain([manifest]) {
        if entry.path == "runners/python/mqtt_vectors.py" {
            write(&package.join("runner.py"), &entry.data)?;
        } else if is_data(&entry.path) || entry.path == "conformance/acceptable-decisions.json" {
            write(&data.join(&entry.path), &entry.data)?;
        }
    }
    let wheel = Path::new(DIST).join(format!("mqtt_vectors-{version}-py3-none-any.whl"));
    let _ = fs::remove_file(&wheel);
    let built = Command::new(&python)
        .args(["-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir"])
        // The wheel's zip entries get this time instead of the build's.
        .env("SOURCE_DATE_EPOCH", dist::MTIME.to_string())
        .arg(DIST)
        .arg(&stage)
        .status()
        .is_ok_and(|s| s.success());
    if !built || !wheel.is_file() {
        return Err(format!("pip wheel did not build {}", wheel.display()).into());
    }
    eprintln!("xtask vectors-dist: {}", wheel.display());
    Ok(wheel)
}

/// The data files: what the npm package carries, and the Python package beside the runner.
fn is_data(path: &str) -> bool {
    path.starts_with("vectors/") || path.starts_with("checks/") || path == MANIFEST
}

/// Stages the npm package under target/dist/npm/ and packs it with npm.
fn npm_pack(version: &str, entries: &[Entry], manifest: &Entry) -> Result<PathBuf> {
    let npm = installed("npm", "npm")?;
    let stage = Path::new(DIST).join("npm");
    remove_dir(&stage)?;
    let template = read_text("packaging/npm/package.json")?;
    write(
        &stage.join("package.json"),
        dist::npm_package_json(&template, version)?.as_bytes(),
    )?;
    for file in ["index.js", "README.md"] {
        write(&stage.join(file), &read(format!("packaging/npm/{file}"))?)?;
    }
    for entry in entries.iter().chain([manifest]) {
        if is_data(&entry.path) {
            write(&stage.join(&entry.path), &entry.data)?;
        }
    }
    let tgz = Path::new(DIST).join(format!("{NAME}-{version}.tgz"));
    let _ = fs::remove_file(&tgz);
    let dist = Path::new(DIST)
        .canonicalize()
        .map_err(|e| format!("{DIST}: {e}"))?;
    let packed = Command::new(npm)
        .args(["pack", "--silent", "--pack-destination"])
        .arg(&dist)
        .current_dir(&stage)
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !packed || !tgz.is_file() {
        return Err(format!("npm pack did not make {}", tgz.display()).into());
    }
    eprintln!("xtask vectors-dist: {}", tgz.display());
    Ok(tgz)
}

/// Uses what `build` made as a user without the repository would, in a new temporary
/// directory: the archive unpacked and checked against its manifest, its runner run against
/// this codec's adapter (the only path into the repository) for each version with the summary
/// lines compared to the Rust runner's; the same from the wheel installed into a new
/// virtualenv; the npm package installed into an empty directory and its data checked
/// against the manifest. And the archive rebuilt, to the same bytes.
fn check(built: &Built) -> Result<()> {
    let started = Instant::now();
    let rebuilt = {
        let (entries, manifest) = archive_entries(&built.version, &built.runner)?;
        archive_bytes(&format!("{NAME}-{}", built.version), &entries, &manifest)?
    };
    if rebuilt != read(&built.archive)? {
        return Err(format!(
            "a second build of {} gave other bytes",
            built.archive.display()
        )
        .into());
    }
    eprintln!("check: a second build gives the same bytes");

    let scratch = std::env::temp_dir().join(format!("mqtt-vectors-dist-{}", std::process::id()));
    remove_dir(&scratch)?;
    fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let result = check_in(built, &scratch);
    if result.is_ok() {
        let _ = fs::remove_dir_all(&scratch);
    } else {
        eprintln!("check: left {} for a look", scratch.display());
    }
    eprintln!("check: {:.0} s", started.elapsed().as_secs_f64());
    result
}

fn check_in(built: &Built, scratch: &Path) -> Result<()> {
    let adapter = format!("{} adapter", built.runner.display());
    // Both versions in one run: each version's summary lines, then the whole run's.
    let out = output(Command::new(&built.runner).args(["run", "--impl", &adapter]))?;
    let rust = dist::summary_lines(&out)
        .ok_or_else(|| "the Rust runner's output has no summary".to_owned())?;
    for line in &rust {
        eprintln!("check: Rust runner: {line}");
    }

    // The archive, unpacked by tar (not by the code that wrote it).
    let archive = built
        .archive
        .canonicalize()
        .map_err(|e| format!("{}: {e}", built.archive.display()))?;
    let unpacked = scratch.join("archive");
    fs::create_dir_all(&unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    let tar = tool("tar", "GNU tar (Debian: tar)")?;
    output(
        Command::new(tar)
            .arg("-xzf")
            .arg(&archive)
            .current_dir(&unpacked),
    )?;
    let top = unpacked.join(format!("{NAME}-{}", built.version));
    let tops = fs::read_dir(&unpacked).map(|d| d.count()).unwrap_or(0);
    if !top.is_dir() || tops != 1 {
        return Err(format!("the archive's top directory is not {} alone", top.display()).into());
    }
    let manifest = dist::parse_manifest(
        &fs::read_to_string(top.join(MANIFEST))
            .map_err(|e| format!("the archive has no readable {MANIFEST}: {e}"))?,
    )?;
    if manifest.version != built.version {
        return Err(format!(
            "manifest version {} for {}",
            manifest.version, built.version
        )
        .into());
    }
    let mut found = files_under(&top)?;
    found.retain(|e| e.path != MANIFEST);
    expect_none(
        "the unpacked archive",
        dist::verify(&manifest, &found, &[""]),
    )?;
    eprintln!(
        "check: the unpacked archive holds the {} files of its manifest, each with its SHA-256",
        found.len()
    );

    // Its runner, from its own directory, on its own checks files.
    let python = python3()?;
    let mut command = Command::new(&python);
    command
        .args(["runners/python/mqtt_vectors.py", "run", "--impl", &adapter])
        .current_dir(&top);
    for protocol in PROTOCOLS {
        command.arg("--checks").arg(dist::checks_path(protocol));
    }
    same_summary("the unpacked archive's runner", command, &rust)?;

    // The wheel, installed into a new virtualenv, its command run from an empty directory
    // with its defaults (both versions, the packaged data).
    let venv = scratch.join("venv");
    if !venv_made(&python, &venv) {
        return Err(Failure::Unavailable(
            "python3 -m venv cannot make a virtualenv".into(),
            "install python3-venv (apt-get install python3-venv)",
        ));
    }
    let wheel = built
        .wheel
        .canonicalize()
        .map_err(|e| format!("{}: {e}", built.wheel.display()))?;
    output(
        Command::new(venv.join("bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--no-index", "--no-deps"])
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .arg(&wheel),
    )?;
    let empty = scratch.join("empty");
    fs::create_dir_all(&empty).map_err(|e| format!("{}: {e}", empty.display()))?;
    let mut command = Command::new(venv.join("bin/mqtt-vectors"));
    command
        .args(["run", "--impl", &adapter])
        .current_dir(&empty);
    same_summary("the installed wheel's mqtt-vectors", command, &rust)?;
    let data = output(Command::new(venv.join("bin/mqtt-vectors")).arg("path"))?;
    let packaged: Vec<Entry> = files_under(Path::new(data.trim()))?
        .into_iter()
        .filter(|e| e.path != MANIFEST)
        .collect();
    let prefixes = ["vectors/", "checks/", "conformance/"];
    expect_none(
        "the installed wheel's data",
        dist::verify(&manifest, &packaged, &prefixes),
    )?;
    eprintln!(
        "check: the installed wheel's data ({}) holds the {} files of the manifest under {}",
        data.trim(),
        packaged.len(),
        prefixes.join(", ")
    );

    // The npm package, installed into an empty directory.
    let npm = installed("npm", "npm")?;
    let node = installed("node", "nodejs")?;
    let project = scratch.join("npm");
    fs::create_dir_all(&project).map_err(|e| format!("{}: {e}", project.display()))?;
    let tgz = built
        .npm
        .canonicalize()
        .map_err(|e| format!("{}: {e}", built.npm.display()))?;
    output(
        Command::new(npm)
            .args([
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--offline",
            ])
            .arg(&tgz)
            .current_dir(&project),
    )?;
    let installed = project.join("node_modules").join(NAME);
    let data: Vec<Entry> = files_under(&installed)?
        .into_iter()
        .filter(|e| is_data(&e.path) && e.path != MANIFEST)
        .collect();
    let prefixes = ["vectors/", "checks/"];
    expect_none(
        "the installed npm package",
        dist::verify(&manifest, &data, &prefixes),
    )?;
    let wanted = manifest
        .files
        .keys()
        .filter(|p| prefixes.iter().any(|pre| p.starts_with(pre)))
        .count();
    let paths = output(
        Command::new(node)
            .args([
                "-e",
                "const v = require('mqtt-vectors'); const fs = require('fs'); \
                 for (const p of [v.vectors, v.checks['3.1.1'], v.checks['5.0'], v.manifest]) \
                 fs.accessSync(p); console.log(v.version);",
            ])
            .current_dir(&project),
    )?;
    if paths.trim() != built.version {
        return Err(format!("require('mqtt-vectors').version is {:?}", paths.trim()).into());
    }
    eprintln!(
        "check: the installed npm package holds {} data files ({} in the manifest under {}), \
         each with its SHA-256; its index.js paths exist",
        data.len(),
        wanted,
        prefixes.join(" and ")
    );
    Ok(())
}

/// Runs a Python runner and compares its summary lines with the Rust runner's.
fn same_summary(what: &str, mut command: Command, rust: &[String]) -> Result<()> {
    let out = output(&mut command)?;
    match dist::summary_lines(&out) {
        Some(lines) if lines == rust => {
            eprintln!("check: {what}: the same {} summary lines", lines.len());
            Ok(())
        }
        Some(lines) => Err(format!(
            "{what}: summary lines\n  {}\nwhere the Rust runner has\n  {}",
            lines.join("\n  "),
            rust.join("\n  ")
        )
        .into()),
        None => Err(format!("{what}: no summary lines in its output:\n{out}").into()),
    }
}

fn expect_none(what: &str, problems: Vec<String>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what} differs from the manifest:\n  {}",
            problems.join("\n  ")
        )
        .into())
    }
}

/// A new virtualenv at `venv`; in CI, installs python3-venv with apt-get when the first try
/// fails (Debian's python3 comes without it).
fn venv_made(python: &Path, venv: &Path) -> bool {
    let make = || {
        Command::new(python)
            .args(["-m", "venv"])
            .arg(venv)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    make() || {
        let _ = fs::remove_dir_all(venv);
        apt_install_in_ci("python3-venv") && make()
    }
}

/// pip for `python`; in CI, installs python3-pip with apt-get when it is missing.
fn pip_present(python: &Path) -> bool {
    let pip = || {
        Command::new(python)
            .args(["-m", "pip", "--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    pip() || (apt_install_in_ci("python3-pip") && pip())
}

/// `apt-get install` of `package`, in CI only: outside CI a missing Python module is a skip,
/// and this task does not change the machine.
fn apt_install_in_ci(package: &str) -> bool {
    crate::apt::in_ci() && testkit::host::apt_install(package)
}

fn python3() -> Result<PathBuf> {
    tool(
        "python3",
        "Python 3 (Debian: apt-get install python3 python3-pip python3-venv)",
    )
}

/// `program`, installed with the Debian `package` when missing (`apt::find_or_install`).
fn installed(program: &str, package: &'static str) -> Result<PathBuf> {
    crate::apt::find_or_install(program, package).ok_or_else(|| {
        Failure::Unavailable(
            format!("{program} is missing and apt-get could not install {package}"),
            "install Node.js and npm (Debian: apt-get install nodejs npm)",
        )
    })
}

fn tool(program: &str, how: &'static str) -> Result<PathBuf> {
    crate::apt::find(program)
        .ok_or_else(|| Failure::Unavailable(format!("{program} is not installed"), how))
}

/// Every file under `dir`, with its path relative to it (`/`-separated).
fn files_under(dir: &Path) -> Result<Vec<Entry>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let listing = fs::read_dir(&next).map_err(|e| format!("{}: {e}", next.display()))?;
        for item in listing {
            let path = item.map_err(|e| format!("{}: {e}", next.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(Entry {
                    path: parts.join("/"),
                    data: fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?,
                });
            }
        }
    }
    Ok(found)
}

/// Runs `command` and returns its standard output; a failure when it cannot start, or exits
/// with another status than 0 or 1 (1 is a runner's "some vector failed", which the summary
/// lines then show).
fn output(command: &mut Command) -> Result<String> {
    let done = command
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    if !matches!(done.status.code(), Some(0 | 1)) {
        return Err(format!(
            "{:?} {:?} exited with {}: {}",
            command.get_program(),
            command.get_args().collect::<Vec<_>>(),
            done.status,
            String::from_utf8_lossy(&done.stderr)
        )
        .into());
    }
    String::from_utf8(done.stdout).map_err(|e| Failure::Failed(format!("{e}")))
}

fn read(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    let path = path.as_ref();
    fs::read(path).map_err(|e| Failure::Failed(format!("{}: {e}", path.display())))
}

fn read_text(path: &str) -> Result<String> {
    fs::read_to_string(path).map_err(|e| Failure::Failed(format!("{path}: {e}")))
}

fn write(path: &Path, data: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, data).map_err(|e| Failure::Failed(format!("{}: {e}", path.display())))
}

fn remove_dir(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", dir.display()).into())
        }
        _ => Ok(()),
    }
}
