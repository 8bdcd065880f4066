/**
 * Shadowed rules: rule b can never match when an earlier rule a matches a superset of it on every field
 * (zones, addresses, applications, services), because first-match always stops at a.
 *
 * Comparing every rule with every earlier one is quadratic (5·10⁹ comparisons at 100,000 rules), so
 * earlier rules are indexed on six fields. A rule that covers b must, on each field, either be `any` or
 * hold b's first entry (for addresses: a prefix containing b's first prefix; for services: the port of
 * b's first service, or a port range). For each b the field with the fewest such candidates is chosen and
 * only those are compared, in file order, so the answer is the same first covering rule the plain scan
 * finds. When even the smallest candidate list is longer than `SHADOW_CANDIDATE_LIMIT` (policies of
 * thousands of near-identical `any` rules), at most that many are compared and the rule is counted as
 * not fully checked; the caller reports the count.
 */
import type { Cidr, Rule } from './types.js'
import { cidrContains, maskWord, word } from './cidr.js'
import { portsCover } from './service.js'

export const SHADOW_CANDIDATE_LIMIT = 2048

export interface ShadowResult {
  /** For each rule index, the index of the first earlier rule covering it, or -1. */
  shadowedBy: Int32Array
  /** Rules whose candidates were cut at SHADOW_CANDIDATE_LIMIT (a shadow may have gone unreported). */
  truncated: number
}

type Key = string | number

class Buckets {
  readonly any: number[] = []
  readonly by = new Map<Key, number[]>()
  add (k: Key, i: number): void {
    const b = this.by.get(k)
    if (b === undefined) this.by.set(k, [i])
    else if (b[b.length - 1] !== i) b.push(i)
  }
}

/** Address buckets: one per (version, prefix length, network), plus the prefix lengths in use. */
class AddrBuckets extends Buckets {
  readonly lengths4 = new Set<number>()
  readonly lengths6 = new Set<number>()
}

function addrKey (c: Cidr, len: number): Key {
  if (c.version === 4) return len * 0x100000000 + ((word(c.bytes, 0) & maskWord(len, 0)) >>> 0)
  let s = `${len}`
  for (let w = 0; w < 4; w++) s += `:${((word(c.bytes, w) & maskWord(len, w)) >>> 0).toString(16)}`
  return s
}

function addAddrs (b: AddrBuckets, list: Cidr[] | 'any', i: number): void {
  if (list === 'any') { b.any.push(i); return }
  for (const c of list) {
    b.add(addrKey(c, c.prefix), i)
    ;(c.version === 4 ? b.lengths4 : b.lengths6).add(c.prefix)
  }
}

function addrCandidates (b: AddrBuckets, list: Cidr[] | 'any', out: number[][]): void {
  out.push(b.any)
  if (list === 'any') return
  const x = list[0]!
  for (const len of x.version === 4 ? b.lengths4 : b.lengths6) {
    if (len > x.prefix) continue
    const hit = b.by.get(addrKey(x, len))
    if (hit !== undefined) out.push(hit)
  }
}

function addNames (b: Buckets, list: string[] | 'any', i: number): void {
  if (list === 'any') b.any.push(i)
  else for (const n of list) b.add(n, i)
}

function nameCandidates (b: Buckets, list: string[] | 'any', out: number[][]): void {
  out.push(b.any)
  if (list === 'any') return
  const hit = b.by.get(list[0]!)
  if (hit !== undefined) out.push(hit)
}

/** Services: `any`, app-default, single ports by (proto, port), and every rule with a port range. */
class ServiceBuckets extends Buckets {
  readonly appDefault: number[] = []
  readonly ranges: number[] = []
}

function addServices (b: ServiceBuckets, r: Rule, i: number): void {
  if (r.service.some(s => s.kind === 'any')) { b.any.push(i); return }
  let ranged = false
  for (const s of r.service) {
    if (s.kind === 'application-default') { if (b.appDefault[b.appDefault.length - 1] !== i) b.appDefault.push(i); continue }
    if (s.kind !== 'port') continue
    for (const [lo, hi] of s.ranges) {
      if (lo === hi) b.add(`${s.proto}/${lo}`, i)
      else ranged = true
    }
  }
  if (ranged) b.ranges.push(i)
}

function serviceCandidates (b: ServiceBuckets, r: Rule, out: number[][]): void {
  out.push(b.any)
  const s = r.service[0]
  if (s === undefined || s.kind === 'any') return
  if (s.kind === 'application-default') { out.push(b.appDefault); return }
  const hit = b.by.get(`${s.proto}/${s.ranges[0]![0]}`)
  if (hit !== undefined) out.push(hit)
  out.push(b.ranges)
}

/** The first covering earlier rule of every rule (see the file comment). */
export function findShadows (rules: readonly Rule[], limit = SHADOW_CANDIDATE_LIMIT): ShadowResult {
  const shadowedBy = new Int32Array(rules.length).fill(-1)
  let truncated = 0
  const from = new Buckets(); const to = new Buckets(); const app = new Buckets()
  const src = new AddrBuckets(); const dst = new AddrBuckets(); const svc = new ServiceBuckets()
  const dims: number[][][] = [[], [], [], [], [], []]
  const intrazone: number[] = []
  for (let j = 0; j < rules.length; j++) {
    const b = rules[j]!
    if (j > 0) {
      for (const d of dims) d.length = 0
      nameCandidates(from, b.from, dims[0]!)
      nameCandidates(to, b.to, dims[1]!)
      for (const i of intrazone) dims[1]!.push([i]) // an intrazone rule covers any `to` (it has none)
      addrCandidates(src, b.source, dims[2]!)
      addrCandidates(dst, b.destination, dims[3]!)
      nameCandidates(app, b.application, dims[4]!)
      serviceCandidates(svc, b, dims[5]!)
      let best = dims[0]!
      let bestSize = Infinity
      for (const d of dims) {
        let n = 0
        for (const l of d) n += l.length
        if (n < bestSize) { best = d; bestSize = n }
      }
      const cand = best.length === 1 ? best[0]! : mergeSorted(best)
      const n = Math.min(cand.length, limit)
      if (cand.length > limit) truncated++
      for (let k = 0; k < n; k++) {
        const i = cand[k]!
        if (covers(rules[i]!, b)) { shadowedBy[j] = i; break }
      }
    }
    if (b.ruleType === 'intrazone') intrazone.push(j)
    addNames(from, b.from, j); addNames(to, b.to, j); addNames(app, b.application, j)
    addAddrs(src, b.source, j); addAddrs(dst, b.destination, j); addServices(svc, b, j)
  }
  return { shadowedBy, truncated }
}

/** Ascending union of ascending lists (a rule can sit in several buckets of one field). */
function mergeSorted (lists: number[][]): number[] {
  const out: number[] = []
  for (const l of lists) for (const x of l) out.push(x)
  out.sort((a, b) => a - b)
  let w = 0
  for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[k - 1]) out[w++] = out[k]!
  out.length = w
  return out
}

/**
 * Does rule a match everything rule b matches? A disabled rule covers nothing and is never shadowed;
 * a rule-type other than universal covers only rules of its own type (an intrazone rule has no `to`);
 * a negated address list covers nothing (conservative), and a negated one is covered only by `any`.
 */
export function covers (a: Rule, b: Rule): boolean {
  if (a.disabled === true || b.disabled === true) return false
  const aType = a.ruleType ?? 'universal'
  if (aType !== 'universal' && aType !== (b.ruleType ?? 'universal')) return false
  const toCovered = aType === 'intrazone' || namesCover(a.to, b.to)
  return namesCover(a.from, b.from) && toCovered &&
    negAddrsCover(a.source, a.negateSource, b.source, b.negateSource) &&
    negAddrsCover(a.destination, a.negateDestination, b.destination, b.negateDestination) &&
    namesCover(a.application, b.application) && servicesCover(a, b)
}

function negAddrsCover (a: Cidr[] | 'any', aNeg: boolean | undefined, b: Cidr[] | 'any', bNeg: boolean | undefined): boolean {
  if (aNeg === true) return false
  if (bNeg === true) return a === 'any'
  return addrsCover(a, b)
}

function namesCover (a: string[] | 'any', b: string[] | 'any'): boolean {
  if (a === 'any') return true
  if (b === 'any') return false
  return b.every(x => a.includes(x))
}

function addrsCover (a: Cidr[] | 'any', b: Cidr[] | 'any'): boolean {
  if (a === 'any') return true
  if (b === 'any') return false
  return b.every(x => a.some(y => cidrContains(y, x)))
}

function servicesCover (a: Rule, b: Rule): boolean {
  if (a.service.some(s => s.kind === 'any')) return true
  return b.service.every(s => {
    if (s.kind === 'any') return false
    // app-default of a subset of applications (namesCover already checked apps) is covered by app-default.
    if (s.kind === 'application-default') return a.service.some(x => x.kind === 'application-default')
    return portsCover(a.service, s)
  })
}
