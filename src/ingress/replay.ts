/**
 * Replay: drive the engine with a capture file, capture timestamps as the clock.
 *
 * Before each frame, every timer due by the frame's timestamp fires (`advance` stepped through
 * `nextDeadline()`, so age-outs happen at their own time, between packets, as they would live).
 * After the last frame the clock stops: sessions still open stay open (end reason null), exactly
 * as a live firewall would hold them at that moment.
 *
 * Every frame the firewall emits goes to `out` in order: forwarded frames byte for byte with the
 * capture's timestamp and link type, forged frames (after the frame that caused them) with their
 * pcapng comment naming rule, action and trigger. There are no ports in a single capture: zones
 * come from the policy's address networks (PORT_UNKNOWN).
 */
import { openCapture, type CaptureRecord, type CaptureWarning, type PacketToWrite } from '../pcap/index.js'
import { Engine } from '../engine/engine.js'
import {
  PORT_UNKNOWN, type EngineHooks, type Emit, type SessionInfo, type EngineInspector, type TrafficLogRecord,
} from '../engine/types.js'
import type { Policy } from '../policy/types.js'

/** Where emitted frames go (a `PcapngWriter` fits). `write` copies what it needs before resolving. */
export interface FrameSink {
  write (p: PacketToWrite): Promise<void>
}

export interface ReplayOptions {
  policy: Policy
  out?: FrameSink
  /** Traffic / threat log and trace hooks, passed to the engine (trafficLog is also used for the summary). */
  hooks?: EngineHooks
  inspector?: EngineInspector
  /** Damage in the capture (also collected in the summary). */
  onWarning?: (w: CaptureWarning) => void
  /** Called after each frame is processed and written (e.g. to flush trace output). */
  afterFrame?: () => Promise<void>
  /** Capture reader chunk size (tests). */
  chunkSize?: number
}

/**
 * One session of the replay summary (issue #3 contract): the engine's `SessionInfo` without its live
 * timer fields; `state` is 'CLOSED' for sessions that ended, and `tcpState`, `startUs`, `lastUs` are
 * extensions beyond the contract (capture-clock µs).
 */
export type ReplaySession = Omit<SessionInfo, 'state' | 'endReason' | 'timeoutS' | 'expiresUs'> & {
  state: string
  endReason: string | null
}

export interface ReplaySummary {
  /** Non-zero global counters, in definition order (as `show counter global`). */
  counters: Record<string, number>
  /** Every session the replay created, ended or not, by id. */
  sessions: ReplaySession[]
  frames: { in: number, forwarded: number, dropped: number, forged: number }
  /** Extension: capture damage found while reading, and engine configuration warnings. */
  warnings: string[]
  /** Extension: capture time span (µs) of the frames replayed. */
  firstUs: number
  lastUs: number
}

function sessionOf (info: SessionInfo, end: TrafficLogRecord | undefined): ReplaySession {
  const s: ReplaySession = {
    id: info.id, proto: info.proto, src: info.src, sport: info.sport, dst: info.dst, dport: info.dport,
    from: info.from, to: info.to, application: info.application, rule: info.rule, action: info.action,
    state: end === undefined ? info.state : 'CLOSED',
    // Still open at the end: no end reason yet, even if the engine has noted a provisional one (FIN seen).
    endReason: end === undefined ? null : end.endReason,
    packets: { ...info.packets },
    bytes: { ...info.bytes },
    startUs: info.startUs,
    lastUs: info.lastUs,
  }
  if (info.tcpState !== undefined) s.tcpState = info.tcpState
  if (end !== undefined) {
    // The traffic-log record is the authority on what was logged at the end.
    s.application = end.application
    s.rule = end.rule
    s.action = end.action
    s.packets = { c2s: end.packetsC2s, s2c: end.packetsS2c }
    s.bytes = { c2s: end.bytesC2s, s2c: end.bytesS2c }
  }
  return s
}

/**
 * Replay `records` through a fresh engine. Resolves with the summary once every frame is processed
 * and written to `out` (the caller closes `out`).
 */
export async function replayRecords (records: AsyncIterable<CaptureRecord> | Iterable<CaptureRecord>, opts: ReplayOptions): Promise<ReplaySummary> {
  const ended = new Map<number, ReplaySession>()
  const userHooks = opts.hooks ?? {}
  // eslint-disable-next-line prefer-const
  let engine: Engine
  const hooks: EngineHooks = {
    ...userHooks,
    trafficLog: (rec) => {
      // Called before the engine frees the session: snapshot it for the summary.
      const info = engine.session(rec.sessionId)
      if (info !== undefined) ended.set(rec.sessionId, sessionOf(info, rec))
      userHooks.trafficLog?.(rec)
    },
  }
  engine = new Engine({ policy: opts.policy, hooks, inspector: opts.inspector })
  const warnings = [...engine.warnings]
  const frames = { in: 0, forwarded: 0, dropped: 0, forged: 0 }
  const out = opts.out
  let firstUs = 0
  let lastUs = 0

  const writeEmits = async (emits: Emit[], tsUs: number, fallbackLink: number): Promise<void> => {
    // `emits` belongs to the engine's reused result: read it all before the next engine call
    // (no engine call happens while these writes wait).
    for (const e of emits) {
      frames.forged++
      if (out !== undefined) await out.write({ tsUs, linkType: e.linkType ?? fallbackLink, data: e.frame, comment: e.comment })
    }
  }

  const due: Array<{ emits: Emit[], atUs: number }> = []
  for await (const rec of records) {
    if (frames.in === 0) firstUs = rec.tsUs
    frames.in++
    lastUs = Math.max(lastUs, rec.tsUs)
    // Fire every timer due by this frame, each at its own deadline (written after: the engine is
    // synchronous, the sink is not; each step's emits array is its own).
    engine.advanceTo(rec.tsUs, (emits, atUs) => { if (emits.length > 0) due.push({ emits, atUs }) })
    for (const d of due) await writeEmits(d.emits, d.atUs, rec.linkType)
    due.length = 0
    const r = engine.process(rec.data, PORT_UNKNOWN, rec.tsUs, rec.linkType)
    if (r.action === 'forward') {
      frames.forwarded++
      if (out !== undefined) await out.write({ tsUs: rec.tsUs, linkType: rec.linkType, data: rec.data, origLen: rec.origLen })
    } else {
      frames.dropped++
    }
    if (r.emits.length > 0) await writeEmits(r.emits, rec.tsUs, rec.linkType)
    if (opts.afterFrame !== undefined) await opts.afterFrame()
  }

  const all = new Map(ended)
  for (const info of engine.sessions()) all.set(info.id, sessionOf(info, undefined))
  const sessions = [...all.values()].sort((a, b) => a.id - b.id)
  const counters: Record<string, number> = {}
  for (const [name, v] of Object.entries(engine.counters())) if (v !== 0) counters[name] = v
  return { counters, sessions, frames, warnings, firstUs, lastUs }
}

/**
 * Replay a capture file.
 * @throws {RstlabError} RSTLAB_ERR_IO / RSTLAB_ERR_BAD_CAPTURE when it cannot be read as a capture.
 */
export async function replayFile (path: string, opts: ReplayOptions): Promise<ReplaySummary> {
  const damage: string[] = []
  const reader = await openCapture(path, {
    chunkSize: opts.chunkSize,
    onWarning: (w) => { damage.push(`${path}: ${w.message}`); opts.onWarning?.(w) },
  })
  const summary = await replayRecords(reader, opts)
  summary.warnings.push(...damage)
  return summary
}
