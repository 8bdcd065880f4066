/**
 * TCP header and options (RFC 9293 §3.1, §3.2).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |     |A|C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsv |E|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 *
 * Flags are a 9-bit value: byte 13 plus AE/NS (bit 0 of byte 12) as bit 8 (`TcpFlag` in summary.ts).
 * Options recognised: EOL 0, NOP 1, MSS 2 (RFC 9293), window scale 3 (RFC 7323), SACK-permitted 4
 * and SACK 5 (RFC 2018), timestamps 8 (RFC 7323), MPTCP 30 (RFC 8684, kept as raw bodies). Unknown
 * kinds are kept as bytes and emitted again unchanged.
 */
import { incrementalUpdate16, incrementalUpdate32, internetChecksum, pseudoHeaderSumAddrs, verifyRange } from './checksum.js'
import { IPPROTO_TCP } from './summary.js'
import { truncated, malformed } from './view.js'

export const TCP_HEADER_LEN = 20
export const TCP_MAX_OPTIONS_LEN = 40
const F = { SRC_PORT: 0, DST_PORT: 2, SEQ: 4, ACK: 8, DATA_OFF: 12, FLAGS: 13, WINDOW: 14, CHECKSUM: 16, URGENT: 18 } as const

export const TCPOPT_EOL = 0
export const TCPOPT_NOP = 1
export const TCPOPT_MSS = 2
export const TCPOPT_WSCALE = 3
export const TCPOPT_SACK_PERMITTED = 4
export const TCPOPT_SACK = 5
export const TCPOPT_TIMESTAMP = 8
export const TCPOPT_MPTCP = 30

/** Addresses for the pseudo-header checksum (4 or 16 bytes each). */
export interface ChecksumCtx { readonly src: Uint8Array, readonly dst: Uint8Array }

export class TcpPacket {
  private constructor (readonly buf: Buffer) {}
  /** No validation: for buffers sized with `tcpHeaderLen(repr) + payloadLen` before `emitTcp`. */
  static unchecked (buf: Buffer): TcpPacket { return new TcpPacket(buf) }
  /**
   * Validates 20 <= data offset * 4 <= buffer length. `buf` must end where the segment ends (the IP
   * payload), so `payload` is exact.
   * @throws {RstlabError} RSTLAB_ERR_TRUNCATED, RSTLAB_ERR_MALFORMED
   */
  static checked (buf: Buffer): TcpPacket {
    if (buf.length < TCP_HEADER_LEN) throw truncated('TCP header', TCP_HEADER_LEN, buf.length)
    const p = new TcpPacket(buf)
    if (p.headerLen < TCP_HEADER_LEN) throw malformed('TCP header', `data offset ${p.headerLen >> 2} under 5`)
    if (p.headerLen > buf.length) throw truncated('TCP header with options', p.headerLen, buf.length)
    return p
  }

  get srcPort (): number { return this.buf.readUInt16BE(F.SRC_PORT) }
  set srcPort (v: number) { this.buf.writeUInt16BE(v, F.SRC_PORT) }
  get dstPort (): number { return this.buf.readUInt16BE(F.DST_PORT) }
  set dstPort (v: number) { this.buf.writeUInt16BE(v, F.DST_PORT) }
  get seq (): number { return this.buf.readUInt32BE(F.SEQ) }
  set seq (v: number) { this.buf.writeUInt32BE(v >>> 0, F.SEQ) }
  get ack (): number { return this.buf.readUInt32BE(F.ACK) }
  set ack (v: number) { this.buf.writeUInt32BE(v >>> 0, F.ACK) }
  /** Header length in bytes (data offset * 4). */
  get headerLen (): number { return (this.buf[F.DATA_OFF]! >> 4) << 2 }
  /** 9-bit flags (TcpFlag). */
  get flags (): number { return this.buf[F.FLAGS]! | ((this.buf[F.DATA_OFF]! & 1) << 8) }
  set flags (v: number) {
    this.buf[F.FLAGS] = v & 0xff
    this.buf[F.DATA_OFF] = (this.buf[F.DATA_OFF]! & 0xfe) | ((v >> 8) & 1)
  }
  get window (): number { return this.buf.readUInt16BE(F.WINDOW) }
  set window (v: number) { this.buf.writeUInt16BE(v, F.WINDOW) }
  get checksum (): number { return this.buf.readUInt16BE(F.CHECKSUM) }
  set checksum (v: number) { this.buf.writeUInt16BE(v, F.CHECKSUM) }
  get urgent (): number { return this.buf.readUInt16BE(F.URGENT) }
  set urgent (v: number) { this.buf.writeUInt16BE(v, F.URGENT) }
  get options (): Buffer { return this.buf.subarray(TCP_HEADER_LEN, this.headerLen) }
  get payload (): Buffer { return this.buf.subarray(this.headerLen) }

  /** Recompute the checksum over the whole buffer (header + payload) with the pseudo-header. */
  fillChecksum (ctx: ChecksumCtx): void {
    this.checksum = 0
    this.checksum = internetChecksum(this.buf, 0, this.buf.length, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_TCP, this.buf.length))
  }
  verifyChecksum (ctx: ChecksumCtx): boolean {
    return verifyRange(this.buf, 0, this.buf.length, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_TCP, this.buf.length))
  }
  /** Rewrite the window and patch the checksum (RFC 1624) — e.g. a middlebox zeroing a window. */
  setWindowWithChecksumUpdate (v: number): void {
    this.checksum = incrementalUpdate16(this.checksum, this.window, v)
    this.window = v
  }
  setSeqWithChecksumUpdate (v: number): void {
    this.checksum = incrementalUpdate32(this.checksum, this.seq, v)
    this.seq = v
  }
  setAckWithChecksumUpdate (v: number): void {
    this.checksum = incrementalUpdate32(this.checksum, this.ack, v)
    this.ack = v
  }
}

export interface TcpOptionsRepr {
  mss?: number
  wscale?: number
  sackPermitted?: boolean
  /** SACK blocks [left, right). */
  sack?: Array<[number, number]>
  /** [TSval, TSecr]. */
  ts?: [number, number]
  /** Bodies (after kind and length) of MPTCP options, in order. */
  mptcp?: Uint8Array[]
  /** Options of other kinds, kept as bytes. */
  unknown?: Array<{ kind: number, data: Uint8Array }>
  /** Extra bytes appended verbatim when emitting (never produced by parsing): for odd test options. */
  raw?: Uint8Array
}

/**
 * Parse the option bytes between `start` and `end`.
 * @throws {RstlabError} RSTLAB_ERR_MALFORMED on a length under 2, past the end, or wrong for its kind.
 */
export function parseTcpOptions (b: Uint8Array, start: number, end: number): TcpOptionsRepr {
  const o: TcpOptionsRepr = {}
  const u32 = (i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0
  let i = start
  while (i < end) {
    const kind = b[i]!
    if (kind === TCPOPT_EOL) break
    if (kind === TCPOPT_NOP) { i++; continue }
    if (i + 1 >= end) throw malformed('TCP options', `option ${kind} at ${i - start} has no length byte`)
    const len = b[i + 1]!
    if (len < 2 || i + len > end) throw malformed('TCP options', `option ${kind} at ${i - start} has length ${len}`)
    const bad = (): Error => malformed('TCP options', `option ${kind} has wrong length ${len}`)
    switch (kind) {
      case TCPOPT_MSS: if (len !== 4) throw bad(); o.mss = (b[i + 2]! << 8) | b[i + 3]!; break
      case TCPOPT_WSCALE: if (len !== 3) throw bad(); o.wscale = b[i + 2]!; break
      case TCPOPT_SACK_PERMITTED: if (len !== 2) throw bad(); o.sackPermitted = true; break
      case TCPOPT_SACK: {
        if (len === 2 || (len - 2) % 8 !== 0) throw bad()
        const blocks: Array<[number, number]> = []
        for (let j = i + 2; j < i + len; j += 8) blocks.push([u32(j), u32(j + 4)])
        o.sack = blocks
        break
      }
      case TCPOPT_TIMESTAMP: if (len !== 10) throw bad(); o.ts = [u32(i + 2), u32(i + 6)]; break
      case TCPOPT_MPTCP: (o.mptcp ??= []).push(Uint8Array.from(b.subarray(i + 2, i + len))); break
      default: (o.unknown ??= []).push({ kind, data: Uint8Array.from(b.subarray(i + 2, i + len)) })
    }
    i += len
  }
  return o
}

function push32 (out: number[], v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw malformed('TCP options', `${v} is not a 32-bit value`)
  out.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)
}

/**
 * Encode options in a Linux-like layout (MSS, SACK-permitted+TS, NOP+wscale, NOP NOP SACK), then
 * MPTCP, unknown and raw bytes, padded with EOL to a multiple of 4.
 * @throws {RstlabError} RSTLAB_ERR_MALFORMED when a value is out of range or the result exceeds 40 bytes.
 */
export function encodeTcpOptions (o: TcpOptionsRepr | undefined): Uint8Array {
  if (o === undefined) return new Uint8Array(0)
  const b: number[] = []
  if (o.mss !== undefined) {
    if (!Number.isInteger(o.mss) || o.mss < 0 || o.mss > 0xffff) throw malformed('TCP options', `mss ${o.mss}`)
    b.push(TCPOPT_MSS, 4, o.mss >> 8, o.mss & 0xff)
  }
  const ts = o.ts
  if (o.sackPermitted === true) {
    if (ts === undefined) b.push(TCPOPT_NOP, TCPOPT_NOP)
    b.push(TCPOPT_SACK_PERMITTED, 2)
  }
  if (ts !== undefined) {
    if (o.sackPermitted !== true) b.push(TCPOPT_NOP, TCPOPT_NOP)
    b.push(TCPOPT_TIMESTAMP, 10)
    push32(b, ts[0]); push32(b, ts[1])
  }
  if (o.wscale !== undefined) {
    if (!Number.isInteger(o.wscale) || o.wscale < 0 || o.wscale > 255) throw malformed('TCP options', `wscale ${o.wscale}`)
    b.push(TCPOPT_NOP, TCPOPT_WSCALE, 3, o.wscale)
  }
  if (o.sack !== undefined && o.sack.length > 0) {
    if (o.sack.length > 4) throw malformed('TCP options', `${o.sack.length} SACK blocks, at most 4 fit`)
    b.push(TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK, 2 + 8 * o.sack.length)
    for (const [l, r] of o.sack) { push32(b, l); push32(b, r) }
  }
  for (const m of o.mptcp ?? []) b.push(TCPOPT_MPTCP, 2 + m.length, ...m)
  for (const u of o.unknown ?? []) b.push(u.kind, 2 + u.data.length, ...u.data)
  if (o.raw !== undefined) b.push(...o.raw)
  while (b.length % 4 !== 0) b.push(TCPOPT_EOL)
  if (b.length > TCP_MAX_OPTIONS_LEN) throw malformed('TCP options', `${b.length} bytes of options, at most 40 fit`)
  return Uint8Array.from(b)
}

export interface TcpRepr {
  readonly srcPort: number
  readonly dstPort: number
  readonly seq: number
  readonly ack: number
  /** 9-bit TcpFlag mask. */
  readonly flags: number
  readonly window: number
  readonly urgent: number
  readonly options: TcpOptionsRepr
  readonly payloadLen: number
}

/**
 * @param ctx when given, the checksum is verified (RSTLAB_ERR_MALFORMED when wrong).
 * @throws {RstlabError} RSTLAB_ERR_MALFORMED on bad options or checksum.
 */
export function parseTcp (p: TcpPacket, ctx?: ChecksumCtx): TcpRepr {
  if (ctx !== undefined && !p.verifyChecksum(ctx)) throw malformed('TCP segment', `bad checksum 0x${p.checksum.toString(16)}`)
  return {
    srcPort: p.srcPort,
    dstPort: p.dstPort,
    seq: p.seq,
    ack: p.ack,
    flags: p.flags,
    window: p.window,
    urgent: p.urgent,
    options: parseTcpOptions(p.buf, TCP_HEADER_LEN, p.headerLen),
    payloadLen: p.buf.length - p.headerLen,
  }
}

export function tcpHeaderLen (r: TcpRepr): number {
  return TCP_HEADER_LEN + encodeTcpOptions(r.options).length
}

/**
 * Write header and options at the start of `p`'s buffer. With `ctx`, also the checksum over header
 * + `r.payloadLen` bytes — so copy the payload in (after the header) before calling, or call
 * `TcpPacket.fillChecksum` afterwards on a buffer that ends with the segment.
 */
export function emitTcp (r: TcpRepr, p: TcpPacket, ctx?: ChecksumCtx): void {
  const opts = encodeTcpOptions(r.options)
  const hl = TCP_HEADER_LEN + opts.length
  const b = p.buf
  if (b.length < hl + (ctx ? r.payloadLen : 0)) throw truncated('TCP emit buffer', hl + r.payloadLen, b.length)
  b.writeUInt16BE(r.srcPort, F.SRC_PORT)
  b.writeUInt16BE(r.dstPort, F.DST_PORT)
  b.writeUInt32BE(r.seq >>> 0, F.SEQ)
  b.writeUInt32BE(r.ack >>> 0, F.ACK)
  b[F.DATA_OFF] = ((hl >> 2) << 4) | ((r.flags >> 8) & 1)
  b[F.FLAGS] = r.flags & 0xff
  b.writeUInt16BE(r.window, F.WINDOW)
  b.writeUInt16BE(0, F.CHECKSUM)
  b.writeUInt16BE(r.urgent, F.URGENT)
  b.set(opts, TCP_HEADER_LEN)
  if (ctx !== undefined) {
    const len = hl + r.payloadLen
    b.writeUInt16BE(internetChecksum(b, 0, len, pseudoHeaderSumAddrs(ctx.src, ctx.dst, IPPROTO_TCP, len)), F.CHECKSUM)
  }
}
