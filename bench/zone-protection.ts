/**
 * Zone protection benchmark (issue #15): what a SYN flood costs the engine per SYN.
 *
 * Rows, each as ns per SYN (median of RUNS runs, min–max), and as a ratio to the session-setup row
 * measured in the same run pair (runs alternate, so load drift on a shared machine hits all alike):
 * - session setup: SYNs from distinct ports creating sessions, no zone protection (the baseline);
 * - SYN cookies: the same SYNs into a zone whose tcp-syn flood protection answers every one with a
 *   cookie (activate-rate 0, the virtual clock spaced so the rate stays below maximal-rate): no session,
 *   one forged SYN-ACK each;
 * - above maximal-rate: the same flood faster than maximal-rate, every SYN dropped by the meter;
 * - RED: between activate and maximal, half dropped at random, the rest setting up sessions;
 * - scan counting: the session-setup SYNs into a zone counting TCP port scans, host sweeps and IP
 *   protocol scans (alert, thresholds never reached): what reconnaissance protection adds per SYN;
 * - bare decode: the frames decoded only (the floor).
 *
 * Time is the process's CPU time (process.cpuUsage), not the wall clock: on a shared machine the
 * process is descheduled for long stretches, which wall time would count.
 *
 * Usage: npm run -s build && node build/bench/zone-protection.js [--runs N] [--syns N]
 */
import os from 'node:os'
import { Engine } from '../src/engine/engine.js'
import { compilePolicy } from '../src/policy/load.js'
import { buildFrame } from '../src/wire/build.js'
import { decodeFrame } from '../src/wire/decode.js'
import { FrameSummary } from '../src/wire/summary.js'

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Math.max(1, Number(process.argv[i + 1]) | 0) : def
}
const RUNS = arg('--runs', 5)
const SYNS = arg('--syns', 200_000)

/** CPU time of this process (user + system) in ns. */
function cpuNs (): number { const u = process.cpuUsage(); return (u.user + u.system) * 1000 }

function median (xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]! }

function policy (flood?: Record<string, unknown>, scan?: Record<string, unknown>): ReturnType<typeof compilePolicy> {
  const zp = flood !== undefined || scan !== undefined
  return compilePolicy({
    settings: { session: { 'max-sessions': SYNS + 16, 'accelerated-aging': 'no' } },
    ...(!zp ? {} : { 'zone-protection-profiles': { p: { ...(flood === undefined ? {} : { flood: { 'tcp-syn': { enable: 'yes', ...flood } } }), ...(scan === undefined ? {} : { scan }) } } }),
    zones: {
      trust: { networks: ['198.18.0.0/16'], ...(!zp ? {} : { 'zone-protection-profile': 'p' }) },
      untrust: { networks: ['198.19.0.0/16'] },
    },
    rules: [{ name: 'allow-all', action: 'allow' }],
  })
}

/** SYNs from distinct (address, port) pairs, views into one buffer. */
function syns (): Buffer[] {
  const f = buildFrame({ src: '198.18.0.1', dst: '198.19.0.1', tcp: { sport: 1, dport: 443, seq: 1, flags: 'S', window: 64240, options: { mss: 1460 } } })
  const backing = Buffer.alloc(f.length * SYNS)
  const out: Buffer[] = []
  for (let i = 0; i < SYNS; i++) {
    const b = backing.subarray(i * f.length, (i + 1) * f.length)
    f.copy(b)
    const host = i >>> 14; const port = 1024 + (i & 0x3fff)
    b[14 + 12 + 2] = (host >>> 8) & 0xff; b[14 + 12 + 3] = host & 0xff
    b[14 + 20] = port >>> 8; b[14 + 21] = port & 0xff
    out.push(b)
  }
  return out
}

/** Virtual time between SYNs: 20 µs, an offered rate of 50 000 SYNs/s (steady after the first second). */
const GAP_US = 20

/** CPU ns per SYN; `expect` checks the verdicts (at most 1 % + 1 s of ramp-up may differ). */
function run (frames: Buffer[], p: ReturnType<typeof compilePolicy>, expect: (r: { action: string, emits: unknown[] }) => boolean): number {
  const engine = new Engine({ policy: p, seed: 1 })
  const t0 = cpuNs()
  let bad = 0
  for (let i = 0; i < frames.length; i++) {
    const r = engine.process(frames[i]!, -1, 1_000_000 + i * GAP_US)
    if (!expect(r)) bad++
  }
  const dt = cpuNs() - t0
  if (bad > frames.length / 100 + 1e6 / GAP_US) throw new Error(`unexpected verdicts: ${bad} of ${frames.length}`)
  return dt / frames.length
}

function bare (frames: Buffer[]): number {
  const fs = new FrameSummary()
  let sink = 0
  const t0 = cpuNs()
  for (let i = 0; i < frames.length; i++) { decodeFrame(frames[i]!, 1, fs); sink += fs.srcPort }
  const dt = cpuNs() - t0
  if (sink === -1) console.log('')
  return dt / frames.length
}

function main (): void {
  const frames = syns()
  const plain = policy()
  // 50 000 SYNs/s: below maximal-rate 100 000, every SYN gets a cookie.
  const cookies = policy({ 'syn-cookies': { 'alarm-rate': 1000, 'activate-rate': 0, 'maximal-rate': 100_000 } })
  // 50 000 SYNs/s against maximal-rate 10 000: after the first 10 000 in a window, every SYN dropped by the meter.
  const atMax = policy({ 'syn-cookies': { 'alarm-rate': 1000, 'activate-rate': 0, 'maximal-rate': 10_000 } })
  // RED from 25 000 to 75 000 at 50 000/s: half dropped.
  const red = policy({ red: { 'alarm-rate': 1000, 'activate-rate': 25_000, 'maximal-rate': 75_000 } })
  // Reconnaissance protection counting every SYN (alert; the sources probe one port of one host, so no threshold is reached).
  const scan = policy(undefined, { 8001: { action: 'alert' }, 8002: { action: 'alert' }, 8006: { action: 'alert' } })
  const cases: Array<[string, () => number]> = [
    ['session setup (no zone protection)', () => run(frames, plain, r => r.action === 'forward')],
    ['SYN cookie answered (no session, one forged SYN-ACK)', () => run(frames, cookies, r => r.action === 'drop' && r.emits.length === 1)],
    ['above maximal-rate (dropped by the meter)', () => run(frames, atMax, r => r.action === 'drop' && r.emits.length === 0)],
    ['RED at the middle of its slope (half set up)', () => run(frames, red, () => true)],
    ['session setup with scan counting (8001, 8002, 8006)', () => run(frames, scan, r => r.action === 'forward')],
    ['bare decode', () => bare(frames)],
  ]
  const res: number[][] = cases.map(() => [])
  for (let w = 0; w < 2; w++) for (const [, f] of cases) f() // warm-up
  for (let r = 0; r < RUNS; r++) cases.forEach(([, f], i) => res[i]!.push(f()))
  const load = os.loadavg().map(x => x.toFixed(1)).join(' ')
  console.log(`rstlab zone protection benchmark (node ${process.version}, ${RUNS} runs of ${SYNS} SYNs, ${os.cpus().length} CPUs, load average ${load})`)
  const w0 = Math.max(...cases.map(c => c[0].length))
  cases.forEach(([name], i) => {
    const xs = res[i]!
    const ratio = xs.map((x, k) => x / res[0]![k]!)
    console.log(`${name.padEnd(w0)}  ${median(xs).toFixed(0).padStart(5)} ns/SYN (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})` +
      `  × setup ${median(ratio).toFixed(2)} (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)})`)
  })
}

main()
