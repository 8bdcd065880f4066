/**
 * Engine benchmark (issue #3). Prints one table:
 *
 * 1. Table scale: 1 M concurrent TCP sessions set up from SYNs (setup rate, RSS and V8 heap with the
 *    table full, bytes per session). Runs first, in a clean process, so RSS is the table's.
 * 2. Throughput on a synthetic trace: ≥ 10 k concurrent TCP connections, round-robin interleaved,
 *    each with handshake, request/response data with ACKs and a FIN close (~1 M packets). Engine
 *    packets/s vs a bare loop that only decodes the same frames; median of RUNS runs, with min–max.
 *
 * Fairness: both loops walk the same frame array (views into one buffer) in the same order, both are
 * warmed up twice, and runs alternate bare, engine, bare, engine... so load drift on a shared machine
 * hits both alike; the ratio is taken per run pair and its median reported with min–max.
 *
 * Usage: npm run bench  (or node build/bench/engine.js [--quick] [--runs N] [--flows N])
 * `--flows` changes the number of concurrent flows (default 10 000; fewer fit in the CPU caches).
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import os from 'node:os'
import { Engine } from '../src/engine/engine.js'
import { compilePolicy } from '../src/policy/load.js'
import { buildFrame } from '../src/wire/build.js'
import { buildTrace as buildSharedTrace } from './trace.js'
import { decodeFrame } from '../src/wire/decode.js'
import { FrameSummary } from '../src/wire/summary.js'

const quick = process.argv.includes('--quick')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) | 0) : quick ? 3 : 5
const flowsArg = process.argv.indexOf('--flows')
const FLOWS = flowsArg > 0 ? Math.max(1, Number(process.argv[flowsArg + 1]) | 0) : quick ? 2_000 : 10_000
const DATA_ROUNDS = quick ? 10 : 47 // request + ack per round, both directions
const TABLE_SESSIONS = quick ? 100_000 : 1_000_000

const MB = 1024 * 1024

/** A full GC before memory readings, so garbage left by table growth does not count. */
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]!
}

function allowAll (maxSessions: number): ReturnType<typeof compilePolicy> {
  return compilePolicy({
    settings: { session: { 'max-sessions': maxSessions, 'accelerated-aging': 'no' } },
    rules: [{ name: 'allow-all', action: 'allow' }],
  })
}

// ---- 1. 1 M sessions -------------------------------------------------------------------------

function tableScale (): { setupRate: number, rssMB: number, heapMB: number, bytesPerSession: number, tableBytesPerSession: number } {
  gc()
  const before = process.memoryUsage()
  const engine = new Engine({ policy: allowAll(TABLE_SESSIONS) })
  // One SYN template, mutated in place per session (the engine copies what it keeps).
  // Clients 198.18.0.0/16 (bytes 2-3 of the source vary), servers 198.19.0.0/16: the workplace's
  // benchmarking range (RFC 2544), even though these frames never leave memory.
  const f = buildFrame({ src: '198.18.0.1', dst: '198.19.0.1', tcp: { sport: 1, dport: 443, seq: 1, flags: 'S', window: 64240 } })
  const srcOff = 14 + 12
  const sportOff = 14 + 20
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < TABLE_SESSIONS; i++) {
    const host = i >>> 14
    const port = 1024 + (i & 0x3fff)
    f[srcOff + 2] = (host >>> 8) & 0xff
    f[srcOff + 3] = host & 0xff
    f[sportOff] = port >>> 8
    f[sportOff + 1] = port & 0xff
    const r = engine.process(f, -1, i)
    if (r.action !== 'forward') throw new Error(`setup ${i} failed: ${r.reason}`)
  }
  const dt = Number(process.hrtime.bigint() - t0) / 1e9
  gc()
  const after = process.memoryUsage()
  if (engine.table.count !== TABLE_SESSIONS) throw new Error('not all sessions are in the table')
  return {
    setupRate: TABLE_SESSIONS / dt,
    rssMB: after.rss / MB,
    heapMB: after.heapUsed / MB,
    bytesPerSession: (after.rss - before.rss) / TABLE_SESSIONS,
    tableBytesPerSession: engine.table.memoryBytes() / TABLE_SESSIONS,
  }
}

// ---- 2. throughput ---------------------------------------------------------------------------

function buildTrace (): Buffer[] {
  return buildSharedTrace(FLOWS, DATA_ROUNDS)
}

function bareLoop (frames: Buffer[]): number {
  const fs = new FrameSummary()
  let sink = 0
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < frames.length; i++) {
    decodeFrame(frames[i]!, 1, fs)
    sink += fs.srcPort + fs.tcpFlags
  }
  const dt = Number(process.hrtime.bigint() - t0) / 1e9
  if (sink === -1) console.log('')
  return frames.length / dt
}

function engineLoop (frames: Buffer[]): { pps: number, forwarded: number, fast: number } {
  const engine = new Engine({ policy: allowAll(65536) })
  let fwd = 0
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < frames.length; i++) {
    const now = i * 2
    if ((i & 1023) === 0) engine.advance(now)
    const r = engine.process(frames[i]!, (i & 1) as 0 | 1, now)
    if (r.action === 'forward') fwd++
  }
  const dt = Number(process.hrtime.bigint() - t0) / 1e9
  return { pps: frames.length / dt, forwarded: fwd, fast: engine.fastPathPackets }
}

function main (): void {
  const scale = tableScale()
  gc()
  const frames = buildTrace()
  const bare: number[] = []
  const eng: number[] = []
  let forwarded = 0
  let fast = 0
  for (let w = 0; w < 2; w++) { bareLoop(frames); engineLoop(frames) } // warm-up (JIT tiers)
  for (let r = 0; r < RUNS; r++) {
    bare.push(bareLoop(frames))
    const e = engineLoop(frames)
    eng.push(e.pps)
    forwarded = e.forwarded
    fast = e.fast
  }
  const ratios = eng.map((e, i) => e / bare[i]!)
  const fmt = (xs: number[], d = 2): string => `${(median(xs) / 1e6).toFixed(d)} M (${(Math.min(...xs) / 1e6).toFixed(d)}–${(Math.max(...xs) / 1e6).toFixed(d)})`
  const rows: Array<[string, string, string]> = [
    ['trace', `${frames.length} packets, ${FLOWS} concurrent TCP flows`, ''],
    ['forwarded', `${forwarded} of ${frames.length}`, forwarded === frames.length ? 'all' : 'NOT ALL'],
    ['of which on the fast path', `${fast} (${(100 * fast / frames.length).toFixed(1)} %)`, ''],
    ['engine packets/s (median, min–max)', fmt(eng), '≥ 2 M'],
    ['bare decode loop packets/s', fmt(bare), ''],
    ['ratio engine / bare (per run pair)', `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); of medians ${(median(eng) / median(bare)).toFixed(2)}`, '≥ 0.5'],
    ['session setup rate (1 run)', `${(scale.setupRate / 1e6).toFixed(2)} M sessions/s`, ''],
    [`RSS with ${TABLE_SESSIONS / 1e6} M sessions`, `${scale.rssMB.toFixed(0)} MB (heap ${scale.heapMB.toFixed(0)} MB)`, '≤ 256 MB'],
    ['bytes/session (RSS delta; typed arrays)', `${scale.bytesPerSession.toFixed(0)} B; ${scale.tableBytesPerSession.toFixed(0)} B`, ''],
  ]
  const w0 = Math.max(...rows.map(r => r[0].length))
  const w1 = Math.max(...rows.map(r => r[1].length))
  const load = os.loadavg().map(x => x.toFixed(1)).join(' ')
  console.log(`rstlab engine benchmark (node ${process.version}, ${RUNS} runs${quick ? ', --quick' : ''}, ${os.cpus().length} CPUs, load average ${load})`)
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`)
}

main()
