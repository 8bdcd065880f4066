/**
 * Checking received packets against `HOST gets ...` patterns, and describing packets in the
 * scenario's own notation (so what the ladder shows can be pasted back into a script).
 *
 * Verification goes through a table of field verifiers (packetdrill's `verifiers[HEADER_TCP]`),
 * each returning `field: expected X vs actual Y` on a mismatch.
 *
 * Sequence numbers are shown and compared relative to ISNs, like tcpdump's default view: `seq`
 * relative to the ISN of the host owning the packet's source address, `ack` relative to the ISN of
 * the host receiving it. A number far from any ISN (a forged `seq 0`, another connection's numbers)
 * is shown absolute as `=N`.
 */
import { decodeFrame, summaryAddr } from '../wire/decode.js'
import { FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, LinkType, TcpFlag } from '../wire/summary.js'
import { formatIp, formatMac, parseIp } from '../wire/addr.js'
import { flagLetters } from './parser.js'
import { ICMP_NAME_OF } from './vocab.js'
import type { HostDecl, PacketPattern, SeqValue } from './types.js'

/** A received packet's fields, copied out of the (reused) FrameSummary. */
export interface Seen {
  ipVersion: number
  proto: 'tcp' | 'udp' | 'icmp' | 'other'
  src: string
  dst: string
  sport: number
  dport: number
  flags: number
  seq: number
  ack: number
  win: number
  len: number
  ttl: number
  icmpType: number
  icmpCode: number
  mss: number
  wscale: number
  sackOk: boolean
  tsVal: number
  tsEcr: number
  macSrc: string
  macDst: string
  ipId: number
  df: boolean
  vlans: number[]
  /** ICMP echo identifier / sequence (the word after the checksum); -1 when not ICMP. */
  icmpId: number
  icmpSeq: number
  /** The packet quoted inside an ICMP error, or undefined. */
  quote: { proto: number, src: string, dst: string, sport: number, dport: number, seq: number } | undefined
}

export interface SeqCtx {
  isnOf: (addr: string) => number | undefined
  hostOf: (addr: string) => string | undefined
}

/** Numbers at least this far past an ISN are shown absolute. */
const REL_LIMIT = 0x10000000

export function snapshot (frame: Buffer, scratch: FrameSummary): Seen {
  const s = decodeFrame(frame, LinkType.ETHERNET, scratch)
  const proto = s.proto === IPPROTO_TCP ? 'tcp' : s.proto === IPPROTO_UDP ? 'udp' : (s.proto === IPPROTO_ICMP || s.proto === IPPROTO_ICMPV6) ? 'icmp' : 'other'
  const f = s.frame
  const vlans: number[] = []
  if (s.vlanCount > 0) vlans.push(s.vlanTci0 & 0xfff)
  if (s.vlanCount > 1) vlans.push(s.vlanTci1 & 0xfff)
  const icmpWord = proto === 'icmp' && s.l4Off >= 0 && s.l4Off + 8 <= f.length
  return {
    macSrc: s.ethOff >= 0 ? formatMac(f, s.ethOff + 6) : '',
    macDst: s.ethOff >= 0 ? formatMac(f, s.ethOff) : '',
    ipId: s.ipId, df: s.df, vlans,
    icmpId: icmpWord ? (f[s.l4Off + 4]! << 8) | f[s.l4Off + 5]! : -1,
    icmpSeq: icmpWord ? (f[s.l4Off + 6]! << 8) | f[s.l4Off + 7]! : -1,
    quote: proto === 'icmp' ? quoted(f, s.icmpInnerOff) : undefined,
    ipVersion: s.ipVersion, proto, src: summaryAddr(s, 'src'), dst: summaryAddr(s, 'dst'),
    sport: s.srcPort, dport: s.dstPort, flags: s.tcpFlags, seq: s.seq, ack: s.ack, win: s.window,
    len: s.payloadLen, ttl: s.ttl, icmpType: s.icmpType, icmpCode: s.icmpCode, mss: s.mss, wscale: s.wscale,
    sackOk: s.sackPermitted, tsVal: s.tsVal, tsEcr: s.tsEcr,
  }
}

/** The IP header + first 8 bytes quoted by an ICMP error at `o` (RFC 792 / RFC 4443), or undefined. */
function quoted (f: Buffer, o: number): Seen['quote'] {
  if (o < 0 || o >= f.length) return undefined
  const v = f[o]! >> 4
  let proto: number; let src: string; let dst: string; let l4: number
  if (v === 4 && o + 20 <= f.length) {
    proto = f[o + 9]!; src = formatIp(f, o + 12, 4); dst = formatIp(f, o + 16, 4); l4 = o + (f[o]! & 15) * 4
  } else if (v === 6 && o + 40 <= f.length) {
    proto = f[o + 6]!; src = formatIp(f, o + 8, 16); dst = formatIp(f, o + 24, 16); l4 = o + 40
  } else return undefined
  const has = (n: number): boolean => l4 + n <= f.length
  return {
    proto, src, dst,
    sport: has(2) ? (f[l4]! << 8) | f[l4 + 1]! : -1,
    dport: has(4) ? (f[l4 + 2]! << 8) | f[l4 + 3]! : -1,
    seq: proto === IPPROTO_TCP && has(8) ? f.readUInt32BE(l4 + 4) : -1,
  }
}

/** `N` relative to `isn`, or `=N` when there is no ISN or the number is far from it. */
export function relText (v: number, isn: number | undefined): string {
  if (isn === undefined) return `=${v}`
  const rel = (v - isn) >>> 0
  return rel < REL_LIMIT ? String(rel) : `=${v}`
}

/** The packet in scenario notation: `S. seq 0 ack 1 win 65160 <mss 1460> ttl 54`. */
export function describe (p: Seen, ctx: SeqCtx, withPorts: boolean): string {
  const ttl = `${p.ipVersion === 6 ? 'hlim' : 'ttl'} ${p.ttl}`
  if (p.proto === 'tcp') {
    const parts: string[] = []
    if (withPorts) parts.push(`${p.sport}>${p.dport}`)
    parts.push(flagLetters(p.flags), `seq ${relText(p.seq, ctx.isnOf(p.src))}`)
    if ((p.flags & TcpFlag.ACK) !== 0) parts.push(`ack ${relText(p.ack, ctx.isnOf(p.dst))}`)
    parts.push(`win ${p.win}`)
    if (p.len > 0) parts.push(`len ${p.len}`)
    const o: string[] = []
    if (p.mss >= 0) o.push(`mss ${p.mss}`)
    if (p.sackOk) o.push('sackOK')
    if (p.tsVal >= 0) o.push(`ts ${p.tsVal} ${p.tsEcr}`)
    if (p.wscale >= 0) o.push(`wscale ${p.wscale}`)
    if (o.length > 0) parts.push(`<${o.join(',')}>`)
    parts.push(ttl)
    return parts.join(' ') + vlanSuffix(p)
  }
  if (p.proto === 'udp') return `udp ${p.sport}>${p.dport} len ${p.len} ${ttl}${vlanSuffix(p)}`
  if (p.proto === 'icmp') {
    const tc = `${p.icmpType}/${p.icmpCode}`
    const name = ICMP_NAME_OF[p.ipVersion === 6 ? 6 : 4][tc]
    const who = ctx.hostOf(p.src)
    const echo = (p.icmpId > 0 || p.icmpSeq > 0) && name !== undefined && name.startsWith('echo') ? ` id ${p.icmpId} seq ${p.icmpSeq}` : ''
    return `icmp ${tc}${name !== undefined ? ` ${name}` : ''}${echo} from ${who ?? p.src} ${ttl}${vlanSuffix(p)}`
  }
  return `ip proto ? from ${p.src} ${ttl}`
}

function seqMatch (want: SeqValue, actual: number, isn: number): boolean {
  return want.abs ? actual === want.value : ((actual - isn) >>> 0) === want.value
}

function seqShow (want: SeqValue): string {
  return want.abs ? `=${want.value}` : String(want.value)
}

function sameAddr (a: string, b: string): boolean {
  const x = parseIp(a)
  const y = parseIp(b)
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i])
}

type Verifier = (p: PacketPattern, d: { seen: Seen, forged: boolean }, receiver: HostDecl, ctx: SeqCtx, hosts: (name: string) => string | undefined) => string | undefined

/** One verifier per field, in the order mismatches are reported. */
const VERIFIERS: Verifier[] = [
  (p, d) => p.forged === undefined || p.forged === d.forged ? undefined
    : `origin: expected ${p.forged ? 'forged by the firewall' : 'forwarded'} vs actual ${d.forged ? 'forged by the firewall' : 'forwarded'}`,
  (p, d) => p.proto === undefined || p.proto === d.seen.proto ? undefined : `protocol: expected ${p.proto} vs actual ${d.seen.proto}`,
  (p, d) => p.flags === undefined || p.flags === d.seen.flags ? undefined : `flags: expected ${p.flagsText ?? flagLetters(p.flags)} vs actual ${flagLetters(d.seen.flags)}`,
  (p, d) => p.icmpType === undefined || (p.icmpType === d.seen.icmpType && p.icmpCode === d.seen.icmpCode) ? undefined
    : `icmp type/code: expected ${p.icmpType}/${p.icmpCode ?? 0} vs actual ${d.seen.icmpType}/${d.seen.icmpCode}`,
  (p, d, _r, ctx, hosts) => {
    if (p.from === undefined) return undefined
    const want = p.from.host !== undefined ? hosts(p.from.host) : p.from.addr
    if (want !== undefined && !sameAddr(want, d.seen.src)) {
      return `source: expected ${p.from.host ?? p.from.addr} vs actual ${ctx.hostOf(d.seen.src) ?? d.seen.src}`
    }
    if (p.from.port !== undefined && p.from.port !== d.seen.sport) return `source port: expected ${p.from.port} vs actual ${d.seen.sport}`
    return undefined
  },
  (p, d, _r, ctx) => {
    if (p.seq === undefined) return undefined
    const isn = ctx.isnOf(d.seen.src) ?? 0
    return seqMatch(p.seq, d.seen.seq, isn) ? undefined : `seq: expected ${seqShow(p.seq)} vs actual ${relText(d.seen.seq, ctx.isnOf(d.seen.src))}`
  },
  (p, d, r) => {
    if (p.ack === undefined) return undefined
    return seqMatch(p.ack, d.seen.ack, r.isn) ? undefined : `ack: expected ${seqShow(p.ack)} vs actual ${relText(d.seen.ack, r.isn)}`
  },
  (p, d) => p.win === undefined || p.win === d.seen.win ? undefined : `win: expected ${p.win} vs actual ${d.seen.win}`,
  (p, d) => p.len === undefined || p.len === d.seen.len ? undefined : `len: expected ${p.len} vs actual ${d.seen.len}`,
  (p, d) => p.ttl === undefined || p.ttl === d.seen.ttl ? undefined
    : `${d.seen.ipVersion === 6 ? 'hlim' : 'ttl'}: expected ${p.ttl} vs actual ${d.seen.ttl}`,
  (p, d) => {
    const o = p.options
    if (o === undefined) return undefined
    if (o.mss !== undefined && o.mss !== d.seen.mss) return `mss: expected ${o.mss} vs actual ${d.seen.mss < 0 ? 'none' : d.seen.mss}`
    if (o.wscale !== undefined && o.wscale !== d.seen.wscale) return `wscale: expected ${o.wscale} vs actual ${d.seen.wscale < 0 ? 'none' : d.seen.wscale}`
    if (o.sackOk === true && !d.seen.sackOk) return 'sackOK: expected present vs actual absent'
    if (o.ts !== undefined && (o.ts[0] !== d.seen.tsVal || o.ts[1] !== d.seen.tsEcr)) {
      return `ts: expected ${o.ts[0]} ${o.ts[1]} vs actual ${d.seen.tsVal < 0 ? 'none' : `${d.seen.tsVal} ${d.seen.tsEcr}`}`
    }
    return undefined
  },
  (p, d) => p.macSrc === undefined || p.macSrc === d.seen.macSrc ? undefined : `mac-src: expected ${p.macSrc} vs actual ${d.seen.macSrc}`,
  (p, d) => p.macDst === undefined || p.macDst === d.seen.macDst ? undefined : `mac-dst: expected ${p.macDst} vs actual ${d.seen.macDst}`,
  (p, d) => p.ipId === undefined || (d.seen.ipVersion === 4 && p.ipId === d.seen.ipId) ? undefined
    : `ipid: expected ${p.ipId} vs actual ${d.seen.ipVersion === 4 ? d.seen.ipId : 'none (IPv6)'}`,
  (p, d) => p.df === undefined || (d.seen.ipVersion === 4 && p.df === d.seen.df) ? undefined
    : `df: expected ${p.df ? 'yes' : 'no'} vs actual ${d.seen.ipVersion === 4 ? (d.seen.df ? 'yes' : 'no') : 'none (IPv6)'}`,
  (p, d) => p.vlans === undefined || p.vlans.join(',') === d.seen.vlans.join(',') ? undefined
    : `vlan: expected ${vlanText(p.vlans)} vs actual ${vlanText(d.seen.vlans)}`,
  (p, d) => p.icmpId === undefined || p.icmpId === d.seen.icmpId ? undefined : `icmp id: expected ${p.icmpId} vs actual ${d.seen.icmpId}`,
  (p, d) => p.icmpSeq === undefined || p.icmpSeq === d.seen.icmpSeq ? undefined : `icmp seq: expected ${p.icmpSeq} vs actual ${d.seen.icmpSeq}`,
  (p, d, _r, ctx, hosts) => {
    const q = p.quote
    if (q === undefined) return undefined
    const a = d.seen.quote
    if (a === undefined) return 'quoted packet: expected one vs actual none'
    const name = (addr: string): string => ctx.hostOf(addr) ?? addr
    const want = (e: { host: string, port: number | undefined }): string => `${e.host}${e.port !== undefined ? ':' + String(e.port) : ''}`
    const srcOk = sameAddr(hosts(q.src.host) ?? '', a.src) && (q.src.port === undefined || q.src.port === a.sport)
    const dstOk = sameAddr(hosts(q.dst.host) ?? '', a.dst) && (q.dst.port === undefined || q.dst.port === a.dport)
    if (!srcOk || !dstOk) {
      return `quoted packet: expected ${want(q.src)} > ${want(q.dst)} vs actual ${name(a.src)}:${a.sport} > ${name(a.dst)}:${a.dport}`
    }
    const pn = a.proto === IPPROTO_TCP ? 'tcp' : a.proto === IPPROTO_UDP ? 'udp' : (a.proto === IPPROTO_ICMP || a.proto === IPPROTO_ICMPV6) ? 'icmp' : `proto ${a.proto}`
    if (q.proto !== undefined && q.proto !== pn) return `quoted packet protocol: expected ${q.proto} vs actual ${pn}`
    if (q.seq !== undefined && !seqMatch(q.seq, a.seq, ctx.isnOf(a.src) ?? 0)) {
      return `quoted packet seq: expected ${seqShow(q.seq)} vs actual ${relText(a.seq, ctx.isnOf(a.src))}`
    }
    return undefined
  },
]

/** ` vlan 100` / ` vlan 100,200` for a tagged frame; '' when untagged (so untagged ladders read as before). */
function vlanSuffix (p: Seen): string {
  return p.vlans.length === 0 ? '' : ` vlan ${p.vlans.join(',')}`
}

function vlanText (v: number[]): string {
  return v.length === 0 ? 'none' : v.join(',')
}

/**
 * Check one delivered packet against a pattern; undefined when it matches, else
 * `field: expected X vs actual Y` for the first field that differs.
 */
export function checkPattern (p: PacketPattern, d: { seen: Seen, forged: boolean }, receiver: HostDecl, ctx: SeqCtx & { addrOf?: (name: string) => string | undefined }): string | undefined {
  const hosts = ctx.addrOf ?? ((): undefined => undefined)
  for (const v of VERIFIERS) {
    const r = v(p, d, receiver, ctx, hosts)
    if (r !== undefined) return r
  }
  return undefined
}
