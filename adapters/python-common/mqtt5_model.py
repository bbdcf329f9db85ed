"""What the Python 5.0 adapters share: the adapter-protocol answers (over adapter_loop.py), and the names of the 5.0
packet model (vectors/v5/DECISIONS.md sections 2 and 5) that the libraries do not carry.

An adapter module gives `VERSION` (its library's distribution name), `decode(buf)` and
optionally `encode(model)`; `serve(adapter)` answers requests on stdin. Only 5.0 requests are
taken (`features` answers `["5.0"]`: no `context`); 3.1.1 requests are `unsupported`.
"""

from adapter_loop import crash, run

# Identifier -> (name, type), DECISIONS.md section 2.
PROPERTIES = {
    1: ("payload-format-indicator", "byte"),
    2: ("message-expiry-interval", "int"),
    3: ("content-type", "string"),
    8: ("response-topic", "string"),
    9: ("correlation-data", "binary"),
    11: ("subscription-identifier", "int"),
    17: ("session-expiry-interval", "int"),
    18: ("assigned-client-identifier", "string"),
    19: ("server-keep-alive", "int"),
    21: ("authentication-method", "string"),
    22: ("authentication-data", "binary"),
    23: ("request-problem-information", "byte"),
    24: ("will-delay-interval", "int"),
    25: ("request-response-information", "byte"),
    26: ("response-information", "string"),
    28: ("server-reference", "string"),
    31: ("reason-string", "string"),
    33: ("receive-maximum", "int"),
    34: ("topic-alias-maximum", "int"),
    35: ("topic-alias", "int"),
    36: ("maximum-qos", "byte"),
    37: ("retain-available", "byte"),
    38: ("user-property", "pair"),
    39: ("maximum-packet-size", "int"),
    40: ("wildcard-subscription-available", "byte"),
    41: ("subscription-identifier-available", "byte"),
    42: ("shared-subscription-available", "byte"),
}

REASONS = {
    0: "success", 1: "granted-qos-1", 2: "granted-qos-2", 4: "disconnect-with-will-message",
    16: "no-matching-subscribers", 17: "no-subscription-existed", 24: "continue-authentication",
    25: "re-authenticate", 128: "unspecified-error", 129: "malformed-packet",
    130: "protocol-error", 131: "implementation-specific-error",
    132: "unsupported-protocol-version", 133: "client-identifier-not-valid",
    134: "bad-user-name-or-password", 135: "not-authorized", 136: "server-unavailable",
    137: "server-busy", 138: "banned", 139: "server-shutting-down",
    140: "bad-authentication-method", 141: "keep-alive-timeout", 142: "session-taken-over",
    143: "topic-filter-invalid", 144: "topic-name-invalid", 145: "packet-identifier-in-use",
    146: "packet-identifier-not-found", 147: "receive-maximum-exceeded",
    148: "topic-alias-invalid", 149: "packet-too-large", 150: "message-rate-too-high",
    151: "quota-exceeded", 152: "administrative-action", 153: "payload-format-invalid",
    154: "retain-not-supported", 155: "qos-not-supported", 156: "use-another-server",
    157: "server-moved", 158: "shared-subscriptions-not-supported",
    159: "connection-rate-exceeded", 160: "maximum-connect-time",
    161: "subscription-identifiers-not-supported", 162: "wildcard-subscriptions-not-supported",
}


def prop(identifier, value):
    """One entry of `properties`."""
    name, kind = PROPERTIES[identifier]
    if kind == "binary":
        value = bytes(value).hex()
    elif kind == "pair":
        value = [value[0], value[1]]
    elif kind != "string":
        value = int(value)
    return {"id": identifier, "name": name, "value": value}


def reason(packet_type, value):
    """A reason code of the model; value 0 is named by its packet."""
    if value is None:
        return None
    value = int(value)
    if value == 0 and packet_type == "DISCONNECT":
        name = "normal-disconnection"
    elif value == 0 and packet_type == "SUBACK":
        name = "granted-qos-0"
    else:
        name = REASONS.get(value, "reserved-%d" % value)
    return {"value": value, "name": name}


def short_form(packet_type, remaining_length, code, properties):
    """`reason_code` and `properties` of an acknowledgement, DISCONNECT or AUTH, by the form
    its Remaining Length says it took (DECISIONS.md section 3): the libraries fill in a
    default reason and keep no trace of an absent property length."""
    base = 2 if packet_type in ("PUBACK", "PUBREC", "PUBREL", "PUBCOMP") else 0
    if remaining_length <= base:
        return {"reason_code": None, "properties": None}
    if remaining_length == base + 1:
        return {"reason_code": reason(packet_type, code), "properties": None}
    return {"reason_code": reason(packet_type, code), "properties": properties}


def remaining_length(consumed):
    """The Remaining Length of a frame of `consumed` bytes (one byte of type and flags, then
    the variable byte integer)."""
    for size in (1, 2, 3, 4):
        if consumed - 1 - size < 128 ** size:
            return consumed - 1 - size
    return consumed - 5


def serve(adapter):
    run(adapter.VERSION, lambda request: answer(adapter, request))


def answer(adapter, request):
    if "features" in request:
        return {"features": ["5.0"]}
    if request.get("protocol", "3.1.1") != "5.0":
        return {"result": "unsupported", "reason": "the adapter takes 5.0 only"}
    if request.get("context") is not None:
        return {"result": "unsupported", "reason": "no context"}
    try:
        if "encode" in request:
            encode = getattr(adapter, "encode", None)
            if encode is None:
                return {"result": "unsupported", "reason": "the adapter does not encode"}
            try:
                return {"hex": encode(request["encode"]).hex()}
            except Exception as e:  # the library cannot build this packet
                return {"result": "unsupported", "reason": "%s: %s" % (type(e).__name__, e)}
        return adapter.decode(bytes.fromhex(request["hex"]))
    except BaseException as e:  # pyo3's PanicException is a BaseException
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        return crash(e)
