//! The scenario file format (`vectors/scenarios/README.md`): the types a file is read into.
//! Unknown fields are an error at every level.

use serde::Deserialize;
use serde_json::Value;

/// The format version this crate reads.
pub const FORMAT_VERSION: u64 = 1;

/// One file of scenarios: one behaviour area of one protocol version.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// [`FORMAT_VERSION`].
    pub format_version: u64,
    /// `"3.1.1"` or `"5.0"`.
    pub protocol: String,
    /// The file's name without `.json`; every scenario id starts with it.
    pub name: String,
    /// What the file's scenarios are about.
    pub description: String,
    /// The scenarios.
    pub scenarios: Vec<Scenario>,
}

/// One scenario: connections, steps, and the behaviour statements it shows.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique in the suite, lower-case words joined by `-`, starting with the file's name.
    pub id: String,
    /// One line: what the scenario shows.
    pub description: String,
    /// Statement ids of the standard that the scenario shows (never a `codec` one).
    pub statements: Vec<String>,
    /// The names of the client connections the steps use.
    pub connections: Vec<String>,
    /// The steps, run in order; the first that fails ends the scenario.
    pub steps: Vec<Step>,
}

/// Milliseconds an expectation waits when the step does not say.
pub const DEFAULT_WITHIN_MS: u64 = 2000;

/// One step.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Opens a TCP connection to the broker under this name (again after a `drop`).
    Open {
        /// The connection.
        conn: String,
    },
    /// Sends a packet: a model (`packet`) or raw bytes (`hex`), exactly one of them.
    Send {
        /// The connection.
        conn: String,
        /// The packet model, in which `{"$var": name}` stands for a value bound earlier.
        #[serde(default)]
        packet: Option<Value>,
        /// Raw bytes, for packets the model cannot hold (malformed ones).
        #[serde(default)]
        hex: Option<String>,
    },
    /// Expects these packets next on the connection, each matching its pattern.
    Expect {
        /// The connection.
        conn: String,
        /// Patterns (`vectors/scenarios/README.md`, "Patterns").
        packets: Vec<Value>,
        /// `sequence` (the default): in this order; `any`: in any order.
        #[serde(default)]
        order: Order,
        /// How long the packets may take, in all (default [`DEFAULT_WITHIN_MS`]).
        #[serde(default)]
        within_ms: Option<u64>,
        /// Patterns of packets the broker may also send meanwhile (the standard lets it),
        /// skipped when they come.
        #[serde(default)]
        ignore: Vec<Value>,
    },
    /// Expects the broker to close the connection, after at most one of the packets in
    /// `may_send_first` (a 5.0 DISCONNECT with a given reason code, a CONNACK refusal).
    Closed {
        /// The connection.
        conn: String,
        /// Patterns of the packets, at most one of which may come before the close.
        #[serde(default)]
        may_send_first: Vec<Value>,
        /// Whether one of `may_send_first` must come (default: it may).
        #[serde(default)]
        must_send_first: bool,
        /// How long the close may take (default [`DEFAULT_WITHIN_MS`]).
        #[serde(default)]
        within_ms: Option<u64>,
    },
    /// Expects nothing on the connection for this long (and the connection to stay open).
    Silence {
        /// The connection.
        conn: String,
        /// How long, in milliseconds.
        ms: u64,
    },
    /// Waits.
    Wait {
        /// How long, in milliseconds.
        ms: u64,
    },
    /// Closes the TCP connection without a DISCONNECT (what a network failure looks like to
    /// the broker).
    Drop {
        /// The connection.
        conn: String,
    },
}

/// The order rule of an `expect` step.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// In the order given.
    #[default]
    Sequence,
    /// In any order.
    Any,
}

impl Step {
    /// The step's kind, as files write it.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Open { .. } => "open",
            Step::Send { .. } => "send",
            Step::Expect { .. } => "expect",
            Step::Closed { .. } => "closed",
            Step::Silence { .. } => "silence",
            Step::Wait { .. } => "wait",
            Step::Drop { .. } => "drop",
        }
    }

    /// The connection the step uses, if any.
    pub fn conn(&self) -> Option<&str> {
        match self {
            Step::Open { conn }
            | Step::Send { conn, .. }
            | Step::Expect { conn, .. }
            | Step::Closed { conn, .. }
            | Step::Silence { conn, .. }
            | Step::Drop { conn } => Some(conn),
            Step::Wait { .. } => None,
        }
    }

    /// Whether the step checks something the broker does (a scenario without one shows
    /// nothing).
    pub fn checks(&self) -> bool {
        matches!(
            self,
            Step::Expect { .. } | Step::Closed { .. } | Step::Silence { .. }
        )
    }
}
