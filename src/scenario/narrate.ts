/**
 * One line of narration per firewall decision, for the ladder: why a packet was dropped, which rule
 * a new session matched, how a session's TCP state moved, why a session ended.
 *
 * The engine's own trace lines (TraceEvent.text, `debug flow basic` style) are used for drops and
 * forged packets when it gives them; otherwise the text comes from the verdict's reason (a PAN-OS
 * counter name) through the table below.
 */
import type { SessionInfo, TraceEvent, TrafficLogRecord } from '../engine/types.js'

/** Plain-words explanation per drop reason (counter names as in panos-facts.md §6). */
const REASONS: Record<string, string> = {
  flow_tcp_non_syn_drop: 'no session for a non-SYN segment: dropped',
  tcp_drop_out_of_wnd: 'segment outside the window the receiver could accept: dropped',
  tcp_drop_packet: 'TCP check failed: dropped',
  flow_policy_deny: 'denied by policy: dropped',
  'policy-deny': 'denied by policy: dropped',
  tcp_flag_zero: 'TCP segment with no flags: dropped',
  flow_parse_l4_tcpsynfin: 'SYN and FIN together: dropped',
  session_discard: 'the session is in DISCARD state: dropped',
  flow_session_discard: 'the session is in DISCARD state: dropped',
  resources_unavailable: 'session table full: dropped',
  flow_max_sessions: 'session table full: dropped',
  'resources-unavailable': 'session table full: dropped',
}

/** Trace stages that are decisions worth a ladder line. */
const DECISION_STAGES = new Set(['drop', 'policy', 'forge', 'check'])

export interface NarrationInput {
  action: string
  reason: string
  sessionId: number
}

/** Words for a drop reason: `no session for a non-SYN segment: dropped (flow_tcp_non_syn_drop)`. */
export function reasonText (reason: string): string {
  const words = REASONS[reason]
  return words !== undefined ? `${words} (${reason})` : `dropped (${reason})`
}

/**
 * Narration for one processed packet.
 * @param prevTcpState the session's TCP sub-state before this packet ('' for a new session).
 */
export function narrate (r: NarrationInput, traces: readonly TraceEvent[], info: SessionInfo | undefined, prevTcpState: string | undefined): string[] {
  const out: string[] = []
  const decisions = traces.filter(t => DECISION_STAGES.has(t.stage) && t.text !== '')
  if (r.action === 'drop') {
    const fromTrace = decisions.find(t => t.stage === 'drop' || t.stage === 'check' || t.stage === 'policy')
    const text = fromTrace !== undefined ? fromTrace.text : reasonText(r.reason)
    out.push(text.includes(r.reason) ? text : `${text} (${r.reason})`)
  }
  if (info !== undefined) {
    if (prevTcpState === undefined) {
      out.push(`new session ${info.id} ${info.from}→${info.to}: rule ${info.rule}, ${info.action}` +
        (info.state === 'DISCARD' ? ` → DISCARD for ${info.timeoutS} s` : ''))
    } else if ((info.tcpState ?? '') !== prevTcpState && info.tcpState !== undefined) {
      out.push(`session ${info.id}: ${prevTcpState === '' ? '' : prevTcpState + ' → '}${info.tcpState}, timeout ${info.timeoutS} s`)
    }
  }
  return out
}

/** Narration for a session that ended (traffic log record written). */
export function narrateEnd (rec: TrafficLogRecord): string {
  const why: Record<string, string> = {
    'aged-out': 'aged out silently: nobody is told',
    'tcp-fin': 'closed by FINs',
    'tcp-rst-from-client': 'ended by the client\'s RST',
    'tcp-rst-from-server': 'ended by the server\'s RST',
    'policy-deny': 'ended: denied by policy',
    threat: 'ended: threat',
    'tcp-reuse': 'replaced by a new SYN on the same 4-tuple',
    'resources-unavailable': 'ended: no resources',
  }
  return `session ${rec.sessionId} ${why[rec.endReason] ?? 'ended'} (end reason ${rec.endReason}, app ${rec.application}, ${rec.elapsedS} s)`
}
