/**
 * Counters at the live edge (frames the devices could not take or send) and the merge with the
 * engine's global counters into PAN-OS `show counter global` rows, with `delta` and `rate`.
 */
import type { CounterRow, CountersReply } from '../../control/protocol.js'
import { counterDefs } from '../../engine/counters.js'

/** The engine's counter definitions by name (severity, category, aspect, description). */
const DEFS = new Map(counterDefs.map(d => [d.name, d]))

type Meta = Omit<CounterRow, 'name' | 'value' | 'rate'>

/** Counters only the bridge edge can see. */
export const EDGE_COUNTERS = {
  rstlab_pkt_tx: { severity: 'info', category: 'packet', aspect: 'pktproc', description: 'Frames handed to an interface (forwarded and forged)' },
  rstlab_rcv_over_mtu: { severity: 'warn', category: 'packet', aspect: 'offload', description: 'Frames received larger than the interface MTU (GRO/LRO/TSO offload)' },
  rstlab_rcv_bad_csum: { severity: 'warn', category: 'packet', aspect: 'offload', description: 'Sampled frames with a wrong checksum (sender checksum offload?)' },
  rstlab_rcv_truncated: { severity: 'drop', category: 'packet', aspect: 'pktproc', description: 'Packets dropped: truncated by the capture' },
  rstlab_tx_over_mtu: { severity: 'drop', category: 'packet', aspect: 'offload', description: 'Packets dropped: larger than the egress MTU' },
  rstlab_tx_if_down: { severity: 'drop', category: 'packet', aspect: 'pktproc', description: 'Packets dropped: egress interface down' },
  rstlab_tx_err: { severity: 'drop', category: 'packet', aspect: 'pktproc', description: 'Packets dropped: send failed' },
  rstlab_inject_sent: { severity: 'info', category: 'packet', aspect: 'pktproc', description: 'Forged packets injected' },
  rstlab_inject_err: { severity: 'drop', category: 'packet', aspect: 'pktproc', description: 'Forged packets that could not be injected' },
  rstlab_rcv_ring_drop: { severity: 'drop', category: 'packet', aspect: 'resource', description: 'Frames the ports received (kernel rx_packets) that the capture never delivered: capture-ring drops (flood faster than rstlab)' },
  rstlab_rcv_if_drop: { severity: 'drop', category: 'packet', aspect: 'resource', description: 'Frames the kernel dropped on the ports before capture (interface rx_dropped)' },
  rstlab_log_drop: { severity: 'drop', category: 'log', aspect: 'resource', description: 'Log lines dropped: the log file could not keep up and 64 MB were waiting (flood of short sessions)' },
  rstlab_rcv_shed_kept: { severity: 'info', category: 'packet', aspect: 'resource', description: 'Frames of established sessions still forwarded while the rest of an over-long burst was shed' },
  rstlab_rcv_shed: { severity: 'drop', category: 'packet', aspect: 'resource', description: 'Frames dropped unread: a capture burst ran over its time slice (storm or flood), so the event loop could run' },
} as const satisfies Record<string, Meta>

export type EdgeCounter = keyof typeof EDGE_COUNTERS

const EDGE_NAMES = Object.keys(EDGE_COUNTERS) as EdgeCounter[]
const EDGE_INDEX = new Map(EDGE_NAMES.map((n, i) => [n, i]))

/** Edge counters in a typed array (no allocation on the per-frame path). */
export class EdgeCounters {
  private readonly v = new Float64Array(EDGE_NAMES.length)
  /** The per-frame counter, kept as a plain field for the hot path. */
  pktSent = 0
  inc (name: EdgeCounter, n = 1): void { this.v[EDGE_INDEX.get(name)!]! += n }
  /** For counters read from elsewhere (the kernel's), set whole. */
  set (name: EdgeCounter, n: number): void { this.v[EDGE_INDEX.get(name)!] = n }
  get (name: EdgeCounter): number { return name === 'rstlab_pkt_tx' ? this.pktSent + this.v[0]! : this.v[EDGE_INDEX.get(name)!]! }
  clear (): void { this.v.fill(0); this.pktSent = 0 }
  /** Non-zero counters as [name, value]. */
  get values (): Array<[EdgeCounter, number]> {
    return EDGE_NAMES.map((n): [EdgeCounter, number] => [n, this.get(n)]).filter(([, v]) => v !== 0)
  }
}

/** `engine.counters()` (name → value) as rows carrying the engine's counter metadata. */
export function engineCounterRows (values: Record<string, number>): CounterRow[] {
  const rows: CounterRow[] = []
  for (const [name, value] of Object.entries(values)) {
    const d = DEFS.get(name)
    rows.push({ name, value, rate: 0, severity: d?.severity ?? '', category: d?.category ?? '', aspect: d?.aspect ?? '', description: d?.description ?? '' })
  }
  return rows
}

/** Keeps the previous sample so replies carry rate and (optionally) delta like PAN-OS. */
export class CounterSampler {
  private prev = new Map<string, number>()
  private prevUs: number

  constructor (nowUs: number) { this.prevUs = nowUs }

  sample (rows: CounterRow[], edge: EdgeCounters, nowUs: number, delta: boolean): CountersReply {
    const all = new Map<string, CounterRow>()
    for (const r of rows) {
      const had = all.get(r.name)
      if (had !== undefined) had.value += r.value; else all.set(r.name, { ...r })
    }
    for (const [name, value] of edge.values) {
      const had = all.get(name)
      if (had !== undefined) had.value += value
      else all.set(name, { name, value, rate: 0, ...EDGE_COUNTERS[name] })
    }
    const elapsedS = Math.max(1e-6, (nowUs - this.prevUs) / 1e6)
    const out: CounterRow[] = []
    const next = new Map<string, number>()
    for (const r of all.values()) {
      const before = this.prev.get(r.name) ?? 0
      next.set(r.name, r.value)
      const diff = r.value - before
      out.push({ ...r, value: delta ? diff : r.value, rate: diff / elapsedS })
    }
    this.prev = next
    this.prevUs = nowUs
    return { elapsedS, delta, counters: out }
  }

  reset (nowUs: number): void { this.prev.clear(); this.prevUs = nowUs }
}
