import t from 'tap'
import { Icmpv4Packet, parseIcmpv4, emitIcmpv4, isIcmp4Error, type Icmpv4Repr } from '../../src/wire/icmpv4.js'
import { Icmpv6Packet, parseIcmpv6, emitIcmpv6, isIcmp6Error, type Icmpv6Repr } from '../../src/wire/icmpv6.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { parseIp } from '../../src/wire/addr.js'
import { PCAP_DIR } from '../helpers/shared.js'
import { readCapture } from './captures.js'
import { hex, roundTrip } from './roundtrip.js'
import path from 'node:path'
import { existsSync } from 'node:fs'

// zeek communityid/icmp6.pcap — tcpdump -n:
// IP6 3ffe:501:410:0:2c0:dfff:fe47:33e > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, destination unreachable,
//   unreachable port, 3ffe:501:410:0:2c0:dfff:fe47:33e udp port 33444, length 68
const UNREACH6 = hex(`
  0000860580da 0060970769ea 86dd                 # Ethernet
  6000 0000 0044 3a 3d                           # IPv6: payload 68, ICMPv6, hlim 61
  3ffe 0501 0410 0000 02c0 dfff fe47 033e        # src
  3ffe 0507 0000 0001 0200 86ff fe05 80da        # dst
  01 04 1352 00000000                            # ICMPv6 type 1 code 4 (port unreachable), checksum, unused
  6000 0000 0014 11 01                           # quoted IPv6: payload 20, UDP, hlim 1
  3ffe 0507 0000 0001 0200 86ff fe05 80da
  3ffe 0501 0410 0000 02c0 dfff fe47 033e
  a075 82a4 0014 cf47                            # quoted UDP 41077 > 33444
  0a04 0000 f9c8 e736 9d25 0b00                  # data
`)

t.test('ICMPv6 unreachable fixture: parse, verify, re-emit, decode', async t => {
  const msg = UNREACH6.subarray(54)
  const ctx = { src: UNREACH6.subarray(22, 38), dst: UNREACH6.subarray(38, 54) }
  const r = parseIcmpv6(Icmpv6Packet.checked(msg), ctx)
  t.same(r, { type: 1, code: 4, rest: 0, payloadLen: 60 })
  t.ok(isIcmp6Error(r.type))
  const out = Buffer.from(msg); out.fill(0, 0, 8)
  emitIcmpv6(r, Icmpv6Packet.unchecked(out), ctx)
  t.same(out, msg, 'checksum reproduced')
  const s = decodeFrame(UNREACH6, 1, new FrameSummary())
  t.equal(s.error, 0); t.equal(s.icmpType, 1); t.equal(s.icmpCode, 4); t.equal(s.icmpInnerOff, 62)
  t.equal(UNREACH6[s.icmpInnerOff]! >> 4, 6, 'inner offset points at the quoted IPv6 header')
})

t.test('ICMPv4 need-frag quoting a TCP segment (capture fixture)', async t => {
  // suricata-verify bug-3616-smtp frame 26 — tcpdump -n:
  // IP 192.168.1.1 > 10.10.1.4: ICMP 74.53.140.153 unreachable - need to frag (mtu 1492), length 556
  const file = path.join(PCAP_DIR, 'suricata-verify__bug-3616-smtp__input.pcap')
  if (!existsSync(file)) { t.comment('shared capture missing: skipped'); return }
  const frame = readCapture(file)[25]!.data
  const s = decodeFrame(frame, 1, new FrameSummary())
  t.equal(s.error, 0); t.equal(s.proto, 1); t.equal(s.icmpType, 3); t.equal(s.icmpCode, 4)
  t.equal(s.icmpInnerOff, 14 + 20 + 8)
  const msg = frame.subarray(s.l4Off, s.l3Off + s.ipLen)
  const r = parseIcmpv4(Icmpv4Packet.checked(msg), { verifyChecksum: true })
  t.same(r, { type: 3, code: 4, rest: 1492, payloadLen: 548 }, 'rest holds the next-hop MTU (RFC 1191)')
  t.ok(isIcmp4Error(3)); t.notOk(isIcmp4Error(8))
})

t.test('round trips', async t => {
  const c4 = {
    len: (r: Icmpv4Repr) => 8 + r.payloadLen,
    emit: (r: Icmpv4Repr, b: Buffer) => emitIcmpv4(r, Icmpv4Packet.unchecked(b)),
    parse: (b: Buffer) => parseIcmpv4(Icmpv4Packet.checked(b), { verifyChecksum: true }),
  }
  roundTrip(t, 'icmp echo', c4, { type: 8, code: 0, rest: (7 << 16) | 1, payloadLen: 56 })
  roundTrip(t, 'icmp admin prohibited', c4, { type: 3, code: 13, rest: 0, payloadLen: 28 })
  const ctx = { src: parseIp('2001:db8::1')!, dst: parseIp('2001:db8::2')! }
  const c6 = {
    len: (r: Icmpv6Repr) => 8 + r.payloadLen,
    emit: (r: Icmpv6Repr, b: Buffer) => emitIcmpv6(r, Icmpv6Packet.unchecked(b), ctx),
    parse: (b: Buffer) => parseIcmpv6(Icmpv6Packet.checked(b), ctx),
  }
  roundTrip(t, 'icmp6 echo', c6, { type: 128, code: 0, rest: 0xffffffff, payloadLen: 3 })
  roundTrip(t, 'icmp6 packet too big', c6, { type: 2, code: 0, rest: 1280, payloadLen: 48 })
})

t.test('truncated and corrupted messages', async t => {
  t.throws(() => Icmpv4Packet.checked(Buffer.alloc(7)), { code: 'RSTLAB_ERR_TRUNCATED' })
  t.throws(() => Icmpv6Packet.checked(Buffer.alloc(7)), { code: 'RSTLAB_ERR_TRUNCATED' })
  const msg = Buffer.from(UNREACH6.subarray(54)); msg[5] = 1
  t.throws(() => parseIcmpv6(Icmpv6Packet.checked(msg), { src: UNREACH6.subarray(22, 38), dst: UNREACH6.subarray(38, 54) }), { code: 'RSTLAB_ERR_MALFORMED' })
})
