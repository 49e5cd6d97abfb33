// Applies a sequence of Hyperbee writes with JS hyperbee 2.27.3 on a fresh hypercore 11 whose key
// pair comes from a seed, and reports the core at checkpoints, so BeeWriteInteropIT can check that
// the Java bee writes byte-identical blocks. One JSON document on stdin, one on stdout; bytes are hex.
//
// Input:  { seed, alwaysDuplicate, ops: [op], checkpoints: [opIndex] }
//   op: { op: 'put', sub: [name] | null, key, value: hex | null, cas: bool }
//     | { op: 'del', sub, key, cas }
//     | { op: 'batch', sub, ops: [put or del without sub] }
//   sub: nested sub names (hex bytes), applied with bee.sub(Buffer) one after the other
//   cas: when true the write passes cas(prev, next) = (prev.seq + next.seq) % 3 !== 0
// Output: { checkpoints: [{ at, length, treeHash, blocks: [hex of every block since the last checkpoint] }] }

const Hypercore = require('hypercore')
const Hyperbee = require('hyperbee')
const crypto = require('hypercore-crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { hex, jsonMain } = require('./lib/script')

const buf = (h) => (h === null || h === undefined ? null : Buffer.from(h, 'hex'))
const cas = (prev, next) => (prev.seq + next.seq) % 3 !== 0

function view(bee, sub) {
  let v = bee
  for (const name of sub || []) v = v.sub(buf(name))
  return v
}

async function apply(target, op) {
  const opts = op.cas ? { cas } : undefined
  if (op.op === 'put') await target.put(buf(op.key), buf(op.value), opts)
  else await target.del(buf(op.key), opts)
}

async function main(input) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bee-write-'))
  const core = new Hypercore(dir, { keyPair: crypto.keyPair(buf(input.seed)) })
  const bee = new Hyperbee(core, { alwaysDuplicate: input.alwaysDuplicate !== false })
  try {
    await bee.ready()
    const marks = new Set(input.checkpoints)
    const out = []
    let reported = 0
    for (let i = 0; i < input.ops.length; i++) {
      const op = input.ops[i]
      const target = view(bee, op.sub)
      if (op.op === 'batch') {
        const b = target.batch()
        for (const o of op.ops) await apply(b, o)
        await b.flush()
      } else {
        await apply(target, op)
      }
      if (marks.has(i)) {
        const blocks = []
        for (let s = reported; s < core.length; s++) blocks.push(hex(await core.get(s)))
        reported = core.length
        out.push({ at: i, length: core.length, treeHash: hex(await core.treeHash()), blocks })
      }
    }
    return { checkpoints: out }
  } finally {
    await bee.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

jsonMain(main)
