/**
 * The live commands run as two processes: this small supervisor and the real bridge/tap as its child.
 *
 * Why: `cap` 0.2.1 asserts (`Pcap::cb_packets: Assertion 'status == 0' failed`, SIGABRT) when its
 * capture socket reports an error — which is exactly what happens when a bridged interface goes down
 * or disappears. An abort cannot be caught inside the process, so the supervisor watches for it and
 * turns it into a clear message and exit code 2, instead of a C assertion and a core dump.
 * Signals (INT, TERM, HUP) are passed on to the child; its exit code becomes ours.
 */
import { spawn } from 'node:child_process'
import readline from 'node:readline'
import { ifaceExists, ifaceInfo } from '../../ingress/iface.js'

export const CHILD_ENV = 'RSTLAB_LIVE_CHILD'

/** True in the child (the process that really captures). */
export function isLiveChild (): boolean {
  return process.env[CHILD_ENV] === '1'
}

/**
 * glibc's malloc tunables for the child: a fixed mmap threshold (128 KB, glibc's initial value). By
 * default glibc raises the threshold each time a large block is freed, so after a flood the log's
 * chunk buffers (log-batch.ts, 256 KB to 1 MB, allocated and freed by the thousand) come from the
 * main heap instead of their own mappings, and what they fragment there stays resident: after a
 * 10 s SYN flood RSS stayed 20-40 % above its baseline, 10-15 % with the fixed threshold (issue #20,
 * docs/lab.md). A GLIBC_TUNABLES the user set that names the threshold is left as it is.
 */
export function childTunables (current: string | undefined): string {
  if (current !== undefined && current.includes('glibc.malloc.mmap_threshold')) return current
  const ours = 'glibc.malloc.mmap_threshold=131072'
  return current === undefined || current === '' ? ours : `${current}:${ours}`
}

/**
 * V8 options for the bridge process: a young generation of at most 2 MB per semi-space (V8's default
 * grows it to 16 MB under allocation). A flood of short sessions allocates fast, the young generation
 * grew to its maximum and stayed there once the bridge went idle, which kept RSS 50 % above its
 * baseline after a 10 s flood (85 MB → 125-128 MB, three runs); with 2 MB it came back to +9-14 %
 * (94-98 MB, two runs), and each scavenge is shorter, so the echo connection's worst gap during the
 * flood went from 117-121 ms to 109 ms (docs/lab.md). An option the user gave (execArgv or
 * NODE_OPTIONS) wins.
 */
export function childV8Options (execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, nodeOptions ?? ''].some(a => a.includes('--max-semi-space-size'))
  return given ? [] : ['--max-semi-space-size=2']
}

/** Run this same command line as a child and supervise it; resolves with the exit code to use. */
export function superviseLive (interfaces: string[]): Promise<number> {
  const v8 = childV8Options(process.execArgv, process.env.NODE_OPTIONS)
  const child = spawn(process.execPath, [...process.execArgv, ...v8, ...process.argv.slice(1)], {
    env: { ...process.env, [CHILD_ENV]: '1', GLIBC_TUNABLES: childTunables(process.env.GLIBC_TUNABLES) },
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  let aborted = false
  readline.createInterface({ input: child.stderr! }).on('line', line => {
    if (/cb_packets.*Assertion/.test(line)) { aborted = true; return }
    process.stderr.write(line + '\n')
  })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => { child.kill(sig) })
  return new Promise(resolve => {
    child.once('exit', (code, signal) => {
      if (code !== null) { resolve(code); return }
      if (signal === 'SIGABRT' || aborted) {
        const states = interfaces.map(n => !ifaceExists(n) ? `\`${n}\` no longer exists` : `\`${n}\` is ${ifaceInfo(n).up ? 'up' : 'down'}`)
        process.stderr.write(`rstlab: the capture failed: an interface went down or disappeared (${states.join(', ')}); ` +
          'libpcap (via cap) cannot continue on it, so the bridge stopped\n')
        process.stderr.write(`  → bring the interfaces back up (ip link set IF up) and start rstlab again; open sessions were not logged\n`)
        resolve(2)
        return
      }
      process.stderr.write(`rstlab: the live process was killed by ${signal ?? 'an unknown signal'}\n`)
      resolve(2)
    })
  })
}
