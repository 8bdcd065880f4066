/**
 * The real clock, used at the edge only (bridge/tap): the engine never reads time, it is handed
 * integer microseconds from here. Monotonic (performance.now), so wall-clock steps cannot age sessions.
 */
import { performance } from 'node:perf_hooks'

export interface Clock {
  /** Monotonic time in integer microseconds. */
  nowUs (): number
  /** Wall-clock Date for a value nowUs() returned. */
  wallOf (us: number): Date
}

export const realClock: Clock = {
  nowUs: () => Math.round(performance.now() * 1000),
  wallOf: (us: number) => new Date(performance.timeOrigin + us / 1000),
}
