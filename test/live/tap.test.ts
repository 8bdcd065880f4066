/**
 * Live: `rstlab tap` — observing a port of a kernel bridge and injecting at L3 (the classic IDS reset).
 * It cannot stop the real traffic: the SYN reaches the server, which answers for itself (here with its
 * own RST, TTL 54, nothing listens); the tap's forged RST (TTL 64, spoofed from the server) races it.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { Agent, Bridge, Capture, liveSkipReason, makeLab, sleep, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  t.test('tap: forged RST races the server\'s own answer', async t => {
    const lab = makeLab(t, { kernelBridge: true })
    // The tap host needs a route to the endpoints for its raw socket: an address on the bridge.
    execFileSync('ip', ['netns', 'exec', lab.names.fw, 'ip', 'addr', 'add', '198.18.0.253/24', 'dev', 'br0'])
    const dir = tempDir(t)
    const tapProc = new Bridge(t, lab, dir, `rules:
  - name: block-ftp
    service: [tcp/21]
    action: reset-client
  - name: allow-all
    action: allow
`, { tap: LAB.fwClientIf })
    const client = new Agent(t, lab, 'client')
    await Promise.all([tapProc.ready(), client.ready()])
    const cap = new Capture(t, lab, dir, 'client', LAB.clientIf, 'tcp')
    await cap.ready()
    client.send({ op: 'connect', id: 'ftp', host: LAB.server4, port: 21 })
    const e = await client.expect(e => e.id === 'ftp' && (e.ev === 'error' || e.ev === 'connected'), 5000, 'connect to 21')
    t.equal(e.code, 'ECONNREFUSED', 'the client is refused (by whichever RST won)')
    await sleep(300)
    const lines = await cap.stop()
    const rsts = lines.filter(l => /198\.18\.0\.2\.21 > 198\.18\.0\.1\.\d+: Flags \[R\.\]/.test(l))
    t.ok(rsts.some(l => /ttl 64,/.test(l)), 'the tap\'s forged RST (TTL 64) reached the client')
    t.ok(rsts.some(l => /ttl 54,/.test(l)), 'the server\'s own RST (TTL 54) did too: a tap cannot stop traffic')
    t.ok(await tapProc.counter('rstlab_inject_sent') >= 1, 'rstlab_inject_sent counts the L3 injection')
    t.match(tapProc.stderr, /race the real traffic|cannot stop it/, 'tap says it only races the traffic')
    t.equal(await tapProc.stop(), 0)
  })
}
