// Writes the seed inputs of the Jazzer fuzz targets (docs/fuzzing.md), made by the JS reference
// packages wherever one exists: hypercore's wire codecs (lib/messages.js), compact-encoding,
// noise-handshake with noise-curve-ed, hyperbee's protobuf codec, dht-rpc's IO. Formats that are
// ours alone (the oplog entry body and the checkpoint body) are written with compact-encoding
// after the layout in OplogEntry/Checkpoint; Protomux frames and cojson JSON lines are composed
// here with compact-encoding / JSON as the JS peers send them.
//
// Run from the repo root:  node interop/fuzz-seeds.js
// It replaces the seed-*.bin files in every target's Inputs directory and leaves the other files
// there (crash reproducers, named after the bug) alone. Deterministic: the same files every run.
const fs = require('fs')
const path = require('path')
const c = require('compact-encoding')
const b4a = require('b4a')
const { wire, manifest } = require('hypercore/lib/messages')
const { YoloIndex, Node, Header } = require('hyperbee/lib/messages')
const Noise = require('noise-handshake')
const curve = require('noise-curve-ed')
const IO = require('dht-rpc/lib/io.js')

const root = path.join(__dirname, '..')
const fill = (n, v) => b4a.alloc(n, v)
const enc = (codec, m) => b4a.from(c.encode(codec, m))
const cat = (...bs) => b4a.concat(bs.map((b) => b4a.from(b)))

function write (module, pkg, cls, method, seeds) {
  const dir = path.join(root, module, 'src/test/resources', ...pkg.split('.'), cls + 'Inputs', method)
  fs.mkdirSync(dir, { recursive: true })
  for (const f of fs.readdirSync(dir)) if (f.startsWith('seed-')) fs.unlinkSync(path.join(dir, f))
  seeds.forEach((s, i) => fs.writeFileSync(path.join(dir, 'seed-' + String(i).padStart(2, '0') + '.bin'), s))
  console.log(seeds.length + ' seeds  ' + path.relative(root, dir))
}

// ---- hypercore/alpha messages
const node = (index, size, v) => ({ index, size, hash: fill(32, v) })
const requests = [
  { id: 1, fork: 0, block: { index: 0, nodes: 0 }, hash: null, seek: null, upgrade: null, manifest: false, priority: 0 },
  { id: 2, fork: 1, block: { index: 5, nodes: 2 }, hash: null, seek: null, upgrade: { start: 0, length: 8 }, manifest: true, priority: 1 },
  { id: 300, fork: 0, block: null, hash: { index: 6, nodes: 3 }, seek: null, upgrade: null, manifest: false, priority: 0 },
  { id: 70000, fork: 2, block: null, hash: null, seek: { bytes: 1024, padding: 0 }, upgrade: { start: 4, length: 12 }, manifest: false, priority: 4 }
]
const signer = { signature: 'ed25519', namespace: fill(32, 1), publicKey: fill(32, 2) }
const manifests = [
  { version: 1, hash: 'blake2b', allowPatch: false, quorum: 1, signers: [signer], prologue: null, linked: null, userData: null },
  { version: 1, hash: 'blake2b', allowPatch: true, quorum: 2, signers: [signer, { ...signer, publicKey: fill(32, 3) }], prologue: { hash: fill(32, 4), length: 3 }, linked: null, userData: null },
  { version: 0, hash: 'blake2b', allowPatch: false, quorum: 1, signers: [signer], prologue: null }
]
const datas = [
  { request: 1, fork: 0, block: { index: 0, value: b4a.from('hello'), nodes: [] }, hash: null, seek: null, upgrade: null, manifest: null },
  { request: 2, fork: 0, block: { index: 3, value: fill(40, 9), nodes: [node(4, 5, 1), node(1, 10, 2)] }, hash: null, seek: null,
    upgrade: { start: 0, length: 4, nodes: [node(3, 20, 3)], additionalNodes: [], signature: fill(64, 5) }, manifest: manifests[0] },
  { request: 3, fork: 1, block: null, hash: { index: 6, nodes: [node(4, 1, 6), node(1, 2, 7)] }, seek: { bytes: 7, nodes: [node(2, 3, 8)] },
    upgrade: null, manifest: null },
  { request: 0, fork: 0, block: null, hash: null, seek: null,
    upgrade: { start: 2, length: 6, nodes: [node(9, 4, 1)], additionalNodes: [node(13, 2, 2)], signature: fill(64, 6) }, manifest: null }
]
function tryEnc (codec, m) { try { return enc(codec, m) } catch (e) { console.error('skipped a seed: ' + e.message); return null } }
const manifestSeeds = manifests.map((m) => tryEnc(manifest, m)).filter(Boolean)
write('hypercore', 'org.maiaos.mesh.hypercore.tree', 'RequestFuzzTest', 'decodesOrRefuses', requests.map((m) => enc(wire.request, m)))
write('hypercore', 'org.maiaos.mesh.hypercore.tree', 'DataFuzzTest', 'decodesOrRefuses', datas.map((m) => tryEnc(wire.data, m)).filter(Boolean))
write('hypercore', 'org.maiaos.mesh.hypercore.manifest', 'ManifestFuzzTest', 'decodesOrRefuses', manifestSeeds)

const channel = [
  [0, wire.sync, { fork: 0, length: 10, remoteLength: 4, canUpgrade: true, uploading: true, downloading: true, hasManifest: false, allowPush: false }],
  [1, wire.request, requests[1]],
  [2, wire.cancel, { request: 7 }],
  [3, wire.data, datas[0]],
  [4, wire.noData, { request: 9, reason: 0 }],
  [5, wire.want, { start: 0, length: 1024, any: false }],
  [6, wire.unwant, { start: 1024, length: 1024, any: false }],
  [7, wire.bitfield, { start: 0, bitfield: Uint32Array.from([0xffffffff, 7, 0]) }],
  [8, wire.range, { drop: false, start: 0, length: 100000 }],
  [8, wire.range, { drop: true, start: 5, length: 1 }],
  [9, wire.extension, { name: 'ext', message: b4a.from('payload') }],
  [10, wire.handshake, { seeks: false, capability: fill(32, 0xcc) }]
]
write('hyperswarm', 'org.maiaos.mesh.hyperswarm.wire', 'ChannelMessageFuzzTest', 'messageDecodesOrRefuses',
  channel.map(([t, codec, m]) => tryEnc(codec, m) && cat([t], enc(codec, m))).filter(Boolean))

// ---- compact-encoding primitives: op byte, then the primitive (ops as in CompactEncodingFuzzTest)
write('hypercore', 'org.maiaos.mesh.hypercore.encoding', 'CompactEncodingFuzzTest', 'primitivesDecodeOrRefuse', [
  cat([0], enc(c.uint, 0xfc), [0], enc(c.uint, 0xfd), [0], enc(c.uint, 0x10000), [0], enc(c.uint, Number.MAX_SAFE_INTEGER)),
  cat([1], enc(c.uint, 1000), [2], enc(c.uint, 2), [0xff, 0xee]),
  cat([3], enc(c.buffer, b4a.from('abc')), [4], enc(c.buffer, null), [4], enc(c.buffer, fill(3, 1))),
  cat([5], enc(c.string, 'héllo ✓'), [5], enc(c.string, '')),
  cat([6], enc(c.uint32, 0xffffffff), [7], enc(c.uint64, 2 ** 40), [8], enc(c.bool, true), [9], enc(c.fixed32, fill(32, 7)))
])

// ---- our storage formats, written with compact-encoding after OplogEntry / Checkpoint
const head = (sig) => cat(enc(c.uint, 0), enc(c.uint, 3), enc(c.uint, 15), fill(32, 4), enc(c.buffer, sig))
const oplogBody = (seq, truncate, blocks, nodes, withHead) => cat(
  enc(c.uint, seq), enc(c.uint, (truncate >= 0 ? 1 : 0) | (withHead ? 2 : 0)), truncate >= 0 ? enc(c.uint, truncate) : [],
  enc(c.uint, 0), enc(c.uint, blocks.length), ...blocks.map((b, i) => cat(enc(c.uint, i), enc(c.uint, b.length))),
  enc(c.uint, nodes.length), ...nodes.map((n) => cat(enc(c.uint, n.index), enc(c.uint, n.size), n.hash)),
  withHead ? head(fill(64, 9)) : [], ...blocks)
write('hypercore', 'org.maiaos.mesh.hypercore.storage', 'OplogEntryFuzzTest', 'bodyDecodesOrRefuses', [
  oplogBody(1, -1, [b4a.from('a'), b4a.from('bc')], [node(0, 1, 1), node(2, 2, 2)], true),
  oplogBody(2, 1, [], [], true),
  oplogBody(3, -1, [fill(100, 3)], [node(0, 100, 3)], false)
])
// CheckpointFuzzTest: an even first byte means "the rest is the body" (the target adds magic, version, CRC)
const coreHeader = (manifest, secret) => cat(fill(32, 1), enc(c.buffer, manifest), enc(c.buffer, secret))
write('hypercore', 'org.maiaos.mesh.hypercore.storage', 'CheckpointFuzzTest', 'headerDecodesOrRefuses', [
  cat([0], coreHeader(manifestSeeds[0], fill(64, 2)), head(fill(64, 3)), enc(c.uint, 4096), enc(c.uint, 7)),
  cat([0], coreHeader(null, null), head(null), enc(c.uint, 0), enc(c.uint, 0)),
  cat([1], b4a.from('hcst'), [1, 0, 0, 0], fill(8, 0))
])

// ---- secret-stream: [limit/64, read size] then uint24le-framed bodies
const frame = (b) => cat([b.length & 0xff, (b.length >> 8) & 0xff, b.length >> 16], b)
write('hyperswarm', 'org.maiaos.mesh.hyperswarm.secretstream', 'SecretStreamFrameFuzzTest', 'framesSplitLikeTheReference', [
  cat([16, 7], frame(fill(32 + 24, 1)), frame(fill(20, 2)), frame(b4a.alloc(0))),
  cat([1, 255], frame(fill(64, 3)), frame(fill(65, 4))),
  cat([255, 1], frame(fill(500, 5)), [3, 0])
])

// ---- Noise XX: [step] then a handshake message from noise-handshake
const ini = new Noise('XX', true, curve.generateKeyPair(fill(32, 1)), { curve })
const res = new Noise('XX', false, curve.generateKeyPair(fill(32, 2)), { curve })
ini.initialise(b4a.alloc(0))
res.initialise(b4a.alloc(0))
const m1 = ini.send()
res.recv(m1)
const m2 = res.send()
ini.recv(m2)
const m3 = ini.send()
write('hyperswarm', 'org.maiaos.mesh.hyperswarm.secretstream', 'NoiseHandshakeFuzzTest', 'handshakeMessageReadsOrRefuses',
  [cat([0], m1), cat([1], m2), cat([2], m3), cat([0], m1, b4a.from('payload'))])

// ---- Protomux: frames as u16le length | frame, frames as protomux.js writes them
const u16 = (b) => cat([b.length & 0xff, b.length >> 8], b)
const open = (id, protocol, chid, hs) => cat(enc(c.uint, 0), enc(c.uint, 1), enc(c.uint, id), enc(c.string, protocol), enc(c.buffer, chid), hs)
const msg = (ch, type, body) => cat(enc(c.uint, ch), enc(c.uint, type), body)
const batch = (ch, items) => cat(enc(c.uint, 0), enc(c.uint, 0), enc(c.uint, ch), ...items.map((b) => cat(enc(c.uint, b.length), b)))
write('hyperswarm', 'org.maiaos.mesh.hyperswarm.mux', 'ProtomuxFuzzTest', 'framesAreHandledOrRefused', [
  cat(u16(open(1, 'p', b4a.from([1]), [])), u16(msg(1, 1, b4a.from('hi'))), u16(msg(1, 2, []))),
  cat(u16(open(1, 'hypercore/alpha', fill(32, 8), enc(wire.handshake, { seeks: false, capability: fill(32, 1) }))),
    u16(batch(1, [cat(enc(c.uint, 0), fill(3, 0)), cat(enc(c.uint, 1), b4a.from('x'))]))),
  cat(u16(open(1, 'unknown', null, [])), u16(cat(enc(c.uint, 0), enc(c.uint, 3), enc(c.uint, 1)))),
  cat(u16(cat(enc(c.uint, 0), enc(c.uint, 2), enc(c.uint, 1))), u16(open(2, 'p', null, [])))
])

// ---- dht-rpc datagrams from dht-rpc's own IO (as interop/dht-codec.js does it)
const sent = []
const table = { id: fill(32, 5), closest: () => [{ host: '10.0.0.1', port: 49737 }, { host: '192.168.1.2', port: 1 }] }
const io = new IO(table, { watchNetworkInterfaces: () => ({ on () {}, destroy () {} }) }, { firewalled: false })
const socket = { trySend: (b) => sent.push(b4a.from(b)) }
io.serverSocket = socket
io.clientSocket = socket
io._secrets = [fill(32, 1), fill(32, 2)]
const dht = []
const sendOne = (req) => { sent.length = 0; req.send(true); req.destroy(); return sent[0] }
io.ephemeral = false
dht.push(sendOne(io.createRequest({ host: '127.0.0.1', port: 1234 }, fill(32, 3), true, 1, fill(32, 4), b4a.from('value'), null, 0)))
io.ephemeral = true
dht.push(sendOne(io.createRequest({ host: '1.2.3.4', port: 5 }, null, false, 5, null, null, null, 0)))
let incoming = null
io.onrequest = (req) => { incoming = req }
io.onmessage(socket, sendOne(io.createRequest({ host: '1.1.1.1', port: 1 }, null, false, 5, fill(32, 7), null, null, 0)), { host: '9.9.9.9', port: 9 })
io.ephemeral = false
sent.length = 0
incoming.sendReply(0, b4a.from('reply'), true, true)
dht.push(sent[0])
sent.length = 0
incoming.sendReply(2, null, false, false)
dht.push(sent[0])
write('hyperswarm', 'org.maiaos.mesh.hyperswarm.dht.messages', 'DhtMessageFuzzTest', 'datagramDecodesOrRefuses', dht.filter(Boolean))

// ---- hyperbee blocks: [even] header, or [odd, seq] node, from hyperbee's generated codec
const idx = (levels) => YoloIndex.encode({ levels })
const bee = (seq, levels, key, value) => cat([1, seq - 1], Node.encode({ index: idx(levels), key: b4a.from(key), value: value && b4a.from(value) }))
write('hyperbee', 'org.maiaos.mesh.hyperbee.tree', 'BlockCodecFuzzTest', 'blockDecodesOrRefuses', [
  cat([0], Header.encode({ protocol: 'hyperbee', metadata: null })),
  cat([0], Header.encode({ protocol: 'hyperbee', metadata: { contentFeed: fill(32, 1), userData: b4a.from('u') } })),
  bee(1, [{ keys: [1], children: [] }], 'a', 'va'),
  bee(3, [{ keys: [2, 3], children: [1, 0, 3, 1, 2, 0] }, { keys: [1], children: [] }], 'c', null),
  bee(2, [{ keys: [], children: [] }], 'b', null)
])

// ---- cojson: content messages and sync lines as cojson 0.20 sends them (ids well formed, hashes not real)
const id = 'co_zXtb9gdyj1d1AFGcwKcaR3Q7wWH'
const sid = 'co_zKHLuKdhmmLRd5RwxYMN1yRRThp_session_zBLF6Y2ntZ3z'
const tx = (t) => ({ privacy: 'trusting', madeAt: 1700000000000 + t, changes: JSON.stringify([{ op: 'set', key: 'k' + t, value: t }]) })
const content = (extra) => JSON.stringify({ action: 'content', id, priority: 3, new: { [sid]: { after: 0, newTransactions: [tx(1), tx(2)], lastSignature: 'signature_z3Yx' } }, ...extra })
const lines = [
  content({}),
  content({ expectContentUntil: { [sid]: 4 } }),
  JSON.stringify({ action: 'content', id, priority: 6, new: {} }),
  JSON.stringify({ action: 'content', id, header: { type: 'comap', ruleset: { type: 'unsafeAllowAll' }, meta: null, uniqueness: 'z1' }, priority: 3, new: {} })
]
write('cojson-storage', 'org.maiaos.mesh.cojson.storage.model', 'ContentMessageFuzzTest', 'contentParsesOrRefuses', lines.map((l) => b4a.from(l)))
write('node', 'org.maiaos.mesh.node.sync.protocol', 'SyncMessageCodecFuzzTest', 'lineDecodesOrRefuses', [
  ...lines.slice(0, 2),
  JSON.stringify({ action: 'load', id, header: true, sessions: { [sid]: 2 } }),
  JSON.stringify({ action: 'known', id, header: false, sessions: {} }),
  JSON.stringify({ action: 'known', isCorrection: true, id, header: true, sessions: { [sid]: 5 } }),
  JSON.stringify({ action: 'done', id }),
  JSON.stringify({ action: 'reconcile', values: [[id, 'hash_z1']] }),
  JSON.stringify({ action: 'reconcile-ack' }),
  JSON.stringify({ action: 'ping' }),
  '{}'
].map((l) => b4a.from(l)))
