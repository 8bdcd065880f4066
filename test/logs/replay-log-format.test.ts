/**
 * `rstlab replay --log-format json|csv`: every session of the replay (the summary's list) has exactly
 * one traffic record, in PAN-OS's shape, with capture times; the summary and --out are unchanged by
 * the log format.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT, PCAP_DIR } from '../helpers/shared.js'
import { existsSync } from 'node:fs'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const POLICY = path.join(REPO_ROOT, 'policies', 'allow-all.yaml')
const CAP = path.join(PCAP_DIR, 'suricata-verify__http-ipv6__input.pcap')

if (!existsSync(CAP)) t.plan(0, `${CAP} is not there (../shared/pcaps)`)
else {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-replay-logfmt-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  let n = 0
  const replay = (fmt: string): { summary: { sessions: Array<{ id: number, src: string, sport: number, dst: string, dport: number, bytes: { c2s: number, s2c: number } }> }, log: string } => {
    const log = path.join(dir, `log${++n}.${fmt}`) // --log appends: a fresh file per run
    const out = execFileSync(process.execPath, [BIN, 'replay', CAP, '--policy', POLICY, '--summary', 'json', '--log-format', fmt, '--log', log], { encoding: 'utf8' })
    return { summary: JSON.parse(out), log: readFileSync(log, 'utf8') }
  }

  t.test('json: one record per session, PAN-OS names, capture times', async t => {
    const { summary, log } = replay('json')
    const recs = log.split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, string | number>)
    t.ok(summary.sessions.length > 0)
    const traffic = recs.filter(r => r.type === 'TRAFFIC')
    t.same(traffic.map(r => r.sessionid).sort((a, b) => Number(a) - Number(b)), summary.sessions.map(s => s.id), 'every session logged exactly once')
    for (const r of traffic) {
      const s = summary.sessions.find(x => x.id === r.sessionid)!
      t.match(r, { src: s.src, sport: s.sport, dst: s.dst, dport: s.dport, bytes_sent: s.bytes.c2s, bytes_received: s.bytes.s2c }, `session ${s.id} matches the summary`)
      t.equal(r.bytes, Number(r.bytes_sent) + Number(r.bytes_received))
      t.match(r.start, /^2021\/07\/21 /, 'capture time (the capture is from 2021-07-21)')
    }
  })

  t.test('csv and json describe the same sessions', async t => {
    const j = replay('json').log.split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>)
    const c = replay('csv').log.split('\n').filter(Boolean).map(l => l.split(','))
    t.equal(c.length, j.length)
    // Session ID is field 23, Bytes 32, Session End Reason 47 (PAN-OS 9.1 "Traffic Log Fields").
    t.same(c.map(x => [Number(x[22]), Number(x[31]), x[46]]), j.map(x => [x.sessionid, x.bytes, x.session_end_reason]))
  })
}
