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

const mqtt = require('mqtt-packet')

function hex (buf) {
  return Buffer.from(buf || []).toString('hex')
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

function decode (buf) {
  const parser = mqtt.parser({ protocolVersion: 4 })
  let first = null
  parser.on('packet', (packet) => {
    if (first === null) {
      first = { result: 'valid', consumed: buf.length - parser._list.length, packet: toModel(packet) }
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
  if ((request.protocol || '3.1.1') !== '3.1.1') return { result: 'unsupported' }
  try {
    if (request.encode !== undefined) return encode(request.encode)
    return decode(Buffer.from(request.hex, 'hex'))
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
