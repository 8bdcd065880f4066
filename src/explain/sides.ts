/**
 * The two wires of a firewall, each analysed as its own capture: what the client side and what the
 * server side saw (`rstlab replay --explain`). A frame that came in from one side is on that side's
 * wire whatever the firewall did with it (its sender put it there); a frame the firewall forwarded is
 * also on the other side's wire; a frame the firewall made is on the wire of the end it was meant for.
 * Each wire feeds its own `Explainer`, frames numbered from 1 on each wire, as a tcpdump there would.
 *
 * The side a captured frame came from is its session's (the engine knows the direction). A frame
 * without a session (dropped before one was made) belongs to the client side when it is a SYN, else
 * to the side its source address was last seen on as a connection's client or server, else to the
 * client side.
 */
import { decodeFrame } from '../wire/decode.js'
import { FrameSummary, IPPROTO_TCP, TcpFlag } from '../wire/summary.js'
import { Explainer } from './analyzer.js'
import type { ConnectionReport, ExplainSummary } from './types.js'

export type WireSide = 'client' | 'server'

/** What one side's wire held: its connection reports (in connection order) and its summary. */
export interface WireReport {
  side: WireSide
  reports: ConnectionReport[]
  summary: ExplainSummary
  /** Time of the wire's first frame (µs; 0 when it saw none): report times are relative to it. */
  firstUs: number
}

/** Source addresses remembered for frames without a session. */
const MAX_ADDRESSES = 65_536

export class SideExplainer {
  private readonly ex: [Explainer, Explainer]
  private readonly reports: [ConnectionReport[], ConnectionReport[]] = [[], []]
  private readonly n = [0, 0]
  private readonly fs = new FrameSummary()
  /** Source address (latin1 bytes) → 0 client side / 1 server side. */
  private readonly seen = new Map<string, number>()

  constructor () {
    this.ex = [
      new Explainer({ onReport: r => this.reports[0].push(r) }),
      new Explainer({ onReport: r => this.reports[1].push(r) }),
    ]
  }

  /** Frame onto wire `i` (0 client side, 1 server side), numbered in that wire's order. */
  protected put (i: number, tsUs: number, linkType: number, data: Buffer): void {
    this.ex[i]!.push(data, linkType, tsUs, ++this.n[i]!)
  }

  /**
   * A captured frame: `from` is the side its session says sent it (undefined: it has none), and
   * `forwarded` whether the firewall passed it on. `data` is read at once, never kept.
   */
  input (tsUs: number, linkType: number, data: Buffer, from: WireSide | undefined, forwarded: boolean): void {
    let i: number
    if (from !== undefined) {
      i = from === 'client' ? 0 : 1
      this.learn(data, linkType, i)
    } else {
      i = this.guess(data, linkType)
    }
    this.put(i, tsUs, linkType, data)
    if (forwarded) this.put(1 - i, tsUs, linkType, data)
  }

  /** A frame the firewall made, meant for the `toward` end. */
  forged (tsUs: number, linkType: number, data: Buffer, toward: WireSide): void {
    this.put(toward === 'client' ? 0 : 1, tsUs, linkType, data)
  }

  /** Remember the two addresses of a connection's SYN (only SYNs: cheap, and they say who is who). */
  private learn (data: Buffer, linkType: number, i: number): void {
    const s = decodeFrame(data, linkType, this.fs)
    if (s.proto !== IPPROTO_TCP || s.l4Off < 0 || (s.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return
    if (this.seen.size >= MAX_ADDRESSES) this.seen.clear()
    this.seen.set(data.toString('latin1', s.srcOff, s.srcOff + s.addrLen), i)
    this.seen.set(data.toString('latin1', s.dstOff, s.dstOff + s.addrLen), 1 - i)
  }

  private guess (data: Buffer, linkType: number): number {
    const s = decodeFrame(data, linkType, this.fs)
    if (s.srcOff < 0) return 0
    if (s.proto === IPPROTO_TCP && s.l4Off >= 0 && (s.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) return 0
    return this.seen.get(data.toString('latin1', s.srcOff, s.srcOff + s.addrLen)) ?? 0
  }

  /** Both wires are finished: their reports. */
  finish (): [WireReport, WireReport] {
    const out = ([0, 1] as const).map(i => {
      const summary = this.ex[i].finish()
      const reports = this.reports[i].sort((a, b) => a.connection.index - b.connection.index)
      const firstUs = this.ex[i].firstUs < 0 ? 0 : this.ex[i].firstUs
      return { side: i === 0 ? 'client' : 'server', reports, summary, firstUs } satisfies WireReport
    })
    return [out[0]!, out[1]!]
  }
}
