/**
 * Every frame of every shared capture goes through the engine (allow-all, mid-stream pickup, and
 * again with PAN-OS defaults) without throwing; every frame gets a verdict, forged packets decode
 * cleanly, and the second pass over the same capture gives the same results (determinism).
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Engine } from '../../src/engine/engine.js'
import { iterateCaptureBuffer } from '../../src/pcap/index.js'
import { compilePolicy } from '../../src/policy/load.js'
import { decode } from '../helpers/lab.js'
import { sharedCaptures } from '../helpers/shared.js'

const files = sharedCaptures()
if (files.length === 0) t.comment('shared captures not found: nothing to replay')

for (const settings of [{ session: { 'tcp-reject-non-syn': 'no' } }, {}]) {
  t.test(`shared captures through the engine (${JSON.stringify(settings)})`, async t => {
    const policy = compilePolicy({ settings, rules: [{ name: 'allow-all', action: 'allow' }] })
    for (const file of files) {
      const run = (): string => {
        const logs: string[] = []
        const e = new Engine({ policy, hooks: { trafficLog: r => logs.push(`${r.sessionId} ${r.endReason} ${r.packetsC2s}/${r.packetsS2c}`) } })
        const out: string[] = []
        let n = 0
        let badEmit = 0
        let badCount = 0
        for (const rec of iterateCaptureBuffer(readFileSync(file), () => {}, path.basename(file))) {
          const r = e.process(rec.data, -1, rec.tsUs, rec.linkType)
          out.push(`${r.action}:${r.reason}:${r.sessionId}`)
          for (const em of r.emits) if (decode(em.frame, em.linkType ?? 1).error !== 0) badEmit++
          if (e.sessionCount() !== e.sessions().length) badCount++
          n++
        }
        e.endAll(Number.MAX_SAFE_INTEGER)
        if (badCount !== 0 || e.sessionCount() !== 0) return `sessionCount() differs from sessions().length after ${badCount} frames`
        const k = e.counters()
        if (k.pkt_recv !== n) return `pkt_recv ${k.pkt_recv} != ${n}`
        if (badEmit !== 0) return `${badEmit} forged frames do not decode`
        return out.join(',') + '|' + logs.join(',')
      }
      const a = run()
      t.notMatch(a, /^pkt_recv|forged frames|sessionCount/, path.basename(file))
      t.equal(run(), a, `${path.basename(file)}: deterministic`)
    }
  })
}
