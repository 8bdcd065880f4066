/**
 * The live runner behind `rstlab bridge` and `rstlab tap`: devices in (ingress/live.ts), engine, devices
 * out (egress/output.ts), a real clock and one timer, signals, policy reloads and logs. All policy and
 * session logic is the engine's; port health is ingress/port-health.ts's; what the control commands do
 * is control/handlers.ts's. This file assembles them and moves frames and time.
 *
 * Per captured frame: port health looks at it → engine.process(frame, port, now) → the output forwards
 * the frame unchanged out of the other port (same bytes, no copy) and sends the forged emits → make sure
 * the timer is armed for engine.nextDeadline().
 */
import type { Logger } from 'pino'
import { PORT_UNKNOWN, type Emit, type PacketEngine, type TrafficLogRecord, type ThreatLogRecord, type TraceEvent } from '../../engine/types.js'
import type { Policy } from '../../policy/types.js'
import { CompiledPolicy } from '../../policy/match.js'
import { traceStage, traceText } from '../../engine/trace-text.js'
import { RstlabError } from '../../errors.js'
import { LivePort } from '../../ingress/live.js'
import { badOffloads, ifaceInfo, offloadHint } from '../../ingress/iface.js'
import { PortHealth } from '../../ingress/port-health.js'
import { L3Injector } from '../../egress/l3.js'
import { Output } from '../../egress/output.js'
import { ControlServer } from '../../control/server.js'
import { HttpControl, parseHttpAddress } from '../../control/http.js'
import { ControlHandlers } from '../../control/handlers.js'
import { randomBytes } from 'node:crypto'
import { unlinkSync, writeFileSync } from 'node:fs'
import { formatCounters } from '../../control/format.js'
import { realClock, type Clock } from './clock.js'
import { CounterSampler, EdgeCounters, engineCounterRows } from './counters.js'
import { reportHealth } from './health-text.js'
import { PanosLogFormatter } from '../../logs/panos-format.js'
import { pinoRecordLine } from '../log-output.js'
import { syslogSeverity } from '../../logs/syslog.js'

export interface RunnerOptions {
  mode: 'bridge' | 'tap'
  /** bridge: [IF_A, IF_B]; tap: [IF]. */
  interfaces: string[]
  policyPath: string
  controlPath: string
  inject: 'l2' | 'l3'
  /** SIGHUP reloads re-evaluate existing sessions against the new rules. */
  rematch: boolean
  trace: boolean
  /** Refuse to start when a port has receive offloads on (default true; --allow-offloads turns it off). */
  checkOffloads: boolean
  ringBytes?: number
  /** Also serve the control commands over HTTP on this loopback HOST:PORT (`--http`). */
  http?: string | undefined
  /** The HTTP listener's token; when absent one is made and written to `<controlPath>.http-token` (0600). */
  httpToken?: string | undefined
  /** Traffic/threat records as PAN-OS json/csv lines, handed to `deps.logLine` (absent: none). */
  panosFormat?: 'json' | 'csv' | undefined
  /** Traffic/threat records as pino lines on `deps.log` (the default; false with --log-format json|csv). */
  pinoRecords?: boolean
}

export interface RunnerDeps {
  loadPolicy: (path: string) => Policy
  /**
   * A reload's loader, off the packet thread (src/cli/live/reload-worker.ts): the runner keeps forwarding
   * with the running policy until it resolves. Absent: reloads use `loadPolicy` on the packet thread.
   */
  loadPolicyOffThread?: (path: string, current: Policy, ports: string[] | undefined) => { promise: Promise<{ policy: Policy, loadMs: number }>, cancel: () => void }
  makeEngine: (policy: Policy, hooks: {
    trafficLog: (rec: TrafficLogRecord) => void
    threatLog: (rec: ThreatLogRecord) => void
    trace?: (ev: TraceEvent) => void
  }, portNames: [string, string]) => PacketEngine
  log: Logger
  /**
   * The destination `log` writes to, when `log` is a pino logger with `base: { pid }` and the default
   * timestamp at level info or below: traffic records are then written to it as ready-made pino lines.
   */
  pinoDest?: {
    write (line: string): unknown
    /** The line for a traffic-log record of the engine's, as bytes (LogBatch.traffic); false: use `write`. */
    traffic?: (level: number, timeMs: number, pid: number, rec: TrafficLogRecord, log: string, msg: string) => boolean
  }
  /** Log lines dropped so far because the log destination could not keep up (log-batch.ts). */
  logDropped?: () => number
  /** Human messages (startup, warnings, final counters). */
  note: (line: string) => void
  /** Results (the final counter table): stdout. Falls back to `note` when absent. */
  result?: (text: string) => void
  /** Where PAN-OS lines go (log file or stderr, and the syslog sink), with their syslog severity. */
  logLine?: (line: string, severity: number) => void
  clock?: Clock
}

export class LiveRunner {
  private readonly opts: RunnerOptions
  private readonly deps: RunnerDeps
  private readonly clock: Clock
  private policy: Policy
  private readonly portNames: [string, string]
  private policyLoadedAt: Date
  private readonly engine: PacketEngine
  private readonly ports: LivePort[] = []
  /** L3 injectors: tap → one, routed; bridge --inject l3 → one per port, bound to its interface. */
  private readonly l3: L3Injector[] = []
  /** Where frames leave: the bridge ports and the L3 injectors above. */
  private readonly output: Output
  private readonly health: PortHealth
  private readonly handlers: ControlHandlers
  private control: ControlServer | undefined
  private httpControl: HttpControl | undefined
  private readonly edge = new EdgeCounters()
  private readonly sampler: CounterSampler
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private watch: NodeJS.Timeout | undefined
  private stopping = false
  /** µs added to the real clock by `clock advance` (never negative, only grows): engine time = real + offset. */
  private offsetUs = 0
  private readonly startedAt = new Date()
  /** Resolves with the exit code when the runner stops. */
  readonly done: Promise<number>
  private resolveDone!: (code: number) => void

  constructor (opts: RunnerOptions, deps: RunnerDeps) {
    this.opts = opts
    this.deps = deps
    this.clock = deps.clock ?? realClock
    this.done = new Promise(resolve => { this.resolveDone = resolve })
    this.policy = deps.loadPolicy(opts.policyPath)
    this.policyLoadedAt = new Date()
    this.indexPorts(this.policy)
    const names: [string, string] = opts.mode === 'bridge'
      ? [opts.interfaces[0]!, opts.interfaces[1]!]
      : [opts.interfaces[0]!, opts.interfaces[0]!]
    this.portNames = names
    const fmt = opts.panosFormat
    const logLine = deps.logLine
    const pinoRecords = opts.pinoRecords !== false
    // PAN-OS shapes: engine µs become wall-clock times here, at the edge (the engine never sees a date).
    const panos = fmt !== undefined && logLine !== undefined
      ? new PanosLogFormatter({ wallMs: us => this.clock.wallOf(us).getTime(), interfaceOf: zone => this.ifOfZone(zone) })
      : undefined
    this.engine = deps.makeEngine(this.policy, {
      trafficLog: rec => {
        if (pinoRecords) {
          // The same line pino would write, without pino's per-call cost (a flood of short sessions):
          // as bytes into the log chunk when the destination takes records, else as a string.
          const d = deps.pinoDest
          if (d?.traffic?.(30, Date.now(), process.pid, rec, 'traffic', 'TRAFFIC') !== true) {
            const line = d === undefined ? undefined : pinoRecordLine(30, Date.now(), process.pid, rec, 'traffic', 'TRAFFIC')
            if (line !== undefined) d!.write(line)
            else deps.log.info({ ...rec, log: 'traffic' }, 'TRAFFIC')
          }
        }
        if (panos !== undefined) logLine!(panos.line(fmt!, rec), 6)
      },
      threatLog: rec => {
        if (pinoRecords) deps.log.warn({ ...rec, log: 'threat' }, 'THREAT')
        if (panos !== undefined) logLine!(panos.line(fmt!, rec), syslogSeverity(rec.severity))
      },
      ...(opts.trace ? { trace: (ev: TraceEvent) => deps.log.debug({ ...ev, stage: traceStage(ev), log: 'trace' }, traceText(ev)) } : {}),
    }, names)
    this.sampler = new CounterSampler(this.now())
    this.output = new Output(this.ports, this.l3, this.edge)
    this.health = new PortHealth(opts.interfaces, {
      count: name => this.edge.inc(name),
      report: ev => reportHealth(ev, opts.interfaces, deps.note, deps.log),
    })
    // The control commands' view of this runner (control/handlers.ts).
    const self = this
    this.handlers = new ControlHandlers({
      engine: this.engine,
      mode: opts.mode,
      interfaces: opts.interfaces,
      policyPath: opts.policyPath,
      rematch: opts.rematch,
      startedAt: this.startedAt,
      get policy () { return self.policy },
      get policyLoadedAt () { return self.policyLoadedAt },
      get offsetUs () { return self.offsetUs },
      now: () => this.now(),
      wallOf: us => this.clock.wallOf(us),
      addOffset: us => { this.offsetUs += us },
      install: next => this.install(next),
      inject: e => this.inject(e),
      arm: now => this.arm(now),
      rearm: now => this.rearm(now),
      counters: (now, delta) => this.sampleCounters(now, delta),
      clearCounters: now => {
        this.engine.clearCounters(); this.edge.clear(); this.kernelBase = this.kernelStats()
        this.logDropBase = this.deps.logDropped?.() ?? 0
        this.sampler.reset(now)
      },
      log: (fields, msg) => this.deps.log.info(fields, msg),
    })
  }

  /** The bridge's two interfaces (undefined for a tap: its zones come from addresses). */
  private bridgePorts (): string[] | undefined {
    return this.opts.mode === 'bridge' ? [this.opts.interfaces[0]!, this.opts.interfaces[1]!] : undefined
  }

  /**
   * Build the rule indexes of the bridge's zone pairs before a frame needs them: at 100,000 rules one
   * takes about 200 ms, a forwarding gap if the first session built it. Reloads off the packet thread
   * build them in the worker (reload-worker.ts, `ports`); this covers the first load and packet-thread reloads.
   */
  private indexPorts (p: Policy): void {
    if (p instanceof CompiledPolicy) p.buildPairs(p.portPairs(this.bridgePorts()))
  }

  /** Log lines dropped at the last `clear counter`. */
  private logDropBase = 0

  /** The ports' kernel-side losses at the last `clear counter` (the kernel's counters cannot be cleared). */
  private kernelBase = { missed: 0, ifDropped: 0 }

  /** The ports' kernel-side receive losses since they opened (ingress/live.ts `captureStats`), summed. */
  private kernelStats (): { missed: number, ifDropped: number } {
    let missed = 0
    let ifDropped = 0
    for (const p of this.ports) { const s = p.captureStats(); missed += s.missed; ifDropped += s.ifDropped }
    return { missed, ifDropped }
  }

  /** Engine and edge counters, with the kernel's capture-ring and interface drops read now. */
  private sampleCounters (now: number, delta: boolean): ReturnType<CounterSampler['sample']> {
    const k = this.kernelStats()
    this.edge.set('rstlab_rcv_ring_drop', Math.max(0, k.missed - this.kernelBase.missed))
    this.edge.set('rstlab_rcv_if_drop', Math.max(0, k.ifDropped - this.kernelBase.ifDropped))
    this.edge.set('rstlab_log_drop', (this.deps.logDropped?.() ?? 0) - this.logDropBase)
    return this.sampler.sample(engineCounterRows(this.engine.counters()), this.edge, now, delta)
  }

  /** The bridged interface of a zone, for the PAN-OS log's interface columns ('' when none; a tap's one interface). */
  private ifOfZone (zone: string): string {
    const z = this.policy.zones.find(z => z.name === zone)
    return z?.interfaces.find(i => this.opts.interfaces.includes(i)) ?? (this.opts.mode === 'tap' ? this.opts.interfaces[0]! : '')
  }

  /** The engine's time: the real monotonic clock plus what `clock advance` added. */
  private now (): number {
    return this.clock.nowUs() + this.offsetUs
  }

  /** Configuration problems the engine found in the policy (e.g. icmp-unreachable without addresses). */
  private engineWarnings (): void {
    for (const w of this.engine.warnings) this.deps.note(`rstlab: warning: ${w}`)
  }

  /** Warn when the policy's zones do not name the bridged interfaces (every packet would then be zone-less). */
  private checkZones (names: string[]): void {
    if (this.opts.mode !== 'bridge') return
    for (const n of names) {
      if (this.policy.zoneOfInterface(n) === undefined) {
        this.deps.note(`rstlab: warning: no zone in ${this.opts.policyPath} lists interface \`${n}\` (zones.*.interfaces); ` +
          'zones then come from address networks only')
      }
    }
  }

  /**
   * Open devices and the control socket, install signal handlers. Everything is checked before the
   * first frame moves: a failure closes what was opened and throws.
   * @throws RstlabError
   */
  async start (): Promise<void> {
    const { interfaces, mode } = this.opts
    if (mode === 'bridge' && interfaces[0] === interfaces[1]) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `bridge needs two different interfaces, got \`${interfaces[0]}\` twice`,
        'usage: rstlab bridge IF_A IF_B --policy P.yaml')
    }
    for (const n of interfaces) ifaceInfo(n)
    // Policy warnings only once the arguments proved usable: a mistyped interface is reported alone.
    this.checkZones(this.portNames)
    this.engineWarnings()
    if (this.opts.checkOffloads && mode === 'bridge') {
      const bad = interfaces.flatMap(n => (badOffloads(n) ?? []).map(f => `${n}: ${f}`))
      if (bad.length > 0) {
        throw new RstlabError('RSTLAB_ERR_OFFLOAD', `receive offloads are on (${bad.join(', ')}): the kernel would hand the bridge ` +
          'merged frames larger than the MTU, which cannot be forwarded', offloadHint(interfaces))
      }
    }
    try {
      if (mode === 'tap') this.l3.push(new L3Injector())
      else if (this.opts.inject === 'l3') for (const n of interfaces) this.l3.push(new L3Injector(n))
      interfaces.forEach((n, i) => {
        const port = mode === 'tap' ? PORT_UNKNOWN : i
        this.ports.push(new LivePort(n, (buf, len, truncated) => this.onFrame(port, buf, len, truncated),
          {
            ...(this.opts.ringBytes !== undefined ? { ringBytes: this.opts.ringBytes } : {}),
            onShed: () => this.edge.inc('rstlab_rcv_shed'),
            onShedFrame: (buf, len) => this.onShedFrame(port, buf, len),
          }))
      })
      this.control = await ControlServer.listen(this.opts.controlPath, cmd => this.handlers.handle(cmd))
      if (this.opts.http !== undefined) await this.listenHttp(this.opts.http)
    } catch (e) {
      this.closeDevices()
      throw e
    }
    process.on('SIGINT', () => { void this.stop('SIGINT') })
    process.on('SIGTERM', () => { void this.stop('SIGTERM') })
    process.on('SIGHUP', () => this.reload())
    this.watch = setInterval(() => { if (!this.health.watch()) void this.stop('interface-gone', 2) }, 1000)
    this.deps.log.info({ log: 'system', mode, interfaces, policy: this.opts.policyPath, control: this.opts.controlPath, inject: this.opts.inject },
      `rstlab ${mode} started`)
    this.deps.note(`rstlab ${mode}: ${interfaces.join(' <-> ')}, policy ${this.opts.policyPath}, control ${this.opts.controlPath}`)
    if (mode === 'tap') {
      this.deps.note('rstlab tap: observing only; forged resets race the real traffic and cannot stop it')
    }
  }

  /** The HTTP/JSON control listener: loopback only, token required (made and stored 0600 when not given). */
  private async listenHttp (addr: string): Promise<void> {
    parseHttpAddress(addr)
    let token = this.opts.httpToken
    let where = 'the token you gave'
    if (token === undefined) {
      token = randomBytes(24).toString('base64url')
      const file = `${this.opts.controlPath}.http-token`
      try {
        try { unlinkSync(file) } catch { /* none yet */ }
        writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' })
      } catch (e) {
        throw new RstlabError('RSTLAB_ERR_CONTROL', `cannot write the HTTP control token to ${file}: ${(e as Error).message}`,
          'give one with RSTLAB_HTTP_TOKEN or --http-token-file, or pick another --control PATH')
      }
      this.httpTokenFile = file
      where = `token in ${file}`
    }
    this.httpControl = await HttpControl.listen(addr, token, cmd => this.handlers.handle(cmd))
    this.deps.note(`rstlab: HTTP control on http://${this.httpControl.address}/v1/ (${where})`)
  }

  private httpTokenFile: string | undefined

  /** `buf` is the frame (exactly `len` bytes), valid only during this call. */
  private onFrame (port: number, buf: Buffer, len: number, truncated: boolean): void {
    if (this.stopping) return
    const now = this.now()
    if (truncated) { this.edge.inc('rstlab_rcv_truncated'); return }
    const i = port === PORT_UNKNOWN ? 0 : port
    this.health.frame(i, this.ports[i]!, buf, len)
    const r = this.engine.process(buf, port, now)
    if (r.action === 'forward' && this.opts.mode === 'bridge') this.output.forward(r.egress === PORT_UNKNOWN ? 1 - port : r.egress, buf, len)
    const emits = r.emits
    for (let i = 0; i < emits.length; i++) this.inject(emits[i]!)
    this.arm(now)
  }

  /**
   * A frame in the shed part of an over-long burst (ingress/live.ts): forwarded when it is an
   * established session's plain segment (the engine's fast path, no emits), refused otherwise.
   */
  private onShedFrame (port: number, buf: Buffer, len: number): boolean {
    if (this.stopping || this.opts.mode !== 'bridge') return false
    const r = this.engine.processEstablished(buf, port, this.now())
    if (r === undefined) return false
    this.edge.inc('rstlab_rcv_shed_kept')
    this.output.forward(r.egress === PORT_UNKNOWN ? 1 - port : r.egress, buf, len)
    return true
  }

  /** Send a forged packet (the output counts it) and log it. */
  private inject (e: Emit): void {
    this.output.inject(e)
    this.deps.log.info({ log: 'forge', kind: e.kind, toward: e.toward, port: e.port, rule: e.reason.rule, action: e.reason.action, trigger: e.reason.trigger }, e.comment)
  }

  /** Arm the one timer for the engine's next deadline (only ever moved earlier here; the handler re-arms). */
  private arm (now: number): void {
    const d = this.engine.nextDeadline()
    if (d === undefined || d >= this.timerAt) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timerAt = d
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, Math.ceil((d - now) / 1000)))
  }

  private onTimer (): void {
    this.timer = undefined
    this.timerAt = Infinity
    if (this.stopping) return
    const now = this.now()
    this.engine.advanceTo(now, emits => { for (const e of emits) this.inject(e) })
    this.arm(now)
  }

  /** The reload in progress (off the packet thread), and whether another SIGHUP came meanwhile. */
  private reloading: { cancel: () => void } | undefined
  private reloadAgain = false

  private reload (): void {
    if (this.stopping) return
    if (this.reloading !== undefined) { this.reloadAgain = true; return } // one at a time; the file is read again after it
    const off = this.deps.loadPolicyOffThread
    if (off === undefined) {
      let next: Policy
      try {
        next = this.deps.loadPolicy(this.opts.policyPath)
        this.indexPorts(next)
      } catch (e) {
        this.reloadRefused(e)
        return
      }
      this.reloaded(next, undefined)
      return
    }
    const job = off(this.opts.policyPath, this.policy, this.bridgePorts())
    this.reloading = job
    job.promise.then(r => { if (!this.stopping) this.reloaded(r.policy, r.loadMs) }, e => { if (!this.stopping) this.reloadRefused(e) })
      .finally(() => {
        this.reloading = undefined
        if (this.reloadAgain && !this.stopping) { this.reloadAgain = false; this.reload() }
      })
  }

  private reloadRefused (e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e)
    this.deps.note(`rstlab: policy reload refused, keeping the running policy: ${msg}`)
    this.deps.log.error({ log: 'system', policy: this.opts.policyPath, error: msg }, 'policy reload refused')
  }

  /** Swap in a reloaded policy; `loadMs` is the worker's time when it was loaded off the packet thread. */
  private reloaded (next: Policy, loadMs: number | undefined): void {
    const t0 = performance.now()
    this.install(next)
    const swapMs = performance.now() - t0
    const took = loadMs === undefined ? '' : ` (loaded in ${(loadMs / 1000).toFixed(1)} s off the packet path; swap ${swapMs.toFixed(1)} ms)`
    this.deps.note(`rstlab: policy reloaded from ${this.opts.policyPath}${this.opts.rematch ? ' (existing sessions re-matched)' : ''}${took}`)
    this.deps.log.info({ log: 'system', policy: this.opts.policyPath, rematch: this.opts.rematch, loadMs, swapMs }, 'policy reloaded')
  }

  /** Put `next` in force atomically (SIGHUP reload, `set`): rematch as the bridge was told. Returns the packets forged. */
  private install (next: Policy): number {
    const now = this.now()
    const res = this.engine.setPolicy(next, { rematch: this.opts.rematch, nowUs: now })
    this.policy = next
    this.policyLoadedAt = new Date()
    const n = res.emits.length
    for (const e of res.emits) this.inject(e)
    this.rearm(now)
    this.engineWarnings()
    return n
  }

  /** Re-arm the timer from scratch (after the clock or the timeouts changed, deadlines can move either way). */
  private rearm (now: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
    this.arm(now)
  }

  private closeDevices (): void {
    for (const p of this.ports) p.close()
    for (const l of this.l3) l.close()
    this.closeControl()
  }

  private closeControl (): void {
    this.control?.close()
    this.httpControl?.close()
    if (this.httpTokenFile !== undefined) { try { unlinkSync(this.httpTokenFile) } catch { /* gone */ } }
  }

  /** SIGINT/SIGTERM: stop capturing, log the end of every open session, print final counters. */
  async stop (why: string, code = 0): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    this.reloading?.cancel()
    if (this.timer !== undefined) clearTimeout(this.timer)
    if (this.watch !== undefined) clearInterval(this.watch)
    for (const p of this.ports) p.close()
    const now = this.now()
    const open = this.engine.sessionCount()
    // Ends every session through the engine so each gets its traffic-log end record (send nothing now).
    this.engine.clearSessions(now)
    for (const l of this.l3) l.close()
    this.closeControl()
    const counters = this.sampleCounters(now, false) // the ports closed above: their kernel figures are frozen
    this.deps.log.info({ log: 'system', reason: why, openSessions: open }, `rstlab ${this.opts.mode} stopped`)
    this.deps.note(`rstlab: stopped (${why}); ${open} open session(s) logged`)
    ;(this.deps.result ?? this.deps.note)(formatCounters(counters).trimEnd())
    this.resolveDone(code)
  }
}
