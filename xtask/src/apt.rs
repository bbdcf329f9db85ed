//! Finding a program, and installing the Debian package that has it when it is missing.

use std::path::PathBuf;

pub use testkit::host::in_ci;

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
    eprintln!("xtask: {program} is missing");
    testkit::host::apt_install(package);
    find(program)
}
