/**
 * The engine's entry point to inspection, built once per policy: which sessions need an inspector,
 * with which signatures, and what a (re-)evaluated rule's action means once the application is known.
 *
 * Fast path: a session allowed by a port-based rule without a threat profile gets no
 * `SessionInspector` at all with `identify: 'needed'` (this class's default; the engine's
 * `InspectorHook` passes `identify: 'all'`). A session whose match is tentative
 * (a rule naming applications could still apply) is identified; so is a session with signatures to
 * match, so its threat log names the application. `identify: 'all'` identifies every TCP/UDP session
 * (logs then name every application, like PAN-OS, at the cost of an inspector per session).
 * An inspector works only on the first payload bytes of each direction for App-ID and reports `done`
 * once the application is decided and no signature applies.
 */
import { RstlabError } from '../errors.js'
import type { Action, Policy, Rule, RuleMatch } from '../policy/types.js'
import { appByName, APPS } from '../policy/apps.js'
import { SessionInspector } from './session-inspector.js'
import { ThreatTable, type SessionSignatures } from './threats.js'

export interface InspectOptions {
  /** 'needed' (default): identify sessions whose match is tentative or that have signatures to match.
   *  'all': every TCP/UDP session. */
  identify?: 'all' | 'needed'
}

/** A RuleMatch as the policy layer returns it; `tentative` is set when the application is unknown and
 *  the matched rule names applications (issue #6): the session passes until App-ID decides. */
export type MaybeTentative = RuleMatch & { tentative?: boolean }

export function isTentative (m: RuleMatch): boolean {
  return (m as MaybeTentative).tentative === true
}

/** Does the rule name applications (rather than `any`)? */
export function namesApplications (rule: Rule | undefined): boolean {
  return rule !== undefined && rule.application !== 'any'
}

/**
 * The concrete action of a match once the application is known. `deny` becomes the application's
 * default deny action (apps.ts) when the rule names applications, and a silent `drop` for a port-based
 * rule (see docs/panos-model.md#actions-at-setup).
 */
export function resolveAction (m: RuleMatch, app: string | undefined): Exclude<Action, 'deny'> {
  if (m.action !== 'deny') return m.action
  if (!namesApplications(m.rule) || app === undefined) return 'drop'
  return appByName(app)?.denyAction ?? 'drop'
}

/** Is `port` one of the application's standard ports for `proto` (`service: application-default`)? */
export function isDefaultPort (app: string, proto: number, port: number): boolean {
  const a = appByName(app)
  if (a === undefined) return false
  return (proto === 6 ? a.tcp : proto === 17 ? a.udp : []).includes(port)
}

/** Application names rules may use (the App-ID table), for messages. */
export const KNOWN_APPS: readonly string[] = APPS.map(a => a.name)

export class Inspection {
  readonly threats: ThreatTable
  readonly identify: 'all' | 'needed'
  /** Does any rule name applications? If not, no lookup is ever tentative. */
  readonly anyAppRule: boolean

  /** @throws RstlabError RSTLAB_ERR_POLICY when threats are inconsistent or a rule names an unknown profile. */
  constructor (policy: Policy, opts: InspectOptions = {}) {
    this.threats = new ThreatTable(policy.threats)
    this.identify = opts.identify ?? 'needed'
    // A loaded policy knows these facts already (Policy.facts): no walk over every rule on a reload.
    const facts = policy.facts
    this.anyAppRule = facts?.anyAppRule ?? policy.rules.some(r => namesApplications(r))
    const uses = facts?.profiles ?? policy.rules.flatMap(r => r.profile === undefined ? [] : [{ profile: r.profile, rule: r.name, where: r.where }])
    for (const u of uses) {
      if (!this.threats.profiles.has(u.profile)) {
        const known = [...this.threats.profiles.keys()].join(', ') || 'none defined'
        throw new RstlabError('RSTLAB_ERR_POLICY', `${u.where}: rule "${u.rule}" uses unknown threat profile "${u.profile}"`,
          `define it under threats.profiles (known: ${known})`)
      }
    }
  }

  /** Does this policy need inspection at all (a rule naming applications, or a rule with a profile)? */
  static needed (policy: Policy): boolean {
    const facts = policy.facts
    if (facts !== undefined) return facts.anyAppRule || facts.profiles.length > 0
    return policy.rules.some(r => namesApplications(r) || r.profile !== undefined)
  }

  /** Signatures that apply to a session under `match` (the rule's profile, scoped by proto/port). */
  signaturesFor (match: RuleMatch, proto: number, dport: number): SessionSignatures | undefined {
    return this.threats.forSession(match.rule?.profile, proto, dport)
  }

  /**
   * The inspector for a new session allowed (or tentatively allowed) by `match`, or undefined when the
   * session needs none. Only TCP (6) and UDP (17) are inspected. `dport` is the server's port.
   */
  forSession (proto: number, dport: number, match: RuleMatch): SessionInspector | undefined {
    if (proto !== 6 && proto !== 17) return undefined
    const sigs = this.signaturesFor(match, proto, dport)
    if (this.identify === 'needed' && sigs === undefined && !isTentative(match)) return undefined
    return new SessionInspector(proto === 6 ? 'tcp' : 'udp', true, sigs)
  }

  /** After a re-evaluation picked `match`: attach that rule's signatures instead. */
  rematch (insp: SessionInspector, proto: number, dport: number, match: RuleMatch): void {
    insp.setSignatures(this.signaturesFor(match, proto, dport))
  }
}
