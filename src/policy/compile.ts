/**
 * Compiling a policy document into a `Policy`: the `settings`, `zones`, `threats` and `rules` sections,
 * every validation rule, and the shadowed-rule check. Either every check passes and a full `Policy`
 * comes out, or the diagnostics say why — nothing is half-built.
 */
import type {
  Action, Cidr, DefaultRule, EmulatorSettings, Rule, RuleType, Settings, ThreatConfig, Zone, ZoneProtectionProfile, ZoneType,
} from './types.js'
import { isScalar, type Ctx, type Entry } from './yamlctx.js'
import { EMULATOR_SPECS, SESSION_SPECS, TCP_SPECS, type SettingSpec, defaultSettings } from './settings.js'
import { parseCidr } from './cidr.js'
import { SHADOW_CANDIDATE_LIMIT, findShadows } from './shadow.js'
import { addressList, appList, serviceList, zoneList } from './lists.js'
import { compileThreats } from './threats.js'
import { compileZoneProtection } from './zone-protection.js'
import { CompiledPolicy, DEFAULT_RULES } from './match.js'
import { didYouMean } from './suggest.js'

export const TOP_KEYS = ['settings', 'zones', 'default-rules', 'rules', 'threats', 'zone-protection-profiles', 'description'] as const
export const ACTIONS: readonly Action[] = ['allow', 'deny', 'drop', 'reset-client', 'reset-server', 'reset-both']
const RULE_KEYS = ['name', 'description', 'from', 'to', 'source', 'destination', 'application', 'service',
  'action', 'icmp-unreachable', 'profile', 'negate-source', 'negate-destination', 'rule-type', 'disabled']
const ZONE_KEYS = ['type', 'interfaces', 'networks', 'zone-protection-profile', 'description']
export const ZONE_TYPES: readonly ZoneType[] = ['layer3', 'virtual-wire', 'tap']
export const RULE_TYPES: readonly RuleType[] = ['universal', 'intrazone', 'interzone']
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/
const RULE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/
const DEFAULT_RULE_NAMES = ['intrazone-default', 'interzone-default']
/** Size limits (docs/errors.md): beyond them a policy is refused with an error at its `rules:`/`zones:` key. */
export const MAX_RULES = 200_000
export const MAX_ZONES = 4096

/** Compile a whole document (its root node). Returns the policy only when no error was reported. */
export function compileDocument (ctx: Ctx, root: unknown): CompiledPolicy | undefined {
  const top = ctx.fields(root, '', TOP_KEYS, 'the policy file')
  if (top === undefined) return undefined
  const zpEntry = top.get('zone-protection-profiles')
  const zoneProtection = zpEntry === undefined ? new Map<string, ZoneProtectionProfile>() : compileZoneProtection(ctx, zpEntry)
  const zonesEntry = top.get('zones')
  const zones = zonesEntry === undefined ? [] : compileZones(ctx, zonesEntry, zoneProtection)
  const settings = defaultSettings()
  const settingsNode = top.get('settings')
  const settingsFields = settingsNode === undefined ? undefined
    : ctx.fields(settingsNode.value, 'settings', ['session', 'tcp', 'emulator'], 'settings')
  if (settingsFields !== undefined) applySettings(ctx, settingsFields, settings, zones)
  const threatsEntry = top.get('threats')
  const threats: ThreatConfig = threatsEntry === undefined
    ? { signatures: [], profiles: new Map() }
    : compileThreats(ctx, threatsEntry)
  const rulesEntry = top.get('rules')
  const ruleNodes: RuleNode[] = []
  const rules = rulesEntry === undefined ? [] : compileRules(ctx, rulesEntry, zones, threats, ruleNodes)
  const defaultsEntry = top.get('default-rules')
  const defaultRules = defaultsEntry === undefined ? DEFAULT_RULES : compileDefaultRules(ctx, defaultsEntry)
  if (top.has('description')) ctx.string(top.get('description')!)
  if (ctx.errorCount > 0) return undefined
  checkShadowing(ctx, rules, ruleNodes) // only on a clean policy: shadow warnings beside errors would be noise
  const warnings = ctx.diagnostics.filter(d => d.severity === 'warning').sort((a, b) => a.line - b.line || a.col - b.col)
  return new CompiledPolicy(ctx.source, settings, zones, rules, threats, warnings, zoneProtection, defaultRules)
}

/** `default-rules: { intrazone-default: { action, icmp-unreachable }, interzone-default: {…} }` (PAN-OS overrides). */
function compileDefaultRules (ctx: Ctx, e: Entry): { intrazone: DefaultRule, interzone: DefaultRule } {
  const out = { intrazone: { ...DEFAULT_RULES.intrazone }, interzone: { ...DEFAULT_RULES.interzone } }
  const f = ctx.fields(e.value, e.path, DEFAULT_RULE_NAMES, 'default-rules')
  if (f === undefined) return out
  for (const [name, de] of f) {
    const target = name === 'intrazone-default' ? out.intrazone : out.interzone
    const df = ctx.fields(de.value, de.path, ['action', 'icmp-unreachable'], `default rule '${name}'`)
    if (df === undefined) continue
    const a = df.get('action')
    if (a !== undefined) { const v = ctx.enumOf(a, ACTIONS); if (v !== undefined) target.action = v }
    const i = df.get('icmp-unreachable')
    if (i !== undefined) { const v = ctx.bool(i); if (v !== undefined) target.icmpUnreachable = v }
  }
  return out
}

/**
 * Apply the `session`, `tcp` and `emulator` keys of a `settings` map onto `settings` (in place).
 * Used for files and for `withOverrides`; `zoneNames` validates `emulator.addresses`.
 */
export function applySettings (ctx: Ctx, f: Map<string, Entry>, settings: Settings, zones: readonly Zone[]): void {
  const session = f.get('session')
  if (session !== undefined) {
    const sf = ctx.fields(session.value, session.path, SESSION_SPECS.map(s => s.key), 'settings.session')
    if (sf !== undefined) {
      applySpecs(ctx, sf, SESSION_SPECS, settings.session as unknown as Record<string, unknown>)
      const tw = sf.get('timeout-tcp-time-wait')
      const s = settings.session
      if (tw !== undefined && s.timeoutTcpTimeWait > s.timeoutTcpHalfClosed) {
        ctx.warn(ctx.at(tw), tw.path, `timeout-tcp-time-wait ${s.timeoutTcpTimeWait} is larger than timeout-tcp-half-closed ` +
          `${s.timeoutTcpHalfClosed}; PAN-OS accepts this but the effective time-wait is ${s.timeoutTcpHalfClosed}`)
      }
    }
  }
  const tcp = f.get('tcp')
  if (tcp !== undefined) {
    const tf = ctx.fields(tcp.value, tcp.path, TCP_SPECS.map(s => s.key), 'settings.tcp')
    if (tf !== undefined) applySpecs(ctx, tf, TCP_SPECS, settings.tcp as unknown as Record<string, unknown>)
  }
  const emu = f.get('emulator')
  if (emu !== undefined) {
    const ef = ctx.fields(emu.value, emu.path, [...EMULATOR_SPECS.map(s => s.key), 'addresses'], 'settings.emulator')
    if (ef !== undefined) {
      const addr = ef.get('addresses')
      ef.delete('addresses')
      applySpecs(ctx, ef, EMULATOR_SPECS, settings.emulator as unknown as Record<string, unknown>)
      if (addr !== undefined) {
        const a = compileAddresses(ctx, addr, zones)
        if (a !== undefined) settings.emulator.addresses = a
      }
    }
  }
}

function applySpecs (ctx: Ctx, f: Map<string, Entry>, specs: readonly SettingSpec[], target: Record<string, unknown>): void {
  for (const [key, e] of f) {
    const spec = specs.find(s => s.key === key)
    if (spec === undefined) continue
    let v: unknown
    if (spec.kind === 'int') {
      v = ctx.int(e, spec.min, spec.max)
      if (v !== undefined && spec.note === 'pow2' && ((v as number) & ((v as number) - 1)) !== 0) {
        ctx.error(ctx.at(e), e.path, `'${key}' must be a power of two (2, 4, 8 or 16), not ${v as number}`)
        v = undefined
      }
    } else if (spec.kind === 'bool') v = ctx.bool(e)
    else v = ctx.enumOf(e, spec.values)
    if (v !== undefined) target[spec.prop] = v
  }
}

/** `settings.emulator.addresses`: zone name → the firewall's own address(es) in that zone. */
export function compileAddresses (ctx: Ctx, e: Entry, zones: readonly Zone[]): EmulatorSettings['addresses'] | undefined {
  // Any zone name is a key here; check them against the zones instead of a fixed key list.
  const zoneNames = zones.map(z => z.name)
  const entries = ctx.fields(e.value, e.path, [], 'settings.emulator.addresses', true)
  if (entries === undefined) return undefined
  const out = new Map<string, Cidr[]>()
  for (const [zone, ze] of entries) {
    if (!zoneNames.includes(zone)) {
      ctx.error(ze.keyNode, ze.path, `settings.emulator.addresses names zone '${zone}', which is not defined under zones` +
        `${didYouMean(zone, zoneNames)}; defined zones: ${zoneNames.length === 0 ? '(none)' : zoneNames.join(', ')}`)
      continue
    }
    const type = zones.find(z => z.name === zone)!.type
    if (type !== 'layer3') {
      ctx.error(ze.keyNode, ze.path, `zone '${zone}' is type ${type}, and a ${type} interface has no IP address of its own; ` +
        `remove it from settings.emulator.addresses, or make the zone type: layer3`)
      continue
    }
    const items = ctx.list(ze)
    if (items === undefined) continue
    const cidrs: Cidr[] = []
    for (const it of items) {
      const c = parseCidr(it.text)
      if (typeof c === 'string') ctx.error(it.node, it.path, c)
      else cidrs.push(c)
    }
    out.set(zone, cidrs)
  }
  return out
}

function compileZones (ctx: Ctx, e: Entry, profiles: ReadonlyMap<string, ZoneProtectionProfile>): Zone[] {
  const entries = ctx.fields(e.value, e.path, [], 'zones', true)
  if (entries === undefined) return []
  if (entries.size > MAX_ZONES) {
    ctx.error(e.keyNode, e.path, `${entries.size} zones is more than rstlab accepts (at most ${MAX_ZONES})`)
    return []
  }
  const zones: Zone[] = []
  const ifOwner = new Map<string, { zone: string, node: unknown, path: string }>()
  const netOwner = new Map<string, { zone: string, node: unknown, path: string }>()
  for (const [name, ze] of entries) {
    if (name === 'any' || !NAME_RE.test(name)) {
      ctx.error(ze.keyNode, ze.path, name === 'any'
        ? "'any' is reserved (it means every zone in rules); name the zone something else"
        : `zone name '${name}' must start with a letter or digit and hold only letters, digits, '.', '_' or '-' (at most 63)`)
      continue
    }
    const f = ctx.fields(ze.value, ze.path, ZONE_KEYS, `zone '${name}'`)
    if (f === undefined) continue
    const typeE = f.get('type')
    // layer2 and tunnel are PAN-OS zone types too: say that rstlab does not model them, not just "invalid".
    const raw = isScalar(typeE?.value) ? (typeE!.value as { value: unknown }).value : undefined
    if (typeE !== undefined && (raw === 'layer2' || raw === 'tunnel')) {
      ctx.error(ctx.at(typeE), typeE.path, `zone '${name}' is type ${raw}, a PAN-OS zone type rstlab does not model; ` +
        `use ${ZONE_TYPES.join(', ')}`)
      continue
    }
    const type = typeE === undefined ? 'layer3' : ctx.enumOf(typeE, ZONE_TYPES)
    if (type === undefined) continue
    const zone: Zone = { name, type, interfaces: [], networks: [], anyNetwork: false }
    const ifs = f.get('interfaces')
    for (const it of (ifs === undefined ? [] : ctx.list(ifs) ?? [])) {
      const prev = ifOwner.get(it.text)
      if (prev !== undefined) {
        ctx.error(it.node, it.path, `interface '${it.text}' is already in zone '${prev.zone}' (${ctx.lineOf(prev.node, prev.path)}); ` +
          'an interface belongs to one zone')
        continue
      }
      ifOwner.set(it.text, { zone: name, node: it.node, path: it.path })
      zone.interfaces.push(it.text)
    }
    const nets = f.get('networks')
    for (const it of (nets === undefined ? [] : ctx.list(nets) ?? [])) {
      let key: string
      if (it.text === 'any') {
        zone.anyNetwork = true
        key = 'any'
      } else {
        const c = parseCidr(it.text)
        if (typeof c === 'string') { ctx.error(it.node, it.path, c); continue }
        zone.networks.push(c)
        key = cidrKey(c)
      }
      const prev = netOwner.get(key)
      if (prev !== undefined && prev.zone !== name) {
        ctx.error(it.node, it.path, `network '${it.text}' is also in zone '${prev.zone}' (${ctx.lineOf(prev.node, prev.path)}); ` +
          'each address must belong to one zone (a more specific network in another zone is fine)')
        continue
      }
      netOwner.set(key, { zone: name, node: it.node, path: it.path })
    }
    if (f.has('description')) ctx.string(f.get('description')!)
    const zpe = f.get('zone-protection-profile')
    if (zpe !== undefined) {
      const pn = ctx.string(zpe)
      const known = [...profiles.keys()]
      if (pn !== undefined && !profiles.has(pn)) {
        ctx.error(ctx.at(zpe), zpe.path, `zone '${name}' uses zone protection profile '${pn}', which is not defined under zone-protection-profiles` +
          `${didYouMean(pn, known)}; defined profiles: ${known.length === 0 ? '(none)' : known.join(', ')}`)
      } else if (pn !== undefined) zone.zoneProtectionProfile = pn
    }
    if (!f.has('interfaces') && !f.has('networks')) {
      ctx.warn(ze.keyNode, ze.path, `zone '${name}' has neither interfaces nor networks, so no traffic can be in it`)
    }
    zones.push(zone)
  }
  return zones
}

/** A canonical key for a prefix (network bits only), to spot the same network in two zones. */
function cidrKey (c: Cidr): string {
  const b = Uint8Array.from(c.bytes)
  for (let i = 0; i < b.length; i++) {
    const bits = Math.max(0, Math.min(8, c.prefix - 8 * i))
    b[i] = b[i]! & ((0xff << (8 - bits)) & 0xff)
  }
  return `${c.version}:${Array.from(b).join('.')}/${c.prefix}`
}

function compileRules (ctx: Ctx, e: Entry, zones: readonly Zone[], threats: ThreatConfig, ruleNodes: RuleNode[]): Rule[] {
  const seq = ctx.seqItems(e, 'rules (each a map with name, action, …)')
  if (seq === undefined) return []
  if (seq.items.length > MAX_RULES) {
    ctx.error(e.keyNode, e.path, `${seq.items.length} rules is more than rstlab accepts (at most ${MAX_RULES}; ` +
      'PAN-OS\'s largest models hold about 65,000): split the policy or merge rules')
    return []
  }
  const zoneNames = zones.map(z => z.name)
  const zoneSet = new Set(zoneNames)
  const rules: Rule[] = []
  const seen = new Map<string, { node: unknown, path: string }>()
  const one = ({ node, path }: { node: unknown, path: string }, index: number): void => {
    const errorsAtStart = ctx.errorCount
    const f = ctx.fields(node, path, RULE_KEYS, 'a rule')
    if (f === undefined) return
    if (f.size === 0 && ctx.errorCount === errorsAtStart) {
      ctx.error(node, path, 'empty rule; a rule needs at least name and action')
      return
    }
    const errorsBefore = ctx.errorCount
    const nameE = f.get('name')
    let name: string | undefined
    if (nameE === undefined) ctx.error(node, path, 'rule has no name; add name: SOME-NAME')
    else {
      name = ctx.string(nameE)
      if (name !== undefined) {
        const prev = seen.get(name)
        if (DEFAULT_RULE_NAMES.includes(name)) {
          ctx.error(ctx.at(nameE), nameE.path, `'${name}' is the name of an implicit default rule; choose another name`)
        } else if (!RULE_NAME_RE.test(name)) {
          ctx.error(ctx.at(nameE), nameE.path, `rule name '${name}' must start with a letter or digit and hold only ` +
            "letters, digits, spaces, '.', '_' or '-' (at most 63)")
        } else if (prev !== undefined) {
          ctx.error(ctx.at(nameE), nameE.path, `duplicate rule name '${name}' (first used at ${ctx.lineOf(prev.node, prev.path)}); rule names must be unique`)
        } else seen.set(name, { node: ctx.at(nameE), path: nameE.path })
      }
    }
    const label = name === undefined ? `rules[${index}]` : `rule '${name}'`
    const from = zoneList(ctx, f.get('from'), zoneNames, zoneSet)
    const to = zoneList(ctx, f.get('to'), zoneNames, zoneSet)
    const source = addressList(ctx, f.get('source'))
    const destination = addressList(ctx, f.get('destination'))
    const application = appList(ctx, f.get('application'))
    const service = serviceList(ctx, f.get('service'), application, 'rule')
    const actionE = f.get('action')
    let action: Action | undefined
    if (actionE === undefined) ctx.error(node, path, `${label} has no action; add action: ${ACTIONS.join('|')}`)
    else action = ctx.enumOf(actionE, ACTIONS)
    const icmpE = f.get('icmp-unreachable')
    const icmpUnreachable = icmpE === undefined ? false : ctx.bool(icmpE)
    if (icmpE !== undefined && icmpUnreachable === true && action === 'allow') {
      ctx.warn(ctx.at(icmpE), icmpE.path, `${label} allows traffic, so icmp-unreachable has no effect`)
    }
    const profileE = f.get('profile')
    let profile: string | undefined
    if (profileE !== undefined) {
      profile = ctx.string(profileE)
      const known = [...threats.profiles.keys()]
      if (profile !== undefined && !threats.profiles.has(profile)) {
        ctx.error(ctx.at(profileE), profileE.path, `${label} uses profile '${profile}', which is not defined under threats.profiles` +
          `${didYouMean(profile, known)}; defined profiles: ${known.length === 0 ? '(none)' : known.join(', ')}`)
        profile = undefined
      } else if (profile !== undefined && action !== undefined && action !== 'allow') {
        ctx.warn(ctx.at(profileE), profileE.path, `${label} blocks traffic (action ${action}), so its threat profile never inspects anything`)
      }
    }
    const flag = (k: string): boolean | undefined => { const x = f.get(k); return x === undefined ? false : ctx.bool(x) }
    const negateSource = flag('negate-source')
    const negateDestination = flag('negate-destination')
    const disabled = flag('disabled')
    for (const [k, v, list] of [['negate-source', negateSource, source], ['negate-destination', negateDestination, destination]] as const) {
      if (v === true && list === 'any') {
        ctx.error(ctx.at(f.get(k)!), f.get(k)!.path, `${label} negates '${k.slice(7)}: any', which matches nothing; name addresses or drop ${k}`)
      }
    }
    const typeE = f.get('rule-type')
    const ruleType = typeE === undefined ? 'universal' : ctx.enumOf(typeE, RULE_TYPES)
    if (ruleType === 'intrazone' && f.has('to')) {
      ctx.error(ctx.at(f.get('to')!), f.get('to')!.path, `${label} is rule-type intrazone: it matches traffic within its 'from' zones, so leave 'to' out`)
    }
    const descE = f.get('description')
    const description = descE === undefined ? undefined : ctx.string(descE)
    if (ctx.errorCount > errorsBefore || name === undefined || action === undefined || from === undefined ||
        to === undefined || source === undefined || destination === undefined || application === undefined ||
        service === undefined || icmpUnreachable === undefined || negateSource === undefined ||
        negateDestination === undefined || disabled === undefined || ruleType === undefined) return
    const rule: Rule = {
      name, index: rules.length, from, to, source, destination, application, service, action, icmpUnreachable,
      where: ctx.where(node, path),
    }
    if (negateSource) rule.negateSource = true
    if (negateDestination) rule.negateDestination = true
    if (ruleType !== 'universal') rule.ruleType = ruleType
    if (disabled) rule.disabled = true
    if (profile !== undefined) rule.profile = profile
    if (description !== undefined) rule.description = description
    const [line, col] = ctx.pos(node)
    ruleNodes.push({ line, col, path })
    rules.push(rule)
  }
  for (let i = 0; i < seq.items.length; i++) {
    // A lazy sequence (fastParse's lazyRules) reads each rule's nodes only now.
    one({ node: ctx.resolve(seq.items[i] ?? seq.reparse?.(i) ?? null), path: `${e.path}[${i}]` }, i)
    // The fast reader's tree is ours: let each rule's nodes go once it is compiled (a 100,000-rule
    // tree and the compiled policy need not both be in memory).
    if (seq.owned) seq.items[i] = null
  }
  return rules
}

/** A rule's node, by rule index, for the shadow warning's position (compile-time only). */
interface RuleNode { line: number, col: number, path: string }

/**
 * Warn about rules that can never match: an earlier rule matches a superset on every field
 * (zones, addresses, applications, services), so first-match always stops there (src/policy/shadow.ts).
 */
function checkShadowing (ctx: Ctx, rules: readonly Rule[], ruleNodes: readonly RuleNode[]): void {
  const { shadowedBy, truncated } = findShadows(rules)
  for (let j = 0; j < rules.length; j++) {
    const i = shadowedBy[j]!
    if (i < 0) continue
    const a = rules[i]!
    const b = rules[j]!
    const at = ruleNodes[j]
    const aAt = ruleNodes[i]
    ctx.reportAt('warning', at?.line ?? 0, at?.col ?? 0, at?.path ?? `rules[${j}]`, `rule '${b.name}' is shadowed by rule '${a.name}' ` +
      `(${aAt === undefined ? a.where : aAt.line === 0 ? aAt.path : `line ${aAt.line}`}), which matches everything it matches; ` +
      `'${b.name}' never applies — move it above '${a.name}' or narrow '${a.name}'`)
  }
  if (truncated > 0) {
    ctx.warn(undefined, 'rules', `the shadowed-rule check compared ${truncated} rule${truncated > 1 ? 's' : ''} with only the ` +
      `first ${SHADOW_CANDIDATE_LIMIT} earlier rules that could cover ${truncated > 1 ? 'them' : 'it'} (too many near-identical rules); ` +
      'a shadowed rule among them may be unreported')
  }
}
