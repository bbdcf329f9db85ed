//! A tiny MQTT server and client over TCP with `Framed<TcpStream, MqttCodec>` (feature
//! `tokio`). The server answers CONNECT with CONNACK, PINGREQ with PINGRESP and a QoS 1
//! PUBLISH with PUBACK, and closes the connection on DISCONNECT or on malformed bytes.
//!
//! ```sh
//! cargo run -p mqtt-wire --example tokio_echo --features tokio
//! ```

use std::num::NonZeroU16;

use futures_util::{SinkExt, StreamExt};
use mqtt_wire::v311::{
    Connack, Connect, ConnectReturnCode, Decoder, Delivery, MqttCodec, Packet, Puback, Publish,
};
use mqtt_wire::TopicName;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;

/// The largest packet either side accepts. Without a limit, a 5-byte header could make the
/// codec reserve 256 MiB.
const MAX_PACKET_SIZE: usize = 64 * 1024;

fn codec() -> MqttCodec {
    MqttCodec::new(Decoder::new().max_packet_size(MAX_PACKET_SIZE))
}

async fn serve(stream: TcpStream) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut framed = Framed::new(stream, codec());
    while let Some(received) = framed.next().await {
        let received = match received {
            Ok(packet) => packet,
            Err(error) => {
                // MQTT-4.8.0-1: close the connection. Answer first where the specification
                // asks for a CONNACK (an unsupported protocol level, an empty client id).
                if let Some(code) = error.decode_error().and_then(|e| e.connack_return_code()) {
                    framed
                        .send(Packet::Connack(Connack::new(false, code)?))
                        .await?;
                }
                println!("server: closing: {error}");
                return Ok(());
            }
        };
        println!("server: received {received}");
        match received.packet() {
            Packet::Connect(_) => {
                let connack = Connack::new(false, ConnectReturnCode::Accepted)?;
                framed.send(Packet::Connack(connack)).await?;
            }
            Packet::Pingreq => framed.send(Packet::Pingresp).await?,
            Packet::Publish(publish) => {
                if let Delivery::AtLeastOnce(id) = publish.delivery() {
                    framed.send(Packet::Puback(Puback::new(id))).await?;
                }
            }
            Packet::Disconnect => return Ok(()),
            _ => {}
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?
        .block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await?;
        serve(stream).await
    });

    let mut client = Framed::new(TcpStream::connect(addr).await?, codec());
    client
        .send(Packet::Connect(Connect::new("example", true, 30)?))
        .await?;
    let topic = TopicName::new("sensors/42/temp")?;
    let id = NonZeroU16::new(1).ok_or("zero id")?;
    let publish = Publish::new(topic, Delivery::AtLeastOnce(id), b"21.5")?;
    client.send(Packet::Publish(publish)).await?;
    client.send(Packet::Pingreq).await?;
    for _ in 0..3 {
        match client.next().await {
            Some(reply) => println!("client: received {}", reply?),
            None => break,
        }
    }
    client.send(Packet::Disconnect).await?;
    server.await??;
    Ok(())
}
