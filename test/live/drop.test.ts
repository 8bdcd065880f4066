/**
 * Live: silent drops and ICMP administratively-prohibited (issue #5 tests 4 and 7).
 * - drop: connect() gets no answer at all (bounded wait).
 * - drop + icmp-unreachable with a firewall address: connect() fails fast with EHOSTUNREACH; the ICMP
 *   (type 3 code 13 / ICMPv6 1/1) comes from the firewall's own address, not the server's.
 * - UDP to a blocked port with icmp-unreachable: the client gets ICMP 3/13 from the firewall's address.
 */
import t from 'tap'
import { Agent, Bridge, Capture, liveSkipReason, makeLab, policy, sleep, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)
  const settings = `  emulator:
    addresses:
      trust: [${LAB.fw4}/24, "${LAB.fw6}/64"]`
  const rules = `  - name: drop-silent
    service: [tcp/5004]
    action: drop
  - name: drop-icmp
    service: [tcp/5005, udp/5353]
    action: drop
    icmp-unreachable: yes
`

  t.test('drop, drop + icmp-unreachable (TCP and UDP)', async t => {
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({ settings, rules }))
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    for (const port of [5004, 5005]) server.send({ op: 'listen', tag: `p${port}`, port })
    await server.expect(e => e.ev === 'listening' && e.tag === 'p5005', 5000, 'listening')
    const cap = new Capture(t, lab, dir, 'client', LAB.clientIf, 'icmp or icmp6')
    await cap.ready()

    client.send({ op: 'connect', id: 'silent', host: LAB.server4, port: 5004 })
    for (const [fam, host] of [['v4', LAB.server4], ['v6', LAB.server6]] as const) {
      client.send({ op: 'connect', id: `icmp-${fam}`, host, port: 5005 })
      const e = await client.expect(x => x.id === `icmp-${fam}` && (x.ev === 'error' || x.ev === 'connected'), 3000, `${fam} connect to 5005`)
      t.equal(e.ev, 'error', `${fam}: connect() to a dropped port with icmp-unreachable fails`)
      // Linux maps ICMP 3/13 to EHOSTUNREACH and ICMPv6 1/1 ("administratively prohibited") to EACCES.
      t.equal(e.code, fam === 'v4' ? 'EHOSTUNREACH' : 'EACCES', `${fam}: fast, with ${fam === 'v4' ? 'EHOSTUNREACH' : 'EACCES'} (admin prohibited)`)
    }
    for (const [fam, host] of [['v4', LAB.server4], ['v6', LAB.server6]] as const) {
      client.send({ op: 'udp', id: `udp-${fam}`, host, port: 5353, bytes: 20 })
      await client.expect(x => x.id === `udp-${fam}` && x.ev === 'sent', 3000, `${fam} udp sent`)
    }
    // The silent drop: no answer within a bounded wait (SYN retransmits are dropped too).
    const silent = await client.wait(x => x.id === 'silent' && (x.ev === 'error' || x.ev === 'connected'), 2500)
    t.equal(silent, undefined, 'drop: connect() gets no answer (no RST, no ICMP) within 2.5 s')
    client.send({ op: 'destroy', id: 'silent' })
    t.notOk(server.events.some(e => e.ev === 'accepted'), 'the server never saw any of these connections')

    await sleep(200)
    const lines = await cap.stop()
    const icmp4 = lines.filter(l => /ICMP .*unreachable/.test(l) && / > 198\.18\.0\.1: /.test(l))
    t.ok(icmp4.length >= 2, `v4: ICMP unreachables reached the client (${icmp4.length})`)
    for (const l of icmp4) {
      t.match(l, new RegExp(`${LAB.fw4.replace(/\./g, '\\.')} > 198\\.18\\.0\\.1: ICMP`), 'v4 ICMP comes from the firewall\'s address')
      t.match(l, /admin prohibited/, 'v4 ICMP is type 3 code 13 (admin prohibited filter)')
      t.match(l, /ttl 64,/, 'v4 ICMP carries the firewall\'s TTL')
    }
    t.ok(icmp4.some(l => /proto UDP \(17\).* > 198\.18\.0\.2\.5353:/.test(l)), 'v4: one ICMP quotes the UDP datagram to 5353')
    const icmp6 = lines.filter(l => /ICMP6, destination unreachable/.test(l))
    t.ok(icmp6.length >= 2, `v6: ICMPv6 unreachables reached the client (${icmp6.length})`)
    for (const l of icmp6) {
      t.match(l, new RegExp(`${LAB.fw6} > ${LAB.client6}: .*ICMP6`), 'v6 ICMP comes from the firewall\'s address')
      t.match(l, /unreachable prohibited/, 'v6 ICMP is type 1 code 1 (administratively prohibited)')
    }
    t.ok(await bridge.counter('flow_icmp_unreach_sent') >= 4, 'flow_icmp_unreach_sent counts them')
    t.ok(await bridge.counter('flow_policy_deny') >= 5, 'flow_policy_deny counts the blocked sessions')
    t.equal(await bridge.stop(), 0, 'bridge exits 0')
  })
}
