import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { readCaptureBuffer, encodePcap, PcapngWriter } from '../../src/pcap/index.js'
import { replayFile, replayRecords } from '../../src/ingress/replay.js'
import { loadPolicyFile, loadPolicyText } from '../../src/policy/load.js'
import { buildFrame } from '../../src/wire/build.js'
import { REPO_ROOT, PCAP_DIR, sharedCaptures } from '../helpers/shared.js'
import { RAW_FIELD_OPTS, mapLimit, requireTshark, tsharkFields } from '../helpers/tshark.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const ALLOW_ALL = path.join(REPO_ROOT, 'policies', 'allow-all.yaml')

interface Run { code: number, stdout: string, stderr: string }
function rstlab (...args: string[]): Promise<Run> {
  return new Promise(resolve => {
    // Without tap's NODE_OPTIONS hooks (they make each spawn several times slower).
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

/** reset-client on web ports, allow the rest; forged TTL / hop limit set away from any capture's values. */
const RESET_WEB = `
settings:
  emulator:
    forged-ttl: 77
    forged-hop-limit: 99
rules:
  - name: reset-web
    service: [tcp/80, tcp/8000]
    action: reset-client
  - name: allow-rest
    action: allow
`

t.test('every shared capture replays under allow-all without a crash', async t => {
  const policy = loadPolicyFile(ALLOW_ALL)
  const dir = t.testdir({})
  for (const f of sharedCaptures()) {
    const name = path.basename(f)
    const { records } = readCaptureBuffer(readFileSync(f))
    const outFile = path.join(dir, `${name}.pcapng`)
    const out = await PcapngWriter.open(outFile)
    const s = await replayFile(f, { policy, out })
    await out.close()
    t.equal(s.frames.in, records.length, `${name}: all ${records.length} frames in`)
    t.equal(s.frames.forwarded + s.frames.dropped, s.frames.in, `${name}: each frame forwarded or dropped`)
    const written = readCaptureBuffer(readFileSync(outFile)).records
    t.equal(written.length, s.frames.forwarded + s.frames.forged, `${name}: --out holds forwarded + forged frames`)
    t.equal(new Set(s.sessions.map(x => x.id)).size, s.sessions.length, `${name}: session ids unique`)
    t.ok(s.sessions.every(x => (x.endReason === null) === (x.state !== 'CLOSED')), `${name}: open sessions have no end reason, ended ones do`)
  }
})

t.test('the replay CLI on a few captures of each link type: exit 0, JSON summary shape', async t => {
  const files = ['zeek__web.pcap', 'suricata-verify__http-ipv6__input.pcap', 'tcpdump__tcp-handshake-nano.pcap',
    'suricata-verify__tcp-empty-sack__tcp-opt.pcap', 'suricata-verify__decode-sll2-01__input.pcap', 'zeek__vlan-pcp-dei.pcapng']
  const runs = await mapLimit(files, 2, async f => await rstlab('replay', path.join(PCAP_DIR, f), '--policy', ALLOW_ALL, '--summary', 'json'))
  runs.forEach((r, i) => {
    t.equal(r.code, 0, `${files[i]}: exit 0 (${r.stderr.slice(0, 200)})`)
    const j = JSON.parse(r.stdout) as { counters: Record<string, number>, sessions: Array<Record<string, unknown>>, frames: Record<string, number> }
    t.same(Object.keys(j), ['counters', 'sessions', 'frames', 'endOfInput'])
    t.same(Object.keys(j.frames), ['in', 'forwarded', 'dropped', 'forged'])
    t.equal(j.counters.pkt_recv, j.frames.in, `${files[i]}: pkt_recv counts every frame`)
    for (const s of j.sessions) {
      t.hasOwnProps(s, ['id', 'proto', 'src', 'sport', 'dst', 'dport', 'from', 'to', 'application', 'rule', 'action', 'state', 'endReason', 'packets', 'bytes'])
    }
  })
  const text = await rstlab('replay', path.join(PCAP_DIR, files[0]!), '--policy', ALLOW_ALL)
  t.equal(text.code, 0)
  t.match(text.stdout, /^Replay of .*zeek__web\.pcap: 24 frames[\s\S]*Sessions: 2[\s\S]*Global counters:/)
})

t.test('reset-client: forged RSTs in --out with seq 0, ack = SYN seq + 1, the firewall TTL, and a comment', async t => {
  const dir = t.testdir({ 'reset-web.yaml': RESET_WEB })
  const policyFile = path.join(dir, 'reset-web.yaml')
  const cases = [
    // [capture, link type of forged frames, IP version]
    ['zeek__web.pcap', 1, 4],
    ['suricata-verify__http-ipv6__input.pcap', 101, 6], // NULL/loopback in, raw IPv6 out
    ['tcpdump__tcp-handshake-nano.pcap', 101, 4], // Linux SLL, ns timestamps
  ] as const
  const haveTshark = requireTshark(t)
  for (const [name, forgedLink, ver] of cases) {
    const input = path.join(PCAP_DIR, name)
    const outFile = path.join(dir, `${name}.out.pcapng`)
    const r = await rstlab('replay', input, '--policy', policyFile, '--out', outFile, '--summary', 'json', '--log', path.join(dir, `${name}.log`))
    t.equal(r.code, 0, `${name}: exit 0 ${r.stderr}`)
    const summary = JSON.parse(r.stdout) as { frames: { forged: number, forwarded: number }, sessions: Array<{ rule: string, action: string, state: string }> }
    t.ok(summary.frames.forged >= 1, `${name}: at least one RST forged`)
    t.ok(summary.sessions.some(s => s.rule === 'reset-web' && s.action === 'reset-client'), `${name}: the session matched reset-web`)

    const inRecs = readCaptureBuffer(readFileSync(input)).records
    const outRecs = readCaptureBuffer(readFileSync(outFile)).records
    t.equal(outRecs.length, summary.frames.forwarded + summary.frames.forged)
    const forged = outRecs.filter(x => x.comment !== undefined)
    t.equal(forged.length, summary.frames.forged, `${name}: every forged frame carries a comment`)
    t.ok(forged.every(x => x.linkType === forgedLink), `${name}: forged frames are link type ${forgedLink}`)
    t.ok(forged.every(x => /rule=reset-web action=reset-client trigger=/.test(x.comment!)), `${name}: comment names rule, action, trigger`)
    // Forwarded frames are the input frames, byte for byte (the first SYN is answered, not forwarded).
    const fwd = outRecs.filter(x => x.comment === undefined)
    t.ok(fwd.every(o => inRecs.some(i => i.tsUs === o.tsUs && i.data.equals(o.data))), `${name}: forwarded frames unchanged`)

    if (!haveTshark) continue
    const fields = ['frame.number', 'frame.comment', 'ip.src', 'ip.dst', 'ip.ttl', 'ipv6.src', 'ipv6.dst', 'ipv6.hlim',
      'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.checksum.status', 'ip.checksum.status']
    const inRows = await tsharkFields(input, fields, RAW_FIELD_OPTS)
    const outRows = await tsharkFields(outFile, fields, ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', ...RAW_FIELD_OPTS])
    const syns = inRows.filter(x => x['tcp.flags']![0] === '0x0002' && ['80', '8000'].includes(x['tcp.dstport']![0]!))
    const rsts = outRows.filter(x => x['frame.comment']!.length > 0)
    t.ok(rsts.length >= 1 && syns.length >= 1, `${name}: tshark sees the SYN(s) and the forged RST(s)`)
    for (const rst of rsts) {
      const a = ver === 4 ? 'ip' : 'ipv6'
      // The SYN this RST answers: same endpoints, reversed.
      const syn = syns.find(x => x[`${a}.src`]![0] === rst[`${a}.dst`]![0] && x['tcp.srcport']![0] === rst['tcp.dstport']![0])
      t.ok(syn !== undefined, `${name}: RST ${rst['frame.number']![0]} answers a SYN`)
      if (syn === undefined) continue
      t.equal(rst[`${a}.src`]![0], syn[`${a}.dst`]![0], 'spoofed from the server')
      t.equal(rst['tcp.srcport']![0], syn['tcp.dstport']![0])
      t.equal(rst['tcp.flags']![0], '0x0014', 'RST|ACK')
      t.equal(rst['tcp.seq']![0], '0', 'seq 0')
      t.equal(rst['tcp.ack']![0], String((Number(syn['tcp.seq']![0]) + 1) >>> 0), 'ack = SYN seq + 1')
      t.equal(rst[ver === 4 ? 'ip.ttl' : 'ipv6.hlim']![0], ver === 4 ? '77' : '99', 'the firewall\'s own TTL / hop limit')
      t.same(rst['tcp.checksum.status'], ['1'], 'TCP checksum good')
      if (ver === 4) t.same(rst['ip.checksum.status'], ['1'], 'IP checksum good')
    }
  }
})

t.test('capture time drives the timers: a UDP session ages out between two packets 31 s apart', async t => {
  const udp = (ts: number, sport: number): { tsUs: number, linkType: number, data: Buffer } =>
    ({ tsUs: ts, linkType: 1, data: buildFrame({ src: '198.18.0.1', dst: '198.18.1.1', udp: { sport, dport: 53 }, payload: 10 }) })
  const T = 1700000000000000
  const dir = t.testdir({ 'in.pcap': encodePcap([udp(T, 1000), udp(T + 1_000_000, 1000), udp(T + 32_000_000, 2000)]) })
  const policy = loadPolicyFile(ALLOW_ALL)
  const logs: Array<{ sessionId: number, endReason: string, startUs: number, elapsedS: number }> = []
  const s = await replayFile(path.join(dir, 'in.pcap'), { policy, hooks: { trafficLog: r => { logs.push(r) } } })
  t.same(s.sessions.map(x => [x.id, x.state, x.endReason, x.packets.c2s]), [[1, 'CLOSED', 'aged-out', 2], [2, 'CLOSED', 'aged-out', 1]],
    'session 1 aged out (udp timeout 30 s) before the third packet; session 2 after the input ended (the clock runs on)')
  t.same(logs.map(l => l.sessionId), [1, 2], 'two traffic-log records, in the order the sessions aged out')
  t.equal(s.counters.session_aged_out, 2)
  t.same(s.endOfInput, { untilUs: T + 62_000_000, sessionsEnded: 1 }, 'the clock ran on 30 s past the last frame for the one open session')

  // The CLI writes those records as pino lines stamped with capture time, not the wall clock.
  const log = path.join(dir, 'traffic.log')
  const r = await rstlab('replay', path.join(dir, 'in.pcap'), '--policy', ALLOW_ALL, '--log', log, '--trace')
  t.equal(r.code, 0)
  const lines = readFileSync(log, 'utf8').trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>)
  t.equal(lines.length, 2)
  t.match(lines[0], { type: 'TRAFFIC', endReason: 'aged-out', msg: 'traffic', time: Math.floor((T + 31_000_000) / 1000) })
  t.match(lines[1], { type: 'TRAFFIC', endReason: 'aged-out', msg: 'traffic', time: Math.floor((T + 62_000_000) / 1000) })
  t.match(r.stdout, /end of input: 1 session\(s\) still open; the clock ran on 30\.000 s past the last frame/, 'the summary says so')
  t.match(r.stdout, /age: session 1 idle 30s/, 'the trace shows the age-out')
})

t.test('in-process replay of records (scenario/bridge style) with no output', async t => {
  const policy = loadPolicyText('rules: [{ name: deny-all, action: deny }]\n', '<inline>')
  const recs = [0, 1].map(i => ({
    n: i + 1, tsUs: i, tsNsRem: 0, linkType: 1, interfaceId: 0, caplen: 0, origLen: 0, offset: 0,
    data: buildFrame({ src: '198.18.0.1', dst: '198.18.1.1', tcp: { sport: 1, dport: 2, flags: 'S', seq: 5 } }),
  }))
  const s = await replayRecords(recs, { policy })
  t.same(s.frames, { in: 2, forwarded: 0, dropped: 2, forged: 0 }, 'deny drops silently')
  t.equal(s.sessions[0]?.rule, 'deny-all')
  t.equal(s.sessions[0]?.endReason, 'policy-deny', 'the discarded session is logged once it ages out after the input')
})

t.test('bad arguments and files exit 2 with a message', async t => {
  const dir = t.testdir({ 'bad.yaml': 'rules: [{ name: x, action: explode }]\n', 'text.pcap': 'not a capture' })
  const web = path.join(PCAP_DIR, 'zeek__web.pcap')
  const cases: Array<[string, string[], RegExp]> = [
    ['missing --policy', ['replay', web], /Missing required argument: policy/],
    ['missing policy file', ['replay', web, '--policy', path.join(dir, 'nope.yaml')], /cannot read policy file/],
    ['invalid policy', ['replay', web, '--policy', path.join(dir, 'bad.yaml')], /bad\.yaml/],
    ['missing capture', ['replay', path.join(dir, 'nope.pcap'), '--policy', ALLOW_ALL], /no such file/],
    ['not a capture', ['replay', path.join(dir, 'text.pcap'), '--policy', ALLOW_ALL], /not a pcap or pcapng capture/],
    ['unwritable --out', ['replay', web, '--policy', ALLOW_ALL, '--out', path.join(dir, 'no', 'dir', 'o.pcapng')], /cannot write capture/],
    ['bad --summary', ['replay', web, '--policy', ALLOW_ALL, '--summary', 'xml'], /Invalid values/],
  ]
  const runs = await mapLimit(cases, 2, async ([, args]) => await rstlab(...args))
  cases.forEach(([name, , re], i) => {
    t.equal(runs[i]!.code, 2, `${name}: exit 2`)
    t.match(runs[i]!.stderr, re, `${name}: says why`)
    t.notMatch(runs[i]!.stderr, /internal error|    at /, `${name}: no stack trace`)
  })
})
