import t from 'tap'
import { UdpPacket, parseUdp, emitUdp, type UdpRepr } from '../../src/wire/udp.js'
import { parseIp } from '../../src/wire/addr.js'
import { hex, roundTrip } from './roundtrip.js'

// suricata-verify bug-3616-smtp frame 1 — tcpdump -n:
// IP 10.10.1.4.56166 > 10.10.1.1.53: 31062+ A? mail.patriots.in. (34)
const DNS_UDP = hex(`
  db66 0035     # ports 56166 > 53
  002a 8e8d     # length 42, checksum
  7956 0100 0001 0000 0000 0000 046d 6169 6c08 7061 7472 696f 7473 0269 6e00 0001 0001   # DNS query
`)
const CTX = { src: parseIp('10.10.1.4')!, dst: parseIp('10.10.1.1')! }

t.test('parse and re-emit the real fixture', async t => {
  const r = parseUdp(UdpPacket.checked(DNS_UDP), CTX)
  t.same(r, { srcPort: 56166, dstPort: 53, payloadLen: 34 })
  const out = Buffer.from(DNS_UDP)
  out.fill(0, 0, 8)
  emitUdp(r, UdpPacket.unchecked(out), CTX)
  t.same(out, DNS_UDP, 'same header and checksum')
})

t.test('round trips over v4 and v6', async t => {
  for (const ctx of [CTX, { src: parseIp('2001:db8::1')!, dst: parseIp('2001:db8::2')! }]) {
    const codec = {
      len: (r: UdpRepr) => 8 + r.payloadLen,
      emit: (r: UdpRepr, b: Buffer) => emitUdp(r, UdpPacket.unchecked(b), ctx),
      parse: (b: Buffer) => parseUdp(UdpPacket.checked(b), ctx),
    }
    roundTrip(t, `udp v${ctx.src.length === 4 ? 4 : 6}`, codec, { srcPort: 0, dstPort: 65535, payloadLen: 11 })
  }
})

t.test('zero checksum and malformed lengths', async t => {
  const b = Buffer.from(DNS_UDP); b.writeUInt16BE(0, 6)
  t.ok(UdpPacket.checked(b).verifyChecksum(CTX), 'zero = no checksum over IPv4 (RFC 768)')
  t.notOk(UdpPacket.checked(b).verifyChecksum({ src: new Uint8Array(16), dst: new Uint8Array(16) }), 'but mandatory over IPv6')
  // A computed checksum of 0 goes on the wire as 0xffff: find a payload that sums to it.
  const z = Buffer.alloc(10)
  emitUdp({ srcPort: 0, dstPort: 0, payloadLen: 2 }, UdpPacket.unchecked(z), { src: Uint8Array.of(0, 0, 0, 0), dst: Uint8Array.of(0, 0, 0, 0) })
  const c = z.readUInt16BE(6)
  // Put the complement of the sum into the payload so the folded sum becomes 0xffff → checksum 0.
  z.writeUInt16BE(c, 8); z.writeUInt16BE(0, 6)
  UdpPacket.unchecked(z).fillChecksum({ src: Uint8Array.of(0, 0, 0, 0), dst: Uint8Array.of(0, 0, 0, 0) })
  t.equal(z.readUInt16BE(6), 0xffff, 'computed 0 is sent as 0xffff')
  t.throws(() => UdpPacket.checked(DNS_UDP.subarray(0, 7)), { code: 'RSTLAB_ERR_TRUNCATED' })
  const short = Buffer.from(DNS_UDP); short.writeUInt16BE(7, 4)
  t.throws(() => UdpPacket.checked(short), { code: 'RSTLAB_ERR_MALFORMED' })
  const long = Buffer.from(DNS_UDP); long.writeUInt16BE(43, 4)
  t.throws(() => UdpPacket.checked(long), { code: 'RSTLAB_ERR_TRUNCATED' })
  t.throws(() => parseUdp(UdpPacket.checked(DNS_UDP), { src: parseIp('1.2.3.4')!, dst: CTX.dst }), { code: 'RSTLAB_ERR_MALFORMED' })
})
