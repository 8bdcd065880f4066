/**
 * One CPU-heavy live test at a time. tap runs two test files at once (`.taprc`, jobs: 2) on a 2-core
 * machine; a live test that floods or storms (hping3 at 50k SYN/s, a looped bridge, a 100k-rule
 * compile in the reload worker) beside another one measures the neighbour's load, not rstlab: a
 * 100 ms reload-gap bound once failed at 101 ms while the storm test ran beside it. Each such test
 * holds this lock while it measures; other tests still run beside it.
 *
 * The lock is a directory made atomically (`mkdir`), with the holder's pid inside; a holder that died
 * without releasing it (killed run) is detected by its pid and the lock taken over. Shared by every
 * run on the machine, so two runs serialise their heavy tests instead of disturbing each other.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const LOCK = path.join(tmpdir(), 'rstlab-live-cpu.lock')
/** A lock directory without a pid file this old was left by a holder killed between mkdir and write. */
const NO_PID_STALE_MS = 60_000

function alive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM' }
}

interface Teardown { teardown: (fn: () => void) => void, comment: (...args: unknown[]) => void }

/** Wait (up to `maxWaitMs`) for the lock, hold it until `t` ends. */
export async function cpuLock (t: Teardown, maxWaitMs = 600_000): Promise<void> {
  const started = Date.now()
  for (;;) {
    try {
      mkdirSync(LOCK)
      writeFileSync(path.join(LOCK, 'pid'), `${process.pid}\n`)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    let pid = NaN
    try { pid = Number(readFileSync(path.join(LOCK, 'pid'), 'utf8').trim()) } catch { /* being written, or its holder died first */ }
    let stale = Number.isInteger(pid) && pid > 0 && !alive(pid)
    if (!Number.isInteger(pid)) { try { stale = Date.now() - statSync(LOCK).mtimeMs > NO_PID_STALE_MS } catch { stale = false } }
    if (stale) { rmSync(LOCK, { recursive: true, force: true }); continue }
    if (Date.now() - started > maxWaitMs) throw new Error(`${LOCK} held by pid ${pid} for over ${maxWaitMs / 1000} s`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const waited = Date.now() - started
  if (waited > 1000) t.comment(`waited ${(waited / 1000).toFixed(1)} s for the CPU-heavy live test before it`)
  t.teardown(() => {
    try { if (Number(readFileSync(path.join(LOCK, 'pid'), 'utf8').trim()) === process.pid) rmSync(LOCK, { recursive: true, force: true }) } catch { /* already gone */ }
  })
}
