/**
 * The one compact result of decoding a whole frame (`decodeFrame` in `decode.ts`).
 *
 * A `FrameSummary` is a plain mutable record that the decoder *refills* for every frame, so the hot
 * path allocates nothing: callers own one instance and pass it in. Everything the engine needs is
 * here as numbers or offsets into the frame buffer; nothing needs parsing twice.
 *
 * Addresses are not copied: `srcOff`/`dstOff` point into `frame` and `addrLen` is 4 or 16.
 * Offsets are absolute offsets into `frame`, or -1 when the layer is absent.
 */

/** Typed decode errors. 0 means the frame decoded cleanly. Stable numbers: they index counters. */
export const enum DecodeCode {
  OK = 0,
  /** Frame shorter than the link header (Ethernet < 14, SLL < 16, ...). */
  L2_TRUNCATED = 1,
  /** VLAN tag stack cut short, or deeper than 2 tags. */
  VLAN_TRUNCATED = 2,
  /** IPv4 header: fewer than 20 bytes available. */
  IP4_TRUNCATED = 3,
  /** IPv4 version nibble is not 4 (or v6 not 6) for the EtherType / link type that announced it. */
  IP_BAD_VERSION = 4,
  /** IPv4 IHL < 5 or beyond the frame / total length. */
  IP4_BAD_IHL = 5,
  /** IPv4 total length < IHL*4 or greater than the bytes captured. */
  IP4_BAD_LENGTH = 6,
  /** IPv6 header: fewer than 40 bytes available. */
  IP6_TRUNCATED = 7,
  /** IPv6 payload length greater than the bytes captured. */
  IP6_BAD_LENGTH = 8,
  /** IPv6 extension header chain runs past the packet or is malformed. */
  IP6_BAD_EXT = 9,
  /** TCP header: fewer than 20 bytes available. */
  TCP_TRUNCATED = 10,
  /** TCP data offset < 5 or beyond the IP payload. */
  TCP_BAD_OFFSET = 11,
  /** TCP options malformed (length 0/1, or running past the header). Frame still usable: options ignored. */
  TCP_BAD_OPTIONS = 12,
  /** UDP header truncated, or UDP length disagrees with the IP payload. */
  UDP_BAD_LENGTH = 13,
  /** ICMP/ICMPv6 header truncated (< 8 bytes). */
  ICMP_TRUNCATED = 14,
  /** Link type this build does not decode. */
  UNSUPPORTED_LINK = 15,
  /** IPv4 header checksum wrong (only reported when the caller asks for checksum verification). */
  IP4_BAD_CHECKSUM = 16,
  /**
   * Reserved, not produced: odd flag combinations (SYN+FIN, all flags) decode with `error` OK and the
   * engine judges them (tshark decodes such segments too). The slot stays so numbering is stable.
   */
  TCP_BAD_FLAGS = 17,
  /**
   * IPv4 options malformed (length under 2 or past the header, or under the minimum for a known
   * option: record/source route 3, timestamp 5, security 3, stream id 4, router alert 4, quick-start 8).
   * The upper layer is still decoded.
   */
  IP4_BAD_OPTIONS = 18,
  /**
   * TCP / UDP / ICMP / ICMPv6 checksum wrong (only reported by `verifyChecksums`, on request).
   */
  L4_BAD_CHECKSUM = 19,
}

/** Human names for DecodeCode, used by `decode`, counters and traces. Index = code. */
export const DECODE_CODE_NAMES: readonly string[] = [
  'ok', 'l2-truncated', 'vlan-truncated', 'ip4-truncated', 'ip-bad-version', 'ip4-bad-ihl',
  'ip4-bad-length', 'ip6-truncated', 'ip6-bad-length', 'ip6-bad-ext', 'tcp-truncated',
  'tcp-bad-offset', 'tcp-bad-options', 'udp-bad-length', 'icmp-truncated', 'unsupported-link',
  'ip4-bad-checksum', 'tcp-bad-flags', 'ip4-bad-options', 'l4-bad-checksum',
]

/** pcap / pcapng LINKTYPE_* values we decode. */
export const enum LinkType {
  NULL = 0,
  ETHERNET = 1,
  RAW = 101,
  LINUX_SLL = 113,
  LINUX_SLL2 = 276,
}

/** TCP flag bits as they sit in byte 13 of the TCP header (plus NS in bit 8 from byte 12). */
export const enum TcpFlag {
  FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80, NS = 0x100,
}

export const IPPROTO_ICMP = 1
export const IPPROTO_TCP = 6
export const IPPROTO_UDP = 17
export const IPPROTO_ICMPV6 = 58

export class FrameSummary {
  /**
   * The buffer holding the frame this summary describes (not copied). Usually the frame itself;
   * after `decodeFrameAt` a larger buffer (a capture file's read chunk) with the frame at
   * [frameOff, frameEnd). Every offset below is an index into `frame`.
   */
  frame: Buffer = Buffer.alloc(0)
  /** Where the frame starts and ends in `frame` (0 and frame.length after `decodeFrame`). */
  frameOff: number = 0
  frameEnd: number = 0
  /** DecodeCode; OK (0) when the whole frame decoded. Fields decoded before the error stay valid. */
  error: number = 0
  /** Where the error was detected, in bytes from the frame's first byte (`frameOff`), or -1. */
  errorOffset: number = -1
  linkType: number = 1

  /** Ethernet header offset (MACs at ethOff..+6 dst, +6..+12 src) or -1 for links without MACs. */
  ethOff: number = -1
  /** Number of 802.1Q / 802.1ad tags (0..2), their TPIDs and full 16-bit TCIs (VLAN id = tci & 0xfff). */
  vlanCount: number = 0
  vlanTpid0: number = 0
  vlanTci0: number = 0
  vlanTpid1: number = 0
  vlanTci1: number = 0
  /** Innermost EtherType (after tags); for non-Ethernet links, the equivalent (0x0800 / 0x86dd). */
  etherType: number = 0

  /** L3 header offset or -1 when the frame carries no IP. */
  l3Off: number = -1
  /** 4, 6 or 0 (not IP). */
  ipVersion: number = 0
  /** IPv4 header length incl. options; for IPv6 40 + extension headers up to the upper layer. */
  l3HeaderLen: number = 0
  /** Bytes of the IP packet per its own length field (v4 total length, v6 40 + payload length). */
  ipLen: number = 0
  /** TTL (v4) or hop limit (v6). */
  ttl: number = 0
  ipId: number = 0
  /** IPv4 DF bit. */
  df: boolean = false
  /** IPv4 MF set or fragment offset != 0; IPv6 fragment header present. Upper layer not decoded then unless offset 0. */
  isFragment: boolean = false
  /** Fragment offset in bytes (0 for first fragments and unfragmented packets). */
  fragOffset: number = 0
  /** Upper-layer protocol number (after walking IPv6 extension headers). */
  proto: number = 0
  /** Address offsets into `frame` and their length (4 or 16). -1 when not IP. */
  srcOff: number = -1
  dstOff: number = -1
  addrLen: number = 0

  /** L4 header offset or -1. */
  l4Off: number = -1
  /** L4 header length (TCP data offset * 4, UDP 8, ICMP 8). */
  l4HeaderLen: number = 0
  /** TCP/UDP ports; filled as soon as 4 bytes of the header exist (even if `l4Off` stays -1). */
  srcPort: number = 0
  dstPort: number = 0

  /** TCP fields (valid when proto === 6 and l4Off >= 0). */
  tcpFlags: number = 0
  seq: number = 0
  ack: number = 0
  window: number = 0
  /** Options: -1 when absent. */
  mss: number = -1
  wscale: number = -1
  sackPermitted: boolean = false
  /** Number of SACK blocks present (0..4); the blocks themselves are read from the option bytes on demand. */
  sackBlocks: number = 0
  /** Offset of the first SACK block's left edge (blocks are 8 bytes: left, right), or -1. */
  sackOff: number = -1
  tsVal: number = -1
  tsEcr: number = -1
  mptcp: boolean = false

  /** ICMP / ICMPv6 type and code (when proto is 1 or 58), -1 otherwise. */
  icmpType: number = -1
  icmpCode: number = -1
  /** For ICMP errors (v4 3/4/5/11/12, v6 1-4): offset of the quoted IP header, else -1. */
  icmpInnerOff: number = -1

  /**
   * Upper-layer payload range: [payloadOff, payloadOff + payloadLen), always inside `frame`;
   * payloadOff -1 when none. For non-IP frames (ARP, LLDP, unknown EtherTypes) it is everything after
   * the link header and tags. When the capture was cut short (IP4_BAD_LENGTH / IP6_BAD_LENGTH) it
   * counts captured bytes only; `wirePayloadLen(s)` gives the length the packet claims.
   */
  payloadOff: number = -1
  payloadLen: number = 0

  /** Reset every field to its "absent" value. Called by the decoder before each frame. */
  reset (frame: Buffer, linkType: number, off: number = 0, end: number = frame.length): void {
    this.frame = frame; this.frameOff = off; this.frameEnd = end; this.error = 0; this.errorOffset = -1; this.linkType = linkType
    this.ethOff = -1; this.vlanCount = 0; this.vlanTpid0 = 0; this.vlanTci0 = 0; this.vlanTpid1 = 0; this.vlanTci1 = 0
    this.etherType = 0; this.l3Off = -1; this.ipVersion = 0; this.l3HeaderLen = 0; this.ipLen = 0; this.ttl = 0
    this.ipId = 0; this.df = false; this.isFragment = false; this.fragOffset = 0; this.proto = 0
    this.srcOff = -1; this.dstOff = -1; this.addrLen = 0; this.l4Off = -1; this.l4HeaderLen = 0
    this.srcPort = 0; this.dstPort = 0; this.tcpFlags = 0; this.seq = 0; this.ack = 0; this.window = 0
    this.mss = -1; this.wscale = -1; this.sackPermitted = false; this.sackBlocks = 0; this.sackOff = -1; this.tsVal = -1; this.tsEcr = -1
    this.mptcp = false; this.icmpType = -1; this.icmpCode = -1; this.icmpInnerOff = -1; this.payloadOff = -1; this.payloadLen = 0
  }
}
