// Opens named cores with corestore 7.12.5 itself, for StoreKeysInteropIT: which key pair, core key
// and discovery key a name gets under a primary key, in nested namespaces. No network.
// Input:  { cases: [{ primaryKey: hex, namespaces: [string], name: string }] }
// Output: { cases: [{ publicKey, key, discoveryKey }] } (hex)
const Corestore = require('corestore')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { hex, jsonMain } = require('./lib/script')

async function main (input) {
  const out = []
  for (const c of input.cases) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-keys-'))
    const root = new Corestore(dir, { primaryKey: Buffer.from(c.primaryKey, 'hex'), unsafe: true })
    try {
      let store = root
      for (const ns of c.namespaces) store = store.namespace(ns)
      const core = store.get({ name: c.name })
      await core.ready()
      out.push({ publicKey: hex(core.keyPair.publicKey), key: hex(core.key), discoveryKey: hex(core.discoveryKey) })
      await core.close()
    } finally {
      await root.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  return { cases: out }
}

jsonMain(main)
