// Self-test of the JS side of the sync interop tests, JS against JS: starts sync-ref-server.js
// (SQLite, then --in-memory) as a child and runs every sync-client.js scenario against it as a
// child, checking what each one returns; in SQLite mode the server is restarted on the same
// --db between big-write and big-read, so the big values come back from storage.
//
// Usage: node interop/sync-selftest.js
// stdout: one PASS / FAIL / SKIP line per step, then a summary; exit 0 only if every step passed.
// Every child has a deadline (it is killed after it), every scenario a per-wait timeout.

const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')
const { within } = require('./lib/wait')
const { startServer, runScenario } = require('./lib/sync-children')

const SCENARIO_TIMEOUT_MS = 20000 // each wait inside a scenario
const CHILD_DEADLINE_MS = 60000 // each child process as a whole
const SERVER_DEADLINE_MS = 10 * 60000 // a server lives through one mode's steps

const tally = { PASS: 0, FAIL: 0, SKIP: 0 }

function report (mode, name, status, ms, detail) {
  tally[status]++
  const time = ms === null ? '' : (ms / 1000).toFixed(1) + ' s'
  process.stdout.write(`${status.padEnd(4)}  ${mode.padEnd(9)} ${name.padEnd(26)} ${time.padStart(6)}  ${detail}\n`)
}

/** GET /health, bounded. */
function health (url) {
  const target = url.replace(/^ws:/, 'http:') + '/health'
  return within(new Promise((resolve, reject) => {
    http.get(target, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { body += d })
      res.on('end', () => resolve({ status: res.statusCode, body }))
    }).on('error', reject)
  }), 5000, `GET ${target}`)
}

function check (condition, message) {
  if (!condition) throw new Error(message)
}

/** One mode's sequence. `args` are the server's storage arguments. */
async function suite (mode, args) {
  const ctx = {}
  let server = null
  const run = (scenario, input) =>
    runScenario(scenario, { url: server.url, timeoutMs: SCENARIO_TIMEOUT_MS, ...input }, CHILD_DEADLINE_MS).result
  // A step runs only when the context holds what it needs; a throw is its FAIL reason.
  const step = async (name, needs, fn) => {
    const missing = needs.filter((k) => ctx[k] === undefined)
    if (missing.length) return report(mode, name, 'SKIP', null, `needs ${missing.join(', ')} from an earlier step`)
    const t0 = Date.now()
    try {
      const detail = await fn()
      report(mode, name, 'PASS', Date.now() - t0, detail)
    } catch (err) {
      report(mode, name, 'FAIL', Date.now() - t0, String(err.message || err).split('\n')[0])
    }
  }
  const credentials = () => ({ accountID: ctx.created.accountID, accountSecret: ctx.created.accountSecret })
  const smallIds = () => ({ mapId: ctx.created.mapId, listId: ctx.created.listId, trustingId: ctx.created.trustingId })

  await step('start server', [], async () => {
    server = await startServer(args, SERVER_DEADLINE_MS)
    ctx.server = server
    return `${server.url} ${args.join(' ')}`
  })
  await step('GET /health', ['server'], async () => {
    const res = await health(server.url)
    check(res.status === 200 && res.body === 'ok', `answered ${res.status} ${JSON.stringify(res.body)}`)
    return '200 ok'
  })
  await step('create', ['server'], async () => {
    ctx.created = await run('create', {})
    ctx.expected = ctx.created.expected
    return `account ${ctx.created.accountID}, map ${ctx.created.mapId}`
  })
  await step('read-same-account', ['created'], async () => {
    const write = { key: 'secondSession', value: 'written in ' + mode }
    const r = await run('read-same-account', { ...credentials(), ...smallIds(), expected: ctx.expected, write })
    check(r.wrote.key === write.key, 'wrote ' + JSON.stringify(r.wrote))
    ctx.expected = { ...ctx.expected, map: { ...ctx.expected.map, [write.key]: write.value } }
    return `read ${Object.keys(r.read).join(', ')} as expected; wrote ${write.key}`
  })
  await step('guest-read', ['created'], async () => {
    const r = await run('guest-read', { ...smallIds(), expected: ctx.expected })
    return `guest ${r.guestID} read ${Object.keys(r.read).join(', ')} as expected`
  })
  await step('subscribe + write', ['created'], async () => {
    const value = 'pushed in ' + mode
    const sub = runScenario('subscribe', { url: server.url, timeoutMs: SCENARIO_TIMEOUT_MS, mapId: ctx.created.mapId, key: 'live', expectValue: value }, CHILD_DEADLINE_MS)
    sub.result.catch(() => {}) // awaited below; a failure before that must not go unhandled
    const first = JSON.parse(await within(sub.line(0), CHILD_DEADLINE_MS, 'the subscriber\'s "subscribed" line'))
    check(first.subscribed === true, 'first line ' + JSON.stringify(first))
    await run('write', { ...credentials(), mapId: ctx.created.mapId, key: 'live', value })
    const r = await sub.result
    check(r.value === value, 'subscriber saw ' + JSON.stringify(r.value))
    ctx.expected = { ...ctx.expected, map: { ...ctx.expected.map, live: value } }
    return 'the guest subscriber saw the write pushed'
  })
  for (const kind of ['map', 'binary']) {
    await step(`big-write ${kind}`, ['server'], async () => {
      ctx['big-' + kind] = await run('big-write', { kind })
      const b = ctx['big-' + kind]
      return `${b.bytes} bytes in ${b.chunks} private txs, ${b.id}`
    })
  }
  if (mode === 'sqlite') {
    await step('restart server (same db)', ['server'], async () => {
      await server.stop()
      server = await startServer(args, SERVER_DEADLINE_MS)
      return server.url
    })
  }
  for (const kind of ['map', 'binary']) {
    await step(`big-read ${kind}`, ['big-' + kind], async () => {
      const b = ctx['big-' + kind]
      const r = await run('big-read', { id: b.id, kind, chunks: b.chunks, sha256: b.sha256 })
      check(r.sha256ok === true && r.sha256 === b.sha256, 'sha256 ' + r.sha256)
      return `sha256 ok, ${r.pieces} content pieces + ${r.known} known (guest reader)`
    })
  }
  if (mode === 'sqlite') {
    await step('guest-read after restart', ['created'], async () => {
      await run('guest-read', { ...smallIds(), expected: ctx.expected })
      return 'map (with both later writes), list and trusting map came back from storage'
    })
  }
  await step('worker', ['server'], async () => {
    const r = await run('worker', {})
    return `wrote and read back ${JSON.stringify(r.read)} (${r.id})`
  })
  await step('stop server', ['server'], async () => {
    await server.stop()
    return 'exited 0 after its stdin closed'
  })
}

async function main () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-selftest-'))
  try {
    await suite('sqlite', ['--db', path.join(dir, 'sync-db', 'storage.db')])
    await suite('in-memory', ['--in-memory'])
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  process.stdout.write(`\n${tally.PASS} passed, ${tally.FAIL} failed, ${tally.SKIP} skipped\n`)
  process.exit(tally.FAIL || tally.SKIP ? 1 : 0)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
