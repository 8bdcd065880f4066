/**
 * The policy keys added for PAN-OS fields (issue #14): negate-source/-destination, rule-type, disabled,
 * default-rules — validation with positions, matching, and the shadow check.
 */
import t from 'tap'
import { loadPolicyText } from '../../src/policy/load.js'
import { diags, key, onlyError } from './helpers.js'

const Z = 'zones:\n  a: { networks: [198.18.0.0/24] }\n  b: { networks: [198.18.1.0/24] }\n'

t.test('bad values are errors at their position', async t => {
  let e = onlyError(Z + 'rules:\n  - { name: r, negate-source: yes, action: deny }\n')
  t.match(e, { line: 5, message: /negates 'source: any', which matches nothing/ })
  e = onlyError(Z + 'rules:\n  - { name: r, from: [a], to: [b], rule-type: intrazone, action: deny }\n')
  t.match(e, { line: 5, col: 31, message: /rule-type intrazone.*leave 'to' out/ })
  e = onlyError(Z + 'rules:\n  - { name: r, rule-type: inter, action: deny }\n')
  t.match(e, { line: 5, message: /'rule-type' must be one of universal, intrazone, interzone, not "inter"/ })
  e = onlyError(Z + 'default-rules:\n  interzone-default: { action: resetboth }\n')
  t.match(e, { line: 5, message: /'action' must be one of/ })
  e = onlyError(Z + 'default-rules:\n  intra-default: { action: deny }\n')
  t.match(e, { line: 5, col: 3, message: /unknown key 'intra-default'/ })
  e = onlyError(Z + 'rules:\n  - { name: r, disabled: maybe, action: deny }\n')
  t.match(e, { line: 5, message: /'disabled' must be yes or no/ })
})

t.test('disabled rules neither match nor shadow; negated rules do not shadow what they exclude', async t => {
  const text = Z + 'rules:\n' +
    '  - { name: off, disabled: yes, action: deny }\n' +
    '  - { name: not-b, destination: [198.18.1.0/24], negate-destination: yes, action: drop }\n' +
    '  - { name: to-b, destination: [198.18.1.5], action: reset-client }\n' +
    '  - { name: all, action: allow }\n' +
    '  - { name: after, service: [tcp/80], action: deny }\n'
  const shadow = diags(text).filter(d => /shadowed/.test(d.message))
  t.same(shadow.map(d => d.line), [9], "only 'after' (under 'all') is shadowed")
  const p = loadPolicyText(text, 'p.yaml')
  t.equal(p.rules.length, 5, 'the disabled rule keeps its place')
  t.equal(p.rules[1]!.index, 1)
  t.equal(p.lookup(key('a', 'b', '198.18.0.1', '198.18.1.5', 'tcp', 80)).ruleName, 'to-b')
  t.equal(p.lookup(key('a', 'b', '198.18.0.1', '198.18.2.5', 'tcp', 80)).ruleName, 'not-b')
})

t.test('rule-type and default-rules', async t => {
  const p = loadPolicyText(Z + 'default-rules:\n  intrazone-default: { action: deny }\n  interzone-default: { action: allow }\n' +
    'rules:\n  - { name: in-a, from: [a], rule-type: intrazone, action: reset-both }\n  - { name: across, rule-type: interzone, service: [udp/53], action: drop, icmp-unreachable: yes }\n', 'p.yaml')
  t.equal(p.lookup(key('a', 'a', '198.18.0.1', '198.18.0.2', 'tcp', 22)).ruleName, 'in-a')
  t.equal(p.lookup(key('a', 'b', '198.18.0.1', '198.18.1.2', 'tcp', 22)).action, 'allow', 'interzone-default overridden to allow')
  t.equal(p.lookup(key('b', 'b', '198.18.1.1', '198.18.1.2', 'tcp', 22)).action, 'deny', 'intrazone-default overridden to deny')
  t.equal(p.lookup(key('b', 'a', '198.18.1.1', '198.18.0.2', 'udp', 53)).ruleName, 'across')
  t.equal(p.lookup(key('b', 'b', '198.18.1.1', '198.18.1.2', 'udp', 53)).ruleName, 'intrazone-default', 'interzone rule not within a zone')
})
