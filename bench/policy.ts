/**
 * Policy lookup speed: one lookup runs per new session. Prints lookups per second for a 200-rule
 * policy where most keys fall through to the last rules (the worst case for first-match), v4 and v6.
 * Run: npm run build && node build/bench/policy.js
 */
import { compilePolicy } from '../src/policy/load.js'
import type { LookupKey } from '../src/policy/types.js'

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
