import t from 'tap'
import { CMAC, Lab, SMAC, decode } from '../helpers/lab.js'
import { Engine } from '../../src/engine/engine.js'
import { loadPolicyText } from '../../src/policy/load.js'
import { buildFrame, type TcpSpec } from '../../src/wire/build.js'
import { verifyChecksums } from '../../src/wire/checksum.js'
import { readSackBlock } from '../../src/wire/decode.js'
import { TcpFlag } from '../../src/wire/summary.js'
import type { Emit } from '../../src/engine/types.js'

/** trust (eth0, the client side) protected by SYN cookies that are always on (activate-rate 0). */
function cookiePolicy (rules = '  - { name: web, action: allow }', syn = '{ enable: yes, syn-cookies: { alarm-rate: 1000, activate-rate: 0, maximal-rate: 1000000 } }'): ReturnType<typeof loadPolicyText> {
  return loadPolicyText(`
settings:
  emulator: { forged-ttl: 77 }
zone-protection-profiles:
  edge:
    flood:
      tcp-syn: ${syn}
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24], zone-protection-profile: edge }
  untrust: { interfaces: [eth1], networks: [any] }
rules:
${rules}
`, 'test.yaml')
}

const C = '198.18.0.1'
const S = '198.18.1.2'
function seg (c2s: boolean, tcp: Partial<TcpSpec> & { flags: string }, payload?: number): Buffer {
  return buildFrame({
    srcMac: c2s ? CMAC : SMAC, dstMac: c2s ? SMAC : CMAC, src: c2s ? C : S, dst: c2s ? S : C, ttl: c2s ? 64 : 50,
    tcp: { sport: c2s ? 40000 : 80, dport: c2s ? 80 : 40000, seq: 0, ack: 0, window: 29200, ...tcp }, payload,
  })
}
const tcpOf = (e: Emit | Buffer): ReturnType<typeof decode> => decode(Buffer.isBuffer(e) ? e : e.frame)

t.test('a SYN is answered by the firewall (SYN-ACK spoofed from the server, firewall TTL), a valid ACK opens the session, sequence numbers are translated both ways', async t => {
  const lab = new Lab(cookiePolicy())
  const e = lab.engine
  const cisn = 0xfffff000 // wraps during the transfer
  const syn = e.process(seg(true, { flags: 'S', seq: cisn, options: { mss: 1400, wscale: 7, sackPermitted: true } }), 0, lab.now)
  t.equal(syn.action, 'drop', 'the SYN is not forwarded: the server never sees it')
  t.equal(syn.sessionId, 0, 'no session')
  t.equal(e.sessions().length, 0)
  t.equal(syn.emits.length, 1)
  const sa = tcpOf(syn.emits[0]!)
  t.equal(syn.emits[0]!.kind, 'tcp-synack')
  t.equal(syn.emits[0]!.toward, 'client')
  t.equal(sa.tcpFlags & 0x3f, TcpFlag.SYN | TcpFlag.ACK)
  t.equal(sa.ttl, 77, "the firewall's own TTL")
  t.equal(sa.ack, (cisn + 1) >>> 0)
  t.equal(sa.mss, 1400)
  t.equal(sa.wscale, -1, 'no window scaling: the cookie cannot carry it')
  t.notOk(sa.sackPermitted)
  t.equal(verifyChecksums(sa), 0)
  const cookie = sa.seq
  t.equal(e.counters().flow_dos_syncookie_sent, 1)

  // A forged ACK (wrong cookie) is an ordinary non-SYN packet without a session.
  const forged = e.process(seg(true, { flags: '.', seq: (cisn + 1) >>> 0, ack: (cookie + 2) >>> 0 }), 0, lab.now)
  t.same([forged.action, forged.reason, forged.emits.length], ['drop', 'flow_tcp_non_syn_drop', 0])
  t.equal(e.counters().flow_dos_syncookie_ack_invalid, 1)
  // Same ACK numbers from another source port: the cookie is bound to the 4-tuple.
  const other = e.process(buildFrame({ srcMac: CMAC, dstMac: SMAC, src: C, dst: S, tcp: { sport: 40001, dport: 80, seq: (cisn + 1) >>> 0, ack: (cookie + 1) >>> 0, flags: '.' } }), 0, lab.now)
  t.equal(other.reason, 'flow_tcp_non_syn_drop')

  lab.now += 1000
  const ack = e.process(seg(true, { flags: '.', seq: (cisn + 1) >>> 0, ack: (cookie + 1) >>> 0, window: 502 }), 0, lab.now)
  t.equal(ack.action, 'drop', 'the ACK stays with the firewall')
  t.ok(ack.sessionId > 0, 'session created')
  t.equal(ack.emits.length, 1)
  const synS = tcpOf(ack.emits[0]!)
  t.same([ack.emits[0]!.kind, ack.emits[0]!.toward, synS.tcpFlags & 0x3f, synS.seq, synS.mss, synS.wscale, synS.window],
    ['tcp-syn', 'server', TcpFlag.SYN, cisn, 1400, -1, 502], 'the SYN the server never got, spoofed from the client')
  t.equal(verifyChecksums(synS), 0)
  t.equal(e.counters().flow_dos_syncookie_ack_valid, 1)
  const id = ack.sessionId

  // Data the client sends before the server leg is up is held back; the SYN goes out again.
  const early = e.process(seg(true, { flags: 'P.', seq: (cisn + 1) >>> 0, ack: (cookie + 1) >>> 0 }, 10), 0, lab.now)
  t.same([early.action, early.emits.map(x => x.kind)], ['drop', ['tcp-syn']])

  const sisn = 123456789
  const synack = e.process(seg(false, { flags: 'S.', seq: sisn, ack: (cisn + 1) >>> 0, window: 65000, options: { mss: 1460 } }), 1, lab.now)
  t.equal(synack.action, 'drop', "the server's SYN-ACK is not forwarded (the client had the cookie's)")
  t.equal(synack.emits.length, 1)
  const ackS = tcpOf(synack.emits[0]!)
  t.same([synack.emits[0]!.kind, ackS.tcpFlags & 0x3f, ackS.seq, ackS.ack], ['tcp-ack', TcpFlag.ACK, (cisn + 1) >>> 0, sisn + 1])
  t.equal(e.session(id)?.tcpState, 'established')

  // Client data: seq unchanged, ack into the server's numbering.
  const d1f = seg(true, { flags: 'P.', seq: (cisn + 1) >>> 0, ack: (cookie + 1) >>> 0, window: 502 }, 5000)
  const d1 = e.process(d1f, 0, lab.now)
  t.equal(d1.action, 'forward')
  const d1s = tcpOf(d1f)
  t.same([d1s.seq, d1s.ack], [(cisn + 1) >>> 0, sisn + 1])
  t.equal(verifyChecksums(d1s), 0, 'checksum fixed')
  // Server data: seq into the client's numbering (the cookie's).
  const d2f = seg(false, { flags: 'P.', seq: sisn + 1, ack: (cisn + 5001) >>> 0, window: 65000 }, 300)
  t.equal(e.process(d2f, 1, lab.now).action, 'forward')
  const d2s = tcpOf(d2f)
  t.same([d2s.seq, d2s.ack], [(cookie + 1) >>> 0, (cisn + 5001) >>> 0])
  t.equal(verifyChecksums(d2s), 0)
  // The client's SACK blocks acknowledge the server's bytes: translated like the ack.
  const sk = seg(true, { flags: '.', seq: (cisn + 5001) >>> 0, ack: (cookie + 1) >>> 0, window: 502, options: { sack: [[(cookie + 101) >>> 0, (cookie + 301) >>> 0]] } })
  t.equal(e.process(sk, 0, lab.now).action, 'forward')
  const sks = tcpOf(sk)
  t.same([sks.ack, readSackBlock(sks, 0, 0), readSackBlock(sks, 0, 1)], [sisn + 1, sisn + 101, sisn + 301])
  t.equal(verifyChecksums(sks), 0)
  // The server's next segment is in window after translation (the checks see the client's numbering).
  const d3f = seg(false, { flags: 'P.', seq: sisn + 301, ack: (cisn + 5001) >>> 0, window: 65000 }, 100)
  t.equal(e.process(d3f, 1, lab.now).action, 'forward')
  t.equal(tcpOf(d3f).seq, (cookie + 301) >>> 0)

  // RSTs forged later: toward the server in its numbering, toward the client in the cookie's.
  const block = loadPolicyText(`
zone-protection-profiles: { edge: { flood: { tcp-syn: { enable: yes, syn-cookies: { activate-rate: 0 } } } } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24], zone-protection-profile: edge }
  untrust: { interfaces: [eth1], networks: [any] }
rules:
  - { name: stop, action: reset-both }
`, 'b.yaml')
  const rr = e.setPolicy(block, { rematch: true, nowUs: lab.now })
  const toS = rr.emits.find(x => x.toward === 'server')!
  const toC = rr.emits.find(x => x.toward === 'client')!
  const rs = tcpOf(toS); const rc = tcpOf(toC)
  t.same([rs.seq, rs.ack], [(cisn + 5001) >>> 0, sisn + 401], 'RST to the server: its own numbering')
  t.same([rc.seq, rc.ack], [(cookie + 401) >>> 0, (cisn + 5001) >>> 0], 'RST to the client: the cookie numbering')
})

t.test('cookies are keyed: another engine seed gives other cookies; an old cookie (two periods) is refused', async t => {
  const mk = (seed: number): Engine => new Engine({ policy: cookiePolicy(), portNames: ['eth0', 'eth1'], seed })
  const a = mk(1); const b = mk(2)
  const f = (): Buffer => seg(true, { flags: 'S', seq: 1000, options: { mss: 1460 } })
  const ca = tcpOf(a.process(f(), 0, 1_000_000).emits[0]!).seq
  const cb = tcpOf(b.process(f(), 0, 1_000_000).emits[0]!).seq
  t.not(ca, cb)
  t.equal(tcpOf(a.process(f(), 0, 2_000_000).emits[0]!).seq, ca, 'the same SYN gets the same cookie within a period')
  // The ACK of engine a's cookie means nothing to engine b.
  t.equal(b.process(seg(true, { flags: '.', seq: 1001, ack: (ca + 1) >>> 0 }), 0, 1_000_000).reason, 'flow_tcp_non_syn_drop')
  // 64-s periods: one period later still valid, two later refused.
  const late = a.process(seg(true, { flags: '.', seq: 1001, ack: (ca + 1) >>> 0 }), 0, 1_000_000 + 129_000_000)
  t.equal(late.reason, 'flow_tcp_non_syn_drop')
  t.equal(a.counters().flow_dos_syncookie_ack_invalid, 1)
  // (The engine's clock never runs backwards: a fresh engine with the same seed has the same key.)
  const ok = mk(1).process(seg(true, { flags: '.', seq: 1001, ack: (ca + 1) >>> 0 }), 0, 1_000_000 + 127_000_000 - 64_000_000)
  t.equal(ok.reason, 'syncookie-ack', 'one period later the cookie is still good')
})

t.test('below activate-rate SYNs pass normally; above, cookies; at maximal-rate, dropped', async t => {
  const threats: unknown[] = []
  const e = new Engine({ policy: cookiePolicy(undefined, '{ enable: yes, syn-cookies: { alarm-rate: 5, activate-rate: 10, maximal-rate: 20 } }'), portNames: ['eth0', 'eth1'], hooks: { threatLog: r => threats.push(r) } })
  const out: string[] = []
  for (let i = 0; i < 30; i++) {
    // 30 SYNs within 30 ms from different ports: the rate estimate is the count in the last second.
    const r = e.process(buildFrame({ srcMac: CMAC, dstMac: SMAC, src: C, dst: S, tcp: { sport: 20000 + i, dport: 80, seq: i, flags: 'S' } }), 0, 5_000_000 + i * 1000)
    out.push(r.action === 'forward' ? 'F' : r.emits.length === 1 ? 'C' : 'D')
  }
  t.equal(out.join(''), 'FFFFFFFFF' + 'CCCCCCCCCC' + 'DDDDDDDDDDD')
  t.equal(e.counters().flow_dos_max_tcp, 11)
  t.equal(e.counters().flow_dos_syncookie_sent, 10)
  t.match(threats, [
    { type: 'THREAT', subtype: 'flood', signature: 'TCP Flood', threatId: 8501, severity: 'critical', action: 'allow', sessionId: 0, fromZone: 'trust', application: 'not-applicable' },
    { action: 'syn-cookie' },
    { action: 'drop' },
  ])
})

t.test('a SYN-cookie session never takes the fast path, and its translation holds on an engine that has one', async t => {
  // No trace hook and no inspector: the fast path is on for every other session.
  const e = new Engine({ policy: cookiePolicy(), portNames: ['eth0', 'eth1'] })
  const cisn = 5000
  const cookie = tcpOf(e.process(seg(true, { flags: 'S', seq: cisn, options: { mss: 1460 } }), 0, 1_000_000).emits[0]!).seq
  e.process(seg(true, { flags: '.', seq: cisn + 1, ack: (cookie + 1) >>> 0 }), 0, 1_000_001)
  const sisn = 900_000
  e.process(seg(false, { flags: 'S.', seq: sisn, ack: cisn + 1, options: { mss: 1460 } }), 1, 1_000_002)
  let cseq = cisn + 1; let sseq = sisn + 1
  for (let i = 0; i < 50; i++) {
    const a = seg(true, { flags: 'P.', seq: cseq, ack: (cookie + 1 + (sseq - sisn - 1)) >>> 0 }, 100)
    t.equal(e.process(a, 0, 1_000_010 + i).action, 'forward')
    if (tcpOf(a).ack !== sseq) { t.fail(`c2s ${i}: ack ${tcpOf(a).ack}, want ${sseq}`); break }
    cseq += 100
    const b = seg(false, { flags: 'P.', seq: sseq, ack: cseq }, 200)
    t.equal(e.process(b, 1, 1_000_010 + i).action, 'forward')
    if (tcpOf(b).seq !== ((cookie + 1 + (sseq - sisn - 1)) >>> 0)) { t.fail(`s2c ${i}: seq not translated`); break }
    sseq += 200
  }
  t.equal(e.fastPathPackets, 0, 'every packet of the cookie session took the full path')
  // A plain session on the same engine (trust → untrust is protected, so use a reply-direction-only zone pair)
  // is not affected: the fast path still runs for sessions without per-packet zone work.
  const p = loadPolicyText(`
zone-protection-profiles: { edge: { flood: { tcp-syn: { enable: yes, syn-cookies: { activate-rate: 1000 } } } } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24], zone-protection-profile: edge }
  untrust: { interfaces: [eth1], networks: [any] }
rules: [{ name: all, action: allow }]
`, 'x.yaml')
  const f = new Engine({ policy: p, portNames: ['eth0', 'eth1'] })
  f.process(seg(true, { flags: 'S', seq: 1, options: { mss: 1460 } }), 0, 1)
  f.process(seg(false, { flags: 'S.', seq: 100, ack: 2, options: { mss: 1460 } }), 1, 2)
  f.process(seg(true, { flags: '.', seq: 2, ack: 101 }), 0, 3)
  for (let i = 0; i < 10; i++) f.process(seg(true, { flags: 'P.', seq: 2 + 10 * i, ack: 101 }, 10), 0, 4 + i)
  t.ok(f.fastPathPackets >= 10, `below activate-rate a session in a SYN-cookie zone is ordinary and takes the fast path (${f.fastPathPackets})`)
})

t.test('a retransmitted server SYN-ACK after the cookie handshake is absorbed: never forwarded to the client, answered with the ACK again', async t => {
  // The live case (docs/zone-protection.md, "A second SYN-ACK"): the client's first data reaches the
  // firewall before the server's SYN-ACK, so the firewall sends the SYN again; the server, in SYN-RECEIVED,
  // answers that duplicate SYN by retransmitting its SYN-ACK, which arrives after the first SYN-ACK
  // already completed the server leg.
  const lab = new Lab(cookiePolicy())
  const e = lab.engine
  const cisn = 70_000
  const cookie = tcpOf(e.process(seg(true, { flags: 'S', seq: cisn, options: { mss: 1460 } }), 0, lab.now).emits[0]!).seq
  const ack = e.process(seg(true, { flags: '.', seq: cisn + 1, ack: (cookie + 1) >>> 0 }), 0, lab.now)
  const id = ack.sessionId
  const early = e.process(seg(true, { flags: 'P.', seq: cisn + 1, ack: (cookie + 1) >>> 0 }, 20), 0, lab.now + 100)
  t.same(early.emits.map(x => x.kind), ['tcp-syn'], 'early data held back, the SYN sent again')
  const sisn = 4_000_000_000
  const synack = (): Buffer => seg(false, { flags: 'S.', seq: sisn, ack: cisn + 1, window: 65000, options: { mss: 1460 } })
  const first = e.process(synack(), 1, lab.now + 200)
  t.same([first.action, first.emits.map(x => x.kind)], ['drop', ['tcp-ack']], 'the first SYN-ACK completes the server leg')
  t.equal(e.session(id)?.tcpState, 'established')
  const timeout = e.session(id)?.timeoutS

  // The retransmission (the server's answer to the duplicate SYN), and once more a second later.
  for (const [dt, what] of [[300, 'retransmission'], [1_000_300, 'second retransmission']] as const) {
    const again = e.process(synack(), 1, lab.now + dt)
    t.equal(again.action, 'drop', `${what}: not forwarded`)
    t.notOk(again.emits.some(x => x.toward === 'client'), `${what}: nothing reaches the client`)
    t.equal(again.emits.length, 1, `${what}: the firewall answers it`)
    const a = tcpOf(again.emits[0]!)
    t.same([again.emits[0]!.kind, again.emits[0]!.toward, a.tcpFlags & 0x3f, a.seq, a.ack, a.ttl], ['tcp-ack', 'server', TcpFlag.ACK, cisn + 1, sisn + 1, 77],
      `${what}: the ACK that completes the server's handshake, again, with the firewall's TTL`)
    t.equal(verifyChecksums(a), 0)
    t.equal(e.session(id)?.tcpState, 'established', `${what}: the session stays established`)
    t.equal(e.session(id)?.timeoutS, timeout, `${what}: its timer is not turned back to the handshake timeout`)
  }
  t.equal(e.counters().flow_dos_syncookie_synack_dup, 2, 'counted')
  t.match(lab.traceText(), /retransmitted SYN-ACK from the server on SYN-cookie session \d+: absorbed, answered with the firewall's ACK/)

  // The client retransmits its data; the server's answer flows in the cookie's numbering as before.
  const d = seg(true, { flags: 'P.', seq: cisn + 1, ack: (cookie + 1) >>> 0 }, 20)
  t.equal(e.process(d, 0, lab.now + 2_000_000).action, 'forward')
  t.equal(tcpOf(d).ack, sisn + 1)
  const back = seg(false, { flags: 'P.', seq: sisn + 1, ack: cisn + 21 }, 10)
  t.equal(e.process(back, 1, lab.now + 2_000_100).action, 'forward')
  t.equal(tcpOf(back).seq, (cookie + 1) >>> 0)
  // After data the re-ACK carries the client's current sequence number.
  const late = e.process(synack(), 1, lab.now + 2_000_200)
  t.same(late.emits.map(x => [x.toward, tcpOf(x).seq, tcpOf(x).ack]), [['server', cisn + 21, sisn + 1]])
  // A SYN-ACK outside the connection's window (another ISN) is dropped without an answer.
  const bogus = e.process(seg(false, { flags: 'S.', seq: 12345, ack: cisn + 1, options: { mss: 1460 } }), 1, lab.now + 2_000_300)
  t.same([bogus.action, bogus.emits.length], ['drop', 0], 'a SYN-ACK with another ISN: dropped, not answered')
})

/** A cookie handshake on `e` (client window `cwin`), the server's SYN-ACK answered: returns the numbers. */
function cookieHandshake (e: Engine, now: number, cwin = 29200, cisn = 10_000, sisn = 3_000_000_000): { cookie: number, cisn: number, sisn: number, id: number } {
  const cookie = tcpOf(e.process(seg(true, { flags: 'S', seq: cisn, options: { mss: 1460 } }), 0, now).emits[0]!).seq
  const id = e.process(seg(true, { flags: '.', seq: cisn + 1, ack: (cookie + 1) >>> 0, window: cwin }), 0, now + 1).sessionId
  e.process(seg(false, { flags: 'S.', seq: sisn, ack: cisn + 1, window: 65000, options: { mss: 1460 } }), 1, now + 2)
  return { cookie, cisn, sisn, id }
}

t.test('the server refusing the proxied SYN with a RST: the client gets a RST in its own numbering (seq = cookie + 1), which it accepts', async t => {
  const e = new Engine({ policy: cookiePolicy(), portNames: ['eth0', 'eth1'] })
  const cisn = 42_000
  const cookie = tcpOf(e.process(seg(true, { flags: 'S', seq: cisn, options: { mss: 1460 } }), 0, 1_000_000).emits[0]!).seq
  const ack = e.process(seg(true, { flags: '.', seq: cisn + 1, ack: (cookie + 1) >>> 0 }), 0, 1_000_001)
  t.same(ack.emits.map(x => x.kind), ['tcp-syn'])
  // A closed port: the server's stack answers the SYN with RST-ACK, seq 0, ack = the client's ISN + 1.
  const rstf = seg(false, { flags: 'R.', seq: 0, ack: cisn + 1, window: 0 })
  const r = e.process(rstf, 1, 1_000_002)
  t.same([r.action, r.dir], ['forward', 's2c'], 'the RST goes on to the client')
  const rs = tcpOf(rstf)
  t.same([rs.tcpFlags & 0x3f, rs.seq, rs.ack], [TcpFlag.RST | TcpFlag.ACK, (cookie + 1) >>> 0, cisn + 1],
    "seq moved into the client's numbering: the client is established at the cookie, its RCV.NXT is cookie + 1; ack already the client's")
  t.equal(verifyChecksums(rs), 0, 'checksum good after the rewrite')
  e.advanceTo(1_000_002 + 60_000_000)
  t.equal(e.sessions().length, 0)
})

t.test('reset-on-age-out on a SYN-cookie session: the RST to the client in the cookie numbering, the RST to the server in its own', async t => {
  const p = loadPolicyText(`
settings:
  session: { timeout-tcp: 5 }
  emulator: { reset-on-age-out: both }
zone-protection-profiles: { edge: { flood: { tcp-syn: { enable: yes, syn-cookies: { activate-rate: 0 } } } } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24], zone-protection-profile: edge }
  untrust: { interfaces: [eth1], networks: [any] }
rules: [{ name: all, action: allow }]
`, 'age.yaml')
  const e = new Engine({ policy: p, portNames: ['eth0', 'eth1'] })
  const { cookie, cisn, sisn } = cookieHandshake(e, 1_000_000)
  t.equal(e.process(seg(true, { flags: 'P.', seq: cisn + 1, ack: (cookie + 1) >>> 0 }, 100), 0, 1_000_010).action, 'forward')
  t.equal(e.process(seg(false, { flags: 'P.', seq: sisn + 1, ack: cisn + 101 }, 300), 1, 1_000_020).action, 'forward')
  t.equal(e.process(seg(true, { flags: '.', seq: cisn + 101, ack: (cookie + 301) >>> 0 }), 0, 1_000_030).action, 'forward')
  const emits: Emit[] = []
  e.advanceTo(1_000_030 + 6_000_000, em => { emits.push(...em) })
  t.equal(emits.length, 2, 'two RSTs at age-out')
  const toC = tcpOf(emits.find(x => x.toward === 'client')!)
  const toS = tcpOf(emits.find(x => x.toward === 'server')!)
  t.same([toC.tcpFlags & TcpFlag.RST, toC.seq, toC.ack], [TcpFlag.RST, (cookie + 301) >>> 0, cisn + 101], "to the client: spoofed from the server, the cookie's numbering (cookie + 1 + 300 bytes)")
  t.same([toS.tcpFlags & TcpFlag.RST, toS.seq, toS.ack], [TcpFlag.RST, cisn + 101, sisn + 301], "to the server: spoofed from the client, the server's own numbering")
  t.equal(verifyChecksums(toC), 0)
  t.equal(verifyChecksums(toS), 0)
})

t.test('sequence translation at the window edges: the TCP checks see the client\'s numbering, just inside passes and just outside is dropped', async t => {
  const e = new Engine({ policy: cookiePolicy(), portNames: ['eth0', 'eth1'] })
  // The client advertises 1000 bytes (unscaled: the cookie SYN-ACK offers no window scaling).
  const { cookie, cisn, sisn } = cookieHandshake(e, 1_000_000, 1000)
  // Server → client: the right edge is the client's ack (cookie + 1) + 1000, in the client's numbering.
  const out = seg(false, { flags: 'P.', seq: sisn + 1 + 1001, ack: cisn + 1 }, 1)
  t.equal(e.process(out, 1, 1_000_010).reason, 'tcp_drop_out_of_wnd', 'a segment starting one byte past the right edge: dropped')
  const edge = seg(false, { flags: 'P.', seq: sisn + 1 + 1000, ack: cisn + 1 }, 1)
  t.equal(e.process(edge, 1, 1_000_011).action, 'forward', 'starting exactly at the right edge: forwarded')
  t.equal(tcpOf(edge).seq, (cookie + 1 + 1000) >>> 0, 'translated into the cookie numbering')
  const first = seg(false, { flags: 'P.', seq: sisn + 1, ack: cisn + 1 }, 1000)
  t.equal(e.process(first, 1, 1_000_012).action, 'forward', 'the window\'s first 1000 bytes')
  // Client → server: acks up to what the server sent (1001 bytes), in the cookie numbering, then translated back.
  const over = seg(true, { flags: '.', seq: cisn + 1, ack: (cookie + 1 + 1002) >>> 0, window: 1000 })
  t.equal(e.process(over, 0, 1_000_013).reason, 'tcp_drop_out_of_wnd', 'acking one byte the server never sent: dropped')
  const exact = seg(true, { flags: '.', seq: cisn + 1, ack: (cookie + 1 + 1001) >>> 0, window: 1000 })
  t.equal(e.process(exact, 0, 1_000_014).action, 'forward', 'acking exactly everything sent: forwarded')
  t.equal(tcpOf(exact).ack, sisn + 1 + 1001, "the ack back in the server's numbering")
  t.equal(verifyChecksums(tcpOf(exact)), 0)
  // The window moved: the new right edge is cookie + 1 + 1001 + 1000.
  const next = seg(false, { flags: 'P.', seq: sisn + 1 + 2001, ack: cisn + 1 }, 1)
  t.equal(e.process(next, 1, 1_000_015).action, 'forward', 'at the new right edge: forwarded')
  const beyond = seg(false, { flags: 'P.', seq: sisn + 1 + 2002, ack: cisn + 1 }, 1)
  t.equal(e.process(beyond, 1, 1_000_016).reason, 'tcp_drop_out_of_wnd', 'one past it: dropped')
})
