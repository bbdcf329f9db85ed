//! The programs of the host that some tests run (a browser, interpreters, a C compiler, the
//! packages they build against), written once for `conformance/tests/matrix_page.rs` and
//! `conformance/tests/templates.rs`: whether a program runs, and installing a missing Debian
//! package with apt-get, in CI or as root only.
//!
//! The rule they follow: a missing tool is a failure in CI (`CI=true`, where the project's own
//! files install what it needs on a clean machine) and elsewhere a test that says "SKIPPED"
//! on its output and returns, which the test harness shows as passed: [`needs`].

use std::process::{Command, Stdio};

/// Whether this runs in CI: the environment variable `CI` is `true` or `1`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether `program args` runs and exits with success (its output discarded).
pub fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `apt-get install` of the Debian package `package` (without its recommends, not
/// interactive), as root or through `sudo -n`, in CI or as root only; when it fails, once more
/// after `apt-get update`. Whether it worked is for the caller to find out.
pub fn apt_install(package: &str) {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if !(root || in_ci()) {
        return;
    }
    eprintln!("installing the Debian package {package} (apt-get)");
    let apt = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let install = ["install", "-y", "-qq", "--no-install-recommends", package];
    if !apt(&install) {
        let _ = apt(&["update", "-qq"]) && apt(&install);
    }
}

/// Whether `ready()` holds, installing `package` once ([`apt_install`]) when it does not.
/// When it still does not: in CI, a panic ("`what` is missing in CI"); elsewhere "SKIPPED:
/// `what` is missing (Debian package `package`); `skipped`" on the standard output, and
/// `false`, on which the caller returns.
pub fn needs(what: &str, package: &str, skipped: &str, ready: impl Fn() -> bool) -> bool {
    if !ready() {
        apt_install(package);
    }
    if ready() {
        return true;
    }
    assert!(
        !in_ci(),
        "{what} is missing in CI (Debian package {package})"
    );
    println!("SKIPPED: {what} is missing (Debian package {package}); {skipped}");
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_a_program_that_runs_from_one_that_fails_or_is_missing() {
        assert!(works("sh", &["-c", "exit 0"]));
        assert!(!works("sh", &["-c", "exit 3"]));
        assert!(!works("no-such-program-of-testkit", &[]));
    }

    #[test]
    fn a_tool_that_is_there_is_neither_installed_nor_skipped() {
        // `ready` holds at once: no apt-get, no panic even in CI.
        assert!(needs("sh", "dash", "never", || works(
            "sh",
            &["-c", "exit 0"]
        )));
    }
}
