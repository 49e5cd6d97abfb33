// Known answers for HyperDHT's Noise IK handshake (noise-handshake 'IK' with noise-curve-ed and
// the NS_PEER_HANDSHAKE prologue, as hyperdht's lib/noise-wrap.js sets it up), so
// NoiseIKInteropIT can compare the Java NoiseIK byte for byte. The ephemeral key pairs are fixed
// from seeds. Reads one JSON document on stdin, prints one on stdout; byte strings are hex.
//
// Input:  { prologue, handshakes: [{ clientSeed, serverSeed, clientEphemeralSeed,
//                                    serverEphemeralSeed, payload1, payload2 }],
//           msg1s: [{ serverSeed, msg1 }] }  messages for a JS responder to receive
// Output: { handshakes: [{ msg1, msg2, recv1, recv2, client: side, server: side }],
//           msg1s: [{ payload, remotePublicKey } or null if refused] }
//         side = { hash, tx, rx, remotePublicKey }

const NoiseHandshake = require('noise-handshake')
const curve = require('noise-curve-ed')

const hex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'))
const buf = (h) => Buffer.from(h, 'hex')

function side(n) {
  return { hash: hex(n.hash), tx: hex(n.tx), rx: hex(n.rx), remotePublicKey: hex(n.rs) }
}

function handshake(prologue, c) {
  const server = curve.generateKeyPair(buf(c.serverSeed))
  const client = new NoiseHandshake('IK', true, curve.generateKeyPair(buf(c.clientSeed)), { curve })
  const srv = new NoiseHandshake('IK', false, server, { curve })
  client.initialise(prologue, Buffer.from(server.publicKey))
  srv.initialise(prologue)
  client.e = curve.generateKeyPair(buf(c.clientEphemeralSeed))
  srv.e = curve.generateKeyPair(buf(c.serverEphemeralSeed))
  const msg1 = Buffer.from(client.send(buf(c.payload1)))
  const recv1 = hex(srv.recv(Buffer.from(msg1)))
  const msg2 = Buffer.from(srv.send(buf(c.payload2)))
  const recv2 = hex(client.recv(Buffer.from(msg2)))
  return { msg1: hex(msg1), msg2: hex(msg2), recv1, recv2, client: side(client), server: side(srv) }
}

function respond(prologue, { serverSeed, msg1 }) {
  try {
    const srv = new NoiseHandshake('IK', false, curve.generateKeyPair(buf(serverSeed)), { curve })
    srv.initialise(prologue)
    const payload = hex(srv.recv(buf(msg1)))
    return { payload, remotePublicKey: hex(srv.rs) }
  } catch {
    return null
  }
}

let data = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => (data += d))
process.stdin.on('end', () => {
  const input = JSON.parse(data)
  const prologue = buf(input.prologue)
  process.stdout.write(JSON.stringify({
    handshakes: (input.handshakes || []).map((c) => handshake(prologue, c)),
    msg1s: (input.msg1s || []).map((c) => respond(prologue, c))
  }))
})
