/**
 * Output streams of `rstlab bridge` without `--log`: logs (pino JSON lines) go to stderr, results (the final
 * counter table) to stdout, so `rstlab bridge … > counters.txt` holds the table and nothing else. Before,
 * both went to stdout. And an argument error (a mistyped interface) is reported alone, without the policy
 * warnings that only make sense once the bridge can start.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { Agent, Bridge, liveSkipReason, makeLab, policy, tempDir, childEnv } from './harness.js'
import { LAB } from '../lab/netns.js'
import { REPO_ROOT } from '../helpers/shared.js'

t.test('a mistyped interface is reported alone (no zone warnings first), exit 2', async t => {
  const r = await new Promise<{ code: number, out: string, err: string }>(resolve => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'bridge', 'rstlabnosuch0', 'rstlabnosuch1', '--policy',
      path.join(REPO_ROOT, 'policies', 'lab.yaml')], { env: { ...childEnv(), RSTLAB_NO_SUPERVISOR: '1' } },
    (err, out, errOut) => resolve({ code: err === null ? 0 : Number(err.code), out, err: errOut }))
  })
  t.equal(r.code, 2)
  t.match(r.err, /interface `rstlabnosuch0` does not exist/)
  t.notMatch(r.err, /warning/, 'no policy warnings before the argument error')
  t.equal(r.out, '')
})

const skip = liveSkipReason()
t.test('bridge without --log: JSON logs on stderr, final counters on stdout', { skip }, async t => {
  const lab = makeLab(t)
  const dir = tempDir(t)
  const bridge = new Bridge(t, lab, dir, policy(), { noLog: true })
  const server = new Agent(t, lab, 'server')
  const client = new Agent(t, lab, 'client')
  await Promise.all([bridge.ready(), server.ready(), client.ready()])
  server.send({ op: 'listen', tag: 'h', port: 5002, mode: 'hold' })
  await server.expect(e => e.ev === 'listening' && e.tag === 'h', 5000, 'listen')
  client.send({ op: 'connect', id: 'c', host: LAB.server4, port: 5002 })
  await client.expect(e => e.ev === 'connected' && e.id === 'c', 5000, 'connected')
  t.equal(await bridge.stop(), 0)
  const jsonOnStdout = bridge.stdout.split('\n').filter(l => l.startsWith('{'))
  t.same(jsonOnStdout, [], 'no log lines on stdout')
  t.match(bridge.stdout, /pkt_recv/, 'the final counter table is on stdout')
  const logs = bridge.stderr.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as { log?: string })
  t.ok(logs.some(l => l.log === 'traffic'), 'the open session\'s traffic log line is on stderr')
  t.ok(logs.some(l => l.log === 'system'), 'system log lines too')
})
