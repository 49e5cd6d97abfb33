// cojson's own SQLite storage (getSqliteStorage from cojson 0.20.19) over better-sqlite3, with
// a driver shaped like the one jazz-run uses for Node (cojson-storage-sqlite's BetterSqliteDriver:
// WAL, one statement prepared per call).
//
// better-sqlite3 is a native module built from source, so it is not in interop/package.json (the
// test install stays free of node-gyp); it lives in interop/sqlite-bench/node_modules, installed by
// `npm ci` there (.ci/run does it). It is resolved from that directory, whoever requires this file.

const path = require('path')
const { createRequire } = require('module')

const SQLITE_BENCH_DIR = path.join(__dirname, '..', 'sqlite-bench')

/** better-sqlite3's Database class, or an error that says how to install it. */
function loadBetterSqlite3 () {
  try {
    return createRequire(path.join(SQLITE_BENCH_DIR, 'package.json'))('better-sqlite3')
  } catch (err) {
    throw new Error(`better-sqlite3 not found under ${SQLITE_BENCH_DIR}/node_modules ` +
      `(run \`npm ci\` in interop/sqlite-bench): ${err.message}`)
  }
}

/**
 * The SQLiteDatabaseDriver cojson's getSqliteStorage expects. `synchronous` (e.g. "FULL") sets that
 * pragma; without it SQLite's default stays, as in jazz-run. The migration version lives in
 * PRAGMA user_version either way (cojson reads it itself when a driver lacks these two methods).
 */
class BetterSqliteDriver {
  constructor (file, { synchronous } = {}) {
    const Database = loadBetterSqlite3()
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    if (synchronous) this.db.pragma(`synchronous = ${synchronous}`)
  }

  run (sql, params) { this.db.prepare(sql).run(params) }
  get (sql, params) { return this.db.prepare(sql).get(params) }
  query (sql, params) { return this.db.prepare(sql).all(params) }
  transaction (callback) { return this.db.transaction(callback)() }
  closeDb () { this.db.close() }
  getMigrationVersion () { return this.db.pragma('user_version', { simple: true }) }
  saveMigrationVersion (v) { this.db.pragma(`user_version = ${Number(v)}`) }
}

/**
 * Opens cojson storage on `file` (driverOptions: see BetterSqliteDriver). Returns { storage, closeDb }: cojson's storage.close() leaves
 * the database to its owner, so the caller closes it after the node has shut down.
 */
async function openSqliteStorage (file, driverOptions) {
  const { getSqliteStorage } = await import('cojson')
  const driver = new BetterSqliteDriver(file, driverOptions)
  return { storage: getSqliteStorage(driver), closeDb: () => driver.closeDb() }
}

module.exports = { BetterSqliteDriver, openSqliteStorage }
