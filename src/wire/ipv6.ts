/**
 * IPv6 fixed header (RFC 8200 §3) and the extension-header chain (§4) up to the upper layer.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (16 bytes)                    |
 * |               Destination Address (16 bytes)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extension headers walked: hop-by-hop (0, only first, §4.3), routing (43), fragment (44, fixed 8
 * bytes, §4.5), destination options (60), mobility (135), HIP (139), shim6 (140) — all but the
 * fragment header use the generic "next header, length in 8-octet units not counting the first 8"
 * format. Anything else (TCP, UDP, ICMPv6, AH, ESP, 59 no-next-header) ends the chain.
 */
import { putBytes, truncated, malformed } from './view.js'

export const IPV6_HEADER_LEN = 40
const F = { VER_TC_FLOW: 0, PAYLOAD_LEN: 4, NEXT_HEADER: 6, HOP_LIMIT: 7, SRC: 8, DST: 24 } as const

export const IPV6_EXT_HOP_BY_HOP = 0
export const IPV6_EXT_ROUTING = 43
export const IPV6_EXT_FRAGMENT = 44
export const IPV6_EXT_DEST_OPTS = 60

/** True for the extension headers this module walks through. */
export function isIpv6ExtHeader (nh: number): boolean {
  return nh === 0 || nh === 43 || nh === 44 || nh === 60 || nh === 135 || nh === 139 || nh === 140
}

export class Ipv6Packet {
  private constructor (readonly buf: Buffer) {}
  static unchecked (buf: Buffer): Ipv6Packet { return new Ipv6Packet(buf) }
  /**
   * Validates version 6 and 40 + payload length <= buffer (trailing padding allowed).
   * The extension chain is checked by `parseIpv6` / `walkIpv6Extensions`.
   * @throws {RstlabError} RSTLAB_ERR_TRUNCATED, RSTLAB_ERR_MALFORMED
   */
  static checked (buf: Buffer): Ipv6Packet {
    if (buf.length < IPV6_HEADER_LEN) throw truncated('IPv6 header', IPV6_HEADER_LEN, buf.length)
    const p = new Ipv6Packet(buf)
    if (p.version !== 6) throw malformed('IPv6 header', `version ${p.version}`)
    if (IPV6_HEADER_LEN + p.payloadLength > buf.length) throw truncated('IPv6 packet', IPV6_HEADER_LEN + p.payloadLength, buf.length)
    return p
  }

  get version (): number { return this.buf[0]! >> 4 }
  get trafficClass (): number { return (this.buf.readUInt16BE(0) >> 4) & 0xff }
  get flowLabel (): number { return this.buf.readUInt32BE(0) & 0xfffff }
  get payloadLength (): number { return this.buf.readUInt16BE(F.PAYLOAD_LEN) }
  set payloadLength (v: number) { this.buf.writeUInt16BE(v, F.PAYLOAD_LEN) }
  get nextHeader (): number { return this.buf[F.NEXT_HEADER]! }
  set nextHeader (v: number) { this.buf[F.NEXT_HEADER] = v }
  get hopLimit (): number { return this.buf[F.HOP_LIMIT]! }
  set hopLimit (v: number) { this.buf[F.HOP_LIMIT] = v }
  get src (): Buffer { return this.buf.subarray(F.SRC, F.SRC + 16) }
  set src (a: Uint8Array) { putBytes(this.buf, F.SRC, a, 16, 'IPv6 src') }
  get dst (): Buffer { return this.buf.subarray(F.DST, F.DST + 16) }
  set dst (a: Uint8Array) { putBytes(this.buf, F.DST, a, 16, 'IPv6 dst') }
  /** Bytes after the fixed header up to the payload length (extension headers included). */
  get payload (): Buffer { return this.buf.subarray(IPV6_HEADER_LEN, IPV6_HEADER_LEN + this.payloadLength) }
}

/** One extension header: its type and the bytes after its first two (next header, length). */
export interface Ipv6ExtRepr {
  readonly type: number
  /** For the fragment header: 6 bytes (offset|res|M, identification). Otherwise 6 + 8n bytes. */
  readonly body: Uint8Array
}

export interface Ipv6Repr {
  readonly src: Uint8Array
  readonly dst: Uint8Array
  readonly trafficClass: number
  readonly flowLabel: number
  readonly hopLimit: number
  readonly extHeaders: readonly Ipv6ExtRepr[]
  /** Protocol after the extension chain (6, 17, 58, ...). */
  readonly upperProtocol: number
  /** Bytes after the extension chain. */
  readonly payloadLen: number
}

/** Result of walking an extension chain. */
export interface Ipv6ExtWalk { upperProtocol: number, upperOff: number, headers: Ipv6ExtRepr[] }

/**
 * Walk the chain starting with next-header `nh` at `off` and ending at `end` (exclusive).
 * @throws {RstlabError} RSTLAB_ERR_MALFORMED (runs past `end`, hop-by-hop not first)
 */
export function walkIpv6Extensions (buf: Buffer, off: number, nh: number, end: number): Ipv6ExtWalk {
  const headers: Ipv6ExtRepr[] = []
  let p = off
  while (isIpv6ExtHeader(nh)) {
    if (nh === IPV6_EXT_HOP_BY_HOP && p !== off) throw malformed('IPv6 extension chain', 'hop-by-hop header not directly after the fixed header')
    if (p + 8 > end) throw malformed('IPv6 extension chain', `header ${nh} at ${p} runs past the payload`)
    const len = nh === IPV6_EXT_FRAGMENT ? 8 : (buf[p + 1]! + 1) << 3
    if (p + len > end) throw malformed('IPv6 extension chain', `header ${nh} at ${p} (${len} bytes) runs past the payload`)
    headers.push({ type: nh, body: Uint8Array.from(buf.subarray(p + 2, p + len)) })
    nh = buf[p]!
    p += len
  }
  return { upperProtocol: nh, upperOff: p, headers }
}

/** @throws {RstlabError} RSTLAB_ERR_MALFORMED on a bad extension chain. */
export function parseIpv6 (p: Ipv6Packet): Ipv6Repr {
  const end = IPV6_HEADER_LEN + p.payloadLength
  const w = walkIpv6Extensions(p.buf, IPV6_HEADER_LEN, p.nextHeader, end)
  return {
    src: Uint8Array.from(p.src),
    dst: Uint8Array.from(p.dst),
    trafficClass: p.trafficClass,
    flowLabel: p.flowLabel,
    hopLimit: p.hopLimit,
    extHeaders: w.headers,
    upperProtocol: w.upperProtocol,
    payloadLen: end - w.upperOff,
  }
}

/** Fixed header plus extension headers. */
export function ipv6HeaderLen (r: Ipv6Repr): number {
  let n = IPV6_HEADER_LEN
  for (const e of r.extHeaders) n += 2 + e.body.length
  return n
}

/** Write fixed header and extension chain at the start of `p`'s buffer. */
export function emitIpv6 (r: Ipv6Repr, p: Ipv6Packet): void {
  const hl = ipv6HeaderLen(r)
  const b = p.buf
  if (b.length < hl) throw truncated('IPv6 emit buffer', hl, b.length)
  if (hl - IPV6_HEADER_LEN + r.payloadLen > 0xffff) throw malformed('IPv6 repr', 'payload over 65535 bytes (jumbograms unsupported)')
  b.writeUInt32BE(((6 << 28) | ((r.trafficClass & 0xff) << 20) | (r.flowLabel & 0xfffff)) >>> 0, F.VER_TC_FLOW)
  b.writeUInt16BE(hl - IPV6_HEADER_LEN + r.payloadLen, F.PAYLOAD_LEN)
  b[F.NEXT_HEADER] = r.extHeaders.length > 0 ? r.extHeaders[0]!.type : r.upperProtocol
  b[F.HOP_LIMIT] = r.hopLimit
  putBytes(b, F.SRC, r.src, 16, 'IPv6 src')
  putBytes(b, F.DST, r.dst, 16, 'IPv6 dst')
  let off = IPV6_HEADER_LEN
  r.extHeaders.forEach((e, i) => {
    const len = 2 + e.body.length
    if (e.type === IPV6_EXT_FRAGMENT ? len !== 8 : len % 8 !== 0) throw malformed('IPv6 repr', `extension header ${e.type} of ${len} bytes`)
    b[off] = i + 1 < r.extHeaders.length ? r.extHeaders[i + 1]!.type : r.upperProtocol
    b[off + 1] = e.type === IPV6_EXT_FRAGMENT ? 0 : (len >> 3) - 1
    b.set(e.body, off + 2)
    off += len
  })
}

/** Body of a fragment header (for `Ipv6ExtRepr`): offset in bytes (multiple of 8), more flag, id. */
export function ipv6FragmentBody (offset: number, more: boolean, ident: number): Uint8Array {
  const b = Buffer.alloc(6)
  b.writeUInt16BE((offset & 0xfff8) | (more ? 1 : 0), 0)
  b.writeUInt32BE(ident >>> 0, 2)
  return b
}
