/**
 * TCP tracking on a session: per-direction window data in the style of Linux conntrack's
 * `tcp_in_window` (net/netfilter/nf_conntrack_proto_tcp.c: td_end, td_maxend, td_maxwin, td_scale), the PAN-OS RST outcomes
 * (out of window → drop; in window but inexact → unverified-RST timer; exact → time-wait timer),
 * FIN half-close / time-wait, and the RFC 5961 §4 challenge-ACK case (see docs/panos-model.md#challenge-ack).
 *
 * It works on the table's columns for one slot and returns a verdict; the engine turns verdicts into
 * counters, traces, timers and end reasons. All sequence comparisons go through wire/seq.ts.
 *
 * Window bounds, for a segment [seq, end) from `sender` to `receiver` acknowledging `ack`:
 *   I   seq ≤ sender.td_maxend                  (not beyond what the receiver allowed)
 *   II  end ≥ sender.td_end − receiver.td_maxwin (not older than one receiver window)
 *   III ack ≤ receiver.td_end                   (does not acknowledge unsent data)
 *   IV  ack ≥ receiver.td_end − max(sender.td_maxwin, 66000)
 * A RST must lie in [receiver's RCV.NXT (its highest ack), sender.td_maxend] (RFC 5961 §3.2); its
 * ack number carries no meaning for acceptability. Exact = the sender's next sequence number or the
 * receiver's RCV.NXT (PAN-OS "Strict TCP RST sequence").
 */
import { seqAdd, seqGe, seqGt, seqLe, seqSub } from '../wire/seq.js'
import { readU32 } from '../wire/view.js'
import { TcpFlag, type FrameSummary } from '../wire/summary.js'
import { SF, SessionTable, TDF, TcpSt, challengeAckAt } from './table.js'

export const enum TcpVerdict {
  FORWARD = 0,
  /** Segment outside the receiver's window (tcp_drop_out_of_wnd). */
  DROP_OUT_OF_WINDOW = 1,
  /** RST or FIN outside the window: "Drop invalid RST or FIN packet" (tcp_drop_out_of_wnd). */
  DROP_INVALID_RST_FIN = 2,
  /** SYN-ACK whose ack is not the SYN's seq + 1 (tcp_invalid_ack). */
  DROP_INVALID_ACK = 3,
  /** Packet the TCP state does not allow (e.g. data before the SYN-ACK) (tcp_out_of_sync). */
  DROP_OUT_OF_SYNC = 4,
  /** A SYN on a session in time-wait: the caller ends it ('tcp-reuse') and sets up a new one. */
  REUSE = 5,
}

/** What a forwarded segment did to the session (for end reasons, timers and traces). */
export const enum TcpEv {
  NONE = 0, SYN_RETRANS = 1, SYN_NEW_ISN = 2, SYNACK = 3, ESTABLISHED = 4, FIN_FIRST = 5, FIN_SECOND = 6,
  RST_EXACT = 7, RST_IN_WINDOW = 8, CHALLENGE_ACK = 9, CHALLENGE_RST_ALLOWED = 10, UNVERIFIED_CLEARED = 11,
}

const MAX_WSCALE = 14

export class TcpTracker {
  /** Event of the last `check` (TcpEv). */
  ev = 0
  /** The bound that failed in the last `check` ('I'...'IV'), for traces. */
  failed = ''

  constructor (private readonly t: SessionTable, public allowChallengeAck: boolean) {}

  /** The client's SYN created session `s`: initialise the c2s direction (conntrack `tcp_new`). */
  initClient (s: number, seq: number, win: number, wscale: number, plen: number): void {
    const t = this.t
    const c = 2 * s
    const end = seqAdd(seq, 1 + plen)
    t.td[(c) * 4] = end
    t.td[(c) * 4 + 1] = end
    t.td[(c) * 4 + 2] = win === 0 ? 1 : win
    t.tdScale[c] = wscale >= 0 ? Math.min(wscale, MAX_WSCALE) : 0
    t.tdFlags[c] = TDF.INIT | (wscale >= 0 ? TDF.WSCALE : 0)
    t.tcpSt[s] = TcpSt.SYN_SENT
  }

  /**
   * Mid-stream pickup (tcp-reject-non-syn off): no window checks for this session, only FIN/RST
   * tracking (conntrack's "be liberal" for picked-up connections).
   */
  initLiberal (s: number, d: number, seq: number, plen: number, flags: number): void {
    const t = this.t
    t.flags[s] |= SF.LIBERAL
    t.tcpSt[s] = TcpSt.ESTABLISHED
    t.td[(2 * s + d) * 4] = seqAdd(seq, plen + ((flags & TcpFlag.FIN) !== 0 ? 1 : 0))
    t.tdFlags[2 * s + d] = TDF.INIT
  }

  /**
   * `check` for a decoded frame (the engine's entry). The common case, an ACK without SYN, FIN or
   * RST on an established, window-tracked session, takes `establishedAck`: the same bounds and
   * updates as `check`, each window word read once. The frame's fields are read where they are used,
   * so sequence numbers above 2^30 are not boxed into heap numbers to be passed as arguments.
   */
  checkFrame (s: number, d: number, fs: FrameSummary): number {
    const t = this.t
    if (t.tcpSt[s] === TcpSt.ESTABLISHED && (fs.tcpFlags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST | TcpFlag.ACK)) === TcpFlag.ACK &&
      (t.flags[s] & SF.LIBERAL) === 0) {
      return this.establishedAck(s, d, fs.frame, fs.l4Off, fs.payloadLen)
    }
    return this.check(s, d, fs.tcpFlags, fs.seq, fs.ack, fs.window, fs.payloadLen, fs.wscale)
  }

  /** Check a segment on an existing session and update the tracked state. Returns a TcpVerdict. */
  check (s: number, d: number, flags: number, seq: number, ack: number, win: number, plen: number, wscale: number): number {
    const t = this.t
    this.ev = TcpEv.NONE
    this.failed = ''
    const st = t.tcpSt[s]
    const snd = 2 * s + d
    const rcv = 2 * s + (1 - d)
    const syn = (flags & TcpFlag.SYN) !== 0
    const ackf = (flags & TcpFlag.ACK) !== 0
    const rst = (flags & TcpFlag.RST) !== 0
    const fin = (flags & TcpFlag.FIN) !== 0

    // A new SYN from the client.
    if (d === 0 && syn && !ackf) {
      if (st === TcpSt.TIME_WAIT) return TcpVerdict.REUSE
      if (st === TcpSt.SYN_SENT || st === TcpSt.SYN_RECV) {
        if (seqAdd(seq, 1 + plen) === t.td[(snd) * 4]) { this.ev = TcpEv.SYN_RETRANS; return TcpVerdict.FORWARD }
        if (st === TcpSt.SYN_SENT) {
          // The client gave up and retried with a new ISN before any answer: start over.
          this.initClient(s, seq, win, wscale, plen)
          t.flags[s] &= ~SF.CHALLENGE
          this.ev = TcpEv.SYN_NEW_ISN
          return TcpVerdict.FORWARD
        }
      }
    }

    if ((t.flags[s] & SF.LIBERAL) !== 0) {
      if (seqGt(seqAdd(seq, plen), t.td[(snd) * 4]) || (t.tdFlags[snd] & TDF.INIT) === 0) {
        t.td[(snd) * 4] = seqAdd(seq, plen + (fin ? 1 : 0)); t.tdFlags[snd] |= TDF.INIT
      }
      if (rst) {
        // Time-wait counts from its first cause: a RST on a session already in time-wait changes nothing.
        if (st !== TcpSt.TIME_WAIT) { t.tcpSt[s] = TcpSt.TIME_WAIT; this.ev = TcpEv.RST_EXACT }
        return TcpVerdict.FORWARD
      }
      this.finState(s, snd, rcv, fin)
      return TcpVerdict.FORWARD
    }

    if (st === TcpSt.SYN_SENT) return this.synSent(s, d, snd, rcv, flags, seq, ack, win, wscale)

    // Both directions are initialised from here on.
    let end = seqAdd(seq, plen)
    if (syn) end = seqAdd(end, 1)
    if (fin) end = seqAdd(end, 1)
    let a = ack
    if (!ackf || (rst && ack === 0)) a = t.td[(rcv) * 4]
    const swin = syn ? win : win * (1 << t.tdScale[snd])
    const rMaxWin = t.td[(rcv) * 4 + 2]
    const okI = seqLe(seq, t.td[(snd) * 4 + 1])
    const okII = rMaxWin === 0 || seqGe(end, seqAdd(t.td[(snd) * 4], -rMaxWin))

    if (rst) {
      // RFC 5961 §3.2 acceptability, as far as the firewall knows the receiver: from what the
      // receiver has acknowledged (its RCV.NXT at the latest) up to the right edge it advertised.
      // Older sequence numbers (bound II would still let a retransmission through) are rejected.
      const rcvNxt = (t.tdFlags[rcv] & TDF.MAXACK_SET) !== 0 ? t.td[(rcv) * 4 + 3] : t.td[(snd) * 4]
      if (!okI || !seqGe(seq, rcvNxt)) { this.failed = okI ? 'before RCV.NXT' : 'I'; return TcpVerdict.DROP_INVALID_RST_FIN }
      const exact = seq === t.td[(snd) * 4] || seq === rcvNxt
      // Time-wait counts from its first cause (second FIN or exact RST): a RST inside it changes nothing.
      if (st === TcpSt.TIME_WAIT) return TcpVerdict.FORWARD
      if (exact) { t.tcpSt[s] = TcpSt.TIME_WAIT; this.ev = TcpEv.RST_EXACT } else {
        t.tcpSt[s] = TcpSt.UNVERIFIED_RST; this.ev = TcpEv.RST_IN_WINDOW
      }
      return TcpVerdict.FORWARD
    }

    const maxAckWin = Math.max(t.td[(snd) * 4 + 2], 66000)
    const okIII = seqLe(a, t.td[(rcv) * 4])
    const okIV = seqGe(a, seqAdd(t.td[(rcv) * 4], -maxAckWin))
    if (!okI || !okII || !okIII || !okIV) {
      this.failed = !okI ? 'I' : !okII ? 'II' : !okIII ? 'III' : 'IV'
      return fin ? TcpVerdict.DROP_INVALID_RST_FIN : TcpVerdict.DROP_OUT_OF_WINDOW
    }

    // Update the sender, then the receiver (conntrack order).
    if (seqGt(end, t.td[(snd) * 4])) t.td[(snd) * 4] = end
    if (ackf && ((t.tdFlags[snd] & TDF.MAXACK_SET) === 0 || seqGt(ack, t.td[(snd) * 4 + 3]))) {
      t.td[(snd) * 4 + 3] = ack
      t.tdFlags[snd] |= TDF.MAXACK_SET
    }
    if (t.td[(snd) * 4 + 2] < swin) t.td[(snd) * 4 + 2] = swin
    if (rMaxWin !== 0 && seqGt(end, t.td[(snd) * 4 + 1])) t.td[(rcv) * 4 + 2] = rMaxWin + seqSub(end, t.td[(snd) * 4 + 1])
    const lim = seqAdd(a, swin === 0 ? 1 : swin)
    if (seqGe(lim, t.td[(rcv) * 4 + 1])) t.td[(rcv) * 4 + 1] = lim

    if (st === TcpSt.SYN_RECV && d === 0 && ackf) {
      t.tcpSt[s] = TcpSt.ESTABLISHED
      t.flags[s] |= SF.ESTABLISHED_ONCE
      this.ev = TcpEv.ESTABLISHED
    } else if (st === TcpSt.UNVERIFIED_RST && plen > 0) {
      // Data still flows after an inexact RST: the endpoints ignored it (RFC 5961 §3.2), so the
      // session is alive again and gets its established timer back.
      t.tcpSt[s] = TcpSt.ESTABLISHED
      this.ev = TcpEv.UNVERIFIED_CLEARED
    }
    this.finState(s, snd, rcv, fin)
    return TcpVerdict.FORWARD
  }

  /**
   * `check` for an ACK without SYN/FIN/RST on an established, window-tracked session (the caller has
   * checked those three conditions): bounds I-IV, then the conntrack updates in the same order as
   * the general path (which it must match exactly). Reads seq, ack and window from the TCP header at
   * `p` in `f`; `plen` is the segment's payload length. Shared by `checkFrame` and the engine's
   * fast path (`Engine.fastAck`), which has not decoded the frame into a FrameSummary.
   */
  establishedAck (s: number, d: number, f: Uint8Array, p: number, plen: number): number {
    this.ev = TcpEv.NONE // (`failed` is read only after a drop, and every drop sets it)
    const t = this.t
    const td = t.td
    const seq = readU32(f, p + 4)
    const ack = readU32(f, p + 8)
    const win = (f[p + 14]! << 8) | f[p + 15]!
    const snd = 2 * s + d
    const rcv = 2 * s + (1 - d)
    const so = snd * 4
    const ro = rcv * 4
    const sEnd = td[so]
    const sMaxEnd = td[so + 1]
    const sMaxWin = td[so + 2]
    const rEnd = td[ro]
    const rMaxWin = td[ro + 2]
    const end = seqAdd(seq, plen)
    const swin = win * (1 << t.tdScale[snd])
    const okI = seqLe(seq, sMaxEnd)
    const okII = rMaxWin === 0 || seqGe(end, seqAdd(sEnd, -rMaxWin))
    const okIII = seqLe(ack, rEnd)
    const okIV = seqGe(ack, seqAdd(rEnd, -Math.max(sMaxWin, 66000)))
    if (!okI || !okII || !okIII || !okIV) {
      this.failed = !okI ? 'I' : !okII ? 'II' : !okIII ? 'III' : 'IV'
      return TcpVerdict.DROP_OUT_OF_WINDOW
    }
    if (seqGt(end, sEnd)) td[so] = end
    const fl = t.tdFlags[snd]
    if ((fl & TDF.MAXACK_SET) === 0 || seqGt(ack, td[so + 3])) {
      td[so + 3] = ack
      t.tdFlags[snd] = fl | TDF.MAXACK_SET
    }
    if (sMaxWin < swin) td[so + 2] = swin
    if (rMaxWin !== 0 && seqGt(end, sMaxEnd)) td[ro + 2] = rMaxWin + seqSub(end, sMaxEnd)
    const lim = seqAdd(ack, swin === 0 ? 1 : swin)
    if (seqGe(lim, td[ro + 1])) td[ro + 1] = lim
    return TcpVerdict.FORWARD
  }

  /** First FIN → half-closed; FIN from the other side too → time-wait. */
  private finState (s: number, snd: number, rcv: number, fin: boolean): void {
    const t = this.t
    if (!fin || (t.tdFlags[snd] & TDF.FIN) !== 0) return
    t.tdFlags[snd] |= TDF.FIN
    if ((t.tdFlags[rcv] & TDF.FIN) !== 0) { t.tcpSt[s] = TcpSt.TIME_WAIT; this.ev = TcpEv.FIN_SECOND } else {
      if (t.tcpSt[s] !== TcpSt.TIME_WAIT) t.tcpSt[s] = TcpSt.HALF_CLOSED
      this.ev = TcpEv.FIN_FIRST
    }
  }

  /** Only the client's SYN has been seen: the server's answer decides. */
  private synSent (s: number, d: number, snd: number, rcv: number, flags: number, seq: number, ack: number, win: number, wscale: number): number {
    const t = this.t
    const syn = (flags & TcpFlag.SYN) !== 0
    const ackf = (flags & TcpFlag.ACK) !== 0
    const rst = (flags & TcpFlag.RST) !== 0
    if (d === 1) {
      if (syn && ackf) {
        if (ack !== t.td[(rcv) * 4]) return TcpVerdict.DROP_INVALID_ACK
        const end = seqAdd(seq, 1)
        t.td[(snd) * 4] = end
        t.td[(snd) * 4 + 1] = end
        t.td[(snd) * 4 + 2] = win === 0 ? 1 : win
        // RFC 7323 §2.2: scaling applies only when both SYNs carried the option.
        if (wscale >= 0 && (t.tdFlags[rcv] & TDF.WSCALE) !== 0) {
          t.tdScale[snd] = Math.min(wscale, MAX_WSCALE)
          t.tdFlags[snd] = TDF.INIT | TDF.WSCALE
        } else {
          t.tdScale[snd] = 0; t.tdScale[rcv] = 0
          t.tdFlags[snd] = TDF.INIT
        }
        t.tdFlags[snd] |= TDF.MAXACK_SET
        t.td[(snd) * 4 + 3] = ack
        const lim = seqAdd(ack, win === 0 ? 1 : win)
        if (seqGe(lim, t.td[(rcv) * 4 + 1])) t.td[(rcv) * 4 + 1] = lim
        t.tcpSt[s] = TcpSt.SYN_RECV
        this.ev = TcpEv.SYNACK
        return TcpVerdict.FORWARD
      }
      if (syn) return TcpVerdict.DROP_OUT_OF_SYNC
      if (rst) {
        // A closed port answers the SYN with RST|ACK ack = SYN seq + 1 (RFC 9293 §3.10.7.1).
        if (ackf && ack === t.td[(rcv) * 4]) { t.tcpSt[s] = TcpSt.TIME_WAIT; this.ev = TcpEv.RST_EXACT; return TcpVerdict.FORWARD }
        this.failed = 'RST during the handshake, not matching the SYN'
        return TcpVerdict.DROP_INVALID_RST_FIN
      }
      if (ackf && ack !== t.td[(rcv) * 4]) {
        // RFC 5961 §4: the server still holds an old connection on this 4-tuple and answers the SYN
        // with a challenge ACK carrying the old ack number. Forward it and remember that number:
        // the client's RST will carry it as its sequence number (see docs/panos-model.md#challenge-ack).
        t.td[challengeAckAt(s)] = ack
        t.flags[s] |= SF.CHALLENGE
        this.ev = TcpEv.CHALLENGE_ACK
        return TcpVerdict.FORWARD
      }
      return TcpVerdict.DROP_OUT_OF_SYNC
    }
    if (rst) {
      if (seq === t.td[(snd) * 4]) { t.tcpSt[s] = TcpSt.TIME_WAIT; this.ev = TcpEv.RST_EXACT; return TcpVerdict.FORWARD }
      if ((t.flags[s] & SF.CHALLENGE) !== 0 && seq === t.td[challengeAckAt(s)]) {
        // With allow-challenge-ack no (PAN-OS default) this RST lies in the OLD connection's sequence
        // space, outside the new session's window: dropped, and the client hangs (KB 336698-style).
        if (this.allowChallengeAck) { this.ev = TcpEv.CHALLENGE_RST_ALLOWED; return TcpVerdict.FORWARD }
        this.failed = 'its seq is the challenge ACK number, outside the new session (allow-challenge-ack no)'
        return TcpVerdict.DROP_INVALID_RST_FIN
      }
      this.failed = 'RST during the handshake, not matching the SYN'
      return TcpVerdict.DROP_INVALID_RST_FIN
    }
    return TcpVerdict.DROP_OUT_OF_SYNC
  }
}
