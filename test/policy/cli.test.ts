import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const run = (...args: string[]): { code: number | null, out: string, err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

t.test('every shipped policy checks clean', async t => {
  const files = readdirSync(path.join(REPO_ROOT, 'policies')).filter(f => f.endsWith('.yaml')).sort()
  t.ok(files.length >= 4, 'allow-all, block-ftp, challenge-ack, drop-icmp at least')
  for (const f of ['allow-all.yaml', 'block-ftp.yaml', 'challenge-ack.yaml', 'drop-icmp.yaml']) t.ok(files.includes(f), f)
  for (const f of files) {
    const r = run('policy', 'check', `policies/${f}`)
    t.equal(r.code, 0, `${f} exits 0`)
    t.match(r.out, new RegExp(`^policies/${f.replace('.', '\\.')}: ok: \\d+ zones?, \\d+ rules?, \\d+ signatures?\\n$`), `${f}: summary only`)
    t.equal(r.err, '')
  }
})

t.test('a bad file exits 2 with file:line:col for every problem', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-policy-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const bad = path.join(dir, 'bad.yaml')
  writeFileSync(bad, 'zones:\n  trust: { interfaces: [eth0] }\nrules:\n  - { name: r, from: [trsut], action: allow }\n  - { name: s, action: resetclient }\n')
  const r = run('policy', 'check', bad)
  t.equal(r.code, 2)
  const lines = r.out.trim().split('\n')
  t.match(lines, [
    new RegExp(`^${bad}:4:23: error: unknown zone 'trsut' \\(did you mean 'trust'\\?\\)`),
    new RegExp(`^${bad}:5:24: error: 'action' must be one of .*did you mean 'reset-client'`),
  ])
  t.match(r.err, /2 errors; policy not loaded/)
})

t.test('warnings alone exit 0 and are printed', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-policy-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const f = path.join(dir, 'warn.yaml')
  writeFileSync(f, 'rules:\n  - { name: all, action: allow }\n  - { name: ftp, action: drop, service: [tcp/21] }\n')
  const r = run('policy', 'check', f)
  t.equal(r.code, 0)
  t.match(r.out, new RegExp(`^${f}:3:5: warning: rule 'ftp' is shadowed by rule 'all'`))
  t.match(r.out, /ok: 0 zones, 2 rules, 0 signatures, 1 warning\n$/)
})

t.test('a missing file exits 2 with an IO error, and usage errors too', async t => {
  const r = run('policy', 'check', 'policies/no-such.yaml')
  t.equal(r.code, 2)
  t.match(r.err, /cannot read policy file policies\/no-such\.yaml: no such file/)
  t.notMatch(r.err, /at .*\.js:\d+/, 'no stack trace')
  t.equal(run('policy').code, 2)
  t.equal(run('policy', 'check').code, 2)
})
