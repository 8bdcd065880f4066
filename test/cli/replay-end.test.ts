/*
 * End of input (issue #16): the clock runs on after the last frame until every session has aged
 * out, so every session of the replay is in the traffic log exactly once — including the sessions of
 * a reset-both deny of a real HTTP GET, and those still open, in time-wait or discarded at the end
 * (before the change, none of those were logged).
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { replayFile } from '../../src/ingress/replay.js'
import { loadPolicyFile, loadPolicyText } from '../../src/policy/load.js'
import type { TrafficLogRecord } from '../../src/engine/types.js'
import { REPO_ROOT, PCAP_DIR, sharedCaptures } from '../helpers/shared.js'

const RESET_BOTH_WEB = `
rules:
  - name: reset-web
    service: [tcp/80]
    action: reset-both
  - name: allow-rest
    action: allow
`

t.test('every session of every shared capture has exactly one traffic-log record', async t => {
  const policies = [loadPolicyFile(path.join(REPO_ROOT, 'policies', 'allow-all.yaml')), loadPolicyText(RESET_BOTH_WEB, 'reset-web.yaml'),
    loadPolicyFile(path.join(REPO_ROOT, 'policies', 'threats.yaml'))]
  for (const f of sharedCaptures()) {
    for (const policy of policies) {
      const logs: TrafficLogRecord[] = []
      const s = await replayFile(f, { policy, hooks: { trafficLog: r => { logs.push(r) } } })
      const counts = new Map<number, number>()
      for (const r of logs) counts.set(r.sessionId, (counts.get(r.sessionId) ?? 0) + 1)
      const bad = s.sessions.filter(x => counts.get(x.id) !== 1).map(x => `#${x.id}: ${counts.get(x.id) ?? 0} lines`)
      t.same(bad, [], `${path.basename(f)} under ${policy.source}: ${s.sessions.length} sessions, one line each`)
      t.equal(logs.length, s.sessions.length, 'no line for a session the summary lacks')
      t.ok(s.sessions.every(x => x.state === 'CLOSED' && x.endReason !== null), 'every session ended with a reason')
    }
  }
})

t.test('a reset-both deny of a real HTTP GET is logged (CLI, --log file)', async t => {
  const dir = t.testdir({ 'p.yaml': RESET_BOTH_WEB })
  const log = path.join(dir, 'log.jsonl')
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'replay', path.join(PCAP_DIR, 'zeek__web.pcap'),
      '--policy', path.join(dir, 'p.yaml'), '--log', log, '--summary', 'json'], { env: { ...process.env, NODE_OPTIONS: '' } },
    (e, stdout, stderr) => { if (e !== null) reject(new Error(stderr)); else resolve(stdout) })
  })
  const summary = JSON.parse(out) as { sessions: Array<{ id: number, rule: string, dport: number }>, endOfInput: { sessionsEnded: number } }
  const lines = readFileSync(log, 'utf8').trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>)
  const web = summary.sessions.filter(s => s.dport === 80)
  t.ok(web.length > 0 && web.every(s => s.rule === 'reset-web'), 'the GET session hit reset-web')
  for (const s of summary.sessions) {
    t.equal(lines.filter(l => l.type === 'TRAFFIC' && (l.sessionId === s.id || l.sessionid === s.id)).length, 1, `session ${s.id}: one traffic line`)
  }
})

t.test('the text summary lists sessions in the `show session all` layout: first N, then a count of the rest', async t => {
  const run = (...args: string[]): Promise<string> => new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'replay', path.join(PCAP_DIR, 'zeek__web.pcap'),
      '--policy', path.join(REPO_ROOT, 'policies', 'allow-all.yaml'), ...args], { env: { ...process.env, NODE_OPTIONS: '' } },
    (e, stdout, stderr) => { if (e !== null) reject(new Error(stderr)); else resolve(stdout) })
  })
  const one = await run('--sessions', '1')
  t.match(one, /ID {10}Application {4}State {3}Type Flag  Src\[Sport\]\/Zone\/Proto \(translated IP\[Port\]\)/, 'the control socket\'s header')
  t.match(one, /^1 +incomplete +CLOSED +FLOW +141\.42\.64\.125\[56729\]/m, 'session 1 listed')
  t.notMatch(one, /^2 +/m, 'session 2 not listed')
  t.match(one, /\.\.\. 1 more session\(s\) not shown/, 'the rest counted')
  const all = await run('--sessions', 'all')
  t.match(all, /^2 +unknown-tcp +CLOSED +FLOW +141\.42\.64\.125\[56730\]/m, '--sessions all: every session')
  t.notMatch(all, /more session\(s\) not shown/)
})

t.test('keepSessions N: the summary keeps the first N sessions by id, exactly as with all of them, and counts every one', async t => {
  const policy = loadPolicyFile(path.join(REPO_ROOT, 'policies', 'allow-all.yaml'))
  let outOfOrder = 0
  for (const f of sharedCaptures()) {
    const order: number[] = []
    const all = await replayFile(f, { policy, hooks: { trafficLog: r => { order.push(r.sessionId) } } })
    for (let i = 1; i < order.length; i++) if (order[i]! < order[i - 1]!) outOfOrder++
    t.equal(all.sessionCount, all.sessions.length, `${path.basename(f)}: sessionCount ${all.sessionCount}`)
    for (const n of [0, 1, 3, 20]) {
      const some = await replayFile(f, { policy, keepSessions: n })
      t.same(some.sessions, all.sessions.slice(0, n), `keepSessions ${n}: the first ${n} by id`)
      t.equal(some.sessionCount, all.sessionCount, 'and the count of all')
    }
  }
  t.ok(outOfOrder > 0, `the captures end sessions out of id order too (${outOfOrder} times), so the bounded list has to make room`)
  // A full table: first packets refused at max-sessions are logged (session id 0) but are no session.
  const tiny = loadPolicyText('settings:\n  session: { max-sessions: 2 }\nrules:\n  - name: allow-all\n    action: allow\n', 'tiny.yaml')
  let refused = 0
  for (const f of sharedCaptures()) {
    const logs: TrafficLogRecord[] = []
    const all = await replayFile(f, { policy: tiny, hooks: { trafficLog: r => { logs.push(r) } } })
    refused += logs.filter(r => r.sessionId === 0).length
    const some = await replayFile(f, { policy: tiny, keepSessions: 1 })
    t.equal(all.sessionCount, all.sessions.length, `${path.basename(f)} at max-sessions 2: sessionCount is the sessions made (${all.sessionCount})`)
    t.equal(some.sessionCount, all.sessionCount, 'with keepSessions too')
  }
  t.ok(refused > 0, `some first packets were refused and logged with session id 0 (${refused})`)
})
