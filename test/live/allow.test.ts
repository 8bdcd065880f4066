/**
 * Live: allow-all through `rstlab bridge`, seen from real Linux sockets (issue #5 tests 1 and 8).
 * 10 MB each way, v4 and v6, byte for byte; `show sessions` / `show counters` list what is really there;
 * SIGTERM logs every open session.
 */
import t from 'tap'
import { createHash } from 'node:crypto'
import { Agent, Bridge, liveSkipReason, makeLab, policy, tempDir } from './harness.js'
import { pattern } from './pattern.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const SIZE = 10 * 1024 * 1024
  const want = createHash('sha256').update(pattern(SIZE)).digest('hex')

  t.test('allow: 10 MB each way arrives byte for byte, v4 and v6; show/SIGTERM report the sessions', async t => {
    const lab = makeLab(t)
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy())
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 'x', port: 5001, mode: 'xfer', size: SIZE })
    server.send({ op: 'listen', tag: 'h', port: 5002, mode: 'hold' })
    await server.expect(e => e.ev === 'listening' && e.tag === 'x', 5000, 'listen x')
    await server.expect(e => e.ev === 'listening' && e.tag === 'h', 5000, 'listen h')

    for (const [fam, host] of [['v4', LAB.server4], ['v6', LAB.server6]] as const) {
      const id = `xfer-${fam}`
      client.send({ op: 'connect', id, host, port: 5001, mode: 'xfer', size: SIZE })
      const got = await client.expect(e => e.ev === 'xfer-done' && e.id === id, 60000, `${fam} client receive`)
      t.equal(got.bytes, SIZE, `${fam}: client received ${SIZE} bytes`)
      t.equal(got.sha256, want, `${fam}: client received the server's bytes unchanged`)
    }
    await server.expect(() => server.events.filter(e => e.ev === 'xfer-done').length >= 2, 60000, 'server finished both transfers')
    const done = server.events.filter(e => e.ev === 'xfer-done')
    t.equal(done.length, 2, 'server finished both transfers')
    for (const d of done) {
      t.equal(d.bytes, SIZE, 'server received every byte')
      t.equal(d.sha256, want, 'server received the client\'s bytes unchanged')
    }
    const errors = [...client.events, ...server.events].filter(e => e.ev === 'error')
    t.same(errors, [], 'no socket errors on either side')

    // Two held connections: they must show up in `show sessions`.
    client.send({ op: 'connect', id: 'h4', host: LAB.server4, port: 5002 })
    client.send({ op: 'connect', id: 'h6', host: LAB.server6, port: 5002 })
    const h4 = await client.expect(e => e.ev === 'connected' && e.id === 'h4', 5000, 'h4 connected')
    const h6 = await client.expect(e => e.ev === 'connected' && e.id === 'h6', 5000, 'h6 connected')
    const sessions = await bridge.request({ cmd: 'sessions' })
    const tcp = sessions.filter(s => s.proto === 'tcp' && s.dport === 5002)
    t.ok(tcp.some(s => s.src === LAB.client4 && s.sport === h4.lport && s.dst === LAB.server4), 'v4 held session listed with its real ports')
    t.ok(tcp.some(s => s.src === LAB.client6 && s.sport === h6.lport && s.dst === LAB.server6), 'v6 held session listed with its real ports')
    const text = bridge.cli('show', 'sessions')
    t.match(text, /ID\s+Application\s+State/, 'text table has the PAN-OS header')
    t.match(text, new RegExp(`${LAB.client4.replace(/\./g, '\\.')}\\[${h4.lport as number}\\]/trust/6`), 'text row: src[sport]/zone/proto')
    const one = tcp.find(s => s.sport === h4.lport)!
    t.match(bridge.cli('show', 'session', String(one.id)), /c2s flow:[\s\S]*s2c flow:[\s\S]*ingress interface\s+: fwc/, 'show session id')

    const recv = await bridge.counter('pkt_recv')
    t.ok(recv > 2 * SIZE / 1500, `pkt_recv counts the transfer (${recv})`)
    t.match(bridge.cli('show', 'counters'), /Global counters:[\s\S]*pkt_recv/, 'show counters text')

    // SIGTERM: exit 0, one end-of-session log line for every open session.
    const open = (await bridge.request({ cmd: 'sessions' })).map(s => s.id)
    const code = await bridge.stop()
    t.equal(code, 0, 'bridge exits 0 on SIGTERM')
    const logged = new Set(bridge.logRecords().filter(r => r.log === 'traffic').map(r => r.sessionId))
    for (const id of open) t.ok(logged.has(id), `open session ${id} logged at shutdown`)
    t.match(bridge.stdout, /Global counters:/, 'final counters printed on stdout (logs and messages on stderr)')
  })
}
