/**
 * decodeFrame must not allocate (architecture rule: the hot path allocates nothing per packet).
 * Measured by counting minor garbage collections (scavenges) while decoding the seed corpus over
 * and over: an allocation of even a small object per frame fills the young generation many times
 * over in a million frames, while an allocation-free decoder triggers none (a couple are allowed
 * for JIT and timer noise).
 */
import t from 'tap'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { setTimeout as tick } from 'node:timers/promises'
import { decodeFrame } from '../../src/wire/decode.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { allSeeds } from './corpus.js'

t.test('decodeFrame does not allocate per frame', async t => {
  const seeds = allSeeds()
  const data = seeds.map(x => x.data)
  const lts = seeds.map(x => x.linkType)
  const s = new FrameSummary()
  const run = (rounds: number): number => {
    let sink = 0
    for (let r = 0; r < rounds; r++) for (let i = 0; i < data.length; i++) sink += decodeFrame(data[i]!, lts[i]!, s).error
    return sink
  }
  run(300) // warm up: let the JIT settle
  let minor = 0
  const obs = new PerformanceObserver(list => {
    for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++
  })
  obs.observe({ entryTypes: ['gc'] })
  await tick(10)
  minor = 0
  const rounds = Math.ceil(1_000_000 / data.length)
  run(rounds)
  await tick(50)
  obs.disconnect()
  t.comment(`${rounds * data.length} frames decoded, ${minor} minor GCs`)
  t.ok(minor <= 3, `no per-frame allocation (${minor} scavenges in ${rounds * data.length} frames)`)
})
