// Builds a bee with JS hyperbee 2.27.3 from a sequence of writes (the format of bee-write.js),
// then answers read queries, so BeeReadInteropIT can copy the blocks into a Java core and check that
// the Java bee answers every query exactly as JS does. One JSON document on stdin, one on stdout.
//
// Input:  { seed, ops: [op as in bee-write.js], queries: [query] }
//   query: { q: 'get', key, ...view } | { q: 'range' | 'peek', gt, gte, lt, lte, reverse, limit, ...view }
//        | { q: 'diff', other: opIndex, gt, gte, lt, lte, limit, ...view }
//        | { q: 'history', gt, gte, lt, lte, reverse, limit, ...view } (bounds are numbers)
//        | { q: 'getBySeq', seq, ...view } | { q: 'header' }
//   view:  { sub: [hex name], at: opIndex | -1, order: 'sub-first' | 'checkout-first' }
//          at = -1 reads the latest version, else checkout(version after op `at`); 'sub-first' does
//          bee.sub(...).checkout(v) (hyperbee then drops the sub's range defaults), 'checkout-first'
//          bee.checkout(v).sub(...). Absent bounds are null.
// Output: { lengths: [core length after each op], blocks: [hex], treeHash, answers: [answer] }
//   entry: { seq, key, value } (hex, value null when absent); history entries add type;
//   diff: [{ left: entry|null, right: entry|null }]; errors: { error: message }

const Hypercore = require('hypercore')
const Hyperbee = require('hyperbee')
const crypto = require('hypercore-crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { hex, jsonMain } = require('./lib/script')

const buf = (h) => (h === null || h === undefined ? null : Buffer.from(h, 'hex'))
const cas = (prev, next) => (prev.seq + next.seq) % 3 !== 0
const entry = (e) => (e ? { seq: e.seq, key: hex(e.key), value: hex(e.value) } : null)

function subOf(bee, sub) {
  let v = bee
  for (const name of sub || []) v = v.sub(buf(name))
  return v
}

async function apply(target, op) {
  const opts = op.cas ? { cas } : undefined
  if (op.op === 'put') await target.put(buf(op.key), buf(op.value), opts)
  else await target.del(buf(op.key), opts)
}

// wait: false makes a read of a block the core does not have throw BLOCK_NOT_AVAILABLE instead of
// waiting for peers that never come (node would then exit with nothing printed)
function bounds(q, conv) {
  const r = { wait: false }
  for (const b of ['gt', 'gte', 'lt', 'lte']) if (q[b] !== null && q[b] !== undefined) r[b] = conv(q[b])
  if (q.reverse) r.reverse = true
  if (q.limit !== null && q.limit !== undefined && q.limit >= 0) r.limit = q.limit
  return r
}

async function collect(stream) {
  const out = []
  for await (const x of stream) out.push(x)
  return out
}

async function answer(bee, lengths, q) {
  if (q.q === 'header') {
    const h = await bee.getHeader()
    return { protocol: h.protocol, metadata: h.metadata && { contentFeed: hex(h.metadata.contentFeed), userData: hex(h.metadata.userData) } }
  }
  const version = q.at === -1 || q.at === undefined ? 0 : Math.max(1, lengths[q.at])
  let v
  if (!version) v = subOf(bee, q.sub)
  else if (q.order === 'sub-first') v = subOf(bee, q.sub).checkout(version)
  else v = subOf(bee.checkout(version), q.sub)
  switch (q.q) {
    case 'get':
      return entry(await v.get(buf(q.key), { wait: false }))
    case 'getBySeq': {
      const e = await v.getBySeq(q.seq, { wait: false })
      return { key: hex(e.key), value: hex(e.value) }
    }
    case 'range':
      return (await collect(v.createReadStream(bounds(q, buf)))).map(entry)
    case 'peek':
      return entry(await v.peek(bounds(q, buf)))
    case 'diff': {
      const other = Math.max(1, lengths[q.other])
      const d = await collect(v.createDiffStream(other, bounds(q, buf)))
      return d.map((x) => ({ left: entry(x.left), right: entry(x.right) }))
    }
    case 'history': {
      const h = await collect(v.createHistoryStream(bounds(q, (x) => x)))
      return h.map((x) => ({ type: x.type, ...entry(x) }))
    }
  }
  throw new Error('unknown query ' + q.q)
}

async function main(input) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bee-read-'))
  const core = new Hypercore(dir, { keyPair: crypto.keyPair(buf(input.seed)) })
  const bee = new Hyperbee(core)
  try {
    await bee.ready()
    const lengths = []
    for (const op of input.ops) {
      const target = subOf(bee, op.sub)
      if (op.op === 'batch') {
        const b = target.batch()
        for (const o of op.ops) await apply(b, o)
        await b.flush()
      } else {
        await apply(target, op)
      }
      lengths.push(core.length)
    }
    const blocks = []
    for (let s = 0; s < core.length; s++) blocks.push(hex(await core.get(s)))
    const answers = []
    for (const q of input.queries) {
      try {
        answers.push(await answer(bee, lengths, q))
      } catch (e) {
        answers.push({ error: String(e.message || e) })
      }
    }
    return { lengths, blocks, treeHash: hex(await core.treeHash()), answers }
  } finally {
    await bee.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

jsonMain(main)
