// Computes hypercore-crypto values for a batch of inputs, so CryptoInteropIT can compare them with
// the Java implementation. Reads one JSON document on stdin, prints one on stdout. All byte
// strings are hex.
//
// Input (every section optional):
//   namespaces:    [{ name, count }]
//   discoveryKeys: [keyHex]
//   data:          [blockHex]
//   parents:       [[nodeA, nodeB]]        node = { index, size, hash }
//   trees:         [[node, ...]]
//   hashes:        [[partHex, ...]]
//   seeds:         [seedHex]
//   signs:         [{ seed, message }]
//   verifies:      [{ publicKey, message, signature }]
//   signables:     [{ ctx, treeHash, length, fork }]   (ctx null -> the 80-byte compat form)
// Output: the same section names with one result per input, plus `caps` (the six lib/caps.js
// constants computed with namespace('hypercore', 6)) and `capsExported` (what lib/caps.js exports).

const crypto = require('hypercore-crypto')
const caps = require('hypercore/lib/caps')

const hex = (b) => Buffer.from(b).toString('hex')
const buf = (h) => Buffer.from(h, 'hex')
const node = (n) => ({ index: n.index, size: n.size, hash: buf(n.hash) })

function run(input) {
  const out = {}

  const names = [
    'TREE',
    'REPLICATE_INITIATOR',
    'REPLICATE_RESPONDER',
    'MANIFEST',
    'DEFAULT_NAMESPACE',
    'DEFAULT_ENCRYPTION'
  ]
  const ns = crypto.namespace('hypercore', 6)
  out.caps = {}
  names.forEach((n, i) => {
    out.caps[n] = hex(ns[i])
  })
  out.capsExported = {
    // TREE is not exported; it is the first 32 bytes of every signable.
    TREE: hex(caps.treeSignable(Buffer.alloc(32), Buffer.alloc(32), 0, 0).subarray(0, 32)),
    MANIFEST: hex(caps.MANIFEST),
    DEFAULT_NAMESPACE: hex(caps.DEFAULT_NAMESPACE),
    DEFAULT_ENCRYPTION: hex(caps.DEFAULT_ENCRYPTION)
  }

  out.namespaces = (input.namespaces || []).map(({ name, count }) =>
    crypto.namespace(name, count).map(hex)
  )
  out.discoveryKeys = (input.discoveryKeys || []).map((k) => hex(crypto.discoveryKey(buf(k))))
  out.data = (input.data || []).map((b) => hex(crypto.data(buf(b))))
  out.parents = (input.parents || []).map(([a, b]) => hex(crypto.parent(node(a), node(b))))
  out.trees = (input.trees || []).map((roots) => hex(crypto.tree(roots.map(node))))
  out.hashes = (input.hashes || []).map((parts) => hex(crypto.hash(parts.map(buf))))
  out.seeds = (input.seeds || []).map((s) => {
    const kp = crypto.keyPair(buf(s))
    return { publicKey: hex(kp.publicKey), secretKey: hex(kp.secretKey) }
  })
  out.signs = (input.signs || []).map(({ seed, message }) =>
    hex(crypto.sign(buf(message), crypto.keyPair(buf(seed)).secretKey))
  )
  out.verifies = (input.verifies || []).map(({ publicKey, message, signature }) =>
    crypto.verify(buf(message), buf(signature), buf(publicKey))
  )
  out.signables = (input.signables || []).map(({ ctx, treeHash, length, fork }) =>
    hex(
      ctx === null
        ? caps.treeSignableCompat(buf(treeHash), length, fork, false)
        : caps.treeSignable(buf(ctx), buf(treeHash), length, fork)
    )
  )
  return out
}

let text = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => {
  text += d
})
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(run(JSON.parse(text || '{}'))))
})
