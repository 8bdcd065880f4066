/**
 * The control commands of a running bridge or tap (`rstlab show/clear/clock/get/set/reset`, over the
 * unix socket and HTTP): each command is one method here, working on the `BridgeHost` the live runner
 * (cli/live/runner.ts) hands in. The runner owns the devices, the real clock and the timer; this file
 * owns what the commands mean and what they reply (control/protocol.ts).
 */
import type { Emit, PacketEngine, SessionInfo } from '../engine/types.js'
import type { Policy } from '../policy/types.js'
import { RstlabError } from '../errors.js'
import {
  checkAdvance, checkReset, type ClockAdvanceReply, type ClockReply, type ControlCommand, type CountersReply, type ResetReply,
  type RuleRow, type RulesReply, type SetReply,
} from './protocol.js'
import { allSettings, getSetting, policyWithSetting } from './settings.js'
import { parseSessionFilter } from './filter.js'
import { panosTime, type SessionView } from './format.js'

/** What the commands need of the running bridge. */
export interface BridgeHost {
  readonly engine: PacketEngine
  readonly mode: 'bridge' | 'tap'
  readonly interfaces: readonly string[]
  readonly policyPath: string
  /** Policy changes (reload, `set`) re-match existing sessions. */
  readonly rematch: boolean
  readonly startedAt: Date
  /** The policy in force, and when it was put in force. */
  readonly policy: Policy
  readonly policyLoadedAt: Date
  /** µs added to the real clock by `clock advance` (engine time = real + offset). */
  readonly offsetUs: number
  /** Engine time now (µs). */
  now (): number
  /** The wall-clock time of an engine time. */
  wallOf (us: number): Date
  /** Move the engine clock forward by `us` (only ever forward). */
  addOffset (us: number): void
  /** Put `next` in force (as a reload does); returns the number of packets forged. */
  install (next: Policy): number
  /** Send a forged packet. */
  inject (e: Emit): void
  /** Arm the timer for the engine's next deadline if it moved earlier; `rearm`: from scratch. */
  arm (now: number): void
  rearm (now: number): void
  /** Engine and edge counters, with rate and optionally delta since the last sample. */
  counters (now: number, delta: boolean): CountersReply
  clearCounters (now: number): void
  log (fields: Record<string, unknown>, msg: string): void
}

export class ControlHandlers {
  constructor (private readonly host: BridgeHost) {}

  /** Answer one command (throws RstlabError for a request that cannot be served: the server replies with it). */
  handle (cmd: ControlCommand): unknown {
    const h = this.host
    const engine = h.engine
    const now = h.now()
    switch (cmd.cmd) {
      case 'sessions':
        return engine.sessions().map(s => this.sessionView(s, now))
      case 'session': {
        const s = engine.session(cmd.sid)
        if (s === undefined) throw new RstlabError('RSTLAB_ERR_USAGE', `no session ${cmd.sid}`, 'list sessions with: rstlab show sessions')
        return this.sessionView(s, now)
      }
      case 'counters':
        return h.counters(now, cmd.delta === true)
      case 'rules':
        return this.rules()
      case 'clear-sessions': {
        const n = engine.sessionCount()
        engine.clearSessions(now)
        h.arm(now)
        return { cleared: n }
      }
      case 'clear-counters':
        h.clearCounters(now)
        return { cleared: true }
      case 'info':
        return {
          mode: h.mode, interfaces: h.interfaces, pid: process.pid, policy: h.policyPath,
          startedAt: h.startedAt.toISOString(), memory: process.memoryUsage(),
        }
      case 'clock': return this.clockReply(now)
      case 'clock-advance': return this.clockAdvance(cmd.seconds)
      case 'get': return this.getSettings(cmd.key)
      case 'set': return this.setSetting(cmd.key, cmd.value)
      case 'reset': return this.resetSessions(cmd)
    }
  }

  private sessionView (s: SessionInfo, now: number): SessionView {
    const h = this.host
    const ifOfZone = (zone: string): string => {
      const z = h.policy.zones.find(z => z.name === zone)
      return z?.interfaces.find(i => h.interfaces.includes(i)) ?? (h.mode === 'tap' ? h.interfaces[0]! : 'N/A')
    }
    return {
      ...s,
      startTime: panosTime(h.wallOf(s.startUs)),
      ingress: ifOfZone(s.from),
      egress: ifOfZone(s.to),
      remainingS: Math.max(0, (s.expiresUs - now) / 1e6),
    }
  }

  private clockReply (now: number): ClockReply {
    return { offsetS: this.host.offsetUs / 1e6, engineNowUs: now, engineTime: this.host.wallOf(now).toISOString() }
  }

  /**
   * `clock advance SECONDS`: move the engine clock forward and let every timer that is now due fire, as if
   * the time had passed with no packets (aging, accelerated aging, reset-on-age-out, logs). Later packets
   * and timers keep the advanced clock.
   */
  private clockAdvance (seconds: unknown): ClockAdvanceReply {
    const h = this.host
    const us = checkAdvance(seconds)
    const aged = h.engine.counters().session_aged_out ?? 0
    h.addOffset(us)
    const now = h.now()
    const emits = h.engine.advance(now).emits
    const forged = emits.length
    for (let i = 0; i < emits.length; i++) h.inject(emits[i]!)
    h.rearm(now)
    const agedOut = (h.engine.counters().session_aged_out ?? 0) - aged
    h.log({ log: 'system', advancedS: us / 1e6, offsetS: h.offsetUs / 1e6, agedOut }, 'clock advanced')
    return { ...this.clockReply(now), advancedS: us / 1e6, agedOut, forged }
  }

  /** `get [KEY]`: one setting, or all of them. */
  private getSettings (key: string | undefined): Record<string, unknown> {
    return key === undefined ? allSettings(this.host.policy) : { [key]: getSetting(this.host.policy, key) }
  }

  /**
   * `set KEY VALUE`: the running policy with one setting changed, validated by the policy loader and put
   * in force like a SIGHUP reload (same --rematch choice). A refused value changes nothing.
   */
  private setSetting (key: string, value: unknown): SetReply {
    const h = this.host
    const previous = getSetting(h.policy, key)
    const next = policyWithSetting(h.policy, key, value)
    const forged = h.install(next)
    const now = getSetting(next, key)
    h.log({ log: 'system', key, value: now, previous, rematch: h.rematch }, 'setting changed')
    return { key, value: now, previous, rematch: h.rematch, forged }
  }

  /** `reset ID|--match FILTER --action A`: apply a firewall action to live sessions now. */
  private resetSessions (cmd: { sid?: unknown, match?: unknown, action: unknown }): ResetReply {
    const h = this.host
    const { sid, match, action } = checkReset(cmd)
    let targets: SessionInfo[]
    if (sid !== undefined) {
      const s = h.engine.session(sid)
      if (s === undefined) throw new RstlabError('RSTLAB_ERR_USAGE', `no session ${sid}`, 'list sessions with: rstlab show sessions')
      targets = [s]
    } else {
      const f = parseSessionFilter(match!)
      targets = h.engine.sessions().filter(f)
    }
    const now = h.now()
    const reply: ResetReply = { action, sessions: [], skipped: [], forged: 0 }
    for (const s of targets) {
      const r = h.engine.applyAction(s.id, action, now, 'rstlab reset')
      if (r.reason !== 'policy-deny') { reply.skipped.push({ id: s.id, state: s.state }); continue }
      reply.sessions.push(s.id)
      reply.forged += r.emits.length
      for (const e of r.emits) h.inject(e)
    }
    h.rearm(now)
    h.log({ log: 'system', action, ...(match !== undefined ? { match } : { sid }), sessions: reply.sessions }, 'sessions reset on demand')
    return reply
  }

  /** `show running security-policy`: the rules with their live session counts. */
  private rules (): RulesReply {
    const h = this.host
    const counts = new Map<string, number>()
    for (const s of h.engine.sessions()) counts.set(s.rule, (counts.get(s.rule) ?? 0) + 1)
    const list = (x: Array<{ text: string }> | string[] | 'any'): string =>
      x === 'any' ? 'any' : x.length === 1 ? txt(x[0]!) : `[ ${x.map(txt).join(' ')} ]`
    const txt = (v: { text: string } | string): string => typeof v === 'string' ? v : v.text
    const rows: RuleRow[] = h.policy.rules.map(r => ({
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
    return { source: h.policy.source, loadedAt: h.policyLoadedAt.toISOString(), rules: rows }
  }
}
