// Encodes and decodes hyperdht records with hyperdht 6.34.0's own lib/messages.js. stdin:
// { items: [{ type, value, bytes }] } where value is the record as JSON (buffers as hex) and bytes
// the Java encoding (hex); stdout: { encoded: [hex of JS encode(value)], decoded: [JSON of JS
// decode(bytes), or { error }] }. No network.
const c = require('compact-encoding')
const m = require('hyperdht/lib/messages.js')
const b4a = require('b4a')

const buf = (h) => (h === null || h === undefined ? null : b4a.from(h, 'hex'))
const hex = (b) => (b ? b4a.toString(b, 'hex') : null)

function read () {
  return new Promise((resolve) => {
    let s = ''
    process.stdin.on('data', (d) => { s += d })
    process.stdin.on('end', () => resolve(JSON.parse(s)))
  })
}

const addr = (a) => ({ host: a.host, port: a.port })
const peerIn = (p) => p && { publicKey: buf(p.publicKey), relayAddresses: p.relayAddresses }
const peerOut = (p) => p && { publicKey: hex(p.publicKey), relayAddresses: p.relayAddresses.map(addr) }
function ip6Out (a) {
  const s = c.encode(c.ipv6Address, a)
  return { address: hex(s.subarray(0, 16)), port: a.port }
}

const codecs = {
  peer: { in: peerIn, out: peerOut },
  lookupRawReply: {
    // the JS encoder takes raw (already encoded) peer records
    in: (v) => ({ peers: v.peers.map((p) => c.encode(m.peer, peerIn(p))), bump: v.bump }),
    out: (v) => ({ peers: v.peers.map(peerOut), bump: v.bump })
  },
  announce: {
    in: (v) => ({ peer: peerIn(v.peer), refresh: buf(v.refresh), signature: buf(v.signature), bump: v.bump }),
    out: (v) => ({ peer: peerOut(v.peer), refresh: hex(v.refresh), signature: hex(v.signature), bump: v.bump })
  },
  mutablePutRequest: {
    in: (v) => ({ publicKey: buf(v.publicKey), seq: v.seq, value: buf(v.value), signature: buf(v.signature) }),
    out: (v) => ({ publicKey: hex(v.publicKey), seq: v.seq, value: hex(v.value) || '', signature: hex(v.signature) })
  },
  mutableGetResponse: {
    in: (v) => ({ seq: v.seq, value: buf(v.value), signature: buf(v.signature) }),
    out: (v) => ({ seq: v.seq, value: hex(v.value) || '', signature: hex(v.signature) })
  },
  handshake: {
    in: (v) => ({ mode: v.mode, noise: buf(v.noise), peerAddress: v.peerAddress, relayAddress: v.relayAddress }),
    out: (v) => ({
      mode: v.mode,
      noise: hex(v.noise) || '',
      peerAddress: v.peerAddress && addr(v.peerAddress),
      relayAddress: v.relayAddress && addr(v.relayAddress)
    })
  },
  holepunch: {
    in: (v) => ({ mode: v.mode, id: v.id, payload: buf(v.payload), peerAddress: v.peerAddress }),
    out: (v) => ({ mode: v.mode, id: v.id, payload: hex(v.payload) || '', peerAddress: v.peerAddress && addr(v.peerAddress) })
  },
  noisePayload: {
    in: (v) => ({
      ...v,
      relayThrough: v.relayThrough && { publicKey: buf(v.relayThrough.publicKey), token: buf(v.relayThrough.token) }
    }),
    out: (v) => ({
      version: v.version,
      error: v.error,
      firewall: v.firewall,
      holepunch: v.holepunch && {
        id: v.holepunch.id,
        relays: v.holepunch.relays.map((r) => ({ relayAddress: addr(r.relayAddress), peerAddress: addr(r.peerAddress) }))
      },
      addresses4: v.addresses4.map(addr),
      addresses6: v.addresses6.map(ip6Out),
      udx: v.udx && { version: v.udx.version, reusableSocket: v.udx.reusableSocket, id: v.udx.id, seq: v.udx.seq },
      secretStream: v.secretStream && { version: v.secretStream.version },
      relayThrough: v.relayThrough && {
        version: v.relayThrough.version,
        publicKey: hex(v.relayThrough.publicKey),
        token: hex(v.relayThrough.token)
      },
      relayAddresses: v.relayAddresses && v.relayAddresses.map(addr)
    })
  }
}

async function main () {
  const input = await read()
  const encoded = []
  const decoded = []
  for (const it of input.items) {
    const codec = codecs[it.type]
    const enc = m[it.type]
    encoded.push(hex(c.encode(enc, codec.in(it.value))))
    try {
      decoded.push(codec.out(c.decode(enc, buf(it.bytes))))
    } catch (err) {
      decoded.push({ error: err.message })
    }
  }
  process.stdout.write(JSON.stringify({ encoded, decoded }))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
