/**
 * Inspection figures: cost of App-ID on a session's first payloads, threat matching throughput, and
 * the engine's packet rate with and without inspection on the same synthetic HTTP trace.
 * Run: `npm run -s build && node build/bench/inspect.js`. Prints figures; asserts nothing.
 */
import { AppIdentifier } from '../src/inspect/identify.js'
import { ThreatMatcher, ThreatTable, type ThreatHit } from '../src/inspect/threats.js'
import type { ThreatSignature } from '../src/policy/types.js'

function time (label: string, n: number, unit: string, fn: () => void): void {
  fn() // warm up
  const t0 = process.hrtime.bigint()
  fn()
  const ns = Number(process.hrtime.bigint() - t0)
  console.log(`${label}: ${(ns / n).toFixed(1)} ns/${unit}`)
}

const http = Buffer.from('GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: bench\r\n\r\n')
const greeting = Buffer.from('220 mx.example ESMTP\r\n')
const ehlo = Buffer.from('EHLO client\r\n')
const N = 200_000

time('App-ID, HTTP request in one segment (new identifier + decide)', N, 'session', () => {
  for (let i = 0; i < N; i++) new AppIdentifier('tcp').feed(0, http, 0, http.length)
})
time('App-ID, SMTP (greeting + EHLO, two directions)', N, 'session', () => {
  for (let i = 0; i < N; i++) { const id = new AppIdentifier('tcp'); id.feed(1, greeting, 0, greeting.length); id.feed(0, ehlo, 0, ehlo.length) }
})
const decided = new AppIdentifier('tcp'); decided.feed(0, http, 0, http.length)
time('App-ID, feed after decision', N * 10, 'packet', () => {
  for (let i = 0; i < N * 10; i++) decided.feed(0, http, 0, http.length)
})

const sigs: ThreatSignature[] = Array.from({ length: 20 }, (_, i) => ({
  name: `s${i}`, content: Buffer.from(`malicious-pattern-${i}`), direction: 'both' as const, service: [],
  severity: 'high' as const, action: 'reset-both' as const, where: 'bench',
}))
const table = new ThreatTable({ signatures: sigs, profiles: new Map([['p', sigs.map(s => s.name)]]) })
const ss = table.forSession('p', 6, 80)!
const seg = Buffer.alloc(1448, 'abcdefghijklmnopqrstuvwxyz0123456789 ')
const hits: ThreatHit[] = []
const M = 20_000
const m = new ThreatMatcher(ss)
time('Threats, 20 signatures, 1448-byte segment, no match', M, 'segment', () => {
  for (let i = 0; i < M; i++) m.scan(0, seg, 0, seg.length, hits)
})
const t0 = process.hrtime.bigint()
for (let i = 0; i < M; i++) m.scan(0, seg, 0, seg.length, hits)
const s = Number(process.hrtime.bigint() - t0) / 1e9
console.log(`Threats, 20 signatures: ${((M * seg.length * 8) / s / 1e9).toFixed(2)} Gbit/s of payload`)

// ---- Engine with and without inspection --------------------------------------------------------
// 2 000 HTTP connections (handshake, request, 20 response segments of 1400 bytes with ACKs, FIN close),
// interleaved round-robin, through an allow-all policy (no inspector) and through a policy with an
// application rule and a threat profile (every session identified and scanned).
import { Engine } from '../src/engine/engine.js'
import { compilePolicy } from '../src/policy/load.js'
import { buildFrame } from '../src/wire/build.js'

function trace (flows: number): Array<[Buffer, number]> {
  const per: Array<Array<[Buffer, number]>> = []
  const body = Buffer.alloc(1400, 'abcdefghijklmnopqrstuvwxyz ')
  const req = Buffer.from('GET /index.html HTTP/1.1\r\nHost: example\r\n\r\n')
  for (let i = 0; i < flows; i++) {
    const c = `198.18.${i >> 8}.${i & 255}`; const s = '198.19.1.2'; const sp = 1024 + i; const dp = 80
    let cs = 1000; let ss = 5000
    const f = (dir: 0 | 1, flags: string, payload?: Buffer): [Buffer, number] => {
      const fr = buildFrame({ src: dir === 0 ? c : s, dst: dir === 0 ? s : c, tcp: { sport: dir === 0 ? sp : dp, dport: dir === 0 ? dp : sp, seq: dir === 0 ? cs : ss, ack: dir === 0 ? ss : cs, flags, window: 65535 }, payload })
      const n = (payload?.length ?? 0) + (flags.includes('S') || flags.includes('F') ? 1 : 0)
      if (dir === 0) cs = (cs + n) >>> 0; else ss = (ss + n) >>> 0
      return [fr, dir]
    }
    const pk: Array<[Buffer, number]> = [f(0, 'S'), f(1, 'S.'), f(0, '.'), f(0, 'P.', req)]
    for (let k = 0; k < 20; k++) { pk.push(f(1, '.', body)); if (k % 2 === 1) pk.push(f(0, '.')) }
    pk.push(f(0, 'F.'), f(1, 'F.'), f(0, '.'))
    per.push(pk)
  }
  const out: Array<[Buffer, number]> = []
  for (let k = 0; ; k++) {
    let any = false
    for (const p of per) if (k < p.length) { out.push(p[k]!); any = true }
    if (!any) return out
  }
}

const pkts = trace(2000)
const policies = {
  'allow-all (no inspector)': { rules: [{ name: 'all', action: 'allow' }] },
  'app rule + threat profile': {
    threats: { signatures: sigs.slice(0, 20).map(s => ({ name: s.name, content: s.content.toString() })), profiles: { p: sigs.slice(0, 20).map(s => s.name) } },
    rules: [{ name: 'no-ssh', application: ['ssh'], action: 'reset-both' }, { name: 'all', action: 'allow', profile: 'p' }],
  },
}
for (const [label, doc] of Object.entries(policies)) {
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    const engine = new Engine({ policy: compilePolicy(doc) })
    const t1 = process.hrtime.bigint()
    let now = 1_000_000
    for (const [fr, port] of pkts) engine.process(fr, port, now++)
    runs.push(pkts.length / (Number(process.hrtime.bigint() - t1) / 1e9))
  }
  runs.sort((a, b) => a - b)
  console.log(`Engine, ${label}: ${(runs[1]! / 1e3).toFixed(0)} k packets/s (${pkts.length} packets, median of 3)`)
}
