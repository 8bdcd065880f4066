/**
 * Reconnaissance (scan) protection at run time (issue #15; docs/zone-protection.md, "Reconnaissance
 * protection"): per (ingress zone, source address), the distinct events of each scan type within an
 * interval, the threat logs when a threshold is reached, and the blocks that follow.
 *
 * What counts as one event (a packet entering the zone that matches no session):
 * - TCP Port Scan (8001): a TCP SYN (without ACK) to a destination port the source has not probed yet
 *   in this interval (any destination host);
 * - Host Sweep (8002): a session-creating packet (TCP SYN, UDP, ICMP other than errors, other IP) to a
 *   destination address the source has not reached yet in this interval;
 * - UDP Port Scan (8003): a UDP packet to a destination port not probed yet in this interval;
 * - IP Protocol Scan (8006): a session-creating packet of an IP protocol not used yet in this interval.
 *
 * An interval is a fixed window per (source, type): it opens at the source's first event of that type
 * and lasts `interval` seconds; the first event after it closes opens the next one. The event that
 * brings the distinct count to `threshold` triggers: one threat log for that window, and with `block`
 * or `block-ip` that packet is dropped and a block starts (see `blocked`).
 *
 * Memory is bounded and allocated outside the per-packet path: a table of SOURCES slots (BUCKETS
 * buckets of WAYS ways, hashed on zone and source); each slot has fixed typed-array state and, the
 * first time the slot is used, one Uint32Array holding an open-addressing set per scan type of
 * 2 × min(threshold, SET_CAP) rounded up to a power of two entries. Deterministic: time is passed in.
 */
import type { Policy, ScanSettings, ZoneProtectionProfile } from '../policy/types.js'
import { addrInCidr } from '../policy/cidr.js'
import { readU32 } from '../wire/view.js'
import { FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TcpFlag } from '../wire/summary.js'
import { isIcmp4Error } from '../wire/icmpv4.js'
import { isIcmp6Error } from '../wire/icmpv6.js'
import { Ctr } from './counters.js'
import { fmix, mix } from './hash.js'

/** Scan types, in the order of SCAN_THREATS. */
export const enum ScanType { TCP_PORT = 0, HOST_SWEEP = 1, UDP_PORT = 2, IP_PROTOCOL = 3 }
export const SCAN_TYPES = 4
/** Threat names and IDs of scan logs (8001–8003 PAN-OS; 8006 read as IP Protocol Scan, see docs). */
export const SCAN_THREATS: ReadonlyArray<readonly [string, number]> = [
  ['TCP Port Scan', 8001], ['Host Sweep', 8002], ['UDP Port Scan', 8003], ['IP Protocol Scan', 8006],
]
const TYPE_OF_ID = new Map<number, number>([[8001, 0], [8002, 1], [8003, 2], [8006, 3]])

/** What a triggered entry does (ScanSettings.action; `allow` entries are not counted at all). */
export const enum ScanAct { OFF = 0, ALERT = 1, BLOCK = 2, BLOCK_IP_SRC = 3, BLOCK_IP_PAIR = 4 }
/** Threat-log action for each ScanAct (rstlab's choice: `drop` for block, `block-ip` for block-ip). */
export const SCAN_LOG_ACTIONS = ['', 'alert', 'drop', 'block-ip', 'block-ip'] as const

const BUCKETS = 512
const WAYS = 4
/** Sources (zone, address) tracked at once. */
export const SCAN_SOURCES = BUCKETS * WAYS
/** Distinct values remembered per source and scan type within one interval. */
export const SCAN_SET_CAP = 256
/** Words of a slot's key: the zone index (and the address family), then four address words. */
const KEY = 5
const US = 1_000_000

const enum Blk { NONE = 0, PAIR = 1, SOURCE = 2 }

/** A zone's compiled entries. */
interface ZoneScan {
  act: Uint8Array
  intervalUs: Float64Array
  threshold: Int32Array
  durationUs: Float64Array
  white: ZoneProtectionProfile['scanWhiteList']
  /** Some entry blocks (so packets of every session entering the zone are checked). */
  blocking: boolean
}


function pow2AtLeast (n: number): number {
  let c = 1
  while (c < n) c <<= 1
  return c
}

/** Does this profile configure any scan entry that counts (alert, block or block-ip)? */
export function scanActive (p: ZoneProtectionProfile | undefined): boolean {
  return p !== undefined && p.scan.some(s => s.action !== 'allow')
}

/** Does this profile block on a scan (so packets of existing sessions entering the zone are checked)? */
export function scanBlocking (p: ZoneProtectionProfile | undefined): boolean {
  if (p === undefined) return false
  for (let i = 0; i < p.scan.length; i++) { const a = p.scan[i]!.action; if (a === 'block' || a === 'block-ip') return true }
  return false
}

function actOf (s: ScanSettings): number {
  switch (s.action) {
    case 'alert': return ScanAct.ALERT
    case 'block': return ScanAct.BLOCK
    case 'block-ip': return s.trackBy === 'source-and-destination' ? ScanAct.BLOCK_IP_PAIR : ScanAct.BLOCK_IP_SRC
    default: return ScanAct.OFF
  }
}

export class ScanGuard {
  private readonly zoneIdx = new Map<string, number>()
  private readonly zones: ZoneScan[] = []
  /** Offset and capacity (a power of two) of each type's set inside a slot's set array. */
  private readonly setOff = new Int32Array(SCAN_TYPES)
  private readonly setCap = new Int32Array(SCAN_TYPES)
  private readonly setWords: number
  // Slot state (slot = bucket * WAYS + way).
  private readonly used = new Uint8Array(SCAN_SOURCES)
  private readonly key = new Int32Array(SCAN_SOURCES * KEY)
  /** When the slot holds nothing any more (all windows closed, all blocks over), µs. */
  private readonly expiry = new Float64Array(SCAN_SOURCES)
  private readonly winEnd = new Float64Array(SCAN_SOURCES * SCAN_TYPES)
  private readonly count = new Int32Array(SCAN_SOURCES * SCAN_TYPES)
  private readonly stored = new Int32Array(SCAN_SOURCES * SCAN_TYPES)
  private readonly logged = new Uint8Array(SCAN_SOURCES * SCAN_TYPES)
  private readonly blkKind = new Uint8Array(SCAN_SOURCES * SCAN_TYPES)
  private readonly blkUntil = new Float64Array(SCAN_SOURCES * SCAN_TYPES)
  private readonly blkDst = new Int32Array(SCAN_SOURCES * SCAN_TYPES * 4)
  private readonly sets: Array<Uint32Array | undefined> = new Array<Uint32Array | undefined>(SCAN_SOURCES)
  /** The current packet's address words (source, destination), filled by `load`. */
  private readonly src = new Int32Array(4)
  private readonly dst = new Int32Array(4)
  private keyW0 = 0
  private bucket = 0

  /** Set by `observe`: the triggered count (the threshold) of each type, for the log. */
  readonly trigCount = new Int32Array(SCAN_TYPES)

  /** Any zone of the policy has a profile with counting scan entries. */
  static needed (p: Policy): boolean {
    return p.zones.some(z => z.zoneProtectionProfile !== undefined && scanActive(p.zoneProtection?.get(z.zoneProtectionProfile)))
  }

  /** `ctr` is the engine's counter array (flow_zp_scan_set_full and flow_zp_scan_table_full are counted here). */
  constructor (policy: Policy, private readonly ctr: Float64Array) {
    let off = 0
    for (let ty = 0; ty < SCAN_TYPES; ty++) {
      let maxThr = 0
      for (const z of policy.zones) {
        const p = z.zoneProtectionProfile === undefined ? undefined : policy.zoneProtection?.get(z.zoneProtectionProfile)
        for (const s of p?.scan ?? []) if (TYPE_OF_ID.get(s.id) === ty && s.action !== 'allow') maxThr = Math.max(maxThr, s.threshold)
      }
      const cap = maxThr === 0 ? 0 : pow2AtLeast(2 * Math.min(maxThr, SCAN_SET_CAP))
      this.setOff[ty] = off
      this.setCap[ty] = cap
      off += cap
    }
    this.setWords = off
    for (const z of policy.zones) {
      const p = z.zoneProtectionProfile === undefined ? undefined : policy.zoneProtection?.get(z.zoneProtectionProfile)
      if (p === undefined || !scanActive(p)) continue
      const zs: ZoneScan = {
        act: new Uint8Array(SCAN_TYPES), intervalUs: new Float64Array(SCAN_TYPES), threshold: new Int32Array(SCAN_TYPES),
        durationUs: new Float64Array(SCAN_TYPES), white: p.scanWhiteList, blocking: scanBlocking(p),
      }
      for (const s of p.scan) {
        const ty = TYPE_OF_ID.get(s.id)!
        zs.act[ty] = actOf(s)
        zs.intervalUs[ty] = s.interval * US
        zs.threshold[ty] = s.threshold
        zs.durationUs[ty] = (s.duration ?? 0) * US
      }
      this.zoneIdx.set(z.name, this.zones.length)
      this.zones.push(zs)
    }
  }

  /** Index of a zone with counting scan entries, or -1. */
  zoneIndex (zone: string): number {
    return this.zoneIdx.get(zone) ?? -1
  }

  /** Does zone `zi` block on scans (packets of every session entering it must be checked)? */
  blocking (zi: number): boolean {
    return this.zones[zi]!.blocking
  }

  /** The action of type `ty` in zone `zi` (ScanAct). */
  act (zi: number, ty: number): number {
    return this.zones[zi]!.act[ty]!
  }

  /** Interval of type `ty` in zone `zi`, µs. */
  intervalUs (zi: number, ty: number): number {
    return this.zones[zi]!.intervalUs[ty]!
  }

  /** Is the source (its address bytes) in zone `zi`'s white list? */
  whiteListed (zi: number, src: Uint8Array): boolean {
    const w = this.zones[zi]!.white
    for (let i = 0; i < w.length; i++) if (addrInCidr(w[i]!.cidr, src)) return true
    return false
  }

  /** Read the packet's addresses and hash (zone, source) to its bucket. */
  private load (zi: number, fs: FrameSummary): void {
    const f = fs.frame
    const v6 = fs.addrLen === 16
    for (let w = 0; w < 4; w++) {
      this.src[w] = w < fs.addrLen >> 2 ? readU32(f, fs.srcOff + 4 * w) | 0 : 0
      this.dst[w] = w < fs.addrLen >> 2 ? readU32(f, fs.dstOff + 4 * w) | 0 : 0
    }
    this.keyW0 = (zi << 1) | (v6 ? 1 : 0)
    let h = mix(0x2545f491, this.keyW0)
    for (let w = 0; w < 4; w++) h = mix(h, this.src[w]!)
    this.bucket = fmix(h) & (BUCKETS - 1)
  }

  /** The slot holding the loaded source, or -1. */
  private find (): number {
    const k = this.key
    for (let i = 0; i < WAYS; i++) {
      const s = this.bucket * WAYS + i
      if (this.used[s] === 0) continue
      const o = s * KEY
      if (k[o] === this.keyW0 && k[o + 1] === this.src[0] && k[o + 2] === this.src[1] && k[o + 3] === this.src[2] && k[o + 4] === this.src[3]) return s
    }
    return -1
  }

  /**
   * A slot for the loaded source: its own, else a free or expired way of its bucket, else the way that
   * expires first among those without a running block (tableFull counts both cases), else -1.
   */
  private slotFor (now: number): number {
    const s0 = this.find()
    if (s0 >= 0) return s0
    let pick = -1
    for (let i = 0; i < WAYS; i++) {
      const s = this.bucket * WAYS + i
      if (this.used[s] === 0 || this.expiry[s]! <= now) { pick = s; break }
    }
    if (pick < 0) {
      this.ctr[Ctr.ZP_SCAN_TABLE_FULL]++
      let best = Infinity
      for (let i = 0; i < WAYS; i++) {
        const s = this.bucket * WAYS + i
        let blocked = false
        for (let ty = 0; ty < SCAN_TYPES; ty++) if (this.blkUntil[s * SCAN_TYPES + ty]! > now) blocked = true
        if (!blocked && this.expiry[s]! < best) { best = this.expiry[s]!; pick = s }
      }
      if (pick < 0) return -1
    }
    this.used[pick] = 1
    const o = pick * KEY
    this.key[o] = this.keyW0
    for (let w = 0; w < 4; w++) this.key[o + 1 + w] = this.src[w]!
    this.expiry[pick] = now
    for (let ty = 0; ty < SCAN_TYPES; ty++) {
      const j = pick * SCAN_TYPES + ty
      this.winEnd[j] = -1; this.count[j] = 0; this.stored[j] = 0; this.logged[j] = 0; this.blkKind[j] = Blk.NONE; this.blkUntil[j] = -1
    }
    return pick
  }

  /**
   * Is this packet (entering zone `zi`) blocked by an earlier scan? Returns the ScanType whose block
   * applies, or -1. `block-ip` with track-by source blocks every packet from the source; `block` and
   * track-by source-and-destination block the packets from the source to the blocked destination.
   */
  blocked (zi: number, fs: FrameSummary, now: number): number {
    this.load(zi, fs)
    const s = this.find()
    if (s < 0) return -1
    for (let ty = 0; ty < SCAN_TYPES; ty++) {
      const j = s * SCAN_TYPES + ty
      const k = this.blkKind[j]
      if (k === Blk.NONE || this.blkUntil[j]! <= now) continue
      if (k === Blk.SOURCE) return ty
      const d = j * 4
      if (this.blkDst[d] === this.dst[0] && this.blkDst[d + 1] === this.dst[1] && this.blkDst[d + 2] === this.dst[2] && this.blkDst[d + 3] === this.dst[3]) return ty
    }
    return -1
  }

  /**
   * Count the events of a packet that matches no session, entering zone `zi` from a source that is
   * not white-listed. Returns a bit mask of the scan types whose threshold this packet reached (each
   * logs once per window); for those with block or block-ip, the block has been set up.
   */
  observe (zi: number, fs: FrameSummary, now: number): number {
    const z = this.zones[zi]!
    const proto = fs.proto
    let tcpSyn = false
    let sessionStart = true
    if (proto === IPPROTO_TCP) {
      tcpSyn = (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) === TcpFlag.SYN
      sessionStart = tcpSyn
    } else if (proto === IPPROTO_ICMP && fs.ipVersion === 4) sessionStart = fs.icmpType >= 0 && !isIcmp4Error(fs.icmpType)
    else if (proto === IPPROTO_ICMPV6 && fs.ipVersion === 6) sessionStart = fs.icmpType >= 0 && !isIcmp6Error(fs.icmpType)
    if (!sessionStart) return 0
    this.load(zi, fs)
    let slot = -2
    let mask = 0
    for (let ty = 0; ty < SCAN_TYPES; ty++) {
      if (z.act[ty] === ScanAct.OFF) continue
      let value: number
      if (ty === ScanType.TCP_PORT) { if (!tcpSyn) continue; value = fs.dstPort + 1 } else if (ty === ScanType.UDP_PORT) {
        if (proto !== IPPROTO_UDP) continue
        value = fs.dstPort + 1
      } else if (ty === ScanType.IP_PROTOCOL) value = proto + 1
      else {
        let h = 0x7f4a7c15
        for (let w = 0; w < 4; w++) h = mix(h, this.dst[w]!)
        value = fmix(h) || 1
      }
      if (slot === -2) slot = this.slotFor(now)
      if (slot < 0) return mask
      if (this.event(slot, ty, value, z, now)) mask |= 1 << ty
    }
    return mask
  }

  /** One event of type `ty` for `slot`; true when it reached the threshold (and the block is set). */
  private event (slot: number, ty: number, value: number, z: ZoneScan, now: number): boolean {
    const j = slot * SCAN_TYPES + ty
    if (this.winEnd[j]! <= now) {
      this.winEnd[j] = now + z.intervalUs[ty]!
      this.count[j] = 0
      this.logged[j] = 0
      if (this.stored[j]! > 0) this.sets[slot]!.fill(0, this.setOff[ty]!, this.setOff[ty]! + this.setCap[ty]!)
      this.stored[j] = 0
      if (this.winEnd[j]! > this.expiry[slot]!) this.expiry[slot] = this.winEnd[j]!
    }
    if (this.logged[j] === 1) return false
    const thr = z.threshold[ty]!
    const cap = this.setCap[ty]!
    if (this.stored[j]! < Math.min(thr, SCAN_SET_CAP)) {
      const set = this.sets[slot] ??= new Uint32Array(this.setWords)
      const base = this.setOff[ty]!
      const m = cap - 1
      let i = fmix(value) & m
      for (;;) {
        const v = set[base + i]!
        if (v === value >>> 0) return false // seen in this window
        if (v === 0) break
        i = (i + 1) & m
      }
      set[base + i] = value
      this.stored[j]++
    } else {
      // The set is full (a threshold above SCAN_SET_CAP): the event is counted without the check.
      this.ctr[Ctr.ZP_SCAN_SET_FULL]++
    }
    if (++this.count[j] < thr) return false
    this.logged[j] = 1
    this.trigCount[ty] = this.count[j]!
    const a = z.act[ty]
    if (a === ScanAct.ALERT) return true
    this.blkKind[j] = a === ScanAct.BLOCK_IP_SRC ? Blk.SOURCE : Blk.PAIR
    this.blkUntil[j] = a === ScanAct.BLOCK ? this.winEnd[j]! : now + z.durationUs[ty]!
    for (let w = 0; w < 4; w++) this.blkDst[j * 4 + w] = this.dst[w]!
    if (this.blkUntil[j]! > this.expiry[slot]!) this.expiry[slot] = this.blkUntil[j]!
    return true
  }

  /** End of the block of type `ty` set by the last trigger for the loaded source, µs (for traces). */
  blockUntil (ty: number, now: number): number {
    const s = this.find()
    return s < 0 ? now : this.blkUntil[s * SCAN_TYPES + ty]!
  }
}
