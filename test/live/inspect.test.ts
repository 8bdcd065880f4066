/**
 * Live: threat prevention and App-ID between real Linux TCP stacks (issue #6).
 * - An HTTP request that matches a reset-both signature: the client's socket gets ECONNRESET, and the
 *   server's connection is reset too (its RST carries exactly the server's RCV.NXT, so the RFC 5961
 *   stack accepts it instead of answering with a challenge ACK). A clean request on the same bridge
 *   is answered normally. The threat log names the signature.
 * - A rule naming ssh: the handshake succeeds (connect() resolves), the server's banner identifies
 *   ssh, and both sockets are reset.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { Agent, Bridge, liveSkipReason, makeLab, policy, tempDir } from './harness.js'
import { LAB, type Lab } from '../lab/netns.js'

/** A one-shot TCP client in the client namespace: connects, writes `text`, reports what happened. */
function oneShot (lab: Lab, port: number, text: string, waitMs = 3000): Promise<{ connected: boolean, error: string | undefined, reply: string }> {
  const script = `
const net = require('node:net')
const out = { connected: false, error: undefined, reply: '' }
const s = net.connect({ host: ${JSON.stringify(LAB.server4)}, port: ${port} })
s.on('connect', () => { out.connected = true; s.write(${JSON.stringify(text)}) })
s.on('data', d => { out.reply += d.toString() })
s.on('error', e => { out.error = e.code; done() })
s.on('close', done)
setTimeout(done, ${waitMs})
let printed = false
function done () { if (printed) return; printed = true; process.stdout.write(JSON.stringify(out)); process.exit(0) }
`
  return new Promise((resolve, reject) => {
    const argv = [...lab.exec('client'), process.execPath, '-e', script]
    const p = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    p.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    p.on('exit', () => {
      try { resolve(JSON.parse(stdout) as { connected: boolean, error: string | undefined, reply: string }) } catch { reject(new Error(`client script failed: ${stderr}`)) }
    })
  })
}

const THREATS = `
threats:
  signatures:
    - { name: iis-cmd-exe, content: "cmd.exe", direction: c2s, service: [tcp/8080], severity: critical, action: reset-both }
  profiles:
    ips: [iis-cmd-exe]
`

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)

  t.test('a request matching a reset-both signature: ECONNRESET on both sockets', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({
      rules: `  - name: web
    service: [tcp/8080]
    action: allow
    profile: ips
`,
    }) + THREATS)
    const server = new Agent(t, lab, 'server')
    await Promise.all([bridge.ready(), server.ready()])
    server.send({ op: 'listen', tag: 'web', port: 8080 })
    await server.expect(e => e.ev === 'listening' && e.tag === 'web', 5000, 'listening')

    // A clean request passes: the server receives it (hold mode reports the byte count).
    const clean = 'GET /index.html HTTP/1.1\r\nHost: lab\r\n\r\n'
    const ok = oneShot(lab, 8080, clean, 1000)
    await server.expect(e => e.ev === 'data' && e.id === 'web#1' && e.bytes === clean.length, 5000, 'clean request delivered')
    const r0 = await ok
    t.ok(r0.connected, 'clean: connected')
    t.equal(r0.error, undefined, 'clean: no error')

    // The attack: connect() succeeds, the request is dropped and both ends are reset.
    const attack = 'GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.1\r\nHost: lab\r\n\r\n'
    const r = await oneShot(lab, 8080, attack)
    t.ok(r.connected, 'the handshake succeeded')
    t.equal(r.error, 'ECONNRESET', 'the client sees ECONNRESET')
    const e = await server.expect(e => e.id === 'web#2' && e.ev === 'error', 3000, 'server connection reset')
    t.equal(e.code, 'ECONNRESET', 'the server sees ECONNRESET: its RST carried the exact sequence number')
    t.notOk(server.events.some(x => x.id === 'web#2' && x.ev === 'data'), 'the server never got the request')
    t.ok(await bridge.counter('flow_tcp_rst_sent') >= 2, 'two RSTs forged')
    t.equal(await bridge.stop(), 0, 'bridge exits 0')
    const recs = bridge.logRecords()
    t.ok(recs.some(x => x.type === 'THREAT' && x.signature === 'iis-cmd-exe' && x.action === 'reset-both'), 'threat log record')
    t.ok(recs.some(x => x.type === 'TRAFFIC' && x.endReason === 'threat' && x.application === 'web-browsing'), 'traffic log: end reason threat')
  })

  t.test('a rule naming ssh: the handshake succeeds, the banner identifies ssh, both sockets are reset', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({
      rules: `  - name: no-ssh
    application: [ssh]
    service: [application-default]
    action: reset-both
`,
    }))
    const server = new Agent(t, lab, 'server')
    await Promise.all([bridge.ready(), server.ready()])
    server.send({ op: 'listen', tag: 'ssh', port: 22 })
    await server.expect(e => e.ev === 'listening' && e.tag === 'ssh', 5000, 'listening')
    // The client speaks first here (OpenSSH clients may send their banner without waiting).
    const r = await oneShot(lab, 22, 'SSH-2.0-OpenSSH_9.6\r\n')
    t.ok(r.connected, 'connect() succeeded: App-ID could not act on the SYN')
    t.equal(r.error, 'ECONNRESET', 'then the client is reset')
    const e = await server.expect(e => e.id === 'ssh#1' && e.ev === 'error', 3000, 'server reset')
    t.equal(e.code, 'ECONNRESET', 'and the server too')
    t.equal(await bridge.stop(), 0, 'bridge exits 0')
    t.ok(bridge.logRecords().some(x => x.type === 'TRAFFIC' && x.application === 'ssh' && x.endReason === 'policy-deny'), 'traffic log: ssh, policy-deny')
  })
}
