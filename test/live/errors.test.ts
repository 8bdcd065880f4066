/**
 * Live: what `rstlab bridge` says when it cannot work — nothing half-working (issue #5).
 * Missing interface, receive offloads on, a bad policy at start and on SIGHUP, a control socket
 * nobody serves.
 */
import t from 'tap'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { LAB } from '../lab/netns.js'
import { Agent, Bridge, childEnv, liveSkipReason, makeLab, policy, rstlabIn, sleep, tempDir } from './harness.js'
import { REPO_ROOT } from '../helpers/shared.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)

  t.test('an interface that does not exist: exit 2, names it', async t => {
    const dir = tempDir(t)
    const p = path.join(dir, 'p.yaml')
    writeFileSync(p, policy())
    const r = await rstlabIn(lab, 'fw', ['bridge', 'fwc', 'nope0', '--policy', p, '--control', path.join(dir, 'c.sock')])
    t.equal(r.code, 2, 'exit code 2')
    t.match(r.stderr, /interface `nope0` does not exist/, 'message names the interface')
    t.match(r.stderr, /→ .*ip link/, 'hint says how to list interfaces')
  })

  t.test('GRO on a bridge port: refused with the ethtool fix', async t => {
    const dir = tempDir(t)
    const p = path.join(dir, 'p.yaml')
    writeFileSync(p, policy())
    execFileSync('ip', ['netns', 'exec', lab.names.fw, 'ethtool', '-K', 'fws', 'gro', 'on'])
    t.teardown(() => { execFileSync('ip', ['netns', 'exec', lab.names.fw, 'ethtool', '-K', 'fws', 'gro', 'off']) })
    const r = await rstlabIn(lab, 'fw', ['bridge', 'fwc', 'fws', '--policy', p, '--control', path.join(dir, 'c.sock')])
    t.equal(r.code, 2, 'exit code 2')
    t.match(r.stderr, /receive offloads are on \(fws: generic-receive-offload\)/, 'names the port and the offload')
    t.match(r.stderr, /ethtool -K fws gro off/, 'hint gives the command')
  })

  t.test('a bad policy file at start: exit 2 with the policy error', async t => {
    const dir = tempDir(t)
    const p = path.join(dir, 'p.yaml')
    writeFileSync(p, 'rules:\n  - name: x\n    action: explode\n')
    const r = await rstlabIn(lab, 'fw', ['bridge', 'fwc', 'fws', '--policy', p, '--control', path.join(dir, 'c.sock')])
    t.equal(r.code, 2, 'exit code 2')
    t.match(r.stderr, /explode/, 'the policy diagnostic is shown')
  })

  t.test('SIGHUP with a bad file: refused, the running policy stays', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({ rules: '  - name: keep-me\n    service: [tcp/21]\n    action: reset-client\n' }))
    await bridge.ready()
    writeFileSync(bridge.policyPath, 'rules: [ this is not valid')
    const before = bridge.stderr.length
    bridge.signal('SIGHUP')
    const deadline = Date.now() + 5000
    while (!/reload refused/.test(bridge.stderr.slice(before)) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    t.match(bridge.stderr.slice(before), /policy reload refused, keeping the running policy/, 'reload refused, said so')
    const rules = await bridge.request({ cmd: 'rules' })
    t.same(rules.rules.map(r => r.name), ['keep-me', 'allow-all'], 'the old rules are still in force')
    t.match(bridge.cli('show', 'rules'), /"keep-me; index: 1"/, 'show rules prints them')
    t.equal(await bridge.stop(), 0)
  })

  t.test('checksum offload on a sender: detected and reported with the fix', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy())
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), client.ready()])
    execFileSync('ip', ['netns', 'exec', lab.names.client, 'ethtool', '-K', LAB.clientIf, 'tx', 'on'], { stdio: 'ignore' })
    t.teardown(() => { execFileSync('ip', ['netns', 'exec', lab.names.client, 'ethtool', '-K', LAB.clientIf, 'tx', 'off', 'tso', 'off', 'gso', 'off'], { stdio: 'ignore' }) })
    client.send({ op: 'connect', id: 'c', host: LAB.server4, port: 5002 })
    const deadline = Date.now() + 5000
    while (!/wrong checksums arrive on fwc/.test(bridge.stderr) && Date.now() < deadline) await sleep(50)
    t.match(bridge.stderr, /frames with wrong checksums arrive on fwc: the sender probably uses checksum offload/, 'reported')
    t.match(bridge.stderr, /ethtool -K PEER tx off/, 'with the fix')
    t.ok(await bridge.counter('rstlab_rcv_bad_csum') >= 1, 'counted as rstlab_rcv_bad_csum')
    t.equal(await bridge.stop(), 0)
  })

  t.test('a bridged interface goes down: clear message, exit 2 (not a libpcap assertion)', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy())
    await bridge.ready()
    execFileSync('ip', ['netns', 'exec', lab.names.fw, 'ip', 'link', 'set', 'fws', 'down'])
    t.teardown(() => { execFileSync('ip', ['netns', 'exec', lab.names.fw, 'ip', 'link', 'set', 'fws', 'up']) })
    const code = await bridge.exit(5000)
    t.equal(code, 2, 'exit code 2')
    t.match(bridge.stderr, /an interface went down or disappeared \(`fwc` is up, `fws` is down\)/, 'names the interface and its state')
    t.match(bridge.stderr, /ip link set IF up/, 'says what to do')
    t.notMatch(bridge.stderr, /Assertion/, 'no C assertion text')
  })

  t.test('not root: RSTLAB_ERR_PERMISSION with the setcap hint', async t => {
    const dir = tempDir(t)
    chmodSync(dir, 0o755)
    const p = path.join(dir, 'p.yaml')
    writeFileSync(p, policy(), { mode: 0o644 })
    const r = await new Promise<{ code: number | null, stderr: string }>(resolve => {
      // `env -u NODE_OPTIONS`: tap's process-info hook re-adds itself to spawned node processes and would
      // try (and, as nobody, fail) to write under .tap/.
      const argv = [...lab.exec('fw'), 'env', '-u', 'NODE_OPTIONS', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
        process.execPath, path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'bridge', 'fwc', 'fws', '--policy', p, '--control', path.join(dir, 'c.sock')]
      const c = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() })
      let stderr = ''
      c.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
      c.once('exit', code => resolve({ code, stderr }))
    })
    t.equal(r.code, 2, 'exit code 2', { stderr: r.stderr })
    t.match(r.stderr, /cannot capture on `fwc`/, 'says what failed')
    t.match(r.stderr, /run as root, or give node CAP_NET_RAW/, 'says how to fix it')
  })

  t.test('clear counters, clear sessions, counters --delta', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy())
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 's', port: 5002 })
    await server.expect(e => e.ev === 'listening', 5000, 'listening')
    client.send({ op: 'connect', id: 'c', host: LAB.server4, port: 5002 })
    await client.expect(e => e.ev === 'connected', 5000, 'connected')
    await bridge.request({ cmd: 'counters', delta: true })
    client.send({ op: 'write', id: 'c', bytes: 10 })
    await server.expect(e => e.ev === 'data', 3000, 'data')
    const d = await bridge.request({ cmd: 'counters', delta: true })
    const recvDelta = d.counters.find(c => c.name === 'pkt_recv')?.value ?? 0
    t.ok(recvDelta >= 1 && recvDelta <= 4, `--delta shows only the change since the previous delta call (${recvDelta})`)
    t.match(bridge.cli('clear', 'counters'), /counters cleared/)
    t.equal(await bridge.counter('session_allocated'), 0, 'counters are zero after clear')
    // Only the TCP session is the test's: the previous test took `fws` down and up, and the server's
    // kernel answers a link coming up with MLD reports (to ff02::16, within about a second), which the
    // bridge may see here and keep as an ipv6-icmp session. `clear sessions` must clear those too.
    const sessions = (await bridge.request({ cmd: 'sessions' })).filter(s => s.proto === 'tcp')
    t.equal(sessions.length, 1, 'one TCP session open', { sessions })
    const cleared = /cleared (\d+) session/.exec(bridge.cli('clear', 'sessions'))
    t.ok(cleared !== null && Number(cleared[1]) >= 1, `clear sessions says how many it cleared (${cleared?.[0]})`)
    t.same(await bridge.request({ cmd: 'sessions' }), [], 'no sessions after clear')
    t.equal(await bridge.stop(), 0)
    const rec = bridge.logRecords().find(r => r.log === 'traffic' && r.sessionId === sessions[0]!.id)
    t.equal(rec?.endReason, 'unknown', 'the cleared session was logged with end reason unknown (PAN-OS clear session)')
  })

  t.test('show with no bridge running: exit 2, says so', async t => {
    const dir = tempDir(t)
    let code = 0
    let stderr = ''
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'show', 'sessions', '--control', path.join(dir, 'none.sock')],
        { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: childEnv() })
    } catch (e) { code = (e as { status: number }).status; stderr = (e as { stderr: string }).stderr }
    t.equal(code, 2, 'exit code 2')
    t.match(stderr, /no rstlab bridge is listening there/, 'says nothing is listening')
  })
}
