/**
 * 32-bit TCP sequence-number arithmetic (RFC 793 §3.3, RFC 1982 serial-number arithmetic).
 *
 * Sequence numbers live on a circle of 2^32 values, so `a < b` on raw numbers is wrong whenever the
 * window straddles 0xffffffff → 0. This module is the ONE place in rstlab that compares sequence
 * numbers; everything else calls these helpers (architecture rule: no raw `<` on sequence numbers).
 *
 * Representation: plain JS numbers holding unsigned 32-bit values (0 .. 2^32-1), as read by
 * `readUInt32BE`. Comparison takes the signed 32-bit difference: `((a - b) | 0) < 0` means "a is
 * before b" when the two are less than 2^31 apart — the same trick as the Linux kernel's `before()`.
 * Two numbers exactly 2^31 apart are ambiguous; by this definition each is "before" the other's
 * complement, which matches the kernel and is harmless for windows < 2^31 (max TCP window is 2^30).
 */

/** a strictly before b (mod 2^32). */
export function seqLt (a: number, b: number): boolean { return ((a - b) | 0) < 0 }
/** a before or equal to b. */
export function seqLe (a: number, b: number): boolean { return ((a - b) | 0) <= 0 }
/** a strictly after b. */
export function seqGt (a: number, b: number): boolean { return ((a - b) | 0) > 0 }
/** a after or equal to b. */
export function seqGe (a: number, b: number): boolean { return ((a - b) | 0) >= 0 }
/** a + n, wrapped to an unsigned 32-bit value. `n` may be negative. */
export function seqAdd (a: number, n: number): number { return (a + n) >>> 0 }
/** Signed distance a - b in the range -2^31 .. 2^31-1 ("how far is a ahead of b"). */
export function seqSub (a: number, b: number): number { return (a - b) | 0 }
/** The later of two sequence numbers. */
export function seqMax (a: number, b: number): number { return ((a - b) | 0) >= 0 ? a : b }
/** The earlier of two sequence numbers. */
export function seqMin (a: number, b: number): number { return ((a - b) | 0) <= 0 ? a : b }
/**
 * x within the half-open window [start, start + len) (mod 2^32). `len` is an unsigned length up to
 * 2^32-1; len 0 contains nothing (RFC 793's acceptability test for a zero window is the caller's job).
 */
export function seqInWindow (x: number, start: number, len: number): boolean {
  return ((x - start) >>> 0) < len
}
/** Normalise any integer to an unsigned 32-bit sequence number. */
export function seq32 (n: number): number { return n >>> 0 }
