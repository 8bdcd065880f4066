/**
 * Engine.processEstablished, what the live runner offers frames while it sheds an over-long capture
 * burst (issue #20): it forwards a plain segment of an established session exactly as `process`
 * would, and refuses (undefined, nothing changed) a SYN, a frame of no session, and anything while
 * the fast path is off (tracing).
 */
import t from 'tap'
import { Engine } from '../../src/engine/engine.js'
import { buildFrame } from '../../src/wire/build.js'
import { policy } from '../helpers/lab.js'

const C = '198.18.0.1'
const S = '198.18.1.2'
const cmac = '02:00:00:00:00:01'
const smac = '02:00:00:00:00:02'
const c2s = (flags: string, seq: number, ack: number, payload?: number): Buffer =>
  buildFrame({ srcMac: cmac, dstMac: smac, src: C, dst: S, tcp: { sport: 40000, dport: 80, seq, ack, flags, window: 65535 }, payload })
const s2c = (flags: string, seq: number, ack: number, payload?: number): Buffer =>
  buildFrame({ srcMac: smac, dstMac: cmac, src: S, dst: C, tcp: { sport: 80, dport: 40000, seq, ack, flags, window: 65535 }, payload })

function engine (trace: boolean): Engine {
  const p = policy('  - { name: allow-all, action: allow }')
  return new Engine({ policy: p, portNames: ['a', 'b'], hooks: { trafficLog: () => {}, ...(trace ? { trace: () => {} } : {}) } })
}

/** A handshake through `e`; returns the time after it. */
function handshake (e: Engine): number {
  let now = 1_000_000
  e.process(c2s('S', 100, 0), 0, now += 10)
  e.process(s2c('S.', 5000, 101), 1, now += 10)
  e.process(c2s('.', 101, 5001), 0, now += 10)
  return now
}

t.test('forwards an established session\'s segments; refuses a SYN and a frame of no session', async t => {
  const e = engine(false)
  const syn = c2s('S', 100, 0)
  t.equal(e.processEstablished(syn, 0, 1_000_000), undefined, 'a SYN without a session is refused')
  t.equal(e.sessions().length, 0, 'and nothing was set up')
  let now = handshake(e)
  const before = e.counters().pkt_recv ?? 0
  const r = e.processEstablished(c2s('P.', 101, 5001, 8), 0, now += 10)
  t.equal(r?.action, 'forward', 'client data forwarded')
  t.equal(r?.egress, 1, 'out of the other port')
  const back = e.processEstablished(s2c('P.', 5001, 109, 8), 1, now += 10)
  t.equal(back?.action, 'forward', 'server data forwarded')
  t.same(e.sessions()[0]?.packets, { c2s: 3, s2c: 2 }, 'counted on the session like any segment')
  t.ok((e.counters().pkt_recv ?? 0) > before, 'and in the counters')
  t.equal(e.processEstablished(c2s('S', 7, 0), 0, now += 10), undefined, 'a SYN on another 5-tuple is refused')
  t.equal(e.processEstablished(buildFrame({ srcMac: cmac, dstMac: smac, src: C, dst: S, tcp: { sport: 40001, dport: 80, seq: 1, ack: 1, flags: '.' } }), 0, now += 10),
    undefined, 'an ACK of no session is refused')
  t.equal(e.sessions().length, 1, 'no session was set up by a refused frame')
})

t.test('refuses everything while the fast path is off (tracing)', async t => {
  const e = engine(true)
  const now = handshake(e)
  t.equal(e.processEstablished(c2s('P.', 101, 5001, 8), 0, now + 10), undefined, 'refused: the caller sheds it')
})
