/**
 * Crafted captures for `rstlab explain` with ground truth from construction: each conversation is
 * written packet by packet with `buildFrame`, and every RST or ICMP error is tagged with who made it
 * (the endpoint it claims to be, or a middlebox forging it). Timing cases live here because this
 * kernel has no netem: the clock is ours.
 */
import { buildFrame } from '../../src/wire/build.js'
import type { Sender } from '../../src/explain/index.js'

export interface CraftedFrame { tsUs: number, data: Buffer, truth?: Sender, note?: string }

/** A capture being written: frames in order, and the expected sender of each reset event by frame number. */
export class Capture {
  readonly frames: CraftedFrame[] = []
  t = 1_700_000_000_000_000
  add (data: Buffer, truth?: Sender, note?: string): number {
    this.frames.push({ tsUs: this.t, data, truth, note })
    return this.frames.length
  }

  wait (us: number): this { this.t += us; return this }
  /** Frame number → expected sender, for every tagged frame. */
  truth (): Map<number, Sender> {
    const m = new Map<number, Sender>()
    this.frames.forEach((f, i) => { if (f.truth !== undefined) m.set(i + 1, f.truth) })
    return m
  }
}

interface EndSpec {
  addr: string, port: number, ttl: number, isn: number
  /** Source MAC of this end's packets as captured (the next hop's MAC when the end is behind a router). */
  mac?: string
  /** This end puts TCP timestamps on its segments: TSval = tsBase + milliseconds since the capture began. */
  tsBase?: number
}

export interface FrameOpts { seq?: number, ack?: number, payload?: number, ttl?: number, ipId?: number, win?: number, df?: boolean, mac?: string, ts?: number | null }

/**
 * One TCP conversation between a client and a server as seen at a capture point next to the client:
 * the client's packets arrive with its initial TTL, the server's with its TTL minus the hops.
 */
export class Conversation {
  private cSeq: number
  private sSeq: number
  private cId = 1000
  private sId = 30000
  constructor (readonly cap: Capture, readonly c: EndSpec, readonly s: EndSpec) {
    this.cSeq = c.isn
    this.sSeq = s.isn
    this.t0 = cap.t
  }

  private readonly t0: number
  private frame (fromClient: boolean, flags: string, opts: FrameOpts = {}): Buffer {
    const a = fromClient ? this.c : this.s
    const b = fromClient ? this.s : this.c
    const ipId = opts.ipId ?? (fromClient ? this.cId++ : this.sId++)
    const tsVal = opts.ts !== undefined ? opts.ts : a.tsBase === undefined ? null : (a.tsBase + Math.floor((this.cap.t - this.t0) / 1000)) >>> 0
    const mac = opts.mac ?? a.mac
    return buildFrame({
      src: a.addr, dst: b.addr, ttl: opts.ttl ?? a.ttl, ipId, df: opts.df,
      ...(mac !== undefined ? { srcMac: mac } : {}),
      tcp: {
        sport: a.port, dport: b.port, flags, seq: opts.seq ?? (fromClient ? this.cSeq : this.sSeq), ack: opts.ack ?? (fromClient ? this.sSeq : this.cSeq), window: opts.win ?? 64240,
        ...(tsVal !== null ? { options: { ts: [tsVal, 0] as [number, number] } } : {}),
      },
      payload: opts.payload ?? 0,
    })
  }

  syn (): number {
    return this.cap.add(this.frame(true, 'S', { seq: this.c.isn, ack: 0 }))
  }

  synAck (): number {
    const n = this.cap.add(this.frame(false, 'S.', { seq: this.s.isn, ack: (this.c.isn + 1) >>> 0 }))
    this.cSeq = (this.c.isn + 1) >>> 0
    this.sSeq = (this.s.isn + 1) >>> 0
    return n
  }

  ack (fromClient = true): number { return this.cap.add(this.frame(fromClient, '.')) }

  /** A full handshake with `rttUs` to the server and `cRttUs` to the client. */
  handshake (rttUs: number, cRttUs = 50): this {
    this.syn(); this.cap.wait(rttUs); this.synAck(); this.cap.wait(cRttUs); this.ack()
    return this
  }

  data (fromClient: boolean, bytes: number): number {
    const n = this.cap.add(this.frame(fromClient, 'P.', { payload: bytes }))
    if (fromClient) this.cSeq = (this.cSeq + bytes) >>> 0; else this.sSeq = (this.sSeq + bytes) >>> 0
    return n
  }

  /** Send data without advancing the sequence (a retransmission of the last `bytes`). */
  retransmit (fromClient: boolean, bytes: number): number {
    const seq = ((fromClient ? this.cSeq : this.sSeq) - bytes) >>> 0
    return this.cap.add(this.frame(fromClient, 'P.', { payload: bytes, seq }))
  }

  fin (fromClient: boolean): number {
    const n = this.cap.add(this.frame(fromClient, 'F.'))
    if (fromClient) this.cSeq = (this.cSeq + 1) >>> 0; else this.sSeq = (this.sSeq + 1) >>> 0
    return n
  }

  /** A RST the endpoint itself sends (its TTL, its IP ID counter, its next sequence number). */
  endpointRst (fromClient: boolean, opts: FrameOpts = {}): number {
    return this.cap.add(this.frame(fromClient, 'R.', opts), 'endpoint')
  }

  /** A RST forged by a middlebox `hops` from the capture point with initial TTL `ttl`, claiming to be one end. */
  forgedRst (claimClient: boolean, o: { ttl: number, seq?: number, ipId?: number, flags?: string, ack?: number, win?: number, df?: boolean, mac?: string, ts?: number | null }): number {
    return this.cap.add(this.frame(claimClient, o.flags ?? 'R.', { ttl: o.ttl, seq: o.seq, ipId: o.ipId ?? 0, ack: o.ack, win: o.win, df: o.df, mac: o.mac, ts: o.ts ?? null }), 'middlebox')
  }

  /** RST|ACK seq 0 acknowledging the SYN (a closed port, or a reset-client forgery). */
  rstAnswersSyn (truth: Sender, ttl: number, mac?: string): number {
    return this.cap.add(this.frame(false, 'R.', { seq: 0, ack: (this.c.isn + 1) >>> 0, ttl, ipId: 0, win: 0, ts: null, mac }), truth)
  }

  /** A bare ACK from the server with an old acknowledgement number (a challenge ACK). */
  challengeAck (oldAck: number, oldSeq: number): number {
    return this.cap.add(this.frame(false, '.', { seq: oldSeq, ack: oldAck }))
  }

  /** The client's RST answering a challenge ACK (seq = its ack number). */
  clientRstTo (seq: number): number {
    return this.cap.add(this.frame(true, 'R', { seq, ack: 0 }), 'endpoint')
  }

  /** An ICMP destination-unreachable about the client's last packet, from `from`, made `hops` beyond the capture point. */
  icmpUnreachable (from: string, code: number, truth: Sender, hops = 1, ttl = 64): number {
    const quoted = this.frame(true, 'S', { seq: this.c.isn, ack: 0, ttl: this.c.ttl - hops, ipId: this.cId - 1 })
    const v6 = this.c.addr.includes(':')
    const inner = quoted.subarray(14, 14 + (v6 ? 40 : 20) + 20)
    return this.cap.add(buildFrame({
      src: from, dst: this.c.addr, ttl: ttl - (hops - 1),
      icmp: { type: v6 ? 1 : 3, code }, payload: inner,
    }), truth)
  }
}
