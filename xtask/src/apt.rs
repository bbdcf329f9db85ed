//! Finding a program, and installing the Debian package that has it when it is missing.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Whether this is CI (`CI=true`), where a tool that cannot be installed is a failure rather
/// than a reason to skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `program` on the `PATH` or in `/usr/sbin` (where Debian puts daemons such as mosquitto).
pub fn find(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// `program`, installing `package` with apt-get first when it is missing (and running
/// `apt-get update` if the first install fails). `None` if it is still missing.
pub fn find_or_install(program: &str, package: &str) -> Option<PathBuf> {
    if let Some(found) = find(program) {
        return Some(found);
    }
    eprintln!("xtask: {program} is missing; installing the Debian package {package}");
    if !apt_get(&["install", "-y", package]) {
        eprintln!("xtask: apt-get install failed; running apt-get update and trying again");
        let _ = apt_get(&["update"]) && apt_get(&["install", "-y", package]);
    }
    find(program)
}

fn apt_get(args: &[&str]) -> bool {
    Command::new("apt-get")
        // Other jobs may hold the package lock for a while: wait for it rather than fail.
        .args(["-o", "DPkg::Lock::Timeout=300", "-q"])
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
