/**
 * `rstlab replay --commit TIME=POLICY[:rematch]`: a policy change at a capture time, through the
 * engine's setPolicy (the scenario `commit` step's path). The capture is crafted here, so what must
 * happen follows from its construction: one connection to port 80 with data before and after the
 * commit, then a new connection to port 80 after it.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { encodePcap, readCaptureBuffer } from '../../src/pcap/index.js'
import { buildFrame } from '../../src/wire/build.js'
import { checkCommitOrder, replayRecords } from '../../src/ingress/replay.js'
import { parseCommit } from '../../src/cli/commands/replay.js'
import { loadPolicyText } from '../../src/policy/load.js'
import { REPO_ROOT } from '../helpers/shared.js'
import { RAW_FIELD_OPTS, requireTshark, tsharkFields } from '../helpers/tshark.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const ALLOW_ALL = path.join(REPO_ROOT, 'policies', 'allow-all.yaml')

interface Run { code: number, stdout: string, stderr: string }
function rstlab (...args: string[]): Promise<Run> {
  return new Promise(resolve => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

/** After the commit: web is reset on both sides, with a forged TTL no capture frame has. */
const RESET_WEB = `
settings: { emulator: { forged-ttl: 77 } }
rules:
  - { name: reset-web, service: [tcp/80], action: reset-both }
  - { name: allow-rest, action: allow }
`

const T = 1_700_000_000_000_000
const C = '198.18.0.1'
const S = '198.18.1.1'
type Flags = string
function tcp (dt: number, toServer: boolean, sport: number, flags: Flags, seq: number, ack: number, payload = 0): { tsUs: number, linkType: number, data: Buffer } {
  const [src, dst, sp, dp] = toServer ? [C, S, sport, 80] : [S, C, 80, sport]
  return {
    tsUs: T + dt,
    linkType: 1,
    data: buildFrame({ src, dst, ttl: toServer ? 64 : 54, tcp: { sport: sp, dport: dp, flags, seq, ack, window: 64000 }, payload }),
  }
}

/** Connection A (port 40000): handshake, data at 1 s, data at 3 s; connection B (port 40001): a SYN at 5 s. */
const CAPTURE = [
  tcp(0, true, 40000, 'S', 1000, 0),
  tcp(10_000, false, 40000, 'S.', 5000, 1001),
  tcp(11_000, true, 40000, '.', 1001, 5001),
  tcp(1_000_000, true, 40000, 'P.', 1001, 5001, 10),
  tcp(1_010_000, false, 40000, '.', 5001, 1011),
  tcp(3_000_000, true, 40000, 'P.', 1011, 5001, 10),
  tcp(3_010_000, false, 40000, '.', 5001, 1021),
  tcp(5_000_000, true, 40001, 'S', 7000, 0),
]

t.test('a commit with rematch resets the open connection at its time; without rematch it carries on', async t => {
  const dir = t.testdir({ 'in.pcap': encodePcap(CAPTURE), 'reset-web.yaml': RESET_WEB })
  const input = path.join(dir, 'in.pcap')
  const policyB = path.join(dir, 'reset-web.yaml')
  const haveTshark = requireTshark(t)

  // With rematch, 2 s after the first frame.
  const outR = path.join(dir, 'rematch.pcapng')
  const r = await rstlab('replay', input, '--policy', ALLOW_ALL, '--commit', `2=${policyB}:rematch`, '--out', outR, '--summary', 'json')
  t.equal(r.code, 0, r.stderr)
  const jr = JSON.parse(r.stdout) as {
    frames: Record<string, number>
    sessions: Array<{ id: number, rule: string, endReason: string, packets: { c2s: number, s2c: number } }>
    commits: Array<{ atUs: number, rematch: boolean, forged: number }>
  }
  t.same(jr.commits.map(c => [c.atUs, c.rematch, c.forged]), [[T + 2_000_000, true, 2]], 'applied at first frame + 2 s, two RSTs (reset-both)')
  t.equal(jr.sessions[0]!.endReason, 'policy-deny', 'the open session ends policy-deny')
  t.equal(jr.sessions[0]!.rule, 'reset-web', 'it now carries the rule that blocked it')
  t.equal(jr.sessions[1]!.rule, 'reset-web', 'the new connection meets the new policy')
  // 5 frames forwarded before the commit; the two data frames after it dropped, and the new SYN reset.
  t.equal(jr.frames.forwarded, 5)
  t.equal(jr.frames.dropped, 3)
  const recs = readCaptureBuffer(readFileSync(outR)).records
  const forged = recs.filter(x => x.comment !== undefined)
  t.same(forged.slice(0, 2).map(x => x.tsUs), [T + 2_000_000, T + 2_000_000], 'the rematch RSTs are stamped with the commit time')
  t.ok(forged.slice(0, 2).every(x => /action=reset-both/.test(x.comment!)), 'their comments name the action')
  if (haveTshark) {
    const rows = await tsharkFields(outR, ['frame.time_epoch', 'ip.src', 'ip.dst', 'ip.ttl', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.srcport'],
      RAW_FIELD_OPTS)
    const rst = rows.filter(x => x['ip.ttl']![0] === '77' && x['tcp.srcport']![0] !== '' && x['frame.time_epoch']![0]!.startsWith('1700000002.'))
    const toClient = rst.find(x => x['ip.dst']![0] === C)
    const toServer = rst.find(x => x['ip.dst']![0] === S)
    // By construction: the server's next byte is 5001, the client's 1011 (10 bytes sent after 1001).
    t.same(toClient && [toClient['ip.src']![0], toClient['tcp.flags']![0], toClient['tcp.seq']![0], toClient['tcp.ack']![0]], [S, '0x0014', '5001', '1011'],
      'RST to the client, from the server, at the server\'s next sequence number')
    t.same(toServer && [toServer['ip.src']![0], toServer['tcp.flags']![0], toServer['tcp.seq']![0], toServer['tcp.ack']![0]], [C, '0x0014', '1011', '5001'],
      'RST to the server, from the client, at the client\'s next sequence number')
  }

  // Without rematch: the open session keeps its rule; only the new connection is reset.
  const outN = path.join(dir, 'norematch.pcapng')
  const n = await rstlab('replay', input, '--policy', ALLOW_ALL, '--commit', `2=${policyB}`, '--out', outN, '--summary', 'json')
  t.equal(n.code, 0, n.stderr)
  const jn = JSON.parse(n.stdout) as typeof jr
  t.same(jn.commits.map(c => [c.atUs, c.rematch, c.forged]), [[T + 2_000_000, false, 0]], 'applied, nothing forged')
  t.equal(jn.sessions[0]!.rule, 'allow-all', 'the open session keeps the rule it matched')
  t.not(jn.sessions[0]!.endReason, 'policy-deny')
  t.equal(jn.sessions[1]!.rule, 'reset-web', 'the new connection meets the new policy')
  t.equal(jn.frames.forwarded, 7)
  const recsN = readCaptureBuffer(readFileSync(outN)).records
  t.ok(recsN.filter(x => x.comment !== undefined).every(x => x.tsUs === T + 5_000_000), 'every forged frame answers the SYN at 5 s')

  // The same commit as an absolute capture time gives the same result; --trace shows it.
  const a = await rstlab('replay', input, '--policy', ALLOW_ALL, '--commit', `@1700000002=${policyB}:rematch`, '--trace')
  t.equal(a.code, 0, a.stderr)
  t.match(a.stdout, /policy: commit @1700000002=.*reset-web\.yaml:rematch \(open sessions matched again\), 2 frame\(s\) forged/)
  t.match(a.stdout, /rematch: session 1 now matches rule reset-web \(reset-both\)/)
  t.match(a.stdout, /frames: in 8, forwarded 5, dropped 3/)
})

t.test('a commit after the last frame applies while the clock runs on; two commits apply in order', async t => {
  const before = loadPolicyText('rules: [{ name: allow-all, action: allow }]\n', '<a>')
  const after = loadPolicyText(RESET_WEB, '<b>')
  const recs = CAPTURE.slice(0, 5).map((f, i) => ({ ...f, n: i + 1, tsNsRem: 0, interfaceId: 0, caplen: f.data.length, origLen: f.data.length, offset: 0 }))
  const s = await replayRecords(recs, {
    policy: before,
    commits: [
      { timeUs: 1_005_000, absolute: false, policy: after, rematch: false, label: 'first' },
      { timeUs: 10_000_000, absolute: false, policy: after, rematch: true, label: 'second' },
    ],
  })
  t.same(s.commits.map(c => [c.label, c.atUs, c.forged]), [['first', T + 1_005_000, 0], ['second', T + 10_000_000, 2]],
    'the first between two frames, the second 9 s after the last frame: the session is still open then and is reset')
  t.equal(s.sessions[0]!.endReason, 'policy-deny')
  t.same(s.frames, { in: 5, forwarded: 5, dropped: 0, forged: 2 })
})

t.test('bad --commit arguments exit 2 naming the problem; nothing is replayed or written', async t => {
  const dir = t.testdir({
    'in.pcap': encodePcap(CAPTURE),
    'reset-web.yaml': RESET_WEB,
    'bad.yaml': 'rules: [{ name: x, action: explode }]\n',
  })
  const input = path.join(dir, 'in.pcap')
  const good = path.join(dir, 'reset-web.yaml')
  const bad = path.join(dir, 'bad.yaml')
  const out = path.join(dir, 'out.pcapng')
  // Through the CLI: exit 2, a message and a hint on stderr, no summary, no --out file.
  const cli: Array<[string, string[], RegExp]> = [
    ['bad time', [`soon=${good}`], /--commit soon=.*: `soon` is not a time in seconds/],
    ['invalid policy', [`2=${good}`, `3=${bad}:rematch`], /--commit 3=.*bad\.yaml:rematch: .*bad\.yaml:1:.*explode/],
    ['out of order', [`3=${good}`, `2=${good}`], /--commit 2=.*: its time is not later than the one before it \(3=/],
  ]
  for (const [name, commits, re] of cli) {
    const r = await rstlab('replay', input, '--policy', ALLOW_ALL, '--out', out, ...commits.flatMap(c => ['--commit', c]))
    t.equal(r.code, 2, `${name}: exit 2`)
    t.match(r.stderr, re, `${name}: ${r.stderr.split('\n')[0]!}`)
    t.match(r.stderr, /→ /, `${name}: with a hint`)
    t.equal(r.stdout, '', `${name}: no summary`)
    t.notOk(existsSync(out), `${name}: --out not created`)
  }
  // In-process, the rest of the parser's refusals (the CLI calls the same two functions first).
  const parse: Array<[string, string, RegExp, string]> = [
    ['no =', good, /no `=` between the time and the policy/, 'RSTLAB_ERR_USAGE'],
    ['negative time', `-1=${good}`, /`-1` is not a time in seconds/, 'RSTLAB_ERR_USAGE'],
    ['too many decimals', `1.0000001=${good}`, /`1\.0000001` is not a time in seconds/, 'RSTLAB_ERR_USAGE'],
    ['no policy', '2=', /--commit 2=: no policy file after `=`/, 'RSTLAB_ERR_USAGE'],
    ['no policy, rematch', '2=:rematch', /no policy file after `=`/, 'RSTLAB_ERR_USAGE'],
    ['missing policy', `2=${path.join(dir, 'nope.yaml')}`, /--commit 2=.*nope\.yaml: .*nope\.yaml/, 'RSTLAB_ERR_IO'],
    ['invalid policy', `1=${bad}`, /--commit 1=.*bad\.yaml: .*explode/, 'RSTLAB_ERR_POLICY'],
  ]
  for (const [name, arg, re, code] of parse) t.throws(() => parseCommit(arg), { code, message: re }, name)
  const c = (arg: string): ReturnType<typeof parseCommit> => parseCommit(arg)
  t.throws(() => { checkCommitOrder([c(`2=${good}`), c(`2=${good}:rematch`)]) }, { code: 'RSTLAB_ERR_USAGE', message: /its time is not later than the one before it/ }, 'same time')
  t.throws(() => { checkCommitOrder([c(`2=${good}`), c(`@1700000003=${good}`)]) }, { code: 'RSTLAB_ERR_USAGE', message: /mixes an absolute time \(@SECONDS\) with a relative one/ }, 'mixed forms')
  t.same((({ timeUs, absolute, rematch }) => ({ timeUs, absolute, rematch }))(c(`@1700000002.25=${good}:rematch`)),
    { timeUs: T + 2_250_000, absolute: true, rematch: true }, 'absolute, with decimals and rematch')
  t.same((({ timeUs, absolute, rematch }) => ({ timeUs, absolute, rematch }))(c(`0.5=${good}`)),
    { timeUs: 500_000, absolute: false, rematch: false }, 'relative')
  // The library refuses a disordered list before the first frame: the engine never sees a policy.
  const policy = loadPolicyText('rules: [{ name: allow-all, action: allow }]\n', '<a>')
  await t.rejects(replayRecords([], { policy, commits: [c(`3=${good}`), c(`1=${good}`)] }), { code: 'RSTLAB_ERR_USAGE' })
})
