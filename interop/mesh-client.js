// Scenario driver for the multi-region test (MultiRegionIT): real cojson 0.20.19 clients and a
// jazz-tools 0.20.19 worker, each talking to ONE region node of a mesh (`mesh node run`).
// The subscribe and write scenarios of sync-client.js are used as they are; these are the others.
//
// Usage: node interop/mesh-client.js <scenario>   with one JSON object on stdin.
// stdout: one JSON object (the result), exit 0; or a message on stderr, exit 1.
// Every wait is bounded by input `timeoutMs` (default 30000) and fails naming what did not happen;
// a watchdog ends the process after 4 x timeoutMs whatever happens.
// Every input has `url` (ws://...). Scenarios and their other input fields:
//   create        [fillers = 0]
//                 -> { accountID, accountSecret, groupId, mapId, expected, fillers, ms: { create, fillers } }
//                 a new account, a group everyone may read, a CoMap in it (`expected`), acknowledged
//                 by the server; then `fillers` more CoMaps in the group, acknowledged too (they make
//                 the region's bee bigger, so that a sparse read of it means something)
//   read          [accountID, accountSecret], groupId, mapId, expected, [expectRole]
//                 -> { accountID, guest, role, map, ms }
//                 a new session of the account (or, without credentials, a brand-new guest account)
//                 loads the group and the map; the map must equal `expected`, and the account's role
//                 in the group must be `expectRole` when given
//   worker-write  accountID, accountSecret, mapId, key, value -> { wrote, read, ms }
//                 jazz-tools startWorker as the account, loads the map through a co.map schema, sets
//                 key = value and waits for the server's ack
// Values read are compared with `expected` as JSON with object keys sorted.

const { jsonMain, need, canonical } = require('./lib/script')
const { DEFAULT_TIMEOUT_MS, within, watchdog } = require('./lib/wait')
const client = require('./lib/cojson-client')

// cojson's logger writes info/debug with console.info/debug; stdout carries only the result.
console.log = console.info = console.debug = console.error



async function create (input, ms) {
  const fillers = input.fillers ?? 0
  const t0 = Date.now()
  const session = await client.newAccount(input.url, 'Mesh IT writer', ms)
  const group = session.node.createGroup()
  group.addMember('everyone', 'reader')
  const expected = { title: 'written through us', n: 1 }
  const map = group.createMap(expected)
  await client.allSynced(session.node, ms, 'server ack of the account, group and map')
  const t1 = Date.now()
  for (let i = 0; i < fillers; i++) {
    group.createMap({ filler: i, text: `filler CoMap number ${i} of ${fillers}, to give the region's bee some size` })
  }
  if (fillers > 0) await client.allSynced(session.node, ms, `server ack of ${fillers} filler CoMaps`)
  const t2 = Date.now()
  await client.close(session)
  return {
    accountID: session.accountID,
    accountSecret: session.accountSecret,
    groupId: group.id,
    mapId: map.id,
    expected,
    fillers,
    ms: { create: t1 - t0, fillers: t2 - t1 }
  }
}

async function read (input, ms) {
  need(input, 'groupId', 'mapId', 'expected')
  const t0 = Date.now()
  const guest = !input.accountID
  const session = await client.accountFor(input, 'Mesh IT guest', ms)
  const group = await client.loadValue(session.node, input.groupId, ms, 'group')
  const map = await client.loadValue(session.node, input.mapId, ms, 'map')
  const seen = map.toJSON()
  const role = group.myRole() ?? null
  const accountID = session.accountID ?? session.node.getCurrentAgent().id
  await client.close(session)
  if (canonical(seen) !== canonical(input.expected)) {
    throw new Error(`map ${input.mapId}: read ${canonical(seen)}, expected ${canonical(input.expected)}`)
  }
  if (input.expectRole !== undefined && role !== input.expectRole) {
    throw new Error(`group ${input.groupId}: role ${role}, expected ${input.expectRole}`)
  }
  return { accountID, guest, role, map: seen, ms: Date.now() - t0 }
}

async function workerWrite (input, ms) {
  need(input, 'accountID', 'accountSecret', 'mapId', 'key', 'value')
  const t0 = Date.now()
  const { WebSocket } = require('ws')
  const { co, z } = await import('jazz-tools')
  const { startWorker } = await import('jazz-tools/worker')
  const Shared = co.map({ title: z.string(), n: z.number(), [input.key]: z.optional(z.string()) })
  const { worker, waitForConnection, shutdownWorker } = await within(startWorker({
    accountID: input.accountID,
    accountSecret: input.accountSecret,
    syncServer: input.url,
    WebSocket,
    asActiveAccount: false
  }), ms, `starting a worker for ${input.accountID}`)
  await within(waitForConnection(), ms, `worker connection to ${input.url}`)
  const map = await within(Shared.load(input.mapId, { loadAs: worker }), ms, `worker load of ${input.mapId}`)
  if (!map || map.$isLoaded === false) throw new Error(`worker: map ${input.mapId} not loaded (${map && map.$jazz && map.$jazz.loadingState})`)
  const read = map.$jazz.raw.toJSON()
  map.$jazz.set(input.key, input.value)
  await within(map.$jazz.waitForSync({ timeout: ms }), ms + 1000, `server ack of the worker's write ${input.key}`)
  await within(shutdownWorker(), ms, 'shutting down the worker')
  return { wrote: { key: input.key, value: input.value }, read, ms: Date.now() - t0 }
}

const SCENARIOS = { create, read, 'worker-write': workerWrite }

const name = process.argv[2]
if (!SCENARIOS[name]) {
  console.error(`usage: node mesh-client.js <${Object.keys(SCENARIOS).join('|')}>  (JSON input on stdin)`)
  process.exit(1)
}
jsonMain(async (input) => {
  need(input, 'url')
  const ms = input.timeoutMs ?? DEFAULT_TIMEOUT_MS
  watchdog(ms * 4, `scenario ${name}`)
  return SCENARIOS[name](input, ms)
})
