// One udx-native stream on 127.0.0.1 for the Java UDX interop tests (UdxInteropIT).
// Usage: node udx-peer.js '<options JSON>'
//   { localId, remoteId, port (the Java side's UDP port), mode, bytes, seed? }
//   mode 'send'  write `bytes` pseudo-random bytes, then end; read until the peer ends
//   mode 'recv'  read until the peer ends, then end
//   mode 'echo'  write back everything read; end after the peer ends
// Prints { event: 'ready', port } once bound and connected, then
//        { event: 'done', received, receivedSha256, sent, sentSha256, error } when the stream closes.
// Exits by itself after `timeoutMs` (default 280000) with error 'TIMEOUT'.

const crypto = require('crypto')
const UDX = require('udx-native')

const opts = JSON.parse(process.argv[2] || '{}')
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n')

const udx = new UDX()
const socket = udx.createSocket()
socket.bind(0, '127.0.0.1')
const stream = udx.createStream(opts.localId)

const rxHash = crypto.createHash('sha256')
const txHash = crypto.createHash('sha256')
let received = 0
let sent = 0
let finished = false

function finish (error) {
  if (finished) return
  finished = true
  emit({
    event: 'done',
    received,
    receivedSha256: rxHash.digest('hex'),
    sent,
    sentSha256: txHash.digest('hex'),
    error: error ? (error.code || error.message) : null
  })
  socket.close()
  setTimeout(() => process.exit(0), 50).unref()
}

const timer = setTimeout(() => finish(new Error('TIMEOUT')), opts.timeoutMs || 280000)
timer.unref()

function write (buf) {
  txHash.update(buf)
  sent += buf.length
  return stream.write(buf)
}

stream.on('error', (err) => finish(err))
stream.on('close', () => finish(null))
stream.on('data', (data) => {
  rxHash.update(data)
  received += data.length
  if (opts.mode === 'echo') {
    if (!write(data)) {
      // streamx buffers; pause reading until drained to keep memory flat
      stream.pause()
      stream.once('drain', () => stream.resume())
    }
  }
})
stream.on('end', () => {
  if (opts.mode !== 'send') stream.end()
})

stream.connect(socket, opts.remoteId, opts.port, '127.0.0.1')
emit({ event: 'ready', port: socket.address().port })

if (opts.mode === 'send') {
  // a seeded stream of bytes: sha256 counter blocks, so both sides could regenerate it
  const seed = Buffer.from(String(opts.seed || 1))
  let counter = 0
  const total = opts.bytes
  const chunk = 65536
  const pump = () => {
    while (sent < total) {
      const n = Math.min(chunk, total - sent)
      const buf = Buffer.alloc(n)
      for (let off = 0; off < n; off += 32) {
        const h = crypto.createHash('sha256').update(seed).update(String(counter++)).digest()
        h.copy(buf, off, 0, Math.min(32, n - off))
      }
      if (!write(buf)) {
        stream.once('drain', pump)
        return
      }
    }
    stream.end()
  }
  pump()
}
