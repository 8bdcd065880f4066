/**
 * The compiled, matchable policy: first-match rule lookup and zone lookup by interface or address.
 *
 * Everything a lookup needs is precompiled here (prefixes as 32-bit words in typed arrays, zone and
 * application names in Sets, services as (proto, lo, hi) triples) and every possible answer is a
 * frozen `RuleMatch` built once, so `lookup` allocates nothing.
 */
import type {
  Action, Cidr, LookupKey, Policy, PolicyDiagnostic, Rule, RuleMatch, Settings, ThreatConfig, Zone, ZoneProtectionProfile,
} from './types.js'
import { appByName } from './apps.js'
import { CidrSet, maskWord, word } from './cidr.js'
import { ServiceSet } from './service.js'

interface CompiledRule {
  /** Membership by zone id (index in `zones`), or null for any. */
  from: Uint8Array | null
  to: Uint8Array | null
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
  readonly zoneProtection: Map<string, ZoneProtectionProfile>
  private readonly compiled: CompiledRule[]
  private readonly zoneIds: Map<string, number>
  private readonly byInterface: Map<string, string>
  private readonly nets4: ZoneNet[]
  private readonly nets6: ZoneNet[]

  constructor (source: string, settings: Settings, zones: Zone[], rules: Rule[], threats: ThreatConfig,
    warnings: PolicyDiagnostic[] = [], zoneProtection: Map<string, ZoneProtectionProfile> = new Map()) {
    this.source = source
    this.zoneProtection = zoneProtection
    this.settings = settings
    this.zones = zones
    this.rules = rules
    this.threats = threats
    this.warnings = warnings
    this.zoneIds = new Map(zones.map((z, i) => [z.name, i]))
    this.compiled = rules.map(r => compileRule(r, this.zoneIds))
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
   * - Malformed keys (addresses not 4/16 bytes, or src and dst of different families) match no rule.
   *
   * Returns a shared frozen object; do not modify it.
   */
  lookup (key: LookupKey): RuleMatch {
    const from = key.fromZone === '' ? undefined : key.fromZone
    const to = key.toZone === '' ? undefined : key.toZone
    // A zone this policy does not define (id -1) can match only `any`, like no zone at all.
    const fromId = from === undefined ? -1 : this.zoneIds.get(from) ?? -1
    const toId = to === undefined ? -1 : this.zoneIds.get(to) ?? -1
    // Read each address into 32-bit words once; the per-rule checks then compare numbers only.
    const v6 = key.src.length === 16
    if (key.src.length !== key.dst.length || (!v6 && key.src.length !== 4)) return from === to ? INTRAZONE : INTERZONE
    const s0 = word(key.src, 0); const d0 = word(key.dst, 0)
    const s1 = v6 ? word(key.src, 1) : 0; const s2 = v6 ? word(key.src, 2) : 0; const s3 = v6 ? word(key.src, 3) : 0
    const d1 = v6 ? word(key.dst, 1) : 0; const d2 = v6 ? word(key.dst, 2) : 0; const d3 = v6 ? word(key.dst, 3) : 0
    const rules = this.compiled
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!
      if (r.from !== null && (fromId < 0 || r.from[fromId] === 0)) continue
      if (r.to !== null && (toId < 0 || r.to[toId] === 0)) continue
      if (r.src !== null && !(v6 ? r.src.has6(s0, s1, s2, s3) : r.src.has4(s0))) continue
      if (r.dst !== null && !(v6 ? r.dst.has6(d0, d1, d2, d3) : r.dst.has4(d0))) continue
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

function zoneMask (names: string[] | 'any', ids: Map<string, number>): Uint8Array | null {
  if (names === 'any') return null
  const m = new Uint8Array(ids.size)
  for (const n of names) { const id = ids.get(n); if (id !== undefined) m[id] = 1 }
  return m
}

function compileRule (rule: Rule, zoneIds: Map<string, number>): CompiledRule {
  const base = { rule, ruleName: rule.name, action: rule.action, icmpUnreachable: rule.icmpUnreachable }
  return {
    from: zoneMask(rule.from, zoneIds),
    to: zoneMask(rule.to, zoneIds),
    src: rule.source === 'any' ? null : new CidrSet(rule.source),
    dst: rule.destination === 'any' ? null : new CidrSet(rule.destination),
    apps: rule.application === 'any' ? null : new Set(rule.application),
    services: new ServiceSet(rule.service, rule.application),
    match: Object.freeze({ ...base, tentative: false }),
    tentativeMatch: Object.freeze({ ...base, tentative: true }),
  }
}

/**
 * The concrete blocking action behind a match (behaviour.md B, Policy): `deny` becomes the application's
 * own default deny action (src/policy/apps.ts) when the rule named applications and the application is
 * known, and a silent `drop` otherwise — a port-based rule (application any) and `interzone-default`
 * drop silently, as PAN-OS 10.2.1 was observed to do (behaviour.md A.6). Other actions pass through.
 */
export function concreteAction (m: RuleMatch, app: string | undefined): Exclude<Action, 'deny'> {
  if (m.action !== 'deny') return m.action
  if (app === undefined || m.rule === undefined || m.rule.application === 'any') return 'drop'
  return appByName(app)?.denyAction ?? 'drop'
}
