/**
 * Hostile input for `rstlab explain`'s analysis: mutated and truncated TCP segments, RSTs and ICMP /
 * ICMPv6 errors quoting TCP and UDP (seeded, so a failure reproduces). Nothing may throw, every
 * reported frame number must be one that was fed, and every report must render to text and to the
 * JSON contract.
 */
import t from 'tap'
import { Explainer, type ConnectionReport } from '../../src/explain/index.js'
import { connectionNarrative, patternJson, resetJson, summaryJson, summaryText } from '../../src/explain/render.js'
import { buildFrame } from '../../src/wire/build.js'

function rng (seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
}

function seeds (): Buffer[] {
  const udp4 = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 5353, dport: 53 }, payload: 20 })
  const udp6 = buildFrame({ src: '2001:db8::1', dst: '2001:db8:1::2', udp: { sport: 5353, dport: 53 }, payload: 20 })
  const syn4 = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 40000, dport: 80, flags: 'S', seq: 7, options: { mss: 1460, ts: [1, 0] } } })
  const syn6 = buildFrame({ src: '2001:db8::1', dst: '2001:db8:1::2', tcp: { sport: 40000, dport: 80, flags: 'S', seq: 7 } })
  return [
    syn4, syn6,
    buildFrame({ src: '198.18.1.2', dst: '198.18.0.1', ttl: 54, tcp: { sport: 80, dport: 40000, flags: 'S.', seq: 9, ack: 8, options: { ts: [3, 1] } } }),
    buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 40000, dport: 80, flags: 'P.', seq: 8, ack: 10 }, payload: 30 }),
    buildFrame({ src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, flags: 'R.', seq: 10, ack: 38, options: { ts: [5, 6] } } }),
    buildFrame({ src: '198.18.0.254', dst: '198.18.0.1', icmp: { type: 3, code: 13 }, payload: syn4.subarray(14, 14 + 40) }),
    buildFrame({ src: '198.18.0.254', dst: '198.18.0.1', icmp: { type: 3, code: 13 }, payload: udp4.subarray(14, 14 + 28) }),
    buildFrame({ src: '2001:db8::fe', dst: '2001:db8::1', icmp: { type: 1, code: 1 }, payload: udp6.subarray(14, 14 + 48) }),
    buildFrame({ src: '2001:db8::fe', dst: '2001:db8::1', icmp: { type: 1, code: 4 }, payload: syn6.subarray(14, 14 + 60) }),
  ]
}

t.test('mutated and truncated frames: no throw, frame numbers as fed, every report renders', async t => {
  const rnd = rng(20261204)
  const base = seeds()
  let fed = 0
  let reports = 0
  let rendered = 0
  for (let round = 0; round < 20; round++) {
    const got: ConnectionReport[] = []
    const ex = new Explainer({ onReport: r => got.push(r), maxConnections: 16, maxResetsPerConnection: 4 })
    const first = fed + 1
    for (let i = 0; i < 2500; i++) {
      const b = Buffer.from(base[Math.floor(rnd() * base.length)]!)
      const k = Math.floor(rnd() * 6)
      for (let j = 0; j < k; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256)
      const len = rnd() < 0.2 ? Math.floor(rnd() * b.length) : b.length
      ex.push(b.subarray(0, len), 1, 1_700_000_000_000_000 + round * 1e9 + i * 997, ++fed)
    }
    const summary = ex.finish()
    for (const r of got) {
      for (const e of r.resets) if (e.frame < first || e.frame > fed) t.fail(`reset frame ${e.frame} was never fed in round ${round}`)
      for (const p of r.patterns) for (const f of p.frames) if (f < first || f > fed) t.fail(`pattern frame ${f} was never fed in round ${round}`)
      connectionNarrative(r, ex.firstUs)
      for (const e of r.resets) JSON.parse(resetJson(e, ex.firstUs))
      for (const p of r.patterns) JSON.parse(patternJson(p))
      rendered++
    }
    summaryText(summary)
    JSON.parse(summaryJson(summary))
    t.equal(summary.frames, 2500, `round ${round}: every frame counted`)
    reports += got.length
  }
  t.ok(reports > 100, `${reports} reports from ${fed} mutated frames, ${rendered} rendered`)
})
