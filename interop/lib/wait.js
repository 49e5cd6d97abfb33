// Bounded waits for the sync scripts. Every wait for a peer goes through within(), so a step
// that never happens fails with a message naming that step instead of hanging the Java test.

/** Default for every wait, overridable per run (sync-client input `timeoutMs`). */
const DEFAULT_TIMEOUT_MS = 30000

/**
 * Resolves or rejects like `promise`, or rejects with `TIMEOUT: <what> did not happen within <ms> ms`
 * once `ms` have passed (`what` may be a function, asked then). The timer is cleared either way,
 * so it never keeps the process alive.
 */
function within (promise, ms, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`TIMEOUT: ${typeof what === 'function' ? what() : what} did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer))
}

/**
 * Waits until `check(value)` is true for a value delivered by `subscribe(listener)` (which returns
 * its unsubscribe function), bounded like within(). Resolves with the value that passed.
 */
function until (subscribe, check, ms, what) {
  let unsubscribe = () => {}
  const seen = new Promise((resolve, reject) => {
    unsubscribe = subscribe((value) => {
      try {
        if (check(value)) resolve(value)
      } catch (err) {
        reject(err)
      }
    })
  })
  return within(seen, ms, what).finally(() => unsubscribe())
}

/**
 * Kills the process if it is still alive after `ms`: the last line of defence when a wait was
 * not wrapped, or a shutdown step hangs. unref'd, so it never delays a normal exit.
 */
function watchdog (ms, what) {
  setTimeout(() => {
    console.error(`TIMEOUT: ${what} still running after ${ms} ms, giving up`)
    process.exit(2)
  }, ms).unref()
}

module.exports = { DEFAULT_TIMEOUT_MS, within, until, watchdog }
