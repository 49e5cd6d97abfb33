// What the one-shot interop scripts share: hex output, the xorshift32 block filler the Java tests
// mirror, and the stdin-JSON -> stdout-JSON main loop.

/** Lowercase hex of a buffer; null stays null. */
const hex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'))

/** `size` bytes of xorshift32 output seeded with `fill` (0 counts as 1), one byte per step; CoreInteropIT and ProofInteropIT fill blocks the same way. */
function xorshiftBlock (size, fill) {
  const b = Buffer.alloc(size)
  let x = fill >>> 0 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    b[i] = x & 0xff
  }
  return b
}

/**
 * Reads one JSON document from stdin (empty: {}), awaits main(input), writes its result as JSON
 * and exits once it is written (a core whose close() was abandoned would keep the process alive);
 * on an error, prints it and exits 1.
 */
function jsonMain (main) {
  let text = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (d) => { text += d })
  process.stdin.on('end', () => {
    Promise.resolve()
      .then(() => main(JSON.parse(text || '{}')))
      .then(
        (out) => process.stdout.write(JSON.stringify(out), () => process.exit(0)),
        (err) => {
          console.error(err)
          process.exit(1)
        }
      )
  })
}

/** Throws unless every one of `fields` is present (not undefined or null) in `input`. */
function need (input, ...fields) {
  for (const f of fields) {
    if (input[f] === undefined || input[f] === null) throw new Error(`input field "${f}" is required`)
  }
}

/** JSON text with object keys sorted, to compare what was read with what was expected. */
function canonical (value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']'
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}'
  }
  return JSON.stringify(value)
}

module.exports = { hex, xorshiftBlock, jsonMain, need, canonical }
