/**
 * Names and ranks the engine stores as small integers, and the builders of the objects it hands out
 * (traffic-log records, SessionInfo). Builders allocate: they run per session end or on request,
 * never per forwarded packet.
 */
import type { Action } from '../policy/types.js'
import type { EndReason } from './types.js'

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
