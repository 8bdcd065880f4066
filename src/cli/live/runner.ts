/**
 * The live runner behind `rstlab bridge` and `rstlab tap`: devices in, engine, devices out, a real
 * clock and one timer, the control socket, signals and logs. All policy/session logic is the engine's;
 * this file only moves frames and time.
 *
 * Per captured frame: engine.process(frame, port, now) → forward the frame unchanged out of the other
 * port (same bytes, no copy) → send the forged emits on their port → make sure the timer is armed for
 * engine.nextDeadline().
 */
import type { Logger } from 'pino'
import { PORT_UNKNOWN, type Emit, type PacketEngine, type SessionInfo, type TrafficLogRecord, type ThreatLogRecord, type TraceEvent } from '../../engine/types.js'
import type { Policy } from '../../policy/types.js'
import { traceStage, traceText } from '../../engine/trace-text.js'
import { RstlabError } from '../../errors.js'
import { LivePort, classifySendError } from '../../ingress/live.js'
import { badOffloads, ifaceExists, ifaceInfo, offloadHint } from '../../ingress/iface.js'
import { L3Injector } from '../../egress/l3.js'
import { ControlServer } from '../../control/server.js'
import { HttpControl, parseHttpAddress } from '../../control/http.js'
import { randomBytes } from 'node:crypto'
import { unlinkSync, writeFileSync } from 'node:fs'
import { checkAdvance, checkReset, type ClockAdvanceReply, type ClockReply, type ControlCommand, type ResetReply, type RuleRow, type RulesReply, type SetReply } from '../../control/protocol.js'
import { allSettings, getSetting, policyWithSetting } from '../../control/settings.js'
import { parseSessionFilter } from '../../control/filter.js'
import type { SessionView } from '../../control/format.js'
import { formatCounters } from '../../control/format.js'
import { realClock, panosTime, type Clock } from './clock.js'
import { CounterSampler, EdgeCounters, engineCounterRows } from './counters.js'
import { FrameSummary, LinkType } from '../../wire/summary.js'
import { decodeFrame } from '../../wire/decode.js'
import { verifyChecksums } from '../../wire/checksum.js'
import { PanosLogFormatter } from '../../logs/panos-format.js'
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
  makeEngine: (policy: Policy, hooks: {
    trafficLog: (rec: TrafficLogRecord) => void
    threatLog: (rec: ThreatLogRecord) => void
    trace?: (ev: TraceEvent) => void
  }, portNames: [string, string]) => PacketEngine
  log: Logger
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
  private control: ControlServer | undefined
  private httpControl: HttpControl | undefined
  private readonly edge = new EdgeCounters()
  private readonly sampler: CounterSampler
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private watch: NodeJS.Timeout | undefined
  private readonly downNoted = new Set<string>()
  private overMtuNoted = false
  private csumNoted = false
  /** Frames seen per port, for checksum sampling. */
  private readonly seen = [0, 0]
  private readonly csumSummary = new FrameSummary()
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
    const names: [string, string] = opts.mode === 'bridge'
      ? [opts.interfaces[0]!, opts.interfaces[1]!]
      : [opts.interfaces[0]!, opts.interfaces[0]!]
    this.portNames = names
    const fmt = opts.panosFormat
    const logLine = deps.logLine
    const pinoRecords = opts.pinoRecords !== false
    // PAN-OS shapes: engine µs become wall-clock times here, at the edge (the engine never sees a date).
    const panos = fmt !== undefined && logLine !== undefined
      ? new PanosLogFormatter({ wallMs: us => this.clock.wallOf(us).getTime(), interfaceOf: zone => { const i = this.ifOfZone(zone); return i === 'N/A' ? '' : i } })
      : undefined
    this.engine = deps.makeEngine(this.policy, {
      trafficLog: rec => {
        if (pinoRecords) deps.log.info({ ...rec, log: 'traffic' }, 'TRAFFIC')
        if (panos !== undefined) logLine!(panos.line(fmt!, rec), 6)
      },
      threatLog: rec => {
        if (pinoRecords) deps.log.warn({ ...rec, log: 'threat' }, 'THREAT')
        if (panos !== undefined) logLine!(panos.line(fmt!, rec), syslogSeverity(rec.severity))
      },
      ...(opts.trace ? { trace: (ev: TraceEvent) => deps.log.debug({ ...ev, stage: traceStage(ev), log: 'trace' }, traceText(ev)) } : {}),
    }, names)
    this.sampler = new CounterSampler(this.now())
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
          { ...(this.opts.ringBytes !== undefined ? { ringBytes: this.opts.ringBytes } : {}), onShed: () => this.edge.inc('rstlab_rcv_shed') }))
      })
      this.control = await ControlServer.listen(this.opts.controlPath, cmd => this.onControl(cmd))
      if (this.opts.http !== undefined) await this.listenHttp(this.opts.http)
    } catch (e) {
      this.closeDevices()
      throw e
    }
    process.on('SIGINT', () => { void this.stop('SIGINT') })
    process.on('SIGTERM', () => { void this.stop('SIGTERM') })
    process.on('SIGHUP', () => this.reload())
    this.watch = setInterval(() => this.watchInterfaces(), 1000)
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
    this.httpControl = await HttpControl.listen(addr, token, cmd => this.onControl(cmd))
    this.deps.note(`rstlab: HTTP control on http://${this.httpControl.address}/v1/ (${where})`)
  }

  private httpTokenFile: string | undefined

  /** `buf` is the frame (exactly `len` bytes), valid only during this call. */
  private onFrame (port: number, buf: Buffer, len: number, truncated: boolean): void {
    if (this.stopping) return
    const now = this.now()
    if (truncated) { this.edge.inc('rstlab_rcv_truncated'); return }
    const ingress = this.ports[port === PORT_UNKNOWN ? 0 : port]!
    if (len > ingress.maxFrame) this.overMtu(ingress, len)
    const n = ++this.seen[port === PORT_UNKNOWN ? 0 : port]!
    if (n <= 256 || (n & 1023) === 0) this.sampleChecksum(ingress, buf)
    const frame = buf
    const r = this.engine.process(frame, port, now)
    if (r.action === 'forward' && this.opts.mode === 'bridge') {
      const out = r.egress === PORT_UNKNOWN ? 1 - port : r.egress
      this.sendOn(out, frame, len)
    }
    const emits = r.emits
    for (let i = 0; i < emits.length; i++) this.inject(emits[i]!)
    this.arm(now)
  }

  private sendOn (port: number, frame: Buffer, len: number): boolean {
    const p = this.ports[port]
    if (p === undefined) return false
    try {
      p.send(frame, len)
      this.edge.pktSent++
      return true
    } catch (e) {
      const kind = classifySendError(e)
      if (kind === 'too-big') this.edge.inc('rstlab_tx_over_mtu')
      else if (kind === 'down' || kind === 'gone') this.edge.inc('rstlab_tx_if_down')
      else this.edge.inc('rstlab_tx_err')
      return false
    }
  }

  private inject (e: Emit): void {
    let ok: boolean
    if (this.l3.length > 0) ok = (this.l3[e.port] ?? this.l3[0]!).send(e.frame)
    else {
      const port = e.port === PORT_UNKNOWN ? -1 : e.port
      ok = port >= 0 && this.sendOn(port, e.frame, e.frame.length)
    }
    if (ok) this.edge.inc('rstlab_inject_sent'); else this.edge.inc('rstlab_inject_err')
    this.deps.log.info({ log: 'forge', kind: e.kind, toward: e.toward, port: e.port, rule: e.reason.rule, action: e.reason.action, trigger: e.reason.trigger }, e.comment)
  }

  private overMtu (port: LivePort, len: number): void {
    this.edge.inc('rstlab_rcv_over_mtu')
    if (this.overMtuNoted) return
    this.overMtuNoted = true
    const msg = `rstlab: warning: received a ${len}-byte frame on ${port.name} (MTU ${port.mtu}): offloads (GRO/LRO here, or TSO/GSO on the ` +
      'sender) merge segments; such frames cannot be forwarded and are counted as rstlab_tx_over_mtu'
    this.deps.note(msg)
    this.deps.note(`  → ${offloadHint(this.opts.interfaces)}`)
    this.deps.log.warn({ log: 'system', len, interface: port.name, mtu: port.mtu }, 'frame over MTU')
  }

  /**
   * Checksum sampling (the first 256 frames per port, then one in 1024): a sender with checksum offload
   * hands the wire frames whose TCP/UDP checksum is unfinished; re-sent from userspace they reach the
   * receiver broken and are dropped there. Said once, with the fix; counted as rstlab_rcv_bad_csum.
   */
  private sampleChecksum (port: LivePort, frame: Buffer): void {
    const s = decodeFrame(frame, LinkType.ETHERNET, this.csumSummary)
    if (s.error !== 0 || s.l4Off < 0) return
    if (verifyChecksums(s) === 0) return
    this.edge.inc('rstlab_rcv_bad_csum')
    if (this.csumNoted) return
    this.csumNoted = true
    this.deps.note(`rstlab: warning: frames with wrong checksums arrive on ${port.name}: the sender probably uses checksum ` +
      'offload (the kernel leaves the checksum for the NIC); forwarded as they are, the receiver will drop them')
    this.deps.note(`  → on the host or veth peer sending into ${port.name}: ethtool -K PEER tx off (docs/lab.md, Offloads)`)
    this.deps.log.warn({ log: 'system', interface: port.name }, 'bad checksums received (checksum offload?)')
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

  private reload (): void {
    let next: Policy
    try {
      next = this.deps.loadPolicy(this.opts.policyPath)
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      this.deps.note(`rstlab: policy reload refused, keeping the running policy: ${msg}`)
      this.deps.log.error({ log: 'system', policy: this.opts.policyPath, error: msg }, 'policy reload refused')
      return
    }
    this.install(next)
    this.deps.note(`rstlab: policy reloaded from ${this.opts.policyPath}${this.opts.rematch ? ' (existing sessions re-matched)' : ''}`)
    this.deps.log.info({ log: 'system', policy: this.opts.policyPath, rematch: this.opts.rematch }, 'policy reloaded')
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

  private watchInterfaces (): void {
    for (const n of this.opts.interfaces) {
      if (!ifaceExists(n)) {
        this.deps.note(`rstlab: interface \`${n}\` disappeared; stopping`)
        void this.stop('interface-gone', 2)
        return
      }
      const up = ifaceInfo(n).up
      if (!up && !this.downNoted.has(n)) {
        this.downNoted.add(n)
        this.deps.note(`rstlab: warning: interface \`${n}\` is down; frames to it are dropped (rstlab_tx_if_down) until: ip link set ${n} up`)
        this.deps.log.warn({ log: 'system', interface: n }, 'interface down')
      } else if (up && this.downNoted.has(n)) {
        this.downNoted.delete(n)
        this.deps.note(`rstlab: interface \`${n}\` is up again`)
      }
    }
  }

  /** The bridged interface of a zone ('N/A' when none; a tap's one interface). */
  private ifOfZone (zone: string): string {
    const z = this.policy.zones.find(z => z.name === zone)
    return z?.interfaces.find(i => this.opts.interfaces.includes(i)) ?? (this.opts.mode === 'tap' ? this.opts.interfaces[0]! : 'N/A')
  }

  private sessionView (s: ReturnType<PacketEngine['sessions']>[number], now: number): SessionView {
    const ifOfZone = (zone: string): string => this.ifOfZone(zone)
    return {
      ...s,
      startTime: panosTime(this.clock.wallOf(s.startUs)),
      ingress: ifOfZone(s.from),
      egress: ifOfZone(s.to),
      remainingS: Math.max(0, (s.expiresUs - now) / 1e6),
    }
  }

  private onControl (cmd: ControlCommand): unknown {
    const now = this.now()
    switch (cmd.cmd) {
      case 'sessions':
        return this.engine.sessions().map(s => this.sessionView(s, now))
      case 'session': {
        const s = this.engine.session(cmd.sid)
        if (s === undefined) throw new RstlabError('RSTLAB_ERR_USAGE', `no session ${cmd.sid}`, 'list sessions with: rstlab show sessions')
        return this.sessionView(s, now)
      }
      case 'counters':
        return this.sampler.sample(engineCounterRows(this.engine.counters()), this.edge, now, cmd.delta === true)
      case 'rules':
        return this.rules()
      case 'clear-sessions': {
        const n = this.engine.sessions().length
        this.engine.clearSessions(now)
        this.arm(now)
        return { cleared: n }
      }
      case 'clear-counters':
        this.engine.clearCounters()
        this.edge.clear()
        this.sampler.reset(now)
        return { cleared: true }
      case 'info':
        return {
          mode: this.opts.mode, interfaces: this.opts.interfaces, pid: process.pid, policy: this.opts.policyPath,
          startedAt: this.startedAt.toISOString(),
        }
      case 'clock': return this.clockReply(now)
      case 'clock-advance': return this.clockAdvance(cmd.seconds)
      case 'get': return this.getSettings(cmd.key)
      case 'set': return this.setSetting(cmd.key, cmd.value)
      case 'reset': return this.resetSessions(cmd)
    }
  }

  // ---- control commands that change the running bridge (one method per command) -----------------

  private clockReply (now: number): ClockReply {
    return { offsetS: this.offsetUs / 1e6, engineNowUs: now, engineTime: this.clock.wallOf(now).toISOString() }
  }

  /**
   * `clock advance SECONDS`: move the engine clock forward and let every timer that is now due fire, as if
   * the time had passed with no packets (aging, accelerated aging, reset-on-age-out, logs). Later packets
   * and timers keep the advanced clock.
   */
  private clockAdvance (seconds: unknown): ClockAdvanceReply {
    const us = checkAdvance(seconds)
    const aged = this.engine.counters().session_aged_out ?? 0
    this.offsetUs += us
    const now = this.now()
    const emits = this.engine.advance(now).emits
    const forged = emits.length
    for (let i = 0; i < emits.length; i++) this.inject(emits[i]!)
    this.rearm(now)
    const agedOut = (this.engine.counters().session_aged_out ?? 0) - aged
    this.deps.log.info({ log: 'system', advancedS: us / 1e6, offsetS: this.offsetUs / 1e6, agedOut }, 'clock advanced')
    return { ...this.clockReply(now), advancedS: us / 1e6, agedOut, forged }
  }

  /** `get [KEY]`: one setting, or all of them. */
  private getSettings (key: string | undefined): Record<string, unknown> {
    return key === undefined ? allSettings(this.policy) : { [key]: getSetting(this.policy, key) }
  }

  /**
   * `set KEY VALUE`: the running policy with one setting changed, validated by the policy loader and put
   * in force like a SIGHUP reload (same --rematch choice). A refused value changes nothing.
   */
  private setSetting (key: string, value: unknown): SetReply {
    const previous = getSetting(this.policy, key)
    const next = policyWithSetting(this.policy, key, value)
    const forged = this.install(next)
    const now = getSetting(next, key)
    this.deps.log.info({ log: 'system', key, value: now, previous, rematch: this.opts.rematch }, 'setting changed')
    return { key, value: now, previous, rematch: this.opts.rematch, forged }
  }

  /** `reset ID|--match FILTER --action A`: apply a firewall action to live sessions now. */
  private resetSessions (cmd: { sid?: unknown, match?: unknown, action: unknown }): ResetReply {
    const { sid, match, action } = checkReset(cmd)
    let targets: SessionInfo[]
    if (sid !== undefined) {
      const s = this.engine.session(sid)
      if (s === undefined) throw new RstlabError('RSTLAB_ERR_USAGE', `no session ${sid}`, 'list sessions with: rstlab show sessions')
      targets = [s]
    } else {
      const f = parseSessionFilter(match!)
      targets = this.engine.sessions().filter(f)
    }
    const now = this.now()
    const reply: ResetReply = { action, sessions: [], skipped: [], forged: 0 }
    for (const s of targets) {
      const r = this.engine.applyAction(s.id, action, now, 'rstlab reset')
      if (r.reason !== 'policy-deny') { reply.skipped.push({ id: s.id, state: s.state }); continue }
      reply.sessions.push(s.id)
      reply.forged += r.emits.length
      for (const e of r.emits) this.inject(e)
    }
    this.rearm(now)
    this.deps.log.info({ log: 'system', action, ...(match !== undefined ? { match } : { sid }), sessions: reply.sessions }, 'sessions reset on demand')
    return reply
  }

  private rules (): RulesReply {
    const counts = new Map<string, number>()
    for (const s of this.engine.sessions()) counts.set(s.rule, (counts.get(s.rule) ?? 0) + 1)
    const list = (x: Array<{ text: string }> | string[] | 'any'): string =>
      x === 'any' ? 'any' : x.length === 1 ? txt(x[0]!) : `[ ${x.map(txt).join(' ')} ]`
    const txt = (v: { text: string } | string): string => typeof v === 'string' ? v : v.text
    const rows: RuleRow[] = this.policy.rules.map(r => ({
      index: r.index,
      name: r.name,
      from: list(r.from),
      to: list(r.to),
      source: list(r.source),
      destination: list(r.destination),
      application: list(r.application),
      service: r.service.map(s => s.kind === 'port' ? s.text : s.kind).join(','),
      action: r.action,
      icmpUnreachable: r.icmpUnreachable,
      sessions: counts.get(r.name) ?? 0,
    }))
    return { source: this.policy.source, loadedAt: this.policyLoadedAt.toISOString(), rules: rows }
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
    if (this.timer !== undefined) clearTimeout(this.timer)
    if (this.watch !== undefined) clearInterval(this.watch)
    for (const p of this.ports) p.close()
    const now = this.now()
    const open = this.engine.sessions().length
    // Ends every session through the engine so each gets its traffic-log end record (send nothing now).
    this.engine.clearSessions(now)
    for (const l of this.l3) l.close()
    this.closeControl()
    const counters = this.sampler.sample(engineCounterRows(this.engine.counters()), this.edge, now, false)
    this.deps.log.info({ log: 'system', reason: why, openSessions: open }, `rstlab ${this.opts.mode} stopped`)
    this.deps.note(`rstlab: stopped (${why}); ${open} open session(s) logged`)
    ;(this.deps.result ?? this.deps.note)(formatCounters(counters).trimEnd())
    this.resolveDone(code)
  }
}
