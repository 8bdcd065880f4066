/**
 * ARP for IPv4 over Ethernet (RFC 826). Other hardware/protocol combinations are passed through as
 * opaque bytes by the decoder; this view only accepts htype 1 / ptype 0x0800 / 6 / 4.
 *
 *  0                   1                   2                   3
 * |        Hardware type (1)      |     Protocol type (0x0800)    |
 * |  HLEN (6)     |   PLEN (4)    |          Operation            |
 * |                Sender hardware address (6) ...                |
 * |  ... SHA                      |  Sender protocol address (4)  |
 * |  ... SPA                      |  Target hardware address (6)  |
 * |                     ... THA                                   |
 * |                 Target protocol address (4)                   |
 */
import { putBytes, truncated, malformed } from './view.js'

export const ARP_LEN = 28
export const ARP_REQUEST = 1
export const ARP_REPLY = 2
const F = { HTYPE: 0, PTYPE: 2, HLEN: 4, PLEN: 5, OPER: 6, SHA: 8, SPA: 14, THA: 18, TPA: 24 } as const

export class ArpPacket {
  private constructor (readonly buf: Buffer) {}
  static unchecked (buf: Buffer): ArpPacket { return new ArpPacket(buf) }
  /** @throws {RstlabError} RSTLAB_ERR_TRUNCATED, RSTLAB_ERR_MALFORMED (not Ethernet/IPv4 ARP) */
  static checked (buf: Buffer): ArpPacket {
    if (buf.length < ARP_LEN) throw truncated('ARP', ARP_LEN, buf.length)
    const p = new ArpPacket(buf)
    if (p.htype !== 1 || p.ptype !== 0x0800 || buf[F.HLEN] !== 6 || buf[F.PLEN] !== 4) {
      throw malformed('ARP', `unsupported hardware/protocol ${p.htype}/0x${p.ptype.toString(16)}`)
    }
    return p
  }
  get htype (): number { return this.buf.readUInt16BE(F.HTYPE) }
  get ptype (): number { return this.buf.readUInt16BE(F.PTYPE) }
  get operation (): number { return this.buf.readUInt16BE(F.OPER) }
  set operation (v: number) { this.buf.writeUInt16BE(v, F.OPER) }
  get senderMac (): Buffer { return this.buf.subarray(F.SHA, F.SHA + 6) }
  get senderIp (): Buffer { return this.buf.subarray(F.SPA, F.SPA + 4) }
  get targetMac (): Buffer { return this.buf.subarray(F.THA, F.THA + 6) }
  get targetIp (): Buffer { return this.buf.subarray(F.TPA, F.TPA + 4) }
}

export interface ArpRepr {
  readonly operation: number
  readonly senderMac: Uint8Array
  readonly senderIp: Uint8Array
  readonly targetMac: Uint8Array
  readonly targetIp: Uint8Array
}

export function parseArp (p: ArpPacket): ArpRepr {
  return {
    operation: p.operation,
    senderMac: Uint8Array.from(p.senderMac),
    senderIp: Uint8Array.from(p.senderIp),
    targetMac: Uint8Array.from(p.targetMac),
    targetIp: Uint8Array.from(p.targetIp),
  }
}

export function arpLen (_r?: ArpRepr): number { return ARP_LEN }

export function emitArp (r: ArpRepr, p: ArpPacket): void {
  const b = p.buf
  if (b.length < ARP_LEN) throw truncated('ARP emit buffer', ARP_LEN, b.length)
  b.writeUInt16BE(1, F.HTYPE); b.writeUInt16BE(0x0800, F.PTYPE); b[F.HLEN] = 6; b[F.PLEN] = 4
  b.writeUInt16BE(r.operation, F.OPER)
  putBytes(b, F.SHA, r.senderMac, 6, 'ARP sender MAC')
  putBytes(b, F.SPA, r.senderIp, 4, 'ARP sender IP')
  putBytes(b, F.THA, r.targetMac, 6, 'ARP target MAC')
  putBytes(b, F.TPA, r.targetIp, 4, 'ARP target IP')
}
