/**
 * Names and ranks the engine stores as small integers, and the builders of the objects it hands out
 * (traffic-log and threat-log records, SessionInfo, trace flows). Builders allocate: they run per
 * session end or on request, never per forwarded packet. They read the session table and the
 * engine's string table (`strs`: the rule, zone and application columns index it).
 */
import type { Action } from '../policy/types.js'
import { formatIp } from '../wire/addr.js'
import { type FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../wire/summary.js'
import { SF, SESSION_STATE_NAMES, SessState, type SessionTable, TCP_STATE_NAMES, TcpSt } from '../session/table.js'
import type { EndReason, SessionInfo, ThreatLogRecord, TraceFlow, TrafficLogRecord } from './types.js'

const US = 1_000_000

/**
 * PAN-OS end reasons in priority order (see docs/panos-model.md#end-reasons); rank = index + 1, 0 = none recorded.
 * Only the top-ranked reason a session collected is logged, with one exception (see `betterEnd`).
 */
export const END_REASONS: readonly EndReason[] = [
  'threat', 'policy-deny', 'tcp-rst-from-client', 'tcp-rst-from-server', 'resources-unavailable',
  'tcp-fin', 'tcp-reuse', 'aged-out', 'unknown',
]
export const enum End {
  NONE = 0, THREAT = 1, POLICY_DENY = 2, RST_CLIENT = 3, RST_SERVER = 4, RESOURCES = 5, FIN = 6, REUSE = 7,
  AGED_OUT = 8, UNKNOWN = 9,
}

/**
 * Should `next` replace the recorded `cur`? Higher priority wins. Exception: `tcp-reuse` replaces
 * `tcp-fin`. A reused session always ended with FIN or RST first (its time-wait is what lets a SYN
 * replace it); under the strict list a FIN-closed session would never show `tcp-reuse`, while
 * PAN-OS logs do show it for ports reused during time-wait. So reuse outranks FIN, not RST.
 */
export function betterEnd (cur: number, next: number): boolean {
  if (cur === End.NONE) return true
  if (next === End.REUSE && cur === End.FIN) return true
  return next < cur
}

export const ACTIONS: readonly Action[] = ['allow', 'deny', 'drop', 'reset-client', 'reset-server', 'reset-both']
export const enum Act { ALLOW = 0, DENY = 1, DROP = 2, RESET_CLIENT = 3, RESET_SERVER = 4, RESET_BOTH = 5 }

export function actionIndex (a: Action | string): number {
  const i = ACTIONS.indexOf(a as Action)
  return i < 0 ? Act.DROP : i
}

/** IANA protocol names as PAN-OS shows them in the traffic log. */
export function protoName (p: number): string {
  switch (p) {
    case 6: return 'tcp'
    case 17: return 'udp'
    case 1: return 'icmp'
    case 58: return 'ipv6-icmp'
    case 47: return 'gre'
    case 50: return 'esp'
    case 132: return 'sctp'
    default: return String(p)
  }
}

/** The session's client (`which` 0) or server (1) address as text. */
export function addrText (t: SessionTable, s: number, which: 0 | 1): string {
  const b = t.addrBytes(s, which)
  return formatIp(b, 0, b.length)
}

/** The session's 5-tuple as the logs and traces show it (client = src). */
export function flowOf (t: SessionTable, s: number): TraceFlow {
  return { src: addrText(t, s, 0), sport: t.cportOf(s), dst: addrText(t, s, 1), dport: t.sportOf(s), proto: protoName(t.protoOf(s)) }
}

/** Application name until App-ID decides (incomplete, unknown-tcp, unknown-udp, ping, …: see docs/panos-model.md#app-id). */
export function appName (t: SessionTable, strs: readonly string[], s: number): string {
  if (t.app[s] !== 0) return strs[t.app[s]]!
  const p = t.protoOf(s)
  const data = (t.flags[s] & (SF.PAYLOAD_C2S | SF.PAYLOAD_S2C)) !== 0
  if (p === IPPROTO_TCP) return data && (t.flags[s] & (SF.ESTABLISHED_ONCE | SF.LIBERAL)) !== 0 ? 'unknown-tcp' : 'incomplete'
  if (p === IPPROTO_UDP) return data ? 'unknown-udp' : 'incomplete'
  if (p === IPPROTO_ICMP || p === IPPROTO_ICMPV6) return (t.flags[s] & SF.ECHO) !== 0 ? 'ping' : protoName(p)
  return protoName(p)
}

/** `show session` view of slot `s`; `timeoutUs` is its class's idle timeout in force. */
export function sessionInfo (t: SessionTable, strs: readonly string[], s: number, timeoutUs: number): SessionInfo {
  const b = flowOf(t, s)
  const info: SessionInfo = {
    id: t.id[s], proto: b.proto, src: b.src, sport: b.sport, dst: b.dst, dport: b.dport,
    from: strs[t.fromZone[s]]!, to: strs[t.toZone[s]]!, application: appName(t, strs, s),
    rule: strs[t.rule[s]]!, action: ACTIONS[t.action[s]]!, state: SESSION_STATE_NAMES[t.state[s]]!,
    endReason: t.endReason[s] === End.NONE ? null : END_REASONS[t.endReason[s] - 1]!,
    packets: { c2s: t.packetsOf(s, 0), s2c: t.packetsOf(s, 1) },
    bytes: { c2s: t.bytesOf(s, 0), s2c: t.bytesOf(s, 1) },
    startUs: t.startUs[s], lastUs: t.lastUs[s], timeoutS: timeoutUs / US, expiresUs: t.lastUs[s] + timeoutUs,
  }
  if (t.protoOf(s) === IPPROTO_TCP) {
    info.tcpState = (t.flags[s] & SF.LIBERAL) !== 0 && t.tcpSt[s] === TcpSt.ESTABLISHED ? 'mid-stream' : TCP_STATE_NAMES[t.tcpSt[s]]
  }
  return info
}

/** The traffic-log record of session `s` ending at `now`. */
export function trafficRecord (t: SessionTable, strs: readonly string[], s: number, now: number): TrafficLogRecord {
  const b = flowOf(t, s)
  const end = t.endReason[s]
  const blocked = t.state[s] === SessState.DISCARD && end !== End.THREAT
  return {
    type: 'TRAFFIC',
    subtype: blocked ? ((t.flags[s] & SF.BLOCKED_LATE) !== 0 ? 'deny' : 'drop') : 'end',
    sessionId: t.id[s],
    rule: strs[t.rule[s]]!,
    action: blocked ? ACTIONS[t.action[s]]! : 'allow',
    application: appName(t, strs, s),
    fromZone: strs[t.fromZone[s]]!,
    toZone: strs[t.toZone[s]]!,
    ...b,
    bytesC2s: t.bytesOf(s, 0), bytesS2c: t.bytesOf(s, 1), packetsC2s: t.packetsOf(s, 0), packetsS2c: t.packetsOf(s, 1),
    startUs: t.startUs[s],
    elapsedS: Math.max(0, Math.floor((now - t.startUs[s]) / US)),
    endUs: now,
    endReason: END_REASONS[(end === End.NONE ? End.UNKNOWN : end) - 1]!,
  }
}

/** The record for a first packet refused because the table is full (no session id). */
export function refusedRecord (fs: FrameSummary, fromZone: string, toZone: string, sp: number, dp: number, now: number): TrafficLogRecord {
  return {
    type: 'TRAFFIC', subtype: 'drop', sessionId: 0, rule: '', action: 'drop', application: 'not-applicable',
    fromZone, toZone,
    src: formatIp(fs.frame, fs.srcOff, fs.addrLen), sport: sp, dst: formatIp(fs.frame, fs.dstOff, fs.addrLen), dport: dp,
    proto: protoName(fs.proto), bytesC2s: fs.frame.length, bytesS2c: 0, packetsC2s: 1, packetsS2c: 0,
    startUs: now, elapsedS: 0, endUs: now, endReason: 'resources-unavailable',
  }
}

/** The threat-log record of a signature match on session `s` in direction `d`. */
export function threatRecord (t: SessionTable, strs: readonly string[], s: number, d: number,
  th: { signature: string, severity: ThreatLogRecord['severity'], action: ThreatLogRecord['action'] }, now: number): ThreatLogRecord {
  const b = flowOf(t, s)
  return {
    type: 'THREAT', sessionId: t.id[s], signature: th.signature, severity: th.severity, action: th.action,
    rule: strs[t.rule[s]]!, fromZone: strs[t.fromZone[s]]!, toZone: strs[t.toZone[s]]!,
    direction: d === 0 ? 'c2s' : 's2c', src: b.src, sport: b.sport, dst: b.dst, dport: b.dport,
    proto: b.proto, application: appName(t, strs, s), timeUs: now,
  }
}

/**
 * A reconnaissance protection alarm (threat subtype scan): session 0, application not-applicable; the
 * triggering packet's addresses and ports; severity critical as for floods (rstlab's choice, see docs/zone-protection.md).
 */
export function scanRecord (fs: FrameSummary, name: string, threatId: number, zone: string, events: number, intervalS: number, action: string, now: number): ThreatLogRecord {
  return {
    type: 'THREAT', subtype: 'scan', threatId, fromZone: zone, events, intervalS, sessionId: 0, signature: name,
    severity: 'critical', action, direction: 'c2s',
    src: formatIp(fs.frame, fs.srcOff, fs.addrLen), sport: fs.srcPort, dst: formatIp(fs.frame, fs.dstOff, fs.addrLen), dport: fs.dstPort,
    proto: protoName(fs.proto), application: 'not-applicable', timeUs: now,
  }
}

/** A zone protection flood alarm as PAN-OS logs it: threat subtype flood, session 0, not-applicable, critical. */
export function floodRecord (fs: FrameSummary, name: string, threatId: number, zone: string, rate: number, action: string, now: number): ThreatLogRecord {
  return {
    type: 'THREAT', subtype: 'flood', threatId, fromZone: zone, rate, sessionId: 0, signature: name,
    severity: 'critical', action, direction: 'c2s',
    src: formatIp(fs.frame, fs.srcOff, fs.addrLen), sport: 0, dst: formatIp(fs.frame, fs.dstOff, fs.addrLen), dport: 0,
    proto: protoName(fs.proto), application: 'not-applicable', timeUs: now,
  }
}
