/**
 * Shared pieces of the per-header view classes (`XPacket.checked` / `.unchecked`).
 *
 * Contract, after smoltcp's `wire` module: if `XPacket.checked(buf)` returned, no getter of that
 * view reads outside `buf`, and derived ranges (`payload`, `options`) lie inside it. `unchecked`
 * skips validation and is only for buffers you sized yourself with `xHeaderLen(repr)` before
 * emitting into them. Untrusted bytes MUST go through `checked` (or `decodeFrame`, which never throws).
 */
import { RstlabError } from '../errors.js'

/** @returns RstlabError RSTLAB_ERR_TRUNCATED naming the header and the byte counts. */
export function truncated (what: string, need: number, have: number): RstlabError {
  return new RstlabError('RSTLAB_ERR_TRUNCATED', `${what}: need ${need} bytes, have ${have}`,
    'the packet or capture is cut short; check the snap length of the capture')
}

/** @returns RstlabError RSTLAB_ERR_MALFORMED naming the header and the bad field. */
export function malformed (what: string, problem: string): RstlabError {
  return new RstlabError('RSTLAB_ERR_MALFORMED', `${what}: ${problem}`,
    'the packet is malformed; decode it with `rstlab decode` to see where')
}

/** Copy `src` into `dst` at `off` after checking its length (for address / MAC fields). */
export function putBytes (dst: Buffer, off: number, src: Uint8Array, len: number, what: string): void {
  if (src.length !== len) throw malformed(what, `expected ${len} bytes, got ${src.length}`)
  dst.set(src, off)
}

/**
 * Big-endian unsigned 32-bit word at `o` (a sequence or acknowledgment number, an option value).
 * Reads only `f[o]`..`f[o + 3]` by index (no range error): callers check the bounds first.
 */
export function readU32 (f: Uint8Array, o: number): number {
  return ((f[o]! << 24) | (f[o + 1]! << 16) | (f[o + 2]! << 8) | f[o + 3]!) >>> 0
}
