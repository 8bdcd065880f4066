import t from 'tap'
import { PolicyError, checkPolicyText, compilePolicy, loadPolicyText } from '../../src/policy/load.js'
import { RstlabError } from '../../src/errors.js'
import { diags } from './helpers.js'

const ZONES = `zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { interfaces: [eth1], networks: [any] }
`

/**
 * [what, yaml, line, token, message regexp, path] — each file has exactly one error, reported at `line`
 * and at the column where `token` starts on that line.
 */
const CASES: Array<[string, string, number, string, RegExp, string]> = [
  ['unknown top-level key', 'setings: {}\n', 1, 'setings', /unknown key 'setings'.*did you mean 'settings'/, 'setings'],
  ['unknown settings section', 'settings:\n  sesion: {}\n', 2, 'sesion', /unknown key 'sesion' in settings.*'session'/, 'settings.sesion'],
  ['unknown session key', 'settings:\n  session:\n    timeout-tpc: 5\n', 3, 'timeout-tpc', /did you mean 'timeout-tcp'/, 'settings.session.timeout-tpc'],
  ['unknown tcp key', 'settings:\n  tcp: { allow-challenge-acks: yes }\n', 2, 'allow-', /'allow-challenge-ack'/, 'settings.tcp.allow-challenge-acks'],
  ['unknown emulator key', 'settings:\n  emulator: { forged-tll: 1 }\n', 2, 'forged-tll', /'forged-ttl'/, 'settings.emulator.forged-tll'],
  ['unknown zone key', 'zones:\n  trust: { interface: [eth0] }\n', 2, 'interface', /did you mean 'interfaces'/, 'zones.trust.interface'],
  ['unknown rule key', 'rules:\n  - { name: r, action: allow, destinaton: [any] }\n', 2, 'destinaton', /did you mean 'destination'/, 'rules[0].destinaton'],
  ['unknown signature key', 'threats:\n  signatures:\n    - { name: s, content: x, severty: high }\n', 3, 'severty', /did you mean 'severity'/, 'threats.signatures[0].severty'],
  ['settings not a map', 'settings: 5\n', 1, '5', /settings must be a map/, 'settings'],
  ['top level not a map', '- a\n- b\n', 1, '-', /the policy file must be a map/, ''],
  ['bad CIDR in rule', 'rules:\n  - name: r\n    action: allow\n    destination: [198.18.1.2/40]\n', 4, '198', /bad prefix length/, 'rules[0].destination[0]'],
  ['bad address in rule', 'rules:\n  - name: r\n    action: allow\n    source: [198.18.1]\n', 4, '198', /not an IPv4 or IPv6/, 'rules[0].source[0]'],
  ['bad IPv6 in zone', 'zones:\n  trust: { networks: ["2001:db8::1::2/64"] }\n', 2, '"2001', /not an IPv4 or IPv6/, 'zones.trust.networks[0]'],
  ['bad action', 'rules:\n  - { name: r, action: block }\n', 2, 'block', /must be one of allow, deny, drop, reset-client, reset-server, reset-both/, 'rules[0].action'],
  ['missing action', 'rules:\n  - name: r\n    service: [tcp/21]\n', 2, 'name', /rule 'r' has no action/, 'rules[0]'],
  ['missing name', 'rules:\n  - action: allow\n', 2, 'action', /rule has no name/, 'rules[0]'],
  ['bad service word', 'rules:\n  - { name: r, action: drop, service: [http] }\n', 2, 'http', /'http' is not a service/, 'rules[0].service[0]'],
  ['bad port', 'rules:\n  - { name: r, action: drop, service: [tcp/70000] }\n', 2, 'tcp/', /ports are 0–65535/, 'rules[0].service[0]'],
  ['backwards range', 'rules:\n  - { name: r, action: drop, service: [tcp/2000-1000] }\n', 2, 'tcp/', /runs backwards/, 'rules[0].service[0]'],
  ['sctp service', 'rules:\n  - { name: r, action: drop, service: [sctp/5] }\n', 2, 'sctp', /not a service/, 'rules[0].service[0]'],
  ['any mixed in', 'rules:\n  - { name: r, action: drop, service: [tcp/21, any] }\n', 2, 'any', /mixes 'any'/, 'rules[0].service[1]'],
  ['app-default without apps', 'rules:\n  - { name: r, action: allow, service: application-default }\n', 2, 'application-', /needs named applications/, 'rules[0].service'],
  ['unknown application', 'rules:\n  - { name: r, action: deny, application: [web-browse] }\n', 2, 'web-', /unknown application 'web-browse'.*did you mean 'web-browsing'.*known applications: any, web-browsing, ssl, ssh, ftp, smtp, dns/, 'rules[0].application[0]'],
  ['undecided application', 'rules:\n  - { name: r, action: deny, application: [unknown-tcp] }\n', 2, 'unknown-tcp', /cannot decide; rules cannot name it.*Known applications: web-browsing/, 'rules[0].application[0]'],
  ['duplicate rule name', 'rules:\n  - { name: r, action: allow }\n  - { name: r, action: drop }\n', 3, 'r,', /duplicate rule name 'r' \(first used at line 2\)/, 'rules[1].name'],
  ['default rule name', 'rules:\n  - { name: interzone-default, action: allow }\n', 2, 'interzone', /implicit default rule/, 'rules[0].name'],
  ['unknown zone in from', `${ZONES}rules:\n  - { name: r, action: allow, from: [trsut] }\n`, 5, 'trsut', /unknown zone 'trsut'.*did you mean 'trust'.*defined zones: trust, untrust/, 'rules[0].from[0]'],
  ['unknown zone in to', `${ZONES}rules:\n  - { name: r, action: allow, to: [dmz] }\n`, 5, 'dmz', /unknown zone 'dmz'; defined zones: trust, untrust/, 'rules[0].to[0]'],
  ['duplicate interface', 'zones:\n  a: { interfaces: [eth0] }\n  b: { interfaces: [eth1, eth0] }\n', 3, 'eth0', /interface 'eth0' is already in zone 'a' \(line 2\)/, 'zones.b.interfaces[1]'],
  ['same network in two zones', 'zones:\n  a: { networks: [198.18.0.0/24] }\n  b: { networks: [198.18.0.9/24] }\n', 3, '198', /also in zone 'a'/, 'zones.b.networks[0]'],
  ['any network in two zones', 'zones:\n  a: { networks: [any] }\n  b: { networks: [any] }\n', 3, 'any', /'any' is also in zone 'a'/, 'zones.b.networks[0]'],
  ['zone named any', 'zones:\n  any: { interfaces: [eth0] }\n', 2, 'any', /'any' is reserved/, 'zones.any'],
  ['bool as string list', 'rules:\n  - { name: r, action: allow, icmp-unreachable: sometimes }\n', 2, 'sometimes', /yes or no/, 'rules[0].icmp-unreachable'],
  ['empty list', 'rules:\n  - { name: r, action: allow, source: [] }\n', 2, '[]', /empty list/, 'rules[0].source'],
  ['number in a list', 'rules:\n  - { name: r, action: allow, service: [80] }\n', 2, '80', /non-empty strings/, 'rules[0].service[0]'],
  ['rules not a list', 'rules: { name: r }\n', 1, '{', /must be a list/, 'rules'],
  ['YAML syntax', 'rules:\n  - { name: r, action: allow\n', 3, '', /YAML:/, ''],
  ['YAML duplicate key', 'settings: {}\nsettings: {}\n', 2, 'settings', /YAML: Map keys must be unique/, ''],
  ['unknown profile', 'rules:\n  - { name: r, action: allow, profile: strict }\n', 2, 'strict', /profile 'strict'.*defined profiles: \(none\)/, 'rules[0].profile'],
]

t.test('each validation error, with line:col and path', async t => {
  for (const [what, text, line, token, re, path] of CASES) {
    const d = diags(text).filter(x => x.severity === 'error')
    t.equal(d.length, 1, `${what}: exactly one error`)
    if (d.length !== 1) { t.comment(JSON.stringify(d)); continue }
    const col = (text.split('\n')[line - 1] ?? '').indexOf(token) + 1
    t.ok(col > 0, `${what}: token found`)
    t.same([d[0]!.line, d[0]!.col], [line, col], `${what}: position`)
    t.match(d[0]!.message, re, `${what}: message`)
    t.equal(d[0]!.path, path, `${what}: path`)
  }
})

t.test('all errors are found in one pass; the thrown error names the first', async t => {
  const text = `${ZONES}rules:
  - { name: a, action: block }
  - { name: b, action: allow, from: [nowhere], service: [tcp/x] }
`
  const r = checkPolicyText(text, 'multi.yaml')
  t.equal(r.policy, undefined, 'nothing half-loaded')
  t.same(r.diagnostics.map(d => d.line), [5, 6, 6])
  let e: unknown
  try { loadPolicyText(text, 'multi.yaml') } catch (err) { e = err }
  t.ok(e instanceof PolicyError, 'a PolicyError')
  t.ok(e instanceof RstlabError, 'and an RstlabError')
  const pe = e as PolicyError
  t.equal(pe.code, 'RSTLAB_ERR_POLICY')
  t.match(pe.message, /^multi\.yaml:5:24: 'action' must be one of .* \(2 more errors\)$/)
  t.equal(pe.errors.length, 3)
  t.equal(pe.diagnostics.length, 3)
  t.match(pe.hint, /rstlab policy check multi\.yaml/)
})

t.test('inline objects report paths instead of positions', async t => {
  t.throws(() => compilePolicy({ rules: [{ name: 'r', action: 'allow', service: ['tcp/21', 'udp/x'] }] }, 'scenario.rst'),
    { code: 'RSTLAB_ERR_POLICY', message: /^scenario\.rst:rules\[0\]\.service\[1\]: 'udp\/x'/ })
  t.throws(() => compilePolicy({ rulez: [] }), { message: /^<inline>:rulez: unknown key 'rulez'.*'rules'/ })
  t.throws(() => compilePolicy('nonsense'), { message: /^<inline>:\(top\): the policy file must be a map/ })
})

t.test('warnings do not stop loading', async t => {
  const text = 'zones:\n  empty: {}\nrules:\n  - { name: r, action: allow, icmp-unreachable: yes }\n'
  const r = checkPolicyText(text, 'w.yaml')
  t.ok(r.policy)
  t.same(r.diagnostics.map(d => [d.severity, d.line, d.col]), [['warning', 2, 3], ['warning', 4, 49]])
  t.match(r.diagnostics[0]!.message, /neither interfaces nor networks/)
  t.match(r.diagnostics[1]!.message, /icmp-unreachable has no effect/)
})

t.test('shadowed rules are warned about', async t => {
  const shadow = (rules: string): string[] => diags(`${ZONES}rules:\n${rules}`)
    .filter(d => d.severity === 'warning').map(d => `${d.line}:${d.col} ${d.message}`)
  t.match(shadow('  - { name: all, action: allow }\n  - { name: ftp, action: drop, service: [tcp/21] }\n'),
    [/^6:5 rule 'ftp' is shadowed by rule 'all' \(line 5\)/])
  t.same(shadow('  - { name: ftp, action: drop, service: [tcp/21] }\n  - { name: all, action: allow }\n'), [], 'narrow first is fine')
  t.match(shadow('  - { name: wide, action: drop, from: [trust], destination: [198.18.0.0/16], service: [tcp/1-1000, tcp/1001-2000] }\n' +
    '  - { name: narrow, action: allow, from: [trust], destination: [198.18.1.0/24, 198.18.2.2], service: [tcp/21, tcp/900-1100] }\n'),
  [/'narrow' is shadowed by rule 'wide'/], 'covered by the union of ranges')
  t.same(shadow('  - { name: a, action: drop, from: [trust], service: [tcp/21] }\n  - { name: b, action: allow, service: [tcp/21] }\n'), [],
    'b also matches from untrust')
  t.same(shadow('  - { name: a, action: drop, service: [tcp/21] }\n  - { name: b, action: allow, service: [udp/21] }\n'), [], 'other protocol')
  t.same(shadow('  - { name: a, action: drop, destination: [198.18.0.0/24] }\n  - { name: b, action: allow, destination: ["2001:db8::1"] }\n'), [],
    'v4 prefix does not cover v6')
  t.same(shadow('  - { name: a, action: allow, application: [ssh] }\n  - { name: b, action: allow, application: [ssh, ftp] }\n'), [],
    'application superset needed')
  t.match(shadow('  - { name: a, action: allow, application: [ssh, ftp], service: application-default }\n' +
    '  - { name: b, action: drop, application: [ssh], service: application-default }\n'), [/'b' is shadowed by rule 'a'/])
  t.same(shadow('  - { name: a, action: drop, service: [tcp/1-100] }\n  - { name: b, action: allow, service: [tcp/50-150] }\n'), [],
    'partial overlap is not shadowing')
})

t.test('rule fields default to any; single strings stand for one-item lists', async t => {
  const p = loadPolicyText(`${ZONES}rules:\n  - { name: r, action: drop, from: trust, destination: 198.18.1.2, service: tcp/21 }\n`, 'x')
  const r = p.rules[0]!
  t.same(r.from, ['trust'])
  t.equal(r.to, 'any')
  t.equal(r.source, 'any')
  t.equal(r.application, 'any')
  t.equal(r.destination !== 'any' && r.destination[0]!.prefix, 32)
  t.same(r.service, [{ kind: 'port', proto: 'tcp', ranges: [[21, 21]], text: 'tcp/21' }])
  t.equal(r.icmpUnreachable, false)
  t.equal(r.where, 'x:5:5')
  t.equal(r.index, 0)
  const q = loadPolicyText('rules:\n  - { name: r, action: allow, service: [any], from: [any] }\n', 'y')
  t.same(q.rules[0]!.service, [{ kind: 'any' }])
  t.equal(q.rules[0]!.from, 'any')
})

t.test('service syntax', async t => {
  const svc = (s: string): unknown => loadPolicyText(`rules:\n  - { name: r, action: allow, service: ["${s}"] }\n`, 'x').rules[0]!.service
  t.same(svc('udp/53'), [{ kind: 'port', proto: 'udp', ranges: [[53, 53]], text: 'udp/53' }])
  t.same(svc('tcp/1000-2000'), [{ kind: 'port', proto: 'tcp', ranges: [[1000, 2000]], text: 'tcp/1000-2000' }])
  t.same(svc('tcp/80,443,8000-8080'), [{ kind: 'port', proto: 'tcp', ranges: [[80, 80], [443, 443], [8000, 8080]], text: 'tcp/80,443,8000-8080' }])
  t.same(svc('tcp/80, 443'), [{ kind: 'port', proto: 'tcp', ranges: [[80, 80], [443, 443]], text: 'tcp/80, 443' }])
})
