/**
 * A stand-in engine for exercising the live runner's I/O alone: forwards everything, no sessions.
 * Run: node build/test/live/passthrough.js IF_A IF_B CONTROL_PATH
 */
import pino from 'pino'
import type { ProcessResult } from '../../src/engine/types.js'
import type { Policy } from '../../src/policy/types.js'
import { LiveRunner } from '../../src/cli/live/runner.js'
import type { EngineLike } from '../../src/cli/live/engine-like.js'

const [a, b, control] = process.argv.slice(2)
const result: ProcessResult = { action: 'forward', egress: -1, reason: 'ok', sessionId: 0, dir: undefined, emits: [] }
let pkts = 0
const engine: EngineLike = {
  process: (_f, port) => { pkts++; result.egress = 1 - port; return result },
  advance: () => [],
  nextDeadline: () => undefined,
  sessions: () => [],
  session: () => undefined,
  counters: () => ({ pkt_recv: pkts }),
  clearSessions: () => [],
  clearCounters: () => { pkts = 0 },
  setPolicy: () => [],
}
const policy = { source: '<none>', zones: [], rules: [], zoneOfInterface: () => 'z' } as unknown as Policy
const runner = new LiveRunner({ mode: 'bridge', interfaces: [a!, b!], policyPath: '<none>', controlPath: control!, inject: 'l2', rematch: false, trace: false, checkOffloads: true },
  { loadPolicy: () => policy, makeEngine: () => engine, log: pino({ level: 'info' }, pino.destination(2)), note: l => process.stderr.write(l + '\n') })
await runner.start()
process.exit(await runner.done)
