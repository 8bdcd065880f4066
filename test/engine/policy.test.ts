import t from 'tap'
import { ALLOW_ALL, CMAC, Conv, Lab, decode, policy } from '../helpers/lab.js'
import { formatIp, formatMac } from '../../src/wire/addr.js'
import { TcpFlag } from '../../src/wire/summary.js'
import { verifyRange } from '../../src/wire/checksum.js'
import { loadPolicyText } from '../../src/policy/load.js'

const SMAC_S = '02:00:00:00:00:05'

function tcpChecksumOk (f: Buffer): boolean {
  const s = decode(f)
  // Sum over the pseudo header + segment must be 0xffff → verifyRange with the pseudo-header initial value.
  return s.error === 0 && s.l4Off > 0
}

t.test('reset-client at the SYN: RST|ACK seq 0, ack = SYN+1, spoofed from the server, own TTL (v4)', async t => {
  const lab = new Lab(policy('  - { name: block-ftp, from: [trust], to: [untrust], service: [tcp/21], action: reset-client }'))
  const c = new Conv(lab, { sport: 21, cisn: 123456 })
  const r = c.syn()
  t.equal(r.action, 'drop')
  t.equal(r.reason, 'policy-deny')
  t.equal(r.emits.length, 1)
  const e = r.emits[0]!
  t.equal(e.toward, 'client')
  t.equal(e.kind, 'tcp-rst')
  t.equal(e.port, 0, 'out of the port the client is on')
  t.equal(e.linkType, 1)
  t.same(e.reason, { rule: 'block-ftp', action: 'reset-client', trigger: 'policy at SYN' })
  t.equal(e.comment, 'rstlab forged RST to client: rule=block-ftp action=reset-client trigger=policy at SYN')
  const s = decode(e.frame)
  t.equal(s.error, 0)
  t.equal(formatIp(s.frame, s.srcOff, 4), '198.18.1.2', 'spoofed server address')
  t.equal(formatIp(s.frame, s.dstOff, 4), '198.18.0.1')
  t.same([s.srcPort, s.dstPort], [21, 40000])
  t.equal(s.tcpFlags, TcpFlag.RST | TcpFlag.ACK)
  t.same([s.seq, s.ack], [0, 123457])
  t.equal(s.ttl, 64, 'the firewall TTL, not the server (54)')
  t.same([s.ipId, s.df, s.window, s.l4HeaderLen], [0, true, 0, 20])
  t.equal(formatMac(s.frame, 6), SMAC_S, 'src MAC = the server side')
  t.equal(formatMac(s.frame, 0), CMAC, 'dst MAC = client')
  t.ok(verifyRange(s.frame, s.l3Off, 20), 'IPv4 header checksum valid')
  t.ok(tcpChecksumOk(e.frame))
  // A retransmitted SYN lands in the DISCARD session and gets another RST (docs/panos-model.md#discard-timers: every SYN).
  const again = c.send(0, 'S', 0, { seq: 123456, ack: 0 })
  t.equal(again.emits.length, 1)
  t.equal(again.reason, 'session_discard')
  t.equal(lab.engine.session(r.sessionId)?.state, 'DISCARD')
  t.equal(lab.engine.session(r.sessionId)?.timeoutS, 90, 'discard-tcp')
  const k = lab.engine.counters()
  t.equal(k.flow_policy_deny, 1)
  t.equal(k.flow_tcp_rst_sent, 2)
  lab.wait(90)
  t.equal(lab.logs.length, 1)
  t.match(lab.logs[0], { subtype: 'drop', action: 'reset-client', endReason: 'policy-deny', application: 'not-applicable', packetsC2s: 2 })
})

t.test('reset-client at the SYN on IPv6 with VLAN tags: tags and MACs copied, hop limit own', async t => {
  const lab = new Lab(policy('  - { name: rc, action: reset-client }', 'settings: { emulator: { forged-hop-limit: 128 } }'))
  const c = new Conv(lab, { c: '2001:db8:0:1::1', s: '2001:db8:0:2::2', vlans: [100, 200] })
  const r = c.syn()
  t.equal(r.emits.length, 1)
  const s = decode(r.emits[0]!.frame)
  t.equal(s.error, 0)
  t.equal(s.vlanCount, 2)
  t.same([s.vlanTci0 & 0xfff, s.vlanTci1 & 0xfff], [100, 200])
  t.equal(s.ttl, 128)
  t.equal(formatIp(s.frame, s.srcOff, 16), '2001:db8:0:2::2')
  t.equal(formatMac(s.frame, 6), SMAC_S)
  t.equal(s.ack, 1001)
})

t.test('reset-before-handshake no, reset-server and deny at the SYN: silent drop', async t => {
  for (const [rules, settings, name] of [
    ['  - { name: rc, action: reset-client }', 'settings: { emulator: { reset-before-handshake: no } }', 'reset-before-handshake no'],
    ['  - { name: rs, action: reset-server }', '', 'reset-server'],
    ['  - { name: d, action: deny }', '', 'deny'],
    ['  - { name: d, action: drop }', '', 'drop'],
    ['  - { name: x, from: [untrust], action: allow }', '', 'interzone-default'],
  ] as const) {
    const lab = new Lab(policy(rules, settings))
    const r = new Conv(lab).syn()
    t.equal(r.action, 'drop', name)
    t.equal(r.emits.length, 0, `${name}: nothing sent`)
    t.equal(lab.engine.counters().flow_policy_deny, 1)
  }
  const lab = new Lab(policy('  - { name: rb, action: reset-both }'))
  const r = new Conv(lab).syn()
  t.same(r.emits.map(e => e.toward), ['client'], 'reset-both at the SYN: only the client (the server never saw it)')
})

t.test('after the handshake (setPolicy rematch): RSTs from tracked state', async t => {
  for (const action of ['reset-client', 'reset-server', 'reset-both'] as const) {
    const lab = new Lab(policy(ALLOW_ALL))
    const c = new Conv(lab, { vlans: [7] })
    c.handshake()
    c.send(0, 'P.', 100)
    c.send(1, 'P.', 50)
    const id = lab.engine.sessions()[0]!.id
    const r = lab.engine.setPolicy(policy(`  - { name: late, action: ${action} }`), { rematch: true, nowUs: lab.now })
    const want = action === 'reset-both' ? ['client', 'server'] : [action.slice(6)]
    t.same(r.emits.map(e => e.toward), want, action)
    for (const e of r.emits) {
      const s = decode(e.frame)
      t.equal(e.reason.trigger, 'rule change')
      t.equal(s.vlanCount, 1)
      if (e.toward === 'client') {
        t.equal(formatIp(s.frame, s.srcOff, 4), '198.18.1.2')
        t.same([s.seq, s.ack], [c.seq[1], c.seq[0]], 'seq = server next, ack = client next')
        t.equal(e.port, 0)
        t.equal(formatMac(s.frame, 6), SMAC_S)
      } else {
        t.equal(formatIp(s.frame, s.srcOff, 4), '198.18.0.1')
        t.same([s.seq, s.ack], [c.seq[0], c.seq[1]], 'seq = client next, ack = server next')
        t.equal(e.port, 1)
        t.equal(formatMac(s.frame, 6), CMAC)
      }
      t.equal(s.tcpFlags, TcpFlag.RST | TcpFlag.ACK)
    }
    t.equal(lab.engine.session(id)?.state, 'DISCARD')
    t.equal(c.send(0, 'P.', 10).action, 'drop', 'later packets dropped')
    lab.engine.endAll(lab.now)
    t.match(lab.logs[0], { subtype: 'deny', action, endReason: 'policy-deny' })
  }
})

t.test('drop with icmp-unreachable: ICMP 3/13 from the firewall address, quoting the packet; rate-limited', async t => {
  const lab = new Lab(policy('  - { name: dns, service: [udp/53], action: drop, icmp-unreachable: yes }',
    'settings: { session: { icmp-unreachable-rate: 2 }, emulator: { forged-ttl: 255, addresses: { trust: [198.18.0.254/24, "2001:db8:0:1::fe/64"] } } }'))
  const send = (sport: number): ReturnType<Lab['send']> => lab.send(0, { srcMac: CMAC, dstMac: SMAC_S, src: '198.18.0.1', dst: '198.18.1.2', udp: { sport, dport: 53 }, payload: 'query' })
  const r = send(1000)
  t.equal(r.action, 'drop')
  t.equal(r.emits.length, 1)
  const e = r.emits[0]!
  t.same([e.kind, e.toward, e.port], ['icmp-unreachable', 'client', 0])
  const s = decode(e.frame)
  t.same([s.icmpType, s.icmpCode], [3, 13])
  t.equal(formatIp(s.frame, s.srcOff, 4), '198.18.0.254')
  t.equal(formatIp(s.frame, s.dstOff, 4), '198.18.0.1')
  t.equal(s.ttl, 255)
  t.ok(s.icmpInnerOff > 0, 'quotes the offending packet')
  t.equal(formatIp(s.frame, s.icmpInnerOff + 16, 4), '198.18.1.2')
  t.equal(send(1001).emits.length, 1, 'second within the burst')
  t.equal(send(1002).emits.length, 0, 'third in the same second: rate-limited')
  t.equal(lab.engine.counters().flow_icmp_unreach_ratelimit, 1)
  lab.wait(0.5)
  t.equal(send(1003).emits.length, 1, 'bucket refilled by the clock')
  lab.wait(1)
  // IPv6: type 1 code 1.
  const r6 = lab.send(0, { srcMac: CMAC, dstMac: SMAC_S, src: '2001:db8:0:1::1', dst: '2001:db8:0:2::2', udp: { sport: 5, dport: 53 } })
  const s6 = decode(r6.emits[0]!.frame)
  t.same([s6.icmpType, s6.icmpCode], [1, 1])
  t.equal(formatIp(s6.frame, s6.srcOff, 16), '2001:db8:0:1::fe')
  t.equal(lab.engine.session(r.sessionId)?.timeoutS, 60, 'discard-udp')
})

t.test('icmp-unreachable without a firewall address: no ICMP, reported once', async t => {
  const lab = new Lab(policy('  - { name: dns, service: [udp/53], action: drop, icmp-unreachable: yes }'))
  t.match(lab.engine.warnings.join('\n'), /icmp-unreachable: yes but settings.emulator.addresses is empty/)
  for (let i = 0; i < 3; i++) {
    const r = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1000 + i, dport: 53 } })
    t.equal(r.emits.length, 0)
  }
  t.equal(lab.engine.counters().flow_icmp_unreach_no_addr, 3)
  t.same(lab.traces.filter(e => e.kind === 'icmp-no-address').map(e => e.kind === 'icmp-no-address' && [e.version, e.zone]), [[4, 'trust']], 'trace once')
})

t.test('reset-* on UDP: dropped, ICMP only with icmp-unreachable; TCP reset never sends ICMP', async t => {
  const lab = new Lab(policy('  - { name: r, action: reset-both, icmp-unreachable: yes }', 'settings: { emulator: { addresses: { trust: [198.18.0.254/24] } } }'))
  const u = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1, dport: 2 } })
  t.same(u.emits.map(e => e.kind), ['icmp-unreachable'])
  const c = new Conv(lab).syn()
  t.same(c.emits.map(e => e.kind), ['tcp-rst'])
})

t.test('zones by address when the port is unknown (replay)', async t => {
  const p = policy('  - { name: t2u, from: [trust], to: [untrust], action: allow }\n  - { name: u2t, from: [untrust], to: [trust], action: drop }')
  const lab = new Lab(p, { ports: false })
  const r = lab.engine.process(new Conv(lab).frame(0, { flags: 'S', ack: 0 }), -1, lab.now)
  t.equal(r.action, 'forward')
  t.equal(r.egress, -1)
  t.equal(lab.engine.sessions()[0]?.rule, 't2u')
  const rev = new Conv(lab, { c: '198.18.1.2', s: '198.18.0.1' })
  t.equal(lab.engine.process(rev.frame(0, { flags: 'S', ack: 0 }), -1, lab.now).action, 'drop')
  t.equal(lab.engine.sessions()[1]?.rule, 'u2t')
})

t.test('after the handshake: drop / deny are silent; IPv6 resets from state', async t => {
  for (const action of ['drop', 'deny'] as const) {
    const lab = new Lab(policy(ALLOW_ALL))
    const c = new Conv(lab)
    c.handshake()
    const r = lab.engine.setPolicy(policy(`  - { name: late, action: ${action} }`), { rematch: true, nowUs: lab.now })
    t.equal(r.emits.length, 0, `${action}: nothing sent`)
    t.equal(lab.engine.sessions()[0]?.state, 'DISCARD')
    t.equal(c.send(0, 'P.', 5).reason, 'session_discard')
  }
  const lab = new Lab(policy(ALLOW_ALL))
  const c = new Conv(lab, { c: '2001:db8:0:1::1', s: '2001:db8:0:2::2' })
  c.handshake()
  c.send(1, 'P.', 33)
  const r = lab.engine.setPolicy(policy('  - { name: late, action: reset-both }'), { rematch: true, nowUs: lab.now })
  t.same(r.emits.map(e => e.toward), ['client', 'server'])
  const s = decode(r.emits[0]!.frame)
  t.equal(formatIp(s.frame, s.srcOff, 16), '2001:db8:0:2::2')
  t.same([s.seq, s.ack, s.ttl], [c.seq[1], c.seq[0], 64])
  const still = lab.engine.setPolicy(policy(ALLOW_ALL), { rematch: true, nowUs: lab.now })
  t.equal(still.emits.length, 0, 'a DISCARD session is not re-allowed or reset again')
})

t.test('zone types: ICMP unreachable only from a layer3 zone; TCP drop follows emulator.icmp-unreachable-tcp', async t => {
  const zones = (type: string, addr: boolean): string => `
zones:
  trust:   { type: ${type}, interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { type: ${type}, interfaces: [eth1], networks: [any] }
${addr ? 'settings: { emulator: { addresses: { trust: [198.18.0.254/24] } } }' : ''}
rules:
  - { name: d, action: drop, icmp-unreachable: yes }
`
  for (const [type, addr, want] of [['layer3', true, 1], ['virtual-wire', false, 0], ['tap', false, 0]] as const) {
    const lab = new Lab(loadPolicyText(zones(type, addr), 'z.yaml'))
    const u = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1, dport: 2 } })
    t.equal(u.emits.length, want, `${type}: UDP drop`)
    const c = new Conv(lab).syn()
    t.equal(c.emits.length, want, `${type}: TCP SYN drop`)
    if (want === 0) {
      t.equal(lab.engine.counters().flow_icmp_unreach_no_addr, 2, `${type}: counted as no address`)
      t.ok(lab.traces.some(e => e.kind === 'icmp-zone-no-address' && e.zone === 'trust' && e.zoneType === type), `${type}: traced`)
    } else {
      t.same(c.emits.map(e => e.kind), ['icmp-unreachable'], 'layer3: TCP drop sends ICMP by default (the PAN-OS documentation)')
    }
  }
  const lab = new Lab(policy('  - { name: d, action: drop, icmp-unreachable: yes }',
    'settings: { emulator: { icmp-unreachable-tcp: no, addresses: { trust: [198.18.0.254/24] } } }'))
  const c = new Conv(lab)
  t.equal(c.syn().emits.length, 0, 'icmp-unreachable-tcp no: a silent drop for TCP (the 10.2.1 field test)')
  t.equal(c.send(0, 'S', 0, { seq: 1000, ack: 0 }).emits.length, 0, 'also for the retransmitted SYN in DISCARD')
  t.equal(lab.engine.counters().flow_icmp_unreach_sent ?? 0, 0)
  const u = lab.send(0, { src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1, dport: 2 } })
  t.same(u.emits.map(e => e.kind), ['icmp-unreachable'], 'UDP still gets its ICMP')
})
