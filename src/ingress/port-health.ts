/**
 * Port health of a live bridge: what the frames arriving on a port and the interfaces themselves say
 * about the setup, found while the bridge runs.
 *
 * - Over-MTU frames: offloads (GRO/LRO on the port, TSO/GSO on the sender) merge segments into frames
 *   larger than the MTU, which cannot be forwarded (counted as rstlab_rcv_over_mtu).
 * - Checksum sampling (the first 256 frames per port, then one in 1024): a sender with checksum offload
 *   hands the wire frames whose TCP/UDP checksum is unfinished; re-sent from userspace they reach the
 *   receiver broken and are dropped there (rstlab_rcv_bad_csum).
 * - Interface watch (`watch()`, once a second): an interface went down, came back up, or disappeared.
 *
 * Findings are data (`PortHealthEvent`): over-MTU and bad checksums are reported once per run, down/up
 * on each change, gone once; the runner says them in English (cli/live/health-text.ts) and logs them.
 * Counting happens on every occurrence.
 */
import { FrameSummary, LinkType } from '../wire/summary.js'
import { decodeFrame } from '../wire/decode.js'
import { verifyChecksums } from '../wire/checksum.js'
import { ifaceExists, ifaceInfo } from './iface.js'

export type PortHealthEvent =
  | { kind: 'over-mtu', iface: string, len: number, mtu: number }
  | { kind: 'bad-checksum', iface: string }
  | { kind: 'down', iface: string }
  | { kind: 'up', iface: string }
  | { kind: 'gone', iface: string }

export interface PortHealthSink {
  count (name: 'rstlab_rcv_over_mtu' | 'rstlab_rcv_bad_csum'): void
  report (ev: PortHealthEvent): void
}

/** What port health needs to know of a port (a `LivePort` fits). */
export interface PortFacts { readonly name: string, readonly mtu: number, readonly maxFrame: number }

export class PortHealth {
  private overMtuNoted = false
  private csumNoted = false
  /** Frames seen per port, for checksum sampling. */
  private readonly seen = [0, 0]
  private readonly csumSummary = new FrameSummary()
  private readonly downNoted = new Set<string>()

  constructor (private readonly interfaces: readonly string[], private readonly sink: PortHealthSink) {}

  /** One frame of `len` bytes arrived on port index `i` (0 or 1). Allocation-free unless it reports. */
  frame (i: number, port: PortFacts, buf: Buffer, len: number): void {
    if (len > port.maxFrame) this.overMtu(port, len)
    const n = ++this.seen[i]!
    if (n <= 256 || (n & 1023) === 0) this.sampleChecksum(port, buf)
  }

  private overMtu (port: PortFacts, len: number): void {
    this.sink.count('rstlab_rcv_over_mtu')
    if (this.overMtuNoted) return
    this.overMtuNoted = true
    this.sink.report({ kind: 'over-mtu', iface: port.name, len, mtu: port.mtu })
  }

  private sampleChecksum (port: PortFacts, frame: Buffer): void {
    const s = decodeFrame(frame, LinkType.ETHERNET, this.csumSummary)
    if (s.error !== 0 || s.l4Off < 0) return
    if (verifyChecksums(s) === 0) return
    this.sink.count('rstlab_rcv_bad_csum')
    if (this.csumNoted) return
    this.csumNoted = true
    this.sink.report({ kind: 'bad-checksum', iface: port.name })
  }

  /** Look at the interfaces (once a second). Returns false when one disappeared (reported as 'gone'): stop the bridge. */
  watch (): boolean {
    for (const n of this.interfaces) {
      if (!ifaceExists(n)) {
        this.sink.report({ kind: 'gone', iface: n })
        return false
      }
      const up = ifaceInfo(n).up
      if (!up && !this.downNoted.has(n)) {
        this.downNoted.add(n)
        this.sink.report({ kind: 'down', iface: n })
      } else if (up && this.downNoted.has(n)) {
        this.downNoted.delete(n)
        this.sink.report({ kind: 'up', iface: n })
      }
    }
    return true
  }
}
