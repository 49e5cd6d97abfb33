// Runs hyperswarm 4.17.2's own PeerInfo and RetryTimer on scripted event sequences and prints what
// they decide after each step, for the Java model test to compare. stdin: { scripts: [[op, ...]] }
// with ops "connected", "disconnected:<ms since connected>", "reset", "explicit", "ban", "queue",
// "unqueue", "update"; stdout: { traces: [[{ attempts, priority, updated, timer, gc }]] }, timer
// being the index of the back-off RetryTimer picks (0..3) or -1. No network; time is simulated.
const PeerInfo = require('hyperswarm/lib/peer-info.js')
const RetryTimer = require('hyperswarm/lib/retry-timer.js')

function read () {
  return new Promise((resolve) => {
    let s = ''
    process.stdin.on('data', (d) => { s += d })
    process.stdin.on('end', () => resolve(JSON.parse(s)))
  })
}

// distinct back-offs with no jitter, so the chosen one can be told from its delay
const backoffs = [1, 2, 3, 4]
const marks = backoffs.map((b, i) => ({ b, i }))

function timerIndex (timer, info) {
  const t = timer._selectRetryTimer(info)
  if (!t) return -1
  return marks.find((m) => m.b === t._time).i
}

read().then(({ scripts }) => {
  const traces = scripts.map((ops) => {
    let now = 1000000
    const realNow = Date.now
    Date.now = () => now
    const timer = new RetryTimer(() => {}, { backoffs, jitter: 0 })
    const info = new PeerInfo({ publicKey: Buffer.alloc(32), relayAddresses: [] })
    const out = []
    try {
      for (const op of ops) {
        let updated = null
        const [name, arg] = op.split(':')
        if (name === 'connected') info._connected()
        else if (name === 'disconnected') { now += Number(arg); info._disconnected() }
        else if (name === 'reset') info._reset()
        else if (name === 'explicit') info.explicit = !info.explicit
        else if (name === 'ban') info.ban(!info.banned)
        else if (name === 'queue') info.queued = true
        else if (name === 'unqueue') info.queued = false
        else if (name === 'update') updated = info._updatePriority()
        now += 1
        out.push({ attempts: info.attempts, priority: info.priority, updated, timer: timerIndex(timer, info), gc: info.shouldGC() })
      }
    } finally {
      Date.now = realNow
      timer.destroy()
    }
    return out
  })
  process.stdout.write(JSON.stringify({ traces }) + '\n')
})
