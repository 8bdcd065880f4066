/**
 * One line of narration per firewall decision, for the ladder: which rule a new session matched,
 * how its TCP state moved, why a packet was dropped, why a session ended.
 *
 * The text is the engine's own trace (TraceEvent.text, in the spirit of `debug flow basic`), lightly
 * shortened for an 80-column ladder; routine lines ("forwarded") and forged-packet lines (the ladder
 * draws those as arrows) are left out. When the engine gives no trace for a drop, the verdict's reason
 * (a PAN-OS counter name) is explained from the table below.
 */
import type { SessionInfo, TraceEvent, TrafficLogRecord } from '../engine/types.js'

/** Plain-words explanation per drop reason (counter names as in panos-facts.md §6). */
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

/** Shorten the engine's policy line: drop the 4-tuple (the ladder shows it), keep zones and rule. */
function policyLine (text: string, id: number): string {
  return text.replace(/^\S+ \S+ -> \S+ zone (\S+) -> (\S+): /, `session ${id}, zone $1 → $2: `)
}

/** Narration for one processed packet (or one `advance`). */
export function narrate (r: NarrationInput, traces: readonly TraceEvent[], info: SessionInfo | undefined): string[] {
  const out: string[] = []
  for (const tr of traces) {
    switch (tr.stage) {
      case 'recv': break // the ladder draws the packet itself
      case 'forward': break
      case 'policy': out.push(policyLine(tr.text, tr.sessionId)); break
      case 'session':
        if (/ created, /.test(tr.text) && out.length > 0) {
          // "session 1 created, ACTIVE, syn-sent (timeout-tcpinit 5s)": fold into the policy line
          const m = / created, (?:ACTIVE, )?(.*)$/.exec(tr.text)
          if (m !== null) out[out.length - 1] += `; ${m[1]}`
        } else out.push(tr.text)
        break
      case 'forge':
        // forged packets are drawn as arrows; keep only the lines that explain why none was sent
        if (!/^(RST\|ACK|ICMP(v6)? [0-9])/.test(tr.text)) out.push(tr.text)
        break
      default: out.push(tr.text)
    }
  }
  if (r.action === 'drop' && !out.some(l => l.includes(r.reason) || /dropped/.test(l))) out.push(reasonText(r.reason))
  void info
  return out
}

/** Line for a session a timer ended without an age trace (e.g. a CLOSING session being freed). */
export function narrateEnd (rec: TrafficLogRecord): string {
  return `session ${rec.sessionId} removed (end reason ${rec.endReason}, app ${rec.application})`
}
