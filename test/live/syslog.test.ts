/**
 * Live: `rstlab bridge --log-format csv --syslog 127.0.0.1:PORT/tcp --syslog-format ietf` (issue #16).
 * One TCP connection through the bridge, then SIGTERM: the log file holds PAN-OS CSV traffic lines
 * (PAN-OS 9.1 field positions: addresses 8-9, rule 12, zones 17-18, interfaces 19-20, ports 25-26,
 * bytes 32-34, start 36, end reason 47) with wall-clock times, and a TCP collector in the firewall's
 * namespace (a node process started here) received exactly the same lines, RFC 6587 octet-counted.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Agent, Bridge, childEnv, liveSkipReason, makeLab, policy, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

const PORT = 5514
const COLLECTOR = `
const net = require('node:net')
net.createServer(c => c.on('data', d => process.stdout.write(JSON.stringify(d.toString('latin1')) + '\\n')))
  .listen(${PORT}, '127.0.0.1', () => process.stdout.write('"LISTENING"\\n'))`

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  t.test('bridge --syslog: the CSV lines of the log file reach a TCP collector', async t => {
    const lab = makeLab(t)
    const dir = tempDir(t)
    // The collector: in the firewall's namespace, on its loopback.
    const col = spawn(lab.exec('fw')[0]!, [...lab.exec('fw').slice(1), process.execPath, '-e', COLLECTOR], { stdio: ['ignore', 'pipe', 'inherit'], env: childEnv() })
    t.teardown(() => { col.kill('SIGKILL') })
    let raw = ''
    col.stdout!.setEncoding('utf8')
    await new Promise<void>(resolve => col.stdout!.on('data', (d: string) => {
      for (const l of d.split('\n').filter(Boolean)) { const s = JSON.parse(l) as string; if (s === 'LISTENING') resolve(); else raw += s }
    }))
    const bridge = new Bridge(t, lab, dir, policy(), { args: ['--log-format', 'csv', '--syslog', `127.0.0.1:${PORT}/tcp`, '--syslog-format', 'ietf'] })
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    server.send({ op: 'listen', tag: 'h', port: 5002, mode: 'hold' })
    await server.expect(e => e.ev === 'listening', 5000, 'listen')
    const before = Date.now()
    client.send({ op: 'connect', id: 'c', host: LAB.server4, port: 5002 })
    const conn = await client.expect(e => e.ev === 'connected' && e.id === 'c', 10000, 'connected')
    client.send({ op: 'write', id: 'c', bytes: 100 })
    await server.expect(e => e.ev === 'data' && Number(e.bytes) >= 100, 10000, 'server got 100 bytes')
    t.equal(await bridge.stop(), 0, 'bridge exits 0 on SIGTERM')
    t.match(bridge.stderr, /rstlab: syslog 127\.0\.0\.1:5514\/tcp: \d+ line\(s\) sent, 0 failed/, 'the shutdown summary counts the syslog lines')

    const lines = readFileSync(bridge.logPath, 'utf8').split('\n').filter(Boolean)
    t.ok(lines.length >= 1, `the log file holds CSV lines (${lines.length})`)
    t.notOk(lines.some(l => l.startsWith('{')), 'and nothing else (system lines stay on stderr)')
    const mine = lines.map(l => l.split(',')).find(c => c[7] === LAB.client4 && c[24] === String(conn.lport))
    t.ok(mine !== undefined, 'the connection is logged')
    if (mine !== undefined) {
      t.equal(mine.length, 75, '75 traffic fields')
      t.same([mine[3], mine[8], mine[11], mine[16], mine[17], mine[18], mine[19], mine[25], mine[29]],
        ['TRAFFIC', LAB.server4, 'allow-all', 'trust', 'untrust', 'fwc', 'fws', '5002', 'tcp'])
      t.equal(Number(mine[31]), Number(mine[32]) + Number(mine[33]), 'bytes = sent + received')
      t.ok(Number(mine[32]) >= 100 + 3 * 54, `bytes sent count the client's frames (${mine[32]})`)
      const start = Date.parse(mine[35]!.replace(/\//g, '-').replace(' ', 'T') + 'Z')
      t.ok(start >= Math.floor(before / 1000) * 1000 - 1000 && start <= Date.now(), `start time ${mine[35]} is the wall clock`)
      t.equal(mine[46], 'unknown', 'ended by SIGTERM: unknown (as clear session all)')
    }
    // RFC 6587 octet counting, parsed here: LEN SP MSG ...; each MSG is RFC 5424 with the CSV line as MSG.
    for (let i = 0; i < 100 && raw.split('TRAFFIC').length - 1 < lines.length; i++) await new Promise(resolve => setTimeout(resolve, 50))
    const got: string[] = []
    let buf = Buffer.from(raw, 'latin1')
    while (buf.length > 0) {
      const sp = buf.indexOf(0x20)
      const len = Number(buf.subarray(0, sp).toString())
      const msg = buf.subarray(sp + 1, sp + 1 + len).toString()
      const m = /^<14>1 \S+Z \S+ rstlab - - - (.*)$/.exec(msg)
      t.ok(m !== null, `RFC 5424 message: ${msg.slice(0, 60)}`)
      got.push(m?.[1] ?? '')
      buf = buf.subarray(sp + 1 + len)
    }
    t.same(got, lines, 'the collector received exactly the log file\'s lines, in order')
  })
}
