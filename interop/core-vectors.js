// Builds real hypercore 11 cores on disk and reports everything CoreInteropIT compares byte for
// byte with the Java core: key, discovery key, manifest encoding, every stored tree node, and after
// each step the length, byte length, fork, tree hash and stored signature. One JSON document on
// stdin, one on stdout; byte strings are hex. Each core lives in a fresh directory under
// os.tmpdir() that is removed afterwards.
//
// Input:  { cases: [{ mode, seed, ops }] }
//   mode: 'default' -> new Hypercore(dir, { keyPair })
//         'compat'  -> new Hypercore(dir, { keyPair, compat: true })
//         'v0'      -> new Hypercore(dir, { keyPair, manifest: { version: 0, signers: [{ publicKey }] } })
//   seed: 32-byte hex seed of the key pair
//   ops:  [{ append: [[size, fill], ...] } | { truncate: newLength }]
//         a block is `size` bytes of xorshift32 output seeded with `fill` (xorshiftBlock in lib/script.js),
//         so blocks need not travel through JSON; one append op is one core.append batch.
// Output: { cases: [{ publicKey, key, discoveryKey, manifest, steps: [head], nodes }] }
//   head:  { length, byteLength, fork, treeHash, signature }   after each op
//   nodes: for flat index 0 .. 2 * (max length reached) - 1: [index, size, hash] or null,
//          read from the core's storage after the last op.

const Hypercore = require('hypercore')
const crypto = require('hypercore-crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { hex, xorshiftBlock, jsonMain } = require('./lib/script')

function options(mode, keyPair) {
  if (mode === 'default') return { keyPair }
  if (mode === 'compat') return { keyPair, compat: true }
  if (mode === 'v0') return { keyPair, manifest: { version: 0, signers: [{ publicKey: keyPair.publicKey }] } }
  throw new Error('unknown mode ' + mode)
}

async function readNodes(core, count) {
  const rx = core.state.storage.read()
  const pending = []
  for (let i = 0; i < count; i++) pending.push(rx.getTreeNode(i))
  rx.tryFlush()
  const nodes = await Promise.all(pending)
  return nodes.map((n) => (n === null ? null : [n.index, n.size, hex(n.hash)]))
}

async function buildCase({ mode, seed, ops }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-vectors-'))
  const keyPair = crypto.keyPair(Buffer.from(seed, 'hex'))
  const core = new Hypercore(dir, options(mode, keyPair))
  try {
    await core.ready()
    const steps = []
    let maxLength = 0
    for (const op of ops) {
      if (op.append) await core.append(op.append.map(([size, fill]) => xorshiftBlock(size, fill)))
      else await core.truncate(op.truncate)
      maxLength = Math.max(maxLength, core.length)
      steps.push({
        length: core.length,
        byteLength: core.byteLength,
        fork: core.fork,
        treeHash: hex(await core.treeHash()),
        signature: hex(core.core.state.signature)
      })
    }
    return {
      publicKey: hex(keyPair.publicKey),
      key: hex(core.key),
      discoveryKey: hex(core.discoveryKey),
      manifest: hex(core.getManifest({ raw: true })),
      steps,
      nodes: await readNodes(core, 2 * maxLength)
    }
  } finally {
    await core.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function run(input) {
  const cases = []
  for (const c of input.cases || []) cases.push(await buildCase(c))
  return { cases }
}

jsonMain(run)
