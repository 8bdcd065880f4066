/**
 * The 8-byte header ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 §2.1) share: type, code, checksum and a
 * 32-bit "rest of header" (id + sequence for echo, unused / MTU / pointer for errors). `icmpv4.ts`
 * and `icmpv6.ts` build on it; they differ only in what the checksum covers (ICMPv6 adds the IPv6
 * pseudo-header) and in their type numbers.
 */
export const ICMP_COMMON_HEADER_LEN = 8
export const ICMP_FIELD = { TYPE: 0, CODE: 1, CHECKSUM: 2, REST: 4, ID: 4, SEQ: 6 } as const
const F = ICMP_FIELD

/** The accessors of the common header; the subclasses add `checked`/`unchecked` and the checksum. */
export abstract class IcmpHeaderView {
  protected constructor (readonly buf: Buffer) {}
  get type (): number { return this.buf[F.TYPE]! }
  set type (v: number) { this.buf[F.TYPE] = v }
  get code (): number { return this.buf[F.CODE]! }
  set code (v: number) { this.buf[F.CODE] = v }
  get checksum (): number { return this.buf.readUInt16BE(F.CHECKSUM) }
  set checksum (v: number) { this.buf.writeUInt16BE(v, F.CHECKSUM) }
  get rest (): number { return this.buf.readUInt32BE(F.REST) }
  set rest (v: number) { this.buf.writeUInt32BE(v >>> 0, F.REST) }
  /** Echo identifier / sequence (meaningful for echo request and reply). */
  get echoId (): number { return this.buf.readUInt16BE(F.ID) }
  get echoSeq (): number { return this.buf.readUInt16BE(F.SEQ) }
  /** Data after the 8-byte header (for errors: the quoted packet). */
  get data (): Buffer { return this.buf.subarray(ICMP_COMMON_HEADER_LEN) }
}

/** Write type, code and rest of header into `b`, the checksum field zeroed (the caller fills it). */
export function writeIcmpHeader (b: Buffer, type: number, code: number, rest: number): void {
  b[F.TYPE] = type
  b[F.CODE] = code
  b.writeUInt16BE(0, F.CHECKSUM)
  b.writeUInt32BE(rest >>> 0, F.REST)
}
