/**
 * Live: what `rstlab bridge` says when it cannot work — nothing half-working (issue #5).
 * Missing interface, receive offloads on, a bad policy at start and on SIGHUP, a control socket
 * nobody serves.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { Bridge, liveSkipReason, makeLab, policy, rstlabIn, tempDir } from './harness.js'
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

  t.test('show with no bridge running: exit 2, says so', async t => {
    const dir = tempDir(t)
    let code = 0
    let stderr = ''
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'rstlab.js'), 'show', 'sessions', '--control', path.join(dir, 'none.sock')],
        { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    } catch (e) { code = (e as { status: number }).status; stderr = (e as { stderr: string }).stderr }
    t.equal(code, 2, 'exit code 2')
    t.match(stderr, /no rstlab bridge is listening there/, 'says nothing is listening')
  })
}
