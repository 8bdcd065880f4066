/**
 * `rstlab explain` benchmark: whole-process packets/s on a synthetic ~1 M-packet capture
 * (10 000 concurrent TCP connections round-robin interleaved, each a handshake, 47 request/response
 * rounds and a close; every 50th connection ends with a RST instead, one in five of those with a
 * forged-looking TTL), against a bare baseline measured in the same run: a process that streams the
 * same file through the same reader path (`nextView`, one reused view per frame) and
 * `decodeFrameAt` (the frame decoded where it lies in the read chunk) and does nothing else.
 *
 * Runs alternate bare, explain, bare, explain... so load drift on a shared machine hits both; the
 * figures are the median with min–max over RUNS runs, plus the load average before and after.
 *
 * Usage: npm run bench:explain  (or node build/bench/explain.js [--quick] [--runs N] [--write TRACE.pcap])
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodePcap } from '../src/pcap/index.js'
import { buildFrame } from '../src/wire/build.js'

const quick = process.argv.includes('--quick')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) | 0) : quick ? 3 : 5
const FLOWS = quick ? 2_000 : 10_000
const DATA_ROUNDS = quick ? 10 : 47

const here = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(here, '..', '..')
const BIN = path.join(ROOT, 'bin', 'rstlab.js')
const DECODE = path.join(ROOT, 'build', 'src', 'wire', 'decode.js')
const PCAP = path.join(ROOT, 'build', 'src', 'pcap', 'index.js')
const SUMMARY = path.join(ROOT, 'build', 'src', 'wire', 'summary.js')

function trace (): Buffer {
  const perFlow: Buffer[][] = []
  for (let i = 0; i < FLOWS; i++) {
    const c = `198.18.${(i >> 8) & 0xff}.${i & 0xff}`
    const s = `198.19.${(i >> 8) & 0x7f}.${(i & 0xff) | 1}`
    const cport = 20000 + (i % 40000)
    let cs = (i * 2654435761) >>> 0
    let ss = (i * 40503 + 7) >>> 0
    let cid = i & 0xffff
    let sid = (i * 7) & 0xffff
    const frames: Buffer[] = []
    const mk = (c2s: boolean, flags: string, len: number, ttl?: number): void => {
      frames.push(buildFrame({
        src: c2s ? c : s, dst: c2s ? s : c, ttl: ttl ?? (c2s ? 64 : 54), ipId: c2s ? cid++ & 0xffff : sid++ & 0xffff,
        tcp: { sport: c2s ? cport : 443, dport: c2s ? 443 : cport, seq: c2s ? cs : ss, ack: flags === 'S' ? 0 : (c2s ? ss : cs), flags, window: 65000 },
        payload: len > 0 ? len : undefined,
      }))
      const adv = len + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)
      if (c2s) cs = (cs + adv) >>> 0; else ss = (ss + adv) >>> 0
    }
    mk(true, 'S', 0); mk(false, 'S.', 0); mk(true, '.', 0)
    for (let r = 0; r < DATA_ROUNDS; r++) { mk(true, 'P.', 40 + (r & 7) * 8); mk(false, 'P.', 200 + (r & 3) * 100) }
    if (i % 50 === 0) { mk(false, 'R.', 0, i % 250 === 0 ? 64 : undefined); mk(true, '.', 0); mk(true, '.', 0) } else { mk(true, 'F.', 0); mk(false, 'F.', 0); mk(true, '.', 0) }
    perFlow.push(frames)
  }
  const packets: Array<{ tsUs: number, linkType: number, data: Buffer }> = []
  let t = 1_700_000_000_000_000
  const len = perFlow[0]!.length
  for (let j = 0; j < len; j++) for (let i = 0; i < FLOWS; i++) packets.push({ tsUs: t++, linkType: 1, data: perFlow[i]![j]! })
  return encodePcap(packets)
}

const BARE = `
const { openCapture } = await import(${JSON.stringify(PCAP)})
const { decodeFrameAt } = await import(${JSON.stringify(DECODE)})
const { FrameSummary } = await import(${JSON.stringify(SUMMARY)})
const s = new FrameSummary(); let n = 0, sink = 0
const reader = await openCapture(process.argv[1])
do {
  for (let v = reader.nextView(); v !== undefined; v = reader.nextView()) { decodeFrameAt(v.buf, v.off, v.caplen, v.linkType, s); sink += s.srcPort; n++ }
} while (await reader.refill())
if (sink === -1) console.log(n)
`

/** Wall time and CPU time (user + system, whole process incl. start-up) of one child run. */
function run (args: string[]): { wall: number, cpu: number } {
  const t0 = process.hrtime.bigint()
  // Node reports its own CPU time on exit: the child cannot be measured from here otherwise.
  const report = 'process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("CPU "+(u.user+u.system)+"\\n")})'
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(report)}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const m = /CPU (\d+)/.exec(r.stderr.toString())
  if (r.status !== 0 || m === null) throw new Error(`benchmark child failed: ${r.stderr.toString()}`)
  return { wall, cpu: Number(m[1]) / 1e6 }
}

function stats (xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b)
  const f = (v: number): string => (v / 1e6).toFixed(2)
  return `${f(s[s.length >> 1]!)} M/s (min ${f(s[0]!)}, max ${f(s[s.length - 1]!)})`
}

function main (): void {
  const w = process.argv.indexOf('--write')
  if (w > 0) { writeFileSync(process.argv[w + 1]!, trace()); return } // the trace alone, for profiling
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rstlab-bench-explain-'))
  try {
    const file = path.join(dir, 'trace.pcap')
    writeFileSync(file, trace())
    const packets = FLOWS * (6 + 2 * DATA_ROUNDS)
    const load0 = os.loadavg()
    const bare = { wall: [] as number[], cpu: [] as number[] }
    const explain = { wall: [] as number[], cpu: [] as number[] }
    const ratio: number[] = []
    for (let r = 0; r < RUNS + 1; r++) {
      const b = run(['--input-type=module', '-e', BARE, file])
      const e = run([BIN, 'explain', file, '--json'])
      if (r === 0) continue // warm-up (page cache, compile cache)
      bare.wall.push(packets / b.wall); bare.cpu.push(packets / b.cpu)
      explain.wall.push(packets / e.wall); explain.cpu.push(packets / e.cpu)
      ratio.push(b.cpu / e.cpu)
    }
    const load1 = os.loadavg()
    const sr = [...ratio].sort((a, b) => a - b)
    console.log(`rstlab explain benchmark: ${packets} packets, ${FLOWS} concurrent connections, ${(statSync(file).size / 1e6).toFixed(1)} MB pcap, ${RUNS} runs (+1 warm-up)`)
    console.log('  packets per second of the whole process (start-up included), by CPU time (user+sys) and by wall time:')
    console.log(`  rstlab explain --json  cpu ${stats(explain.cpu)}   wall ${stats(explain.wall)}   target >= 1.00 M/s`)
    console.log(`  bare read + decode     cpu ${stats(bare.cpu)}   wall ${stats(bare.wall)}`)
    console.log(`  explain / bare (cpu)   ${sr[sr.length >> 1]!.toFixed(2)} (min ${sr[0]!.toFixed(2)}, max ${sr[sr.length - 1]!.toFixed(2)})`)
    console.log(`  load average before ${load0.map(x => x.toFixed(1)).join(' ')}, after ${load1.map(x => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`)
    console.log('  (a shared machine: wall time moves with the load; CPU time is the figure to compare with the target)')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
