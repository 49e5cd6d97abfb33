// Known answers for the secret-stream crypto layer, so NoiseInteropIT can compare the Java code
// with the pinned JS byte for byte. Reads one JSON document on stdin, prints one on stdout; byte
// strings are hex.
//
// Input (every section optional):
//   handshakes: [{ initiatorSeed, responderSeed, initiatorEphemeralSeed, responderEphemeralSeed }]
//               run through @hyperswarm/secret-stream's own lib/handshake.js (noise-handshake +
//               noise-curve-ed), with the ephemeral key pairs fixed from the given seeds
//   dh:         [{ publicKey, seed }]             noise-curve-ed dh(publicKey, keyPair(seed)), null if refused
//   hkdf:       [{ salt, ikm }]                   noise-handshake's hkdf, both 64-byte outputs
//   push:       [{ key, messages: [hex] }]        sodium-secretstream Push: header + one ciphertext per message
//   pull:       [{ key, header, ciphertexts }]    sodium-secretstream Pull: plaintexts, null from the first refused
//   streamIds:  [{ handshakeHash, isInitiator }]  NoiseSecretStream.id(...)
// Output: the same section names, one result per input.

const Handshake = require('@hyperswarm/secret-stream/lib/handshake')
const NoiseSecretStream = require('@hyperswarm/secret-stream')
const curve = require('noise-curve-ed')
const { hkdf } = require('noise-handshake/hkdf')
const { Push, Pull } = require('sodium-secretstream')

const hex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'))
const buf = (h) => Buffer.from(h, 'hex')

function side(r) {
  return { hash: hex(r.hash), tx: hex(r.tx), rx: hex(r.rx), remotePublicKey: hex(r.remotePublicKey) }
}

function handshake(c) {
  const i = new Handshake(true, Handshake.keyPair(buf(c.initiatorSeed)), null, 'XX')
  const r = new Handshake(false, Handshake.keyPair(buf(c.responderSeed)), null, 'XX')
  i.noise.e = curve.generateKeyPair(buf(c.initiatorEphemeralSeed))
  r.noise.e = curve.generateKeyPair(buf(c.responderEphemeralSeed))
  // recv() zeroes the received ephemeral key in place when the handshake completes, so each
  // side gets its own copy of the message
  const body = (m) => Buffer.from(m.data.subarray(3))
  const m1 = i.send()
  const m2 = r.recv(body(m1))
  const m3 = i.recv(body(m2))
  const done = r.recv(body(m3))
  return {
    msg1: hex(m1.data),
    msg2: hex(m2.data),
    msg3: hex(m3.data),
    initiator: side(m3),
    responder: side(done)
  }
}

function dh({ publicKey, seed }) {
  try {
    return hex(curve.dh(buf(publicKey), curve.generateKeyPair(buf(seed))))
  } catch {
    return null
  }
}

function push({ key, messages }) {
  const p = new Push(buf(key))
  return { header: hex(p.header), ciphertexts: messages.map((m) => hex(p.next(buf(m)))) }
}

function pull({ key, header, ciphertexts }) {
  const p = new Pull(buf(key))
  p.init(buf(header))
  const out = []
  for (const c of ciphertexts) {
    try {
      out.push(hex(p.next(buf(c))))
    } catch {
      out.push(null)
      break
    }
  }
  return out
}

function run(input) {
  return {
    handshakes: (input.handshakes || []).map(handshake),
    dh: (input.dh || []).map(dh),
    hkdf: (input.hkdf || []).map(({ salt, ikm }) => hkdf(buf(salt), buf(ikm)).map(hex)),
    push: (input.push || []).map(push),
    pull: (input.pull || []).map(pull),
    streamIds: (input.streamIds || []).map(({ handshakeHash, isInitiator }) =>
      hex(NoiseSecretStream.id(buf(handshakeHash), isInitiator))
    )
  }
}

let data = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => (data += d))
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(run(JSON.parse(data))))
})
