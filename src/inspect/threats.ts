/**
 * Threat signatures: content matches on a session's payload, in the spirit of PAN-OS custom
 * vulnerability/spyware signatures attached to rules through security profiles (see docs/panos-model.md#threats).
 *
 * `ThreatTable` compiles a policy's `threats:` section once: it checks references, and caches per
 * (profile, protocol, server port) the signatures that apply to a session, split by direction.
 * `ThreatMatcher` is the per-session state: per direction the stream position and the last
 * (longest content − 1) bytes, so a content split over two segments is found.
 *
 * Reassembly model (a decision, documented in docs/inspect.md): only in-order segments are scanned —
 * the engine passes the part of a segment that starts at the direction's next expected sequence number.
 * Retransmitted bytes are not scanned again; a segment that arrives ahead of a gap is not scanned at all
 * (rstlab does not queue out-of-order data the way PAN-OS does), so a signature inside it is missed.
 *
 * The search uses Node's native `Buffer.indexOf` per signature over the segment (no copy) plus a small
 * scratch window over the seam between the carried bytes and the segment. No allocation per packet.
 */
import { RstlabError } from '../errors.js'
import type { Service, Severity, ThreatAction, ThreatConfig, ThreatSignature } from '../policy/types.js'
import type { DirIndex } from './identify.js'

export interface CompiledSignature {
  readonly name: string
  readonly content: Buffer
  /** Content must start at or after this stream offset (0 when not configured). */
  readonly offset: number
  /** Content must end within this many stream bytes (Infinity when not configured). */
  readonly depth: number
  /** 1 = c2s, 2 = s2c, 3 = both. */
  readonly dirMask: number
  readonly severity: Severity
  readonly action: ThreatAction
  readonly service: Service[]
  readonly source: ThreatSignature
}

/** The signatures that apply to one session, per direction (index 0 = c2s, 1 = s2c). */
export interface SessionSignatures {
  readonly byDir: [CompiledSignature[], CompiledSignature[]]
  /** Longest content length over both lists (≥ 1). */
  readonly maxLen: number
  /** The seam window of the table that made these lists (shared: the engine is single-threaded). */
  readonly scratch: Buffer
}

export interface ThreatHit {
  sig: CompiledSignature
  dir: 'c2s' | 's2c'
  /** Stream offset (bytes from the direction's first payload byte) where the content starts. */
  streamOffset: number
}

/** Does `action` block the session? `alert` logs only, `allow` neither logs nor blocks. */
export function isBlocking (action: ThreatAction): boolean {
  return action !== 'alert' && action !== 'allow'
}

/** For UDP (and anything not TCP) every reset-* action just drops (web help "Actions in Security Profiles"; see docs/panos-model.md#threats). */
export function threatActionFor (action: ThreatAction, proto: number): ThreatAction {
  return proto !== 6 && action.startsWith('reset-') ? 'drop' : action
}

/** Is (proto, port) inside a service list? Empty list or `any` or `application-default` = everything. */
export function serviceCovers (services: Service[], proto: number, port: number): boolean {
  if (services.length === 0) return true
  for (const s of services) {
    if (s.kind !== 'port') return true
    if ((s.proto === 'tcp' ? 6 : 17) !== proto) continue
    for (const [lo, hi] of s.ranges) if (port >= lo && port <= hi) return true
  }
  return false
}

function policyError (where: string, msg: string, hint: string): RstlabError {
  return new RstlabError('RSTLAB_ERR_POLICY', `${where}: ${msg}`, hint)
}

function compileSignature (s: ThreatSignature): CompiledSignature {
  const where = s.where || '<threats>'
  if (s.content.length === 0) throw policyError(where, `signature "${s.name}" has empty content`, 'give `content: "text"` or `hex: "de ad"` with at least one byte')
  const offset = s.offset ?? 0
  const depth = s.depth ?? Infinity
  if (!Number.isInteger(offset) || offset < 0) throw policyError(where, `signature "${s.name}": offset ${String(s.offset)} is not a whole number ≥ 0`, 'offset counts bytes from the start of the stream')
  if (depth !== Infinity && (!Number.isInteger(depth) || depth < offset + s.content.length)) {
    throw policyError(where, `signature "${s.name}": depth ${String(s.depth)} is smaller than offset + content length (${offset + s.content.length}), so it can never match`, 'raise depth or drop it')
  }
  return {
    name: s.name,
    content: s.content,
    offset,
    depth,
    dirMask: s.direction === 'c2s' ? 1 : s.direction === 's2c' ? 2 : 3,
    severity: s.severity,
    action: s.action,
    service: s.service,
    source: s,
  }
}

export class ThreatTable {
  readonly signatures: ReadonlyMap<string, CompiledSignature>
  readonly profiles: ReadonlyMap<string, CompiledSignature[]>
  private readonly cache = new Map<string, SessionSignatures | null>()
  /** Shared seam window (the engine is single-threaded): 2 × (longest content − 1) bytes. */
  readonly scratch: Buffer

  /** @throws RstlabError RSTLAB_ERR_POLICY for duplicate names, unknown signatures in a profile, bad offset/depth. */
  constructor (config: ThreatConfig) {
    const sigs = new Map<string, CompiledSignature>()
    let maxLen = 1
    for (const s of config.signatures) {
      if (sigs.has(s.name)) throw policyError(s.where || '<threats>', `signature "${s.name}" is defined twice`, 'give every signature its own name')
      const c = compileSignature(s)
      sigs.set(s.name, c)
      maxLen = Math.max(maxLen, c.content.length)
    }
    const profiles = new Map<string, CompiledSignature[]>()
    for (const [name, list] of config.profiles) {
      profiles.set(name, list.map(n => {
        const c = sigs.get(n)
        if (c === undefined) {
          const known = [...sigs.keys()].join(', ') || 'none defined'
          throw policyError('<threats>', `profile "${name}" names unknown signature "${n}"`, `define it under threats.signatures (known: ${known})`)
        }
        return c
      }))
    }
    this.signatures = sigs
    this.profiles = profiles
    this.scratch = Buffer.alloc(2 * (maxLen - 1) + 1)
  }

  /**
   * The signatures of `profile` that apply to a session of `proto` (6/17) to server port `port`,
   * or undefined when none do (then the session needs no threat matching). Cached; do not mutate.
   */
  forSession (profile: string | undefined, proto: number, port: number): SessionSignatures | undefined {
    if (profile === undefined) return undefined
    const key = `${profile}/${proto}/${port}`
    let r = this.cache.get(key)
    if (r === undefined) {
      const all = this.profiles.get(profile) ?? []
      const byDir: [CompiledSignature[], CompiledSignature[]] = [[], []]
      let maxLen = 1
      for (const s of all) {
        if (!serviceCovers(s.service, proto, port)) continue
        if ((s.dirMask & 1) !== 0) byDir[0].push(s)
        if ((s.dirMask & 2) !== 0) byDir[1].push(s)
        maxLen = Math.max(maxLen, s.content.length)
      }
      r = byDir[0].length + byDir[1].length === 0 ? null : { byDir, maxLen, scratch: this.scratch }
      if (this.cache.size > 4096) this.cache.clear()
      this.cache.set(key, r)
    }
    return r ?? undefined
  }
}

/** Per-session, per-direction matching state. */
export class ThreatMatcher {
  readonly sigs: SessionSignatures
  private readonly scratch: Buffer
  /** Last (maxLen − 1) bytes per direction. */
  private readonly carry: [Buffer, Buffer]
  private readonly carryLen: [number, number] = [0, 0]
  /** Bytes scanned so far per direction (stream offset of the next byte). */
  readonly streamPos: [number, number] = [0, 0]
  /** Signatures already reported in this session, per direction, so one content logs once. */
  private readonly fired: [Uint8Array, Uint8Array]

  /** `startPos`: stream offsets per direction of the next byte (when signatures are attached mid-stream). */
  constructor (sigs: SessionSignatures, startPos?: readonly [number, number]) {
    this.sigs = sigs
    if (startPos !== undefined) { this.streamPos[0] = startPos[0]; this.streamPos[1] = startPos[1] }
    this.scratch = sigs.scratch
    const cap = sigs.maxLen - 1
    this.carry = [Buffer.alloc(cap), Buffer.alloc(cap)]
    this.fired = [new Uint8Array(sigs.byDir[0].length), new Uint8Array(sigs.byDir[1].length)]
  }

  /**
   * Scan the next in-order bytes of one direction. Appends hits to `hits` (each signature at most once
   * per session and direction) and returns how many were added.
   */
  scan (dir: DirIndex, buf: Buffer, off: number, len: number, hits: ThreatHit[]): number {
    if (len <= 0) return 0
    const list = this.sigs.byDir[dir]
    const fired = this.fired[dir]
    const pos = this.streamPos[dir]
    const carry = this.carry[dir]
    const cLen = this.carryLen[dir]
    const end = off + len
    let added = 0

    // Seam window: the carried tail + the first (maxLen − 1) bytes of this segment.
    const k = cLen
    const m = Math.min(len, this.sigs.maxLen - 1)
    if (k > 0) {
      carry.copy(this.scratch, 0, 0, k)
      buf.copy(this.scratch, k, off, off + m)
    }

    for (let i = 0; i < list.length; i++) {
      if (fired[i] !== 0) continue
      const s = list[i]!
      const clen = s.content.length
      if (pos + len <= s.offset || pos - Math.min(k, clen - 1) + clen > s.depth) continue
      let at = -1
      // 1. Matches that start in the carried bytes and end in this segment.
      if (k > 0 && clen > 1) {
        const from = Math.max(k - (clen - 1), 0, s.offset - (pos - k))
        const j = from < k ? this.scratch.indexOf(s.content, from) : -1
        if (j >= 0 && j < k && j + clen <= k + m) at = pos - k + j
      }
      // 2. Matches inside this segment.
      if (at < 0) {
        const from = off + Math.max(0, s.offset - pos)
        const j = from < end ? buf.indexOf(s.content, from) : -1
        if (j >= 0 && j + clen <= end) at = pos + (j - off)
      }
      if (at >= 0 && at + clen <= s.depth) {
        fired[i] = 1
        hits.push({ sig: s, dir: dir === 0 ? 'c2s' : 's2c', streamOffset: at })
        added++
      }
    }

    // Keep the last (maxLen − 1) bytes of the stream for the next segment.
    const cap = carry.length
    if (cap > 0) {
      if (len >= cap) {
        buf.copy(carry, 0, end - cap, end)
        this.carryLen[dir] = cap
      } else {
        const keep = Math.min(cLen, cap - len)
        carry.copyWithin(0, cLen - keep, cLen)
        buf.copy(carry, keep, off, end)
        this.carryLen[dir] = keep + len
      }
    }
    this.streamPos[dir] = pos + len
    return added
  }
}
