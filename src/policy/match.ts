/**
 * The compiled, matchable policy: first-match rule lookup and zone lookup by interface or address.
 *
 * Everything a lookup needs is precompiled here (prefixes as 32-bit words in typed arrays, zone and
 * application names in Sets, services as (proto, lo, hi) triples) and every possible answer is a
 * frozen `RuleMatch` built once, so `lookup` allocates nothing.
 */
import type {
  Action, Cidr, DefaultRule, LookupKey, Policy, PolicyDiagnostic, Rule, RuleMatch, Settings, ThreatConfig, Zone, ZoneProtectionProfile,
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
  /** negate-source / negate-destination: the address must NOT be in the set. */
  negSrc: boolean
  negDst: boolean
  /** rule-type: 0 universal, 1 intrazone (from must equal to), 2 interzone (from must differ from to). */
  type: 0 | 1 | 2
  apps: Set<string> | null
  services: ServiceSet
  match: RuleMatch
  tentativeMatch: RuleMatch
}

/** One network of one zone, for `zoneOfAddress`; kept sorted longest prefix first. */
interface ZoneNet { zone: string, prefix: number, net: Uint32Array, mask: Uint32Array }

/** PAN-OS's implicit rules when `default-rules:` does not override them. */
export const DEFAULT_RULES: Readonly<{ intrazone: DefaultRule, interzone: DefaultRule }> = Object.freeze({
  intrazone: Object.freeze({ action: 'allow', icmpUnreachable: false }),
  interzone: Object.freeze({ action: 'deny', icmpUnreachable: false }),
})

function defaultMatch (ruleName: 'intrazone-default' | 'interzone-default', d: DefaultRule): RuleMatch {
  return Object.freeze({ rule: undefined, ruleName, action: d.action, icmpUnreachable: d.icmpUnreachable, tentative: false })
}

export class CompiledPolicy implements Policy {
  readonly source: string
  readonly settings: Settings
  readonly zones: Zone[]
  readonly rules: Rule[]
  readonly threats: ThreatConfig
  readonly warnings: PolicyDiagnostic[]
  readonly zoneProtection: Map<string, ZoneProtectionProfile>
  readonly defaultRules: { intrazone: DefaultRule, interzone: DefaultRule }
  private readonly intrazone: RuleMatch
  private readonly interzone: RuleMatch
  private readonly compiled: CompiledRule[]
  private readonly zoneIds: Map<string, number>
  private readonly byInterface: Map<string, string>
  private readonly nets4: ZoneNet[]
  private readonly nets6: ZoneNet[]
  /** Per zone pair (see `pairKey`), the rule index for that pair; built on the first lookup of the pair. */
  private readonly pairs = new Map<number, PairIndex>()

  constructor (source: string, settings: Settings, zones: Zone[], rules: Rule[], threats: ThreatConfig,
    warnings: PolicyDiagnostic[] = [], zoneProtection: Map<string, ZoneProtectionProfile> = new Map(),
    defaultRules: { intrazone: DefaultRule, interzone: DefaultRule } = DEFAULT_RULES) {
    this.source = source
    this.zoneProtection = zoneProtection
    this.settings = settings
    this.zones = zones
    this.rules = rules
    this.threats = threats
    this.warnings = warnings
    this.defaultRules = defaultRules
    this.intrazone = defaultMatch('intrazone-default', defaultRules.intrazone)
    this.interzone = defaultMatch('interzone-default', defaultRules.interzone)
    this.zoneIds = new Map(zones.map((z, i) => [z.name, i]))
    // Rules share zone lists and service lists far more often than not: build each compiled form once.
    // A disabled rule keeps its place (and index) in `rules` but is never looked at.
    const masks = new Map<string, Uint8Array>()
    const services = new Map<string, ServiceSet>()
    this.compiled = rules.filter(r => r.disabled !== true).map(r => compileRule(r, this.zoneIds, masks, services))
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
   *   through and re-evaluates once the application is known (see docs/panos-model.md#app-id),
   *   so the engine must treat a tentative match as *allow for now* and call `lookup` again with `app`.
   * - negate-source / negate-destination invert the address test; rule-type intrazone matches only when
   *   the two zones are the same, interzone only when they differ; disabled rules are skipped.
   * - No rule: same zone (or both undefined) → `intrazone-default` (allow unless `default-rules:` says
   *   otherwise); different zones → `interzone-default` (deny unless overridden).
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
    const fallback = from === to ? this.intrazone : this.interzone
    if (key.src.length !== key.dst.length || (!v6 && key.src.length !== 4)) return fallback
    const s0 = word(key.src, 0); const d0 = word(key.dst, 0)
    const s1 = v6 ? word(key.src, 1) : 0; const s2 = v6 ? word(key.src, 2) : 0; const s3 = v6 ? word(key.src, 3) : 0
    const d1 = v6 ? word(key.dst, 1) : 0; const d2 = v6 ? word(key.dst, 2) : 0; const d3 = v6 ? word(key.dst, 3) : 0
    const rules = this.compiled
    if (rules.length <= LINEAR_RULES) {
      for (let i = 0; i < rules.length; i++) {
        const m = matchRule(rules[i]!, fromId, toId, from === to, v6, s0, s1, s2, s3, d0, d1, d2, d3, key.proto, key.dport, key.app)
        if (m !== undefined) return m
      }
      return fallback
    }
    // Candidates: the rules of this zone pair that could match on the most selective of three fields.
    const pk = (fromId + 1) * 0x10000 + (toId + 1)
    let px = this.pairs.get(pk)
    if (px === undefined) { px = buildPairIndex(rules, fromId, toId); this.pairs.set(pk, px) }
    let a = px.port.get(key.proto * 0x10000 + key.dport) ?? NONE
    let b = px.portWild
    const sk = v6 ? s0 : s0 >>> 16
    const dk = v6 ? d0 : d0 >>> 16
    const sa = (v6 ? px.src6 : px.src4).get(sk) ?? NONE
    const sb = v6 ? px.src6Wild : px.src4Wild
    if (sa.length + sb.length < a.length + b.length) { a = sa; b = sb }
    const da = (v6 ? px.dst6 : px.dst4).get(dk) ?? NONE
    const db = v6 ? px.dst6Wild : px.dst4Wild
    if (da.length + db.length < a.length + b.length) { a = da; b = db }
    // Walk both ascending lists in rule order: the first full match is the first-match answer.
    let i = 0; let j = 0
    while (i < a.length || j < b.length) {
      let r: number
      if (j >= b.length || (i < a.length && a[i]! < b[j]!)) r = a[i++]!
      else r = b[j++]!
      const m = matchRule(rules[r]!, fromId, toId, from === to, v6, s0, s1, s2, s3, d0, d1, d2, d3, key.proto, key.dport, key.app)
      if (m !== undefined) return m
    }
    return fallback
  }

  /** The plain top-down scan `lookup` must agree with (kept as the reference for tests and benchmarks). */
  lookupLinear (key: LookupKey): RuleMatch {
    const from = key.fromZone === '' ? undefined : key.fromZone
    const to = key.toZone === '' ? undefined : key.toZone
    const fromId = from === undefined ? -1 : this.zoneIds.get(from) ?? -1
    const toId = to === undefined ? -1 : this.zoneIds.get(to) ?? -1
    const v6 = key.src.length === 16
    const fallback = from === to ? this.intrazone : this.interzone
    if (key.src.length !== key.dst.length || (!v6 && key.src.length !== 4)) return fallback
    const w = (b: Uint8Array, i: number): number => v6 || i === 0 ? word(b, i) : 0
    for (const r of this.compiled) {
      const m = matchRule(r, fromId, toId, from === to, v6, w(key.src, 0), w(key.src, 1), w(key.src, 2), w(key.src, 3),
        w(key.dst, 0), w(key.dst, 1), w(key.dst, 2), w(key.dst, 3), key.proto, key.dport, key.app)
      if (m !== undefined) return m
    }
    return fallback
  }
}

/** Below this many rules a scan is as fast as the index and needs no memory. */
const LINEAR_RULES = 32
const NONE = new Int32Array(0)

function matchRule (r: CompiledRule, fromId: number, toId: number, intra: boolean, v6: boolean, s0: number, s1: number, s2: number,
  s3: number, d0: number, d1: number, d2: number, d3: number, proto: number, dport: number, app: string | undefined): RuleMatch | undefined {
  if (r.from !== null && (fromId < 0 || r.from[fromId] === 0)) return undefined
  if (r.to !== null && (toId < 0 || r.to[toId] === 0)) return undefined
  if (r.type !== 0 && (r.type === 1) !== intra) return undefined
  if (r.src !== null && (v6 ? r.src.has6(s0, s1, s2, s3) : r.src.has4(s0)) === r.negSrc) return undefined
  if (r.dst !== null && (v6 ? r.dst.has6(d0, d1, d2, d3) : r.dst.has4(d0)) === r.negDst) return undefined
  if (!r.services.matches(proto, dport, app)) return undefined
  if (r.apps !== null) {
    if (app === undefined) return r.tentativeMatch
    if (!r.apps.has(app)) return undefined
  }
  return r.match
}

/**
 * The rules of one zone pair, indexed three ways. Each field maps a key of the packet to the rules that
 * hold that key, plus a `Wild` list of the rules that might match whatever the key (service any or
 * application-default or wide port ranges; address any or prefixes shorter than the key). Every rule
 * that can match a packet is in `bucket(key) ∪ wild` of each field, so scanning the smaller union in
 * rule order finds the first match. Keys: port = proto·65536 + dport; addresses = the top 16 bits (IPv4,
 * prefixes /16 and longer) or the first 32 bits (IPv6, /32 and longer). A rule whose addresses are all
 * of the other family is in neither list of that family: it cannot match.
 */
interface PairIndex {
  port: Map<number, Int32Array>, portWild: Int32Array
  src4: Map<number, Int32Array>, src4Wild: Int32Array, dst4: Map<number, Int32Array>, dst4Wild: Int32Array
  src6: Map<number, Int32Array>, src6Wild: Int32Array, dst6: Map<number, Int32Array>, dst6Wild: Int32Array
}

/** Port services covering at most this many ports are indexed port by port; wider ones are wild. */
const MAX_INDEXED_PORTS = 64

function buildPairIndex (rules: readonly CompiledRule[], fromId: number, toId: number): PairIndex {
  const port = new Map<number, number[]>(); const portWild: number[] = []
  const src4 = new Map<number, number[]>(); const src4Wild: number[] = []
  const dst4 = new Map<number, number[]>(); const dst4Wild: number[] = []
  const src6 = new Map<number, number[]>(); const src6Wild: number[] = []
  const dst6 = new Map<number, number[]>(); const dst6Wild: number[] = []
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!
    if (r.from !== null && (fromId < 0 || r.from[fromId] === 0)) continue
    if (r.to !== null && (toId < 0 || r.to[toId] === 0)) continue
    const sv = r.services
    let ports = 0
    for (let t = 0; t < sv.triples.length; t += 3) ports += sv.triples[t + 2]! - sv.triples[t + 1]! + 1
    if (sv.any || sv.appDefault !== undefined || ports > MAX_INDEXED_PORTS) portWild.push(i)
    else {
      for (let t = 0; t < sv.triples.length; t += 3) {
        for (let p = sv.triples[t + 1]!; p <= sv.triples[t + 2]!; p++) add(port, sv.triples[t]! * 0x10000 + p, i)
      }
    }
    // A negated list matches what is NOT in it: no bucket holds that, so such a rule is wild on that field.
    indexAddrs(r.negSrc ? null : r.src, i, src4, src4Wild, src6, src6Wild)
    indexAddrs(r.negDst ? null : r.dst, i, dst4, dst4Wild, dst6, dst6Wild)
  }
  return {
    port: freeze(port), portWild: Int32Array.from(portWild),
    src4: freeze(src4), src4Wild: Int32Array.from(src4Wild), dst4: freeze(dst4), dst4Wild: Int32Array.from(dst4Wild),
    src6: freeze(src6), src6Wild: Int32Array.from(src6Wild), dst6: freeze(dst6), dst6Wild: Int32Array.from(dst6Wild),
  }
}

function add (m: Map<number, number[]>, k: number, i: number): void {
  const l = m.get(k)
  if (l === undefined) m.set(k, [i])
  else if (l[l.length - 1] !== i) l.push(i)
}

function freeze (m: Map<number, number[]>): Map<number, Int32Array> {
  const out = new Map<number, Int32Array>()
  for (const [k, l] of m) out.set(k, Int32Array.from(l))
  return out
}

function indexAddrs (set: CidrSet | null, i: number, m4: Map<number, number[]>, wild4: number[],
  m6: Map<number, number[]>, wild6: number[]): void {
  if (set === null) { wild4.push(i); wild6.push(i); return }
  let short4 = false
  for (let k = 0; k < set.v4.length; k += 2) if ((set.v4[k + 1]! & 0xffff0000) >>> 0 !== 0xffff0000) short4 = true
  if (short4) wild4.push(i)
  else for (let k = 0; k < set.v4.length; k += 2) add(m4, set.v4[k]! >>> 16, i)
  let short6 = false
  for (let k = 0; k < set.v6.length; k += 8) if (set.v6[k + 4]! !== 0xffffffff) short6 = true
  if (short6) wild6.push(i)
  else for (let k = 0; k < set.v6.length; k += 8) add(m6, set.v6[k]!, i)
}

function zoneMask (names: string[] | 'any', ids: Map<string, number>, cache: Map<string, Uint8Array>): Uint8Array | null {
  if (names === 'any') return null
  const key = names.join('\n')
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const m = new Uint8Array(ids.size)
  cache.set(key, m)
  for (const n of names) { const id = ids.get(n); if (id !== undefined) m[id] = 1 }
  return m
}

/**
 * A rule's frozen answer. A class, not `Object.freeze({ ...base })`: V8 gave every frozen spread object its
 * own hidden class (≈ 300 bytes each, two per rule), a fifth of a 100,000-rule policy's memory.
 */
class Match implements RuleMatch {
  readonly rule: Rule
  readonly ruleName: string
  readonly action: Action
  readonly icmpUnreachable: boolean
  readonly tentative: boolean
  constructor (rule: Rule, tentative: boolean) {
    this.rule = rule
    this.ruleName = rule.name
    this.action = rule.action
    this.icmpUnreachable = rule.icmpUnreachable
    this.tentative = tentative
    Object.freeze(this)
  }
}

function compileRule (rule: Rule, zoneIds: Map<string, number>, masks: Map<string, Uint8Array>,
  serviceSets: Map<string, ServiceSet>): CompiledRule {
  const match = new Match(rule, false)
  const sk = `${rule.service.map(s => s.kind === 'port' ? s.text : s.kind).join('\n')}|${rule.application === 'any' ? '' : rule.application.join('\n')}`
  let services = serviceSets.get(sk)
  if (services === undefined) { services = new ServiceSet(rule.service, rule.application); serviceSets.set(sk, services) }
  return {
    from: zoneMask(rule.from, zoneIds, masks),
    to: zoneMask(rule.to, zoneIds, masks),
    src: rule.source === 'any' ? null : new CidrSet(rule.source),
    dst: rule.destination === 'any' ? null : new CidrSet(rule.destination),
    negSrc: rule.negateSource === true,
    negDst: rule.negateDestination === true,
    type: rule.ruleType === 'intrazone' ? 1 : rule.ruleType === 'interzone' ? 2 : 0,
    apps: rule.application === 'any' ? null : new Set(rule.application),
    services,
    match,
    // Only a rule naming applications can answer tentatively.
    tentativeMatch: rule.application === 'any' ? match : new Match(rule, true),
  }
}

/**
 * The concrete blocking action behind a match (see docs/panos-model.md#actions-at-setup): `deny` becomes the application's
 * own default deny action (src/policy/apps.ts) when the rule named applications and the application is
 * known, and a silent `drop` otherwise — a port-based rule (application any) and `interzone-default`
 * drop silently, as PAN-OS 10.2.1 was observed to do (field test, see docs/panos-model.md#actions-at-setup). Other actions pass through.
 */
export function concreteAction (m: RuleMatch, app: string | undefined): Exclude<Action, 'deny'> {
  if (m.action !== 'deny') return m.action
  if (app === undefined || m.rule === undefined || m.rule.application === 'any') return 'drop'
  return appByName(app)?.denyAction ?? 'drop'
}
