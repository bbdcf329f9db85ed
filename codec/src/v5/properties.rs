//! Properties (MQTT 5.0 section 2.2.2): the identifiers of Table 2-4, their types, the
//! packets that may carry each, and the block that holds them.
//!
//! A decoded block is checked from end to end once, then kept as its bytes: iterating reads
//! the properties back in wire order (User Properties and repeated Subscription Identifiers
//! as they came), and the typed accessors find the single ones. A block built by a caller
//! borrows the caller's slice of [`Property`] values, checked by the packet's constructor.

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header;
use crate::reader::Reader;
use crate::text;
use crate::topic;
use crate::v5::Decoder;
use crate::writer::Sink;
use crate::PacketType;

/// The value type of a property (section 2.2.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Type {
    Byte,
    TwoByte,
    FourByte,
    VarInt,
    Text,
    Binary,
    Pair,
}

/// Where a property block stands: a packet's variable header, or a CONNECT's Will Properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The variable header of a packet of this type.
    Packet(PacketType),
    /// The Will Properties of a CONNECT.
    Will,
}

macro_rules! properties {
    ($($variant:ident = $id:literal, $name:literal, $ty:ident;)*) => {
        /// A property identifier of Table 2-4.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum PropertyId {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant = $id,
            )*
        }

        impl PropertyId {
            /// The identifier for a number; `None` for numbers Table 2-4 does not define.
            ///
            /// ```
            /// use mqtt_wire::v5::PropertyId;
            ///
            /// assert_eq!(PropertyId::from_u8(0x23), Some(PropertyId::TopicAlias));
            /// assert_eq!(PropertyId::from_u8(0x04), None);
            /// ```
            pub const fn from_u8(id: u8) -> Option<PropertyId> {
                match id {
                    $($id => Some(PropertyId::$variant),)*
                    _ => None,
                }
            }

            /// The name this project uses for it (kebab case, as in the vectors).
            ///
            /// ```
            /// assert_eq!(mqtt_wire::v5::PropertyId::TopicAlias.name(), "topic-alias");
            /// ```
            pub const fn name(self) -> &'static str {
                match self {
                    $(PropertyId::$variant => $name,)*
                }
            }

            pub(crate) const fn value_type(self) -> Type {
                match self {
                    $(PropertyId::$variant => Type::$ty,)*
                }
            }
        }
    };
}

properties! {
    PayloadFormatIndicator = 0x01, "payload-format-indicator", Byte;
    MessageExpiryInterval = 0x02, "message-expiry-interval", FourByte;
    ContentType = 0x03, "content-type", Text;
    ResponseTopic = 0x08, "response-topic", Text;
    CorrelationData = 0x09, "correlation-data", Binary;
    SubscriptionIdentifier = 0x0B, "subscription-identifier", VarInt;
    SessionExpiryInterval = 0x11, "session-expiry-interval", FourByte;
    AssignedClientIdentifier = 0x12, "assigned-client-identifier", Text;
    ServerKeepAlive = 0x13, "server-keep-alive", TwoByte;
    AuthenticationMethod = 0x15, "authentication-method", Text;
    AuthenticationData = 0x16, "authentication-data", Binary;
    RequestProblemInformation = 0x17, "request-problem-information", Byte;
    WillDelayInterval = 0x18, "will-delay-interval", FourByte;
    RequestResponseInformation = 0x19, "request-response-information", Byte;
    ResponseInformation = 0x1A, "response-information", Text;
    ServerReference = 0x1C, "server-reference", Text;
    ReasonString = 0x1F, "reason-string", Text;
    ReceiveMaximum = 0x21, "receive-maximum", TwoByte;
    TopicAliasMaximum = 0x22, "topic-alias-maximum", TwoByte;
    TopicAlias = 0x23, "topic-alias", TwoByte;
    MaximumQoS = 0x24, "maximum-qos", Byte;
    RetainAvailable = 0x25, "retain-available", Byte;
    UserProperty = 0x26, "user-property", Pair;
    MaximumPacketSize = 0x27, "maximum-packet-size", FourByte;
    WildcardSubscriptionAvailable = 0x28, "wildcard-subscription-available", Byte;
    SubscriptionIdentifierAvailable = 0x29, "subscription-identifier-available", Byte;
    SharedSubscriptionAvailable = 0x2A, "shared-subscription-available", Byte;
}

impl PropertyId {
    /// Whether a block at `place` may carry this property (Table 2-4).
    pub(crate) const fn allowed_in(self, place: Place) -> bool {
        use PacketType as P;
        use PropertyId as I;
        let packet = match place {
            Place::Will => {
                return matches!(
                    self,
                    I::PayloadFormatIndicator
                        | I::MessageExpiryInterval
                        | I::ContentType
                        | I::ResponseTopic
                        | I::CorrelationData
                        | I::WillDelayInterval
                        | I::UserProperty
                )
            }
            Place::Packet(packet) => packet,
        };
        match self {
            I::UserProperty => !matches!(packet, P::Pingreq | P::Pingresp),
            I::PayloadFormatIndicator
            | I::MessageExpiryInterval
            | I::ContentType
            | I::ResponseTopic
            | I::CorrelationData
            | I::TopicAlias => matches!(packet, P::Publish),
            I::SubscriptionIdentifier => matches!(packet, P::Publish | P::Subscribe),
            I::SessionExpiryInterval => matches!(packet, P::Connect | P::Connack | P::Disconnect),
            I::AuthenticationMethod | I::AuthenticationData => {
                matches!(packet, P::Connect | P::Connack | P::Auth)
            }
            I::RequestProblemInformation | I::RequestResponseInformation => {
                matches!(packet, P::Connect)
            }
            I::ReceiveMaximum | I::TopicAliasMaximum | I::MaximumPacketSize => {
                matches!(packet, P::Connect | P::Connack)
            }
            I::AssignedClientIdentifier
            | I::ServerKeepAlive
            | I::ResponseInformation
            | I::MaximumQoS
            | I::RetainAvailable
            | I::WildcardSubscriptionAvailable
            | I::SubscriptionIdentifierAvailable
            | I::SharedSubscriptionAvailable => matches!(packet, P::Connack),
            I::ServerReference => matches!(packet, P::Connack | P::Disconnect),
            I::ReasonString => matches!(
                packet,
                P::Connack
                    | P::Puback
                    | P::Pubrec
                    | P::Pubrel
                    | P::Pubcomp
                    | P::Suback
                    | P::Unsuback
                    | P::Disconnect
                    | P::Auth
            ),
            I::WillDelayInterval => false,
        }
    }

    /// Whether a block may hold more than one: User Property anywhere, Subscription
    /// Identifier in PUBLISH.
    pub(crate) const fn repeats_in(self, place: Place) -> bool {
        match self {
            PropertyId::UserProperty => true,
            PropertyId::SubscriptionIdentifier => {
                matches!(place, Place::Packet(PacketType::Publish))
            }
            _ => false,
        }
    }
}

impl fmt::Display for PropertyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One property with its value.
///
/// `Debug` shows Authentication Data by its length only: it may hold credentials.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Property<'a> {
    /// 0x01: 0 (unspecified bytes) or 1 (UTF-8).
    PayloadFormatIndicator(u8),
    /// 0x02: seconds.
    MessageExpiryInterval(u32),
    /// 0x03
    ContentType(&'a str),
    /// 0x08: a topic name.
    ResponseTopic(&'a str),
    /// 0x09
    CorrelationData(&'a [u8]),
    /// 0x0B: 1 to 268,435,455.
    SubscriptionIdentifier(u32),
    /// 0x11: seconds.
    SessionExpiryInterval(u32),
    /// 0x12
    AssignedClientIdentifier(&'a str),
    /// 0x13: seconds.
    ServerKeepAlive(u16),
    /// 0x15
    AuthenticationMethod(&'a str),
    /// 0x16
    AuthenticationData(&'a [u8]),
    /// 0x17: 0 or 1.
    RequestProblemInformation(u8),
    /// 0x18: seconds.
    WillDelayInterval(u32),
    /// 0x19: 0 or 1.
    RequestResponseInformation(u8),
    /// 0x1A
    ResponseInformation(&'a str),
    /// 0x1C
    ServerReference(&'a str),
    /// 0x1F
    ReasonString(&'a str),
    /// 0x21: not 0.
    ReceiveMaximum(u16),
    /// 0x22
    TopicAliasMaximum(u16),
    /// 0x23: not 0.
    TopicAlias(u16),
    /// 0x24: 0 or 1.
    MaximumQoS(u8),
    /// 0x25: 0 or 1.
    RetainAvailable(u8),
    /// 0x26: a key and a value.
    UserProperty(&'a str, &'a str),
    /// 0x27: not 0.
    MaximumPacketSize(u32),
    /// 0x28: 0 or 1.
    WildcardSubscriptionAvailable(u8),
    /// 0x29: 0 or 1.
    SubscriptionIdentifierAvailable(u8),
    /// 0x2A: 0 or 1.
    SharedSubscriptionAvailable(u8),
}

/// A property's value, by type, for the code that reads and writes them all alike.
pub(crate) enum Value<'a> {
    Int(u32),
    Text(&'a str),
    Binary(&'a [u8]),
    Pair(&'a str, &'a str),
}

impl<'a> Property<'a> {
    /// The property's identifier.
    pub const fn id(&self) -> PropertyId {
        use Property as P;
        use PropertyId as I;
        match self {
            P::PayloadFormatIndicator(_) => I::PayloadFormatIndicator,
            P::MessageExpiryInterval(_) => I::MessageExpiryInterval,
            P::ContentType(_) => I::ContentType,
            P::ResponseTopic(_) => I::ResponseTopic,
            P::CorrelationData(_) => I::CorrelationData,
            P::SubscriptionIdentifier(_) => I::SubscriptionIdentifier,
            P::SessionExpiryInterval(_) => I::SessionExpiryInterval,
            P::AssignedClientIdentifier(_) => I::AssignedClientIdentifier,
            P::ServerKeepAlive(_) => I::ServerKeepAlive,
            P::AuthenticationMethod(_) => I::AuthenticationMethod,
            P::AuthenticationData(_) => I::AuthenticationData,
            P::RequestProblemInformation(_) => I::RequestProblemInformation,
            P::WillDelayInterval(_) => I::WillDelayInterval,
            P::RequestResponseInformation(_) => I::RequestResponseInformation,
            P::ResponseInformation(_) => I::ResponseInformation,
            P::ServerReference(_) => I::ServerReference,
            P::ReasonString(_) => I::ReasonString,
            P::ReceiveMaximum(_) => I::ReceiveMaximum,
            P::TopicAliasMaximum(_) => I::TopicAliasMaximum,
            P::TopicAlias(_) => I::TopicAlias,
            P::MaximumQoS(_) => I::MaximumQoS,
            P::RetainAvailable(_) => I::RetainAvailable,
            P::UserProperty(..) => I::UserProperty,
            P::MaximumPacketSize(_) => I::MaximumPacketSize,
            P::WildcardSubscriptionAvailable(_) => I::WildcardSubscriptionAvailable,
            P::SubscriptionIdentifierAvailable(_) => I::SubscriptionIdentifierAvailable,
            P::SharedSubscriptionAvailable(_) => I::SharedSubscriptionAvailable,
        }
    }

    pub(crate) fn value(&self) -> Value<'a> {
        use Property as P;
        match *self {
            P::PayloadFormatIndicator(v)
            | P::RequestProblemInformation(v)
            | P::RequestResponseInformation(v)
            | P::MaximumQoS(v)
            | P::RetainAvailable(v)
            | P::WildcardSubscriptionAvailable(v)
            | P::SubscriptionIdentifierAvailable(v)
            | P::SharedSubscriptionAvailable(v) => Value::Int(u32::from(v)),
            P::ServerKeepAlive(v)
            | P::ReceiveMaximum(v)
            | P::TopicAliasMaximum(v)
            | P::TopicAlias(v) => Value::Int(u32::from(v)),
            P::MessageExpiryInterval(v)
            | P::SubscriptionIdentifier(v)
            | P::SessionExpiryInterval(v)
            | P::WillDelayInterval(v)
            | P::MaximumPacketSize(v) => Value::Int(v),
            P::ContentType(s)
            | P::ResponseTopic(s)
            | P::AssignedClientIdentifier(s)
            | P::AuthenticationMethod(s)
            | P::ResponseInformation(s)
            | P::ServerReference(s)
            | P::ReasonString(s) => Value::Text(s),
            P::CorrelationData(b) | P::AuthenticationData(b) => Value::Binary(b),
            P::UserProperty(k, v) => Value::Pair(k, v),
        }
    }

    /// Builds a property from its identifier and a value read from validated bytes.
    pub(crate) fn from_parts(id: PropertyId, value: Value<'a>) -> Option<Property<'a>> {
        use Property as P;
        use PropertyId as I;
        let byte = |v: u32| u8::try_from(v).ok();
        let two = |v: u32| u16::try_from(v).ok();
        Some(match (id, value) {
            (I::PayloadFormatIndicator, Value::Int(v)) => P::PayloadFormatIndicator(byte(v)?),
            (I::MessageExpiryInterval, Value::Int(v)) => P::MessageExpiryInterval(v),
            (I::ContentType, Value::Text(s)) => P::ContentType(s),
            (I::ResponseTopic, Value::Text(s)) => P::ResponseTopic(s),
            (I::CorrelationData, Value::Binary(b)) => P::CorrelationData(b),
            (I::SubscriptionIdentifier, Value::Int(v)) => P::SubscriptionIdentifier(v),
            (I::SessionExpiryInterval, Value::Int(v)) => P::SessionExpiryInterval(v),
            (I::AssignedClientIdentifier, Value::Text(s)) => P::AssignedClientIdentifier(s),
            (I::ServerKeepAlive, Value::Int(v)) => P::ServerKeepAlive(two(v)?),
            (I::AuthenticationMethod, Value::Text(s)) => P::AuthenticationMethod(s),
            (I::AuthenticationData, Value::Binary(b)) => P::AuthenticationData(b),
            (I::RequestProblemInformation, Value::Int(v)) => P::RequestProblemInformation(byte(v)?),
            (I::WillDelayInterval, Value::Int(v)) => P::WillDelayInterval(v),
            (I::RequestResponseInformation, Value::Int(v)) => {
                P::RequestResponseInformation(byte(v)?)
            }
            (I::ResponseInformation, Value::Text(s)) => P::ResponseInformation(s),
            (I::ServerReference, Value::Text(s)) => P::ServerReference(s),
            (I::ReasonString, Value::Text(s)) => P::ReasonString(s),
            (I::ReceiveMaximum, Value::Int(v)) => P::ReceiveMaximum(two(v)?),
            (I::TopicAliasMaximum, Value::Int(v)) => P::TopicAliasMaximum(two(v)?),
            (I::TopicAlias, Value::Int(v)) => P::TopicAlias(two(v)?),
            (I::MaximumQoS, Value::Int(v)) => P::MaximumQoS(byte(v)?),
            (I::RetainAvailable, Value::Int(v)) => P::RetainAvailable(byte(v)?),
            (I::UserProperty, Value::Pair(k, v)) => P::UserProperty(k, v),
            (I::MaximumPacketSize, Value::Int(v)) => P::MaximumPacketSize(v),
            (I::WildcardSubscriptionAvailable, Value::Int(v)) => {
                P::WildcardSubscriptionAvailable(byte(v)?)
            }
            (I::SubscriptionIdentifierAvailable, Value::Int(v)) => {
                P::SubscriptionIdentifierAvailable(byte(v)?)
            }
            (I::SharedSubscriptionAvailable, Value::Int(v)) => {
                P::SharedSubscriptionAvailable(byte(v)?)
            }
            _ => return None,
        })
    }

    /// The property's size on the wire: identifier and value.
    fn wire_len(&self) -> usize {
        use Property as P;
        1 + match *self {
            P::PayloadFormatIndicator(_)
            | P::RequestProblemInformation(_)
            | P::RequestResponseInformation(_)
            | P::MaximumQoS(_)
            | P::RetainAvailable(_)
            | P::WildcardSubscriptionAvailable(_)
            | P::SubscriptionIdentifierAvailable(_)
            | P::SharedSubscriptionAvailable(_) => 1,
            P::ServerKeepAlive(_)
            | P::ReceiveMaximum(_)
            | P::TopicAliasMaximum(_)
            | P::TopicAlias(_) => 2,
            P::MessageExpiryInterval(_)
            | P::SessionExpiryInterval(_)
            | P::WillDelayInterval(_)
            | P::MaximumPacketSize(_) => 4,
            P::SubscriptionIdentifier(v) => header::remaining_length_len(v as usize),
            P::ContentType(s)
            | P::ResponseTopic(s)
            | P::AssignedClientIdentifier(s)
            | P::AuthenticationMethod(s)
            | P::ResponseInformation(s)
            | P::ServerReference(s)
            | P::ReasonString(s) => 2 + s.len(),
            P::CorrelationData(b) | P::AuthenticationData(b) => 2 + b.len(),
            P::UserProperty(k, v) => 4 + k.len() + v.len(),
        }
    }

    /// Writes the identifier and the value: one match on the property, each arm a few
    /// stores.
    #[inline]
    fn write<S: Sink>(&self, sink: &mut S) {
        use Property as P;
        let id = self.id() as u8;
        match *self {
            P::PayloadFormatIndicator(v)
            | P::RequestProblemInformation(v)
            | P::RequestResponseInformation(v)
            | P::MaximumQoS(v)
            | P::RetainAvailable(v)
            | P::WildcardSubscriptionAvailable(v)
            | P::SubscriptionIdentifierAvailable(v)
            | P::SharedSubscriptionAvailable(v) => sink.put_array([id, v]),
            P::ServerKeepAlive(v)
            | P::ReceiveMaximum(v)
            | P::TopicAliasMaximum(v)
            | P::TopicAlias(v) => {
                let [a, b] = v.to_be_bytes();
                sink.put_array([id, a, b]);
            }
            P::MessageExpiryInterval(v)
            | P::SessionExpiryInterval(v)
            | P::WillDelayInterval(v)
            | P::MaximumPacketSize(v) => {
                let [a, b, c, d] = v.to_be_bytes();
                sink.put_array([id, a, b, c, d]);
            }
            P::SubscriptionIdentifier(v) => {
                sink.put_u8(id);
                put_var_int(sink, v as usize);
            }
            P::ContentType(s)
            | P::ResponseTopic(s)
            | P::AssignedClientIdentifier(s)
            | P::AuthenticationMethod(s)
            | P::ResponseInformation(s)
            | P::ServerReference(s)
            | P::ReasonString(s) => {
                sink.put_u8(id);
                sink.put_prefixed(s.as_bytes());
            }
            P::CorrelationData(b) | P::AuthenticationData(b) => {
                sink.put_u8(id);
                sink.put_prefixed(b);
            }
            P::UserProperty(k, v) => {
                sink.put_u8(id);
                sink.put_prefixed(k.as_bytes());
                sink.put_prefixed(v.as_bytes());
            }
        }
    }

    /// The rules one property's value must follow wherever it is (section 3's definition of
    /// each), for built properties: what the decoder refuses, a constructor refuses.
    fn check_value(&self) -> Result<(), EncodeError> {
        let id = self.id();
        let invalid = Err(EncodeError::InvalidPropertyValue(id as u8));
        match self.value() {
            Value::Int(v) => {
                let ok = match id.value_type() {
                    Type::Byte => v <= 1,
                    Type::VarInt => (1..=header::MAX_REMAINING_LENGTH as u32).contains(&v),
                    _ => v != 0 || !zero_forbidden(id),
                };
                if !ok {
                    return invalid;
                }
            }
            Value::Text(s) => {
                text::check_str(s, Field::Property(id as u8))?;
                if id == PropertyId::ResponseTopic {
                    topic::check_name(s.as_bytes())
                        .map_err(|e| e.into_encode_error(Field::Property(id as u8)))?;
                }
            }
            Value::Binary(b) => text::check_len(b, Field::Property(id as u8))?,
            Value::Pair(k, v) => {
                text::check_str(k, Field::Property(id as u8))?;
                text::check_str(v, Field::Property(id as u8))?;
            }
        }
        Ok(())
    }
}

/// Two and four byte properties whose value 0 is a Protocol Error.
const fn zero_forbidden(id: PropertyId) -> bool {
    matches!(
        id,
        PropertyId::ReceiveMaximum | PropertyId::TopicAlias | PropertyId::MaximumPacketSize
    )
}

impl fmt::Debug for Property<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value() {
            _ if self.id() == PropertyId::AuthenticationData => {
                write!(f, "{}(***)", self.id().name())
            }
            Value::Int(v) => write!(f, "{}({v})", self.id().name()),
            Value::Text(s) => write!(f, "{}({s:?})", self.id().name()),
            Value::Binary(b) => write!(f, "{}({} bytes)", self.id().name(), b.len()),
            Value::Pair(k, v) => write!(f, "{}({k:?}, {v:?})", self.id().name()),
        }
    }
}

/// Writes a Variable Byte Integer (section 1.5.5), minimal.
pub(crate) fn put_var_int<S: Sink>(sink: &mut S, mut value: usize) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            sink.put_u8(byte);
            return;
        }
        sink.put_u8(byte | 0x80);
    }
}

#[derive(Clone, Copy)]
enum Source<'a> {
    /// A validated block's bytes (after the property length).
    Wire(&'a [u8]),
    /// A caller's properties, checked by the packet's constructor, and their size on the
    /// wire (computed once).
    Items(&'a [Property<'a>], usize),
}

/// A property block, in wire order.
///
/// ```
/// use mqtt_wire::v5::{self, Packet, Property, PropertyId};
///
/// // PUBLISH to "t" with Topic Alias 3 and User Properties ("a", "1") and ("a", "2").
/// let bytes = [
///     0x30, 0x15, 0x00, 0x01, b't', 0x11, 0x23, 0x00, 0x03, 0x26, 0x00, 0x01, b'a', 0x00, 0x01,
///     b'1', 0x26, 0x00, 0x01, b'a', 0x00, 0x01, b'2',
/// ];
/// let (packet, _) = v5::decode(&bytes)?.complete().unwrap();
/// let Packet::Publish(publish) = packet else { unreachable!() };
/// let properties = publish.properties();
/// assert_eq!(properties.topic_alias(), Some(3));
/// let users: Vec<_> = properties.user_properties().collect();
/// assert_eq!(users, [("a", "1"), ("a", "2")]); // wire order, repeated keys kept
/// assert_eq!(properties.iter().next().map(|p| p.id()), Some(PropertyId::TopicAlias));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Properties<'a> {
    source: Source<'a>,
}

impl<'a> Properties<'a> {
    /// No properties.
    pub const EMPTY: Properties<'static> = Properties {
        source: Source::Items(&[], 0),
    };

    /// Properties given by the caller. The packet constructors that take them check them
    /// for the packet (allowed there, no forbidden duplicate, every value allowed).
    pub fn new(items: &'a [Property<'a>]) -> Self {
        Properties {
            source: Source::Items(items, items.iter().map(Property::wire_len).sum()),
        }
    }

    pub(crate) const fn from_wire(bytes: &'a [u8]) -> Self {
        Properties {
            source: Source::Wire(bytes),
        }
    }

    /// The properties in wire order.
    pub fn iter(&self) -> PropertyIter<'a> {
        PropertyIter {
            source: self.source,
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The first property with this identifier.
    pub fn get(&self, id: PropertyId) -> Option<Property<'a>> {
        self.iter().find(|p| p.id() == id)
    }

    /// The User Properties, in wire order, repeated keys kept.
    pub fn user_properties(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.iter().filter_map(|p| match p {
            Property::UserProperty(k, v) => Some((k, v)),
            _ => None,
        })
    }

    /// The Subscription Identifiers, in wire order (a PUBLISH may carry several).
    pub fn subscription_identifiers(&self) -> impl Iterator<Item = u32> + 'a {
        self.iter().filter_map(|p| match p {
            Property::SubscriptionIdentifier(v) => Some(v),
            _ => None,
        })
    }

    /// The block's size after the property length.
    pub(crate) fn block_len(&self) -> usize {
        match self.source {
            Source::Wire(bytes) => bytes.len(),
            Source::Items(_, len) => len,
        }
    }

    /// The property length and the block.
    pub(crate) fn wire_len(&self) -> usize {
        let len = self.block_len();
        header::remaining_length_len(len) + len
    }

    pub(crate) fn write<S: Sink>(&self, sink: &mut S) {
        put_var_int(sink, self.block_len());
        match self.source {
            Source::Wire(bytes) => sink.put(bytes),
            Source::Items(items, _) => items.iter().for_each(|p| p.write(sink)),
        }
    }

    /// Checks caller-given properties for a block at `place`: what the decoder would refuse
    /// there, a constructor refuses.
    pub(crate) fn check(&self, place: Place) -> Result<(), EncodeError> {
        let mut seen = 0u64;
        let mut method = false;
        let mut data = false;
        for p in self.iter() {
            let id = p.id();
            if !id.allowed_in(place) {
                return Err(EncodeError::PropertyNotAllowed(id as u8));
            }
            let bit = 1u64 << (id as u8 & 63);
            if seen & bit != 0 && !id.repeats_in(place) {
                return Err(EncodeError::DuplicateProperty(id as u8));
            }
            seen |= bit;
            method |= id == PropertyId::AuthenticationMethod;
            data |= id == PropertyId::AuthenticationData;
            p.check_value()?;
        }
        if data && !method {
            return Err(EncodeError::MissingAuthenticationMethod);
        }
        if self.block_len() > header::MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(())
    }

    /// Reads a property length and its block at `place`, checking every rule of section
    /// 2.2.2 and of each property's definition. `field` is [`Field::Properties`] or
    /// [`Field::WillProperties`].
    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    pub(crate) fn read(
        r: &mut Reader<'a>,
        place: Place,
        field: Field,
        d: &Decoder,
    ) -> Result<Properties<'a>, DecodeError> {
        let start = r.pos();
        let len = r.var_int(field, true)?;
        let block_start = r.pos();
        let mut sub = r.sub(len, field, start)?;
        let checked = check_block(&mut sub, place, d);
        r.absorb(&sub);
        checked?;
        // A binary value the block ends with may be missing (the reader skips what it cannot
        // check): the block is not a value yet, and rules that look at it (a Topic Alias for
        // an empty topic) must wait for it. Nothing after it can be present either.
        match r.whole_since(block_start) {
            Some(bytes) => Ok(Properties::from_wire(bytes)),
            None => Err(r.need_more(field, start)),
        }
    }
}

/// Checks each property of the block in `r`, in order (DECISIONS.md section 4): identifier
/// known, allowed here, not a second copy, expected by this side, value inside the block,
/// value well formed, value allowed.
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
fn check_block(r: &mut Reader<'_>, place: Place, d: &Decoder) -> Result<(), DecodeError> {
    let mut seen = 0u64;
    let mut data_at = None;
    let mut method = false;
    while !r.is_empty() {
        let at = r.pos();
        let raw = r.u8(Field::Properties)?;
        // Identifiers are Variable Byte Integers, but none is 128 or more: a byte with the
        // continuation bit starts an unknown one.
        let field = match place {
            Place::Will => Field::WillProperty(raw),
            Place::Packet(_) => Field::Property(raw),
        };
        let Some(id) = PropertyId::from_u8(raw) else {
            return Err(r.error_at(DecodeErrorKind::UnknownProperty(field), at));
        };
        if !id.allowed_in(place) {
            return Err(r.error_at(DecodeErrorKind::PropertyNotAllowed(field), at));
        }
        let bit = 1u64 << (raw & 63);
        if seen & bit != 0 && !id.repeats_in(place) {
            return Err(r.error_at(DecodeErrorKind::DuplicateProperty(field), at));
        }
        seen |= bit;
        // Context: what this side of the connection must not be sent.
        if let Place::Packet(packet) = place {
            if let Some(kind) = d.property_refusal(packet, id) {
                return Err(r.error_at(kind, at));
            }
        }
        let value_at = r.pos();
        // A Topic Alias whose high byte alone exceeds the maximum is refused at that byte.
        // (Only when the value fits in the block: that it fits is checked first.)
        if let (PropertyId::TopicAlias, Some(maximum), Some(high), true) =
            (id, d.topic_alias_maximum, r.peek(), r.left() >= 2)
        {
            if u32::from(high) << 8 > u32::from(maximum) {
                return Err(r.error_at(DecodeErrorKind::TopicAliasOutOfRange, value_at));
            }
        }
        // A value that runs past the block is reported at the property's identifier.
        let value = match id.value_type() {
            Type::Byte => u32::from(r.u8(field).map_err(|e| moved(e, field, r, at))?),
            Type::TwoByte => u32::from(r.u16(field).map_err(|e| moved(e, field, r, at))?),
            Type::FourByte => r.u32(field).map_err(|e| moved(e, field, r, at))?,
            Type::VarInt => {
                let v = r
                    .var_int(field, false)
                    .map_err(|e| moved(e, field, r, at))?;
                u32::try_from(v).unwrap_or(u32::MAX)
            }
            Type::Text if id == PropertyId::ResponseTopic => {
                r.topic_name(field).map_err(|e| moved(e, field, r, at))?;
                1
            }
            Type::Text => {
                r.skip_string(field).map_err(|e| moved(e, field, r, at))?;
                1
            }
            Type::Binary => {
                r.binary(field).map_err(|e| moved(e, field, r, at))?;
                1
            }
            Type::Pair => {
                r.skip_string(field).map_err(|e| moved(e, field, r, at))?;
                r.skip_string(field).map_err(|e| moved(e, field, r, at))?;
                1
            }
        };
        let allowed = match id.value_type() {
            Type::Byte => value <= 1,
            Type::VarInt => value != 0,
            Type::TwoByte | Type::FourByte => value != 0 || !zero_forbidden(id),
            _ => true,
        };
        if !allowed {
            return Err(r.error_at(DecodeErrorKind::InvalidPropertyValue(field), value_at));
        }
        // Context: a Topic Alias above the receiver's Topic Alias Maximum (3.3.2.3.4).
        if let (PropertyId::TopicAlias, Some(maximum)) = (id, d.topic_alias_maximum) {
            if value > u32::from(maximum) {
                return Err(r.error_at(DecodeErrorKind::TopicAliasOutOfRange, value_at));
            }
        }
        method |= id == PropertyId::AuthenticationMethod;
        if id == PropertyId::AuthenticationData {
            data_at = Some(at);
        }
    }
    match data_at {
        Some(at) if !method => Err(r.error_at(DecodeErrorKind::MissingAuthenticationMethod, at)),
        _ => Ok(()),
    }
}

/// A value that runs past the block is `Truncated` at the property's identifier (`at`), not
/// at the value; every other error stays where it was found.
fn moved(e: DecodeError, field: Field, r: &Reader<'_>, at: usize) -> DecodeError {
    if e.kind() == DecodeErrorKind::Truncated(field) && !r.ran_out() {
        r.error_at(DecodeErrorKind::Truncated(field), at)
    } else {
        e
    }
}

impl PartialEq for Properties<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Properties<'_> {}

impl fmt::Debug for Properties<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The properties of a block, in wire order.
#[derive(Clone)]
pub struct PropertyIter<'a> {
    source: Source<'a>,
}

impl<'a> Iterator for PropertyIter<'a> {
    type Item = Property<'a>;

    fn next(&mut self) -> Option<Property<'a>> {
        match &mut self.source {
            Source::Items(items, _) => {
                let (first, rest) = items.split_first()?;
                *items = rest;
                Some(*first)
            }
            Source::Wire(bytes) => read_validated(bytes),
        }
    }
}

/// Reads one property from the front of a validated block.
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
fn read_validated<'a>(bytes: &mut &'a [u8]) -> Option<Property<'a>> {
    let (&raw, rest) = bytes.split_first()?;
    *bytes = rest;
    let id = PropertyId::from_u8(raw)?;
    let value = match id.value_type() {
        Type::Byte => Value::Int(u32::from(u8::from_be_bytes(take::<1>(bytes)?))),
        Type::TwoByte => Value::Int(u32::from(u16::from_be_bytes(take::<2>(bytes)?))),
        Type::FourByte => Value::Int(u32::from_be_bytes(take::<4>(bytes)?)),
        Type::VarInt => {
            let mut value = 0u32;
            let mut shift = 0u32;
            loop {
                let (&b, rest) = bytes.split_first()?;
                *bytes = rest;
                value |= u32::from(b & 0x7F).checked_shl(shift)?;
                if b & 0x80 == 0 {
                    break;
                }
                shift = shift.checked_add(7)?;
            }
            Value::Int(value)
        }
        Type::Text => Value::Text(read_str(bytes)?),
        Type::Binary => Value::Binary(read_binary(bytes)?),
        Type::Pair => Value::Pair(read_str(bytes)?, read_str(bytes)?),
    };
    Property::from_parts(id, value)
}

#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
fn split<'a>(bytes: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
    let head = bytes.get(..len)?;
    *bytes = bytes.get(len..)?;
    Some(head)
}

#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
fn take<const N: usize>(bytes: &mut &[u8]) -> Option<[u8; N]> {
    split(bytes, N)?.try_into().ok()
}

#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
fn read_binary<'a>(bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::from(u16::from_be_bytes(take::<2>(bytes)?));
    split(bytes, len)
}

#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
fn read_str<'a>(bytes: &mut &'a [u8]) -> Option<&'a str> {
    core::str::from_utf8(read_binary(bytes)?).ok()
}

macro_rules! accessors {
    ($($(#[$doc:meta])* $name:ident: $variant:ident -> $ty:ty;)*) => {
        impl<'a> Properties<'a> {
            $(
                $(#[$doc])*
                pub fn $name(&self) -> Option<$ty> {
                    self.iter().find_map(|p| match p {
                        Property::$variant(v) => Some(v),
                        _ => None,
                    })
                }
            )*
        }
    };
}

accessors! {
    /// Payload Format Indicator (0x01).
    payload_format_indicator: PayloadFormatIndicator -> u8;
    /// Message Expiry Interval (0x02), seconds.
    message_expiry_interval: MessageExpiryInterval -> u32;
    /// Content Type (0x03).
    content_type: ContentType -> &'a str;
    /// Response Topic (0x08).
    response_topic: ResponseTopic -> &'a str;
    /// Correlation Data (0x09).
    correlation_data: CorrelationData -> &'a [u8];
    /// Session Expiry Interval (0x11), seconds.
    session_expiry_interval: SessionExpiryInterval -> u32;
    /// Assigned Client Identifier (0x12).
    assigned_client_identifier: AssignedClientIdentifier -> &'a str;
    /// Server Keep Alive (0x13), seconds.
    server_keep_alive: ServerKeepAlive -> u16;
    /// Authentication Method (0x15).
    authentication_method: AuthenticationMethod -> &'a str;
    /// Authentication Data (0x16).
    authentication_data: AuthenticationData -> &'a [u8];
    /// Request Problem Information (0x17).
    request_problem_information: RequestProblemInformation -> u8;
    /// Will Delay Interval (0x18), seconds.
    will_delay_interval: WillDelayInterval -> u32;
    /// Request Response Information (0x19).
    request_response_information: RequestResponseInformation -> u8;
    /// Response Information (0x1A).
    response_information: ResponseInformation -> &'a str;
    /// Server Reference (0x1C).
    server_reference: ServerReference -> &'a str;
    /// Reason String (0x1F).
    reason_string: ReasonString -> &'a str;
    /// Receive Maximum (0x21).
    receive_maximum: ReceiveMaximum -> u16;
    /// Topic Alias Maximum (0x22).
    topic_alias_maximum: TopicAliasMaximum -> u16;
    /// Topic Alias (0x23).
    topic_alias: TopicAlias -> u16;
    /// Maximum QoS (0x24).
    maximum_qos: MaximumQoS -> u8;
    /// Retain Available (0x25).
    retain_available: RetainAvailable -> u8;
    /// Maximum Packet Size (0x27).
    maximum_packet_size: MaximumPacketSize -> u32;
    /// Wildcard Subscription Available (0x28).
    wildcard_subscription_available: WildcardSubscriptionAvailable -> u8;
    /// Subscription Identifier Available (0x29).
    subscription_identifier_available: SubscriptionIdentifierAvailable -> u8;
    /// Shared Subscription Available (0x2A).
    shared_subscription_available: SharedSubscriptionAvailable -> u8;
}

#[cfg(test)]
mod tests {
    use super::*;
    use PacketType as P;

    /// How many properties Table 2-4 lets each place carry, counted from the standard's table
    /// (DECISIONS.md section 7 lists them): 64 cells in all.
    #[test]
    fn each_place_allows_the_properties_of_table_2_4() {
        let places = [
            (Place::Packet(P::Connect), 9),
            (Place::Will, 7),
            (Place::Packet(P::Connack), 17),
            (Place::Packet(P::Publish), 8),
            (Place::Packet(P::Puback), 2),
            (Place::Packet(P::Pubrec), 2),
            (Place::Packet(P::Pubrel), 2),
            (Place::Packet(P::Pubcomp), 2),
            (Place::Packet(P::Subscribe), 2),
            (Place::Packet(P::Suback), 2),
            (Place::Packet(P::Unsubscribe), 1),
            (Place::Packet(P::Unsuback), 2),
            (Place::Packet(P::Pingreq), 0),
            (Place::Packet(P::Pingresp), 0),
            (Place::Packet(P::Disconnect), 4),
            (Place::Packet(P::Auth), 4),
        ];
        let mut total = 0;
        for (place, expected) in places {
            let allowed = (0..=255u8)
                .filter_map(PropertyId::from_u8)
                .filter(|id| id.allowed_in(place))
                .count();
            assert_eq!(allowed, expected, "{place:?}");
            total += allowed;
        }
        assert_eq!(total, 64);
        assert_eq!((0..=255u8).filter_map(PropertyId::from_u8).count(), 27);
    }

    #[test]
    fn only_user_properties_and_publish_subscription_identifiers_repeat() {
        for id in (0..=255u8).filter_map(PropertyId::from_u8) {
            for place in [
                Place::Packet(P::Publish),
                Place::Packet(P::Subscribe),
                Place::Will,
            ] {
                let repeats = id == PropertyId::UserProperty
                    || (id == PropertyId::SubscriptionIdentifier
                        && place == Place::Packet(P::Publish));
                assert_eq!(id.repeats_in(place), repeats, "{id} in {place:?}");
            }
        }
    }

    #[test]
    fn built_properties_encode_as_the_wire_lays_them_out() {
        // Subscription Identifier 268,435,455 takes four bytes; a user property two strings.
        let props = [
            Property::SubscriptionIdentifier(268_435_455),
            Property::UserProperty("k", "v"),
            Property::MessageExpiryInterval(0),
        ];
        let block = Properties::new(&props);
        let mut buf = [0u8; 18];
        block.write(&mut crate::writer::SliceSink::new(&mut buf));
        let out = &buf[..];
        assert_eq!(
            out,
            [17, 0x0B, 0xFF, 0xFF, 0xFF, 0x7F, 0x26, 0, 1, b'k', 0, 1, b'v', 0x02, 0, 0, 0, 0]
        );
        assert_eq!(block.wire_len(), out.len());
        // Read back from the bytes, in the same order.
        let read = Properties::from_wire(&out[1..]);
        assert_eq!(read, block);
        assert_eq!(
            read.subscription_identifiers()
                .collect::<std::vec::Vec<_>>(),
            [268_435_455]
        );
        assert_eq!(read.message_expiry_interval(), Some(0));
    }

    #[test]
    fn constructors_refuse_what_the_decoder_refuses() {
        let check = |props: &[Property<'_>], place| Properties::new(props).check(place);
        let publish = Place::Packet(P::Publish);
        assert_eq!(
            check(&[Property::ReceiveMaximum(5)], publish),
            Err(EncodeError::PropertyNotAllowed(0x21))
        );
        assert_eq!(
            check(&[Property::TopicAlias(1), Property::TopicAlias(2)], publish),
            Err(EncodeError::DuplicateProperty(0x23))
        );
        assert_eq!(
            check(&[Property::TopicAlias(0)], publish),
            Err(EncodeError::InvalidPropertyValue(0x23))
        );
        assert_eq!(
            check(&[Property::PayloadFormatIndicator(2)], publish),
            Err(EncodeError::InvalidPropertyValue(0x01))
        );
        assert_eq!(
            check(&[Property::SubscriptionIdentifier(0)], publish),
            Err(EncodeError::InvalidPropertyValue(0x0B))
        );
        assert_eq!(
            check(
                &[Property::AuthenticationData(b"x")],
                Place::Packet(P::Auth)
            ),
            Err(EncodeError::MissingAuthenticationMethod)
        );
        assert!(check(
            &[
                Property::SubscriptionIdentifier(1),
                Property::SubscriptionIdentifier(2)
            ],
            publish
        )
        .is_ok());
        assert_eq!(
            check(
                &[
                    Property::SubscriptionIdentifier(1),
                    Property::SubscriptionIdentifier(2)
                ],
                Place::Packet(P::Subscribe)
            ),
            Err(EncodeError::DuplicateProperty(0x0B))
        );
    }

    #[test]
    fn debug_hides_authentication_data() {
        let text = std::format!("{:?}", Property::AuthenticationData(b"secret"));
        assert!(!text.contains("secret") && !text.contains("115"), "{text}");
    }
}
