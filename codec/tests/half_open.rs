//! A declared length is not an allocation. A thousand half-open loopback TCP connections each
//! declare the largest packet the decoder allows (1 MiB) and send nothing more, or only the
//! start of its body; the memory each connection's decoder holds is measured with a counting
//! global allocator and must stay within a small constant plus twice what was received,
//! never near what was declared. Once for `MqttCodec` under `tokio_util`'s `FramedRead`,
//! once for `StreamDecoder` fed from the socket.
//!
//! "Twice": the receive buffers grow by doubling (`Vec` and `BytesMut` amortize their
//! growth that way), so a buffer holding `n` bytes may have room for up to `2n`.
//!
//! Run with `-- --nocapture` to see the figures.

#![cfg(feature = "tokio")]

use std::alloc::System;
use std::sync::Mutex;

use futures_util::{FutureExt, StreamExt};
use mqtt_wire::v311::{Decoder, MqttCodec, StreamDecoder};
use mqtt_wire::{DecodeErrorKind, Needed, Status};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::FramedRead;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The allocator counts for the whole process: the tests take turns.
static SERIAL: Mutex<()> = Mutex::new(());

const CONNECTIONS: usize = 1_000;
/// The decoder's limit, fixed header included; every connection declares exactly this.
const MAX_PACKET: usize = 1 << 20;
/// What a connection may hold beyond twice what it received: `FramedRead`'s own initial
/// buffer is 8 KiB, and the rest is slack for the decoder's step and the allocator's rounding.
const CONSTANT: usize = 16 * 1024;

/// Bytes the process holds on the heap now.
fn held() -> usize {
    let stats = GLOBAL.stats();
    stats.bytes_allocated - stats.bytes_deallocated
}

/// Bytes the process has allocated so far, frees not counted.
fn allocated() -> usize {
    GLOBAL.stats().bytes_allocated
}

/// A PUBLISH fixed header declaring a frame of exactly `frame` bytes (a 3-byte Remaining
/// Length), written by hand.
fn publish_header(frame: usize) -> Vec<u8> {
    let mut header = vec![0x30];
    header.extend(testkit::wire::remaining_length(frame - 4));
    assert_eq!(header.len(), 4, "three length bytes");
    header
}

/// What connection `i` sends: the header, then for two thirds of them the start of a body
/// that is valid so far (topic "t", then payload bytes), so that a decoder that validates
/// early has nothing to refuse.
fn sent_by(i: usize) -> Vec<u8> {
    let mut bytes = publish_header(MAX_PACKET);
    let payload = match i % 3 {
        0 => return bytes,
        1 => 1_000,
        _ => 40_000,
    };
    bytes.extend_from_slice(&[0x00, 0x01, b't']);
    bytes.resize(bytes.len() + payload, 0x55);
    bytes
}

fn decoder() -> Decoder {
    Decoder::new().max_packet_size(MAX_PACKET)
}

/// The header really declares the maximum: one byte more is refused.
#[test]
fn the_header_declares_the_largest_packet_allowed() {
    // It allocates: not while another test counts the allocator's bytes.
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let header = publish_header(MAX_PACKET);
    assert_eq!(
        decoder().decode(&header),
        Ok(Status::Partial(Needed::Exactly(
            (MAX_PACKET - 4).try_into().unwrap()
        )))
    );
    let err = decoder()
        .decode(&publish_header(MAX_PACKET + 1))
        .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::PacketTooLarge);
}

/// The soft limit on open files must allow both ends of every connection; raised with
/// `prlimit` when it is too low (Linux), and a failure otherwise, never a silent skip.
fn ensure_open_files(needed: u64) {
    let soft = || -> Option<u64> {
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
        line.split_whitespace().nth(3)?.parse().ok()
    };
    match soft() {
        Some(limit) if limit < needed => {
            let status = std::process::Command::new("prlimit")
                .arg(format!("--pid={}", std::process::id()))
                .arg(format!("--nofile={needed}:"))
                .status();
            let now = soft();
            assert!(
                now.is_some_and(|l| l >= needed),
                "{CONNECTIONS} connections need {needed} open files; the soft limit is {limit} \
                 and raising it failed ({status:?}): raise `ulimit -n`"
            );
        }
        // Enough, or not Linux: the connections themselves will say if it is not.
        _ => {}
    }
}

#[derive(Default)]
struct Figures {
    held: usize,
    received: usize,
    worst: usize,
    /// The connections that sent the fixed header and nothing more: how many, what they hold.
    header_only: usize,
    header_only_held: usize,
}

impl Figures {
    fn add(&mut self, held: usize, received: usize) {
        self.held += held;
        self.received += received;
        self.worst = self.worst.max(held);
        if received == publish_header(MAX_PACKET).len() {
            self.header_only += 1;
            self.header_only_held += held;
        }
    }
}

impl Figures {
    fn check(&self, who: &str) {
        let per_connection = self.held / CONNECTIONS;
        println!(
            "{who}: {CONNECTIONS} connections, each declaring {MAX_PACKET} bytes, received \
             {} bytes in all; the decoders hold {} bytes ({per_connection} per connection, \
             the most for one {}); the {} that sent only the header hold {} bytes",
            self.received, self.held, self.worst, self.header_only, self.header_only_held
        );
        assert!(self.header_only > 0);
        assert!(
            self.header_only_held <= self.header_only * CONSTANT,
            "{who}: {} connections that sent a header hold {} bytes",
            self.header_only,
            self.header_only_held
        );
        // The measure is live: every buffer holds at least what it received.
        assert!(
            self.held >= self.received,
            "{who}: the counter sees nothing"
        );
        assert!(
            self.held <= CONNECTIONS * CONSTANT + 2 * self.received,
            "{who}: {} bytes held for {} received over {CONNECTIONS} connections",
            self.held,
            self.received
        );
    }
}

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// Connects a client, sends what connection `i` sends, and returns both ends.
async fn half_open(listener: &TcpListener, i: usize) -> (TcpStream, TcpStream, usize) {
    let mut client = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    let sent = sent_by(i);
    client.write_all(&sent).await.unwrap();
    (client, server, sent.len())
}

#[test]
fn half_open_connections_cost_what_they_sent_under_mqtt_codec() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    ensure_open_files(2 * CONNECTIONS as u64 + 64);
    let figures = run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut clients = Vec::with_capacity(CONNECTIONS);
        let mut framed = Vec::with_capacity(CONNECTIONS);
        let mut figures = Figures::default();
        for i in 0..CONNECTIONS {
            let (client, server, sent) = half_open(&listener, i).await;
            clients.push(client);
            let before = held();
            let allocated_before = allocated();
            let mut reader = FramedRead::new(server, MqttCodec::new(decoder()));
            // Read until everything sent is in the buffer; no packet can come out.
            loop {
                if let Some(item) = reader.next().now_or_never() {
                    panic!("connection {i}: {item:?}");
                }
                if reader.read_buffer().len() >= sent {
                    break;
                }
                reader.get_ref().readable().await.unwrap();
            }
            let after = held();
            let this = after.saturating_sub(before);
            // The allocator must have seen the buffer being allocated. Counted without frees:
            // the runtime may free a few bytes of its own in the same window (24 bytes at the
            // 25th connection on one run), which is not a fault of the count.
            let seen = allocated().saturating_sub(allocated_before);
            assert!(
                seen >= reader.read_buffer().capacity(),
                "connection {i}: the allocator saw {seen} bytes allocated, the buffer has {}",
                reader.read_buffer().capacity()
            );
            figures.add(this, sent);
            framed.push(reader);
        }
        figures
    });
    figures.check("MqttCodec under FramedRead");
}

#[test]
fn half_open_connections_cost_what_they_sent_under_stream_decoder() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    ensure_open_files(2 * CONNECTIONS as u64 + 64);
    let figures = run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut clients = Vec::with_capacity(CONNECTIONS);
        let mut servers = Vec::with_capacity(CONNECTIONS);
        let mut figures = Figures::default();
        // One read buffer for all connections, as a server reading from sockets in turn.
        let mut chunk = vec![0u8; 4096];
        for i in 0..CONNECTIONS {
            let (client, server, sent) = half_open(&listener, i).await;
            clients.push(client);
            let before = held();
            let mut stream = StreamDecoder::new(decoder());
            while stream.buffered().len() < sent {
                server.readable().await.unwrap();
                match server.try_read(&mut chunk) {
                    Ok(0) => panic!("connection {i}: closed"),
                    Ok(n) => stream.extend(&chunk[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(e) => panic!("connection {i}: {e}"),
                }
                assert_eq!(stream.next_packet(), Ok(None), "connection {i}");
            }
            let this = held().saturating_sub(before);
            figures.add(this, sent);
            servers.push((server, stream));
        }
        figures
    });
    figures.check("StreamDecoder");
}
