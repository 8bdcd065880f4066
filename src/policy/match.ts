/**
 * The compiled, matchable policy: first-match rule lookup and zone lookup by interface or address.
 *
 * The matcher is a `RuleTable`: typed arrays only — zone membership as byte rows, prefixes as 32-bit
 * (network, mask) words, services as (proto, lo, hi) triples, and per rule the offsets into them — plus
 * two short lists of application names. Built once from the rules, it is compact (no object per rule)
 * and can be handed from a worker thread to the packet thread without copying (`PackedPolicy`: a reload
 * parses and compiles off the packet path, src/cli/live/reload-worker.ts). An answer (`RuleMatch`) is made
 * on its rule's first match and reused, so a lookup allocates nothing after that.
 */
import type {
  Action, Cidr, DefaultRule, LookupKey, Policy, PolicyDiagnostic, PolicyFacts, Rule, RuleMatch, Settings, ThreatConfig, Zone,
  ZoneProtectionProfile,
} from './types.js'
import { appByName } from './apps.js'
import { maskWord, word } from './cidr.js'
import { PROTO_TCP, PROTO_UDP, protoNumber } from './service.js'

/** Per-rule flags in `RuleTable.flags`. */
const SRC_ANY = 1
const DST_ANY = 2
const NEG_SRC = 4
const NEG_DST = 8
const INTRA = 16
const INTER = 32
const SVC_ANY = 64

/**
 * The compiled rules, enabled ones only, in file order (a disabled rule keeps its place and index in
 * `Policy.rules` but is not here). Index `c` below is a position in this table.
 */
export interface RuleTable {
  count: number
  zoneCount: number
  /** Position of rule `c` in `Policy.rules`. */
  ruleIndex: Int32Array
  /** SRC_ANY, DST_ANY, NEG_SRC, NEG_DST, INTRA, INTER, SVC_ANY. */
  flags: Uint8Array
  /** Start in `zoneRows` (one byte per zone, 1 = member) of the rule's from / to zones; -1 = any. */
  fromRow: Int32Array
  toRow: Int32Array
  zoneRows: Uint8Array
  /** Prefixes of rule `c`: words [off[c], off[c+1]); IPv4 as (net, mask) pairs, IPv6 as (net×4, mask×4). */
  src4Off: Int32Array
  src4: Uint32Array
  src6Off: Int32Array
  src6: Uint32Array
  dst4Off: Int32Array
  dst4: Uint32Array
  dst6Off: Int32Array
  dst6: Uint32Array
  /** Port services of rule `c`: (proto, lo, hi) triples at [svcOff[c], svcOff[c+1]) of `svc`. */
  svcOff: Int32Array
  svc: Int32Array
  /** The rule's applications: an index in `appLists`, -1 = any. */
  apps: Int32Array
  /** `application-default` with named applications: an index in `appPorts`, -1 = not used. */
  appDefault: Int32Array
  appLists: string[][]
  /** Per application-default use: each application's own (proto, lo, hi) triples, and their union. */
  appPorts: Array<{ byApp: Array<[string, Int32Array]>, all: Int32Array }>
}

/**
 * A compiled policy in a form that crosses a thread boundary cheaply (structured clone): the table's
 * typed arrays (transferable), the rules as one JSON text with offsets (a string is copied in one piece;
 * a rule object is rebuilt only when something asks for it), and the small sections as they are.
 */
export interface PackedPolicy {
  source: string
  settings: Settings
  zones: Zone[]
  threats: ThreatConfig
  zoneProtection: Map<string, ZoneProtectionProfile>
  defaultRules: { intrazone: DefaultRule, interzone: DefaultRule }
  facts: PolicyFacts
  /** JSON of the warnings (read only when asked for). */
  warnings: string
  ruleCount: number
  /**
   * Rule i is the UTF-8 JSON in ruleBytes[ruleOff[i], ruleOff[i+1]) (addresses as [text, prefix, ...bytes]).
   * Bytes rather than a string: an ArrayBuffer is transferred, a 30 MB string would be copied on the packet thread.
   */
  ruleBytes: Uint8Array
  ruleOff: Int32Array
  /** JSON array of the rule names, for `ruleNamed`. */
  names: string
  table: RuleTable
  /** Zone-pair indexes built ahead (`buildPairs`), so the first session of a pair after a reload waits for nothing. */
  pairs: Array<[number, PairIndex]>
}

/** The ArrayBuffers of a packed policy, to pass as postMessage's transfer list. */
export function packedTransferList (p: PackedPolicy): ArrayBuffer[] {
  const t = p.table
  const out = [p.ruleBytes, p.ruleOff, t.ruleIndex, t.flags, t.fromRow, t.toRow, t.zoneRows, t.src4Off, t.src4, t.src6Off, t.src6,
    t.dst4Off, t.dst4, t.dst6Off, t.dst6, t.svcOff, t.svc, t.apps, t.appDefault].map(a => a.buffer as ArrayBuffer)
  for (const [, px] of p.pairs) {
    for (const b of [px.port, px.src4, px.dst4, px.src6, px.dst6]) out.push(b.keys.buffer as ArrayBuffer, b.off.buffer as ArrayBuffer, b.rules.buffer as ArrayBuffer)
    for (const w of [px.portWild, px.src4Wild, px.dst4Wild, px.src6Wild, px.dst6Wild]) out.push(w.buffer as ArrayBuffer)
  }
  return [...new Set(out)].filter(b => b.byteLength > 0)
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

/** A lookup key read once into numbers (zone ids, address words); one per policy, reused by every lookup. */
class Query {
  fromId = -1
  toId = -1
  intra = false
  v6 = false
  s0 = 0; s1 = 0; s2 = 0; s3 = 0
  d0 = 0; d1 = 0; d2 = 0; d3 = 0
  proto = 0
  dport = 0
  app: string | undefined = undefined
}

/** What the table needs at run time besides its arrays: application sets, application-default ports. */
interface AppTables {
  sets: Array<Set<string>>
  ports: Array<{ byApp: Map<string, Int32Array>, all: Int32Array }>
}

/** Rules not yet rebuilt from a packed policy's JSON. */
interface LazyRules { bytes: Buffer, off: Int32Array }

/** What `fromPacked` hands the constructor instead of compiling the rules again. */
interface Prebuilt {
  table: RuleTable
  facts: PolicyFacts
  ruleCount: number
  lazy: LazyRules
  names: string
  warnings: string
  pairs: Array<[number, PairIndex]>
}

export class CompiledPolicy implements Policy {
  readonly source: string
  readonly settings: Settings
  readonly zones: Zone[]
  readonly threats: ThreatConfig
  readonly zoneProtection: Map<string, ZoneProtectionProfile>
  readonly defaultRules: { intrazone: DefaultRule, interzone: DefaultRule }
  readonly facts: PolicyFacts
  private readonly intrazone: RuleMatch
  private readonly interzone: RuleMatch
  private readonly table: RuleTable
  private readonly appTables: AppTables
  /** Answers by 2·c (match) and 2·c+1 (tentative match), made on first use. */
  private readonly answers: Array<RuleMatch | undefined>
  private readonly ruleList: Array<Rule | undefined>
  private lazy: LazyRules | undefined
  private lazyNames: string | undefined
  private byName: Map<string, number> | undefined
  private warningList: PolicyDiagnostic[] | undefined
  private warningText: string | undefined
  private readonly zoneIds: Map<string, number>
  private readonly byInterface: Map<string, string>
  private readonly nets4: ZoneNet[]
  private readonly nets6: ZoneNet[]
  private readonly q = new Query()
  /** Per zone pair (see `pairKey`), the rule index for that pair; built on the first lookup of the pair. */
  private readonly pairs: Map<number, PairIndex>

  constructor (source: string, settings: Settings, zones: Zone[], rules: Rule[], threats: ThreatConfig,
    warnings: PolicyDiagnostic[] = [], zoneProtection: Map<string, ZoneProtectionProfile> = new Map(),
    defaultRules: { intrazone: DefaultRule, interzone: DefaultRule } = DEFAULT_RULES, prebuilt?: Prebuilt, shareFrom?: CompiledPolicy) {
    this.source = source
    this.zoneProtection = zoneProtection
    this.settings = settings
    this.zones = zones
    this.threats = threats
    this.defaultRules = defaultRules
    this.intrazone = defaultMatch('intrazone-default', defaultRules.intrazone)
    this.interzone = defaultMatch('interzone-default', defaultRules.interzone)
    this.zoneIds = new Map(zones.map((z, i) => [z.name, i]))
    if (shareFrom !== undefined) {
      // Same rules and zones, other settings (`withSettings`): share everything rule-related.
      this.table = shareFrom.table
      this.appTables = shareFrom.appTables
      this.answers = shareFrom.answers
      this.ruleList = shareFrom.ruleList
      this.lazy = shareFrom.lazy
      this.lazyNames = shareFrom.lazyNames
      this.byName = shareFrom.byName
      this.facts = shareFrom.facts
      this.pairs = shareFrom.pairs
      this.warningList = shareFrom.warningList
      this.warningText = shareFrom.warningText
    } else if (prebuilt !== undefined) {
      this.table = prebuilt.table
      this.facts = prebuilt.facts
      this.ruleList = new Array<Rule | undefined>(prebuilt.ruleCount)
      this.lazy = prebuilt.lazy
      this.lazyNames = prebuilt.names
      this.warningText = prebuilt.warnings
      this.appTables = appTables(prebuilt.table)
      this.answers = new Array<RuleMatch | undefined>(2 * prebuilt.table.count)
      this.pairs = new Map(prebuilt.pairs)
    } else {
      this.table = buildTable(rules, this.zoneIds)
      this.facts = factsOf(rules)
      this.ruleList = rules
      this.warningList = warnings
      this.appTables = appTables(this.table)
      this.answers = new Array<RuleMatch | undefined>(2 * this.table.count)
      this.pairs = new Map()
    }
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

  /**
   * The policy in the form `fromPacked` takes back (typically in another thread). The typed arrays are
   * copies, so this policy stays usable after they are transferred.
   */
  pack (): PackedPolicy {
    const rules = this.rules
    const ruleOff = new Int32Array(rules.length + 1)
    const parts: string[] = []
    let pos = 0
    for (let i = 0; i < rules.length; i++) {
      const s = encodeRule(rules[i]!)
      parts.push(s)
      pos += Buffer.byteLength(s)
      ruleOff[i + 1] = pos
    }
    // A fresh ArrayBuffer of exactly this size (not a slice of Buffer's shared pool), so it can be transferred.
    const ruleBytes = new Uint8Array(pos)
    Buffer.from(ruleBytes.buffer).write(parts.join(''), 'utf8')
    const t = this.table
    const table: RuleTable = {
      ...t,
      ruleIndex: t.ruleIndex.slice(), flags: t.flags.slice(), fromRow: t.fromRow.slice(), toRow: t.toRow.slice(), zoneRows: t.zoneRows.slice(),
      src4Off: t.src4Off.slice(), src4: t.src4.slice(), src6Off: t.src6Off.slice(), src6: t.src6.slice(),
      dst4Off: t.dst4Off.slice(), dst4: t.dst4.slice(), dst6Off: t.dst6Off.slice(), dst6: t.dst6.slice(),
      svcOff: t.svcOff.slice(), svc: t.svc.slice(), apps: t.apps.slice(), appDefault: t.appDefault.slice(),
    }
    return {
      source: this.source, settings: this.settings, zones: this.zones, threats: this.threats, zoneProtection: this.zoneProtection,
      defaultRules: this.defaultRules, facts: this.facts, warnings: JSON.stringify(this.warnings), ruleCount: rules.length,
      ruleBytes, ruleOff, names: JSON.stringify(rules.map(r => r.name)), table,
      pairs: [...this.pairs].map(([k, px]) => [k, copyPair(px)]),
    }
  }

  /**
   * The policy `pack` described, without compiling anything again: the work here does not grow with the
   * rule count (rules are rebuilt one by one when asked for), so the packet thread can take it in.
   */
  static fromPacked (p: PackedPolicy): CompiledPolicy {
    // A Buffer crosses a structured clone as a plain Uint8Array.
    const threats: ThreatConfig = {
      ...p.threats,
      signatures: p.threats.signatures.map(s => {
        const c = s.content as Uint8Array
        return Buffer.isBuffer(c) ? s : { ...s, content: Buffer.from(c.buffer, c.byteOffset, c.byteLength) }
      }),
    }
    return new CompiledPolicy(p.source, p.settings, p.zones, [], threats, [], p.zoneProtection, p.defaultRules, {
      table: p.table, facts: p.facts, ruleCount: p.ruleCount, lazy: { bytes: Buffer.from(p.ruleBytes.buffer, p.ruleBytes.byteOffset, p.ruleBytes.byteLength), off: p.ruleOff }, names: p.names, warnings: p.warnings,
      pairs: p.pairs,
    })
  }

  /** The zone pairs (by zone name; undefined = no zone) whose rule index has been built, e.g. by sessions. */
  builtPairs (): Array<[string | undefined, string | undefined]> {
    const names = (id: number): string | undefined => id < 0 ? undefined : this.zones[id]?.name
    return [...this.pairs.keys()].map(k => [names(Math.floor(k / 0x10000) - 1), names((k % 0x10000) - 1)])
  }

  /**
   * The zone pairs a bridge between these two interfaces looks up when both have a zone (a frame's
   * from-zone is its ingress port's, its to-zone the other port's): [A→B, B→A]. None when either has no
   * zone (zones then come from addresses: any pair is possible) and for anything but two ports (a tap).
   */
  portPairs (ports: readonly string[] | undefined): Array<[string, string]> {
    if (ports === undefined || ports.length !== 2) return []
    const a = this.zoneOfInterface(ports[0]!)
    const b = this.zoneOfInterface(ports[1]!)
    if (a === undefined || b === undefined) return []
    return a === b ? [[a, a]] : [[a, b], [b, a]]
  }

  /** Rule indexes built by `lookup` itself (on the packet path) because no one built them ahead. */
  lazyPairBuilds = 0

  /** Build the rule index of these zone pairs now (a reload does it off the packet path for the pairs in use). */
  buildPairs (pairs: ReadonlyArray<readonly [string | undefined, string | undefined]>): void {
    for (const [from, to] of pairs) {
      const fromId = from === undefined ? -1 : this.zoneIds.get(from) ?? -1
      const toId = to === undefined ? -1 : this.zoneIds.get(to) ?? -1
      const pk = (fromId + 1) * 0x10000 + (toId + 1)
      if (this.table.count > LINEAR_RULES && !this.pairs.has(pk)) this.pairs.set(pk, buildPairIndex(this.table, fromId, toId))
    }
  }

  /** The same rules and zones under other settings (`withOverrides`, `rstlab set`): nothing is compiled again. */
  withSettings (settings: Settings): CompiledPolicy {
    return new CompiledPolicy(this.source, settings, this.zones, [], this.threats, [], this.zoneProtection, this.defaultRules, undefined, this)
  }

  /** Every rule, disabled ones included, in file order (rebuilt from a packed policy on first use). */
  get rules (): Rule[] {
    const lazy = this.lazy
    if (lazy !== undefined) {
      for (let i = 0; i < this.ruleList.length; i++) if (this.ruleList[i] === undefined) this.ruleList[i] = decodeRule(lazy, i)
      this.lazy = undefined
    }
    return this.ruleList as Rule[]
  }

  /** Rule `i` of `rules`, rebuilding only that one when the policy came packed. */
  ruleAt (i: number): Rule {
    const r = this.ruleList[i]
    if (r !== undefined) return r
    const d = decodeRule(this.lazy!, i)
    this.ruleList[i] = d
    return d
  }

  /** The rule of that name (the first one, should names repeat), or undefined. */
  ruleNamed (name: string): Rule | undefined {
    if (this.byName === undefined) {
      const names: string[] = this.lazyNames !== undefined ? JSON.parse(this.lazyNames) as string[] : this.ruleList.map(r => r!.name)
      const m = new Map<string, number>()
      for (let i = names.length - 1; i >= 0; i--) m.set(names[i]!, i)
      this.byName = m
    }
    const i = this.byName.get(name)
    return i === undefined ? undefined : this.ruleAt(i)
  }

  /** Warnings found while loading (shadowed rules, no-effect options), sorted by position. */
  get warnings (): PolicyDiagnostic[] {
    if (this.warningList === undefined) this.warningList = JSON.parse(this.warningText ?? '[]') as PolicyDiagnostic[]
    return this.warningList
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
   * Read `key` into the reused query: zone ids (a zone this policy does not define, or none, is -1 and can
   * match only `any`), and each address as 32-bit words once, so the per-rule checks compare numbers only.
   * False for a malformed key (addresses not 4/16 bytes, or src and dst of different families).
   */
  private prepare (key: LookupKey, q: Query): boolean {
    const from = key.fromZone === '' ? undefined : key.fromZone
    const to = key.toZone === '' ? undefined : key.toZone
    q.fromId = from === undefined ? -1 : this.zoneIds.get(from) ?? -1
    q.toId = to === undefined ? -1 : this.zoneIds.get(to) ?? -1
    q.intra = from === to
    const src = key.src; const dst = key.dst
    const v6 = src.length === 16
    if (src.length !== dst.length || (!v6 && src.length !== 4)) return false
    q.v6 = v6
    q.s0 = word(src, 0); q.d0 = word(dst, 0)
    if (v6) {
      q.s1 = word(src, 1); q.s2 = word(src, 2); q.s3 = word(src, 3)
      q.d1 = word(dst, 1); q.d2 = word(dst, 2); q.d3 = word(dst, 3)
    }
    q.proto = key.proto
    q.dport = key.dport
    q.app = key.app
    return true
  }

  /** The answer for a rule that matched (m = MATCH or TENTATIVE), made once. */
  private answer (c: number, m: number): RuleMatch {
    const k = 2 * c + m - 1
    const a = this.answers[k]
    if (a !== undefined) return a
    const made = new Match(this.ruleAt(this.table.ruleIndex[c]!), m === TENTATIVE)
    this.answers[k] = made
    return made
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
    const q = this.q
    const ok = this.prepare(key, q)
    const fallback = q.intra ? this.intrazone : this.interzone
    if (!ok) return fallback
    const t = this.table
    const at = this.appTables
    if (t.count <= LINEAR_RULES) {
      for (let c = 0; c < t.count; c++) {
        const m = matchAt(t, at, c, q)
        if (m !== NO_MATCH) return this.answer(c, m)
      }
      return fallback
    }
    // Candidates: the rules of this zone pair that could match on the most selective of three fields.
    const pk = (q.fromId + 1) * 0x10000 + (q.toId + 1)
    let px = this.pairs.get(pk)
    if (px === undefined) { px = buildPairIndex(t, q.fromId, q.toId); this.pairs.set(pk, px); this.lazyPairBuilds++ }
    const v6 = q.v6
    let list = px.port.rules; let lo = 0; let hi = 0
    let b = bucketOf(px.port.keys, q.proto * 0x10000 + q.dport)
    if (b >= 0) { lo = px.port.off[b]!; hi = px.port.off[b + 1]! }
    let wild = px.portWild
    const sb = v6 ? px.src6 : px.src4
    const sw = v6 ? px.src6Wild : px.src4Wild
    b = bucketOf(sb.keys, v6 ? q.s0 : q.s0 >>> 16)
    let lo2 = 0; let hi2 = 0
    if (b >= 0) { lo2 = sb.off[b]!; hi2 = sb.off[b + 1]! }
    if (hi2 - lo2 + sw.length < hi - lo + wild.length) { list = sb.rules; lo = lo2; hi = hi2; wild = sw }
    const db = v6 ? px.dst6 : px.dst4
    const dw = v6 ? px.dst6Wild : px.dst4Wild
    b = bucketOf(db.keys, v6 ? q.d0 : q.d0 >>> 16)
    lo2 = 0; hi2 = 0
    if (b >= 0) { lo2 = db.off[b]!; hi2 = db.off[b + 1]! }
    if (hi2 - lo2 + dw.length < hi - lo + wild.length) { list = db.rules; lo = lo2; hi = hi2; wild = dw }
    // Walk both ascending lists in rule order: the first full match is the first-match answer.
    let i = lo; let j = 0
    while (i < hi || j < wild.length) {
      let c: number
      if (j >= wild.length || (i < hi && list[i]! < wild[j]!)) c = list[i++]!
      else c = wild[j++]!
      const m = matchAt(t, at, c, q)
      if (m !== NO_MATCH) return this.answer(c, m)
    }
    return fallback
  }

  /** The plain top-down scan `lookup` must agree with (kept as the reference for tests and benchmarks). */
  lookupLinear (key: LookupKey): RuleMatch {
    const q = this.q
    const ok = this.prepare(key, q)
    const fallback = q.intra ? this.intrazone : this.interzone
    if (!ok) return fallback
    for (let c = 0; c < this.table.count; c++) {
      const m = matchAt(this.table, this.appTables, c, q)
      if (m !== NO_MATCH) return this.answer(c, m)
    }
    return fallback
  }
}

/** Below this many rules a scan is as fast as the index and needs no memory. */
const LINEAR_RULES = 32
const NO_MATCH = 0
const MATCH = 1
const TENTATIVE = 2

function in4 (t: Uint32Array, lo: number, hi: number, a: number): boolean {
  for (let i = lo; i < hi; i += 2) if (((a ^ t[i]!) & t[i + 1]!) === 0) return true
  return false
}

function in6 (t: Uint32Array, lo: number, hi: number, a0: number, a1: number, a2: number, a3: number): boolean {
  for (let i = lo; i < hi; i += 8) {
    if (((a0 ^ t[i]!) & t[i + 4]!) === 0 && ((a1 ^ t[i + 1]!) & t[i + 5]!) === 0 &&
        ((a2 ^ t[i + 2]!) & t[i + 6]!) === 0 && ((a3 ^ t[i + 3]!) & t[i + 7]!) === 0) return true
  }
  return false
}

function inTriples (t: Int32Array, lo: number, hi: number, proto: number, port: number): boolean {
  for (let i = lo; i < hi; i += 3) {
    if (t[i] === proto && port >= t[i + 1]! && port <= t[i + 2]!) return true
  }
  return false
}

/** Does rule `c` match the query? NO_MATCH, MATCH, or TENTATIVE (it names applications and App-ID has not decided). */
function matchAt (t: RuleTable, at: AppTables, c: number, q: Query): number {
  const fr = t.fromRow[c]!
  if (fr >= 0 && (q.fromId < 0 || t.zoneRows[fr + q.fromId] === 0)) return NO_MATCH
  const tr = t.toRow[c]!
  if (tr >= 0 && (q.toId < 0 || t.zoneRows[tr + q.toId] === 0)) return NO_MATCH
  const f = t.flags[c]!
  if ((f & (INTRA | INTER)) !== 0 && ((f & INTRA) !== 0) !== q.intra) return NO_MATCH
  if ((f & SRC_ANY) === 0) {
    const hit = q.v6 ? in6(t.src6, t.src6Off[c]!, t.src6Off[c + 1]!, q.s0, q.s1, q.s2, q.s3) : in4(t.src4, t.src4Off[c]!, t.src4Off[c + 1]!, q.s0)
    if (hit === ((f & NEG_SRC) !== 0)) return NO_MATCH
  }
  if ((f & DST_ANY) === 0) {
    const hit = q.v6 ? in6(t.dst6, t.dst6Off[c]!, t.dst6Off[c + 1]!, q.d0, q.d1, q.d2, q.d3) : in4(t.dst4, t.dst4Off[c]!, t.dst4Off[c + 1]!, q.d0)
    if (hit === ((f & NEG_DST) !== 0)) return NO_MATCH
  }
  const app = q.app
  if ((f & SVC_ANY) === 0 && !inTriples(t.svc, t.svcOff[c]!, t.svcOff[c + 1]!, q.proto, q.dport)) {
    const ad = t.appDefault[c]!
    if (ad < 0) return NO_MATCH
    const ports = at.ports[ad]!
    const tr3 = app === undefined ? ports.all : ports.byApp.get(app)
    if (tr3 === undefined || !inTriples(tr3, 0, tr3.length, q.proto, q.dport)) return NO_MATCH
  }
  const as = t.apps[c]!
  if (as >= 0) {
    if (app === undefined) return TENTATIVE
    if (!at.sets[as]!.has(app)) return NO_MATCH
  }
  return MATCH
}

/** Keys to lists of rules, flat (typed arrays only): the list of keys[b] (ascending) is rules[off[b], off[b+1]). */
interface Buckets { keys: Uint32Array, off: Int32Array, rules: Int32Array }

/** Bucket of key `k`, or -1. */
function bucketOf (keys: Uint32Array, k: number): number {
  let lo = 0; let hi = keys.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = keys[mid]!
    if (v < k) lo = mid + 1
    else if (v > k) hi = mid - 1
    else return mid
  }
  return -1
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
  port: Buckets, portWild: Int32Array
  src4: Buckets, src4Wild: Int32Array, dst4: Buckets, dst4Wild: Int32Array
  src6: Buckets, src6Wild: Int32Array, dst6: Buckets, dst6Wild: Int32Array
}

/** Port services covering at most this many ports are indexed port by port; wider ones are wild. */
const MAX_INDEXED_PORTS = 64

function buildPairIndex (t: RuleTable, fromId: number, toId: number): PairIndex {
  const port = new Map<number, number[]>(); const portWild: number[] = []
  const src4 = new Map<number, number[]>(); const src4Wild: number[] = []
  const dst4 = new Map<number, number[]>(); const dst4Wild: number[] = []
  const src6 = new Map<number, number[]>(); const src6Wild: number[] = []
  const dst6 = new Map<number, number[]>(); const dst6Wild: number[] = []
  for (let c = 0; c < t.count; c++) {
    const fr = t.fromRow[c]!
    if (fr >= 0 && (fromId < 0 || t.zoneRows[fr + fromId] === 0)) continue
    const tr = t.toRow[c]!
    if (tr >= 0 && (toId < 0 || t.zoneRows[tr + toId] === 0)) continue
    const f = t.flags[c]!
    const s0 = t.svcOff[c]!; const s1 = t.svcOff[c + 1]!
    let ports = 0
    for (let k = s0; k < s1; k += 3) ports += t.svc[k + 2]! - t.svc[k + 1]! + 1
    if ((f & SVC_ANY) !== 0 || t.appDefault[c]! >= 0 || ports > MAX_INDEXED_PORTS) portWild.push(c)
    else {
      for (let k = s0; k < s1; k += 3) {
        for (let p = t.svc[k + 1]!; p <= t.svc[k + 2]!; p++) add(port, t.svc[k]! * 0x10000 + p, c)
      }
    }
    // A negated list matches what is NOT in it: no bucket holds that, so such a rule is wild on that field.
    if ((f & (SRC_ANY | NEG_SRC)) !== 0) { src4Wild.push(c); src6Wild.push(c) } else {
      indexAddrs(t.src4, t.src4Off[c]!, t.src4Off[c + 1]!, t.src6, t.src6Off[c]!, t.src6Off[c + 1]!, c, src4, src4Wild, src6, src6Wild)
    }
    if ((f & (DST_ANY | NEG_DST)) !== 0) { dst4Wild.push(c); dst6Wild.push(c) } else {
      indexAddrs(t.dst4, t.dst4Off[c]!, t.dst4Off[c + 1]!, t.dst6, t.dst6Off[c]!, t.dst6Off[c + 1]!, c, dst4, dst4Wild, dst6, dst6Wild)
    }
  }
  return {
    port: buckets(port), portWild: Int32Array.from(portWild),
    src4: buckets(src4), src4Wild: Int32Array.from(src4Wild), dst4: buckets(dst4), dst4Wild: Int32Array.from(dst4Wild),
    src6: buckets(src6), src6Wild: Int32Array.from(src6Wild), dst6: buckets(dst6), dst6Wild: Int32Array.from(dst6Wild),
  }
}

function copyPair (px: PairIndex): PairIndex {
  const b = (x: Buckets): Buckets => ({ keys: x.keys.slice(), off: x.off.slice(), rules: x.rules.slice() })
  return {
    port: b(px.port), portWild: px.portWild.slice(), src4: b(px.src4), src4Wild: px.src4Wild.slice(), dst4: b(px.dst4),
    dst4Wild: px.dst4Wild.slice(), src6: b(px.src6), src6Wild: px.src6Wild.slice(), dst6: b(px.dst6), dst6Wild: px.dst6Wild.slice(),
  }
}

function add (m: Map<number, number[]>, k: number, i: number): void {
  const l = m.get(k)
  if (l === undefined) m.set(k, [i])
  else if (l[l.length - 1] !== i) l.push(i)
}

function buckets (m: Map<number, number[]>): Buckets {
  let total = 0
  for (const l of m.values()) total += l.length
  const keys = Uint32Array.from(m.keys()).sort()
  const off = new Int32Array(m.size + 1)
  const rules = new Int32Array(total)
  let pos = 0
  for (let b = 0; b < keys.length; b++) {
    const l = m.get(keys[b]!)!
    for (let i = 0; i < l.length; i++) rules[pos++] = l[i]!
    off[b + 1] = pos
  }
  return { keys, off, rules }
}

function indexAddrs (v4: Uint32Array, lo4: number, hi4: number, v6: Uint32Array, lo6: number, hi6: number, c: number,
  m4: Map<number, number[]>, wild4: number[], m6: Map<number, number[]>, wild6: number[]): void {
  let short4 = false
  for (let k = lo4; k < hi4; k += 2) if ((v4[k + 1]! & 0xffff0000) >>> 0 !== 0xffff0000) short4 = true
  if (short4) wild4.push(c)
  else for (let k = lo4; k < hi4; k += 2) add(m4, v4[k]! >>> 16, c)
  let short6 = false
  for (let k = lo6; k < hi6; k += 8) if (v6[k + 4]! !== 0xffffffff) short6 = true
  if (short6) wild6.push(c)
  else for (let k = lo6; k < hi6; k += 8) add(m6, v6[k]!, c)
}

/** Compile the rules into a table. Rules share zone lists and application lists far more often than not: each is stored once. */
function buildTable (rules: readonly Rule[], zoneIds: Map<string, number>): RuleTable {
  const enabled: number[] = []
  for (let i = 0; i < rules.length; i++) if (rules[i]!.disabled !== true) enabled.push(i)
  const n = enabled.length
  const zoneCount = zoneIds.size
  const flags = new Uint8Array(n)
  const fromRow = new Int32Array(n); const toRow = new Int32Array(n)
  const apps = new Int32Array(n); const appDefault = new Int32Array(n)
  const src4Off = new Int32Array(n + 1); const src6Off = new Int32Array(n + 1)
  const dst4Off = new Int32Array(n + 1); const dst6Off = new Int32Array(n + 1)
  const svcOff = new Int32Array(n + 1)
  const src4: number[] = []; const src6: number[] = []; const dst4: number[] = []; const dst6: number[] = []; const svc: number[] = []
  const rows = new Map<string, number>(); const zoneRows: number[] = []
  const appKeys = new Map<string, number>(); const appLists: string[][] = []
  const portKeys = new Map<string, number>(); const appPorts: RuleTable['appPorts'] = []
  const row = (names: string[] | 'any'): number => {
    if (names === 'any') return -1
    const key = names.join('\n')
    let at = rows.get(key)
    if (at === undefined) {
      at = zoneRows.length
      rows.set(key, at)
      for (let z = 0; z < zoneCount; z++) zoneRows.push(0)
      for (const nm of names) { const id = zoneIds.get(nm); if (id !== undefined) zoneRows[at + id] = 1 }
    }
    return at
  }
  for (let c = 0; c < n; c++) {
    const r = rules[enabled[c]!]!
    let f = 0
    fromRow[c] = row(r.from)
    toRow[c] = row(r.to)
    if (r.source === 'any') f |= SRC_ANY; else prefixes(r.source, src4, src6)
    if (r.destination === 'any') f |= DST_ANY; else prefixes(r.destination, dst4, dst6)
    src4Off[c + 1] = src4.length; src6Off[c + 1] = src6.length; dst4Off[c + 1] = dst4.length; dst6Off[c + 1] = dst6.length
    if (r.negateSource === true) f |= NEG_SRC
    if (r.negateDestination === true) f |= NEG_DST
    if (r.ruleType === 'intrazone') f |= INTRA; else if (r.ruleType === 'interzone') f |= INTER
    let appDef = false
    for (const s of r.service) {
      if (s.kind === 'any') f |= SVC_ANY
      else if (s.kind === 'application-default') appDef = true
      else for (const [lo, hi] of s.ranges) svc.push(protoNumber(s.proto), lo, hi)
    }
    svcOff[c + 1] = svc.length
    if (r.application === 'any') { apps[c] = -1; appDefault[c] = -1 } else {
      const key = r.application.join('\n')
      let a = appKeys.get(key)
      if (a === undefined) { a = appLists.length; appKeys.set(key, a); appLists.push([...r.application]) }
      apps[c] = a
      // application-default: the standard ports of each named application, per application, so a known
      // application must be on one of *its own* ports (src/policy/apps.ts).
      if (!appDef) appDefault[c] = -1
      else {
        let p = portKeys.get(key)
        if (p === undefined) {
          p = appPorts.length
          portKeys.set(key, p)
          const byApp: Array<[string, Int32Array]> = []
          const all: number[] = []
          for (const name of r.application) {
            const def = appByName(name)
            const own: number[] = []
            for (const port of def?.tcp ?? []) own.push(PROTO_TCP, port, port)
            for (const port of def?.udp ?? []) own.push(PROTO_UDP, port, port)
            byApp.push([name, Int32Array.from(own)])
            all.push(...own)
          }
          appPorts.push({ byApp, all: Int32Array.from(all) })
        }
        appDefault[c] = p
      }
    }
    flags[c] = f
  }
  return {
    count: n, zoneCount, ruleIndex: Int32Array.from(enabled), flags, fromRow, toRow, zoneRows: Uint8Array.from(zoneRows),
    src4Off, src4: Uint32Array.from(src4), src6Off, src6: Uint32Array.from(src6),
    dst4Off, dst4: Uint32Array.from(dst4), dst6Off, dst6: Uint32Array.from(dst6),
    svcOff, svc: Int32Array.from(svc), apps, appDefault, appLists, appPorts,
  }
}

/** A list's prefixes as (net, mask) words: IPv4 pairs into v4, IPv6 groups of 8 into v6. */
function prefixes (cidrs: readonly Cidr[], v4: number[], v6: number[]): void {
  for (const c of cidrs) {
    if (c.version === 4) {
      const m = maskWord(c.prefix, 0)
      v4.push((word(c.bytes, 0) & m) >>> 0, m)
    } else {
      const at = v6.length
      for (let w = 0; w < 4; w++) {
        const m = maskWord(c.prefix, w)
        v6[at + w] = (word(c.bytes, w) & m) >>> 0
        v6[at + 4 + w] = m
      }
    }
  }
}

function appTables (t: RuleTable): AppTables {
  return {
    sets: t.appLists.map(l => new Set(l)),
    ports: t.appPorts.map(p => ({ byApp: new Map(p.byApp), all: p.all })),
  }
}

/** What callers that must not walk every rule (a reload on the packet thread) need to know about them. */
function factsOf (rules: readonly Rule[]): PolicyFacts {
  const icmpUnreachable: string[] = []
  const profiles = new Map<string, { profile: string, rule: string, where: string }>()
  let anyAppRule = false
  for (const r of rules) {
    if (r.icmpUnreachable) icmpUnreachable.push(r.name)
    if (r.application !== 'any') anyAppRule = true
    if (r.profile !== undefined && !profiles.has(r.profile)) profiles.set(r.profile, { profile: r.profile, rule: r.name, where: r.where })
  }
  return { icmpUnreachable, anyAppRule, profiles: [...profiles.values()] }
}

/** A rule as JSON; prefixes as [text, prefix, ...bytes] (a Uint8Array has no JSON form). */
function encodeRule (r: Rule): string {
  const enc = (l: Cidr[] | 'any'): unknown => l === 'any' ? l : l.map(c => [c.text, c.prefix, ...c.bytes])
  return JSON.stringify({ ...r, source: enc(r.source), destination: enc(r.destination) })
}

function decodeRule (lazy: LazyRules, i: number): Rule {
  const r = JSON.parse(lazy.bytes.toString('utf8', lazy.off[i]!, lazy.off[i + 1]!)) as Rule
  const dec = (l: unknown): Cidr[] | 'any' => l === 'any' ? 'any' : (l as Array<[string, number, ...number[]]>).map(([text, prefix, ...bytes]) =>
    ({ version: bytes.length === 4 ? 4 : 6, bytes: Uint8Array.from(bytes), prefix, text }))
  r.source = dec(r.source)
  r.destination = dec(r.destination)
  return r
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
