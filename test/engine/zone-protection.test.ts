/**
 * Zone protection in the engine (issue #15): each packet-based option drops (or rewrites) the packet
 * that triggers it, and the same packet passes when the option is off; rewritten frames are checked
 * by tshark; Random Early Drop passes the fraction of SYNs its slope says.
 */
import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CMAC, SMAC, decode } from '../helpers/lab.js'
import { Engine } from '../../src/engine/engine.js'
import { loadPolicyText } from '../../src/policy/load.js'
import type { Policy } from '../../src/policy/types.js'
import { buildFrame, type FrameSpec } from '../../src/wire/build.js'
import { verifyChecksums } from '../../src/wire/checksum.js'
import { encodePcap } from '../../src/pcap/index.js'
import { RAW_FIELD_OPTS, requireTshark, tsharkFields } from '../helpers/tshark.js'

/** trust (eth0, the client side) with profile `p`; `opts` is YAML for the profile's keys. */
function zpPolicy (opts: string, settings = ''): Policy {
  return loadPolicyText(`
${settings}
zone-protection-profiles:
  p: { ${opts} }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24], zone-protection-profile: p }
  untrust: { interfaces: [eth1], networks: [198.18.1.0/24, "2001:db8::/32"] }
rules:
  - { name: all, action: allow }
`, 'zp.yaml')
}

const engine = (p: Policy, seed = 1): Engine => new Engine({ policy: p, portNames: ['eth0', 'eth1'], seed })
const c2s = (x: Partial<FrameSpec>): Buffer => buildFrame({ srcMac: CMAC, dstMac: SMAC, src: '198.18.0.1', dst: '198.18.1.2', ...x } as FrameSpec)

/** Raw IPv4 options are not in buildFrame: insert `opts` (a multiple of 4 bytes) after the 20-byte header. */
function withIpOptions (frame: Buffer, opts: number[]): Buffer {
  const l3 = 14
  const out = Buffer.concat([frame.subarray(0, l3 + 20), Buffer.from(opts), frame.subarray(l3 + 20)])
  out[l3] = 0x40 | ((20 + opts.length) >> 2)
  const tl = out.readUInt16BE(l3 + 2) + opts.length
  out.writeUInt16BE(tl, l3 + 2)
  out.writeUInt16BE(0, l3 + 10)
  let sum = 0
  for (let i = 0; i < 20 + opts.length; i += 2) sum += out.readUInt16BE(l3 + i)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  out.writeUInt16BE((~sum) & 0xffff, l3 + 10)
  return out
}

const SYN = { sport: 40000, dport: 80, seq: 1, flags: 'S' }
/** [option YAML, counter, frame that triggers it, port] */
const DROPS: Array<[string, string, () => Buffer, number]> = [
  ['discard-ip-frag: yes', 'flow_zp_ip_frag', () => c2s({ udp: { sport: 1, dport: 2 }, payload: 8, df: false }).fill(0x20, 20, 21), 0],
  ['discard-ip-spoof: yes', 'flow_zp_ip_spoof', () => c2s({ src: '198.18.1.9', tcp: SYN }), 0],
  ['strict-ip-check: yes', 'flow_zp_strict_ip', () => c2s({ src: '127.0.0.1', tcp: SYN }), 0],
  ['strict-ip-check: yes', 'flow_zp_strict_ip', () => c2s({ dst: '198.18.0.254', tcp: SYN }), 0],
  // The source is the broadcast address of the ingress zone's subnet (trust's address is 198.18.0.254/24).
  ['strict-ip-check: yes', 'flow_zp_strict_ip', () => c2s({ src: '198.18.0.255', tcp: SYN }), 0],
  ['discard-record-route: yes', 'flow_zp_ip_option', () => withIpOptions(c2s({ tcp: SYN }), [7, 7, 4, 0, 0, 0, 0, 0]), 0],
  ['discard-strict-source-routing: yes', 'flow_zp_ip_option', () => withIpOptions(c2s({ tcp: SYN }), [137, 3, 4, 1]), 0],
  ['discard-loose-source-routing: yes', 'flow_zp_ip_option', () => withIpOptions(c2s({ tcp: SYN }), [131, 3, 4, 1]), 0],
  ['discard-timestamp: yes', 'flow_zp_ip_option', () => withIpOptions(c2s({ tcp: SYN }), [68, 8, 5, 0, 0, 0, 0, 0]), 0],
  ['discard-security: yes', 'flow_zp_ip_option', () => withIpOptions(c2s({ tcp: SYN }), [130, 3, 0, 1]), 0],
  ['discard-stream-id: yes', 'flow_zp_ip_option', () => withIpOptions(c2s({ tcp: SYN }), [136, 4, 0, 1]), 0],
  ['discard-unknown-option: yes', 'flow_zp_ip_unknown_option', () => withIpOptions(c2s({ tcp: SYN }), [222, 4, 0, 0]), 0],
  ['discard-tcp-syn-with-data: yes', 'flow_zp_tcp_syn_data', () => c2s({ tcp: SYN, payload: 'hello' }), 0],
  ['discard-icmp-ping-zero-id: yes', 'flow_zp_icmp_ping_zero_id', () => c2s({ icmp: { type: 8, code: 0, id: 0, seqNo: 1 } }), 0],
  ['discard-icmp-large-packet: yes', 'flow_zp_icmp_large', () => c2s({ icmp: { type: 8, code: 0, id: 9, seqNo: 1 }, payload: 1000 }), 0],
  ['discard-icmp-frag: yes', 'flow_zp_icmp_frag', () => c2s({ icmp: { type: 8, code: 0, id: 9, seqNo: 1 }, payload: 8, df: false }).fill(0x20, 20, 21), 0],
  ['discard-icmp-error: yes', 'flow_zp_icmp_error', () => c2s({ icmp: { type: 3, code: 1 }, payload: 28 }), 0],
]

for (const [opt, counter, mk, port] of DROPS) {
  t.test(`${opt} drops (${counter}); off, the same packet is not dropped by it`, async t => {
    const on = engine(zpPolicy(opt, 'settings: { emulator: { addresses: { trust: [198.18.0.254/24] } } }'))
    const r = on.process(mk(), port, 1_000_000)
    t.same([r.action, r.reason], ['drop', counter])
    t.equal(on.counters()[counter], 1)
    const off = engine(zpPolicy(opt.replace('yes', 'no'), 'settings: { emulator: { addresses: { trust: [198.18.0.254/24] } } }'))
    const r2 = off.process(mk(), port, 1_000_000)
    t.not(r2.reason, counter)
    t.equal(off.counters()[counter] ?? 0, 0)
  })
}

t.test('discard-malformed-option: the decoder already refuses malformed IPv4 options, with or without the option', async t => {
  for (const opt of ['discard-malformed-option: yes', 'discard-malformed-option: no']) {
    const r = engine(zpPolicy(opt)).process(withIpOptions(c2s({ tcp: SYN }), [7, 9, 4, 0]), 0, 1)
    t.same([r.action, r.reason], ['drop', 'decode:ip4-bad-options'], opt)
  }
})

t.test('discard-tcp-synack-with-data applies to the zone the SYN-ACK enters', async t => {
  const p = loadPolicyText(`
zone-protection-profiles: { p: { discard-tcp-synack-with-data: yes } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { interfaces: [eth1], networks: [any], zone-protection-profile: p }
rules: [{ name: all, action: allow }]
`, 'x.yaml')
  const e = engine(p)
  t.equal(e.process(c2s({ tcp: { ...SYN, seq: 100 } }), 0, 1).action, 'forward')
  const sa = buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, seq: 7, ack: 101, flags: 'S.' }, payload: 'x' })
  t.same([e.process(sa, 1, 2).reason, e.counters().flow_zp_tcp_synack_data], ['flow_zp_tcp_synack_data', 1])
})

t.test('defaults of a new profile: a SYN with data is dropped, tcp-reject-non-syn and asymmetric-path follow the global settings unless overridden', async t => {
  const e = engine(zpPolicy(''))
  t.equal(e.process(c2s({ tcp: SYN, payload: 'x' }), 0, 1).reason, 'flow_zp_tcp_syn_data')
  const ack = (): Buffer => c2s({ tcp: { sport: 40001, dport: 80, seq: 5, ack: 9, flags: '.' } })
  t.equal(e.process(ack(), 0, 2).reason, 'flow_tcp_non_syn_drop', 'global: yes (the default)')
  const no = engine(zpPolicy('tcp-reject-non-syn: "no"'))
  t.equal(no.process(ack(), 0, 2).action, 'forward', 'the zone says no: picked up mid-stream')
  const yes = engine(zpPolicy('tcp-reject-non-syn: "yes"', 'settings: { session: { tcp-reject-non-syn: no } }'))
  t.equal(yes.process(ack(), 0, 2).reason, 'flow_tcp_non_syn_drop', 'the zone says yes over a global no')
  // asymmetric-path bypass on the zone: an out-of-window segment is forwarded instead of dropped.
  for (const [opt, want] of [['asymmetric-path: bypass', 'forward'], ['asymmetric-path: global', 'drop']] as const) {
    const a = engine(zpPolicy(opt))
    a.process(c2s({ tcp: { ...SYN, seq: 100 } }), 0, 1)
    a.process(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, seq: 7, ack: 101, flags: 'S.', window: 1000 } }), 1, 2)
    a.process(c2s({ tcp: { sport: 40000, dport: 80, seq: 101, ack: 8, flags: '.' } }), 0, 3)
    const far = a.process(c2s({ tcp: { sport: 40000, dport: 80, seq: 101 + 5_000_000, ack: 8, flags: 'P.' }, payload: 10 }), 0, 4)
    t.equal(far.action, want, opt)
  }
})

t.test('discard-tcp-split-handshake: the server answering the SYN with a SYN is dropped with its own counter', async t => {
  const e = engine(loadPolicyText(`
zone-protection-profiles: { p: { discard-tcp-split-handshake: yes } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { interfaces: [eth1], networks: [any], zone-protection-profile: p }
rules: [{ name: all, action: allow }]
`, 'x.yaml'))
  e.process(c2s({ tcp: { ...SYN, seq: 100 } }), 0, 1)
  const split = e.process(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, seq: 7, flags: 'S' } }), 1, 2)
  t.same([split.action, split.reason], ['drop', 'flow_zp_tcp_split_handshake'])
})

t.test('discard-tcp-split-handshake: the server answering the SYN with a bare ACK (the split handshake\'s first step) is dropped with its own counter; without the option the TCP checks drop it', async t => {
  const policy = (opt: string): Policy => loadPolicyText(`
zone-protection-profiles: { p: { discard-tcp-split-handshake: ${opt} } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { interfaces: [eth1], networks: [any], zone-protection-profile: p }
rules: [{ name: all, action: allow }]
`, 'x.yaml')
  const bareAck = (): Buffer => buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, seq: 7, ack: 101, flags: '.' } })
  const on = engine(policy('yes'))
  on.process(c2s({ tcp: { ...SYN, seq: 100 } }), 0, 1)
  const r = on.process(bareAck(), 1, 2)
  t.same([r.action, r.reason, on.counters().flow_zp_tcp_split_handshake], ['drop', 'flow_zp_tcp_split_handshake', 1])
  t.equal(on.session(r.sessionId)?.tcpState, 'syn-sent', 'the session still waits for a SYN-ACK')
  const off = engine(policy('no'))
  off.process(c2s({ tcp: { ...SYN, seq: 100 } }), 0, 1)
  const r2 = off.process(bareAck(), 1, 2)
  t.same([r2.action, r2.reason, off.counters().flow_zp_tcp_split_handshake], ['drop', 'tcp_out_of_sync', 0], 'off: refused anyway, as tcp_out_of_sync (the option only names the reason)')
  // A RST answering the SYN is no split handshake: it passes the option.
  const rst = on.process(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, seq: 0, ack: 101, flags: 'R.' } }), 1, 3)
  t.equal(rst.action, 'forward', 'a RST-ACK refusing the SYN is forwarded')
})

t.test('rewrites: remove-tcp-timestamp, strip-mptcp-option, strip-tcp-fast-open-and-data change the forwarded frame; tshark decodes it with good checksums', async t => {
  const e = engine(zpPolicy('remove-tcp-timestamp: yes, strip-mptcp-option: "yes", strip-tcp-fast-open-and-data: yes'))
  const out: Buffer[] = []
  const lens: number[] = []
  const send = (f: Buffer, port = 0): void => { lens.push(decode(f).ipLen); const r = e.process(f, port, 1_000_000); t.equal(r.action, 'forward'); out.push(f) }
  // SYN with timestamps, MPTCP MP_CAPABLE and a TFO cookie plus 20 bytes of data.
  send(c2s({ tcp: { ...SYN, seq: 1000, options: { mss: 1460, sackPermitted: true, ts: [111, 0], mptcp: [Uint8Array.from([0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8])], unknown: [{ kind: 34, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }] } }, payload: 20 }))
  send(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 80, dport: 40000, seq: 50, ack: 1001, flags: 'S.', options: { mss: 1460, ts: [222, 111] } } }), 1)
  send(c2s({ tcp: { sport: 40000, dport: 80, seq: 1001, ack: 51, flags: 'P.', options: { ts: [112, 222] } }, payload: 5 }))
  for (const f of out.filter((_, i) => i !== 1)) {
    const s = decode(f)
    t.equal(s.tsVal, -1, 'no timestamp left')
    t.equal(s.mptcp, false, 'no MPTCP left')
    t.equal(verifyChecksums(s), 0, 'checksums good')
  }
  const syn = decode(out[0]!)
  t.equal(syn.payloadLen, 0, 'SYN data cut')
  t.equal(syn.ipLen, lens[0]! - 20, 'IP length shrinks by the data only (options become NOPs)')
  t.equal(out[0]!.length, 14 + lens[0]!, 'the frame keeps its length: the cut bytes are padding after the IP packet')
  t.equal(decode(out[1]!).tsVal, 222, 'the SYN-ACK enters untrust, which has no profile: untouched')
  t.same(e.counters().flow_zp_tcp_fast_open_stripped, 1)
  t.same(e.counters().flow_zp_tcp_timestamp_removed, 2)
  t.same(e.counters().flow_zp_mptcp_stripped, 1)
  if (!requireTshark(t)) return
  const dir = mkdtempSync(join(tmpdir(), `rstlab-zp-${process.pid}-`))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'rewritten.pcap')
  writeFileSync(file, encodePcap(out.map((data, i) => ({ tsUs: i, linkType: 1, data }))))
  const rows = await tsharkFields(file, ['tcp.checksum.status', 'ip.checksum.status', 'tcp.options.timestamp.tsval', 'tcp.options.mptcp.subtype', 'tcp.option_kind', 'tcp.len', 'ip.len'],
    [...RAW_FIELD_OPTS, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'])
  t.same(rows.map(r => [r['tcp.checksum.status'], r['ip.checksum.status']]), [[['1'], ['1']], [['1'], ['1']], [['1'], ['1']]], 'tshark: TCP and IP checksums good (status 1 = good)')
  t.same(rows[0]!['tcp.options.timestamp.tsval'], [])
  t.same(rows[0]!['tcp.options.mptcp.subtype'], [])
  t.notOk(rows[0]!['tcp.option_kind']!.some(k => k === '34' || k === '8' || k === '30'), 'tshark sees no TFO, timestamp or MPTCP option in the SYN')
  t.same(rows[0]!['tcp.len'], ['0'], 'no SYN data')
  t.same(rows[1]!['tcp.options.timestamp.tsval'], ['222'])
  t.same(rows[2]!['tcp.options.timestamp.tsval'], [])
})

t.test('Random Early Drop: between activate-rate and maximal-rate the share of SYNs passed follows the slope (seeded, virtual clock)', async t => {
  const A = 1000; const M = 3000
  const p = zpPolicy(`flood: { tcp-syn: { enable: yes, red: { alarm-rate: 500, activate-rate: ${A}, maximal-rate: ${M} } } }`)
  for (const rate of [500, 1500, 2000, 2500, 4000]) {
    const e = engine(p, 7)
    const gap = Math.round(1e6 / rate)
    let passed = 0; let n = 0
    // 3 s of SYNs at `rate`/s from distinct ports; measure the last 2 s (the estimate needs one second of history).
    for (let i = 0; i < 3 * rate; i++) {
      const f = c2s({ src: `198.18.0.${1 + (i % 200)}`, tcp: { sport: 1024 + Math.floor(i / 200), dport: 80, seq: i, flags: 'S' } })
      const r = e.process(f, 0, 1_000_000 + i * gap)
      if (i >= rate) { n++; if (r.action === 'forward') passed++ }
    }
    const want = rate <= A ? 1 : rate >= M ? 0 : 1 - (rate - A) / (M - A)
    const sd = Math.sqrt(Math.max(want * (1 - want), 1e-9) / n)
    t.ok(Math.abs(passed / n - want) <= 4 * sd + 0.002, `rate ${rate}/s: passed ${(passed / n).toFixed(3)}, slope says ${want.toFixed(3)} (±${(4 * sd).toFixed(3)})`)
    const c = e.counters()
    if (rate > A && rate < M) t.ok(c.flow_dos_red_tcp > 0, 'flow_dos_red_tcp counts the random drops')
    if (rate >= M) t.ok(c.flow_dos_max_tcp > 0, 'flow_dos_max_tcp counts the drops above maximal-rate')
  }
  // Same seed, same traffic: the same drops.
  const run = (): string => {
    const e = engine(p, 3); let s = ''
    for (let i = 0; i < 4000; i++) s += e.process(c2s({ tcp: { sport: 1024 + i, dport: 80, seq: i, flags: 'S' } }), 0, 1_000_000 + i * 500).action[0]
    return s
  }
  t.equal(run(), run(), 'deterministic')
})

t.test('UDP, ICMP, ICMPv6 and other-IP floods are metered per type with their own counters and threat IDs', async t => {
  const threats: Array<{ signature: string, threatId?: number }> = []
  const rates = 'red: { alarm-rate: 1, activate-rate: 2, maximal-rate: 3 }'
  const p = loadPolicyText(`
zone-protection-profiles:
  p: { flood: { udp: { enable: yes, ${rates} }, icmp: { enable: yes, ${rates} }, icmpv6: { enable: yes, ${rates} }, other-ip: { enable: yes, ${rates} } } }
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24, "2001:db8:0:1::/64"], zone-protection-profile: p }
  untrust: { interfaces: [eth1], networks: [any] }
rules: [{ name: all, action: allow }]
`, 'x.yaml')
  const e = new Engine({ policy: p, portNames: ['eth0', 'eth1'], hooks: { threatLog: r => threats.push(r) } })
  const kinds: Array<[string, (i: number) => Buffer]> = [
    ['udp', i => c2s({ udp: { sport: 1000 + i, dport: 53 } })],
    ['icmp', i => c2s({ icmp: { type: 8, code: 0, id: 1 + i, seqNo: 1 } })],
    ['icmp6', i => buildFrame({ srcMac: CMAC, dstMac: SMAC, src: '2001:db8:0:1::1', dst: '2001:db8::2', icmp: { type: 128, code: 0, id: 1 + i } })],
    ['otherip', i => c2s({ src: `198.18.0.${1 + i}`, proto: 47, payload: 4 })],
  ]
  for (const [, mk] of kinds) for (let i = 0; i < 6; i++) e.process(mk(i), 0, 1_000_000 + i)
  const c = e.counters()
  // rate 1 and 2 pass (2 = activate-rate: drop probability 0), from 3 = maximal-rate on all are dropped.
  for (const [k] of kinds) t.equal(c[`flow_dos_max_${k}`], 4, `flow_dos_max_${k}`)
  t.same([...new Set(threats.map(x => `${x.signature}(${x.threatId})`))], ['UDP Flood(8502)', 'ICMP Flood(8503)', 'ICMPv6 Flood(8504)', 'Other IP Flood(8505)'])
})

t.test('discard-overlapping-tcp-segment-mismatch: a segment covering an earlier one with other bytes is dropped; the same bytes pass', async t => {
  const mk = (on: boolean, trace: string[] = []): Engine => new Engine({
    policy: zpPolicy(`discard-overlapping-tcp-segment-mismatch: ${on ? 'yes' : 'no'}`), portNames: ['eth0', 'eth1'],
    ...(trace !== undefined ? { hooks: { trace: ev => { trace.push(`${ev.kind} ${JSON.stringify(ev)}`) } } } : {}),
  })
  const s2c = (x: Partial<FrameSpec>): Buffer => buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', ...x } as FrameSpec)
  const C0 = 1000; const S0 = 9000
  const data = (seq: number, bytes: string): Buffer => c2s({ tcp: { sport: 40000, dport: 80, seq, ack: S0 + 1, flags: 'P.', window: 60000 }, payload: bytes })
  const A = 'a'.repeat(100); const B = 'b'.repeat(100)
  const open = (e: Engine): void => {
    e.process(c2s({ tcp: { sport: 40000, dport: 80, seq: C0, flags: 'S', window: 60000 } }), 0, 1_000_000)
    e.process(s2c({ tcp: { sport: 80, dport: 40000, seq: S0, ack: C0 + 1, flags: 'S.', window: 60000 } }), 1, 1_000_100)
    e.process(c2s({ tcp: { sport: 40000, dport: 80, seq: C0 + 1, ack: S0 + 1, flags: '.', window: 60000 } }), 0, 1_000_200)
  }
  const trace: string[] = []
  const e = mk(true, trace)
  open(e)
  const act = (f: Buffer): string => e.process(f, 0, 1_001_000).action
  t.equal(act(data(C0 + 1, A)), 'forward', 'first segment [1, 101)')
  t.equal(act(data(C0 + 101, B)), 'forward', 'second segment [101, 201)')
  t.equal(act(data(C0 + 1, A)), 'forward', 'the first retransmitted with the same bytes: passes')
  const r = e.process(data(C0 + 1, 'a'.repeat(50) + 'X' + 'a'.repeat(49)), 0, 1_001_000)
  t.same([r.action, r.reason], ['drop', 'flow_zp_tcp_overlap_mismatch'], 'the first retransmitted with one byte changed: dropped')
  t.equal(e.counters().flow_zp_tcp_overlap_mismatch, 1)
  t.match(trace.join('\n'), /zp-overlap-mismatch .*"seq":1001,"len":100/, 'traced with the segment')
  t.equal(act(data(C0 + 1, A + B)), 'forward', 'one segment covering both with the same bytes (a coalesced retransmission): passes')
  t.equal(act(data(C0 + 1, A + 'b'.repeat(99) + 'Y')), 'drop', 'covering both, the last byte of the second changed: dropped')
  t.equal(act(data(C0 + 51, 'Z'.repeat(10))), 'forward', 'inside an earlier segment: not compared (bounded model, docs/zone-protection.md)')
  t.equal(act(data(C0 + 201, 'c'.repeat(100))), 'forward', 'new data')
  t.equal(e.counters().flow_zp_tcp_overlap_mismatch, 2)
  t.equal(e.fastPathPackets, 0, 'sessions of the zone take the full path')
  // The server's direction enters untrust, which has no profile: its overlaps are not checked.
  const s1 = s2c({ tcp: { sport: 80, dport: 40000, seq: S0 + 1, ack: C0 + 301, flags: 'P.', window: 60000 }, payload: A })
  const s2 = s2c({ tcp: { sport: 80, dport: 40000, seq: S0 + 1, ack: C0 + 301, flags: 'P.', window: 60000 }, payload: B })
  t.same([e.process(s1, 1, 1_002_000).action, e.process(s2, 1, 1_002_000).action], ['forward', 'forward'], 'the ingress zone decides')

  // Option off: the mismatching retransmission passes.
  const off = mk(false)
  open(off)
  off.process(data(C0 + 1, A), 0, 1_001_000)
  t.equal(off.process(data(C0 + 1, B), 0, 1_001_000).action, 'forward', 'off: not modelled, forwarded')
  t.equal(off.counters().flow_zp_tcp_overlap_mismatch ?? 0, 0)

  // The ring is bounded: a segment older than the last 8 is forgotten.
  const e2 = mk(true)
  open(e2)
  for (let i = 0; i < 9; i++) e2.process(data(C0 + 1 + 100 * i, A), 0, 1_001_000)
  t.equal(e2.process(data(C0 + 101, B), 0, 1_001_000).action, 'drop', 'the 8th segment back: still remembered, dropped')
  t.equal(e2.process(data(C0 + 1, B), 0, 1_001_000).action, 'forward', 'the 9th back: forgotten, passes')
})

t.test('replay: each packet-based option drops the same packet in a capture replay, where zones come from the addresses', async t => {
  const { replayRecords } = await import('../../src/ingress/replay.js')
  // In a replay the ingress zone is the zone of the source address, so a spoofed or loopback source
  // falls into another zone (or none) and meets that zone's profile: those two cases need ports (above).
  const inTrust = (f: Buffer): boolean => { const fs = decode(f); return fs.ipVersion === 4 && f[fs.srcOff] === 198 && f[fs.srcOff + 2] === 0 }
  let n = 0
  for (const [opt, counter, mk] of DROPS) {
    const frame = mk()
    if (!inTrust(frame)) continue
    const settings = 'settings: { emulator: { addresses: { trust: [198.18.0.254/24] } } }'
    const rec = { n: 1, tsUs: 1_700_000_000_000_000, tsNsRem: 0, linkType: 1, interfaceId: 0, caplen: frame.length, origLen: frame.length, offset: 0, data: frame }
    const on = await replayRecords([rec], { policy: zpPolicy(opt, settings) })
    const off = await replayRecords([{ ...rec, data: mk() }], { policy: zpPolicy(opt.replace('yes', 'no'), settings) })
    t.same([on.frames.dropped, on.counters[counter]], [1, 1], `${opt}: dropped in the replay (${counter})`)
    t.equal(off.counters[counter], undefined, `${opt} off: not counted`)
    n++
  }
  t.ok(n >= DROPS.length - 2, `${n} of ${DROPS.length} options replayed`)
  // A rewrite through the replay: the frame written to --out has the timestamp option NOPed, checksums good.
  const frame = c2s({ tcp: { ...SYN, options: { mss: 1460, ts: [5, 0] } } })
  const got: Buffer[] = []
  const sink = { write: async (p: { data: Buffer }): Promise<void> => { got.push(Buffer.from(p.data)) } }
  await replayRecords([{ n: 1, tsUs: 1, tsNsRem: 0, linkType: 1, interfaceId: 0, caplen: frame.length, origLen: frame.length, offset: 0, data: frame }],
    { policy: zpPolicy('remove-tcp-timestamp: yes'), out: sink })
  const fs = decode(got[0]!)
  t.same([fs.tsVal, fs.mss, verifyChecksums(fs)], [-1, 1460, 0], 'remove-tcp-timestamp: the written frame has no timestamp, checksums good')  // A flood metered on the capture's clock, and options of the server's zone (the zone its packets enter).
  const both = loadPolicyText(`
zone-protection-profiles:
  p: { discard-tcp-split-handshake: yes, discard-tcp-synack-with-data: yes, flood: { udp: { enable: yes, red: { alarm-rate: 1, activate-rate: 2, maximal-rate: 3 } } } }
zones:
  trust:   { networks: [198.18.0.0/24], zone-protection-profile: p }
  untrust: { networks: [198.18.1.0/24], zone-protection-profile: p }
rules: [{ name: all, action: allow }]
`, 'both.yaml')
  const T = 1_700_000_000_000_000
  const rec = (i: number, data: Buffer): { n: number, tsUs: number, tsNsRem: number, linkType: number, interfaceId: number, caplen: number, origLen: number, offset: number, data: Buffer } =>
    ({ n: i + 1, tsUs: T + i * 1000, tsNsRem: 0, linkType: 1, interfaceId: 0, caplen: data.length, origLen: data.length, offset: 0, data })
  const s2c = (x: Partial<FrameSpec>): Buffer => buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', ...x } as FrameSpec)
  const udp = Array.from({ length: 6 }, (_, i) => rec(i, c2s({ udp: { sport: 1000 + i, dport: 53 } })))
  const flood = await replayRecords(udp, { policy: both })
  t.equal(flood.counters.flow_dos_max_udp, 4, 'udp flood: 6 datagrams in 6 ms of capture time, from the third at maximal-rate 3: dropped')
  const split = await replayRecords([rec(0, c2s({ tcp: SYN })), rec(1, s2c({ tcp: { sport: 80, dport: 40000, seq: 7, flags: 'S' } }))], { policy: both })
  t.equal(split.counters.flow_zp_tcp_split_handshake, 1, 'discard-tcp-split-handshake: the server answering with a bare SYN')
  const sad = await replayRecords([rec(0, c2s({ tcp: SYN })), rec(1, s2c({ tcp: { sport: 80, dport: 40000, seq: 7, ack: 2, flags: 'S.' }, payload: 'x' }))], { policy: both })
  t.equal(sad.counters.flow_zp_tcp_synack_data, 1, 'discard-tcp-synack-with-data: a SYN-ACK with payload')

  // The per-zone overrides of two global TCP settings, through the replay.
  const ack = rec(0, c2s({ tcp: { sport: 40001, dport: 80, seq: 5, ack: 9, flags: '.' } }))
  const nonSyn = async (opt: string, settings = ''): Promise<[number, number | undefined]> => {
    const r = await replayRecords([{ ...ack, data: Buffer.from(ack.data) }], { policy: zpPolicy(opt, settings) })
    return [r.frames.dropped, r.counters.flow_tcp_non_syn_drop]
  }
  t.same(await nonSyn(''), [1, 1], 'tcp-reject-non-syn: the profile follows the global yes: a mid-stream ACK is dropped')
  t.same(await nonSyn('tcp-reject-non-syn: "no"'), [0, undefined], 'the zone says no: picked up mid-stream')
  t.same(await nonSyn('tcp-reject-non-syn: "yes"', 'settings: { session: { tcp-reject-non-syn: no } }'), [1, 1], 'the zone says yes over a global no')
  const asym = async (opt: string): Promise<number> => {
    const r = await replayRecords([
      rec(0, c2s({ tcp: { ...SYN, seq: 100 } })),
      rec(1, s2c({ tcp: { sport: 80, dport: 40000, seq: 7, ack: 101, flags: 'S.', window: 1000 } })),
      rec(2, c2s({ tcp: { sport: 40000, dport: 80, seq: 101, ack: 8, flags: '.' } })),
      rec(3, c2s({ tcp: { sport: 40000, dport: 80, seq: 101 + 5_000_000, ack: 8, flags: 'P.' }, payload: 10 })),
    ], { policy: zpPolicy(opt) })
    return r.frames.dropped
  }
  t.equal(await asym('asymmetric-path: bypass'), 0, 'asymmetric-path bypass on the zone: the out-of-window segment is forwarded')
  t.equal(await asym('asymmetric-path: global'), 1, 'asymmetric-path global (drop): it is dropped')

  // discard-overlapping-tcp-segment-mismatch through the replay: a retransmission with other bytes.
  const overlap = async (on: boolean): Promise<[number, number | undefined]> => {
    const C0 = 1000; const S0 = 9000
    const d = (i: number, seq: number, bytes: string): ReturnType<typeof rec> => rec(i, c2s({ tcp: { sport: 40000, dport: 80, seq, ack: S0 + 1, flags: 'P.', window: 60000 }, payload: bytes }))
    const r = await replayRecords([
      rec(0, c2s({ tcp: { sport: 40000, dport: 80, seq: C0, flags: 'S', window: 60000 } })),
      rec(1, s2c({ tcp: { sport: 80, dport: 40000, seq: S0, ack: C0 + 1, flags: 'S.', window: 60000 } })),
      rec(2, c2s({ tcp: { sport: 40000, dport: 80, seq: C0 + 1, ack: S0 + 1, flags: '.', window: 60000 } })),
      d(3, C0 + 1, 'a'.repeat(100)), d(4, C0 + 1, 'a'.repeat(100)), d(5, C0 + 1, 'a'.repeat(99) + 'X'),
    ], { policy: zpPolicy(`discard-overlapping-tcp-segment-mismatch: ${on ? 'yes' : 'no'}`) })
    return [r.frames.dropped, r.counters.flow_zp_tcp_overlap_mismatch]
  }
  t.same(await overlap(true), [1, 1], 'on: the same bytes again pass, the changed retransmission is dropped')
  t.same(await overlap(false), [0, undefined], 'off: both retransmissions pass')
})
