// Encodes and decodes hypercore/alpha channel messages with JS hypercore's own codecs
// (lib/messages.js wire.*). stdin: { encode: [{type, m}], decode: [{type, hex}] } where byte
// fields are hex strings. stdout: { encoded: [hex], decoded: [{ok, m | error}] }.
const c = require('compact-encoding')
const { wire } = require('hypercore/lib/messages')

const hexFields = { handshake: ['capability'], extension: ['message'] }

function toJs (type, m) {
  const out = { ...m }
  for (const f of hexFields[type] || []) out[f] = Buffer.from(m[f], 'hex')
  if (type === 'bitfield') out.bitfield = Uint32Array.from(m.bitfield)
  return out
}

function toJson (type, m) {
  const out = { ...m }
  for (const f of hexFields[type] || []) out[f] = Buffer.from(m[f]).toString('hex')
  if (type === 'bitfield') out.bitfield = Array.from(m.bitfield)
  return out
}

let text = ''
process.stdin.on('data', d => { text += d })
process.stdin.on('end', () => {
  const input = JSON.parse(text || '{}')
  const encoded = (input.encode || []).map(({ type, m }) => Buffer.from(c.encode(wire[type], toJs(type, m))).toString('hex'))
  const decoded = (input.decode || []).map(({ type, hex }) => {
    try {
      const state = { start: 0, end: hex.length / 2, buffer: Buffer.from(hex, 'hex') }
      const m = wire[type].decode(state)
      return { ok: true, consumed: state.start, m: toJson(type, m) }
    } catch (err) {
      return { ok: false, error: String(err && err.message) }
    }
  })
  process.stdout.write(JSON.stringify({ encoded, decoded }))
})
