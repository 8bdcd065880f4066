/**
 * Seed frames for the decode fuzz test and property tests: frames built with `buildFrame` covering
 * every codec path, IPv6 extension chains, fragments, ARP and opaque EtherTypes, plus every frame of
 * the shared captures (read with the local test reader).
 */
import { buildFrame } from '../../src/wire/build.js'
import { emitArp, ArpPacket, ARP_LEN } from '../../src/wire/arp.js'
import { emitIpv6, Ipv6Packet, ipv6FragmentBody, ipv6HeaderLen, type Ipv6Repr } from '../../src/wire/ipv6.js'
import { emitTcp, TcpPacket, tcpHeaderLen, type TcpRepr } from '../../src/wire/tcp.js'
import { parseIp, parseMac } from '../../src/wire/addr.js'
import { allSharedFrames } from './captures.js'

export interface SeedFrame { name: string, linkType: number, data: Buffer }

const A4 = '198.18.0.1'
const B4 = '198.18.1.2'
const A6 = '2001:db8::1'
const B6 = '2001:db8:1::2'

/** An Ethernet frame carrying IPv6 with the given extension headers and a TCP SYN. */
export function ipv6WithExt (ext: Ipv6Repr['extHeaders']): Buffer {
  const tcp: TcpRepr = { srcPort: 40000, dstPort: 80, seq: 1, ack: 0, flags: 0x02, window: 1024, urgent: 0, options: { mss: 1440 }, payloadLen: 0 }
  const ip: Ipv6Repr = {
    src: parseIp(A6)!, dst: parseIp(B6)!, trafficClass: 0, flowLabel: 0, hopLimit: 64,
    extHeaders: ext, upperProtocol: 6, payloadLen: tcpHeaderLen(tcp),
  }
  const f = Buffer.alloc(14 + ipv6HeaderLen(ip) + tcpHeaderLen(tcp))
  f.set(parseMac('02:00:00:00:00:02')!, 0); f.set(parseMac('02:00:00:00:00:01')!, 6); f.writeUInt16BE(0x86dd, 12)
  emitIpv6(ip, Ipv6Packet.unchecked(f.subarray(14)))
  emitTcp(tcp, TcpPacket.unchecked(f.subarray(14 + ipv6HeaderLen(ip))), { src: ip.src, dst: ip.dst })
  return f
}

export function arpRequest (): Buffer {
  const f = Buffer.alloc(14 + ARP_LEN)
  f.fill(0xff, 0, 6); f.set(parseMac('02:00:00:00:00:01')!, 6); f.writeUInt16BE(0x0806, 12)
  emitArp({ operation: 1, senderMac: parseMac('02:00:00:00:00:01')!, senderIp: parseIp(A4)!, targetMac: new Uint8Array(6), targetIp: parseIp(B4)! },
    ArpPacket.unchecked(f.subarray(14)))
  return f
}

export function builtSeeds (): SeedFrame[] {
  const opts = { mss: 1460, sackPermitted: true, ts: [123, 456] as [number, number], wscale: 7 }
  const out: SeedFrame[] = []
  const add = (name: string, data: Buffer, linkType = 1): void => { out.push({ name, linkType, data }) }
  for (const [v, s, d] of [['4', A4, B4], ['6', A6, B6]] as const) {
    add(`v${v} syn`, buildFrame({ src: s, dst: d, tcp: { sport: 40000, dport: 443, seq: 1, flags: 'S', window: 64240, options: opts } }))
    add(`v${v} syn-ack vlan`, buildFrame({ vlans: [10], src: d, dst: s, tcp: { sport: 443, dport: 40000, seq: 9, ack: 2, flags: 'S.', options: opts } }))
    add(`v${v} data qinq`, buildFrame({ vlans: [10, 20], src: s, dst: d, tcp: { sport: 1, dport: 2, seq: 5, ack: 6, flags: 'P.', options: { ts: [1, 2], sack: [[1, 2], [3, 4], [5, 6]] } }, payload: 'GET / HTTP/1.1\r\n\r\n' }))
    add(`v${v} rst`, buildFrame({ src: s, dst: d, tcp: { sport: 1, dport: 2, seq: 5, ack: 6, flags: 'R.' }, pad: true }))
    add(`v${v} mptcp+unknown`, buildFrame({ src: s, dst: d, tcp: { sport: 1, dport: 2, flags: 'S', options: { mptcp: [Uint8Array.of(0, 0x81, 1, 2, 3, 4, 5, 6, 7, 8)], unknown: [{ kind: 99, data: Uint8Array.of(1, 2) }] } } }))
    add(`v${v} udp`, buildFrame({ src: s, dst: d, udp: { sport: 53, dport: 5353 }, payload: 40 }))
    add(`v${v} udp raw`, buildFrame({ link: 'raw', src: s, dst: d, udp: { sport: 53, dport: 5353 }, payload: 4 }), 101)
    add(`v${v} tcp raw`, buildFrame({ link: 'raw', src: s, dst: d, tcp: { sport: 1, dport: 2, flags: 'F.', options: opts } }), 101)
    add(`v${v} echo`, buildFrame({ src: s, dst: d, icmp: { type: v === '4' ? 8 : 128, code: 0, id: 7, seqNo: 1 }, payload: 56 }))
    add(`v${v} opaque proto`, buildFrame({ src: s, dst: d, proto: 47, payload: 24 }))
  }
  const syn4 = buildFrame({ src: A4, dst: B4, tcp: { sport: 1234, dport: 80, flags: 'S', options: opts } })
  add('icmp4 unreachable quoting syn', buildFrame({ src: '198.18.1.254', dst: A4, icmp: { type: 3, code: 13 }, payload: syn4.subarray(14) }))
  const syn6 = buildFrame({ src: A6, dst: B6, tcp: { sport: 1234, dport: 80, flags: 'S', options: opts } })
  add('icmp6 unreachable quoting syn', buildFrame({ src: '2001:db8::fe', dst: A6, icmp: { type: 1, code: 1 }, payload: syn6.subarray(14) }))
  add('v6 hop-by-hop + dest opts', ipv6WithExt([{ type: 0, body: new Uint8Array(6) }, { type: 60, body: new Uint8Array(14) }]))
  add('v6 routing + fragment first', ipv6WithExt([{ type: 43, body: new Uint8Array(22) }, { type: 44, body: ipv6FragmentBody(0, true, 0x1234) }]))
  add('v6 fragment later', ipv6WithExt([{ type: 44, body: ipv6FragmentBody(1232, false, 0x1234) }]))
  const frag = Buffer.from(syn4); frag.writeUInt16BE(0x2000, 14 + 6) // MF, offset 0
  add('v4 first fragment', frag)
  const frag2 = Buffer.from(syn4); frag2.writeUInt16BE(0x0003, 14 + 6) // offset 24
  add('v4 later fragment', frag2)
  add('arp request', arpRequest())
  const lldp = Buffer.alloc(60); lldp.writeUInt16BE(0x88cc, 12)
  add('lldp opaque', lldp)
  // Other link types around the same packets.
  const ip4 = syn4.subarray(14)
  const ip6 = syn6.subarray(14)
  const sll = Buffer.alloc(16); sll.writeUInt16BE(0x0800, 14)
  add('sll v4', Buffer.concat([sll, ip4]), 113)
  const sll2 = Buffer.alloc(20); sll2.writeUInt16BE(0x86dd, 0)
  add('sll2 v6', Buffer.concat([sll2, ip6]), 276)
  add('null le v4', Buffer.concat([Buffer.from([2, 0, 0, 0]), ip4]), 0)
  add('null be v6', Buffer.concat([Buffer.from([0, 0, 0, 30]), ip6]), 0)
  add('null le v6 24', Buffer.concat([Buffer.from([24, 0, 0, 0]), ip6]), 0)
  return out
}

export function allSeeds (): SeedFrame[] {
  return [
    ...builtSeeds(),
    ...allSharedFrames().map(f => ({ name: `${f.file}#${f.index + 1}`, linkType: f.linkType, data: f.data })),
  ]
}
