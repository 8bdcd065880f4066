/**
 * Policy benchmarks.
 *
 * 1. Load + check: `checkPolicyText` (parse, compile, shadow analysis) of generated policies of 1k, 10k
 *    and 100k rules, each in a fresh process (so its peak RSS is its own), 3 runs each: wall and CPU time
 *    (median, min–max) and peak RSS. CPU time is printed because the machine may be shared: wall time then
 *    includes waiting for a core.
 * 2. Session setup with 10k rules: lookups per second, indexed (`lookup`) vs the plain top-down scan
 *    (`lookupLinear`) measured in the same run, keys spread over all rules.
 * 3. Small policy (200 rules) lookup speed, v4 and v6.
 * 4. A 100k-rule reload in a worker thread: what the receiving (packet) thread pays.
 * Run: npm run bench:policy
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadavg, tmpdir } from 'node:os'
import { Engine } from '../src/engine/engine.js'
import { loadPolicyInWorker } from '../src/cli/live/reload-worker.js'
import { checkPolicyText, compilePolicy, loadPolicyText } from '../src/policy/load.js'
import type { CompiledPolicy } from '../src/policy/match.js'
import type { LookupKey } from '../src/policy/types.js'

/** A block-style policy of n rules, ~100 bytes each: distinct destinations and ports, two zones. */
export function generatePolicy (n: number): string {
  const out = ['zones:', '  trust:', '    interfaces: [eth0]', '    networks: [198.18.0.0/16]', '  untrust:',
    '    interfaces: [eth1]', '    networks: [any]', 'rules:']
  for (let i = 0; i < n; i++) {
    out.push(`  - name: r${i}`, '    from: trust', '    to: untrust', `    destination: 198.19.${(i >> 8) & 255}.${i & 255}`,
      `    service: tcp/${1 + (i % 60000)}`, `    action: ${i % 3 === 0 ? 'drop' : 'allow'}`)
  }
  out.push('  - name: last', '    action: allow', '')
  return out.join('\n')
}

if (process.argv[2] === '--child') {
  const n = Number(process.argv[3])
  const text = generatePolicy(n)
  const c0 = process.cpuUsage(); const t0 = performance.now()
  const r = checkPolicyText(text, 'bench.yaml')
  const wall = performance.now() - t0; const c = process.cpuUsage(c0)
  if (r.policy === undefined) throw new Error(`generated policy invalid: ${r.diagnostics[0]?.message}`)
  console.log(JSON.stringify({ bytes: text.length, wall, cpu: (c.user + c.system) / 1000, rssMB: process.resourceUsage().maxRSS / 1024, warnings: r.diagnostics.length }))
  process.exit(0)
}

const fmt = (xs: number[], d = 0): string => {
  const s = xs.slice().sort((a, b) => a - b)
  return `${s[Math.floor(s.length / 2)]!.toFixed(d)} (${s[0]!.toFixed(d)}–${s[s.length - 1]!.toFixed(d)})`
}
console.log(`load average ${loadavg().map(x => x.toFixed(1)).join(' ')} (the machine may be shared; CPU time is the steadier figure)`)
console.log('load + check (parse, compile, shadow analysis); 3 fresh processes each; median (min–max)')
const self = fileURLToPath(import.meta.url)
for (const n of [1000, 10_000, 100_000]) {
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, [self, '--child', String(n)], { encoding: 'utf8' })) as
    { bytes: number, wall: number, cpu: number, rssMB: number })
  console.log(`${String(n).padStart(7)} rules, ${(runs[0]!.bytes / 1e6).toFixed(1).padStart(5)} MB: wall ${fmt(runs.map(r => r.wall))} ms, ` +
    `CPU ${fmt(runs.map(r => r.cpu))} ms, peak RSS ${fmt(runs.map(r => r.rssMB))} MB`)
}

// Session setup with 10k rules: keys aimed at rules all over the list, and misses.
const big = loadPolicyText(generatePolicy(10_000), 'bench.yaml') as CompiledPolicy
const setupKeys: LookupKey[] = []
for (let i = 0; i < 4096; i++) {
  const r = (i * 2654435761 >>> 0) % 10_000
  setupKeys.push({ fromZone: 'trust', toZone: 'untrust', src: new Uint8Array([198, 18, 0, 7]),
    dst: new Uint8Array([198, 19, (r >> 8) & 255, i % 5 === 0 ? 255 - (r & 255) : r & 255]), proto: 6, sport: 40000, dport: 1 + (r % 60000) })
}
function rate (f: (k: LookupKey) => unknown, n: number): number {
  for (let i = 0; i < 2000; i++) f(setupKeys[i % setupKeys.length]!)
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) f(setupKeys[i % setupKeys.length]!)
  return n / (Number(process.hrtime.bigint() - t0) / 1e9)
}
const idx: number[] = []; const lin: number[] = []
for (let k = 0; k < 3; k++) { idx.push(rate(x => big.lookup(x), 300_000)); lin.push(rate(x => big.lookupLinear(x), 3_000)) }
console.log(`session setup, 10k rules: indexed ${fmt(idx.map(x => x / 1e3))} k lookups/s, linear scan ${fmt(lin.map(x => x / 1e3), 1)} k lookups/s`)

// The small policy: 200 rules, most keys falling through to the last ones.
const rules: unknown[] = []
for (let i = 0; i < 198; i++) {
  rules.push({
    name: `r${i}`, from: ['trust'], to: ['untrust'],
    source: [`198.18.${i % 256}.0/24`, `2001:db8:${i.toString(16)}::/48`],
    destination: [`198.19.${i % 256}.0/24`], service: [`tcp/${1000 + i}`, `udp/${2000 + i}-${2100 + i}`], action: 'drop',
  })
}
rules.push({ name: 'apps', application: ['ssh', 'web-browsing'], service: 'application-default', action: 'allow' })
rules.push({ name: 'last', action: 'allow' })
const policy = compilePolicy({
  zones: { trust: { interfaces: ['eth0'], networks: ['198.18.0.0/16', '2001:db8::/32'] }, untrust: { interfaces: ['eth1'], networks: ['any'] } },
  rules,
})

function bench (label: string, keys: LookupKey[], n: number): void {
  let sink = 0
  for (let i = 0; i < 10_000; i++) sink += policy.lookup(keys[i % keys.length]!).action.length // warm-up
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink += policy.lookup(keys[i % keys.length]!).action.length
  const ns = Number(process.hrtime.bigint() - t0)
  console.log(`${label.padEnd(44)} ${(n / (ns / 1e9)).toFixed(0).padStart(10)} lookups/s  ${(ns / n).toFixed(0).padStart(6)} ns/lookup  (${sink % 7})`)
}

const v4 = (a: number, b: number): Uint8Array => new Uint8Array([198, 18 + (a & 1), b & 255, 7])
const keys4: LookupKey[] = []
const keys6: LookupKey[] = []
for (let i = 0; i < 64; i++) {
  keys4.push({ fromZone: 'trust', toZone: 'untrust', src: v4(0, i), dst: v4(1, i + 1), proto: 6, sport: 40000, dport: 80 })
  const s6 = new Uint8Array(16); s6[0] = 0x20; s6[1] = 0x01; s6[2] = 0x0d; s6[3] = 0xb8; s6[5] = i; s6[15] = 1
  const d6 = new Uint8Array(16); d6[0] = 0x20; d6[1] = 0x01; d6[2] = 0x0d; d6[3] = 0xb9; d6[15] = 2
  keys6.push({ fromZone: 'trust', toZone: 'untrust', src: s6, dst: d6, proto: 6, sport: 40000, dport: 443 })
}
console.log(`policy: ${policy.rules.length} rules`)
bench('v4, falls through 198 rules, app unknown', keys4, 500_000)
bench('v4, falls through 198 rules, app known', keys4.map(k => ({ ...k, app: 'web-browsing' })), 500_000)
bench('v6, falls through 198 rules', keys6, 500_000)
bench('v4, first rule matches', [{ ...keys4[0]!, src: v4(0, 0), dst: v4(1, 0), dport: 1000 }], 2_000_000)
const z = new Uint8Array([198, 19, 4, 4])
let zs = 0
const t0 = process.hrtime.bigint()
for (let i = 0; i < 2_000_000; i++) zs += policy.zoneOfAddress(z)!.length
console.log(`${'zoneOfAddress v4'.padEnd(44)} ${(2e6 / (Number(process.hrtime.bigint() - t0) / 1e9)).toFixed(0).padStart(10)} lookups/s  (${zs % 7})`)

// 4. A reload off the packet thread (what a bridge does on SIGHUP): a worker loads 100k rules while this
// thread runs a 1 ms timer; the longest stall of that timer, and the one around the policy's arrival
// (deserializing the message, fromPacked, engine.setPolicy), show what the packet thread pays.
{
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-bench-'))
  const file = path.join(dir, 'p100k.yaml')
  writeFileSync(file, generatePolicy(100_000))
  const running = loadPolicyText(generatePolicy(100), 'small.yaml')
  const engine = new Engine({ policy: running, hooks: { trafficLog: () => {}, threatLog: () => {} }, portNames: ['eth0', 'eth1'] })
  for (let round = 0; round < 4; round++) {
    // Rounds 0-1 as a bridge between eth0 and eth1 reloads (the worker also indexes the ports' zone
    // pairs); rounds 2-3 without the ports: then the first session of a pair builds its index here.
    const ports = round < 2 ? ['eth0', 'eth1'] : undefined
    const gaps: Array<[number, number]> = []
    let last = performance.now()
    const probe = setInterval(() => { const now = performance.now(); gaps.push([last, now]); last = now }, 1)
    const t0 = performance.now()
    const { policy: next, loadMs } = await loadPolicyInWorker(file, running, undefined, ports).promise
    const arrived = performance.now()
    engine.setPolicy(next, { rematch: false, nowUs: 1 })
    const swapped = performance.now()
    await new Promise(resolve => setTimeout(resolve, 20))
    clearInterval(probe)
    const f0 = performance.now()
    next.lookup(keys4[0]!)
    const firstMs = performance.now() - f0
    const worst = Math.max(...gaps.map(([a, b]) => b - a))
    const around = gaps.filter(([a, b]) => b >= arrived - 1 && a <= swapped + 1).reduce((m, [a, b]) => Math.max(m, b - a), 0)
    console.log(`reload 100k rules off the packet thread: ${((arrived - t0) / 1000).toFixed(1)} s (worker ${(loadMs / 1000).toFixed(1)} s); ` +
      `setPolicy ${(swapped - arrived).toFixed(1)} ms; timer stall around the arrival ${around.toFixed(0)} ms, longest ${worst.toFixed(0)} ms; ` +
      `first session lookup ${firstMs.toFixed(2)} ms (${ports === undefined ? 'ports not given: index built by that lookup' : 'ports\' zone pairs indexed in the worker'})`)
  }
  rmSync(dir, { recursive: true, force: true })
  console.log(`load average ${loadavg().map(x => x.toFixed(1)).join(' ')}`)
}
