// A controllable JS HyperDHT 6.34.0 (testnet and client nodes on 127.0.0.1), with servers and
// clients that echo, and hyperswarm 4.17.2 swarms (echoing, or replicating a corestore 7.12.5 with
// cores and hyperbee 2.27.3 bees),
// for the Java interop tests. One JSON command per stdin line, one JSON event per stdout line;
// every operation is bounded by a timeout, and the process exits (destroying its nodes and
// removing its stores) when stdin closes. Nodes bootstrap only from the addresses given (a
// testnet's first node, or Java nodes).
const DHT = require('hyperdht')
const Hyperswarm = require('hyperswarm')
const Corestore = require('corestore')
const Hyperbee = require('hyperbee')
const fs = require('fs')
const os = require('os')
const path = require('path')
const createTestnet = require('hyperdht/testnet')
const b4a = require('b4a')
const crypto = require('crypto')
const { hex, buf, bounded, serve } = require('./lib/dht-peer')

const nodes = []
const testnets = []
const swarms = []
const stores = new Map()
const storeDirs = []
const addr = (a) => ({ host: a.host, port: a.port })

async function collect (query, what) {
  const out = []
  await bounded((async () => { for await (const data of query) out.push(data) })(), what)
  return out
}

async function handle (c) {
  switch (c.cmd) {
    case 'testnet': {
      const tn = await bounded(createTestnet(c.size, { host: '127.0.0.1' }), 'testnet')
      testnets.push(tn)
      const list = tn.nodes.map((d) => ({ idx: nodes.push(d) - 1, port: d.address().port, ephemeral: d.ephemeral }))
      return { event: 'testnet', bootstrap: tn.bootstrap, nodes: list }
    }
    case 'node': {
      // never an empty list: hyperdht would fall back to its public bootstrap nodes
      if (!c.bootstrap || c.bootstrap.length === 0) throw new Error('node needs a bootstrap list')
      const d = new DHT({ host: '127.0.0.1', bootstrap: c.bootstrap, ephemeral: c.ephemeral !== false, firewalled: c.firewalled })
      const idx = nodes.push(d) - 1
      await bounded(d.fullyBootstrapped(), 'bootstrap')
      return { event: 'node', idx, port: d.address().port, ephemeral: d.ephemeral }
    }
    case 'announce': {
      const kp = DHT.keyPair(buf(c.seed))
      await bounded(nodes[c.node].announce(buf(c.topic), kp, c.relayAddresses || []).finished(), 'announce')
      return { event: 'announce', publicKey: hex(kp.publicKey) }
    }
    case 'unannounce': {
      const kp = DHT.keyPair(buf(c.seed))
      await bounded(nodes[c.node].unannounce(buf(c.topic), kp), 'unannounce')
      return { event: 'unannounce' }
    }
    case 'lookup': {
      const replies = await collect(nodes[c.node].lookup(buf(c.topic)), 'lookup')
      return {
        event: 'lookup',
        replies: replies.map((r) => ({
          from: addr(r.from),
          peers: r.peers.map((p) => ({ publicKey: hex(p.publicKey), relayAddresses: p.relayAddresses.map(addr) }))
        }))
      }
    }
    case 'findPeer': {
      const replies = await collect(nodes[c.node].findPeer(buf(c.publicKey)), 'findPeer')
      return { event: 'findPeer', replies: replies.map((r) => ({ from: addr(r.from), publicKey: hex(r.peer.publicKey) })) }
    }
    case 'mutablePut': {
      const kp = DHT.keyPair(buf(c.seed))
      try {
        await bounded(nodes[c.node].mutablePut(kp, buf(c.value), { seq: c.seq }), 'mutablePut')
        return { event: 'mutablePut', ok: true }
      } catch (err) {
        return { event: 'mutablePut', ok: false, message: String(err && err.message) }
      }
    }
    case 'mutableGet': {
      const r = await bounded(nodes[c.node].mutableGet(buf(c.publicKey), { seq: c.seq || 0 }), 'mutableGet')
      return { event: 'mutableGet', found: !!r, seq: r ? r.seq : null, value: r ? hex(r.value) : null }
    }
    case 'immutablePut': {
      const r = await bounded(nodes[c.node].immutablePut(buf(c.value)), 'immutablePut')
      return { event: 'immutablePut', hash: hex(r.hash) }
    }
    case 'immutableGet': {
      const r = await bounded(nodes[c.node].immutableGet(buf(c.hash)), 'immutableGet')
      return { event: 'immutableGet', found: !!r, value: r ? hex(r.value) : null }
    }
    case 'listen': {
      // a server that echoes every connection back to its sender
      const kp = DHT.keyPair(buf(c.seed))
      const server = nodes[c.node].createServer((socket) => {
        socket.on('error', () => {})
        socket.pipe(socket)
      })
      await bounded(server.listen(kp), 'listen')
      return { event: 'listen', publicKey: hex(kp.publicKey) }
    }
    case 'echo': {
      // connect by public key, send c.bytes random bytes in 64 KiB writes, expect them echoed back
      const socket = nodes[c.node].connect(buf(c.publicKey), c.seed ? { keyPair: DHT.keyPair(buf(c.seed)) } : {})
      const data = crypto.randomBytes(c.bytes)
      try {
        const got = await bounded(new Promise((resolve, reject) => {
          const chunks = []
          let n = 0
          socket.on('error', reject)
          socket.on('close', () => reject(new Error('closed after ' + n + ' bytes')))
          socket.on('data', (d) => {
            chunks.push(d)
            n += d.length
            if (n >= data.length) resolve(b4a.concat(chunks))
          })
          for (let i = 0; i < data.length; i += 65536) socket.write(data.subarray(i, i + 65536))
        }), 'echo')
        return {
          event: 'echo',
          identical: got.length === data.length && b4a.equals(got, data),
          bytes: got.length,
          remotePublicKey: hex(socket.remotePublicKey),
          publicKey: hex(socket.publicKey)
        }
      } finally {
        socket.destroy()
      }
    }
    case 'swarm': {
      // a Hyperswarm on node c.node that echoes what each connection sends
      const swarm = new Hyperswarm({ dht: nodes[c.node], keyPair: DHT.keyPair(buf(c.seed)) })
      swarm.on('connection', (conn) => {
        conn.on('error', () => {})
        conn.on('data', (d) => conn.write(d))
      })
      return { event: 'swarm', idx: swarms.push(swarm) - 1, publicKey: hex(swarm.keyPair.publicKey) }
    }
    case 'join': {
      const swarm = swarms[c.swarm]
      const d = swarm.join(buf(c.topic), { server: c.server !== false, client: c.client !== false })
      await bounded(d.flushed(), 'join')
      return { event: 'join' }
    }
    case 'swarmConnections': {
      // the open connections: remote key and handshake hash, to compare with the Java side
      const list = [...swarms[c.swarm].connections].map((conn) => ({
        remotePublicKey: hex(conn.remotePublicKey),
        handshakeHash: hex(conn.handshakeHash),
        initiator: conn.isInitiator
      }))
      return { event: 'swarmConnections', connections: list }
    }
    case 'swarmDestroy': {
      await bounded(swarms[c.swarm].destroy(), 'swarmDestroy')
      return { event: 'swarmDestroy' }
    }
    case 'storeSwarm': {
      // a Hyperswarm on node c.node whose every connection replicates a Corestore in a temp dir
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarm-store-'))
      const store = new Corestore(dir)
      storeDirs.push(dir)
      const swarm = new Hyperswarm({ dht: nodes[c.node], keyPair: DHT.keyPair(buf(c.seed)) })
      swarm.on('connection', (conn) => {
        conn.on('error', () => {})
        store.replicate(conn)
      })
      stores.set(swarm, store)
      return { event: 'storeSwarm', idx: swarms.push(swarm) - 1, publicKey: hex(swarm.keyPair.publicKey) }
    }
    case 'coreAppend': {
      const core = stores.get(swarms[c.swarm]).get({ name: c.name })
      await core.ready()
      await core.append(c.blocks.map(buf))
      return { event: 'coreAppend', key: hex(core.key), discoveryKey: hex(core.discoveryKey), length: core.length }
    }
    case 'coreGet': {
      // a sparse read of a remote core: its length from the peers, then block c.index only
      const core = stores.get(swarms[c.swarm]).get({ key: buf(c.key) })
      await core.ready()
      await bounded(core.update({ wait: true }), 'coreGet update')
      const value = await bounded(core.get(c.index, { timeout: 20000 }), 'coreGet')
      return { event: 'coreGet', value: hex(value), length: core.length, contiguousLength: core.contiguousLength }
    }
    case 'beePut': {
      // a bee (binary keys and values) on a new core of the swarm's store
      const core = stores.get(swarms[c.swarm]).get({ name: c.name })
      const bee = new Hyperbee(core)
      await bee.ready()
      const batch = bee.batch()
      for (const [k, v] of c.entries) await batch.put(buf(k), buf(v))
      await batch.flush()
      return { event: 'beePut', key: hex(core.key), discoveryKey: hex(core.discoveryKey), length: core.length }
    }
    case 'beeGet': {
      // a sparse get on a remote bee: only the blocks on the path to the key are downloaded
      const core = stores.get(swarms[c.swarm]).get({ key: buf(c.key) })
      await core.ready()
      await bounded(core.update({ wait: true }), 'beeGet update')
      const bee = new Hyperbee(core)
      const node = await bounded(bee.get(buf(c.k), { timeout: 20000 }), 'beeGet')
      let local = 0
      for (let i = 0; i < core.length; i++) if (await core.has(i)) local++
      return { event: 'beeGet', value: node ? hex(node.value) : null, length: core.length, localBlocks: local }
    }
    default:
      throw new Error('unknown command ' + c.cmd)
  }
}

// swarms first: each destroys its node too
serve(handle, nodes, async () => {
  await Promise.allSettled(swarms.map((s) => s.destroy()))
  await Promise.allSettled([...stores.values()].map((s) => s.close()))
  for (const dir of storeDirs) fs.rmSync(dir, { recursive: true, force: true })
})
