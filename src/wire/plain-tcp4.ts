/**
 * The shape test of the engine's fast path: is a frame the most common thing a firewall sees, a
 * plain IPv4 TCP segment on untagged Ethernet, that `decodeFrame` would decode without any error?
 *
 * "Plain" means: EtherType 0x0800 right after the MACs (no VLAN tag), IPv4 with a 20-byte header
 * (no options), not a fragment (MF clear, offset 0), protocol TCP, the IP total length within the
 * frame, and a TCP header of 20 bytes, or of 32 bytes whose options are exactly NOP, NOP, timestamp
 * (the layout Linux, the BSDs and macOS put on every segment of a connection that negotiated
 * timestamps). For such a frame the decoder sets no error and the TCP header is at byte 34.
 *
 * Everything else, including frames that are fine but shaped otherwise, returns -1 and takes the
 * full decoder: this test may only ever be stricter than `decodeFrame`, never looser
 * (test/engine/fast-path.test.ts checks it against the decoder on well-formed, damaged, cut and
 * padded frames).
 */

/** Offset of the TCP header in a plain frame (Ethernet 14 + IPv4 20). */
export const PLAIN_TCP4_L4 = 34

/**
 * TCP payload length of `f` if it is a plain IPv4 TCP frame (see the header), else -1. Bytes after
 * the IP total length (Ethernet padding) are not payload, as in `decodeFrame`. The frame is
 * `f[o, o + len)` (the whole of `f` by default: a replay hands a view into its read chunk).
 */
export function plainTcp4PayloadLen (f: Uint8Array, o = 0, len = f.length - o): number {
  if (len < 54 || f[o + 12] !== 0x08 || f[o + 13] !== 0x00 || f[o + 14] !== 0x45 || f[o + 23] !== 6) return -1
  // Flags/fragment offset: MF (0x20 of byte 20) clear and offset 0; DF and the reserved bit may be set.
  if ((f[o + 20]! & 0x3f) !== 0 || f[o + 21] !== 0) return -1
  const ipLen = (f[o + 16]! << 8) | f[o + 17]!
  if (ipLen > len - 14) return -1
  const doff = (f[o + 46]! >> 4) << 2
  const plen = ipLen - 20 - doff
  if (doff < 20 || plen < 0) return -1
  // Options: none, or NOP NOP TS (kind 8, length 10) and nothing else. ipLen ≥ 52 here, so the
  // four option bytes are inside the frame.
  if (doff !== 20 && (doff !== 32 || f[o + 54] !== 1 || f[o + 55] !== 1 || f[o + 56] !== 8 || f[o + 57] !== 10)) return -1
  return plen
}
