//! A blocking MQTT 3.1.1 connection over a `std::net::TcpStream`, on top of `mqtt-wire`: send a
//! packet, receive the next whole packet. The end-to-end test (`codec/tests/broker.rs`) uses it
//! too, so it has a little more than the example needs.
//!
//! [`Connection::recv`] shows the raw way to read packets from a stream with
//! [`v311::decode`]: keep a buffer, decode from its front, and when the answer is "partial",
//! read more. `v311::StreamDecoder` packages the same buffering, for code that would rather not
//! write it.
#![allow(dead_code)] // The example and the test each use part of it.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use mqtt_wire::v311::{self, OwnedPacket, Packet};
use mqtt_wire::{Needed, Status};

/// The most a single `read` asks for when the packet's size is not known yet.
const READ_CHUNK: usize = 4096;

/// One connection to a broker.
pub struct Connection {
    stream: TcpStream,
    /// Bytes received and not yet handed out as packets. It always starts at a packet boundary.
    buf: Vec<u8>,
}

impl Connection {
    /// Connects to `addr`. Every later read or write waits at most `timeout`, so a broker that
    /// stops answering is an error instead of a hang.
    pub fn open(addr: impl ToSocketAddrs, timeout: Duration) -> io::Result<Connection> {
        let addr = addr
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address"))?;
        let stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            buf: Vec::new(),
        })
    }

    /// Encodes `packet` and writes it whole.
    pub fn send(&mut self, packet: &Packet<'_>) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(packet.encoded_len());
        packet.encode_to_vec(&mut bytes);
        self.stream.write_all(&bytes)
    }

    /// Writes bytes as they are: for a test that sends what the codec would refuse to encode.
    pub fn send_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// The next packet from the broker. Reads until a whole packet is buffered; a malformed
    /// packet is an `InvalidData` error (the connection must then be closed, `MQTT-4.8.0-1`).
    pub fn recv(&mut self) -> io::Result<OwnedPacket> {
        loop {
            let wanted = match v311::decode(&self.buf) {
                Ok(Status::Complete((packet, used))) => {
                    // The packet borrows from `buf`; keep an owned copy, then drop its bytes.
                    let packet = packet.to_owned_packet();
                    self.buf.drain(..used);
                    return Ok(packet);
                }
                // The Remaining Length is known: exactly `n` more bytes finish the packet, so
                // the buffer can grow by that much at once (256 KiB for a large PUBLISH).
                Ok(Status::Partial(Needed::Exactly(n))) => n.get(),
                // The fixed header itself is incomplete (0 to 4 bytes of it are here): the
                // packet's size is unknown, so read whatever has arrived.
                Ok(Status::Partial(Needed::Unknown)) => READ_CHUNK,
                Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
            };
            if self.fill(wanted)? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "the broker closed the connection with {} bytes of a packet buffered",
                        self.buf.len()
                    ),
                ));
            }
        }
    }

    /// Waits for the broker to close the connection (after a DISCONNECT, or after a protocol
    /// error) and checks it sent nothing more: every byte it sent was a whole packet, read.
    pub fn expect_closed(mut self) -> io::Result<()> {
        if !self.buf.is_empty() || self.fill(READ_CHUNK)? != 0 {
            let what = match v311::decode(&self.buf) {
                Ok(Status::Complete((packet, _))) => packet.to_string(),
                _ => format!("{} more bytes", self.buf.len()),
            };
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("expected the broker to close the connection, got {what}"),
            ));
        }
        Ok(())
    }

    /// Reads up to `max(wanted, READ_CHUNK)` bytes onto the end of the buffer; returns how many
    /// arrived, 0 when the broker closed the connection. A timeout is an error.
    fn fill(&mut self, wanted: usize) -> io::Result<usize> {
        let start = self.buf.len();
        self.buf.resize(start + wanted.max(READ_CHUNK), 0);
        let read = self.stream.read(&mut self.buf[start..]);
        self.buf.truncate(start + *read.as_ref().unwrap_or(&0));
        read
    }
}
