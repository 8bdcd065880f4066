/**
 * ICMP for IPv4 (RFC 792). One view for every type: the first 8 bytes are common, the 32-bit
 * "rest of header" means id+sequence for echo, unused / next-hop MTU (RFC 1191) for unreachable,
 * pointer for parameter problem. Errors quote the offending IP header plus data after it.
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Rest of header (id + seq, unused, MTU, pointer)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data (echo payload, or quoted IP header + 8 bytes) ...    |
 *
 * The ICMPv4 checksum covers the ICMP message only (no pseudo-header).
 */
import { internetChecksum, verifyRange } from './checksum.js'
import { ICMP_COMMON_HEADER_LEN, ICMP_FIELD, IcmpHeaderView, writeIcmpHeader } from './icmp-header.js'
import { truncated, malformed } from './view.js'

export const ICMP_HEADER_LEN = ICMP_COMMON_HEADER_LEN

export const ICMP4_ECHO_REPLY = 0
export const ICMP4_DEST_UNREACH = 3
export const ICMP4_ECHO_REQUEST = 8
export const ICMP4_TIME_EXCEEDED = 11
/** Destination-unreachable codes (RFC 792, RFC 1812 §5.2.7.1). */
export const ICMP4_UNREACH_PORT = 3
export const ICMP4_UNREACH_NEED_FRAG = 4
export const ICMP4_UNREACH_HOST = 1
export const ICMP4_UNREACH_ADMIN_PROHIBITED = 13

/** Names for the ICMPv4 messages people talk about, as [type, code] (scenario files, docs). */
export const ICMP4_NAMES: Readonly<Record<string, readonly [number, number]>> = {
  'port-unreachable': [ICMP4_DEST_UNREACH, ICMP4_UNREACH_PORT],
  'host-unreachable': [ICMP4_DEST_UNREACH, ICMP4_UNREACH_HOST],
  'admin-prohibited': [ICMP4_DEST_UNREACH, ICMP4_UNREACH_ADMIN_PROHIBITED],
  'echo-request': [ICMP4_ECHO_REQUEST, 0],
  'echo-reply': [ICMP4_ECHO_REPLY, 0],
}

/** ICMPv4 error types that quote an IP packet: unreachable, source quench, redirect, time exceeded, parameter problem. */
export function isIcmp4Error (type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12
}

/** Echo request or reply (the identifier plays the role of a port for sessions). */
export function isIcmp4Echo (type: number): boolean {
  return type === ICMP4_ECHO_REQUEST || type === ICMP4_ECHO_REPLY
}

export class Icmpv4Packet extends IcmpHeaderView {
  private constructor (buf: Buffer) { super(buf) }
  static unchecked (buf: Buffer): Icmpv4Packet { return new Icmpv4Packet(buf) }
  /** @throws {RstlabError} RSTLAB_ERR_TRUNCATED when under 8 bytes. `buf` must end with the message. */
  static checked (buf: Buffer): Icmpv4Packet {
    if (buf.length < ICMP_HEADER_LEN) throw truncated('ICMP header', ICMP_HEADER_LEN, buf.length)
    return new Icmpv4Packet(buf)
  }
  fillChecksum (): void { this.checksum = 0; this.checksum = internetChecksum(this.buf, 0, this.buf.length) }
  verifyChecksum (): boolean { return verifyRange(this.buf, 0, this.buf.length) }
}

export interface Icmpv4Repr {
  readonly type: number
  readonly code: number
  /** The 32-bit word after the checksum. */
  readonly rest: number
  readonly payloadLen: number
}

/** @throws {RstlabError} RSTLAB_ERR_MALFORMED on a bad checksum when `verifyChecksum` is set. */
export function parseIcmpv4 (p: Icmpv4Packet, opts: { verifyChecksum?: boolean } = {}): Icmpv4Repr {
  if (opts.verifyChecksum === true && !p.verifyChecksum()) throw malformed('ICMP message', `bad checksum 0x${p.checksum.toString(16)}`)
  return { type: p.type, code: p.code, rest: p.rest, payloadLen: p.buf.length - ICMP_HEADER_LEN }
}

export function icmpv4HeaderLen (_r?: Icmpv4Repr): number { return ICMP_HEADER_LEN }

/** Write the header; with `checksum` true (default) also the checksum over 8 + payloadLen bytes (copy data in first). */
export function emitIcmpv4 (r: Icmpv4Repr, p: Icmpv4Packet, checksum = true): void {
  const b = p.buf
  const len = ICMP_HEADER_LEN + r.payloadLen
  if (b.length < (checksum ? len : ICMP_HEADER_LEN)) throw truncated('ICMP emit buffer', len, b.length)
  writeIcmpHeader(b, r.type, r.code, r.rest)
  if (checksum) b.writeUInt16BE(internetChecksum(b, 0, len), ICMP_FIELD.CHECKSUM)
}
