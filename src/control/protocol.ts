/**
 * The control protocol between `rstlab show|clear` and a running `rstlab bridge|tap`:
 * JSON lines over a unix socket (mode 0600). One request line, one response line, same `id`.
 *
 *   → {"id":1,"cmd":"sessions"}
 *   ← {"id":1,"ok":true,"data":[...SessionInfo]}
 *   ← {"id":1,"ok":false,"error":{"code":"RSTLAB_ERR_USAGE","message":"no session 7"}}
 */
import type { SessionInfo } from '../engine/types.js'

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

export type ControlRequest = ControlCommand & { id: number }

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
}

export interface ControlReplies {
  sessions: SessionInfo[]
  session: SessionInfo
  counters: CountersReply
  rules: RulesReply
  'clear-sessions': { cleared: number }
  'clear-counters': { cleared: true }
  info: InfoReply
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
    default: return undefined
  }
}
