/**
 * App-ID light: name a session's application from the first payload bytes of each direction.
 *
 * The table `IDENTIFIERS` lists, per application and protocol, a probe for the first bytes of the
 * client→server stream, the server→client stream, or both (then both must match: FTP and SMTP share
 * the "220" greeting and differ in the client's first command). Add an application by adding a probe to
 * `probes.ts`, a row here and its ports to `apps.ts`.
 *
 * `AppIdentifier` is the per-session state. It holds at most `BYTE_BUDGET` bytes per direction, and
 * only while some probe still says 'need-more' for that direction; once the application is decided it
 * keeps nothing and `feed` returns at the first test.
 *
 * Names for the undecided follow PAN-OS (see docs/panos-model.md#app-id):
 * - `incomplete`: no payload at all before the session ended (handshake not completed, or no data);
 * - `insufficient-data`: payload seen, but too little to decide;
 * - `unknown-tcp` / `unknown-udp`: payload seen and every identifier ruled it out;
 * - `not-applicable`: blocked before identification could start (the engine assigns that one).
 */
import {
  type Probe, dnsTcpQuery, dnsUdpMessage, ftpFirstCommand, greeting220,
  httpRequest, smtpHello, sshBanner, tlsClientHello, tlsSni,
} from './probes.js'

export interface Identifier {
  app: string
  proto: 'tcp' | 'udp'
  /** Probe over the first bytes client→server; every probe given must match. */
  c2s?: Probe
  /** Probe over the first bytes server→client. */
  s2c?: Probe
  /** With probes in both directions: true = either one matching decides (SSH, where both sides send
   *  their banner and either may come first), false (default) = both must match (FTP, SMTP).
   *  Either way a 'no' from any probe rules the row out. */
  either?: boolean
  /** Extra detail recorded once identified, from the bytes of the c2s stream (TLS: the SNI). */
  c2sDetail?: (buf: Uint8Array, off: number, len: number) => string | undefined
}

/** Order matters only when two rows could both match: the first one wins. At most 31 rows. */
export const IDENTIFIERS: readonly Identifier[] = [
  { app: 'web-browsing', proto: 'tcp', c2s: httpRequest },
  { app: 'ssl', proto: 'tcp', c2s: tlsClientHello, c2sDetail: tlsSni },
  { app: 'ssh', proto: 'tcp', c2s: sshBanner, s2c: sshBanner, either: true },
  { app: 'ftp', proto: 'tcp', s2c: greeting220, c2s: ftpFirstCommand },
  { app: 'smtp', proto: 'tcp', s2c: greeting220, c2s: smtpHello },
  { app: 'dns', proto: 'tcp', c2s: dnsTcpQuery },
  // UDP has no handshake: the "client" is whoever sent first, which may be a responder seen mid-flow.
  { app: 'dns', proto: 'udp', c2s: dnsUdpMessage },
]

/** Bytes kept per direction while undecided. A probe still wanting more beyond this counts as 'no'. */
export const BYTE_BUDGET = 512

export const APP_INCOMPLETE = 'incomplete'
export const APP_INSUFFICIENT = 'insufficient-data'
export const APP_UNKNOWN_TCP = 'unknown-tcp'
export const APP_UNKNOWN_UDP = 'unknown-udp'
export const APP_NOT_APPLICABLE = 'not-applicable'

/** Per table: which rows are for TCP / UDP and which rows have a probe in each direction. */
interface Masks { tcp: number, udp: number, dir: [number, number], either: number }

function masksOf (table: readonly Identifier[]): Masks {
  if (table.length > 31) throw new Error('App-ID table holds at most 31 identifiers')
  const m: Masks = { tcp: 0, udp: 0, dir: [0, 0], either: 0 }
  table.forEach((id, i) => {
    const bit = 1 << i
    if (id.proto === 'tcp') m.tcp |= bit; else m.udp |= bit
    if (id.c2s !== undefined) m.dir[0] |= bit
    if (id.s2c !== undefined) m.dir[1] |= bit
    if (id.either === true) m.either |= bit
  })
  return m
}

const DEFAULT_MASKS = masksOf(IDENTIFIERS)

/** 0 = c2s, 1 = s2c. */
export type DirIndex = 0 | 1

export class AppIdentifier {
  /** The application once decided (an identified name, or unknown-tcp / unknown-udp), else undefined. */
  app: string | undefined = undefined
  /** Extra detail of the identified application (the TLS SNI), if any. */
  detail: string | undefined = undefined
  /** Some payload was fed (in either direction). */
  dataSeen = false

  private readonly table: readonly Identifier[]
  private readonly masks: Masks
  private readonly udp: boolean
  /** Rows still possible. */
  private candidates: number
  /** Rows whose probe for that direction has matched. */
  private readonly matched: [number, number] = [0, 0]
  /** Bytes held per direction while a probe says 'need-more' (allocated on first need). */
  private readonly held: [Uint8Array | undefined, Uint8Array | undefined] = [undefined, undefined]
  private readonly heldLen: [number, number] = [0, 0]

  constructor (proto: 'tcp' | 'udp', table: readonly Identifier[] = IDENTIFIERS) {
    this.table = table
    this.masks = table === IDENTIFIERS ? DEFAULT_MASKS : masksOf(table)
    this.udp = proto === 'udp'
    this.candidates = this.udp ? this.masks.udp : this.masks.tcp
  }

  get decided (): boolean { return this.app !== undefined }

  /**
   * The application name as of now: the decided one, else `incomplete` (no payload yet) or
   * `insufficient-data` (payload, undecided). Use this for logs when the session ends.
   */
  get name (): string {
    if (this.app !== undefined) return this.app
    return this.dataSeen ? APP_INSUFFICIENT : APP_INCOMPLETE
  }

  /**
   * Feed the next in-order payload of one direction (for UDP: one datagram). Returns true when this call
   * decided the application (read `app`). Cheap once decided. Does not keep a reference to `buf`.
   */
  feed (dir: DirIndex, buf: Uint8Array, off: number, len: number): boolean {
    if (this.app !== undefined || len <= 0) return false
    this.dataSeen = true
    const pending = this.candidates & this.masks.dir[dir] & ~this.matched[dir]
    if (pending !== 0) this.probe(dir, pending, buf, off, len)
    return this.decide(dir)
  }

  private probe (dir: DirIndex, pending: number, buf: Uint8Array, off: number, len: number): void {
    // View: the segment itself when nothing is held yet (no copy), else the held bytes plus this segment.
    let vb = buf; let vo = off; let vl = Math.min(len, BYTE_BUDGET)
    let held = this.held[dir]
    if (this.heldLen[dir] > 0) {
      const h = held!
      const n = Math.min(len, BYTE_BUDGET - this.heldLen[dir])
      h.set(buf.subarray(off, off + n), this.heldLen[dir])
      this.heldLen[dir] += n
      vb = h; vo = 0; vl = this.heldLen[dir]
    }
    const final = this.udp || vl >= BYTE_BUDGET
    let more = false
    for (let i = 0; pending !== 0; i++, pending >>>= 1) {
      if ((pending & 1) === 0) continue
      const bit = 1 << i
      const id = this.table[i]!
      const r = (dir === 0 ? id.c2s! : id.s2c!)(vb, vo, vl)
      if (r === 'match') {
        this.matched[dir] |= bit
        // Detail (SNI) may sit past the byte budget in a large first segment: give it the whole segment.
        if (dir === 0 && id.c2sDetail !== undefined && this.detail === undefined) this.detail = id.c2sDetail(vb, vo, vb === buf ? len : vl)
      } else if (r === 'no' || final) {
        this.candidates &= ~bit
      } else {
        more = true
      }
    }
    if (more && this.heldLen[dir] === 0) {
      // First need for more bytes in this direction: keep what we saw.
      held ??= this.held[dir] = new Uint8Array(BYTE_BUDGET)
      held.set(buf.subarray(off, off + vl), 0)
      this.heldLen[dir] = vl
    }
  }

  private decide (dir: DirIndex): boolean {
    const c = this.candidates
    const { dir: d, either } = this.masks
    const both = ~either & (~d[0] | this.matched[0]) & (~d[1] | this.matched[1])
    const complete = c & (both | (either & (this.matched[0] | this.matched[1])))
    if (complete !== 0) {
      const i = 31 - Math.clz32(complete & -complete)
      this.app = this.table[i]!.app
      if (this.table[i]!.c2sDetail === undefined) this.detail = undefined
    } else if (c === 0) {
      this.app = this.udp ? APP_UNKNOWN_UDP : APP_UNKNOWN_TCP
      this.detail = undefined
    } else {
      // Nothing more can come from this direction's probes: stop holding its bytes.
      if ((c & this.masks.dir[dir] & ~this.matched[dir]) === 0) this.release(dir)
      return false
    }
    this.release(0); this.release(1)
    return true
  }

  private release (dir: DirIndex): void {
    this.held[dir] = undefined
    this.heldLen[dir] = 0
  }
}
