import t from 'tap'
import { addrCompare, addrEqual, cidrContains, formatIp, formatIp6, formatMac, parseCidr, parseIp, parseMac } from '../../src/wire/addr.js'

t.test('IPv4 parse and format', async t => {
  t.same([...parseIp('198.18.0.1')!], [198, 18, 0, 1])
  for (const bad of ['198.18.0', '198.18.0.256', '1.2.3.4.5', '1..2.3', ' 1.2.3.4', '1.2.3.a', '']) {
    t.equal(parseIp(bad), undefined, `rejects "${bad}"`)
  }
  t.equal(formatIp(Uint8Array.of(0, 198, 18, 0, 1), 1, 4), '198.18.0.1')
})

t.test('IPv6 parse and RFC 5952 format', async t => {
  const cases: Array<[string, string]> = [
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // single zero group not compressed
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:0db8:0000:0000:0001:0000:0000:0000', '2001:db8:0:0:1::'], // longest run wins
    ['::ffff:198.18.0.1', '::ffff:198.18.0.1'],
    ['64:ff9b::198.18.0.1', '64:ff9b::c612:1'],
  ]
  for (const [input, want] of cases) {
    const a = parseIp(input)
    t.ok(a, `parses ${input}`)
    t.equal(formatIp6(a!), want, `${input} -> ${want}`)
  }
  for (const bad of [':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7', '::1.2.3', '1:2:3:4:5:6:7::8:9']) {
    t.equal(parseIp(bad), undefined, `rejects "${bad}"`)
  }
})

t.test('MAC parse and format', async t => {
  t.same([...parseMac('02:00:00:AB:cd:0f')!], [2, 0, 0, 0xab, 0xcd, 0x0f])
  t.same([...parseMac('02-00-00-ab-cd-0f')!], [2, 0, 0, 0xab, 0xcd, 0x0f])
  t.equal(parseMac('02:00:00:ab:cd'), undefined)
  t.equal(formatMac(Uint8Array.of(2, 0, 0, 0xab, 0xcd, 0x0f)), '02:00:00:ab:cd:0f')
})

t.test('CIDR containment and comparison', async t => {
  const n = parseCidr('198.18.0.0/15')!
  t.equal(n.prefix, 15)
  t.ok(cidrContains(n.addr, n.prefix, parseIp('198.19.255.255')!, 0, 4))
  t.notOk(cidrContains(n.addr, n.prefix, parseIp('198.20.0.0')!, 0, 4))
  t.notOk(cidrContains(n.addr, n.prefix, parseIp('2001:db8::1')!, 0, 16), 'families never mix')
  const h = parseCidr('198.18.3.7/24')!
  t.same([...h.addr], [198, 18, 3, 0], 'host bits cleared')
  const v6 = parseCidr('2001:db8::/32')!
  t.ok(cidrContains(v6.addr, v6.prefix, parseIp('2001:db8:ffff::1')!, 0, 16))
  t.notOk(cidrContains(v6.addr, v6.prefix, parseIp('2001:db9::1')!, 0, 16))
  t.ok(cidrContains(parseCidr('0.0.0.0/0')!.addr, 0, parseIp('1.2.3.4')!, 0, 4))
  t.equal(parseCidr('1.2.3.4/33'), undefined)
  t.equal(parseCidr('1.2.3.4/x'), undefined)
  t.ok(addrEqual(parseIp('1.2.3.4')!, 0, Uint8Array.of(9, 1, 2, 3, 4), 1, 4))
  t.equal(addrCompare(parseIp('1.2.3.4')!, 0, parseIp('1.2.3.5')!, 0, 4), -1)
  t.equal(addrCompare(parseIp('1.2.3.6')!, 0, parseIp('1.2.3.5')!, 0, 4), 1)
})
