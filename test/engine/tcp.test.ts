import t from 'tap'
import { ALLOW_ALL, Conv, Lab, policy } from '../helpers/lab.js'

t.test('handshake, data, FIN close: timers follow the TCP state', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab)
  const [syn, sa, ack] = c.handshake()
  t.equal(syn.action, 'forward')
  t.equal(syn.egress, 1)
  t.equal(sa.action, 'forward')
  t.equal(sa.dir, 's2c')
  t.equal(ack.action, 'forward')
  const id = syn.sessionId
  t.equal(lab.engine.session(id)?.tcpState, 'established')
  t.equal(lab.engine.session(id)?.timeoutS, 3600)
  t.equal(c.send(0, 'P.', 100).action, 'forward')
  t.equal(c.send(1, '.').action, 'forward')
  t.equal(c.send(0, 'F.').action, 'forward')
  t.equal(lab.engine.session(id)?.tcpState, 'half-closed')
  t.equal(lab.engine.session(id)?.timeoutS, 120)
  t.equal(c.send(1, 'F.').action, 'forward')
  t.equal(lab.engine.session(id)?.tcpState, 'time-wait')
  t.equal(lab.engine.session(id)?.timeoutS, 15)
  t.equal(c.send(0, '.').action, 'forward')
  lab.wait(14.9)
  t.ok(lab.engine.session(id), 'still there just before time-wait ends')
  lab.wait(0.1)
  t.notOk(lab.engine.session(id), 'gone after 15 s')
  t.equal(lab.logs.length, 1)
  t.match(lab.logs[0], { subtype: 'end', action: 'allow', endReason: 'tcp-fin', application: 'unknown-tcp', packetsC2s: 5, packetsS2c: 3, rule: 'allow-all', fromZone: 'trust', toZone: 'untrust' })
})

t.test('every TCP timer, driven by the clock', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const expire = (build: (c: Conv) => void, secs: number, name: string, cport: number): void => {
    const c = new Conv(lab, { cport })
    build(c)
    const id = lab.engine.sessions().find(s => s.sport === cport)!.id
    t.equal(lab.engine.session(id)?.timeoutS, secs, `${name} timeout`)
    lab.wait(secs - 0.000001)
    t.ok(lab.engine.session(id), `${name}: alive 1 µs before`)
    lab.wait(0.000001)
    t.notOk(lab.engine.session(id), `${name}: expired at ${secs}s`)
  }
  expire(c => { c.syn() }, 5, 'tcpinit', 1)
  expire(c => { c.syn(); c.synAck() }, 10, 'tcphandshake', 2)
  expire(c => { c.handshake() }, 3600, 'tcp', 3)
  expire(c => { c.handshake(); c.send(0, 'F.') }, 120, 'tcp-half-closed', 4)
  expire(c => { c.handshake(); c.send(0, 'F.'); c.send(1, 'F.') }, 15, 'tcp-time-wait', 5)
  expire(c => { c.handshake(); c.send(0, 'R', 0, { seq: c.seq[0] + 10 }) }, 30, 'tcp-unverified-rst', 6)
  expire(c => { c.handshake(); c.send(1, 'R') }, 15, 'time-wait after exact RST', 7)
  t.same(lab.logs.map(l => l.endReason), ['aged-out', 'aged-out', 'aged-out', 'tcp-fin', 'tcp-fin', 'tcp-rst-from-client', 'tcp-rst-from-server'])
  t.same(lab.logs.map(l => l.application), ['incomplete', 'incomplete', 'incomplete', 'incomplete', 'incomplete', 'incomplete', 'incomplete'])
  t.equal(lab.engine.nextDeadline(), undefined, 'no timer left')
})

t.test('idle session ages out silently; the client then hits tcp-reject-non-syn (docs/panos-model.md#idle-expiry)', async t => {
  const lab = new Lab(policy(ALLOW_ALL, 'settings: { session: { timeout-tcp: 60 } }'))
  const c = new Conv(lab)
  c.handshake()
  t.equal(lab.engine.nextDeadline(), lab.now + 60e6)
  const aged = lab.wait(61)
  t.equal(aged.emits.length, 0, 'nothing sent on expiry')
  t.equal(lab.logs[0]?.endReason, 'aged-out')
  const r = c.send(0, 'P.', 10)
  t.equal(r.action, 'drop')
  t.equal(r.reason, 'flow_tcp_non_syn_drop')
  const k = lab.engine.counters()
  t.equal(k.flow_tcp_non_syn, 1)
  t.equal(k.flow_tcp_non_syn_drop, 1)
  t.equal(k.session_aged_out, 1)
  t.match(lab.traceText(), /no session for a non-SYN segment: dropped \(flow_tcp_non_syn_drop\)/)
  t.equal(lab.engine.sessions().length, 0, 'no session created')
})

t.test('tcp-reject-non-syn no picks the connection up mid-stream', async t => {
  const lab = new Lab(policy(ALLOW_ALL, 'settings: { session: { tcp-reject-non-syn: no } }'))
  const c = new Conv(lab)
  t.equal(c.send(0, 'P.', 10).action, 'forward')
  t.equal(c.send(1, '.').action, 'forward')
  t.equal(lab.engine.sessions()[0]?.tcpState, 'mid-stream')
  t.equal(lab.engine.counters().flow_tcp_non_syn, 1)
})

t.test('RST outcomes: exact, in window, out of window', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const a = new Conv(lab, { cport: 1 })
  a.handshake()
  const out = a.send(0, 'R', 0, { seq: (a.seq[0] + 1_000_000) >>> 0 })
  t.equal(out.action, 'drop', 'out of window')
  t.equal(out.reason, 'tcp_drop_out_of_wnd')
  t.match(lab.traceText(), /Drop invalid RST or FIN packet/)
  t.equal(lab.engine.counters().tcp_drop_out_of_wnd, 1)
  t.equal(lab.engine.counters().tcp_drop_packet, 1)
  t.equal(lab.engine.session(out.sessionId)?.tcpState, 'established', 'state untouched')
  const old = a.send(0, 'R', 0, { seq: (a.seq[0] - 1000) >>> 0 })
  t.same([old.action, old.reason], ['drop', 'tcp_drop_out_of_wnd'], 'before what the server acknowledged (RFC 5961 §3.2)')
  const inw = a.send(0, 'R', 0, { seq: (a.seq[0] + 100) >>> 0 })
  t.equal(inw.action, 'forward', 'in window, inexact: forwarded')
  t.equal(lab.engine.session(inw.sessionId)?.tcpState, 'unverified-rst')
  t.equal(lab.engine.session(inw.sessionId)?.endReason, 'tcp-rst-from-client')
  // The server answers with a challenge ACK; the client's exact RST follows.
  t.equal(a.send(1, '.').action, 'forward')
  const ex = a.send(0, 'R')
  t.equal(ex.action, 'forward')
  t.equal(lab.engine.session(ex.sessionId)?.tcpState, 'time-wait')
  t.equal(lab.engine.session(ex.sessionId)?.timeoutS, 15)
  // Data after an unverified RST revives the session.
  const b = new Conv(lab, { cport: 2 })
  b.handshake()
  b.send(1, 'R', 0, { seq: (b.seq[1] + 50) >>> 0 })
  t.equal(lab.engine.session(b.send(0, 'P.', 10).sessionId)?.tcpState, 'established', 'data revives it')
  // RST|ACK with ack 0 (broken stacks) is judged on seq only.
  const c = new Conv(lab, { cport: 3 })
  c.handshake()
  t.equal(c.send(1, 'R.', 0, { ack: 0 }).action, 'forward')
})

t.test('window edges: beyond what the receiver allowed is dropped, the edge itself passes', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab, { swin: 1000, cwin: 1000 })
  c.handshake()
  // The server advertised 1000 bytes (no scaling): the client may start a segment at seq+1000 at most (bound I).
  const base = c.seq[0]
  const over = c.send(0, 'P.', 1, { seq: (base + 1001) >>> 0 })
  t.equal(over.action, 'drop', 'seq past td_maxend')
  t.equal(over.reason, 'tcp_drop_out_of_wnd')
  t.equal(c.send(0, 'P.', 1, { seq: (base + 1000) >>> 0 }).action, 'forward', 'seq == td_maxend passes (conntrack bound I)')
  // Ack of data never sent (bound III).
  t.equal(c.send(1, '.', 0, { ack: (base + 5000) >>> 0 }).action, 'drop', 'ack beyond what the client sent')
  // A retransmission from long ago (bound II).
  t.equal(c.send(0, 'P.', 10, { seq: (base - 100_000) >>> 0 }).action, 'drop', 'older than one window')
  t.equal(c.send(0, 'P.', 10, { seq: base }).action, 'forward', 'retransmission within the window')
})

t.test('window scaling from the SYN options widens the window', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab, { cwscale: 7, swscale: 7, swin: 1000 })
  c.handshake()
  t.equal(c.send(1, '.', 0, { window: 1000 }).action, 'forward')
  // Server window 1000 << 7 = 128000.
  t.equal(c.send(0, 'P.', 1, { seq: (c.seq[0] + 100_000) >>> 0 }).action, 'forward', 'inside the scaled window')
  const d = new Conv(lab, { cport: 2, cwscale: 7, swin: 1000 }) // server did not offer scaling: none applies
  d.handshake()
  t.equal(d.send(1, '.', 0, { window: 1000 }).action, 'forward')
  t.equal(d.send(0, 'P.', 1, { seq: (d.seq[0] + 100_000) >>> 0 }).action, 'drop', 'no scaling unless both SYNs carry it')
})

t.test('sequence numbers wrap around 2^32', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab, { cisn: 0xffffff00, sisn: 0xfffffff0 })
  c.handshake()
  for (let i = 0; i < 10; i++) {
    t.equal(c.send(0, 'P.', 100).action, 'forward', `client data ${i}`)
    t.equal(c.send(1, 'P.', 7).action, 'forward', `server data ${i}`)
  }
  t.ok(c.seq[0] < 0x1000 && c.seq[1] < 0x1000, 'both sides wrapped')
  t.equal(c.send(0, 'F.').action, 'forward')
  t.equal(c.send(1, 'F.').action, 'forward')
  t.equal(lab.engine.counters().tcp_drop_out_of_wnd, 0)
})

t.test('SYN+FIN and segments without flags are dropped before any session', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab)
  const sf = c.send(0, 'SF')
  t.same([sf.action, sf.reason], ['drop', 'flow_parse_l4_tcpsynfin'])
  const z = c.send(0, '')
  t.same([z.action, z.reason], ['drop', 'tcp_flag_zero'])
  t.equal(lab.engine.counters().flow_parse_l4_tcpsynfin, 1)
  t.equal(lab.engine.counters().tcp_flag_zero, 1)
  t.equal(lab.engine.sessions().length, 0)
  const lab2 = new Lab(policy(ALLOW_ALL, 'settings: { tcp: { drop-zero-flag: no, }, session: { tcp-reject-non-syn: no } }'))
  t.equal(new Conv(lab2).send(0, '').action, 'forward', 'drop-zero-flag no')
})

t.test('a SYN on a session in time-wait replaces it (tcp-reuse)', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab)
  const [syn] = c.handshake()
  c.send(0, 'F.'); c.send(1, 'F.'); c.send(0, '.')
  const c2 = new Conv(lab, { cisn: 777777 })
  const r = c2.syn()
  t.equal(r.action, 'forward')
  t.ok(r.sessionId > syn!.sessionId, 'new session, higher id')
  t.equal(lab.logs.length, 1)
  t.equal(lab.logs[0]?.endReason, 'tcp-reuse')
  t.equal(lab.logs[0]?.sessionId, syn!.sessionId)
  t.equal(lab.engine.counters().tcp_session_reuse, 1)
  t.equal(c2.synAck().action, 'forward')
})

t.test('challenge ACK (reference packets, docs/panos-model.md#challenge-ack), allow-challenge-ack no: the client RST is dropped, the hang', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab, { c: '198.18.0.1', s: '198.18.0.2', cport: 40000, sport: 8080, cisn: 2406900805 })
  const syn = c.send(0, 'S', 0, { ack: 0 })
  t.equal(syn.action, 'forward', 'new SYN, same 4-tuple → new session (tcpinit)')
  t.equal(lab.engine.session(syn.sessionId)?.timeoutS, 5)
  const chal = c.send(1, '.', 0, { seq: 1234567, ack: 2399007385 })
  t.equal(chal.action, 'forward', 'challenge ACK forwarded')
  const rst = c.send(0, 'R', 0, { seq: 2399007385, ack: 0 })
  t.equal(rst.action, 'drop', 'client RST dropped')
  t.equal(rst.reason, 'tcp_drop_out_of_wnd')
  const k = lab.engine.counters()
  t.equal(k.tcp_drop_out_of_wnd, 1)
  t.equal(k.tcp_drop_packet, 1)
  t.equal(k.tcp_challenge_ack, 1)
  t.match(lab.traceText(), /Drop invalid RST or FIN packet/)
  // 1 s later the SYN is retransmitted and the cycle repeats.
  lab.wait(1)
  t.equal(c.send(0, 'S', 0, { seq: 2406900805, ack: 0 }).action, 'forward')
  t.equal(c.send(1, '.', 0, { seq: 1234567, ack: 2399007385 }).action, 'forward')
  t.equal(c.send(0, 'R', 0, { seq: 2399007385, ack: 0 }).action, 'drop', 'still dropped: the hang')
  t.equal(lab.engine.sessions().length, 1)
})

t.test('challenge ACK with allow-challenge-ack yes: the RST passes and the session closes', async t => {
  const lab = new Lab(policy(ALLOW_ALL, 'settings: { tcp: { allow-challenge-ack: yes } }'))
  const c = new Conv(lab, { c: '198.18.0.1', s: '198.18.0.2', cport: 40000, sport: 8080 })
  const syn = c.send(0, 'S', 0, { seq: 2406900805, ack: 0 })
  c.send(1, '.', 0, { seq: 1234567, ack: 2399007385 })
  const rst = c.send(0, 'R', 0, { seq: 2399007385, ack: 0 })
  t.equal(rst.action, 'forward')
  t.equal(lab.engine.session(syn.sessionId)?.state, 'CLOSING')
  t.equal(lab.engine.counters().tcp_drop_out_of_wnd, 0)
  // The client's next SYN starts cleanly on a new session.
  const syn2 = c.send(0, 'S', 0, { seq: 2406900805, ack: 0 })
  t.equal(syn2.action, 'forward')
  t.not(syn2.sessionId, syn.sessionId)
  t.equal(lab.logs[0]?.endReason, 'tcp-rst-from-client')
  t.equal(c.send(1, 'S.', 0, { seq: 99, ack: 2406900806 }).action, 'forward', 'server SYN-ACK now')
  t.equal(c.send(0, '.', 0, { seq: 2406900806, ack: 100 }).action, 'forward')
  t.equal(lab.engine.session(syn2.sessionId)?.tcpState, 'established')
})

t.test('a SYN-ACK acknowledging the wrong number is dropped; a closed port RST passes', async t => {
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab)
  c.syn()
  const bad = c.send(1, 'S.', 0, { ack: 42 })
  t.same([bad.action, bad.reason], ['drop', 'tcp_invalid_ack'])
  const d = new Conv(lab, { cport: 2 })
  d.syn()
  const r = d.send(1, 'R.', 0, { seq: 0 })
  t.equal(r.action, 'forward', 'RST|ACK ack = SYN+1')
  t.equal(lab.engine.session(r.sessionId)?.endReason, 'tcp-rst-from-server')
})

t.test('time-wait runs from the second FIN: a retransmitted FIN and the last ACK do not restart it (both paths)', async t => {
  // The case of issue #18: second FIN at 10.01 s, the server's FIN retransmitted at 10.51 s, the
  // final ACK at 11.01 s. Time-wait (15 s) counts from 10.01 s, so the session ends at 25.01 s (it
  // used to be restarted by each late packet and lived until 26.01 s).
  for (const trace of [false, true]) {
    const name = trace ? 'full path' : 'fast path'
    const lab = new Lab(policy(ALLOW_ALL), { trace })
    lab.now = 0
    const c = new Conv(lab)
    c.handshake()
    lab.wait(10)
    c.send(0, 'F.')
    c.send(1, '.')
    lab.wait(0.01)
    const finSeq = c.seq[1]
    c.send(1, 'F.')
    const id = lab.engine.sessions()[0]!.id
    t.equal(lab.engine.session(id)?.tcpState, 'time-wait', `${name}: time-wait at 10.01 s`)
    lab.wait(0.5)
    t.equal(c.send(1, 'F.', 0, { seq: finSeq }).action, 'forward', `${name}: the retransmitted FIN is forwarded`)
    lab.wait(0.5)
    t.equal(c.send(0, '.').action, 'forward', `${name}: the final ACK is forwarded`)
    lab.wait(13.999999) // 25.009999 s
    t.ok(lab.engine.session(id), `${name}: alive 1 µs before 25.01 s`)
    lab.wait(0.000001)
    t.notOk(lab.engine.session(id), `${name}: gone at 25.01 s = second FIN + 15 s`)
    t.match(lab.logs[0], { endReason: 'tcp-fin' })
    if (!trace) t.ok(lab.engine.fastPathPackets > 0, 'the fast path carried some of these packets')
  }
})

t.test('time-wait runs from the exact RST: a later RST or ACK does not restart it or change the end reason', async t => {
  for (const trace of [false, true]) {
    const lab = new Lab(policy(ALLOW_ALL), { trace })
    lab.now = 0
    const c = new Conv(lab)
    c.handshake()
    c.send(1, 'R')
    const id = lab.engine.sessions()[0]!.id
    lab.wait(5)
    c.send(0, 'R')
    c.send(1, 'R', 0, { seq: c.seq[1] })
    lab.wait(9.999999)
    t.ok(lab.engine.session(id), 'alive 1 µs before RST + 15 s')
    lab.wait(0.000001)
    t.notOk(lab.engine.session(id), 'gone at RST + 15 s')
    t.match(lab.logs[0], { endReason: 'tcp-rst-from-server' }, 'the first RST names the end')
  }
})
