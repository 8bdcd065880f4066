/**
 * Replay: drive the engine with a capture file, capture timestamps as the clock.
 *
 * Before each frame, every timer due by the frame's timestamp fires (`advance` stepped through
 * `nextDeadline()`, so age-outs happen at their own time, between packets, as they would live).
 *
 * End of input means no more traffic, not the end of time: after the last frame the virtual clock
 * runs on, deadline by deadline, until every session has aged out exactly as it would on a firewall
 * that sees nothing more (established sessions `aged-out`, time-wait ones with the `tcp-fin` or RST
 * reason they already hold, discarded ones with theirs). So every session the replay created gets
 * its one traffic-log record; the summary's `endOfInput` says how far the clock ran on and how many
 * sessions ended after the last frame.
 *
 * Every frame the firewall emits goes to `out` in order: forwarded frames byte for byte with the
 * capture's timestamp and link type, forged frames (after the frame that caused them) with their
 * pcapng comment naming rule, action and trigger. There are no ports in a single capture: zones
 * come from the policy's address networks (PORT_UNKNOWN).
 *
 * Commits (`rstlab replay --commit`): a policy change at a capture time, through the engine's
 * `setPolicy` — the path the scenario `commit` step and a live bridge's commit take. A commit at T
 * is applied once every timer due by T has fired and before the first frame stamped T or later;
 * with rematch, the RSTs it forges go to `out` stamped T. Commits after the last frame are applied
 * at their time as the clock runs on, before the sessions left are aged out.
 */
import { openCapture, plausibleTimeUs, type CaptureFileReader, type CaptureRecord, type CaptureWarning, type PacketToWrite } from '../pcap/index.js'
import { Engine } from '../engine/engine.js'
import {
  PORT_UNKNOWN, type EngineHooks, type Emit, type SessionInfo, type EngineInspector, type TrafficLogRecord,
} from '../engine/types.js'
import type { Policy } from '../policy/types.js'
import { RstlabError } from '../errors.js'

/** Where emitted frames go (a `PcapngWriter` fits). `write` copies what it needs before resolving. */
export interface FrameSink {
  write (p: PacketToWrite): Promise<void>
  /**
   * Optional fast form (the capture writers have it): copy `data[off, off + len)` now; false when
   * the sink is backed up and the caller should `await drained()`.
   */
  writeFrame?: (tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number, origLen: number,
    comment?: string) => boolean
  drained?: () => Promise<void>
  /** Optional: keep nanosecond timestamps (set before the first write). */
  nanosecond?: boolean
}

/** A policy change during a replay (`--commit TIME=POLICY[:rematch]`). */
export interface ReplayCommit {
  /** When: µs after the first frame's timestamp, or a capture timestamp when `absolute`. */
  timeUs: number
  absolute: boolean
  policy: Policy
  /** Look every open session up again in the new policy (blocked ones are reset per its action). */
  rematch: boolean
  /** How to name it in messages, e.g. the command-line argument. */
  label: string
}

/** Commits must come in time order, all relative or all absolute. @throws {RstlabError} RSTLAB_ERR_USAGE */
export function checkCommitOrder (commits: readonly ReplayCommit[]): void {
  for (let i = 1; i < commits.length; i++) {
    const a = commits[i - 1]!
    const b = commits[i]!
    if (a.absolute !== b.absolute) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `--commit ${b.label}: mixes an absolute time (@SECONDS) with a relative one (${a.label})`,
        'give every --commit time the same way: all relative to the first frame (2.5) or all absolute capture times (@1700000002.5)')
    }
    if (b.timeUs <= a.timeUs) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `--commit ${b.label}: its time is not later than the one before it (${a.label})`,
        'give the --commit options in increasing time order, one commit per instant')
    }
  }
}

/** Progress of a replay, for a progress line (reported every few thousand frames). */
export interface ReplayProgress {
  frames: number
  /** Bytes of the capture read so far. */
  bytes: number
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
  /** Called every 65536 frames and after each chunk of the file (replayFile only). */
  onProgress?: (p: ReplayProgress) => void
  /** Policy changes at capture times, in time order (see `checkCommitOrder`). */
  commits?: readonly ReplayCommit[]
  /** Called after each commit is applied, at engine time `atUs`, with the number of frames it forged. */
  onCommit?: (c: ReplayCommit, atUs: number, forged: number) => void
  /** Sees every frame on the firewall's two sides (`rstlab replay --explain`). */
  wire?: WireObserver
  /**
   * Sessions the summary lists: 'all' (the default), or the first N by id (a text summary shows a
   * few; snapshotting every ended session was about 8 % of a replay of many short flows).
   * `sessionCount` counts them all either way.
   */
  keepSessions?: number | 'all'
}

/**
 * Watches both sides of the firewall during a replay. Buffers are lent for the call only.
 * `input`: a captured frame, `from` the side its session says sent it (undefined: no session),
 * `forwarded` whether it went on to the other side. `forged`: a frame the firewall made for `toward`.
 */
export interface WireObserver {
  input (tsUs: number, linkType: number, data: Buffer, from: 'client' | 'server' | undefined, forwarded: boolean): void
  forged (tsUs: number, linkType: number, data: Buffer, toward: 'client' | 'server'): void
}

/** The fields of a frame the replay loop reads: a `RecordView` fits, and so does `RecordAdapter`. */
interface FrameIn {
  tsUs: number
  tsNsRem: number
  linkType: number
  origLen: number
  caplen: number
  buf: Buffer
  off: number
}

/** A `CaptureRecord` seen as a `FrameIn` (iterable inputs). */
class RecordAdapter implements FrameIn {
  tsUs = 0
  tsNsRem = 0
  linkType = 0
  origLen = 0
  caplen = 0
  buf: Buffer = Buffer.alloc(0)
  off = 0
  set (r: CaptureRecord): this {
    this.tsUs = r.tsUs; this.tsNsRem = r.tsNsRem; this.linkType = r.linkType; this.origLen = r.origLen
    this.buf = r.data; this.off = 0; this.caplen = r.data.length
    return this
  }
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
  /** Every session the replay created, ended or not, by id (the first `keepSessions` of them when that is a number). */
  sessions: ReplaySession[]
  /** How many sessions the replay created. */
  sessionCount: number
  frames: { in: number, forwarded: number, dropped: number, forged: number }
  /** Extension: capture damage found while reading, and engine configuration warnings. */
  warnings: string[]
  /** Extension: capture time span (µs) of the frames replayed. */
  firstUs: number
  lastUs: number
  /**
   * After the last frame the clock ran on to `untilUs` (engine µs) so that every session aged out;
   * `sessionsEnded` of them ended then (each logged with the end reason its timer gives).
   */
  endOfInput: { untilUs: number, sessionsEnded: number }
  /** The `commits` applied, in order: engine time, and how many frames each forged (rematch RSTs). */
  commits: Array<{ label: string, atUs: number, rematch: boolean, forged: number }>
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
 * The replay loop for one engine. `frame` feeds one captured frame (sync; the sink's copies are made
 * before it returns); `finish` builds the summary. Writes go through the sink's `writeFrame` when it
 * has one (no allocation per frame), else through `write` (collected in `pending`, awaited by the driver).
 */
class ReplayLoop {
  private readonly ended = new Map<number, ReplaySession>()
  /** `keepSessions` as a number (Infinity: all); the largest id in `ended` once it is full. */
  private readonly keep: number
  private keptMax = 0
  /** Sessions that ended (each is logged once; refused first packets are logged too, and not counted). */
  private endedCount = 0
  readonly engine: Engine
  readonly warnings: string[]
  readonly frames = { in: 0, forwarded: 0, dropped: 0, forged: 0 }
  private firstUs = 0
  private lastUs = 0
  /** The engine clock: capture time, never backwards, never an implausible value. */
  private nowUs = 0
  /** Link type of the last frame (for frames forged after the input ended). */
  private lastLink = 1
  /** Link type for frames forged by timers before the current frame. */
  private stepLink = 1
  /** advanceTo's step callback, made once (no closure per frame); the sink copies at once. */
  private readonly onStep = (emits: Emit[], atUs: number): void => {
    if (emits.length > 0) this.writeEmits(emits, atUs, this.stepLink)
  }
  private readonly out: FrameSink | undefined
  private readonly wire: WireObserver | undefined
  private readonly fast: boolean
  private readonly commits: readonly ReplayCommit[]
  private readonly onCommit: ReplayOptions['onCommit']
  /** Next commit to apply, and its engine time (Infinity: none left, or not resolved before the first frame). */
  private ci = 0
  private nextCommitUs = Infinity
  /** Commits applied so far (the summary's `commits`). */
  readonly applied: Array<{ label: string, atUs: number, rematch: boolean, forged: number }> = []
  /** Slow sinks: writes not awaited yet. */
  pending: Array<Promise<void>> = []
  /** Fast sinks: the sink asked to wait. */
  backedUp = false

  constructor (opts: ReplayOptions) {
    const userHooks = opts.hooks ?? {}
    const hooks: EngineHooks = {
      ...userHooks,
      trafficLog: (rec) => {
        // Called before the engine frees the session: snapshot it for the summary, if it lists it.
        // (Session id 0: a first packet refused with the table full, which never had a session.)
        if (rec.sessionId !== 0) this.endedCount++
        if (rec.sessionId !== 0 && this.keeps(rec.sessionId)) {
          const info = this.engine.session(rec.sessionId)
          if (info !== undefined) this.ended.set(rec.sessionId, sessionOf(info, rec))
        }
        userHooks.trafficLog?.(rec)
      },
    }
    const k = opts.keepSessions ?? 'all'
    this.keep = k === 'all' ? Infinity : Math.max(0, Math.floor(k))
    this.engine = new Engine({ policy: opts.policy, hooks, inspector: opts.inspector })
    this.warnings = [...this.engine.warnings]
    this.out = opts.out
    this.wire = opts.wire
    this.fast = this.out?.writeFrame !== undefined
    this.commits = opts.commits ?? []
    checkCommitOrder(this.commits)
    this.onCommit = opts.onCommit
  }

  /**
   * Whether the summary lists session `id` (the `keep` lowest ids): makes room by dropping the
   * largest id kept when a lower one ends after the list is full.
   */
  private keeps (id: number): boolean {
    const ended = this.ended
    if (ended.size < this.keep) { if (id > this.keptMax) this.keptMax = id; return true }
    if (id >= this.keptMax) return false
    ended.delete(this.keptMax)
    let max = id
    for (const k of ended.keys()) if (k > max) max = k
    this.keptMax = max
    return true
  }

  /** Engine time of commit `i` (relative ones count from the first frame's clock). */
  private commitUs (i: number, baseUs: number): number {
    const c = this.commits[i]
    if (c === undefined) return Infinity
    return c.absolute ? c.timeUs : baseUs + c.timeUs
  }

  /** Apply every commit due by `now` (the scenario runner's `commit`: engine.setPolicy). */
  private commitsDue (now: number): void {
    const engine = this.engine
    while (this.ci < this.commits.length && this.nextCommitUs <= now) {
      const c = this.commits[this.ci]!
      // Never behind the engine's clock (an absolute time before the first frame applies at once).
      const at = Math.max(this.nextCommitUs, this.appliedUs)
      engine.advanceTo(at, this.onStep)
      const r = engine.setPolicy(c.policy, { rematch: c.rematch, nowUs: at })
      const forged = r.emits.length
      if (forged > 0) this.writeEmits(r.emits, at, this.stepLink)
      for (const w of engine.warnings) if (!this.warnings.includes(w)) this.warnings.push(w)
      this.applied.push({ label: c.label, atUs: at, rematch: c.rematch, forged })
      this.onCommit?.(c, at, forged)
      this.appliedUs = at
      this.ci++
      this.nextCommitUs = this.commitUs(this.ci, this.baseUs)
    }
  }

  /** Base of relative commit times (the first frame's engine clock) and the last commit's time. */
  private baseUs = 0
  private appliedUs = 0

  private put (tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number, origLen: number, comment?: string): void {
    const out = this.out
    if (out === undefined) return
    if (this.fast) {
      if (!out.writeFrame!(tsUs, tsNsRem, linkType, data, off, len, origLen, comment)) this.backedUp = true
    } else {
      const p: PacketToWrite = { tsUs, linkType, data: off === 0 && len === data.length ? data : data.subarray(off, off + len), origLen }
      if (tsNsRem !== 0) p.tsNsRem = tsNsRem
      if (comment !== undefined) p.comment = comment
      this.pending.push(out.write(p))
    }
  }

  private writeEmits (emits: Emit[], tsUs: number, fallbackLink: number): void {
    // `emits` belongs to the engine's reused result: read it all before the next engine call.
    for (let i = 0; i < emits.length; i++) {
      const e = emits[i]!
      this.frames.forged++
      this.wire?.forged(tsUs, e.linkType ?? fallbackLink, e.frame, e.toward)
      this.put(tsUs, 0, e.linkType ?? fallbackLink, e.frame, 0, e.frame.length, e.frame.length, e.comment)
    }
  }

  /** One captured frame: fire the timers due by its time, then process it. */
  frame (v: FrameIn): void {
    const frames = this.frames
    const ts = v.tsUs
    if (frames.in === 0) {
      this.firstUs = ts; this.nowUs = plausibleTimeUs(ts) ? ts : 0
      this.baseUs = this.nowUs; this.appliedUs = this.nowUs
      this.nextCommitUs = this.commitUs(0, this.baseUs)
      if (this.commits.length > 0 && this.commits[0]!.absolute) this.appliedUs = 0
    }
    frames.in++
    this.lastLink = v.linkType
    if (ts > this.lastUs) this.lastUs = ts
    // The engine clock follows the capture but never runs backwards, and ignores implausible times
    // (the reader warns about both).
    if (ts > this.nowUs && plausibleTimeUs(ts)) this.nowUs = ts
    const now = this.nowUs
    const engine = this.engine
    // Fire every timer due by this frame, each at its own deadline (the engine's one driver loop).
    this.stepLink = v.linkType
    if (this.nextCommitUs <= now) this.commitsDue(now)
    engine.advanceTo(now, this.onStep)
    // The frame stays where it lies in the reader's chunk (no Buffer per frame on the fast path).
    const r = engine.processAt(v.buf, v.off, v.caplen, PORT_UNKNOWN, now, v.linkType)
    if (r.action === 'forward') {
      frames.forwarded++
      this.put(ts, v.tsNsRem, v.linkType, v.buf, v.off, v.caplen, v.origLen)
    } else {
      frames.dropped++
    }
    if (this.wire !== undefined) this.wire.input(ts, v.linkType, v.buf.subarray(v.off, v.off + v.caplen), r.dir === undefined ? undefined : r.dir === 'c2s' ? 'client' : 'server', r.action === 'forward')
    if (r.emits.length > 0) this.writeEmits(r.emits, ts, v.linkType)
  }

  /** Wait for the sink if it asked to. */
  async settle (): Promise<void> {
    if (this.pending.length > 0) {
      const p = this.pending
      this.pending = []
      await Promise.all(p)
    }
    if (this.backedUp) {
      this.backedUp = false
      await this.out!.drained?.()
    }
  }

  /**
   * No more traffic: run the clock on, deadline by deadline, until the table is empty. Timers never
   * stop (every session has an idle timeout), so this ends; the guard catches an engine that stops
   * making progress, and whatever is left then is ended as `clear session all` would.
   */
  drain (): { untilUs: number, sessionsEnded: number } {
    const engine = this.engine
    // Commits after the last frame (or in a capture with none) happen at their time.
    if (this.ci < this.commits.length) {
      if (this.frames.in === 0) this.nextCommitUs = this.commitUs(0, 0)
      this.stepLink = this.lastLink
      this.commitsDue(Infinity)
      if (this.appliedUs > this.nowUs) this.nowUs = this.appliedUs
    }
    const before = engine.sessionCount()
    let now = this.nowUs
    for (let guard = 0; guard < 10_000_000; guard++) {
      const due = engine.nextDeadline()
      if (due === undefined) break
      if (due > now) now = due
      const r = engine.advance(now)
      if (r.emits.length > 0) this.writeEmits(r.emits, now, this.lastLink)
      const next = engine.nextDeadline()
      if (next !== undefined && next <= now && next <= due) now += 1 // no progress at this instant: step on
    }
    if (engine.sessionCount() > 0) engine.clearSessions(now)
    this.nowUs = now
    return { untilUs: now, sessionsEnded: before }
  }

  finish (): ReplaySummary {
    const endOfInput = this.drain()
    const engine = this.engine
    // The drain ends every session (each logged); any left would be listed as still open.
    const open = engine.sessionCount()
    if (open > 0) for (const info of engine.sessions()) if (this.keeps(info.id)) this.ended.set(info.id, sessionOf(info, undefined))
    const sessions = [...this.ended.values()].sort((a, b) => a.id - b.id)
    const counters: Record<string, number> = {}
    for (const [name, v] of Object.entries(engine.counters())) if (v !== 0) counters[name] = v
    return {
      counters, sessions, sessionCount: this.endedCount + open, frames: this.frames, warnings: this.warnings,
      firstUs: this.firstUs, lastUs: this.lastUs, endOfInput, commits: this.applied,
    }
  }
}

/**
 * Replay `records` through a fresh engine. Resolves with the summary once every frame is processed
 * and written to `out` (the caller closes `out`).
 */
export async function replayRecords (records: AsyncIterable<CaptureRecord> | Iterable<CaptureRecord>, opts: ReplayOptions): Promise<ReplaySummary> {
  const loop = new ReplayLoop(opts)
  const a = new RecordAdapter()
  for await (const rec of records) {
    loop.frame(a.set(rec))
    await loop.settle()
    if (opts.afterFrame !== undefined) await opts.afterFrame()
  }
  const summary = loop.finish()
  await loop.settle()
  return summary
}

/** The fast driver: the reader's reused views, no promise per frame unless a hook asks for one. */
async function replayReader (reader: CaptureFileReader, opts: ReplayOptions): Promise<ReplaySummary> {
  const loop = new ReplayLoop(opts)
  const afterFrame = opts.afterFrame
  const onProgress = opts.onProgress
  const out = opts.out
  let first = true
  do {
    for (let v = reader.nextView(); v !== undefined; v = reader.nextView()) {
      if (first) {
        first = false
        if (out !== undefined && reader.subMicrosecond) out.nanosecond = true
      }
      loop.frame(v)
      if (afterFrame !== undefined) { await loop.settle(); await afterFrame() } else if (loop.backedUp || loop.pending.length > 0) await loop.settle()
      if (onProgress !== undefined && (loop.frames.in & 0xffff) === 0) onProgress({ frames: loop.frames.in, bytes: reader.bytesRead })
    }
    onProgress?.({ frames: loop.frames.in, bytes: reader.bytesRead })
  } while (await reader.refill())
  await loop.settle()
  const summary = loop.finish()
  await loop.settle()
  return summary
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
  const summary = await replayReader(reader, opts)
  summary.warnings.push(...damage)
  return summary
}
