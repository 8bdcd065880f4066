/**
 * A tiny lab around one Engine for tests: client on port 0 (eth0, zone trust), server on port 1
 * (eth1, zone untrust), frames built with wire's buildFrame, an explicit virtual clock, and a TCP
 * conversation helper that keeps both sides' sequence numbers like real endpoints would.
 */
import { Engine } from '../../src/engine/engine.js'
import { traceStage, traceText } from '../../src/engine/trace-text.js'
import type { Emit, ProcessResult, TrafficLogRecord, TraceEvent, EngineInspector } from '../../src/engine/types.js'
import { loadPolicyText } from '../../src/policy/load.js'
import type { Policy } from '../../src/policy/types.js'
import { buildFrame, type FrameSpec, type TcpSpec } from '../../src/wire/build.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { FrameSummary } from '../../src/wire/summary.js'

export const CMAC = '02:00:00:00:00:0c'
export const SMAC = '02:00:00:00:00:05'

/** Zones trust (eth0, 198.18.0.0/24, 2001:db8:0:1::/64) and untrust (eth1, any) + the given rules / settings YAML. */
export function policy (rules: string, settings = ''): Policy {
  return loadPolicyText(`
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24, "2001:db8:0:1::/64"] }
  untrust: { interfaces: [eth1], networks: [any] }
${settings}
rules:
${rules}
`, 'test.yaml')
}

export const ALLOW_ALL = '  - { name: allow-all, action: allow }'

export interface Result { action: string, reason: string, sessionId: number, dir: string | undefined, emits: Emit[], egress: number }

export function snap (r: ProcessResult): Result {
  return { action: r.action, reason: r.reason, sessionId: r.sessionId, dir: r.dir, emits: r.emits.slice(), egress: r.egress }
}

export function decode (frame: Buffer, linkType = 1): FrameSummary {
  return decodeFrame(frame, linkType, new FrameSummary())
}

export class Lab {
  readonly engine: Engine
  readonly logs: TrafficLogRecord[] = []
  readonly traces: TraceEvent[] = []
  now = 1_000_000

  constructor (p: Policy, opts: { trace?: boolean, inspector?: EngineInspector, ports?: boolean } = {}) {
    this.engine = new Engine({
      policy: p,
      portNames: opts.ports === false ? undefined : ['eth0', 'eth1'],
      inspector: opts.inspector,
      hooks: {
        trafficLog: r => this.logs.push(r),
        ...(opts.trace === false ? {} : { trace: (e: TraceEvent) => { this.traces.push(e) } }),
      },
    })
  }

  /** Advance the clock by `s` seconds (may be fractional) and run the timers. */
  wait (s: number): Result {
    this.now += Math.round(s * 1e6)
    return snap(this.engine.advance(this.now))
  }

  send (port: number, spec: FrameSpec): Result {
    return snap(this.engine.process(buildFrame(spec), port, this.now))
  }

  traceText (): string { return this.traces.map(e => `[${traceStage(e)}] ${traceText(e)}`).join('\n') }
}

export interface ConvOpts {
  c?: string
  s?: string
  cport?: number
  sport?: number
  cisn?: number
  sisn?: number
  vlans?: number[]
  cwin?: number
  swin?: number
  cwscale?: number
  swscale?: number
}

/** One TCP connection's two endpoints. `seq[0]` = client's next seq, `seq[1]` = server's. */
export class Conv {
  readonly c: string; readonly s: string; readonly cport: number; readonly sport: number
  readonly seq: [number, number]
  readonly opts: ConvOpts
  constructor (readonly lab: Lab, o: ConvOpts = {}) {
    this.opts = o
    this.c = o.c ?? '198.18.0.1'
    this.s = o.s ?? '198.18.1.2'
    this.cport = o.cport ?? 40000
    this.sport = o.sport ?? 80
    this.seq = [o.cisn ?? 1000, o.sisn ?? 5000]
  }

  frame (dir: 0 | 1, tcp: Partial<TcpSpec>, payload?: number | string): Buffer {
    const c2s = dir === 0
    return buildFrame({
      srcMac: c2s ? CMAC : SMAC, dstMac: c2s ? SMAC : CMAC, vlans: this.opts.vlans,
      src: c2s ? this.c : this.s, dst: c2s ? this.s : this.c, ttl: c2s ? 64 : 54,
      tcp: {
        sport: c2s ? this.cport : this.sport, dport: c2s ? this.sport : this.cport,
        seq: this.seq[dir], ack: this.seq[1 - dir], window: c2s ? (this.opts.cwin ?? 64240) : (this.opts.swin ?? 65160),
        flags: '.',
        ...tcp,
      },
      payload,
    })
  }

  /** Send a segment from `dir`; advance that side's seq by SYN/FIN/payload. */
  send (dir: 0 | 1, flags: string, payload = 0, extra: Partial<TcpSpec> = {}): Result {
    const f = this.frame(dir, { flags, ...extra }, payload > 0 ? payload : undefined)
    const r = snap(this.lab.engine.process(f, dir, this.lab.now))
    if (extra.seq === undefined) {
      this.seq[dir] = (this.seq[dir] + payload + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0
    }
    return r
  }

  syn (): Result {
    const ws = this.opts.cwscale
    return this.send(0, 'S', 0, { ack: 0, options: ws !== undefined ? { mss: 1460, wscale: ws } : { mss: 1460 } })
  }

  synAck (): Result {
    const ws = this.opts.swscale
    return this.send(1, 'S.', 0, { options: ws !== undefined ? { mss: 1460, wscale: ws } : { mss: 1460 } })
  }

  /** Full three-way handshake; returns the three results. */
  handshake (): Result[] {
    return [this.syn(), this.synAck(), this.send(0, '.')]
  }
}
