/**
 * IPv4 header (RFC 791 §3.1). Fragments are described (MF, offset), never reassembled.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 */
import { incrementalUpdate16, incrementalUpdateBytes, internetChecksum, verifyRange } from './checksum.js'
import { putBytes, truncated, malformed } from './view.js'

export const IPV4_HEADER_LEN = 20
const F = { VER_IHL: 0, TOS: 1, TOTAL_LEN: 2, IDENT: 4, FLAGS_FRAG: 6, TTL: 8, PROTO: 9, CHECKSUM: 10, SRC: 12, DST: 16 } as const
const FLAG_DF = 0x4000
const FLAG_MF = 0x2000

export class Ipv4Packet {
  private constructor (readonly buf: Buffer) {}
  /** No validation: for buffers sized with `ipv4HeaderLen(repr) + payload` before `emitIpv4`. */
  static unchecked (buf: Buffer): Ipv4Packet { return new Ipv4Packet(buf) }
  /**
   * Validates version 4, 20 <= IHL*4 <= total length <= buffer length. Padding after the total
   * length is allowed (Ethernet minimum frame); `payload` ends at the total length.
   * @throws {RstlabError} RSTLAB_ERR_TRUNCATED, RSTLAB_ERR_MALFORMED
   */
  static checked (buf: Buffer): Ipv4Packet {
    if (buf.length < IPV4_HEADER_LEN) throw truncated('IPv4 header', IPV4_HEADER_LEN, buf.length)
    const p = new Ipv4Packet(buf)
    if (p.version !== 4) throw malformed('IPv4 header', `version ${p.version}`)
    if (p.headerLen < IPV4_HEADER_LEN) throw malformed('IPv4 header', `IHL ${p.headerLen >> 2} under 5`)
    if (p.headerLen > buf.length) throw truncated('IPv4 header with options', p.headerLen, buf.length)
    if (p.totalLength < p.headerLen) throw malformed('IPv4 header', `total length ${p.totalLength} under header length ${p.headerLen}`)
    if (p.totalLength > buf.length) throw truncated('IPv4 packet', p.totalLength, buf.length)
    return p
  }

  get version (): number { return this.buf[F.VER_IHL]! >> 4 }
  /** Header length in bytes (IHL * 4). */
  get headerLen (): number { return (this.buf[F.VER_IHL]! & 0x0f) << 2 }
  get tos (): number { return this.buf[F.TOS]! }
  set tos (v: number) { this.buf[F.TOS] = v }
  get totalLength (): number { return this.buf.readUInt16BE(F.TOTAL_LEN) }
  set totalLength (v: number) { this.buf.writeUInt16BE(v, F.TOTAL_LEN) }
  get ident (): number { return this.buf.readUInt16BE(F.IDENT) }
  set ident (v: number) { this.buf.writeUInt16BE(v, F.IDENT) }
  get dontFragment (): boolean { return (this.buf.readUInt16BE(F.FLAGS_FRAG) & FLAG_DF) !== 0 }
  get moreFragments (): boolean { return (this.buf.readUInt16BE(F.FLAGS_FRAG) & FLAG_MF) !== 0 }
  /** Fragment offset in bytes. */
  get fragOffset (): number { return (this.buf.readUInt16BE(F.FLAGS_FRAG) & 0x1fff) << 3 }
  get isFragment (): boolean { return this.moreFragments || this.fragOffset !== 0 }
  get ttl (): number { return this.buf[F.TTL]! }
  set ttl (v: number) { this.buf[F.TTL] = v }
  get protocol (): number { return this.buf[F.PROTO]! }
  set protocol (v: number) { this.buf[F.PROTO] = v }
  get checksum (): number { return this.buf.readUInt16BE(F.CHECKSUM) }
  set checksum (v: number) { this.buf.writeUInt16BE(v, F.CHECKSUM) }
  get src (): Buffer { return this.buf.subarray(F.SRC, F.SRC + 4) }
  get dst (): Buffer { return this.buf.subarray(F.DST, F.DST + 4) }
  get options (): Buffer { return this.buf.subarray(IPV4_HEADER_LEN, this.headerLen) }
  /** Bytes after the header up to the total length (padding excluded). */
  get payload (): Buffer { return this.buf.subarray(this.headerLen, this.totalLength) }

  /** Recompute the header checksum from scratch. */
  fillChecksum (): void {
    this.checksum = 0
    this.checksum = internetChecksum(this.buf, 0, this.headerLen)
  }
  verifyChecksum (): boolean { return verifyRange(this.buf, 0, this.headerLen) }

  /** Set TTL and patch the checksum incrementally (RFC 1624), as a forwarding hop does. */
  setTtlWithChecksumUpdate (ttl: number): void {
    const old = this.buf.readUInt16BE(F.TTL)
    this.ttl = ttl
    this.checksum = incrementalUpdate16(this.checksum, old, this.buf.readUInt16BE(F.TTL))
  }
  /** Rewrite the source address and patch the header checksum (transport checksums are the caller's). */
  setSrcWithChecksumUpdate (addr: Uint8Array): void {
    const c = incrementalUpdateBytes(this.checksum, this.src, addr)
    putBytes(this.buf, F.SRC, addr, 4, 'IPv4 src')
    this.checksum = c
  }
  setDstWithChecksumUpdate (addr: Uint8Array): void {
    const c = incrementalUpdateBytes(this.checksum, this.dst, addr)
    putBytes(this.buf, F.DST, addr, 4, 'IPv4 dst')
    this.checksum = c
  }
}

export interface Ipv4Repr {
  readonly src: Uint8Array
  readonly dst: Uint8Array
  readonly protocol: number
  readonly ttl: number
  readonly tos: number
  readonly ident: number
  readonly dontFragment: boolean
  readonly moreFragments: boolean
  /** Fragment offset in bytes (multiple of 8). */
  readonly fragOffset: number
  /** Raw option bytes (padded to 4 by `emitIpv4`). */
  readonly options: Uint8Array
  /** Bytes after the header. */
  readonly payloadLen: number
}

export interface Ipv4ParseOptions {
  /** Check the header checksum (RFC 791) and throw RSTLAB_ERR_MALFORMED when wrong. Default false. */
  verifyChecksum?: boolean
}

/** @throws {RstlabError} RSTLAB_ERR_MALFORMED on a bad checksum when `verifyChecksum` is set. */
export function parseIpv4 (p: Ipv4Packet, opts: Ipv4ParseOptions = {}): Ipv4Repr {
  if (opts.verifyChecksum === true && !p.verifyChecksum()) throw malformed('IPv4 header', `bad checksum 0x${p.checksum.toString(16)}`)
  return {
    src: Uint8Array.from(p.src),
    dst: Uint8Array.from(p.dst),
    protocol: p.protocol,
    ttl: p.ttl,
    tos: p.tos,
    ident: p.ident,
    dontFragment: p.dontFragment,
    moreFragments: p.moreFragments,
    fragOffset: p.fragOffset,
    options: Uint8Array.from(p.options),
    payloadLen: p.totalLength - p.headerLen,
  }
}

export function ipv4HeaderLen (r: Ipv4Repr): number {
  return IPV4_HEADER_LEN + ((r.options.length + 3) & ~3)
}

/** Write the header (options padded with EOL) and its checksum at the start of `p`'s buffer. */
export function emitIpv4 (r: Ipv4Repr, p: Ipv4Packet): void {
  const hl = ipv4HeaderLen(r)
  if (hl > 60) throw malformed('IPv4 repr', `${r.options.length} option bytes exceed 40`)
  if (r.fragOffset % 8 !== 0 || r.fragOffset > 0xfff8) throw malformed('IPv4 repr', `fragment offset ${r.fragOffset}`)
  const b = p.buf
  if (b.length < hl) throw truncated('IPv4 emit buffer', hl, b.length)
  b[F.VER_IHL] = 0x40 | (hl >> 2)
  b[F.TOS] = r.tos
  b.writeUInt16BE(hl + r.payloadLen, F.TOTAL_LEN)
  b.writeUInt16BE(r.ident, F.IDENT)
  b.writeUInt16BE((r.dontFragment ? FLAG_DF : 0) | (r.moreFragments ? FLAG_MF : 0) | (r.fragOffset >> 3), F.FLAGS_FRAG)
  b[F.TTL] = r.ttl
  b[F.PROTO] = r.protocol
  putBytes(b, F.SRC, r.src, 4, 'IPv4 src')
  putBytes(b, F.DST, r.dst, 4, 'IPv4 dst')
  b.set(r.options, IPV4_HEADER_LEN)
  b.fill(0, IPV4_HEADER_LEN + r.options.length, hl)
  p.fillChecksum()
}
