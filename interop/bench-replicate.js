// Side-by-side benchmark, JS half: a hypercore 11 writer with N blocks of SIZE bytes, replicated
// over a loopback TCP socket to a fresh reader in the same process; times the full download, then
// the latency of single sparse block fetches on a second fresh reader, at the block indexes the
// Java side generated (so both sides fetch the same blocks). Prints one JSON line.
// Usage: node bench-replicate.js N SIZE INDEX,INDEX,...
const Hypercore = require('hypercore')
const crypto = require('hypercore-crypto')
const net = require('net')
const fs = require('fs')
const os = require('os')
const path = require('path')

async function main () {
  const [n, size] = process.argv.slice(2, 4).map(Number)
  const indexes = process.argv[4].split(',').map(Number)
  const dirs = []
  const dir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-repl-js-')); dirs.push(d); return d }
  try {
    const writer = new Hypercore(dir(), { keyPair: crypto.keyPair(Buffer.alloc(32, 9)) })
    await writer.ready()
    const block = Buffer.alloc(size, 0xcd)
    for (let i = 0; i < n; i += 1000) {
      const batch = []
      for (let j = i; j < Math.min(n, i + 1000); j++) batch.push(block)
      await writer.append(batch)
    }
    const server = net.createServer(s => { s.pipe(writer.replicate(false)).pipe(s); s.on('error', () => {}) })
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = server.address().port

    const reader = new Hypercore(dir(), writer.key)
    await reader.ready()
    const s1 = net.connect(port, '127.0.0.1')
    s1.pipe(reader.replicate(true)).pipe(s1)
    let t0 = process.hrtime.bigint()
    await reader.update({ wait: true })
    await reader.download({ start: 0, end: n }).done()
    const downloadNs = Number(process.hrtime.bigint() - t0)
    s1.destroy()

    const sparse = new Hypercore(dir(), writer.key)
    await sparse.ready()
    const s2 = net.connect(port, '127.0.0.1')
    s2.pipe(sparse.replicate(true)).pipe(s2)
    await sparse.update({ wait: true })
    let sparseFetched = 0
    t0 = process.hrtime.bigint()
    for (const i of indexes) {
      if (!(await sparse.has(i))) sparseFetched++
      await sparse.get(i)
    }
    const latencyNs = Number(process.hrtime.bigint() - t0) / indexes.length
    s2.destroy()
    server.close()
    for (const c of [reader, sparse, writer]) await c.close()
    console.log(JSON.stringify({ impl: 'js', blocks: n, size, downloadNs, latencyNs: Math.round(latencyNs), sparseFetched }))
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}

main().catch(err => { console.error(err); process.exit(1) })
