/**
 * Live: the bridge as a test fixture (issue #19), between real Linux TCP endpoints.
 * - `clock advance` ages out exactly the sessions whose idle time passes their timeout, at once;
 * - `set` changes behaviour live (a shorter timeout-tcp for the open session; allow-challenge-ack) and a
 *   refused value changes nothing;
 * - `reset` resets / drops live sessions as a rule action would (the endpoints see it);
 * - the connection-pool lesson: an idle connection behind the firewall after an hour fails silently by
 *   default, at once with reset-on-age-out, and survives with TCP keepalive below the timeout.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { Agent, Bridge, type T, childEnv, liveSkipReason, makeLab, policy, sleep, tempDir } from './harness.js'
import { REPO_ROOT } from '../helpers/shared.js'
import { LAB } from '../lab/netns.js'
import { controlClient } from '../../src/control/api.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)

  async function setup (t: T, settings?: string, args?: string[]): Promise<{ bridge: Bridge, server: Agent, client: Agent }> {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy(settings !== undefined ? { settings } : {}), args !== undefined ? { args } : {})
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 's', port: 5002 })
    await server.expect(e => e.ev === 'listening', 5000, 'listening')
    return { bridge, server, client }
  }

  /** Connect `id` and push 10 bytes through; returns the client's local port. */
  async function open (client: Agent, server: Agent, id: string, host: string = LAB.server4): Promise<number> {
    client.send({ op: 'connect', id, host, port: 5002 })
    const c = await client.expect(e => e.ev === 'connected' && e.id === id, 5000, `${id} connected`)
    const acc = await server.expect(e => e.ev === 'accepted' && e.rport === c.lport, 3000, `${id} accepted`)
    client.send({ op: 'write', id, bytes: 10 })
    await server.expect(e => e.ev === 'data' && e.id === acc.id && e.bytes === 10, 3000, `${id} data`)
    return c.lport as number
  }

  const tcpPorts = async (bridge: Bridge): Promise<number[]> =>
    (await bridge.request({ cmd: 'sessions' })).filter(s => s.proto === 'tcp' && s.state === 'ACTIVE').map(s => s.sport).sort()

  t.test('clock advance ages out exactly the sessions idle longer than their timeout, at once', async t => {
    const { bridge, server, client } = await setup(t, '  session:\n    timeout-tcp: 60')
    const a = await open(client, server, 'a')
    t.equal((await bridge.request({ cmd: 'clock' })).offsetS, 0, 'no offset at start')
    const first = await bridge.request({ cmd: 'clock-advance', seconds: 30 })
    t.equal(first.offsetS, 30)
    t.same(await tcpPorts(bridge), [a], 'after +30 s: a (idle 30 s < 60 s) is still there')
    const b = await open(client, server, 'b')
    const second = await bridge.request({ cmd: 'clock-advance', seconds: 35 })
    t.same(await tcpPorts(bridge), [b], 'after +35 s more: a (idle 65 s) aged out, b (idle 35 s) did not')
    t.ok(second.agedOut >= 1, 'the reply counts the aged-out session')
    t.match(bridge.cli('clock'), /\+65 s ahead of real time/, '`rstlab clock` shows the offset')
    const end = bridge.logRecords().filter(r => r.log === 'traffic' && r.endReason === 'aged-out' && r.proto === 'tcp')
    t.same(end.map(r => r.sport), [a], 'one aged-out traffic-log record, for a')
    t.ok((end[0]!.elapsedS as number) >= 59 && (end[0]!.elapsedS as number) <= 61, `logged as if idle for its 60 s timeout (elapsed ${String(end[0]?.elapsedS)} s)`)
    const drops = await bridge.counter('flow_tcp_non_syn_drop')
    client.send({ op: 'write', id: 'a', bytes: 5 })
    client.send({ op: 'write', id: 'b', bytes: 5 })
    await server.expect(e => e.ev === 'data' && e.bytes === 15, 3000, 'b still carries data')
    await sleep(300)
    t.ok(await bridge.counter('flow_tcp_non_syn_drop') > drops, 'a\'s late data is dropped: no session (flow_tcp_non_syn_drop)')
    t.notOk(server.events.some(e => e.ev === 'data' && e.bytes === 15 && e.id === 's#1'), 'a\'s late data never reaches the server')
    await t.rejects(bridge.request({ cmd: 'clock-advance', seconds: -5 }), { code: 'RSTLAB_ERR_USAGE', message: /above 0/ }, 'the clock never goes back')
    t.equal((await bridge.request({ cmd: 'clock' })).offsetS, 65, 'a refused advance changes nothing')
    t.equal(await bridge.stop(), 0)
  })

  t.test('set: validated like the policy file, atomic; a shorter timeout and allow-challenge-ack take effect live', async t => {
    const { bridge, server, client } = await setup(t, undefined, ['--http', '127.0.0.1:9181'])
    const fw = controlClient({ socket: bridge.controlPath })
    const before = await fw.get()
    await t.rejects(fw.set('session.timeout-tcp', '0'), { code: 'RSTLAB_ERR_POLICY', message: /timeout-tcp/ }, 'out of range: refused')
    await t.rejects(fw.set('tcp.allow-challenge-ack', 'maybe'), { code: 'RSTLAB_ERR_POLICY', message: /yes or no/ }, 'not a yes/no: refused')
    await t.rejects(fw.set('session.timeout-tcpp', '5'), { code: 'RSTLAB_ERR_USAGE', message: /did you mean/i }, 'unknown key: refused, with a suggestion')
    t.same(await fw.get(), before, 'refused values changed nothing')
    const lport = 42000 + (process.pid % 500)
    client.send({ op: 'connect', id: 'old', host: LAB.server4, port: 5002, localPort: lport })
    await client.expect(e => e.ev === 'connected' && e.id === 'old', 5000, 'connected')
    await server.expect(e => e.ev === 'accepted', 3000, 'accepted')
    t.match(bridge.cli('set', 'session.timeout-tcp', '30'), /session\.timeout-tcp: 3600 -> 30/, 'the CLI says what changed')
    t.same(await fw.get('session.timeout-tcp'), { 'session.timeout-tcp': 30 })
    t.equal((await bridge.request({ cmd: 'sessions' })).find(s => s.sport === lport)?.timeoutS, 30, 'the open session now has the 30 s timeout')
    await fw.advanceClock(31)
    t.same(await tcpPorts(bridge), [], 'and ages out after 31 s idle')
    // The challenge-ACK hang (the old 4-tuple still open on the server) and its fix, switched on live.
    t.equal((await fw.set('tcp.allow-challenge-ack', 'yes')).value, 'yes')
    client.send({ op: 'rst', id: 'old' })
    await client.expect(e => e.ev === 'close' && e.id === 'old', 2000, 'old closed')
    client.send({ op: 'connect', id: 'new', host: LAB.server4, port: 5002, localPort: lport })
    const r = await client.expect(e => e.id === 'new' && (e.ev === 'connected' || e.ev === 'error'), 3000, 'reconnect')
    t.equal(r.ev, 'connected', 'with allow-challenge-ack set live, the reconnect from the same port completes')
    const se = await server.expect(e => e.ev === 'error' && e.id === 's#1', 1000, 'old server socket reset')
    t.equal(se.code, 'ECONNRESET', 'the challenge ACK let the client\'s RST clear the server\'s old connection')
    // The same settings over the HTTP listener (on the fw namespace's loopback), through the package's API.
    const tokenFile = `${bridge.controlPath}.http-token`
    t.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the generated token is stored 0600 next to the control socket')
    const script = `import { connectControl } from 'rstlab'
      const token = (await import('node:fs')).readFileSync(${JSON.stringify(tokenFile)}, 'utf8').trim()
      const out = {}
      try { await connectControl({ url: 'http://127.0.0.1:9181', token: 'x'.repeat(20) }) } catch (e) { out.wrong = e.code + ' ' + e.message }
      const fw = await connectControl({ url: 'http://127.0.0.1:9181', token })
      out.get = await fw.get('tcp.allow-challenge-ack')
      console.log(JSON.stringify(out))`
    const res = JSON.parse(execFileSync(lab.exec('fw')[0]!, [...lab.exec('fw').slice(1), process.execPath, '--input-type=module', '-e', script],
      { cwd: REPO_ROOT, encoding: 'utf8', env: childEnv() })) as { wrong: string, get: unknown }
    t.match(res.wrong, /^RSTLAB_ERR_CONTROL wrong token/, 'HTTP: a wrong token is refused')
    t.same(res.get, { 'tcp.allow-challenge-ack': 'yes' }, 'HTTP: the API reads the value set over the socket')
    t.equal(await bridge.stop(), 0)
    t.notOk(existsSync(tokenFile), 'the token file is removed when the bridge stops')
  })

  t.test('reset: one session by id, many by filter, reset-client / reset-both / drop as a rule action would', async t => {
    const { bridge, server, client } = await setup(t)
    const p1 = await open(client, server, 'c1')
    const p2 = await open(client, server, 'c2', LAB.server6)
    const p3 = await open(client, server, 'c3')
    const sessions = await bridge.request({ cmd: 'sessions' })
    const sid = (p: number): number => sessions.find(s => s.sport === p)!.id
    const deny = await bridge.counter('flow_policy_deny')
    // reset-client on c1 by id: the client sees ECONNRESET, the server's socket stays open.
    t.match(bridge.cli('reset', String(sid(p1)), '--action', 'reset-client'), new RegExp(`reset-client: session\\(s\\) ${sid(p1)}, 1 packet`))
    t.equal((await client.expect(e => e.ev === 'error' && e.id === 'c1', 2000, 'c1 reset')).code, 'ECONNRESET', 'reset-client: the client is reset')
    // reset-both on everything to the IPv6 server: both ends of c2 are reset, c3 is untouched.
    const r2 = await bridge.request({ cmd: 'reset', match: `destination ${LAB.server6} destination-port 5002`, action: 'reset-both' })
    t.same([r2.sessions, r2.forged], [[sid(p2)], 2], 'the filter picked c2 only; two RSTs forged')
    t.equal((await client.expect(e => e.ev === 'error' && e.id === 'c2', 2000, 'c2 client reset')).code, 'ECONNRESET')
    const srv2 = server.events.find(e => e.ev === 'accepted' && e.rport === p2)!.id
    t.equal((await server.expect(e => e.ev === 'error' && e.id === srv2, 2000, 'c2 server reset')).code, 'ECONNRESET', 'reset-both: the server is reset too')
    // drop on c3: nothing is sent to anyone, later data is dropped.
    const r3 = await bridge.request({ cmd: 'reset', sid: sid(p3), action: 'drop' })
    t.same([r3.sessions, r3.forged], [[sid(p3)], 0], 'drop forges nothing')
    client.send({ op: 'write', id: 'c3', bytes: 7 })
    const srv3 = server.events.find(e => e.ev === 'accepted' && e.rport === p3)!.id
    t.equal(await server.wait(e => e.ev === 'data' && e.id === srv3 && e.bytes === 17, 1000), undefined, 'c3\'s data after the drop never arrives')
    t.notOk(client.events.some(e => e.ev === 'error' && e.id === 'c3'), 'and the client was not told')
    const again = await bridge.request({ cmd: 'reset', match: 'all', action: 'reset-both' })
    t.same(again.sessions.filter(id => [sid(p1), sid(p2), sid(p3)].includes(id)), [], 'sessions already blocked are left alone')
    t.equal(await bridge.counter('flow_policy_deny') - deny, 3, 'flow_policy_deny counts the three')
    await t.rejects(bridge.request({ cmd: 'reset', match: 'port 80', action: 'drop' }), { code: 'RSTLAB_ERR_USAGE', message: /unknown key 'port'/ })
    await t.rejects(bridge.request({ cmd: 'reset', sid: 999999, action: 'drop' }), { code: 'RSTLAB_ERR_USAGE', message: /no session/ })
    t.equal(await bridge.stop(), 0)
    const denies = bridge.logRecords().filter(r => r.log === 'traffic' && r.subtype === 'deny' && r.endReason === 'policy-deny').map(r => r.sport).sort()
    t.same(denies, [p1, p2, p3].sort(), 'each logs subtype deny, end reason policy-deny')
  })

  /**
   * The connection-pool lesson (docs/fixture.md): a client holds an idle connection, the firewall's clock
   * moves on an hour (the default timeout-tcp is 3600 s), and its next request fails the PAN-OS way.
   */
  t.test('pool: after an idle hour the next request vanishes silently (default)', async t => {
    const { bridge, server, client } = await setup(t)
    await open(client, server, 'pool')
    const r = await bridge.request({ cmd: 'clock-advance', seconds: 3601 })
    t.ok(r.agedOut >= 1 && r.forged === 0, 'the session aged out silently: nothing sent to either end')
    client.send({ op: 'write', id: 'pool', bytes: 90 })
    t.equal(await server.wait(e => e.ev === 'data' && e.bytes === 100, 2000), undefined, 'the request never reaches the server')
    t.notOk(client.events.some(e => e.ev === 'error' && e.id === 'pool'), 'and the client hears nothing: it waits for its own timeout')
    t.equal(await bridge.stop(), 0)
  })

  t.test('pool: with reset-on-age-out both ends learn at once', async t => {
    const { bridge, server, client } = await setup(t)
    await open(client, server, 'pool')
    await bridge.request({ cmd: 'set', key: 'emulator.reset-on-age-out', value: 'both' })
    const r = await bridge.request({ cmd: 'clock-advance', seconds: 3601 })
    t.equal(r.forged, 2, 'two RSTs at age-out')
    t.equal((await client.expect(e => e.ev === 'error' && e.id === 'pool', 2000, 'client reset')).code, 'ECONNRESET', 'the client\'s pooled socket is reset')
    t.equal((await server.expect(e => e.ev === 'error', 2000, 'server reset')).code, 'ECONNRESET', 'so is the server\'s')
    t.equal(await bridge.stop(), 0)
  })

  t.test('pool: TCP keepalive below the timeout keeps the session through the hour', async t => {
    const { bridge, server, client } = await setup(t)
    const pool = await open(client, server, 'pool')
    const plain = await open(client, server, 'plain')
    client.send({ op: 'keepalive', id: 'pool', ms: 1000 })
    // The hour in 4 steps of ~900 s, 1.5 s apart: the endpoint's keepalive (every 1 s of idle) crosses the
    // bridge between steps, as a 10-minute keepalive would within a real hour.
    const r = await controlClient({ socket: bridge.controlPath }).advanceClock(3601, { steps: 4, pauseMs: 1500 })
    t.equal(r.advancedS, 3601)
    t.same(await tcpPorts(bridge), [pool], 'the keepalive connection\'s session is still there; the one without keepalive aged out')
    t.not(pool, plain)
    client.send({ op: 'write', id: 'pool', bytes: 90 })
    const srv = server.events.find(e => e.ev === 'accepted' && e.rport === pool)!.id
    await server.expect(e => e.ev === 'data' && e.id === srv && e.bytes === 100, 3000, 'the request after the hour arrives')
    t.equal(await bridge.stop(), 0)
  })
}
