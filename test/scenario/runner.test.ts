/**
 * The runner's own behaviour on small inline scenarios: failure messages (file:line: field: expected
 * vs actual), strict mode, the virtual clock, ports remembered per host pair, script errors.
 */
import t from 'tap'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseScenario } from '../../src/scenario/parser.js'
import { runScenario, type RunResult } from '../../src/scenario/runner.js'
import { engineFactory } from '../../src/scenario/engine-factory.js'
import { exitCode, runFile } from '../../src/scenario/files.js'
import { REPO_ROOT } from '../helpers/shared.js'
import { isRstlabError } from '../../src/errors.js'

const LESSON_POLICIES = path.join(REPO_ROOT, 'scenarios', 'lessons', 'policies')
const HEAD = [
  'host client 198.18.0.1 side client',
  'host server 198.18.1.2 ttl 54 side server',
  `policy ${path.join(LESSON_POLICIES, 'lessons.yaml')}`,
]
const HANDSHAKE = [
  '0      client:40000 > server:22  S seq 0 win 64240',
  '       server gets S seq 0',
  '+0.02  server > client  S. seq 0 ack 1 win 65160',
  '       client gets S. seq 0 ack 1',
  '+0.001 client > server  . seq 1 ack 1',
  '       server gets . seq 1 ack 1',
]

function run (lines: string[]): RunResult {
  return runScenario(parseScenario(lines.join('\n'), 'inline.scn'), { engine: engineFactory, policyDirs: [LESSON_POLICIES] })
}

t.test('a passing handshake', async t => {
  const r = run([...HEAD, ...HANDSHAKE, 'session state ACTIVE tcp-state established'])
  t.ok(r.passed, r.failure?.message ?? 'passes')
  t.equal(r.checked, 4)
  t.equal(r.hosts[0].capture.length, 3, 'client saw 2 sent + 1 received')
  t.equal(r.hosts[1].capture.length, 3, 'server saw 2 received + 1 sent')
})

t.test('field mismatch reads like packetdrill: packet to HOST field F: expected X vs actual Y', async t => {
  const r = run([...HEAD, ...HANDSHAKE.slice(0, 3), '       client gets S. seq 0 ack 1 ttl 64'])
  t.notOk(r.passed)
  t.same(r.failure, { line: 7, col: 8, message: 'packet to client field ttl: expected 64 vs actual 54' })
  t.match(r.ladder[r.ladder.length - 1], { kind: 'note', style: 'fail', text: 'line 7: packet to client field ttl: expected 64 vs actual 54' })
})

t.test('relative and absolute sequence numbers in messages', async t => {
  const r = run([...HEAD, ...HANDSHAKE.slice(0, 3), '       client gets S. seq 0 ack 2'])
  t.equal(r.failure?.message, 'packet to client field ack: expected 2 vs actual 1')
  const r2 = run([...HEAD, '0 client:40000 > server:21 S seq 0', 'client gets forged R. seq 0'])
  t.match(r2.failure?.message, /^packet to client field seq: expected 0 vs actual =0$/)
  const r3 = run([...HEAD, '0 client:40000 > server:21 S seq 0', 'client gets forwarded R.'])
  t.equal(r3.failure?.message, 'packet to client field origin: expected forwarded vs actual forged by the firewall')
})

t.test('strict mode: an unexpected packet is a failure at the next step', async t => {
  const r = run([...HEAD, HANDSHAKE[0], '+1 wait'])
  t.notOk(r.passed)
  t.equal(r.failure?.line, 5)
  t.match(r.failure?.message, /^server received a packet the script does not expect before line 5: 40000>22 S seq 0 win 64240 ttl 64 \(add a `server gets \.\.\.` line, or `strict off`\)$/)
  const atEnd = run([...HEAD, HANDSHAKE[0]])
  t.match(atEnd.failure?.message, /before the end of the scenario/)
  const relaxed = run(['strict off', ...HEAD, HANDSHAKE[0], '+1 wait'])
  t.ok(relaxed.passed)
})

t.test('negative expectations and verdicts', async t => {
  const r = run([...HEAD, '0 client:40000 > server:22 . seq 1 ack 1', 'server gets nothing', 'firewall forwards'])
  t.equal(r.failure?.message, 'firewall verdict for line 4: expected forward vs actual drop (flow_tcp_non_syn_drop)')
  const r2 = run([...HEAD, '0 client:40000 > server:22 S seq 0', 'client gets nothing', 'server gets nothing'])
  t.match(r2.failure?.message, /^server should have received nothing, but got 40000>22 S seq 0 win 65535 ttl 64$/)
  const r3 = run([...HEAD, '0 client:40000 > server:22 . seq 1 ack 1', 'firewall drops tcp_drop_out_of_wnd'])
  t.equal(r3.failure?.message, 'firewall drop reason for line 4: expected tcp_drop_out_of_wnd vs actual flow_tcp_non_syn_drop')
  const r5 = run([...HEAD, '0 client:40000 > server:7002 S seq 0', 'firewall drops flow_policy_deny', 'firewall drops policy-deny'])
  t.ok(r5.passed, 'a drop may be named by a counter it incremented')
  const r4 = run([...HEAD, '0 client:40000 > server:22 S seq 0', 'client gets R'])
  t.equal(r4.failure?.message, 'client received nothing, expected R')
})

t.test('the virtual clock fires timers in order, without sleeping', async t => {
  const started = process.hrtime.bigint()
  const r = run([...HEAD, ...HANDSHAKE, '+3599 session state ACTIVE', '+2 session gone end aged-out', 'counter session_aged_out 1'])
  t.ok(r.passed, r.failure?.message ?? 'passes')
  t.equal(r.endUs, 3_601_021_000)
  t.ok(Number(process.hrtime.bigint() - started) < 5e9, 'an hour of virtual time took under 5 s of real time')
  t.ok(r.ladder.some(e => e.kind === 'note' && e.style === 'timer' && e.timeUs === 3_600_021_000), 'age-out at lastUs + 3600 s')
})

t.test('session checks report what differs', async t => {
  const r = run([...HEAD, ...HANDSHAKE, 'session tcp-state time-wait'])
  t.match(r.failure?.message, /^session 1 field tcp-state: expected time-wait vs actual established$/)
  const r2 = run([...HEAD, ...HANDSHAKE, 'session gone'])
  t.match(r2.failure?.message, /^session 1: expected gone vs actual ACTIVE \(established\)/)
  const r3 = run([...HEAD, ...HANDSHAKE, 'session client:1 > server:2 state ACTIVE'])
  t.equal(r3.failure?.message, 'no such session: it never existed')
  const r4 = run([...HEAD, ...HANDSHAKE, 'counter flow_tcp_non_syn_drop >= 1'])
  t.equal(r4.failure?.message, 'counter flow_tcp_non_syn_drop: expected >= 1 vs actual 0')
  const r5 = run([...HEAD, ...HANDSHAKE, 'sessions 2'])
  t.equal(r5.failure?.message, 'session count: expected 2 vs actual 1')
})

t.test('script errors found while running are syntax errors with file:line:col', async t => {
  const cases: Array<[string[], RegExp]> = [
    [[...HEAD, '0 client > server S'], /^inline\.scn:4:3: no port known for client in this flow/],
    [['host client 198.18.0.1', 'host v6 2001:db8::1', 'policy lessons.yaml', '0 client:1 > v6:2 S'], /^inline\.scn:4:3: client is IPv4 and v6 is IPv6/],
    [['host c 198.18.0.1', 'policy nope.yaml'], /^inline\.scn:2:8: policy file nope\.yaml not found/],
    [[...HEAD, 'set session.timeout-tcp 0'], /^inline\.scn:4:5: a set line is not a valid setting/],
  ]
  for (const [lines, re] of cases) {
    try {
      run(lines)
      t.fail(`no error for ${lines.join(' / ')}`)
    } catch (e) {
      t.ok(isRstlabError(e) && e.code === 'RSTLAB_ERR_SCRIPT_SYNTAX', 'RSTLAB_ERR_SCRIPT_SYNTAX')
      t.match((e as Error).message, re)
    }
  }
})

t.test('exit codes for a batch: 0 pass, 1 fail, 2 syntax error', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-scn-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const write = (name: string, lines: string[]): string => { const f = path.join(dir, name); writeFileSync(f, lines.join('\n')); return f }
  const ok = runFile(write('ok.scn', [...HEAD, ...HANDSHAKE]), engineFactory)
  const bad = runFile(write('bad.scn', [...HEAD, HANDSHAKE[0], 'server gets S seq 1']), engineFactory)
  const syn = runFile(write('syn.scn', [...HEAD, '0 client:1 > server:2 SYN']), engineFactory)
  t.equal(exitCode([ok]), 0)
  t.equal(exitCode([ok, bad]), 1)
  t.equal(exitCode([ok, bad, syn]), 2)
  t.match(syn.error?.message, /syn\.scn:4:23: `SYN` is not a set of TCP flags/)
})

t.test('language v2 at run time: session #ID lists the ids that exist; new fields report what differs', async t => {
  const r = run([...HEAD, ...HANDSHAKE, 'session #5 state ACTIVE'])
  t.equal(r.failure?.message, 'no session #5; sessions so far: #1')
  const r2 = run([...HEAD, ...HANDSHAKE, 'session #1 state ACTIVE tcp-state established'])
  t.ok(r2.passed, r2.failure?.message ?? 'passes')
  const rv = run([...HEAD, ...HANDSHAKE.slice(0, 1), '       server gets S vlan 100'])
  t.equal(rv.failure?.message, 'packet to server field vlan: expected 100 vs actual none')
  const rm = run([...HEAD, ...HANDSHAKE.slice(0, 1), '       server gets S mac-src server'])
  t.equal(rm.failure?.message, 'packet to server field mac-src: expected 02:00:00:00:00:02 vs actual 02:00:00:00:00:01')
  const ri = run([...HEAD, '0 client > server icmp echo-request id 3 seq 4', 'server gets icmp echo-request id 3 seq 5'])
  t.equal(ri.failure?.message, 'packet to server field icmp seq: expected 5 vs actual 4')
  const rq = run([...HEAD, '0 client:1 > server:2 udp len 4', 'server gets udp', '+0.01 server > client icmp port-unreachable',
    'client gets icmp port-unreachable quotes client:1 > server:3'])
  t.equal(rq.failure?.message, 'packet to client field quoted packet: expected client:1 > server:3 vs actual client:1 > server:2')
  const rd = run([...HEAD, '0 client:1 > server:2 S ipid 77 df no', 'server gets S ipid 77 df yes'])
  t.equal(rd.failure?.message, 'packet to server field df: expected yes vs actual no')
})

t.test('commit: a setting or a policy at time T, with or without rematch', async t => {
  // Without rematch the open session keeps its rule; with rematch the new policy resets it.
  const r = run([...HEAD, ...HANDSHAKE, '+1 commit set session.timeout-tcp 60', 'session timeout 60 rule allow-out'])
  t.ok(r.passed, r.failure?.message ?? 'passes')
  const dir = mkdtempSync(path.join(tmpdir(), `rstlab-commit-${process.pid}-`))
  try {
    writeFileSync(path.join(dir, 'deny.yaml'), 'rules:\n  - { name: no, action: reset-client }\n')
    const r2 = run([...HEAD, ...HANDSHAKE, `+1 commit ${path.join(dir, 'deny.yaml')}`, 'session state ACTIVE rule allow-out',
      `+1 commit ${path.join(dir, 'deny.yaml')} rematch`, 'client gets forged R. seq 1 ack 1', 'session state DISCARD rule no'])
    t.ok(r2.passed, r2.failure?.message ?? 'passes')
    t.ok(r2.ladder.some(e => e.kind === 'note' && /^commit: policy .*deny\.yaml, open sessions matched again$/.test(e.text)), 'the ladder shows the commit')
  } finally { rmSync(dir, { recursive: true, force: true }) }
  for (const [line, re] of [['+1 commit nope.yaml', /inline\.scn:10:4: policy file nope\.yaml not found/], ['+1 commit set session.timeout-tcp 0', /inline\.scn:10:4: commit set is not a valid setting/]] as const) {
    try { run([...HEAD, ...HANDSHAKE, line]); t.fail('no error') } catch (e) { t.match((e as Error).message, re) }
  }
})
