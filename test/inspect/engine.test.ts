/**
 * App-ID and threat signatures inside the engine: re-evaluation after the handshake, application-default,
 * threat actions, split signatures, and the exact sequence numbers of the RSTs forged after the handshake.
 */
import t from 'tap'
import { ALLOW_ALL, Conv, Lab, decode, policy, snap, type Result } from '../helpers/lab.js'
import { formatIp } from '../../src/wire/addr.js'
import { TcpFlag } from '../../src/wire/summary.js'
import type { ThreatLogRecord } from '../../src/engine/types.js'

const CISN = 1000
const SISN = 5000

/** Send `text` as one segment from `dir` and advance that side's sequence number. */
function data (c: Conv, dir: 0 | 1, text: string, seq?: number): Result {
  const f = c.frame(dir, { flags: 'P.', ...(seq !== undefined ? { seq } : {}) }, text)
  const r = snap(c.lab.engine.process(f, dir, c.lab.now))
  if (seq === undefined) c.seq[dir] = (c.seq[dir] + Buffer.byteLength(text)) >>> 0
  return r
}

/** The forged RSTs of a result as [toward, src, seq, ack, flags]. */
function rsts (r: Result): Array<[string, string, number, number, number]> {
  return r.emits.map(e => {
    const s = decode(e.frame)
    return [e.toward, `${formatIp(s.frame, s.srcOff, s.addrLen)}:${s.srcPort}`, s.seq, s.ack, s.tcpFlags]
  })
}

const RA = TcpFlag.RST | TcpFlag.ACK
const CLIENT = '198.18.0.1:40000'
const server = (port: number): string => `198.18.1.2:${port}`

function labWithThreats (p: string): { lab: Lab, threats: ThreatLogRecord[] } {
  const threats: ThreatLogRecord[] = []
  const lab = new Lab(policy(p))
  ;(lab.engine as unknown as { hooks: { threatLog: (r: ThreatLogRecord) => void } }).hooks.threatLog = r => threats.push(r)
  return { lab, threats }
}

t.test('a policy without application rules or profiles keeps the fast path: no inspector', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  t.equal(lab.engine.table.inspectOn, false)
  const lab2 = new Lab(policy('  - { name: no-ssh, application: [ssh], action: deny }\n' + ALLOW_ALL))
  t.equal(lab2.engine.table.inspectOn, true)
})

t.test('App-ID block after the handshake (docs/panos-model.md#app-id): the handshake passes, then reset-both from tracked state', async t => {
  const lab = new Lab(policy('  - { name: no-ssh, application: [ssh], service: [application-default], action: reset-both }\n' + ALLOW_ALL))
  const c = new Conv(lab, { sport: 22, cisn: CISN, sisn: SISN })
  const hs = c.handshake()
  t.same(hs.map(r => r.action), ['forward', 'forward', 'forward'], 'SYN, SYN-ACK and ACK pass: the application is not known yet')
  t.same(hs.flatMap(r => r.emits), [])
  const id = hs[0]!.sessionId
  t.match(lab.engine.session(id), { rule: 'no-ssh', state: 'ACTIVE', tcpState: 'established' }, 'tentative match on the app rule')

  // The server speaks first (RFC 4253 §4.2): its banner identifies ssh; that segment is not forwarded.
  const r = data(c, 1, 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n')
  t.equal(r.action, 'drop')
  t.equal(r.reason, 'policy-deny')
  t.same(rsts(r), [
    ['client', server(22), SISN + 1, CISN + 1, RA],   // spoofed from the server: the banner never reached the client
    ['server', CLIENT, CISN + 1, SISN + 1, RA],       // spoofed from the client: seq = the server's RCV.NXT exactly
  ])
  t.same(r.emits.map(e => e.reason), [
    { rule: 'no-ssh', action: 'reset-both', trigger: 'app-id ssh' },
    { rule: 'no-ssh', action: 'reset-both', trigger: 'app-id ssh' },
  ])
  t.same(r.emits.map(e => e.port), [0, 1], 'each RST leaves toward its target')
  t.match(lab.engine.session(id), { application: 'ssh', state: 'DISCARD', rule: 'no-ssh', action: 'reset-both' })
  t.equal(data(c, 0, 'SSH-2.0-client\r\n').reason, 'session_discard', 'later packets are discarded')
  t.equal(lab.engine.counters().flow_policy_deny, 1)
  lab.wait(90)
  t.match(lab.logs, [{ subtype: 'deny', action: 'reset-both', application: 'ssh', endReason: 'policy-deny', rule: 'no-ssh' }])
})

t.test('App-ID block on client data: reset-server resets only the server, at the seq before the dropped request', async t => {
  const lab = new Lab(policy('  - { name: no-web, application: [web-browsing], action: reset-server }\n' + ALLOW_ALL))
  const c = new Conv(lab, { sport: 8080, cisn: 0xfffffff0, sisn: SISN })   // the client's seq wraps inside the request
  c.handshake()
  const r = data(c, 0, 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n')
  t.equal(r.action, 'drop')
  t.same(rsts(r), [['server', CLIENT, 0xfffffff1, SISN + 1, RA]])
})

t.test('deny after App-ID: the application\'s deny action for an app rule, a silent drop for a port-based rule', async t => {
  const lab = new Lab(policy('  - { name: no-ssh, application: [ssh], action: deny }\n' + ALLOW_ALL))
  const c = new Conv(lab, { sport: 22, cisn: CISN, sisn: SISN })
  c.handshake()
  const r = data(c, 1, 'SSH-2.0-x\r\n')
  t.same(rsts(r).map(x => x[0]), ['client', 'server'], 'ssh: reset-both (apps.ts)')
  t.match(lab.engine.session(r.sessionId), { action: 'deny', state: 'DISCARD' })

  // web-browsing is allowed by an app rule; anything else falls to a port-based deny: silently dropped.
  const lab2 = new Lab(policy('  - { name: web, application: [web-browsing], action: allow }\n  - { name: rest, action: deny }'))
  const d = new Conv(lab2, { sport: 80 })
  t.same(d.handshake().map(x => x.action), ['forward', 'forward', 'forward'])
  const r2 = data(d, 0, 'SSH-2.0-x\r\n')
  t.equal(r2.action, 'drop')
  t.same(r2.emits, [], 'port-based deny: no RST (docs/panos-model.md#actions-at-setup)')
  t.match(lab2.engine.session(r2.sessionId), { application: 'ssh', rule: 'rest', state: 'DISCARD' })
  const e = new Conv(lab2, { sport: 80, cport: 40001 })
  e.handshake()
  const r3 = data(e, 0, 'GET / HTTP/1.1\r\n\r\n')
  t.equal(r3.action, 'forward', 'HTTP passes the app rule')
  t.match(lab2.engine.session(r3.sessionId), { application: 'web-browsing', rule: 'web' })
})

t.test('service application-default: the app rule only applies on the application\'s standard ports', async t => {
  const p = '  - { name: web, application: [web-browsing], service: [application-default], action: allow }\n  - { name: rest, action: drop }'
  const lab = new Lab(policy(p))
  for (const port of [80, 8080]) {
    const c = new Conv(lab, { sport: port, cport: 41000 + port % 1000 })
    t.same(c.handshake().map(x => x.action), ['forward', 'forward', 'forward'], `tcp/${port}: tentatively allowed`)
    const r = data(c, 0, 'GET / HTTP/1.1\r\n\r\n')
    t.equal(r.action, 'forward', `HTTP on ${port} allowed`)
    t.match(lab.engine.session(r.sessionId), { application: 'web-browsing', rule: 'web' })
  }
  const odd = new Conv(lab, { sport: 8081 })
  const syn = odd.syn()
  t.equal(syn.action, 'drop', 'tcp/8081 is no default port of web-browsing: the SYN meets the drop rule')
  lab.wait(100)
  t.match(lab.logs.find(l => l.dport === 8081), { application: 'not-applicable', subtype: 'drop' })
  // SSH on port 80: not web-browsing, so the app rule stops matching once App-ID decides.
  const ssh = new Conv(lab, { sport: 80, cport: 42000 })
  ssh.handshake()
  const r = data(ssh, 1, 'SSH-2.0-x\r\n')
  t.equal(r.action, 'drop')
  t.match(lab.engine.session(r.sessionId), { application: 'ssh', rule: 'rest' })
})

t.test('a session that ends before any data is logged as incomplete (tentative rule, no App-ID decision)', async t => {
  const lab = new Lab(policy('  - { name: no-ssh, application: [ssh], action: reset-both }\n' + ALLOW_ALL))
  const c = new Conv(lab, { sport: 22 })
  c.handshake()
  c.send(0, 'F.'); c.send(1, 'F.'); c.send(0, '.')
  lab.wait(20)
  t.match(lab.logs, [{ application: 'incomplete', action: 'allow', endReason: 'tcp-fin', rule: 'no-ssh' }])
  const d = new Conv(lab, { sport: 22, cport: 40001 })
  d.handshake()
  data(d, 0, 'SSH-')           // not enough to decide
  d.send(0, 'F.'); d.send(1, 'F.'); d.send(0, '.')
  lab.wait(20)
  t.match(lab.logs[1], { application: 'insufficient-data' })
})

const THREATS = `
threats:
  signatures:
    - { name: cmd-exe, content: "cmd.exe", direction: c2s, service: [tcp/80], severity: critical, action: reset-both }
    - { name: leak, content: "BEGIN RSA PRIVATE KEY", direction: s2c, severity: high, action: reset-both }
    - { name: curl-ua, content: "User-Agent: curl", direction: c2s, severity: informational, action: alert }
    - { name: quiet, content: "ok", action: allow }
    - { name: srv-only, content: "DROP TABLE", direction: c2s, severity: high, action: reset-server }
    - { name: dns-bad, content: "evil", service: [udp/53], severity: medium, action: reset-both }
  profiles:
    ips: [cmd-exe, leak, curl-ua, quiet, srv-only, dns-bad]
`
const IPS_RULES = `  - { name: web, action: allow, profile: ips }\n${THREATS}`

t.test('a threat in an allowed session: the packet is dropped, reset-both from tracked state, end reason threat', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  const attack = 'GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.0\r\n\r\n'
  const r = data(c, 0, attack)
  t.equal(r.action, 'drop', 'the triggering packet is not forwarded')
  t.equal(r.reason, 'threat')
  t.same(rsts(r), [
    ['client', server(80), SISN + 1, CISN + 1, RA],
    ['server', CLIENT, CISN + 1, SISN + 1, RA],
  ])
  t.same(r.emits[0]!.reason, { rule: 'web', action: 'reset-both', trigger: 'threat cmd-exe' })
  t.match(threats, [{ type: 'THREAT', sessionId: r.sessionId, signature: 'cmd-exe', severity: 'critical', action: 'reset-both', direction: 'c2s', application: 'web-browsing', dport: 80 }])
  t.match(lab.engine.session(r.sessionId), { state: 'DISCARD', endReason: 'threat' })
  lab.wait(100)
  t.match(lab.logs, [{ subtype: 'end', action: 'allow', endReason: 'threat', application: 'web-browsing' }], 'docs/panos-model.md#threats: rule action allow, end reason threat')
})

t.test('threat found mid-transfer in the server\'s response (docs/panos-model.md#threats): RSTs carry the positions after the delivered bytes', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  const req = 'GET /backup.tar HTTP/1.1\r\nHost: x\r\n\r\n'
  t.equal(data(c, 0, req).action, 'forward')
  const head = 'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n'
  t.equal(data(c, 1, head).action, 'forward')
  for (let i = 0; i < 3; i++) t.equal(data(c, 1, 'x'.repeat(1400)).action, 'forward', `body segment ${i}`)
  const delivered = SISN + 1 + head.length + 3 * 1400
  const r = data(c, 1, 'more data -----BEGIN RSA PRIVATE KEY-----\nMIIE')
  t.equal(r.action, 'drop')
  t.same(rsts(r), [
    ['client', server(80), delivered, CISN + 1 + req.length, RA],
    ['server', CLIENT, CISN + 1 + req.length, delivered, RA],
  ])
  t.match(threats, [{ signature: 'leak', direction: 's2c' }])
})

t.test('a signature split over two segments is found when the second arrives', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  const first = 'GET /x?run=cmd.e'
  t.equal(data(c, 0, first).action, 'forward', 'first half passes')
  const r = data(c, 0, 'xe HTTP/1.1\r\n\r\n')
  t.equal(r.action, 'drop')
  t.same(rsts(r)[1], ['server', CLIENT, CISN + 1 + first.length, SISN + 1, RA], 'the server got the first half: RST right after it')
  t.equal(threats.length, 1)
})

t.test('in-order only: an overlapping retransmission is scanned for its new bytes; data ahead of a gap is not scanned', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  t.equal(data(c, 0, 'GET /x?a=cmd.e').action, 'forward')
  // Retransmission of "cmd.e" plus new bytes "xe": only "xe" is new, and with the carried bytes completes the content.
  const r = data(c, 0, 'cmd.exe HTTP/1.1\r\n', CISN + 1 + 9)
  t.equal(r.action, 'drop', 'found through the overlap')
  t.equal(threats.length, 1)

  const { lab: lab2, threats: th2 } = labWithThreats(IPS_RULES)
  const d = new Conv(lab2, { cisn: CISN, sisn: SISN })
  d.handshake()
  // Segment 2 arrives first (ahead of a gap) and carries the signature: forwarded, not scanned.
  const seg1 = 'GET /a HTTP/1.1\r\n'
  t.equal(data(d, 0, 'X-A: cmd.exe\r\n\r\n', CISN + 1 + seg1.length).action, 'forward', 'ahead of a gap: not inspected (documented gap)')
  t.equal(data(d, 0, seg1).action, 'forward')
  t.same(th2, [])
})

t.test('alert logs once and lets traffic through; allow neither logs nor blocks', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab)
  c.handshake()
  const r = data(c, 0, 'GET / HTTP/1.1\r\nUser-Agent: curl/8.5\r\nX: ok\r\n\r\n')
  t.equal(r.action, 'forward')
  t.same(r.emits, [])
  t.equal(data(c, 0, 'GET / HTTP/1.1\r\nUser-Agent: curl/8.5\r\n\r\n').action, 'forward')
  t.same(threats.map(x => [x.signature, x.action, x.severity]), [['curl-ua', 'alert', 'informational']], 'one record per signature and session; none for allow')
  t.match(lab.engine.session(r.sessionId), { state: 'ACTIVE', endReason: null })
})

t.test('an alert and a block in the same packet: both logged, alert first', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab)
  c.handshake()
  const r = data(c, 0, 'GET /cmd.exe HTTP/1.1\r\nUser-Agent: curl/8\r\n\r\n')
  t.equal(r.action, 'drop')
  t.same(threats.map(x => x.signature), ['curl-ua', 'cmd-exe'])
})

t.test('reset-server threat: only the server is reset; the client is left hanging', async t => {
  const { lab } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  const r = data(c, 0, "POST /q HTTP/1.1\r\n\r\nq='; DROP TABLE users;--")
  t.same(rsts(r), [['server', CLIENT, CISN + 1, SISN + 1, RA]])
})

t.test('service scope: cmd-exe is scoped to tcp/80 and does not fire on 8080', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { sport: 8080 })
  c.handshake()
  t.equal(data(c, 0, 'GET /cmd.exe HTTP/1.1\r\n\r\n').action, 'forward')
  t.same(threats, [])
})

t.test('UDP: a reset action drops (PAN-OS), no RST, end reason threat', async t => {
  const { lab, threats } = labWithThreats(IPS_RULES)
  const q = Buffer.from('abcd01000001000000000000046576696c076578616d706c650000010001', 'hex') // query for evil.example
  const r = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 5353, dport: 53 }, payload: q })
  t.equal(r.action, 'drop')
  t.same(r.emits, [])
  t.match(threats, [{ signature: 'dns-bad', action: 'drop', proto: 'udp', application: 'dns' }])
  t.match(lab.engine.session(r.sessionId), { state: 'DISCARD', endReason: 'threat', application: 'dns' })
})

t.test('the first client data of a session can identify and be blocked as well (rule with a profile)', async t => {
  const { lab } = labWithThreats(IPS_RULES)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  // Two requests in one session: the first is clean, the second is an attack.
  t.equal(data(c, 0, 'GET / HTTP/1.1\r\n\r\n').action, 'forward')
  t.equal(data(c, 1, 'HTTP/1.1 200 OK\r\n\r\n').action, 'forward')
  const r = data(c, 0, 'GET /cmd.exe HTTP/1.1\r\n\r\n')
  t.same(rsts(r), [
    ['client', server(80), SISN + 1 + 19, CISN + 1 + 18, RA],
    ['server', CLIENT, CISN + 1 + 18, SISN + 1 + 19, RA],
  ])
})

t.test('a new policy (setPolicy + rematch) brings its own signatures to open sessions, long ones split included', async t => {
  const { lab, threats } = labWithThreats(`  - { name: web, action: allow, profile: a }
threats:
  signatures: [{ name: short, content: "zz", action: alert }]
  profiles: { a: [short] }
`)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  t.equal(data(c, 0, 'GET / HTTP/1.1\r\n\r\n').action, 'forward')
  lab.engine.setPolicy(policy(`  - { name: web2, action: allow, profile: b }
threats:
  signatures: [{ name: long, content: "this-is-a-much-longer-signature-than-before", direction: c2s, action: reset-both }]
  profiles: { b: [long] }
`), { rematch: true, nowUs: lab.now })
  t.equal(data(c, 0, 'x this-is-a-much-longer-sign').action, 'forward')
  const r = data(c, 0, 'ature-than-before y')
  t.equal(r.action, 'drop', 'found across the seam with the new, longer carry')
  t.match(threats, [{ signature: 'long' }])
  t.match(lab.engine.session(r.sessionId), { rule: 'web2', endReason: 'threat' })
})

t.test('a session that needed nothing gets signatures by a rule change later: scanning resumes at the right place', async t => {
  const base = `
threats:
  signatures: [{ name: bad, content: "BAD-THING", direction: c2s, action: reset-both }]
  profiles: { p: [bad] }
`
  const { lab, threats } = labWithThreats(`  - { name: plain, action: allow }\n  - { name: never, application: [ssh], action: deny }${base}`)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  t.equal(data(c, 0, 'GET / HTTP/1.1\r\n\r\n').action, 'forward', 'identified, no profile: the inspector is idle')
  t.equal(data(c, 0, 'more data, not inspected').action, 'forward')
  lab.engine.setPolicy(policy(`  - { name: scanned, action: allow, profile: p }${base}`), { rematch: true, nowUs: lab.now })
  t.equal(data(c, 0, 'then BAD-TH').action, 'forward')
  const r = data(c, 0, 'ING')
  t.equal(r.action, 'drop', 'found: positions restarted from the tracked sequence numbers')
  t.equal(threats.length, 1)
})

t.test('TLS: the SNI App-ID recorded shows in the trace', async t => {
  const lab = new Lab(policy('  - { name: no-ssh, application: [ssh], action: deny }\n' + ALLOW_ALL))
  const c = new Conv(lab, { sport: 443 })
  c.handshake()
  // A minimal TLS 1.2 ClientHello with server_name "lab.example" (RFC 8446 §4.1.2, RFC 6066 §3).
  const sni = Buffer.from('lab.example')
  const ext = Buffer.concat([Buffer.from([0, 0, 0, sni.length + 5, 0, sni.length + 3, 0, 0, sni.length]), sni])
  const body = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32), Buffer.from([0, 0, 2, 0x13, 0x01, 1, 0, 0, ext.length]), ext])
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 255]), body])
  const rec = Buffer.concat([Buffer.from([22, 3, 1, hs.length >> 8, hs.length & 255]), hs])
  // Conv.frame passes the payload to buildFrame, which takes bytes as well as strings.
  const f = c.frame(0, { flags: 'P.' }, rec as unknown as string)
  const r = lab.engine.process(f, 0, lab.now)
  t.equal(r.action, 'forward')
  t.match(lab.engine.session(r.sessionId), { application: 'ssl' })
  t.ok(lab.traces.some(e => e.kind === 'app-detail' && e.app === 'ssl' && e.detail === 'sni lab.example'), 'trace names the SNI')
})

t.test('a pure retransmission is not scanned again: it cannot fake a match with itself', async t => {
  const { lab, threats } = labWithThreats(`  - { name: web, action: allow, profile: p }
threats:
  signatures: [{ name: twice, content: "PING PING ", direction: c2s, action: reset-both }]
  profiles: { p: [twice] }
`)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  t.equal(data(c, 0, 'PING ').action, 'forward')
  t.equal(data(c, 0, 'PING ', CISN + 1).action, 'forward', 'the same 5 bytes again (a retransmission): not "PING PING "')
  t.same(threats, [])
  t.equal(data(c, 0, 'PING ').action, 'drop', 'new bytes: now the stream really holds "PING PING "')
  t.equal(threats.length, 1)
})

t.test('the segment that decides the application is scanned with the profile of the rule it lands on', async t => {
  const { lab, threats } = labWithThreats(`  - { name: no-ssh, application: [ssh], action: reset-both }
  - { name: web, action: allow, profile: ips }
${THREATS}`)
  const c = new Conv(lab, { cisn: CISN, sisn: SISN })
  c.handshake()
  t.match(lab.engine.sessions()[0], { rule: 'no-ssh' }, 'tentative: the app rule has no profile')
  const r = data(c, 0, 'GET /cmd.exe HTTP/1.1\r\n\r\n')
  t.equal(r.action, 'drop', 'App-ID → rule web → its profile finds cmd.exe in the same segment')
  t.same(rsts(r), [
    ['client', server(80), SISN + 1, CISN + 1, RA],
    ['server', CLIENT, CISN + 1, SISN + 1, RA],
  ])
  t.match(threats, [{ signature: 'cmd-exe', application: 'web-browsing' }])
  t.match(lab.engine.session(r.sessionId), { rule: 'web', endReason: 'threat' })
})
