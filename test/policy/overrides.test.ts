import t from 'tap'
import { PolicyError, compilePolicy, loadPolicyText, withOverrides } from '../../src/policy/load.js'
import { key } from './helpers.js'

const BASE = loadPolicyText(`
settings:
  session: { timeout-tcp: 100 }
  emulator: { addresses: { trust: [198.18.0.254/24] } }
zones:
  trust: { interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { interfaces: [eth1], networks: [any] }
rules:
  - { name: ftp, from: trust, to: untrust, service: tcp/21, action: reset-client }
`, 'base.yaml')

t.test('withOverrides returns a NEW policy with the settings changed', async t => {
  const p = withOverrides(BASE, {
    session: { 'timeout-tcp': 5, 'tcp-reject-non-syn': 'no' },
    tcp: { 'allow-challenge-ack': true },
    emulator: { 'reset-on-age-out': 'client', 'forged-ttl': 128 },
  })
  t.not(p, BASE)
  t.equal(p.settings.session.timeoutTcp, 5)
  t.equal(p.settings.session.tcpRejectNonSyn, false)
  t.equal(p.settings.session.timeoutTcpinit, 5, 'untouched settings keep their values')
  t.equal(p.settings.tcp.allowChallengeAck, true)
  t.equal(p.settings.emulator.resetOnAgeOut, 'client')
  t.equal(p.settings.emulator.forgedTtl, 128)
  t.equal(p.settings.emulator.addresses.get('trust')?.[0]?.text, '198.18.0.254/24', 'addresses kept')
  t.equal(BASE.settings.session.timeoutTcp, 100, 'the original is unchanged')
  t.equal(BASE.settings.tcp.allowChallengeAck, false)
  t.equal(BASE.settings.emulator.forgedTtl, 64)
  t.not(p.settings.emulator.addresses, BASE.settings.emulator.addresses, 'no shared mutable map')
  t.equal(p.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.1', 'tcp', 21)).ruleName, 'ftp', 'rules and zones work')
  t.equal(p.zoneOfInterface('eth1'), 'untrust')
  t.equal(p.zoneOfAddress(new Uint8Array([198, 18, 0, 9])), 'trust')
  t.equal(p.source, 'base.yaml')
})

t.test('overrides can replace emulator addresses (zones checked)', async t => {
  const p = withOverrides(BASE, { emulator: { addresses: { untrust: ['198.18.1.254/24'] } } })
  t.same([...p.settings.emulator.addresses.keys()], ['untrust'])
  t.throws(() => withOverrides(BASE, { emulator: { addresses: { dmz: ['198.18.2.1'] } } }),
    { code: 'RSTLAB_ERR_POLICY', message: /zone 'dmz'/ })
})

t.test('overrides are validated like the file', async t => {
  let e: unknown
  try { withOverrides(BASE, { session: { 'timeout-tcpinit': 100, 'timeout-tpc': 1 } }) } catch (err) { e = err }
  t.ok(e instanceof PolicyError)
  const pe = e as PolicyError
  t.equal(pe.code, 'RSTLAB_ERR_POLICY')
  t.match(pe.message, /^<overrides>:settings\.session\.timeout-tpc: unknown key 'timeout-tpc'.*did you mean 'timeout-tcp'.* \(1 more error\)$/)
  t.match(pe.errors.map(d => `${d.path}: ${d.message}`), [/timeout-tpc/, /^settings\.session\.timeout-tcpinit: 'timeout-tcpinit' is 100, outside its range 1–60$/])
  t.throws(() => withOverrides(BASE, { session: { 'timeout-tcp': 'soon' } }), { message: /must be an integer/ })
  t.throws(() => withOverrides(BASE, { sesion: {} } as never), { message: /unknown key 'sesion'.*'session'/ })
  t.throws(() => withOverrides(BASE, { tcp: { timeoutTcp: 1 } }), { message: /unknown key 'timeoutTcp'/ },
    'camelCase keys are refused: overrides use the YAML names')
  t.equal(BASE.settings.session.timeoutTcpinit, 5, 'a failed override changes nothing')
})

t.test('withOverrides on an inline policy and chained', async t => {
  const a = compilePolicy({ rules: [{ name: 'all', action: 'allow' }] })
  const b = withOverrides(withOverrides(a, { session: { 'timeout-udp': 1 } }), { session: { 'timeout-icmp': 2 } })
  t.same([b.settings.session.timeoutUdp, b.settings.session.timeoutIcmp], [1, 2])
  t.equal(a.settings.session.timeoutUdp, 30)
  t.equal(withOverrides(a, {}).settings.session.timeoutUdp, 30, 'empty overrides: a copy')
})
