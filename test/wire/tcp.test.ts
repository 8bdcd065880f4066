import t from 'tap'
import { TcpPacket, parseTcp, emitTcp, tcpHeaderLen, parseTcpOptions, encodeTcpOptions, type TcpRepr } from '../../src/wire/tcp.js'
import { Ipv4Packet } from '../../src/wire/ipv4.js'
import { TcpFlag } from '../../src/wire/summary.js'
import { parseIp } from '../../src/wire/addr.js'
import { hex, roundTrip } from './roundtrip.js'

// zeek tcp/options.pcap frame 1 — tcpdump -n:
// IP 192.168.1.102.36861 > 193.1.193.64.80: Flags [S], seq 3750886907, win 5840,
//   options [mss 1460,sackOK,TS val 4294923497 ecr 0,nop,wscale 6], length 0
const SYN = hex(`
  0019e3e75d23 000bdb6358a6 0800                     # Ethernet: dst, src, IPv4
  45 00 003c a912 4000 40 06 4d59 c0a80166 c101c140  # IPv4: ihl 5, len 60, id 43282, DF, ttl 64, TCP
  8ffd 0050                                          # TCP ports 36861 > 80
  df91fdfb 00000000                                  # seq 3750886907, ack 0
  a0 02 16d0 2a1c 0000                               # doff 10 (40 bytes), SYN, win 5840, csum, urg
  0204 05b4                                          # mss 1460
  0402                                               # sackOK
  080a ffff54e9 00000000                             # TS val 4294923497 ecr 0
  01                                                 # nop
  030306                                             # wscale 6
`)

const ctxOf = (frame: Buffer): { src: Uint8Array, dst: Uint8Array } => {
  const ip = Ipv4Packet.checked(frame.subarray(14))
  return { src: ip.src, dst: ip.dst }
}

t.test('parse the real SYN fixture', async t => {
  const seg = SYN.subarray(34)
  const p = TcpPacket.checked(seg)
  const r = parseTcp(p, ctxOf(SYN))
  t.same(r, {
    srcPort: 36861, dstPort: 80, seq: 3750886907, ack: 0, flags: TcpFlag.SYN, window: 5840, urgent: 0,
    options: { mss: 1460, sackPermitted: true, ts: [4294923497, 0], wscale: 6 }, payloadLen: 0,
  })
  t.equal(p.headerLen, 40)
  t.equal(tcpHeaderLen(r), 40)
  // Our Linux-like option layout reproduces the capture byte for byte, checksum included.
  const out = Buffer.alloc(40)
  emitTcp(r, TcpPacket.unchecked(out), ctxOf(SYN))
  t.same(out, seg, 'emit reproduces the captured segment exactly')
})

t.test('round trips', async t => {
  const ctx = { src: parseIp('2001:db8::1')!, dst: parseIp('2001:db8::2')! }
  const codec = {
    len: (r: TcpRepr) => tcpHeaderLen(r) + r.payloadLen,
    emit: (r: TcpRepr, b: Buffer) => emitTcp(r, TcpPacket.unchecked(b), ctx),
    parse: (b: Buffer) => parseTcp(TcpPacket.checked(b), ctx),
  }
  const base: TcpRepr = { srcPort: 1, dstPort: 65535, seq: 0xffffffff, ack: 0x80000000, flags: TcpFlag.ACK | TcpFlag.PSH, window: 65535, urgent: 0, options: {}, payloadLen: 0 }
  roundTrip(t, 'bare ACK', codec, base)
  roundTrip(t, 'all options', codec, { ...base, flags: 0x1ff, urgent: 7, options: { mss: 536, sackPermitted: true, ts: [1, 0xffffffff], wscale: 14 } })
  roundTrip(t, 'SACK blocks', codec, { ...base, options: { ts: [5, 6], sack: [[1, 2], [0xfffffff0, 0x10], [7, 8]] } })
  roundTrip(t, 'MPTCP + unknown kept as bytes', codec, { ...base, options: { mptcp: [Uint8Array.of(0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8)], unknown: [{ kind: 254, data: Uint8Array.of(0xf9, 0x89) }] } })
})

t.test('NS/AE flag lives in byte 12', async t => {
  const b = Buffer.alloc(20)
  emitTcp({ srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: TcpFlag.NS | TcpFlag.SYN, window: 0, urgent: 0, options: {}, payloadLen: 0 }, TcpPacket.unchecked(b))
  t.equal(b[12], 0x51); t.equal(b[13], 0x02)
  t.equal(TcpPacket.checked(b).flags, TcpFlag.NS | TcpFlag.SYN)
})

t.test('checked view and option parser reject malformed input', async t => {
  t.throws(() => TcpPacket.checked(Buffer.alloc(19)), { code: 'RSTLAB_ERR_TRUNCATED' })
  const b = Buffer.from(SYN.subarray(34))
  b[12] = 0x40
  t.throws(() => TcpPacket.checked(b), { code: 'RSTLAB_ERR_MALFORMED' }, 'data offset 4')
  b[12] = 0xf0
  t.throws(() => TcpPacket.checked(b), { code: 'RSTLAB_ERR_TRUNCATED' }, 'data offset beyond the segment')
  t.throws(() => parseTcpOptions(Uint8Array.of(2, 4, 5), 0, 3), { code: 'RSTLAB_ERR_MALFORMED' }, 'mss runs past the end')
  t.throws(() => parseTcpOptions(Uint8Array.of(2, 3, 5, 0), 0, 4), { code: 'RSTLAB_ERR_MALFORMED' }, 'mss length 3')
  t.throws(() => parseTcpOptions(Uint8Array.of(5, 2, 1, 1), 0, 4), { code: 'RSTLAB_ERR_MALFORMED' }, 'empty SACK')
  t.throws(() => parseTcpOptions(Uint8Array.of(99, 0, 1, 1), 0, 4), { code: 'RSTLAB_ERR_MALFORMED' }, 'length 0')
  t.throws(() => parseTcpOptions(Uint8Array.of(1, 1, 1, 8), 0, 4), { code: 'RSTLAB_ERR_MALFORMED' }, 'kind without length byte')
  t.same(parseTcpOptions(Uint8Array.of(1, 0, 2, 4), 0, 4), {}, 'EOL ends the list')
  t.throws(() => parseTcp(TcpPacket.checked(Buffer.from(SYN.subarray(34))), { src: parseIp('1.1.1.1')!, dst: parseIp('2.2.2.2')! }), { code: 'RSTLAB_ERR_MALFORMED' }, 'wrong pseudo-header → bad checksum')
  t.throws(() => encodeTcpOptions({ ts: [1, 2], sack: [[1, 2], [3, 4], [5, 6], [7, 8]] }), { code: 'RSTLAB_ERR_MALFORMED' }, 'over 40 bytes')
})

t.test('incremental rewrites keep the checksum valid', async t => {
  const seg = Buffer.from(SYN.subarray(34))
  const p = TcpPacket.checked(seg)
  const ctx = ctxOf(SYN)
  p.setSeqWithChecksumUpdate(0xfffffff0)
  p.setAckWithChecksumUpdate(12345)
  p.setWindowWithChecksumUpdate(0)
  t.ok(p.verifyChecksum(ctx))
  t.equal(p.seq, 0xfffffff0); t.equal(p.ack, 12345); t.equal(p.window, 0)
})
