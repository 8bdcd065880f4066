import t from 'tap'
import { compilePolicy, loadPolicyText } from '../../src/policy/load.js'
import { addr, key } from './helpers.js'

const P = loadPolicyText(`
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24, "2001:db8:0:1::/64"] }
  dmz:     { interfaces: [eth2], networks: [198.18.0.128/25] }
  untrust: { interfaces: [eth1], networks: [any] }
rules:
  - { name: block-ftp, from: [trust], to: [untrust], destination: [198.18.1.2, "2001:db8:0:2::2"], service: [tcp/21], action: reset-client }
  - { name: dns, from: [trust], to: [untrust], service: [udp/53], action: drop, icmp-unreachable: yes }
  - { name: hi-ports, from: [trust], to: [untrust], service: ["tcp/1000-2000"], action: reset-both }
  - { name: web, from: [trust], to: [untrust], service: ["tcp/80,443"], source: [198.18.0.0/25], action: allow }
  - { name: ssh-app, from: [trust], to: [untrust], application: [ssh], service: application-default, action: deny }
  - { name: v6-only, from: [any], to: [any], destination: ["2001:db8:0:2::/64"], action: reset-server }
  - { name: icmp-any, from: [untrust], to: [dmz], service: any, action: allow }
`, 'lookup.yaml')

t.test('first match on zones, addresses and services', async t => {
  const m = P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.2', 'tcp', 21))
  t.equal(m.ruleName, 'block-ftp')
  t.equal(m.action, 'reset-client')
  t.equal(m.rule, P.rules[0])
  t.equal(m.tentative, false)
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.3', 'tcp', 21)).ruleName, 'interzone-default', 'other host')
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.2', 'udp', 21)).ruleName, 'interzone-default', 'udp is not tcp')
  t.equal(P.lookup(key('untrust', 'trust', '198.18.1.2', '198.18.0.1', 'tcp', 21)).ruleName, 'interzone-default', 'wrong direction')
  const d = P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.7.7', 'udp', 53))
  t.same([d.ruleName, d.action, d.icmpUnreachable], ['dns', 'drop', true])
})

t.test('port ranges and lists are inclusive', async t => {
  for (const [port, want] of [[999, 'interzone-default'], [1000, 'hi-ports'], [1500, 'hi-ports'], [2000, 'hi-ports'], [2001, 'interzone-default']] as const) {
    t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.9.9', 'tcp', port)).ruleName, want, `tcp/${port}`)
  }
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.9.9', 'tcp', 80)).ruleName, 'web')
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.9.9', 'tcp', 443)).ruleName, 'web')
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.9.9', 'tcp', 444)).ruleName, 'interzone-default')
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.200', '198.18.9.9', 'tcp', 80)).ruleName, 'interzone-default',
    'source outside 198.18.0.0/25')
})

t.test('IPv6 prefixes match IPv6 only', async t => {
  t.equal(P.lookup(key('trust', 'untrust', '2001:db8:0:1::1', '2001:db8:0:2::2', 'tcp', 21)).ruleName, 'block-ftp')
  t.equal(P.lookup(key('trust', 'untrust', '2001:db8:0:1::1', '2001:db8:0:2::3', 'tcp', 23)).ruleName, 'v6-only')
  t.equal(P.lookup(key('trust', 'untrust', '2001:db8:0:1::1', '2001:db8:0:3::3', 'tcp', 23)).ruleName, 'interzone-default')
  const v4only = compilePolicy({ rules: [{ name: 'all-v4', destination: ['0.0.0.0/0'], action: 'drop' }] })
  t.equal(v4only.lookup(key(undefined, undefined, '198.18.0.1', '198.18.0.2', 'tcp', 1)).ruleName, 'all-v4')
  t.equal(v4only.lookup(key(undefined, undefined, '2001:db8::1', '2001:db8::2', 'tcp', 1)).ruleName, 'intrazone-default',
    '0.0.0.0/0 never matches v6')
})

t.test('service any matches ICMP; port services never do', async t => {
  t.equal(P.lookup(key('untrust', 'dmz', '198.18.1.2', '198.18.0.130', 'icmp', 0)).ruleName, 'icmp-any')
  t.equal(P.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.2', 'icmp', 21)).ruleName, 'interzone-default')
})

t.test('applications: any, named, tentative, application-default', async t => {
  const ssh = key('trust', 'untrust', '198.18.0.1', '198.18.9.9', 'tcp', 22)
  const tent = P.lookup(ssh)
  t.same([tent.ruleName, tent.action, tent.tentative], ['ssh-app', 'deny', true],
    'app unknown: the app rule matches tentatively (engine lets it through and asks again)')
  const known = P.lookup({ ...ssh, app: 'ssh' })
  t.same([known.ruleName, known.tentative], ['ssh-app', false])
  t.equal(P.lookup({ ...ssh, app: 'web-browsing' }).ruleName, 'interzone-default', 'another app')
  t.equal(P.lookup({ ...ssh, app: 'unknown-tcp' }).ruleName, 'interzone-default', 'App-ID gave up: app rules never match')
  t.equal(P.lookup({ ...ssh, dport: 2222, app: 'ssh' }).ruleName, 'interzone-default', 'ssh off its standard port')
  t.equal(P.lookup({ ...ssh, dport: 2222 }).ruleName, 'interzone-default', 'not a standard port even tentatively')
  const q = compilePolicy({
    rules: [
      { name: 'web', application: ['web-browsing', 'dns'], service: 'application-default', action: 'allow' },
      { name: 'any-app', application: 'any', action: 'reset-both' },
    ],
  })
  const k = key(undefined, undefined, '198.18.0.1', '198.18.1.1', 'tcp', 8080)
  t.equal(q.lookup({ ...k, app: 'web-browsing' }).ruleName, 'web')
  t.equal(q.lookup({ ...k, app: 'dns' }).ruleName, 'any-app', 'dns is not on 8080: each app on its own ports')
  t.equal(q.lookup({ ...k, proto: 17, dport: 53, app: 'dns' }).ruleName, 'web')
  t.equal(q.lookup({ ...k, proto: 17, dport: 80 }).ruleName, 'any-app', 'udp/80 is no listed app\'s port')
  t.equal(q.lookup({ ...k, proto: 17, dport: 53 }).tentative, true)
})

t.test('zones: undefined matches only any; the implicit defaults', async t => {
  t.equal(P.lookup(key(undefined, 'untrust', '198.18.0.1', '198.18.1.2', 'tcp', 21)).ruleName, 'interzone-default',
    'no from-zone: block-ftp (from trust) cannot match')
  t.equal(P.lookup(key(undefined, undefined, '2001:db8::1', '2001:db8:0:2::1', 'tcp', 1)).ruleName, 'v6-only', 'from/to any match')
  t.equal(P.lookup(key('', '', '2001:db8::1', '2001:db8:0:2::1', 'tcp', 1)).ruleName, 'v6-only', "'' is the same as undefined")
  const intra = P.lookup(key('trust', 'trust', '198.18.0.1', '198.18.0.2', 'tcp', 9))
  t.same([intra.ruleName, intra.action, intra.rule, intra.icmpUnreachable], ['intrazone-default', 'allow', undefined, false])
  const inter = P.lookup(key('trust', 'dmz', '198.18.0.1', '198.18.0.130', 'tcp', 9))
  t.same([inter.ruleName, inter.action, inter.rule], ['interzone-default', 'deny', undefined])
  t.equal(P.lookup(key(undefined, undefined, '198.18.0.1', '198.18.0.2', 'tcp', 9)).ruleName, 'intrazone-default',
    'both zones unknown: intrazone')
  t.equal(P.lookup(key('trust', undefined, '198.18.0.1', '198.18.0.2', 'tcp', 9)).ruleName, 'interzone-default',
    'one zone unknown: interzone')
  t.ok(Object.isFrozen(intra), 'shared answers are frozen')
})

t.test('zoneOfInterface and zoneOfAddress (most specific network wins)', async t => {
  t.equal(P.zoneOfInterface('eth0'), 'trust')
  t.equal(P.zoneOfInterface('eth2'), 'dmz')
  t.equal(P.zoneOfInterface('eth9'), undefined)
  t.equal(P.zoneOfAddress(addr('198.18.0.1')), 'trust')
  t.equal(P.zoneOfAddress(addr('198.18.0.200')), 'dmz', '/25 beats /24')
  t.equal(P.zoneOfAddress(addr('198.18.0.127')), 'trust')
  t.equal(P.zoneOfAddress(addr('198.19.0.1')), 'untrust', 'any catches the rest')
  t.equal(P.zoneOfAddress(addr('2001:db8:0:1::9')), 'trust')
  t.equal(P.zoneOfAddress(addr('2001:db8:0:5::9')), 'untrust')
  const noAny = compilePolicy({ zones: { a: { networks: ['198.18.0.0/16'] }, b: { networks: ['198.18.4.0/22', '2001:db8::/32'] } } })
  t.equal(noAny.zoneOfAddress(addr('198.18.5.1')), 'b')
  t.equal(noAny.zoneOfAddress(addr('198.18.8.1')), 'a')
  t.equal(noAny.zoneOfAddress(addr('198.19.0.1')), undefined, 'in no zone')
  t.equal(noAny.zoneOfAddress(addr('2001:db9::1')), undefined)
  t.equal(noAny.zoneOfAddress(addr('2001:db8::1')), 'b')
  t.equal(noAny.zoneOfAddress(new Uint8Array(3)), undefined)
})

t.test('shipped block-ftp lab: reset-client for ftp, allow otherwise, interzone deny inbound', async t => {
  const { loadPolicyFile } = await import('../../src/policy/load.js')
  const { REPO_ROOT } = await import('../helpers/shared.js')
  const p = loadPolicyFile(`${REPO_ROOT}/policies/block-ftp.yaml`)
  const c = '198.18.0.1'; const s = '198.18.1.2'
  const zone = (a: string): string | undefined => p.zoneOfAddress(addr(a))
  t.equal(p.lookup(key(zone(c), zone(s), c, s, 'tcp', 21)).action, 'reset-client')
  t.equal(p.lookup(key(zone(c), zone(s), c, s, 'tcp', 22)).ruleName, 'allow-out')
  t.equal(p.lookup(key(zone(s), zone(c), s, c, 'tcp', 21)).ruleName, 'interzone-default')
})
