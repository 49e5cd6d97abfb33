// The JS reference sync server the Java sync server is compared against: what `jazz-run sync`
// builds (packages/jazz-run/src/startSyncServer.ts), on cojson 0.20.19, since no jazz-run 0.20.x
// is installable here. A LocalNode with a random agent and session, verification on, the garbage
// collector on, cojson's own SQLite storage over better-sqlite3 (unless --in-memory); GET /health
// answers 200 "ok", every other path upgrades to a WebSocket that becomes a "client" peer, and
// each socket gets a ping every 1.5 s.
//
// argv: [--host 127.0.0.1] [--port 0] (--db FILE | --in-memory)
// stdout: exactly one line, `listening ws://HOST:PORT`, once it accepts connections (port 0 picks
//   a free port; the line has the real one). Everything else (cojson's logger too) goes to stderr.
// Exits on SIGTERM/SIGINT and when stdin closes, so a test process that dies takes it along.

const fs = require('fs')
const http = require('http')
const path = require('path')
const { openSqliteStorage } = require('./lib/better-sqlite')
const { within } = require('./lib/wait')

// cojson's logger writes info/debug with console.info/debug; stdout is kept for the one line.
console.log = console.info = console.debug = console.error

const PING_INTERVAL_MS = 1500
const SHUTDOWN_TIMEOUT_MS = 5000

function parseArgs (argv) {
  const opts = { host: '127.0.0.1', port: 0, db: null, inMemory: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--host') opts.host = argv[++i]
    else if (a === '--port') opts.port = Number(argv[++i])
    else if (a === '--db') opts.db = argv[++i]
    else if (a === '--in-memory') opts.inMemory = true
    else throw new Error('unknown argument: ' + a)
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port')
  if (!opts.inMemory && !opts.db) throw new Error('give --db FILE or --in-memory')
  return opts
}

/** The server's node: its own random agent and session, like jazz-run; no account. */
async function createNode (opts) {
  const { LocalNode } = await import('cojson')
  const { WasmCrypto } = await import('cojson/crypto/WasmCrypto')
  const crypto = await WasmCrypto.create()
  const agentSecret = crypto.newRandomAgentSecret()
  const node = new LocalNode(agentSecret, crypto.newRandomSessionID(crypto.getAgentID(agentSecret)), crypto)
  let closeDb = () => {}
  if (!opts.inMemory) {
    fs.mkdirSync(path.dirname(path.resolve(opts.db)), { recursive: true })
    const sqlite = await openSqliteStorage(opts.db)
    node.setStorage(sqlite.storage)
    closeDb = sqlite.closeDb
  }
  node.enableGarbageCollector()
  return { node, closeDb }
}

/** Wraps one accepted socket as a client peer of the node, with jazz-run's options and pings. */
function attachSocket (node, createWebSocketPeer, ws, req) {
  const forwarded = req.headers['x-forwarded-for']
  const address = (forwarded && forwarded.split(',')[0].trim()) || req.socket.remoteAddress
  const id = address + '@' + new Date().toISOString()
  // Clients close and reconnect when nothing arrives for 10 s; the ping is what keeps them calm.
  const pinging = setInterval(() => {
    ws.send(JSON.stringify({ type: 'ping', time: Date.now(), dc: 'unknown' }))
  }, PING_INTERVAL_MS)
  ws.on('close', () => clearInterval(pinging))
  ws.on('error', (err) => console.error(`socket ${id}: ${err.message}`))
  node.syncManager.addPeer(createWebSocketPeer({
    id,
    role: 'client',
    websocket: ws,
    expectPings: false,
    batchingByDefault: false,
    deletePeerStateOnClose: true
  }))
}

function createHttpServer (wss, onSocket) {
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200)
      res.end('ok')
    } else {
      // jazz-run leaves such a request unanswered; an answer is kinder to a probing test.
      res.writeHead(426)
      res.end('WebSocket upgrade expected')
    }
  })
  // jazz-run ignores path and query: every path but /health is the sync endpoint.
  server.on('upgrade', (req, socket, head) => {
    if (req.url === '/health') return socket.destroy()
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req))
  })
  return server
}

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  const { WebSocketServer } = require('ws')
  const { createWebSocketPeer } = await import('cojson-transport-ws')
  const { node, closeDb } = await createNode(opts)
  const wss = new WebSocketServer({ noServer: true })
  const server = createHttpServer(wss, (ws, req) => attachSocket(node, createWebSocketPeer, ws, req))

  let stopping = false
  const stop = async (why) => {
    if (stopping) return
    stopping = true
    console.error(`sync-ref-server: stopping (${why})`)
    // Never let a stuck shutdown keep the process (and its port and db lock) around.
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS * 2).unref()
    server.close()
    for (const ws of wss.clients) ws.terminate()
    try {
      await within(node.gracefulShutdown(), SHUTDOWN_TIMEOUT_MS, 'node shutdown (pending storage writes)')
      closeDb()
    } catch (err) {
      console.error(err)
      process.exit(1)
    }
    process.exit(0)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.stdin.on('end', () => stop('stdin closed'))
  process.stdin.on('error', () => stop('stdin error'))
  process.stdin.resume()

  server.listen(opts.port, opts.host, () => {
    const { address, port } = server.address()
    const host = address.includes(':') ? `[${address}]` : address
    process.stdout.write(`listening ws://${host}:${port}\n`)
  })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
