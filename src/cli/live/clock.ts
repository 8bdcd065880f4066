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

/** PAN-OS style timestamp: 'Mon Nov 23 12:41:08 2026'. */
export function panosTime (d: Date): string {
  const s = d.toString() // 'Mon Nov 23 2026 12:41:08 GMT+0000 (...)'
  const [wd, mon, day, year, time] = s.split(' ')
  return `${wd} ${mon} ${(day ?? '').padStart(2)} ${time} ${year}`
}
