/**
 * ICMPv6 (RFC 4443). Same 8-byte layout as ICMPv4, but the checksum includes the IPv6
 * pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1). Error messages (types 1-4) quote as much of the
 * offending packet as fits in the 1280-byte minimum MTU (§2.4(c)).
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Rest of header (id + seq, unused, MTU, pointer)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message body                         |
 */
import { internetChecksum, pseudoHeaderSumAddrs, verifyRange } from './checksum.js'
import { IPPROTO_ICMPV6 } from './summary.js'
import type { ChecksumCtx } from './tcp.js'
import { ICMP_COMMON_HEADER_LEN, ICMP_FIELD, IcmpHeaderView, writeIcmpHeader } from './icmp-header.js'
import { truncated, malformed } from './view.js'

export const ICMPV6_HEADER_LEN = ICMP_COMMON_HEADER_LEN

export const ICMP6_DEST_UNREACH = 1
export const ICMP6_PACKET_TOO_BIG = 2
export const ICMP6_TIME_EXCEEDED = 3
export const ICMP6_PARAM_PROBLEM = 4
export const ICMP6_ECHO_REQUEST = 128
export const ICMP6_ECHO_REPLY = 129
/** Destination-unreachable codes (RFC 4443 §3.1). */
export const ICMP6_UNREACH_ADMIN_PROHIBITED = 1
export const ICMP6_UNREACH_ADDR = 3
export const ICMP6_UNREACH_PORT = 4

/** Names for the ICMPv6 messages people talk about, as [type, code]: the ICMPv4 names' counterparts. */
export const ICMP6_NAMES: Readonly<Record<string, readonly [number, number]>> = {
  'port-unreachable': [ICMP6_DEST_UNREACH, ICMP6_UNREACH_PORT],
  'host-unreachable': [ICMP6_DEST_UNREACH, ICMP6_UNREACH_ADDR],
  'admin-prohibited': [ICMP6_DEST_UNREACH, ICMP6_UNREACH_ADMIN_PROHIBITED],
  'echo-request': [ICMP6_ECHO_REQUEST, 0],
  'echo-reply': [ICMP6_ECHO_REPLY, 0],
}

/** Error messages (types 0-127) that quote a packet: 1-4. */
export function isIcmp6Error (type: number): boolean { return type >= 1 && type <= 4 }

/** Echo request or reply (the identifier plays the role of a port for sessions). */
export function isIcmp6Echo (type: number): boolean {
  return type === ICMP6_ECHO_REQUEST || type === ICMP6_ECHO_REPLY
}

export class Icmpv6Packet extends IcmpHeaderView {
  private constructor (buf: Buffer) { super(buf) }
  static unchecked (buf: Buffer): Icmpv6Packet { return new Icmpv6Packet(buf) }
  /** @throws {RstlabError} RSTLAB_ERR_TRUNCATED when under 8 bytes. `buf` must end with the message. */
  static checked (buf: Buffer): Icmpv6Packet {
    if (buf.length < ICMPV6_HEADER_LEN) throw truncated('ICMPv6 header', ICMPV6_HEADER_LEN, buf.length)
    return new Icmpv6Packet(buf)
  }
  fillChecksum (ctx: ChecksumCtx): void {
    this.checksum = 0
    this.checksum = internetChecksum(this.buf, 0, this.buf.length, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_ICMPV6, this.buf.length))
  }
  verifyChecksum (ctx: ChecksumCtx): boolean {
    return verifyRange(this.buf, 0, this.buf.length, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_ICMPV6, this.buf.length))
  }
}

export interface Icmpv6Repr {
  readonly type: number
  readonly code: number
  readonly rest: number
  readonly payloadLen: number
}

/** @throws {RstlabError} RSTLAB_ERR_MALFORMED on a bad checksum when `ctx` is given. */
export function parseIcmpv6 (p: Icmpv6Packet, ctx?: ChecksumCtx): Icmpv6Repr {
  if (ctx !== undefined && !p.verifyChecksum(ctx)) throw malformed('ICMPv6 message', `bad checksum 0x${p.checksum.toString(16)}`)
  return { type: p.type, code: p.code, rest: p.rest, payloadLen: p.buf.length - ICMPV6_HEADER_LEN }
}

export function icmpv6HeaderLen (_r?: Icmpv6Repr): number { return ICMPV6_HEADER_LEN }

/** Write the header; with `ctx` also the checksum over 8 + payloadLen bytes (copy the body in first). */
export function emitIcmpv6 (r: Icmpv6Repr, p: Icmpv6Packet, ctx?: ChecksumCtx): void {
  const b = p.buf
  const len = ICMPV6_HEADER_LEN + r.payloadLen
  if (b.length < (ctx ? len : ICMPV6_HEADER_LEN)) throw truncated('ICMPv6 emit buffer', len, b.length)
  writeIcmpHeader(b, r.type, r.code, r.rest)
  if (ctx !== undefined) b.writeUInt16BE(internetChecksum(b, 0, len, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_ICMPV6, len)), ICMP_FIELD.CHECKSUM)
}
