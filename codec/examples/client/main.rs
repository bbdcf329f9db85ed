//! A tiny MQTT 3.1.1 client over a plain TCP socket: the codec's usage example.
//!
//! ```sh
//! cargo run -p mqtt-wire --example client -- 127.0.0.1:1883
//! ```
//!
//! It connects, subscribes to `mqtt-wire/example/#`, publishes one QoS 1 message to a topic
//! under it, receives that message back, acknowledges it, pings and disconnects, printing every
//! packet it sends and receives. `connection.rs` holds the part worth copying: sending a packet
//! and reading whole packets from a socket with a growing buffer.

mod connection;

use std::error::Error;
use std::num::NonZeroU16;
use std::time::Duration;

use connection::Connection;
use mqtt_wire::v311::{Connect, Delivery, Packet, Puback, Publish, Subscribe, Subscription};
use mqtt_wire::{QoS, TopicFilter, TopicName};

fn main() -> Result<(), Box<dyn Error>> {
    let addr = std::env::args()
        .nth(1)
        .ok_or("usage: client HOST:PORT (an MQTT 3.1.1 broker)")?;
    let mut conn = Connection::open(addr.as_str(), Duration::from_secs(5))?;
    let id = |n| NonZeroU16::new(n).ok_or("packet ids are 1-65535");

    send(
        &mut conn,
        Connect::new("mqtt-wire-example", true, 30)?.into(),
    )?;
    match conn.recv()?.packet() {
        connack @ Packet::Connack(c) if c.return_code().as_u8() == 0 => println!("<- {connack}"),
        other => return Err(format!("the broker refused: {other}").into()),
    }

    let filter = [Subscription::new(
        TopicFilter::new("mqtt-wire/example/#")?,
        QoS::AtLeastOnce,
    )];
    send(&mut conn, Subscribe::new(id(1)?, &filter)?.into())?;
    println!("<- {}", conn.recv()?);

    let topic = TopicName::new("mqtt-wire/example/hello")?;
    let publish = Publish::new(
        topic,
        Delivery::AtLeastOnce(id(2)?),
        b"hello from mqtt-wire",
    )?;
    send(&mut conn, publish.into())?;

    // The broker acknowledges our PUBLISH and sends it back to us, as we are subscribed; the
    // order of the two is up to it.
    let (mut acked, mut echoed) = (false, false);
    while !(acked && echoed) {
        let packet = conn.recv()?;
        println!("<- {packet}");
        match packet.packet() {
            Packet::Puback(ack) if ack.packet_id() == id(2)? => acked = true,
            Packet::Publish(p) => {
                echoed = true;
                if let Some(broker_id) = p.packet_id() {
                    send(&mut conn, Puback::new(broker_id).into())?;
                }
            }
            other => return Err(format!("unexpected {other}").into()),
        }
    }

    send(&mut conn, Packet::Pingreq)?;
    println!("<- {}", conn.recv()?);
    send(&mut conn, Packet::Disconnect)?;
    conn.expect_closed()?;
    println!("closed");
    Ok(())
}

/// Prints and sends one packet.
fn send(conn: &mut Connection, packet: Packet<'_>) -> std::io::Result<()> {
    println!("-> {packet}");
    conn.send(&packet)
}
