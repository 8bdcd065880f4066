/**
 * The PAN-OS configuration tree (tree.ts) → an rstlab policy document: the same plain object shape (and
 * so the same YAML) a hand-written policy has, compiled by the ordinary policy compiler. PAN-OS names are
 * kept (zones, interfaces, rules, applications); address and service objects are resolved into the
 * prefixes and ports rstlab rules hold. Every node of the tree is either read here or listed in the
 * report with its position and the reason it was not imported: nothing is dropped silently.
 *
 * The mapping table is documented in docs/policy.md ("Importing PAN-OS configurations").
 */
import { parseCidr } from '../cidr.js'
import { parseService } from '../service.js'
import { APPS } from '../apps.js'
import { FLOOD_TYPES, PACKET_BOOL_SPECS } from '../zone-protection.js'
import { ImportSyntaxError, at, child, entries, leaf, members, type PanNode, type Pos } from './tree.js'

export interface NotImported {
  pos: Pos
  /** What was left out, e.g. `rulebase nat rules 'outbound-snat'`. */
  what: string
  /** Why, in a sentence. */
  why: string
}

export interface MapResult {
  /** The policy document (kebab-case keys, as in YAML). */
  doc: Record<string, unknown>
  report: NotImported[]
  /** Document path (`rules[2].source[0]`, `zones.trust`) → where it came from, for compile diagnostics. */
  where: Map<string, Pos>
  vsys: string
}

const WHY = {
  nat: 'NAT rules: rstlab forwards frames unchanged (no address or port translation)',
  decryption: 'decryption: rstlab does not decrypt TLS',
  rulebase: 'this rulebase has no rstlab equivalent (only security rules are evaluated)',
  logging: 'logging configuration: rstlab writes its own traffic and threat logs',
  edl: 'external dynamic lists are fetched by the firewall at run time and cannot be resolved offline',
  users: 'users and groups (User-ID): rstlab has no user identity',
  hip: 'HIP profiles (GlobalProtect host information): rstlab has no endpoint information',
  profiles: "PAN-OS security profiles select Palo Alto Networks' threat and URL databases by ID, severity and category; " +
    "rstlab's threat profiles hold custom content signatures, so these settings are not expressible",
  tag: 'tags only label objects; they have no effect on traffic',
  mgmt: 'management-plane settings; no effect on traffic through the firewall',
  category: 'URL categories: rstlab has no URL filtering',
  schedule: 'schedules: rstlab rules are always active',
  other: 'rstlab has no equivalent for this setting',
  vsys: 'another virtual system: one vsys is imported at a time (choose with --vsys)',
  routing: 'routing: rstlab does not route; only the connected networks of layer3 interfaces and static-route destinations become zone networks',
  qos: 'QoS: rstlab does not shape traffic',
  interface: 'interface settings other than zone membership and addresses do not affect rstlab',
}

function whyFor (tag: string): string {
  switch (tag) {
    case 'nat': return WHY.nat
    case 'decryption': return WHY.decryption
    case 'log-settings': case 'log-setting': case 'log-start': case 'log-end': case 'syslog': case 'email':
    case 'reports': case 'report-group': case 'email-scheduler': case 'pdf-summary-report': case 'server-profile':
      return WHY.logging
    case 'external-list': return WHY.edl
    case 'source-user': case 'user-id-collector': case 'local-user-database': case 'authentication-profile':
    case 'group-mapping': case 'user-id-agent': return WHY.users
    case 'source-hip': case 'destination-hip': case 'profiles-hip': case 'hip-objects': case 'hip-profiles': return WHY.hip
    case 'profiles': case 'profile-setting': case 'profile-group': case 'threats': return WHY.profiles
    case 'tag': case 'group-tag': return WHY.tag
    case 'mgt-config': case 'system': case 'management': case 'deviceconfig': case 'high-availability': return WHY.mgmt
    case 'category': return WHY.category
    case 'schedule': return WHY.schedule
    case 'virtual-router': case 'logical-router': case 'routing-profile': return WHY.routing
    case 'qos': return WHY.qos
    case 'pbf': case 'application-override': case 'authentication': case 'dos': case 'tunnel-inspect': case 'sdwan':
    case 'network-packet-broker': return WHY.rulebase
    default: return WHY.other
  }
}

/** App-ID light names (src/policy/apps.ts): the applications rstlab can identify. */
const KNOWN_APPS = new Set(APPS.map(a => a.name))
/** PAN-OS predefined services (their ports as the PAN-OS defaults define them). */
const PREDEFINED_SERVICES: Record<string, string[]> = { 'service-http': ['tcp/80,8080'], 'service-https': ['tcp/443'] }

interface Scope { vsys: PanNode | undefined, shared: PanNode | undefined }

export function mapConfig (top: PanNode, opts: { vsys?: string }): MapResult {
  const report: NotImported[] = []
  const where = new Map<string, Pos>()
  const used = new Set<PanNode>()
  const use = (n: PanNode | undefined): PanNode | undefined => { if (n !== undefined) used.add(n); return n }
  const useAll = (n: PanNode | undefined): void => { if (n === undefined) return; used.add(n); n.children.forEach(useAll) }
  const skip = (n: PanNode, what: string, why: string): void => { useAll(n); report.push({ pos: n.pos, what, why }) }

  // Find <config>: the root, or inside an API <response><result>.
  let config: PanNode | undefined = top
  if (top.tag === 'response') config = at(top, 'result', 'config') ?? child(child(top, 'result'), 'config')
  if (config === undefined || config.tag !== 'config') {
    throw new ImportSyntaxError(top.pos, `the root element is <${top.tag}>, not <config>: this is not a PAN-OS configuration`,
      'export the configuration from Device > Setup > Operations (running-config.xml), or `show config running` in XML')
  }
  use(config)
  const devices = use(child(config, 'devices'))
  const device = use(entries(devices)[0])
  if (devices !== undefined) for (const d of entries(devices).slice(1)) skip(d, `devices '${d.name!}'`, 'only the first device entry is imported')
  const vsysList = use(child(device, 'vsys'))
  const all = entries(vsysList)
  let vsys: PanNode | undefined
  const names = all.map(v => v.name!)
  if (opts.vsys !== undefined) {
    vsys = all.find(v => v.name === opts.vsys)
    if (vsys === undefined) {
      throw new ImportSyntaxError(config.pos, `no vsys '${opts.vsys}' in this configuration`,
        `this configuration has ${names.length === 0 ? 'no vsys' : names.join(', ')}`)
    }
  } else if (all.length > 1) {
    vsys = all.find(v => v.name === 'vsys1')
    if (vsys === undefined) {
      throw new ImportSyntaxError(config.pos, `this configuration has several virtual systems (${names.join(', ')})`, 'choose one with --vsys NAME')
    }
  } else vsys = all[0]
  use(vsys)
  for (const v of all) if (v !== vsys) skip(v, `vsys '${v.name!}'`, WHY.vsys)
  const shared = use(child(config, 'shared'))
  const scope: Scope = { vsys, shared }
  const vsysName = vsys?.name ?? 'vsys1'

  const doc: Record<string, unknown> = {}
  const rulePath: string[] = [] // rules[i] → rule name, for messages

  // ---- settings (deviceconfig setting session / tcp)
  const setting = use(at(device, 'deviceconfig', 'setting'))
  use(child(device, 'deviceconfig'))
  const session: Record<string, unknown> = {}
  const tcp: Record<string, unknown> = {}
  const sessionNode = use(child(setting, 'session'))
  const SESSION_MAP: Record<string, string> = {
    'accelerated-aging-enable': 'accelerated-aging',
  }
  const SESSION_KEYS = new Set(['timeout-tcp', 'timeout-tcpinit', 'timeout-tcphandshake', 'timeout-tcp-half-closed',
    'timeout-tcp-time-wait', 'timeout-tcp-unverified-rst', 'timeout-udp', 'timeout-icmp', 'timeout-default', 'timeout-discard-tcp',
    'timeout-discard-udp', 'timeout-discard-default', 'tcp-reject-non-syn', 'accelerated-aging', 'accelerated-aging-threshold',
    'accelerated-aging-scaling-factor'])
  for (const c of sessionNode?.children ?? []) {
    const key = SESSION_MAP[c.tag] ?? c.tag
    if (SESSION_KEYS.has(key) && c.text !== undefined) {
      use(c); session[key] = scalar(c.text); where.set(`settings.session.${key}`, c.pos)
    } else skip(c, `deviceconfig setting session ${c.tag}`, WHY.other)
  }
  const tcpNode = use(child(setting, 'tcp'))
  for (const c of tcpNode?.children ?? []) {
    if (['allow-challenge-ack', 'asymmetric-path', 'drop-zero-flag'].includes(c.tag) && c.text !== undefined) {
      use(c); tcp[c.tag] = scalar(c.text); where.set(`settings.tcp.${c.tag}`, c.pos)
    } else skip(c, `deviceconfig setting tcp ${c.tag}`, WHY.other)
  }
  const settings: Record<string, unknown> = {}
  if (Object.keys(session).length > 0) settings.session = session
  if (Object.keys(tcp).length > 0) settings.tcp = tcp

  // ---- interfaces: layer3 addresses (→ zone networks and the firewall's own addresses)
  const network = use(child(device, 'network'))
  const ifAddrs = new Map<string, Array<{ text: string, pos: Pos }>>()
  const ifaceNode = use(child(network, 'interface'))
  for (const kind of ['ethernet', 'aggregate-ethernet']) {
    const list = use(child(ifaceNode, kind))
    for (const e of entries(list)) {
      use(e)
      const l3 = child(e, 'layer3')
      const collect = (name: string, l3n: PanNode | undefined): void => {
        if (l3n === undefined) return
        use(l3n)
        for (const ip of entries(use(child(l3n, 'ip')))) {
          use(ip)
          const r = resolveAddress(ip.name!, scope, new Set())
          if (r.ok) for (const c of r.cidrs) pushMap(ifAddrs, name, { text: c, pos: ip.pos })
          else report.push({ pos: ip.pos, what: `interface ${name} address '${ip.name!}'`, why: r.why })
        }
        for (const a of entries(use(at(l3n, 'ipv6', 'address')))) {
          use(a); use(child(l3n, 'ipv6'))
          const c = parseCidr(a.name!)
          if (typeof c !== 'string') pushMap(ifAddrs, name, { text: a.name!, pos: a.pos })
          else report.push({ pos: a.pos, what: `interface ${name} address '${a.name!}'`, why: c })
        }
      }
      collect(e.name!, l3)
      for (const u of entries(use(child(l3, 'units')))) { use(u); collect(u.name!, u) }
    }
  }

  // ---- zone protection profiles (network profiles zone-protection-profile): the YAML mirrors PAN-OS key for key
  const zpList = at(network, 'profiles', 'zone-protection-profile')
  const zps: Record<string, Record<string, unknown>> = {}
  if (zpList !== undefined) { use(child(network, 'profiles')); use(zpList) }
  for (const zp of entries(zpList)) {
    use(zp)
    const name = zp.name!
    const o: Record<string, unknown> = {}
    where.set(`zone-protection-profiles.${name}`, zp.pos)
    for (const c of zp.children) {
      const k = c.tag
      const what = `network profiles zone-protection-profile '${name}' ${k}`
      if (ZP_SCALARS.has(k) && c.text !== undefined) { use(c); o[k] = /^[0-9]+$/.test(c.text) ? Number(c.text) : c.text; where.set(`zone-protection-profiles.${name}.${k}`, c.pos); continue }
      if (k === 'scan') {
        // scan/entry[@name=ID]/{action/(allow|alert|block|block-ip/{track-by,duration}), interval, threshold}
        use(c)
        const scan: Record<string, unknown> = {}
        for (const e of entries(c)) {
          use(e)
          const so: Record<string, unknown> = {}
          for (const x of e.children) {
            if ((x.tag === 'interval' || x.tag === 'threshold') && x.text !== undefined) { use(x); so[x.tag] = scalar(x.text); continue }
            if (x.tag === 'action' && x.children.length === 1) {
              const a = x.children[0]!
              use(x); use(a)
              if (a.tag === 'block-ip') {
                const b: Record<string, unknown> = {}
                for (const y of a.children) {
                  if ((y.tag === 'track-by' || y.tag === 'duration') && y.text !== undefined) { use(y); b[y.tag] = scalar(y.text) } else skip(y, `${what} ${e.name!} action block-ip ${y.tag}`, WHY.other)
                }
                so.action = { 'block-ip': b }
              } else {
                so.action = a.tag
                a.children.forEach(y => skip(y, `${what} ${e.name!} action ${a.tag} ${y.tag}`, WHY.other))
              }
              where.set(`zone-protection-profiles.${name}.scan.${e.name!}.action`, x.pos)
              continue
            }
            skip(x, `${what} ${e.name!} ${x.tag}`, x.tag === 'action' ? 'a scan action names exactly one of allow, alert, block, block-ip' : WHY.other)
          }
          scan[e.name!] = so
          where.set(`zone-protection-profiles.${name}.scan.${e.name!}`, e.pos)
        }
        o.scan = scan
        continue
      }
      if (k === 'scan-white-list') {
        use(c)
        const wl: Record<string, unknown> = {}
        for (const e of entries(c)) {
          use(e)
          const wo: Record<string, unknown> = {}
          for (const x of e.children) {
            if ((x.tag === 'ipv4' || x.tag === 'ipv6') && x.text !== undefined) { use(x); wo[x.tag] = x.text } else skip(x, `${what} ${e.name!} ${x.tag}`, WHY.other)
          }
          wl[e.name!] = wo
          where.set(`zone-protection-profiles.${name}.scan-white-list.${e.name!}`, e.pos)
        }
        o['scan-white-list'] = wl
        continue
      }
      if (k !== 'flood') { skip(c, `${what}${c.text !== undefined ? ` ${c.text}` : ''}`, 'a zone protection setting rstlab does not model'); continue }
      use(c)
      const flood: Record<string, unknown> = {}
      for (const f of c.children) {
        if (!(FLOOD_TYPES as readonly string[]).includes(f.tag)) { skip(f, `${what} ${f.tag}`, 'a flood type rstlab does not model'); continue }
        use(f)
        const fo: Record<string, unknown> = {}
        for (const x of f.children) {
          if (x.tag === 'enable' && x.text !== undefined) { use(x); fo.enable = x.text; continue }
          if (x.tag === 'red' || (x.tag === 'syn-cookies' && f.tag === 'tcp-syn')) {
            use(x)
            const rates: Record<string, unknown> = {}
            for (const r of x.children) {
              if (['alarm-rate', 'activate-rate', 'maximal-rate'].includes(r.tag) && r.text !== undefined) { use(r); rates[r.tag] = scalar(r.text) } else skip(r, `${what} ${f.tag} ${x.tag} ${r.tag}`, WHY.other)
            }
            fo[x.tag] = rates
            where.set(`zone-protection-profiles.${name}.flood.${f.tag}.${x.tag}`, x.pos)
            continue
          }
          skip(x, `${what} ${f.tag} ${x.tag}`, WHY.other)
        }
        flood[f.tag] = fo
        where.set(`zone-protection-profiles.${name}.flood.${f.tag}`, f.pos)
      }
      o.flood = flood
    }
    zps[name] = o
  }
  if (Object.keys(zps).length > 0) doc['zone-protection-profiles'] = zps

  // ---- zones
  const zones: Record<string, Record<string, unknown>> = {}
  const addresses: Record<string, string[]> = {}
  const zoneOfIf = new Map<string, string>()
  for (const z of entries(use(child(vsys, 'zone')))) {
    use(z)
    const name = z.name!
    const net = use(child(z, 'network'))
    const zone: Record<string, unknown> = {}
    where.set(`zones.${name}`, z.pos)
    let ifs: PanNode[] = []
    for (const c of net?.children ?? []) {
      if (['layer3', 'virtual-wire', 'tap'].includes(c.tag)) {
        use(c); zone.type = c.tag; ifs = members(c)
      } else if (['layer2', 'tunnel', 'external'].includes(c.tag)) {
        use(c); ifs = members(c)
        zone.type = c.tag === 'layer2' ? 'virtual-wire' : 'layer3'
        report.push({ pos: c.pos, what: `zone '${name}' type ${c.tag}`, why: `rstlab zones are layer3, virtual-wire or tap; imported as ${zone.type as string}` })
      } else if (c.tag === 'zone-protection-profile' && c.text !== undefined && zps[c.text] !== undefined) {
        use(c); zone['zone-protection-profile'] = c.text; where.set(`zones.${name}.zone-protection-profile`, c.pos)
      } else {
        skip(c, `zone '${name}' network ${c.tag}${c.text !== undefined ? ` ${c.text}` : ''}`,
          c.tag === 'zone-protection-profile' ? `zone protection profile '${c.text ?? ''}' is not defined (or is predefined) in this configuration` : whyFor(c.tag))
      }
    }
    ifs.forEach(m => use(m))
    if (ifs.length > 0) zone.interfaces = ifs.map(m => m.text!)
    const nets: string[] = []
    for (const m of ifs) {
      zoneOfIf.set(m.text!, name)
      for (const a of ifAddrs.get(m.text!) ?? []) {
        const n = networkOf(a.text)
        if (n !== undefined && !nets.includes(n)) nets.push(n)
        pushMap(addresses, name, a.text)
      }
    }
    if (nets.length > 0) zone.networks = nets
    for (const c of z.children) if (c !== net && !used.has(c)) skip(c, `zone '${name}' ${c.tag}`, c.tag.startsWith('enable-user') ? WHY.users : whyFor(c.tag))
    zones[name] = zone
  }
  // Static routes: the destination belongs to the zone of the route's interface.
  for (const vr of entries(use(child(network, 'virtual-router')))) {
    use(vr)
    const routes = at(vr, 'routing-table', 'ip', 'static-route')
    if (routes !== undefined) { use(child(vr, 'routing-table')); use(at(vr, 'routing-table', 'ip')); use(routes) }
    const vrIfs = use(child(vr, 'interface'))
    members(vrIfs).forEach(m => use(m))
    for (const r of entries(routes)) {
      const dst = leaf(r, 'destination')
      const ifn = leaf(r, 'interface')
      const nh = leaf(child(r, 'nexthop'), 'ip-address')
      let zone = ifn === undefined ? undefined : zoneOfIf.get(ifn)
      if (zone === undefined && nh !== undefined) {
        for (const [ifname, as] of ifAddrs) {
          if (as.some(a => { const c = parseCidr(networkOf(a.text) ?? ''); const h = parseCidr(nh); return typeof c !== 'string' && typeof h !== 'string' && containsCidr(c, h) })) zone = zoneOfIf.get(ifname)
        }
      }
      const dstC = dst === undefined ? undefined : resolveAddress(dst, scope, new Set())
      if (zone === undefined || dstC === undefined || !dstC.ok) {
        skip(r, `virtual-router '${vr.name!}' static-route '${r.name!}'`, zone === undefined
          ? 'its interface or next hop is in no imported zone' : `its destination cannot be resolved${dstC !== undefined && !dstC.ok ? `: ${dstC.why}` : ''}`)
        continue
      }
      useAll(r)
      const z = zones[zone]!
      const nets = (z.networks as string[] | undefined) ?? []
      const taken = Object.entries(zones).find(([n, zz]) => n !== zone && ((zz.networks as string[] | undefined) ?? []).some(x => dstC.cidrs.includes(x)))
      if (taken !== undefined) {
        report.push({ pos: r.pos, what: `virtual-router '${vr.name!}' static-route '${r.name!}'`, why: `its destination is already a network of zone '${taken[0]}'` })
        continue
      }
      for (const c of dstC.cidrs) if (!nets.includes(c)) nets.push(c)
      z.networks = nets
    }
    for (const c of vr.children) if (!used.has(c)) skip(c, `virtual-router '${vr.name!}' ${c.tag}`, WHY.routing)
  }
  if (Object.keys(zones).length > 0) doc.zones = zones
  const emuAddrs = Object.fromEntries(Object.entries(addresses).filter(([z]) => zones[z]?.type === undefined || zones[z]?.type === 'layer3'))
  if (Object.keys(emuAddrs).length > 0) settings.emulator = { addresses: emuAddrs }
  if (Object.keys(settings).length > 0) doc.settings = settings

  // ---- objects: read through references; list what no rule used as well (they are objects, not traffic)
  for (const s of [vsys, shared]) {
    for (const tag of ['address', 'address-group', 'service', 'service-group', 'application-group']) {
      const list = use(child(s, tag))
      for (const e of entries(list)) {
        use(e)
        for (const c of e.children) {
          if (c.tag === 'description') { useAll(c); continue }
          if (c.tag === 'tag') { useAll(c); continue } // tags on objects only label them
          if (['ip-netmask', 'ip-range', 'static', 'members', 'protocol'].includes(c.tag)) { useAll(c); continue }
          // fqdn, ip-wildcard, dynamic groups, sctp: reported where a rule uses them, listed here too
          skip(c, `${tag} '${e.name!}' ${c.tag}${c.text !== undefined ? ` ${c.text}` : ''}`,
            c.tag === 'fqdn' ? 'FQDN objects need DNS resolution by the firewall at run time; rstlab does not guess addresses'
              : c.tag === 'dynamic' ? 'dynamic address groups are filled at run time by tags; rstlab cannot resolve them offline'
                : whyFor(c.tag))
        }
      }
    }
  }

  // ---- rules
  const rules: Array<Record<string, unknown>> = []
  const ruleList = use(at(vsys, 'rulebase', 'security', 'rules'))
  use(child(vsys, 'rulebase')); use(at(vsys, 'rulebase', 'security'))
  for (const r of entries(ruleList)) {
    use(r)
    const name = r.name!
    const label = `rulebase security rules '${name}'`
    const rule: Record<string, unknown> = { name }
    const path = `rules[${rules.length}]`
    let importable = true
    const notes: NotImported[] = []
    const drop = (n: PanNode, what: string, why: string): void => { notes.push({ pos: n.pos, what: `${label} ${what}`, why }) }
    const list = (tag: string, resolve: (m: string) => Resolved): string[] | 'any' | undefined => {
      const n = use(child(r, tag))
      if (n === undefined) return 'any'
      const ms = members(n)
      ms.forEach(m => use(m))
      if (ms.length === 0) return 'any'
      if (ms.some(m => m.text === 'any')) {
        ms.forEach((m, i) => where.set(`${path}.${tag}[${i}]`, m.pos))
        return ms.length === 1 ? 'any' : ms.map(m => m.text!)
      }
      const out: string[] = []
      let lost = false
      ms.forEach((m, i) => {
        const x = resolve(m.text!)
        if (x.ok) {
          for (const c of x.cidrs) if (!out.includes(c)) out.push(c)
          where.set(`${path}.${tag}[${out.length - 1}]`, m.pos)
        } else { lost = true; drop(m, `${tag} '${m.text!}'`, x.why) }
        void i
      })
      if (out.length === 0) {
        importable = false
        notes.push({ pos: n.pos, what: label, why: `no ${tag} entry could be imported, so the rule cannot match anything in rstlab; rule left out` })
        return undefined
      }
      if (lost && (tag === 'source' || tag === 'destination') && child(r, `negate-${tag}`)?.text === 'yes') {
        importable = false
        notes.push({ pos: n.pos, what: label, why: `negate-${tag} over a list with entries that could not be imported would match more than on PAN-OS; rule left out` })
        return undefined
      }
      return out
    }
    where.set(path, r.pos)
    const zoneRef = (m: string): Resolved => ({ ok: true, cidrs: [m] })
    for (const [tag, v] of [['from', list('from', zoneRef)], ['to', list('to', zoneRef)],
      ['source', list('source', a => resolveAddress(a, scope, new Set()))],
      ['destination', list('destination', a => resolveAddress(a, scope, new Set()))],
      ['application', list('application', a => resolveApp(a, scope, new Set()))],
      ['service', list('service', a => resolveService(a, scope, new Set()))]] as const) {
      if (v !== undefined && v !== 'any') rule[tag] = v
    }
    // Conditions rstlab cannot evaluate: a rule restricted by them never matches in rstlab.
    for (const tag of ['source-user', 'category', 'source-hip', 'destination-hip', 'source-imei', 'source-imsi', 'source-nwi']) {
      const n = child(r, tag)
      if (n === undefined) continue
      const ms = members(n)
      if (ms.length === 0 || (ms.length === 1 && ms[0]!.text === 'any')) { useAll(n); continue }
      useAll(n)
      importable = false
      notes.push({ pos: n.pos, what: `${label} ${tag} ${ms.map(m => m.text!).join(', ')}`, why: `${whyFor(tag)}; a rule restricted by it never matches in rstlab, so it is left out` })
    }
    const yes = (tag: string): boolean | undefined => {
      const n = use(child(r, tag))
      if (n === undefined) return undefined
      where.set(`${path}.${tag}`, n.pos)
      return n.text === 'yes'
    }
    const actionN = use(child(r, 'action'))
    rule.action = actionN?.text ?? 'allow'
    if (actionN !== undefined) where.set(`${path}.action`, actionN.pos)
    if (yes('icmp-unreachable') === true) rule['icmp-unreachable'] = true
    if (yes('negate-source') === true) rule['negate-source'] = true
    if (yes('negate-destination') === true) rule['negate-destination'] = true
    if (yes('disabled') === true) rule.disabled = true
    const rt = use(child(r, 'rule-type'))
    if (rt?.text !== undefined && rt.text !== 'universal') {
      rule['rule-type'] = rt.text
      where.set(`${path}.rule-type`, rt.pos)
      if (rt.text === 'intrazone') {
        const to = rule.to
        delete rule.to
        if (to !== undefined && JSON.stringify(to) !== JSON.stringify(rule.from)) {
          notes.push({ pos: rt.pos, what: `${label} to`, why: 'an intrazone rule matches traffic within its source zones; its destination zones are ignored' })
        }
      }
    }
    const desc = use(child(r, 'description'))
    if (desc?.text !== undefined) rule.description = desc.text
    const uuid = child(r, 'uuid'); if (uuid !== undefined) useAll(uuid) // an identifier only
    for (const c of r.children) {
      if (used.has(c)) continue
      if (['log-start', 'log-end'].includes(c.tag) && c.text !== undefined) { useAll(c); continue } // rstlab logs at end anyway
      useAll(c)
      notes.push({ pos: c.pos, what: `${label} ${c.tag}${c.text !== undefined ? ` ${c.text}` : ''}`, why: whyFor(c.tag) })
    }
    if (!importable) {
      report.push(...notes)
      report.push({ pos: r.pos, what: label, why: 'rule not imported (see the entries above)' })
      continue
    }
    report.push(...notes)
    rulePath.push(name)
    rules.push(rule)
  }
  if (rules.length > 0) doc.rules = rules

  // ---- default rules (rulebase default-security-rules)
  const defaults: Record<string, Record<string, unknown>> = {}
  const defList = use(at(vsys, 'rulebase', 'default-security-rules', 'rules'))
  use(at(vsys, 'rulebase', 'default-security-rules'))
  for (const d of entries(defList)) {
    use(d)
    if (d.name !== 'intrazone-default' && d.name !== 'interzone-default') { skip(d, `default-security-rules '${d.name!}'`, 'not a PAN-OS default rule name'); continue }
    const o: Record<string, unknown> = {}
    const a = use(child(d, 'action'))
    if (a?.text !== undefined) { o.action = a.text; where.set(`default-rules.${d.name}.action`, a.pos) }
    const ic = use(child(d, 'icmp-unreachable'))
    if (ic?.text === 'yes') o['icmp-unreachable'] = true
    where.set(`default-rules.${d.name}`, d.pos)
    for (const c of d.children) {
      if (used.has(c)) continue
      if (['log-start', 'log-end'].includes(c.tag)) { useAll(c); continue }
      skip(c, `default-security-rules '${d.name}' ${c.tag}${c.text !== undefined ? ` ${c.text}` : ''}`, whyFor(c.tag))
    }
    if (Object.keys(o).length > 0) defaults[d.name] = o
  }
  if (Object.keys(defaults).length > 0) doc['default-rules'] = defaults

  // ---- everything not read: report it, entry by entry where the node is a list of entries
  const hidden = new Set<PanNode | undefined>([config, devices, device, vsysList, vsys])
  const label = (n: PanNode): string => n.tag === 'entry' ? `'${n.name!}'` : n.tag
  const join = (p: string, x: string): string => p === '' ? x : `${p} ${x}`
  const walk = (n: PanNode, path: string, parentTag: string): void => {
    if (!used.has(n) && EXPAND.has(n.tag) && n.text === undefined && entries(n).length === 0) {
      for (const c of n.children) walk(c, join(path, label(n)), n.tag)
      return
    }
    if (!used.has(n)) {
      if (n.children.length === 0 && n.text === undefined && n.name === undefined) return // an empty element holds nothing
      const es = entries(n)
      const why = whyFor(n.tag === 'rules' || n.tag === 'entry' ? parentTag : n.tag)
      if (es.length > 0 && es.length === n.children.length) {
        for (const e of es) report.push({ pos: e.pos, what: join(join(path, n.tag), label(e)), why: n.tag === 'rules' ? whyFor(parentTag) : whyFor(n.tag) })
      } else report.push({ pos: n.pos, what: join(path, label(n)), why })
      return
    }
    const p = hidden.has(n) ? path : join(path, label(n))
    for (const c of n.children) walk(c, p, n.tag)
  }
  walk(config, '', '')
  report.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col)
  return { doc, report, where, vsys: vsysName }
}

/** Zone protection profile leaves the rstlab schema takes (policy/zone-protection.ts). */
const ZP_SCALARS = new Set(['description', 'tcp-reject-non-syn', 'asymmetric-path', 'strip-mptcp-option', ...PACKET_BOOL_SPECS.map(s => s.key)])

/** Unread containers whose children are reported one by one (`profiles virus …`, `rulebase nat …`). */
const EXPAND = new Set(['profiles', 'rulebase', 'shared', 'network', 'nat', 'decryption', 'pbf', 'qos', 'application-override',
  'authentication', 'dos', 'tunnel-inspect', 'sdwan', 'network-packet-broker'])

type Resolved = { ok: true, cidrs: string[] } | { ok: false, why: string }

function scalar (t: string): string | number | boolean {
  if (/^[0-9]+$/.test(t)) return Number(t)
  if (t === 'yes') return true
  if (t === 'no') return false
  return t
}

function pushMap<T> (m: Map<string, T[]> | Record<string, T[]>, k: string, v: T): void {
  if (m instanceof Map) { const a = m.get(k); if (a === undefined) m.set(k, [v]); else a.push(v); return }
  (m[k] ??= []).push(v)
}

function lookup (scope: Scope, tag: string, name: string): PanNode | undefined {
  return child(child(scope.vsys, tag), 'entry', name) ?? child(child(scope.shared, tag), 'entry', name)
}

/** An address reference: a literal (host, prefix, range), an address object or a static group. */
export function resolveAddress (ref: string, scope: Scope, seen: Set<string>): Resolved {
  const lit = literalAddress(ref)
  if (lit !== undefined) return lit
  if (seen.has(ref)) return { ok: false, why: `address group '${ref}' contains itself` }
  seen.add(ref)
  const obj = lookup(scope, 'address', ref)
  if (obj !== undefined) {
    const nm = leaf(obj, 'ip-netmask')
    if (nm !== undefined) { const r = literalAddress(nm); return r ?? { ok: false, why: `address '${ref}': '${nm}' is not an address or prefix` } }
    const rg = leaf(obj, 'ip-range')
    if (rg !== undefined) { const r = literalAddress(rg); return r ?? { ok: false, why: `address '${ref}': '${rg}' is not an address range` } }
    if (leaf(obj, 'fqdn') !== undefined) return { ok: false, why: `address '${ref}' is an FQDN (${leaf(obj, 'fqdn')!}); the firewall resolves it at run time and rstlab does not guess` }
    if (leaf(obj, 'ip-wildcard') !== undefined) return { ok: false, why: `address '${ref}' is a wildcard mask; rstlab rules hold prefixes only` }
    return { ok: false, why: `address '${ref}' has no ip-netmask or ip-range` }
  }
  const grp = lookup(scope, 'address-group', ref)
  if (grp !== undefined) {
    if (child(grp, 'dynamic') !== undefined) return { ok: false, why: `address group '${ref}' is dynamic (filled by tags at run time); it cannot be resolved offline` }
    const out: string[] = []
    for (const m of members(child(grp, 'static'))) {
      const r = resolveAddress(m.text!, scope, seen)
      if (!r.ok) return { ok: false, why: `address group '${ref}': ${r.why}` }
      for (const c of r.cidrs) if (!out.includes(c)) out.push(c)
    }
    if (out.length === 0) return { ok: false, why: `address group '${ref}' is empty` }
    return { ok: true, cidrs: out }
  }
  if (lookup(scope, 'external-list', ref) !== undefined || ref.startsWith('panw-')) {
    return { ok: false, why: `'${ref}' is an external dynamic list${ref.startsWith('panw-') ? ' (predefined by Palo Alto Networks)' : ''}: ${WHY.edl}` }
  }
  if (/^[A-Z]{2}$/.test(ref)) return { ok: false, why: `'${ref}' is a region (country code); rstlab has no geolocation database` }
  return { ok: false, why: `'${ref}' is neither an address nor a defined address object or group` }
}

function literalAddress (t: string): Resolved | undefined {
  const m = /^([0-9a-fA-F:.]+)-([0-9a-fA-F:.]+)$/.exec(t)
  if (m !== null) {
    const a = parseCidr(m[1]!); const b = parseCidr(m[2]!)
    if (typeof a === 'string' || typeof b === 'string' || a.version !== b.version) return undefined
    return { ok: true, cidrs: rangeToCidrs(a.bytes, b.bytes) }
  }
  const c = parseCidr(t)
  if (typeof c === 'string') return undefined
  return { ok: true, cidrs: [t.includes('/') && !(c.prefix === (c.version === 4 ? 32 : 128)) ? t : t.replace(/\/(32|128)$/, '')] }
}

function toBig (b: Uint8Array): bigint { let x = 0n; for (const v of b) x = (x << 8n) | BigInt(v); return x }
function fromBig (x: bigint, len: number): string {
  const b: number[] = []
  for (let i = 0; i < len; i++) { b.unshift(Number(x & 0xffn)); x >>= 8n }
  if (len === 4) return b.join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16))
  // shorten the longest run of zero groups
  const s = groups.join(':')
  const runs = [...s.matchAll(/(^|:)(0(:0)+)(:|$)/g)]
  if (runs.length === 0) return s
  const best = runs.reduce((a, r) => r[2]!.length > a[2]!.length ? r : a)
  return s.slice(0, best.index) + '::' + s.slice(best.index! + best[0].length)
}

/** The fewest prefixes covering [lo, hi] exactly (an ip-range object). */
export function rangeToCidrs (loB: Uint8Array, hiB: Uint8Array): string[] {
  const bits = loB.length * 8
  let lo = toBig(loB); const hi = toBig(hiB)
  if (lo > hi) return []
  const out: string[] = []
  while (lo <= hi) {
    let size = 0
    while (size < bits && (lo & ((1n << BigInt(size + 1)) - 1n)) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= hi) size++
    const addr = fromBig(lo, loB.length)
    out.push(size === 0 ? addr : `${addr}/${bits - size}`)
    lo += 1n << BigInt(size)
  }
  return out
}

/** The network of an interface address `198.18.0.254/24` → `198.18.0.0/24` (undefined for a host). */
function networkOf (text: string): string | undefined {
  const c = parseCidr(text)
  if (typeof c === 'string') return undefined
  const bits = c.version === 4 ? 32 : 128
  if (c.prefix === bits) return undefined
  const x = toBig(c.bytes)
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - c.prefix)) - 1n)
  return `${fromBig(x & mask, c.bytes.length)}/${c.prefix}`
}

function containsCidr (outer: { version: number, bytes: Uint8Array, prefix: number }, inner: { version: number, bytes: Uint8Array, prefix: number }): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) return false
  const bits = outer.version === 4 ? 32 : 128
  const shift = BigInt(bits - outer.prefix)
  return (toBig(outer.bytes) >> shift) === (toBig(inner.bytes) >> shift)
}

function resolveApp (ref: string, scope: Scope, seen: Set<string>): Resolved {
  if (KNOWN_APPS.has(ref)) return { ok: true, cidrs: [ref] }
  if (seen.has(ref)) return { ok: false, why: `application group '${ref}' contains itself` }
  seen.add(ref)
  const grp = lookup(scope, 'application-group', ref)
  if (grp !== undefined) {
    const out: string[] = []
    const lost: string[] = []
    for (const m of members(child(grp, 'members'))) {
      const r = resolveApp(m.text!, scope, seen)
      if (r.ok) out.push(...r.cidrs.filter(x => !out.includes(x))); else lost.push(m.text!)
    }
    if (out.length === 0) return { ok: false, why: `application group '${ref}' names no application rstlab identifies (${lost.join(', ')})` }
    return { ok: true, cidrs: out }
  }
  if (lookup(scope, 'application', ref) !== undefined) return { ok: false, why: `'${ref}' is a custom application; rstlab's App-ID light cannot identify it` }
  if (lookup(scope, 'application-filter', ref) !== undefined) return { ok: false, why: `'${ref}' is an application filter (by category/risk); rstlab's App-ID light has no such attributes` }
  return { ok: false, why: `application '${ref}' is not one rstlab's App-ID light identifies (${[...KNOWN_APPS].join(', ')}), so traffic never matches it in rstlab` }
}

function resolveService (ref: string, scope: Scope, seen: Set<string>): Resolved {
  if (ref === 'application-default') return { ok: true, cidrs: [ref] }
  const pre = PREDEFINED_SERVICES[ref]
  const obj = lookup(scope, 'service', ref)
  if (obj !== undefined) {
    const proto = child(obj, 'protocol')
    for (const p of ['tcp', 'udp'] as const) {
      const pn = child(proto, p)
      if (pn === undefined) continue
      if (leaf(pn, 'source-port') !== undefined) return { ok: false, why: `service '${ref}' restricts the source port (${leaf(pn, 'source-port')!}); rstlab services match the destination port only` }
      const port = leaf(pn, 'port')
      if (port === undefined) return { ok: false, why: `service '${ref}' has no port` }
      const s = `${p}/${port.replace(/\s+/g, '')}`
      const parsed = parseService(s)
      if (typeof parsed === 'string') return { ok: false, why: `service '${ref}': ${parsed}` }
      return { ok: true, cidrs: [s] }
    }
    return { ok: false, why: `service '${ref}' is not TCP or UDP (rstlab services are tcp/… or udp/…)` }
  }
  if (pre !== undefined) return { ok: true, cidrs: pre }
  if (seen.has(ref)) return { ok: false, why: `service group '${ref}' contains itself` }
  seen.add(ref)
  const grp = lookup(scope, 'service-group', ref)
  if (grp !== undefined) {
    const out: string[] = []
    for (const m of members(child(grp, 'members'))) {
      const r = resolveService(m.text!, scope, seen)
      if (!r.ok) return { ok: false, why: `service group '${ref}': ${r.why}` }
      out.push(...r.cidrs.filter(x => !out.includes(x)))
    }
    if (out.length === 0) return { ok: false, why: `service group '${ref}' is empty` }
    return { ok: true, cidrs: out }
  }
  return { ok: false, why: `'${ref}' is not a defined service object or group (predefined: any, application-default, service-http, service-https)` }
}
