/**
 * The way out of the live runner: frames the engine forwards leave through the bridge port on the
 * other side, forged frames through the L3 injectors when there are some (tap; bridge --inject l3),
 * else through the bridge port the engine chose (L2 injection). Each outcome is counted under the
 * bridge's edge counter names (`show counter global`).
 */
import { PORT_UNKNOWN, type Emit } from '../engine/types.js'
import type { Device, SendOutcome } from './device.js'

/** The edge counters the output counts into (cli/live/counters.ts's EdgeCounters is one). */
export interface OutputCounters {
  /** Frames handed to an interface (forwarded): the per-frame counter, a plain field. */
  pktSent: number
  inc (name: 'rstlab_tx_over_mtu' | 'rstlab_tx_if_down' | 'rstlab_tx_err' | 'rstlab_inject_sent' | 'rstlab_inject_err'): void
}

export class Output {
  /**
   * `ports`: the bridge ports by port number (0, 1); `l3`: the L3 injectors (none: forged frames go out
   * of the bridge ports; one: every forged frame; one per port: the one of the emit's port).
   */
  constructor (private readonly ports: readonly Device[], private readonly l3: readonly Device[], private readonly ctr: OutputCounters) {}

  /** Send a frame out of bridge port `port`; false when there is no such port or the send failed (counted). */
  forward (port: number, frame: Buffer, len: number): boolean {
    const p = this.ports[port]
    if (p === undefined) return false
    const r = p.send(frame, len)
    if (r === 'ok') { this.ctr.pktSent++; return true }
    this.countFailure(r)
    return false
  }

  /** Send a forged frame; true when a device took it (counted as rstlab_inject_sent, else rstlab_inject_err). */
  inject (e: Emit): boolean {
    let ok: boolean
    if (this.l3.length > 0) ok = (this.l3[e.port] ?? this.l3[0]!).send(e.frame, e.frame.length) === 'ok'
    else ok = e.port !== PORT_UNKNOWN && e.port >= 0 && this.forward(e.port, e.frame, e.frame.length)
    this.ctr.inc(ok ? 'rstlab_inject_sent' : 'rstlab_inject_err')
    return ok
  }

  private countFailure (r: SendOutcome): void {
    if (r === 'too-big') this.ctr.inc('rstlab_tx_over_mtu')
    else if (r === 'down' || r === 'gone') this.ctr.inc('rstlab_tx_if_down')
    else this.ctr.inc('rstlab_tx_err')
  }
}
