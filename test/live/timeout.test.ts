/**
 * Live: idle timeout and the RFC 5961 challenge-ACK hang (issue #5 tests 5 and 6), with the
 * firewall's session timers driven by the bridge's real clock.
 */
import t from 'tap'
import { Agent, Bridge, type T, liveSkipReason, makeLab, policy, sleep, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)

  async function setup (t: T, settings: string): Promise<{ bridge: Bridge, server: Agent, client: Agent }> {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({ settings }))
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 's', port: 5002 })
    await server.expect(e => e.ev === 'listening', 5000, 'listening')
    return { bridge, server, client }
  }

  t.test('idle timeout: after expiry the client\'s data never reaches the server', async t => {
    const { bridge, server, client } = await setup(t, '  session:\n    timeout-tcp: 2')
    client.send({ op: 'connect', id: 'c', host: LAB.server4, port: 5002 })
    await client.expect(e => e.ev === 'connected', 5000, 'connected')
    client.send({ op: 'write', id: 'c', bytes: 10 })
    await server.expect(e => e.ev === 'data' && e.bytes === 10, 3000, 'first data arrives')
    await sleep(3000)
    t.equal((await bridge.request({ cmd: 'sessions' })).filter(s => s.proto === 'tcp').length, 0, 'the session aged out after 2 s idle')
    const before = await bridge.counter('flow_tcp_non_syn_drop')
    client.send({ op: 'write', id: 'c', bytes: 10 })
    const late = await server.wait(e => e.ev === 'data' && (e.bytes as number) > 10, 1500)
    t.equal(late, undefined, 'the client\'s data after expiry never reaches the server')
    t.ok(await bridge.counter('flow_tcp_non_syn_drop') > before, 'flow_tcp_non_syn_drop counts it')
    t.ok(bridge.logRecords().some(r => r.log === 'traffic' && r.endReason === 'aged-out'), 'traffic log: end reason aged-out')
    t.equal(await bridge.stop(), 0)
  })

  t.test('idle timeout with reset-on-age-out: both: both sockets see ECONNRESET at expiry', async t => {
    const { bridge, server, client } = await setup(t, '  session:\n    timeout-tcp: 2\n  emulator:\n    reset-on-age-out: both')
    client.send({ op: 'connect', id: 'c', host: LAB.server6, port: 5002 })
    await client.expect(e => e.ev === 'connected', 5000, 'connected')
    client.send({ op: 'write', id: 'c', bytes: 10 })
    await server.expect(e => e.ev === 'data' && e.bytes === 10, 3000, 'data')
    const t0 = Date.now()
    const se = await server.expect(e => e.ev === 'error', 4000, 'server reset')
    const ce = await client.expect(e => e.ev === 'error', 1000, 'client reset')
    t.equal(se.code, 'ECONNRESET', 'server socket: ECONNRESET')
    t.equal(ce.code, 'ECONNRESET', 'client socket: ECONNRESET')
    t.ok(Date.now() - t0 >= 1000, 'not before the idle timeout')
    t.equal(await bridge.stop(), 0)
  })

  for (const allow of [false, true]) {
    t.test(`challenge ACK with allow-challenge-ack: ${allow ? 'yes' : 'no'}`, async t => {
      const { bridge, server, client } = await setup(t, `  session:\n    timeout-tcp: 2\n  tcp:\n    allow-challenge-ack: ${allow ? 'yes' : 'no'}`)
      const lport = 41000 + (allow ? 1 : 0) + (process.pid % 500) * 2
      client.send({ op: 'connect', id: 'old', host: LAB.server4, port: 5002, localPort: lport })
      await client.expect(e => e.ev === 'connected' && e.id === 'old', 5000, 'connected')
      await server.expect(e => e.ev === 'accepted', 3000, 'accepted')
      client.send({ op: 'write', id: 'old', bytes: 10 })
      await server.expect(e => e.ev === 'data' && e.bytes === 10, 3000, 'data')
      await sleep(3000) // the firewall's session ages out; both endpoints still hold the connection
      const nonSyn = await bridge.counter('flow_tcp_non_syn_drop')
      client.send({ op: 'rst', id: 'old' }) // the client's RST on close: no session → dropped
      await client.expect(e => e.ev === 'close' && e.id === 'old', 2000, 'old closed')
      await sleep(200)
      t.ok(await bridge.counter('flow_tcp_non_syn_drop') > nonSyn, 'the client\'s RST found no session and was dropped')
      t.notOk(server.events.some(e => e.ev === 'error'), 'the server still holds the old connection')
      const oow = await bridge.counter('tcp_drop_out_of_wnd')
      client.send({ op: 'connect', id: 'new', host: LAB.server4, port: 5002, localPort: lport })
      if (!allow) {
        const r = await client.wait(e => e.id === 'new' && (e.ev === 'connected' || e.ev === 'error'), 4000)
        t.equal(r, undefined, 'the reconnect from the same port does not complete within 4 s (the hang)')
        t.ok(await bridge.counter('tcp_drop_out_of_wnd') > oow, 'tcp_drop_out_of_wnd counts the client\'s RSTs')
        client.send({ op: 'destroy', id: 'new' })
      } else {
        const r = await client.expect(e => e.id === 'new' && (e.ev === 'connected' || e.ev === 'error'), 2000, 'reconnect')
        t.equal(r.ev, 'connected', 'the reconnect completes within 2 s')
        const se = await server.expect(e => e.ev === 'error' && e.id === 's#1', 1000, 'old server socket reset')
        t.equal(se.code, 'ECONNRESET', 'the client\'s RST reached the server and cleared the old connection')
      }
      t.equal(await bridge.stop(), 0)
    })
  }
}
