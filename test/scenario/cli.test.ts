/** `rstlab run` and `rstlab lessons` as a user runs them: exit codes, output shape, no colour when piped. */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const rstlab = (...args: string[]): { code: number | null, out: string, err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: REPO_ROOT })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-cli-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const HEAD = 'host client 198.18.0.1\nhost server 198.18.1.2 ttl 54\npolicy ' + path.join(REPO_ROOT, 'scenarios', 'lessons', 'policies', 'lessons.yaml') + '\n'

t.test('run: pass → 0 with a ladder, no ANSI when piped', async t => {
  const r = rstlab('run', path.join(REPO_ROOT, 'scenarios', 'lessons', '02-who-sent-this-rst.scn'))
  t.equal(r.code, 0, r.err)
  t.match(r.out, /time {2}client {4}firewall {4}server/)
  t.match(r.out, /PASS .*02-who-sent-this-rst\.scn \(9 checks\)/)
  t.notMatch(r.out, /\x1b\[/)
})

t.test('run: a failed expectation → 1 and file:line: message', async t => {
  const f = path.join(dir, 'fail.scn')
  writeFileSync(f, HEAD + '0 client:1000 > server:22 S seq 0\nserver gets S seq 0 ttl 63\n')
  const r = rstlab('run', '--quiet', f)
  t.equal(r.code, 1)
  t.equal(r.out.trim(), `FAIL ${f}:5: packet to server field ttl: expected 63 vs actual 64`)
  const j = rstlab('run', '--json', f)
  t.equal(j.code, 1)
  const failure = (JSON.parse(j.out) as { files: Array<{ failure: unknown }> }).files[0]!.failure
  t.same(failure, { code: 'RSTLAB_ERR_SCRIPT_EXPECT', line: 5, col: 1, message: 'packet to server field ttl: expected 63 vs actual 64' },
    '--json: a failed expectation carries its error code')
})

t.test('run: a syntax error → 2 with file:line:col and a hint', async t => {
  const f = path.join(dir, 'bad.scn')
  writeFileSync(f, HEAD + '0 client:1000 > server:22 SYN\n')
  const r = rstlab('run', '--quiet', f)
  t.equal(r.code, 2)
  t.match(r.out, new RegExp(`ERROR ${f.replace(/[.]/g, '\\.')}:4:27: \`SYN\` is not a set of TCP flags\\n  → flags are tcpdump letters`))
})

t.test('run --json and --pcap-dir', async t => {
  const pcaps = path.join(dir, 'pcaps')
  const r = rstlab('run', '--json', '--pcap-dir', pcaps, path.join(REPO_ROOT, 'scenarios', 'lessons', '08-udp-blocked.scn'))
  t.equal(r.code, 0, r.err)
  const j = JSON.parse(r.out) as { passed: boolean, files: Array<{ checks: number, captures: string[] }> }
  t.equal(j.passed, true)
  t.equal(j.files[0].checks, 8)
  t.same(readdirSync(pcaps).sort(), ['08-udp-blocked.client.pcapng', '08-udp-blocked.server.pcapng'])
})

t.test('lessons: list, and run one by number', async t => {
  const l = rstlab('lessons')
  t.equal(l.code, 0)
  t.match(l.out, /04-challenge-ack-hang +The challenge-ACK hang/)
  const r = rstlab('lessons', 'run', '04b')
  t.equal(r.code, 0, r.err)
  t.match(r.out, /The same reconnect as lesson 04/, 'intro printed')
  t.match(r.out, /Try next:/, 'after-text printed')
  const n = rstlab('lessons', 'run', 'nope')
  t.equal(n.code, 2)
  t.match(n.err, /no lesson matches "nope"/)
})
