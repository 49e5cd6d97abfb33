// Side-by-side Hyperbee benchmark, JS half (the Java half is BeeBench in the bench module):
// load N keys (16-byte keys, 100-byte values, from a fixed xorshift stream) in batches of BATCH,
// then GETS random gets of loaded keys, then one full range scan. Prints one JSON object.
// Usage: node bee-bench.js N BATCH GETS
const Hypercore = require('hypercore')
const Hyperbee = require('hyperbee')
const crypto = require('hypercore-crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')

// xorshift64, the same stream as BeeBenchMain.Xorshift
function xorshift(seed) {
  let x = BigInt.asUintN(64, seed)
  return () => {
    x ^= BigInt.asUintN(64, x << 13n)
    x ^= x >> 7n
    x ^= BigInt.asUintN(64, x << 17n)
    return x
  }
}

function bytes(next, n) {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i += 8) {
    const v = next()
    for (let j = 0; j < 8 && i + j < n; j++) b[i + j] = Number((v >> BigInt(8 * j)) & 0xffn)
  }
  return b
}

async function main() {
  const [n, batchSize, gets] = process.argv.slice(2).map(Number)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bee-bench-js-'))
  try {
    const core = new Hypercore(dir, { keyPair: crypto.keyPair(Buffer.alloc(32, 9)) })
    const bee = new Hyperbee(core)
    await bee.ready()
    // every key, value and picked index is generated before a clock starts (BigInt generation
    // alone costs tens of seconds per million keys), on both sides
    const next = xorshift(0x9e3779b97f4a7c15n)
    const keys = new Array(n)
    let values = new Array(n)
    for (let j = 0; j < n; j++) {
      keys[j] = bytes(next, 16)
      values[j] = bytes(next, 100)
    }
    const pick = xorshift(0x2545f4914f6cdd1dn)
    const picked = new Array(gets)
    for (let i = 0; i < gets; i++) picked[i] = Number(pick() % BigInt(n))

    let t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i += batchSize) {
      const b = bee.batch()
      for (let j = i; j < Math.min(n, i + batchSize); j++) await b.put(keys[j], values[j])
      await b.flush()
    }
    const loadNs = Number(process.hrtime.bigint() - t0)
    values = null

    t0 = process.hrtime.bigint()
    let found = 0
    for (let i = 0; i < gets; i++) {
      if (await bee.get(keys[picked[i]])) found++
    }
    const getNs = Number(process.hrtime.bigint() - t0)

    t0 = process.hrtime.bigint()
    let scanned = 0
    for await (const e of bee.createReadStream()) if (e) scanned++ // eslint-disable-line
    const scanNs = Number(process.hrtime.bigint() - t0)

    const mem = process.memoryUsage()
    console.log(JSON.stringify({ side: 'js', n, batchSize, gets, found, scanned, length: core.length,
      loadMs: loadNs / 1e6, getMs: getNs / 1e6, scanMs: scanNs / 1e6, rssMiB: mem.rss / 1048576, heapMiB: mem.heapUsed / 1048576 }))
    await bee.close()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
