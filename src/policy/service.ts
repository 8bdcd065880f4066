/**
 * Services: what a rule (or a threat signature) matches by protocol and destination port.
 *
 * Syntax (one string per list entry):
 *   `any`                  every protocol and port (ICMP and other protocols included)
 *   `application-default`  the standard ports of the rule's named applications (src/policy/apps.ts)
 *   `tcp/21`, `udp/53`     one protocol, one port
 *   `tcp/1000-2000`        an inclusive range
 *   `tcp/80,443,8000-8080` a comma list of ports and ranges, one protocol (PAN-OS service objects allow the same)
 * Only tcp and udp carry ports, as in PAN-OS service objects; other protocols are matched by `any`.
 */
import type { Service } from './types.js'
import { appByName } from './apps.js'

export const PROTO_TCP = 6
export const PROTO_UDP = 17

const PORT_RE = /^(0|[1-9][0-9]{0,4})$/

/** Parse one service string; a message on error. */
export function parseService (text: string): Service | string {
  if (text === 'any') return { kind: 'any' }
  if (text === 'application-default') return { kind: 'application-default' }
  const m = /^(tcp|udp)\/(.+)$/.exec(text)
  if (m === null) {
    return `'${text}' is not a service: write any, application-default, or tcp/PORT, udp/PORT, ` +
      'tcp/LOW-HIGH, tcp/80,443'
  }
  const proto = m[1] === 'tcp' ? 'tcp' : 'udp' // a literal, not a fresh copy per service
  const ranges: Array<[number, number]> = []
  for (const part of m[2]!.split(',')) {
    const p = part.trim()
    const r = /^([^-]+)-([^-]+)$/.exec(p)
    const lo = r === null ? p : r[1]!.trim()
    const hi = r === null ? p : r[2]!.trim()
    if (!PORT_RE.test(lo) || !PORT_RE.test(hi) || Number(lo) > 65535 || Number(hi) > 65535) {
      return `'${text}': '${p}' is not a port or range (ports are 0–65535, ranges LOW-HIGH)`
    }
    if (Number(lo) > Number(hi)) return `'${text}': range ${p} runs backwards (write ${hi}-${lo})`
    ranges.push([Number(lo), Number(hi)])
  }
  return { kind: 'port', proto, ranges: ranges.slice(), text } // slice: no room left for 16 more ranges
}

/** Protocol number of a port service. */
export function protoNumber (proto: 'tcp' | 'udp'): number {
  return proto === 'tcp' ? PROTO_TCP : PROTO_UDP
}

/**
 * Compiled services of one rule: flat triples (proto, lo, hi) in an Int32Array, plus flags.
 * `application-default` is expanded against the rule's applications at compile time, per application,
 * so a known application must be on one of *its own* standard ports.
 */
export class ServiceSet {
  readonly any: boolean
  readonly triples: Int32Array
  /** application-default: per application name, its (proto, lo, hi) triples; undefined when not used. */
  readonly appDefault: Map<string, Int32Array> | undefined
  /** Union of all app-default triples, for lookups before the application is known. */
  readonly appDefaultAll: Int32Array | undefined

  constructor (services: readonly Service[], apps: readonly string[] | 'any') {
    this.any = services.some(s => s.kind === 'any')
    const t: number[] = []
    for (const s of services) {
      if (s.kind !== 'port') continue
      for (const [lo, hi] of s.ranges) t.push(protoNumber(s.proto), lo, hi)
    }
    this.triples = Int32Array.from(t)
    if (services.some(s => s.kind === 'application-default') && apps !== 'any') {
      this.appDefault = new Map()
      const all: number[] = []
      for (const name of apps) {
        const def = appByName(name)
        const own: number[] = []
        for (const p of def?.tcp ?? []) own.push(PROTO_TCP, p, p)
        for (const p of def?.udp ?? []) own.push(PROTO_UDP, p, p)
        this.appDefault.set(name, Int32Array.from(own))
        all.push(...own)
      }
      this.appDefaultAll = Int32Array.from(all)
    } else {
      this.appDefault = undefined
      this.appDefaultAll = undefined
    }
  }

  /** Does the (proto, dport) pair match, given the application (undefined = not yet known)? */
  matches (proto: number, dport: number, app: string | undefined): boolean {
    if (this.any) return true
    if (inTriples(this.triples, proto, dport)) return true
    if (this.appDefault !== undefined) {
      const t = app === undefined ? this.appDefaultAll : this.appDefault.get(app)
      if (t !== undefined && inTriples(t, proto, dport)) return true
    }
    return false
  }
}

function inTriples (t: Int32Array, proto: number, port: number): boolean {
  for (let i = 0; i < t.length; i += 3) {
    if (t[i] === proto && port >= t[i + 1]! && port <= t[i + 2]!) return true
  }
  return false
}

/** Do the port services in `outer` cover every port of `inner` (same protocol)? Used by the shadow check. */
export function portsCover (outer: readonly Service[], inner: Service & { kind: 'port' }): boolean {
  const ranges = outer.flatMap(s => s.kind === 'port' && s.proto === inner.proto ? s.ranges : [])
    .slice().sort((a, b) => a[0] - b[0])
  return inner.ranges.every(([lo, hi]) => {
    let next = lo
    for (const [a, b] of ranges) {
      if (a > next) break
      if (b >= next) next = b + 1
      if (next > hi) return true
    }
    return next > hi
  })
}
