/**
 * The App-ID light application table: names rules may use, their standard ports
 * (`service: application-default`) and their default deny action (`action: deny`).
 * Policy vocabulary (rules name these); identification itself lives in inspect/identify.ts.
 */
import type { Action } from './types.js'

export interface AppDef {
  name: string
  /** Standard ports, for `application-default`. */
  tcp: number[]
  udp: number[]
  /** What `action: deny` does for this application. */
  denyAction: Exclude<Action, 'allow' | 'deny'>
}

export const APPS: readonly AppDef[] = [
  { name: 'web-browsing', tcp: [80, 8080], udp: [], denyAction: 'reset-both' },
  { name: 'ssl', tcp: [443], udp: [], denyAction: 'reset-both' },
  { name: 'ssh', tcp: [22], udp: [], denyAction: 'reset-both' },
  { name: 'ftp', tcp: [21], udp: [], denyAction: 'reset-both' },
  { name: 'smtp', tcp: [25, 587], udp: [], denyAction: 'reset-both' },
  { name: 'dns', tcp: [53], udp: [53], denyAction: 'drop' },
]

/** Names App-ID assigns when it cannot decide (see docs/panos-model.md#app-id). Rules may not name these. */
export const UNDECIDED_APPS = ['incomplete', 'insufficient-data', 'unknown-tcp', 'unknown-udp', 'not-applicable'] as const

export function appByName (name: string): AppDef | undefined {
  return APPS.find(a => a.name === name)
}
