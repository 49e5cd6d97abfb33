// compact-encoding primitives as the JS stack computes them, for EncodingInteropIT: hypercore
// 11.37.1 uses compact-encoding 3 (its nested copy), hyperbee and older code use 2.19.2 (the
// top-level copy); both are reported. One JSON document on stdin, one on stdout; bytes are hex.
//
// Input (every section optional):
//   uints:       [n]         -> uintsV2, uintsV3: [hex]           c.uint encodings
//   uintDecodes: [hex]       -> [{ ok, value, consumed } | { ok: false }]   c.uint decode (v3)
//   strings:     [string]    -> [hex]                             c.string encoding (v3)
//   buffers:     [hex]       -> [hex]                             c.buffer encoding (v3)
//   jsonStrings: [hex]       -> [text]                            JSON.stringify of each string, given as
//                                                                 UTF-16BE code units (lone surrogates survive)
//   jsonNumbers: [hex]       -> [text]                            JSON.stringify of each double,
//                                                                 given as its 64 IEEE bits (big-endian hex)

const c2 = require('compact-encoding')
const c3 = require('hypercore/node_modules/compact-encoding')

const hex = (b) => Buffer.from(b).toString('hex')
const buf = (h) => Buffer.from(h, 'hex')

function run(input) {
  const out = {}
  const uints = input.uints || []
  out.uintsV2 = uints.map((n) => hex(c2.encode(c2.uint, n)))
  out.uintsV3 = uints.map((n) => hex(c3.encode(c3.uint, n)))
  out.uintDecodes = (input.uintDecodes || []).map((h) => {
    const b = buf(h)
    const state = c3.state(0, b.byteLength, b)
    try {
      const value = c3.uint.decode(state)
      return { ok: true, value, consumed: state.start }
    } catch {
      return { ok: false }
    }
  })
  out.strings = (input.strings || []).map((s) => hex(c3.encode(c3.string, s)))
  out.buffers = (input.buffers || []).map((h) => hex(c3.encode(c3.buffer, buf(h))))
  out.jsonStrings = (input.jsonStrings || []).map((h) => {
    const b = buf(h)
    let s = ''
    for (let i = 0; i < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i))
    return JSON.stringify(s)
  })
  out.jsonNumbers = (input.jsonNumbers || []).map((h) => JSON.stringify(buf(h.padStart(16, '0')).readDoubleBE(0)))
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
