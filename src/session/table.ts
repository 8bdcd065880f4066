/**
 * The session table: struct-of-arrays in typed arrays, indexed by slot.
 *
 * - A session is two flows (c2s, s2c). Both flow keys are inserted in one open-addressing hash
 *   (linear probing, backward-shift deletion, load ≤ 0.5), each entry being `slot << 1 | dir`.
 *   The key is (protocol, source, destination, source port, destination port); the zone is not part
 *   of the key (on a virtual wire the same 5-tuple cannot arrive from both zones in one direction).
 * - Addresses live in an Int32Array, 4 words per endpoint (IPv4 uses word 0 and a version column).
 * - Slots come from a free stack; the table grows by doubling up to `maxSessions` so a small table
 *   costs little memory and a 1 M table needs no up-front 200 MB.
 * - Timers: one doubly linked list per timer class, in touch order. Every member of a class shares
 *   one timeout, so each list is also sorted by expiry and `dueSlot()` only ever looks at list heads:
 *   expiry costs time in proportion to what expires, not to table size (the "equivalent" of a timer
 *   wheel that issue #3 allows; it is exact to the microsecond, which a wheel is not).
 *
 * This module knows nothing of policy or packets beyond keys; `tcp.ts` holds the TCP tracking that
 * works on the per-direction columns, and the engine drives both.
 */
import { TIMER_CLASS_COUNT, TIMER_NONE } from './timers.js'

/** PAN-OS session states (panos-facts.md §5). INIT = free slot. */
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
  /** A challenge ACK (RFC 5961 §4) was seen answering the SYN; its ack number is in `chAck`. */
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
}

/** Per-direction TCP flag bits (`tdFlags`). */
export const enum TDF { INIT = 1, WSCALE = 2, MAXACK_SET = 4, FIN = 8 }

interface Column { name: string, stride: number }
const COLUMNS: Column[] = [
  { name: 'addr', stride: 8 }, { name: 'ver', stride: 1 }, { name: 'proto', stride: 1 },
  { name: 'cport', stride: 1 }, { name: 'sport', stride: 1 }, { name: 'id', stride: 1 },
  { name: 'state', stride: 1 }, { name: 'tcpSt', stride: 1 }, { name: 'flags', stride: 1 },
  { name: 'startUs', stride: 1 }, { name: 'lastUs', stride: 1 }, { name: 'pkts', stride: 2 },
  { name: 'bytes', stride: 2 }, { name: 'tdEnd', stride: 2 }, { name: 'tdMaxEnd', stride: 2 },
  { name: 'tdMaxWin', stride: 2 }, { name: 'tdMaxAck', stride: 2 }, { name: 'tdScale', stride: 2 },
  { name: 'tdFlags', stride: 2 }, { name: 'chAck', stride: 1 }, { name: 'rule', stride: 1 },
  { name: 'action', stride: 1 }, { name: 'app', stride: 1 }, { name: 'fromZone', stride: 1 },
  { name: 'toZone', stride: 1 }, { name: 'endReason', stride: 1 }, { name: 'mac', stride: 12 },
  { name: 'vlanN', stride: 1 }, { name: 'vlanTpid', stride: 2 }, { name: 'vlanTci', stride: 2 },
  { name: 'link', stride: 1 }, { name: 'clientPort', stride: 1 }, { name: 'tclass', stride: 1 },
  { name: 'tnext', stride: 1 }, { name: 'tprev', stride: 1 },
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

export class SessionTable {
  /** Slots allocated now; grows by doubling up to `max`. */
  cap: number
  /** max-sessions; may change with the policy (never frees sessions by itself). */
  max: number
  count = 0
  private nextId = 1

  addr!: Int32Array; ver!: Uint8Array; proto!: Uint8Array; cport!: Uint16Array; sport!: Uint16Array
  id!: Uint32Array; state!: Uint8Array; tcpSt!: Uint8Array; flags!: Uint16Array
  startUs!: Float64Array; lastUs!: Float64Array
  /** Index slot*2+dir (0 = c2s, 1 = s2c). */
  pkts!: Float64Array; bytes!: Float64Array
  /** Conntrack-style per-direction window data (peers.md §1), index slot*2+dir (the sender). */
  tdEnd!: Uint32Array; tdMaxEnd!: Uint32Array; tdMaxWin!: Uint32Array; tdMaxAck!: Uint32Array
  tdScale!: Uint8Array; tdFlags!: Uint8Array
  chAck!: Uint32Array
  /** Small integer indexes into the engine's string tables. */
  rule!: Uint16Array; action!: Uint8Array; app!: Uint16Array; fromZone!: Uint16Array; toZone!: Uint16Array
  /** EndReason rank (0 = none recorded yet; see engine/end-reason.ts). */
  endReason!: Uint8Array
  /** [0,6) client MAC, [6,12) server MAC. */
  mac!: Uint8Array
  vlanN!: Uint8Array; vlanTpid!: Uint16Array; vlanTci!: Uint16Array
  link!: Uint16Array
  /** Port the client's frames arrive on (PORT_UNKNOWN = -1). */
  clientPort!: Int8Array
  tclass!: Uint8Array; tnext!: Int32Array; tprev!: Int32Array
  /** Per-session inspection object (App-ID / threats, issue #6); undefined when none. */
  inspect: Array<unknown> = []

  readonly heads = new Int32Array(TIMER_CLASS_COUNT).fill(-1)
  readonly tails = new Int32Array(TIMER_CLASS_COUNT).fill(-1)

  private freeStack!: Int32Array
  private freeTop = 0
  private hidx!: Int32Array
  private hmask = 0

  constructor (maxSessions: number, initial = 4096) {
    this.max = Math.max(1, Math.floor(maxSessions))
    this.cap = 0
    for (const c of COLUMNS) (this as any)[c.name] = c.name === 'addr' ? new Int32Array(0) : new Uint8Array(0)
    this.allocColumns(Math.min(this.max, initial))
  }

  /** Typed-array constructor per column. */
  private static ctor (name: string): any {
    switch (name) {
      case 'addr': case 'tnext': case 'tprev': return Int32Array
      case 'flags': case 'cport': case 'sport': case 'rule': case 'app': case 'fromZone': case 'toZone':
      case 'vlanTpid': case 'vlanTci': case 'link': return Uint16Array
      case 'id': case 'tdEnd': case 'tdMaxEnd': case 'tdMaxWin': case 'tdMaxAck': case 'chAck': return Uint32Array
      case 'startUs': case 'lastUs': case 'pkts': case 'bytes': return Float64Array
      case 'clientPort': return Int8Array
      default: return Uint8Array
    }
  }

  private allocColumns (newCap: number): void {
    const old = this.cap
    for (const c of COLUMNS) {
      const C = SessionTable.ctor(c.name)
      const a = new C(newCap * c.stride)
      a.set((this as any)[c.name])
      ;(this as any)[c.name] = a
    }
    this.tclass.fill(TIMER_NONE, old)
    this.inspect.length = newCap
    const fs = new Int32Array(newCap)
    if (this.freeStack !== undefined) fs.set(this.freeStack.subarray(0, this.freeTop))
    // Push new slots so the lowest index is popped first (deterministic layout).
    let top = this.freeTop
    for (let s = newCap - 1; s >= old; s--) fs[top++] = s
    this.freeStack = fs
    this.freeTop = top
    this.cap = newCap
    let hsize = 16
    while (hsize < newCap * 4) hsize *= 2
    this.hidx = new Int32Array(hsize).fill(-1)
    this.hmask = hsize - 1
    for (let s = 0; s < old; s++) {
      if (this.state[s] !== SessState.INIT) { this.hashInsert(s << 1); this.hashInsert((s << 1) | 1) }
    }
  }

  /** Bytes held by the typed arrays (for the benchmark's bytes/session). */
  memoryBytes (): number {
    let n = this.hidx.byteLength + this.freeStack.byteLength + this.inspect.length * 8
    for (const c of COLUMNS) n += (this as any)[c.name].byteLength
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

  /** Hash of the stored key of flow `e` (= slot << 1 | dir): same value hashFrame gives for its packets. */
  private hashEntry (e: number): number {
    const s = e >> 1
    const d = e & 1
    const sp = d === 0 ? this.cport[s] : this.sport[s]
    const dp = d === 0 ? this.sport[s] : this.cport[s]
    let h = mix(this.proto[s] * 0x9e3779b1 | 0, (sp << 16) | dp)
    const n = this.ver[s] === 4 ? 1 : 4
    const a = s * 8 + (d === 0 ? 0 : 4)
    const b = s * 8 + (d === 0 ? 4 : 0)
    for (let i = 0; i < n; i++) h = mix(h, this.addr[a + i])
    for (let i = 0; i < n; i++) h = mix(h, this.addr[b + i])
    return fmix(h)
  }

  /**
   * Find the flow of a packet: returns `slot << 1 | dir` (dir 0 = c2s) or -1. Allocation-free.
   * `alen` is 4 or 16.
   */
  find (f: Uint8Array, srcOff: number, dstOff: number, alen: number, proto: number, sp: number, dp: number): number {
    const hidx = this.hidx
    const mask = this.hmask
    let i = SessionTable.hashFrame(f, srcOff, dstOff, alen, proto, sp, dp) & mask
    const ver = alen === 4 ? 4 : 6
    for (;;) {
      const e = hidx[i]
      if (e === -1) return -1
      const s = e >> 1
      if (this.proto[s] === proto && this.ver[s] === ver) {
        const d = e & 1
        const a = s * 8 + (d === 0 ? 0 : 4)
        const b = s * 8 + (d === 0 ? 4 : 0)
        if ((d === 0 ? this.cport[s] === sp && this.sport[s] === dp : this.sport[s] === sp && this.cport[s] === dp) &&
          this.addr[a] === word(f, srcOff) && this.addr[b] === word(f, dstOff) &&
          (alen === 4 || (
            this.addr[a + 1] === word(f, srcOff + 4) && this.addr[a + 2] === word(f, srcOff + 8) &&
            this.addr[a + 3] === word(f, srcOff + 12) && this.addr[b + 1] === word(f, dstOff + 4) &&
            this.addr[b + 2] === word(f, dstOff + 8) && this.addr[b + 3] === word(f, dstOff + 12)))) {
          return e
        }
      }
      i = (i + 1) & mask
    }
  }

  private hashInsert (e: number): void {
    let i = this.hashEntry(e) & this.hmask
    while (this.hidx[i] !== -1) i = (i + 1) & this.hmask
    this.hidx[i] = e
  }

  /** Backward-shift deletion (no tombstones, so probe lengths stay short under churn). */
  private hashRemove (e: number): void {
    const mask = this.hmask
    const hidx = this.hidx
    let i = this.hashEntry(e) & mask
    while (hidx[i] !== e) {
      if (hidx[i] === -1) return
      i = (i + 1) & mask
    }
    let j = i
    for (;;) {
      j = (j + 1) & mask
      const x = hidx[j]
      if (x === -1) break
      const k = this.hashEntry(x) & mask
      // Leave x where it is if its home k lies cyclically in (i, j].
      if (i <= j ? (i < k && k <= j) : (i < k || k <= j)) continue
      hidx[i] = x
      i = j
    }
    hidx[i] = -1
  }

  /**
   * Allocate a session for a packet's key (the sender becomes the client). Returns the slot, or -1
   * when the table is at `maxSessions`. The caller fills everything else; state starts OPENING.
   */
  alloc (f: Uint8Array, srcOff: number, dstOff: number, alen: number, proto: number, sp: number, dp: number): number {
    if (this.count >= this.max) return -1
    if (this.freeTop === 0) this.allocColumns(Math.min(this.max, this.cap * 2))
    const s = this.freeStack[--this.freeTop]
    const o = s * 8
    const n = alen >> 2
    for (let i = 0; i < 4; i++) {
      this.addr[o + i] = i < n ? word(f, srcOff + 4 * i) : 0
      this.addr[o + 4 + i] = i < n ? word(f, dstOff + 4 * i) : 0
    }
    this.ver[s] = alen === 4 ? 4 : 6
    this.proto[s] = proto
    this.cport[s] = sp
    this.sport[s] = dp
    this.id[s] = this.nextId++
    this.state[s] = SessState.OPENING
    this.tcpSt[s] = TcpSt.NONE
    this.flags[s] = 0
    this.pkts[2 * s] = 0; this.pkts[2 * s + 1] = 0
    this.bytes[2 * s] = 0; this.bytes[2 * s + 1] = 0
    for (let d = 2 * s; d < 2 * s + 2; d++) {
      this.tdEnd[d] = 0; this.tdMaxEnd[d] = 0; this.tdMaxWin[d] = 0; this.tdMaxAck[d] = 0
      this.tdScale[d] = 0; this.tdFlags[d] = 0
    }
    this.chAck[s] = 0
    this.endReason[s] = 0
    this.app[s] = 0
    this.vlanN[s] = 0
    this.inspect[s] = undefined
    this.count++
    this.hashInsert(s << 1)
    this.hashInsert((s << 1) | 1)
    return s
  }

  /** Remove a session from the hash and the timers and return its slot to the free stack. */
  free (s: number): void {
    if (this.state[s] === SessState.INIT) return
    this.hashRemove(s << 1)
    this.hashRemove((s << 1) | 1)
    if (this.tclass[s] !== TIMER_NONE) this.unlink(s)
    this.state[s] = SessState.INIT
    this.inspect[s] = undefined
    this.freeStack[this.freeTop++] = s
    this.count--
  }

  // ---- timers -------------------------------------------------------------------------------

  private unlink (s: number): void {
    const c = this.tclass[s]
    const p = this.tprev[s]
    const n = this.tnext[s]
    if (p >= 0) this.tnext[p] = n; else this.heads[c] = n
    if (n >= 0) this.tprev[n] = p; else this.tails[c] = p
    this.tclass[s] = TIMER_NONE
  }

  private append (s: number, c: number): void {
    const t = this.tails[c]
    this.tprev[s] = t
    this.tnext[s] = -1
    if (t >= 0) this.tnext[t] = s; else this.heads[c] = s
    this.tails[c] = s
    this.tclass[s] = c
  }

  /** Put a session in timer class `c`, idle from `nowUs`. */
  setTimer (s: number, c: number, nowUs: number): void {
    if (this.tclass[s] !== TIMER_NONE) this.unlink(s)
    this.lastUs[s] = nowUs
    this.append(s, c)
  }

  /** A packet refreshed the session: it becomes the most recently used of its class. */
  touch (s: number, nowUs: number): void {
    this.lastUs[s] = nowUs
    const c = this.tclass[s]
    if (this.tails[c] !== s) { this.unlink(s); this.append(s, c) }
  }

  /**
   * The slot whose timer is due by `nowUs` (expiry = lastUs + timeouts[class]), or -1.
   * Only list heads are examined: O(number of classes).
   */
  dueSlot (nowUs: number, timeouts: Float64Array): number {
    for (let c = 0; c < TIMER_CLASS_COUNT; c++) {
      const h = this.heads[c]
      if (h >= 0 && this.lastUs[h] + timeouts[c] <= nowUs) return h
    }
    return -1
  }

  /** Earliest expiry over all classes, or undefined when the table is empty. */
  nextDeadline (timeouts: Float64Array): number | undefined {
    let best = Infinity
    for (let c = 0; c < TIMER_CLASS_COUNT; c++) {
      const h = this.heads[c]
      if (h >= 0) best = Math.min(best, this.lastUs[h] + timeouts[c])
    }
    return best === Infinity ? undefined : best
  }

  /** Slot holding session `id`, or -1. Linear scan: for the CLI and tests, not the packet path. */
  slotOf (id: number): number {
    for (let s = 0; s < this.cap; s++) if (this.state[s] !== SessState.INIT && this.id[s] === id) return s
    return -1
  }

  /** Slots of live sessions in id order. */
  liveSlots (): number[] {
    const out: number[] = []
    for (let s = 0; s < this.cap; s++) if (this.state[s] !== SessState.INIT) out.push(s)
    return out.sort((a, b) => this.id[a] - this.id[b])
  }
}
