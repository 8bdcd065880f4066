/**
 * The per-session inspection object the engine holds (optional: sessions that need neither App-ID nor
 * threat matching get none, see `Inspection.forSession`). The engine feeds it the in-order payload of
 * each direction and reacts to the events it returns:
 *
 * - `EV_APP`: the application was decided (`app`), possibly `unknown-tcp`/`unknown-udp`. If the session's
 *   rule match was tentative, the engine looks the policy up again with `app` set.
 * - `EV_THREAT`: one or more signatures matched (`hits`, in signature order). `blockingHit` is the first
 *   whose action blocks (drop / reset-*), if any: the engine drops the packet, forges RSTs from tracked
 *   state and ends the session with reason `threat`. `alert` hits only log.
 *
 * Nothing here reads a clock or does I/O.
 */
import { AppIdentifier, type DirIndex } from './identify.js'
import { isBlocking, ThreatMatcher, type SessionSignatures, type ThreatHit } from './threats.js'

/** Undecided bytes kept per direction for the scan after App-ID's decision (App-ID reads at most 512). */
const PRE_MAX = 4096

export const EV_NONE = 0
export const EV_APP = 1
export const EV_THREAT = 2

export class SessionInspector {
  /** App-ID state, or undefined when this session does not identify. */
  readonly identifier: AppIdentifier | undefined
  /** Threat matching state, or undefined when no signature applies (or after a blocking hit). */
  private matcher: ThreatMatcher | undefined
  /** The signatures attached now (kept after a block, so re-attaching the same ones is a no-op). */
  private sigs: SessionSignatures | undefined
  /** A blocking hit ended matching for good. */
  private blocked = false
  /** Hits of the last `feed` call (reused array: read before the next call). */
  readonly hits: ThreatHit[] = []
  /** The first hit of the last `feed` call whose action blocks (drop / reset-*), or undefined. After
   *  one, matching stops for the session (the engine discards it). */
  blockingHit: ThreatHit | undefined = undefined
  /** Segments skipped because they were not in order (for `show session` / counters). */
  skippedOutOfOrder = 0
  /** In-order payload bytes fed per direction (c2s, s2c): the stream offset of the next byte. */
  readonly fed: [number, number] = [0, 0]
  /**
   * Each direction's stream from its first byte while the application is undecided (at most
   * PRE_MAX bytes; undefined once more came, or when this session does not identify). When App-ID's
   * decision brings a profile, these bytes are scanned rather than only the deciding segment: a
   * signature whose start came before the deciding segment (a 1-byte first segment, then the rest)
   * is found.
   */
  private pre: [Buffer | undefined, Buffer | undefined] = [undefined, undefined]
  private preLen: [number, number] = [0, 0]
  private preOver: [boolean, boolean] = [false, false]
  /** Set by setSignatures when the next rescan is to cover `pre` in both directions. */
  private rescanPre = false

  constructor (proto: 'tcp' | 'udp', identify: boolean, sigs: SessionSignatures | undefined) {
    this.identifier = identify ? new AppIdentifier(proto) : undefined
    this.sigs = sigs
    this.matcher = sigs !== undefined ? new ThreatMatcher(sigs) : undefined
  }

  /** The decided application, or undefined while undecided (or when this session does not identify). */
  get app (): string | undefined { return this.identifier?.app }

  /** Application name for logs and `show session` as of now (incomplete / insufficient-data while undecided). */
  get appName (): string | undefined { return this.identifier?.name }

  /** TLS SNI if the application is `ssl` and the ClientHello carried one. */
  get sni (): string | undefined { return this.identifier?.detail }

  /** True when threat matching is active. */
  get matching (): boolean { return this.matcher !== undefined }

  /** Nothing left to do: the application is decided (or not wanted) and no signature applies. The
   *  engine may keep the object for `app` but skip `feed` (or drop it after copying `appName`). */
  get done (): boolean {
    return (this.identifier === undefined || this.identifier.decided) && this.matcher === undefined
  }

  /**
   * Switch the signatures (after re-evaluation picked a rule with another profile); undefined = none.
   * Offsets/depths keep counting from each direction's stream start. `rewind` (given when App-ID's
   * decision brought the switch) makes the next `rescan` cover what came before: both directions'
   * streams from their first byte when `pre` holds them (up to PRE_MAX bytes each), else the last
   * segment of `rewind.dir` only. Otherwise bytes before the switch are not carried over, so a content
   * split across the switch point is not found.
   * Returns false when the signatures are the ones already in use (nothing changed).
   */
  setSignatures (sigs: SessionSignatures | undefined, rewind?: { dir: 'c2s' | 's2c', len: number }): boolean {
    if (sigs === this.sigs || this.blocked) return false
    this.sigs = sigs
    this.rescanPre = false
    let pos: [number, number]
    if (rewind !== undefined && this.preHeld()) {
      // The whole undecided stream of both directions is at hand: scan it from its first bytes.
      pos = [this.fed[0] - this.preLen[0], this.fed[1] - this.preLen[1]]
      this.rescanPre = true
    } else {
      const back = rewind === undefined ? 0 : rewind.len
      pos = rewind?.dir === 'c2s' ? [this.fed[0] - back, this.fed[1]] : [this.fed[0], this.fed[1] - back]
    }
    this.matcher = sigs !== undefined ? new ThreatMatcher(sigs, pos) : undefined
    return true
  }

  /** Whether `pre` holds each direction's stream from its first byte (nothing was left out). */
  private preHeld (): boolean {
    return !this.preOver[0] && !this.preOver[1] && this.preLen[0] === this.fed[0] && this.preLen[1] === this.fed[1] && this.preLen[0] + this.preLen[1] > 0
  }

  private releasePre (): void {
    this.pre[0] = this.pre[1] = undefined
    this.preLen[0] = this.preLen[1] = 0
  }

  /**
   * Scan a segment already fed (and identified) again with the signatures in use now: the segment
   * that decided the application, after re-evaluation brought a profile. Hits are appended to `hits`;
   * returns EV_THREAT or EV_NONE and updates `blockingHit` like `feed`.
   */
  rescan (dir: 'c2s' | 's2c', buf: Buffer, off: number, len: number): number {
    const m = this.matcher
    const pre = this.rescanPre
    this.rescanPre = false
    if (m === undefined || len <= 0) { this.releasePre(); return EV_NONE }
    const before = this.hits.length
    let found = 0
    if (pre) {
      // The undecided bytes of each direction (the deciding segment is the last of its direction's).
      for (const d of [0, 1] as const) if (this.preLen[d] > 0) found += m.scan(d, this.pre[d]!, 0, this.preLen[d], this.hits)
    } else {
      found = m.scan(dir === 'c2s' ? 0 : 1, buf, off, len, this.hits)
    }
    this.releasePre()
    if (found === 0) return EV_NONE
    if (this.blockingHit === undefined) {
      for (let i = before; i < this.hits.length; i++) if (isBlocking(this.hits[i]!.sig.action)) { this.blockingHit = this.hits[i]; break }
      if (this.blockingHit !== undefined) { this.matcher = undefined; this.blocked = true }
    }
    return EV_THREAT
  }

  /** Append an undecided segment to `pre` (or note that the direction outgrew it). */
  private keepPre (d: DirIndex, buf: Buffer, off: number, len: number): void {
    if (this.preOver[d]) return
    const have = this.preLen[d]
    if (have + len > PRE_MAX) { this.preOver[d] = true; this.pre[d] = undefined; this.preLen[d] = 0; return }
    const p = this.pre[d] ??= Buffer.allocUnsafe(PRE_MAX)
    p.set(buf.subarray(off, off + len), have)
    this.preLen[d] = have + len
  }

  /**
   * Feed the payload of one packet. `inOrder` false means the segment does not start at the direction's
   * next expected sequence number (a retransmission or data ahead of a gap): it is neither identified
   * nor scanned. For a segment that overlaps already-seen data, pass only its new part (off/len trimmed).
   * For UDP pass `inOrder` true (each datagram is a message).
   * Returns a bit set of EV_APP | EV_THREAT.
   */
  feed (dir: 'c2s' | 's2c', buf: Buffer, off: number, len: number, inOrder: boolean): number {
    this.blockingHit = undefined
    if (this.hits.length !== 0) this.hits.length = 0
    if (len <= 0) return EV_NONE
    if (!inOrder) { this.skippedOutOfOrder++; return EV_NONE }
    const d: DirIndex = dir === 'c2s' ? 0 : 1
    this.fed[d] += len
    let ev = EV_NONE
    const id = this.identifier
    if (id !== undefined && !id.decided) {
      this.keepPre(d, buf, off, len)
      if (id.feed(d, buf, off, len)) ev |= EV_APP
    } else if (this.pre[0] !== undefined || this.pre[1] !== undefined) {
      this.releasePre()
    }
    const m = this.matcher
    if (m !== undefined && m.scan(d, buf, off, len, this.hits) > 0) {
      ev |= EV_THREAT
      for (const h of this.hits) if (isBlocking(h.sig.action)) { this.blockingHit = h; break }
      if (this.blockingHit !== undefined) { this.matcher = undefined; this.blocked = true }
    }
    return ev
  }
}
