/**
 * The one table of trace formatters: each trace kind's stage and its line in the spirit of PAN-OS
 * `debug flow basic`. The engine emits `TraceEvent`s (kinds and fields, types.ts) and never builds
 * a sentence; `--trace`, the live JSON log's message and the ladder's narration (scenario/narrate.ts,
 * which shortens a few of these) render them here.
 */
import type { TraceDetail, TraceEvent, TraceFlow, TraceKind } from './types.js'
import { counterDefs } from './counters.js'

export type TraceStage = 'recv' | 'policy' | 'session' | 'check' | 'forward' | 'drop' | 'forge' | 'age'

export type Of<K extends TraceKind> = Extract<TraceEvent, { kind: K }>
interface Format<K extends TraceKind> {
  stage: TraceStage
  /** True when the line says the packet was dropped (and why). */
  drops?: true
  text: (ev: Of<K>) => string
}

const none = (z: string): string => z === '' ? '(none)' : z
const flow = (f: TraceFlow): string => `${f.proto} ${f.src}:${f.sport} -> ${f.dst}:${f.dport}`
const hex4 = (n: number): string => n.toString(16).padStart(4, '0')
/** What a zone protection drop counter stands for, from its description (`discard-ip-spoof`, ...). */
const zpDiscardWhat = (counter: string): string => {
  const d = counterDefs.find(c => c.name === counter)?.description ?? counter
  return d.replace(/^Packets dropped: zone protection /, '').replace(/ \(rstlab name\)$/, '')
}
const ZP_REWRITES: Record<string, string> = {
  'remove-tcp-timestamp': 'TCP timestamp option removed',
  'strip-mptcp-option': 'MPTCP option removed',
  'strip-tcp-fast-open-and-data': 'TCP Fast Open option and data stripped from the SYN',
}

export const TRACE_FORMATS: { readonly [K in TraceKind]: Format<K> } = {
  'zp-discard': {
    stage: 'drop', drops: true,
    text: e => `zone protection of zone ${e.zone} (${e.profile}): ${zpDiscardWhat(e.counter)}: dropped (${e.counter})`,
  },
  'zp-split-handshake': {
    stage: 'drop', drops: true,
    text: e => `zone protection (${e.profile}): split handshake on session ${e.sessionId}: dropped (flow_zp_tcp_split_handshake)`,
  },
  'zp-overlap-mismatch': {
    stage: 'drop', drops: true,
    text: e => `zone protection (${e.profile}): segment ${e.seq}:${(e.seq + e.len) >>> 0} of session ${e.sessionId} overlaps an earlier one with other bytes: ` +
      'dropped (flow_zp_tcp_overlap_mismatch)',
  },
  'zp-rewrite': { stage: 'check', text: e => `zone protection (${e.profile}): ${ZP_REWRITES[e.option] ?? e.option} (${e.option})` },
  'zp-flood-alarm': {
    stage: 'check',
    text: e => `${e.threat}(${e.threatId}) in zone ${e.zone} (profile ${e.profile}): ${e.rate}/s, alarm-rate ${e.alarmRate}, ` +
      `activate-rate ${e.activateRate}, maximal-rate ${e.maximalRate}: ${e.action} (threat log)`,
  },
  'zp-scan-alarm': {
    stage: 'check',
    text: e => `${e.threat}(${e.threatId}) from ${e.src} in zone ${e.zone} (profile ${e.profile}): ${e.events} events within ${e.intervalS} s: ` +
      `${e.action} (threat log)${e.action === 'alert' ? '' : `, blocked until ${(e.untilUs / 1e6).toFixed(6)} s`}`,
  },
  'zp-scan-drop': {
    stage: 'drop', drops: true,
    text: e => `${e.trigger ? 'reconnaissance protection' : `reconnaissance protection block (${e.threat})`}: ${e.src} -> ${e.dst} in zone ${e.zone}: dropped (flow_zp_scan_drop)`,
  },
  'zp-flood-drop': {
    stage: 'drop', drops: true,
    text: e => `${e.flood} flood in zone ${e.zone}: ${e.rate}/s, ${e.red ? 'random early drop' : `at or above maximal-rate ${e.maximalRate}`}: dropped (${e.counter})`,
  },
  'zp-cookie-ack': {
    stage: 'check',
    text: e => e.mss >= 0
      ? `ACK acknowledges a valid SYN cookie (MSS ${e.mss}): the session is set up now`
      : 'ACK without session carries no valid SYN cookie: handled as any non-SYN packet',
  },
  'zp-cookie-synack': {
    stage: 'forge',
    text: e => `SYN-ACK to the client spoofed from the server, carrying a SYN cookie (seq ${e.cookie}, ack ${e.ack}, MSS ${e.mss}, ttl ${e.ttl}): ` +
      'no session, the server does not see the SYN',
  },
  'zp-cookie-sent': { stage: 'drop', drops: true, text: () => 'SYN answered with a SYN cookie: not forwarded (flow_dos_syncookie_sent)' },
  'zp-cookie-session': {
    stage: 'session',
    text: e => `session ${e.sessionId} created from a SYN cookie, ACTIVE, syn-sent: sequence numbers translated for its whole life`,
  },
  'zp-cookie-ack-kept': { stage: 'drop', drops: true, text: e => `session ${e.sessionId}: cookie ACK kept by the firewall, SYN sent to the server` },
  'zp-cookie-syn': {
    stage: 'forge',
    text: e => `SYN to the server spoofed from the client (seq ${e.seq}, MSS ${e.mss}): the handshake the cookie stood in for`,
  },
  'zp-cookie-pending': {
    stage: 'drop', drops: true,
    text: e => `session ${e.sessionId}: the server has not answered the SYN yet: client packet held back (dropped)`,
  },
  'zp-cookie-server-ack': {
    stage: 'forge',
    text: e => `ACK to the server spoofed from the client (seq ${e.seq}, ack ${e.ack}): server leg established; ` +
      `server sequence numbers + ${e.delta >>> 0} (mod 2^32) toward the client`,
  },
  'zp-cookie-synack-kept': {
    stage: 'drop', drops: true,
    text: e => `session ${e.sessionId}: server's SYN-ACK answered by the firewall, not forwarded (the client has the cookie's)`,
  },
  'zp-cookie-synack-again': {
    stage: 'drop', drops: true,
    text: e => `retransmitted SYN-ACK from the server on SYN-cookie session ${e.sessionId}: absorbed, answered with the firewall's ACK ` +
      `(seq ${e.seq}, ack ${e.ack}) again, not forwarded (flow_dos_syncookie_synack_dup)`,
  },
  recv: { stage: 'recv', text: e => `port ${e.port < 0 ? '-' : e.port}: ${e.packet}` },
  malformed: { stage: 'drop', drops: true, text: e => `malformed frame (${e.code} at byte ${e.offset}): dropped (${e.counter})` },
  'syn-fin': { stage: 'drop', drops: true, text: () => 'TCP SYN with FIN: dropped (flow_parse_l4_tcpsynfin)' },
  'zero-flags': { stage: 'drop', drops: true, text: () => 'TCP segment without any flag: dropped (tcp_flag_zero)' },
  'non-syn-no-session': { stage: 'drop', drops: true, text: () => 'no session for a non-SYN segment: dropped (flow_tcp_non_syn_drop)' },
  'table-full': {
    stage: 'drop', drops: true,
    text: e => `session table full (max-sessions ${e.maxSessions}): dropped (session_alloc_failure, resources-unavailable)`,
  },

  'policy-allow': { stage: 'policy', text: e => `${flow(e.flow)} zone ${none(e.fromZone)} -> ${none(e.toZone)}: ${policyVerdict(e)}` },
  'policy-block': { stage: 'policy', text: e => `${flow(e.flow)} zone ${none(e.fromZone)} -> ${none(e.toZone)}: ${policyVerdict(e)}` },
  rematch: { stage: 'policy', text: e => `rematch: session ${e.sessionId} now matches rule ${e.rule} (${e.action})` },
  'operator-action': { stage: 'policy', text: e => `session ${e.sessionId}: ${e.action} on demand (${e.trigger})` },
  'app-reevaluated': { stage: 'policy', text: e => `App-ID: session ${e.sessionId} is ${e.app}; policy re-evaluated: rule ${e.rule} ${e.action}` },

  'session-created': { stage: 'session', text: e => `session ${e.sessionId} created, ${createdState(e)}` },
  'discard-at-setup': { stage: 'session', drops: true, text: e => `session ${e.sessionId} DISCARD (timeout-${e.timer}): dropped (flow_policy_deny)` },
  blocked: { stage: 'session', text: e => `session ${e.sessionId} blocked (${e.trigger}): DISCARD` },
  reuse: { stage: 'session', text: e => `SYN on session ${e.sessionId} in time-wait: session replaced (tcp-reuse)` },
  ended: { stage: 'session', text: e => `session ${e.sessionId} ended: ${e.endReason}` },
  'aged-out': { stage: 'age', text: e => `${idleText(e)}: aged out silently` },

  'syn-new-isn': { stage: 'session', text: e => `SYN with a new ISN on session ${e.sessionId}: tracking restarted` },
  'syn-ack': { stage: 'session', text: e => `SYN-ACK: session ${e.sessionId} waits for the final ACK (timeout-tcphandshake)` },
  established: { stage: 'session', text: e => `handshake complete: session ${e.sessionId} established (timeout-tcp)` },
  'fin-first': { stage: 'session', text: e => `first FIN (${e.from}): session ${e.sessionId} half-closed (timeout-tcp-half-closed)` },
  'fin-second': { stage: 'session', text: e => `second FIN: session ${e.sessionId} in time-wait (timeout-tcp-time-wait)` },
  'rst-exact': { stage: 'session', text: e => `RST from ${e.from} with the exact sequence: forwarded, session ${e.sessionId} in time-wait` },
  'rst-in-window': {
    stage: 'session',
    text: e => `RST from ${e.from} in window but not exact: forwarded, session ${e.sessionId} unverified (timeout-tcp-unverified-rst)`,
  },
  'unverified-cleared': { stage: 'session', text: e => `data after an unverified RST: session ${e.sessionId} established again` },
  'challenge-ack': {
    stage: 'check',
    text: e => `ACK without SYN answering the SYN (challenge ACK, ack ${e.ack}): forwarded, ack number remembered`,
  },
  'challenge-rst-allowed': {
    stage: 'check',
    text: e => `RST answering the challenge ACK (allow-challenge-ack yes): forwarded, session ${e.sessionId} closing`,
  },

  'invalid-rst-fin': {
    stage: 'drop', drops: true,
    text: e => `Drop invalid RST or FIN packet (session ${e.sessionId}, ${e.bound}): dropped (tcp_drop_out_of_wnd)`,
  },
  'invalid-syn-ack': { stage: 'drop', drops: true, text: e => `SYN-ACK does not acknowledge the SYN (session ${e.sessionId}): dropped (tcp_invalid_ack)` },
  'out-of-sync': {
    stage: 'drop', drops: true,
    text: e => `segment not allowed in TCP state ${e.tcpState} (session ${e.sessionId}): dropped (tcp_out_of_sync)`,
  },
  'out-of-window': {
    stage: 'drop', drops: true,
    text: e => `segment outside the window (bound ${e.bound}, session ${e.sessionId}): dropped (tcp_drop_out_of_wnd)`,
  },

  forwarded: { stage: 'forward', text: e => `session ${e.sessionId} ${e.dir}: forwarded` },
  'non-ip-passed': { stage: 'forward', text: e => `non-IP frame (ethertype 0x${hex4(e.etherType)}): passed without a session` },
  'discard-drop': { stage: 'drop', drops: true, text: e => `session ${e.sessionId} is in DISCARD (rule ${e.rule}): dropped (session_discard)` },
  'icmp-error-forwarded': {
    stage: 'forward',
    text: e => `ICMP error type ${e.icmpType} code ${e.icmpCode} quotes session ${e.sessionId}: forwarded`,
  },
  'icmp-error-no-session': {
    stage: 'drop', drops: true,
    text: e => `ICMP error type ${e.icmpType} code ${e.icmpCode} quotes no active session: dropped (flow_icmp_err_no_session)`,
  },
  'fragment-forwarded': { stage: 'forward', text: e => `non-first fragment (offset ${e.offset}) of session ${e.sessionId}: forwarded` },
  'fragment-no-session': {
    stage: 'drop', drops: true,
    text: e => `non-first fragment (offset ${e.offset}, id ${e.ipId}) of no forwarded first fragment: dropped (flow_ipfrag_no_session)`,
  },

  'app-detail': { stage: 'check', text: e => `App-ID: ${e.app}, ${e.detail}` },
  'app-blocked': { stage: 'drop', text: e => `session ${e.sessionId}: blocked once App-ID identified ${e.app}` },
  threat: { stage: 'check', text: e => `threat ${e.signature} (${e.severity}) in ${e.dir}: ${e.action}` },
  'threat-drop': { stage: 'drop', drops: true, text: e => `session ${e.sessionId}: dropped by threat ${e.signature}` },

  'forge-syn-rst': { stage: 'forge', text: e => `RST|ACK to the client spoofed from the server (seq 0, ack ${e.ack}, ttl ${e.ttl})` },
  'forge-state-rst': {
    stage: 'forge',
    text: e => `RST|ACK to the ${e.toward} spoofed from the ${e.toward === 'client' ? 'server' : 'client'} (seq ${e.seq}, ack ${e.ack}): ${e.trigger}`,
  },
  'forge-icmp': {
    stage: 'forge',
    text: e => `ICMP${e.version === 6 ? 'v6 1/1' : ' 3/13'} administratively prohibited to the client from ${e.from}`,
  },
  'icmp-no-address': {
    stage: 'forge',
    text: e => `no IPv${e.version} address of the firewall in zone ${none(e.zone)} (emulator.addresses): no ICMP unreachable sent (reported once)`,
  },
  'icmp-rate-limited': { stage: 'forge', text: () => 'ICMP unreachable suppressed: icmp-unreachable-rate exceeded' },
  'icmp-not-for-tcp': { stage: 'forge', text: () => 'no ICMP unreachable for TCP (emulator.icmp-unreachable-tcp no): silent drop' },
  'icmp-zone-no-address': { stage: 'forge', text: e => `zone ${e.zone} is ${e.zoneType}: no address of its own, no ICMP unreachable sent` },
  'reset-server-at-syn': { stage: 'forge', text: () => 'reset-server at the SYN: the server never saw it, nothing to send' },
  'reset-suppressed': { stage: 'forge', text: () => 'reset before the handshake suppressed (emulator.reset-before-handshake no): silent drop' },
}

/** `rule allow-out allows` / `rule block-ftp action reset-client`: what a new session's lookup decided. */
export function policyVerdict (e: Of<'policy-allow'> | Of<'policy-block'>): string {
  if (e.kind === 'policy-block') return `rule ${e.rule} action ${e.action}`
  return `rule ${e.rule} ${e.tentative ? '(tentative, until App-ID decides) ' : ''}allows`
}

/** A zone name as traces print it (`(none)` for no zone). */
export const zoneText = none

/** `ACTIVE, syn-sent (timeout-tcpinit 5s)`: the state a new session starts in, and its timer. */
export function createdState (e: Of<'session-created'>): string {
  const tcp = e.tcp === 'syn-sent' ? ', syn-sent' : e.tcp === 'mid-stream' ? ' (picked up mid-stream: tcp-reject-non-syn no)' : ''
  return `ACTIVE${tcp} (timeout-${e.timer} ${e.timeoutS}s)`
}

/** `session 3 idle 5s (timeout-tcpinit)`: what an age-out event says before its outcome. */
export function idleText (e: Of<'aged-out'>): string {
  return `session ${e.sessionId} idle ${e.idleS}s (timeout-${e.timer}${e.accelerated ? ', accelerated aging' : ''})`
}

function format<K extends TraceKind> (ev: Of<K>): Format<K> {
  return TRACE_FORMATS[ev.kind as K]
}

/** The event as one human line. */
export function traceText (ev: TraceEvent): string {
  return format(ev).text(ev)
}

export function traceStage (ev: TraceEvent | TraceDetail): TraceStage {
  return TRACE_FORMATS[ev.kind].stage
}

/** Does the event say that the packet was dropped (so a narration needs no further reason)? */
export function traceDrops (ev: TraceEvent): boolean {
  return TRACE_FORMATS[ev.kind].drops === true
}
