#!/usr/bin/env node
// An adapter for the MQTT golden vectors (vectors/ADAPTER-PROTOCOL.md): a template.
//
// Copy this file, set VERSION and FEATURES, and replace decode() and encode() with calls to
// your library. Node.js only, no packages. Run it with
//     mqtt-vectors run --impl "node adapter.js"           # or: --protocol 3.1.1
//
// As it stands, decode() is a stand-in that knows only PINGREQ and PINGRESP and answers
// "unsupported" to every other packet, so that the template runs end to end.
'use strict'
const readline = require('readline')

// `node adapter.js --version` prints this line: your implementation's name and version.
const VERSION = 'example-decoder 0.0.0'
// "5.0": it takes requests with "protocol": "5.0". Add "context" once decode() applies the
// request's context (the limits negotiated on the connection, vectors/v5/DECISIONS.md 6).
const FEATURES = ['5.0']

// Decodes one packet from the start of `data` (a Buffer, possibly empty, possibly holding
// more than one packet) and returns one of:
//   {result: 'valid', consumed: N, packet: {...the JSON packet model...}}
//   {result: 'invalid', error: {kind: 'unknown', message: '...'}}
//   {result: 'incomplete'}
//   {result: 'unsupported'}
// Catch only your library's ways of refusing input (-> invalid) and of asking for more
// (-> incomplete); let anything else throw: the loop below answers it as a crash. Binary
// fields in the packet are lower-case hex (buf.toString('hex')); absent fields are null.
function decode (data, protocol, context) {
  // --- the stand-in: replace from here ---
  if (data.length === 0) return { result: 'incomplete' }
  const name = { 0xc0: 'PINGREQ', 0xd0: 'PINGRESP' }[data[0]]
  if (name === undefined) return { result: 'unsupported' }
  if (data.length === 1) return { result: 'incomplete' }
  if (data[1] !== 0) {
    const message = `${name} with Remaining Length byte ${data[1].toString(16).padStart(2, '0')}`
    return { result: 'invalid', error: { kind: 'unknown', message } }
  }
  return { result: 'valid', consumed: 2, packet: { type: name } }
  // --- to here ---
}

// The bytes of a JSON packet model (a Buffer), or null when the library cannot encode it.
function encode (packet, protocol, context) {
  // --- the stand-in: replace from here ---
  const hex = { PINGREQ: 'c000', PINGRESP: 'd000' }[packet.type]
  return hex === undefined ? null : Buffer.from(hex, 'hex')
  // --- to here ---
}

function answer (request) {
  if ('features' in request) return { features: FEATURES }
  const protocol = request.protocol || '3.1.1'
  if (protocol !== '3.1.1' && !FEATURES.includes(protocol)) return { result: 'unsupported' }
  const context = request.context
  try {
    if ('encode' in request) {
      const data = encode(request.encode, protocol, context)
      return data === null ? { result: 'unsupported' } : { hex: data.toString('hex') }
    }
    return decode(Buffer.from(request.hex, 'hex'), protocol, context)
  } catch (e) { // not the library's way of refusing input: a crash
    return { result: 'crash', reason: `${e && e.name}: ${e && e.message}` }
  }
}

if (process.argv[2] === '--version') {
  console.log(VERSION)
} else {
  // Standard output carries answers only: whatever the library logs goes to stderr.
  const write = (text) => process.stdout.write(text)
  console.log = console.info = console.debug = console.error
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === '') return
    const request = JSON.parse(line)
    write(JSON.stringify({ id: request.id, ...answer(request) }) + '\n')
  })
}
