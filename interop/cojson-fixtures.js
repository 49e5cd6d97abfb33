// Produces cojson storage fixtures with the real cojson 0.20.19: one account, a group, CoMaps,
// CoLists, a binary stream of 500+ KB and a deleted CoMap. For each CoValue it records the
// content messages a node would send for it (CoValueCore.newContentSince, the same pieces the
// SyncManager hands to peers and storage), as JSON text exactly as JSON.stringify writes them.
//
// Input (stdin, JSON, all optional): { "binaryBytes": 540000, "mapEdits": 5, "listItems": 30 }
// Output (stdout, JSON):
//   { "values": [ { "name", "id", "kind", "knownState", "header",
//                   "full":        [ "<content message JSON text>", ... ],   // newContentSince(undefined)
//                   "incremental": [ "<content message JSON text>", ... ] }  // one per edit batch, in order
//               ] }
// "incremental" replays the value's history batch by batch (after > 0 for later batches), so a
// storage that stores them in order ends with the same known state as one that stores "full".
// Nothing here is written to disk; the Java test runs it at test time.

async function main() {
  const input = JSON.parse((await readStdin()) || '{}')
  const binaryBytes = input.binaryBytes ?? 540000
  const mapEdits = input.mapEdits ?? 5
  const listItems = input.listItems ?? 30

  const { LocalNode } = await import('cojson')
  const { WasmCrypto } = await import('cojson/crypto/WasmCrypto')
  const crypto = await WasmCrypto.create()

  const { node, accountID, accountSecret } = await LocalNode.withNewlyCreatedAccount({
    creationProps: { name: 'Fixture Writer' },
    peers: [],
    crypto
  })

  const tracked = new Map() // id -> { name, kind, snapshots: [knownState before each batch] , incremental: [] }
  const track = (name, kind, id) => {
    const t = { name, kind, id, incremental: [], last: undefined }
    tracked.set(id, t)
    return t
  }
  const core = (id) => node.getCoValue(id)
  // Records what changed since the previous snapshot as content messages.
  const snap = (t) => {
    const c = core(t.id)
    const msgs = c.newContentSince(t.last) || []
    for (const m of msgs) t.incremental.push(JSON.stringify(m))
    t.last = clone(c.knownState())
  }

  const account = node.expectCurrentAccount('fixtures')
  const accT = track('account', 'account', account.id)
  snap(accT)

  const group = node.createGroup()
  const groupT = track('group', 'group', group.id)
  snap(groupT)
  group.addMember('everyone', 'reader')
  snap(groupT)
  snap(accT)

  // A CoMap with trusting and private edits, in several batches.
  const map = group.createMap({ title: 'hello' })
  const mapT = track('map', 'comap', map.id)
  snap(mapT)
  for (let i = 0; i < mapEdits; i++) {
    map.set('count', i, i % 2 ? 'trusting' : 'private')
    map.set('note' + i, 'edit ' + i + ' \u00e9\u4e2d "quoted" \n', 'trusting')
    snap(mapT)
  }

  // A second CoMap owned by the same group, with a unique string and meta.
  const profile = group.createMap({ name: 'Profile', tags: ['a', 'b'] }, { kind: 'profile' }, 'trusting')
  const profileT = track('profile', 'comap', profile.id)
  snap(profileT)

  // A CoMap written from three sessions of the same account (two more nodes, connected in memory).
  const shared = group.createMap({ origin: 'first session' }, null, 'trusting')
  const sharedT = track('multisession', 'comap', shared.id)
  snap(sharedT)
  const { connectedPeers } = (await import('cojson')).cojsonInternals
  for (let n = 0; n < 2; n++) {
    const [toOther, toMain] = connectedPeers('other-' + n, 'main-' + n, { peer1role: 'server', peer2role: 'client' })
    node.syncManager.addPeer(toOther)
    const other = await LocalNode.withLoadedAccount({ accountID, accountSecret, sessionID: undefined, peers: [toMain], crypto })
    // On a loaded machine cojson's load can answer 'unavailable' while the new in-memory peer is
    // still being set up (seen about once in ten CI-like runs); a client retries, and so do we, a bounded number of times.
    let sharedThere = 'unavailable'
    for (let attempt = 0; attempt < 5 && sharedThere === 'unavailable'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * attempt))
      sharedThere = await other.load(shared.id)
    }
    if (sharedThere === 'unavailable') throw new Error('shared map not loaded in session ' + n + ' after 5 attempts')
    for (let i = 0; i < 3; i++) sharedThere.set('from' + n + '_' + i, i, 'trusting')
    await other.syncManager.waitForAllCoValuesSync()
    await waitUntil(() => Object.keys(core(shared.id).knownState().sessions).length === n + 2)
    snap(sharedT)
  }

  // A CoList, items appended one batch at a time.
  const list = group.createList([], null, 'private')
  const listT = track('list', 'colist', list.id)
  snap(listT)
  for (let i = 0; i < listItems; i++) {
    list.append('item ' + i, undefined, i % 3 ? 'private' : 'trusting')
    if (i % 10 === 9) snap(listT)
  }
  snap(listT)

  // A binary stream over 500 KB: chunks pushed one by one, so the node cuts signatures at 100 KiB.
  const stream = group.createBinaryStream()
  const streamT = track('binary', 'binary', stream.id)
  snap(streamT)
  stream.startBinaryStream({ mimeType: 'application/octet-stream', fileName: 'blob.bin', totalSizeBytes: binaryBytes }, 'trusting')
  const chunk = 16 * 1024
  let seed = 7
  for (let off = 0; off < binaryBytes; off += chunk) {
    const n = Math.min(chunk, binaryBytes - off)
    const bytes = new Uint8Array(n)
    for (let i = 0; i < n; i++) { seed = (seed * 1103515245 + 12345) >>> 0; bytes[i] = seed >>> 24 }
    stream.pushBinaryStreamChunk(bytes, 'trusting')
    if ((off / chunk) % 8 === 7) snap(streamT)
  }
  stream.endBinaryStream('trusting')
  snap(streamT)

  // A CoMap that is then deleted: the delete goes into its own `..._session_d...$` session.
  const doomed = group.createMap({ doomed: true }, null, 'trusting')
  const doomedT = track('deleted', 'deleted', doomed.id)
  snap(doomedT)
  doomed.set('extra', 1, 'trusting')
  snap(doomedT)
  const doomedBefore = clone(core(doomed.id).knownState())
  core(doomed.id).deleteCoValue()
  const afterDelete = core(doomed.id).newContentSince(doomedBefore) || []
  for (const m of afterDelete) doomedT.incremental.push(JSON.stringify(m))
  doomedT.last = clone(core(doomed.id).knownState())
  doomedT.deleteMessages = afterDelete.map((m) => JSON.stringify(m))

  snap(accT)
  snap(groupT)

  const values = []
  for (const t of tracked.values()) {
    const c = core(t.id)
    const full = (c.newContentSince(undefined) || []).map((m) => JSON.stringify(m))
    values.push({
      name: t.name,
      id: t.id,
      kind: t.kind,
      knownState: c.knownState(),
      header: JSON.stringify(c.verified.header),
      full,
      incremental: t.incremental,
      deleteMessages: t.deleteMessages
    })
  }
  // stdout is a pipe, so the write is asynchronous: exit only once it has drained.
  process.stdout.write(JSON.stringify({ cojson: '0.20.19', values }), () => process.exit(0))
}

async function waitUntil(cond) {
  for (let i = 0; i < 500; i++) {
    if (cond()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('timed out waiting for sync')
}

function clone(x) { return x === undefined ? undefined : JSON.parse(JSON.stringify(x)) }

function readStdin() {
  return new Promise((resolve, reject) => {
    let s = ''
    process.stdin.setEncoding('utf8')
    process.stdin.on('data', (d) => { s += d })
    process.stdin.on('end', () => resolve(s))
    process.stdin.on('error', reject)
  })
}

main().catch((e) => { console.error(e); process.exit(1) })
