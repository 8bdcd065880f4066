/**
 * Zone protection's `discard-overlapping-tcp-segment-mismatch` (docs/zone-protection.md, "Mismatched
 * overlapping segments"): a bounded stand-in for the comparison a reassembling firewall makes.
 *
 * Per session and direction, a ring of the last RING segments with payload: where each starts (its
 * sequence number), its length, and a 32-bit FNV-1a hash of its bytes. A new segment that covers a
 * remembered one entirely (the same range retransmitted, or a larger segment spanning it) has the bytes
 * of that range hashed and compared: a different hash is a mismatch. A new segment that lies inside a
 * remembered one, or overlaps only part of it, cannot be compared (the bytes are gone) and passes;
 * segments older than the ring are forgotten. State is allocated per session only when a zone asks for
 * the option, never per packet; a slot reused by another session starts empty.
 */
import { seqSub } from '../wire/seq.js'

/** Segments remembered per direction. */
export const OVERLAP_RING = 8
/** Words per ring entry: seq, len, hash. */
const E = 3
/** Words per session: owner session id, next ring position per direction, then both rings. */
const WORDS = 3 + 2 * OVERLAP_RING * E

/** FNV-1a over `f[off, off + len)`. */
export function payloadHash (f: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5
  for (let i = off, end = off + len; i < end; i++) h = Math.imul(h ^ f[i]!, 0x01000193)
  return h >>> 0
}

export class OverlapStore {
  private readonly bySlot = new Map<number, Uint32Array>()

  /** Sessions that have state (for tests and `show`). */
  get size (): number { return this.bySlot.size }

  /**
   * Check a forwarded-to-be segment of session `id` (in table slot `slot`), direction `d` (0 c2s,
   * 1 s2c): sequence number `seq`, payload `f[off, off + len)`. Returns true when it covers a
   * remembered segment whose bytes differ (the caller drops it); else remembers it and returns false.
   */
  check (slot: number, id: number, d: number, seq: number, f: Uint8Array, off: number, len: number): boolean {
    if (len <= 0) return false
    let st = this.bySlot.get(slot)
    if (st === undefined) { st = new Uint32Array(WORDS); this.bySlot.set(slot, st) }
    if (st[0] !== id) { st.fill(0); st[0] = id }
    const base = 3 + d * OVERLAP_RING * E
    let whole = -1
    for (let i = 0; i < OVERLAP_RING; i++) {
      const o = base + i * E
      const elen = st[o + 1]!
      if (elen === 0) continue
      const at = seqSub(st[o]!, seq) // where the remembered segment starts inside the new one
      if (at < 0 || at + elen > len) continue // not covered entirely: nothing to compare
      const h = at === 0 && elen === len ? (whole < 0 ? (whole = payloadHash(f, off, len)) : whole) : payloadHash(f, off + at, elen)
      if (h !== st[o + 2]) return true
    }
    const h = whole >= 0 ? whole : payloadHash(f, off, len)
    // An exact retransmission with the same bytes is already there.
    for (let i = 0; i < OVERLAP_RING; i++) {
      const o = base + i * E
      if (st[o] === seq && st[o + 1] === len && st[o + 2] === h) return false
    }
    const next = st[1 + d]!
    const o = base + next * E
    st[o] = seq; st[o + 1] = len; st[o + 2] = h
    st[1 + d] = (next + 1) % OVERLAP_RING
    return false
  }

  /** Forget a slot's state (the session ended). */
  release (slot: number): void { this.bySlot.delete(slot) }
}
