// Manifest encodings, manifest hashes (core keys) and tree-head signatures computed by hypercore's
// own lib/verifier.js and lib/messages.js, for ManifestInteropIT. One JSON document on stdin, one on
// stdout; byte strings are hex.
//
// Input (every section optional):
//   manifests: [{ version, allowPatch, quorum, signers: [{ namespace, publicKey }],
//                 prologue: { hash, length } | null, linked: [hex] | null, userData: hex | null }]
//     -> [{ encoding, hash }]            via Verifier.createManifest / encodeManifest / manifestHash
//   decodes:   [hex]  -> [{ ok, reencoded, trailing, version, quorum, signers, linked, userData }
//                        | { ok: false, error }]   messages.manifest decode (which, like
//                        c.decode, ignores trailing bytes: `trailing` counts them) + encode
//   signs:     [{ manifest (encoding), key (null = manifest hash), seed, treeHash, length, fork }]
//     -> [signatureHex]                  new Verifier(key, manifest).sign(head, keyPair)
//   verifies:  [{ manifest, key, treeHash, length, fork, signature }]
//     -> [{ valid, threw }]              new Verifier(key, manifest).verify(head, signature)
//   assembles: [[{ signer, signature, patch }]] -> [hex]   lib/multisig.js assemble (v1+)

const crypto = require('hypercore-crypto')
const c = require('compact-encoding')
const Verifier = require('hypercore/lib/verifier')
const caps = require('hypercore/lib/caps')
const messages = require('hypercore/lib/messages')
const multisig = require('hypercore/lib/multisig')

const hex = (b) => Buffer.from(b).toString('hex')
const buf = (h) => Buffer.from(h, 'hex')

// The parts of a MerkleTreeBatch that Verifier.sign/verify read, for a head given by value.
function head(treeHash, length, fork) {
  const hash = buf(treeHash)
  return {
    length,
    fork,
    hash: () => hash,
    signable: (ctx) => caps.treeSignable(ctx, hash, length, fork),
    signableCompat: (noHeader) => caps.treeSignableCompat(hash, length, fork, noHeader)
  }
}

function verifierFor(manifestHex, keyHex) {
  const manifest = Verifier.decodeManifest(buf(manifestHex))
  const key = keyHex === null ? Verifier.manifestHash(manifest) : buf(keyHex)
  return new Verifier(key, manifest)
}

function logical(m) {
  return {
    version: m.version,
    allowPatch: m.allowPatch,
    quorum: m.quorum,
    signers: m.signers.map((s) => ({ namespace: buf(s.namespace), publicKey: buf(s.publicKey) })),
    prologue: m.prologue ? { hash: buf(m.prologue.hash), length: m.prologue.length } : null,
    linked: m.linked ? m.linked.map(buf) : null,
    userData: m.userData === null ? null : buf(m.userData)
  }
}

function run(input) {
  const out = {}
  out.manifests = (input.manifests || []).map((m) => {
    const manifest = Verifier.createManifest(logical(m))
    return { encoding: hex(Verifier.encodeManifest(manifest)), hash: hex(Verifier.manifestHash(manifest)) }
  })
  out.decodes = (input.decodes || []).map((h) => {
    try {
      const b = buf(h)
      const state = c.state(0, b.byteLength, b)
      const m = messages.manifest.decode(state)
      return {
        ok: true,
        reencoded: hex(c.encode(messages.manifest, m)),
        trailing: state.end - state.start,
        version: m.version,
        quorum: m.quorum,
        signers: m.signers.length,
        linked: m.linked !== null,
        userData: m.userData !== null
      }
    } catch (err) {
      return { ok: false, error: String(err.message) }
    }
  })
  out.signs = (input.signs || []).map((s) =>
    hex(verifierFor(s.manifest, s.key).sign(head(s.treeHash, s.length, s.fork), crypto.keyPair(buf(s.seed))))
  )
  out.verifies = (input.verifies || []).map((v) => {
    try {
      const ok = verifierFor(v.manifest, v.key).verify(head(v.treeHash, v.length, v.fork), buf(v.signature))
      return { valid: ok === true, threw: false }
    } catch (err) {
      return { valid: false, threw: true }
    }
  })
  out.assembles = (input.assembles || []).map((proofs) =>
    hex(
      multisig.assemble(
        proofs.map((p) => ({ signer: p.signer, signature: buf(p.signature), patch: p.patch, nodes: null }))
      )
    )
  )
  return out
}

let text = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => {
  text += d
})
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(run(JSON.parse(text || '{}'))))
})
