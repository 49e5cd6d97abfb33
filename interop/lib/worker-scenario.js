// The `worker` sync scenario: the high-level jazz-tools 0.20.19 API as a server-side worker uses
// it. The worker account is created the way `jazz-run account create` does
// (packages/jazz-run/src/createWorkerAccount.ts: Account.create over a WebSocket peer to the sync
// server); then startWorker writes a CoMap through its schema, and a second, fresh startWorker of
// the same account loads it back.

const { WebSocket } = require('ws')
const { within } = require('./wait')
const client = require('./cojson-client')

/** A new worker account, known to the server; returns its credentials. */
async function createWorkerAccount (url, ms) {
  const { Account } = await import('jazz-tools')
  const { crypto } = await client.cojson()
  const conn = await client.connect(url)
  const account = await within(Account.create({ creationProps: { name: 'Sync IT worker' }, peers: [conn.peer], crypto }),
    ms, 'creating the worker account')
  await within(conn.opened, ms, `WebSocket open to ${url}`)
  await within(account.$jazz.waitForAllCoValuesSync({ timeout: ms }), ms + 1000, 'server ack of the worker account')
  const node = account.$jazz.localNode
  await client.close({ node, conn })
  return { accountID: account.$jazz.id, accountSecret: node.agentSecret }
}

/** startWorker for the account against `url`, connected; not made the global active account. */
async function startWorkerFor (url, credentials, ms, what) {
  const { startWorker } = await import('jazz-tools/worker')
  const worker = await within(startWorker({ ...credentials, syncServer: url, WebSocket, asActiveAccount: false }), ms, what)
  await within(worker.waitForConnection(), ms, `${what}: connection to ${url}`)
  return worker
}

async function workerScenario (input, ms) {
  const { co, z, Group } = await import('jazz-tools')
  const Item = co.map({ title: z.string(), count: z.number() })
  const credentials = await createWorkerAccount(input.url, ms)

  const first = await startWorkerFor(input.url, credentials, ms, 'starting the writing worker')
  const group = Group.create({ owner: first.worker })
  const item = Item.create({ title: 'written by a worker', count: 1 }, group)
  item.$jazz.set('count', 2)
  const wrote = { title: item.title, count: item.count }
  await within(item.$jazz.waitForSync({ timeout: ms }), ms + 1000, `server ack of worker CoMap ${item.$jazz.id}`)
  await within(first.shutdownWorker(), ms, 'shutting down the writing worker')

  const second = await startWorkerFor(input.url, credentials, ms, 'starting the reading worker')
  const loaded = await within(Item.load(item.$jazz.id, { loadAs: second.worker }), ms, `worker load of ${item.$jazz.id}`)
  if (!loaded || loaded.$isLoaded === false) throw new Error(`worker CoMap ${item.$jazz.id} not loaded (${loaded && loaded.$jazz && loaded.$jazz.loadingState})`)
  const read = { title: loaded.title, count: loaded.count }
  await within(second.shutdownWorker(), ms, 'shutting down the reading worker')
  if (read.title !== wrote.title || read.count !== wrote.count) {
    throw new Error(`worker read ${JSON.stringify(read)}, wrote ${JSON.stringify(wrote)}`)
  }
  return { accountID: credentials.accountID, id: item.$jazz.id, wrote, read }
}

module.exports = { workerScenario }
