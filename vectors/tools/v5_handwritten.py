"""Hand-written MQTT 5.0 vectors, called by v5_generate.py.

The bug classes other implementations shipped (issue 13, section 3) have their bytes typed
out here; where a builder of v5_generate.py is used too, the typed bytes are asserted equal to
the builder's, so both agree. The other cases (CONNECT, SUBSCRIBE options, PUBLISH topics,
the context of negotiated limits) use the builders with the values chosen by hand.
"""


def H(s):
    return bytes.fromhex(s.replace(" ", ""))


def generate(g):
    P, add, err = g.P, g.add, g.err

    def same(typed, built):
        assert typed == built, (typed.hex(), built.hex())
        return typed

    # ---- Bug classes (issue 13, section 3) ------------------------------------------------
    # A property read past the property length into the payload: the block is 3 bytes, the
    # Content Type's length (5) runs into the payload "hello".
    add("properties", "content-type-past-block-into-payload",
        "PUBLISH with property length 3 holding a Content Type whose length (5) runs past the "
        "block into the payload: a decoder that reads to the packet's end takes the payload",
        "invalid", ["3.3.2.3.1"], H("30 0e 00 03 61 2f 62 03 03 00 05 68 65 6c 6c 6f"),
        error=err("truncated", "3.3.2.3.1", 8, "content-type"),
        flags=["TruncatedField"], pk="PUBLISH")
    add("properties", "user-property-value-past-block",
        "PUBACK whose User Property key fits the block and whose value's length runs past it",
        "invalid", ["3.4.2.2.1"], H("40 0e 00 01 00 06 26 00 01 6b 00 03 61 62 63 64"),
        error=err("truncated", "3.4.2.2.1", 6, "user-property"), flags=["TruncatedField"],
        pk="PUBACK")
    # A property length of 128 or more (two bytes).
    cd = "ab" * 125
    w, m, _ = g.publish([P("correlation-data", cd)], payload="6869")
    typed = H("30 89 01 00 03 61 2f 62 80 01 09 00 7d") + bytes.fromhex(cd) + H("68 69")
    add("properties", "property-length-two-bytes-correlation-data",
        "PUBLISH with property length 128 (80 01): a 125-byte Correlation Data; a decoder "
        "reading one byte of length sees 0", "valid", ["MQTT-1.5.5-1", "3.3.2.3.1",
                                                       "3.3.2.3.6"],
        same(typed, w), m, flags=["LengthBoundary"], pk="PUBLISH")
    typed = H("30 89 01 00 03 61 2f 62 81 01 09 00 7d") + bytes.fromhex(cd) + H("68 69")
    add("properties", "property-length-129-takes-payload-byte",
        "PUBLISH whose property length (81 01 = 129) takes the payload's first byte 'h' (0x68) "
        "as a property identifier", "invalid", ["2.2.2.2"], typed,
        error=err("unknown-property", "2.2.2.2", 138, "properties"), pk="PUBLISH")
    # A Subscription Identifier's length miscounted.
    typed = H("30 0d 00 03 61 2f 62 05 0b 80 01 01 01 68 69")
    w, m, _ = g.publish([P("subscription-identifier", 128), P("payload-format-indicator", 1)])
    add("publish", "subscription-identifier-two-bytes-then-property",
        "PUBLISH with Subscription Identifier 128 (80 01) followed by a Payload Format "
        "Indicator: a decoder that counts the identifier as one byte reads 01 01 wrongly",
        "valid", ["MQTT-1.5.5-1", "3.3.2.3.8", "3.3.2.3.2"], same(typed, w), m, pk="PUBLISH")
    typed = H("82 14 00 05 0b 0b 80 80 01 26 00 01 6b 00 01 76 00 03 61 2f 62 02")
    w, m, _ = g.subscribe([P("subscription-identifier", 16384), P("user-property", ["k", "v"])],
                          subs=[("a/b", 2)], pid=5)
    add("subscribe", "subscription-identifier-three-bytes-then-user-property",
        "SUBSCRIBE with Subscription Identifier 16384 (80 80 01) and a User Property after it",
        "valid", ["MQTT-1.5.5-1", "3.8.2.1.2", "3.8.2.1.3"], same(typed, w), m, pk="SUBSCRIBE")
    # Several Subscription Identifiers in one PUBLISH.
    typed = H("30 0f 00 03 61 2f 62 07 0b 01 0b 02 0b 80 01 68 69")
    w, m, _ = g.publish([P("subscription-identifier", 1), P("subscription-identifier", 2),
                         P("subscription-identifier", 128)])
    add("publish", "subscription-identifiers-three",
        "PUBLISH to a client with three Subscription Identifiers (1, 2, 128): each kept, in "
        "order, none merged", "valid", ["3.3.2.3.8"], same(typed, w), m,
        direction="server-to-client", pk="PUBLISH")
    add("publish", "subscription-identifier-to-server",
        "PUBLISH received by a server with a Subscription Identifier: only a server sends them",
        "invalid", ["MQTT-3.3.4-6"], typed, context={"receiver": "server"},
        error=err("property-not-expected", "MQTT-3.3.4-6", 8, "subscription-identifier"),
        direction="client-to-server", pk="PUBLISH")
    add("publish", "subscription-identifier-to-client-context",
        "PUBLISH received by a client with a Subscription Identifier", "valid",
        ["MQTT-3.3.4-6"], typed, m, context={"receiver": "client"},
        direction="server-to-client", pk="PUBLISH")
    # A duplicate single property, also when the first copy is 0.
    add("publish", "message-expiry-duplicate-first-zero",
        "PUBLISH with Message Expiry Interval 0 then 10: a decoder that treats 0 as 'unset' "
        "takes the second", "invalid", ["3.3.2.3.3"],
        H("30 12 00 03 61 2f 62 0a 02 00 00 00 00 02 00 00 00 0a 68 69"),
        error=err("duplicate-property", "3.3.2.3.3", 13, "message-expiry-interval"),
        flags=["DuplicateProperty"], pk="PUBLISH")
    add("publish", "payload-format-duplicate-first-zero",
        "PUBLISH with Payload Format Indicator 0 then 1", "invalid", ["3.3.2.3.2"],
        H("30 0c 00 03 61 2f 62 04 01 00 01 01 68 69"),
        error=err("duplicate-property", "3.3.2.3.2", 10, "payload-format-indicator"),
        flags=["DuplicateProperty"], pk="PUBLISH")
    add("connect", "session-expiry-duplicate-zero",
        "CONNECT with Session Expiry Interval 0 twice", "invalid", ["3.1.2.11.2"],
        H("10 19 00 04 4d 51 54 54 05 02 00 3c 0a 11 00 00 00 00 11 00 00 00 00 00 02 63 31"),
        error=err("duplicate-property", "3.1.2.11.2", 18, "session-expiry-interval"),
        flags=["DuplicateProperty"], pk="CONNECT")
    add("disconnect", "session-expiry-duplicate-zero",
        "DISCONNECT with Session Expiry Interval 0 twice", "invalid", ["3.14.2.2.2"],
        H("e0 0c 00 0a 11 00 00 00 00 11 00 00 00 00"),
        error=err("duplicate-property", "3.14.2.2.2", 9, "session-expiry-interval"),
        flags=["DuplicateProperty"], pk="DISCONNECT")
    # A property of another packet.
    add("publish", "session-expiry-not-allowed-typed",
        "PUBLISH with a Session Expiry Interval (a CONNECT, CONNACK, DISCONNECT property)",
        "invalid", ["2.2.2.2"], H("30 0d 00 03 61 2f 62 05 11 00 00 00 3c 68 69"),
        error=err("property-not-allowed", "2.2.2.2", 8, "properties"), pk="PUBLISH")
    add("connect", "will-topic-alias-not-allowed",
        "CONNECT whose Will Properties hold a Topic Alias (a PUBLISH property)", "invalid",
        ["2.2.2.2"], H("10 19 00 04 4d 51 54 54 05 06 00 3c 00 00 02 63 31 03 23 00 01 00 01 "
                       "74 00 01 78"),
        error=err("property-not-allowed", "2.2.2.2", 18, "will-properties"), pk="CONNECT")
    # Zero values.
    for pk_, file, typed, off, name, clause in (
            ("CONNECT", "connect", "10 12 00 04 4d 51 54 54 05 02 00 3c 03 21 00 00 00 02 63 31",
             14, "receive-maximum", "3.1.2.11.3"),
            ("CONNECT", "connect", "10 14 00 04 4d 51 54 54 05 02 00 3c 05 27 00 00 00 00 00 02 "
             "63 31", 14, "maximum-packet-size", "3.1.2.11.4"),
            ("PUBLISH", "publish", "30 0b 00 03 61 2f 62 03 23 00 00 68 69", 9, "topic-alias",
             "MQTT-3.3.2-8"),
            ("SUBSCRIBE", "subscribe", "82 0b 00 01 02 0b 00 00 03 61 2f 62 00", 6,
             "subscription-identifier", "3.8.2.1.2")):
        e = err("invalid-property-value", clause, off, name)
        if name == "topic-alias":
            e["reason_code"] = 0x94
        add(file, f"{name}-zero-typed", f"{pk_} with {name} 0", "invalid", [clause],
            H(typed), error=e, flags=["ZeroValue"], pk=pk_)
    # Message Expiry Interval 0 is legal.
    typed = H("30 0d 00 03 61 2f 62 05 02 00 00 00 00 68 69")
    w, m, _ = g.publish([P("message-expiry-interval", 0)])
    add("publish", "message-expiry-zero-typed", "PUBLISH with Message Expiry Interval 0: "
        "legal (the message expires at once if not delivered), not a missing value", "valid",
        ["3.3.2.3.3"], same(typed, w), m, flags=["ZeroValue"], pk="PUBLISH")
    # AUTH with Remaining Length 0.
    add("auth", "remaining-length-0-typed", "AUTH f0 00: Success with no properties (3.15.2.1)",
        "valid", ["3.15.2.1"], H("f0 00"),
        {"type": "AUTH", "reason_code": None, "properties": None}, flags=["ShortForm"],
        pk="AUTH")
    add("disconnect", "e0-00-typed", "DISCONNECT e0 00: a decoder that reads a reason code "
        "past the Remaining Length takes the next packet's first byte (the runner's "
        "three-copies check puts another packet right after it)", "valid", ["3.14.2.1"],
        H("e0 00"), {"type": "DISCONNECT", "reason_code": None, "properties": None},
        flags=["ShortForm"], pk="DISCONNECT")
    # Invalid UTF-8 in a property string.
    for file, pk_, typed, off, name, clause, kind, what in (
            ("acks", "PUBACK", "40 0a 00 01 80 06 1f 00 03 ed a0 80", 9, "reason-string",
             "MQTT-1.5.4-1", "invalid-utf8", "an encoded surrogate ed a0 80"),
            ("publish", "PUBLISH", "30 0d 00 03 61 2f 62 05 03 00 02 c0 80 68 69", 11,
             "content-type", "MQTT-3.3.2-19", "invalid-utf8", "an over-long c0 80"),
            ("disconnect", "DISCONNECT", "e0 0a 00 08 26 00 01 ff 00 01 76 00", 7,
             "user-property", "MQTT-1.5.7-1", "invalid-utf8", "a key byte ff"),
            ("disconnect", "DISCONNECT", "e0 09 00 07 26 00 01 6b 00 01 00", 10, "user-property",
             "MQTT-1.5.7-1", "null-character", "a value U+0000"),
            ("connack", "CONNACK", "20 09 00 00 06 12 00 03 61 f0 80", 9,
             "assigned-client-identifier", "MQTT-1.5.4-1", "invalid-utf8",
             "a four-byte sequence cut short at the string's end"),
            ("publish", "PUBLISH", "30 0e 00 03 61 2f 62 06 08 00 03 72 2f 2b 68 69", 13,
             "response-topic", "MQTT-3.3.2-14", "wildcard-in-topic-name", "a '+'"),
            ("publish", "PUBLISH", "30 0b 00 03 61 2f 62 03 08 00 00 68 69", 9,
             "response-topic", "MQTT-3.3.2-14", "empty-topic", "nothing (an empty topic)"),
            ("publish", "PUBLISH", "30 0d 00 03 61 2f 62 05 08 00 02 ed bf 68 69", 11,
             "response-topic", "MQTT-3.3.2-13", "invalid-utf8", "a truncated ed bf")):
        add(file, f"{name}-{kind}-typed", f"{pk_} whose {name} holds {what}", "invalid",
            [clause], H(typed), error=err(kind, clause, off, name),
            flags=["Utf8Boundary"], pk=pk_)
    add("auth", "reason-string-invalid-utf8", "AUTH whose Reason String holds a lone "
        "continuation byte 80", "invalid", ["MQTT-1.5.4-1"],
        H("f0 15 18 13 15 00 05 50 4c 41 49 4e 16 00 02 01 02 1f 00 03 61 80 62"),
        error=err("invalid-utf8", "MQTT-1.5.4-1", 21, "reason-string"), flags=["Utf8Boundary"],
        pk="AUTH")

    # ---- CONNECT -----------------------------------------------------------------------------
    w, m, _ = g.connect(password="736563726574")
    add("connect", "password-without-username", "CONNECT with a password and no user name: "
        "allowed in 5.0 (3.1.2.9)", "valid", ["MQTT-3.1.2-18", "MQTT-3.1.2-19",
                                             "MQTT-3.1.3-1"], w, m, pk="CONNECT")
    w, m, _ = g.connect(username="alice", password="736563726574",
                        props=[P("session-expiry-interval", 300), P("receive-maximum", 10),
                               P("maximum-packet-size", 65536), P("topic-alias-maximum", 5),
                               P("request-response-information", 1),
                               P("request-problem-information", 0),
                               P("user-property", ["app", "meter"]),
                               P("authentication-method", "SCRAM-SHA-256"),
                               P("authentication-data", "00112233")])
    add("connect", "every-property", "CONNECT with every CONNECT property, a user name and a "
        "password", "valid", ["MQTT-3.1.2-17", "MQTT-3.1.2-19", "MQTT-3.1.3-1",
                              "MQTT-3.1.3-12", "2.2.2.2"], w, m, pk="CONNECT")
    will = {"props": [P("will-delay-interval", 30), P("payload-format-indicator", 1),
                      P("message-expiry-interval", 600), P("content-type", "text/plain"),
                      P("response-topic", "replies/dev-1"), P("correlation-data", "0102"),
                      P("user-property", ["a", "1"]), P("user-property", ["a", "2"])],
            "topic": "status/dev-1", "message": "6f66666c696e65", "qos": 1, "retain": True}
    w, m, _ = g.connect(will=will)
    add("connect", "will-every-property", "CONNECT with a Will holding every Will property, "
        "User Properties repeated in order", "valid",
        ["MQTT-3.1.2-9", "MQTT-3.1.2-12", "MQTT-3.1.3-11", "MQTT-3.1.3-1", "3.1.3.2.1"], w, m,
        pk="CONNECT")
    for qos in (0, 2):
        w, m, _ = g.connect(will={"topic": "w", "qos": qos}, username="u")
        add("connect", f"will-qos-{qos}", f"CONNECT with a Will at QoS {qos} and a user name",
            "valid", ["MQTT-3.1.2-12", "MQTT-3.1.2-9", "MQTT-3.1.2-17"], w, m, pk="CONNECT")
    w, m, _ = g.connect(cid="", clean=False)
    add("connect", "empty-client-id-clean-start-0", "CONNECT with an empty client id and "
        "Clean Start 0: well formed, the server decides (3.1.3.1)", "valid",
        ["MQTT-3.1.3-3", "MQTT-3.1.3-6"], w, m, flags=["EmptyClientId"], pk="CONNECT")
    w, m, _ = g.connect(cid="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    add("connect", "client-id-long", "CONNECT with a 62-character client id, beyond the 23 a "
        "server must allow", "valid", ["MQTT-3.1.3-4", "MQTT-3.1.3-5"], w, m,
        flags=["ClientIdBeyondRequired"], pk="CONNECT")
    w, m, _ = g.connect(cid="\ufeffid")
    add("connect", "client-id-bom", "CONNECT with a client id starting with EF BB BF, kept as "
        "U+FEFF", "valid", ["MQTT-1.5.4-3", "MQTT-3.1.3-4"], w, m, flags=["Utf8Boundary"],
        pk="CONNECT")
    base, _, o = g.connect(cid="c1")

    def patched(at, b, extra=b""):
        out = bytearray(base)
        out[at:at + len(b)] = b
        if extra:
            out += extra
            out[1] += len(extra)
        return bytes(out)

    fl = 9  # the Connect Flags' offset in `base`
    for idp, desc, wire, e in (
            ("protocol-name-mqis", "CONNECT with protocol name 'MQIs'", patched(4, b"MQIs"),
             err("invalid-protocol-name", "MQTT-3.1.2-1", 2, "protocol-name")),
            ("protocol-level-4", "CONNECT with the 5.0 layout and protocol level 4",
             patched(8, b"\x04"), err("unsupported-protocol-level", "MQTT-3.1.2-2", 8,
                                       "protocol-level")),
            ("protocol-level-6", "CONNECT with protocol level 6", patched(8, b"\x06"),
             err("unsupported-protocol-level", "MQTT-3.1.2-2", 8, "protocol-level")),
            ("reserved-flag", "CONNECT with the reserved Connect Flag set",
             patched(fl, b"\x03"), err("connect-reserved-flag", "MQTT-3.1.2-3", fl,
                                       "connect-flags")),
            ("will-qos-without-will", "CONNECT with Will QoS 1 and no Will",
             patched(fl, b"\x0a"), err("will-qos-without-will", "MQTT-3.1.2-11", fl,
                                       "connect-flags")),
            ("will-retain-without-will", "CONNECT with Will Retain and no Will",
             patched(fl, b"\x22"), err("will-retain-without-will", "MQTT-3.1.2-13", fl,
                                       "connect-flags")),
            ("will-qos-3", "CONNECT with a Will at QoS 3", patched(fl, b"\x1e"),
             err("invalid-will-qos", "MQTT-3.1.2-12", fl, "connect-flags")),
            ("username-flag-no-username", "CONNECT whose User Name Flag is set and whose "
             "payload ends after the client id", patched(fl, b"\x82"),
             err("truncated", "MQTT-3.1.2-17", len(base), "username")),
            ("password-flag-no-password", "CONNECT whose Password Flag is set and whose "
             "payload ends after the client id", patched(fl, b"\x42"),
             err("truncated", "MQTT-3.1.2-19", len(base), "password")),
            ("unflagged-will", "CONNECT with no flags and bytes after the client id",
             patched(0, b"", b"\x00\x00\x01\x77"),
             err("unflagged-field", "MQTT-3.1.3-1", len(base), "will-properties")),
            ("unflagged-password", "CONNECT with a user name, no Password Flag, and a "
             "password after the user name", patched(fl, b"\x82", b"\x00\x01\x75\x00\x01\x70"),
             err("unflagged-field", "MQTT-3.1.2-18", len(base) + 3, "password")),
            ("unflagged-username", "CONNECT with a Will, no User Name Flag, and a user name "
             "after the Will Message", None, None),
            ("client-id-invalid-utf8", "CONNECT whose client id holds c3 28",
             patched(len(base) - 2, b"\xc3\x28"),
             err("invalid-utf8", "MQTT-1.5.4-1", len(base) - 2, "client-id")),
            ("client-id-null", "CONNECT whose client id holds U+0000",
             patched(len(base) - 1, b"\x00"),
             err("null-character", "MQTT-1.5.4-2", len(base) - 1, "client-id")),
            ("client-id-past-packet", "CONNECT whose client id length runs past the packet",
             patched(len(base) - 4, b"\x00\x03"),
             err("truncated", "MQTT-3.1.3-3", len(base) - 4, "client-id")),
    ):
        if wire is None:
            continue
        extra = ["MQTT-3.1.3-4"] if idp.startswith("client-id") else []
        add("connect", idp, desc, "invalid", [e["clause"]] + extra, wire, error=e,
            pk="CONNECT", flags=["ReservedBits"] if "reserved" in idp else [])
    w, _, _ = g.connect(will={"topic": "w"})
    w = bytes([w[0], w[1] + 3]) + w[2:] + b"\x00\x01\x75"
    add("connect", "unflagged-username", "CONNECT with a Will, no User Name Flag, and a user "
        "name after the Will Message", "invalid", ["MQTT-3.1.2-16"], w,
        error=err("unflagged-field", "MQTT-3.1.2-16", len(w) - 3, "username"), pk="CONNECT")
    w, _, o = g.connect(will={"topic": "w"})
    w = w[:o["will_props"] + 3] + b"\xff" + w[o["will_props"] + 4:]
    add("connect", "will-topic-invalid-utf8", "CONNECT whose Will Topic is the byte ff",
        "invalid", ["MQTT-3.1.3-11", "MQTT-1.5.4-1"], w,
        error=err("invalid-utf8", "MQTT-1.5.4-1", o["will_props"] + 3, "will-topic"),
        pk="CONNECT")
    w, _, _ = g.connect(username="ab")
    w = w[:-1] + b"\xc0"
    add("connect", "username-invalid-utf8", "CONNECT whose user name ends in a lone lead byte "
        "c0", "invalid", ["MQTT-3.1.3-12", "MQTT-1.5.4-1"], w,
        error=err("invalid-utf8", "MQTT-1.5.4-1", len(w) - 1, "username"), pk="CONNECT")
    w, _, o = g.connect(will={"topic": "a/+"})
    add("connect", "will-topic-wildcard", "CONNECT whose Will Topic holds '+'", "invalid",
        ["MQTT-4.7.0-1"], w, error=err("wildcard-in-topic-name", "MQTT-4.7.0-1",
                                       o["will_props"] + 5, "will-topic"), pk="CONNECT")
    w, _, o = g.connect(will={"topic": ""})
    add("connect", "will-topic-empty", "CONNECT with an empty Will Topic", "invalid",
        ["MQTT-4.7.3-1"], w, error=err("empty-topic", "MQTT-4.7.3-1", o["will_props"] + 1,
                                       "will-topic"), pk="CONNECT")
    w, _, o = g.connect(will={"topic": "w", "message": "0001"}, raw=None)
    w = w[:-4] + b"\x00\x09\x00\x01"
    add("connect", "will-message-past-packet", "CONNECT whose Will Message length runs past "
        "the packet", "invalid", ["MQTT-3.1.2-9"], w,
        error=err("truncated", "MQTT-3.1.2-9", len(w) - 4, "will-message"), pk="CONNECT")
    wl = {"props": [P("payload-format-indicator", 1)], "topic": "w", "message": "ff"}
    w, m, o = g.connect(will=wl)
    add("connect", "will-payload-format-not-checked", "CONNECT whose Will has Payload Format "
        "Indicator 1 and a message ff: not checked unless the receiver asks", "valid",
        ["3.1.3.2.3"], w, m, pk="CONNECT")
    add("connect", "will-payload-not-utf8", "CONNECT whose Will has Payload Format Indicator 1 "
        "and a message ff, decoded by a receiver that checks", "invalid", ["3.1.3.2.3"], w,
        context={"receiver": "server", "check_payload_utf8": True},
        error=err("payload-not-utf8", "3.1.3.2.3", len(w) - 1, "will-message"), pk="CONNECT")

    # ---- CONNACK -----------------------------------------------------------------------------
    w, m, _ = g.connack(sp=True)
    add("connack", "session-present", "CONNACK with Session Present and Success", "valid",
        ["MQTT-3.2.2-6"], w, m, pk="CONNACK")
    w, m, _ = g.connack(rc=0x87, props=[P("reason-string", "denied")])
    add("connack", "error-with-properties", "CONNACK 0x87 with a Reason String: well formed",
        "valid", ["MQTT-3.2.2-8", "3.2.2.3.9"], w, m, pk="CONNACK")
    add("connack", "session-present-with-error", "CONNACK with Session Present and reason 0x80",
        "invalid", ["MQTT-3.2.2-6"], H("20 03 01 80 00"),
        error=err("session-present-with-error", "MQTT-3.2.2-6", 2, "connack-flags"),
        pk="CONNACK")
    for b in (0x02, 0x80, 0xFE):
        add("connack", f"reserved-flags-{b:02x}", f"CONNACK with acknowledge flags {b:02x}",
            "invalid", ["MQTT-3.2.2-1"], bytes([0x20, 3, b, 0, 0]),
            error=err("connack-reserved-flags", "MQTT-3.2.2-1", 2, "connack-flags"),
            flags=["ReservedBits"], pk="CONNACK")
    add("connack", "remaining-length-2", "CONNACK with Remaining Length 2: the property length "
        "is not optional in CONNACK", "invalid", ["2.1.4", "MQTT-2.2.2-1"], H("20 02 00 00"),
        error=err("invalid-remaining-length", "2.1.4", 1, "remaining-length"),
        flags=["RefusedFromHeader"], pk="CONNACK")

    # ---- PUBLISH -----------------------------------------------------------------------------
    typed = H("30 08 00 00 03 23 00 05 68 69")
    w, m, _ = g.publish([P("topic-alias", 5)], topic="")
    add("publish", "empty-topic-with-alias", "PUBLISH with an empty Topic Name and a Topic "
        "Alias: the alias names the topic", "valid", ["3.3.2.1", "3.3.2.3.4"], same(typed, w), m,
        pk="PUBLISH")
    # Found by fuzzing: the alias, then binary data ending the block. A prefix that cuts the
    # Correlation Data must stay incomplete, not "empty topic without alias".
    typed = H("30 0d 00 00 08 23 00 05 09 00 02 63 64 68 69")
    w, m, _ = g.publish([P("topic-alias", 5), P("correlation-data", "6364")], topic="")
    add("publish", "empty-topic-with-alias-then-correlation-data", "PUBLISH with an empty Topic "
        "Name, a Topic Alias and Correlation Data last in the block: every prefix is incomplete",
        "valid", ["3.3.2.1", "3.3.2.3.4", "3.3.2.3.6"], same(typed, w), m, pk="PUBLISH")
    w, m, _ = g.publish([P("topic-alias", 5)], topic="a/b")
    add("publish", "topic-with-alias", "PUBLISH with a Topic Name and a Topic Alias: sets the "
        "mapping", "valid", ["3.3.2.3.4"], w, m, pk="PUBLISH")
    add("publish", "empty-topic-without-alias", "PUBLISH with an empty Topic Name and no "
        "properties", "invalid", ["3.3.2.1"], H("30 05 00 00 00 68 69"),
        error=err("empty-topic-without-alias", "3.3.2.1", 2, "topic-name"), pk="PUBLISH")
    add("publish", "empty-topic-user-property-no-alias", "PUBLISH with an empty Topic Name and "
        "a User Property but no Topic Alias", "invalid", ["3.3.2.1"],
        H("30 0c 00 00 07 26 00 01 6b 00 01 76 68 69"),
        error=err("empty-topic-without-alias", "3.3.2.1", 2, "topic-name"), pk="PUBLISH")
    add("publish", "empty-topic-qos1-no-alias", "PUBLISH QoS 1 with an empty Topic Name and "
        "an empty property block", "invalid", ["3.3.2.1"], H("32 05 00 00 00 07 00"),
        error=err("empty-topic-without-alias", "3.3.2.1", 2, "topic-name"), pk="PUBLISH")
    for qos in (1, 2):
        w, m, _ = g.publish(qos=qos, pid=0x1234, retain=True, dup=True)
        add("publish", f"qos{qos}-dup-retain", f"PUBLISH QoS {qos} with DUP and RETAIN",
            "valid", ["MQTT-3.3.1-2", "MQTT-3.3.2-1"], w, m, pk="PUBLISH")
        # DUP without RETAIN: with only the vectors above, a decoder that swaps the two bits
        # passed every valid PUBLISH.
        w, m, _ = g.publish(qos=qos, pid=0x1234, dup=True)
        add("publish", f"qos{qos}-dup-without-retain",
            f"PUBLISH QoS {qos} with DUP and without RETAIN", "valid",
            ["MQTT-3.3.1-2", "MQTT-3.3.2-1"], w, m, pk="PUBLISH")
    w, m, _ = g.publish(payload="")
    add("publish", "empty-payload", "PUBLISH QoS 0 with no payload", "valid", ["MQTT-2.2.1-2"],
        w, m, pk="PUBLISH")
    for idp, desc, wire, e in (
            ("qos-3", "PUBLISH with both QoS bits set", H("36 06 00 01 61 00 01 00"),
             err("invalid-qos", "MQTT-3.3.1-4", 0)),
            ("dup-qos0", "PUBLISH with DUP at QoS 0", H("38 04 00 01 61 00"),
             err("dup-with-qos0", "MQTT-3.3.1-2", 0)),
            ("dup-qos0-retain", "PUBLISH with DUP and RETAIN at QoS 0 (the QoS 0 delivery "
             "sends DUP 0)", H("39 04 00 01 61 00"), err("dup-with-qos0", "MQTT-3.3.1-2", 0)),
            ("topic-wildcard-hash", "PUBLISH to 'a/#'", H("30 06 00 03 61 2f 23 00"),
             err("wildcard-in-topic-name", "MQTT-3.3.2-2", 6, "topic-name")),
            ("topic-wildcard-plus", "PUBLISH to '+'", H("30 04 00 01 2b 00"),
             err("wildcard-in-topic-name", "MQTT-3.3.2-2", 4, "topic-name")),
            ("topic-null", "PUBLISH whose topic holds U+0000", H("30 05 00 02 61 00 00"),
             err("null-character", "MQTT-4.7.3-2", 5, "topic-name")),
            ("topic-invalid-utf8", "PUBLISH whose topic holds ed a0 80",
             H("30 06 00 03 ed a0 80 00"), err("invalid-utf8", "MQTT-1.5.4-1", 4, "topic-name")),
            ("topic-past-packet", "PUBLISH whose topic length runs past the packet",
             H("30 04 00 05 61 00"), err("truncated", "MQTT-3.3.2-1", 2, "topic-name")),
            ("packet-id-zero", "PUBLISH QoS 1 with packet identifier 0",
             H("32 06 00 01 61 00 00 00"), err("zero-packet-id", "MQTT-2.2.1-3", 5, "packet-id")),
            ("remaining-length-2", "PUBLISH QoS 0 with Remaining Length 2",
             H("30 02 00 00"), err("invalid-remaining-length", "2.1.4", 1, "remaining-length")),
            ("qos1-remaining-length-4", "PUBLISH QoS 1 with Remaining Length 4",
             H("32 04 00 00 00 01"), err("invalid-remaining-length", "2.1.4", 1,
                                         "remaining-length")),
            ("no-property-length", "PUBLISH QoS 1 in the 3.1.1 layout: no property length",
             H("32 05 00 01 61 00 01"), err("truncated", "3.3.2.3.1", 7, "properties")),
    ):
        extra = {"dup-qos0-retain": ["MQTT-4.3.1-1"], "no-property-length": ["MQTT-2.2.2-1"],
                 "topic-null": ["MQTT-4.7.3-2"], "topic-wildcard-plus": ["MQTT-4.7.0-1"]}
        add("publish", idp, desc, "invalid", [e["clause"]] + extra.get(idp, []), wire, error=e,
            pk="PUBLISH")
    w, m, _ = g.publish([P("payload-format-indicator", 1)], payload="c328")
    add("publish", "payload-format-not-checked", "PUBLISH with Payload Format Indicator 1 and "
        "payload c3 28: accepted by a receiver that does not check (the default)", "valid",
        ["3.3.2.3.2"], w, m, pk="PUBLISH")
    add("publish", "payload-not-utf8", "PUBLISH with Payload Format Indicator 1 and payload "
        "c3 28, to a receiver that checks", "invalid", ["3.3.2.3.2"], w,
        context={"check_payload_utf8": True},
        error=err("payload-not-utf8", "3.3.2.3.2", len(w) - 2, "payload"), pk="PUBLISH")
    w, m, _ = g.publish([P("payload-format-indicator", 1)], payload="e282ac")
    add("publish", "payload-utf8-checked", "PUBLISH with Payload Format Indicator 1 and a "
        "well-formed payload, to a receiver that checks", "valid", ["3.3.2.3.2"], w, m,
        context={"check_payload_utf8": True}, pk="PUBLISH")

    # ---- SUBSCRIBE -------------------------------------------------------------------------
    so = g.sub_opts
    for idp, subs in (("options-all", [("a/b", so(2, True, True, 2))]),
                      ("retain-handling-1", [("a/b", so(1, rh=1))]),
                      ("no-local-rap", [("a/+", so(0, True, True))]),
                      # One of No Local and Retain As Published without the other: a
                      # decoder that swaps the two bits fails these.
                      ("no-local-only", [("a/b", so(1, True, False))]),
                      ("retain-as-published-only", [("a/b", so(1, False, True))]),
                      ("wildcards", [("+", so(0)), ("#", so(1)), ("a/+/b/#", so(2)),
                                     ("+/+", so(0))]),
                      ("shared", [("$share/grp/a/b", so(1, rh=2)), ("$share/g/#", so(0))]),
                      ("shared-utf8-name", [("$share/\u00e9q/x", so(1))]),
                      ("share-without-slash", [("$share", so(1, True))]),
                      ("dollar-topic", [("$SYS/broker", so(0))])):
        w, m, _ = g.subscribe(subs=subs, pid=7)
        add("subscribe", idp, f"SUBSCRIBE: {', '.join(s for s, _ in subs)}", "valid",
            ["MQTT-3.8.3-1", "3.8.3.1", "MQTT-4.7.1-1", "MQTT-4.7.1-2", "MQTT-4.8.2-1",
             "MQTT-4.8.2-2", "MQTT-3.8.3-4", "MQTT-3.8.3-5"], w, m, pk="SUBSCRIBE")

    def bad_sub(idp, desc, filt, opts, kind, clause, off_in_filter=None, at_opts=False,
                field=None, flags=()):
        w, _, o = g.subscribe(subs=[(filt, opts)])
        fstart = o["props"] + 1
        off = len(w) - 1 if at_opts else fstart + 2 + off_in_filter if off_in_filter is not \
            None else fstart
        add("subscribe", idp, desc, "invalid", [clause], w,
            error=err(kind, clause, off, field or ("subscription-options" if at_opts else
                                                   "topic-filter")), flags=flags,
            pk="SUBSCRIBE")

    for b in (0x40, 0x80, 0xC1):
        bad_sub(f"options-reserved-{b:02x}", f"SUBSCRIBE options {b:02x}: reserved bits 6-7",
                "a/b", b, "subscription-reserved-bits", "MQTT-3.8.3-5", at_opts=True,
                flags=["ReservedBits"])
    bad_sub("options-qos-3", "SUBSCRIBE options with QoS 3", "a/b", 0x03,
            "invalid-requested-qos", "3.8.3.1", at_opts=True)
    bad_sub("options-retain-handling-3", "SUBSCRIBE options with Retain Handling 3", "a/b",
            0x30, "invalid-retain-handling", "3.8.3.1", at_opts=True)
    bad_sub("no-local-shared", "SUBSCRIBE with No Local on $share/grp/a", "$share/grp/a", 0x05,
            "no-local-on-shared-subscription", "MQTT-3.8.3-4", at_opts=True)
    bad_sub("shared-empty-name", "SUBSCRIBE to $share//a: empty ShareName", "$share//a", 1,
            "invalid-shared-subscription", "MQTT-4.8.2-1", 7)
    bad_sub("shared-only-prefix", "SUBSCRIBE to $share/: no ShareName", "$share/", 1,
            "invalid-shared-subscription", "MQTT-4.8.2-1", 7)
    bad_sub("shared-name-plus", "SUBSCRIBE to $share/g+/a: a wildcard in the ShareName",
            "$share/g+/a", 1, "invalid-shared-subscription", "MQTT-4.8.2-2", 8)
    bad_sub("shared-name-hash", "SUBSCRIBE to $share/#: a wildcard as the ShareName",
            "$share/#", 1, "invalid-shared-subscription", "MQTT-4.8.2-2", 7)
    bad_sub("shared-no-filter", "SUBSCRIBE to $share/grp: no '/' and filter after the name",
            "$share/grp", 1, "invalid-shared-subscription", "MQTT-4.8.2-2", 10)
    bad_sub("shared-empty-filter", "SUBSCRIBE to $share/grp/: nothing after the '/'",
            "$share/grp/", 1, "invalid-shared-subscription", "MQTT-4.8.2-2", 11)
    bad_sub("filter-hash-not-last", "SUBSCRIBE to a/#/b", "a/#/b", 1,
            "misplaced-multi-level-wildcard", "MQTT-4.7.1-1", 2)
    bad_sub("filter-plus-in-level", "SUBSCRIBE to a/b+", "a/b+", 1,
            "misplaced-single-level-wildcard", "MQTT-4.7.1-2", 3)
    bad_sub("filter-empty", "SUBSCRIBE with an empty filter", "", 1, "empty-topic",
            "MQTT-4.7.3-1")
    bad_sub("filter-null", "SUBSCRIBE to a filter holding U+0000", "a\u0000", 1,
            "null-character", "MQTT-4.7.3-2", 1)
    w, _, o = g.subscribe(subs=[("a/b", 1)])
    w = w[:-4] + b"\xc3\x28\x62\x01"
    add("subscribe", "filter-invalid-utf8", "SUBSCRIBE to a filter holding c3 28", "invalid",
        ["MQTT-3.8.3-1"], w, error=err("invalid-utf8", "MQTT-3.8.3-1", len(w) - 4,
                                       "topic-filter"), pk="SUBSCRIBE")
    add("subscribe", "no-filters", "SUBSCRIBE with a packet id, an empty property block and "
        "no filter", "invalid", ["MQTT-3.8.3-2"], H("82 03 00 01 00"),
        error=err("no-topic-filters", "MQTT-3.8.3-2", 5), pk="SUBSCRIBE")
    add("subscribe", "packet-id-zero", "SUBSCRIBE with packet identifier 0", "invalid",
        ["MQTT-2.2.1-3"], H("82 07 00 00 00 00 01 61 01"),
        error=err("zero-packet-id", "MQTT-2.2.1-3", 2, "packet-id"), pk="SUBSCRIBE")
    add("subscribe", "options-missing", "SUBSCRIBE whose last filter has no options byte",
        "invalid", ["2.1.4"], H("82 06 00 01 00 00 01 61"),
        error=err("truncated", "2.1.4", 8, "subscription-options"), pk="SUBSCRIBE")
    add("subscribe", "v311-layout", "SUBSCRIBE in the 3.1.1 layout (no property length): the "
        "filter length's 00 reads as an empty block, then 03 61 as a length that runs past",
        "invalid", ["2.1.4"], H("82 08 00 01 00 03 61 2f 62 01"),
        error=err("truncated", "2.1.4", 5, "topic-filter"), pk="SUBSCRIBE")
    # UNSUBSCRIBE
    w, m, _ = g.unsubscribe(filters=["a/b", "$share/grp/x/#", "+/y"])
    add("unsubscribe", "three-filters", "UNSUBSCRIBE with three filters, one shared", "valid",
        ["MQTT-3.10.3-1", "MQTT-3.10.3-2", "MQTT-4.8.2-1"], w, m, pk="UNSUBSCRIBE")
    add("unsubscribe", "no-filters", "UNSUBSCRIBE with no filter", "invalid", ["MQTT-3.10.3-2"],
        H("a2 03 00 01 00"), error=err("no-topic-filters", "MQTT-3.10.3-2", 5),
        pk="UNSUBSCRIBE")
    add("unsubscribe", "filter-invalid-utf8", "UNSUBSCRIBE whose filter holds ff", "invalid",
        ["MQTT-3.10.3-1"], H("a2 06 00 01 00 00 01 ff"),
        error=err("invalid-utf8", "MQTT-3.10.3-1", 7, "topic-filter"), pk="UNSUBSCRIBE")
    add("unsubscribe", "packet-id-zero", "UNSUBSCRIBE with packet identifier 0", "invalid",
        ["MQTT-2.2.1-3"], H("a2 06 00 00 00 00 01 61"),
        error=err("zero-packet-id", "MQTT-2.2.1-3", 2, "packet-id"), pk="UNSUBSCRIBE")
    add("unsubscribe", "shared-empty-name", "UNSUBSCRIBE from $share//a", "invalid",
        ["MQTT-4.8.2-1"], H("a2 0e 00 01 00 00 09 24 73 68 61 72 65 2f 2f 61"),
        error=err("invalid-shared-subscription", "MQTT-4.8.2-1", 14, "topic-filter"),
        pk="UNSUBSCRIBE")
    # Found by the codec's 5.0 mutation test: the empty ShareName (byte 14) comes before the
    # byte that is not UTF-8 (byte 15): the first offending byte wins.
    add("subscribe", "shared-empty-name-before-bad-utf8", "SUBSCRIBE to $share// then a byte "
        "that is not UTF-8: the empty ShareName is found first", "invalid", ["MQTT-4.8.2-1"],
        H("82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 2f 91 74 02"),
        error=err("invalid-shared-subscription", "MQTT-4.8.2-1", 14, "topic-filter"),
        pk="SUBSCRIBE")
    add("suback", "packet-id-zero", "SUBACK with packet identifier 0", "invalid", ["2.2.1"],
        H("90 04 00 00 00 00"), error=err("zero-packet-id", "2.2.1", 2, "packet-id"),
        pk="SUBACK")

    gen_context(g)


def gen_context(g):
    """Vectors decoded under negotiated limits (DECISIONS.md section 6)."""
    P, add, err = g.P, g.add, g.err

    # Maximum Packet Size: the whole packet is at most the limit.
    for recv, clause, extra in (("client", "MQTT-3.1.2-24", []), ("server", "MQTT-3.2.2-15", [])):
        w, m, _ = g.publish(payload="61" * 10)
        n = len(w)
        add("publish", f"maximum-packet-size-exact-{recv}",
            f"PUBLISH of {n} bytes to a {recv} that set Maximum Packet Size {n}", "valid",
            [clause] + extra, w, m, context={"receiver": recv, "maximum_packet_size": n},
            pk="PUBLISH")
        add("publish", f"maximum-packet-size-exceeded-{recv}",
            f"PUBLISH of {n} bytes to a {recv} that set Maximum Packet Size {n - 1}", "invalid",
            [clause] + extra, w, context={"receiver": recv, "maximum_packet_size": n - 1},
            error=err("packet-too-large", clause, 1, "remaining-length"), pk="PUBLISH")
    # A property that pushes a packet past the receiver's Maximum Packet Size.
    per_packet = [("CONNACK", "client", ["MQTT-3.2.2-19", "MQTT-3.2.2-20"]),
                  ("PUBACK", "server", ["MQTT-3.4.2-2", "MQTT-3.4.2-3"]),
                  ("PUBREC", "client", ["MQTT-3.5.2-2", "MQTT-3.5.2-3"]),
                  ("PUBREL", "server", ["MQTT-3.6.2-2", "MQTT-3.6.2-3"]),
                  ("PUBCOMP", "client", ["MQTT-3.7.2-2", "MQTT-3.7.2-3"]),
                  ("SUBACK", "client", ["MQTT-3.9.2-1", "MQTT-3.9.2-2"]),
                  ("UNSUBACK", "client", ["MQTT-3.11.2-1", "MQTT-3.11.2-2"]),
                  ("DISCONNECT", "server", ["MQTT-3.14.2-3", "MQTT-3.14.2-4"]),
                  ("AUTH", "client", ["MQTT-3.15.2-2", "MQTT-3.15.2-3"])]
    for pk, recv, clauses in per_packet:
        size_clause = "MQTT-3.1.2-24" if recv == "client" else "MQTT-3.2.2-15"
        file = g.FILE_OF[pk]
        fp = g.file_prefix(pk)
        for name, clause in (("reason-string", clauses[0]), ("user-property", clauses[1])):
            w0, m0, _ = g.host(pk, [])
            w, m, _ = g.host(pk, [P(name)])
            ctx = {"receiver": recv, "maximum_packet_size": len(w0)}
            add(file, f"{fp}{name}-within-maximum-packet-size",
                f"{pk} without a {name}, exactly the Maximum Packet Size ({len(w0)}) the "
                f"{recv} set", "valid", [clause, size_clause], w0, m0, context=ctx, pk=pk)
            add(file, f"{fp}{name}-beyond-maximum-packet-size",
                f"{pk} whose {name} takes it past the Maximum Packet Size ({len(w0)}) the "
                f"{recv} set", "invalid", [clause, size_clause], w, context=ctx,
                error=err("packet-too-large", size_clause, 1, "remaining-length"), pk=pk)
    # Topic Alias Maximum.
    for recv, above, zero, accept in (("server", "MQTT-3.3.2-9", "MQTT-3.2.2-18",
                                       ["MQTT-3.3.2-12", "MQTT-3.2.2-17"]),
                                      ("client", "MQTT-3.3.2-11", "MQTT-3.1.2-27",
                                       ["MQTT-3.3.2-10", "MQTT-3.1.2-26"])):
        for alias in (1, 10):
            w, m, _ = g.publish([P("topic-alias", alias)])
            add("publish", f"topic-alias-{alias}-within-maximum-{recv}",
                f"PUBLISH with Topic Alias {alias} to a {recv} whose Topic Alias Maximum is 10",
                "valid", accept + [above], w, m,
                context={"receiver": recv, "topic_alias_maximum": 10}, pk="PUBLISH")
        for alias, at in ((11, 10), (0x0100, 9)):
            w, _, o = g.publish([P("topic-alias", alias)])
            add("publish", f"topic-alias-{alias}-above-maximum-{recv}",
                f"PUBLISH with Topic Alias {alias} to a {recv} whose Topic Alias Maximum is 10",
                "invalid", accept + [above], w,
                context={"receiver": recv, "topic_alias_maximum": 10},
                error=err("topic-alias-out-of-range", above, o["props"] + 2, "topic-alias"),
                pk="PUBLISH")
        w, _, o = g.publish([P("topic-alias", 1)])
        if recv == "server":
            w11, _, o11 = g.publish([P("topic-alias", 11)])
            add("publish", "topic-alias-above-maximum-either", "PUBLISH with Topic Alias 11 to "
                "a receiver (either side) whose Topic Alias Maximum is 10", "invalid",
                ["3.3.2.3.4"], w11, context={"topic_alias_maximum": 10},
                error=err("topic-alias-out-of-range", "3.3.2.3.4", o11["props"] + 2,
                          "topic-alias"), pk="PUBLISH")
        add("publish", f"topic-alias-maximum-0-{recv}",
            f"PUBLISH with Topic Alias 1 to a {recv} that allows none", "invalid",
            [zero], w, context={"receiver": recv, "topic_alias_maximum": 0},
            error=err("topic-alias-out-of-range", zero, o["props"] + 2, "topic-alias"),
            pk="PUBLISH")
        w, m, _ = g.publish([])
        add("publish", f"no-topic-alias-maximum-0-{recv}",
            f"PUBLISH without a Topic Alias to a {recv} that allows none", "valid", [zero], w, m,
            context={"receiver": recv, "topic_alias_maximum": 0}, pk="PUBLISH")
    # Maximum QoS and Retain Available announced by the server.
    for mq in (0, 1):
        w, m, _ = g.publish(qos=mq)
        add("publish", f"qos{mq}-maximum-qos-{mq}", f"PUBLISH QoS {mq} to a server whose "
            f"Maximum QoS is {mq}", "valid", ["MQTT-3.2.2-11"], w, m,
            context={"receiver": "server", "maximum_qos": mq}, pk="PUBLISH")
        w, _, _ = g.publish(qos=mq + 1)
        add("publish", f"qos{mq + 1}-maximum-qos-{mq}", f"PUBLISH QoS {mq + 1} to a server "
            f"whose Maximum QoS is {mq}", "invalid", ["MQTT-3.2.2-11"], w,
            context={"receiver": "server", "maximum_qos": mq},
            error=err("qos-not-supported", "MQTT-3.2.2-11", 0), pk="PUBLISH")
    w, m, _ = g.publish()
    add("publish", "retain-0-retain-unavailable", "PUBLISH without RETAIN to a server without "
        "retained messages", "valid", ["MQTT-3.2.2-14"], w, m,
        context={"receiver": "server", "retain_available": False}, pk="PUBLISH")
    w, _, _ = g.publish(retain=True)
    add("publish", "retain-1-retain-unavailable", "PUBLISH with RETAIN to a server without "
        "retained messages", "invalid", ["MQTT-3.2.2-14"], w,
        context={"receiver": "server", "retain_available": False},
        error=err("retain-not-supported", "MQTT-3.2.2-14", 0), pk="PUBLISH")
    w, _, _ = g.connect(will={"topic": "w", "qos": 2})
    add("connect", "will-qos-2-maximum-qos-1", "CONNECT with a Will at QoS 2 to a server "
        "whose Maximum QoS is 1", "invalid", ["MQTT-3.2.2-12"], w,
        context={"receiver": "server", "maximum_qos": 1},
        error=err("qos-not-supported", "MQTT-3.2.2-12", 9, "connect-flags"), pk="CONNECT")
    w, _, _ = g.connect(will={"topic": "w", "retain": True})
    add("connect", "will-retain-retain-unavailable", "CONNECT with Will Retain to a server "
        "without retained messages", "invalid", ["MQTT-3.2.2-13"], w,
        context={"receiver": "server", "retain_available": False},
        error=err("retain-not-supported", "MQTT-3.2.2-13", 9, "connect-flags"), pk="CONNECT")
    # Wildcard, shared and identified subscriptions.
    so = g.sub_opts
    for key_, val, subs, kind, clause, off in (
            ("wildcard_subscription_available", "wildcards", [("a/+", so(1))],
             "wildcard-subscriptions-not-supported", "3.2.2.3.11", 9),
            ("wildcard_subscription_available", "wildcards-hash", [("#", so(1))],
             "wildcard-subscriptions-not-supported", "3.2.2.3.11", 7),
            ("shared_subscription_available", "shared", [("$share/g/a", so(1))],
             "shared-subscriptions-not-supported", "3.2.2.3.13", 7)):
        w, m, _ = g.subscribe(subs=[("a/b", so(1))])
        add("subscribe", f"{val}-unavailable-plain", "SUBSCRIBE to a/b where the server "
            f"announced no {val}", "valid", [clause], w, m,
            context={"receiver": "server", key_: False}, pk="SUBSCRIBE")
        w, _, _ = g.subscribe(subs=subs)
        add("subscribe", f"{val}-unavailable", f"SUBSCRIBE to {subs[0][0]} where the server "
            f"announced no {val}", "invalid", [clause], w,
            context={"receiver": "server", key_: False},
            error=err(kind, clause, off, "topic-filter"), pk="SUBSCRIBE")
    w, _, o = g.subscribe([P("subscription-identifier", 3)])
    add("subscribe", "subscription-identifier-unavailable", "SUBSCRIBE with a Subscription "
        "Identifier where the server announced none", "invalid", ["3.2.2.3.12"], w,
        context={"receiver": "server", "subscription_identifiers_available": False},
        error=err("subscription-identifiers-not-supported", "3.2.2.3.12", o["props"] + 1,
                  "subscription-identifier"), pk="SUBSCRIBE")
    # Request Problem / Response Information, Authentication Method.
    ctx = {"receiver": "client", "request_problem_information": False}
    for pk in ("PUBACK", "SUBACK", "AUTH"):
        for name in ("reason-string", "user-property"):
            w, _, o = g.host(pk, [P(name)])
            add(g.FILE_OF[pk], f"{g.file_prefix(pk)}{name}-problem-information-0",
                f"{pk} with a {name} to a client that sent Request Problem Information 0",
                "invalid", ["MQTT-3.1.2-29"], w, context=ctx,
                error=err("property-not-expected", "MQTT-3.1.2-29", o + 1, name), pk=pk)
    for pk in ("CONNACK", "DISCONNECT", "PUBLISH"):
        name = "user-property"
        w, m, _ = g.host(pk, [P(name)])
        add(g.FILE_OF[pk], f"{name}-problem-information-0",
            f"{pk} with a User Property to a client that sent Request Problem Information 0: "
            "allowed in this packet", "valid", ["MQTT-3.1.2-29"], w, m, context=ctx, pk=pk)
    w, _, o = g.connack([P("response-information")])
    add("connack", "response-information-not-requested", "CONNACK with Response Information "
        "to a client that sent Request Response Information 0", "invalid", ["MQTT-3.1.2-28"], w,
        context={"receiver": "client", "request_response_information": False},
        error=err("property-not-expected", "MQTT-3.1.2-28", o["props"] + 1,
                  "response-information"), pk="CONNACK")
    w, m, _ = g.connack([P("response-information")])
    add("connack", "response-information-requested", "CONNACK with Response Information to a "
        "client that asked for it", "valid", ["MQTT-3.1.2-28"], w, m,
        context={"receiver": "client", "request_response_information": True}, pk="CONNACK")
    w, _, o = g.connack([P("authentication-method")])
    add("connack", "authentication-method-not-sent", "CONNACK with an Authentication Method "
        "to a client whose CONNECT had none", "invalid", ["MQTT-4.12.0-6"], w,
        context={"receiver": "client", "authentication_method": False},
        error=err("property-not-expected", "MQTT-4.12.0-6", o["props"] + 1,
                  "authentication-method"), pk="CONNACK")
    for recv, clause in (("client", "MQTT-4.12.0-6"), ("server", "MQTT-4.12.0-7")):
        w, m, _ = g.disc_auth("AUTH", [P("authentication-method")])
        add("auth", f"with-method-{recv}", f"AUTH to a {recv} on a connection whose CONNECT "
            "had an Authentication Method", "valid", [clause], w, m,
            context={"receiver": recv, "authentication_method": True}, pk="AUTH")
        add("auth", f"without-method-{recv}", f"AUTH to a {recv} on a connection whose CONNECT "
            "had no Authentication Method", "invalid", [clause], w,
            context={"receiver": recv, "authentication_method": False},
            error=err("unexpected-auth", clause, 0), pk="AUTH")
    w, _, o = g.disc_auth("DISCONNECT", [P("session-expiry-interval")])
    add("disconnect", "session-expiry-to-client", "DISCONNECT from a server with a Session "
        "Expiry Interval", "invalid", ["MQTT-3.14.2-2"], w, context={"receiver": "client"},
        error=err("property-not-expected", "MQTT-3.14.2-2", o["props"] + 1,
                  "session-expiry-interval"), direction="server-to-client", pk="DISCONNECT")
    w, m, _ = g.disc_auth("DISCONNECT", [P("session-expiry-interval")])
    add("disconnect", "session-expiry-to-server", "DISCONNECT from a client with a Session "
        "Expiry Interval", "valid", ["MQTT-3.14.2-2"], w, m, context={"receiver": "server"},
        direction="client-to-server", pk="DISCONNECT")
