/**
 * The engine contract: a frame + the port it arrived on + `now` in; a verdict + packets to emit out.
 * Bridge (ingress/egress devices), replay and the scenario runner all drive the same `Engine`.
 * Nothing in the engine reads a clock or does I/O. Time is integer microseconds.
 */
import type { Policy } from '../policy/types.js'

/**
 * The two sides of the virtual wire: 0 = IF_A, 1 = IF_B. `PORT_UNKNOWN` (-1) when the caller has
 * no notion of ports (replay of a single capture): zones then come from address networks and the
 * forward target is simply "onwards".
 */
export type Port = number
export const PORT_UNKNOWN = -1

export type SessionState = 'INIT' | 'OPENING' | 'ACTIVE' | 'DISCARD' | 'CLOSING' | 'CLOSED'

/** PAN-OS session end reasons (see docs/panos-model.md#end-reasons), highest priority first. */
export type EndReason =
  | 'threat' | 'policy-deny' | 'tcp-rst-from-client' | 'tcp-rst-from-server' | 'resources-unavailable'
  | 'tcp-fin' | 'tcp-reuse' | 'aged-out' | 'unknown'

/** Why a packet was forged: shows up in traces, pcapng comments and logs. */
export interface ForgeReason {
  rule: string
  action: string
  /** e.g. 'policy at SYN', 'app-id web-browsing', 'threat sig-x', 'age-out', 'icmp-unreachable'. */
  trigger: string
}

/** A packet the engine wants sent (always forged; forwarded frames are signalled by the verdict). */
export interface Emit {
  frame: Buffer
  /** Egress port, or PORT_UNKNOWN. */
  port: Port
  /** Which endpoint it is meant for. */
  toward: 'client' | 'server'
  /** `tcp-synack`, `tcp-syn`, `tcp-ack`: the SYN-cookie handshake (issue #15). */
  kind: 'tcp-rst' | 'icmp-unreachable' | 'tcp-synack' | 'tcp-syn' | 'tcp-ack'
  reason: ForgeReason
  /** Pre-rendered one-line comment for pcapng / ladders: "rstlab forged: rule=X action=Y trigger=Z". */
  comment: string
  /**
   * Extension: link type of `frame` — 1 (Ethernet, when the session's frames had MACs) or 101 (raw IP,
   * for sessions seen on raw / SLL / NULL links). Always set by the engine.
   */
  linkType?: number
}

/**
 * Result of `process()`. The engine reuses ONE instance for every call: read it before the next call.
 * `emits` holds forged packets in the order they must be sent, after the forwarded frame (if any).
 */
export interface ProcessResult {
  /** 'forward': send the input frame unchanged out of `egress`. 'drop': do not. */
  action: 'forward' | 'drop'
  /** Egress port for a forwarded frame (the other side), or PORT_UNKNOWN. */
  egress: Port
  /** Short machine reason: 'ok', a counter name ('flow_tcp_non_syn_drop', 'tcp_drop_out_of_wnd', ...),
   *  'policy-deny', 'non-ip', or 'decode:<code-name>'. */
  reason: string
  /** Session id the packet belonged to / created, 0 for none. */
  sessionId: number
  /** Packet direction within its session, undefined when no session. */
  dir: 'c2s' | 's2c' | undefined
  emits: Emit[]
}

/** One traffic-log record per session end (PAN-OS traffic log fields). */
export interface TrafficLogRecord {
  type: 'TRAFFIC'
  subtype: 'end' | 'drop' | 'deny'
  sessionId: number
  rule: string
  action: string
  application: string
  fromZone: string
  toZone: string
  src: string
  sport: number
  dst: string
  dport: number
  proto: 'tcp' | 'udp' | 'icmp' | 'ipv6-icmp' | string
  bytesC2s: number
  bytesS2c: number
  packetsC2s: number
  packetsS2c: number
  /** Start time in µs (engine clock), elapsed in whole seconds like PAN-OS. */
  startUs: number
  elapsedS: number
  /** When the session ended and the record was written, µs (engine clock): the log's generated time. */
  endUs: number
  endReason: EndReason
}

export interface ThreatLogRecord {
  type: 'THREAT'
  /** Extension (issue #15): 'flood' / 'scan' for zone protection flood and reconnaissance alarms; absent for signature matches. */
  subtype?: 'flood' | 'scan'
  /** PAN-OS threat ID (floods: 8501 TCP, 8502 UDP, 8503 ICMP, 8504 ICMPv6, 8505 other IP; scans: 8001 TCP port scan, 8002 host sweep, 8003 UDP port scan, 8006 IP protocol scan). */
  threatId?: number
  /** Floods and scans: the protected (ingress) zone; floods: the measured rate in packets per second. */
  fromZone?: string
  rate?: number
  /** Scans: the distinct events counted in the interval (the threshold reached) and the interval, seconds. */
  events?: number
  intervalS?: number
  /** Signature matches: the session's rule and destination zone (fromZone is its source zone). */
  rule?: string
  toZone?: string
  sessionId: number
  signature: string
  severity: string
  action: string
  direction: 'c2s' | 's2c'
  src: string
  sport: number
  dst: string
  dport: number
  proto: string
  application: string
  timeUs: number
}

/** A flow as traces name it (client side first). */
export interface TraceFlow {
  proto: string
  src: string
  sport: number
  dst: string
  dport: number
}

/**
 * What a trace event says, by kind: data, not sentences. engine/trace-text.ts renders each kind as
 * one human line in the spirit of `debug flow basic` (`traceText`) and names its stage (`traceStage`:
 * recv, policy, session, check, forward, drop, forge, age); the ladder's narration, `--trace` and the
 * JSON logs read the kinds and fields.
 */
export type TraceDetail =
  // zone protection (issue #15, docs/zone-protection.md); `profile` is the zone's profile name
  /** A packet-based check of the ingress zone's profile dropped the packet (`counter` names which). */
  | { kind: 'zp-discard', zone: string, profile: string, counter: string }
  /** discard-tcp-split-handshake: the server answered the SYN with a SYN or a bare ACK. */
  | { kind: 'zp-split-handshake', profile: string }
  /** discard-overlapping-tcp-segment-mismatch: a segment covering an earlier one carries other bytes there. */
  | { kind: 'zp-overlap-mismatch', profile: string, seq: number, len: number }
  /** A packet rewritten in place: `option` is remove-tcp-timestamp, strip-mptcp-option or strip-tcp-fast-open-and-data. */
  | { kind: 'zp-rewrite', profile: string, option: string }
  /** A flood threat log written; `action` is the verdict on the packet that triggered it. */
  | {
    kind: 'zp-flood-alarm', threat: string, threatId: number, zone: string, profile: string, rate: number,
    alarmRate: number, activateRate: number, maximalRate: number, action: string
  }
  /**
   * Reconnaissance protection: a source reached a scan entry's threshold within its interval (one threat
   * log); `action` is the log's action (alert, drop for block, block-ip), `untilUs` when a block ends.
   */
  | {
    kind: 'zp-scan-alarm', threat: string, threatId: number, zone: string, profile: string, src: string, dst: string,
    events: number, intervalS: number, action: string, untilUs: number
  }
  /** Reconnaissance protection dropped a packet: the trigger itself, or a later one during the block of `threat`. */
  | { kind: 'zp-scan-drop', threat: string, zone: string, src: string, dst: string, trigger: boolean }
  /** Flood protection dropped a packet matching no session: at random (`red`), else at or above maximal-rate. */
  | { kind: 'zp-flood-drop', flood: string, zone: string, rate: number, red: boolean, maximalRate: number, counter: string }
  /** An ACK without session into a SYN-cookie zone: `mss` of a valid cookie, or -1 when it carries none. */
  | { kind: 'zp-cookie-ack', mss: number }
  /** The firewall answered a SYN with a SYN-ACK carrying a cookie, spoofed from the server; no session. */
  | { kind: 'zp-cookie-synack', cookie: number, ack: number, mss: number, ttl: number }
  /** The SYN that got a cookie is not forwarded. */
  | { kind: 'zp-cookie-sent' }
  /** A session set up from a valid cookie ACK (the policy line before it is a `policy-allow`). */
  | { kind: 'zp-cookie-session' }
  /** The cookie ACK stays with the firewall; it sends the server the SYN instead. */
  | { kind: 'zp-cookie-ack-kept' }
  /** The SYN sent to the server on the client's behalf (again, while the server has not answered). */
  | { kind: 'zp-cookie-syn', seq: number, mss: number }
  /** A client packet held back while the server leg is not up. */
  | { kind: 'zp-cookie-pending' }
  /** The ACK the firewall sends the server to complete its handshake; `delta` is the server-to-client shift. */
  | { kind: 'zp-cookie-server-ack', seq: number, ack: number, delta: number }
  /** The server's SYN-ACK answered by the firewall, not forwarded. */
  | { kind: 'zp-cookie-synack-kept' }
  /** A retransmitted server SYN-ACK after the server leg is up: absorbed, answered with the ACK (seq, ack) again. */
  | { kind: 'zp-cookie-synack-again', seq: number, ack: number }
  // received, decoded
  | { kind: 'recv', port: Port, packet: string }
  | { kind: 'malformed', code: string, offset: number, counter: string }
  | { kind: 'syn-fin' }
  | { kind: 'zero-flags' }
  | { kind: 'non-syn-no-session' }
  | { kind: 'table-full', maxSessions: number }
  // policy
  | { kind: 'policy-allow', flow: TraceFlow, fromZone: string, toZone: string, rule: string, tentative: boolean }
  | { kind: 'policy-block', flow: TraceFlow, fromZone: string, toZone: string, rule: string, action: string }
  | { kind: 'rematch', rule: string, action: string }
  | { kind: 'operator-action', action: string, trigger: string }
  | { kind: 'app-reevaluated', app: string, rule: string, action: string }
  // session life
  | { kind: 'session-created', timer: string, timeoutS: number, tcp: 'syn-sent' | 'mid-stream' | undefined }
  | { kind: 'discard-at-setup', timer: string }
  | { kind: 'blocked', trigger: string }
  | { kind: 'reuse' }
  | { kind: 'ended', endReason: EndReason }
  | { kind: 'aged-out', idleS: number, timer: string, accelerated: boolean }
  // TCP state moves of a forwarded segment
  | { kind: 'syn-new-isn' }
  | { kind: 'syn-ack' }
  | { kind: 'established' }
  | { kind: 'fin-first', from: 'client' | 'server' }
  | { kind: 'fin-second' }
  | { kind: 'rst-exact', from: 'client' | 'server' }
  | { kind: 'rst-in-window', from: 'client' | 'server' }
  | { kind: 'unverified-cleared' }
  | { kind: 'challenge-ack', ack: number }
  | { kind: 'challenge-rst-allowed' }
  // TCP checks that drop
  | { kind: 'invalid-rst-fin', bound: string }
  | { kind: 'invalid-syn-ack' }
  | { kind: 'out-of-sync', tcpState: string }
  | { kind: 'out-of-window', bound: string }
  // forwarded / dropped without a state change
  | { kind: 'forwarded', dir: 'c2s' | 's2c' }
  | { kind: 'non-ip-passed', etherType: number }
  | { kind: 'discard-drop', rule: string }
  | { kind: 'icmp-error-forwarded', icmpType: number, icmpCode: number }
  | { kind: 'icmp-error-no-session', icmpType: number, icmpCode: number }
  | { kind: 'fragment-forwarded', offset: number }
  | { kind: 'fragment-no-session', offset: number, ipId: number }
  // inspection
  | { kind: 'app-detail', app: string, detail: string }
  | { kind: 'app-blocked', app: string }
  | { kind: 'threat', signature: string, severity: string, dir: 'c2s' | 's2c', action: string }
  | { kind: 'threat-drop', signature: string }
  // forging
  | { kind: 'forge-syn-rst', ack: number, ttl: number }
  | { kind: 'forge-state-rst', toward: 'client' | 'server', seq: number, ack: number, trigger: string }
  | { kind: 'forge-icmp', version: 4 | 6, from: string }
  | { kind: 'icmp-no-address', version: 4 | 6, zone: string }
  | { kind: 'icmp-rate-limited' }
  | { kind: 'icmp-not-for-tcp' }
  | { kind: 'icmp-zone-no-address', zone: string, zoneType: string }
  | { kind: 'reset-server-at-syn' }
  | { kind: 'reset-suppressed' }

export type TraceKind = TraceDetail['kind']

/** A per-packet trace event: when, which session (0 = none), and what (`kind` + its fields). */
export type TraceEvent = { timeUs: number, sessionId: number } & TraceDetail

/** Session as listed by `show session`, replay summaries and scenario expectations. */
export interface SessionInfo {
  id: number
  proto: string
  src: string
  sport: number
  dst: string
  dport: number
  from: string
  to: string
  application: string
  rule: string
  action: string
  state: SessionState
  /** TCP sub-state for humans: 'syn-sent', 'syn-recv', 'established', 'half-closed', 'time-wait', 'unverified-rst', ... */
  tcpState?: string
  endReason: EndReason | null
  packets: { c2s: number, s2c: number }
  bytes: { c2s: number, s2c: number }
  startUs: number
  lastUs: number
  /** Current idle timeout in seconds and absolute expiry time. */
  timeoutS: number
  expiresUs: number
}

export interface EngineHooks {
  trafficLog?: (rec: TrafficLogRecord) => void
  threatLog?: (rec: ThreatLogRecord) => void
  /** Only called when tracing is on; the engine builds no trace text otherwise. */
  trace?: (ev: TraceEvent) => void
}

/**
 * Extension: what an inspector (App-ID light, threat signatures: issue #6) tells the engine about a
 * payload. The engine re-runs the policy lookup with `app` (a block then resets per the rule's action,
 * traffic-log subtype 'deny') and applies `threat` (threat log record; drop/reset-* end the session
 * with end reason 'threat'). An inspector may return the same object every time.
 */
export interface InspectVerdict {
  app?: string
  threat?: { signature: string, severity: string, action: 'alert' | 'allow' | 'drop' | 'reset-client' | 'reset-server' | 'reset-both' }
  /** Extension (issue #6): what App-ID learned besides the name (e.g. `sni example.com` for ssl), for traces. */
  appDetail?: string
  /** Extension (issue #6): further non-blocking hits (`alert`) of the same packet, logged before `threat`. */
  alerts?: Array<NonNullable<InspectVerdict['threat']>>
}

/**
 * Extension: per-session inspection hook. The engine keeps the object `open` returns with the session.
 * The default implementation is engine/inspector-hook.ts (`InspectorHook`), installed by the engine when
 * the policy has a rule naming applications or a rule with a threat profile.
 */
export interface EngineInspector {
  /** An allowed session was set up. Return per-session state, or undefined to not inspect it.
   *  `tentative`: the rule names applications and App-ID has not decided yet. */
  open (info: { sessionId: number, proto: number, sport: number, dport: number, rule: string, tentative?: boolean }): unknown
  /**
   * A payload-carrying packet the engine is about to forward (bytes [off, off+len) of frame).
   * For TCP, `seq` is the sequence number of the first payload byte and `expected` the sender's next
   * sequence number as tracked before this segment (undefined when not tracked), so the inspector can
   * tell in-order data from retransmissions and segments ahead of a gap.
   */
  payload (state: unknown, dir: 'c2s' | 's2c', frame: Buffer, off: number, len: number, nowUs: number,
    seq?: number, expected?: number): InspectVerdict | undefined
  /** The session ended (optional): the application name the engine should log, if the inspector has a better one. */
  close? (state: unknown): string | undefined
  /** The session's rule changed (App-ID re-evaluation, rule change with rematch) (optional). */
  rule? (state: unknown, ruleName: string): void
  /** The engine's policy was replaced (optional). */
  setPolicy? (policy: Policy): void
}

/**
 * The engine as its drivers see it (bridge, replay, scenario runner, explain): the one public interface,
 * implemented by `Engine` (engine.ts). Every method is pure: time comes in as `nowUs`.
 */
export interface PacketEngine {
  /** Process one frame that arrived on `port` at `nowUs`. The result object is reused per call. */
  process (frame: Buffer, port: Port, nowUs: number, linkType?: number): ProcessResult
  /**
   * `process` for an Ethernet frame only when it is a plain segment of an established session that the
   * fast path forwards (the cheapest work a frame can take); undefined, having changed nothing, for any
   * other frame. The live runner uses it to keep serving established sessions while it sheds the rest
   * of an over-long capture burst (a flood).
   */
  processEstablished (frame: Buffer, port: Port, nowUs: number): ProcessResult | undefined
  /** Expire every session due by `nowUs` (one call; forged packets of all of them in one result). */
  advance (nowUs: number): ProcessResult
  /**
   * Move the clock to `tUs`, firing every timer on the way at its own deadline and in order.
   * `onStep(emits, atUs)` is called after each step, with the packets that step forged (often none)
   * and the time it ran at: a driver sends or records them there, and reads the step's trace events.
   */
  advanceTo (tUs: number, onStep?: (emits: Emit[], atUs: number) => void): void
  /** A lower bound of the next expiry (µs), undefined when no session is open. */
  nextDeadline (): number | undefined
  sessions (): SessionInfo[]
  /** How many sessions are open: `sessions().length` without building them. */
  sessionCount (): number
  session (id: number): SessionInfo | undefined
  /** Global counters by name, in definition order. */
  counters (): Record<string, number>
  clearCounters (): void
  /** Log and free every open session (end reason 'unknown' unless a better one was recorded). */
  clearSessions (nowUs: number): void
  /** Replace the policy (optionally re-matching ACTIVE sessions); returns the packets that forged. */
  setPolicy (policy: Policy, opts?: { rematch?: boolean, nowUs?: number }): ProcessResult
  /** Apply an operator's action to one ACTIVE session (live control); returns the packets that forged. */
  applyAction (sessionId: number, action: 'drop' | 'reset-client' | 'reset-server' | 'reset-both', nowUs: number, trigger?: string): ProcessResult
  /** Configuration problems found when the policy was applied (e.g. icmp-unreachable without addresses). */
  readonly warnings: readonly string[]
}

export interface EngineOptions {
  policy: Policy
  hooks?: EngineHooks
  /** Interface names of port 0 and port 1 (bridge), used for zone lookup by interface. */
  portNames?: [string, string]
  /** Seed for any randomness (none needed today; kept so it stays deterministic). */
  seed?: number
  /** Extension: App-ID / threat inspection (issue #6). Default: engine/inspector-hook.ts's `InspectorHook`
   *  when the policy needs it (a rule naming applications or with a threat profile), else none. */
  inspector?: EngineInspector
}
