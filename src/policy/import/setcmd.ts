/**
 * `set` commands as pasted into PAN-OS configure mode → the same tree the XML reader builds.
 *
 * What it understands: `set …` and `delete …`; `configure`, `commit …`, `exit`, `quit`, `save …`; `edit PATH`
 * and `top` (the path prefix of later commands); `#` comment lines; a CLI prompt before the command
 * (`admin@PA-VM# set …`); double- or single-quoted words (names with spaces, `\"` inside double quotes);
 * `[ a b c ]` member lists; several attributes on one line (`… from trust to untrust action allow`).
 * `set` on a member list ADDS the members (as PAN-OS does: `set` merges, it never removes); `set` on a
 * leaf replaces it; `delete` removes an entry, a leaf, a whole list, or just the members it names.
 *
 * The CLI is schema-driven (whether a word is a keyword, an entry name or a value depends on where it
 * stands), so the parts rstlab maps are described by the small schema below. Everything else is read
 * generically (nested keywords, the last word as the value) so that it can be reported as not imported
 * with its line; it never stops the import.
 */
import { ImportSyntaxError, checkPlaceholder, node, type PanNode, type Pos } from './tree.js'

type Sch =
  | { k: 'c', c: Record<string, Sch>, one?: boolean } // container of keywords (`one`: a choice, one child at a time)
  | { k: 'e', e: Sch }                 // list of named entries: the next word is the name
  | { k: 'l' }                          // leaf: one value
  | { k: 'm' }                          // member list: one value or [ a b … ]
  | { k: 'x' }                          // choice: the next word is an empty child element (`type ssl-forward-proxy`)

const C = (c: Record<string, Sch>): Sch => ({ k: 'c', c })
const E = (e: Sch): Sch => ({ k: 'e', e })
const L: Sch = { k: 'l' }
const M: Sch = { k: 'm' }
const leaves = (names: string[]): Record<string, Sch> => Object.fromEntries(names.map(n => [n, L]))
const lists = (names: string[]): Record<string, Sch> => Object.fromEntries(names.map(n => [n, M]))

const PROFILE_KINDS = ['virus', 'spyware', 'vulnerability', 'url-filtering', 'file-blocking', 'wildfire-analysis', 'data-filtering']
const PROFILE_SETTING = C({ group: M, profiles: C(lists(PROFILE_KINDS)) })
const RULE = C({
  ...lists(['from', 'to', 'source', 'destination', 'source-user', 'category', 'application', 'service', 'source-hip',
    'destination-hip', 'tag', 'source-imei', 'source-imsi', 'source-nwi']),
  ...leaves(['action', 'icmp-unreachable', 'negate-source', 'negate-destination', 'disabled', 'rule-type', 'description',
    'log-start', 'log-end', 'log-setting', 'schedule', 'group-tag', 'uuid']),
  'profile-setting': PROFILE_SETTING,
  option: C(leaves(['disable-server-response-inspection'])),
})
const DEFAULT_RULE = C({ ...leaves(['action', 'log-start', 'log-end', 'log-setting', 'icmp-unreachable']), 'profile-setting': PROFILE_SETTING })
const PORTS = C(leaves(['port', 'source-port']))
const OBJECTS: Record<string, Sch> = {
  zone: E(C({
    network: C({ ...lists(['layer3', 'layer2', 'virtual-wire', 'tap', 'external']), ...leaves(['zone-protection-profile', 'log-setting', 'enable-packet-buffer-protection']) }),
    ...leaves(['enable-user-identification', 'enable-device-identification']),
  })),
  address: E(C({ ...leaves(['ip-netmask', 'ip-range', 'ip-wildcard', 'fqdn', 'description']), tag: M })),
  'address-group': E(C({ static: M, dynamic: C(leaves(['filter'])), description: L, tag: M })),
  service: E(C({ protocol: C({ tcp: PORTS, udp: PORTS, sctp: PORTS }), description: L, tag: M })),
  'service-group': E(C({ members: M, tag: M })),
  'application-group': E(C({ members: M })),
  'profile-group': E(C(lists(PROFILE_KINDS))),
  rulebase: C({
    security: C({ rules: E(RULE) }),
    'default-security-rules': C({ rules: E(DEFAULT_RULE) }),
    ...Object.fromEntries(['nat', 'decryption', 'pbf', 'qos', 'application-override', 'authentication', 'dos', 'tunnel-inspect',
      'sdwan', 'network-packet-broker'].map(k => [k, C({ rules: E(C({})) })])),
  }),
  // Not mapped, but named entries make the not-imported report name each one:
  ...Object.fromEntries(['tag', 'external-list', 'application', 'application-filter', 'schedule', 'region',
    'reports', 'report-group', 'email-scheduler'].map(k => [k, E(C({}))])),
  profiles: C(Object.fromEntries(['virus', 'spyware', 'vulnerability', 'url-filtering', 'file-blocking', 'wildfire-analysis',
    'data-filtering', 'dos-protection', 'decryption', 'custom-url-category', 'hip-objects', 'hip-profiles', 'gtp', 'sctp'].map(k => [k, E(C({}))]))),
}
const IFACE_L3 = C({ ip: E(C({})), ipv6: C({ address: E(C({})) }), 'interface-management-profile': L, mtu: L })
const IFACE = C({
  layer3: C({ ...(IFACE_L3 as { c: Record<string, Sch> }).c, units: E(C({ ...(IFACE_L3 as { c: Record<string, Sch> }).c, tag: L, comment: L })) }),
  'virtual-wire': C({}), tap: C({}), layer2: C({}), comment: L, 'link-speed': L, 'link-duplex': L, 'link-state': L,
})
const RATES = C(leaves(['alarm-rate', 'activate-rate', 'maximal-rate']))
const FLOOD = C({ enable: L, red: RATES })
// One of its keywords at a time: setting one removes the others (as PAN-OS replaces a choice).
const SCAN_ACTION: Sch = { k: 'c', one: true, c: { allow: C({}), alert: C({}), block: C({}), 'block-ip': C(leaves(['track-by', 'duration'])) } }
const ZONE_PROTECTION = C({
  scan: E(C({ action: SCAN_ACTION, ...leaves(['interval', 'threshold']) })),
  'scan-white-list': E(C(leaves(['ipv4', 'ipv6']))),
  flood: C({ 'tcp-syn': C({ enable: L, red: RATES, 'syn-cookies': RATES }), udp: FLOOD, icmp: FLOOD, icmpv6: FLOOD, 'other-ip': FLOOD, 'sctp-init': FLOOD }),
  ...leaves(['description', 'tcp-reject-non-syn', 'asymmetric-path', 'strip-mptcp-option', 'discard-ip-spoof', 'discard-ip-frag',
    'strict-ip-check', 'discard-strict-source-routing', 'discard-loose-source-routing', 'discard-timestamp', 'discard-record-route',
    'discard-security', 'discard-stream-id', 'discard-unknown-option', 'discard-malformed-option', 'discard-tcp-split-handshake',
    'discard-tcp-syn-with-data', 'discard-tcp-synack-with-data', 'discard-overlapping-tcp-segment-mismatch', 'remove-tcp-timestamp',
    'strip-tcp-fast-open-and-data', 'discard-icmp-ping-zero-id', 'discard-icmp-frag', 'discard-icmp-large-packet', 'discard-icmp-error',
    'suppress-icmp-timeexceeded', 'suppress-icmp-needfrag']),
})
const NETWORK = C({
  interface: C({ ethernet: E(IFACE), 'aggregate-ethernet': E(IFACE) }),
  profiles: C({ 'zone-protection-profile': E(ZONE_PROTECTION), 'interface-management-profile': E(C({})), 'monitor-profile': E(C({})) }),
  'virtual-router': E(C({
    interface: M,
    'routing-table': C({ ip: C({ 'static-route': E(C({ destination: L, interface: L, metric: L, 'admin-dist': L, nexthop: C(leaves(['ip-address', 'next-vr'])) })) }) }),
  })),
})
const SESSION_LEAVES = ['timeout-tcp', 'timeout-tcpinit', 'timeout-tcphandshake', 'timeout-tcp-half-closed', 'timeout-tcp-time-wait',
  'timeout-tcp-unverified-rst', 'timeout-udp', 'timeout-icmp', 'timeout-default', 'timeout-discard-tcp', 'timeout-discard-udp',
  'timeout-discard-default', 'timeout-scan', 'timeout-captive-portal', 'tcp-reject-non-syn', 'accelerated-aging-enable',
  'accelerated-aging-threshold', 'accelerated-aging-scaling-factor', 'packet-buffer-protection-enable',
  'packet-buffer-protection-alert', 'packet-buffer-protection-activate', 'packet-buffer-protection-block-countdown',
  'packet-buffer-protection-block-hold-time', 'packet-buffer-protection-latency-alert', 'packet-buffer-protection-latency-activate',
  'packet-buffer-protection-latency-max-tolerate', 'packet-buffer-protection-latency-block-countdown', 'resource-limit-behavior',
  'offload', 'ipv6-firewalling', 'dhcp-bcast-session-on', 'erspan', 'tcp-retransmit-scan']
const TCP_LEAVES = ['allow-challenge-ack', 'asymmetric-path', 'drop-zero-flag', 'urgent-data', 'bypass-exceed-oo-queue',
  'check-timestamp-option', 'strip-mptcp-option', 'siptcp-cleartext-proxy', 'tcp-retransmit-scan']
const DEVICECONFIG = C({ setting: C({ session: C(leaves(SESSION_LEAVES)), tcp: C(leaves(TCP_LEAVES)) }) })

export interface SetDocument {
  root: PanNode
  /** `# rstlab-extensions {…}` lines (text after the marker) with their position. */
  comments: Array<{ text: string, pos: Pos }>
}

interface Tok { t: string, col: number, quoted: boolean }

const DEVICE = 'localhost.localdomain'

export function parseSetCommands (text: string, file: string): SetDocument {
  const root = node('config', { file, line: 1, col: 1 })
  const comments: SetDocument['comments'] = []
  let prefix: Tok[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, li) => {
    const line = li + 1
    let s = raw
    let off = 0
    const prompt = /^\s*[^\s#]+@[^\s#]+[#>]\s*/.exec(s) // admin@PA-VM# set …
    if (prompt !== null) { off = prompt[0].length; s = s.slice(off) }
    const trimmed = s.trim()
    if (trimmed === '') return
    if (trimmed.startsWith('#')) {
      const m = /^#\s*rstlab-extensions\s(.*)$/.exec(trimmed)
      if (m !== null) comments.push({ text: m[1]!, pos: { file, line, col: off + s.indexOf('#') + 1 } })
      return
    }
    checkPlaceholder(s, file, line, off + 1)
    const toks = tokenize(s, file, line, off)
    const cmd = toks[0]!
    const at = (t: Tok): Pos => ({ file, line, col: t.col })
    switch (cmd.t) {
      case 'configure': case 'exit': case 'quit': case 'commit': case 'save': case 'check': case 'validate':
        return
      case 'top':
        prefix = []
        return
      case 'edit':
        prefix = [...prefix, ...toks.slice(1)]
        return
      case 'up':
        throw new ImportSyntaxError(at(cmd), "'up' is not supported in an imported file", "write full paths, or 'top' then 'edit PATH'")
      case 'set': case 'delete': {
        const words = [...prefix, ...toks.slice(1)]
        if (words.length === 0) throw new ImportSyntaxError(at(cmd), `'${cmd.t}' needs a configuration path`)
        apply(root, words, cmd.t === 'delete', at, cmd)
        return
      }
      default:
        throw new ImportSyntaxError(at(cmd), `unknown configure-mode command '${cmd.t}'`,
          "an importable file holds set/delete commands (plus configure, commit, exit, edit, top and # comments)")
    }
  })
  return { root, comments }
}

/** Split a command line into words with 1-based columns; quotes group words, [ and ] are words of their own. */
function tokenize (s: string, file: string, line: number, off: number): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < s.length) {
    const ch = s[i]!
    if (/\s/.test(ch)) { i++; continue }
    const col = off + i + 1
    if (ch === '"' || ch === "'") {
      let j = i + 1
      let v = ''
      while (j < s.length && s[j] !== ch) {
        if (ch === '"' && s[j] === '\\' && j + 1 < s.length) { v += s[j + 1]; j += 2; continue }
        v += s[j]; j++
      }
      if (j >= s.length) throw new ImportSyntaxError({ file, line, col }, `quote ${ch} is never closed`, `close the quoted name with ${ch}`)
      out.push({ t: v, col, quoted: true })
      i = j + 1
      continue
    }
    if (ch === '[' || ch === ']') { out.push({ t: ch, col, quoted: false }); i++; continue }
    let j = i
    while (j < s.length && !/\s/.test(s[j]!) && s[j] !== '[' && s[j] !== ']' && s[j] !== '"') j++
    out.push({ t: s.slice(i, j), col, quoted: false })
    i = j
  }
  return out
}

function getOrAdd (parent: PanNode, tag: string, pos: Pos, name?: string): PanNode {
  for (const c of parent.children) if (c.tag === tag && c.name === name) return c
  const n = node(tag, pos, name)
  parent.children.push(n)
  return n
}

function apply (root: PanNode, words: Tok[], del: boolean, at: (t: Tok) => Pos, cmd: Tok): void {
  let i = 0
  const w0 = words[0]!
  let base: PanNode
  let sch: Sch
  const device = (): PanNode => getOrAdd(getOrAdd(root, 'devices', at(w0)), 'entry', at(w0), DEVICE)
  if (w0.t === 'shared' && !w0.quoted) {
    base = getOrAdd(root, 'shared', at(w0)); sch = C(OBJECTS); i = 1
  } else if (w0.t === 'vsys' && !w0.quoted && words.length > 1) {
    base = getOrAdd(getOrAdd(device(), 'vsys', at(w0)), 'entry', at(words[1]!), words[1]!.t); sch = C(OBJECTS); i = 2
  } else if (w0.t === 'deviceconfig') {
    base = getOrAdd(device(), 'deviceconfig', at(w0)); sch = DEVICECONFIG; i = 1
  } else if (w0.t === 'network') {
    base = getOrAdd(device(), 'network', at(w0)); sch = NETWORK; i = 1
  } else if (w0.t in OBJECTS || !['mgt-config', 'devices', 'readonly', 'panorama'].includes(w0.t)) {
    // Vsys-level objects (and anything unknown) go to vsys1, as configure mode on a single-vsys firewall does.
    base = getOrAdd(getOrAdd(device(), 'vsys', at(w0)), 'entry', at(w0), 'vsys1'); sch = C(OBJECTS)
  } else {
    base = root; sch = C({})
  }
  const stack: Array<{ n: PanNode, s: Sch }> = [{ n: base, s: sch }]
  let last: { parent: PanNode, child: PanNode } | undefined
  while (i < words.length) {
    const w = words[i]!
    if (w.t === '[' || w.t === ']') throw new ImportSyntaxError(at(w), `'${w.t}' where a keyword was expected`)
    // The keyword may belong to the current level or to any level above (several attributes on one line).
    let level = stack.length - 1
    while (level >= 0 && !(stack[level]!.s.k === 'c' && w.t in (stack[level]!.s as { c: Record<string, Sch> }).c)) level--
    if (level < 0 || w.quoted) {
      // Not a keyword rstlab maps: read the rest generically (nested keywords, the last word as value).
      const top = stack[stack.length - 1]!.n
      last = generic(top, words, i, at, del)
      i = words.length
      break
    }
    stack.length = level + 1
    const here = stack[level]!.n
    const s = (stack[level]!.s as { c: Record<string, Sch> }).c[w.t]!
    if (s.k === 'c') {
      if ((stack[level]!.s as { one?: boolean }).one === true && !del) here.children = here.children.filter(c => c.tag === w.t)
      const n = getOrAdd(here, w.t, at(w))
      stack.push({ n, s }); last = { parent: here, child: n }; i++
    } else if (s.k === 'e') {
      const nameTok = words[i + 1]
      if (nameTok === undefined || nameTok.t === '[') {
        if (del && nameTok === undefined) { last = { parent: here, child: getOrAdd(here, w.t, at(w)) }; i++; continue }
        throw new ImportSyntaxError(at(nameTok ?? w), `'${w.t}' needs a name after it`)
      }
      const list = getOrAdd(here, w.t, at(w))
      const entry = getOrAdd(list, 'entry', at(nameTok), nameTok.t)
      stack.push({ n: entry, s: s.e }); last = { parent: list, child: entry }; i += 2
    } else if (s.k === 'l' || s.k === 'x') {
      const v = words[i + 1]
      if (v === undefined || v.t === '[' || v.t === ']') {
        if (del && v === undefined) { const n = getOrAdd(here, w.t, at(w)); last = { parent: here, child: n }; i++; continue }
        throw new ImportSyntaxError(at(v ?? w), `'${w.t}' needs a value after it`)
      }
      const n = getOrAdd(here, w.t, at(w))
      if (s.k === 'l') { n.text = v.t; n.pos = at(w) } else { n.children = [node(v.t, at(v))]; n.pos = at(w) }
      last = { parent: here, child: n }; i += 2
    } else {
      const list = getOrAdd(here, w.t, at(w))
      const vals: Tok[] = []
      let j = i + 1
      if (words[j]?.t === '[' && words[j]?.quoted === false) {
        j++
        while (j < words.length && !(words[j]!.t === ']' && !words[j]!.quoted)) { vals.push(words[j]!); j++ }
        if (j >= words.length) throw new ImportSyntaxError(at(words[i + 1]!), `'[' opened for '${w.t}' is never closed with ']'`)
        j++
      } else if (words[j] !== undefined && words[j]!.t !== ']') { vals.push(words[j]!); j++ }
      if (del) {
        if (vals.length === 0) { last = { parent: here, child: list }; i = j; continue }
        list.children = list.children.filter(c => !vals.some(v => v.t === c.text))
        last = undefined; i = j; continue
      }
      for (const v of vals) {
        if (!list.children.some(c => c.tag === 'member' && c.text === v.t)) {
          const m = node('member', at(v)); m.text = v.t; list.children.push(m)
        }
      }
      last = { parent: here, child: list }; i = j
    }
  }
  if (del) {
    if (last !== undefined) last.parent.children = last.parent.children.filter(c => c !== last!.child)
    return
  }
  void cmd
}

/** The rest of a command read without a schema: each word a nested element, the last one the value. */
function generic (top: PanNode, words: Tok[], i: number, at: (t: Tok) => Pos, del: boolean): { parent: PanNode, child: PanNode } | undefined {
  let cur = top
  let last: { parent: PanNode, child: PanNode } | undefined
  while (i < words.length) {
    const w = words[i]!
    const next = words[i + 1]
    if (next !== undefined && next.t === '[' && !next.quoted) {
      const list = getOrAdd(cur, w.t, at(w))
      let j = i + 2
      while (j < words.length && words[j]!.t !== ']') {
        const m = node('member', at(words[j]!)); m.text = words[j]!.t; list.children.push(m); j++
      }
      if (j >= words.length) throw new ImportSyntaxError(at(next), `'[' opened for '${w.t}' is never closed with ']'`)
      last = { parent: cur, child: list }
      i = j + 1
      continue
    }
    if (next !== undefined && i + 2 === words.length && !del) {
      const n = getOrAdd(cur, w.t, at(w)); n.text = next.t
      return { parent: cur, child: n }
    }
    const n = getOrAdd(cur, w.t, at(w))
    last = { parent: cur, child: n }
    cur = n
    i++
  }
  return last
}
