// A JS hypercore 11 peer for replication interop tests, driven by JSON lines on stdin; every
// reply is one JSON line on stdout. Each core lives in its own temp dir, removed on exit.
//
// commands:
//   {"cmd":"create","name","seed"(hex32),"blocks":[hex...]}      -> {"key","length"}
//   {"cmd":"replica","name","key"(hex)}                           -> {"ok":true}
//   {"cmd":"append","name","blocks":[hex...]}                     -> {"length"}
//   {"cmd":"truncate","name","length"}                            -> {"length","fork"}  a new fork (of a core or a bee's core)
//   {"cmd":"listen","initiator":bool}                             -> {"port"}   serve every core on each connection
//   {"cmd":"connect","port","initiator":bool}                     -> {"ok":true} replicate every core over it
//   {"cmd":"get","name","index","timeoutMs"}                      -> {"value"(hex)} | {"error"}
//   {"cmd":"update","name"}                                       -> {"length","fork"}
//   {"cmd":"info","name"}                                         -> {"length","fork","downloaded","uploaded","has":[indexes]}
//   {"cmd":"extension","name","ext","send"?(hex)}                 -> {"ok"} ; received messages arrive as {"event":"extension",...}
//   {"cmd":"bee","name","seed","count","batch","keySeed"}          -> {"key","length","sample":[hex keys]}
//       a Hyperbee of COUNT random 16-byte keys with 100-byte values, put in batches of BATCH
//   {"cmd":"bee-get","name","key"(hex)}                           -> {"value"|null,"seq","downloaded"} (blocks downloaded by this get)
//   {"cmd":"bee-ops","name","seed","ops":[{"put":[k,v]}|{"del":k}|{"batch":[...]}]} -> {"key","length","treeHash","signature"}
//       the `mesh bee apply` operations on a new JS bee (UTF-8 keys and values); without "seed", on the bee NAME
//   {"cmd":"close"}                                               -> exits
const Hypercore = require('hypercore')
const Hyperbee = require('hyperbee')
const crypto = require('hypercore-crypto')
const net = require('net')
const fs = require('fs')
const os = require('os')
const path = require('path')
const readline = require('readline')

const cores = new Map()
const bees = new Map()
const extensions = new Map()
const stats = new Map()
const dirs = []
const sockets = []
let server = null

function dir () {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'core-peer-'))
  dirs.push(d)
  return d
}

function track (name, core) {
  const s = { downloaded: 0, uploaded: 0 }
  core.on('download', () => { s.downloaded++ })
  core.on('upload', () => { s.uploaded++ })
  cores.set(name, core)
  stats.set(name, s)
}

function replicateAll (socket, initiator) {
  const stream = Hypercore.createProtocolStream(initiator)
  for (const core of cores.values()) core.replicate(stream)
  socket.pipe(stream).pipe(socket)
  stream.on('error', (err) => reply({ event: 'stream-error', message: String(err.message || err) }))
  socket.on('error', () => {})
  sockets.push(socket)
}

function reply (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

async function handle (m) {
  switch (m.cmd) {
    case 'create': {
      const core = new Hypercore(dir(), { keyPair: crypto.keyPair(Buffer.from(m.seed, 'hex')), compat: !!m.compat })
      await core.ready()
      if (m.blocks && m.blocks.length) await core.append(m.blocks.map(b => Buffer.from(b, 'hex')))
      track(m.name, core)
      return { key: core.key.toString('hex'), length: core.length }
    }
    case 'truncate': {
      const core = cores.get(m.name)
      await core.truncate(m.length)
      return { length: core.length, fork: core.fork }
    }
    case 'replica': {
      const core = new Hypercore(dir(), Buffer.from(m.key, 'hex'))
      await core.ready()
      track(m.name, core)
      return { ok: true }
    }
    case 'append': {
      const core = cores.get(m.name)
      await core.append(m.blocks.map(b => Buffer.from(b, 'hex')))
      return { length: core.length }
    }
    case 'listen': {
      server = net.createServer(socket => replicateAll(socket, !!m.initiator))
      await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
      return { port: server.address().port }
    }
    case 'connect': {
      const socket = net.connect(m.port, '127.0.0.1')
      replicateAll(socket, !!m.initiator)
      return { ok: true }
    }
    case 'get': {
      const core = cores.get(m.name)
      try {
        const v = await core.get(m.index, { timeout: m.timeoutMs || 10000 })
        return { value: v.toString('hex') }
      } catch (err) {
        return { error: String(err.code || err.message) }
      }
    }
    case 'update': {
      const core = cores.get(m.name)
      await core.update({ wait: true })
      return { length: core.length, fork: core.fork }
    }
    case 'info': {
      const core = cores.get(m.name)
      const has = []
      for (let i = 0; i < core.length; i++) if (await core.has(i)) has.push(i)
      const s = stats.get(m.name)
      return { length: core.length, fork: core.fork, downloaded: s.downloaded, uploaded: s.uploaded, has }
    }
    case 'extension': {
      const core = cores.get(m.name)
      const id = m.name + '/' + m.ext
      let ext = extensions.get(id)
      if (!ext) {
        ext = core.registerExtension(m.ext, {
          onmessage: (buf) => reply({ event: 'extension', name: m.ext, message: Buffer.from(buf).toString('hex') })
        })
        extensions.set(id, ext)
      }
      if (m.send) ext.broadcast(Buffer.from(m.send, 'hex'))
      return { ok: true }
    }
    case 'bee': {
      const core = new Hypercore(dir(), { keyPair: crypto.keyPair(Buffer.from(m.seed, 'hex')) })
      await core.ready()
      track(m.name, core)
      const bee = new Hyperbee(core)
      await bee.ready()
      // xorshift64 keys, so the test can name some of them without shipping all
      let x = BigInt(m.keySeed || 1) | 1n
      const mask = 0xffffffffffffffffn
      const next = () => { x ^= (x << 13n) & mask; x ^= x >> 7n; x ^= (x << 17n) & mask; return x }
      const sample = []
      for (let i = 0; i < m.count; i += m.batch) {
        const b = bee.batch()
        for (let j = i; j < Math.min(m.count, i + m.batch); j++) {
          const k = Buffer.alloc(16)
          k.writeBigUInt64BE(next(), 0)
          k.writeBigUInt64BE(next(), 8)
          const v = Buffer.alloc(100, j % 251)
          v.writeUInt32BE(j, 0)
          await b.put(k, v)
          if (j % Math.max(1, Math.floor(m.count / 50)) === 0) sample.push(k.toString('hex'))
        }
        await b.flush()
      }
      bees.set(m.name, bee)
      return { key: core.key.toString('hex'), length: core.length, sample }
    }
    case 'bee-ops': {
      let core = cores.get(m.name)
      let bee = bees.get(m.name)
      if (m.seed) {
        core = new Hypercore(dir(), { keyPair: crypto.keyPair(Buffer.from(m.seed, 'hex')) })
        await core.ready()
        track(m.name, core)
        bee = new Hyperbee(core)
        await bee.ready()
      }
      const apply = async (db, op) => {
        if (op.put) await db.put(Buffer.from(op.put[0]), op.put[1] === null ? null : Buffer.from(op.put[1]))
        else await db.del(Buffer.from(op.del))
      }
      for (const op of m.ops) {
        if (op.batch) {
          const b = bee.batch()
          for (const o of op.batch) await apply(b, o)
          await b.flush()
        } else {
          await apply(bee, op)
        }
      }
      bees.set(m.name, bee)
      return { key: core.key.toString('hex'), length: core.length, treeHash: (await core.treeHash()).toString('hex'), signature: core.core.state.signature ? core.core.state.signature.toString('hex') : null }
    }
    case 'bee-get': {
      const core = cores.get(m.name)
      let bee = bees.get(m.name)
      if (!bee) {
        bee = new Hyperbee(core)
        bees.set(m.name, bee)
      }
      await core.update({ wait: true })
      const before = stats.get(m.name).downloaded
      const node = await bee.get(Buffer.from(m.key, 'hex'))
      return { value: node && node.value ? node.value.toString('hex') : null, seq: node ? node.seq : null, downloaded: stats.get(m.name).downloaded - before }
    }
    case 'close': {
      for (const s of sockets) s.destroy()
      if (server) server.close()
      for (const core of cores.values()) await core.close().catch(() => {})
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
      reply({ ok: true })
      process.exit(0)
    }
    default:
      return { error: 'unknown command ' + m.cmd }
  }
}

const rl = readline.createInterface({ input: process.stdin })
let chain = Promise.resolve()
rl.on('line', (line) => {
  if (!line.trim()) return
  const m = JSON.parse(line)
  chain = chain.then(() => handle(m)).then(r => { if (r) reply(r) }, err => reply({ error: String(err && err.stack || err) }))
})
rl.on('close', () => { chain.then(() => handle({ cmd: 'close' })) })
