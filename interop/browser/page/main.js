// A jazz-tools 0.20.19 browser client, set up the way a Jazz web app's provider does it:
// JazzBrowserContextManager (jazz-tools/browser) with a WebSocket peer to `sync`, IndexedDB
// storage and the credentials of an anonymous account in localStorage. One phase per page load,
// chosen by the query string; the outcome goes to window.__meshResult for the driver
// (run-browser-test.js) and into the page.
//
//   ?phase=write&sync=ws://…         new account; a CoMap in a group everyone can read, then the
//                                    server's ack (waitForSync); reports its id and fields
//   ?phase=reopen&sync=…&id=co_z…    same browser storage again: logs back in from localStorage,
//                                    reads the CoMap; full storage reconciliation is made due
//   ?phase=read&sync=…&id=co_z…      fresh browser storage: a new account loads the CoMap by id

import { cojsonInternals } from 'cojson'
import { co, z, Group } from 'jazz-tools'
import { JazzBrowserContextManager } from 'jazz-tools/browser'

const Note = co.map({ title: z.string(), count: z.number(), text: z.string() })
const STEP_MS = 30_000

const params = new URLSearchParams(location.search)
const phase = params.get('phase')
const sync = params.get('sync')
const statusEl = document.getElementById('status')

function status (s) {
  statusEl.textContent = s
}

/** `promise`, or a rejection naming `what` after `ms`. */
function within (promise, ms, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function fields (n) {
  return { title: n.title, count: n.count, text: n.text }
}

async function start () {
  const manager = new JazzBrowserContextManager()
  status(`connecting to ${sync}`)
  await within(manager.createContext({ sync: { peer: sync, when: 'always' }, storage: 'indexedDB' }), STEP_MS,
    'creating the jazz context')
  const ctx = manager.getCurrentValue()
  if (!ctx || !ctx.me) throw new Error('no account in the jazz context')
  // No wait for "connected": cojson-transport-ws reports it optimistically before the socket opens.
  // The proof that the server took part is its ack (waitForSync) and the loads answered.
  return { manager, me: ctx.me }
}

async function loadNote (me, id) {
  status(`loading ${id}`)
  const n = await within(Note.load(id, { loadAs: me }), STEP_MS, `loading ${id}`)
  if (!n || n.$isLoaded === false) throw new Error(`${id} not loaded (${n && n.$jazz && n.$jazz.loadingState})`)
  return n
}

const phases = {
  async write () {
    const { me } = await start()
    const group = Group.create({ owner: me })
    group.addMember('everyone', 'reader')
    const note = Note.create({ title: 'written in Chromium', count: 1, text: 'ünïcødé ✓ "quoted" \\ line\nbreak' }, group)
    note.$jazz.set('count', 2)
    status(`waiting for the server to acknowledge ${note.$jazz.id}`)
    await within(note.$jazz.waitForSync({ timeout: STEP_MS }), STEP_MS + 1000, `server ack of ${note.$jazz.id}`)
    await within(me.$jazz.waitForAllCoValuesSync({ timeout: STEP_MS }), STEP_MS + 1000, 'server ack of everything else')
    return { accountID: me.$jazz.id, groupId: group.$jazz.id, mapId: note.$jazz.id, written: fields(note) }
  },

  async reopen () {
    // Full storage reconciliation runs at most every 30 days per server (cojson config.ts); make it due
    // now so this reopened client sends its `reconcile` batch whatever the first page load did.
    cojsonInternals.setStorageReconciliationInterval(0)
    const { me } = await start()
    const n = await loadNote(me, params.get('id'))
    await within(me.$jazz.waitForAllCoValuesSync({ timeout: STEP_MS }), STEP_MS + 1000, 'sync after the reopen')
    return { accountID: me.$jazz.id, mapId: n.$jazz.id, read: fields(n) }
  },

  async read () {
    const { me } = await start()
    const n = await loadNote(me, params.get('id'))
    return { accountID: me.$jazz.id, mapId: n.$jazz.id, read: fields(n) }
  }
}

async function main () {
  if (!phases[phase]) throw new Error(`unknown phase ${phase}`)
  if (!sync) throw new Error('no sync= URL in the query string')
  return phases[phase]()
}

main().then(
  (r) => {
    window.__meshResult = { ok: true, phase, ...r }
    status(`${phase}: done`)
    document.getElementById('result').textContent = JSON.stringify(r, null, 2)
  },
  (e) => {
    window.__meshResult = { ok: false, phase, error: String((e && e.stack) || e) }
    status(`${phase}: failed`)
    document.getElementById('result').textContent = String((e && e.stack) || e)
  }
)
