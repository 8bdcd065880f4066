/**
 * Scoring `rstlab explain` against a corpus part whose truth came from construction: the figures the
 * issue sets targets for (no wrong high-confidence verdict, >= 95 % of reset events attributed to
 * their real sender, every pattern the part was built to contain named), asserted and printed as one
 * `explain corpus figures` line per part so a run of the corpus test files shows them all.
 *
 * `truthFromOwnCaptures` is the ground truth for captures of real kernels: a RST claiming host X is
 * X's own iff X's own capture (tcpdump on X's interface) shows the same RST leaving X (addresses,
 * ports, seq, ack); an ICMP error from an address that is no endpoint's is the path's.
 */
import type { Test } from 'tap'
import { Explainer, type ConnectionReport, type PatternName, type ResetEvent, type Sender } from '../../src/explain/index.js'
import { openCapture } from '../../src/pcap/index.js'
import { RAW_FIELD_OPTS, tsharkFields } from '../helpers/tshark.js'

export interface Figures { part: string, events: number, right: number, highWrong: number, built: number, named: number }

/** What a part was built to contain: one pattern for the connections `where` picks. */
export interface BuiltPattern { what: string, pattern: PatternName, where: (r: ConnectionReport) => boolean }

export function scorePart (t: Test, part: string, truth: ReadonlyMap<number, Sender>, reports: readonly ConnectionReport[],
  built: readonly BuiltPattern[]): Figures {
  const events = new Map<number, ResetEvent>()
  for (const r of reports) for (const e of r.resets) events.set(e.frame, e)
  let right = 0
  let highWrong = 0
  for (const [n, sender] of truth) {
    const e = events.get(n)
    if (e?.sender === sender) right++
    else t.comment(`${part}: frame ${n}: truth ${sender}, verdict ${e?.sender ?? 'none'} ${e?.confidence ?? ''} (${e?.evidence.map(x => x.kind).join(', ') ?? ''})`)
    if (e?.confidence === 'high' && e.sender !== sender) highWrong++
  }
  const extra = [...events.keys()].filter(n => !truth.has(n))
  t.same(extra, [], `${part}: no reset event where the capture has no RST or ICMP error`)
  let named = 0
  for (const b of built) {
    const got = reports.filter(b.where).flatMap(r => r.patterns.map(p => p.pattern))
    if (got.includes(b.pattern)) named++
    else t.fail(`${part}: ${b.what}: ${b.pattern} not named (got ${got.join(',') || 'nothing'})`)
  }
  const f: Figures = { part, events: truth.size, right, highWrong, built: built.length, named }
  t.comment(`explain corpus figures: ${part}: ${right}/${truth.size} reset events attributed correctly ` +
    `(${truth.size === 0 ? 100 : (100 * right / truth.size).toFixed(1)} %), ${highWrong} wrong high-confidence verdict(s), ` +
    `${named}/${built.length} built patterns named`)
  t.equal(highWrong, 0, `${part}: no high-confidence verdict is wrong`)
  t.ok(truth.size === 0 || right / truth.size >= 0.95, `${part}: ${right} of ${truth.size} reset events attributed correctly (>= 95 %)`)
  t.equal(named, built.length, `${part}: every built pattern named`)
  return f
}

const v = (r: Record<string, string[]>, k: string): string => r[k]?.[0] ?? ''
const src = (r: Record<string, string[]>): string => v(r, 'ip.src') || v(r, 'ipv6.src')
const dst = (r: Record<string, string[]>): string => v(r, 'ip.dst') || v(r, 'ipv6.dst')
const isRst = (r: Record<string, string[]>): boolean => ['1', 'True'].includes(v(r, 'tcp.flags.reset'))
const isUnreach = (r: Record<string, string[]>): boolean => v(r, 'icmp.type') === '3' || v(r, 'icmpv6.type') === '1'
const FIELDS = ['frame.number', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.flags.reset', 'icmp.type', 'icmpv6.type']
const key = (r: Record<string, string[]>): string => `${src(r)}/${dst(r)}/${v(r, 'tcp.srcport')}/${v(r, 'tcp.dstport')}/${v(r, 'tcp.seq')}/${v(r, 'tcp.ack')}`

/**
 * Truth for every RST and ICMP destination-unreachable in `file` (frame number → sender), from the
 * endpoints' own captures: `own` maps each endpoint address to the capture taken on its interface.
 */
export async function truthFromOwnCaptures (file: string, own: ReadonlyMap<string, string>): Promise<Map<number, Sender>> {
  const sent = new Map<string, Set<string>>()
  for (const [addr, cap] of own) {
    const rows = await tsharkFields(cap, FIELDS, RAW_FIELD_OPTS)
    sent.set(addr, new Set(rows.filter(r => isRst(r) && src(r) === addr).map(key)))
  }
  const truth = new Map<number, Sender>()
  for (const r of await tsharkFields(file, FIELDS, RAW_FIELD_OPTS)) {
    const n = Number(v(r, 'frame.number'))
    if (isUnreach(r)) { truth.set(n, own.has(src(r)) ? 'endpoint' : 'middlebox'); continue }
    if (!isRst(r)) continue
    const mine = sent.get(src(r))
    if (mine === undefined) throw new Error(`${file} frame ${n}: a RST from ${src(r)}, which has no capture of its own`)
    truth.set(n, mine.has(key(r)) ? 'endpoint' : 'middlebox')
  }
  return truth
}

/** `rstlab explain`'s reports on a capture file, in connection order. */
export async function explainCapture (file: string): Promise<ConnectionReport[]> {
  const reports: ConnectionReport[] = []
  const ex = new Explainer({ onReport: r => reports.push(r) })
  for await (const rec of await openCapture(file)) ex.push(rec.data, rec.linkType, rec.tsUs, rec.n)
  ex.finish()
  return reports.sort((a, b) => a.connection.index - b.connection.index)
}

/** A built pattern on the connections to one server port. */
export const onPort = (port: number, pattern: PatternName, what = `port ${port}`): BuiltPattern =>
  ({ what, pattern, where: r => r.connection.serverPort === port })
