/**
 * The scenario runner: executes a parsed `Scenario` against an `Engine` on a virtual clock.
 *
 * - Time never sleeps: before each statement the clock jumps to the statement's time, and on the way
 *   it stops at every `engine.nextDeadline()` and calls `engine.advance()` so timers (age-out,
 *   time-wait, ...) fire in order, exactly when the firewall would fire them.
 * - Hosts on the client side are on port 0, server-side hosts on port 1. A host's side is what it
 *   declares (`side client|server`); otherwise hosts in the same policy zone as the first host are on
 *   the client side and the rest on the server side (first host alone on the client side when the
 *   policy has no zones for the addresses).
 * - A forwarded frame goes to the host owning its destination address; a forged frame to the host
 *   owning its destination address (the target). Each host has an inbox; `HOST gets ...` lines consume
 *   it in order (verify.ts). In strict mode (default) a packet nobody expected is a failure.
 * - Everything seen is recorded for the ladder (ladder.ts) and the per-host captures (capture.ts).
 *
 * The runner is pure apart from reading the policy file; it stops at the first failed expectation,
 * as packetdrill does, because later lines rarely make sense after one has failed.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Emit, PacketEngine, ProcessResult, SessionInfo, ThreatLogRecord, TrafficLogRecord, TraceEvent, EngineHooks, EngineOptions } from '../engine/types.js'
import type { Policy } from '../policy/types.js'
import { compilePolicy, loadPolicyFile, withOverrides } from '../policy/load.js'
import { buildFrame, type FrameSpec } from '../wire/build.js'
import { decodeFrame } from '../wire/decode.js'
import { parseIp } from '../wire/addr.js'
import { FrameSummary, LinkType } from '../wire/summary.js'
import { syntaxError } from './lexer.js'
import type { LadderEvent, Lane } from './ladder.js'
import type { Endpoint, HostDecl, Scenario, ScenarioEvent, Side } from './types.js'
import { snapshot, describe, checkPattern, type Seen, type SeqCtx } from './verify.js'
import { narrate, narrateEnd, narrateTimer } from './narrate.js'

export type EngineFactory = (opts: EngineOptions) => PacketEngine

/** What the `commit` step needs beyond PacketEngine (engine.ts has it; minimal engines may not). */
type CommitEngine = { setPolicy?: (policy: Policy, opts: { rematch?: boolean, nowUs?: number }) => ProcessResult }

/** A packet as one host saw it on its wire. */
export interface CaptureRecord {
  tsUs: number
  data: Buffer
  comment: string
}

export interface Failure {
  line: number
  col: number
  /** e.g. `packet to client field ttl: expected 64 vs actual 54`. */
  message: string
}

export interface HostRun {
  decl: HostDecl
  side: Side
  port: number
  addrBytes: Uint8Array
  inbox: Delivery[]
  capture: CaptureRecord[]
}

export interface Delivery {
  seen: Seen
  forged: boolean
  timeUs: number
  comment: string
}

export interface RunResult {
  scenario: Scenario
  policy: Policy
  passed: boolean
  /** Expectation statements checked (and held) before the end or the first failure. */
  checked: number
  failure: Failure | undefined
  ladder: LadderEvent[]
  hosts: HostRun[]
  trafficLog: TrafficLogRecord[]
  /** Traffic and threat records in the order the engine wrote them (for `run --log-format`). */
  logRecords: Array<TrafficLogRecord | ThreatLogRecord>
  /** Virtual time at the end, µs. */
  endUs: number
  /** More than one host on a side: the ladder shows host names. */
  multiHost: boolean
}

export interface RunOptions {
  engine: EngineFactory
  /** Folders searched, after the scenario's own folder, for the `policy` file (e.g. the repo's policies/). */
  policyDirs?: string[]
}

class ExpectFailed extends Error {
  constructor (readonly failure: Failure) { super(failure.message) }
}

/** A policy file named on line `at` of the scenario: next to it, then in `dirs`. */
function resolvePolicyPath (sc: Scenario, p: string, at: { line: number, col: number }, dirs: string[]): string {
  const candidates = path.isAbsolute(p) ? [p] : [path.resolve(path.dirname(sc.file), p), ...dirs.map(d => path.resolve(d, p))]
  for (const c of candidates) if (existsSync(c)) return c
  throw syntaxError(sc.file, at.line, at.col, `policy file ${p} not found`, `looked in ${candidates.map(c => path.dirname(c)).join(', ')}`)
}

/** Resolve the scenario's `policy` line to a file path. */
export function resolvePolicy (sc: Scenario, dirs: string[]): string | undefined {
  if (sc.policy === undefined) return undefined
  const p = sc.policy.path
  const candidates = path.isAbsolute(p) ? [p] : [path.resolve(path.dirname(sc.file), p), ...dirs.map(d => path.resolve(d, p))]
  for (const c of candidates) if (existsSync(c)) return c
  throw syntaxError(sc.file, sc.policy.line, sc.policy.col, `policy file ${p} not found`,
    `looked in ${candidates.map(c => path.dirname(c)).join(', ')}`)
}

/** The policy a scenario runs with: its file (or allow-all defaults) plus its `set` overrides. */
export function scenarioPolicy (sc: Scenario, dirs: string[]): Policy {
  const file = resolvePolicy(sc, dirs)
  let policy: Policy
  if (file === undefined) {
    // No `policy` line: policies/allow-all.yaml when present, else the same thing built inline.
    const fallback = dirs.map(d => path.join(d, 'allow-all.yaml')).find(f => existsSync(f))
    policy = fallback !== undefined ? loadPolicyFile(fallback) : compilePolicy({ rules: [{ name: 'allow-all', action: 'allow' }] }, '<allow-all>')
  } else policy = loadPolicyFile(file)
  if (sc.overrides.length === 0) return policy
  const o: { session: Record<string, unknown>, tcp: Record<string, unknown>, emulator: Record<string, unknown> } = { session: {}, tcp: {}, emulator: {} }
  for (const x of sc.overrides) o[x.section][x.key] = x.value
  try {
    return withOverrides(policy, o, `${sc.file} (set lines)`)
  } catch (e) {
    // Point at the first set line: the policy layer's message says which key and why.
    const first = sc.overrides[0]
    const msg = e instanceof Error ? e.message : String(e)
    throw syntaxError(sc.file, first.line, first.col, `a set line is not a valid setting: ${msg}`)
  }
}

/**
 * Run a parsed scenario.
 * @throws {RstlabError} RSTLAB_ERR_SCRIPT_SYNTAX for script errors found while running (unknown ports,
 *   missing policy file, invalid overrides); failed expectations are reported in the result, not thrown.
 */
export function runScenario (sc: Scenario, opts: RunOptions): RunResult {
  const policy = scenarioPolicy(sc, opts.policyDirs ?? [])
  return new Runner(sc, policy, opts).run()
}

const FLOW_KEY = (a: string, b: string): string => `${a}>${b}`

class Runner {
  private readonly engine: PacketEngine
  private readonly hosts: HostRun[]
  private readonly ladder: LadderEvent[] = []
  private readonly traces: TraceEvent[] = []
  private readonly trafficLog: TrafficLogRecord[] = []
  private readonly logRecords: Array<TrafficLogRecord | ThreatLogRecord> = []
  /** After the last step: sessions still open age out for the log only (see `drainForLog`). */
  private draining = false
  /** Records written since the ladder last narrated them. */
  private readonly ended: TrafficLogRecord[] = []
  private readonly ports = new Map<string, { sport: number, dport: number }>()
  private readonly scratch = new FrameSummary()
  private now = 0
  private checked = 0
  private last: { result: Pick<ProcessResult, 'action' | 'reason' | 'sessionId' | 'egress'>, line: number, counters: Set<string> } | undefined
  private lastSessionId = 0
  private readonly multiPorts: boolean

  private current: Policy
  private readonly policyDirs: string[]

  constructor (private readonly sc: Scenario, private readonly policy: Policy, opts: RunOptions) {
    this.current = policy
    this.policyDirs = opts.policyDirs ?? []
    const hooks: EngineHooks = {
      trafficLog: rec => {
        this.logRecords.push(rec)
        if (!this.draining) { this.trafficLog.push(rec); this.ended.push(rec) }
      },
      threatLog: rec => { this.logRecords.push(rec) },
      trace: ev => { this.traces.push(ev) },
    }
    this.engine = opts.engine({ policy, hooks, portNames: ['client-side', 'server-side'] })
    const firstZone = policy.zoneOfAddress(parseIp(sc.hosts[0].addr)!)
    this.hosts = sc.hosts.map((h, i) => {
      const addrBytes = parseIp(h.addr)!
      let side: Side
      if (h.side !== undefined) side = h.side
      else if (i === 0) side = 'client'
      else {
        const z = policy.zoneOfAddress(addrBytes)
        side = firstZone !== undefined && z === firstZone ? 'client' : 'server'
      }
      return { decl: h, side, port: side === 'client' ? 0 : 1, addrBytes, inbox: [], capture: [] }
    })
    const pairs = new Set<string>()
    for (const e of sc.events) if (e.kind === 'send' && e.src.port !== undefined) pairs.add(`${e.src.port}/${e.dst.port ?? ''}`)
    this.multiPorts = pairs.size > 2
  }

  run (): RunResult {
    let failure: Failure | undefined
    for (const w of this.engine.warnings) this.ladder.push({ kind: 'note', timeUs: 0, style: 'narration', text: `warning: ${w}` })
    try {
      for (const ev of this.sc.events) this.step(ev)
      this.advanceTo(this.now)
      this.checkLeftovers(this.lastLine(), 'the end of the scenario')
    } catch (e) {
      if (!(e instanceof ExpectFailed)) throw e
      failure = e.failure
      this.ladder.push({ kind: 'note', timeUs: this.now, style: 'fail', text: `line ${failure.line}: ${failure.message}` })
    }
    const sides = { client: 0, server: 0 }
    for (const h of this.hosts) sides[h.side]++
    this.drainForLog()
    return {
      scenario: this.sc, policy: this.policy, passed: failure === undefined, checked: this.checked, failure,
      ladder: this.ladder, hosts: this.hosts, trafficLog: this.trafficLog, logRecords: this.logRecords, endUs: this.now,
      multiHost: sides.client > 1 || sides.server > 1,
    }
  }

  private lastLine (): number {
    const evs = this.sc.events
    return evs.length > 0 ? evs[evs.length - 1].line : 1
  }

  private fail (ev: { line: number, col: number }, message: string): never {
    throw new ExpectFailed({ line: ev.line, col: ev.col, message })
  }

  private host (name: string): HostRun {
    return this.hosts.find(h => h.decl.name === name)!
  }

  private hostByAddr (addr: string): HostRun | undefined {
    const b = parseIp(addr)
    if (b === undefined) return undefined
    return this.hosts.find(h => h.addrBytes.length === b.length && h.addrBytes.every((x, i) => x === b[i]))
  }

  private seqCtx (): SeqCtx & { addrOf: (name: string) => string | undefined } {
    return {
      isnOf: (addr: string) => this.hostByAddr(addr)?.decl.isn,
      hostOf: (addr: string) => this.hostByAddr(addr)?.decl.name,
      addrOf: (name: string) => this.hosts.find(h => h.decl.name === name)?.decl.addr,
    }
  }

  // ----- the clock -----

  /**
   * End of the scenario means no more traffic, as for a replay's end of input: the clock runs on (for
   * `logRecords` only: the ladder, `trafficLog` and `endUs` keep the scenario's own end) until every
   * session still open has aged out with the end reason its timer gives, so each has its one record.
   */
  private drainForLog (): void {
    this.draining = true
    const engine = this.engine
    let now = this.now
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = engine.nextDeadline()
      if (due === undefined) break
      if (due > now) now = due
      engine.advance(now)
      const next = engine.nextDeadline()
      if (next !== undefined && next <= now && next <= due) now += 1
    }
    if (engine.sessionCount() > 0) engine.clearSessions(now)
  }

  /** Jump the clock to `t`, firing every engine deadline on the way, in order (engine.advanceTo). */
  private advanceTo (t: number): void {
    this.traces.length = 0
    this.engine.advanceTo(t, (emits, at) => {
      this.now = Math.max(this.now, at)
      const copy = emits.slice()
      this.narrateTimers(at)
      for (const e of copy) this.deliverForged(e, at)
    })
    this.now = Math.max(this.now, t)
  }

  /** One `○` line per session a timer ended (the engine's age trace, or its traffic-log record). */
  private narrateTimers (at: number): void {
    const aged = new Set<number>()
    for (const tr of this.traces) {
      const text = narrateTimer(tr, this.ended.find(r => r.sessionId === tr.sessionId))
      if (text === undefined) continue
      if (tr.kind === 'aged-out') aged.add(tr.sessionId)
      this.ladder.push({ kind: 'note', timeUs: at, style: 'timer', text })
    }
    for (const rec of this.ended) {
      if (!aged.has(rec.sessionId)) this.ladder.push({ kind: 'note', timeUs: at, style: 'timer', text: narrateEnd(rec) })
    }
    this.ended.length = 0
    this.traces.length = 0
  }

  // ----- statements -----

  private step (ev: ScenarioEvent): void {
    if (ev.timeUs > this.now) {
      this.checkLeftovers(ev.line, `line ${ev.line}`)
      this.advanceTo(ev.timeUs)
    }
    switch (ev.kind) {
      case 'wait': return
      case 'note': this.ladder.push({ kind: 'note', timeUs: this.now, style: 'note', text: ev.note }); return
      case 'send': this.checkLeftovers(ev.line, `line ${ev.line}`); this.send(ev); return
      case 'expect-packet': {
        this.checked++
        const h = this.host(ev.host)
        const ctx = this.seqCtx()
        if (ev.pattern.any) {
          if (h.inbox.length === 0) this.fail(ev, `${h.decl.name} received nothing, expected a packet`)
          h.inbox.shift()
          return
        }
        if (!this.sc.strict) {
          const i = h.inbox.findIndex(d => checkPattern(ev.pattern, d, h.decl, ctx) === undefined)
          if (i >= 0) { h.inbox.splice(i, 1); return }
        }
        const d = h.inbox[0]
        if (d === undefined) this.fail(ev, `${h.decl.name} received nothing, expected ${ev.text.replace(/^.*?gets\s+/, '')}`)
        const err = checkPattern(ev.pattern, d, h.decl, ctx)
        if (err !== undefined) this.fail(ev, `packet to ${h.decl.name} field ${err}`)
        h.inbox.shift()
        return
      }
      case 'expect-nothing': {
        this.checked++
        const h = this.host(ev.host)
        const d = h.inbox[0]
        if (d !== undefined) this.fail(ev, `${h.decl.name} should have received nothing, but got ${this.describeDelivery(d)}`)
        return
      }
      case 'expect-drop': case 'expect-forward': {
        this.checked++
        if (this.last === undefined) this.fail(ev, 'no packet has been sent yet, so there is no verdict to check')
        const r = this.last.result
        if (ev.kind === 'expect-forward') {
          if (r.action !== 'forward') this.fail(ev, `firewall verdict for line ${this.last.line}: expected forward vs actual drop (${r.reason})`)
          return
        }
        if (r.action !== 'drop') this.fail(ev, `firewall verdict for line ${this.last.line}: expected drop${ev.reason !== undefined ? ` (${ev.reason})` : ''} vs actual forward`)
        // The reason may be named as the verdict's reason or as any counter this packet incremented.
        if (ev.reason !== undefined && r.reason !== ev.reason && !this.last.counters.has(ev.reason)) {
          this.fail(ev, `firewall drop reason for line ${this.last.line}: expected ${ev.reason} vs actual ${r.reason}`)
        }
        return
      }
      case 'expect-session': this.checked++; this.checkSession(ev); return
      case 'commit': this.commit(ev); return
      case 'expect-sessions': {
        this.checked++
        const n = this.engine.sessionCount()
        if (!compare(n, ev.op, ev.count)) this.fail(ev, `session count: expected ${ev.op === '=' ? '' : ev.op + ' '}${ev.count} vs actual ${n}`)
        return
      }
      case 'expect-counter': {
        this.checked++
        const v = this.engine.counters()[ev.name] ?? 0
        if (!compare(v, ev.op, ev.value)) this.fail(ev, `counter ${ev.name}: expected ${ev.op === '=' ? '' : ev.op + ' '}${ev.value} vs actual ${v}`)
      }
    }
  }

  /** Strict mode: nothing may sit unexpected in an inbox when the script moves on. */
  private checkLeftovers (line: number, where: string): void {
    if (!this.sc.strict) { for (const h of this.hosts) h.inbox.length = 0; return }
    for (const h of this.hosts) {
      const d = h.inbox[0]
      if (d !== undefined) {
        throw new ExpectFailed({
          line, col: 1,
          message: `${h.decl.name} received a packet the script does not expect before ${where}: ${this.describeDelivery(d)}` +
            ` (add a \`${h.decl.name} gets ...\` line, or \`strict off\`)`,
        })
      }
    }
  }

  private describeDelivery (d: Delivery): string {
    return `${d.forged ? 'forged ' : ''}${describe(d.seen, this.seqCtx(), true)}`
  }

  private endpoints (ev: { src: Endpoint, dst: Endpoint, line: number }): { sport: number, dport: number } {
    const key = FLOW_KEY(ev.src.host, ev.dst.host)
    const known = this.ports.get(key)
    const sport = ev.src.port ?? known?.sport
    const dport = ev.dst.port ?? known?.dport
    if (sport === undefined || dport === undefined) {
      const missing = sport === undefined ? ev.src : ev.dst
      throw syntaxError(this.sc.file, missing.line, missing.col, `no port known for ${missing.host} in this flow`,
        `write ${ev.src.host}:PORT > ${ev.dst.host}:PORT the first time these hosts talk`)
    }
    this.ports.set(key, { sport, dport })
    this.ports.set(FLOW_KEY(ev.dst.host, ev.src.host), { sport: dport, dport: sport })
    return { sport, dport }
  }

  private send (ev: Extract<ScenarioEvent, { kind: 'send' }>): void {
    const src = this.host(ev.src.host)
    const dst = this.host(ev.dst.host)
    const p = ev.packet
    if (src.decl.version !== dst.decl.version) {
      throw syntaxError(this.sc.file, ev.line, ev.col, `${src.decl.name} is IPv${src.decl.version} and ${dst.decl.name} is IPv${dst.decl.version}`)
    }
    const spec: FrameSpec = {
      srcMac: src.decl.mac, dstMac: dst.decl.mac, src: src.decl.addr, dst: dst.decl.addr, ttl: p.ttl ?? src.decl.ttl,
      vlans: p.vlans ?? src.decl.vlans,
    }
    if (p.ipId !== undefined) spec.ipId = p.ipId
    if (p.df !== undefined) spec.df = p.df
    if (p.proto === 'tcp') {
      const { sport, dport } = this.endpoints(ev)
      const seq = p.seq === undefined ? src.decl.isn : p.seq.abs ? p.seq.value : (src.decl.isn + p.seq.value) >>> 0
      const ack = p.ack === undefined ? 0 : p.ack.abs ? p.ack.value : (dst.decl.isn + p.ack.value) >>> 0
      const o = p.options
      spec.tcp = {
        sport, dport, seq, ack, flags: p.flags, window: p.win ?? 65535,
        options: o === undefined ? undefined : { mss: o.mss, wscale: o.wscale, sackPermitted: o.sackOk, ts: o.ts },
      }
      spec.payload = p.payload
    } else if (p.proto === 'udp') {
      const { sport, dport } = this.endpoints(ev)
      spec.udp = { sport, dport }
      spec.payload = p.payload
    } else {
      spec.icmp = { type: p.icmpType!, code: p.icmpCode!, id: p.icmpId ?? 0, seqNo: p.icmpSeq ?? 0 }
      // An ICMP error quotes the packet it answers: the last one this host received from the peer.
      spec.payload = p.payload.length > 0 ? p.payload : this.quoteFor(src, dst)
    }
    let frame: Buffer
    try {
      frame = buildFrame(spec)
    } catch (e) {
      throw syntaxError(this.sc.file, ev.line, ev.col, `cannot build this packet: ${e instanceof Error ? e.message : String(e)}`)
    }
    const seen = snapshot(frame, this.scratch)
    const label = this.label(seen)
    // The engine may rewrite a forwarded frame in place (zone protection, SYN-cookie sequence
    // translation): keep what the sender sent for its capture, deliver what the firewall forwarded.
    const sent = Buffer.from(frame)
    this.traces.length = 0
    const before = counterMap(this.engine.counters())
    const r = this.engine.process(frame, src.port, this.now)
    const result = { action: r.action, reason: r.reason, sessionId: r.sessionId, egress: r.egress }
    const emits = r.emits.slice()
    const after = counterMap(this.engine.counters())
    const bumped = new Set<string>()
    for (const [k, v] of after) if (v !== (before.get(k) ?? 0)) bumped.add(k)
    this.last = { result, line: ev.line, counters: bumped }
    if (r.sessionId !== 0) this.lastSessionId = r.sessionId
    const from: Lane = src.side
    const to: Lane = src.side === 'client' ? 'server' : 'client'
    if (r.action === 'forward') {
      const target = this.hostByAddr(seen.dst)
      src.capture.push({ tsUs: this.now, data: sent, comment: `${src.decl.name} sent this; the firewall forwarded it` })
      this.ladder.push({ kind: 'packet', timeUs: this.now, from, to, fate: 'forwarded', label, host: src.decl.name })
      this.pushNarration(result)
      if (target !== undefined && target !== src) {
        const copy = Buffer.from(frame)
        target.capture.push({ tsUs: this.now, data: copy, comment: `forwarded by the firewall from ${src.decl.name}` })
        target.inbox.push({ seen: snapshot(copy, this.scratch), forged: false, timeUs: this.now, comment: '' })
      } else {
        this.ladder.push({ kind: 'note', timeUs: this.now, style: 'narration', text: `no host in the scenario has address ${seen.dst}: the packet goes nowhere` })
      }
    } else {
      src.capture.push({ tsUs: this.now, data: sent, comment: `${src.decl.name} sent this; the firewall dropped it (${result.reason})` })
      this.ladder.push({ kind: 'packet', timeUs: this.now, from, to: 'firewall', fate: 'dropped', label, host: src.decl.name })
      this.pushNarration(result)
    }
    for (const e of emits) this.deliverForged(e, this.now)
  }

  private pushNarration (r: { action: string, reason: string, sessionId: number }): void {
    const info = r.sessionId !== 0 ? this.engine.session(r.sessionId) : undefined
    for (const text of narrate(r, this.traces, info)) {
      this.ladder.push({ kind: 'note', timeUs: this.now, style: 'narration', text })
    }
    this.ended.length = 0
    this.traces.length = 0
  }

  /** IP header + 8 bytes of the last packet `src` received from `dst` (RFC 792's quote). */
  private quoteFor (src: HostRun, dst: HostRun): Buffer {
    for (let i = src.capture.length - 1; i >= 0; i--) {
      const rec = src.capture[i]
      if (this.hostByAddr(snapshot(rec.data, this.scratch).src) !== dst) continue
      const s = decodeFrame(rec.data, LinkType.ETHERNET, this.scratch)
      if (s.l3Off < 0) continue
      return Buffer.from(rec.data.subarray(s.l3Off, Math.min(rec.data.length, s.l3Off + s.l3HeaderLen + 8)))
    }
    return Buffer.alloc(0)
  }

  private deliverForged (e: Emit, at: number): void {
    const seen = snapshot(e.frame, this.scratch)
    const target = this.hostByAddr(seen.dst)
    const lane: Lane = target !== undefined ? target.side : (e.toward === 'client' ? 'client' : 'server')
    const why = `${e.reason.action}${e.reason.rule !== '' ? `, rule ${e.reason.rule}` : ''}`
    this.ladder.push({ kind: 'packet', timeUs: at, from: 'firewall', to: lane, fate: 'forged', label: `${this.label(seen)}  (forged: ${why})`, host: target?.decl.name })
    if (target === undefined) return
    target.capture.push({ tsUs: at, data: Buffer.from(e.frame), comment: e.comment })
    target.inbox.push({ seen, forged: true, timeUs: at, comment: e.comment })
  }

  private label (seen: Seen): string {
    return describe(seen, this.seqCtx(), this.multiPorts)
  }

  // ----- sessions -----

  /** `commit POLICY|set K V [rematch]`: the engine takes the new policy now; RSTs it forges are delivered. */
  private commit (ev: Extract<ScenarioEvent, { kind: 'commit' }>): void {
    const eng = this.engine as PacketEngine & CommitEngine
    if (eng.setPolicy === undefined) throw syntaxError(this.sc.file, ev.line, ev.col, 'this engine cannot change its policy (no setPolicy)')
    const c = ev.commit
    let next: Policy
    if (c.kind === 'policy') {
      next = loadPolicyFile(resolvePolicyPath(this.sc, c.path, ev, this.policyDirs))
    } else {
      try {
        next = withOverrides(this.current, { [c.section]: { [c.key]: c.value } }, `${this.sc.file}:${ev.line}`)
      } catch (e) {
        throw syntaxError(this.sc.file, ev.line, ev.col, `commit set is not a valid setting: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    this.current = next
    this.traces.length = 0
    const emits = eng.setPolicy(next, { rematch: c.rematch, nowUs: this.now }).emits.slice()
    const what = c.kind === 'policy' ? `policy ${c.path}` : `${c.section}.${c.key} ${String(c.value)}`
    this.ladder.push({ kind: 'note', timeUs: this.now, style: 'timer', text: `commit: ${what}${c.rematch ? ', open sessions matched again' : ''}` })
    for (const text of narrate({ action: 'forward', reason: 'ok', sessionId: 0 }, this.traces, undefined)) {
      this.ladder.push({ kind: 'note', timeUs: this.now, style: 'narration', text })
    }
    for (const rec of this.ended) this.ladder.push({ kind: 'note', timeUs: this.now, style: 'timer', text: narrateEnd(rec) })
    this.ended.length = 0
    this.traces.length = 0
    for (const e of emits) this.deliverForged(e, this.now)
  }

  private findSession (ev: Extract<ScenarioEvent, { kind: 'expect-session' }>): { info: SessionInfo | undefined, id: number } {
    if (ev.id !== undefined) {
      const info = this.engine.session(ev.id)
      if (info === undefined && !this.trafficLog.some(r => r.sessionId === ev.id)) {
        const ids = [...new Set([...this.engine.sessions().map(x => x.id), ...this.trafficLog.map(r => r.sessionId)])].filter(x => x !== 0).sort((a, b) => a - b)
        this.fail(ev, `no session #${ev.id}; sessions so far: ${ids.length === 0 ? '(none)' : ids.map(x => '#' + String(x)).join(', ')}`)
      }
      return { info, id: ev.id }
    }
    if (ev.flow === undefined) {
      const id = this.last?.result.sessionId !== undefined && this.last.result.sessionId !== 0 ? this.last.result.sessionId : this.lastSessionId
      if (id === 0) this.fail(ev, 'no packet so far belonged to a session; name the flow: session client:PORT > server:PORT ...')
      return { info: this.engine.session(id), id }
    }
    const a = this.host(ev.flow.src.host)
    const b = this.host(ev.flow.dst.host)
    const known = this.ports.get(FLOW_KEY(a.decl.name, b.decl.name))
    const sport = ev.flow.src.port ?? known?.sport
    const dport = ev.flow.dst.port ?? known?.dport
    const matches = (s: { src: string, sport: number, dst: string, dport: number }): boolean => {
      const fwd = this.hostByAddr(s.src) === a && this.hostByAddr(s.dst) === b && (sport === undefined || s.sport === sport) && (dport === undefined || s.dport === dport)
      const rev = this.hostByAddr(s.src) === b && this.hostByAddr(s.dst) === a && (sport === undefined || s.dport === sport) && (dport === undefined || s.sport === dport)
      return fwd || rev
    }
    const live = this.engine.sessions().filter(matches).sort((x, y) => y.id - x.id)[0]
    if (live !== undefined) return { info: live, id: live.id }
    const ended = this.trafficLog.filter(matches).sort((x, y) => y.sessionId - x.sessionId)[0]
    return { info: undefined, id: ended?.sessionId ?? 0 }
  }

  private checkSession (ev: Extract<ScenarioEvent, { kind: 'expect-session' }>): void {
    const { info, id } = this.findSession(ev)
    const log = this.trafficLog.filter(r => r.sessionId === id).pop()
    const alive = info !== undefined && info.state !== 'CLOSED'
    if (ev.gone && alive) this.fail(ev, `session ${id}: expected gone vs actual ${info.state}${info.tcpState !== undefined ? ` (${info.tcpState})` : ''}, expires in ${((info.expiresUs - this.now) / 1e6).toFixed(3)} s`)
    if (!ev.gone && !alive && ev.checks.some(c => c.field !== 'end' && c.field !== 'app')) {
      this.fail(ev, id === 0 ? 'no such session: it never existed' : `session ${id} is gone (${log?.endReason ?? 'ended'}), so its ${ev.checks[0].field} cannot be checked`)
    }
    for (const c of ev.checks) {
      let actual: string | undefined
      switch (c.field) {
        case 'state': actual = info?.state; break
        case 'tcp-state': actual = info?.tcpState; break
        case 'app': actual = info?.application ?? log?.application; break
        case 'end': actual = log?.endReason ?? info?.endReason ?? undefined; break
        case 'rule': actual = info?.rule ?? log?.rule; break
        case 'action': actual = info?.action ?? log?.action; break
        case 'timeout':
          actual = info === undefined ? undefined : String(info.timeoutS)
          if (info !== undefined && Number(c.value) === info.timeoutS) actual = c.value
          break
        case 'from': actual = info?.from ?? log?.fromZone; break
        case 'to': actual = info?.to ?? log?.toZone; break
      }
      if (actual !== c.value) this.fail(c, `session ${id} field ${c.field}: expected ${c.value} vs actual ${actual ?? '(none)'}`)
    }
  }
}

function counterMap (c: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(c))
}

function compare (a: number, op: string, b: number): boolean {
  switch (op) {
    case '>=': return a >= b
    case '<=': return a <= b
    case '>': return a > b
    default: return a === b
  }
}

