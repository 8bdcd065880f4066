/**
 * Text output of `rstlab show` in the shapes of PAN-OS (see docs/panos-model.md#show-command-output):
 * `show session all`, `show session id N`, `show counter global`, `show running security-policy`.
 */
import type { SessionInfo } from '../engine/types.js'
import type { CountersReply, RulesReply } from './protocol.js'
import { formatCounterLines } from '../engine/counters.js'

/** A session as the bridge reports it over the control socket: engine facts plus wall-clock and port names. */
export interface SessionView extends SessionInfo {
  /** Wall-clock start, e.g. 'Mon Nov 23 12:41:08 2026'. */
  startTime: string
  ingress: string
  egress: string
  /** Seconds until the idle timer fires (0 when due). */
  remainingS: number
}

/** PAN-OS style timestamp: 'Mon Nov 23 12:41:08 2026'. */
export function panosTime (d: Date): string {
  const s = d.toString() // 'Mon Nov 23 2026 12:41:08 GMT+0000 (...)'
  const [wd, mon, day, year, time] = s.split(' ')
  return `${wd} ${mon} ${(day ?? '').padStart(2)} ${time} ${year}`
}

const RULE = '-'.repeat(80)

const PROTO_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, 'ipv6-icmp': 58 }

function protoNumber (p: string): string {
  return String(PROTO_NUMBERS[p] ?? p)
}

/** `show session all`. */
export function formatSessionTable (sessions: SessionView[]): string {
  const out: string[] = [
    RULE,
    'ID          Application    State   Type Flag  Src[Sport]/Zone/Proto (translated IP[Port])',
    'Vsys                                          Dst[Dport]/Zone (translated IP[Port])',
    RULE,
  ]
  for (const s of sessions) {
    const proto = protoNumber(s.proto)
    out.push(`${String(s.id).padEnd(12)} ${s.application.padEnd(14)} ${s.state.padEnd(7)} ${'FLOW'.padEnd(5)} ${''.padEnd(4)} ` +
      `${s.src}[${s.sport}]/${s.from}/${proto}  (${s.src}[${s.sport}])`)
    out.push(`${'vsys1'.padEnd(46)} ${s.dst}[${s.dport}]/${s.to}  (${s.dst}[${s.dport}])`)
  }
  if (sessions.length === 0) out.push('No active sessions')
  return out.join('\n') + '\n'
}

/** PAN-OS "tracker stage firewall" for an end reason (see docs/panos-model.md#end-reasons). */
function trackerStage (s: SessionInfo): string {
  switch (s.endReason) {
    case 'aged-out': return 'Aged out'
    case 'tcp-fin': return 'TCP FIN'
    case 'tcp-rst-from-client': return 'TCP RST - client'
    case 'tcp-rst-from-server': return 'TCP RST - server'
    case 'policy-deny': return 'policy deny'
    case 'resources-unavailable': return 'resource limit'
    case null: return 'N/A'
    default: return s.endReason
  }
}

function kv (key: string, value: string | number): string {
  return `        ${key.padEnd(37)}: ${value}`
}

function flowBlock (name: string, srcIp: string, zone: string, dstIp: string, proto: string, sport: number, dport: number, state: string): string[] {
  const f = (k: string, v: string | number): string => `${k.padEnd(13)}${v}`
  return [
    `        ${name} flow:`,
    `                ${f('source:', `${srcIp} [${zone}]`)}`,
    `                ${f('dst:', dstIp)}`,
    `                ${f('proto:', proto)}`,
    `                ${f('sport:', sport).padEnd(29)}${f('dport:', dport)}`,
    `                ${f('state:', state).padEnd(29)}${f('type:', 'FLOW')}`,
    `                ${f('src user:', 'unknown')}`,
    `                ${f('dst user:', 'unknown')}`,
    '',
  ]
}

/** `show session id N`. */
export function formatSessionDetail (s: SessionView): string {
  const proto = protoNumber(s.proto)
  const out: string[] = [
    '',
    `Session ${String(s.id).padStart(13)}`,
    '',
    ...flowBlock('c2s', s.src, s.from, s.dst, proto, s.sport, s.dport, s.state),
    ...flowBlock('s2c', s.dst, s.to, s.src, proto, s.dport, s.sport, s.state),
    kv('start time', s.startTime),
    kv('timeout', `${s.timeoutS} sec`),
    kv('time to live', `${Math.max(0, Math.ceil(s.remainingS))} sec`),
    kv('total byte count(c2s)', s.bytes.c2s),
    kv('total byte count(s2c)', s.bytes.s2c),
    kv('layer7 packet count(c2s)', s.packets.c2s),
    kv('layer7 packet count(s2c)', s.packets.s2c),
    kv('vsys', 'vsys1'),
    kv('application', s.application),
    kv('rule', s.rule),
    kv('action', s.action),
    ...(s.tcpState !== undefined ? [kv('tcp state', s.tcpState)] : []),
    kv('session to be logged at end', 'True'),
    kv('session in session ager', s.state === 'ACTIVE' || s.state === 'DISCARD' ? 'True' : 'False'),
    kv('layer7 processing', 'enabled'),
    kv('ingress interface', s.ingress),
    kv('egress interface', s.egress),
    kv('tracker stage firewall', trackerStage(s)),
    kv('end-reason', s.endReason ?? 'unknown'),
  ]
  return out.join('\n') + '\n'
}

/** `show counter global` (`filter delta yes` when reply.delta): the engine's PAN-OS layout, non-zero rows only. */
export function formatCounters (reply: CountersReply): string {
  return formatCounterLines(reply.counters.filter(c => c.value !== 0).map(c => ({ ...c, rate: Math.round(c.rate) })), reply.elapsedS)
}

/** `show running security-policy`. */
export function formatRules (reply: RulesReply): string {
  const out: string[] = [`# policy ${reply.source}, loaded ${reply.loadedAt}`, '']
  for (const r of reply.rules) {
    out.push(`"${r.name}; index: ${r.index + 1}" {`)
    out.push(`        from ${r.from};`)
    out.push(`        source ${r.source};`)
    out.push(`        to ${r.to};`)
    out.push(`        destination ${r.destination};`)
    out.push(`        application/service ${r.application}/${r.service};`)
    out.push(`        action ${r.action};${r.icmpUnreachable ? ' icmp-unreachable yes;' : ''}`)
    out.push(`        sessions ${r.sessions};`)
    out.push('}', '')
  }
  return out.join('\n')
}
