/**
 * The compiled, matchable policy: first-match rule lookup and zone lookup by interface or address.
 *
 * Everything a lookup needs is precompiled here (prefixes as 32-bit words in typed arrays, zone and
 * application names in Sets, services as (proto, lo, hi) triples) and every possible answer is a
 * frozen `RuleMatch` built once, so `lookup` allocates nothing.
 */
import type { Cidr, LookupKey, Policy, PolicyDiagnostic, Rule, RuleMatch, Settings, ThreatConfig, Zone } from './types.js'
import { CidrSet, maskWord, word } from './cidr.js'
import { ServiceSet } from './service.js'

interface CompiledRule {
  from: Set<string> | null
  to: Set<string> | null
  src: CidrSet | null
  dst: CidrSet | null
  apps: Set<string> | null
  services: ServiceSet
  match: RuleMatch
  tentativeMatch: RuleMatch
}

/** One network of one zone, for `zoneOfAddress`; kept sorted longest prefix first. */
interface ZoneNet { zone: string, prefix: number, net: Uint32Array, mask: Uint32Array }

const INTRAZONE: RuleMatch = Object.freeze({
  rule: undefined, ruleName: 'intrazone-default', action: 'allow', icmpUnreachable: false, tentative: false,
})
const INTERZONE: RuleMatch = Object.freeze({
  rule: undefined, ruleName: 'interzone-default', action: 'deny', icmpUnreachable: false, tentative: false,
})

export class CompiledPolicy implements Policy {
  readonly source: string
  readonly settings: Settings
  readonly zones: Zone[]
  readonly rules: Rule[]
  readonly threats: ThreatConfig
  readonly warnings: PolicyDiagnostic[]
  private readonly compiled: CompiledRule[]
  private readonly byInterface: Map<string, string>
  private readonly nets4: ZoneNet[]
  private readonly nets6: ZoneNet[]

  constructor (source: string, settings: Settings, zones: Zone[], rules: Rule[], threats: ThreatConfig,
    warnings: PolicyDiagnostic[] = []) {
    this.source = source
    this.settings = settings
    this.zones = zones
    this.rules = rules
    this.threats = threats
    this.warnings = warnings
    this.compiled = rules.map(compileRule)
    this.byInterface = new Map()
    for (const z of zones) for (const i of z.interfaces) this.byInterface.set(i, z.name)
    this.nets4 = []
    this.nets6 = []
    for (const z of zones) {
      const nets: Cidr[] = [...z.networks]
      if (z.anyNetwork) {
        nets.push({ version: 4, bytes: new Uint8Array(4), prefix: 0, text: 'any' })
        nets.push({ version: 6, bytes: new Uint8Array(16), prefix: 0, text: 'any' })
      }
      for (const c of nets) {
        const words = c.version === 4 ? 1 : 4
        const net = new Uint32Array(words)
        const mask = new Uint32Array(words)
        for (let w = 0; w < words; w++) { mask[w] = maskWord(c.prefix, w); net[w] = (word(c.bytes, w) & mask[w]!) >>> 0 }
        ;(c.version === 4 ? this.nets4 : this.nets6).push({ zone: z.name, prefix: c.prefix, net, mask })
      }
    }
    // Most specific network wins: scan longest prefix first (the sort is stable, so file order breaks ties).
    this.nets4.sort((a, b) => b.prefix - a.prefix)
    this.nets6.sort((a, b) => b.prefix - a.prefix)
  }

  zoneOfInterface (ifname: string): string | undefined {
    return this.byInterface.get(ifname)
  }

  zoneOfAddress (addr: Uint8Array): string | undefined {
    if (addr.length === 4) {
      const a = word(addr, 0)
      for (const n of this.nets4) if (((a ^ n.net[0]!) & n.mask[0]!) === 0) return n.zone
      return undefined
    }
    if (addr.length !== 16) return undefined
    const a0 = word(addr, 0); const a1 = word(addr, 1); const a2 = word(addr, 2); const a3 = word(addr, 3)
    for (const n of this.nets6) {
      const m = n.mask; const t = n.net
      if (((a0 ^ t[0]!) & m[0]!) === 0 && ((a1 ^ t[1]!) & m[1]!) === 0 &&
          ((a2 ^ t[2]!) & m[2]!) === 0 && ((a3 ^ t[3]!) & m[3]!) === 0) return n.zone
    }
    return undefined
  }

  /**
   * First-match lookup (PAN-OS evaluates security rules top-down at session setup).
   *
   * - A zone of `undefined` or `''` (an address in no zone's networks) matches only rules with `from`/`to: any`.
   * - Addresses: a v4 prefix never matches a v6 address.
   * - Services: `tcp/…`/`udp/…` match on protocol and destination port; `any` matches every protocol.
   * - Applications: `any` matches everything; a named application matches when `key.app` equals it.
   *   When `key.app` is undefined (App-ID has not decided yet) the first rule naming applications that
   *   matches on every other field is returned with `tentative: true` — PAN-OS lets such a session
   *   through and re-evaluates once the application is known (panos-facts.md §9, behaviour.md A.6),
   *   so the engine must treat a tentative match as *allow for now* and call `lookup` again with `app`.
   * - No rule: same zone (or both undefined) → `intrazone-default` allow; otherwise `interzone-default` deny.
   *
   * Returns a shared frozen object; do not modify it.
   */
  lookup (key: LookupKey): RuleMatch {
    const from = key.fromZone === '' ? undefined : key.fromZone
    const to = key.toZone === '' ? undefined : key.toZone
    const rules = this.compiled
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!
      if (r.from !== null && (from === undefined || !r.from.has(from))) continue
      if (r.to !== null && (to === undefined || !r.to.has(to))) continue
      if (r.src !== null && !r.src.has(key.src)) continue
      if (r.dst !== null && !r.dst.has(key.dst)) continue
      if (!r.services.matches(key.proto, key.dport, key.app)) continue
      if (r.apps !== null) {
        if (key.app === undefined) return r.tentativeMatch
        if (!r.apps.has(key.app)) continue
      }
      return r.match
    }
    return from === to ? INTRAZONE : INTERZONE
  }
}

function compileRule (rule: Rule): CompiledRule {
  const base = { rule, ruleName: rule.name, action: rule.action, icmpUnreachable: rule.icmpUnreachable }
  return {
    from: rule.from === 'any' ? null : new Set(rule.from),
    to: rule.to === 'any' ? null : new Set(rule.to),
    src: rule.source === 'any' ? null : new CidrSet(rule.source),
    dst: rule.destination === 'any' ? null : new CidrSet(rule.destination),
    apps: rule.application === 'any' ? null : new Set(rule.application),
    services: new ServiceSet(rule.service, rule.application),
    match: Object.freeze({ ...base, tentative: false }),
    tentativeMatch: Object.freeze({ ...base, tentative: true }),
  }
}
