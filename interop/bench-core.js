// Side-by-side benchmark, JS half: append N blocks of SIZE bytes in batches of BATCH to a
// hypercore 11 core, then read R blocks at random. Prints one JSON object with the timings.
// Usage: node bench-core.js N SIZE BATCH READS
const Hypercore = require('hypercore')
const crypto = require('hypercore-crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')

async function main () {
  const [n, size, batchSize, reads] = process.argv.slice(2).map(Number)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-core-js-'))
  try {
    const core = new Hypercore(dir, { keyPair: crypto.keyPair(Buffer.alloc(32, 7)) })
    await core.ready()
    const block = Buffer.alloc(size, 0xab)
    const batches = []
    for (let i = 0; i < n; i += batchSize) {
      const b = []
      for (let j = i; j < Math.min(n, i + batchSize); j++) {
        const blk = Buffer.from(block)
        blk.writeUInt32LE(j, 0)
        b.push(blk)
      }
      batches.push(b)
    }
    let t0 = process.hrtime.bigint()
    for (const b of batches) await core.append(b)
    const appendNs = Number(process.hrtime.bigint() - t0)

    // a fixed pseudo-random sequence (xorshift) so both sides read the same indexes
    let x = 88172645463325252n
    const idx = new Array(reads)
    for (let i = 0; i < reads; i++) {
      x ^= (x << 13n) & 0xffffffffffffffffn; x ^= x >> 7n; x ^= (x << 17n) & 0xffffffffffffffffn
      idx[i] = Number(x % BigInt(n))
    }
    t0 = process.hrtime.bigint()
    let bytes = 0
    for (let i = 0; i < reads; i++) {
      const v = await core.get(idx[i])
      if (v.readUInt32LE(0) !== idx[i]) throw new Error('wrong block ' + idx[i])
      bytes += v.length
    }
    const readNs = Number(process.hrtime.bigint() - t0)
    await core.close()
    console.log(JSON.stringify({ impl: 'js', blocks: n, size, batch: batchSize, reads, appendNs, readNs, bytesRead: bytes }))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch(err => { console.error(err); process.exit(1) })
