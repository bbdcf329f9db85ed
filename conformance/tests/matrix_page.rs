//! `docs/matrix.html`, the results matrix as a page: the committed page is the one the
//! generator makes from the committed `docs/matrix.json`; and a real headless browser
//! (Chromium, from Debian), given the page as a `file://` URL, shows what the JSON holds: a
//! section per protocol version, every implementation a column (with the pass count the page's
//! script writes), every vector a row, each cell the JSON's status, mark and title.
//!
//! A missing Chromium is installed with apt-get (`apt-get install chromium`) when this is CI or
//! root; if it is still missing, the browser test fails in CI (`CI=true`) and otherwise says
//! "SKIPPED" (it cannot say so to the harness, which shows it as passed): `testkit::host`.
//! The environment variable `MATRIX_PAGE` loads another file than `docs/matrix.html` (to
//! watch the test fail on a page with a planted fault).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use conformance::matrix::page::{compare_shown, html, read_dom};
use conformance::matrix::Matrices;
use testkit::host::{needs, works};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn committed() -> Matrices {
    let path = repo().join("docs/matrix.json");
    let text = std::fs::read_to_string(&path).unwrap();
    Matrices::from_json(&text).unwrap()
}

#[test]
fn the_committed_page_is_the_one_generated_from_the_committed_json() {
    let page = std::fs::read_to_string(repo().join("docs/matrix.html")).unwrap();
    assert!(
        page == html(&committed()),
        "docs/matrix.html is not the page of docs/matrix.json: run `cargo xtask matrix`"
    );
}

/// The browser's program: `chromium` (Debian's name) or `chromium-browser`.
fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|program| works(program, &["--version"]))
}

/// The DOM Chromium holds once the page has loaded and its script has run.
fn dump_dom(program: &str, page: &Path) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("matrix_page");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = page.canonicalize().unwrap();
    let out_path = dir.join("dom.html");
    let mut child = Command::new(program)
        .args([
            "--headless",
            // Root (CI containers) cannot use Chromium's sandbox.
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", dir.join("profile").display()),
            "--dump-dom",
            &format!("file://{}", page.display()),
        ])
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{program} --dump-dom: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{program} --dump-dom did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "matrix_page: {program} --dump-dom took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    std::fs::read_to_string(out_path).unwrap()
}

#[test]
fn chromium_shows_what_the_json_holds() {
    let checked = "the page was not checked in a browser";
    if !needs("chromium", "chromium", checked, || browser().is_some()) {
        return;
    }
    let program = browser().expect("found by `needs`");
    let page = std::env::var_os("MATRIX_PAGE")
        .map_or_else(|| repo().join("docs/matrix.html"), PathBuf::from);
    let all = committed();
    let shown = read_dom(&dump_dom(program, &page));
    let rows: usize = shown.iter().map(|s| s.rows.len()).sum();
    let vectors: usize = all.protocols.values().map(|m| m.vectors.len()).sum();
    eprintln!(
        "matrix_page: {} sections, {rows} rows shown ({vectors} vectors in the JSON)",
        shown.len()
    );
    let problems = compare_shown(&shown, &all);
    assert!(
        problems.is_empty(),
        "{} of {} differs from docs/matrix.json:\n{}",
        problems.len(),
        page.display(),
        problems.join("\n")
    );
}
