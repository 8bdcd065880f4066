/**
 * UDP header (RFC 768).
 *
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |   Source Port   | Destination Port|
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 *
 * RFC 768: "An all zero transmitted checksum value means that the transmitter generated no
 * checksum"; a computed 0 is therefore sent as 0xffff. Over IPv6 the checksum is mandatory
 * (RFC 8200 §8.1), so a zero checksum fails verification there.
 */
import { internetChecksum, pseudoHeaderSumAddrs, verifyRange } from './checksum.js'
import { IPPROTO_UDP } from './summary.js'
import type { ChecksumCtx } from './tcp.js'
import { truncated, malformed } from './view.js'

export const UDP_HEADER_LEN = 8
const F = { SRC_PORT: 0, DST_PORT: 2, LENGTH: 4, CHECKSUM: 6 } as const

export class UdpPacket {
  private constructor (readonly buf: Buffer) {}
  static unchecked (buf: Buffer): UdpPacket { return new UdpPacket(buf) }
  /**
   * Validates 8 <= length field <= buffer length; `payload` ends at the length field.
   * @throws {RstlabError} RSTLAB_ERR_TRUNCATED, RSTLAB_ERR_MALFORMED
   */
  static checked (buf: Buffer): UdpPacket {
    if (buf.length < UDP_HEADER_LEN) throw truncated('UDP header', UDP_HEADER_LEN, buf.length)
    const p = new UdpPacket(buf)
    if (p.length < UDP_HEADER_LEN) throw malformed('UDP header', `length ${p.length} under 8`)
    if (p.length > buf.length) throw truncated('UDP datagram', p.length, buf.length)
    return p
  }
  get srcPort (): number { return this.buf.readUInt16BE(F.SRC_PORT) }
  set srcPort (v: number) { this.buf.writeUInt16BE(v, F.SRC_PORT) }
  get dstPort (): number { return this.buf.readUInt16BE(F.DST_PORT) }
  set dstPort (v: number) { this.buf.writeUInt16BE(v, F.DST_PORT) }
  get length (): number { return this.buf.readUInt16BE(F.LENGTH) }
  set length (v: number) { this.buf.writeUInt16BE(v, F.LENGTH) }
  get checksum (): number { return this.buf.readUInt16BE(F.CHECKSUM) }
  set checksum (v: number) { this.buf.writeUInt16BE(v, F.CHECKSUM) }
  get payload (): Buffer { return this.buf.subarray(UDP_HEADER_LEN, this.length) }

  fillChecksum (ctx: ChecksumCtx): void {
    const len = this.length
    this.checksum = 0
    const c = internetChecksum(this.buf, 0, len, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_UDP, len))
    this.checksum = c === 0 ? 0xffff : c
  }
  /** True when correct, or when absent (0) over IPv4. */
  verifyChecksum (ctx: ChecksumCtx): boolean {
    if (this.checksum === 0) return ctx.src.length === 4
    return verifyRange(this.buf, 0, this.length, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_UDP, this.length))
  }
}

export interface UdpRepr { readonly srcPort: number, readonly dstPort: number, readonly payloadLen: number }

/** @throws {RstlabError} RSTLAB_ERR_MALFORMED on a bad checksum when `ctx` is given. */
export function parseUdp (p: UdpPacket, ctx?: ChecksumCtx): UdpRepr {
  if (ctx !== undefined && !p.verifyChecksum(ctx)) throw malformed('UDP datagram', `bad checksum 0x${p.checksum.toString(16)}`)
  return { srcPort: p.srcPort, dstPort: p.dstPort, payloadLen: p.length - UDP_HEADER_LEN }
}

export function udpHeaderLen (_r?: UdpRepr): number { return UDP_HEADER_LEN }

/** Write the header; with `ctx` also the checksum (copy the payload in first). */
export function emitUdp (r: UdpRepr, p: UdpPacket, ctx?: ChecksumCtx): void {
  const b = p.buf
  const len = UDP_HEADER_LEN + r.payloadLen
  if (len > 0xffff) throw malformed('UDP repr', `datagram of ${len} bytes`)
  if (b.length < (ctx ? len : UDP_HEADER_LEN)) throw truncated('UDP emit buffer', len, b.length)
  b.writeUInt16BE(r.srcPort, F.SRC_PORT)
  b.writeUInt16BE(r.dstPort, F.DST_PORT)
  b.writeUInt16BE(len, F.LENGTH)
  b.writeUInt16BE(0, F.CHECKSUM)
  if (ctx !== undefined) p.fillChecksum(ctx)
}
