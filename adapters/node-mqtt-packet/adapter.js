'use strict'
// Adapter-protocol wrapper (vectors/README.md, "Adapter protocol") around mqtt-packet, the
// parser and generator behind MQTT.js. `node adapter.js --version` prints the version in use.
//
// One JSON request per line on standard input, one answer per line on standard output. Each
// decode request gets a new parser (protocol version 4) fed the whole buffer at once:
// - its first 'packet' event: `valid`, consumed = the bytes the parser had taken off its
//   buffer list when it emitted the packet;
// - its first 'error' event: `invalid`, kind `unknown` (the parser's errors are messages),
//   with the message;
// - neither: `incomplete`;
// - an exception thrown out of parse() before either event: `crash`. Once the first packet or
//   error is in, later events and exceptions (the parser goes on with the rest of the
//   buffer) are ignored: the request asks about the first packet only.
//
// What it cannot express: the parser also accepts MQTT 3.1 ("MQIsdp", level 3) and 5.0
// CONNECTs; their name and level are reported as they are. A user name is a string, a password
// a Buffer, as in the model.
//
// MQTT 5.0 (`"protocol": "5.0"`, a parser with protocolVersion 5): the adapter declares the
// feature "5.0" and not "context" (the parser takes no negotiated limits), so the runner skips
// and counts the vectors that carry a context. The parser keeps properties in an object keyed
// by name, so the model lists them in the order each name first appeared on the wire, with the
// repeated ones (User Property, Subscription Identifier) grouped at their first place, and
// User Properties grouped by key; a vector whose properties interleave otherwise fails on the
// model, not on the decoding. The parser does not say which short form an acknowledgement,
// DISCONNECT or AUTH took (it fills in reason 0 and leaves empty properties out), so the
// adapter tells the forms of v5/DECISIONS.md section 3 apart by the Remaining Length the parser
// read (`packet.length`): 2 for an acknowledgement, 0 for DISCONNECT or AUTH, is the form
// without reason code and properties (`null`, `null`); one byte more is the form without
// properties. Errors are messages: kind `unknown`. Encoding 5.0 is not offered
// (`unsupported`).

const mqtt = require('mqtt-packet')

function hex (buf) {
  return Buffer.from(buf || []).toString('hex')
}

// Property names (v5/DECISIONS.md section 2) by the parser's names.
const PROPERTY = {
  payloadFormatIndicator: [1, 'payload-format-indicator'],
  messageExpiryInterval: [2, 'message-expiry-interval'],
  contentType: [3, 'content-type'],
  responseTopic: [8, 'response-topic'],
  correlationData: [9, 'correlation-data', 'binary'],
  subscriptionIdentifier: [11, 'subscription-identifier'],
  sessionExpiryInterval: [17, 'session-expiry-interval'],
  assignedClientIdentifier: [18, 'assigned-client-identifier'],
  serverKeepAlive: [19, 'server-keep-alive'],
  authenticationMethod: [21, 'authentication-method'],
  authenticationData: [22, 'authentication-data', 'binary'],
  requestProblemInformation: [23, 'request-problem-information'],
  willDelayInterval: [24, 'will-delay-interval'],
  requestResponseInformation: [25, 'request-response-information'],
  responseInformation: [26, 'response-information'],
  serverReference: [28, 'server-reference'],
  reasonString: [31, 'reason-string'],
  receiveMaximum: [33, 'receive-maximum'],
  topicAliasMaximum: [34, 'topic-alias-maximum'],
  topicAlias: [35, 'topic-alias'],
  maximumQoS: [36, 'maximum-qos'],
  retainAvailable: [37, 'retain-available'],
  userProperties: [38, 'user-property', 'pair'],
  maximumPacketSize: [39, 'maximum-packet-size'],
  wildcardSubscriptionAvailable: [40, 'wildcard-subscription-available'],
  subscriptionIdentifiersAvailable: [41, 'subscription-identifier-available'],
  sharedSubscriptionAvailable: [42, 'shared-subscription-available']
}

function properties (props) {
  const out = []
  for (const [key, value] of Object.entries(props || {})) {
    const known = PROPERTY[key]
    if (!known) throw new Error(`unknown property ${key}`)
    const [id, name, type] = known
    if (type === 'pair') {
      for (const [k, v] of Object.entries(value)) {
        for (const one of Array.isArray(v) ? v : [v]) out.push({ id, name, value: [k, one] })
      }
      continue
    }
    for (const one of Array.isArray(value) ? value : [value]) {
      // The parser reads the byte-sized flags as booleans.
      const v = type === 'binary' ? hex(one) : typeof one === 'boolean' ? Number(one) : one
      out.push({ id, name, value: v })
    }
  }
  return out
}

const REASON = {
  0: 'success', 1: 'granted-qos-1', 2: 'granted-qos-2', 4: 'disconnect-with-will-message',
  16: 'no-matching-subscribers', 17: 'no-subscription-existed', 24: 'continue-authentication',
  25: 're-authenticate', 128: 'unspecified-error', 129: 'malformed-packet', 130: 'protocol-error',
  131: 'implementation-specific-error', 132: 'unsupported-protocol-version',
  133: 'client-identifier-not-valid', 134: 'bad-user-name-or-password', 135: 'not-authorized',
  136: 'server-unavailable', 137: 'server-busy', 138: 'banned', 139: 'server-shutting-down',
  140: 'bad-authentication-method', 141: 'keep-alive-timeout', 142: 'session-taken-over',
  143: 'topic-filter-invalid', 144: 'topic-name-invalid', 145: 'packet-identifier-in-use',
  146: 'packet-identifier-not-found', 147: 'receive-maximum-exceeded', 148: 'topic-alias-invalid',
  149: 'packet-too-large', 150: 'message-rate-too-high', 151: 'quota-exceeded',
  152: 'administrative-action', 153: 'payload-format-invalid', 154: 'retain-not-supported',
  155: 'qos-not-supported', 156: 'use-another-server', 157: 'server-moved',
  158: 'shared-subscriptions-not-supported', 159: 'connection-rate-exceeded',
  160: 'maximum-connect-time', 161: 'subscription-identifiers-not-supported',
  162: 'wildcard-subscriptions-not-supported'
}

function reason (type, value) {
  if (value === undefined || value === null) return null
  let name = REASON[value] || `reserved-${value}`
  if (value === 0 && type === 'DISCONNECT') name = 'normal-disconnection'
  if (value === 0 && type === 'SUBACK') name = 'granted-qos-0'
  return { value, name }
}

function toModel5 (p) {
  const type = p.cmd.toUpperCase()
  const props = properties(p.properties)
  // The short forms, by Remaining Length (see the header).
  const short = (base) => {
    if (p.length <= base) return { reason_code: null, properties: null }
    if (p.length === base + 1) return { reason_code: reason(type, p.reasonCode), properties: null }
    return { reason_code: reason(type, p.reasonCode), properties: props }
  }
  switch (p.cmd) {
    case 'connect':
      return {
        type,
        protocol_name: p.protocolId,
        protocol_level: p.protocolVersion,
        clean_start: p.clean,
        keep_alive: p.keepalive,
        properties: props,
        client_id: p.clientId,
        will: p.will
          ? {
              properties: properties(p.will.properties),
              topic: p.will.topic,
              message: hex(p.will.payload),
              qos: p.will.qos,
              retain: p.will.retain
            }
          : null,
        username: p.username === undefined ? null : p.username,
        password: p.password === undefined ? null : hex(p.password)
      }
    case 'connack':
      return { type, session_present: p.sessionPresent, reason_code: reason(type, p.reasonCode), properties: props }
    case 'publish':
      return {
        type,
        dup: p.dup,
        qos: p.qos,
        retain: p.retain,
        topic: p.topic,
        packet_id: p.qos > 0 ? p.messageId : null,
        properties: props,
        payload: hex(p.payload)
      }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp':
      return { type, packet_id: p.messageId, ...short(2) }
    case 'subscribe':
      return {
        type,
        packet_id: p.messageId,
        properties: props,
        subscriptions: p.subscriptions.map((s) => ({
          filter: s.topic,
          qos: s.qos,
          no_local: !!s.nl,
          retain_as_published: !!s.rap,
          retain_handling: s.rh || 0
        }))
      }
    case 'suback': case 'unsuback':
      return { type, packet_id: p.messageId, properties: props, reason_codes: (p.granted || p.reasonCodes || []).map((c) => reason(type, c)) }
    case 'unsubscribe':
      return { type, packet_id: p.messageId, properties: props, filters: p.unsubscriptions }
    case 'disconnect': case 'auth':
      return { type, ...short(0) }
    default:
      return { type }
  }
}

function toModel (p) {
  const type = p.cmd.toUpperCase()
  switch (p.cmd) {
    case 'connect':
      return {
        type,
        protocol_name: p.protocolId,
        protocol_level: p.protocolVersion,
        clean_session: p.clean,
        keep_alive: p.keepalive,
        client_id: p.clientId,
        will: p.will
          ? { topic: p.will.topic, message: hex(p.will.payload), qos: p.will.qos, retain: p.will.retain }
          : null,
        username: p.username === undefined ? null : p.username,
        password: p.password === undefined ? null : hex(p.password)
      }
    case 'connack':
      return { type, session_present: p.sessionPresent, return_code: p.returnCode }
    case 'publish':
      return {
        type,
        dup: p.dup,
        qos: p.qos,
        retain: p.retain,
        topic: p.topic,
        packet_id: p.qos > 0 ? p.messageId : null,
        payload: hex(p.payload)
      }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': case 'unsuback':
      return { type, packet_id: p.messageId }
    case 'subscribe':
      return {
        type,
        packet_id: p.messageId,
        subscriptions: p.subscriptions.map((s) => ({ filter: s.topic, qos: s.qos }))
      }
    case 'suback':
      return { type, packet_id: p.messageId, return_codes: p.granted }
    case 'unsubscribe':
      return { type, packet_id: p.messageId, filters: p.unsubscriptions }
    default:
      return { type }
  }
}

function fromModel (m) {
  const cmd = m.type.toLowerCase()
  switch (m.type) {
    case 'CONNECT': {
      const p = {
        cmd,
        protocolId: m.protocol_name,
        protocolVersion: m.protocol_level,
        clean: m.clean_session,
        keepalive: m.keep_alive,
        clientId: m.client_id
      }
      if (m.will) {
        p.will = { topic: m.will.topic, payload: Buffer.from(m.will.message, 'hex'), qos: m.will.qos, retain: m.will.retain }
      }
      if (m.username !== null) p.username = m.username
      if (m.password !== null) p.password = Buffer.from(m.password, 'hex')
      return p
    }
    case 'CONNACK':
      return { cmd, sessionPresent: m.session_present, returnCode: m.return_code }
    case 'PUBLISH': {
      const p = { cmd, dup: m.dup, qos: m.qos, retain: m.retain, topic: m.topic, payload: Buffer.from(m.payload, 'hex') }
      if (m.packet_id !== null) p.messageId = m.packet_id
      return p
    }
    case 'PUBACK': case 'PUBREC': case 'PUBREL': case 'PUBCOMP': case 'UNSUBACK':
      return { cmd, messageId: m.packet_id }
    case 'SUBSCRIBE':
      return { cmd, messageId: m.packet_id, subscriptions: m.subscriptions.map((s) => ({ topic: s.filter, qos: s.qos })) }
    case 'SUBACK':
      return { cmd, messageId: m.packet_id, granted: m.return_codes }
    case 'UNSUBSCRIBE':
      return { cmd, messageId: m.packet_id, unsubscriptions: m.filters }
    default:
      return { cmd }
  }
}

function decode (buf, v5) {
  const parser = mqtt.parser({ protocolVersion: v5 ? 5 : 4 })
  let first = null
  parser.on('packet', (packet) => {
    if (first === null) {
      first = { result: 'valid', consumed: buf.length - parser._list.length, packet: v5 ? toModel5(packet) : toModel(packet) }
    }
  })
  parser.on('error', (err) => {
    if (first === null) {
      first = { result: 'invalid', error: { kind: 'unknown', message: err.message } }
    }
  })
  try {
    parser.parse(buf)
  } catch (e) {
    if (first === null) return { result: 'crash', reason: `${e.name}: ${e.message}` }
  }
  return first || { result: 'incomplete' }
}

function encode (model) {
  try {
    return { hex: hex(mqtt.generate(fromModel(model), { protocolVersion: 4 })) }
  } catch (e) {
    return { result: 'unsupported', reason: `${e.name}: ${e.message}` }
  }
}

function answer (request) {
  // The features beyond 3.1.1 decoding: 5.0, without a context.
  if (request.features !== undefined) return { features: ['5.0'] }
  const protocol = request.protocol || '3.1.1'
  if (protocol !== '3.1.1' && protocol !== '5.0') return { result: 'unsupported' }
  if (request.context !== undefined && request.context !== null) return { result: 'unsupported', reason: 'no context' }
  try {
    if (request.encode !== undefined) {
      if (protocol === '5.0') return { result: 'unsupported', reason: 'the adapter does not encode 5.0' }
      return encode(request.encode)
    }
    return decode(Buffer.from(request.hex, 'hex'), protocol === '5.0')
  } catch (e) {
    return { result: 'crash', reason: `${e.name}: ${e.message}` }
  }
}

if (process.argv.includes('--version')) {
  console.log(require('mqtt-packet/package.json').version)
} else {
  let pending = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk) => {
    pending += chunk
    let newline
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline)
      pending = pending.slice(newline + 1)
      if (!line.trim()) continue
      const request = JSON.parse(line)
      process.stdout.write(JSON.stringify({ id: request.id, ...answer(request) }) + '\n')
    }
  })
}
