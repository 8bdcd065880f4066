/**
 * A live bridge port: one libpcap handle (via `cap`) per interface, used both to capture the frames
 * ARRIVING on the interface and to send frames OUT of it (as a `Device`, egress/device.ts: the runner
 * sends through egress/output.ts, which picks the egress port's device).
 *
 * Direction: `cap` 0.2.1 does not expose pcap_setdirection(), so direction comes from a BPF filter.
 * The obvious one, `inbound`, compiles to the Linux packet-type extension (`ld [SKF_AD_PKTTYPE]`), and
 * libpcap runs the filter in USERLAND on the ring block that was already open when the filter was set,
 * where that extension does not exist: the first frame(s) on each port were silently dropped (measured:
 * every first SYN lost, connections took 1 s). So the filter is `not ether src <this interface's MAC>`:
 * everything this host's stack sends out of the interface (its own traffic, L3-injected packets) carries
 * the interface's MAC as source, while frames crossing a virtual wire never do. Frames this very handle
 * sends are never looped back to it anyway (the kernel skips the sending packet socket), which is why
 * forwarding and L2 injection use the handle of the egress interface.
 *
 * The capture buffer is reused for every frame: `onFrame` must finish with the bytes before returning.
 *
 * Capture-ring drops: `cap` 0.2.1 exposes neither pcap_stats() nor the socket's descriptor (for
 * PACKET_STATISTICS), so the frames lost in the ring are measured from the kernel's own count of what
 * the interface received: `captureStats()` is the interface's rx_packets since the port opened minus
 * the frames libpcap delivered to us in that time (see its comment for what else that difference holds).
 */
import { readFileSync } from 'node:fs'
import { RstlabError } from '../errors.js'
import { loadCap, type CapHandle } from '../egress/native.js'
import { ifaceInfo, ifaceRxStats, requireUp, type RxStats } from './iface.js'
import type { Device, SendOutcome } from '../egress/device.js'

export interface LivePortOptions {
  /** Kernel capture ring size in bytes (pcap_set_buffer_size). */
  ringBytes?: number
  /** BPF filter; default `not ether src <own MAC>` (see above). */
  filter?: string
  /** Longest stretch of frames handled before shedding the rest of the burst (see `LivePort`); default 20 ms. */
  burstBudgetMs?: number
  /** Called for each frame shed (not handed to `onFrame`) at the end of an over-long burst. */
  onShed?: () => void
  /**
   * Offered each frame of the shed part of a burst first, for at most another budget: true when it
   * handled the frame (cheaply: an established session's segment), false to shed it.
   */
  onShedFrame?: (buf: Buffer, len: number) => boolean
}

/** Kernel-side receive losses of a port (see `LivePort.captureStats`). */
export interface CaptureStats { missed: number, ifDropped: number }

/** `frame` is exactly `len` bytes long (a cached view over the capture buffer: valid until the handler returns). */
export type FrameHandler = (frame: Buffer, len: number, truncated: boolean) => void

/** Bytes of the largest frame we accept from libpcap (snaplen is 65535 in cap). */
const CAPTURE_BUFFER = 65536 + 256

export class LivePort implements Device {
  readonly name: string
  readonly mtu: number
  /** Largest frame (L2 header included) that fits the MTU: MTU + Ethernet 14 + two VLAN tags. */
  readonly maxFrame: number
  private readonly handle: CapHandle
  private readonly buffer: Buffer
  private open = false

  /** @throws RstlabError NATIVE_MISSING | NO_INTERFACE | PERMISSION | IO */
  constructor (name: string, onFrame: FrameHandler, opts: LivePortOptions = {}) {
    const info = requireUp(name)
    this.name = name
    this.mtu = info.mtu
    this.maxFrame = info.mtu + 14 + 8
    const { Cap } = loadCap()
    this.handle = new Cap()
    this.buffer = Buffer.allocUnsafe(CAPTURE_BUFFER)
    let link: string
    try {
      link = this.handle.open(name, opts.filter ?? ownSourceFilter(name), opts.ringBytes ?? 8 * 1024 * 1024, this.buffer)
    } catch (e) {
      throw openError(name, e)
    }
    this.open = true
    this.rxBase = ifaceRxStats(name)
    if (link !== 'ETHERNET') {
      this.close()
      throw new RstlabError('RSTLAB_ERR_NO_INTERFACE', `interface \`${name}\` has link type ${link}; a bridge port must be Ethernet`,
        'bridge two Ethernet (or veth) interfaces')
    }
    // One Buffer view per distinct frame length over the reused capture buffer, made once: the engine
    // takes a Buffer whose length is the frame's, and this keeps the per-frame path allocation-free.
    const buf = this.buffer
    const views: Buffer[] = []
    // `cap` reads the ring in a native loop that returns to the event loop only once the ring is empty.
    // Under a storm (a looped bridge forwards its own frames back to itself) or a flood faster than the
    // engine, it never is, and signals, timers and the control socket starve. So a burst gets a time
    // budget: once it is used up, the rest of the burst is shed (counted, not handled) until the ring
    // runs dry, which it soon does, since shedding is cheap and forwarding (the storm's fuel) stops.
    // The setImmediate that ends the burst runs as soon as the native loop has returned.
    // While shedding, for one more budget, frames are first offered to `onShedFrame`, which forwards
    // those of established sessions (the engine's fast path) and refuses the rest (new flows, a
    // flood's SYNs): under a SYN flood the established connections keep being served instead of losing
    // their segments with the flood's (issue #20). After that second budget everything is shed, so a
    // storm fed by forwarding still ends.
    const budget = opts.burstBudgetMs ?? 20
    const onShed = opts.onShed
    const onShedFrame = opts.onShedFrame
    let burstStart = -1
    let inBurst = 0
    let shedding = 0 // 0 handling, 1 shedding but offering frames to onShedFrame, 2 shedding all
    const endBurst = (): void => { burstStart = -1; inBurst = 0; shedding = 0 }
    this.handle.on('packet', (nbytes: number, truncated: boolean) => {
      this.delivered++
      if (shedding !== 0) {
        if (shedding === 1) {
          if ((++inBurst & 31) === 0 && performance.now() - burstStart > 2 * budget) shedding = 2
          else if (!truncated && onShedFrame!(views[nbytes] ??= buf.subarray(0, nbytes), nbytes)) return
        }
        this.shed++; if (onShed !== undefined) onShed(); return
      }
      if (burstStart < 0) { burstStart = performance.now(); setImmediate(endBurst) }
      if ((++inBurst & 31) === 0 && performance.now() - burstStart > budget) shedding = onShedFrame !== undefined ? 1 : 2
      onFrame(views[nbytes] ??= buf.subarray(0, nbytes), nbytes, truncated)
    })
  }

  /** Frames shed at the end of over-long bursts (see the constructor). */
  shed = 0
  /** Frames libpcap delivered (handled or shed). */
  delivered = 0
  /** The interface's kernel receive counters when the port opened (undefined: unreadable). */
  private readonly rxBase: RxStats | undefined
  /** `captureStats()` frozen when the port closed (frames arriving after that are nobody's loss). */
  private closedStats: CaptureStats | undefined

  /**
   * What the kernel says about this port since it opened:
   * - `missed`: frames the interface received (rx_packets) that libpcap never delivered to rstlab —
   *   dropped in the capture ring because rstlab fell behind (a flood). The difference also holds the
   *   few frames still waiting in the ring at the moment of reading (so it may briefly run ahead and come
   *   back) and frames the BPF filter refused (inbound frames carrying this interface's own MAC as
   *   source, which a correctly cabled bridge never sees). Never below 0.
   * - `ifDropped`: the interface's rx_dropped: frames the kernel dropped on it before any capture
   *   could see them (a full backlog queue, no protocol).
   * Both 0 when the kernel counters cannot be read.
   */
  captureStats (): CaptureStats {
    if (this.closedStats !== undefined) return this.closedStats
    const now = this.rxBase === undefined ? undefined : ifaceRxStats(this.name)
    if (now === undefined || this.rxBase === undefined) return { missed: 0, ifDropped: 0 }
    return {
      missed: Math.max(0, now.packets - this.rxBase.packets - this.delivered),
      ifDropped: Math.max(0, now.dropped - this.rxBase.dropped),
    }
  }

  /** Send one frame out of this interface (pcap_sendpacket, synchronous); a failure is classified, not thrown. */
  send (frame: Buffer, len: number): SendOutcome {
    try {
      this.handle.send(frame, len)
      return 'ok'
    } catch (e) {
      return classifySendError(e)
    }
  }

  close (): void {
    if (!this.open) return
    this.closedStats = this.captureStats()
    this.open = false
    this.handle.removeAllListeners('packet')
    this.handle.close()
  }
}

/** `not ether src MAC` for the interface's own MAC (no filter when it has none). */
export function ownSourceFilter (name: string): string {
  let mac = ''
  try { mac = readFileSync(`/sys/class/net/${name}/address`, 'utf8').trim() } catch { /* no MAC */ }
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) && mac !== '00:00:00:00:00:00' ? `not ether src ${mac}` : ''
}

function openError (name: string, e: unknown): RstlabError {
  const msg = e instanceof Error ? e.message : String(e)
  if (/permitted|permission/i.test(msg)) {
    return new RstlabError('RSTLAB_ERR_PERMISSION', `cannot capture on \`${name}\`: ${msg}`,
      'run as root, or give node CAP_NET_RAW and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin+eip $(command -v node))')
  }
  if (/no such device|doesn't exist|not up/i.test(msg)) {
    ifaceInfo(name) // throws the precise "does not exist" error if that is the case
    return new RstlabError('RSTLAB_ERR_NO_INTERFACE', `cannot capture on \`${name}\`: ${msg}`, `check it with: ip link show ${name}`)
  }
  return new RstlabError('RSTLAB_ERR_IO', `cannot capture on \`${name}\`: ${msg}`, 'check the interface and that libpcap works: tcpdump -i ' + name)
}

/** What went wrong with a send, so the bridge can count it under the right name. */
export function classifySendError (e: unknown): 'too-big' | 'down' | 'gone' | 'other' {
  const msg = e instanceof Error ? e.message : String(e)
  if (/too long|EMSGSIZE/i.test(msg)) return 'too-big'
  if (/network is down|ENETDOWN/i.test(msg)) return 'down'
  if (/no such device|ENXIO|ENODEV/i.test(msg)) return 'gone'
  return 'other'
}
