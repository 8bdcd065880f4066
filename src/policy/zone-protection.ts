/**
 * The `zone-protection-profiles:` section (issue #15) and the zone's `zone-protection-profile:` key.
 *
 * Key names and nesting follow PAN-OS's configuration tree one to one (XML
 * `network/profiles/zone-protection-profile/entry[@name=NAME]/...`, set form
 * `set network profiles zone-protection-profile NAME flood tcp-syn syn-cookies activate-rate 0`), so a
 * PAN-OS configuration maps onto the YAML key for key:
 *
 * ```yaml
 * zone-protection-profiles:
 *   edge:
 *     flood:
 *       tcp-syn: { enable: yes, syn-cookies: { alarm-rate: 100, activate-rate: 200, maximal-rate: 2000 } }
 *       udp: { enable: yes, red: { alarm-rate: 1000, activate-rate: 2000, maximal-rate: 4000 } }
 *     discard-ip-frag: yes
 *     tcp-reject-non-syn: global      # global | yes | no
 * zones:
 *   untrust: { interfaces: [eth0], zone-protection-profile: edge }
 * ```
 * Ranges and defaults: docs/policy.md "zone-protection-profiles" (sources listed there).
 */
import type { FloodSettings, FloodType, ScanId, ScanSettings, ZoneProtectionProfile } from './types.js'
import { isMapNode, type Ctx, type Entry } from './yamlctx.js'
import { parseCidr } from './cidr.js'

export const FLOOD_TYPES: readonly FloodType[] = ['tcp-syn', 'udp', 'icmp', 'icmpv6', 'other-ip']

/** Boolean packet-based options: YAML key → property. All default to no except the two SYN-with-data ones. */
export const PACKET_BOOL_SPECS: ReadonlyArray<{ key: string, prop: keyof ZoneProtectionProfile, def: boolean }> = [
  { key: 'discard-ip-spoof', prop: 'discardIpSpoof', def: false },
  { key: 'discard-ip-frag', prop: 'discardIpFrag', def: false },
  { key: 'strict-ip-check', prop: 'strictIpCheck', def: false },
  { key: 'discard-strict-source-routing', prop: 'discardStrictSourceRouting', def: false },
  { key: 'discard-loose-source-routing', prop: 'discardLooseSourceRouting', def: false },
  { key: 'discard-timestamp', prop: 'discardTimestamp', def: false },
  { key: 'discard-record-route', prop: 'discardRecordRoute', def: false },
  { key: 'discard-security', prop: 'discardSecurity', def: false },
  { key: 'discard-stream-id', prop: 'discardStreamId', def: false },
  { key: 'discard-unknown-option', prop: 'discardUnknownOption', def: false },
  { key: 'discard-malformed-option', prop: 'discardMalformedOption', def: false },
  { key: 'discard-tcp-split-handshake', prop: 'discardTcpSplitHandshake', def: false },
  // "On by default in a new profile" (PAN-OS 10.1 web help, TCP Drop).
  { key: 'discard-tcp-syn-with-data', prop: 'discardTcpSynWithData', def: true },
  { key: 'discard-tcp-synack-with-data', prop: 'discardTcpSynackWithData', def: true },
  { key: 'discard-overlapping-tcp-segment-mismatch', prop: 'discardOverlappingTcpSegmentMismatch', def: false },
  { key: 'remove-tcp-timestamp', prop: 'removeTcpTimestamp', def: false },
  { key: 'strip-tcp-fast-open-and-data', prop: 'stripTcpFastOpenAndData', def: false },
  { key: 'discard-icmp-ping-zero-id', prop: 'discardIcmpPingZeroId', def: false },
  { key: 'discard-icmp-frag', prop: 'discardIcmpFrag', def: false },
  { key: 'discard-icmp-large-packet', prop: 'discardIcmpLargePacket', def: false },
  { key: 'discard-icmp-error', prop: 'discardIcmpError', def: false },
  { key: 'suppress-icmp-timeexceeded', prop: 'suppressIcmpTimeexceeded', def: false },
  { key: 'suppress-icmp-needfrag', prop: 'suppressIcmpNeedfrag', def: false },
]

/** PAN-OS keys rstlab reads but does not model: accepted with a warning so real configurations load. */
export const UNMODELLED_KEYS: readonly string[] = ['ipv6', 'non-ip-protocol', 'l2-sec-group-tag-protection', 'net-inspection']

/**
 * Reconnaissance protection entries (PAN-OS `scan/entry[@name=ID]`), with their threat names and the
 * interval default (PAN-OS web help "Reconnaissance Protection": 2 s, 10 s for host sweep). 8006 is
 * read as IP Protocol Scan (PAN-OS 11.1); see docs/zone-protection.md for why that is uncertain.
 */
export const SCAN_SPECS: ReadonlyArray<{ id: ScanId, name: string, interval: number }> = [
  { id: 8001, name: 'TCP Port Scan', interval: 2 },
  { id: 8002, name: 'Host Sweep', interval: 10 },
  { id: 8003, name: 'UDP Port Scan', interval: 2 },
  { id: 8006, name: 'IP Protocol Scan', interval: 2 },
]
export const SCAN_ACTIONS = ['allow', 'alert', 'block', 'block-ip'] as const
export const SCAN_TRACK_BY = ['source', 'source-and-destination'] as const
/** PAN-OS's exclusion list holds at most 20 addresses. */
export const SCAN_WHITE_LIST_MAX = 20

/** A scan entry with PAN-OS defaults (action alert, threshold 100, the ID's interval). */
export function defaultScan (id: ScanId): ScanSettings {
  return { id, action: 'alert', interval: SCAN_SPECS.find(s => s.id === id)!.interval, threshold: 100 }
}

const PROFILE_KEYS: readonly string[] = ['description', 'flood', 'tcp-reject-non-syn', 'asymmetric-path', 'strip-mptcp-option',
  'scan', 'scan-white-list', ...PACKET_BOOL_SPECS.map(s => s.key), ...UNMODELLED_KEYS]
const FLOOD_KEYS: readonly string[] = [...FLOOD_TYPES, 'sctp-init']
const RATE_KEYS = ['alarm-rate', 'activate-rate', 'maximal-rate'] as const
const MAX_RATE = 2_000_000
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/

/** PAN-OS defaults: RED 10000/10000/40000; SYN cookies 10000/0/1000000 (pan-os-codegen zone-protection spec). */
export function defaultFlood (action: 'red' | 'syn-cookies' = 'red'): FloodSettings {
  return action === 'red'
    ? { enable: false, action, alarmRate: 10_000, activateRate: 10_000, maximalRate: 40_000 }
    : { enable: false, action, alarmRate: 10_000, activateRate: 0, maximalRate: 1_000_000 }
}

/** A profile with every PAN-OS default (a new, empty profile). */
export function defaultProfile (name: string, where = ''): ZoneProtectionProfile {
  const p: Record<string, unknown> = {
    name, where,
    flood: Object.fromEntries(FLOOD_TYPES.map(t => [t, defaultFlood()])),
    tcpRejectNonSyn: 'global', asymmetricPath: 'global', stripMptcpOption: 'global', scan: [], scanWhiteList: [],
  }
  for (const s of PACKET_BOOL_SPECS) p[s.prop] = s.def
  return p as unknown as ZoneProtectionProfile
}

/** Compile `zone-protection-profiles:`; every problem is reported with its position. */
export function compileZoneProtection (ctx: Ctx, e: Entry): Map<string, ZoneProtectionProfile> {
  const out = new Map<string, ZoneProtectionProfile>()
  const entries = ctx.fields(e.value, e.path, [], 'zone-protection-profiles', true)
  for (const [name, pe] of entries ?? []) {
    if (!NAME_RE.test(name)) {
      ctx.error(pe.keyNode, pe.path, `zone protection profile name '${name}' must start with a letter or digit and hold only letters, digits, '.', '_' or '-' (at most 63)`)
      continue
    }
    const p = defaultProfile(name, ctx.where(pe.keyNode, pe.path))
    const f = ctx.fields(pe.value, pe.path, PROFILE_KEYS, `zone protection profile '${name}'`)
    if (f === undefined) continue
    const target = p as unknown as Record<string, unknown>
    for (const s of PACKET_BOOL_SPECS) {
      const ve = f.get(s.key)
      if (ve === undefined) continue
      const v = ctx.bool(ve)
      if (v !== undefined) target[s.prop] = v
    }
    const enumKey = <T extends string>(key: string, prop: string, values: readonly T[]): void => {
      const ve = f.get(key)
      if (ve === undefined) return
      const v = ctx.enumOf(ve, values)
      if (v !== undefined) target[prop] = v
    }
    enumKey('tcp-reject-non-syn', 'tcpRejectNonSyn', ['global', 'yes', 'no'])
    enumKey('asymmetric-path', 'asymmetricPath', ['global', 'drop', 'bypass'])
    enumKey('strip-mptcp-option', 'stripMptcpOption', ['global', 'yes', 'no'])
    const de = f.get('description')
    if (de !== undefined) { const d = ctx.string(de); if (d !== undefined) p.description = d }
    for (const k of UNMODELLED_KEYS) {
      const ue = f.get(k)
      if (ue !== undefined) ctx.warn(ue.keyNode, ue.path, `'${k}' in zone protection profile '${name}' is a PAN-OS setting rstlab does not model; it is ignored`)
    }
    const fe = f.get('flood')
    if (fe !== undefined) compileFlood(ctx, fe, p)
    const se = f.get('scan')
    if (se !== undefined) compileScan(ctx, se, p)
    const we = f.get('scan-white-list')
    if (we !== undefined) compileWhiteList(ctx, we, p)
    out.set(name, p)
  }
  return out
}

function compileFlood (ctx: Ctx, fe: Entry, p: ZoneProtectionProfile): void {
  const ff = ctx.fields(fe.value, fe.path, FLOOD_KEYS, `flood of zone protection profile '${p.name}'`)
  for (const [type, te] of ff ?? []) {
    if (type === 'sctp-init') {
      ctx.warn(te.keyNode, te.path, "'sctp-init' flood protection is a PAN-OS setting rstlab does not model (no SCTP); it is ignored")
      continue
    }
    const isSyn = type === 'tcp-syn'
    const tf = ctx.fields(te.value, te.path, isSyn ? ['enable', 'red', 'syn-cookies'] : ['enable', 'red'], `flood ${type}`)
    if (tf === undefined) continue
    const red = tf.get('red')
    const cookies = tf.get('syn-cookies')
    if (red !== undefined && cookies !== undefined) {
      ctx.error(cookies.keyNode, cookies.path, `flood ${type} has both 'red' and 'syn-cookies'; PAN-OS takes one of them: keep the action you want`)
      continue
    }
    const action = cookies !== undefined ? 'syn-cookies' : 'red'
    const fl = defaultFlood(action)
    const en = tf.get('enable')
    if (en !== undefined) { const v = ctx.bool(en); if (v !== undefined) fl.enable = v }
    const re = cookies ?? red
    if (re !== undefined) {
      const rf = ctx.fields(re.value, re.path, RATE_KEYS, `flood ${type} ${action}`)
      let ok = true
      for (const [k, ve] of rf ?? []) {
        // activate-rate: 1–2,000,000 for RED, 0–2,000,000 for SYN cookies; maximal-rate 1–2,000,000; alarm 0–2,000,000.
        const min = k === 'alarm-rate' || (k === 'activate-rate' && action === 'syn-cookies') ? 0 : 1
        const v = ctx.int(ve, min, MAX_RATE)
        if (v === undefined) { ok = false; continue }
        if (k === 'alarm-rate') fl.alarmRate = v
        else if (k === 'activate-rate') fl.activateRate = v
        else fl.maximalRate = v
      }
      if (ok && fl.activateRate > fl.maximalRate) {
        const at = rf?.get('activate-rate') ?? rf?.get('maximal-rate') ?? re
        ctx.error(ctx.at(at as Entry), (at as Entry).path, `flood ${type}: activate-rate ${fl.activateRate} is above maximal-rate ${fl.maximalRate}; ` +
          'dropping starts at activate-rate and reaches 100 % at maximal-rate, so activate-rate must not exceed it')
      }
    }
    p.flood[type as FloodType] = fl
  }
}

const SCAN_IDS = SCAN_SPECS.map(s => String(s.id))
const SCAN_KNOWN = SCAN_SPECS.map(s => `${s.id} (${s.name})`).join(', ')

/**
 * `scan:` — entries keyed by PAN-OS threat ID, each `{ action, interval, threshold }`; `action` is
 * `allow`, `alert` or `block` (or the PAN-OS tree's one-key map `{ alert: {} }`), or
 * `{ block-ip: { track-by: source | source-and-destination, duration: 1–3600 } }`.
 */
function compileScan (ctx: Ctx, se: Entry, p: ZoneProtectionProfile): void {
  const sf = ctx.fields(se.value, se.path, [], `scan of zone protection profile '${p.name}'`, true, true)
  const out: ScanSettings[] = []
  for (const [key, ee] of sf ?? []) {
    if (!SCAN_IDS.includes(key)) {
      ctx.error(ee.keyNode, ee.path, `scan entry '${key}' in zone protection profile '${p.name}' is not a reconnaissance protection threat ID; ` +
        `use one of ${SCAN_KNOWN}`)
      continue
    }
    const id = Number(key) as ScanId
    const sc = defaultScan(id)
    const what = `scan ${id} of zone protection profile '${p.name}'`
    const ef = ctx.fields(ee.value, ee.path, ['action', 'interval', 'threshold'], what)
    if (ef === undefined) continue
    let ok = true
    const ie = ef.get('interval')
    if (ie !== undefined) { const v = ctx.int(ie, 2, 65535); if (v === undefined) ok = false; else sc.interval = v }
    const te = ef.get('threshold')
    if (te !== undefined) { const v = ctx.int(te, 2, 65535); if (v === undefined) ok = false; else sc.threshold = v }
    const ae = ef.get('action')
    if (ae !== undefined && !compileScanAction(ctx, ae, sc, what)) ok = false
    if (ok) out.push(sc)
  }
  out.sort((a, b) => a.id - b.id)
  p.scan = out
}

function compileScanAction (ctx: Ctx, ae: Entry, sc: ScanSettings, what: string): boolean {
  if (!isMapNode(ctx.resolve(ae.value))) {
    const a = ctx.enumOf(ae, SCAN_ACTIONS)
    if (a === undefined) return false
    if (a === 'block-ip') {
      ctx.error(ctx.at(ae), ae.path, `${what}: action block-ip needs track-by and duration; write action: { block-ip: { track-by: source, duration: 60 } } ` +
        '(track-by source or source-and-destination, duration 1–3600 seconds)')
      return false
    }
    sc.action = a
    return true
  }
  const af = ctx.fields(ae.value, ae.path, SCAN_ACTIONS, `action of ${what}`)
  if (af === undefined) return false
  if (af.size !== 1) {
    ctx.error(ctx.at(ae), ae.path, `action of ${what} must name exactly one of ${SCAN_ACTIONS.join(', ')} (it names ${af.size === 0 ? 'none' : [...af.keys()].join(' and ')})`)
    return false
  }
  const [a, be] = [...af][0]!
  sc.action = a as ScanSettings['action']
  const bf = ctx.fields(be.value, be.path, a === 'block-ip' ? ['track-by', 'duration'] : [], `action ${a} of ${what}`)
  if (bf === undefined) return false
  if (a !== 'block-ip') return true
  let ok = true
  const tb = bf.get('track-by')
  const du = bf.get('duration')
  if (tb === undefined || du === undefined) {
    ctx.error(ctx.at(be), be.path, `${what}: block-ip needs both track-by (source or source-and-destination) and duration (1–3600 seconds); ` +
      `missing ${tb === undefined && du === undefined ? 'both' : tb === undefined ? 'track-by' : 'duration'}`)
    return false
  }
  const t = ctx.enumOf(tb, SCAN_TRACK_BY)
  if (t === undefined) ok = false; else sc.trackBy = t
  const d = ctx.int(du, 1, 3600)
  if (d === undefined) ok = false; else sc.duration = d
  return ok
}

/** `scan-white-list:` — named entries `{ ipv4: ADDR }` or `{ ipv6: ADDR }` (an address or a prefix), at most 20. */
function compileWhiteList (ctx: Ctx, we: Entry, p: ZoneProtectionProfile): void {
  const wf = ctx.fields(we.value, we.path, [], `scan-white-list of zone protection profile '${p.name}'`, true, true)
  if (wf === undefined) return
  if (wf.size > SCAN_WHITE_LIST_MAX) {
    ctx.error(ctx.at(we), we.path, `scan-white-list of zone protection profile '${p.name}' has ${wf.size} entries; PAN-OS allows at most ${SCAN_WHITE_LIST_MAX}: ` +
      'merge addresses into prefixes or drop some')
    return
  }
  for (const [name, ee] of wf) {
    const what = `scan-white-list entry '${name}' of zone protection profile '${p.name}'`
    const ef = ctx.fields(ee.value, ee.path, ['ipv4', 'ipv6'], what)
    if (ef === undefined) continue
    if (ef.size !== 1) {
      ctx.error(ctx.at(ee), ee.path, `${what} must have exactly one of ipv4 or ipv6 (it has ${ef.size === 0 ? 'neither' : 'both'})`)
      continue
    }
    const [fam, ae] = [...ef][0]!
    const text = ctx.string(ae)
    if (text === undefined) continue
    const c = parseCidr(text)
    if (typeof c === 'string') { ctx.error(ctx.at(ae), ae.path, `${what}: ${c}`); continue }
    if ((c.version === 4) !== (fam === 'ipv4')) {
      ctx.error(ctx.at(ae), ae.path, `${what}: '${text}' is an IPv${c.version} address under ${fam}; put it under ipv${c.version}`)
      continue
    }
    p.scanWhiteList.push({ name, cidr: c })
  }
}
