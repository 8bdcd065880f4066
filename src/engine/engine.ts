/**
 * The engine: one pure per-packet pipeline shared by the bridge, replay and the scenario runner.
 *
 *   frame + port + now ─▶ decode ─▶ session lookup ─▶ (new: zones, policy, action)
 *                                                   └▶ (existing: DISCARD drop / TCP checks)
 *                      ─▶ verdict (forward / drop) + forged packets (RST, ICMP)
 *
 * Deterministic: time is integer µs passed in (never read), `advance(now)` expires what is due by
 * `now`, `nextDeadline()` says when to call it next. The forwarding path allocates nothing: one owned
 * FrameSummary, one reused ProcessResult, typed-array session columns, integer counters.
 *
 * Behaviour follows docs/panos-model.md; each surprising branch points at its section. Documented
 * decisions where the sources leave room:
 * - Time never runs backwards: a `now` older than the newest seen is treated as the newest.
 * - Zones: port → zoneOfInterface(portNames[port]); unknown port or interface without a zone →
 *   zoneOfAddress; still nothing → '' (matches only rules with `any`; '' ↔ '' is intrazone).
 * - `deny` at setup is a silent drop (port-based rule or interzone-default; rules naming applications
 *   match tentatively at setup and are re-evaluated when App-ID decides). Later, `deny` uses the
 *   application's default deny action (policy/apps.ts).
 * - Blocked sessions stay in DISCARD for the discard timeout; their one traffic-log record is written
 *   when they end (subtype 'drop' when blocked at setup, 'deny' when blocked later).
 * - A SYN (without ACK) retransmitted into a DISCARD session whose rule resets the client is answered
 *   with a fresh RST each time (the PAN-OS 10.2.1 field test "answered every SYN at once", see
 *   docs/panos-model.md#discard-timers).
 * - ICMP errors are matched to the session of the packet they quote and forwarded with it; an ICMP
 *   error quoting no session is dropped (flow_icmp_err_no_session).
 * - IP fragments: the first fragment is handled as the packet it starts; non-first fragments follow
 *   the first fragment's verdict via a small cache keyed by (src, dst, proto, IP ID): forwarded when
 *   the first one was forwarded and the session is still ACTIVE, else dropped (flow_ipfrag_no_session).
 *   No reassembly.
 * - clearSessions / endAll log every open session with end reason 'unknown' (PAN-OS uses `unknown`
 *   for `clear session all`).
 */
import { decodeFrame } from '../wire/decode.js'
import { PLAIN_TCP4_L4, plainTcp4PayloadLen } from '../wire/plain-tcp4.js'
import { readU32 } from '../wire/view.js'
import { isIcmp4Echo, isIcmp4Error } from '../wire/icmpv4.js'
import { isIcmp6Echo, isIcmp6Error } from '../wire/icmpv6.js'
import { formatSummary } from '../wire/format.js'
import {
  DECODE_CODE_NAMES, DecodeCode, FrameSummary, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, LinkType, TcpFlag,
} from '../wire/summary.js'
import type { LookupKey, Policy, RuleMatch, ZoneProtectionProfile } from '../policy/types.js'
import { appByName } from '../policy/apps.js'
import { maskWord } from '../policy/cidr.js'
import { InspectorHook } from './inspector-hook.js'
import { seqAdd } from '../wire/seq.js'
import { SF, SessState, SessionTable, TCP_STATE_NAMES, TcpSt } from '../session/table.js'
import { TcpEv, TcpTracker, TcpVerdict } from '../session/tcp.js'
import { TIMER_CLASS_NAMES, TimerClass, timeoutsUs } from '../session/timers.js'
import { OverlapStore } from '../session/overlap.js'
import { COUNTER_COUNT, Ctr, counterDefs, decodeCounterName } from './counters.js'
import { Forger, forgeCookieSynAck, forgeStateSegment } from './forge.js'
import { FragmentCache } from './fragments.js'
import {
  COOKIE_MSS, FLOOD_ACTIONS, FLOOD_KEYS, FLOOD_THREATS, Flood, FloodVerdict, IpOpt, ZoneGuard, floodType, hasTfo,
  ipOptions, mssIndex, perPacketWork, removeTimestamp, strictIpBad, stripMptcp, stripTfoAndData, translate,
} from './zone-guard.js'
import { SCAN_LOG_ACTIONS, SCAN_THREATS, SCAN_TYPES, ScanAct, ScanGuard } from './scan-guard.js'
import {
  ACTIONS, Act, END_REASONS, End, actionIndex, betterEnd, floodRecord, flowOf, refusedRecord, scanRecord, sessionInfo, threatRecord, trafficRecord,
} from './records.js'
import { formatIp } from '../wire/addr.js'
import {
  PORT_UNKNOWN, type Emit, type EngineHooks, type PacketEngine, type EngineOptions, type Port, type ProcessResult, type SessionInfo,
  type InspectVerdict, type EngineInspector, type TraceDetail, type TraceEvent,
} from './types.js'

const US = 1_000_000

function isIcmpError (v6: boolean, type: number): boolean {
  return v6 ? isIcmp6Error(type) : isIcmp4Error(type)
}
function isEcho (v6: boolean, type: number): boolean {
  return v6 ? isIcmp6Echo(type) : isIcmp4Echo(type)
}

export class Engine implements PacketEngine {
  /** The session table (read-only use outside the engine: tests, benchmarks, `show`). */
  readonly table: SessionTable
  private policy!: Policy
  private readonly hooks: EngineHooks
  private readonly tracing: boolean
  /** The fast path is on: no tracing (it traces nothing) and no inspector (it inspects nothing). */
  private fastOn = false
  private readonly portNames: [string, string] | undefined
  private inspector: EngineInspector | undefined
  private readonly fs = new FrameSummary()
  private readonly res: ProcessResult = { action: 'drop', egress: PORT_UNKNOWN, reason: 'ok', sessionId: 0, dir: undefined, emits: [] }
  private readonly tcp: TcpTracker
  private tmoBase!: Float64Array
  /** Timeouts in force (base, or divided by the scaling factor under accelerated aging). */
  private tmo!: Float64Array
  private accel = false
  private accelAbove = Infinity
  private accelFactor = 2
  private readonly ctr = new Float64Array(COUNTER_COUNT)
  private clock = 0
  private readonly strs: string[] = ['']
  private readonly strIdx = new Map<string, number>([['', 0]])
  private rejectNonSyn = true
  private dropZeroFlag = true
  private bypass = false
  private resetBeforeHandshake = true
  private resetOnAgeOut: 'none' | 'client' | 'server' | 'both' = 'none'
  /** Builds, queues, counts and traces forged packets (forge.ts). */
  private readonly forge: Forger
  /** Which session the first fragment of a fragmented packet went to (fragments.ts). */
  private readonly frags: FragmentCache
  private readonly decodeReasons: string[] = DECODE_CODE_NAMES.map(n => `decode:${n}`)
  private readonly a4 = [new Uint8Array(4), new Uint8Array(4)]
  private readonly a16 = [new Uint8Array(16), new Uint8Array(16)]
  private readonly key: LookupKey = { fromZone: '', toZone: '', src: new Uint8Array(4), dst: new Uint8Array(4), proto: 0, sport: 0, dport: 0, app: undefined }
  /** Packets the fast path forwarded since the counters were cleared: part of pkt_recv and pkt_sent. */
  private fastCount = 0
  /** ... and before that. */
  private fastCountCleared = 0
  /** Configuration problems found when the policy was applied (e.g. icmp-unreachable without addresses). */
  warnings: string[] = []
  /** Zone protection (issue #15): present only when some zone has a profile, so without one nothing changes. */
  private zg: ZoneGuard | undefined
  /** discard-overlapping-tcp-segment-mismatch's per-session rings (made when a zone first asks). */
  private overlaps: OverlapStore | undefined
  private readonly seed: number
  /** Reconnaissance protection (scan-guard.ts): present only when some zone's profile has counting scan entries. */
  private sg: ScanGuard | undefined
  /** The current packet's ingress zone and its profile (set by processFull when `zg` is present). */
  private inZone = ''
  private inProfile: ZoneProtectionProfile | undefined
  /** The ingress zone's index in `sg`, or -1 (set with inProfile). */
  private inScan = -1

  constructor (opts: EngineOptions) {
    this.hooks = opts.hooks ?? {}
    this.tracing = this.hooks.trace !== undefined
    this.portNames = opts.portNames
    this.seed = opts.seed ?? 1
    // App-ID / threats (issue #6): the caller's inspector, else the default one when the policy needs it.
    this.inspector = opts.inspector
    if (this.inspector === undefined && InspectorHook.needed(opts.policy)) this.inspector = new InspectorHook(opts.policy)
    this.fastOn = !this.tracing && this.inspector === undefined
    this.table = new SessionTable(opts.policy.settings.session.maxSessions)
    this.table.inspectOn = this.inspector !== undefined
    this.tcp = new TcpTracker(this.table, opts.policy.settings.tcp.allowChallengeAck)
    this.frags = new FragmentCache(this.table)
    this.forge = new Forger(this.table, this.ctr, this.res, this.strs,
      this.tracing ? (timeUs, id, d) => { this.trace(timeUs, id, d) } : undefined)
    this.applyPolicy(opts.policy)
  }

  // ---- configuration --------------------------------------------------------------------------

  private applyPolicy (p: Policy): void {
    this.policy = p
    const s = p.settings
    this.tmoBase = timeoutsUs(s.session)
    this.accelFactor = s.session.acceleratedAgingScalingFactor
    this.accelAbove = s.session.acceleratedAging ? s.session.maxSessions * s.session.acceleratedAgingThreshold / 100 : Infinity
    this.table.max = Math.max(1, s.session.maxSessions)
    this.accel = false
    this.tmo = this.tmoBase
    this.updateAging()
    this.rejectNonSyn = s.session.tcpRejectNonSyn
    this.dropZeroFlag = s.tcp.dropZeroFlag
    this.bypass = s.tcp.asymmetricPath === 'bypass'
    this.tcp.allowChallengeAck = s.tcp.allowChallengeAck
    this.resetBeforeHandshake = s.emulator.resetBeforeHandshake
    this.resetOnAgeOut = s.emulator.resetOnAgeOut
    this.forge.configure(p)
    this.zg = ZoneGuard.needed(p) ? new ZoneGuard(p, this.seed, this.zg) : undefined
    // A policy change starts reconnaissance counting afresh: windows and blocks do not carry over.
    this.sg = ScanGuard.needed(p) ? new ScanGuard(p, this.ctr) : undefined
    this.inProfile = undefined
    this.inScan = -1
    this.warnings = []
    if (s.emulator.addresses.size === 0) {
      const rules = p.facts?.icmpUnreachable ?? p.rules.filter(r => r.icmpUnreachable).map(r => r.name)
      if (rules.length > 0) {
        this.warnings.push(`rules ${rules.join(', ')} have icmp-unreachable: yes but settings.emulator.addresses is empty: ` +
          'no ICMP unreachable will be sent (give the zones addresses; a virtual-wire or tap zone has none)')
      }
    }
  }

  /**
   * Replace the policy. With `rematch`, every ACTIVE session is looked up again; one that the new
   * policy blocks is reset per the new action with RSTs built from tracked state (see
   * docs/panos-model.md#actions-after-setup), goes to DISCARD, and logs subtype 'deny', end reason 'policy-deny'.
   * Returns the forged packets (the result object is the engine's reused one).
   */
  setPolicy (policy: Policy, opts: { rematch?: boolean, nowUs?: number } = {}): ProcessResult {
    const r = this.resetResult(PORT_UNKNOWN)
    this.applyPolicy(policy)
    if (this.inspector === undefined && InspectorHook.needed(policy)) {
      // Sessions already open stay uninspected; new ones are inspected from here on.
      this.inspector = new InspectorHook(policy); this.table.inspectOn = true
      this.fastOn = false
    } else if (this.inspector?.setPolicy !== undefined) this.inspector.setPolicy(policy)
    if (opts.rematch === true) {
      const now = this.tick(opts.nowUs ?? this.clock)
      const t = this.table
      for (const s of t.liveSlots()) {
        if (t.state[s] !== SessState.ACTIVE) continue
        const m = this.lookupStored(s)
        t.rule[s] = this.intern(m.ruleName)
        t.action[s] = actionIndex(m.action)
        if (this.inspector?.rule !== undefined && t.inspect[s] !== undefined) this.inspector.rule(t.inspect[s], m.ruleName)
        if (m.action === 'allow' || m.tentative === true) continue
        if (this.tracing) this.trace(now, t.id[s], { kind: 'rematch', rule: m.ruleName, action: m.action })
        this.blockLate(s, m, 'rule change', End.POLICY_DENY, now)
      }
    }
    r.reason = 'policy'
    return r
  }

  // ---- packets --------------------------------------------------------------------------------

  /** Process one frame that arrived on `port` at `nowUs`. The result object is reused per call. */
  process (frame: Buffer, port: Port, nowUs: number, linkType: number = LinkType.ETHERNET): ProcessResult {
    return this.processAt(frame, 0, frame.length, port, nowUs, linkType)
  }

  /**
   * `process` for the frame `buf[off, off + len)`, for a caller holding frames inside a larger buffer
   * (the replay's read chunk). The same result; the fast path reads the frame where it lies, and only
   * frames it does not take are cut out as their own Buffer.
   */
  processAt (buf: Buffer, off: number, len: number, port: Port, nowUs: number, linkType: number = LinkType.ETHERNET): ProcessResult {
    // Kept this small so V8 can inline it into the caller's loop: the fast path is then one call.
    if (linkType === LinkType.ETHERNET && this.fastOn) {
      // The time goes in a field, not as an argument: a µs timestamp is not a small integer, and
      // passed to a call V8 does not inline it becomes a new heap number per frame (16 MB per 1 M).
      this.fastNowUs = nowUs
      const fr = this.fastAck(buf, off, len, port)
      if (fr !== undefined) return fr
    }
    return this.processFull(off === 0 && len === buf.length ? buf : buf.subarray(off, off + len), port, nowUs, linkType)
  }

  processEstablished (frame: Buffer, port: Port, nowUs: number): ProcessResult | undefined {
    if (!this.fastOn) return undefined
    this.fastNowUs = nowUs
    return this.fastAck(frame, 0, frame.length, port)
  }

  /** The full path: decode the frame and handle it from scratch. */
  private processFull (frame: Buffer, port: Port, nowUs: number, linkType: number): ProcessResult {
    const r = this.resetResult(port === PORT_UNKNOWN ? PORT_UNKNOWN : 1 - port)
    const now = this.tick(nowUs)
    const ctr = this.ctr
    ctr[Ctr.PKT_RECV]++
    const fs = decodeFrame(frame, linkType, this.fs)
    if (this.tracing) this.trace(now, 0, { kind: 'recv', port, packet: formatSummary(fs) })
    const err = fs.error
    if (err !== DecodeCode.OK) {
      ctr[Ctr.DECODE_BASE + err - 1]++
      if (err !== DecodeCode.TCP_BAD_OPTIONS && err !== DecodeCode.TCP_BAD_FLAGS) {
        r.reason = this.decodeReasons[err] ?? 'decode:unknown'
        if (this.tracing) this.trace(now, 0, { kind: 'malformed', code: DECODE_CODE_NAMES[err] ?? String(err), offset: fs.errorOffset, counter: decodeCounterName(err) })
        return r
      }
    }
    if (fs.ipVersion === 0) {
      // Virtual wire: ARP, LLDP and other non-IP frames pass unchanged, without a session (see docs/panos-model.md#virtual-wire).
      ctr[Ctr.PKT_NON_IP]++
      return this.forward(r, now, 0, this.tracing ? { kind: 'non-ip-passed', etherType: fs.etherType } : undefined, 'non-ip')
    }
    if (this.zg !== undefined) {
      this.inZone = this.zoneFor(port, frame, fs.srcOff, fs.addrLen, 0)
      const zp = this.inProfile = this.zg.profile(this.inZone)
      if (zp !== undefined) {
        const c = this.packetChecks(zp, fs, now)
        if (c >= 0) {
          ctr[c]++
          return this.drop(r, now, 0, this.tracing ? { kind: 'zp-discard', zone: this.inZone, profile: zp.name, counter: counterDefs[c]!.name } : undefined, counterDefs[c]!.name)
        }
      }
      const sg = this.sg
      const zi = this.inScan = sg === undefined || zp === undefined ? -1 : sg.zoneIndex(this.inZone)
      if (zi >= 0 && sg!.blocking(zi)) {
        const ty = sg!.blocked(zi, fs, now)
        if (ty >= 0) {
          ctr[Ctr.ZP_SCAN_DROP]++
          return this.drop(r, now, 0, this.tracing ? { kind: 'zp-scan-drop', threat: SCAN_THREATS[ty]![0], zone: this.inZone, src: formatIp(frame, fs.srcOff, fs.addrLen), dst: formatIp(frame, fs.dstOff, fs.addrLen), trigger: false } : undefined, 'flow_zp_scan_drop')
        }
      }
    }
    if (fs.isFragment && fs.fragOffset !== 0) return this.fragment(fs, now)

    const proto = fs.proto
    let sp = 0
    let dp = 0
    if (proto === IPPROTO_TCP) {
      const fl = fs.tcpFlags
      if ((fl & (TcpFlag.SYN | TcpFlag.FIN)) === (TcpFlag.SYN | TcpFlag.FIN)) {
        ctr[Ctr.FLOW_PARSE_L4_TCPSYNFIN]++
        return this.drop(r, now, 0, this.tracing ? { kind: 'syn-fin' } : undefined, 'flow_parse_l4_tcpsynfin')
      }
      if ((fl & 0x1ff) === 0 && this.dropZeroFlag) {
        ctr[Ctr.TCP_FLAG_ZERO]++
        return this.drop(r, now, 0, this.tracing ? { kind: 'zero-flags' } : undefined, 'tcp_flag_zero')
      }
      sp = fs.srcPort; dp = fs.dstPort
    } else if (proto === IPPROTO_UDP) {
      sp = fs.srcPort; dp = fs.dstPort
    } else if ((proto === IPPROTO_ICMP && fs.ipVersion === 4) || (proto === IPPROTO_ICMPV6 && fs.ipVersion === 6)) {
      const v6 = fs.ipVersion === 6
      if (isIcmpError(v6, fs.icmpType)) return this.icmpError(fs, now)
      if (isEcho(v6, fs.icmpType)) { sp = (frame[fs.l4Off + 4] << 8) | frame[fs.l4Off + 5]; dp = sp }
    }

    const t = this.table
    const e = t.find(frame, fs.srcOff, fs.dstOff, fs.addrLen, proto, sp, dp)
    if (e >= 0) {
      const s = e >> 1
      const st = t.state[s]
      if (st === SessState.DISCARD) return this.discardPacket(s, e & 1, fs, port, now)
      if (st === SessState.ACTIVE) return this.activePacket(s, e & 1, fs, port, now, sp, dp)
      // CLOSING / CLOSED: "a matching packet ignores it and is queued to create a new session"
      // (KB "Session States and Types", see docs/panos-model.md#session-states): end the old one now and treat the packet as new. A SYN doing so is a
      // reuse (its end reason only shows when nothing better, e.g. a RST, was recorded).
      const reuse = proto === IPPROTO_TCP && (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN
      if (reuse) this.ctr[Ctr.TCP_SESSION_REUSE]++
      this.endSession(s, reuse ? End.REUSE : End.UNKNOWN, now)
    }
    return this.newSession(fs, port, now, sp, dp)
  }

  /** fastAck's time (set by its callers; see processAt). */
  private fastNowUs = 0.5

  /**
   * The fast path: a plain IPv4 TCP segment (wire/plain-tcp4.ts) with ACK and without SYN or RST,
   * on an ACTIVE, window-tracked session, that the TCP checks forward. That is every packet of a
   * connection after the SYN-ACK up to its close, and for it the full path does only: the TCP
   * check and its updates (plus timers and end reasons for what the segment did, e.g. a FIN),
   * packet/byte counters, the timer touch and the payload flag, then forwards. This does the same
   * without decoding the frame into the FrameSummary, reading the few header fields it needs
   * straight from the frame. An established session's ACK takes `establishedAck`, the rest `check`.
   *
   * It returns undefined, having changed nothing (the TCP checks change nothing when they do not
   * forward), for anything else: another shape, no session, another state, the server's MAC not
   * yet learned, a failed check, tracing on, an inspector present. `process` then takes the full
   * path, which handles the packet from scratch. test/engine/fast-path.test.ts runs traffic through
   * engines with and without it and compares every result, counter, session and log line.
   */
  private fastAck (frame: Buffer, o: number, len: number, port: Port): ProcessResult | undefined {
    const nowUs = this.fastNowUs
    const plen = plainTcp4PayloadLen(frame, o, len)
    if (plen < 0) return undefined
    const L4 = o + PLAIN_TCP4_L4
    const fl = frame[L4 + 13]!
    if ((fl & (TcpFlag.SYN | TcpFlag.RST | TcpFlag.ACK)) !== TcpFlag.ACK) return undefined
    const sp = (frame[L4]! << 8) | frame[L4 + 1]!
    const dp = (frame[L4 + 2]! << 8) | frame[L4 + 3]!
    const t = this.table
    const e = t.find4(frame, o + 26, o + 30, IPPROTO_TCP, sp, dp)
    if (e < 0) return undefined
    const s = e >> 1
    const d = e & 1
    const flags = t.flags[s]
    if (t.state[s] !== SessState.ACTIVE || (flags & (SF.LIBERAL | SF.SLOW)) !== 0 || (d === 1 && (flags & SF.SERVER_MAC) === 0)) return undefined
    const tcp = this.tcp
    const v = t.tcpSt[s] === TcpSt.ESTABLISHED && (fl & TcpFlag.FIN) === 0
      ? tcp.establishedAck(s, d, frame, L4, plen)
      : tcp.check(s, d, fl | ((frame[L4 + 12]! & 1) << 8), readU32(frame, L4 + 4), readU32(frame, L4 + 8),
        (frame[L4 + 14]! << 8) | frame[L4 + 15]!, plen, -1)
    if (v !== TcpVerdict.FORWARD) return undefined
    // Committed: from here on exactly what process → activePacket → forward do for this packet.
    const now = this.tick(nowUs)
    if (tcp.ev !== TcpEv.NONE) this.tcpEvent(s, d, now)
    const r = this.res
    r.action = 'forward'
    r.egress = port === PORT_UNKNOWN ? PORT_UNKNOWN : 1 - port
    r.reason = 'ok'
    r.sessionId = t.id[s]
    r.dir = d === 0 ? 'c2s' : 's2c'
    if (r.emits.length !== 0) r.emits = []
    this.fastCount++ // pkt_recv and pkt_sent, added in counters()
    t.countPacket(s, d, len)
    if (t.tcpSt[s] !== TcpSt.TIME_WAIT) t.touch(s, now) // time-wait runs from its cause, not from the last packet
    if (plen > 0) t.flags[s] |= d === 0 ? SF.PAYLOAD_C2S : SF.PAYLOAD_S2C
    return r
  }

  private activePacket (s: number, d: number, fs: FrameSummary, port: Port, now: number, sp: number, dp: number): ProcessResult {
    const t = this.table
    const r = this.res
    r.sessionId = t.id[s]
    r.dir = d === 0 ? 'c2s' : 's2c'
    // The sender's next sequence number before this segment: lets the inspector skip retransmitted
    // bytes, and is where a blocked segment's sender really is when RSTs are forged after it.
    let expected = -1
    if (fs.proto === IPPROTO_TCP) {
      const cookie = (t.flags[s] & SF.SYNCOOKIE) !== 0
      if (cookie) {
        const done = this.cookiePacket(s, d, fs, port, now)
        if (done !== undefined) return done
      }
      const zp = this.inProfile
      if (zp !== undefined && zp.discardTcpSplitHandshake && d === 1 && t.tcpSt[s] === TcpSt.SYN_SENT &&
          (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) !== (TcpFlag.SYN | TcpFlag.ACK) && (fs.tcpFlags & TcpFlag.RST) === 0) {
        // The server answers the SYN with a SYN or a bare ACK: a split (4/5-way) handshake or simultaneous open.
        this.ctr[Ctr.ZP_SPLIT_HANDSHAKE]++
        return this.drop(r, now, t.id[s], this.tracing ? { kind: 'zp-split-handshake', profile: zp.name } : undefined, 'flow_zp_tcp_split_handshake')
      }
      // Only the inspector uses it: sessions without one skip the two reads.
      if (this.inspector !== undefined && t.tracked(s, d)) expected = t.nextSeq(s, d)
      const v = this.tcp.checkFrame(s, d, fs)
      if (v === TcpVerdict.FORWARD) {
        if (this.tcp.ev !== TcpEv.NONE) this.tcpEvent(s, d, now)
      } else if (v === TcpVerdict.REUSE) {
        // A SYN on a session in time-wait replaces it (see docs/panos-model.md#session-reuse).
        this.ctr[Ctr.TCP_SESSION_REUSE]++
        if (this.tracing) this.trace(now, t.id[s], { kind: 'reuse' })
        this.endSession(s, End.REUSE, now)
        return this.newSession(fs, port, now, sp, dp)
      } else if (v === TcpVerdict.DROP_OUT_OF_WINDOW && this.bypassHere()) {
        this.ctr[Ctr.TCP_OUT_OF_WND_BYPASS]++
      } else {
        return this.tcpDrop(v, s, now)
      }
      // The client's acknowledgments (and SACK blocks) of the server's data: back into the server's numbering.
      if (zp !== undefined && zp.discardOverlappingTcpSegmentMismatch && fs.payloadLen > 0 && this.overlapMismatch(s, d, fs)) {
        this.ctr[Ctr.ZP_TCP_OVERLAP_MISMATCH]++
        return this.drop(r, now, t.id[s], this.tracing ? { kind: 'zp-overlap-mismatch', profile: zp.name, seq: fs.seq, len: fs.payloadLen } : undefined, 'flow_zp_tcp_overlap_mismatch')
      }
      if (cookie && d === 0 && (fs.tcpFlags & TcpFlag.ACK) !== 0) translate(fs, 'ack', -t.seqDelta[s])
    }
    if (d === 1 && (t.flags[s] & SF.SERVER_MAC) === 0 && fs.ethOff >= 0) t.learnServerMac(s, fs.frame, fs.ethOff)
    t.countPacket(s, d, fs.frame.length)
    // Time-wait runs from the second FIN or the exact RST (setTimer stamped it then); late packets
    // (a retransmitted FIN, the last ACK) do not restart it (docs/engine.md, "Time-wait").
    if (t.tcpSt[s] !== TcpSt.TIME_WAIT) t.touch(s, now)
    if (fs.payloadLen > 0) {
      t.flags[s] |= d === 0 ? SF.PAYLOAD_C2S : SF.PAYLOAD_S2C
      if (this.inspector !== undefined && t.inspect[s] !== undefined && this.inspectPayload(s, d, fs, now, expected)) return r
    }
    if (fs.isFragment) this.frags.remember(fs, s)
    return this.forward(r, now, t.id[s], this.tracing ? { kind: 'forwarded', dir: r.dir! } : undefined, 'ok')
  }

  /** Timers, end reasons and counters for what a forwarded TCP segment did. */
  private tcpEvent (s: number, d: number, now: number): void {
    const t = this.table
    const id = t.id[s]
    switch (this.tcp.ev) {
      case TcpEv.SYN_NEW_ISN:
        t.setTimer(s, TimerClass.TCP_INIT, now)
        if (this.tracing) this.trace(now, id, { kind: 'syn-new-isn' })
        break
      case TcpEv.SYNACK:
        t.setTimer(s, TimerClass.TCP_HANDSHAKE, now)
        if (this.tracing) this.trace(now, id, { kind: 'syn-ack' })
        break
      case TcpEv.ESTABLISHED:
        t.setTimer(s, TimerClass.TCP, now)
        if (this.tracing) this.trace(now, id, { kind: 'established' })
        break
      case TcpEv.FIN_FIRST:
        this.recordEnd(s, End.FIN)
        t.setTimer(s, TimerClass.TCP_HALF_CLOSED, now)
        if (this.tracing) this.trace(now, id, { kind: 'fin-first', from: d === 0 ? 'client' : 'server' })
        break
      case TcpEv.FIN_SECOND:
        this.recordEnd(s, End.FIN)
        t.setTimer(s, TimerClass.TCP_TIME_WAIT, now)
        if (this.tracing) this.trace(now, id, { kind: 'fin-second' })
        break
      case TcpEv.RST_EXACT:
        this.recordEnd(s, d === 0 ? End.RST_CLIENT : End.RST_SERVER)
        t.setTimer(s, TimerClass.TCP_TIME_WAIT, now)
        if (this.tracing) this.trace(now, id, { kind: 'rst-exact', from: d === 0 ? 'client' : 'server' })
        break
      case TcpEv.RST_IN_WINDOW:
        this.recordEnd(s, d === 0 ? End.RST_CLIENT : End.RST_SERVER)
        t.setTimer(s, TimerClass.TCP_UNVERIFIED_RST, now)
        if (this.tracing) this.trace(now, id, { kind: 'rst-in-window', from: d === 0 ? 'client' : 'server' })
        break
      case TcpEv.UNVERIFIED_CLEARED:
        t.endReason[s] = End.NONE
        t.setTimer(s, TimerClass.TCP, now)
        if (this.tracing) this.trace(now, id, { kind: 'unverified-cleared' })
        break
      case TcpEv.CHALLENGE_ACK:
        this.ctr[Ctr.TCP_CHALLENGE_ACK]++
        if (this.tracing) this.trace(now, id, { kind: 'challenge-ack', ack: t.challengeAck(s) })
        break
      case TcpEv.CHALLENGE_RST_ALLOWED:
        this.ctr[Ctr.TCP_CHALLENGE_ACK_RST_ALLOWED]++
        this.recordEnd(s, End.RST_CLIENT)
        t.state[s] = SessState.CLOSING
        t.setTimer(s, TimerClass.CLOSING, now)
        if (this.tracing) this.trace(now, id, { kind: 'challenge-rst-allowed' })
        break
      default:
        break
    }
  }

  private tcpDrop (v: number, s: number, now: number): ProcessResult {
    const ctr = this.ctr
    const id = this.table.id[s]
    const r = this.res
    ctr[Ctr.TCP_DROP_PACKET]++
    switch (v) {
      case TcpVerdict.DROP_INVALID_RST_FIN:
        ctr[Ctr.TCP_DROP_OUT_OF_WND]++
        return this.drop(r, now, id, this.tracing ? { kind: 'invalid-rst-fin', bound: this.tcp.failed } : undefined, 'tcp_drop_out_of_wnd')
      case TcpVerdict.DROP_INVALID_ACK:
        ctr[Ctr.TCP_INVALID_ACK]++
        return this.drop(r, now, id, this.tracing ? { kind: 'invalid-syn-ack' } : undefined, 'tcp_invalid_ack')
      case TcpVerdict.DROP_OUT_OF_SYNC:
        ctr[Ctr.TCP_OUT_OF_SYNC]++
        return this.drop(r, now, id, this.tracing ? { kind: 'out-of-sync', tcpState: TCP_STATE_NAMES[this.table.tcpSt[s]] } : undefined, 'tcp_out_of_sync')
      default:
        ctr[Ctr.TCP_DROP_OUT_OF_WND]++
        return this.drop(r, now, id, this.tracing ? { kind: 'out-of-window', bound: this.tcp.failed } : undefined, 'tcp_drop_out_of_wnd')
    }
  }

  private newSession (fs: FrameSummary, port: Port, now: number, sp: number, dp: number): ProcessResult {
    const r = this.res
    const t = this.table
    const ctr = this.ctr
    const proto = fs.proto
    const isTcp = proto === IPPROTO_TCP
    let liberal = false
    // Zone protection (issue #15): flood protection for packets that match no session, SYN cookies.
    const zp = this.inProfile
    let cookieMss = -1
    if (zp !== undefined) {
      // Reconnaissance protection counts every packet that could start a session, before flood protection.
      const zi = this.inScan
      if (zi >= 0 && !this.sg!.whiteListed(zi, this.key.src)) {
        const mask = this.sg!.observe(zi, fs, now)
        if (mask !== 0 && this.scanAlarm(fs, zp, zi, mask, now)) {
          ctr[Ctr.ZP_SCAN_DROP]++
          return this.drop(r, now, 0, this.tracing ? { kind: 'zp-scan-drop', threat: '', zone: this.inZone, src: formatIp(fs.frame, fs.srcOff, fs.addrLen), dst: formatIp(fs.frame, fs.dstOff, fs.addrLen), trigger: true } : undefined, 'flow_zp_scan_drop')
        }
      }
      const syn = zp.flood['tcp-syn']
      if (isTcp && syn.enable && syn.action === 'syn-cookies' && (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) === TcpFlag.ACK) {
        cookieMss = this.zg!.checkCookie(fs, now)
        if (cookieMss >= 0) ctr[Ctr.FLOW_DOS_SYNCOOKIE_ACK_VALID]++
        else ctr[Ctr.FLOW_DOS_SYNCOOKIE_ACK_INVALID]++
        if (this.tracing) {
          this.trace(now, 0, { kind: 'zp-cookie-ack', mss: cookieMss >= 0 ? COOKIE_MSS[cookieMss]! : -1 })
        }
      }
      const ft = floodType(fs)
      if (ft !== Flood.NONE) {
        const v = this.zg!.flood(this.inZone, zp, ft, now)
        if (this.zg!.logDue) this.floodLog(fs, ft, v, zp, now)
        if (v === FloodVerdict.RED_DROP || v === FloodVerdict.MAX_DROP) {
          const c = (v === FloodVerdict.RED_DROP ? Ctr.FLOW_DOS_RED_BASE : Ctr.FLOW_DOS_MAX_BASE) + ft
          ctr[c]++
          return this.drop(r, now, 0, this.tracing ? { kind: 'zp-flood-drop', flood: FLOOD_KEYS[ft]!, zone: this.inZone, rate: Math.round(this.zg!.rate), red: v === FloodVerdict.RED_DROP, maximalRate: zp.flood[FLOOD_KEYS[ft]!].maximalRate, counter: counterDefs[c]!.name } : undefined, counterDefs[c]!.name)
        }
        if (v === FloodVerdict.COOKIE) return this.sendCookie(fs, port, now)
      }
    }
    const rejectNonSyn = zp === undefined || zp.tcpRejectNonSyn === 'global' ? this.rejectNonSyn : zp.tcpRejectNonSyn === 'yes'
    if (isTcp && cookieMss < 0 && (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) !== TcpFlag.SYN) {
      ctr[Ctr.FLOW_TCP_NON_SYN]++
      if (rejectNonSyn) {
        // tcp-reject-non-syn yes (PAN-OS default): no session is created (see docs/panos-model.md#reject-non-syn).
        ctr[Ctr.FLOW_TCP_NON_SYN_DROP]++
        return this.drop(r, now, 0, this.tracing ? { kind: 'non-syn-no-session' } : undefined, 'flow_tcp_non_syn_drop')
      }
      liberal = true
    }
    const key = this.key
    const fromZone = this.zoneFor(port, fs.frame, fs.srcOff, fs.addrLen, 0)
    const toZone = this.zoneFor(port === PORT_UNKNOWN ? PORT_UNKNOWN : 1 - port, fs.frame, fs.dstOff, fs.addrLen, 1)
    key.fromZone = fromZone
    key.toZone = toZone
    key.proto = proto
    key.sport = sp
    key.dport = dp
    key.app = undefined
    if (t.isFull()) {
      ctr[Ctr.SESSION_ALLOC_FAILURE]++
      if (this.hooks.trafficLog !== undefined) this.hooks.trafficLog(refusedRecord(fs, fromZone, toZone, sp, dp, now))
      return this.drop(r, now, 0, this.tracing ? { kind: 'table-full', maxSessions: t.max } : undefined, 'session_alloc_failure')
    }
    const m = this.policy.lookup(key)
    const s = t.alloc(fs.frame, fs.srcOff, fs.dstOff, fs.addrLen, proto, sp, dp)
    ctr[Ctr.SESSION_ALLOCATED]++
    const id = t.id[s]
    r.sessionId = id
    r.dir = 'c2s'
    t.startUs[s] = now
    t.rule[s] = this.intern(m.ruleName)
    t.action[s] = actionIndex(m.action)
    t.fromZone[s] = this.intern(fromZone)
    t.toZone[s] = this.intern(toZone)
    t.link[s] = fs.ethOff >= 0 ? LinkType.ETHERNET : LinkType.RAW
    t.clientPort[s] = port
    if (fs.ethOff >= 0) t.setMacs(s, fs.frame, fs.ethOff)
    t.setVlans(s, fs.vlanCount, fs.vlanTci0, fs.vlanTci1)
    if (m.icmpUnreachable) t.flags[s] |= SF.ICMP_UNREACH
    if ((proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) && isEcho(fs.ipVersion === 6, fs.icmpType)) t.flags[s] |= SF.ECHO
    t.countFirst(s, fs.frame.length)
    if (fs.payloadLen > 0) t.flags[s] |= SF.PAYLOAD_C2S
    this.updateAging()

    if (this.zg !== undefined && (perPacketWork(this.zg.profile(fromZone)) || perPacketWork(this.zg.profile(toZone)))) t.flags[s] |= SF.SLOW
    if (m.action !== 'allow' && m.tentative !== true) return this.blockAtSetup(s, m, fs, port, now, cookieMss >= 0)

    t.state[s] = SessState.ACTIVE
    ctr[Ctr.SESSION_INSTALLED]++
    if (m.tentative === true) t.flags[s] |= SF.TENTATIVE
    if (cookieMss >= 0) return this.cookieSession(s, fs, cookieMss, now)
    let cls: number
    if (isTcp) {
      if (liberal) { this.tcp.initLiberal(s, 0, fs.seq, fs.payloadLen, fs.tcpFlags); cls = TimerClass.TCP } else {
        this.tcp.initClient(s, fs.seq, fs.window, fs.wscale, fs.payloadLen)
        cls = TimerClass.TCP_INIT
      }
    } else if (proto === IPPROTO_UDP) cls = TimerClass.UDP
    else if (proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) cls = TimerClass.ICMP
    else cls = TimerClass.DEFAULT
    t.setTimer(s, cls, now)
    if (this.tracing) {
      this.trace(now, id, { kind: 'policy-allow', flow: flowOf(this.table, s), fromZone, toZone, rule: m.ruleName, tentative: m.tentative === true })
      this.trace(now, id, { kind: 'session-created', timer: TIMER_CLASS_NAMES[cls]!, timeoutS: this.tmo[cls] / US, tcp: isTcp ? (liberal ? 'mid-stream' : 'syn-sent') : undefined })
    }
    if (this.inspector !== undefined) {
      t.inspect[s] = this.inspector.open({ sessionId: id, proto, sport: sp, dport: dp, rule: m.ruleName, tentative: m.tentative === true })
      // Data on the first packet (SYN with data, or a mid-stream pickup): its seq is where it starts.
      const first = isTcp ? ((fs.tcpFlags & TcpFlag.SYN) !== 0 ? seqAdd(fs.seq, 1) : fs.seq) : -1
      if (fs.payloadLen > 0 && t.inspect[s] !== undefined && this.inspectPayload(s, 0, fs, now, first)) return r
    }
    if (fs.isFragment) this.frags.remember(fs, s)
    return this.forward(r, now, id, this.tracing ? { kind: 'forwarded', dir: 'c2s' } : undefined, 'ok')
  }

  /** A rule blocks the first packet of a session (see docs/panos-model.md#actions-at-setup). */
  private blockAtSetup (s: number, m: RuleMatch, fs: FrameSummary, port: Port, now: number, cookie = false): ProcessResult {
    const t = this.table
    const r = this.res
    const id = t.id[s]
    const proto = fs.proto
    t.state[s] = SessState.DISCARD
    t.app[s] = this.intern('not-applicable')
    t.setTimer(s, this.discardClass(proto), now)
    this.recordEnd(s, End.POLICY_DENY)
    this.ctr[Ctr.FLOW_POLICY_DENY]++
    if (this.tracing) {
      this.trace(now, id, { kind: 'policy-block', flow: flowOf(this.table, s), fromZone: this.strs[t.fromZone[s]], toZone: this.strs[t.toZone[s]], rule: m.ruleName, action: m.action })
    }
    // `deny` at setup = silent drop: a port-based rule's default deny (docs/panos-model.md#actions-at-setup) or interzone-default.
    const a = m.action
    if (proto === IPPROTO_TCP && (a === 'reset-client' || a === 'reset-both' || a === 'reset-server')) {
      if (a === 'reset-server') {
        if (this.tracing) this.trace(now, id, { kind: 'reset-server-at-syn' })
      } else if (this.resetBeforeHandshake) {
        // After a SYN cookie the client is established at the cookie: the RST must carry seq = its RCV.NXT (the ACK's ack).
        this.forge.synRst(fs, port, m.ruleName, a, now, id, cookie ? fs.ack : 0)
      } else if (this.tracing) {
        this.trace(now, id, { kind: 'reset-suppressed' })
      }
    } else if (m.icmpUnreachable && this.forge.icmpForProto(proto, now, id)) {
      // No ICMP for TCP with a reset action; drop/deny/reset-* on anything else may send one.
      this.forge.icmpUnreachable(fs, s, port, m.ruleName, a, now)
    }
    if (this.tracing) this.trace(now, id, { kind: 'discard-at-setup', timer: TIMER_CLASS_NAMES[this.discardClass(proto)]! })
    r.reason = 'policy-deny'
    r.action = 'drop'
    return r
  }

  private discardPacket (s: number, d: number, fs: FrameSummary, port: Port, now: number): ProcessResult {
    const t = this.table
    const r = this.res
    const id = t.id[s]
    r.sessionId = id
    r.dir = d === 0 ? 'c2s' : 's2c'
    t.countPacket(s, d, fs.frame.length)
    t.touch(s, now)
    this.ctr[Ctr.SESSION_DISCARD]++
    if (d === 0 && (t.flags[s] & SF.BLOCKED_LATE) === 0) {
      const a = t.action[s]
      const isTcp = fs.proto === IPPROTO_TCP
      if (isTcp && (a === Act.RESET_CLIENT || a === Act.RESET_BOTH)) {
        if ((fs.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && this.resetBeforeHandshake) {
          this.forge.synRst(fs, port, this.strs[t.rule[s]], ACTIONS[a], now, id)
        }
      } else if ((t.flags[s] & SF.ICMP_UNREACH) !== 0 && !(isTcp && a === Act.RESET_SERVER) && this.forge.icmpForProto(fs.proto, now, id)) {
        this.forge.icmpUnreachable(fs, s, port, this.strs[t.rule[s]], ACTIONS[a], now)
      }
    }
    return this.drop(r, now, id, this.tracing ? { kind: 'discard-drop', rule: this.strs[t.rule[s]] } : undefined, 'session_discard')
  }

  /** ICMP error: forwarded with the session of the packet it quotes, else dropped. */
  private icmpError (fs: FrameSummary, now: number): ProcessResult {
    const r = this.res
    const f = fs.frame
    const o = fs.icmpInnerOff
    const n = f.length
    let iproto = -1; let isrc = 0; let idst = 0; let alen = 0; let l4 = 0
    if (o >= 0 && o < n) {
      const v = f[o] >> 4
      if (v === 4 && fs.ipVersion === 4 && o + 20 <= n) {
        iproto = f[o + 9]; isrc = o + 12; idst = o + 16; alen = 4; l4 = o + ((f[o] & 15) << 2)
      } else if (v === 6 && fs.ipVersion === 6 && o + 40 <= n) {
        iproto = f[o + 6]; isrc = o + 8; idst = o + 24; alen = 16; l4 = o + 40
      }
    }
    let e = -1
    if (iproto >= 0) {
      let isp = 0; let idp = 0; let ok = true
      if (iproto === IPPROTO_TCP || iproto === IPPROTO_UDP) {
        if (l4 + 4 <= n) { isp = (f[l4] << 8) | f[l4 + 1]; idp = (f[l4 + 2] << 8) | f[l4 + 3] } else ok = false
      } else if (iproto === IPPROTO_ICMP || iproto === IPPROTO_ICMPV6) {
        if (l4 + 8 <= n) {
          if (isEcho(alen === 16, f[l4])) { isp = (f[l4 + 4] << 8) | f[l4 + 5]; idp = isp }
        } else ok = false
      }
      if (ok) e = this.table.find(f, isrc, idst, alen, iproto, isp, idp)
    }
    const t = this.table
    if (e < 0 || t.state[e >> 1] !== SessState.ACTIVE) {
      this.ctr[Ctr.FLOW_ICMP_ERR_NO_SESSION]++
      return this.drop(r, now, 0, this.tracing ? { kind: 'icmp-error-no-session', icmpType: fs.icmpType, icmpCode: fs.icmpCode } : undefined, 'flow_icmp_err_no_session')
    }
    const s = e >> 1
    const d = 1 - (e & 1) // the error travels back toward the quoted packet's sender
    r.sessionId = t.id[s]
    r.dir = d === 0 ? 'c2s' : 's2c'
    t.countPacket(s, d, n)
    return this.forward(r, now, t.id[s], this.tracing ? { kind: 'icmp-error-forwarded', icmpType: fs.icmpType, icmpCode: fs.icmpCode } : undefined, 'ok')
  }

  private fragment (fs: FrameSummary, now: number): ProcessResult {
    const r = this.res
    const t = this.table
    const s = this.frags.find(fs)
    if (s >= 0 && t.state[s] === SessState.ACTIVE) {
      this.ctr[Ctr.FLOW_IPFRAG_FWD]++
      const f = fs.frame
      let d = 0
      for (let w = 0; w < fs.addrLen >> 2; w++) {
        const o = fs.srcOff + 4 * w
        if (t.addrWord(s, 0, w) !== ((f[o]! << 24) | (f[o + 1]! << 16) | (f[o + 2]! << 8) | f[o + 3]!)) { d = 1; break }
      }
      r.sessionId = t.id[s]
      r.dir = d === 0 ? 'c2s' : 's2c'
      t.countPacket(s, d, fs.frame.length)
      return this.forward(r, now, t.id[s], this.tracing ? { kind: 'fragment-forwarded', offset: fs.fragOffset } : undefined, 'ok')
    }
    this.ctr[Ctr.FLOW_IPFRAG_NO_SESSION]++
    return this.drop(r, now, 0, this.tracing ? { kind: 'fragment-no-session', offset: fs.fragOffset, ipId: fs.ipId } : undefined, 'flow_ipfrag_no_session')
  }

  // ---- zone protection (issue #15, docs/zone-protection.md) ------------------------------------

  /**
   * Packet-based attack protection for a packet entering a zone with profile `zp`: returns the counter
   * of the discard that applies, or -1. Rewrites (remove-tcp-timestamp, strip-mptcp-option,
   * strip-tcp-fast-open-and-data) change the frame in place, checksums fixed, and count themselves.
   */
  private packetChecks (zp: ZoneProtectionProfile, fs: FrameSummary, now: number): number {
    const f = fs.frame
    if (zp.discardIpFrag && fs.isFragment) return Ctr.ZP_IP_FRAG
    if (zp.discardIpSpoof && (this.policy.zoneOfAddress(this.key.src) ?? '') !== this.inZone) return Ctr.ZP_IP_SPOOF
    if (zp.strictIpCheck && (strictIpBad(f, fs.srcOff, fs.addrLen, true) || strictIpBad(f, fs.dstOff, fs.addrLen, false) ||
        this.ownAddress(f, fs.srcOff, fs.addrLen) || this.ownAddress(f, fs.dstOff, fs.addrLen) || this.ingressBroadcast(f, fs.srcOff, fs.addrLen))) return Ctr.ZP_STRICT_IP
    const io = ipOptions(fs, zp)
    if (io !== IpOpt.OK) return io === IpOpt.MALFORMED ? Ctr.ZP_IP_MALFORMED_OPTION : io === IpOpt.UNKNOWN ? Ctr.ZP_IP_UNKNOWN_OPTION : Ctr.ZP_IP_OPTION
    const proto = fs.proto
    const v6 = fs.ipVersion === 6
    if ((proto === IPPROTO_ICMP && !v6) || (proto === IPPROTO_ICMPV6 && v6)) {
      if (zp.discardIcmpFrag && fs.isFragment) return Ctr.ZP_ICMP_FRAG
      if (zp.discardIcmpLargePacket && fs.ipLen > 1024) return Ctr.ZP_ICMP_LARGE
      if (fs.fragOffset === 0 && fs.icmpType >= 0) {
        if (zp.discardIcmpError && isIcmpError(v6, fs.icmpType)) return Ctr.ZP_ICMP_ERROR
        if (zp.discardIcmpPingZeroId && fs.icmpType === (v6 ? 128 : 8) && fs.l4Off >= 0 && f.length >= fs.l4Off + 6 &&
            f[fs.l4Off + 4] === 0 && f[fs.l4Off + 5] === 0) return Ctr.ZP_ICMP_PING_ZERO_ID
      }
      return -1
    }
    if (proto !== IPPROTO_TCP || fs.l4Off < 0 || fs.fragOffset !== 0) return -1
    // Rewriting needs the whole packet (a cut capture cannot get a correct checksum).
    const whole = fs.l3Off + fs.ipLen <= f.length && !fs.isFragment
    const fl = fs.tcpFlags
    if ((fl & TcpFlag.SYN) !== 0) {
      if (zp.stripTcpFastOpenAndData && whole && (fl & TcpFlag.ACK) === 0 && hasTfo(fs) && stripTfoAndData(fs)) {
        this.ctr[Ctr.ZP_TFO_STRIPPED]++
        if (this.tracing) this.trace(now, 0, { kind: 'zp-rewrite', profile: zp.name, option: 'strip-tcp-fast-open-and-data' })
      }
      if (fs.payloadLen > 0) {
        if ((fl & TcpFlag.ACK) === 0 ? zp.discardTcpSynWithData : zp.discardTcpSynackWithData) {
          return (fl & TcpFlag.ACK) === 0 ? Ctr.ZP_SYN_DATA : Ctr.ZP_SYNACK_DATA
        }
      }
    }
    if (whole && zp.removeTcpTimestamp && fs.tsVal >= 0 && removeTimestamp(fs)) {
      this.ctr[Ctr.ZP_TCP_TIMESTAMP_REMOVED]++
      if (this.tracing) this.trace(now, 0, { kind: 'zp-rewrite', profile: zp.name, option: 'remove-tcp-timestamp' })
    }
    if (whole && zp.stripMptcpOption === 'yes' && fs.mptcp && stripMptcp(fs)) {
      this.ctr[Ctr.ZP_MPTCP_STRIPPED]++
      if (this.tracing) this.trace(now, 0, { kind: 'zp-rewrite', profile: zp.name, option: 'strip-mptcp-option' })
    }
    return -1
  }

  /** Is `f[off..off+alen)` one of the firewall's own addresses (settings.emulator.addresses)? */
  private ownAddress (f: Uint8Array, off: number, alen: number): boolean {
    for (const list of this.policy.settings.emulator.addresses.values()) {
      for (const c of list) {
        if (c.bytes.length !== alen) continue
        let same = true
        for (let i = 0; i < alen; i++) if (c.bytes[i] !== f[off + i]) { same = false; break }
        if (same) return true
      }
    }
    return false
  }

  /**
   * strict-ip-check: is the IPv4 source the subnet broadcast address of one of the ingress zone's own
   * addresses (settings.emulator.addresses; prefixes shorter than /31 have one)?
   */
  private ingressBroadcast (f: Uint8Array, off: number, alen: number): boolean {
    if (alen !== 4) return false
    const list = this.policy.settings.emulator.addresses.get(this.inZone)
    if (list === undefined) return false
    const a = readU32(f, off)
    for (const c of list) {
      if (c.version !== 4 || c.prefix >= 31) continue
      if (a === ((readU32(c.bytes, 0) | ~maskWord(c.prefix, 0)) >>> 0)) return true
    }
    return false
  }

  /** asymmetric-path for this packet: its ingress zone's profile overrides settings.tcp.asymmetric-path. */
  private bypassHere (): boolean {
    const zp = this.inProfile
    return zp === undefined || zp.asymmetricPath === 'global' ? this.bypass : zp.asymmetricPath === 'bypass'
  }

  /** A flood threat log (subtype flood, as PAN-OS writes it: session 0, application not-applicable, severity critical). */
  private floodLog (fs: FrameSummary, ft: number, v: number, zp: ZoneProtectionProfile, now: number): void {
    this.ctr[Ctr.FLOW_DOS_ALARM]++
    const [name, id] = FLOOD_THREATS[ft]!
    const rate = Math.round(this.zg!.rate)
    const fl = zp.flood[FLOOD_KEYS[ft]!]
    if (this.hooks.threatLog !== undefined) this.hooks.threatLog(floodRecord(fs, name, id, this.inZone, rate, FLOOD_ACTIONS[v]!, now))
    if (this.tracing) {
      this.trace(now, 0, {
        kind: 'zp-flood-alarm', threat: name, threatId: id, zone: this.inZone, profile: zp.name, rate,
        alarmRate: fl.alarmRate, activateRate: fl.activateRate, maximalRate: fl.maximalRate, action: FLOOD_ACTIONS[v]!,
      })
    }
  }

  /**
   * Scan threat logs for the types in `mask` (their thresholds were just reached); true when one of
   * them blocks (the packet is dropped: the block starts with it).
   */
  private scanAlarm (fs: FrameSummary, zp: ZoneProtectionProfile, zi: number, mask: number, now: number): boolean {
    const sg = this.sg!
    let block = false
    for (let ty = 0; ty < SCAN_TYPES; ty++) {
      if ((mask & (1 << ty)) === 0) continue
      const a = sg.act(zi, ty)
      if (a !== ScanAct.ALERT) block = true
      this.ctr[Ctr.ZP_SCAN_ALARM]++
      const [name, id] = SCAN_THREATS[ty]!
      const events = sg.trigCount[ty]!
      const intervalS = sg.intervalUs(zi, ty) / US
      if (this.hooks.threatLog !== undefined) this.hooks.threatLog(scanRecord(fs, name, id, this.inZone, events, intervalS, SCAN_LOG_ACTIONS[a]!, now))
      if (this.tracing) {
        this.trace(now, 0, {
          kind: 'zp-scan-alarm', threat: name, threatId: id, zone: this.inZone, profile: zp.name, src: formatIp(fs.frame, fs.srcOff, fs.addrLen),
          dst: formatIp(fs.frame, fs.dstOff, fs.addrLen), events, intervalS, action: SCAN_LOG_ACTIONS[a]!, untilUs: a === ScanAct.ALERT ? now : sg.blockUntil(ty, now),
        })
      }
    }
    return block
  }

  /** Answer a SYN with a SYN cookie: a SYN-ACK spoofed from the server, no session (issue #15). */
  private sendCookie (fs: FrameSummary, port: Port, now: number): ProcessResult {
    const mi = mssIndex(fs.mss)
    const cookie = this.zg!.cookie(fs, fs.seq, mi, now)
    const { frame, linkType } = forgeCookieSynAck(fs, cookie, COOKIE_MSS[mi]!, this.forge.ttl)
    this.forge.push(frame, linkType, port, 'client', 'tcp-synack', '', 'syn-cookies', 'syn-cookie')
    this.ctr[Ctr.FLOW_DOS_SYNCOOKIE_SENT]++
    if (this.tracing) {
      this.trace(now, 0, { kind: 'zp-cookie-synack', cookie, ack: (fs.seq + 1) >>> 0, mss: COOKIE_MSS[mi]!, ttl: fs.addrLen === 4 ? this.forge.ttl.ttl : this.forge.ttl.hopLimit })
    }
    return this.drop(this.res, now, 0, this.tracing ? { kind: 'zp-cookie-sent' } : undefined, 'flow_dos_syncookie_sent')
  }

  /**
   * The ACK of a valid cookie opened (and the policy allowed) session `s`: track the client as if its
   * SYN had been seen, keep the cookie, send the server the SYN it never got. The ACK itself is not
   * forwarded (the firewall completes the server's handshake with its own ACK).
   */
  private cookieSession (s: number, fs: FrameSummary, mi: number, now: number): ProcessResult {
    const t = this.table
    const isn = (fs.seq - 1) >>> 0
    this.tcp.initClient(s, isn, fs.window, -1, 0)
    t.flags[s] |= SF.SYNCOOKIE | SF.COOKIE_PENDING | SF.SLOW
    t.flags[s] &= ~(SF.PAYLOAD_C2S)
    t.seqDelta[s] = (fs.ack - 1) | 0 // the cookie, until the server's ISN is known
    t.setTimer(s, TimerClass.TCP_INIT, now)
    if (this.tracing) {
      this.trace(now, t.id[s], { kind: 'policy-allow', flow: flowOf(this.table, s), fromZone: this.strs[t.fromZone[s]], toZone: this.strs[t.toZone[s]], rule: this.strs[t.rule[s]], tentative: false })
      this.trace(now, t.id[s], { kind: 'zp-cookie-session' })
    }
    this.cookieSyn(s, mi, now)
    return this.drop(this.res, now, t.id[s], this.tracing ? { kind: 'zp-cookie-ack-kept' } : undefined, 'syncookie-ack')
  }

  private cookieSyn (s: number, mi: number, now: number): void {
    const t = this.table
    const isn = (t.nextSeq(s, 0) - 1) >>> 0
    const win = Math.min(65535, t.maxWin(s, 0))
    const { frame, linkType } = forgeStateSegment(t, s, 'server', TcpFlag.SYN, isn, 0, win, this.forge.ttl, COOKIE_MSS[mi])
    this.forge.pushToServer(s, frame, linkType, 'tcp-syn')
    if (this.tracing) this.trace(now, t.id[s], { kind: 'zp-cookie-syn', seq: isn, mss: COOKIE_MSS[mi]! })
  }

  /**
   * A TCP packet of a SYN-cookie session before the TCP checks. While the server leg is pending: the
   * client's packets are held back (dropped; the SYN goes to the server again), the server's SYN-ACK
   * is answered by the firewall's ACK and not forwarded (the client had the cookie's), a RST for the
   * SYN is put into the client's numbering. Afterwards: the server's sequence numbers are translated
   * into the client's (the client's acks go back after the checks, in activePacket). Returns a result
   * when the packet was consumed here.
   */
  private cookiePacket (s: number, d: number, fs: FrameSummary, port: Port, now: number): ProcessResult | undefined {
    const t = this.table
    const r = this.res
    const id = t.id[s]
    const fl = fs.tcpFlags
    if ((t.flags[s] & SF.COOKIE_PENDING) === 0) {
      if (d === 1) {
        translate(fs, 'seq', t.seqDelta[s])
        if ((fl & (TcpFlag.SYN | TcpFlag.RST)) === TcpFlag.SYN) return this.cookieSynAckAgain(s, fs, now)
      }
      return undefined
    }
    const cookie = t.seqDelta[s] >>> 0
    if (d === 0) {
      if ((fl & TcpFlag.RST) !== 0) return undefined
      t.countPacket(s, 0, fs.frame.length)
      t.touch(s, now)
      this.ctr[Ctr.FLOW_DOS_SYNCOOKIE_SYN_RESENT]++
      this.cookieSyn(s, (cookie >>> 24) & 7, now)
      return this.drop(r, now, id, this.tracing ? { kind: 'zp-cookie-pending' } : undefined, 'syncookie-pending')
    }
    if ((fl & TcpFlag.RST) !== 0) {
      // The server refuses the SYN: the client knows the connection by the cookie's numbers.
      const seq = (cookie + 1) >>> 0
      translate(fs, 'seq', (seq - fs.seq) | 0)
      return undefined
    }
    if ((fl & (TcpFlag.SYN | TcpFlag.ACK)) !== (TcpFlag.SYN | TcpFlag.ACK)) return undefined // the checks drop it
    const serverIsn = fs.seq
    const delta = (cookie - serverIsn) | 0
    translate(fs, 'seq', delta)
    const v = this.tcp.checkFrame(s, 1, fs)
    if (v !== TcpVerdict.FORWARD) return this.tcpDrop(v, s, now)
    t.seqDelta[s] = delta
    t.flags[s] &= ~SF.COOKIE_PENDING
    if ((t.flags[s] & SF.SERVER_MAC) === 0 && fs.ethOff >= 0) t.learnServerMac(s, fs.frame, fs.ethOff)
    t.countPacket(s, 1, fs.frame.length)
    if (this.tcp.ev !== TcpEv.NONE) this.tcpEvent(s, 1, now)
    // The firewall's ACK completes the server's handshake; the client's own ACK went to the cookie.
    const cseq = t.nextSeq(s, 0)
    const cwin = Math.min(65535, t.maxWin(s, 0))
    const sack = (serverIsn + 1) >>> 0
    const { frame, linkType } = forgeStateSegment(t, s, 'server', TcpFlag.ACK, cseq, sack, cwin, this.forge.ttl)
    this.forge.pushToServer(s, frame, linkType, 'tcp-ack')
    if (this.tracing) this.trace(now, id, { kind: 'zp-cookie-server-ack', seq: cseq, ack: sack, delta })
    const v2 = this.tcp.check(s, 0, TcpFlag.ACK, cseq, (cookie + 1) >>> 0, cwin, 0, -1)
    if (v2 === TcpVerdict.FORWARD && this.tcp.ev !== TcpEv.NONE) this.tcpEvent(s, 0, now)
    t.touch(s, now)
    void port
    return this.drop(r, now, id, this.tracing ? { kind: 'zp-cookie-synack-kept' } : undefined, 'syncookie-synack')
  }

  /**
   * A SYN from the server after the server leg of a SYN-cookie session is up: a retransmitted SYN-ACK
   * (the server answering a SYN the firewall sent again while its first SYN-ACK was on the way, or
   * missing the firewall's ACK). The client never saw the server's SYN-ACK (it has the cookie's, with
   * the firewall's TTL), so this one is never forwarded either. When the TCP checks find it in the
   * connection's window (already translated), the firewall answers it with the ACK again, as the
   * client's own stack would answer a duplicate SYN-ACK; otherwise it is dropped as the checks say.
   */
  private cookieSynAckAgain (s: number, fs: FrameSummary, now: number): ProcessResult {
    const t = this.table
    const id = t.id[s]
    const v = this.tcp.checkFrame(s, 1, fs)
    if (v !== TcpVerdict.FORWARD) return this.tcpDrop(v, s, now)
    t.countPacket(s, 1, fs.frame.length)
    t.touch(s, now)
    this.ctr[Ctr.FLOW_DOS_SYNCOOKIE_SYNACK_DUP]++
    const cseq = t.nextSeq(s, 0)
    const sack = (fs.seq - t.seqDelta[s] + 1) >>> 0 // the server's ISN + 1, in its own numbering
    const { frame, linkType } = forgeStateSegment(t, s, 'server', TcpFlag.ACK, cseq, sack, Math.min(65535, t.maxWin(s, 0)), this.forge.ttl)
    this.forge.pushToServer(s, frame, linkType, 'tcp-ack')
    return this.drop(this.res, now, id, this.tracing ? { kind: 'zp-cookie-synack-again', seq: cseq, ack: sack } : undefined, 'syncookie-synack-dup')
  }

  /** Does this segment cover an earlier one of its direction with other bytes (session/overlap.ts)? */
  private overlapMismatch (s: number, d: number, fs: FrameSummary): boolean {
    if (fs.l3Off + fs.ipLen > fs.frame.length) return false // a cut capture: the bytes are not all there
    const o = this.overlaps ??= new OverlapStore()
    return o.check(s, this.table.id[s], d, fs.seq, fs.frame, fs.payloadOff, fs.payloadLen)
  }

  // ---- blocking after setup, inspection ---------------------------------------------------------

  /**
   * Block an ACTIVE session after setup (rule change, App-ID, threat): RSTs from tracked state per the
   * action (TCP only), then DISCARD. `deny` uses the application's default deny action (policy/apps.ts) when
   * the rule names applications; for a port-based rule (or the interzone default) it is a silent drop
   * (see docs/panos-model.md#actions-at-setup and #traffic-log: log action "drop" = rule with application any).
   */
  private blockLate (s: number, m: { ruleName: string, action: string, rule?: { application: string[] | 'any' } | undefined }, trigger: string, end: number, now: number): void {
    const t = this.table
    let a = m.action
    if (a === 'deny') {
      const apps = m.rule?.application
      const app = apps === undefined || apps === 'any' ? undefined : t.app[s] !== 0 ? this.strs[t.app[s]] : apps[0]
      a = (app !== undefined ? appByName(app)?.denyAction : undefined) ?? 'drop'
    }
    if (t.protoOf(s) === IPPROTO_TCP) {
      if (a === 'reset-client' || a === 'reset-both') this.forge.stateRst(s, 'client', m.ruleName, m.action, trigger, now)
      if (a === 'reset-server' || a === 'reset-both') this.forge.stateRst(s, 'server', m.ruleName, m.action, trigger, now)
    }
    t.state[s] = SessState.DISCARD
    t.flags[s] |= SF.BLOCKED_LATE
    t.setTimer(s, this.discardClass(t.protoOf(s)), now)
    this.recordEnd(s, end)
    if (end === End.POLICY_DENY) this.ctr[Ctr.FLOW_POLICY_DENY]++
    if (this.tracing) this.trace(now, t.id[s], { kind: 'blocked', trigger })
  }

  /**
   * Run the inspector on a payload; true when the packet was blocked (result already filled).
   * `expected` is the sender's next sequence number before this segment (TCP; -1 when not tracked).
   */
  private inspectPayload (s: number, d: number, fs: FrameSummary, now: number, expected: number): boolean {
    const t = this.table
    const tcp = fs.proto === IPPROTO_TCP
    const v = this.inspector!.payload(t.inspect[s], d === 0 ? 'c2s' : 's2c', fs.frame, fs.payloadOff, fs.payloadLen, now,
      tcp ? fs.seq : undefined, tcp && expected >= 0 ? expected : undefined)
    if (v === undefined) return false
    if (v.app !== undefined && this.strs[t.app[s]] !== v.app) {
      if (this.tracing && v.appDetail !== undefined) this.trace(now, t.id[s], { kind: 'app-detail', app: v.app, detail: v.appDetail })
      if (this.applyApp(s, v.app, now, d, expected)) { this.drop(this.res, now, t.id[s], this.tracing ? { kind: 'app-blocked', app: v.app } : undefined, 'policy-deny'); return true }
    }
    if (v.alerts !== undefined) for (const a of v.alerts) this.logThreat(s, d, a, now)
    if (v.threat !== undefined) {
      const th = v.threat
      this.logThreat(s, d, th, now)
      if (th.action !== 'alert' && th.action !== 'allow') {
        this.unsend(s, d, expected)
        this.blockLate(s, { ruleName: this.strs[t.rule[s]], action: th.action }, `threat ${th.signature}`, End.THREAT, now)
        this.drop(this.res, now, t.id[s], this.tracing ? { kind: 'threat-drop', signature: th.signature } : undefined, 'threat')
        return true
      }
    }
    return false
  }

  /**
   * The segment that triggered a late block is dropped, so its sender's tracked next sequence number
   * goes back to where it was: a RST spoofed from that sender must carry exactly the receiver's
   * RCV.NXT, or an RFC 5961 receiver answers it with a challenge ACK instead of resetting.
   */
  private unsend (s: number, d: number, expected: number): void {
    if (expected >= 0 && this.table.protoOf(s) === IPPROTO_TCP) this.table.setNextSeq(s, d, expected)
  }

  private logThreat (s: number, d: number, th: NonNullable<InspectVerdict['threat']>, now: number): void {
    const t = this.table
    if (this.hooks.threatLog !== undefined) this.hooks.threatLog(threatRecord(t, this.strs, s, d, th, now))
    if (this.tracing) this.trace(now, t.id[s], { kind: 'threat', signature: th.signature, severity: th.severity, dir: d === 0 ? 'c2s' : 's2c', action: th.action })
  }

  /** Set the application and re-run the policy lookup with it; true when the session got blocked. */
  private applyApp (s: number, app: string, now: number, d = 0, expected = -1): boolean {
    const t = this.table
    t.app[s] = this.intern(app)
    const m = this.lookupStored(s)
    t.rule[s] = this.intern(m.ruleName)
    t.action[s] = actionIndex(m.action)
    t.flags[s] &= ~SF.TENTATIVE
    if (this.inspector?.rule !== undefined && t.inspect[s] !== undefined) this.inspector.rule(t.inspect[s], m.ruleName)
    if (this.tracing) this.trace(now, t.id[s], { kind: 'app-reevaluated', app, rule: m.ruleName, action: m.action })
    if (m.action === 'allow') return false
    this.unsend(s, d, expected)
    this.blockLate(s, m, `app-id ${app}`, End.POLICY_DENY, now)
    return true
  }

  /**
   * Re-evaluation entry point for App-ID outside the inspector hook: set the session's application
   * and look the policy up again; a block resets per the action. Returns the forged packets.
   */
  reevaluate (sessionId: number, app: string, nowUs: number): ProcessResult {
    const r = this.resetResult(PORT_UNKNOWN)
    const now = this.tick(nowUs)
    const s = this.table.slotOf(sessionId)
    if (s >= 0 && this.table.state[s] === SessState.ACTIVE) {
      r.sessionId = sessionId
      if (this.applyApp(s, app, now)) r.reason = 'policy-deny'
    }
    return r
  }

  /**
   * Apply a firewall action to one live session now (`rstlab reset`, the control API): exactly what a
   * rule change with rematch does to a session the new rule blocks. An ACTIVE session gets RSTs built
   * from tracked state per `action` (TCP; none for `drop`), goes to DISCARD, and logs subtype 'deny',
   * end reason 'policy-deny' (counted in flow_policy_deny). Forged packets name the session's rule and
   * `action`, trigger `trigger`. `reason` is 'policy-deny' when the session was blocked, 'not-active'
   * when it exists but is not ACTIVE (nothing done), 'no-session' when there is no such session.
   */
  applyAction (sessionId: number, action: 'drop' | 'reset-client' | 'reset-server' | 'reset-both', nowUs: number,
    trigger = 'operator action'): ProcessResult {
    const r = this.resetResult(PORT_UNKNOWN)
    const now = this.tick(nowUs)
    const s = this.table.slotOf(sessionId)
    r.sessionId = sessionId
    if (s < 0) { r.reason = 'no-session'; return r }
    if (this.table.state[s] !== SessState.ACTIVE) { r.reason = 'not-active'; return r }
    if (this.tracing) this.trace(now, sessionId, { kind: 'operator-action', action, trigger })
    this.table.action[s] = actionIndex(action)
    this.blockLate(s, { ruleName: this.strs[this.table.rule[s]], action }, trigger, End.POLICY_DENY, now)
    r.reason = 'policy-deny'
    return r
  }

  // ---- timers -----------------------------------------------------------------------------------

  /**
   * Expire every session due by `nowUs`, silently (end reason 'aged-out', one traffic-log record each).
   * Emits only with `emulator.reset-on-age-out` (rstlab extension, off by default: PAN-OS has none).
   */
  advance (nowUs: number): ProcessResult {
    const r = this.resetResult(PORT_UNKNOWN)
    const now = this.tick(nowUs)
    const t = this.table
    for (;;) {
      const s = t.dueSlot(now, this.tmo)
      if (s < 0) break
      const cls = t.tclass[s]
      const at = t.lastUs[s] + this.tmo[cls]
      if (cls === TimerClass.CLOSING) { this.endSession(s, End.UNKNOWN, at); continue }
      this.ctr[Ctr.SESSION_AGED_OUT]++
      if (this.accel) this.ctr[Ctr.SESSION_ACCEL_AGING]++
      if (this.tracing) this.trace(at, t.id[s], { kind: 'aged-out', idleS: this.tmo[cls] / US, timer: TIMER_CLASS_NAMES[cls]!, accelerated: this.accel })
      const ro = this.resetOnAgeOut
      if (ro !== 'none' && t.protoOf(s) === IPPROTO_TCP && t.state[s] === SessState.ACTIVE && t.tcpSt[s] !== TcpSt.TIME_WAIT) {
        const rule = this.strs[t.rule[s]]
        if (ro === 'client' || ro === 'both') this.forge.stateRst(s, 'client', rule, `reset-${ro}`, 'age-out', at)
        if (ro === 'server' || ro === 'both') this.forge.stateRst(s, 'server', rule, `reset-${ro}`, 'age-out', at)
      }
      this.endSession(s, End.AGED_OUT, at)
    }
    r.reason = 'aged-out'
    return r
  }

  /**
   * The one driver loop (replay, scenario runner, live runner): step `advance` through `nextDeadline()`
   * up to `tUs`, so each timer fires at its own deadline, in order, and `onStep` sees each step's
   * forged packets with that step's time. `nextDeadline` is a lower bound, so a step may end nothing
   * (it re-queues a refreshed session); the loop goes on while the deadline is at or before `tUs`.
   * Defensive: a step that does not move the deadline settles everything at `tUs` and stops.
   * The clock itself is not moved to `tUs` (the next `process(…, tUs)` does that).
   */
  advanceTo (tUs: number, onStep?: (emits: Emit[], atUs: number) => void): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = this.table.nextDeadline(this.tmo)
      if (due === undefined || due > tUs) return
      const at = due > this.clock ? due : this.clock
      const r = this.advance(at)
      if (onStep !== undefined) onStep(r.emits, at)
      const next = this.table.nextDeadline(this.tmo)
      if (next !== undefined && next <= due) {
        const r2 = this.advance(tUs)
        if (onStep !== undefined) onStep(r2.emits, this.clock)
        return
      }
    }
  }

  /**
   * When to call `advance` next (µs), or undefined when no session is open. Never later than the
   * next expiry; it can be earlier when packets refreshed the session queued first (a touch only
   * records the time), and `advance` then re-queues that session and ends nothing: callers loop
   * `advance(nextDeadline())` while the deadline is before their target, as they do anyway.
   */
  nextDeadline (): number | undefined {
    return this.table.nextDeadline(this.tmo)
  }

  /** Accelerated aging (see docs/panos-model.md#accelerated-aging): above the threshold every idle timeout is divided by the factor. */
  private updateAging (): void {
    const on = this.table.count > this.accelAbove
    if (on === this.accel) return
    this.accel = on
    if (on) {
      const f = this.accelFactor
      this.tmo = this.tmoBase.map((v, c) => c === TimerClass.CLOSING ? 0 : v / f)
    } else {
      this.tmo = this.tmoBase
    }
  }

  // ---- ending sessions --------------------------------------------------------------------------

  private recordEnd (s: number, end: number): void {
    if (betterEnd(this.table.endReason[s], end)) this.table.endReason[s] = end
  }

  private endSession (s: number, end: number, now: number): void {
    const t = this.table
    this.recordEnd(s, end)
    if (this.inspector?.close !== undefined && t.inspect[s] !== undefined) {
      const app = this.inspector.close(t.inspect[s])
      if (app !== undefined) t.app[s] = this.intern(app)
    }
    if (this.hooks.trafficLog !== undefined) this.hooks.trafficLog(trafficRecord(t, this.strs, s, now))
    if (this.tracing) this.trace(now, t.id[s], { kind: 'ended', endReason: END_REASONS[t.endReason[s] - 1]! })
    this.ctr[Ctr.SESSION_FREED]++
    this.overlaps?.release(s)
    t.free(s)
    this.updateAging()
  }

  /** Log and free every open session, end reason 'unknown' unless a better one was recorded. */
  clearSessions (nowUs: number): void {
    const now = this.tick(nowUs)
    for (const s of this.table.liveSlots()) this.endSession(s, End.UNKNOWN, now)
  }

  /** For SIGTERM / end of a replay: log every open session (as `clear session all`: end reason 'unknown'). */
  endAll (nowUs: number): void { this.clearSessions(nowUs) }

  // ---- views ------------------------------------------------------------------------------------

  sessions (): SessionInfo[] {
    return this.table.liveSlots().map(s => this.info(s))
  }

  sessionCount (): number {
    return this.table.count
  }

  session (id: number): SessionInfo | undefined {
    const s = this.table.slotOf(id)
    return s < 0 ? undefined : this.info(s)
  }

  counters (): Record<string, number> {
    const out: Record<string, number> = {}
    for (let i = 0; i < COUNTER_COUNT; i++) out[counterDefs[i]!.name] = this.ctr[i]
    out[counterDefs[Ctr.PKT_RECV]!.name]! += this.fastCount
    out[counterDefs[Ctr.PKT_SENT]!.name]! += this.fastCount
    return out
  }

  clearCounters (): void {
    this.ctr.fill(0)
    this.fastCountCleared += this.fastCount
    this.fastCount = 0
  }

  /**
   * Packets the fast path (`fastAck`) forwarded since the engine started. Not a PAN-OS counter;
   * tests use it to prove the fast path ran, the benchmark prints its share.
   */
  get fastPathPackets (): number { return this.fastCountCleared + this.fastCount }

  private info (s: number): SessionInfo {
    return sessionInfo(this.table, this.strs, s, this.tmo[this.table.tclass[s]] ?? 0)
  }


  // ---- helpers ----------------------------------------------------------------------------------

  private resetResult (egress: Port): ProcessResult {
    const r = this.res
    r.action = 'drop'
    r.egress = egress
    r.reason = 'ok'
    r.sessionId = 0
    r.dir = undefined
    if (r.emits.length !== 0) r.emits = []
    return r
  }

  private tick (nowUs: number): number {
    if (nowUs > this.clock) this.clock = nowUs
    return this.clock
  }

  /** `ev` is the trace event (built only when tracing, else undefined). */
  private forward (r: ProcessResult, now: number, id: number, ev: TraceDetail | undefined, reason: string): ProcessResult {
    r.action = 'forward'
    r.reason = reason
    this.ctr[Ctr.PKT_SENT]++
    if (ev !== undefined) this.trace(now, id, ev)
    return r
  }

  private drop (r: ProcessResult, now: number, id: number, ev: TraceDetail | undefined, reason: string): ProcessResult {
    r.action = 'drop'
    r.reason = reason
    if (id !== 0) r.sessionId = id
    if (ev !== undefined) this.trace(now, id, ev)
    return r
  }

  /** Hand a trace event to the hook. Callers check `this.tracing` first: nothing is built otherwise. */
  private trace (timeUs: number, sessionId: number, d: TraceDetail): void {
    const ev = d as TraceEvent
    ev.timeUs = timeUs
    ev.sessionId = sessionId
    this.hooks.trace!(ev)
  }

  private intern (x: string): number {
    let i = this.strIdx.get(x)
    if (i === undefined) {
      i = this.strs.length
      this.strs.push(x)
      this.strIdx.set(x, i)
    }
    return i
  }

  private discardClass (proto: number): number {
    return proto === IPPROTO_TCP ? TimerClass.DISCARD_TCP : proto === IPPROTO_UDP ? TimerClass.DISCARD_UDP : TimerClass.DISCARD_DEFAULT
  }

  /** Zone of one side: by interface when the port is known and has a zone, else by address. */
  private zoneFor (port: Port, f: Uint8Array, off: number, alen: number, which: 0 | 1): string {
    const a = alen === 4 ? this.a4[which]! : this.a16[which]!
    for (let i = 0; i < alen; i++) a[i] = f[off + i]!
    if (which === 0) this.key.src = a; else this.key.dst = a
    if (port !== PORT_UNKNOWN && this.portNames !== undefined) {
      const z = this.policy.zoneOfInterface(this.portNames[port as 0 | 1])
      if (z !== undefined) return z
    }
    return this.policy.zoneOfAddress(a) ?? ''
  }

  /** Policy lookup with a session's stored key (rematch, App-ID). */
  private lookupStored (s: number): RuleMatch {
    const t = this.table
    return this.policy.lookup({
      fromZone: this.strs[t.fromZone[s]], toZone: this.strs[t.toZone[s]], src: t.addrBytes(s, 0), dst: t.addrBytes(s, 1), proto: t.protoOf(s),
      sport: t.cportOf(s), dport: t.sportOf(s), app: t.app[s] !== 0 ? this.strs[t.app[s]] : undefined,
    })
  }
}
