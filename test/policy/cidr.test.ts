import t from 'tap'
import { CidrSet, addrInCidr, cidrContains, formatAddr, parseAddr, parseCidr, parseIpv6 } from '../../src/policy/cidr.js'
import type { Cidr } from '../../src/policy/types.js'

const c = (s: string): Cidr => {
  const r = parseCidr(s)
  if (typeof r === 'string') throw new Error(r)
  return r
}
const a = (s: string): Uint8Array => {
  const r = parseAddr(s)
  if (r === undefined) throw new Error(`bad ${s}`)
  return r
}

t.test('IPv4 and IPv6 text forms', async t => {
  t.same(Array.from(a('198.18.0.1')), [198, 18, 0, 1])
  t.equal(parseAddr('198.18.0.256'), undefined)
  t.equal(parseAddr('198.18.0'), undefined)
  t.equal(parseAddr('198.018.0.1'), undefined, 'leading zeros are ambiguous (octal?) and refused')
  t.equal(formatAddr(a('2001:db8::1')), '2001:db8::1')
  t.equal(formatAddr(a('2001:DB8:0:0:1:0:0:1')), '2001:db8::1:0:0:1')
  t.equal(formatAddr(a('::')), '::')
  t.equal(formatAddr(a('::ffff:198.18.0.1')), '::ffff:198.18.0.1', 'IPv4-mapped in dotted form (RFC 5952 §5)')
  t.equal(parseIpv6('2001:db8::1::2'), undefined, 'two :: groups')
  t.equal(parseIpv6('1:2:3:4:5:6:7:8:9'), undefined)
  t.equal(parseIpv6('2001:db8:::1'), undefined)
  t.equal(parseIpv6('12345::'), undefined)
  t.equal(formatAddr(a('1:2:3:4:5:6:7:8')), '1:2:3:4:5:6:7:8')
})

t.test('prefixes', async t => {
  t.same(c('198.18.0.0/24').prefix, 24)
  t.same(c('198.18.1.2').prefix, 32, 'a bare address is a host prefix')
  t.same(c('2001:db8::/32').prefix, 32)
  t.same(c('2001:db8::1').prefix, 128)
  t.match(parseCidr('198.18.0.0/33'), /prefix/)
  t.match(parseCidr('2001:db8::/129'), /prefix/)
  t.match(parseCidr('198.18.0.0/'), /prefix/)
  t.match(parseCidr('host.example'), /not an IPv4 or IPv6/)
  t.equal(c('198.18.0.254/24').text, '198.18.0.254/24', 'host bits are kept as written')
})

t.test('containment, v4 never matches v6', async t => {
  t.ok(addrInCidr(c('198.18.0.0/24'), a('198.18.0.77')))
  t.notOk(addrInCidr(c('198.18.0.0/24'), a('198.18.1.77')))
  t.ok(addrInCidr(c('0.0.0.0/0'), a('198.19.255.255')))
  t.notOk(addrInCidr(c('0.0.0.0/0'), a('2001:db8::1')), 'v4 prefix, v6 address')
  t.notOk(addrInCidr(c('::/0'), a('198.18.0.1')), 'v6 prefix, v4 address')
  t.ok(addrInCidr(c('2001:db8:0:1::/64'), a('2001:db8:0:1:ffff::1')))
  t.notOk(addrInCidr(c('2001:db8:0:1::/64'), a('2001:db8:0:2::1')))
  t.ok(addrInCidr(c('2001:db8::/33'), a('2001:db8:7fff::1')))
  t.notOk(addrInCidr(c('2001:db8::/33'), a('2001:db8:8000::1')))
  t.ok(cidrContains(c('198.18.0.0/15'), c('198.19.4.0/24')))
  t.notOk(cidrContains(c('198.18.0.0/24'), c('198.18.0.0/15')))
  t.notOk(cidrContains(c('0.0.0.0/0'), c('::/0')))
})

t.test('CidrSet agrees with addrInCidr', async t => {
  const list = ['198.18.0.0/24', '198.19.0.7', '2001:db8::/48', '2001:db8:1::/127', '198.18.128.0/17'].map(c)
  const set = new CidrSet(list)
  const probes = ['198.18.0.1', '198.18.1.1', '198.19.0.7', '198.19.0.8', '198.18.200.3', '2001:db8::5',
    '2001:db8:1::1', '2001:db8:1::2', '2001:db9::1', '::']
  for (const p of probes) t.equal(set.has(a(p)), list.some(x => addrInCidr(x, a(p))), p)
  t.notOk(new CidrSet([]).has(a('198.18.0.1')))
  t.notOk(set.has(new Uint8Array(5)), 'odd lengths never match')
})
