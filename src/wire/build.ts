/**
 * Frame builder for forged packets (engine: RSTs, ICMP unreachables) and for tests and scenarios.
 *
 * `buildFrame(spec)` lays out link header, VLAN tags, IPv4/IPv6, then TCP, UDP, ICMP/ICMPv6 or a raw
 * payload, and fills every length and checksum (IPv4 header, TCP/UDP/ICMPv6 with pseudo-header,
 * ICMPv4 without). It allocates one Buffer per call: forging is rare compared with forwarding.
 *
 * Bad specs throw `RstlabError` RSTLAB_ERR_FRAME_SPEC naming the field, so a scenario line that asks
 * for something impossible fails with a message instead of a malformed frame.
 */
import { RstlabError } from '../errors.js'
import { parseIp, parseMac } from './addr.js'
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_QINQ, ETHERTYPE_VLAN } from './ethernet.js'
import { EthernetFrame, emitEthernet, ethernetHeaderLen } from './ethernet.js'
import { Icmpv4Packet, emitIcmpv4 } from './icmpv4.js'
import { Icmpv6Packet, emitIcmpv6 } from './icmpv6.js'
import { Ipv4Packet, emitIpv4 } from './ipv4.js'
import { Ipv6Packet, emitIpv6 } from './ipv6.js'
import { TcpPacket, emitTcp, encodeTcpOptions, type TcpOptionsRepr } from './tcp.js'
import { UdpPacket, emitUdp } from './udp.js'
import { internetChecksum, l4Checksum } from './checksum.js'
import { FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TcpFlag } from './summary.js'

/** TCP options for a built frame: the codec's `TcpOptionsRepr` (mss, wscale, sackPermitted, sack, ts, mptcp, unknown, raw). */
export type TcpOptionsSpec = TcpOptionsRepr

export interface TcpSpec {
  sport: number
  dport: number
  seq?: number
  ack?: number
  /** Bit mask (TcpFlag) or tcpdump letters: 'S', 'S.', 'R', 'R.', 'F.', 'P.', '.', 'SF', 'FSRP.UEW'. */
  flags: number | string
  window?: number
  urg?: number
  options?: TcpOptionsSpec
}

export interface UdpSpec { sport: number, dport: number }

export interface IcmpSpec {
  type: number
  code: number
  /** The 32-bit word after the checksum (unused / pointer / MTU / id+seq). Overrides id/seqNo. */
  rest?: number
  id?: number
  seqNo?: number
}

export interface FrameSpec {
  /** Default 'ethernet'. 'raw' = bare IP packet (LINKTYPE_RAW). */
  link?: 'ethernet' | 'raw'
  /** Default 02:00:00:00:00:01 (src) and 02:00:00:00:00:02 (dst). */
  srcMac?: string | Uint8Array
  dstMac?: string | Uint8Array
  /** VLAN ids, outer first. One tag: 0x8100. Two tags: 0x88a8 outer, 0x8100 inner. */
  vlans?: number[]
  /** Full 16-bit TCIs (PCP/DEI/VID), outer first; wins over `vlans`. */
  vlanTcis?: number[]
  src: string | Uint8Array
  dst: string | Uint8Array
  /** TTL / hop limit, default 64. */
  ttl?: number
  /** IPv4 identification, default 0. */
  ipId?: number
  /** IPv4 DF, default true. */
  df?: boolean
  /** IPv4 TOS / IPv6 traffic class, default 0. */
  tos?: number
  /** IPv6 flow label, default 0. */
  flowLabel?: number
  tcp?: TcpSpec
  udp?: UdpSpec
  /** ICMPv4 for v4 addresses, ICMPv6 for v6 addresses. */
  icmp?: IcmpSpec
  /** IP protocol number when none of tcp/udp/icmp is given (payload carried opaque). Default 59 on v6, 253 on v4. */
  proto?: number
  /** Upper-layer payload: bytes, a string (UTF-8), or a count of zero bytes. */
  payload?: Uint8Array | string | number
  /** Pad Ethernet frames to the 60-byte minimum (as a NIC does on the wire). Default false. */
  pad?: boolean
}

const DEFAULT_SRC_MAC = Uint8Array.of(2, 0, 0, 0, 0, 1)
const DEFAULT_DST_MAC = Uint8Array.of(2, 0, 0, 0, 0, 2)

function specError (message: string, hint?: string): RstlabError {
  return new RstlabError('RSTLAB_ERR_FRAME_SPEC', message, hint)
}

function toAddr (v: string | Uint8Array, field: string): Uint8Array {
  if (typeof v === 'string') {
    const a = parseIp(v)
    if (a === undefined) throw specError(`${field}: "${v}" is not an IPv4 or IPv6 address`, 'write e.g. 198.18.0.1 or 2001:db8::1')
    return a
  }
  if (v.length !== 4 && v.length !== 16) throw specError(`${field}: address must be 4 or 16 bytes, got ${v.length}`)
  return v
}

function toMac (v: string | Uint8Array | undefined, dflt: Uint8Array, field: string): Uint8Array {
  if (v === undefined) return dflt
  if (typeof v === 'string') {
    const m = parseMac(v)
    if (m === undefined) throw specError(`${field}: "${v}" is not a MAC address`, 'write e.g. 02:00:00:00:00:01')
    return m
  }
  if (v.length !== 6) throw specError(`${field}: MAC must be 6 bytes, got ${v.length}`)
  return v
}

function checkUint (v: number, max: number, field: string): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw specError(`${field}: ${v} is not an integer in 0..${max}`)
  return v
}

/** tcpdump's flag letters in its print order (print-tcp.c `tcp_flag_values`); 'e' is AE (formerly NS). */
export const TCP_FLAG_LETTERS: ReadonlyArray<readonly [string, number]> = [
  ['F', TcpFlag.FIN], ['S', TcpFlag.SYN], ['R', TcpFlag.RST], ['P', TcpFlag.PSH], ['.', TcpFlag.ACK],
  ['U', TcpFlag.URG], ['E', TcpFlag.ECE], ['W', TcpFlag.CWR], ['e', TcpFlag.NS],
]

/**
 * Parse tcpdump flag letters ('S.', 'R', 'FP.', 'none' or '' for no flags; optional surrounding [ ]).
 * @throws {RstlabError} RSTLAB_ERR_FRAME_SPEC on an unknown letter.
 */
export function parseTcpFlags (s: string): number {
  let t = s.trim()
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1)
  if (t === '' || t === 'none') return 0
  let flags = 0
  for (const ch of t) {
    const e = TCP_FLAG_LETTERS.find(([l]) => l === ch)
    if (e === undefined) throw specError(`TCP flags "${s}": unknown letter "${ch}"`, 'use tcpdump letters F S R P . U E W (e.g. "S.", "R.", "FP.")')
    flags |= e[1]
  }
  return flags
}

/** tcpdump-style flag letters without brackets: 'S.', 'R', 'FP.', 'none' when no flag is set. */
export function formatTcpFlags (f: number): string {
  let s = ''
  for (const [l, bit] of TCP_FLAG_LETTERS) if ((f & bit) !== 0) s += l
  return s === '' ? 'none' : s
}

/** TCP option bytes for a spec, with spec errors reported as RSTLAB_ERR_FRAME_SPEC. */
function optionBytes (o: TcpOptionsSpec | undefined): Uint8Array {
  try {
    return encodeTcpOptions(o)
  } catch (e) {
    if (e instanceof RstlabError) throw specError(`tcp.options: ${e.message}`, 'drop SACK blocks or timestamps to stay within 40 bytes')
    throw e
  }
}

function payloadBytes (p: Uint8Array | string | number | undefined): Uint8Array {
  if (p === undefined) return new Uint8Array(0)
  if (typeof p === 'number') { checkUint(p, 65000, 'payload'); return new Uint8Array(p) }
  if (typeof p === 'string') return Buffer.from(p, 'utf8')
  return p
}

/**
 * Build one complete frame with valid lengths and checksums.
 * @throws {RstlabError} RSTLAB_ERR_FRAME_SPEC for an unusable spec (bad address, mixed families,
 *   more than one of tcp/udp/icmp, out-of-range field, options over 40 bytes, packet over 65535).
 */
export function buildFrame (spec: FrameSpec): Buffer {
  const src = toAddr(spec.src, 'src')
  const dst = toAddr(spec.dst, 'dst')
  if (src.length !== dst.length) throw specError('src and dst are of different address families', 'use two IPv4 or two IPv6 addresses')
  const v6 = src.length === 16
  const l4Count = (spec.tcp ? 1 : 0) + (spec.udp ? 1 : 0) + (spec.icmp ? 1 : 0)
  if (l4Count > 1) throw specError('give at most one of tcp, udp, icmp')
  const payload = payloadBytes(spec.payload)
  const link = spec.link ?? 'ethernet'
  if (link !== 'ethernet' && link !== 'raw') throw specError(`link: "${String(link)}" is not 'ethernet' or 'raw'`)

  const tcis = spec.vlanTcis ?? spec.vlans ?? []
  if (tcis.length > 2) throw specError(`vlans: ${tcis.length} tags, at most 2 (QinQ)`)
  for (const v of tcis) checkUint(v, spec.vlanTcis ? 0xffff : 4095, spec.vlanTcis ? 'vlanTcis' : 'vlans')
  if (link === 'raw' && tcis.length > 0) throw specError('vlans need link ethernet')

  let proto: number
  let l4HeaderLen: number
  let opts: Uint8Array = new Uint8Array(0)
  if (spec.tcp) {
    proto = IPPROTO_TCP
    opts = optionBytes(spec.tcp.options)
    l4HeaderLen = 20 + opts.length
  } else if (spec.udp) {
    proto = IPPROTO_UDP; l4HeaderLen = 8
  } else if (spec.icmp) {
    proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP; l4HeaderLen = 8
  } else {
    proto = checkUint(spec.proto ?? (v6 ? 59 : 253), 255, 'proto'); l4HeaderLen = 0
  }
  const l3HeaderLen = v6 ? 40 : 20
  const l4Len = l4HeaderLen + payload.length
  if (l3HeaderLen + l4Len > 65535) throw specError(`packet of ${l3HeaderLen + l4Len} bytes exceeds 65535`)
  const l2Len = link === 'ethernet' ? 14 + 4 * tcis.length : 0
  let frameLen = l2Len + l3HeaderLen + l4Len
  if (spec.pad === true && link === 'ethernet' && frameLen < 60) frameLen = 60
  const f = Buffer.alloc(frameLen)
  const ttl = checkUint(spec.ttl ?? 64, 255, 'ttl')
  const tos = checkUint(spec.tos ?? 0, 255, 'tos')

  let l3 = 0
  if (link === 'ethernet') {
    const vlans = tcis.map((tci, i) => ({ tpid: tcis.length === 2 && i === 0 ? ETHERTYPE_QINQ : ETHERTYPE_VLAN, tci }))
    const eth = { dst: toMac(spec.dstMac, DEFAULT_DST_MAC, 'dstMac'), src: toMac(spec.srcMac, DEFAULT_SRC_MAC, 'srcMac'), vlans, etherType: v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4 }
    emitEthernet(eth, EthernetFrame.unchecked(f))
    l3 = ethernetHeaderLen(eth)
  }
  const l4 = l3 + l3HeaderLen
  const seg = f.subarray(l4, l4 + l4Len)
  seg.set(payload, l4HeaderLen)
  const ctx = { src, dst }

  // Upper layer first (its checksum needs only the addresses), then the IP header.
  if (spec.tcp) {
    const t = spec.tcp
    emitTcp({
      srcPort: checkUint(t.sport, 0xffff, 'tcp.sport'),
      dstPort: checkUint(t.dport, 0xffff, 'tcp.dport'),
      seq: checkUint(t.seq ?? 0, 0xffffffff, 'tcp.seq'),
      ack: checkUint(t.ack ?? 0, 0xffffffff, 'tcp.ack'),
      flags: typeof t.flags === 'string' ? parseTcpFlags(t.flags) : checkUint(t.flags, 0x1ff, 'tcp.flags'),
      window: checkUint(t.window ?? 0, 0xffff, 'tcp.window'),
      urgent: checkUint(t.urg ?? 0, 0xffff, 'tcp.urg'),
      options: t.options ?? {},
      payloadLen: payload.length,
    }, TcpPacket.unchecked(seg), ctx)
  } else if (spec.udp) {
    emitUdp({
      srcPort: checkUint(spec.udp.sport, 0xffff, 'udp.sport'),
      dstPort: checkUint(spec.udp.dport, 0xffff, 'udp.dport'),
      payloadLen: payload.length,
    }, UdpPacket.unchecked(seg), ctx)
  } else if (spec.icmp) {
    const ic = spec.icmp
    const rest = ic.rest !== undefined
      ? checkUint(ic.rest, 0xffffffff, 'icmp.rest')
      : ((checkUint(ic.id ?? 0, 0xffff, 'icmp.id') << 16) | checkUint(ic.seqNo ?? 0, 0xffff, 'icmp.seqNo')) >>> 0
    const r = { type: checkUint(ic.type, 255, 'icmp.type'), code: checkUint(ic.code, 255, 'icmp.code'), rest, payloadLen: payload.length }
    if (v6) emitIcmpv6(r, Icmpv6Packet.unchecked(seg), ctx); else emitIcmpv4(r, Icmpv4Packet.unchecked(seg))
  }

  const ip = f.subarray(l3)
  if (v6) {
    emitIpv6({
      src, dst, trafficClass: tos, flowLabel: checkUint(spec.flowLabel ?? 0, 0xfffff, 'flowLabel'),
      hopLimit: ttl, extHeaders: [], upperProtocol: proto, payloadLen: l4Len,
    }, Ipv6Packet.unchecked(ip))
  } else {
    emitIpv4({
      src, dst, protocol: proto, ttl, tos, ident: checkUint(spec.ipId ?? 0, 0xffff, 'ipId'),
      dontFragment: spec.df !== false, moreFragments: false, fragOffset: 0, options: new Uint8Array(0), payloadLen: l4Len,
    }, Ipv4Packet.unchecked(ip))
  }
  return f
}

export interface IcmpErrorSpec {
  /** Source of the ICMP error (the firewall's own address for that side); same family as the offending packet. */
  src: string | Uint8Array
  /** Default: v4 3 (destination unreachable), v6 1. */
  type?: number
  /** Default: administratively prohibited — v4 13 (RFC 1812 §5.2.7.1), v6 1 (RFC 4443 §3.1). */
  code?: number
  /** TTL / hop limit of the error, default 64. */
  ttl?: number
  /** Link of the result, default: that of the offending frame (ethernet when it had one, else raw). */
  link?: 'ethernet' | 'raw'
  /** Default: the offending frame's MACs swapped (back toward its sender). */
  srcMac?: string | Uint8Array
  dstMac?: string | Uint8Array
  /** Default: the offending frame's VLAN TCIs, copied. */
  vlanTcis?: number[]
}

/**
 * Build an ICMP destination-unreachable (v4 type 3, v6 type 1) sent back to the sender of the
 * decoded frame `offending`, quoting its IP packet. The quote is as much of the offending packet
 * as fits: RFC 1812 §4.3.2.3 caps ICMPv4 errors at 576 bytes of IP, RFC 4443 §2.4(c) caps ICMPv6
 * errors at the 1280-byte minimum MTU. The quote never extends past the captured bytes.
 * @throws {RstlabError} RSTLAB_ERR_FRAME_SPEC when `offending` has no IP layer or families differ.
 */
export function buildIcmpErrorQuote (offending: FrameSummary, spec: IcmpErrorSpec): Buffer {
  const s = offending
  if (s.l3Off < 0 || s.srcOff < 0) throw specError('ICMP error needs an offending IP packet (frame had no IP layer)')
  const v6 = s.ipVersion === 6
  const f = s.frame
  const dst = Uint8Array.from(f.subarray(s.srcOff, s.srcOff + s.addrLen))
  const max = v6 ? 1280 - 40 - 8 : 576 - 20 - 8
  const avail = Math.min(f.length - s.l3Off, s.ipLen > 0 ? s.ipLen : f.length - s.l3Off)
  const quote = f.subarray(s.l3Off, s.l3Off + Math.min(avail, max))
  const hasEth = s.ethOff >= 0
  const link = spec.link ?? (hasEth ? 'ethernet' : 'raw')
  const tcis: number[] = []
  if (s.vlanCount > 0) tcis.push(s.vlanTci0)
  if (s.vlanCount > 1) tcis.push(s.vlanTci1)
  return buildFrame({
    link,
    srcMac: spec.srcMac ?? (hasEth ? f.subarray(s.ethOff, s.ethOff + 6) : undefined),
    dstMac: spec.dstMac ?? (hasEth ? f.subarray(s.ethOff + 6, s.ethOff + 12) : undefined),
    vlanTcis: link === 'ethernet' ? (spec.vlanTcis ?? tcis) : [],
    src: spec.src,
    dst,
    ttl: spec.ttl ?? 64,
    icmp: { type: spec.type ?? (v6 ? 1 : 3), code: spec.code ?? (v6 ? 1 : 13), rest: 0 },
    payload: quote,
  })
}

/** Link, MACs, VLAN tags, addresses and ports of a frame to forge, taken from a decoded frame. */
export interface Addressing {
  link: 'ethernet' | 'raw'
  srcMac?: Uint8Array
  dstMac?: Uint8Array
  vlanTcis: number[]
  src: Uint8Array
  dst: Uint8Array
  sport: number
  dport: number
}

/**
 * Addressing for a frame forged from decoded frame `s`: `reverse` true gives the reply direction
 * (addresses, ports and MACs swapped: a RST or ICMP back to the sender, spoofed from the receiver);
 * false keeps the direction (a RST onward to the receiver, spoofed from the sender). VLAN tags are
 * copied (see docs/panos-model.md#forged-packets). Links without MACs (SLL, NULL, RAW)
 * give link 'raw'. Spread it into a `FrameSpec` and add `tcp: { sport, dport, ... }`.
 * @throws {RstlabError} RSTLAB_ERR_FRAME_SPEC when `s` has no IP addresses.
 */
export function addressingFrom (s: FrameSummary, reverse: boolean): Addressing {
  if (s.srcOff < 0 || s.dstOff < 0) throw specError('cannot forge a reply to a frame without IP addresses')
  const f = s.frame
  const a = Uint8Array.from(f.subarray(s.srcOff, s.srcOff + s.addrLen))
  const b = Uint8Array.from(f.subarray(s.dstOff, s.dstOff + s.addrLen))
  const tcis: number[] = []
  if (s.vlanCount > 0) tcis.push(s.vlanTci0)
  if (s.vlanCount > 1) tcis.push(s.vlanTci1)
  const out: Addressing = {
    link: s.ethOff >= 0 ? 'ethernet' : 'raw',
    vlanTcis: s.ethOff >= 0 ? tcis : [],
    src: reverse ? b : a,
    dst: reverse ? a : b,
    sport: reverse ? s.dstPort : s.srcPort,
    dport: reverse ? s.srcPort : s.dstPort,
  }
  if (s.ethOff >= 0) {
    const dstMac = Uint8Array.from(f.subarray(s.ethOff, s.ethOff + 6))
    const srcMac = Uint8Array.from(f.subarray(s.ethOff + 6, s.ethOff + 12))
    out.srcMac = reverse ? dstMac : srcMac
    out.dstMac = reverse ? srcMac : dstMac
  }
  return out
}

/**
 * The TCP segment (no payload) that answers the packet decoded in `fs`, as the firewall forges it:
 * addresses and ports swapped, MACs swapped, the first two VLAN tags kept (QinQ outer tag 0x88a8),
 * IPv4 with DF and IP ID 0 or IPv6 with traffic class and flow label 0, `ttl` as TTL / hop limit, and
 * the MSS option alone when `mss >= 0`. Byte for byte what `buildFrame` makes of the same fields
 * (test/wire/tcp-reply.test.ts), written straight into one Buffer: forged RSTs and SYN-cookie
 * SYN-ACKs take this path once per packet under a flood, and the generic builder's spec objects
 * cost most of their time.
 */
export function buildTcpReply (fs: FrameSummary, ttl: number, flags: number, seq: number, ack: number, window: number, mss = -1): Buffer {
  const f = fs.frame
  const eth = fs.ethOff >= 0
  const tags = eth ? Math.min(fs.vlanCount, 2) : 0
  const l2 = eth ? 14 + 4 * tags : 0
  const v6 = fs.addrLen === 16
  const l3Len = v6 ? 40 : 20
  const tcpLen = mss >= 0 ? 24 : 20
  const b = Buffer.alloc(l2 + l3Len + tcpLen)
  if (eth) {
    const e = fs.ethOff
    for (let i = 0; i < 6; i++) { b[i] = f[e + 6 + i]!; b[6 + i] = f[e + i]! }
    let o = 12
    for (let i = 0; i < tags; i++) {
      const tpid = tags === 2 && i === 0 ? ETHERTYPE_QINQ : ETHERTYPE_VLAN
      const tci = i === 0 ? fs.vlanTci0 : fs.vlanTci1
      b[o] = tpid >> 8; b[o + 1] = tpid & 0xff; b[o + 2] = tci >> 8; b[o + 3] = tci & 0xff
      o += 4
    }
    const et = v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4
    b[o] = et >> 8; b[o + 1] = et & 0xff
  }
  const ip = l2
  const n = fs.addrLen
  let srcOff: number
  let dstOff: number
  if (v6) {
    b[ip] = 0x60
    b[ip + 4] = tcpLen >> 8; b[ip + 5] = tcpLen & 0xff
    b[ip + 6] = IPPROTO_TCP
    b[ip + 7] = ttl
    srcOff = ip + 8; dstOff = ip + 24
  } else {
    b[ip] = 0x45
    const total = 20 + tcpLen
    b[ip + 2] = total >> 8; b[ip + 3] = total & 0xff
    b[ip + 6] = 0x40 // DF; IP ID 0
    b[ip + 8] = ttl
    b[ip + 9] = IPPROTO_TCP
    srcOff = ip + 12; dstOff = ip + 16
  }
  for (let i = 0; i < n; i++) { b[srcOff + i] = f[fs.dstOff + i]!; b[dstOff + i] = f[fs.srcOff + i]! }
  if (!v6) {
    const c = internetChecksum(b, ip, 20)
    b[ip + 10] = c >> 8; b[ip + 11] = c & 0xff
  }
  const t = ip + l3Len
  b[t] = fs.dstPort >> 8; b[t + 1] = fs.dstPort & 0xff
  b[t + 2] = fs.srcPort >> 8; b[t + 3] = fs.srcPort & 0xff
  b.writeUInt32BE(seq >>> 0, t + 4)
  b.writeUInt32BE(ack >>> 0, t + 8)
  b[t + 12] = ((tcpLen >> 2) << 4) | ((flags >> 8) & 1)
  b[t + 13] = flags & 0xff
  b[t + 14] = window >> 8; b[t + 15] = window & 0xff
  if (mss >= 0) { b[t + 20] = 2; b[t + 21] = 4; b[t + 22] = mss >> 8; b[t + 23] = mss & 0xff }
  const c = l4Checksum(b, srcOff, dstOff, n, IPPROTO_TCP, t, tcpLen)
  b[t + 16] = c >> 8; b[t + 17] = c & 0xff
  return b
}
