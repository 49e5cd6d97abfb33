#!/usr/bin/env node
// A region node's status page (`GET /` of `mesh node run`) as a person sees it: Debian's Chromium,
// headless, driven by playwright-core, loads the page and reports its text.
//
//   node interop/browser/status-page.js --url http://127.0.0.1:PORT/ [--screenshot FILE.png] [--timeout-ms N]
//
// Prints one JSON line {"status", "contentType", "title", "heading", "facts": {name: text},
// "factTitles": {name: full key}, "peerSummary", "columns", "peers": [[cell text, ...]],
// "peerKeys": [[node key, bee key]] (the full keys in each row's title attributes), "empty"} and
// exits 0; exits 1 with the error on stderr otherwise. Every wait has a timeout, and a hard timer ends everything (Chromium
// included: playwright kills the browser it launched when this process exits).

import { stat } from 'node:fs/promises'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

function parseArgs (argv) {
  const a = { url: null, screenshot: null, timeoutMs: 45_000 }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => { if (i + 1 >= argv.length) throw new Error(`${k} needs a value`); return argv[++i] }
    if (k === '--url') a.url = v()
    else if (k === '--screenshot') a.screenshot = v()
    else if (k === '--timeout-ms') a.timeoutMs = Number(v())
    else throw new Error(`unknown argument ${k}`)
  }
  if (!a.url || !/^http:\/\/127\.0\.0\.1:\d+\//.test(a.url)) throw new Error('--url http://127.0.0.1:PORT/ is required')
  if (!(a.timeoutMs > 0)) throw new Error('--timeout-ms must be positive')
  return a
}

/** `promise`, or a rejection naming `what` after `ms`. */
function within (promise, ms, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Runs in the page: what is on screen, as text. */
function readPage () {
  // textContent, not innerText: the same words without the CSS text-transform (headers are upper case)
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null)
  const facts = {}
  const factTitles = {}
  for (const d of document.querySelectorAll('dl.facts > div')) {
    const name = text(d.querySelector('dt'))
    facts[name] = text(d.querySelector('dd'))
    const code = d.querySelector('dd code')
    if (code) factTitles[name] = code.title
  }
  const rows = [...document.querySelectorAll('table tbody tr')]
  return {
    title: document.title,
    heading: text(document.querySelector('h1')),
    facts,
    factTitles,
    peerSummary: text(document.querySelector('h2')),
    columns: [...document.querySelectorAll('table thead th')].map(text),
    peers: rows.map((r) => [...r.cells].map(text)),
    peerKeys: rows.map((r) => [...r.querySelectorAll('code')].map((c) => c.title)),
    empty: text(document.querySelector('.empty'))
  }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const hard = setTimeout(() => {
    console.error(`[status-page] FAILED: took longer than ${args.timeoutMs} ms`)
    process.exit(1)
  }, args.timeoutMs)
  hard.unref()

  await stat(CHROMIUM).catch(() => { throw new Error(`${CHROMIUM} not found (apt-get install chromium)`) })
  const { chromium } = await import('playwright-core')
  const browser = await within(chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 }),
    35_000, `launching ${CHROMIUM}`)
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 560 } })
    page.on('pageerror', (e) => console.error('[status-page] page error:', e.message))
    const res = await page.goto(args.url, { timeout: 15_000, waitUntil: 'load' })
    if (!res) throw new Error(`no response from ${args.url}`)
    const seen = await within(page.evaluate(readPage), 10_000, 'reading the page')
    if (args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: true, timeout: 10_000 })
    console.log(JSON.stringify({ status: res.status(), contentType: res.headers()['content-type'] || null, ...seen }))
  } finally {
    await within(browser.close(), 10_000, 'closing Chromium').catch((e) => console.error('[status-page]', e.message))
  }
}

process.on('SIGTERM', () => { console.error('[status-page] FAILED: terminated'); process.exit(1) })
main().then(() => process.exit(0), (e) => {
  console.error(`[status-page] FAILED: ${e && e.stack ? e.stack : e}`)
  process.exit(1)
})
