// Signables and signatures with hyperdht 6.34.0's own lib/persistent.js. stdin: { announces:
// [{ seed, target, id, token, relayAddresses, refresh }], mutables: [{ seed, seq, value }] } (hex);
// stdout: { announces: [{ publicKey, signature, unsignature }], mutables: [{ publicKey, signature }] }.
const Persistent = require('hyperdht/lib/persistent.js')
const crypto = require('hypercore-crypto')
const b4a = require('b4a')

const buf = (h) => (h === null || h === undefined ? null : b4a.from(h, 'hex'))
const hex = (b) => b4a.toString(b, 'hex')

function read () {
  return new Promise((resolve) => {
    let s = ''
    process.stdin.on('data', (d) => { s += d })
    process.stdin.on('end', () => resolve(JSON.parse(s)))
  })
}

async function main () {
  const input = await read()
  const announces = input.announces.map((a) => {
    const keyPair = crypto.keyPair(buf(a.seed))
    const ann = { peer: { publicKey: keyPair.publicKey, relayAddresses: a.relayAddresses }, refresh: buf(a.refresh), signature: null }
    const unann = { peer: { publicKey: keyPair.publicKey, relayAddresses: a.relayAddresses }, signature: null }
    return {
      publicKey: hex(keyPair.publicKey),
      signature: hex(Persistent.signAnnounce(buf(a.target), buf(a.token), buf(a.id), ann, keyPair)),
      unsignature: hex(Persistent.signUnannounce(buf(a.target), buf(a.token), buf(a.id), unann, keyPair))
    }
  })
  const mutables = input.mutables.map((m) => {
    const keyPair = crypto.keyPair(buf(m.seed))
    return { publicKey: hex(keyPair.publicKey), signature: hex(Persistent.signMutable(m.seq, buf(m.value), keyPair)) }
  })
  process.stdout.write(JSON.stringify({ announces, mutables }))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
