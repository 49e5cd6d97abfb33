// Data-level proofs with the real hypercore 11.37.1, for ProofInteropIT. One JSON document on stdin,
// one on stdout; byte strings are hex. Every core lives in a fresh directory under os.tmpdir() that
// is removed afterwards.
//
// Blocks never travel through JSON: a block is [size, fill], `size` bytes of xorshift32 output
// seeded with `fill` (the Java side, ProofFixture.xorshiftBlock, makes the same bytes).
//
// op 'generate': the prover side.
//   Input:  { op, cases: [{ seed, blocks, rng, requests }] }
//     seed: 32-byte hex key pair seed; the core is new Hypercore(dir, { keyPair }) with all blocks
//     rng:  seed of the request generator below; requests: how many requests to make
//   Output: { cases: [{ length, answers: [{ requesterLength, junk, request, data, error }] }] }
//     junk: the request has arbitrary numbers, not what an honest requester would ask
//     request: the wire.request bytes; data: the wire.data bytes the replicator would send
//     (MerkleTree.proof awaited on a read batch, then flushed, then settled, as _getProof and
//     _fulfillRequest do), or null with error = the error code (BLOCK_NOT_AVAILABLE when the
//     replicator's bitfield check would refuse the block).
//
// op 'verify': the requester side.
//   Input:  { op, cases: [{ seed, blocks, requesterLength, proofs: [hex wire.data], apply }] }
//     The requester is a core holding the first requesterLength blocks (a writer core from the
//     same seed), or, at length 0, a core that knows only the key.
//   Output: { cases: [{ results: [{ ok, code, upgraded, length }], applied }] }
//     results: MerkleTree.verify, then the signature check of core._verifyBatchUpgrade when the
//     proof upgrades the tree; nothing is written. applied (when apply is set): the first proof
//     fed through core.verify() for real, { ok, code, length } with the core's length after.

const Hypercore = require('hypercore')
const crypto = require('hypercore-crypto')
const flat = require('flat-tree')
const c = require('compact-encoding')
const { MerkleTree } = require('hypercore/lib/merkle-tree')
const messages = require('hypercore/lib/messages')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { hex, xorshiftBlock, jsonMain } = require('./lib/script')

// mulberry32: a small seeded generator so a Java seed replays the same requests
function generator(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    int: (n) => Math.floor(next() * n), // 0 .. n-1
    chance: (p) => next() < p
  }
}

async function withCore(dir, opts, blocks, fn) {
  const core = new Hypercore(dir, opts)
  try {
    await core.ready()
    if (blocks.length) await core.append(blocks)
    return await fn(core)
  } finally {
    // A request that makes hypercore throw inside getByteOffsetBatchFlush leaves that read batch
    // unflushed, and close() then never settles (11.37.1); give up on the close after a while.
    let timer = null
    const gaveUp = new Promise((resolve) => {
      timer = setTimeout(resolve, 1000)
    })
    await Promise.race([core.close(), gaveUp])
    clearTimeout(timer)
  }
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'proofs-'))
}

function byteOffset(blocks, index) {
  let off = 0
  for (let i = 0; i < index; i++) off += blocks[i].byteLength
  return off
}

// A request as the JS requester would send it, from a requester holding the whole tree of its
// first `have` blocks: nodes = MerkleTree.maxMissingNodes, or fewer (the requester may store more).
function randomRequest(g, n, blocks, id) {
  const have = g.int(n + 1)
  const msg = { id, fork: 0, block: null, hash: null, seek: null, upgrade: null, manifest: have === 0 || g.chance(0.25), priority: g.int(3) === 0 ? 1 : 0 }
  const nodesFor = (index) => {
    const max = MerkleTree.maxMissingNodes(index, have)
    return g.chance(0.5) ? max : g.int(max + 1)
  }
  const upgradeFrom = (minLength) => ({ start: have, length: minLength + g.int(n - have - minLength + 1) })
  const kind = g.int(9)
  msg.junk = kind === 7
  if (kind === 0 && have > 0) {
    const i = g.int(have)
    msg.block = { index: i, nodes: nodesFor(2 * i) }
  } else if (kind === 1 && have > 0 && have < n) {
    const i = g.int(have)
    msg.block = { index: i, nodes: nodesFor(2 * i) }
    msg.upgrade = upgradeFrom(1)
  } else if (kind === 2 && have < n) {
    const i = have + g.int(n - have)
    msg.block = { index: i, nodes: 0 }
    msg.upgrade = upgradeFrom(i - have + 1)
  } else if (kind === 3 && have > 0) {
    let index
    do index = g.int(2 * have)
    while (flat.rightSpan(index) >= 2 * have)
    msg.hash = { index, nodes: nodesFor(index) }
  } else if (kind === 4 && have < n) {
    msg.upgrade = upgradeFrom(1)
  } else if (kind === 5 && have < n) {
    msg.upgrade = upgradeFrom(1)
    msg.seek = { bytes: g.int(byteOffset(blocks, n) + 1), padding: g.chance(0.1) ? g.int(4) : 0 }
  } else if (kind === 6 && have > 0) {
    const i = g.int(have)
    msg.hash = { index: 2 * i, nodes: nodesFor(2 * i) }
    msg.seek = { bytes: g.int(byteOffset(blocks, have) + 1), padding: g.chance(0.1) ? g.int(4) : 0 }
  } else if (kind === 7) {
    // junk: arbitrary numbers a misbehaving peer might send
    const big = () => (g.chance(0.5) ? g.int(4 * n + 4) : g.int(2 ** 31))
    if (g.chance(0.5)) msg.block = { index: g.int(n + 2), nodes: big() }
    if (g.chance(0.4)) msg.hash = { index: big(), nodes: big() }
    if (g.chance(0.3)) msg.seek = { bytes: big(), padding: g.int(3) }
    if (g.chance(0.5)) msg.upgrade = { start: g.int(n + 2), length: g.int(n + 2) }
  } else {
    msg.upgrade = have < n ? upgradeFrom(1) : null
  }
  const junk = msg.junk
  delete msg.junk
  return { have, junk, msg }
}

async function answer(core, msg) {
  // replicator.js _handleRequest/_getProof: the fork and the bitfield first
  if (msg.fork !== core.core.state.fork) return { error: 'BLOCK_NOT_AVAILABLE' }
  if (msg.block && !core.core.bitfield.get(msg.block.index)) return { error: 'BLOCK_NOT_AVAILABLE' }
  const rx = core.core.storage.read()
  const blockPromise = msg.block ? rx.getBlock(msg.block.index) : null
  if (blockPromise) blockPromise.catch(() => {})
  let proof
  try {
    proof = await MerkleTree.proof(core.core.state, rx, msg)
  } catch (err) {
    rx.tryFlush()
    return { error: err.code || String(err.message) }
  }
  rx.tryFlush()
  let settled
  try {
    settled = await proof.settle()
  } catch (err) {
    return { error: err.code || String(err.message) }
  }
  const value = blockPromise ? await blockPromise : null
  if (settled.block) settled.block.value = value
  const manifest = msg.manifest && !core.core.compat ? core.core.header.manifest : null
  const data = {
    request: msg.id,
    fork: msg.fork,
    block: settled.block,
    hash: settled.hash,
    seek: settled.seek,
    upgrade: settled.upgrade,
    manifest
  }
  return { data: hex(c.encode(messages.wire.data, data)) }
}

async function generateCase({ seed, blocks, rng, requests }) {
  const dir = tmpdir()
  const values = blocks.map(([size, fill]) => xorshiftBlock(size, fill))
  try {
    return await withCore(dir, { keyPair: crypto.keyPair(Buffer.from(seed, 'hex')) }, values, async (core) => {
      const g = generator(rng)
      const answers = []
      for (let k = 0; k < requests; k++) {
        const { have, junk, msg } = randomRequest(g, core.length, values, 1 + (k % 300))
        const out = await answer(core, msg)
        answers.push({ requesterLength: have, junk, request: hex(c.encode(messages.wire.request, msg)), data: out.data || null, error: out.error || null })
      }
      return { length: core.length, answers }
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function verifyOne(core, bytes) {
  let proof
  try {
    proof = c.decode(messages.wire.data, Buffer.from(bytes, 'hex'))
  } catch (err) {
    return { ok: false, code: 'DECODING_ERROR' }
  }
  try {
    if (proof.fork !== core.core.state.fork) return { ok: false, code: 'FORK' }
    const batch = await MerkleTree.verify(core.core.state, proof)
    if (batch.upgraded) core.core._verifyBatchUpgrade(batch, proof.manifest)
    return { ok: true, upgraded: batch.upgraded, length: batch.length }
  } catch (err) {
    return { ok: false, code: err.code || String(err.message) }
  }
}

async function verifyCase({ seed, blocks, requesterLength, proofs, apply }) {
  const values = blocks.map(([size, fill]) => xorshiftBlock(size, fill))
  const keyPair = crypto.keyPair(Buffer.from(seed, 'hex'))
  const key = Hypercore.key(keyPair.publicKey)
  const opts = requesterLength === 0 ? { key } : { keyPair }
  const prefix = values.slice(0, requesterLength)
  const dir = tmpdir()
  try {
    return await withCore(dir, opts, prefix, async (core) => {
      const results = []
      for (const p of proofs) results.push(await verifyOne(core, p))
      let applied = null
      if (apply && proofs.length) {
        try {
          const ok = await core.core.verify(c.decode(messages.wire.data, Buffer.from(proofs[0], 'hex')))
          applied = { ok, length: core.length }
        } catch (err) {
          applied = { ok: false, code: err.code || String(err.message), length: core.length }
        }
      }
      return { results, applied }
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function run(input) {
  const cases = []
  for (const k of input.cases || []) {
    if (input.op === 'generate') cases.push(await generateCase(k))
    else if (input.op === 'verify') cases.push(await verifyCase(k))
    else throw new Error('unknown op ' + input.op)
  }
  return { cases }
}

// A proof generator that fails part-way leaves node reads rejected with nobody awaiting them (JS
// does the same inside the replicator); they are already reported through the failing call.
process.on('unhandledRejection', () => {})

jsonMain(run)
