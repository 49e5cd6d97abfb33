// A protomux 3.12.1 peer over @hyperswarm/secret-stream over TCP on 127.0.0.1, driven by JSON
// lines, for ProtomuxInteropIT. Usage: node mux-peer.js '<options JSON>'
//
// Options: { listen: true } to accept one connection (prints { event: 'listening', port }), or
//          { port } to connect; isInitiator (bool); seed (hex, static key pair seed).
// Channels use c.raw for the handshake and every message type, so bytes pass unchanged. A
// channel is named by a ref chosen by the test (or 'pair:<protocol>:<idHex>' when created by a
// pair handler).
// Events (stdout): handshake { hash, remotePublicKey }; pair { protocol, id };
//                  open { ref, handshake, localId, remoteId }; message { ref, type, size, sha256, hex? };
//                  sent { ref, type, size, sha256 }; closed { ref, isRemote }; close { error } (stream gone);
//                  ack { cmd } once a command has been carried out.
// Commands (stdin):
//   { cmd: 'open', ref, protocol, id, handshake, messages, echo }   create + open a channel
//   { cmd: 'pair', protocol, id, accept, messages, handshake, echo } register a pair handler (id null: any)
//   { cmd: 'send', ref, type, hex } / { cmd: 'sendRandom', ref, type, sizes: [n...] }
//   { cmd: 'close', ref }, { cmd: 'cork' }, { cmd: 'uncork' }
//   { cmd: 'raw', hex }   one secret-stream message with these plaintext bytes (a hand-made frame)
//   { cmd: 'end' }

const net = require('net')
const crypto = require('crypto')
const readline = require('readline')
const c = require('compact-encoding')
const Protomux = require('protomux')
const NoiseSecretStream = require('@hyperswarm/secret-stream')

const opts = JSON.parse(process.argv[2] || '{}')
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex')
const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const buf = (h) => (h === null || h === undefined ? null : Buffer.from(h, 'hex'))

let stream = null
let mux = null
let closed = false
const channels = new Map()

function finish(error) {
  if (closed) return
  closed = true
  emit({ event: 'close', error: error ? error.message : null })
  process.exit(0)
}

function makeChannel(ref, { protocol, id, messages, echo, unique }) {
  const ch = mux.createChannel({
    protocol,
    id: buf(id),
    unique: unique !== false,
    handshake: c.raw,
    onopen(handshake) {
      emit({ event: 'open', ref, handshake: hex(handshake), localId: ch._localId, remoteId: ch._remoteId })
    },
    onclose(isRemote) {
      emit({ event: 'closed', ref, isRemote })
    }
  })
  if (ch === null) {
    emit({ event: 'notCreated', ref })
    return null
  }
  for (let type = 0; type < (messages || 1); type++) {
    ch.addMessage({
      encoding: c.raw,
      onmessage(m) {
        const e = { event: 'message', ref, type, size: m.byteLength, sha256: sha(m) }
        if (m.byteLength <= 64) e.hex = hex(m)
        emit(e)
        if (echo) ch.messages[type].send(m)
      }
    })
  }
  channels.set(ref, ch)
  return ch
}

function onSocket(socket) {
  socket.on('error', () => {})
  const keyPair = NoiseSecretStream.keyPair(Buffer.from(opts.seed, 'hex'))
  stream = new NoiseSecretStream(opts.isInitiator, socket, { keyPair })
  stream.on('handshake', () => {
    emit({ event: 'handshake', hash: hex(stream.handshakeHash), remotePublicKey: hex(stream.remotePublicKey) })
  })
  stream.on('error', (err) => (stream.lastError = err))
  stream.on('close', () => finish(stream.lastError))
  mux = Protomux.from(stream)
}

const commands = {
  open(x) {
    const ch = makeChannel(x.ref, x)
    if (ch) ch.open(buf(x.handshake || ''))
  },
  pair(x) {
    mux.pair({ protocol: x.protocol, id: buf(x.id) }, (id) => {
      emit({ event: 'pair', protocol: x.protocol, id: hex(id) })
      if (!x.accept) return
      const ref = 'pair:' + x.protocol + ':' + (hex(id) || '')
      const ch = makeChannel(ref, { ...x, id: hex(id) })
      if (ch) ch.open(buf(x.handshake || ''))
    })
  },
  send(x) {
    channels.get(x.ref).messages[x.type].send(buf(x.hex))
  },
  sendRandom(x) {
    for (const n of x.sizes) {
      const b = crypto.randomBytes(n)
      channels.get(x.ref).messages[x.type].send(b)
      emit({ event: 'sent', ref: x.ref, type: x.type, size: n, sha256: sha(b) })
    }
  },
  close(x) {
    channels.get(x.ref).close()
  },
  cork() {
    mux.cork()
  },
  uncork() {
    mux.uncork()
  },
  raw(x) {
    stream.write(buf(x.hex))
  },
  end() {
    stream.end()
  }
}

const rl = readline.createInterface({ input: process.stdin })
rl.on('close', () => process.exit(0))
rl.on('line', (line) => {
  if (!line.trim()) return
  const x = JSON.parse(line)
  commands[x.cmd](x)
  emit({ event: 'ack', cmd: x.cmd })
})

if (opts.listen) {
  const server = net.createServer((s) => {
    server.close()
    onSocket(s)
  })
  server.listen(0, '127.0.0.1', () => emit({ event: 'listening', port: server.address().port }))
} else {
  onSocket(net.connect(opts.port, '127.0.0.1'))
}
