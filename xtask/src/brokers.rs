//! The brokers other than Mosquitto that `cargo xtask scenarios --start NAME` runs (outside CI):
//! amqtt (PyPI, 3.1.1), ejabberd's MQTT module (Debian, 3.1.1 and 5.0) and rumqttd (crates.io,
//! 3.1.1 and 5.0 on two listeners). Each is installed when missing (a venv or `cargo install
//! --root` under `target/brokers/NAME`, or apt-get), started on free ports of 127.0.0.1 with a
//! config written here into its own temporary directory, and stopped by process id, with the
//! processes it started (ejabberd's Erlang helpers, its own `epmd`), whatever happened.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::apt;

/// The brokers `--start` knows besides Mosquitto.
pub const NAMES: [&str; 3] = ["amqtt", "ejabberd", "rumqttd"];

/// One place to run scenarios: the address, and the protocol versions served there
/// (`None`: every version).
pub struct Target {
    pub addr: String,
    pub version: Option<&'static str>,
}

/// A started broker: its processes are killed (each with the processes it started), and its
/// directory removed, when dropped.
pub struct Started {
    /// `amqtt 0.12.1` and the like.
    pub label: String,
    /// How it was installed and started, for the report.
    pub how: String,
    /// Where each protocol version is served.
    pub targets: Vec<Target>,
    /// How long the install took (0 when it was there already).
    pub install_seconds: f64,
    /// Started in this order; stopped in the reverse order.
    children: Vec<Child>,
    dir: PathBuf,
    logs: Vec<PathBuf>,
}

/// Installs (when missing) and starts broker `name`.
pub fn start(name: &str) -> Result<Started, String> {
    let dir = std::env::temp_dir().join(format!("mqtt-wire-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut started = Started {
        label: name.to_owned(),
        how: String::new(),
        targets: Vec::new(),
        install_seconds: 0.0,
        children: Vec::new(),
        dir,
        logs: Vec::new(),
    };
    let result = match name {
        "amqtt" => amqtt(&mut started),
        "ejabberd" => ejabberd(&mut started),
        "rumqttd" => rumqttd(&mut started),
        other => Err(format!("unknown broker {other}")),
    };
    match result {
        Ok(()) => Ok(started),
        Err(e) => {
            started.print_log();
            Err(e)
        }
    }
}

impl Started {
    pub fn print_log(&self) {
        for log in &self.logs {
            eprintln!("xtask: the broker's log ({}):", log.display());
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            for line in &lines[lines.len().saturating_sub(60)..] {
                eprintln!("  {line}");
            }
        }
    }

    /// Starts `command` with its output in `DIR/<log>`, and keeps it to stop it at the end.
    fn spawn(&mut self, mut command: Command, log: &str) -> Result<(), String> {
        let path = self.dir.join(log);
        let out = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
        self.children.push(child);
        self.logs.push(path);
        Ok(())
    }

    /// Waits until `addr` accepts connections (or the last process started exits).
    fn wait_for(&mut self, addr: &str, seconds: u64) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(child) = self.children.last_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("the broker exited at start ({status})"));
                }
            }
            if TcpStream::connect(addr).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "nothing accepts connections on {addr} after {seconds} s"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            // The processes this one started (ejabberd's `erl_child_setup`, `inet_gethost`),
            // found before it goes, then it and they, each by its process id.
            let descendants = descendants(child.id());
            let _ = child.kill();
            let _ = child.wait();
            for pid in descendants {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .stderr(Stdio::null())
                    .status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The process ids whose parent is `pid`, and theirs, from `/proc/*/stat`.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid ...`: comm may hold spaces, so read after the last ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse().ok());
            if let Some(ppid) = ppid {
                parents.push((child, ppid));
            }
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn output(command: &mut Command) -> String {
    command
        .output()
        .map(|o| {
            let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
            s.push_str(&String::from_utf8_lossy(&o.stderr));
            s.trim().to_owned()
        })
        .unwrap_or_default()
}

// ---- amqtt (PyPI): 3.1.1 only ----

const AMQTT_VERSION: &str = "0.12.1";

fn amqtt(s: &mut Started) -> Result<(), String> {
    let root = Path::new("target/brokers/amqtt");
    let program = root.join("bin/amqtt");
    if !program.is_file() {
        eprintln!(
            "xtask: installing amqtt {AMQTT_VERSION} in a venv at {}",
            root.display()
        );
        let t = Instant::now();
        let venv = Command::new("python3")
            .args(["-m", "venv"])
            .arg(root)
            .status()
            .is_ok_and(|st| st.success());
        let pip = venv
            && Command::new(root.join("bin/pip"))
                .args(["install", "-q", &format!("amqtt=={AMQTT_VERSION}")])
                .status()
                .is_ok_and(|st| st.success());
        s.install_seconds = t.elapsed().as_secs_f64();
        if !pip || !program.is_file() {
            return Err(format!(
                "cannot install amqtt {AMQTT_VERSION} with python3 -m venv and pip"
            ));
        }
    }
    let port = free_port()?;
    let conf = s.dir.join("amqtt.yaml");
    write(
        &conf,
        &format!(
            "listeners:\n  default:\n    type: tcp\n    bind: 127.0.0.1:{port}\nplugins:\n  \
             amqtt.plugins.authentication.AnonymousAuthPlugin:\n    allow_anonymous: true\n"
        ),
    )?;
    let version = output(Command::new(&program).arg("--version"));
    s.label = format!("amqtt {}", version.rsplit(' ').next().unwrap_or(&version));
    s.how = format!(
        "pip install amqtt=={AMQTT_VERSION} in a venv (target/brokers/amqtt); `amqtt -c` with one \
         TCP listener and the anonymous-auth plugin"
    );
    let mut command = Command::new(&program);
    command.arg("-c").arg(&conf);
    s.spawn(command, "amqtt.log")?;
    let addr = format!("127.0.0.1:{port}");
    s.wait_for(&addr, 30)?;
    s.targets.push(Target {
        addr,
        version: Some("3.1.1"),
    });
    Ok(())
}

// ---- ejabberd's mod_mqtt (Debian): 3.1.1 and 5.0 ----

/// The user name and password the credentials relay adds to every CONNECT that has none:
/// ejabberd's MQTT module accepts no CONNECT without a password (or a client certificate), and
/// its anonymous login takes any.
const EJABBERD_USER: &str = "mqttwire";

fn ejabberd(s: &mut Started) -> Result<(), String> {
    let t = Instant::now();
    let Some(ctl) = apt::find_or_install("ejabberdctl", "ejabberd") else {
        return Err("ejabberd is not installed and could not be installed (apt-get)".into());
    };
    if t.elapsed() > Duration::from_secs(1) {
        s.install_seconds = t.elapsed().as_secs_f64();
    }
    let _ = ctl;
    let epmd = apt::find("epmd").ok_or("no epmd (it comes with ejabberd's Erlang)")?;
    let erl = apt::find("erl").ok_or("no erl (it comes with ejabberd's Erlang)")?;
    let version = output(Command::new("dpkg-query").args(["-W", "-f", "${Version}", "ejabberd"]));
    s.label = format!("ejabberd {version}");
    let lib = Path::new("/usr/lib/x86_64-linux-gnu");
    let (mqtt_port, epmd_port) = (free_port()?, free_port()?);
    let spool = s.dir.join("spool");
    std::fs::create_dir_all(&spool).map_err(|e| format!("{}: {e}", spool.display()))?;
    let conf = s.dir.join("ejabberd.yml");
    write(
        &conf,
        &format!(
            "hosts:\n  - localhost\nloglevel: info\nlog_rotate_count: 0\n\
             auth_method: [anonymous]\nanonymous_protocol: both\nallow_multiple_connections: true\n\
             listen:\n  -\n    port: {mqtt_port}\n    ip: \"127.0.0.1\"\n    module: mod_mqtt\n\
             modules:\n  mod_mqtt: {{}}\n"
        ),
    )?;
    // Its own epmd on its own port (not the machine's 4369), so that stopping it stops no
    // other Erlang node's.
    let mut command = Command::new(&epmd);
    command.args(["-port", &epmd_port.to_string(), "-address", "127.0.0.1"]);
    s.spawn(command, "epmd.log")?;
    s.wait_for(&format!("127.0.0.1:{epmd_port}"), 10)?;
    let mut command = Command::new(&erl);
    command
        .env("HOME", &s.dir)
        .env("ERL_EPMD_PORT", epmd_port.to_string())
        .env("ERL_EPMD_ADDRESS", "127.0.0.1")
        .env("ERL_LIBS", lib)
        .env("EJABBERD_CONFIG_PATH", &conf)
        .env("EJABBERD_LOG_PATH", s.dir.join("ejabberd.log"))
        .env("ERL_CRASH_DUMP", s.dir.join("erl_crash.dump"))
        .args([
            "-sname",
            &format!("mqttwire{}@localhost", std::process::id()),
            "-noinput",
            "-start_epmd",
            "false",
            "-kernel",
            "inet_dist_use_interface",
            "{127,0,0,1}",
            "-mnesia",
            "dir",
            &format!("\"{}\"", spool.display()),
            "-s",
            "ejabberd",
        ]);
    s.spawn(command, "erl.log")?;
    s.logs.push(s.dir.join("ejabberd.log"));
    let upstream = format!("127.0.0.1:{mqtt_port}");
    s.wait_for(&upstream, 120)?;
    let relay = relay(upstream)?;
    s.how = format!(
        "apt-get install ejabberd; `erl -s ejabberd` with its own config (mod_mqtt on one \
         listener, anonymous login) and its own `epmd -port`; a relay adds user name \
         `{EJABBERD_USER}` and a password to each CONNECT without them (ejabberd refuses a \
         CONNECT without a password)"
    );
    s.targets.push(Target {
        addr: relay,
        version: None,
    });
    Ok(())
}

/// Listens on a free loopback port and relays each connection to `upstream`, adding a user
/// name and password to its first packet when it is a CONNECT that has neither. Returns the
/// relay's address; its threads end with the process.
fn relay(upstream: String) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("relay: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("relay: {e}"))?
        .to_string();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let upstream = upstream.clone();
            std::thread::spawn(move || {
                let _ = relay_one(client, &upstream);
            });
        }
    });
    Ok(addr)
}

fn relay_one(mut client: TcpStream, upstream: &str) -> std::io::Result<()> {
    let mut server = TcpStream::connect(upstream)?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    // The first packet: fixed header, Remaining Length, body.
    let mut first = [0u8; 1];
    if client.read(&mut first)? == 0 {
        let _ = server.shutdown(Shutdown::Both);
        return Ok(());
    }
    let mut length = 0usize;
    let mut length_bytes = Vec::new();
    for shift in 0..4 {
        let mut b = [0u8; 1];
        client.read_exact(&mut b)?;
        length_bytes.push(b[0]);
        length |= usize::from(b[0] & 0x7f) << (7 * shift);
        if b[0] & 0x80 == 0 {
            break;
        }
    }
    let mut body = vec![0u8; length];
    client.read_exact(&mut body)?;
    let packet = match with_credentials(first[0], &body) {
        Some(new_body) => testkit::wire::packet(first[0], &new_body),
        None => {
            let mut p = vec![first[0]];
            p.extend(length_bytes);
            p.extend(body);
            p
        }
    };
    server.write_all(&packet)?;
    let (mut c2, mut s2) = (client.try_clone()?, server.try_clone()?);
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut s2);
        let _ = s2.shutdown(Shutdown::Both);
        let _ = c2.shutdown(Shutdown::Both);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
    let _ = up.join();
    Ok(())
}

/// The body of a well-formed CONNECT with neither user name nor password, with both added;
/// `None` for any other packet (passed on unchanged, malformed ones included).
fn with_credentials(header: u8, body: &[u8]) -> Option<Vec<u8>> {
    if header != 0x10 {
        return None;
    }
    let mut at = 0usize;
    let string = |at: &mut usize| -> Option<()> {
        let n = usize::from(u16::from_be_bytes([*body.get(*at)?, *body.get(*at + 1)?]));
        *at += 2 + n;
        (*at <= body.len()).then_some(())
    };
    let varint = |at: &mut usize| -> Option<usize> {
        let mut v = 0usize;
        for shift in 0..4 {
            let b = *body.get(*at)?;
            *at += 1;
            v |= usize::from(b & 0x7f) << (7 * shift);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    string(&mut at)?; // protocol name
    let level = *body.get(at)?;
    let flags_at = at + 1;
    let flags = *body.get(flags_at)?;
    at += 4; // level, flags, keep alive
    if flags & 0xc0 != 0 {
        return None;
    }
    if level == 5 {
        at += varint(&mut at)?;
    }
    string(&mut at)?; // client identifier
    if flags & 0x04 != 0 {
        if level == 5 {
            at += varint(&mut at)?;
        }
        string(&mut at)?; // will topic
        string(&mut at)?; // will payload
    }
    if at != body.len() {
        return None;
    }
    let mut out = body.to_vec();
    out[flags_at] |= 0xc0;
    for field in [EJABBERD_USER, EJABBERD_USER] {
        out.extend((field.len() as u16).to_be_bytes());
        out.extend(field.as_bytes());
    }
    Some(out)
}

// ---- rumqttd (crates.io): 3.1.1 on one listener, 5.0 on another ----

const RUMQTTD_VERSION: &str = "0.20.0";

fn rumqttd(s: &mut Started) -> Result<(), String> {
    let root = Path::new("target/brokers/rumqttd");
    let program = root.join("bin/rumqttd");
    if !program.is_file() {
        eprintln!(
            "xtask: cargo install rumqttd {RUMQTTD_VERSION} --root {}",
            root.display()
        );
        let t = Instant::now();
        let ok = Command::new(crate::cargo_program())
            // Not `--locked`: the lock file published with 0.20.0 pins metrics 0.22.1, which
            // today's compiler rejects (E0521); the newest compatible versions build.
            .args(["install", "--version", RUMQTTD_VERSION, "--root"])
            .arg(root)
            .arg("rumqttd")
            .status()
            .is_ok_and(|st| st.success());
        s.install_seconds = t.elapsed().as_secs_f64();
        if !ok || !program.is_file() {
            return Err(format!(
                "cannot install rumqttd {RUMQTTD_VERSION} with cargo install"
            ));
        }
    }
    let (v4, v5) = (free_port()?, free_port()?);
    let conf = s.dir.join("rumqttd.toml");
    let connections = "connection_timeout_ms = 60000\nmax_payload_size = 20480\n\
                       max_inflight_count = 100\ndynamic_filters = true\n";
    write(
        &conf,
        &format!(
            "id = 0\n\n[router]\nid = 0\nmax_connections = 1000\nmax_outgoing_packet_count = 200\n\
             max_segment_size = 104857600\nmax_segment_count = 10\n\n\
             [v4.1]\nname = \"v4-1\"\nlisten = \"127.0.0.1:{v4}\"\nnext_connection_delay_ms = 1\n\
             [v4.1.connections]\n{connections}\n\
             [v5.1]\nname = \"v5-1\"\nlisten = \"127.0.0.1:{v5}\"\nnext_connection_delay_ms = 1\n\
             [v5.1.connections]\n{connections}"
        ),
    )?;
    let version = output(Command::new(&program).arg("--version"));
    s.label = format!("rumqttd {}", version.rsplit(' ').next().unwrap_or(&version));
    s.how = format!(
        "cargo install rumqttd --version {RUMQTTD_VERSION} --root target/brokers/rumqttd (not --locked: \
         its lock file's metrics 0.22.1 no longer compiles); \
         `rumqttd -c` with a v4 (3.1.1) and a v5 listener"
    );
    let mut command = Command::new(&program);
    command.arg("-c").arg(&conf);
    s.spawn(command, "rumqttd.log")?;
    for (port, version) in [(v4, "3.1.1"), (v5, "5.0")] {
        let addr = format!("127.0.0.1:{port}");
        s.wait_for(&addr, 30)?;
        s.targets.push(Target {
            addr,
            version: Some(version),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3.1.1 CONNECT body: protocol name, level 4, `flags`, keep alive 60, client id `c`.
    fn connect(flags: u8, extra: &[u8]) -> Vec<u8> {
        let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 60, 0, 1, b'c'];
        body.extend(extra);
        body
    }

    #[test]
    fn credentials_are_added_to_a_connect_without_them() {
        let out = with_credentials(0x10, &connect(0x02, &[])).expect("rewritten");
        let mut expected = connect(0xc2, &[]);
        for _ in 0..2 {
            expected.extend([0, 8]);
            expected.extend(b"mqttwire");
        }
        assert_eq!(out, expected);
        // 5.0, with a will: properties and will properties are skipped over.
        let mut v5 = vec![0, 4, b'M', b'Q', b'T', b'T', 5, 0x06, 0, 60, 0, 0, 1, b'c'];
        v5.extend([0, 0, 1, b't', 0, 1, b'p']);
        let out = with_credentials(0x10, &v5).expect("rewritten");
        assert_eq!(out[7], 0xc6);
        assert_eq!(&out[v5.len()..v5.len() + 2], &[0, 8]);
    }

    #[test]
    fn other_packets_and_malformed_connects_pass_unchanged() {
        assert_eq!(with_credentials(0x30, &connect(0x02, &[])), None);
        // Already a user name: left as it is.
        assert_eq!(with_credentials(0x10, &connect(0x82, &[0, 1, b'u'])), None);
        // Bytes after the payload, or a truncated one: not a CONNECT this can rewrite.
        assert_eq!(with_credentials(0x10, &connect(0x02, &[9])), None);
        assert_eq!(with_credentials(0x10, &connect(0x02, &[])[..11]), None);
    }
}
