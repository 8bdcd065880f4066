/**
 * Syslog framing (RFC 3164 / RFC 5424, TCP framing per RFC 6587) and the sink against real listeners
 * on 127.0.0.1 (a UDP socket and a TCP server made here): every line arrives, framed as documented;
 * a collector that is not there is counted and warned about, never silently lost.
 */
import t from 'tap'
import dgram from 'node:dgram'
import net from 'node:net'
import { parseSyslogTarget, syslogMessage, syslogSeverity, tcpFrame } from '../../src/logs/syslog.js'
import { SyslogSink } from '../../src/egress/syslog.js'

const T = Date.UTC(2026, 11, 2, 7, 5, 9, 123)

t.test('BSD and IETF messages', async t => {
  t.equal(syslogMessage('bsd', '1,2026/12/02 07:05:09,,TRAFFIC', { timeMs: T, host: 'fw1', severity: 6 }),
    '<14>Dec  2 07:05:09 fw1 1,2026/12/02 07:05:09,,TRAFFIC', 'RFC 3164: PRI user.info, space-padded day, host, message')
  t.equal(syslogMessage('ietf', 'x', { timeMs: T, host: 'fw1', severity: 2 }),
    '<10>1 2026-12-02T07:05:09.123Z fw1 rstlab - - - x', 'RFC 5424: version 1, RFC 3339 time, nil PROCID/MSGID/SD')
  t.equal(syslogMessage('ietf', 'x', { timeMs: T, host: '', severity: 6 }), '<14>1 2026-12-02T07:05:09.123Z - rstlab - - - x', 'nil host')
  t.equal(syslogSeverity('critical'), 2); t.equal(syslogSeverity('low'), 5); t.equal(syslogSeverity(undefined), 6)
  t.equal(tcpFrame('ietf', 'héllo'), '6 héllo', 'octet counting counts bytes (UTF-8)')
  t.equal(tcpFrame('bsd', 'hello'), 'hello\n', 'LF framing')
})

t.test('--syslog targets', async t => {
  t.same(parseSyslogTarget('127.0.0.1:514'), { host: '127.0.0.1', port: 514, transport: 'udp' })
  t.same(parseSyslogTarget('[::1]:6514/tcp'), { host: '::1', port: 6514, transport: 'tcp' })
  t.same(parseSyslogTarget('collector.lab:514/udp'), { host: 'collector.lab', port: 514, transport: 'udp' })
  for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'h:514/sctp', '::1:514']) t.type(parseSyslogTarget(bad), 'string', `${bad} refused`)
})

t.test('UDP: every line arrives as one datagram', async t => {
  const rx = dgram.createSocket('udp4')
  await new Promise<void>(resolve => rx.bind(0, '127.0.0.1', resolve))
  t.teardown(() => rx.close())
  const got: string[] = []
  rx.on('message', m => got.push(m.toString()))
  const warns: string[] = []
  const sink = new SyslogSink({ host: '127.0.0.1', port: rx.address().port, transport: 'udp' }, { format: 'bsd', hostname: 'fw', warn: w => warns.push(w), nowMs: () => T })
  for (let i = 0; i < 50; i++) sink.send(`line ${i}`, 6)
  const r = await sink.close()
  for (let i = 0; i < 20 && got.length < 50; i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.same(r, { sent: 50, failed: 0 })
  t.equal(got.length, 50, 'all 50 datagrams received')
  t.equal(got[7], '<14>Dec  2 07:05:09 fw line 7')
  t.same(warns, [])
})

t.test('TCP: octet-counted IETF messages in order', async t => {
  let data = ''
  const server = net.createServer(c => { c.on('data', d => { data += d.toString() }) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const port = (server.address() as net.AddressInfo).port
  const sink = new SyslogSink({ host: '127.0.0.1', port, transport: 'tcp' }, { format: 'ietf', hostname: 'fw', warn: () => {}, nowMs: () => T })
  for (let i = 0; i < 100; i++) sink.send(`1,TRAFFIC,${i}`, 6)
  t.same(await sink.close(), { sent: 100, failed: 0 })
  for (let i = 0; i < 50 && !data.includes('TRAFFIC,99'); i++) await new Promise(resolve => setTimeout(resolve, 10))
  // Parse RFC 6587 octet counting independently: LEN SP MSG, repeated.
  const msgs: string[] = []
  let buf = Buffer.from(data)
  while (buf.length > 0) {
    const sp = buf.indexOf(0x20)
    const len = Number(buf.subarray(0, sp).toString())
    msgs.push(buf.subarray(sp + 1, sp + 1 + len).toString())
    buf = buf.subarray(sp + 1 + len)
  }
  t.equal(msgs.length, 100)
  t.equal(msgs[42], '<14>1 2026-12-02T07:05:09.123Z fw rstlab - - - 1,TRAFFIC,42')
})

t.test('TCP: BSD lines are LF-framed', async t => {
  let data = ''
  const server = net.createServer(c => { c.on('data', d => { data += d.toString() }) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const sink = new SyslogSink({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, transport: 'tcp' },
    { format: 'bsd', hostname: 'fw', warn: () => {}, nowMs: () => T })
  sink.send('a', 6); sink.send('b', 3)
  await sink.close()
  for (let i = 0; i < 50 && !data.includes('b\n'); i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(data, '<14>Dec  2 07:05:09 fw a\n<11>Dec  2 07:05:09 fw b\n')
})

t.test('a collector that is not listening: counted and warned about', async t => {
  // A port that was just free: bind, note, close.
  const probe = net.createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as net.AddressInfo).port
  await new Promise<void>(resolve => probe.close(() => resolve()))
  const warns: string[] = []
  const tcp = new SyslogSink({ host: '127.0.0.1', port, transport: 'tcp' }, { format: 'bsd', hostname: 'fw', warn: w => warns.push(w), retryMs: 50 })
  for (let i = 0; i < 5; i++) tcp.send(`line ${i}`, 6)
  const r = await tcp.close(300)
  t.same(r, { sent: 0, failed: 5 }, 'TCP: all 5 lines counted as failed')
  t.match(warns[0], /syslog collector 127\.0\.0\.1:\d+\/tcp: ECONNREFUSED/, 'warned with the reason')
  t.equal(warns.length, 1, 'warned once, not per line')

  const uwarns: string[] = []
  const udp = new SyslogSink({ host: '127.0.0.1', port, transport: 'udp' }, { format: 'bsd', hostname: 'fw', warn: w => uwarns.push(w) })
  for (let i = 0; i < 5; i++) {
    udp.send(`line ${i}`, 6)
    await new Promise(resolve => setTimeout(resolve, 20)) // let the ICMP port unreachable come back
  }
  const u = await udp.close()
  t.equal(u.sent + u.failed, 5, 'UDP: every line is counted one way or the other')
  t.ok(u.failed >= 1, `UDP: refused datagrams counted as failed (${u.failed})`)
  t.match(uwarns[0], /ECONNREFUSED/, 'UDP: warned')
  t.equal(uwarns.length, 1, 'UDP: warned once')
})
