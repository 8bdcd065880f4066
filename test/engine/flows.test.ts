import t from 'tap'
import { ALLOW_ALL, CMAC, Conv, Lab, decode, policy } from '../helpers/lab.js'
import { buildFrame } from '../../src/wire/build.js'
import { formatIp } from '../../src/wire/addr.js'
import type { InspectVerdict } from '../../src/engine/types.js'

const SM = '02:00:00:00:00:05'
const udp = (c2s: boolean, sport = 5353, extra: object = {}): Parameters<Lab['send']>[1] => ({
  srcMac: c2s ? CMAC : SM, dstMac: c2s ? SM : CMAC,
  src: c2s ? '198.18.0.1' : '198.18.1.2', dst: c2s ? '198.18.1.2' : '198.18.0.1',
  udp: { sport: c2s ? sport : 53, dport: c2s ? 53 : sport }, payload: 'x', ...extra,
})

t.test('UDP session: both directions, 30 s idle timer refreshed by traffic', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const a = lab.send(0, udp(true))
  t.same([a.action, a.dir], ['forward', 'c2s'])
  const b = lab.send(1, udp(false))
  t.same([b.action, b.dir, b.sessionId], ['forward', 's2c', a.sessionId])
  t.equal(lab.engine.session(a.sessionId)?.timeoutS, 30)
  lab.wait(20)
  lab.send(0, udp(true))
  lab.wait(29.9)
  t.ok(lab.engine.session(a.sessionId), 'refreshed')
  lab.wait(0.1)
  t.notOk(lab.engine.session(a.sessionId))
  t.match(lab.logs[0], { proto: 'udp', application: 'unknown-udp', endReason: 'aged-out', packetsC2s: 2, packetsS2c: 1, elapsedS: 50 })
})

t.test('ICMP echo: one session per identifier, 6 s timer; other protocols 30 s', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const req = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', icmp: { type: 8, code: 0, id: 77, seqNo: 1 } })
  const rep = lab.send(1, { src: '198.18.1.2', dst: '198.18.0.1', icmp: { type: 0, code: 0, id: 77, seqNo: 1 } })
  t.equal(rep.sessionId, req.sessionId)
  t.equal(rep.dir, 's2c')
  t.equal(lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', icmp: { type: 8, code: 0, id: 78, seqNo: 1 } }).sessionId, req.sessionId + 1)
  t.equal(lab.engine.session(req.sessionId)?.timeoutS, 6)
  const gre = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', proto: 47, payload: 8 })
  t.equal(lab.engine.session(gre.sessionId)?.timeoutS, 30)
  const v6 = lab.send(0, { src: '2001:db8:0:1::1', dst: '2001:db8::2', icmp: { type: 128, code: 0, id: 5 } })
  t.equal(lab.send(1, { src: '2001:db8::2', dst: '2001:db8:0:1::1', icmp: { type: 129, code: 0, id: 5 } }).sessionId, v6.sessionId)
  lab.wait(6)
  t.same(lab.logs.map(l => [l.application, l.proto]), [['ping', 'icmp'], ['ping', 'icmp'], ['ping', 'ipv6-icmp']])
})

t.test('ICMP errors are matched to the session they quote', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const q = lab.send(0, udp(true, 4444))
  const quoted = buildFrame({ link: 'raw', src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 4444, dport: 53 }, payload: 'x' })
  const err = lab.send(1, { src: '198.18.1.2', dst: '198.18.0.1', icmp: { type: 3, code: 3 }, payload: quoted })
  t.same([err.action, err.sessionId, err.dir], ['forward', q.sessionId, 's2c'])
  const other = buildFrame({ link: 'raw', src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 4445, dport: 53 } })
  const lost = lab.send(1, { src: '198.18.1.2', dst: '198.18.0.1', icmp: { type: 3, code: 3 }, payload: other })
  t.same([lost.action, lost.reason], ['drop', 'flow_icmp_err_no_session'])
  // IPv6 packet-too-big quoting a TCP segment of a session.
  const c = new Conv(lab, { c: '2001:db8:0:1::1', s: '2001:db8::2' })
  c.handshake()
  const seg = buildFrame({ link: 'raw', src: '2001:db8:0:1::1', dst: '2001:db8::2', tcp: { sport: 40000, dport: 80, flags: 'P.', seq: c.seq[0] }, payload: 100 })
  const ptb = lab.send(1, { src: '2001:db8::1', dst: '2001:db8:0:1::1', icmp: { type: 2, code: 0, rest: 1280 }, payload: seg })
  t.equal(ptb.action, 'forward')
  t.equal(ptb.dir, 's2c')
})

t.test('non-IP frames pass without a session; malformed frames are dropped and counted', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const arp = Buffer.alloc(60)
  arp.writeUInt16BE(0x0806, 12)
  const r = lab.engine.process(arp, 0, lab.now)
  t.same([r.action, r.reason, r.egress, r.sessionId], ['forward', 'non-ip', 1, 0])
  const good = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1, dport: 2 } })
  const trunc = good.subarray(0, 30)
  const d = lab.engine.process(trunc, 0, lab.now)
  t.same([d.action, d.reason], ['drop', 'decode:ip4-truncated'])
  const badIhl = Buffer.from(good)
  badIhl[14] = 0x43
  t.equal(lab.engine.process(badIhl, 0, lab.now).reason, 'decode:ip4-bad-ihl')
  const k = lab.engine.counters()
  t.equal(k.flow_parse_ip4_truncated, 1)
  t.equal(k.flow_parse_ip4_bad_ihl, 1)
  t.equal(k.pkt_non_ip, 1)
  t.equal(k.pkt_recv, 3)
  t.equal(k.pkt_sent, 1)
  t.equal(lab.engine.process(Buffer.alloc(5), 0, lab.now).reason, 'decode:l2-truncated')
})

t.test('IPv4 fragments: non-first fragments follow the first; orphans are dropped', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const first = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', ipId: 4242, df: false, udp: { sport: 9, dport: 9 }, payload: 64 })
  first.writeUInt16BE(0x2000, 14 + 6) // MF
  first.writeUInt16BE(0, 14 + 10)
  const f1 = lab.engine.process(first, 0, lab.now)
  t.equal(f1.action, 'forward')
  const second = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', ipId: 4242, df: false, proto: 17, payload: 32 })
  second.writeUInt16BE(9, 14 + 6) // offset 72 bytes, last fragment
  const f2 = lab.engine.process(second, 0, lab.now)
  t.same([f2.action, f2.sessionId], ['forward', f1.sessionId])
  const orphan = Buffer.from(second)
  orphan.writeUInt16BE(4243, 14 + 4)
  t.same([lab.engine.process(orphan, 0, lab.now).reason], ['flow_ipfrag_no_session'])
  t.equal(lab.engine.counters().flow_ipfrag_fwd, 1)
})

t.test('a full table refuses new sessions: resources-unavailable', async t => {
  const lab = new Lab(policy(ALLOW_ALL, 'settings: { session: { max-sessions: 3, accelerated-aging: no } }'))
  for (let i = 0; i < 3; i++) t.equal(lab.send(0, udp(true, 1000 + i)).action, 'forward')
  const r = lab.send(0, udp(true, 2000))
  t.same([r.action, r.reason], ['drop', 'session_alloc_failure'])
  t.match(lab.logs[0], { subtype: 'drop', endReason: 'resources-unavailable', sport: 2000, sessionId: 0 })
  t.equal(lab.engine.counters().session_alloc_failure, 1)
  t.equal(lab.send(0, udp(true, 1000)).action, 'forward', 'existing sessions still work')
  lab.wait(30)
  t.equal(lab.send(0, udp(true, 2000)).action, 'forward', 'room again after expiry')
})

t.test('accelerated aging: above 80 % of max-sessions idle timeouts are halved', async t => {
  const lab = new Lab(policy(ALLOW_ALL, 'settings: { session: { max-sessions: 10 } }'))
  for (let i = 0; i < 8; i++) lab.send(0, udp(true, 1000 + i))
  t.equal(lab.engine.sessions()[0]?.timeoutS, 30, '8 of 10 = 80 %: not above')
  lab.send(0, udp(true, 2000))
  t.equal(lab.engine.sessions()[0]?.timeoutS, 15, '9 of 10: halved')
  lab.wait(15)
  // The first expiry brings the table back to 80 %: the factor no longer applies to the rest.
  t.equal(lab.engine.sessions().length, 8, 'one aged out at 15 s, then the table is back at the threshold')
  t.equal(lab.engine.counters().session_accel_aging, 1)
  t.equal(lab.engine.sessions()[0]?.timeoutS, 30, 'normal timeouts again')
  lab.wait(15)
  t.equal(lab.engine.sessions().length, 0)
  const off = new Lab(policy(ALLOW_ALL, 'settings: { session: { max-sessions: 10, accelerated-aging: no } }'))
  for (let i = 0; i < 10; i++) off.send(0, udp(true, 1000 + i))
  t.equal(off.engine.sessions()[0]?.timeoutS, 30, 'switched off')
})

t.test('reset-on-age-out (rstlab extension) sends RSTs built from state on expiry', async t => {
  const lab = new Lab(policy(ALLOW_ALL, 'settings: { session: { timeout-tcp: 10 }, emulator: { reset-on-age-out: both } }'))
  const c = new Conv(lab)
  c.handshake()
  c.send(0, 'P.', 10)
  const r = lab.wait(10)
  t.same(r.emits.map(e => [e.toward, e.reason.trigger]), [['client', 'age-out'], ['server', 'age-out']])
  const s = decode(r.emits[0]!.frame)
  t.same([s.seq, s.ack], [c.seq[1], c.seq[0]])
  t.equal(lab.logs[0]?.endReason, 'aged-out')
})

t.test('endAll logs every open session with end reason unknown; counters reset', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  lab.send(0, udp(true, 1))
  new Conv(lab).syn()
  lab.engine.endAll(lab.now)
  t.same(lab.logs.map(l => l.endReason), ['unknown', 'unknown'])
  t.equal(lab.engine.sessions().length, 0)
  lab.engine.clearCounters()
  t.equal(lab.engine.counters().pkt_recv, 0)
})

t.test('identical input gives identical output (deterministic replay)', async t => {
  const run = (): string => {
    const lab = new Lab(policy('  - { name: rc, service: [tcp/21], action: reset-client }\n' + ALLOW_ALL))
    const out: string[] = []
    for (let i = 0; i < 20; i++) {
      const c = new Conv(lab, { cport: 1000 + i, sport: i % 3 === 0 ? 21 : 80 })
      for (const r of c.handshake()) out.push(`${r.action} ${r.reason} ${r.sessionId} ${r.emits.map(e => e.frame.toString('hex')).join(',')}`)
      lab.wait(0.25)
    }
    lab.wait(100)
    return out.join('\n') + JSON.stringify(lab.logs) + JSON.stringify(lab.engine.counters()) + lab.traceText()
  }
  t.equal(run(), run())
})

t.test('inspector hook: App-ID re-evaluates the policy; threats reset', async t => {
  const verdict: InspectVerdict = {}
  const inspector = {
    open: () => ({ n: 0 }),
    payload: (st: unknown, _dir: string, f: Buffer, off: number, len: number): InspectVerdict | undefined => {
      const text = f.subarray(off, off + len).toString()
      if (text.startsWith('SSH-')) { verdict.app = 'ssh'; verdict.threat = undefined; return verdict }
      if (text.includes('EVIL')) { verdict.app = undefined; verdict.threat = { signature: 'evil', severity: 'high', action: 'reset-both' }; return verdict }
      return undefined
    },
  }
  const p = policy('  - { name: no-ssh, application: [ssh], action: reset-client }\n' + ALLOW_ALL)
  const lab = new Lab(p, { inspector })
  const c = new Conv(lab, { sport: 22 })
  c.handshake()
  t.equal(lab.engine.sessions()[0]?.rule, 'no-ssh', 'tentative match while App-ID is undecided')
  const banner = c.send(1, 'P.', 0, {})
  t.equal(banner.action, 'forward')
  const f = c.frame(1, { flags: 'P.' }, 'SSH-2.0-OpenSSH_9\r\n')
  const r = lab.engine.process(f, 1, lab.now)
  t.equal(r.action, 'drop')
  t.same(r.emits.map(e => e.toward), ['client'])
  t.equal(lab.engine.sessions()[0]?.application, 'ssh')
  t.equal(lab.engine.sessions()[0]?.state, 'DISCARD')
  const threats: string[] = []
  const lab2 = new Lab(policy(ALLOW_ALL), { inspector })
  ;(lab2.engine as any).hooks.threatLog = (x: { signature: string }) => threats.push(x.signature)
  const d = new Conv(lab2)
  d.handshake()
  const r2 = lab2.engine.process(d.frame(0, { flags: 'P.' }, 'GET /EVIL'), 0, lab2.now)
  t.equal(r2.action, 'drop')
  t.same(r2.emits.map(e => e.toward), ['client', 'server'])
  t.same(threats, ['evil'])
  lab2.engine.endAll(lab2.now)
  t.match(lab2.logs[0], { endReason: 'threat', subtype: 'end', action: 'allow' })
})

t.test('formatIp sanity for records (v6 compression)', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const r = lab.send(0, { src: '2001:db8:0:1::1', dst: '2001:db8::2', udp: { sport: 1, dport: 2 } })
  t.equal(lab.engine.session(r.sessionId)?.src, '2001:db8:0:1::1')
  t.equal(formatIp(Buffer.from([198, 18, 0, 1])), '198.18.0.1')
})

t.test('IPv6 fragments follow their session, direction kept', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const a = lab.send(0, { src: '2001:db8:0:1::1', dst: '2001:db8:0:1::2', udp: { sport: 7, dport: 7 }, payload: 'x' })
  const frag = (offset: number, more: boolean, body: Buffer): Buffer => {
    const hdr = Buffer.alloc(8)
    hdr[0] = 17
    hdr.writeUInt16BE((offset & 0xfff8) | (more ? 1 : 0), 2)
    hdr.writeUInt32BE(0xabcdef, 4)
    return buildFrame({ src: '2001:db8:0:1::2', dst: '2001:db8:0:1::1', proto: 44, payload: Buffer.concat([hdr, body]) })
  }
  const udpHdr = Buffer.from([0, 7, 0, 7, 0, 24, 0, 0])
  const f1 = lab.engine.process(frag(0, true, Buffer.concat([udpHdr, Buffer.alloc(8)])), 1, lab.now)
  t.same([f1.action, f1.sessionId, f1.dir], ['forward', a.sessionId, 's2c'])
  const f2 = lab.engine.process(frag(16, false, Buffer.alloc(8)), 1, lab.now)
  t.same([f2.action, f2.sessionId, f2.dir], ['forward', a.sessionId, 's2c'])
})
