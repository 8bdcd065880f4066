/**
 * A policy crossing a thread boundary: `pack` → structured clone (typed arrays transferred) →
 * `fromPacked` must give the same policy (every lookup, the rules, warnings, facts), and loading in a
 * worker thread must give what `loadPolicyFile` gives, or the same error.
 */
import t, { type Test } from 'tap'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { compilePolicy, loadPolicyFile, PolicyError } from '../../src/policy/load.js'
import { CompiledPolicy, packedTransferList } from '../../src/policy/match.js'
import { loadPolicyInWorker, MIN_HEAP_MB } from '../../src/cli/live/reload-worker.js'
import type { LookupKey, Policy } from '../../src/policy/types.js'
import { RstlabError } from '../../src/errors.js'
import { mulberry32 } from '../helpers/prng.js'
import { randomKey } from '../helpers/policy-keys.js'

const ZONES = ['a', 'b', 'c']
const APPS = ['ssh', 'web-browsing', 'dns']

function randomRules (rnd: () => number, n: number): unknown[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const some = <T>(xs: T[]): T[] | 'any' => rnd() < 0.4 ? 'any' : [...new Set([pick(xs), pick(xs)])]
  const v4 = (): string => `198.${18 + Math.floor(rnd() * 2)}.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 8) * 32}/${pick([8, 16, 24, 32])}`
  const v6 = (): string => `2001:db8:${Math.floor(rnd() * 3).toString(16)}::/${pick([16, 32, 48, 128])}`
  const addrs = (): string[] | 'any' => rnd() < 0.4 ? 'any' : Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => rnd() < 0.7 ? v4() : v6())
  const rules: unknown[] = []
  for (let i = 0; i < n; i++) {
    const app = some(APPS)
    const r: Record<string, unknown> = {
      name: `r${i}`, from: some(ZONES), to: some(ZONES), source: addrs(), destination: addrs(), application: app,
      service: rnd() < 0.2 ? 'any' : app !== 'any' && rnd() < 0.3 ? 'application-default' : [`${pick(['tcp', 'udp'])}/${pick(['22', '53', '80', '1000-1010', '80,443'])}`],
      action: pick(['allow', 'deny', 'drop', 'reset-both']),
    }
    if (r.source !== 'any' && rnd() < 0.15) r['negate-source'] = true
    if (rnd() < 0.1) { r['rule-type'] = 'interzone' }
    if (rnd() < 0.1) r.disabled = true
    if (r.action === 'drop' && rnd() < 0.3) r['icmp-unreachable'] = true
    if (r.action === 'allow' && rnd() < 0.2) r.profile = 'strict'
    if (rnd() < 0.1) r.description = `règle ${i} — ünïcode`
    rules.push(r)
  }
  return rules
}

function randomPolicy (seed: number, n: number): CompiledPolicy {
  return compilePolicy({
    zones: { a: { interfaces: ['e0'], networks: ['198.18.0.0/16'] }, b: { interfaces: ['e1'], networks: ['198.19.0.0/16'] }, c: { interfaces: ['e2'] } },
    threats: { signatures: [{ name: 'evil', content: 'GET /evil' }], profiles: { strict: ['evil'] } },
    rules: randomRules(mulberry32(seed), n),
  }) as CompiledPolicy
}

/** The policy after a trip through a structured clone with its buffers transferred. */
function roundTrip (p: CompiledPolicy): CompiledPolicy {
  const packed = p.pack()
  return CompiledPolicy.fromPacked(structuredClone(packed, { transfer: packedTransferList(packed) }))
}

function sameLookups (t: Test, a: Policy, b: Policy, seed: number, n: number): void {
  const rnd = mulberry32(seed)
  let bad = 0
  for (let i = 0; i < n; i++) {
    const k = randomKey(rnd)
    const x = a.lookup(k); const y = b.lookup(k)
    if (x.ruleName !== y.ruleName || x.action !== y.action || x.tentative !== y.tentative || x.rule?.index !== y.rule?.index) {
      if (bad++ < 3) t.fail(`key ${JSON.stringify({ ...k, src: [...k.src], dst: [...k.dst] })}: ${x.ruleName} vs ${y.ruleName}`)
    }
  }
  t.equal(bad, 0, `${n} lookups agree`)
}

t.test('pack → structured clone → fromPacked is the same policy', async t => {
  for (const seed of [1, 2, 3]) {
    const p = randomPolicy(seed, 20 + seed * 40) // both the scan (≤ 32 rules) and the index
    const q = roundTrip(p)
    sameLookups(t, p, q, seed, 3000)
    t.same(q.rules, p.rules, 'rules rebuilt exactly (addresses, services, unicode text)')
    t.same(q.warnings, p.warnings, 'warnings')
    t.same(q.facts, p.facts, 'facts')
    t.same(q.settings, p.settings, 'settings')
    t.ok(Buffer.isBuffer(q.threats.signatures[0]!.content), 'signature content is a Buffer again')
    t.equal(q.ruleNamed('r7')?.index, 7, 'ruleNamed')
    t.equal(q.ruleNamed('nope'), undefined)
    sameLookups(t, p, p, seed, 200) // the original still works: its arrays were copied, not handed over
  }
})

t.test('facts are what a walk over the rules finds', async t => {
  const p = randomPolicy(9, 120)
  t.same(p.facts.icmpUnreachable, p.rules.filter(r => r.icmpUnreachable).map(r => r.name))
  t.equal(p.facts.anyAppRule, p.rules.some(r => r.application !== 'any'))
  t.same(p.facts.profiles.map(x => x.profile), [...new Set(p.rules.flatMap(r => r.profile === undefined ? [] : [r.profile]))])
})

/** The zones a (e0, 198.18/16) and b (e1, 198.19/16), and the `rules:` key. */
const TWO_ZONE_HEAD = ['zones:', '  a: { interfaces: [e0], networks: [198.18.0.0/16] }', '  b: { interfaces: [e1], networks: [198.19.0.0/16] }', 'rules:']

/** Zones a (e0, 198.18/16) and b (e1, 198.19/16), 200 drop rules a→b (r<i>: 198.19.0.<i>, tcp/1000+i), then allow all; its path. */
function twoZonePolicy (dir: string, name: string): string {
  const file = path.join(dir, name)
  const lines = [...TWO_ZONE_HEAD]
  for (let i = 0; i < 200; i++) lines.push(`  - { name: r${i}, from: a, to: b, destination: 198.19.0.${i}, service: tcp/${1000 + i}, action: drop }`)
  lines.push('  - { name: last, action: allow }', '')
  writeFileSync(file, lines.join('\n'))
  return file
}

t.test('the bridge ports\' zone pairs are indexed at load, off the packet path', async t => {
  const dir = t.testdir({})
  const file = twoZonePolicy(dir, 'p.yaml')
  const ab: LookupKey = { fromZone: 'a', toZone: 'b', src: Uint8Array.of(198, 18, 0, 1), dst: Uint8Array.of(198, 19, 0, 5), proto: 6, sport: 1, dport: 1005 }
  const ba: LookupKey = { fromZone: 'b', toZone: 'a', src: Uint8Array.of(198, 19, 0, 5), dst: Uint8Array.of(198, 18, 0, 1), proto: 6, sport: 1005, dport: 1 }
  // Without ports (before this change): nothing is built ahead, the first lookup builds on the packet path.
  const plain = (await loadPolicyInWorker(file).promise).policy as CompiledPolicy
  t.same(plain.builtPairs(), [])
  plain.lookup(ab)
  t.equal(plain.lazyPairBuilds, 1, 'a lookup builds the index itself when nobody did')
  // With the bridge's ports: both directions arrive built, and sessions build nothing.
  const p = (await loadPolicyInWorker(file, undefined, undefined, ['e0', 'e1']).promise).policy as CompiledPolicy
  t.same(p.builtPairs(), [['a', 'b'], ['b', 'a']], 'both directions of the bridge come indexed')
  t.equal(p.lookup(ab).ruleName, 'r5')
  t.equal(p.lookup(ba).ruleName, 'last')
  t.equal(p.lazyPairBuilds, 0, 'no index was built on the lookup path')
  t.same(p.portPairs(['e0', 'nozone']), [], 'an interface without a zone: any pair is possible, none is guessed')
  t.same(p.portPairs(['e0']), [], 'a tap: none')
})

t.test('loading in a worker thread: same policy, same errors, bounded', async t => {
  const dir = t.testdir({})
  const good = twoZonePolicy(dir, 'good.yaml')
  const sync = loadPolicyFile(good) as CompiledPolicy
  // The running policy has built the a→b index; the worker builds it for the new policy too.
  sync.lookup({ fromZone: 'a', toZone: 'b', src: Uint8Array.of(198, 18, 0, 1), dst: Uint8Array.of(198, 19, 0, 5), proto: 6, sport: 1, dport: 1005 })
  const { policy, loadMs } = await loadPolicyInWorker(good, sync).promise
  t.ok(policy instanceof CompiledPolicy && loadMs >= 0)
  t.same((policy as CompiledPolicy).builtPairs(), [['a', 'b']], 'the zone pairs in use come indexed')
  t.same(policy.rules, sync.rules)
  const rnd = mulberry32(5)
  for (let i = 0; i < 500; i++) {
    const k: LookupKey = { fromZone: 'a', toZone: 'b', src: Uint8Array.of(198, 18, 0, 1), dst: Uint8Array.of(198, 19, 0, Math.floor(rnd() * 256)), proto: 6, sport: 1, dport: 1000 + Math.floor(rnd() * 256) }
    if (policy.lookup(k).ruleName !== sync.lookup(k).ruleName) { t.fail('lookup differs'); break }
  }

  const bad = path.join(dir, 'bad.yaml')
  writeFileSync(bad, 'rules:\n  - name: x\n    action: explode\n')
  let syncErr: unknown
  try { loadPolicyFile(bad) } catch (e) { syncErr = e }
  const e = await loadPolicyInWorker(bad).promise.then(() => undefined, (x: unknown) => x)
  t.ok(e instanceof PolicyError, 'a bad file: a PolicyError')
  t.equal((e as PolicyError).message, (syncErr as PolicyError).message, 'the same message')
  t.same((e as PolicyError).diagnostics, (syncErr as PolicyError).diagnostics, 'with all its diagnostics')
  await t.rejects(loadPolicyInWorker(path.join(dir, 'missing.yaml')).promise, { code: 'RSTLAB_ERR_IO', message: /no such file/ })
  const huge = path.join(dir, 'huge.yaml')
  writeFileSync(huge, Buffer.alloc((32 << 20) + 1, '#'))
  await t.rejects(loadPolicyInWorker(huge).promise, { code: 'RSTLAB_ERR_LIMIT' }, 'over the file-size limit')
  // A heap budget too small for the file: the worker dies, the load is refused, this thread is untouched.
  const big = path.join(dir, 'big.yaml')
  const bigLines = [...TWO_ZONE_HEAD]
  for (let i = 0; i < 40000; i++) bigLines.push(`  - { name: r${i}, from: a, to: b, destination: 198.19.${i >> 8}.${i & 255}, service: tcp/${1000 + (i % 50000)}, action: drop }`)
  writeFileSync(big, bigLines.join('\n') + '\n')
  const oom = await loadPolicyInWorker(big, undefined, MIN_HEAP_MB).promise.then(() => undefined, (x: unknown) => x)
  t.ok(oom instanceof RstlabError && oom.code === 'RSTLAB_ERR_LIMIT', `out of its memory budget: refused (${String(oom)})`)
  const job = loadPolicyInWorker(good)
  job.cancel()
  await t.rejects(job.promise, { code: 'RSTLAB_ERR_IO' }, 'cancelled: refused')
})
