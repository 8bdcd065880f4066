/**
 * Reconnaissance (scan) protection in the engine (issue #15, docs/zone-protection.md): frames built by
 * construction, a virtual clock. A source probing `threshold` distinct ports / hosts / protocols within
 * the interval logs exactly one threat (subtype scan); `block` and `block-ip` drop what they say for as
 * long as they say; a white-listed source, fewer events, or events spread over more than the interval
 * never trigger. Also: a crafted capture replayed from a file, in process and through the CLI as CSV.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { CMAC, SMAC } from '../helpers/lab.js'
import { REPO_ROOT } from '../helpers/shared.js'
import { Engine } from '../../src/engine/engine.js'
import type { ThreatLogRecord, TraceEvent } from '../../src/engine/types.js'
import { loadPolicyText } from '../../src/policy/load.js'
import type { Policy } from '../../src/policy/types.js'
import { buildFrame, type FrameSpec } from '../../src/wire/build.js'
import { encodePcap } from '../../src/pcap/index.js'
import { replayFile } from '../../src/ingress/replay.js'
import { PanosLogFormatter } from '../../src/logs/panos-format.js'

const POLICY = (profile: string): string => `
zone-protection-profiles:
  p: ${profile}
zones:
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24], zone-protection-profile: p }
  untrust: { interfaces: [eth1], networks: [198.18.1.0/24] }
rules:
  - { name: all, action: allow }
`
const policy = (profile: string): Policy => loadPolicyText(POLICY(profile), 'scan.yaml')

interface Run { e: Engine, threats: ThreatLogRecord[], traces: TraceEvent[] }
function engine (profile: string, trace = false): Run {
  const threats: ThreatLogRecord[] = []
  const traces: TraceEvent[] = []
  const hooks = trace ? { threatLog: (r: ThreatLogRecord) => { threats.push(r) }, trace: (ev: TraceEvent) => { traces.push(ev) } } : { threatLog: (r: ThreatLogRecord) => { threats.push(r) } }
  return { e: new Engine({ policy: policy(profile), portNames: ['eth0', 'eth1'], hooks }), threats, traces }
}

const c2s = (x: Partial<FrameSpec>): Buffer => buildFrame({ srcMac: CMAC, dstMac: SMAC, src: '198.18.0.1', dst: '198.18.1.2', ...x } as FrameSpec)
const syn = (dport: number, o: Partial<FrameSpec> = {}): Buffer => c2s({ tcp: { sport: 40000 + (dport % 20000), dport, seq: 1, flags: 'S' }, ...o })
const S = 1_000_000
const T0 = 10 * S

t.test('TCP port scan, alert: the 100th distinct port within 2 s logs one threat; every probe is forwarded', async t => {
  const { e, threats } = engine('{ scan: { 8001: { action: alert } } }')
  const actions = new Set<string>()
  for (let i = 0; i < 150; i++) actions.add(e.process(syn(1 + i), 0, T0 + i * 10_000).action) // 150 ports in 1.5 s
  t.same([...actions], ['forward'], 'alert drops nothing')
  t.equal(threats.length, 1, 'exactly one threat log for the interval')
  t.match(threats[0], {
    type: 'THREAT', subtype: 'scan', threatId: 8001, signature: 'TCP Port Scan', action: 'alert', severity: 'critical', sessionId: 0,
    fromZone: 'trust', src: '198.18.0.1', dst: '198.18.1.2', dport: 100, proto: 'tcp', application: 'not-applicable', events: 100, intervalS: 2, timeUs: T0 + 99 * 10_000,
  })
  t.equal(e.counters().flow_zp_scan_alarm, 1)
  t.equal(e.counters().flow_zp_scan_drop, 0)
  // A new interval: a new scan is a new log.
  for (let i = 0; i < 100; i++) e.process(syn(1000 + i), 0, T0 + 3 * S + i * 1000)
  t.equal(threats.length, 2, 'the next interval logs again')
})

t.test('not a scan: 99 distinct ports, one port probed 300 times, 100 ports spread over more than the interval, a white-listed source', async t => {
  const cases: Array<[string, string, (i: number) => [Buffer, number], number]> = [
    ['99 distinct ports within 1 s', '{ scan: { 8001: {} } }', i => [syn(1 + (i % 99)), T0 + i * 3000], 300],
    ['one port, 300 SYNs (new source ports)', '{ scan: { 8001: {} } }', i => [c2s({ tcp: { sport: 1024 + i, dport: 80, seq: 1, flags: 'S' } }), T0 + i * 1000], 300],
    ['100 ports, one every 30 ms (3 s > 2 s)', '{ scan: { 8001: {} } }', i => [syn(1 + i), T0 + i * 30_000], 100],
    ['1000 ports from a white-listed source', '{ scan: { 8001: { action: { block-ip: { track-by: source, duration: 60 } } } }, scan-white-list: { me: { ipv4: 198.18.0.0/28 } } }',
      i => [syn(1 + i), T0 + i * 100], 1000],
  ]
  for (const [what, profile, mk, n] of cases) {
    const { e, threats } = engine(profile)
    let dropped = 0
    for (let i = 0; i < n; i++) { const [f, at] = mk(i); if (e.process(f, 0, at).action !== 'forward') dropped++ }
    t.same([threats.length, dropped, e.counters().flow_zp_scan_alarm], [0, 0, 0], what)
  }
  // The same 100 ports within the interval do trigger (so the spread case is not vacuous), and a source outside the white list does too.
  const { e, threats } = engine('{ scan: { 8001: {} }, scan-white-list: { me: { ipv4: 198.18.0.9 } } }')
  for (let i = 0; i < 100; i++) e.process(syn(1 + i), 0, T0 + i * 19_000)
  t.equal(threats.length, 1, '100 ports within 1.9 s from 198.18.0.1 (not the white-listed 198.18.0.9) trigger')
})

t.test('block: the trigger and every later packet from the source to that destination are dropped for the rest of the interval', async t => {
  const { e, threats, traces } = engine('{ scan: { 8001: { action: block, threshold: 10, interval: 4 } } }', true)
  // An established connection to the scanned host, opened before the scan.
  t.equal(e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 100, flags: 'S' } }), 0, T0).action, 'forward')
  e.process(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 22, dport: 5000, seq: 700, ack: 101, flags: 'S.' } }), 1, T0 + 1)
  e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 101, ack: 701, flags: '.' } }), 0, T0 + 2)
  const res: string[] = []
  for (let i = 0; i < 10; i++) res.push(e.process(syn(100 + i), 0, T0 + S + i * 1000).action) // the window opens at T0 (port 22)
  t.same(res, [...Array(8).fill('forward'), 'drop', 'drop'], 'port 22 and 8 more pass; the 10th distinct port is dropped, so is the next one')
  t.equal(threats.length, 1)
  t.match(threats[0], { subtype: 'scan', threatId: 8001, action: 'drop', events: 10, dport: 108 })
  t.equal(e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 101, ack: 701, flags: 'P.' }, payload: 4 }), 0, T0 + 2 * S).reason, 'flow_zp_scan_drop',
    'a packet of the established connection to that host is dropped too')
  t.equal(e.process(c2s({ udp: { sport: 1, dport: 53 } }), 0, T0 + 2 * S).reason, 'flow_zp_scan_drop', 'so is UDP to that host')
  t.equal(e.process(c2s({ dst: '198.18.1.3', tcp: { sport: 1, dport: 80, seq: 1, flags: 'S' } }), 0, T0 + 2 * S).action, 'forward', 'another destination is not blocked')
  t.equal(e.process(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 22, dport: 5000, seq: 701, ack: 101, flags: 'P.' }, payload: 4 }), 1, T0 + 2 * S).action,
    'forward', 'the destination\'s replies enter another zone: not blocked')
  t.equal(e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 101, ack: 705, flags: 'P.' }, payload: 4 }), 0, T0 + 4 * S - 1).reason, 'flow_zp_scan_drop', 'still blocked 1 µs before the interval ends')
  t.equal(e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 101, ack: 705, flags: 'P.' }, payload: 4 }), 0, T0 + 4 * S).action, 'forward', 'the interval is over: forwarded again')
  t.equal(e.counters().flow_zp_scan_drop, 5)
  const alarm = traces.find(x => x.kind === 'zp-scan-alarm')
  t.match(alarm, { kind: 'zp-scan-alarm', threat: 'TCP Port Scan', threatId: 8001, zone: 'trust', profile: 'p', events: 10, intervalS: 4, action: 'drop', untilUs: T0 + 4 * S })
  t.ok(traces.some(x => x.kind === 'zp-scan-drop' && x.trigger), 'the trigger\'s drop is traced')
  t.ok(traces.some(x => x.kind === 'zp-scan-drop' && !x.trigger && x.threat === 'TCP Port Scan'), 'a later drop names the block')
})

t.test('block-ip: track-by source drops everything from the source, track-by source-and-destination only to that host, for duration', async t => {
  for (const track of ['source', 'source-and-destination'] as const) {
    const { e, threats } = engine(`{ scan: { 8001: { action: { block-ip: { track-by: ${track}, duration: 30 } }, threshold: 5 } } }`)
    // An established connection from the scanner, opened before the scan (no tracing here: the fast path is on).
    const data = (seq: number, at: number): string => e.process(c2s({ tcp: { sport: 5000, dport: 22, seq, ack: 701, flags: 'P.' }, payload: 4 }), 0, at).action
    e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 100, flags: 'S' } }), 0, T0 - S)
    e.process(buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 22, dport: 5000, seq: 700, ack: 101, flags: 'S.' } }), 1, T0 - S + 1)
    e.process(c2s({ tcp: { sport: 5000, dport: 22, seq: 101, ack: 701, flags: '.' } }), 0, T0 - S + 2)
    t.equal(data(101, T0 - S + 3), 'forward')
    for (let i = 0; i < 4; i++) e.process(syn(1 + i), 0, T0 + i) // port 22 was the first event (1 s earlier, the same 2 s window)
    t.equal(data(105, T0 + 5), 'drop', `${track}: the established connection is blocked too (it never took the fast path)`)
    t.equal(e.fastPathPackets, 0, 'sessions of a zone whose profile blocks on scans skip the fast path')
    t.match(threats, [{ threatId: 8001, action: 'block-ip', events: 5, dport: 4 }], `${track}: one log`)
    const same = (at: number): string => e.process(c2s({ udp: { sport: 9, dport: 9 } }), 0, at).action
    const other = (at: number): string => e.process(c2s({ dst: '198.18.1.77', icmp: { type: 8, code: 0, id: 1, seqNo: 1 } }), 0, at).action
    const elsewhere = (at: number): string => e.process(c2s({ src: '198.18.0.2', udp: { sport: 9, dport: 9 } }), 0, at).action
    t.same([same(T0 + 10 * S), other(T0 + 10 * S), elsewhere(T0 + 10 * S)], ['drop', track === 'source' ? 'drop' : 'forward', 'forward'],
      `${track}: 10 s later (past the 2 s interval): to the scanned host dropped, to another host ${track === 'source' ? 'dropped' : 'forwarded'}, another source forwarded`)
    t.same([same(T0 + 3 + 30 * S - 1), same(T0 + 3 + 30 * S)], ['drop', 'forward'], `${track}: blocked for 30 s from the trigger, then forwarded`)
  }
})

t.test('host sweep counts distinct destination hosts (any protocol); UDP port scan counts UDP ports only; IP protocol scan counts protocols', async t => {
  const sweep = engine('{ scan: { 8002: { threshold: 10 } } }')
  for (let i = 0; i < 30; i++) sweep.e.process(syn(1 + i), 0, T0 + i * 1000) // 30 ports, one host: no sweep
  t.equal(sweep.threats.length, 0, 'many ports on one host is not a host sweep')
  for (let i = 0; i < 8; i++) {
    const dst = `198.18.1.${10 + i}`
    const spec = i % 3 === 0 ? { tcp: { sport: 2000 + i, dport: 80, seq: 1, flags: 'S' } } : i % 3 === 1 ? { udp: { sport: 2000 + i, dport: 53 } } : { icmp: { type: 8, code: 0, id: i, seqNo: 1 } }
    sweep.e.process(c2s({ dst, ...spec } as Partial<FrameSpec>), 0, T0 + S + i * 1000)
    sweep.e.process(c2s({ dst, udp: { sport: 3000 + i, dport: 54 } }), 0, T0 + S + i * 1000 + 1) // the same host again: no new event
  }
  t.equal(sweep.threats.length, 0, 'the first host and 8 new ones (TCP, UDP, ICMP; each hit twice) make 9 distinct hosts: no sweep yet')
  t.equal(sweep.e.process(c2s({ dst: '198.18.1.2', udp: { sport: 1, dport: 1 } }), 0, T0 + 2 * S).action, 'forward')
  t.equal(sweep.threats.length, 0, 'the first host again counts nothing')
  sweep.e.process(c2s({ dst: '198.18.1.99', proto: 47, payload: 8 } as Partial<FrameSpec>), 0, T0 + 2 * S)
  t.match(sweep.threats, [{ subtype: 'scan', threatId: 8002, signature: 'Host Sweep', action: 'alert', events: 10, intervalS: 10, dst: '198.18.1.99' }], 'the 10th host (GRE) logs a host sweep')

  const udp = engine('{ scan: { 8003: { threshold: 10 } } }')
  for (let i = 0; i < 50; i++) udp.e.process(syn(1 + i), 0, T0 + i * 1000)
  t.equal(udp.threats.length, 0, 'TCP SYNs are not UDP port scan events')
  for (let i = 0; i < 10; i++) udp.e.process(c2s({ udp: { sport: 5353, dport: 1000 + i } }), 0, T0 + S + i * 1000)
  t.match(udp.threats, [{ threatId: 8003, signature: 'UDP Port Scan', proto: 'udp', dport: 1009, events: 10, intervalS: 2 }])

  const prot = engine('{ scan: { 8006: { threshold: 4 } } }')
  const protos: Array<Partial<FrameSpec>> = [{ tcp: { sport: 1, dport: 2, seq: 1, flags: 'S' } }, { udp: { sport: 1, dport: 2 } }, { udp: { sport: 1, dport: 3 } },
    { icmp: { type: 8, code: 0, id: 1, seqNo: 1 } }, { proto: 47, payload: 8 } as Partial<FrameSpec>]
  protos.forEach((p, i) => prot.e.process(c2s(p), 0, T0 + i * 1000))
  t.match(prot.threats, [{ threatId: 8006, signature: 'IP Protocol Scan', proto: 'gre', events: 4 }], 'tcp, udp, icmp, gre: the 4th protocol')
})

t.test('a packet matching a session is no event; TCP without SYN is none either; types count independently from one packet', async t => {
  const { e, threats } = engine('{ scan: { 8001: { threshold: 5 }, 8002: { threshold: 5 }, 8006: { threshold: 2 } } }')
  e.process(syn(80), 0, T0)
  for (let i = 0; i < 20; i++) e.process(syn(80), 0, T0 + 1 + i) // retransmissions match the session
  for (let i = 0; i < 20; i++) e.process(c2s({ tcp: { sport: 7, dport: 1000 + i, seq: 5, ack: 9, flags: '.' } }), 0, T0 + 100 + i) // non-SYN, no session
  t.equal(threats.length, 0)
  for (let i = 0; i < 4; i++) e.process(c2s({ dst: `198.18.1.${20 + i}`, tcp: { sport: 3000 + i, dport: 81 + i, seq: 1, flags: 'S' } }), 0, T0 + 1000 + i)
  t.same(threats.map(x => x.threatId), [8001, 8002], 'the 5th port and the 5th host, on the same SYN: two logs')
  e.process(c2s({ udp: { sport: 1, dport: 2 } }), 0, T0 + 2000)
  t.same(threats.map(x => x.threatId), [8001, 8002, 8006])
})

t.test('bounded state: a threshold above the per-source set (256) still triggers, counting past the cap (flow_zp_scan_set_full); thousands of sources fit in the table or are counted', async t => {
  const { e, threats } = engine('{ scan: { 8001: { threshold: 300 } } }')
  for (let i = 0; i < 299; i++) e.process(syn(1 + i), 0, T0 + i * 100)
  t.equal(threats.length, 0)
  e.process(syn(300), 0, T0 + 30_000)
  t.equal(threats.length, 1, 'the 300th port')
  t.equal(e.counters().flow_zp_scan_set_full, 44, 'ports 257–300 were counted without the distinctness check')
  const many = engine('{ scan: { 8002: { threshold: 100 } } }')
  for (let i = 0; i < 5000; i++) many.e.process(c2s({ src: `198.18.0.${i % 250}`, dst: '198.18.1.2', udp: { sport: 1000 + Math.floor(i / 250), dport: 53 } }), 0, T0 + i)
  t.equal(many.e.counters().flow_zp_scan_table_full, 0, '250 sources fit')
  // 3000 sources (a /20 of spoofed addresses) in 10 s: more than the 2048 slots.
  const spoof = loadPolicyText(POLICY('{ scan: { 8002: { threshold: 100 } } }').replace('198.18.0.0/24', '10.0.0.0/8'), 'x.yaml')
  const se = new Engine({ policy: spoof, portNames: ['eth0', 'eth1'] })
  for (let i = 0; i < 3000; i++) se.process(c2s({ src: `10.0.${i >> 8}.${i & 255}`, udp: { sport: 1, dport: 53 } }), 0, T0 + i)
  t.ok(se.counters().flow_zp_scan_table_full > 0, `a full table is counted (${se.counters().flow_zp_scan_table_full})`)
})

t.test('CSV: the threat line has subtype scan and Threat ID "TCP Port Scan(8001)"', async t => {
  const { e, threats } = engine('{ scan: { 8001: { threshold: 3, action: block } } }')
  for (let i = 0; i < 3; i++) e.process(syn(1 + i), 0, T0 + i)
  const f = new PanosLogFormatter({ wallMs: (us: number) => us / 1000 })
  const row = f.threatCsv(threats[0]!).split(',')
  t.equal(row[3], 'THREAT')
  t.equal(row[4], 'scan')
  t.equal(row[7], '198.18.0.1')
  t.equal(row[8], '198.18.1.2')
  t.equal(row[16], 'trust')
  t.equal(row[22], '0', 'session id 0')
  t.equal(row[25], '3', 'destination port of the triggering probe')
  t.equal(row[29], 'tcp')
  t.equal(row[30], 'drop')
  t.equal(row[32], 'TCP Port Scan(8001)')
  t.equal(row[34], 'critical')
})

function rstlab (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'bin', 'rstlab.js'), ...args], { env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

t.test('replay of a crafted capture: a port scan with the server\'s RSTs, then a block-ip; in process and `rstlab replay --log-format csv`', async t => {
  const dir = t.testdir({ 'scan.yaml': POLICY('{ scan: { 8001: { action: { block-ip: { track-by: source, duration: 5 } }, threshold: 20 } } }') })
  const frames: Array<{ tsUs: number, linkType: number, data: Buffer }> = []
  let ts = 1_700_000_000 * S
  for (let i = 0; i < 30; i++) {
    ts += 20_000
    frames.push({ tsUs: ts, linkType: 1, data: syn(1 + i) })
    // The target answers each probe that reaches it with RST-ACK (a closed port).
    frames.push({ tsUs: ts + 100, linkType: 1, data: buildFrame({ srcMac: SMAC, dstMac: CMAC, src: '198.18.1.2', dst: '198.18.0.1', tcp: { sport: 1 + i, dport: 40000 + ((1 + i) % 20000), seq: 0, ack: 2, flags: 'R.' } }) })
  }
  frames.push({ tsUs: ts + 6 * S, linkType: 1, data: syn(443) })
  const file = path.join(dir, 'scan.pcap')
  writeFileSync(file, encodePcap(frames))
  const threats: ThreatLogRecord[] = []
  const s = await replayFile(file, { policy: loadPolicyText(POLICY('{ scan: { 8001: { action: { block-ip: { track-by: source, duration: 5 } }, threshold: 20 } } }'), 'scan.yaml'), hooks: { threatLog: r => { threats.push(r) } } })
  t.equal(threats.length, 1)
  t.match(threats[0], { subtype: 'scan', threatId: 8001, action: 'block-ip', dport: 20, events: 20 })
  // 19 probes and their RSTs pass; the 20th probe (the trigger) and probes 21–30 are dropped, their RSTs never come (nothing reached the host): 11 drops;
  // the RSTs for 20–30 are in the capture and enter untrust, where no session matches them.
  t.equal(s.counters.flow_zp_scan_drop, 11)
  t.equal(s.frames.in, 61)
  const r = await rstlab('replay', file, '--policy', path.join(dir, 'scan.yaml'), '--log-format', 'csv', '--log', path.join(dir, 'log.csv'), '--summary', 'json')
  t.equal(r.code, 0, r.stderr)
  const { readFileSync } = await import('node:fs')
  const lines = readFileSync(path.join(dir, 'log.csv'), 'utf8').split('\n').filter(l => l.includes(',THREAT,'))
  t.equal(lines.length, 1)
  t.match(lines[0], /,THREAT,scan,.*,198\.18\.0\.1,198\.18\.1\.2,.*,block-ip,.*TCP Port Scan\(8001\)/)
  t.equal(s.frames.forwarded, 19 + 19 + 1, 'after the 5 s the source\'s next SYN is forwarded')
})
