#!/usr/bin/env node
// Browser client test: the jazz-tools page of page/ (bundled with Vite) in Debian's Chromium,
// driven by playwright-core, against a sync server.
//
//   node interop/browser/run-browser-test.js --url ws://127.0.0.1:PORT [--reopen-url ws://…]
//        [--timeout-ms N] [--phase-timeout-ms N] [--screenshots DIR] [--keep-build]
//
// 1. vite build of page/ into a temporary directory; a node:http static server for it on 127.0.0.1.
// 2. Browser profile A (a fresh --user-data-dir): phase "write" creates an account, a CoMap in a
//    group everyone can read, waits for the server's ack and reports the CoMap id and fields.
// 3. Profile A again, after closing Chromium: phase "reopen" logs back in from localStorage,
//    reads the CoMap with IndexedDB storage and runs full storage reconciliation (`reconcile`).
// 4. Profile B (fresh): phase "read" creates another account and loads the CoMap by id.
// With --reopen-url, steps 3 and 4 go to that server instead (say, one with empty storage: the
// reopened browser then uploads what it has, answering the server's loads, and B reads it there).
// Every WebSocket frame is counted per phase and message action (playwright's websocket events).
// Prints one JSON line {"mapId", "written", "read", ...} and exits 0; exits 1 with the error on
// stderr otherwise. Every wait has a timeout, and a hard timer ends everything (Chromium
// included: playwright kills the browsers it launched when this process exits).

import { mkdtemp, readFile, rm, stat, mkdir } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

function parseArgs (argv) {
  const a = { url: null, reopenUrl: null, timeoutMs: 180_000, phaseMs: 60_000, screenshots: null, keepBuild: false }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => { if (i + 1 >= argv.length) throw new Error(`${k} needs a value`); return argv[++i] }
    if (k === '--url') a.url = v()
    else if (k === '--reopen-url') a.reopenUrl = v()
    else if (k === '--timeout-ms') a.timeoutMs = Number(v())
    else if (k === '--phase-timeout-ms') a.phaseMs = Number(v())
    else if (k === '--screenshots') a.screenshots = path.resolve(v())
    else if (k === '--keep-build') a.keepBuild = true
    else throw new Error(`unknown argument ${k}`)
  }
  if (!a.url || !/^wss?:\/\//.test(a.url)) throw new Error('--url ws://HOST:PORT is required')
  if (a.reopenUrl !== null && !/^wss?:\/\//.test(a.reopenUrl)) throw new Error('--reopen-url must be ws://HOST:PORT')
  return a
}

const log = (...m) => console.error('[browser-test]', ...m)

/** `promise`, or a rejection naming `what` after `ms`. */
function within (promise, ms, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

async function buildPage (outDir) {
  const { build } = await import('vite')
  await build({ configFile: path.join(HERE, 'vite.config.js'), build: { outDir, emptyOutDir: true } })
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.map': 'application/json' }

/** A static server for `dir` on 127.0.0.1, any free port. */
async function serve (dir) {
  const server = http.createServer(async (req, res) => {
    try {
      const p = decodeURIComponent(new URL(req.url, 'http://x').pathname)
      const file = path.join(dir, p === '/' ? 'index.html' : p)
      if (!file.startsWith(dir + path.sep) || !(await stat(file)).isFile()) throw new Error('not a file')
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' })
      res.end(body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    }
  })
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${server.address().port}/` }
}

/** Counts of the messages in WebSocket frames, by direction and action ("ping" for server pings). */
function frameCounter () {
  const c = { frames: { sent: 0, received: 0 }, sent: {}, received: {}, reconcileSent: [], reconcileAcked: [] }
  const add = (dir, payload) => {
    c.frames[dir]++
    for (const line of String(payload).split('\n')) {
      if (!line) continue
      let m
      try { m = JSON.parse(line) } catch { c[dir].unparsed = (c[dir].unparsed || 0) + 1; continue }
      const k = m.action || (m.time !== undefined ? 'ping' : 'other')
      c[dir][k] = (c[dir][k] || 0) + 1
      if (dir === 'sent' && m.action === 'reconcile') c.reconcileSent.push({ id: m.id, values: m.values.length })
      if (dir === 'received' && m.action === 'reconcile-ack') c.reconcileAcked.push(m.id)
    }
  }
  return { c, add }
}

/** Runs one phase in a new Chromium on `userDataDir`; returns the page's result and the frame counts. */
async function runPhase (chromium, args, url, base, userDataDir, phase, query, shots) {
  const t0 = Date.now()
  const context = await within(chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000
  }), 40_000, `${phase}: launching ${CHROMIUM}`)
  try {
    const page = context.pages()[0] || await context.newPage()
    const counter = frameCounter()
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => counter.add('sent', f.payload))
      ws.on('framereceived', (f) => counter.add('received', f.payload))
    })
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`${phase} console.${m.type()}:`, m.text()) })
    page.on('pageerror', (e) => log(`${phase} page error:`, e.message))
    const q = new URLSearchParams({ phase, sync: url, ...query })
    await page.goto(`${base}?${q}`, { timeout: 30_000 })
    let result
    try {
      await page.waitForFunction(() => window.__meshResult, null, { timeout: args.phaseMs, polling: 100 })
      result = await page.evaluate(() => window.__meshResult)
    } catch (e) {
      const s = await page.evaluate(() => document.getElementById('status')?.textContent).catch(() => '?')
      throw new Error(`${phase}: no result within ${args.phaseMs} ms (page status: ${s}): ${e.message}`)
    } finally {
      if (shots) await page.screenshot({ path: path.join(shots, `${phase}.png`), fullPage: true, timeout: 10_000 }).catch((e) => log('screenshot:', e.message))
    }
    if (!result.ok) throw new Error(`${phase}: the page failed: ${result.error}`)
    if (phase === 'reopen') {
      // reconcile goes out after the IndexedDB lock and a storage scan; wait until a batch was
      // sent and every batch sent got its reconcile-ack (or report what was seen after 20 s).
      const until = Date.now() + 20_000
      const settled = () => counter.c.reconcileSent.length > 0 &&
        counter.c.reconcileSent.every((b) => counter.c.reconcileAcked.includes(b.id))
      while (!settled() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return { result, frames: counter.c, ms: Date.now() - t0 }
  } finally {
    await within(context.close(), 20_000, `${phase}: closing Chromium`).catch((e) => log(e.message))
  }
}

function reconcileSummary (f) {
  const acked = f.reconcileSent.filter((b) => f.reconcileAcked.includes(b.id)).length
  return {
    sent: f.reconcileSent.length,
    values: f.reconcileSent.reduce((n, b) => n + b.values, 0),
    acked,
    loadsFromServer: f.received.load || 0
  }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const hard = setTimeout(() => {
    console.error(`[browser-test] FAILED: the whole test took longer than ${args.timeoutMs} ms`)
    process.exit(1)
  }, args.timeoutMs)
  hard.unref()

  await stat(CHROMIUM).catch(() => { throw new Error(`${CHROMIUM} not found (apt-get install chromium)`) })
  const { chromium } = await import('playwright-core')
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'mesh-browser-'))
  const ms = {}
  let server
  try {
    let t = Date.now()
    const dist = path.join(tmp, 'dist')
    await within(buildPage(dist), 120_000, 'vite build')
    ms.build = Date.now() - t
    const s = await serve(dist)
    server = s.server
    if (args.screenshots) await mkdir(args.screenshots, { recursive: true })
    const profileA = path.join(tmp, 'profile-a')
    const profileB = path.join(tmp, 'profile-b')

    const later = args.reopenUrl || args.url
    const write = await runPhase(chromium, args, args.url, s.base, profileA, 'write', {}, args.screenshots)
    const mapId = write.result.mapId
    if (!/^co_z/.test(mapId || '')) throw new Error(`write: bad CoMap id ${mapId}`)
    log(`write: ${mapId} by ${write.result.accountID}, acknowledged`)
    const reopen = await runPhase(chromium, args, later, s.base, profileA, 'reopen', { id: mapId }, args.screenshots)
    log(`reopen: read ${JSON.stringify(reopen.result.read)}`)
    const read = await runPhase(chromium, args, later, s.base, profileB, 'read', { id: mapId }, args.screenshots)
    log(`read: ${JSON.stringify(read.result.read)} as ${read.result.accountID}`)
    ms.write = write.ms
    ms.reopen = reopen.ms
    ms.read = read.ms

    const out = {
      mapId,
      written: write.result.written,
      read: read.result.read,
      reopened: reopen.result.read,
      accounts: { writer: write.result.accountID, reopened: reopen.result.accountID, reader: read.result.accountID },
      groupId: write.result.groupId,
      servers: { write: args.url, reopen: later, read: later },
      reconcile: { write: reconcileSummary(write.frames), reopen: reconcileSummary(reopen.frames), read: reconcileSummary(read.frames) },
      frames: {
        write: { frames: write.frames.frames, sent: write.frames.sent, received: write.frames.received },
        reopen: { frames: reopen.frames.frames, sent: reopen.frames.sent, received: reopen.frames.received },
        read: { frames: read.frames.frames, sent: read.frames.sent, received: read.frames.received }
      },
      ms
    }
    console.log(JSON.stringify(out))
    if (!isDeepStrictEqual(out.read, out.written)) throw new Error(`read ${JSON.stringify(out.read)} != written ${JSON.stringify(out.written)}`)
    if (!isDeepStrictEqual(out.reopened, out.written)) throw new Error(`reopened ${JSON.stringify(out.reopened)} != written ${JSON.stringify(out.written)}`)
  } finally {
    if (server) server.close()
    if (!args.keepBuild) await rm(tmp, { recursive: true, force: true }).catch(() => {})
    else log(`kept ${tmp}`)
  }
}

process.on('SIGTERM', () => { console.error('[browser-test] FAILED: terminated'); process.exit(1) })
main().then(() => process.exit(0), (e) => {
  console.error(`[browser-test] FAILED: ${e && e.stack ? e.stack : e}`)
  process.exit(1)
})
