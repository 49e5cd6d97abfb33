// The writer of the sync server's kill -9 test: a real cojson 0.20.19 client that sets keys
// k<from>, k<from+1>, ... in a map one at a time and, after the server acknowledged each one
// (waitForSync: the server's `known` covers it), appends its number to `ackFile` and fsyncs.
// It runs until `count` keys are written, the server goes away, or the process is killed; the
// ack file then lists exactly what the server promised to keep.
//
// Usage: node interop/sync-crash-writer.js  with stdin
//   { url, accountID, accountSecret, mapId, ackFile, from, count, timeoutMs }
// stdout: one `{"ready":true}` line once connected and the map is loaded, then nothing.

const fs = require('fs')
const client = require('./lib/cojson-client')
const { watchdog } = require('./lib/wait')

console.log = console.info = console.debug = console.error

async function main () {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'))
  const ms = input.timeoutMs ?? 30000
  watchdog(ms * 4)
  const session = await client.loadAccount(input.url, input.accountID, input.accountSecret, ms)
  const map = await client.loadValue(session.node, input.mapId, ms, 'map')
  process.stdout.write(JSON.stringify({ ready: true }) + '\n')
  const fd = fs.openSync(input.ackFile, 'a')
  for (let i = input.from; i < input.from + input.count; i++) {
    map.set('k' + i, 'v' + i, 'trusting')
    await client.synced(session.node, map.id, ms, `server ack of k${i}`)
    fs.writeSync(fd, i + '\n')
    fs.fsyncSync(fd)
  }
  fs.closeSync(fd)
  await client.close(session)
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
