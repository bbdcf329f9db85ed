//! A fault-injecting TCP proxy between the runner and a broker: it frames the bytes of each
//! direction into MQTT packets (fixed header and Remaining Length, the same in both versions)
//! and drops, duplicates, reorders or alters the n-th packet of one type in one direction.
//! Run a scenario through it with the fault that breaks the behaviour it shows, and the
//! scenario must fail: that is how a scenario shows it can fail ([`FAULTS`], [`check`]).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

use crate::suite::Suite;

/// Which way a packet goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// From the runner (the client) to the broker.
    ToBroker,
    /// From the broker to the runner.
    ToClient,
}

/// What happens to the chosen packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// It is not forwarded.
    Drop,
    /// It is forwarded twice.
    Duplicate,
    /// It is held and forwarded after the next packet of the same direction and connection
    /// (dropped if none comes).
    Reorder,
    /// The byte at this offset from the packet's first byte is XORed with the mask.
    Alter {
        /// Offset from the first byte of the packet.
        offset: usize,
        /// XOR mask.
        mask: u8,
    },
}

/// A fault: the `nth` (from 1) packet of `packet_type` going `direction`, counted over every
/// connection through the proxy, gets `action`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Which way.
    pub direction: Direction,
    /// The packet type (1 CONNECT ... 15 AUTH).
    pub packet_type: u8,
    /// Which occurrence, from 1.
    pub nth: usize,
    /// What is done to it.
    pub action: Action,
}

/// A running proxy; stopped when dropped.
pub struct Proxy {
    /// Where the runner connects.
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Starts a proxy on a free port of 127.0.0.1 forwarding to `upstream` with `fault`.
    pub fn start(upstream: &str, fault: Fault) -> std::io::Result<Proxy> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let upstream = upstream.to_owned();
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(std_listener) else {
                    return;
                };
                let seen = Arc::new(AtomicUsize::new(0));
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    if stopping.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(broker) = TcpStream::connect(&upstream).await else {
                        continue;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = broker.set_nodelay(true);
                    let (cr, cw) = client.into_split();
                    let (br, bw) = broker.into_split();
                    tokio::spawn(pump(cr, bw, Direction::ToBroker, fault, seen.clone()));
                    tokio::spawn(pump(br, cw, Direction::ToClient, fault, seen.clone()));
                }
            });
        });
        Ok(Proxy {
            addr,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = std::net::TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The length of the packet at the start of `buffer`: `Some(Ok(n))` when complete,
/// `None` when more bytes are needed, `Some(Err(()))` when no MQTT framing fits.
fn frame_len(buffer: &[u8]) -> Option<Result<usize, ()>> {
    let mut length: usize = 0;
    for i in 0..4 {
        let byte = *buffer.get(1 + i)?;
        length |= usize::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            let total = 2 + i + length;
            return (buffer.len() >= total).then_some(Ok(total));
        }
    }
    Some(Err(()))
}

/// Forwards one direction packet by packet, applying the fault; unframeable bytes pass as
/// they are.
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    direction: Direction,
    fault: Fault,
    seen: Arc<AtomicUsize>,
) {
    let mut buffer = Vec::new();
    let mut held: Option<Vec<u8>> = None;
    let mut chunk = [0u8; 4096];
    loop {
        let n = match from.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buffer.extend_from_slice(&chunk[..n]);
        let mut out = Vec::new();
        loop {
            match frame_len(&buffer) {
                None => break,
                Some(Err(())) => {
                    out.append(&mut buffer);
                    break;
                }
                Some(Ok(len)) => {
                    let mut packet: Vec<u8> = buffer.drain(..len).collect();
                    let chosen = direction == fault.direction
                        && packet[0] >> 4 == fault.packet_type
                        && seen.fetch_add(1, Ordering::SeqCst) + 1 == fault.nth;
                    let mut release = held.take();
                    if chosen {
                        match fault.action {
                            Action::Drop => packet.clear(),
                            Action::Duplicate => packet.extend(packet.clone()),
                            Action::Reorder => {
                                held = Some(std::mem::take(&mut packet));
                            }
                            Action::Alter { offset, mask } => {
                                if let Some(b) = packet.get_mut(offset) {
                                    *b ^= mask;
                                }
                            }
                        }
                    }
                    out.extend(packet);
                    if let Some(late) = release.take() {
                        out.extend(late);
                    }
                }
            }
        }
        if !out.is_empty() && to.write_all(&out).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// The faults the suite must catch: each breaks one behaviour, and every scenario named
/// must fail under it (while passing without it).
pub const FAULTS: &[(&str, Fault, &[&str])] = &[
    (
        "drop the first PUBACK to the client",
        fault(Direction::ToClient, 4, 1, Action::Drop),
        &["v311-qos-qos1-acknowledged", "v5-qos-qos1-acknowledged"],
    ),
    (
        "duplicate the first PUBLISH to the client",
        fault(Direction::ToClient, 3, 1, Action::Duplicate),
        &[
            "v311-qos-qos2-exactly-once",
            "v5-qos-qos2-duplicate-before-pubrel-delivered-once",
        ],
    ),
    (
        "reorder the first PUBLISH to the client after the next",
        fault(Direction::ToClient, 3, 1, Action::Reorder),
        &["v311-qos-ordered-topic", "v5-qos-ordered-topic"],
    ),
    (
        "flip Session Present in the first CONNACK",
        fault(
            Direction::ToClient,
            2,
            1,
            Action::Alter { offset: 2, mask: 1 },
        ),
        &[
            "v311-sessions-new-session-not-present",
            "v5-sessions-new-session-with-clean-start-0",
        ],
    ),
    (
        "drop the client's first DISCONNECT (the broker sees a network failure)",
        fault(Direction::ToBroker, 14, 1, Action::Drop),
        &[
            "v311-wills-discarded-on-disconnect",
            "v5-wills-normal-disconnect-discards",
        ],
    ),
    (
        "flip RETAIN in the first PUBLISH to the client",
        fault(
            Direction::ToClient,
            3,
            1,
            Action::Alter { offset: 0, mask: 1 },
        ),
        &[
            "v311-retain-flag-cleared-on-live-delivery",
            "v5-subscriptions-retain-as-published",
        ],
    ),
    (
        "drop the first PINGRESP",
        fault(Direction::ToClient, 13, 1, Action::Drop),
        &["v311-keepalive-pingresp", "v5-connect-connack-first"],
    ),
    (
        "change the packet identifier of the first SUBACK",
        fault(
            Direction::ToClient,
            9,
            1,
            Action::Alter { offset: 3, mask: 1 },
        ),
        &[
            "v311-topics-suback-per-filter-in-order",
            "v5-subscriptions-topics-and-acks",
        ],
    ),
];

const fn fault(direction: Direction, packet_type: u8, nth: usize, action: Action) -> Fault {
    Fault {
        direction,
        packet_type,
        nth,
        action,
    }
}

/// What [`check`] found for one fault and one scenario.
#[derive(Clone, Debug)]
pub struct FaultCheck {
    /// The fault's description.
    pub fault: String,
    /// The scenario.
    pub scenario: String,
    /// Whether the scenario passed through the proxy with a fault that never fires (so the
    /// proxy alone does not break it).
    pub clean: bool,
    /// Whether it failed with the fault.
    pub caught: bool,
}

/// Runs each scenario of [`FAULTS`] through a proxy against the broker at `broker`, first
/// with a fault that never fires (it must pass), then with its fault (it must fail).
pub fn check(broker: &str, suite: &Suite) -> Vec<FaultCheck> {
    let passes = |fault: Fault, id: &str| -> Option<bool> {
        let proxy = Proxy::start(broker, fault).ok()?;
        let report = crate::run(&proxy.addr.to_string(), suite, id, &Default::default());
        // The filter is a substring: only the exact id counts.
        let result = report.results.iter().find(|r| r.id == id)?;
        Some(matches!(result.outcome, crate::report::Outcome::Passed))
    };
    let mut lines = Vec::new();
    for (name, fault, scenarios) in FAULTS {
        let never = Fault {
            nth: usize::MAX,
            ..*fault
        };
        for id in *scenarios {
            lines.push(FaultCheck {
                fault: name.to_string(),
                scenario: id.to_string(),
                clean: passes(never, id) == Some(true),
                caught: passes(*fault, id) == Some(false),
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_by_remaining_length() {
        assert_eq!(frame_len(&[0x30]), None);
        assert_eq!(frame_len(&[0xC0, 0x00]), Some(Ok(2)));
        assert_eq!(frame_len(&[0x30, 0x03, 0, 1]), None);
        assert_eq!(frame_len(&[0x30, 0x03, 0, 1, 0x61, 0xE0]), Some(Ok(5)));
        assert_eq!(frame_len(&[0x30, 0x80, 0x01]), None);
        assert_eq!(
            frame_len(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            Some(Err(()))
        );
    }
}
