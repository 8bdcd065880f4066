/**
 * `rstlab reset` (Engine.applyAction) against the equivalent policy: a rule change with rematch that
 * blocks the same session with the same action. The forged packets must be the same bytes, the session
 * must end up the same (DISCARD, traffic log subtype deny, end reason policy-deny), and the counters too.
 */
import t from 'tap'
import { ALLOW_ALL, Conv, Lab, policy } from '../helpers/lab.js'

/** Two engines with the same conversation (v4 with a VLAN tag, or v6), stopped after some data. */
function pair (v6: boolean): Array<{ lab: Lab, c: Conv }> {
  return [0, 1].map(() => {
    const lab = new Lab(policy(ALLOW_ALL), { trace: false })
    const c = new Conv(lab, v6 ? { c: '2001:db8:0:1::1', s: '2001:db8:0:2::2' } : { vlans: [7] })
    c.handshake()
    c.send(0, 'P.', 120)
    c.send(1, 'P.', 900)
    c.send(0, '.', 0)
    return { lab, c }
  })
}

for (const v6 of [false, true]) {
  for (const action of ['reset-client', 'reset-server', 'reset-both', 'drop'] as const) {
    t.test(`${action} on demand = a rule change to ${action} with rematch (${v6 ? 'IPv6' : 'IPv4 + VLAN'})`, async t => {
      const [byPolicy, byControl] = pair(v6)
      const id = byControl!.lab.engine.sessions()[0]!.id
      const want = byPolicy!.lab.engine.setPolicy(policy(`  - { name: allow-all, action: ${action} }`), { rematch: true, nowUs: byPolicy!.lab.now }).emits.slice()
      const got = byControl!.lab.engine.applyAction(id, action, byControl!.lab.now, 'rstlab reset')
      t.equal(got.reason, 'policy-deny')
      t.equal(got.emits.length, action === 'drop' ? 0 : action === 'reset-both' ? 2 : 1, 'RST count for the action')
      t.same(got.emits.map(e => [e.toward, e.port, e.kind]), want.map(e => [e.toward, e.port, e.kind]), 'same directions and ports')
      got.emits.forEach((e, i) => t.ok(e.frame.equals(want[i]!.frame), `${e.toward} RST: same bytes as the policy's`))
      t.same(got.emits.map(e => e.reason), got.emits.map(() => ({ rule: 'allow-all', action, trigger: 'rstlab reset' })))
      for (const x of [byPolicy!, byControl!]) {
        t.equal(x.lab.engine.session(id)?.state, 'DISCARD')
        t.equal(x.c.send(0, 'P.', 10).action, 'drop', 'later packets are dropped')
      }
      t.equal(byControl!.lab.engine.counters().flow_policy_deny, byPolicy!.lab.engine.counters().flow_policy_deny, 'flow_policy_deny the same')
      byPolicy!.lab.engine.endAll(byPolicy!.lab.now)
      byControl!.lab.engine.endAll(byControl!.lab.now)
      t.same(byControl!.lab.logs, byPolicy!.lab.logs, 'same traffic log record')
      t.match(byControl!.lab.logs[0], { subtype: 'deny', action, endReason: 'policy-deny', rule: 'allow-all' })
    })
  }
}

t.test('applyAction on a session that is not ACTIVE, or not there, does nothing', async t => {
  const lab = new Lab(policy(ALLOW_ALL), { trace: false })
  const c = new Conv(lab)
  c.handshake()
  const id = lab.engine.sessions()[0]!.id
  t.equal(lab.engine.applyAction(id + 100, 'reset-both', lab.now).reason, 'no-session')
  t.equal(lab.engine.applyAction(id, 'reset-both', lab.now).emits.length, 2)
  const again = lab.engine.applyAction(id, 'reset-both', lab.now)
  t.same([again.reason, again.emits.length], ['not-active', 0], 'a DISCARD session is not reset twice')
})
