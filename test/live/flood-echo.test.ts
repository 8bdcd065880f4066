/**
 * Live: a SYN flood against the bridge (issue #20, "Floods"). A long-lived TCP connection sends an
 * 8-byte message every 10 ms through `rstlab bridge` and times each echo, while SYNs flood from the
 * client side to the server (50k/s with tcpreplay by default; every SYN from the next source port: a
 * new flow each) for 10 s,
 * with max-sessions 20000 and short handshake / close timers so the table drains soon after.
 *
 * Checked: the echo connection survives (no reset, echoes resume after the flood) and its worst gap
 * during the flood stays under a generous bound (it fails if the connection starves); the bridge's
 * RSS, once the table has drained, is back near its baseline (reported against the issue's 20 %; V8's heap total within 12 MB, RSS within 60 %; taken after start-up and a
 * warm-up). Reported: the offered SYN rate (the client veth's tx_packets), the worst echo gap before
 * and during the flood, RSS and V8 heap at baseline, peak and after, ring drops. Figures: docs/lab.md.
 *
 * The flood (RSTLAB_FLOOD): `pps:50000`, the default, sends crafted SYNs with tcpreplay at exactly
 * that rate. For measuring: `hping` floods with paced hping3 (RSTLAB_FLOOD_PACE=u10x5 is the interval
 * and how many run), `max` with one `hping3 --flood` (as fast as hping3 goes); RSTLAB_FLOOD_SMAPS=PREFIX copies the bridge's /proc/PID/smaps to PREFIX-base,
 * PREFIX-peak and PREFIX-after.
 */
import t from 'tap'
import { cpuLock } from './cpu-lock.js'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { Bridge, childEnv, liveSkipReason, makeLab, policy, sleep, tempDir, toolSkipReason, type T } from './harness.js'
import { LAB, type Lab, type LabNames } from '../lab/netns.js'
import { REPO_ROOT } from '../helpers/shared.js'
import type { InfoReply } from '../../src/control/protocol.js'
import { writeFileSync } from 'node:fs'
import { encodePcap } from '../../src/pcap/index.js'
import { buildFrame } from '../../src/wire/build.js'

const FLOOD_S = 10
const MSG_MS = 10
/** The echo connection must not starve: a gap this long fails the test (the measured figures are far below it). */
const GAP_BOUND_MS = 2000
const ECHO_PORT = 5001
const FLOOD_PORT = 5002

interface EchoLine { ev: string, t: number, seq?: number, sent?: number[], got?: number[], code?: string, lport?: number }

/** One echo.js process in a namespace; its JSON lines collected. */
class Echo {
  readonly lines: EchoLine[] = []
  readonly proc: ChildProcess
  constructor (t: T, lab: Lab, ns: keyof LabNames, args: string[]) {
    const argv = [...lab.exec(ns), process.execPath, path.join(REPO_ROOT, 'build', 'test', 'live', 'echo.js'), ...args]
    this.proc = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'], env: childEnv() })
    readline.createInterface({ input: this.proc.stdout! }).on('line', l => { try { this.lines.push(JSON.parse(l) as EchoLine) } catch { /* not ours */ } })
    t.teardown(() => { this.proc.kill('SIGKILL') })
  }

  async until (ev: string, ms = 30_000): Promise<EchoLine> {
    const deadline = Date.now() + ms
    for (;;) {
      const hit = this.lines.find(l => l.ev === ev)
      if (hit !== undefined) return hit
      if (Date.now() > deadline) throw new Error(`echo: no ${ev} within ${ms} ms: ${JSON.stringify(this.lines.slice(-3))}`)
      await sleep(20)
    }
  }

  /** Receive times and round trips of every echo so far, in the echo process's clock (ms). */
  echoes (): Array<{ sent: number, got: number }> {
    const out: Array<{ sent: number, got: number }> = []
    for (const l of this.lines) if (l.ev === 'echo') l.sent!.forEach((s, i) => out.push({ sent: s, got: l.got![i]! }))
    return out
  }
}

/**
 * Worst gap of the echo stream in [from, to) (echo-process ms): the longest time between two echo
 * arrivals, or from the window's start to the first one / the last one to its end, whichever is longest.
 */
function worstGap (e: Array<{ sent: number, got: number }>, from: number, to: number): { gapMs: number, maxRttMs: number, n: number, sendGapMs: number } {
  const inside = e.filter(x => x.got >= from && x.got < to)
  let gap = 0
  let prev = from
  for (const x of inside) { gap = Math.max(gap, x.got - prev); prev = x.got }
  gap = Math.max(gap, to - prev)
  const rtt = inside.reduce((m, x) => Math.max(m, x.got - x.sent), 0)
  // The longest pause in the client's own sending (its 10 ms timer): when this is long too, the client
  // process was starved of CPU (a loaded machine), not its connection.
  const sends = e.filter(x => x.sent >= from && x.sent < to).map(x => x.sent).sort((a, b) => a - b)
  let sendGap = 0
  for (let i = 1; i < sends.length; i++) sendGap = Math.max(sendGap, sends[i]! - sends[i - 1]!)
  return { gapMs: Math.round(gap), maxRttMs: Math.round(rtt), n: inside.length, sendGapMs: Math.round(sendGap) }
}

const MB = (b: number): string => (b / 1048576).toFixed(0)

/**
 * The flood: `pps:N` (the default, N = 50000, the rate) sends a crafted capture of SYNs with
 * tcpreplay at exactly N frames/s; `hping` runs five paced hping3 (`-i u10`: 15-35k SYN/s here, in
 * bursts), `max` one `hping3 --flood` (200-500k SYN/s).
 */
const FLOOD = process.env.RSTLAB_FLOOD ?? 'pps:50000'
const TOOL = FLOOD.startsWith('pps:') ? 'tcpreplay' : 'hping3'

const skip = liveSkipReason() ?? toolSkipReason(TOOL, 'the flood test sends its SYNs with it')
if (skip !== undefined) t.plan(0, skip)
else {
  t.test(`SYN flood for ${FLOOD_S} s: the established echo connection keeps being served, RSS comes back`, async t => {
    await cpuLock(t)
    const lab = makeLab(t)
    const dir = tempDir(t)
    // Short timers for flood sessions (handshake never completed, reset, closed), so the table drains
    // within a few seconds of the flood; the echo connection is established (timeout-tcp stays 3600).
    const bridge = new Bridge(t, lab, dir, policy({
      settings: '  session:\n    max-sessions: 20000\n    timeout-tcpinit: 1\n    timeout-tcphandshake: 1\n' +
        '    timeout-tcp-time-wait: 1\n    timeout-tcp-unverified-rst: 1\n    timeout-discard-tcp: 1',
    }))
    const server = new Echo(t, lab, 'server', ['server', String(ECHO_PORT)])
    const sink = new Echo(t, lab, 'server', ['server', String(FLOOD_PORT)]) // the flood's target listens (SYN-ACKs, the client kernel resets them)
    await Promise.all([bridge.ready(), server.until('listening'), sink.until('listening')])
    const info = async (): Promise<InfoReply> => await bridge.request({ cmd: 'info' })
    const pid = (await info()).pid // the capturing process (the supervisor's child)
    const rss = (): number => {
      const m = /VmRSS:\s+(\d+) kB/.exec(execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }))
      return Number(m![1]) * 1024
    }
    const sessions = async (): Promise<number> => {
      const c = (await bridge.request({ cmd: 'counters' })).counters
      const v = (n: string): number => c.find(r => r.name === n)?.value ?? 0
      return v('session_allocated') - v('session_freed')
    }
    const txPackets = (): number => Number(execFileSync(lab.exec('client')[0]!, [...lab.exec('client').slice(1), 'cat',
      `/sys/class/net/${LAB.clientIf}/statistics/tx_packets`], { encoding: 'utf8' }).trim())

    const client = new Echo(t, lab, 'client', ['client', LAB.server4, String(ECHO_PORT), String(MSG_MS)])
    const conn = await client.until('connected')
    // The client's clock: its line's t is ms since it started; map it to ours at the moment it arrives.
    const clientT0 = Date.now() - conn.t
    const at = (wallMs: number): number => wallMs - clientT0
    // Warm-up: 3 s of echoes (JIT, the first GCs), then the baseline.
    await sleep(3000)
    const base = { rss: rss(), mem: (await info()).memory, at: Date.now() }
    const dump = (tag: string): void => { if (process.env.RSTLAB_FLOOD_SMAPS !== undefined) execFileSync('cp', [`/proc/${pid}/smaps`, `${process.env.RSTLAB_FLOOD_SMAPS}-${tag}`]) }
    dump('base')

    // The flood: hping3 paced at -i u20 reaches about 26k SYN/s here (usleep granularity: u10 and u5 only ~33k),
    // so two of them make the issue's ~50k SYN/s; RSTLAB_FLOOD=max runs one `hping3 --flood` instead (as fast
    // as it goes: 200-500k SYN/s, several times what the bridge can take). Source ports count up from
    // different bases (hping3's default: each SYN the next port, so a new flow each).
    const max = FLOOD === 'max'
    const [pace, procs] = (process.env.RSTLAB_FLOOD_PACE ?? 'u10x5').split('x')
    // RSTLAB_FLOOD=pps:N: tcpreplay sends a crafted capture of SYNs (client MAC and address to the
    // server's, each from the next source port) at exactly N frames/s, where hping3's pacing cannot.
    const pps = /^pps:(\d+)$/.exec(FLOOD)?.[1]
    let floods: string[][]
    if (pps !== undefined) {
      const n = Number(pps) * FLOOD_S
      const frames = Array.from({ length: n }, (_, i) => ({
        tsUs: i, linkType: 1,
        data: buildFrame({ srcMac: LAB.clientMac, dstMac: LAB.serverMac, src: LAB.client4, dst: LAB.server4, tcp: { sport: 1024 + (i % 64000), dport: FLOOD_PORT, seq: (i * 2654435761) >>> 0, flags: 'S', window: 64240 } }),
      }))
      const file = path.join(dir, 'syn-flood.pcap')
      writeFileSync(file, encodePcap(frames))
      floods = [['tcpreplay', '-i', LAB.clientIf, `--pps=${pps}`, file]]
    } else {
      floods = (max ? [['--flood']] : Array.from({ length: Number(procs) }, (_, i) => ['-i', pace!, '-s', String(1024 + i * 12000)]))
        .map(pace => ['hping3', '-S', '-p', String(FLOOD_PORT), ...pace, LAB.server4])
    }
    const tx0 = txPackets()
    const f0 = Date.now()
    const hpings = floods.map(hargs => {
      const p = spawn(lab.exec('client')[0]!, [...lab.exec('client').slice(1), ...hargs], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      p.stdout!.setEncoding('utf8').on('data', (d: string) => { if (out.length < 4096) out += d })
      p.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; if (out.length > 8192) out = out.slice(-4096) })
      const exit = new Promise<void>(resolve => p.once('exit', () => resolve()))
      t.teardown(async () => { if (p.exitCode === null && p.signalCode === null) { p.kill('SIGKILL'); await exit } })
      return { p, exit, out: () => out }
    })
    let peak = base.rss
    let peakHeap = base.mem.heapUsed
    let peakSessions = 0
    while (Date.now() - f0 < FLOOD_S * 1000) {
      await sleep(250)
      peak = Math.max(peak, rss())
      peakHeap = Math.max(peakHeap, (await info()).memory.heapUsed)
      peakSessions = Math.max(peakSessions, await sessions())
      if (Date.now() - f0 > FLOOD_S * 1000 - 600) dump('peak')
    }
    for (const h of hpings) h.p.kill('SIGINT')
    await Promise.all(hpings.map(h => h.exit))
    const f1 = Date.now()
    // The echo socket's TCP view (retransmissions, RTO) right after the flood.
    const ss = execFileSync(lab.exec('client')[0]!, [...lab.exec('client').slice(1), 'ss', '-tni', 'dport', `= :${ECHO_PORT}`], { encoding: 'utf8' })
    const retrans = /retrans:\d+\/(\d+)/.exec(ss)?.[1] ?? '0'
    // hping3's own count on SIGINT: "N packets tramitted" (sic); the client veth's tx_packets also hold
    // the echo and the client kernel's RSTs to the server's SYN-ACKs.
    const syns = hpings.reduce((n, h) => n + Number((/(\d+) packets tr\w*mitted/.exec(h.out()) ?? /Actual: (\d+) packets/.exec(h.out()))?.[1] ?? NaN), 0)
    const offered = syns / ((f1 - f0) / 1000)
    const txRate = (txPackets() - tx0) / ((f1 - f0) / 1000)

    // Drain: the flood's sessions age out on the short timers; then a few seconds for the process to settle.
    let left = await sessions()
    for (let i = 0; i < 100 && left > 5; i++) { await sleep(200); peak = Math.max(peak, rss()); left = await sessions() }
    const drainedMs = Date.now() - f1
    await sleep(3000)
    const after = { rss: rss(), mem: (await info()).memory }
    dump('after')
    // Echoes resume: some arrive in the second after the settle.
    await sleep(1000)
    const end = Date.now()
    client.proc.stdin!.end()
    await client.until('close', 5000).catch(() => undefined)

    const echoes = client.echoes()
    const before = worstGap(echoes, at(base.at - 2000), at(f0))
    const during = worstGap(echoes, at(f0), at(f1))
    const resumed = worstGap(echoes, at(end - 1000), at(end))
    const ringDrop = await bridge.counter('rstlab_rcv_ring_drop')
    const allocFail = await bridge.counter('session_alloc_failure')
    const logDrop = await bridge.counter('rstlab_log_drop')
    const drops = (await bridge.request({ cmd: 'counters' })).counters
      .filter(c => c.severity === 'drop' && c.value > 0).map(c => `${c.name} ${c.value}`).join(', ')
    const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')
    t.comment(`offered ${Math.round(offered)} SYN/s for ${((f1 - f0) / 1000).toFixed(1)} s (${floods.map(f => f.slice(1, -1).join(' ')).join(' + ')}; ` +
      `client veth tx ${Math.round(txRate)} frames/s); peak sessions ${peakSessions}, alloc failures ${allocFail}, ring drops ${ringDrop}, ` +
      `log lines dropped ${logDrop}; load ${load}`)
    t.comment(`echo every ${MSG_MS} ms: worst gap ${before.gapMs} ms before the flood (max RTT ${before.maxRttMs} ms), ` +
      `${during.gapMs} ms during it (max RTT ${during.maxRttMs} ms, ${during.n} echoes of ~${Math.round((f1 - f0) / MSG_MS)}, ` +
      `longest pause in the client's sending ${during.sendGapMs} ms, TCP retransmissions ${retrans})`)
    t.comment(`bridge drop counters: ${drops}; established frames forwarded while shedding: ${await bridge.counter('rstlab_rcv_shed_kept')}`)
    t.comment(`RSS ${MB(base.rss)} MB baseline, ${MB(peak)} MB peak, ${MB(after.rss)} MB after (table drained in ${drainedMs} ms, +3 s); ` +
      `V8 heap used ${MB(base.mem.heapUsed)} / ${MB(peakHeap)} / ${MB(after.mem.heapUsed)} MB, ` +
      `heap total ${MB(base.mem.heapTotal)} → ${MB(after.mem.heapTotal)} MB, external ${MB(base.mem.external)} → ${MB(after.mem.external)} MB, array buffers ${MB(base.mem.arrayBuffers)} → ${MB(after.mem.arrayBuffers)} MB`)

    t.ok(offered > 10_000, `the flood ran (${Math.round(offered)} SYN/s, hping3's count)`)
    t.same(client.lines.filter(l => l.ev === 'error').map(l => l.code), [], 'the echo connection was never reset')
    t.ok(during.gapMs < GAP_BOUND_MS, `worst echo gap during the flood ${during.gapMs} ms < ${GAP_BOUND_MS} ms`)
    t.ok(resumed.n > 0, `echoes resumed after the flood (${resumed.n} in the last second)`)
    t.ok(left <= 5, `the session table drained (${left} left)`)
    // Issue #20's target is RSS back within 20 % of the baseline. Since traffic records are written as
    // bytes (no line string per session) it is met on both Nodes: Node 20 +2 to +3 %, Node 24 +9 to
    // +15 % (before: +9 to +14 % and +21 to +42 %, the latter fragments of the native heap and code
    // pages, not V8's heap; docs/lab.md). The growth is reported against that target; two checks fail
    // on the faults the test was built against, with a margin for a loaded CI machine (a CI run once
    // measured +35 % where a quiet run gave +28 %): V8's heap total must be back within 12 MB of its
    // baseline (+1 to +5 MB seen on both Nodes; +34 to +37 MB when the young generation stayed at its
    // 16 MB maximum), and RSS within 60 % (+100 to +280 % when it stayed at its peak).
    const growth = after.rss / base.rss - 1
    t.comment(`RSS after the flood: ${growth >= 0 ? '+' : ''}${(100 * growth).toFixed(0)} % over the baseline; the issue's target (20 %) is ${growth <= 0.2 ? 'met' : 'NOT met'} on Node ${process.versions.node}`)
    const heapGrowth = after.mem.heapTotal - base.mem.heapTotal
    t.ok(heapGrowth <= 12 * 1048576, `V8 heap total after the flood ${MB(after.mem.heapTotal)} MB within 12 MB of the baseline ${MB(base.mem.heapTotal)} MB`)
    t.ok(growth <= 0.6, `RSS after the flood ${MB(after.rss)} MB within 60 % of the baseline ${MB(base.rss)} MB`)
    t.equal(await bridge.stop(), 0, 'the bridge exits cleanly')
  })
}
