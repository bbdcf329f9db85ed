//! `cargo xtask conformance`: builds the runner and runs it with the task's arguments.

use std::process::{Command, ExitCode};

pub fn run(args: &[String]) -> ExitCode {
    match crate::mqtt_vectors() {
        Ok(runner) => crate::run(Command::new(runner).arg("run").args(args)),
        Err(code) => code,
    }
}
