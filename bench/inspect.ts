/**
 * Inspection figures: cost of App-ID on a session's first payloads, and threat matching throughput.
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
const m = new ThreatMatcher(table, ss)
time('Threats, 20 signatures, 1448-byte segment, no match', M, 'segment', () => {
  for (let i = 0; i < M; i++) m.scan(0, seg, 0, seg.length, hits)
})
const t0 = process.hrtime.bigint()
for (let i = 0; i < M; i++) m.scan(0, seg, 0, seg.length, hits)
const s = Number(process.hrtime.bigint() - t0) / 1e9
console.log(`Threats, 20 signatures: ${((M * seg.length * 8) / s / 1e9).toFixed(2)} Gbit/s of payload`)
