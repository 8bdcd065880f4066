/**
 * The compiled policy: what `loadPolicy*` (policy/load.ts) produces and the engine consumes.
 * Keys in YAML are kebab-case (a contract, see issue #3); here they are camelCase.
 * All times are in SECONDS as configured; the engine converts to microseconds.
 */

export type Action = 'allow' | 'deny' | 'drop' | 'reset-client' | 'reset-server' | 'reset-both'

export interface SessionSettings {
  timeoutTcp: number            // 3600
  timeoutTcpinit: number        // 5
  timeoutTcphandshake: number   // 10
  timeoutTcpHalfClosed: number  // 120
  timeoutTcpTimeWait: number    // 15 (effective value capped at half-closed)
  timeoutTcpUnverifiedRst: number // 30
  timeoutUdp: number            // 30
  timeoutIcmp: number           // 6
  timeoutDefault: number        // 30
  timeoutDiscardTcp: number     // 90
  timeoutDiscardUdp: number     // 60
  timeoutDiscardDefault: number // 60
  tcpRejectNonSyn: boolean      // true
  maxSessions: number           // 65536
  acceleratedAging: boolean     // true
  /** Percent of max-sessions above which accelerated aging applies (80) and the scaling factor (2). */
  acceleratedAgingThreshold: number
  acceleratedAgingScalingFactor: number
  /** ICMP unreachable packets per second (200). */
  icmpUnreachableRate: number
}

export interface TcpSettings {
  allowChallengeAck: boolean    // false
  asymmetricPath: 'drop' | 'bypass' // 'drop'
  dropZeroFlag: boolean         // true
}

export type ResetOnAgeOut = 'none' | 'client' | 'server' | 'both'

export interface EmulatorSettings {
  forgedTtl: number             // 64
  forgedHopLimit: number        // 64
  resetBeforeHandshake: boolean // true
  resetOnAgeOut: ResetOnAgeOut  // 'none'
  /** A `drop` rule with icmp-unreachable on TCP sends the ICMP (PAN-OS docs) or drops silently (the 10.2.1 field test). */
  icmpUnreachableTcp: boolean   // true
  /** Firewall's own addresses per zone name (used as ICMP source). Parsed CIDR; the address part is used. */
  addresses: Map<string, Cidr[]>
}

export interface Settings {
  session: SessionSettings
  tcp: TcpSettings
  emulator: EmulatorSettings
}

/** An IPv4 or IPv6 prefix. `bytes` holds 4 or 16 bytes of the address as written. */
export interface Cidr {
  version: 4 | 6
  bytes: Uint8Array
  prefix: number
  /** Original text, for messages. */
  text: string
}

/**
 * The deployment type of a zone's interfaces (PAN-OS: a zone's `network` holds exactly one of layer3,
 * layer2, virtual-wire, tap, …; rstlab models these three). Only a Layer 3 interface has an address of
 * its own, so only a `layer3` zone can source an ICMP unreachable (docs/policy.md, "Zone types").
 */
export type ZoneType = 'layer3' | 'virtual-wire' | 'tap'

export interface Zone {
  name: string
  /** YAML `type:`; `layer3` when omitted (docs/policy.md explains the choice). */
  type: ZoneType
  interfaces: string[]
  /** `any` is represented as an empty list plus `anyNetwork: true`. */
  networks: Cidr[]
  anyNetwork: boolean
  /** Name of the zone protection profile protecting traffic that enters this zone (issue #15), if any. */
  zoneProtectionProfile?: string
}

/** Flood protection types (PAN-OS `flood/<type>`; `sctp-init` is not modelled). */
export type FloodType = 'tcp-syn' | 'udp' | 'icmp' | 'icmpv6' | 'other-ip'

/** One flood type of a profile. Rates are packets (not matching a session) per second into the zone. */
export interface FloodSettings {
  enable: boolean
  /** `syn-cookies` only for tcp-syn. */
  action: 'red' | 'syn-cookies'
  alarmRate: number
  activateRate: number
  maximalRate: number
}

/** Reconnaissance protection threat IDs (PAN-OS `scan/entry[@name=ID]`): TCP port scan, host sweep, UDP port scan, IP protocol scan. */
export type ScanId = 8001 | 8002 | 8003 | 8006

/** One reconnaissance protection entry of a profile (PAN-OS `scan/entry`). */
export interface ScanSettings {
  id: ScanId
  /** `allow`: nothing done; `alert`: log; `block`: log, drop source → destination for the rest of the interval; `block-ip`: log, drop for `duration`. */
  action: 'allow' | 'alert' | 'block' | 'block-ip'
  /** block-ip only. */
  trackBy?: 'source' | 'source-and-destination'
  /** block-ip only: seconds, 1–3600. */
  duration?: number
  /** Seconds, 2–65535 (default 2; 10 for host sweep). */
  interval: number
  /** Events per interval, 2–65535 (default 100). */
  threshold: number
}

/** An entry of PAN-OS `scan-white-list`: a source that never counts toward reconnaissance protection. */
export interface ScanWhiteListEntry {
  name: string
  cidr: Cidr
}

/**
 * A zone protection profile (issue #15): PAN-OS `network profiles zone-protection-profile NAME`.
 * YAML keys are the PAN-OS leaf names (kebab-case); see policy/zone-protection.ts and docs/policy.md.
 */
export interface ZoneProtectionProfile {
  name: string
  where: string
  description?: string
  flood: Record<FloodType, FloodSettings>
  discardIpSpoof: boolean
  discardIpFrag: boolean
  strictIpCheck: boolean
  discardStrictSourceRouting: boolean
  discardLooseSourceRouting: boolean
  discardTimestamp: boolean
  discardRecordRoute: boolean
  discardSecurity: boolean
  discardStreamId: boolean
  discardUnknownOption: boolean
  discardMalformedOption: boolean
  /** `global` = settings.session.tcp-reject-non-syn. */
  tcpRejectNonSyn: 'global' | 'yes' | 'no'
  /** `global` = settings.tcp.asymmetric-path. */
  asymmetricPath: 'global' | 'drop' | 'bypass'
  /** `global` = rstlab's global behaviour (no stripping; see docs/policy.md). */
  stripMptcpOption: 'global' | 'yes' | 'no'
  discardTcpSplitHandshake: boolean
  discardTcpSynWithData: boolean
  discardTcpSynackWithData: boolean
  discardOverlappingTcpSegmentMismatch: boolean
  removeTcpTimestamp: boolean
  stripTcpFastOpenAndData: boolean
  discardIcmpPingZeroId: boolean
  discardIcmpFrag: boolean
  discardIcmpLargePacket: boolean
  discardIcmpError: boolean
  suppressIcmpTimeexceeded: boolean
  suppressIcmpNeedfrag: boolean
  /** Reconnaissance protection: the configured entries, in ID order (none configured: nothing is counted). */
  scan: ScanSettings[]
  /** Sources exempt from reconnaissance protection (at most 20). */
  scanWhiteList: ScanWhiteListEntry[]
}

/** A service: protocol plus inclusive port ranges; `any` = every protocol and port. */
export type Service =
  | { kind: 'any' }
  | { kind: 'application-default' }
  | { kind: 'port', proto: 'tcp' | 'udp', ranges: Array<[number, number]>, text: string }

export type RuleType = 'universal' | 'intrazone' | 'interzone'

/** The implicit rules' action, as overridden by PAN-OS `rulebase default-security-rules`. */
export interface DefaultRule {
  action: Action
  icmpUnreachable: boolean
}

export interface Rule {
  name: string
  /** Position in the file (0-based) — PAN-OS "matched rule index". */
  index: number
  from: string[] | 'any'
  to: string[] | 'any'
  source: Cidr[] | 'any'
  destination: Cidr[] | 'any'
  application: string[] | 'any'
  service: Service[]
  action: Action
  icmpUnreachable: boolean
  /** PAN-OS `negate-source` / `negate-destination`: match every address EXCEPT the listed ones. */
  negateSource?: boolean
  negateDestination?: boolean
  /** PAN-OS `rule-type`: universal (default, any zone pair), intrazone (from = to only), interzone (from ≠ to only). */
  ruleType?: RuleType
  /** PAN-OS `disabled`: the rule stays in the list (and keeps its index) but never matches. */
  disabled?: boolean
  /** Threat profile name (issue #6), if any. */
  profile?: string
  /** Extension: free text from the YAML `description:` key. */
  description?: string
  /** Source position for messages: file:line:col of the rule. */
  where: string
}

/** What the engine hands the policy at session setup. Addresses are byte views (4 or 16 bytes). */
export interface LookupKey {
  /** Ingress/egress zone; `undefined` or `''` = the address is in no zone (matches only rules with `any`). */
  fromZone: string | undefined
  toZone: string | undefined
  src: Uint8Array
  dst: Uint8Array
  proto: number
  sport: number
  dport: number
  /** Application if known, else undefined (rules naming applications then match tentatively, issue #6). */
  app?: string
}

export interface RuleMatch {
  /** The matched rule, or undefined for the implicit defaults. */
  rule: Rule | undefined
  /** 'intrazone-default' / 'interzone-default' for the implicit rules, else rule.name. */
  ruleName: string
  action: Action
  icmpUnreachable: boolean
  /**
   * Extension: true when the rule names applications and `LookupKey.app` was undefined. PAN-OS lets the
   * session through until App-ID decides, then re-evaluates (see docs/panos-model.md#app-id): treat a tentative match
   * as "allow for now" whatever its action, and call `lookup` again once the application is known.
   * Always set by `Policy.lookup`; optional only so hand-built matches in tests stay short.
   */
  tentative?: boolean
}

/** A problem found while loading a policy (extension). `line`/`col` are 1-based; 0 when the input had no text. */
export interface PolicyDiagnostic {
  severity: 'error' | 'warning'
  line: number
  col: number
  message: string
  /** Where in the document, e.g. `rules[2].service[0]` (always set; the only location for inline objects). */
  path: string
}

export interface Policy {
  /** Where it came from (file path or '<inline>'), for messages. */
  source: string
  /** Extension: warnings found while loading (shadowed rules, no-effect options); empty when clean. */
  warnings?: PolicyDiagnostic[]
  settings: Settings
  zones: Zone[]
  rules: Rule[]
  threats: ThreatConfig
  /** Zone protection profiles by name (issue #15); zones name them in `zoneProtectionProfile`. Absent = none. */
  zoneProtection?: Map<string, ZoneProtectionProfile>
  /** The implicit rules (YAML `default-rules:`): intrazone-default allow and interzone-default deny unless overridden;
   *  always set by the loaders (optional only so hand-built policies in tests stay short). */
  defaultRules?: { intrazone: DefaultRule, interzone: DefaultRule }
  /** Zone name for an ingress interface name, or undefined. */
  zoneOfInterface (ifname: string): string | undefined
  /** Zone for an address (most specific network wins), or undefined when no zone's networks contain it. */
  zoneOfAddress (addr: Uint8Array): string | undefined
  /** First-match lookup; falls back to intrazone-default (allow) / interzone-default (deny). */
  lookup (key: LookupKey): RuleMatch
  /**
   * Extension: what the engine and the inspector need to know about all rules, computed once, so that
   * putting a policy in force does not walk every rule (set by the loaders; absent = walk `rules`).
   */
  facts?: PolicyFacts
  /** Extension: the rule of that name (first of that name), without walking `rules` (absent = search `rules`). */
  ruleNamed? (name: string): Rule | undefined
}

/** Facts about a policy's rules, for callers that must not walk them all (`Policy.facts`). */
export interface PolicyFacts {
  /** Names of the rules with icmp-unreachable: yes, in order. */
  icmpUnreachable: string[]
  /** Does any rule name applications? */
  anyAppRule: boolean
  /** Each threat profile rules use, with the first rule using it. */
  profiles: Array<{ profile: string, rule: string, where: string }>
}

/** Threat signatures (issue #6). YAML: `threats: { signatures: [...], profiles: { NAME: [sig, ...] } }`. */
export type ThreatAction = 'alert' | 'allow' | 'drop' | 'reset-client' | 'reset-server' | 'reset-both'
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical'

export interface ThreatSignature {
  name: string
  /** Bytes to find: YAML `content: "text"` or `hex: "de ad be ef"`. */
  content: Buffer
  /** Only match when the content starts at or after `offset` and ends within `depth` bytes of the
   *  direction's stream start (both optional, counted in stream bytes, not per segment). */
  offset?: number
  depth?: number
  direction: 'c2s' | 's2c' | 'both'
  /** Protocol/port scope, same syntax as rule services; default any. */
  service: Service[]
  severity: Severity
  action: ThreatAction
  where: string
}

export interface ThreatConfig {
  signatures: ThreatSignature[]
  /** Profile name → signature names, attached to rules with `profile: NAME`. */
  profiles: Map<string, string[]>
}
