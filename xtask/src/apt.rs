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

/// `apt-get ARGS`, through `sudo -n` when this is not root (a hosted CI runner, whose user may
/// use sudo without a password); without root or such sudo, the install fails and says so.
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
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether this process runs as root (`id -u` prints 0).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "0")
}
