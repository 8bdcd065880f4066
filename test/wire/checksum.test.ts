import t from 'tap'
import { incrementalUpdate16, incrementalUpdate32, incrementalUpdateBytes, internetChecksum, verifyRange } from '../../src/wire/checksum.js'

// RFC 1071 §3 worked example: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (checksum 220d).
t.test('RFC 1071 example', async t => {
  const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7)
  t.equal(internetChecksum(b, 0, 8), 0x220d)
  t.equal(internetChecksum(b, 0, 7), (~(0x0001 + 0xf203 + 0xf4f5 + 0xf600 - 0xffff * 2) & 0xffff), 'odd length pads with zero')
})

// A real IPv4 header (tcpdump: IP 192.168.0.1 > 192.168.0.199: ICMP ...), checksum b861.
const IP4 = Buffer.from('45000073000040004011b861c0a80001c0a800c7', 'hex')

t.test('IPv4 header checksum verifies and recomputes', async t => {
  t.ok(verifyRange(IP4, 0, 20))
  const z = Buffer.from(IP4); z.writeUInt16BE(0, 10)
  t.equal(internetChecksum(z, 0, 20), 0xb861)
})

t.test('RFC 1624 incremental update equals recomputation', async t => {
  // TTL decrement: word at offset 8 (ttl<<8 | proto).
  const h = Buffer.from(IP4)
  const old = h.readUInt16BE(8)
  h[8] = h[8]! - 1
  const inc = incrementalUpdate16(IP4.readUInt16BE(10), old, h.readUInt16BE(8))
  h.writeUInt16BE(0, 10)
  t.equal(inc, internetChecksum(h, 0, 20))
  // Address rewrite (32-bit).
  const g = Buffer.from(IP4)
  const oldSrc = g.readUInt32BE(12)
  g.writeUInt32BE(0xc6120001, 12)
  const inc32 = incrementalUpdate32(IP4.readUInt16BE(10), oldSrc, 0xc6120001)
  const incB = incrementalUpdateBytes(IP4.readUInt16BE(10), IP4.subarray(12, 16), g.subarray(12, 16))
  g.writeUInt16BE(0, 10)
  t.equal(inc32, internetChecksum(g, 0, 20))
  t.equal(incB, inc32)
})

t.test('incremental update over many random rewrites', async t => {
  let x = 12345
  const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x >>> 8 }
  let bad = 0
  for (let n = 0; n < 5000; n++) {
    const b = Buffer.alloc(20); for (let i = 0; i < 20; i++) b[i] = rnd() & 0xff
    b.writeUInt16BE(0, 10); const c = internetChecksum(b, 0, 20); b.writeUInt16BE(c, 10)
    const words = [0, 2, 4, 6, 8, 12, 14, 16, 18]
    const word = words[rnd() % words.length]!
    const old = b.readUInt16BE(word); const nw = rnd() & 0xffff
    b.writeUInt16BE(nw, word)
    b.writeUInt16BE(incrementalUpdate16(c, old, nw), 10)
    if (!verifyRange(b, 0, 20)) bad++
  }
  t.equal(bad, 0, 'every incrementally updated header verifies')
})

t.test('verifyChecksums on decoded frames', async t => {
  const { buildFrame } = await import('../../src/wire/build.js')
  const { decodeFrame } = await import('../../src/wire/decode.js')
  const { FrameSummary, DecodeCode } = await import('../../src/wire/summary.js')
  const { verifyChecksums } = await import('../../src/wire/checksum.js')
  const s = new FrameSummary()
  const frames = [
    buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'S', options: { mss: 1460 } }, payload: 'x' }),
    buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', tcp: { sport: 1, dport: 2, flags: 'S' }, payload: 3 }),
    buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1, dport: 2 }, payload: 'abc' }),
    buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', udp: { sport: 1, dport: 2 }, payload: 'abc' }),
    buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', icmp: { type: 8, code: 0 }, payload: 5 }),
    buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', icmp: { type: 128, code: 0 }, payload: 5, pad: true }),
  ]
  for (const f of frames) {
    decodeFrame(f, 1, s)
    t.equal(verifyChecksums(s), DecodeCode.OK, 'built frame verifies')
    const l4 = Buffer.from(f); l4[l4.length - 1 - (f.length - s.payloadOff - s.payloadLen)]! ^= 1
    decodeFrame(l4, 1, s)
    t.equal(verifyChecksums(s), DecodeCode.L4_BAD_CHECKSUM, 'flipped payload bit is caught')
  }
  const ip = Buffer.from(frames[0]!); ip[14 + 8]! ^= 1
  decodeFrame(ip, 1, s)
  t.equal(verifyChecksums(s), DecodeCode.IP4_BAD_CHECKSUM)
  const noUdpSum = Buffer.from(frames[2]!); noUdpSum.writeUInt16BE(0, 14 + 20 + 6)
  decodeFrame(noUdpSum, 1, s)
  t.equal(verifyChecksums(s), DecodeCode.OK, 'UDP checksum 0 over IPv4 = none (RFC 768)')
})
