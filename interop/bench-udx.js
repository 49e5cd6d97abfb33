// Side-by-side benchmark, JS half of -Dbench=udx: two udx-native 1.21.3 streams in this one
// process on 127.0.0.1; stream A sends BYTES bytes (a 1 MiB xorshift32 pattern repeated, the same
// bytes the Java half sends) to stream B, which counts and SHA-256-hashes what it reads.
// Dialogue with the Java side (one JSON line each way):
//   out { event: 'ready', portA, portB }           both sockets bound
//   in  { targetA, targetB }                       where A and B send (each other, or a relay)
//   out { event: 'done', ns, received, sha256, hashNs }
// ns runs from A's first write to B's 'end' (all bytes in); the pattern is built before the
// clock starts; hashNs is the time SHA-256 alone takes over the same bytes (measured after).
// Usage: node bench-udx.js BYTES SEED
const crypto = require('crypto')
const readline = require('readline')
const UDX = require('udx-native')

const PATTERN_BYTES = 1 << 20
const CHUNK_BYTES = 65536
const TIMEOUT_MS = 600000

const total = Number(process.argv[2])
const seed = Number(process.argv[3]) >>> 0
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n')

/** xorshift32 (13, 17, 5) words, little-endian: the same bytes as UdxBench.pattern. */
function pattern (n, s) {
  const buf = Buffer.alloc(n)
  let x = s | 0
  for (let off = 0; off < n; off += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    buf.writeInt32LE(x | 0, off)
  }
  return buf
}

const data = pattern(PATTERN_BYTES, seed)
const udx = new UDX()
const socketA = udx.createSocket()
const socketB = udx.createSocket()
socketA.bind(0, '127.0.0.1')
socketB.bind(0, '127.0.0.1')
const a = udx.createStream(1)
const b = udx.createStream(2)

const timer = setTimeout(() => { console.error('bench-udx: timeout'); process.exit(1) }, TIMEOUT_MS)
const fail = (err) => { console.error('bench-udx:', err); process.exit(1) }
a.on('error', fail)
b.on('error', fail)

const rx = crypto.createHash('sha256')
let received = 0
let t0 = 0n
let ns = 0
let closed = 0

b.on('data', (chunk) => {
  rx.update(chunk)
  received += chunk.length
})
b.on('end', () => {
  ns = Number(process.hrtime.bigint() - t0)
  b.end()
})
a.resume() // A reads nothing but must see B's end to close
for (const s of [a, b]) s.on('close', () => { if (++closed === 2) finish() })

function finish () {
  const sha256 = rx.digest('hex')
  const h = crypto.createHash('sha256')
  const h0 = process.hrtime.bigint()
  for (let sent = 0; sent < total; sent += CHUNK_BYTES) h.update(chunkAt(sent))
  h.digest()
  const hashNs = Number(process.hrtime.bigint() - h0)
  emit({ event: 'done', ns, received, sha256, hashNs })
  clearTimeout(timer)
  Promise.all([socketA.close(), socketB.close()]).then(() => process.exit(0), fail)
}

function chunkAt (sent) {
  const off = sent % PATTERN_BYTES
  return data.subarray(off, off + Math.min(CHUNK_BYTES, total - sent, PATTERN_BYTES - off))
}

function start () {
  let sent = 0
  const pump = () => {
    while (sent < total) {
      const c = chunkAt(sent)
      sent += c.length
      if (!a.write(c)) {
        a.once('drain', pump)
        return
      }
    }
    a.end()
  }
  t0 = process.hrtime.bigint()
  pump()
}

const rl = readline.createInterface({ input: process.stdin })
rl.once('line', (line) => {
  const { targetA, targetB } = JSON.parse(line)
  b.connect(socketB, 1, targetB, '127.0.0.1')
  a.connect(socketA, 2, targetA, '127.0.0.1')
  start()
})
emit({ event: 'ready', portA: socketA.address().port, portB: socketB.address().port })
