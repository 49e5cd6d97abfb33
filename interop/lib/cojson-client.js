// A real cojson 0.20.19 client node talking to a sync server over a WebSocket, as a browser or
// a jazz worker does: cojson-transport-ws's createWebSocketPeer with role "server" over a `ws`
// socket (Node 20 has no global WebSocket), WasmCrypto (what jazz-run and startWorker use).
// The socket also gets a tap that counts the sync messages the server sent, per action and id,
// so a scenario can report how a value arrived (e.g. in how many content pieces).

const { within } = require('./wait')

let modules
/** cojson, cojson-transport-ws and one WasmCrypto, loaded once (they are ES modules). */
async function cojson () {
  if (!modules) {
    const { LocalNode } = await import('cojson')
    const { createWebSocketPeer } = await import('cojson-transport-ws')
    const { WasmCrypto } = await import('cojson/crypto/WasmCrypto')
    modules = { LocalNode, createWebSocketPeer, crypto: await WasmCrypto.create() }
  }
  return modules
}

/** Counts what the server sends: `${action} ${id}` -> messages, over every frame received. */
function tapIncoming (websocket) {
  const counts = new Map()
  websocket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return
    for (const line of event.data.split('\n')) {
      if (!line) continue
      let msg
      try { msg = JSON.parse(line) } catch { continue } // the peer logs and drops it too
      if (!msg || !msg.action) continue // a ping
      const key = msg.action + ' ' + msg.id
      counts.set(key, (counts.get(key) || 0) + 1)
    }
  })
  return { count: (action, id) => counts.get(action + ' ' + id) || 0 }
}

/**
 * Opens a socket to `url` and wraps it as the node's upstream peer right away, before it is open,
 * like real clients do (their first messages are then batched into one frame). `opened` settles
 * when the socket opens or fails, so a scenario can report a refused connection by name.
 */
async function connect (url) {
  const { WebSocket } = require('ws')
  const { createWebSocketPeer } = await cojson()
  const websocket = new WebSocket(url)
  const opened = new Promise((resolve, reject) => {
    websocket.addEventListener('open', () => resolve(), { once: true })
    websocket.addEventListener('error', (e) => reject(new Error(`WebSocket to ${url} failed: ${e.message}`)), { once: true })
  })
  opened.catch(() => {}) // observed by whoever awaits it; never an unhandled rejection
  const peer = createWebSocketPeer({ id: 'upstream', role: 'server', websocket })
  return { url, websocket, peer, opened, incoming: tapIncoming(websocket) }
}

/** A brand-new account on a fresh node whose only peer is the server at `url`. */
async function newAccount (url, name, ms) {
  const { LocalNode, crypto } = await cojson()
  const conn = await connect(url)
  const created = await within(
    LocalNode.withNewlyCreatedAccount({ creationProps: { name }, peers: [conn.peer], crypto }),
    ms, 'creating a new account')
  await within(conn.opened, ms, `WebSocket open to ${url}`)
  return { ...created, conn }
}

/** The account `accountID` on a fresh node with a new session, loaded from the server at `url`. */
async function loadAccount (url, accountID, accountSecret, ms) {
  const { LocalNode, crypto } = await cojson()
  const conn = await connect(url)
  await within(conn.opened, ms, `WebSocket open to ${url}`)
  const node = await within(
    LocalNode.withLoadedAccount({ accountID, accountSecret, sessionID: undefined, peers: [conn.peer], crypto }),
    ms, `loading account ${accountID} from the server`)
  return { node, accountID, accountSecret, conn }
}

/** The named account when the input has credentials, otherwise a new (guest) account. */
function accountFor (input, name, ms) {
  return input.accountID
    ? loadAccount(input.url, input.accountID, input.accountSecret, ms)
    : newAccount(input.url, name, ms)
}

/** Loads `id` from the server; a value the server does not have is an error naming it. */
async function loadValue (node, id, ms, what) {
  const value = await within(node.load(id), ms, `loading ${what} ${id}`)
  if (value === 'unavailable') throw new Error(`${what} ${id} is unavailable (the server answered it does not have it)`)
  return value
}

/**
 * cojson's own sync wait, bounded by `ms`; its timeout error (which shows our known state and the
 * server's) is re-thrown with the step's name in front.
 */
function syncWait (promise, ms, what) {
  return within(promise, ms + 1000, what).catch((err) => {
    throw new Error(`TIMEOUT: ${what} did not happen within ${ms} ms: ${err.message.replace(/\s+/g, ' ')}`)
  })
}

/** Waits until the server acknowledged (answered `known` for) every CoValue the node holds. */
function allSynced (node, ms, what) {
  return syncWait(node.syncManager.waitForAllCoValuesSync(ms), ms, what)
}

/** Waits until the server acknowledged value `id`. */
function synced (node, id, ms, what) {
  return syncWait(node.syncManager.waitForSync(id, ms), ms, what)
}

/** Shuts the node down (closes its peer and so the socket); the socket is closed hard if it lingers. */
async function close (session) {
  try {
    await within(session.node.gracefulShutdown(), 5000, 'node shutdown')
  } finally {
    const ws = session.conn.websocket
    if (ws.readyState !== ws.CLOSED) ws.terminate()
  }
}

module.exports = { cojson, connect, newAccount, loadAccount, accountFor, loadValue, allSynced, synced, close }
