import t from 'tap'
import type { Policy, Rule, RuleMatch, ThreatSignature } from '../../src/policy/types.js'
import { Inspection, isDefaultPort, resolveAction } from '../../src/inspect/inspection.js'
import { EV_APP, EV_NONE, EV_THREAT } from '../../src/inspect/session-inspector.js'

function rule (name: string, more: Partial<Rule> = {}): Rule {
  return {
    name, index: 0, from: 'any', to: 'any', source: 'any', destination: 'any', application: 'any',
    service: [{ kind: 'any' }], action: 'allow', icmpUnreachable: false, where: `test:${name}`, ...more,
  }
}

function sig (name: string, content: string, more: Partial<ThreatSignature> = {}): ThreatSignature {
  return { name, content: Buffer.from(content), direction: 'both', service: [], severity: 'critical', action: 'reset-both', where: `test:${name}`, ...more }
}

/** Just enough of a Policy for inspection (lookup is the policy layer's, not used here). */
function policy (rules: Rule[], sigs: ThreatSignature[] = [], profiles: Record<string, string[]> = {}): Policy {
  return {
    source: '<test>', settings: undefined as never, zones: [], rules,
    threats: { signatures: sigs, profiles: new Map(Object.entries(profiles)) },
    zoneOfInterface: () => undefined, zoneOfAddress: () => undefined,
    lookup: () => { throw new Error('not used') },
  }
}

function match (r: Rule | undefined, tentative?: boolean): RuleMatch {
  const m: RuleMatch & { tentative?: boolean } = { rule: r, ruleName: r?.name ?? 'interzone-default', action: r?.action ?? 'deny', icmpUnreachable: false }
  if (tentative !== undefined) m.tentative = tentative
  return m
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1')

t.test('which sessions get an inspector', async t => {
  const portRule = rule('web', { service: [{ kind: 'port', proto: 'tcp', ranges: [[80, 80]], text: 'tcp/80' }] })
  const appRule = rule('no-ssh', { application: ['ssh'], action: 'reset-both' })
  const prof = rule('scanned', { profile: 'strict' })
  const p = policy([portRule, appRule, prof], [sig('x', 'x')], { strict: ['x'] })

  t.ok(Inspection.needed(p))
  t.notOk(Inspection.needed(policy([portRule])), 'port-based rules only: the engine needs no inspection')
  const needed = new Inspection(p)
  t.ok(needed.anyAppRule)
  t.equal(needed.forSession(6, 80, match(portRule)), undefined, 'port-based rule, no profile: fast path, no inspector')
  t.ok(needed.forSession(6, 22, match(appRule, true))?.identifier, 'tentative match: App-ID runs')
  const scanned = needed.forSession(6, 80, match(prof))!
  t.ok(scanned.matching, 'a profile: threat matching')
  t.ok(scanned.identifier, 'and App-ID, so the threat log names the application')
  t.equal(needed.forSession(1, 0, match(prof)), undefined, 'ICMP is not inspected')

  const all = new Inspection(p, { identify: 'all' })
  const i = all.forSession(6, 80, match(portRule))!
  t.ok(i.identifier, "identify: 'all' names every TCP/UDP session's application")
  t.notOk(i.matching)
  t.equal(i.appName, 'incomplete')
  t.notOk(i.done)
  t.equal(i.feed('c2s', b('GET / HTTP/1.1\r\n'), 0, 16, true), EV_APP)
  t.equal(i.app, 'web-browsing')
  t.ok(i.done, 'decided and nothing to match: the engine can stop feeding it')
})

t.test('a rule naming an unknown profile is a policy error', async t => {
  t.throws(() => new Inspection(policy([rule('r', { profile: 'nope' })])), { code: 'RSTLAB_ERR_POLICY', message: /rule "r" uses unknown threat profile "nope"/ })
})

t.test('resolveAction: deny means the app default once known, drop for port-based rules', async t => {
  const appDeny = rule('a', { application: ['ssh', 'dns'], action: 'deny' })
  t.equal(resolveAction(match(appDeny), 'ssh'), 'reset-both')
  t.equal(resolveAction(match(appDeny), 'dns'), 'drop')
  t.equal(resolveAction(match(rule('p', { action: 'deny' })), 'ssh'), 'drop', 'port-based deny is a silent drop')
  t.equal(resolveAction(match(undefined), undefined), 'drop', 'interzone-default')
  t.equal(resolveAction(match(rule('r', { action: 'reset-server' })), 'ssl'), 'reset-server')
})

t.test('application-default ports', async t => {
  t.ok(isDefaultPort('web-browsing', 6, 80))
  t.ok(isDefaultPort('web-browsing', 6, 8080))
  t.notOk(isDefaultPort('web-browsing', 6, 443))
  t.ok(isDefaultPort('dns', 17, 53))
  t.ok(isDefaultPort('dns', 6, 53))
  t.notOk(isDefaultPort('ssh', 17, 22))
  t.notOk(isDefaultPort('unknown-tcp', 6, 80))
})

t.test('feed: events for app and threats, blocking hit, alerts, out-of-order data', async t => {
  const p = policy([rule('r', { profile: 'ips' })],
    [sig('log-it', 'curl/', { action: 'alert', severity: 'low' }), sig('shell', '/bin/sh', { direction: 'c2s' }), sig('leak', 'BEGIN RSA', { direction: 's2c', action: 'reset-server' })],
    { ips: ['log-it', 'shell', 'leak'] })
  const insp = new Inspection(p).forSession(6, 80, match(p.rules[0]))!

  t.equal(insp.feed('c2s', b('GET /?q=/bin/sh'), 0, 15, false), EV_NONE, 'out of order: neither identified nor scanned')
  t.equal(insp.skippedOutOfOrder, 1)
  t.equal(insp.appName, 'incomplete')

  const ev = insp.feed('c2s', b('GET / HTTP/1.1\r\nUser-Agent: curl/8\r\n'), 0, 36, true)
  t.equal(ev, EV_APP | EV_THREAT, 'one packet: app decided and an alert')
  t.equal(insp.app, 'web-browsing')
  t.same(insp.hits.map(h => h.sig.name), ['log-it'])
  t.equal(insp.blockingHit, undefined, 'alert does not block')

  t.equal(insp.feed('s2c', b('HTTP/1.1 200 OK\r\n'), 0, 17, true), EV_NONE, 'hits are cleared on the next call')
  t.same(insp.hits, [])

  const ev2 = insp.feed('c2s', b('x=/bin/s'), 0, 8, true) | insp.feed('c2s', b('h;'), 0, 2, true)
  t.equal(ev2, EV_THREAT, 'split signature found')
  t.equal(insp.blockingHit?.sig.name, 'shell')
  t.equal(insp.blockingHit?.dir, 'c2s')
  t.equal(insp.blockingHit?.sig.action, 'reset-both')
  t.ok(insp.done, 'after a block there is nothing left to match')
  t.equal(insp.feed('s2c', b('BEGIN RSA'), 0, 9, true), EV_NONE, 'no more matching once blocked')
})

t.test('setSignatures: re-evaluation to a rule with another profile', async t => {
  const p = policy([rule('r'), rule('s', { profile: 'ips' })], [sig('bad', 'bad')], { ips: ['bad'] })
  const inspection = new Inspection(p)
  const insp = inspection.forSession(6, 80, match(p.rules[0], true))!
  t.notOk(insp.matching)
  inspection.rematch(insp, 6, 80, match(p.rules[1]))
  t.ok(insp.matching)
  t.equal(insp.feed('c2s', b('so bad'), 0, 6, true) & EV_THREAT, EV_THREAT)
  inspection.rematch(insp, 6, 80, match(p.rules[0]))
  t.notOk(insp.matching)
})
