/**
 * The parsed model of a scenario (what `parser.ts` produces and `runner.ts` executes), in the spirit
 * of packetdrill's `script.h`: a list of events, each with its source position and its absolute time
 * in integer microseconds on the virtual clock.
 */

export interface Pos {
  line: number
  col: number
}

export type Side = 'client' | 'server'

export interface HostDecl extends Pos {
  name: string
  /** Address as written (normalised by the runner with wire's parseIp). */
  addr: string
  version: 4 | 6
  mac: string
  /** TTL (IPv4) / hop limit (IPv6) the host's packets carry when they reach the firewall. */
  ttl: number
  /** Which side of the firewall it sits on: client side = port 0, server side = port 1. */
  side: Side | undefined
  /** Initial sequence number: relative seq/ack numbers are counted from it (tcpdump's default view). */
  isn: number
  /** 802.1Q VLAN ids its frames carry, outer first (two = QinQ, outer 0x88a8); empty = untagged. */
  vlans: number[]
}

/** A sequence or acknowledgement number: relative to an ISN (default) or absolute (`=N`). */
export interface SeqValue {
  abs: boolean
  value: number
}

export interface TcpOptionSpec {
  mss?: number
  wscale?: number
  sackOk?: boolean
  ts?: [number, number]
  nop?: number
}

/** A host's end of a flow: `client:40000`, or just `client` (port taken from the last flow used). */
export interface Endpoint extends Pos {
  host: string
  port: number | undefined
}

export type Proto = 'tcp' | 'udp' | 'icmp'

/** A packet a host sends. */
export interface PacketSpec {
  proto: Proto
  /** TCP flag bits (TcpFlag values). */
  flags: number
  /** The flags as written, for messages and the ladder. */
  flagsText: string
  seq: SeqValue | undefined
  ack: SeqValue | undefined
  win: number | undefined
  /** Payload bytes (from `data "..."`, `hex "..."`, or `len N` as N zero bytes). */
  payload: Buffer
  options: TcpOptionSpec | undefined
  /** Overrides the host's TTL for this packet. */
  ttl: number | undefined
  icmpType: number | undefined
  icmpCode: number | undefined
  /** ICMP echo identifier and sequence number (default 0). */
  icmpId: number | undefined
  icmpSeq: number | undefined
  /** VLAN ids for this packet (overrides the host's; `[]` = untagged). */
  vlans: number[] | undefined
  /** IPv4 identification and DF (defaults 0 and set). */
  ipId: number | undefined
  df: boolean | undefined
}

/** What a packet quoted inside an ICMP error must look like (`quotes A:P > B:Q [tcp|udp|icmp] [seq N]`). */
export interface QuotePattern {
  src: Endpoint
  dst: Endpoint
  proto: Proto | undefined
  seq: SeqValue | undefined
}

/** What an expected received packet must look like; only the fields given are checked. */
export interface PacketPattern {
  /** Match any one packet (`HOST gets any`). */
  any: boolean
  proto: Proto | undefined
  flags: number | undefined
  flagsText: string | undefined
  seq: SeqValue | undefined
  ack: SeqValue | undefined
  win: number | undefined
  len: number | undefined
  ttl: number | undefined
  /** Source: a host name or an address, optionally with a port. */
  from: { host: string | undefined, addr: string | undefined, port: number | undefined } | undefined
  icmpType: number | undefined
  icmpCode: number | undefined
  /** true: must be forged by the firewall; false: must be a forwarded packet; undefined: either. */
  forged: boolean | undefined
  options: TcpOptionSpec | undefined
  macSrc: string | undefined
  macDst: string | undefined
  ipId: number | undefined
  df: boolean | undefined
  /** VLAN ids, outer first; `[]` = must be untagged. */
  vlans: number[] | undefined
  icmpId: number | undefined
  icmpSeq: number | undefined
  quote: QuotePattern | undefined
}

export type CounterOp = '=' | '>=' | '<=' | '>'

export interface SessionCheck extends Pos {
  /** state, tcp-state, app, end, rule, action, timeout, from, to. */
  field: string
  value: string
}

/** A 4-tuple selecting a session: `client:40000 > server:21`. */
export interface FlowSel extends Pos {
  src: Endpoint
  dst: Endpoint
}

/** `commit POLICY [rematch]` or `commit set SECTION.KEY VALUE [rematch]`: a policy change at the step's time. */
export type CommitSpec =
  | { kind: 'policy', path: string, rematch: boolean }
  | { kind: 'set', section: 'session' | 'tcp' | 'emulator', key: string, value: string | number | boolean, rematch: boolean }

interface EventBase extends Pos {
  /** Absolute virtual time in microseconds. */
  timeUs: number
  /** The line's text, for messages and `--json`. */
  text: string
}

export type ScenarioEvent =
  | EventBase & { kind: 'wait' }
  | EventBase & { kind: 'note', note: string }
  | EventBase & { kind: 'send', src: Endpoint, dst: Endpoint, packet: PacketSpec }
  | EventBase & { kind: 'expect-packet', host: string, pattern: PacketPattern }
  | EventBase & { kind: 'expect-nothing', host: string }
  | EventBase & { kind: 'expect-drop', reason: string | undefined }
  | EventBase & { kind: 'expect-forward' }
  | EventBase & { kind: 'expect-session', flow: FlowSel | undefined, id?: number, gone: boolean, checks: SessionCheck[] }
  | EventBase & { kind: 'commit', commit: CommitSpec }
  | EventBase & { kind: 'expect-sessions', op: CounterOp, count: number }
  | EventBase & { kind: 'expect-counter', name: string, op: CounterOp, value: number }

export type EventKind = ScenarioEvent['kind']

/** `set SECTION.KEY VALUE`: an inline override of a policy setting (kebab-case, as in the YAML). */
export interface Override extends Pos {
  section: 'session' | 'tcp' | 'emulator'
  key: string
  value: string | number | boolean
}

export interface Scenario {
  file: string
  title: string | undefined
  intro: string | undefined
  after: string | undefined
  hosts: HostDecl[]
  policy: (Pos & { path: string }) | undefined
  overrides: Override[]
  /** Strict (default): every packet a host receives must be matched by a `gets` line. */
  strict: boolean
  events: ScenarioEvent[]
}
