// Encodes and decodes dht-rpc datagrams with the real dht-rpc 6.27.0 IO code (lib/io.js), on
// stub sockets: no network. stdin: { secrets: [hex, hex], encodeRequests, encodeResponses,
// decodeRequests, decodeResponses }; stdout: the JS bytes (hex) and the JS-decoded fields.
const IO = require('dht-rpc/lib/io.js')
const b4a = require('b4a')

const hex = (b) => (b ? b4a.toString(b, 'hex') : null)
const buf = (h) => (h === null || h === undefined ? null : b4a.from(h, 'hex'))

function read () {
  return new Promise((resolve) => {
    let s = ''
    process.stdin.on('data', (d) => { s += d })
    process.stdin.on('end', () => resolve(JSON.parse(s)))
  })
}

function makeIO (secrets) {
  const sent = []
  const udx = { watchNetworkInterfaces: () => ({ on () {}, destroy () {} }) }
  const table = { id: b4a.alloc(32), closest: () => [] }
  const io = new IO(table, udx, { firewalled: false })
  const socket = { trySend: (b, port, host) => sent.push({ b: b4a.from(b), port, host }) }
  io.serverSocket = socket
  io.clientSocket = { trySend: socket.trySend }
  io._secrets = [buf(secrets[0]), buf(secrets[1])]
  return { io, table, sent, socket }
}

function fields (m) {
  return {
    tid: m.tid,
    to: { host: m.to.host, port: m.to.port },
    fromId: m.from && m.from.id ? hex(m.from.id) : null
  }
}

async function main () {
  const input = await read()
  const { io, table, sent, socket } = makeIO(input.secrets)
  const out = { requests: [], responses: [], decodedRequests: [], decodedResponses: [] }

  for (const r of input.encodeRequests) {
    io.ephemeral = r.id === null
    if (r.id !== null) table.id = buf(r.id)
    io._tid = r.tid
    const req = io.createRequest(r.to, buf(r.token), r.internal, r.command, buf(r.target), buf(r.value), null, 0)
    sent.length = 0
    req.send(true)
    req.destroy()
    out.requests.push(hex(sent[0].b))
  }

  for (const r of input.encodeResponses) {
    // a real incoming request (JS-encoded) gives the reply its tid, target and requester address
    io.ephemeral = true
    io._tid = r.tid
    const target = r.closerNodes.length > 0 ? b4a.alloc(32, 7) : null
    const q = io.createRequest({ host: '1.1.1.1', port: 1 }, null, false, 5, target, null, null, 0)
    sent.length = 0
    q.send(true)
    q.destroy()
    let incoming = null
    io.onrequest = (req) => { incoming = req }
    io.onmessage(socket, sent[0].b, r.to)
    io.ephemeral = r.id === null
    if (r.id !== null) table.id = buf(r.id)
    table.closest = () => r.closerNodes.map((n) => ({ host: n.host, port: n.port }))
    sent.length = 0
    incoming.sendReply(r.error, buf(r.value), r.token, r.closerNodes.length > 0)
    out.responses.push(hex(sent[0].b))
  }

  io.ephemeral = true
  table.closest = () => []
  for (const d of input.decodeRequests) {
    let got = null
    sent.length = 0
    io.onrequest = (req) => { got = req }
    io.onmessage(socket, buf(d.bytes), d.from)
    if (got === null) {
      out.decodedRequests.push(sent.length > 0 ? { rejected: 'INVALID_TOKEN', reply: hex(sent[0].b) } : { dropped: true })
      continue
    }
    out.decodedRequests.push({
      ...fields(got),
      token: hex(got.token),
      internal: got.internal,
      command: got.command,
      target: hex(got.target),
      value: hex(got.value)
    })
  }

  for (const d of input.decodeResponses) {
    const bytes = buf(d.bytes)
    const tid = bytes.length >= 4 ? bytes[2] | (bytes[3] << 8) : 0
    const req = io.createRequest({ host: '1.1.1.1', port: 1 }, null, false, 5, null, null, null, 0)
    req.tid = tid
    let got = null
    req.onresponse = (res) => { got = res }
    io.onmessage(socket, bytes, d.from)
    if (got === null) {
      req.destroy()
      out.decodedResponses.push({ dropped: true })
      continue
    }
    out.decodedResponses.push({
      ...fields(got),
      token: hex(got.token),
      closerNodes: got.closerNodes ? got.closerNodes.map((n) => ({ host: n.host, port: n.port })) : null,
      error: got.error,
      value: hex(got.value)
    })
  }

  process.stdout.write(JSON.stringify(out))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
