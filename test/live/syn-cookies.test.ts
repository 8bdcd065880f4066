/**
 * Live: SYN cookies through `rstlab bridge` between real Linux kernels (issue #15). While hping3
 * floods the server with SYNs from the client side at several times activate-rate, a real client
 * connects through the cookie handshake and exchanges data both ways byte for byte (a wrong sequence
 * translation would make one of the kernels reset or stall); the server never sees a flood SYN; the
 * SYN-ACK the client got for that connection carries the firewall's TTL, never the server's.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { Agent, Bridge, Capture, liveSkipReason, makeLab, sleep, tempDir } from './harness.js'
import { pattern } from './pattern.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const SIZE = 256 * 1024
  const want = createHash('sha256').update(pattern(SIZE)).digest('hex')
  const ACTIVATE = 50
  const FLOOD_PPS = 250 // 5 × activate-rate
  const FW_TTL = 77

  t.test('SYN flood at 5× activate-rate: a real client still connects through cookies, data intact both ways, the server never sees the flood', async t => {
    const lab = makeLab(t)
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, `
settings:
  emulator: { forged-ttl: ${FW_TTL} }
zone-protection-profiles:
  edge:
    flood:
      tcp-syn: { enable: yes, syn-cookies: { alarm-rate: 20, activate-rate: ${ACTIVATE}, maximal-rate: 100000 } }
zones:
  trust:   { interfaces: [fwc], zone-protection-profile: edge }
  untrust: { interfaces: [fws] }
rules:
  - { name: allow-all, action: allow }
`)
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    // Every SYN the server receives, and every SYN-ACK the client receives.
    const atServer = new Capture(t, lab, dir, 'server', LAB.serverIf, 'tcp port 5001 and tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0')
    const atClient = new Capture(t, lab, dir, 'client', LAB.clientIf, 'tcp port 5001 and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)')
    await Promise.all([bridge.ready(), server.ready(), client.ready(), atServer.ready(), atClient.ready()])
    server.send({ op: 'listen', tag: 'x', port: 5001, mode: 'xfer', size: SIZE })
    await server.expect(e => e.ev === 'listening' && e.tag === 'x', 5000, 'listen')

    // The flood: SYNs to the listening port from the client's address, source ports counting up (hping3's default).
    const flood = spawn(lab.exec('client')[0]!, [...lab.exec('client').slice(1), 'hping3', '-S', '-p', '5001', '-s', '20000', '-i', `u${Math.round(1e6 / FLOOD_PPS)}`, '-q', LAB.server4], { stdio: 'ignore' })
    const floodExit = new Promise(resolve => flood.once('exit', resolve))
    t.teardown(async () => { if (flood.exitCode === null) { flood.kill('SIGKILL'); await floodExit } })
    // Let the rate build up well past activate-rate before the real client connects.
    const deadline = Date.now() + 60_000
    while (await bridge.counter('flow_dos_syncookie_sent') < 3 * ACTIVATE && Date.now() < deadline) await sleep(200)
    t.ok(await bridge.counter('flow_dos_syncookie_sent') >= 3 * ACTIVATE, 'the flood is being answered with cookies')

    client.send({ op: 'connect', id: 'real', host: LAB.server4, port: 5001, mode: 'xfer', size: SIZE })
    const conn = await client.expect(e => e.ev === 'connected' && e.id === 'real', 60_000, 'client connected')
    const got = await client.expect(e => e.ev === 'xfer-done' && e.id === 'real', 120_000, 'client received the server\'s data')
    t.equal(got.bytes, SIZE, 'client received every byte')
    t.equal(got.sha256, want, 'client received the server\'s bytes unchanged')
    const sdone = await server.expect(e => e.ev === 'xfer-done', 120_000, 'server received the client\'s data')
    t.equal(sdone.bytes, SIZE, 'server received every byte')
    t.equal(sdone.sha256, want, 'server received the client\'s bytes unchanged')
    t.same([...client.events, ...server.events].filter(e => e.ev === 'error'), [], 'no resets or socket errors on either side')
    flood.kill('SIGINT')
    await floodExit

    const serverSyns = await atServer.stop()
    const clientSynAcks = await atClient.stop()
    const lport = conn.lport as number
    // Below activate-rate the flood's first SYNs pass as normal connections; once the rate is above it,
    // none does: every flood SYN the server saw came before the real connection's SYN (which the
    // firewall sent after the cookie ACK), and there are no more of them than the meter lets through.
    const syns = serverSyns.map(l => ({ t: l.slice(0, 15), port: Number(/198\.18\.0\.1\.(\d+) > 198\.18\.0\.2\.5001/.exec(l)?.[1]) }))
    const real = syns.filter(x => x.port === lport)
    const floodSyns = syns.filter(x => x.port !== lport)
    t.ok(real.length >= 1, `the server got the real connection's SYN (${real.length})`)
    t.ok(floodSyns.length <= ACTIVATE + 5, `the server saw ${floodSyns.length} flood SYNs (the ones before the rate reached activate-rate ${ACTIVATE}), of ${await bridge.counter('flow_dos_syncookie_sent')} answered with cookies`)
    t.ok(floodSyns.every(x => x.t < real[0]!.t), 'no flood SYN reached the server after cookies took over')
    const mine = clientSynAcks.filter(l => l.includes(`198.18.0.2.5001 > 198.18.0.1.${lport}:`))
    t.ok(mine.length >= 1, 'the client received a SYN-ACK')
    // Every SYN-ACK the client got for this connection is the firewall's: the server's own SYN-ACK and its
    // retransmissions (the server answering the SYN the firewall sends again when the client's first data
    // arrives before the server's SYN-ACK) are absorbed by the firewall (flow_dos_syncookie_synack_dup).
    t.ok(mine.every(l => l.includes(`ttl ${FW_TTL},`)),
      `every one carries the firewall's TTL (${FW_TTL}), none the server's (${LAB.serverTtl}): ${mine.map(l => l.slice(0, 90)).join(' | ')}`)
    t.comment(`server SYN-ACK retransmissions absorbed: ${await bridge.counter('flow_dos_syncookie_synack_dup')}`)

    t.ok(await bridge.counter('flow_dos_syncookie_ack_valid') >= 1, 'flow_dos_syncookie_ack_valid counted')
    t.match(bridge.cli('show', 'counters'), /flow_dos_syncookie_sent/, 'show counters lists the cookie counter')
    await bridge.stop()
    const logs = bridge.logRecords()
    t.ok(logs.some(r => r.log === 'threat' && r.subtype === 'flood' && r.signature === 'TCP Flood' && r.threatId === 8501), 'a TCP Flood threat log was written')
    t.ok(logs.some(r => r.log === 'traffic' && r.dport === 5001 && r.sport === lport && r.endReason === 'tcp-fin'), 'the real session ended normally (tcp-fin)')
    // The cookie key comes from the engine's seed: each start draws its own (no --seed given), and logs it.
    const seeded = logs.find(r => r.msg === 'engine seed')
    t.ok(seeded !== undefined && Number.isInteger(seeded.seed) && seeded.seedGiven === false, `the bridge drew its own engine seed and logged it (${String(seeded?.seed)})`)
  })
}
