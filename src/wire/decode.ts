/**
 * `decodeFrame`: one pass over an untrusted frame into a reusable `FrameSummary`.
 *
 * Contract (docs/architecture.md): never throws, never reads outside `frame`, allocates nothing.
 * Every read is guarded by an explicit length check against the end of the enclosing layer, and
 * the decoder touches the frame only through `frame[i]` and `frame.length` (no `subarray`, no
 * `DataView`, no `readUInt*` range errors) — the fuzz test wraps frames in a Proxy that fails on
 * any index outside the buffer to hold us to that. `decodeFrameAt` decodes a frame lying inside a
 * larger buffer (a capture reader's chunk) without a view object: its bounds are [off, off + len),
 * offsets in the summary are indexes into that buffer, and nothing outside the bounds is read.
 *
 * Layer bounds: L4 decoding is bounded by the IP packet's own length field, not by the capture, so
 * Ethernet padding (frames under 60 bytes are padded, RFC 894) is ignored. An IP length larger than
 * the captured bytes is an error (IP4_BAD_LENGTH / IP6_BAD_LENGTH), as tshark calls it malformed.
 *
 * Error policy: the first problem found sets `error` + `errorOffset` (later ones do not overwrite
 * it). Decoding stops at a problem that leaves no sound way on, but continues where tools like
 * tshark still read the next layer, so logs and the tshark cross-check see as much as possible:
 *  - IP length larger than the captured bytes (snaplen-cut captures, lying headers): the upper layer
 *    is decoded from what was captured; `payloadLen` then counts captured bytes only.
 *  - IP4_BAD_OPTIONS, TCP_BAD_OPTIONS: the upper layer / payload range is still filled.
 * Fields decoded before or after an error are valid as far as they go; the engine must check `error`
 * before trusting the frame. Ports are filled as soon as 4 bytes of TCP/UDP exist, even when the
 * rest of the header is missing (`l4Off` stays -1 then). Odd TCP flag combinations are not errors:
 * the engine judges flags (TCP_BAD_FLAGS is reserved and never set).
 *
 * Fragments: a first fragment (MF, offset 0) gets its upper-layer header decoded when it fits; a
 * header split across fragments is not an error (l4Off stays -1). Later fragments are payload only.
 * Nothing is reassembled.
 */
import {
  DecodeCode, FrameSummary, LinkType, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP,
} from './summary.js'
import { formatIp } from './addr.js'
import {
  ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD, ETHERTYPE_VLAN, MAX_VLAN_TAGS,
} from './ethernet.js'
import { isIcmp4Error } from './icmpv4.js'
import { isIcmp6Error } from './icmpv6.js'
import { readU32 as u32 } from './view.js'

export { ETHERTYPE_IPV4, ETHERTYPE_ARP, ETHERTYPE_IPV6, ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD, MAX_VLAN_TAGS } from './ethernet.js'

/** Extra link types accepted as aliases: LINKTYPE_LOOP (OpenBSD loopback, AF in network order),
 *  LINKTYPE_IPV4 / LINKTYPE_IPV6 (raw IP of one family), and DLT_RAW's platform values 12 and 14. */
export const LINKTYPE_LOOP = 108
export const LINKTYPE_IPV4 = 228
export const LINKTYPE_IPV6 = 229


function u16 (f: Buffer, o: number): number { return (f[o]! << 8) | f[o + 1]! }

/** Record a decode error; the first one found wins (later layers may still decode, see header). */
function fail (out: FrameSummary, code: DecodeCode, off: number): FrameSummary {
  if (out.error === DecodeCode.OK) {
    out.error = code
    out.errorOffset = off - out.frameOff // from the frame's first byte, also under decodeFrameAt
  }
  return out
}

/**
 * Decode `frame` of pcap link type `linkType` into `out` (reset first) and return `out`.
 * Link types: Ethernet (1), RAW (101; also 12, 14, 228, 229), LINUX_SLL (113), LINUX_SLL2 (276),
 * NULL / BSD loopback (0, AF in either byte order; 108 LOOP, network order).
 */
export function decodeFrame (frame: Buffer, linkType: number, out: FrameSummary): FrameSummary {
  return decodeFrameAt(frame, 0, frame.length, linkType, out)
}

/**
 * `decodeFrame` for the frame at `buf[base, base + len)`: the same fields, with every offset an
 * index into `buf` (but `errorOffset`, counted from the frame's first byte as always), and
 * `out.frameOff` / `out.frameEnd` its bounds.
 */
export function decodeFrameAt (buf: Buffer, base: number, len: number, linkType: number, out: FrameSummary): FrameSummary {
  const frame = buf
  const n = base + len
  out.reset(buf, linkType, base, n)
  let off = base
  let et = 0
  switch (linkType) {
    case LinkType.ETHERNET:
      if (len < 14) return fail(out, DecodeCode.L2_TRUNCATED, base)
      out.ethOff = base
      et = u16(frame, base + 12)
      off = base + 14
      break
    case LinkType.RAW: case 12: case 14: case LINKTYPE_IPV4: case LINKTYPE_IPV6: {
      if (len < 1) return fail(out, DecodeCode.L2_TRUNCATED, base)
      const v = frame[base]! >> 4
      if (linkType === LINKTYPE_IPV4 && v !== 4) return fail(out, DecodeCode.IP_BAD_VERSION, base)
      if (linkType === LINKTYPE_IPV6 && v !== 6) return fail(out, DecodeCode.IP_BAD_VERSION, base)
      if (v === 4) et = ETHERTYPE_IPV4
      else if (v === 6) et = ETHERTYPE_IPV6
      else return fail(out, DecodeCode.IP_BAD_VERSION, base)
      out.etherType = et
      break
    }
    case LinkType.LINUX_SLL:
      // packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2)
      if (len < 16) return fail(out, DecodeCode.L2_TRUNCATED, base)
      et = u16(frame, base + 14)
      off = base + 16
      break
    case LinkType.LINUX_SLL2:
      // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8)
      if (len < 20) return fail(out, DecodeCode.L2_TRUNCATED, base)
      et = u16(frame, base)
      off = base + 20
      break
    case LinkType.NULL: case LINKTYPE_LOOP: {
      if (len < 4) return fail(out, DecodeCode.L2_TRUNCATED, base)
      // The AF value is in the capturing host's byte order (NULL) or network order (LOOP).
      // AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
      const be = u32(frame, base)
      const le = linkType === LINKTYPE_LOOP ? be : (frame[base]! | (frame[base + 1]! << 8) | (frame[base + 2]! << 16) | (frame[base + 3]! << 24)) >>> 0
      if (be === 2 || le === 2) et = ETHERTYPE_IPV4
      else if (be === 24 || be === 28 || be === 30 || le === 24 || le === 28 || le === 30) et = ETHERTYPE_IPV6
      else et = 0
      off = base + 4
      out.etherType = et
      if (et === 0) { out.payloadOff = off; out.payloadLen = n - off; return out }
      break
    }
    default:
      return fail(out, DecodeCode.UNSUPPORTED_LINK, base)
  }

  // 802.1Q / 802.1ad tag stack (Ethernet and SLL both carry tags inline after the protocol field).
  while (et === ETHERTYPE_VLAN || et === ETHERTYPE_QINQ || et === ETHERTYPE_QINQ_OLD) {
    if (out.vlanCount === MAX_VLAN_TAGS || off + 4 > n) return fail(out, DecodeCode.VLAN_TRUNCATED, off)
    const tci = u16(frame, off)
    if (out.vlanCount === 0) { out.vlanTpid0 = et; out.vlanTci0 = tci } else { out.vlanTpid1 = et; out.vlanTci1 = tci }
    out.vlanCount++
    et = u16(frame, off + 2)
    off += 4
  }
  out.etherType = et

  if (et === ETHERTYPE_IPV4) return decodeIp4(frame, off, n, out)
  if (et === ETHERTYPE_IPV6) return decodeIp6(frame, off, n, out)
  // ARP, LLDP, 802.3 length frames and every other EtherType: opaque payload after the tags.
  out.payloadOff = off
  out.payloadLen = n - off
  return out
}

/*
 * IPv4 (RFC 791 §3.1)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 */
function decodeIp4 (f: Buffer, off: number, fend: number, out: FrameSummary): FrameSummary {
  const avail = fend - off
  if (avail < 1) return fail(out, DecodeCode.IP4_TRUNCATED, off)
  const b0 = f[off]!
  if (b0 >> 4 !== 4) return fail(out, DecodeCode.IP_BAD_VERSION, off)
  if (avail < 20) return fail(out, DecodeCode.IP4_TRUNCATED, off)
  out.l3Off = off
  out.ipVersion = 4
  const ihl = (b0 & 0x0f) << 2
  const totalLen = u16(f, off + 2)
  out.ipLen = totalLen
  out.l3HeaderLen = ihl
  out.ipId = u16(f, off + 4)
  const frag = u16(f, off + 6)
  out.df = (frag & 0x4000) !== 0
  out.fragOffset = (frag & 0x1fff) << 3
  out.isFragment = (frag & 0x2000) !== 0 || out.fragOffset !== 0
  out.ttl = f[off + 8]!
  out.proto = f[off + 9]!
  out.srcOff = off + 12
  out.dstOff = off + 16
  out.addrLen = 4
  if (ihl < 20 || ihl > avail) return fail(out, DecodeCode.IP4_BAD_IHL, off)
  if (totalLen < ihl) return fail(out, DecodeCode.IP4_BAD_LENGTH, off + 2)
  let end = off + totalLen
  if (totalLen > avail) { fail(out, DecodeCode.IP4_BAD_LENGTH, off + 2); end = fend }
  if (ihl > 20) checkIp4Options(f, off + 20, off + ihl, out)
  const l4 = off + ihl
  if (out.fragOffset !== 0) {
    // Non-first fragment: no upper-layer header here; the bytes are payload.
    out.payloadOff = l4
    out.payloadLen = end - l4
    return out
  }
  return decodeL4(f, l4, end, out)
}

/**
 * IPv4 options (RFC 791 §3.1): 0 ends the list, 1 is padding, others carry a length covering
 * type+length+data. Minimum lengths of known options follow their RFCs (RR/LSRR/SSRR 3 (RFC 791),
 * timestamp 5 (RFC 791: "The smallest legal value is 5"), security 3 (RFC 1108), stream id 4,
 * router alert 4 (RFC 2113), quick-start 8 (RFC 4782)).
 */
function checkIp4Options (f: Buffer, i: number, end: number, out: FrameSummary): void {
  while (i < end) {
    const type = f[i]!
    if (type === 0) return
    if (type === 1) { i++; continue }
    if (i + 1 >= end) { fail(out, DecodeCode.IP4_BAD_OPTIONS, i); return }
    const len = f[i + 1]!
    let min = 2
    switch (type) {
      case 7: case 131: case 137: case 130: min = 3; break
      case 68: min = 5; break
      case 136: case 148: min = 4; break
      case 25: min = 8; break
      default: break
    }
    if (len < min || i + len > end) { fail(out, DecodeCode.IP4_BAD_OPTIONS, i); return }
    i += len
  }
}

/*
 * IPv6 (RFC 8200 §3)
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                 Source Address (16)  /  Destination Address (16)  |
 *
 * Extension headers walked to the upper layer: hop-by-hop (0, only directly after the fixed header,
 * RFC 8200 §4.3), routing (43), fragment (44), destination options (60), and the other RFC 8200
 * generic-format headers mobility (135), HIP (139), shim6 (140). AH/ESP/No-Next-Header are upper
 * layers for our purpose (payload opaque).
 */
function decodeIp6 (f: Buffer, off: number, fend: number, out: FrameSummary): FrameSummary {
  const avail = fend - off
  if (avail < 1) return fail(out, DecodeCode.IP6_TRUNCATED, off)
  if (f[off]! >> 4 !== 6) return fail(out, DecodeCode.IP_BAD_VERSION, off)
  if (avail < 40) return fail(out, DecodeCode.IP6_TRUNCATED, off)
  out.l3Off = off
  out.ipVersion = 6
  const plen = u16(f, off + 4)
  out.ipLen = 40 + plen
  out.l3HeaderLen = 40
  out.ttl = f[off + 7]!
  out.srcOff = off + 8
  out.dstOff = off + 24
  out.addrLen = 16
  let nh = f[off + 6]!
  out.proto = nh
  let end = off + 40 + plen
  if (40 + plen > avail) { fail(out, DecodeCode.IP6_BAD_LENGTH, off + 4); end = fend }
  let p = off + 40
  for (;;) {
    if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140) {
      if (nh === 0 && p !== off + 40) return fail(out, DecodeCode.IP6_BAD_EXT, p)
      if (p + 8 > end) return fail(out, DecodeCode.IP6_BAD_EXT, p)
      const len = (f[p + 1]! + 1) << 3
      if (p + len > end) return fail(out, DecodeCode.IP6_BAD_EXT, p)
      nh = f[p]!
      p += len
    } else if (nh === 44) {
      // Fragment header (RFC 8200 §4.5): next(1) reserved(1) offset(13 bits)|res(2)|M(1) id(4)
      if (p + 8 > end) return fail(out, DecodeCode.IP6_BAD_EXT, p)
      out.isFragment = true
      out.fragOffset = u16(f, p + 2) & 0xfff8
      out.ipId = u32(f, p + 4)
      nh = f[p]!
      p += 8
      if (out.fragOffset !== 0) {
        out.proto = nh
        out.l3HeaderLen = p - off
        out.payloadOff = p
        out.payloadLen = end - p
        return out
      }
    } else {
      break
    }
    out.proto = nh
    out.l3HeaderLen = p - off
  }
  out.proto = nh
  out.l3HeaderLen = p - off
  return decodeL4(f, p, end, out)
}

/** Upper layer at `p`, bounded by the IP packet end `end` (<= frame length, checked by callers). */
function decodeL4 (f: Buffer, p: number, end: number, out: FrameSummary): FrameSummary {
  const proto = out.proto
  const avail = end - p
  if (proto === IPPROTO_TCP) return decodeTcp(f, p, end, out)
  if (proto === IPPROTO_UDP) {
    if (avail >= 4) { out.srcPort = u16(f, p); out.dstPort = u16(f, p + 2) }
    if (avail < 8) return out.isFragment ? opaque(p, avail, out) : fail(out, DecodeCode.UDP_BAD_LENGTH, p)
    out.l4Off = p
    out.l4HeaderLen = 8
    const ulen = u16(f, p + 4)
    if (out.isFragment || out.error !== DecodeCode.OK) {
      // First fragment: the UDP length covers the whole datagram; only this fragment's bytes are
      // here. Same when the IP packet was cut short (error already set): count what was captured.
      out.payloadOff = p + 8
      out.payloadLen = avail - 8
      return out
    }
    // RFC 768 length includes the header. Shorter than the IP payload is tolerated (tshark does):
    // the rest is trailing bytes. Longer, or under 8, is malformed.
    if (ulen < 8 || ulen > avail) return fail(out, DecodeCode.UDP_BAD_LENGTH, p + 4)
    out.payloadOff = p + 8
    out.payloadLen = ulen - 8
    return out
  }
  const icmp4 = proto === IPPROTO_ICMP && out.ipVersion === 4
  const icmp6 = proto === IPPROTO_ICMPV6 && out.ipVersion === 6
  if (icmp4 || icmp6) {
    if (avail < 8) return out.isFragment ? opaque(p, avail, out) : fail(out, DecodeCode.ICMP_TRUNCATED, p)
    out.l4Off = p
    out.l4HeaderLen = 8
    const type = f[p]!
    out.icmpType = type
    out.icmpCode = f[p + 1]!
    const isError = icmp4 ? isIcmp4Error(type) : isIcmp6Error(type)
    if (isError && avail > 8) out.icmpInnerOff = p + 8
    out.payloadOff = p + 8
    out.payloadLen = avail - 8
    return out
  }
  // Any other protocol: opaque payload.
  return opaque(p, avail, out)
}

function opaque (p: number, len: number, out: FrameSummary): FrameSummary {
  out.payloadOff = p
  out.payloadLen = len
  return out
}

/*
 * TCP (RFC 9293 §3.1)
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options                    |    Padding    |
 */
function decodeTcp (f: Buffer, p: number, end: number, out: FrameSummary): FrameSummary {
  const avail = end - p
  if (avail >= 4) { out.srcPort = u16(f, p); out.dstPort = u16(f, p + 2) }
  if (avail < 20) return out.isFragment ? opaque(p, avail, out) : fail(out, DecodeCode.TCP_TRUNCATED, p)
  out.l4Off = p
  out.seq = u32(f, p + 4)
  out.ack = u32(f, p + 8)
  const b12 = f[p + 12]!
  out.tcpFlags = f[p + 13]! | ((b12 & 1) << 8)
  out.window = u16(f, p + 14)
  const doff = (b12 >> 4) << 2
  if (doff < 20) return fail(out, DecodeCode.TCP_BAD_OFFSET, p + 12)
  if (doff > avail) {
    if (out.isFragment) { out.l4Off = -1; return opaque(p, avail, out) }
    if (out.error === DecodeCode.OK) return fail(out, DecodeCode.TCP_BAD_OFFSET, p + 12)
    // The capture itself was cut inside the TCP header (IP length error already set): read the
    // options that were captured, no payload.
    out.l4HeaderLen = doff
    decodeTcpOptions(f, p + 20, end, out)
    return out
  }
  out.l4HeaderLen = doff
  decodeTcpOptions(f, p + 20, p + doff, out)
  out.payloadOff = p + doff
  out.payloadLen = avail - doff
  return out
}

/**
 * TCP options (RFC 9293 §3.2): kind 0 ends the list, kind 1 is one byte of padding, every other kind
 * has a length byte covering kind+length+data. A length under 2 or past the header end makes the
 * rest unparseable: TCP_BAD_OPTIONS, options from there on ignored. Known kinds with the wrong
 * length (MSS ≠ 4, WS ≠ 3, SACK-permitted ≠ 2, SACK not 2+8n, TS ≠ 10) are skipped and flagged
 * the same way; unknown kinds are skipped (their bytes stay in the frame). An empty SACK (length 2)
 * is malformed too (RFC 2018 §3: length 8n+2 with n >= 1; tshark calls it malformed).
 */
function decodeTcpOptions (f: Buffer, i: number, optEnd: number, out: FrameSummary): void {
  while (i < optEnd) {
    const kind = f[i]!
    if (kind === 0) return
    if (kind === 1) { i++; continue }
    if (i + 1 >= optEnd) { fail(out, DecodeCode.TCP_BAD_OPTIONS, i); return }
    const len = f[i + 1]!
    if (len < 2 || i + len > optEnd) { fail(out, DecodeCode.TCP_BAD_OPTIONS, i); return }
    switch (kind) {
      case 2: if (len === 4) out.mss = u16(f, i + 2); else fail(out, DecodeCode.TCP_BAD_OPTIONS, i); break
      case 3: if (len === 3) out.wscale = f[i + 2]!; else fail(out, DecodeCode.TCP_BAD_OPTIONS, i); break
      case 4: if (len === 2) out.sackPermitted = true; else fail(out, DecodeCode.TCP_BAD_OPTIONS, i); break
      case 5:
        if ((len - 2) % 8 !== 0 || len === 2) fail(out, DecodeCode.TCP_BAD_OPTIONS, i)
        else { out.sackBlocks = (len - 2) >> 3; out.sackOff = i + 2 }
        break
      case 8:
        if (len === 10) { out.tsVal = u32(f, i + 2); out.tsEcr = u32(f, i + 6) } else fail(out, DecodeCode.TCP_BAD_OPTIONS, i)
        break
      case 30: out.mptcp = true; break
      default: break
    }
    if (out.errorOffset === i - out.frameOff) return
    i += len
  }
}

/**
 * Upper-layer payload length the packet claims on the wire: the IP length minus IP and L4 headers.
 * Equals `payloadLen` except when the capture was cut short (snaplen; error IP4_BAD_LENGTH /
 * IP6_BAD_LENGTH), where `payloadLen` counts only captured bytes. Sequence-space tracking of a
 * replayed snaplen capture needs this one. For UDP it is the IP payload minus 8.
 */
export function wirePayloadLen (s: FrameSummary): number {
  if (s.l3Off < 0 || s.ipLen === 0) return s.payloadLen
  const n = s.ipLen - s.l3HeaderLen - (s.l4Off >= 0 || s.l4HeaderLen > 0 ? s.l4HeaderLen : 0)
  return n > 0 ? n : 0
}

/** Left (`edge` 0) or right (`edge` 1) edge of SACK block `i` (0-based, < s.sackBlocks). */
export function readSackBlock (s: FrameSummary, i: number, edge: 0 | 1): number {
  if (s.sackOff < 0 || i < 0 || i >= s.sackBlocks) return 0
  return u32(s.frame, s.sackOff + (i << 3) + (edge << 2))
}

/** Text of the source or destination IP address ('' when the frame has none). Allocates: for logs. */
export function summaryAddr (s: FrameSummary, which: 'src' | 'dst'): string {
  const off = which === 'src' ? s.srcOff : s.dstOff
  if (off < 0) return ''
  return formatIp(s.frame, off, s.addrLen)
}

/** Human name of a DecodeCode ('ok', 'ip4-bad-ihl', ...). */
export { DECODE_CODE_NAMES } from './summary.js'
