/**
 * What the live runner needs from the engine (the `Engine` class of src/engine, contract in
 * src/engine/types.ts), kept as an interface so the runner's I/O can be exercised on its own.
 */
import type { Emit, ProcessResult, SessionInfo } from '../../engine/types.js'
import type { Policy } from '../../policy/types.js'

export interface EngineLike {
  process (frame: Buffer, port: number, nowUs: number): ProcessResult
  /** Run timers due at `nowUs`; forged packets (reset-on-age-out) come back as emits. */
  advance (nowUs: number): unknown
  /** Absolute µs of the next timer, or undefined when none. */
  nextDeadline (): number | undefined
  sessions (): SessionInfo[]
  session (id: number): SessionInfo | undefined
  counters (): unknown
  clearSessions (nowUs: number): unknown
  clearCounters (): void
  setPolicy (policy: Policy, opts: { rematch: boolean, nowUs?: number }): unknown
}

/** Emits out of whatever advance()/setPolicy()/clearSessions() returned (an Emit[] or an object holding `emits`). */
export function emitsOf (x: unknown): readonly Emit[] {
  if (Array.isArray(x)) return x as Emit[]
  if (typeof x === 'object' && x !== null && Array.isArray((x as { emits?: unknown }).emits)) return (x as { emits: Emit[] }).emits
  return []
}
