/**
 * Session timer classes and their PAN-OS timeouts (see docs/panos-model.md#timers).
 *
 * Every live session sits in exactly one timer class. A session's idle timeout is the class timeout,
 * its expiry is `lastUs + timeout`. Because every member of a class shares one timeout, ordering a
 * class by time is ordering it by expiry: see `SessionTable` for the per-class queues (a list and a
 * heap, refreshed lazily) that make expiry cost proportional to what expires, not to the table size.
 */

export const enum TimerClass {
  TCP_INIT = 0,
  TCP_HANDSHAKE = 1,
  TCP = 2,
  TCP_HALF_CLOSED = 3,
  TCP_TIME_WAIT = 4,
  TCP_UNVERIFIED_RST = 5,
  UDP = 6,
  ICMP = 7,
  DEFAULT = 8,
  DISCARD_TCP = 9,
  DISCARD_UDP = 10,
  DISCARD_DEFAULT = 11,
  /** PAN-OS CLOSING: "marked to expire immediately" — the next `advance()` frees it. */
  CLOSING = 12,
}

export const TIMER_CLASS_COUNT = 13
/** Sentinel for "in no timer list" (free slot). */
export const TIMER_NONE = 255

/** PAN-OS setting names, for traces and `show session`. Index = TimerClass. */
export const TIMER_CLASS_NAMES: readonly string[] = [
  'tcpinit', 'tcphandshake', 'tcp', 'tcp-half-closed', 'tcp-time-wait', 'tcp-unverified-rst',
  'udp', 'icmp', 'default', 'discard-tcp', 'discard-udp', 'discard-default', 'closing',
]

/**
 * The idle timeouts in seconds, by their PAN-OS names (policy/types.ts's SessionSettings has them):
 * declared here so the session layer needs nothing from the policy layer above it.
 */
export interface IdleTimeouts {
  timeoutTcp: number
  timeoutTcpinit: number
  timeoutTcphandshake: number
  timeoutTcpHalfClosed: number
  timeoutTcpTimeWait: number
  timeoutTcpUnverifiedRst: number
  timeoutUdp: number
  timeoutIcmp: number
  timeoutDefault: number
  timeoutDiscardTcp: number
  timeoutDiscardUdp: number
  timeoutDiscardDefault: number
}

/**
 * Base timeouts in µs per class from the policy's session settings.
 * `tcp-time-wait` is capped at `tcp-half-closed`: PAN-OS accepts a larger value at commit but uses
 * the half-closed value (see docs/panos-model.md#time-wait).
 */
export function timeoutsUs (s: IdleTimeouts): Float64Array {
  const t = new Float64Array(TIMER_CLASS_COUNT)
  const S = 1_000_000
  t[TimerClass.TCP_INIT] = s.timeoutTcpinit * S
  t[TimerClass.TCP_HANDSHAKE] = s.timeoutTcphandshake * S
  t[TimerClass.TCP] = s.timeoutTcp * S
  t[TimerClass.TCP_HALF_CLOSED] = s.timeoutTcpHalfClosed * S
  t[TimerClass.TCP_TIME_WAIT] = Math.min(s.timeoutTcpTimeWait, s.timeoutTcpHalfClosed) * S
  t[TimerClass.TCP_UNVERIFIED_RST] = s.timeoutTcpUnverifiedRst * S
  t[TimerClass.UDP] = s.timeoutUdp * S
  t[TimerClass.ICMP] = s.timeoutIcmp * S
  t[TimerClass.DEFAULT] = s.timeoutDefault * S
  t[TimerClass.DISCARD_TCP] = s.timeoutDiscardTcp * S
  t[TimerClass.DISCARD_UDP] = s.timeoutDiscardUdp * S
  t[TimerClass.DISCARD_DEFAULT] = s.timeoutDiscardDefault * S
  t[TimerClass.CLOSING] = 0
  return t
}
