/** Running tshark from tests: presence check (fails under CI=true), field extraction, bounded parallelism. */
import { execFile, execFileSync } from 'node:child_process'
import type { Test } from 'tap'

let present: boolean | undefined

/** True when a `tshark` binary runs. */
export function tsharkPresent (): boolean {
  if (present === undefined) {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' })
      present = true
    } catch {
      present = false
    }
  }
  return present
}

/**
 * Guard for tests that need tshark: returns false (after a clear comment) when it is absent
 * locally; under CI=true a missing tshark is a failure, because CI must run the cross-checks.
 */
export function requireTshark (t: Test): boolean {
  if (tsharkPresent()) return true
  if (process.env.CI === 'true') {
    t.fail('tshark is not installed but CI=true: install the tshark package (apt-get install tshark)')
  } else {
    t.comment('SKIPPED: tshark is not installed; install it (apt-get install tshark) to run the tshark cross-checks')
  }
  return false
}

/** Options that make tshark report raw header fields, one frame at a time. */
export const RAW_FIELD_OPTS = [
  '-o', 'tcp.relative_sequence_numbers:FALSE',
  '-o', 'tcp.analyze_sequence_numbers:FALSE',
  '-o', 'ip.defragment:FALSE',
  '-o', 'ipv6.defragment:FALSE',
  '-o', 'tcp.desegment_tcp_streams:FALSE',
]

/** Separator between fields and between occurrences of one field in `tsharkFields` output. */
const FIELD_SEP = '\t'
const OCC_SEP = '\u0001'

/**
 * `tshark -r file -T fields -e f1 -e f2 ...` as rows of { field: occurrences[] } (all occurrences,
 * outermost layer first; an absent field is []).
 */
export async function tsharkFields (file: string, fields: string[], extra: string[] = []): Promise<Array<Record<string, string[]>>> {
  const args = ['-r', file, '-n', ...extra, '-T', 'fields', '-E', `separator=${FIELD_SEP}`, '-E', 'occurrence=a', '-E', `aggregator=${OCC_SEP}`]
  for (const f of fields) args.push('-e', f)
  const out = await run('tshark', args)
  const lines = out.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map(line => {
    const cells = line.split(FIELD_SEP)
    const row: Record<string, string[]> = {}
    fields.forEach((f, i) => { const c = cells[i] ?? ''; row[f] = c === '' ? [] : c.split(OCC_SEP) })
    return row
  })
}

/** Run a command, resolve its stdout; reject with stderr on a non-zero exit. */
export function run (cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr}`))
      else resolve(stdout)
    })
  })
}

/** Map `items` through `fn` with at most `limit` in flight (the machine has 2 cores). */
export async function mapLimit<T, R> (items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  async function worker (): Promise<void> {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => { await worker() }))
  return out
}
