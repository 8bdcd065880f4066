/**
 * App-ID light + threat signatures behind the engine's inspection hook (`EngineOptions.inspector`,
 * the `EngineInspector` interface of types.ts; it lives in engine/ because it implements the
 * engine's contract with inspect/'s pieces, so inspect/ never imports the engine). The engine installs one by default when the
 * policy has a rule naming applications or a rule with a threat profile; a policy with neither has no
 * inspection at all (the fast path). Once installed, it identifies every TCP/UDP session by default
 * (`identify: 'all'`), so logs and `show session` name the application as PAN-OS does, even for
 * sessions a port-based rule allowed; pass `{ identify: 'needed' }` to identify only sessions whose
 * match is tentative or that have signatures to match.
 *
 * Per session it keeps a `SessionInspector` (inspect/session-inspector.ts) plus, for TCP, the next sequence
 * number to inspect per direction, so only in-order bytes are identified and scanned:
 * - a segment at the expected sequence number is fed whole;
 * - one that overlaps bytes already inspected is fed only its new part;
 * - a pure retransmission, or a segment ahead of a gap, is not fed (docs/inspect.md, "Reassembly model").
 * The expected number starts at what the engine tracked before the direction's first payload
 * (the SYN's / SYN-ACK's sequence number + 1), or at the first payload's sequence number.
 */
import type { InspectVerdict, EngineInspector } from './types.js'
import type { Policy, Rule } from '../policy/types.js'
import { seqAdd, seqSub } from '../wire/seq.js'
import { Inspection, type InspectOptions } from '../inspect/inspection.js'
import { EV_APP, EV_THREAT, SessionInspector } from '../inspect/session-inspector.js'
import { threatActionFor, type ThreatHit } from '../inspect/threats.js'

type Threat = NonNullable<InspectVerdict['threat']>

/** Per-session state the engine keeps for us. */
export class HookState {
  /** Next sequence number to inspect per direction (TCP), valid when `has[d]`. */
  readonly next: [number, number] = [0, 0]
  readonly has: [boolean, boolean] = [false, false]
  constructor (readonly insp: SessionInspector, readonly proto: number, readonly dport: number) {}
}

export class InspectorHook implements EngineInspector {
  private inspection!: Inspection
  /** The policy's rule of a name (without walking every rule when the policy can say it: a reload stays cheap). */
  private ruleOf!: (name: string) => Rule | undefined
  private readonly opts: InspectOptions
  /** Reused for every verdict (the engine reads it before the next call). */
  private readonly verdict: InspectVerdict = {}
  /**
   * The segment whose verdict named the application, kept only until the engine, re-evaluating the
   * policy for it, calls `rule()` (synchronously, before the next packet): a new rule's signatures
   * then scan that segment too, and their hits join the same verdict.
   */
  private pendState: HookState | undefined = undefined
  private pendDir: 'c2s' | 's2c' = 'c2s'
  private pendFrame: Buffer | undefined = undefined
  private pendOff = 0
  private pendLen = 0

  /** @throws RstlabError RSTLAB_ERR_POLICY when the policy's threats or profiles are inconsistent. */
  constructor (policy: Policy, opts: InspectOptions = {}) {
    this.opts = { identify: 'all', ...opts }
    this.setPolicy(policy)
  }

  /** Does this policy need the hook at all? (Otherwise the engine keeps its fast path.) */
  static needed (policy: Policy): boolean { return Inspection.needed(policy) }

  /** A new policy (engine.setPolicy): new signatures for new sessions; open sessions follow `rule()`. */
  setPolicy (policy: Policy): void {
    this.pendState = undefined; this.pendFrame = undefined
    this.inspection = new Inspection(policy, this.opts)
    if (policy.ruleNamed !== undefined) this.ruleOf = policy.ruleNamed.bind(policy)
    else {
      const rules = new Map(policy.rules.map(r => [r.name, r]))
      this.ruleOf = name => rules.get(name)
    }
  }

  open (info: { sessionId: number, proto: number, sport: number, dport: number, rule: string, tentative?: boolean }): unknown {
    const rule = this.ruleOf(info.rule)
    const insp = this.inspection.forSession(info.proto, info.dport, {
      rule, ruleName: info.rule, action: rule?.action ?? 'allow', icmpUnreachable: false, tentative: info.tentative === true,
    })
    return insp === undefined ? undefined : new HookState(insp, info.proto, info.dport)
  }

  /** The session's rule changed (App-ID re-evaluation, rule change): attach that rule's signatures. */
  rule (state: unknown, ruleName: string): void {
    const st = state as HookState
    const rule = this.ruleOf(ruleName)
    const sigs = this.inspection.threats.forSession(rule?.profile, st.proto, st.dport)
    if (st !== this.pendState) { st.insp.setSignatures(sigs); return }
    // Re-evaluation for the segment that decided the application: scan it with the new rule's signatures.
    const frame = this.pendFrame!
    this.pendState = undefined; this.pendFrame = undefined
    if (!st.insp.setSignatures(sigs, { dir: this.pendDir, len: this.pendLen })) return
    const before = st.insp.hits.length
    if (st.insp.rescan(this.pendDir, frame, this.pendOff, this.pendLen) !== 0) this.collect(st, before)
  }

  payload (state: unknown, dir: 'c2s' | 's2c', frame: Buffer, off: number, len: number, _nowUs: number,
    seq?: number, expected?: number): InspectVerdict | undefined {
    const st = state as HookState
    const insp = st.insp
    this.pendState = undefined; this.pendFrame = undefined
    if (insp.done) {
      // Nothing to do (decided, no signatures). Forget the positions: if a rule change brings
      // signatures later, tracking restarts from the engine's `expected` instead of a stale number.
      st.has[0] = false; st.has[1] = false
      return undefined
    }
    let inOrder = true
    if (seq !== undefined) {
      const d = dir === 'c2s' ? 0 : 1
      if (!st.has[d]) { st.next[d] = expected ?? seq; st.has[d] = true }
      const behind = -seqSub(seq, st.next[d])
      if (behind < 0) inOrder = false // ahead of a gap
      else if (behind >= len) inOrder = false // nothing new: a retransmission
      else { off += behind; len -= behind }
      if (inOrder) st.next[d] = seqAdd(st.next[d], len)
    }
    const ev = insp.feed(dir, frame, off, len, inOrder)
    if (ev === 0) return undefined
    const v = this.verdict
    v.app = (ev & EV_APP) !== 0 ? insp.app : undefined
    v.appDetail = v.app !== undefined && insp.sni !== undefined ? `sni ${insp.sni}` : undefined
    v.threat = undefined
    v.alerts = undefined
    if ((ev & EV_THREAT) !== 0) this.collect(st, 0)
    if (v.app !== undefined && inOrder) {
      this.pendState = st; this.pendDir = dir; this.pendFrame = frame; this.pendOff = off; this.pendLen = len
    }
    return v.app === undefined && v.threat === undefined && v.alerts === undefined ? undefined : v
  }

  /** Put the session's hits from index `from` on into the verdict (alerts, and the blocking one). */
  private collect (st: HookState, from: number): void {
    const v = this.verdict
    const blocking = st.insp.blockingHit
    const hits = st.insp.hits
    for (let i = from; i < hits.length; i++) {
      const h = hits[i]!
      if (h === blocking || h.sig.action === 'allow') continue // PAN-OS `allow`: neither logged nor blocked
      ;(v.alerts ??= []).push(threatOf(h, st.proto))
    }
    if (blocking !== undefined && v.threat === undefined) v.threat = threatOf(blocking, st.proto)
  }

  close (state: unknown): string | undefined {
    return (state as HookState).insp.appName
  }
}

function threatOf (h: ThreatHit, proto: number): Threat {
  // For UDP every reset-* action just drops (see docs/panos-model.md#threats): log what was done.
  return { signature: h.sig.name, severity: h.sig.severity, action: threatActionFor(h.sig.action, proto) }
}
