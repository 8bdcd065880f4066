/**
 * The control protocol between `rstlab show|clear|clock|get|set|reset` (and the Node API, the HTTP
 * listener) and a running `rstlab bridge|tap`:
 * JSON lines over a unix socket (mode 0600). One request line, one response line, same `id`.
 *
 *   → {"id":1,"cmd":"sessions"}
 *   ← {"id":1,"ok":true,"data":[...SessionInfo]}
 *   ← {"id":1,"ok":false,"error":{"code":"RSTLAB_ERR_USAGE","message":"no session 7"}}
 */
import type { SessionInfo } from '../engine/types.js'
import { RstlabError } from '../errors.js'

export const DEFAULT_CONTROL_DIR = '/run/rstlab'
export const DEFAULT_CONTROL_PATH = `${DEFAULT_CONTROL_DIR}/rstlab.sock`

export type ControlCommand =
  | { cmd: 'sessions' }
  | { cmd: 'session', sid: number }
  | { cmd: 'counters', delta?: boolean }
  | { cmd: 'rules' }
  | { cmd: 'clear-sessions' }
  | { cmd: 'clear-counters' }
  | { cmd: 'info' }
  | { cmd: 'clock' }
  | { cmd: 'clock-advance', seconds: number }
  | { cmd: 'get', key?: string }
  | { cmd: 'set', key: string, value: unknown }
  | { cmd: 'reset', sid?: number, match?: string, action: ResetAction }

export type ControlRequest = ControlCommand & { id: number }

/** Every command name, for clients that check a name before sending it (the HTTP listener). */
export const CONTROL_COMMANDS = ['sessions', 'session', 'counters', 'rules', 'clear-sessions', 'clear-counters', 'info',
  'clock', 'clock-advance', 'get', 'set', 'reset'] as const

/** Commands that change nothing (the HTTP listener also answers them on GET). */
export const READ_ONLY_COMMANDS: readonly string[] = ['sessions', 'session', 'counters', 'rules', 'info', 'clock', 'get']

export const RESET_ACTIONS = ['reset-client', 'reset-server', 'reset-both', 'drop'] as const
export type ResetAction = typeof RESET_ACTIONS[number]

/** The largest single `clock advance` (seconds): far above the longest PAN-OS timeout (15,999,999 s). */
export const MAX_CLOCK_ADVANCE_S = 100_000_000

export interface CounterRow {
  name: string
  value: number
  /** Per second over the sampling interval (PAN-OS "rate"). */
  rate: number
  severity: string
  category: string
  aspect: string
  description: string
}

export interface CountersReply {
  /** Seconds since the previous sample this reply is relative to (PAN-OS "Elapsed time since last sampling"). */
  elapsedS: number
  delta: boolean
  counters: CounterRow[]
}

export interface RuleRow {
  index: number
  name: string
  from: string
  to: string
  source: string
  destination: string
  application: string
  service: string
  action: string
  icmpUnreachable: boolean
  /** Sessions currently attributed to this rule (hit count of open sessions). */
  sessions: number
}

export interface RulesReply {
  source: string
  loadedAt: string
  rules: RuleRow[]
}

export interface InfoReply {
  mode: 'bridge' | 'tap'
  interfaces: string[]
  pid: number
  policy: string
  startedAt: string
  /** The bridge process's `process.memoryUsage()` in bytes at the moment of the request (rss, V8 heap, buffers). */
  memory: { rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number }
}

/** The bridge's engine clock: the real monotonic clock plus what `clock advance` added. */
export interface ClockReply {
  /** Seconds added by `clock advance` since the bridge started. */
  offsetS: number
  /** The engine's time now (µs, monotonic, offset included). */
  engineNowUs: number
  /** Wall-clock time the engine believes it is (real time + offset), ISO 8601. */
  engineTime: string
}

export interface ClockAdvanceReply extends ClockReply {
  advancedS: number
  /** Sessions that aged out because of this advance. */
  agedOut: number
  /** Packets forged meanwhile (RSTs with emulator.reset-on-age-out). */
  forged: number
}

export interface SetReply {
  key: string
  /** The value now in force, as `get` shows it. */
  value: unknown
  previous: unknown
  /** Existing sessions were re-matched (the bridge runs with --rematch). */
  rematch: boolean
  forged: number
}

export interface ResetReply {
  action: ResetAction
  /** Sessions the action was applied to (they are now DISCARD). */
  sessions: number[]
  /** Matching sessions left alone because they were not ACTIVE. */
  skipped: Array<{ id: number, state: string }>
  forged: number
}

export interface ControlReplies {
  sessions: SessionInfo[]
  session: SessionInfo
  counters: CountersReply
  rules: RulesReply
  'clear-sessions': { cleared: number }
  'clear-counters': { cleared: true }
  info: InfoReply
  clock: ClockReply
  'clock-advance': ClockAdvanceReply
  get: Record<string, unknown>
  set: SetReply
  reset: ResetReply
}

export type ControlResponse =
  | { id: number, ok: true, data: unknown }
  | { id: number, ok: false, error: { code: string, message: string, hint?: string } }

/** Parse one request line; undefined when it is not a well-formed request. */
export function parseRequest (line: string): ControlRequest | undefined {
  let v: unknown
  try { v = JSON.parse(line) } catch { return undefined }
  if (typeof v !== 'object' || v === null) return undefined
  const r = v as Record<string, unknown>
  if (typeof r.id !== 'number' || typeof r.cmd !== 'string') return undefined
  switch (r.cmd) {
    case 'sessions': case 'rules': case 'clear-sessions': case 'clear-counters': case 'info':
      return { id: r.id, cmd: r.cmd }
    case 'session':
      return Number.isInteger(r.sid) ? { id: r.id, cmd: 'session', sid: r.sid as number } : undefined
    case 'counters':
      return { id: r.id, cmd: 'counters', delta: r.delta === true }
    // Values of the commands below are checked by the bridge (checkAdvance, checkReset, the policy loader for
    // `set`), so a bad one gets an error naming it rather than "malformed control request".
    case 'clock':
      return { id: r.id, cmd: 'clock' }
    case 'clock-advance':
      return { id: r.id, cmd: 'clock-advance', seconds: r.seconds as number }
    case 'get':
      return r.key === undefined ? { id: r.id, cmd: 'get' } : { id: r.id, cmd: 'get', key: String(r.key) }
    case 'set':
      return { id: r.id, cmd: 'set', key: String(r.key), value: r.value }
    case 'reset':
      return { id: r.id, cmd: 'reset', sid: r.sid as number, match: r.match as string, action: r.action as ResetAction }
    default: return undefined
  }
}

/**
 * The seconds of a `clock advance`, checked: a positive number up to MAX_CLOCK_ADVANCE_S (the clock never
 * goes backwards), rounded to whole microseconds.
 * @throws RstlabError RSTLAB_ERR_USAGE
 */
export function checkAdvance (seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_CLOCK_ADVANCE_S) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `clock advance needs a number of seconds above 0 and at most ${MAX_CLOCK_ADVANCE_S}, got ${JSON.stringify(seconds)}`,
      'the engine clock only moves forward: e.g. rstlab clock advance 3601')
  }
  return Math.round(seconds * 1e6)
}

/**
 * A `reset` request's target and action, checked: exactly one of a session id and a filter, and one of RESET_ACTIONS.
 * @throws RstlabError RSTLAB_ERR_USAGE
 */
export function checkReset (cmd: { sid?: unknown, match?: unknown, action: unknown }): { sid?: number, match?: string, action: ResetAction } {
  if (typeof cmd.action !== 'string' || !(RESET_ACTIONS as readonly string[]).includes(cmd.action)) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `reset needs an action, one of ${RESET_ACTIONS.join(', ')}; got ${JSON.stringify(cmd.action)}`,
      'e.g. rstlab reset 7 --action reset-both')
  }
  const action = cmd.action as ResetAction
  const hasSid = cmd.sid !== undefined && cmd.sid !== null
  const hasMatch = cmd.match !== undefined && cmd.match !== null
  if (hasSid === hasMatch) {
    throw new RstlabError('RSTLAB_ERR_USAGE', 'reset needs either a session id or a filter (--match), not both and not neither',
      'e.g. rstlab reset 7 --action reset-both, or rstlab reset --match \'destination-port 80\' --action drop')
  }
  if (hasSid) {
    if (!Number.isInteger(cmd.sid) || (cmd.sid as number) < 1) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `reset: ${JSON.stringify(cmd.sid)} is not a session id`, 'list sessions with: rstlab show sessions')
    }
    return { sid: cmd.sid as number, action }
  }
  if (typeof cmd.match !== 'string') throw new RstlabError('RSTLAB_ERR_USAGE', 'reset: the filter must be text', 'e.g. --match \'destination-port 80\'')
  return { match: cmd.match, action }
}
