/**
 * The session table: struct-of-arrays in typed arrays, indexed by slot.
 *
 * - A session is two flows (c2s, s2c). Both flow keys are inserted in one open-addressing hash
 *   (linear probing, backward-shift deletion, load ≤ 0.5), each entry being `slot << 1 | dir`.
 *   The key is (protocol, source, destination, source port, destination port); the zone is not part
 *   of the key (on a virtual wire the same 5-tuple cannot arrive from both zones in one direction).
 * - The key (first address words, ports, protocol, version) is one 16-byte row of an Int32Array
 *   (KEY_STRIDE words); an IPv6 session's remaining address words are in `key6`.
 * - Slots come from a free stack; the table grows by doubling up to `maxSessions` so a small table
 *   costs little memory and a 1 M table needs no up-front 200 MB.
 * - Timers: a session expires exactly at `lastUs + timeout of its class`. A packet only writes
 *   `lastUs` (`touch`): nothing moves on the forwarding path. Each class keeps its sessions in
 *   order of `linkUs`, the time they were last queued (≤ lastUs): a list for sessions queued by
 *   `setTimer` (appended in clock order, so sorted for free) and a binary heap for sessions re-queued
 *   because packets refreshed them after they were queued. `linkUs + timeout` of a list head or heap
 *   root is a lower bound on the class's next expiry; `dueSlot()` looks only there and re-queues a
 *   refreshed session (at most once per timeout per session) instead of expiring it. Expiry costs
 *   time in proportion to what expires and to those re-queues, not to table size (the "equivalent"
 *   of a timer wheel that issue #3 allows; exact to the microsecond, which a wheel is not).
 *
 * This module knows nothing of policy or packets beyond keys; `tcp.ts` holds the TCP tracking that
 * works on the per-direction columns, and the engine drives both.
 */
import { TIMER_CLASS_COUNT, TIMER_NONE } from './timers.js'

/** PAN-OS session states (see docs/panos-model.md#session-states). INIT = free slot. */
export const enum SessState { INIT = 0, OPENING = 1, ACTIVE = 2, DISCARD = 3, CLOSING = 4, CLOSED = 5 }
export const SESSION_STATE_NAMES = ['INIT', 'OPENING', 'ACTIVE', 'DISCARD', 'CLOSING', 'CLOSED'] as const

/** TCP sub-state, for the checks in tcp.ts and for `show session` (SessionInfo.tcpState). */
export const enum TcpSt {
  NONE = 0, SYN_SENT = 1, SYN_RECV = 2, ESTABLISHED = 3, HALF_CLOSED = 4, TIME_WAIT = 5, UNVERIFIED_RST = 6,
}
export const TCP_STATE_NAMES = [
  'none', 'syn-sent', 'syn-recv', 'established', 'half-closed', 'time-wait', 'unverified-rst',
] as const

/** Session flag bits (`flags` column). */
export const enum SF {
  PAYLOAD_C2S = 1, PAYLOAD_S2C = 2,
  /** A challenge ACK (RFC 5961 §4) was seen answering the SYN; its ack number is in `challengeAckAt(slot)`. */
  CHALLENGE = 4,
  /** The server's MAC was learned from an s2c frame (before that it is the c2s destination MAC). */
  SERVER_MAC = 8,
  /** Handshake completed (final ACK seen). */
  ESTABLISHED_ONCE = 16,
  /** An ICMP echo session. */
  ECHO = 32,
  /** Picked up mid-stream (tcp-reject-non-syn off): no window checks, only FIN/RST tracking. */
  LIBERAL = 64,
  /** Allowed by a rule that names applications before App-ID decided (policy `tentative`). */
  TENTATIVE = 128,
  /** Blocked after setup (rule change, App-ID, threat): traffic-log subtype 'deny', not 'drop'. */
  BLOCKED_LATE = 256,
  /** The session's rule has icmp-unreachable: yes. */
  ICMP_UNREACH = 512,
  /** A zone of the session has a zone protection profile with per-packet work: every packet takes the full path. */
  SLOW = 1024,
  /** Opened through a SYN cookie (issue #15): sequence numbers are translated for its whole life (`seqDelta`). */
  SYNCOOKIE = 2048,
  /** SYN-cookie session whose server leg is not set up yet: `seqDelta` holds the cookie (the client's view of the server's ISN). */
  COOKIE_PENDING = 4096,
}

/**
 * Where a challenge ACK's ack number is kept: the server direction's td_maxack word, unused until
 * the server's SYN-ACK initialises that direction (after which the number is no longer needed).
 */
export function challengeAckAt (s: number): number { return (2 * s + 1) * 4 + 3 }

/** Per-direction TCP flag bits (`tdFlags`). */
export const enum TDF { INIT = 1, WSCALE = 2, MAXACK_SET = 4, FIN = 8 }

interface Column { name: string, stride: number }

/**
 * One session's key is one 16-byte row of the `key` column, so an IPv4 lookup reads one cache line
 * (four rows to a line): word 0 = the client address's first word (an IPv4 address), 1 = the
 * server's, 2 = cport << 16 | sport, 3 = proto | version << 8. An IPv6 session's other address words
 * are a row of `key6` (KEY6_STRIDE words: client words 1-3, server words 1-3), which IPv4 sessions
 * never touch (so it costs them no resident memory either).
 */
export const KEY_STRIDE = 4
const KEY6_STRIDE = 6
const COLUMNS: Column[] = [
  { name: 'key', stride: KEY_STRIDE }, { name: 'key6', stride: KEY6_STRIDE }, { name: 'id', stride: 1 },
  { name: 'state', stride: 1 }, { name: 'tcpSt', stride: 1 }, { name: 'flags', stride: 1 },
  { name: 'startUs', stride: 1 }, { name: 'lastUs', stride: 1 }, { name: 'pkts', stride: 2 },
  { name: 'bytes', stride: 2 }, { name: 'td', stride: 8 },
  { name: 'tdScale', stride: 2 },
  { name: 'tdFlags', stride: 2 }, { name: 'rule', stride: 1 },
  { name: 'action', stride: 1 }, { name: 'app', stride: 1 }, { name: 'fromZone', stride: 1 },
  { name: 'toZone', stride: 1 }, { name: 'endReason', stride: 1 }, { name: 'mac', stride: 12 },
  { name: 'vlanN', stride: 1 }, { name: 'vlanTci', stride: 2 },
  { name: 'link', stride: 1 }, { name: 'clientPort', stride: 1 }, { name: 'tclass', stride: 1 },
  { name: 'tlink', stride: 2 }, { name: 'linkUs', stride: 1 }, { name: 'hpos', stride: 1 },
  { name: 'seqDelta', stride: 1 },
]

function mix (h: number, w: number): number {
  h = Math.imul(h ^ w, 0xcc9e2d51)
  h = (h << 15) | (h >>> 17)
  return Math.imul(h, 0x1b873593) + 0xe6546b64 | 0
}
function fmix (h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}
/** Big-endian 32-bit word at `o` as a signed int (compared against the Int32Array column). */
function word (f: Uint8Array, o: number): number {
  return (f[o] << 24) | (f[o + 1] << 16) | (f[o + 2] << 8) | f[o + 3]
}

/*
 * Flow hash of the session hash (not the fragment cache's, which keeps hashFrame). Multiplicative
 * (golden-ratio and murmur3 constants) with a fold of the high half after each multiply, because a
 * product's low bits, the ones the mask keeps, depend only on the low bits of its operands. Two
 * multiplies for IPv4 instead of the eight of mix/fmix; the linear probe compares full keys anyway.
 */
function flowHash4 (x: number, a: number, b: number): number {
  let h = Math.imul(x ^ a, 0x9e3779b1)
  h = Math.imul(h ^ (h >>> 16) ^ b, 0x85ebca6b)
  return h ^ (h >>> 15)
}
function step (h: number, w: number): number {
  h = Math.imul(h ^ w, 0x9e3779b1)
  return h ^ (h >>> 16)
}
function fin (h: number): number {
  h = Math.imul(h, 0x85ebca6b)
  return h ^ (h >>> 15)
}

/** Put `x` in the first free bucket from its home (`home(x) & mask`) of open-addressing table `h`. */
function probeInsert (h: Int32Array, mask: number, x: number, home: (y: number) => number): void {
  let i = home(x) & mask
  while (h[i] !== -1) i = (i + 1) & mask
  h[i] = x
}

/**
 * Remove `x` from open-addressing table `h` by backward-shift deletion: no tombstones, so probe
 * lengths stay short under churn. Both of the table's hashes (flows, ids) use it.
 */
function probeRemove (h: Int32Array, mask: number, x: number, home: (y: number) => number): void {
  let i = home(x) & mask
  while (h[i] !== x) {
    if (h[i] === -1) return
    i = (i + 1) & mask
  }
  let j = i
  for (;;) {
    j = (j + 1) & mask
    const y = h[j]
    if (y === -1) break
    const k = home(y) & mask
    // Leave y where it is if its home k lies cyclically in (i, j].
    if (i <= j ? (i < k && k <= j) : (i < k || k <= j)) continue
    h[i] = y
    i = j
  }
  h[i] = -1
}

export class SessionTable {
  /** Slots allocated now; grows by doubling up to `max`. */
  cap: number
  /** max-sessions; may change with the policy (never frees sessions by itself). */
  max: number
  count = 0
  private nextId = 1

  /** See KEY_STRIDE; read through cportOf/sportOf/protoOf/verOf/addrWord outside this file. */
  key!: Int32Array; key6!: Int32Array
  id!: Uint32Array; state!: Uint8Array; tcpSt!: Uint8Array; flags!: Uint16Array
  startUs!: Float64Array; lastUs!: Float64Array
  /** Index slot*2+dir (0 = c2s, 1 = s2c). */
  pkts!: Uint32Array; bytes!: Float64Array
  /**
   * Conntrack-style per-direction window data (see docs/panos-model.md#window-tracking), grouped so one session's TCP state sits
   * in one cache line: at (slot*2+dir)*4 + 0 td_end, +1 td_maxend, +2 td_maxwin, +3 td_maxack.
   */
  td!: Uint32Array
  /** Index slot*2+dir. */
  tdScale!: Uint8Array; tdFlags!: Uint8Array
  /** Small integer indexes into the engine's string tables. */
  rule!: Uint16Array; action!: Uint8Array; app!: Uint16Array; fromZone!: Uint16Array; toZone!: Uint16Array
  /** EndReason rank (0 = none recorded yet; see END_REASONS in engine/records.ts). */
  endReason!: Uint8Array
  /** [0,6) client MAC, [6,12) server MAC. */
  mac!: Uint8Array
  /** VLAN tags of the client's frames (TCIs, outer first); forged frames use 802.1Q / 802.1ad TPIDs. */
  vlanN!: Uint8Array; vlanTci!: Uint16Array
  /** Link type of the session's frames as forged frames use it: 1 Ethernet, 101 raw IP. */
  link!: Uint8Array
  /** Port the client's frames arrive on (PORT_UNKNOWN = -1). */
  clientPort!: Int8Array
  /** Timer class and list links: tlink[2*slot] = next, tlink[2*slot+1] = previous (-1 = none). */
  tclass!: Uint8Array; tlink!: Int32Array
  /** When the session was last queued in its class (list or heap); ≤ lastUs. See the header. */
  linkUs!: Float64Array
  /** 1 + the session's index in its class's heap; 0 = not in a heap (in the list, or in no class). */
  hpos!: Int32Array
  /** SYN-cookie sessions (SF.SYNCOOKIE): server's sequence numbers as the client sees them minus as the server sent them. */
  seqDelta!: Int32Array
  /** Per-session inspection object (App-ID / threats, issue #6); only kept when `inspectOn`. */
  inspect: Array<unknown> = []
  inspectOn = false

  private readonly heads = new Int32Array(TIMER_CLASS_COUNT).fill(-1)
  private readonly tails = new Int32Array(TIMER_CLASS_COUNT).fill(-1)
  /** Per class: a min-heap of slots by linkUs (re-queued sessions), and its size. */
  private readonly heaps: Int32Array[] = Array.from({ length: TIMER_CLASS_COUNT }, () => new Int32Array(16))
  private readonly heapN = new Int32Array(TIMER_CLASS_COUNT)

  /** Freed slots are chained through tlink[2*slot] (a free slot is in no timer list). -1 = none. */
  private freeHead = -1
  /** Slots at or above `fresh` have never been used. */
  private fresh = 0
  /** Slots at or above `fresh6` have never held an IPv6 session (their `key6` rows are untouched). */
  private fresh6 = 0
  private hidx!: Int32Array
  private hmask = 0
  /** Session id → slot (open addressing, backward-shift deletion), for session(id) and the CLI. */
  private ihash!: Int32Array
  private imask = 0
  /** Home-bucket hashes of the two tables' entries (a flow `slot << 1 | dir`, a session slot by id). */
  private readonly flowHome = (e: number): number => this.hashEntry(e)
  private readonly idHome = (s: number): number => fmix(this.id[s])

  /**
   * `initial` slots are reserved up front (virtual memory only, see allocColumns); beyond that the
   * columns double. The default reserves max-sessions up to 4 M slots.
   */
  constructor (maxSessions: number, initial = 4 * 1024 * 1024) {
    this.max = Math.max(1, Math.floor(maxSessions))
    this.cap = 0
    this.allocColumns(Math.min(this.max, Math.max(1, initial)))
    this.rehash(1024)
  }

  /** Typed-array constructor per column. */
  private static ctor (name: string): any {
    switch (name) {
      case 'key': case 'key6': case 'tlink': case 'hpos': case 'seqDelta': return Int32Array
      case 'flags': case 'rule': case 'app': case 'fromZone': case 'toZone':
      case 'vlanTci': return Uint16Array
      case 'id': case 'td': case 'pkts': return Uint32Array
      case 'startUs': case 'lastUs': case 'linkUs': case 'bytes': return Float64Array
      case 'clientPort': return Int8Array
      default: return Uint8Array
    }
  }

  /**
   * (Re)allocate the columns for `newCap` slots. New slots are not touched: typed arrays start as
   * zero pages the OS only backs when written, so a table allocated for max-sessions costs resident
   * memory in proportion to the sessions actually used (slots are handed out low to high through
   * `fresh`, freed slots are reused first).
   */
  private allocColumns (newCap: number): void {
    for (const c of COLUMNS) {
      const C = SessionTable.ctor(c.name)
      const a = new C(newCap * c.stride)
      if (this.cap > 0) a.set((this as any)[c.name])
      ;(this as any)[c.name] = a
    }
    this.cap = newCap
  }

  /** The hash is sized by the live count (load ≤ 0.5 with two flows per session) and rebuilt on growth. */
  private rehash (hsize: number): void {
    this.hidx = new Int32Array(hsize).fill(-1)
    this.hmask = hsize - 1
    this.ihash = new Int32Array(hsize >> 1).fill(-1)
    this.imask = (hsize >> 1) - 1
    for (let s = 0; s < this.fresh; s++) {
      if (this.state[s] !== SessState.INIT) { this.hashInsert(s << 1); this.hashInsert((s << 1) | 1); this.idInsert(s) }
    }
  }

  private idInsert (s: number): void { probeInsert(this.ihash, this.imask, s, this.idHome) }
  private idRemove (s: number): void { probeRemove(this.ihash, this.imask, s, this.idHome) }

  /** Bytes of the typed arrays in use (slots ever used + hash), for the benchmark's bytes/session. */
  memoryBytes (): number {
    let n = this.hidx.byteLength + this.ihash.byteLength + (this.inspectOn ? this.fresh * 8 : 0)
    for (const c of COLUMNS) n += (this as any)[c.name].byteLength / this.cap * (c.name === 'key6' ? this.fresh6 : this.fresh)
    return n
  }

  isFull (): boolean { return this.count >= this.max }

  /** Hash of a packet's flow key read straight from the frame. */
  static hashFrame (f: Uint8Array, srcOff: number, dstOff: number, alen: number, proto: number, sp: number, dp: number): number {
    let h = mix(proto * 0x9e3779b1 | 0, (sp << 16) | dp)
    for (let i = 0; i < alen; i += 4) h = mix(h, word(f, srcOff + i))
    for (let i = 0; i < alen; i += 4) h = mix(h, word(f, dstOff + i))
    return fmix(h)
  }

  /** Hash of the stored key of flow `e` (= slot << 1 | dir): the value `find` computes for its packets. */
  private hashEntry (e: number): number {
    const k = this.key
    const r = (e >> 1) * KEY_STRIDE
    const d = e & 1
    const ports = k[r + 2]
    const pv = k[r + 3]
    const x = (d === 0 ? ports : (ports >>> 16) | (ports << 16)) ^ pv
    if ((pv >> 8) === 4) return flowHash4(x, k[r + d], k[r + 1 - d])
    // IPv6: the sender's four words, then the receiver's, as flowHashFrame6 reads them from a frame.
    const k6 = this.key6
    const r6 = (e >> 1) * KEY6_STRIDE
    const a = r6 + 3 * d
    const b = r6 + 3 * (1 - d)
    let h = step(x, k[r + d])
    for (let i = 0; i < 3; i++) h = step(h, k6[a + i])
    h = step(h, k[r + 1 - d])
    for (let i = 0; i < 3; i++) h = step(h, k6[b + i])
    return fin(h)
  }

  cportOf (s: number): number { return this.key[s * KEY_STRIDE + 2] >>> 16 }
  sportOf (s: number): number { return this.key[s * KEY_STRIDE + 2] & 0xffff }
  protoOf (s: number): number { return this.key[s * KEY_STRIDE + 3] & 0xff }
  verOf (s: number): number { return this.key[s * KEY_STRIDE + 3] >> 8 }
  /**
   * Address word `i` (0-3) of the client (`which` 0) or server (1), big-endian as a signed int.
   * An IPv4 address is word 0 (words 1-3 read as 0).
   */
  addrWord (s: number, which: number, i: number): number {
    if (i === 0) return this.key[s * KEY_STRIDE + which]
    return this.verOf(s) === 4 ? 0 : this.key6[s * KEY6_STRIDE + which * 3 + i - 1]
  }

  /** The client's (`which` 0) or server's (1) address as bytes (4 or 16): a new array (views, forging; not per packet). */
  addrBytes (s: number, which: 0 | 1): Uint8Array {
    const n = this.verOf(s) === 4 ? 4 : 16
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i += 4) {
      const w = this.addrWord(s, which, i >> 2)
      out[i] = w >>> 24; out[i + 1] = (w >>> 16) & 0xff; out[i + 2] = (w >>> 8) & 0xff; out[i + 3] = w & 0xff
    }
    return out
  }

  // ---- per-direction columns (d: 0 = c2s, 1 = s2c). Small and allocation-free: V8 inlines them. ----

  /** Count one packet of `len` bytes in direction `d`. */
  countPacket (s: number, d: number, len: number): void {
    const i = 2 * s + d
    this.pkts[i]++
    this.bytes[i] += len
  }

  /** Start a session's counters at its first packet (c2s, `len` bytes). */
  countFirst (s: number, len: number): void {
    this.pkts[2 * s] = 1
    this.bytes[2 * s] = len
  }

  packetsOf (s: number, d: number): number { return this.pkts[2 * s + d] }
  bytesOf (s: number, d: number): number { return this.bytes[2 * s + d] }

  /** Has direction `d`'s TCP window data been initialised (its first segment seen)? */
  tracked (s: number, d: number): boolean { return (this.tdFlags[2 * s + d] & TDF.INIT) !== 0 }
  /** td_end of direction `d`: the sender's next sequence number (highest seq + len sent so far). */
  nextSeq (s: number, d: number): number { return this.td[(2 * s + d) * 4] }
  setNextSeq (s: number, d: number, seq: number): void { this.td[(2 * s + d) * 4] = seq }
  /** td_maxwin of direction `d`: the largest window the sender advertised. */
  maxWin (s: number, d: number): number { return this.td[(2 * s + d) * 4 + 2] }
  /** The ack number of the challenge ACK recorded with SF.CHALLENGE (see challengeAckAt). */
  challengeAck (s: number): number { return this.td[challengeAckAt(s)] }

  // ---- link layer of forged frames ----

  /** Record the MACs from the client's first frame (Ethernet header at `eth`): client = source, server = destination until learned. */
  setMacs (s: number, f: Uint8Array, eth: number): void {
    const mac = this.mac
    const mo = s * 12
    for (let i = 0; i < 6; i++) { mac[mo + i] = f[eth + 6 + i]!; mac[mo + 6 + i] = f[eth + i]! }
  }

  /** Learn the server's MAC from the source of one of its frames (Ethernet header at `eth`); sets SF.SERVER_MAC. */
  learnServerMac (s: number, f: Uint8Array, eth: number): void {
    const mac = this.mac
    const mo = s * 12 + 6
    for (let k = 0; k < 6; k++) mac[mo + k] = f[eth + 6 + k]!
    this.flags[s] |= SF.SERVER_MAC
  }

  /** The client's (`which` 0) or server's (1) MAC: a view into the column, valid until the table grows. */
  macOf (s: number, which: 0 | 1): Uint8Array {
    const o = s * 12 + which * 6
    return this.mac.subarray(o, o + 6)
  }

  /** Record the VLAN tags (TCIs, outer first) of the client's frames. */
  setVlans (s: number, n: number, tci0: number, tci1: number): void {
    this.vlanN[s] = n
    this.vlanTci[2 * s] = tci0
    this.vlanTci[2 * s + 1] = tci1
  }

  /** The session's VLAN tags, outer first (a new array: forging only). */
  vlansOf (s: number): number[] {
    const out: number[] = []
    for (let i = 0; i < this.vlanN[s]; i++) out.push(this.vlanTci[2 * s + i])
    return out
  }

  /**
   * Find the flow of a packet: returns `slot << 1 | dir` (dir 0 = c2s) or -1. Allocation-free.
   * `alen` is 4 or 16. The IPv4 case reads each address word once and uses it for both the hash
   * and the key compare.
   */
  find (f: Uint8Array, srcOff: number, dstOff: number, alen: number, proto: number, sp: number, dp: number): number {
    if (alen === 4) return this.find4(f, srcOff, dstOff, proto, sp, dp)
    const fwd = (sp << 16) | dp
    const s0 = word(f, srcOff)
    const d0 = word(f, dstOff)
    const hidx = this.hidx
    const mask = this.hmask
    let i = SessionTable.flowHashFrame6(f, srcOff, dstOff, fwd ^ (proto | (6 << 8))) & mask
    const pv = proto | (6 << 8)
    const k = this.key
    const k6 = this.key6
    const rev = (dp << 16) | sp
    for (;;) {
      const e = hidx[i]
      if (e === -1) return -1
      const r = (e >> 1) * KEY_STRIDE
      if (k[r + 3] === pv) {
        const d = e & 1
        const r6 = (e >> 1) * KEY6_STRIDE
        const a = r6 + 3 * d
        const b = r6 + 3 * (1 - d)
        if (k[r + 2] === (d === 0 ? fwd : rev) && k[r + d] === s0 && k[r + 1 - d] === d0 &&
          k6[a] === word(f, srcOff + 4) && k6[a + 1] === word(f, srcOff + 8) &&
          k6[a + 2] === word(f, srcOff + 12) && k6[b] === word(f, dstOff + 4) &&
          k6[b + 1] === word(f, dstOff + 8) && k6[b + 2] === word(f, dstOff + 12)) {
          return e
        }
      }
      i = (i + 1) & mask
    }
  }

  /**
   * `find` for an IPv4 packet (also the engine's fast path's entry): a linear probe from the flow's
   * home bucket. One function, small enough for V8 to inline into the fast path.
   */
  find4 (f: Uint8Array, srcOff: number, dstOff: number, proto: number, sp: number, dp: number): number {
    const fwd = (sp << 16) | dp
    const s0 = word(f, srcOff)
    const d0 = word(f, dstOff)
    const pv = proto | (4 << 8)
    const hidx = this.hidx
    const mask = this.hmask
    const k = this.key
    let i = flowHash4(fwd ^ pv, s0, d0) & mask
    for (;;) {
      const e = hidx[i]
      if (e === -1) return -1
      const r = (e >> 1) * KEY_STRIDE
      if (k[r + 3] === pv) {
        if ((e & 1) === 0) {
          if (k[r + 2] === fwd && k[r] === s0 && k[r + 1] === d0) return e
        } else if (k[r + 2] === ((dp << 16) | sp) && k[r + 1] === s0 && k[r] === d0) return e
      }
      i = (i + 1) & mask
    }
  }

  /** flowHash6 over a packet's addresses read from the frame (`x` = ports ^ proto/version word). */
  private static flowHashFrame6 (f: Uint8Array, srcOff: number, dstOff: number, x: number): number {
    let h = x
    for (let i = 0; i < 16; i += 4) h = step(h, word(f, srcOff + i))
    for (let i = 0; i < 16; i += 4) h = step(h, word(f, dstOff + i))
    return fin(h)
  }

  private hashInsert (e: number): void { probeInsert(this.hidx, this.hmask, e, this.flowHome) }
  private hashRemove (e: number): void { probeRemove(this.hidx, this.hmask, e, this.flowHome) }

  /**
   * Allocate a session for a packet's key (the sender becomes the client). Returns the slot, or -1
   * when the table is at `maxSessions`. The caller fills everything else; state starts OPENING.
   */
  alloc (f: Uint8Array, srcOff: number, dstOff: number, alen: number, proto: number, sp: number, dp: number): number {
    if (this.count >= this.max) return -1
    let s = this.freeHead
    if (s >= 0) {
      this.freeHead = this.tlink[2 * s]
    } else {
      if (this.fresh === this.cap) this.allocColumns(Math.min(this.max, this.cap * 2))
      s = this.fresh++
    }
    if ((this.count + 1) * 4 > this.hidx.length) this.rehash(this.hidx.length * 2)
    this.tclass[s] = TIMER_NONE
    const o = s * KEY_STRIDE
    const k = this.key
    k[o] = word(f, srcOff)
    k[o + 1] = word(f, dstOff)
    k[o + 2] = (sp << 16) | dp
    k[o + 3] = proto | ((alen === 4 ? 4 : 6) << 8)
    if (alen === 16) {
      if (s >= this.fresh6) this.fresh6 = s + 1
      const o6 = s * KEY6_STRIDE
      for (let i = 0; i < 3; i++) {
        this.key6[o6 + i] = word(f, srcOff + 4 + 4 * i)
        this.key6[o6 + 3 + i] = word(f, dstOff + 4 + 4 * i)
      }
    }
    this.id[s] = this.nextId++
    this.state[s] = SessState.OPENING
    this.tcpSt[s] = TcpSt.NONE
    this.flags[s] = 0
    this.pkts[2 * s] = 0; this.pkts[2 * s + 1] = 0
    this.bytes[2 * s] = 0; this.bytes[2 * s + 1] = 0
    for (let d = 2 * s; d < 2 * s + 2; d++) {
      this.td[4 * d] = 0; this.td[4 * d + 1] = 0; this.td[4 * d + 2] = 0; this.td[4 * d + 3] = 0
      this.tdScale[d] = 0; this.tdFlags[d] = 0
    }
    this.endReason[s] = 0
    this.app[s] = 0
    this.vlanN[s] = 0
    if (this.inspectOn) this.inspect[s] = undefined
    this.count++
    this.hashInsert(s << 1)
    this.hashInsert((s << 1) | 1)
    this.idInsert(s)
    return s
  }

  /** Remove a session from the hash and the timers and return its slot to the free stack. */
  free (s: number): void {
    if (this.state[s] === SessState.INIT) return
    this.hashRemove(s << 1)
    this.hashRemove((s << 1) | 1)
    this.idRemove(s)
    if (this.tclass[s] !== TIMER_NONE) this.dequeue(s)
    this.state[s] = SessState.INIT
    if (this.inspectOn) this.inspect[s] = undefined
    this.tlink[2 * s] = this.freeHead
    this.freeHead = s
    this.count--
  }

  // ---- timers -------------------------------------------------------------------------------

  /** Take a session out of its class (list or heap). */
  private dequeue (s: number): void {
    if (this.hpos[s] !== 0) this.heapRemove(s); else this.unlink(s)
    this.tclass[s] = TIMER_NONE
  }

  private unlink (s: number): void {
    const c = this.tclass[s]
    const L = this.tlink
    const n = L[2 * s]
    const p = L[2 * s + 1]
    if (p >= 0) L[2 * p] = n; else this.heads[c] = n
    if (n >= 0) L[2 * n + 1] = p; else this.tails[c] = p
  }

  /** Put a session in timer class `c`, idle from `nowUs` (at the tail of the class's list). */
  setTimer (s: number, c: number, nowUs: number): void {
    if (this.tclass[s] !== TIMER_NONE) this.dequeue(s)
    this.lastUs[s] = nowUs
    this.linkUs[s] = nowUs
    const L = this.tlink
    const t = this.tails[c]
    L[2 * s + 1] = t
    L[2 * s] = -1
    if (t >= 0) L[2 * t] = s; else this.heads[c] = s
    this.tails[c] = s
    this.tclass[s] = c
  }

  /**
   * A packet refreshed the session. Only `lastUs` changes: the session keeps its place, and
   * `dueSlot` re-queues it if its old place comes due first (the clock never goes back, so
   * `nowUs` ≥ the session's linkUs).
   */
  touch (s: number, nowUs: number): void {
    this.lastUs[s] = nowUs
  }

  /**
   * A slot whose timer is due by `nowUs` (expiry = lastUs + timeouts[class]), or -1. Looks only at
   * each class's list head and heap root; one refreshed since it was queued and not yet due is
   * re-queued in the heap by its lastUs on the way. Classes are taken in order, so one call to
   * `dueSlot` per expiry ends sessions class by class, each at its own deadline.
   */
  dueSlot (nowUs: number, timeouts: Float64Array): number {
    const last = this.lastUs
    const link = this.linkUs
    for (let c = 0; c < TIMER_CLASS_COUNT; c++) {
      const tmo = timeouts[c]!
      for (let h = this.heads[c]; h >= 0 && link[h] + tmo <= nowUs; h = this.heads[c]) {
        if (last[h] + tmo <= nowUs) return h
        this.unlink(h)
        link[h] = last[h]
        this.heapPush(c, h)
      }
      const heap = this.heaps[c]!
      while (this.heapN[c] > 0 && link[heap[0]!] + tmo <= nowUs) {
        const m = heap[0]!
        if (last[m] + tmo <= nowUs) return m
        link[m] = last[m]
        this.siftDown(c, 0)
      }
    }
    return -1
  }

  /**
   * When to call `dueSlot` next: no later than the earliest expiry (exactly it unless the session
   * queued first was refreshed since), or undefined when the table is empty. O(number of classes).
   */
  nextDeadline (timeouts: Float64Array): number | undefined {
    let best = Infinity
    for (let c = 0; c < TIMER_CLASS_COUNT; c++) {
      const h = this.heads[c]
      if (h >= 0) best = Math.min(best, this.linkUs[h] + timeouts[c])
      if (this.heapN[c] > 0) best = Math.min(best, this.linkUs[this.heaps[c]![0]!] + timeouts[c])
    }
    return best === Infinity ? undefined : best
  }

  // Binary min-heaps by linkUs; hpos keeps each member's index + 1 so removal is O(log n).

  private heapPush (c: number, s: number): void {
    let heap = this.heaps[c]!
    const n = this.heapN[c]
    if (n === heap.length) {
      const bigger = new Int32Array(heap.length * 2)
      bigger.set(heap)
      this.heaps[c] = heap = bigger
    }
    heap[n] = s
    this.hpos[s] = n + 1
    this.heapN[c] = n + 1
    this.siftUp(c, n)
  }

  private heapRemove (s: number): void {
    const c = this.tclass[s]
    const heap = this.heaps[c]!
    const i = this.hpos[s] - 1
    const n = this.heapN[c] - 1
    this.heapN[c] = n
    this.hpos[s] = 0
    if (i === n) return
    const x = heap[n]!
    heap[i] = x
    this.hpos[x] = i + 1
    if (i > 0 && this.linkUs[x] < this.linkUs[heap[(i - 1) >> 1]!]) this.siftUp(c, i); else this.siftDown(c, i)
  }

  private siftUp (c: number, i: number): void {
    const heap = this.heaps[c]!
    const link = this.linkUs
    const s = heap[i]!
    const k = link[s]
    while (i > 0) {
      const p = (i - 1) >> 1
      const ps = heap[p]!
      if (link[ps] <= k) break
      heap[i] = ps
      this.hpos[ps] = i + 1
      i = p
    }
    heap[i] = s
    this.hpos[s] = i + 1
  }

  private siftDown (c: number, i: number): void {
    const heap = this.heaps[c]!
    const n = this.heapN[c]
    const link = this.linkUs
    const s = heap[i]!
    const k = link[s]
    for (;;) {
      let m = 2 * i + 1
      if (m >= n) break
      if (m + 1 < n && link[heap[m + 1]!] < link[heap[m]!]) m++
      const ms = heap[m]!
      if (link[ms] >= k) break
      heap[i] = ms
      this.hpos[ms] = i + 1
      i = m
    }
    heap[i] = s
    this.hpos[s] = i + 1
  }

  /** Slot holding session `id`, or -1. */
  slotOf (id: number): number {
    const h = this.ihash
    let i = fmix(id) & this.imask
    for (;;) {
      const s = h[i]
      if (s === -1) return -1
      if (this.id[s] === id && this.state[s] !== SessState.INIT) return s
      i = (i + 1) & this.imask
    }
  }

  /** Slots of live sessions in id order. */
  liveSlots (): number[] {
    const out: number[] = []
    for (let s = 0; s < this.fresh; s++) if (this.state[s] !== SessState.INIT) out.push(s)
    return out.sort((a, b) => this.id[a] - this.id[b])
  }
}
