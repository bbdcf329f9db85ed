//! The step engine: runs one scenario against a broker over TCP, every step bounded in time.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{sleep, timeout_at, Instant};

use crate::format::{Order, Scenario, Step, DEFAULT_WITHIN_MS};
use crate::model::{self, Version};
use crate::pattern::{self, Bindings};

/// How long opening a connection may take.
const CONNECT_WITHIN: Duration = Duration::from_secs(5);

/// Why a scenario failed: at which step, what it expected, what came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The step's index (from 1) in the scenario.
    pub step: usize,
    /// The step's kind and connection, e.g. `expect on sub`.
    pub what: String,
    /// What the step expected.
    pub expected: String,
    /// What came instead.
    pub got: String,
}

/// What the broker did next on a connection.
#[derive(Debug)]
enum Event {
    Packet(Value),
    Closed,
    Timeout,
}

/// One client connection: the stream and the bytes received but not yet decoded.
struct Conn {
    stream: Option<TcpStream>,
    buffer: Vec<u8>,
}

impl Conn {
    /// The next packet, the close of the connection, or nothing before `deadline`. A broker
    /// that sends bytes this codec cannot decode fails the scenario.
    async fn next(&mut self, version: Version, deadline: Instant) -> Result<Event, String> {
        loop {
            if !self.buffer.is_empty() {
                match model::decode(version, &self.buffer) {
                    Ok(Some((packet, used))) => {
                        self.buffer.drain(..used);
                        return Ok(Event::Packet(packet));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        return Err(format!(
                            "undecodable bytes from the broker ({e}): {}",
                            crate::hex::format(&self.buffer)
                        ))
                    }
                }
            }
            let Some(stream) = self.stream.as_mut() else {
                return Ok(Event::Closed);
            };
            let mut chunk = [0u8; 4096];
            match timeout_at(deadline, stream.read(&mut chunk)).await {
                Err(_) => return Ok(Event::Timeout),
                // A reset counts as a close: the broker closed the connection.
                Ok(Ok(0)) | Ok(Err(_)) => {
                    self.stream = None;
                    if self.buffer.is_empty() {
                        return Ok(Event::Closed);
                    }
                    return Err(format!(
                        "the connection closed inside a packet: {}",
                        crate::hex::format(&self.buffer)
                    ));
                }
                Ok(Ok(n)) => self.buffer.extend_from_slice(&chunk[..n]),
            }
        }
    }
}

fn describe(event: &Event) -> String {
    match event {
        Event::Packet(p) => p.to_string(),
        Event::Closed => "the connection closed".into(),
        Event::Timeout => "nothing".into(),
    }
}

/// Runs `scenario` against the broker at `addr`, with `token` for `{{run}}`.
pub async fn run(
    addr: &str,
    version: Version,
    scenario: &Scenario,
    token: &str,
) -> Result<(), Failure> {
    let mut conns: BTreeMap<String, Conn> = BTreeMap::new();
    let mut bindings = Bindings::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        let what = match step.conn() {
            Some(conn) => format!("{} on {conn}", step.kind()),
            None => step.kind().to_owned(),
        };
        let fail = |expected: String, got: String| Failure {
            step: index + 1,
            what: what.clone(),
            expected,
            got,
        };
        run_step(addr, version, step, token, &mut conns, &mut bindings)
            .await
            .map_err(|(expected, got)| fail(expected, got))?;
    }
    Ok(())
}

/// One step; on failure, what it expected and what came.
async fn run_step(
    addr: &str,
    version: Version,
    step: &Step,
    token: &str,
    conns: &mut BTreeMap<String, Conn>,
    bindings: &mut Bindings,
) -> Result<(), (String, String)> {
    let within =
        |ms: &Option<u64>| Instant::now() + Duration::from_millis(ms.unwrap_or(DEFAULT_WITHIN_MS));
    match step {
        Step::Open { conn } => {
            let stream = match tokio::time::timeout(CONNECT_WITHIN, TcpStream::connect(addr)).await
            {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => return Err((format!("a connection to {addr}"), e.to_string())),
                Err(_) => return Err((format!("a connection to {addr}"), "a timeout".into())),
            };
            let _ = stream.set_nodelay(true);
            conns.insert(
                conn.clone(),
                Conn {
                    stream: Some(stream),
                    buffer: Vec::new(),
                },
            );
            Ok(())
        }
        Step::Send { conn, packet, hex } => {
            let bytes = match (packet, hex) {
                (Some(model), None) => {
                    let model = pattern::with_token(model, token);
                    let model = pattern::substitute(&model, bindings)
                        .map_err(|e| ("a packet to send".to_owned(), e))?;
                    model::encode(version, &model).map_err(|e| (format!("{model} encoded"), e))?
                }
                (None, Some(hex)) => {
                    crate::hex::parse(hex).map_err(|e| ("hex to send".to_owned(), e))?
                }
                _ => return Err(("packet or hex".into(), "both or neither".into())),
            };
            let c = lookup(conns, conn)?;
            let Some(stream) = c.stream.as_mut() else {
                return Err((
                    "an open connection to send on".into(),
                    "it is closed".into(),
                ));
            };
            let sent = tokio::time::timeout(CONNECT_WITHIN, stream.write_all(&bytes)).await;
            match sent {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(("to send".into(), format!("the send failed: {e}"))),
                Err(_) => Err(("to send".into(), "the send timed out".into())),
            }
        }
        Step::Expect {
            conn,
            packets,
            order,
            within_ms,
            ignore,
        } => {
            let deadline = within(within_ms);
            let ignore: Vec<Value> = ignore
                .iter()
                .map(|p| pattern::with_token(p, token))
                .collect();
            let c = lookup(conns, conn)?;
            let mut waiting: Vec<Value> = packets
                .iter()
                .map(|p| pattern::with_token(p, token))
                .collect();
            while !waiting.is_empty() {
                let expected = match order {
                    Order::Sequence => waiting[0].to_string(),
                    Order::Any => format!("in any order: {}", Value::Array(waiting.clone())),
                };
                let event = c
                    .next(version, deadline)
                    .await
                    .map_err(|e| (expected.clone(), e))?;
                let Event::Packet(got) = &event else {
                    return Err((expected, describe(&event)));
                };
                let candidates = match order {
                    Order::Sequence => 0..1,
                    Order::Any => 0..waiting.len(),
                };
                let mut why = String::new();
                let hit = candidates.into_iter().find(|&i| {
                    match pattern::matches(&waiting[i], got, bindings) {
                        Ok(()) => true,
                        Err(e) => {
                            if why.is_empty() {
                                why = e;
                            }
                            false
                        }
                    }
                });
                match hit {
                    Some(i) => {
                        waiting.remove(i);
                    }
                    // A packet the broker may send meanwhile: skipped.
                    None if ignore
                        .iter()
                        .any(|p| pattern::matches(p, got, &mut bindings.clone()).is_ok()) => {}
                    None => return Err((expected, format!("{got} ({why})"))),
                }
            }
            Ok(())
        }
        Step::Closed {
            conn,
            may_send_first,
            must_send_first,
            within_ms,
        } => {
            let deadline = within(within_ms);
            let c = lookup(conns, conn)?;
            let allowed: Vec<Value> = may_send_first
                .iter()
                .map(|p| pattern::with_token(p, token))
                .collect();
            let expected = if allowed.is_empty() {
                "the connection closed, nothing sent first".to_owned()
            } else {
                format!(
                    "the connection closed, {} one of {} first",
                    if *must_send_first { "after" } else { "at most" },
                    Value::Array(allowed.clone())
                )
            };
            let mut sent_first = false;
            loop {
                let event = c
                    .next(version, deadline)
                    .await
                    .map_err(|e| (expected.clone(), e))?;
                match event {
                    Event::Closed if sent_first || !must_send_first => return Ok(()),
                    Event::Packet(ref got) if !sent_first => {
                        if allowed
                            .iter()
                            .any(|p| pattern::matches(p, got, bindings).is_ok())
                        {
                            sent_first = true;
                        } else {
                            return Err((expected, describe(&event)));
                        }
                    }
                    Event::Timeout => {
                        return Err((
                            expected,
                            format!(
                                "the connection still open after {} ms",
                                within_ms.unwrap_or(DEFAULT_WITHIN_MS)
                            ),
                        ))
                    }
                    other => return Err((expected, describe(&other))),
                }
            }
        }
        Step::Silence { conn, ms } => {
            let deadline = Instant::now() + Duration::from_millis(*ms);
            let c = lookup(conns, conn)?;
            let expected = format!("nothing for {ms} ms");
            match c.next(version, deadline).await {
                Ok(Event::Timeout) => Ok(()),
                Ok(event) => Err((expected, describe(&event))),
                Err(e) => Err((expected, e)),
            }
        }
        Step::Wait { ms } => {
            sleep(Duration::from_millis(*ms)).await;
            Ok(())
        }
        Step::Drop { conn } => {
            let c = lookup(conns, conn)?;
            c.stream = None;
            c.buffer.clear();
            Ok(())
        }
    }
}

fn lookup<'c>(
    conns: &'c mut BTreeMap<String, Conn>,
    name: &str,
) -> Result<&'c mut Conn, (String, String)> {
    conns
        .get_mut(name)
        .ok_or_else(|| (format!("{name} open"), format!("{name} was never opened")))
}
