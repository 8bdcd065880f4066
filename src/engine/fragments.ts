/**
 * The fragment cache: non-first IP fragments carry no ports, so they cannot be looked up in the
 * session table. The first fragment of a packet that a session forwarded is remembered by (src,
 * dst, proto, IP ID); later fragments of that packet find the session here. A small direct-mapped
 * cache (a newer packet's entry replaces an older one in its bucket), no reassembly; an entry also
 * holds the session id, so a freed and reused slot is not mistaken for the session it held.
 */
import { SessionTable } from '../session/table.js'
import type { FrameSummary } from '../wire/summary.js'

const FRAG_CACHE = 1024

export class FragmentCache {
  private readonly tag = new Int32Array(FRAG_CACHE)
  private readonly sid = new Uint32Array(FRAG_CACHE)
  private readonly slot = new Int32Array(FRAG_CACHE).fill(-1)

  constructor (private readonly t: SessionTable) {}

  private static hash (fs: FrameSummary): number {
    return SessionTable.hashFrame(fs.frame, fs.srcOff, fs.dstOff, fs.addrLen, fs.proto, fs.ipId >>> 16, fs.ipId & 0xffff)
  }

  /** The first fragment in `fs` was handled by session slot `s`: remember it (other fragments are ignored). */
  remember (fs: FrameSummary, s: number): void {
    if (fs.fragOffset !== 0) return
    const h = FragmentCache.hash(fs)
    const i = h & (FRAG_CACHE - 1)
    this.tag[i] = h
    this.sid[i] = this.t.id[s]
    this.slot[i] = s
  }

  /** The slot of the session whose first fragment `fs` (a later fragment) follows, or -1. */
  find (fs: FrameSummary): number {
    const h = FragmentCache.hash(fs)
    const i = h & (FRAG_CACHE - 1)
    const s = this.slot[i]
    return s >= 0 && this.tag[i] === h && this.t.id[s] === this.sid[i] ? s : -1
  }
}
