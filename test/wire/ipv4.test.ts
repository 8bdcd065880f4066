import t from 'tap'
import { Ipv4Packet, parseIpv4, emitIpv4, ipv4HeaderLen, type Ipv4Repr } from '../../src/wire/ipv4.js'
import { parseIp } from '../../src/wire/addr.js'
import { hex, roundTrip } from './roundtrip.js'

// suricata-verify bug-3616-smtp frame 1 — tcpdump -n:
// IP 10.10.1.4.56166 > 10.10.1.1.53: 31062+ A? mail.patriots.in. (34)
const DNS_IP = hex(`
  45 00 003e          # v4, ihl 5, tos 0, total length 62
  250a 0000           # id 9482, no flags
  80 11 ff8c          # ttl 128, UDP, checksum
  0a0a0104 0a0a0101   # 10.10.1.4 > 10.10.1.1
  db66 0035 002a 8e8d # UDP 56166 > 53, length 42, checksum
  7956 0100 0001 0000 0000 0000 046d 6169 6c08 7061 7472 696f 7473 0269 6e00 0001 0001
`)

t.test('parse the real fixture', async t => {
  const p = Ipv4Packet.checked(DNS_IP)
  t.ok(p.verifyChecksum())
  const r = parseIpv4(p, { verifyChecksum: true })
  t.same(r, {
    src: parseIp('10.10.1.4'), dst: parseIp('10.10.1.1'), protocol: 17, ttl: 128, tos: 0, ident: 0x250a,
    dontFragment: false, moreFragments: false, fragOffset: 0, options: new Uint8Array(0), payloadLen: 42,
  })
  const out = Buffer.alloc(20)
  emitIpv4(r, Ipv4Packet.unchecked(out))
  t.same(out, DNS_IP.subarray(0, 20), 'emit reproduces the header, checksum included')
  t.equal(p.payload.length, 42)
})

t.test('round trips', async t => {
  const codec = {
    len: (r: Ipv4Repr) => ipv4HeaderLen(r),
    emit: (r: Ipv4Repr, b: Buffer) => emitIpv4(r, Ipv4Packet.unchecked(b)),
    // parse needs total length <= buffer: give it a buffer grown by the payload
    parse: (b: Buffer) => { const g = Buffer.concat([b, Buffer.alloc(parseIpv4(Ipv4Packet.unchecked(b)).payloadLen)]); return parseIpv4(Ipv4Packet.checked(g), { verifyChecksum: true }) },
  }
  const base: Ipv4Repr = {
    src: parseIp('198.18.0.1')!, dst: parseIp('198.19.255.254')!, protocol: 6, ttl: 1, tos: 0xb8, ident: 0xffff,
    dontFragment: true, moreFragments: false, fragOffset: 0, options: new Uint8Array(0), payloadLen: 0,
  }
  roundTrip(t, 'plain', codec, base)
  roundTrip(t, 'first fragment', codec, { ...base, dontFragment: false, moreFragments: true, payloadLen: 1480 })
  roundTrip(t, 'last fragment', codec, { ...base, dontFragment: false, fragOffset: 0xfff8, payloadLen: 8 })
  roundTrip(t, 'router alert option', codec, { ...base, options: Uint8Array.of(0x94, 4, 0, 0) })
  t.equal(ipv4HeaderLen({ ...base, options: Uint8Array.of(1) }), 24, 'options padded to 4')
})

t.test('checked view rejects malformed headers', async t => {
  t.throws(() => Ipv4Packet.checked(DNS_IP.subarray(0, 19)), { code: 'RSTLAB_ERR_TRUNCATED' })
  const bad = (fn: (b: Buffer) => void): Buffer => { const b = Buffer.from(DNS_IP); fn(b); return b }
  t.throws(() => Ipv4Packet.checked(bad(b => { b[0] = 0x65 })), { code: 'RSTLAB_ERR_MALFORMED' }, 'version 6')
  t.throws(() => Ipv4Packet.checked(bad(b => { b[0] = 0x44 })), { code: 'RSTLAB_ERR_MALFORMED' }, 'IHL 4')
  t.throws(() => Ipv4Packet.checked(bad(b => { b.writeUInt16BE(19, 2) })), { code: 'RSTLAB_ERR_MALFORMED' }, 'total length < header')
  t.throws(() => Ipv4Packet.checked(bad(b => { b.writeUInt16BE(63, 2) })), { code: 'RSTLAB_ERR_TRUNCATED' }, 'total length > buffer')
  t.throws(() => parseIpv4(Ipv4Packet.checked(bad(b => { b[8] = 1 })), { verifyChecksum: true }), { code: 'RSTLAB_ERR_MALFORMED' }, 'bad checksum')
  t.doesNotThrow(() => Ipv4Packet.checked(Buffer.concat([DNS_IP, Buffer.alloc(6)])), 'trailing Ethernet padding is fine')
})

t.test('TTL and address rewrites patch the checksum incrementally (RFC 1624)', async t => {
  const b = Buffer.from(DNS_IP)
  const p = Ipv4Packet.checked(b)
  p.setTtlWithChecksumUpdate(p.ttl - 1)
  t.ok(p.verifyChecksum(), 'after TTL decrement')
  p.setSrcWithChecksumUpdate(parseIp('198.18.0.9')!)
  p.setDstWithChecksumUpdate(parseIp('255.255.255.255')!)
  t.ok(p.verifyChecksum(), 'after NAT-style address rewrites')
  const c = p.checksum
  p.fillChecksum()
  t.equal(p.checksum, c, 'same as a full recomputation')
})
