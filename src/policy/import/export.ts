/**
 * The reverse of the import: an rstlab policy → PAN-OS `set` commands or XML, so a policy proven in the
 * lab can be pasted into a firewall. Both forms are written from one tree (the same shape the readers
 * build), so they always agree.
 *
 * What PAN-OS has no place for (zone networks, `settings.emulator`, `max-sessions`,
 * `icmp-unreachable-rate`, threat signatures and the rules' rstlab threat profiles, descriptions of
 * zones and of the policy) travels in ONE comment PAN-OS ignores: `# rstlab-extensions {json}` /
 * `<!-- rstlab-extensions {json} -->`. The importer reads it back, so import(export(p)) is p.
 */
import type { Policy, Service, ThreatSignature } from '../types.js'
import { defaultSettings } from '../settings.js'
import { SESSION_SPECS, TCP_SPECS, EMULATOR_SPECS } from '../settings.js'
import { node, type PanNode } from './tree.js'
import { FLOOD_TYPES, PACKET_BOOL_SPECS, defaultFlood } from '../zone-protection.js'
import type { ZoneProtectionProfile } from '../types.js'

const POS = { file: '<export>', line: 0, col: 0 }
const DEVICE = 'localhost.localdomain'

function el (tag: string, opts: { name?: string, text?: string, children?: PanNode[] } = {}): PanNode {
  const n = node(tag, POS, opts.name)
  if (opts.text !== undefined) n.text = opts.text
  if (opts.children !== undefined) n.children = opts.children
  return n
}
const list = (tag: string, values: string[]): PanNode => el(tag, { children: values.map(v => el('member', { text: v })) })
const yn = (b: boolean): string => b ? 'yes' : 'no'

/** PAN-OS keys of the session settings PAN-OS has (the others go into the extensions). */
const PANOS_SESSION: Record<string, string> = { 'accelerated-aging': 'accelerated-aging-enable' }
const RSTLAB_ONLY_SESSION = new Set(['max-sessions', 'icmp-unreachable-rate'])

export interface Exported { tree: PanNode, extensions: Record<string, unknown> | undefined }

/** The export tree of a policy, plus the extensions object (undefined when nothing needs it). */
export function exportTree (p: Policy): Exported {
  const ext: Record<string, unknown> = {}
  const defaults = defaultSettings()
  // settings
  const sessionEls: PanNode[] = []
  const extSession: Record<string, unknown> = {}
  for (const spec of SESSION_SPECS) {
    const v = (p.settings.session as unknown as Record<string, unknown>)[spec.prop]
    if (v === (defaults.session as unknown as Record<string, unknown>)[spec.prop]) continue
    if (RSTLAB_ONLY_SESSION.has(spec.key)) { extSession[spec.key] = v; continue }
    sessionEls.push(el(PANOS_SESSION[spec.key] ?? spec.key, { text: typeof v === 'boolean' ? yn(v) : String(v) }))
  }
  const tcpEls: PanNode[] = []
  for (const spec of TCP_SPECS) {
    const v = (p.settings.tcp as unknown as Record<string, unknown>)[spec.prop]
    if (v === (defaults.tcp as unknown as Record<string, unknown>)[spec.prop]) continue
    tcpEls.push(el(spec.key, { text: typeof v === 'boolean' ? yn(v) : String(v) }))
  }
  const extSettings: Record<string, unknown> = {}
  if (Object.keys(extSession).length > 0) extSettings.session = extSession
  const emu: Record<string, unknown> = {}
  for (const spec of EMULATOR_SPECS) {
    const v = (p.settings.emulator as unknown as Record<string, unknown>)[spec.prop]
    if (v !== (defaults.emulator as unknown as Record<string, unknown>)[spec.prop]) emu[spec.key] = v
  }
  if (p.settings.emulator.addresses.size > 0) {
    emu.addresses = Object.fromEntries([...p.settings.emulator.addresses].map(([z, cs]) => [z, cs.map(c => c.text)]))
  }
  if (Object.keys(emu).length > 0) extSettings.emulator = emu
  if (Object.keys(extSettings).length > 0) ext.settings = extSettings

  // zones
  const zoneEls: PanNode[] = []
  const extZones: Record<string, unknown> = {}
  for (const z of p.zones) {
    const net = [list(z.type, z.interfaces)]
    if (z.zoneProtectionProfile !== undefined) net.push(el('zone-protection-profile', { text: z.zoneProtectionProfile }))
    zoneEls.push(el('entry', { name: z.name, children: [el('network', { children: net })] }))
    const nets = [...(z.anyNetwork ? ['any'] : []), ...z.networks.map(c => c.text)]
    if (nets.length > 0) extZones[z.name] = { networks: nets }
  }
  if (Object.keys(extZones).length > 0) ext.zones = extZones

  // services used by rules → service objects
  const services = new Map<string, PanNode>()
  const serviceName = (s: Service & { kind: 'port' }): string => {
    const body = s.ranges.map(([lo, hi]) => lo === hi ? `${lo}` : `${lo}-${hi}`).join('_')
    let name = `${s.proto}-${body}`
    if (name.length > 63) name = `${name.slice(0, 50)}-${hash(name)}`
    if (!services.has(name)) {
      services.set(name, el('entry', {
        name,
        children: [el('protocol', { children: [el(s.proto, { children: [el('port', { text: s.ranges.map(([lo, hi]) => lo === hi ? `${lo}` : `${lo}-${hi}`).join(',') })] })] })],
      }))
    }
    return name
  }
  // rules
  const ruleEls: PanNode[] = []
  const extRules: Record<string, unknown> = {}
  for (const r of p.rules) {
    const c: PanNode[] = []
    c.push(list('from', r.from === 'any' ? ['any'] : r.from))
    c.push(list('to', r.ruleType === 'intrazone' ? (r.from === 'any' ? ['any'] : r.from) : r.to === 'any' ? ['any'] : r.to))
    c.push(list('source', r.source === 'any' ? ['any'] : r.source.map(x => x.text)))
    c.push(list('destination', r.destination === 'any' ? ['any'] : r.destination.map(x => x.text)))
    c.push(list('application', r.application === 'any' ? ['any'] : r.application))
    c.push(list('service', r.service.map(s => s.kind === 'port' ? serviceName(s) : s.kind)))
    c.push(el('action', { text: r.action }))
    if (r.icmpUnreachable) c.push(el('icmp-unreachable', { text: 'yes' }))
    if (r.negateSource === true) c.push(el('negate-source', { text: 'yes' }))
    if (r.negateDestination === true) c.push(el('negate-destination', { text: 'yes' }))
    if (r.ruleType !== undefined && r.ruleType !== 'universal') c.push(el('rule-type', { text: r.ruleType }))
    if (r.disabled === true) c.push(el('disabled', { text: 'yes' }))
    if (r.description !== undefined) c.push(el('description', { text: r.description }))
    if (r.profile !== undefined) extRules[r.name] = { profile: r.profile }
    ruleEls.push(el('entry', { name: r.name, children: c }))
  }
  if (Object.keys(extRules).length > 0) ext.rules = extRules
  // threats: rstlab's own signatures
  if (p.threats.signatures.length > 0 || p.threats.profiles.size > 0) {
    ext.threats = {
      signatures: p.threats.signatures.map(signatureDoc),
      profiles: Object.fromEntries(p.threats.profiles),
    }
  }
  const defaultEls: PanNode[] = []
  const dr = p.defaultRules
  if (dr !== undefined) {
    for (const [name, d, base] of [['intrazone-default', dr.intrazone, 'allow'], ['interzone-default', dr.interzone, 'deny']] as const) {
      if (d.action === base && !d.icmpUnreachable) continue
      const c = [el('action', { text: d.action })]
      if (d.icmpUnreachable) c.push(el('icmp-unreachable', { text: 'yes' }))
      defaultEls.push(el('entry', { name, children: c }))
    }
  }
  const vsysChildren: PanNode[] = []
  if (zoneEls.length > 0) vsysChildren.push(el('zone', { children: zoneEls }))
  if (services.size > 0) vsysChildren.push(el('service', { children: [...services.values()] }))
  const rulebase: PanNode[] = []
  if (ruleEls.length > 0) rulebase.push(el('security', { children: [el('rules', { children: ruleEls })] }))
  if (defaultEls.length > 0) rulebase.push(el('default-security-rules', { children: [el('rules', { children: defaultEls })] }))
  if (rulebase.length > 0) vsysChildren.push(el('rulebase', { children: rulebase }))
  const deviceChildren: PanNode[] = []
  const zpEls = [...(p.zoneProtection ?? new Map<string, ZoneProtectionProfile>()).values()].map(zoneProtectionEl)
  if (zpEls.length > 0) {
    deviceChildren.push(el('network', { children: [el('profiles', { children: [el('zone-protection-profile', { children: zpEls })] })] }))
  }
  const setting: PanNode[] = []
  if (sessionEls.length > 0) setting.push(el('session', { children: sessionEls }))
  if (tcpEls.length > 0) setting.push(el('tcp', { children: tcpEls }))
  if (setting.length > 0) deviceChildren.push(el('deviceconfig', { children: [el('setting', { children: setting })] }))
  deviceChildren.push(el('vsys', { children: [el('entry', { name: 'vsys1', children: vsysChildren })] }))
  const tree = el('config', { children: [el('devices', { children: [el('entry', { name: DEVICE, children: deviceChildren })] })] })
  return { tree, extensions: Object.keys(ext).length > 0 ? ext : undefined }
}

/** A profile as PAN-OS writes it: only what differs from a new profile's defaults (zone-protection.ts). */
function zoneProtectionEl (z: ZoneProtectionProfile): PanNode {
  const c: PanNode[] = []
  const flood: PanNode[] = []
  for (const t of FLOOD_TYPES) {
    const f = z.flood[t]
    const d = defaultFlood(f.action)
    if (f.action === 'red' && f.enable === d.enable && f.alarmRate === d.alarmRate && f.activateRate === d.activateRate && f.maximalRate === d.maximalRate) continue
    flood.push(el(t, { children: [el('enable', { text: yn(f.enable) }), el(f.action, { children: [
      el('alarm-rate', { text: String(f.alarmRate) }), el('activate-rate', { text: String(f.activateRate) }), el('maximal-rate', { text: String(f.maximalRate) })] })] }))
  }
  if (flood.length > 0) c.push(el('flood', { children: flood }))
  // Every configured scan entry is written in full (a configured entry differs from no entry).
  if (z.scan.length > 0) {
    c.push(el('scan', { children: z.scan.map(sc => el('entry', { name: String(sc.id), children: [
      el('action', { children: [sc.action === 'block-ip'
        ? el('block-ip', { children: [el('track-by', { text: sc.trackBy! }), el('duration', { text: String(sc.duration!) })] })
        : el(sc.action, {})] }),
      el('interval', { text: String(sc.interval) }), el('threshold', { text: String(sc.threshold) })] })) }))
  }
  if (z.scanWhiteList.length > 0) {
    c.push(el('scan-white-list', { children: z.scanWhiteList.map(w => el('entry', { name: w.name, children: [
      el(w.cidr.version === 4 ? 'ipv4' : 'ipv6', { text: w.cidr.text })] })) }))
  }
  const zr = z as unknown as Record<string, unknown>
  for (const s of PACKET_BOOL_SPECS) if (zr[s.prop] !== s.def) c.push(el(s.key, { text: yn(zr[s.prop] as boolean) }))
  if (z.tcpRejectNonSyn !== 'global') c.push(el('tcp-reject-non-syn', { text: z.tcpRejectNonSyn }))
  if (z.asymmetricPath !== 'global') c.push(el('asymmetric-path', { text: z.asymmetricPath }))
  if (z.stripMptcpOption !== 'global') c.push(el('strip-mptcp-option', { text: z.stripMptcpOption }))
  if (z.description !== undefined) c.push(el('description', { text: z.description }))
  return el('entry', { name: z.name, children: c })
}

function signatureDoc (s: ThreatSignature): Record<string, unknown> {
  const o: Record<string, unknown> = { name: s.name, hex: [...s.content].map(b => b.toString(16).padStart(2, '0')).join(' ') }
  if (s.offset !== undefined) o.offset = s.offset
  if (s.depth !== undefined) o.depth = s.depth
  o.direction = s.direction
  o.service = s.service.map(x => x.kind === 'port' ? `${x.proto}/${x.ranges.map(([lo, hi]) => lo === hi ? `${lo}` : `${lo}-${hi}`).join(',')}` : x.kind)
  o.severity = s.severity
  o.action = s.action
  return o
}

function hash (s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0
  return h.toString(16).padStart(8, '0')
}

const HEADER = 'written by rstlab policy export'

/** PAN-OS XML (a running-config fragment PAN-OS loads with `load config partial` or the XML API). */
export function exportXml (p: Policy): string {
  const { tree, extensions } = exportTree(p)
  const out: string[] = [`<!-- ${HEADER} from ${p.source.replace(/--/g, '- -')} -->`]
  if (extensions !== undefined) {
    // '-' is escaped so the JSON can never contain '--', which would end the comment.
    out.push(`<!-- rstlab-extensions ${JSON.stringify(extensions).replace(/-/g, '\\u002d')} -->`)
  }
  const write = (n: PanNode, depth: number): void => {
    const pad = '  '.repeat(depth)
    const attr = n.name === undefined ? '' : ` name="${esc(n.name)}"`
    if (n.children.length === 0 && n.text === undefined) { out.push(`${pad}<${n.tag}${attr}/>`); return }
    if (n.children.length === 0) { out.push(`${pad}<${n.tag}${attr}>${esc(n.text!)}</${n.tag}>`); return }
    out.push(`${pad}<${n.tag}${attr}>`)
    for (const c of n.children) write(c, depth + 1)
    out.push(`${pad}</${n.tag}>`)
  }
  write(tree, 0)
  return out.join('\n') + '\n'
}

function esc (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** `set` commands, one attribute per line, as pasted into configure mode. */
export function exportSet (p: Policy): string {
  const { tree, extensions } = exportTree(p)
  const out: string[] = [`# ${HEADER} from ${p.source}`,
    '# paste into configure mode, then commit; the rstlab-extensions line is for rstlab (PAN-OS has no place for it)']
  if (extensions !== undefined) out.push(`# rstlab-extensions ${JSON.stringify(extensions)}`)
  out.push('configure')
  const device = tree.children[0]!.children[0]!
  const walk = (n: PanNode, words: string[]): void => {
    const here = n.tag === 'entry' ? [...words, word(n.name!)] : [...words, word(n.tag)]
    if (n.children.length > 0 && n.children.every(c => c.tag === 'member')) {
      const ms = n.children.map(c => word(c.text!))
      out.push(`set ${here.join(' ')} ${ms.length === 1 ? ms[0]! : `[ ${ms.join(' ')} ]`}`)
      return
    }
    if (n.children.length === 0) { out.push(`set ${here.join(' ')}${n.text !== undefined ? ` ${word(n.text)}` : ''}`); return }
    for (const c of n.children) walk(c, here)
  }
  for (const c of device.children) {
    if (c.tag === 'vsys') {
      // One vsys, written at the top level as configure mode on a single-vsys firewall takes it.
      for (const v of c.children[0]!.children) walk(v, [])
    } else walk(c, [])
  }
  out.push('commit')
  return out.join('\n') + '\n'
}

function word (s: string): string {
  return s === '' || /[\s"'[\]#\\]/.test(s) ? `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : s
}
