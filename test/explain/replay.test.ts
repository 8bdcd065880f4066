/**
 * `rstlab replay --explain`: the analysis of what each side of the firewall saw during a replay.
 *
 * Ground truth from construction: the input is a crafted conversation captured where no firewall
 * stood (client 2 hops away, TTL 62; server 10 hops away, TTL 54), whose only RSTs are the
 * endpoints' own. The policy resets FTP at the SYN (reset-client) and ages idle sessions out after
 * 10 s with reset-on-age-out both. So on each side's wire a RST that is byte for byte a frame of the
 * input is the endpoint's; any other RST is the firewall's.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { encodePcap } from '../../src/pcap/index.js'
import { replayFile } from '../../src/ingress/replay.js'
import { loadPolicyText } from '../../src/policy/load.js'
import { SideExplainer, type Sender, type WireSide } from '../../src/explain/index.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { FrameSummary, TcpFlag } from '../../src/wire/summary.js'
import { REPO_ROOT } from '../helpers/shared.js'
import { Capture, Conversation } from './crafted.js'
import { onPort, scorePart, type BuiltPattern } from './score.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-replay-explain-'))
t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })

const POLICY = `
settings:
  session: { timeout-tcp: 10 }
  emulator: { forged-ttl: 64, reset-on-age-out: both }
zones:
  trust:   { type: layer3, interfaces: [eth0], networks: [198.18.0.0/24] }
  untrust: { type: layer3, interfaces: [eth1], networks: [any] }
rules:
  - { name: block-ftp, from: [trust], to: [untrust], source: [any], destination: [any], application: [any], service: [tcp/21], action: reset-client }
  - { name: allow-out, from: [trust], to: [untrust], source: [any], destination: [any], application: [any], service: [any], action: allow }
`

/** The input: five connections, written packet by packet. */
function craft (): { file: string, policy: string, inputs: Buffer[] } {
  const cap = new Capture()
  const C = { addr: '198.18.0.1', ttl: 62 }
  const S = { addr: '198.18.1.2', ttl: 54 }
  const conv = (cp: number, sp: number, ci: number, si: number): Conversation => new Conversation(cap, { ...C, port: cp, isn: ci }, { ...S, port: sp, isn: si })
  // ssh, closed cleanly: the baseline.
  const a = conv(40000, 22, 1000, 5000)
  a.handshake(20_000); a.data(true, 20); cap.wait(20_000); a.data(false, 30); a.ack(); a.fin(true); cap.wait(20_000); a.fin(false); a.ack()
  cap.wait(100_000)
  // FTP: the original server answered; behind the firewall it never sees the SYN.
  const b = conv(40001, 21, 2000, 6000)
  b.syn(); cap.wait(20_000); b.synAck(); cap.wait(100); b.ack(); b.data(true, 10)
  cap.wait(100_000)
  // A closed port: the server's own RST|ACK.
  const c = conv(40002, 23, 3000, 7000)
  c.syn(); cap.wait(20_000); c.rstAnswersSyn('endpoint', 54)
  cap.wait(100_000)
  // The client aborts after data (its own RST).
  const e = conv(40004, 22, 4000, 8000)
  e.handshake(20_000); e.data(true, 10); cap.wait(20_000); e.data(false, 10); e.endpointRst(true)
  cap.wait(100_000)
  // Web: idle for 20 s (the firewall's timeout is 10 s), then the client speaks again.
  const d = conv(40003, 80, 5000, 9000)
  d.handshake(20_000); d.data(true, 20); cap.wait(20_000); d.data(false, 100); d.ack()
  cap.wait(20_000_000); d.data(true, 20); cap.wait(200_000); d.retransmit(true, 20)
  const file = path.join(dir, 'in.pcap')
  writeFileSync(file, encodePcap(cap.frames.map(f => ({ tsUs: f.tsUs, linkType: 1, data: f.data }))))
  const policy = path.join(dir, 'policy.yaml')
  writeFileSync(policy, POLICY)
  return { file, policy, inputs: cap.frames.map(f => f.data) }
}

function rstlab (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

t.test('each side\'s wire: forged RSTs judged the firewall\'s, the endpoints\' own RSTs theirs; patterns named', async t => {
  const { file, policy, inputs } = craft()
  // Each wire's frames as SideExplainer numbers them, to compute the truth by comparison with the input.
  const wires: Record<WireSide, Buffer[]> = { client: [], server: [] }
  class Recording extends SideExplainer {
    protected override put (i: number, tsUs: number, linkType: number, data: Buffer): void {
      wires[i === 0 ? 'client' : 'server'].push(Buffer.from(data))
      super.put(i, tsUs, linkType, data)
    }
  }
  const rec = new Recording()
  await replayFile(file, { policy: loadPolicyText(POLICY, policy), wire: rec })
  const reports = rec.finish()
  const inputSet = new Set(inputs.map(b => b.toString('hex')))
  const fs = new FrameSummary()
  const built: Record<WireSide, BuiltPattern[]> = {
    client: [onPort(21, 'reset-at-syn', 'FTP reset-client'), onPort(23, 'closed-port', 'closed port'), onPort(22, 'endpoint-abort', "the client's abort"), onPort(80, 'idle-expiry', 'aged out, reset both')],
    server: [onPort(23, 'closed-port', 'closed port'), onPort(22, 'endpoint-abort', "the client's abort"), onPort(80, 'idle-expiry', 'aged out, reset both')],
  }
  for (const w of reports) {
    const frames = wires[w.side]
    const truth = new Map<number, Sender>()
    frames.forEach((f, i) => {
      const s = decodeFrame(f, 1, fs)
      if ((s.tcpFlags & TcpFlag.RST) !== 0) truth.set(i + 1, inputSet.has(f.toString('hex')) ? 'endpoint' : 'middlebox')
    })
    t.ok([...truth.values()].includes('middlebox'), `${w.side} side received a forged RST`)
    scorePart(t, `replay/${w.side}-side`, truth, w.reports, built[w.side])
  }
  const named = (side: WireSide, port: number): string[] => reports.find(w => w.side === side)!.reports
    .filter(r => r.connection.serverPort === port).flatMap(r => r.patterns.map(p => p.pattern))
  t.same(named('server', 21), [], 'the server never saw the FTP SYN: nothing to explain there')
})

t.test('the CLI: text after the summary, or an `explain` member of the JSON summary', async t => {
  const { file, policy } = craft()
  const text = await rstlab('replay', file, '--policy', policy, '--explain', '--log', path.join(dir, 'log.json'))
  t.equal(text.code, 0, text.stderr)
  t.match(text.stdout, /Global counters:[\s\S]*rstlab explain, as seen on the client side of the firewall:[\s\S]*rstlab explain, as seen on the server side of the firewall:/)
  t.match(text.stdout, /frame \d+ \([\d.]+ s\) RST from the server side: forged on the path \(claims to be the server\) \[middlebox, high confidence\]/)
  t.match(text.stdout, /=> reset-at-syn/)
  const json = await rstlab('replay', file, '--policy', policy, '--explain', '--summary', 'json', '--log', path.join(dir, 'log2.json'))
  t.equal(json.code, 0, json.stderr)
  const lines = json.stdout.trim().split('\n')
  t.equal(lines.length, 1, 'stdout stays one JSON object')
  const o = JSON.parse(lines[0]!) as { explain: Record<WireSide, { resets: Array<Record<string, unknown>>, patterns: Array<Record<string, unknown>>, summary: Record<string, unknown> }> }
  t.match(o.explain.client.resets.find(r => (r.connection as { serverPort: number }).serverPort === 21),
    { type: 'reset', kind: 'tcp-rst', sender: 'middlebox', side: 'server', confidence: 'high' })
  t.ok(o.explain.server.patterns.some(p => p.pattern === 'idle-expiry'))
  t.match(o.explain.server.summary, { type: 'summary', resets: 3 })
  const plain = await rstlab('replay', file, '--policy', policy, '--summary', 'json', '--log', path.join(dir, 'log3.json'))
  t.notOk('explain' in (JSON.parse(plain.stdout) as object), 'without --explain the JSON summary is unchanged')
})
