//! The programs of the host that some tests run (a browser, interpreters, a C compiler, the
//! packages they build against), written once for `conformance/tests/matrix_page.rs` and
//! `conformance/tests/templates.rs`, and for xtask's tasks: whether a program runs, and
//! installing a missing Debian package with apt-get.
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
/// interactive, waiting for another job's package lock), as root or through `sudo -n`; when it
/// fails, once more after `apt-get update`. Says so on the standard error. Whether the program
/// wanted is there afterwards is for the caller to find out; when to change the machine at all
/// is the caller's policy (tests: in CI or as root, [`needs`]; xtask's tasks: see each).
pub fn apt_install(package: &str) -> bool {
    eprintln!("installing the Debian package {package} (apt-get)");
    let install = ["install", "-y", "--no-install-recommends", package];
    apt_get(&install) || (apt_get(&["update"]) && apt_get(&install))
}

/// `apt-get ARGS` quietly, through `sudo -n` when this is not root (a hosted CI runner, whose
/// user may use sudo without a password); without root or such sudo it fails.
fn apt_get(args: &[&str]) -> bool {
    let mut command = if is_root() {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        // `sudo` resets the environment: `env` carries DEBIAN_FRONTEND through it.
        sudo.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        sudo
    };
    command
        // Other jobs may hold the package lock for a while: wait for it rather than fail.
        .args(["-o", "DPkg::Lock::Timeout=300", "-q"])
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether this process runs as root (`id -u` prints 0).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Whether `ready()` holds, installing `package` once ([`apt_install`]) when it does not.
/// When it still does not: in CI, a panic ("`what` is missing in CI"); elsewhere "SKIPPED:
/// `what` is missing (Debian package `package`); `skipped`" on the standard output, and
/// `false`, on which the caller returns.
pub fn needs(what: &str, package: &str, skipped: &str, ready: impl Fn() -> bool) -> bool {
    if !ready() && (in_ci() || is_root()) {
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
