/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Sums are carried as plain JS numbers: adding 16-bit words to a double stays exact up to 2^53,
 * so we fold the carries once at the end instead of after every word. A "sum" in this module is
 * the unfolded one's-complement accumulator; a "checksum" is the folded, complemented 16-bit
 * value that goes on the wire.
 *
 * Pseudo-headers: TCP and UDP over IPv4 (RFC 793 §3.1, RFC 768) cover src, dst, zero, protocol and
 * the L4 length; over IPv6 (RFC 8200 §8.1) src, dst, 32-bit upper-layer length and next header.
 * ICMPv6 uses the IPv6 pseudo-header; ICMPv4 uses none.
 */

/** One's-complement sum of `len` bytes at `off` (odd trailing byte padded with zero), added to `initial`. */
export function onesSum (buf: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial
  const end = off + len
  let i = off
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!
  if (i < end) sum += buf[i]! << 8
  return sum
}

/** Fold carries into 16 bits (not complemented). */
export function foldSum (sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000)
  return sum
}

/** Folded and complemented: the value to write into a checksum field. */
export function finishChecksum (sum: number): number {
  return (~foldSum(sum)) & 0xffff
}

/** RFC 1071 checksum of a byte range (e.g. the IPv4 header with its checksum field zeroed). */
export function internetChecksum (buf: Uint8Array, off: number, len: number, initial = 0): number {
  return finishChecksum(onesSum(buf, off, len, initial))
}

/**
 * Sum of the pseudo-header for an upper-layer checksum. Addresses are read at `srcOff`/`dstOff` in
 * `buf` (`addrLen` 4 → IPv4 form, 16 → IPv6 form). `l4Len` is the upper-layer length in bytes.
 */
export function pseudoHeaderSum (buf: Uint8Array, srcOff: number, dstOff: number, addrLen: number,
  proto: number, l4Len: number): number {
  let sum = onesSum(buf, srcOff, addrLen) + onesSum(buf, dstOff, addrLen)
  if (addrLen === 4) return sum + proto + l4Len
  // IPv6: 32-bit length, three zero bytes, next header.
  sum += Math.floor(l4Len / 0x10000) + (l4Len & 0xffff)
  return sum + proto
}

/** Pseudo-header sum from separate address arrays (both 4 or both 16 bytes). */
export function pseudoHeaderSumAddrs (src: Uint8Array, dst: Uint8Array, proto: number, l4Len: number): number {
  let sum = onesSum(src, 0, src.length) + onesSum(dst, 0, dst.length)
  if (src.length === 4) return sum + proto + l4Len
  sum += Math.floor(l4Len / 0x10000) + (l4Len & 0xffff)
  return sum + proto
}

/**
 * Checksum for an upper-layer segment at `l4Off` (length `l4Len`) whose checksum field is already
 * zeroed, using the pseudo-header from addresses in the same buffer. For UDP the caller maps a
 * computed 0 to 0xffff (RFC 768: "an all zero transmitted checksum value means ... no checksum").
 */
export function l4Checksum (buf: Uint8Array, srcOff: number, dstOff: number, addrLen: number,
  proto: number, l4Off: number, l4Len: number): number {
  return internetChecksum(buf, l4Off, l4Len, pseudoHeaderSum(buf, srcOff, dstOff, addrLen, proto, l4Len))
}

/** True when a range including its own checksum field sums to 0xffff (RFC 1071 verification). */
export function verifyRange (buf: Uint8Array, off: number, len: number, initial = 0): boolean {
  return foldSum(onesSum(buf, off, len, initial)) === 0xffff
}

/**
 * RFC 1624 eqn. 3: new checksum after one 16-bit word of the covered data changes from `oldWord`
 * to `newWord`: HC' = ~(~HC + ~m + m'). Unlike eqn. 2 this never yields 0xffff from a valid sum
 * (the -0 problem RFC 1624 §3 describes for RFC 1141's formula).
 */
export function incrementalUpdate16 (checksum: number, oldWord: number, newWord: number): number {
  const sum = ((~checksum) & 0xffff) + ((~oldWord) & 0xffff) + (newWord & 0xffff)
  return (~foldSum(sum)) & 0xffff
}

/** As `incrementalUpdate16` for a 32-bit field (e.g. an IPv4 address or a TCP sequence number). */
export function incrementalUpdate32 (checksum: number, oldValue: number, newValue: number): number {
  const o = oldValue >>> 0
  const n = newValue >>> 0
  const sum = ((~checksum) & 0xffff) +
    ((~(o >>> 16)) & 0xffff) + ((~o) & 0xffff) +
    (n >>> 16) + (n & 0xffff)
  return (~foldSum(sum)) & 0xffff
}

/** As `incrementalUpdate16` for a run of bytes (e.g. an IPv6 address) changing from `oldBytes` to `newBytes`. */
export function incrementalUpdateBytes (checksum: number, oldBytes: Uint8Array, newBytes: Uint8Array): number {
  let sum = (~checksum) & 0xffff
  for (let i = 0; i < oldBytes.length; i += 2) {
    const o = (oldBytes[i]! << 8) | (oldBytes[i + 1] ?? 0)
    const n = (newBytes[i]! << 8) | (newBytes[i + 1] ?? 0)
    sum += ((~o) & 0xffff) + n
  }
  return (~foldSum(sum)) & 0xffff
}
