/**
 * The differential driver shared by the engine tests that prove a change invisible (fast path vs full
 * path, zone protection off vs no profile, ...): two engines are fed the same frames at the same times
 * and must agree on every result (action, egress, reason, session, direction, forged bytes, the
 * forwarded frame's bytes after the call, since the engine may rewrite in place), every `advance`,
 * the counters, the session table and the traffic log.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Engine } from '../../src/engine/engine.js'
import type { ProcessResult, TrafficLogRecord } from '../../src/engine/types.js'
import { iterateCaptureBuffer } from '../../src/pcap/index.js'

/** Builds one of the two engines; `trafficLog` must be passed to it as its traffic-log hook. */
export type MakeEngine = (trafficLog: (r: TrafficLogRecord) => void) => Engine

export class EnginePair {
  readonly a: Engine
  readonly b: Engine
  readonly logA: TrafficLogRecord[] = []
  readonly logB: TrafficLogRecord[] = []
  frames = 0
  /**
   * `names` label the two engines in messages. `embedA`: engine a gets each frame through
   * `processAt`, lying `embedA` bytes into a larger buffer with filler on both sides (as a replay
   * hands frames inside its read chunk), engine b gets it as its own Buffer through `process`.
   */
  constructor (makeA: MakeEngine, makeB: MakeEngine, readonly names: [string, string] = ['a', 'b'], readonly embedA?: number) {
    this.a = makeA(r => this.logA.push(r))
    this.b = makeB(r => this.logB.push(r))
  }

  /** Feed one frame (a copy to each engine); '' when they agree, else what differs. */
  process (frame: Buffer, port: number, now: number, linkType = 1): string {
    this.frames++
    const fb = Buffer.from(frame)
    let x: string
    if (this.embedA === undefined) {
      const fa = Buffer.from(frame)
      x = show(this.a.process(fa, port, now, linkType), fa)
    } else {
      const o = this.embedA
      const big = Buffer.alloc(o + frame.length + 64, 0xa5)
      frame.copy(big, o)
      x = show(this.a.processAt(big, o, frame.length, port, now, linkType), big.subarray(o, o + frame.length))
    }
    const y = show(this.b.process(fb, port, now, linkType), fb)
    return x === y ? '' : `frame ${this.frames}: ${this.names[0]} ${x}\n  ${this.names[1]} ${y}`
  }

  advance (now: number): string {
    const x = show(this.a.advance(now)); const y = show(this.b.advance(now))
    return x === y ? '' : `advance(${now}): ${this.names[0]} ${x}\n  ${this.names[1]} ${y}`
  }

  /** Counters, sessions and the traffic log (and, with `fastPath`, the fast-path packet count); '' when they agree. */
  state (opts: { fastPath?: boolean } = {}): string {
    const parts: Array<[string, unknown, unknown]> = [
      ['counters', this.a.counters(), this.b.counters()],
      ['sessions', this.a.sessions(), this.b.sessions()],
      ['traffic log', this.logA, this.logB],
    ]
    for (const [name, x, y] of parts) {
      const d = firstDiff(x, y, this.names)
      if (d !== '') return `${name} differ at ${d}`
    }
    if (opts.fastPath === true && this.a.fastPathPackets !== this.b.fastPathPackets) {
      return `fast path packets ${this.a.fastPathPackets} vs ${this.b.fastPathPackets}`
    }
    return ''
  }

  /** Every frame of a capture file, then the clock to the end of time; '' when they agreed throughout. */
  capture (file: string, opts: { fastPath?: boolean } = {}): string {
    for (const rec of iterateCaptureBuffer(readFileSync(file), () => {}, path.basename(file))) {
      const bad = this.process(rec.data, -1, rec.tsUs, rec.linkType)
      if (bad !== '') return bad
    }
    return this.advance(Number.MAX_SAFE_INTEGER) || this.state(opts)
  }
}

/** Where two JSON-able values first differ ('' if nowhere): the path and both values there. */
export function firstDiff (a: unknown, b: unknown, names: [string, string] = ['a', 'b'], at = ''): string {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) {
      const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], names, `${at}/${k}`)
      if (d !== '') return d
    }
    return ''
  }
  return JSON.stringify(a) === JSON.stringify(b) ? '' : `${at}: ${names[0]} ${JSON.stringify(a)}, ${names[1]} ${JSON.stringify(b)}`
}

/** A result as one comparable string (the frame's bytes after the call too, when given). */
export function show (r: ProcessResult, frame?: Buffer): string {
  return JSON.stringify({
    action: r.action, egress: r.egress, reason: r.reason, sessionId: r.sessionId, dir: r.dir, frame: frame?.toString('hex'),
    emits: r.emits.map(e => ({ ...e, frame: e.frame.toString('hex') })),
  })
}
