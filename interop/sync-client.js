// Scenario driver for the sync interop tests: real cojson 0.20.19 clients (and a jazz-tools
// worker) against a sync server, the Java one or sync-ref-server.js.
//
// Usage: node interop/sync-client.js <scenario>   with one JSON object on stdin.
// stdout: one JSON object (the result), exit 0; or a message on stderr, exit 1. `subscribe` prints
//   a `{"subscribed":true}` line first, once the server knows the subscription, then the result.
// Every wait is bounded by input `timeoutMs` (default 30000) and fails naming what did not happen.
// Every input has `url` (ws://...). Scenarios and their other input fields:
//   create             -> { accountID, accountSecret, groupId, mapId, listId, trustingId, expected }
//   read-same-account  accountID, accountSecret, mapId, listId, trustingId, expected, [write: {key, value}]
//                      -> { read, wrote }   (a new session of the account; then writes into the map)
//   guest-read         mapId, listId, trustingId, expected -> { guestID, read }   (a brand-new account)
//   subscribe          [accountID, accountSecret], mapId, key, expectValue -> { key, value, map }
//   write              accountID, accountSecret, mapId, key, value -> { wrote }
//   big-write          [bytes = 540000], [chunks = 40], [kind = "map" | "binary"]
//                      -> { accountID, accountSecret, groupId, id, kind, bytes, chunks, sha256 }
//   big-read           [accountID, accountSecret], id, kind, chunks, sha256
//                      -> { id, pieces, known, sha256, sha256ok }   (content / known messages for id)
//   worker             -> { accountID, id, wrote, read }   (jazz-tools startWorker, twice)
// Values read are compared with `expected` (as JSON, key order ignored); a mismatch is an error.

const { jsonMain, need, canonical } = require('./lib/script')
const { DEFAULT_TIMEOUT_MS, until, watchdog } = require('./lib/wait')
const client = require('./lib/cojson-client')
const big = require('./lib/big-value')
const { workerScenario } = require('./lib/worker-scenario')

// cojson's logger writes info/debug with console.info/debug; stdout carries only the result.
console.log = console.info = console.debug = console.error



function expectSame (what, actual, expected) {
  if (canonical(actual) !== canonical(expected)) {
    throw new Error(`${what}: read ${canonical(actual)}, expected ${canonical(expected)}`)
  }
}

const READABLE = [['map', 'mapId'], ['list', 'listId'], ['trusting', 'trustingId']]

/** Loads every value the input names (mapId, listId, trustingId), checks each against `expected`. */
async function readAll (node, input, ms) {
  const read = {}
  for (const [name, field] of READABLE) {
    if (!input[field]) continue
    const value = await client.loadValue(node, input[field], ms, name)
    read[name] = value.toJSON()
    if (input.expected && input.expected[name] !== undefined) expectSame(name + ' ' + input[field], read[name], input.expected[name])
  }
  return read
}

/** A new account, an everyone-readable group, a private map, a list and a trusting map. */
async function create (input, ms) {
  const session = await client.newAccount(input.url, 'Sync IT writer', ms)
  const group = session.node.createGroup()
  group.addMember('everyone', 'reader')
  const expected = { map: { title: 'hello', n: 1 }, list: ['one', 'two', 'three'], trusting: { plain: 'visible', n: 2 } }
  const map = group.createMap(expected.map)
  const list = group.createList(expected.list)
  const trusting = group.createMap(expected.trusting, null, 'trusting')
  await client.allSynced(session.node, ms, 'server ack of the account, group, map, list and trusting map')
  await client.close(session)
  return {
    accountID: session.accountID,
    accountSecret: session.accountSecret,
    groupId: group.id,
    mapId: map.id,
    listId: list.id,
    trustingId: trusting.id,
    expected
  }
}

/** The same account in a new session: reads everything back, then writes a key into the map. */
async function readSameAccount (input, ms) {
  need(input, 'accountID', 'accountSecret', 'mapId')
  const session = await client.loadAccount(input.url, input.accountID, input.accountSecret, ms)
  const read = await readAll(session.node, input, ms)
  const wrote = input.write || { key: 'secondSession', value: 'written by a second session' }
  const map = await client.loadValue(session.node, input.mapId, ms, 'map')
  map.set(wrote.key, wrote.value)
  await client.synced(session.node, map.id, ms, `server ack of the map write ${wrote.key}`)
  await client.close(session)
  return { read, wrote }
}

/** A brand-new account reads what the group lets everyone read. */
async function guestRead (input, ms) {
  const session = await client.newAccount(input.url, 'Sync IT guest', ms)
  const read = await readAll(session.node, input, ms)
  await client.close(session)
  return { guestID: session.accountID, read }
}

/** Subscribes to a map, says so on stdout, and waits for `key` to become `expectValue`. */
async function subscribe (input, ms) {
  need(input, 'mapId', 'key', 'expectValue')
  const session = await client.accountFor(input, 'Sync IT subscriber', ms)
  const map = await client.loadValue(session.node, input.mapId, ms, 'map')
  // Loaded means the server answered our load, so it now pushes this map's updates to us.
  let last = map
  const seen = until((listener) => map.subscribe(listener), (view) => (last = view).get(input.key) === input.expectValue,
    ms, () => `update of map ${input.mapId}: ${input.key} = ${JSON.stringify(input.expectValue)} (last seen ${JSON.stringify(last.get(input.key))})`)
  process.stdout.write(JSON.stringify({ subscribed: true }) + '\n')
  const done = await seen
  await client.close(session)
  return { key: input.key, value: done.get(input.key), map: done.toJSON() }
}

/** Sets one key of a map in a new session of the account and waits for the server's ack. */
async function write (input, ms) {
  need(input, 'accountID', 'accountSecret', 'mapId', 'key', 'value')
  const session = await client.loadAccount(input.url, input.accountID, input.accountSecret, ms)
  const map = await client.loadValue(session.node, input.mapId, ms, 'map')
  map.set(input.key, input.value)
  await client.synced(session.node, map.id, ms, `server ack of the map write ${input.key}`)
  await client.close(session)
  return { wrote: { key: input.key, value: input.value } }
}

/** A new account writes one large value (lib/big-value.js) and waits until the server has it all. */
async function bigWrite (input, ms) {
  const bytes = input.bytes ?? 540000
  const chunks = input.chunks ?? 40
  const kind = input.kind ?? 'map'
  if (!big.KINDS.includes(kind)) throw new Error(`kind must be one of ${big.KINDS}`)
  const session = await client.newAccount(input.url, 'Sync IT big writer', ms)
  const group = session.node.createGroup()
  group.addMember('everyone', 'reader')
  const { id, sha256 } = big.writeBigValue(group, kind, bytes, chunks)
  await client.allSynced(session.node, ms, `server ack of the ${bytes}-byte ${kind} ${id}`)
  await client.close(session)
  return { accountID: session.accountID, accountSecret: session.accountSecret, groupId: group.id, id, kind, bytes, chunks, sha256 }
}

/** A fresh node loads the large value, checks its hash and counts the content pieces it came in. */
async function bigRead (input, ms) {
  need(input, 'id', 'sha256')
  const kind = input.kind ?? 'map'
  const chunks = input.chunks ?? 40
  const session = await client.accountFor(input, 'Sync IT big reader', ms)
  const value = await client.loadValue(session.node, input.id, ms, kind)
  const whole = await until((listener) => value.subscribe(listener), (view) => big.isComplete(view, kind, chunks),
    ms, `all ${chunks} chunks of ${kind} ${input.id}`)
  const sha256 = big.hashBigValue(whole, kind, chunks)
  const pieces = session.conn.incoming.count('content', input.id)
  const known = session.conn.incoming.count('known', input.id)
  await client.close(session)
  if (sha256 !== input.sha256) throw new Error(`${kind} ${input.id}: content sha256 ${sha256}, expected ${input.sha256}`)
  return { id: input.id, pieces, known, sha256, sha256ok: true }
}

const SCENARIOS = {
  create,
  'read-same-account': readSameAccount,
  'guest-read': guestRead,
  subscribe,
  write,
  'big-write': bigWrite,
  'big-read': bigRead,
  worker: workerScenario
}

const name = process.argv[2]
if (!SCENARIOS[name]) {
  console.error(`usage: node sync-client.js <${Object.keys(SCENARIOS).join('|')}>  (JSON input on stdin)`)
  process.exit(1)
}
jsonMain(async (input) => {
  need(input, 'url')
  const ms = input.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // Each step has its own bound; this one catches a scenario that strings many of them together.
  watchdog(ms * 4, `scenario ${name}`)
  return SCENARIOS[name](input, ms)
})
