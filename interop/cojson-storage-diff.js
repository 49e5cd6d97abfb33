// The judge of CojsonStorageDiffIT: runs sequences of storage operations through cojson 0.20.19's
// own storage layer (getSqliteStorage = StorageApiSync over its SQLite client, on better-sqlite3
// via lib/better-sqlite.js) and reports what it did, in the normalised shape the Java test builds
// from our StorageApi.
//
// stdin:  {"sequences": [[op, ...], ...]}, each sequence run on a fresh database. Ops:
//   {"op":"store","msg":<content message>,"correction":null|[<content message>...]}
//       correction null: the callback returns undefined; an array: the callback returns it.
//       -> {"result":bool,"done":bool,"corrections":[<known state the callback was given>...]} or {"error":text}
//   {"op":"markDelete","id"}, {"op":"erase"}, {"op":"unmount","id"} -> {}
//   {"op":"reopen"} -> {}: closes the storage and the database and opens both again (a restart)
//   {"op":"check","ids":[...]} -> {"values":[{"id","disk","cached","found","pieces","cachedAfter"}]}
//       disk: loadKnownState (null when not stored); cached: getKnownState before the load;
//       pieces: what load emitted (the streaming queue drained, as the sync manager does);
//       cachedAfter: getKnownState after the load.
// stdout: {"results": [[<op result>...], ...]}. cojson's logger goes to stderr.
//
// A piece is {"header": JSON text or null, "priority", "expect": expectContentUntil or null,
// "sessions": {sessionID: {"after","count","lastSignature","digest"}}}; digest is the sha256 of
// JSON.stringify of each transaction followed by "\n" (what the Java side computes from the
// transaction text it stored).

// cojson's logger reports every refused correction; a summary per message goes to stderr instead
const logged = new Map()
console.log = console.info = console.debug = console.warn = console.error = (first) => {
  const key = String(first).slice(0, 80)
  logged.set(key, (logged.get(key) || 0) + 1)
}

const crypto = require('crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { jsonMain } = require('./lib/script')
const { openSqliteStorage } = require('./lib/better-sqlite')

function known (ks) {
  if (!ks) return null
  return { header: Boolean(ks.header), sessions: { ...ks.sessions } }
}

function piece (msg) {
  const sessions = {}
  for (const [sid, s] of Object.entries(msg.new)) {
    const h = crypto.createHash('sha256')
    for (const tx of s.newTransactions) h.update(JSON.stringify(tx) + '\n')
    sessions[sid] = { after: s.after, count: s.newTransactions.length, lastSignature: s.lastSignature, digest: h.digest('hex') }
  }
  return {
    id: msg.id,
    header: msg.header ? JSON.stringify(msg.header) : null,
    priority: msg.priority,
    expect: msg.expectContentUntil ? { ...msg.expectContentUntil } : null,
    sessions
  }
}

async function apply (state, op) {
  const storage = state.storage
  switch (op.op) {
    case 'store': {
      const corrections = []
      let done = false
      try {
        const result = storage.store(op.msg, (ks) => {
          corrections.push(known(ks))
          return op.correction === null || op.correction === undefined ? undefined : JSON.parse(JSON.stringify(op.correction))
        }, () => { done = true })
        return { result, done, corrections }
      } catch (err) {
        return { error: String(err && err.message), done, corrections }
      }
    }
    case 'markDelete':
      storage.markDeleteAsValid(op.id)
      return {}
    case 'erase':
      await storage.eraseAllDeletedCoValues()
      return {}
    case 'unmount':
      storage.onCoValueUnmounted(op.id)
      return {}
    case 'reopen':
      storage.close()
      state.closeDb()
      Object.assign(state, await openSqliteStorage(state.file))
      return {}
    case 'check': {
      const values = []
      for (const id of op.ids) {
        let disk
        storage.loadKnownState(id, (ks) => { disk = known(ks) })
        const cached = known(storage.getKnownState(id))
        const pieces = []
        let found = null
        await storage.load(id, (msg) => pieces.push(piece(msg)), (f) => { found = f })
        // the sync manager pulls the later pieces from the storage's streaming queue
        for (let next = storage.streamingQueue.pull(); next; next = storage.streamingQueue.pull()) next()
        values.push({ id, disk, cached, found, pieces, cachedAfter: known(storage.getKnownState(id)) })
      }
      return { values }
    }
    default:
      throw new Error(`unknown op ${op.op}`)
  }
}

jsonMain(async ({ sequences }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cojson-storage-diff-'))
  const results = []
  try {
    for (let i = 0; i < sequences.length; i++) {
      const file = path.join(dir, `seq-${i}.db`)
      const state = { file, ...(await openSqliteStorage(file)) }
      const out = []
      try {
        for (const op of sequences[i]) out.push(await apply(state, op))
      } finally {
        state.storage.close()
        state.closeDb()
      }
      results.push(out)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    for (const [text, n] of logged) process.stderr.write(`cojson-storage-diff: cojson logged ${n}x: ${text}\n`)
  }
  return { results }
})
