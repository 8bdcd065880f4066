/** Shared helpers for policy tests. */
import { parseAddr } from '../../src/policy/cidr.js'
import { checkPolicyText } from '../../src/policy/load.js'
import type { LookupKey, PolicyDiagnostic } from '../../src/policy/types.js'

export function addr (s: string): Uint8Array {
  const r = parseAddr(s)
  if (r === undefined) throw new Error(`bad address ${s}`)
  return r
}

/** A lookup key from text: `key('trust', 'untrust', '198.18.0.1', '198.18.1.2', 'tcp', 21)`. */
export function key (from: string | undefined, to: string | undefined, src: string, dst: string,
  proto: 'tcp' | 'udp' | 'icmp' | number, dport: number, app?: string): LookupKey {
  const p = proto === 'tcp' ? 6 : proto === 'udp' ? 17 : proto === 'icmp' ? 1 : proto
  const k: LookupKey = { fromZone: from, toZone: to, src: addr(src), dst: addr(dst), proto: p, sport: 40000, dport }
  if (app !== undefined) k.app = app
  return k
}

/** Diagnostics of a text as compact `line:col severity` + message pairs. */
export function diags (text: string): PolicyDiagnostic[] {
  return checkPolicyText(text, 'test.yaml').diagnostics
}

/** The only error of a text (fails loudly if there is not exactly one). */
export function onlyError (text: string): PolicyDiagnostic {
  const ds = diags(text).filter(d => d.severity === 'error')
  if (ds.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(ds, null, 1)}`)
  return ds[0]!
}
