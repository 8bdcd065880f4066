/**
 * Zone protection at run time (issue #15; docs/zone-protection.md): the per-zone flood meters with
 * Random Early Drop, the SYN-cookie function, and the packet-based checks and rewrites that work on one
 * decoded frame. The engine asks; this module keeps no per-session state (the engine's table does).
 *
 * Everything is deterministic: rates run on the engine's clock (integer µs passed in), RED's coin is a
 * seeded generator, the cookie key comes from the engine's seed.
 */
import type { Policy, ZoneProtectionProfile } from '../policy/types.js'
import { l4Checksum, internetChecksum } from '../wire/checksum.js'
import { readU32 } from '../wire/view.js'
import { scanBlocking } from './scan-guard.js'
import { FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TcpFlag } from '../wire/summary.js'
import { fmix, mix } from './hash.js'

/** Flood types, in the order of the profile's `flood` keys. */
export const enum Flood { TCP_SYN = 0, UDP = 1, ICMP = 2, ICMPV6 = 3, OTHER_IP = 4, NONE = 5 }
export const FLOOD_KEYS = ['tcp-syn', 'udp', 'icmp', 'icmpv6', 'other-ip'] as const
/** Threat names and IDs of flood logs (8501-8503 seen in PAN-OS logs; 8504/8505 follow the numbering). */
export const FLOOD_THREATS: ReadonlyArray<readonly [string, number]> = [
  ['TCP Flood', 8501], ['UDP Flood', 8502], ['ICMP Flood', 8503], ['ICMPv6 Flood', 8504], ['Other IP Flood', 8505],
]

export const enum FloodVerdict { PASS = 0, COOKIE = 1, RED_DROP = 2, MAX_DROP = 3 }
/** Threat-log actions for each verdict (PAN-OS flood logs show allow, random-drop and drop). */
export const FLOOD_ACTIONS = ['allow', 'syn-cookie', 'random-drop', 'drop'] as const

const US = 1_000_000
/** The cookie's time counter advances every 64 s; an ACK is accepted for a cookie of this or the previous period. */
export const COOKIE_PERIOD_US = 64 * US
/** MSS values a cookie can carry (3 bits); the SYN's MSS is rounded down to one of them. */
export const COOKIE_MSS = [536, 1200, 1300, 1360, 1400, 1440, 1452, 1460] as const

/** Per (zone, flood type): packets in the current and the previous second, and what was last logged. */
class Meter {
  bucket = -1
  cur = 0
  prev = 0
  logBucket = -1
  logLevel = -1
}

/** splitmix32-style step: a well-mixed word from a seed. */
function seedWord (x: number): number {
  x = (x + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad)
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97)
  return (x ^ (x >>> 15)) >>> 0
}

/**
 * Does this profile ask for work on every packet of a session (so its sessions must skip the fast path)?
 * A scan entry that blocks does: a block drops the source's packets of established sessions too.
 */
export function perPacketWork (p: ZoneProtectionProfile | undefined): boolean {
  if (p === undefined) return false
  return p.discardIpSpoof || p.strictIpCheck || p.removeTcpTimestamp || p.stripMptcpOption === 'yes' || p.discardIpFrag ||
    p.discardMalformedOption || p.discardUnknownOption || p.discardOverlappingTcpSegmentMismatch || scanBlocking(p)
}

export class ZoneGuard {
  private readonly byZone = new Map<string, ZoneProtectionProfile>()
  private readonly meters = new Map<string, Meter[]>()
  private rngState: number
  /** Cookie key (two words from the seed: PAN-OS draws its seed at random at every boot). */
  readonly k0: number
  readonly k1: number
  /** Set by `flood`: the rate estimate of the last packet (packets/s) and whether a flood log is due. */
  rate = 0
  logDue = false

  /** Any zone of the policy has a profile. */
  static needed (p: Policy): boolean {
    return p.zones.some(z => z.zoneProtectionProfile !== undefined)
  }

  constructor (policy: Policy, seed: number, prev?: ZoneGuard) {
    for (const z of policy.zones) {
      const p = z.zoneProtectionProfile === undefined ? undefined : policy.zoneProtection?.get(z.zoneProtectionProfile)
      if (p !== undefined) this.byZone.set(z.name, p)
    }
    // A policy reload keeps the cookie key (outstanding cookies stay valid), the meters and the generator.
    this.k0 = prev?.k0 ?? seedWord(seed)
    this.k1 = prev?.k1 ?? seedWord(seed ^ 0x5bd1e995)
    this.rngState = prev?.rngState ?? (seedWord(seed ^ 0x27d4eb2f) | 1)
    if (prev !== undefined) for (const [k, v] of prev.meters) this.meters.set(k, v)
  }

  profile (zone: string): ZoneProtectionProfile | undefined {
    return this.byZone.get(zone)
  }

  /** A number in [0, 1) from the seeded generator (mulberry32). */
  random (): number {
    this.rngState = (this.rngState + 0x6d2b79f5) | 0
    let x = this.rngState
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }

  /**
   * Count one packet of flood type `type` (not matching a session) into `zone` at `now` and decide.
   * The rate is a sliding one-second window: the previous second's count weighted by how much of it
   * still lies in the window, plus this second's count, this packet included. Between activate-rate
   * and maximal-rate RED drops with probability (rate − activate) / (maximal − activate); at or above
   * maximal-rate every packet is dropped. SYN cookies replace the random drop by a cookie answer.
   * `logDue` tells the caller to write a flood threat log: the first time in a second the rate is at
   * or above alarm-rate, and again when that second's verdict gets stronger.
   */
  flood (zone: string, p: ZoneProtectionProfile, type: number, now: number): number {
    this.logDue = false
    const f = p.flood[FLOOD_KEYS[type]!]
    if (!f.enable) return FloodVerdict.PASS
    let ms = this.meters.get(zone)
    if (ms === undefined) { ms = FLOOD_KEYS.map(() => new Meter()); this.meters.set(zone, ms) }
    const m = ms[type]!
    const b = Math.floor(now / US)
    if (b !== m.bucket) {
      m.prev = b === m.bucket + 1 ? m.cur : 0
      m.cur = 0
      m.bucket = b
    }
    m.cur++
    const rate = m.prev * (1 - (now - b * US) / US) + m.cur
    this.rate = rate
    let v: number
    if (rate >= f.maximalRate) v = FloodVerdict.MAX_DROP
    else if (f.action === 'syn-cookies') v = rate >= f.activateRate ? FloodVerdict.COOKIE : FloodVerdict.PASS
    else if (rate <= f.activateRate) v = FloodVerdict.PASS
    else v = this.random() < (rate - f.activateRate) / (f.maximalRate - f.activateRate) ? FloodVerdict.RED_DROP : FloodVerdict.PASS
    if (rate >= f.alarmRate) {
      if (m.logBucket !== b) { m.logBucket = b; m.logLevel = v; this.logDue = true } else if (v > m.logLevel) { m.logLevel = v; this.logDue = true }
    }
    return v
  }

  /**
   * The SYN cookie for a SYN (the ISN of the firewall's SYN-ACK): bits 31-27 the time counter (mod 32),
   * 26-24 the MSS index, 23-0 a keyed hash of the 4-tuple, the client's ISN, the full counter and the
   * MSS index. Only someone holding the key can make an ACK that acknowledges a valid cookie.
   */
  cookie (fs: FrameSummary, clientIsn: number, mssIdx: number, now: number): number {
    return this.cookieAt(fs, clientIsn, mssIdx, Math.floor(now / COOKIE_PERIOD_US))
  }

  private cookieAt (fs: FrameSummary, clientIsn: number, mssIdx: number, count: number): number {
    const h = this.hash(fs, clientIsn, mssIdx, count)
    return (((count & 31) << 27) | ((mssIdx & 7) << 24) | (h & 0xffffff)) >>> 0
  }

  private hash (fs: FrameSummary, clientIsn: number, mssIdx: number, count: number): number {
    const f = fs.frame
    let h = this.k0
    for (let i = 0; i < fs.addrLen; i += 4) h = mix(h, readU32(f, fs.srcOff + i))
    for (let i = 0; i < fs.addrLen; i += 4) h = mix(h, readU32(f, fs.dstOff + i))
    h = mix(h, (fs.srcPort << 16) | fs.dstPort)
    h = mix(h, clientIsn)
    h = mix(h, count)
    h = mix(h, mssIdx)
    return fmix(h ^ this.k1)
  }

  /**
   * Check the ACK completing a cookie handshake (ack − 1 is the cookie, seq − 1 the client's ISN).
   * Returns the MSS index, or -1 when it is no cookie of this or the previous period.
   */
  checkCookie (fs: FrameSummary, now: number): number {
    const cookie = (fs.ack - 1) >>> 0
    const isn = (fs.seq - 1) >>> 0
    const cur = Math.floor(now / COOKIE_PERIOD_US)
    const c5 = cookie >>> 27
    for (let count = cur; count >= cur - 1 && count >= 0; count--) {
      if ((count & 31) !== c5) continue
      const idx = (cookie >>> 24) & 7
      if (this.cookieAt(fs, isn, idx, count) === cookie) return idx
    }
    return -1
  }
}

/** Index into COOKIE_MSS for a SYN's MSS option (536 when it has none). */
export function mssIndex (mss: number): number {
  let i = 0
  for (let k = 0; k < COOKIE_MSS.length; k++) if (COOKIE_MSS[k]! <= (mss < 0 ? 536 : mss)) i = k
  return i
}

/** Flood type of a first packet (a session-creating packet), or Flood.NONE (e.g. a TCP segment without SYN). */
export function floodType (fs: FrameSummary): number {
  const p = fs.proto
  if (p === IPPROTO_TCP) return (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN ? Flood.TCP_SYN : Flood.NONE
  if (p === IPPROTO_UDP) return Flood.UDP
  if (p === IPPROTO_ICMP && fs.ipVersion === 4) return Flood.ICMP
  if (p === IPPROTO_ICMPV6 && fs.ipVersion === 6) return Flood.ICMPV6
  return Flood.OTHER_IP
}

// ---- packet-based checks ------------------------------------------------------------------------

/** IPv4 option types rstlab knows (RFC 791 and the IANA registry's common ones). */
const KNOWN_IP_OPTIONS = new Set([0, 1, 7, 25, 68, 82, 94, 130, 131, 133, 134, 136, 137, 145, 147, 148, 149, 150, 151, 152])

/** Outcome of `ipOptions`: 0 fine, else which discard applies. */
export const enum IpOpt { OK = 0, MALFORMED = 1, UNKNOWN = 2, LISTED = 3 }

/** Check an IPv4 header's options against a profile. `listed` receives the option type when LISTED. */
export function ipOptions (fs: FrameSummary, p: ZoneProtectionProfile): number {
  if (fs.ipVersion !== 4 || fs.l3HeaderLen <= 20) return IpOpt.OK
  const f = fs.frame
  const end = fs.l3Off + fs.l3HeaderLen
  let o = fs.l3Off + 20
  while (o < end) {
    const type = f[o]!
    if (type === 0) break
    if (type === 1) { o++; continue }
    if (o + 1 >= end) return p.discardMalformedOption ? IpOpt.MALFORMED : IpOpt.OK
    const len = f[o + 1]!
    if (len < 2 || o + len > end) return p.discardMalformedOption ? IpOpt.MALFORMED : IpOpt.OK
    if ((type === 137 && p.discardStrictSourceRouting) || (type === 131 && p.discardLooseSourceRouting) ||
        (type === 68 && p.discardTimestamp) || (type === 7 && p.discardRecordRoute) ||
        (type === 130 && p.discardSecurity) || (type === 136 && p.discardStreamId)) return IpOpt.LISTED
    if (!KNOWN_IP_OPTIONS.has(type) && p.discardUnknownOption) return IpOpt.UNKNOWN
    o += len
  }
  return IpOpt.OK
}

/** strict-ip-check's address classes: loopback, unspecified, link-local, reserved, and as source multicast/broadcast. */
export function strictIpBad (f: Uint8Array, off: number, alen: number, isSrc: boolean): boolean {
  if (alen === 4) {
    const a = f[off]!; const b = f[off + 1]!
    if (a === 127 || a === 0) return true
    if (a === 169 && b === 254) return true
    if (a >= 240) return true // reserved 240/4, and the limited broadcast 255.255.255.255
    if (isSrc && a >= 224) return true
    return false
  }
  let zero = true
  for (let i = 0; i < 15; i++) if (f[off + i] !== 0) { zero = false; break }
  if (zero && (f[off + 15] === 0 || f[off + 15] === 1)) return true // :: and ::1
  if (f[off] === 0xfe && (f[off + 1]! & 0xc0) === 0x80) return true // fe80::/10
  if (isSrc && f[off] === 0xff) return true
  return false
}

/** Offsets of the TCP options of a decoded TCP frame: [start, end), or start = -1. */
function tcpOptionRange (fs: FrameSummary): [number, number] {
  if (fs.proto !== IPPROTO_TCP || fs.l4Off < 0 || fs.l4HeaderLen <= 20) return [-1, -1]
  return [fs.l4Off + 20, fs.l4Off + fs.l4HeaderLen]
}

/**
 * Offset of the first TCP option at or after `o` (below `end`) of kind `kind` (for kind 254, only an
 * experimental option with magic `magic`), or -1. The walk stops at end-of-list or at an option that
 * does not parse (the decoder has already judged the frame; nothing after it is touched).
 */
function findOption (f: Uint8Array, o: number, end: number, kind: number, magic: number): number {
  while (o < end) {
    const k = f[o]!
    if (k === 0) return -1
    if (k === 1) { o++; continue }
    if (o + 1 >= end) return -1
    const len = f[o + 1]!
    if (len < 2 || o + len > end) return -1
    if (k === kind && (magic < 0 || (len >= 4 && ((f[o + 2]! << 8) | f[o + 3]!) === magic))) return o
    o += len
  }
  return -1
}

/**
 * Overwrite every TCP option of kind `kind` with NOPs (and, for kind 254, only experimental options with
 * magic `magic`). Returns the number overwritten. The caller fixes the checksum.
 */
function nopOptions (fs: FrameSummary, kind: number, magic = -1): number {
  const [start, end] = tcpOptionRange(fs)
  if (start < 0) return 0
  const f = fs.frame
  let n = 0
  for (let o = findOption(f, start, end, kind, magic); o >= 0; o = findOption(f, o, end, kind, magic)) {
    const len = f[o + 1]!
    f.fill(1, o, o + len) // NOPs: the walk goes on over them
    o += len
    n++
  }
  return n
}

/** Recompute the TCP checksum of a decoded frame over its IP-declared length. */
export function fixTcpChecksum (fs: FrameSummary): void {
  const f = fs.frame
  if (fs.l3Off + fs.ipLen > f.length) return // a cut capture: the checksum cannot be computed
  const l4Len = fs.ipLen - fs.l3HeaderLen
  f[fs.l4Off + 16] = 0; f[fs.l4Off + 17] = 0
  const c = l4Checksum(f, fs.srcOff, fs.dstOff, fs.addrLen, IPPROTO_TCP, fs.l4Off, l4Len)
  f[fs.l4Off + 16] = c >> 8; f[fs.l4Off + 17] = c & 0xff
}

/** remove-tcp-timestamp: NOP out the timestamp option (kind 8). True when the frame changed. */
export function removeTimestamp (fs: FrameSummary): boolean {
  if (fs.tsVal < 0) return false
  if (nopOptions(fs, 8) === 0) return false
  fs.tsVal = -1; fs.tsEcr = -1
  fixTcpChecksum(fs)
  return true
}

/** strip-mptcp-option: NOP out MPTCP options (kind 30). True when the frame changed. */
export function stripMptcp (fs: FrameSummary): boolean {
  if (!fs.mptcp) return false
  if (nopOptions(fs, 30) === 0) return false
  fs.mptcp = false
  fixTcpChecksum(fs)
  return true
}

/** Does a SYN carry a TCP Fast Open option (kind 34, or experimental 254 with magic 0xF989)? */
export function hasTfo (fs: FrameSummary): boolean {
  const [start, end] = tcpOptionRange(fs)
  if (start < 0) return false
  return findOption(fs.frame, start, end, 34, -1) >= 0 || findOption(fs.frame, start, end, 254, 0xf989) >= 0
}

/**
 * strip-tcp-fast-open-and-data: NOP out the TFO option and cut the payload. The frame keeps its
 * length: the IP length shrinks and the cut bytes (zeroed) become link-layer padding after the IP
 * packet, as on any short Ethernet frame, so the forwarding path needs no new buffer. IPv4 header
 * checksum and TCP checksum are recomputed. True when the frame changed.
 */
export function stripTfoAndData (fs: FrameSummary): boolean {
  const n = nopOptions(fs, 34) + nopOptions(fs, 254, 0xf989)
  const plen = fs.payloadLen
  if (n === 0 && plen === 0) return false
  const f = fs.frame
  if (plen > 0) {
    f.fill(0, fs.payloadOff, fs.payloadOff + plen)
    fs.ipLen -= plen
    if (fs.ipVersion === 4) {
      f[fs.l3Off + 2] = fs.ipLen >> 8; f[fs.l3Off + 3] = fs.ipLen & 0xff
      f[fs.l3Off + 10] = 0; f[fs.l3Off + 11] = 0
      const c = internetChecksum(f, fs.l3Off, fs.l3HeaderLen)
      f[fs.l3Off + 10] = c >> 8; f[fs.l3Off + 11] = c & 0xff
    } else {
      const pl = fs.ipLen - 40
      f[fs.l3Off + 4] = pl >> 8; f[fs.l3Off + 5] = pl & 0xff
    }
    fs.payloadLen = 0
  }
  fixTcpChecksum(fs)
  return true
}

// ---- sequence translation (SYN-cookie sessions) -----------------------------------------------

function addU32 (f: Uint8Array, o: number, delta: number): void {
  const v = (readU32(f, o) + delta) >>> 0
  f[o] = v >>> 24; f[o + 1] = (v >>> 16) & 0xff; f[o + 2] = (v >>> 8) & 0xff; f[o + 3] = v & 0xff
}

/**
 * Shift the sequence number (`which` 'seq') or the acknowledgment number and every SACK block edge
 * (`which` 'ack') of a decoded TCP frame by `delta`, in the frame and in `fs`, and fix the checksum.
 * (SACK blocks acknowledge the peer's sequence space, as the ack number does.)
 */
export function translate (fs: FrameSummary, which: 'seq' | 'ack', delta: number): void {
  if (delta === 0) return
  const f = fs.frame
  if (which === 'seq') {
    addU32(f, fs.l4Off + 4, delta)
    fs.seq = (fs.seq + delta) >>> 0
  } else {
    addU32(f, fs.l4Off + 8, delta)
    fs.ack = (fs.ack + delta) >>> 0
    for (let i = 0; i < fs.sackBlocks; i++) {
      addU32(f, fs.sackOff + 8 * i, delta)
      addU32(f, fs.sackOff + 8 * i + 4, delta)
    }
  }
  fixTcpChecksum(fs)
}
