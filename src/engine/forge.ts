/**
 * Forged packets: the frame builders (below) and the `Forger`, which the engine asks for a RST or an
 * ICMP unreachable and which queues the frame as an Emit on the engine's result, counts it, traces
 * it and applies the ICMP rate limit. Frames as docs/panos-model.md#forged-packets and #actions-at-setup describe them:
 * - TTL / hop limit are the firewall's own (emulator.forged-ttl / forged-hop-limit), never the
 *   impersonated host's: that is how a firewall RST gives itself away (see docs/panos-model.md#forged-packets).
 * - IP ID 0, DF set, no TCP options, window 0 (buildFrame defaults for IP ID and DF).
 * - Ethernet source = the MAC of the host being impersonated as learned from the session's frames,
 *   destination = the target's MAC; the session's VLAN tags are copied.
 * - Sessions seen on a link without MACs (raw IP, SLL, NULL) get raw IP packets (`Emit.linkType` 101).
 *
 * One Buffer per forged packet: forging is rare next to forwarding.
 */
import { buildFrame, buildIcmpErrorQuote, buildTcpReply } from '../wire/build.js'
import { FrameSummary, IPPROTO_TCP, LinkType, TcpFlag } from '../wire/summary.js'
import { SF, type SessionTable } from '../session/table.js'
import type { Policy } from '../policy/types.js'
import { Ctr } from './counters.js'
import { PORT_UNKNOWN, type Emit, type Port, type ProcessResult, type TraceDetail } from './types.js'

const US = 1_000_000

/** The engine's trace call (time, session id, event); undefined when not tracing. */
export type Tracer = ((timeUs: number, sessionId: number, d: TraceDetail) => void) | undefined

export interface ForgeTtl { ttl: number, hopLimit: number }

/**
 * RST|ACK built from the session's tracked state (see docs/panos-model.md#actions-after-setup):
 * toward the client it is spoofed from the server with seq = the server's next sequence number and
 * ack = the client's next; toward the server it is symmetric. A direction not seen yet (the server
 * never answered) gives seq 0.
 */
export function forgeStateRst (t: SessionTable, s: number, toward: 'client' | 'server', ttl: ForgeTtl, ackDelta = 0): { frame: Buffer, linkType: number } {
  const from = toward === 'client' ? 1 : 0
  // ackDelta: a SYN-cookie session's server counts its sequence numbers from another ISN than the client sees (issue #15).
  return forgeStateSegment(t, s, toward, TcpFlag.RST | TcpFlag.ACK, t.nextSeq(s, from), (t.nextSeq(s, 1 - from) + ackDelta) >>> 0, 0, ttl)
}

/**
 * A TCP segment between the session's endpoints, spoofed from the one opposite `toward`, with the
 * firewall's TTL: the RSTs above and the SYN-cookie handshake's SYN and ACK to the server (issue #15).
 */
export function forgeStateSegment (t: SessionTable, s: number, toward: 'client' | 'server', flags: number, seq: number, ack: number,
  window: number, ttl: ForgeTtl, mss = -1): { frame: Buffer, linkType: number } {
  const toClient = toward === 'client'
  const from = toClient ? 1 : 0 // endpoint impersonated: 0 = client, 1 = server
  const to = toClient ? 0 : 1
  const eth = t.link[s] === LinkType.ETHERNET
  const frame = buildFrame({
    link: eth ? 'ethernet' : 'raw',
    srcMac: eth ? t.macOf(s, from) : undefined,
    dstMac: eth ? t.macOf(s, to) : undefined,
    vlanTcis: eth ? t.vlansOf(s) : [],
    src: t.addrBytes(s, from),
    dst: t.addrBytes(s, to),
    ttl: t.verOf(s) === 4 ? ttl.ttl : ttl.hopLimit,
    ipId: 0,
    df: true,
    tcp: {
      sport: from === 0 ? t.cportOf(s) : t.sportOf(s),
      dport: from === 0 ? t.sportOf(s) : t.cportOf(s),
      seq,
      ack,
      flags,
      window,
      ...(mss >= 0 ? { options: { mss } } : {}),
    },
  })
  return { frame, linkType: eth ? LinkType.ETHERNET : LinkType.RAW }
}

/**
 * Reset-client decided at the first SYN (see docs/panos-model.md#actions-at-setup): RST|ACK, seq 0,
 * ack = SYN seq + 1, spoofed from the server, back toward the SYN's sender.
 */
export function forgeSynRst (fs: FrameSummary, ttl: ForgeTtl, seq = 0): { frame: Buffer, linkType: number } {
  return forgeReply(fs, ttl, TcpFlag.RST | TcpFlag.ACK, seq, (fs.seq + 1) >>> 0, 0)
}

/**
 * The SYN-ACK the firewall answers a SYN with under SYN cookies (issue #15): spoofed from the server
 * back to the SYN's sender, seq = the cookie, ack = SYN seq + 1, one option (MSS), window 65535, the
 * firewall's TTL — the one field that tells the client the server never saw its SYN.
 */
export function forgeCookieSynAck (fs: FrameSummary, cookie: number, mss: number, ttl: ForgeTtl): { frame: Buffer, linkType: number } {
  return forgeReply(fs, ttl, TcpFlag.SYN | TcpFlag.ACK, cookie, (fs.seq + 1) >>> 0, 65535, mss)
}

function forgeReply (fs: FrameSummary, ttl: ForgeTtl, flags: number, seq: number, ack: number, window: number, mss = -1): { frame: Buffer, linkType: number } {
  const frame = buildTcpReply(fs, fs.addrLen === 4 ? ttl.ttl : ttl.hopLimit, flags, seq, ack, window, mss)
  return { frame, linkType: fs.ethOff >= 0 ? LinkType.ETHERNET : LinkType.RAW }
}

/**
 * ICMP administratively prohibited (v4 3/13, v6 1/1) from the firewall's own address `src`, back to
 * the sender of the packet in `fs`, quoting it (wire's buildIcmpErrorQuote: up to 576 bytes of IP for
 * v4, 1280 for v6). MACs: from the MAC the sender addressed, to the sender; VLAN tags copied.
 */
export function forgeIcmpProhibited (fs: FrameSummary, src: Uint8Array, ttl: ForgeTtl): { frame: Buffer, linkType: number } {
  const eth = fs.ethOff >= 0
  const frame = buildIcmpErrorQuote(fs, {
    src,
    ttl: fs.addrLen === 4 ? ttl.ttl : ttl.hopLimit,
    link: eth ? 'ethernet' : 'raw',
  })
  return { frame, linkType: eth ? LinkType.ETHERNET : LinkType.RAW }
}

/**
 * The engine's forging glue: builds the packet, queues it on the engine's reused result (`res.emits`,
 * in sending order), counts it (pkt_forged, pkt_sent, flow_tcp_rst_sent / flow_icmp_unreach_sent)
 * and traces it. Holds the forging settings and the ICMP unreachable token bucket.
 */
export class Forger {
  ttl: ForgeTtl = { ttl: 64, hopLimit: 64 }
  private policy!: Policy
  private icmpRate = 200
  private icmpTcp = true
  private zoneTypes = new Map<string, string>()
  private icmpTokens = 200
  private icmpLastUs = 0
  private readonly noAddrWarned = new Set<string>()

  /** `strs` is the engine's string table (the table's rule and zone columns index it). */
  constructor (private readonly t: SessionTable, private readonly ctr: Float64Array, private readonly res: ProcessResult,
    private readonly strs: readonly string[], private readonly trace: Tracer) {}

  configure (p: Policy): void {
    const s = p.settings
    const first = this.policy === undefined
    this.policy = p
    this.ttl = { ttl: s.emulator.forgedTtl, hopLimit: s.emulator.forgedHopLimit }
    this.icmpRate = s.session.icmpUnreachableRate
    this.icmpTcp = s.emulator.icmpUnreachableTcp
    this.zoneTypes = new Map(p.zones.map(z => [z.name, z.type]))
    this.icmpTokens = first ? this.icmpRate : Math.min(this.icmpTokens, this.icmpRate)
  }

  /** Queue a forged frame on the result and count it. */
  push (frame: Buffer, linkType: number, port: Port, toward: 'client' | 'server', kind: Emit['kind'],
    rule: string, action: string, trigger: string): Emit {
    const what = kind === 'tcp-rst' ? 'RST' : kind === 'icmp-unreachable' ? 'ICMP unreachable' : kind === 'tcp-synack' ? 'SYN-ACK' : kind === 'tcp-syn' ? 'SYN' : 'ACK'
    const e: Emit = {
      frame, port, toward, kind, reason: { rule, action, trigger }, linkType,
      comment: `rstlab forged ${what} to ${toward}: rule=${rule} action=${action} trigger=${trigger}`,
    }
    this.res.emits.push(e)
    const ctr = this.ctr
    ctr[Ctr.PKT_FORGED]++
    ctr[Ctr.PKT_SENT]++
    if (kind === 'tcp-rst') ctr[Ctr.FLOW_TCP_RST_SENT]++
    else if (kind === 'icmp-unreachable') ctr[Ctr.FLOW_ICMP_UNREACH_SENT]++
    return e
  }

  /** A frame of SYN-cookie session `s` toward the server (the SYN and ACK the cookie stood in for). */
  pushToServer (s: number, frame: Buffer, linkType: number, kind: Emit['kind']): void {
    const cp = this.t.clientPort[s]
    this.push(frame, linkType, cp === PORT_UNKNOWN ? PORT_UNKNOWN : 1 - cp, 'server', kind, this.strs[this.t.rule[s]]!, 'syn-cookies', 'syn-cookie')
  }

  /** RST back to the sender of the SYN in `fs` (reset decided at setup); `seq` after a SYN cookie. */
  synRst (fs: FrameSummary, port: Port, rule: string, action: string, now: number, id: number, seq = 0): void {
    const { frame, linkType } = forgeSynRst(fs, this.ttl, seq)
    this.push(frame, linkType, port, 'client', 'tcp-rst', rule, action, 'policy at SYN')
    if (this.trace !== undefined) this.trace(now, id, { kind: 'forge-syn-rst', ack: (fs.seq + 1) >>> 0, ttl: fs.addrLen === 4 ? this.ttl.ttl : this.ttl.hopLimit })
  }

  /** RST toward one endpoint of session `s` from its tracked state. */
  stateRst (s: number, toward: 'client' | 'server', rule: string, action: string, trigger: string, now: number): void {
    const t = this.t
    // A SYN-cookie session's server numbers its bytes from its own ISN, not the cookie the client acknowledges.
    const delta = toward === 'server' && (t.flags[s] & SF.SYNCOOKIE) !== 0 ? -t.seqDelta[s] : 0
    const { frame, linkType } = forgeStateRst(t, s, toward, this.ttl, delta)
    const cp = t.clientPort[s]
    const port = toward === 'client' ? cp : (cp === PORT_UNKNOWN ? PORT_UNKNOWN : 1 - cp)
    this.push(frame, linkType, port, toward, 'tcp-rst', rule, action, trigger)
    if (this.trace !== undefined) {
      const from = toward === 'client' ? 1 : 0
      this.trace(now, t.id[s], { kind: 'forge-state-rst', toward, seq: t.nextSeq(s, from), ack: t.nextSeq(s, 1 - from), trigger })
    }
  }

  /** TCP with icmp-unreachable: sent unless `emulator.icmp-unreachable-tcp: no` (docs/policy.md, "Send ICMP Unreachable"). */
  icmpForProto (proto: number, now: number, id: number): boolean {
    if (proto !== IPPROTO_TCP || this.icmpTcp) return true
    if (this.trace !== undefined) this.trace(now, id, { kind: 'icmp-not-for-tcp' })
    return false
  }

  /**
   * ICMP admin-prohibited to the client from the firewall's address in the client's zone, rate-limited.
   * Only a layer3 zone has an address: from a virtual-wire or tap zone nothing is sent.
   */
  icmpUnreachable (fs: FrameSummary, s: number, port: Port, rule: string, action: string, now: number): void {
    const t = this.t
    const zone = this.strs[t.fromZone[s]]!
    const ztype = this.zoneTypes.get(zone)
    if (ztype !== undefined && ztype !== 'layer3') {
      this.ctr[Ctr.FLOW_ICMP_UNREACH_NO_ADDR]++
      if (this.trace !== undefined) this.trace(now, t.id[s], { kind: 'icmp-zone-no-address', zone, zoneType: ztype })
      return
    }
    const ver = fs.addrLen === 4 ? 4 : 6
    const src = this.policy.settings.emulator.addresses.get(zone)?.find(c => c.version === ver)
    if (src === undefined) {
      this.ctr[Ctr.FLOW_ICMP_UNREACH_NO_ADDR]++
      if (!this.noAddrWarned.has(zone)) {
        this.noAddrWarned.add(zone)
        if (this.trace !== undefined) this.trace(now, t.id[s], { kind: 'icmp-no-address', version: ver, zone })
      }
      return
    }
    // Token bucket: icmp-unreachable-rate per second, burst of one second's worth, refilled by `now`.
    this.icmpTokens = Math.min(this.icmpRate, this.icmpTokens + (now - this.icmpLastUs) * this.icmpRate / US)
    this.icmpLastUs = now
    if (this.icmpTokens < 1) {
      this.ctr[Ctr.FLOW_ICMP_UNREACH_RATELIMIT]++
      if (this.trace !== undefined) this.trace(now, t.id[s], { kind: 'icmp-rate-limited' })
      return
    }
    this.icmpTokens -= 1
    const { frame, linkType } = forgeIcmpProhibited(fs, src.bytes, this.ttl)
    this.push(frame, linkType, port, 'client', 'icmp-unreachable', rule, action, 'icmp-unreachable')
    if (this.trace !== undefined) this.trace(now, t.id[s], { kind: 'forge-icmp', version: ver, from: src.text.replace(/\/\d+$/, '') })
  }
}
