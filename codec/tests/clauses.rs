//! One check per normative statement of MQTT 3.1.1 that a codec can enforce: the `codec` and
//! `mixed` rows of the specification's statement list, and the format rules that have only a
//! section number. Each row is an input and what decoding it must give (or a constructor
//! call and what it must refuse). A final test checks the table covers every statement.
//!
//! The rows are meant to be read: where a statement is about a field that is a string, the
//! error cites the most specific rule (`MQTT-1.5.3-1` for ill-formed UTF-8 wherever it is).
//! Such a statement is covered through another clause, and its row says so (`Through`, with
//! the clause the error shows); a row marked `Error` covers its statement directly, citing
//! it. Both are checked, and counted apart (run with `--nocapture` to see the counts).

use std::collections::BTreeSet;

use mqtt_wire::v311::{decode, Connect, ConnectReturnCode, Packet};
use mqtt_wire::{DecodeErrorKind as K, EncodeError, Field, Status, TopicName};
use testkit::wire::{connect, packet};

/// What a row expects.
enum Expect {
    /// Decoding fails with this kind, citing this clause (an id or a section number): the
    /// row's own statement.
    Error(K, &'static str),
    /// Decoding fails with this kind, citing this other clause, the more specific rule the
    /// statement is shown through.
    Through(K, &'static str),
    /// Decoding succeeds and the packet passes this check.
    Packet(fn(&Packet<'_>) -> bool),
    /// A constructor refuses the packet; the function returns its error.
    Refused(fn() -> EncodeError, &'static str),
}

struct Row {
    statement: &'static str,
    input: Vec<u8>,
    expect: Expect,
}

fn row(statement: &'static str, input: Vec<u8>, expect: Expect) -> Row {
    Row {
        statement,
        input,
        expect,
    }
}

fn table() -> Vec<Row> {
    use Expect::{Error, Packet as Ok, Refused, Through};
    vec![
        // Section 1.5.3: UTF-8 strings.
        row(
            "MQTT-1.5.3-1",
            packet(0x30, &[0, 3, 0xED, 0xA0, 0x80]),
            Error(K::InvalidUtf8(Field::TopicName), "MQTT-1.5.3-1"),
        ),
        row(
            "MQTT-1.5.3-2",
            connect(0x02, &[0, 2, b'a', 0]),
            Error(K::NullCharacter(Field::ClientId), "MQTT-1.5.3-2"),
        ),
        row(
            "MQTT-1.5.3-3",
            packet(0x30, &[0, 3, 0xEF, 0xBB, 0xBF]),
            Ok(|p| matches!(p, Packet::Publish(p) if p.topic().as_str() == "\u{feff}")),
        ),
        // Section 2.2: fixed header.
        row(
            "MQTT-2.2.2-1",
            packet(0x41, &[0, 1]),
            Error(K::InvalidFlags, "MQTT-2.2.2-1"),
        ),
        row(
            "MQTT-2.2.2-2",
            packet(0x28, &[0, 0]),
            Through(K::InvalidFlags, "MQTT-2.2.2-1"),
        ),
        row(
            "2.2.3",
            vec![0x30, 0xFF, 0xFF, 0xFF, 0xFF],
            Error(K::RemainingLengthTooLong, "2.2.3"),
        ),
        // Section 2.3.1: packet identifiers.
        row(
            "MQTT-2.3.1-1",
            packet(0x82, &[0, 0, 0, 1, b'a', 0]),
            Error(K::ZeroPacketId, "MQTT-2.3.1-1"),
        ),
        // At QoS 0 the two bytes after the topic are payload, not an identifier.
        row(
            "MQTT-2.3.1-5",
            packet(0x30, &[0, 1, b't', 0, 1]),
            Ok(
                |p| matches!(p, Packet::Publish(p) if p.packet_id().is_none() && p.payload() == [0, 1]),
            ),
        ),
        // Section 3.1: CONNECT.
        row(
            "MQTT-3.1.2-1",
            packet(
                0x10,
                &[0, 6, b'M', b'Q', b'I', b's', b'd', b'p', 3, 2, 0, 0, 0, 0],
            ),
            Error(K::InvalidProtocolName, "MQTT-3.1.2-1"),
        ),
        row(
            "MQTT-3.1.2-2",
            packet(0x10, &[0, 4, b'M', b'Q', b'T', b'T', 3, 2, 0, 0, 0, 0]),
            Error(K::UnsupportedProtocolLevel(3), "MQTT-3.1.2-2"),
        ),
        row(
            "MQTT-3.1.2-3",
            connect(0x03, &[0, 1, b'c']),
            Error(K::ConnectReservedFlag, "MQTT-3.1.2-3"),
        ),
        row(
            "MQTT-3.1.2-9",
            connect(0x06, &[0, 1, b'c']),
            Error(K::Truncated(Field::WillTopic), "MQTT-3.1.2-9"),
        ),
        row(
            "MQTT-3.1.2-11",
            connect(0x02, &[0, 1, b'c', 0, 1, b't', 0, 1, b'm']),
            Error(K::UnflaggedField(Field::WillTopic), "MQTT-3.1.2-11"),
        ),
        row(
            "MQTT-3.1.2-13",
            connect(0x12, &[0, 1, b'c']),
            Error(K::WillQoSWithoutWill, "MQTT-3.1.2-13"),
        ),
        row(
            "MQTT-3.1.2-14",
            connect(0x1E, &[0, 1, b'c', 0, 1, b't', 0, 0]),
            Error(K::InvalidWillQoS, "MQTT-3.1.2-14"),
        ),
        row(
            "MQTT-3.1.2-15",
            connect(0x22, &[0, 1, b'c']),
            Error(K::WillRetainWithoutWill, "MQTT-3.1.2-15"),
        ),
        row(
            "MQTT-3.1.2-18",
            connect(0x06, &[0, 1, b'c', 0, 1, b't', 0, 0, 0, 1, b'u']),
            Error(K::UnflaggedField(Field::Username), "MQTT-3.1.2-18"),
        ),
        row(
            "MQTT-3.1.2-19",
            connect(0x82, &[0, 1, b'c']),
            Error(K::Truncated(Field::Username), "MQTT-3.1.2-19"),
        ),
        row(
            "MQTT-3.1.2-20",
            connect(0x82, &[0, 1, b'c', 0, 1, b'u', 0, 1, b'p']),
            Error(K::UnflaggedField(Field::Password), "MQTT-3.1.2-20"),
        ),
        row(
            "MQTT-3.1.2-21",
            connect(0xC2, &[0, 1, b'c', 0, 1, b'u']),
            Error(K::Truncated(Field::Password), "MQTT-3.1.2-21"),
        ),
        row(
            "MQTT-3.1.2-22",
            connect(0x42, &[0, 1, b'c', 0, 1, b'p']),
            Error(K::PasswordWithoutUsername, "MQTT-3.1.2-22"),
        ),
        // Client id, will topic, will message, user name, password: in that order.
        row(
            "MQTT-3.1.3-1",
            connect(
                0xC6,
                &[0, 1, b'1', 0, 1, b'2', 0, 1, b'3', 0, 1, b'4', 0, 1, b'5'],
            ),
            Ok(|p| {
                let Packet::Connect(c) = p else { return false };
                let will = c.will().unwrap();
                (
                    c.client_id(),
                    will.topic().as_str(),
                    will.message(),
                    c.username(),
                    c.password(),
                ) == ("1", "2", &b"3"[..], Some("4"), Some(&b"5"[..]))
            }),
        ),
        row(
            "MQTT-3.1.3-3",
            connect(0x02, &[0, 3, b'c']),
            Error(K::Truncated(Field::ClientId), "MQTT-3.1.3-3"),
        ),
        row(
            "MQTT-3.1.3-4",
            connect(0x02, &[0, 1, 0xFF]),
            Through(K::InvalidUtf8(Field::ClientId), "MQTT-1.5.3-1"),
        ),
        row(
            "MQTT-3.1.3-5",
            connect(0x00, b"\x00\x170123456789abcdefghijXYZ"),
            Ok(|p| matches!(p, Packet::Connect(c) if c.client_id() == "0123456789abcdefghijXYZ")),
        ),
        row(
            "MQTT-3.1.3-6",
            connect(0x02, &[0, 0]),
            Ok(|p| matches!(p, Packet::Connect(c) if c.client_id().is_empty())),
        ),
        row(
            "MQTT-3.1.3-7",
            vec![],
            Refused(|| Connect::new("", false, 0).unwrap_err(), "MQTT-3.1.3-7"),
        ),
        row(
            "MQTT-3.1.3-8",
            connect(0x00, &[0, 0]),
            Error(K::EmptyClientIdWithoutCleanSession, "MQTT-3.1.3-8"),
        ),
        row(
            "MQTT-3.1.3-10",
            connect(0x06, &[0, 1, b'c', 0, 1, 0x80, 0, 0]),
            Through(K::InvalidUtf8(Field::WillTopic), "MQTT-1.5.3-1"),
        ),
        row(
            "MQTT-3.1.3-11",
            connect(0x82, &[0, 1, b'c', 0, 2, 0xC0, 0x80]),
            Through(K::InvalidUtf8(Field::Username), "MQTT-1.5.3-1"),
        ),
        // A malformed CONNECT gets no CONNACK: connack_return_code() is None (checked below).
        row(
            "MQTT-3.1.4-1",
            connect(0x02, &[0, 1, b'c', 0xFF]),
            Through(K::UnflaggedField(Field::WillTopic), "MQTT-3.1.2-11"),
        ),
        // Section 3.2: CONNACK.
        row(
            "3.2.2.1",
            packet(0x20, &[0x02, 0]),
            Error(K::ConnackReservedFlags, "3.2.2.1"),
        ),
        row(
            "3.2.2.3",
            packet(0x20, &[0, 6]),
            Error(K::InvalidConnectReturnCode(6), "3.2.2.3"),
        ),
        row(
            "MQTT-3.2.2-4",
            packet(0x20, &[1, 4]),
            Error(K::SessionPresentWithError, "MQTT-3.2.2-4"),
        ),
        // Section 3.3: PUBLISH.
        row(
            "MQTT-3.3.1-2",
            packet(0x38, &[0, 1, b't']),
            Error(K::DupWithQoS0, "MQTT-3.3.1-2"),
        ),
        row(
            "MQTT-3.3.1-4",
            packet(0x36, &[0, 1, b't', 0, 1]),
            Error(K::InvalidQoS, "MQTT-3.3.1-4"),
        ),
        row(
            "MQTT-3.3.2-1",
            packet(0x30, &[0, 5, b'a']),
            Error(K::Truncated(Field::TopicName), "MQTT-3.3.2-1"),
        ),
        row(
            "MQTT-3.3.2-2",
            packet(0x30, &[0, 3, b'a', b'/', b'+']),
            Error(K::WildcardInTopicName(Field::TopicName), "MQTT-3.3.2-2"),
        ),
        // Section 3.6: PUBREL.
        row(
            "MQTT-3.6.1-1",
            packet(0x60, &[0, 1]),
            Error(K::InvalidFlags, "MQTT-3.6.1-1"),
        ),
        // Sections 3.8 and 3.9: SUBSCRIBE and SUBACK.
        row(
            "MQTT-3.8.1-1",
            packet(0x83, &[0, 1, 0, 1, b'a', 0]),
            Error(K::InvalidFlags, "MQTT-3.8.1-1"),
        ),
        row(
            "MQTT-3.8.3-1",
            packet(0x82, &[0, 1, 0, 1, 0xFE, 0]),
            Through(K::InvalidUtf8(Field::TopicFilter), "MQTT-1.5.3-1"),
        ),
        row(
            "MQTT-3.8.3-3",
            packet(0x82, &[0, 1]),
            Error(K::NoTopicFilters, "MQTT-3.8.3-3"),
        ),
        row(
            "MQTT-3.8.3-4",
            packet(0x82, &[0, 1, 0, 1, b'a', 0x81]),
            Error(K::SubscriptionReservedBits, "MQTT-3.8.3-4"),
        ),
        row(
            "MQTT-3.9.3-2",
            packet(0x90, &[0, 1, 0x00, 0x03]),
            Error(K::InvalidSubackReturnCode(3), "MQTT-3.9.3-2"),
        ),
        // Section 3.10: UNSUBSCRIBE.
        row(
            "MQTT-3.10.1-1",
            packet(0xA0, &[0, 1, 0, 1, b'a']),
            Error(K::InvalidFlags, "MQTT-3.10.1-1"),
        ),
        row(
            "MQTT-3.10.3-1",
            packet(0xA2, &[0, 1, 0, 2, 0xE2, 0x82]),
            Through(K::InvalidUtf8(Field::TopicFilter), "MQTT-1.5.3-1"),
        ),
        row(
            "MQTT-3.10.3-2",
            packet(0xA2, &[0, 1]),
            Error(K::NoTopicFilters, "MQTT-3.10.3-2"),
        ),
        // Section 3.14: DISCONNECT.
        row(
            "MQTT-3.14.1-1",
            packet(0xE4, &[]),
            Error(K::InvalidFlags, "MQTT-3.14.1-1"),
        ),
        // Section 4.3.1: QoS 0 goes with DUP 0.
        row(
            "MQTT-4.3.1-1",
            packet(0x39, &[0, 1, b't']),
            Through(K::DupWithQoS0, "MQTT-3.3.1-2"),
        ),
        // Section 4.7: topics.
        row(
            "MQTT-4.7.1-1",
            connect(0x06, &[0, 1, b'c', 0, 3, b'a', b'/', b'#', 0, 0]),
            Error(K::WildcardInTopicName(Field::WillTopic), "MQTT-4.7.1-1"),
        ),
        row(
            "MQTT-4.7.1-2",
            packet(0xA2, &[0, 1, 0, 3, b'#', b'/', b'a']),
            Error(K::MisplacedMultiLevelWildcard, "MQTT-4.7.1-2"),
        ),
        row(
            "MQTT-4.7.1-3",
            packet(0x82, &[0, 1, 0, 3, b'a', b'+', b'b', 1]),
            Error(K::MisplacedSingleLevelWildcard, "MQTT-4.7.1-3"),
        ),
        row(
            "MQTT-4.7.3-1",
            packet(0x82, &[0, 1, 0, 0, 1, 0]),
            Error(K::EmptyTopic(Field::TopicFilter), "MQTT-4.7.3-1"),
        ),
        row(
            "MQTT-4.7.3-2",
            packet(0x30, &[0, 3, b'a', 0, b'b']),
            Error(K::NullCharacter(Field::TopicName), "MQTT-4.7.3-2"),
        ),
        // A two-byte length cannot say more than 65,535 on the wire; constructors refuse it.
        row(
            "MQTT-4.7.3-3",
            vec![],
            Refused(
                || TopicName::new(&"a".repeat(65_536)).unwrap_err(),
                "MQTT-4.7.3-3",
            ),
        ),
        // Section 4.8: a protocol violation closes the connection; every error says so.
        row(
            "MQTT-4.8.0-1",
            vec![0xF0],
            Through(K::InvalidPacketType, "2.2.1"),
        ),
    ]
}

#[test]
fn every_statement_row_holds() {
    let mut failures = Vec::new();
    for row in table() {
        let outcome = decode(&row.input);
        // A row marked direct cites its own statement; a row shown through another clause
        // names another one.
        match &row.expect {
            Expect::Error(_, clause) | Expect::Refused(_, clause) if *clause != row.statement => {
                failures.push(format!(
                    "{}: marked as covered directly, but names {clause}: mark it `Through`",
                    row.statement
                ));
            }
            Expect::Through(_, clause) if *clause == row.statement => {
                failures.push(format!(
                    "{}: marked as shown through another clause, but names itself",
                    row.statement
                ));
            }
            _ => {}
        }
        let ok = match (&row.expect, &outcome) {
            (Expect::Error(kind, clause) | Expect::Through(kind, clause), Err(e)) => {
                // Only the two CONNECT conditions that a server answers carry a CONNACK code.
                let answered = matches!(
                    kind,
                    K::UnsupportedProtocolLevel(_) | K::EmptyClientIdWithoutCleanSession
                );
                // The error's own clause is the one the row shows.
                e.kind() == *kind
                    && e.clause().as_str() == *clause
                    && e.connack_return_code().is_some() == answered
            }
            (Expect::Packet(check), Ok(Status::Complete((packet, used)))) => {
                *used == row.input.len() && check(packet)
            }
            (Expect::Refused(make, clause), _) => {
                mqtt_wire::v311::encode_clause(&make()).map(|c| c.as_str()) == Some(*clause)
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{}: input {:02x?} gave {:?}",
                row.statement, row.input, outcome
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn connack_codes_for_the_answered_conditions() {
    let level = decode(&packet(
        0x10,
        &[0, 4, b'M', b'Q', b'T', b'T', 3, 2, 0, 0, 0, 0],
    ))
    .unwrap_err();
    assert_eq!(
        level.connack_return_code(),
        Some(ConnectReturnCode::UnacceptableProtocolVersion)
    );
    let empty_id = decode(&connect(0x00, &[0, 0])).unwrap_err();
    assert_eq!(
        empty_id.connack_return_code(),
        Some(ConnectReturnCode::IdentifierRejected)
    );
}

/// The `codec` and `mixed` statements of MQTT 3.1.1, copied from the specification's
/// statement list, and the sections of the format rules without ids.
const STATEMENTS: &[&str] = &[
    "MQTT-1.5.3-1",
    "MQTT-1.5.3-2",
    "MQTT-1.5.3-3",
    "MQTT-2.2.2-1",
    "MQTT-2.2.2-2",
    "MQTT-2.3.1-1",
    "MQTT-2.3.1-5",
    "MQTT-3.1.2-1",
    "MQTT-3.1.2-2",
    "MQTT-3.1.2-3",
    "MQTT-3.1.2-9",
    "MQTT-3.1.2-11",
    "MQTT-3.1.2-13",
    "MQTT-3.1.2-14",
    "MQTT-3.1.2-15",
    "MQTT-3.1.2-18",
    "MQTT-3.1.2-19",
    "MQTT-3.1.2-20",
    "MQTT-3.1.2-21",
    "MQTT-3.1.2-22",
    "MQTT-3.1.3-1",
    "MQTT-3.1.3-3",
    "MQTT-3.1.3-4",
    "MQTT-3.1.3-5",
    "MQTT-3.1.3-6",
    "MQTT-3.1.3-7",
    "MQTT-3.1.3-8",
    "MQTT-3.1.3-10",
    "MQTT-3.1.3-11",
    "MQTT-3.1.4-1",
    "MQTT-3.2.2-4",
    "MQTT-3.3.1-2",
    "MQTT-3.3.1-4",
    "MQTT-3.3.2-1",
    "MQTT-3.3.2-2",
    "MQTT-3.6.1-1",
    "MQTT-3.8.1-1",
    "MQTT-3.8.3-1",
    "MQTT-3.8.3-3",
    "MQTT-3.8.3-4",
    "MQTT-3.9.3-2",
    "MQTT-3.10.1-1",
    "MQTT-3.10.3-1",
    "MQTT-3.10.3-2",
    "MQTT-3.14.1-1",
    "MQTT-4.3.1-1",
    "MQTT-4.7.1-1",
    "MQTT-4.7.1-2",
    "MQTT-4.7.1-3",
    "MQTT-4.7.3-1",
    "MQTT-4.7.3-2",
    "MQTT-4.7.3-3",
    "MQTT-4.8.0-1",
    "2.2.3",
    "3.2.2.1",
    "3.2.2.3",
];

#[test]
fn the_table_covers_every_statement_once() {
    let table = table();
    let rows: Vec<&str> = table.iter().map(|r| r.statement).collect();
    let unique: BTreeSet<&str> = rows.iter().copied().collect();
    assert_eq!(unique.len(), rows.len(), "a statement has two rows");
    let expected: BTreeSet<&str> = STATEMENTS.iter().copied().collect();
    assert_eq!(expected.len(), 53 + 3);
    assert_eq!(unique, expected);

    // Direct and indirect coverage, apart. The counts are pinned: a statement that moves from
    // one to the other is a change to make on purpose.
    let through: Vec<String> = table
        .iter()
        .filter_map(|r| match r.expect {
            Expect::Through(_, shown) => Some(format!("{} (through {shown})", r.statement)),
            _ => None,
        })
        .collect();
    let direct = table.len() - through.len();
    println!(
        "{} statements: {direct} covered directly, {} through another clause: {}",
        table.len(),
        through.len(),
        through.join(", ")
    );
    assert_eq!((direct, through.len()), (47, 9));
}
