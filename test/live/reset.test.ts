/**
 * Live: forged resets seen from real Linux sockets (issue #5 tests 2 and 3).
 * - reset-client on tcp/21: connect() fails at once with ECONNREFUSED; the RST arrives with the
 *   firewall's TTL 64 while the server's own packets arrive with 54 (docs/panos-model.md#forged-packets).
 * - reset-server / reset-both decided after the handshake (rule change + SIGHUP with --rematch):
 *   the server's socket sees ECONNRESET; with reset-both the client's too.
 */
import t from 'tap'
import { Agent, Bridge, Capture, liveSkipReason, makeLab, policy, sleep, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)

  t.test('reset-client on tcp/21: ECONNREFUSED at once, RST with the firewall\'s TTL', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({
      rules: `  - name: block-ftp
    service: [tcp/21]
    action: reset-client
`,
    }))
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 'ftp', port: 21 })
    server.send({ op: 'listen', tag: 'ok', port: 5002 })
    await server.expect(e => e.ev === 'listening' && e.tag === 'ok', 5000, 'listening')
    await server.expect(e => e.ev === 'listening' && e.tag === 'ftp', 5000, 'listening')
    const cap = new Capture(t, lab, dir, 'client', LAB.clientIf, 'tcp')
    await cap.ready()

    for (const [fam, host] of [['v4', LAB.server4], ['v6', LAB.server6]] as const) {
      client.send({ op: 'connect', id: `ftp-${fam}`, host, port: 21 })
      const e = await client.expect(e => e.id === `ftp-${fam}` && (e.ev === 'error' || e.ev === 'connected'), 5000, `${fam} connect to 21`)
      t.equal(e.ev, 'error', `${fam}: connect() to tcp/21 fails`)
      t.equal(e.code, 'ECONNREFUSED', `${fam}: with ECONNREFUSED (a RST answered the SYN)`)
      t.ok((e.t as number) - (client.events.find(x => x.ev === 'ready')!.t) >= 0, 'timing recorded')
      client.send({ op: 'connect', id: `ok-${fam}`, host, port: 5002 })
      await client.expect(e => e.id === `ok-${fam}` && e.ev === 'connected', 5000, `${fam} connect to 5002`)
    }
    t.notOk(server.events.some(e => e.ev === 'accepted' && e.tag === 'ftp'), 'the server never saw a connection on 21')
    const lines = await cap.stop()
    const rst4 = lines.find(l => /198\.18\.0\.2\.21 > 198\.18\.0\.1\.\d+: Flags \[R\.\]/.test(l))
    const synack4 = lines.find(l => /198\.18\.0\.2\.5002 > 198\.18\.0\.1\.\d+: Flags \[S\.\]/.test(l))
    t.match(rst4, /ttl 64,/, 'v4 forged RST carries TTL 64 (the firewall\'s)')
    t.match(synack4, /ttl 54,/, 'v4 server\'s own SYN-ACK carries TTL 54')
    const rst6 = lines.find(l => /2001:db8::2\.21 > 2001:db8::1\.\d+: Flags \[R\.\]/.test(l))
    const synack6 = lines.find(l => /2001:db8::2\.5002 > 2001:db8::1\.\d+: Flags \[S\.\]/.test(l))
    t.match(rst6, /hlim 64,/, 'v6 forged RST carries hop limit 64')
    t.match(synack6, /hlim 54,/, 'v6 server\'s own SYN-ACK carries hop limit 54')
    t.ok(await bridge.counter('flow_tcp_rst_sent') >= 2, 'flow_tcp_rst_sent counts the forged RSTs')
    t.equal(await bridge.stop(), 0, 'bridge exits 0')
  })

  t.test('--inject l3: the forged RST goes through a raw IP socket bound to the port', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({ rules: '  - name: block-ftp\n    service: [tcp/21]\n    action: reset-client\n' }),
      { args: ['--inject', 'l3'] })
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), client.ready()])
    client.send({ op: 'connect', id: 'ftp', host: LAB.server4, port: 21 })
    const e = await client.expect(e => e.id === 'ftp' && (e.ev === 'error' || e.ev === 'connected'), 5000, 'connect to 21')
    t.equal(e.code, 'ECONNREFUSED', 'connect() fails with ECONNREFUSED')
    t.equal(await bridge.counter('rstlab_inject_sent'), 1, 'one packet injected at L3')
    t.equal(await bridge.stop(), 0)
  })

  t.test('reset-server then reset-both after the handshake (SIGHUP + --rematch)', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy(), { rematch: true })
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 'a', port: 5002 })
    server.send({ op: 'listen', tag: 'b', port: 5003 })
    await server.expect(e => e.ev === 'listening' && e.tag === 'a', 5000, 'listening a')
    await server.expect(e => e.ev === 'listening' && e.tag === 'b', 5000, 'listening b')
    client.send({ op: 'connect', id: 'ca', host: LAB.server4, port: 5002 })
    client.send({ op: 'connect', id: 'cb', host: LAB.server6, port: 5003 })
    await client.expect(e => e.ev === 'connected' && e.id === 'ca', 5000, 'ca connected')
    await client.expect(e => e.ev === 'connected' && e.id === 'cb', 5000, 'cb connected')
    await server.expect(e => e.ev === 'accepted' && e.id === 'a#1', 5000, 'a#1')
    await server.expect(e => e.ev === 'accepted' && e.id === 'b#1', 5000, 'b#1')
    // Some data both ways so both directions' sequence numbers are tracked.
    client.send({ op: 'write', id: 'ca', bytes: 100 })
    client.send({ op: 'write', id: 'cb', bytes: 100 })
    server.send({ op: 'write', id: 'a#1', bytes: 50 })
    server.send({ op: 'write', id: 'b#1', bytes: 50 })
    await server.expect(e => e.ev === 'data' && e.id === 'a#1' && e.bytes === 100, 5000, 'a data')
    await server.expect(e => e.ev === 'data' && e.id === 'b#1' && e.bytes === 100, 5000, 'b data')
    await client.expect(e => e.ev === 'data' && e.id === 'ca' && e.bytes === 50, 5000, 'ca data')
    await client.expect(e => e.ev === 'data' && e.id === 'cb' && e.bytes === 50, 5000, 'cb data')

    await bridge.reload(policy({
      rules: `  - name: reset-a
    service: [tcp/5002]
    action: reset-server
`,
    }))
    const ea = await server.expect(e => e.id === 'a#1' && e.ev === 'error', 3000, 'server a sees the reset')
    t.equal(ea.code, 'ECONNRESET', 'reset-server: the server\'s socket sees ECONNRESET')
    await sleep(300)
    t.notOk(client.events.some(e => e.id === 'ca' && e.ev === 'error'), 'reset-server: the client is not reset')
    t.notOk(server.events.some(e => e.id === 'b#1' && e.ev === 'error'), 'the other session is untouched')

    await bridge.reload(policy({
      rules: `  - name: reset-a
    service: [tcp/5002]
    action: reset-server
  - name: reset-b
    service: [tcp/5003]
    action: reset-both
`,
    }))
    const eb = await server.expect(e => e.id === 'b#1' && e.ev === 'error', 3000, 'server b sees the reset')
    t.equal(eb.code, 'ECONNRESET', 'reset-both: the server\'s socket sees ECONNRESET')
    const ecb = await client.expect(e => e.id === 'cb' && e.ev === 'error', 3000, 'client b sees the reset')
    t.equal(ecb.code, 'ECONNRESET', 'reset-both: the client\'s socket sees ECONNRESET')
    t.equal(await bridge.stop(), 0, 'bridge exits 0')
    const denies = bridge.logRecords().filter(r => r.log === 'traffic' && r.endReason === 'policy-deny')
    t.ok(denies.length >= 2, 'both sessions logged with end reason policy-deny')
  })
}
