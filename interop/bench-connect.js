// Side-by-side benchmark, JS half of -Dbench=connect: lookup + connect latency on a 5-node
// hyperdht 6.34.0 testnet on 127.0.0.1 (createTestnet; every node bootstraps from its first).
// A server node listens with the key pair from SERVER_SEED (an echo server) and announces it under
// TOPIC; a client node then runs WARMUP + SAMPLES cycles, each: lookup(TOPIC) to its end (the
// server's key must be among the peers), connect(serverKey) with a fresh key pair made before the
// clock starts, write 1 byte, wait for its echo; the sample runs from the lookup's start to the
// echo. Closing the connection is not timed. Prints one JSON line with every sample in nanoseconds
// (warm-up excluded) and how many lookups found the server.
// Usage: node bench-connect.js SAMPLES WARMUP TOPIC_HEX SERVER_SEED_HEX [noRelayCache]
const DHT = require('hyperdht')
const createTestnet = require('hyperdht/testnet')
const b4a = require('b4a')
const crypto = require('crypto')

const OP_TIMEOUT_MS = 30000

function bounded (p, what) {
  let timer
  const t = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timeout: ' + what)), OP_TIMEOUT_MS)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

async function main () {
  const samples = Number(process.argv[2])
  const warmup = Number(process.argv[3])
  const topic = b4a.from(process.argv[4], 'hex')
  const serverKp = DHT.keyPair(b4a.from(process.argv[5], 'hex'))
  const noRelayCache = process.argv[6] === 'noRelayCache'

  const tn = await bounded(createTestnet(5, { host: '127.0.0.1' }), 'testnet')
  const serverNode = tn.createNode()
  const clientNode = tn.createNode()
  await bounded(Promise.all([serverNode.fullyBootstrapped(), clientNode.fullyBootstrapped()]), 'bootstrap')

  const server = serverNode.createServer((socket) => {
    socket.on('error', () => {})
    socket.on('data', (d) => socket.write(d))
    socket.on('end', () => socket.end())
  })
  await bounded(server.listen(serverKp), 'listen')
  await bounded(serverNode.announce(topic, serverKp, server.relayAddresses).finished(), 'announce')

  const keyPairs = []
  for (let i = 0; i < warmup + samples; i++) keyPairs.push(DHT.keyPair(crypto.randomBytes(32)))

  const out = []
  let found = 0
  for (let i = 0; i < warmup + samples; i++) {
    // hyperdht remembers the relays a connection used (its relay-address cache) and tries them
    // before a findPeer; with noRelayCache each cycle starts without that memory, as Java does
    if (noRelayCache) clientNode._relayAddressesCache.clear()
    const byte = b4a.from([i & 0xff])
    const t0 = process.hrtime.bigint()
    let hit = false
    await bounded((async () => {
      for await (const reply of clientNode.lookup(topic)) {
        for (const p of reply.peers) if (b4a.equals(p.publicKey, serverKp.publicKey)) hit = true
      }
    })(), 'lookup')
    if (!hit) throw new Error('lookup ' + i + ' did not find the server')
    const socket = clientNode.connect(serverKp.publicKey, { keyPair: keyPairs[i] })
    socket.on('error', () => {})
    const echoed = new Promise((resolve, reject) => {
      socket.once('data', (d) => (b4a.equals(d, byte) ? resolve(process.hrtime.bigint()) : reject(new Error('wrong echo'))))
      socket.once('close', () => reject(new Error('closed before the echo')))
    })
    socket.write(byte)
    const t1 = await bounded(echoed, 'connect + echo')
    if (i >= warmup) {
      out.push(Number(t1 - t0))
      found++
    }
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.end()
    await bounded(closed, 'close').catch(() => socket.destroy())
  }
  await server.close()
  await tn.destroy()
  console.log(JSON.stringify({ impl: 'js', found, samplesNs: out }))
}

main().catch((err) => { console.error(err); process.exit(1) })
