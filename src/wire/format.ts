/**
 * One tcpdump-like text line per decoded frame, for `rstlab decode`, traces and test output.
 * Allocates strings freely: this is the human edge, not the forwarding path.
 *
 * Shape (close to `tcpdump -n -S` with a compact `-v` IP part):
 *   12:00:00.000001 vlan 100 IP (ttl 64, id 0, DF) 198.18.0.1.40000 > 198.18.1.2.443: Flags [S], seq 7, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
 * Sequence numbers are absolute (tcpdump -S), `seq a:b` when there is payload, `ack` only with ACK.
 * A decode error is appended as `[decode error <name> at <offset>]` after whatever decoded.
 */
import { formatIp, formatMac } from './addr.js'
import { formatTcpFlags } from './build.js'
import { ETHERTYPE_ARP, wirePayloadLen } from './decode.js'
import { DECODE_CODE_NAMES, DecodeCode, FrameSummary, TcpFlag } from './summary.js'

import { readU32 as u32 } from './view.js'

function u16 (f: Buffer, o: number): number { return (f[o]! << 8) | f[o + 1]! }

/** `HH:MM:SS.uuuuuu` in UTC (deterministic across machines, unlike tcpdump's local time). */
export function formatTimeUs (tsUs: number): string {
  const secs = Math.floor(tsUs / 1e6)
  const us = tsUs - secs * 1e6
  const d = secs % 86400
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return `${p2(Math.floor(d / 3600))}:${p2(Math.floor(d / 60) % 60)}:${p2(d % 60)}.${String(us).padStart(6, '0')}`
}

/**
 * TCP options in wire order, tcpdump spelling: `mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7`,
 * `sack 2 {a:b}{c:d}`, `mptcp`, unknown kinds as `unknown-<kind> <hex>`, damage as `bad opt`.
 */
export function formatTcpOptions (f: Buffer, start: number, end: number): string {
  const parts: string[] = []
  let i = start
  while (i < end) {
    const kind = f[i]!
    if (kind === 0) { parts.push('eol'); break }
    if (kind === 1) { parts.push('nop'); i++; continue }
    if (i + 1 >= end) { parts.push('bad opt'); break }
    const len = f[i + 1]!
    if (len < 2 || i + len > end) { parts.push('bad opt'); break }
    switch (kind) {
      case 2: parts.push(len === 4 ? `mss ${u16(f, i + 2)}` : `mss [bad length ${len}]`); break
      case 3: parts.push(len === 3 ? `wscale ${f[i + 2]!}` : `wscale [bad length ${len}]`); break
      case 4: parts.push(len === 2 ? 'sackOK' : `sackOK [bad length ${len}]`); break
      case 5: {
        if (len === 2 || (len - 2) % 8 !== 0) { parts.push(`sack [bad length ${len}]`); break }
        let t = `sack ${(len - 2) >> 3} `
        for (let b = i + 2; b + 8 <= i + len; b += 8) t += `{${u32(f, b)}:${u32(f, b + 4)}}`
        parts.push(t.trimEnd())
        break
      }
      case 8: parts.push(len === 10 ? `TS val ${u32(f, i + 2)} ecr ${u32(f, i + 6)}` : `TS [bad length ${len}]`); break
      case 30: parts.push('mptcp'); break
      default: parts.push(`unknown-${kind} ${f.subarray(i + 2, i + len).toString('hex')}`.trimEnd())
    }
    i += len
  }
  return parts.join(',')
}

const ICMP4_UNREACH: Record<number, string> = {
  0: 'net %h unreachable', 1: 'host %h unreachable', 2: '%h protocol %p unreachable', 3: '%h %t port %d unreachable',
  4: '%h unreachable - need to frag', 5: '%h unreachable - source route failed', 6: '%h unreachable - net unknown',
  7: '%h unreachable - host unknown', 9: 'net %h unreachable - admin prohibited', 10: 'host %h unreachable - admin prohibited',
  13: 'host %h unreachable - admin prohibited filter',
}
const ICMP4_TYPES: Record<number, string> = {
  0: 'echo reply', 4: 'source quench', 5: 'redirect', 8: 'echo request', 11: 'time exceeded in-transit',
  12: 'parameter problem', 13: 'time stamp request', 14: 'time stamp reply',
}
const ICMP6_TYPES: Record<number, string> = {
  1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded in-transit', 4: 'parameter problem',
  128: 'echo request', 129: 'echo reply', 133: 'router solicitation', 134: 'router advertisement',
  135: 'neighbor solicitation', 136: 'neighbor advertisement', 137: 'redirect', 143: 'multicast listener report v2',
}
const ICMP6_UNREACH: Record<number, string> = {
  0: 'unreachable route', 1: 'unreachable prohibited', 2: 'beyond scope', 3: 'unreachable address', 4: 'unreachable port',
  5: 'source address failed policy', 6: 'reject route',
}

/** Inner (quoted) packet of an ICMP error: destination text, protocol, destination port if any. */
function quoted (s: FrameSummary): { dst: string, proto: number, dport: number } | undefined {
  const f = s.frame
  const o = s.icmpInnerOff
  if (o < 0) return undefined
  const v = f[o]! >> 4
  if (v === 4 && o + 20 <= f.length) {
    const ihl = (f[o]! & 15) * 4
    const proto = f[o + 9]!
    const dport = ihl >= 20 && o + ihl + 4 <= f.length ? u16(f, o + ihl + 2) : -1
    return { dst: formatIp(f, o + 16, 4), proto, dport }
  }
  if (v === 6 && o + 40 <= f.length) {
    const proto = f[o + 6]!
    const dport = o + 44 <= f.length ? u16(f, o + 42) : -1
    return { dst: formatIp(f, o + 24, 16), proto, dport }
  }
  return undefined
}

function protoName (p: number): string {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : p === 58 ? 'icmp6' : `ip-proto-${p}`
}

function formatIcmp (s: FrameSummary): string {
  const f = s.frame
  const t = s.icmpType
  const c = s.icmpCode
  const len = s.ipLen - s.l3HeaderLen
  if (s.proto === 1) {
    if (t === 0 || t === 8) return `ICMP ${ICMP4_TYPES[t]}, id ${u16(f, s.l4Off + 4)}, seq ${u16(f, s.l4Off + 6)}, length ${len}`
    if (t === 3) {
      const q = quoted(s)
      const tpl = ICMP4_UNREACH[c] ?? `%h unreachable - code ${c}`
      const text = tpl.replace('%h', q?.dst ?? '?').replace('%p', String(q?.proto ?? '?'))
        .replace('%t', protoName(q?.proto ?? 0)).replace('%d', String(q?.dport ?? '?'))
      return `ICMP ${text}, length ${len}`
    }
    return `ICMP ${ICMP4_TYPES[t] ?? `type-#${t}`}${c !== 0 ? ` code ${c}` : ''}, length ${len}`
  }
  const name = ICMP6_TYPES[t] ?? `type-#${t}`
  if (t === 128 || t === 129) return `ICMP6, ${name}, id ${u16(f, s.l4Off + 4)}, seq ${u16(f, s.l4Off + 6)}, length ${len}`
  if (t === 1) {
    const q = quoted(s)
    return `ICMP6, ${name}, ${ICMP6_UNREACH[c] ?? `code ${c}`} ${q?.dst ?? '?'}, length ${len}`
  }
  if ((t === 135 || t === 136) && s.l4Off + 24 <= Math.min(s.l3Off + s.ipLen, f.length)) {
    const target = formatIp(f, s.l4Off + 8, 16)
    return `ICMP6, ${name}, ${t === 135 ? 'who has' : 'tgt is'} ${target}, length ${len}`
  }
  return `ICMP6, ${name}${c !== 0 ? ` code ${c}` : ''}, length ${len}`
}

function formatTcp (s: FrameSummary): string {
  const f = s.frame
  const fl = s.tcpFlags
  let t = `Flags [${formatTcpFlags(fl)}]`
  if (s.l4HeaderLen === 0) return t // bad data offset: header fields only
  // Length as the packet claims it (tcpdump too): differs from captured bytes in snaplen-cut captures.
  const len = s.isFragment ? s.payloadLen : wirePayloadLen(s)
  t += len > 0 ? `, seq ${s.seq}:${(s.seq + len) >>> 0}` : `, seq ${s.seq}`
  if ((fl & TcpFlag.ACK) !== 0) t += `, ack ${s.ack}`
  t += `, win ${s.window}`
  if ((fl & TcpFlag.URG) !== 0) t += `, urg ${u16(f, s.l4Off + 18)}`
  // Clamp to the frame: a capture cut inside the header leaves l4HeaderLen beyond the bytes.
  const optEnd = Math.min(s.l4Off + s.l4HeaderLen, f.length)
  if (s.l4HeaderLen > 20) t += `, options [${formatTcpOptions(f, s.l4Off + 20, optEnd)}${optEnd < s.l4Off + s.l4HeaderLen ? ',[|tcp]' : ''}]`
  t += `, length ${len}`
  return t
}

function formatArp (s: FrameSummary): string {
  const f = s.frame
  const o = s.payloadOff
  if (o < 0 || s.payloadLen < 8) return `ARP, truncated, length ${s.payloadLen}`
  const htype = u16(f, o); const ptype = u16(f, o + 2); const hlen = f[o + 4]!; const plen = f[o + 5]!; const op = u16(f, o + 6)
  const need = 8 + 2 * hlen + 2 * plen
  if (htype !== 1 || ptype !== 0x0800 || hlen !== 6 || plen !== 4 || s.payloadLen < need) {
    return `ARP, hardware ${htype}, protocol 0x${ptype.toString(16).padStart(4, '0')}, op ${op}, length ${s.payloadLen}`
  }
  const sha = formatMac(f, o + 8); const spa = formatIp(f, o + 14, 4); const tpa = formatIp(f, o + 24, 4)
  if (op === 1) return `ARP, Request who-has ${tpa} tell ${spa}, length ${need}`
  if (op === 2) return `ARP, Reply ${spa} is-at ${sha}, length ${need}`
  return `ARP, op ${op}, length ${need}`
}

/** One line describing the frame in `s` (as filled by `decodeFrame`); `tsUs` prefixes a UTC time. */
export function formatSummary (s: FrameSummary, tsUs?: number): string {
  const parts: string[] = []
  if (tsUs !== undefined) parts.push(formatTimeUs(tsUs))
  if (s.vlanCount > 0) parts.push(`vlan ${s.vlanTci0 & 0xfff}${s.vlanCount > 1 ? `, vlan ${s.vlanTci1 & 0xfff}` : ''},`)
  parts.push(body(s))
  if (s.error !== DecodeCode.OK) parts.push(`[decode error ${DECODE_CODE_NAMES[s.error] ?? `code-${s.error}`} at ${s.errorOffset}]`)
  return parts.join(' ')
}

function body (s: FrameSummary): string {
  const f = s.frame
  if (s.l3Off < 0) {
    if (s.error === DecodeCode.L2_TRUNCATED || s.error === DecodeCode.UNSUPPORTED_LINK) return `link ${s.linkType}, length ${f.length}`
    if (s.error !== DecodeCode.OK) return `ethertype 0x${s.etherType.toString(16).padStart(4, '0')}, length ${f.length}`
    if (s.etherType === ETHERTYPE_ARP) return formatArp(s)
    if (s.etherType < 0x0600 && s.ethOff >= 0) return `802.3, length ${s.etherType}`
    return `ethertype 0x${s.etherType.toString(16).padStart(4, '0')}, length ${f.length}`
  }
  const v4 = s.ipVersion === 4
  const ipInfo: string[] = [v4 ? `ttl ${s.ttl}` : `hlim ${s.ttl}`]
  if (v4) { ipInfo.push(`id ${s.ipId}`); if (s.df) ipInfo.push('DF') }
  if (s.isFragment) {
    const more = v4 ? (f[s.l3Off + 6]! & 0x20) !== 0 : true
    ipInfo.push(`frag ${s.ipId}@${s.fragOffset}${v4 && more ? '+' : ''}`)
  }
  const head = `${v4 ? 'IP' : 'IP6'} (${ipInfo.join(', ')})`
  if (s.srcOff < 0) return head
  const src = formatIp(f, s.srcOff, s.addrLen)
  const dst = formatIp(f, s.dstOff, s.addrLen)
  const hasPorts = s.l4Off >= 0 && (s.proto === 6 || s.proto === 17)
  const ends = hasPorts ? `${src}.${s.srcPort} > ${dst}.${s.dstPort}` : `${src} > ${dst}`
  if (s.error !== DecodeCode.OK && s.l4Off < 0) return `${head} ${ends}: ${protoName(s.proto)}`
  if (s.fragOffset !== 0) return `${head} ${ends}: ${protoName(s.proto)}, length ${s.payloadLen}`
  let l4: string
  if (s.proto === 6) l4 = formatTcp(s)
  else if (s.proto === 17) l4 = `UDP, length ${s.payloadLen}`
  else if (s.icmpType >= 0) l4 = formatIcmp(s)
  else l4 = `${protoName(s.proto)}, length ${s.payloadLen}`
  return `${head} ${ends}: ${l4}`
}
