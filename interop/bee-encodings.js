// Writes a bee with JS hyperbee 2.27.3 using the utf-8 key encoding and the json value encoding,
// so BeeEncodingInteropIT can check that the Java bee, with Encoding.UTF8 and Encoding.JSON,
// writes the same blocks and reads JS's back. One JSON document on stdin, one on stdout.
//
// Input:  { seed, ops: [{ put: [key, value] } | { del: key }], sub: name | null }
//   keys are strings, values any JSON value; with `sub` every op goes through bee.sub(name)
// Output: { blocks: [hex], entries: [{ seq, key, value }] } (entries: the sub's or bee's full range)

const Hypercore = require('hypercore')
const Hyperbee = require('hyperbee')
const crypto = require('hypercore-crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { jsonMain } = require('./lib/script')

async function main(input) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bee-enc-'))
  const core = new Hypercore(dir, { keyPair: crypto.keyPair(Buffer.from(input.seed, 'hex')) })
  const bee = new Hyperbee(core, { keyEncoding: 'utf-8', valueEncoding: 'json' })
  try {
    await bee.ready()
    const target = input.sub ? bee.sub(input.sub) : bee
    for (const op of input.ops) {
      if (op.put) await target.put(op.put[0], op.put[1])
      else await target.del(op.del)
    }
    const blocks = []
    for (let s = 0; s < core.length; s++) blocks.push((await core.get(s)).toString('hex'))
    const entries = []
    for await (const e of target.createReadStream()) entries.push({ seq: e.seq, key: e.key, value: e.value })
    return { blocks, entries }
  } finally {
    await bee.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

jsonMain(main)
