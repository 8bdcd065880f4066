/**
 * Replay benchmark (issue #16): whole-process `rstlab replay` of the synthetic trace (bench/trace.ts:
 * 1 M frames, 10 k concurrent TCP flows, written once to a temporary classic pcap) against a bare
 * Node process that only reads the same file in 4 MiB chunks and touches two bytes per record
 * (bench/bare-read.ts). Both are child processes of this one, started the same way, alternated
 * (bare, rstlab, bare, rstlab, ...) so load drift on a shared machine hits both alike. The ratio
 * bare time / rstlab time is taken per pair; median and min–max are printed for:
 *   replay (plain), replay --out OUT.pcapng, decode --json (stdout to /dev/null).
 *
 * Usage: npm run bench:replay  (or node build/bench/replay.js [--runs N] [--flows N] [--keep FILE] [--bin RSTLAB_JS])
 * `--bin` runs another build's bin/rstlab.js (e.g. a checkout of an older commit, for before/after).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, openSync, closeSync } from 'node:fs'
import { tmpdir, loadavg, cpus } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeTracePcap } from './trace.js'

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const RUNS = Math.max(1, Number(arg('--runs') ?? 5) | 0)
const FLOWS = Math.max(1, Number(arg('--flows') ?? 10_000) | 0)
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..', '..')
const rstlab = arg('--bin') ?? path.join(root, 'bin', 'rstlab.js')
const bare = path.join(here, 'bare-read.js')
const policy = path.join(root, 'policies', 'allow-all.yaml')

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]!
}

/** Run `node args` with stdout/stderr to /dev/null; wall time in seconds. */
function timed (args: string[]): number {
  const devnull = openSync('/dev/null', 'w')
  try {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', devnull, devnull] })
    const dt = Number(process.hrtime.bigint() - t0) / 1e9
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}`)
    return dt
  } finally {
    closeSync(devnull)
  }
}

async function main (): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-bench-replay-'))
  const trace = arg('--keep') ?? path.join(dir, 'trace.pcap')
  const out = path.join(dir, 'out.pcapng')
  try {
    const frames = await writeTracePcap(trace, FLOWS, 47)
    const size = statSync(trace).size
    const cases: Array<[string, string[]]> = [
      ['replay', [rstlab, 'replay', trace, '--policy', policy]],
      ['replay --out', [rstlab, 'replay', trace, '--policy', policy, '--out', out]],
      ['decode --json', [rstlab, 'decode', trace, '--json']],
    ]
    const target: Record<string, string> = { replay: '≥ 0.5', 'replay --out': '≥ 0.3', 'decode --json': '≥ 0.2' }
    // Warm the page cache and the code cache once.
    timed([bare, trace])
    for (const [, a] of cases) timed(a)
    const bareT: Record<string, number[]> = {}
    const caseT: Record<string, number[]> = {}
    for (let r = 0; r < RUNS; r++) {
      for (const [name, a] of cases) {
        (bareT[name] ??= []).push(timed([bare, trace]));
        (caseT[name] ??= []).push(timed(a))
      }
    }
    const load = loadavg().map(x => x.toFixed(1)).join(' ')
    console.log(`rstlab replay benchmark (node ${process.version}, ${RUNS} run pairs per case, ${cpus().length} CPUs, load average ${load})`)
    console.log(`trace: ${frames} frames, ${FLOWS} concurrent TCP flows, ${(size / 1048576).toFixed(0)} MiB classic pcap`)
    const rows: string[][] = [['case', 'rstlab s (median, min–max)', 'bare s', 'ratio bare/rstlab (median, min–max)', 'target']]
    for (const [name] of cases) {
      const b = bareT[name]!
      const c = caseT[name]!
      const ratios = c.map((t, i) => b[i]! / t)
      rows.push([name, `${median(c).toFixed(2)} (${Math.min(...c).toFixed(2)}–${Math.max(...c).toFixed(2)})`, median(b).toFixed(2),
        `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`, target[name]!])
    }
    const w = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)))
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd())
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
