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
