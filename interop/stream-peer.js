// One @hyperswarm/secret-stream peer over TCP on 127.0.0.1, driven by JSON lines, for
// SecretStreamInteropIT. Usage: node stream-peer.js '<options JSON>'
//
// Options: { listen: true } to accept one connection (prints { event: 'listening', port }), or
//          { port } to connect; isInitiator (bool); seed (hex, the static key pair's seed);
//          echo (bool, write every received message back); keepAlive (ms, default 0);
//          rawResponder (bool: do not run secret-stream, answer message 1 with a forged message 2).
// Events (stdout): handshake { hash, publicKey, remotePublicKey, isInitiator };
//                  data { size, sha256 } per received message; sent { size, sha256 } per 'send';
//                  close { error } when the stream is gone (then the process exits).
// Commands (stdin): { cmd: 'send', sizes: [n...] }  send random messages of these sizes
//                   { cmd: 'raw', hex }             write bytes straight to the socket
//                   { cmd: 'rawEnd', hex }          same, then end the socket
//                   { cmd: 'end' } / { cmd: 'destroy' }

const net = require('net')
const crypto = require('crypto')
const readline = require('readline')
const NoiseSecretStream = require('@hyperswarm/secret-stream')

const opts = JSON.parse(process.argv[2] || '{}')
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex')

let socket = null
let stream = null
let closed = false

function finish(error) {
  if (closed) return
  closed = true
  emit({ event: 'close', error: error ? error.message : null })
  process.exit(0)
}

function onSocket(s) {
  socket = s
  socket.on('error', () => {})
  if (opts.rawResponder) {
    socket.once('data', () => {
      const forged = Buffer.alloc(3 + 96)
      forged.writeUIntLE(96, 0, 3)
      crypto.randomFillSync(forged, 3)
      socket.write(forged)
    })
    socket.on('close', () => finish(null))
    return
  }
  const keyPair = NoiseSecretStream.keyPair(Buffer.from(opts.seed, 'hex'))
  stream = new NoiseSecretStream(opts.isInitiator, socket, { keyPair, keepAlive: opts.keepAlive || 0 })
  stream.on('handshake', () => {
    emit({
      event: 'handshake',
      hash: stream.handshakeHash.toString('hex'),
      publicKey: stream.publicKey.toString('hex'),
      remotePublicKey: stream.remotePublicKey.toString('hex'),
      isInitiator: stream.isInitiator
    })
  })
  stream.on('data', (data) => {
    emit({ event: 'data', size: data.byteLength, sha256: sha(data) })
    if (opts.echo) stream.write(data)
  })
  stream.on('end', () => stream.end()) // no half-open, as protomux does
  stream.on('error', (err) => (stream.lastError = err))
  stream.on('close', () => finish(stream.lastError))
}

const rl = readline.createInterface({ input: process.stdin })
rl.on('close', () => process.exit(0)) // the test is done with us
rl.on('line', (line) => {
  if (!line.trim()) return
  const c = JSON.parse(line)
  if (c.cmd === 'send') {
    for (const n of c.sizes) {
      const b = crypto.randomBytes(n)
      stream.write(b)
      emit({ event: 'sent', size: n, sha256: sha(b) })
    }
  } else if (c.cmd === 'raw') {
    socket.write(Buffer.from(c.hex, 'hex'))
  } else if (c.cmd === 'rawEnd') {
    socket.end(Buffer.from(c.hex, 'hex'))
  } else if (c.cmd === 'end') {
    stream.end()
  } else if (c.cmd === 'destroy') {
    ;(stream || socket).destroy()
  }
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
