// The JS side of issue 5's storage benchmark: one round of the workload that the Java benchmark
// (cojson-storage StorageBench) wrote, stored and read through cojson 0.20.19's own SQLite storage
// (getSqliteStorage) over better-sqlite3, with the driver of ../lib/better-sqlite.js (shaped like
// the one Jazz ships for Node: a statement prepared per call, WAL), plus synchronous=FULL so that
// every commit is durable, as in our SqliteStorage and Hyperbee backends.
//
// argv: <workload dir: small.jsonl, big.jsonl> <scratch dir (must not exist)>
// stdout (JSON): { storeMs, bigStoreMs, coldKnownMs, loadMs, bigLoadMs, warmKnownMs, transactions, bigTransactions }
// The phases and their order are the Java round's: store all, close; reopen, loadKnownState for all
// (cold); reopen, load all, load the big ones, then loadKnownState for all five times (the median).

const fs = require('fs')
const path = require('path')
const { BetterSqliteDriver } = require('../lib/better-sqlite')

function readMessages (file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l))
}

function ms (t0) {
  return Number(process.hrtime.bigint() - t0) / 1e6
}

async function main () {
  const [workload, scratch] = process.argv.slice(2)
  const { getSqliteStorage } = await import('cojson')
  const small = readMessages(path.join(workload, 'small.jsonl'))
  const big = readMessages(path.join(workload, 'big.jsonl'))
  const smallIds = [...new Set(small.map(m => m.id))]
  const bigIds = [...new Set(big.map(m => m.id))]
  fs.mkdirSync(scratch)
  const file = path.join(scratch, 'storage.db')
  // cojson's close() leaves the database to its owner
  const open = () => {
    const driver = new BetterSqliteDriver(file, { synchronous: 'FULL' })
    const storage = getSqliteStorage(driver)
    return { storage, close: () => { storage.close(); driver.closeDb() } }
  }
  const refuse = () => { throw new Error('the workload never needs a correction') }
  const out = {}

  let { storage, close } = open()
  let t0 = process.hrtime.bigint()
  for (const m of small) storage.store(m, refuse)
  out.storeMs = ms(t0)
  t0 = process.hrtime.bigint()
  for (const m of big) storage.store(m, refuse)
  out.bigStoreMs = ms(t0)
  close()

  ;({ storage, close } = open())
  t0 = process.hrtime.bigint()
  for (const id of smallIds) storage.loadKnownState(id, k => { if (!k) throw new Error('no known state for ' + id) })
  out.coldKnownMs = ms(t0)
  close()

  ;({ storage, close } = open())
  const count = (msg) => { for (const s of Object.values(msg.new)) n += s.newTransactions.length }
  let n = 0
  t0 = process.hrtime.bigint()
  for (const id of smallIds) await storage.load(id, count, found => { if (!found) throw new Error('not found: ' + id) })
  out.loadMs = ms(t0)
  out.transactions = n
  n = 0
  t0 = process.hrtime.bigint()
  for (const id of bigIds) {
    await storage.load(id, count, found => { if (!found) throw new Error('not found: ' + id) })
    for (let next = storage.streamingQueue.pull(); next; next = storage.streamingQueue.pull()) next() // as the SyncManager pulls
  }
  out.bigLoadMs = ms(t0)
  out.bigTransactions = n
  const passes = []
  for (let p = 0; p < 5; p++) {
    t0 = process.hrtime.bigint()
    for (const id of smallIds) storage.loadKnownState(id, k => { if (!k) throw new Error('no known state for ' + id) })
    passes.push(ms(t0))
  }
  out.warmKnownMs = passes.sort((a, b) => a - b)[2]
  close()
  process.stdout.write(JSON.stringify(out) + '\n')
}

main().catch(e => { console.error(e); process.exit(1) })
