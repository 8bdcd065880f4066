import t from 'tap'
import { EthernetFrame, parseEthernet, emitEthernet, ethernetHeaderLen, type EthernetRepr } from '../../src/wire/ethernet.js'
import { ArpPacket, parseArp, emitArp, ARP_LEN, type ArpRepr } from '../../src/wire/arp.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { formatSummary } from '../../src/wire/format.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { parseIp, parseMac } from '../../src/wire/addr.js'
import { hex, roundTrip } from './roundtrip.js'

// zeek vlan-pcp-dei.pcapng frame 1 — tcpdump -en:
// 16:4b:df:50:b2:93 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 62: vlan 10, p 7, ethertype 802.1Q (0x8100),
//   vlan 20, p 5, DEI, ethertype IPv4 (0x0800), 192.168.1.100.12345 > 192.168.1.200.80: Flags [S], seq 1000, win 8192, length 0
const QINQ = hex(`
  ffffffffffff 164bdf50b293     # dst broadcast, src
  8100 e00a                     # tag: PCP 7, VID 10
  8100 b014                     # tag: PCP 5, DEI, VID 20
  0800                          # IPv4
  4500 0028 0001 0000 4006 f652 c0a80164 c0a801c8
  3039 0050 000003e8 00000000 5002 2000 d6f4 0000
`)

// nDPI tcp_scan.pcapng frame 1 — tcpdump -n: ARP, Request who-has 192.168.1.151 tell 192.168.1.2, length 46
const ARP_REQ = hex(`
  ffffffffffff 00808f9aaebd 0806   # Ethernet, ARP
  0001 0800 06 04 0001             # Ethernet/IPv4, request
  00808f9aaebd c0a80102            # sender MAC, 192.168.1.2
  000000000000 c0a80197            # target MAC, 192.168.1.151
  000000000000000000000000000000000000   # padding to 60
`)

t.test('QinQ fixture (two 0x8100 tags, PCP and DEI)', async t => {
  const p = EthernetFrame.checked(QINQ)
  const r = parseEthernet(p)
  t.same(r, {
    dst: parseMac('ff:ff:ff:ff:ff:ff'), src: parseMac('16:4b:df:50:b2:93'),
    vlans: [{ tpid: 0x8100, tci: 0xe00a }, { tpid: 0x8100, tci: 0xb014 }], etherType: 0x0800,
  })
  t.equal(p.headerLen, 22)
  const out = Buffer.alloc(22)
  emitEthernet(r, EthernetFrame.unchecked(out))
  t.same(out, QINQ.subarray(0, 22))
  const s = decodeFrame(QINQ, 1, new FrameSummary())
  t.equal(s.vlanCount, 2); t.equal(s.vlanTci0 & 0xfff, 10); t.equal(s.vlanTci0 >> 13, 7); t.equal(s.vlanTci1 & 0xfff, 20); t.equal((s.vlanTci1 >> 12) & 1, 1)
  t.equal(s.l3Off, 22); t.equal(s.srcPort, 12345)
  t.equal(formatSummary(s), 'vlan 10, vlan 20, IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [S], seq 1000, win 8192, length 0')
})

t.test('ethernet round trips', async t => {
  const codec = {
    len: (r: EthernetRepr) => ethernetHeaderLen(r),
    emit: (r: EthernetRepr, b: Buffer) => emitEthernet(r, EthernetFrame.unchecked(b)),
    parse: (b: Buffer) => parseEthernet(EthernetFrame.checked(b)),
  }
  const base: EthernetRepr = { dst: parseMac('02:00:00:00:00:02')!, src: parseMac('02:00:00:00:00:01')!, vlans: [], etherType: 0x86dd }
  roundTrip(t, 'untagged', codec, base)
  roundTrip(t, '802.1Q', codec, { ...base, vlans: [{ tpid: 0x8100, tci: 4095 }] })
  roundTrip(t, '802.1ad QinQ', codec, { ...base, vlans: [{ tpid: 0x88a8, tci: 100 }, { tpid: 0x8100, tci: 200 }] })
  roundTrip(t, 'opaque EtherType', codec, { ...base, etherType: 0x88cc })
})

t.test('ethernet checked view', async t => {
  t.throws(() => EthernetFrame.checked(Buffer.alloc(13)), { code: 'RSTLAB_ERR_TRUNCATED' })
  t.throws(() => EthernetFrame.checked(QINQ.subarray(0, 19)), { code: 'RSTLAB_ERR_TRUNCATED' }, 'second tag cut')
  const three = Buffer.from(QINQ); three.writeUInt16BE(0x8100, 20)
  t.throws(() => EthernetFrame.checked(three), { code: 'RSTLAB_ERR_MALFORMED' }, 'third tag')
  t.throws(() => emitEthernet({ dst: new Uint8Array(6), src: new Uint8Array(6), vlans: [{ tpid: 0x0800, tci: 1 }], etherType: 0 }, EthernetFrame.unchecked(Buffer.alloc(18))), { code: 'RSTLAB_ERR_MALFORMED' })
})

t.test('ARP fixture, round trip and decode/format', async t => {
  const r = parseArp(ArpPacket.checked(ARP_REQ.subarray(14)))
  t.same(r, { operation: 1, senderMac: parseMac('00:80:8f:9a:ae:bd'), senderIp: parseIp('192.168.1.2'), targetMac: new Uint8Array(6), targetIp: parseIp('192.168.1.151') })
  const codec = {
    len: (_r: ArpRepr) => ARP_LEN,
    emit: (x: ArpRepr, b: Buffer) => emitArp(x, ArpPacket.unchecked(b)),
    parse: (b: Buffer) => parseArp(ArpPacket.checked(b)),
  }
  const out = roundTrip(t, 'arp request', codec, r)
  t.same(out, ARP_REQ.subarray(14, 42))
  const s = decodeFrame(ARP_REQ, 1, new FrameSummary())
  t.equal(s.error, 0); t.equal(s.etherType, 0x0806); t.equal(s.l3Off, -1); t.equal(s.payloadOff, 14); t.equal(s.payloadLen, 46)
  t.equal(formatSummary(s), 'ARP, Request who-has 192.168.1.151 tell 192.168.1.2, length 28')
  t.throws(() => ArpPacket.checked(ARP_REQ.subarray(14, 41)), { code: 'RSTLAB_ERR_TRUNCATED' })
  const x = Buffer.from(ARP_REQ.subarray(14)); x[4] = 8
  t.throws(() => ArpPacket.checked(x), { code: 'RSTLAB_ERR_MALFORMED' })
})
