// The large CoValue of the big-write / big-read sync scenarios: `bytes` of deterministic content
// split over `chunks` private transactions, so the writer's node records in-between signatures
// (every ~100 KiB) and servers must store and stream it in several content pieces. Two kinds:
//   "map":    a CoMap with keys chunk00..chunkNN, each a hex string (the 40 x ~13 KB private txs of
//             the spec's storage-streamed example); content = the values joined in key order.
//   "binary": a binary CoStream (priority LOW) with `chunks` binary chunks; content = the bytes.
// The content hash (sha256, hex) is what the reader compares.

const crypto = require('crypto')
const { hex, xorshiftBlock } = require('./script')

const KINDS = ['map', 'binary']

/** Chunk i of the content: `size` bytes (binary) or `size` hex characters (map), seeded by i. */
function chunkContent (kind, i, size) {
  if (kind === 'binary') return xorshiftBlock(size, i + 1)
  return hex(xorshiftBlock(Math.ceil(size / 2), i + 1)).slice(0, size)
}

function chunkKey (i) {
  return 'chunk' + String(i).padStart(2, '0')
}

/** Sizes of the chunks: `bytes` split as evenly as possible. */
function chunkSizes (bytes, chunks) {
  const base = Math.floor(bytes / chunks)
  return Array.from({ length: chunks }, (_, i) => base + (i < bytes % chunks ? 1 : 0))
}

function sha256 (parts) {
  const h = crypto.createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest('hex')
}

/** Creates the value in `group` (one transaction per chunk); returns { id, sha256 }. */
function writeBigValue (group, kind, bytes, chunks) {
  const parts = chunkSizes(bytes, chunks).map((size, i) => chunkContent(kind, i, size))
  let value
  if (kind === 'map') {
    value = group.createMap({})
    parts.forEach((part, i) => value.set(chunkKey(i), part))
  } else {
    value = group.createBinaryStream()
    value.startBinaryStream({ mimeType: 'application/octet-stream', fileName: 'big.bin', totalSizeBytes: bytes })
    for (const part of parts) value.pushBinaryStreamChunk(new Uint8Array(part))
    value.endBinaryStream()
  }
  return { id: value.id, sha256: sha256(parts) }
}

/** True once a reader's view holds the whole value (all keys / the stream's end). */
function isComplete (value, kind, chunks) {
  if (kind === 'map') return value.keys().length >= chunks
  return value.isBinaryStreamEnded()
}

/** The content hash of a complete value as a reader sees it. */
function hashBigValue (value, kind, chunks) {
  if (kind === 'map') return sha256(Array.from({ length: chunks }, (_, i) => value.get(chunkKey(i)) ?? ''))
  return sha256(value.getBinaryChunks().chunks.map((c) => Buffer.from(c)))
}

module.exports = { KINDS, writeBigValue, isComplete, hashBigValue }
