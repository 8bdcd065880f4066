/**
 * Ethernet II (IEEE 802.3 §3.2.6 / RFC 894) with 802.1Q and 802.1ad (QinQ) tags.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC (6 bytes) ...                |
 * |  ... Destination MAC          |     Source MAC (6 bytes) ...  |
 * |                       ... Source MAC                          |
 * |   EtherType or TPID (0x8100/0x88a8/0x9100)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Each tag: TPID(2) then TCI(2) = PCP(3) DEI(1) VID(12); the real EtherType follows the last tag.
 *
 * Unknown EtherTypes are values, not errors: `EthernetRepr.etherType` carries whatever the frame says.
 */
import { putBytes, truncated, malformed } from './view.js'

export const ETHERTYPE_IPV4 = 0x0800
export const ETHERTYPE_ARP = 0x0806
export const ETHERTYPE_IPV6 = 0x86dd
/** 802.1Q customer tag. */
export const ETHERTYPE_VLAN = 0x8100
/** 802.1ad service tag (QinQ outer). */
export const ETHERTYPE_QINQ = 0x88a8
/** Pre-standard QinQ outer tag used by some switches. */
export const ETHERTYPE_QINQ_OLD = 0x9100

/** Max VLAN tags decoded (QinQ). A third tag is VLAN_TRUNCATED ("deeper than 2 tags"). */
export const MAX_VLAN_TAGS = 2

export const ETHERNET_HEADER_LEN = 14
export const VLAN_TAG_LEN = 4
/** Minimum Ethernet frame without FCS; shorter frames are padded on the wire (RFC 894). */
export const ETHERNET_MIN_FRAME = 60
const F = { DST: 0, SRC: 6, ETHERTYPE: 12 } as const

function isTpid (v: number): boolean { return v === ETHERTYPE_VLAN || v === ETHERTYPE_QINQ || v === ETHERTYPE_QINQ_OLD }

/** View over an Ethernet frame (header, tags, payload). */
export class EthernetFrame {
  private constructor (readonly buf: Buffer) {}
  /** No validation: for buffers sized with `ethernetHeaderLen` before `emitEthernet`. */
  static unchecked (buf: Buffer): EthernetFrame { return new EthernetFrame(buf) }
  /**
   * Validates that the base header and every tag (at most 2) are present.
   * @throws {RstlabError} RSTLAB_ERR_TRUNCATED, RSTLAB_ERR_MALFORMED (more than two tags)
   */
  static checked (buf: Buffer): EthernetFrame {
    if (buf.length < ETHERNET_HEADER_LEN) throw truncated('Ethernet header', ETHERNET_HEADER_LEN, buf.length)
    const p = new EthernetFrame(buf)
    let off = F.ETHERTYPE
    let tags = 0
    while (isTpid(buf.readUInt16BE(off))) {
      if (++tags > MAX_VLAN_TAGS) throw malformed('Ethernet header', `more than ${MAX_VLAN_TAGS} VLAN tags`)
      if (off + 6 > buf.length) throw truncated('VLAN tag', off + 6, buf.length)
      off += VLAN_TAG_LEN
    }
    return p
  }

  get dst (): Buffer { return this.buf.subarray(F.DST, F.DST + 6) }
  set dst (mac: Uint8Array) { putBytes(this.buf, F.DST, mac, 6, 'Ethernet dst') }
  get src (): Buffer { return this.buf.subarray(F.SRC, F.SRC + 6) }
  set src (mac: Uint8Array) { putBytes(this.buf, F.SRC, mac, 6, 'Ethernet src') }
  /** Number of VLAN tags. */
  get tagCount (): number {
    let n = 0
    let off = F.ETHERTYPE
    while (n < MAX_VLAN_TAGS && isTpid(this.buf.readUInt16BE(off))) { n++; off += VLAN_TAG_LEN }
    return n
  }
  /** TPID of tag `i` (outer first). */
  tagTpid (i: number): number { return this.buf.readUInt16BE(F.ETHERTYPE + i * VLAN_TAG_LEN) }
  /** Full TCI of tag `i`; VLAN id = tci & 0xfff, PCP = tci >> 13, DEI = (tci >> 12) & 1. */
  tagTci (i: number): number { return this.buf.readUInt16BE(F.ETHERTYPE + i * VLAN_TAG_LEN + 2) }
  setTagTci (i: number, tci: number): void { this.buf.writeUInt16BE(tci, F.ETHERTYPE + i * VLAN_TAG_LEN + 2) }
  /** Header length including tags. */
  get headerLen (): number { return ETHERNET_HEADER_LEN + this.tagCount * VLAN_TAG_LEN }
  /** The EtherType after the tags. */
  get etherType (): number { return this.buf.readUInt16BE(this.headerLen - 2) }
  set etherType (v: number) { this.buf.writeUInt16BE(v, this.headerLen - 2) }
  /** Everything after the header (including any padding). */
  get payload (): Buffer { return this.buf.subarray(this.headerLen) }
}

export interface VlanTag { readonly tpid: number, readonly tci: number }

export interface EthernetRepr {
  readonly dst: Uint8Array
  readonly src: Uint8Array
  /** Outer first; empty when untagged. */
  readonly vlans: readonly VlanTag[]
  readonly etherType: number
}

export function parseEthernet (p: EthernetFrame): EthernetRepr {
  const vlans: VlanTag[] = []
  const n = p.tagCount
  for (let i = 0; i < n; i++) vlans.push({ tpid: p.tagTpid(i), tci: p.tagTci(i) })
  return { dst: Uint8Array.from(p.dst), src: Uint8Array.from(p.src), vlans, etherType: p.etherType }
}

export function ethernetHeaderLen (r: EthernetRepr): number {
  return ETHERNET_HEADER_LEN + r.vlans.length * VLAN_TAG_LEN
}

/** Write the header (and tags) at the start of `p`'s buffer. */
export function emitEthernet (r: EthernetRepr, p: EthernetFrame): void {
  const b = p.buf
  if (b.length < ethernetHeaderLen(r)) throw truncated('Ethernet emit buffer', ethernetHeaderLen(r), b.length)
  if (r.vlans.length > MAX_VLAN_TAGS) throw malformed('Ethernet repr', `more than ${MAX_VLAN_TAGS} VLAN tags`)
  putBytes(b, F.DST, r.dst, 6, 'Ethernet dst')
  putBytes(b, F.SRC, r.src, 6, 'Ethernet src')
  let off = F.ETHERTYPE
  for (const t of r.vlans) {
    if (!isTpid(t.tpid)) throw malformed('Ethernet repr', `0x${t.tpid.toString(16)} is not a VLAN TPID`)
    b.writeUInt16BE(t.tpid, off); b.writeUInt16BE(t.tci, off + 2); off += VLAN_TAG_LEN
  }
  b.writeUInt16BE(r.etherType, off)
}
