// A controllable set of real dht-rpc 6.27.0 nodes on 127.0.0.1 for the Java interop tests.
// One JSON command per stdin line, one JSON event per stdout line; every operation is bounded
// by a timeout, and the process exits (destroying its nodes) when stdin closes.
const DHT = require('dht-rpc')
const b4a = require('b4a')
const { hex, buf, bounded, serve } = require('./lib/dht-peer')

const nodes = []
const commits = {}

function describe (dht, idx) {
  const a = dht.address()
  return {
    idx,
    host: '127.0.0.1',
    port: dht.io.serverSocket.address().port,
    socketPort: a ? a.port : 0,
    id: hex(dht.id),
    ephemeral: dht.ephemeral,
    firewalled: dht.firewalled
  }
}

async function createNode (opts) {
  const dht = new DHT({ host: '127.0.0.1', ...opts })
  const idx = nodes.push(dht) - 1
  dht.on('request', (req) => {
    // application command 77: stores with a valid token, else answers with one
    if (req.command !== 77) return
    if (req.token === null) {
      req.reply(b4a.from('need-token'))
      return
    }
    commits[idx] = (commits[idx] || 0) + 1
    req.reply(b4a.from('stored'))
  })
  await bounded(dht.fullyBootstrapped(), 'bootstrap')
  return describe(dht, idx)
}

function reply (m) {
  return {
    error: m.error,
    token: hex(m.token),
    value: m.value ? b4a.toString(m.value) : null,
    fromId: hex(m.from.id),
    to: m.to,
    closerNodes: (m.closerNodes || []).map((n) => ({ host: n.host, port: n.port }))
  }
}

async function handle (c) {
  switch (c.cmd) {
    case 'testnet': {
      // the shape of hyperdht/testnet.js: node 1 (stays ephemeral) then persistent nodes off it
      const first = await createNode({ ephemeral: false, firewalled: false, bootstrap: c.bootstrap || [] })
      const bootstrap = [{ host: '127.0.0.1', port: first.port }]
      const list = [first]
      for (let i = 1; i < c.size; i++) {
        list.push(await createNode({ ephemeral: false, firewalled: false, bootstrap }))
      }
      return { event: 'testnet', bootstrap, nodes: list.map((n) => describe(nodes[n.idx], n.idx)) }
    }
    case 'node':
      return { event: 'node', ...(await createNode(c.opts)) }
    case 'describe':
      return { event: 'describe', nodes: nodes.map((d, i) => describe(d, i)) }
    case 'findNode': {
      const q = nodes[c.node].findNode(buf(c.target))
      await bounded(q.finished(), 'findNode')
      return { event: 'findNode', closest: q.closestNodes.map((n) => ({ host: n.host, port: n.port })), successes: q.successes }
    }
    case 'commitQuery': {
      const q = nodes[c.node].query({ target: buf(c.target), command: 77, value: b4a.from('v') }, { commit: true })
      await bounded(q.finished(), 'commitQuery')
      return { event: 'commitQuery', closest: q.closestNodes.map((n) => ({ host: n.host, port: n.port })) }
    }
    case 'table': {
      const d = nodes[c.node]
      return { event: 'table', nodes: d.toArray(), has: c.id ? d.table.has(buf(c.id)) : null }
    }
    case 'request': {
      const d = nodes[c.node]
      const m = await bounded(d.request({ token: buf(c.token), command: c.command, target: buf(c.target), value: c.value ? b4a.from(c.value) : null }, c.to), 'request')
      return { event: 'reply', ...reply(m) }
    }
    case 'ping': {
      const m = await bounded(nodes[c.node].ping(c.to), 'ping')
      return { event: 'reply', ...reply(m) }
    }
    case 'checkFirewall': {
      // dht-rpc's own PING_NAT firewall check (private API; the bootstrap heuristic that calls it
      // races the bootstrap query, so the tests call it directly): true means firewalled
      const firewalled = await bounded(nodes[c.node]._checkIfFirewalled(), 'checkFirewall')
      return { event: 'checkFirewall', firewalled, natHost: nodes[c.node].host, natPort: nodes[c.node].port }
    }
    case 'commits':
      return { event: 'commits', commits }
    default:
      throw new Error('unknown command ' + c.cmd)
  }
}

serve(handle, nodes)
