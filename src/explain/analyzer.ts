/**
 * `rstlab explain`'s analysis: who reset each TCP connection of a capture, and why.
 *
 * Frames go in one at a time (`push`), in capture order; each connection is tracked in both
 * directions (per-direction TTL / IP ID / DF baselines of non-RST packets, next-expected sequence
 * numbers, handshake round trips seen from the capture point, idle gaps, retransmissions), and
 * every reset event (a TCP RST, or an ICMP / ICMPv6 destination-unreachable about a TCP packet) is
 * recorded with a snapshot of that state. Verdicts are drawn when a connection is finished — it
 * went quiet, the table was full, or the capture ended — because some evidence comes later: the
 * claimed sender still talking after "its" RST proves the RST was not its own.
 *
 * Pure: no clock, no I/O. Memory is bounded: at most `maxConnections` connections (the oldest is
 * finished early when the table is full), at most `maxResetsPerConnection` reset events each, and
 * a bounded host table. The per-packet path decodes into one reused `FrameSummary` and looks the
 * connection up through a numeric hash (no strings, no objects per packet).
 */
import { decodeFrameAt } from '../wire/decode.js'
import { formatIp } from '../wire/addr.js'
import { readU32 } from '../wire/view.js'
import { seqAdd, seqGt, seqSub } from '../wire/seq.js'
import { FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TcpFlag } from '../wire/summary.js'
import type {
  Confidence, ConnectionId, ConnectionReport, Evidence, ExplainSummary, PatternEvent, ResetEvent, Sender, Side,
} from './types.js'

/** A frame inside a larger buffer with its capture fields (a capture reader's `RecordView` is one). */
export interface FrameView {
  buf: Buffer
  off: number
  caplen: number
  linkType: number
  tsUs: number
  n: number
}

export interface ExplainOptions {
  /** Connections tracked at once (default 100 000); the oldest is finished early beyond that. */
  maxConnections?: number
  /** Reset events kept per connection (default 16); more are counted. */
  maxResetsPerConnection?: number
  /** A gap with no packets in a connection at least this long counts as idle (default 1 s). */
  idleGapUs?: number
  /** Called once per finished connection that had a reset event or a pattern. */
  onReport?: (r: ConnectionReport) => void
  /** Also report connections with nothing to say (default false). */
  reportQuiet?: boolean
}

const C2S = 0
const S2C = 1
/** A connection that ended (RST / both FINs) is finished after this much capture time without packets. */
const CLOSED_HORIZON_US = 60_000_000
/** Any connection is finished after this long without packets (longer than PAN-OS's 3600 s TCP timeout). */
const OPEN_HORIZON_US = 4 * 3600_000_000
/** How often (capture time) the table is swept for finished connections. */
const SWEEP_EVERY_US = 30_000_000
const MAX_HOSTS = 200_000
/** Two RSTs in opposite directions this close together are one "reset both" act. */
const BOTH_WINDOW_US = 20_000
/** Timing evidence needs a round trip at least this long to be measurable. */
const MIN_RTT_US = 1_000
const MAX_FRAMES_KEPT = 8
/** UDP flows with an ICMP error about them, tracked at once (the oldest is finished early beyond that). */
const MAX_UDP_FLOWS = 10_000

/** The initial TTL a stack most likely used: the next of 32, 64, 128, 255 at or above `ttl`. */
export function initialTtl (ttl: number): number {
  return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255
}

/** Hops between the sender and the capture point, by the inferred initial TTL. */
export function hopsFrom (ttl: number): number {
  return initialTtl(ttl) - ttl
}

/** Per-host figures gathered over all its connections (non-RST TCP packets). */
class HostStats {
  ttlMin = 256
  ttlMax = -1
  packets = 0
  /** Shortest handshake round trip from the capture point to this host and back (µs), -1 unknown. */
  minRttUs = -1
}

/**
 * What one source MAC address carried: up to two addresses (their lookup words) whose packets came
 * through it with a TTL below any initial value, i.e. forwarded by it. A MAC that forwards for some
 * address is a router (or a firewall) next to the capture point.
 */
class MacInfo {
  fwd0 = 0
  fwd1 = 0
  fwdCount = 0
}

/** One direction of a connection: what its source sent (RSTs excluded from the baselines). */
class DirState {
  packets = 0
  ttlMin = 256
  ttlMax = -1
  ttlLast = -1
  ipIdPrev = -1
  /** Consecutive IP IDs that advanced by 1..32 / that did anything else. */
  ipIdSteps = 0
  ipIdJumps = 0
  dfYes = 0
  dfNo = 0
  isn = 0
  synCount = 0
  /** Next sequence number this side would send (valid once it sent a SYN or any segment). */
  nextSeq = 0
  seqValid = false
  maxAck = 0
  ackValid = false
  /** Acknowledgement number of this side's latest ACK-bearing packet, -1 before any. */
  lastAck = -1
  window = 0
  wscale = 0
  dataBytes = 0
  lastUs = -1
  rsts = 0
  /** Time of the last and the one-before-last packet *toward* this side (from the other side). */
  towardUs = -1
  towardPrevUs = -1
  towardFrame = 0
  /** TCP timestamp value of this side's latest non-RST segment that had one, and when it came (-1: none). */
  tsLast = -1
  tsLastUs = -1
  constructor (readonly host: HostStats) {}
}

/** A reset event as recorded at its frame, with the state needed to judge it later. */
interface ResetRec {
  frame: number
  tsUs: number
  icmp: boolean
  /** Direction the packet claims (TCP: its own; ICMP: toward the sender of the quoted packet, i.e. from the other side). */
  dir: number
  flags: number
  seq: number
  ack: number
  ttl: number
  ipId: number
  df: boolean
  window: number
  optLen: number
  payloadLen: number
  v6: boolean
  /** The RST's TCP timestamp value, -1 without the option; the claimed side's latest one before it and its time. */
  tsVal: number
  dirTsLast: number
  dirTsLastUs: number
  /** Source MAC as a 48-bit number (-1: not Ethernet), and the claimed source's address word. */
  mac: number
  srcWord: number
  expectedSeq: number
  expectedValid: boolean
  /** The acknowledgement number of the other side's latest packet (an RFC 793 reply RST takes it as its seq), -1 none. */
  peerLastAck: number
  /** Receiver's window (bytes, scaled) at that time, -1 unknown. */
  rcvWindow: number
  ipIdPrev: number
  ipIdClean: boolean
  triggerUs: number
  triggerPrevUs: number
  triggerFrame: number
  beforeSynAck: boolean
  /** The RST is the first packet of its connection in the capture. */
  firstPacket: boolean
  clientIsnPlus1: number
  dataBefore: number
  raceFrame: number
  racePackets: number
  raceSeq: number
  // ICMP only
  icmpType: number
  icmpCode: number
  icmpSrc: string
  /** -1: neither end; 0/1: the ICMP's source is that direction's source address. */
  icmpFromDir: number
  quotedTtl: number
  sentTtl: number
  /** Direction of the quoted (offending) packet. */
  aboutDir: number
}

class Conn {
  /** Lookup keys kept inline (no pointer chase to the address buffers on the hot path): address words and ports. */
  w0 = 0
  w1 = 0
  p0 = 0
  p1 = 0
  alen = 0
  next: Conn | undefined = undefined
  older: Conn | undefined = undefined
  newer: Conn | undefined = undefined
  readonly dirs: [DirState, DirState]
  packets = 0
  /** Initialised with a number, not left undefined: a field first undefined holds every later time as a new heap number. */
  lastUs = 0
  synUs = -1
  synAckUs = -1
  ackUs = -1
  synAckSeen = false
  established = false
  finSeen = 0
  rstSeen = false
  synFrames: number[] = []
  synAckFrames: number[] = []
  challengeFrames: number[] = []
  clientRstAfterChallenge: number[] = []
  resets: ResetRec[] = []
  resetsDropped = 0
  icmpCount = 0
  // idle tracking
  idleFrame = 0
  idleDir = 0
  idleSeq = 0
  idleGapUs = 0
  idleRetrans: number[] = []
  idleAnswered = false
  idleRstFrame = 0
  /** A UDP flow (client: the quoted datagram's sender), known only from ICMP errors about it; its key in `udpFlows`. */
  udp = false
  udpKey = ''
  constructor (
    readonly index: number, readonly hash: number, readonly v6: boolean,
    readonly addr: [Buffer, Buffer], readonly port: [number, number], hosts: [HostStats, HostStats], readonly firstUs: number,
  ) {
    this.dirs = [new DirState(hosts[0]), new DirState(hosts[1])]
    this.lastUs = firstUs
    this.alen = addr[0].length
    this.w0 = word(addr[0], 0, this.alen)
    this.w1 = word(addr[1], 0, this.alen)
    this.p0 = port[0]
    this.p1 = port[1]
  }
}

function fold16 (b: Uint8Array, off: number): number {
  return readU32(b, off) ^ Math.imul(readU32(b, off + 4), 0x9e3779b1) ^ Math.imul(readU32(b, off + 8), 0x85ebca6b) ^
    Math.imul(readU32(b, off + 12), 0xc2b2ae35)
}

/**
 * Address word as a signed 32-bit integer: the lookup keys stay small integers (an unsigned
 * word of 128.0.0.0 or more would be a heap number, allocated at every use).
 */
function word (b: Uint8Array, off: number, len: number): number {
  return len === 4 ? readU32(b, off) | 0 : fold16(b, off)
}

function mix (a: number, b: number, pa: number, pb: number): number {
  let h = Math.imul(a ^ 0x27d4eb2f, 0x165667b1)
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x9e3779b1)
  h = Math.imul(h ^ (h >>> 13) ^ ((pa << 16) | pb), 0x85ebca6b)
  return (h ^ (h >>> 16)) & 0x3fffffff
}

/** The address words of the last `tupleHash` (IPv4: the address; IPv6: a fold of it). */
let hashWa = 0
let hashWb = 0

/** Direction-free hash of a TCP 4-tuple whose addresses sit in `b`. */
function tupleHash (b: Uint8Array, aOff: number, bOff: number, len: number, pa: number, pb: number): number {
  const wa = word(b, aOff, len)
  const wb = word(b, bOff, len)
  hashWa = wa
  hashWb = wb
  return wa < wb || (wa === wb && pa <= pb) ? mix(wa, wb, pa, pb) : mix(wb, wa, pb, pa)
}

/** A 48-bit MAC number as aa:bb:cc:dd:ee:ff. */
function macText (mac: number): string {
  const hex = mac.toString(16).padStart(12, '0')
  return hex.replace(/(..)(?!$)/g, '$1:')
}

function sameAddr (x: Buffer, b: Uint8Array, off: number): boolean {
  const n = x.length
  for (let i = 0; i < n; i++) if (x[i] !== b[off + i]) return false
  return true
}

export class Explainer {
  private readonly summary = new FrameSummary()
  private readonly buckets = new Map<number, Conn>()
  private readonly hosts = new Map<number | string, HostStats>()
  private readonly macs = new Map<number, MacInfo>()
  /** UDP flows that drew an ICMP error, by "src sport dst dport", oldest first (datagrams themselves are not tracked). */
  private readonly udpFlows = new Map<string, Conn>()
  private oldest: Conn | undefined = undefined
  private newest: Conn | undefined = undefined
  private count = 0
  private nextIndex = 1
  private lastSweepUs = -1
  private readonly maxConnections: number
  private readonly maxResets: number
  private readonly idleGapUs: number
  private readonly onReport: (r: ConnectionReport) => void
  private readonly reportQuiet: boolean
  /** Direction of the packet just looked up (0 client→server, 1 server→client). */
  private dir = 0
  /** Time of the frame being handled (µs): a field, not an argument, so that it is never boxed. */
  private nowUs = 0
  readonly stats: ExplainSummary = {
    frames: 0, otherFrames: 0, undecodable: 0, connections: 0, resets: 0,
    bySender: { endpoint: 0, middlebox: 0, unknown: 0 }, byConfidence: { high: 0, medium: 0, low: 0 },
    patterns: {}, evicted: 0, icmpUnmatched: 0, resetsNotKept: 0, udpFlows: 0,
  }

  /** Time of the first frame (µs), -1 before any: reports give times relative to it as well. */
  firstUs = -1

  constructor (opts: ExplainOptions = {}) {
    this.maxConnections = Math.max(1, opts.maxConnections ?? 100_000)
    this.maxResets = Math.max(1, opts.maxResetsPerConnection ?? 16)
    this.idleGapUs = opts.idleGapUs ?? 1_000_000
    this.onReport = opts.onReport ?? (() => {})
    this.reportQuiet = opts.reportQuiet === true
  }

  /** Feed one frame (`n` is its 1-based number in the capture). */
  push (frame: Buffer, linkType: number, tsUs: number, n: number): void {
    this.pushAt(frame, 0, frame.length, linkType, tsUs, n)
  }

  /** `push` for the frame at `buf[off, off + len)` (a capture reader's chunk): no view is made of it. */
  pushAt (buf: Buffer, off: number, len: number, linkType: number, tsUs: number, n: number): void {
    this.nowUs = tsUs
    this.take(buf, off, len, linkType, n)
  }

  /**
   * `pushAt` for a capture reader's record view, read field by field here: a timestamp passed as
   * an argument would be boxed as a heap number on every call (µs since 1970 is no small integer).
   */
  pushView (v: FrameView): void {
    this.nowUs = v.tsUs
    this.take(v.buf, v.off, v.caplen, v.linkType, v.n)
  }

  private take (buf: Buffer, off: number, len: number, linkType: number, n: number): void {
    const st = this.stats
    const tsUs = this.nowUs
    st.frames++
    if (this.firstUs < 0) this.firstUs = tsUs
    if (tsUs - this.lastSweepUs >= SWEEP_EVERY_US) { if (this.lastSweepUs >= 0) this.sweep(tsUs); this.lastSweepUs = tsUs }
    const s = decodeFrameAt(buf, off, len, linkType, this.summary)
    if (s.l3Off < 0 || s.isFragment) { st.otherFrames++; return }
    if (s.proto === IPPROTO_TCP && s.l4Off >= 0) { this.tcp(s, n); return }
    if ((s.proto === IPPROTO_ICMP && s.icmpType === 3) || (s.proto === IPPROTO_ICMPV6 && s.icmpType === 1)) {
      if (s.icmpInnerOff >= 0) { this.icmp(s, n); return }
    }
    if (s.error !== 0) st.undecodable++
    else st.otherFrames++
  }

  /** The capture ended: finish every connection still open. */
  finish (): ExplainSummary {
    while (this.oldest !== undefined) this.finalize(this.oldest)
    for (const c of [...this.udpFlows.values()]) this.finalize(c)
    return this.stats
  }

  // ---- lookup --------------------------------------------------------------------------------

  private find (b: Uint8Array, srcOff: number, dstOff: number, len: number, sp: number, dp: number, h: number): Conn | undefined {
    const wa = hashWa
    const wb = hashWb
    for (let c = this.buckets.get(h); c !== undefined; c = c.next) {
      if (c.alen !== len) continue
      if (c.p0 === sp && c.p1 === dp && c.w0 === wa && c.w1 === wb && (len === 4 || (sameAddr(c.addr[0], b, srcOff) && sameAddr(c.addr[1], b, dstOff)))) { this.dir = C2S; return c }
      if (c.p0 === dp && c.p1 === sp && c.w0 === wb && c.w1 === wa && (len === 4 || (sameAddr(c.addr[0], b, dstOff) && sameAddr(c.addr[1], b, srcOff)))) { this.dir = S2C; return c }
    }
    return undefined
  }

  /** The host's figures, found by its address: an IPv4 address as its 32-bit word, IPv6 as text. */
  private host (addr: Buffer): HostStats {
    const key: number | string = addr.length === 4 ? readU32(addr, 0) : formatIp(addr, 0, addr.length)
    let h = this.hosts.get(key)
    if (h === undefined) {
      if (this.hosts.size >= MAX_HOSTS) this.hosts.delete(this.hosts.keys().next().value!)
      h = new HostStats()
      this.hosts.set(key, h)
    }
    return h
  }

  /** A new connection whose client is (cOff, cp) and server (sOff, sp). */
  private create (b: Uint8Array, cOff: number, sOff: number, len: number, cp: number, sp: number, h: number, tsUs: number): Conn {
    if (this.count >= this.maxConnections) { this.stats.evicted++; this.finalize(this.oldest!) }
    const a0 = Buffer.from(b.subarray(cOff, cOff + len))
    const a1 = Buffer.from(b.subarray(sOff, sOff + len))
    const c = new Conn(this.nextIndex++, h, len === 16, [a0, a1], [cp, sp], [this.host(a0), this.host(a1)], tsUs)
    c.next = this.buckets.get(h)
    this.buckets.set(h, c)
    c.older = this.newest
    if (this.newest !== undefined) this.newest.newer = c; else this.oldest = c
    this.newest = c
    this.count++
    this.stats.connections++
    return c
  }

  private unlink (c: Conn): void {
    let head = this.buckets.get(c.hash)
    if (head === c) {
      if (c.next === undefined) this.buckets.delete(c.hash); else this.buckets.set(c.hash, c.next)
    } else {
      while (head !== undefined && head.next !== c) head = head.next
      if (head !== undefined) head.next = c.next
    }
    if (c.older !== undefined) c.older.newer = c.newer; else this.oldest = c.newer
    if (c.newer !== undefined) c.newer.older = c.older; else this.newest = c.older
    c.next = c.older = c.newer = undefined
    this.count--
  }

  private sweep (nowUs: number): void {
    for (const c of [...this.udpFlows.values()]) if (nowUs - c.lastUs >= CLOSED_HORIZON_US) this.finalize(c)
    for (let c = this.oldest; c !== undefined;) {
      const nx = c.newer
      const ended = c.rstSeen || c.finSeen === 3
      if (nowUs - c.lastUs >= (ended ? CLOSED_HORIZON_US : OPEN_HORIZON_US)) this.finalize(c)
      c = nx
    }
  }

  /** The source MAC of the frame in `s` as one number (48 bits), -1 when it has no Ethernet header. */
  private macOf (s: FrameSummary): number {
    if (s.ethOff < 0) return -1
    const f = s.frame
    const o = s.ethOff + 6
    return ((f[o]! << 8) | f[o + 1]!) * 0x1_0000_0000 + readU32(f, o + 2)
  }

  /** A direction's first packet came through its MAC with a lowered TTL: that MAC forwards for `srcWord`. */
  private macForwards (s: FrameSummary, srcWord: number): void {
    const key = this.macOf(s)
    let m = this.macs.get(key)
    if (m === undefined) {
      if (this.macs.size >= MAX_HOSTS) this.macs.delete(this.macs.keys().next().value!)
      m = new MacInfo()
      this.macs.set(key, m)
    }
    if (m.fwdCount === 0) { m.fwd0 = srcWord; m.fwdCount = 1 } else if (m.fwdCount === 1 && m.fwd0 !== srcWord) { m.fwd1 = srcWord; m.fwdCount = 2 }
  }

  /** Whether `mac` forwarded packets of some address other than `srcWord` (then it routes for others). */
  private macRoutesOthers (mac: number, srcWord: number): boolean {
    if (mac < 0) return false
    const m = this.macs.get(mac)
    if (m === undefined) return false
    return (m.fwdCount >= 1 && m.fwd0 !== srcWord) || (m.fwdCount >= 2 && m.fwd1 !== srcWord)
  }

  // ---- TCP -----------------------------------------------------------------------------------

  private tcp (s: FrameSummary, n: number): void {
    const tsUs = this.nowUs
    const f = s.frame
    const len = s.addrLen
    const h = tupleHash(f, s.srcOff, s.dstOff, len, s.srcPort, s.dstPort)
    const flags = s.tcpFlags
    const syn = (flags & TcpFlag.SYN) !== 0
    const ackf = (flags & TcpFlag.ACK) !== 0
    let c = this.find(f, s.srcOff, s.dstOff, len, s.srcPort, s.dstPort, h)
    if (c !== undefined && syn && !ackf && this.dir === C2S) {
      const cd = c.dirs[C2S]
      // A SYN with a new ISN after the connection got anywhere starts a new connection on the same ports.
      if (cd.synCount > 0 && cd.isn !== s.seq && (c.synAckSeen || c.rstSeen || c.finSeen !== 0)) {
        this.finalize(c)
        c = undefined
      }
    }
    if (c === undefined) {
      // Client: the SYN's sender; the SYN-ACK's receiver; otherwise the side with the higher port.
      const srcIsClient = syn ? !ackf : s.srcPort > s.dstPort
      c = srcIsClient
        ? this.create(f, s.srcOff, s.dstOff, len, s.srcPort, s.dstPort, h, tsUs)
        : this.create(f, s.dstOff, s.srcOff, len, s.dstPort, s.srcPort, h, tsUs)
      this.dir = srcIsClient ? C2S : S2C
    }
    const d = this.dir
    const me = c.dirs[d]
    const peer = c.dirs[d ^ 1]
    c.packets++
    const rst = (flags & TcpFlag.RST) !== 0
    const fin = (flags & TcpFlag.FIN) !== 0
    const plen = s.payloadLen

    // Idle: the first packet after a long silence in an established connection.
    if (c.established && !rst && tsUs - c.lastUs >= this.idleGapUs && (plen > 0 || fin)) {
      if (c.idleFrame === 0 || c.idleAnswered) {
        c.idleFrame = n; c.idleDir = d; c.idleSeq = s.seq; c.idleGapUs = tsUs - c.lastUs
        c.idleRetrans = []; c.idleAnswered = false; c.idleRstFrame = 0
      }
    } else if (c.idleFrame !== 0 && !c.idleAnswered) {
      if (d === c.idleDir && !rst && plen > 0 && s.seq === c.idleSeq && n !== c.idleFrame) {
        if (c.idleRetrans.length < MAX_FRAMES_KEPT) c.idleRetrans.push(n)
      } else if (d !== c.idleDir && ackf && !rst && seqGt(s.ack, c.idleSeq)) {
        c.idleAnswered = true
      } else if (rst && c.idleRstFrame === 0) {
        c.idleRstFrame = n
      }
    }

    // A RST as the first thing after a long silence: the path aged the connection out and said so.
    if (rst && c.established && c.idleFrame === 0 && tsUs - c.lastUs >= this.idleGapUs) {
      c.idleFrame = n; c.idleDir = d; c.idleSeq = s.seq; c.idleGapUs = tsUs - c.lastUs; c.idleRstFrame = n
    }
    if (rst) {
      this.recordRst(c, s, tsUs, n, d)
    } else {
      // Baselines of what this source sends.
      const ttl = s.ttl
      if (me.packets === 0 && s.ethOff >= 0 && ttl !== initialTtl(ttl)) this.macForwards(s, d === C2S ? c.w0 : c.w1)
      me.packets++
      if (s.tsVal >= 0) { me.tsLast = s.tsVal; me.tsLastUs = tsUs }
      if (ttl < me.ttlMin) me.ttlMin = ttl
      if (ttl > me.ttlMax) me.ttlMax = ttl
      me.ttlLast = ttl
      const host = me.host
      host.packets++
      if (ttl < host.ttlMin) host.ttlMin = ttl
      if (ttl > host.ttlMax) host.ttlMax = ttl
      if (s.ipVersion === 4) {
        if (me.ipIdPrev >= 0) {
          const step = (s.ipId - me.ipIdPrev) & 0xffff
          if (step >= 1 && step <= 32) me.ipIdSteps++; else me.ipIdJumps++
        }
        me.ipIdPrev = s.ipId
        if (s.df) me.dfYes++; else me.dfNo++
      }
      // Someone still talking after "its own" RST: mark every earlier RST from this side.
      if (me.rsts > 0 && !syn) this.markRace(c, d, n, s.seq)
    }

    // Handshake and sequence state.
    if (syn) {
      if (!ackf) {
        if (d === C2S) {
          if (me.synCount === 0 || me.isn !== s.seq) me.isn = s.seq
          me.synCount++
          if (c.synFrames.length < MAX_FRAMES_KEPT) c.synFrames.push(n)
          if (!c.synAckSeen) c.synUs = tsUs
        }
      } else {
        if (!c.synAckSeen && d === S2C) {
          c.synAckSeen = true
          c.synAckUs = tsUs
          if (c.synUs >= 0) {
            const rtt = tsUs - c.synUs
            const hs = c.dirs[S2C].host
            if (hs.minRttUs < 0 || rtt < hs.minRttUs) hs.minRttUs = rtt
          }
        }
        if (c.synAckFrames.length < MAX_FRAMES_KEPT) c.synAckFrames.push(n)
      }
      me.wscale = s.wscale > 0 ? s.wscale : 0
    } else if (ackf && !rst && d === S2C && !c.synAckSeen && c.dirs[C2S].synCount > 0 && s.ack !== seqAdd(c.dirs[C2S].isn, 1)) {
      // A bare ACK answering a SYN with some other acknowledgement: a challenge ACK for an old session.
      if (c.challengeFrames.length < MAX_FRAMES_KEPT) c.challengeFrames.push(n)
    } else if (d === C2S && ackf && !c.established && c.synAckSeen && !rst) {
      c.established = true
      if (c.ackUs < 0) {
        c.ackUs = tsUs
        const rtt = tsUs - c.synAckUs
        const hc = c.dirs[C2S].host
        if (hc.minRttUs < 0 || rtt < hc.minRttUs) hc.minRttUs = rtt
      }
    }
    if (!c.established && plen > 0 && !rst && c.synAckSeen) c.established = true
    if (!c.established && !c.synAckSeen && c.synFrames.length === 0 && !rst && ackf) c.established = true // joined midway
    if (!rst) {
      const end = seqAdd(s.seq, plen + (syn ? 1 : 0) + (fin ? 1 : 0))
      if (!me.seqValid || seqGt(end, me.nextSeq)) { me.nextSeq = end; me.seqValid = true }
      if (ackf && (!me.ackValid || seqGt(s.ack, me.maxAck))) { me.maxAck = s.ack; me.ackValid = true }
      if (ackf) me.lastAck = s.ack
      me.window = s.window
      if (fin) c.finSeen |= (1 << d)
    }
    me.dataBytes += plen
    me.lastUs = tsUs
    // Packets that call for an answer (SYN, data, FIN): what a reset could be responding to.
    if (!rst && (syn || fin || plen > 0)) {
      peer.towardPrevUs = peer.towardUs
      peer.towardUs = tsUs
      peer.towardFrame = n
    }
    c.lastUs = tsUs
  }

  private markRace (c: Conn, d: number, n: number, seq: number): void {
    for (const r of c.resets) {
      if (!r.icmp && r.dir === d) {
        if (r.raceFrame === 0) { r.raceFrame = n; r.raceSeq = seq }
        r.racePackets++
      }
    }
  }

  private newRec (c: Conn, s: FrameSummary, tsUs: number, n: number, d: number): ResetRec {
    const me = c.dirs[d]
    const peer = c.dirs[d ^ 1]
    return {
      frame: n, tsUs, icmp: false, dir: d, flags: s.tcpFlags, seq: s.seq, ack: s.ack, ttl: s.ttl, ipId: s.ipId, df: s.df,
      window: s.window, optLen: s.l4HeaderLen - 20, payloadLen: s.payloadLen, v6: s.ipVersion === 6,
      tsVal: s.tsVal, dirTsLast: me.tsLast, dirTsLastUs: me.tsLastUs, mac: this.macOf(s), srcWord: d === C2S ? c.w0 : c.w1,
      expectedSeq: me.nextSeq, expectedValid: me.seqValid, peerLastAck: peer.lastAck,
      rcvWindow: peer.packets > 0 ? peer.window * (1 << peer.wscale) : -1,
      ipIdPrev: me.ipIdPrev, ipIdClean: me.ipIdSteps >= 1 && me.ipIdJumps === 0,
      triggerUs: me.towardUs, triggerPrevUs: me.towardPrevUs, triggerFrame: me.towardFrame,
      beforeSynAck: !c.synAckSeen, firstPacket: c.packets === 1, clientIsnPlus1: seqAdd(c.dirs[C2S].isn, 1),
      dataBefore: c.dirs[0].dataBytes + c.dirs[1].dataBytes,
      raceFrame: 0, racePackets: 0, raceSeq: 0,
      icmpType: -1, icmpCode: -1, icmpSrc: '', icmpFromDir: -1, quotedTtl: -1, sentTtl: -1, aboutDir: -1,
    }
  }

  private recordRst (c: Conn, s: FrameSummary, tsUs: number, n: number, d: number): void {
    c.rstSeen = true
    c.dirs[d].rsts++
    if (d === C2S && c.challengeFrames.length > 0 && !c.synAckSeen && c.clientRstAfterChallenge.length < MAX_FRAMES_KEPT) c.clientRstAfterChallenge.push(n)
    if (c.resets.length >= this.maxResets) { c.resetsDropped++; return }
    c.resets.push(this.newRec(c, s, tsUs, n, d))
  }

  // ---- ICMP ----------------------------------------------------------------------------------

  private icmp (s: FrameSummary, n: number): void {
    const tsUs = this.nowUs
    const f = s.frame
    const q = s.icmpInnerOff
    let qSrc: number, qDst: number, qLen: number, qTtl: number, qProto: number, qL4: number
    if (s.proto === IPPROTO_ICMP) {
      if (q + 20 > s.frameEnd || (f[q]! >> 4) !== 4) { this.stats.icmpUnmatched++; return }
      const ihl = (f[q]! & 0xf) * 4
      qTtl = f[q + 8]!; qProto = f[q + 9]!; qSrc = q + 12; qDst = q + 16; qLen = 4; qL4 = q + ihl
    } else {
      if (q + 40 > s.frameEnd || (f[q]! >> 4) !== 6) { this.stats.icmpUnmatched++; return }
      qProto = f[q + 6]!; qTtl = f[q + 7]!; qSrc = q + 8; qDst = q + 24; qLen = 16; qL4 = q + 40
    }
    if ((qProto !== IPPROTO_TCP && qProto !== IPPROTO_UDP) || qL4 + 8 > s.frameEnd) { this.stats.icmpUnmatched++; return }
    const qsp = (f[qL4]! << 8) | f[qL4 + 1]!
    const qdp = (f[qL4 + 2]! << 8) | f[qL4 + 3]!
    if (qProto === IPPROTO_UDP) { this.udpIcmp(s, n, qSrc, qDst, qLen, qsp, qdp, qTtl); return }
    const qSeq = readU32(f, qL4 + 4)
    const h = tupleHash(f, qSrc, qDst, qLen, qsp, qdp)
    let c = this.find(f, qSrc, qDst, qLen, qsp, qdp, h)
    if (c === undefined) {
      // Only the error was captured: the quoted packet's sender is taken as the client.
      c = this.create(f, qSrc, qDst, qLen, qsp, qdp, h, tsUs)
      this.dir = C2S
    }
    const about = this.dir
    c.packets++
    c.icmpCount++
    c.lastUs = tsUs
    if (c.idleFrame !== 0 && !c.idleAnswered && c.idleRstFrame === 0) c.idleRstFrame = n
    this.recordIcmp(c, s, n, about, qSeq, qTtl, c.dirs[about].ttlLast)
  }

  /**
   * The reset record of an ICMP error about a packet that went in direction `about` (quoted seq and
   * TTL; `sentTtl`: that packet's TTL at the capture point, -1 unknown). The error travels toward the
   * quoted packet's sender, so it "comes from" the other direction.
   */
  private recordIcmp (c: Conn, s: FrameSummary, n: number, about: number, qSeq: number, qTtl: number, sentTtl: number): void {
    if (c.resets.length >= this.maxResets) { c.resetsDropped++; return }
    const f = s.frame
    const from = about ^ 1
    const r = this.newRec(c, s, this.nowUs, n, from)
    r.icmp = true
    r.seq = qSeq
    r.icmpType = s.icmpType
    r.icmpCode = s.icmpCode
    r.icmpSrc = formatIp(f, s.srcOff, s.addrLen)
    r.icmpFromDir = sameAddr(c.addr[from], f, s.srcOff) ? from : sameAddr(c.addr[about], f, s.srcOff) ? about : -1
    r.quotedTtl = qTtl
    r.sentTtl = sentTtl
    r.aboutDir = about
    c.resets.push(r)
  }

  /**
   * An ICMP error about a UDP datagram: a reset event of that UDP flow (client: the datagram's
   * sender). UDP datagrams themselves are not tracked, so the quoted TTL is compared with the
   * sender's TTL from its TCP packets, when it has any.
   */
  private udpIcmp (s: FrameSummary, n: number, qSrc: number, qDst: number, qLen: number, qsp: number, qdp: number, qTtl: number): void {
    const tsUs = this.nowUs
    const f = s.frame
    const key = `${formatIp(f, qSrc, qLen)} ${qsp} ${formatIp(f, qDst, qLen)} ${qdp}`
    let c = this.udpFlows.get(key)
    if (c === undefined) {
      if (this.udpFlows.size >= MAX_UDP_FLOWS) { this.stats.evicted++; this.finalize(this.udpFlows.values().next().value!) }
      const a0 = Buffer.from(f.subarray(qSrc, qSrc + qLen))
      const a1 = Buffer.from(f.subarray(qDst, qDst + qLen))
      c = new Conn(this.nextIndex++, 0, qLen === 16, [a0, a1], [qsp, qdp], [this.host(a0), this.host(a1)], tsUs)
      c.udp = true
      c.udpKey = key
      this.udpFlows.set(key, c)
      this.stats.udpFlows++
    }
    c.packets++
    c.icmpCount++
    c.lastUs = tsUs
    const sender = c.dirs[C2S].host
    this.recordIcmp(c, s, n, C2S, 0, qTtl, sender.packets > 0 && sender.ttlMin === sender.ttlMax ? sender.ttlMax : -1)
  }

  // ---- verdicts ------------------------------------------------------------------------------

  private finalize (c: Conn): void {
    if (c.udp) this.udpFlows.delete(c.udpKey); else this.unlink(c)
    const id: ConnectionId = {
      index: c.index, ipVersion: c.v6 ? 6 : 4, protocol: c.udp ? 'udp' : 'tcp',
      client: formatIp(c.addr[0], 0, c.addr[0].length), clientPort: c.port[0],
      server: formatIp(c.addr[1], 0, c.addr[1].length), serverPort: c.port[1],
    }
    const resets = c.resets.map(r => this.judge(c, r, id))
    // Two RSTs in opposite directions at once are one act: if one of them was forged, so was the other.
    for (const e of resets) {
      if (e.sender === 'middlebox') continue
      const pair = e.evidence.find(x => x.kind === 'rst-both-directions')
      const other = pair === undefined ? undefined : resets.find(o => o.frame === pair.fields.otherFrame)
      if (other !== undefined && other.sender === 'middlebox' && other.confidence !== 'low') {
        e.sender = 'middlebox'
        e.confidence = 'medium'
      }
    }
    const patterns = this.patterns(c, resets, id)
    const st = this.stats
    for (const e of resets) { st.resets++; st.bySender[e.sender]++; st.byConfidence[e.confidence]++ }
    st.resetsNotKept += c.resetsDropped
    for (const p of patterns) st.patterns[p.pattern] = (st.patterns[p.pattern] ?? 0) + 1
    if (resets.length === 0 && patterns.length === 0 && !this.reportQuiet) return
    this.onReport({
      connection: id, firstUs: c.firstUs, lastUs: c.lastUs, packets: c.packets,
      bytes: [c.dirs[0].dataBytes, c.dirs[1].dataBytes], resets, resetsDropped: c.resetsDropped, patterns,
    })
  }

  private judge (c: Conn, r: ResetRec, id: ConnectionId): ResetEvent {
    const ev: Evidence[] = []
    const side: Side | null = r.icmp && r.icmpFromDir < 0 ? null : (r.icmp ? r.icmpFromDir : r.dir) === C2S ? 'client' : 'server'
    const packet: Record<string, number | string | boolean> = r.icmp
      ? { src: r.icmpSrc, icmpType: r.icmpType, icmpCode: r.icmpCode, ttl: r.ttl }
      : { flags: r.flags, seq: r.seq, ack: r.ack, ttl: r.ttl, window: r.window }
    if (!r.v6 && !r.icmp) packet.ipId = r.ipId
    if (r.icmp) this.judgeIcmp(c, r, ev)
    else this.judgeTcp(c, r, ev)
    let mb = 0
    let ep = 0
    let raced = false
    for (const e of ev) {
      if (e.weight > 0) mb += e.weight; else ep -= e.weight
      if (e.kind === 'raced-by-data' || e.kind === 'icmp-from-path') raced = true
    }
    let sender: Sender
    let confidence: Confidence
    const net = mb - ep
    if (raced) { sender = 'middlebox'; confidence = 'high' } else if (mb >= 3 && ep <= 1) { sender = 'middlebox'; confidence = 'high' } else if (mb >= 2 && net >= 2) { sender = 'middlebox'; confidence = 'medium' } else if (mb >= 1 && net >= 1) { sender = 'middlebox'; confidence = 'low' } else if (ep >= 4 && mb === 0) { sender = 'endpoint'; confidence = 'high' } else if (ep >= 2 && net <= -2) { sender = 'endpoint'; confidence = 'medium' } else if (ep >= 1 && net <= -1) { sender = 'endpoint'; confidence = 'low' } else { sender = 'unknown'; confidence = 'low' }
    return { frame: r.frame, tsUs: r.tsUs, kind: r.icmp ? 'icmp' : 'tcp-rst', connection: id, sender, side, confidence, evidence: ev, packet }
  }

  /** TTL of `ttl` from the source of direction `d` against that source's baseline. */
  private ttlEvidence (c: Conn, d: number, ttl: number, ev: Evidence[], r: ResetRec): void {
    const me = c.dirs[d]
    let min: number, max: number, packets: number, scope: string
    if (me.packets > 0) { min = me.ttlMin; max = me.ttlMax; packets = me.packets; scope = 'connection' } else if (me.host.packets > 0) { min = me.host.ttlMin; max = me.host.ttlMax; packets = me.host.packets; scope = 'host' } else {
      ev.push({ kind: 'no-baseline', weight: 0, fields: { ttl, hops: hopsFrom(ttl), initial: initialTtl(ttl) } })
      // Untouched initial TTL, from a MAC that forwards other addresses' packets (they arrive with
      // lowered TTLs): an address behind a router would have lost at least one hop through it.
      if (ttl === initialTtl(ttl) && this.macRoutesOthers(r.mac, r.srcWord)) {
        ev.push({ kind: 'ttl-untouched-via-router', weight: 2, fields: { ttl, mac: macText(r.mac) } })
      }
      return
    }
    const stable = max - min <= 0
    const baseline = ttl < min ? min : ttl > max ? max : ttl
    const diff = Math.abs(ttl - baseline)
    const fields = { ttl, baseline, baselineMax: max, packets, scope, hops: hopsFrom(ttl), baselineHops: hopsFrom(baseline), initial: initialTtl(ttl), baselineInitial: initialTtl(baseline) }
    if (diff === 0) {
      ev.push({ kind: 'ttl-match', weight: stable && packets >= (scope === 'connection' ? 2 : 3) ? -2 : -1, fields })
    } else {
      const strong = stable && packets >= 2 && (diff >= 2 || initialTtl(ttl) !== initialTtl(baseline))
      ev.push({ kind: 'ttl-mismatch', weight: strong ? 3 : 2, fields })
    }
  }

  private judgeTcp (c: Conn, r: ResetRec, ev: Evidence[]): void {
    const d = r.dir
    const me = c.dirs[d]
    this.ttlEvidence(c, d, r.ttl, ev, r)
    if (!r.v6 && r.ipIdPrev >= 0) {
      const step = (r.ipId - r.ipIdPrev) & 0xffff
      if (r.ipIdClean && step >= 1 && step <= 32) ev.push({ kind: 'ipid-continues', weight: -2, fields: { ipId: r.ipId, previous: r.ipIdPrev } })
      // IP ID 0 is what stacks put on replies sent without a connection (Linux: DF and no socket), so it says nothing.
      else if (r.ipIdClean && step > 64 && r.ipId !== 0) ev.push({ kind: 'ipid-breaks', weight: 1, fields: { ipId: r.ipId, previous: r.ipIdPrev } })
    }
    if (!r.v6 && me.dfYes + me.dfNo >= 2 && ((me.dfNo === 0 && !r.df) || (me.dfYes === 0 && r.df))) {
      ev.push({ kind: 'df-differs', weight: 1, fields: { df: r.df, baselineDf: me.dfYes > 0 } })
    }
    this.shapeEvidence(r, ev)
    const ackf = (r.flags & TcpFlag.ACK) !== 0
    if (d === S2C && r.beforeSynAck && ackf && r.ack === r.clientIsnPlus1 && c.dirs[C2S].synCount > 0) {
      ev.push({ kind: 'answers-syn', weight: 0, fields: { seq: r.seq, ack: r.ack, synSeen: true } })
    } else if (r.firstPacket && ackf && r.seq === 0) {
      // RST|ACK seq 0 is how a stack (or a reset-client) answers a SYN (RFC 793): here the SYN is not in
      // the capture, e.g. one taken past a firewall that reset the SYN instead of forwarding it.
      ev.push({ kind: 'answers-syn', weight: 0, fields: { seq: r.seq, ack: r.ack, synSeen: false } })
    } else if (r.expectedValid) {
      const off = seqSub(r.seq, r.expectedSeq)
      if (off === 0) ev.push({ kind: 'seq-exact', weight: -1, fields: { seq: r.seq } })
      else if (r.peerLastAck >= 0 && r.seq === r.peerLastAck && (r.flags & TcpFlag.ACK) === 0) ev.push({ kind: 'answers-ack', weight: 0, fields: { seq: r.seq } })
      else if (r.rcvWindow >= 0 && off > 0 && off < Math.max(r.rcvWindow, 1)) ev.push({ kind: 'seq-in-window', weight: 1, fields: { seq: r.seq, expected: r.expectedSeq, offset: off } })
      else if (r.rcvWindow < 0 && Math.abs(off) < 65536) ev.push({ kind: 'seq-in-window', weight: 1, fields: { seq: r.seq, expected: r.expectedSeq, offset: off } })
      else ev.push({ kind: 'seq-out-of-window', weight: 1, fields: { seq: r.seq, expected: r.expectedSeq, offset: off } })
    }
    if (r.raceFrame !== 0) {
      ev.push({ kind: 'raced-by-data', weight: 4, fields: { frame: r.raceFrame, seq: r.raceSeq, packets: r.racePackets } })
    }
    // Several RSTs from this side, close together, with different sequence numbers.
    let same = 0
    let distinct = 0
    const seen: number[] = []
    for (const o of c.resets) {
      if (o.icmp || o.dir !== d || Math.abs(o.tsUs - r.tsUs) > 1_000_000) continue
      same++
      if (!seen.includes(o.seq)) { seen.push(o.seq); distinct++ }
    }
    if (distinct >= 2) ev.push({ kind: 'multiple-rst-seqs', weight: 2, fields: { count: same, distinct } })
    // RSTs both ways at once.
    for (const o of c.resets) {
      if (o.icmp || o.dir === d) continue
      const gap = Math.abs(o.tsUs - r.tsUs)
      if (gap <= BOTH_WINDOW_US) { ev.push({ kind: 'rst-both-directions', weight: 2, fields: { otherFrame: o.frame, gapUs: gap } }); break }
    }
    this.timingEvidence(c, r, ev)
  }

  /**
   * The RST's own shape. Window 0 and no TCP options is how every stack answers a segment it has no
   * connection for (Linux's stateless reply, RFC 793's reset) and how firewalls forge resets: it is
   * context, not a verdict. A RST that carries the connection's timestamp option was built with the
   * connection's state: a stack aborting its own connection (Linux: close with SO_LINGER 0, or with
   * unread data) puts its current TSval on it. One continuing that side's timestamp clock points at
   * the endpoint; one that jumps backwards or far ahead does not come from that clock.
   */
  private shapeEvidence (r: ResetRec, ev: Evidence[]): void {
    if (r.optLen === 0) {
      ev.push({ kind: r.window === 0 ? 'rst-bare' : 'rst-no-options', weight: 0, fields: { window: r.window, sideUsedTimestamps: r.dirTsLast >= 0 } })
      return
    }
    if (r.tsVal < 0) { ev.push({ kind: 'rst-options', weight: 0, fields: { window: r.window, optionBytes: r.optLen } }); return }
    if (r.dirTsLast < 0) { ev.push({ kind: 'rst-options', weight: 0, fields: { window: r.window, optionBytes: r.optLen, tsVal: r.tsVal } }); return }
    const step = (r.tsVal - r.dirTsLast) >>> 0
    // Timestamp clocks tick at 1 Hz to 1 kHz (RFC 7323 §5.4); allow 1 kHz plus a second of slack.
    const maxStep = Math.floor((r.tsUs - r.dirTsLastUs) / 1000) + 1000
    const fields = { tsVal: r.tsVal, previous: r.dirTsLast, window: r.window }
    if (step <= maxStep) ev.push({ kind: 'rst-ts-continues', weight: -2, fields })
    else ev.push({ kind: 'rst-ts-breaks', weight: 1, fields })
  }

  /** A reset that answers one unambiguous packet sooner than the claimed host's round trip. */
  private timingEvidence (c: Conn, r: ResetRec, ev: Evidence[]): void {
    const d = r.dir
    if (r.triggerUs < 0) return
    let rtt = -1
    if (d === S2C && c.synAckUs >= 0 && c.synUs >= 0 && c.synUs <= c.synAckUs) rtt = c.synAckUs - c.synUs
    if (d === C2S && c.ackUs >= 0 && c.synAckUs >= 0) rtt = c.ackUs - c.synAckUs
    const hostRtt = c.dirs[d].host.minRttUs
    if (hostRtt >= 0 && (rtt < 0 || hostRtt < rtt)) rtt = hostRtt
    if (rtt < MIN_RTT_US) return
    const delay = r.tsUs - r.triggerUs
    const unambiguous = r.triggerPrevUs < 0 || r.triggerUs - r.triggerPrevUs > rtt
    if (unambiguous && delay >= 0 && delay * 2 < rtt) {
      ev.push({ kind: 'faster-than-rtt', weight: delay * 4 < rtt ? 3 : 2, fields: { delayUs: delay, rttUs: rtt, trigger: r.triggerFrame } })
    }
  }

  private judgeIcmp (c: Conn, r: ResetRec, ev: Evidence[]): void {
    ev.push({ kind: 'icmp-code', weight: 0, fields: { type: r.icmpType, code: r.icmpCode, name: icmpName(r.v6, r.icmpType, r.icmpCode) } })
    if (r.icmpFromDir === r.dir) {
      ev.push({ kind: 'icmp-from-destination', weight: -1, fields: { icmpSrc: r.icmpSrc, type: r.icmpType, code: r.icmpCode } })
      this.ttlEvidence(c, r.dir, r.ttl, ev, r)
    } else {
      ev.push({ kind: 'icmp-from-path', weight: 3, fields: { icmpSrc: r.icmpSrc, type: r.icmpType, code: r.icmpCode } })
      ev.push({ kind: 'icmp-ttl', weight: 0, fields: { ttl: r.ttl, hops: hopsFrom(r.ttl) } })
    }
    if (r.sentTtl >= 0) {
      ev.push({ kind: 'icmp-quoted-ttl', weight: 0, fields: { quotedTtl: r.quotedTtl, sentTtl: r.sentTtl, hopsFromHere: r.sentTtl - r.quotedTtl } })
    }
  }

  // ---- patterns ------------------------------------------------------------------------------

  private patterns (c: Conn, resets: ResetEvent[], id: ConnectionId): PatternEvent[] {
    const out: PatternEvent[] = []
    const tcpR = resets.filter(e => e.kind === 'tcp-rst')
    const icmpR = resets.filter(e => e.kind === 'icmp')
    const add = (pattern: PatternEvent['pattern'], frames: number[], sender: Sender, fields: Record<string, number | string | boolean> = {}): void => {
      out.push({ pattern, frames: [...new Set(frames)].sort((a, b) => a - b), connection: id, sender, fields })
    }
    const worst = (es: ResetEvent[]): Sender => es.some(e => e.sender === 'middlebox') ? 'middlebox' : es.some(e => e.sender === 'unknown') ? 'unknown' : 'endpoint'
    const used = new Set<number>()

    if (c.challengeFrames.length > 0) {
      add('challenge-ack-hang', [...c.synFrames, ...c.challengeFrames, ...c.clientRstAfterChallenge], 'endpoint',
        { syns: c.dirs[C2S].synCount, challengeAcks: c.challengeFrames.length, clientRsts: c.clientRstAfterChallenge.length, recovered: c.synAckSeen })
      for (const f of c.clientRstAfterChallenge) used.add(f)
    }
    if (c.udp) {
      // A UDP flow: the destination's own port unreachable means nothing listens; any other error is a refusal.
      const own = icmpR.filter(e => e.sender === 'endpoint' && e.packet.icmpType === (c.v6 ? 1 : 3) && e.packet.icmpCode === (c.v6 ? 4 : 3))
      if (own.length > 0) add('closed-port', own.map(e => e.frame), 'endpoint', { udp: true, resets: own.length })
      const rest = icmpR.filter(e => !own.includes(e))
      if (rest.length > 0) add('drop-icmp', rest.map(e => e.frame), worst(rest), { udp: true, type: Number(rest[0]!.packet.icmpType), code: Number(rest[0]!.packet.icmpCode) })
      return out
    }
    if (icmpR.length > 0) {
      add('drop-icmp', [...c.synFrames.slice(0, 1), ...icmpR.map(e => e.frame)], worst(icmpR),
        { type: Number(icmpR[0]!.packet.icmpType), code: Number(icmpR[0]!.packet.icmpCode), atSyn: !c.synAckSeen })
      for (const e of icmpR) used.add(e.frame)
    }
    if (!c.synAckSeen && c.synFrames.length > 0 && c.dirs[C2S].synCount >= 2 && c.dirs[S2C].packets === 0 && c.dirs[S2C].rsts === 0 && c.icmpCount === 0 && c.challengeFrames.length === 0) {
      add('silent-drop', c.synFrames, 'unknown', { syns: c.dirs[C2S].synCount })
    }
    // A RST alone after the silence counts only when its claimed sender did not send it.
    const rstOnly = c.idleRetrans.length === 0 && c.idleRstFrame === c.idleFrame
    const idleRst = resets.find(e => e.frame === c.idleRstFrame)
    if (c.idleFrame !== 0 && !c.idleAnswered && (c.idleRetrans.length > 0 || c.idleRstFrame !== 0) && !(rstOnly && idleRst?.sender === 'endpoint')) {
      const fr = [c.idleFrame, ...c.idleRetrans]
      if (c.idleRstFrame !== 0) fr.push(c.idleRstFrame)
      const after = resets.filter(e => e.frame >= c.idleFrame)
      add('idle-expiry', fr, after.length > 0 ? worst(after) : 'unknown', {
        idleUs: c.idleGapUs, retransmissions: c.idleRetrans.length, answeredByReset: c.idleRstFrame !== 0, from: c.idleDir === C2S ? 'client' : 'server',
      })
      for (const e of after) used.add(e.frame)
    }
    // RSTs both ways at once.
    const both = tcpR.filter(e => e.evidence.some(x => x.kind === 'rst-both-directions'))
    if (both.length >= 2) { add('reset-both', both.map(e => e.frame), 'middlebox', { resets: both.length }); for (const e of both) used.add(e.frame) }
    const rest = tcpR.filter(e => !used.has(e.frame))
    const atSyn = rest.filter(e => e.evidence.some(x => x.kind === 'answers-syn'))
    // Without the SYN in the capture, only a judged sender names the pattern.
    if (atSyn.length > 0 && (c.dirs[C2S].synCount > 0 || worst(atSyn) !== 'unknown')) {
      const s = worst(atSyn)
      add(s === 'endpoint' ? 'closed-port' : 'reset-at-syn', [...c.synFrames.slice(0, 1), ...atSyn.map(e => e.frame)], s, { resets: atSyn.length })
    }
    const later = rest.filter(e => !atSyn.includes(e))
    const raced = later.filter(e => e.evidence.some(x => x.kind === 'raced-by-data'))
    if (raced.length > 0) add('injected-reset', raced.map(e => e.frame), 'middlebox', { resets: raced.length })
    // Every other RST after the handshake, by who sent it and whether data had flowed.
    const groups = new Map<PatternEvent['pattern'], ResetEvent[]>()
    for (const e of later) {
      if (raced.includes(e)) continue
      const rec = c.resets.find(r => r.frame === e.frame)!
      const name = e.sender === 'endpoint' ? 'endpoint-abort' : rec.dataBefore > 0 ? 'reset-after-data' : 'reset-midstream'
      const g = groups.get(name)
      if (g === undefined) groups.set(name, [e]); else g.push(e)
    }
    for (const [name, es] of groups) {
      // A lone RST with nothing around it (a capture of one packet) names no pattern.
      if (name === 'reset-midstream' && worst(es) === 'unknown' && c.packets === es.length) continue
      const rec = c.resets.find(r => r.frame === es[0]!.frame)!
      add(name, es.map(e => e.frame), worst(es), { bytesBefore: rec.dataBefore, resets: es.length })
    }
    return out
  }
}

/** Names of the destination-unreachable codes (RFC 792 / 1122 / 1812; RFC 4443 for ICMPv6). */
export function icmpName (v6: boolean, type: number, code: number): string {
  if (v6) {
    if (type !== 1) return `type-${type}`
    return ['no-route', 'admin-prohibited', 'beyond-scope', 'address-unreachable', 'port-unreachable', 'source-policy-failed', 'reject-route'][code] ?? `code-${code}`
  }
  if (type !== 3) return `type-${type}`
  return ['net-unreachable', 'host-unreachable', 'protocol-unreachable', 'port-unreachable', 'fragmentation-needed', 'source-route-failed',
    'net-unknown', 'host-unknown', 'source-isolated', 'net-admin-prohibited', 'host-admin-prohibited', 'net-tos', 'host-tos',
    'admin-prohibited', 'host-precedence', 'precedence-cutoff'][code] ?? `code-${code}`
}

/** Is this an "administratively prohibited" code (a filter said no)? */
export function isAdminProhibited (v6: boolean, type: number, code: number): boolean {
  return v6 ? type === 1 && code === 1 : type === 3 && (code === 9 || code === 10 || code === 13)
}
