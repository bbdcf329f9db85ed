//! A Mosquitto broker for the tasks that need one (`interop`, and those to come: the broker as a
//! judge of the vectors, the behaviour scenarios): found or installed with apt-get, started on a
//! free port of 127.0.0.1 with its own config and temporary directory, stopped by its process id
//! when dropped, whatever happened.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::apt;

/// Finds `mosquitto` or installs it (Debian's package); `None` when neither works.
pub fn program() -> Option<PathBuf> {
    apt::find_or_install("mosquitto", "mosquitto")
}

/// Numbers the brokers one process starts, so each has its own directory.
static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A running broker: killed, and its temporary directory removed, when dropped.
pub struct Broker {
    child: Child,
    dir: PathBuf,
    log: PathBuf,
    /// `127.0.0.1:<port>`.
    pub addr: String,
}

impl Broker {
    /// Starts `mosquitto -c <dir>/mosquitto.conf` in the foreground, logging to
    /// `<dir>/mosquitto.log`, and waits until it accepts connections.
    pub fn start(program: &Path) -> Result<Broker, String> {
        let dir = std::env::temp_dir().join(format!(
            "mqtt-wire-mosquitto-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // A free port: the system picks one for a listener we close at once. Another process
        // could take it in between; the broker then fails to start, and says so in its log.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let conf = dir.join("mosquitto.conf");
        let config = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_type all\n"
        );
        std::fs::write(&conf, config).map_err(|e| format!("{}: {e}", conf.display()))?;
        let log = dir.join("mosquitto.log");
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(program)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let mut broker = Broker {
            child,
            dir,
            log,
            addr: format!("127.0.0.1:{port}"),
        };
        if let Err(e) = broker.wait_until_ready() {
            broker.print_log();
            return Err(e);
        }
        Ok(broker)
    }

    fn wait_until_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("mosquitto exited at start ({status})"));
            }
            if TcpStream::connect(&self.addr).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "mosquitto does not accept connections on {}",
                    self.addr
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The version line of the log, `mosquitto version 2.0.11 starting`, without its timestamp.
    pub fn version(&self) -> String {
        tasks::output::mosquitto_version(&self.log()).unwrap_or_else(|| "(version unknown)".into())
    }

    pub fn print_log(&self) {
        eprintln!("xtask: the broker's log ({}):", self.log.display());
        for line in self.log().lines() {
            eprintln!("  {line}");
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        // `Child::kill` signals this process by its id, and only it.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
