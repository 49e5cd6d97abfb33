// Child processes for sync-selftest.js: the reference server and sync-client scenarios, each
// with a hard deadline after which it is killed, so the self-test can never hang.

const path = require('path')
const { spawn } = require('child_process')
const { within } = require('./wait')

const INTEROP = path.join(__dirname, '..')

/** Collects a child's stdout as lines; line(n) resolves with the n-th (0-based) when it arrives. */
function lineReader (stream) {
  const lines = []
  const waiters = []
  let partial = ''
  stream.setEncoding('utf8')
  stream.on('data', (d) => {
    partial += d
    let nl
    while ((nl = partial.indexOf('\n')) >= 0) {
      lines.push(partial.slice(0, nl))
      partial = partial.slice(nl + 1)
    }
    waiters.filter((w) => w.n < lines.length).forEach((w) => w.resolve(lines[w.n]))
  })
  // The last line may come without a newline (sync-client ends its result that way).
  stream.on('end', () => {
    if (partial) lines.push(partial)
    waiters.forEach((w) => (w.n < lines.length ? w.resolve(lines[w.n]) : w.reject(new Error(`stdout ended after ${lines.length} line(s)`))))
  })
  return {
    lines,
    line: (n) => (n < lines.length ? Promise.resolve(lines[n]) : new Promise((resolve, reject) => waiters.push({ n, resolve, reject })))
  }
}

/** Spawns `node interop/<script> ...args`, killed (SIGKILL) after `deadlineMs`. */
function spawnNode (script, args, deadlineMs) {
  const child = spawn(process.execPath, [path.join(INTEROP, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  const out = lineReader(child.stdout)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (d) => { stderr += d })
  const killer = setTimeout(() => child.kill('SIGKILL'), deadlineMs)
  const exited = new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(killer)
    resolve({ code, signal, stderr })
  }))
  return { child, out, exited, stderr: () => stderr }
}

/**
 * Starts sync-ref-server.js with `args` and waits for its `listening` line. Its stdin stays open:
 * closing it (stop()) is how the server is told to go, as a Java test would.
 */
async function startServer (args, deadlineMs) {
  const proc = spawnNode('sync-ref-server.js', ['--host', '127.0.0.1', '--port', '0', ...args], deadlineMs)
  const first = await within(Promise.race([proc.out.line(0), proc.exited.then(() => null)]), 30000, 'sync-ref-server listening line')
  const m = first && /^listening (ws:\/\/\S+)$/.exec(first)
  if (!m) {
    proc.child.kill('SIGKILL')
    throw new Error(`sync-ref-server did not start: ${first} ${proc.stderr()}`)
  }
  return {
    url: m[1],
    stop: async () => {
      proc.child.stdin.end()
      const exit = await proc.exited
      if (exit.code !== 0) throw new Error(`sync-ref-server exited with ${exit.code || exit.signal}: ${exit.stderr.slice(-2000)}`)
    }
  }
}

/** The thrown error's line from a child's stderr (cojson may log warnings before it). */
function errorLine (stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) || lines[lines.length - 1] || '(no message)'
}

/**
 * Runs `node sync-client.js <scenario>` with `input` on stdin. Returns { line(n), result }: result
 * resolves with the parsed last stdout line, or rejects with the child's error message.
 */
function runScenario (scenario, input, deadlineMs) {
  const proc = spawnNode('sync-client.js', [scenario], deadlineMs)
  proc.child.stdin.end(JSON.stringify(input))
  const result = proc.exited.then(({ code, signal, stderr }) => {
    if (code !== 0) {
      throw new Error(signal ? `killed (${signal}) after ${deadlineMs} ms` : `exit ${code}: ${errorLine(stderr)}`)
    }
    return JSON.parse(proc.out.lines[proc.out.lines.length - 1])
  })
  return { line: proc.out.line, result }
}

module.exports = { startServer, runScenario }
