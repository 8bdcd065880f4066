import t from 'tap'
import { loadPolicyText } from '../../src/policy/load.js'
import { diags, onlyError } from './helpers.js'

const TEXT = `threats:
  signatures:
    - { name: evil-get, content: "GET /evil", offset: 0, depth: 200, direction: c2s, service: [tcp/80], severity: high, action: reset-both }
    - { name: bad-bytes, hex: "de ad be ef", action: drop }
  profiles:
    strict: [evil-get, bad-bytes]
rules:
  - { name: web, action: allow, profile: strict }
`

t.test('signatures and profiles as in issue #6', async t => {
  const p = loadPolicyText(TEXT, 'threats.yaml')
  const [a, b] = p.threats.signatures
  t.equal(a!.name, 'evil-get')
  t.same(a!.content, Buffer.from('GET /evil'))
  t.same([a!.offset, a!.depth, a!.direction, a!.severity, a!.action], [0, 200, 'c2s', 'high', 'reset-both'])
  t.same(a!.service, [{ kind: 'port', proto: 'tcp', ranges: [[80, 80]], text: 'tcp/80' }])
  t.equal(a!.where, 'threats.yaml:3:7')
  t.same(b!.content, Buffer.from([0xde, 0xad, 0xbe, 0xef]))
  t.same([b!.offset, b!.depth, b!.direction, b!.severity, b!.action], [undefined, undefined, 'both', 'medium', 'drop'])
  t.same(b!.service, [{ kind: 'any' }])
  t.same([...p.threats.profiles], [['strict', ['evil-get', 'bad-bytes']]])
  t.equal(p.rules[0]!.profile, 'strict')
  t.same(diags(TEXT), [])
})

t.test('defaults: action alert, hex without spaces or with colons', async t => {
  const p = loadPolicyText('threats:\n  signatures:\n    - { name: s, hex: "DEADbeef" }\n    - { name: u, hex: "01:02" }\n', 'x')
  t.same(p.threats.signatures.map(s => [s.action, s.content.toString('hex')]), [['alert', 'deadbeef'], ['alert', '0102']])
})

t.test('signature errors', async t => {
  const sig = (body: string): string => `threats:\n  signatures:\n    - { name: s, ${body} }\n`
  const cases: Array<[string, string, RegExp]> = [
    ['no content', sig('action: drop'), /exactly one of content/],
    ['both content and hex', sig('content: a, hex: "00"'), /exactly one of content/],
    ['odd hex', sig('hex: "abc"'), /pairs of hex digits/],
    ['non-hex', sig('hex: "zz"'), /pairs of hex digits/],
    ['bad action', sig('content: a, action: block'), /alert, allow, drop, reset-client, reset-server, reset-both/],
    ['deny is not a threat action', sig('content: a, action: deny'), /must be one of alert/],
    ['bad severity', sig('content: a, severity: severe'), /informational, low, medium, high, critical/],
    ['bad direction', sig('content: a, direction: up'), /c2s, s2c, both/],
    ['negative offset', sig('content: a, offset: -1'), /outside its range/],
    ['depth too small', sig('content: abcd, offset: 2, depth: 5'), /can never match/],
    ['app-default in a signature', sig('content: a, service: application-default'), /only for rules/],
    ['bad service', sig('content: a, service: [tcp/99999]'), /0–65535/],
  ]
  for (const [what, text, re] of cases) t.match(onlyError(text).message, re, what)
  const dup = onlyError('threats:\n  signatures:\n    - { name: s, content: a }\n    - { name: s, content: b }\n')
  t.same([dup.line, dup.col], [4, 15])
  t.match(dup.message, /duplicate signature name 's' \(first used at line 3\)/)
})

t.test('profiles must name existing signatures; rules must name existing profiles', async t => {
  const e = onlyError('threats:\n  signatures:\n    - { name: evil-get, content: a }\n  profiles:\n    strict: [evil-got]\n')
  t.same([e.line, e.col], [5, 14])
  t.match(e.message, /signature 'evil-got'.*did you mean 'evil-get'.*defined signatures: evil-get/)
  const r = onlyError('threats:\n  profiles:\n    strict: []\nrules:\n  - { name: r, action: allow, profile: strict }\n')
  t.match(r.message, /'strict' is an empty list/, 'an empty profile is one error; the rule using it is not blamed too')
  const ds = diags('threats:\n  signatures: [{ name: a, content: x }]\n  profiles: { p: [a] }\nrules:\n  - { name: r, action: allow, profile: q }\n')
  t.match(ds.map(d => d.message), [/profile 'q'.*did you mean 'p'\?\); defined profiles: p/])
  const w = diags('threats:\n  signatures: [{ name: a, content: x }]\n  profiles: { p: [a] }\nrules:\n  - { name: r, action: drop, profile: p }\n')
  t.same(w.map(d => [d.severity, d.line]), [['warning', 5]])
  t.match(w[0]!.message, /never inspects/)
})
