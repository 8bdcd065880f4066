/**
 * The indexed rule lookup and the indexed shadow check against the plain scans they replace, on seeded
 * random policies large enough (> 32 rules) to use the index: same answer for every key.
 */
import t from 'tap'
import { compilePolicy } from '../../src/policy/load.js'
import { CompiledPolicy } from '../../src/policy/match.js'
import { covers, findShadows } from '../../src/policy/shadow.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'
import { randomKey } from '../helpers/policy-keys.js'

const ZONES = ['a', 'b', 'c']
const APPS = ['ssh', 'web-browsing', 'dns']

function randomPolicy (rnd: () => number): CompiledPolicy {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const some = <T>(xs: T[]): T[] | 'any' => rnd() < 0.4 ? 'any' : [...new Set([pick(xs), pick(xs)])]
  const v4 = (): string => {
    const len = pick([8, 16, 20, 24, 28, 32])
    return `198.${18 + Math.floor(rnd() * 2)}.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 8) * 32}/${len}`
  }
  const v6 = (): string => `2001:db8:${Math.floor(rnd() * 3).toString(16)}::/${pick([16, 32, 48, 64, 128])}`
  const addrs = (): string[] | 'any' => rnd() < 0.4 ? 'any' : Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => rnd() < 0.7 ? v4() : v6())
  const rules: unknown[] = []
  const n = 40 + Math.floor(rnd() * 80)
  for (let i = 0; i < n; i++) {
    const app = some(APPS)
    const svc = rnd() < 0.2 ? 'any' : app !== 'any' && rnd() < 0.3 ? 'application-default'
      : [`${pick(['tcp', 'udp'])}/${pick(['22', '53', '80', '443', '1000-1010', '1-65535', '80,443', '8000-8100'])}`]
    const r: Record<string, unknown> = {
      name: `r${i}`, from: some(ZONES), to: some(ZONES), source: addrs(), destination: addrs(), application: app,
      service: svc, action: pick(['allow', 'deny', 'drop', 'reset-both']),
    }
    for (const k of Object.keys(r)) if (r[k] === 'any' && rnd() < 0.5) delete r[k]
    // PAN-OS fields the index must respect (imported configurations use them): negation, rule type, disabled.
    if (r.source !== undefined && r.source !== 'any' && rnd() < 0.15) r['negate-source'] = true
    if (r.destination !== undefined && r.destination !== 'any' && rnd() < 0.15) r['negate-destination'] = true
    if (rnd() < 0.15) r['rule-type'] = pick(['intrazone', 'interzone'])
    if (r['rule-type'] === 'intrazone') delete r.to
    if (rnd() < 0.1) r.disabled = true
    rules.push(r)
  }
  return compilePolicy({
    zones: { a: { interfaces: ['e0'], networks: ['198.18.0.0/16'] }, b: { interfaces: ['e1'], networks: ['198.19.0.0/16'] }, c: { interfaces: ['e2'] } },
    rules,
  }) as CompiledPolicy
}

t.test('indexed lookup = first-match scan (seeded)', async t => {
  const { base, rounds } = seedRounds(40)
  t.comment(`seed base ${base}`)
  let checked = 0
  for (let r = 0; r < rounds; r++) {
    const rnd = mulberry32(base + r)
    const p = randomPolicy(rnd)
    for (let i = 0; i < 500; i++) {
      const k = randomKey(rnd)
      const a = p.lookup(k); const b = p.lookupLinear(k)
      if (a !== b) { t.same({ rule: a.ruleName, tentative: a.tentative }, { rule: b.ruleName, tentative: b.tentative }, `seed ${base + r}, key ${i}`); break }
      checked++
    }
  }
  t.ok(checked > 0, `${checked} keys agree`)
})

t.test('indexed shadow check = pairwise scan (seeded)', async t => {
  const { base, rounds } = seedRounds(40)
  let shadows = 0
  for (let r = 0; r < rounds; r++) {
    const p = randomPolicy(mulberry32(base + 1000 + r))
    const got = findShadows(p.rules).shadowedBy
    const want = p.rules.map((b, j) => p.rules.slice(0, j).findIndex(a => covers(a, b)))
    t.same([...got], want, `seed ${base + 1000 + r}`)
    shadows += want.filter(x => x >= 0).length
  }
  t.ok(shadows > 0, `${shadows} shadowed rules found`)
})

t.test('the shadow check reports when it stops at its candidate limit', async t => {
  const rules = Array.from({ length: 40 }, (_, i) => ({ name: `r${i}`, action: 'allow' }))
  const p = compilePolicy({ rules }) as CompiledPolicy
  t.equal(findShadows(p.rules, 8).truncated, 31, 'rules with more than 8 candidates are counted')
  t.equal(findShadows(p.rules).truncated, 0)
})
