// What the long-running DHT peers (dht-rpc-peer.js, hyperdht-peer.js) share: hex in and out,
// bounded operations, and the main loop: one JSON command per stdin line, handled one after the
// other, one JSON event per stdout line (a failed command answers { event: 'error' }); when stdin
// closes, the nodes are destroyed and the process exits.
const b4a = require('b4a')
const readline = require('readline')

const OP_TIMEOUT_MS = 30000

const hex = (b) => (b ? b4a.toString(b, 'hex') : null)
const buf = (h) => (h === null || h === undefined ? null : b4a.from(h, 'hex'))
const emit = (e) => process.stdout.write(JSON.stringify(e) + '\n')

/** Resolves or rejects like `p`, or rejects with `timeout: <what>` after OP_TIMEOUT_MS. */
function bounded (p, what) {
  let timer
  const t = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timeout: ' + what)), OP_TIMEOUT_MS)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

/**
 * Runs the loop: `handle(command)` resolves to the event to print; at the end `cleanup()` runs, if
 * given, and then the `nodes` are destroyed.
 */
function serve (handle, nodes, cleanup) {
  const rl = readline.createInterface({ input: process.stdin })
  let chain = Promise.resolve()
  rl.on('line', (line) => {
    if (!line.trim()) return
    const c = JSON.parse(line)
    chain = chain.then(() => handle(c)).then(emit, (err) => emit({ event: 'error', cmd: c.cmd, message: String(err && err.message) }))
  })
  rl.on('close', async () => {
    await chain
    if (cleanup) await cleanup()
    await Promise.allSettled(nodes.map((d) => d.destroy()))
    process.exit(0)
  })
}

module.exports = { hex, buf, bounded, serve }
