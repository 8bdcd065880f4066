/**
 * Live benchmark in the namespace lab (`npm run bench:live`): iperf3 throughput (1 and 4 streams) and
 * UDP round-trip latency through
 *   (a) the kernel bridge, (b) the bare capture-and-send forwarder (bench/bare-forwarder.ts),
 *   (c) `rstlab bridge` under allow-all with full session tracking;
 * plus the session setup rate and RSS of (c), and a small-packet / new-flow round: hping3 floods 40-byte
 * TCP SYNs, each from the next source port (a new flow per frame), through (b) and (c), and the frames
 * per second that reach the server side are compared. Several rounds, medians (min–max shown as noise).
 * Figures, not timed tests. Writes the table into docs/lab.md between the bench markers.
 * Options: --rounds N (3), --seconds S (3 per iperf3 run), --new-flow-only (just the new-flow round, printed, not written).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { Lab, LAB, liveUnavailable } from '../test/lab/netns.js'
import { REPO_ROOT } from '../test/helpers/shared.js'

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : dflt
}
const ROUNDS = arg('rounds', 3)
const SECONDS = arg('seconds', 3)
const NEW_FLOW_ONLY = process.argv.includes('--new-flow-only')
const BUILD = path.join(REPO_ROOT, 'build', 'bench')

const why = liveUnavailable()
if (why !== undefined) { process.stderr.write(`bench:live needs root, ip, ethtool, tcpdump: ${why}\n`); process.exit(2) }
try { execFileSync('sh', ['-c', 'command -v iperf3'], { stdio: 'ignore' }) } catch { process.stderr.write('bench:live needs iperf3 (apt-get install iperf3)\n'); process.exit(2) }

const lab = new Lab({ prefix: `rlb${process.pid}` })
const procs: ChildProcess[] = []
const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-bench-'))
function cleanup (): void {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL')
  lab.down()
  rmSync(dir, { recursive: true, force: true })
}
process.on('SIGINT', () => { cleanup(); process.exit(130) })
process.on('SIGTERM', () => { cleanup(); process.exit(143) })

/** Start a long-running process in a namespace; resolves once it printed `ready` (or at once). */
function start (ns: 'client' | 'fw' | 'server', argv: string[], waitReady: boolean): Promise<ChildProcess> {
  const full = [...lab.exec(ns), ...argv]
  const p = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
  procs.push(p)
  let err = ''
  p.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  if (!waitReady) return Promise.resolve(p)
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: p.stdout! })
    rl.on('line', l => { if (/ready/.test(l)) resolve(p) })
    p.once('exit', code => reject(new Error(`${argv.join(' ')} exited ${code}: ${err}`)))
  })
}

async function stop (p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return
  const done = new Promise(resolve => p.once('exit', resolve))
  p.kill('SIGTERM')
  await done
}

function nsOut (ns: 'client' | 'fw' | 'server', argv: string[]): string {
  return execFileSync(lab.exec(ns)[0]!, [...lab.exec(ns).slice(1), ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}

function iperf (streams: number): number {
  const j = JSON.parse(nsOut('client', ['iperf3', '-c', LAB.server4, '-t', String(SECONDS), '-P', String(streams), '-J'])) as
    { end: { sum_received: { bits_per_second: number } } }
  return j.end.sum_received.bits_per_second / 1e9
}

function latency (): { p50Us: number, p99Us: number, lost: number } {
  return JSON.parse(nsOut('client', [process.execPath, path.join(BUILD, 'udp-rtt.js'), 'client', LAB.server4, '7001', '400'])) as
    { p50Us: number, p99Us: number, lost: number }
}

function connRate (): { perSecond: number, failed: number } {
  return JSON.parse(nsOut('client', [process.execPath, path.join(BUILD, 'conn-rate.js'), 'client', LAB.server4, '7002', String(SECONDS), '16'])) as
    { perSecond: number, failed: number }
}

/** Frames received on the server's interface so far (its kernel rx_packets). */
function serverRx (): number {
  return Number(nsOut('server', ['cat', `/sys/class/net/${LAB.serverIf}/statistics/rx_packets`]).trim())
}

/**
 * Small packets, a new flow each: hping3 floods SYNs (40-byte IP packets, 60-byte frames on the wire)
 * whose source port goes up by one per packet, each to a random address in 198.19.0.0/16. The client
 * routes that /16 via FLOOD_GW, a static neighbour entry with the server's MAC, so the server's interface
 * receives and counts the frames but its stack (not a router) answers nothing: the forward direction
 * alone is measured. Returns the frames per second that reached the server during `SECONDS` of steady
 * flood (sampled 0.5 s in, so neither the ramp-up nor the ring draining afterwards is counted).
 */
const FLOOD_GW = '198.18.0.77'
async function newFlowRate (): Promise<number> {
  const flood = await start('client', ['hping3', '-S', '-q', '--flood', '-p', '7003', '-s', '1024', '-I', LAB.clientIf, '--rand-dest', '198.19.x.x'], false)
  await new Promise(resolve => setTimeout(resolve, 500))
  const r0 = serverRx(); const t0 = performance.now()
  await new Promise(resolve => setTimeout(resolve, SECONDS * 1000))
  const r1 = serverRx(); const t1 = performance.now()
  const done = new Promise(resolve => flood.once('exit', resolve))
  flood.kill('SIGINT')
  await done
  await new Promise(resolve => setTimeout(resolve, 500)) // let the forwarder drain its ring before it stops
  return (r1 - r0) / ((t1 - t0) / 1000)
}

interface Stats { med: number, min: number, max: number }
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b)
  return { med: s[Math.floor((s.length - 1) / 2)]!, min: s[0]!, max: s[s.length - 1]! }
}

interface ModeResult { one: Stats, four: Stats, p50: Stats, p99: Stats, conn: Stats, rssMb?: number, hwmMb?: number }
interface Samples { one: number[], four: number[], p50: number[], p99: number[], conn: number[] }

/** RSS of the process doing the work: the live commands run as supervisor + child; measure the child. */
function rss (pid: number): { rssMb: number, hwmMb: number } {
  let target = pid
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    if (kids.length > 0) target = Number(kids[0])
  } catch { /* no children file: measure pid */ }
  const s = readFileSync(`/proc/${target}/status`, 'utf8')
  const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0)
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 }
}

interface Mode {
  name: string
  start: () => Promise<void>
  /** Called after the round's measurements, before stop. */
  sample?: () => void
  stop: () => Promise<void>
}

async function main (): Promise<void> {
  lab.up()
  // Setup-rate runs leave TIME_WAIT on the client: give it the whole port range and let it reuse
  // TIME_WAIT ports (timestamps make that safe), or the client runs out of ports, not the bridge.
  nsOut('client', ['sysctl', '-qw', 'net.ipv4.ip_local_port_range=1024 65535', 'net.ipv4.tcp_tw_reuse=1'])
  const iperfServer = await start('server', ['iperf3', '-s'], false)
  const echo = await start('server', [process.execPath, path.join(BUILD, 'udp-rtt.js'), 'server', '7001'], true)
  const accept = await start('server', [process.execPath, path.join(BUILD, 'conn-rate.js'), 'server', '7002'], true)
  await new Promise(resolve => setTimeout(resolve, 300))

  const policy = path.join(dir, 'allow.yaml')
  writeFileSync(policy, `zones:\n  trust: { interfaces: [${LAB.fwClientIf}] }\n  untrust: { interfaces: [${LAB.fwServerIf}] }\nrules:\n  - name: allow-all\n    action: allow\n`)
  let bare: ChildProcess | undefined
  let bridge: ChildProcess | undefined
  let mem = { rssMb: 0, hwmMb: 0 }
  const modes: Mode[] = [
    {
      name: 'kernel',
      start: async () => { lab.addKernelBridge(); await new Promise(resolve => setTimeout(resolve, 300)) },
      stop: async () => { lab.removeKernelBridge() },
    },
    {
      name: 'bare',
      start: async () => { bare = await start('fw', [process.execPath, path.join(BUILD, 'bare-forwarder.js'), LAB.fwClientIf, LAB.fwServerIf], true) },
      stop: async () => { await stop(bare!) },
    },
    {
      name: 'rstlab',
      start: async () => {
        const control = path.join(dir, 'c.sock')
        rmSync(control, { force: true })
        bridge = await start('fw', [process.execPath, path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'bridge', LAB.fwClientIf, LAB.fwServerIf,
          '--policy', policy, '--control', control, '--log', path.join(dir, 'traffic.log')], false)
        for (let i = 0; i < 200 && !existsSync(control); i++) await new Promise(resolve => setTimeout(resolve, 50))
        await new Promise(resolve => setTimeout(resolve, 200))
      },
      sample: () => { const m = rss(bridge!.pid!); mem = { rssMb: m.rssMb, hwmMb: Math.max(m.hwmMb, mem.hwmMb) } },
      stop: async () => { await stop(bridge!) },
    },
  ]
  // Rounds interleave the three paths (a, b, c, a, b, c, ...) so drift in the machine's load hits all alike.
  const samples = new Map<string, Samples>(modes.map(m => [m.name, { one: [], four: [], p50: [], p99: [], conn: [] }]))
  for (let r = 0; r < (NEW_FLOW_ONLY ? 0 : ROUNDS); r++) {
    for (const m of modes) {
      await m.start()
      const sm = samples.get(m.name)!
      sm.one.push(iperf(1))
      sm.four.push(iperf(4))
      const l = latency()
      sm.p50.push(l.p50Us); sm.p99.push(l.p99Us)
      sm.conn.push(connRate().perSecond)
      m.sample?.()
      await m.stop()
      process.stderr.write(`  round ${r + 1} ${m.name}: ${sm.one.at(-1)!.toFixed(2)} / ${sm.four.at(-1)!.toFixed(2)} Gbit/s, ` +
        `p50 ${l.p50Us.toFixed(0)} µs, ${sm.conn.at(-1)!.toFixed(0)} conn/s\n`)
    }
  }
  // Small packets, new flows: (b) and (c) only, interleaved.
  nsOut('client', ['ip', 'neigh', 'replace', FLOOD_GW, 'lladdr', LAB.serverMac, 'dev', LAB.clientIf, 'nud', 'permanent'])
  nsOut('client', ['ip', 'route', 'replace', '198.19.0.0/16', 'via', FLOOD_GW, 'dev', LAB.clientIf])
  // Every SYN is a session nobody answers: a 1 s handshake timeout and room for a million keep the table
  // from filling (a full table refuses new flows, which would measure the refusal, not forwarding).
  writeFileSync(policy, `settings:\n  session: { timeout-tcpinit: 1, timeout-tcphandshake: 1, max-sessions: 1000000 }\n` +
    `zones:\n  trust: { interfaces: [${LAB.fwClientIf}] }\n  untrust: { interfaces: [${LAB.fwServerIf}] }\nrules:\n  - name: allow-all\n    action: allow\n`)
  const pps = { bare: [] as number[], rstlab: [] as number[] }
  for (let r = 0; r < ROUNDS; r++) {
    for (const m of modes.filter(m => m.name !== 'kernel')) {
      await m.start()
      const v = await newFlowRate()
      ;(m.name === 'bare' ? pps.bare : pps.rstlab).push(v)
      if (m.name === 'rstlab') m.sample?.()
      await m.stop()
      process.stderr.write(`  new-flow round ${r + 1} ${m.name}: ${v.toFixed(0)} frames/s forwarded\n`)
    }
  }
  await stop(echo); await stop(accept); await stop(iperfServer)
  if (NEW_FLOW_ONLY) { process.stdout.write(newFlowLine(pps) + '\n'); return }
  const res = (name: string): ModeResult => {
    const sm = samples.get(name)!
    return { one: stats(sm.one), four: stats(sm.four), p50: stats(sm.p50), p99: stats(sm.p99), conn: stats(sm.conn) }
  }
  const c = res('rstlab')
  c.rssMb = mem.rssMb; c.hwmMb = mem.hwmMb
  report(res('kernel'), res('bare'), c, pps)
}

function newFlowLine (pps: { bare: number[], rstlab: number[] }): string {
  const pb = stats(pps.bare); const pc = stats(pps.rstlab)
  // Each round's ratio against the bare forwarder's run right before it (interleaved), so drift in load cancels.
  const ratios = stats(pps.rstlab.map((v, i) => v / pps.bare[i]!))
  const k = (s: Stats): string => `${(s.med / 1000).toFixed(0)}k (${(s.min / 1000).toFixed(0)}k–${(s.max / 1000).toFixed(0)}k)`
  return `- small packets, a new flow each (hping3 SYN flood, 60-byte frames): (b) ${k(pb)} frames/s, (c) ${k(pc)} frames/s forwarded; ` +
    `c/b ${ratios.med.toFixed(2)} (per round ${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)}) — target ≥ 0.9: ${ratios.med >= 0.9 ? 'meets' : 'MISSES'}`
}

function report (a: ModeResult, b: ModeResult, c: ModeResult, pps: { bare: number[], rstlab: number[] }): void {
  const g = (s: Stats): string => `${s.med.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
  const us = (s: Stats): string => `${(s.med / 1000).toFixed(3)} (${(s.min / 1000).toFixed(3)}–${(s.max / 1000).toFixed(3)})`
  const n = (s: Stats): string => s.med.toFixed(0)
  const rows = [
    '| path | 1 stream Gbit/s | 4 streams Gbit/s | UDP RTT p50 ms | p99 ms | new conns/s |',
    '|---|---|---|---|---|---|',
    `| (a) kernel bridge | ${g(a.one)} | ${g(a.four)} | ${us(a.p50)} | ${us(a.p99)} | ${n(a.conn)} |`,
    `| (b) bare forwarder | ${g(b.one)} | ${g(b.four)} | ${us(b.p50)} | ${us(b.p99)} | ${n(b.conn)} |`,
    `| (c) rstlab bridge | ${g(c.one)} | ${g(c.four)} | ${us(c.p50)} | ${us(c.p99)} | ${n(c.conn)} |`,
  ]
  const ok = (v: boolean): string => v ? 'meets' : 'MISSES'
  const cb1 = c.one.med / b.one.med; const cb4 = c.four.med / b.four.med
  const ca1 = c.one.med / a.one.med; const ca4 = c.four.med / a.four.med
  const added = (c.p50.med - a.p50.med) / 1000
  const targets = [
    `- c/b throughput: ${cb1.toFixed(2)} (1 stream), ${cb4.toFixed(2)} (4 streams) — target ≥ 0.9: ${ok(Math.min(cb1, cb4) >= 0.9)}`,
    `- c/a throughput: ${ca1.toFixed(2)} (1 stream), ${ca4.toFixed(2)} (4 streams) — target ≥ 0.35: ${ok(Math.min(ca1, ca4) >= 0.35)}`,
    `- added p50 latency vs kernel bridge: ${added.toFixed(3)} ms — target ≤ 0.1 ms: ${ok(added <= 0.1)}`,
    `- rstlab session setup rate: ${c.conn.med.toFixed(0)} new TCP connections/s (min–max ${c.conn.min.toFixed(0)}–${c.conn.max.toFixed(0)}, 16 concurrent, sequential loop)`,
    `- rstlab RSS (the capturing process) during the run: ${c.rssMb!.toFixed(0)} MB (peak ${c.hwmMb!.toFixed(0)} MB)`,
  ]
  if (pps.bare.length > 0 && pps.rstlab.length > 0) targets.push(newFlowLine(pps))
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const text = [`Measured ${when}, ${ROUNDS} rounds of ${SECONDS} s, medians (min–max); host: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, kernel ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}, node ${process.version}.`,
    '', ...rows, '', ...targets].join('\n')
  process.stdout.write(text + '\n')
  const doc = path.join(REPO_ROOT, 'docs', 'lab.md')
  if (existsSync(doc)) {
    const md = readFileSync(doc, 'utf8')
    const re = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/
    if (re.test(md)) {
      writeFileSync(doc, md.replace(re, `<!-- bench:start -->\n${text}\n<!-- bench:end -->`))
      process.stdout.write(`(written to ${path.relative(process.cwd(), doc)})\n`)
    }
  }
}

main().then(() => cleanup(), (e: unknown) => { cleanup(); process.stderr.write(`bench:live failed: ${(e as Error).message}\n`); process.exit(1) })
