/**
 * `rstlab explain` as a command: the JSON-lines contract, frame numbers as tshark numbers them,
 * `--connection`, `--out` comments that tshark (and so Wireshark) shows, and the exit codes.
 */
import t from 'tap'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { encodePcapng } from '../../src/pcap/index.js'
import { REPO_ROOT, PCAP_DIR } from '../helpers/shared.js'
import { Capture, Conversation } from './crafted.js'
import { explainCapture, scorePart } from './score.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')

function rstlab (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

function hasTshark (): boolean {
  if (process.env.CI === 'true') return true // CI must run the tshark checks: a missing tshark fails there
  try { execFileSync('tshark', ['--version'], { stdio: 'ignore' }); return true } catch { return false }
}

const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-explain-'))
t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })

function craft (): string {
  const cap = new Capture()
  const S = { addr: '198.18.1.2', ttl: 54 }
  const b = new Conversation(cap, { addr: '198.18.0.1', ttl: 64, port: 40000, isn: 10 }, { ...S, port: 22, isn: 20 })
  b.handshake(20_000); b.data(true, 10); cap.wait(20_000); b.data(false, 10); b.ack()
  cap.wait(1_000_000)
  const a = new Conversation(cap, { addr: '198.18.0.1', ttl: 64, port: 40001, isn: 30 }, { ...S, port: 21, isn: 0 })
  a.syn(); cap.wait(300); a.rstAnswersSyn('middlebox', 64)
  const file = path.join(dir, 'crafted.pcapng')
  writeFileSync(file, encodePcapng(cap.frames.map(f => ({ tsUs: f.tsUs, linkType: 1, data: f.data }))))
  return file
}

t.test('--json: reset and pattern objects per the contract, then one summary; frames numbered as tshark numbers them', async t => {
  const file = craft()
  const r = await rstlab('explain', file, '--json')
  t.equal(r.code, 0)
  const objs = r.stdout.trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>)
  t.same(objs.map(o => o.type), ['reset', 'pattern', 'summary'])
  const reset = objs[0]!
  t.match(reset, {
    type: 'reset', frame: 8, kind: 'tcp-rst', sender: 'middlebox', side: 'server', confidence: 'high',
    connection: { client: '198.18.0.1', clientPort: 40001, server: '198.18.1.2', serverPort: 21 },
  })
  t.ok(Array.isArray(reset.evidence) && (reset.evidence as unknown[]).every(e => typeof e === 'string'), 'evidence is English strings')
  t.equal(typeof reset.time, 'number')
  t.match(objs[1], { type: 'pattern', pattern: 'reset-at-syn', frames: [7, 8], explanation: /reset-client/ })
  t.match(objs[2], { type: 'summary', resets: 1, connections: 2 })
  // The contract's keys exactly (docs/explain.md): the fields plus the documented extras.
  t.same(Object.keys(reset).sort(), ['confidence', 'connection', 'evidence', 'facts', 'frame', 'kind', 'packet', 'sender', 'side', 'time', 'type'])
  t.same(Object.keys(objs[1]!).sort(), ['connection', 'explanation', 'fields', 'frames', 'pattern', 'sender', 'type'])
  t.same(Object.keys(reset.connection as object).sort(), ['client', 'clientPort', 'index', 'ipVersion', 'protocol', 'server', 'serverPort'])
  t.same(Object.keys(objs[2]!).sort(), ['byConfidence', 'bySender', 'connections', 'evicted', 'frames', 'icmpUnmatched', 'otherFrames', 'patterns', 'resets', 'resetsNotKept', 'type', 'udpFlows', 'undecodable'])
  if (hasTshark()) {
    const flags = execFileSync('tshark', ['-r', file, '-Y', 'frame.number == 8', '-T', 'fields', '-e', 'tcp.flags.reset', '-e', 'ip.ttl'], { encoding: 'utf8' }).trim()
    t.match(flags, /^(1|True)\t64$/, 'tshark agrees frame 8 is the RST with TTL 64')
  }
  const none = await rstlab('explain', file, '--json', '--connection', '22')
  t.same(none.stdout.trim().split('\n').map(l => (JSON.parse(l) as { type: string }).type), ['summary'], '--connection 22 leaves only the summary')
  const one = await rstlab('explain', file, '--connection', '198.18.1.2:21')
  t.match(one.stdout, /connection #2 198\.18\.0\.1:40001 -> 198\.18\.1\.2:21/)
  t.match(one.stdout, /=> reset-at-syn/)
})

t.test('--out: every reset frame and pattern frame carries a comment that tshark shows', { skip: hasTshark() ? false : 'tshark not installed' }, async t => {
  const file = craft()
  const out = path.join(dir, 'annotated.pcapng')
  const r = await rstlab('explain', file, '--out', out)
  t.equal(r.code, 0)
  const rows = execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8' })
    .trim().split('\n').map(l => l.split('\t'))
  t.equal(rows.length, 8, 'every frame copied')
  const commented = rows.filter(x => (x[1] ?? '') !== '').map(x => Number(x[0]))
  t.same(commented, [7, 8])
  t.match(rows[7]![1], /RST forged on the path.*pattern reset-at-syn/)
})

t.test('unreadable input: exit 2 with the usual message; bad filter: exit 2', async t => {
  const missing = await rstlab('explain', path.join(dir, 'nope.pcap'))
  t.equal(missing.code, 2)
  t.match(missing.stderr, /rstlab: cannot read capture .*no such file/)
  const junk = path.join(dir, 'junk.pcap')
  writeFileSync(junk, 'not a capture at all')
  t.equal((await rstlab('explain', junk)).code, 2)
  const bad = await rstlab('explain', craft(), '--connection', 'what?')
  t.equal(bad.code, 2)
  t.match(bad.stderr, /--connection "what\?" is not a connection filter/)
})

t.test('shared captures: what is known from outside, and hand-checked', async t => {
  // zeek's rst-inject-rae (hand-checked with tshark): the client's SYN (frame 1, IP ID 0x1555) is
  // answered at once by a RST|ACK claiming the server with TTL 46, reserved bits set and the SYN's
  // own IP ID copied (frame 2), while every other server packet arrives with TTL 49 and IP IDs of
  // its own; the server then completes the handshake and talks: frame 2 was injected. Frames 7 and
  // 9 are the server's: TTL 49, IP IDs from its counter (0x8014 after 0x8013), seq exactly its next
  // (1616457234), and nothing from it afterwards; 9 answers the client's data sent after 7.
  const rae = path.join(PCAP_DIR, 'zeek__tcp__rst-inject-rae.pcap')
  if (!existsSync(rae)) { t.fail('shared capture missing'); return }
  scorePart(t, 'shared/zeek-rst-inject-rae', new Map([[2, 'middlebox'], [7, 'endpoint'], [9, 'endpoint']]), await explainCapture(rae),
    [{ what: 'the injected RST', pattern: 'injected-reset', where: () => true }])
  const r = await rstlab('explain', rae, '--json')
  const objs = r.stdout.trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>)
  t.match(objs.find(o => o.type === 'reset' && o.frame === 2), { sender: 'middlebox', side: 'server', confidence: 'high' })
  // tcpdump's tcp_rst_data: one RST|ACK with 58 bytes of payload from port 80, TTL 243, alone in
  // the capture: nothing to compare with, so who sent it cannot be known — and must not be claimed.
  const one = await explainCapture(path.join(PCAP_DIR, 'tcpdump__tcp_rst_data.pcap'))
  t.match(one.flatMap(x => x.resets).map(e => ({ frame: e.frame, sender: e.sender, confidence: e.confidence })), [{ frame: 1, sender: 'unknown', confidence: 'low' }])
  t.same(one.flatMap(x => x.patterns), [], 'and names no pattern')
})

t.test('rstlab run --explain: the forensics view of each host of a lesson', async t => {
  const r = await rstlab('run', path.join(REPO_ROOT, 'scenarios', 'lessons', '02-who-sent-this-rst.scn'), '--explain')
  t.equal(r.code, 0)
  t.match(r.stdout, /rstlab explain, as seen by client:/)
  t.match(r.stdout, /forged on the path \(claims to be the server\) \[middlebox, high confidence\]/, 'the forged RST at port 21 is the middlebox')
  t.match(r.stdout, /=> reset-at-syn/)
  t.match(r.stdout, /=> endpoint-abort/, "the server's own RST at port 22 is the endpoint's")
  // With --json the same view comes as the contract's objects, per file and host.
  const j = await rstlab('run', path.join(REPO_ROOT, 'scenarios', 'lessons', '02-who-sent-this-rst.scn'), '--explain', '--json')
  t.equal(j.code, 0, j.stderr)
  const doc = JSON.parse(j.stdout) as { files: Array<{ explain?: Record<string, { resets: Array<Record<string, unknown>>, patterns: Array<Record<string, unknown>>, summary: Record<string, unknown> }> }> }
  const client = doc.files[0]?.explain?.client
  t.ok(client, 'an explain object for the client host')
  t.match(client?.resets.find(e => (e.connection as { serverPort: number }).serverPort === 21), { type: 'reset', kind: 'tcp-rst', sender: 'middlebox', side: 'server', confidence: 'high' })
  t.ok(client?.patterns.some(p => p.pattern === 'reset-at-syn'))
  t.equal(client?.summary.type, 'summary')
  const plainJson = await rstlab('run', path.join(REPO_ROOT, 'scenarios', 'lessons', '02-who-sent-this-rst.scn'), '--json')
  t.notOk('explain' in (JSON.parse(plainJson.stdout) as { files: object[] }).files[0]!, 'no explain object without --explain')
})

t.test('lesson 13 starts from a shipped capture: its bytes are the generator\'s, explain reads it right, the lesson prints it first', async t => {
  const { lessonCapture, LESSON_CAPTURE } = await import('./lesson-capture.js')
  const { pcap, truth } = lessonCapture()
  const shipped = path.join(REPO_ROOT, LESSON_CAPTURE)
  t.ok(readFileSync(shipped).equals(pcap), `${LESSON_CAPTURE} is what test/explain/lesson-capture.ts writes (rerun it after changing it)`)
  t.ok(pcap.length < 4096, `a small capture (${pcap.length} bytes)`)
  scorePart(t, 'lesson-13-capture', truth, await explainCapture(shipped), [{ what: 'the threat reset-both after the request', pattern: 'reset-after-data', where: r => r.connection.clientPort === 51522 }])
  const r = await rstlab('lessons', 'run', '13')
  t.equal(r.code, 0, r.stderr)
  const at = (re: RegExp): number => r.stdout.search(re)
  t.ok(at(/━━ From a capture back to the cause/) >= 0, 'the title')
  t.ok(at(/rstlab explain scenarios\/lessons\/13-from-a-capture\.pcap` says:/) > at(/━━ From a capture/), 'then the capture, read by explain')
  t.ok(at(/frame 15 \([\d.]+ s\) RST from the server side: forged on the path/) > 0, "explain's verdict on frame 15")
  t.ok(at(/This lesson starts where a support case starts/) > at(/=> reset-after-data/), 'then the intro')
  t.ok(at(/threat iis-cmd-exe \(high\) in c2s/) > at(/This lesson starts where/), 'then the ladder that reproduces it')
  t.match(r.stdout, /PASS .*13-from-a-capture\.scn/)
  t.ok(r.stdout.split('\n').every(l => l.length <= 100 || /^━━/.test(l) || /`rstlab explain .*` says:/.test(l)), 'lines stay within the lesson width')
  const plain = await rstlab('run', path.join(REPO_ROOT, 'scenarios', 'lessons', '13-from-a-capture.scn'))
  t.notMatch(plain.stdout, /says:/, '`rstlab run` prints the ladder only')
})

t.test("README's \"Who reset my connection?\" example is what the commands print", async t => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
  const sec = readme.slice(readme.indexOf('## Who reset my connection?'))
  const cmds = /```sh\n([\s\S]*?)```/.exec(sec)![1]!.trim().split('\n')
  const shown = /```\n(connection #1[\s\S]*?)```/.exec(sec)![1]!
  t.equal(cmds.length, 2)
  // The commands as shown, with the README's /tmp/l02 replaced by this run's own directory.
  const argv = (l: string): string[] => l.replace('/tmp/l02', path.join(dir, 'l02')).split(' ').slice(2)
  const run = await rstlab(...argv(cmds[0]!))
  t.equal(run.code, 0, run.stderr)
  const ex = await rstlab(...argv(cmds[1]!))
  t.equal(ex.code, 0, ex.stderr)
  t.equal(ex.stdout, shown, 'the README shows the real output (regenerate it after changing explain)')
})
