import t from 'tap'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { AppIdentifier, BYTE_BUDGET, IDENTIFIERS } from '../../src/inspect/identify.js'
import { APPS } from '../../src/policy/apps.js'
import { httpRequest, tlsClientHello, sshBanner, greeting220, ftpFirstCommand, smtpHello, dnsTcpQuery, dnsUdpMessage, tlsSni } from '../../src/inspect/probes.js'
import { PCAP_DIR } from '../helpers/shared.js'
import { flowsOf, tsharkAvailable, type Flow } from '../helpers/tshark-flows.js'

type Seg = ['c2s' | 's2c', string | Buffer]

/** Feed segments in order; return the identifier (stops feeding once decided, like the engine). */
function run (proto: 'tcp' | 'udp', segs: Seg[]): AppIdentifier {
  const id = new AppIdentifier(proto)
  for (const [dir, d] of segs) {
    const b = typeof d === 'string' ? Buffer.from(d, 'latin1') : d
    if (id.feed(dir === 'c2s' ? 0 : 1, b, 0, b.length)) break
  }
  return id
}

function runFlow (f: Flow): AppIdentifier {
  return run(f.proto, f.segments.map(s => [s.dir, s.data]))
}

t.test('the table names only applications apps.ts knows', async t => {
  for (const id of IDENTIFIERS) t.ok(APPS.some(a => a.name === id.app), id.app)
  for (const a of APPS) t.ok(IDENTIFIERS.some(id => id.app === a.name), `${a.name} has an identifier`)
})

// ---------------------------------------------------------------------------------------------------
// Real first payloads from the shared captures (extracted with tshark).

const captureCases: Array<{ file: string, proto: 'tcp' | 'udp', stream: number, app: string, sni?: string, note: string }> = [
  { file: 'zeek__web.pcap', proto: 'tcp', stream: 1, app: 'web-browsing', note: 'GET request on port 80' },
  { file: 'suricata-verify__bug-78-uricontent__input.pcap', proto: 'tcp', stream: 0, app: 'web-browsing', note: 'GET with a long URI' },
  { file: 'suricata-verify__http-ipv6__input.pcap', proto: 'tcp', stream: 0, app: 'web-browsing', note: 'HTTP over IPv6 loopback, port 8000' },
  { file: 'suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap', proto: 'tcp', stream: 0, app: 'web-browsing', note: 'HTTP on port 990: App-ID ignores the port' },
  { file: 'nDPI__tls_1.2_unidirectional_client.pcapng', proto: 'tcp', stream: 0, app: 'ssl', sni: 'notifications-pa.googleapis.com', note: 'TLS 1.2 ClientHello' },
  { file: 'suricata-verify__tls-fin-close-data-01__debug-s13.pcap', proto: 'tcp', stream: 0, app: 'ssl', sni: 'rr4---sn-5hne6nzy.googlevideo.com', note: 'TLS 1.3 ClientHello of 1918 bytes' },
  { file: 'suricata-verify__community-id-ipv6__input.pcap', proto: 'tcp', stream: 0, app: 'ssl', sni: 'dns.google', note: 'TLS over IPv6' },
  { file: 'suricata-verify__bug-3616-smtp__input.pcap', proto: 'tcp', stream: 0, app: 'smtp', note: 'multi-line 220- greeting, then EHLO' },
  { file: 'suricata-verify__bug-3616-smtp__input.pcap', proto: 'udp', stream: 0, app: 'dns', note: 'DNS query over UDP' },
  { file: 'suricata-verify__bug-3616-smtp__input.pcap', proto: 'udp', stream: 1, app: 'unknown-udp', note: 'NetBIOS datagram on 138' },
  { file: 'suricata-verify__flow-drop-iponly-02__input.pcap', proto: 'udp', stream: 0, app: 'dns', note: 'DNS query over UDP' },
  { file: 'arkime__tcp_handshake_synthetic.pcap', proto: 'tcp', stream: 8, app: 'ssh', note: 'server banner first' },
  { file: 'suricata-verify__bug-3844__input.pcap', proto: 'tcp', stream: 1, app: 'insufficient-data', note: '"GET /" then the server answers: not a whole request line' },
  { file: 'suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap', proto: 'tcp', stream: 0, app: 'insufficient-data', note: 'server-only text' },
  { file: 'suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap', proto: 'tcp', stream: 0, app: 'unknown-tcp', note: '"REQ /x HTTP/1.0": not a method' },
  { file: 'zeek__tcp__rst-inject-rae.pcap', proto: 'tcp', stream: 0, app: 'unknown-tcp', note: 'binary payload' },
]

t.test('identifies real first payloads from the shared captures', { skip: !tsharkAvailable() ? 'tshark not installed' : !existsSync(PCAP_DIR) ? 'no shared captures' : false }, async t => {
  const files = [...new Set(captureCases.map(c => c.file))].filter(f => existsSync(path.join(PCAP_DIR, f)))
  const byFile = new Map(await Promise.all(files.map(async f => [f, await flowsOf(f)] as const)))
  for (const c of captureCases) {
    const flows = byFile.get(c.file)
    if (flows === undefined) { t.comment(`${c.file} missing: skipped`); continue }
    const f = flows.find(f => f.proto === c.proto && f.stream === c.stream)
    if (f === undefined) { t.fail(`${c.file}: no ${c.proto} stream ${c.stream}`); continue }
    const id = runFlow(f)
    t.equal(id.name, c.app, `${c.file} ${c.proto}#${c.stream}: ${c.note}`)
    if (c.sni !== undefined) t.equal(id.detail, c.sni, `${c.file}: SNI`)
  }
})

t.test('a ClientHello cut into 7-byte segments is identified, and the SNI read from the held bytes', { skip: !tsharkAvailable() }, async t => {
  const f = (await flowsOf('nDPI__tls_1.2_unidirectional_client.pcapng'))[0]!
  const ch = f.segments[0]!.data
  t.ok(ch.length < BYTE_BUDGET, 'fits the budget')
  const id = new AppIdentifier('tcp')
  // Identification needs 6 bytes; feed 5 first so the identifier has to hold them.
  t.notOk(id.feed(0, ch, 0, 5))
  t.equal(id.name, 'insufficient-data')
  t.ok(id.feed(0, ch, 5, 7))
  t.equal(id.app, 'ssl')
  // With only 12 bytes the SNI is not there yet: undefined, not garbage.
  t.equal(id.detail, undefined)
  t.equal(tlsSni(ch, 0, ch.length), 'notifications-pa.googleapis.com')
  for (let cut = 0; cut < ch.length; cut += 13) t.not(tlsSni(ch, 0, cut), 'x', 'a truncated ClientHello never throws')
})

// ---------------------------------------------------------------------------------------------------
// Self-built fixtures for what the captures lack (SSH client-first, FTP, DNS over TCP).

function hex (s: string): Buffer { return Buffer.from(s.replace(/\s/g, ''), 'hex') }
/** A DNS query for example.com A, id 0x1234, RD set (RFC 1035 §4.1), as dig sends it (without EDNS). */
const DNS_Q = hex(
  '1234 0100 0001 0000 0000 0000' +  // id, flags (RD), qdcount 1, an/ns/ar 0
  '07 6578616d706c65 03 636f6d 00' + // 7 "example" 3 "com" 0
  '0001 0001')                       // type A, class IN

t.test('fixture flows', async t => {
  const cases: Array<{ name: string, proto: 'tcp' | 'udp', segs: Seg[], app: string }> = [
    { name: 'SSH client speaks first (OpenSSH client banner)', proto: 'tcp', segs: [['c2s', 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n']], app: 'ssh' },
    { name: 'SSH 1.99 compatibility banner from the server', proto: 'tcp', segs: [['s2c', 'SSH-1.99-Cisco-1.25\r\n']], app: 'ssh' },
    { name: 'SSH banner split "SS" + "H-2.0-x"', proto: 'tcp', segs: [['s2c', 'SS'], ['s2c', 'H-2.0-x\r\n']], app: 'ssh' },
    { name: 'FTP: vsftpd greeting, USER', proto: 'tcp', segs: [['s2c', '220 (vsFTPd 3.0.5)\r\n'], ['c2s', 'USER anonymous\r\n']], app: 'ftp' },
    { name: 'FTP: explicit TLS starts with AUTH TLS', proto: 'tcp', segs: [['s2c', '220-Welcome\r\n220 ready\r\n'], ['c2s', 'AUTH TLS\r\n']], app: 'ftp' },
    { name: 'FTP: lower-case "user" (commands are case-insensitive)', proto: 'tcp', segs: [['s2c', '220 x\r\n'], ['c2s', 'user bob\r\n']], app: 'ftp' },
    { name: 'SMTP: Postfix greeting, HELO', proto: 'tcp', segs: [['s2c', '220 mx.example ESMTP Postfix\r\n'], ['c2s', 'HELO client.example\r\n']], app: 'smtp' },
    { name: 'SMTP: EHLO split over two segments', proto: 'tcp', segs: [['s2c', '220 mx ESMTP\r\n'], ['c2s', 'EH'], ['c2s', 'LO c\r\n']], app: 'smtp' },
    { name: 'HTTP request line split after the method', proto: 'tcp', segs: [['c2s', 'GET '], ['c2s', '/index.html HTTP/1.1\r\nHost: x\r\n\r\n']], app: 'web-browsing' },
    { name: 'HTTP POST with LF-only line end', proto: 'tcp', segs: [['c2s', 'POST /api HTTP/1.0\n\n']], app: 'web-browsing' },
    { name: 'HTTP with a 600-byte URL (longer than the budget)', proto: 'tcp', segs: [['c2s', 'GET /' + 'a'.repeat(600) + ' HTTP/1.1\r\n']], app: 'web-browsing' },
    { name: 'DNS over TCP: length prefix alone, then the query', proto: 'tcp', segs: [['c2s', Buffer.from([0, DNS_Q.length])], ['c2s', DNS_Q]], app: 'dns' },
    { name: 'DNS over UDP: one query datagram', proto: 'udp', segs: [['c2s', DNS_Q]], app: 'dns' },
    // Undecided names (docs/panos-model.md#app-id).
    { name: 'no payload at all', proto: 'tcp', segs: [], app: 'incomplete' },
    { name: 'FTP/SMTP greeting but the client never speaks', proto: 'tcp', segs: [['s2c', '220 hello\r\n']], app: 'insufficient-data' },
    { name: 'greeting then a command neither FTP nor SMTP starts with', proto: 'tcp', segs: [['s2c', '220 hello\r\n'], ['c2s', 'HELP\r\n']], app: 'unknown-tcp' },
    { name: 'half a method', proto: 'tcp', segs: [['c2s', 'OPTI']], app: 'insufficient-data' },
    { name: 'a method but no line end, within budget', proto: 'tcp', segs: [['c2s', 'GET /x']], app: 'insufficient-data' },
    { name: '"GET " then binary', proto: 'tcp', segs: [['c2s', 'GET \x00\x01\x02']], app: 'unknown-tcp' },
    { name: 'HTTP-like line without a version', proto: 'tcp', segs: [['c2s', 'GET /x FOO/1.1\r\n']], app: 'unknown-tcp' },
    { name: 'SSH-like banner with protocol 3', proto: 'tcp', segs: [['s2c', 'SSH-3.0-x\r\n']], app: 'insufficient-data' },
    { name: '"220 " then 600 bytes of a never-ending client line', proto: 'tcp', segs: [['s2c', '220 x\r\n'], ['c2s', 'USE'], ['c2s', 'R'.repeat(600)]], app: 'unknown-tcp' },
    { name: 'UDP that is not DNS', proto: 'udp', segs: [['c2s', 'hello world, this is not dns']], app: 'unknown-udp' },
    { name: 'UDP: a truncated DNS query', proto: 'udp', segs: [['c2s', DNS_Q.subarray(0, 20)]], app: 'unknown-udp' },
  ]
  for (const c of cases) t.equal(run(c.proto, c.segs).name, c.app, c.name)
})

t.test('budget: a direction that keeps asking for more is ruled out at BYTE_BUDGET bytes', async t => {
  const id = new AppIdentifier('tcp')
  id.feed(1, Buffer.from('220 x\r\n'), 0, 7)
  let decidedAt = -1
  for (let n = 0; n < BYTE_BUDGET + 10; n++) {
    if (id.feed(0, Buffer.from('U'), 0, 1)) { decidedAt = n + 1; break }
  }
  // "U" is a prefix of "USER", "UU" is not: ruled out at the second byte, long before the budget.
  t.equal(decidedAt, 2)
  t.equal(id.app, 'unknown-tcp')
})

t.test('does not keep a reference to the fed buffer', async t => {
  const id = new AppIdentifier('tcp')
  const b = Buffer.from('GET /')
  id.feed(0, b, 0, b.length)
  b.fill(0)                                    // the caller reuses its buffer
  t.ok(id.feed(0, Buffer.from('a HTTP/1.1\r\n'), 0, 12))
  t.equal(id.app, 'web-browsing')
})

t.test('ignores bytes outside [off, off+len)', async t => {
  const frame = Buffer.from('xxxxSSH-2.0-yyyyGARBAGE')
  const id = new AppIdentifier('tcp')
  t.ok(id.feed(1, frame, 4, 12))
  t.equal(id.app, 'ssh')
  t.equal(httpRequest(Buffer.from('GET / HTTP/1.1\r\n'), 0, 3), 'need-more')
  t.equal(tlsClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x10, 0x01]), 0, 5), 'need-more')
  t.equal(tlsClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x10, 0x02]), 0, 6), 'no', 'ServerHello is not a ClientHello')
  t.equal(sshBanner(Buffer.from('SSH-2'), 0, 5), 'need-more')
  t.equal(greeting220(Buffer.from('2200'), 0, 4), 'no')
  t.equal(ftpFirstCommand(Buffer.from('USERX'), 0, 5), 'no')
  t.equal(smtpHello(Buffer.from('ehlo'), 0, 4), 'need-more', 'a command word without its separator yet')
  t.equal(dnsTcpQuery(Buffer.from([0x00]), 0, 1), 'need-more')
  t.equal(dnsTcpQuery(Buffer.from([0xff, 0xff, 0, 0]), 0, 4), 'no', '64 KiB is no query')
  t.equal(dnsUdpMessage(DNS_Q, 0, DNS_Q.length), 'match')
})
