// The reference answers for two of dht-rpc's pure parts: kademlia-routing-table (which nodes a
// table holds and closest() order) and nat-sampler (the address it reports after each sample).
// stdin: { tables: [{ id, k, nodes: [id], targets: [id] }], nat: [[[host, port], ...]] }
const Table = require('kademlia-routing-table')
const NatSampler = require('nat-sampler')
const b4a = require('b4a')

let s = ''
process.stdin.on('data', (d) => { s += d })
process.stdin.on('end', () => {
  const input = JSON.parse(s)
  const out = { tables: [], nat: [] }
  for (const t of input.tables) {
    const table = new Table(b4a.from(t.id, 'hex'), { k: t.k })
    const added = t.nodes.map((id) => table.add({ id: b4a.from(id, 'hex') }))
    const closest = t.targets.map((target) => table.closest(b4a.from(target, 'hex')).map((n) => b4a.toString(n.id, 'hex')))
    out.tables.push({ added, size: table.size, closest })
  }
  for (const seq of input.nat) {
    const n = new NatSampler()
    out.nat.push(seq.map(([host, port]) => {
      const hits = n.add(host, port)
      return [n.host, n.port, hits]
    }))
  }
  process.stdout.write(JSON.stringify(out))
})
