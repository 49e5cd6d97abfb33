// Encodes Hyperbee 2 blocks with hyperbee's own generated codec (lib/messages.js) so that
// BlockCodecInteropIT can compare the Java encoder's bytes with JS's, and decodes the Java
// encoder's bytes back with JS. One JSON document on stdin, one on stdout; bytes are hex.
//
// Input:  { headers: [{ protocol, metadata: null | { contentFeed: hex|null, userData: hex|null } }],
//           nodes:   [{ levels: [{ keys: [n], children: [n] }], key: hex, value: hex|null }],
//           decode:  [{ kind: 'header'|'node', hex }] }
// Output: { headers: [hex], indexes: [hex], nodes: [hex],
//           decoded: [{ ok, protocol?, metadata?, key?, value?, levels? } | { ok: false }] }

const { YoloIndex, Node, Header } = require('hyperbee/lib/messages')

const hex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'))
const buf = (h) => (h === null || h === undefined ? null : Buffer.from(h, 'hex'))

function main(input) {
  const headers = input.headers.map((h) =>
    hex(
      Header.encode({
        protocol: h.protocol,
        metadata: h.metadata
          ? { contentFeed: buf(h.metadata.contentFeed), userData: buf(h.metadata.userData) }
          : null
      })
    )
  )
  const indexes = []
  const nodes = input.nodes.map((n) => {
    const index = YoloIndex.encode({ levels: n.levels })
    indexes.push(hex(index))
    return hex(Node.encode({ index, key: buf(n.key), value: buf(n.value) }))
  })
  const decoded = input.decode.map(({ kind, hex: h }) => {
    try {
      if (kind === 'header') {
        const d = Header.decode(buf(h))
        return {
          ok: true,
          protocol: d.protocol,
          metadata: d.metadata && { contentFeed: hex(d.metadata.contentFeed), userData: hex(d.metadata.userData) }
        }
      }
      const d = Node.decode(buf(h))
      const levels = YoloIndex.decode(d.index).levels
      return { ok: true, key: hex(d.key), value: hex(d.value), levels }
    } catch {
      return { ok: false }
    }
  })
  return { headers, indexes, nodes, decoded }
}

let data = ''
process.stdin.on('data', (c) => (data += c))
process.stdin.on('end', () => process.stdout.write(JSON.stringify(main(JSON.parse(data)))))
