import t from 'tap'
import { compilePolicy, defaultSettings, effectiveTimeWait, loadPolicyText } from '../../src/policy/load.js'
import { SESSION_SPECS, TCP_SPECS, EMULATOR_SPECS } from '../../src/policy/settings.js'
import { formatAddr } from '../../src/policy/cidr.js'
import { diags, onlyError } from './helpers.js'

t.test('defaults are the PAN-OS defaults (docs/panos-model.md#timers)', async t => {
  const s = defaultSettings()
  t.same(s.session, {
    timeoutTcp: 3600, timeoutTcpinit: 5, timeoutTcphandshake: 10, timeoutTcpHalfClosed: 120, timeoutTcpTimeWait: 15,
    timeoutTcpUnverifiedRst: 30, timeoutUdp: 30, timeoutIcmp: 6, timeoutDefault: 30, timeoutDiscardTcp: 90,
    timeoutDiscardUdp: 60, timeoutDiscardDefault: 60, tcpRejectNonSyn: true, maxSessions: 65536,
    acceleratedAging: true, acceleratedAgingThreshold: 80, acceleratedAgingScalingFactor: 2, icmpUnreachableRate: 200,
  })
  t.same(s.tcp, { allowChallengeAck: false, asymmetricPath: 'drop', dropZeroFlag: true })
  t.same({ ...s.emulator, addresses: [...s.emulator.addresses] },
    { forgedTtl: 64, forgedHopLimit: 64, resetBeforeHandshake: true, resetOnAgeOut: 'none', icmpUnreachableTcp: true, addresses: [] })
  t.not(defaultSettings().session, s.session, 'a fresh object each call')
  t.same(loadPolicyText('', 'empty.yaml').settings, s, 'an empty file is all defaults')
  t.same(compilePolicy({}).settings, s)
})

t.test('every setting is read from its kebab-case key', async t => {
  const text = `
settings:
  session: { timeout-tcp: 100, timeout-tcpinit: 6, timeout-tcphandshake: 11, timeout-tcp-half-closed: 121,
             timeout-tcp-time-wait: 16, timeout-tcp-unverified-rst: 31, timeout-udp: 32, timeout-icmp: 7,
             timeout-default: 33, timeout-discard-tcp: 91, timeout-discard-udp: 61, timeout-discard-default: 62,
             tcp-reject-non-syn: no, max-sessions: 1000, accelerated-aging: no, accelerated-aging-threshold: 90,
             accelerated-aging-scaling-factor: 8, icmp-unreachable-rate: 10 }
  tcp: { allow-challenge-ack: yes, asymmetric-path: bypass, drop-zero-flag: no }
  emulator: { forged-ttl: 128, forged-hop-limit: 255, reset-before-handshake: no, reset-on-age-out: both,
              addresses: { trust: [198.18.0.254/24, 2001:db8::fe/64] } }
zones:
  trust: { interfaces: [eth0], networks: [198.18.0.0/24] }
`
  const p = loadPolicyText(text, 'all.yaml')
  t.same(p.settings.session, {
    timeoutTcp: 100, timeoutTcpinit: 6, timeoutTcphandshake: 11, timeoutTcpHalfClosed: 121, timeoutTcpTimeWait: 16,
    timeoutTcpUnverifiedRst: 31, timeoutUdp: 32, timeoutIcmp: 7, timeoutDefault: 33, timeoutDiscardTcp: 91,
    timeoutDiscardUdp: 61, timeoutDiscardDefault: 62, tcpRejectNonSyn: false, maxSessions: 1000,
    acceleratedAging: false, acceleratedAgingThreshold: 90, acceleratedAgingScalingFactor: 8, icmpUnreachableRate: 10,
  })
  t.same(p.settings.tcp, { allowChallengeAck: true, asymmetricPath: 'bypass', dropZeroFlag: false })
  const e = p.settings.emulator
  t.same([e.forgedTtl, e.forgedHopLimit, e.resetBeforeHandshake, e.resetOnAgeOut], [128, 255, false, 'both'])
  const trust = e.addresses.get('trust')!
  t.same(trust.map(c => [c.version, formatAddr(c.bytes), c.prefix]), [[4, '198.18.0.254', 24], [6, '2001:db8::fe', 64]])
  t.same(diags(text), [], 'no warnings either')
})

t.test('yes/no and YAML booleans are both accepted', async t => {
  for (const [v, want] of [['yes', true], ['no', false], ['true', true], ['false', false], ['"yes"', true]] as const) {
    const p = loadPolicyText(`settings: { tcp: { allow-challenge-ack: ${v} } }`, 'b.yaml')
    t.equal(p.settings.tcp.allowChallengeAck, want, v)
  }
  const e = onlyError('settings:\n  tcp:\n    drop-zero-flag: maybe\n')
  t.same([e.line, e.col], [3, 21])
  t.match(e.message, /must be yes or no/)
  t.equal(compilePolicy({ settings: { session: { 'tcp-reject-non-syn': false } } }).settings.session.tcpRejectNonSyn, false)
})

t.test('ranges (docs/panos-model.md#timers) are enforced at both ends', async t => {
  for (const spec of [...SESSION_SPECS, ...TCP_SPECS, ...EMULATOR_SPECS]) {
    if (spec.kind !== 'int') continue
    const section = SESSION_SPECS.includes(spec) ? 'session' : EMULATOR_SPECS.includes(spec) ? 'emulator' : 'tcp'
    const ok = (v: number): boolean => diags(`settings:\n  ${section}:\n    ${spec.key}: ${v}\n`).every(d => d.severity !== 'error')
    t.ok(ok(spec.min), `${spec.key} ${spec.min} accepted`)
    t.ok(ok(spec.max), `${spec.key} ${spec.max} accepted`)
    t.notOk(ok(spec.min - 1), `${spec.key} ${spec.min - 1} refused`)
    t.notOk(ok(spec.max + 1), `${spec.key} ${spec.max + 1} refused`)
  }
  const e = onlyError('settings:\n  session:\n    timeout-tcpinit: 61\n')
  t.same([e.line, e.col, e.path], [3, 22, 'settings.session.timeout-tcpinit'])
  t.match(e.message, /61, outside its range 1–60/)
  t.match(onlyError('settings: { session: { timeout-tcp-time-wait: 0 } }').message, /range 1–600/)
  t.match(onlyError('settings: { session: { timeout-tcp: 1.5 } }').message, /must be an integer/)
  t.match(onlyError('settings: { session: { timeout-tcp: "60" } }').message, /must be an integer/)
  t.match(onlyError('settings: { session: { accelerated-aging-scaling-factor: 6 } }').message, /power of two/)
  t.match(onlyError('settings: { emulator: { reset-on-age-out: always } }').message, /none, client, server, both/)
  t.match(onlyError('settings: { tcp: { asymmetric-path: bypas } }').message, /did you mean 'bypass'/)
  t.match(onlyError('settings: { session: { timeout-tcp: [1] } }').message, /not a list/)
})

t.test('time-wait above half-closed: kept as configured, warned, capped by effectiveTimeWait', async t => {
  const text = 'settings:\n  session:\n    timeout-tcp-half-closed: 10\n    timeout-tcp-time-wait: 20\n'
  const p = loadPolicyText(text, 'tw.yaml')
  t.equal(p.settings.session.timeoutTcpTimeWait, 20)
  t.equal(effectiveTimeWait(p.settings.session), 10)
  t.equal(effectiveTimeWait(defaultSettings().session), 15)
  const ds = diags(text)
  t.same(ds.map(d => [d.severity, d.line, d.col]), [['warning', 4, 28]])
  t.match(ds[0]!.message, /effective time-wait is 10/)
  t.same(p.warnings?.map(w => w.line), [4], 'warnings travel with the policy')
})

t.test('emulator addresses must name defined zones and be addresses', async t => {
  const e = onlyError('zones: { trust: { interfaces: [eth0] } }\nsettings:\n  emulator:\n    addresses: { trsut: [198.18.0.254] }\n')
  t.same([e.line, e.col], [4, 18])
  t.match(e.message, /zone 'trsut'.*did you mean 'trust'/)
  const e2 = onlyError('zones: { trust: { interfaces: [eth0] } }\nsettings:\n  emulator:\n    addresses: { trust: [198.18.0.999] }\n')
  t.same([e2.line, e2.col], [4, 26])
  t.match(e2.message, /not an IPv4 or IPv6/)
  const p = loadPolicyText('zones: { trust: { interfaces: [eth0] } }\nsettings: { emulator: { addresses: { trust: 198.18.0.254 } } }', 'x')
  t.equal(p.settings.emulator.addresses.get('trust')?.[0]?.prefix, 32, 'a single address is a one-item list')
})

t.test('zone types: layer3 by default; only a layer3 zone may have firewall addresses', async t => {
  const p = loadPolicyText('zones:\n  a: { networks: [any] }\n  b: { type: virtual-wire, interfaces: [e1] }\n  c: { type: tap, interfaces: [e2] }\n', 'x')
  t.same(p.zones.map(z => [z.name, z.type]), [['a', 'layer3'], ['b', 'virtual-wire'], ['c', 'tap']])
  const e = onlyError('zones:\n  v: { type: virtual-wire, interfaces: [e1] }\nsettings: { emulator: { addresses: { v: [198.18.0.254/24] } } }\n')
  t.same([e.line, e.col], [3, 38])
  t.match(e.message, /zone 'v' is type virtual-wire.*no IP address of its own.*type: layer3/)
  const e2 = onlyError('zones:\n  v: { type: vwire, interfaces: [e1] }\n')
  t.same([e2.line, e2.col], [2, 14])
  t.match(e2.message, /'type' must be one of layer3, virtual-wire, tap, not "vwire"/)
  const e3 = onlyError('zones:\n  v: { type: layer2, interfaces: [e1] }\n')
  t.match(e3.message, /zone 'v' is type layer2, a PAN-OS zone type rstlab does not model; use layer3, virtual-wire, tap/)
  t.equal(loadPolicyText('settings: { emulator: { icmp-unreachable-tcp: no } }', 'x').settings.emulator.icmpUnreachableTcp, false)
})
