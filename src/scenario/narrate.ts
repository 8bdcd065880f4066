/**
 * One line of narration per firewall decision, for the ladder: which rule a new session matched,
 * how its TCP state moved, why a packet was dropped, why a session ended.
 *
 * Narration reads the engine's trace events (kinds and fields, engine/types.ts) and renders most
 * of them with the engine's own formatters (engine/trace-text.ts), shortened for an 80-column
 * ladder where the ladder already shows something: the policy line names zones and rule but not the
 * 4-tuple, a new session's state folds into its policy line, routine "forwarded" lines and the lines
 * of forged packets (drawn as arrows) are left out. When no event explains a drop, the verdict's
 * reason (a PAN-OS counter name) is explained from the table below.
 */
import type { SessionInfo, TraceEvent, TrafficLogRecord } from '../engine/types.js'
import { createdState, idleText, policyVerdict, traceDrops, traceStage, traceText, zoneText } from '../engine/trace-text.js'

/** Plain-words explanation per drop reason (PAN-OS global counter names, docs/panos-model.md). */
const REASONS: Record<string, string> = {
  flow_tcp_non_syn_drop: 'no session for a non-SYN segment: dropped',
  tcp_drop_out_of_wnd: 'segment outside the window the receiver could accept: dropped',
  tcp_drop_packet: 'TCP check failed: dropped',
  'policy-deny': 'denied by policy: dropped',
  session_discard: 'the session is in DISCARD state: dropped',
  session_alloc_failure: 'session table full: dropped',
}

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

/** Narration for one processed packet (or one `advance`). */
export function narrate (r: NarrationInput, traces: readonly TraceEvent[], info: SessionInfo | undefined): string[] {
  const out: string[] = []
  for (const tr of traces) {
    switch (tr.kind) {
      case 'policy-allow': case 'policy-block':
        // the ladder shows the 4-tuple: keep zones and rule
        out.push(`session ${tr.sessionId}, zone ${zoneText(tr.fromZone)} → ${zoneText(tr.toZone)}: ${policyVerdict(tr)}`)
        break
      case 'session-created': {
        // "syn-sent (timeout-tcpinit 5s)" folds into the policy line before it
        const state = tr.tcp === 'syn-sent' ? `syn-sent (timeout-${tr.timer} ${tr.timeoutS}s)` : createdState(tr)
        if (out.length > 0) out[out.length - 1] += `; ${state}`
        else out.push(traceText(tr))
        break
      }
      // forged packets are drawn as arrows; the lines that explain why none was sent stay
      case 'forge-syn-rst': case 'forge-state-rst': case 'forge-icmp': break
      default: {
        const stage = traceStage(tr)
        if (stage !== 'recv' && stage !== 'forward') out.push(traceText(tr)) // the ladder draws the packet itself
      }
    }
  }
  if (r.action === 'drop' && !traces.some(traceDrops)) out.push(reasonText(r.reason))
  void info
  return out
}

/**
 * The `○` line of an event a timer caused: an age-out says nobody is told (or, when the session had
 * a better end reason, that it ends with it); forge lines as the engine renders them. Undefined for
 * events that get no timer line.
 */
export function narrateTimer (tr: TraceEvent, rec: TrafficLogRecord | undefined): string | undefined {
  if (tr.kind === 'aged-out') {
    return idleText(tr) + (rec !== undefined && rec.endReason !== 'aged-out'
      ? `: session ends (end reason ${rec.endReason})`
      : ': aged out silently, nobody is told')
  }
  return traceStage(tr) === 'forge' ? traceText(tr) : undefined
}

/** Line for a session a timer ended without an age trace (e.g. a CLOSING session being freed). */
export function narrateEnd (rec: TrafficLogRecord): string {
  return `session ${rec.sessionId} removed (end reason ${rec.endReason}, app ${rec.application})`
}
